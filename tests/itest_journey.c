/*
 * itest_journey.c: whole cases through the web pages, every role in
 * turn, no shortcuts in the database: submission → 受理 with a supplement
 * round → 立项 → 评估 → 专家评审 → 发证 in a batch → public verification;
 * and a case that fails expert review and is appealed. Every status is
 * reached through the workflow and every event has its actor.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "testlib_journey.h"

struct cast {
	struct http_client	*app, *lead, *assessor, *expert, *cert1,
				*cert2, *sup;
	long long		 assessor_id, expert_id;
};

/* POST kv to path with a token from tokpath; the status must be want. */
static void
post(struct http_client *c, const char *tokpath, const char *path,
    const char *const *kv, long want)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, tokpath), kv);

	http_post_form(c, path, body, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.1500s", path, r.status,
		    want, r.body.p && strstr(r.body.p, "<main") ?
		    strstr(r.body.p, "<main") : "");
	http_resp_free(&r);
	free(body);
}

static long long
account_id(const char *email)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE email = '%s'",
	    email);
	return tj_sql_int(sql);
}

static void
cast_up(struct cast *k, const char *url)
{
	char e[128];

	k->lead = tj_staff(url, "lead", e, sizeof(e));
	k->assessor = tj_staff(url, "assessor", e, sizeof(e));
	k->assessor_id = account_id(e);
	k->expert = tj_staff(url, "expert", e, sizeof(e));
	k->expert_id = account_id(e);
	k->cert1 = tj_staff(url, "cert_staff", e, sizeof(e));
	k->cert2 = tj_staff(url, "cert_staff", e, sizeof(e));
	k->sup = tj_staff(url, "supervisor", e, sizeof(e));
}

static void
cast_down(struct cast *k)
{
	http_client_free(k->app);
	http_client_free(k->lead);
	http_client_free(k->assessor);
	http_client_free(k->expert);
	http_client_free(k->cert1);
	http_client_free(k->cert2);
	http_client_free(k->sup);
}

/* 受理 (with a supplement round when supplement) and 立项, up to 审核计划. */
static void
accept_and_pay(struct cast *k, long long id, int supplement)
{
	char p[128], q[128];
	const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */
	const char *confirm[] = { "confirm", "yes", NULL };
	const char *items[] = { "items._rows", "1", "item_target.0", "s2",
	    "item_what.0", "请补充发展历程", "confirm", "1", NULL };
	const char *s2[] = { "profile", "本单位专注于信息安全工程服务。",
	    "history", "2015年成立；2020年扩大安全工程团队。",
	    "management", "设有质量部。", NULL };
	char today[DATE_BUFSZ];
	const char *pay[] = { "amount", "87,000.00", "paid_on", today,
	    "payer", "付款单位", "reference", "BANK-001", NULL };

	date_day((long long)time(NULL), today);
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	post(k->lead, p, q, none, 303);
	if (supplement) {
		snprintf(q, sizeof(q), "/cases/%lld/review/supplement", id);
		post(k->lead, p, q, items, 303);
		snprintf(q, sizeof(q), "/cases/%lld/form/s2", id);
		tj_post(k->app, q, s2, 303);
		snprintf(q, sizeof(q), "/cases/%lld/check", id);
		snprintf(p, sizeof(p), "/cases/%lld/submit", id);
		post(k->app, q, p, confirm, 303);
		snprintf(p, sizeof(p), "/cases/%lld/review", id);
	}
	tj_paper_received(k->lead, id);
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	post(k->lead, p, q, none, 303);
	snprintf(p, sizeof(p), "/cases/%lld/agreement", id);
	post(k->lead, p, p, none, 303);
	snprintf(q, sizeof(q), "/cases/%lld/agreement/accept", id);
	post(k->app, p, q, confirm, 303);
	snprintf(p, sizeof(p), "/cases/%lld/payment", id);
	post(k->lead, p, p, pay, 303);
}

