/*
 * itest_cert.c: 发证 and supervision over HTTP, through both doors.
 *
 * Really submitted cases are moved to certificate_pending (as if expert
 * review had passed). Certificate staff A puts them in a batch; A may
 * not approve it (separation of duties), B does: each case is issued,
 * with a certificate number, the 发证 notice on the case, a line in the
 * public list and a verification page. A supervisor suspends, lifts,
 * orders rectification, warns and finally revokes; the public page shows
 * each. The PDF downloads for the holder and staff (pdftotext finds the
 * number and the name), not for another applicant. Roles that have no
 * business on these pages are refused.
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

/* A submitted case moved on to 制证中 as if the expert panel passed it. */
static long long
pending_case(const char *url, const char *org, long long expert,
    struct http_client **app)
{
	long long id = tj_submitted_case(url, org, app);
	char sql[1024];

	/* The name as the applicant typed it in the form (tj_fill_form's
	 * is the same for every test). */
	snprintf(sql, sizeof(sql), "UPDATE round_value SET value = '%s' WHERE "
	    "field = 'org_name' AND row = -1 AND round_id IN (SELECT id FROM "
	    "round WHERE case_id = %lld)", org, id);
	tj_sql(sql);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO expert_conclusion(case_id, verdict, reasons, by_id, at) "
	    "VALUES (%lld, 'pass', '符合安全工程类二级要求', %lld, "
	    "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'));"
	    "INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status, reason) VALUES (%lld, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ',"
	    " 'now'), date('now', '+8 hours'), %lld, 'expert_review', "
	    "'certificate_pending', '专家评审通过');"
	    "UPDATE cases SET status = 'certificate_pending' WHERE id = %lld;",
	    id, expert, id, expert, id);
	tj_sql(sql);
	return id;
}

static long long
account_id(const char *email)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE email = '%s'",
	    email);
	return tj_sql_int(sql);
}

/* POST kv to path with a token from any page of c's session. */
static void
post(struct http_client *c, const char *path, const char *const *kv,
    struct http_resp *r)
{
	char *body = tj_form(tj_token(c, "/verify"), kv);

	http_post_form(c, path, body, r);
	free(body);
}

static void
post_want(struct http_client *c, const char *path, const char *const *kv,
    long want)
{
	struct http_resp r;

	post(c, path, kv, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.1500s", path, r.status, want,
		    r.body.p ? strstr(r.body.p, "<main") ? strstr(r.body.p,
		    "<main") : r.body.p : "");
	http_resp_free(&r);
}

static void
get_want(struct http_client *c, const char *path, long want,
    struct http_resp *r)
{
	http_get(c, path, r);
	if (r->status != want)
		fail_msg("GET %s: %ld, want %ld\n%.1500s", path, r->status, want,
		    r->body.p ? strstr(r->body.p, "<main") ? strstr(r->body.p,
		    "<main") : r->body.p : "");
}

/* The public status word of a certificate, through c. */
static void
assert_status(struct http_client *c, const char *no, const char *want)
{
	struct http_resp r;
	char path[128], needle[128];

	snprintf(path, sizeof(path), "/verify?no=%s", no);
	get_want(c, path, 200, &r);
	snprintf(needle, sizeof(needle), "id=\"cert-state\">%s<", want);
	if (!http_body_has(&r, needle))
		fail_msg("%s: status is not %s", no, want);
	http_resp_free(&r);
}

/* The text of a PDF, by pdftotext. Caller frees. */
static char *
pdf_text(const struct http_resp *r)
{
	char file[256], cmd[512];
	struct buf out;
	FILE *f;
	size_t n;
	char chunk[4096];

	snprintf(file, sizeof(file), "%s/itest-cert-%d.pdf",
	    getenv("ZIZHI_TMP") ? getenv("ZIZHI_TMP") : "/tmp", (int)getpid());
	f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r->body.p, 1, r->body.n, f), r->body.n);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -q '%s' -", file);
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

