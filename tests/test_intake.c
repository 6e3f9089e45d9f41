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

#include "agreement.h"
#include "formdata.h"
#include "intake.h"
#include "notice.h"
#include "paper.h"
#include "submission.h"
#include "testlib_dom.h"
#include "timeline.h"
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

/* Section 一 and 声明 as a case that meets 基本资格 gives them. */
#define BASIC_OK \
	"uscc", "91350100M000100Y43", "org_nature", "limited", \
	"decl_lawful", "yes", "l1_cert_no", "CNITSEC2025SE1-0042", \
	"l1_cert_expiry", "2028-12-31"

static const char *const basic_ok[] = { BASIC_OK, NULL };

/* The paper original of the case's latest round, received today and
 * matching (or not). */
static void
paper_in(long long id, int matches)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO paper_receipt(case_id, "
	    "round_n, courier, waybill, received_on, checked_by, paper, cd, "
	    "matches, notes, recorded_by, recorded_at) VALUES (%lld, (SELECT "
	    "rounds FROM cases WHERE id = %lld), '顺丰速运', 'SF1234567890', "
	    "'%s', '李负责', 1, 1, %d, '', %d, 'x')", id, id, TD_TODAY,
	    matches, TD_LEAD);
	td_exec(sql);
}

/* A case in st that meets 基本资格, with kv (may be NULL) added to its
 * round, its business licence, and its paper original in hand. */
static long long
eligible_case(enum status st, long long lead, const char *const *kv)
{
	const char *all[64];
	size_t n = 0, i;
	long long id;

	for (i = 0; basic_ok[i] != NULL; i++)
		all[n++] = basic_ok[i];
	for (i = 0; kv != NULL && kv[i] != NULL && n < 62; i++)
		all[n++] = kv[i];
	all[n] = NULL;
	id = td_case(st, lead, all);
	td_round_file(id, "business_licence", -1);
	paper_in(id, 1);
	return id;
}

/* Round n of case id, meeting 基本资格 as eligible_case's does, with kv
 * (may be NULL) added, its business licence and its paper original. */
static void
eligible_round(long long id, int n, const char *const *kv)
{
	const char *all[64];
	size_t k = 0, i;

	for (i = 0; basic_ok[i] != NULL; i++)
		all[k++] = basic_ok[i];
	for (i = 0; kv != NULL && kv[i] != NULL && k < 62; i++)
		all[k++] = kv[i];
	all[k] = NULL;
	td_round(id, n, all);
	td_round_file(id, "business_licence", -1);
	paper_in(id, 1);
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

	/* All items at once, due one month after 送达, by notice and
	 * mail: no due date until it is served. */
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_request_supplement(d, id, items, 2), DOM_OK);
	assert_string_equal(td_status(id), "supplement_requested");
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1 AND kind = 'supplement' AND due IS NULL", id), 1);
	assert_int_equal(td_int("SELECT count(*) FROM notice_service s JOIN "
	    "notice n ON n.id = s.notice_id WHERE n.case_id = ?1", id), 0);
	assert_int_equal(td_int("SELECT count(*) FROM supplement_item i JOIN "
	    "notice n ON n.id = i.notice_id WHERE n.case_id = ?1", id), 2);
	body = td_text("SELECT body FROM notice WHERE case_id = ?1 AND kind = "
	    "'supplement'", id);
	assert_non_null(strstr(body, "请补充发展历程"));
	assert_non_null(strstr(body, "组织架构图不清晰"));
	assert_non_null(strstr(body, "送达之日起一个月内"));
	assert_non_null(strstr(body, "甲公司"));
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'a@x.cn'", id), 1);
	assert_non_null(strstr(td_text("SELECT reason FROM event WHERE "
	    "case_id = ?1 ORDER BY id DESC LIMIT 1", id), "要求补正 2 项，期限为"
	    "补正告知书送达之日起一个月"));

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
	long long id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	const char *before;
	struct dom *d;

	before = td_state(id);
	assert_int_equal(intake_accept(td_dom(TD_LEAD2), id, NULL),
	    DOM_NOT_FOUND);
	assert_int_equal(intake_accept(td_dom(TD_APPLICANT), id, NULL),
	    DOM_NOT_FOUND);
	on_team(id);
	d = td_dom(TD_ASSESSOR);
	assert_int_equal(intake_accept(d, id, NULL), DOM_FORBIDDEN);
	assert_string_equal(d->msg, "您不能受理审查。");
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_OK);
	assert_string_equal(td_status(id), "accepted");
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE "
	    "case_id = ?1 AND kind = 'acceptance'", id), "李负责"));
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 1);

	/* Accepted once; not from a supplement awaited either. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
	id = td_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, NULL);
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不能转为"));
	assert_string_equal(td_state(id), before);
}

static void
test_accept_race(void **state)
{
	long long id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);

	/* The applicant withdraws while the acceptance waits. */
	td_rival(td_set_status(id, ST_WITHDRAWN, 0), 300);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL),
	    DOM_CONFLICT);
	td_rival_done();
	assert_string_equal(td_status(id), "withdrawn");
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 0);

	/* The case is handed to another lead while the acceptance waits:
	 * the first lead may no longer decide it. */
	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	td_rival(td_set_status(id, ST_INTAKE_REVIEW, TD_LEAD2), 300);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL),
	    DOM_NOT_FOUND);
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

