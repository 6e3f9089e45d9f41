/*
 * test_intake.c: 受理审查 (intake.c) on a temporary database. Each step
 * works and writes what it should (the status, the event, the notice and
 * its mail); it is refused, with nothing written, in a wrong status, for
 * a wrong person and for bad input; and it checks inside its own
 * transaction: a rival request that changes the case while the step
 * waits for the write lock wins, and the step then refuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formdata.h"
#include "intake.h"
#include "testlib_dom.h"
#include "util.h"

/* The assessor on the case's team. */
static void
on_team(long long id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "INSERT INTO team_member(case_id, "
	    "account_id) VALUES (%lld, %d)", id, TD_ASSESSOR);
	td_exec(sql);
}

static void
test_take(void **state)
{
	long long id = td_case(ST_SUBMITTED, 0, NULL);
	struct dom *d;
	const char *before;

	/* Not for an assessor with no relation to the case, nor the
	 * applicant (it never sees the review): not found. An assessor on
	 * the team sees the review but may not take the case. */
	before = td_state(id);
	d = td_dom(TD_ASSESSOR);
	assert_int_equal(intake_take(d, id), DOM_NOT_FOUND);
	assert_int_equal(intake_take(td_dom(TD_APPLICANT), id),
	    DOM_NOT_FOUND);
	on_team(id);
	d = td_dom(TD_ASSESSOR);
	assert_int_equal(intake_take(d, id), DOM_FORBIDDEN);
	assert_string_equal(d->msg, "您不能开始受理审查。");
	d = td_dom(TD_OUTSIDER);
	assert_int_equal(intake_take(d, id), DOM_NOT_FOUND);
	assert_int_equal(intake_take(td_dom(TD_LEAD), 999999), DOM_NOT_FOUND);
	assert_string_equal(td_state(id), before);

	/* A lead from the pool takes it: theirs, in intake_review. */
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_take(d, id), DOM_OK);
	assert_null(d->msg);
	assert_string_equal(td_status(id), "intake_review");
	assert_int_equal(td_int("SELECT lead_id FROM cases WHERE id = ?1",
	    id), TD_LEAD);
	assert_int_equal(td_int("SELECT count(*) FROM event WHERE case_id = "
	    "?1 AND to_status = 'intake_review' AND actor_id = 2", id), 1);
	/* The cases row keeps the status facts (stage 受理, open). */
	assert_int_equal(td_int("SELECT stage FROM cases WHERE id = ?1", id),
	    STAGE_ACCEPTANCE);

	/* Taken: the other lead no longer sees it; the lead cannot take
	 * it twice. Nothing written either time. */
	before = td_state(id);
	assert_int_equal(intake_take(td_dom(TD_LEAD2), id), DOM_NOT_FOUND);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_take(d, id), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "受理审查中"));
	assert_string_equal(td_state(id), before);
}

static void
test_take_race(void **state)
{
	long long id = td_case(ST_SUBMITTED, 0, NULL);
	const char *before;

	/* Lead 2 takes the case while lead 1's request waits for the
	 * lock: lead 1's step must see it taken. */
	td_rival(td_set_status(id, ST_INTAKE_REVIEW, TD_LEAD2), 300);
	assert_int_equal(intake_take(td_dom(TD_LEAD), id), DOM_NOT_FOUND);
	td_rival_done();
	assert_int_equal(td_int("SELECT lead_id FROM cases WHERE id = ?1",
	    id), TD_LEAD2);
	before = td_state(id);
	assert_non_null(strstr(before, "events 1 "));	/* the submission */
}

