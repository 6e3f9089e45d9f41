/*
 * itest_rules.c: the same inputs give the same answers through the rules
 * functions, the `zizhi rules` command line and the calculator page (both
 * front doors); and the command line and the page give the values worked
 * out by hand from the rules (fees, the maintenance window either side of
 * its boundaries, a supplement due date clamped to the month's end, a case
 * clock with pauses). Run by tests/integration.sh (ZIZHI_BIN,
 * ZIZHI_SERVE_URL, ZIZHI_FCGI_URL).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "rules.h"
#include "testlib_http.h"
#include "testlib_json.h"

static struct http_client *doors[2];

static int
setup(void **state)
{
	doors[0] = http_client_new(getenv("ZIZHI_SERVE_URL"));
	doors[1] = http_client_new(getenv("ZIZHI_FCGI_URL"));
	return 0;
}

static int
teardown(void **state)
{
	http_client_free(doors[0]);
	http_client_free(doors[1]);
	return 0;
}

/* Runs `zizhi rules ARGS`; returns its parsed JSON and exit status. */
static struct json *
cli(const char *args, int *status)
{
	struct buf cmd, out;
	char chunk[4096], err[128];
	struct json *j;
	FILE *p;
	size_t n;
	int rc;

	buf_init(&cmd);
	buf_init(&out);
	buf_printf(&cmd, "%s rules %s 2>/dev/null", getenv("ZIZHI_BIN"), args);
	p = popen(cmd.p, "r");
	assert_non_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&out, chunk, n);
	rc = pclose(p);
	*status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	j = out.n > 0 ? json_parse(out.p, out.n, err, sizeof(err)) : NULL;
	buf_free(&cmd);
	buf_free(&out);
	return j;
}

/* The data-value of data-rule="name" in a page, or NULL. */
static char *
page_value(const struct http_resp *r, const char *name)
{
	char key[64];
	const char *p, *q;

	snprintf(key, sizeof(key), "data-rule=\"%s\" data-value=\"", name);
	if ((p = strstr(r->body.p, key)) == NULL)
		return NULL;
	p += strlen(key);
	if ((q = strchr(p, '"')) == NULL)
		return NULL;
	return xstrndup(p, (size_t)(q - p));
}

static void
expect_page_value(const struct http_resp *r, const char *name,
    const char *want, const char *what)
{
	char *got = page_value(r, name);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: page %s = %s, want %s", what, name,
		    got ? got : "(missing)", want);
	free(got);
}

static void
check_maintenance(const char *expiry, const char *filed)
{
	const struct rules *r = rules_default();
	struct rules_window w;
	struct rules_fee f;
	struct json *jfee, *jwin;
	struct http_resp resp;
	char args[128], path[256], what[128], num[32], d[DATE_BUFSZ];
	zdate e, fi;
	int status, i;

	snprintf(what, sizeof(what), "maintenance %s %s", expiry, filed);
	assert_int_equal(date_parse(expiry, &e), 0);
	assert_int_equal(date_parse(filed, &fi), 0);
	rules_fee_maintenance(r, e, fi, &f);
	rules_maint_window(r, e, fi, &w);

	/* The command line. */
	snprintf(args, sizeof(args), "fee maintenance %s %s", expiry, filed);
	jfee = cli(args, &status);
	assert_int_equal(status, 0);
	assert_non_null(jfee);
	assert_int_equal((long long)json_number(json_get(jfee, "audit"), -1),
	    f.audit);
	assert_int_equal((long long)json_number(json_get(jfee, "annual"), -1),
	    f.annual);
	assert_int_equal((long long)json_number(json_get(jfee, "total"), -1),
	    f.total);
	assert_string_equal(json_string(json_get(jfee, "treated_as")),
	    rules_apptype_code(f.treated_as));
	snprintf(args, sizeof(args), "window %s %s", expiry, filed);
	jwin = cli(args, &status);
	assert_int_equal(status, 0);
	assert_non_null(jwin);
	assert_string_equal(json_string(json_get(jwin, "class")),
	    rules_maint_class_code(w.class));
	assert_string_equal(json_string(json_get(jwin, "on_time_until")),
	    date_format(w.on_time_until, d));
	assert_int_equal((long long)json_number(json_get(jwin, "fee_total"),
	    -1), f.total);

	/* The page, through both doors. */
	snprintf(path, sizeof(path),
	    "/calculator?type=maintenance&expiry=%s&filed=%s", expiry, filed);
	for (i = 0; i < 2; i++) {
		http_get(doors[i], path, &resp);
		assert_int_equal(resp.status, 200);
		expect_page_value(&resp, "class",
		    rules_maint_class_code(w.class), what);
		expect_page_value(&resp, "on_time_until",
		    date_format(w.on_time_until, d), what);
		expect_page_value(&resp, "treated_as",
		    rules_apptype_code(f.treated_as), what);
		snprintf(num, sizeof(num), "%lld", (long long)f.audit);
		expect_page_value(&resp, "audit", num, what);
		snprintf(num, sizeof(num), "%lld", (long long)f.annual);
		expect_page_value(&resp, "annual", num, what);
		snprintf(num, sizeof(num), "%lld", (long long)f.total);
		expect_page_value(&resp, "total", num, what);
		http_resp_free(&resp);
	}
	json_free(jfee);
	json_free(jwin);
}

