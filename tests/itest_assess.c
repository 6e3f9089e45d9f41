/*
 * itest_assess.c: 评估 over HTTP. A really submitted case is set up in
 * 审核计划 (the review and payment pages are another area's), then the
 * lead plans and starts, a team member records an activity with a PDF,
 * the team concludes (the applicant sees the 评估结论 notice); the lead
 * forms the expert panel, an expert declares no conflict of interest and
 * the panel passes the case (制证中). A second case, through the other
 * door, fails expert review with reasons, after another expert declared
 * a conflict of interest and left the panel. Refused along the way: end
 * before start, an expert on the team, an undeclared expert, a fail
 * without reasons, wrong statuses and the applicant; another lead, an
 * assessor not on the team and an expert not on the panel see nothing
 * of the case (404).
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

#include "testlib_journey.h"

static const char *urls[2];

/* The part of a page worth printing when a test fails. */
static const char *
main_of(const struct http_resp *r)
{
	const char *m;

	if (r->body.p == NULL)
		return "";
	m = strstr(r->body.p, "<main");
	return m ? m : r->body.p;
}

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
}

/* POST kv (with a token) to path; the status must be want and the body
 * must have phrase (when not NULL). */
static void
post(struct http_client *c, const char *path, const char *const *kv,
    long want, const char *phrase)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, "/"), kv);

	http_post_form(c, path, body, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.3000s", path, r.status,
		    want, main_of(&r));
	if (phrase != NULL && !http_body_has(&r, phrase))
		fail_msg("POST %s: no \"%s\" in\n%.3000s", path, phrase,
		    main_of(&r));
	http_resp_free(&r);
	free(body);
}

/* GET path: status want, the body has phrase (when not NULL). */
static void
get(struct http_client *c, const char *path, long want, const char *phrase)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != want)
		fail_msg("GET %s: %ld, want %ld\n%.3000s", path, r.status, want,
		    main_of(&r));
	if (phrase != NULL && !http_body_has(&r, phrase))
		fail_msg("GET %s: no \"%s\" in\n%.3000s", path, phrase,
		    main_of(&r));
	http_resp_free(&r);
}

/* GET path (200) and require that phrase is not in it. */
static void
get_without(struct http_client *c, const char *path, const char *phrase)
{
	struct http_resp r;

	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	if (http_body_has(&r, phrase))
		fail_msg("GET %s: \"%s\" should not be shown", path, phrase);
	http_resp_free(&r);
}

static long long
account_id(const char *email)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE email = '%s'",
	    email);
	return tj_sql_int(sql);
}

/* The set-up the review, agreement and payment pages would make. */
static void
to_planning(long long id, long long lead)
{
	char sql[768];

	snprintf(sql, sizeof(sql), "UPDATE cases SET status = "
	    "'assessment_planning', lead_id = %lld WHERE id = %lld; "
	    "INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status, reason) VALUES (%lld, strftime('%%Y-%%m-%%dT%%H:%%M:"
	    "%%SZ', 'now'), date('now', '+8 hours'), %lld, 'submitted', "
	    "'assessment_planning', '测试准备：已缴费，进入评估');", lead, id,
	    id, lead);
	tj_sql(sql);
	snprintf(sql, sizeof(sql), "SELECT status = 'assessment_planning' "
	    "FROM cases WHERE id = %lld", id);
	assert_int_equal(tj_sql_int(sql), 1);
}

struct people {
	struct http_client	*app, *lead, *lead2, *as1, *as2;
	struct http_client	*ex, *ex_team, *ex_out;
	char			 as1_email[128], ex_email[128];
	char			 ex_team_email[128], lead_email[128];
	char			 ex_out_email[128];
	char			 scratch[128];
};

static void
people_new(struct people *p, const char *url)
{
	p->lead = tj_staff(url, "lead", p->lead_email, sizeof(p->lead_email));
	p->lead2 = tj_staff(url, "lead", p->scratch, sizeof(p->scratch));
	p->as1 = tj_staff(url, "assessor", p->as1_email, sizeof(p->as1_email));
	p->as2 = tj_staff(url, "assessor", p->scratch, sizeof(p->scratch));
	p->ex = tj_staff(url, "expert", p->ex_email, sizeof(p->ex_email));
	p->ex_team = tj_staff(url, "expert", p->ex_team_email,
	    sizeof(p->ex_team_email));
	p->ex_out = tj_staff(url, "expert", p->ex_out_email,
	    sizeof(p->ex_out_email));
}

