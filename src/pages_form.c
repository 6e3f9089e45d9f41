/*
 * pages_form.c: one page per section of the 申请书, rendered from
 * form_def.c's tables. Saving is all or nothing: a value that is invalid
 * (not merely missing: a draft may be incomplete) refuses the whole save,
 * and the page comes back with what was typed and each message next to
 * its field. Rows of repeating groups are added and removed by buttons
 * that re-render the form without saving, so no JavaScript is needed.
 *
 * Input names: a field outside groups is its name; row i of a group
 * field is "name.i". Each group posts its row count as "group._rows" and,
 * per row, the row it was loaded from as "group._orig.i" (empty for a new
 * row), so materials attached to rows follow their row when rows are
 * removed or blank rows dropped.
 */
#include <stdio.h>
#include <string.h>

#include "application.h"
#include "date.h"
#include "eligibility.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "page.h"
#include "step.h"
#include "pages.h"
#include "valid.h"

#define FORM_MAX_ROWS	1000

/* Errors found for the page: per (field, row), and for a group. */
struct perr {
	const char	*field;
	const char	*group;
	int		 row;
	const char	*msg;
	const char	*summary;
};

struct page_errors {
	struct perr	*v;
	size_t		 n;
	size_t		 cap;
};

static void
perr_add(struct arena *a, struct page_errors *e, const char *field,
    const char *group, int row, const char *msg, const char *summary)
{
	struct perr *nv;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		nv = arena_alloc(a, e->cap * sizeof(*nv));
		if (e->n > 0)
			memcpy(nv, e->v, e->n * sizeof(*nv));
		e->v = nv;
	}
	e->v[e->n].field = field;
	e->v[e->n].group = group;
	e->v[e->n].row = row;
	e->v[e->n].msg = msg;
	e->v[e->n].summary = summary ? summary : msg;
	e->n++;
}

static const char *
perr_find(const struct page_errors *e, const char *field, int row)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->v[i].field != NULL && e->v[i].row == row &&
		    strcmp(e->v[i].field, field) == 0)
			return e->v[i].msg;
	return NULL;
}

static const char *
html_id(struct arena *a, const char *name, int row)
{
	return row == FDEF_NOROW ? name : arena_printf(a, "%s-%d", name, row);
}

static const char *
input_name(struct arena *a, const char *name, int row)
{
	return row == FDEF_NOROW ? name : arena_printf(a, "%s.%d", name, row);
}

/* Editable only while the applicant is filling in or answering. */
static int
editable(const struct request *req, const struct case_ref *c)
{
	return access_may(c, req->user->role_bit, ACT_EDIT);
}

/*
 * The options of a certificate field: the organisation's certificates as
 * the register holds them (reg), each with what stands in the way of its
 * maintenance, and what is chosen even when it is not among them.
 */
static void
put_certs(struct request *req, struct tv *v, const struct fdef_field *f,
    const char *value, const struct formdata *reg)
{
	struct tv *opts = tv_put_list(v, "options"), *o;
	const struct fd_cert *c;
	const char *today = page_today(req), *why;
	size_t i;
	int found = 0;

	for (i = 0; i < reg->ncerts; i++) {
		c = &reg->certs[i];
		if (c->fc.revoked)
			why = "，已取消，不能申请维持";
		else if (c->fc.superseded)
			why = "，已换发";
		else if (c->fc.suspended)
			why = "，暂停中，不能申请维持";
		else if (c->fc.busy_case != NULL)
			why = arena_printf(req->arena, "，维持申请办理中（案件 %s）",
			    c->fc.busy_case);
		else if (strcmp(c->expires_on, today) < 0)
			why = "，已过期";
		else
			why = "";
		o = tv_push_map(opts);
		tv_put_str(o, "code", c->no);
		tv_put_str(o, "label", arena_printf(req->arena, "%s（有效期至 "
		    "%s%s）", c->no, c->expires_on, why));
		tv_put_bool(o, "selected", value != NULL &&
		    strcmp(value, c->no) == 0);
		found |= value != NULL && strcmp(value, c->no) == 0;
	}
	if (value != NULL && *value != '\0' && !found) {
		o = tv_push_map(opts);
		tv_put_str(o, "code", value);
		tv_put_str(o, "label", arena_printf(req->arena, "%s（不在本单位"
		    "名下的证书中）", value));
		tv_put_bool(o, "selected", 1);
	}
	if (reg->ncerts == 0)
		tv_put_str(v, "help", arena_printf(req->arena, "%s本单位名下还没有"
		    "证书。本系统启用前颁发的证书，须由制证工作人员核对本申请书的统一"
		    "社会信用代码后关联到本单位：请先填写并保存本节的统一社会信用代码，"
		    "再联系制证工作人员。", f->help));
}

