/*
 * test_caselist.c: the case lists (caselist.c) and the dashboard's
 * figures (casestats.c) on a temporary database with one case in every
 * status, each with its status facts as the workflow keeps them.
 *
 *  - the same filter gives the same cases in the queue's order, in the
 *    CSV's (one by one) and in the count;
 *  - "mine" for every role, and nothing for an applicant;
 *  - stage, status, lead and text filters;
 *  - paging and the count's cap;
 *  - the queue's order: the urgency (WF_SQL_URGENCY's), then the day the
 *    case reached it, then id; caselist_urgency agrees with
 *    WF_SQL_URGENCY;
 *  - a move through the workflow moves the case between queues;
 *  - each row's to-do (a panel to form, a declaration to make, a
 *    document request to wait for), in both orders, for who asks;
 *  - the figures agree with the database;
 *  - each role's queue (its count and its first page) is read through
 *    an index in its order: EXPLAIN QUERY PLAN of every statement it
 *    runs shows no SCAN of the cases and no temporary B-tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "caselist.h"
#include "casestats.h"
#include "dom.h"
#include "status.h"
#include "testlib_store.h"
#include "util.h"
#include "workflow.h"

static char dir[] = "/tmp/zizhi-caselist.XXXXXX";
static struct store *db;
static struct arena *arena;
static long long now;

enum {
	APPLICANT = 1, LEAD_A, LEAD_B, ASSESSOR_X, ASSESSOR_Y, EXPERT_E,
	EXPERT_F, CERT, SUPERVISOR, ADMIN, NACCOUNTS = ADMIN
};

static const struct {
	const char	*role;
	unsigned	 bit;
} accounts[NACCOUNTS + 1] = {
	{ NULL, 0 },
	{ "applicant", ROLE_APPLICANT },
	{ "lead", ROLE_LEAD },
	{ "lead", ROLE_LEAD },
	{ "assessor", ROLE_ASSESSOR },
	{ "assessor", ROLE_ASSESSOR },
	{ "expert", ROLE_EXPERT },
	{ "expert", ROLE_EXPERT },
	{ "cert_staff", ROLE_CERT_STAFF },
	{ "supervisor", ROLE_SUPERVISOR },
	{ "admin", ROLE_ADMIN },
};

/* The cases, id = index + 1: status, lead, organisation, days since
 * submission (-1: never submitted), paused days. */
