/*
 * test_opts.c: the command line's clock and site address (issue 19):
 * `zizhi serve --now YYYY-MM-DD[THH:MM]` moves the request clock for
 * development, `zizhi fcgi` refuses it with a message, and `zizhi sweep`
 * refuses to run without the public URL its mail links to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "date.h"
#include "opts.h"

/* Runs fn(argc, argv) with stderr into msg; its result. */
static int
captured(int (*fn)(int, char **), int argc, char **argv, char *msg,
    size_t len)
{
	FILE *err = tmpfile();
	int saved, rc;
	size_t n;

	assert_non_null(err);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(err), 2);
	rc = fn(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(err);
	n = fread(msg, 1, len - 1, err);
	msg[n] = '\0';
	fclose(err);
	return rc;
}

static int	parse_serve(int argc, char **argv);
static int	parse_fcgi(int argc, char **argv);
static struct opts o;

static int
parse_serve(int argc, char **argv)
{
	return opts_parse(&o, argc, argv, OPT_DB | OPT_LISTEN | OPT_NOW);
}

static int
parse_fcgi(int argc, char **argv)
{
	return opts_parse(&o, argc, argv, OPT_DB | OPT_SOCKET |
	    OPT_PUBLIC_URL);
}

static void
test_moment(void **state)
{
	long long t, real = (long long)date_from_ymd(2026, 12, 6) * 86400 +
	    3 * 3600 + 25 * 60;	/* 11:25 in Beijing */

	/* A time given: that minute in Beijing. */
	assert_int_equal(opts_moment("2027-03-15T09:30", real, &t), 0);
	assert_int_equal(t, (long long)date_from_ymd(2027, 3, 15) * 86400 +
	    90 * 60);
	/* A day alone: the real time of day on it. */
	assert_int_equal(opts_moment("2027-03-15", real, &t), 0);
	assert_int_equal(t, (long long)date_from_ymd(2027, 3, 15) * 86400 +
	    3 * 3600 + 25 * 60);
	assert_int_equal(date_of_unix(t), date_from_ymd(2027, 3, 15));
	/* Not a moment. */
	assert_int_equal(opts_moment("2027-02-30", real, &t), -1);
	assert_int_equal(opts_moment("2027-03-15T24:00", real, &t), -1);
	assert_int_equal(opts_moment("2027-03-15 09:30", real, &t), -1);
	assert_int_equal(opts_moment("2027-03-15T9:30", real, &t), -1);
	assert_int_equal(opts_moment("", real, &t), -1);
}

static void
test_serve_now(void **state)
{
	char *argv[] = { "serve", "--now", "2030-04-30T08:00", NULL };
	char *bad[] = { "serve", "--now", "30/4/2030", NULL };
	char *fcgi[] = { "fcgi", "--now", "2030-04-30", "--public-url",
	    "https://zizhi.example.cn", NULL };
	char msg[512];
	long long want;

	assert_int_equal(captured(parse_serve, 3, argv, msg, sizeof(msg)), 0);
	assert_string_equal(o.now, "2030-04-30T08:00");
	want = (long long)date_from_ymd(2030, 4, 30) * 86400;
	/* The offset brings the real clock to the moment (seconds pass
	 * while the test runs). */
	assert_true(llabs((long long)time(NULL) + o.clock_offset - want) <
	    60);
	assert_int_equal(captured(parse_serve, 3, bad, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "YYYY-MM-DD"));
	/* fcgi: refused, saying why. */
	assert_int_equal(captured(parse_fcgi, 5, fcgi, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "--now"));
	assert_non_null(strstr(msg, "zizhi serve"));
	assert_int_equal(captured(cli_fcgi, 5, fcgi, msg, sizeof(msg)), 2);
	assert_non_null(strstr(msg, "development"));
}

static void
test_sweep_public_url(void **state)
{
	char *argv[] = { "sweep", "--db", "/nonexistent/zizhi.db", NULL };
	char *bad[] = { "sweep", "--db", "/nonexistent/zizhi.db",
	    "--public-url", "zizhi.example.cn/", NULL };
	char msg[512];

	unsetenv("ZIZHI_PUBLIC_URL");
	assert_int_equal(captured(cli_sweep, 3, argv, msg, sizeof(msg)), 2);
	assert_non_null(strstr(msg, "--public-url"));
	assert_non_null(strstr(msg, "ZIZHI_PUBLIC_URL"));
	assert_int_equal(captured(cli_sweep, 5, bad, msg, sizeof(msg)), 2);
	assert_non_null(strstr(msg, "without a trailing slash"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moment),
		cmocka_unit_test(test_serve_now),
		cmocka_unit_test(test_sweep_public_url),
	};

	return cmocka_run_group_tests_name("command-line clock and site",
	    tests, NULL, NULL);
}
