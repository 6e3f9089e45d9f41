/*
 * test_submission.c: the check and the formal submission (submission.c)
 * and the notices it leaves (notice_read.c), on a temporary database.
 * A complete application (filled section by section with the journey's
 * values, every material the check asks for uploaded) is submitted: one
 * round with its values and files, a case number, a 收件凭证 e-mailed to
 * the organisation, the event and the status; answering a supplement is
 * round 2. Refusals (incomplete, unconfirmed, not theirs, already
 * submitted) write nothing, and the "still submittable" check is made
 * inside the transaction: a submission committed by another process
 * while this one waits is seen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "notice_read.h"
#include "submission.h"
#include "testlib_apply.h"
#include "testlib_journey.h"

/* A draft with everything the check asks for: an initial application. */
static long long
complete(void)
{
	struct dom *d = tp_dom(TP_APPLICANT);
	struct submission_report r;
	struct case_ref c;
	long long id = tp_complete(TP_APPLICANT);

	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_true(r.can_submit);
	assert_true(r.has_fee);
	assert_int_equal(r.fee.total, 8700000);
	return id;
}

/* What a submission writes, all of it, for case id. */
static long long
written(long long id)
{
	return tp_int("SELECT (SELECT count(*) FROM round WHERE case_id = ?1) "
	    "+ (SELECT count(*) FROM notice WHERE case_id = ?1) + (SELECT "
	    "count(*) FROM event WHERE case_id = ?1) + (SELECT count(*) FROM "
	    "outbox WHERE case_id = ?1) + (SELECT rounds FROM cases WHERE "
	    "id = ?1) + (SELECT case_no IS NOT NULL FROM cases WHERE id = ?1)",
	    id);
}

static void
test_check(void **state)
{
	struct dom *d = tp_dom(TP_APPLICANT);
	struct submission_report r;
	struct case_ref c;
	long long id = tp_draft(TP_APPLICANT);

	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_true(r.rep.n > 0);
	assert_true(r.can_submit);
	assert_false(r.supplement);
	assert_false(r.has_fee);
	assert_int_equal(r.elig.nchecks, RULES_NCHECKS);
	/* Without the application part, nothing. */
	c.parts &= ~(unsigned)PART_APPLICATION;
	assert_int_equal(submission_check(d, &c, &r), DOM_NOT_FOUND);
}

static void
test_submit_refused(void **state)
{
	struct submission_result out;
	struct dom *d = tp_dom(TP_APPLICANT);
	long long id = tp_draft(TP_APPLICANT), ready = complete();

	/* Incomplete: refused as such, nothing written. */
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_CONFLICT);
	assert_true(out.incomplete);
	assert_int_equal(written(id), 0);
	/* Unconfirmed. */
	assert_int_equal(submission_submit(d, ready, 0, &out), DOM_INVALID);
	assert_string_equal(d->field, "confirm");
	assert_false(out.incomplete);
	/* Not theirs: another organisation; staff on a draft. */
	assert_int_equal(submission_submit(tp_dom(TP_OTHER), ready, 1, &out),
	    DOM_NOT_FOUND);
	assert_int_equal(submission_submit(tp_dom(TP_LEAD), ready, 1, &out),
	    DOM_NOT_FOUND);
	assert_int_equal(written(ready), 0);
	/* A case past submission, with the page's words. */
	id = tp_case(1, ST_INTAKE_REVIEW, TP_LEAD);
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_CONFLICT);
	assert_false(out.incomplete);
	assert_string_equal(d->msg, "此申请当前不能提交：它已经提交过了。"
	    "请在案件页面查看进度。");
}

