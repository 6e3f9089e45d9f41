/*
 * assessment.c: 评估, the team's part (assessment.h): the audit plan and
 * its team, the activity records with their files, the team's
 * conclusion; and what the expert review shares with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "assessment.h"
#include "attach.h"
#include "date.h"
#include "notice.h"
#include "outbox.h"
#include "review.h"
#include "store.h"
#include "textcheck.h"
#include "tmpl.h"
#include "util.h"
#include "valid.h"
#include "workflow.h"

const struct assess_choice assess_kinds[] = {
	{ "document_review", "文档审查" },
	{ "interview", "人员访谈" },
	{ "practical", "实际操作" },
	{ "other", "其他方式" },
	{ NULL, NULL }
};

const struct assess_choice assess_verdicts[] = {
	{ "pass", "通过" },
	{ "fail", "不通过" },
	{ NULL, NULL }
};

static const char *
choice_zh(const struct assess_choice *list, const char *code)
{
	for (; code != NULL && list->code != NULL; list++)
		if (strcmp(list->code, code) == 0)
			return list->zh;
	return NULL;
}

const char *
assess_kind_zh(const char *code)
{
	return choice_zh(assess_kinds, code);
}

const char *
assess_method_zh(struct dom *d, const char *kind, const char *method)
{
	const char *zh = assess_kind_zh(kind);

	if (kind != NULL && strcmp(kind, "other") == 0 && method != NULL &&
	    *method != '\0')
		return arena_printf(d->arena, "其他：%s", method);
	return zh != NULL ? zh : kind != NULL ? kind : "";
}

const char *
assess_verdict_zh(const char *code)
{
	return choice_zh(assess_verdicts, code);
}

/* The statuses in which the assessment has begun. */
#define ASSESSED	(ST_BIT(ST_ASSESSMENT_PLANNING) | ST_BIT(ST_ASSESSING) | \
			 ST_BIT(ST_EXPERT_REVIEW) | ST_BIT(ST_FAILED) | \
			 ST_BIT(ST_CERTIFICATE_PENDING) | ST_BIT(ST_ISSUED))

/* Shared by the steps of the area. */

void
assess_problem(struct dom *d, struct assess_problems *pr, const char *field,
    const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (pr->n == ASSESS_PROBLEMS_MAX)
		return;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pr->v[pr->n].field = field;
	pr->v[pr->n].msg = arena_strdup(d->arena, b.p ? b.p : "");
	pr->n++;
	buf_free(&b);
}

void
assess_check_text(struct dom *d, struct assess_problems *pr,
    const char *field, const char *val, const char *empty)
{
	if (val == NULL || strspn(val, " \t\r\n") == strlen(val)) {
		if (empty != NULL)
			assess_problem(d, pr, field, "%s", empty);
	} else if (strlen(val) > ASSESS_TEXT_MAX)
		assess_problem(d, pr, field, "内容过长（最多 %d 字节，约 %d 个"
		    "汉字），请精简后再提交。", ASSESS_TEXT_MAX,
		    ASSESS_TEXT_MAX / 3);
	else if (!valid_text(val, 0, ASSESS_TEXT_MAX, VALID_MULTILINE))
		assess_problem(d, pr, field, "内容含有不能保存的字符（控制字符"
		    "或不可见的格式字符），请删除后再提交。");
}

struct assess_problems *
assess_problems_start(struct assess_problems *pr, struct assess_problems *none)
{
	if (pr == NULL)
		pr = none;
	pr->n = 0;
	return pr;
}

enum dom_rc
assess_problems_rc(struct dom *d, const struct assess_problems *pr)
{
	if (pr->n == 0)
		return DOM_OK;
	return dom_refuse(d, DOM_INVALID, pr->v[0].field, "%s",
	    pr->v[0].msg);
}

enum dom_rc
assess_wrong_status(struct dom *d, const struct case_ref *c,
    enum status need, const char *what)
{
	return dom_refuse(d, DOM_CONFLICT, NULL, "案件当前状态为“%s”，只有在"
	    "“%s”状态下才能%s。请返回案件页面查看当前进度。", status_zh(c->st),
	    status_zh(need), what);
}

