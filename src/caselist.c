/*
 * caselist.c: the lists of cases (caselist.h). One WHERE clause, bound by
 * one function, under the count and the two orders.
 */
#include <string.h>

#include "actor.h"
#include "caselist.h"
#include "rules.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

/*
 * How "mine" is decided for a role (bound as ?3). "Acting" means the
 * role is among those who act next in the case's status (cases.acting,
 * from the status table; the role bit is ?4).
 *   MINE_ALL     every case (supervisors, administrators; and any role
 *                when the filter is not "mine")
 *   MINE_LEAD    the lead's own cases and the submissions nobody took
 *   MINE_TEAM    acting, and on the case's assessment team
 *   MINE_PANEL   acting, and on the case's expert panel
 *   MINE_ACTING  acting (certificate staff)
 *   MINE_NONE    nothing (any other actor)
 */
enum mine_by {
	MINE_ALL = 0,
	MINE_LEAD = 1,
	MINE_TEAM = 2,
	MINE_PANEL = 3,
	MINE_ACTING = 4,
	MINE_NONE = 5
};

static const struct {
	unsigned	 role;
	enum mine_by	 by;
} mine_roles[] = {
	{ ROLE_LEAD, MINE_LEAD },
	{ ROLE_ASSESSOR, MINE_TEAM },
	{ ROLE_EXPERT, MINE_PANEL },
	{ ROLE_CERT_STAFF, MINE_ACTING },
	{ ROLE_SUPERVISOR, MINE_ALL },
	{ ROLE_ADMIN, MINE_ALL },
	{ 0, MINE_NONE }
};

/*
 * The cases a filter means. ?1 today, ?2 the actor's account, ?3 mine_by
 * (MINE_ALL when the filter is not "mine"), ?4 the actor's role bit, ?5
 * open only, ?6 a status code, ?7 a stage, ?8 a lead, ?9 a LIKE pattern
 * (each NULL for any), ?10 the code of ST_SUBMITTED; ?11 the limit, ?12
 * the offset.
 */
#define CASELIST_FROM \
	" FROM cases c JOIN org o ON o.id = c.org_id" \
	" LEFT JOIN account l ON l.id = c.lead_id" \
	" WHERE (?5 = 0 OR c.is_open = 1)" \
	" AND (?3 = 0" \
	"  OR (?3 = 1 AND (c.lead_id = ?2" \
	"   OR (c.status = ?10 AND c.lead_id IS NULL)))" \
	"  OR (?3 = 2 AND (c.acting & ?4) <> 0 AND EXISTS (SELECT 1" \
	"   FROM team_member t WHERE t.case_id = c.id AND t.account_id = ?2))" \
	"  OR (?3 = 3 AND (c.acting & ?4) <> 0 AND EXISTS (SELECT 1" \
	"   FROM panel_member p WHERE p.case_id = c.id AND p.account_id = ?2))" \
	"  OR (?3 = 4 AND (c.acting & ?4) <> 0))" \
	" AND (?6 IS NULL OR c.status = ?6)" \
	" AND (?7 IS NULL OR c.stage = ?7)" \
	" AND (?8 IS NULL OR c.lead_id = ?8)" \
	" AND (?9 IS NULL OR c.case_no LIKE ?9 ESCAPE '\\'" \
	"  OR o.name LIKE ?9 ESCAPE '\\')"

/* The columns of struct caselist_row, in its order, but the last; the
 * urgency follows from the net days (caselist_urgency). */
#define CASELIST_COLS \
	"SELECT c.id, coalesce(c.case_no, ''), o.name, c.status," \
	" coalesce(l.name, ''), coalesce(c.clock_start, '')," \
	" CAST(" WF_SQL_NET " AS INTEGER), c.clock_target_net," \
	" c.clock_limit_net"

static const char count_sql[] = "SELECT count(*) FROM (SELECT 1"
    CASELIST_FROM " LIMIT ?11)";

/* The queue's order: no "changed" (a look-up per case before sorting). */
static const char urgent_sql[] = CASELIST_COLS ", ''" CASELIST_FROM
    " ORDER BY " WF_SQL_URGENCY " DESC, " WF_SQL_NET " DESC, c.id"
    " LIMIT ?11 OFFSET ?12";

