/*
 * appeal.c: appeals (appeal.h).
 */
#include <string.h>

#include "appeal.h"
#include "archive.h"
#include "attach.h"
#include "outbox.h"
#include "notice.h"
#include "panel.h"
#include "workflow_step.h"
#include "tmpl.h"
#include "store.h"
#include "util.h"
#include "valid.h"

#define APPEAL_SELECT "a.id, a.case_id, a.text, f.name, a.filed_at, " \
	"coalesce(a.handler_id, 0), coalesce(h.name, ''), " \
	"a.concluded_at IS NOT NULL, coalesce(a.upheld, 0), " \
	"coalesce(a.conclusion, ''), coalesce(a.concluded_at, ''), " \
	"coalesce(a.reopen_to, '') "
#define APPEAL_FROM "FROM appeal a JOIN account f ON f.id = a.filed_by " \
	"LEFT JOIN account h ON h.id = a.handler_id "

/* Columns 0-11 of APPEAL_SELECT into a. */
static void
appeal_row(struct dom *d, sqlite3_stmt *st, struct appeal *a)
{
	struct arena *ar = d->arena;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->case_id = sqlite3_column_int64(st, 1);
	a->text = arena_strdup(ar, store_col_text(st, 2));
	a->filed_by = arena_strdup(ar, store_col_text(st, 3));
	a->filed_at = arena_strdup(ar, store_col_text(st, 4));
	a->handler_id = sqlite3_column_int64(st, 5);
	a->handler = arena_strdup(ar, store_col_text(st, 6));
	a->concluded = sqlite3_column_int(st, 7);
	a->upheld = sqlite3_column_int(st, 8);
	a->conclusion = arena_strdup(ar, store_col_text(st, 9));
	a->concluded_at = arena_strdup(ar, store_col_text(st, 10));
	if (status_parse(store_col_text(st, 11), &a->reopen_to) != 0)
		a->reopen_to = ST_DRAFT;
	a->case_no = "";
	a->org_name = "";
}

/* Grows an array of n elements of size in d's arena to hold one more. */
static void *
grow(struct dom *d, void *v, size_t n, size_t *cap, size_t size)
{
	void *bigger;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	bigger = arena_alloc(d->arena, *cap * size);
	if (n > 0)
		memcpy(bigger, v, n * size);
	return bigger;
}

static enum dom_rc
load_docs(struct dom *d, struct appeal *a)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT rowid, filename, "
	    "mime, size, sha256 FROM appeal_file WHERE appeal_id = ?1 "
	    "ORDER BY rowid");
	struct appeal_doc *f;
	size_t cap = 0;
	int rc;

	a->docs = NULL;
	a->ndocs = 0;
	if (st == NULL)
		return dom_fail(d, "appeal files");
	store_bind_int(st, 1, a->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->docs = grow(d, a->docs, a->ndocs, &cap, sizeof(*a->docs));
		f = &a->docs[a->ndocs++];
		f->id = sqlite3_column_int64(st, 0);
		f->filename = arena_strdup(d->arena, store_col_text(st, 1));
		f->mime = arena_strdup(d->arena, store_col_text(st, 2));
		f->size = sqlite3_column_int64(st, 3);
		f->sha256 = arena_strdup(d->arena, store_col_text(st, 4));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "appeal files");
}

/*
 * Appeal id and its case when the actor may read the parts in need of
 * it (without its files).
 */
static enum dom_rc
load(struct dom *d, long long id, unsigned need, struct appeal *a,
    struct case_ref *c)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT " APPEAL_SELECT
	    APPEAL_FROM "WHERE a.id = ?1");
	int rc;

	if (st == NULL)
		return dom_fail(d, "appeal");
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		appeal_row(d, st, a);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return DOM_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return dom_fail(d, "appeal");
	return access_case(d, a->case_id, need | PART_APPEALS, c);
}

enum dom_rc
appeal_get(struct dom *d, long long id, struct appeal *out,
    struct case_ref *c)
{
	struct case_ref mine;
	enum dom_rc rc;

	if ((rc = load(d, id, PART_APPEALS, out, c ? c : &mine)) != DOM_OK)
		return rc;
	return load_docs(d, out);
}

/* ------------------------------------------------------------------ */
/* Filing                                                              */

size_t
appeal_check(struct dom *d, const struct appeal_input *in,
    struct problem *out)
{
	const char *m;
	size_t n = 0;

