/*
 * test_lifecycle.c: a case over months (issue 19), on a temporary
 * database, each step at a chosen moment as `zizhi sweep --now` and
 * `zizhi serve --now` set the clock (tp_dom_at). The scenarios of the
 * issue, with the year moved to next year so that the test never ages:
 *
 *  - submitted Y-01-10, supplement sent Y-01-31 (due Y-02-28, clamped),
 *    answered Y-03-15: the answer is flagged late on the timeline's
 *    event, the round's 收件凭证, the lead's review view and the queue,
 *    and the lead may still refuse it as 逾期未补正 (§5.2);
 *  - not answered: from Y-03-01 the queue, its filter and the dashboard
 *    say 逾期未补正 with the due date, not 正常;
 *  - one legal name: every notice names the frozen round's 单位名称 and
 *    统一社会信用代码, not the account's organisation, and the review
 *    says that the two differ;
 *  - the check page, while a supplement is answered, judges eligibility
 *    as of the first submission's day; a maintenance application shows
 *    no level-1 certificate check;
 *  - who is told (withdrawal, appeal); reassignment;
 *  - and the pages of all this, in process (http_inproc_login), with the
 *    request clock moved as `zizhi serve --now` moves it.
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

#include "caselist.h"
#include "casestats.h"
#include "form_def.h"
#include "formdata.h"
#include "appeal.h"
#include "application.h"
#include "intake.h"
#include "account.h"
#include "reassign.h"
#include "timeline.h"
#include "notice.h"
#include "notice_read.h"
#include "submission.h"
#include "testlib_apply.h"
#include "archive.h"
#include "testlib_http.h"
#include "util.h"

#define PARTY		"北京某某信息安全技术有限公司"	/* the form's */

static int year;	/* next year */
static char when[16][24];

/* "Y-MM-DD" of next year, in a static slot. */
static const char *
on(int slot, const char *mmdd)
{
	snprintf(when[slot], sizeof(when[slot]), "%d-%s", year, mmdd);
	return when[slot];
}

static int
setup(void **state)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	year = tm.tm_year + 1900 + 1;
	tp_setup(state);
	setenv("ZIZHI_DB", tp_path(), 1);
	return 0;
}

static int
teardown(void **state)
{
	http_inproc_close();
	return tp_teardown(state);
}

/* The in-process application's clock at a moment, as --now sets it. */
static void
clock_at(const char *moment)
{
	http_inproc_clock(tp_dom_at(0, moment)->now - (long long)time(NULL));
}

/* GET path as c: the status must be want; the response in *r. */
static void
get(struct http_client *c, const char *path, long want, struct http_resp *r)
{
	http_get(c, path, r);
	if (r->status != want)
		fail_msg("GET %s: %ld, want %ld: %.300s", path, r->status, want,
		    r->body.p ? r->body.p : "");
}

/* POST form (the client's CSRF token added) to path: the status. */
static long
post(struct http_client *c, const char *path, const char *form)
{
	struct http_resp r;
	char *body = arena_printf(tp_dom(0)->arena, "csrf=%s&%s",
	    http_inproc_csrf(c), form);
	long status;

	memset(&r, 0, sizeof(r));
	http_post_form(c, path, body, &r);
	status = r.status;
	http_resp_free(&r);
	return status;
}

/* The body must have s. */
static void
has(const struct http_resp *r, const char *s)
{
	if (!http_body_has(r, s))
		fail_msg("no \"%s\" in: %.2000s", s, r->body.p);
}

#define SITE	"https://zizhi.example.cn"

/* A context acting as who at a moment (tp_dom_at), on the site SITE. */
static struct dom *
at(long long who, const char *moment)
{
	struct dom *d = tp_dom_at(who, moment);

	d->public_url = SITE;
	return d;
}

/* The text of the query's first row (?1 bound to a), in the arena of a
 * fresh context. */
