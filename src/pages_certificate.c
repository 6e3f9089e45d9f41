/*
 * pages_certificate.c: a certificate for the staff (domain.md §5.5, §6):
 * /certificates/{n} with its sanctions (处置), which supervisors impose
 * and lift, /certificates/{n}/pdf, the certificate itself for its
 * holder and the staff, and /certificates/unlinked, where a certificate
 * officer links a certificate imported from before the system to the
 * organisation whose 申请书 carries its credit code.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "page.h"
#include "pages_verify.h"
#include "pdf.h"
#include "router.h"
#include "sanction.h"
#include "util.h"
#include "valid.h"

/* The staff page of certificate c, with the sanction form (kind: the
 * kind selected in it). */
static int
render_certificate(struct request *req, struct response *resp, int status,
    struct dom *d, struct tv *v, const struct certificate *c,
    const char *kind)
{
	int sup = d->actor->role_bit == ROLE_SUPERVISOR;
	int revoked = c->state == CERT_REVOKED;
	struct tv *list = tv_put_list(v, "kinds"), *row;
	int k, rc;

	for (k = 0; k < SANCTION__COUNT; k++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", sanction_kind_code(k));
		tv_put_str(row, "zh", sanction_kind_zh(k));
		tv_put_bool(row, "selected", strcmp(sanction_kind_code(k),
		    kind) == 0);
	}
	cert_put(d, v, c);
	tv_put_int(v, "batch_id", c->batch_id);
	tv_put_bool(v, "linked_now", params_get(&req->query, "linked") !=
	    NULL);
	tv_put_str(v, "imported_at", page_time(req->arena, c->imported_at));
	tv_put_str(v, "imported_status", c->imported_status);
	tv_put_str(v, "holder", c->holder);
	tv_put_str(v, "linked_by", c->linked_by);
	tv_put_str(v, "linked_at", page_time(req->arena, c->linked_at));
	tv_put_bool(v, "may_link", c->imported && c->org_id == 0 &&
	    (d->actor->role_bit == ROLE_CERT_STAFF ||
	    d->actor->role_bit == ROLE_ADMIN));
	tv_put_bool(v, "can_sanction", sup && !revoked);
	tv_put_bool(v, "is_supervisor", sup);
	tv_put_bool(v, "revoked", revoked);
	tv_put_bool(v, "done_now", params_get(&req->query, "done") != NULL);
	if ((rc = cert_put_sanctions(d, v, c->id, 1)) != 0)
		return rc;
	return page_render(req, resp, status, "cert_show", v);
}

/*
 * The certificate of the route for the staff page, its view with the
 * form: 0, or the status to answer with.
 */
static int
load_page(struct request *req, struct response *resp, struct dom *d,
    struct certificate *c, struct tv **v, struct form *f)
{
	int rc;

	page_dom(req, d);
	if ((rc = page_status(resp, d, certificate_get(d, cert_arg(req, 0),
	    c))) != 0)
		return rc;
	*v = page_view(req, arena_printf(req->arena, "证书 %s", c->no));
	form_init(f, req, *v);
	return 0;
}

static int
page_certificate(struct request *req, struct response *resp)
{
	struct certificate c;
	struct form f;
	struct dom d;
	struct tv *v;
	int rc;

	if ((rc = load_page(req, resp, &d, &c, &v, &f)) != 0)
		return rc;
	return render_certificate(req, resp, 200, &d, v, &c, "");
}

