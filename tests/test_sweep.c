/*
 * test_sweep.c: the reminders `zizhi sweep` queues on chosen dates:
 * exactly those due, each once however often it runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib_store.h"
#include "sweep.h"
#include "workflow.h"

#define SITE	"https://zizhi.example.cn"

static char dir[] = "/tmp/zizhi-sweep.XXXXXX";
static struct store *db;

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static long long
count(const char *like)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT count(*) "
	    "FROM outbox WHERE reminder_key LIKE ?1", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Messages of reminder keys like like whose body has text. */
static long long
count_body(const char *like, const char *text)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT count(*) "
	    "FROM outbox WHERE reminder_key LIKE ?1 AND instr(body, ?2) > 0",
	    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int
setup(void **state)
{
	db = ts_open(dir);
	exec("INSERT INTO org(id, name) VALUES (1, '甲公司'), (2, '乙公司'),"
	    " (3, '丙公司')");
	exec("INSERT INTO account(id, email, name, role, org_id, password_hash)"
	    " VALUES (1, 'a@x.cn', 'a', 'applicant', 1, 'x'), (2, 'l@x.cn', "
	    "'l', 'lead', NULL, 'x'), (3, 'b@x.cn', 'b', 'applicant', 2, 'x'),"
	    " (4, 'c@x.cn', 'c', 'applicant', 3, 'x'), (6, 's1@x.cn', 's1', "
	    "'supervisor', NULL, 'x'), (7, 's2@x.cn', 's2', 'supervisor', NULL, "
	    "'x'), (8, 's3@x.cn', 's3', 'supervisor', NULL, 'x')");
	exec("UPDATE account SET disabled = 1 WHERE id = 8");
	return 0;
}

static int
teardown(void **state)
{
	ts_close(db, dir);
	return 0;
}

static void
run(const char *day, int want_new)
{
	struct sweep_stats st = { 0, 0, 0, 0, 0 };

	/* The cases were written by hand: their status facts (open, stage,
	 * who acts) as the workflow would keep them. */
	assert_true(workflow_refresh_facts(db) >= 0);

	assert_int_equal(sweep_reminders(db, day, 1800000000, SITE, &st), 0);
	if (st.reminders != want_new)
		fail_msg("%s: %d reminders, want %d", day, st.reminders,
		    want_new);
}

static void
test_supplement(void **state)
{
	/* A case waiting for a supplement due 2027-03-15. */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by) VALUES (1, 1, 'SE2-2027-00001', "
	    "'supplement_requested', 2, 1)");
	exec("INSERT INTO notice(id, case_id, kind, no, at, day, title, body, "
	    "due) VALUES (1, 1, 'supplement', 'N1', 'x', '2027-02-15', 't', "
	    "'b', '2027-03-15')");
	run("2027-03-07", 0);		/* 8 days left */
	run("2027-03-08", 1);		/* 7 days left */
	assert_int_equal(count("sup7:1:a@x.cn"), 1);
	run("2027-03-08", 0);		/* once */
	run("2027-03-10", 0);
	run("2027-03-14", 1);		/* 1 day left */
	assert_int_equal(count("sup1:1:%"), 1);
	run("2027-03-15", 0);		/* the due day itself: on time */
	run("2027-03-16", 1);		/* past it: to the lead */
	assert_int_equal(count("supover:1"), 1);
	run("2027-03-20", 0);
	/* The message names the case and the due date, as a deadline
	 * nobody can misread, and links to the case (issue 19, item 8). */
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT "
		    "to_addr, subject, body FROM outbox WHERE reminder_key = "
		    "'sup7:1:a@x.cn'", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
		    "a@x.cn");
		assert_non_null(strstr((const char *)sqlite3_column_text(st,
		    1), "SE2-2027-00001"));
		assert_non_null(strstr((const char *)sqlite3_column_text(st,
		    2), "2027年3月15日（含当日）前"));
		assert_non_null(strstr((const char *)sqlite3_column_text(st,
		    2), SITE "/cases/1\n"));
		sqlite3_finalize(st);
	}
	assert_int_equal(count_body("supover:1", SITE "/cases/1"), 1);
	exec("UPDATE cases SET status = 'intake_review' WHERE id = 1");
}

static void
test_clock(void **state)
{
	/* Submitted 2027-01-01, never paused: 90 net days to target,
	 * 181 to the limit (2027-04-01 and 2027-07-01). */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by, clock_start, clock_paused, clock_target_net, "
	    "clock_limit_net) VALUES (2, 2, 'SE2-2027-00002', 'assessing', 2, "
	    "3, '2027-01-01', 0, 90, 181)");
	run("2027-02-28", 0);		/* 58 days: on track */
	run("2027-03-03", 1);		/* 61 > 60: at risk */
	assert_int_equal(count("clock:2:at_risk"), 1);
	run("2027-03-20", 0);
	run("2027-04-01", 0);		/* 90: the target day is on target */
	run("2027-04-02", 1);		/* over target */
	run("2027-07-02", 1);		/* over the limit */
	assert_int_equal(count("clock:2:%"), 3);
	run("2027-08-01", 0);
	exec("UPDATE cases SET status = 'issued' WHERE id = 2");
}

