/*
 * test_assessment.c: 评估, the team's part (assessment.c), on a
 * temporary database. Each step works for the person it is for, and is
 * refused with nothing written for the wrong status, the wrong person
 * (someone with no relation to the case does not even find it) and bad
 * input; a record and its files are written together or not at all;
 * two members of the team concluding at the same moment give one
 * conclusion, the other told the status changed.
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
#include "testlib_assess.h"
#include "testlib_journey.h"
#include "review.h"
#include "util.h"

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

static enum dom_rc
plan(long long who, long long case_id, const char *start, const char *end,
    const long long *team, size_t nteam, struct assess_problems *pr)
{
	struct assess_plan_input in = { start, end, "抽样审查过程文档，访谈"
	    "技术负责人。", team, nteam };

	return assessment_plan(ta_dom(&t, who), case_id, &in, pr);
}

/* A case in 评估中 with as1 on its team. */
static long long
assessing(void)
{
	long long id = ta_case(&t, ST_ASSESSING);

	ta_team(&t, id, t.as1);
	return id;
}

static enum dom_rc
record(long long who, long long case_id, const char *kind,
    const struct assess_upload *files, size_t n, struct assess_problems *pr)
{
	struct assess_record_input in = { kind, "质量手册与过程文件齐全。",
	    files, n, "现场观察", NULL };

	return assessment_record(ta_dom(&t, who), case_id, &in, pr, NULL);
}

static const struct assess_upload pdf = { "审查报告.pdf", tj_pdf, 0 };

static struct assess_upload
a_pdf(void)
{
	struct assess_upload u = pdf;

	u.len = tj_pdf_len;
	return u;
}

static void
test_plan(void **state)
{
	long long id = ta_case(&t, ST_ASSESSMENT_PLANNING);
	long long team[] = { t.as1, t.as2 };
	struct assess_problems pr;

	assert_int_equal(plan(t.lead, id, "2026-03-02", "2026-03-20", team, 1,
	    &pr), DOM_OK);
	assert_int_equal(COUNT("audit_plan WHERE case_id = ?1", id), 1);
	assert_int_equal(COUNT("team_member WHERE case_id = ?1", id), 1);
	/* Planned again: the team is replaced. */
	assert_int_equal(plan(t.lead, id, "2026-03-02", "2026-03-21", team + 1,
	    1, &pr), DOM_OK);
	assert_int_equal(ta_int(&t, "SELECT account_id FROM team_member "
	    "WHERE case_id = ?1", id), t.as2);
	assert_string_equal(ta_text(&t, "SELECT end_day FROM audit_plan WHERE "
	    "case_id = ?1", id), "2026-03-21");
	assert_int_equal(ta_status(&t, id), ST_ASSESSMENT_PLANNING);
}

