/*
 * pages_reset.c: password reset by an e-mailed single-use token
 * (reset.h).
 *
 * /password/forgot takes an e-mail address and always gives the same
 * answer; when an active account has it, a link with a token goes out by
 * e-mail. /password/reset?token=... shows a form for the new password
 * while the token is usable; the POST spends the token, sets the
 * password and ends every session of the account.
 */
#include <string.h>

#include "account.h"
#include "app.h"
#include "auth.h"
#include "page.h"
#include "password.h"
#include "reset.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_reset[];

/* "http(s)://host" for links: --public-url, else the request's Host when
 * it looks like a host name. */
static const char *
base_url(struct request *req)
{
	const char *h = req->host, *p;

	if (req->app->cfg.public_url != NULL)
		return req->app->cfg.public_url;
	if (h == NULL || *h == '\0' || strlen(h) > 255)
		h = "localhost";
	for (p = h; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-:[]", *p) != NULL)) {
			h = "localhost";
			break;
		}
	return arena_printf(req->arena, "%s://%s", req->https ? "https" :
	    "http", h);
}

static int
page_forgot(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "忘记密码");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "email", "");
	if (params_get(&req->query, "sent") != NULL)
		tv_put_bool(v, "sent", 1);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	return page_render(req, resp, 200, "reset_forgot", v);
}

static int
page_forgot_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "忘记密码");
	struct dom *d = page_ctx(req);
	const char *email;
	enum dom_rc rc;
	struct form f;

	form_init(&f, req, v);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	email = form_keep(&f, "email");
	if (!valid_email(email)) {
		form_error(&f, "email", "请填写注册时使用的电子邮箱，例如 "
		    "name@example.com。");
		return page_render(req, resp, 400, "reset_forgot", v);
	}
	rc = reset_request(d, email, req->remote_addr, base_url(req));
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	/* The same answer whether or not the account exists. */
	response_redirect(resp, "/password/forgot?sent=1");
	return 0;
}

static int
reset_invalid(struct request *req, struct response *resp, struct tv *v)
{
	tv_put_bool(v, "invalid", 1);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	return page_render(req, resp, 400, "reset_password", v);
}

/* Fills the form for token: 1 when it is usable, 0 when not, -1 on a
 * database error. */
static int
reset_form(struct dom *d, struct tv *v, const char *token)
{
	const char *email;

	switch (reset_check(d, token, &email)) {
	case DOM_OK:
		break;
	case DOM_NOT_FOUND:
		return 0;
	default:
		return -1;
	}
	tv_put_str(v, "token", token);
	tv_put_str(v, "email", email);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	return 1;
}

static int
page_reset(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "设置新密码");
	struct form f;

	form_init(&f, req, v);
	switch (reset_form(page_ctx(req), v, params_get(&req->query,
	    "token"))) {
	case 1:
		return page_render(req, resp, 200, "reset_password", v);
	case 0:
		return reset_invalid(req, resp, v);
	default:
		return 500;
	}
}

static int
page_reset_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "设置新密码");
	struct dom *d = page_ctx(req);
	const char *token = params_get(&req->form, "token");
	const char *pw = params_get(&req->form, "password");
	const char *pw2 = params_get(&req->form, "password2");
	const char *email;
	struct form f;
	int usable;

	form_init(&f, req, v);
	if ((usable = reset_form(d, v, token)) <= 0)
		return usable == 0 ? reset_invalid(req, resp, v) : 500;
	if (account_new_password(d, pw ? pw : "", pw2 ? pw2 : "") != DOM_OK) {
		form_error(&f, d->field, d->msg);
		return page_render(req, resp, 400, "reset_password", v);
	}
	switch (reset_use(d, token, pw, &email)) {
	case DOM_OK:
		break;
	case DOM_NOT_FOUND:
		return reset_invalid(req, resp, v);
	case DOM_INVALID:
		form_error(&f, d->field, d->msg);
		return page_render(req, resp, 400, "reset_password", v);
	default:
		return 500;
	}
	/* Whoever was logged in in this browser is logged out too. */
	auth_logout(req, resp);
	response_redirect(resp, "/login?reset=1");
	return 0;
}

const struct route routes_reset[] = {
	/* method	pattern			handler		roles	csrf */
	/* No session yet, so no token; the same-origin check applies. */
	{ METHOD_GET,	"/password/forgot",	page_forgot,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/password/forgot",	page_forgot_post, ROLES_ALL, 0 },
	{ METHOD_GET,	"/password/reset",	page_reset,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/password/reset",	page_reset_post, ROLES_ALL, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