static void
put_field(struct request *req, struct tv *list, const struct fdef_field *f,
    int row, const char *value, const char *error, int required, int ro,
    const struct formdata *reg)
{
	struct tv *v = tv_push_map(list), *opts, *o;
	const struct fdef_option *op;
	const char *input = fdef_kind_input(f->kind), *mode;

	tv_put_str(v, "name", input_name(req->arena, f->name, row));
	tv_put_str(v, "id", html_id(req->arena, f->name, row));
	tv_put_str(v, "label", f->label);
	tv_put_str(v, "help", f->help);
	tv_put_str(v, "example", f->example);
	tv_put_str(v, "kind", fdef_kind_code(f->kind));
	tv_put_str(v, "input", input);
	tv_put_str(v, "value", value ? value : "");
	if (error != NULL)
		tv_put_str(v, "error", error);
	tv_put_bool(v, "required", required);
	tv_put_bool(v, "readonly", ro);
	tv_put_bool(v, "is_textarea", strcmp(input, "textarea") == 0);
	tv_put_bool(v, "is_select", strcmp(input, "select") == 0);
	tv_put_bool(v, "is_radio", strcmp(input, "radio") == 0);
	tv_put_bool(v, "is_check", strcmp(input, "checkbox") == 0);
	tv_put_bool(v, "is_input", strcmp(input, "textarea") != 0 &&
	    strcmp(input, "select") != 0 && strcmp(input, "radio") != 0 &&
	    strcmp(input, "checkbox") != 0);
	tv_put_bool(v, "checked", value != NULL && strcmp(value, "yes") == 0);
	if ((mode = fdef_kind_inputmode(f->kind)) != NULL)
		tv_put_str(v, "inputmode", mode);
	if (f->kind == FDEF_CERT)
		put_certs(req, v, f, value, reg);
	else if ((op = fdef_options(f)) != NULL) {
		opts = tv_put_list(v, "options");
		for (; op->code != NULL; op++) {
			o = tv_push_map(opts);
			tv_put_str(o, "code", op->code);
			tv_put_str(o, "label", op->label);
			tv_put_str(o, "oid", arena_printf(req->arena, "%s-%s",
			    html_id(req->arena, f->name, row), op->code));
			tv_put_bool(o, "selected", value != NULL &&
			    strcmp(value, op->code) == 0);
		}
	}
}

/*
 * The values shown: stored values formatted for input (shown == NULL),
 * or exactly what was typed (shown: a formdata of raw input).
 */
static const char *
shown_value(struct request *req, const struct formdata *stored,
    const struct formdata *typed, const struct fdef_field *f, int row)
{
	const char *v;

	if (typed != NULL)
		return formdata_get(typed, f->name, row);
	v = formdata_get(stored, f->name, row);
	return v ? fdef_format(req->arena, f, v) : NULL;
}

struct groupstate {
	const struct fdef_group	*g;
	int			 rows;
	int			*orig;		/* loaded row, or -1 */
};

static struct groupstate *
group_state(struct groupstate *gs, size_t n, const struct fdef_group *g)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (gs[i].g == g)
			return &gs[i];
	return NULL;
}

