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

#include <cmocka.h>
#include <curl/curl.h>

#include "testlib_http.h"

struct http_client {
	CURL	*curl;
	char	*base;
	char	 header_value[1024];
};

struct http_client *
http_client_new(const char *base_url)
{
	struct http_client *c = xcalloc(1, sizeof(*c));

	assert_non_null(base_url);
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
	curl_mime *mime = curl_mime_init(c->curl);
	curl_mimepart *part;
	struct buf url;
	char *type = NULL;
	CURLcode rc;

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
