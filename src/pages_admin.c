/*
 * pages_admin.c: account administration (role admin, account.h). The
 * list of every account (paged, filtered by role), creating a staff
 * account, and disabling or enabling an account. A disabled account
 * cannot log in, and its sessions are ended at once (auth.c also refuses
 * a session of a disabled account). An admin cannot disable itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "app.h"
#include "page.h"
#include "password.h"
#include "router.h"
#include "totp.h"
#include "utf8.h"
#include "valid.h"

extern const struct route routes_admin[];

#define PER_PAGE	30

/* The role filter of the query: a role code, or "" for every role. */
static const char *
role_filter(struct request *req)
{
	const char *r = params_get(&req->query, "role");

	return r != NULL && role_bit(r) ? r : "";
}

static void
put_roles(struct request *req, struct tv *v, const char *role,
    const char *chosen)
{
	struct tv *list, *row, *roles;
	unsigned bit;

	/* The filter: every role, with the one shown marked; and the roles
	 * a new account may have. */
	list = tv_put_list(v, "filters");
	row = tv_push_map(list);
	tv_put_str(row, "href", "/admin/users");
	tv_put_str(row, "label", "全部");
	tv_put_bool(row, "current", *role == '\0');
	roles = tv_put_list(v, "roles");
	for (bit = ROLE_APPLICANT; bit <= ROLE_ADMIN; bit <<= 1) {
		row = tv_push_map(list);
		tv_put_str(row, "href", arena_printf(req->arena,
		    "/admin/users?role=%s", role_code(bit)));
		tv_put_str(row, "label", role_zh(role_code(bit)));
		tv_put_bool(row, "current", strcmp(role, role_code(bit)) == 0);
		if ((bit & ROLES_STAFF) == 0)
			continue;
		row = tv_push_map(roles);
		tv_put_str(row, "code", role_code(bit));
		tv_put_str(row, "label", role_zh(role_code(bit)));
		tv_put_bool(row, "selected", strcmp(chosen, role_code(bit)) ==
		    0);
	}
}

static int
render_users(struct request *req, struct response *resp, int status,
    struct tv *v, const char *chosen)
{
	const char *role = role_filter(req), *p, *zh;
	struct dom *d = page_ctx(req);
	struct account_row *a;
	struct tv *list, *row;
	long long page, total;
	enum dom_rc rc;
	size_t i, n;

	if ((p = params_get(&req->query, "page")) == NULL ||
	    valid_int(p, 1, 1000000, &page) != 0)
		page = 1;
	put_roles(req, v, role, chosen);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	if ((rc = account_list(d, role, (page - 1) * PER_PAGE, PER_PAGE, &a,
	    &n, &total)) != DOM_OK)
		return page_status(resp, d, rc);
	list = tv_put_list(v, "accounts");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "uid", a[i].id);
		tv_put_str(row, "email", a[i].email);
		tv_put_str(row, "uname", a[i].name);
		zh = role_zh(a[i].role);
		tv_put_str(row, "role_zh", zh ? zh : a[i].role);
		tv_put_str(row, "org", a[i].org);
		tv_put_bool(row, "disabled", a[i].disabled);
		tv_put_str(row, "created", page_time(req->arena,
		    a[i].created_at));
		tv_put_bool(row, "self", a[i].id == req->user->id);
		tv_put_bool(row, "totp", a[i].totp);
	}
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
	else if (p != NULL && strcmp(p, "totp") == 0)
		tv_put_str(v, "done", "两步验证已重置：该账号已退出登录，下次登录"
		    "时需要重新设置两步验证（本系统要求时）。");
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
	struct dom *d = page_ctx(req);
	enum dom_rc rc;
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
	if ((role_bit(role) & ROLES_STAFF) == 0)
		form_error(&f, "role", "请选择账号的角色。申请单位的账号由申请单位"
		    "自行注册。");
	if (!valid_email(email))
		form_error(&f, "email", "请填写有效的电子邮箱，例如 "
		    "name@example.com。");
	if (!valid_text(name, 1, 50, 0))
		form_error(&f, "name", "请填写姓名（不超过 50 个字）。");
	n = utf8_chars(pw);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		form_error(&f, "password", arena_printf(req->arena, "初始密码长度"
		    "须为 %d 到 %d 个字符。", PASSWORD_MIN, PASSWORD_MAX));
	else if (strcmp(pw, pw2) != 0)
		form_error(&f, "password2", "两次输入的密码不一致，请重新输入。");
	if (f.nerrors > 0)
		return render_users(req, resp, 400, v, role);
	rc = account_add_staff(d, email, name, role, pw, &id);
	if (rc == DOM_FAILED || rc == DOM_FORBIDDEN)
		return page_status(resp, d, rc);
	if (rc != DOM_OK) {
		form_error(&f, d->field ? d->field : "email", d->msg);
		return render_users(req, resp, 400, v, role);
	}
	response_redirect(resp, "/admin/users?done=created");
	return 0;
}

/* Disables (on 1) or enables (on 0) the account named in the path. */
static int
set_disabled(struct request *req, struct response *resp, int on)
{
	struct dom *d = page_ctx(req);
	enum dom_rc rc;
	long long id;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	if ((rc = account_set_disabled(d, id, on)) != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, on ? "/admin/users?done=disabled" :
	    "/admin/users?done=enabled");
	return 0;
}

/* Resets the second factor of the account named in the path. */
static int
user_totp_reset(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	enum dom_rc rc;
	long long id;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	if ((rc = totp_reset(d, id)) != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, "/admin/users?done=totp");
	return 0;
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
	{ METHOD_POST,	"/admin/users/{n}/2fa-reset", user_totp_reset, ROLE_ADMIN, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