static int
render_section(struct request *req, struct response *resp, int status,
    const struct case_ref *c, const struct fdef_section *sec,
    const struct formdata *stored, const struct formdata *typed,
    struct groupstate *gs, size_t ngs, const struct page_errors *errs)
{
	struct tv *v = page_view(req, arena_printf(req->arena, "%s%s%s",
	    sec->num, *sec->num ? "、" : "", sec->title));
	struct tv *items, *it, *grp, *rows, *r, *fields, *sum, *e;
	const struct fdef_field *f, *g0;
	const struct fdef_section *other;
	struct fdef_apptype at;
	struct groupstate *st;
	zdate today;
	int idx = fdef_section_index(sec->id), row, ro = !editable(req, c);
	size_t i, k;
	const char *err;

	/* Which fields a maintenance application needs: as of the day the
	 * case was first submitted, while a supplement is answered. */
	if ((today = elig_day(page_ctx(req), c)) == DATE_NONE)
		date_parse(page_today(req), &today);
	fdef_apptype(req->arena, rules_default(), &stored->src, today, &at);
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "sid", sec->id);
	tv_put_str(v, "num", sec->num);
	tv_put_str(v, "stitle", sec->title);
	tv_put_str(v, "intro", sec->intro);
	tv_put_bool(v, "readonly", ro);
	tv_put_bool(v, "saved", params_get(&req->query, "saved") != NULL);
	if (idx > 0 && (other = fdef_section_at((size_t)idx - 1)) != NULL)
		tv_put_str(v, "prev", other->id);
	if ((other = fdef_section_at((size_t)idx + 1)) != NULL) {
		tv_put_str(v, "next", other->id);
		tv_put_str(v, "next_title", other->title);
	}
	if (sec->nmaterials > 0)
		tv_put_bool(v, "has_materials", 1);

	items = tv_put_list(v, "items");
	for (i = 0; i < sec->nfields; i++) {
		f = &sec->fields[i];
		if (f->group == NULL) {
			it = tv_push_map(items);
			put_field(req, tv_put_list(it, "field"), f, FDEF_NOROW,
			    shown_value(req, stored, typed, f, FDEF_NOROW),
			    errs ? perr_find(errs, f->name, FDEF_NOROW) : NULL,
			    fdef_field_required(f, &at), ro, stored);
			continue;
		}
		/* The first field of a group renders the whole group. */
		if (i > 0 && sec->fields[i - 1].group == f->group)
			continue;
		st = group_state(gs, ngs, f->group);
		it = tv_push_map(items);
		grp = tv_put_map(it, "group");
		tv_put_str(grp, "name", f->group->name);
		tv_put_str(grp, "label", f->group->label);
		tv_put_str(grp, "help", f->group->help);
		tv_put_str(grp, "add_label", f->group->add_label);
		tv_put_str(grp, "row_label", f->group->row_label);
		tv_put_int(grp, "nrows", st->rows);
		tv_put_bool(grp, "can_add", !ro && st->rows < f->group->max);
		for (k = 0; errs != NULL && k < errs->n; k++)
			if (errs->v[k].group != NULL && errs->v[k].field ==
			    NULL && strcmp(errs->v[k].group,
			    f->group->name) == 0)
				tv_put_str(grp, "error", errs->v[k].msg);
		rows = tv_put_list(grp, "rows");
		for (row = 0; row < st->rows; row++) {
			r = tv_push_map(rows);
			tv_put_int(r, "index", row);
			tv_put_int(r, "n", row + 1);
			tv_put_str(r, "orig", st->orig[row] >= 0 ?
			    arena_printf(req->arena, "%d", st->orig[row]) : "");
			tv_put_bool(r, "can_remove", !ro);
			fields = tv_put_list(r, "fields");
			for (g0 = f; g0 < sec->fields + sec->nfields &&
			    g0->group == f->group; g0++) {
				err = errs ? perr_find(errs, g0->name, row) :
				    NULL;
				put_field(req, fields, g0, row, shown_value(req,
				    stored, typed, g0, st->orig[row] >= 0 &&
				    typed == NULL ? st->orig[row] : row), err,
				    fdef_field_required(g0, &at), ro, stored);
			}
		}
	}
	if (errs != NULL && errs->n > 0) {
		tv_put_bool(v, "has_errors", 1);
		sum = tv_put_list(v, "errors");
		for (k = 0; k < errs->n; k++) {
			e = tv_push_map(sum);
			tv_put_str(e, "field", errs->v[k].field ?
			    html_id(req->arena, errs->v[k].field,
			    errs->v[k].row) : errs->v[k].group);
			tv_put_str(e, "message", errs->v[k].summary);
		}
	}
	return page_render(req, resp, status, "section", v);
}

