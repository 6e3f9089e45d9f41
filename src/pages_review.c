/*
 * pages_review.c: 受理审查 (§5.2), the pages. The project lead takes a
 * submitted case, reads the frozen submission of its latest round (form
 * values, files with their SHA-256, what changed since the previous
 * round, the eligibility judged as of the first submission, year by year
 * and project by project), records a finding per area and on each
 * supplementary requirement (§3.1 (5)), records the paper original as it
 * arrives, and then requests a supplement (a 补正告知书 listing every item
 * at once, with its due date), accepts (受理通知书; with a reason when a
 * 基本资格 check fails) or refuses (不予受理通知书 with the reasons and how
 * to appeal). Each step is one function of intake.c or paper.c; these
 * pages parse the form, call it and render.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "date.h"
#include "form_def.h"
#include "formdata.h"
#include "intake.h"
#include "notice_read.h"
#include "page.h"
#include "pages_paper.h"
#include "review.h"
#include "rules.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_review[];

/* The frozen form, section by section, as label: value lines (the same
 * lines as the 申请书's PDF). */
static void
put_form(struct request *req, struct tv *v, const struct formdata *fd)
{
	struct tv *secs = tv_put_list(v, "form"), *sv, *lines, *l;
	const struct fdef_section *sec;
	struct fdef_line *fl;
	size_t i, k, n;

	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		sv = tv_push_map(secs);
		tv_put_str(sv, "sid", sec->id);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		lines = tv_put_list(sv, "lines");
		n = fdef_section_lines(req->arena, sec, &fd->src, &fl);
		for (k = 0; k < n; k++) {
			l = tv_push_map(lines);
			tv_put_str(l, "label", fl[k].label);
			tv_put_str(l, "value", fl[k].value);
		}
		tv_put_bool(sv, "empty", n == 0);
	}
}

/* The round's files by section of the form, in the form's order of
 * materials and rows, each row named by what it is ("年度：2025"). */
static void
put_files(struct request *req, struct tv *v, const struct intake_view *iv)
{
	struct tv *secs = tv_put_list(v, "file_sections"), *sv = NULL, *list;
	struct tv *f;
	const struct fdef_section *sec;
	const struct fdef_material *m;
	size_t i, k, j;

	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		list = NULL;
		for (k = 0; k < sec->nmaterials; k++) {
			m = &sec->materials[k];
			for (j = 0; j < iv->nfiles; j++) {
				if (iv->files[j].code == NULL || strcmp(
				    iv->files[j].code, m->code) != 0)
					continue;
				if (list == NULL) {
					sv = tv_push_map(secs);
					tv_put_str(sv, "sid", sec->id);
					tv_put_str(sv, "num", sec->num);
					tv_put_str(sv, "stitle", sec->title);
					list = tv_put_list(sv, "files");
				}
				f = tv_push_map(list);
				tv_put_int(f, "mid", iv->files[j].material_id);
				tv_put_str(f, "kind", iv->files[j].kind);
				if (iv->files[j].row > 0 && m->group != NULL)
					tv_put_str(f, "row_name", fdef_row_name(
					    req->arena, m->group,
					    &iv->form->src, iv->files[j].row -
					    1));
				tv_put_str(f, "filename", iv->files[j].filename);
				tv_put_str(f, "size", attach_size_zh(req->arena,
				    iv->files[j].size));
				tv_put_str(f, "sha256", iv->files[j].sha256);
			}
		}
	}
	tv_put_int(v, "nfiles", (long long)iv->nfiles);
}

