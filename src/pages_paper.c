/*
 * pages_paper.c: 受理's start condition as the pages show it
 * (pages_paper.h), and the 申请书 of a frozen round as a PDF to print,
 * seal, bind and send (GET /cases/{n}/application.pdf[?round=N]).
 */
#include <stdio.h>
#include <string.h>

#include "files.h"
#include "money.h"
#include "pages_paper.h"
#include "router.h"
#include "valid.h"

static void
put_check(struct tv *list, const struct rules_check *k)
{
	struct tv *c = tv_push_map(list);

	tv_put_str(c, "label", k->label_zh);
	tv_put_str(c, "section", k->section);
	tv_put_str(c, "threshold", k->threshold_zh);
	tv_put_str(c, "figure", k->figure_zh);
	tv_put_str(c, "verdict", rules_verdict_code(k->verdict));
	tv_put_str(c, "verdict_zh", rules_verdict_zh(k->verdict));
}

/* An amount of the form, or "未填". */
static const char *
amount(struct arena *a, long long fen, long long none)
{
	return fen == none ? "未填" : money_yuan(a, fen);
}

static void
put_fin(struct request *req, struct tv *e, const struct eligibility *el)
{
	struct tv *list = tv_put_list(e, "fin"), *r;
	const struct rules_fin_row *f;
	size_t i;

	for (i = 0; i < el->nfin; i++) {
		f = &el->fin[i];
		r = tv_push_map(list);
		tv_put_int(r, "year", f->year);
		tv_put_bool(r, "counted", f->counted);
		tv_put_str(r, "note", f->note_zh);
		tv_put_str(r, "verdict", f->counted ?
		    rules_verdict_code(f->verdict) : "unknown");
		tv_put_str(r, "verdict_zh", f->counted ?
		    rules_verdict_zh(f->verdict) : "未计入");
		if (f->y == NULL)
			continue;
		tv_put_bool(r, "has_row", 1);
		tv_put_int(r, "row", f->y->row + 1);
		tv_put_str(r, "revenue", amount(req->arena, f->y->revenue,
		    RULES_NONE));
		tv_put_str(r, "profit", amount(req->arena, f->y->profit,
		    RULES_SIGNED_NONE));
		tv_put_str(r, "net_assets", amount(req->arena,
		    f->y->net_assets, RULES_SIGNED_NONE));
		tv_put_bool(r, "loss", f->y->profit < 0 &&
		    f->y->profit != RULES_SIGNED_NONE);
		tv_put_bool(r, "negative", f->y->net_assets < 0 &&
		    f->y->net_assets != RULES_SIGNED_NONE);
		tv_put_str(r, "reports", f->y->audit_reports < 0 ? "待核实" :
		    f->y->audit_reports == 0 ? "未上传" : arena_printf(
		    req->arena, "已上传 %d 份", f->y->audit_reports));
		tv_put_bool(r, "no_report", f->y->audit_reports == 0);
	}
	tv_put_bool(e, "has_fin", el->nfin > 0);
}

static void
put_projects(struct request *req, struct tv *e, const struct eligibility *el)
{
	struct tv *list = tv_put_list(e, "projects"), *r;
	const struct rules_proj_row *p;
	char day[DATE_BUFSZ];
	size_t i, in = 0;

	for (i = 0; i < el->nprojects; i++) {
		p = &el->projects[i];
		r = tv_push_map(list);
		tv_put_int(r, "row", p->p->row + 1);
		tv_put_str(r, "name", p->p->name != NULL ? p->p->name : "（未填）");
		tv_put_str(r, "value", amount(req->arena, p->p->value,
		    RULES_NONE));
		tv_put_str(r, "end", p->p->end != DATE_NONE ? arena_strdup(
		    req->arena, date_format(p->p->end, day)) : "未填");
		tv_put_bool(r, "counted", p->counted);
		tv_put_str(r, "reason", p->reason_zh);
		in += p->counted != 0;
	}
	tv_put_bool(e, "has_projects", el->nprojects > 0);
	tv_put_int(e, "nin", (long long)in);
	tv_put_int(e, "nout", (long long)(el->nprojects - in));
}

static void
put_reqs(struct request *req, struct tv *e, const struct eligibility *el)
{
	struct tv *list = tv_put_list(e, "reqs"), *r;
	const struct elig_req *q;
	size_t i;

	for (i = 0; i < el->nreqs; i++) {
		q = &el->reqs[i];
		r = tv_push_map(list);
		tv_put_int(r, "rid", q->id);
		tv_put_str(r, "title", q->title);
		tv_put_str(r, "hint", q->hint);
		tv_put_bool(r, "active", q->active);
		tv_put_bool(r, "recorded", q->recorded);
		tv_put_bool(r, "met", q->recorded && q->met);
		tv_put_bool(r, "not_met", q->recorded && !q->met);
		tv_put_str(r, "evidence", q->evidence);
		tv_put_str(r, "by", q->by);
		tv_put_str(r, "at", page_time(req->arena, q->at));
		tv_put_str(r, "verdict", !q->recorded ? "unknown" : q->met ?
		    "pass" : "fail");
		tv_put_str(r, "verdict_zh", !q->recorded ? "待核实" : q->met ?
		    "满足" : "不满足");
	}
	tv_put_bool(e, "has_reqs", el->nreqs > 0);
}