/* Reads the posted rows of every group of the section into typed. */
static int
read_post(struct request *req, const struct fdef_section *sec,
    struct formdata *typed, struct groupstate *gs, size_t *ngs)
{
	const struct fdef_field *f;
	const char *v, *o;
	struct groupstate *st;
	size_t i;
	long long n;
	int row;

	*ngs = 0;
	for (i = 0; i < sec->nfields; i++) {
		f = &sec->fields[i];
		if (f->group == NULL) {
			v = params_get(&req->form, f->name);
			formdata_set(typed, f->name, FDEF_NOROW, v ? v : "");
			continue;
		}
		if ((st = group_state(gs, *ngs, f->group)) == NULL) {
			st = &gs[(*ngs)++];
			st->g = f->group;
			v = params_get(&req->form, arena_printf(req->arena,
			    "%s._rows", f->group->name));
			if (v == NULL || *v == '\0')
				n = 0;
			else if (valid_int(v, 0, f->group->max < FORM_MAX_ROWS ?
			    f->group->max : FORM_MAX_ROWS, &n) != 0)
				return -1;
			st->rows = (int)n;
			/* One spare for "add a row". */
			st->orig = arena_alloc(req->arena,
			    (size_t)(n + 1) * sizeof(int));
			for (row = 0; row < n; row++) {
				o = params_get(&req->form, arena_printf(
				    req->arena, "%s._orig.%d", f->group->name,
				    row));
				if (o == NULL || *o == '\0')
					st->orig[row] = -1;
				else if (valid_int(o, 0, FORM_MAX_ROWS, &n) ==
				    0)
					st->orig[row] = (int)n;
				else
					return -1;
			}
		}
		for (row = 0; row < st->rows; row++) {
			v = params_get(&req->form, input_name(req->arena,
			    f->name, row));
			formdata_set(typed, f->name, row, v ? v : "");
		}
	}
	return 0;
}

/* Group state from stored values: rows as loaded, each its own orig. */
static void
stored_groups(struct request *req, const struct fdef_section *sec,
    const struct formdata *stored, struct groupstate *gs, size_t *ngs)
{
	const struct fdef_group *const *g;
	int row;

	*ngs = 0;
	for (g = sec->groups; g != NULL && *g != NULL; g++) {
		gs[*ngs].g = *g;
		gs[*ngs].rows = formdata_rows(stored, (*g)->name);
		/* Show at least the rows the group needs, never none. */
		if (gs[*ngs].rows < (*g)->min)
			gs[*ngs].rows = (*g)->min;
		if (gs[*ngs].rows == 0)
			gs[*ngs].rows = 1;
		gs[*ngs].orig = arena_alloc(req->arena,
		    (size_t)(gs[*ngs].rows + 1) * sizeof(int));
		for (row = 0; row < gs[*ngs].rows; row++)
			gs[*ngs].orig[row] = row;
		(*ngs)++;
	}
}

static int
load(struct request *req, struct response *resp, struct case_ref *c,
    const struct fdef_section **sec, struct formdata *stored)
{
	struct dom *d = page_ctx(req);
	int rc;

	if ((rc = page_load_case(req, 0, PART_APPLICATION, c)) != 0)
		return rc;
	if ((*sec = fdef_section_find(req->args[1])) == NULL)
		return 404;
	formdata_init(stored, req->arena);
	return page_status(resp, d, application_form(d, c, stored));
}

