/*
 * test_application.c: an organisation's applications (application.c) on
 * a temporary database: a new draft, the list with paging, a section
 * saved (and the files of its group rows following their rows),
 * withdrawal; every refusal writes nothing; the "still editable" and
 * "still open" checks are made inside the transaction of the save and
 * the withdrawal.
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
#include "submission.h"
#include "testlib_apply.h"

static void
test_create_and_list(void **state)
{
	struct application_row *rows;
	long long ids[25], id, total;
	size_t n, i;

	/* Only an applicant makes drafts, for its own organisation. */
	assert_int_equal(application_create(tp_dom(TP_LEAD), &id),
	    DOM_FORBIDDEN);
	assert_int_equal(id, 0);
	assert_int_equal(tp_int("SELECT count(*) FROM cases", 0), 0);
	/* At most APPLICATION_DRAFTS_MAX drafts at once per organisation
	 * (issue 14, item 4): 50 POST /cases in a row made 50. Those
	 * withdrawn make room. */
	for (i = 0; i < 25; i++) {
		if (i >= APPLICATION_DRAFTS_MAX) {
			struct dom *d = tp_dom(TP_APPLICANT);
			char sql[128];

			assert_int_equal(application_create(d, &id),
			    DOM_CONFLICT);
			assert_non_null(strstr(d->msg, "未提交的草稿"));
			snprintf(sql, sizeof(sql), "UPDATE cases SET status = "
			    "'withdrawn' WHERE id = %lld", ids[i -
			    APPLICATION_DRAFTS_MAX]);
			tp_exec(sql);
		}
		ids[i] = tp_draft(TP_APPLICANT);
	}
	id = tp_draft(TP_OTHER);
	assert_int_equal(tp_int("SELECT org_id FROM cases WHERE id = ?1",
	    ids[0]), 1);
	assert_int_equal(tp_int("SELECT org_id FROM cases WHERE id = ?1", id),
	    2);
	/* A draft has its status facts (stage none, not open). */
	assert_int_equal(tp_int("SELECT is_open FROM cases WHERE id = ?1",
	    id), 0);

	/* Newest first, 20 a page; another organisation's never. */
	assert_int_equal(application_list(tp_dom(TP_APPLICANT), 1, 20, &rows,
	    &n, &total), DOM_OK);
	assert_int_equal(total, 25);
	assert_int_equal(n, 20);
	assert_int_equal(rows[0].id, ids[24]);
	assert_int_equal(rows[0].st, ST_DRAFT);
	assert_int_equal(rows[19].st, ST_WITHDRAWN);
	assert_string_equal(rows[0].case_no, "");
	assert_int_equal(application_list(tp_dom(TP_APPLICANT), 2, 20, &rows,
	    &n, &total), DOM_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rows[4].id, ids[0]);
	assert_int_equal(application_list(tp_dom(TP_OTHER), 1, 20, &rows,
	    &n, &total), DOM_OK);
	assert_int_equal(total, 1);
	assert_int_equal(rows[0].id, id);
	/* Staff have no organisation's list. */
	assert_int_equal(application_list(tp_dom(TP_LEAD), 1, 20, &rows, &n,
	    &total), DOM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	/* Room for the tests that follow. */
	tp_exec("UPDATE cases SET status = 'withdrawn'");
}

/* The values of section s2 (no groups), or of s9's awards. */
static void
values(struct dom *d, struct formdata *fd, const char *profile)
{
	formdata_init(fd, d->arena);
	formdata_set(fd, "profile", FDEF_NOROW, profile);
}

