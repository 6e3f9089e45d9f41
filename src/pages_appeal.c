/*
 * pages_appeal.c: appeals (申诉, §7; appeal.h). The applicant's page of
 * a case's appeals, where it files one against a refusal (不予受理) or a
 * failed review (未通过); the supervisors' list of appeals and the page
 * of one, with what it is about (the findings, the conclusions, the
 * case's timeline), where one who took no part in the case takes it and
 * concludes it; the appeals' files.
 *
 * Upheld, the appeal reopens the case at the contested step: the
 * supervisor names it for a failed review (the team again, or the panel
 * again); a refusal goes back to 受理审查 (appeal.h).
 */
#include <limits.h>
#include <string.h>

#include "appeal.h"
#include "attach.h"
#include "page.h"
#include "pages.h"
#include "pages_paper.h"
#include "review.h"
#include "router.h"
#include "util.h"
#include "valid.h"

extern const struct route routes_appeal[];

#define PER_PAGE	20

/* Route argument i as an id; 0 when it is not one. */
static long long
arg_id(struct request *req, size_t i)
{
	long long id;

	if (i >= req->nargs || valid_int(req->args[i], 1, LLONG_MAX, &id))
		return 0;
	return id;
}

static const char *
state_zh(const struct appeal *a)
{
	if (a->concluded)
		return a->upheld ? "已办结：申诉成立" : "已办结：申诉不成立";
	return a->handler_id ? "办理中" : "待办理";
}

/* The view of an appeal; staff also see who handles it. */
static void
put_appeal(struct request *req, struct tv *row, const struct appeal *a,
    int staff)
{
	struct tv *list, *f;
	size_t i;

	tv_put_int(row, "aid", a->id);
	tv_put_str(row, "text", a->text);
	tv_put_str(row, "filed_by", a->filed_by);
	tv_put_str(row, "filed_at", page_time(req->arena, a->filed_at));
	tv_put_str(row, "state_zh", state_zh(a));
	tv_put_bool(row, "concluded", a->concluded);
	tv_put_bool(row, "upheld", a->upheld);
	tv_put_str(row, "conclusion", a->conclusion);
	tv_put_str(row, "concluded_at", page_time(req->arena,
	    a->concluded_at));
	if (a->reopen_to != ST_DRAFT)
		tv_put_str(row, "reopen_zh", status_zh(a->reopen_to));
	if (staff)
		tv_put_str(row, "handler", a->handler);
	list = tv_put_list(row, "files");
	for (i = 0; i < a->ndocs; i++) {
		f = tv_push_map(list);
		tv_put_str(f, "href", arena_printf(req->arena,
		    "/appeals/%lld/files/%lld", a->id, a->docs[i].id));
		tv_put_str(f, "filename", a->docs[i].filename);
		tv_put_str(f, "size", attach_size_zh(req->arena,
		    a->docs[i].size));
	}
	tv_put_bool(row, "has_files", a->ndocs > 0);
}

/*
 * A case's appeals into v (appeals, has_appeals), *n of them, *open of
 * them open; *may: whether the actor may file one now (appeal_may_lodge).
 */
static enum dom_rc
put_case_appeals(struct request *req, struct dom *d, const struct case_ref *c,
    struct tv *v, enum dom_rc *may, size_t *n, size_t *open)
{
	struct tv *list = tv_put_list(v, "appeals");
	struct appeal *a;
	enum dom_rc rc;
	size_t i;

	*may = DOM_FORBIDDEN;
	if ((rc = appeal_list_case(d, c, &a, n, open)) != DOM_OK)
		return rc;
	for (i = 0; i < *n; i++)
		put_appeal(req, tv_push_map(list), &a[i], 0);
	tv_put_bool(v, "has_appeals", *n > 0);
	*may = appeal_may_lodge(d, c);
	return *may == DOM_FAILED ? DOM_FAILED : DOM_OK;
}

/* For the case page: its appeals, if the actor may read them, and
 * whether it may file one. */
