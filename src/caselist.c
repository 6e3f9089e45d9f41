/*
 * caselist.c: the lists of cases (caselist.h). One WHERE clause, bound by
 * one function, under the count and the two orders.
 */
#include <string.h>

#include "actor.h"
#include "date.h"
#include "caselist.h"
#include "rules.h"
#include "store.h"
#include "util.h"

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
 * The residual filters of every list: ?6 a status code, ?7 a stage, ?8 a
 * lead, ?9 a LIKE pattern, ?17 the supplement filter (enum
 * caselist_supplement; each NULL for any); ?16 is 0 when none is
 * set, which a walk then checks once a row instead of four times. Only
 * columns of the case row (and the organisation's name only when a text
 * is given), so a walk of an index reads nothing else while no filter is
 * set.
 */
#define CASELIST_REST \
	" AND (?16 = 0 OR ((?6 IS NULL OR c.status = ?6)" \
	" AND (?7 IS NULL OR c.stage = ?7)" \
	" AND (?8 IS NULL OR c.lead_id = ?8)" \
	" AND (?9 IS NULL OR c.case_no LIKE ?9 ESCAPE '\\'" \
	"  OR (SELECT n.name FROM org n WHERE n.id = c.org_id)" \
	"  LIKE ?9 ESCAPE '\\')" \
	" AND (?17 IS NULL" \
	"  OR (?17 = 1 AND c.status = ?18 AND (c.supplement_due IS NULL" \
	"   OR c.supplement_due >= ?1))" \
	"  OR (?17 = 2 AND c.status = ?18 AND c.supplement_due < ?1)" \
	"  OR (?17 = 3 AND c.answered_late = 1 AND c.is_open = 1))))"

/*
 * The cases a filter means. ?1 today, ?2 the actor's account, ?3 mine_by
 * (MINE_ALL when the filter is not "mine"), ?4 the actor's role bit, ?5
 * open only, ?6 to ?9 and ?17 the residual filters, ?10 the code of
 * ST_SUBMITTED; ?11 the limit, ?12 the offset; ?18 the code of
 * ST_SUPPLEMENT_REQUESTED.
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
	CASELIST_REST

/* The columns of struct caselist_row (columns 0 to 10: the clock's as
 * stored, the net days counted in C by read_row; 11 to 13 the
 * supplement's due date, whether it is past unanswered and whether the
 * latest round came late; 14 and 15 the to-do facts of schema.sql
 * version 11); the last event's time (16) and the urgency band (17)
 * follow them, and in the queue's statements the band's day (18). */
#define CASELIST_COLS \
	"SELECT c.id, coalesce(c.case_no, ''), o.name, c.status," \
	" coalesce(l.name, ''), c.clock_start, c.clock_paused," \
	" c.clock_paused_since, c.clock_stopped, c.clock_target_net," \
	" c.clock_limit_net, coalesce(c.supplement_due, '')," \
	" c.status = ?18 AND c.supplement_due < ?1, c.answered_late," \
	" c.panel_size, c.doc_request_pending"

/*
 * The urgency on day ?1, from the days the case reaches each band
 * (schema.sql version 9: clock_at_risk_on, clock_over_target_on,
 * clock_over_limit_on, each '9999-12-31' while never): 3 over the limit,
 * 2 over the target, 1 at risk, 0 on track. CASELIST_DAY is the day the
 * case entered its band (for on track, the day it will be at risk): the
 * queue's order within a band, the longest in it first.
 */
#define CASELIST_BAND \
	"(CASE WHEN c.clock_over_limit_on <= ?1 THEN 3" \
	" WHEN c.clock_over_target_on <= ?1 THEN 2" \
	" WHEN c.clock_at_risk_on <= ?1 THEN 1 ELSE 0 END)"
#define CASELIST_DAY \
	"(CASE WHEN c.clock_over_limit_on <= ?1 THEN c.clock_over_limit_on" \
	" WHEN c.clock_over_target_on <= ?1 THEN c.clock_over_target_on" \
	" ELSE c.clock_at_risk_on END)"

static const char count_sql[] = "SELECT count(*) FROM (SELECT 1"
    CASELIST_FROM " LIMIT ?11)";

/* The queue's order over any filter (a sort): the bands, most urgent
 * first, each by its day, then by id. */
