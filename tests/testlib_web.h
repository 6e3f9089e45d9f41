/*
 * testlib_web.h: page tests in process (tests/testlib_http.h's
 * "inproc:" client): a temporary database on $ZIZHI_DB with a file
 * store beside it; people of any role, each with a session made in the
 * database and a client that keeps it; POSTs that carry the session's
 * CSRF token; cases in a chosen status with their events, so that the
 * clock and the timeline have something to read.
 */
#ifndef ZIZHI_TESTLIB_WEB_H
#define ZIZHI_TESTLIB_WEB_H

#include "status.h"
#include "store.h"
#include "testlib_http.h"

/* A person: the account and its logged-in client. */
struct tw_person {
	long long		 id;
	long long		 org;		/* 0 for staff */
	struct http_client	*http;
	char			 csrf[64];
};

/* Opens the database in a new directory; sets ZIZHI_DB. */
struct store	*tw_open(void);
/* Closes the application, the database, removes the directory. */
void		 tw_close(void);
/* The directory (the file store is its "files"). */
const char	*tw_dir(void);

/* A new organisation; its id. */
long long	 tw_org(const char *name);
/* A person of role (an enum role name: "lead", ...) named name; an
 * applicant belongs to org (0 for staff). */
void		 tw_person(struct tw_person *p, const char *role,
		    const char *name, long long org);

/*
 * A case of org forced into status st with lead (0: none): a number,
 * round 1 frozen with the organisation's name and a valid credit code,
 * and the events draft → submitted (on submitted, YYYY-MM-DD) → st
 * (the day after) by the applicant app; its clock cached as of today.
 * Its id.
 */
long long	 tw_case(long long org, long long app, enum status st,
		    long long lead, const char *submitted);

/* GET path as p. */
void		 tw_get(struct tw_person *p, const char *path,
		    struct http_resp *r);
/* POST the form body ("k=v&...", values already encoded; may be "") as
 * p with its token. */
void		 tw_post(struct tw_person *p, const char *path,
		    const char *form, struct http_resp *r);
/* The same as multipart, with one file (field, name, data, len). */
void		 tw_post_file(struct tw_person *p, const char *path,
		    const char *const *fields, const char *field,
		    const char *name, const char *data, size_t len,
		    struct http_resp *r);
/* The status of the response to GET path as p (the body freed). */
long		 tw_status(struct tw_person *p, const char *path);

/* Runs sql; integer and text of the first column (text in a static
 * buffer, valid until the next call). */
void		 tw_exec(const char *sql);
long long	 tw_int(const char *sql);
const char	*tw_text(const char *sql);

#endif
