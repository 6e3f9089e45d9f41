/*
 * itest_archive.c: a closed case's archive and the e-mail outbox, through
 * both doors. The archive is kept six years from the day the case closed
 * (§8): before that an administrator's disposal is refused with the date
 * it becomes possible and nothing is deleted; from that day the form
 * values and the files go, the events and notices stay. Only an
 * administrator sees the archive (the access policy gives no other
 * role its archive part); only an administrator reads the outbox.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib_journey.h"

static const char *urls[2];

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	if (urls[0] == NULL || urls[1] == NULL || getenv("ZIZHI_DB") == NULL) {
		fprintf(stderr, "run under tests/integration.sh\n");
		return -1;
	}
	return 0;
}

/* GET path as c: the status must be want; *r keeps the response. */
static void
get_want(struct http_client *c, const char *path, long want,
    struct http_resp *r)
{
	http_get(c, path, r);
	if (r->status != want)
		fail_msg("GET %s: %ld, want %ld", path, r->status, want);
}

static void
get_status(struct http_client *c, const char *path, long want)
{
	struct http_resp r;

	get_want(c, path, want, &r);
	http_resp_free(&r);
}

/* POST the disposal of case id as c (its token from tokpath), with the
 * confirmation box ticked or not; the status, *r keeps the response. */
static long
dispose(struct http_client *c, const char *tokpath, long long id,
    int confirm, struct http_resp *r)
{
	char path[96], body[128];

	snprintf(path, sizeof(path), "/cases/%lld/archive/dispose", id);
	snprintf(body, sizeof(body), "csrf=%s%s", tj_token(c, tokpath),
	    confirm ? "&confirm=yes" : "");
	http_post_form(c, path, body, r);
	return r->status;
}

/* What of the case is in the database, to compare before and after:
 * counts of rows, by what they are. */
enum {
	K_VALUES, K_ROUND_VALUES, K_CURRENT, K_MATERIALS, K_EVENTS, K_NOTICES,
	K_DISPOSALS, K_N
};
static const struct {
	const char	*table, *before, *after;
} kept_rows[K_N] = {
	{ "form_value", "case_id = ", "" },
	{ "round_value", "round_id IN (SELECT id FROM round WHERE case_id = ",
	    ")" },
	{ "material", "state = 'current' AND case_id = ", "" },
	{ "material", "case_id = ", "" },
	{ "event", "case_id = ", "" },
	{ "notice", "case_id = ", "" },
	{ "disposal", "case_id = ", "" },
};

static void
kept_of(long long id, long long k[K_N])
{
	char sql[256];
	int i;

	for (i = 0; i < K_N; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE "
		    "%s%lld%s", kept_rows[i].table, kept_rows[i].before, id,
		    kept_rows[i].after);
		k[i] = tj_sql_int(sql);
	}
}

static void
assert_kept(long long id, const long long before[K_N])
{
	long long now[K_N];
	int i;

	kept_of(id, now);
	for (i = 0; i < K_N; i++)
		if (now[i] != before[i])
			fail_msg("case %lld: %lld rows in %s (%s...), were "
			    "%lld", id, now[i], kept_rows[i].table,
			    kept_rows[i].before, before[i]);
}

/*
 * Test set-up: the case closes again on day (an SQL date expression):
 * an event appended with that day, the one the archive counts from (the
 * last). Events are append-only, so the day is moved back by adding a
 * later row, not by changing the real closing event. Its actor is the
 * applicant who withdrew the case (other tests expect every event to
 * have one).
 */
static void
closed_on(long long id, const char *day)
{
	char sql[640];

	snprintf(sql, sizeof(sql), "INSERT INTO event(case_id, at, day, "
	    "actor_id, from_status, to_status, reason) SELECT id, %s || "
	    "'T04:00:00Z', %s, created_by, 'withdrawn', 'withdrawn', "
	    "'测试：结束日期提前' FROM cases WHERE id = %lld", day, day, id);
	tj_sql(sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM event WHERE case_id "
	    "= %lld AND actor_id IS NOT NULL AND day = %s", id, day);
	assert_int_equal(tj_sql_int(sql), 1);
}

/* The day six years after day (YYYY-MM-DD), as the rules count it: the
 * same month and day, 29 February becoming the 28th. */