/* A supplement notice on the case, served, due on due. */
static void
supplement_due(long long id, const char *due)
{
	char sql[768];

	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body) VALUES (%lld, 'supplement', 'due-%lld', 'x', "
	    "'2026-12-14', 't', 'b'); INSERT INTO notice_service(notice_id, "
	    "at, day, via, due) VALUES (last_insert_rowid(), 'x', "
	    "'2026-12-14', 'smtp', '%s')", id, id, due);
	td_exec(sql);
}

/* The latest supplement notice of case id as reader sees it. */
static void
supplement_of(long long reader, long long id, struct notice_supplement *s)
{
	struct dom *d = td_dom(reader);
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_supplement(d, &c, s), DOM_OK);
}

static void
test_recipients(void **state)
{
	const char *other[] = { "contact_email", "contact@corp.cn", NULL };
	const char *same[] = { "contact_email", "A@X.cn", NULL };
	long long id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, other);

	/* The 申请书's designated contact and the account. */
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL), DOM_OK);
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 2);
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'contact@corp.cn'", id), 1);
	/* The latest round's contact counts; when it is the account (in
	 * other letters), one message. */
	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, other);
	eligible_round(id, 2, same);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL), DOM_OK);
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 1);
}

static void
test_served(void **state)
{
	struct intake_item items[] = { { 0, "s2", "请补充发展历程" } };
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL), nid;
	struct notice_supplement s;
	struct notice_row row;
	struct case_ref c;
	struct dom *d;

	/* Requested 2027-01-15; not served yet: 待送达, no due date, and
	 * the case can never be refused as late. */
	assert_int_equal(intake_request_supplement(td_dom(TD_LEAD), id, items,
	    1), DOM_OK);
	nid = td_int("SELECT max(id) FROM notice WHERE kind = 'supplement'",
	    0);
	supplement_of(TD_APPLICANT, id, &s);
	assert_string_equal(s.due, "");
	assert_string_equal(s.served_day, "");
	d = td_dom_at(TD_LEAD, 60);
	assert_int_equal(intake_refuse(d, id, "逾期未补正"), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "尚未送达"));
	/* The lead reading it does not serve it. */
	d = td_dom_at(TD_LEAD, 1);
	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_open(d, &c, nid, &row), DOM_OK);
	assert_string_equal(row.served_day, "");
	/* The mail server accepts it two days after the notice
	 * (2027-01-17): due two days later than one month on. */
	assert_int_equal(notice_serve(td_dom(0)->store, nid, TD_NOW + 2 *
	    86400, NOTICE_VIA_SMTP, 0, 0), 1);
	supplement_of(TD_APPLICANT, id, &s);
	assert_string_equal(s.served_day, "2027-01-17");
	assert_string_equal(s.due, "2027-02-17");
	assert_string_equal(s.served_zh, "邮件服务器已接收");
	/* The applicant opening it later changes nothing: the first
	 * counts. */
	d = td_dom_at(TD_APPLICANT, 5);
	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_open(d, &c, nid, &row), DOM_OK);
	assert_string_equal(row.served_day, "2027-01-17");
	assert_string_equal(row.due, "2027-02-17");
	/* The workflow counts from there: not late on 2027-02-17, late
	 * the day after. */
	d = td_dom_at(TD_LEAD, 33);
	assert_string_equal(d->today_s, "2027-02-17");
	assert_int_equal(intake_refuse(d, id, "逾期未补正"), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "2027-02-17"));
	assert_int_equal(intake_refuse(td_dom_at(TD_LEAD, 34), id,
	    "逾期未补正"), DOM_OK);

	/* Opened in the portal first, by the applicant, three days on. */
	id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	assert_int_equal(intake_request_supplement(td_dom(TD_LEAD), id, items,
	    1), DOM_OK);
	nid = td_int("SELECT max(id) FROM notice WHERE kind = 'supplement'",
	    0);
	d = td_dom_at(TD_APPLICANT, 3);
	assert_int_equal(access_case(d, id, PART_NOTICES, &c), DOM_OK);
	assert_int_equal(notice_open(d, &c, nid, &row), DOM_OK);
	assert_string_equal(row.served_day, "2027-01-18");
	assert_string_equal(row.served_via, "portal");
	assert_string_equal(row.due, "2027-02-18");
	assert_int_equal(td_int("SELECT account_id FROM notice_service WHERE "
	    "notice_id = ?1", nid), TD_APPLICANT);
	/* The mail accepted afterwards does not move it. */
	assert_int_equal(notice_serve(td_dom(0)->store, nid, TD_NOW + 9 *
	    86400, NOTICE_VIA_SMTP, 0, 0), 0);
	supplement_of(TD_LEAD, id, &s);
	assert_string_equal(s.due, "2027-02-18");
	/* Another organisation's applicant cannot open it at all. */
	assert_int_equal(access_case(td_dom(TD_OUTSIDER), id, PART_NOTICES,
	    &c), DOM_NOT_FOUND);
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
	assert_int_equal(v.elig.nchecks, RULES_NCHECKS);
	/* The findings are the latest round's. */
	assert_int_equal(v.nfindings, 1);
	assert_string_equal(v.findings[0].area, "pa01");
	assert_false(v.has_supplement);
	assert_int_equal(v.nbounces, 0);
}

