/*
 * itest_review.c: 受理 and 立项 by the project lead, over HTTP: take a
 * submitted case, record findings, request a supplement (all items at
 * once, with the due date), the applicant answers it (round 2, a diff),
 * accept, send the agreement with the computed fee, the applicant accepts,
 * a first payment leaves the rest owed (both see it), the second opens
 * the assessment. A second case is refused. Roles and statuses outside the
 * workflow table are refused. The agreement of a maintenance application
 * filed on time charges the maintenance fee, an initial one the initial
 * fee.
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

#include "rules.h"
#include "testlib_journey.h"

static void
expect_page(struct http_client *c, const char *path, long status,
    const char *const *phrases)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != status)
		fail_msg("GET %s: %ld, want %ld", path, r.status, status);
	for (; phrases != NULL && *phrases != NULL; phrases++)
		if (!http_body_has(&r, *phrases))
			fail_msg("GET %s: no \"%s\"", path, *phrases);
	http_resp_free(&r);
}

/* POST with a token taken from tokpath; returns the status. */
static long
post(struct http_client *c, const char *tokpath, const char *path,
    const char *const *kv, struct http_resp *keep)
{
	return tj_post_from(c, tokpath, path, kv, keep);
}

static void
test_review_to_assessment(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	struct http_client *app, *lead, *lead2, *assessor;
	struct http_resp r;
	char e1[128], e2[128], e3[128], p[160], q[160], due[48];
	const char *none[] = { NULL };
	const char *sure[] = { "confirm", "1", NULL };	/* 受理: confirmed */
	long long id;
	time_t t;
	struct tm tm;
	zdate today, today_z;

	id = tj_submitted_case(url, "受理测试有限公司", &app);
	lead = tj_staff(url, "lead", e1, sizeof(e1));
	lead2 = tj_staff(url, "lead", e2, sizeof(e2));
	assessor = tj_staff(url, "assessor", e3, sizeof(e3));
	/* The receipt names the application once: "初次申请，案件编号",
	 * not "初次申请申请" (issue 17). */
	{
		char sql[200], *body;

		snprintf(sql, sizeof(sql), "SELECT body FROM notice WHERE "
		    "case_id = %lld AND kind = 'receipt'", id);
		body = tj_sql_text(sql);
		assert_non_null(body);
		assert_non_null(strstr(body, "初次申请，案件编号"));
		assert_null(strstr(body, "申请申请"));
		free(body);
	}

	/* Who may not: the applicant and an assessor. */
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	expect_page(app, p, 403, NULL);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	assert_int_equal(post(assessor, "/", q, none, NULL), 403);

	/* The lead takes it. */
	{
		const char *want[] = { "开始受理审查（由我负责）", "SHA-256",
		    "受理测试有限公司", "基本资格（起评条件，指南 3.1）",
		    "基本能力（指南 3.2）", "纸质原件", NULL };
		expect_page(lead, p, 200, want);
	}
	assert_int_equal(post(lead, p, q, none, NULL), 303);
	{
		const char *want[] = { "受理审查中", "保存审查意见",
		    "发出补正告知书", NULL };
		expect_page(lead, p, 200, want);
	}
	/* Another lead cannot act on it, or even see it: the case is not
	 * theirs and no longer in the intake pool (404, nothing said). */
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	assert_int_equal(post(lead2, "/", q, sure, &r), 404);
	assert_false(http_body_has(&r, "项目负责人是"));
	http_resp_free(&r);
	expect_page(lead2, p, 404, NULL);
	/* An assessor cannot accept a case. */
	assert_int_equal(post(assessor, "/", q, none, NULL), 403);

	/* Findings. */
	{
		const char *kv[] = { "verdict_form", "ok", "verdict_pa01",
		    "supplement", "comment_pa01", "缺少制度文件", NULL };

		snprintf(q, sizeof(q), "/cases/%lld/review/findings", id);
		assert_int_equal(post(lead, p, q, kv, NULL), 303);
		/* The row pre-filled from a process-area finding names its
		 * section (PA01-PA11 are 六; issue 17). */
		const char *want[] = { "【PA01 管理安全控制】缺少制度文件",
		    "<option value=\"s6\" selected>", NULL };
		expect_page(lead, p, 200, want);
	}

	/* A supplement: none listed is refused; then all items at once. */
	{
		const char *empty[] = { "items._rows", "2", "item_target.0", "",
		    "item_what.0", "", NULL };
		const char *bad[] = { "items._rows", "1", "item_target.0", "s2",
		    "item_what.0", "", NULL };
		const char *kv[] = { "items._rows", "3",
		    "item_target.0", "s2", "item_what.0", "请补充发展历程",
		    "item_target.1", "org_chart", "item_what.1", "组织架构图不清晰",
		    "item_target.2", "", "item_what.2", "", NULL };
		const char *sent[] = { "items._rows", "3",
		    "item_target.0", "s2", "item_what.0", "请补充发展历程",
		    "item_target.1", "org_chart", "item_what.1", "组织架构图不清晰",
		    "item_target.2", "", "item_what.2", "", "confirm", "1",
		    NULL };

		snprintf(q, sizeof(q), "/cases/%lld/review/supplement", id);
		assert_int_equal(post(lead, p, q, empty, &r), 400);
		assert_true(http_body_has(&r, "请至少列出一项"));
		http_resp_free(&r);
		assert_int_equal(post(lead, p, q, bad, &r), 400);
		assert_true(http_body_has(&r, "第 1 项：请写明需要补正的内容"));
		/* What was typed stays selected. */
		assert_true(http_body_has(&r, "value=\"s2\" selected"));
		http_resp_free(&r);
		/* First the notice as it will go out, each item with what it
		 * names (issue 17); nothing is sent yet. */
		assert_int_equal(post(lead, p, q, kv, &r), 200);
		assert_true(http_body_has(&r, "预览补正告知书"));
		assert_true(http_body_has(&r, "第 2 项 · 材料：组织机构图：组织架构图不清晰"));
		http_resp_free(&r);
		assert_int_equal(post(lead, p, q, sent, NULL), 303);
	}
	/* No mail server took it (no SMTP here): 待送达, no due date yet,
	 * for the applicant and on the lead's review page. */
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "待补正", "需要补正的内容", "待送达",
		    "请补充发展历程", "组织架构图不清晰", "补正告知书", NULL };
		const char *lead_sees[] = { "等待申请单位补正", "待送达",
		    "补正期限尚未起算", NULL };
		char rp[160];

		expect_page(app, p, 200, want);
		snprintf(rp, sizeof(rp), "/cases/%lld/review", id);
		expect_page(lead, rp, 200, lead_sees);
	}
	/* The applicant opens the notice: served today, due one calendar
	 * month on (rules module); the lead opening it serves nothing. */
	t = time(NULL) + 8 * 3600;
	gmtime_r(&t, &tm);
	today = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* Shown the Chinese way (issue 17). */
	date_zh(rules_supplement_due(rules_default(), today), due);
	{
		char np[160], sql[256];
		long long nid;

		snprintf(sql, sizeof(sql), "SELECT id FROM notice WHERE case_id "
		    "= %lld AND kind = 'supplement'", id);
		nid = tj_sql_int(sql);
		snprintf(np, sizeof(np), "/cases/%lld/notices/%lld", id, nid);
		{
			const char *unserved[] = { "待送达", "送达之日起一个月",
			    NULL };
			const char *served[] = { "申请单位已在系统中打开", due,
			    NULL };

			expect_page(lead, np, 200, unserved);
			expect_page(app, np, 200, served);
		}
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM "
		    "notice_service WHERE notice_id = %lld AND via = 'portal'",
		    nid);
		assert_int_equal(tj_sql_int(sql), 1);
	}
	{
		const char *want[] = { "待补正", "送达（申请单位已在系统中打开）",
		    due, NULL };
		expect_page(app, p, 200, want);
	}
	/* Accepting now is not in the table. */
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	assert_int_equal(post(lead, p, q, sure, &r), 409);
	assert_true(http_body_has(&r, "不能转为"));
	http_resp_free(&r);
	/* Refusing for lateness before the due date is refused too. */
	{
		const char *kv[] = { "reasons", "逾期", "confirm", "1", NULL };

		snprintf(q, sizeof(q), "/cases/%lld/review/refuse", id);
		assert_int_equal(post(lead, p, q, kv, &r), 409);
		assert_true(http_body_has(&r, "尚未届满"));
		http_resp_free(&r);
	}
	/* Nor does the lead's to-do offer it before the due date (its
	 * button would only answer 409; issue 17). */
	{
		char cp[160];

		snprintf(cp, sizeof(cp), "/cases/%lld", id);
		http_get(lead, cp, &r);
		assert_int_equal(r.status, 200);
		assert_false(http_body_has(&r, "不予受理（逾期未补正）"));
		http_resp_free(&r);
	}
	/* A wrong item in the sent notice: a 更正通知, previewed, then sent;
	 * it names the notice it supersedes (issue 17). */
	{
		const char *kv[] = { "correct", "1", "items._rows", "2",
		    "item_target.0", "s2", "item_what.0", "请补充发展历程（含年份）",
		    "item_target.1", "org_chart", "item_what.1", "组织架构图不清晰",
		    NULL };
		const char *sent[] = { "correct", "1", "items._rows", "2",
		    "item_target.0", "s2", "item_what.0", "请补充发展历程（含年份）",
		    "item_target.1", "org_chart", "item_what.1", "组织架构图不清晰",
		    "confirm", "1", NULL };
		char sql[256], *no, *body;

		/* The form holds the items of the notice in force. */
		http_get(lead, p, &r);
		assert_true(http_body_has(&r, "更正补正告知书"));
		assert_true(http_body_has(&r, ">请补充发展历程</textarea>"));
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT no FROM notice WHERE case_id "
		    "= %lld AND kind = 'supplement'", id);
		no = tj_sql_text(sql);
		snprintf(q, sizeof(q), "/cases/%lld/review/correct", id);
		assert_int_equal(post(lead, p, q, kv, &r), 200);
		assert_true(http_body_has(&r, "预览更正通知"));
		assert_true(http_body_has(&r, "请补充发展历程（含年份）"));
		http_resp_free(&r);
		assert_int_equal(post(lead, p, q, sent, NULL), 303);
		snprintf(sql, sizeof(sql), "SELECT body FROM notice WHERE "
		    "case_id = %lld ORDER BY id DESC LIMIT 1", id);
		body = tj_sql_text(sql);
		assert_non_null(strstr(body, "更正通知（补正告知书）"));
		assert_non_null(strstr(body, no));
		assert_non_null(strstr(body, "请补充发展历程（含年份）"));
		free(body);
		free(no);
		{
			const char *want[] = { "更正通知（补正告知书）",
			    "请补充发展历程（含年份）", NULL };
			char cp[160];

			snprintf(cp, sizeof(cp), "/cases/%lld", id);
			expect_page(app, cp, 200, want);
		}
	}

	/* The applicant answers: edits section 二, replaces the chart. */
	{
		const char *kv[] = { "profile", "本单位专注于信息安全工程服务。",
		    "history", "2015年成立，2016年开始信息安全服务，2020年扩大团队。",
		    "management", "设有质量部。", NULL };
		const char *fields[8];
		char rowbuf[8] = "-1", mid[32];
		const char *s;

		snprintf(q, sizeof(q), "/cases/%lld/form/s2", id);
		tj_post(app, q, kv, 303);
		snprintf(q, sizeof(q), "/cases/%lld/materials?s=s2", id);
		http_get(app, q, &r);
		s = strstr(r.body.p, "name=\"replace\" value=\"");
		assert_non_null(s);
		snprintf(mid, sizeof(mid), "%.*s", (int)strcspn(s + 22, "\""),
		    s + 22);
		http_resp_free(&r);
		/* The first replace field on the page is the business
		 * licence's; find the org chart's by its kind. */
		{
			const char *k;

			http_get(app, q, &r);
			k = strstr(r.body.p, "name=\"kind\" value=\"org_chart\"");
			assert_non_null(k);
			s = strstr(k, "name=\"replace\" value=\"");
			if (s != NULL && s < strstr(k, "</li>"))
				snprintf(mid, sizeof(mid), "%.*s",
				    (int)strcspn(s + 22, "\""), s + 22);
			http_resp_free(&r);
		}
		fields[0] = "csrf";
		fields[1] = tj_token(app, q);
		fields[2] = "kind";
		fields[3] = "org_chart";
		fields[4] = "row";
		fields[5] = rowbuf;
		fields[6] = NULL;
		{
			/* A new chart: different bytes from the first one. */
			static const char chart[] = "%PDF-1.4\n% 组织架构图 v2\n"
			    "1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n"
			    "<< /Root 1 0 R >>\n%%EOF\n";

			http_post_file(app, q, fields, "file", "新组织架构图.pdf",
			    chart, sizeof(chart) - 1, &r);
		}
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}
	{
		const char *kv[] = { "confirm", "yes", NULL };

		snprintf(p, sizeof(p), "/cases/%lld/check", id);
		snprintf(q, sizeof(q), "/cases/%lld/submit", id);
		assert_int_equal(post(app, p, q, kv, NULL), 303);
	}
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "受理审查中", "提交补正材料（第 2 轮）", NULL };
		expect_page(app, p, 200, want);
	}
	assert_int_equal(tj_sql_int("SELECT count(*) FROM notice WHERE kind = "
	    "'receipt' AND case_id = (SELECT max(id) FROM cases WHERE "
	    "status = 'intake_review')") >= 1, 1);
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	{
		const char *want[] = { "与第 1 轮相比的变化", "发展历程",
		    "2020年扩大团队", "新文件 新组织架构图.pdf", "第 2 轮", NULL };
		expect_page(lead, p, 200, want);
	}

	/* 受理 waits for the paper original of round 2 (§5.2 (二)). */
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	assert_int_equal(post(lead, p, q, sure, &r), 409);
	assert_true(http_body_has(&r, "尚未登记收到第 2 轮申请书的纸质原件"));
	http_resp_free(&r);
	tj_paper_received(lead, id);
	{
		const char *want[] = { "顺丰速运 SF1234567890", "测试核对人",
		    "已收到与第 2 轮电子版一致的纸质申请书", NULL };
		expect_page(lead, p, 200, want);
	}

	/* Accept; the agreement with the computed fee and its basis. */
	assert_int_equal(post(lead, p, q, sure, NULL), 303);
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "已受理", "受理通知书", NULL };
		expect_page(app, p, 200, want);
	}
	snprintf(p, sizeof(p), "/cases/%lld/agreement", id);
	{
		const char *want[] = { "87,000.00 元", "72,000.00 元",
		    "初次申请，按初次申请收费", "发送委托协议", NULL };
		expect_page(lead, p, 200, want);
	}
	assert_int_equal(post(lead, p, p, none, NULL), 303);
	{
		const char *want[] = { "等待申请单位确认", "确认委托协议", NULL };
		expect_page(app, p, 200, want);
	}
	snprintf(q, sizeof(q), "/cases/%lld/agreement/accept", id);
	assert_int_equal(post(app, p, q, none, NULL), 400);
	{
		const char *kv[] = { "confirm", "yes", NULL };

		assert_int_equal(post(app, p, q, kv, NULL), 303);
	}
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "待缴费", "委托协议已生效", "缴费通知",
		    "尚未登记缴费", NULL };
		expect_page(app, p, 200, want);
	}

	/* Payment, the ledger: an assessor may not record; a 到账日期 in
	 * the future is refused at the field, the form kept; 78,000 leaves
	 * 9,000 owed (shown to the applicant), and the second payment of
	 * 9,000 opens the assessment. */
	snprintf(p, sizeof(p), "/cases/%lld/payment", id);
	{
		char day[DATE_BUFSZ], tomorrow[DATE_BUFSZ];
		const char *right[] = { "amount", "78,000", "paid_on", day,
		    "payer", "受理测试有限公司", "reference", "BANK-1", NULL };
		const char *future[] = { "amount", "78,000", "paid_on",
		    tomorrow, "payer", "受理测试有限公司", "reference", "BANK-1",
		    NULL };
		const char *second[] = { "amount", "9000.00", "paid_on", day,
		    "payer", "受理测试有限公司", "reference", "BANK-2", NULL };

		t = time(NULL) + 8 * 3600;
		gmtime_r(&t, &tm);
		today_z = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday);
		date_format(today_z, day);
		date_format(today_z + 1, tomorrow);
		assert_int_equal(post(assessor, "/", p, right, NULL), 403);
		assert_int_equal(post(lead, p, p, future, &r), 400);
		assert_true(http_body_has(&r, "晚于今天"));
		assert_true(http_body_has(&r, "value=\"78,000\""));
		http_resp_free(&r);
		assert_int_equal(post(lead, p, p, right, NULL), 303);
		{
			const char *owed[] = { "尚欠 9,000.00 元", "BANK-1",
			    "78,000.00", NULL };
			const char *waiting[] = { "待缴费", "已缴 78,000.00 元",
			    "尚欠 9,000.00 元", NULL };

			expect_page(lead, p, 200, owed);
			snprintf(q, sizeof(q), "/cases/%lld", id);
			expect_page(app, q, 200, waiting);
			expect_page(app, p, 200, owed);
		}
		assert_int_equal(post(lead, p, p, second, NULL), 303);
	}
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "审核计划", "已缴 87,000.00 元，缴费已足额",
		    "登记缴费 9,000.00 元（BANK-2），已缴合计 87,000.00 元", NULL };
		expect_page(app, p, 200, want);
	}
	/* Every event is in the timeline with its actor. */
	assert_int_equal(tj_sql_int("SELECT count(*) FROM event WHERE "
	    "actor_id IS NULL"), 0);
	http_client_free(app);
	http_client_free(lead);
	http_client_free(lead2);
	http_client_free(assessor);
}

