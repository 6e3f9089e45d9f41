/*
 * pages_auth.c: register, log in, log out, change password.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "auth.h"
#include "date.h"
#include "login.h"
#include "page.h"
#include "pages.h"
#include "password.h"
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

/* The prefix of the fields carried through the login form. */
#define RESUME_PREFIX	"resume."
/* At most this much posted text is carried (a section's narratives). */
#define RESUME_MAX	(512 * 1024)

/*
 * What a form posted without a session carries through the login page:
 * resume_to (the path it was posted to) and its fields under
 * "resume.NAME", from src (the first post: plain names; the login post:
 * prefixed ones). The old session's token is not carried.
 */
static void
put_resume(struct request *req, struct tv *v, const struct params *src,
    const char *to, int prefixed)
{
	struct tv *list, *e;
	const char *name;
	size_t i, plen = strlen(RESUME_PREFIX), total = 0;

	if (to == NULL || safe_next(to) != to || strcmp(to, "/login") == 0)
		return;
	list = tv_put_list(v, "resume");
	for (i = 0; i < src->n; i++) {
		name = src->v[i].key;
		if (prefixed) {
			if (strncmp(name, RESUME_PREFIX, plen) != 0)
				continue;
			name += plen;
		}
		if (strcmp(name, "csrf") == 0)
			continue;
		total += src->v[i].vlen;
		if (total > RESUME_MAX)
			break;
		e = tv_push_map(list);
		tv_put_str(e, "name", arena_printf(req->arena, "%s%s",
		    prefixed ? "" : "", name));
		tv_put_str(e, "value", src->v[i].val);
	}
	tv_put_str(v, "resume_to", to);
	tv_put_bool(v, "resuming", 1);
}

static int
login_form(struct request *req, struct response *resp, struct form *f,
    int status)
{
	/* A failed login keeps what the expired form carried. */
	if (req->method == METHOD_POST && tv_get(f->view, "resuming") == NULL)
		put_resume(req, f->view, &req->form, params_get(&req->form,
		    "resume_to"), 1);
	return page_render(req, resp, status, "login", f->view);
}

int
page_login_resume(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "登录");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "email", "");
	tv_put_str(v, "next", safe_next(req->path));
	put_resume(req, v, &req->form, req->path, 0);
	/* 401: nothing was done; the page is the way back in. */
	return page_render(req, resp, 401, "login", v);
}

/* Where a login without a page to go back to lands: the home page sends
 * each person on to their own start (page_home). */
static const char *
landing(struct request *req, const char *next)
{
	return strcmp(next, "/") == 0 ? "/?from=login" : next;
}

/* Logged in again: one button sends the carried form on, with the new
 * session's token (no script needed). */
static int
resume_page(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "继续保存");

	/* The new session's token (page_view puts one only for a user
	 * known when the request came in). */
	tv_put_str(v, "csrf", req->csrf);

	put_resume(req, v, &req->form, params_get(&req->form, "resume_to"),
	    1);
	if (tv_get(v, "resuming") == NULL)
		return -1;
	return page_render(req, resp, 200, "login_resume", v);
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
	if (params_get(&req->query, "registered") != NULL)
		tv_put_bool(v, "registered", 1);
	return login_form(req, resp, &f, 200);
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
	if (wait <= 60) {
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
	struct dom *d = page_ctx(req);
	const char *email, *pw, *next;
	long long id, until;
	enum totp_need need;
	struct form f;

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
	switch (login_attempt(d, email, pw, req->remote_addr, &id, &until,
	    &need)) {
	case DOM_OK:
		break;
	case DOM_CONFLICT:
		return login_throttled(req, resp, &f, until);
	case DOM_INVALID:
	case DOM_FORBIDDEN:
		form_error(&f, "email", d->msg);
		return login_form(req, resp, &f, 401);
	default:
		return 500;
	}
	/* A second factor: its code next, or its enrolment first. */
	if (auth_login_stage(req, resp, id, need == TOTP_CODE ? AUTH_CODE :
	    need == TOTP_ENROL ? AUTH_ENROL : AUTH_FULL) != 0)
		return 500;
	if (need == TOTP_CODE)
		response_redirect(resp, arena_printf(req->arena, "/login/code?"
		    "next=%s", arena_urlencode(req->arena, next)));
	else if (need == TOTP_ENROL)
		response_redirect(resp, "/account/2fa");
	else if (params_get(&req->form, "resume_to") != NULL &&
	    (id = resume_page(req, resp)) >= 0)
		return (int)id;
	else
		response_redirect(resp, landing(req, next));
	return 0;
}

/* The second step of a login (a session at AUTH_CODE): the code. */
static int
code_form(struct request *req, struct response *resp, struct form *f,
    int status)
{
	return page_render(req, resp, status, "login_code", f->view);
}