/* A context acting on day (YYYY-MM-DD) instead of TD_TODAY. */
static struct dom *
dom_on(long long who, const char *day)
{
	struct dom *d = td_dom(who);

	assert_int_equal(date_parse(day, &d->today), 0);
	date_format(d->today, d->today_s);
	return d;
}

/* The eligibility check code of the view's judgement. */
static const struct rules_check *
check_of(const struct eligibility *e, const char *code)
{
	size_t i;

	for (i = 0; i < e->nchecks; i++)
		if (strcmp(e->checks[i].code, code) == 0)
			return &e->checks[i];
	fail_msg("no check %s", code);
	return NULL;
}

/* The case's rounds submitted on day (YYYY-MM-DD, 10:00 Beijing). */
static void
submitted_on(long long id, const char *day)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "UPDATE round SET submitted_at = '%sT02:00:"
	    "00Z' WHERE case_id = %lld", day, id);
	td_exec(sql);
}

/*
 * 起评条件 (§3.1): a branch office is not an independent legal entity;
 * 受理 is refused while a 基本资格 check fails, unless the lead gives a
 * reason, which is kept, is in the timeline and is seen by a supervisor.
 */
static void
test_basic_condition(void **state)
{
	const char *branch[] = { "org_nature", "branch", NULL };
	const char *reason = "经总公司书面授权并承担法律责任，材料已核实。";
	struct intake_override *o;
	struct timeline_event *ev;
	struct intake_view v;
	struct case_ref c;
	struct dom *d;
	const char *before;
	char *big;
	size_t n, i;
	int seen = 0;
	long long id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, branch);

	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_int_equal(check_of(&v.elig, "legal_entity")->verdict,
	    RULES_FAIL);
	assert_true(check_of(&v.elig, "legal_entity")->basic);
	assert_int_equal(v.elig.nfailed, 1);
	assert_string_equal(v.elig.failed_zh, "独立法人");

	/* No reason (or only spaces, or too long): refused, nothing
	 * written. */
	before = td_state(id);
	assert_int_equal(intake_accept(d, id, NULL), DOM_INVALID);
	assert_string_equal(d->field, "override");
	assert_non_null(strstr(d->msg, "基本资格不符合：独立法人"));
	assert_non_null(strstr(d->msg, "起评条件"));
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, " \n "),
	    DOM_INVALID);
	big = malloc(INTAKE_OVERRIDE_MAX + 2);
	memset(big, 'x', INTAKE_OVERRIDE_MAX + 1);
	big[INTAKE_OVERRIDE_MAX + 1] = '\0';
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, big), DOM_INVALID);
	assert_string_equal(d->field, "override");
	free(big);
	assert_string_equal(td_state(id), before);
	assert_int_equal(td_int("SELECT count(*) FROM basic_override WHERE "
	    "case_id = ?1", id), 0);

	/* With a reason: accepted, the override kept and in the event. */
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, reason), DOM_OK);
	assert_string_equal(td_status(id), "accepted");
	assert_string_equal(td_text("SELECT failed || '|' || reason FROM "
	    "basic_override WHERE case_id = ?1", id), arena_printf(d->arena,
	    "独立法人|%s", reason));
	assert_int_equal(td_int("SELECT by_id FROM basic_override WHERE "
	    "case_id = ?1", id), TD_LEAD);
	assert_int_equal(timeline_load(d, id, 1, &ev, &n), DOM_OK);
	for (i = 0; i < n; i++)
		if (ev[i].to == ST_ACCEPTED && strstr(ev[i].reason,
		    "基本资格不符合：独立法人") != NULL &&
		    strstr(ev[i].reason, reason) != NULL)
			seen++;
	assert_int_equal(seen, 1);

	/* A supervisor sees it once the case is theirs to supervise (a
	 * complaint about the organisation); the applicant does not read
	 * the review's part. */
	d = td_dom(TD_SUPERVISOR);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_NOT_FOUND);
	td_exec("INSERT INTO complaint(org_id, org_name, complainant, text, "
	    "received_on, recorded_by) VALUES (1, '甲公司', '某用户', '投诉', "
	    "'2027-01-10', 7)");
	d = td_dom(TD_SUPERVISOR);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_overrides(d, &c, &o, &n), DOM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(o[0].reason, reason);
	assert_string_equal(o[0].failed, "独立法人");
	assert_string_equal(o[0].by, "李负责");
	assert_int_equal(o[0].round, 1);
	d = td_dom(TD_APPLICANT);
	assert_int_equal(access_case(d, id, PART_SUMMARY, &c), DOM_OK);
	assert_int_equal(intake_overrides(d, &c, &o, &n), DOM_NOT_FOUND);

	/* The other basic checks: the declaration of lawfulness, the
	 * level-1 certificate valid on the submission day. */
	{
		const char *unlawful[] = { "decl_lawful", "", NULL };
		const char *expired[] = { "l1_cert_expiry", "2027-01-04",
		    NULL };

		id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, unlawful);
		d = td_dom(TD_LEAD);
		assert_int_equal(intake_accept(d, id, NULL), DOM_INVALID);
		assert_non_null(strstr(d->msg, "主管部门批准、遵守法律法规"));
		id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, expired);
		d = td_dom(TD_LEAD);
		assert_int_equal(intake_accept(d, id, NULL), DOM_INVALID);
		assert_non_null(strstr(d->msg, "一级资质证书"));
	}

	/* Nothing fails: a reason given anyway is not an override. */
	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, reason), DOM_OK);
	assert_int_equal(td_int("SELECT count(*) FROM basic_override WHERE "
	    "case_id = ?1", id), 0);
	assert_string_equal(td_text("SELECT reason FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1", id), "受理");
}

