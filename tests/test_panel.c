/*
 * test_panel.c: 专家评审, the expert panel (panel.c), on a temporary
 * database. The lead forms the panel, never with a member of the team;
 * a panel member who has not declared sees nothing of the case but what
 * the declaration needs, and cannot conclude; declaring no conflict
 * opens the case, declaring a conflict takes the expert off the panel
 * and tells the lead; the conclusion moves the case, once, even when two
 * experts conclude at the same moment. Every refusal writes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "panel.h"
#include "testlib_assess.h"
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

/* A case in 专家评审 whose team (as1, ex3) has recorded and concluded. */
static long long
reviewing(void)
{
	long long id = ta_case(&t, ST_EXPERT_REVIEW);
	char sql[512];

	ta_team(&t, id, t.as1);
	ta_team(&t, id, t.ex3);
	snprintf(sql, sizeof(sql), "INSERT INTO assessment_record(case_id, "
	    "kind, finding, by_id, at) VALUES (%lld, 'interview', '访谈记录。', "
	    "%lld, '2026-03-09T01:00:00Z'); INSERT INTO audit_conclusion("
	    "case_id, verdict, text, by_id, at) VALUES (%lld, 'pass', "
	    "'符合要求ZQX7。', %lld, '2026-03-09T02:00:00Z')", id, t.as1, id,
	    t.as1);
	ta_exec(&t, sql);
	return id;
}

static enum dom_rc
add(long long who, long long case_id, long long expert,
    struct assess_problems *pr)
{
	return panel_add(ta_dom(&t, who), case_id, expert, pr);
}

static void
test_add(void **state)
{
	long long id = reviewing();
	struct assess_problems pr;
	struct assess_person *p;
	struct case_ref c;
	struct dom *d;
	size_t n, i;

	assert_int_equal(add(t.lead, id, t.ex1, &pr), DOM_OK);
	assert_int_equal(add(t.lead, id, t.ex1, &pr), DOM_OK);
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", id), 1);
	/* The candidates: experts not yet on the panel, the team's marked. */
	d = ta_dom(&t, t.lead);
	assert_int_equal(access_case(d, id, PART_EXPERT, &c), DOM_OK);
	assert_int_equal(panel_candidates(d, &c, &p, &n), DOM_OK);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_true(p[i].id == t.ex2 || p[i].id == t.ex3);
		assert_int_equal(p[i].flag, p[i].id == t.ex3);
	}
	assert_int_equal(panel_candidates(ta_dom(&t, t.sup), &c, &p, &n),
	    DOM_FORBIDDEN);
}

static void
test_add_refused(void **state)
{
	long long id = reviewing(), early = ta_case(&t, ST_ASSESSING);
	struct assess_problems pr;
	struct dom *d;

	/* A member of the team: separation of duties. */
	d = ta_dom(&t, t.lead);
	assert_int_equal(panel_add(d, id, t.ex3, &pr), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "职责分离"));
	/* Not an enabled expert. */
	assert_int_equal(add(t.lead, id, t.as2, &pr), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "account_id");
	assert_int_equal(add(t.lead, id, t.ex_off, &pr), DOM_INVALID);
	assert_int_equal(add(t.lead, id, 0, &pr), DOM_INVALID);
	/* Another lead, or the team: nothing of the panel. */
	assert_int_equal(add(t.lead2, id, t.ex1, &pr), DOM_NOT_FOUND);
	assert_int_equal(add(t.as1, id, t.ex1, &pr), DOM_NOT_FOUND);
	/* Not yet in expert review. */
	d = ta_dom(&t, t.lead);
	assert_int_equal(panel_add(d, early, t.ex1, &pr), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "只有在“专家评审”状态下"));
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", early), 0);
}

/* An expert on the panel who has not declared sees nothing but what the
 * declaration needs, and cannot conclude. */
