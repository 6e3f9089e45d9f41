/*
 * casestats.c: the dashboard's figures (casestats.h): one pass over the
 * status counts, one scan of every started clock.
 */
#include <string.h>

#include "actor.h"
#include "caselist.h"
#include "casestats.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

int
casestats_closed(enum status st)
{
	return status_info(st)->final && st != ST_WITHDRAWN;
}

static enum dom_rc
count_statuses(struct dom *d, struct casestats *out)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT status, count(*) "
	    "FROM cases GROUP BY status");
	enum status s;
	long long n;
	int rc;

	if (st == NULL)
		return dom_fail(d, "casestats: statuses");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 1);
		if (status_parse(store_col_text(st, 0), &s) == 0) {
			out->by_status[s] += n;
			out->by_stage[status_info(s)->stage] += n;
		}
		out->total += n;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "casestats: statuses");
	return DOM_OK;
}

static void
top_add(struct casestats_top *t, long long id, long long net)
{
	size_t i;

	if (t->n == CASESTATS_TOP && net <= t->rows[t->n - 1].net)
		return;		/* ties keep the lower id: the scan is by id */
	i = t->n < CASESTATS_TOP ? t->n++ : t->n - 1;
	for (; i > 0 && t->rows[i - 1].net < net; i--)
		t->rows[i] = t->rows[i - 1];
	memset(&t->rows[i], 0, sizeof(t->rows[i]));
	t->rows[i].id = id;
	t->rows[i].net = net;
	t->rows[i].case_no = t->rows[i].org = t->rows[i].lead = "";
}

/* The rest of each row of a top list. */
static enum dom_rc
top_fill(struct dom *d, struct casestats_top *t)
{
	int row;
	struct casestats_case *c;
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < t->n; i++) {
		c = &t->rows[i];
		st = store_stmt(d->store, "SELECT coalesce(c.case_no, ''), "
		    "o.name, c.status, coalesce(l.name, ''), "
		    "c.clock_target_net, c.clock_limit_net FROM cases c JOIN "
		    "org o ON o.id = c.org_id LEFT JOIN account l ON l.id = "
		    "c.lead_id WHERE c.id = ?1");
		if (st == NULL)
			return dom_fail(d, "casestats: top");
		store_bind_int(st, 1, c->id);
		if ((row = store_row(st)) < 0)
			return dom_fail(d, "casestats: top");
		if (row == 1) {
			c->case_no = arena_strdup(d->arena,
			    store_col_text(st, 0));
			c->org = arena_strdup(d->arena, store_col_text(st, 1));
			c->st = status_of(store_col_text(st, 2));
			c->lead = arena_strdup(d->arena, store_col_text(st, 3));
			c->target = sqlite3_column_int64(st, 4);
			c->limit = sqlite3_column_int64(st, 5);
		}
		sqlite3_reset(st);
	}
	return DOM_OK;
}

/* The rank-th smallest (1-based) of the histogram's values. */
static long long
rank_value(const long long *hist, long long rank)
{
	long long seen = 0;
	int v;

	for (v = 0; v <= CASESTATS_MAX_DAYS; v++)
		if ((seen += hist[v]) >= rank)
			return v;
	return CASESTATS_MAX_DAYS;
}

/*
 * One scan of every started clock: cycle times of closed cases (counts
 * against the rules, median and 90th percentile from a histogram of whole
 * net days) and the urgency of open ones (counts, the longest overdue).
 */
