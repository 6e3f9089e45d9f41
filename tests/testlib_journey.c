/*
 * testlib_journey.c: the steps of the applicant's journey and staff
 * logins, for the integration tests of every area: so a test of the
 * review, the assessment or the certificates starts from a case that was
 * really submitted through the web pages.
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
#include <sqlite3.h>

#include "rules.h"
#include "testlib_journey.h"

const char tj_pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
const size_t tj_pdf_len = sizeof(tj_pdf) - 1;

/* SOI, a frame header (SOF0), the scan (SOS) with one byte of data, EOI. */
const char tj_jpeg[] = {
	'\xFF', '\xD8',
	'\xFF', '\xC0', 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0,
	'\xFF', '\xDA', 0, 8, 1, 1, 0, 0, 0x3F, 0,
	0,
	'\xFF', '\xD9'
};
const size_t tj_jpeg_len = sizeof(tj_jpeg);

const char *
tj_csrf(const struct http_resp *r)
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
char *
tj_form(const char *csrf, const char *const *kv)
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

struct http_client *
tj_applicant(const char *url, const char *org)
{
	struct http_client *c = http_client_new(url);
	struct http_resp r;
	struct buf b;
	char *o = http_urlencode(org);
	static int n;
	char email[128];

	snprintf(email, sizeof(email), "ap%ld-%d-%d-%d%%40example.com",
	    (long)time(NULL), (int)getpid(), (int)(strlen(url) % 97), n++);
	buf_init(&b);
	buf_printf(&b, "org_name=%s&name=%%E6%%9D%%8E%%E5%%9B%%9B&email=%s&"
	    "password=a+good+long+password&password2=a+good+long+password", o,
	    email);
	/* Every test registers from this address: not the flood the
	 * registration throttle is for. */
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'register:%'");
	http_post_form(c, "/register", b.p, &r);
	if (r.status != 303)
		fail_msg("register: %ld", r.status);
	http_resp_free(&r);
	/* Registering does not log in (the answer is the same for an
	 * address that has an account): log in. */
	buf_reset(&b);
	buf_printf(&b, "email=%s&password=a+good+long+password", email);
	http_post_form(c, "/login", b.p, &r);
	if (r.status != 303)
		fail_msg("login after register: %ld", r.status);
	http_resp_free(&r);
	buf_free(&b);
	free(o);
	return c;
}

/* GET a page, return its csrf token (static). */
const char *
tj_token(struct http_client *c, const char *path)
{
	struct http_resp r;
	const char *t;

	http_get(c, path, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	t = tj_csrf(&r);
	http_resp_free(&r);
	return t;
}

void
tj_post(struct http_client *c, const char *path, const char *const *kv,
    long want)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, path), kv);

	http_post_form(c, path, body, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.2000s", path, r.status, want,
		    r.body.p ? strstr(r.body.p, "error-summary") ?
		    strstr(r.body.p, "error-summary") : r.body.p : "");
	http_resp_free(&r);
	free(body);
}


void
tj_dates(struct tj_dates *d)
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
	snprintf(d->later, sizeof(d->later), "%d-06-30", y + 2);
	snprintf(d->past, sizeof(d->past), "%d-03-01", y - 2);
	snprintf(d->older, sizeof(d->older), "%d-01-10", y - 2);
	snprintf(d->recent, sizeof(d->recent), "%d-01-05", y - 1);
}

/* A valid credit code. */
const char *
tj_uscc(void)
{
	static char b[19] = "91110108MA01C2XK3";

	b[17] = uscc_check_char(b);
	b[18] = '\0';
	return b;
}

/* name, value pairs: base with each value of over put in (replaced, or
 * added at the end); into out, NULL-terminated. */