static const struct {
	enum status	 st;
	int		 lead;
	int		 org;
	int		 days;
	int		 paused;
} cases[] = {
	{ ST_DRAFT, 0, 1, -1, 0 },			/* 1 */
	{ ST_SUBMITTED, 0, 1, 3, 0 },			/* 2 */
	{ ST_SUBMITTED, LEAD_A, 1, 5, 0 },		/* 3 */
	{ ST_INTAKE_REVIEW, LEAD_A, 1, 100, 0 },	/* 4 */
	{ ST_SUPPLEMENT_REQUESTED, LEAD_B, 1, 40, 10 },	/* 5 */
	{ ST_ACCEPTED, LEAD_A, 1, 70, 0 },		/* 6 */
	{ ST_AGREEMENT_SENT, LEAD_B, 1, 90, 20 },	/* 7 */
	{ ST_AWAITING_PAYMENT, LEAD_A, 1, 200, 5 },	/* 8 */
	{ ST_ASSESSMENT_PLANNING, LEAD_A, 1, 62, 0 },	/* 9 */
	{ ST_ASSESSING, LEAD_B, 2, 93, 0 },		/* 10 */
	{ ST_ASSESSING, LEAD_A, 2, 61, 0 },		/* 11 */
	{ ST_EXPERT_REVIEW, LEAD_A, 1, 185, 0 },	/* 12 */
	{ ST_EXPERT_REVIEW, LEAD_B, 1, 150, 0 },	/* 13 */
	{ ST_CERTIFICATE_PENDING, LEAD_B, 1, 120, 0 },	/* 14 */
	{ ST_ISSUED, LEAD_A, 1, 95, 0 },		/* 15 */
	{ ST_REJECTED, LEAD_B, 1, 100, 0 },		/* 16 */
	{ ST_FAILED, LEAD_A, 1, 190, 0 },		/* 17 */
	{ ST_WITHDRAWN, 0, 1, -1, 0 },			/* 18 */
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))
#define OPEN	"2 3 4 5 6 7 8 9 10 11 12 13 14"
#define EVERY	"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static int
setup(void **state)
{
	char sql[1024], day[DATE_BUFSZ], no[32];
	sqlite3_stmt *st;
	zdate today;
	size_t i;

	db = ts_open(dir);
	arena = arena_new();
	today = date_from_ymd(2026, 12, 6);
	now = (long long)today * 86400 + 4 * 3600;	/* noon in Beijing */
	exec("INSERT INTO org(id, name) VALUES (1, '甲网络安全有限公司'), "
	    "(2, 'Beta 50% Security_Co')");
	for (i = 1; i <= NACCOUNTS; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO account(id, email, "
		    "name, role, org_id, password_hash) VALUES (%zu, "
		    "'u%zu@x.cn', 'name %zu', '%s', %s, 'x')", i, i, i,
		    accounts[i].role, i == APPLICANT ? "1" : "NULL");
		exec(sql);
	}
	assert_int_equal(sqlite3_prepare_v2(store_db(db), "INSERT INTO "
	    "cases(id, org_id, case_no, status, lead_id, created_by, "
	    "created_at, rounds, clock_start, clock_paused, clock_target_net, "
	    "clock_limit_net, clock_stopped) VALUES (?1, ?2, ?3, ?4, ?5, 1, "
	    "'2026-01-01T00:00:00Z', ?6, ?7, ?8, 92, 184, ?9)", -1, &st, NULL),
	    SQLITE_OK);
	for (i = 0; i < NCASES; i++) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		sqlite3_bind_int64(st, 1, (long long)i + 1);
		sqlite3_bind_int(st, 2, cases[i].org);
		sqlite3_bind_int(st, 6, cases[i].days >= 0);
		sqlite3_bind_int(st, 8, cases[i].paused);
		if (cases[i].days >= 0) {
			snprintf(no, sizeof(no), "SE2-2026-%05zu", i + 1);
			sqlite3_bind_text(st, 3, no, -1, SQLITE_TRANSIENT);
			date_format(today - cases[i].days, day);
			sqlite3_bind_text(st, 7, day, -1, SQLITE_TRANSIENT);
			if (status_info(cases[i].st)->final)
				sqlite3_bind_text(st, 9, "2026-12-01", -1,
				    SQLITE_STATIC);
		}
		sqlite3_bind_text(st, 4, status_code(cases[i].st), -1,
		    SQLITE_STATIC);
		if (cases[i].lead)
			sqlite3_bind_int(st, 5, cases[i].lead);
		if (sqlite3_step(st) != SQLITE_DONE)
			fail_msg("case %zu: %s", i + 1,
			    sqlite3_errmsg(store_db(db)));
		assert_int_equal(workflow_status_facts(db, (long long)i + 1,
		    cases[i].st), 0);
	}
	sqlite3_finalize(st);
	/* Assessor X on case 9 (planning) and 10 (assessing), Y on 11;
	 * expert E declared on 12, F not yet on 13, E also on 15. */
	exec("INSERT INTO team_member(case_id, account_id) VALUES (9, 4), "
	    "(10, 4), (11, 5)");
	exec("INSERT INTO panel_member(case_id, account_id, added_by, "
	    "declared_at) VALUES (12, 6, 2, '2026-12-01T00:00:00Z'), "
	    "(13, 7, 3, NULL), (15, 6, 2, '2026-11-01T00:00:00Z')");
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}

/* The actor of an account id (0: the system). */
static struct actor *
actor_of(int id)
{
	struct actor *a = arena_alloc(arena, sizeof(*a));

	memset(a, 0, sizeof(*a));
	a->id = id;
	a->email = a->name = a->org_name = "";
	if (id > 0) {
		a->role = accounts[id].role;
		a->role_bit = accounts[id].bit;
		a->org_id = id == APPLICANT ? 1 : 0;
	} else
		a->role = "";
	return a;
}

