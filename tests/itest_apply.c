/*
 * itest_apply.c: the applicant's journey over HTTP, through both doors:
 * register, start an application, see what is missing, fill every
 * section, upload what the check page asks for, submit, and find the
 * case number, receipt, status and clock. Bad input is refused with
 * nothing saved (an image where only a PDF is accepted too); another
 * applicant gets 404 for everything of the case; the materials of a
 * submitted case can be neither added to, replaced nor removed; staff
 * see a case only as the access policy lets them (404 otherwise), and
 * only the parts it grants.
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

#include "files.h"
#include "rules.h"
#include "testlib_journey.h"

static const char *urls[2];


static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
}

static void
test_journey(void **state)
{
	struct http_client *c, *other;
	struct http_resp r;
	struct tj_dates d;
	char path[160], body[256], *mat, *notice;
	const char *p;
	long long id, mid, nid;
	int door, uploaded, i;

	tj_dates(&d);
	for (door = 0; door < 2; door++) {
		c = tj_applicant(urls[door], "北京某某信息安全技术有限公司");
		id = tj_new_case(c);

		/* Nothing filled: the check page lists what is missing,
		 * with no submit button, and submitting is refused. */
		snprintf(path, sizeof(path), "/cases/%lld/check", id);
		http_get(c, path, &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "暂不能提交"));
		assert_true(http_body_has(&r, "统一社会信用代码"));
		assert_true(http_body_has(&r, "盖章"));
		assert_false(http_body_has(&r, "正式提交申请</button>"));
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/cases/%lld/submit", id);
		snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
		    tj_token(c, "/cases"));
		http_post_form(c, path, body, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "暂不能提交"));
		http_resp_free(&r);

		tj_fill_form(c, id, &d);
		uploaded = tj_upload_missing(c, id);
		assert_true(uploaded >= 10);
		/* Everything done: nothing missing any more. */
		assert_int_equal(tj_upload_missing(c, id), 0);
		snprintf(path, sizeof(path), "/cases/%lld/check", id);
		http_get(c, path, &r);
		assert_true(http_body_has(&r, "均已完成"));
		assert_true(http_body_has(&r, "87,000.00"));
		/* The applicant's figures, from the stored 分: 10,000,000 元
		 * registered capital, 5,000,000 元 assets, 2,300,000 元 of
		 * projects (once shown 100 times too large). */
		assert_true(http_body_has(&r, "1000万元"));
		assert_true(http_body_has(&r, "500万元"));
		assert_true(http_body_has(&r, "230万元"));
		assert_true(http_body_has(&r, "符合"));
		http_resp_free(&r);

		/* Submit: case number, receipt, status, clock, next step. */
		snprintf(path, sizeof(path), "/cases/%lld/submit", id);
		snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
		    tj_token(c, "/cases"));
		http_post_form(c, path, body, &r);
		if (r.status != 303)
			fail_msg("submit: %ld %.2000s", r.status, r.body.p);
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/cases/%lld", id);
		http_get(c, path, &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "SE2-"));
		assert_true(http_body_has(&r, "已提交"));
		assert_true(http_body_has(&r, "收件凭证"));
		assert_true(http_body_has(&r, "id=\"clock\""));
		assert_true(http_body_has(&r, "已计周期"));
		assert_true(http_body_has(&r, "项目负责人开始受理审查"));
		assert_true(http_body_has(&r, "正式提交申请"));
		p = strstr(r.body.p, "/notices/");
		assert_non_null(p);
		nid = strtoll(p + 9, NULL, 10);
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/cases/%lld/notices/%lld", id,
		    nid);
		http_get(c, path, &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "SHA-256"));
		assert_true(http_body_has(&r, "第 1 轮"));
		http_resp_free(&r);
		notice = xstrdup(path);

		/* A submitted application cannot be changed. */
		snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
		snprintf(body, sizeof(body), "csrf=%s&profile=x",
		    tj_token(c, "/cases"));
		http_post_form(c, path, body, &r);
		assert_int_equal(r.status, 409);
		http_resp_free(&r);

		/* A file downloads byte-identical, as an attachment. */
		snprintf(path, sizeof(path), "/cases/%lld/materials", id);
		http_get(c, path, &r);
		snprintf(body, sizeof(body), "/cases/%lld/materials/", id);
		p = strstr(r.body.p, body);
		assert_non_null(p);
		mid = strtoll(p + strlen(body), NULL, 10);
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/cases/%lld/materials/%lld", id,
		    mid);
		http_get(c, path, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body.n, tj_pdf_len);
		assert_memory_equal(r.body.p, tj_pdf, tj_pdf_len);
		assert_string_equal(r.content_type, "application/pdf");
		assert_non_null(strstr(http_header(&r, "Content-Disposition"),
		    "attachment;"));
		assert_string_equal(http_header(&r, "X-Content-Type-Options"),
		    "nosniff");
		http_resp_free(&r);
		mat = xstrdup(path);

		/* Another applicant: 404 for every URL of the case, and for
		 * neighbouring ids too. */
		other = tj_applicant(urls[door], "另一家公司");
		{
			const char *urls_of_case[] = { "", "/form/s1",
			    "/materials", "/check", "/withdraw" };
			size_t k;

			for (k = 0; k < sizeof(urls_of_case) /
			    sizeof(urls_of_case[0]); k++) {
				snprintf(path, sizeof(path), "/cases/%lld%s",
				    id, urls_of_case[k]);
				http_get(other, path, &r);
				if (r.status != 404)
					fail_msg("other applicant %s: %ld",
					    path, r.status);
				http_resp_free(&r);
			}
		}
		http_get(other, mat, &r);
		assert_int_equal(r.status, 404);
		http_resp_free(&r);
		http_get(other, notice, &r);
		assert_int_equal(r.status, 404);
		http_resp_free(&r);
		for (i = -3; i <= 3; i++) {
			snprintf(path, sizeof(path), "/cases/%lld", id + i);
			http_get(other, path, &r);
			assert_int_equal(r.status, 404);
			http_resp_free(&r);
			snprintf(path, sizeof(path),
			    "/cases/%lld/materials/%lld", id, mid + i);
			http_get(other, path, &r);
			assert_int_equal(r.status, 404);
			http_resp_free(&r);
		}
		/* And cannot post into it either. */
		snprintf(path, sizeof(path), "/cases/%lld/withdraw", id);
		snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
		    tj_token(other, "/cases"));
		http_post_form(other, path, body, &r);
		assert_int_equal(r.status, 404);
		http_resp_free(&r);
		free(mat);
		free(notice);
		http_client_free(other);
		http_client_free(c);
	}
}

