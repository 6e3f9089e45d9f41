/*
 * pages_admin.c: account administration (role admin). The list of every
 * account (paged, filtered by role), creating a staff account, and
 * disabling or enabling an account. A disabled account cannot log in, and
 * its sessions are ended at once (auth.c also refuses a session of a
 * disabled account). An admin cannot disable itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "app.h"
#include "auth.h"
#include "page.h"
#include "password.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_admin[];

#define PER_PAGE	30

/* The roles a staff account may have, in the order of the select. */
static const char *const staff_roles[] = {
	"lead", "assessor", "expert", "cert_staff", "supervisor", "admin",
	NULL
};

static size_t
nchars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The role filter of the query: a role code, or "" for every role. */
static const char *
role_filter(struct request *req)
{
	const char *r = params_get(&req->query, "role");

	return r != NULL && role_bit(r) ? r : "";
}

static int
render_users(struct request *req, struct response *resp, int status,
    struct tv *v, const char *chosen)
{
	struct store *s = req->app->store;
	const char *role = role_filter(req), *p, *zh;
	long long page = 1, total = 0;
	struct tv *list, *row;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if ((p = params_get(&req->query, "page")) != NULL)
		page = strtoll(p, NULL, 10);
	if (page < 1 || page > 1000000)
		page = 1;
	/* The filter: every role, with the one shown marked. */
	list = tv_put_list(v, "filters");
	row = tv_push_map(list);
	tv_put_str(row, "href", "/admin/users");
	tv_put_str(row, "label", "全部");
	tv_put_bool(row, "current", *role == '\0');
	for (i = 0; i < 7; i++) {
		static const char *const all[] = { "applicant", "lead",
		    "assessor", "expert", "cert_staff", "supervisor", "admin" };

		row = tv_push_map(list);
		tv_put_str(row, "href", arena_printf(req->arena,
		    "/admin/users?role=%s", all[i]));
		tv_put_str(row, "label", role_zh(all[i]));
		tv_put_bool(row, "current", strcmp(role, all[i]) == 0);
	}
	/* The roles a new account may have. */
	list = tv_put_list(v, "roles");
	for (i = 0; staff_roles[i] != NULL; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", staff_roles[i]);
		tv_put_str(row, "label", role_zh(staff_roles[i]));
		tv_put_bool(row, "selected", strcmp(chosen, staff_roles[i]) ==
		    0);
	}
	tv_put_int(v, "password_min", PASSWORD_MIN);
	st = store_stmt(s, "SELECT count(*) FROM account WHERE ?1 = '' OR "
	    "role = ?1");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, role);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT a.id, a.email, a.name, a.role, "
	    "coalesce(o.name, ''), a.disabled, a.created_at FROM account a "
	    "LEFT JOIN org o ON o.id = a.org_id WHERE ?1 = '' OR a.role = ?1 "
	    "ORDER BY a.role = 'applicant', a.id LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, role);
	store_bind_int(st, 2, PER_PAGE);
	store_bind_int(st, 3, (page - 1) * PER_PAGE);
	list = tv_put_list(v, "accounts");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);

		row = tv_push_map(list);
		tv_put_int(row, "uid", id);
		tv_put_str(row, "email", store_col_text(st, 1));
		tv_put_str(row, "uname", store_col_text(st, 2));
		zh = role_zh(store_col_text(st, 3));
		tv_put_str(row, "role_zh", zh ? zh : store_col_text(st, 3));
		tv_put_str(row, "org", store_col_text(st, 4));
		tv_put_bool(row, "disabled", sqlite3_column_int(st, 5));
		tv_put_str(row, "created", page_time(req->arena,
		    store_col_text(st, 6)));
		tv_put_bool(row, "self", id == req->user->id);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_int(v, "total", total);
	page_pager(req, v, *role ? arena_printf(req->arena,
	    "/admin/users?role=%s", role) : "/admin/users", page, total,
	    PER_PAGE);
	p = params_get(&req->query, "done");
	if (p != NULL && strcmp(p, "created") == 0)
		tv_put_str(v, "done", "账号已创建。请把初始密码当面或通过安全渠道"
		    "告知本人，并提醒其登录后修改密码。");
	else if (p != NULL && strcmp(p, "disabled") == 0)
		tv_put_str(v, "done", "账号已停用：该账号不能再登录，已登录的会话"
		    "也已失效。");
	else if (p != NULL && strcmp(p, "enabled") == 0)
		tv_put_str(v, "done", "账号已启用，可以重新登录。");
	return page_render(req, resp, status, "admin_users", v);
}

