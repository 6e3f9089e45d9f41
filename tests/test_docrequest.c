/*
 * test_docrequest.c: 补充资料 during 评估 (docrequest.c) on a temporary
 * database. The lead or the team asks the applicant for documents with
 * a notice; the clock is paused while the request is open and runs
 * again when the applicant answers with files or the team closes it;
 * the team cannot conclude meanwhile; the wrong person, the wrong
 * status, a second request and bad input are refused with nothing
 * written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "assessment.h"
#include "docrequest.h"
#include "testlib_assess.h"
#include "testlib_journey.h"
#include "util.h"
#include "workflow.h"

static struct ta t;

static int
setup(void **state)
{
	ta_open(&t);
	return 0;
}

static int
teardown(void **state)
{
	ta_close(&t);
	return 0;
}

#define COUNT(sql, id)	ta_int(&t, "SELECT count(*) FROM " sql, id)

/* d moved days later. */
static struct dom *
later(struct dom *d, int days)
{
	d->now += (long long)days * 86400;
	d->today = date_of_unix(d->now);
	date_format(d->today, d->today_s);
	date_stamp(d->now, d->stamp);
	return d;
}

/* A case in 评估中 (as1 on its team), submitted 2026-03-01, assessing
 * since 2026-03-05, its clock cached as of 2026-03-10. */
static long long
assessing(void)
{
	long long id = ta_case(&t, ST_ASSESSING);
	char sql[512];

	ta_team(&t, id, t.as1);
	snprintf(sql, sizeof(sql), "INSERT INTO event(case_id, at, day, "
	    "actor_id, from_status, to_status) VALUES (%lld, "
	    "'2026-03-01T02:00:00Z', '2026-03-01', %lld, 'draft', 'submitted'), "
	    "(%lld, '2026-03-05T02:00:00Z', '2026-03-05', %lld, "
	    "'assessment_planning', 'assessing')", id, t.app, id, t.lead);
	ta_exec(&t, sql);
	assert_int_equal(workflow_clock_cache(t.db, id, "2026-03-10"), 0);
	return id;
}

static const char *const items[] = { "2025 年度内部审核报告", " ",
    "PA12 确保质量的纠正措施记录" };

static enum dom_rc
ask(long long who, long long case_id, const char *due,
    struct assess_problems *pr)
{
	struct docreq_input in = { items, 3, due, "用于核实质量管理体系的运行。" };

	return docreq_open(ta_dom(&t, who), case_id, &in, pr, NULL);
}

static struct assess_upload
a_pdf(void)
{
	struct assess_upload u = { "内部审核报告.pdf", tj_pdf, 0 };

	u.len = tj_pdf_len;
	return u;
}

static void
test_open(void **state)
{
	long long id = assessing();
	struct assess_problems pr;
	struct rules_clock clk;
	struct docreq *r;
	struct case_ref c;
	struct dom *d;
	size_t n;

	assert_int_equal(ask(t.as1, id, "2026-04-10", &pr), DOM_OK);
	/* Two items (the blank one skipped), the notice with its due date. */
	assert_int_equal(COUNT("doc_request_item i JOIN doc_request q ON "
	    "q.id = i.request_id WHERE q.case_id = ?1", id), 2);
	assert_string_equal(ta_text(&t, "SELECT due FROM notice WHERE case_id "
	    "= ?1 AND kind = 'documents'", id), "2026-04-10");
	assert_non_null(strstr(ta_text(&t, "SELECT body FROM notice WHERE "
	    "case_id = ?1 AND kind = 'documents'", id), "PA12 确保质量的纠正措施"));
	assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), 1);
	/* The status stays; the clock is paused since today. */
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);
	assert_string_equal(ta_text(&t, "SELECT clock_paused_since FROM cases "
	    "WHERE id = ?1", id), "2026-03-10");
	assert_int_equal(workflow_clock(t.db, id, "2026-03-15", &clk), 0);
	assert_true(clk.paused);
	assert_int_equal(clk.paused_days, 5);
	assert_int_equal(clk.net_days, 9);
	/* The applicant sees it, open. */
	d = ta_dom(&t, t.app);
	assert_int_equal(access_case(d, id, PART_SUMMARY, &c), DOM_OK);
	assert_int_equal(docreq_list(d, &c, &r, &n), DOM_OK);
	assert_int_equal(n, 1);
	assert_true(r[0].open);
	assert_int_equal(r[0].nitems, 2);
	assert_string_equal(r[0].items[1], "PA12 确保质量的纠正措施记录");
	assert_int_equal(COUNT("doc_request WHERE case_id = ?1 AND closed_at IS "
	    "NULL", id), 1);
}

