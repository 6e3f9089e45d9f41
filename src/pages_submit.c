/*
 * pages_submit.c: "check your answers" (§4 逐项检查), the formal
 * submission (and a supplement's answer: a new round), and the notices.
 * submission.c does the check and the submission; notice_read.c reads
 * the notices.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "form_def.h"
#include "notice.h"
#include "money.h"
#include "page.h"
#include "pages.h"
#include "pages_paper.h"
#include "pdf.h"
#include "submission.h"
#include "valid.h"

/* A link to where a problem is fixed. */
static const char *
fix_link(struct arena *a, long long id, const struct fdef_problem *p)
{
	if (p->material != NULL)
		return page_material_href(a, id, p->material, p->row);
	if (p->field != NULL)
		return arena_printf(a, "/cases/%lld/form/%s#%s%s", id,
		    p->section, p->field, p->row == FDEF_NOROW ? "" :
		    arena_printf(a, "-%d", p->row));
	return arena_printf(a, "/cases/%lld/form/%s#%s", id, p->section,
	    p->group ? p->group : "");
}

static void
put_problems(struct request *req, struct tv *v, const struct case_ref *c,
    const struct fdef_report *rep)
{
	struct tv *secs, *sv, *probs, *pv;
	const struct fdef_section *sec;
	size_t i, k;

	secs = tv_put_list(v, "sections");
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		sv = tv_push_map(secs);
		tv_put_str(sv, "sid", sec->id);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		tv_put_str(sv, "state", fdef_state_code(rep->state[i]));
		tv_put_str(sv, "state_zh", fdef_state_zh(rep->state[i]));
		probs = tv_put_list(sv, "problems");
		for (k = 0; k < rep->n; k++) {
			if (strcmp(rep->v[k].section, sec->id) != 0)
				continue;
			pv = tv_push_map(probs);
			tv_put_str(pv, "text", rep->v[k].summary);
			tv_put_str(pv, "state", fdef_state_code(
			    rep->v[k].state));
			tv_put_str(pv, "href", fix_link(req->arena, c->id,
			    &rep->v[k]));
		}
	}
}

static int
render_check(struct request *req, struct response *resp, int status,
    const struct case_ref *c)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "逐项检查"), *fee;
	struct submission_report r;
	int rc;

	if ((rc = page_status(resp, d, submission_check(d, c, &r))) != 0)
		return rc;
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_bool(v, "complete", r.rep.n == 0);
	tv_put_int(v, "nproblems", (long long)r.rep.n);
	tv_put_bool(v, "supplement", r.supplement);
	tv_put_bool(v, "can_submit", r.can_submit);
	put_problems(req, v, c, &r.rep);

	/* The eligibility, with the applicant's figures. */
	pp_eligibility(req, v, &r.elig);

	/* The fee that will apply. */
	if (r.has_fee) {
		if (r.window_zh != NULL)
			tv_put_str(v, "window_zh", r.window_zh);
		fee = tv_put_map(v, "fee");
		tv_put_str(fee, "audit", money_yuan(req->arena, r.fee.audit));
		tv_put_str(fee, "annual", money_yuan(req->arena, r.fee.annual));
		tv_put_str(fee, "total", money_yuan(req->arena, r.fee.total));
		tv_put_str(fee, "basis", r.basis_zh);
		if (r.cert_no != NULL) {
			tv_put_str(fee, "cert_no", r.cert_no);
			tv_put_str(fee, "cert_expires", r.cert_expires);
			tv_put_str(fee, "on_time_until", r.on_time_until);
			tv_put_str(fee, "filed", r.filed);
		}
	}
	return page_render(req, resp, status, "check", v);
}

int
page_check(struct request *req, struct response *resp)
{
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_APPLICATION, &c)) != 0)
		return rc;
	return render_check(req, resp, 200, &c);
}

int
page_submit(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct submission_result out;
	struct case_ref c;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_APPLICATION, &c)) != 0)
		return rc;
	drc = submission_submit(d, c.id, params_get(&req->form, "confirm") !=
	    NULL, &out);
	/* Not complete: the check page again, with what is missing. */
	if (drc == DOM_CONFLICT && out.incomplete)
		return render_check(req, resp, 409, &c);
	if ((rc = page_status(resp, d, drc)) != 0)
		return rc;
	/* A supplement answered says so, not "申请已正式提交" again. */
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld?sent=%s", c.id, out.round > 1 ? "supplement" : "1"));
	return 0;
}

/* Notice args[1] of the case args[0], for its reader; opened by someone
 * of the organisation, it is served (notice_open). */
static int
load_notice(struct request *req, struct response *resp, struct case_ref *c,
    struct notice_row *n)
{
	struct dom *d = page_ctx(req);
	long long nid;
	int rc;