/* Each classification on and either side of its boundary days. */
static void
test_maintenance_boundaries(void **state)
{
	static const char *cases[][2] = {
		/* expiry 2027-08-31: on time until 2027-02-28, maintenance
		 * until 2028-02-29 (leap year), initial after. */
		{ "2027-08-31", "2027-02-27" },
		{ "2027-08-31", "2027-02-28" },
		{ "2027-08-31", "2027-03-01" },
		{ "2027-08-31", "2027-08-31" },
		{ "2027-08-31", "2028-02-29" },
		{ "2027-08-31", "2028-03-01" },
		{ "2026-12-31", "2026-06-30" },
		{ "2026-12-31", "2026-07-01" },
		{ "2026-12-31", "2027-06-30" },
		{ "2026-12-31", "2027-07-01" },
		{ "2030-03-15", "2021-01-01" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_maintenance(cases[i][0], cases[i][1]);
}

static void
test_initial(void **state)
{
	const struct rules *r = rules_default();
	struct rules_fee f;
	struct http_resp resp;
	struct json *j;
	char num[32];
	int status, i;

	rules_fee_initial(r, &f);
	j = cli("fee initial", &status);
	assert_int_equal(status, 0);
	assert_int_equal((long long)json_number(json_get(j, "total"), -1),
	    f.total);
	assert_string_equal(json_string(json_get(j, "treated_as")), "initial");
	json_free(j);
	for (i = 0; i < 2; i++) {
		http_get(doors[i], "/calculator?type=initial", &resp);
		assert_int_equal(resp.status, 200);
		snprintf(num, sizeof(num), "%lld", (long long)f.total);
		expect_page_value(&resp, "total", num, "initial");
		expect_page_value(&resp, "treated_as", "initial", "initial");
		assert_true(http_body_has(&resp, "87,000.00"));
		http_resp_free(&resp);
	}
}

/* A bad date: the CLI exits 2; the page says what is wrong, next to the
 * field, keeps what was typed, and answers 400. */
static void
test_bad_dates(void **state)
{
	struct http_resp resp;
	struct json *j;
	int status, i;

	j = cli("window 2027-02-30 2026-01-01", &status);
	assert_int_equal(status, 2);
	json_free(j);
	j = cli("fee maintenance 2027-08-31 tomorrow", &status);
	assert_int_equal(status, 2);
	json_free(j);
	for (i = 0; i < 2; i++) {
		http_get(doors[i], "/calculator?type=maintenance&expiry="
		    "2027-02-30&filed=", &resp);
		assert_int_equal(resp.status, 400);
		assert_true(http_body_has(&resp, "“2027-02-30”不是有效日期"));
		assert_true(http_body_has(&resp, "请填写计划提交日期"));
		assert_true(http_body_has(&resp, "value=\"2027-02-30\""));
		assert_true(http_body_has(&resp, "<a href=\"#expiry\">"));
		assert_null(strstr(resp.body.p, "data-rule=\"total\""));
		http_resp_free(&resp);
	}
}

/*
 * Worked by hand from /work/shared/domain.md ("Rules with numbers", "Day
 * conventions"), not from the code. Money in 分 as the command line and
 * the page's data-value print it: initial 72,000 + 15,000 = 87,000 元,
 * maintenance 48,000 + 15,000 = 63,000 元.
 */

/* Runs `zizhi rules args`: it must exit 0 and its JSON have each key of
 * kv (key, value pairs, NULL-terminated) with that value as written. */
static void
cli_gives(const char *args, const char *const *kv)
{
	const struct json *v;
	struct json *j;
	int status;

	j = cli(args, &status);
	if (status != 0 || j == NULL)
		fail_msg("zizhi rules %s: exit %d", args, status);
	for (; kv[0] != NULL; kv += 2) {
		v = json_get(j, kv[0]);
		if (v == NULL || (v->type != JSON_STRING &&
		    v->type != JSON_NUMBER) || strcmp(v->str, kv[1]) != 0)
			fail_msg("zizhi rules %s: %s is %s, want %s", args,
			    kv[0], v && v->str ? v->str : "(none)", kv[1]);
	}
	json_free(j);
}

/* The calculator page at path, through both doors: 200, each data-rule
 * of kv with that data-value, and the text shown (the total in 元). */
static void
page_gives(const char *path, const char *const *kv, const char *shown)
{
	struct http_resp r;
	int i;
	const char *const *p;

	for (i = 0; i < 2; i++) {
		http_get(doors[i], path, &r);
		assert_int_equal(r.status, 200);
		for (p = kv; p[0] != NULL; p += 2)
			expect_page_value(&r, p[0], p[1], path);
		if (!http_body_has(&r, shown))
			fail_msg("%s: no \"%s\"", path, shown);
		http_resp_free(&r);
	}
}

static void
test_worked_fees(void **state)
{
	const char *const initial[] = { "audit", "7200000", "annual",
	    "1500000", "total", "8700000", "treated_as", "initial", NULL };
	const char *const maint[] = { "audit", "4800000", "annual", "1500000",
	    "total", "6300000", "treated_as", "maintenance", NULL };

	cli_gives("fee initial", initial);
	page_gives("/calculator?type=initial", initial, "87,000.00");
	/* Filed on the last on-time day of a certificate expiring
	 * 2027-08-31: 2027-08-31 − 6 months = 2027-02-31, clamped to 28. */
	cli_gives("fee maintenance 2027-08-31 2027-02-28", maint);
	page_gives("/calculator?type=maintenance&expiry=2027-08-31&filed="
	    "2027-02-28", maint, "63,000.00");
}

/* The maintenance window of a certificate expiring 2027-08-31: on time
 * up to 2027-02-28, late (still the maintenance fee) up to 2028-02-29
 * (+ 6 months, clamped in a leap year), an initial application after. */
static void
test_worked_window(void **state)
{
	static const struct {
		const char	*filed, *class, *total, *treated_as, *shown;
	} w[] = {
		{ "2027-02-28", "on_time", "6300000", "maintenance",
		    "63,000.00" },
		{ "2027-03-01", "late", "6300000", "maintenance", "63,000.00" },
		{ "2028-02-29", "late", "6300000", "maintenance", "63,000.00" },
		{ "2028-03-01", "initial", "8700000", "initial", "87,000.00" },
	};
	char args[96], path[160];
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		const char *const cli_kv[] = { "class", w[i].class,
		    "on_time_until", "2027-02-28", "fee_total", w[i].total,
		    NULL };
		const char *const page_kv[] = { "class", w[i].class,
		    "on_time_until", "2027-02-28", "late_until", "2028-02-29",
		    "treated_as", w[i].treated_as, "total", w[i].total, NULL };

		snprintf(args, sizeof(args), "window 2027-08-31 %s",
		    w[i].filed);
		cli_gives(args, cli_kv);
		snprintf(path, sizeof(path), "/calculator?type=maintenance&"
		    "expiry=2027-08-31&filed=%s", w[i].filed);
		page_gives(path, page_kv, w[i].shown);
	}
}

/* The calculator page has neither the supplement due date nor the case
 * clock: these are checked on the command line only. */
static void
test_worked_deadline_clock(void **state)
{
	/* One calendar month on; 2027-02-31 clamps to 2027-02-28. */
	const char *const due1[] = { "due", "2027-02-28", NULL };
	const char *const due2[] = { "due", "2028-02-29", NULL };
	const char *const due3[] = { "due", "2027-01-31", NULL };
	/*
	 * Submitted 2027-01-31, paused 2027-02-10..2027-02-20 (10 days).
	 * On 2027-05-10: 99 days elapsed (28 + 31 + 30 + 10), 89 net.
	 * Target 2027-01-31 + 3 months = 2027-04-30 (clamped) + 10 days =
	 * 2027-05-10; limit 2027-07-31 + 10 = 2027-08-10. The target's net
	 * days are 89: 89 is over two thirds of it (at risk), not over it;
	 * a day later, 90, is over the target.
	 */
	const char *const clk1[] = { "net_days", "89", "paused_days", "10",
	    "target", "2027-05-10", "limit", "2027-08-10", "state", "at_risk",
	    NULL };
	const char *const clk2[] = { "net_days", "90", "paused_days", "10",
	    "target", "2027-05-10", "limit", "2027-08-10", "state",
	    "over_target", NULL };
	/* And a second pause still open on 2027-03-30 (since 03-20: 10
	 * days): 58 days elapsed, 20 paused, 38 net; target 2027-05-20,
	 * limit 2027-08-20; 38 is not over two thirds of 89. */
	const char *const clk3[] = { "net_days", "38", "paused_days", "20",
	    "target", "2027-05-20", "limit", "2027-08-20", "state",
	    "on_track", NULL };

	cli_gives("deadline 2027-01-31", due1);
	cli_gives("deadline 2028-01-31", due2);
	cli_gives("deadline 2026-12-31", due3);
	cli_gives("clock 2027-01-31 2027-05-10 2027-02-10..2027-02-20", clk1);
	cli_gives("clock 2027-01-31 2027-05-11 2027-02-10..2027-02-20", clk2);
	cli_gives("clock 2027-01-31 2027-03-30 2027-02-10..2027-02-20 "
	    "2027-03-20..", clk3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial),
		cmocka_unit_test(test_maintenance_boundaries),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_worked_fees),
		cmocka_unit_test(test_worked_window),
		cmocka_unit_test(test_worked_deadline_clock),
	};

	return cmocka_run_group_tests_name("rules: functions = CLI = page",
	    tests, setup, teardown);
}