	m = textcheck(d->arena, in->text, APPEAL_TEXT_MAX, VALID_MULTILINE,
	    "请填写申诉内容：对哪一项结论有异议，以及理由和依据。", "申诉内容",
	    "；详细材料可作为附件上传。");
	if (m != NULL)
		out[n++] = (struct problem){ "text", m };
	if (in->nfiles > APPEAL_FILES_MAX)
		out[n++] = (struct problem){ "files", arena_printf(d->arena,
		    "每份申诉最多附 %d 个文件。请合并后重新选择。",
		    APPEAL_FILES_MAX) };
	return n;
}

/* How many appeals of the case are open: 0 or more, or -1. */
static long long
open_appeals(struct dom *d, long long case_id)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT count(*) FROM appeal "
	    "WHERE case_id = ?1 AND concluded_at IS NULL");
	long long n;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

enum dom_rc
appeal_may_lodge(struct dom *d, const struct case_ref *c)
{
	enum dom_rc rc;
	long long open;

	if ((rc = access_require(d, c, ACT_APPEAL)) == DOM_CONFLICT)
		return dom_refuse(d, DOM_CONFLICT, NULL, "只有“不予受理”或“未通过”"
		    "的案件可以申诉，本案件当前状态为“%s”。如对办理有疑问，请联系"
		    "项目负责人。", status_zh(c->st));
	if (rc != DOM_OK)
		return rc;
	if ((open = open_appeals(d, c->id)) < 0)
		return dom_fail(d, "open appeals");
	if (open > 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "本案件已有一份申诉正在办理。"
		    "请等待监督部门的结论后，再决定是否提出新的申诉。");
	return DOM_OK;
}

/* Stores the files and writes their rows for appeal aid. */
static enum dom_rc
lodge_docs(struct dom *d, long long aid, const struct appeal_input *in)
{
	const struct appeal_upload *up;
	struct attach_file af;
	enum files_kind kind;
	sqlite3_stmt *st;
	enum dom_rc rc;
	size_t i;

	for (i = 0; i < in->nfiles; i++) {
		up = &in->files[i];
		if (up->len == 0)	/* named, but empty */
			return dom_refuse(d, DOM_INVALID, "files", "%s",
			    files_check(d->arena, up->name, up->data, 0,
			    FILES_ANY, &kind));
		rc = attach_prepare(d, up->name, up->data, up->len, FILES_ANY,
		    &af);
		if (rc != DOM_OK) {
			d->field = rc == DOM_FAILED ? NULL : "files";
			return rc;
		}
		st = store_stmt(d->store, "INSERT INTO appeal_file(appeal_id, "
		    "filename, mime, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (st == NULL)
			return dom_fail(d, "appeal file");
		store_bind_int(st, 1, aid);
		store_bind_text(st, 2, af.filename);
		store_bind_text(st, 3, af.mime);
		store_bind_int(st, 4, af.size);
		store_bind_text(st, 5, af.sha256);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "appeal file");
	}
	return DOM_OK;
}

/* Every active supervisor hears of a new appeal, in its transaction. */
static enum dom_rc
tell_supervisors(struct dom *d, const struct case_ref *c, long long aid)
{
	const char *subject, *body;

	subject = arena_printf(d->arena, "【监督】新的申诉（%s）", c->case_no);
	body = arena_printf(d->arena, "申请单位 %s 对案件 %s（当前状态：%s）提出"
	    "申诉。请由未参与该案件的监督人员受理并作出结论（《申请与维持指南》"
	    "第七章）：\n%s/appeals/%lld\n", c->org_name, c->case_no,
	    status_zh(c->st), d->public_url, aid);
	return outbox_to_role(d->store, c->id, "supervisor", subject, body,
	    NULL, d->now) < 0 ? dom_fail(d, "appeal: mail") : DOM_OK;
}

static enum dom_rc
lodge(struct dom *d, long long case_id, const struct appeal_input *in,
    long long *id)
{
	struct problem p[APPEAL_PROBLEMS];
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	long long aid;

	if ((rc = access_case(d, case_id, PART_APPEALS, &c)) != DOM_OK)
		return rc;
	if ((rc = appeal_may_lodge(d, &c)) != DOM_OK)
		return rc;
	if (appeal_check(d, in, p) > 0)
		return dom_refuse(d, DOM_INVALID, p[0].field, "%s", p[0].msg);
	st = store_stmt(d->store, "INSERT INTO appeal(case_id, text, "
	    "filed_by, filed_at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return dom_fail(d, "appeal");
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, in->text);
	store_bind_int(st, 3, d->actor->id);
	store_bind_text(st, 4, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "appeal");
	aid = sqlite3_last_insert_rowid(store_db(d->store));
	if ((rc = lodge_docs(d, aid, in)) != DOM_OK)
		return rc;
	if ((rc = tell_supervisors(d, &c, aid)) != DOM_OK)
		return rc;
	*id = aid;
	return DOM_OK;
}

