/*
 * testlib_race.h: for the unit tests of the domain modules, on a
 * temporary database (testlib_store.h): counting what was written, and
 * a race, played out. In a race a second connection to the database
 * takes the write lock, writes, and commits a moment later from another
 * thread, while the code under test, started meanwhile, waits for the
 * lock: a check made inside the code's own write transaction sees what
 * the other connection wrote; a check made before it does not.
 */
#ifndef ZIZHI_TESTLIB_RACE_H
#define ZIZHI_TESTLIB_RACE_H

struct store;
struct ts_race;

/* The first column of the one row sql (its ?1 bound to id) returns;
 * anything else fails the test. */
long long	 ts_count(struct store *db, const char *sql, long long id);

/*
 * Opens the database at path a second time, begins an IMMEDIATE
 * transaction there and runs sql (any number of statements) in it; a
 * thread commits it after ms milliseconds. Any failure fails the test.
 */
struct ts_race	*ts_race_start(const char *path, const char *sql, int ms);
/* Waits for the commit and closes the connection. */
void		 ts_race_end(struct ts_race *r);

#endif
