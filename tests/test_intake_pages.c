/*
 * test_intake_pages.c: 受理 as the guide runs it (issue 16, items 1 to
 * 5), through the pages in this process (app_handle, no server) on a
 * temporary database: the review page and the check page judge a case
 * as of the day it was first submitted; the financial condition and
 * the project value are shown year by year and project by project; 受理
 * of a branch office is refused without the lead's reason, and with it
 * the reason is on the case page for a supervisor; 受理 waits for the
 * paper original, which the lead records on the review page; the
 * applicant downloads the 申请书 of the round as a PDF.
 *
 * The set-up writes cases, rounds and files the way a submission leaves
 * them (no table of the change itself), so each test also shows the
 * defect on the code before the change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eligibility.h"
#include "testlib_dom.h"
#include "testlib_http.h"
#include "util.h"

/* Section 一 and 声明 of a case that meets 基本资格. */
#define BASIC_OK \
	"uscc", "91350100M000100Y43", "org_nature", "limited", \
	"decl_lawful", "yes", "l1_cert_no", "CNITSEC2025SE1-0042", \
	"l1_cert_expiry", "2028-12-31"

/* Section 三 for a submission in 2026: 2023 to 2025, good years. */
#define FINANCE_OK \
	"fin_year.0", "2023", "fin_year.1", "2024", "fin_year.2", "2025", \
	"fin_total_assets.0", "400000000", "fin_total_assets.1", \
	"400000000", "fin_total_assets.2", "400000000", \
	"fin_net_assets.0", "300000000", "fin_net_assets.1", "300000000", \
	"fin_net_assets.2", "300000000", \
	"fin_revenue.0", "800000000", "fin_revenue.1", "800000000", \
	"fin_revenue.2", "800000000", \
	"fin_profit.0", "50000000", "fin_profit.1", "50000000", \
	"fin_profit.2", "50000000"

/*
 * A case in st with the lead, its round(s) holding kv, the business
 * licence and the audit reports, first submitted on 2026-03-01 (the
 * pages run at the real time, later than that).
 */
static long long
page_case(enum status st, const char *const *kv)
{
	long long id = td_case_on(st, TD_LEAD, kv, "2026-03-01");

	td_round_file(id, "business_licence", -1);
	td_round_file(id, "audit_report", 0);
	td_round_file(id, "audit_report", 1);
	td_round_file(id, "audit_report", 2);
	return id;
}

/* GET path as c: the status must be want; the body in *r. */
static void
get(struct http_client *c, const char *path, long want, struct http_resp *r)
{
	http_get(c, path, r);
	if (r->status != want)
		fail_msg("GET %s: %ld, want %ld\n%.1500s", path, r->status,
		    want, r->body.p ? r->body.p : "");
}

/* The csrf token in a page. */
static const char *
csrf(struct arena *a, const struct http_resp *r)
{
	const char *p = strstr(r->body.p, "name=\"csrf\" value=\"");

	if (p == NULL)
		fail_msg("no csrf field in the page");
	p += strlen("name=\"csrf\" value=\"");
	return arena_strndup(a, p, strcspn(p, "\""));
}

/* POST kv (name, value pairs) to path with the token of page; the
 * status; the body in *out when it is not NULL. */
static long
post(struct http_client *c, const char *page, const char *path,
    const char *const *kv, struct http_resp *out)
{
	struct arena *a = arena_new();
	struct http_resp r;
	struct buf b;
	char *e;
	long status;

	get(c, page, 200, &r);
	buf_init(&b);
	buf_printf(&b, "csrf=%s", csrf(a, &r));
	http_resp_free(&r);
	for (; kv != NULL && kv[0] != NULL; kv += 2) {
		e = http_urlencode(kv[1]);
		buf_printf(&b, "&%s=%s", kv[0], e);
		free(e);
	}
	http_post_form(c, path, b.p, &r);
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		http_resp_free(&r);
	buf_free(&b);
	arena_free(a);
	return status;
}