int
supervise_case_appeals(struct request *req, struct tv *v,
    const struct case_ref *c)
{
	struct dom *d = page_ctx(req);
	enum dom_rc rc = DOM_OK, may = DOM_FORBIDDEN;
	size_t n = 0, open;

	tv_put_str(v, "appeal_href", arena_printf(req->arena,
	    "/cases/%lld/appeal", c->id));
	tv_put_bool(v, "has_appeals", 0);
	if (c->parts & PART_APPEALS)
		rc = put_case_appeals(req, d, c, v, &may, &n, &open);
	if (rc == DOM_FAILED)
		return -1;
	tv_put_bool(v, "can_appeal", req->user->org_id != 0 &&
	    may == DOM_OK);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The applicant                                                       */

static int
render_file_form(struct request *req, struct response *resp, int status,
    const struct case_ref *c, struct tv *v)
{
	struct dom *d = page_ctx(req);
	enum dom_rc rc, may;
	size_t n, open;

	if ((rc = put_case_appeals(req, d, c, v, &may, &n, &open)) != DOM_OK)
		return page_status(resp, d, rc);
	/* Nothing to show and nothing to do: say why. */
	if (n == 0 && may != DOM_OK)
		return page_status(resp, d, may);
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "status_zh", status_zh(c->st));
	tv_put_bool(v, "has_open", open > 0);
	tv_put_bool(v, "can_file", may == DOM_OK);
	tv_put_int(v, "text_max", APPEAL_TEXT_MAX);
	tv_put_int(v, "files_max", APPEAL_FILES_MAX);
	tv_put_str(v, "max_file", attach_size_zh(req->arena,
	    (long long)d->max_file));
	tv_put_bool(v, "filed", params_get(&req->query, "filed") != NULL);
	return page_render(req, resp, status, "supervise_appeal_file", v);
}

static int
appeal_form(struct request *req, struct response *resp)
{
	struct case_ref c;
	struct tv *v;
	struct form f;
	int rc;

	if ((rc = page_load_case(req, 0, PART_APPEALS, &c)) != 0)
		return rc;
	v = page_view(req, "申诉");
	form_init(&f, req, v);
	form_value(&f, "text", "");
	return render_file_form(req, resp, 200, &c, v);
}

static int
appeal_post(struct request *req, struct response *resp)
{
	struct appeal_upload *ups;
	struct problem p[APPEAL_PROBLEMS];
	struct appeal_input in;
	const struct upload *up;
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct tv *v;
	struct form f;
	long long aid;
	enum dom_rc rc;
	size_t i, np;
	int st;

	if ((st = page_load_case(req, 0, PART_APPEALS, &c)) != 0)
		return st;
	v = page_view(req, "申诉");
	form_init(&f, req, v);
	memset(&in, 0, sizeof(in));
	in.text = form_keep(&f, "text");
	ups = arena_alloc(req->arena, (req->files.n + 1) * sizeof(*ups));
	for (i = 0; i < req->files.n; i++) {
		up = &req->files.v[i];
		if (strcmp(up->field, "files") != 0 ||
		    (up->size == 0 && (up->filename == NULL ||
		    *up->filename == '\0')))
			continue;	/* an empty file input */
		ups[in.nfiles++] = (struct appeal_upload){ up->filename,
		    up->data, up->size };
	}
	in.files = ups;
	if ((rc = appeal_lodge(d, c.id, &in, &aid)) == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/appeal?filed=1", c.id));
		return 0;
	}
	if ((rc != DOM_INVALID && rc != DOM_TOO_LARGE) || d->field == NULL)
		return page_status(resp, d, rc);
	form_error(&f, d->field, d->msg);
	np = appeal_check(d, &in, p);
	for (i = 0; i < np; i++)
		form_error(&f, p[i].field, p[i].msg);
	if (in.nfiles > 0)
		tv_put_bool(v, "reselect", 1);
	return render_file_form(req, resp, 400, &c, v);
}

/* A file of an appeal: the applicant of the case, or a supervisor. */
static int
appeal_file(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct appeal_doc doc;
	long long id = arg_id(req, 0), fid = arg_id(req, 1);
	enum dom_rc rc;

	if (id == 0 || fid == 0)
		return 404;
	if ((rc = appeal_doc_read(d, id, fid, &doc, &resp->body)) != DOM_OK)
		return page_status(resp, d, rc);
	resp->status = 200;
	resp->content_type = doc.mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, doc.filename));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The supervisors                                                     */

