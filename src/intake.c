/*
 * intake.c: 受理审查 (intake.h).
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "form_def.h"
#include "formdata.h"
#include "intake.h"
#include "notice.h"
#include "paper.h"
#include "review.h"
#include "store.h"
#include "submission.h"
#include "tmpl.h"
#include "util.h"
#include "valid.h"
#include "workflow_step.h"

#define COMMENT_MAX	4000	/* bytes, a finding's comment */
#define WHAT_MAX	2000	/* bytes, a supplement item */
#define REASONS_MAX	8000	/* bytes, the reasons of a refusal */

/* A growable array in d's arena: room for one more of size each. */
static void *
grow(struct dom *d, void *p, size_t n, size_t *cap, size_t each)
{
	void *bigger;

	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	bigger = arena_alloc(d->arena, *cap * each);
	if (n > 0)
		memcpy(bigger, p, n * each);
	return bigger;
}

static enum dom_rc
load_files(struct dom *d, long long rid, struct intake_view *v)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT m.id, m.kind, "
	    "m.row, m.filename, m.size, m.sha256 FROM round_file rf JOIN "
	    "material m ON m.id = rf.material_id WHERE rf.round_id = ?1 "
	    "ORDER BY m.kind, m.row, m.id");
	const struct fdef_material *m;
	struct intake_file *f;
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "intake files");
	store_bind_int(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->files = grow(d, v->files, v->nfiles, &cap, sizeof(*f));
		f = &v->files[v->nfiles++];
		f->material_id = sqlite3_column_int64(st, 0);
		m = fdef_material_find(store_col_text(st, 1), NULL);
		f->kind = arena_strdup(d->arena, m ? m->label :
		    store_col_text(st, 1));
		f->row = sqlite3_column_int(st, 2) >= 0 ?
		    sqlite3_column_int(st, 2) + 1 : 0;
		f->filename = arena_strdup(d->arena, store_col_text(st, 3));
		f->size = sqlite3_column_int64(st, 4);
		f->sha256 = arena_strdup(d->arena, store_col_text(st, 5));
		f->code = arena_strdup(d->arena, store_col_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "intake files");
}

static struct intake_change *
push_change(struct dom *d, struct intake_view *v, size_t *cap)
{
	v->changes = grow(d, v->changes, v->nchanges, cap,
	    sizeof(*v->changes));
	return &v->changes[v->nchanges++];
}

/* A value of round prev or cur as the form shows it; "（无）" when the
 * field is unknown or the round has no such value. */
static const char *
shown(struct dom *d, const struct fdef_field *f, sqlite3_stmt *st, int col)
{
	if (f == NULL || sqlite3_column_type(st, col) == SQLITE_NULL)
		return "（无）";
	return arena_strdup(d->arena, fdef_display(d->arena, f,
	    store_col_text(st, col)));
}

/* A changed value: the field (and row) in words, before and after. */
static void
value_change(struct dom *d, sqlite3_stmt *st, struct intake_change *c)
{
	const struct fdef_field *f = fdef_field_find(store_col_text(st, 0),
	    NULL);
	int row = sqlite3_column_int(st, 1);

	if (f == NULL)
		c->what = arena_strdup(d->arena, store_col_text(st, 0));
	else	/* "四、人员情况 › 人员 2 › 有效期至" */
		c->what = fdef_where(d->arena, f, row);
	c->was = shown(d, f, st, 2);
	c->now = shown(d, f, st, 3);
}