/* The table row of the page that holds label, up to its </tr>. */
static char *
row_of(const struct http_resp *r, const char *label)
{
	const char *p = strstr(r->body.p, label), *s, *e;
	static char row[4096];

	if (p == NULL)
		fail_msg("no \"%s\" in the page", label);
	for (s = p; s > r->body.p && strncmp(s, "<tr", 3) != 0; s--)
		continue;
	if ((e = strstr(p, "</tr>")) == NULL)
		fail_msg("no end of the row of \"%s\"", label);
	snprintf(row, sizeof(row), "%.*s", (int)(e - s), s);
	return row;
}

/* "/cases/ID" followed by tail. */
static const char *
path(struct arena *a, long long id, const char *tail)
{
	return arena_printf(a, "/cases/%lld%s", id, tail);
}

/*
 * Item 2: judged as of the first submission. The level-1 certificate
 * expired on 2026-05-31, after the submission of 2026-03-01 and before
 * today: 符合 on the review page, in round 2 too, and on the check page
 * while the applicant answers a supplement.
 */
static void
test_judging_day(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK, "l1_cert_expiry",
	    "2026-05-31", NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct http_client *app = td_client(TD_APPLICANT);
	struct arena *a = arena_new();
	struct http_resp r;
	char sql[512];
	long long id = page_case(ST_INTAKE_REVIEW, kv);
	size_t i;

	get(lead, path(a, id, "/review"), 200, &r);
	assert_non_null(strstr(row_of(&r, "一级资质证书"), "verdict-pass"));
	assert_non_null(strstr(row_of(&r, "一级资质证书"), "2026-03-01"));
	http_resp_free(&r);

	/* Round 2, answering a supplement: still as of 2026-03-01, and so
	 * the check page of the applicant's answer. */
	id = page_case(ST_SUPPLEMENT_REQUESTED, kv);
	td_round(id, 2, kv);
	for (i = 0; kv[i] != NULL; i += 2) {
		const char *dot = strchr(kv[i], '.');

		snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO form_value("
		    "case_id, field, row, value) VALUES (%lld, '%.*s', %d, "
		    "'%s')", id, dot ? (int)(dot - kv[i]) : (int)strlen(kv[i]),
		    kv[i], dot ? atoi(dot + 1) : -1, kv[i + 1]);
		td_exec(sql);
	}
	get(app, path(a, id, "/check"), 200, &r);
	assert_non_null(strstr(row_of(&r, "一级资质证书"), "verdict-pass"));
	/* The years (items 3 and 4 show on the check page too). */
	assert_non_null(strstr(row_of(&r, "<th scope=\"row\">2025</th>"),
	    "8,000,000.00"));
	http_resp_free(&r);
	get(lead, path(a, id, "/review"), 200, &r);
	assert_non_null(strstr(r.body.p, "第 2 轮"));
	assert_non_null(strstr(row_of(&r, "一级资质证书"), "verdict-pass"));
	http_resp_free(&r);
	http_client_free(lead);
	http_client_free(app);
	arena_free(a);
}

/*
 * Item 3: net assets of -5万元 and a loss of 90万元 in 2024 are not
 * 符合, and the years are shown one by one with their figures.
 */
static void
test_finance(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK,
	    "fin_net_assets.1", "-5000000", "fin_profit.1", "-90000000", NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct arena *a = arena_new();
	struct http_resp r;
	const char *row;
	long long id = page_case(ST_INTAKE_REVIEW, kv);

	get(lead, path(a, id, "/review"), 200, &r);
	row = row_of(&r, "近三年财务状况");
	assert_null(strstr(row, "verdict-pass"));
	assert_non_null(strstr(row, "需审查"));
	/* Year by year: revenue, profit, net assets, the report. */
	row = row_of(&r, "<th scope=\"row\">2024</th>");
	assert_non_null(strstr(row, "8,000,000.00"));
	assert_non_null(strstr(row, "-900,000.00"));
	assert_non_null(strstr(row, "-50,000.00"));
	assert_non_null(strstr(row, "已上传 1 份"));
	assert_non_null(strstr(row, "亏损90万元"));
	http_resp_free(&r);
	http_client_free(lead);
	arena_free(a);
}