/* §3.1 (5): the centre's supplementary requirements, each recorded by
 * the lead with its evidence before 受理; one not met is a failed
 * 基本资格 check. */
static void
test_requirements(void **state)
{
	struct intake_req none[] = { { 0, 1, "x" } };
	struct intake_req no_evidence[] = { { 0, 1, "" } };
	struct intake_req not_met[] = {
		{ 0, 0, "信用中国查询到 2025 年行政处罚一次。" } };
	struct intake_req met[] = { { 0, 1, "信用中国查询无记录，截图见附件。" } };
	struct intake_view v;
	struct case_ref c;
	struct elig_req *list;
	struct dom *d;
	long long rid, id;
	size_t n;

	d = td_dom(0);
	assert_int_equal(elig_req_add(d, "", NULL, &rid), DOM_INVALID);
	assert_string_equal(d->field, "title");
	assert_int_equal(elig_req_add(d, "近三年无重大违法记录",
	    "查询信用中国的记录", &rid), DOM_OK);
	assert_int_equal(elig_req_list(d, 0, &list, &n), DOM_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].hint, "查询信用中国的记录");
	none[0].id = 9999;
	no_evidence[0].id = not_met[0].id = met[0].id = rid;

	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_string_equal(d->field, "requirements");
	assert_non_null(strstr(d->msg, "「近三年无重大违法记录」"));

	d = td_dom(TD_LEAD);
	assert_int_equal(intake_record_requirements(d, id, none, 1),
	    DOM_INVALID);
	assert_string_equal(d->field, "req_9999");
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_record_requirements(d, id, no_evidence, 1),
	    DOM_INVALID);
	assert_string_equal(d->field, arena_printf(d->arena, "req_%lld", rid));
	assert_int_equal(intake_record_requirements(td_dom(TD_LEAD2), id, met,
	    1), DOM_NOT_FOUND);

	/* Not met: a failed 基本资格 check, overridable with a reason. */
	assert_int_equal(intake_record_requirements(td_dom(TD_LEAD), id,
	    not_met, 1), DOM_OK);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_INVALID);
	assert_non_null(strstr(d->msg, "补充要求「近三年无重大违法记录」"));
	/* Met, with its evidence: accepted. */
	assert_int_equal(intake_record_requirements(td_dom(TD_LEAD), id, met,
	    1), DOM_OK);
	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_int_equal(v.elig.nreqs, 1);
	assert_true(v.elig.reqs[0].recorded && v.elig.reqs[0].met);
	assert_string_equal(v.elig.reqs[0].evidence, met[0].evidence);
	assert_string_equal(v.elig.reqs[0].by, "李负责");
	assert_int_equal(intake_accept(d, id, NULL), DOM_OK);
	/* Not once accepted. */
	assert_int_equal(intake_record_requirements(td_dom(TD_LEAD), id, met,
	    1), DOM_CONFLICT);

	/* Retired: no longer asked of a new case, kept on the old one. */
	d = td_dom(0);
	assert_int_equal(elig_req_retire(d, rid), DOM_OK);
	assert_int_equal(elig_req_retire(td_dom(0), rid), DOM_CONFLICT);
	assert_int_equal(elig_req_retire(td_dom(0), 9999), DOM_NOT_FOUND);
	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL), DOM_OK);
	assert_int_equal(intake_view(d = td_dom(TD_LEAD), &c, &v), DOM_OK);
	assert_int_equal(v.elig.nreqs, 1);	/* the old case's record */
	assert_false(v.elig.reqs[0].active);
}