	if ((rc = page_load_case(req, 0, PART_NOTICES, c)) != 0)
		return rc;
	if (valid_int(req->args[1], 1, LLONG_MAX, &nid) != 0)
		return 404;
	return page_status(resp, d, notice_open(d, c, nid, n));
}

/*
 * The notice's text in pieces, each address in it (http:// or https://,
 * up to white space or a Chinese punctuation mark) a link: body.{text,
 * href}. The text stays escaped by the template; no raw output.
 */
static void
put_linked(struct request *req, struct tv *v, const char *body)
{
	struct tv *list = tv_put_list(v, "body_parts"), *e;
	const char *p = body, *u, *h1, *h2, *end;

	for (;;) {
		h1 = strstr(p, "http://");
		h2 = strstr(p, "https://");
		u = h1 == NULL ? h2 : h2 == NULL ? h1 : h1 < h2 ? h1 : h2;
		if (u == NULL)
			break;
		for (end = u; *end != '\0' && (unsigned char)*end > ' ' &&
		    (unsigned char)*end < 0x80 && *end != '"' && *end != '<' &&
		    *end != '>'; end++)
			continue;
		/* A full stop or comma that ends a sentence is not part of
		 * the address. */
		while (end > u && (end[-1] == '.' || end[-1] == ',' ||
		    end[-1] == ')' || end[-1] == ';'))
			end--;
		if (u > p) {
			e = tv_push_map(list);
			tv_put(e, "text", tv_strn(req->arena, p, (size_t)(u - p)));
		}
		e = tv_push_map(list);
		tv_put(e, "text", tv_strn(req->arena, u, (size_t)(end - u)));
		tv_put(e, "href", tv_strn(req->arena, u, (size_t)(end - u)));
		p = end;
	}
	if (*p != '\0') {
		e = tv_push_map(list);
		tv_put_str(e, "text", p);
	}
}

int
page_notice(struct request *req, struct response *resp)
{
	struct notice_row n;
	struct case_ref c;
	struct tv *v;
	int rc;

	if ((rc = load_notice(req, resp, &c, &n)) != 0)
		return rc;
	v = page_view(req, n.title);
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "no", n.no);
	tv_put_str(v, "ntitle", n.title);
	tv_put_str(v, "day", page_date_zh(req->arena, n.day));
	put_linked(req, v, n.body);
	tv_put_str(v, "due", page_date_zh(req->arena, n.due));
	tv_put_bool(v, "sets_due", strcmp(n.kind, "supplement") == 0);
	tv_put_str(v, "served_day", page_date_zh(req->arena, n.served_day));
	tv_put_str(v, "served_zh", n.served_zh);
	tv_put_str(v, "served_at", page_time_zh(req->arena, n.served_at));
	tv_put_str(v, "at", page_time_zh(req->arena, n.at));
	tv_put_int(v, "nid", n.id);
	return page_render(req, resp, 200, "notice", v);
}

/*
 * The body of a notice for its PDF: the stored text is the whole letter
 * as e-mailed (title, number, date, addressee, text, issuer); the PDF
 * sets the title, number, date, addressee and issuer itself, so only the
 * text between the addressee line and the issuer line is kept.
 */
static const char *
notice_pdf_body(struct arena *a, const char *body, const char *org)
{
	const char *start = body, *p, *end;
	size_t olen = strlen(org);

	for (p = body; (p = strstr(p, org)) != NULL; p++)
		if ((p == body || p[-1] == '\n') &&
		    strncmp(p + olen, "：\n", strlen("：\n")) == 0) {
			start = p + olen + strlen("：\n");
			break;
		}
	while (*start == '\n')
		start++;
	end = start + strlen(start);
	while (end > start && end[-1] == '\n')
		end--;
	p = end;
	while (p > start && p[-1] != '\n')
		p--;
	if ((size_t)(end - p) == strlen(PDF_ISSUER_DEFAULT) &&
	    strncmp(p, PDF_ISSUER_DEFAULT, (size_t)(end - p)) == 0)
		end = p;
	while (end > start && end[-1] == '\n')
		end--;
	return arena_strndup(a, start, (size_t)(end - start));
}

int
page_notice_pdf(struct request *req, struct response *resp)
{
	struct notice_row row;
	struct pdf_notice n;
	struct case_ref c;
	int rc;

	if ((rc = load_notice(req, resp, &c, &row)) != 0)
		return rc;
	memset(&n, 0, sizeof(n));
	n.number = row.no;
	n.title = row.title;
	n.date = row.day;
	n.body = notice_pdf_body(req->arena, row.body, c.org_name);
	/* The party by name and code (the frozen round's). */
	n.addressee = *c.org_uscc ? arena_printf(req->arena, "%s（统一社会信用"
	    "代码：%s）", c.org_name, c.org_uscc) : c.org_name;
	n.case_no = c.case_no;
	return page_pdf_notice(req, resp, &n, arena_printf(req->arena,
	    "%s-%s.pdf", n.title, n.number), "通知内容");
}