static void
test_undeclared(void **state)
{
	long long id = reviewing();
	static const unsigned parts[] = { PART_SUMMARY, PART_APPLICATION,
	    PART_MATERIALS, PART_ASSESSMENT, PART_EXPERT, PART_NOTICES,
	    PART_TIMELINE };
	struct assess_problems pr;
	struct case_ref c;
	struct panel p;
	struct dom *d;
	size_t i;

	assert_int_equal(add(t.lead, id, t.ex1, NULL), DOM_OK);
	d = ta_dom(&t, t.ex1);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		assert_int_equal(access_case(d, id, parts[i], &c),
		    DOM_NOT_FOUND);
	assert_int_equal(access_case(d, id, PART_DECLARE, &c), DOM_OK);
	assert_string_equal(c.case_no, ta_text(&t, "SELECT case_no FROM cases "
	    "WHERE id = ?1", id));
	assert_int_equal(panel_get(d, &c, &p), DOM_NOT_FOUND);
	assert_int_equal(panel_conclude(d, id, "pass", "证据充分。", &pr),
	    DOM_FORBIDDEN);
	assert_non_null(strstr(d->msg, "请先声明"));
	assert_int_equal(COUNT("expert_conclusion WHERE case_id = ?1", id), 0);
	assert_int_equal(ta_status(&t, id), ST_EXPERT_REVIEW);
	/* An expert not on the panel finds nothing at all. */
	d = ta_dom(&t, t.ex2);
	assert_int_equal(access_case(d, id, 0, &c), DOM_NOT_FOUND);
	assert_int_equal(panel_conclude(d, id, "pass", "", &pr),
	    DOM_NOT_FOUND);
	assert_int_equal(panel_declare(d, id, 1, NULL, &pr), DOM_NOT_FOUND);
	assert_int_equal(panel_declare_conflict(d, id), DOM_NOT_FOUND);
}

static void
test_declare(void **state)
{
	long long id = reviewing();
	struct assess_problems pr;
	struct case_ref c;
	struct panel p;
	struct dom *d;
	int already;

	assert_int_equal(add(t.lead, id, t.ex1, NULL), DOM_OK);
	d = ta_dom(&t, t.ex1);
	/* The box not ticked. */
	assert_int_equal(panel_declare(d, id, 0, &already, &pr), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "confirm");
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1 AND "
	    "declared_at IS NULL", id), 1);
	assert_int_equal(panel_declare(d, id, 1, &already, &pr), DOM_OK);
	assert_int_equal(already, 0);
	assert_string_equal(ta_text(&t, "SELECT declared_at FROM panel_member "
	    "WHERE case_id = ?1", id), "2026-03-10T02:00:00Z");
	assert_int_equal(panel_declare(ta_dom(&t, t.ex1), id, 1, &already,
	    &pr), DOM_OK);
	assert_int_equal(already, 1);
	/* Now the case, the assessment and the panel. */
	d = ta_dom(&t, t.ex1);
	assert_int_equal(access_case(d, id, PART_SUMMARY | PART_ASSESSMENT |
	    PART_EXPERT | PART_MATERIALS, &c), DOM_OK);
	assert_int_equal(panel_get(d, &c, &p), DOM_OK);
	assert_int_equal(p.nmembers, 1);
	assert_int_equal(p.members[0].flag, 1);
	assert_null(p.conclusion);
	/* A conflict found after declaring none takes the expert off the
	 * panel, and the lead hears of it. */
	assert_int_equal(panel_declare_conflict(d, id), DOM_OK);
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", id), 0);
	assert_int_equal(COUNT("outbox WHERE case_id = ?1 AND subject LIKE "
	    "'%利益冲突%'", id), 1);
	/* Off the panel: nothing of the case any more. */
	assert_int_equal(access_case(ta_dom(&t, t.ex1), id, PART_SUMMARY, &c),
	    DOM_NOT_FOUND);
}

static void
test_conflict(void **state)
{
	long long id = reviewing();
	struct case_ref c;
	struct dom *d;
	const char *body;

	assert_int_equal(add(t.lead, id, t.ex1, NULL), DOM_OK);
	assert_int_equal(add(t.lead, id, t.ex2, NULL), DOM_OK);
	assert_int_equal(panel_declare_conflict(ta_dom(&t, t.ex2), id),
	    DOM_OK);
	/* Off the panel, and the lead told. */
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", id), 1);
	assert_int_equal(ta_int(&t, "SELECT account_id FROM panel_member "
	    "WHERE case_id = ?1", id), t.ex1);
	assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), 1);
	assert_string_equal(ta_text(&t, "SELECT to_addr FROM outbox WHERE "
	    "case_id = ?1", id), "lead@example.cn");
	body = ta_text(&t, "SELECT body FROM outbox WHERE case_id = ?1", id);
	assert_non_null(strstr(body, "专家乙"));
	assert_non_null(strstr(body, "利益冲突"));
	assert_non_null(strstr(body, "/expert"));
	/* The expert sees nothing of the case any more. */
	d = ta_dom(&t, t.ex2);
	assert_int_equal(access_case(d, id, 0, &c), DOM_NOT_FOUND);
	assert_int_equal(panel_declare_conflict(d, id), DOM_NOT_FOUND);
	assert_int_equal(panel_declare(d, id, 1, NULL, NULL), DOM_NOT_FOUND);
	assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), 1);
}

