/*
 * pages_auth.c: register, log in, log out, change password.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "account.h"
#include "app.h"
#include "auth.h"
#include "page.h"
#include "pages.h"
#include "parse.h"
#include "password.h"
#include "throttle.h"
#include "workflow.h"
#include "valid.h"

/*
 * Only local paths: never an open redirect to another site. Browsers drop
 * tabs and newlines inside URLs and read "\\" as "/", so "/\t/evil" or
 * "/\\evil" would leave the site: any control byte, and a second "/" or
 * "\\", refuse the value (found by tests/fuzz/fuzz_request.c).
 */
static const char *
safe_next(const char *next)
{
	const unsigned char *p;

	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		return "/";
	for (p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "/";
	return next;
}

static int
login_form(struct request *req, struct response *resp, struct form *f,
    int status)
{
	return page_render(req, resp, status, "login", f->view);
}

int
page_login(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "登录");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "email", "");
	tv_put_str(v, "next", safe_next(params_get(&req->query, "next")));
	if (params_get(&req->query, "next") != NULL && req->user == NULL)
		tv_put_bool(v, "need_login", 1);
	if (params_get(&req->query, "reset") != NULL)
		tv_put_bool(v, "reset_done", 1);
	return login_form(req, resp, &f, 200);
}

/*
 * One line on stderr (the server log) for every login decision (ASVS
 * 7.2.1): never the password, and the typed e-mail with every control
 * byte, quote and backslash replaced, so it cannot forge log lines.
 */
static void
log_auth(const struct request *req, const char *what, const char *email)
{
	char clean[128];
	size_t i;

	for (i = 0; email[i] != '\0' && i < sizeof(clean) - 1; i++)
		clean[i] = ((unsigned char)email[i] < 0x20 || email[i] == 0x7f ||
		    email[i] == '"' || email[i] == '\\') ? '?' : email[i];
	clean[i] = '\0';
	fprintf(stderr, "zizhi: auth: %s email=\"%s\" addr=%s\n", what, clean,
	    req->remote_addr && *req->remote_addr ? req->remote_addr : "-");
}

/* 429: too many failures; says until when, in Beijing time. */
static int
login_throttled(struct request *req, struct response *resp, struct form *f,
    long long until)
{
	long long wait = until - req->now;
	char stamp[24];

	response_header(resp, "Retry-After", arena_printf(req->arena, "%lld",
	    wait));
	if (wait < 60) {
		form_error(f, "email", arena_printf(req->arena, "登录尝试过于"
		    "频繁。请 %lld 秒后再试。", wait));
	} else {
		/* Rounded up to the minute, so "after" is true. */
		date_stamp(until + 59, stamp);
		form_error(f, "email", arena_printf(req->arena, "登录失败次数"
		    "过多，为保护账号安全，已暂停登录。请于 %s（北京时间）之后"
		    "再试；如果忘记了密码，请使用“忘记密码”重设。",
		    page_time(req->arena, stamp)));
	}
	return login_form(req, resp, f, 429);
}

int
page_login_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "登录");
	const char *email, *pw, *next;
	struct store *s = req->app->store;
	char akey[300], ikey[80];
	const char *ak, *ik;
	struct form f;
	long long id, until, u2;

	form_init(&f, req, v);
	email = form_keep(&f, "email");
	pw = params_get(&req->form, "password");
	next = safe_next(params_get(&req->form, "next"));
	tv_put_str(v, "next", next);
	if (*email == '\0')
		form_error(&f, "email", "请输入电子邮箱。");
	if (pw == NULL || *pw == '\0')
		form_error(&f, "password", "请输入密码。");
	if (f.nerrors > 0)
		return login_form(req, resp, &f, 400);
	/* Repeated failures, per account and per address (throttle.h):
	 * while blocked, not even a right password gets in. */
	ak = throttle_key(akey, sizeof(akey), "email", email) == 0 ? akey :
	    NULL;
	ik = throttle_key(ikey, sizeof(ikey), "addr", req->remote_addr) == 0 ?
	    ikey : NULL;
	until = throttle_until(s, ak, req->now);
	if ((u2 = throttle_until(s, ik, req->now)) > until)
		until = u2;
	if (until > 0) {
		log_auth(req, "login refused (throttled)", email);
		return login_throttled(req, resp, &f, until);
	}
	if (strlen(pw) > PASSWORD_MAX * 4 || strlen(email) > 254)
		id = 0;
	else if ((id = auth_check_password(req, email, pw)) == -1)
		return 500;
	if (id == 0) {
		until = throttle_fail(s, ak, req->now, THROTTLE_ACCOUNT_MAX,
		    THROTTLE_ACCOUNT_FREE);
		u2 = throttle_fail(s, ik, req->now, THROTTLE_ADDR_MAX, -1);
		if (u2 > until)
			until = u2;
		log_auth(req, until >= req->now + THROTTLE_BLOCK ?
		    "login failed, now blocked" : "login failed", email);
		if (until >= req->now + THROTTLE_BLOCK)
			return login_throttled(req, resp, &f, until);
	} else
		throttle_clear(s, ak);
	if (id == -2) {
		form_error(&f, "email", "此账号已停用。如需恢复，请联系系统管理员。");
		return login_form(req, resp, &f, 401);
	}
	if (id == 0) {
		form_error(&f, "email", "电子邮箱或密码不正确。");
		return login_form(req, resp, &f, 401);
	}
	if (auth_login(req, resp, id) != 0)
		return 500;
	log_auth(req, "login ok", email);
	response_redirect(resp, next);
	return 0;
}

