/*
 * testlib_store.h: a temporary database for the unit tests: the schema in
 * a new directory, removed again at the end.
 */
#ifndef ZIZHI_TESTLIB_STORE_H
#define ZIZHI_TESTLIB_STORE_H

#include "store.h"

/* A new database with the schema in a new directory made from tmpl
 * ("/tmp/zizhi-x.XXXXXX", changed in place by mkdtemp). */
struct store	*ts_open(char *tmpl);
/* Closes db and removes the directory. */
void		 ts_close(struct store *db, const char *dir);
/* Runs sql (any number of statements); an error fails the test. */
void		 ts_exec(struct store *db, const char *sql);

struct arena;

/* The integer in the first column of sql's first row; no row, or an
 * error, fails the test. */
long long	 ts_int(struct store *db, const char *sql);
/* The same as text, copied into a ("" for NULL). */
const char	*ts_text(struct store *db, struct arena *a, const char *sql);

#endif
