/*
 * pages_cases.c: an applicant's cases: the list, a new application, the
 * case page (stage bar, status, clock, timeline, notices, next step) and
 * withdrawal. The case page is shown to everyone who may read the case's
 * summary, with the parts of the case each may read (access.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "application.h"
#include "archive.h"
#include "certificate.h"
#include "docrequest.h"
#include "form_def.h"
#include "notice_read.h"
#include "money.h"
#include "page.h"
#include "payment.h"
#include "pages_assess_view.h"
#include "panel.h"
#include "workflow_step.h"
#include "pages.h"
#include "reassign.h"
#include "pages_paper.h"
#include "status.h"
#include "submission.h"
#include "timeline.h"
#include "valid.h"
#include "workflow.h"

#define CASES_PER_PAGE	20

static void
put_status(struct tv *v, enum status st)
{
	const struct status_info *si = status_info(st);

	tv_put_str(v, "status", si->code);
	tv_put_str(v, "status_zh", si->zh);
	tv_put_str(v, "stage_zh", stage_zh(si->stage));
	tv_put_bool(v, "final", si->final);
	tv_put_bool(v, "is_draft", st == ST_DRAFT);
}

int
page_cases(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "我的申请"), *list, *row;
	struct application_row *rows;
	const char *p = params_get(&req->query, "page");
	long long page = 1, total;
	size_t n, i;
	int rc;

	if (p != NULL && valid_int(p, 1, 100000, &page) != 0)
		page = 1;
	if ((rc = page_status(resp, d, application_list(d, page,
	    CASES_PER_PAGE, &rows, &n, &total))) != 0)
		return rc;
	list = tv_put_list(v, "cases");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", rows[i].id);
		tv_put_str(row, "case_no", rows[i].case_no);
		put_status(row, rows[i].st);
		tv_put_str(row, "created", page_time_zh(req->arena,
		    rows[i].created_at));
		tv_put_str(row, "updated", page_time_zh(req->arena,
		    rows[i].updated_at));
	}
	p = params_get(&req->query, "welcome");
	if (p != NULL)
		tv_put_str(v, "welcome", strcmp(p, "registered") == 0 ?
		    "账号已创建，您已登录。点击“新建申请”开始填写申请书。" :
		    "您已登录。");
	if ((rc = application_last_round(d, &p)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_str(v, "last_round", p);
	tv_put_bool(v, "has_cases", total > 0);
	tv_put_int(v, "total", total);
	page_pager(req, v, "/cases", page, total, CASES_PER_PAGE);
	return page_render(req, resp, 200, "cases", v);
}

int
page_case_new(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	long long id;
	int rc;

	const char *from = NULL;

	/* 沿用上次的申请书: the last submitted round's values. */
	if (params_get(&req->form, "from_last") != NULL) {
		if ((rc = page_status(resp, d, application_create_from_last(d,
		    &id, &from))) != 0)
			return rc;
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/form/s1?copied=%s", id, arena_urlencode(
		    req->arena, from ? from : "")));
		return 0;
	}
	if ((rc = page_status(resp, d, application_create(d, &id))) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena, "/cases/%lld/form/s1",
	    id));
	return 0;
}

/* The stage bar: 受理 → 立项 → 评估 → 发证, done / current / to come. */
static void
put_stages(struct tv *v, enum status st)
{
	const struct status_info *si = status_info(st);
	struct tv *list = tv_put_list(v, "stages"), *row;
	int i, cur = (int)si->stage, issued = st == ST_ISSUED;

	for (i = STAGE_ACCEPTANCE; i <= STAGE_ISSUANCE; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "name", stage_zh((enum stage)i));
		tv_put_bool(row, "done", cur > i || (si->final && cur == i &&
		    issued));
		tv_put_bool(row, "current", cur == i && !si->final);
		tv_put_bool(row, "stopped", cur == i && si->final && !issued);
	}
}

