/*
 * test_store.c: the store's answers when SQLite says no (store.h): a
 * database that cannot be opened or is not a database, a statement that
 * does not prepare or fails, a commit with no transaction, a database
 * newer than the program, and an upgrade whose block fails, which must
 * leave the database at its last good version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

static char dir[] = "/tmp/zizhi-store.XXXXXX";
static char path[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
at(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
}

static void
test_open_errors(void **state)
{
	char err[512] = "";
	FILE *f;

	(void)state;
	at("no/such/dir/x.db");
	assert_null(store_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open database "));
	assert_non_null(strstr(err, path));
	/* A file that is not a database: refused at the first pragma. */
	at("junk.db");
	assert_non_null(f = fopen(path, "w"));
	fputs("this is not an SQLite database, only words in a file; "
	    "this is not an SQLite database, only words in a file\n", f);
	fclose(f);
	err[0] = '\0';
	assert_null(store_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot set up database "));
	assert_non_null(strstr(err, "not a database"));
	store_close(NULL);	/* a no-op, as the callers rely on */
}

static void
test_statement_errors(void **state)
{
	struct store *s;
	char err[512];

	(void)state;
	at("stmt.db");
	assert_non_null(s = store_open(path, err, sizeof(err)));
	assert_null(store_stmt(s, "SELEC 1"));
	assert_int_equal(store_exec(s, "SELEC 1"), -1);
	assert_int_equal(store_exec(s, "CREATE TABLE t(x INTEGER NOT NULL)"),
	    0);
	/* Prepared, then refused when it runs. */
	assert_int_equal(store_exec(s, "INSERT INTO t(x) VALUES (NULL)"), -1);
	/* No transaction to commit: an error, and nothing left open. */
	assert_int_equal(store_commit(s), -1);
	assert_int_not_equal(sqlite3_get_autocommit(store_db(s)), 0);
	/* A failed commit rolls back (a deferred foreign key). */
	assert_int_equal(store_exec(s, "CREATE TABLE p(id INTEGER PRIMARY "
	    "KEY)"), 0);
	assert_int_equal(store_exec(s, "CREATE TABLE c(p INTEGER REFERENCES "
	    "p(id) DEFERRABLE INITIALLY DEFERRED)"), 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_exec(s, "INSERT INTO c(p) VALUES (7)"), 0);
	assert_int_equal(store_commit(s), -1);
	assert_int_not_equal(sqlite3_get_autocommit(store_db(s)), 0);
	assert_int_equal(sqlite3_exec(store_db(s), "SELECT 1 FROM c", NULL,
	    NULL, NULL), SQLITE_OK);
	store_close(s);
}

static int
count_rows(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_versions(void **state)
{
	struct store *s;
	char err[512], sql[64];
	int want = store_schema_version();

	(void)state;
	assert_true(want >= 1);
	at("new.db");
	assert_non_null(s = store_open(path, err, sizeof(err)));
	assert_int_equal(store_user_version(s), 0);
	assert_int_equal(store_check_version(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the database is at schema version 0; "
	    "this program needs"));
	assert_non_null(strstr(err, "run `zizhi init` to upgrade it"));
	/* Newer than this program: neither used nor "upgraded". */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", want + 3);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(store_check_version(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this program"));
	err[0] = '\0';
	assert_int_equal(store_migrate(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this program"));
	assert_int_equal(store_user_version(s), want + 3);
	store_close(s);
}

static void
test_failed_upgrade(void **state)
{
	struct store *s;
	char err[512];

	(void)state;
	/* Version 1 creates the table org: one already there stops it. */
	at("clash.db");
	assert_non_null(s = store_open(path, err, sizeof(err)));
	assert_int_equal(store_exec(s, "CREATE TABLE org(x)"), 0);
	err[0] = '\0';
	assert_int_equal(store_migrate(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "schema version 1: "));
	assert_non_null(strstr(err, "already exists"));
	/* Nothing of the block stayed, and the version did not move. */
	assert_int_equal(store_user_version(s), 0);
	assert_int_equal(count_rows(s, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'account'"), 0);
	assert_int_not_equal(sqlite3_get_autocommit(store_db(s)), 0);
	/* Once the clash is gone the same upgrade goes through. */
	assert_int_equal(store_exec(s, "DROP TABLE org"), 0);
	assert_int_equal(store_migrate(s, err, sizeof(err)),
	    store_schema_version());
	assert_int_equal(store_check_version(s, err, sizeof(err)), 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_statement_errors),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_failed_upgrade),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