/*
 * Item 4: a project that ended exactly three years before the
 * submission day counts, one awaiting acceptance does not, and the page
 * says which and why.
 */
static void
test_projects(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK,
	    "proj_name.0", "甲项目", "proj_value.0", "200000000",
	    "proj_end.0", "2023-03-01", "proj_accept.0", "accepted",
	    "proj_complete.0", "yes",
	    "proj_name.1", "乙项目", "proj_value.1", "90000000",
	    "proj_end.1", "2025-12-31", "proj_accept.1", "pending",
	    "proj_complete.1", "no", NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct arena *a = arena_new();
	struct http_resp r;
	long long id = page_case(ST_INTAKE_REVIEW, kv);

	get(lead, path(a, id, "/review"), 200, &r);
	assert_non_null(strstr(row_of(&r, "近三年项目总值"), "verdict-pass"));
	assert_non_null(strstr(row_of(&r, "甲项目</th>"), "计入"));
	assert_non_null(strstr(row_of(&r, "乙项目</th>"),
	    "已完工待验收，未计入"));
	http_resp_free(&r);
	http_client_free(lead);
	arena_free(a);
}

/*
 * Item 5: 受理 waits for the paper original, which the lead records on
 * the review page (every mistake at once); the applicant downloads the
 * round's 申请书 as a PDF from the case page and sees the receipt.
 */
static void
test_paper_original(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK, NULL };
	const char *receipt[] = { "courier", "顺丰速运", "waybill",
	    "SF1234567890", "received_on", "2026-03-05", "checked_by", "李负责",
	    "paper", "1", "cd", "1", "consistent", "1", "notes", "", NULL };
	const char *bad_receipt[] = { "courier", "", "waybill", "SF 1",
	    "received_on", "2026-02-28", "checked_by", "李负责", NULL };
	const char *sure[] = { "confirm", "1", NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct http_client *app = td_client(TD_APPLICANT);
	struct arena *a = arena_new();
	const char *review, *accept;
	struct http_resp r;
	long long id = page_case(ST_INTAKE_REVIEW, kv);

	review = path(a, id, "/review");
	accept = path(a, id, "/review/accept");
	assert_int_equal(post(lead, review, accept, NULL, &r), 409);
	assert_non_null(strstr(r.body.p, "尚未登记收到第 1 轮申请书的纸质原件"));
	http_resp_free(&r);
	assert_string_equal(td_status(id), "intake_review");

	/* The applicant: the PDF of the round to print, seal and send. */
	get(app, path(a, id, ""), 200, &r);
	assert_non_null(strstr(r.body.p, "application.pdf"));
	assert_non_null(strstr(r.body.p, "测评中心尚未登记收到纸质原件"));
	http_resp_free(&r);
	get(app, path(a, id, "/application.pdf"), 200, &r);
	assert_string_equal(r.content_type, "application/pdf");
	assert_int_equal(memcmp(r.body.p, "%PDF-", 5), 0);
	http_resp_free(&r);
	get(app, path(a, id, "/application.pdf?round=2"), 404, &r);
	http_resp_free(&r);

	/* The parcel: every mistake at once, then as it should be. */
	assert_int_equal(post(lead, review, path(a, id, "/review/receipt"),
	    bad_receipt, &r), 400);
	assert_non_null(strstr(r.body.p, "请填写快递公司"));
	assert_non_null(strstr(r.body.p, "请填写快递运单号"));
	assert_non_null(strstr(r.body.p, "请选择纸质原件与电子版是否一致"));
	assert_non_null(strstr(r.body.p, "value=\"SF 1\""));
	http_resp_free(&r);
	assert_int_equal(post(lead, review, path(a, id, "/review/receipt"),
	    receipt, NULL), 303);
	get(lead, review, 200, &r);
	assert_non_null(strstr(row_of(&r, "SF1234567890"), "一致"));
	http_resp_free(&r);
	/* Nothing stands in the way: 受理 asks first (issue 17). */
	assert_int_equal(post(lead, review, accept, NULL, &r), 200);
	assert_non_null(strstr(r.body.p, "确认受理"));
	http_resp_free(&r);
	assert_string_equal(td_status(id), "intake_review");
	assert_int_equal(post(lead, review, accept, sure, NULL), 303);
	assert_string_equal(td_status(id), "accepted");
	get(app, path(a, id, ""), 200, &r);
	assert_non_null(strstr(r.body.p, "2026-03-05 收到"));
	http_resp_free(&r);
	http_client_free(lead);
	http_client_free(app);
	arena_free(a);
}