static void
test_submit(void **state)
{
	struct submission_result out;
	struct dom *d = tp_dom(TP_APPLICANT);
	struct notice_row *rows, n;
	struct case_ref c;
	char sql[300];
	long long id = complete(), rid;
	size_t nn;

	assert_int_equal(submission_submit(d, id, 1, &out), DOM_OK);
	assert_int_equal(out.round, 1);
	assert_int_equal(strncmp(out.case_no, "SE2-", 4), 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM cases WHERE id = ?1 "
	    "AND status = '%s' AND rounds = 1 AND case_no = '%s'",
	    status_code(ST_SUBMITTED), out.case_no);
	assert_int_equal(tp_int(sql, id), 1);
	/* The round holds the values and every current file. */
	rid = out.round_id;
	assert_int_equal(tp_int("SELECT count(*) FROM round_value WHERE "
	    "round_id = ?1", rid), tp_int("SELECT count(*) FROM form_value "
	    "WHERE case_id = (SELECT case_id FROM round WHERE id = ?1)", rid));
	assert_int_equal(tp_int("SELECT count(*) FROM round_file WHERE "
	    "round_id = ?1", rid), tp_int("SELECT count(*) FROM material WHERE "
	    "case_id = (SELECT case_id FROM round WHERE id = ?1) AND state = "
	    "'current'", rid));
	/* One event, by the applicant; the receipt, e-mailed to the
	 * account and to the 申请书's designated contact address. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM event WHERE case_id "
	    "= ?1 AND to_status = '%s' AND actor_id = 1",
	    status_code(ST_SUBMITTED));
	assert_int_equal(tp_int(sql, id), 1);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 2);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox o JOIN "
	    "round_value v ON v.field = 'contact_email' AND v.row = -1 AND "
	    "v.value = o.to_addr JOIN round r ON r.id = v.round_id AND "
	    "r.case_id = o.case_id WHERE o.case_id = ?1", id), 1);

	/* The notices, as the case page and the notice page read them. */
	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_list(d, &c, &rows, &nn), DOM_OK);
	assert_int_equal(nn, 1);
	assert_string_equal(rows[0].kind, "receipt");
	assert_string_equal(rows[0].title, "收件凭证");
	assert_null(rows[0].body);
	assert_int_equal(notice_get(d, &c, rows[0].id, &n), DOM_OK);
	assert_non_null(strstr(n.body, "第 1 轮"));
	assert_non_null(strstr(n.body, "SHA-256"));
	assert_non_null(strstr(n.body, out.case_no));
	/* Not through another case. */
	assert_int_equal(access_case(d, tp_draft(TP_APPLICANT), PART_NOTICES,
	    &c), DOM_OK);
	assert_int_equal(notice_get(d, &c, rows[0].id, &n), DOM_NOT_FOUND);

	/* Not twice. */
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_CONFLICT);
	assert_int_equal(tp_int("SELECT count(*) FROM round WHERE case_id = "
	    "?1", id), 1);
}

/* A supplement requested: the answer is round 2, same number. */
static void
test_supplement_answer(void **state)
{
	struct submission_result out, again;
	struct dom *d = tp_dom(TP_APPLICANT);
	struct notice_supplement sup;
	struct case_ref c;
	char sql[400];
	long long id = complete();

	assert_int_equal(submission_submit(d, id, 1, &out), DOM_OK);
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', lead_id = "
	    "%d WHERE id = %lld; INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body, due) VALUES (%lld, 'supplement', 'B1', 'x', "
	    "'2026-01-01', '补正通知', 'b', '2026-02-01'); INSERT INTO "
	    "supplement_item(notice_id, target, what) VALUES "
	    "(last_insert_rowid(), 's2', '请补充发展历程')",
	    status_code(ST_SUPPLEMENT_REQUESTED), TP_LEAD, id, id);
	tp_exec(sql);
	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_supplement(d, &c, &sup), DOM_OK);
	assert_string_equal(sup.due, "2026-02-01");
	assert_int_equal(sup.nitems, 1);
	assert_string_equal(sup.items[0].target, "s2");

	assert_int_equal(submission_submit(d, id, 1, &again), DOM_OK);
	assert_int_equal(again.round, 2);
	assert_string_equal(again.case_no, out.case_no);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM cases WHERE id = ?1 "
	    "AND status = '%s' AND rounds = 2", status_code(ST_INTAKE_REVIEW));
	assert_int_equal(tp_int(sql, id), 1);
	assert_int_equal(tp_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1 AND kind = 'receipt'", id), 2);
}

/* Submitted by another process while this submission waits: seen
 * inside the transaction, nothing of this one written. */
static void
test_submit_race(void **state)
{
	struct submission_result out;
	struct dom *d = tp_dom(TP_APPLICANT);
	char sql[300];
	long long id = complete();
	pid_t p;

	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', rounds = "
	    "1, case_no = 'SE2-1999-99999' WHERE id = %lld",
	    status_code(ST_SUBMITTED), id);
	p = tp_hold(sql, 300);
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_CONFLICT);
	assert_string_equal(d->msg, "此申请当前不能提交：它已经提交过了。"
	    "请在案件页面查看进度。");
	tp_join(p);
	assert_int_equal(tp_int("SELECT count(*) FROM round WHERE case_id = "
	    "?1", id), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_submit_refused),
		cmocka_unit_test(test_submit),
		cmocka_unit_test(test_supplement_answer),
		cmocka_unit_test(test_submit_race),
	};

	return cmocka_run_group_tests_name("submission", tests, tp_setup,
	    tp_teardown);
}
