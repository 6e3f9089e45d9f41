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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <sys/time.h>

#include "files.h"
#include "testlib_store.h"
#include "sweep.h"
#include "workflow.h"

static char dir[] = "/tmp/zizhi-sweep.XXXXXX";
static struct store *db;

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static long long
count_sql(const char *sql)
{
	return ts_int(db, sql);
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

static int
setup(void **state)
{
	db = ts_open(dir);
	exec("INSERT INTO org(id, name) VALUES (1, '甲公司'), (2, '乙公司'),"
	    " (3, '丙公司')");
	exec("INSERT INTO account(id, email, name, role, org_id, password_hash)"
	    " VALUES (1, 'a@x.cn', 'a', 'applicant', 1, 'x'), (2, 'l@x.cn', "
	    "'l', 'lead', NULL, 'x'), (3, 'b@x.cn', 'b', 'applicant', 2, 'x'),"
	    " (4, 'c@x.cn', 'c', 'applicant', 3, 'x')");
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
	struct sweep_stats st = { 0, 0, 0, 0, 0, 0 };

	/* The cases were written by hand: their status facts (open, stage,
	 * who acts) as the workflow would keep them. */
	assert_true(workflow_refresh_facts(db) >= 0);

	assert_int_equal(sweep_reminders(db, day, 1800000000, &st), 0);
	if (st.reminders != want_new)
		fail_msg("%s: %d reminders, want %d", day, st.reminders,
		    want_new);
}

static void
test_supplement(void **state)
{
	/* A case waiting for a supplement made 2027-02-12 and served
	 * 2027-02-15: due 2027-03-15. Before it is served, no reminder. */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by) VALUES (1, 1, 'SE2-2027-00001', "
	    "'supplement_requested', 2, 1)");
	exec("INSERT INTO notice(id, case_id, kind, no, at, day, title, body) "
	    "VALUES (1, 1, 'supplement', 'N1', 'x', '2027-02-12', 't', 'b')");
	run("2027-03-14", 0);
	exec("INSERT INTO notice_service(notice_id, at, day, via, due) VALUES "
	    "(1, 'x', '2027-02-15', 'smtp', '2027-03-15')");
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
	/* The message names the case and the due date. */
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
		    2), "2027-03-15"));
		sqlite3_finalize(st);
	}
	exec("UPDATE cases SET status = 'intake_review' WHERE id = 1");
}

static void
test_clock(void **state)
{
	/* Submitted 2027-01-01, never paused: 90 net days to target,
	 * 181 to the limit (2027-04-01 and 2027-07-01). */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by, clock_start, clock_paused, clock_target_net, "
	    "clock_limit_net, is_open) VALUES (2, 2, 'SE2-2027-00002', "
	    "'assessing', 2, 3, '2027-01-01', 0, 90, 181, 1)");
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

/* sweep_unserved on day, days 3: how many new messages. */
static void
unserved(const char *day, int want_new)
{
	struct sweep_stats st = { 0 };

	assert_int_equal(sweep_unserved(db, day, 3, 1800000000, &st), 0);
	if (st.reminders != want_new)
		fail_msg("%s: %d told of unserved notices, want %d", day,
		    st.reminders, want_new);
}

static void
test_unserved(void **state)
{
	/* Notices made 2027-05-01: N10 never served, N11 accepted by the
	 * mail server, N12 on a case nobody leads yet. */
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by) VALUES (5, 1, 'SE2-2027-00005', 'accepted', 2, 1), "
	    "(6, 1, 'SE2-2027-00006', 'submitted', NULL, 1)");
	exec("INSERT INTO notice(id, case_id, kind, no, at, day, title, body) "
	    "VALUES (10, 5, 'acceptance', 'N10', 'x', '2027-05-01', '受理通知书',"
	    " 'b'), (11, 5, 'agreement', 'N11', 'x', '2027-05-01', 't', 'b'), "
	    "(12, 6, 'receipt', 'N12', 'x', '2027-05-01', '收件凭证', 'b')");
	exec("INSERT INTO notice_service(notice_id, at, day, via) VALUES "
	    "(11, 'x', '2027-05-02', 'smtp')");
	unserved("2027-05-03", 0);	/* two days: not yet */
	unserved("2027-05-04", 1);	/* three: the lead is told */
	assert_int_equal(count("unserved:10"), 1);
	assert_int_equal(count("unserved:11"), 0);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT "
		    "to_addr, body FROM outbox WHERE reminder_key = "
		    "'unserved:10'", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
		    "l@x.cn");
		assert_non_null(strstr((const char *)sqlite3_column_text(st,
		    1), "请电话联系申请单位"));
		sqlite3_finalize(st);
	}
	unserved("2027-05-05", 0);	/* once */
	/* Once the case has a lead, the lead hears of N12. */
	exec("UPDATE cases SET lead_id = 2 WHERE id = 6");
	unserved("2027-05-06", 1);
	assert_int_equal(count("unserved:12"), 1);
	/* Served late after all: nothing more. */
	exec("INSERT INTO notice_service(notice_id, at, day, via) VALUES "
	    "(10, 'x', '2027-05-07', 'portal')");
	unserved("2027-05-08", 0);
}

/* Files purged from drafts (issue 14, item 4): deleted a day later
 * unless a record names them or they were stored again since. */
