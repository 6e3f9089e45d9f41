/*
 * date.c: calendar dates as day numbers (see date.h).
 *
 * The conversions are Howard Hinnant's days_from_civil and
 * civil_from_days, in 64-bit arithmetic so that no intermediate value
 * overflows for any zdate.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

int
date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
date_days_in_month(int year, int month)
{
	static const int dim[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return dim[month - 1];
}

int
date_valid_ymd(int year, int month, int day)
{
	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return 0;
	if (month < 1 || month > 12)
		return 0;
	return day >= 1 && day <= date_days_in_month(year, month);
}

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

zdate
date_from_ymd(int year, int month, int day)
{
	return (zdate)days_from_civil(year, month, day);
}

void
date_to_ymd(zdate d, int *year, int *month, int *day)
{
	int64_t y, m, dd;

	civil_from_days(d, &y, &m, &dd);
	*year = (int)y;
	*month = (int)m;
	*day = (int)dd;
}

/* The value of n ASCII digits at s, or -1 if one of them is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int
date_parse(const char *s, zdate *out)
{
	int y, m, d, i;

	if (s == NULL)
		return -1;
	/* Check the shape first, so that a short string is never overread. */
	for (i = 0; i < 10; i++) {
		if (s[i] == '\0')
			return -1;
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	if (s[10] != '\0')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (!date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

/*
 * Digits by hand: pages format dozens of dates and times each, and
 * printf's machinery costs ten times the arithmetic (docs/performance.md).
 */
static char *
put_digits(char *p, int v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* "YYYY-MM-DD" at p (a year of 0..9999); returns the end. */
static char *
put_ymd(char *p, int y, int m, int d)
{
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	return put_digits(p, d, 2);
}

/* "年M月D日" at p (no leading zeros, as people write a date); returns
 * the end. */
static char *
put_zh_md(char *p, int m, int d)
{
	static const char nian[] = "年", yue[] = "月", ri[] = "日";

	memcpy(p, nian, sizeof(nian) - 1);
	p = put_digits(p + sizeof(nian) - 1, m, m < 10 ? 1 : 2);
	memcpy(p, yue, sizeof(yue) - 1);
	p = put_digits(p + sizeof(yue) - 1, d, d < 10 ? 1 : 2);
	memcpy(p, ri, sizeof(ri) - 1);
	return p + sizeof(ri) - 1;
}

char *
date_deadline_zh(const char *ymd, char *buf)
{
	zdate d;
	int y, m, dd;

	if (ymd == NULL || date_parse(ymd, &d) != 0) {
		snprintf(buf, DATE_ZH_BUFSZ, "%s", ymd ? ymd : "");
		return buf;
	}
	date_to_ymd(d, &y, &m, &dd);
	snprintf(buf, DATE_ZH_BUFSZ, "%d年%d月%d日（含当日）前", y, m, dd);
	return buf;
}

char *
date_format(zdate d, char *buf)
{
	int y, m, dd;

	if (d == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999)
		snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, dd);
	else
		*put_ymd(buf, y, m, dd) = '\0';
	return buf;
}

char *
date_zh(zdate d, char *buf)
{
	int y, m, dd;

	if (d == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(d, &y, &m, &dd);
	if (y < 1000 || y > 9999) {
		snprintf(buf, DATE_BUFSZ, "%d年%d月%d日", y, m, dd);
		return buf;
	}
	*put_zh_md(put_digits(buf, y, 4), m, dd) = '\0';
	return buf;
}

/* Up to max ASCII digits at *p as a number; advances *p. -1 if none. */
static int
take_num(const char **p, int max)
{
	int v = 0, n = 0;

	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n == 0 ? -1 : v;
}

/* Skips the separator sep (a string) at *p: 1 if it was there. */
static int
take_sep(const char **p, const char *sep)
{
	size_t n = strlen(sep);

	if (strncmp(*p, sep, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int
date_parse_loose(const char *s, zdate *out)
{
	static const char *const seps[] = { "-", "/", ".", NULL };
	const char *p = s;
	int y, m, d, i;

	if (s == NULL)
		return -1;
	if (strlen(s) == 8 && strspn(s, "0123456789") == 8) {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
		goto check;
	}
	if ((y = take_num(&p, 4)) < 0 || p - s != 4)
		return -1;
	if (take_sep(&p, "年")) {
		if ((m = take_num(&p, 2)) < 0 || !take_sep(&p, "月") ||
		    (d = take_num(&p, 2)) < 0)
			return -1;
		if (!take_sep(&p, "日"))
			(void)take_sep(&p, "号");
		goto end;
	}
	for (i = 0; seps[i] != NULL; i++)
		if (take_sep(&p, seps[i]))
			break;
	if (seps[i] == NULL || (m = take_num(&p, 2)) < 0 ||
	    !take_sep(&p, seps[i]) || (d = take_num(&p, 2)) < 0)
		return -1;
end:
	if (*p != '\0')
		return -1;
check:
	if (!date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

zdate
date_add_months(zdate d, int n)
{
	int y, m, dd, dim;
	int64_t total, ny, nm;

	date_to_ymd(d, &y, &m, &dd);
	total = (int64_t)y * 12 + (m - 1) + n;
	ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
	nm = total - ny * 12 + 1;
	dim = date_days_in_month((int)ny, (int)nm);
	if (dd > dim)
		dd = dim;
	return (zdate)days_from_civil(ny, nm, dd);
}

zdate
date_add_years(zdate d, int n)
{
	return date_add_months(d, (int)((int64_t)n * 12));
}

int32_t
date_diff_days(zdate from, zdate to)
{
	return (int32_t)((int64_t)to - (int64_t)from);
}

/* Floor division, for moments before 1970. */
static long long
floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

zdate
date_of_unix(long long t)
{
	return (zdate)floor_div(t + 8 * 3600, 86400);
}

char *
date_day(long long t, char *buf)
{
	return date_format(date_of_unix(t), buf);
}

char *
date_stamp(long long t, char *buf)
{
	long long day = floor_div(t, 86400), sec = t - day * 86400;
	int y, m, d;
	char *p;

	date_to_ymd((zdate)day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02dZ", y,
		    m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    (int)(sec % 60));
		return buf;
	}
	p = put_ymd(buf, y, m, d);
	*p++ = 'T';
	p = put_digits(p, (int)(sec / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec % 60), 2);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}


char *
date_stamp_local(const char *stamp, char *buf)
{
	int y, mo, d, h, mi, s;
	char *p;

	if (stamp == NULL || strlen(stamp) != 20 || stamp[4] != '-' ||
	    stamp[7] != '-' || stamp[10] != 'T' || stamp[13] != ':' ||
	    stamp[16] != ':' || stamp[19] != 'Z')
		return NULL;
	y = digits(stamp, 4);
	mo = digits(stamp + 5, 2);
	d = digits(stamp + 8, 2);
	h = digits(stamp + 11, 2);
	mi = digits(stamp + 14, 2);
	s = digits(stamp + 17, 2);
	if (!date_valid_ymd(y, mo, d) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || s < 0 || s > 60)
		return NULL;
	/* Eight hours later: the same day until 16:00 UTC, else the next
	 * (a page shows dozens of times: no day numbers needed). */
	if ((h += 8) >= 24) {
		h -= 24;
		if (d < date_days_in_month(y, mo))
			d++;
		else if (mo < 12) {
			mo++;
			d = 1;
		} else {
			y++;
			mo = d = 1;
		}
	}
	if (y > 9999) {	/* 9999-12-31 16:00Z and later */
		snprintf(buf, DATE_BUFSZ, "%d-%02d-%02d %02d:%02d", y, mo, d,
		    h, mi);
		return buf;
	}
	p = put_ymd(buf, y, mo, d);
	*p++ = ' ';
	p = put_digits(p, h, 2);
	*p++ = ':';
	p = put_digits(p, mi, 2);
	*p = '\0';
	return buf;
}
