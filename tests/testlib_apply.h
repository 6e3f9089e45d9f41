/*
 * testlib_apply.h: the domain modules' unit tests: a temporary database
 * with the schema, a file store and the templates; two organisations and
 * an account of every role; a domain context acting as any of them; and
 * a second process that holds the write lock while it changes something,
 * to show a check is made inside the transaction that it guards.
 */
#ifndef ZIZHI_TESTLIB_APPLY_H
#define ZIZHI_TESTLIB_APPLY_H

#include <sys/types.h>

#include "dom.h"
#include "status.h"
#include "store.h"

/* The accounts tp_open makes (their ids). */
enum tp_account {
	TP_APPLICANT = 1,	/* of organisation 1 */
	TP_OTHER,		/* an applicant of organisation 2 */
	TP_LEAD,
	TP_LEAD2,
	TP_ASSESSOR,
	TP_EXPERT,
	TP_CERT,
	TP_SUPERVISOR,
	TP_ADMIN,
	TP__COUNT
};

extern struct store *tp_db;

/* Opens the database (in a new directory), makes the accounts. */
void		 tp_open(void);
/* Closes it and removes the directory. */
void		 tp_close(void);
/* The same as a cmocka group's setup and teardown. */
int		 tp_setup(void **state);
int		 tp_teardown(void **state);

/* A context acting as account who (0: the system) now, with the file
 * store, the templates and a 1 MB file limit. */
struct dom	*tp_dom(long long who);

/* Runs sql; an error fails the test. */
void		 tp_exec(const char *sql);
/* The integer the query (?1 bound to a) answers. */
long long	 tp_int(const char *sql, long long a);

/* A new draft by applicant who (application_create); its id. */
long long	 tp_draft(long long who);

/* Every section of draft id saved with the journey's values (a valid
 * initial application, testlib_journey.h), each value validated as the
 * form page validates it. */
void		 tp_fill(struct dom *d, long long id);
/* A PDF uploaded for every material the check of id finds missing. */
void		 tp_upload_missing(struct dom *d, long long id);
/* A new draft of applicant who, filled and with every material: the
 * check finds nothing missing. Its id. */
long long	 tp_complete(long long who);

/*
 * A case of organisation org forced into status st (test set-up, no
 * events): submitted ones have a number, one round and lead (0: none).
 */
long long	 tp_case(long long org, enum status st, long long lead);

/*
 * Another process takes the write lock (BEGIN IMMEDIATE), runs sql and
 * holds the lock for ms milliseconds before it commits; returns once it
 * holds the lock. A write in this process meanwhile waits for it (the
 * busy timeout), a read sees the database as before. tp_join waits for
 * the process; it must have committed.
 */
pid_t		 tp_hold(const char *sql, int ms);
void		 tp_join(pid_t pid);

#endif
