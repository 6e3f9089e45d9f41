/*
 * test_complaint.c: complaints (complaint.c) on a temporary database.
 * Recording works against a typed name and against a certified
 * organisation (its name as certified); bad input is refused with every
 * problem listed and nothing written; only supervisors record, read and
 * handle; the list filters and pages; handling is recorded once, also
 * when another handling is written while it waits for the lock.
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

#include "complaint.h"
#include "store.h"
#include "testlib_race.h"
#include "testlib_store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-complaint.XXXXXX";
static char dbpath[64];
static struct store *db;
static struct arena *arena;
static struct dom d;

enum { SUP = 1, SUP2, LEAD, APP };

static const struct actor people[] = {
	{ 0, "", "系统", "", 0, 0, "" },
	{ SUP, "s1@x.cn", "监督一", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ SUP2, "s2@x.cn", "监督二", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ LEAD, "l@x.cn", "负责人", "lead", ROLE_LEAD, 0, "" },
	{ APP, "a@x.cn", "申请人", "applicant", ROLE_APPLICANT, 1, "获证公司" },
};

static struct dom *
as(int who)
{
	dom_init(&d, db, arena, &people[who], (long long)time(NULL));
	return &d;
}

static long long
count(const char *sql, long long id)
{
	return ts_count(db, sql, id);
}

static long long
complaints(void)
{
	return count("SELECT count(*) FROM complaint WHERE ?1 = ?1", 0);
}

static int
setup(void **state)
{
	db = ts_open(dir);
	arena = arena_new();
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", dir);
	ts_exec(db, "INSERT INTO org(id, name) VALUES (1, '获证公司（旧名）'), "
	    "(2, '未获证公司');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash) "
	    "VALUES (1, 's1@x.cn', '监督一', 'supervisor', NULL, 'x'), "
	    "(2, 's2@x.cn', '监督二', 'supervisor', NULL, 'x'), "
	    "(3, 'l@x.cn', '负责人', 'lead', NULL, 'x'), "
	    "(4, 'a@x.cn', '申请人', 'applicant', 1, 'x');"
	    "INSERT INTO cases(id, org_id, created_by) VALUES "
	    "(1, 1, 4), (2, 1, 4);"
	    "INSERT INTO cert_batch(id, created_by, created_at) VALUES "
	    "(1, 3, '2025-01-01T00:00:00Z');"
	    "INSERT INTO certificate(no, case_id, org_id, org_name, uscc, "
	    "issued_on, expires_on, batch_id) VALUES "
	    "('C-1', 1, 1, '获证公司（旧名）', '91350100M000100Y43', "
	    "'2024-01-01', '2026-12-31', 1), "
	    "('C-2', 2, 1, '获证公司', '91350100M000100Y43', '2025-01-01', "
	    "'2027-12-31', 1)");
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}


static void
test_record(void **state)
{
	struct complaint_input in = { 0, "某某安全公司", "王五 13800000000",
	    "项目交付后未按合同提供服务。", "2025-03-01" };
	struct complaint c;
	long long id, before = complaints();

	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_OK);
	assert_true(id > 0);
	assert_int_equal(complaints(), before + 1);
	assert_int_equal(complaint_get(as(SUP2), id, &c), DOM_OK);
	assert_string_equal(c.org_name, "某某安全公司");
	assert_false(c.certified);
	assert_string_equal(c.complainant, "王五 13800000000");
	assert_string_equal(c.received_on, "2025-03-01");
	assert_string_equal(c.recorded_by, "监督一");
	assert_false(c.handled);
	assert_string_equal(c.handling, "");

	/* Against a certified organisation: its latest certified name. */
	in = (struct complaint_input){ 1, "", "赵六", "虚假宣传。",
	    d.today_s };
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_OK);
	assert_int_equal(complaint_get(as(SUP), id, &c), DOM_OK);
	assert_string_equal(c.org_name, "获证公司");
	assert_true(c.certified);
	assert_int_equal(count("SELECT org_id FROM complaint WHERE id = ?1",
	    id), 1);
}

static void
test_record_refused(void **state)
{
	struct complaint_input in = { 0, "", "", "", "2999-01-01" };
	struct problem p[COMPLAINT_PROBLEMS];
	long long id, before = complaints();
	size_t n;

	/* Every problem at once, in the form's order. */
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_string_equal(d.field, "org_name");
	assert_int_equal(id, 0);
	assert_int_equal(complaint_check(as(SUP), &in, p, &n), DOM_OK);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].field, "org_name");
	assert_string_equal(p[1].field, "complainant");
	assert_string_equal(p[2].field, "text");
	assert_string_equal(p[3].field, "received_on");
	assert_non_null(strstr(p[3].msg, "不能晚于今天"));

	/* One at a time. */
	in = (struct complaint_input){ 2, "", "张三", "内容", "2025-01-01" };
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_string_equal(d.field, "org_id");
	assert_non_null(strstr(d.msg, "没有资质证书"));
	in.org_id = -1;
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_string_equal(d.field, "org_id");
	in.org_id = 0;
	in.org_name = " ";
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_non_null(strstr(d.msg, "请选择被投诉的获证单位"));
	in.org_name = "某公司";
	in.received_on = "2025-02-30";
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_string_equal(d.field, "received_on");
	assert_non_null(strstr(d.msg, "年-月-日"));
	in.received_on = "2025-02-28";
	in.complainant = "张\xe2\x80\x8b三";	/* a zero-width space */
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_INVALID);
	assert_string_equal(d.field, "complainant");

	/* Only supervisors. */
	in.complainant = "张三";
	assert_int_equal(complaint_record(as(LEAD), &in, &id), DOM_FORBIDDEN);
	assert_int_equal(complaint_record(as(APP), &in, &id), DOM_FORBIDDEN);
	assert_int_equal(complaints(), before);
}