enum dom_rc
appeal_lodge(struct dom *d, long long case_id, const struct appeal_input *in,
    long long *id)
{
	enum dom_rc rc;

	*id = 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = dom_end(d, lodge(d, case_id, in, id));
	if (rc != DOM_OK)
		*id = 0;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

enum dom_rc
appeal_list_case(struct dom *d, const struct case_ref *c,
    struct appeal **out, size_t *n, size_t *open)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT " APPEAL_SELECT
	    APPEAL_FROM "WHERE a.case_id = ?1 ORDER BY a.id DESC LIMIT ?2");
	struct appeal *v;
	enum dom_rc rc;
	size_t i;
	int r;

	*out = NULL;
	*n = *open = 0;
	if (!(c->parts & PART_APPEALS))
		return DOM_NOT_FOUND;
	if (st == NULL)
		return dom_fail(d, "case appeals");
	v = arena_alloc(d->arena, APPEAL_CASE_MAX * sizeof(*v));
	store_bind_int(st, 1, c->id);
	store_bind_int(st, 2, APPEAL_CASE_MAX);
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		appeal_row(d, st, &v[(*n)++]);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return dom_fail(d, "case appeals");
	for (i = 0; i < *n; i++) {
		if ((rc = load_docs(d, &v[i])) != DOM_OK)
			return rc;
		if (!v[i].concluded)
			(*open)++;
	}
	*out = v;
	return DOM_OK;
}

enum dom_rc
appeal_list(struct dom *d, long long offset, long long limit,
    struct appeal **out, size_t *n, long long *total, long long *open)
{
	int row;
	sqlite3_stmt *st;
	struct appeal *v = NULL, *a;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*total = *open = 0;
	if (d->actor->role_bit != ROLE_SUPERVISOR)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有监督部门可以查看"
		    "申诉。");
	st = store_stmt(d->store, "SELECT count(*), coalesce(sum(concluded_at "
	    "IS NULL), 0) FROM appeal");
	if (st == NULL)
		return dom_fail(d, "appeals");
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "appeals");
	if (row == 1) {
		*total = sqlite3_column_int64(st, 0);
		*open = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	/* Open ones first, oldest first; then the concluded, newest first. */
	st = store_stmt(d->store, "SELECT " APPEAL_SELECT ", "
	    "coalesce(c.case_no, ''), o.name, c.status " APPEAL_FROM
	    "JOIN cases c ON c.id = a.case_id JOIN org o ON o.id = c.org_id "
	    "ORDER BY a.concluded_at IS NOT NULL, "
	    "CASE WHEN a.concluded_at IS NULL THEN a.id ELSE -a.id END "
	    "LIMIT ?1 OFFSET ?2");
	if (st == NULL)
		return dom_fail(d, "appeals");
	store_bind_int(st, 1, limit);
	store_bind_int(st, 2, offset);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = grow(d, v, *n, &cap, sizeof(*v));
		a = &v[(*n)++];
		appeal_row(d, st, a);
		a->case_no = arena_strdup(d->arena, store_col_text(st, 12));
		a->org_name = arena_strdup(d->arena, store_col_text(st, 13));
		a->case_st = status_of(store_col_text(st, 14));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "appeals");
	*out = v;
	return DOM_OK;
}

/* ------------------------------------------------------------------ */
/* Handling                                                            */

