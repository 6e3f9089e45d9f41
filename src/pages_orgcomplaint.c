/*
 * pages_orgcomplaint.c: complaints as the guide puts them (§7;
 * orgcomplaint.h). The organisation's register in its portal
 * (/complaint-register): the list, a new entry, the handling of one, and
 * the supervisors' requests to inspect it. The supervisors' side
 * (/complaints/registers): the organisations, a request to inspect one,
 * and its register, read only. The centre's own log is pages_complaint.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "orgcomplaint.h"
#include "page.h"
#include "router.h"
#include "util.h"
#include "valid.h"

extern const struct route routes_orgcomplaint[];

/* Route argument i as an id; 0 when it is not one. */
static long long
arg_id(struct request *req, size_t i)
{
	long long id;

	if (i >= req->nargs || valid_int(req->args[i], 1, LLONG_MAX, &id))
		return 0;
	return id;
}

static long long
page_of(struct request *req)
{
	long long page;

	if (valid_int(params_get(&req->query, "page"), 1, 1000000, &page))
		page = 1;
	return page;
}

/* The register r into v; open: the entry whose handling form failed. */
static void
put_register(struct request *req, struct tv *v, const struct orgc_register *r,
    long long failed)
{
	struct tv *list, *m;
	size_t i;

	tv_put_int(v, "org_id", r->org_id);
	tv_put_str(v, "org_name", r->org_name);
	tv_put_int(v, "total", r->total);
	tv_put_int(v, "open", r->open);
	tv_put_bool(v, "may_write", r->may_write);
	list = tv_put_list(v, "entries");
	for (i = 0; i < r->n; i++) {
		m = tv_push_map(list);
		tv_put_int(m, "eid", r->rows[i].id);
		tv_put_str(m, "received_on", r->rows[i].received_on);
		tv_put_str(m, "complainant", r->rows[i].complainant);
		tv_put_str(m, "text", r->rows[i].text);
		tv_put_str(m, "recorded_by", r->rows[i].recorded_by);
		tv_put_bool(m, "handled", r->rows[i].handled);
		tv_put_str(m, "handled_on", r->rows[i].handled_on);
		tv_put_str(m, "handling", r->rows[i].handling);
		tv_put_str(m, "measures", r->rows[i].measures);
		tv_put_str(m, "handled_by", r->rows[i].handled_by);
		tv_put_bool(m, "can_handle", r->may_write &&
		    !r->rows[i].handled);
		tv_put_bool(m, "retry", failed == r->rows[i].id);
	}
	tv_put_bool(v, "has_entries", r->total > 0);
	list = tv_put_list(v, "inspections");
	for (i = 0; i < r->ninspections; i++) {
		m = tv_push_map(list);
		tv_put_str(m, "reason", r->inspections[i].reason);
		tv_put_str(m, "by", r->inspections[i].by);
		tv_put_str(m, "at", page_time(req->arena, r->inspections[i].at));
	}
	tv_put_bool(v, "has_inspections", r->ninspections > 0);
}

/* The register page of org_id (0: the applicant's own), with status. */
static int
render(struct request *req, struct response *resp, int status, struct tv *v,
    long long org_id, long long failed)
{
	struct dom *d = page_ctx(req);
	struct orgc_register r;
	enum dom_rc rc;
	long long page = page_of(req);

	rc = orgc_read(d, org_id, page, &r);
	if (rc == DOM_CONFLICT) {
		/* A supervisor before asking: the request form. */
		tv_put_int(v, "org_id", org_id);
		tv_put_str(v, "org_name", r.org_name);
		tv_put_str(v, "not_yet", d->msg);
		return page_render(req, resp, status, "org_register", v);
	}
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	put_register(req, v, &r, failed);
	tv_put_str(v, "today", d->today_s);
	page_pager(req, v, org_id ? arena_printf(req->arena,
	    "/complaints/registers/%lld", org_id) : "/complaint-register", page,
	    r.total, ORGC_PER_PAGE);
	tv_put_bool(v, "saved", status == 200 && params_get(&req->query,
	    "ok") != NULL);
	return page_render(req, resp, status, "org_register", v);
}

static int
register_page(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "投诉记录");
	struct form f;

	form_init(&f, req, v);
	return render(req, resp, 200, v, 0, 0);
}

/* After a step: redirect, or the page again with every problem. */
static int
after(struct request *req, struct response *resp, enum dom_rc rc,
    struct form *f, const struct problem *p, size_t n, long long failed)
{
	struct dom *d = page_ctx(req);
	size_t i;