enum dom_rc
assess_load(struct dom *d, long long case_id, unsigned need, enum action act,
    enum status st, const char *what, const char *forbidden,
    struct case_ref *c)
{
	enum dom_rc rc;

	if ((rc = access_case(d, case_id, 0, c)) != DOM_OK)
		return rc;
	if ((c->parts & need) == 0)
		return DOM_NOT_FOUND;
	switch ((rc = access_require(d, c, act))) {
	case DOM_CONFLICT:
		return assess_wrong_status(d, c, st, what);
	case DOM_FORBIDDEN:
		return dom_refuse(d, rc, NULL, "%s", forbidden);
	default:
		return rc;
	}
}

enum dom_rc
assess_move(struct dom *d, const struct case_ref *c, enum status to,
    const char *reason)
{
	char err[256];

	switch (workflow_move(d->store, c->id, status_code(to), d->actor,
	    reason, d->now, err, sizeof(err))) {
	case WF_OK:
		return DOM_OK;
	case WF_FORBIDDEN:
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "%s", err);
	case WF_CONFLICT:
		return dom_refuse(d, DOM_CONFLICT, NULL, "%s", err);
	default:
		return dom_fail(d, "workflow_move");
	}
}

int
assess_is(struct dom *d, long long account, unsigned role)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT 1 FROM account WHERE "
	    "id = ?1 AND role = ?2 AND disabled = 0");
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, account);
	store_bind_text(st, 2, role_code(role));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Room for one more of size bytes after n in v (cap of them). */
static void *
grow(struct dom *d, void *v, size_t n, size_t *cap, size_t size)
{
	void *nv;

	if (n < *cap)
		return v;
	*cap = *cap > 0 ? *cap * 2 : 8;
	nv = arena_alloc(d->arena, *cap * size);
	if (n > 0)
		memcpy(nv, v, n * size);
	return nv;
}

static const char *
col(struct dom *d, sqlite3_stmt *st, int i)
{
	return arena_strdup(d->arena, store_col_text(st, i));
}

enum dom_rc
assess_people(struct dom *d, sqlite3_stmt *st, struct assess_person **out,
    size_t *n)
{
	struct assess_person *v = NULL, *p;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return dom_fail(d, "people");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = grow(d, v, *n, &cap, sizeof(*v));
		p = &v[(*n)++];
		p->id = sqlite3_column_int64(st, 0);
		p->name = col(d, st, 1);
		p->email = col(d, st, 2);
		p->flag = sqlite3_column_int(st, 3);
		p->at = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL :
		    col(d, st, 4);
	}
	sqlite3_reset(st);
	*out = v;
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "people");
}

enum dom_rc
assess_verdict_read(struct dom *d, sqlite3_stmt *st,
    const struct assess_verdict **out)
{
	struct assess_verdict *v;
	int rc;

	*out = NULL;
	if (st == NULL)
		return dom_fail(d, "conclusion");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_alloc(d->arena, sizeof(*v));
		v->verdict = col(d, st, 0);
		v->text = col(d, st, 1);
		v->by = col(d, st, 2);
		v->at = col(d, st, 3);
		*out = v;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "conclusion");
}

/* Reads. */

enum dom_rc
assessment_begun(struct dom *d, const struct case_ref *c)
{
	sqlite3_stmt *st;
	int rc;

	if (ST_BIT(c->st) & ASSESSED)
		return DOM_OK;
	/* Withdrawn during the assessment. */
	if ((st = store_stmt(d->store, "SELECT 1 FROM audit_plan WHERE "
	    "case_id = ?1")) == NULL)
		return dom_fail(d, "assessment_begun");
	store_bind_int(st, 1, c->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DOM_OK;
	if (rc != SQLITE_DONE)
		return dom_fail(d, "assessment_begun");
	return dom_refuse(d, DOM_CONFLICT, NULL, "案件当前状态为“%s”，尚未进入"
	    "评估阶段（须委托协议生效并缴费后进入）。", status_zh(c->st));
}

static enum dom_rc
get_plan(struct dom *d, long long case_id, const struct assess_plan **out)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT p.start_day, "
	    "p.end_day, p.method, a.name, p.at FROM audit_plan p JOIN account "
	    "a ON a.id = p.by_id WHERE p.case_id = ?1");
	struct assess_plan *p;
	int rc;

	*out = NULL;
	if (st == NULL)
		return dom_fail(d, "plan");
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = arena_alloc(d->arena, sizeof(*p));
		p->start_day = col(d, st, 0);
		p->end_day = col(d, st, 1);
		p->method = col(d, st, 2);
		p->by = col(d, st, 3);
		p->at = col(d, st, 4);
		*out = p;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "plan");
}

