/*
 * itest_supervise.c: supervision over HTTP, through both doors. An
 * applicant appeals a refusal (with a PDF); an appeal on a case still in
 * review is refused; a supervisor who took part in the case cannot handle
 * the appeal; another one concludes it and the applicant sees the
 * conclusion; another applicant sees nothing of it. Complaints are
 * recorded and their handling recorded; nobody but supervisors gets in.
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

#include "testlib_journey.h"

static const char *urls[2];

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
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
expect(struct http_client *c, const char *path, long status,
    const char *text)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != status)
		fail_msg("GET %s: %ld, want %ld", path, r.status, status);
	if (text != NULL && !http_body_has(&r, text))
		fail_msg("GET %s: no \"%s\" in\n%.3000s", path, text, r.body.p);
	http_resp_free(&r);
}

/* POST a form with a fresh token from the page token_from; the status
 * must be want and the body (if text) must contain text. */
static void
post(struct http_client *c, const char *token_from, const char *path,
    const char *const *kv, long want, const char *text)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, token_from), kv);

	http_post_form(c, path, body, &r);
	free(body);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.3000s", path, r.status,
		    want, r.body.p ? r.body.p : "");
	if (text != NULL && !http_body_has(&r, text))
		fail_msg("POST %s: no \"%s\" in\n%.3000s", path, text,
		    r.body.p);
	http_resp_free(&r);
}

/* POST an appeal (multipart) with one file part. */
static long
appeal(struct http_client *c, long long id, const char *text,
    const char *fname, const char *data, size_t len, struct http_resp *r)
{
	char path[64], csrf[64];
	const char *fields[] = { "csrf", csrf, "text", text, NULL };

	snprintf(path, sizeof(path), "/cases/%lld/appeal", id);
	snprintf(csrf, sizeof(csrf), "%s", tj_token(c, "/"));
	http_post_file(c, path, fields, "files", fname, data, len, r);
	return r->status;
}

