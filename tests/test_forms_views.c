/*
 * test_forms_views.c: issue 17, what the pages say, through the pages in
 * this process (app_handle, no server) on a temporary database with the
 * cast of testlib_dom (cases set up in the status each page needs):
 *  - the reviewer's view of a ticked box reads 已勾选, not "yes";
 *  - confirming the agreement without ticking its box is answered at
 *    the box (a browser that ignores required);
 *  - a notice's addresses are links, its dates Chinese;
 *  - /certified says as of when, without "状态为 … 的状态";
 *  - 证书查验 and 获证单位名录 in everyone's header, 制证批次 in the
 *    certificate officers' menu;
 *  - the applicant's timeline says 专家评审, not the expert's name;
 *  - staff land on their queue after logging in; a supervisor's case
 *    page offers no link that answers 403;
 *  - a new application is pre-filled from registration, or started from
 *    the last submitted round; long fields show their limit; hints are
 *    Chinese.
 * Each fails on the code before its fix.
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
#include "payment.h"
#include "testlib_dom.h"
#include "testlib_http.h"
#include "util.h"

static void
get(struct http_client *c, const char *path, long want, struct http_resp *r)
{
	http_get(c, path, r);
	if (r->status != want)
		fail_msg("GET %s: %ld, want %ld\n%.1500s", path, r->status,
		    want, r->body.p ? r->body.p : "");
}

static void
must_have(const struct http_resp *r, const char *s, const char *what)
{
	if (!http_body_has(r, s))
		fail_msg("%s: \"%s\" is not on the page (status %ld): %.3000s",
		    what, s, r->status, r->body.p ? r->body.p : "");
}

static void
must_not(const struct http_resp *r, const char *s, const char *what)
{
	if (http_body_has(r, s))
		fail_msg("%s: \"%s\" should not be on the page", what, s);
}

/* POST form (no token) to path with page's csrf token; the response. */
static void
post(struct http_client *c, const char *page, const char *path,
    const char *form, struct http_resp *r)
{
	struct http_resp p;
	const char *t;
	char body[1024];

	get(c, page, 200, &p);
	t = strstr(p.body.p, "name=\"csrf\" value=\"");
	assert_non_null(t);
	t += strlen("name=\"csrf\" value=\"");
	snprintf(body, sizeof(body), "csrf=%.*s%s%s", (int)strcspn(t, "\""),
	    t, *form ? "&" : "", form);
	http_resp_free(&p);
	http_post_form(c, path, body, r);
}

/* Defect: the reviewer's view showed "本单位已阅读并同意以上声明 yes". */
static void
test_ticked_box(void **state)
{
	const char *kv[] = { "decl_accept", "yes", NULL };
	long long id = td_case(ST_INTAKE_REVIEW, TD_LEAD, kv);
	struct http_client *lead = td_client(TD_LEAD);
	struct http_resp r;
	char path[64];

	snprintf(path, sizeof(path), "/cases/%lld/review", id);
	get(lead, path, 200, &r);
	must_have(&r, "本单位已阅读并同意以上声明", "the declaration");
	must_have(&r, "已勾选", "a ticked box in words");
	must_not(&r, ">yes<", "the stored value");
	http_resp_free(&r);
	http_client_free(lead);
}

/* Defect: confirming the agreement without its box ticked gave a
 * generic 400 with a wrong hint, not a message at the box. */
static void
test_agreement_box(void **state)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	struct http_client *app = td_client(TD_APPLICANT);
	struct http_resp r;
	char page[64], path[80];

	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_OK);
	snprintf(page, sizeof(page), "/cases/%lld/agreement", id);
	snprintf(path, sizeof(path), "/cases/%lld/agreement/accept", id);
	post(app, page, path, "", &r);
	assert_int_equal(r.status, 400);
	must_have(&r, "id=\"confirm-error\"", "the message at the box");
	must_have(&r, "aria-invalid=\"true\" aria-describedby=\"confirm-error\"",
	    "the box linked to its message");
	must_have(&r, "href=\"#confirm\"", "the summary links to the box");
	http_resp_free(&r);
	assert_string_equal(td_status(id), "agreement_sent");
	http_client_free(app);
}

/* Friction: a notice's verification addresses were text; its dates
 * ISO ("2027-01-15"), where the PDFs write 2027年1月15日. */
