/*
 * utf8.c: UTF-8 (utf8.h).
 */
#include <string.h>

#include "utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	size_t l;

	while (n > 0) {
		if ((l = utf8_decode(p, n, &c)) == 0)
			return 0;
		p += l;
		n -= l;
	}
	return 1;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int
utf8_forbidden(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	    c == 0x061C ||			/* Arabic letter mark */
	    c == 0x00AD ||			/* soft hyphen */
	    (c >= 0x200B && c <= 0x200F) ||	/* zero width, LRM, RLM */
	    (c >= 0x2028 && c <= 0x202E) ||	/* separators, embeddings */
	    (c >= 0x2060 && c <= 0x2069) ||	/* word joiner, isolates */
	    c == 0xFEFF ||			/* BOM */
	    (c >= 0xFFF9 && c <= 0xFFFB) ||	/* interlinear annotation */
	    (c >= 0xFDD0 && c <= 0xFDEF) ||	/* noncharacters */
	    (c & 0xFFFE) == 0xFFFE;		/* U+xFFFE, U+xFFFF */
}