static void
ctx(struct dom *d, int who)
{
	dom_init(d, db, arena, actor_of(who), now);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The ids of rows, sorted, as "1 2 3". */
static const char *
ids_of(const struct caselist_row *rows, size_t n)
{
	long long *ids = arena_alloc(arena, (n + 1) * sizeof(*ids));
	struct buf b;
	const char *out;
	size_t i;

	for (i = 0; i < n; i++)
		ids[i] = rows[i].id;
	qsort(ids, n, sizeof(*ids), cmp_ll);
	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? " " : "", ids[i]);
	out = arena_strdup(arena, b.p);
	buf_free(&b);
	return out;
}

struct walk {
	struct caselist_row	 rows[64];
	size_t			 n;
};

static int
walk_row(const struct caselist_row *r, void *arg)
{
	struct walk *w = arg;

	assert_true(w->n < 64);
	w->rows[w->n++] = *r;
	return 0;
}

/*
 * The cases f gives who, sorted: in the queue's order, in the CSV's one
 * by one, and the count all agree, or the test fails.
 */
static const char *
listed(int who, const struct caselist_filter *f)
{
	struct caselist_filter g = *f;
	struct caselist_row *rows;
	struct walk w;
	const char *urgent, *newest;
	long long count;
	struct dom d;
	size_t n;

	ctx(&d, who);
	g.order = CASELIST_URGENT;
	assert_int_equal(caselist_rows(&d, &g, &rows, &n), DOM_OK);
	urgent = ids_of(rows, n);
	g.order = CASELIST_NEWEST;
	memset(&w, 0, sizeof(w));
	assert_int_equal(caselist_each(&d, &g, walk_row, &w), DOM_OK);
	newest = ids_of(w.rows, w.n);
	assert_string_equal(urgent, newest);
	assert_int_equal(caselist_count(&d, &g, 0, &count), DOM_OK);
	assert_int_equal(count, (long long)n);
	return urgent;
}

static void
test_mine(void **state)
{
	struct caselist_filter f;
	struct dom d;
	long long n;

	caselist_filter_init(&f);
	f.open_only = 1;
	f.mine = 1;
	/* A lead: its own open cases and the submissions nobody took. */
	assert_string_equal(listed(LEAD_A, &f), "2 3 4 6 8 9 11 12");
	assert_string_equal(listed(LEAD_B, &f), "2 5 7 10 13 14");
	/* An assessor: its team's cases while assessing. */
	assert_string_equal(listed(ASSESSOR_X, &f), "10");
	assert_string_equal(listed(ASSESSOR_Y, &f), "11");
	/* An expert: its panel's cases in expert review, declared or
	 * not (it has the declaration to make). */
	assert_string_equal(listed(EXPERT_E, &f), "12");
	assert_string_equal(listed(EXPERT_F, &f), "13");
	/* Certificate staff: awaiting payment, certificate pending. */
	assert_string_equal(listed(CERT, &f), "8 14");
	/* Supervisors and administrators: every open case. */
	assert_string_equal(listed(SUPERVISOR, &f), OPEN);
	assert_string_equal(listed(ADMIN, &f), OPEN);
	/* "All": every open case, whoever asks. */
	f.mine = 0;
	assert_string_equal(listed(EXPERT_F, &f), OPEN);
	assert_string_equal(listed(LEAD_B, &f), OPEN);
	/* The dashboard's list: every case, drafts and closed ones too. */
	f.open_only = 0;
	assert_string_equal(listed(CERT, &f), EVERY);
	/* No list for an applicant, nor for the system. */
	f.mine = 1;
	ctx(&d, APPLICANT);
	assert_int_equal(caselist_count(&d, &f, 0, &n), DOM_FORBIDDEN);
	assert_int_equal(n, 0);
	assert_non_null(d.msg);
	ctx(&d, 0);
	assert_int_equal(caselist_count(&d, &f, 0, &n), DOM_FORBIDDEN);
}