/* What changed from the previous round: values and files. */
static void
put_changes(struct request *req, struct tv *v, const struct intake_view *iv)
{
	struct tv *list = tv_put_list(v, "changes"), *c;
	size_t i;

	for (i = 0; i < iv->nchanges; i++) {
		c = tv_push_map(list);
		tv_put_str(c, "what", iv->changes[i].what);
		/* A file no longer submitted next to a new one in the same
		 * place is one replacement, shown as one row. */
		if (i + 1 < iv->nchanges && strcmp(iv->changes[i].what,
		    iv->changes[i + 1].what) == 0 && strcmp(
		    iv->changes[i].now, "（不再提交）") == 0 && strncmp(
		    iv->changes[i + 1].now, "新文件 ", 10) == 0) {
			tv_put_str(c, "old", iv->changes[i].was);
			tv_put_str(c, "new", arena_printf(req->arena, "替换为 %s",
			    iv->changes[i + 1].now + 10));
			i++;
			continue;
		}
		tv_put_str(c, "old", iv->changes[i].was);
		tv_put_str(c, "new", iv->changes[i].now);
	}
	tv_put_bool(v, "has_changes", iv->nchanges > 0);
}

/* The finding of the round on area, or NULL. */
static const struct intake_finding *
finding_on(const struct intake_view *iv, const char *area)
{
	size_t i;

	for (i = 0; i < iv->nfindings; i++)
		if (strcmp(iv->findings[i].area, area) == 0)
			return &iv->findings[i];
	return NULL;
}

static void
put_findings(struct request *req, struct tv *v, const struct intake_view *iv)
{
	const struct review_area *a;
	const struct intake_finding *f;
	struct tv *list = tv_put_list(v, "areas"), *row;
	const char *verdict;

	for (a = review_areas; a->code != NULL; a++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", a->code);
		tv_put_str(row, "label", a->label);
		verdict = "";
		if ((f = finding_on(iv, a->code)) != NULL) {
			verdict = f->verdict;
			tv_put_str(row, "comment", f->comment);
		}
		tv_put_bool(row, "v_ok", strcmp(verdict, "ok") == 0);
		tv_put_bool(row, "v_supplement", strcmp(verdict,
		    "supplement") == 0);
		tv_put_bool(row, "v_fail", strcmp(verdict, "fail") == 0);
		tv_put_bool(row, "v_none", *verdict == '\0');
		tv_put_str(row, "verdict_zh", review_verdict_zh(verdict));
	}
}

#define SUPPLEMENT_ROWS	6	/* rows on the form; more after an error */

static void
put_item_row(struct request *req, struct tv *list, int i, const char *target,
    const char *what, const char *error)
{
	struct tv *row = tv_push_map(list), *opts, *o;
	const struct fdef_section *sec;
	size_t k, m;

	tv_put_int(row, "i", i);
	tv_put_int(row, "n", i + 1);
	tv_put_str(row, "what", what ? what : "");
	if (error != NULL)
		tv_put_str(row, "error", error);
	opts = tv_put_list(row, "targets");
	for (k = 0; k < fdef_nsections(); k++) {
		sec = fdef_section_at(k);
		o = tv_push_map(opts);
		tv_put_str(o, "code", sec->id);
		tv_put_str(o, "label", arena_printf(req->arena, "%s%s%s",
		    sec->num, *sec->num ? "、" : "", sec->title));
		tv_put_bool(o, "selected", target && strcmp(target,
		    sec->id) == 0);
		for (m = 0; m < sec->nmaterials; m++) {
			o = tv_push_map(opts);
			tv_put_str(o, "code", sec->materials[m].code);
			tv_put_str(o, "label", arena_printf(req->arena,
			    "　材料：%s", sec->materials[m].label));
			tv_put_bool(o, "selected", target && strcmp(target,
			    sec->materials[m].code) == 0);
		}
	}
}

static const char *
area_section(const char *area)
{
	int n;

	if (strncmp(area, "pa", 2) != 0 || (n = atoi(area + 2)) < 1 || n > 22)
		return NULL;
	return n <= 11 ? "s6" : "s7";
}

/* The item rows as posted back (after an error or from a preview), with
 * their errors; how many. */