static void
test_plan_refused(void **state)
{
	long long id = ta_case(&t, ST_ASSESSMENT_PLANNING), done;
	long long team[] = { t.as1 }, expert[] = { t.ex1 },
	    off[] = { t.as_off };
	struct assess_problems pr;
	struct dom *d;

	/* No relation to the case: not found. */
	assert_int_equal(plan(t.lead2, id, "2026-03-02", "2026-03-20", team, 1,
	    &pr), DOM_NOT_FOUND);
	assert_int_equal(plan(t.as1, id, "2026-03-02", "2026-03-20", team, 1,
	    &pr), DOM_NOT_FOUND);
	assert_int_equal(plan(t.app, id, "2026-03-02", "2026-03-20", team, 1,
	    &pr), DOM_NOT_FOUND);
	assert_int_equal(plan(t.cert, id, "2026-03-02", "2026-03-20", team, 1,
	    &pr), DOM_NOT_FOUND);
	/* Bad input, every problem at once, the first in msg and field. */
	d = ta_dom(&t, t.lead);
	{
		struct assess_plan_input in = { "2026-03-20", "2026-03-02", "",
		    NULL, 0 };

		assert_int_equal(assessment_plan(d, id, &in, &pr),
		    DOM_INVALID);
		assert_int_equal(pr.n, 3);
		assert_string_equal(d->field, "end_day");
		assert_non_null(strstr(d->msg, "早于开始日期"));
		assert_string_equal(pr.v[1].field, "method");
		assert_string_equal(pr.v[2].field, "team");
	}
	assert_int_equal(plan(t.lead, id, "2026-02-30", "2026-03-20", team, 1,
	    &pr), DOM_INVALID);
	assert_non_null(strstr(pr.v[0].msg, "不是有效的日期"));
	assert_int_equal(plan(t.lead, id, "2026-03-02", "2026-03-20", expert, 1,
	    &pr), DOM_INVALID);
	assert_non_null(strstr(pr.v[0].msg, "不是可用的评估人员"));
	assert_int_equal(plan(t.lead, id, "2026-03-02", "2026-03-20", off, 1,
	    &pr), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "team");
	assert_int_equal(COUNT("audit_plan WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("team_member WHERE case_id = ?1", id), 0);
	/* Once started, the plan is fixed. */
	done = assessing();
	d = ta_dom(&t, t.lead);
	{
		struct assess_plan_input in = { "2026-03-02", "2026-03-20",
		    "方法", team, 1 };

		assert_int_equal(assessment_plan(d, done, &in, NULL),
		    DOM_CONFLICT);
		assert_non_null(strstr(d->msg, "只有在“审核计划”状态下"));
	}
	assert_int_equal(COUNT("audit_plan WHERE case_id = ?1", done), 0);
}

static void
test_text(void **state)
{
	long long id = ta_case(&t, ST_ASSESSMENT_PLANNING), team[] = { t.as1 };
	struct assess_plan_input in = { "2026-03-02", "2026-03-20", NULL,
	    team, 1 };
	struct assess_problems pr;
	char *big = malloc(ASSESS_TEXT_MAX + 2);

	/* A right-to-left override hides what the text says. */
	in.method = "抽样审查\xe2\x80\xae过程文档";
	assert_int_equal(assessment_plan(ta_dom(&t, t.lead), id, &in, &pr),
	    DOM_INVALID);
	assert_string_equal(pr.v[0].field, "method");
	memset(big, 'a', ASSESS_TEXT_MAX + 1);
	big[ASSESS_TEXT_MAX + 1] = '\0';
	in.method = big;
	assert_int_equal(assessment_plan(ta_dom(&t, t.lead), id, &in, &pr),
	    DOM_INVALID);
	assert_non_null(strstr(pr.v[0].msg, "内容过长"));
	big[ASSESS_TEXT_MAX] = '\0';
	assert_int_equal(assessment_plan(ta_dom(&t, t.lead), id, &in, &pr),
	    DOM_OK);
	free(big);
}

static void
test_start(void **state)
{
	long long id = ta_case(&t, ST_ASSESSMENT_PLANNING), team[] = { t.as1 };
	struct dom *d = ta_dom(&t, t.lead);
	const char *notice;

	/* The workflow's guard: no plan yet. */
	assert_int_equal(assessment_start(d, id), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "请先制定审核计划"));
	assert_int_equal(plan(t.lead, id, "2026-03-02", "2026-03-20", team, 1,
	    NULL), DOM_OK);
	/* A team member may see it, not start it; another lead finds
	 * nothing. */
	d = ta_dom(&t, t.as1);
	assert_int_equal(assessment_start(d, id), DOM_FORBIDDEN);
	assert_non_null(strstr(d->msg, "只有本案件的项目负责人可以开始评估"));
	assert_int_equal(assessment_start(ta_dom(&t, t.lead2), id),
	    DOM_NOT_FOUND);
	assert_int_equal(ta_status(&t, id), ST_ASSESSMENT_PLANNING);
	assert_int_equal(COUNT("event WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 0);
	assert_int_equal(assessment_start(ta_dom(&t, t.lead), id), DOM_OK);
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);
	assert_int_equal(COUNT("event WHERE case_id = ?1", id), 1);
	/* The plan goes to the applicant as a notice, by e-mail too. */
	notice = ta_text(&t, "SELECT body FROM notice WHERE case_id = ?1 AND "
	    "kind = 'plan'", id);
	assert_non_null(strstr(notice, "审核期间：2026-03-02 至 2026-03-20"));
	assert_non_null(strstr(notice, "项目组：评估员甲"));
	assert_non_null(strstr(notice, "抽样审查过程文档"));
	assert_true(COUNT("outbox WHERE case_id = ?1", id) >= 1);
	assert_int_equal(assessment_start(ta_dom(&t, t.lead), id),
	    DOM_CONFLICT);
	assert_int_equal(COUNT("event WHERE case_id = ?1", id), 1);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 1);
}

/* Methods besides the guide's three, named by the team; the review area
 * a record concerns, 质量管理 among them. */
static void
test_other_method(void **state)
{
	long long id = assessing();
	struct assess_record_input in = { "other", "观察了一次变更评审会议。",
	    NULL, 0, "", "quality" };
	struct assess_problems pr;
	const char *notice;

	assert_int_equal(assessment_record(ta_dom(&t, t.as1), id, &in, &pr,
	    NULL), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "other_method");
	in.method = "现场观察";
	in.area = "nowhere";
	assert_int_equal(assessment_record(ta_dom(&t, t.as1), id, &in, &pr,
	    NULL), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "area");
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1", id), 0);
	in.area = "quality";
	assert_int_equal(assessment_record(ta_dom(&t, t.as1), id, &in, &pr,
	    NULL), DOM_OK);
	assert_string_equal(ta_text(&t, "SELECT kind || ' ' || method || ' ' || "
	    "area FROM assessment_record WHERE case_id = ?1", id),
	    "other 现场观察 quality");
	assert_string_equal(review_area("quality")->label, "质量管理");
	assert_int_equal(record(t.as1, id, "interview", NULL, 0, NULL),
	    DOM_OK);
	/* The method's name is not kept for the guide's own three. */
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1 AND "
	    "method IS NOT NULL", id), 1);
	assert_int_equal(assessment_conclude(ta_dom(&t, t.as1), id, "pass",
	    "证据充分。", &pr), DOM_OK);
	notice = ta_text(&t, "SELECT body FROM notice WHERE case_id = ?1 AND "
	    "kind = 'conclusion'", id);
	assert_non_null(strstr(notice, "（其他：现场观察 1 项、人员访谈 1 项）"));
}