static void
test_filters(void **state)
{
	struct caselist_filter f;

	caselist_filter_init(&f);
	/* Stages, from the stage column: every status of the stage. */
	f.stage = STAGE_ACCEPTANCE;
	assert_string_equal(listed(SUPERVISOR, &f), "2 3 4 5 6 16");
	f.stage = STAGE_PROJECT;
	assert_string_equal(listed(SUPERVISOR, &f), "7 8");
	f.stage = STAGE_ASSESSMENT;
	assert_string_equal(listed(SUPERVISOR, &f), "9 10 11 12 13 17");
	f.stage = STAGE_ISSUANCE;
	assert_string_equal(listed(SUPERVISOR, &f), "14 15");
	f.open_only = 1;
	assert_string_equal(listed(SUPERVISOR, &f), "14");
	/* An unknown stage matches nothing. */
	f.stage = -1;
	assert_string_equal(listed(SUPERVISOR, &f), "");
	/* Statuses, bound by code. */
	caselist_filter_init(&f);
	f.has_status = 1;
	f.status = ST_ASSESSING;
	assert_string_equal(listed(LEAD_A, &f), "10 11");
	f.status = ST_DRAFT;
	assert_string_equal(listed(LEAD_A, &f), "1");
	f.open_only = 1;
	assert_string_equal(listed(LEAD_A, &f), "");
	/* With "mine": the assessor's assessing cases. */
	f.open_only = 1;
	f.mine = 1;
	f.status = ST_ASSESSING;
	assert_string_equal(listed(ASSESSOR_X, &f), "10");
	f.status = ST_ASSESSMENT_PLANNING;
	assert_string_equal(listed(ASSESSOR_X, &f), "");
	/* A lead, with the other filters. */
	caselist_filter_init(&f);
	f.lead = LEAD_B;
	assert_string_equal(listed(EXPERT_E, &f), "5 7 10 13 14 16");
	f.stage = STAGE_ACCEPTANCE;
	assert_string_equal(listed(EXPERT_E, &f), "5 16");
	/* Text: part of a name, ASCII in any case, % and _ literal. */
	caselist_filter_init(&f);
	f.text = "beta 50%";
	assert_string_equal(listed(ADMIN, &f), "10 11");
	f.text = "50% S";
	assert_string_equal(listed(ADMIN, &f), "10 11");
	f.text = "5_%";
	assert_string_equal(listed(ADMIN, &f), "");
	f.text = "Security_C";
	assert_string_equal(listed(ADMIN, &f), "10 11");
	f.text = "%";
	assert_string_equal(listed(ADMIN, &f), "10 11");
	f.text = "网络安全";
	assert_string_equal(listed(ADMIN, &f), "1 2 3 4 5 6 7 8 9 12 13 14 15 "
	    "16 17 18");
	/* Part of a case number, in lower case; drafts have none. */
	f.text = "se2-2026-00010";
	assert_string_equal(listed(ADMIN, &f), "10");
	f.text = "se2-";
	assert_string_equal(listed(ADMIN, &f), "2 3 4 5 6 7 8 9 10 11 12 13 "
	    "14 15 16 17");
	f.text = "";
	assert_string_equal(listed(ADMIN, &f), EVERY);
}

static void
test_paging(void **state)
{
	struct caselist_filter f;
	struct caselist_row *all, *page;
	long long n;
	size_t na, np, i, off;
	struct dom d;

	ctx(&d, SUPERVISOR);
	caselist_filter_init(&f);
	f.open_only = 1;
	f.order = CASELIST_URGENT;
	assert_int_equal(caselist_rows(&d, &f, &all, &na), DOM_OK);
	assert_int_equal(na, 13);
	/* Pages of 5: 5, 5, 3, then none; together the whole list in its
	 * order, and the count the same on every page. */
	f.limit = 5;
	for (off = 0; off < 20; off += 5) {
		f.offset = (long long)off;
		assert_int_equal(caselist_rows(&d, &f, &page, &np), DOM_OK);
		assert_int_equal(np, off < 10 ? 5 : off < 15 ? 3 : 0);
		for (i = 0; i < np; i++)
			assert_int_equal(page[i].id, all[off + i].id);
		assert_int_equal(caselist_count(&d, &f, 0, &n), DOM_OK);
		assert_int_equal(n, 13);
	}
	/* The count stops at its cap. */
	assert_int_equal(caselist_count(&d, &f, 10, &n), DOM_OK);
	assert_int_equal(n, 10);
	assert_int_equal(caselist_count(&d, &f, 14, &n), DOM_OK);
	assert_int_equal(n, 13);
	/* The newest first in the other order. */
	f.order = CASELIST_NEWEST;
	f.offset = 0;
	f.limit = 3;
	assert_int_equal(caselist_rows(&d, &f, &page, &np), DOM_OK);
	assert_int_equal(np, 3);
	assert_int_equal(page[0].id, 14);
	assert_int_equal(page[1].id, 13);
	assert_int_equal(page[2].id, 12);
}