static void
test_save_section(void **state)
{
	const struct fdef_section *s2 = fdef_section_find("s2");
	const struct fdef_section *s8 = fdef_section_find("s8");
	struct dom *d = tp_dom(TP_APPLICANT);
	struct fdef_report rep;
	struct formdata fd;
	struct case_ref c;
	char sql[200];
	long long id = tp_draft(TP_APPLICANT), sub;
	pid_t p;

	values(d, &fd, "本单位专注于信息安全工程服务。");
	assert_int_equal(application_save_section(d, id, s2, &fd, NULL, 0,
	    &rep), DOM_OK);
	assert_int_equal(tp_int("SELECT count(*) FROM form_value WHERE "
	    "case_id = ?1 AND field = 'profile'", id), 1);
	assert_int_equal(tp_int("SELECT count(*) FROM form_section WHERE "
	    "case_id = ?1 AND section = 's2'", id), 1);
	/* Read back through the access policy. */
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	formdata_init(&fd, d->arena);
	assert_int_equal(application_form(d, &c, &fd), DOM_OK);
	assert_string_equal(formdata_get(&fd, "profile", FDEF_NOROW),
	    "本单位专注于信息安全工程服务。");

	/* Not theirs; staff on a draft. */
	values(d, &fd, "改过的简介");
	assert_int_equal(application_save_section(tp_dom(TP_OTHER), id, s2,
	    &fd, NULL, 0, &rep), DOM_NOT_FOUND);
	assert_int_equal(application_save_section(tp_dom(TP_LEAD), id, s2,
	    &fd, NULL, 0, &rep), DOM_NOT_FOUND);
	/* Submitted: refused with the pages' words. */
	sub = tp_case(1, ST_SUBMITTED, 0);
	assert_int_equal(application_save_section(d, sub, s2, &fd, NULL, 0,
	    &rep), DOM_CONFLICT);
	assert_string_equal(d->msg, "申请已提交，当前不能修改申请书。");
	assert_int_equal(tp_int("SELECT count(*) FROM form_value WHERE "
	    "case_id = ?1", sub), 0);

	/* A cross-field check refuses the save: a project ending before it
	 * starts; nothing of it is stored. */
	formdata_init(&fd, d->arena);
	formdata_set(&fd, "proj_name", 0, "项目甲");
	formdata_set(&fd, "proj_start", 0, "2024-05-01");
	formdata_set(&fd, "proj_end", 0, "2024-01-01");
	formdata_set(&fd, "proj_value", 0, "10000000");
	assert_int_equal(application_save_section(d, id, s8, &fd, NULL, 0,
	    &rep), DOM_INVALID);
	assert_true(rep.n > 0);
	assert_int_equal(tp_int("SELECT count(*) FROM form_value WHERE "
	    "case_id = ?1 AND field LIKE 'proj_%'", id), 0);

	/* Submitted meanwhile: the save does not land after it. */
	values(d, &fd, "提交之后的简介");
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', rounds = "
	    "1 WHERE id = %lld", status_code(ST_SUBMITTED), id);
	p = tp_hold(sql, 300);
	assert_int_equal(application_save_section(d, id, s2, &fd, NULL, 0,
	    &rep), DOM_CONFLICT);
	tp_join(p);
	assert_int_equal(tp_int("SELECT count(*) FROM form_value WHERE "
	    "case_id = ?1 AND value = '提交之后的简介'", id), 0);
}

