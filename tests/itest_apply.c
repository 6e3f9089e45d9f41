/*
 * itest_apply.c: the applicant's journey over HTTP, through both doors:
 * register, start an application, see what is missing, fill every
 * section, upload what the check page asks for, submit, and find the
 * case number, receipt, status and clock. Bad input is refused with
 * nothing saved; another applicant gets 404 for everything of the case.
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

#include "rules.h"
#include "testlib_http.h"

static const char *urls[2];

/* A small valid PDF, and the body of one that is not. */
static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
}

static const char *
csrf_of(const struct http_resp *r)
{
	static char tok[64];
	const char *p = strstr(r->body.p, "name=\"csrf\" value=\"");
	size_t n;

	if (p == NULL)
		fail_msg("no csrf field in the page");
	p += strlen("name=\"csrf\" value=\"");
	n = strcspn(p, "\"");
	assert_true(n > 0 && n < sizeof(tok));
	memcpy(tok, p, n);
	tok[n] = '\0';
	return tok;
}

/* A form body from name, value pairs (NULL-terminated), with the token. */
static char *
form(const char *csrf, const char *const *kv)
{
	struct buf b;
	char *e;

	buf_init(&b);
	buf_printf(&b, "csrf=%s", csrf);
	for (; kv[0] != NULL; kv += 2) {
		e = http_urlencode(kv[1]);
		buf_printf(&b, "&%s=%s", kv[0], e);
		free(e);
	}
	return b.p;
}

static struct http_client *
new_applicant(int door, const char *org)
{
	struct http_client *c = http_client_new(urls[door]);
	struct http_resp r;
	struct buf b;
	char *o = http_urlencode(org);
	static int n;

	buf_init(&b);
	buf_printf(&b, "org_name=%s&name=%%E6%%9D%%8E%%E5%%9B%%9B&email=ap%ld-%d-"
	    "%d-%d%%40example.com&password=a+good+long+password&password2=a+"
	    "good+long+password", o, (long)time(NULL), (int)getpid(), door,
	    n++);
	http_post_form(c, "/register", b.p, &r);
	if (r.status != 303)
		fail_msg("register: %ld", r.status);
	http_resp_free(&r);
	buf_free(&b);
	free(o);
	return c;
}

/* GET a page, return its csrf token (static). */
static const char *
token(struct http_client *c, const char *path)
{
	struct http_resp r;
	const char *t;

	http_get(c, path, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	t = csrf_of(&r);
	http_resp_free(&r);
	return t;
}

static void
post_ok(struct http_client *c, const char *path, const char *const *kv,
    long want)
{
	struct http_resp r;
	char *body = form(token(c, path), kv);

	http_post_form(c, path, body, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.2000s", path, r.status, want,
		    r.body.p ? strstr(r.body.p, "error-summary") ?
		    strstr(r.body.p, "error-summary") : r.body.p : "");
	http_resp_free(&r);
	free(body);
}

struct dates {
	char	y1[16], y2[16], y3[16];	/* the last three years */
	char	future[32];		/* a year from now */
	char	past[32];		/* two years ago */
	char	recent[32];		/* early last year */
	char	older[32];		/* two years ago, earlier */
};

static void
make_dates(struct dates *d)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;
	int y;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	snprintf(d->y1, sizeof(d->y1), "%d", y - 3);
	snprintf(d->y2, sizeof(d->y2), "%d", y - 2);
	snprintf(d->y3, sizeof(d->y3), "%d", y - 1);
	snprintf(d->future, sizeof(d->future), "%d-06-30", y + 1);
	snprintf(d->past, sizeof(d->past), "%d-03-01", y - 2);
	snprintf(d->older, sizeof(d->older), "%d-01-10", y - 2);
	snprintf(d->recent, sizeof(d->recent), "%d-01-05", y - 1);
}

/* A valid credit code. */
static const char *
uscc(void)
{
	static char b[19] = "91110108MA01C2XK3";

	b[17] = uscc_check_char(b);
	b[18] = '\0';
	return b;
}

