/*
 * http.c: building responses (http.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

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