/* No conclusion before the audit has begun; the notice states the audit
 * period that happened. */
static void
test_conclude_dates(void **state)
{
	long long id = assessing();
	struct assess_problems pr;
	struct dom *d;
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO audit_plan(case_id, start_day, "
	    "end_day, method, by_id, at) VALUES (%lld, '2026-03-20', "
	    "'2026-03-31', '文档审查', %lld, '2026-03-09T00:00:00Z')", id,
	    t.lead);
	ta_exec(&t, sql);
	assert_int_equal(record(t.as1, id, "interview", NULL, 0, NULL),
	    DOM_OK);
	/* Today is 2026-03-10, before the start on 03-20. */
	d = ta_dom(&t, t.as1);
	assert_int_equal(assessment_conclude(d, id, "pass", "证据充分。", &pr),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "2026-03-20"));
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 0);
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);
	/* Started 03-05, planned to end 03-31, concluded 03-10: the notice
	 * says the audit ran from 03-05 to 03-10. */
	ta_exec(&t, "UPDATE audit_plan SET start_day = '2026-03-05'");
	assert_int_equal(assessment_conclude(ta_dom(&t, t.as1), id, "pass",
	    "证据充分。", &pr), DOM_OK);
	assert_non_null(strstr(ta_text(&t, "SELECT body FROM notice WHERE "
	    "case_id = ?1 AND kind = 'conclusion'", id),
	    "审核期间为 2026-03-05 至 2026-03-10"));
}

