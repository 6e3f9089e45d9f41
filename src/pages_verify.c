/*
 * pages_verify.c: the public pages of 发证 (domain.md §5.5): the list of
 * certified organisations (/certified) and the verification page
 * (/verify, /verify/{no}), each certificate with its state as of today.
 * docs/certificates.md describes how sanctions show here.
 */
#include <limits.h>
#include <string.h>

#include "certno.h"
#include "page.h"
#include "pages_verify.h"
#include "pdf.h"
#include "router.h"
#include "sanction.h"
#include "util.h"
#include "valid.h"

/* The public register's pages, at most. */
#define CERTIFIED_PAGES_MAX	1000000

/* "http(s)://host" of the request. */
static const char *
request_base(struct request *req)
{
	const char *h = req->host, *p;

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

void
cert_page_dom(struct request *req, struct dom *d)
{
	page_dom(req, d);
	if (d->public_url == NULL || *d->public_url == '\0')
		d->public_url = request_base(req);
}

long long
cert_arg(const struct request *req, size_t i)
{
	long long id;

	if (i >= req->nargs || valid_int(req->args[i], 1, LLONG_MAX, &id) != 0)
		return 0;
	return id;
}

/* The state of c into view v. */
static void
put_state(struct tv *v, const struct certificate *c)
{
	tv_put_str(v, "state", cert_state_code(c->state));
	tv_put_str(v, "state_zh", cert_state_zh(c->state));
	tv_put_bool(v, "state_valid", c->state == CERT_VALID);
	if (c->state == CERT_RECTIFICATION && *c->rect_deadline != '\0') {
		tv_put_str(v, "rect_deadline", c->rect_deadline);
		tv_put_bool(v, "rect_overdue", c->rect_overdue);
	}
	tv_put_bool(v, "maint_pending", c->maint_pending);
	tv_put_str(v, "successor", c->successor);
}

void
cert_put(struct dom *d, struct tv *v, const struct certificate *c)
{
	struct tv *t = tv_put_map(v, "cert");

	tv_put_int(t, "cid", c->id);
	tv_put_int(t, "case_id", c->case_id);
	tv_put_str(t, "no", c->no);
	tv_put_str(t, "org_name", c->org_name);
	tv_put_str(t, "uscc", c->uscc);
	tv_put_str(t, "category", PDF_CATEGORY_DEFAULT);
	tv_put_str(t, "level", PDF_LEVEL_DEFAULT);
	tv_put_str(t, "issued_on", c->issued_on);
	tv_put_str(t, "expires_on", c->expires_on);
	tv_put_bool(t, "past_expiry", strcmp(c->expires_on, d->today_s) < 0);
	tv_put_bool(t, "imported", c->imported);
	put_state(t, c);
	tv_put_str(v, "today", page_date_zh(d->arena, d->today_s));
}

/* The day (Beijing) of a stored timestamp. */
static const char *
day_of(struct dom *d, const char *stamp)
{
	const char *t = page_time(d->arena, stamp);

	return arena_strndup(d->arena, t, strlen(t) >= 10 ? 10 : strlen(t));
}

int
cert_put_sanctions(struct dom *d, struct tv *v, long long cid,
    int with_reason)
{
	struct tv *list = tv_put_list(v, "sanctions"), *row;
	struct sanction *s;
	size_t n, i;

	if (sanction_list(d, cid, &s, &n) != DOM_OK)
		return 500;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "sid", s[i].id);
		tv_put_str(row, "kind", sanction_kind_code(s[i].kind));
		tv_put_str(row, "kind_zh", sanction_kind_zh(s[i].kind));
		tv_put_str(row, "deadline", s[i].deadline);
		tv_put_str(row, "day", day_of(d, s[i].at));
		tv_put_bool(row, "lifted", s[i].lifted);
		tv_put_str(row, "lifted_day", day_of(d, s[i].lifted_at));
		if (with_reason) {
			tv_put_str(row, "reason", s[i].reason);
			tv_put_str(row, "by", s[i].by);
			tv_put_str(row, "at", page_time(d->arena, s[i].at));
			tv_put_str(row, "lifted_at", page_time(d->arena,
			    s[i].lifted_at));
			tv_put_str(row, "lifted_by", s[i].lifted_by);
			tv_put_bool(row, "can_lift", s[i].may_lift);
		}
		if (s[i].kind == SANCTION_WARNING)
			tv_put_bool(v, "warned", 1);
	}
	tv_put_bool(v, "has_sanctions", n > 0);
	return 0;
}

