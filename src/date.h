/*
 * date.h: calendar dates as day numbers (proleptic Gregorian calendar).
 *
 * A zdate is the number of days since 1970-01-01 (which is day 0). There
 * is no time of day and no time zone: a zdate is a calendar date, and the
 * difference of two zdates is a number of days.
 *
 * Day conventions (docs/rules.md, ../shared/domain.md "Day conventions"):
 * adding months keeps the day of the month, and a day that does not exist
 * in the target month clamps to that month's last day (2026-08-31 + 6
 * months = 2027-02-28). Subtracting months clamps the same way. Adding
 * years is adding 12 months per year (2024-02-29 + 1 year = 2025-02-28).
 *
 * Nothing here reads a clock or does I/O.
 */
#ifndef ZIZHI_DATE_H
#define ZIZHI_DATE_H

#include <stdint.h>

typedef int32_t zdate;

/* "No date" (unknown, not given, or a span still open). */
#define DATE_NONE	INT32_MIN

/* Years date_parse() accepts. */
#define DATE_YEAR_MIN	1900
#define DATE_YEAR_MAX	9999

/* Room for date_format() output of any zdate, with its NUL. */
#define DATE_BUFSZ	24

/* 1 for a leap year (divisible by 4, except centuries not divisible by 400). */
int	 date_is_leap(int year);
/* Days in the month (1..12) of year, or 0 for a month out of range. */
int	 date_days_in_month(int year, int month);
/* 1 if year-month-day is a real calendar date with year 1900..9999. */
int	 date_valid_ymd(int year, int month, int day);

/* The day number of a date; the fields must form a real date. */
zdate	 date_from_ymd(int year, int month, int day);
/* The fields of a day number. */
void	 date_to_ymd(zdate d, int *year, int *month, int *day);

/*
 * Parses exactly "YYYY-MM-DD" (four, two and two ASCII digits, no sign,
 * no spaces, nothing after) naming a real date with year 1900..9999.
 * Returns 0 and sets *out, or -1 (and leaves *out alone).
 */
int	 date_parse(const char *s, zdate *out);

/*
 * Writes "YYYY-MM-DD" and a NUL into buf (at least DATE_BUFSZ bytes) and
 * returns buf. Years outside 0..9999 are written with as many digits as
 * needed; DATE_NONE is written as the empty string.
 */
char	*date_format(zdate d, char *buf);

/*
 * Writes a deadline as people read it, "2030年4月30日（含当日）前", into buf
 * (at least DATE_ZH_BUFSZ bytes) and returns buf: the day itself is
 * still in time (deadlines are inclusive, docs/rules.md). A string that
 * is not a date is copied as it is.
 */
#define DATE_ZH_BUFSZ	64
char	*date_deadline_zh(const char *ymd, char *buf);

/*
 * The Chinese way, as the documents write it (GB/T 9704, no leading
 * zeros): "2026年12月6日" and a NUL into buf (DATE_BUFSZ bytes); returns
 * buf. DATE_NONE is the empty string.
 */
char	*date_zh(zdate d, char *buf);

/*
 * Reads a date typed the ways people type one: "2026-03-01", "2026-3-1",
 * "2026/3/1", "2026.3.1", "2026年3月1日" (also "2026年03月01号"), or
 * "20260301". Returns 0 and sets *out for a real date with year
 * 1900..9999; -1 when it is none of these or no such day exists.
 */
int	 date_parse_loose(const char *s, zdate *out);

/* d plus n months (n may be negative), clamped to the month's end. */
zdate	 date_add_months(zdate d, int n);
/* d plus n years, that is plus 12 * n months, clamped the same way. */
zdate	 date_add_years(zdate d, int n);
/* to - from, in days: date_diff_days(d, d + 1) == 1. */
int32_t	 date_diff_days(zdate from, zdate to);

/*
 * Moments. The system's calendar is Asia/Shanghai's (UTC+8, no daylight
 * saving), so the date of unix time t is plain arithmetic, no time-zone
 * database. Timestamps are stored as ISO-8601 UTC text.
 */
/* The calendar date in Asia/Shanghai of unix time t. */
zdate	 date_of_unix(long long t);
/* That date as "YYYY-MM-DD" into buf (DATE_BUFSZ bytes); returns buf. */
char	*date_day(long long t, char *buf);
/* "YYYY-MM-DDTHH:MM:SSZ", UTC, into buf (DATE_BUFSZ bytes); returns buf. */
char	*date_stamp(long long t, char *buf);
/*
 * A stored timestamp ("2026-11-26T16:30:00Z") as Beijing time,
 * "2026-11-27 00:30", into buf (DATE_BUFSZ bytes). Returns buf, or NULL
 * when stamp is not such a timestamp.
 */
char	*date_stamp_local(const char *stamp, char *buf);

#endif