/* One bad value: refused with its message next to the field; nothing
 * of that POST saved. */
static void
expect_refused(struct http_client *c, long long id, const char *section,
    const char *const *kv, const char *anchor, const char *phrase)
{
	struct http_resp r;
	char path[96], *body;

	snprintf(path, sizeof(path), "/cases/%lld/form/%s", id, section);
	body = tj_form(tj_token(c, path), kv);
	http_post_form(c, path, body, &r);
	if (r.status != 400)
		fail_msg("%s %s: %ld, want 400", section, kv[0], r.status);
	if (!http_body_has(&r, anchor) || !http_body_has(&r, phrase))
		fail_msg("%s: no \"%s\" / \"%s\" in the page", kv[0], anchor,
		    phrase);
	/* What was typed stays. */
	if (!http_body_has(&r, kv[1]))
		fail_msg("%s: the typed value is gone", kv[0]);
	http_resp_free(&r);
	free(body);
}

static void
test_bad_input(void **state)
{
	struct http_client *c;
	struct http_resp r;
	struct tj_dates d;
	char path[128], body[256], *big;
	const char *fields[8];
	long long id;
	int door;
	size_t limit = strtoul(getenv("ZIZHI_MAX_FILE"), NULL, 10);
	const char *bad_uscc[] = { "uscc", "91110108MA01C2XK30",
		"org_name", "某公司", NULL };
	const char *neg[] = { "reg_capital", "-100", "org_name", "某公司",
		NULL };
	const char *nonnum[] = { "reg_capital", "一百万", NULL };
	const char *dates_bad[8 * 2 + 1];

	tj_dates(&d);
	for (door = 0; door < 2; door++) {
		c = tj_applicant(urls[door], "测试输入有限公司");
		id = tj_new_case(c);
		expect_refused(c, id, "s1", bad_uscc, "href=\"#uscc\"",
		    "校验位");
		expect_refused(c, id, "s1", neg, "href=\"#reg_capital\"",
		    "负数");
		expect_refused(c, id, "s1", nonnum, "href=\"#reg_capital\"",
		    "请");
		/* A project ending before it starts. */
		dates_bad[0] = "projects._rows"; dates_bad[1] = "1";
		dates_bad[2] = "proj_name.0"; dates_bad[3] = "项目甲";
		dates_bad[4] = "proj_start.0"; dates_bad[5] = d.recent;
		dates_bad[6] = "proj_end.0"; dates_bad[7] = d.past;
		dates_bad[8] = "proj_value.0"; dates_bad[9] = "100000";
		dates_bad[10] = NULL;
		expect_refused(c, id, "s8", dates_bad, "href=\"#proj_end-0\"",
		    "结束");
		/* Nothing of those posts was saved. */
		snprintf(path, sizeof(path), "/cases/%lld/form/s1", id);
		http_get(c, path, &r);
		assert_false(http_body_has(&r, "某公司"));
		http_resp_free(&r);
		snprintf(path, sizeof(path), "/cases/%lld/form/s8", id);
		http_get(c, path, &r);
		assert_false(http_body_has(&r, "项目甲"));
		http_resp_free(&r);

		/* A .pdf that is not a PDF; a file over the limit. */
		fields[0] = "csrf";
		snprintf(path, sizeof(path), "/cases/%lld/materials", id);
		fields[1] = tj_token(c, path);
		fields[2] = "kind";
		fields[3] = "business_licence";
		fields[4] = "row";
		fields[5] = "-1";
		fields[6] = NULL;
		http_post_file(c, path, fields, "file", "licence.pdf",
		    "just some text, not a PDF\n", 26, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "不是有效的 PDF 文件"));
		http_resp_free(&r);
		big = xmalloc(limit + 100);
		memcpy(big, tj_pdf, tj_pdf_len);
		memset(big + tj_pdf_len, ' ', limit + 100 - tj_pdf_len);
		memcpy(big + limit + 100 - 7, "%%EOF\n", 6);
		fields[1] = tj_token(c, path);
		http_post_file(c, path, fields, "file", "big.pdf", big,
		    limit + 99, &r);
		assert_int_equal(r.status, 413);
		assert_true(http_body_has(&r, "超过了每个文件"));
		http_resp_free(&r);
		free(big);
		http_get(c, path, &r);
		assert_false(http_body_has(&r, "licence.pdf"));
		assert_false(http_body_has(&r, "big.pdf"));
		http_resp_free(&r);

		/* A valid JPEG where only a PDF is accepted (the sealed
		 * 申请书) is refused, and taken where images are. */
		assert_int_equal(files_sniff(tj_jpeg, tj_jpeg_len), FILES_JPEG);
		fields[1] = tj_token(c, path);
		fields[3] = "sealed_form";
		http_post_file(c, path, fields, "file", "盖章申请书.jpg", tj_jpeg,
		    tj_jpeg_len, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "此项材料只接受 PDF 格式的文件"));
		assert_true(http_body_has(&r,
		    "文件“盖章申请书.jpg”是 JPEG 格式"));
		http_resp_free(&r);
		snprintf(body, sizeof(body), "SELECT count(*) FROM material "
		    "WHERE case_id = %lld AND kind = 'sealed_form'", id);
		assert_int_equal(tj_sql_int(body), 0);
		fields[1] = tj_token(c, path);
		fields[3] = "lawful_proof";
		http_post_file(c, path, fields, "file", "证明.jpg", tj_jpeg,
		    tj_jpeg_len, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		snprintf(body, sizeof(body), "SELECT count(*) FROM material "
		    "WHERE case_id = %lld AND kind = 'lawful_proof' AND mime = "
		    "'image/jpeg'", id);
		assert_int_equal(tj_sql_int(body), 1);
		fields[3] = "business_licence";

		/* The same file twice to the same place (a retry after a
		 * lost answer) is one upload, not two. */
		{
			char q[160];
			int k;

			fields[5] = "-1";
			for (k = 0; k < 2; k++) {
				fields[1] = tj_token(c, path);
				http_post_file(c, path, fields, "file",
				    "licence.pdf", tj_pdf, tj_pdf_len, &r);
				assert_int_equal(r.status, 303);
				http_resp_free(&r);
			}
			snprintf(q, sizeof(q), "SELECT count(*) FROM material "
			    "WHERE case_id = %lld AND kind = 'business_licence' "
			    "AND state = 'current'", id);
			assert_int_equal(tj_sql_int(q), 1);
		}

		/* A POST without a valid token. */
		snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
		http_post_form(c, path, "profile=x", &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		snprintf(body, sizeof(body), "csrf=%s", "A" "AAAAAAAAAAAAAAAAAA"
		    "AAAAAAAAAAAAAAAAAAAAAAAA");
		http_post_form(c, "/cases", body, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		http_client_free(c);
	}
}

/* Rows: add and remove without JavaScript; a removed row goes with its
 * file. */
static void
test_rows(void **state)
{
	struct http_client *c;
	struct http_resp r;
	char path[128], *body;
	long long id;
	const char *add[] = { "awards._rows", "1", "aw_name.0", "奖项甲",
		"add", "awards", NULL };
	const char *two[] = { "awards._rows", "2", "aw_name.0", "奖项甲",
		"aw_name.1", "奖项乙", "_orig", "", NULL };

	c = tj_applicant(urls[0], "行测试有限公司");
	id = tj_new_case(c);
	snprintf(path, sizeof(path), "/cases/%lld/form/s9", id);
	body = tj_form(tj_token(c, path), add);
	http_post_form(c, path, body, &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "name=\"aw_name.1\""));
	assert_true(http_body_has(&r, "value=\"奖项甲\""));
	http_resp_free(&r);
	free(body);
	tj_post(c, path, two, 303);
	http_get(c, path, &r);
	assert_true(http_body_has(&r, "奖项乙"));
	http_resp_free(&r);
	http_client_free(c);
}