static const char *
text(const char *sql, long long a)
{
	sqlite3_stmt *st;
	const char *s;

	if (sqlite3_prepare_v2(store_db(tp_db), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("%s", sql);
	sqlite3_bind_int64(st, 1, a);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = arena_strdup(tp_dom(0)->arena, (const char *)
	    sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* A complete application submitted on Y-01-10 and taken by the lead on
 * Y-01-20. */
static long long
submitted(void)
{
	struct submission_result out;
	long long id = tp_complete(TP_APPLICANT);
	struct dom *d = at(TP_APPLICANT, on(0, "01-10"));

	if (submission_submit(d, id, 1, &out) != DOM_OK)
		fail_msg("submit: %s", d->msg);
	d = at(TP_LEAD, on(1, "01-20"));
	if (intake_take(d, id) != DOM_OK)
		fail_msg("take: %s", d->msg);
	return id;
}

/* The lead asks for a supplement on Y-01-31; the applicant's mail
 * server takes the notice that day (送达: its month runs from then). */
static void
supplement(long long id)
{
	struct intake_item it = { 0, "s1", "营业执照副本扫描件不清晰，请重新上传。" };
	struct dom *d = at(TP_LEAD, on(2, "01-31"));

	if (intake_request_supplement(d, id, &it, 1) != DOM_OK)
		fail_msg("supplement: %s", d->msg);
	assert_string_equal(text("SELECT coalesce(supplement_due, '') FROM "
	    "cases WHERE id = ?1", id), "");	/* not served yet */
	assert_int_equal(notice_serve(tp_db, tp_int("SELECT max(id) FROM "
	    "notice WHERE case_id = ?1", id), d->now + 600, NOTICE_VIA_SMTP, 0,
	    0), 1);
}

/* The due date of a supplement sent on Y-01-31: Y-02-28 or -29. */
static const char *
due(void)
{
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return on(3, leap ? "02-29" : "02-28");
}

/* The caselist rows of f as d sees them; the row of case id, or NULL. */
static const struct caselist_row *
row_of(struct dom *d, struct caselist_filter *f, long long id)
{
	struct caselist_row *rows;
	size_t n, i;

	assert_int_equal(caselist_rows(d, f, &rows, &n), DOM_OK);
	for (i = 0; i < n; i++)
		if (rows[i].id == id)
			return &rows[i];
	return NULL;
}

/* 1. A late supplement answer is flagged everywhere the lead looks, and
 * the decision under §5.2 stays open. */
static void
test_late_answer(void **state)
{
	struct submission_result out;
	struct caselist_filter f;
	const struct caselist_row *r;
	struct intake_view v;
	struct case_ref c;
	struct dom *d;
	const char *reason, *receipt;
	long long id = submitted();

	supplement(id);
	assert_string_equal(text("SELECT supplement_due FROM cases WHERE id = "
	    "?1", id), due());
	d = at(TP_APPLICANT, on(4, "03-15"));
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_OK);
	assert_int_equal(out.round, 2);
	assert_true(out.late);
	assert_string_equal(out.answers_due, due());

	/* The timeline: the event says it was late, with both dates. */
	reason = text("SELECT reason FROM event WHERE case_id = ?1 ORDER BY id "
	    "DESC LIMIT 1", id);
	assert_non_null(strstr(reason, "逾期提交"));
	assert_non_null(strstr(reason, due()));
	assert_non_null(strstr(reason, on(4, "03-15")));
	/* The round's receipt. */
	receipt = text("SELECT body FROM notice WHERE case_id = ?1 AND kind = "
	    "'receipt' ORDER BY id DESC LIMIT 1", id);
	assert_non_null(strstr(receipt, "逾期提交"));
	assert_non_null(strstr(receipt, due()));
	assert_non_null(strstr(receipt, on(4, "03-15")));
	/* Its mail is the notice, with where to act on the case (item 8). */
	receipt = text("SELECT body FROM outbox WHERE notice_id = (SELECT "
	    "max(id) FROM notice WHERE case_id = ?1 AND kind = 'receipt')", id);
	assert_non_null(strstr(receipt, "逾期提交"));
	assert_non_null(strstr(receipt, arena_printf(tp_dom(0)->arena,
	    SITE "/cases/%lld\n", id)));

	/* The lead's review. */
	d = at(TP_LEAD, on(5, "03-16"));
	assert_int_equal(access_case(d, id, PART_FINDINGS, &c), DOM_OK);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_int_equal(v.round, 2);
	assert_true(v.late);
	assert_string_equal(v.late_due, due());
	assert_string_equal(v.late_day, on(4, "03-15"));

	/* The queue, and its filter. */
	caselist_filter_init(&f);
	f.order = CASELIST_URGENT;
	f.mine = 1;
	assert_non_null(r = row_of(d, &f, id));
	assert_true(r->answered_late);
	assert_non_null(strstr(caselist_state_zh(d->arena, r), "逾期提交"));
	f.supplement = CASELIST_SUP_LATE;
	assert_non_null(row_of(d, &f, id));
	f.supplement = CASELIST_SUP_OVERDUE;
	assert_null(row_of(d, &f, id));

	/* The decision stays open: refused as 逾期未补正 from intake_review,
	 * the ground with its dates in the event and the notice. */
	assert_int_equal(intake_refuse_late(d, id, "逾期提交补正材料。"),
	    DOM_OK);
	assert_string_equal(text("SELECT status FROM cases WHERE id = ?1", id),
	    "rejected");
	reason = text("SELECT reason FROM event WHERE case_id = ?1 ORDER BY id "
	    "DESC LIMIT 1", id);
	assert_non_null(strstr(reason, "逾期未补正"));
	assert_non_null(strstr(reason, "5.2"));
	assert_non_null(strstr(reason, due()));
	receipt = text("SELECT body FROM notice WHERE case_id = ?1 AND kind = "
	    "'refusal'", id);
	assert_non_null(strstr(receipt, "逾期未补正"));
	assert_non_null(strstr(receipt, on(4, "03-15")));
}

/* An answer on the due date is on time: not flagged, and 逾期未补正 is
 * no ground to refuse it. */
static void
test_answer_on_time(void **state)
{
	struct submission_result out;
	struct dom *d;
	long long id = submitted();

	supplement(id);
	d = at(TP_APPLICANT, due());
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_OK);
	assert_false(out.late);
	assert_null(strstr(text("SELECT reason FROM event WHERE case_id = ?1 "
	    "ORDER BY id DESC LIMIT 1", id), "逾期"));
	d = at(TP_LEAD, on(5, "03-16"));
	assert_int_equal(intake_refuse_late(d, id, "逾期。"), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不是逾期提交"));
	assert_string_equal(text("SELECT status FROM cases WHERE id = ?1", id),
	    "intake_review");
}

/* 2. A supplement awaited past its due date: the queue, its filter and
 * the dashboard say so, with the due date. */
static void
test_overdue_supplement(void **state)
{
	struct caselist_filter f;
	const struct caselist_row *r;
	struct casestats *cs;
	struct dom *d;
	long long id = submitted();
	size_t i;
	int listed;

	supplement(id);
	/* Within the due date: waiting, not overdue. */
	d = at(TP_LEAD, on(5, "02-20"));
	caselist_filter_init(&f);
	f.order = CASELIST_URGENT;
	f.mine = 1;
	assert_non_null(r = row_of(d, &f, id));
	assert_false(r->supplement_overdue);
	assert_string_equal(r->supplement_due, due());
	f.supplement = CASELIST_SUP_WAITING;
	assert_non_null(row_of(d, &f, id));

	/* The day after it: overdue. */
	d = at(TP_LEAD, on(6, "03-01"));
	f.supplement = CASELIST_SUP_ANY;
	assert_non_null(r = row_of(d, &f, id));
	assert_true(r->supplement_overdue);
	assert_string_equal(r->supplement_due, due());
	assert_non_null(strstr(caselist_state_zh(d->arena, r), "逾期未补正"));
	assert_non_null(strstr(caselist_state_zh(d->arena, r), due()));
	assert_null(strstr(caselist_state_zh(d->arena, r), "正常"));
	f.supplement = CASELIST_SUP_OVERDUE;
	assert_non_null(row_of(d, &f, id));
	f.supplement = CASELIST_SUP_WAITING;
	assert_null(row_of(d, &f, id));

	/* The dashboard. */
	cs = arena_alloc(d->arena, sizeof(*cs));
	assert_int_equal(casestats_load(d, cs), DOM_OK);
	assert_true(cs->supplement_overdue >= 1);
	for (i = listed = 0; i < cs->noverdue; i++)
		if (cs->overdue[i].id == id) {
			listed = 1;
			assert_string_equal(cs->overdue[i].due, due());
			assert_true(cs->overdue[i].days >= 1);
		}
	assert_true(listed);

	/* The lead may now refuse it, and says why. */
	assert_int_equal(intake_refuse_late(d, id, "未补正。"), DOM_OK);
	assert_non_null(strstr(text("SELECT reason FROM event WHERE case_id = "
	    "?1 ORDER BY id DESC LIMIT 1", id), "逾期未补正"));
}

/* 2. A supplement not yet served (送达) has no due date yet: the queue
 * says 待送达, it is waiting, never overdue, and 逾期未补正 is no ground
 * to refuse it, however long it waits. */
static void
test_unserved_supplement(void **state)
{
	struct intake_item it = { 0, "s1", "营业执照副本扫描件不清晰，请重新上传。" };
	struct caselist_filter f;
	const struct caselist_row *r;
	struct casestats *cs;
	struct dom *d;
	long long id = submitted();

	d = at(TP_LEAD, on(2, "01-31"));
	assert_int_equal(intake_request_supplement(d, id, &it, 1), DOM_OK);
	d = at(TP_LEAD, on(6, "05-01"));
	caselist_filter_init(&f);
	f.order = CASELIST_URGENT;
	f.mine = 1;
	assert_non_null(r = row_of(d, &f, id));
	assert_false(r->supplement_overdue);
	assert_string_equal(caselist_due_zh(r), "待送达");
	assert_null(strstr(caselist_state_zh(d->arena, r), "逾期"));
	f.supplement = CASELIST_SUP_WAITING;
	assert_non_null(row_of(d, &f, id));
	f.supplement = CASELIST_SUP_OVERDUE;
	assert_null(row_of(d, &f, id));
	cs = arena_alloc(d->arena, sizeof(*cs));
	assert_int_equal(casestats_load(d, cs), DOM_OK);
	assert_true(cs->supplement_waiting >= 1);
	assert_int_equal(intake_refuse_late(d, id, "未补正。"), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "尚未送达"));
	assert_string_equal(text("SELECT status FROM cases WHERE id = ?1", id),
	    "supplement_requested");
	/* Withdrawn, so that the other tests' lists stay as they were. */
	tp_exec(arena_printf(d->arena, "UPDATE cases SET status = 'withdrawn' "
	    "WHERE id = %lld", id));
}

/* 6. One legal name on every document of the case. */
static void
test_one_legal_name(void **state)
{
	struct notice_row *rows;
	struct intake_view v;
	struct case_ref c;
	struct dom *d;
	long long id = submitted();
	size_t n, i;

	supplement(id);
	d = at(TP_LEAD, on(5, "02-01"));
	assert_int_equal(access_case(d, id, PART_FINDINGS | PART_NOTICES, &c),
	    DOM_OK);
	assert_string_equal(c.org_name, PARTY);
	assert_string_equal(c.account_org, "甲公司");
	assert_int_equal(strlen(c.org_uscc), 18);
	assert_int_equal(intake_view(d, &c, &v), DOM_OK);
	assert_true(v.name_differs);
	assert_int_equal(notice_list(d, &c, &rows, &n), DOM_OK);
	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		struct notice_row full;

		assert_int_equal(notice_get(d, &c, rows[i].id, &full), DOM_OK);
		if (strstr(full.body, PARTY) == NULL ||
		    strstr(full.body, c.org_uscc) == NULL ||
		    strstr(full.body, "甲公司") != NULL)
			fail_msg("notice %s is not addressed to %s (%s): %s",
			    full.no, PARTY, c.org_uscc, full.body);
	}
}

/* Saves section s1 of case id with field set to value, as d. */
static void
change_s1(struct dom *d, long long id, const char *field, const char *value)
{
	const struct fdef_section *sec = fdef_section_find("s1");
	struct fdef_report rep;
	struct formdata fd;

	formdata_init(&fd, d->arena);
	assert_int_equal(formdata_load(&fd, tp_db, id), 0);
	formdata_set(&fd, field, FDEF_NOROW, value);
	if (application_save_section(d, id, sec, &fd, NULL, 0, &rep) != DOM_OK)
		fail_msg("save s1: %s", d->msg);
}

/* The verdict of check code in r, or -1 when r has no such check. */
static int
verdict(const struct submission_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->elig.nchecks; i++)
		if (strcmp(r->elig.checks[i].code, code) == 0)
			return (int)r->elig.checks[i].verdict;
	return -1;
}