static int
put_posted_items(struct request *req, struct tv *list, const struct form *f)
{
	const char *t, *w, *e;
	long long n = 0;
	int i;

	if (valid_int(params_get(&req->form, "items._rows"), 0,
	    INTAKE_MAX_ITEMS, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		t = params_get(&req->form, arena_printf(req->arena,
		    "item_target.%d", i));
		w = params_get(&req->form, arena_printf(req->arena,
		    "item_what.%d", i));
		e = tv_string(tv_get(tv_get(f->fields, arena_printf(req->arena,
		    "item-%d", i)), "error"));
		put_item_row(req, list, i, t, w, e);
	}
	return i;
}

/* The supplement form's rows: as posted (after an error), or one per
 * finding marked 需补正, then empty rows. */
static void
put_items(struct request *req, struct tv *v, const struct intake_view *iv,
    const struct form *f)
{
	struct tv *list = tv_put_list(v, "sitems");
	const struct review_area *a;
	long long n;
	int i = 0;
	size_t k;

	if (f != NULL && params_get(&req->form, "items._rows") != NULL)
		i = put_posted_items(req, list, f);
	else {
		for (k = 0; k < iv->nfindings &&
		    i < INTAKE_MAX_ITEMS - SUPPLEMENT_ROWS; k++) {
			if (strcmp(iv->findings[k].verdict, "supplement") != 0)
				continue;
			a = review_area(iv->findings[k].area);
			/* A process area names its section (PA01-PA11 are
			 * 六, PA12-PA22 七); other areas the lead chooses. */
			put_item_row(req, list, i++, area_section(
			    iv->findings[k].area), arena_printf(
			    req->arena, "【%s】%s", a ? a->label : "",
			    iv->findings[k].comment), NULL);
		}
	}
	for (n = i + SUPPLEMENT_ROWS; i < n; i++)
		put_item_row(req, list, i, NULL, NULL, NULL);
	tv_put_int(v, "nitems", i);
}

/* The 更正 form: the items of the notice in force (or as posted back
 * from its preview), then empty rows. */
static void
put_correction(struct request *req, struct dom *d, struct tv *v,
    const struct case_ref *c, struct form *f)
{
	struct notice_supplement s;
	struct tv *list;
	long long n;
	int i = 0;
	size_t k;

	if (f != NULL && params_get(&req->form, "correct") != NULL &&
	    params_get(&req->form, "items._rows") != NULL) {
		list = tv_put_list(v, "citems");
		i = put_posted_items(req, list, f);
		tv_put_bool(v, "correct_open", 1);
	} else {
		if (notice_supplement(d, c, &s) != DOM_OK)
			return;
		list = tv_put_list(v, "citems");
		for (k = 0; k < s.nitems && i < INTAKE_MAX_ITEMS - 2; k++)
			put_item_row(req, list, i++, s.items[k].target,
			    s.items[k].what, NULL);
	}
	for (n = i + 2; i < n && i < INTAKE_MAX_ITEMS; i++)
		put_item_row(req, list, i, NULL, NULL, NULL);
	tv_put_int(v, "ncitems", i);
}

/* The requirements form: each active requirement with the lead's answer,
 * as posted (after an error) or as recorded. */
static void
put_req_form(struct request *req, struct tv *v, const struct eligibility *e,
    int posted)
{
	struct tv *list = tv_put_list(v, "req_form"), *r;
	const struct elig_req *q;
	const char *met, *ev;
	size_t i;
	int n = 0;

	for (i = 0; i < e->nreqs; i++) {
		q = &e->reqs[i];
		if (!q->active)
			continue;
		met = q->recorded ? (q->met ? "1" : "0") : "";
		ev = q->evidence;
		if (posted) {
			met = params_get(&req->form, arena_printf(req->arena,
			    "req_met.%lld", q->id));
			ev = params_get(&req->form, arena_printf(req->arena,
			    "req_evidence.%lld", q->id));
		}
		r = tv_push_map(list);
		tv_put_int(r, "i", n);
		tv_put_int(r, "rid", q->id);
		tv_put_str(r, "title", q->title);
		tv_put_str(r, "hint", q->hint);
		tv_put_bool(r, "yes", met != NULL && strcmp(met, "1") == 0);
		tv_put_bool(r, "no", met != NULL && strcmp(met, "0") == 0);
		tv_put_str(r, "evidence", ev != NULL ? ev : "");
		n++;
	}
	tv_put_bool(v, "has_req_form", n > 0);
	tv_put_int(v, "req_rows", n);
}

/* A yes/no radio of the receipt form as typed: 1, 0, or -1. */
static int
yesno(struct form *f, const char *name)
{
	const char *s = form_keep(f, name);

	tv_put_bool(f->view, arena_printf(f->req->arena, "%s_yes", name),
	    strcmp(s, "1") == 0);
	tv_put_bool(f->view, arena_printf(f->req->arena, "%s_no", name),
	    strcmp(s, "0") == 0);
	return strcmp(s, "1") == 0 ? 1 : strcmp(s, "0") == 0 ? 0 : -1;
}

/* The latest supplement notice's 送达 and due date, and the messages to
 * the organisation that bounced. */
static void
put_service(struct request *req, struct tv *v, const struct intake_view *iv)
{
	struct tv *s, *list, *row;
	size_t i;

	if (iv->has_supplement) {
		s = tv_put_map(v, "sup");
		tv_put_int(s, "nid", iv->supplement.id);
		tv_put_str(s, "no", iv->supplement.no);
		tv_put_str(s, "day", page_date_zh(req->arena,
		    iv->supplement.day));
		tv_put_str(s, "due", page_date_zh(req->arena,
		    iv->supplement.due));
		tv_put_str(s, "served_day", page_date_zh(req->arena,
		    iv->supplement.served_day));
		tv_put_str(s, "served_zh", iv->supplement.served_zh);
	}
	tv_put_bool(v, "has_bounces", iv->nbounces > 0);
	list = tv_put_list(v, "bounces");
	for (i = 0; i < iv->nbounces; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "no", iv->bounces[i].notice_no);
		tv_put_str(row, "to", iv->bounces[i].to);
		tv_put_str(row, "subject", iv->bounces[i].subject);
		tv_put_str(row, "error", iv->bounces[i].error);
		tv_put_str(row, "at", page_time(req->arena, iv->bounces[i].at));
	}
}

