/*
 * pages_assess.c: 评估 (§5.4), the assessment page. The audit plan and
 * its team, the activity records (document review, interviews,
 * practical operation) with their files, the team's audit conclusion.
 * The steps are assessment.c's; the expert review that follows is
 * pages_expert.c.
 */
#include <limits.h>
#include <string.h>

#include "app.h"
#include "attach.h"
#include "assessment.h"
#include "docrequest.h"
#include "pages_assess_view.h"
#include "panel.h"
#include "review.h"
#include "rules.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_assess[];

static const char *const flashes[][2] = {
	{ "plan", "审核计划和项目组已保存。" },
	{ "started", "评估已开始，项目组成员现在可以记录评估活动。" },
	{ "record", "评估活动记录已保存。" },
	{ "concluded", "审核结论已提交，案件进入专家评审；评估结论通知已生成。" },
	{ "asked", "补充资料要求已发出：申请单位收到补充资料通知，周期暂停计算，"
	    "直到申请单位提交资料或项目组关闭此要求。" },
	{ "closed", "补充资料要求已关闭，周期恢复计算；申请单位已收到通知。" },
	{ NULL, NULL }
};

/* The ids of the POSTed team; one that is not a number is 0, which no
 * account has (the domain says so). */
static long long *
team_posted(struct request *req, size_t *n)
{
	long long *team;
	size_t i;

	*n = params_count(&req->form, "team");
	team = arena_alloc(req->arena, (*n + 1) * sizeof(*team));
	for (i = 0; i < *n; i++)
		if (valid_int(params_nth(&req->form, "team", i), 1, LLONG_MAX,
		    &team[i]) != 0)
			team[i] = 0;
	return team;
}

/* 1 when id is one of the n in team. */
static int
has(const long long *team, size_t n, long long id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (team[i] == id)
			return 1;
	return 0;
}

/* The assessors to pick the team from, for the case's lead. */
static enum dom_rc
put_assessors(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c)
{
	struct assess_person *p;
	struct tv *list, *m;
	const long long *team;
	enum dom_rc rc;
	size_t i, n, nteam;

	if ((rc = assessment_assessors(d, c, &p, &n)) != DOM_OK)
		return rc;
	team = team_posted(req, &nteam);
	list = tv_put_list(v, "assessors");
	for (i = 0; i < n; i++) {
		m = tv_push_map(list);
		tv_put_int(m, "aid", p[i].id);
		tv_put_str(m, "name", p[i].name);
		tv_put_str(m, "email", p[i].email);
		tv_put_bool(m, "checked", req->method == METHOD_POST ?
		    has(team, nteam, p[i].id) : p[i].flag);
	}
	tv_put_bool(v, "has_assessors", n > 0);
	return DOM_OK;
}

/* The review areas for a record's select, the POSTed one selected. */
static void
put_areas(struct request *req, struct tv *v)
{
	const char *sel = req->method == METHOD_POST ?
	    params_get(&req->form, "area") : NULL;
	const struct review_area *a;
	struct tv *list = tv_put_list(v, "areas"), *m;

	for (a = review_areas; a->code != NULL; a++) {
		m = tv_push_map(list);
		tv_put_str(m, "code", a->code);
		tv_put_str(m, "label", a->label);
		tv_put_bool(m, "selected", sel != NULL &&
		    strcmp(sel, a->code) == 0);
	}
}

/* The document requests of c (newest first), and whether one is open. */
static enum dom_rc
put_requests(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c, int *open)
{
	struct docreq *r;
	enum dom_rc rc;
	size_t n;

	*open = 0;
	if ((rc = docreq_list(d, c, &r, &n)) != DOM_OK)
		return rc;
	av_requests(req, v, c, r, n);
	*open = n > 0 && r[0].open;
	return DOM_OK;
}

/* The assessment page, with the form f already holding what was typed. */
static int
render(struct request *req, struct response *resp, struct dom *d, int status,
    const struct case_ref *c, struct form *f)
{
	unsigned role = d->actor->role_bit;
	int plan = access_may(c, role, ACT_PLAN);
	int act = access_may(c, role, ACT_ASSESS);
	int ask = access_may(c, role, ACT_REQUEST_DOCS);
	struct tv *v = f->view;
	struct assessment a;
	enum dom_rc rc;
	char due[DATE_BUFSZ];
	int open;

	if ((rc = assessment_get(d, c, &a)) != DOM_OK ||
	    (plan && (rc = put_assessors(req, d, v, c)) != DOM_OK) ||
	    (rc = put_requests(req, d, v, c, &open)) != DOM_OK)
		return page_status(resp, d, rc);
	av_case(v, c);
	if (status == 200)
		av_flash(req, v, flashes);
	av_assessment(req, v, c, &a);
	if (a.plan != NULL && req->method != METHOD_POST) {
		form_value(f, "start_day", a.plan->start_day);
		form_value(f, "end_day", a.plan->end_day);
		form_value(f, "method", a.plan->method);
	}
	tv_put_bool(v, "can_plan", plan);
	tv_put_bool(v, "can_start", plan && a.nteam > 0 && a.plan != NULL);
	tv_put_bool(v, "can_record", act);
	tv_put_bool(v, "can_conclude", act && !open);
	tv_put_bool(v, "waiting_docs", act && open);
	tv_put_bool(v, "can_ask", ask && !open);
	tv_put_bool(v, "can_close", ask && open);
	if (req->method != METHOD_POST)
		form_value(f, "due", date_format(date_add_months(d->today,
		    rules_default()->supplement_months), due));
	put_areas(req, v);
	tv_put_bool(v, "planning", c->st == ST_ASSESSMENT_PLANNING);
	tv_put_bool(v, "to_expert", panel_begun(d, c) == DOM_OK);
	av_choices(req, v, "kinds", "kind", assess_kinds);
	av_choices(req, v, "verdicts", "verdict", assess_verdicts);
	tv_put_str(v, "max_file", attach_size_zh(req->arena,
	    (long long)d->max_file));
	return page_render(req, resp, status, "assess_audit", v);
}