/*
 * The paper original (§4, §5.2 (二)): 受理 waits for the sealed, bound
 * 申请书 of the latest round, matching it, unless the centre takes the
 * scan; each parcel is recorded with its courier, waybill, day, checker.
 */
static void
test_paper(void **state)
{
	struct paper_input in = { "顺丰速运", "SF1234567890", "2027-01-12",
	    "李负责", 1, 1, 1, "" };
	struct paper_input empty = { NULL, NULL, NULL, NULL, -1, -1, -1, NULL };
	struct problem p[PAPER_PROBLEMS];
	struct paper_state ps;
	struct case_ref c;
	struct buf pdf;
	const char *before, *name;
	char fp1[65], fp2[65];
	struct dom *d;
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, basic_ok);

	td_round_file(id, "business_licence", -1);
	d = td_dom(TD_LEAD);
	before = td_state(id);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_string_equal(d->field, "receipt");
	assert_non_null(strstr(d->msg, "纸质"));
	assert_string_equal(td_state(id), before);

	/* Every problem of an empty parcel at once. */
	d = td_dom(TD_LEAD);
	assert_int_equal(paper_check(d, &empty, p), 7);
	assert_string_equal(p[0].field, "courier");
	assert_string_equal(p[6].field, "consistent");
	assert_int_equal(paper_record(d, id, &empty), DOM_INVALID);
	/* Before the round was submitted (2027-01-05), or in the future. */
	in.received_on = "2027-01-04";
	d = td_dom(TD_LEAD);
	assert_int_equal(paper_record(d, id, &in), DOM_INVALID);
	assert_string_equal(d->field, "received_on");
	assert_non_null(strstr(d->msg, "2027-01-05"));
	in.received_on = "2027-01-16";
	d = td_dom(TD_LEAD);
	assert_int_equal(paper_record(d, id, &in), DOM_INVALID);
	assert_string_equal(d->field, "received_on");
	in.received_on = "2027-01-12";
	in.waybill = "SF 123";
	assert_int_equal(paper_record(d = td_dom(TD_LEAD), id, &in),
	    DOM_INVALID);
	assert_string_equal(d->field, "waybill");
	in.waybill = "SF1234567890";
	/* Not the lead's, nor the applicant's: not found; the team's
	 * assessor: forbidden. */
	assert_int_equal(paper_record(td_dom(TD_LEAD2), id, &in),
	    DOM_NOT_FOUND);
	assert_int_equal(paper_record(td_dom(TD_APPLICANT), id, &in),
	    DOM_NOT_FOUND);
	on_team(id);
	assert_int_equal(paper_record(td_dom(TD_ASSESSOR), id, &in),
	    DOM_FORBIDDEN);
	assert_int_equal(td_int("SELECT count(*) FROM paper_receipt WHERE "
	    "case_id = ?1", id), 0);

	/* A parcel that does not match: noted, and 受理 still waits. */
	in.matches = 0;
	assert_int_equal(paper_record(d = td_dom(TD_LEAD), id, &in),
	    DOM_INVALID);
	assert_string_equal(d->field, "notes");
	in.notes = "纸质版第 3 页的注册资本与电子版不同。";
	assert_int_equal(paper_record(td_dom(TD_LEAD), id, &in), DOM_OK);
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不一致"));

	/* The matching one: 受理. */
	in.matches = 1;
	in.notes = "";
	in.received_on = "2027-01-14";
	assert_int_equal(paper_record(td_dom(TD_LEAD), id, &in), DOM_OK);
	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(paper_state(d, &c, 1, &ps), DOM_OK);
	assert_int_equal(ps.mode, PAPER_REQUIRED);
	assert_int_equal(ps.nreceipts, 2);
	assert_string_equal(ps.receipts[0].received_on, "2027-01-14");
	assert_string_equal(ps.receipts[1].notes, "纸质版第 3 页的注册资本与电子版不同。");
	assert_string_equal(ps.receipts[0].recorded_by, "李负责");
	assert_true(ps.ready);
	assert_int_equal(strlen(ps.fingerprint), 64);
	assert_int_equal(paper_state(d, &c, 0, &ps), DOM_OK);
	assert_string_equal(ps.fingerprint, "");	/* not asked for */
	assert_int_equal(ps.nreceipts, 2);
	assert_int_equal(intake_accept(d, id, NULL), DOM_OK);

	/* The fingerprint is the round's content: the same content, the
	 * same fingerprint; another value, another. */
	id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	assert_int_equal(paper_fingerprint(td_dom(TD_LEAD), id, 1, fp1),
	    DOM_OK);
	td_round(id, 2, basic_ok);
	td_round_file(id, "business_licence", -1);
	assert_int_equal(paper_fingerprint(td_dom(TD_LEAD), id, 2, fp2),
	    DOM_OK);
	assert_string_equal(fp1, fp2);
	{
		const char *changed[] = { BASIC_OK, "history", "2015年成立。",
		    NULL };

		td_round(id, 3, changed);
	}
	td_round_file(id, "business_licence", -1);
	assert_int_equal(paper_fingerprint(td_dom(TD_LEAD), id, 3, fp2),
	    DOM_OK);
	assert_string_not_equal(fp1, fp2);
	/* A parcel of round 1 is not the paper of round 3. */
	d = td_dom(TD_LEAD);
	assert_int_equal(intake_accept(d, id, NULL), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "第 3 轮"));
	assert_int_equal(paper_fingerprint(td_dom(TD_LEAD), id, 4, fp2),
	    DOM_NOT_FOUND);

	/* The PDF of a round, for its applicant; not of a round that is
	 * not there. */
	d = td_dom(TD_APPLICANT);
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	buf_init(&pdf);
	assert_int_equal(paper_pdf(d, &c, 1, &pdf, &name), DOM_OK);
	assert_true(pdf.n > 1000 && memcmp(pdf.p, "%PDF-", 5) == 0);
	assert_non_null(strstr(name, c.case_no));
	assert_non_null(strstr(name, "第1轮"));
	assert_int_equal(paper_pdf(d, &c, 4, &pdf, &name), DOM_NOT_FOUND);
	buf_free(&pdf);

	/* The centre takes the sealed scan: 受理 need not wait. */
	assert_int_equal(paper_mode_set(td_dom(0), PAPER_SCAN), DOM_OK);
	assert_int_equal(intake_accept(td_dom(TD_LEAD), id, NULL), DOM_OK);
	assert_int_equal(paper_mode_set(td_dom(0), PAPER_REQUIRED), DOM_OK);
}