static void
test_purged_files(void **state)
{
	static const char *data[3] = { "%PDF-1.4 gone", "%PDF-1.4 named",
	    "%PDF-1.4 again" };
	char files[300], hex[3][FILES_HEX_SIZE], path[400], sql[600];
	struct sweep_stats st;
	struct timeval old[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	long long now = (long long)time(NULL);
	int i;

	snprintf(files, sizeof(files), "%s/files", dir);
	for (i = 0; i < 3; i++) {
		assert_int_equal(files_store(files, data[i], strlen(data[i]),
		    hex[i]), 0);
		snprintf(path, sizeof(path), "%s/%.2s/%s", files, hex[i],
		    hex[i] + 2);
		/* Stored long ago, but the third stored again now. */
		if (i < 2)
			assert_int_equal(utimes(path, old), 0);
		snprintf(sql, sizeof(sql), "INSERT INTO file_purge(sha256, "
		    "purged) VALUES ('%s', %lld)", hex[i], now - 2 * 86400);
		exec(sql);
	}
	/* The second is named again (another case holds the same bytes). */
	snprintf(sql, sizeof(sql), "INSERT INTO cases(id, org_id, created_by, "
	    "created_at) VALUES (900, 1, 1, 'x'); INSERT INTO material(case_id, "
	    "kind, filename, mime, size, sha256, uploaded_by, uploaded_at) "
	    "VALUES (900, 'other_files', 'a.pdf', 'application/pdf', 5, '%s', "
	    "1, 'x')", hex[1]);
	exec("PRAGMA foreign_keys = OFF");
	exec(sql);
	exec("PRAGMA foreign_keys = ON");
	memset(&st, 0, sizeof(st));
	assert_int_equal(sweep_files(db, files, now, &st), 0);
	assert_int_equal(st.deleted, 1);
	assert_false(files_exists(files, hex[0]));
	assert_true(files_exists(files, hex[1]));
	assert_true(files_exists(files, hex[2]));
	/* The first two are done with; the third waits another day. */
	assert_int_equal(count_sql("SELECT count(*) FROM file_purge"), 1);
	memset(&st, 0, sizeof(st));
	assert_int_equal(sweep_files(db, files, now + 3600, &st), 0);
	assert_int_equal(st.deleted, 0);
	assert_true(files_exists(files, hex[2]));
}

/*
 * 限期整改 (issue 16, item 8): the holder is reminded 7 days before the
 * deadline (rules: rect_remind_days), once; when it passes without the
 * rectification being lifted, the supervisor who imposed it is told, or
 * every supervisor once that account is disabled; a lifted one, or one
 * on a cancelled certificate, is left alone.
 */
static void
test_rectification(void **state)
{
	exec("INSERT INTO org(id, name) VALUES (6, '己公司');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash)"
	    " VALUES (6, 'f@x.cn', 'f', 'applicant', 6, 'x'), (7, 's7@x.cn', "
	    "'s7', 'supervisor', NULL, 'x'), (8, 's8@x.cn', 's8', "
	    "'supervisor', NULL, 'x')");
	exec("INSERT INTO cases(id, org_id, case_no, status, created_by) "
	    "VALUES (20, 6, 'SE2-2027-00020', 'issued', 6)");
	exec("INSERT INTO cert_batch(id, created_by, created_at) VALUES "
	    "(3, 2, 'x')");
	exec("INSERT INTO certificate(id, no, case_id, org_id, org_name, uscc, "
	    "issued_on, expires_on, batch_id) VALUES (3, 'CNITSEC2027SE2-0003', "
	    "20, 6, '己公司', 'U', '2027-07-01', '2030-06-30', 3)");
	exec("INSERT INTO sanction(id, certificate_id, kind, reason, deadline, "
	    "by_id, at) VALUES (1, 3, 'rectification', '人员不足', "
	    "'2028-05-20', 7, '2028-04-01T01:00:00Z'), (2, 3, 'rectification', "
	    "'记录缺失', '2028-05-25', 7, '2028-04-02T01:00:00Z')");
	/* The second is lifted before its deadline. */
	exec("UPDATE sanction SET lifted_at = '2028-05-10T01:00:00Z', "
	    "lifted_by = 7 WHERE id = 2");
	run("2028-05-12", 0);		/* 8 days left */
	run("2028-05-13", 1);		/* 7 days left: the holder */
	assert_int_equal(count("rect7:1:f@x.cn"), 1);
	run("2028-05-13", 0);		/* once */
	run("2028-05-20", 0);		/* the deadline itself: on time */
	run("2028-05-21", 1);		/* passed: who imposed it */
	assert_int_equal(count("rectover:1:7"), 1);
	run("2028-05-22", 0);
	/* That supervisor's account disabled: the others are told. */
	exec("UPDATE account SET disabled = 1 WHERE id = 7");
	run("2028-05-23", 1);
	assert_int_equal(count("rectover:1:8"), 1);
	assert_int_equal(count("rect%:2%"), 0);
	/* Lifted, or the certificate cancelled: nothing more. */
	exec("INSERT INTO sanction(id, certificate_id, kind, reason, deadline, "
	    "by_id, at) VALUES (3, 3, 'rectification', '再次整改', '2028-06-10', "
	    "8, '2028-05-24T01:00:00Z'), (4, 3, 'revocation', '拒不整改', NULL, "
	    "8, '2028-05-25T01:00:00Z')");
	run("2028-06-05", 0);
	run("2028-06-11", 0);
	assert_int_equal(count("rect%:3%"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purged_files),
		cmocka_unit_test(test_supplement),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_certificate_later_cases),
		cmocka_unit_test(test_unserved),
		cmocka_unit_test(test_rectification),
	};

	return cmocka_run_group_tests_name("sweep reminders", tests, setup,
	    teardown);
}
