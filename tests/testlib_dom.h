/*
 * testlib_dom.h: domain modules on a temporary database, for the unit
 * tests: the database with a cast of accounts, the notice templates, a
 * domain context for any of them, cases in a chosen status with a frozen
 * first round, counts, and a rival: another connection that takes the
 * write lock, changes something and commits a moment later, as a second
 * request would, to show that a step checks inside its own transaction.
 */
#ifndef ZIZHI_TESTLIB_DOM_H
#define ZIZHI_TESTLIB_DOM_H

#include "dom.h"
#include "status.h"
#include "store.h"

/* The cast (account ids). */
#define TD_APPLICANT	1	/* of 甲公司, org 1, whose cases these are */
#define TD_LEAD		2
#define TD_LEAD2	3
#define TD_ASSESSOR	4
#define TD_CERT		5
#define TD_OUTSIDER	6	/* an applicant of 乙公司, org 2 */
#define TD_SUPERVISOR	7
#define TD_CERT2	8	/* a second certificate officer */

/* The moment every context acts at: 2027-01-15 (Asia/Shanghai). */
#define TD_NOW		1800000000LL
#define TD_TODAY	"2027-01-15"

/* Opens the database from tmpl (mkdtemp) with the cast; the templates. */
struct store	*td_open(char *tmpl);
void		 td_close(void);
/* The same as cmocka group setup and teardown, in a new directory. */
int		 td_setup(void **state);
int		 td_teardown(void **state);

struct http_client;
/*
 * An in-process client (testlib_http.h) logged in as account id on this
 * database: pages through the application's request path. Pages run at
 * the real time, not at TD_NOW. td_close closes the application.
 */
struct http_client *td_client(long long id);

/* A new context for account id (0: the system) at TD_NOW. */
struct dom	*td_dom(long long id);
/* The same, days later (or earlier, days < 0). */
struct dom	*td_dom_at(long long id, int days);

/*
 * A case of 甲公司 in status st with lead (0: none), submitted on
 * TD_TODAY minus 10 days, round 1 frozen with section 一's app_type
 * "initial" and the values kv (name, value, ..., NULL; may be NULL; a
 * value of a group's row N as "name.N"; a later value of a name
 * replaces an earlier one). Returns its id.
 */
long long	 td_case(enum status st, long long lead,
		    const char *const *kv);
/* The same, submitted on day (YYYY-MM-DD, 10:00 Beijing). */
long long	 td_case_on(enum status st, long long lead,
		    const char *const *kv, const char *day);
/* Adds round n to the case with the values kv (as td_case). */
void		 td_round(long long case_id, int n, const char *const *kv);

/*
 * A file of material kind (row: its group row, or -1) in the case's
 * latest round, named KIND.pdf, its SHA-256 made of the case, kind's
 * row: the same file again in a later round.
 */
void		 td_round_file(long long case_id, const char *kind, int row);

/* The case's status code. */
const char	*td_status(long long case_id);
/* SQL (for td_exec or td_rival) that puts the case in status st, with
 * lead when not 0, as another request would have: valid until the next
 * call. */
const char	*td_set_status(long long case_id, enum status st,
		    long long lead);

/* Runs sql (any statements); fails the test on an error. */
void		 td_exec(const char *sql);
/* The integer the query gives with ?1 bound to id. */
long long	 td_int(const char *sql, long long id);
/* The text the query gives with ?1 bound to id, in the test arena. */
const char	*td_text(const char *sql, long long id);
/* What is written about a case, in one line: its status and lead, and
 * the count of its events, notices, findings, supplement items,
 * agreements (and accepted ones), payments and mails. Equal before and
 * after a refused step: nothing written. */
const char	*td_state(long long case_id);

/*
 * The rival: from another connection, BEGIN IMMEDIATE and sql (?1 is not
 * bound: write the ids in), and return once it holds the write lock; it
 * commits ms milliseconds later. td_rival_done waits for it.
 */
void		 td_rival(const char *sql, unsigned ms);
void		 td_rival_done(void);

#endif