static void
test_appeal(void **state)
{
	struct http_client *app, *other, *lead, *s1, *s2, *s3;
	struct http_resp r;
	char el[128], e1[128], e2[128], e3[128], sql[512], path[128],
	    apath[64], fpath[128];
	long long id, lid, s1id, s3id, aid, fid;
	int door;

	for (door = 0; door < 2; door++) {
		id = tj_submitted_case(urls[door], "上海申诉测试信息技术有限公司",
		    &app);
		other = tj_applicant(urls[door], "另一家测试单位有限公司");
		lead = tj_staff(urls[door], "lead", el, sizeof(el));
		s1 = tj_staff(urls[door], "supervisor", e1, sizeof(e1));
		s2 = tj_staff(urls[door], "supervisor", e2, sizeof(e2));
		s3 = tj_staff(urls[door], "supervisor", e3, sizeof(e3));
		lid = account_id(el);
		s1id = account_id(e1);
		s3id = account_id(e3);
		snprintf(apath, sizeof(apath), "/cases/%lld/appeal", id);

		/* Still in review: no appeal. */
		expect(app, apath, 409, "不予受理");
		assert_int_equal(appeal(app, id, "不服", "a.pdf", tj_pdf,
		    tj_pdf_len, &r), 409);
		assert_true(http_body_has(&r, "已提交"));
		http_resp_free(&r);

		/* The lead refuses it; S1 had moved it into review; S3 is
		 * on the (hypothetical) team. */
		snprintf(sql, sizeof(sql),
		    "INSERT INTO event(case_id, at, day, actor_id, from_status, "
		    "to_status, reason) VALUES (%lld, strftime('%%Y-%%m-%%dT%%H:"
		    "%%M:%%SZ', 'now'), date('now'), %lld, 'submitted', "
		    "'intake_review', ''), (%lld, strftime('%%Y-%%m-%%dT%%H:%%M:"
		    "%%SZ', 'now'), date('now'), %lld, 'intake_review', "
		    "'rejected', '基本能力不符合要求'); UPDATE cases SET status = "
		    "'rejected', lead_id = %lld WHERE id = %lld; INSERT INTO "
		    "team_member(case_id, account_id) VALUES (%lld, %lld)",
		    id, s1id, id, lid, lid, id, id, s3id);
		tj_sql(sql);

		/* The form; bad input refused with the message in place,
		 * nothing saved. */
		expect(app, apath, 200, "提出申诉");
		assert_int_equal(appeal(app, id, "  ", "", "", 0, &r), 400);
		assert_true(http_body_has(&r, "请填写申诉内容"));
		http_resp_free(&r);
		assert_int_equal(appeal(app, id, "理由", "note.pdf",
		    "just some text", 14, &r), 400);
		assert_true(http_body_has(&r, "note.pdf"));
		assert_true(http_body_has(&r, "理由"));	/* kept */
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE "
		    "case_id = %lld", id);
		assert_int_equal(tj_sql_int(sql), 0);

		/* The appeal, with a PDF. */
		assert_int_equal(appeal(app, id, "我单位对不予受理的结论有异议："
		    "项目材料齐全。", "证明材料.pdf", tj_pdf, tj_pdf_len, &r), 303);
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT max(id) FROM appeal WHERE "
		    "case_id = %lld", id);
		aid = tj_sql_int(sql);
		snprintf(sql, sizeof(sql), "SELECT rowid FROM appeal_file WHERE "
		    "appeal_id = %lld", aid);
		fid = tj_sql_int(sql);
		assert_true(aid > 0 && fid > 0);
		expect(app, apath, 200, "待办理");
		expect(app, apath, 200, "证明材料.pdf");
		/* One open appeal at a time. */
		assert_int_equal(appeal(app, id, "再次申诉", "a.pdf", tj_pdf,
		    tj_pdf_len, &r), 409);
		assert_true(http_body_has(&r, "正在办理"));
		http_resp_free(&r);

		/* Another applicant: nothing of it exists. */
		snprintf(fpath, sizeof(fpath), "/appeals/%lld/files/%lld", aid,
		    fid);
		expect(other, apath, 404, NULL);
		expect(other, fpath, 404, NULL);
		assert_int_equal(appeal(other, id, "x", "a.pdf", tj_pdf,
		    tj_pdf_len, &r), 404);
		http_resp_free(&r);

		/* Only supervisors reach the appeals. */
		snprintf(path, sizeof(path), "/appeals/%lld", aid);
		expect(app, "/appeals", 403, NULL);
		expect(app, path, 403, NULL);
		expect(lead, "/appeals", 403, NULL);
		expect(lead, path, 403, NULL);
		expect(lead, fpath, 403, NULL);

		/* S1 took part in the case: sees it, cannot handle it. */
		expect(s1, "/appeals", 200, "上海申诉测试信息技术有限公司");
		expect(s1, path, 200, "按回避要求");
		snprintf(path, sizeof(path), "/appeals/%lld/take", aid);
		post(s1, "/appeals", path, (const char *const[]){ NULL }, 403,
		    "办理记录中出现过");
		snprintf(path, sizeof(path), "/appeals/%lld/conclude", aid);
		post(s1, "/appeals", path, (const char *const[]){ "upheld",
		    "1", "conclusion", "成立", NULL }, 403, "按回避要求");
		/* S3 is on the case's team. */
		post(s3, "/appeals", path, (const char *const[]){ "upheld",
		    "1", "conclusion", "成立", NULL }, 403, "评估组");

		/* S2 takes it and concludes. */
		snprintf(path, sizeof(path), "/appeals/%lld", aid);
		expect(s2, path, 200, "由我办理");
		expect(s2, path, 200, "基本能力不符合要求");	/* the timeline */
		expect(s2, path, 200, "项目负责人重新进行受理审查");
		expect(s2, fpath, 200, NULL);
		snprintf(path, sizeof(path), "/appeals/%lld/take", aid);
		post(s2, "/appeals", path, (const char *const[]){ NULL }, 303,
		    NULL);
		snprintf(path, sizeof(path), "/appeals/%lld/conclude", aid);
		post(s2, "/appeals", path, (const char *const[]){ "conclusion",
		    "", NULL }, 400, "请选择申诉是否成立");
		post(s2, "/appeals", path, (const char *const[]){ "upheld", "0",
		    "conclusion", "经调查，受理审查意见依据充分，申诉不成立。",
		    NULL }, 303, NULL);
		post(s2, "/appeals", path, (const char *const[]){ "upheld", "1",
		    "conclusion", "改判", NULL }, 409, "已办结");
		snprintf(sql, sizeof(sql), "SELECT upheld FROM appeal WHERE id "
		    "= %lld", aid);
		assert_int_equal(tj_sql_int(sql), 0);
		expect(s2, "/appeals", 200, "申诉不成立");

		/* The applicant sees the conclusion and gets its file. */
		expect(app, apath, 200, "申诉不成立");
		expect(app, apath, 200, "依据充分");
		http_get(app, fpath, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body.n, tj_pdf_len);
		assert_memory_equal(r.body.p, tj_pdf, tj_pdf_len);
		assert_non_null(strstr(http_header(&r, "Content-Type"),
		    "application/pdf"));
		http_resp_free(&r);
		/* A new appeal may follow a concluded one. */
		expect(app, apath, 200, "提出申诉");

		http_client_free(app);
		http_client_free(other);
		http_client_free(lead);
		http_client_free(s1);
		http_client_free(s2);
		http_client_free(s3);
	}
}

