/*
 * itest_routes.c: issue 7's access-control and XSS acceptance, generated
 * from the route table itself (route_tables, linked in from src/):
 *
 *  - every POST route with csrf=1 refuses a missing and a forged token
 *    (403, 表单已过期或来源不明) to a logged-in user of a role it allows;
 *  - every route refuses every role not in its roles column (403; an
 *    applicant may get 404 on case-scoped URLs), and anonymous gets 303 to
 *    /login or 403;
 *  - every GET /cases/{n}... URL answers 404 to another applicant;
 *  - 25 XSS payloads in the text fields of sections 一, 二 and 十 render
 *    escaped on the section pages, the case page, the lead's review
 *    page, the receipt notice; the CSV export is a text/csv attachment.
 * The serve door walks every route, the fcgi door every third one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form_def.h"
#include "router.h"
#include "testlib_journey.h"
#include "util.h"

static const char *urls[2];

#define NROLES	7
static const char *role_name[NROLES] = { "applicant", "lead", "assessor",
    "expert", "cert_staff", "supervisor", "admin" };
static const unsigned role_bits[NROLES] = { ROLE_APPLICANT, ROLE_LEAD,
    ROLE_ASSESSOR, ROLE_EXPERT, ROLE_CERT_STAFF, ROLE_SUPERVISOR,
    ROLE_ADMIN };

static const char *const xss[25] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"'\"><svg onload=alert(1)>",
	"javascript:alert(1)",
	"</textarea><script>alert(2)</script>",
	"{{title}}",
	"<iframe src=javascript:alert(3)>",
	"&#60;script&#62;alert(4)&#60;/script&#62;",
	"</title><script>alert(5)</script>",
	"<body onload=alert(6)>",
	"' onmouseover='alert(7)",
	"\" onfocus=\"alert(8)\" autofocus=\"",
	"<a href=\"javascript:alert(9)\">x</a>",
	"<math><mtext><script>alert(10)</script>",
	"<style>*{color:red}</style>",
	"{{{title}}}{{>layout}}",
	"<scr<script>ipt>alert(11)</script>",
	"%3Cscript%3Ealert(12)%3C/script%3E",
	"<input autofocus onfocus=alert(13)>",
	"<details open ontoggle=alert(14)>",
	"]]><script>alert(15)</script>",
	"<object data=javascript:alert(16)>",
	"<!--<script>alert(17)//-->",
	"<video><source onerror=alert(18)>",
	"</script><script>alert(19)</script>",
};

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	if (urls[0] == NULL || urls[1] == NULL || getenv("ZIZHI_DB") == NULL ||
	    getenv("ZIZHI_BIN") == NULL) {
		fprintf(stderr, "run under tests/integration.sh\n");
		return -1;
	}
	return 0;
}

/* A pattern with its placeholders filled: case, material, notice ids. */
static void
subst(const char *pat, long long cid, long long mid, long long nid,
    char *out, size_t len)
{
	struct buf b;
	const char *p;
	int nth = 0;

	buf_init(&b);
	for (p = pat; *p != '\0'; ) {
		if (strncmp(p, "{n}", 3) == 0) {
			long long v = nth == 0 ? cid : 1;

			if (nth > 0 && p - pat >= 10 &&
			    strncmp(p - 10, "materials/", 10) == 0)
				v = mid;
			else if (nth > 0 && p - pat >= 8 &&
			    strncmp(p - 8, "notices/", 8) == 0)
				v = nid;
			buf_printf(&b, "%lld", v);
			nth++;
			p += 3;
		} else if (strncmp(p, "{s}", 3) == 0) {
			buf_puts(&b, "s1");
			p += 3;
		} else if (strncmp(p, "{*}", 3) == 0) {
			buf_puts(&b, "style.css");
			p += 3;
		} else
			buf_printf(&b, "%c", *p++);
	}
	snprintf(out, len, "%s", b.p);
	buf_free(&b);
}

/* 1 when path with method resolves to route r itself. */
static int
resolves_to(const struct route *r, const char *path, unsigned method)
{
	struct request req;
	const struct route *found = NULL;
	unsigned allowed;
	int ok;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.path = path;
	req.method = method;
	ok = router_match(route_tables, &req, &found, &allowed) ==
	    ROUTE_FOUND && found == r;
	arena_free(req.arena);
	return ok;
}

/* One request: GET, or POST with a csrf field (NULL: none). */
static void
send(struct http_client *c, unsigned method, const char *path,
    const char *csrf, struct http_resp *r)
{
	char body[128];

	if (method == METHOD_GET) {
		http_get(c, path, r);
		return;
	}
	if (csrf != NULL)
		snprintf(body, sizeof(body), "csrf=%s&x=1", csrf);
	else
		snprintf(body, sizeof(body), "x=1");
	http_post_form(c, path, body, r);
}