static int
render(struct request *req, struct response *resp, int status,
    const struct case_ref *c, struct form *sup)
{
	struct tv *v = sup ? sup->view : page_view(req, "受理审查");
	struct dom *d = page_ctx(req);
	struct intake_view iv;
	struct paper_state ps;
	struct form f, *fm = sup;
	unsigned role = req->user->role_bit;
	enum dom_rc rc;

	if ((rc = intake_view(d, c, &iv)) != DOM_OK ||
	    (rc = paper_state(d, c, 1, &ps)) != DOM_OK)
		return page_status(resp, d, rc);
	if (fm == NULL) {
		form_init(&f, req, v);
		fm = &f;
	}
	/* The receipt form's defaults, unless it is what was posted. */
	if (params_get(&req->form, "courier") == NULL) {
		form_value(fm, "received_on", d->today_s);
		form_value(fm, "checked_by", req->user->name);
	}
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "status_zh", status_zh(c->st));
	tv_put_str(v, "lead_name", c->lead_name);
	tv_put_int(v, "round", iv.round);
	tv_put_bool(v, "can_start", access_may(c, role, ACT_TAKE_REVIEW));
	tv_put_bool(v, "reviewing", c->st == ST_INTAKE_REVIEW &&
	    access_may(c, role, ACT_REVIEW));
	tv_put_bool(v, "can_receive", access_may(c, role, ACT_REVIEW));
	tv_put_bool(v, "waiting_supplement", c->st ==
	    ST_SUPPLEMENT_REQUESTED && access_may(c, role, ACT_REVIEW));
	put_service(req, v, &iv);
	if (iv.late) {
		tv_put_bool(v, "late", 1);
		tv_put_str(v, "late_due", iv.late_due);
		tv_put_str(v, "late_day", iv.late_day);
	}
	tv_put_str(v, "awaited_due", iv.awaited_due);
	tv_put_bool(v, "overdue", iv.overdue);
	if (iv.name_differs) {
		tv_put_bool(v, "name_differs", 1);
		tv_put_str(v, "account_org", c->account_org);
	}
	tv_put_str(v, "uscc", c->org_uscc);
	if (c->st == ST_SUPPLEMENT_REQUESTED && access_may(c, role,
	    ACT_REVIEW))
		put_correction(req, d, v, c, sup);
	put_form(req, v, iv.form);
	put_files(req, v, &iv);
	if (iv.prev_round > 0) {
		tv_put_int(v, "prev_round", iv.prev_round);
		put_changes(req, v, &iv);
	}
	pp_eligibility(req, v, &iv.elig);
	put_req_form(req, v, &iv.elig, sup != NULL &&
	    params_get(&req->form, "requirements") != NULL);
	pp_paper(req, v, &ps, 1);
	if (pp_overrides(req, v, c) != 0)
		return 500;
	put_findings(req, v, &iv);
	put_items(req, v, &iv, sup);
	return page_render(req, resp, status, "review", v);
}