static void
test_record(void **state)
{
	long long id = assessing(), rid;
	struct assess_upload files[2] = { a_pdf(), a_pdf() };
	struct assess_record_input in = { "document_review", "记录一致。",
	    files, 2, NULL, "quality" };
	struct assess_file meta;
	struct assess_problems pr;
	struct buf body;
	struct dom *d = ta_dom(&t, t.as1);

	files[1].name = "现场照片说明.pdf";
	assert_int_equal(assessment_record(d, id, &in, &pr, &rid), DOM_OK);
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1", id), 1);
	assert_int_equal(COUNT("assessment_file WHERE record_id = ?1", rid),
	    2);
	/* The file reads back, verified, for whoever sees the assessment. */
	buf_init(&body);
	assert_int_equal(assessment_file(ta_dom(&t, t.lead), id, ta_int(&t,
	    "SELECT min(rowid) FROM assessment_file WHERE record_id = ?1",
	    rid), &meta, &body), DOM_OK);
	assert_int_equal(body.n, tj_pdf_len);
	assert_memory_equal(body.p, tj_pdf, tj_pdf_len);
	assert_string_equal(meta.filename, "审查报告.pdf");
	assert_string_equal(meta.mime, "application/pdf");
	buf_free(&body);
	/* The lead may record too. */
	assert_int_equal(record(t.lead, id, "practical", NULL, 0, &pr),
	    DOM_OK);
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1", id), 2);
}

static void
test_record_refused(void **state)
{
	long long id = assessing(), other = assessing(), rid;
	struct assess_upload files[ASSESS_RECORD_FILES + 1], fake = { "伪装.pdf",
	    "just some text\n", 15 };
	struct assess_problems pr;
	struct assess_file meta;
	struct buf body;
	struct dom *d;
	char sql[128];
	size_t i;

	for (i = 0; i < ASSESS_RECORD_FILES + 1; i++)
		files[i] = a_pdf();
	/* Not on the team, or no relation: not found. */
	assert_int_equal(record(t.as2, id, "interview", NULL, 0, &pr),
	    DOM_NOT_FOUND);
	assert_int_equal(record(t.lead2, id, "interview", NULL, 0, &pr),
	    DOM_NOT_FOUND);
	/* An expert of the panel may read the assessment, not record. */
	ta_panel(&t, id, t.ex1, 1);
	assert_int_equal(record(t.ex1, id, "interview", NULL, 0, &pr),
	    DOM_FORBIDDEN);
	/* Bad input. */
	assert_int_equal(record(t.as1, id, "meeting", NULL, 0, &pr),
	    DOM_INVALID);
	assert_string_equal(pr.v[0].field, "kind");
	assert_int_equal(record(t.as1, id, "interview", &fake, 1, &pr),
	    DOM_INVALID);
	assert_string_equal(pr.v[0].field, "file");
	assert_non_null(strstr(pr.v[0].msg, "伪装.pdf"));
	/* A good file and a bad one: neither record nor file row. */
	files[1] = fake;
	assert_int_equal(record(t.as1, id, "interview", files, 2, &pr),
	    DOM_INVALID);
	files[1] = a_pdf();
	assert_int_equal(record(t.as1, id, "interview", files,
	    ASSESS_RECORD_FILES + 1, &pr), DOM_INVALID);
	assert_non_null(strstr(pr.v[0].msg, "最多附 10 个文件"));
	d = ta_dom(&t, t.as1);
	d->max_file = 16;
	{
		struct assess_record_input in = { "interview", "发现",
		    files, 1, NULL, NULL };

		assert_int_equal(assessment_record(d, id, &in, &pr, NULL),
		    DOM_INVALID);
		assert_non_null(strstr(pr.v[0].msg, "超过了每个文件"));
	}
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("assessment_file f JOIN assessment_record r ON "
	    "r.id = f.record_id WHERE r.case_id = ?1", id), 0);
	/* Not in 评估中. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s' WHERE id = "
	    "%lld", status_code(ST_EXPERT_REVIEW), id);
	ta_exec(&t, sql);
	d = ta_dom(&t, t.as1);
	{
		struct assess_record_input in = { "interview", "发现", NULL,
		    0, NULL, NULL };

		assert_int_equal(assessment_record(d, id, &in, &pr, NULL),
		    DOM_CONFLICT);
		assert_non_null(strstr(d->msg, "只有在“评估中”状态下"));
	}
	assert_int_equal(COUNT("assessment_record WHERE case_id = ?1", id), 0);
	/* A file of one case is not found through another. */
	assert_int_equal(record(t.as1, other, "interview", files, 1, &pr),
	    DOM_OK);
	rid = ta_int(&t, "SELECT f.rowid FROM assessment_file f JOIN "
	    "assessment_record r ON r.id = f.record_id WHERE r.case_id = ?1",
	    other);
	buf_init(&body);
	assert_int_equal(assessment_file(ta_dom(&t, t.lead), id, rid, &meta,
	    &body), DOM_NOT_FOUND);
	assert_int_equal(assessment_file(ta_dom(&t, t.as2), other, rid, &meta,
	    &body), DOM_NOT_FOUND);
	assert_int_equal(assessment_file(ta_dom(&t, t.app), other, rid, &meta,
	    &body), DOM_NOT_FOUND);
	assert_int_equal(body.n, 0);
	buf_free(&body);
}