static const char urgent_sql[] = CASELIST_COLS ", '', " CASELIST_BAND ", "
    CASELIST_DAY CASELIST_FROM " ORDER BY 18 DESC, 19, c.id"
    " LIMIT ?11 OFFSET ?12";

static const char newest_sql[] = CASELIST_COLS ", coalesce((SELECT e.at "
    "FROM event e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1), "
    "c.created_at), " CASELIST_BAND CASELIST_FROM
    " ORDER BY c.id DESC LIMIT ?11 OFFSET ?12";

/*
 * The work queue (open cases, the queue's order) as index walks. A
 * queue's cases come from one or two streams, each walked through its
 * own indexes (schema.sql version 9, one per band's day):
 *   a lead      its own cases (lead_id = ?2), and the submissions nobody
 *               has taken (lead_id NULL, status ?10)
 *   assessors, experts, certificate staff
 *               the cases of each status in which the role acts next
 *               (?14), on the actor's team or panel as mine_by ?3 says
 *   everyone else, and "all"
 *               every open case
 * A stream has a statement per band (3 over the limit, 2 over the
 * target, 1 at risk, 0 on track): the band's range of the index of its
 * day, in that day's order (then by id), which is the index's own order,
 * so nothing is sorted and the walk stops after ?11 rows. A
 * band's range holds, before its own cases, only cases of the more
 * urgent bands, which the queue has shown already: a page costs its
 * offset and its length, not the number of cases. queue_each runs the
 * bands one after another and merges a queue's two streams by day and
 * id. The columns are CASELIST_COLS', then the band and its day.
 */
#define Q_IN_3 " AND c.clock_over_limit_on <= ?1"
#define Q_IN_2 " AND c.clock_over_target_on <= ?1" \
	" AND c.clock_over_limit_on > ?1"
#define Q_IN_1 " AND c.clock_at_risk_on <= ?1" \
	" AND c.clock_over_target_on > ?1"
#define Q_IN_0 " AND c.clock_at_risk_on > ?1"
#define Q_BAND(ix, band, day, who) \
	CASELIST_COLS ", '', " #band ", c." #day \
	" FROM cases c INDEXED BY cases_q_" #ix \
	" JOIN org o ON o.id = c.org_id" \
	" LEFT JOIN account l ON l.id = c.lead_id" \
	" WHERE c.is_open = 1" Q_IN_##band who \
	CASELIST_REST " ORDER BY c." #day ", c.id LIMIT ?11"
#define Q_LIMIT(ix, who)	Q_BAND(ix##_limit, 3, clock_over_limit_on, who)
#define Q_TARGET(ix, who)	Q_BAND(ix##_target, 2, clock_over_target_on, who)
#define Q_RISK(ix, who)		Q_BAND(ix##_risk, 1, clock_at_risk_on, who)
#define Q_TRACK(ix, who)	Q_BAND(ix##_risk, 0, clock_at_risk_on, who)

#define Q_WHO_LEAD	" AND c.lead_id = ?2"
#define Q_WHO_POOL	" AND c.lead_id IS NULL AND c.status = ?10"
#define Q_WHO_STATUS	" AND c.status = ?14" Q_MEMBER
#define Q_WHO_STATUS2	" AND c.status = ?15" Q_MEMBER
#define Q_MEMBER \
	" AND (?3 = 4 OR (?3 = 2 AND EXISTS (SELECT 1 FROM team_member t" \
	"  WHERE t.case_id = c.id AND t.account_id = ?2))" \
	" OR (?3 = 3 AND EXISTS (SELECT 1 FROM panel_member p" \
	"  WHERE p.case_id = c.id AND p.account_id = ?2)))"

/* Each stream's statement of each band (a statement is one cursor: the
 * second status of a role has statements of its own). */