static void
walk(int door, long long *npairs, long long *nskip)
{
	const char *url = urls[door];
	struct http_client *cl[NROLES], *other, *anon;
	char tok[NROLES][64], email[128], path[256], sql[256];
	char forged[44];
	const struct route *const *t;
	const struct route *r;
	struct http_resp resp;
	long long cid, mid, nid;
	unsigned m, methods[2] = { METHOD_GET, METHOD_POST };
	int i, k, idx = 0, fails = 0;

	cid = tj_submitted_case(url, "路由测试有限公司", &cl[0]);
	snprintf(sql, sizeof(sql), "SELECT min(id) FROM material WHERE "
	    "case_id = %lld", cid);
	mid = tj_sql_int(sql);
	snprintf(sql, sizeof(sql), "SELECT min(id) FROM notice WHERE "
	    "case_id = %lld", cid);
	nid = tj_sql_int(sql);
	assert_true(mid > 0 && nid > 0);
	for (i = 1; i < NROLES; i++)
		cl[i] = tj_staff(url, role_name[i], email, sizeof(email));
	for (i = 0; i < NROLES; i++)
		snprintf(tok[i], sizeof(tok[i]), "%s", tj_token(cl[i], "/"));
	other = tj_applicant(url, "另一家路由测试公司");
	anon = http_client_new(url);
	memset(forged, 'A', 43);
	forged[43] = '\0';

	for (t = route_tables; *t != NULL; t++)
	for (r = *t; r->pattern != NULL; r++, idx++) {
		if (door == 1 && idx % 3 != 0)
			continue;
		for (k = 0; k < 2; k++) {
			m = methods[k];
			if (!(r->methods & m))
				continue;
			subst(r->pattern, cid, mid, nid, path, sizeof(path));
			if (!resolves_to(r, path, m)) {
				(*nskip)++;
				continue;
			}
			/* Every POST needs a token, except before a session. */
			if (m == METHOD_POST && !r->csrf &&
			    !(r->roles & ROLE_ANON)) {
				print_error("POST %s: no csrf\n", r->pattern);
				fails++;
			}
			/* Missing and forged tokens, by an allowed role. */
			if (m == METHOD_POST && r->csrf) {
				for (i = 0; i < NROLES; i++)
					if (r->roles & role_bits[i])
						break;
				if (i < NROLES) {
					const char *cs[2] = { NULL, forged };
					int j;

					for (j = 0; j < 2; j++) {
						send(cl[i], m, path, cs[j], &resp);
						if (resp.status != 403 ||
						    !http_body_has(&resp,
						    "表单已过期或来源不明")) {
							print_error("%s POST %s as %s,"
							    " %s token: %ld\n",
							    door ? "fcgi" : "serve",
							    path, role_name[i],
							    j ? "forged" : "no",
							    resp.status);
							fails++;
						}
						http_resp_free(&resp);
						(*npairs)++;
					}
				}
			}
			/* Every role not in the list. */
			for (i = 0; i < NROLES; i++) {
				if (r->roles & role_bits[i])
					continue;
				send(cl[i], m, path, tok[i], &resp);
				if (!(resp.status == 403 || (i == 0 &&
				    resp.status == 404 &&
				    strncmp(r->pattern, "/cases/{n}", 10) == 0))) {
					print_error("%s %s %s as %s: %ld, want "
					    "403\n", door ? "fcgi" : "serve",
					    m == METHOD_GET ? "GET" : "POST",
					    path, role_name[i], resp.status);
					fails++;
				}
				http_resp_free(&resp);
				(*npairs)++;
			}
			/* Anonymous. */
			if (!(r->roles & ROLE_ANON)) {
				const char *loc;

				send(anon, m, path, NULL, &resp);
				loc = http_header(&resp, "Location");
				/* A form posted without a session gets the
				 * login page that keeps what was posted (401),
				 * and nothing is done. */
				if (!(resp.status == 403 || (resp.status == 303
				    && loc != NULL &&
				    strncmp(loc, "/login", 6) == 0) ||
				    (resp.status == 401 && http_body_has(&resp,
				    "action=\"/login\"")))) {
					print_error("%s %s as anonymous: %ld\n",
					    door ? "fcgi" : "serve", path,
					    resp.status);
					fails++;
				}
				http_resp_free(&resp);
				(*npairs)++;
			}
			/* Another applicant, on the case's own URLs. */
			if (m == METHOD_GET && (r->roles & ROLE_APPLICANT) &&
			    strncmp(r->pattern, "/cases/{n}", 10) == 0) {
				send(other, m, path, NULL, &resp);
				if (resp.status != 404) {
					print_error("%s GET %s as another "
					    "applicant: %ld, want 404\n",
					    door ? "fcgi" : "serve", path,
					    resp.status);
					fails++;
				}
				http_resp_free(&resp);
				(*npairs)++;
			}
		}
	}
	for (i = 0; i < NROLES; i++)
		http_client_free(cl[i]);
	http_client_free(other);
	http_client_free(anon);
	if (fails)
		fail_msg("%d refusals missing (see above)", fails);
}