static int
page_review(struct request *req, struct response *resp)
{
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	return render(req, resp, 200, &c, NULL);
}

/* After a step: its refusal, or the redirect to where it leads. */
static int
done(struct response *resp, const struct dom *d, enum dom_rc rc,
    const char *to)
{
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, to);
	return 0;
}

static int
page_review_start(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	return done(resp, d, intake_take(d, c.id),
	    arena_printf(req->arena, "/cases/%lld/review", c.id));
}

static int
page_review_findings(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct intake_finding *in;
	const struct review_area *a;
	struct case_ref c;
	const char *verdict;
	size_t n = 0;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	for (a = review_areas; a->code != NULL; a++)
		n++;
	in = arena_alloc(req->arena, n * sizeof(*in));
	n = 0;
	for (a = review_areas; a->code != NULL; a++) {
		verdict = params_get(&req->form, arena_printf(req->arena,
		    "verdict_%s", a->code));
		if (verdict == NULL || *verdict == '\0')
			continue;
		in[n].area = a->code;
		in[n].verdict = verdict;
		in[n].comment = params_get(&req->form, arena_printf(
		    req->arena, "comment_%s", a->code));
		n++;
	}
	return done(resp, d, intake_record_findings(d, c.id, in, n),
	    arena_printf(req->arena, "/cases/%lld/review?saved=1#findings",
	    c.id));
}

static int
supplement_preview(struct request *req, struct response *resp,
    const struct case_ref *c, const struct intake_item *items, size_t count,
    int rows, int correct)
{
	struct dom *d = page_ctx(req);
	const char **lines, **carry, *label;
	char due[DATE_BUFSZ];
	size_t i;
	int k = 0;

	lines = arena_alloc(req->arena, (count + 1) * sizeof(*lines));
	for (i = 0; i < count; i++) {
		(void)intake_item_check(req->arena, &items[i], &label);
		lines[i] = arena_printf(req->arena, "第 %zu 项 · %s：%s", i + 1,
		    label, items[i].what);
	}
	lines[count] = NULL;
	carry = arena_alloc(req->arena, (size_t)(2 * rows + 3) *
	    sizeof(*carry));
	carry[k++] = "items._rows";
	if (correct)
		carry[k++] = "correct";
	for (i = 0; i < (size_t)rows; i++) {
		carry[k++] = arena_printf(req->arena, "item_target.%zu", i);
		carry[k++] = arena_printf(req->arena, "item_what.%zu", i);
	}
	carry[k] = NULL;
	date_format(rules_supplement_due(rules_default(), d->today), due);
	if (correct)
		return page_confirm_edit(req, resp, "预览更正通知", arena_printf(
		    req->arena, "将向申请单位发出更正通知（案件 %s），更正并取代"
		    "现行的补正告知书；补正期限重新计算为送达之日起一个月（今天"
		    "送达则为 %s）。请核对每一项对应的章节或材料。", c->case_no,
		    page_date_zh(req->arena, due)), arena_printf(req->arena,
		    "更正通知将列出以下 %zu 项：", count), lines, "确认发出更正通知",
		    arena_printf(req->arena, "/cases/%lld/review/correct",
		    c->id), arena_printf(req->arena, "/cases/%lld/review",
		    c->id), carry, "返回修改");
	return page_confirm_edit(req, resp, "预览补正告知书", arena_printf(
	    req->arena, "将向申请单位发出补正告知书（案件 %s），一次性告知以下"
	    "全部需补正的内容。补正期限为送达之日起一个月（今天送达则为 %s）。"
	    "请核对每一项对应的章节或材料。", c->case_no, page_date_zh(
	    req->arena, due)), arena_printf(req->arena, "告知书将列出以下 %zu "
	    "项：", count), lines, "确认发出补正告知书", arena_printf(
	    req->arena, "/cases/%lld/review/supplement", c->id), arena_printf(
	    req->arena, "/cases/%lld/review", c->id), carry, "返回修改");
}