static void
test_complaints(void **state)
{
	struct http_client *sup, *lead, *app;
	struct http_resp r;
	char es[128], el[128], sql[768], path[96], org[32], *body;
	const char *loc;
	long long cid, sid, orgid, caseid, batch;
	int door;

	for (door = 0; door < 2; door++) {
		sup = tj_staff(urls[door], "supervisor", es, sizeof(es));
		lead = tj_staff(urls[door], "lead", el, sizeof(el));
		app = tj_applicant(urls[door], "投诉测试申请单位");
		sid = account_id(es);

		/* Nobody else gets in. */
		expect(app, "/complaints", 403, NULL);
		expect(lead, "/complaints", 403, NULL);
		post(lead, "/", "/complaints", (const char *const[]){
		    "complainant", "x", NULL }, 403, NULL);

		/* Bad input: messages next to the fields, nothing saved. */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM complaint");
		cid = tj_sql_int(sql);
		post(sup, "/complaints", "/complaints", (const char *const[]){
		    "org_name", "", "complainant", "", "text", "",
		    "received_on", "2999-01-01", NULL }, 400, "不能晚于今天");
		post(sup, "/complaints", "/complaints", (const char *const[]){
		    "org_name", "", "complainant", "张三", "text", "内容",
		    "received_on", "2025-01-01", NULL }, 400,
		    "请选择被投诉的获证单位");
		assert_int_equal(tj_sql_int(sql), cid);

		/* Recorded against a typed name. */
		body = tj_form(tj_token(sup, "/complaints"), (const char *const[]){
		    "org_id", "", "org_name", "被投诉的某某安全公司",
		    "complainant", "王五 13800000000", "text",
		    "项目交付后未按合同提供服务。", "received_on", "2025-03-01",
		    NULL });
		http_post_form(sup, "/complaints", body, &r);
		free(body);
		assert_int_equal(r.status, 303);
		loc = http_header(&r, "Location");
		assert_non_null(loc);
		assert_non_null(strstr(loc, "/complaints/"));
		cid = strtoll(strstr(loc, "/complaints/") + 12, NULL, 10);
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/complaints/%lld?recorded=1",
		    cid);
		expect(sup, path, 200, "投诉已登记");
		expect(sup, path, 200, "未按合同提供服务");
		expect(sup, "/complaints?state=open", 200, "被投诉的某某安全公司");

		/* Its handling. */
		snprintf(path, sizeof(path), "/complaints/%lld/handle", cid);
		post(sup, "/complaints", path, (const char *const[]){
		    "handling", " ", NULL }, 400, "请填写处理情况");
		post(sup, "/complaints", path, (const char *const[]){
		    "handling", "已约谈该单位，责令整改。", NULL }, 303, NULL);
		post(sup, "/complaints", path, (const char *const[]){
		    "handling", "again", NULL }, 409, "已经登记");
		snprintf(path, sizeof(path), "/complaints/%lld", cid);
		expect(sup, path, 200, "责令整改");
		snprintf(sql, sizeof(sql), "SELECT handled_by FROM complaint "
		    "WHERE id = %lld", cid);
		assert_int_equal(tj_sql_int(sql), sid);
		expect(sup, "/complaints?state=handled", 200,
		    "被投诉的某某安全公司");
		http_get(sup, "/complaints?state=open", &r);
		assert_false(http_body_has(&r, "被投诉的某某安全公司"));
		http_resp_free(&r);

		/* Recorded against a certified organisation, picked. */
		if (door == 0) {
			caseid = tj_new_case(app);
			snprintf(sql, sizeof(sql), "SELECT org_id FROM cases "
			    "WHERE id = %lld", caseid);
			orgid = tj_sql_int(sql);
			snprintf(sql, sizeof(sql), "INSERT INTO cert_batch("
			    "created_by, created_at) VALUES (%lld, '2025-01-01T"
			    "00:00:00Z'); INSERT INTO certificate(no, case_id, "
			    "org_id, org_name, uscc, issued_on, expires_on, "
			    "batch_id) SELECT 'TEST-SUPERVISE-%lld', %lld, %lld, "
			    "'获证的投诉测试单位', '91350100M000100Y43', "
			    "'2025-01-01', '2027-12-31', max(id) FROM cert_batch",
			    sid, caseid, caseid, orgid);
			tj_sql(sql);
			expect(sup, "/complaints", 200, "获证的投诉测试单位");
			snprintf(org, sizeof(org), "%lld", orgid);
			post(sup, "/complaints", "/complaints",
			    (const char *const[]){ "org_id", org, "org_name", "",
			    "complainant", "赵六", "text", "虚假宣传。",
			    "received_on", "2025-04-01", NULL }, 303, NULL);
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM "
			    "complaint WHERE org_id = %lld AND org_name = "
			    "'获证的投诉测试单位'", orgid);
			assert_int_equal(tj_sql_int(sql), 1);
			/* The certificate and its batch go again: other
			 * tests count the public list and the batches. */
			snprintf(sql, sizeof(sql), "SELECT batch_id FROM "
			    "certificate WHERE no = 'TEST-SUPERVISE-%lld'",
			    caseid);
			batch = tj_sql_int(sql);
			snprintf(sql, sizeof(sql), "DELETE FROM certificate "
			    "WHERE no = 'TEST-SUPERVISE-%lld'; DELETE FROM "
			    "cert_batch WHERE id = %lld", caseid, batch);
			tj_sql(sql);
		}
		http_client_free(sup);
		http_client_free(lead);
		http_client_free(app);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appeal),
		cmocka_unit_test(test_complaints),
	};

	return cmocka_run_group_tests_name("supervision (both doors)", tests,
	    setup, NULL);
}