/* A file added (column 2 is 1) or no longer submitted. */
static void
file_change(struct dom *d, sqlite3_stmt *st, struct intake_change *c)
{
	const struct fdef_section *sec = NULL;
	const struct fdef_material *m = fdef_material_find(
	    store_col_text(st, 0), &sec);
	int row = sqlite3_column_int(st, 3);

	/* "材料：三、… › 年度 2 › 审计报告": a replaced file's two rows
	 * name the same place, so the page can show them as one. */
	if (m == NULL)
		c->what = arena_strdup(d->arena, store_col_text(st, 0));
	else if (m->group != NULL && row >= 0)
		c->what = arena_printf(d->arena, "材料：%s%s%s › %s %d › %s",
		    sec->num, *sec->num ? "、" : "", sec->title,
		    m->group->row_label, row + 1, m->label);
	else
		c->what = arena_printf(d->arena, "材料：%s%s%s › %s", sec->num,
		    *sec->num ? "、" : "", sec->title, m->label);
	if (sqlite3_column_int(st, 2)) {
		c->was = "（无）";
		c->now = arena_printf(d->arena, "新文件 %s",
		    store_col_text(st, 1));
	} else {
		c->was = arena_strdup(d->arena, store_col_text(st, 1));
		c->now = "（不再提交）";
	}
}

/* The changes sql finds between rounds prev (?1) and cur (?2), each
 * row read by one. */
static enum dom_rc
changes(struct dom *d, sqlite3_stmt *st, long long prev, long long cur,
    void (*one)(struct dom *, sqlite3_stmt *, struct intake_change *),
    struct intake_view *v, size_t *cap)
{
	int rc;

	if (st == NULL)
		return dom_fail(d, "intake changes");
	store_bind_int(st, 1, prev);
	store_bind_int(st, 2, cur);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		one(d, st, push_change(d, v, cap));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "intake changes");
}

/* What changed from round prev to round cur: values, then files. */
static enum dom_rc
load_changes(struct dom *d, long long prev, long long cur,
    struct intake_view *v)
{
	size_t cap = 0;
	enum dom_rc rc;

	rc = changes(d, store_stmt(d->store, "SELECT a.field, a.row, a.value, "
	    "b.value FROM round_value a LEFT JOIN round_value b ON b.round_id "
	    "= ?2 AND b.field = a.field AND b.row = a.row WHERE a.round_id = "
	    "?1 AND (b.value IS NULL OR b.value <> a.value) UNION ALL SELECT "
	    "b.field, b.row, NULL, b.value FROM round_value b WHERE "
	    "b.round_id = ?2 AND NOT EXISTS (SELECT 1 FROM round_value a "
	    "WHERE a.round_id = ?1 AND a.field = b.field AND a.row = b.row) "
	    "ORDER BY 1, 2"), prev, cur, value_change, v, &cap);
	if (rc != DOM_OK)
		return rc;
	return changes(d, store_stmt(d->store, "SELECT m.kind, m.filename, 1, "
	    "m.row FROM round_file rf JOIN material m ON m.id = "
	    "rf.material_id WHERE rf.round_id = ?2 AND rf.material_id NOT IN "
	    "(SELECT material_id FROM round_file WHERE round_id = ?1) UNION "
	    "ALL SELECT m.kind, m.filename, 0, m.row FROM round_file rf JOIN "
	    "material m ON m.id = rf.material_id WHERE rf.round_id = ?1 AND "
	    "rf.material_id NOT IN (SELECT material_id FROM round_file WHERE "
	    "round_id = ?2) ORDER BY 1, 4, 3"), prev, cur,
	    file_change, v, &cap);
}

static enum dom_rc
load_findings(struct dom *d, long long case_id, int round,
    struct intake_view *v)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT area, verdict, "
	    "comment FROM finding WHERE case_id = ?1 AND round_n = ?2 "
	    "ORDER BY id");
	struct intake_finding *f;
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "intake findings");
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, round);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->findings = grow(d, v->findings, v->nfindings, &cap,
		    sizeof(*f));
		f = &v->findings[v->nfindings++];
		f->area = arena_strdup(d->arena, store_col_text(st, 0));
		f->verdict = arena_strdup(d->arena, store_col_text(st, 1));
		f->comment = arena_strdup(d->arena, store_col_text(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "intake findings");
}

/* The eligibility of c's frozen form fd, as of the case's judging day. */
static enum dom_rc
judge(struct dom *d, const struct case_ref *c, struct formdata *fd,
    struct eligibility *out)
{
	zdate day = elig_day(d, c);