static const char newest_sql[] = CASELIST_COLS ", coalesce((SELECT e.at "
    "FROM event e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1), "
    "c.created_at)" CASELIST_FROM " ORDER BY c.id DESC LIMIT ?11 OFFSET ?12";

void
caselist_filter_init(struct caselist_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->order = CASELIST_NEWEST;
	f->limit = -1;
}

static enum mine_by
mine_of(const struct caselist_filter *f, unsigned role)
{
	size_t i;

	if (!f->mine)
		return MINE_ALL;
	for (i = 0; mine_roles[i].role != 0; i++)
		if (mine_roles[i].role == role)
			return mine_roles[i].by;
	return MINE_NONE;
}

/* A LIKE pattern matching text anywhere, with % _ \ taken literally. */
static const char *
like_of(struct arena *a, const char *q)
{
	size_t n = strlen(q), i, o = 0;
	char *p = arena_alloc(a, n * 2 + 3);

	p[o++] = '%';
	for (i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[o++] = '\\';
		p[o++] = q[i];
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

/* Binds ?1 to ?10: the one binding of the filter. */
static void
bind_filter(struct dom *d, sqlite3_stmt *st, const struct caselist_filter *f)
{
	store_bind_text(st, 1, d->today_s);
	store_bind_int(st, 2, d->actor->id);
	store_bind_int(st, 3, mine_of(f, d->actor->role_bit));
	store_bind_int(st, 4, d->actor->role_bit);
	store_bind_int(st, 5, f->open_only != 0);
	if (f->has_status)
		store_bind_text(st, 6, status_code(f->status));
	if (f->stage != 0)
		store_bind_int(st, 7, f->stage);
	if (f->lead > 0)
		store_bind_int(st, 8, f->lead);
	if (f->text != NULL && *f->text != '\0')
		store_bind_text(st, 9, like_of(d->arena, f->text));
	store_bind_text(st, 10, status_code(ST_SUBMITTED));
}

static enum dom_rc
staff_only(struct dom *d)
{
	if ((d->actor->role_bit & ROLES_STAFF) == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有工作人员可以查看"
		    "案件列表。");
	return DOM_OK;
}

enum dom_rc
caselist_count(struct dom *d, const struct caselist_filter *f,
    long long cap, long long *n)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	*n = 0;
	if ((rc = staff_only(d)) != DOM_OK)
		return rc;
	if ((st = store_stmt(d->store, count_sql)) == NULL)
		return dom_fail(d, "caselist_count");
	bind_filter(d, st, f);
	store_bind_int(st, 11, cap > 0 ? cap : -1);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dom_fail(d, "caselist_count");
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return DOM_OK;
}

enum dom_rc
caselist_each(struct dom *d, const struct caselist_filter *f, caselist_fn fn,
    void *arg)
{
	struct caselist_row r;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int step;

	if ((rc = staff_only(d)) != DOM_OK)
		return rc;
	if (f->order == CASELIST_URGENT)
		st = store_stmt(d->store, urgent_sql);
	else
		st = store_stmt(d->store, newest_sql);
	if (st == NULL)
		return dom_fail(d, "caselist_each");
	bind_filter(d, st, f);
	store_bind_int(st, 11, f->limit);
	store_bind_int(st, 12, f->offset > 0 ? f->offset : 0);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.case_no = store_col_text(st, 1);
		r.org = store_col_text(st, 2);
		r.status = store_col_text(st, 3);
		r.st = status_of(r.status);
		r.lead = store_col_text(st, 4);
		r.started = store_col_text(st, 5);
		r.clocked = sqlite3_column_type(st, 6) != SQLITE_NULL;
		r.net = sqlite3_column_int64(st, 6);
		r.target = sqlite3_column_int64(st, 7);
		r.limit = sqlite3_column_int64(st, 8);
		r.urgency = r.clocked ? caselist_urgency(r.net, r.target,
		    r.limit) : -1;
		r.changed = store_col_text(st, 9);
		if (fn(&r, arg) != 0)
			break;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return dom_fail(d, "caselist_each");
	return DOM_OK;
}

struct collect {
	struct arena		*arena;
	struct caselist_row	*rows;
	size_t			 n, cap;
};

static int
collect_row(const struct caselist_row *r, void *arg)
{
	struct collect *c = arg;
	struct caselist_row *o, *grown;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		grown = arena_alloc(c->arena, c->cap * sizeof(*grown));
		if (c->n > 0)
			memcpy(grown, c->rows, c->n * sizeof(*grown));
		c->rows = grown;
	}
	o = &c->rows[c->n++];
	*o = *r;
	o->case_no = arena_strdup(c->arena, r->case_no);
	o->org = arena_strdup(c->arena, r->org);
	o->status = arena_strdup(c->arena, r->status);
	o->lead = arena_strdup(c->arena, r->lead);
	o->started = arena_strdup(c->arena, r->started);
	o->changed = arena_strdup(c->arena, r->changed);
	return 0;
}

