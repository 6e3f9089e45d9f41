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
#include "status.h"
#include "workflow_step.h"
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
	/* What was understood of values typed another way ("8.7万" is
	 * 87,000 元): by html id, at most MAX_NOTES. */
	const char	*note_id[32];
	const char	*note[32];
	size_t		 nnotes;
	/* The html id to put the focus on (a row just added), or the
	 * group whose add button takes it (a row just removed). */
	const char	*focus;
	const char	*focus_add;
	/* The same fields by the id they have once saved (blank rows
	 * dropped), for the redirect after the save. */
	const char	*saved_id[32];
	size_t		 nsaved;
	/* The case can no longer be changed: why, and what to do. */
	const char	*stale;
};

#define MAX_NOTES	32

/*
 * "即 2026年3月1日": what a value typed another way was taken as, or NULL
 * when it was typed as it is stored (or the kind has no such forms).
 */
static const char *
understood(struct arena *a, const struct fdef_field *f, const char *typed,
    const char *val)
{
	const char *p;
	zdate d;
	char buf[DATE_BUFSZ];

	if (typed == NULL || val == NULL || *val == '\0')
		return NULL;
	while (*typed == ' ')
		typed++;
	switch (f->kind) {
	case FDEF_DATE:
		if (strcmp(typed, val) == 0 || date_parse(val, &d) != 0)
			return NULL;
		return arena_printf(a, "已理解为 %s（%s）。", date_zh(d, buf),
		    val);
	case FDEF_MONEY:
		for (p = typed; *p != '\0'; p++)
			if (!strchr("0123456789.,+- ", *p))
				return arena_printf(a, "已理解为 %s 元。",
				    fdef_format(a, f, val));
		return NULL;
	case FDEF_URL:
		if (strncmp(typed, "http", 4) == 0)
			return NULL;
		return arena_printf(a, "已理解为 %s。", val);
	default:
		return NULL;
	}
}

static void
note_add(struct page_errors *e, const char *id, const char *note)
{
	if (note == NULL || e->nnotes >= MAX_NOTES)
		return;
	e->note_id[e->nnotes] = id;
	e->note[e->nnotes++] = note;
}

static const char *
note_find(const struct page_errors *e, const char *id)
{
	size_t i;

	for (i = 0; e != NULL && i < e->nnotes; i++)
		if (strcmp(e->note_id[i], id) == 0)
			return e->note[i];
	return NULL;
}

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

/* The same note for a value as stored (after a save that understood
 * it, named in the redirect's ?understood=). */
static const char *
understood_stored(struct arena *a, const struct fdef_field *f,
    const char *val)
{
	switch (f->kind) {
	case FDEF_DATE:
		return understood(a, f, "", val);
	case FDEF_MONEY:
		return understood(a, f, "万", val);
	case FDEF_URL:
		return understood(a, f, "", val);
	default:
		return NULL;
	}
}

/* Is id in the list ids ("a~b-1~c")? */
static int
in_list(const char *ids, const char *id)
{
	size_t n = strlen(id);
	const char *p;

	for (p = ids; p != NULL && *p != '\0'; ) {
		if (strncmp(p, id, n) == 0 && (p[n] == '~' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, '~')) != NULL)
			p++;
	}
	return 0;
}

/* A field's note and focus, as put_field left it. */
static void
field_extras(struct request *req, struct tv *fv, const struct fdef_field *f,
    int row, const struct formdata *stored, const struct page_errors *errs)
{
	const char *id = html_id(req->arena, f->name, row), *note;
	const char *ids = params_get(&req->query, "understood");

	note = note_find(errs, id);
	if (note == NULL && ids != NULL && in_list(ids, id))
		note = understood_stored(req->arena, f, formdata_get(stored,
		    f->name, row));
	if (note != NULL)
		tv_put_str(fv, "understood", note);
	if (errs != NULL && errs->focus != NULL && strcmp(errs->focus, id) ==
	    0)
		tv_put_bool(fv, "autofocus", 1);
}

/*
 * Arrived by 保存并继续 from section ?from= whose values named in
 * ?understood= were taken another way than typed: "一、申请单位基本情况
 * 已保存" and, for each, its label and what it was taken as.
 */