#define MAX_GROUPS	8

int
page_form(struct request *req, struct response *resp)
{
	const struct fdef_section *sec;
	struct groupstate gs[MAX_GROUPS];
	struct formdata stored;
	struct case_ref c;
	size_t ngs;
	int rc;

	if ((rc = load(req, resp, &c, &sec, &stored)) != 0)
		return rc;
	stored_groups(req, sec, &stored, gs, &ngs);
	return render_section(req, resp, 200, &c, sec, &stored, NULL, gs, ngs,
	    NULL);
}

/* Is row `row` of group st all blank in fd? */
static int
row_blank(const struct fdef_section *sec, const struct fdef_group *g,
    const struct formdata *fd, int row)
{
	const char *v;
	size_t i;

	for (i = 0; i < sec->nfields; i++) {
		if (sec->fields[i].group != g)
			continue;
		v = formdata_get(fd, sec->fields[i].name, row);
		if (v != NULL && *v != '\0')
			return 0;
	}
	return 1;
}

/* Moves row `row` of group st out of the typed form. */
static void
remove_row(const struct fdef_section *sec, struct formdata *typed,
    struct groupstate *st, int row)
{
	const struct fdef_field *f;
	size_t k;
	int out;

	for (k = 0; k < sec->nfields; k++) {
		f = &sec->fields[k];
		if (f->group != st->g)
			continue;
		for (out = row; out + 1 < st->rows; out++)
			formdata_set(typed, f->name, out, formdata_get(typed,
			    f->name, out + 1));
		formdata_set(typed, f->name, st->rows - 1, NULL);
	}
	memmove(&st->orig[row], &st->orig[row + 1],
	    (size_t)(st->rows - row - 1) * sizeof(int));
	st->rows--;
}

/*
 * Validates what was typed into cand, value by value, blank rows dropped
 * (newrow[i][row]: the row it is saved as, or -1); errors into errs.
 */
static void
validate(struct request *req, const struct fdef_section *sec,
    const struct formdata *typed, struct groupstate *gs, size_t ngs,
    zdate today, struct formdata *cand, int **newrow,
    struct page_errors *errs)
{
	const struct fdef_field *f;
	struct groupstate *st;
	const char *val, *err;
	size_t i, k;
	int row, out;

	for (i = 0; i < sec->nfields; i++) {
		f = &sec->fields[i];
		if (f->group != NULL)
			continue;
		if (fdef_validate(req->arena, f, formdata_get(typed, f->name,
		    FDEF_NOROW), 0, today, &val, &err) == FDEF_INVALID)
			perr_add(req->arena, errs, f->name, NULL, FDEF_NOROW,
			    err, arena_printf(req->arena, "%s：%s", f->label,
			    err));
		else if (val != NULL)
			formdata_set(cand, f->name, FDEF_NOROW, val);
	}
	for (i = 0; i < ngs; i++) {
		st = &gs[i];
		newrow[i] = arena_alloc(req->arena,
		    (size_t)(st->rows + 1) * sizeof(int));
		out = 0;
		for (row = 0; row < st->rows; row++) {
			if (row_blank(sec, st->g, typed, row)) {
				newrow[i][row] = -1;
				continue;
			}
			newrow[i][row] = out;
			for (k = 0; k < sec->nfields; k++) {
				f = &sec->fields[k];
				if (f->group != st->g)
					continue;
				if (fdef_validate(req->arena, f,
				    formdata_get(typed, f->name, row), 0,
				    today, &val, &err) == FDEF_INVALID)
					perr_add(req->arena, errs, f->name,
					    NULL, row, err, arena_printf(
					    req->arena, "第 %d 行“%s”：%s",
					    row + 1, f->label, err));
				else if (val != NULL && *val != '\0')
					formdata_set(cand, f->name, out, val);
			}
			out++;
		}
	}
}

