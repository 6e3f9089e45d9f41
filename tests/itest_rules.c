/*
 * itest_rules.c: the same inputs give the same answers through the rules
 * functions, the `zizhi rules` command line and the calculator page (both
 * front doors). Run by tests/integration.sh (ZIZHI_BIN, ZIZHI_SERVE_URL,
 * ZIZHI_FCGI_URL).
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial),
		cmocka_unit_test(test_maintenance_boundaries),
		cmocka_unit_test(test_bad_dates),
	};

	return cmocka_run_group_tests_name("rules: functions = CLI = page",
	    tests, setup, teardown);
}