static void
test_route_walk(void **state)
{
	long long pairs = 0, skip = 0;

	walk(0, &pairs, &skip);
	walk(1, &pairs, &skip);
	printf("itest_routes: %lld (route, role) pairs checked through both "
	    "doors, %lld route/method paths skipped (shadowed)\n", pairs,
	    skip);
}

/* ---- XSS ------------------------------------------------------------ */

/* The body must show no payload raw, and (html) each escaped. */
static void
check_safe(const struct http_resp *r, const char *where,
    const char *const *shown, size_t n, int html)
{
	size_t i;
	struct buf e;

	for (i = 0; i < 25; i++)
		if (strpbrk(xss[i], "<>\"'&") != NULL &&
		    http_body_has(r, xss[i]))
			fail_msg("%s: payload %zu raw: %s", where, i, xss[i]);
	if (!html)
		return;
	for (i = 0; i < n; i++) {
		buf_init(&e);
		buf_html(&e, shown[i], strlen(shown[i]));
		if (!http_body_has(r, e.p))
			fail_msg("%s: escaped payload missing: %s", where,
			    e.p);
		buf_free(&e);
	}
}

static void
expect_safe(struct http_client *c, const char *path,
    const char *const *shown, size_t n)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != 200)
		fail_msg("GET %s: %ld", path, r.status);
	check_safe(&r, path, shown, n, 1);
	http_resp_free(&r);
}

/*
 * POSTs the section with valid values, every plain text field (not in a
 * group) set to a payload: field j gets xss[(round + j) % 25].
 */
static size_t
post_payloads(struct http_client *c, long long id, const char *sid,
    const char *const *valid, int round, const char **used)
{
	const struct fdef_section *s = fdef_section_find(sid);
	struct buf b;
	struct http_resp r;
	char path[96], *e;
	size_t i, j = 0;
	const char *const *kv;

	assert_non_null(s);
	snprintf(path, sizeof(path), "/cases/%lld/form/%s", id, sid);
	buf_init(&b);
	buf_printf(&b, "csrf=%s", tj_token(c, path));
	for (i = 0; i < s->nfields; i++) {
		const struct fdef_field *f = &s->fields[i];

		if (f->group != NULL || (f->kind != FDEF_TEXT &&
		    f->kind != FDEF_TEXTAREA))
			continue;
		used[j] = xss[(round + (int)j) % 25];
		e = http_urlencode(used[j]);
		buf_printf(&b, "&%s=%s", f->name, e);
		free(e);
		j++;
	}
	for (kv = valid; kv[0] != NULL; kv += 2) {
		const struct fdef_field *f = fdef_field_find(kv[0], NULL);

		if (f != NULL && f->group == NULL && (f->kind == FDEF_TEXT ||
		    f->kind == FDEF_TEXTAREA))
			continue;
		e = http_urlencode(kv[1]);
		buf_printf(&b, "&%s=%s", kv[0], e);
		free(e);
	}
	http_post_form(c, path, b.p, &r);
	if (r.status != 303 && r.status != 400)
		fail_msg("POST %s: %ld", path, r.status);
	/* A refusal re-renders what was typed: that must be safe too. */
	check_safe(&r, path, NULL, 0, 0);
	if (r.status == 400)
		fail_msg("POST %s round %d refused: %.1500s", path, round,
		    strstr(r.body.p, "error-summary") ?
		    strstr(r.body.p, "error-summary") : "");
	http_resp_free(&r);
	buf_free(&b);
	return j;
}

