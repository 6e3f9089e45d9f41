/*
 * test_forms_pages.c: issue 17, "forms a person can finish", page by
 * page through the application in this process (app_handle on a
 * temporary database, no server): what a new applicant or lead met and
 * what they now see. Each test names the item of the issue it covers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "testlib_http.h"
#include "testlib_journey.h"
#include "testlib_store.h"

static char dir[] = "/tmp/zizhi-forms-XXXXXX";
static struct store *db;

static int
setup(void **state)
{
	char path[300];

	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	setenv("ZIZHI_DB", path, 1);
	return 0;
}

static int
teardown(void **state)
{
	http_inproc_close();
	ts_close(db, dir);
	return 0;
}

static void
must_have(const struct http_resp *r, const char *s, const char *what)
{
	if (!http_body_has(r, s))
		fail_msg("%s: \"%s\" is not on the page (status %ld): %.2000s",
		    what, s, r->status, r->body.p ? r->body.p : "");
}

static void
must_not(const struct http_resp *r, const char *s, const char *what)
{
	if (http_body_has(r, s))
		fail_msg("%s: \"%s\" should not be on the page", what, s);
}

/* POST kv (NULL-terminated pairs) with path's token; the response. */
static void
post(struct http_client *c, const char *path, const char *const *kv,
    struct http_resp *r)
{
	char *form = tj_form(tj_token(c, path), kv);

	http_post_form(c, path, form, r);
	free(form);
}

/* Defect: patents and copyrights were headed by their code
 * ("专利或著作权：software"); CISP slots were offered for staff without a
 * CISP number. */
static void
test_material_slots(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "槽位测试有限公司");
	long long id = tj_new_case(c);
	struct http_resp r;
	char path[128], s4[128];
	static const char *const ip[] = { "ip._rows", "1", "ip_kind.0",
	    "software", "ip_name.0", "安全评估系统V1.0", "ip_no.0",
	    "2020SR123456", "ip_date.0", "2020-05-20", "save", "1", NULL };
	static const char *const roster[] = { "roster._rows", "2",
	    "st_name.0", "赵敏", "st_cisp_no.0", "CISP-1", "st_name.1", "钱程",
	    "save", "1", NULL };

	snprintf(path, sizeof(path), "/cases/%lld/form/s5", id);
	post(c, path, ip, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	snprintf(s4, sizeof(s4), "/cases/%lld/form/s4", id);
	post(c, s4, roster, &r);
	http_resp_free(&r);

	snprintf(path, sizeof(path), "/cases/%lld/materials?s=s5", id);
	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	must_not(&r, "：software", "materials, patents");
	must_have(&r, "专利或著作权：计算机软件著作权“安全评估系统V1.0”",
	    "materials, patents");
	http_resp_free(&r);

	snprintf(path, sizeof(path), "/cases/%lld/materials?s=s4", id);
	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	if (r.status == 200 && !http_body_has(&r, "id=\"m-cisp_cert-0\""))
		fail_msg("no CISP slot for the person with a CISP number");
	/* Row 1 may not have been saved at all (the save refuses a row
	 * without its required fields); either way no slot for it. */
	must_not(&r, "id=\"m-cisp_cert-1\"", "materials, CISP of a person without one");
	http_resp_free(&r);
	http_client_free(c);
}

/* Friction: 2026/3/1, 1,000万, a website without http:// were refused;
 * now accepted, stored normalised, and what was understood is shown. */
static void
test_understood(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "理解测试有限公司");
	long long id = tj_new_case(c);
	struct http_resp r;
	char path[128];
	const char *loc;
	static const char *const s1[] = { "founded", "2015/6/1",
	    "biz_start", "2016年1月15日", "reg_capital", "1,000万",
	    "website", "www.changcheng.example", "save", "1", NULL };

	snprintf(path, sizeof(path), "/cases/%lld/form/s1", id);
	post(c, path, s1, &r);
	assert_int_equal(r.status, 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "understood="));
	{
		char *to = strdup(loc);

		http_resp_free(&r);
		http_get(c, to, &r);
		free(to);
	}
	assert_int_equal(r.status, 200);
	must_have(&r, "value=\"2015-06-01\"", "s1 founded stored");
	must_have(&r, "已理解为 2015年6月1日", "s1 founded understood");
	must_have(&r, "已理解为 10,000,000 元", "s1 capital understood");
	must_have(&r, "已理解为 http://www.changcheng.example", "s1 website");
	http_resp_free(&r);
	assert_int_equal(tj_sql_int("SELECT value FROM form_value WHERE "
	    "field = 'reg_capital'"), 1000000000LL);
	http_client_free(c);
}