enum dom_rc
appeal_involvement(struct dom *d, long long case_id, const char **why)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT "
	    "EXISTS (SELECT 1 FROM event WHERE case_id = ?1 AND actor_id = ?2), "
	    "EXISTS (SELECT 1 FROM cases WHERE id = ?1 AND lead_id = ?2), "
	    "EXISTS (SELECT 1 FROM finding WHERE case_id = ?1 AND by_id = ?2), "
	    "EXISTS (SELECT 1 FROM team_member WHERE case_id = ?1 AND "
	    "account_id = ?2) OR EXISTS (SELECT 1 FROM audit_plan WHERE "
	    "case_id = ?1 AND by_id = ?2) OR EXISTS (SELECT 1 FROM "
	    "assessment_record WHERE case_id = ?1 AND by_id = ?2), "
	    "EXISTS (SELECT 1 FROM audit_conclusion WHERE case_id = ?1 AND "
	    "by_id = ?2), "
	    "EXISTS (SELECT 1 FROM panel_member WHERE case_id = ?1 AND "
	    "account_id = ?2) OR EXISTS (SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND by_id = ?2)");
	static const char *const what[] = {
		"您在本案件的办理记录中出现过（曾变更案件状态）",
		"您是本案件的项目负责人",
		"您对本案件作出过受理审查意见",
		"您是本案件评估组的成员",
		"您作出过本案件的审核结论",
		"您是本案件专家评审组的成员",
	};
	const char *r = NULL;
	int i;

	*why = NULL;
	if (st == NULL)
		return dom_fail(d, "involvement");
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, d->actor->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dom_fail(d, "involvement");
	}
	for (i = 0; i < 6 && r == NULL; i++)
		if (sqlite3_column_int(st, i))
			r = what[i];
	sqlite3_reset(st);
	if (r != NULL)
		*why = arena_printf(d->arena, "%s，按回避要求不能办理针对本案件的"
		    "申诉。请由未参与本案件的其他监督人员办理。", r);
	return DOM_OK;
}

/* DOM_OK when the actor may take or conclude a, given why it took part
 * in the case (or NULL); else the refusal. */
static enum dom_rc
may_handle(struct dom *d, const struct appeal *a, const char *why)
{
	if (d->actor->role_bit != ROLE_SUPERVISOR)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有监督部门可以办理"
		    "申诉。");
	if (why != NULL)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "%s", why);
	if (a->concluded)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此申诉已办结，结论不能"
		    "再修改。");
	if (a->handler_id != 0 && a->handler_id != d->actor->id)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此申诉已由%s办理，请勿"
		    "重复办理。如需转办，请与%s联系。", a->handler, a->handler);
	return DOM_OK;
}

/* Loads appeal id and its case c for handling, and checks the actor may
 * handle it. */
static enum dom_rc
handle_begin(struct dom *d, long long id, struct appeal *a,
    struct case_ref *c)
{
	const char *why;
	enum dom_rc rc;

	if ((rc = load(d, id, PART_APPEALS, a, c)) != DOM_OK ||
	    (rc = appeal_involvement(d, a->case_id, &why)) != DOM_OK)
		return rc;
	return may_handle(d, a, why);
}

