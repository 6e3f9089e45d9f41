/*
 * http.h: the request and response every handler sees. Both front doors
 * (httpd.c for libmicrohttpd, fcgi.c for FastCGI) fill a struct request
 * with raw transport values and call app_handle() (handle.h); all after that
 * never knows which door the request came through.
 */
#ifndef ZIZHI_HTTP_H
#define ZIZHI_HTTP_H

#include <stddef.h>

#include "parse.h"
#include "util.h"

struct app;
struct actor;

enum method {
	METHOD_GET = 1,
	METHOD_HEAD = 2,
	METHOD_POST = 4,
	METHOD_OTHER = 8
};

#define ROUTE_ARGS_MAX	4

struct request {
	struct arena	*arena;		/* freed when the response is sent */
	struct app	*app;

	/* Filled by the front door, raw. */
	enum method	 method;
	const char	*method_name;
	const char	*uri;		/* path and query as received */
	const char	*host;
	const char	*origin;
	const char	*referer;
	const char	*content_type;
	const char	*cookie;
	const char	*if_none_match;
	const char	*remote_addr;
	int		 https;
	const char	*body;
	size_t		 body_len;
	int		 body_too_large;	/* the door refused to buffer it */
	int		 body_incomplete;	/* shorter than announced */
	int		 overloaded;	/* the door is holding too much: 503 */

	/* Filled by app_handle before the handler runs. */
	const char	*path;		/* decoded, normalised */
	struct params	 query;
	struct params	 form;
	struct uploads	 files;
	struct params	 cookies;
	const char	*args[ROUTE_ARGS_MAX];	/* "{n}" path segments */
	size_t		 nargs;
	struct actor	*user;		/* logged in, or NULL (auth.c) */
	const char	*csrf;		/* the session's CSRF token, or NULL */
	/* A session half-way (auth.h): the password was right and a second
	 * factor code is still to come (user NULL), or logged in but bound
	 * to enrol a second factor first. */
	long long	 pending_id;	/* the account awaiting its code, or 0 */
	int		 must_enrol;
	long long	 now;		/* unix seconds at arrival */
};

struct header {
	const char	*name;
	const char	*value;
};

#define RESPONSE_HEADERS_MAX	24

struct response {
	int		 status;
	const char	*content_type;
	struct buf	 body;
	/* A body that is not copied (e.g. an embedded static file). */
	const char	*static_body;
	size_t		 static_len;
	struct header	 headers[RESPONSE_HEADERS_MAX];
	size_t		 nheaders;
	/* A handler returning an error status may say more than the
	 * standard text of the error page. */
	const char	*error_message;
};

void		 response_init(struct response *r);
void		 response_free(struct response *r);
/* Adds a header; name and value must live as long as the response. */
void		 response_header(struct response *r, const char *name,
		    const char *value);
const char	*response_get_header(const struct response *r,
		    const char *name);
/* The body to send (static or built). */
const char	*response_data(const struct response *r, size_t *len);
const char	*http_reason(int status);
/* A 303 See Other to a local path. */
void		 response_redirect(struct response *r, const char *path);

#endif