static void
test_conclude(void **state)
{
	long long id = assessing();
	struct assess_problems pr;
	struct dom *d = ta_dom(&t, t.as1);
	const char *notice;

	/* Not before a record; a verdict is needed. */
	assert_int_equal(assessment_conclude(d, id, "pass", "证据充分。", &pr),
	    DOM_INVALID);
	assert_non_null(strstr(d->msg, "请先记录至少一项评估活动"));
	assert_int_equal(record(t.as1, id, "document_review", NULL, 0, NULL),
	    DOM_OK);
	assert_int_equal(record(t.as1, id, "practical", NULL, 0, NULL),
	    DOM_OK);
	assert_int_equal(record(t.lead, id, "document_review", NULL, 0, NULL),
	    DOM_OK);
	assert_int_equal(assessment_conclude(d, id, "maybe", "", &pr),
	    DOM_INVALID);
	assert_int_equal(pr.n, 2);
	assert_string_equal(pr.v[0].field, "verdict");
	assert_string_equal(pr.v[1].field, "text");
	assert_int_equal(assessment_conclude(ta_dom(&t, t.as2), id, "pass",
	    "证据充分。", &pr), DOM_NOT_FOUND);
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 0);
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);

	assert_int_equal(assessment_conclude(ta_dom(&t, t.as1), id, "pass",
	    "证据充分，符合二级要求。", &pr), DOM_OK);
	assert_int_equal(ta_status(&t, id), ST_EXPERT_REVIEW);
	assert_string_equal(ta_text(&t, "SELECT reason FROM event WHERE "
	    "case_id = ?1", id), "项目组审核结论：通过");
	notice = ta_text(&t, "SELECT body FROM notice WHERE case_id = ?1 AND "
	    "kind = 'conclusion'", id);
	assert_non_null(strstr(notice, "项目组（评估员甲）共记录评估活动 3 项"
	    "（文档审查 2 项、实际操作 1 项）"));
	assert_non_null(strstr(notice, "证据充分，符合二级要求。"));
	assert_true(COUNT("outbox WHERE case_id = ?1", id) >= 1);
	/* Once: no second conclusion, no more records. */
	d = ta_dom(&t, t.lead);
	assert_int_equal(assessment_conclude(d, id, "fail", "x", NULL),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "只有在“评估中”状态下"));
	assert_int_equal(record(t.as1, id, "interview", NULL, 0, NULL),
	    DOM_CONFLICT);
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 1);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 1);
}

