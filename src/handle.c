/*
 * handle.c: the one request path both front doors call. Order of checks:
 * path and query parse (400), body size (413), route (404, 405),
 * same-origin for POST (403), body parse (400, 415), roles and CSRF, then
 * the handler. Every response gets the same security headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "handle.h"
#include "page.h"
#include "pages.h"
#include "router.h"

/*
 * The Origin (or, failing that, Referer) of a POST must name this host.
 * Browsers send Origin on every cross-site POST; a request with neither
 * header comes from a non-browser client and is let through to the CSRF
 * token check.
 */
static int
same_origin(const struct request *req)
{
	const char *o = req->origin ? req->origin : req->referer, *h;
	size_t n;

	if (o == NULL)
		return 1;
	if (req->host == NULL)
		return 0;
	if (strncmp(o, "http://", 7) == 0)
		h = o + 7;
	else if (strncmp(o, "https://", 8) == 0)
		h = o + 8;
	else
		return 0;
	n = strlen(req->host);
	return strncmp(h, req->host, n) == 0 && (h[n] == '\0' || h[n] == '/');
}

static int
parse_body(struct request *req)
{
	const char *ct = req->content_type;
	int rc;

	if (req->body_len == 0 && (ct == NULL || *ct == '\0'))
		return 0;
	if (ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0)
		rc = parse_urlencoded(req->arena, req->body, req->body_len,
		    &req->form);
	else if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0)
		rc = parse_multipart(req->arena, ct, req->body,
		    req->body_len, &req->form, &req->files);
	else
		return 415;
	return rc == PARSE_OK ? 0 : 400;
}

static void
security_headers(const struct request *req, struct response *resp)
{
	/* Pages for a logged-in person must not stay in shared caches. */
	if (req->user != NULL)
		response_header(resp, "Cache-Control", "no-store");
	response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' data:; "
	    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
	response_header(resp, "X-Content-Type-Options", "nosniff");
	response_header(resp, "X-Frame-Options", "DENY");
	response_header(resp, "Referrer-Policy", "same-origin");
	if (response_get_header(resp, "Cache-Control") == NULL)
		response_header(resp, "Cache-Control", "no-cache");
}

static const char *
allow_header(struct arena *a, unsigned methods)
{
	if ((methods & METHOD_GET) && (methods & METHOD_POST))
		return "GET, HEAD, POST";
	if (methods & METHOD_GET)
		return "GET, HEAD";
	return arena_strdup(a, "POST");
}

static int
dispatch(struct request *req, struct response *resp)
{
	const struct route *route = NULL;
	const char *q;
	unsigned allowed, role;
	size_t plen;
	int rc;

	q = strchr(req->uri, '?');
	plen = q ? (size_t)(q - req->uri) : strlen(req->uri);
	req->path = path_normalise(req->arena, req->uri, plen);
	if (req->path == NULL)
		return 400;
	if (q != NULL && parse_urlencoded(req->arena, q + 1, strlen(q + 1),
	    &req->query) != PARSE_OK)
		return 400;
	if (req->overloaded)
		return 503;
	if (req->body_too_large)
		return 413;
	if (req->body_incomplete)
		return 400;
	switch (router_match(route_tables, req, &route, &allowed)) {
	case ROUTE_NOT_FOUND:
		return 404;
	case ROUTE_BAD_METHOD:
		response_header(resp, "Allow",
		    allow_header(req->arena, allowed));
		return 405;
	case ROUTE_FOUND:
		break;
	}
	if (req->method == METHOD_POST) {
		if (!same_origin(req))
			return 403;
		if ((rc = parse_body(req)) != 0)
			return rc;
	}
	if (req->cookie != NULL)
		parse_cookies(req->arena, req->cookie, &req->cookies);
	if (auth_load(req) != 0)
		return 500;
	/* A staff member the site requires a second factor of, without
	 * one: enrolment first, nothing else (totp.h). */
	if (req->must_enrol && strcmp(req->path, "/account/2fa") != 0 &&
	    strcmp(req->path, "/logout") != 0 &&
	    strncmp(req->path, "/static/", 8) != 0) {
		response_redirect(resp, "/account/2fa");
		return 0;
	}
	role = req->user != NULL ? req->user->role_bit : ROLE_ANON;
	if (!(route->roles & role)) {
		if (req->user == NULL && (route->roles & ~ROLE_ANON)) {
			/* A form posted after the session ended (30 minutes
			 * of typing): log in on a page that keeps what was
			 * typed, then send it on (pages_auth.c). */
			if (req->method == METHOD_POST && req->form.n > 0 &&
			    req->files.n == 0)
				return page_login_resume(req, resp);
			/* Log in first, then come back here. */
			response_redirect(resp, arena_printf(req->arena,
			    "/login?next=%s", arena_urlencode(req->arena,
			    req->path)));
			return 0;
		}
		resp->error_message = "您的账号没有使用此页面的权限。";
		return 403;
	}
	if (route->csrf && !auth_csrf_ok(req)) {
		resp->error_message = "表单已过期或来源不明，系统没有执行此操作。"
		    "请刷新页面后重新提交。";
		return 403;
	}
	return route->handler(req, resp);
}

void
app_handle(struct app *app, struct request *req, struct response *resp)
{
	int rc;

	req->app = app;
	req->now = (long long)time(NULL) + app->cfg.clock_offset;
	/* The request's reads in one snapshot and one read lock; a write
	 * ends it first (store.h). */
	store_read_begin(app->store);
	rc = dispatch(req, resp);
	if (rc != 0) {
		/* A page that is not there (404 before the session was read)
		 * still shows a logged-in user's own header. */
		if (req->user == NULL && req->cookie != NULL &&
		    req->cookies.n == 0 && req->path != NULL) {
			parse_cookies(req->arena, req->cookie, &req->cookies);
			(void)auth_load(req);
		}
		page_error(req, resp, rc, resp->error_message);
	}
	store_read_end(app->store);
	security_headers(req, resp);
}

