/*
 * test_sqlmem.c: SQLite's allocator (sqlmem.c) under SQLite's own use.
 *
 *  - it installs before SQLite's first use, and is refused after it;
 *  - a database written and read back through it (rows and values of
 *    every size class and larger) holds what was written;
 *  - sqlite3_realloc keeps the contents, growing and shrinking across
 *    classes; sqlite3_msize gives the class's size;
 *  - a thread keeps freed blocks, never more than SQLMEM_KEEP bytes, and
 *    a thread that ends gives its blocks back (the sanitizer build's
 *    leak check sees any it would lose).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>

#include "sqlmem.h"

/* Rows of every size up to 5000 bytes, written and read back. */
static void
workload(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char buf[5000];
	int i, j, n;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY "
	    "KEY, v BLOB, s TEXT); CREATE INDEX t_s ON t(s)", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, "
	    "printf('%08d', ?1))", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < 600; i++) {
		n = (i * 37) % (int)sizeof(buf);
		for (j = 0; j < n; j++)
			buf[j] = (unsigned char)(i + j);
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_blob(st, 2, buf, n, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, v, upper(s) || "
	    "'x' FROM t ORDER BY s DESC", -1, &st, NULL), SQLITE_OK);
	for (i = 599; sqlite3_step(st) == SQLITE_ROW; i--) {
		const unsigned char *v = sqlite3_column_blob(st, 1);

		assert_int_equal(sqlite3_column_int(st, 0), i);
		n = (i * 37) % (int)sizeof(buf);
		assert_int_equal(sqlite3_column_bytes(st, 1), n);
		for (j = 0; j < n; j++)
			assert_int_equal(v[j], (unsigned char)(i + j));
		snprintf((char *)buf, sizeof(buf), "%08dx", i);
		assert_string_equal((const char *)sqlite3_column_text(st, 2),
		    (const char *)buf);
	}
	assert_int_equal(i, -1);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
test_install_and_use(void **state)
{
	(void)state;
	assert_int_equal(sqlmem_install(), 0);
	workload();
	/* SQLite is in use now: a second install is refused. */
	assert_int_equal(sqlmem_install(), -1);
	assert_true(sqlmem_kept() > 0);
	assert_true(sqlmem_kept() <= SQLMEM_KEEP);
}

static void
test_resize(void **state)
{
	static const int sizes[] = { 1, 63, 64, 65, 500, 1024, 1025, 4000,
	    100, 7 };
	unsigned char *p = NULL, *q;
	int i, j, n = 0, m;

	(void)state;
	for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])); i++) {
		m = sizes[i];
		q = sqlite3_realloc(p, m);
		assert_non_null(q);
		for (j = 0; j < (n < m ? n : m); j++)
			assert_int_equal(q[j], (unsigned char)(j * 3));
		for (j = 0; j < m; j++)
			q[j] = (unsigned char)(j * 3);
		assert_true(sqlite3_msize(q) >= (sqlite3_uint64)m);
		if (m <= SQLMEM_SMALL)
			assert_int_equal(sqlite3_msize(q) % SQLMEM_CLASS, 0);
		p = q;
		n = m;
	}
	sqlite3_free(p);
}

/* Many blocks freed at once: the thread keeps no more than its share. */
static void
test_keep_limit(void **state)
{
	enum { N = 2000 };
	static void *v[N];
	int i;

	(void)state;
	for (i = 0; i < N; i++)
		assert_non_null(v[i] = sqlite3_malloc(SQLMEM_SMALL));
	for (i = 0; i < N; i++)
		sqlite3_free(v[i]);
	assert_true(sqlmem_kept() <= SQLMEM_KEEP);
	assert_true(sqlmem_kept() >= SQLMEM_KEEP - SQLMEM_SMALL);
}

static void *
thread_main(void *arg)
{
	size_t *kept = arg;

	workload();
	*kept = sqlmem_kept();
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[3];
	size_t kept[3];
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_main,
		    &kept[i]), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(kept[i] > 0);
		assert_true(kept[i] <= SQLMEM_KEEP);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_and_use),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_keep_limit),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
