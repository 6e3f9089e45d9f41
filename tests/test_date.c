/*
 * test_date.c: calendar dates (src/date.c): leap years, parsing,
 * formatting, month arithmetic with end-of-month clamping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A date that must parse (the tables below are all valid input). */
static zdate
D(const char *s)
{
	zdate d = DATE_NONE;

	if (date_parse(s, &d) != 0)
		fail_msg("test table date \"%s\" does not parse", s);
	return d;
}

static void
test_leap(void **state)
{
	static const struct { int year, leap; } t[] = {
		{ 1900, 0 }, { 1904, 1 }, { 2000, 1 }, { 2023, 0 },
		{ 2024, 1 }, { 2026, 0 }, { 2028, 1 }, { 2100, 0 },
		{ 2400, 1 }, { 9996, 1 }, { 9999, 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		if (date_is_leap(t[i].year) != t[i].leap)
			fail_msg("leap(%d) != %d", t[i].year, t[i].leap);
		assert_int_equal(date_days_in_month(t[i].year, 2),
		    t[i].leap ? 29 : 28);
	}
	assert_int_equal(date_days_in_month(2026, 1), 31);
	assert_int_equal(date_days_in_month(2026, 4), 30);
	assert_int_equal(date_days_in_month(2026, 12), 31);
	assert_int_equal(date_days_in_month(2026, 0), 0);
	assert_int_equal(date_days_in_month(2026, 13), 0);
}

static void
test_day_numbers(void **state)
{
	static const struct { int y, m, d; int32_t n; } t[] = {
		{ 1970, 1, 1, 0 },
		{ 1969, 12, 31, -1 },
		{ 1900, 1, 1, -25567 },
		{ 2000, 3, 1, 11017 },
		{ 2026, 1, 1, 20454 },
		{ 9999, 12, 31, 2932896 },
	};
	size_t i;
	int y, m, d, py, pm, pd;
	zdate n, first, last;

	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(date_from_ymd(t[i].y, t[i].m, t[i].d),
		    t[i].n);
		date_to_ymd(t[i].n, &y, &m, &d);
		assert_int_equal(y, t[i].y);
		assert_int_equal(m, t[i].m);
		assert_int_equal(d, t[i].d);
	}

	/* Every day from 1900 to 9999 follows the one before it. */
	first = date_from_ymd(1900, 1, 1);
	last = date_from_ymd(9999, 12, 31);
	date_to_ymd(first, &py, &pm, &pd);
	for (n = first + 1; n <= last; n++) {
		date_to_ymd(n, &y, &m, &d);
		if (d == pd + 1 && m == pm && y == py)
			;
		else if (d == 1 && pd == date_days_in_month(py, pm) &&
		    ((m == pm + 1 && y == py) ||
		     (m == 1 && pm == 12 && y == py + 1)))
			;
		else
			fail_msg("day %ld: %d-%d-%d after %d-%d-%d",
			    (long)n, y, m, d, py, pm, pd);
		assert_int_equal(date_from_ymd(y, m, d), n);
		py = y, pm = m, pd = d;
	}
}

static void
test_parse_format(void **state)
{
	static const struct { const char *in; int ok; } t[] = {
		{ "2026-02-28", 1 },
		{ "2026-02-30", 0 },	/* not a real date */
		{ "2026-02-29", 0 },	/* 2026 is not leap */
		{ "2024-02-29", 1 },
		{ "1900-02-29", 0 },	/* 1900 is not leap */
		{ "2000-02-29", 1 },	/* 2000 is */
		{ "2026-04-31", 0 },
		{ "2026-12-31", 1 },
		{ "2026-13-01", 0 },
		{ "2026-00-10", 0 },
		{ "2026-01-00", 0 },
		{ "2026-01-32", 0 },
		{ "1900-01-01", 1 },
		{ "1899-12-31", 0 },	/* before 1900 */
		{ "9999-12-31", 1 },
		{ "10000-01-01", 0 },
		{ "2026-2-3", 0 },	/* not zero-padded */
		{ "2026-02-3", 0 },
		{ "26-02-03", 0 },
		{ "2026-02-03x", 0 },	/* trailing junk */
		{ "2026-02-03 ", 0 },
		{ "2026-02-03T00:00", 0 },
		{ " 2026-02-03", 0 },
		{ "2026/02/03", 0 },
		{ "20260203", 0 },
		{ "+026-02-03", 0 },
		{ "2026-+2-03", 0 },
		{ "2026-0x-03", 0 },
		{ "", 0 },
		{ "2026-02-", 0 },
		{ "\xef\xbc\x92" "026-02-03", 0 },	/* full-width digit */
	};
	char buf[DATE_BUFSZ];
	size_t i;
	zdate d;
	int rc;

	for (i = 0; i < NELEM(t); i++) {
		d = 12345;
		rc = date_parse(t[i].in, &d);
		if (t[i].ok) {
			if (rc != 0)
				fail_msg("\"%s\" should parse", t[i].in);
			assert_string_equal(date_format(d, buf), t[i].in);
		} else {
			if (rc != -1)
				fail_msg("\"%s\" should not parse", t[i].in);
			assert_int_equal(d, 12345);	/* untouched */
		}
	}
	assert_int_equal(date_parse(NULL, &d), -1);
	assert_string_equal(date_format(0, buf), "1970-01-01");
	assert_string_equal(date_format(DATE_NONE, buf), "");
	assert_int_equal(date_valid_ymd(2026, 2, 28), 1);
	assert_int_equal(date_valid_ymd(2026, 2, 29), 0);
	assert_int_equal(date_valid_ymd(1899, 12, 31), 0);
}