static void
put_prev_notes(struct request *req, struct tv *v,
    const struct formdata *stored)
{
	const char *from = params_get(&req->query, "from");
	const char *ids = params_get(&req->query, "understood");
	const struct fdef_section *sec;
	const struct fdef_field *f;
	struct tv *list, *e;
	const char *note;
	size_t i;
	int row;

	if (from == NULL || ids == NULL || (sec = fdef_section_find(from)) ==
	    NULL)
		return;
	tv_put_str(v, "prev_title", arena_printf(req->arena, "%s%s%s",
	    sec->num, *sec->num ? "、" : "", sec->title));
	list = tv_put_list(v, "prev_notes");
	for (i = 0; i < sec->nfields; i++) {
		f = &sec->fields[i];
		for (row = FDEF_NOROW; row < (f->group ? 50 : 0); row++) {
			if (!in_list(ids, html_id(req->arena, f->name, row)))
				continue;
			note = understood_stored(req->arena, f, formdata_get(
			    stored, f->name, row));
			if (note == NULL)
				continue;
			e = tv_push_map(list);
			tv_put_str(e, "label", row == FDEF_NOROW ? f->label :
			    arena_printf(req->arena, "第 %d 行“%s”", row + 1,
			    f->label));
			tv_put_str(e, "note", note);
		}
	}
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

static struct tv *
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
	/* Long text says its limit before it bites (a script counts down
	 * what is left; without it the limit is still shown). */
	if ((f->kind == FDEF_TEXTAREA || f->kind == FDEF_TEXT) &&
	    f->maxlen >= 200)
		tv_put_int(v, "maxlen", (long long)f->maxlen);
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
	return v;
}

/*
 * What an empty field starts with: the organisation's name, the contact
 * and the e-mail from the account (until section 一 is first filled);
 * the legal representative of 四 as given in 一.
 */