/* 评估: plan, start, a record, the team's conclusion; then the panel. */
static void
assess(struct cast *k, long long id, const char *verdict)
{
	char p[128], q[128], team[32], expert[32];
	const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */
	const char *plan[] = { "start_day", "2026-02-01", "end_day",
	    "2026-02-10", "method", "文档审查、人员访谈、实际操作", "team", team,
	    NULL };
	const char *record[] = { "kind", "document_review", "finding",
	    "制度文件齐全，执行记录完整。", NULL };
	const char *conclusion[] = { "verdict", "pass", "text",
	    "符合二级要求。", NULL };
	const char *panel[] = { "account_id", expert, NULL };
	const char *declare[] = { "confirm", "yes", NULL };
	const char *expert_c[] = { "verdict", verdict, "reasons",
	    strcmp(verdict, "fail") == 0 ? "过程域 PA07 证据不充分。" :
	    "证据充分，结论合理。", NULL };

	snprintf(team, sizeof(team), "%lld", k->assessor_id);
	snprintf(expert, sizeof(expert), "%lld", k->expert_id);
	snprintf(p, sizeof(p), "/cases/%lld/assessment", id);
	snprintf(q, sizeof(q), "/cases/%lld/assessment/plan", id);
	post(k->lead, p, q, plan, 303);
	snprintf(q, sizeof(q), "/cases/%lld/assessment/start", id);
	post(k->lead, p, q, none, 303);
	snprintf(q, sizeof(q), "/cases/%lld/assessment/records", id);
	post(k->assessor, p, q, record, 303);
	snprintf(q, sizeof(q), "/cases/%lld/assessment/conclusion", id);
	post(k->assessor, p, q, conclusion, 303);
	snprintf(p, sizeof(p), "/cases/%lld/expert", id);
	snprintf(q, sizeof(q), "/cases/%lld/expert/panel", id);
	post(k->lead, p, q, panel, 303);
	snprintf(q, sizeof(q), "/cases/%lld/expert/declare", id);
	post(k->expert, p, q, declare, 303);
	snprintf(q, sizeof(q), "/cases/%lld/expert/conclusion", id);
	post(k->expert, p, q, expert_c, 303);
}

/* The statuses the case went through, in order, joined by spaces. */
static char *
path_of(long long id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT group_concat(to_status, ' ') FROM "
	    "(SELECT to_status FROM event WHERE case_id = %lld AND "
	    "from_status <> to_status ORDER BY id)", id);
	return tj_sql_text(sql);
}

