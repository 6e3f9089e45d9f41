/*
 * testlib_http.h: an HTTP client for the integration tests (libcurl).
 * A client keeps its cookies between requests, like one browser.
 */
#ifndef ZIZHI_TESTLIB_HTTP_H
#define ZIZHI_TESTLIB_HTTP_H

#include <stddef.h>

#include "util.h"

struct http_client;

struct http_resp {
	long		 status;
	char		*content_type;	/* NULL when absent */
	struct buf	 headers;	/* raw, "Name: value\r\n" lines */
	struct buf	 body;
	double		 seconds;	/* from sending to the last byte */
};

/*
 * A client of base_url ("http://host:port"), or, with base_url
 * "inproc:", of the application itself in this process on $ZIZHI_DB
 * (app_handle, no server): the same requests and answers, much faster,
 * for tests of page behaviour that do not need a door.
 */
struct http_client	*http_client_new(const char *base_url);
/* Sets an in-process client's cookie ("name=value"), e.g. a session
 * made in the database. */
void			 http_set_cookie(struct http_client *c,
			    const char *cookie);
struct store;
/*
 * An in-process client logged in as account: a session made in db (the
 * database $ZIZHI_DB names), no password asked.
 */
struct http_client	*http_inproc_login(struct store *db,
			    long long account);
/* Closes the in-process application (at the end of a test program). */
void			 http_inproc_close(void);
void			 http_client_free(struct http_client *c);
const char		*http_base(const struct http_client *c);

/*
 * Sends one request to base_url + path. body may be NULL; content_type
 * is sent when body is given. extra is an optional NULL-terminated list of
 * "Name: value" headers. Fails the test on a transport error.
 */
void	http_do(struct http_client *c, const char *method, const char *path,
	    const char *body, size_t len, const char *content_type,
	    const char *const *extra, struct http_resp *out);
void	http_get(struct http_client *c, const char *path,
	    struct http_resp *out);
/* POST application/x-www-form-urlencoded. */
void	http_post_form(struct http_client *c, const char *path,
	    const char *form, struct http_resp *out);
/*
 * POST multipart/form-data: fields is a NULL-terminated list of name,
 * value pairs; then one file part (field, filename, data, len).
 */
void	http_post_file(struct http_client *c, const char *path,
	    const char *const *fields, const char *file_field,
	    const char *filename, const char *data, size_t len,
	    struct http_resp *out);
void	http_resp_free(struct http_resp *r);

/* A response header's value (case-insensitive name), or NULL. The
 * returned string is valid until the next call. */
const char *http_header(struct http_resp *r, const char *name);
/* 1 when the body contains s. */
int	http_body_has(const struct http_resp *r, const char *s);

/* Percent-encodes s for a form value. Caller frees. */
char	*http_urlencode(const char *s);

#endif