static void
test_notice_links(void **state)
{
	long long id = td_case(ST_ISSUED, TD_LEAD, NULL), nid;
	struct http_client *app = td_client(TD_APPLICANT);
	struct http_resp r;
	char sql[512], path[80];

	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body) VALUES (%lld, 'issuance', 'T-F1', "
	    "'2027-01-15T02:00:00Z', '2027-01-15', '发证通知书', '查验地址："
	    "https://zizhi.example/verify/CNITSEC2027SE2-0001。名录："
	    "https://zizhi.example/certified')", id);
	td_exec(sql);
	nid = td_int("SELECT id FROM notice WHERE no = 'T-F1' AND "
	    "case_id = ?1", id);
	snprintf(path, sizeof(path), "/cases/%lld/notices/%lld", id, nid);
	get(app, path, 200, &r);
	must_have(&r, "<a href=\"https://zizhi.example/verify/"
	    "CNITSEC2027SE2-0001\">", "the address a link, without the 。");
	must_have(&r, "<a href=\"https://zizhi.example/certified\">",
	    "the last address a link");
	must_have(&r, "2027年1月15日", "the day the Chinese way");
	must_not(&r, "<dd>2027-01-15", "the ISO day");
	http_resp_free(&r);
	http_client_free(app);
}

/* Defect: /certified said "状态为 2026-12-06 的状态". */
static void
test_certified_wording(void **state)
{
	struct http_client *c = http_client_new("inproc:");
	struct http_resp r;

	get(c, "/certified", 200, &r);
	must_not(&r, "的状态", "the doubled word");
	must_have(&r, "证书状态截至", "as of when");
	must_have(&r, "年", "the day the Chinese way");
	http_resp_free(&r);
	http_client_free(c);
}

/* Friction: the public pages did not link 证书查验 and 获证单位名录;
 * certificate officers had no 制证批次 in their menu. */
static void
test_menus(void **state)
{
	struct http_client *anon = http_client_new("inproc:");
	struct http_client *cert = td_client(TD_CERT);
	struct http_resp r;

	/* A page other than the home page (which links them in its text). */
	get(anon, "/calculator", 200, &r);
	must_have(&r, "<a href=\"/verify\">证书查验</a>", "the header");
	must_have(&r, "<a href=\"/certified\">获证单位名录</a>", "the header");
	http_resp_free(&r);
	get(cert, "/queue", 200, &r);
	must_have(&r, "<a href=\"/batches\">制证批次</a>", "the officer's menu");
	http_resp_free(&r);
	http_client_free(anon);
	http_client_free(cert);
}

/* Friction: the applicant's timeline named the expert ("郑专") where the
 * step is 专家评审. */
static void
test_timeline_expert(void **state)
{
	long long id = td_case(ST_EXPERT_REVIEW, TD_LEAD, NULL);
	struct http_client *app = td_client(TD_APPLICANT);
	const char *expert;
	struct http_resp r;
	char sql[512], path[64];

	td_exec("INSERT INTO account(email, name, role, password_hash, "
	    "created_at) VALUES ('zheng@t.example', '郑专家甲', 'expert', 'x', "
	    "'2027-01-01T00:00:00Z')");
	snprintf(sql, sizeof(sql), "INSERT INTO event(case_id, at, day, "
	    "actor_id, from_status, to_status, reason) VALUES (%lld, "
	    "'2027-01-15T02:00:00Z', '2027-01-15', (SELECT id FROM account WHERE email = "
	    "'zheng@t.example'), 'expert_review', 'certificate_pending', "
	    "'评审通过')", id);
	td_exec(sql);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(app, path, 200, &r);
	expert = "郑专家甲";
	must_not(&r, expert, "the expert's name");
	must_not(&r, "专家组（专家）", "who, as a group and a role");
	must_have(&r, " · 专家评审<br>", "the step, as the actor");
	http_resp_free(&r);
	http_client_free(app);
}

/* Friction: after logging in, staff landed on the home page, not on
 * their queue. */
static void
test_staff_landing(void **state)
{
	struct http_client *lead = td_client(TD_LEAD);
	struct http_resp r;

	get(lead, "/?from=login", 303, &r);
	assert_string_equal(http_header(&r, "Location"), "/queue?welcome=login");
	http_resp_free(&r);
	http_client_free(lead);
}

/* Friction: nothing was pre-filled (the organisation's name from
 * registration), a second application started blank, limits were not
 * shown before they bit, hints were in English ("格式 YYYY-MM-DD"). */