	if (day == DATE_NONE)
		return dom_fail(d, "intake: judging day");
	return elig_judge(d, c, &fd->src, day, 1, out);
}

/* Whether round rid answered its supplement late: its due date and
 * the day it came. */
static enum dom_rc
load_lateness(struct dom *d, long long rid, struct intake_view *v)
{
	int row;
	sqlite3_stmt *st = store_stmt(d->store, "SELECT late, coalesce("
	    "answers_due, ''), coalesce(day, '') FROM round WHERE id = ?1");

	if (st == NULL)
		return dom_fail(d, "intake lateness");
	store_bind_int(st, 1, rid);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "intake lateness");
	if (row == 1) {
		v->late = sqlite3_column_int(st, 0);
		snprintf(v->late_due, sizeof(v->late_due), "%s",
		    store_col_text(st, 1));
		snprintf(v->late_day, sizeof(v->late_day), "%s",
		    store_col_text(st, 2));
	}
	sqlite3_reset(st);
	return DOM_OK;
}

enum dom_rc
intake_view(struct dom *d, const struct case_ref *c, struct intake_view *out)
{
	long long rid, prev = 0;
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((c->parts & PART_FINDINGS) == 0)
		return DOM_NOT_FOUND;
	if (archive_gone(d, c) != DOM_OK)
		return DOM_GONE;
	if (c->rounds < 1 ||
	    (rid = submission_round_id(d, c->id, c->rounds)) == 0)
		return DOM_NOT_FOUND;
	if (rid < 0)
		return dom_fail(d, "intake view");
	out->round = c->rounds;
	out->form = arena_alloc(d->arena, sizeof(*out->form));
	formdata_init(out->form, d->arena);
	if (formdata_load_round(out->form, d->store, rid) != 0)
		return dom_fail(d, "intake round");
	if ((rc = load_files(d, rid, out)) != DOM_OK)
		return rc;
	if (c->rounds > 1) {
		out->prev_round = c->rounds - 1;
		if ((prev = submission_round_id(d, c->id, out->prev_round)) <
		    0)
			return dom_fail(d, "intake view");
		if ((rc = load_changes(d, prev, rid, out)) != DOM_OK)
			return rc;
	}
	if ((rc = judge(d, c, out->form, &out->elig)) != DOM_OK)
		return rc;
	rc = notice_supplement(d, c, &out->supplement);
	if (rc != DOM_OK && rc != DOM_NOT_FOUND)
		return rc;
	out->has_supplement = rc == DOM_OK;
	if ((rc = notice_bounces(d, c, &out->bounces, &out->nbounces)) !=
	    DOM_OK)
		return rc;
	if ((rc = load_lateness(d, rid, out)) != DOM_OK)
		return rc;
	if (c->st == ST_SUPPLEMENT_REQUESTED) {
		zdate served;

		if ((rc = notice_supplement_due(d, c->id, &served,
		    out->awaited_due)) == DOM_OK)
			out->overdue = served != DATE_NONE &&
			    rules_supplement_late(rules_default(), served,
			    d->today);
		else if (rc != DOM_NOT_FOUND)
			return rc;
	}
	out->name_differs = strcmp(c->org_name, c->account_org) != 0;
	return load_findings(d, c->id, c->rounds, out);
}

enum dom_rc
intake_take(struct dom *d, long long case_id)
{
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_TAKE_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	st = store_stmt(d->store, "UPDATE cases SET lead_id = ?2 WHERE "
	    "id = ?1");
	if (st == NULL)
		return dom_fail(d, "intake take");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "intake take");
	rc = workflow_step(d, c.id, ST_INTAKE_REVIEW, "项目负责人开始受理审查");
	return dom_end(d, rc);
}

static int
known_verdict(const char *v)
{
	return strcmp(v, "ok") == 0 || strcmp(v, "supplement") == 0 ||
	    strcmp(v, "fail") == 0;
}

