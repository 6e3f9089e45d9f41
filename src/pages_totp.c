/*
 * pages_totp.c: the second factor on the account page (/account/2fa,
 * totp.h): enrolment by QR code, the recovery codes shown once, turning
 * it off (applicants; staff only where the site does not require it).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "router.h"
#include "totp.h"

extern const struct route routes_totp[];

/* The page as it is now: the enrolment, or the status. */
static int
render(struct request *req, struct response *resp, struct tv *v,
    struct form *f, int status)
{
	struct dom *d = page_ctx(req);
	struct totp_view t;
	enum dom_rc rc;

	(void)f;
	if ((rc = totp_view(d, &t)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_bool(v, "must", req->must_enrol);
	tv_put_bool(v, "on", t.on);
	tv_put_int(v, "left", t.left);
	tv_put_bool(v, "may_disable", !(d->require_2fa &&
	    (req->user->role_bit & ROLES_STAFF)));
	if (!t.on) {
		tv_put_str(v, "secret", t.enrol.secret);
		tv_put_str(v, "qr", t.enrol.qr);
	}
	return page_render(req, resp, status, "totp", v);
}

static int
page_totp(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "两步验证");
	struct form f;

	form_init(&f, req, v);
	return render(req, resp, v, &f, 200);
}

static int
page_totp_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "两步验证"), *c, *list;
	const char *action = params_get(&req->form, "action");
	const char *code = params_get(&req->form, "code");
	struct dom *d = page_ctx(req);
	const char **codes;
	struct form f;
	enum dom_rc rc;
	size_t i;

	form_init(&f, req, v);
	if (code == NULL || *code == '\0') {
		form_error(&f, "code", "请输入验证码。");
		return render(req, resp, v, &f, 400);
	}
	if (action != NULL && strcmp(action, "disable") == 0) {
		rc = totp_disable(d, code);
		if (rc == DOM_INVALID) {
			form_error(&f, "code", d->msg);
			return render(req, resp, v, &f, 400);
		}
		if (rc != DOM_OK)
			return page_status(resp, d, rc);
		response_redirect(resp, "/account/2fa");
		return 0;
	}
	rc = totp_confirm(d, code, &codes);
	if (rc == DOM_INVALID) {
		form_error(&f, "code", d->msg);
		return render(req, resp, v, &f, 400);
	}
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	/* Enrolled: a session bound to enrol becomes a full one. */
	if (req->must_enrol && auth_login_stage(req, resp, req->user->id,
	    AUTH_FULL) != 0)
		return 500;
	c = tv_put_map(v, "codes");
	list = tv_put_list(c, "list");
	for (i = 0; codes[i] != NULL; i++)
		tv_push(list, tv_str(req->arena, codes[i]));
	return page_render(req, resp, 200, "totp", v);
}

const struct route routes_totp[] = {
	{ METHOD_GET,	"/account/2fa",	page_totp,	ROLES_USERS, 0 },
	{ METHOD_POST,	"/account/2fa",	page_totp_post,	ROLES_USERS, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
