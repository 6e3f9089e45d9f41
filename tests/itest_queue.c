/*
 * itest_queue.c: the work queue sorts by urgency from the case clock,
 * filters by status, stage, lead and text, and pages. Cases with known
 * clocks are written directly into the servers' database for this.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "status.h"
#include "testlib_journey.h"

/*
 * A case of organisation org, submitted days_ago, never paused, with the
 * facts of its status (stage, open, who acts next) as the workflow keeps
 * them (workflow_status_facts), since the queue filters on those.
 */
static void
make_case(long long org, const char *no, const char *status, int days_ago,
    long long lead)
{
	const struct status_info *si = status_find(status);
	char sql[1024];

	assert_non_null(si);
	snprintf(sql, sizeof(sql), "INSERT INTO cases(org_id, case_no, status, "
	    "stage, is_open, acting, lead_id, created_by, clock_start, "
	    "clock_paused, clock_target_net, clock_limit_net) VALUES (%lld, "
	    "'%s', '%s', %d, %d, %u, %s, (SELECT min(id) FROM account WHERE "
	    "org_id = %lld), date('now', '+8 hours', '-%d days'), 0, 92, 184)",
	    org, no, status, (int)si->stage, status_open(si->st), si->acting,
	    lead > 0 ? "(SELECT max(id) FROM account WHERE role = 'lead')" :
	    "NULL", org, days_ago);
	tj_sql(sql);
}

static void
test_queue(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	struct http_client *app, *sup, *lead;
	struct http_resp r;
	char e[128], tag[32], no[64], path[256];
	const char *a, *b, *c, *d;
	long long org;
	int i;

	app = tj_applicant(url, "队列测试单位");
	lead = tj_staff(url, "lead", e, sizeof(e));
	sup = tj_staff(url, "supervisor", e, sizeof(e));
	org = tj_sql_int("SELECT max(id) FROM org WHERE name = '队列测试单位'");
	snprintf(tag, sizeof(tag), "Q%ld", (long)time(NULL) % 100000);
	/* One of each urgency: 10 days (on track), 70 (at risk: > 61),
	 * 100 (over target: > 92), 200 (over limit: > 184). */
	snprintf(no, sizeof(no), "%s-ONTRACK", tag);
	make_case(org, no, "intake_review", 10, 1);
	snprintf(no, sizeof(no), "%s-ATRISK", tag);
	make_case(org, no, "assessing", 70, 0);
	snprintf(no, sizeof(no), "%s-OVERTARGET", tag);
	make_case(org, no, "intake_review", 100, 1);
	snprintf(no, sizeof(no), "%s-OVERLIMIT", tag);
	make_case(org, no, "expert_review", 200, 0);

	snprintf(path, sizeof(path), "/queue?all=1&q=%s", tag);
	http_get(sup, path, &r);
	assert_int_equal(r.status, 200);
	a = strstr(r.body.p, "-OVERLIMIT");
	b = strstr(r.body.p, "-OVERTARGET");
	c = strstr(r.body.p, "-ATRISK");
	d = strstr(r.body.p, "-ONTRACK");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(d);
	assert_true(a < b && b < c && c < d);
	assert_true(http_body_has(&r, "超出最长周期"));
	assert_true(http_body_has(&r, "超出目标周期"));
	assert_true(http_body_has(&r, "临近目标期限"));
	assert_true(http_body_has(&r, "共 4 件"));
	http_resp_free(&r);

	/* Filters: status, stage. */
	snprintf(path, sizeof(path), "/queue?all=1&q=%s&status=intake_review",
	    tag);
	http_get(sup, path, &r);
	assert_true(http_body_has(&r, "共 2 件"));
	assert_false(http_body_has(&r, "-ATRISK"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/queue?all=1&q=%s&stage=assessment", tag);
	http_get(sup, path, &r);
	assert_true(http_body_has(&r, "共 2 件"));
	assert_true(http_body_has(&r, "-ATRISK"));
	assert_true(http_body_has(&r, "-OVERLIMIT"));
	http_resp_free(&r);
	/* A LIKE wildcard in the search is literal. */
	http_get(sup, "/queue?all=1&q=%25%25%25nothing", &r);
	assert_true(http_body_has(&r, "没有符合条件的案件"));
	http_resp_free(&r);

	/* Waiting for the lead: its own cases only. */
	snprintf(path, sizeof(path), "/queue?q=%s", tag);
	http_get(lead, path, &r);
	assert_true(http_body_has(&r, "-OVERTARGET"));
	assert_true(http_body_has(&r, "-ONTRACK"));
	assert_false(http_body_has(&r, "-ATRISK"));
	http_resp_free(&r);

	/* Paging: 60 more cases, 50 a page. */
	for (i = 0; i < 60; i++) {
		snprintf(no, sizeof(no), "%s-P%02d", tag, i);
		make_case(org, no, "accepted", i, 0);
	}
	snprintf(path, sizeof(path), "/queue?all=1&q=%s-P", tag);
	http_get(sup, path, &r);
	assert_true(http_body_has(&r, "共 60 件"));
	assert_true(http_body_has(&r, "第 1 页，共 2 页"));
	assert_true(http_body_has(&r, "-P59"));	/* the oldest first */
	assert_false(http_body_has(&r, "-P00"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/queue?all=1&q=%s-P&page=2", tag);
	http_get(sup, path, &r);
	assert_true(http_body_has(&r, "第 2 页，共 2 页"));
	assert_true(http_body_has(&r, "-P00"));
	http_resp_free(&r);

	/* No filters at all (this once crashed a worker). */
	http_get(sup, "/queue", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	http_get(lead, "/queue?all=1", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);

	/* Applicants have no queue. */
	http_get(app, "/queue", &r);
	assert_int_equal(r.status, 403);
	http_resp_free(&r);
	http_client_free(app);
	http_client_free(sup);
	http_client_free(lead);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue),
	};

	return cmocka_run_group_tests_name("work queue", tests, NULL, NULL);
}