/* The case of the URL when the user may see its assessment and it has
 * begun; the form for the page. */
static int
load(struct request *req, struct response *resp, struct dom *d,
    struct case_ref *c, struct form *f)
{
	int rc;

	if ((rc = page_load_case(req, 0, PART_ASSESSMENT, c)) != 0 ||
	    (rc = page_status(resp, d, assessment_begun(d, c))) != 0)
		return rc;
	form_init(f, req, page_view(req, arena_printf(req->arena, "评估 · "
	    "案件 %s", c->case_no)));
	return 0;
}

static int
page_assess(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	return render(req, resp, d, 200, &c, &f);
}

static int
page_assess_plan(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_plan_input in;
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	in.start_day = form_keep(&f, "start_day");
	in.end_day = form_keep(&f, "end_day");
	in.method = form_keep(&f, "method");
	in.team = team_posted(req, &in.nteam);
	return av_after(req, resp, d, assessment_plan(d, c.id, &in, &pr), &c,
	    "assessment", "plan#plan", &f, &pr, render);
}

static int
page_assess_start(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	return av_after(req, resp, d, assessment_start(d, c.id), &c,
	    "assessment", "started", &f, NULL, render);
}

static int
page_assess_record(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_record_input in;
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	in.kind = form_keep(&f, "kind");
	in.finding = form_keep(&f, "finding");
	in.method = form_keep(&f, "other_method");
	in.area = form_keep(&f, "area");
	in.files = av_uploads(req, "file", &in.nfiles);
	return av_after(req, resp, d, assessment_record(d, c.id, &in, &pr,
	    NULL), &c, "assessment", "record#records", &f, &pr, render);
}

static int
page_assess_file(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_file meta;
	struct case_ref c;
	long long fid;
	int rc;

	if ((rc = page_load_case(req, 0, PART_ASSESSMENT, &c)) != 0)
		return rc;
	if (valid_int(req->args[1], 1, LLONG_MAX, &fid) != 0)
		return 404;
	if ((rc = page_status(resp, d, assessment_file(d, c.id, fid, &meta,
	    &resp->body))) != 0)
		return rc;
	resp->status = 200;
	resp->content_type = meta.mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, meta.filename));
	return 0;
}

static int
page_assess_conclusion(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	const char *verdict, *text;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	verdict = form_keep(&f, "verdict");
	text = form_keep(&f, "text");
	return av_after(req, resp, d, assessment_conclude(d, c.id, verdict,
	    text, &pr), &c, "assessment", "concluded", &f, &pr, render);
}

/* The lines of a text box, each without its surrounding blanks; at most
 * DOCREQ_ITEMS_MAX + 1 of them (the domain refuses more). */
static const char *const *
lines_of(struct arena *a, const char *text, size_t *n)
{
	const char **v = arena_alloc(a, (DOCREQ_ITEMS_MAX + 2) *
	    sizeof(*v));
	const char *p = text, *e, *b;

	*n = 0;
	while (*p != '\0' && *n <= DOCREQ_ITEMS_MAX) {
		e = p + strcspn(p, "\n");
		for (b = p; b < e && strchr(" \t\r", *b) != NULL; b++)
			;
		while (e > b && strchr(" \t\r", e[-1]) != NULL)
			e--;
		if (e > b)
			v[(*n)++] = arena_strndup(a, b, (size_t)(e - b));
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return v;
}

static int
page_assess_ask(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	struct docreq_input in;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	in.items = lines_of(req->arena, form_keep(&f, "items"), &in.nitems);
	in.due = form_keep(&f, "due");
	in.note = form_keep(&f, "note");
	return av_after(req, resp, d, docreq_open(d, c.id, &in, &pr, NULL),
	    &c, "assessment", "asked#docs", &f, &pr, render);
}

static int
page_assess_close(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	return av_after(req, resp, d, docreq_withdraw(d, c.id, form_keep(&f,
	    "reason"), &pr), &c, "assessment", "closed#docs", &f, &pr, render);
}

const struct route routes_assess[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/assessment", page_assess, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/assessment/plan", page_assess_plan,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/start", page_assess_start,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/records", page_assess_record,
	    ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ METHOD_GET,	"/cases/{n}/assessment/files/{n}", page_assess_file,
	    ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/assessment/conclusion",
	    page_assess_conclusion, ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/requests", page_assess_ask,
	    ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/requests/close",
	    page_assess_close, ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
