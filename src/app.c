/*
 * app.c: the one request path both front doors call, and the process
 * state it uses. Order of checks: path and query parse (400), body size
 * (413), route (404, 405), same-origin for POST (403), body parse (400,
 * 415), roles and CSRF, then the handler. Every response gets the same
 * security headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "embedded.h"
#include "page.h"
#include "router.h"
#include "workflow.h"

void
response_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
}

void
response_free(struct response *r)
{
	buf_free(&r->body);
}

void
response_header(struct response *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0) {
			r->headers[i].value = value;
			return;
		}
	if (r->nheaders == RESPONSE_HEADERS_MAX) {
		fprintf(stderr, "zizhi: too many response headers\n");
		abort();
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

const char *
response_get_header(const struct response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void
response_redirect(struct response *r, const char *path)
{
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	response_header(r, "Location", path);
}

const char *
response_data(const struct response *r, size_t *len)
{
	if (r->static_body != NULL) {
		*len = r->static_len;
		return r->static_body;
	}
	*len = r->body.n;
	return r->body.p ? r->body.p : "";
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

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
	auth_load(req);
	role = req->user != NULL ? req->user->role_bit : ROLE_ANON;
	if (!(route->roles & role)) {
		if (req->user == NULL && (route->roles & ~ROLE_ANON)) {
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
	req->now = (long long)time(NULL);
	rc = dispatch(req, resp);
	if (rc != 0)
		page_error(req, resp, rc, resp->error_message);
	security_headers(req, resp);
}

struct tmpl_set *
app_load_templates(char *err, size_t errlen)
{
	const struct embedded_file *f;
	struct tmpl_set *set = tmpl_set_new();
	char name[128];
	size_t n;

	for (f = embedded_files; f->name != NULL; f++) {
		n = strlen(f->name);
		/* templates/NAME.html and templates/NAME.txt are "NAME". */
		if (strncmp(f->name, "templates/", 10) != 0 || n < 15 ||
		    (strcmp(f->name + n - 5, ".html") != 0 &&
		    strcmp(f->name + n - 4, ".txt") != 0))
			continue;
		n -= f->name[n - 4] == '.' ? 14 : 15;
		if (n >= sizeof(name))
			continue;
		memcpy(name, f->name + 10, n);
		name[n] = '\0';
		if (tmpl_set_add(set, name, f->data, f->size, err, errlen)) {
			tmpl_set_free(set);
			return NULL;
		}
	}
	return set;
}

int
app_open(struct app *app, const struct app_config *cfg, char *err,
    size_t errlen)
{
	const char *slash;

	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	if (app->cfg.max_body == 0)
		app->cfg.max_body = APP_MAX_BODY_DEFAULT;
	if (app->cfg.max_file == 0)
		app->cfg.max_file = APP_MAX_FILE_DEFAULT;
	if ((app->tmpl = app_load_templates(err, errlen)) == NULL)
		return -1;
	slash = strrchr(cfg->db_path, '/');
	if ((size_t)snprintf(app->files_dir, sizeof(app->files_dir), "%.*s%s",
	    slash ? (int)(slash - cfg->db_path + 1) : 0, cfg->db_path,
	    "files") >= sizeof(app->files_dir)) {
		snprintf(err, errlen, "database path too long");
		app_close(app);
		return -1;
	}
	if ((app->store = store_open(cfg->db_path, err, errlen)) == NULL) {
		app_close(app);
		return -1;
	}
	if (store_check_version(app->store, err, errlen) != 0 ||
	    workflow_check_schema(app->store, err, errlen) != 0) {
		app_close(app);
		return -1;
	}
	return 0;
}

void
app_close(struct app *app)
{
	store_close(app->store);
	tmpl_set_free(app->tmpl);
	app->store = NULL;
	app->tmpl = NULL;
}