static enum dom_rc
declare_none(struct dom *d, long long case_id)
{
	return panel_declare(d, case_id, 1, NULL, NULL);
}

/* Declaring both ways at the same moment. */
static void
test_declare_race(void **state)
{
	enum dom_rc out[2];
	long long id;
	int i, members;

	for (i = 0; i < 4; i++) {
		id = reviewing();
		assert_int_equal(add(t.lead, id, t.ex1, NULL), DOM_OK);
		ta_race(&t, id, t.ex1, declare_none, t.ex1,
		    panel_declare_conflict, out);
		members = (int)COUNT("panel_member WHERE case_id = ?1", id);
		/* Whichever came first, the conflict takes the expert off
		 * the panel (found after a declaration of none, too), and
		 * the lead hears of it once. */
		assert_int_equal(out[1], DOM_OK);
		assert_true(out[0] == DOM_OK || out[0] == DOM_NOT_FOUND);
		assert_int_equal(members, 0);
		assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), 1);
	}
}

static void
test_conclude(void **state)
{
	long long pass = reviewing(), fail = reviewing();
	struct assess_problems pr;
	struct dom *d;
	const char *notice;

	ta_panel(&t, pass, t.ex1, 1);
	ta_panel(&t, fail, t.ex1, 1);
	/* A fail needs its reasons; a verdict is needed. */
	d = ta_dom(&t, t.ex1);
	assert_int_equal(panel_conclude(d, fail, "fail", "", &pr),
	    DOM_INVALID);
	assert_string_equal(d->field, "reasons");
	assert_non_null(strstr(d->msg, "评审不通过时须写明理由"));
	assert_int_equal(panel_conclude(d, fail, "", "", &pr), DOM_INVALID);
	assert_string_equal(pr.v[0].field, "verdict");
	/* The lead manages the panel, the panel concludes. */
	assert_int_equal(panel_conclude(ta_dom(&t, t.lead), pass, "pass", "",
	    &pr), DOM_FORBIDDEN);
	assert_int_equal(COUNT("expert_conclusion WHERE case_id = ?1", fail),
	    0);
	assert_int_equal(COUNT("expert_conclusion WHERE case_id = ?1", pass),
	    0);

	assert_int_equal(panel_conclude(ta_dom(&t, t.ex1), pass, "pass", "",
	    &pr), DOM_OK);
	assert_int_equal(ta_status(&t, pass), ST_CERTIFICATE_PENDING);
	notice = ta_text(&t, "SELECT body FROM notice WHERE case_id = ?1",
	    pass);
	assert_non_null(strstr(notice, "专家评审结论：通过"));
	assert_non_null(strstr(notice, "制证阶段"));
	assert_int_equal(panel_conclude(ta_dom(&t, t.ex1), fail, "fail",
	    "PA11 证据不充分。", &pr), DOM_OK);
	assert_int_equal(ta_status(&t, fail), ST_FAILED);
	assert_string_equal(ta_text(&t, "SELECT reason FROM event WHERE "
	    "case_id = ?1", fail), "专家评审结论：不通过");
	notice = ta_text(&t, "SELECT body FROM notice WHERE case_id = ?1",
	    fail);
	assert_non_null(strstr(notice, "PA11 证据不充分。"));
	assert_non_null(strstr(notice, "申诉"));
	/* Once. */
	d = ta_dom(&t, t.ex1);
	assert_int_equal(panel_conclude(d, fail, "pass", "", &pr),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "只有在“专家评审”状态下"));
	assert_int_equal(COUNT("expert_conclusion WHERE case_id = ?1", fail),
	    1);
	assert_int_equal(COUNT("notice WHERE case_id = ?1", fail), 1);
}

static enum dom_rc
conclude_pass(struct dom *d, long long case_id)
{
	return panel_conclude(d, case_id, "pass", "证据充分。", NULL);
}

static enum dom_rc
conclude_fail(struct dom *d, long long case_id)
{
	return panel_conclude(d, case_id, "fail", "证据不足。", NULL);
}

/* Two experts conclude at the same moment: one conclusion. */
static void
test_conclude_race(void **state)
{
	enum dom_rc out[2];
	long long id;
	int i, won;

	for (i = 0; i < 4; i++) {
		id = reviewing();
		ta_panel(&t, id, t.ex1, 1);
		ta_panel(&t, id, t.ex2, 1);
		ta_race(&t, id, t.ex1, conclude_pass, t.ex2, conclude_fail,
		    out);
		won = ta_one_wins(out);
		assert_int_equal(COUNT("expert_conclusion WHERE case_id = ?1",
		    id), 1);
		assert_int_equal(COUNT("event WHERE case_id = ?1", id), 1);
		assert_int_equal(ta_status(&t, id), won == 0 ?
		    ST_CERTIFICATE_PENDING : ST_FAILED);
	}
}