/* 9. The check page, while a supplement is answered, judges as of the
 * first submission's day. */
static void
test_check_judged_at_submission(void **state)
{
	struct submission_report r;
	struct case_ref c;
	struct dom *d;
	long long id = submitted();

	supplement(id);
	/* The level-1 certificate was valid on the submission day and
	 * expired before the answer. */
	d = at(TP_APPLICANT, on(5, "02-10"));
	change_s1(d, id, "l1_cert_expiry", on(7, "02-01"));
	d = at(TP_APPLICANT, on(6, "02-20"));
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_true(r.supplement);
	assert_true(r.elig.submitted);
	assert_string_equal(r.elig.day_s, on(0, "01-10"));
	assert_int_equal(verdict(&r, "level1_cert"), RULES_PASS);

	/* A draft is judged as of today. */
	id = tp_complete(TP_APPLICANT);
	change_s1(d, id, "l1_cert_expiry", on(7, "02-01"));
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_false(r.elig.submitted);
	assert_string_equal(r.elig.day_s, on(6, "02-20"));
	assert_int_equal(verdict(&r, "level1_cert"), RULES_FAIL);
}

/* 9. A maintenance application shows no level-1 certificate check. */
static void
test_maintenance_checks(void **state)
{
	struct submission_report r;
	struct case_ref c;
	struct dom *d = tp_dom(TP_APPLICANT);
	long long id = tp_complete(TP_APPLICANT);

	/* The certificate it maintains, from the register. */
	tp_exec(arena_printf(d->arena, "INSERT INTO certificate(no, org_id, "
	    "org_name, uscc, issued_on, expires_on, imported_status, "
	    "imported_at) VALUES ('CNITSEC2024SE2-0901', 1, '甲公司', "
	    "'91110108MA01C2XK3X', '2024-07-01', '%s', 'valid', "
	    "'2026-01-01T00:00:00Z')", on(7, "12-31")));
	change_s1(d, id, "app_type", "maintenance");
	change_s1(d, id, "maint_cert_no", "CNITSEC2024SE2-0901");
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_int_equal(r.elig.nchecks, RULES_NCHECKS - 1);
	assert_int_equal(verdict(&r, "level1_cert"), -1);
	assert_int_equal(verdict(&r, "legal_entity"), RULES_PASS);
	assert_true(verdict(&r, "project_value") >= 0);
	/* An initial application still has it. */
	change_s1(d, id, "app_type", "initial");
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	assert_int_equal(r.elig.nchecks, RULES_NCHECKS);
	assert_true(verdict(&r, "level1_cert") >= 0);
}