static void
fill_form(struct http_client *c, long long id, const struct dates *d)
{
	char path[128], *b;
	size_t i;
	int r;
	const char *s1[] = {
		"org_name", "北京某某信息安全技术有限公司",
		"uscc", uscc(), "legal_rep", "张三", "org_nature", "limited",
		"reg_capital", "10,000,000", "founded", "2015-06-01",
		"biz_start", "2016-01-15", "reg_address", "北京市海淀区某某路1号",
		"office_address", "北京市海淀区某某路1号5层",
		"postcode", "100085", "contact_name", "李四",
		"contact_phone", "010-62345678", "contact_mobile", "13800138000",
		"contact_email", "lisi@example.com",
		"app_type", "initial", "l1_cert_no", "CNITSEC2023SE1001",
		"l1_cert_expiry", d->future, NULL
	};
	const char *s2[] = { "profile", "本单位专注于信息安全工程服务。",
		"history", "2015年成立。", "management", "设有质量部。", NULL };
	const char *s3[] = { "finance._rows", "3",
		"fin_year.0", d->y1, "fin_year.1", d->y2, "fin_year.2", d->y3,
		"fin_total_assets.0", "4000000", "fin_total_assets.1", "4000000",
		"fin_total_assets.2", "5,000,000",
		"fin_net_assets.0", "3000000", "fin_net_assets.1", "3000000",
		"fin_net_assets.2", "3000000",
		"fin_revenue.0", "8000000", "fin_revenue.1", "8000000",
		"fin_revenue.2", "8000000",
		"fin_sec_revenue.0", "6000000", "fin_sec_revenue.1", "6000000",
		"fin_sec_revenue.2", "6000000",
		"fin_profit.0", "-200,000", "fin_profit.1", "500000",
		"fin_profit.2", "500000",
		"fin_tax.0", "300000", "fin_tax.1", "300000", "fin_tax.2", "300000",
		NULL };
	const char *s4a[] = { "staff_total", "30", "staff_eng", "20",
		"staff_cisp", "6", "edu_doctor", "1", "edu_master", "5",
		"edu_bachelor", "20", "edu_college", "3", "edu_other", "1",
		"title_senior", "3", "title_middle", "10", "title_junior", "12",
		"title_none", "5",
		"key_legal_name", "王五", "key_legal_title", "高级工程师",
		"key_legal_phone", "010-62345678",
		"key_tech_name", "王五", "key_tech_title", "高级工程师",
		"key_tech_phone", "010-62345678",
		"key_finance_name", "王五", "key_finance_title", "会计师",
		"key_finance_phone", "010-62345678",
		"key_quality_name", "王五", "key_quality_title", "高级工程师",
		"key_quality_phone", "010-62345678",
		"roster._rows", "6", NULL };
	struct buf s4;
	const char *s5[] = { "tools", "漏洞扫描器、渗透测试平台。", NULL };
	const char *s8[] = { "projects._rows", "2",
		"proj_name.0", "某某系统安全工程", "proj_client.0", "某某集团",
		"proj_value.0", "1,500,000", "proj_start.0", d->older,
		"proj_end.0", d->past, "proj_content.0", "安全设计与实施",
		"proj_manager.0", "李四", "proj_accept.0", "accepted",
		"proj_complete.0", "yes",
		"proj_name.1", "某某平台安全加固", "proj_client.1", "某某银行",
		"proj_value.1", "800000", "proj_start.1", d->past,
		"proj_end.1", d->recent, "proj_content.1", "安全评估与加固",
		"proj_manager.1", "李四", "proj_accept.1", "accepted",
		"proj_complete.1", "no", NULL };
	const char *s10[] = { "plan", "三年内扩大安全工程团队。", NULL };
	const char *decl[] = { "decl_accept", "yes", "decl_lawful", "yes",
		"signer", "张三", "sign_date", d->recent, NULL };
	const char *pa[45];
	char pan[22][8];

	snprintf(path, sizeof(path), "/cases/%lld/form/s1", id);
	post_ok(c, path, s1, 303);
	snprintf(path, sizeof(path), "/cases/%lld/form/s2", id);
	post_ok(c, path, s2, 303);
	snprintf(path, sizeof(path), "/cases/%lld/form/s3", id);
	post_ok(c, path, s3, 303);

	/* 四, with a roster of six CISP holders. */
	snprintf(path, sizeof(path), "/cases/%lld/form/s4", id);
	b = form(token(c, path), s4a);
	buf_init(&s4);
	buf_puts(&s4, b);
	free(b);
	for (r = 0; r < 6; r++)
		buf_printf(&s4, "&st_name.%d=%%E8%%B5%%B5%%E5%%85%%AD&st_edu.%d="
		    "bachelor&st_title.%d=middle&st_post.%d=%%E5%%B7%%A5%%E7%%A8"
		    "%%8B%%E5%%B8%%88&st_start.%d=2019-07-01&st_fulltime.%d=yes"
		    "&st_cisp_no.%d=CISP-2020-000%d&st_cisp_type.%d=cise"
		    "&st_cisp_expiry.%d=%s", r, r, r, r, r, r, r, r, r, r,
		    d->future);
	{
		struct http_resp resp;

		http_post_form(c, path, s4.p, &resp);
		if (resp.status != 303)
			fail_msg("s4: %ld %.3000s", resp.status,
			    strstr(resp.body.p, "error-summary"));
		http_resp_free(&resp);
	}
	buf_free(&s4);

	snprintf(path, sizeof(path), "/cases/%lld/form/s5", id);
	post_ok(c, path, s5, 303);
	for (i = 0; i < 22; i++) {
		snprintf(pan[i], sizeof(pan[i]), "pa%02zu", i + 1);
		pa[2 * i] = pan[i];
		pa[2 * i + 1] = "已建立相应制度并按计划执行、验证和跟踪。";
	}
	pa[44] = NULL;
	snprintf(path, sizeof(path), "/cases/%lld/form/s6", id);
	pa[22] = NULL;		/* PA01-PA11 */
	post_ok(c, path, pa, 303);
	pa[22] = pan[11];
	snprintf(path, sizeof(path), "/cases/%lld/form/s7", id);
	post_ok(c, path, pa + 22, 303);
	snprintf(path, sizeof(path), "/cases/%lld/form/s8", id);
	post_ok(c, path, s8, 303);
	snprintf(path, sizeof(path), "/cases/%lld/form/s10", id);
	post_ok(c, path, s10, 303);
	snprintf(path, sizeof(path), "/cases/%lld/form/decl", id);
	post_ok(c, path, decl, 303);
}