/* Counts of the case's material rows: all of them, and the current. */
static void
material_counts(long long id, long long n[2])
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM material WHERE "
	    "case_id = %lld", id);
	n[0] = tj_sql_int(sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM material WHERE "
	    "case_id = %lld AND state = 'current'", id);
	n[1] = tj_sql_int(sql);
}

/* Materials are frozen with the submission: an upload, a replace and a
 * removal are refused (409) and change no row. */
static void
test_materials_frozen(void **state)
{
	struct http_client *c;
	struct http_resp r;
	char path[128], mid[32], body[160];
	const char *fields[10];
	long long id, before[2], after[2];
	int door;
	/* Bytes no material of the case has: a new file. */
	static const char other[] = "%PDF-1.4\n% 提交后上传\n%%EOF\n";

	for (door = 0; door < 2; door++) {
		id = tj_submitted_case(urls[door], "材料冻结测试有限公司", &c);
		snprintf(body, sizeof(body), "SELECT status FROM cases WHERE "
		    "id = %lld", id);
		{
			char *st = tj_sql_text(body);

			assert_string_equal(st, "submitted");
			free(st);
		}
		snprintf(body, sizeof(body), "SELECT min(id) FROM material "
		    "WHERE case_id = %lld AND kind = 'org_chart' AND state = "
		    "'current'", id);
		assert_true(tj_sql_int(body) > 0);
		snprintf(mid, sizeof(mid), "%lld", tj_sql_int(body));
		material_counts(id, before);
		assert_true(before[1] >= 10);
		snprintf(path, sizeof(path), "/cases/%lld/materials", id);
		fields[0] = "csrf";
		fields[2] = "kind";
		fields[3] = "org_chart";
		fields[4] = "row";
		fields[5] = "-1";
		fields[6] = NULL;

		/* An upload (org_chart takes up to 3 files). */
		fields[1] = tj_token(c, path);
		http_post_file(c, path, fields, "file", "新组织机构图.pdf",
		    other, sizeof(other) - 1, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "申请已提交，当前不能修改材料"));
		http_resp_free(&r);
		/* A replacement. */
		fields[1] = tj_token(c, path);
		fields[6] = "replace";
		fields[7] = mid;
		fields[8] = NULL;
		http_post_file(c, path, fields, "file", "新组织机构图.pdf",
		    other, sizeof(other) - 1, &r);
		assert_int_equal(r.status, 409);
		http_resp_free(&r);
		/* A removal. */
		snprintf(path, sizeof(path), "/cases/%lld/materials/%s/remove",
		    id, mid);
		snprintf(body, sizeof(body), "csrf=%s&confirm=1", tj_token(c,
		    "/cases"));
		http_post_form(c, path, body, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "此文件当前不能删除"));
		http_resp_free(&r);

		material_counts(id, after);
		assert_int_equal(after[0], before[0]);
		assert_int_equal(after[1], before[1]);
		/* The page offers none of it. */
		snprintf(path, sizeof(path), "/cases/%lld/materials", id);
		http_get(c, path, &r);
		assert_int_equal(r.status, 200);
		assert_false(http_body_has(&r, "/remove\""));
		assert_false(http_body_has(&r, "name=\"replace\""));
		http_resp_free(&r);
		http_client_free(c);
	}
}