/* The number of messages to address to about case id whose subject
 * has what. */
static long long
mails(const char *to, long long id, const char *what)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(tp_db), "SELECT count(*) "
	    "FROM outbox WHERE to_addr = ?1 AND case_id = ?2 AND instr(subject, "
	    "?3) > 0", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* 7. A withdrawal tells the lead; a new appeal tells the supervisors. */
static void
test_who_is_told(void **state)
{
	struct appeal_input in = { "受理审查结论依据不足，请求复核。", NULL, 0 };
	struct dom *d;
	long long id = submitted(), aid;

	d = at(TP_APPLICANT, on(5, "02-01"));
	assert_int_equal(application_withdraw(d, id, "另行申请"), DOM_OK);
	assert_int_equal(mails("l@x.cn", id, "撤回"), 1);
	assert_non_null(strstr(text("SELECT body FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'l@x.cn'", id), "另行申请"));

	id = submitted();
	d = at(TP_LEAD, on(5, "02-01"));
	assert_int_equal(intake_refuse(d, id, "基本资格不符合。"), DOM_OK);
	d = at(TP_APPLICANT, on(6, "02-10"));
	assert_int_equal(appeal_lodge(d, id, &in, &aid), DOM_OK);
	assert_int_equal(mails("v@x.cn", id, "申诉"), 1);
	assert_non_null(strstr(text("SELECT body FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'v@x.cn'", id), arena_printf(tp_dom(0)->arena,
	    SITE "/appeals/%lld", aid)));
}