static const char q_lead3[] = Q_LIMIT(lead, Q_WHO_LEAD);
static const char q_lead2[] = Q_TARGET(lead, Q_WHO_LEAD);
static const char q_lead1[] = Q_RISK(lead, Q_WHO_LEAD);
static const char q_lead0[] = Q_TRACK(lead, Q_WHO_LEAD);
static const char q_pool3[] = Q_LIMIT(lead, Q_WHO_POOL);
static const char q_pool2[] = Q_TARGET(lead, Q_WHO_POOL);
static const char q_pool1[] = Q_RISK(lead, Q_WHO_POOL);
static const char q_pool0[] = Q_TRACK(lead, Q_WHO_POOL);
static const char q_status3[] = Q_LIMIT(status, Q_WHO_STATUS);
static const char q_status2[] = Q_TARGET(status, Q_WHO_STATUS);
static const char q_status1[] = Q_RISK(status, Q_WHO_STATUS);
static const char q_status0[] = Q_TRACK(status, Q_WHO_STATUS);
static const char q_other3[] = Q_LIMIT(status, Q_WHO_STATUS2);
static const char q_other2[] = Q_TARGET(status, Q_WHO_STATUS2);
static const char q_other1[] = Q_RISK(status, Q_WHO_STATUS2);
static const char q_other0[] = Q_TRACK(status, Q_WHO_STATUS2);
static const char q_open3[] = Q_LIMIT(open, "");
static const char q_open2[] = Q_TARGET(open, "");
static const char q_open1[] = Q_RISK(open, "");
static const char q_open0[] = Q_TRACK(open, "");

/* The number of cases of a queue, up to ?11: a walk of one of its
 * indexes that reads no case row while no filter is set (the pool's
 * status is in an index of its own, cases_q_pool). */
#define Q_COUNT(ix, who) "SELECT 1 FROM cases c INDEXED BY cases_q_" #ix \
	" WHERE c.is_open = 1" who CASELIST_REST
static const char queue_lead_count_sql[] = "SELECT count(*) FROM ("
    Q_COUNT(lead_risk, Q_WHO_LEAD) " UNION ALL "
    Q_COUNT(pool, Q_WHO_POOL) " LIMIT ?11)";
static const char queue_status_count_sql[] = "SELECT count(*) FROM ("
    Q_COUNT(status_risk, Q_WHO_STATUS) " UNION ALL "
    Q_COUNT(status_risk, Q_WHO_STATUS2) " LIMIT ?11)";
static const char queue_open_count_sql[] = "SELECT count(*) FROM ("
    Q_COUNT(open_risk, "") " LIMIT ?11)";

/* The streams of the queues. */
enum stream {
	S_NONE = 0,
	S_LEAD,		/* a lead's own cases */
	S_POOL,		/* the submissions nobody has taken */
	S_STATUS,	/* the cases of a status (?14) */
	S_STATUS2,	/* the same, of a second status (?15) */
	S_OPEN		/* every open case */
};

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

/* Binds ?1 to ?10 and ?16: the one binding of the filter. */
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
	if (f->supplement != CASELIST_SUP_ANY)
		store_bind_int(st, 17, f->supplement);
	store_bind_text(st, 18, status_code(ST_SUPPLEMENT_REQUESTED));
	store_bind_int(st, 16, f->has_status || f->stage != 0 || f->lead > 0 ||
	    (f->text != NULL && *f->text != '\0') ||
	    f->supplement != CASELIST_SUP_ANY);
}

/* Where the work queue's cases come from: its count's statement and up
 * to two streams, each with its status (?14) for S_STATUS. */
struct source_of {
	int		 count;		/* 0: not the work queue */
	enum stream	 stream[2];
	const char	*status[2];
};

/* The queue's sources for the actor, for f (open cases only): 0, or -1
 * when f is not a work queue the indexes serve. */
static int
source_of(struct dom *d, const struct caselist_filter *f,
    struct source_of *q)
{
	const struct status_info *si;
	size_t n = 0;

	memset(q, 0, sizeof(*q));
	if (!f->open_only)
		return -1;
	switch (mine_of(f, d->actor->role_bit)) {
	case MINE_ALL:
		q->count = S_OPEN;
		q->stream[0] = S_OPEN;
		return 0;
	case MINE_LEAD:
		q->count = S_LEAD;
		q->stream[0] = S_LEAD;
		q->stream[1] = S_POOL;
		return 0;
	case MINE_TEAM:
	case MINE_PANEL:
	case MINE_ACTING:
		/* The open statuses in which the role acts next. */
		q->count = S_STATUS;
		for (si = status_table; si->code != NULL; si++) {
			if (!status_open(si->st) ||
			    (si->acting & d->actor->role_bit) == 0)
				continue;
			if (n == 2)
				return -1;	/* more than the count has */
			q->stream[n] = n == 0 ? S_STATUS : S_STATUS2;
			q->status[n++] = si->code;
		}
		return 0;
	default:
		return -1;
	}
}

