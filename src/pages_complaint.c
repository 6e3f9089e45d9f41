/*
 * pages_complaint.c: complaints (投诉, §7; complaint.h), the supervisors'
 * log: the list with the form that records one against an organisation,
 * and the page of one, where its handling is recorded. Sanctions (§6)
 * live elsewhere.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "complaint.h"
#include "page.h"
#include "router.h"
#include "util.h"
#include "valid.h"

extern const struct route routes_complaint[];

#define PER_PAGE	20
#define SUMMARY_CHARS	60	/* of a complaint's text in the list */

/* The first SUMMARY_CHARS characters of s, with "…" when cut. */
static const char *
summary(struct arena *a, const char *s)
{
	size_t n = 0, i = 0;

	for (; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 &&
		    n++ == SUMMARY_CHARS)
			break;
	return s[i] == '\0' ? s : arena_printf(a, "%.*s…", (int)i, s);
}

static enum complaint_state
state_filter(struct request *req, const char **code)
{
	const char *s = params_get(&req->query, "state");

	*code = "all";
	if (s != NULL && strcmp(s, "open") == 0) {
		*code = "open";
		return COMPLAINT_OPEN;
	}
	if (s != NULL && strcmp(s, "handled") == 0) {
		*code = "handled";
		return COMPLAINT_HANDLED;
	}
	return COMPLAINT_ALL;
}

/* The certified organisations for the select, chosen (an id) selected. */
static enum dom_rc
put_orgs(struct request *req, struct dom *d, struct tv *v,
    const char *chosen)
{
	struct complaint_org *o;
	struct tv *list = tv_put_list(v, "orgs"), *row;
	enum dom_rc rc;
	char id[32];
	size_t n, i;

	if ((rc = complaint_orgs(d, &o, &n)) != DOM_OK)
		return rc;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		snprintf(id, sizeof(id), "%lld", o[i].id);
		tv_put_str(row, "oid", id);
		tv_put_str(row, "oname", o[i].name);
		tv_put_bool(row, "selected", strcmp(chosen, id) == 0);
	}
	return DOM_OK;
}

static int
render_complaints(struct request *req, struct response *resp, int status,
    struct tv *v, const char *org_id)
{
	struct dom *d = page_ctx(req);
	const char *state;
	enum complaint_state which = state_filter(req, &state);
	struct complaint *c;
	struct tv *list, *row;
	long long page, total;
	enum dom_rc rc;
	size_t n, i;

	if (valid_int(params_get(&req->query, "page"), 1, 1000000, &page))
		page = 1;
	if ((rc = put_orgs(req, d, v, org_id)) != DOM_OK ||
	    (rc = complaint_list(d, which, (page - 1) * PER_PAGE, PER_PAGE,
	    &c, &n, &total)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_str(v, "today", d->today_s);
	tv_put_str(v, "state", state);
	tv_put_bool(v, "state_all", which == COMPLAINT_ALL);
	tv_put_bool(v, "state_open", which == COMPLAINT_OPEN);
	tv_put_bool(v, "state_handled", which == COMPLAINT_HANDLED);
	tv_put_bool(v, "recorded", params_get(&req->query, "recorded") !=
	    NULL);
	list = tv_put_list(v, "complaints");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "cid", c[i].id);
		tv_put_str(row, "org_name", c[i].org_name);
		tv_put_str(row, "complainant", c[i].complainant);
		tv_put_str(row, "received_on", c[i].received_on);
		tv_put_bool(row, "handled", c[i].handled);
		tv_put_str(row, "summary", summary(req->arena, c[i].text));
	}
	tv_put_int(v, "total", total);
	tv_put_bool(v, "has_complaints", total > 0);
	page_pager(req, v, which == COMPLAINT_ALL ? "/complaints" :
	    arena_printf(req->arena, "/complaints?state=%s", state), page,
	    total, PER_PAGE);
	return page_render(req, resp, status, "supervise_complaints", v);
}

