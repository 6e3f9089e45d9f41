/*
 * test_orgcomplaint.c: an organisation's register of complaints
 * (orgcomplaint.c) on a temporary database. The organisation records the
 * complaints it received and how it handled each, once; the wrong person
 * and bad input write nothing; a supervisor asks to inspect the register
 * (the organisation is told, and sees the request) and only then reads
 * it; nobody else reads it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "orgcomplaint.h"
#include "testlib_apply.h"
#include "util.h"

#define COUNT(sql)	tp_int("SELECT count(*) FROM " sql, 0)

static long long
add(long long who, const char *day, const char *who_said, const char *text,
    size_t *n)
{
	struct orgc_input in = { day, who_said, text };
	struct problem p[ORGC_PROBLEMS];
	long long id = 0;
	enum dom_rc rc;

	rc = orgc_add(tp_dom(who), &in, p, n, &id);
	return rc == DOM_OK ? id : -(long long)rc;
}

static void
test_add_and_handle(void **state)
{
	struct orgc_handling h = { "", "", "" };
	struct problem p[ORGC_PROBLEMS];
	struct orgc_register r;
	struct dom *d;
	long long id;
	size_t n;

	/* Every problem at once; nothing written. */
	assert_int_equal(add(TP_APPLICANT, "2099-01-01", "", "", &n),
	    -DOM_INVALID);
	assert_int_equal(n, 3);
	assert_int_equal(COUNT("org_complaint"), 0);
	/* Staff record nothing here. */
	assert_int_equal(add(TP_SUPERVISOR, "2026-03-01", "客户张某",
	    "工程延期。", &n), -DOM_FORBIDDEN);
	id = add(TP_APPLICANT, "2026-03-01", "客户张某，138-0000-0000",
	    "渗透测试报告延期两周提交。", &n);
	assert_true(id > 0);
	assert_int_equal(tp_int("SELECT org_id FROM org_complaint WHERE id = "
	    "?1", id), 1);
	/* The handling: every field, not before the complaint came. */
	d = tp_dom(TP_APPLICANT);
	h.handled_on = "2026-02-28";
	assert_int_equal(orgc_handle(d, id, &h, p, &n), DOM_INVALID);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].field, "handled_on");
	assert_non_null(strstr(p[0].msg, "不能早于收到投诉的日期"));
	/* Another organisation's applicant finds nothing. */
	h.handled_on = "2026-03-05";
	h.handling = "向客户致歉并补交报告。";
	h.measures = "项目计划增加报告评审节点。";
	assert_int_equal(orgc_handle(tp_dom(TP_OTHER), id, &h, p, &n),
	    DOM_NOT_FOUND);
	assert_int_equal(orgc_handle(tp_dom(TP_APPLICANT), id, &h, p, &n),
	    DOM_OK);
	/* Once. */
	assert_int_equal(orgc_handle(tp_dom(TP_APPLICANT), id, &h, p, &n),
	    DOM_CONFLICT);
	assert_int_equal(orgc_read(tp_dom(TP_APPLICANT), 0, 1, &r), DOM_OK);
	assert_int_equal(r.total, 1);
	assert_int_equal(r.open, 0);
	assert_true(r.may_write);
	assert_string_equal(r.rows[0].measures, "项目计划增加报告评审节点。");
	/* The other organisation's register is its own, empty. */
	assert_int_equal(orgc_read(tp_dom(TP_OTHER), 0, 1, &r), DOM_OK);
	assert_int_equal(r.total, 0);
	assert_int_equal(orgc_read(tp_dom(TP_OTHER), 1, 1, &r), DOM_NOT_FOUND);
}

static void
test_inspect(void **state)
{
	struct orgc_register r;
	struct orgc_org *o;
	struct dom *d;
	long long iid, mails;
	size_t n;

	tp_case(1, ST_INTAKE_REVIEW, TP_LEAD);
	/* Before asking, a supervisor is told to ask; a lead reads
	 * nothing. */
	d = tp_dom(TP_SUPERVISOR);
	assert_int_equal(orgc_read(d, 1, 1, &r), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "提出查阅请求"));
	assert_int_equal(orgc_read(tp_dom(TP_LEAD), 1, 1, &r), DOM_NOT_FOUND);
	/* The organisations that applied. */
	assert_int_equal(orgc_orgs(tp_dom(TP_SUPERVISOR), &o, &n), DOM_OK);
	assert_true(n >= 1);
	assert_int_equal(o[0].id, 1);
	assert_false(o[0].inspected);
	assert_int_equal(orgc_orgs(tp_dom(TP_LEAD), &o, &n), DOM_FORBIDDEN);
	/* Asking needs a reason; only supervisors ask. */
	assert_int_equal(orgc_inspect(tp_dom(TP_SUPERVISOR), 1, " ", &iid),
	    DOM_INVALID);
	assert_int_equal(orgc_inspect(tp_dom(TP_LEAD), 1, "检查", &iid),
	    DOM_FORBIDDEN);
	assert_int_equal(orgc_inspect(tp_dom(TP_SUPERVISOR), 999, "检查",
	    &iid), DOM_NOT_FOUND);
	assert_int_equal(COUNT("complaint_inspection"), 0);
	mails = COUNT("outbox");
	assert_int_equal(orgc_inspect(tp_dom(TP_SUPERVISOR), 1, "收到有关该单位"
	    "的投诉，核查其处理情况。", &iid), DOM_OK);
	/* The organisation is told, and sees the request. */
	assert_true(COUNT("outbox") > mails);
	assert_int_equal(orgc_read(tp_dom(TP_APPLICANT), 0, 1, &r), DOM_OK);
	assert_int_equal(r.ninspections, 1);
	assert_non_null(strstr(r.inspections[0].reason, "核查其处理情况"));
	/* Now the supervisor reads, without writing. */
	assert_int_equal(orgc_read(tp_dom(TP_SUPERVISOR), 1, 1, &r), DOM_OK);
	assert_false(r.may_write);
	assert_int_equal(r.total, 1);
	assert_int_equal(orgc_orgs(tp_dom(TP_SUPERVISOR), &o, &n), DOM_OK);
	assert_true(o[0].inspected);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_handle),
		cmocka_unit_test(test_inspect),
	};

	return cmocka_run_group_tests(tests, tp_setup, tp_teardown);
}