static void
test_refused(void **state)
{
	const char *url = getenv("ZIZHI_FCGI_URL");
	struct http_client *app, *lead;
	struct http_resp r;
	char e1[128], p[160], q[160];
	const char *none[] = { NULL };
	long long id;

	id = tj_submitted_case(url, "不予受理测试公司", &app);
	lead = tj_staff(url, "lead", e1, sizeof(e1));
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	assert_int_equal(post(lead, p, q, none, NULL), 303);
	snprintf(q, sizeof(q), "/cases/%lld/review/refuse", id);
	{
		const char *blank[] = { "reasons", "", NULL };
		const char *kv[] = { "reasons", "不具有独立法人资格。", "confirm", "1", NULL };

		assert_int_equal(post(lead, p, q, blank, &r), 400);
		assert_true(http_body_has(&r, "请写明不予受理的理由"));
		http_resp_free(&r);
		assert_int_equal(post(lead, p, q, kv, NULL), 303);
	}
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "不予受理", "不予受理通知书", NULL };
		expect_page(app, p, 200, want);
	}
	/* The notice gives the reasons and how to appeal. */
	{
		long long nid = tj_sql_int("SELECT max(id) FROM notice WHERE "
		    "kind = 'refusal'");
		const char *want[] = { "不具有独立法人资格", "申诉", NULL };

		snprintf(p, sizeof(p), "/cases/%lld/notices/%lld", id, nid);
		expect_page(app, p, 200, want);
	}
	/* Nothing moves a refused case on, not even withdrawal. */
	snprintf(p, sizeof(p), "/cases/%lld/withdraw", id);
	expect_page(app, p, 409, NULL);
	http_client_free(app);
	http_client_free(lead);
}