/* WF_SQL_URGENCY of a clock started net days before today. */
static int
sql_urgency(const char *today, long long net, long long target,
    long long limit)
{
	sqlite3_stmt *st;
	int u;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT "
	    WF_SQL_URGENCY " FROM (SELECT date(?1, '-' || ?2 || ' days') AS "
	    "clock_start, 0 AS clock_paused, NULL AS clock_paused_since, ?3 "
	    "AS clock_target_net, ?4 AS clock_limit_net, NULL AS "
	    "clock_stopped) c", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, net);
	sqlite3_bind_int64(st, 3, target);
	sqlite3_bind_int64(st, 4, limit);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	u = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return u;
}

static void
test_urgency(void **state)
{
	static const long long rules[][2] = { { 92, 184 }, { 30, 60 },
	    { 1, 2 } };
	struct caselist_filter f;
	struct caselist_row *rows;
	sqlite3_stmt *st;
	struct dom d;
	long long net;
	size_t i, n, r;

	ctx(&d, ADMIN);
	for (r = 0; r < 3; r++)
		for (net = 0; net <= 250; net++)
			if (caselist_urgency(net, rules[r][0], rules[r][1]) !=
			    sql_urgency(d.today_s, net, rules[r][0],
			    rules[r][1]))
				fail_msg("net %lld, target %lld, limit %lld",
				    net, rules[r][0], rules[r][1]);
	/* The fixture has every urgency. */
	assert_int_equal(caselist_urgency(10, 92, 184), 0);
	assert_int_equal(caselist_urgency(62, 92, 184), 1);
	assert_int_equal(caselist_urgency(93, 92, 184), 2);
	assert_int_equal(caselist_urgency(185, 92, 184), 3);

	/*
	 * The queue's order: the urgency, then the day the case reached it
	 * (the longest in its band first; on track, the soonest at risk
	 * first, and a clock standing still last), then the id. Case 10
	 * gets the shorter target of a February submission (89 net days)
	 * and 98 net days: over its target for 9 days, one more than case
	 * 4 (100 net days, target 92), so it comes first though its net
	 * days are fewer. Case 7 is paused since 10 days ago at 60 net
	 * days: on track, never at risk while paused, so the last. The
	 * expected order is computed from WF_SQL_URGENCY and WF_SQL_NET;
	 * each row's urgency and net days are theirs.
	 */
	exec("UPDATE cases SET clock_start = date('2026-12-06', '-98 days'), "
	    "clock_target_net = 89, clock_limit_net = 181 WHERE id = 10");
	exec("UPDATE cases SET clock_paused_since = '2026-11-26' WHERE id = 7");
	caselist_filter_init(&f);
	f.open_only = 1;
	f.order = CASELIST_URGENT;
	assert_int_equal(caselist_rows(&d, &f, &rows, &n), DOM_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT c.id, u, n "
	    "FROM (SELECT c.*, " WF_SQL_URGENCY " AS u, CAST(" WF_SQL_NET
	    " AS INTEGER) AS n FROM cases c WHERE c.is_open = 1) c "
	    "ORDER BY u DESC, CASE WHEN u = 0 AND c.clock_paused_since IS NOT "
	    "NULL THEN 1e9 ELSE julianday(coalesce(c.clock_paused_since, ?1)) "
	    "- n + CASE u WHEN 3 THEN c.clock_limit_net WHEN 2 THEN "
	    "c.clock_target_net ELSE c.clock_target_net * 2 / 3 END END, c.id",
	    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d.today_s, -1, SQLITE_STATIC);
	for (i = 0; i < n; i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(rows[i].id, sqlite3_column_int64(st, 0));
		assert_int_equal(rows[i].urgency, sqlite3_column_int(st, 1));
		assert_int_equal(rows[i].net, sqlite3_column_int64(st, 2));
		assert_true(rows[i].clocked);
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(rows[0].urgency, 3);
	assert_int_equal(rows[n - 1].urgency, 0);
	assert_int_equal(rows[n - 1].id, 7);
	for (i = 0; rows[i].id != 10; i++)
		assert_int_not_equal(rows[i].id, 4);
	exec("UPDATE cases SET clock_start = date('2026-12-06', '-93 days'), "
	    "clock_target_net = 92, clock_limit_net = 184 WHERE id = 10");
	exec("UPDATE cases SET clock_paused_since = NULL WHERE id = 7");
	/* A draft has no clock. */
	caselist_filter_init(&f);
	f.has_status = 1;
	f.status = ST_DRAFT;
	assert_int_equal(caselist_rows(&d, &f, &rows, &n), DOM_OK);
	assert_int_equal(n, 1);
	assert_false(rows[0].clocked);
	assert_int_equal(rows[0].urgency, -1);
	assert_string_equal(rows[0].case_no, "");
	assert_string_equal(caselist_urgency_zh(-1), "未开始计时");
	assert_string_equal(caselist_urgency_code(2), "over_target");
}

/* A move through the workflow (which keeps the facts) moves the case
 * between the queues. */
static void
test_follows_workflow(void **state)
{
	struct caselist_filter f;
	char err[256];

	caselist_filter_init(&f);
	f.open_only = 1;
	f.mine = 1;
	assert_string_equal(listed(CERT, &f), "8 14");
	assert_int_equal(store_begin(db), 0);
	assert_int_equal(workflow_move(db, 7, status_code(ST_AWAITING_PAYMENT),
	    actor_of(APPLICANT), "", now, err, sizeof(err)), WF_OK);
	assert_int_equal(workflow_move(db, 14, status_code(ST_WITHDRAWN),
	    actor_of(APPLICANT), "", now, err, sizeof(err)), WF_OK);
	assert_int_equal(store_commit(db), 0);
	assert_string_equal(listed(CERT, &f), "7 8");
	assert_string_equal(listed(LEAD_B, &f), "2 5 7 10 13");
	f.mine = 0;
	assert_string_equal(listed(CERT, &f), "2 3 4 5 6 7 8 9 10 11 12 13");
	f.open_only = 0;
	f.stage = STAGE_PROJECT;
	assert_string_equal(listed(CERT, &f), "7 8");
}

/* The to-do of case id in the open cases who lists, in order o. */
static const char *
todo_of(int who, long long id, enum caselist_order o)
{
	struct caselist_filter f;
	struct caselist_row *rows;
	struct dom d;
	size_t i, n;

	caselist_filter_init(&f);
	f.open_only = 1;
	f.order = o;
	ctx(&d, who);
	assert_int_equal(caselist_rows(&d, &f, &rows, &n), DOM_OK);
	for (i = 0; i < n; i++)
		if (rows[i].id == id)
			return rows[i].todo;
	fail_msg("case %lld is not in the list", id);
	return NULL;
}

/* Both orders agree on a to-do. */
static void
expect_todo(int who, long long id, const char *want)
{
	assert_string_equal(todo_of(who, id, CASELIST_URGENT), want);
	assert_string_equal(todo_of(who, id, CASELIST_NEWEST), want);
}

/* The to-dos the status does not tell: only the expert who has yet to
 * declare sees 声明利益冲突; everyone sees a panel to form and a document
 * request still open (not one that was answered). */
static void
test_todos(void **state)
{
	long long id;
	int who;

	expect_todo(EXPERT_F, 13, "声明利益冲突");
	expect_todo(EXPERT_E, 12, "");
	for (who = LEAD_A; who <= ADMIN; who++) {
		if (who != EXPERT_F)
			expect_todo(who, 13, "");
		expect_todo(who, 12, "");
		expect_todo(who, 9, "");
		expect_todo(who, 10, "");
		expect_todo(who, 2, "");
	}
	assert_int_equal(store_begin(db), 0);
	exec("DELETE FROM panel_member WHERE case_id = 12");
	exec("INSERT INTO doc_request(case_id, due, by_id, opened_at, "
	    "opened_day) VALUES (10, '2026-12-20', 4, '2026-12-01T00:00:00Z', "
	    "'2026-12-01')");
	exec("INSERT INTO doc_request(case_id, due, by_id, opened_at, "
	    "opened_day, closed_at, closed_day, closed_by, closing) VALUES "
	    "(11, '2026-12-20', 5, '2026-11-01T00:00:00Z', '2026-11-01', "
	    "'2026-11-05T00:00:00Z', '2026-11-05', 1, 'answered')");
	for (who = LEAD_A; who <= ADMIN; who++) {
		expect_todo(who, 12, "组建专家组");
		expect_todo(who, 10, "等待申请单位补充资料");
		expect_todo(who, 11, "");
		expect_todo(who, 9, "");
	}
	/* A list of many such cases: 60 more in 专家评审, a panel with
	 * expert F yet to declare on the even ones. */
	exec("WITH RECURSIVE n(i) AS (SELECT 101 UNION ALL SELECT i + 1 "
	    "FROM n WHERE i < 160) INSERT INTO cases(id, org_id, case_no, "
	    "status, lead_id, created_by, created_at, rounds, clock_start, "
	    "clock_target_net, clock_limit_net) SELECT i, 1, 'SE2-2026-' || "
	    "i, 'expert_review', 2, 1, '2026-01-01T00:00:00Z', 1, "
	    "'2026-10-01', 92, 184 FROM n");
	exec("INSERT INTO panel_member(case_id, account_id, added_by) "
	    "SELECT id, 7, 2 FROM cases WHERE id > 100 AND id % 2 = 0");
	for (id = 101; id <= 160; id++)
		assert_int_equal(workflow_status_facts(db, id,
		    ST_EXPERT_REVIEW), 0);
	for (id = 101; id <= 160; id++) {
		expect_todo(EXPERT_F, id, id % 2 ? "组建专家组" : "声明利益冲突");
		expect_todo(LEAD_A, id, id % 2 ? "组建专家组" : "");
	}
	expect_todo(EXPERT_F, 13, "声明利益冲突");
	expect_todo(LEAD_A, 10, "等待申请单位补充资料");
	store_rollback(db);
	expect_todo(LEAD_A, 12, "");
	expect_todo(LEAD_A, 10, "");
}

/* The dashboard's figures, against the fixture (before any move). */
static void
test_stats(void **state)
{
	static const long long top_target[] = { 13, 14, 4, 10 };
	struct casestats cs;
	struct dom d;
	size_t i;

	ctx(&d, EXPERT_F);
	assert_int_equal(casestats_load(&d, &cs), DOM_OK);
	assert_int_equal(cs.total, 18);
	for (i = 0; i < ST__COUNT; i++)
		assert_int_equal(cs.by_status[i], i == ST_SUBMITTED ||
		    i == ST_ASSESSING || i == ST_EXPERT_REVIEW ? 2 : 1);
	assert_int_equal(cs.by_stage[STAGE_NONE], 2);
	assert_int_equal(cs.by_stage[STAGE_ACCEPTANCE], 6);
	assert_int_equal(cs.by_stage[STAGE_PROJECT], 2);
	assert_int_equal(cs.by_stage[STAGE_ASSESSMENT], 6);
	assert_int_equal(cs.by_stage[STAGE_ISSUANCE], 2);
	/* Closed with a clock, stopped on 2026-12-01: issued (90 net
	 * days), rejected (95), failed (185); withdrawn is no outcome. */
	assert_int_equal(cs.closed, 3);
	assert_int_equal(cs.within, 1);
	assert_int_equal(cs.over_target, 1);
	assert_int_equal(cs.over_limit, 1);
	assert_int_equal(cs.median, 95);
	assert_int_equal(cs.p90, 185);
	assert_true(casestats_closed(ST_ISSUED));
	assert_true(casestats_closed(ST_REJECTED));
	assert_false(casestats_closed(ST_WITHDRAWN));
	assert_false(casestats_closed(ST_EXPERT_REVIEW));
	/* Open clocks: on track 2, 3, 5, 11; at risk 6, 7, 9; over the
	 * target 4, 10, 13, 14; over the limit 8, 12. */
	assert_int_equal(cs.open, 13);
	assert_int_equal(cs.urgency[0], 4);
	assert_int_equal(cs.urgency[1], 3);
	assert_int_equal(cs.urgency[2], 4);
	assert_int_equal(cs.urgency[3], 2);
	assert_int_equal(cs.top_over_limit.count, 2);
	assert_int_equal(cs.top_over_limit.n, 2);
	assert_int_equal(cs.top_over_limit.rows[0].id, 8);
	assert_int_equal(cs.top_over_limit.rows[0].net, 195);
	assert_int_equal(cs.top_over_limit.rows[1].id, 12);
	assert_string_equal(cs.top_over_limit.rows[1].case_no,
	    "SE2-2026-00012");
	assert_string_equal(cs.top_over_limit.rows[1].org, "甲网络安全有限公司");
	assert_int_equal(cs.top_over_limit.rows[1].st, ST_EXPERT_REVIEW);
	assert_string_equal(cs.top_over_limit.rows[1].lead, "name 2");
	assert_int_equal(cs.top_over_limit.rows[1].limit, 184);
	assert_int_equal(cs.top_over_target.n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(cs.top_over_target.rows[i].id, top_target[i]);
	/* Not for an applicant. */
	ctx(&d, APPLICANT);
	assert_int_equal(casestats_load(&d, &cs), DOM_FORBIDDEN);
}

/* The statements a queue runs, as SQLite traces them. */
struct traced {
	char	*sql[32];
	size_t	 n;
};

static int
trace_stmt(unsigned type, void *arg, void *p, void *x)
{
	struct traced *t = arg;
	const char *sql = sqlite3_sql(p);
	size_t i;

	if (type != SQLITE_TRACE_STMT || sql == NULL)
		return 0;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->sql[i], sql) == 0)
			return 0;
	assert_true(t->n < 32);
	t->sql[t->n++] = strdup(sql);
	return 0;
}