static int
is_staff(const struct dom *d)
{
	return (d->actor->role_bit & ROLES_STAFF) != 0;
}

static int
page_certified(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "获证单位名录"), *list, *row;
	const char *p = params_get(&req->query, "page");
	struct certificate *certs;
	long long page = 1, total;
	struct dom d;
	size_t n, i;
	int rc;

	/* A page number that is not one: the first page, as before. */
	if (p == NULL || valid_int(p, 1, CERTIFIED_PAGES_MAX, &page) != 0)
		page = 1;
	page_dom(req, &d);
	if ((rc = page_status(resp, &d, certificate_register(&d, page, &certs,
	    &n, &total))) != 0)
		return rc;
	list = tv_put_list(v, "certs");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "cid", certs[i].id);
		tv_put_str(row, "no", certs[i].no);
		tv_put_str(row, "org_name", certs[i].org_name);
		tv_put_str(row, "issued_on", certs[i].issued_on);
		tv_put_str(row, "expires_on", certs[i].expires_on);
		put_state(row, &certs[i]);
		tv_put_bool(row, "warned", certs[i].warned);
	}
	tv_put_bool(v, "has_certs", total > 0);
	tv_put_int(v, "total", total);
	tv_put_str(v, "today", page_date_zh(req->arena, d.today_s));
	tv_put_bool(v, "is_staff", is_staff(&d));
	page_pager(req, v, "/certified", page, total, CERTIFIED_PER_PAGE);
	return page_render(req, resp, 200, "cert_list", v);
}

/* The verification page for what was typed (q, NULL: the empty form). */
static int
verify(struct request *req, struct response *resp, const char *q)
{
	struct tv *v = page_view(req, "证书查验");
	char no[CERTNO_MAX];
	struct certificate c;
	struct form f;
	struct dom d;
	enum dom_rc drc;
	int rc;

	form_init(&f, req, v);
	form_value(&f, "no", q);
	if (q == NULL)
		return page_render(req, resp, 200, "cert_verify", v);
	switch (certno_clean(q, no, sizeof(no))) {
	case 1:
		form_error(&f, "no", "请输入证书编号，例如 CNITSEC2026SE2-0001"
		    "（见证书正面“证书编号”一栏）。");
		return page_render(req, resp, 400, "cert_verify", v);
	case -1:
		form_error(&f, "no", "证书编号的格式不对：应为 CNITSEC、四位年份、"
		    "SE2-、四位以上序号，例如 CNITSEC2026SE2-0001。请核对证书上"
		    "的编号后重新输入。");
		return page_render(req, resp, 400, "cert_verify", v);
	default:
		break;
	}
	form_value(&f, "no", no);
	cert_page_dom(req, &d);
	if ((drc = certificate_verify(&d, no, &c)) == DOM_NOT_FOUND) {
		tv_put_str(v, "unknown", no);
		return page_render(req, resp, 404, "cert_verify", v);
	}
	if ((rc = page_status(resp, &d, drc)) != 0)
		return rc;
	cert_put(&d, v, &c);
	if ((rc = cert_put_sanctions(&d, v, c.id, 0)) != 0)
		return rc;
	tv_put_bool(v, "can_pdf", c.may_download);
	tv_put_bool(v, "is_staff", is_staff(&d));
	tv_put_str(v, "verify_url", c.verify_url);
	return page_render(req, resp, 200, "cert_verify", v);
}

static int
page_verify(struct request *req, struct response *resp)
{
	return verify(req, resp, params_get(&req->query, "no"));
}

static int
page_verify_direct(struct request *req, struct response *resp)
{
	return verify(req, resp, req->nargs > 0 ? req->args[0] : "");
}

const struct route routes_verify[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/certified",		page_certified,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/verify",		page_verify,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/verify/{s}",		page_verify_direct, ROLES_ALL, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