static enum dom_rc
put_clock(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct rules_clock clk;
	struct tv *t;
	char day[DATE_BUFSZ];
	enum dom_rc rc;

	if ((rc = application_clock(d, c, &clk)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? DOM_OK : rc;	/* none yet */
	t = tv_put_map(v, "clock");
	tv_put_int(t, "net_days", clk.net_days);
	tv_put_int(t, "paused_days", clk.paused_days);
	tv_put_int(t, "elapsed_days", clk.elapsed_days);
	tv_put_str(t, "target", arena_strdup(d->arena,
	    date_format(clk.target, day)));
	tv_put_str(t, "limit", arena_strdup(d->arena,
	    date_format(clk.limit, day)));
	tv_put_str(t, "state", rules_clock_state_code(clk.state));
	tv_put_str(t, "state_zh", rules_clock_state_zh(clk.state));
	tv_put_bool(t, "paused", clk.paused);
	tv_put_bool(t, "stopped", clk.stopped);
	return DOM_OK;
}

static enum dom_rc
put_timeline(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct timeline_event *ev;
	struct tv *list = tv_put_list(v, "events"), *row;
	size_t n, i;
	enum dom_rc rc;

	if ((rc = timeline_load(d, c->id, d->actor->role_bit ==
	    ROLE_APPLICANT, &ev, &n)) != DOM_OK)
		return rc;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "at", page_time(d->arena, ev[i].at));
		tv_put_str(row, "actor", ev[i].actor);
		tv_put_str(row, "actor_role", ev[i].actor_role);
		tv_put_str(row, "from_zh", ev[i].is_status && ev[i].has_from ?
		    status_zh(ev[i].from) : "");
		tv_put_str(row, "to_zh", ev[i].title);
		tv_put_str(row, "reason", ev[i].reason);
	}
	return DOM_OK;
}

static enum dom_rc
put_notices(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct notice_row *rows;
	struct tv *list = tv_put_list(v, "notices"), *row;
	size_t n, i;
	enum dom_rc rc;

	if ((rc = notice_list(d, c, &rows, &n)) != DOM_OK)
		return rc;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "nid", rows[i].id);
		tv_put_str(row, "no", rows[i].no);
		tv_put_str(row, "title", rows[i].title);
		tv_put_str(row, "at", page_time(d->arena, rows[i].at));
		tv_put_str(row, "due", page_date_zh(d->arena, rows[i].due));
		tv_put_str(row, "served_day", page_date_zh(d->arena,
		    rows[i].served_day));
	}
	tv_put_bool(v, "has_notices", n > 0);
	return DOM_OK;
}

/* For the lead: messages to the organisation that bounced. */
static enum dom_rc
put_bounces(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct notice_bounce *rows;
	struct tv *list, *row;
	size_t n, i;
	enum dom_rc rc;

	if ((rc = notice_bounces(d, c, &rows, &n)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? DOM_OK : rc;
	tv_put_bool(v, "has_bounces", n > 0);
	list = tv_put_list(v, "bounces");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "no", rows[i].notice_no);
		tv_put_str(row, "to", rows[i].to);
		tv_put_str(row, "subject", rows[i].subject);
		tv_put_str(row, "error", rows[i].error);
		tv_put_str(row, "at", page_time(d->arena, rows[i].at));
	}
	return DOM_OK;
}

/* For a draft: each section's state, from the same checks as submit. */
static enum dom_rc
put_sections(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct submission_report r;
	struct tv *list = tv_put_list(v, "sections"), *row;
	const struct fdef_section *sec;
	enum dom_rc rc;
	size_t i;

	if ((rc = submission_check(d, c, &r)) != DOM_OK)
		return rc;
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		row = tv_push_map(list);
		tv_put_str(row, "sid", sec->id);
		tv_put_str(row, "num", sec->num);
		tv_put_str(row, "title", sec->title);
		tv_put_str(row, "state", fdef_state_code(r.rep.state[i]));
		tv_put_str(row, "state_zh", fdef_state_zh(r.rep.state[i]));
		tv_put_int(row, "problems", (long long)r.rep.count[i]);
	}
	tv_put_bool(v, "complete", r.rep.n == 0);
	tv_put_int(v, "problems", (long long)r.rep.n);
	return DOM_OK;
}

/* An open supplement request: its items, each linking to where it is
 * fixed, and the due date (late once past it). */