static void
test_findings(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	struct intake_finding in[] = {
		{ "form", "ok", "" },
		{ "pa01", "supplement", "缺少制度文件" },
	};
	struct intake_finding bad_verdict[] = {
		{ "form", "ok", "" },
		{ "pa02", "maybe", "" },
	};
	struct intake_finding bad_area[] = { { "pa99", "ok", "" } };
	struct intake_finding again[] = { { "pa01", "ok", "已补充" } };
	struct intake_finding long_comment[] = { { "pa03", "fail", NULL } };
	char *big = malloc(4002);
	const char *before;
	struct dom *d;

	/* Bad input: nothing written, not even the good finding before
	 * the bad one. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_record_findings(d, id, bad_verdict, 2),
	    DOM_INVALID);
	assert_int_equal(intake_record_findings(d, id, bad_area, 1),
	    DOM_INVALID);
	memset(big, 'x', 4001);
	big[4001] = '\0';
	long_comment[0].comment = big;
	assert_int_equal(intake_record_findings(d, id, long_comment, 1),
	    DOM_INVALID);
	assert_string_equal(d->field, "comment_pa03");
	assert_non_null(strstr(d->msg, "4000"));
	big[4000] = '\0';	/* 4000 bytes: allowed */
	/* The wrong people. */
	assert_int_equal(intake_record_findings(td_dom(TD_LEAD2), id, in, 2),
	    DOM_NOT_FOUND);
	assert_int_equal(intake_record_findings(td_dom(TD_APPLICANT), id, in,
	    2), DOM_NOT_FOUND);
	on_team(id);
	assert_int_equal(intake_record_findings(td_dom(TD_ASSESSOR), id, in,
	    2), DOM_FORBIDDEN);
	assert_string_equal(td_state(id), before);

	/* They work, and a second save replaces the area's finding. */
	assert_int_equal(intake_record_findings(d, id, in, 2), DOM_OK);
	assert_int_equal(intake_record_findings(d, id, long_comment, 1),
	    DOM_OK);
	assert_int_equal(intake_record_findings(d, id, again, 1), DOM_OK);
	assert_int_equal(td_int("SELECT count(*) FROM finding WHERE case_id "
	    "= ?1 AND round_n = 1", id), 3);
	assert_string_equal(td_text("SELECT verdict || comment FROM finding "
	    "WHERE case_id = ?1 AND area = 'pa01'", id), "ok已补充");
	assert_int_equal(td_int("SELECT count(*) FROM event WHERE case_id = "
	    "?1", id), 1);	/* no status change */
	free(big);

	/* Only in intake_review. */
	td_exec(td_set_status(id, ST_SUPPLEMENT_REQUESTED, 0));
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_record_findings(d, id, in, 2), DOM_CONFLICT);
	assert_string_equal(d->msg, "只有在受理审查中才能记录审查意见。");
	assert_string_equal(td_state(id), before);
}

static void
test_findings_race(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	struct intake_finding in[] = { { "form", "fail", "不符合" } };
	const char *before;

	/* Accepted by a concurrent request: the findings come too late. */
	td_rival(td_set_status(id, ST_ACCEPTED, 0), 300);
	assert_int_equal(intake_record_findings(td_dom(TD_LEAD), id, in, 1),
	    DOM_CONFLICT);
	td_rival_done();
	before = td_state(id);
	assert_non_null(strstr(before, "findings 0:"));
}

static void
test_item_check(void **state)
{
	struct arena *a = arena_new();
	struct intake_item ok = { 0, "s2", "请补充发展历程" };
	struct intake_item material = { 1, "org_chart", "组织架构图不清晰" };
	struct intake_item no_target = { 2, "", "写了内容" };
	struct intake_item bad_target = { 3, "nonsense", "写了内容" };
	struct intake_item no_what = { 4, "s2", "" };
	struct intake_item control = { 5, "s2", "含\x01控制字符" };
	const char *label = NULL, *err;

	assert_null(intake_item_check(a, &ok, &label));
	assert_non_null(strstr(label, "申请书"));
	assert_null(intake_item_check(a, &material, &label));
	assert_non_null(strstr(label, "材料："));
	err = intake_item_check(a, &no_target, NULL);
	assert_string_equal(err, "第 3 项：请选择需要补正的章节或材料。");
	assert_non_null(intake_item_check(a, &bad_target, NULL));
	err = intake_item_check(a, &no_what, NULL);
	assert_non_null(strstr(err, "第 5 项：请写明需要补正的内容"));
	assert_non_null(intake_item_check(a, &control, NULL));
	arena_free(a);
}