/*
 * Item 1: 受理 of a branch office is refused without the lead's reason;
 * with it (and the paper in hand) it is accepted, and the reason is in
 * the timeline and on the case page of a supervisor.
 */
static void
test_accept_branch(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK, "org_nature", "branch",
	    NULL };
	const char *reason[] = { "override", "总公司书面授权，承担全部法律责任。",
	    NULL };
	const char *reason_sure[] = { "override", "总公司书面授权，承担全部法律责任。",
	    "confirm", "1", NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct http_client *app = td_client(TD_APPLICANT);
	struct http_client *sup = td_client(TD_SUPERVISOR);
	struct arena *a = arena_new();
	const char *review, *accept;
	struct http_resp r;
	long long id = page_case(ST_INTAKE_REVIEW, kv);

	review = path(a, id, "/review");
	accept = path(a, id, "/review/accept");
	get(lead, review, 200, &r);
	assert_non_null(strstr(row_of(&r, "独立法人"), "verdict-fail"));
	http_resp_free(&r);
	assert_int_equal(post(lead, review, accept, NULL, &r), 400);
	assert_non_null(strstr(r.body.p, "基本资格不符合：独立法人"));
	assert_non_null(strstr(r.body.p, "破格受理的理由"));
	http_resp_free(&r);
	assert_string_equal(td_status(id), "intake_review");

	/* The reason given, the paper in hand: accepted. */
	td_exec(arena_printf(a, "INSERT INTO paper_receipt(case_id, round_n, "
	    "courier, waybill, received_on, checked_by, paper, cd, matches, "
	    "recorded_by, recorded_at) VALUES (%lld, 1, 'EMS', 'E1', "
	    "'2026-03-05', '李负责', 1, 1, 1, 2, 'x')", id));
	/* Asked first, the reason carried to the confirmation. */
	assert_int_equal(post(lead, review, accept, reason, &r), 200);
	assert_non_null(strstr(r.body.p, "确认受理"));
	assert_non_null(strstr(r.body.p, "总公司书面授权，承担全部法律责任。"));
	http_resp_free(&r);
	assert_int_equal(post(lead, review, accept, reason_sure, NULL), 303);
	assert_string_equal(td_status(id), "accepted");

	/* The applicant's timeline says why. */
	get(app, path(a, id, ""), 200, &r);
	assert_non_null(strstr(r.body.p, "总公司书面授权，承担全部法律责任。"));
	http_resp_free(&r);
	/* A supervisor with a complaint about the organisation sees the
	 * override on the case page. */
	td_exec("INSERT INTO complaint(org_id, org_name, complainant, text, "
	    "received_on, recorded_by) VALUES (1, '甲公司', '某用户', '投诉', "
	    "'2026-04-01', 7)");
	get(sup, path(a, id, ""), 200, &r);
	assert_non_null(strstr(r.body.p, "基本资格不符合时的破格受理"));
	assert_non_null(strstr(r.body.p, "基本资格不符合：独立法人"));
	http_resp_free(&r);
	/* And on the page of an appeal against the case's later failure. */
	td_exec(arena_printf(a, "UPDATE cases SET status = 'failed' WHERE id "
	    "= %lld; INSERT INTO appeal(case_id, text, filed_by, filed_at) "
	    "VALUES (%lld, '不服评审结论', 1, '2026-06-01T02:00:00Z')", id, id));
	get(sup, arena_printf(a, "/appeals/%lld", td_int("SELECT max(id) "
	    "FROM appeal WHERE case_id = ?1", id)), 200, &r);
	assert_non_null(strstr(r.body.p, "基本资格不符合时的破格受理"));
	assert_non_null(strstr(r.body.p, "总公司书面授权，承担全部法律责任。"));
	http_resp_free(&r);
	http_client_free(lead);
	http_client_free(app);
	http_client_free(sup);
	arena_free(a);
}