enum dom_rc
intake_record_findings(struct dom *d, long long case_id,
    const struct intake_finding *in, size_t n)
{
	struct case_ref c;
	sqlite3_stmt *st;
	const char *comment;
	enum dom_rc rc;
	size_t i;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (c.st != ST_INTAKE_REVIEW)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    "只有在受理审查中才能记录审查意见。"));
	for (i = 0; i < n; i++) {
		comment = in[i].comment != NULL ? in[i].comment : "";
		if (in[i].area == NULL || review_area(in[i].area) == NULL ||
		    in[i].verdict == NULL || !known_verdict(in[i].verdict))
			return dom_end(d, dom_refuse(d, DOM_INVALID, NULL,
			    "请为审查项选择“符合”“需补正”或“不符合”。"));
		if (strlen(comment) > COMMENT_MAX ||
		    !valid_text(comment, 0, COMMENT_MAX, VALID_MULTILINE))
			return dom_end(d, dom_refuse(d, DOM_INVALID,
			    arena_printf(d->arena, "comment_%s", in[i].area),
			    "每条意见请控制在 4000 字节以内。"));
		st = store_stmt(d->store, "INSERT INTO finding(case_id, "
		    "round_n, area, verdict, comment, by_id, at) VALUES (?1, "
		    "?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(case_id, round_n, "
		    "area) DO UPDATE SET verdict = excluded.verdict, comment = "
		    "excluded.comment, by_id = excluded.by_id, at = "
		    "excluded.at");
		if (st == NULL)
			return dom_fail(d, "intake findings");
		store_bind_int(st, 1, c.id);
		store_bind_int(st, 2, c.rounds);
		store_bind_text(st, 3, in[i].area);
		store_bind_text(st, 4, in[i].verdict);
		store_bind_text(st, 5, comment);
		store_bind_int(st, 6, d->actor->id);
		store_bind_text(st, 7, d->stamp);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "intake findings");
	}
	return dom_end(d, DOM_OK);
}

/* A supplement target in words: a section of the 申请书 or a material. */
static const char *
target_label(struct arena *a, const char *code)
{
	const struct fdef_section *sec = fdef_section_find(code);
	const struct fdef_material *m;

	if (sec != NULL)
		return arena_printf(a, "申请书%s%s%s", sec->num, *sec->num ?
		    "、" : "", sec->title);
	if ((m = fdef_material_find(code, NULL)) != NULL)
		return arena_printf(a, "材料：%s", m->label);
	return NULL;
}

const char *
intake_item_check(struct arena *a, const struct intake_item *it,
    const char **label)
{
	const char *l = it->target != NULL ? target_label(a, it->target) :
	    NULL;

	if (label != NULL)
		*label = l;
	if (l == NULL)
		return arena_printf(a, "第 %d 项：请选择需要补正的章节或材料。",
		    it->row + 1);
	if (it->what == NULL || *it->what == '\0' ||
	    strlen(it->what) > WHAT_MAX ||
	    !valid_text(it->what, 1, WHAT_MAX, VALID_MULTILINE))
		return arena_printf(a, "第 %d 项：请写明需要补正的内容（不超过 "
		    "2000 字节）。", it->row + 1);
	return NULL;
}

/* The items of a notice, checked, into the notice's view; NULL, or the
 * refusal (already made with dom_refuse). */
static enum dom_rc
put_notice_items(struct dom *d, struct tv *nv, const struct intake_item *items,
    size_t n)
{
	struct tv *list = tv_put_list(nv, "items"), *it;
	const char *label, *err;
	size_t i;

	if (n == 0)
		return dom_refuse(d, DOM_INVALID, "item-0", "请至少列出一项需要"
		    "补正的内容；补正告知书须一次性列出全部需补正的内容。");
	if (n > INTAKE_MAX_ITEMS)
		return dom_refuse(d, DOM_INVALID, "item-0", "补正告知书最多列出 "
		    "%d 项。", INTAKE_MAX_ITEMS);
	for (i = 0; i < n; i++) {
		if ((err = intake_item_check(d->arena, &items[i], &label)) !=
		    NULL)
			return dom_refuse(d, DOM_INVALID, arena_printf(d->arena,
			    "item-%d", items[i].row), "%s", err);
		it = tv_push_map(list);
		tv_put_int(it, "n", (long long)i + 1);
		tv_put_str(it, "label", label);
		tv_put_str(it, "what", items[i].what);
	}
	return DOM_OK;
}