static void
test_to_certificate(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	struct http_client *visitor = http_client_new(url);
	struct cast k;
	struct http_resp r;
	char p[160], sql[256], *no, *path, *loc;
	long long id;

	id = tj_submitted_case(url, "全流程测试有限公司", &k.app);
	cast_up(&k, url);
	accept_and_pay(&k, id, 1);
	assess(&k, id, "pass");

	/* Before 发证 the status says 制证中 (the stage bar names 发证 at
	 * every stage). */
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "id=\"status\">制证中</strong>",
		    ">发证</li>", NULL };

		tj_see(k.app, p, want);
		http_get(k.app, p, &r);
		assert_false(http_body_has(&r, "已发证"));
		http_resp_free(&r);
	}
	/* 发证: a batch made by one officer, approved by another. */
	{
		char c[32], body[256];

		snprintf(c, sizeof(c), "%lld", id);
		snprintf(body, sizeof(body), "csrf=%s&case=%s",
		    tj_token(k.cert1, "/batches"), c);
		http_post_form(k.cert1, "/batches", body, &r);
		assert_int_equal(r.status, 303);
		loc = xstrdup(http_header(&r, "Location"));
		http_resp_free(&r);
		snprintf(p, sizeof(p), "%.*s/approve", (int)strcspn(loc, "?"),
		    loc);
		{
			const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */

			post(k.cert1, "/batches", p, none, 409);
			post(k.cert2, "/batches", p, none, 303);
		}
		free(loc);
	}
	snprintf(sql, sizeof(sql), "SELECT no FROM certificate WHERE case_id = "
	    "%lld", id);
	no = tj_sql_text(sql);
	assert_non_null(no);
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "id=\"status\">已发证</strong>", no,
		    "收件凭证",
		    "补正告知书", "受理通知书", "委托协议", "缴费通知", NULL };
		tj_see(k.app, p, want);
	}
	/* Every stage, in order, through the workflow. */
	path = path_of(id);
	assert_string_equal(path, "submitted intake_review "
	    "supplement_requested intake_review accepted agreement_sent "
	    "awaiting_payment assessment_planning assessing expert_review "
	    "certificate_pending issued");
	free(path);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM event WHERE case_id = "
	    "%lld AND actor_id IS NULL", id);
	assert_int_equal(tj_sql_int(sql), 0);
	/* The 发证 notice as a PDF: its text comes back out. */
	{
		char tmp[] = "/tmp/zizhi-notice.XXXXXX", cmd[256], line[512];
		long long nid;
		FILE *f;
		int fd, found_no = 0, found_org = 0;

		snprintf(sql, sizeof(sql), "SELECT max(id) FROM notice WHERE "
		    "case_id = %lld AND kind = 'issuance'", id);
		nid = tj_sql_int(sql);
		snprintf(p, sizeof(p), "/cases/%lld/notices/%lld/pdf", id, nid);
		http_get(k.app, p, &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.content_type, "application/pdf");
		assert_non_null(strstr(http_header(&r, "Content-Disposition"),
		    "attachment"));
		assert_true((fd = mkstemp(tmp)) >= 0);
		assert_int_equal(write(fd, r.body.p, r.body.n),
		    (ssize_t)r.body.n);
		close(fd);
		http_resp_free(&r);
		snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s -", tmp);
		f = popen(cmd, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f) != NULL) {
			found_no |= strstr(line, no) != NULL;
			/* The party as the frozen 申请书 names it. */
			found_org |= strstr(line, "北京某某信息安全技术有限公司") !=
			    NULL;
		}
		assert_int_equal(pclose(f), 0);
		unlink(tmp);
		assert_true(found_no);
		assert_true(found_org);
	}
	/* A visitor verifies it: the certificate carries the name as
	 * given in the frozen 申请书 (section 一), not the account's. */
	snprintf(p, sizeof(p), "/verify/%s", no);
	{
		const char *want[] = { "有效", "北京某某信息安全技术有限公司", no,
		    tj_uscc(), NULL };
		tj_see(visitor, p, want);
	}
	{
		const char *want[] = { no, NULL };
		tj_see(visitor, "/certified", want);
	}
	free(no);
	http_client_free(visitor);
	cast_down(&k);
}

static void
test_failed_and_appealed(void **state)
{
	const char *url = getenv("ZIZHI_FCGI_URL");
	struct cast k;
	struct http_resp r;
	char p[160], q[160], sql[256], *path;
	const char *fields[6];
	long long id, aid;

	id = tj_submitted_case(url, "评审未通过测试公司", &k.app);
	cast_up(&k, url);
	accept_and_pay(&k, id, 0);
	assess(&k, id, "fail");
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "未通过", "专家评审结论",
		    "提出申诉", NULL };
		tj_see(k.app, p, want);
	}
	path = path_of(id);
	assert_string_equal(path, "submitted intake_review accepted "
	    "agreement_sent awaiting_payment assessment_planning assessing "
	    "expert_review failed");
	free(path);

	/* The applicant appeals, with a file. */
	snprintf(p, sizeof(p), "/cases/%lld/appeal", id);
	fields[0] = "csrf";
	fields[1] = tj_token(k.app, p);
	fields[2] = "text";
	fields[3] = "PA07 的证据已在附件中补充，请求复核。";
	fields[4] = NULL;
	http_post_file(k.app, p, fields, "files", "证据.pdf", tj_pdf,
	    tj_pdf_len, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT id FROM appeal WHERE case_id = %lld",
	    id);
	aid = tj_sql_int(sql);
	assert_true(aid > 0);
	/* A supervisor who took no part concludes it. */
	snprintf(p, sizeof(p), "/appeals/%lld", aid);
	snprintf(q, sizeof(q), "/appeals/%lld/conclude", aid);
	{
		const char *kv[] = { "upheld", "0", "conclusion",
		    "经调查，专家评审结论依据充分，申诉不成立。", NULL };

		post(k.sup, p, q, kv, 303);
	}
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *want[] = { "申诉不成立", "经调查", NULL };
		tj_see(k.app, p, want);
	}
	cast_down(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_certificate),
		cmocka_unit_test(test_failed_and_appealed),
	};

	return cmocka_run_group_tests_name("whole cases, every role",
	    tests, NULL, NULL);
}
