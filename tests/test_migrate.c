/*
 * test_migrate.c: upgrading a database that holds data. A database at
 * schema version 2 (the blocks of schema.sql up to "-- version 3", with
 * a notice and an assessment record in it) is upgraded by store_migrate:
 * the CHECK lists that version 6 widens take the new values, still
 * refuse others, keep every row, and a connection opened afterwards
 * sees the same; the defensive flag is back on after the upgrade.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embedded.h"
#include "store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-migrate.XXXXXX";
static char path[256];

/* A database at version 2 with one case, a notice and a record. */
static void
make_v2(void)
{
	const struct embedded_file *f = embedded_find("schema.sql");
	const char *end;
	char *sql, *msg = NULL;
	sqlite3 *db;

	assert_non_null(f);
	assert_non_null(end = strstr(f->data, "\n-- version 3\n"));
	sql = xstrndup(f->data, (size_t)(end - f->data));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("v2: %s", msg);
	free(sql);
	if (sqlite3_exec(db, "PRAGMA user_version = 2;"
	    "INSERT INTO org(name) VALUES ('甲公司');"
	    "INSERT INTO account(email, name, role, org_id, password_hash) "
	    "VALUES ('a@x.example', '甲', 'applicant', 1, 'x');"
	    "INSERT INTO cases(org_id, created_by, case_no, status) VALUES "
	    "(1, 1, 'SE2-2026-00001', 'assessing');"
	    "INSERT INTO notice(case_id, kind, no, at, day, title, body) VALUES "
	    "(1, 'receipt', 'R1', '2026-03-01T00:00:00Z', '2026-03-01', '收件凭证',"
	    " '正文');"
	    "INSERT INTO assessment_record(case_id, kind, finding, by_id, at) "
	    "VALUES (1, 'interview', '访谈', 1, '2026-03-01T00:00:00Z');",
	    NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("v2 data: %s", msg);
	sqlite3_close(db);
}

/* 1 when sql runs without an error on db. */
static int
runs(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* The widened lists on db; n numbers the notices written. */
static void
check_lists(sqlite3 *db, int n)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body) VALUES (1, 'appeal', 'X%d', 'a', 'd', 't', 'b')",
	    n);
	assert_true(runs(db, sql));
	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body) VALUES (1, 'sanction', 'Y%d', 'a', 'd', 't', "
	    "'b')", n);
	assert_true(runs(db, sql));
	assert_false(runs(db, "INSERT INTO notice(case_id, kind, no, at, day, "
	    "title, body) VALUES (1, 'nonsense', 'Z', 'a', 'd', 't', 'b')"));
	assert_true(runs(db, "INSERT INTO assessment_record(case_id, kind, "
	    "finding, by_id, at, method) VALUES (1, 'other', '观察', 1, 'a', "
	    "'现场观察')"));
	assert_false(runs(db, "INSERT INTO assessment_record(case_id, kind, "
	    "finding, by_id, at) VALUES (1, 'guess', 'x', 1, 'a')"));
}

static void
test_upgrade(void **state)
{
	struct store *s;
	sqlite3 *db;
	char err[256];
	int n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	make_v2();
	assert_non_null(s = store_open(path, err, sizeof(err)));
	n = store_migrate(s, err, sizeof(err));
	if (n < 0)
		fail_msg("migrate: %s", err);
	assert_int_equal(n, store_schema_version() - 2);
	assert_int_equal(store_user_version(s), store_schema_version());
	/* The same connection, then a new one, see the widened lists. */
	check_lists(store_db(s), 1);
	/* The defensive flag is on again: the schema text is not writable. */
	assert_false(runs(store_db(s), "PRAGMA writable_schema = ON; UPDATE "
	    "sqlite_schema SET sql = sql WHERE name = 'notice'"));
	runs(store_db(s), "PRAGMA writable_schema = OFF");
	store_close(s);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* The triggers of version 1 are still there. */
	assert_false(runs(db, "DELETE FROM notice WHERE kind <> 'receipt'"));
	check_lists(db, 2);
	/* The rows from before are there, as they were. */
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) "
		    "FROM notice WHERE kind = 'receipt' AND body = '正文'), "
		    "(SELECT count(*) FROM assessment_record WHERE kind = "
		    "'interview'), (SELECT count(*) FROM notice)", -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_int_equal(sqlite3_column_int(st, 1), 1);
		assert_int_equal(sqlite3_column_int(st, 2), 5);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	snprintf(err, sizeof(err), "rm -rf '%s'", dir);
	assert_int_equal(system(err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upgrade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