/*
 * The queue and the dashboard show a supplement's due date and, past it,
 * that the answer is overdue: the date is set when the notice is served
 * (notice_serve); until then the case has none. 0 or -1.
 */
static int
clear_due(struct dom *d, long long case_id)
{
	sqlite3_stmt *st = store_stmt(d->store, "UPDATE cases SET "
	    "supplement_due = NULL WHERE id = ?1");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int
insert_items(struct dom *d, long long nid, const struct intake_item *items,
    size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		st = store_stmt(d->store, "INSERT INTO supplement_item("
		    "notice_id, target, what) VALUES (?1, ?2, ?3)");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, nid);
		store_bind_text(st, 2, items[i].target);
		store_bind_text(st, 3, items[i].what);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

enum dom_rc
intake_request_supplement(struct dom *d, long long case_id,
    const struct intake_item *items, size_t n)
{
	struct case_ref c;
	struct tv *nv;
	long long nid;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	nv = step_notice_view(d, &c);
	if ((rc = put_notice_items(d, nv, items, n)) != DOM_OK)
		return dom_end(d, rc);
	/* The month runs from 送达, not from today: the due date is set
	 * when the notice is served (notice_serve). */
	if ((rc = workflow_step(d, c.id, ST_SUPPLEMENT_REQUESTED, arena_printf(
	    d->arena, "要求补正 %zu 项，期限为补正告知书送达之日起一个月", n))) !=
	    DOM_OK)
		return dom_end(d, rc);
	tv_put_str(nv, "lead_name", d->actor->name);
	tv_put_int(nv, "round", c.rounds);
	if ((nid = notice_create(d, c.id, c.case_no, "supplement", "补正告知书",
	    nv, NULL, 0)) < 0 || insert_items(d, nid, items, n) != 0)
		return dom_fail(d, "supplement notice");
	if (clear_due(d, c.id) != 0)
		return dom_fail(d, "supplement due");
	return dom_end(d, DOM_OK);
}

enum dom_rc
intake_correct_supplement(struct dom *d, long long case_id,
    const struct intake_item *items, size_t n, const char **no)
{
	int row;
	struct case_ref c;
	struct tv *nv;
	sqlite3_stmt *st;
	long long old = 0, nid;
	enum dom_rc rc;

	*no = NULL;
	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (c.st != ST_SUPPLEMENT_REQUESTED)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "只有在等待"
		    "申请单位补正期间才能更正补正告知书；申请单位提交补正材料后，"
		    "请在审查意见中重新提出。"));
	st = store_stmt(d->store, "SELECT id, no FROM notice WHERE case_id = "
	    "?1 AND kind = 'supplement' ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "correct supplement");
	store_bind_int(st, 1, c.id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "correct supplement");
	if (row == 1) {
		old = sqlite3_column_int64(st, 0);
		*no = arena_strdup(d->arena, store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (old == 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "没有可以"
		    "更正的补正告知书。"));
	nv = step_notice_view(d, &c);
	if ((rc = put_notice_items(d, nv, items, n)) != DOM_OK)
		return dom_end(d, rc);
	/* Its own month, from its own 送达 (notice_serve). */
	tv_put_str(nv, "lead_name", d->actor->name);
	tv_put_int(nv, "round", c.rounds);
	tv_put_str(nv, "corrects", *no);
	if ((nid = notice_create(d, c.id, c.case_no, "supplement",
	    "更正通知（补正告知书）", nv, NULL, 0)) < 0 ||
	    insert_items(d, nid, items, n) != 0)
		return dom_fail(d, "correct supplement");
	st = store_stmt(d->store, "INSERT INTO notice_supersedes(notice_id, "
	    "supersedes) VALUES (?1, ?2)");
	if (st == NULL)
		return dom_fail(d, "correct supplement");
	store_bind_int(st, 1, nid);
	store_bind_int(st, 2, old);
	if (sqlite3_step(st) != SQLITE_DONE || clear_due(d, c.id) != 0)
		return dom_fail(d, "correct supplement");
	return dom_end(d, DOM_OK);
}

enum dom_rc
intake_record_requirements(struct dom *d, long long case_id,
    const struct intake_req *in, size_t n)
{
	struct case_ref c;
	sqlite3_stmt *st;
	const char *field;
	enum dom_rc rc;
	size_t i;
	int active;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (c.st != ST_INTAKE_REVIEW)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    "只有在受理审查中才能记录补充要求的核对结果。"));
	for (i = 0; i < n; i++) {
		field = arena_printf(d->arena, "req_%lld", in[i].id);
		st = store_stmt(d->store, "SELECT retired_at IS NULL FROM "
		    "requirement WHERE id = ?1");
		if (st == NULL)
			return dom_fail(d, "intake requirements");
		store_bind_int(st, 1, in[i].id);
		if ((active = store_row(st)) < 0)
			return dom_fail(d, "intake requirements");
		if (active == 1)
			active = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (!active)
			return dom_end(d, dom_refuse(d, DOM_INVALID, field,
			    "没有这项补充要求（可能已停用），请刷新页面。"));
		if ((in[i].met != 0 && in[i].met != 1) ||
		    in[i].evidence == NULL || in[i].evidence[0] == '\0' ||
		    strlen(in[i].evidence) > ELIG_EVIDENCE_MAX ||
		    !valid_text(in[i].evidence, 1, ELIG_EVIDENCE_MAX,
		    VALID_MULTILINE))
			return dom_end(d, dom_refuse(d, DOM_INVALID, field,
			    "请为每项补充要求选择“满足”或“不满足”，并写明核对的"
			    "证据（不超过 %d 字节）。", ELIG_EVIDENCE_MAX));
		st = store_stmt(d->store, "INSERT INTO requirement_check("
		    "case_id, requirement_id, met, evidence, by_id, at) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(case_id, "
		    "requirement_id) DO UPDATE SET met = excluded.met, "
		    "evidence = excluded.evidence, by_id = excluded.by_id, at = "
		    "excluded.at");
		if (st == NULL)
			return dom_fail(d, "intake requirements");
		store_bind_int(st, 1, c.id);
		store_bind_int(st, 2, in[i].id);
		store_bind_int(st, 3, in[i].met);
		store_bind_text(st, 4, in[i].evidence);
		store_bind_int(st, 5, d->actor->id);
		store_bind_text(st, 6, d->stamp);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "intake requirements");
	}
	return dom_end(d, DOM_OK);
}

