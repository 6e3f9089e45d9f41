/*
 * router.c: matching a path against the route table.
 */
#include <string.h>

#include "router.h"

/* Matches one pattern; fills req->args on success. */
static int
pattern_match(const char *pat, const char *path, struct request *req)
{
	const char *p = pat, *s = path, *pe, *se;
	size_t n, nargs = 0;

	/* Most patterns differ from the path in their first letter: a
	 * request tries a hundred of them before its own. */
	if (p[0] == '/' && p[1] != '{' && s[0] == '/' && p[1] != s[1])
		return 0;
	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		pe = strchr(p, '/');
		pe = pe ? pe : p + strlen(p);
		se = strchr(s, '/');
		se = se ? se : s + strlen(s);
		if (strncmp(p, "{*}", 3) == 0 && pe == p + 3) {
			if (*s == '\0' || nargs == ROUTE_ARGS_MAX)
				return 0;
			req->args[nargs++] = arena_strdup(req->arena, s);
			req->nargs = nargs;
			return 1;
		}
		n = (size_t)(se - s);
		if (strncmp(p, "{n}", 3) == 0 && pe == p + 3) {
			if (n == 0 || n > 18 || nargs == ROUTE_ARGS_MAX)
				return 0;
			if (strspn(s, "0123456789") < n || *s == '0')
				return 0;
			req->args[nargs++] = arena_strndup(req->arena, s, n);
		} else if (strncmp(p, "{s}", 3) == 0 && pe == p + 3) {
			if (n == 0 || nargs == ROUTE_ARGS_MAX)
				return 0;
			req->args[nargs++] = arena_strndup(req->arena, s, n);
		} else if ((size_t)(pe - p) != n || strncmp(p, s, n) != 0)
			return 0;
		p = pe;
		s = se;
	}
	if (*p != '\0' || *s != '\0')
		return 0;
	req->nargs = nargs;
	return 1;
}

enum route_result
router_match(const struct route *const *tables, struct request *req,
    const struct route **found, unsigned *allowed)
{
	const struct route *r;
	const struct route *const *t;
	unsigned m = req->method == METHOD_HEAD ? METHOD_GET : req->method;

	*allowed = 0;
	for (t = tables; *t != NULL; t++)
	for (r = *t; r->pattern != NULL; r++) {
		if (!pattern_match(r->pattern, req->path, req))
			continue;
		if (r->methods & m) {
			*found = r;
			return ROUTE_FOUND;
		}
		*allowed |= r->methods;
	}
	req->nargs = 0;
	return *allowed ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
