/*
 * pages_review.c: 受理审查 (§5.2), the pages. The project lead takes a
 * submitted case, reads the frozen submission of its latest round (form
 * values, files with their SHA-256, what changed since the previous
 * round, the eligibility checks with the applicant's figures), records a
 * finding per area, and then requests a supplement (a 补正告知书 listing
 * every item at once, with its due date), accepts (受理通知书) or refuses
 * (不予受理通知书 with the reasons and how to appeal). Each step is one
 * function of intake.c; these pages parse the form, call it and render.
 */
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
#include "review.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_review[];

/* The frozen form, section by section, as label: value lines. */
static void
put_form(struct request *req, struct tv *v, const struct formdata *fd)
{
	struct tv *secs = tv_put_list(v, "form"), *sv, *lines, *l;
	const struct fdef_section *sec;
	const struct fdef_field *f;
	const char *val, *shown;
	struct buf row;
	size_t i, k;
	int r, rows, n;

	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		sv = tv_push_map(secs);
		tv_put_str(sv, "sid", sec->id);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		lines = tv_put_list(sv, "lines");
		n = 0;
		for (k = 0; k < sec->nfields; k++) {
			f = &sec->fields[k];
			if (f->group != NULL) {
				if (k > 0 && sec->fields[k - 1].group ==
				    f->group)
					continue;
				rows = formdata_rows(fd, f->group->name);
				for (r = 0; r < rows; r++) {
					size_t j;

					buf_init(&row);
					for (j = k; j < sec->nfields &&
					    sec->fields[j].group == f->group; j++) {
						val = formdata_get(fd,
						    sec->fields[j].name, r);
						if (val == NULL || *val == '\0')
							continue;
						buf_printf(&row, "%s%s：%s", row.n ?
						    "；" : "", sec->fields[j].label,
						    fdef_display(req->arena,
						    &sec->fields[j], val));
					}
					if (row.n > 0) {
						/* Named by what it is: "人员 2：
						 * 钱程", "年度 3：2025". */
						val = formdata_get(fd, f->name, r);
						l = tv_push_map(lines);
						tv_put_str(l, "label", arena_printf(
						    req->arena, "%s %d%s%s",
						    f->group->row_label, r + 1,
						    val && *val ? "：" : "",
						    val && *val ? fdef_display(
						    req->arena, f, val) : ""));
						tv_put_str(l, "value", row.p);
						n++;
					}
					buf_free(&row);
				}
				continue;
			}
			val = formdata_get(fd, f->name, FDEF_NOROW);
			if (val == NULL || *val == '\0')
				continue;
			/* A ticked box reads 已勾选, not "yes". */
			shown = fdef_display(req->arena, f, val);
			l = tv_push_map(lines);
			tv_put_str(l, "label", f->label);
			tv_put_str(l, "value", shown);
			n++;
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

static void
put_checks(struct request *req, struct tv *v, const struct intake_view *iv)
{
	struct tv *list = tv_put_list(v, "checks"), *c;
	const struct rules_check *k;
	size_t i;

	for (i = 0; i < iv->nchecks; i++) {
		k = &iv->checks[i];
		c = tv_push_map(list);
		tv_put_str(c, "label", k->label_zh);
		tv_put_str(c, "section", k->section);
		tv_put_str(c, "threshold", k->threshold_zh);
		tv_put_str(c, "figure", k->figure_zh);
		tv_put_str(c, "verdict", rules_verdict_code(k->verdict));
		tv_put_str(c, "verdict_zh", rules_verdict_zh(k->verdict));
	}
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

static int
render(struct request *req, struct response *resp, int status,
    const struct case_ref *c, struct form *sup)
{
	struct tv *v = sup ? sup->view : page_view(req, "受理审查");
	struct dom *d = page_ctx(req);
	struct intake_view iv;
	unsigned role = req->user->role_bit;
	enum dom_rc rc;

	if ((rc = intake_view(d, c, &iv)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "status_zh", status_zh(c->st));
	tv_put_str(v, "lead_name", c->lead_name);
	tv_put_int(v, "round", iv.round);
	tv_put_bool(v, "can_start", access_may(c, role, ACT_TAKE_REVIEW));
	tv_put_bool(v, "reviewing", c->st == ST_INTAKE_REVIEW &&
	    access_may(c, role, ACT_REVIEW));
	tv_put_bool(v, "waiting_supplement", c->st ==
	    ST_SUPPLEMENT_REQUESTED && access_may(c, role, ACT_REVIEW));
	tv_put_str(v, "supplement_due", iv.supplement_due);
	if (c->st == ST_SUPPLEMENT_REQUESTED && access_may(c, role,
	    ACT_REVIEW))
		put_correction(req, d, v, c, sup);
	put_form(req, v, iv.form);
	put_files(req, v, &iv);
	if (iv.prev_round > 0) {
		tv_put_int(v, "prev_round", iv.prev_round);
		put_changes(req, v, &iv);
	}
	put_checks(req, v, &iv);
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
	date_format(intake_supplement_due(d), due);
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

static int
accept_confirm(struct request *req, struct response *resp, struct dom *d,
    const struct case_ref *c)
{
	struct intake_view iv;
	const struct review_area *a;
	const char **warn, *verdict;
	size_t i, n = 0, k;
	enum dom_rc drc;

	if ((drc = access_require(d, c, ACT_REVIEW)) != DOM_OK)
		return page_status(resp, d, drc);
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
	(void)i;
	return page_confirm(req, resp, "确认受理", arena_printf(req->arena,
	    "受理后将向申请单位发出受理通知书，案件 %s 进入立项阶段。",
	    c->case_no), n > 0 ? "以下审查项尚未确认“符合”：" : NULL, warn,
	    "确认受理，发出受理通知书", arena_printf(req->arena,
	    "/cases/%lld/review/accept", c->id), arena_printf(req->arena,
	    "/cases/%lld/review", c->id), NULL);
}

static int
page_review_accept(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_FINDINGS, &c)) != 0)
		return rc;
	/* 受理 cannot be taken back: it asks first, and says which areas
	 * are still 未审查 or marked 需补正. */
	if (!page_confirmed(req))
		return accept_confirm(req, resp, d, &c);
	return done(resp, d, intake_accept(d, c.id),
	    arena_printf(req->arena, "/cases/%lld", c.id));
}

static int
page_review_refuse(struct request *req, struct response *resp)
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
	/* 不予受理 cannot be taken back: it asks first (with the reasons
	 * carried), once the reasons are given. */
	if (!page_confirmed(req) && *form_keep(&f, "reasons") != '\0') {
		static const char *const carry[] = { "reasons", NULL };
		const char *w[] = { params_get(&req->form, "reasons"), NULL };

		if ((drc = access_require(d, &c, ACT_REVIEW)) != DOM_OK)
			return page_status(resp, d, drc);
		return page_confirm(req, resp, "确认不予受理",
		    arena_printf(req->arena, "将向申请单位发出不予受理通知书"
		    "（附理由和申诉途径），案件 %s 随即结束。", c.case_no),
		    "不予受理的理由：", w, "确认不予受理，发出通知书",
		    arena_printf(req->arena, "/cases/%lld/review/refuse",
		    c.id), arena_printf(req->arena, "/cases/%lld/review",
		    c.id), carry);
	}
	drc = intake_refuse(d, c.id, form_keep(&f, "reasons"));
	if (drc != DOM_INVALID)
		return done(resp, d, drc, arena_printf(req->arena,
		    "/cases/%lld", c.id));
	form_error(&f, d->field, d->msg);
	tv_put_bool(v, "refuse_open", 1);
	return render(req, resp, 400, &c, &f);
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
	{ METHOD_POST, "/cases/{n}/review/refuse", page_review_refuse,
	    ROLE_LEAD, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