static void
six_years_on(const char *day, char out[32])
{
	snprintf(out, 32, "%04d%.6s", (atoi(day) + 6) % 10000,
	    strcmp(day + 4, "-02-29") == 0 ? "-02-28" : day + 4);
}

static void
test_dispose(void **state)
{
	struct http_client *app, *admin, *sup, *lead;
	struct http_resp r;
	long long before[K_N], after[K_N];
	char e[128], path[96], arch[96], q[160], from[32], *today;
	long long id, open;
	int d;

	for (d = 0; d < 2; d++) {
		id = tj_submitted_case(urls[d], "档案处置测试有限公司", &app);
		open = tj_new_case(app);
		admin = tj_staff(urls[d], "admin", e, sizeof(e));
		sup = tj_staff(urls[d], "supervisor", e, sizeof(e));
		lead = tj_staff(urls[d], "lead", e, sizeof(e));

		/* A case still open has no archive to dispose of: the access
		 * policy shows an administrator closed cases only, and a
		 * draft to its organisation only, so neither the submitted
		 * case nor the draft is found, and nothing is disposed of. */
		snprintf(arch, sizeof(arch), "/cases/%lld/archive", id);
		kept_of(id, before);
		get_status(admin, arch, 404);
		assert_int_equal(dispose(admin, "/", id, 1, &r), 404);
		http_resp_free(&r);
		assert_kept(id, before);
		snprintf(arch, sizeof(arch), "/cases/%lld/archive", open);
		get_status(admin, arch, 404);
		assert_int_equal(dispose(admin, "/", open, 1, &r), 404);
		http_resp_free(&r);

		/* Withdrawn today: kept until six years on. */
		snprintf(path, sizeof(path), "/cases/%lld/withdraw", id);
		{
			const char *kv[] = { "confirm", "yes", NULL };

			tj_post(app, path, kv, 303);
		}
		today = tj_sql_text("SELECT date('now', '+8 hours')");
		assert_non_null(today);
		six_years_on(today, from);
		snprintf(arch, sizeof(arch), "/cases/%lld/archive", id);
		get_want(admin, arch, 200, &r);
		assert_true(http_body_has(&r, "已撤回"));
		snprintf(q, sizeof(q), "<dd>%s</dd>", today);
		assert_true(http_body_has(&r, q));
		snprintf(q, sizeof(q), "id=\"dispose-from\">保存六年，%s "
		    "起方可处置", from);
		assert_true(http_body_has(&r, q));
		assert_false(http_body_has(&r, "处置档案</button>"));
		http_resp_free(&r);
		kept_of(id, before);
		assert_true(before[K_VALUES] > 0 && before[K_CURRENT] > 0);
		assert_int_equal(before[K_DISPOSALS], 0);
		assert_int_equal(dispose(admin, arch, id, 1, &r), 409);
		snprintf(q, sizeof(q), "案件于 %s 结束，档案须保存六年，"
		    "%s 之前不得处置", today, from);
		if (!http_body_has(&r, q))
			fail_msg("no \"%s\" in the refusal", q);
		http_resp_free(&r);
		assert_kept(id, before);
		free(today);

		/* Closed six years ago less two days: still two days to go. */
		closed_on(id, "date('now', '+8 hours', '-6 years', '+2 days')");
		kept_of(id, before);
		get_want(admin, arch, 200, &r);
		assert_false(http_body_has(&r, "处置档案</button>"));
		http_resp_free(&r);
		assert_int_equal(dispose(admin, arch, id, 1, &r), 409);
		assert_true(http_body_has(&r, "之前不得处置"));
		http_resp_free(&r);
		assert_kept(id, before);

		/* Closed six years and a day ago: it may go, by an
		 * administrator only, once confirmed. */
		closed_on(id, "date('now', '+8 hours', '-6 years', '-1 day')");
		kept_of(id, before);
		get_want(admin, arch, 200, &r);
		assert_true(http_body_has(&r, "处置档案</button>"));
		http_resp_free(&r);
		/* A supervisor: no archive part in the access policy, not
		 * found. */
		get_status(sup, arch, 404);
		get_status(lead, arch, 403);
		get_status(app, arch, 403);
		assert_int_equal(dispose(sup, "/", id, 1, &r), 403);
		http_resp_free(&r);
		assert_int_equal(dispose(lead, "/", id, 1, &r), 403);
		http_resp_free(&r);
		assert_int_equal(dispose(admin, arch, id, 0, &r), 400);
		assert_true(http_body_has(&r, "请勾选确认"));
		http_resp_free(&r);
		assert_kept(id, before);
		assert_int_equal(dispose(admin, arch, id, 1, &r), 303);
		assert_string_equal(http_header(&r, "Location"), arch);
		http_resp_free(&r);

		/* Disposed: the form values and files are gone (their rows
		 * marked removed), the record of what was decided stays. */
		get_want(admin, arch, 200, &r);
		assert_true(http_body_has(&r, "处置：申请书内容和材料文件已"
		    "删除，办理记录和通知保留"));
		assert_false(http_body_has(&r, "处置档案</button>"));
		http_resp_free(&r);
		kept_of(id, after);
		assert_int_equal(after[K_VALUES], 0);
		assert_int_equal(after[K_ROUND_VALUES], 0);
		assert_int_equal(after[K_CURRENT], 0);
		assert_int_equal(after[K_MATERIALS], before[K_MATERIALS]);
		assert_int_equal(after[K_EVENTS], before[K_EVENTS]);
		assert_int_equal(after[K_NOTICES], before[K_NOTICES]);
		assert_int_equal(after[K_DISPOSALS], 1);
		/* Once only. */
		assert_int_equal(dispose(admin, arch, id, 1, &r), 409);
		assert_true(http_body_has(&r, "已经处置过了"));
		http_resp_free(&r);

		http_client_free(app);
		http_client_free(admin);
		http_client_free(sup);
		http_client_free(lead);
	}
}