static enum files_kind
kind_of_mime(const char *mime)
{
	static const enum files_kind kinds[] = { FILES_PDF, FILES_JPEG,
	    FILES_PNG };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(files_mime(kinds[i]), mime) == 0)
			return kinds[i];
	return FILES_UNKNOWN;
}

void
assess_file_row(struct dom *d, sqlite3_stmt *st, struct assess_file *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->filename = col(d, st, 1);
	f->mime = col(d, st, 2);
	f->kind = kind_of_mime(f->mime);
	f->size = sqlite3_column_int64(st, 3);
	f->sha256 = col(d, st, 4);
}

static enum dom_rc
get_files(struct dom *d, struct assess_record *r)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT rowid, filename, "
	    "mime, size, sha256 FROM assessment_file WHERE record_id = ?1 "
	    "ORDER BY rowid");
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "files");
	store_bind_int(st, 1, r->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->files = grow(d, r->files, r->nfiles, &cap,
		    sizeof(*r->files));
		assess_file_row(d, st, &r->files[r->nfiles++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "files");
}

static enum dom_rc
get_records(struct dom *d, long long case_id, struct assessment *a)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT r.id, r.kind, "
	    "r.finding, a.name, r.at, coalesce(r.method, ''), "
	    "coalesce(r.area, '') FROM assessment_record r JOIN account a "
	    "ON a.id = r.by_id WHERE r.case_id = ?1 ORDER BY r.id");
	struct assess_record *r;
	size_t cap = 0, i;
	int rc;

	if (st == NULL)
		return dom_fail(d, "records");
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->records = grow(d, a->records, a->nrecords, &cap,
		    sizeof(*a->records));
		r = &a->records[a->nrecords++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->kind = col(d, st, 1);
		r->finding = col(d, st, 2);
		r->by = col(d, st, 3);
		r->at = col(d, st, 4);
		r->method = col(d, st, 5);
		r->area = col(d, st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "records");
	for (i = 0; i < a->nrecords; i++)
		if (get_files(d, &a->records[i]) != DOM_OK)
			return DOM_FAILED;
	return DOM_OK;
}

/* The conclusions of case_id set aside, oldest first. */
static enum dom_rc
get_set_aside(struct dom *d, long long case_id, struct assessment *a)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT h.which = 'expert', "
	    "h.verdict, h.text, a.name, h.at, h.set_aside_at, h.why FROM "
	    "conclusion_history h JOIN account a ON a.id = h.by_id WHERE "
	    "h.case_id = ?1 ORDER BY h.id");
	struct assess_set_aside *x;
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "set aside");
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->set_aside = grow(d, a->set_aside, a->nset_aside, &cap,
		    sizeof(*a->set_aside));
		x = &a->set_aside[a->nset_aside++];
		x->expert = sqlite3_column_int(st, 0);
		x->v.verdict = col(d, st, 1);
		x->v.text = col(d, st, 2);
		x->v.by = col(d, st, 3);
		x->v.at = col(d, st, 4);
		x->when = col(d, st, 5);
		x->why = col(d, st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "set aside");
}