/* Fails when the plan of sql scans the cases or sorts; returns the
 * number of index searches of the cases it makes. */
static int
plan_ok(const char *who, const char *sql)
{
	char *eqp = malloc(strlen(sql) + 32);
	sqlite3_stmt *st;
	const char *detail;
	int searches = 0;

	sprintf(eqp, "EXPLAIN QUERY PLAN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(store_db(db), eqp, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		detail = (const char *)sqlite3_column_text(st, 3);
		if ((strncmp(detail, "SCAN ", 5) == 0 &&
		    strncmp(detail, "SCAN (subquery", 14) != 0) ||
		    strstr(detail, "TEMP B-TREE") != NULL)
			fail_msg("%s: \"%s\" in the plan of %s", who, detail,
			    sql);
		if (strncmp(detail, "SEARCH c USING INDEX cases_q_", 29) == 0)
			searches++;
	}
	sqlite3_finalize(st);
	free(eqp);
	return searches;
}

/*
 * Each role's work queue, as pages_queue asks for it (open cases, the
 * queue's order, a page of 50, a capped count), is read by index: no
 * statement it runs scans the cases or sorts in a temporary B-tree, so
 * its cost does not grow with the number of cases.
 */
static void
test_queue_plans(void **state)
{
	static const int who[] = { LEAD_A, ASSESSOR_X, EXPERT_E, CERT,
	    SUPERVISOR, ADMIN };
	struct caselist_filter f;
	struct caselist_row *rows;
	struct traced t;
	struct dom d;
	long long n;
	size_t i, j, k, nrows;
	int all, searched;

	for (all = 0; all <= 1; all++)
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		caselist_filter_init(&f);
		f.order = CASELIST_URGENT;
		f.open_only = 1;
		f.mine = !all;
		f.limit = 50;
		memset(&t, 0, sizeof(t));
		ctx(&d, who[i]);
		sqlite3_trace_v2(store_db(db), SQLITE_TRACE_STMT, trace_stmt,
		    &t);
		assert_int_equal(caselist_count(&d, &f, 1001, &n), DOM_OK);
		assert_int_equal(caselist_rows(&d, &f, &rows, &nrows), DOM_OK);
		sqlite3_trace_v2(store_db(db), 0, NULL, NULL);
		assert_true(nrows > 0);
		assert_int_equal((long long)nrows, n);
		/* The count and the rows' statements (a band each, for
		 * one or two streams). */
		assert_true(t.n >= 2);
		for (j = searched = 0; j < t.n; j++) {
			searched += plan_ok(accounts[who[i]].role, t.sql[j]);
			free(t.sql[j]);
		}
		assert_true(searched > 0);
		/* The rows in the queue's order, the urgency falling. */
		for (k = 1; k < nrows; k++)
			assert_true(rows[k].urgency <= rows[k - 1].urgency);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mine),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_urgency),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_queue_plans),
		cmocka_unit_test(test_follows_workflow),
		cmocka_unit_test(test_todos),
	};

	return cmocka_run_group_tests_name("case lists", tests, setup,
	    teardown);
}