int
page_login_code(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "两步验证");
	struct form f;

	if (req->pending_id == 0) {
		response_redirect(resp, "/login");
		return 0;
	}
	form_init(&f, req, v);
	tv_put_str(v, "next", safe_next(params_get(&req->query, "next")));
	return code_form(req, resp, &f, 200);
}

int
page_login_code_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "两步验证");
	struct dom *d = page_ctx(req);
	const char *code, *next;
	long long until;
	struct form f;

	/* Only a session whose password was right, for five minutes. */
	if (req->pending_id == 0) {
		response_redirect(resp, "/login");
		return 0;
	}
	form_init(&f, req, v);
	next = safe_next(params_get(&req->form, "next"));
	tv_put_str(v, "next", next);
	code = params_get(&req->form, "code");
	if (code == NULL || *code == '\0') {
		form_error(&f, "code", "请输入验证码。");
		return code_form(req, resp, &f, 400);
	}
	switch (login_code(d, req->pending_id, code, req->remote_addr,
	    &until)) {
	case DOM_OK:
		break;
	case DOM_CONFLICT:
		response_header(resp, "Retry-After", arena_printf(req->arena,
		    "%lld", until - req->now));
		form_error(&f, "code", arena_printf(req->arena, "尝试过于频繁。"
		    "请 %lld 秒后再试。", until - req->now));
		return code_form(req, resp, &f, 429);
	case DOM_INVALID:
		form_error(&f, "code", d->msg);
		return code_form(req, resp, &f, 401);
	default:
		return 500;
	}
	if (auth_login_stage(req, resp, req->pending_id, AUTH_FULL) != 0)
		return 500;
	response_redirect(resp, landing(req, next));
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

/* The new password's errors into the form (account_new_password). */
static void
check_new_password(struct form *f, struct dom *d, const char *pw,
    const char *pw2)
{
	if (account_new_password(d, pw, pw2) != DOM_OK)
		form_error(f, d->field, d->msg);
}

int
page_register_post(struct request *req, struct response *resp)
{
	struct tv *v;
	struct dom *d = page_ctx(req);
	const char *org, *name, *email, *pw, *pw2;
	struct form f;
	enum dom_rc rc;
	long long until;
	char stamp[24];

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
	if (!valid_text(org, 2, 100, 0))
		form_error(&f, "org_name", "请填写单位名称（与营业执照一致，2 到 100 个字，不含控制字符或文字方向控制符）。");
	if (!valid_text(name, 1, 50, 0))
		form_error(&f, "name", "请填写联系人姓名（不超过 50 个字，不含控制字符或文字方向控制符）。");
	if (!valid_email(email))
		form_error(&f, "email", "请填写有效的电子邮箱，例如 name@example.com。");
	check_new_password(&f, d, pw, pw2);
	if (f.nerrors > 0)
		return page_render(req, resp, 400, "register", v);
	/* The same answer whether the address had an account or not: the
	 * mail tells its owner which (account.h). */
	rc = account_register(d, org, name, email, pw, req->remote_addr,
	    &until);
	if (rc == DOM_INVALID) {
		form_error(&f, d->field ? d->field : "email", d->msg);
		return page_render(req, resp, 400, "register", v);
	}
	if (rc == DOM_CONFLICT) {
		date_stamp(until + 59, stamp);
		response_header(resp, "Retry-After", arena_printf(req->arena,
		    "%lld", until - req->now));
		form_error(&f, "email", arena_printf(req->arena, "从您的网络"
		    "提交的注册过于频繁。请于 %s（北京时间）之后再试。",
		    page_time(req->arena, stamp)));
		return page_render(req, resp, 429, "register", v);
	}
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, "/login?registered=1");
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
	struct dom *d = page_ctx(req);
	const char *cur, *pw, *pw2, *field, *msg;
	struct form f;
	enum dom_rc rc;

	form_init(&f, req, v);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	cur = params_get(&req->form, "current");
	pw = params_get(&req->form, "password");
	pw2 = params_get(&req->form, "password2");
	cur = cur ? cur : "";
	pw = pw ? pw : "";
	pw2 = pw2 ? pw2 : "";
	if (account_new_password(d, pw, pw2) != DOM_OK) {
		/* Every error at once: the current password's first. */
		field = d->field;
		msg = d->msg;
		if (account_authenticate(d, req->user->email, cur) !=
		    req->user->id)
			form_error(&f, "current", "当前密码不正确。");
		form_error(&f, field, msg);
		return page_render(req, resp, 400, "password", v);
	}
	/* Every session of this account ends; this one starts anew. */
	rc = account_change_password(d, cur, pw);
	if (rc == DOM_INVALID || rc == DOM_CONFLICT) {
		form_error(&f, d->field ? d->field : "current", d->msg);
		return page_render(req, resp, 400, "password", v);
	}
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	if (auth_login(req, resp, req->user->id) != 0)
		return 500;
	response_redirect(resp, "/?password_changed=1");
	return 0;
}