static void
test_open_refused(void **state)
{
	long long id = assessing(), other = ta_case(&t, ST_EXPERT_REVIEW);
	struct docreq_input none = { NULL, 0, "2026-01-01", "" };
	struct assess_problems pr;
	const char *before = ta_text(&t, "SELECT count(*) || ',' || (SELECT "
	    "count(*) FROM notice) FROM doc_request", 0);

	/* The applicant, an assessor not on the team, the other lead. */
	assert_int_equal(ask(t.app, id, "2026-04-10", &pr), DOM_FORBIDDEN);
	assert_int_equal(ask(t.as2, id, "2026-04-10", &pr), DOM_NOT_FOUND);
	assert_int_equal(ask(t.lead2, id, "2026-04-10", &pr), DOM_NOT_FOUND);
	/* Not in 评估中 or 审核计划. */
	assert_int_equal(ask(t.lead, other, "2026-04-10", &pr), DOM_CONFLICT);
	/* Nothing asked, a due date in the past: every problem at once. */
	assert_int_equal(docreq_open(ta_dom(&t, t.lead), id, &none, &pr, NULL),
	    DOM_INVALID);
	assert_int_equal(pr.n, 2);
	assert_string_equal(pr.v[0].field, "items");
	assert_string_equal(pr.v[1].field, "due");
	assert_int_equal(ask(t.lead, id, "2026-02-30", &pr), DOM_INVALID);
	assert_string_equal(ta_text(&t, "SELECT count(*) || ',' || (SELECT "
	    "count(*) FROM notice) FROM doc_request", 0), before);
	/* One open at a time. */
	assert_int_equal(ask(t.lead, id, "2026-04-10", &pr), DOM_OK);
	assert_int_equal(ask(t.as1, id, "2026-04-20", &pr), DOM_CONFLICT);
	assert_int_equal(COUNT("doc_request WHERE case_id = ?1", id), 1);
}

static void
test_answer(void **state)
{
	long long id = assessing();
	struct assess_upload up = a_pdf();
	struct assess_problems pr;
	struct rules_clock clk;
	struct dom *d;
	long long mails;

	assert_int_equal(ask(t.lead, id, "2026-04-10", &pr), DOM_OK);
	mails = COUNT("outbox WHERE case_id = ?1", id);
	/* Without a file: refused, nothing written. */
	d = later(ta_dom(&t, t.app), 6);
	assert_int_equal(docreq_answer(d, id, "见附件。", NULL, 0, &pr),
	    DOM_INVALID);
	assert_string_equal(pr.v[0].field, "file");
	/* Staff do not answer for the applicant. */
	assert_int_equal(docreq_answer(later(ta_dom(&t, t.lead), 6), id, "",
	    &up, 1, &pr), DOM_FORBIDDEN);
	/* Answered six days later: closed, the clock runs again. */
	assert_int_equal(docreq_answer(d, id, "见附件。", &up, 1, &pr), DOM_OK);
	assert_int_equal(COUNT("doc_request WHERE case_id = ?1 AND closed_at IS "
	    "NULL", id), 0);
	assert_string_equal(ta_text(&t, "SELECT closing || ' ' || closed_day "
	    "FROM doc_request WHERE case_id = ?1", id), "answered 2026-03-16");
	assert_int_equal(COUNT("doc_request_file f JOIN doc_request q ON q.id "
	    "= f.request_id WHERE q.case_id = ?1", id), 1);
	/* The lead and the team are told. */
	assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), mails + 2);
	assert_int_equal(workflow_clock(t.db, id, "2026-03-20", &clk), 0);
	assert_false(clk.paused);
	assert_int_equal(clk.paused_days, 6);
	assert_int_equal(clk.net_days, 13);
	/* The cached columns say the same. */
	assert_int_equal(ta_int(&t, "SELECT clock_paused FROM cases WHERE id = "
	    "?1", id), 6);
	assert_int_equal(ta_int(&t, "SELECT clock_paused_since IS NULL FROM "
	    "cases WHERE id = ?1", id), 1);
	/* Nothing left to answer. */
	assert_int_equal(docreq_answer(d, id, "", &up, 1, &pr), DOM_CONFLICT);
	/* A closed request cannot be changed behind the application. */
	assert_int_not_equal(sqlite3_exec(store_db(t.db), "UPDATE doc_request "
	    "SET closed_day = '2026-03-11'", NULL, NULL, NULL), SQLITE_OK);
}