/* GET path as c: the status must be want. */
static void
expect_status(struct http_client *c, const char *who, const char *path,
    long want)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != want)
		fail_msg("%s GET %s: %ld, want %ld", who, path, r.status, want);
	http_resp_free(&r);
}

/* Staff with no relation to a case, or a draft, get 404 for every URL
 * of it: an expert not on the panel, one on it who has not declared, an
 * assessor not on the team, certificate staff before their stages, a
 * supervisor with nothing to supervise (but the case page of an open
 * case), the administrator before the case is closed. A lead sees a submitted case nobody has taken; an
 * expert who declared no conflict sees the application and materials
 * but not the notices or the timeline. */
static void
test_access(void **state)
{
	static const char *const roles[] = { "expert", "expert", "assessor",
	    "cert_staff", "supervisor", "admin" };
	struct http_client *app, *staff[6], *lead, *declared;
	struct http_resp r;
	char email[128], sql[512], paths[6][96], dpaths[3][96];
	const char *const tails[] = { "", "/form/s1", "/materials" };
	long long id, draft, mid, nid;
	int door, i, k;

	for (door = 0; door < 2; door++) {
		id = tj_submitted_case(urls[door], "访问控制测试有限公司", &app);
		draft = tj_new_case(app);
		snprintf(sql, sizeof(sql), "SELECT min(id) FROM material WHERE "
		    "case_id = %lld", id);
		mid = tj_sql_int(sql);
		snprintf(sql, sizeof(sql), "SELECT min(id) FROM notice WHERE "
		    "case_id = %lld", id);
		nid = tj_sql_int(sql);
		for (k = 0; k < 3; k++) {
			snprintf(paths[k], sizeof(paths[k]), "/cases/%lld%s",
			    id, tails[k]);
			snprintf(dpaths[k], sizeof(dpaths[k]), "/cases/%lld%s",
			    draft, tails[k]);
		}
		snprintf(paths[3], sizeof(paths[3]), "/cases/%lld/materials/"
		    "%lld", id, mid);
		snprintf(paths[4], sizeof(paths[4]), "/cases/%lld/notices/%lld",
		    id, nid);
		snprintf(paths[5], sizeof(paths[5]), "/cases/%lld/notices/%lld"
		    "/pdf", id, nid);
		lead = tj_staff(urls[door], "lead", email, sizeof(email));
		for (i = 0; i < 6; i++) {
			staff[i] = tj_staff(urls[door], roles[i], email,
			    sizeof(email));
			/* The second expert: on the panel, not declared. */
			if (i == 1) {
				snprintf(sql, sizeof(sql), "INSERT INTO "
				    "panel_member(case_id, account_id, added_by) "
				    "SELECT %lld, a.id, a.id FROM account a WHERE "
				    "a.email = '%s'", id, email);
				tj_sql(sql);
			}
		}
		declared = tj_staff(urls[door], "expert", email, sizeof(email));
		snprintf(sql, sizeof(sql), "INSERT INTO panel_member(case_id, "
		    "account_id, added_by, declared_at) SELECT %lld, a.id, a.id, "
		    "'2026-01-01T00:00:00Z' FROM account a WHERE a.email = '%s'",
		    id, email);
		tj_sql(sql);

		for (i = 0; i < 6; i++) {
			/* A supervisor sees the page of any open case (its
			 * lead and timeline, to reassign it: issue 19, item
			 * 3), nothing more. */
			for (k = 0; k < 6; k++)
				expect_status(staff[i], roles[i], paths[k],
				    i == 4 && k == 0 ? 200 : 404);
			for (k = 0; k < 3; k++)
				expect_status(staff[i], roles[i], dpaths[k], 404);
		}
		/* The intake pool: a submitted case nobody has taken. */
		for (k = 0; k < 6; k++)
			expect_status(lead, "lead", paths[k], 200);
		for (k = 0; k < 3; k++)
			expect_status(lead, "lead", dpaths[k], 404);
		/* On the panel, declared: the evidence, not the notices. */
		for (k = 0; k < 4; k++)
			expect_status(declared, "declared expert", paths[k],
			    200);
		expect_status(declared, "declared expert", paths[4], 404);
		expect_status(declared, "declared expert", paths[5], 404);
		http_get(declared, paths[0], &r);
		assert_false(http_body_has(&r, "收件凭证"));
		assert_false(http_body_has(&r, "正式提交申请"));
		http_resp_free(&r);
		/* The applicant sees both. */
		http_get(app, paths[0], &r);
		assert_true(http_body_has(&r, "收件凭证"));
		assert_true(http_body_has(&r, "正式提交申请"));
		http_resp_free(&r);

		for (i = 0; i < 6; i++)
			http_client_free(staff[i]);
		http_client_free(lead);
		http_client_free(declared);
		http_client_free(app);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journey),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_materials_frozen),
		cmocka_unit_test(test_access),
	};

	return cmocka_run_group_tests_name("applicant journey (both doors)",
	    tests, setup, NULL);
}
