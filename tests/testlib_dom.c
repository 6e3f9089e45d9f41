/*
 * testlib_dom.c: reading a temporary database in unit tests (see
 * testlib_dom.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib_dom.h"
#include "util.h"

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