/*
 * The judging day: everything as of the day the case was first
 * submitted. The same data is 符合 when submitted 2026-03-01 and judged
 * on 2026-07-01 (the level-1 certificate expired 2026-05-31 in between),
 * on the review page, for a later round, and on the check page while a
 * supplement is answered; the maintenance window and the fee too.
 */
static void
test_judging_day(void **state)
{
	const char *kv[] = { BASIC_OK, "l1_cert_expiry", "2026-05-31",
	    "biz_start", "2023-03-01", NULL };
	struct submission_report r;
	struct intake_view v;
	struct case_ref c;
	struct dom *d;
	long long id = eligible_case(ST_INTAKE_REVIEW, TD_LEAD, kv);
	char sql[512];
	size_t i;

	submitted_on(id, "2026-03-01");
	d = dom_on(TD_LEAD, "2026-07-01");
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_string_equal(v.elig.day_s, "2026-03-01");
	assert_true(v.elig.submitted);
	assert_int_equal(check_of(&v.elig, "level1_cert")->verdict,
	    RULES_PASS);
	assert_non_null(strstr(check_of(&v.elig, "level1_cert")->threshold_zh,
	    "提交日（2026-03-01）"));
	assert_int_equal(check_of(&v.elig, "business_years")->verdict,
	    RULES_PASS);
	assert_int_equal(v.elig.nfailed, 0);
	assert_int_equal(intake_accept(d, id, NULL), DOM_OK);

	/* A supplement's round 2 is judged as of the first submission. */
	id = eligible_case(ST_SUPPLEMENT_REQUESTED, TD_LEAD, kv);
	td_round(id, 2, kv);
	submitted_on(id, "2026-03-01");
	td_exec(arena_printf(td_dom(0)->arena, "UPDATE round SET submitted_at"
	    " = '2026-06-20T02:00:00Z' WHERE case_id = %lld AND n = 2", id));
	d = dom_on(TD_LEAD, "2026-07-01");
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_int_equal(v.round, 2);
	assert_string_equal(v.elig.day_s, "2026-03-01");
	assert_int_equal(check_of(&v.elig, "level1_cert")->verdict,
	    RULES_PASS);

	/* The check page while the applicant answers the supplement: the
	 * form as saved, judged as of 2026-03-01. */
	for (i = 0; kv[i] != NULL; i += 2) {
		snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO form_value("
		    "case_id, field, row, value) VALUES (%lld, '%s', -1, "
		    "'%s')", id, kv[i], kv[i + 1]);
		td_exec(sql);
	}
	/* The certificate it maintains, as the register has it. */
	td_exec("INSERT INTO certificate(no, org_id, org_name, uscc, "
	    "issued_on, expires_on, imported_status, imported_at) VALUES "
	    "('CNITSEC2023SE2-0007', 1, '甲公司', '91110108MA01C2XK3X', "
	    "'2023-07-01', '2026-06-30', 'valid', '2026-01-01T00:00:00Z')");
	snprintf(sql, sizeof(sql), "INSERT INTO form_value(case_id, field, "
	    "row, value) VALUES (%lld, 'app_type', -1, 'maintenance'), "
	    "(%lld, 'maint_cert_no', -1, 'CNITSEC2023SE2-0007')", id, id);
	td_exec(sql);
	d = dom_on(TD_APPLICANT, "2027-01-15");
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_true(r.supplement);
	assert_string_equal(r.elig.day_s, "2026-03-01");
	/* A maintenance application has no level-1 check (issue 19, item
	 * 9): the certificate it maintains is the condition. */
	for (i = 0; i < r.elig.nchecks; i++)
		assert_string_not_equal(r.elig.checks[i].code, "level1_cert");
	assert_int_equal(r.elig.nchecks, RULES_NCHECKS - 1);
	/* Certificate expiring 2026-06-30: late on 2026-03-01 (maintenance
	 * fee); on 2027-01-15 it would be an initial application. */
	assert_true(r.has_fee);
	assert_int_equal(r.fee.total, 6300000);
	assert_string_equal(r.window_zh, "逾期维持申请");

	/* The agreement's fee: the maintenance window as of the first
	 * submission (late: the maintenance fee), not as of today (when it
	 * would be an initial application). */
	{
		const char *maint[] = { "app_type", "maintenance",
		    "maint_cert_no", "CNITSEC2023SE2-0007", NULL };
		struct agreement_fee af;

		id = td_case_on(ST_ACCEPTED, TD_LEAD, maint, "2026-03-01");
		d = dom_on(TD_LEAD, "2027-01-15");
		assert_int_equal(access_case(d, id, PART_PAYMENTS, &c),
		    DOM_OK);
		assert_int_equal(agreement_fee(d, &c, &af), DOM_OK);
		assert_int_equal(af.fee.total, 6300000);
		assert_non_null(strstr(af.basis, "申请于 2026-03-01 提交"));
	}

	/* A draft is judged as of today. */
	id = td_case(ST_DRAFT, 0, NULL);
	td_exec(arena_printf(td_dom(0)->arena, "UPDATE cases SET rounds = 0 "
	    "WHERE id = %lld", id));
	d = dom_on(TD_APPLICANT, "2026-07-01");
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_string_equal(r.elig.day_s, "2026-07-01");
	assert_false(r.elig.submitted);
}