/*
 * The to-do of each row the status alone does not tell (one look-up by
 * primary key per row of a page, so the list's query stays as it is):
 * in 专家评审, a panel to form (the lead) or a declaration to make (the
 * expert); in 审核计划 and 评估中, a document request the applicant has
 * yet to answer.
 */
static enum dom_rc
put_todos(struct dom *d, struct caselist_row *rows, size_t n)
{
	sqlite3_stmt *st;
	size_t i;
	int members, pending;

	for (i = 0; i < n; i++) {
		rows[i].todo = "";
		if (rows[i].st == ST_EXPERT_REVIEW) {
			st = store_stmt(d->store, "SELECT count(*), "
			    "coalesce(max(account_id = ?2 AND declared_at IS "
			    "NULL), 0) FROM panel_member WHERE case_id = ?1");
			if (st == NULL)
				return dom_fail(d, "caselist todo");
			store_bind_int(st, 1, rows[i].id);
			store_bind_int(st, 2, d->actor->id);
			if (sqlite3_step(st) != SQLITE_ROW) {
				sqlite3_reset(st);
				return dom_fail(d, "caselist todo");
			}
			members = sqlite3_column_int(st, 0);
			pending = sqlite3_column_int(st, 1);
			sqlite3_reset(st);
			if (members == 0)
				rows[i].todo = "组建专家组";
			else if (pending && d->actor->role_bit == ROLE_EXPERT)
				rows[i].todo = "声明利益冲突";
		} else if (rows[i].st == ST_ASSESSMENT_PLANNING ||
		    rows[i].st == ST_ASSESSING) {
			st = store_stmt(d->store, "SELECT 1 FROM doc_request "
			    "WHERE case_id = ?1 AND closed_at IS NULL");
			if (st == NULL)
				return dom_fail(d, "caselist todo");
			store_bind_int(st, 1, rows[i].id);
			if (sqlite3_step(st) == SQLITE_ROW)
				rows[i].todo = "等待申请单位补充资料";
			sqlite3_reset(st);
		}
	}
	return DOM_OK;
}

enum dom_rc
caselist_rows(struct dom *d, const struct caselist_filter *f,
    struct caselist_row **rows, size_t *n)
{
	struct collect c;
	enum dom_rc rc;

	memset(&c, 0, sizeof(c));
	c.arena = d->arena;
	rc = caselist_each(d, f, collect_row, &c);
	*rows = c.rows;
	*n = c.n;
	if (rc == DOM_OK)
		rc = put_todos(d, c.rows, c.n);
	return rc;
}

int
caselist_urgency(long long net, long long target, long long limit)
{
	if (net > limit)
		return 3;
	if (net > target)
		return 2;
	return 3 * net > 2 * target ? 1 : 0;
}

const char *
caselist_urgency_zh(int u)
{
	switch (u) {
	case 3: return rules_clock_state_zh(RULES_CLOCK_OVER_LIMIT);
	case 2: return rules_clock_state_zh(RULES_CLOCK_OVER_TARGET);
	case 1: return rules_clock_state_zh(RULES_CLOCK_AT_RISK);
	case 0: return rules_clock_state_zh(RULES_CLOCK_ON_TRACK);
	default: return "未开始计时";
	}
}

const char *
caselist_urgency_code(int u)
{
	static const char *const code[] = { "on_track", "at_risk",
	    "over_target", "over_limit" };

	return u >= 0 && u <= 3 ? code[u] : "";
}