static void
test_new_application(void **state)
{
	const char *kv[] = { "history", "2015年成立，2020年设立安全工程部。",
	    NULL };
	struct http_client *app = td_client(TD_APPLICANT);
	struct http_resp r;
	const char *loc;
	char path[80];

	td_case(ST_SUBMITTED, TD_LEAD, kv);
	get(app, "/cases", 200, &r);
	must_have(&r, "name=\"from_last\"", "新建申请 from the last round");
	http_resp_free(&r);
	post(app, "/cases", "/cases", "from_last=1", &r);
	assert_int_equal(r.status, 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	snprintf(path, sizeof(path), "%.*s/s2", (int)(strrchr(loc, '/') - loc),
	    loc);
	http_resp_free(&r);
	get(app, path, 200, &r);
	must_have(&r, "2015年成立，2020年设立安全工程部。", "the last round's text");
	must_have(&r, "data-maxlen=", "the limit, counted down");
	must_have(&r, "最多 ", "the limit, shown");
	http_resp_free(&r);

	post(app, "/cases", "/cases", "", &r);
	assert_int_equal(r.status, 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	snprintf(path, sizeof(path), "%s", loc);
	http_resp_free(&r);
	get(app, path, 200, &r);
	must_have(&r, "value=\"甲公司\"", "the organisation's name");
	must_not(&r, "YYYY", "an English hint");
	http_resp_free(&r);
	http_client_free(app);
}

/* Defect: a supervisor's case page offered "查看申诉详情", a link to the
 * applicant's /cases/N/appeal, which answers 403. */
static void
test_supervisor_appeal_link(void **state)
{
	long long id = td_case(ST_FAILED, TD_LEAD, NULL);
	struct http_client *sup = td_client(TD_SUPERVISOR);
	struct http_resp r;
	char sql[300], path[64], href[80];

	snprintf(sql, sizeof(sql), "INSERT INTO appeal(case_id, text, "
	    "filed_by, filed_at) VALUES (%lld, '不服评审结论。', %d, "
	    "'2027-01-15T02:00:00Z')", id, TD_APPLICANT);
	td_exec(sql);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	snprintf(href, sizeof(href), "href=\"/cases/%lld/appeal\"", id);
	get(sup, path, 200, &r);
	must_not(&r, href, "a link that answers 403");
	must_have(&r, "href=\"/appeals\"", "the supervisor's appeal list");
	http_resp_free(&r);
	http_client_free(sup);
}

/* Friction: money in one style per table. The ledger's summary gave
 * the fee as "87,000.00 元" beside bare "78,000.00" under a header that
 * already says 元; every amount of a table now reads alike. */
static void
test_money_one_style(void **state)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	struct http_client *lead;
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_input in;
	struct http_resp r;
	struct dom *d;
	char path[64];
	size_t n = 0;

	(void)state;
	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_OK);
	assert_int_equal(agreement_accept(td_dom(TD_APPLICANT), id, 1),
	    DOM_OK);
	d = td_dom(TD_LEAD);
	memset(&in, 0, sizeof(in));
	in.amount = 7800000;
	in.paid_on = d->today_s;
	in.payer = "付款单位";
	in.reference = "BANK-1";
	assert_int_equal(payment_record(d, id, &in, errs, &n, NULL), DOM_OK);
	lead = td_client(TD_LEAD);
	snprintf(path, sizeof(path), "/cases/%lld/payment", id);
	get(lead, path, 200, &r);
	must_have(&r, "id=\"fee-total\"><strong>87,000.00</strong>",
	    "the fee as the other amounts of the table");
	must_have(&r, "id=\"paid-total\"><strong>78,000.00</strong>",
	    "the sum paid");
	must_have(&r, "id=\"owed-total\"><strong>9,000.00</strong>",
	    "the rest owed");
	must_not(&r, " 元</strong></td>", "a unit in a cell under 金额（元）");
	http_resp_free(&r);
	http_client_free(lead);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticked_box),
		cmocka_unit_test(test_agreement_box),
		cmocka_unit_test(test_notice_links),
		cmocka_unit_test(test_certified_wording),
		cmocka_unit_test(test_menus),
		cmocka_unit_test(test_timeline_expert),
		cmocka_unit_test(test_staff_landing),
		cmocka_unit_test(test_new_application),
		cmocka_unit_test(test_supervisor_appeal_link),
		cmocka_unit_test(test_money_one_style),
	};

	return cmocka_run_group_tests(tests, td_setup, td_teardown);
}