/* Section 三, rows 0 to 2 of years y0..y2, with an audit report each,
 * a profit and positive net assets; kv may change a value after. */
static long long
finance_case(const char *y0, const char *y1, const char *y2,
    const char *const *kv)
{
	const char *base[128] = { BASIC_OK,
	    "fin_year.0", y0, "fin_year.1", y1, "fin_year.2", y2,
	    "fin_total_assets.0", "400000000", "fin_total_assets.1",
	    "400000000", "fin_total_assets.2", "400000000",
	    "fin_net_assets.0", "300000000", "fin_net_assets.1", "300000000",
	    "fin_net_assets.2", "300000000",
	    "fin_revenue.0", "800000000", "fin_revenue.1", "800000000",
	    "fin_revenue.2", "800000000",
	    "fin_profit.0", "50000000", "fin_profit.1", "50000000",
	    "fin_profit.2", "50000000", NULL };
	size_t n = 0, i;
	long long id;

	while (base[n] != NULL)
		n++;
	for (i = 0; kv != NULL && kv[i] != NULL && n < 126; i++)
		base[n++] = kv[i];
	base[n] = NULL;
	id = td_case(ST_INTAKE_REVIEW, TD_LEAD, base);
	td_round_file(id, "business_licence", -1);
	td_round_file(id, "audit_report", 0);
	td_round_file(id, "audit_report", 1);
	td_round_file(id, "audit_report", 2);
	paper_in(id, 1);
	submitted_on(id, "2026-03-01");
	return id;
}