static enum dom_rc
scan_clocks(struct dom *d, struct casestats *out)
{
	sqlite3_stmt *st;
	long long *hist, id, n, t, l;
	enum status s;
	int rc, u;

	st = store_stmt(d->store, "SELECT c.id, c.status, "
	    "c.clock_stopped IS NULL, CAST(" WF_SQL_NET " AS INTEGER), "
	    "c.clock_target_net, c.clock_limit_net FROM cases c "
	    "WHERE c.clock_start IS NOT NULL");
	if (st == NULL)
		return dom_fail(d, "casestats: clocks");
	hist = arena_alloc(d->arena, (CASESTATS_MAX_DAYS + 1) * sizeof(*hist));
	memset(hist, 0, (CASESTATS_MAX_DAYS + 1) * sizeof(*hist));
	store_bind_text(st, 1, d->today_s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		n = sqlite3_column_int64(st, 3);
		t = sqlite3_column_int64(st, 4);
		l = sqlite3_column_int64(st, 5);
		if (sqlite3_column_int(st, 2)) {
			out->open++;
			out->urgency[u = caselist_urgency(n, t, l)]++;
			if (u == 3)
				top_add(&out->top_over_limit, id, n);
			else if (u == 2)
				top_add(&out->top_over_target, id, n);
		} else if (status_parse(store_col_text(st, 1), &s) == 0 &&
		    casestats_closed(s)) {
			out->closed++;
			out->within += n <= t;
			out->over_target += n > t && n <= l;
			out->over_limit += n > l;
			hist[n < 0 ? 0 : n > CASESTATS_MAX_DAYS ?
			    CASESTATS_MAX_DAYS : n]++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "casestats: clocks");
	if (out->closed > 0) {
		/* Nearest rank: ceil(p * n / 100). */
		out->median = rank_value(hist, (50 * out->closed + 99) / 100);
		out->p90 = rank_value(hist, (90 * out->closed + 99) / 100);
	}
	out->top_over_limit.count = out->urgency[3];
	out->top_over_target.count = out->urgency[2];
	return DOM_OK;
}

/* The supplements: awaited, overdue (listed, the longest first), and
 * answered late. */
static enum dom_rc
supplements(struct dom *d, struct casestats *out)
{
	int row;
	struct casestats_overdue *o;
	sqlite3_stmt *st;
	zdate due;
	int rc;

	/* Waiting: within the due date, or not served yet (its month has
	 * not started). */
	st = store_stmt(d->store, "SELECT coalesce(sum(c.supplement_due IS "
	    "NULL OR c.supplement_due >= ?1), 0), coalesce(sum("
	    "c.supplement_due < ?1), 0), (SELECT "
	    "count(*) FROM cases WHERE answered_late = 1 AND is_open = 1) FROM "
	    "cases c WHERE c.status = ?2");
	if (st == NULL)
		return dom_fail(d, "casestats: supplements");
	store_bind_text(st, 1, d->today_s);
	store_bind_text(st, 2, status_code(ST_SUPPLEMENT_REQUESTED));
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "casestats: supplements");
	if (row == 1) {
		out->supplement_waiting = sqlite3_column_int64(st, 0);
		out->supplement_overdue = sqlite3_column_int64(st, 1);
		out->answered_late = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	st = store_stmt(d->store, "SELECT c.id, coalesce(c.case_no, ''), "
	    "o.name, coalesce(l.name, ''), c.supplement_due FROM cases c JOIN "
	    "org o ON o.id = c.org_id LEFT JOIN account l ON l.id = c.lead_id "
	    "WHERE c.status = ?2 AND c.supplement_due < ?1 ORDER BY "
	    "c.supplement_due, c.id LIMIT ?3");
	if (st == NULL)
		return dom_fail(d, "casestats: overdue");
	store_bind_text(st, 1, d->today_s);
	store_bind_text(st, 2, status_code(ST_SUPPLEMENT_REQUESTED));
	store_bind_int(st, 3, CASESTATS_TOP);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = &out->overdue[out->noverdue++];
		o->id = sqlite3_column_int64(st, 0);
		o->case_no = arena_strdup(d->arena, store_col_text(st, 1));
		o->org = arena_strdup(d->arena, store_col_text(st, 2));
		o->lead = arena_strdup(d->arena, store_col_text(st, 3));
		o->due = arena_strdup(d->arena, store_col_text(st, 4));
		o->days = date_parse(o->due, &due) == 0 ?
		    date_diff_days(due, d->today) : 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "casestats: overdue");
}

enum dom_rc
casestats_load(struct dom *d, struct casestats *out)
{
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((d->actor->role_bit & ROLES_STAFF) == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有工作人员可以查看"
		    "统计与监控。");
	if ((rc = count_statuses(d, out)) != DOM_OK ||
	    (rc = scan_clocks(d, out)) != DOM_OK ||
	    (rc = top_fill(d, &out->top_over_limit)) != DOM_OK ||
	    (rc = top_fill(d, &out->top_over_target)) != DOM_OK ||
	    (rc = supplements(d, out)) != DOM_OK)
		return rc;
	return DOM_OK;
}