/*
 * The start condition of §3.1, inside 受理's transaction: DOM_OK with
 * *reason the acceptance event's reason, or the refusal. dry: judge
 * only, keep nothing.
 */
static enum dom_rc
start_condition(struct dom *d, const struct case_ref *c, const char *override,
    const char **reason, int dry)
{
	struct eligibility el;
	struct formdata fd;
	sqlite3_stmt *st;
	long long rid;
	enum dom_rc rc;

	*reason = "受理";
	if ((rid = submission_round_id(d, c->id, c->rounds)) <= 0)
		return dom_fail(d, "accept: no round");
	formdata_init(&fd, d->arena);
	if (formdata_load_round(&fd, d->store, rid) != 0)
		return dom_fail(d, "accept: round");
	if ((rc = judge(d, c, &fd, &el)) != DOM_OK)
		return rc;
	if (el.nunrecorded > 0)
		return dom_refuse(d, DOM_CONFLICT, "requirements", "请先核对"
		    "补充要求%s，记录是否满足及证据，再决定是否受理（指南 3.1 "
		    "(5)）。", el.unrecorded_zh);
	if (el.nfailed == 0)
		return paper_ready(d, c);
	if (override == NULL || override[strspn(override, " \t\r\n")] ==
	    '\0')
		return dom_refuse(d, DOM_INVALID, "override", "基本资格不符合："
		    "%s。基本资格是评定资质的起评条件（指南 3.1），不符合时不能"
		    "受理；请要求补正或不予受理。如确需受理，请写明破格受理的理由。",
		    el.failed_zh);
	if (strlen(override) > INTAKE_OVERRIDE_MAX ||
	    !valid_text(override, 1, INTAKE_OVERRIDE_MAX, VALID_MULTILINE))
		return dom_refuse(d, DOM_INVALID, "override", "破格受理的理由"
		    "请控制在 %d 字节以内。", INTAKE_OVERRIDE_MAX);
	if ((rc = paper_ready(d, c)) != DOM_OK || dry)
		return rc;
	st = store_stmt(d->store, "INSERT INTO basic_override(case_id, "
	    "round_n, failed, reason, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6)");
	if (st == NULL)
		return dom_fail(d, "override");
	store_bind_int(st, 1, c->id);
	store_bind_int(st, 2, c->rounds);
	store_bind_text(st, 3, el.failed_zh);
	store_bind_text(st, 4, override);
	store_bind_int(st, 5, d->actor->id);
	store_bind_text(st, 6, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "override");
	*reason = arena_printf(d->arena, "受理（破格：基本资格不符合：%s；项目"
	    "负责人的理由：%s）", el.failed_zh, override);
	return DOM_OK;
}