static int
users(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "账号管理");
	struct form f;

	form_init(&f, req, v);
	return render_users(req, resp, 200, v, "");
}

static int
user_create(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "账号管理");
	const char *role, *email, *name, *pw, *pw2;
	enum account_err rc;
	char err[256];
	struct form f;
	long long id;
	size_t n;

	form_init(&f, req, v);
	role = form_keep(&f, "role");
	email = form_keep(&f, "email");
	name = form_keep(&f, "name");
	pw = params_get(&req->form, "password");
	pw2 = params_get(&req->form, "password2");
	pw = pw ? pw : "";
	pw2 = pw2 ? pw2 : "";
	if (!role_bit(role) || strcmp(role, "applicant") == 0)
		form_error(&f, "role", "请选择账号的角色。申请单位的账号由申请单位"
		    "自行注册。");
	if (!valid_email(email))
		form_error(&f, "email", "请填写有效的电子邮箱，例如 "
		    "name@example.com。");
	if (nchars(name) < 1 || nchars(name) > 50)
		form_error(&f, "name", "请填写姓名（不超过 50 个字）。");
	n = nchars(pw);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		form_error(&f, "password", arena_printf(req->arena, "初始密码长度"
		    "须为 %d 到 %d 个字符。", PASSWORD_MIN, PASSWORD_MAX));
	else if (strcmp(pw, pw2) != 0)
		form_error(&f, "password2", "两次输入的密码不一致，请重新输入。");
	if (f.nerrors > 0)
		return render_users(req, resp, 400, v, role);
	rc = account_create(req->app->store, email, name, role, 0, pw, &id,
	    err, sizeof(err));
	if (rc == ACCOUNT_FAILED)
		return 500;
	if (rc != ACCOUNT_OK) {
		form_error(&f, "email", rc == ACCOUNT_DUPLICATE ?
		    "该电子邮箱已有账号。请换一个邮箱，或在下面的列表中找到该账号。" :
		    arena_strdup(req->arena, err));
		return render_users(req, resp, 400, v, role);
	}
	response_redirect(resp, "/admin/users?done=created");
	return 0;
}

/* Disables (on 1) or enables (on 0) the account named in the path. */
static int
set_disabled(struct request *req, struct response *resp, int on)
{
	struct store *s = req->app->store;
	long long id = strtoll(req->args[0], NULL, 10);
	sqlite3_stmt *st;

	if (on && id == req->user->id) {
		resp->error_message = "不能停用自己正在使用的账号。如确需停用，"
		    "请由另一名系统管理员操作。";
		return 403;
	}
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "UPDATE account SET disabled = ?2 WHERE id = ?1");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, on);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(store_db(s)) != 1) {
		store_rollback(s);
		return 404;
	}
	if (on) {
		/* Its sessions end now, not at their next expiry. */
		st = store_stmt(s, "DELETE FROM session WHERE account_id = ?1");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, on ? "/admin/users?done=disabled" :
	    "/admin/users?done=enabled");
	return 0;
fail:
	fprintf(stderr, "zizhi: admin: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

static int
user_disable(struct request *req, struct response *resp)
{
	return set_disabled(req, resp, 1);
}

static int
user_enable(struct request *req, struct response *resp)
{
	return set_disabled(req, resp, 0);
}

const struct route routes_admin[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/admin/users",		users,		ROLE_ADMIN, 0 },
	{ METHOD_POST,	"/admin/users",		user_create,	ROLE_ADMIN, 1 },
	{ METHOD_POST,	"/admin/users/{n}/disable", user_disable, ROLE_ADMIN, 1 },
	{ METHOD_POST,	"/admin/users/{n}/enable", user_enable,	ROLE_ADMIN, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