/* The panel sends the case back to the team with its reasons; the team
 * concludes again and the same panel reviews. */
static void
test_return(void **state)
{
	long long id = reviewing(), mails;
	struct assess_problems pr;
	struct assessment a;
	struct case_ref c;
	struct dom *d;

	ta_panel(&t, id, t.ex1, 1);
	ta_panel(&t, id, t.ex2, 0);
	mails = COUNT("outbox WHERE case_id = ?1", id);
	/* Not declared yet, not on the panel, the lead: no. */
	d = ta_dom(&t, t.ex2);
	assert_int_equal(panel_return(d, id, "证据不足。", &pr), DOM_FORBIDDEN);
	assert_non_null(strstr(d->msg, "请先声明"));
	assert_int_equal(panel_return(ta_dom(&t, t.lead), id, "证据不足。",
	    &pr), DOM_FORBIDDEN);
	assert_int_equal(panel_return(ta_dom(&t, t.ex_off), id, "证据不足。",
	    &pr), DOM_NOT_FOUND);
	/* Reasons are required. */
	assert_int_equal(panel_return(ta_dom(&t, t.ex1), id, " ", &pr),
	    DOM_INVALID);
	assert_string_equal(pr.v[0].field, "return_reasons");
	assert_int_equal(ta_status(&t, id), ST_EXPERT_REVIEW);
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 1);

	assert_int_equal(panel_return(ta_dom(&t, t.ex1), id, "缺少 PA11 的验证"
	    "记录，请补充实际操作。", &pr), DOM_OK);
	assert_int_equal(ta_status(&t, id), ST_ASSESSING);
	assert_non_null(strstr(ta_text(&t, "SELECT reason FROM event WHERE "
	    "case_id = ?1 ORDER BY id DESC LIMIT 1", id), "缺少 PA11 的验证记录"));
	/* The team's conclusion is set aside, kept with the reasons. */
	assert_int_equal(COUNT("audit_conclusion WHERE case_id = ?1", id), 0);
	assert_string_equal(ta_text(&t, "SELECT which || ' ' || verdict || ' ' "
	    "|| text FROM conclusion_history WHERE case_id = ?1", id),
	    "audit pass 符合要求ZQX7。");
	/* The lead and the team (as1, ex3) are told. */
	assert_int_equal(COUNT("outbox WHERE case_id = ?1", id), mails + 3);
	/* The panel stays; the team may record and conclude again. */
	assert_int_equal(COUNT("panel_member WHERE case_id = ?1", id), 2);
	d = ta_dom(&t, t.lead);
	assert_int_equal(access_case(d, id, PART_ASSESSMENT, &c), DOM_OK);
	assert_int_equal(assessment_get(d, &c, &a), DOM_OK);
	assert_null(a.conclusion);
	assert_int_equal(a.nset_aside, 1);
	assert_non_null(strstr(a.set_aside[0].why, "缺少 PA11"));
	assert_int_equal(assessment_conclude(ta_dom(&t, t.as1), id, "pass",
	    "已补充实际操作，证据充分。", &pr), DOM_OK);
	assert_int_equal(ta_status(&t, id), ST_EXPERT_REVIEW);
	assert_int_equal(panel_begun(ta_dom(&t, t.ex1), &c), DOM_OK);
	/* Once back in 评估中 the panel cannot send it back again. */
	ta_exec(&t, "UPDATE cases SET status = 'assessing'");
	assert_int_equal(panel_return(ta_dom(&t, t.ex1), id, "再退回。", &pr),
	    DOM_CONFLICT);
}

static void
test_begun(void **state)
{
	long long early = ta_case(&t, ST_ASSESSING), id = reviewing();
	struct case_ref c;
	struct dom *d = ta_dom(&t, t.lead);

	assert_int_equal(access_case(d, early, PART_EXPERT, &c), DOM_OK);
	assert_int_equal(panel_begun(d, &c), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "尚未进入专家评审"));
	assert_int_equal(access_case(d, id, PART_EXPERT, &c), DOM_OK);
	assert_int_equal(panel_begun(d, &c), DOM_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_refused),
		cmocka_unit_test(test_undeclared),
		cmocka_unit_test(test_declare),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_declare_race),
		cmocka_unit_test(test_conclude),
		cmocka_unit_test(test_conclude_race),
		cmocka_unit_test(test_return),
		cmocka_unit_test(test_begun),
	};

	return cmocka_run_group_tests_name("panel", tests, setup, teardown);
}