enum dom_rc
appeal_dossier(struct dom *d, long long id, struct appeal_dossier *out)
{
	sqlite3_stmt *st;
	struct appeal_finding *f;
	struct appeal_verdict *v;
	size_t cap = 0;
	enum dom_rc rc;
	int r;

	memset(out, 0, sizeof(*out));
	if ((rc = load(d, id, PART_SUMMARY | PART_FINDINGS | PART_ASSESSMENT |
	    PART_EXPERT | PART_TIMELINE, &out->a, &out->c)) != DOM_OK ||
	    (rc = load_docs(d, &out->a)) != DOM_OK ||
	    (rc = appeal_involvement(d, out->a.case_id, &out->conflict)) !=
	    DOM_OK)
		return rc;
	if (may_handle(d, &out->a, out->conflict) == DOM_OK) {
		out->may_conclude = 1;
		out->may_take = out->a.handler_id == 0;
	}
	d->msg = NULL;
	out->other_handler = !out->a.concluded && out->a.handler_id != 0 &&
	    out->a.handler_id != d->actor->id;

	st = store_stmt(d->store, "SELECT f.round_n, f.area, f.verdict, "
	    "f.comment, a.name, f.at FROM finding f JOIN account a ON "
	    "a.id = f.by_id WHERE f.case_id = ?1 ORDER BY f.round_n, f.id");
	if (st == NULL)
		return dom_fail(d, "findings");
	store_bind_int(st, 1, out->c.id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		out->findings = grow(d, out->findings, out->nfindings, &cap,
		    sizeof(*f));
		f = &out->findings[out->nfindings++];
		f->round = sqlite3_column_int64(st, 0);
		f->area = arena_strdup(d->arena, store_col_text(st, 1));
		f->verdict = arena_strdup(d->arena, store_col_text(st, 2));
		f->comment = arena_strdup(d->arena, store_col_text(st, 3));
		f->by = arena_strdup(d->arena, store_col_text(st, 4));
		f->at = arena_strdup(d->arena, store_col_text(st, 5));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return dom_fail(d, "findings");

	st = store_stmt(d->store, "SELECT 0, c.verdict, c.text, a.name, c.at "
	    "FROM audit_conclusion c JOIN account a ON a.id = c.by_id "
	    "WHERE c.case_id = ?1 UNION ALL SELECT 1, c.verdict, "
	    "c.reasons, a.name, c.at FROM expert_conclusion c JOIN account a "
	    "ON a.id = c.by_id WHERE c.case_id = ?1");
	if (st == NULL)
		return dom_fail(d, "conclusions");
	store_bind_int(st, 1, out->c.id);
	cap = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		out->verdicts = grow(d, out->verdicts, out->nverdicts, &cap,
		    sizeof(*v));
		v = &out->verdicts[out->nverdicts++];
		v->expert = sqlite3_column_int(st, 0);
		v->verdict = arena_strdup(d->arena, store_col_text(st, 1));
		v->text = arena_strdup(d->arena, store_col_text(st, 2));
		v->by = arena_strdup(d->arena, store_col_text(st, 3));
		v->at = arena_strdup(d->arena, store_col_text(st, 4));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return dom_fail(d, "conclusions");
	return timeline_load(d, out->c.id, 0, &out->events, &out->nevents);
}

static enum dom_rc
take(struct dom *d, long long id)
{
	struct case_ref c;
	struct appeal a;
	sqlite3_stmt *st;
	enum dom_rc rc;

	if ((rc = handle_begin(d, id, &a, &c)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "UPDATE appeal SET handler_id = ?2 "
	    "WHERE id = ?1 AND concluded_at IS NULL AND (handler_id IS NULL "
	    "OR handler_id = ?2)");
	if (st == NULL)
		return dom_fail(d, "take appeal");
	store_bind_int(st, 1, a.id);
	store_bind_int(st, 2, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "take appeal");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此申诉刚刚已由其他监督人员"
		    "办理，请刷新页面查看。");
	return DOM_OK;
}

enum dom_rc
appeal_take(struct dom *d, long long id)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, take(d, id));
}

size_t
appeal_check_conclusion(struct dom *d, int upheld, const char *text,
    struct problem *out)
{
	const char *m;
	size_t n = 0;

	if (upheld != 0 && upheld != 1)
		out[n++] = (struct problem){ "upheld", "请选择申诉是否成立。" };
	m = textcheck(d->arena, text, APPEAL_TEXT_MAX, VALID_MULTILINE,
	    "请填写调查情况和结论的理由。", "结论", "。");
	if (m != NULL)
		out[n++] = (struct problem){ "conclusion", m };
	return n;
}

size_t
appeal_reopen_steps(enum status st, enum status out[3])
{
	size_t n = 0;

	/* 不予受理 → 受理审查中; 未通过 → the team or the panel again. */
	if (st == ST_REJECTED)
		out[n++] = ST_INTAKE_REVIEW;
	else if (st == ST_FAILED) {
		out[n++] = ST_ASSESSING;
		out[n++] = ST_EXPERT_REVIEW;
	}
	out[n] = ST_DRAFT;
	return n;
}

/* The step an upheld appeal on c reopens it at (*to), or a refusal. */
static enum dom_rc
reopen_step(struct dom *d, const struct case_ref *c, enum status reopen,
    enum status *to)
{
	enum status steps[3];
	size_t n = appeal_reopen_steps(c->st, steps), i;

	if (n == 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件当前状态为“%s”，"
		    "不是被申诉的结论，不能因申诉成立而重新办理。请刷新页面查看。",
		    status_zh(c->st));
	if (reopen == ST_DRAFT && n == 1)
		reopen = steps[0];
	for (i = 0; i < n; i++)
		if (steps[i] == reopen) {
			*to = reopen;
			return DOM_OK;
		}
	return dom_refuse(d, DOM_INVALID, "reopen", "申诉成立时，请选择案件从哪"
	    "一步重新办理：退回项目组重新评估，或由专家组重新评审。");
}