/* Everything of the assessment of case_id, for whoever may see it. */
static enum dom_rc
load(struct dom *d, long long case_id, struct assessment *a)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	memset(a, 0, sizeof(*a));
	if ((rc = get_plan(d, case_id, &a->plan)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT a.id, a.name, a.email, 1, NULL "
	    "FROM team_member t JOIN account a ON a.id = t.account_id WHERE "
	    "t.case_id = ?1 ORDER BY a.name, a.id");
	if (st != NULL)
		store_bind_int(st, 1, case_id);
	if ((rc = assess_people(d, st, &a->team, &a->nteam)) != DOM_OK ||
	    (rc = get_records(d, case_id, a)) != DOM_OK)
		return rc;
	if ((rc = get_set_aside(d, case_id, a)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT c.verdict, c.text, a.name, c.at "
	    "FROM audit_conclusion c JOIN account a ON a.id = c.by_id WHERE "
	    "c.case_id = ?1");
	if (st != NULL)
		store_bind_int(st, 1, case_id);
	return assess_verdict_read(d, st, &a->conclusion);
}

enum dom_rc
assessment_get(struct dom *d, const struct case_ref *c, struct assessment *out)
{
	memset(out, 0, sizeof(*out));
	if ((c->parts & PART_ASSESSMENT) == 0)
		return DOM_NOT_FOUND;
	return load(d, c->id, out);
}

enum dom_rc
assess_pick(struct dom *d, const struct case_ref *c, unsigned role,
    struct assess_person **out, size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT a.id, a.name, "
	    "a.email, EXISTS (SELECT 1 FROM team_member t WHERE t.case_id = ?1 "
	    "AND t.account_id = a.id), NULL FROM account a WHERE a.role = ?2 "
	    "AND a.disabled = 0 AND NOT EXISTS (SELECT 1 FROM panel_member p "
	    "WHERE p.case_id = ?1 AND p.account_id = a.id) ORDER BY a.name, "
	    "a.id");

	if (st != NULL) {
		store_bind_int(st, 1, c->id);
		store_bind_text(st, 2, role_code(role));
	}
	return assess_people(d, st, out, n);
}

enum dom_rc
assessment_assessors(struct dom *d, const struct case_ref *c,
    struct assess_person **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!access_may(c, d->actor->role_bit, ACT_PLAN))
		return DOM_FORBIDDEN;
	return assess_pick(d, c, ROLE_ASSESSOR, out, n);
}

enum dom_rc
assessment_file(struct dom *d, long long case_id, long long file_id,
    struct assess_file *meta, struct buf *body)
{
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;

	memset(meta, 0, sizeof(*meta));
	if ((rc = access_case(d, case_id, PART_ASSESSMENT, &c)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT f.rowid, f.filename, f.mime, "
	    "f.size, f.sha256 FROM assessment_file f JOIN assessment_record r "
	    "ON r.id = f.record_id WHERE f.rowid = ?1 AND r.case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "assessment_file");
	store_bind_int(st, 1, file_id);
	store_bind_int(st, 2, c.id);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		assess_file_row(d, st, meta);
		sqlite3_reset(st);
		return attach_read(d, meta->sha256, body);
	case SQLITE_DONE:
		sqlite3_reset(st);
		return DOM_NOT_FOUND;
	default:
		return dom_fail(d, "assessment_file");
	}
}

/* The steps. */

int
assess_check_day(struct dom *d, struct assess_problems *pr, const char *field,
    const char *val, const char *zh, zdate *out)
{
	if (val == NULL || *val == '\0') {
		assess_problem(d, pr, field, "请填写%s，格式为 YYYY-MM-DD，例如 "
		    "2026-03-02。", zh);
		return -1;
	}
	if (strlen(val) != 10 || date_parse(val, out) != 0) {
		assess_problem(d, pr, field, "%s“%s”不是有效的日期。请按 "
		    "YYYY-MM-DD 格式填写，例如 2026-03-02。", zh, val);
		return -1;
	}
	return 0;
}

/* The checks of a plan that read the database, in the transaction. */
static enum dom_rc
check_plan(struct dom *d, const struct assess_plan_input *in,
    struct assess_problems *pr)
{
	zdate ds, de;
	size_t i;
	int ok, yes;

