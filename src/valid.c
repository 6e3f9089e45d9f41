/*
 * valid.c: the input validators (valid.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "valid.h"

int
valid_email(const char *s)
{
	const char *at, *p, *label;
	size_t n, llen, labels = 0, alpha;

	if (s == NULL || (at = strchr(s, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL || (n = strlen(s)) > 254)
		return 0;
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.' && p[1] == '.')
			return 0;
		if (!isalnum((unsigned char)*p) &&
		    strchr(".!#$%&'*+/=?^_`{|}~-", *p) == NULL)
			return 0;
	}
	label = at + 1;
	for (;;) {
		p = label;
		alpha = 1;
		while (*p != '\0' && *p != '.') {
			if (!isalnum((unsigned char)*p) && *p != '-')
				return 0;
			if (!isalpha((unsigned char)*p))
				alpha = 0;
			p++;
		}
		if (p == label || p - label > 63 || *label == '-' ||
		    p[-1] == '-')
			return 0;
		labels++;
		if (*p == '\0')
			break;
		label = p + 1;
	}
	/* The top-level domain: two letters or more. */
	return labels >= 2 && alpha && p - label >= 2;
}

int
valid_int(const char *s, long long min, long long max, long long *out)
{
	const char *p = s;
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-')
		p++;
	if (*p == '\0' || strspn(p, "0123456789") != strlen(p))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
valid_text(const char *s, size_t min, size_t max, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, l, chars = 0;
	uint32_t c;

	if (s == NULL)
		return 0;
	for (n = strlen(s); n > 0; p += l, n -= l, chars++) {
		if ((l = utf8_decode(p, n, &c)) == 0)
			return 0;
		if ((flags & VALID_MULTILINE) && (c == '\n' || c == '\t' ||
		    (c == '\r' && n > 1 && p[1] == '\n')))
			continue;
		if (utf8_forbidden(c))
			return 0;
	}
	return chars >= min && chars <= max;
}