static int supplement_or_correct(struct request *req, struct response *resp,
    int correct);

static int
page_review_supplement(struct request *req, struct response *resp)
{
	return supplement_or_correct(req, resp, 0);
}

/* 更正通知: the same form, posted to /review/correct. */
static int
page_review_correct(struct request *req, struct response *resp)
{
	return supplement_or_correct(req, resp, 1);
}

static int
supplement_or_correct(struct request *req, struct response *resp, int correct)
{
	struct dom *d = page_ctx(req);
	struct intake_item items[INTAKE_MAX_ITEMS], it;
	struct case_ref c;
	struct tv *v;
	struct form f;
	const char *rows, *err;
	long long n = 0;
	size_t count = 0;
	enum dom_rc drc;
	int rc, i;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	rows = params_get(&req->form, "items._rows");
	if (rows != NULL && valid_int(rows, 0, INTAKE_MAX_ITEMS, &n) != 0)
		return 400;
	/* Every wrong row is shown at once; empty rows are left out. */
	for (i = 0; i < n; i++) {
		it.row = i;
		it.target = params_get(&req->form, arena_printf(req->arena,
		    "item_target.%d", i));
		it.what = params_get(&req->form, arena_printf(req->arena,
		    "item_what.%d", i));
		if ((it.target == NULL || *it.target == '\0') &&
		    (it.what == NULL || *it.what == '\0'))
			continue;
		if ((err = intake_item_check(req->arena, &it, NULL)) != NULL)
			form_error(&f, arena_printf(req->arena, "item-%d", i),
			    err);
		else
			items[count++] = it;
	}
	/* 返回修改 from the preview: the form again, as it was. */
	if (params_get(&req->form, "edit") != NULL) {
		if ((drc = access_require(d, &c, ACT_REVIEW)) != DOM_OK)
			return page_status(resp, d, drc);
		tv_put_bool(v, "supplement_open", 1);
		return render(req, resp, 200, &c, &f);
	}
	/* The notice as it will go out, before it goes: each item with the
	 * section or material it names (a wrong pairing is seen here). */
	if (f.nerrors == 0 && count > 0 && !page_confirmed(req)) {
		if ((drc = access_require(d, &c, ACT_REVIEW)) != DOM_OK)
			return page_status(resp, d, drc);
		return supplement_preview(req, resp, &c, items, count, (int)n,
		    correct);
	}
	if (f.nerrors == 0 && correct) {
		const char *no;

		drc = intake_correct_supplement(d, c.id, items, count, &no);
		if (drc != DOM_INVALID)
			return done(resp, d, drc, arena_printf(req->arena,
			    "/cases/%lld", c.id));
		form_error(&f, d->field, d->msg);
	} else if (f.nerrors == 0) {
		drc = intake_request_supplement(d, c.id, items, count);
		if (drc != DOM_INVALID)
			return done(resp, d, drc, arena_printf(req->arena,
			    "/cases/%lld", c.id));
		form_error(&f, d->field, d->msg);
	} else if ((drc = access_require(d, &c, ACT_REVIEW)) != DOM_OK)
		return page_status(resp, d, drc);
	tv_put_bool(v, "supplement_open", 1);
	return render(req, resp, 400, &c, &f);
}

/* After a step refused for what the review page shows: the page again,
 * with the refusal at its field and the part of the form opened. */