static void
test_xss(void **state)
{
	const char *url = urls[0];
	struct http_client *app, *lead;
	struct http_resp r;
	struct tj_dates d;
	char path[128], email[128], sql[256];
	const char *used[3][64];
	size_t n[3];
	const char *sid[3] = { "s1", "s2", "s10" };
	const char *s1[] = { "uscc", tj_uscc(), "org_nature", "limited",
		"reg_capital", "10,000,000", "founded", "2015-06-01",
		"biz_start", "2016-01-15", "postcode", "100085",
		"contact_phone", "010-62345678", "contact_mobile", "13800138000",
		"contact_email", "lisi@example.com", "app_type", "initial",
		NULL, NULL, NULL, NULL, NULL };
	const char *none[] = { NULL };
	const char *const *valid[3] = { s1, none, none };
	long long id, nid;
	int round, k;

	tj_dates(&d);
	/* s1 also needs the level-1 certificate; its number may be text. */
	s1[20] = "l1_cert_expiry";
	s1[21] = d.future;
	/* The organisation's registered name (case page, notices, CSV). */
	app = tj_applicant(url, xss[1]);
	id = tj_new_case(app);
	tj_fill_form(app, id, &d);
	tj_upload_missing(app, id);

	/* Every payload in every text field, one round each. */
	for (round = 0; round < 25; round++)
		for (k = 0; k < 3; k++) {
			n[k] = post_payloads(app, id, sid[k], valid[k], round,
			    used[k]);
			snprintf(path, sizeof(path), "/cases/%lld/form/%s", id,
			    sid[k]);
			expect_safe(app, path, used[k], n[k]);
		}
	/* Last: org_name (shown everywhere) is payload 0. */
	assert_true(n[0] > 0);
	assert_string_equal(fdef_section_find("s1")->fields[0].name,
	    "org_name");
	n[0] = post_payloads(app, id, "s1", s1, 0, used[0]);
	assert_string_equal(used[0][0], xss[0]);

	snprintf(path, sizeof(path), "/cases/%lld/check", id);
	expect_safe(app, path, NULL, 0);
	snprintf(path, sizeof(path), "/cases/%lld/submit", id);
	{
		char body[128];

		snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
		    tj_token(app, "/cases"));
		http_post_form(app, path, body, &r);
		if (r.status != 303)
			fail_msg("submit: %ld", r.status);
		http_resp_free(&r);
	}
	/* Submitted, the case is named by its frozen 申请书's 单位名称,
	 * payload 0 (issue 19, item 6); the review page shows the
	 * account's registered name beside it. */
	snprintf(path, sizeof(path), "/cases/%lld", id);
	expect_safe(app, path, xss, 1);
	expect_safe(app, "/cases", NULL, 0);
	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "/cases/%lld/form/%s", id, sid[k]);
		expect_safe(app, path, used[k], n[k]);
	}

	/* The receipt notice. */
	snprintf(sql, sizeof(sql), "SELECT id FROM notice WHERE case_id = "
	    "%lld AND kind = 'receipt'", id);
	nid = tj_sql_int(sql);
	assert_true(nid > 0);
	snprintf(path, sizeof(path), "/cases/%lld/notices/%lld", id, nid);
	expect_safe(app, path, xss, 1);

	/* The lead's review page, before and after taking the case. */
	lead = tj_staff(url, "lead", email, sizeof(email));
	snprintf(path, sizeof(path), "/cases/%lld/review", id);
	expect_safe(lead, path, xss, 2);
	{
		const char *kv[] = { NULL };

		snprintf(sql, sizeof(sql), "/cases/%lld/review/start", id);
		{
			char *b = tj_form(tj_token(lead, path), kv);

			http_post_form(lead, sql, b, &r);
			free(b);
			assert_int_equal(r.status, 303);
			http_resp_free(&r);
		}
	}
	/* Taken: the frozen form, every payload of the last round. */
	for (k = 0; k < 3; k++)
		expect_safe(lead, path, used[k], n[k]);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	expect_safe(lead, path, xss, 1);
	expect_safe(lead, "/dashboard/cases", NULL, 0);

	/* The CSV: data, not a page. */
	http_get(lead, "/dashboard/cases.csv", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(r.content_type);
	assert_int_equal(strncmp(r.content_type, "text/csv", 8), 0);
	{
		const char *cd = http_header(&r, "Content-Disposition");

		assert_non_null(cd);
		assert_int_equal(strncmp(cd, "attachment", 10), 0);
	}
	assert_non_null(http_header(&r, "X-Content-Type-Options"));
	http_resp_free(&r);
	printf("itest_routes: 25 payloads x %zu text fields (一 %zu, 二 %zu, "
	    "十 %zu) rendered escaped\n", n[0] + n[1] + n[2], n[0], n[1],
	    n[2]);
	http_client_free(app);
	http_client_free(lead);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_walk),
		cmocka_unit_test(test_xss),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