static int
appeals_list(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "申诉"), *list, *row;
	long long page, total, open;
	struct appeal *a;
	enum dom_rc rc;
	size_t n, i;

	if (valid_int(params_get(&req->query, "page"), 1, 1000000, &page))
		page = 1;
	rc = appeal_list(d, (page - 1) * PER_PAGE, PER_PAGE, &a, &n, &total,
	    &open);
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	list = tv_put_list(v, "appeals");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "aid", a[i].id);
		tv_put_str(row, "case_no", a[i].case_no);
		tv_put_str(row, "org_name", a[i].org_name);
		tv_put_str(row, "case_status_zh", status_zh(a[i].case_st));
		tv_put_str(row, "filed_at", page_time(req->arena,
		    a[i].filed_at));
		tv_put_str(row, "state_zh", state_zh(&a[i]));
		tv_put_bool(row, "open", !a[i].concluded);
		tv_put_str(row, "handler", a[i].handler);
	}
	tv_put_int(v, "total", total);
	tv_put_int(v, "open", open);
	tv_put_bool(v, "has_appeals", total > 0);
	page_pager(req, v, "/appeals", page, total, PER_PAGE);
	return page_render(req, resp, 200, "supervise_appeals", v);
}

/* The findings and conclusions the appeal is about, and the timeline. */
static void
put_record(struct request *req, struct tv *v, const struct appeal_dossier *x)
{
	const struct appeal_finding *f;
	const struct appeal_verdict *c;
	const struct timeline_event *e;
	struct tv *list, *row;
	size_t i;

	list = tv_put_list(v, "findings");
	for (i = 0; i < x->nfindings; i++) {
		f = &x->findings[i];
		row = tv_push_map(list);
		tv_put_int(row, "round", f->round);
		tv_put_str(row, "area", f->area);
		tv_put_str(row, "verdict", f->verdict);
		tv_put_str(row, "verdict_zh", review_verdict_zh(f->verdict));
		tv_put_str(row, "comment", f->comment);
		tv_put_str(row, "by", f->by);
		tv_put_str(row, "at", page_time(req->arena, f->at));
	}
	list = tv_put_list(v, "conclusions");
	for (i = 0; i < x->nverdicts; i++) {
		c = &x->verdicts[i];
		row = tv_push_map(list);
		tv_put_str(row, "kind_zh", c->expert ? "专家评审结论" :
		    "评估组审核结论");
		tv_put_str(row, "verdict", c->verdict);
		tv_put_str(row, "verdict_zh", strcmp(c->verdict, "pass") == 0 ?
		    "通过" : "不通过");
		tv_put_str(row, "text", c->text);
		tv_put_str(row, "by", c->by);
		tv_put_str(row, "at", page_time(req->arena, c->at));
	}
	list = tv_put_list(v, "events");
	for (i = 0; i < x->nevents; i++) {
		e = &x->events[i];
		row = tv_push_map(list);
		tv_put_str(row, "at", page_time(req->arena, e->at));
		tv_put_str(row, "actor", e->actor);
		tv_put_str(row, "actor_role", e->actor_role);
		if (e->has_from)
			tv_put_str(row, "from_zh", status_zh(e->from));
		tv_put_str(row, "to_zh", status_zh(e->to));
		tv_put_str(row, "reason", e->reason);
	}
}

/* The steps an upheld appeal may reopen the case at, the POSTed one
 * checked (the only one when there is one). */
static void
put_reopen(struct request *req, struct tv *v, const struct appeal_dossier *x)
{
	const char *sel = req->method == METHOD_POST ?
	    params_get(&req->form, "reopen") : NULL;
	struct tv *list = tv_put_list(v, "reopen_steps"), *m;
	enum status steps[3];
	size_t n = appeal_reopen_steps(x->c.st, steps), i;

	for (i = 0; i < n; i++) {
		m = tv_push_map(list);
		tv_put_str(m, "code", status_code(steps[i]));
		tv_put_str(m, "zh", status_zh(steps[i]));
		tv_put_str(m, "what", steps[i] == ST_INTAKE_REVIEW ?
		    "项目负责人重新进行受理审查" : steps[i] == ST_ASSESSING ?
		    "退回项目组重新评估（撤下原审核结论和专家评审结论）" :
		    "由专家组重新评审（撤下原专家评审结论）");
		tv_put_bool(m, "checked", n == 1 || (sel != NULL &&
		    strcmp(sel, status_code(steps[i])) == 0));
	}
	tv_put_bool(v, "has_reopen", n > 0);
	tv_put_bool(v, "choose_reopen", n > 1);
}