static void
test_supplement(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	struct intake_item items[] = {
		{ 0, "s2", "请补充发展历程" },
		{ 2, "org_chart", "组织架构图不清晰" },
	};
	struct intake_item bad[] = {
		{ 0, "s2", "请补充发展历程" },
		{ 3, "s2", "" },
	};
	const char *before, *body;
	char due[DATE_BUFSZ];
	struct dom *d;

	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_request_supplement(d, id, items, 0),
	    DOM_INVALID);
	assert_string_equal(d->field, "item-0");
	assert_non_null(strstr(d->msg, "请至少列出一项"));
	assert_int_equal(intake_request_supplement(d, id, bad, 2),
	    DOM_INVALID);
	assert_string_equal(d->field, "item-3");
	assert_int_equal(intake_request_supplement(td_dom(TD_LEAD2), id,
	    items, 2), DOM_NOT_FOUND);
	assert_int_equal(intake_request_supplement(td_dom(TD_SUPERVISOR), id,
	    items, 2), DOM_NOT_FOUND);
	assert_string_equal(td_state(id), before);

	/* All items at once, due one month on, by notice and mail. */
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_request_supplement(d, id, items, 2), DOM_OK);
	assert_string_equal(td_status(id), "supplement_requested");
	date_format(intake_supplement_due(d), due);
	assert_string_equal(due, "2027-02-15");
	assert_string_equal(td_text("SELECT due FROM notice WHERE case_id = "
	    "?1 AND kind = 'supplement'", id), due);
	assert_int_equal(td_int("SELECT count(*) FROM supplement_item i JOIN "
	    "notice n ON n.id = i.notice_id WHERE n.case_id = ?1", id), 2);
	body = td_text("SELECT body FROM notice WHERE case_id = ?1 AND kind = "
	    "'supplement'", id);
	assert_non_null(strstr(body, "请补充发展历程"));
	assert_non_null(strstr(body, "组织架构图不清晰"));
	assert_non_null(strstr(body, "2027-02-15"));
	assert_non_null(strstr(body, "甲公司"));
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'a@x.cn'", id), 1);
	assert_non_null(strstr(td_text("SELECT reason FROM event WHERE "
	    "case_id = ?1 ORDER BY id DESC LIMIT 1", id), "要求补正 2 项，期限 "
	    "2027-02-15"));

	/* Not again while it is awaited: the workflow says no. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_request_supplement(d, id, items, 2),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不能转为"));
	assert_string_equal(td_state(id), before);
}

/* 更正通知 (issue 17): a wrong pairing in a sent notice is corrected by
 * a notice that supersedes it; the status stays; only while awaited. */
static void
test_correct(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL), old;
	struct intake_item items[] = {
		{ 0, "social_insurance", "【PA07 协调安全】缺少协调记录" },
	};
	struct intake_item fixed[] = {
		{ 0, "pa07_evidence", "【PA07 协调安全】缺少协调记录" },
	};
	struct intake_item bad[] = { { 1, "", "内容" } };
	const char *no, *before, *body;
	struct dom *d;

	d = td_dom(TD_LEAD);
	/* Nothing to correct before a notice was sent. */
	assert_int_equal(intake_correct_supplement(d, id, fixed, 1, &no),
	    DOM_CONFLICT);
	assert_int_equal(intake_request_supplement(td_dom(TD_LEAD), id, items,
	    1), DOM_OK);
	old = td_int("SELECT max(id) FROM notice WHERE case_id = ?1 AND "
	    "kind = 'supplement'", id);
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_correct_supplement(d, id, bad, 1, &no),
	    DOM_INVALID);
	assert_string_equal(d->field, "item-1");
	assert_int_equal(intake_correct_supplement(td_dom(TD_LEAD2), id, fixed,
	    1, &no), DOM_NOT_FOUND);
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_LEAD);
	assert_int_equal(intake_correct_supplement(d, id, fixed, 1, &no),
	    DOM_OK);
	assert_non_null(no);
	assert_string_equal(td_status(id), "supplement_requested");
	assert_int_equal(td_int("SELECT supersedes FROM notice_supersedes "
	    "WHERE notice_id = (SELECT max(id) FROM notice WHERE case_id = ?1)",
	    id), old);
	body = td_text("SELECT body FROM notice WHERE case_id = ?1 ORDER BY "
	    "id DESC LIMIT 1", id);
	assert_non_null(strstr(body, "更正通知"));
	assert_non_null(strstr(body, "更正并取代编号为"));
	assert_non_null(strstr(body, no));
	assert_non_null(strstr(body, "材料：PA07 协调安全 证据材料"));
	assert_null(strstr(body, "社会保险缴纳证明"));
	/* The items in force are the corrected ones. */
	assert_int_equal(td_int("SELECT count(*) FROM supplement_item WHERE "
	    "notice_id = (SELECT max(id) FROM notice WHERE case_id = ?1) AND "
	    "target = 'pa07_evidence'", id), 1);
	/* Notices stay as they were: the link cannot be changed. */
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1 AND kind = 'supplement'", id), 2);
}