	ok = assess_check_day(d, pr, "start_day", in->start_day, "开始日期",
	    &ds) == 0;
	if (assess_check_day(d, pr, "end_day", in->end_day, "结束日期", &de) ==
	    0 &&
	    ok && date_diff_days(ds, de) < 0)
		assess_problem(d, pr, "end_day", "结束日期（%s）早于开始日期"
		    "（%s）。请把结束日期改为开始日期当天或之后。", in->end_day,
		    in->start_day);
	assess_check_text(d, pr, "method", in->method, "请填写审核方法：如何"
	    "开展文档审查、人员访谈和实际操作。");
	for (i = 0; i < in->nteam; i++) {
		if (i == ASSESS_TEAM_MAX) {
			assess_problem(d, pr, "team", "项目组最多 %d 人，请减少"
			    "选择。", ASSESS_TEAM_MAX);
			break;
		}
		if ((yes = assess_is(d, in->team[i], ROLE_ASSESSOR)) < 0)
			return dom_fail(d, "plan: team");
		if (!yes) {
			assess_problem(d, pr, "team", "所选人员中有人不是可用的"
			    "评估人员，请刷新页面后重新选择。");
			break;
		}
	}
	if (in->nteam == 0)
		assess_problem(d, pr, "team", "请至少选择一名项目组成员（评估"
		    "人员）。");
	return assess_problems_rc(d, pr);
}

static enum dom_rc
write_plan(struct dom *d, long long case_id,
    const struct assess_plan_input *in)
{
	sqlite3_stmt *st;
	size_t i;

	st = store_stmt(d->store, "INSERT INTO audit_plan(case_id, start_day, "
	    "end_day, method, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON "
	    "CONFLICT(case_id) DO UPDATE SET start_day = excluded.start_day, "
	    "end_day = excluded.end_day, method = excluded.method, by_id = "
	    "excluded.by_id, at = excluded.at");
	if (st == NULL)
		return dom_fail(d, "audit plan");
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, in->start_day);
	store_bind_text(st, 3, in->end_day);
	store_bind_text(st, 4, in->method);
	store_bind_int(st, 5, d->actor->id);
	store_bind_text(st, 6, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "audit plan");
	st = store_stmt(d->store, "DELETE FROM team_member WHERE case_id = ?1");
	if (st == NULL)
		return dom_fail(d, "audit plan: team");
	store_bind_int(st, 1, case_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "audit plan: team");
	for (i = 0; i < in->nteam; i++) {
		st = store_stmt(d->store, "INSERT OR IGNORE INTO team_member("
		    "case_id, account_id) VALUES (?1, ?2)");
		if (st == NULL)
			return dom_fail(d, "audit plan: team");
		store_bind_int(st, 1, case_id);
		store_bind_int(st, 2, in->team[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "audit plan: team");
	}
	return DOM_OK;
}

enum dom_rc
assessment_plan(struct dom *d, long long case_id,
    const struct assess_plan_input *in, struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	enum dom_rc rc;

	pr = assess_problems_start(pr, &none);
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = assess_load(d, case_id, PART_ASSESSMENT, ACT_PLAN,
	    ST_ASSESSMENT_PLANNING, "修改审核计划", "只有本案件的项目负责人可以"
	    "制定审核计划。", &c);
	if (rc == DOM_OK)
		rc = check_plan(d, in, pr);
	if (rc == DOM_OK)
		rc = write_plan(d, c.id, in);
	return dom_end(d, rc);
}

/*
 * The 审核计划通知书 to the applicant, in the transaction: the dates, the
 * method, the team, and what the applicant prepares (§5.4: the team
 * makes sure it can obtain every document and person it needs).
 */
static enum dom_rc
plan_notice(struct dom *d, const struct case_ref *c)
{
	struct tv *nv = tv_map(d->arena);
	struct assessment a;
	struct buf team;
	enum dom_rc rc;
	size_t i;

	if ((rc = load(d, c->id, &a)) != DOM_OK)
		return rc;
	if (a.plan == NULL)
		return dom_fail(d, "plan notice: no plan");
	buf_init(&team);
	for (i = 0; i < a.nteam; i++)
		buf_printf(&team, "%s%s", i ? "、" : "", a.team[i].name);
	tv_put_str(nv, "org_name", c->org_name);
	tv_put_str(nv, "start_day", a.plan->start_day);
	tv_put_str(nv, "end_day", a.plan->end_day);
	tv_put_str(nv, "method", a.plan->method);
	tv_put_str(nv, "team_names", team.p ? team.p : "");
	tv_put_str(nv, "lead_name", c->lead_name);
	buf_free(&team);
	if (notice_create(d, c->id, c->case_no, "plan", "审核计划通知书", nv,
	    NULL, 0) < 0)
		return dom_fail(d, "plan notice");
	return DOM_OK;
}

enum dom_rc
assessment_start(struct dom *d, long long case_id)
{
	struct case_ref c;
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = assess_load(d, case_id, PART_ASSESSMENT, ACT_PLAN,
	    ST_ASSESSMENT_PLANNING, "开始评估", "只有本案件的项目负责人可以开始"
	    "评估。", &c);
	if (rc == DOM_OK)
		rc = assess_move(d, &c, ST_ASSESSING, "按审核计划开始评估");
	if (rc == DOM_OK)
		rc = plan_notice(d, &c);
	return dom_end(d, rc);
}

static enum dom_rc
load_assessing(struct dom *d, long long case_id, const char *what,
    struct case_ref *c)
{
	return assess_load(d, case_id, PART_ASSESSMENT, ACT_ASSESS,
	    ST_ASSESSING, what, arena_printf(d->arena, "只有本案件的项目负责人"
	    "和项目组成员可以%s。", what), c);
}

enum dom_rc
assess_store_files(struct dom *d, struct assess_problems *pr,
    const char *field, const struct assess_upload *in, size_t n, size_t max,
    struct attach_file **out, size_t *nout)
{
	struct attach_file *files;
	enum dom_rc rc;
	size_t i;

