/*
 * itest_maintenance.c: maintenance that continues a certificate (issue
 * 15) from the command line and over HTTP, through both doors.
 *
 * `zizhi import certificates` (on a database of its own): a 1,000-row
 * file, then the same file again (nothing changes, and it says so); a
 * file with one bad row imports nothing, names the row and exits 1.
 * Then on the servers' database: imported certificates on the public
 * register and verification page (a suspended and a cancelled one shown
 * as such); a certificate officer links one to the organisation whose
 * 申请书 carries its credit code; the applicant chooses it in section 一
 * (a suspended one is refused at the field), the check page shows the
 * fee from the register, and after submission the verification page
 * shows it valid, 维持申请审查中, also past its expiry; once the new
 * certificate is issued it shows 已换发, with the new number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <sqlite3.h>

#include "rules.h"
#include "testlib_journey.h"

/* ---- The command --------------------------------------------------- */

/* A file under ZIZHI_TMP, in static storage (one of 8). */
static const char *
tmpfile_named(const char *name)
{
	static char b[8][512];
	static int i;
	char *p = b[i++ % 8];

	snprintf(p, 512, "%s/itest-maint-%d-%s", getenv("ZIZHI_TMP") ?
	    getenv("ZIZHI_TMP") : "/tmp", (int)getpid(), name);
	return p;
}

/* The whole of a file (caller frees), "" when it cannot be read. */
static char *
slurp(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	buf_init(&b);
	buf_add(&b, "", 0);
	if (f != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
	}
	return b.p;
}

/* Runs `zizhi import certificates --db db file`: its exit status, its
 * output and errors (caller frees). */
static int
import(const char *db, const char *file, char **out, char **err)
{
	const char *o = tmpfile_named("out"), *e = tmpfile_named("err");
	char cmd[2048];
	int rc;

	snprintf(cmd, sizeof(cmd), "'%s' import certificates --db '%s' '%s' "
	    "> '%s' 2> '%s'", getenv("ZIZHI_BIN"), db, file, o, e);
	rc = system(cmd);
	*out = slurp(o);
	*err = slurp(e);
	unlink(o);
	unlink(e);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

/* n rows from CNITSEC<year>SE2-0001; row bad (0: none) with a credit
 * code whose check character is wrong. Caller frees. */
static char *
csv(int year, int n, int bad)
{
	struct buf b;
	char code[19];
	int i;

	buf_init(&b);
	buf_puts(&b, "number,org_name,uscc,issued_on,expires_on,status\n");
	for (i = 1; i <= n; i++) {
		snprintf(code, sizeof(code), "92440300MA%07d", i % 10000000);
		code[17] = uscc_check_char(code);
		if (i == bad)
			code[17] = code[17] == '0' ? '1' : '0';
		code[18] = '\0';
		buf_printf(&b, "CNITSEC%dSE2-%04d,命令行导入%d号公司,%s,"
		    "%d-05-%02d,%d-05-%02d,%s\n", year, i, i, code, year,
		    i % 28 + 1, year + 3, i % 28 + 1, i % 40 == 0 ? "suspended" :
		    "valid");
	}
	return b.p;
}

static long long
count_in(const char *db, const char *sql)
{
	char cmd[1024], *out;
	const char *o = tmpfile_named("count");
	long long n;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\" > '%s'", db, sql, o);
	assert_int_equal(system(cmd), 0);
	out = slurp(o);
	unlink(o);
	n = strtoll(out, NULL, 10);
	free(out);
	return n;
}