/* Friction: cross-field checks ran only after the format errors were
 * fixed (two rounds); a refused value must stay in its field. */
static void
test_one_round(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "一轮测试有限公司");
	long long id = tj_new_case(c);
	struct http_resp r;
	char path[128];
	static const char *const s3[] = { "finance._rows", "3",
	    "fin_year.0", "2023", "fin_total_assets.0", "1000000",
	    "fin_net_assets.0", "2000000",	/* above total: cross-field */
	    "fin_year.1", "2024", "fin_revenue.1", "一百万",	/* format */
	    "save", "1", NULL };

	snprintf(path, sizeof(path), "/cases/%lld/form/s3", id);
	post(c, path, s3, &r);
	assert_int_equal(r.status, 400);
	must_have(&r, "value=\"一百万\"", "refused value kept");
	must_have(&r, "净资产", "the cross-field error in the same round");
	must_have(&r, "aria-invalid=\"true\"", "aria-invalid on the field");
	must_have(&r, "tabindex=\"-1\" autofocus", "the summary takes the focus");
	http_resp_free(&r);
	http_client_free(c);
}

/* Defect: the session ended while typing; 保存 went to the login page
 * and what was typed was gone without a word. */
static void
test_session_resume(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "超时测试有限公司");
	struct http_client *anon = http_client_new("inproc:");
	long long id = tj_new_case(c);
	struct http_resp r;
	char path[128], *email, form[2048];

	email = tj_sql_text("SELECT email FROM account ORDER BY id DESC LIMIT 1");
	snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
	/* The session is gone (what the idle timeout does). */
	tj_sql("DELETE FROM session");
	http_post_form(c, path, "csrf=stale&profile=%E6%88%91%E4%BB%AC%E7%9A%84"
	    "%E7%AE%80%E4%BB%8B%E5%86%99%E4%BA%86%E5%8D%8A%E5%B0%8F%E6%97%B6"
	    "&save=1", &r);
	assert_int_equal(r.status, 401);
	must_have(&r, "尚未保存，但没有丢失", "the login page says the text is kept");
	must_have(&r, "name=\"resume.profile\" value=\"我们的简介写了半小时\"",
	    "the typed text rides in the login form");
	http_resp_free(&r);

	/* Logging in (from a fresh browser: the same form) gives the
	 * button that sends it on with the new session's token. */
	{
		char *ue = http_urlencode(email), *up = http_urlencode(path);

		snprintf(form, sizeof(form), "email=%s&password=a+good+long+"
		    "password&next=%%2F&resume_to=%s&resume.profile=%%E6%%88%%91"
		    "%%E4%%BB%%AC&resume.save=1", ue, up);
		free(ue);
		free(up);
	}
	http_post_form(anon, "/login", form, &r);
	assert_int_equal(r.status, 200);
	must_have(&r, "继续保存", "the resume page");
	must_have(&r, "name=\"profile\" value=\"我们\"", "the text on the resume page");
	assert_non_null(tj_csrf(&r));
	http_resp_free(&r);
	free(email);
	http_client_free(anon);
	http_client_free(c);
}

/* Defect: saving on a case withdrawn in another tab gave a bare 409
 * that dropped what was typed and offered only 返回首页. */