/* 3. A supervisor gives a case another lead; a lead with open cases is
 * not disabled before they are reassigned. */
static void
test_reassignment(void **state)
{
	struct intake_finding f = { "form", "ok", "" };
	struct timeline_event *ev;
	struct reassign_case *open;
	long long id = submitted(), total;
	struct dom *d;
	size_t n, i;
	int seen;

	/* Another lead may not work on it. */
	d = at(TP_LEAD2, on(5, "02-01"));
	assert_int_equal(intake_record_findings(d, id, &f, 1), DOM_NOT_FOUND);

	/* Neither the lead, nor the administrator, nor the applicant may
	 * reassign; the supervisor may, with an active lead and a reason. */
	d = at(TP_LEAD, on(5, "02-01"));
	assert_int_equal(reassign_lead(d, id, TP_LEAD2, "休假"),
	    DOM_FORBIDDEN);
	d = at(TP_ADMIN, on(5, "02-01"));
	assert_int_equal(reassign_lead(d, id, TP_LEAD2, "休假"),
	    DOM_NOT_FOUND);
	d = at(TP_SUPERVISOR, on(5, "02-01"));
	assert_int_equal(reassign_lead(d, id, TP_LEAD2, ""), DOM_INVALID);
	assert_string_equal(d->field, "reason");
	assert_int_equal(reassign_lead(d, id, TP_ASSESSOR, "休假"),
	    DOM_INVALID);
	assert_string_equal(d->field, "lead");
	assert_int_equal(reassign_lead(d, id, TP_LEAD, "休假"), DOM_INVALID);
	assert_int_equal(tp_int("SELECT count(*) FROM lead_change WHERE "
	    "case_id = ?1", id), 0);
	assert_int_equal(reassign_lead(d, id, TP_LEAD2, "原负责人离职"),
	    DOM_OK);
	assert_int_equal(tp_int("SELECT lead_id FROM cases WHERE id = ?1", id),
	    TP_LEAD2);
	/* The new lead is told, with where the case is; the old one too. */
	assert_int_equal(mails("l2@x.cn", id, "改派"), 1);
	assert_non_null(strstr(text("SELECT body FROM outbox WHERE case_id = "
	    "?1 AND to_addr = 'l2@x.cn'", id), "原负责人离职"));
	assert_int_equal(mails("l@x.cn", id, "改派"), 1);

	/* In the timeline, by time, with the reason for staff. */
	assert_int_equal(timeline_load(d, id, 0, &ev, &n), DOM_OK);
	for (i = seen = 0; i < n; i++)
		if (!ev[i].is_status) {
			seen++;
			assert_string_equal(ev[i].title, "改派项目负责人");
			assert_non_null(strstr(ev[i].reason, "原负责人离职"));
			assert_non_null(strstr(ev[i].reason, "另一负责人"));
			assert_true(i == n - 1);
		}
	assert_int_equal(seen, 1);
	assert_int_equal(timeline_load(d, id, 1, &ev, &n), DOM_OK);
	assert_null(strstr(ev[n - 1].reason, "离职"));
	assert_non_null(strstr(ev[n - 1].reason, "另一负责人"));

	/* The new lead works on it; the old one no longer can. */
	d = at(TP_LEAD2, on(6, "02-02"));
	assert_int_equal(intake_record_findings(d, id, &f, 1), DOM_OK);
	d = at(TP_LEAD, on(6, "02-02"));
	assert_int_equal(intake_record_findings(d, id, &f, 1), DOM_NOT_FOUND);

	/* Disabling the new lead is refused while the case is open, and
	 * the open cases are listed; once reassigned, it works. */
	d = at(TP_ADMIN, on(6, "02-02"));
	assert_int_equal(account_set_disabled(d, TP_LEAD2, 1), DOM_CONFLICT);
	assert_string_equal(d->field, "open");
	assert_int_equal(tp_int("SELECT disabled FROM account WHERE id = ?1",
	    TP_LEAD2), 0);
	assert_int_equal(reassign_open_cases(d, TP_LEAD2, 10, &open, &n,
	    &total), DOM_OK);
	assert_true(total >= 1);
	for (i = seen = 0; i < n; i++)
		seen += open[i].id == id;
	assert_int_equal(seen, 1);
	d = at(TP_SUPERVISOR, on(6, "02-02"));
	for (i = 0; i < n; i++)
		assert_int_equal(reassign_lead(d, open[i].id, TP_LEAD,
		    "负责人停用前改派"), DOM_OK);
	d = at(TP_ADMIN, on(6, "02-02"));
	assert_int_equal(account_set_disabled(d, TP_LEAD2, 1), DOM_OK);
	assert_int_equal(account_set_disabled(d, TP_LEAD2, 0), DOM_OK);
}