/* What the QR code of a PDF says (pdftoppm, zbarimg). Caller frees. */
static char *
pdf_qr(const struct http_resp *r)
{
	char base[200], cmd[1536], line[1024];
	FILE *f;

	snprintf(base, sizeof(base), "%s/itest-cert-qr-%d",
	    getenv("ZIZHI_TMP") ? getenv("ZIZHI_TMP") : "/tmp", (int)getpid());
	snprintf(cmd, sizeof(cmd), "%s.pdf", base);
	f = fopen(cmd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r->body.p, 1, r->body.n, f), r->body.n);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "pdftoppm -r 150 -png -singlefile '%s.pdf' "
	    "'%s' && zbarimg -q --raw '%s.png' 2>/dev/null; "
	    "rm -f '%s.pdf' '%s.png'", base, base, base, base, base);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	pclose(f);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* The last "/notices/N" link of a case page. */
static long long
last_notice(const struct http_resp *r)
{
	const char *p = r->body.p, *q = NULL;

	while ((p = strstr(p, "/notices/")) != NULL)
		q = p++;
	assert_non_null(q);
	return strtoll(q + 9, NULL, 10);
}

static void
walk(const char *url, int door)
{
	struct http_client *app, *other, *ca, *cb, *sup, *assessor, *anon;
	struct http_client *expert;
	struct http_resp r;
	struct tj_dates d;
	char email[128], path[256], no[64], needle[256], sql[256];
	char lower[64], exp[DATE_BUFSZ], *text;
	const char *p, *org = door == 0 ? "北京恒安信息安全技术有限公司" :
	    "上海长城网络安全服务有限公司";
	long long id, id2, bid, cid, sid, expert_id;
	size_t n, i;
	zdate issued;

	tj_dates(&d);
	expert = tj_staff(url, "expert", email, sizeof(email));
	expert_id = account_id(email);
	http_client_free(expert);
	id = pending_case(url, org, expert_id, &app);
	id2 = pending_case(url, "广州另一家测试有限公司", expert_id, &other);
	ca = tj_staff(url, "cert_staff", email, sizeof(email));
	cb = tj_staff(url, "cert_staff", email, sizeof(email));
	sup = tj_staff(url, "supervisor", email, sizeof(email));
	assessor = tj_staff(url, "assessor", email, sizeof(email));
	anon = http_client_new(url);

	/* Who may not reach the batches. */
	get_want(app, "/batches", 403, &r);
	http_resp_free(&r);
	get_want(assessor, "/batches", 403, &r);
	http_resp_free(&r);
	get_want(sup, "/batches", 403, &r);
	http_resp_free(&r);
	get_want(anon, "/batches", 303, &r);
	assert_non_null(strstr(http_header(&r, "Location"), "/login"));
	http_resp_free(&r);

	/* The case waits for a batch. */
	get_want(ca, "/batches", 200, &r);
	snprintf(needle, sizeof(needle), "name=\"case\" value=\"%lld\"", id);
	assert_true(http_body_has(&r, needle));
	assert_true(http_body_has(&r, org));
	http_resp_free(&r);

	/* Nothing ticked: the form again, with the message. */
	{
		const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */

		post(ca, "/batches", none, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "请至少勾选一个"));
		http_resp_free(&r);
	}

	/* A creates the batch with both cases. */
	{
		char a[32], b[32];
		const char *kv[] = { "case", a, "case", b, NULL };

		snprintf(a, sizeof(a), "%lld", id);
		snprintf(b, sizeof(b), "%lld", id2);
		post(ca, "/batches", kv, &r);
		assert_int_equal(r.status, 303);
		p = strstr(http_header(&r, "Location"), "/batches/");
		assert_non_null(p);
		bid = strtoll(p + 9, NULL, 10);
		assert_true(bid > 0);
		http_resp_free(&r);
		/* A case already in a batch cannot go in another. */
		post(cb, "/batches", kv, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "已编入另一个批次"));
		http_resp_free(&r);
	}
	get_want(ca, "/batches", 200, &r);
	snprintf(needle, sizeof(needle), "name=\"case\" value=\"%lld\"", id);
	assert_false(http_body_has(&r, needle));
	assert_true(http_body_has(&r, "由您创建，须由另一位制证工作人员批准"));
	http_resp_free(&r);

	/* The other applicant withdraws before approval: no certificate. */
	{
		const char *kv[] = { "confirm", "yes", "reason", "测试撤回",
			NULL };

		snprintf(path, sizeof(path), "/cases/%lld/withdraw", id2);
		tj_post(other, path, kv, 303);
	}

	/* A may not approve A's own batch: 409 with the reason. */
	snprintf(path, sizeof(path), "/batches/%lld/approve", bid);
	{
		const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */

		post(ca, path, none, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "职责分离"));
		assert_true(http_body_has(&r, "另一位制证工作人员"));
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM certificate "
		    "WHERE case_id = %lld", id);
		assert_int_equal(tj_sql_int(sql), 0);

		/* B approves: issued. */
		post_want(cb, path, none, 303);
		/* Twice: refused, nothing new. */
		post(cb, path, none, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "已经发出"));
		http_resp_free(&r);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM certificate WHERE "
	    "case_id = %lld", id2);
	assert_int_equal(tj_sql_int(sql), 0);
	snprintf(sql, sizeof(sql), "SELECT id FROM certificate WHERE case_id = "
	    "%lld", id);
	cid = tj_sql_int(sql);
	assert_true(cid > 0);

	/* The batch page lists the certificate and the withdrawn case. */
	snprintf(path, sizeof(path), "/batches/%lld", bid);
	get_want(cb, path, 200, &r);
	assert_true(http_body_has(&r, "已批准"));
	assert_true(http_body_has(&r, "CNITSEC"));
	assert_true(http_body_has(&r, "（未发证）"));
	http_resp_free(&r);

	/* The applicant: status 已发证, and the 发证 notice with the
	 * number. */
	snprintf(path, sizeof(path), "/cases/%lld", id);
	get_want(app, path, 200, &r);
	assert_true(http_body_has(&r, "id=\"status\">已发证<"));
	assert_true(http_body_has(&r, "发证通知书"));
	snprintf(path, sizeof(path), "/cases/%lld/notices/%lld", id,
	    last_notice(&r));
	http_resp_free(&r);
	get_want(app, path, 200, &r);
	p = strstr(r.body.p, "证书编号：CNITSEC");
	assert_non_null(p);
	p += strlen("证书编号：");
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
	assert_true(n >= 19 && n < sizeof(no));
	memcpy(no, p, n);
	no[n] = '\0';
	/* CNITSEC + year of issue + SE2- + sequence. */
	assert_int_equal(strncmp(no, "CNITSEC", 7), 0);
	assert_int_equal(strncmp(no + 11, "SE2-", 4), 0);
	snprintf(needle, sizeof(needle), "/verify/%s", no);
	assert_true(http_body_has(&r, needle));
	assert_true(http_body_has(&r, org));
	http_resp_free(&r);

	/* Dates: issued today (Beijing), valid three years less a day. */
	{
		time_t t = time(NULL) + 8 * 3600;
		struct tm tm;
		char today[16];

		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		assert_int_equal(date_parse(today, &issued), 0);
		date_format(rules_cert_expires(rules_default(), issued), exp);
		assert_int_equal(strncmp(no + 7, today, 4), 0);
	}

	/* The public list: the organisation, its number, 有效. */
	get_want(anon, "/certified", 200, &r);
	assert_true(http_body_has(&r, no));
	assert_true(http_body_has(&r, org));
	assert_true(http_body_has(&r, "有效"));
	assert_false(http_body_has(&r, "广州另一家测试有限公司"));
	http_resp_free(&r);

	/* Verification, by anyone, by form and by direct link. */
	snprintf(path, sizeof(path), "/verify?no=%s", no);
	get_want(anon, path, 200, &r);
	assert_true(http_body_has(&r, "id=\"cert-state\">有效<"));
	assert_true(http_body_has(&r, org));
	assert_true(http_body_has(&r, tj_uscc()));
	assert_true(http_body_has(&r, "安全工程类"));
	assert_true(http_body_has(&r, "二级"));
	assert_true(http_body_has(&r, exp));
	assert_false(http_body_has(&r, "/pdf"));	/* not for the public */
	http_resp_free(&r);
	snprintf(path, sizeof(path), "/verify/%s", no);
	get_want(anon, path, 200, &r);
	assert_true(http_body_has(&r, "id=\"cert-state\">有效<"));
	http_resp_free(&r);
	/* As typed by a person: lower case, spaces around. */
	for (i = 0; no[i] != '\0'; i++)
		lower[i] = (char)(no[i] >= 'A' && no[i] <= 'Z' ?
		    no[i] - 'A' + 'a' : no[i]);
	lower[i] = '\0';
	snprintf(path, sizeof(path), "/verify?no=+%s+", lower);
	get_want(anon, path, 200, &r);
	assert_true(http_body_has(&r, org));
	http_resp_free(&r);
	/* Full-width letters, as some input methods type them. */
	{
		char wide[128], *e;

		snprintf(wide, sizeof(wide), "\xef\xbc\xa3\xef\xbc\xae%s",
		    no + 2);	/* ＣＮ */
		e = http_urlencode(wide);
		snprintf(path, sizeof(path), "/verify?no=%s", e);
		free(e);
		get_want(anon, path, 200, &r);
		assert_true(http_body_has(&r, org));
		http_resp_free(&r);
	}
	/* Unknown: 404, a message, the form again. */
	get_want(anon, "/verify?no=CNITSEC1999SE2-9999", 404, &r);
	assert_true(http_body_has(&r, "没有找到编号为 CNITSEC1999SE2-9999 的证书"));
	assert_true(http_body_has(&r, "name=\"no\""));
	http_resp_free(&r);
	get_want(anon, "/verify/CNITSEC1999SE2-9999", 404, &r);
	assert_true(http_body_has(&r, "没有找到"));
	http_resp_free(&r);
	/* Not a number at all: 400, what a number looks like. */
	get_want(anon, "/verify?no=%3Cscript%3E", 400, &r);
	assert_true(http_body_has(&r, "格式不对"));
	assert_false(http_body_has(&r, "<script>"));
	http_resp_free(&r);
	get_want(anon, "/verify", 200, &r);
	assert_true(http_body_has(&r, "<label for=\"no\">"));
	http_resp_free(&r);

	/* The PDF: the holder and staff; nobody else. */
	snprintf(path, sizeof(path), "/certificates/%lld/pdf", cid);
	get_want(app, path, 200, &r);
	assert_string_equal(r.content_type, "application/pdf");
	assert_non_null(strstr(http_header(&r, "Content-Disposition"),
	    "attachment;"));
	text = pdf_text(&r);
	if (strstr(text, no) == NULL || strstr(text, org) == NULL)
		fail_msg("pdftotext: no %s or %s in\n%s", no, org, text);
	free(text);
	/* The QR code leads to the verification page of this host. Behind
	 * nginx, Debian's fastcgi_params pass HTTP_HOST as $host, without
	 * the port, so only the serve door can be compared whole. */
	text = pdf_qr(&r);
	snprintf(needle, sizeof(needle), "%s/verify/%s", url, no);
	if (door == 0)
		assert_string_equal(text, needle);
	else {
		snprintf(needle, sizeof(needle), "/verify/%s", no);
		assert_int_equal(strncmp(text, "http://127.0.0.1", 16), 0);
		assert_non_null(strstr(text, needle));
		assert_string_equal(strstr(text, needle), needle);
	}
	free(text);
	http_resp_free(&r);
	get_want(sup, path, 200, &r);
	assert_int_equal(memcmp(r.body.p, "%PDF-", 5), 0);
	http_resp_free(&r);
	get_want(other, path, 404, &r);
	http_resp_free(&r);
	get_want(anon, path, 303, &r);
	http_resp_free(&r);
	/* The holder sees the download link on the verification page. */
	snprintf(path, sizeof(path), "/verify/%s", no);
	get_want(app, path, 200, &r);
	assert_true(http_body_has(&r, "/pdf\">下载证书"));
	http_resp_free(&r);

	/* The staff certificate page: not for applicants. */
	snprintf(path, sizeof(path), "/certificates/%lld", cid);
	get_want(app, path, 403, &r);
	http_resp_free(&r);
	get_want(ca, path, 200, &r);
	assert_true(http_body_has(&r, no));
	assert_false(http_body_has(&r, "记录处置</button>"));
	http_resp_free(&r);

	/* Sanctions: only supervisors. */
	snprintf(path, sizeof(path), "/certificates/%lld/sanctions", cid);
	{
		const char *susp[] = { "kind", "suspension", "reason",
			"监督检查发现项目过程记录缺失", NULL };
		const char *rect_nodate[] = { "kind", "rectification", "reason",
			"人员配置不足", "deadline", "", NULL };
		const char *rect_bad[] = { "kind", "rectification", "reason",
			"人员配置不足", "deadline", "2020-01-01", NULL };
		const char *rect[] = { "kind", "rectification", "reason",
			"人员配置不足", "deadline", d.future, NULL };
		const char *warn[] = { "kind", "warning", "reason",
			"年度报告逾期提交", NULL };
		const char *revoke[] = { "kind", "revocation", "reason",
			"以欺骗手段取得资质", NULL };
		const char *nokind[] = { "kind", "", "reason", "", NULL };
		const char *none[] = { "confirm", "1", NULL };	/* 不可撤销的步骤已确认 */
		char lift[320];

		post(ca, path, susp, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		post(app, path, susp, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);

		/* Validation: messages next to the fields, input kept. */
		post(sup, path, nokind, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "请选择处置类型"));
		assert_true(http_body_has(&r, "请填写处置理由"));
		http_resp_free(&r);
		post(sup, path, rect_nodate, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "限期整改须填写整改期限"));
		assert_true(http_body_has(&r, "人员配置不足"));
		assert_true(http_body_has(&r, "value=\"rectification\" selected"));
		http_resp_free(&r);
		post(sup, path, rect_bad, &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "不能早于今天"));
		http_resp_free(&r);
		assert_status(anon, no, "有效");

		/* Suspend → 暂停; lift → 有效 again. */
		post_want(sup, path, susp, 303);
		assert_status(anon, no, "暂停");
		post(sup, path, susp, &r);
		assert_int_equal(r.status, 409);
		http_resp_free(&r);
		get_want(anon, "/certified", 200, &r);
		assert_true(http_body_has(&r, "暂停"));
		http_resp_free(&r);
		snprintf(needle, sizeof(needle), "/certificates/%lld", cid);
		get_want(sup, needle, 200, &r);
		snprintf(needle, sizeof(needle), "/certificates/%lld/sanctions/",
		    cid);
		p = strstr(r.body.p, needle);
		assert_non_null(p);
		sid = strtoll(p + strlen(needle), NULL, 10);
		assert_true(http_body_has(&r, "监督检查发现项目过程记录缺失"));
		http_resp_free(&r);
		snprintf(lift, sizeof(lift), "%s%lld/lift", needle, sid);
		post(ca, lift, none, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		assert_status(anon, no, "暂停");
		post_want(sup, lift, none, 303);
		assert_status(anon, no, "有效");
		post(sup, lift, none, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "不需要再次解除"));
		http_resp_free(&r);

		/* Rectification: 限期整改中 with its deadline. */
		post_want(sup, path, rect, 303);
		assert_status(anon, no, "限期整改中");
		snprintf(needle, sizeof(needle), "/verify/%s", no);
		get_want(anon, needle, 200, &r);
		assert_true(http_body_has(&r, d.future));
		http_resp_free(&r);
		snprintf(needle, sizeof(needle), "SELECT max(id) FROM sanction "
		    "WHERE certificate_id = %lld", cid);
		snprintf(lift, sizeof(lift), "/certificates/%lld/sanctions/"
		    "%lld/lift", cid, tj_sql_int(needle));
		post_want(sup, lift, none, 303);
		assert_status(anon, no, "有效");

		/* A warning is noted; the certificate stays valid, and the
		 * warning cannot be lifted. */
		post_want(sup, path, warn, 303);
		assert_status(anon, no, "有效");
		snprintf(needle, sizeof(needle), "/verify/%s", no);
		get_want(anon, needle, 200, &r);
		assert_true(http_body_has(&r, "警告"));
		assert_true(http_body_has(&r, "有警告记录"));
		/* Reasons stay on the staff page. */
		assert_false(http_body_has(&r, "年度报告逾期提交"));
		http_resp_free(&r);
		snprintf(needle, sizeof(needle), "SELECT max(id) FROM sanction "
		    "WHERE certificate_id = %lld", cid);
		snprintf(lift, sizeof(lift), "/certificates/%lld/sanctions/"
		    "%lld/lift", cid, tj_sql_int(needle));
		post(sup, lift, none, &r);
		assert_int_equal(r.status, 409);
		http_resp_free(&r);

		/* Revocation: 已取消, and final. */
		post_want(sup, path, revoke, 303);
		assert_status(anon, no, "已取消");
		post(sup, path, warn, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "已被取消"));
		http_resp_free(&r);
		get_want(anon, "/certified", 200, &r);
		assert_true(http_body_has(&r, "已取消"));
		http_resp_free(&r);
	}

	http_client_free(app);
	http_client_free(other);
	http_client_free(ca);
	http_client_free(cb);
	http_client_free(sup);
	http_client_free(assessor);
	http_client_free(anon);
}

