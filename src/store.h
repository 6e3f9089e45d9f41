/*
 * store.h: the SQLite database. One connection per process, opened with
 * WAL, a busy timeout, foreign keys, defensive mode and trusted_schema off.
 * Statements are prepared once per process and reused (store_stmt); write
 * transactions begin IMMEDIATE. SQL is only ever bound, never formatted.
 */
#ifndef ZIZHI_STORE_H
#define ZIZHI_STORE_H

#include <sqlite3.h>
#include <stddef.h>

struct store;

/* Opens (creating the file if needed). NULL with a message in err. */
struct store	*store_open(const char *path, char *err, size_t errlen);
void		 store_close(struct store *s);
sqlite3		*store_db(struct store *s);

/* The schema version this binary knows (the last "-- version N"). */
int		 store_schema_version(void);
/* The database's PRAGMA user_version, or -1 on error. */
int		 store_user_version(struct store *s);
/*
 * Applies the schema.sql blocks the database lacks, each in its own
 * transaction. Refuses (-1, message in err) a database newer than the
 * binary. Returns the number of blocks applied, or -1. The blocks run
 * with SQLite's defensive flag off (a block may widen a CHECK list by
 * editing the schema text, PRAGMA writable_schema); such a block commits
 * only if PRAGMA quick_check then says "ok".
 */
int		 store_migrate(struct store *s, char *err, size_t errlen);
/* 0 when the database is at this binary's version, else -1 and err. */
int		 store_check_version(struct store *s, char *err, size_t errlen);

/*
 * A prepared statement for sql, prepared on first use and kept for the
 * life of the connection. sql must be a string with static storage (the
 * cache is keyed by its address). The statement is reset and its bindings
 * cleared before it is returned. NULL (and a log line) on a prepare error,
 * which is a programming error.
 */
sqlite3_stmt	*store_stmt(struct store *s, const char *sql);

/* Transactions: 0 on success, -1 on error (logged). */
int		 store_begin(struct store *s);		/* BEGIN IMMEDIATE */
int		 store_commit(struct store *s);
void		 store_rollback(struct store *s);

/*
 * A request's reads in one transaction (app_handle): one snapshot for all
 * of them, and the database's read lock taken and released once rather
 * than around every statement (two system calls each). The first
 * statement that writes (store_stmt sees it), or store_begin, ends it
 * first, so writes are as without it. store_read_end ends it (if it is
 * still open); neither fails.
 */
void		 store_read_begin(struct store *s);
void		 store_read_end(struct store *s);

/*
 * Batch mode, for `zizhi seed`: one long transaction (BEGIN IMMEDIATE)
 * in which every store_begin ... store_commit / store_rollback of a step
 * is a savepoint, so that many steps of the domain modules, each with
 * its own checks and rollback, commit together. store_batch_end commits
 * the batch (-1, and a rollback, while a step is open). Nothing but the
 * seed uses it: a server's steps are durable one by one.
 */
int		 store_batch_begin(struct store *s);
int		 store_batch_end(struct store *s);
/* Rolls the whole batch back, every step in it. */
void		 store_batch_abort(struct store *s);

/*
 * Steps a statement that answers at most one row: 1 with the row (read
 * its columns, then reset it), 0 with none, -1 on an error. A read that
 * fails is never taken for an absent row.
 */
int		 store_row(sqlite3_stmt *st);

/* Runs a statement that returns no rows; 0 or -1 (logged). */
int		 store_exec(struct store *s, const char *sql);

/* Convenience for bound parameters (1-based index). */
void		 store_bind_text(sqlite3_stmt *st, int i, const char *v);
void		 store_bind_int(sqlite3_stmt *st, int i, long long v);
/* Column text as a never-NULL C string (valid until the next step). */
const char	*store_col_text(sqlite3_stmt *st, int i);

#endif