enum dom_rc
intake_accept(struct dom *d, long long case_id, const char *override)
{
	struct case_ref c;
	struct tv *nv;
	const char *reason = "受理";
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	/* From another status the workflow says why not. */
	if (c.st == ST_INTAKE_REVIEW &&
	    (rc = start_condition(d, &c, override, &reason, 0)) != DOM_OK)
		return dom_end(d, rc);
	if ((rc = workflow_step(d, c.id, ST_ACCEPTED, reason)) != DOM_OK)
		return dom_end(d, rc);
	nv = step_notice_view(d, &c);
	tv_put_str(nv, "lead_name", d->actor->name);
	return step_end_notice(d, &c, "acceptance", "受理通知书", nv);
}

enum dom_rc
intake_accept_check(struct dom *d, long long case_id, const char *override)
{
	struct case_ref c;
	const char *reason;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc == DOM_OK && c.st == ST_INTAKE_REVIEW)
		rc = start_condition(d, &c, override, &reason, 1);
	/* dry: nothing was written. */
	return dom_end(d, rc);
}

enum dom_rc
intake_overrides(struct dom *d, const struct case_ref *c,
    struct intake_override **out, size_t *n)
{
	sqlite3_stmt *st;
	struct intake_override *o;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!(c->parts & PART_FINDINGS))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT o.round_n, o.failed, o.reason, "
	    "coalesce(a.name, ''), o.at FROM basic_override o LEFT JOIN "
	    "account a ON a.id = o.by_id WHERE o.case_id = ?1 ORDER BY o.id");
	if (st == NULL)
		return dom_fail(d, "overrides");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = grow(d, *out, *n, &cap, sizeof(*o));
		o = &(*out)[(*n)++];
		o->round = sqlite3_column_int(st, 0);
		o->failed = arena_strdup(d->arena, store_col_text(st, 1));
		o->reason = arena_strdup(d->arena, store_col_text(st, 2));
		o->by = arena_strdup(d->arena, store_col_text(st, 3));
		o->at = arena_strdup(d->arena, store_col_text(st, 4));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "overrides");
}