static void
test_stale_save(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "撤回测试有限公司");
	long long id = tj_new_case(c);
	struct http_resp r;
	char path[128], sql[256];
	static const char *const s2[] = { "profile", "撤回后仍在屏幕上的文字",
	    "save", "1", NULL };

	snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
	/* The token first, then the withdrawal elsewhere. */
	{
		char *form = tj_form(tj_token(c, path), s2);

		snprintf(sql, sizeof(sql), "UPDATE cases SET status = "
		    "'withdrawn' WHERE id = %lld", id);
		tj_sql(sql);
		http_post_form(c, path, form, &r);
		free(form);
	}
	assert_int_equal(r.status, 409);
	must_have(&r, "撤回后仍在屏幕上的文字", "the typed text is kept");
	must_have(&r, "此申请已撤回", "why");
	must_have(&r, "我的申请", "the next step");
	must_not(&r, "申请已提交，当前不能修改申请书", "the wrong reason");
	http_resp_free(&r);
	http_client_free(c);
}

/* Friction: 删除 removed a file without asking. */
static void
test_remove_confirm(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "删除测试有限公司");
	long long id = tj_new_case(c), mid;
	struct http_resp r;
	char path[128], *form;
	static const char *const f[] = { "kind", "org_chart", "row", "-1",
	    NULL };
	const char *csrf;
	static const char *const none[] = { NULL };

	snprintf(path, sizeof(path), "/cases/%lld/materials", id);
	csrf = tj_token(c, path);
	{
		const char *fields[] = { "csrf", csrf, "kind", "org_chart",
		    "row", "-1", NULL };

		http_post_file(c, path, fields, "file", "图.pdf", tj_pdf,
		    tj_pdf_len, &r);
	}
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(http_header(&r, "Location"),
	    "s=s2&kind=org_chart&row=-1&uploaded=1#m-org_chart--1"));
	{
		/* What a browser asks for: the address without its #. */
		char *loc = strdup(http_header(&r, "Location"));

		*strchr(loc, '#') = '\0';
		http_resp_free(&r);
		http_get(c, loc, &r);
		free(loc);
	}
	must_have(&r, "已上传 1 个文件。", "the message at the slot");
	http_resp_free(&r);
	mid = tj_sql_int("SELECT max(id) FROM material");
	snprintf(path, sizeof(path), "/cases/%lld/materials/%lld/remove", id,
	    mid);
	form = tj_form(tj_token(c, "/cases"), none);
	http_post_form(c, path, form, &r);
	free(form);
	assert_int_equal(r.status, 200);
	must_have(&r, "删除这个文件？", "the confirmation page");
	must_have(&r, "图.pdf", "names the file");
	http_resp_free(&r);
	assert_int_equal(tj_sql_int("SELECT count(*) FROM material WHERE "
	    "state = 'current'"), 1);
	form = tj_form(tj_token(c, "/cases"), f);
	{
		char *full = malloc(strlen(form) + 16);

		sprintf(full, "%s&confirm=1", form);
		http_post_form(c, path, full, &r);
		free(full);
	}
	free(form);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(http_header(&r, "Location"), "removed=1"));
	http_resp_free(&r);
	http_client_free(c);
}

/* Defects: the 404 page showed a logged-out header to a logged-in user;
 * /favicon.ico was 404. Friction: after login the applicant landed on
 * the home page with nothing to do. */
static void
test_header_favicon_landing(void **state)
{
	struct http_client *c = tj_applicant("inproc:", "首页测试有限公司");
	struct http_resp r;

	http_get(c, "/no/such/page", &r);
	assert_int_equal(r.status, 404);
	must_have(&r, "退出登录", "the 404 page's header");
	must_have(&r, "我的申请", "the 404 page's header");
	http_resp_free(&r);

	http_get(c, "/favicon.ico", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);

	http_get(c, "/?from=login", &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(http_header(&r, "Location"), "/cases?welcome=login");
	http_resp_free(&r);
	http_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_material_slots),
		cmocka_unit_test(test_understood),
		cmocka_unit_test(test_one_round),
		cmocka_unit_test(test_session_resume),
		cmocka_unit_test(test_stale_save),
		cmocka_unit_test(test_remove_confirm),
		cmocka_unit_test(test_header_favicon_landing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