	if (rc == DOM_OK) {
		response_redirect(resp, "/complaint-register?ok=1");
		return 0;
	}
	if (rc != DOM_INVALID)
		return page_status(resp, d, rc);
	for (i = 0; i < n; i++)
		form_error(f, p[i].field, p[i].msg);
	return render(req, resp, 400, f->view, 0, failed);
}

static int
register_add(struct request *req, struct response *resp)
{
	struct problem p[ORGC_PROBLEMS];
	struct orgc_input in;
	struct form f;
	size_t n = 0;

	form_init(&f, req, page_view(req, "投诉记录"));
	in.received_on = form_keep(&f, "received_on");
	in.complainant = form_keep(&f, "complainant");
	in.text = form_keep(&f, "text");
	return after(req, resp, orgc_add(page_ctx(req), &in, p, &n, NULL), &f,
	    p, n, 0);
}

static int
register_handle(struct request *req, struct response *resp)
{
	struct problem p[ORGC_PROBLEMS];
	struct orgc_handling in;
	long long id = arg_id(req, 0);
	struct form f;
	size_t n = 0;

	if (id == 0)
		return 404;
	form_init(&f, req, page_view(req, "投诉记录"));
	in.handled_on = form_keep(&f, "handled_on");
	in.handling = form_keep(&f, "handling");
	in.measures = form_keep(&f, "measures");
	return after(req, resp, orgc_handle(page_ctx(req), id, &in, p, &n), &f,
	    p, n, id);
}

/* The supervisors: the organisations and the request form. */
static int
registers_render(struct request *req, struct response *resp, int status,
    struct tv *v)
{
	struct dom *d = page_ctx(req);
	const char *chosen = req->method == METHOD_POST ?
	    params_get(&req->form, "org_id") : NULL;
	struct orgc_org *o;
	struct tv *list, *m;
	enum dom_rc rc;
	char id[32];
	size_t n, i;

	if ((rc = orgc_orgs(d, &o, &n)) != DOM_OK)
		return page_status(resp, d, rc);
	list = tv_put_list(v, "orgs");
	for (i = 0; i < n; i++) {
		m = tv_push_map(list);
		snprintf(id, sizeof(id), "%lld", o[i].id);
		tv_put_str(m, "oid", id);
		tv_put_str(m, "oname", o[i].name);
		tv_put_bool(m, "inspected", o[i].inspected);
		tv_put_bool(m, "selected", chosen != NULL &&
		    strcmp(chosen, id) == 0);
	}
	tv_put_bool(v, "has_orgs", n > 0);
	return page_render(req, resp, status, "org_registers", v);
}

static int
registers_page(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "申请单位投诉记录");
	struct form f;

	form_init(&f, req, v);
	return registers_render(req, resp, 200, v);
}

static int
registers_inspect(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "申请单位投诉记录");
	long long org_id;
	struct form f;
	enum dom_rc rc;

	form_init(&f, req, v);
	/* Not a number: no organisation, which the domain says. */
	if (valid_int(form_keep(&f, "org_id"), 1, LLONG_MAX, &org_id) != 0)
		org_id = 0;
	rc = orgc_inspect(d, org_id, form_keep(&f, "reason"), NULL);
	if (rc == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/complaints/registers/%lld", org_id));
		return 0;
	}
	if (rc == DOM_NOT_FOUND && org_id == 0) {
		form_error(&f, "org_id", "请选择要查阅的申请单位。");
		return registers_render(req, resp, 400, v);
	}
	if (rc != DOM_INVALID)
		return page_status(resp, d, rc);
	form_error(&f, d->field != NULL ? d->field : "reason", d->msg);
	return registers_render(req, resp, 400, v);
}

static int
registers_read(struct request *req, struct response *resp)
{
	long long id = arg_id(req, 0);
	struct tv *v;
	struct form f;

	if (id == 0)
		return 404;
	v = page_view(req, "申请单位投诉记录");
	form_init(&f, req, v);
	return render(req, resp, 200, v, id, 0);
}

const struct route routes_orgcomplaint[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/complaint-register",	register_page,	ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/complaint-register",	register_add,	ROLE_APPLICANT, 1 },
	{ METHOD_POST,	"/complaint-register/{n}/handle", register_handle,
	    ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/complaints/registers", registers_page,
	    ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/complaints/registers", registers_inspect,
	    ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/complaints/registers/{n}", registers_read,
	    ROLE_SUPERVISOR, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