static int
again(struct request *req, struct response *resp, const struct case_ref *c,
    struct form *f, const struct dom *d, enum dom_rc rc, const char *open)
{
	if (d->field == NULL)
		return page_status(resp, d, rc);
	form_error(f, d->field, d->msg);
	if (strcmp(d->field, "receipt") == 0)
		open = "receipt_open";
	if (open != NULL)
		tv_put_bool(f->view, open, 1);
	return render(req, resp, rc == DOM_CONFLICT ? 409 : 400, c, f);
}

/* 受理 asks first, and says which areas are still 未审查 or marked
 * 需补正 (the lead's override, if any, carried). */
static int
accept_confirm(struct request *req, struct response *resp, struct dom *d,
    const struct case_ref *c, struct form *f)
{
	struct intake_view iv;
	const struct review_area *a;
	const char **warn, *verdict;
	static const char *const carry[] = { "override", NULL };
	size_t n = 0, k;
	enum dom_rc drc;

	/* What would refuse it is said at once, at its field. */
	if ((drc = intake_accept_check(d, c->id, form_keep(f, "override"))) !=
	    DOM_OK)
		return again(req, resp, c, f, d, drc, NULL);
	if ((drc = intake_view(d, c, &iv)) != DOM_OK)
		return page_status(resp, d, drc);
	for (a = review_areas; a->code != NULL; a++)
		n++;
	warn = arena_alloc(req->arena, (n + 1) * sizeof(*warn));
	n = 0;
	for (a = review_areas; a->code != NULL; a++) {
		verdict = NULL;
		for (k = 0; k < iv.nfindings; k++)
			if (strcmp(iv.findings[k].area, a->code) == 0)
				verdict = iv.findings[k].verdict;
		if (verdict == NULL)
			warn[n++] = arena_printf(req->arena, "%s：未审查",
			    a->label);
		else if (strcmp(verdict, "ok") != 0)
			warn[n++] = arena_printf(req->arena, "%s：%s",
			    a->label, review_verdict_zh(verdict));
	}
	warn[n] = NULL;
	return page_confirm(req, resp, "确认受理", arena_printf(req->arena,
	    "受理后将向申请单位发出受理通知书，案件 %s 进入立项阶段。",
	    c->case_no), n > 0 ? "以下审查项尚未确认“符合”：" : NULL, warn,
	    "确认受理，发出受理通知书", arena_printf(req->arena,
	    "/cases/%lld/review/accept", c->id), arena_printf(req->arena,
	    "/cases/%lld/review", c->id), carry);
}

/* 不予受理 asks first (with the reasons carried), once they are given. */
static int
refuse_confirm(struct request *req, struct response *resp, struct dom *d,
    const struct case_ref *c, struct form *f)
{
	static const char *const carry[] = { "reasons", "late", NULL };
	const char *w[] = { form_keep(f, "reasons"), NULL };
	enum dom_rc drc;

	if (*w[0] == '\0')
		return -1;
	if ((drc = access_require(d, c, ACT_REVIEW)) != DOM_OK)
		return page_status(resp, d, drc);
	return page_confirm(req, resp, "确认不予受理", arena_printf(req->arena,
	    "将向申请单位发出不予受理通知书（附理由和申诉途径），案件 %s 随即"
	    "结束。", c->case_no), "不予受理的理由：", w, "确认不予受理，发出"
	    "通知书", arena_printf(req->arena, "/cases/%lld/review/refuse",
	    c->id), arena_printf(req->arena, "/cases/%lld/review", c->id),
	    carry);
}

/*
 * A decision posted on the review page: step(d, case, the posted field),
 * then the case page; refused at a field of the page, the page again
 * with the part open. Unless confirmed, ask (may be NULL) shows the
 * confirmation page first (or returns -1 when there is nothing to ask).
 */
static int
decide(struct request *req, struct response *resp, const char *field,
    enum dom_rc (*step)(struct dom *, long long, const char *),
    const char *open, int (*ask)(struct request *, struct response *,
    struct dom *, const struct case_ref *, struct form *))
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	struct tv *v;
	struct form f;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	/* 受理 and 不予受理 cannot be taken back: they ask first. */
	if (ask != NULL && !page_confirmed(req) &&
	    (rc = ask(req, resp, d, &c, &f)) >= 0)
		return rc;
	drc = step(d, c.id, form_keep(&f, field));
	if (drc != DOM_INVALID && drc != DOM_CONFLICT)
		return done(resp, d, drc, arena_printf(req->arena,
		    "/cases/%lld", c.id));
	return again(req, resp, &c, &f, d, drc, open);
}