static enum dom_rc
put_supplement(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct notice_supplement s;
	const struct fdef_section *sec;
	const struct fdef_material *m;
	struct tv *sup, *items, *it;
	const char *target;
	enum dom_rc rc;
	size_t i;

	if ((rc = notice_supplement(d, c, &s)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? DOM_OK : rc;
	sup = tv_put_map(v, "supplement");
	/* The month runs from 送达: until then there is no due date. */
	tv_put_str(sup, "due", page_date_zh(d->arena, s.due));
	tv_put_bool(sup, "late", *s.due != '\0' && strcmp(d->today_s,
	    s.due) > 0);
	tv_put_str(sup, "served_day", page_date_zh(d->arena, s.served_day));
	tv_put_str(sup, "served_zh", s.served_zh);
	tv_put_int(sup, "nid", s.id);
	items = tv_put_list(sup, "items");
	for (i = 0; i < s.nitems; i++) {
		it = tv_push_map(items);
		target = s.items[i].target;
		if ((sec = fdef_section_find(target)) != NULL) {
			tv_put_str(it, "label", arena_printf(d->arena,
			    "申请书%s%s%s", sec->num, *sec->num ? "、" : "",
			    sec->title));
			tv_put_str(it, "href", arena_printf(d->arena,
			    "/cases/%lld/form/%s", c->id, target));
		} else {
			m = fdef_material_find(target, NULL);
			tv_put_str(it, "label", arena_printf(d->arena,
			    "材料：%s", m ? m->label : target));
			tv_put_str(it, "href", page_material_href(d->arena,
			    c->id, target, FDEF_NOROW - 1));
		}
		tv_put_str(it, "what", s.items[i].what);
	}
	return DOM_OK;
}

/* The agreement's fee and the ledger against it: paid, still owed, a
 * credit to refund, entries waiting for a second officer. */
static enum dom_rc
put_payment(struct dom *d, struct tv *v, const struct case_ref *c)
{
	struct payment_ledger l;
	struct tv *p;
	enum dom_rc rc;

	if (!(c->parts & PART_PAYMENTS))
		return DOM_OK;
	if ((rc = payment_ledger(d, c, &l)) != DOM_OK)
		return rc;
	if (!l.has_agreement)
		return DOM_OK;
	p = tv_put_map(v, "payment");
	tv_put_str(p, "fee", money_yuan(d->arena, l.due));
	tv_put_str(p, "due_audit", money_yuan(d->arena, l.due_audit));
	tv_put_str(p, "due_annual", money_yuan(d->arena, l.due_annual));
	tv_put_bool(p, "effective", l.effective);
	tv_put_bool(p, "covered", l.owed == 0);
	tv_put_bool(p, "any", l.n > 0);
	tv_put_str(p, "paid", money_yuan(d->arena, l.paid));
	tv_put_str(p, "owed", money_yuan(d->arena, l.owed));
	tv_put_bool(p, "has_credit", l.credit > 0);
	tv_put_str(p, "credit", money_yuan(d->arena, l.credit));
	tv_put_bool(p, "has_pending", l.pending > 0);
	tv_put_int(p, "pending", (long long)l.pending);
	return DOM_OK;
}

/*
 * Where each step of the workflow is taken (the pages' business, not
 * the workflow's), by its target status or by both ends, and the action
 * of the access policy that step is: the to-do list offers a step only
 * when the policy lets the viewer take it on this case now, so it never
 * offers a button that answers 403. A step not listed here (reopening a
 * case, done by concluding an appeal) is no to-do of the case page.
 */
static const struct {
	enum status	 from;		/* ST__COUNT: from any */
	enum status	 to;
	enum action	 act;
	const char	*page;		/* "%s" is the case's path */
} action_pages[] = {
	{ ST_DRAFT, ST_SUBMITTED, ACT_SUBMIT, "%s/check" },
	{ ST_SUPPLEMENT_REQUESTED, ST_INTAKE_REVIEW, ACT_SUBMIT, "%s/check" },
	{ ST_SUBMITTED, ST_INTAKE_REVIEW, ACT_TAKE_REVIEW, "%s/review" },
	{ ST__COUNT, ST_SUPPLEMENT_REQUESTED, ACT_REVIEW, "%s/review" },
	{ ST__COUNT, ST_ACCEPTED, ACT_REVIEW, "%s/review" },
	{ ST_INTAKE_REVIEW, ST_REJECTED, ACT_REVIEW, "%s/review" },
	{ ST_SUPPLEMENT_REQUESTED, ST_REJECTED, ACT_REVIEW, "%s/review" },
	{ ST__COUNT, ST_AGREEMENT_SENT, ACT_SEND_AGREEMENT, "%s/agreement" },
	{ ST__COUNT, ST_AWAITING_PAYMENT, ACT_ACCEPT_AGREEMENT,
	    "%s/agreement" },
	{ ST__COUNT, ST_ASSESSMENT_PLANNING, ACT_RECORD_PAYMENT,
	    "%s/payment" },
	{ ST_ASSESSMENT_PLANNING, ST_ASSESSING, ACT_PLAN, "%s/assessment" },
	{ ST_EXPERT_REVIEW, ST_ASSESSING, ACT_EXPERT_CONCLUDE, "%s/expert" },
	{ ST_ASSESSING, ST_EXPERT_REVIEW, ACT_ASSESS, "%s/assessment" },
	{ ST_EXPERT_REVIEW, ST_CERTIFICATE_PENDING, ACT_EXPERT_CONCLUDE,
	    "%s/expert" },
	{ ST_EXPERT_REVIEW, ST_FAILED, ACT_EXPERT_CONCLUDE, "%s/expert" },
	{ ST__COUNT, ST_ISSUED, ACT_ISSUE, "/batches" },
};

/* A to-do labelled label, linking to page ("%s": the case's path). */
static void
put_todo(struct dom *d, struct tv *list, const struct case_ref *c,
    const char *label, const char *page)
{
	struct tv *a = tv_push_map(list);

	tv_put_str(a, "label", label);
	tv_put_str(a, "href", strncmp(page, "%s", 2) == 0 ? arena_printf(
	    d->arena, "/cases/%lld%s", c->id, page + 2) : page);
}

/* 不予受理（逾期未补正） only once the supplement's due date has passed:
 * right after the notice its button would only answer 409. */
static int
supplement_overdue(struct dom *d, const struct case_ref *c)
{
	struct notice_supplement s;

	if (notice_supplement(d, c, &s) != DOM_OK || s.due == NULL ||
	    *s.due == '\0')
		return 0;
	return strcmp(d->today_s, s.due) > 0;
}

/*
 * What the viewer may do now: the workflow rows from this status that
 * the access policy lets the viewer take (withdrawal has its own
 * section), and the steps that are no move: answering the open document
 * request (open_request), forming the panel while it has no member.
 */
static enum dom_rc
put_actions(struct dom *d, struct tv *v, const struct case_ref *c,
    int open_request)
{
	const struct wf_transition *t;
	struct tv *list = tv_put_list(v, "actions");
	unsigned role = d->actor->role_bit;
	struct panel p;
	enum dom_rc rc;
	size_t i;
	int n = 0;

	if (open_request && access_may(c, role, ACT_ANSWER_DOCS)) {
		put_todo(d, list, c, "提交补充资料", "%s/documents");
		n++;
	}
	if (access_may(c, role, ACT_FORM_PANEL)) {
		if ((rc = panel_get(d, c, &p)) != DOM_OK)
			return rc;
		if (p.nmembers == 0) {
			put_todo(d, list, c, "组建专家组", "%s/expert");
			n++;
		}
	}
	for (t = wf_transitions; t->roles != 0; t++) {
		if (t->to == ST_WITHDRAWN || !(t->roles & role) ||
		    !wf_from(t, c->st))
			continue;
		if (c->st == ST_SUPPLEMENT_REQUESTED && t->to == ST_REJECTED &&
		    !supplement_overdue(d, c))
			continue;
		for (i = 0; i < sizeof(action_pages) /
		    sizeof(action_pages[0]); i++)
			if (action_pages[i].to == t->to &&
			    (action_pages[i].from == ST__COUNT ||
			    action_pages[i].from == c->st))
				break;
		if (i == sizeof(action_pages) / sizeof(action_pages[0]) ||
		    !access_may(c, role, action_pages[i].act))
			continue;
		put_todo(d, list, c, t->action_zh, action_pages[i].page);
		n++;
	}
	tv_put_bool(v, "has_actions", n > 0);
	return DOM_OK;
}

/* The document requests of c, for those who read them: the open one
 * and how many there were (*open: one is open). */
static enum dom_rc
put_requests(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c, int *open)
{
	struct docreq *r;
	enum dom_rc rc;
	size_t n;

	*open = 0;
	if ((c->parts & (PART_ASSESSMENT | PART_MATERIALS)) == 0)
		return DOM_OK;
	if ((rc = docreq_list(d, c, &r, &n)) != DOM_OK)
		return rc;
	av_requests(req, v, c, r, n);
	tv_put_int(v, "nrequests", (long long)n);
	*open = n > 0 && r[0].open;
	return DOM_OK;
}

/* A submitted case's 申请书 to print, seal and send, and what the centre
 * has received of it. */
static enum dom_rc
put_paper(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c)
{
	struct paper_state ps;
	enum dom_rc rc;

	if (!(c->parts & PART_APPLICATION) || c->rounds < 1)
		return DOM_OK;
	if ((rc = paper_state(d, c, 0, &ps)) != DOM_OK)
		return rc;
	pp_paper(req, v, &ps, req->user->role_bit != ROLE_APPLICANT);
	return DOM_OK;
}

/* The parts of the page c's reader may see. */
static enum dom_rc
put_parts(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c)
{
	enum dom_rc rc = DOM_OK;

	if ((rc = put_paper(req, d, v, c)) != DOM_OK)
		return rc;
	if (pp_overrides(req, v, c) != 0)
		return DOM_FAILED;

	if ((c->parts & PART_TIMELINE) &&
	    (rc = put_timeline(d, v, c)) != DOM_OK)
		return rc;
	if ((c->parts & PART_NOTICES) &&
	    (rc = put_notices(d, v, c)) != DOM_OK)
		return rc;
	if ((rc = put_bounces(d, v, c)) != DOM_OK)
		return rc;
	if ((c->parts & PART_APPEALS) &&
	    supervise_case_appeals(req, v, c) != 0)
		return DOM_FAILED;
	if (c->st == ST_DRAFT && (rc = put_sections(d, v, c)) != DOM_OK)
		return rc;
	if (c->st == ST_SUPPLEMENT_REQUESTED &&
	    (rc = put_supplement(d, v, c)) != DOM_OK)
		return rc;
	return put_payment(d, v, c);
}

/* A supervisor's form to give the case another lead: the active leads
 * but the case's own, as posted after an error. */
static void
put_reassign(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c, struct form *f)
{
	struct account_row *leads;
	struct tv *list, *o;
	const char *chosen = f != NULL ? params_get(&req->form, "lead") : NULL;
	size_t i, n;

	if (!access_may(c, d->actor->role_bit, ACT_REASSIGN))
		return;
	tv_put_bool(v, "can_reassign", 1);
	list = tv_put_list(v, "lead_choices");
	if (account_active(d, ROLE_LEAD, &leads, &n) != DOM_OK)
		return;
	for (i = 0; i < n; i++) {
		if (leads[i].id == c->lead_id)
			continue;
		o = tv_push_map(list);
		tv_put_int(o, "lid", leads[i].id);
		tv_put_str(o, "lname", leads[i].name);
		tv_put_str(o, "lemail", leads[i].email);
		tv_put_bool(o, "selected", chosen != NULL && atoll(chosen) ==
		    leads[i].id);
	}
}

/* The case page; after a refused reassignment (f), with its errors. */
static int
render_case(struct request *req, struct response *resp, int status,
    struct form *f)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct tv *v;
	const struct status_info *si;
	const char *p, *cno;
	long long cid;
	enum dom_rc crc = DOM_NOT_FOUND;
	int rc, open;

	if ((rc = page_load_case_any(req, 0, PART_SUMMARY | PART_DECLARE,
	    &c)) != 0)
		return rc;
	/* An expert on the panel who has not declared yet sees nothing of
	 * the case but the declaration: that is the page for them. */
	if ((c.parts & PART_SUMMARY) == 0) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/expert", c.id));
		return 0;
	}
	v = f != NULL ? f->view : page_view(req, *c.case_no ?
	    arena_printf(req->arena, "案件 %s", c.case_no) : "草稿申请");
	tv_put_int(v, "id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_str(v, "lead_name", c.lead_name);
	if (archive_gone(d, &c) == DOM_GONE)
		tv_put_str(v, "disposed", d->msg);
	put_status(v, c.st);
	si = status_info(c.st);
	tv_put_str(v, "waiting_for", si->waiting_for ? si->waiting_for : "");
	put_stages(v, c.st);
	if ((rc = page_status(resp, d, put_clock(d, v, &c))) != 0 ||
	    (rc = page_status(resp, d, put_parts(req, d, v, &c))) != 0 ||
	    (rc = page_status(resp, d, put_requests(req, d, v, &c,
	    &open))) != 0 ||
	    (rc = page_status(resp, d, put_actions(d, v, &c, open))) != 0)
		return rc;
	/* 已发证: the number and the certificate itself. */
	if (c.st == ST_ISSUED && (crc = certificate_of_case(d, &c, &cid,
	    &cno)) == DOM_FAILED)
		return page_status(resp, d, crc);
	if (c.st == ST_ISSUED && crc == DOM_OK) {
		tv_put_str(v, "cert_no", cno);
		tv_put_int(v, "cert_id", cid);
		tv_put_bool(v, "cert_staff_view", req->user->org_id == 0);
	}
	tv_put_bool(v, "is_applicant", req->user->org_id != 0);
	tv_put_bool(v, "can_withdraw", access_may(&c, d->actor->role_bit,
	    ACT_WITHDRAW));
	tv_put_bool(v, "just_withdrawn", params_get(&req->query, "left") !=
	    NULL);
	p = params_get(&req->query, "sent");
	tv_put_bool(v, "submitted_now", p != NULL && strcmp(p, "supplement") !=
	    0);
	tv_put_bool(v, "supplemented_now", p != NULL && strcmp(p,
	    "supplement") == 0);
	tv_put_bool(v, "just_reassigned", params_get(&req->query,
	    "reassigned") != NULL);
	put_reassign(req, d, v, &c, f);
	return page_render(req, resp, status, "case", v);
}

int
page_case(struct request *req, struct response *resp)
{
	return render_case(req, resp, 200, NULL);
}

int
page_case_lead(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct form f;
	long long to = 0;
	const char *lead;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_SUMMARY, &c)) != 0)
		return rc;
	form_init(&f, req, page_view(req, arena_printf(req->arena, "案件 %s",
	    c.case_no)));
	lead = params_get(&req->form, "lead");
	if (lead != NULL && valid_int(lead, 1, INT64_MAX, &to) != 0)
		to = 0;
	drc = reassign_lead(d, c.id, to, form_keep(&f, "reason"));
	if (drc == DOM_INVALID) {
		form_error(&f, d->field, d->msg);
		return render_case(req, resp, 400, &f);
	}
	if (drc != DOM_OK)
		return page_status(resp, d, drc);
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld?reassigned=1", c.id));
	return 0;
}

int
page_case_withdraw(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct tv *v;
	int rc;

	if ((rc = page_load_case(req, 0, PART_SUMMARY, &c)) != 0)
		return rc;
	if ((rc = page_status(resp, d, step_may(d, &c, ACT_WITHDRAW,
	    "此申请当前不能撤回。"))) != 0)
		return rc;
	v = page_view(req, "撤回申请");
	tv_put_int(v, "id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	put_status(v, c.st);
	return page_render(req, resp, 200, "withdraw", v);
}

int
page_case_withdraw_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_SUMMARY, &c)) != 0)
		return rc;
	if (params_get(&req->form, "confirm") == NULL) {
		resp->error_message = "请勾选“我确认撤回此申请”后再提交。";
		return 400;
	}
	if ((rc = page_status(resp, d, application_withdraw(d, c.id,
	    params_get(&req->form, "reason")))) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld?left=1", c.id));
	return 0;
}