/* The statement of a queue's count (by its first stream). */
static sqlite3_stmt *
count_stmt(struct dom *d, enum stream s)
{
	switch (s) {
	case S_LEAD:
		return store_stmt(d->store, queue_lead_count_sql);
	case S_STATUS:
		return store_stmt(d->store, queue_status_count_sql);
	case S_OPEN:
		return store_stmt(d->store, queue_open_count_sql);
	default:
		return store_stmt(d->store, count_sql);
	}
}

/* The statement of a stream's band. */
static sqlite3_stmt *
band_stmt(struct dom *d, enum stream s, int band)
{
	switch (s * 4 + band) {
	case S_LEAD * 4 + 3: return store_stmt(d->store, q_lead3);
	case S_LEAD * 4 + 2: return store_stmt(d->store, q_lead2);
	case S_LEAD * 4 + 1: return store_stmt(d->store, q_lead1);
	case S_LEAD * 4 + 0: return store_stmt(d->store, q_lead0);
	case S_POOL * 4 + 3: return store_stmt(d->store, q_pool3);
	case S_POOL * 4 + 2: return store_stmt(d->store, q_pool2);
	case S_POOL * 4 + 1: return store_stmt(d->store, q_pool1);
	case S_POOL * 4 + 0: return store_stmt(d->store, q_pool0);
	case S_STATUS * 4 + 3: return store_stmt(d->store, q_status3);
	case S_STATUS * 4 + 2: return store_stmt(d->store, q_status2);
	case S_STATUS * 4 + 1: return store_stmt(d->store, q_status1);
	case S_STATUS * 4 + 0: return store_stmt(d->store, q_status0);
	case S_STATUS2 * 4 + 3: return store_stmt(d->store, q_other3);
	case S_STATUS2 * 4 + 2: return store_stmt(d->store, q_other2);
	case S_STATUS2 * 4 + 1: return store_stmt(d->store, q_other1);
	case S_STATUS2 * 4 + 0: return store_stmt(d->store, q_other0);
	case S_OPEN * 4 + 3: return store_stmt(d->store, q_open3);
	case S_OPEN * 4 + 2: return store_stmt(d->store, q_open2);
	case S_OPEN * 4 + 1: return store_stmt(d->store, q_open1);
	case S_OPEN * 4 + 0: return store_stmt(d->store, q_open0);
	default: return NULL;
	}
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
	struct source_of q;
	sqlite3_stmt *st;
	enum dom_rc rc;

	*n = 0;
	if ((rc = staff_only(d)) != DOM_OK)
		return rc;
	if (source_of(d, f, &q) != 0)
		q.count = S_NONE;
	if ((st = count_stmt(d, q.count)) == NULL)
		return dom_fail(d, "caselist_count");
	bind_filter(d, st, f);
	store_bind_text(st, 14, q.status[0]);
	store_bind_text(st, 15, q.status[1]);
	store_bind_int(st, 11, cap > 0 ? cap : -1);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dom_fail(d, "caselist_count");
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return DOM_OK;
}

/* A day of a clock column (no day: today). */
static zdate
day_of(sqlite3_stmt *st, int col, zdate today)
{
	zdate z;

	if (sqlite3_column_type(st, col) == SQLITE_NULL ||
	    date_parse(store_col_text(st, col), &z) != 0)
		return today;
	return z;
}

/* A row of any of the statements (CASELIST_COLS, the last event's time,
 * the band), valid until the next step. The net days as WF_SQL_NET
 * counts them: from the start to today (or the stop), less the paused
 * days, less the days of a pause still running. */
