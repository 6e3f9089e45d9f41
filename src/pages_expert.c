/*
 * pages_expert.c: 专家评审 (§5.4), the expert review page. The case's
 * lead forms the panel (never members of the case's team); a member sees
 * only the case's number and organisation and the declaration until
 * declaring no conflict of interest (or declares a conflict and leaves
 * the panel); then the evidence, and records the panel's conclusion.
 * The steps are panel.c's.
 */
#include <limits.h>
#include <string.h>

#include "app.h"
#include "pages_assess_view.h"
#include "panel.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_expert[];

static const char *const flashes[][2] = {
	{ "panel", "专家已加入专家组。专家须先声明无利益冲突才能查看案件。" },
	{ "declared", "已声明无利益冲突，现在可以查看案件并评审。" },
	{ "reviewed", "专家评审结论已记录；专家评审结论通知已生成。" },
	{ "returned", "案件已退回项目组补充评估；项目负责人和项目组已收到通知。项目组"
	    "重新提交审核结论后，案件回到专家评审。" },
	{ NULL, NULL }
};

/* The panel, and the experts the lead may add. */
static enum dom_rc
put_panel(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c, const struct panel *p)
{
	struct assess_person *e;
	struct tv *list, *m;
	enum dom_rc rc;
	size_t i, n;

	list = tv_put_list(v, "panel");
	for (i = 0; i < p->nmembers; i++) {
		m = tv_push_map(list);
		tv_put_str(m, "name", p->members[i].name);
		if (p->members[i].at != NULL)
			tv_put_str(m, "declared", page_time(req->arena,
			    p->members[i].at));
	}
	tv_put_bool(v, "has_panel", p->nmembers > 0);
	if (!access_may(c, d->actor->role_bit, ACT_FORM_PANEL))
		return DOM_OK;
	if ((rc = panel_candidates(d, c, &e, &n)) != DOM_OK)
		return rc;
	list = tv_put_list(v, "experts");
	for (i = 0; i < n; i++) {
		m = tv_push_map(list);
		tv_put_int(m, "aid", e[i].id);
		tv_put_str(m, "name", e[i].name);
		tv_put_str(m, "email", e[i].email);
		tv_put_bool(m, "on_team", e[i].flag);
	}
	tv_put_bool(v, "has_experts", n > 0);
	return DOM_OK;
}

/* Before the declaration: the number, the organisation, the form. */
static int
render_declare(struct request *req, struct response *resp, struct dom *d,
    int status, const struct case_ref *c, struct tv *v)
{
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_bool(v, "can_declare", access_may(c, d->actor->role_bit,
	    ACT_DECLARE));
	return page_render(req, resp, status, "assess_declare", v);
}

static int
render(struct request *req, struct response *resp, struct dom *d, int status,
    const struct case_ref *c, struct form *f)
{
	unsigned role = d->actor->role_bit;
	struct tv *v = f->view;
	struct assessment a;
	struct panel p;
	enum dom_rc rc;

	if (status == 200)
		av_flash(req, v, flashes);
	if ((c->parts & PART_EXPERT) == 0)
		return render_declare(req, resp, d, status, c, v);
	if ((rc = panel_get(d, c, &p)) != DOM_OK ||
	    (rc = put_panel(req, d, v, c, &p)) != DOM_OK ||
	    (rc = assessment_get(d, c, &a)) != DOM_OK)
		return page_status(resp, d, rc);
	av_case(v, c);
	av_assessment(req, v, c, &a);
	av_verdict(req, v, "review", "reasons", p.conclusion);
	tv_put_bool(v, "can_add", access_may(c, role, ACT_FORM_PANEL));
	tv_put_bool(v, "can_review", access_may(c, role,
	    ACT_EXPERT_CONCLUDE));
	av_choices(req, v, "verdicts", "verdict", assess_verdicts);
	return page_render(req, resp, status, "assess_expert", v);
}

/*
 * The case of the URL when the user may see its expert review, or only
 * declare, and the review has begun; the form for the page.
 */
static int
load(struct request *req, struct response *resp, struct dom *d,
    struct case_ref *c, struct form *f)
{
	int rc;

	if ((rc = page_load_case_any(req, 0, PART_EXPERT | PART_DECLARE,
	    c)) != 0)
		return rc;
	if ((rc = page_status(resp, d, panel_begun(d, c))) != 0)
		return rc;
	form_init(f, req, page_view(req, (c->parts & PART_EXPERT) == 0 ?
	    "专家评审 · 利益冲突声明" : arena_printf(req->arena, "专家评审 · "
	    "案件 %s", c->case_no)));
	return 0;
}

static int
page_expert(struct request *req, struct response *resp)
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
page_expert_panel(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	long long id;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	/* Not a number: no account, which the domain refuses. */
	if (valid_int(form_keep(&f, "account_id"), 1, LLONG_MAX, &id) != 0)
		id = 0;
	return av_after(req, resp, d, panel_add(d, c.id, id, &pr), &c, "expert",
	    "panel#panel", &f, &pr, render);
}

static int
page_expert_declare(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	enum dom_rc r;
	int rc, already;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	r = panel_declare(d, c.id, params_get(&req->form, "confirm") != NULL,
	    &already, &pr);
	if (r == DOM_OK && already) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/expert", c.id));
		return 0;
	}
	return av_after(req, resp, d, r, &c, "expert", "declared", &f, &pr,
	    render);
}

/* A conflict declared: the expert has left the panel and may no longer
 * see the case, so the answer is this page, not a redirect to it. */
static int
page_expert_conflict(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0 ||
	    (rc = page_status(resp, d, panel_declare_conflict(d, c.id))) != 0)
		return rc;
	tv_put_bool(f.view, "left", 1);
	tv_put_str(f.view, "case_no", c.case_no);
	tv_put_str(f.view, "org_name", c.org_name);
	return page_render(req, resp, 200, "assess_declare", f.view);
}

static int
page_expert_conclusion(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	const char *verdict, *reasons;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	verdict = form_keep(&f, "verdict");
	reasons = form_keep(&f, "reasons");
	return av_after(req, resp, d, panel_conclude(d, c.id, verdict,
	    reasons, &pr), &c, "expert", "reviewed", &f, &pr, render);
}

static int
page_expert_return(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, resp, d, &c, &f)) != 0)
		return rc;
	return av_after(req, resp, d, panel_return(d, c.id, form_keep(&f,
	    "return_reasons"), &pr), &c, "expert", "returned", &f, &pr,
	    render);
}

const struct route routes_expert[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/expert", page_expert, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/expert/panel", page_expert_panel,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/declare", page_expert_declare,
	    ROLE_EXPERT, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/conflict", page_expert_conflict,
	    ROLE_EXPERT, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/conclusion",
	    page_expert_conclusion, ROLE_EXPERT, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/return", page_expert_return,
	    ROLE_EXPERT, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