	/* Each file checked, and its bytes durable before a row points at
	 * them (outside the transaction: writing them takes time). */
	*nout = 0;
	files = arena_alloc(d->arena, (n + 1) * sizeof(*files));
	for (i = 0; i < n && i < max; i++) {
		rc = attach_prepare(d, in[i].name, in[i].data, in[i].len,
		    FILES_ANY, &files[*nout]);
		if (rc == DOM_FAILED)
			return rc;
		if (rc == DOM_OK)
			(*nout)++;
		else
			assess_problem(d, pr, field, "%s", d->msg);
	}
	*out = files;
	return DOM_OK;
}

enum dom_rc
assess_tell_team(struct dom *d, const struct case_ref *c, const char *subject,
    const char *body)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT a.email FROM account a "
	    "WHERE a.disabled = 0 AND (a.id = (SELECT lead_id FROM cases WHERE "
	    "id = ?1) OR a.id IN (SELECT account_id FROM team_member WHERE "
	    "case_id = ?1)) ORDER BY a.id");
	const char **to = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if (st == NULL)
		return dom_fail(d, "team mail");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			const char **bigger;

			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (n > 0)
				memcpy(bigger, to, n * sizeof(*to));
			to = bigger;
		}
		to[n++] = arena_strdup(d->arena, store_col_text(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "team mail");
	for (i = 0; i < n; i++)
		if (outbox_add(d->store, c->id, 0, to[i], subject, body, NULL,
		    d->now) < 0)
			return dom_fail(d, "team mail");
	return DOM_OK;
}

