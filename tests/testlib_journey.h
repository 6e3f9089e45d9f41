/*
 * testlib_journey.h: shared steps for the integration tests (see
 * testlib_journey.c). Tests run under tests/integration.sh, which sets
 * ZIZHI_BIN, ZIZHI_DB (the servers' database), ZIZHI_SERVE_URL and
 * ZIZHI_FCGI_URL.
 */
#ifndef ZIZHI_TESTLIB_JOURNEY_H
#define ZIZHI_TESTLIB_JOURNEY_H

#include <stddef.h>

#include "testlib_http.h"

/* A small valid PDF. */
extern const char	tj_pdf[];
extern const size_t	tj_pdf_len;
/* A 1x1 baseline JPEG as files_sniff wants one. */
extern const char	tj_jpeg[];
extern const size_t	tj_jpeg_len;

/* Dates relative to today (Beijing), so the tests do not age. */
struct tj_dates {
	char	y1[16], y2[16], y3[16];	/* the last three years */
	char	future[32];		/* a year from now */
	char	later[32];		/* two years from now */
	char	past[32];		/* two years ago */
	char	recent[32];		/* early last year */
	char	older[32];		/* two years ago, earlier */
};
void		 tj_dates(struct tj_dates *d);
const char	*tj_uscc(void);		/* a valid credit code */

/* The csrf field of a page; static storage. */
const char	*tj_csrf(const struct http_resp *r);
/* GET path (must be 200) and return its csrf token; static storage. */
const char	*tj_token(struct http_client *c, const char *path);
/* "csrf=...&k=v..." from NULL-terminated name, value pairs; free() it. */
char		*tj_form(const char *csrf, const char *const *kv);
/* POST kv to path with a fresh token from path; the status must be want. */
void		 tj_post(struct http_client *c, const char *path,
		    const char *const *kv, long want);

/* A newly registered applicant of a new organisation, logged in. */
struct http_client *tj_applicant(const char *url, const char *org);
/* A new draft; its id. */
long long	 tj_new_case(struct http_client *c);
/*
 * The sections of a valid initial application, in the form's order:
 * section i's id into *sid and its name, value pairs (NULL-terminated;
 * rows as "name.N", each group's row count as "group._rows"), or NULL
 * after the last. Static storage, valid until the next call.
 */
const char *const *tj_section(const struct tj_dates *d, size_t i,
		    const char **sid);
/* Every section filled with a valid initial application. */
void		 tj_fill_form(struct http_client *c, long long id,
		    const struct tj_dates *d);
/* The same, with section 一's values of s1_over (name, value pairs,
 * NULL-terminated; NULL for none) put in place of the defaults or added. */
void		 tj_fill_form_s1(struct http_client *c, long long id,
		    const struct tj_dates *d, const char *const *s1_over);
/* Uploads a PDF for everything the check page lists as missing. */
int		 tj_upload_missing(struct http_client *c, long long id);
/* All of the above and submit: the case id; *c the applicant. */
long long	 tj_submitted_case(const char *url, const char *org,
		    struct http_client **c);
/* The same, section 一 changed as tj_fill_form_s1 does. */
long long	 tj_submitted_case_s1(const char *url, const char *org,
		    const char *const *s1_over, struct http_client **c);
/* The same, after putting the certificate s1_over names as
 * maint_cert_no in the register as the new organisation's (imported,
 * expiring on expires): a maintenance application of it. */
long long	 tj_submitted_case_cert(const char *url, const char *org,
		    const char *const *s1_over, const char *expires,
		    struct http_client **c);

/*
 * The case's lead records the paper original of its latest round as
 * received today and matching it (the review page's form), so that 受理
 * need not wait for it (docs/rules.md, "The paper original").
 */
void		 tj_paper_received(struct http_client *lead, long long id);

/* A new staff account of role (zizhi user add), logged in at url. */
struct http_client *tj_staff(const char *url, const char *role,
		    char *email, size_t len);

/* POST kv with a fresh token from tokpath to path: the status; the
 * response in *keep when not NULL (the caller frees it). */
long		 tj_post_from(struct http_client *c, const char *tokpath,
		    const char *path, const char *const *kv,
		    struct http_resp *keep);

/* GET path as c: 200, with every phrase (NULL-terminated) in the body. */
void		 tj_see(struct http_client *c, const char *path,
		    const char *const *phrases);

/* The text of the PDF in r's body, by pdftotext (UTF-8). Caller frees. */
char		*tj_pdf_text(const struct http_resp *r);

/* Test set-up and inspection on the servers' database. */
void		 tj_sql(const char *sql);
long long	 tj_sql_int(const char *sql);
/* The first column of the first row as text (caller frees), or NULL. */
char		*tj_sql_text(const char *sql);

#endif