/* 1, 2: the review page, the queue and the dashboard, on the days. */
static void
test_pages_supplement(void **state)
{
	struct http_client *lead;
	struct submission_result out;
	struct http_resp r;
	struct arena *a = tp_dom(0)->arena;
	const char *path, *no;
	long long id = submitted();

	supplement(id);
	no = text("SELECT case_no FROM cases WHERE id = ?1", id);
	path = arena_printf(a, "/cases/%lld/review", id);

	/* Past the due date, not answered: 逾期未补正 with the date. */
	clock_at(on(5, "03-05"));
	lead = http_inproc_login(TP_LEAD);
	get(lead, "/queue?sup=overdue", 200, &r);
	has(&r, no);
	has(&r, arena_printf(a, "逾期未补正（期限 %s）", due()));
	http_resp_free(&r);
	get(lead, "/dashboard", 200, &r);
	has(&r, "id=\"overdue-supplements\"");
	has(&r, arena_printf(a, "<td>%s</td>", due()));
	http_resp_free(&r);
	get(lead, "/dashboard/cases?sup=overdue", 200, &r);
	has(&r, no);
	http_resp_free(&r);
	get(lead, path, 200, &r);
	has(&r, "id=\"overdue\"");
	http_resp_free(&r);

	/* Answered late: flagged on the review page and the queue, and the
	 * lead may still refuse it as 逾期未补正. */
	assert_int_equal(submission_submit(at(TP_APPLICANT, on(4, "03-15")),
	    id, 1, &out), DOM_OK);
	clock_at(on(6, "03-16"));
	http_client_free(lead);
	lead = http_inproc_login(TP_LEAD);
	get(lead, path, 200, &r);
	has(&r, "id=\"late-answer\"");
	has(&r, arena_printf(a, "补正期限为 %s", due()));
	has(&r, "逾期未补正，不予受理");
	http_resp_free(&r);
	get(lead, "/queue", 200, &r);
	has(&r, "逾期提交补正");
	http_resp_free(&r);
	/* 不予受理 asks first, carrying the ground; confirmed, it is done. */
	assert_int_equal(post(lead, arena_printf(a, "/cases/%lld/review/refuse",
	    id), "late=1&reasons=%E9%80%BE%E6%9C%9F"), 200);
	assert_string_equal(text("SELECT status FROM cases WHERE id = ?1", id),
	    "intake_review");
	assert_int_equal(post(lead, arena_printf(a, "/cases/%lld/review/refuse",
	    id), "late=1&reasons=%E9%80%BE%E6%9C%9F&confirm=1"), 303);
	assert_string_equal(text("SELECT status FROM cases WHERE id = ?1", id),
	    "rejected");
	http_inproc_clock(0);
	http_client_free(lead);
}