/* The record and its files' rows, in the transaction. */
static enum dom_rc
write_record(struct dom *d, long long case_id,
    const struct assess_record_input *in, const struct attach_file *files,
    size_t nfiles, long long *record_id)
{
	sqlite3_stmt *st;
	long long rid;
	size_t i;

	st = store_stmt(d->store, "INSERT INTO assessment_record(case_id, "
	    "kind, finding, by_id, at, method, area) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7)");
	if (st == NULL)
		return dom_fail(d, "assessment record");
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, in->kind);
	store_bind_text(st, 3, in->finding);
	store_bind_int(st, 4, d->actor->id);
	store_bind_text(st, 5, d->stamp);
	store_bind_text(st, 6, strcmp(in->kind, "other") == 0 ? in->method :
	    NULL);
	store_bind_text(st, 7, in->area != NULL && *in->area != '\0' ?
	    in->area : NULL);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "assessment record");
	rid = sqlite3_last_insert_rowid(store_db(d->store));
	for (i = 0; i < nfiles; i++) {
		st = store_stmt(d->store, "INSERT INTO assessment_file("
		    "record_id, filename, mime, size, sha256) VALUES (?1, ?2, "
		    "?3, ?4, ?5)");
		if (st == NULL)
			return dom_fail(d, "assessment file");
		store_bind_int(st, 1, rid);
		store_bind_text(st, 2, files[i].filename);
		store_bind_text(st, 3, files[i].mime);
		store_bind_int(st, 4, files[i].size);
		store_bind_text(st, 5, files[i].sha256);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "assessment file");
	}
	if (record_id != NULL)
		*record_id = rid;
	return DOM_OK;
}

/* The name of an "other" method: required, short, one line. */
static void
check_method(struct dom *d, struct assess_problems *pr, const char *method)
{
	const char *m = textcheck(d->arena, method, ASSESS_METHOD_MAX, 0,
	    "选择“其他方式”时，请写明评估方式的名称，例如“现场观察”"
	    "“抽样测试”。", "评估方式的名称", "。");

	if (m != NULL)
		assess_problem(d, pr, "other_method", "%s", m);
}

enum dom_rc
assessment_record(struct dom *d, long long case_id,
    const struct assess_record_input *in, struct assess_problems *pr,
    long long *record_id)
{
	struct assess_problems none;
	struct attach_file *files;
	struct case_ref c;
	enum dom_rc rc;
	size_t n = 0;

	pr = assess_problems_start(pr, &none);
	/* Nothing is stored for someone who may not record. */
	if ((rc = load_assessing(d, case_id, "记录评估活动", &c)) != DOM_OK)
		return rc;
	if (assess_kind_zh(in->kind) == NULL)
		assess_problem(d, pr, "kind", "请选择评估方式：文档审查、人员访谈、"
		    "实际操作，或其他方式（并写明名称）。");
	else if (strcmp(in->kind, "other") == 0)
		check_method(d, pr, in->method);
	if (in->area != NULL && *in->area != '\0' &&
	    review_area(in->area) == NULL)
		assess_problem(d, pr, "area", "请从列表中选择审核范围，或选择"
		    "“不指定”。");
	assess_check_text(d, pr, "finding", in->finding, "请填写审查发现：看到"
	    "了什么，是否符合要求。");
	if (in->nfiles > ASSESS_RECORD_FILES)
		assess_problem(d, pr, "file", "每条记录最多附 %d 个文件，请分多条"
		    "记录上传。", ASSESS_RECORD_FILES);
	if ((rc = assess_store_files(d, pr, "file", in->files, in->nfiles,
	    ASSESS_RECORD_FILES, &files, &n)) != DOM_OK)
		return rc;
	if ((rc = assess_problems_rc(d, pr)) != DOM_OK)
		return rc;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = load_assessing(d, case_id, "记录评估活动", &c);
	if (rc == DOM_OK)
		rc = write_record(d, c.id, in, files, n, record_id);
	return dom_end(d, rc);
}