int
page_logout(struct request *req, struct response *resp)
{
	auth_logout(req, resp);
	response_redirect(resp, "/");
	return 0;
}

int
page_register(struct request *req, struct response *resp)
{
	struct tv *v;
	struct form f;

	if (req->user != NULL) {
		response_redirect(resp, "/");
		return 0;
	}
	v = page_view(req, "注册申请单位账号");
	form_init(&f, req, v);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	return page_render(req, resp, 200, "register", v);
}

/* Length in characters of valid UTF-8. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
check_new_password(struct form *f, const char *pw, const char *pw2)
{
	size_t n = chars(pw);

	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		form_error(f, "password", arena_printf(f->req->arena,
		    "密码长度须为 %d 到 %d 个字符。", PASSWORD_MIN,
		    PASSWORD_MAX));
	else if (strcmp(pw, pw2) != 0)
		form_error(f, "password2", "两次输入的密码不一致。");
}

int
page_register_post(struct request *req, struct response *resp)
{
	struct tv *v;
	struct store *s = req->app->store;
	const char *org, *name, *email, *pw, *pw2;
	char err[256];
	struct form f;
	long long org_id, id;
	enum account_err rc;

	if (req->user != NULL) {
		response_redirect(resp, "/");
		return 0;
	}
	v = page_view(req, "注册申请单位账号");
	tv_put_int(v, "password_min", PASSWORD_MIN);
	form_init(&f, req, v);
	org = form_keep(&f, "org_name");
	name = form_keep(&f, "name");
	email = form_keep(&f, "email");
	pw = params_get(&req->form, "password");
	pw2 = params_get(&req->form, "password2");
	pw = pw ? pw : "";
	pw2 = pw2 ? pw2 : "";
	if (chars(org) < 2 || chars(org) > 100)
		form_error(&f, "org_name", "请填写单位名称（与营业执照一致，2 到 100 个字）。");
	if (chars(name) < 1 || chars(name) > 50)
		form_error(&f, "name", "请填写联系人姓名（不超过 50 个字）。");
	if (!valid_email(email))
		form_error(&f, "email", "请填写有效的电子邮箱，例如 name@example.com。");
	check_new_password(&f, pw, pw2);
	if (f.nerrors > 0)
		return page_render(req, resp, 400, "register", v);

	if (store_begin(s) != 0)
		return 500;
	if ((org_id = org_create(s, org)) < 0) {
		store_rollback(s);
		return 500;
	}
	rc = account_create(s, email, name, "applicant", org_id, pw, &id, err,
	    sizeof(err));
	if (rc != ACCOUNT_OK) {
		store_rollback(s);
		if (rc == ACCOUNT_FAILED)
			return 500;
		form_error(&f, "email", rc == ACCOUNT_DUPLICATE ?
		    "该电子邮箱已注册。如果这是您的账号，请直接登录。" : err);
		return page_render(req, resp, 400, "register", v);
	}
	if (auth_login(req, resp, id) != 0 || store_commit(s) != 0) {
		store_rollback(s);
		return 500;
	}
	response_redirect(resp, "/");
	return 0;
}

int
page_password(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "修改密码");
	struct form f;

	form_init(&f, req, v);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	return page_render(req, resp, 200, "password", v);
}

int
page_password_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "修改密码");
	struct store *s = req->app->store;
	const char *cur, *pw, *pw2;
	char err[256];
	sqlite3_stmt *st;
	struct form f;
	long long id;

	form_init(&f, req, v);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	cur = params_get(&req->form, "current");
	pw = params_get(&req->form, "password");
	pw2 = params_get(&req->form, "password2");
	cur = cur ? cur : "";
	pw = pw ? pw : "";
	pw2 = pw2 ? pw2 : "";
	if ((id = auth_check_password(req, req->user->email, cur)) == -1)
		return 500;
	if (id != req->user->id)
		form_error(&f, "current", "当前密码不正确。");
	check_new_password(&f, pw, pw2);
	if (f.nerrors > 0)
		return page_render(req, resp, 400, "password", v);
	if (store_begin(s) != 0)
		return 500;
	if (account_set_password(s, req->user->email, pw, err,
	    sizeof(err)) != ACCOUNT_OK) {
		store_rollback(s);
		return 500;
	}
	/* Every other session of this account ends; this one starts anew. */
	st = store_stmt(s, "DELETE FROM session WHERE account_id = ?1");
	if (st == NULL || (store_bind_int(st, 1, req->user->id),
	    sqlite3_step(st)) != SQLITE_DONE || auth_login(req, resp,
	    req->user->id) != 0 || store_commit(s) != 0) {
		store_rollback(s);
		return 500;
	}
	response_redirect(resp, "/?password_changed=1");
	return 0;
}
