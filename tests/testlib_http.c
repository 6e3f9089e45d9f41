/*
 * testlib_http.c: libcurl client for the integration tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <sodium.h>
#include <sqlite3.h>

#include "app.h"
#include "handle.h"
#include "http.h"
#include "store.h"
#include "testlib_http.h"

struct http_client {
	CURL	*curl;
	char	*base;
	char	 header_value[1024];
	int	 inproc;	/* base "inproc:": app_handle in process */
	char	 cookie[256];	/* in process: "name=value", or "" */
	char	 csrf[64];	/* http_inproc_login's session token */
};

/*
 * In process: one application on $ZIZHI_DB for every "inproc:" client
 * of the test program, opened at the first request. Requests go
 * straight to app_handle, the request path both doors share, with no
 * server and no socket; the client keeps the session cookie itself.
 */
static struct app inproc_app;
static int inproc_opened;
static long long inproc_offset;

static struct app *
inproc(void)
{
	struct app_config cfg;
	char err[512];

	if (!inproc_opened) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.db_path = getenv("ZIZHI_DB");
		if (cfg.db_path == NULL)
			fail_msg("inproc: ZIZHI_DB is not set");
		/* A site without --public-url when ZIZHI_INPROC_NO_PUBLIC_URL
		 * is set: links are made from the request's Host. */
		cfg.public_url = getenv("ZIZHI_INPROC_NO_PUBLIC_URL") != NULL ?
		    NULL : "http://inproc.test";
		/* A site that requires a second factor of staff. */
		cfg.require_2fa = getenv("ZIZHI_REQUIRE_2FA") != NULL &&
		    strcmp(getenv("ZIZHI_REQUIRE_2FA"), "1") == 0;
		if (app_open(&inproc_app, &cfg, err, sizeof(err)) != 0)
			fail_msg("inproc: %s", err);
		inproc_opened = 1;
	}
	inproc_app.cfg.clock_offset = inproc_offset;
	return &inproc_app;
}

void
http_set_cookie(struct http_client *c, const char *cookie)
{
	if (!c->inproc)
		fail_msg("http_set_cookie: in-process clients only");
	snprintf(c->cookie, sizeof(c->cookie), "%s", cookie);
}

void
http_inproc_clock(long long offset)
{
	inproc_offset = offset;
}