static void
test_list(void **state)
{
	struct complaint_input in = { 0, "列表公司", "甲", "一", "2024-05-01" };
	struct complaint *v;
	struct complaint_org *o;
	long long id, handled, total, all, open;
	size_t n, i;

	assert_int_equal(complaint_record(as(SUP), &in, &handled), DOM_OK);
	assert_int_equal(complaint_handle(as(SUP), handled, "已处理。"),
	    DOM_OK);
	in.received_on = "2024-04-01";
	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_OK);
	all = complaints();
	open = count("SELECT count(*) FROM complaint WHERE handled_at IS NULL "
	    "AND ?1 = ?1", 0);

	assert_int_equal(complaint_list(as(SUP), COMPLAINT_ALL, 0, 100, &v, &n,
	    &total), DOM_OK);
	assert_int_equal(total, all);
	assert_int_equal((long long)n, all);
	for (i = 1; i < n; i++)	/* open ones first */
		assert_true(v[i - 1].handled <= v[i].handled);
	assert_int_equal(complaint_list(as(SUP), COMPLAINT_OPEN, 0, 100, &v,
	    &n, &total), DOM_OK);
	assert_int_equal(total, open);
	for (i = 0; i < n; i++)
		assert_false(v[i].handled);
	assert_int_equal(complaint_list(as(SUP), COMPLAINT_HANDLED, 0, 100,
	    &v, &n, &total), DOM_OK);
	assert_int_equal(total, all - open);
	for (i = 0; i < n; i++)
		assert_true(v[i].handled);
	for (i = 0; i < n && v[i].id != handled; i++)
		;
	assert_true(i < n);
	assert_string_equal(v[i].handled_by, "监督一");
	assert_int_equal(complaint_list(as(SUP), COMPLAINT_ALL, 1, 1, &v, &n,
	    &total), DOM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, all);
	assert_int_equal(complaint_list(as(APP), COMPLAINT_ALL, 0, 20, &v, &n,
	    &total), DOM_FORBIDDEN);

	/* The certified organisations, once each, by their latest name. */
	assert_int_equal(complaint_orgs(as(SUP), &o, &n), DOM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].id, 1);
	assert_string_equal(o[0].name, "获证公司");
	assert_int_equal(complaint_get(as(SUP), 999999, &(struct complaint){0}),
	    DOM_NOT_FOUND);
}

static void
test_handle(void **state)
{
	struct complaint_input in = { 0, "处理公司", "乙", "二", "2025-01-02" };
	struct complaint c;
	long long id;

	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_OK);
	assert_int_equal(complaint_handle(as(SUP2), id, " \n"), DOM_INVALID);
	assert_string_equal(d.field, "handling");
	assert_non_null(strstr(d.msg, "请填写处理情况"));
	assert_int_equal(complaint_handle(as(LEAD), id, "x"), DOM_FORBIDDEN);
	assert_int_equal(complaint_handle(as(SUP2), 999999, "x"),
	    DOM_NOT_FOUND);
	assert_int_equal(count("SELECT handled_at IS NULL FROM complaint "
	    "WHERE id = ?1", id), 1);

	assert_int_equal(complaint_handle(as(SUP2), id, "已约谈，责令整改。"),
	    DOM_OK);
	assert_int_equal(complaint_get(as(SUP), id, &c), DOM_OK);
	assert_true(c.handled);
	assert_string_equal(c.handling, "已约谈，责令整改。");
	assert_string_equal(c.handled_by, "监督二");
	assert_int_equal(complaint_handle(as(SUP), id, "again"), DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "已经登记"));
	assert_int_equal(count("SELECT handled_by FROM complaint WHERE "
	    "id = ?1", id), SUP2);
}

/* Another handling is written while this one waits for the lock: the
 * check inside the transaction sees it. */
static void
test_handle_race(void **state)
{
	struct complaint_input in = { 0, "竞争公司", "丙", "三", "2025-01-03" };
	struct ts_race *r;
	char sql[256];
	long long id;

	assert_int_equal(complaint_record(as(SUP), &in, &id), DOM_OK);
	snprintf(sql, sizeof(sql), "UPDATE complaint SET handling = '先到', "
	    "handled_by = %d, handled_at = '2026-01-01T00:00:00Z' WHERE "
	    "id = %lld", SUP2, id);
	r = ts_race_start(dbpath, sql, 300);
	assert_int_equal(complaint_handle(as(SUP), id, "后到"), DOM_CONFLICT);
	ts_race_end(r);
	assert_string_equal(d.msg, "此投诉的处理情况已经登记，不能再修改。");
	assert_int_equal(count("SELECT handled_by FROM complaint WHERE "
	    "id = ?1", id), SUP2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_refused),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_handle),
		cmocka_unit_test(test_handle_race),
	};

	return cmocka_run_group_tests_name("complaints", tests, setup,
	    teardown);
}