static enum dom_rc
conclude_pass(struct dom *d, long long case_id)
{
	return assessment_conclude(d, case_id, "pass", "证据充分。", NULL);
}

static enum dom_rc
conclude_fail(struct dom *d, long long case_id)
{
	return assessment_conclude(d, case_id, "fail", "证据不足。", NULL);
}

/* Two of the team conclude at the same moment: one conclusion. */
static void
test_conclude_race(void **state)
{
	enum dom_rc out[2];
	long long id;
	int i, won;

	for (i = 0; i < 4; i++) {
		id = assessing();
		assert_int_equal(record(t.as1, id, "interview", NULL, 0, NULL),
		    DOM_OK);
		ta_race(&t, id, t.as1, conclude_pass, t.lead, conclude_fail,
		    out);
		won = ta_one_wins(out);
		assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1",
		    id), 1);
		assert_int_equal(COUNT("event WHERE case_id = ?1", id), 1);
		assert_int_equal(COUNT("notice WHERE case_id = ?1", id), 1);
		assert_string_equal(ta_text(&t, "SELECT verdict FROM "
		    "audit_conclusion WHERE case_id = ?1", id),
		    won == 0 ? "pass" : "fail");
	}
}

static void
test_reads(void **state)
{
	long long id = assessing(), early = ta_case(&t, ST_ACCEPTED);
	struct assess_person *p;
	struct assessment a;
	struct case_ref c;
	struct dom *d;
	size_t n, i;

	assert_int_equal(record(t.as1, id, "interview", NULL, 0, NULL),
	    DOM_OK);
	d = ta_dom(&t, t.as1);
	assert_int_equal(access_case(d, id, PART_ASSESSMENT, &c), DOM_OK);
	assert_int_equal(assessment_begun(d, &c), DOM_OK);
	assert_int_equal(assessment_get(d, &c, &a), DOM_OK);
	assert_null(a.plan);
	assert_int_equal(a.nteam, 1);
	assert_string_equal(a.team[0].name, "评估员甲");
	assert_int_equal(a.nrecords, 1);
	assert_string_equal(a.records[0].kind, "interview");
	assert_null(a.conclusion);
	/* The assessors to pick: for the lead in 审核计划 only. */
	assert_int_equal(assessment_assessors(d, &c, &p, &n), DOM_FORBIDDEN);
	d = ta_dom(&t, t.lead);
	assert_int_equal(access_case(d, early, PART_ASSESSMENT, &c), DOM_OK);
	assert_int_equal(assessment_begun(d, &c), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "尚未进入评估阶段"));
	id = ta_case(&t, ST_ASSESSMENT_PLANNING);
	ta_team(&t, id, t.as2);
	assert_int_equal(access_case(d, id, PART_ASSESSMENT, &c), DOM_OK);
	assert_int_equal(assessment_assessors(d, &c, &p, &n), DOM_OK);
	assert_int_equal(n, 2);		/* not the disabled one */
	for (i = 0; i < n; i++)
		assert_int_equal(p[i].flag, p[i].id == t.as2);
	/* Who has no relation, and an expert not yet declared, do not
	 * see the assessment. */
	ta_panel(&t, id, t.ex2, 0);
	assert_int_equal(access_case(ta_dom(&t, t.ex2), id, PART_ASSESSMENT,
	    &c), DOM_NOT_FOUND);
	assert_int_equal(access_case(ta_dom(&t, t.as1), id, PART_ASSESSMENT,
	    &c), DOM_NOT_FOUND);
	assert_int_equal(access_case(ta_dom(&t, t.lead2), id, PART_ASSESSMENT,
	    &c), DOM_NOT_FOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_refused),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_refused),
		cmocka_unit_test(test_conclude),
		cmocka_unit_test(test_conclude_race),
		cmocka_unit_test(test_other_method),
		cmocka_unit_test(test_conclude_dates),
		cmocka_unit_test(test_reads),
	};

	return cmocka_run_group_tests_name("assessment", tests, setup,
	    teardown);
}