/* The save's cross-field refusals as errors on the page's rows. */
static void
refusals(struct request *req, const struct fdef_report *rep,
    const struct groupstate *gs, size_t ngs, int *const *newrow,
    struct page_errors *errs)
{
	size_t i, k;
	int row, out;

	for (k = 0; k < rep->n; k++) {
		if (rep->v[k].state != FDEF_INVALID)
			continue;
		/* Map the stored row back to the row on the page. */
		row = rep->v[k].row;
		if (row != FDEF_NOROW)
			for (i = 0; i < ngs; i++)
				for (out = 0; out < gs[i].rows; out++)
					if (newrow[i][out] == rep->v[k].row)
						row = out;
		perr_add(req->arena, errs, rep->v[k].field, rep->v[k].field ?
		    NULL : rep->v[k].group, row, rep->v[k].msg,
		    rep->v[k].summary);
	}
}

int
page_form_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	const struct fdef_section *sec;
	struct groupstate gs[MAX_GROUPS];
	struct material_rowmap maps[MAX_GROUPS];
	struct formdata stored, typed, cand;
	struct page_errors errs = { NULL, 0, 0 };
	struct fdef_report rep;
	struct case_ref c;
	const char *add, *rm, *next, *dot;
	int *newrow[MAX_GROUPS];
	long long row;
	size_t ngs, i;
	enum dom_rc drc;
	int rc;

	if ((rc = load(req, resp, &c, &sec, &stored)) != 0)
		return rc;
	if ((rc = page_status(resp, d, step_may(d, &c, ACT_EDIT,
	    "申请已提交，当前不能修改申请书。"))) != 0)
		return rc;
	formdata_init(&typed, req->arena);
	if (read_post(req, sec, &typed, gs, &ngs) != 0)
		return 400;

	/* Add or remove a row: show the form again, save nothing. */
	if ((add = params_get(&req->form, "add")) != NULL) {
		for (i = 0; i < ngs; i++)
			if (strcmp(gs[i].g->name, add) == 0 &&
			    gs[i].rows < gs[i].g->max) {
				gs[i].orig[gs[i].rows] = -1;
				gs[i].rows++;
			}
		return render_section(req, resp, 200, &c, sec, &stored, &typed,
		    gs, ngs, NULL);
	}
	if ((rm = params_get(&req->form, "remove")) != NULL &&
	    (dot = strchr(rm, '.')) != NULL) {
		if (valid_int(dot + 1, 0, FORM_MAX_ROWS, &row) != 0)
			row = FORM_MAX_ROWS;	/* no such row: nothing goes */
		for (i = 0; i < ngs; i++)
			if (strlen(gs[i].g->name) == (size_t)(dot - rm) &&
			    strncmp(gs[i].g->name, rm, (size_t)(dot - rm)) ==
			    0 && row < gs[i].rows)
				remove_row(sec, &typed, &gs[i], (int)row);
		return render_section(req, resp, 200, &c, sec, &stored, &typed,
		    gs, ngs, NULL);
	}

	/* Save: validate each value, drop blank rows; the section's
	 * cross-field checks run on what would be stored, with the save. */
	formdata_init(&cand, req->arena);
	validate(req, sec, &typed, gs, ngs, d->today, &cand, newrow, &errs);
	if (errs.n > 0)
		return render_section(req, resp, 400, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	for (i = 0; i < ngs; i++) {
		maps[i].group = gs[i].g;
		maps[i].n = gs[i].rows;
		maps[i].orig = gs[i].orig;
		maps[i].to = newrow[i];
	}
	drc = application_save_section(d, c.id, sec, &cand, maps, ngs, &rep);
	if (drc == DOM_INVALID) {
		refusals(req, &rep, gs, ngs, newrow, &errs);
		return render_section(req, resp, 400, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	}
	if ((rc = page_status(resp, d, drc)) != 0)
		return rc;
	next = params_get(&req->form, "next");
	if (next != NULL && fdef_section_find(next) != NULL)
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/form/%s", c.id, next));
	else
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/form/%s?saved=1", c.id, sec->id));
	return 0;
}
