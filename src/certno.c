/*
 * certno.c: certificate numbers (see certno.h, docs/certificates.md).
 */
#include <stdio.h>
#include <string.h>

#include "certno.h"
#include "store.h"

/* "CNITSEC" "YYYY" "SE2" "-": the fixed part is 15 characters. */
#define HEAD_LEN	15

int
certno_valid(const char *s)
{
	size_t i, n;

	if (s == NULL || strncmp(s, CERTNO_PREFIX, 7) != 0)
		return 0;
	for (i = 7; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (strncmp(s + 11, CERTNO_KIND "-", 4) != 0)
		return 0;
	n = strlen(s);
	if (n < HEAD_LEN + 4 || n >= CERTNO_MAX)
		return 0;
	for (i = HEAD_LEN; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
certno_next(struct store *s, int year, char *out, size_t len)
{
	sqlite3_stmt *st;
	char head[32];
	long long seq = 0;
	int rc;

	if (year < 1900 || year > 9999 || len < CERTNO_MAX)
		return -1;
	snprintf(head, sizeof(head), "%s%04d%s-", CERTNO_PREFIX, year,
	    CERTNO_KIND);
	/* The numbers of a year share their first 15 characters; the rest
	 * is the sequence. */
	st = store_stmt(s, "SELECT coalesce(max(CAST(substr(no, 16) AS "
	    "INTEGER)), 0) FROM certificate WHERE substr(no, 1, 15) = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, head);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	snprintf(out, len, "%s%04lld", head, seq + 1);
	return 0;
}

/* The length of a white-space character at p (ASCII or U+3000), or 0. */
static size_t
space_at(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

int
certno_clean(const char *in, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)in, *end;
	size_t o = 0, k;
	unsigned cp;

	if (len == 0)
		return -1;
	*out = '\0';
	if (in == NULL)
		return 1;
	while ((k = space_at(p)) > 0)
		p += k;
	end = p + strlen((const char *)p);
	while (end > p) {
		if (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
		    end[-1] == '\n')
			end--;
		else if (end - p >= 3 && end[-3] == 0xe3 && end[-2] == 0x80 &&
		    end[-1] == 0x80)
			end -= 3;
		else
			break;
	}
	if (p == end)
		return 1;
	while (p < end) {
		if (o + 1 >= len || o + 1 >= CERTNO_MAX)
			goto bad;
		if (*p < 0x80) {
			out[o++] = (char)(*p >= 'a' && *p <= 'z' ?
			    *p - 'a' + 'A' : *p);
			p++;
			continue;
		}
		/* Full-width ASCII (U+FF01..U+FF5E), as some input methods
		 * type it: three bytes EF BC xx or EF BD xx. */
		if (end - p >= 3 && p[0] == 0xef && (p[1] == 0xbc ||
		    p[1] == 0xbd) && p[2] >= 0x80 && p[2] <= 0xbf) {
			cp = ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			cp += 0xf000;
			if (cp >= 0xff01 && cp <= 0xff5e) {
				cp -= 0xfee0;
				if (cp >= 'a' && cp <= 'z')
					cp -= 'a' - 'A';
				out[o++] = (char)cp;
				p += 3;
				continue;
			}
		}
		goto bad;
	}
	out[o] = '\0';
	if (certno_valid(out))
		return 0;
bad:
	*out = '\0';
	return -1;
}
