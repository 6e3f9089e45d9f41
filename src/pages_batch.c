/*
 * pages_batch.c: 发证 in batches (domain.md §5.5): /batches, where
 * certificate staff put cases that passed expert review into a batch,
 * and /batches/{n}, where another member of the staff approves it, which
 * issues every certificate of the batch (batch.c, certificate.c).
 * docs/certificates.md describes the batch procedure.
 */
#include <limits.h>
#include <string.h>

#include "batch.h"
#include "page.h"
#include "pages_verify.h"
#include "router.h"
#include "util.h"
#include "valid.h"

static int
put_pending(struct dom *d, struct tv *v)
{
	struct tv *list = tv_put_list(v, "pending"), *row;
	struct batch_pending *p;
	size_t n, i;

	if (batch_pending(d, &p, &n) != DOM_OK)
		return -1;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "case_id", p[i].case_id);
		tv_put_str(row, "case_no", p[i].case_no);
		tv_put_str(row, "org_name", p[i].org_name);
		tv_put_str(row, "since", p[i].since);
	}
	tv_put_bool(v, "has_pending", n > 0);
	return 0;
}

static int
put_batches(struct dom *d, struct tv *v)
{
	struct batch_row *b;
	struct tv *list, *row;
	size_t n, i;
	int approved;

	for (approved = 0; approved <= 1; approved++) {
		if (batch_list(d, approved, &b, &n) != DOM_OK)
			return -1;
		list = tv_put_list(v, approved ? "done" : "open");
		for (i = 0; i < n; i++) {
			row = tv_push_map(list);
			tv_put_int(row, "bid", b[i].id);
			tv_put_bool(row, "mine", b[i].mine);
			tv_put_str(row, "creator", b[i].creator);
			tv_put_str(row, "created_at", page_time(d->arena,
			    b[i].created_at));
			tv_put_str(row, "approver", b[i].approver);
			tv_put_str(row, "approved_at", page_time(d->arena,
			    b[i].approved_at));
			tv_put_int(row, "ncases", b[i].ncases);
			tv_put_int(row, "ncerts", b[i].ncerts);
		}
		tv_put_bool(v, approved ? "has_done" : "has_open", n > 0);
	}
	return 0;
}

static int
render_batches(struct request *req, struct response *resp, int status,
    struct dom *d, struct tv *v)
{
	if (put_pending(d, v) != 0 || put_batches(d, v) != 0)
		return page_status(resp, d, DOM_FAILED);
	return page_render(req, resp, status, "cert_batches", v);
}

static int
page_batches(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "制证批次");
	struct form f;
	struct dom d;

	page_dom(req, &d);
	form_init(&f, req, v);
	return render_batches(req, resp, 200, &d, v);
}

static int
page_batch_new(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "制证批次");
	size_t n = params_count(&req->form, "case"), i;
	long long *ids, bid;
	struct form f;
	struct dom d;
	enum dom_rc rc;

	page_dom(req, &d);
	form_init(&f, req, v);
	ids = arena_alloc(req->arena, (n + 1) * sizeof(*ids));
	for (i = 0; i < n && n <= BATCH_MAX_CASES; i++)
		if (valid_int(params_nth(&req->form, "case", i), 1, LLONG_MAX,
		    &ids[i]) != 0)
			return 400;
	rc = batch_create(&d, ids, n, &bid);
	if (rc == DOM_INVALID) {
		form_error(&f, d.field, d.msg);
		return render_batches(req, resp, 400, &d, v);
	}
	if (rc != DOM_OK)
		return page_status(resp, &d, rc);
	response_redirect(resp, arena_printf(req->arena,
	    "/batches/%lld?created=1", bid));
	return 0;
}

static int
page_batch(struct request *req, struct response *resp)
{
	struct tv *v, *list, *row;
	struct batch b;
	struct dom d;
	size_t i;
	int rc;

	page_dom(req, &d);
	if ((rc = page_status(resp, &d, batch_get(&d, cert_arg(req, 0), &b))) !=
	    0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "制证批次 #%lld", b.id));
	tv_put_int(v, "bid", b.id);
	tv_put_str(v, "creator", b.creator);
	tv_put_str(v, "created_at", page_time(req->arena, b.created_at));
	tv_put_bool(v, "approved", b.approved_by != 0);
	tv_put_str(v, "approver", b.approver);
	tv_put_str(v, "approved_at", page_time(req->arena, b.approved_at));
	tv_put_bool(v, "mine", b.mine);
	tv_put_bool(v, "can_approve", b.may_approve);
	tv_put_bool(v, "created_now", params_get(&req->query, "created") !=
	    NULL);
	tv_put_bool(v, "approved_now", params_get(&req->query, "approved") !=
	    NULL);
	list = tv_put_list(v, "cases");
	for (i = 0; i < b.ncases; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "case_id", b.cases[i].case_id);
		tv_put_str(row, "case_no", b.cases[i].case_no);
		tv_put_str(row, "org_name", b.cases[i].org_name);
		tv_put_str(row, "status_zh", status_zh(b.cases[i].st));
		tv_put_bool(row, "pending", b.cases[i].st ==
		    ST_CERTIFICATE_PENDING);
		if (b.cases[i].cert_id != 0) {
			tv_put_int(row, "cert_id", b.cases[i].cert_id);
			tv_put_str(row, "cert_no", b.cases[i].cert_no);
		}
	}
	return page_render(req, resp, 200, "cert_batch", v);
}

static int
page_batch_approve(struct request *req, struct response *resp)
{
	long long bid = cert_arg(req, 0);
	struct dom d;
	int rc;

	/* 批准发证 issues the certificates, which cannot be taken back: it
	 * asks first, on a page of its own. */
	if (!page_confirmed(req))
		return page_confirm(req, resp, "确认批准发证", "批准后，本批次"
		    "中的每个案件都将获得证书编号，系统随即发证：生成证书、发出"
		    "发证通知书并在获证单位名录中公布。", NULL, NULL,
		    "确认批准并发证", arena_printf(req->arena,
		    "/batches/%lld/approve", bid), arena_printf(req->arena,
		    "/batches/%lld", bid), NULL);
	/* The notices carry the public addresses. */
	cert_page_dom(req, &d);
	if ((rc = page_status(resp, &d, batch_approve(&d, bid))) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/batches/%lld?approved=1", bid));
	return 0;
}

const struct route routes_batch[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/batches",		page_batches,	ROLE_CERT_STAFF, 0 },
	{ METHOD_POST,	"/batches",		page_batch_new,	ROLE_CERT_STAFF, 1 },
	{ METHOD_GET,	"/batches/{n}",		page_batch,	ROLE_CERT_STAFF, 0 },
	{ METHOD_POST,	"/batches/{n}/approve",	page_batch_approve,
	    ROLE_CERT_STAFF, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