static int
page_review_accept(struct request *req, struct response *resp)
{
	return decide(req, resp, "override", intake_accept, NULL,
	    accept_confirm);
}

/* 登记纸质原件签收 */
static int
page_review_receipt(struct request *req, struct response *resp)
{
	struct problem p[PAPER_PROBLEMS];
	struct dom *d = page_ctx(req);
	struct paper_input in;
	struct case_ref c;
	struct tv *v;
	struct form f;
	enum dom_rc drc;
	size_t i, n;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	memset(&in, 0, sizeof(in));
	in.courier = form_keep(&f, "courier");
	in.waybill = form_keep(&f, "waybill");
	in.received_on = form_keep(&f, "received_on");
	in.checked_by = form_keep(&f, "checked_by");
	in.notes = form_keep(&f, "notes");
	in.paper = yesno(&f, "paper");
	in.cd = yesno(&f, "cd");
	in.matches = yesno(&f, "consistent");
	drc = paper_record(d, c.id, &in);
	if (drc == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/review?received=1#paper-original", c.id));
		return 0;
	}
	if (drc != DOM_INVALID)
		return again(req, resp, &c, &f, d, drc, "receipt_open");
	/* Every problem at once. */
	n = paper_check(d, &in, p);
	for (i = 0; i < n; i++)
		form_error(&f, p[i].field, p[i].msg);
	return again(req, resp, &c, &f, d, drc, "receipt_open");
}

/* 记录补充要求的核对结果 */
static int
page_review_requirements(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct intake_req *in;
	const char *rows, *id, *met;
	struct case_ref c;
	struct tv *v;
	struct form f;
	long long n = 0, rid;
	size_t k = 0;
	enum dom_rc drc;
	int rc, i;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	rows = params_get(&req->form, "reqs._rows");
	if (rows == NULL || valid_int(rows, 0, 1000, &n) != 0)
		return 400;
	in = arena_alloc(req->arena, ((size_t)n + 1) * sizeof(*in));
	for (i = 0; i < n; i++) {
		id = params_get(&req->form, arena_printf(req->arena,
		    "req_id.%d", i));
		if (id == NULL || valid_int(id, 1, LLONG_MAX, &rid) != 0)
			return 400;
		met = params_get(&req->form, arena_printf(req->arena,
		    "req_met.%lld", rid));
		in[k].id = rid;
		in[k].met = met == NULL ? -1 : strcmp(met, "1") == 0 ? 1 :
		    strcmp(met, "0") == 0 ? 0 : -1;
		in[k].evidence = params_get(&req->form, arena_printf(
		    req->arena, "req_evidence.%lld", rid));
		k++;
	}
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	drc = intake_record_requirements(d, c.id, in, k);
	if (drc == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/review?saved=1#requirements", c.id));
		return 0;
	}
	return again(req, resp, &c, &f, d, drc, NULL);
}

static int
page_review_refuse(struct request *req, struct response *resp)
{
	/* On the ground of §5.2 (逾期未补正), or on the reasons alone. */
	return decide(req, resp, "reasons", params_get(&req->form, "late") !=
	    NULL ? intake_refuse_late : intake_refuse, "refuse_open",
	    refuse_confirm);
}

const struct route routes_review[] = {
	{ METHOD_GET, "/cases/{n}/review", page_review, ROLES_STAFF, 0 },
	{ METHOD_POST, "/cases/{n}/review/start", page_review_start,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/findings", page_review_findings,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/supplement", page_review_supplement,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/correct", page_review_correct,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/accept", page_review_accept,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/receipt", page_review_receipt,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/requirements",
	    page_review_requirements, ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/refuse", page_review_refuse,
	    ROLE_LEAD, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
