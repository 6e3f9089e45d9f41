/*
 * test_faults.c: nothing half-saved when the database fails.
 *
 * `zizhi seed` makes cases by the product's own steps (the domain
 * functions the pages and the command line call, from the draft to the
 * certificate). A first run on one database notes every statement those
 * steps run, in the order of their first use. Then, on a second database,
 * one run per statement in which that statement's first execution fails
 * (SQLite's progress handler interrupts it, as a full disk or an I/O
 * error would end it): the run must say it failed, the statement must
 * really have failed, and the database must be exactly as before the run
 * (every row of every table), with no transaction left open. So every
 * step's failure path is taken at least once: it rolls back what the
 * step wrote and reports the failure instead of carrying on.
 *
 * Statements that end or open a transaction (BEGIN, COMMIT, SAVEPOINT,
 * RELEASE, ROLLBACK) and PRAGMAs are not failed this way: the handler
 * can only interrupt them after they took effect, which no real failure
 * does. test_store covers their errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "cli.h"
#include "date.h"
#include "password.h"
#include "testlib_store.h"
#include "tmpl.h"

/* Cases each run makes: enough to reach every status the seed plans. */
#define NCASES		60
#define MAX_SQL		1024

static char dir_a[] = "/tmp/zizhi-faults-a.XXXXXX";
static char dir_b[] = "/tmp/zizhi-faults-b.XXXXXX";
static struct store *db_a, *db_b;
static struct tmpl_set *tmpl;
static char hash[PASSWORD_HASH_MAX];
static zdate today;

/* The statements seen, in the order of their first execution. */
static char *seen[MAX_SQL];
static size_t nseen;

/* The fault: the first execution of target fails. */
static const char *target;
static int armed, fired;

static int
is_control(const char *sql)
{
	static const char *const words[] = { "BEGIN", "COMMIT", "END",
	    "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA" };
	size_t i, n;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (strncasecmp(sql, words[i], n) == 0)
			return 1;
	}
	return 0;
}

/* SQLITE_TRACE_STMT: a statement begins (or a trigger in it, "-- ..."). */
static int
on_stmt(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_sql(p);
	size_t i;

	if (type != SQLITE_TRACE_STMT || sql == NULL ||
	    strncmp((const char *)x, "--", 2) == 0 || is_control(sql))
		return 0;
	if (ctx == &seen) {
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], sql) == 0)
				return 0;
		assert_true(nseen < MAX_SQL);
		seen[nseen++] = strdup(sql);
	} else if (target != NULL && !fired && strcmp(sql, target) == 0)
		armed = 1;
	return 0;
}

static int
on_progress(void *ctx)
{
	if (!armed)
		return 0;
	armed = 0;
	fired = 1;
	return 1;
}

/* A digest of every row of every table. */
static uint64_t
digest(struct store *s)
{
	sqlite3 *db = store_db(s);
	sqlite3_stmt *tables, *rows;
	uint64_t h = 1469598103934665603ull;
	char sql[256];
	const unsigned char *v;
	int i, n, k;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_schema WHERE type = 'table' ORDER BY name", -1, &tables,
	    NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
		    (const char *)sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL),
		    SQLITE_OK);
		n = sqlite3_column_count(rows);
		while (sqlite3_step(rows) == SQLITE_ROW)
			for (i = 0; i < n; i++) {
				v = sqlite3_column_text(rows, i);
				k = sqlite3_column_bytes(rows, i);
				h = (h ^ (uint64_t)k) * 1099511628211ull;
				while (v != NULL && k-- > 0)
					h = (h ^ *v++) * 1099511628211ull;
			}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	return h;
}

static int
seed(struct store *s, const char *dir)
{
	char files[300];

	snprintf(files, sizeof(files), "%s/files", dir);
	return cli_seed_run(s, tmpl, hash, files, today, 7, NCASES);
}

static int
setup(void **state)
{
	char err[256];

	db_a = ts_open(dir_a);
	db_b = ts_open(dir_b);
	assert_int_equal(date_parse("2026-12-06", &today), 0);
	assert_int_equal(password_hash("zizhi-faults", hash, sizeof(hash)), 0);
	if ((tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		free(seen[i]);
	tmpl_set_free(tmpl);
	ts_close(db_a, dir_a);
	ts_close(db_b, dir_b);
	return 0;
}

static void
test_every_statement_fails_whole(void **state)
{
	sqlite3 *b = store_db(db_b);
	uint64_t before;
	size_t i;
	int rc;

	/* The statements of a whole run. */
	sqlite3_trace_v2(store_db(db_a), SQLITE_TRACE_STMT, on_stmt, &seen);
	assert_int_equal(seed(db_a, dir_a), 0);
	sqlite3_trace_v2(store_db(db_a), 0, NULL, NULL);
	print_message("%zu statements\n", nseen);
	assert_true(nseen > 100);

	/* Each one failed in turn: the seed stops, and nothing is kept. */
	sqlite3_trace_v2(b, SQLITE_TRACE_STMT, on_stmt, NULL);
	sqlite3_progress_handler(b, 1, on_progress, NULL);
	before = digest(db_b);
	for (i = 0; i < nseen; i++) {
		target = seen[i];
		armed = fired = 0;
		rc = seed(db_b, dir_b);
		if (!fired)
			fail_msg("never ran: %s", target);
		if (rc == 0)
			fail_msg("the seed went on after a failure of: %s",
			    target);
		if (!sqlite3_get_autocommit(b))
			fail_msg("a transaction left open after a failure of: "
			    "%s", target);
		if (digest(db_b) != before)
			fail_msg("a part kept after a failure of: %s", target);
	}
	sqlite3_progress_handler(b, 0, NULL, NULL);
	sqlite3_trace_v2(b, 0, NULL, NULL);

	/* And the same run without a fault still makes every case. */
	assert_int_equal(seed(db_b, dir_b), 0);
	assert_int_equal(ts_int(db_b, "SELECT count(*) FROM cases"), NCASES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement_fails_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