static void
read_row(struct dom *d, sqlite3_stmt *st, struct caselist_row *r)
{
	zdate to;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->case_no = store_col_text(st, 1);
	r->org = store_col_text(st, 2);
	r->status = store_col_text(st, 3);
	r->st = status_of(r->status);
	r->lead = store_col_text(st, 4);
	r->started = store_col_text(st, 5);
	r->clocked = sqlite3_column_type(st, 5) != SQLITE_NULL;
	if (r->clocked) {
		to = day_of(st, 8, d->today);
		r->net = date_diff_days(day_of(st, 5, to), to) -
		    sqlite3_column_int64(st, 6);
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			r->net -= date_diff_days(day_of(st, 7, to), to);
	}
	r->target = sqlite3_column_int64(st, 9);
	r->limit = sqlite3_column_int64(st, 10);
	r->supplement_due = store_col_text(st, 11);
	r->supplement_overdue = sqlite3_column_int(st, 12);
	r->answered_late = sqlite3_column_int(st, 13);
	r->panel_size = sqlite3_column_int(st, 14);
	r->doc_request_pending = sqlite3_column_int(st, 15);
	r->changed = store_col_text(st, 16);
	r->urgency = r->clocked ? sqlite3_column_int(st, 17) : -1;
}

/* A stream of a band: its statement and whether it holds a row. */
struct cursor {
	sqlite3_stmt	*st;
	int		 step;
};

/* 1 when a's row comes before b's: by the band's day, then by id. */
static int
before(const struct cursor *a, const struct cursor *b)
{
	int c;

	if (b->step != SQLITE_ROW)
		return 1;
	if (a->step != SQLITE_ROW)
		return 0;
	c = strcmp(store_col_text(a->st, 18), store_col_text(b->st, 18));
	return c != 0 ? c < 0 : sqlite3_column_int64(a->st, 0) <
	    sqlite3_column_int64(b->st, 0);
}

/*
 * The work queue from its streams: band after band, the most urgent
 * first, the two streams merged, skipping the offset's rows and stopping
 * after the limit's.
 */
static enum dom_rc
queue_each(struct dom *d, const struct caselist_filter *f,
    const struct source_of *q, caselist_fn fn, void *arg)
{
	struct cursor cur[2], *c;
	struct caselist_row r;
	long long skip = f->offset > 0 ? f->offset : 0, left = f->limit;
	enum dom_rc rc = DOM_OK;
	int band, i, stop = 0;

	for (band = 3; band >= 0 && left != 0 && !stop && rc == DOM_OK;
	    band--) {
		memset(cur, 0, sizeof(cur));
		for (i = 0; i < 2; i++) {
			cur[i].step = SQLITE_DONE;
			if (q->stream[i] == S_NONE)
				continue;
			if ((cur[i].st = band_stmt(d, q->stream[i], band)) ==
			    NULL) {
				rc = dom_fail(d, "caselist_each");
				break;
			}
			bind_filter(d, cur[i].st, f);
			store_bind_int(cur[i].st, 11, left < 0 ? -1 :
			    skip + left);
			store_bind_text(cur[i].st, 14, q->status[0]);
			store_bind_text(cur[i].st, 15, q->status[1]);
			cur[i].step = sqlite3_step(cur[i].st);
		}
		while (rc == DOM_OK && !stop) {
			c = before(&cur[0], &cur[1]) ? &cur[0] : &cur[1];
			if (c->step != SQLITE_ROW)
				break;
			if (skip > 0)
				skip--;
			else {
				read_row(d, c->st, &r);
				stop = fn(&r, arg) != 0 ||
				    (left > 0 && --left == 0);
			}
			c->step = sqlite3_step(c->st);
		}
		for (i = 0; i < 2; i++) {
			if (cur[i].st == NULL)
				continue;
			if (rc == DOM_OK && cur[i].step != SQLITE_ROW &&
			    cur[i].step != SQLITE_DONE)
				rc = dom_fail(d, "caselist_each");
			sqlite3_reset(cur[i].st);
		}
	}
	return rc;
}

enum dom_rc
caselist_each(struct dom *d, const struct caselist_filter *f, caselist_fn fn,
    void *arg)
{
	struct caselist_row r;
	struct source_of q;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int step;

	if ((rc = staff_only(d)) != DOM_OK)
		return rc;
	if (f->order == CASELIST_URGENT) {
		if (source_of(d, f, &q) == 0)
			return queue_each(d, f, &q, fn, arg);
		st = store_stmt(d->store, urgent_sql);
	} else
		st = store_stmt(d->store, newest_sql);
	if (st == NULL)
		return dom_fail(d, "caselist_each");
	bind_filter(d, st, f);
	store_bind_int(st, 11, f->limit);
	store_bind_int(st, 12, f->offset > 0 ? f->offset : 0);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(d, st, &r);
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
	o->supplement_due = arena_strdup(c->arena, r->supplement_due);
	return 0;
}