/* The files of a group's rows follow their rows when rows go. */
static void
test_files_follow_rows(void **state)
{
	const struct fdef_section *s9 = fdef_section_find("s9");
	struct dom *d = tp_dom(TP_APPLICANT);
	struct material_upload u;
	struct material_rowmap map;
	struct fdef_report rep;
	struct formdata fd;
	static const char *names[] = { "奖项甲", "奖项乙", "奖项丙" };
	char pdf[3][40];
	long long id = tp_draft(TP_APPLICANT), mid[3];
	int row, orig[2] = { 2, 1 }, to[2] = { 0, 1 };

	formdata_init(&fd, d->arena);
	for (row = 0; row < 3; row++)
		formdata_set(&fd, "aw_name", row, names[row]);
	assert_int_equal(application_save_section(d, id, s9, &fd, NULL, 0,
	    &rep), DOM_OK);
	for (row = 0; row < 3; row++) {
		memset(&u, 0, sizeof(u));
		u.kind = "award_cert";
		u.row = row;
		u.filename = "证书.pdf";
		u.len = (size_t)snprintf(pdf[row], sizeof(pdf[row]),
		    "%%PDF-1.4\n%% award %d\n%%%%EOF\n", row);
		u.data = pdf[row];
		assert_int_equal(material_upload(d, id, &u, &mid[row]), DOM_OK);
	}
	/* The page now shows 丙 then 乙; 甲 is gone. */
	formdata_init(&fd, d->arena);
	formdata_set(&fd, "aw_name", 0, names[2]);
	formdata_set(&fd, "aw_name", 1, names[1]);
	map.group = fdef_material_find("award_cert", NULL)->group;
	map.n = 2;
	map.orig = orig;
	map.to = to;
	assert_int_equal(application_save_section(d, id, s9, &fd, &map, 1,
	    &rep), DOM_OK);
	assert_int_equal(tp_int("SELECT row FROM material WHERE id = ?1",
	    mid[2]), 0);
	assert_int_equal(tp_int("SELECT row FROM material WHERE id = ?1",
	    mid[1]), 1);
	/* 甲's file was never frozen in a round: purged with its row
	 * (issue 14, item 4), its bytes queued for deletion. */
	assert_int_equal(tp_int("SELECT count(*) FROM material WHERE id = ?1",
	    mid[0]), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM file_purge", 0), 1);
}

static void
test_withdraw(void **state)
{
	struct dom *d = tp_dom(TP_APPLICANT);
	char sql[200], *longer;
	long long id = tp_draft(TP_APPLICANT), open, fin;
	pid_t p;

	/* Refused, nothing written: another organisation, a reason too
	 * long, a final status. */
	assert_int_equal(application_withdraw(tp_dom(TP_OTHER), id, ""),
	    DOM_NOT_FOUND);
	longer = calloc(1, 2002);
	memset(longer, 'x', 2001);
	assert_int_equal(application_withdraw(d, id, longer), DOM_INVALID);
	assert_string_equal(d->field, "reason");
	free(longer);
	fin = tp_case(1, ST_ISSUED, TP_LEAD);
	assert_int_equal(application_withdraw(d, fin, ""), DOM_CONFLICT);
	assert_string_equal(d->msg, "此申请当前不能撤回。");
	open = tp_case(1, ST_INTAKE_REVIEW, TP_LEAD);
	assert_int_equal(application_withdraw(tp_dom(TP_LEAD), open, ""),
	    DOM_FORBIDDEN);
	assert_int_equal(tp_int("SELECT count(*) FROM event", 0), 0);

	/* Works: the status and an event with the reason. */
	assert_int_equal(application_withdraw(d, id, "不再申请"), DOM_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM cases WHERE id = ?1 "
	    "AND status = '%s'", status_code(ST_WITHDRAWN));
	assert_int_equal(tp_int(sql, id), 1);
	assert_int_equal(tp_int("SELECT count(*) FROM event WHERE case_id = "
	    "?1 AND reason = '不再申请' AND actor_id = 1", id), 1);
	assert_int_equal(application_withdraw(d, id, ""), DOM_CONFLICT);

	/* Issued meanwhile: the withdrawal sees it. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s' WHERE "
	    "id = %lld", status_code(ST_ISSUED), open);
	p = tp_hold(sql, 300);
	assert_int_equal(application_withdraw(d, open, ""), DOM_CONFLICT);
	assert_string_equal(d->msg, "此申请当前不能撤回。");
	tp_join(p);
	assert_int_equal(tp_int("SELECT count(*) FROM event WHERE case_id = "
	    "?1", open), 0);
}

/* A new application from the last round counts as a draft like any
 * other: the cap holds (issue 14, item 4), and the round's values are
 * copied once there is room. */
static void
test_from_last_capped(void **state)
{
	struct submission_result out;
	struct dom *d;
	const char *from = NULL;
	long long id = tp_complete(TP_APPLICANT), nid = -1;
	int i;

	(void)state;
	assert_int_equal(submission_submit(tp_dom(TP_APPLICANT), id, 1, &out),
	    DOM_OK);
	for (i = 0; i < APPLICATION_DRAFTS_MAX; i++)
		tp_draft(TP_APPLICANT);
	d = tp_dom(TP_APPLICANT);
	assert_int_equal(application_create_from_last(d, &nid, &from),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "未提交的草稿"));
	assert_int_equal(nid, 0);
	assert_int_equal(tp_int("SELECT count(*) FROM cases WHERE status = "
	    "'draft'", 0), APPLICATION_DRAFTS_MAX);
	tp_exec("UPDATE cases SET status = 'withdrawn' WHERE id = (SELECT "
	    "max(id) FROM cases)");
	assert_int_equal(application_create_from_last(tp_dom(TP_APPLICANT),
	    &nid, &from), DOM_OK);
	assert_true(nid > 0);
	assert_true(tp_int("SELECT count(*) FROM form_value WHERE case_id = "
	    "?1", nid) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_list),
		cmocka_unit_test(test_save_section),
		cmocka_unit_test(test_files_follow_rows),
		cmocka_unit_test(test_withdraw),
		cmocka_unit_test(test_from_last_capped),
	};

	return cmocka_run_group_tests_name("application", tests, tp_setup,
	    tp_teardown);
}