static void
test_outbox(void **state)
{
	struct http_client *app, *admin, *sup, *lead, *anon;
	struct http_client *others[3];
	struct http_resp r;
	char e[128], path[64], link[64], sql[128], *subject, *to;
	long long mid;
	size_t i;
	int d;

	for (d = 0; d < 2; d++) {
		/* A submission puts its receipt in the outbox. */
		tj_submitted_case(urls[d], "发件箱测试有限公司", &app);
		admin = tj_staff(urls[d], "admin", e, sizeof(e));
		sup = tj_staff(urls[d], "supervisor", e, sizeof(e));
		lead = tj_staff(urls[d], "lead", e, sizeof(e));
		anon = http_client_new(urls[d]);
		mid = tj_sql_int("SELECT max(id) FROM outbox");
		assert_true(mid > 0);
		snprintf(sql, sizeof(sql), "SELECT subject FROM outbox WHERE "
		    "id = %lld", mid);
		subject = tj_sql_text(sql);
		snprintf(sql, sizeof(sql), "SELECT to_addr FROM outbox WHERE "
		    "id = %lld", mid);
		to = tj_sql_text(sql);
		assert_non_null(subject);
		assert_non_null(to);

		get_want(admin, "/admin/outbox", 200, &r);
		assert_true(http_body_has(&r, "邮件发件箱"));
		snprintf(link, sizeof(link), "href=\"/admin/outbox/%lld\"",
		    mid);
		assert_true(http_body_has(&r, link));
		assert_true(http_body_has(&r, subject));
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/admin/outbox/%lld", mid);
		get_want(admin, path, 200, &r);
		assert_true(http_body_has(&r, subject));
		assert_true(http_body_has(&r, to));
		assert_true(http_body_has(&r, "收件人"));
		http_resp_free(&r);
		get_status(admin, "/admin/outbox/999999999", 404);

		/* Nobody else. */
		others[0] = app;
		others[1] = sup;
		others[2] = lead;
		for (i = 0; i < 3; i++) {
			get_status(others[i], "/admin/outbox", 403);
			get_status(others[i], path, 403);
		}
		get_want(anon, path, 303, &r);
		assert_int_equal(strncmp(http_header(&r, "Location"), "/login",
		    6), 0);
		http_resp_free(&r);

		free(subject);
		free(to);
		http_client_free(app);
		http_client_free(admin);
		http_client_free(sup);
		http_client_free(lead);
		http_client_free(anon);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispose),
		cmocka_unit_test(test_outbox),
	};

	return cmocka_run_group_tests_name("archive and outbox (both doors)",
	    tests, setup, NULL);
}