static void
people_free(struct people *p)
{
	http_client_free(p->app);
	http_client_free(p->lead);
	http_client_free(p->lead2);
	http_client_free(p->as1);
	http_client_free(p->as2);
	http_client_free(p->ex);
	http_client_free(p->ex_team);
	http_client_free(p->ex_out);
}

/* Plan with as1 on the team, and start. */
static void
plan_and_start(struct people *p, long long id)
{
	char path[128], aid[32];
	const char *plan[] = { "start_day", "2026-03-02", "end_day",
		"2026-03-20", "method", "抽样审查过程文档，访谈技术负责人。",
		"team", aid, NULL };

	snprintf(aid, sizeof(aid), "%lld", account_id(p->as1_email));
	snprintf(path, sizeof(path), "/cases/%lld/assessment/plan", id);
	post(p->lead, path, plan, 303, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/start", id);
	post(p->lead, path, (const char *[]){ NULL }, 303, NULL);
}

/* The notice titled title on the applicant's case page: its body. */
static void
notice_has(struct http_client *app, long long id, const char *title,
    const char *phrase)
{
	struct http_resp r;
	char path[128];
	const char *t, *n;
	long long nid;

	snprintf(path, sizeof(path), "/cases/%lld", id);
	http_get(app, path, &r);
	assert_int_equal(r.status, 200);
	t = strstr(r.body.p, title);
	if (t == NULL)
		fail_msg("no notice \"%s\" on the case page", title);
	/* The link before the title: /cases/N/notices/M">title */
	for (n = t; n > r.body.p && strncmp(n, "/notices/", 9) != 0; n--)
		;
	assert_true(n > r.body.p);
	nid = strtoll(n + 9, NULL, 10);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%lld/notices/%lld", id, nid);
	get(app, path, 200, phrase);
}

static void
test_pass(void **state)
{
	struct people p;
	struct http_resp r;
	char path[160], aid[32], exid[32], bad[32], ftoken[128];
	const char *fields[] = { "csrf", ftoken, "kind", "document_review",
		"finding", "质量手册与过程文件齐全，抽查三个项目的记录一致。", NULL };
	const char *q;
	long long id, fid;

	id = tj_submitted_case(urls[0], "评估测试信息技术有限公司", &p.app);
	people_new(&p, urls[0]);
	snprintf(aid, sizeof(aid), "%lld", account_id(p.as1_email));

	/* Not yet in assessment: 409 with the status in words, for the
	 * case's lead; a lead who is not the case's sees nothing of it. */
	snprintf(path, sizeof(path), "UPDATE cases SET lead_id = %lld WHERE "
	    "id = %lld", account_id(p.lead_email), id);
	tj_sql(path);
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.lead, path, 409, "尚未进入评估阶段");
	get(p.lead2, path, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.lead, path, 409, "尚未进入专家评审");
	get(p.lead2, path, 404, NULL);

	to_planning(id, account_id(p.lead_email));

	/* The applicant reaches none of it. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	http_get(p.app, path, &r);
	assert_true(r.status == 403 || r.status == 404);
	assert_false(http_body_has(&r, "审核计划"));
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/plan", id);
	post(p.app, path, (const char *[]){ "start_day", "2026-03-02",
	    NULL }, 403, NULL);

	/* The lead sees the plan form and the assessors to pick. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.lead, path, 200, "制定审核计划");
	get(p.lead, path, 200, p.as1_email);

	/* Starting before a plan: refused by the workflow's guard. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/start", id);
	post(p.lead, path, (const char *[]){ NULL }, 409, "请先制定审核计划");

	/* End before start: 400, the message next to the field, what was
	 * typed kept. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/plan", id);
	post(p.lead, path, (const char *[]){ "start_day", "2026-03-20",
	    "end_day", "2026-03-02", "method", "现场审核方法甲", "team", aid,
	    NULL }, 400, "id=\"end_day-error\">结束日期（2026-03-02）早于开始日期");
	post(p.lead, path, (const char *[]){ "start_day", "2026-03-20",
	    "end_day", "2026-03-02", "method", "现场审核方法甲", "team", aid,
	    NULL }, 400, "现场审核方法甲");
	/* No team, a bad date, a team member who is not an assessor. */
	post(p.lead, path, (const char *[]){ "start_day", "2026-03-02",
	    "end_day", "2026-03-20", "method", "方法", NULL }, 400,
	    "请至少选择一名项目组成员");
	post(p.lead, path, (const char *[]){ "start_day", "2026-02-30",
	    "end_day", "2026-03-20", "method", "方法", "team", aid, NULL },
	    400, "不是有效的日期");
	snprintf(exid, sizeof(exid), "%lld", account_id(p.ex_email));
	post(p.lead, path, (const char *[]){ "start_day", "2026-03-02",
	    "end_day", "2026-03-20", "method", "方法", "team", exid, NULL },
	    400, "不是可用的评估人员");
	/* Another lead: nothing of the case (404). */
	post(p.lead2, path, (const char *[]){ "start_day", "2026-03-02",
	    "end_day", "2026-03-20", "method", "方法", "team", aid, NULL },
	    404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.lead2, path, 404, NULL);
	snprintf(path, sizeof(path), "SELECT count(*) FROM audit_plan WHERE "
	    "case_id = %lld", id);
	assert_int_equal(tj_sql_int(path), 0);

	plan_and_start(&p, id);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(p.lead, path, 200, "id=\"status\">评估中");
	/* An expert who is also on the team (separation of duties, below). */
	snprintf(path, sizeof(path), "INSERT INTO team_member(case_id, "
	    "account_id) VALUES (%lld, %lld)", id,
	    account_id(p.ex_team_email));
	tj_sql(path);

	/* The plan is fixed once started. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/plan", id);
	post(p.lead, path, (const char *[]){ "start_day", "2026-03-02",
	    "end_day", "2026-03-20", "method", "方法", "team", aid, NULL },
	    409, "只有在“审核计划”状态下");

	/* An assessor not on the team: nothing of the case (404). */
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.as2, path, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/records", id);
	post(p.as2, path, (const char *[]){ "kind", "interview", "finding",
	    "x", NULL }, 404, NULL);

	/* A team member records a document review with a PDF. */
	snprintf(ftoken, sizeof(ftoken), "%s", tj_token(p.as1, "/"));
	http_post_file(p.as1, path, fields, "file", "审查报告.pdf", tj_pdf,
	    tj_pdf_len, &r);
	if (r.status != 303)
		fail_msg("record: %ld %.2000s", r.status, r.body.p);
	http_resp_free(&r);
	/* A file that is not what its name says is refused. */
	snprintf(ftoken, sizeof(ftoken), "%s", tj_token(p.as1, "/"));
	http_post_file(p.as1, path, fields, "file", "伪装.pdf",
	    "just some text\n", 15, &r);
	assert_int_equal(r.status, 400);
	assert_true(http_body_has(&r, "id=\"file-error\""));
	assert_true(http_body_has(&r, "伪装.pdf"));
	http_resp_free(&r);
	/* No finding: 400 next to the field. */
	post(p.as1, path, (const char *[]){ "kind", "interview", "finding",
	    "", NULL }, 400, "id=\"finding-error\">请填写审查发现");
	snprintf(path, sizeof(path), "SELECT count(*) FROM assessment_record "
	    "WHERE case_id = %lld", id);
	assert_int_equal(tj_sql_int(path), 1);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/records", id);

	/* The record and its file, byte-identical. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	http_get(p.as1, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "文档审查"));
	assert_true(http_body_has(&r, "抽查三个项目的记录一致"));
	assert_true(http_body_has(&r, "审查报告.pdf"));
	snprintf(bad, sizeof(bad), "/assessment/files/");
	q = strstr(r.body.p, bad);
	assert_non_null(q);
	fid = strtoll(q + strlen(bad), NULL, 10);
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/files/%lld", id,
	    fid);
	http_get(p.lead, path, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.n, tj_pdf_len);
	assert_memory_equal(r.body.p, tj_pdf, tj_pdf_len);
	assert_string_equal(r.content_type, "application/pdf");
	http_resp_free(&r);
	http_get(p.as2, path, &r);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	http_get(p.app, path, &r);
	assert_true(r.status == 403 || r.status == 404);
	http_resp_free(&r);

	/* The expert page before expert review: 409. */
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.lead, path, 409, "尚未进入专家评审");

	/* The team's conclusion: a verdict is required. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/conclusion", id);
	post(p.as1, path, (const char *[]){ "text", "结论说明", NULL }, 400,
	    "请选择审核结论");
	post(p.as1, path, (const char *[]){ "verdict", "pass", "text",
	    "证据充分，符合二级要求ZQX7。", NULL }, 303, NULL);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(p.app, path, 200, "id=\"status\">专家评审");
	notice_has(p.app, id, "评估结论通知书", "项目组审核结论：通过");
	notice_has(p.app, id, "评估结论通知书", "证据充分，符合二级要求ZQX7。");
	notice_has(p.app, id, "评估结论通知书", "共记录评估活动 1 项（文档审查 1 项）");
	/* No more records, and no second conclusion. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/records", id);
	post(p.as1, path, (const char *[]){ "kind", "interview", "finding",
	    "x", NULL }, 409, "只有在“评估中”状态下");
	snprintf(path, sizeof(path), "/cases/%lld/assessment/conclusion", id);
	post(p.as1, path, (const char *[]){ "verdict", "fail", "text", "x",
	    NULL }, 409, NULL);

	/* The panel. An expert not on it: nothing of the case (404). */
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.ex, path, 404, NULL);
	get(p.app, path, 403, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert/panel", id);
	snprintf(exid, sizeof(exid), "%lld", account_id(p.ex_team_email));
	post(p.lead, path, (const char *[]){ "account_id", exid, NULL }, 409,
	    "职责分离");
	post(p.lead, path, (const char *[]){ "account_id", aid, NULL }, 400,
	    "请从列表中选择一位专家");
	snprintf(exid, sizeof(exid), "%lld", account_id(p.ex_email));
	post(p.lead2, path, (const char *[]){ "account_id", exid, NULL }, 404,
	    NULL);
	post(p.lead, path, (const char *[]){ "account_id", exid, NULL }, 303,
	    NULL);
	assert_int_equal(tj_sql_int("SELECT count(*) FROM panel_member p JOIN "
	    "team_member t USING (case_id, account_id)"), 0);

	/* Undeclared: only the declaration, nothing of the case. */
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.ex, path, 200, "利益冲突声明");
	get_without(p.ex, path, "ZQX7");
	get_without(p.ex, path, "审查报告.pdf");
	get(p.ex_out, path, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.ex, path, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/files/%lld", id,
	    fid);
	get(p.ex, path, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert/conclusion", id);
	post(p.ex, path, (const char *[]){ "verdict", "pass", NULL }, 403,
	    "请先声明");
	snprintf(path, sizeof(path), "/cases/%lld/expert/declare", id);
	post(p.ex, path, (const char *[]){ NULL }, 400, "请勾选声明");
	post(p.ex, path, (const char *[]){ "confirm", "yes", NULL }, 303,
	    NULL);

	/* Declared: the case, and the assessment records. */
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.ex, path, 200, "ZQX7");
	get(p.ex, path, 200, "审查报告.pdf");
	get(p.lead, path, 200, "已声明无利益冲突");
	snprintf(path, sizeof(path), "/cases/%lld/assessment", id);
	get(p.ex, path, 200, "抽查三个项目的记录一致");

	/* The panel passes the case. */
	snprintf(path, sizeof(path), "/cases/%lld/expert/conclusion", id);
	post(p.ex, path, (const char *[]){ "verdict", "pass", "reasons",
	    "证据充分，结论合理。", NULL }, 303, NULL);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(p.app, path, 200, "id=\"status\">制证中");
	notice_has(p.app, id, "专家评审结论通知书", "专家评审结论：通过");
	get(p.app, path, 200, "专家评审结论：通过");	/* the timeline */
	/* Review over: the panel is fixed, a second conclusion refused. */
	snprintf(path, sizeof(path), "/cases/%lld/expert/panel", id);
	post(p.lead, path, (const char *[]){ "account_id", exid, NULL }, 409,
	    "只有在“专家评审”状态下");
	snprintf(path, sizeof(path), "/cases/%lld/expert/conclusion", id);
	post(p.ex, path, (const char *[]){ "verdict", "fail", "reasons", "x",
	    NULL }, 409, NULL);
	people_free(&p);
}