struct http_client *
http_inproc_login(long long id)
{
	struct http_client *c = http_client_new("inproc:");
	unsigned char raw[32], hash[32];
	char token[64], cookie[96];
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_true(sodium_init() >= 0);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(c->csrf, sizeof(c->csrf), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	assert_int_equal(sqlite3_open(getenv("ZIZHI_DB"), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO session("
	    "token_hash, account_id, csrf, created, seen) VALUES (?1, ?2, ?3, "
	    "?4, ?4)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, c->csrf, -1, SQLITE_STATIC);
	/* Made now on the application's clock (http_inproc_clock). */
	sqlite3_bind_int64(st, 4, (long long)time(NULL) + inproc_offset);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	snprintf(cookie, sizeof(cookie), "zizhi=%s", token);
	http_set_cookie(c, cookie);
	return c;
}

const char *
http_inproc_csrf(const struct http_client *c)
{
	return c->csrf;
}

void
http_inproc_close(void)
{
	if (inproc_opened)
		app_close(&inproc_app);
	inproc_opened = 0;
}

static enum method
inproc_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return METHOD_GET;
	if (strcmp(m, "HEAD") == 0)
		return METHOD_HEAD;
	if (strcmp(m, "POST") == 0)
		return METHOD_POST;
	return METHOD_OTHER;
}

/* "Name: value" of an extra header into *field when the name matches. */
static void
inproc_header(struct arena *a, const char *h, const char *name,
    const char **field)
{
	size_t n = strlen(name);

	if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
		h += n + 1;
		while (*h == ' ')
			h++;
		*field = arena_strdup(a, h);
	}
}

static void
inproc_do(struct http_client *c, const char *method, const char *path,
    const char *body, size_t len, const char *content_type,
    const char *const *extra, struct http_resp *out)
{
	struct request req;
	struct response resp;
	const char *data, *sc;
	size_t n, i;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method_name = method;
	req.method = inproc_method(method);
	req.uri = arena_strdup(req.arena, path);
	req.host = "inproc.test";
	req.remote_addr = "127.0.0.1";
	req.content_type = content_type;
	req.cookie = c->cookie[0] != '\0' ? c->cookie : NULL;
	req.body = body != NULL ? arena_strndup(req.arena, body, len) : "";
	req.body_len = body != NULL ? len : 0;
	for (; extra != NULL && *extra != NULL; extra++) {
		inproc_header(req.arena, *extra, "Origin", &req.origin);
		inproc_header(req.arena, *extra, "Referer", &req.referer);
		inproc_header(req.arena, *extra, "Host", &req.host);
		inproc_header(req.arena, *extra, "Cookie", &req.cookie);
		inproc_header(req.arena, *extra, "If-None-Match",
		    &req.if_none_match);
		inproc_header(req.arena, *extra, "Content-Type",
		    &req.content_type);
	}
	if (req.body_len > inproc()->cfg.max_body)
		req.body_too_large = 1;
	response_init(&resp);
	app_handle(inproc(), &req, &resp);
	out->status = resp.status;
	out->content_type = xstrdup(resp.content_type);
	buf_printf(&out->headers, "HTTP/1.1 %d\r\nContent-Type: %s\r\n",
	    resp.status, resp.content_type);
	for (i = 0; i < resp.nheaders; i++) {
		buf_printf(&out->headers, "%s: %s\r\n", resp.headers[i].name,
		    resp.headers[i].value);
		if (strcasecmp(resp.headers[i].name, "Set-Cookie") != 0)
			continue;
		sc = resp.headers[i].value;
		n = strcspn(sc, ";");
		if (strstr(sc, "Max-Age=0") != NULL)
			c->cookie[0] = '\0';
		else if (n < sizeof(c->cookie))
			snprintf(c->cookie, sizeof(c->cookie), "%.*s", (int)n, sc);
	}
	data = response_data(&resp, &n);
	if (req.method != METHOD_HEAD)
		buf_add(&out->body, data, n);
	else
		buf_add(&out->body, "", 0);
	response_free(&resp);
	arena_free(req.arena);
}

struct http_client *
http_client_new(const char *base_url)
{
	struct http_client *c = xcalloc(1, sizeof(*c));

	assert_non_null(base_url);
	if (strncmp(base_url, "inproc:", 7) == 0) {
		c->inproc = 1;
		c->base = xstrdup(base_url);
		return c;
	}
	c->curl = curl_easy_init();
	assert_non_null(c->curl);
	c->base = xstrdup(base_url);
	/* An empty file name turns the cookie engine on, in memory. */
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c->base);
	free(c);
}

const char *
http_base(const struct http_client *c)
{
	return c->base;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

void
http_do(struct http_client *c, const char *method, const char *path,
    const char *body, size_t len, const char *content_type,
    const char *const *extra, struct http_resp *out)
{
	struct curl_slist *hdrs = NULL;
	struct buf url, ct;
	char *type = NULL;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	buf_init(&out->headers);
	buf_init(&out->body);
	if (c->inproc) {
		inproc_do(c, method, path, body, len, content_type, extra, out);
		return;
	}
	buf_init(&url);
	buf_init(&ct);
	buf_printf(&url, "%s%s", c->base, path);
	/* No curl_easy_reset: it would drop the cookie engine's state. Every
	 * option that differs between requests is set here instead. */
	curl_easy_setopt(c->curl, CURLOPT_URL, url.p);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &out->headers);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	else if (strcmp(method, "POST") == 0 && body == NULL) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)0);
	}
	if (body != NULL) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
		if (content_type != NULL) {
			buf_printf(&ct, "Content-Type: %s", content_type);
			hdrs = curl_slist_append(hdrs, ct.p);
		}
	}
	for (; extra != NULL && *extra != NULL; extra++)
		hdrs = curl_slist_append(hdrs, *extra);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, url.p, curl_easy_strerror(rc));
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME, &out->seconds);
	curl_easy_getinfo(c->curl, CURLINFO_CONTENT_TYPE, &type);
	out->content_type = type ? xstrdup(type) : NULL;
	curl_slist_free_all(hdrs);
	buf_free(&url);
	buf_free(&ct);
}