static void
test_supplement_race(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	struct intake_item items[] = { { 0, "s2", "请补充发展历程" } };
	char sql[512];

	/* Two requests for a supplement: the first one's notice stands,
	 * the second is refused. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = "
	    "'supplement_requested' WHERE id = %lld; INSERT INTO notice("
	    "case_id, kind, no, at, day, title, body, due) VALUES (%lld, "
	    "'supplement', 'rival-%lld', 'x', '2027-01-15', 't', 'b', "
	    "'2027-02-15')", id, id, id);
	td_rival(sql, 300);
	assert_int_equal(intake_request_supplement(td_dom(TD_LEAD), id, items,
	    1), DOM_CONFLICT);
	td_rival_done();
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 1);
	assert_int_equal(td_int("SELECT count(*) FROM supplement_item i JOIN "
	    "notice n ON n.id = i.notice_id WHERE n.case_id = ?1", id), 0);
}

static void
test_accept(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	const char *before;
	struct dom *d;

	before = td_state(id);
	assert_int_equal(intake_accept(td_dom(TD_LEAD2), id), DOM_NOT_FOUND);
	assert_int_equal(intake_accept(td_dom(TD_APPLICANT), id),
	    DOM_NOT_FOUND);
	on_team(id);
	d = td_dom(TD_ASSESSOR);
	assert_int_equal(intake_accept(d, id), DOM_FORBIDDEN);
	assert_string_equal(d->msg, "您不能受理审查。");
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id), DOM_OK);
	assert_string_equal(td_status(id), "accepted");
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE "
	    "case_id = ?1 AND kind = 'acceptance'", id), "李负责"));
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 1);

	/* Accepted once; not from a supplement awaited either. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id), DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
	id = td_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, NULL);
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不能转为"));
	assert_string_equal(td_state(id), before);
}

static void
test_accept_race(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);

	/* The applicant withdraws while the acceptance waits. */
	td_rival(td_set_status(id, ST_WITHDRAWN, 0), 300);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id), DOM_CONFLICT);
	td_rival_done();
	assert_string_equal(td_status(id), "withdrawn");
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 0);

	/* The case is handed to another lead while the acceptance waits:
	 * the first lead may no longer decide it. */
	id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	td_rival(td_set_status(id, ST_INTAKE_REVIEW, TD_LEAD2), 300);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id), DOM_NOT_FOUND);
	td_rival_done();
	assert_string_equal(td_status(id), "intake_review");
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 0);
}

static void
test_refuse(void **state)
{
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	const char *before;
	struct dom *d;

	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_refuse(d, id, ""), DOM_INVALID);
	assert_string_equal(d->field, "reasons");
	assert_non_null(strstr(d->msg, "请写明不予受理的理由"));
	assert_int_equal(intake_refuse(d, id, NULL), DOM_INVALID);
	assert_int_equal(intake_refuse(td_dom(TD_LEAD2), id, "理由"),
	    DOM_NOT_FOUND);
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_LEAD);
	assert_int_equal(intake_refuse(d, id, "不具有独立法人资格。"), DOM_OK);
	assert_string_equal(td_status(id), "rejected");
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE "
	    "case_id = ?1 AND kind = 'refusal'", id), "不具有独立法人资格"));
	assert_string_equal(td_text("SELECT reason FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1", id), "不具有独立法人资格。");
}

/* A supplement notice on the case, due on due. */
static void
supplement_due(long long id, const char *due)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body, due) VALUES (%lld, 'supplement', 'due-%lld', "
	    "'x', '2026-12-14', 't', 'b', '%s')", id, id, due);
	td_exec(sql);
}

