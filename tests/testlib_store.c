/*
 * testlib_store.c: a temporary database for the unit tests (see
 * testlib_store.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testlib_store.h"
#include "util.h"

struct store *
ts_open(char *tmpl)
{
	struct store *db;
	char path[256], err[256];

	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/t.db", tmpl);
	db = store_open(path, err, sizeof(err));
	if (db == NULL)
		fail_msg("%s: %s", path, err);
	if (store_migrate(db, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	return db;
}

void
ts_close(struct store *db, const char *dir)
{
	char cmd[300];

	store_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

void
ts_exec(struct store *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static sqlite3_stmt *
first_row(struct store *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(db)));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(store_db(db)));
	return st;
}

long long
ts_int(struct store *db, const char *sql)
{
	sqlite3_stmt *st = first_row(db, sql);
	long long n = sqlite3_column_int64(st, 0);

	sqlite3_finalize(st);
	return n;
}

const char *
ts_text(struct store *db, struct arena *a, const char *sql)
{
	sqlite3_stmt *st = first_row(db, sql);
	const char *t = arena_strdup(a, store_col_text(st, 0));

	sqlite3_finalize(st);
	return t;
}