void
http_get(struct http_client *c, const char *path, struct http_resp *out)
{
	http_do(c, "GET", path, NULL, 0, NULL, NULL, out);
}

void
http_post_form(struct http_client *c, const char *path, const char *form,
    struct http_resp *out)
{
	http_do(c, "POST", path, form, strlen(form),
	    "application/x-www-form-urlencoded", NULL, out);
}

void
http_post_file(struct http_client *c, const char *path,
    const char *const *fields, const char *file_field, const char *filename,
    const char *data, size_t len, struct http_resp *out)
{
	curl_mime *mime;
	curl_mimepart *part;
	struct buf url;
	char *type = NULL;
	CURLcode rc;

	if (c->inproc) {
		struct buf b;
		static const char bnd[] = "zizhi-test-boundary-7d2f1c";
		char ct[96];

		buf_init(&b);
		for (; fields != NULL && fields[0] != NULL; fields += 2)
			buf_printf(&b, "--%s\r\nContent-Disposition: form-data; "
			    "name=\"%s\"\r\n\r\n%s\r\n", bnd, fields[0],
			    fields[1]);
		buf_printf(&b, "--%s\r\nContent-Disposition: form-data; "
		    "name=\"%s\"; filename=\"%s\"\r\nContent-Type: "
		    "application/octet-stream\r\n\r\n", bnd, file_field,
		    filename);
		buf_add(&b, data, len);
		buf_printf(&b, "\r\n--%s--\r\n", bnd);
		snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", bnd);
		http_do(c, "POST", path, b.p, b.n, ct, NULL, out);
		buf_free(&b);
		return;
	}
	mime = curl_mime_init(c->curl);
	memset(out, 0, sizeof(*out));
	buf_init(&out->headers);
	buf_init(&out->body);
	buf_init(&url);
	buf_printf(&url, "%s%s", c->base, path);
	for (; fields != NULL && fields[0] != NULL; fields += 2) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, fields[0]);
		curl_mime_data(part, fields[1], CURL_ZERO_TERMINATED);
	}
	part = curl_mime_addpart(mime);
	curl_mime_name(part, file_field);
	curl_mime_filename(part, filename);
	curl_mime_data(part, data, len);
	curl_easy_setopt(c->curl, CURLOPT_URL, url.p);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &out->body);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &out->headers);
	rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_MIMEPOST, NULL);
	curl_mime_free(mime);
	if (rc != CURLE_OK)
		fail_msg("POST %s: %s", url.p, curl_easy_strerror(rc));
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(c->curl, CURLINFO_TOTAL_TIME, &out->seconds);
	curl_easy_getinfo(c->curl, CURLINFO_CONTENT_TYPE, &type);
	out->content_type = type ? xstrdup(type) : NULL;
	buf_free(&url);
}

void
http_resp_free(struct http_resp *r)
{
	free(r->content_type);
	buf_free(&r->headers);
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

const char *
http_header(struct http_resp *r, const char *name)
{
	static char value[1024];
	const char *p = r->headers.p, *eol;
	size_t n = strlen(name), vlen;

	if (p == NULL)
		return NULL;
	/* The last response's headers win (after a 100 Continue). */
	value[0] = '\0';
	for (; *p != '\0'; p = eol + (*eol != '\0')) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			vlen = (size_t)(eol - p);
			while (vlen > 0 && (p[vlen - 1] == '\r' ||
			    p[vlen - 1] == ' '))
				vlen--;
			if (vlen >= sizeof(value))
				vlen = sizeof(value) - 1;
			memcpy(value, p, vlen);
			value[vlen] = '\0';
		}
	}
	return value[0] != '\0' ? value : NULL;
}

int
http_body_has(const struct http_resp *r, const char *s)
{
	return r->body.p != NULL && strstr(r->body.p, s) != NULL;
}

char *
http_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;
	const unsigned char *p;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(&b, (char)*p);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	return b.p;
}