static void
test_serve(void **state)
{
	walk(urls[0], 0);
}

static void
test_fcgi(void **state)
{
	walk(urls[1], 1);
}

/* An expired certificate shows 已过期 (set up in the database: the
 * dates are the only difference). */
static void
test_expired(void **state)
{
	struct http_client *anon = http_client_new(urls[1]);
	struct http_resp r;
	long long n;

	n = tj_sql_int("SELECT count(*) FROM certificate WHERE no = "
	    "'CNITSEC2019SE2-0001'");
	if (n == 0)
		tj_sql("INSERT INTO certificate(no, case_id, org_id, org_name, "
		    "uscc, issued_on, expires_on, batch_id) SELECT "
		    "'CNITSEC2019SE2-0001', c.id, c.org_id, '过期测试有限公司', "
		    "'91110108MA01ABCD3X', '2019-03-01', '2022-02-28', "
		    "(SELECT max(id) FROM cert_batch) FROM cases c WHERE "
		    "c.status = 'withdrawn' AND c.id NOT IN (SELECT case_id FROM "
		    "certificate) ORDER BY c.id LIMIT 1");
	assert_int_equal(tj_sql_int("SELECT count(*) FROM certificate WHERE "
	    "no = 'CNITSEC2019SE2-0001'"), 1);
	get_want(anon, "/verify/CNITSEC2019SE2-0001", 200, &r);
	assert_true(http_body_has(&r, "id=\"cert-state\">已过期<"));
	assert_true(http_body_has(&r, "过期测试有限公司"));
	http_resp_free(&r);
	http_client_free(anon);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve),
		cmocka_unit_test(test_fcgi),
		cmocka_unit_test(test_expired),
	};

	return cmocka_run_group_tests_name("certificates (both doors)",
	    tests, setup, NULL);
}