static void
test_add_months(void **state)
{
	static const struct { const char *from; int n; const char *to; } t[] = {
		{ "2026-08-31", 6, "2027-02-28" },	/* domain.md */
		{ "2027-08-31", 6, "2028-02-29" },	/* domain.md, leap */
		{ "2026-01-31", 1, "2026-02-28" },
		{ "2028-01-31", 1, "2028-02-29" },
		{ "1900-01-31", 1, "1900-02-28" },	/* 1900 not leap */
		{ "2000-01-31", 1, "2000-02-29" },	/* 2000 leap */
		{ "2100-01-31", 1, "2100-02-28" },
		{ "2026-03-31", 1, "2026-04-30" },
		{ "2026-05-31", 1, "2026-06-30" },
		{ "2026-01-30", 1, "2026-02-28" },
		{ "2026-01-28", 1, "2026-02-28" },
		{ "2026-12-31", 1, "2027-01-31" },	/* year end */
		{ "2026-12-15", 1, "2027-01-15" },
		{ "2026-11-30", 3, "2027-02-28" },
		{ "2026-01-10", 3, "2026-04-10" },
		{ "2026-01-10", 24, "2028-01-10" },
		{ "2026-06-15", 0, "2026-06-15" },
		/* Subtracting clamps the same way. */
		{ "2026-03-31", -1, "2026-02-28" },
		{ "2024-03-31", -1, "2024-02-29" },
		{ "2027-02-28", -6, "2026-08-28" },	/* not the inverse */
		{ "2026-08-31", -6, "2026-02-28" },
		{ "2028-08-31", -6, "2028-02-29" },
		{ "2026-05-31", -6, "2025-11-30" },
		{ "2026-01-15", -1, "2025-12-15" },
		{ "2026-01-10", -25, "2023-12-10" },
		{ "2026-01-10", -12, "2025-01-10" },
	};
	char buf[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		date_format(date_add_months(D(t[i].from), t[i].n), buf);
		if (strcmp(buf, t[i].to) != 0)
			fail_msg("%s %+d months = %s, expected %s",
			    t[i].from, t[i].n, buf, t[i].to);
	}
}

static void
test_add_years(void **state)
{
	static const struct { const char *from; int n; const char *to; } t[] = {
		{ "2024-02-29", 1, "2025-02-28" },
		{ "2024-02-29", 4, "2028-02-29" },
		{ "2024-02-29", 3, "2027-02-28" },
		{ "2026-06-30", 6, "2032-06-30" },
		{ "2026-03-15", 3, "2029-03-15" },
		{ "2000-02-29", -100, "1900-02-28" },
		{ "1900-03-01", 100, "2000-03-01" },
	};
	char buf[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		date_format(date_add_years(D(t[i].from), t[i].n), buf);
		if (strcmp(buf, t[i].to) != 0)
			fail_msg("%s %+d years = %s, expected %s",
			    t[i].from, t[i].n, buf, t[i].to);
	}
}