static void
test_refuse_overdue(void **state)
{
	long long id = td_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, NULL);
	const char *before;
	struct dom *d;

	/* Due today: not yet overdue. */
	supplement_due(id, TD_TODAY);
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_refuse(d, id, "逾期未补正"), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "尚未届满"));
	assert_string_equal(td_state(id), before);

	/* Past the due date: refused for lateness. */
	id = td_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, NULL);
	supplement_due(id, "2027-01-14");
	assert_int_equal(intake_refuse(td_dom(TD_LEAD), id, "逾期未补正"),
	    DOM_OK);
	assert_string_equal(td_status(id), "rejected");
}

static void
test_refuse_race(void **state)
{
	long long id = td_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, NULL);

	/* Overdue when the lead loads the page; the applicant withdraws
	 * while the refusal waits for the lock. */
	supplement_due(id, "2027-01-14");
	td_rival(td_set_status(id, ST_WITHDRAWN, 0), 300);
	assert_int_equal(intake_refuse(td_dom(TD_LEAD), id, "逾期未补正"),
	    DOM_CONFLICT);
	td_rival_done();
	assert_string_equal(td_status(id), "withdrawn");
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1 AND kind = 'refusal'", id), 0);
}

static void
test_view(void **state)
{
	const char *r1[] = { "history", "2015年成立", "profile", "旧简介",
	    NULL };
	const char *r2[] = { "history", "2015年成立，2020年扩大团队",
	    "management", "设有质量部", NULL };
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, r1);
	struct intake_finding in[] = { { "pa01", "supplement", "缺少" } };
	struct intake_view v;
	struct case_ref c;
	struct dom *d;
	char sql[768];
	size_t i;
	int history = 0, chart = 0, profile = 0;

	td_round(id, 2, r2);
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(%lld, 'org_chart', '新组织架构图.pdf', 'application/pdf', 10, "
	    "'%064d', 1, 'x'); INSERT INTO round_file(round_id, material_id) "
	    "VALUES ((SELECT max(id) FROM round), (SELECT max(id) FROM "
	    "material))", id, 7);
	td_exec(sql);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_record_findings(d, id, in, 1), DOM_OK);

	/* Without the findings part, nothing. */
	assert_int_equal(access_case(td_dom(TD_APPLICANT), id, 0, &c),
	    DOM_OK);
	assert_int_equal(intake_view(td_dom(TD_APPLICANT), &c, &v),
	    DOM_NOT_FOUND);

	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_int_equal(v.round, 2);
	assert_int_equal(v.prev_round, 1);
	assert_string_equal(formdata_get(v.form, "management", -1),
	    "设有质量部");
	assert_int_equal(v.nfiles, 1);
	assert_string_equal(v.files[0].filename, "新组织架构图.pdf");
	for (i = 0; i < v.nchanges; i++) {
		if (strstr(v.changes[i].now, "2020年扩大团队") != NULL &&
		    strcmp(v.changes[i].was, "2015年成立") == 0)
			history++;
		if (strcmp(v.changes[i].now, "新文件 新组织架构图.pdf") == 0)
			chart++;
		if (strcmp(v.changes[i].was, "旧简介") == 0 &&
		    strcmp(v.changes[i].now, "（无）") == 0)
			profile++;
	}
	assert_int_equal(history, 1);
	assert_int_equal(chart, 1);
	assert_int_equal(profile, 1);
	assert_int_equal(v.nchanges, 4);	/* + management, new */
	assert_int_equal(v.nchecks, RULES_NCHECKS);
	/* The findings are the latest round's. */
	assert_int_equal(v.nfindings, 1);
	assert_string_equal(v.findings[0].area, "pa01");
	assert_string_equal(v.supplement_due, "2027-02-15");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_take_race),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_findings_race),
		cmocka_unit_test(test_item_check),
		cmocka_unit_test(test_supplement),
		cmocka_unit_test(test_correct),
		cmocka_unit_test(test_supplement_race),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_accept_race),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_refuse_overdue),
		cmocka_unit_test(test_refuse_race),
		cmocka_unit_test(test_view),
	};

	return cmocka_run_group_tests_name("受理审查 (intake.c)", tests, td_setup,
	    td_teardown);
}