static int
render_appeal(struct request *req, struct response *resp, int status,
    long long id, struct tv *v)
{
	struct dom *d = page_ctx(req);
	struct appeal_dossier x;
	enum dom_rc rc;

	if ((rc = appeal_dossier(d, id, &x)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "case_id", x.c.id);
	tv_put_str(v, "case_no", x.c.case_no);
	tv_put_str(v, "org_name", x.c.org_name);
	tv_put_str(v, "lead_name", x.c.lead_name);
	tv_put_str(v, "case_status_zh", status_zh(x.c.st));
	put_appeal(req, tv_put_map(v, "appeal"), &x.a, 1);
	put_record(req, v, &x);
	if (pp_overrides(req, v, &x.c) != 0)
		return 500;
	put_reopen(req, v, &x);
	tv_put_str(v, "conflict", x.conflict ? x.conflict : "");
	tv_put_bool(v, "can_take", x.may_take);
	tv_put_bool(v, "can_conclude", x.may_conclude);
	tv_put_bool(v, "other_handler", x.other_handler);
	tv_put_bool(v, "concluded_now", params_get(&req->query,
	    "concluded") != NULL);
	tv_put_int(v, "text_max", APPEAL_TEXT_MAX);
	return page_render(req, resp, status, "supervise_appeal", v);
}

static int
appeal_show(struct request *req, struct response *resp)
{
	long long id = arg_id(req, 0);
	struct tv *v;
	struct form f;

	if (id == 0)
		return 404;
	v = page_view(req, arena_printf(req->arena, "申诉 #%lld", id));
	form_init(&f, req, v);
	form_value(&f, "conclusion", "");
	return render_appeal(req, resp, 200, id, v);
}

static int
appeal_take_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	long long id = arg_id(req, 0);
	enum dom_rc rc;

	if (id == 0)
		return 404;
	if ((rc = appeal_take(d, id)) != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, arena_printf(req->arena, "/appeals/%lld", id));
	return 0;
}

static int
appeal_conclude_post(struct request *req, struct response *resp)
{
	struct problem p[APPEAL_PROBLEMS];
	struct dom *d = page_ctx(req);
	long long id = arg_id(req, 0);
	const char *upheld_s, *text, *reopen_s;
	enum status reopen = ST_DRAFT;
	struct tv *v;
	struct form f;
	enum dom_rc rc;
	size_t i, np;
	int upheld;

	if (id == 0)
		return 404;
	v = page_view(req, arena_printf(req->arena, "申诉 #%lld", id));
	form_init(&f, req, v);
	upheld_s = form_keep(&f, "upheld");
	text = form_keep(&f, "conclusion");
	reopen_s = form_keep(&f, "reopen");
	/* Not a step: none named, which the domain refuses when it must. */
	if (*reopen_s != '\0' && status_parse(reopen_s, &reopen) != 0)
		reopen = ST_DRAFT;
	upheld = strcmp(upheld_s, "1") == 0 ? 1 : strcmp(upheld_s, "0") == 0 ?
	    0 : -1;
	if (upheld >= 0)
		tv_put_bool(v, upheld ? "upheld_yes" : "upheld_no", 1);
	if ((rc = appeal_conclude(d, id, upheld, text, reopen)) == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/appeals/%lld?concluded=1", id));
		return 0;
	}
	if (rc != DOM_INVALID)
		return page_status(resp, d, rc);
	np = appeal_check_conclusion(d, upheld, text, p);
	for (i = 0; i < np; i++)
		form_error(&f, p[i].field, p[i].msg);
	if (np == 0)
		form_error(&f, d->field != NULL ? d->field : "", d->msg);
	return render_appeal(req, resp, 400, id, v);
}

const struct route routes_appeal[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/appeal",	appeal_form,	ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/cases/{n}/appeal",	appeal_post,	ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/appeals",		appeals_list,	ROLE_SUPERVISOR, 0 },
	{ METHOD_GET,	"/appeals/{n}",		appeal_show,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/appeals/{n}/take",	appeal_take_post, ROLE_SUPERVISOR, 1 },
	{ METHOD_POST,	"/appeals/{n}/conclude", appeal_conclude_post, ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/appeals/{n}/files/{n}", appeal_file,
	    ROLE_APPLICANT | ROLE_SUPERVISOR, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