static int
complaints(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "投诉");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "received_on", page_today(req));
	return render_complaints(req, resp, 200, v, "");
}

static int
complaint_post(struct request *req, struct response *resp)
{
	struct problem p[COMPLAINT_PROBLEMS];
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "投诉");
	struct complaint_input in;
	const char *oid;
	struct form f;
	long long id;
	enum dom_rc rc;
	size_t i, n;

	form_init(&f, req, v);
	memset(&in, 0, sizeof(in));
	oid = form_keep(&f, "org_id");
	if (*oid != '\0' && valid_int(oid, 1, LLONG_MAX, &in.org_id) != 0)
		in.org_id = -1;		/* picked, but names none */
	in.org_name = form_keep(&f, "org_name");
	in.complainant = form_keep(&f, "complainant");
	in.text = form_keep(&f, "text");
	in.received_on = form_keep(&f, "received_on");
	if ((rc = complaint_record(d, &in, &id)) == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/complaints/%lld?recorded=1", id));
		return 0;
	}
	if (rc != DOM_INVALID ||
	    (rc = complaint_check(d, &in, p, &n)) != DOM_OK)
		return page_status(resp, d, rc);
	for (i = 0; i < n; i++)
		form_error(&f, p[i].field, p[i].msg);
	return render_complaints(req, resp, 400, v, oid);
}

static int
render_complaint(struct request *req, struct response *resp, int status,
    long long id, struct tv *v)
{
	struct dom *d = page_ctx(req);
	struct complaint c;
	enum dom_rc rc;

	if ((rc = complaint_get(d, id, &c)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "cid", c.id);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_bool(v, "certified", c.certified);
	tv_put_str(v, "complainant", c.complainant);
	tv_put_str(v, "text", c.text);
	tv_put_str(v, "received_on", c.received_on);
	tv_put_str(v, "recorded_by", c.recorded_by);
	tv_put_bool(v, "handled", c.handled);
	tv_put_str(v, "handling", c.handling);
	tv_put_str(v, "handled_by", c.handled_by);
	tv_put_str(v, "handled_at", page_time(req->arena, c.handled_at));
	tv_put_bool(v, "recorded", params_get(&req->query, "recorded") !=
	    NULL);
	tv_put_bool(v, "handled_now", params_get(&req->query, "handled") !=
	    NULL);
	return page_render(req, resp, status, "supervise_complaint", v);
}

/* The complaint a route names, and its page's view; 0 when none. */
static long long
complaint_arg(struct request *req, struct tv **v, struct form *f)
{
	long long id;

	if (req->nargs < 1 || valid_int(req->args[0], 1, LLONG_MAX, &id))
		return 0;
	*v = page_view(req, arena_printf(req->arena, "投诉 #%lld", id));
	form_init(f, req, *v);
	return id;
}

static int
complaint_show(struct request *req, struct response *resp)
{
	struct tv *v;
	struct form f;
	long long id;

	if ((id = complaint_arg(req, &v, &f)) == 0)
		return 404;
	form_value(&f, "handling", "");
	return render_complaint(req, resp, 200, id, v);
}

static int
complaint_handle_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct tv *v;
	struct form f;
	long long id;
	enum dom_rc rc;

	if ((id = complaint_arg(req, &v, &f)) == 0)
		return 404;
	rc = complaint_handle(d, id, form_keep(&f, "handling"));
	if (rc == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/complaints/%lld?handled=1", id));
		return 0;
	}
	if (rc != DOM_INVALID || d->field == NULL)
		return page_status(resp, d, rc);
	form_error(&f, d->field, d->msg);
	return render_complaint(req, resp, 400, id, v);
}

const struct route routes_complaint[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/complaints",		complaints,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/complaints",		complaint_post,	ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/complaints/{n}",	complaint_show,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/complaints/{n}/handle", complaint_handle_post, ROLE_SUPERVISOR, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