/* 5: after disposal, every document answers 410 and says when; the
 * case page says so; shared bytes stay downloadable elsewhere. */
static void
test_pages_disposed(void **state)
{
	struct http_client *app = http_inproc_login(TP_APPLICANT);
	struct arena *a = tp_dom(0)->arena;
	struct http_resp r;
	const char *docs[7];
	long long id = submitted(), other = submitted(), mid, nid, omid;
	size_t i;
	char later[32];

	assert_int_equal(application_withdraw(at(TP_APPLICANT, on(5,
	    "02-01")), id, ""), DOM_OK);
	snprintf(later, sizeof(later), "%d-02-02", year + 6);
	assert_int_equal(archive_dispose(at(TP_ADMIN, later), id, 1), DOM_OK);
	mid = tp_int("SELECT min(id) FROM material WHERE case_id = ?1", id);
	nid = tp_int("SELECT min(id) FROM notice WHERE case_id = ?1", id);
	omid = tp_int("SELECT min(id) FROM material WHERE case_id = ?1",
	    other);
	docs[0] = arena_printf(a, "/cases/%lld/materials/%lld", id, mid);
	docs[1] = arena_printf(a, "/cases/%lld/notices/%lld", id, nid);
	docs[2] = arena_printf(a, "/cases/%lld/notices/%lld/pdf", id, nid);
	docs[3] = arena_printf(a, "/cases/%lld/form/s1", id);
	docs[4] = arena_printf(a, "/cases/%lld/form/s8", id);
	docs[5] = arena_printf(a, "/cases/%lld/materials", id);
	docs[6] = arena_printf(a, "/cases/%lld/check", id);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		get(app, docs[i], 410, &r);
		has(&r, "已于 ");
		has(&r, "处置");
		http_resp_free(&r);
	}
	get(app, arena_printf(a, "/cases/%lld", id), 200, &r);
	has(&r, "id=\"disposed\"");
	http_resp_free(&r);
	/* The same bytes, another case: still there. */
	get(app, arena_printf(a, "/cases/%lld/materials/%lld", other, omid),
	    200, &r);
	http_resp_free(&r);
	http_client_free(app);
}