/* Uploads a PDF for every material the check page says is missing, by
 * following its links as a person would. Returns how many. */
static int
upload_missing(struct http_client *c, long long id)
{
	struct http_resp r, u;
	char key[64], kind[64], rowbuf[16], path[96], want[96];
	const char *p, *q, *t;
	const char *fields[8];
	int n = 0, row;

	snprintf(path, sizeof(path), "/cases/%lld/check", id);
	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), "/cases/%lld/materials#m-", id);
	for (p = r.body.p; (p = strstr(p, want)) != NULL; p = q) {
		p += strlen(want);
		q = strchr(p, '"');
		assert_non_null(q);
		snprintf(key, sizeof(key), "%.*s", (int)(q - p), p);
		/* key is KIND-ROW; ROW may be -1. */
		t = strrchr(key, '-');
		if (t > key && t[-1] == '-')
			t--;
		snprintf(kind, sizeof(kind), "%.*s", (int)(t - key), key);
		row = atoi(t + 1);
		snprintf(rowbuf, sizeof(rowbuf), "%d", row);
		snprintf(path, sizeof(path), "/cases/%lld/materials", id);
		fields[0] = "csrf";
		fields[1] = token(c, path);
		fields[2] = "kind";
		fields[3] = kind;
		fields[4] = "row";
		fields[5] = rowbuf;
		fields[6] = NULL;
		http_post_file(c, path, fields, "file", "扫描件.pdf", pdf,
		    sizeof(pdf) - 1, &u);
		if (u.status != 303)
			fail_msg("upload %s row %d: %ld", kind, row, u.status);
		http_resp_free(&u);
		n++;
	}
	http_resp_free(&r);
	return n;
}

