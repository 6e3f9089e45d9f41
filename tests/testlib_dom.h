/*
 * testlib_dom.h: reading a temporary database (testlib_store.h) in the
 * domain modules' unit tests: one integer or one text a query gives.
 */
#ifndef ZIZHI_TESTLIB_DOM_H
#define ZIZHI_TESTLIB_DOM_H

#include "store.h"

struct arena;

/* The integer in the first column of sql's first row; no row, or an
 * error, fails the test. */
long long	 ts_int(struct store *db, const char *sql);
/* The same as text, copied into a ("" for NULL). */
const char	*ts_text(struct store *db, struct arena *a, const char *sql);

#endif