static int
page_sanction_new(struct request *req, struct response *resp)
{
	struct sanction_problem p[SANCTION_PROBLEMS_MAX];
	struct sanction_input in;
	struct certificate c;
	struct form f;
	struct dom d;
	struct tv *v;
	size_t n, i;
	enum dom_rc drc;
	int rc;

	if ((rc = load_page(req, resp, &d, &c, &v, &f)) != 0)
		return rc;
	in.kind = form_keep(&f, "kind");
	in.reason = form_keep(&f, "reason");
	in.deadline = form_keep(&f, "deadline");
	drc = sanction_impose(&d, c.id, &in, NULL);
	if (drc == DOM_INVALID) {
		/* Every problem next to its field, not just the first. */
		n = sanction_check(&in, d.today_s, p);
		for (i = 0; i < n; i++)
			form_error(&f, p[i].field, p[i].msg);
		if (n == 0)
			form_error(&f, d.field ? d.field : "reason", d.msg);
		return render_certificate(req, resp, 400, &d, v, &c, in.kind);
	}
	if ((rc = page_status(resp, &d, drc)) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/certificates/%lld?done=1", c.id));
	return 0;
}

static int
page_sanction_lift(struct request *req, struct response *resp)
{
	long long cid = cert_arg(req, 0);
	struct dom d;
	int rc;

	page_dom(req, &d);
	if ((rc = page_status(resp, &d, sanction_lift(&d, cid,
	    cert_arg(req, 1)))) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/certificates/%lld?done=1", cid));
	return 0;
}

static int
page_certificate_pdf(struct request *req, struct response *resp)
{
	struct certificate c;
	struct pdf_cert pc;
	struct dom d;
	char err[256];
	int rc;

	cert_page_dom(req, &d);
	if ((rc = page_status(resp, &d, certificate_download(&d,
	    cert_arg(req, 0), &c))) != 0)
		return rc;
	memset(&pc, 0, sizeof(pc));
	pc.org_name = c.org_name;
	pc.credit_code = c.uscc;
	pc.cert_no = c.no;
	pc.issue_date = c.issued_on;
	pc.expiry_date = c.expires_on;
	pc.verify_url = c.verify_url;
	buf_reset(&resp->body);
	resp->static_body = NULL;
	if (pdf_certificate(&pc, NULL, &resp->body, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: certificate %s: %s\n", c.no, err);
		resp->error_message = arena_printf(req->arena, "证书 PDF 生成失败："
		    "%s。请联系系统管理员。", err);
		return 500;
	}
	resp->status = 200;
	resp->content_type = "application/pdf";
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, arena_printf(req->arena,
	    "资质证书-%s.pdf", c.no)));
	return 0;
}

/* The unlinked imported certificates (page ?page=), with the link
 * forms; error: a refused link's message, or NULL. */
static int
render_unlinked(struct request *req, struct response *resp, int status,
    struct dom *d, const char *error)
{
	struct tv *v = page_view(req, "待关联的导入证书"), *list, *row, *cl, *cr;
	const char *p = params_get(&req->query, "page");
	struct certificate_unlinked *rows;
	long long page = 1, total;
	size_t n, i, k;
	int rc;

	if (p == NULL || valid_int(p, 1, 1000000, &page) != 0)
		page = 1;
	if (error != NULL)
		tv_put_str(v, "refusal", error);
	if ((rc = page_status(resp, d, certificate_unlinked(d, page, &rows,
	    &n, &total))) != 0)
		return rc;
	list = tv_put_list(v, "certs");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		cert_put(d, row, &rows[i].cert);
		tv_put_str(row, "imported_at", page_time(req->arena,
		    rows[i].cert.imported_at));
		tv_put_bool(row, "has_cand", rows[i].ncand > 0);
		cl = tv_put_list(row, "cand");
		for (k = 0; k < rows[i].ncand; k++) {
			cr = tv_push_map(cl);
			tv_put_int(cr, "org_id", rows[i].cand[k].org_id);
			tv_put_str(cr, "org_name", rows[i].cand[k].org_name);
			tv_put_str(cr, "form_name", rows[i].cand[k].form_name);
			tv_put_bool(cr, "same_name", strcmp(rows[i].cand[k].
			    form_name, rows[i].cert.org_name) == 0);
			tv_put_int(cr, "case_id", rows[i].cand[k].case_id);
			tv_put_str(cr, "case_no", rows[i].cand[k].case_no);
			tv_put_bool(cr, "from_submission",
			    rows[i].cand[k].submitted);
		}
	}
	tv_put_bool(v, "has_certs", total > 0);
	tv_put_int(v, "total", total);
	tv_put_str(v, "linked", params_get(&req->query, "linked"));
	page_pager(req, v, "/certificates/unlinked", page, total,
	    CERTIFIED_PER_PAGE);
	return page_render(req, resp, status, "cert_unlinked", v);
}

static int
page_unlinked(struct request *req, struct response *resp)
{
	struct dom d;

	page_dom(req, &d);
	return render_unlinked(req, resp, 200, &d, NULL);
}

static int
page_link(struct request *req, struct response *resp)
{
	const char *org = params_get(&req->form, "org_id");
	long long cid = cert_arg(req, 0), oid = 0;
	struct dom d;
	enum dom_rc drc;
	int rc;

	page_dom(req, &d);
	if (org == NULL || valid_int(org, 1, LLONG_MAX, &oid) != 0)
		oid = 0;
	drc = certificate_link(&d, cid, oid);
	if (drc == DOM_INVALID || drc == DOM_CONFLICT)
		return render_unlinked(req, resp, drc == DOM_INVALID ? 400 :
		    409, &d, d.msg);
	if ((rc = page_status(resp, &d, drc)) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/certificates/%lld?linked=1", cid));
	return 0;
}

const struct route routes_certificate[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/certificates/unlinked", page_unlinked,
	    ROLE_CERT_STAFF | ROLE_ADMIN, 0 },
	{ METHOD_POST,	"/certificates/{n}/link", page_link,
	    ROLE_CERT_STAFF | ROLE_ADMIN, 1 },
	{ METHOD_GET,	"/certificates/{n}",	page_certificate, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/certificates/{n}/sanctions", page_sanction_new,
	    ROLE_SUPERVISOR, 1 },
	{ METHOD_POST,	"/certificates/{n}/sanctions/{n}/lift",
	    page_sanction_lift, ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/certificates/{n}/pdf", page_certificate_pdf,
	    ROLES_USERS, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