static void
merge_kv(const char *const *base, const char *const *over, const char **out,
    size_t max)
{
	size_t n = 0, i, k;

	for (i = 0; base[i] != NULL; i += 2) {
		assert_true(n + 3 <= max);
		out[n++] = base[i];
		out[n++] = base[i + 1];
	}
	for (k = 0; over != NULL && over[k] != NULL; k += 2) {
		for (i = 0; i < n && strcmp(out[i], over[k]) != 0; i += 2)
			;
		if (i == n) {
			assert_true(n + 3 <= max);
			out[n++] = over[k];
			n++;
		}
		out[i + 1] = over[k + 1];
	}
	out[n] = NULL;
}

void
tj_fill_form(struct http_client *c, long long id, const struct tj_dates *d)
{
	tj_fill_form_s1(c, id, d, NULL);
}

#define TJ_KV_MAX	256

/* Appends the pairs of add (NULL-terminated) to kv (n used). */
static void
kv_append(const char **kv, size_t *n, const char *const *add)
{
	for (; add[0] != NULL; add += 2) {
		assert_true(*n + 3 <= TJ_KV_MAX);
		kv[(*n)++] = add[0];
		kv[(*n)++] = add[1];
	}
	kv[*n] = NULL;
}

const char *const *
tj_section(const struct tj_dates *d, size_t i, const char **sid)
{
	static const char *kv[TJ_KV_MAX];
	static char names[6][10][24], cisp[6][24], pan[22][24];
	static const char *const fields[10] = { "st_name", "st_edu",
		"st_title", "st_post", "st_start", "st_fulltime", "st_cisp_no",
		"st_cisp_type", "st_cisp_expiry", NULL };
	const char *s1[] = {
		"org_name", "北京某某信息安全技术有限公司",
		"uscc", tj_uscc(), "legal_rep", "张三", "org_nature", "limited",
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
	const char *s4[] = { "staff_total", "30", "staff_eng", "20",
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
	static const char *const ids[] = { "s1", "s2", "s3", "s4", "s5", "s6",
		"s7", "s8", "s10", "decl", NULL };
	const char *const *sections[] = { s1, s2, s3, s4, s5, NULL, NULL, s8,
		s10, decl };
	const char *row[20];
	size_t n = 0, r, k;

	if (ids[i] == NULL)
		return NULL;
	*sid = ids[i];
	kv[0] = NULL;
	if (sections[i] != NULL)
		kv_append(kv, &n, sections[i]);
	/* 四: a roster of six CISP holders. */
	for (r = 0; i == 3 && r < 6; r++) {
		const char *values[9] = { "赵六", "bachelor", "middle", "工程师",
		    "2019-07-01", "yes", cisp[r], "cise", d->future };

		snprintf(cisp[r], sizeof(cisp[r]), "CISP-2020-000%zu", r);
		for (k = 0; fields[k] != NULL; k++) {
			snprintf(names[r][k], sizeof(names[r][k]), "%s.%zu",
			    fields[k], r);
			row[2 * k] = names[r][k];
			row[2 * k + 1] = values[k];
		}
		row[2 * k] = NULL;
		kv_append(kv, &n, row);
	}
	/* 六 and 七: the process areas PA01-PA11 and PA12-PA22. */
	for (r = i == 5 ? 0 : 11; (i == 5 || i == 6) && r < (i == 5 ? 11u :
	    22u); r++) {
		snprintf(pan[r], sizeof(pan[r]), "pa%02zu", r + 1);
		row[0] = pan[r];
		row[1] = "已建立相应制度并按计划执行、验证和跟踪。";
		row[2] = NULL;
		kv_append(kv, &n, row);
	}
	return kv;
}

void
tj_fill_form_s1(struct http_client *c, long long id, const struct tj_dates *d,
    const char *const *s1_over)
{
	const char *const *kv;
	const char *sid, *s1m[64];
	char path[128];
	size_t i;

	for (i = 0; (kv = tj_section(d, i, &sid)) != NULL; i++) {
		if (i == 0) {
			merge_kv(kv, s1_over, s1m, sizeof(s1m) /
			    sizeof(s1m[0]));
			kv = s1m;
		}
		snprintf(path, sizeof(path), "/cases/%lld/form/%s", id, sid);
		tj_post(c, path, kv, 303);
	}
}

/* Uploads a PDF for every material the check page says is missing, by
 * following its links as a person would. Returns how many. */
int
tj_upload_missing(struct http_client *c, long long id)
{
	struct http_resp r, u;
	char key[64], kind[64], rowbuf[16], path[96], want[96];
	const char *p, *q, *t;
	const char *fields[8];
	int n = 0, row;

	snprintf(path, sizeof(path), "/cases/%lld/check", id);
	http_get(c, path, &r);
	assert_int_equal(r.status, 200);
	/* Each link names the section of the materials page and the slot:
	 * /cases/N/materials?s=SECTION#m-KIND-ROW. */
	snprintf(want, sizeof(want), "/cases/%lld/materials?s=", id);
	for (p = r.body.p; (p = strstr(p, want)) != NULL; p = q) {
		p += strlen(want);
		q = strchr(p, '"');
		assert_non_null(q);
		if ((t = strstr(p, "#m-")) == NULL || t > q)
			continue;
		p = t + 3;
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
		fields[1] = tj_token(c, path);
		fields[2] = "kind";
		fields[3] = kind;
		fields[4] = "row";
		fields[5] = rowbuf;
		fields[6] = NULL;
		http_post_file(c, path, fields, "file", "扫描件.pdf", tj_pdf,
		    tj_pdf_len, &u);
		if (u.status != 303)
			fail_msg("upload %s row %d: %ld", kind, row, u.status);
		http_resp_free(&u);
		n++;
	}
	http_resp_free(&r);
	return n;
}

void
tj_paper_received(struct http_client *lead, long long id)
{
	time_t t = time(NULL) + 8 * 3600;
	struct http_resp r;
	struct tm tm;
	char page[96], url[96], today[16], *body;
	const char *kv[] = { "courier", "顺丰速运", "waybill", "SF1234567890",
	    "received_on", today, "checked_by", "测试核对人", "paper", "1",
	    "cd", "1", "consistent", "1", "notes", "", NULL };

	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	snprintf(page, sizeof(page), "/cases/%lld/review", id);
	snprintf(url, sizeof(url), "/cases/%lld/review/receipt", id);
	body = tj_form(tj_token(lead, page), kv);
	http_post_form(lead, url, body, &r);
	if (r.status != 303)
		fail_msg("POST %s: %ld", url, r.status);
	http_resp_free(&r);
	free(body);
}

long long
tj_new_case(struct http_client *c)
{
	struct http_resp r;
	char body[128];
	const char *loc;

	snprintf(body, sizeof(body), "csrf=%s", tj_token(c, "/cases"));
	http_post_form(c, "/cases", body, &r);
	assert_int_equal(r.status, 303);
	loc = http_header(&r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/cases/", 7), 0);
	http_resp_free(&r);
	return strtoll(loc + 7, NULL, 10);
}

long long
tj_submitted_case(const char *url, const char *org, struct http_client **out)
{
	return tj_submitted_case_s1(url, org, NULL, out);
}

/* The value of name in the pairs kv (NULL-terminated), or NULL. */
static const char *
kv_get(const char *const *kv, const char *name)
{
	for (; kv != NULL && kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

/* A new organisation's application, submitted; with a certificate of
 * the organisation in the register first when expires is not NULL. */
static long long
submitted(const char *url, const char *org, const char *const *s1_over,
    const char *expires, struct http_client **out)
{
	struct http_client *c = tj_applicant(url, org);
	struct http_resp r;
	struct tj_dates d;
	char path[96], body[128], *sql;
	const char *no = kv_get(s1_over, "maint_cert_no");
	long long id;

	tj_dates(&d);
	id = tj_new_case(c);
	if (expires != NULL && no != NULL) {
		sql = sqlite3_mprintf("INSERT INTO certificate(no, org_id, "
		    "org_name, uscc, issued_on, expires_on, imported_status, "
		    "imported_at) SELECT %Q, org_id, %Q, %Q, date(%Q, "
		    "'-3 years', '+1 day'), %Q, 'valid', '2020-01-01T00:00:00Z' "
		    "FROM cases WHERE id = %lld", no, org, tj_uscc(), expires,
		    expires, id);
		tj_sql(sql);
		sqlite3_free(sql);
	}
	tj_fill_form_s1(c, id, &d, s1_over);
	tj_upload_missing(c, id);
	snprintf(path, sizeof(path), "/cases/%lld/submit", id);
	snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
	    tj_token(c, "/cases"));
	http_post_form(c, path, body, &r);
	if (r.status != 303)
		fail_msg("submit: %ld", r.status);
	http_resp_free(&r);
	*out = c;
	return id;
}

long long
tj_submitted_case_s1(const char *url, const char *org,
    const char *const *s1_over, struct http_client **out)
{
	return submitted(url, org, s1_over, NULL, out);
}

long long
tj_submitted_case_cert(const char *url, const char *org,
    const char *const *s1_over, const char *expires,
    struct http_client **out)
{
	return submitted(url, org, s1_over, expires, out);
}

struct http_client *
tj_staff(const char *url, const char *role, char *email, size_t len)
{
	struct http_client *c;
	struct http_resp r;
	char cmd[1024], form[512];
	static int n;
	FILE *p;
	int rc;

	snprintf(email, len, "%s%ld-%d-%d@staff.example", role,
	    (long)time(NULL), (int)getpid(), n++);
	snprintf(cmd, sizeof(cmd), "%s user add --db '%s' --role %s "
	    "--email %s --name '%s' >/dev/null", getenv("ZIZHI_BIN"),
	    getenv("ZIZHI_DB"), role, email, role);
	p = popen(cmd, "w");
	assert_non_null(p);
	fputs("staff password for tests\n", p);
	rc = pclose(p);
	if (rc != 0)
		fail_msg("zizhi user add %s failed (%d)", role, rc);
	c = http_client_new(url);
	snprintf(form, sizeof(form), "email=%s&password=staff+password+for+"
	    "tests", email);
	http_post_form(c, "/login", form, &r);
	if (r.status != 303)
		fail_msg("staff login %s: %ld", email, r.status);
	http_resp_free(&r);
	return c;
}

void
tj_sql(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(getenv("ZIZHI_DB"), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

long long
tj_sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open(getenv("ZIZHI_DB"), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

char *
tj_sql_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_open(getenv("ZIZHI_DB"), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

void
tj_see(struct http_client *c, const char *path, const char *const *phrases)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	for (; *phrases != NULL; phrases++)
		if (!http_body_has(&r, *phrases))
			fail_msg("GET %s: no \"%s\"", path, *phrases);
	http_resp_free(&r);
}

char *
tj_pdf_text(const struct http_resp *r)
{
	char file[] = "/tmp/zizhi-itest-pdf.XXXXXX", cmd[512];
	struct buf out;
	FILE *f;
	size_t n;
	char chunk[4096];
	int fd;

	assert_true((fd = mkstemp(file)) >= 0);
	assert_int_equal(write(fd, r->body.p, r->body.n), (ssize_t)r->body.n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "pdftotext -q -enc UTF-8 '%s' -", file);
	f = popen(cmd, "r");
	assert_non_null(f);
	buf_init(&out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&out, chunk, n);
	assert_int_equal(pclose(f), 0);
	unlink(file);
	buf_putc(&out, '\0');
	return out.p;
}

long
tj_post_from(struct http_client *c, const char *tokpath, const char *path,
    const char *const *kv, struct http_resp *keep)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, tokpath), kv);
	long status;

	http_post_form(c, path, body, &r);
	free(body);
	status = r.status;
	if (keep != NULL)
		*keep = r;
	else
		http_resp_free(&r);
	return status;
}
