/*
 * test_migrate.c: upgrading a database that holds data. A database at
 * schema version 2 (the blocks of schema.sql up to "-- version 3", with
 * a notice and an assessment record in it) is upgraded by store_migrate:
 * the CHECK lists that version 6 widens take the new values, still
 * refuse others, keep every row, and a connection opened afterwards
 * sees the same; the defensive flag is back on after the upgrade. A
 * database at version 10 gets the work queue's to-do facts of version
 * 11 counted, and kept by their triggers from then on.
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
#include "testlib_store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-migrate.XXXXXX";
static char path[256];

/* A database at version v (the blocks of schema.sql before v + 1's),
 * with the rows of data in it. */
static void
make_at(int v, const char *data)
{
	const struct embedded_file *f = embedded_find("schema.sql");
	const char *end;
	char *sql, *msg = NULL, mark[32];
	sqlite3 *db;

	assert_non_null(f);
	snprintf(mark, sizeof(mark), "\n-- version %d\n", v + 1);
	assert_non_null(end = strstr(f->data, mark));
	sql = xstrndup(f->data, (size_t)(end - f->data));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("v%d: %s", v, msg);
	free(sql);
	snprintf(mark, sizeof(mark), "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_exec(db, mark, NULL, NULL, NULL), SQLITE_OK);
	if (sqlite3_exec(db, data, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("v%d data: %s", v, msg);
	sqlite3_close(db);
}

/* A database at version 2 with one case, a notice and a record. */
static void
make_v2(void)
{
	make_at(2, "INSERT INTO org(name) VALUES ('甲公司');"
	    "INSERT INTO account(email, name, role, org_id, password_hash) "
	    "VALUES ('a@x.example', '甲', 'applicant', 1, 'x');"
	    "INSERT INTO cases(org_id, created_by, case_no, status) VALUES "
	    "(1, 1, 'SE2-2026-00001', 'assessing');"
	    "INSERT INTO notice(case_id, kind, no, at, day, title, body) VALUES "
	    "(1, 'receipt', 'R1', '2026-03-01T00:00:00Z', '2026-03-01', '收件凭证',"
	    " '正文');"
	    "INSERT INTO assessment_record(case_id, kind, finding, by_id, at) "
	    "VALUES (1, 'interview', '访谈', 1, '2026-03-01T00:00:00Z');");
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

	strcpy(dir, "/tmp/zizhi-migrate.XXXXXX");
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

/* Each case's to-do facts (schema.sql version 11) against what its
 * panel and its document requests hold: 0 when they agree. */
static long long
facts_differ(struct store *s)
{
	return ts_int(s, "SELECT count(*) FROM cases c WHERE c.panel_size <> "
	    "(SELECT count(*) FROM panel_member p WHERE p.case_id = c.id) OR "
	    "c.doc_request_pending <> EXISTS (SELECT 1 FROM doc_request r "
	    "WHERE r.case_id = c.id AND r.closed_at IS NULL)");
}

/* A case's (panel_size, doc_request_pending), as 10 * size + pending. */
static long long
facts_of(struct store *s, int id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT 10 * panel_size + "
	    "doc_request_pending FROM cases WHERE id = %d", id);
	return ts_int(s, sql);
}

/*
 * Version 11 counts the panels and the open document requests already
 * there, and its triggers follow every change after: members added,
 * removed, moved; a request opened, closed, opened again.
 */
static void
test_todo_facts(void **state)
{
	struct store *s;
	char err[256];

	strcpy(dir, "/tmp/zizhi-migrate.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	make_at(10, "INSERT INTO org(name) VALUES ('甲公司');"
	    "INSERT INTO account(email, name, role, org_id, password_hash) "
	    "VALUES ('a@x.example', '甲', 'applicant', 1, 'x'), "
	    "('e1@x.example', '专家一', 'expert', NULL, 'x'), "
	    "('e2@x.example', '专家二', 'expert', NULL, 'x');"
	    "INSERT INTO cases(org_id, created_by, case_no, status) VALUES "
	    "(1, 1, 'SE2-2026-00001', 'expert_review'), "
	    "(1, 1, 'SE2-2026-00002', 'assessing'), "
	    "(1, 1, 'SE2-2026-00003', 'assessing'), "
	    "(1, 1, 'SE2-2026-00004', 'expert_review');"
	    "INSERT INTO panel_member(case_id, account_id, added_by) VALUES "
	    "(1, 2, 1), (1, 3, 1);"
	    "INSERT INTO doc_request(case_id, due, by_id, opened_at, opened_day)"
	    " VALUES (2, '2026-12-20', 1, '2026-12-01T00:00:00Z', '2026-12-01');"
	    "INSERT INTO doc_request(case_id, due, by_id, opened_at, opened_day,"
	    " closed_at, closed_day, closed_by, closing) VALUES (3, "
	    "'2026-12-20', 1, '2026-11-01T00:00:00Z', '2026-11-01', "
	    "'2026-11-05T00:00:00Z', '2026-11-05', 1, 'answered');");
	assert_non_null(s = store_open(path, err, sizeof(err)));
	if (store_migrate(s, err, sizeof(err)) < 0)
		fail_msg("migrate: %s", err);
	assert_int_equal(facts_of(s, 1), 20);
	assert_int_equal(facts_of(s, 2), 1);
	assert_int_equal(facts_of(s, 3), 0);
	assert_int_equal(facts_of(s, 4), 0);
	assert_int_equal(facts_differ(s), 0);
	ts_exec(s, "DELETE FROM panel_member WHERE case_id = 1 AND "
	    "account_id = 2");
	assert_int_equal(facts_of(s, 1), 10);
	ts_exec(s, "UPDATE panel_member SET case_id = 4 "
	    "WHERE case_id = 1");
	assert_int_equal(facts_of(s, 1), 0);
	assert_int_equal(facts_of(s, 4), 10);
	ts_exec(s, "UPDATE panel_member SET declared_at = 'x'");
	assert_int_equal(facts_of(s, 4), 10);
	ts_exec(s, "INSERT INTO panel_member(case_id, account_id, "
	    "added_by) VALUES (1, 2, 1), (4, 2, 1)");
	assert_int_equal(facts_of(s, 1), 10);
	assert_int_equal(facts_of(s, 4), 20);
	/* A request closed, then a new one opened on the same case. */
	ts_exec(s, "UPDATE doc_request SET closed_at = "
	    "'2026-12-03T00:00:00Z', closed_day = '2026-12-03', closed_by = 1, "
	    "closing = 'answered' WHERE case_id = 2");
	assert_int_equal(facts_of(s, 2), 0);
	ts_exec(s, "INSERT INTO doc_request(case_id, due, by_id, "
	    "opened_at, opened_day) VALUES (2, '2026-12-30', 1, "
	    "'2026-12-04T00:00:00Z', '2026-12-04'), (3, '2026-12-30', 1, "
	    "'2026-12-04T00:00:00Z', '2026-12-04')");
	assert_int_equal(facts_of(s, 2), 1);
	assert_int_equal(facts_of(s, 3), 1);
	/* A second open request is refused and changes nothing. */
	assert_false(runs(store_db(s), "INSERT INTO doc_request(case_id, "
	    "due, by_id, opened_at, opened_day) VALUES (2, '2026-12-30', 1, "
	    "'2026-12-05T00:00:00Z', '2026-12-05')"));
	assert_int_equal(facts_of(s, 2), 1);
	assert_int_equal(facts_differ(s), 0);
	store_close(s);
	snprintf(err, sizeof(err), "rm -rf '%s'", dir);
	assert_int_equal(system(err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upgrade),
		cmocka_unit_test(test_todo_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