/* The 申诉结论通知书 to the appellant, in the transaction. */
static enum dom_rc
conclusion_notice(struct dom *d, const struct case_ref *c,
    const struct appeal *a, int upheld, const char *text, enum status to)
{
	struct tv *nv = tv_map(d->arena);
	char local[DATE_BUFSZ];
	const char *day = date_stamp_local(a->filed_at, local) != NULL ?
	    arena_strndup(d->arena, local, 10) : a->filed_at;

	tv_put_str(nv, "org_name", c->org_name);
	tv_put_int(nv, "aid", a->id);
	tv_put_str(nv, "filed_day", day);
	tv_put_str(nv, "contested", c->st == ST_REJECTED ? "不予受理决定" :
	    "专家评审结论（未通过）");
	tv_put_bool(nv, "upheld", upheld);
	tv_put_str(nv, "conclusion", text);
	if (upheld) {
		tv_put_str(nv, "reopen_zh", status_zh(to));
		tv_put_str(nv, "reopen_what", to == ST_INTAKE_REVIEW ?
		    "项目负责人将重新进行受理审查" : to == ST_ASSESSING ?
		    "项目组将重新评估并重新提交审核结论，原审核结论和专家评审结论"
		    "已撤下" : "专家组将重新评审，原专家评审结论已撤下");
	}
	return notice_create(d, c->id, c->case_no, "appeal", "申诉结论通知书",
	    nv, NULL, 0) < 0 ? dom_fail(d, "appeal notice") : DOM_OK;
}

/* Reopens c at to as the concluding supervisor, in the transaction. */
static enum dom_rc
reopen(struct dom *d, const struct case_ref *c, const struct appeal *a,
    enum status to)
{
	const char *why = arena_printf(d->arena, "申诉 #%lld 成立", a->id);
	enum dom_rc rc = DOM_OK;

	if (to == ST_ASSESSING)
		rc = panel_set_aside(d, c->id, "audit", why);
	else if (to == ST_EXPERT_REVIEW)
		rc = panel_set_aside(d, c->id, "expert", why);
	if (rc != DOM_OK)
		return rc;
	return workflow_step(d, c->id, to, arena_printf(d->arena, "%s，案件从“%s”"
	    "重新办理", why, status_zh(to)));
}

static enum dom_rc
conclude(struct dom *d, long long id, int upheld, const char *text,
    enum status reopen_at)
{
	struct problem p[APPEAL_PROBLEMS];
	struct appeal a;
	struct case_ref c;
	sqlite3_stmt *st;
	enum status to = ST_DRAFT;
	enum dom_rc rc;

	if ((rc = handle_begin(d, id, &a, &c)) != DOM_OK)
		return rc;
	if (appeal_check_conclusion(d, upheld, text, p) > 0)
		return dom_refuse(d, DOM_INVALID, p[0].field, "%s", p[0].msg);
	if (upheld && (rc = reopen_step(d, &c, reopen_at, &to)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "UPDATE appeal SET handler_id = ?2, "
	    "upheld = ?3, conclusion = ?4, concluded_at = ?5, reopen_to = ?6 "
	    "WHERE id = ?1 AND concluded_at IS NULL AND (handler_id IS NULL OR "
	    "handler_id = ?2)");
	if (st == NULL)
		return dom_fail(d, "conclude appeal");
	store_bind_int(st, 1, a.id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_int(st, 3, upheld);
	store_bind_text(st, 4, text);
	store_bind_text(st, 5, d->stamp);
	store_bind_text(st, 6, upheld ? status_code(to) : NULL);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "conclude appeal");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此申诉刚刚已由其他监督人员"
		    "办理或办结，请刷新页面查看。");
	if (upheld && (rc = reopen(d, &c, &a, to)) != DOM_OK)
		return rc;
	return conclusion_notice(d, &c, &a, upheld, text, to);
}

enum dom_rc
appeal_conclude(struct dom *d, long long id, int upheld, const char *text,
    enum status reopen_at)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, conclude(d, id, upheld, text, reopen_at));
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

enum dom_rc
appeal_doc_read(struct dom *d, long long id, long long doc,
    struct appeal_doc *out, struct buf *body)
{
	struct case_ref c;
	struct appeal a;
	enum dom_rc rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	if ((rc = appeal_get(d, id, &a, &c)) != DOM_OK)
		return rc;
	for (i = 0; i < a.ndocs; i++)
		if (a.docs[i].id == doc) {
			*out = a.docs[i];
			if ((rc = archive_gone(d, &c)) != DOM_OK)
				return rc;
			return attach_read(d, out->sha256, body);
		}
	return DOM_NOT_FOUND;
}