void
pp_eligibility(struct request *req, struct tv *v, const struct eligibility *e)
{
	struct tv *el = tv_put_map(v, "elig");
	struct tv *basic = tv_put_list(el, "basic");
	struct tv *ability = tv_put_list(el, "ability");
	size_t i;

	tv_put_str(el, "day", e->day_s);
	tv_put_bool(el, "on_submission", e->submitted);
	for (i = 0; i < e->nchecks; i++)
		put_check(e->checks[i].basic ? basic : ability, &e->checks[i]);
	put_fin(req, el, e);
	put_projects(req, el, e);
	put_reqs(req, el, e);
	tv_put_str(el, "failing", e->failed_zh);
	tv_put_bool(el, "has_failed", e->nfailed > 0);
	tv_put_str(el, "unrecorded", e->unrecorded_zh);
	tv_put_bool(el, "has_unrecorded", e->nunrecorded > 0);
}

void
pp_paper(struct request *req, struct tv *v, const struct paper_state *ps,
    int staff)
{
	struct tv *p = tv_put_map(v, "paper"), *list, *r;
	const struct paper_receipt *x;
	struct buf fp;
	size_t i;

	tv_put_str(p, "mode", paper_mode_code(ps->mode));
	tv_put_str(p, "mode_zh", paper_mode_zh(ps->mode));
	tv_put_bool(p, "scan", ps->mode == PAPER_SCAN);
	tv_put_int(p, "round", ps->round);
	buf_init(&fp);
	for (i = 0; i + 8 <= strlen(ps->fingerprint); i += 8)
		buf_printf(&fp, "%s%.8s", i ? " " : "", ps->fingerprint + i);
	tv_put_str(p, "fingerprint", fp.n > 0 ? arena_strdup(req->arena,
	    fp.p) : "");
	buf_free(&fp);
	tv_put_bool(p, "ready", ps->ready);
	tv_put_str(p, "why", ps->why != NULL ? ps->why : "");
	list = tv_put_list(p, "receipts");
	for (i = 0; i < ps->nreceipts; i++) {
		x = &ps->receipts[i];
		r = tv_push_map(list);
		tv_put_int(r, "round", x->round);
		tv_put_bool(r, "current", x->round == ps->round);
		tv_put_str(r, "courier", x->courier);
		tv_put_str(r, "waybill", x->waybill);
		tv_put_str(r, "received_on", x->received_on);
		tv_put_bool(r, "paper", x->paper);
		tv_put_bool(r, "cd", x->cd);
		tv_put_bool(r, "matches", x->matches);
		tv_put_str(r, "notes", x->notes);
		if (staff) {
			tv_put_str(r, "checked_by", x->checked_by);
			tv_put_str(r, "recorded_by", x->recorded_by);
			tv_put_str(r, "recorded_at", page_time(req->arena,
			    x->recorded_at));
		}
	}
	tv_put_bool(p, "has_receipts", ps->nreceipts > 0);
}

int
pp_overrides(struct request *req, struct tv *v, const struct case_ref *c)
{
	struct dom *d = page_ctx(req);
	struct intake_override *o;
	struct tv *list = tv_put_list(v, "overrides"), *r;
	enum dom_rc rc;
	size_t n = 0, i;

	tv_put_bool(v, "has_overrides", 0);
	if ((rc = intake_overrides(d, c, &o, &n)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? 0 : -1;
	for (i = 0; i < n; i++) {
		r = tv_push_map(list);
		tv_put_int(r, "round", o[i].round);
		tv_put_str(r, "what_failed", o[i].failed);
		tv_put_str(r, "reason", o[i].reason);
		tv_put_str(r, "by", o[i].by);
		tv_put_str(r, "at", page_time(req->arena, o[i].at));
	}
	tv_put_bool(v, "has_overrides", n > 0);
	return 0;
}

/* GET /cases/{n}/application.pdf[?round=N]: the 申请书 of a round. */
static int
page_application_pdf(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	const char *r = params_get(&req->query, "round"), *name;
	struct case_ref c;
	long long n = 0;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_APPLICATION, &c)) != 0)
		return rc;
	if (r != NULL && valid_int(r, 1, 100000, &n) != 0) {
		resp->error_message = "轮次应为正整数，例如 ?round=1。";
		return 400;
	}
	if ((drc = paper_pdf(d, &c, (int)n, &resp->body, &name)) != DOM_OK) {
		if (drc == DOM_NOT_FOUND)
			resp->error_message = "此案件还没有这一轮正式提交的申请书。"
			    "正式提交后即可下载。";
		return page_status(resp, d, drc);
	}
	resp->status = 200;
	resp->content_type = "application/pdf";
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, name));
	return 0;
}

const struct route routes_paper[] = {
	{ METHOD_GET, "/cases/{n}/application.pdf", page_application_pdf,
	    ROLES_USERS, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