static const char *
suggested(struct request *req, const struct formdata *stored,
    const char *name)
{
	const struct actor *u = req->user;
	const char *s1 = formdata_get(stored, "org_name", FDEF_NOROW);

	if (u == NULL || u->org_id == 0)
		return NULL;
	if (strcmp(name, "key_legal_name") == 0)
		return formdata_get(stored, "legal_rep", FDEF_NOROW);
	if (s1 != NULL && *s1 != '\0')
		return NULL;
	if (strcmp(name, "org_name") == 0)
		return u->org_name;
	if (strcmp(name, "contact_name") == 0)
		return u->name;
	if (strcmp(name, "contact_email") == 0)
		return u->email;
	return NULL;
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
	if (v == NULL || *v == '\0')
		v = suggested(req, stored, f->name);
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
	struct tv *items, *it, *grp, *rows, *r, *fields, *sum, *e, *fv;
	const struct fdef_field *f, *g0;
	const struct fdef_section *other;
	struct fdef_apptype at;
	struct groupstate *st;
	zdate today;
	int idx = fdef_section_index(sec->id), row, ro = !editable(req, c) ||
	    (errs != NULL && errs->stale != NULL);
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
	if (errs != NULL && errs->stale != NULL) {
		tv_put_str(v, "stale", errs->stale);
		tv_put_bool(v, "ro_kept", 1);
	}
	tv_put_bool(v, "saved", params_get(&req->query, "saved") != NULL);
	tv_put_bool(v, "answered", params_get(&req->query, "understood") !=
	    NULL);
	put_prev_notes(req, v, stored);
	if (params_get(&req->query, "copied") != NULL)
		tv_put_str(v, "copied", params_get(&req->query, "copied"));
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
			fv = put_field(req, tv_put_list(it, "field"), f,
			    FDEF_NOROW, shown_value(req, stored, typed, f,
			    FDEF_NOROW), errs ? perr_find(errs, f->name,
			    FDEF_NOROW) : NULL, fdef_field_required(f, &at),
			    ro, stored);
			field_extras(req, fv, f, FDEF_NOROW, stored, errs);
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
		tv_put_bool(grp, "focus_add", errs != NULL &&
		    errs->focus_add != NULL && strcmp(errs->focus_add,
		    f->group->name) == 0);
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
				fv = put_field(req, fields, g0, row,
				    shown_value(req, stored, typed, g0,
				    st->orig[row] >= 0 && typed == NULL ?
				    st->orig[row] : row), err,
				    fdef_field_required(g0, &at), ro, stored);
				field_extras(req, fv, g0, row, stored, errs);
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
	const char *val, *err, *note;
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
		else if (val != NULL) {
			formdata_set(cand, f->name, FDEF_NOROW, val);
			note = understood(req->arena, f, formdata_get(typed,
			    f->name, FDEF_NOROW), val);
			note_add(errs, f->name, note);
			if (note != NULL && errs->nsaved < MAX_NOTES)
				errs->saved_id[errs->nsaved++] = f->name;
		}
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
				else if (val != NULL && *val != '\0') {
					formdata_set(cand, f->name, out, val);
					note = understood(req->arena, f,
					    formdata_get(typed, f->name, row),
					    val);
					note_add(errs, html_id(req->arena,
					    f->name, row), note);
					if (note != NULL && errs->nsaved <
					    MAX_NOTES)
						errs->saved_id[errs->nsaved++] =
						    html_id(req->arena, f->name,
						    out);
				}
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

static const struct fdef_field *
first_field(const struct fdef_section *sec, const struct fdef_group *g)
{
	size_t i;

	for (i = 0; i < sec->nfields; i++)
		if (sec->fields[i].group == g)
			return &sec->fields[i];
	return &sec->fields[0];
}

static const char *
understood_ids(struct request *req, const struct page_errors *e)
{
	struct buf b;
	const char *out;
	size_t i;

	if (e->nsaved == 0)
		return "";
	buf_init(&b);
	for (i = 0; i < e->nsaved; i++)
		buf_printf(&b, "%s%s", i ? "~" : "", e->saved_id[i]);
	out = arena_urlencode(req->arena, b.p);
	buf_free(&b);
	return out;
}

/*
 * The section's cross-field checks (end before start, net assets above
 * total assets, ...) on the application as it would be with the valid
 * values typed: their refusals join the format errors, each once.
 */
static void
cross_checks(struct request *req, struct dom *d,
    const struct fdef_section *sec, const struct formdata *stored,
    const struct formdata *cand, struct groupstate *gs, size_t ngs,
    int *const *newrow, struct page_errors *errs)
{
	struct formdata whole;
	struct fdef_report rep;
	const struct fd_value *fv;
	struct page_errors more;
	size_t k, i;

	memset(&more, 0, sizeof(more));
	formdata_init(&whole, req->arena);
	for (k = 0; k < FD_BUCKETS; k++)
		for (fv = stored->bucket[k]; fv != NULL; fv = fv->next)
			formdata_set(&whole, fv->field, fv->row, fv->value);
	formdata_clear_section(&whole, sec);
	for (k = 0; k < FD_BUCKETS; k++)
		for (fv = cand->bucket[k]; fv != NULL; fv = fv->next)
			formdata_set(&whole, fv->field, fv->row, fv->value);
	whole.src.files = NULL;
	fdef_report_init(&rep);
	fdef_check_section(req->arena, rules_default(), sec, &whole.src,
	    d->today, &rep);
	refusals(req, &rep, gs, ngs, newrow, &more);
	for (i = 0; i < more.n; i++)
		if (more.v[i].field == NULL || perr_find(errs, more.v[i].field,
		    more.v[i].row) == NULL)
			perr_add(req->arena, errs, more.v[i].field,
			    more.v[i].group, more.v[i].row, more.v[i].msg,
			    more.v[i].summary);
}

/* The section again, read-only, with what was typed: the case can no
 * longer be changed (withdrawn, submitted, taken on in another tab). */
static int
stale(struct request *req, struct response *resp, struct dom *d,
    enum dom_rc drc, const struct case_ref *c,
    const struct fdef_section *sec, const struct formdata *stored,
    const struct formdata *typed, struct groupstate *gs, size_t ngs)
{
	struct page_errors e;
	int status = page_status(resp, d, drc);

	memset(&e, 0, sizeof(e));

	if (status != 409)
		return status;
	switch (c->st) {
	case ST_WITHDRAWN:
		e.stale = "此申请已撤回（可能是在另一个标签页或由同事撤回的），"
		    "不能再保存。您刚才填写的内容仍显示在下方，请复制留存；"
		    "如需继续申请，请在“我的申请”中新建申请，可沿用上次提交的"
		    "申请书。";
		break;
	case ST_DRAFT:
		e.stale = "申请书当前不能修改。您刚才填写的内容仍显示在下方，"
		    "请复制留存，然后返回案件页面查看原因。";
		break;
	default:
		e.stale = "申请已提交（可能是在另一个标签页中提交的），申请书"
		    "当前不能修改。您刚才填写的内容仍显示在下方，请复制留存；"
		    "如项目负责人要求补正，可在补正时修改。";
		break;
	}
	return render_section(req, resp, 409, c, sec, stored, typed, gs, ngs,
	    &e);
}

int
page_form_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	const struct fdef_section *sec;
	struct groupstate gs[MAX_GROUPS];
	struct material_rowmap maps[MAX_GROUPS];
	struct formdata stored, typed, cand;
	struct page_errors errs;
	struct fdef_report rep;
	struct case_ref c;
	const char *add, *rm, *next, *dot;
	int *newrow[MAX_GROUPS];
	long long row;
	size_t ngs, i;
	enum dom_rc drc;
	int rc;

	memset(&errs, 0, sizeof(errs));
	if ((rc = load(req, resp, &c, &sec, &stored)) != 0)
		return rc;
	formdata_init(&typed, req->arena);
	if (read_post(req, sec, &typed, gs, &ngs) != 0)
		return 400;
	/* No longer editable (withdrawn or submitted in another tab): the
	 * page comes back with what was typed, read-only, saying why and
	 * what to do next; nothing typed is lost from the screen. */
	if ((drc = step_may(d, &c, ACT_EDIT, "申请书当前不能修改。")) !=
	    DOM_OK)
		return stale(req, resp, d, drc, &c, sec, &stored, &typed, gs,
		    ngs);

	/* Add or remove a row: show the form again, save nothing. */
	if ((add = params_get(&req->form, "add")) != NULL) {
		for (i = 0; i < ngs; i++)
			if (strcmp(gs[i].g->name, add) == 0 &&
			    gs[i].rows < gs[i].g->max) {
				gs[i].orig[gs[i].rows] = -1;
				gs[i].rows++;
				/* The focus goes to the new row's first field. */
				errs.focus = html_id(req->arena,
				    first_field(sec, gs[i].g)->name,
				    gs[i].rows - 1);
			}
		return render_section(req, resp, 200, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	}
	if ((rm = params_get(&req->form, "remove")) != NULL &&
	    (dot = strchr(rm, '.')) != NULL) {
		if (valid_int(dot + 1, 0, FORM_MAX_ROWS, &row) != 0)
			row = FORM_MAX_ROWS;	/* no such row: nothing goes */
		for (i = 0; i < ngs; i++)
			if (strlen(gs[i].g->name) == (size_t)(dot - rm) &&
			    strncmp(gs[i].g->name, rm, (size_t)(dot - rm)) ==
			    0 && row < gs[i].rows) {
				remove_row(sec, &typed, &gs[i], (int)row);
				/* The focus stays where the row was: on the
				 * row that took its place, else on the add
				 * button of the group. */
				if (row < gs[i].rows)
					errs.focus = html_id(req->arena,
					    first_field(sec, gs[i].g)->name,
					    (int)row);
				else
					errs.focus_add = gs[i].g->name;
			}
		return render_section(req, resp, 200, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	}

	/* Save: validate each value, drop blank rows; the section's
	 * cross-field checks run on what would be stored, with the save. */
	formdata_init(&cand, req->arena);
	validate(req, sec, &typed, gs, ngs, d->today, &cand, newrow, &errs);
	if (errs.n > 0) {
		/* One round of errors: the cross-field checks run now too,
		 * on the values that are valid, not after these are fixed. */
		cross_checks(req, d, sec, &stored, &cand, gs, ngs, newrow,
		    &errs);
		return render_section(req, resp, 400, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	}
	for (i = 0; i < ngs; i++) {
		maps[i].group = gs[i].g;
		maps[i].n = gs[i].rows;
		maps[i].orig = gs[i].orig;
		maps[i].to = newrow[i];
	}
	drc = application_save_section(d, c.id, sec, &cand, maps, ngs, &rep);
	if (drc == DOM_CONFLICT) {
		/* Changed meanwhile: say so from what the case is now. */
		if ((rc = page_load_case(req, 0, PART_APPLICATION, &c)) != 0)
			return rc;
		return stale(req, resp, d, drc, &c, sec, &stored, &typed, gs,
		    ngs);
	}
	if (drc == DOM_INVALID) {
		refusals(req, &rep, gs, ngs, newrow, &errs);
		return render_section(req, resp, 400, &c, sec, &stored, &typed,
		    gs, ngs, &errs);
	}
	if ((rc = page_status(resp, d, drc)) != 0)
		return rc;
	next = params_get(&req->form, "next");
	if (next != NULL && fdef_section_find(next) != NULL)
		/* On to the next section, which says what of this one was
		 * taken another way than typed. */
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/form/%s%s%s%s%s", c.id, next,
		    errs.nsaved ? "?from=" : "", errs.nsaved ? sec->id : "",
		    errs.nsaved ? "&understood=" : "", understood_ids(req,
		    &errs)));
	else
		/* Values typed another way stay on this page a moment,
		 * with what they were taken as. */
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/form/%s?saved=1%s%s", c.id, sec->id,
		    errs.nsaved ? "&understood=" : "", understood_ids(req,
		    &errs)));
	return 0;
}