static void
test_diff_days(void **state)
{
	static const struct { const char *a, *b; int32_t n; } t[] = {
		{ "2026-01-01", "2026-01-01", 0 },
		{ "2026-01-01", "2026-01-02", 1 },
		{ "2026-01-02", "2026-01-01", -1 },
		{ "2026-01-01", "2026-12-31", 364 },
		{ "2026-01-01", "2027-01-01", 365 },
		{ "2024-01-01", "2025-01-01", 366 },
		{ "1900-01-01", "1901-01-01", 365 },
		{ "2000-01-01", "2001-01-01", 366 },
		{ "2026-01-31", "2026-03-01", 29 },
		{ "2028-01-31", "2028-03-01", 30 },
		{ "1900-01-01", "9999-12-31", 2958463 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		if (date_diff_days(D(t[i].a), D(t[i].b)) != t[i].n)
			fail_msg("%s → %s: %ld days, expected %ld", t[i].a,
			    t[i].b, (long)date_diff_days(D(t[i].a), D(t[i].b)),
			    (long)t[i].n);
}

/* Moments: Shanghai dates and UTC stamps by arithmetic, checked against
 * hand-worked values (1796486400 is 2026-12-05T16:00:00Z, which is
 * 2026-12-06 00:00 in Beijing). */
static void
test_moments(void **state)
{
	char b[DATE_BUFSZ];

	assert_string_equal(date_stamp(0, b), "1970-01-01T00:00:00Z");
	assert_string_equal(date_stamp(1796486400LL, b),
	    "2026-12-05T16:00:00Z");
	assert_string_equal(date_day(1796486400LL, b), "2026-12-06");
	assert_string_equal(date_day(1796486399LL, b), "2026-12-05");
	assert_string_equal(date_stamp(-1, b), "1969-12-31T23:59:59Z");
	assert_string_equal(date_day(-8 * 3600, b), "1970-01-01");
	assert_string_equal(date_day(-8 * 3600 - 1, b), "1969-12-31");
	/* 2028-02-29 exists; its last second in Beijing. */
	assert_string_equal(date_day(1835452799LL, b), "2028-02-29");
	assert_string_equal(date_stamp_local("2026-11-26T16:30:00Z", b),
	    "2026-11-27 00:30");
	assert_string_equal(date_stamp_local("2026-12-31T15:59:59Z", b),
	    "2026-12-31 23:59");
	assert_string_equal(date_stamp_local("2026-12-31T16:00:00Z", b),
	    "2027-01-01 00:00");
	assert_null(date_stamp_local("2026-02-30T16:00:00Z", b));
	assert_null(date_stamp_local("2026-11-26 16:30:00", b));
	assert_null(date_stamp_local("2026-11-26T24:00:00Z", b));
	assert_null(date_stamp_local("", b));
	assert_null(date_stamp_local(NULL, b));
}

/* The digits written by hand (numeric and in words) agree with
 * printf's, every 7 hours 13 minutes from 1900 to 2101, and at the ends
 * of the year range. */
static void
test_format_digits(void **state)
{
	char b[DATE_BUFSZ], want[64], stamp[DATE_BUFSZ];
	long long t, lt;
	int y, m, d;

	for (t = -2208988800LL; t < 4133980800LL; t += 7 * 3600 + 13 * 60) {
		date_to_ymd((zdate)(t >= 0 ? t / 86400 : (t - 86399) / 86400),
		    &y, &m, &d);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		assert_string_equal(date_format(date_from_ymd(y, m, d), b),
		    want);
		snprintf(want, sizeof(want), "%d年%d月%d日", y, m, d);
		assert_string_equal(date_zh(date_from_ymd(y, m, d), b), want);
		date_stamp(t, stamp);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    y, m, d, (int)(((t % 86400) + 86400) % 86400 / 3600),
		    (int)(((t % 86400) + 86400) % 86400 / 60 % 60),
		    (int)(((t % 86400) + 86400) % 86400 % 60));
		assert_string_equal(stamp, want);
		lt = t + 8 * 3600;
		date_to_ymd((zdate)(lt >= 0 ? lt / 86400 : (lt - 86399) /
		    86400), &y, &m, &d);
		snprintf(want, sizeof(want), "%04d-%02d-%02d %02d:%02d", y, m,
		    d, (int)(((lt % 86400) + 86400) % 86400 / 3600),
		    (int)(((lt % 86400) + 86400) % 86400 / 60 % 60));
		if (y >= DATE_YEAR_MIN)
			assert_string_equal(date_stamp_local(stamp, b), want);
	}
	assert_string_equal(date_format(date_from_ymd(9999, 12, 31), b),
	    "9999-12-31");
	assert_string_equal(date_zh(date_from_ymd(9999, 12, 31), b),
	    "9999年12月31日");
	assert_string_equal(date_zh(date_from_ymd(2026, 1, 9), b),
	    "2026年1月9日");
	assert_string_equal(date_zh(date_from_ymd(999, 10, 1), b),
	    "999年10月1日");
	assert_string_equal(date_zh(DATE_NONE, b), "");
	assert_string_equal(date_stamp_local("9999-12-31T16:00:00Z", b),
	    "10000-01-01 00:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap),
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_add_years),
		cmocka_unit_test(test_diff_days),
		cmocka_unit_test(test_moments),
		cmocka_unit_test(test_format_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