/*
 * The to-do of each row the status alone does not tell, from the facts
 * on the case row (schema.sql version 11): in 专家评审, a panel to form
 * (no member yet); in 审核计划 and 评估中, a document request the
 * applicant has yet to answer. An expert's own declaration still to make
 * is the one fact of the actor, not of the case: one look-up by key, for
 * an expert's rows in 专家评审 only.
 */
static enum dom_rc
put_todos(struct dom *d, struct caselist_row *rows, size_t n)
{
	sqlite3_stmt *st;
	size_t i;
	int row;

	for (i = 0; i < n; i++) {
		rows[i].todo = "";
		if (rows[i].st == ST_EXPERT_REVIEW) {
			if (rows[i].panel_size == 0) {
				rows[i].todo = "组建专家组";
				continue;
			}
			if (d->actor->role_bit != ROLE_EXPERT)
				continue;
			st = store_stmt(d->store, "SELECT 1 FROM panel_member "
			    "WHERE case_id = ?1 AND account_id = ?2 AND "
			    "declared_at IS NULL");
			if (st == NULL)
				return dom_fail(d, "caselist todo");
			store_bind_int(st, 1, rows[i].id);
			store_bind_int(st, 2, d->actor->id);
			if ((row = store_row(st)) < 0)
				return dom_fail(d, "caselist todo");
			sqlite3_reset(st);
			if (row == 1)
				rows[i].todo = "声明利益冲突";
		} else if ((rows[i].st == ST_ASSESSMENT_PLANNING ||
		    rows[i].st == ST_ASSESSING) && rows[i].doc_request_pending)
			rows[i].todo = "等待申请单位补充资料";
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

const char *
caselist_state_zh(struct arena *a, const struct caselist_row *r)
{
	const char *clock = caselist_urgency_zh(r->urgency);

	if (r->supplement_overdue)
		return r->urgency > 0 ? arena_printf(a, "%s；逾期未补正（期限 "
		    "%s）", clock, r->supplement_due) : arena_printf(a, "逾期未补"
		    "正（期限 %s）", r->supplement_due);
	if (r->answered_late && status_open(r->st))
		return arena_printf(a, "%s；逾期提交补正（期限 %s）", clock,
		    r->supplement_due);
	return clock;
}

const char *
caselist_due_zh(const struct caselist_row *r)
{
	if (r->st != ST_SUPPLEMENT_REQUESTED)
		return "";
	/* The month runs from 送达: none yet before it. */
	return *r->supplement_due ? r->supplement_due : "待送达";
}

static const struct {
	enum caselist_supplement s;
	const char	*code;
	const char	*zh;
} supplement_words[] = {
	{ CASELIST_SUP_WAITING, "waiting", "待补正（期限内）" },
	{ CASELIST_SUP_OVERDUE, "overdue", "逾期未补正" },
	{ CASELIST_SUP_LATE, "late", "逾期提交补正" },
};

const char *
caselist_supplement_zh(enum caselist_supplement s)
{
	size_t i;

	for (i = 0; i < sizeof(supplement_words) / sizeof(supplement_words[0]); i++)
		if (supplement_words[i].s == s)
			return supplement_words[i].zh;
	return "全部";
}

const char *
caselist_supplement_code(enum caselist_supplement s)
{
	size_t i;

	for (i = 0; i < sizeof(supplement_words) / sizeof(supplement_words[0]); i++)
		if (supplement_words[i].s == s)
			return supplement_words[i].code;
	return "";
}

int
caselist_supplement_parse(const char *code, enum caselist_supplement *out)
{
	size_t i;

	*out = CASELIST_SUP_ANY;
	if (code == NULL || *code == '\0')
		return 0;
	for (i = 0; i < sizeof(supplement_words) / sizeof(supplement_words[0]); i++)
		if (strcmp(supplement_words[i].code, code) == 0) {
			*out = supplement_words[i].s;
			return 0;
		}
	return -1;
}