static void
test_certificate(void **state)
{
	/* Expires 2028-06-30: 9 months before is 2027-09-30, 7 months
	 * 2027-11-30, the on-time window closes after 2027-12-30. */
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by) "
	    "VALUES (3, 3, 'SE2-2025-00003', 'issued', 4)");
	exec("INSERT INTO cert_batch(id, created_by, created_at) VALUES "
	    "(1, 2, 'x')");
	exec("INSERT INTO certificate(id, no, case_id, org_id, org_name, uscc, "
	    "issued_on, expires_on, batch_id) VALUES (1, 'CNITSEC2025SE2-0001', "
	    "3, 3, '丙公司', 'U', '2025-07-01', '2028-06-30', 1)");
	run("2027-09-29", 0);
	run("2027-09-30", 1);
	assert_int_equal(count("cert9:1:%"), 1);
	run("2027-11-29", 0);
	run("2027-11-30", 1);
	assert_int_equal(count("cert7:1:%"), 1);
	run("2027-12-30", 0);		/* still on time */
	run("2027-12-31", 1);		/* the window has closed */
	assert_int_equal(count("certwin:1:%"), 1);
	run("2028-03-01", 0);
	run("2028-07-01", 0);		/* expired: nothing more */
}

/*
 * Issue 19, item 4: a later application that failed (or was refused or
 * withdrawn) leaves the certificate's reminders alone; only one that is
 * open (a maintenance under way) or issued stops them.
 */
static void
test_certificate_later_cases(void **state)
{
	exec("INSERT INTO org(id, name) VALUES (5, '戊公司');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash)"
	    " VALUES (5, 'e@x.cn', 'e', 'applicant', 5, 'x')");
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by) "
	    "VALUES (10, 5, 'SE2-2026-00010', 'issued', 5)");
	exec("INSERT INTO cert_batch(id, created_by, created_at) VALUES "
	    "(2, 2, 'x')");
	exec("INSERT INTO certificate(id, no, case_id, org_id, org_name, uscc, "
	    "issued_on, expires_on, batch_id) VALUES (2, 'CNITSEC2026SE2-0002', "
	    "10, 5, '戊公司', 'U', '2026-03-17', '2029-03-16', 2)");
	/* A later application of the same organisation failed. */
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by) "
	    "VALUES (11, 5, 'SE2-2027-00011', 'failed', 5)");
	run("2028-06-16", 1);		/* 9 months before 2029-03-16 */
	assert_int_equal(count("cert9:2:%"), 1);
	run("2028-08-16", 1);		/* 7 months before */
	assert_int_equal(count("cert7:2:%"), 1);
	/* A maintenance application now open: the window's reminder
	 * stops. */
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by) "
	    "VALUES (12, 5, 'SE2-2028-00012', 'intake_review', 5)");
	run("2028-09-17", 0);
	assert_int_equal(count("certwin:2:%"), 0);
	/* Withdrawn again: reminded after all. */
	exec("UPDATE cases SET status = 'withdrawn' WHERE id = 12");
	run("2028-09-18", 1);
	assert_int_equal(count("certwin:2:%"), 1);
}

/*
 * Issue 19, item 3: a reminder whose recipient has no active account
 * (the lead disabled, no lead yet, an organisation without an active
 * contact) goes to the active supervisors, saying for whom it was, and
 * still once per trigger.
 */
static void
test_no_recipient(void **state)
{
	exec("INSERT INTO org(id, name) VALUES (6, '己公司');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash, "
	    "disabled) VALUES (9, 'gone@x.cn', 'g', 'applicant', 6, 'x', 1), "
	    "(10, 'l2@x.cn', 'l2', 'lead', NULL, 'x', 1)");
	/* The lead's account is disabled: over the supplement's due date,
	 * the supervisors hear of it. */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by) VALUES (20, 6, 'SE2-2027-00020', "
	    "'supplement_requested', 10, 9)");
	exec("INSERT INTO notice(id, case_id, kind, no, at, day, title, body, "
	    "due) VALUES (20, 20, 'supplement', 'N20', 'x', '2029-02-15', 't', "
	    "'b', '2029-03-15')");
	run("2029-03-08", 1);		/* the applicant has no active contact */
	assert_int_equal(count("sup7:20:s1@x.cn"), 1);
	assert_int_equal(count("sup7:20:s2@x.cn"), 1);
	assert_int_equal(count("sup7:20:s3@x.cn"), 0);	/* disabled */
	assert_int_equal(count_body("sup7:20:%", "申请单位的联系人"), 2);
	run("2029-03-16", 1);
	assert_int_equal(count_body("supover:20:%", "其账号已停用"), 2);
	assert_int_equal(count_body("supover:20:%", SITE "/cases/20"), 2);
	run("2029-03-17", 0);		/* once */
	exec("UPDATE cases SET status = 'withdrawn' WHERE id = 20");
	/* No lead yet (the intake pool) and over target: the supervisors. */
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by, "
	    "clock_start, clock_paused, clock_target_net, clock_limit_net) "
	    "VALUES (21, 1, 'SE2-2029-00021', 'submitted', 1, '2029-01-01', 0, "
	    "90, 181)");
	run("2029-04-05", 1);
	assert_int_equal(count_body("clock:21:over_target:%", "尚无项目负责人"),
	    2);
	exec("UPDATE cases SET status = 'withdrawn' WHERE id = 21");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supplement),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_certificate_later_cases),
		cmocka_unit_test(test_no_recipient),
	};

	return cmocka_run_group_tests_name("sweep reminders", tests, setup,
	    teardown);
}