/* 3, 8: the supervisor's reassignment form, the administrator's refusal
 * to disable a lead with open cases, re-sending a failed message. */
static void
test_pages_staff(void **state)
{
	struct http_client *sup = http_inproc_login(TP_SUPERVISOR);
	struct http_client *adm = http_inproc_login(TP_ADMIN);
	struct arena *a = tp_dom(0)->arena;
	struct http_resp r;
	const char *path;
	long long id = submitted(), mid;

	path = arena_printf(a, "/cases/%lld", id);
	get(sup, path, 200, &r);
	has(&r, "id=\"reassign\"");
	has(&r, "另一负责人");
	http_resp_free(&r);
	/* No reason, or not a lead: refused, the form shown again. */
	http_post_form(sup, arena_printf(a, "%s/lead", path), arena_printf(a,
	    "csrf=%s&lead=%d&reason=", http_inproc_csrf(sup), TP_LEAD2), &r);
	assert_int_equal(r.status, 400);
	has(&r, "请写明改派的理由");
	http_resp_free(&r);
	assert_int_equal(post(sup, arena_printf(a, "%s/lead", path),
	    arena_printf(a, "lead=%d&reason=x", TP_ASSESSOR)), 400);
	assert_int_equal(post(sup, arena_printf(a, "%s/lead", path),
	    arena_printf(a, "lead=%d&reason=%%E4%%BC%%91%%E5%%81%%87",
	    TP_LEAD2)), 303);
	get(sup, path, 200, &r);
	has(&r, "改派项目负责人</strong>");
	has(&r, "休假");
	http_resp_free(&r);

	/* The administrator cannot disable the new lead yet. */
	http_post_form(adm, arena_printf(a, "/admin/users/%d/disable",
	    TP_LEAD2), arena_printf(a, "csrf=%s", http_inproc_csrf(adm)), &r);
	assert_int_equal(r.status, 409);
	has(&r, "id=\"open-cases\"");
	has(&r, text("SELECT case_no FROM cases WHERE id = ?1", id));
	http_resp_free(&r);
	assert_int_equal(tp_int("SELECT disabled FROM account WHERE id = ?1",
	    TP_LEAD2), 0);
	assert_int_equal(reassign_lead(at(TP_SUPERVISOR, on(6, "02-03")), id,
	    TP_LEAD, "回到原负责人"), DOM_OK);

	/* A message that failed for good, sent again to a corrected
	 * address. */
	tp_exec("UPDATE outbox SET state = 'failed', last_error = '550 no "
	    "such user' WHERE id = (SELECT max(id) FROM outbox)");
	mid = tp_int("SELECT max(id) FROM outbox WHERE ?1 = ?1", 0);
	get(adm, arena_printf(a, "/admin/outbox/%lld", mid), 200, &r);
	has(&r, "id=\"resend\"");
	http_resp_free(&r);
	assert_int_equal(post(adm, arena_printf(a, "/admin/outbox/%lld/resend",
	    mid), "to=nobody"), 400);
	assert_int_equal(post(adm, arena_printf(a, "/admin/outbox/%lld/resend",
	    mid), "to=right%40x.cn"), 303);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox WHERE to_addr = "
	    "'right@x.cn' AND state = 'pending' AND ?1 = ?1", 0), 1);
	http_client_free(sup);
	http_client_free(adm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_late_answer),
		cmocka_unit_test(test_answer_on_time),
		cmocka_unit_test(test_overdue_supplement),
		cmocka_unit_test(test_unserved_supplement),
		cmocka_unit_test(test_one_legal_name),
		cmocka_unit_test(test_check_judged_at_submission),
		cmocka_unit_test(test_maintenance_checks),
		cmocka_unit_test(test_who_is_told),
		cmocka_unit_test(test_reassignment),
		cmocka_unit_test(test_pages_supplement),
		cmocka_unit_test(test_pages_disposed),
		cmocka_unit_test(test_pages_staff),
	};

	return cmocka_run_group_tests_name("lifecycle", tests, setup,
	    teardown);
}