/* The 评估结论通知书, in the transaction. */
static enum dom_rc
audit_notice(struct dom *d, const struct case_ref *c,
    const struct assessment *a, const char *verdict, const char *text)
{
	struct tv *nv = tv_map(d->arena), *p;
	const char *seen[8], *w;
	struct buf team, kinds;
	size_t i, j, k, nseen = 0;
	int count;
	long long id;

	tv_put_bool(nv, "audit", 1);
	tv_put_str(nv, "org_name", c->org_name);
	tv_put_str(nv, "verdict_zh", assess_verdict_zh(verdict));
	tv_put_str(nv, "text", text);
	tv_put_int(nv, "nrecords", (long long)a->nrecords);
	/* The audit as it happened: from the plan's start to its end, or to
	 * today when the team concludes before the planned end. */
	if (a->plan != NULL) {
		p = tv_put_map(nv, "plan");
		tv_put_str(p, "start_day", a->plan->start_day);
		tv_put_str(p, "end_day", strcmp(d->today_s,
		    a->plan->end_day) < 0 ? d->today_s : a->plan->end_day);
	}
	buf_init(&team);
	for (i = 0; i < a->nteam; i++)
		buf_printf(&team, "%s%s", i ? "、" : "", a->team[i].name);
	/* What was done, in the order first done: "文档审查 2 项、实际操作
	 * 1 项". */
	buf_init(&kinds);
	for (i = 0; i < a->nrecords; i++) {
		w = assess_method_zh(d, a->records[i].kind,
		    a->records[i].method);
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], w) == 0)
				break;
		if (j < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = w;
		for (count = 0, k = i; k < a->nrecords; k++)
			count += strcmp(assess_method_zh(d, a->records[k].kind,
			    a->records[k].method), w) == 0;
		buf_printf(&kinds, "%s%s %d 项", nseen > 1 ? "、" : "", w,
		    count);
	}
	tv_put_str(nv, "team_names", team.p ? team.p : "");
	tv_put_str(nv, "kinds_done", kinds.p ? kinds.p : "");
	buf_free(&team);
	buf_free(&kinds);
	id = notice_create(d, c->id, c->case_no, "conclusion", "评估结论通知书",
	    nv, NULL, 0);
	return id < 0 ? dom_fail(d, "audit notice") : DOM_OK;
}

enum dom_rc
assess_conclusion(struct dom *d, struct sqlite3_stmt *st,
    const struct case_ref *c, const char *verdict, const char *text,
    enum status to, const char *said)
{
	if (st == NULL)
		return dom_fail(d, "conclusion");
	store_bind_int(st, 1, c->id);
	store_bind_text(st, 2, verdict);
	store_bind_text(st, 3, text);
	store_bind_int(st, 4, d->actor->id);
	store_bind_text(st, 5, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "conclusion");
	return assess_move(d, c, to, arena_printf(d->arena, "%s：%s", said,
	    assess_verdict_zh(verdict)));
}

enum dom_rc
assessment_conclude(struct dom *d, long long case_id, const char *verdict,
    const char *text, struct assess_problems *pr)
{
	struct assess_problems none;
	struct assessment a;
	struct case_ref c;
	enum dom_rc rc;

	pr = assess_problems_start(pr, &none);
	if (verdict == NULL)
		verdict = "";
	if (text == NULL)
		text = "";
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = load_assessing(d, case_id, "提交审核结论", &c)) != DOM_OK)
		return dom_end(d, rc);
	if (assess_verdict_zh(verdict) == NULL)
		assess_problem(d, pr, "verdict", "请选择审核结论：通过或不通过。");
	assess_check_text(d, pr, "text", text, "请填写审核结论的说明：依据哪些"
	    "评估活动、得出什么结论。");
	if ((rc = load(d, c.id, &a)) != DOM_OK)
		return dom_end(d, rc);
	if (a.nrecords == 0)
		assess_problem(d, pr, "text", "请先记录至少一项评估活动（文档审查、"
		    "人员访谈、实际操作或其他方式），再提交审核结论。");
	/* The audit must have begun: a conclusion dated before the plan's
	 * start would state an audit period that has not happened. */
	if (a.plan != NULL && strcmp(d->today_s, a.plan->start_day) < 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "审核计划的"
		    "开始日期是 %s，今天（%s）评估尚未开始，不能提交审核结论。请在"
		    "审核期间内完成评估后再提交。", a.plan->start_day,
		    d->today_s));
	if ((rc = assess_problems_rc(d, pr)) == DOM_OK)
		rc = assess_conclusion(d, store_stmt(d->store, "INSERT INTO "
		    "audit_conclusion(case_id, verdict, text, by_id, at) "
		    "VALUES (?1, ?2, ?3, ?4, ?5)"), &c,
		    verdict, text, ST_EXPERT_REVIEW, "项目组审核结论");
	if (rc == DOM_OK)
		rc = audit_notice(d, &c, &a, verdict, text);
	return dom_end(d, rc);
}