static void
test_command(void **state)
{
	char db[512], ok[512], bad[512], cmd[2048], *out, *err, *data;
	char want[600];

	snprintf(db, sizeof(db), "%s", tmpfile_named("import.db"));
	snprintf(ok, sizeof(ok), "%s", tmpfile_named("ok.csv"));
	snprintf(bad, sizeof(bad), "%s", tmpfile_named("bad.csv"));

	snprintf(cmd, sizeof(cmd), "'%s' init --db '%s' > /dev/null",
	    getenv("ZIZHI_BIN"), db);
	assert_int_equal(system(cmd), 0);

	/* A wrong command line. */
	assert_int_equal(import(db, "", &out, &err), 2);
	free(out);
	free(err);

	/* 1,000 rows, then the same file again. */
	data = csv(2018, 1000, 0);
	write_file(ok, data);
	free(data);
	assert_int_equal(import(db, ok, &out, &err), 0);
	assert_non_null(strstr(out, "1000 new, 0 unchanged"));
	free(out);
	free(err);
	assert_int_equal(count_in(db, "SELECT count(*) FROM certificate"),
	    1000);
	assert_int_equal(count_in(db, "SELECT count(*) FROM sanction"), 25);
	assert_int_equal(import(db, ok, &out, &err), 0);
	assert_non_null(strstr(out, "0 new, 1000 unchanged"));
	free(out);
	free(err);
	assert_int_equal(count_in(db, "SELECT count(*) || total_changes() FROM "
	    "certificate"), 10000);

	/* 1,000 new rows, one bad: nothing imported, the row named. */
	data = csv(2019, 1000, 412);
	write_file(bad, data);
	free(data);
	assert_int_equal(import(db, bad, &out, &err), 1);
	snprintf(want, sizeof(want), "%s:413: 统一社会信用代码", bad);
	if (strstr(err, want) == NULL)
		fail_msg("want \"%s\" in:\n%s", want, err);
	assert_non_null(strstr(err, "1 bad rows; nothing imported"));
	free(out);
	free(err);
	assert_int_equal(count_in(db, "SELECT count(*) FROM certificate"),
	    1000);
	unlink(ok);
	unlink(bad);
	snprintf(cmd, sizeof(cmd), "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
	assert_int_equal(system(cmd), 0);
}

/* ---- The pages --------------------------------------------------------- */

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

/* The page has each of want (NULL-terminated). */
static void
page_has(struct http_client *c, const char *path, const char *const *want)
{
	struct http_resp r;

	get_want(c, path, 200, &r);
	for (; *want != NULL; want++)
		if (!http_body_has(&r, *want))
			fail_msg("GET %s: no \"%s\" in\n%.3000s", path, *want,
			    strstr(r.body.p, "<main") ? strstr(r.body.p,
			    "<main") : r.body.p);
	http_resp_free(&r);
}

/* POST kv to path with a token from page from; the response in *r. */
static void
post(struct http_client *c, const char *from, const char *path,
    const char *const *kv, struct http_resp *r)
{
	char *body = tj_form(tj_token(c, from), kv);

	http_post_form(c, path, body, r);
	free(body);
}

/* Section 一 of the journey's application with over's values in place;
 * static storage. */
static const char *const *
s1_with(const struct tj_dates *d, const char *const *over)
{
	static const char *kv[128];
	const char *const *base, *sid;
	size_t n = 0, i, k;

	base = tj_section(d, 0, &sid);
	for (i = 0; base[i] != NULL && n + 2 < 120; i += 2) {
		for (k = 0; over[k] != NULL; k += 2)
			if (strcmp(over[k], base[i]) == 0)
				break;
		kv[n++] = base[i];
		kv[n++] = over[k] != NULL ? over[k + 1] : base[i + 1];
	}
	for (k = 0; over[k] != NULL; k += 2) {
		for (i = 0; base[i] != NULL; i += 2)
			if (strcmp(over[k], base[i]) == 0)
				break;
		if (base[i] == NULL) {
			kv[n++] = over[k];
			kv[n++] = over[k + 1];
		}
	}
	kv[n] = NULL;
	return kv;
}

/* The verification page of no through c has each of want. */
static void
verify_has(struct http_client *c, const char *no, const char *const *want)
{
	char path[96];

	snprintf(path, sizeof(path), "/verify/%s", no);
	page_has(c, path, want);
}

/* A day (YYYY-MM-DD) n days from today in Beijing, in static storage. */
static const char *
day_from_now(int n)
{
	static char b[4][16];
	static int i;
	time_t t = time(NULL) + 8 * 3600 + (time_t)n * 86400;
	struct tm tm;
	char *p = b[i++ % 4];

	gmtime_r(&t, &tm);
	strftime(p, 16, "%Y-%m-%d", &tm);
	return p;
}

static void
journey(const char *url, int door)
{
	struct http_client *app, *ca, *cb, *anon = http_client_new(url);
	struct http_resp r;
	struct tj_dates d;
	char code[19], org[64], e1[128], e2[128], path[160], sql[512];
	char file[512];
	char no_ok[32], no_susp[32], no_gone[32], *data, *out, *err;
	long long id, cid, bid;

	tj_dates(&d);
	/* The organisation's own credit code, so that it alone carries it. */
	snprintf(code, sizeof(code), "91510100MA%07d", (4200 + door) % 10000000);
	code[17] = uscc_check_char(code);
	code[18] = '\0';
	snprintf(no_ok, sizeof(no_ok), "CNITSEC2017SE2-%04d", 8100 + door);
	snprintf(no_susp, sizeof(no_susp), "CNITSEC2017SE2-%04d", 8200 + door);
	snprintf(no_gone, sizeof(no_gone), "CNITSEC2017SE2-%04d", 8300 + door);

	/* Imported into the servers' register: on time for maintenance
	 * (expiring in ten months), suspended, cancelled. */
	snprintf(file, sizeof(file), "%s", tmpfile_named("pages.csv"));
	data = sqlite3_mprintf("number,org_name,uscc,issued_on,expires_on,"
	    "status\n%s,维持测试%d有限公司,%s,2017-06-01,%s,valid\n"
	    "%s,维持测试%d有限公司,%s,2017-06-02,%s,suspended\n"
	    "%s,维持测试%d有限公司,%s,2017-06-03,%s,cancelled\n",
	    no_ok, door, code, day_from_now(300), no_susp, door, code,
	    day_from_now(300), no_gone, door, code, day_from_now(300));
	write_file(file, data);
	sqlite3_free(data);
	assert_int_equal(import(getenv("ZIZHI_DB"), file, &out, &err), 0);
	assert_non_null(strstr(out, "3 new, 0 unchanged"));
	free(out);
	free(err);
	unlink(file);
	{
		const char *w1[] = { "id=\"cert-state\">有效<", "维持测试", NULL };
		const char *w2[] = { "id=\"cert-state\">暂停<", "暂停证书", NULL };
		const char *w3[] = { "id=\"cert-state\">已取消<", NULL };

		verify_has(anon, no_ok, w1);
		verify_has(anon, no_susp, w2);
		verify_has(anon, no_gone, w3);
	}

	/* The organisation registers and fills in its 申请书 (initial, for
	 * now) with that credit code. */
	snprintf(org, sizeof(org), "维持测试%d有限公司", door);
	app = tj_applicant(url, org);
	id = tj_new_case(app);
	{
		const char *over[] = { "uscc", code, "org_name", org, NULL };

		tj_fill_form_s1(app, id, &d, over);
	}
	tj_upload_missing(app, id);

	/* Not its certificates yet: the form offers none. */
	snprintf(path, sizeof(path), "/cases/%lld/form/s1", id);
	{
		const char *want[] = { "本单位名下还没有证书", NULL };

		page_has(app, path, want);
	}

	/* The certificate officer links two of them (the applicant may
	 * not; the page is not for it). */
	ca = tj_staff(url, "cert_staff", e1, sizeof(e1));
	{
		const char *want[] = { no_ok, org, "草稿，尚未提交", NULL };

		page_has(ca, "/certificates/unlinked", want);
	}
	snprintf(sql, sizeof(sql), "SELECT id FROM certificate WHERE no = "
	    "'%s'", no_ok);
	cid = tj_sql_int(sql);
	snprintf(sql, sizeof(sql), "SELECT org_id FROM cases WHERE id = %lld",
	    id);
	{
		char oid[32], lp[96];
		const char *kv[] = { "org_id", oid, NULL };

		snprintf(oid, sizeof(oid), "%lld", tj_sql_int(sql));
		snprintf(lp, sizeof(lp), "/certificates/%lld/link", cid);
		post(app, "/cases", lp, kv, &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		post(ca, "/certificates/unlinked", lp, kv, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		post(ca, "/certificates/unlinked", lp, kv, &r);
		assert_int_equal(r.status, 409);
		assert_true(http_body_has(&r, "不能再关联"));
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT id FROM certificate WHERE "
		    "no = '%s'", no_susp);
		snprintf(lp, sizeof(lp), "/certificates/%lld/link",
		    tj_sql_int(sql));
		post(ca, "/certificates/unlinked", lp, kv, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}
	snprintf(path, sizeof(path), "/certificates/%lld", cid);
	{
		const char *want[] = { "本系统启用前颁发", "关联", NULL };

		page_has(ca, path, want);
	}

	/* Section 一: the applicant chooses; a suspended one is refused at
	 * the field, with what was chosen kept. */
	snprintf(path, sizeof(path), "/cases/%lld/form/s1", id);
	{
		const char *want[] = { no_ok, no_susp, "暂停中，不能申请维持",
		    NULL };
		const char *over[] = { "app_type", "maintenance",
		    "maint_cert_no", no_susp, "uscc", code, "org_name", org,
		    NULL };

		page_has(app, path, want);
		post(app, path, path, s1_with(&d, over), &r);
		assert_int_equal(r.status, 400);
		assert_true(http_body_has(&r, "id=\"maint_cert_no-error\""));
		assert_true(http_body_has(&r, "暂停期间不能申请维持"));
		http_resp_free(&r);
		over[3] = no_ok;
		post(app, path, path, s1_with(&d, over), &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}

	/* The check page: the fee from the register, on time. */
	snprintf(path, sizeof(path), "/cases/%lld/check", id);
	{
		const char *want[] = { "按期维持申请", "63,000.00 元", no_ok,
		    "据证书登记簿，有效期至", day_from_now(300), NULL };

		page_has(app, path, want);
	}
	snprintf(path, sizeof(path), "/cases/%lld/submit", id);
	{
		const char *kv[] = { "confirm", "yes", NULL };
		char cp[96];

		snprintf(cp, sizeof(cp), "/cases/%lld/check", id);
		post(app, cp, path, kv, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}

	/* Open, on time: valid and marked; still so past its expiry. */
	{
		const char *want[] = { "id=\"cert-state\">有效<",
		    "id=\"cert-maint\">维持申请审查中<", NULL };
		const char *past[] = { "id=\"cert-state\">有效<",
		    "维持申请审查中", "虽已超过", NULL };

		verify_has(anon, no_ok, want);
		snprintf(sql, sizeof(sql), "UPDATE certificate SET expires_on = "
		    "'%s' WHERE no = '%s'", day_from_now(-20), no_ok);
		tj_sql(sql);
		const char *list[] = { no_ok, ">维持申请审查中<", NULL };

		verify_has(anon, no_ok, past);
		page_has(anon, "/certified", list);
	}

	/* Passed: into a batch, approved by a second officer; the old
	 * certificate is 已换发, pointing to the new one. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s' WHERE id = "
	    "%lld", "certificate_pending", id);
	tj_sql(sql);
	{
		const char *kv[] = { "case", NULL, NULL };
		char idb[32];

		snprintf(idb, sizeof(idb), "%lld", id);
		kv[1] = idb;
		post(ca, "/batches", "/batches", kv, &r);
		assert_int_equal(r.status, 303);
		bid = strtoll(strrchr(http_header(&r, "Location"), '/') + 1,
		    NULL, 10);
		http_resp_free(&r);
		cb = tj_staff(url, "cert_staff", e2, sizeof(e2));
		snprintf(path, sizeof(path), "/batches/%lld/approve", bid);
		snprintf(file, sizeof(file), "/batches/%lld", bid);
		{
			const char *sure[] = { "confirm", "1", NULL };

			/* 批准发证 asks first (issue 17). */
			post(cb, file, path, sure, &r);
			assert_int_equal(r.status, 303);
			http_resp_free(&r);
		}
	}
	snprintf(sql, sizeof(sql), "SELECT no FROM certificate WHERE case_id = "
	    "%lld", id);
	{
		char *newno = tj_sql_text(sql);
		const char *want[] = { "id=\"cert-state\">已换发<", newno,
		    "id=\"successor\"", NULL };
		const char *list[] = { ">已换发<", newno, NULL };

		assert_non_null(newno);
		verify_has(anon, no_ok, want);
		page_has(anon, "/certified", list);
		free(newno);
	}
	http_client_free(app);
	http_client_free(ca);
	http_client_free(cb);
	http_client_free(anon);
}

static void
test_pages(void **state)
{
	journey(getenv("ZIZHI_SERVE_URL"), 0);
	journey(getenv("ZIZHI_FCGI_URL"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_pages),
	};

	return cmocka_run_group_tests_name("maintenance", tests, NULL, NULL);
}