/* The other door: a case the panel fails, with reasons. */
static void
test_fail(void **state)
{
	struct people p;
	char path[160], exid[32], sql[512];
	long long id;

	id = tj_submitted_case(urls[1], "未通过测试有限公司", &p.app);
	people_new(&p, urls[1]);
	to_planning(id, account_id(p.lead_email));
	plan_and_start(&p, id);

	/* A record without a file (a urlencoded form), then a conclusion;
	 * the lead, too, may record. */
	snprintf(path, sizeof(path), "/cases/%lld/assessment/conclusion", id);
	post(p.lead, path, (const char *[]){ "verdict", "fail", "text",
	    "说明", NULL }, 400, "请先记录至少一项评估活动");
	snprintf(path, sizeof(path), "/cases/%lld/assessment/records", id);
	post(p.lead, path, (const char *[]){ "kind", "practical", "finding",
	    "渗透测试演示未能复现所述能力。", NULL }, 303, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/assessment/conclusion", id);
	post(p.as1, path, (const char *[]){ "verdict", "fail", "text",
	    "实际操作不符合要求。", NULL }, 303, NULL);
	notice_has(p.app, id, "评估结论通知书", "项目组审核结论：不通过");

	snprintf(path, sizeof(path), "/cases/%lld/expert/panel", id);
	snprintf(exid, sizeof(exid), "%lld", account_id(p.ex_email));
	post(p.lead, path, (const char *[]){ "account_id", exid, NULL }, 303,
	    NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert/declare", id);
	post(p.ex, path, (const char *[]){ "confirm", "yes", NULL }, 303,
	    NULL);

	/* A second expert declares a conflict of interest: off the panel,
	 * the lead told by e-mail. (One who declared none and finds a
	 * conflict later leaves the same way: tests/test_panel.c.) */
	snprintf(path, sizeof(path), "/cases/%lld/expert/panel", id);
	snprintf(exid, sizeof(exid), "%lld", account_id(p.ex_out_email));
	post(p.lead, path, (const char *[]){ "account_id", exid, NULL }, 303,
	    NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.ex_out, path, 200, "声明存在利益冲突并退出专家组");
	snprintf(path, sizeof(path), "/cases/%lld/expert/conflict", id);
	post(p.ex_out, path, (const char *[]){ NULL }, 200, "已退出专家组");
	post(p.ex_out, path, (const char *[]){ NULL }, 404, NULL);
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.ex_out, path, 404, NULL);
	get_without(p.lead, path, "尚未声明无利益冲突");
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM panel_member WHERE "
	    "case_id = %lld", id);
	assert_int_equal(tj_sql_int(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
	    "case_id = %lld AND to_addr = '%s' AND body LIKE '%%利益冲突%%'",
	    id, p.lead_email);
	assert_int_equal(tj_sql_int(sql), 1);

	/* Fail without reasons: 400 next to the field, nothing saved. */
	snprintf(path, sizeof(path), "/cases/%lld/expert/conclusion", id);
	post(p.ex, path, (const char *[]){ "verdict", "fail", "reasons", "",
	    NULL }, 400, "id=\"reasons-error\">评审不通过时须写明理由");
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(p.app, path, 200, "id=\"status\">专家评审");
	snprintf(path, sizeof(path), "/cases/%lld/expert/conclusion", id);
	post(p.ex, path, (const char *[]){ "verdict", "fail", "reasons",
	    "PA11 验证和确认安全的证据不充分。", NULL }, 303, NULL);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get(p.app, path, 200, "id=\"status\">未通过");
	notice_has(p.app, id, "专家评审结论通知书",
	    "PA11 验证和确认安全的证据不充分。");
	notice_has(p.app, id, "专家评审结论通知书", "申诉");
	/* Closed: nothing more. */
	snprintf(path, sizeof(path), "/cases/%lld/expert", id);
	get(p.lead, path, 200, "PA11 验证和确认安全的证据不充分。");
	get_without(p.lead, path, "提交专家评审结论</button>");
	people_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_fail),
	};

	return cmocka_run_group_tests_name("assessment and expert review",
	    tests, setup, NULL);
}