/*
 * The ground of a refusal for a supplement not answered in time, in
 * words with its dates, or NULL with the refusal in d (DOM_CONFLICT).
 */
static const char *
late_ground(struct dom *d, const struct case_ref *c, enum dom_rc *rc)
{
	struct intake_view v;
	zdate served;
	char due[DATE_BUFSZ];
	long long rid;

	*rc = DOM_OK;
	if (c->st == ST_SUPPLEMENT_REQUESTED) {
		if ((*rc = notice_supplement_due(d, c->id, &served, due)) ==
		    DOM_FAILED)
			return NULL;
		if (*rc == DOM_OK && served != DATE_NONE &&
		    rules_supplement_late(rules_default(), served, d->today))
			return arena_printf(d->arena, "补正期限 %s（含当日）已"
			    "过，申请单位未提交补正材料", due);
		if (*rc == DOM_OK && served == DATE_NONE)
			*rc = dom_refuse(d, DOM_CONFLICT, NULL, "补正告知书尚未"
			    "送达，补正期限尚未起算，不能以逾期未补正为由不予受"
			    "理。请电话联系申请单位，或重新发送通知。");
		else
			*rc = dom_refuse(d, DOM_CONFLICT, NULL, "补正期限（%s）"
			    "尚未届满，不能以逾期未补正为由不予受理。", *due ?
			    due : "未设定");
		return NULL;
	}
	memset(&v, 0, sizeof(v));
	if ((rid = submission_round_id(d, c->id, c->rounds)) <= 0) {
		*rc = dom_fail(d, "late ground");
		return NULL;
	}
	if ((*rc = load_lateness(d, rid, &v)) != DOM_OK)
		return NULL;
	if (v.late)
		return arena_printf(d->arena, "补正期限 %s（含当日），第 %d 轮补"
		    "正材料于 %s 提交，属逾期提交", v.late_due, c->rounds,
		    v.late_day);
	*rc = dom_refuse(d, DOM_CONFLICT, NULL, "第 %d 轮材料%s不是逾期提交的"
	    "补正材料，不能以逾期未补正为由不予受理；如不符合受理条件，请写明理"
	    "由后不予受理。", c->rounds, c->rounds > 1 ? "" : "是首次提交，");
	return NULL;
}

/* 不予受理, on the ground late (NULL: the reasons alone). */
static enum dom_rc
refuse(struct dom *d, long long case_id, const char *reasons, int late)
{
	struct case_ref c;
	struct tv *nv;
	const char *ground = NULL, *why;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (reasons == NULL || *reasons == '\0' ||
	    strlen(reasons) > REASONS_MAX ||
	    !valid_text(reasons, 1, REASONS_MAX, VALID_MULTILINE))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "reasons",
		    "请写明不予受理的理由（不超过 8000 字节），它将写入不予受理"
		    "通知书。"));
	if (late && (ground = late_ground(d, &c, &rc)) == NULL)
		return rc == DOM_FAILED ? rc : dom_end(d, rc);
	why = ground == NULL ? reasons : arena_printf(d->arena, "逾期未补正"
	    "（《申请与维持指南》第 5.2 条）：%s。%s", ground, reasons);
	/* From supplement_requested the workflow's guard asks that the
	 * supplement's due date has passed. */
	if ((rc = workflow_step(d, c.id, ST_REJECTED, why)) != DOM_OK)
		return dom_end(d, rc);
	nv = step_notice_view(d, &c);
	tv_put_str(nv, "reasons", reasons);
	if (ground != NULL)
		tv_put_str(nv, "late_ground", ground);
	tv_put_str(nv, "lead_name", d->actor->name);
	return step_end_notice(d, &c, "refusal", "不予受理通知书", nv);
}

enum dom_rc
intake_refuse(struct dom *d, long long case_id, const char *reasons)
{
	return refuse(d, case_id, reasons, 0);
}

enum dom_rc
intake_refuse_late(struct dom *d, long long case_id, const char *reasons)
{
	return refuse(d, case_id, reasons, 1);
}