static void
test_conclude_waits(void **state)
{
	long long id = assessing();
	struct assess_record_input rec = { "interview", "访谈了质量负责人。",
	    NULL, 0, NULL, NULL };
	struct assess_problems pr;
	struct dom *d;

	assert_int_equal(assessment_record(ta_dom(&t, t.as1), id, &rec, &pr,
	    NULL), DOM_OK);
	assert_int_equal(ask(t.lead, id, "2026-04-10", &pr), DOM_OK);
	d = ta_dom(&t, t.as1);
	assert_int_equal(assessment_conclude(d, id, "pass", "证据充分。", &pr),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "补充资料"));
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 0);
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);
	/* The team closes it (saying why): the conclusion goes through. */
	d = later(ta_dom(&t, t.lead), 2);
	assert_int_equal(docreq_withdraw(d, id, "", &pr), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "reason");
	assert_int_equal(docreq_withdraw(d, id, "访谈中已取得。", &pr), DOM_OK);
	assert_int_equal(docreq_withdraw(d, id, "再次关闭。", &pr),
	    DOM_CONFLICT);
	assert_string_equal(ta_text(&t, "SELECT closing || ' ' || reason FROM "
	    "doc_request WHERE case_id = ?1", id), "cancelled 访谈中已取得。");
	assert_int_equal(assessment_conclude(later(ta_dom(&t, t.as1), 2), id,
	    "pass", "证据充分。", &pr), DOM_OK);
	assert_int_equal(ta_status(&t, id), ST_EXPERT_REVIEW);
}

static void
test_file(void **state)
{
	long long id = assessing(), fid;
	struct assess_upload up = a_pdf();
	struct assess_problems pr;
	struct assess_file meta;
	struct buf body;

	assert_int_equal(ask(t.lead, id, "2026-04-10", &pr), DOM_OK);
	assert_int_equal(docreq_answer(ta_dom(&t, t.app), id, "", &up, 1, &pr),
	    DOM_OK);
	fid = ta_int(&t, "SELECT f.id FROM doc_request_file f JOIN doc_request "
	    "q ON q.id = f.request_id WHERE q.case_id = ?1", id);
	buf_init(&body);
	assert_int_equal(docreq_file(ta_dom(&t, t.as1), id, fid, &meta, &body),
	    DOM_OK);
	assert_int_equal(body.n, tj_pdf_len);
	assert_string_equal(meta.filename, "内部审核报告.pdf");
	buf_reset(&body);
	/* Certificate staff read no materials; the wrong case has no file. */
	assert_int_equal(docreq_file(ta_dom(&t, t.cert), id, fid, &meta,
	    &body), DOM_NOT_FOUND);
	assert_int_equal(docreq_file(ta_dom(&t, t.app), assessing(), fid, &meta,
	    &body), DOM_NOT_FOUND);
	buf_free(&body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_open_refused),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_conclude_waits),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