/* The view of case id, read by its lead. */
static void
view_of(long long id, struct intake_view *v)
{
	struct dom *d = td_dom(TD_LEAD);
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, v), DOM_OK);
}

/*
 * 近3年的财务状况良好 (§3.2 (3)): the three years before the submission
 * year, each shown; net assets of -5万元 and a loss of 90万元 are for
 * the reviewer, not 符合; three reports of a four-year window are not
 * enough.
 */
static void
test_financial(void **state)
{
	const char *bad[] = { "fin_net_assets.1", "-5000000",
	    "fin_profit.1", "-90000000", NULL };
	struct intake_view v;

	view_of(finance_case("2023", "2024", "2025", NULL), &v);
	assert_int_equal(check_of(&v.elig, "financial_condition")->verdict,
	    RULES_PASS);
	assert_int_equal(v.elig.nfin, 3);
	assert_int_equal(v.elig.fin[0].y->revenue, 800000000);
	assert_int_equal(v.elig.fin[0].y->audit_reports, 1);

	view_of(finance_case("2023", "2024", "2025", bad), &v);
	assert_int_not_equal(check_of(&v.elig, "financial_condition")->verdict,
	    RULES_PASS);
	assert_int_equal(check_of(&v.elig, "financial_condition")->verdict,
	    RULES_REVIEW);
	assert_int_equal(v.elig.fin[1].year, 2024);
	assert_int_equal(v.elig.fin[1].verdict, RULES_REVIEW);
	assert_int_equal(v.elig.fin[1].y->profit, -90000000);
	assert_int_equal(v.elig.fin[1].y->net_assets, -5000000);
	assert_non_null(strstr(v.elig.fin[1].note_zh, "亏损90万元"));
	/* Flagged for the reviewer, not a 基本资格 failure: 受理 goes on. */
	assert_int_equal(v.elig.nfailed, 0);

	/* 2022-2024 for a submission in 2026: 2025 is missing. */
	view_of(finance_case("2022", "2023", "2024", NULL), &v);
	assert_int_equal(check_of(&v.elig, "financial_condition")->verdict,
	    RULES_FAIL);
	assert_int_equal(v.elig.nfin, 4);
	assert_int_equal(v.elig.fin[2].year, 2025);
	assert_null(v.elig.fin[2].y);
	assert_int_equal(v.elig.fin[3].year, 2022);
	assert_false(v.elig.fin[3].counted);
}

/*
 * 近三年项目总值 (§3.2 (6)): which projects count and which do not and
 * why; one that ended exactly three years before the submission day
 * (2023-03-01 for 2026-03-01) is inside.
 */
static void
test_projects(void **state)
{
	const char *kv[] = {
	    "proj_name.0", "甲项目", "proj_value.0", "200000000",
	    "proj_end.0", "2023-03-01", "proj_accept.0", "accepted",
	    "proj_complete.0", "yes",
	    "proj_name.1", "乙项目", "proj_value.1", "90000000",
	    "proj_end.1", "2025-12-31", "proj_accept.1", "pending",
	    "proj_complete.1", "no",
	    "proj_name.2", "丙项目", "proj_value.2", "90000000",
	    "proj_end.2", "2023-02-28", "proj_accept.2", "accepted",
	    "proj_complete.2", "no", NULL };
	struct intake_view v;

	view_of(finance_case("2023", "2024", "2025", kv), &v);
	assert_int_equal(check_of(&v.elig, "project_value")->verdict,
	    RULES_PASS);
	assert_string_equal(check_of(&v.elig, "project_value")->figure_zh,
	    "200万元（计入1个项目，2个未计入）");
	assert_int_equal(v.elig.nprojects, 3);
	assert_true(v.elig.projects[0].counted);
	assert_string_equal(v.elig.projects[0].p->name, "甲项目");
	assert_false(v.elig.projects[1].counted);
	assert_non_null(strstr(v.elig.projects[1].reason_zh, "已完工待验收"));
	assert_false(v.elig.projects[2].counted);
	if (strstr(v.elig.projects[2].reason_zh, "早于近3年") == NULL)
		fail_msg("%s", v.elig.projects[2].reason_zh);
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
		cmocka_unit_test(test_recipients),
		cmocka_unit_test(test_served),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_accept_race),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_refuse_overdue),
		cmocka_unit_test(test_refuse_race),
		cmocka_unit_test(test_view),
		cmocka_unit_test(test_requirements),
		cmocka_unit_test(test_paper),
		cmocka_unit_test(test_judging_day),
		cmocka_unit_test(test_financial),
		cmocka_unit_test(test_projects),
		/* Last: its complaint makes the supervisor see 甲公司's
		 * cases. */
		cmocka_unit_test(test_basic_condition),
	};

	return cmocka_run_group_tests_name("受理审查 (intake.c)", tests, td_setup,
	    td_teardown);
}
