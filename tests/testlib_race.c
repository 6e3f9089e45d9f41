/*
 * testlib_race.c: helpers for the domain modules' unit tests
 * (testlib_race.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "testlib_race.h"

long long
ts_count(struct store *db, const char *sql, long long id)
{
	sqlite3_stmt *st;
	long long n;

	if (sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(db)));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

struct ts_race {
	sqlite3		*db;
	pthread_t	 thread;
	int		 ms;
	int		 rc;	/* of the COMMIT */
};

static void *
commit_later(void *arg)
{
	struct ts_race *r = arg;
	struct timespec ts;

	ts.tv_sec = r->ms / 1000;
	ts.tv_nsec = (long)(r->ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	r->rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
	return NULL;
}

struct ts_race *
ts_race_start(const char *path, const char *sql, int ms)
{
	struct ts_race *r = calloc(1, sizeof(*r));
	char *msg = NULL;

	assert_non_null(r);
	if (sqlite3_open(path, &r->db) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(r->db));
	sqlite3_busy_timeout(r->db, 5000);
	if (sqlite3_exec(r->db, "PRAGMA foreign_keys = ON; BEGIN IMMEDIATE",
	    NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(r->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	r->ms = ms;
	assert_int_equal(pthread_create(&r->thread, NULL, commit_later, r), 0);
	return r;
}

void
ts_race_end(struct ts_race *r)
{
	assert_int_equal(pthread_join(r->thread, NULL), 0);
	assert_int_equal(r->rc, SQLITE_OK);
	sqlite3_close(r->db);
	free(r);
}
