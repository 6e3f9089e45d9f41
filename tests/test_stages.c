/*
 * test_stages.c: the stages as the guide runs them (issue 16), through
 * the pages, in process (app_handle on a temporary database, no server):
 *
 *  - 评估: the lead asks for documents on the assessment page; the
 *    applicant sees the request on its case page, with a to-do, the
 *    clock paused, and answers with a file; the lead reads it; methods
 *    the team names and the review area (质量管理) show on the page;
 *  - 专家评审: forming the panel is on the lead's to-do list and queue; a
 *    panel member who has not declared is sent to the declaration from
 *    the case page; the case is in the panel's queue; every to-do on a
 *    case page opens (no button that answers 403 or 409); the panel
 *    sends the case back to the team;
 *  - 申诉: the supervisor concludes an appeal, upheld, naming the step;
 *    the case is reopened there and the applicant has the notice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "status.h"
#include "testlib_journey.h"
#include "testlib_json.h"
#include "testlib_web.h"
#include "util.h"

static long long org;
static struct tw_person app, lead, lead2, as1, ex1, ex2, cert, sup;

static int
setup(void **state)
{
	tw_open();
	org = tw_org("阶段测试信息安全有限公司");
	tw_person(&app, "applicant", "申请人", org);
	tw_person(&lead, "lead", "周立", 0);
	tw_person(&lead2, "lead", "钱二", 0);
	tw_person(&as1, "assessor", "吴评", 0);
	tw_person(&ex1, "expert", "郑专", 0);
	tw_person(&ex2, "expert", "王专", 0);
	tw_person(&cert, "cert_staff", "冯制", 0);
	tw_person(&sup, "supervisor", "孙监", 0);
	return 0;
}

static int
teardown(void **state)
{
	tw_close();
	return 0;
}

/* Runs the formatted SQL. */
static void
sql(const char *fmt, ...)
{
	char q[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	tw_exec(q);
}

/* GET path as p: the status must be want and the body hold each of the
 * NULL-terminated strings. */
static void
expect(struct tw_person *p, const char *path, long want, ...)
{
	struct http_resp r;
	const char *s;
	va_list ap;

	tw_get(p, path, &r);
	if (r.status != want)
		fail_msg("GET %s: %ld, want %ld", path, r.status, want);
	va_start(ap, want);
	while ((s = va_arg(ap, const char *)) != NULL)
		if (!http_body_has(&r, s))
			fail_msg("GET %s: no \"%s\"", path, s);
	va_end(ap);
	http_resp_free(&r);
}

/* POST form to path as p; the status must be want. */
static void
post(struct tw_person *p, const char *path, const char *form, long want)
{
	struct http_resp r;

	tw_post(p, path, form, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld: %.*s", path, r.status, want,
		    (int)(r.body.n > 600 ? 600 : r.body.n), r.body.p ?
		    r.body.p : "");
	http_resp_free(&r);
}

/* base, the id and suffix, in one of eight rotating buffers. */
static const char *
at(const char *base, long long id, const char *suffix)
{
	static char buf[8][160];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%lld%s", base, id, suffix);
	return buf[i];
}

/* ---- 评估: the document request ----------------------------------- */

static void
test_documents(void **state)
{
	long long id = tw_case(org, app.id, ST_ASSESSING, lead.id,
	    "2026-03-01");
	struct http_resp r;
	char *form;

	sql("INSERT INTO team_member(case_id, account_id) VALUES (%lld, %lld)",
	    id, as1.id);
	expect(&lead, at("/cases", id, "/assessment"), 200,
	    "要求申请单位补充资料", "尚未要求申请单位补充资料", NULL);
	/* Nothing asked: 400, the due date kept, the message at the box. */
	post(&lead, at("/cases", id, "/assessment/requests"),
	    "items=+%0D%0A+&due=2099-12-31", 400);
	tw_post(&lead, at("/cases", id, "/assessment/requests"),
	    "items=&due=2099-12-31", &r);
	assert_true(http_body_has(&r, "请至少填写一项"));
	assert_true(http_body_has(&r, "2099-12-31"));
	http_resp_free(&r);
	/* Two items, one per line. */
	form = http_urlencode("2025 年度内部审核报告\r\n质量管理体系认证证书");
	{
		char body[512];

		snprintf(body, sizeof(body), "items=%s&due=2099-12-31&note=",
		    form);
		post(&lead, at("/cases", id, "/assessment/requests"), body,
		    303);
	}
	free(form);
	/* The applicant: the request, the to-do, the clock paused. */
	expect(&app, at("/cases", id, ""), 200, "需要补充的资料",
	    "2025 年度内部审核报告", "质量管理体系认证证书", "提交补充资料",
	    "当前暂停计时", "补充资料通知", NULL);
	expect(&app, at("/cases", id, "/documents"), 200,
	    "请于 <strong id=\"docs-due\">2099-12-31</strong>", NULL);
	/* Certificate staff read no materials: not found. */
	assert_int_equal(tw_status(&cert, at("/cases", id, "/documents")),
	    404);
	/* The applicant answers with a file. */
	{
		const char *fields[] = { "answer", "见附件。", NULL };

		tw_post_file(&app, at("/cases", id, "/documents"), fields,
		    "file", "内部审核报告.pdf", tj_pdf, tj_pdf_len, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}
	expect(&app, at("/cases", id, "/documents?ok=answered"), 200,
	    "补充资料已提交", "内部审核报告.pdf", NULL);
	/* The lead reads the answer and its file; the clock runs again. */
	expect(&lead, at("/cases", id, "/assessment"), 200,
	    "申请单位已提交", "内部审核报告.pdf", "见附件。", NULL);
	assert_int_equal(tw_status(&lead, at("/cases", id,
	    "/documents/files/1")), 200);
	expect(&app, at("/cases", id, ""), 200, "补充资料要求（共 1 次",
	    NULL);
	assert_int_equal(tw_int("SELECT count(*) FROM cases WHERE "
	    "clock_paused_since IS NOT NULL"), 0);
}

static void
test_methods(void **state)
{
	long long id = tw_case(org, app.id, ST_ASSESSING, lead.id,
	    "2026-03-01");
	char *finding = http_urlencode("观察了一次质量评审会议。");
	char *method = http_urlencode("现场观察");
	char body[512];

	sql("INSERT INTO team_member(case_id, account_id) VALUES (%lld, %lld)",
	    id, as1.id);
	expect(&as1, at("/cases", id, "/assessment"), 200, "其他方式",
	    "<option value=\"quality\">质量管理</option>", NULL);
	/* Another way without its name: 400 at the field. */
	snprintf(body, sizeof(body), "kind=other&finding=%s&area=quality",
	    finding);
	post(&as1, at("/cases", id, "/assessment/records"), body, 400);
	snprintf(body, sizeof(body), "kind=other&other_method=%s&finding=%s&"
	    "area=quality", method, finding);
	post(&as1, at("/cases", id, "/assessment/records"), body, 303);
	expect(&as1, at("/cases", id, "/assessment"), 200,
	    "<td>其他：现场观察</td>", "<td>质量管理</td>", NULL);
	free(finding);
	free(method);
}

/* ---- 专家评审 -------------------------------------------------------- */

/* Every to-do of p's case page opens with 200; how many there are. */
static int
todos_open(struct tw_person *p, long long id)
{
	struct http_resp r;
	const char *s, *e;
	char href[256];
	long st;
	int n = 0;

	tw_get(p, at("/cases", id, ""), &r);
	assert_int_equal(r.status, 200);
	buf_putc(&r.body, '\0');
	if ((s = strstr(r.body.p, "class=\"actions-panel\"")) != NULL &&
	    (e = strstr(s, "</div>")) != NULL)
		while ((s = strstr(s, "href=\"")) != NULL && s < e) {
			s += strlen("href=\"");
			snprintf(href, sizeof(href), "%.*s",
			    (int)strcspn(s, "\""), s);
			if ((st = tw_status(p, href)) != 200)
				fail_msg("case %lld: the to-do %s of account "
				    "%lld answers %ld", id, href, p->id, st);
			n++;
		}
	http_resp_free(&r);
	return n;
}

static void
test_panel_todo(void **state)
{
	long long id = tw_case(org, app.id, ST_EXPERT_REVIEW, lead.id,
	    "2026-03-01");
	char body[64];

	sql("INSERT INTO team_member(case_id, account_id) VALUES (%lld, %lld)",
	    id, as1.id);
	sql("INSERT INTO audit_conclusion(case_id, verdict, text, by_id, at) "
	    "VALUES (%lld, 'pass', '符合。', %lld, '2026-03-09T01:00:00Z')",
	    id, as1.id);
	/* The lead: 组建专家组 on the case page and in the queue. */
	expect(&lead, at("/cases", id, ""), 200, "组建专家组", NULL);
	expect(&lead, "/queue", 200, "组建专家组", NULL);
	assert_int_equal(todos_open(&lead, id), 1);
	/* Another lead has no relation to the case. */
	assert_int_equal(tw_status(&lead2, at("/cases", id, "")), 404);
	snprintf(body, sizeof(body), "account_id=%lld", ex1.id);
	post(&lead, at("/cases", id, "/expert/panel"), body, 303);
	snprintf(body, sizeof(body), "account_id=%lld", ex2.id);
	post(&lead, at("/cases", id, "/expert/panel"), body, 303);
	/* Formed: no longer a to-do. */
	expect(&lead, at("/cases", id, ""), 200, NULL);
	assert_int_equal(todos_open(&lead, id), 0);
	/* The experts have the case in their queue; one not declared is
	 * sent from the case page to the declaration. */
	expect(&ex1, "/queue", 200, at("/cases", id, "\""), "声明利益冲突",
	    NULL);
	{
		struct http_resp r;

		tw_get(&ex1, at("/cases", id, ""), &r);
		assert_int_equal(r.status, 303);
		assert_string_equal(http_header(&r, "Location"),
		    at("/cases", id, "/expert"));
		http_resp_free(&r);
	}
	post(&ex1, at("/cases", id, "/expert/declare"), "confirm=yes", 303);
	/* Declared: the to-dos are the panel's three, and each opens. */
	expect(&ex1, at("/cases", id, ""), 200, "评审通过", "评审不通过",
	    "退回项目组", NULL);
	assert_int_equal(todos_open(&ex1, id), 3);
	/* The other roles' to-dos on this case open too. */
	todos_open(&app, id);
	todos_open(&as1, id);
	todos_open(&cert, id);
	/* The panel sends the case back, with reasons. */
	post(&ex1, at("/cases", id, "/expert/return"), "return_reasons=",
	    400);
	post(&ex1, at("/cases", id, "/expert/return"),
	    "return_reasons=%E7%BC%BA%E5%B0%91PA11", 303);
	expect(&as1, at("/cases", id, ""), 200, "评估中", "缺少PA11",
	    "提交审核结论", NULL);
	expect(&as1, at("/cases", id, "/assessment"), 200, "已撤下的结论",
	    NULL);
	assert_int_equal(todos_open(&as1, id), 1);
}

/* Every to-do on every case page, each status, as everyone: it opens. */
static void
test_todos_open(void **state)
{
	struct tw_person *all[] = { &app, &lead, &as1, &ex1, &cert, &sup };
	long long id;
	size_t i;
	int s;

	for (s = ST_SUBMITTED; s < ST__COUNT; s++) {
		id = tw_case(org, app.id, (enum status)s, s == ST_SUBMITTED ?
		    0 : lead.id, "2026-03-01");
		sql("INSERT INTO team_member(case_id, account_id) VALUES (%lld, "
		    "%lld)", id, as1.id);
		sql("INSERT INTO panel_member(case_id, account_id, added_by, "
		    "declared_at) VALUES (%lld, %lld, %lld, "
		    "'2026-03-05T01:00:00Z')", id, ex1.id, lead.id);
		/* What the pages of the later steps read. */
		if (s >= ST_AGREEMENT_SENT && s != ST_WITHDRAWN)
			sql("INSERT INTO agreement(case_id, treated_as, basis, "
			    "fee_audit, fee_annual, fee_total, drafted_by, "
			    "sent_at, accepted_at) VALUES (%lld, 'initial', "
			    "'初次申请', 7200000, 1500000, 8700000, %lld, "
			    "'2026-03-03T01:00:00Z', %s)", id, lead.id,
			    s == ST_AGREEMENT_SENT ? "NULL" :
			    "'2026-03-04T01:00:00Z'");
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			if (tw_status(all[i], at("/cases", id, "")) == 200)
				todos_open(all[i], id);
	}
}

/* ---- 申诉 ------------------------------------------------------------ */

static void
test_appeal_reopen(void **state)
{
	long long id = tw_case(org, app.id, ST_FAILED, lead.id, "2026-03-01"),
	    aid;
	struct http_resp r;
	char *text = http_urlencode("专家组未考虑补充的证据。");
	char body[512];

	sql("INSERT INTO expert_conclusion(case_id, verdict, reasons, by_id, "
	    "at) VALUES (%lld, 'fail', '证据不足。', %lld, "
	    "'2026-03-02T05:00:00Z')", id, ex1.id);
	snprintf(body, sizeof(body), "text=%s", text);
	post(&app, at("/cases", id, "/appeal"), body, 303);
	aid = tw_int("SELECT max(id) FROM appeal");
	expect(&sup, at("/appeals", aid, ""), 200, "由专家组重新评审",
	    "退回项目组重新评估", NULL);
	/* Upheld without a step: 400, the step asked for. */
	snprintf(body, sizeof(body), "upheld=1&conclusion=%s", text);
	tw_post(&sup, at("/appeals", aid, "/conclude"), body, &r);
	assert_int_equal(r.status, 400);
	assert_true(http_body_has(&r, "请选择案件从哪一步重新办理"));
	http_resp_free(&r);
	snprintf(body, sizeof(body), "upheld=1&reopen=expert_review&"
	    "conclusion=%s", text);
	post(&sup, at("/appeals", aid, "/conclude"), body, 303);
	expect(&sup, at("/appeals", aid, "?concluded=1"), 200,
	    "案件已从“专家评审”重新办理", NULL);
	/* The applicant: the case reopened, the conclusion notice. */
	expect(&app, at("/cases", id, ""), 200, "专家评审",
	    "申诉结论通知书", "案件已从“专家评审”重新办理", NULL);
	/* The panel reviews again: on its queue and to-do list. */
	sql("INSERT INTO panel_member(case_id, account_id, added_by, "
	    "declared_at) VALUES (%lld, %lld, %lld, '2026-03-05T01:00:00Z')",
	    id, ex2.id, lead.id);
	expect(&ex2, at("/cases", id, ""), 200, "评审通过", NULL);
	free(text);
}

/* ---- 投诉: the organisation's register ------------------------------ */

static void
test_complaint_register(void **state)
{
	char body[512], *text = http_urlencode("测试报告延期两周。"),
	    *who = http_urlencode("客户张某 138-0000-0000"),
	    *handling = http_urlencode("致歉并补交报告。"),
	    *measures = http_urlencode("项目计划增加报告评审节点。"),
	    *reason = http_urlencode("收到有关该单位的投诉。");
	long long eid;

	tw_case(org, app.id, ST_INTAKE_REVIEW, lead.id, "2026-03-01");
	expect(&app, "/complaint-register", 200, "投诉记录", "保留记录并采取措施",
	    "尚无投诉记录", NULL);
	/* Staff do not keep an organisation's register. */
	assert_int_equal(tw_status(&lead, "/complaint-register"), 403);
	post(&app, "/complaint-register", "received_on=&complainant=&text=",
	    400);
	snprintf(body, sizeof(body), "received_on=2026-03-02&complainant=%s&"
	    "text=%s", who, text);
	post(&app, "/complaint-register", body, 303);
	eid = tw_int("SELECT max(id) FROM org_complaint");
	expect(&app, "/complaint-register?ok=1", 200, "测试报告延期两周",
	    "登记处理情况", "其中 1 件尚未登记处理情况", NULL);
	snprintf(body, sizeof(body), "handled_on=2026-03-05&handling=%s&"
	    "measures=%s", handling, measures);
	post(&app, at("/complaint-register", eid, "/handle"), body, 303);
	expect(&app, "/complaint-register", 200, "项目计划增加报告评审节点", NULL);
	/* The supervisor: asked first, then reads. */
	expect(&sup, at("/complaints/registers", org, ""), 200, "提出查阅请求",
	    NULL);
	expect(&sup, "/complaints/registers", 200, "阶段测试信息安全有限公司", NULL);
	snprintf(body, sizeof(body), "org_id=%lld&reason=", org);
	post(&sup, "/complaints/registers", body, 400);
	snprintf(body, sizeof(body), "org_id=%lld&reason=%s", org, reason);
	post(&sup, "/complaints/registers", body, 303);
	expect(&sup, at("/complaints/registers", org, ""), 200,
	    "测试报告延期两周", "项目计划增加报告评审节点", NULL);
	/* The organisation sees who asked and why. */
	expect(&app, "/complaint-register", 200, "监督部门的查阅请求",
	    "收到有关该单位的投诉", "孙监", NULL);
	free(text);
	free(who);
	free(handling);
	free(measures);
	free(reason);
}

/* ---- Public information ---------------------------------------------- */

static void
test_public_pages(void **state)
{
	struct tw_person anon;

	memset(&anon, 0, sizeof(anon));
	anon.http = http_client_new("inproc:");
	expect(&anon, "/contact", 200, "中国信息安全测评中心 资质评估处",
	    "中国北京市海淀区上地西路8号院1号楼（邮编：100085）", "010-82341582",
	    "82341551", "https://www.itsec.gov.cn", "国家信息安全服务资质",
	    "《信息安全服务资质评估准则》", "《信息安全服务资质申请与维持指南（安全工程类"
	    "二级）》", "《信息安全服务资质申请书（安全工程类二级）》", NULL);
	expect(&anon, "/faq", 200, "常见问题", "87,000.00 元", "63,000.00 元",
	    "取消证书", NULL);
	expect(&anon, "/", 200, "href=\"/contact\"", "href=\"/faq\"",
	    "href=\"/certified.json\"", "href=\"/certified.csv\"",
	    "href=\"/announcements.atom\"", NULL);
	http_client_free(anon.http);
}

/* Three certificates: one valid, one suspended, one cancelled. */
static void
certificates(void)
{
	long long c[3];
	int i;

	sql("INSERT INTO cert_batch(id, created_by, created_at, approved_by, "
	    "approved_at) VALUES (900, %lld, '2026-04-01T01:00:00Z', %lld, "
	    "'2026-04-02T03:00:00Z')", cert.id, lead.id);
	for (i = 0; i < 3; i++) {
		c[i] = tw_case(org, app.id, ST_ISSUED, lead.id, "2026-01-05");
		sql("INSERT INTO certificate(id, no, case_id, org_id, org_name, "
		    "uscc, issued_on, expires_on, batch_id) VALUES (%lld, "
		    "'CNITSEC2026SE2-09%02d', %lld, %lld, '%s', "
		    "'91350100M000100Y43', '2026-04-02', '2099-04-01', 900)",
		    900LL + i, i, c[i], org, i == 2 ? "丙 \"引号\" & <公司>" :
		    "阶段测试信息安全有限公司");
	}
	sql("INSERT INTO sanction(certificate_id, kind, reason, by_id, at) "
	    "VALUES (901, 'suspension', '过程记录缺失', %lld, "
	    "'2026-05-01T02:00:00Z'), (902, 'revocation', '欺骗取得', %lld, "
	    "'2026-05-03T02:00:00Z')", sup.id, sup.id);
}

static void
test_register_files(void **state)
{
	const struct json *list, *e;
	struct json *j;
	struct http_resp r;
	char err[256];
	size_t i;
	int seen = 0;

	certificates();
	tw_get(&lead, "/certified.json", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "application/json"));
	if ((j = json_parse(r.body.p, r.body.n, err, sizeof(err))) == NULL)
		fail_msg("certified.json: %s", err);
	list = json_get(j, "certificates");
	assert_int_equal(json_len(list), 3);
	for (i = 0; i < json_len(list); i++) {
		e = json_at(list, i);
		assert_non_null(json_string(json_get(e, "number")));
		assert_non_null(json_string(json_get(e, "organisation")));
		assert_string_equal(json_string(json_get(e, "uscc")),
		    "91350100M000100Y43");
		assert_string_equal(json_string(json_get(e, "issued")),
		    "2026-04-02");
		assert_string_equal(json_string(json_get(e, "expires")),
		    "2099-04-01");
		if (strcmp(json_string(json_get(e, "number")),
		    "CNITSEC2026SE2-0901") == 0) {
			assert_string_equal(json_string(json_get(e, "status")),
			    "suspended");
			seen++;
		}
		if (strcmp(json_string(json_get(e, "number")),
		    "CNITSEC2026SE2-0902") == 0) {
			assert_string_equal(json_string(json_get(e, "status")),
			    "cancelled");
			assert_string_equal(json_string(json_get(e,
			    "status_zh")), "已取消");
			assert_string_equal(json_string(json_get(e,
			    "organisation")), "丙 \"引号\" & <公司>");
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	json_free(j);
	http_resp_free(&r);

	tw_get(&lead, "/certified.csv", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/csv"));
	buf_putc(&r.body, '\0');
	assert_non_null(strstr(r.body.p, "\"number\",\"organisation\","
	    "\"uscc\",\"issued\",\"expires\",\"status\",\"status_zh\"\r\n"));
	assert_non_null(strstr(r.body.p, "\"CNITSEC2026SE2-0902\",\"丙 "
	    "\"\"引号\"\" & <公司>\",\"91350100M000100Y43\",\"2026-04-02\","
	    "\"2099-04-01\",\"cancelled\",\"已取消\"\r\n"));
	http_resp_free(&r);
}

/* The Atom feed: well-formed XML (xmllint, libxml2-utils, when it is
 * installed) and the elements RFC 4287 requires. */
static void
test_atom(void **state)
{
	static const char *const xpaths[][2] = {
		{ "count(/*[local-name()='feed'])", "1" },
		{ "count(/*/*[local-name()='id'])", "1" },
		{ "count(/*/*[local-name()='title'])", "1" },
		{ "count(/*/*[local-name()='updated'])", "1" },
		{ "count(/*/*[local-name()='author']/*[local-name()='name'])",
		    "1" },
		{ "count(/*/*[local-name()='link'][@rel='self'])", "1" },
		{ "count(/*/*[local-name()='entry'])", "5" },
		{ "count(/*/*[local-name()='entry'][*[local-name()='id'] and "
		    "*[local-name()='title'] and *[local-name()='updated'] and "
		    "*[local-name()='link'][@rel='alternate']])", "5" },
		{ "count(/*/*[local-name()='entry']/*[local-name()='category']"
		    "[@term='cancellation'])", "1" },
		{ "string(/*/*[local-name()='updated'])",
		    "2026-05-03T02:00:00Z" },
		{ "string(/*/*[local-name()='entry'][1]/*[local-name()="
		    "'title'])", "取消证书：丙 \"引号\" & <公司>（证书编号 "
		    "CNITSEC2026SE2-0902）" },
	};
	struct http_resp r;
	char path[300], cmd[1200], out[512];
	FILE *f, *p;
	size_t i, n;

	tw_get(&lead, "/announcements.atom", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "application/atom+xml"));
	buf_putc(&r.body, '\0');
	/* Issued three, suspended one, cancelled one; newest first. */
	assert_non_null(strstr(r.body.p, "<feed xmlns=\"http://www.w3.org/"
	    "2005/Atom\""));
	assert_non_null(strstr(r.body.p, "&lt;公司&gt;"));
	assert_true(strstr(r.body.p, "取消证书：") < strstr(r.body.p,
	    "暂停证书：") && strstr(r.body.p, "暂停证书：") < strstr(r.body.p,
	    "发证："));
	snprintf(path, sizeof(path), "%s/feed.atom", tw_dir());
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(r.body.p, 1, r.body.n - 1, f), r.body.n - 1);
	fclose(f);
	http_resp_free(&r);
	if (system("command -v xmllint > /dev/null 2>&1") != 0) {
		print_message("test_atom: xmllint not found (apt-get install "
		    "libxml2-utils): only the structure was checked\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof(xpaths) / sizeof(xpaths[0]); i++) {
		snprintf(cmd, sizeof(cmd), "xmllint --xpath \"%s\" '%s'",
		    xpaths[i][0], path);
		assert_non_null(p = popen(cmd, "r"));
		n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		pclose(p);
		out[strcspn(out, "\n")] = '\0';
		if (strcmp(out, xpaths[i][1]) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", xpaths[i][0], out,
			    xpaths[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_panel_todo),
		cmocka_unit_test(test_todos_open),
		cmocka_unit_test(test_appeal_reopen),
		cmocka_unit_test(test_complaint_register),
		cmocka_unit_test(test_public_pages),
		cmocka_unit_test(test_register_files),
		cmocka_unit_test(test_atom),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