static long long
new_case(struct http_client *c)
{
	struct http_resp r;
	char body[128];
	const char *loc;

	snprintf(body, sizeof(body), "csrf=%s", token(c, "/cases"));
	http_post_form(c, "/cases", body, &r);
	assert_int_equal(r.status, 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/cases/", 7), 0);
	http_resp_free(&r);
	return strtoll(loc + 7, NULL, 10);
}

static void
test_journey(void **state)
{
	struct http_client *c, *other;
	struct http_resp r;
	struct dates d;
	char path[160], body[256], *mat, *notice;
	const char *p;
	long long id, mid, nid;
	int door, uploaded, i;

	make_dates(&d);
	for (door = 0; door < 2; door++) {
		c = new_applicant(door, "北京某某信息安全技术有限公司");
		id = new_case(c);

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
		    token(c, "/cases"));
		http_post_form(c, path, body, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "暂不能提交"));
		http_resp_free(&r);

		fill_form(c, id, &d);
		uploaded = upload_missing(c, id);
		assert_true(uploaded >= 10);
		/* Everything done: nothing missing any more. */
		assert_int_equal(upload_missing(c, id), 0);
		snprintf(path, sizeof(path), "/cases/%lld/check", id);
		http_get(c, path, &r);
		assert_true(http_body_has(&r, "均已完成"));
		assert_true(http_body_has(&r, "87,000.00"));
		assert_true(http_body_has(&r, "符合"));
		http_resp_free(&r);

		/* Submit: case number, receipt, status, clock, next step. */
		snprintf(path, sizeof(path), "/cases/%lld/submit", id);
		snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
		    token(c, "/cases"));
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
		    token(c, "/cases"));
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
		assert_int_equal(r.body.n, sizeof(pdf) - 1);
		assert_memory_equal(r.body.p, pdf, sizeof(pdf) - 1);
		assert_string_equal(r.content_type, "application/pdf");
		assert_non_null(strstr(http_header(&r, "Content-Disposition"),
		    "attachment;"));
		assert_string_equal(http_header(&r, "X-Content-Type-Options"),
		    "nosniff");
		http_resp_free(&r);
		mat = xstrdup(path);

		/* Another applicant: 404 for every URL of the case, and for
		 * neighbouring ids too. */
		other = new_applicant(door, "另一家公司");
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
		    token(other, "/cases"));
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
	body = form(token(c, path), kv);
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
	struct dates d;
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

	make_dates(&d);
	for (door = 0; door < 2; door++) {
		c = new_applicant(door, "测试输入有限公司");
		id = new_case(c);
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
		fields[1] = token(c, path);
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
		memcpy(big, pdf, sizeof(pdf) - 1);
		memset(big + sizeof(pdf) - 1, ' ', limit + 100 - sizeof(pdf) + 1);
		memcpy(big + limit + 100 - 7, "%%EOF\n", 6);
		fields[1] = token(c, path);
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

	c = new_applicant(0, "行测试有限公司");
	id = new_case(c);
	snprintf(path, sizeof(path), "/cases/%lld/form/s9", id);
	body = form(token(c, path), add);
	http_post_form(c, path, body, &r);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "name=\"aw_name.1\""));
	assert_true(http_body_has(&r, "value=\"奖项甲\""));
	http_resp_free(&r);
	free(body);
	post_ok(c, path, two, 303);
	http_get(c, path, &r);
	assert_true(http_body_has(&r, "奖项乙"));
	http_resp_free(&r);
	http_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journey),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests_name("applicant journey (both doors)",
	    tests, setup, NULL);
}