/*
 * The supplementary requirements on the review page: each active one
 * with a form; an answer without evidence is refused with what to
 * write; a requirement that is not there,
 * or rows that do not parse, are 400; the answer, once saved, is shown.
 */
static void
test_requirements(void **state)
{
	const char *kv[] = { BASIC_OK, FINANCE_OK, NULL };
	struct http_client *lead = td_client(TD_LEAD);
	struct arena *a = arena_new();
	const char *review, *save, *met, *ev;
	struct http_resp r;
	long long rid, id = page_case(ST_INTAKE_REVIEW, kv);

	assert_int_equal(elig_req_add(td_dom(0), "近三年无重大违法违规记录",
	    "信用中国的查询结果", &rid), DOM_OK);
	review = path(a, id, "/review");
	save = path(a, id, "/review/requirements");
	met = arena_printf(a, "req_met.%lld", rid);
	ev = arena_printf(a, "req_evidence.%lld", rid);
	get(lead, review, 200, &r);
	assert_non_null(strstr(r.body.p, "近三年无重大违法违规记录"));
	assert_non_null(strstr(r.body.p, met));
	http_resp_free(&r);
	{
		const char *no_evidence[] = { "reqs._rows", "1", "req_id.0",
		    arena_printf(a, "%lld", rid), met, "1", ev, "", NULL };
		assert_int_equal(post(lead, review, save, no_evidence, &r),
		    400);
		assert_non_null(strstr(r.body.p, "请为每项补充要求选择“满足”"
		    "或“不满足”，并写明核对的证据"));
		http_resp_free(&r);
	}
	{
		const char *unknown[] = { "reqs._rows", "1", "req_id.0", "999",
		    "req_met.999", "1", "req_evidence.999", "看过", NULL };
		assert_int_equal(post(lead, review, save, unknown, &r), 400);
		assert_non_null(strstr(r.body.p, "没有这项补充要求（可能已停用），"
		    "请刷新页面。"));
		http_resp_free(&r);
	}
	{
		const char *bad_rows[] = { "reqs._rows", "x", NULL };
		const char *bad_id[] = { "reqs._rows", "1", "req_id.0", "abc",
		    NULL };
		assert_int_equal(post(lead, review, save, bad_rows, NULL), 400);
		assert_int_equal(post(lead, review, save, bad_id, NULL), 400);
	}
	{
		const char *good[] = { "reqs._rows", "1", "req_id.0",
		    arena_printf(a, "%lld", rid), met, "1", ev,
		    "信用中国查询结果截图，2026-03-02", NULL };
		assert_int_equal(post(lead, review, save, good, &r), 303);
		assert_string_equal(http_header(&r, "Location"),
		    arena_printf(a, "/cases/%lld/review?saved=1#requirements",
		    id));
		http_resp_free(&r);
	}
	get(lead, review, 200, &r);
	assert_non_null(strstr(r.body.p, "信用中国查询结果截图，2026-03-02"));
	http_resp_free(&r);
	/* Retired: the other tests' cases are not asked about it. */
	assert_int_equal(elig_req_retire(td_dom(0), rid), DOM_OK);
	http_client_free(lead);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judging_day),
		cmocka_unit_test(test_finance),
		cmocka_unit_test(test_projects),
		cmocka_unit_test(test_paper_original),
		cmocka_unit_test(test_requirements),
		/* Last: its complaint makes the supervisor see 甲公司's
		 * cases. */
		cmocka_unit_test(test_accept_branch),
	};

	return cmocka_run_group_tests(tests, td_setup, td_teardown);
}