/* A case submitted with section 一 changed by s1 (and the organisation's
 * certificate in the register expiring on expires, when not NULL), taken
 * to 受理 by a lead, who sends the agreement: it shows audit + annual =
 * total (元, as printed) before and after sending, and stores them (分)
 * as treated. */
static void
agreement_fee(const char *url, const char *org, const char *const *s1,
    const char *expires, const char *audit, const char *total, long long total_fen,
    const char *treated_as, const char *basis)
{
	struct http_client *app, *lead;
	char e[128], p[160], q[160], a_yuan[48], t_yuan[48], sql[256];
	const char *none[] = { NULL };
	const char *sure[] = { "confirm", "1", NULL };	/* 受理: confirmed */
	const char *want[] = { a_yuan, "15,000.00 元", t_yuan, basis, NULL };
	long long id;
	char *got;

	snprintf(a_yuan, sizeof(a_yuan), "%s 元", audit);
	snprintf(t_yuan, sizeof(t_yuan), "<strong>%s 元</strong>", total);
	id = expires != NULL ? tj_submitted_case_cert(url, org, s1, expires,
	    &app) : tj_submitted_case_s1(url, org, s1, &app);
	lead = tj_staff(url, "lead", e, sizeof(e));
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	assert_int_equal(post(lead, p, q, none, NULL), 303);
	tj_paper_received(lead, id);
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	assert_int_equal(post(lead, p, q, sure, NULL), 303);
	snprintf(p, sizeof(p), "/cases/%lld/agreement", id);
	expect_page(lead, p, 200, want);
	assert_int_equal(post(lead, p, p, none, NULL), 303);
	expect_page(app, p, 200, want);
	snprintf(sql, sizeof(sql), "SELECT fee_audit + fee_annual = fee_total "
	    "AND fee_annual = 1500000 AND fee_total = %lld FROM agreement "
	    "WHERE case_id = %lld", total_fen, id);
	assert_int_equal(tj_sql_int(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT treated_as FROM agreement WHERE "
	    "case_id = %lld", id);
	got = tj_sql_text(sql);
	assert_non_null(got);
	assert_string_equal(got, treated_as);
	free(got);
	http_client_free(app);
	http_client_free(lead);
}

static void
test_agreement_fee(void **state)
{
	struct tj_dates d;
	/* Expiring two years on (late June), in the register: filed well
	 * over six months before it, on time. */
	const char *maint[] = { "app_type", "maintenance",
	    "maint_cert_no", "CNITSEC2023SE2-0042", NULL };

	tj_dates(&d);
	agreement_fee(getenv("ZIZHI_SERVE_URL"), "维持申请收费测试有限公司",
	    maint, d.later, "48,000.00", "63,000.00", 6300000, "maintenance",
	    "按维持申请收费");
	agreement_fee(getenv("ZIZHI_FCGI_URL"), "初次申请收费测试有限公司",
	    NULL, NULL, "72,000.00", "87,000.00", 8700000, "initial",
	    "初次申请，按初次申请收费");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_to_assessment),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_agreement_fee),
	};

	return cmocka_run_group_tests_name("受理 and 立项", tests, NULL, NULL);
}
