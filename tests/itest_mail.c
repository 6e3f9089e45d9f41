/*
 * itest_mail.c: notices reach the applicant by e-mail. A real SMTP
 * server (tests/smtp_sink.c) on a loopback port; a case is taken to a
 * supplement request through the web pages; `zizhi sweep` delivers the
 * 补正告知书 (recipient, subject, case number, due date); a second sweep
 * sends nothing; with the server down the message stays in the outbox
 * and goes out on a later run. The notice goes to the 申请书's designated
 * contact address as well as the accounts; the server's 250 serves it
 * (送达), and the supplement's month runs from that day (a sweep run as
 * of two days later: due two days later); an address the server refuses
 * (550) shows on the case for the lead (test_bounce).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "rules.h"
#include "testlib_journey.h"

struct sink {
	pid_t	pid;
	int	port;
	char	dir[128];
};

/* The sink running now, stopped by the teardown if a test fails. */
static pid_t running_sink;

static int
teardown(void **state)
{
	if (running_sink > 0) {
		kill(running_sink, SIGTERM);
		waitpid(running_sink, NULL, 0);
		running_sink = 0;
	}
	return 0;
}

static void
sink_start_failing(struct sink *k, const char *dir, const char *fail_rcpt);

static void
sink_start(struct sink *k, const char *dir)
{
	sink_start_failing(k, dir, NULL);
}

/* The sink, answering 550 to RCPT TO:<fail_rcpt> when not NULL. */
static void
sink_start_failing(struct sink *k, const char *dir, const char *fail_rcpt)
{
	char portfile[256], buf[16];
	FILE *f;
	int i;

	snprintf(k->dir, sizeof(k->dir), "%s", dir);
	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	unlink(portfile);
	if ((k->pid = fork()) == 0) {
		/* Not the test's stdout: a pipe reading it must see EOF. */
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		if (fail_rcpt != NULL)
			execl(getenv("ZIZHI_SMTP_SINK"), "smtp_sink",
			    "--port-file", portfile, "--out", dir,
			    "--fail-rcpt", fail_rcpt, (char *)NULL);
		else
			execl(getenv("ZIZHI_SMTP_SINK"), "smtp_sink",
			    "--port-file", portfile, "--out", dir, (char *)NULL);
		_exit(127);
	}
	assert_true(k->pid > 0);
	running_sink = k->pid;
	for (i = 0; i < 100; i++) {
		if ((f = fopen(portfile, "r")) != NULL) {
			if (fgets(buf, sizeof(buf), f) != NULL &&
			    (k->port = atoi(buf)) > 0) {
				fclose(f);
				return;
			}
			fclose(f);
		}
		usleep(50000);
	}
	fail_msg("smtp_sink did not start (ZIZHI_SMTP_SINK=%s)",
	    getenv("ZIZHI_SMTP_SINK"));
}

static void
sink_stop(struct sink *k)
{
	int status;

	kill(k->pid, SIGTERM);
	assert_int_equal(waitpid(k->pid, &status, 0), k->pid);
	running_sink = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Runs zizhi sweep against port (as of day, YYYY-MM-DD, when not NULL);
 * returns its output line. */
static void
sweep_on(int port, const char *day, char *out, size_t len)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ZIZHI_SMTP_URL=smtp://127.0.0.1:%d "
	    "ZIZHI_SMTP_FROM=zizhi@centre.example %s sweep --db '%s' "
	    "--backoff 0 --public-url https://zizhi.example.cn%s%s", port,
	    getenv("ZIZHI_BIN"), getenv("ZIZHI_DB"), day ? " --now " : "",
	    day ? day : "");
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void
sweep(int port, char *out, size_t len)
{
	sweep_on(port, NULL, out, len);
}

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".eml") != NULL)
			n++;
	closedir(d);
	return n;
}

static int
b64val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/", *p;

	p = c ? strchr(t, c) : NULL;
	return p ? (int)(p - t) : -1;
}

/* Decodes base64 from s to the end or the first non-base64 character
 * other than CR, LF and '='. */
static void
b64dec(const char *s, struct buf *out)
{
	unsigned v = 0;
	int bits = 0, x;

	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n')
			continue;
		if ((x = b64val(*s)) < 0)
			break;
		v = (v << 6) | (unsigned)x;
		if ((bits += 6) >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
}

/* The decoded subject and body of a stored message. */
static void
decode(const char *eml, struct buf *subject, struct buf *body)
{
	const char *p = strstr(eml, "Subject: "), *end;

	assert_non_null(p);
	end = strstr(p, "\r\n");
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL && p < end + 1) {
		p += 10;
		b64dec(p, subject);
		while (end != NULL && strncmp(end, "\r\n ", 3) == 0)
			end = strstr(end + 3, "\r\n");
	}
	p = strstr(eml, "\r\n\r\n");
	assert_non_null(p);
	b64dec(p + 4, body);
}

/* The raw text of the last message find_message found. */
static struct buf found_raw;

/* The message to `to` about case_no in dir, decoded; 1 if found. */
static int
find_message(const char *dir, const char *to, const char *case_no,
    const char *want_subject, struct buf *subject, struct buf *body)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512], line[300];
	struct buf raw;
	FILE *f;
	size_t n;
	char chunk[4096];
	int found = 0;

	assert_non_null(d);
	while (!found && (e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".eml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		buf_init(&raw);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&raw, chunk, n);
		fclose(f);
		snprintf(line, sizeof(line), "X-Envelope-To: <%s>", to);
		if (strstr(raw.p, line) != NULL) {
			buf_reset(subject);
			buf_reset(body);
			decode(raw.p, subject, body);
			if (subject->p && strstr(subject->p, case_no) &&
			    strstr(subject->p, want_subject)) {
				found = 1;
				buf_reset(&found_raw);
				buf_puts(&found_raw, raw.p);
			}
		}
		buf_free(&raw);
	}
	closedir(d);
	return found;
}

static void
request_supplement(struct http_client *lead, long long id)
{
	char p[128], q[128];
	const char *none[] = { NULL };
	const char *kv[] = { "items._rows", "1", "item_target.0", "s2",
	    "item_what.0", "请补充发展历程", "confirm", "1", NULL };
	struct http_resp r;
	char *body;

	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	body = tj_form(tj_token(lead, p), none);
	http_post_form(lead, q, body, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	free(body);
	snprintf(q, sizeof(q), "/cases/%lld/review/supplement", id);
	body = tj_form(tj_token(lead, p), kv);
	http_post_form(lead, q, body, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	free(body);
}

static void
test_mail(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	struct http_client *app, *lead, *app2;
	struct sink k;
	struct buf subject, body;
	char dir[] = "/tmp/zizhi-mail.XXXXXX", dir2[] = "/tmp/zizhi-mail.XXXXXX";
	char e[128], out[512], to[256], case_no[64], sql[256];
	long long id, id2;
	int before, sent;

	assert_non_null(mkdtemp(dir));
	assert_non_null(mkdtemp(dir2));
	sink_start(&k, dir);
	id = tj_submitted_case(url, "邮件测试有限公司", &app);
	lead = tj_staff(url, "lead", e, sizeof(e));
	request_supplement(lead, id);
	snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE org_id = "
	    "(SELECT org_id FROM cases WHERE id = %lld)", id);
	{
		/* The applicant's address and the case number and due date. */
		char q[256];

		snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE "
		    "case_id = %lld AND state = 'pending'", id);
		assert_true(tj_sql_int(q) >= 2);	/* receipt, supplement */
	}
	/* Read what we will look for from the database. */
	{
		char q[256];
		FILE *p;
		char cmd[512];

		snprintf(q, sizeof(q), "SELECT a.email || ' ' || c.case_no "
		    "FROM cases c JOIN account a ON a.org_id = c.org_id WHERE "
		    "c.id = %lld", id);
		snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"",
		    getenv("ZIZHI_DB"), q);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_int_equal(fscanf(p, "%255s %63s", to, case_no), 2);
		pclose(p);
	}

	sweep(k.port, out, sizeof(out));
	assert_non_null(strstr(out, "sent"));
	buf_init(&subject);
	buf_init(&body);
	if (!find_message(dir, to, case_no, "补正告知书", &subject, &body))
		fail_msg("no 补正告知书 to %s for %s in %s", to, case_no, dir);
	assert_non_null(strstr(body.p, case_no));
	assert_non_null(strstr(body.p, "送达之日起一个月内"));
	/* The case to act on, on the site's address (the server's own:
	 * the notice was made there); the centre's name in From (issue
	 * 19, item 8). */
	{
		const char *at = strstr(body.p, "查看和办理此案件：http");

		snprintf(sql, sizeof(sql), "/cases/%lld", id);
		if (at == NULL || (at = strstr(at, sql)) == NULL ||
		    (at[strlen(sql)] != '\r' && at[strlen(sql)] != '\n'))
			fail_msg("no link to the case in: %s", body.p);
	}
	/* "中国信息安全测评中心", encoded, then the address. */
	assert_non_null(strstr(found_raw.p, "From: =?UTF-8?B?"
	    "5Lit5Zu95L+h5oGv5a6J5YWo5rWL6K+E5Lit5b+D?=\r\n "
	    "<zizhi@centre.example>\r\n"));
	assert_non_null(strstr(body.p, "请补充发展历程"));
	/* The server took it today: served, due one month on. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM notice_service s "
	    "JOIN notice n ON n.id = s.notice_id WHERE n.case_id = %lld AND "
	    "n.kind = 'supplement' AND s.via = 'smtp' AND s.due IS NOT NULL",
	    id);
	assert_int_equal(tj_sql_int(sql), 1);
	assert_true(find_message(dir, to, case_no, "收件凭证", &subject,
	    &body));

	/* Once accepted by the server, never again. */
	before = count_files(dir);
	sweep(k.port, out, sizeof(out));
	assert_non_null(strstr(out, " 0 sent"));
	assert_int_equal(count_files(dir), before);

	/* The server down: the next notice waits in the outbox... */
	sink_stop(&k);
	id2 = tj_submitted_case(url, "邮件测试二公司", &app2);
	sweep(k.port, out, sizeof(out));
	assert_non_null(strstr(out, " 0 sent"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE case_id "
	    "= %lld AND state = 'pending' AND attempts >= 1 AND last_error IS "
	    "NOT NULL", id2);
	/* The receipt, to the account and to the designated contact. */
	assert_int_equal(tj_sql_int(sql), 2);
	/* ...and is delivered by a later run. */
	sink_start(&k, dir2);
	sweep(k.port, out, sizeof(out));
	sent = atoi(strstr(out, "queued, ") + 8);
	assert_true(sent >= 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE case_id "
	    "= %lld AND state = 'sent'", id2);
	assert_int_equal(tj_sql_int(sql), 2);
	assert_true(count_files(dir2) >= 1);
	sink_stop(&k);

	buf_free(&subject);
	buf_free(&body);
	snprintf(out, sizeof(out), "rm -rf %s %s", dir, dir2);
	assert_int_equal(system(out), 0);
	http_client_free(app);
	http_client_free(app2);
	http_client_free(lead);
}

/* Day n days from today in Beijing, YYYY-MM-DD. */
static void
day_from_today(int n, char *out)
{
	date_day((long long)time(NULL) + (long long)n * 86400, out);
}

static void
test_service(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	const char *s1[] = { "contact_email", "contact@served.example", NULL };
	struct http_client *app, *lead;
	struct sink k;
	struct buf subject, body;
	char dir[] = "/tmp/zizhi-mail.XXXXXX";
	char e[128], out[512], sql[512], p[128], case_no[64], *no;
	char day2[DATE_BUFSZ], due[DATE_BUFSZ];
	long long id;
	zdate d2;

	assert_non_null(mkdtemp(dir));
	lead = tj_staff(url, "lead", e, sizeof(e));

	/* The supplement requested today; the mail server accepts it only
	 * two days later (the sweep run as of then). */
	id = tj_submitted_case_s1(url, "送达测试有限公司", s1, &app);
	request_supplement(lead, id);
	snprintf(p, sizeof(p), "/cases/%lld", id);
	{
		const char *unserved[] = { "待送达", NULL };

		tj_see(app, p, unserved);
	}
	day_from_today(2, day2);
	assert_int_equal(date_parse(day2, &d2), 0);
	date_format(rules_supplement_due(rules_default(), d2), due);
	sink_start(&k, dir);
	sweep_on(k.port, day2, out, sizeof(out));
	sink_stop(&k);
	snprintf(sql, sizeof(sql), "SELECT s.day || ' ' || s.due FROM "
	    "notice_service s JOIN notice n ON n.id = s.notice_id WHERE "
	    "n.case_id = %lld AND n.kind = 'supplement' AND s.via = 'smtp'",
	    id);
	no = tj_sql_text(sql);
	assert_non_null(no);
	snprintf(out, sizeof(out), "%s %s", day2, due);
	assert_string_equal(no, out);
	free(no);
	{
		/* The case page writes them the Chinese way (issue 17). */
		char due_zh[DATE_BUFSZ], day2_zh[DATE_BUFSZ];
		zdate dz;
		const char *served[] = { "邮件服务器已接收", due_zh, day2_zh,
		    NULL };

		assert_int_equal(date_parse(due, &dz), 0);
		date_zh(dz, due_zh);
		date_zh(d2, day2_zh);
		tj_see(app, p, served);
	}
	/* It went to the designated contact address too. */
	snprintf(sql, sizeof(sql), "SELECT case_no FROM cases WHERE id = %lld",
	    id);
	no = tj_sql_text(sql);
	snprintf(case_no, sizeof(case_no), "%s", no);
	free(no);
	buf_init(&subject);
	buf_init(&body);
	assert_true(find_message(dir, "contact@served.example", case_no,
	    "补正告知书", &subject, &body));

	buf_free(&subject);
	buf_free(&body);
	snprintf(out, sizeof(out), "rm -rf %s", dir);
	assert_int_equal(system(out), 0);
	http_client_free(app);
	http_client_free(lead);
}

/* The contact address bounces (550): the lead sees it on the case and on
 * the review page; the applicant does not. */
static void
test_bounce(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	const char *s1b[] = { "contact_email", "nobody@bounce.example", NULL };
	struct http_client *lead, *app2;
	struct sink k;
	char dir2[] = "/tmp/zizhi-mail.XXXXXX";
	char e[128], out[512], sql[512], p[128];
	long long id2;

	assert_non_null(mkdtemp(dir2));
	lead = tj_staff(url, "lead", e, sizeof(e));
	id2 = tj_submitted_case_s1(url, "退信测试有限公司", s1b, &app2);
	request_supplement(lead, id2);
	sink_start_failing(&k, dir2, "nobody@bounce.example");
	sweep(k.port, out, sizeof(out));
	sink_stop(&k);
	assert_non_null(strstr(out, "failed"));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE case_id "
	    "= %lld AND state = 'failed' AND to_addr = "
	    "'nobody@bounce.example'", id2);
	assert_true(tj_sql_int(sql) >= 1);
	snprintf(p, sizeof(p), "/cases/%lld", id2);
	{
		const char *bounced[] = { "邮件退信", "nobody@bounce.example",
		    "550", NULL };
		struct http_resp r;

		tj_see(lead, p, bounced);
		snprintf(sql, sizeof(sql), "/cases/%lld/review", id2);
		tj_see(lead, sql, bounced);
		http_get(app2, p, &r);
		assert_int_equal(r.status, 200);
		assert_false(http_body_has(&r, "邮件退信"));
		http_resp_free(&r);
	}

	snprintf(out, sizeof(out), "rm -rf %s", dir2);
	assert_int_equal(system(out), 0);
	http_client_free(app2);
	http_client_free(lead);
}

/*
 * Issue 14, item 2: the token of a reset link was in the outbox's body,
 * readable at /admin/outbox and kept in every backup: an administrator
 * could take over any account. Now the body holds a mark, the secret is
 * kept apart until the mail is sent, the administrator's view masks it,
 * and the sent message keeps nothing of it.
 */
static void
test_reset_secret(void **state)
{
	const char *url = getenv("ZIZHI_SERVE_URL");
	struct http_client *app, *anon, *admin;
	struct http_resp r;
	struct buf subject, body;
	struct sink k;
	char dir[] = "/tmp/zizhi-mail.XXXXXX", sql[512], form[300], out[512],
	    path[64], token[64], *email, *e, *s;
	long long mid;

	assert_non_null(mkdtemp(dir));
	app = tj_applicant(url, "重设链接测试有限公司");
	email = tj_sql_text("SELECT email FROM account WHERE role = "
	    "'applicant' ORDER BY id DESC LIMIT 1");
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'reset:%'");
	anon = http_client_new(url);
	e = http_urlencode(email);
	snprintf(form, sizeof(form), "email=%s", e);
	http_post_form(anon, "/password/forgot", form, &r);
	assert_int_equal(r.status, 303);
	http_resp_free(&r);
	snprintf(sql, sizeof(sql), "SELECT max(id) FROM outbox WHERE to_addr = "
	    "'%s' AND subject = '重设密码'", email);
	mid = tj_sql_int(sql);
	snprintf(sql, sizeof(sql), "SELECT secret FROM outbox WHERE id = %lld",
	    mid);
	s = tj_sql_text(sql);
	assert_non_null(s);
	assert_int_equal(strlen(s), 43);
	snprintf(token, sizeof(token), "%s", s);
	free(s);
	/* Not in the body the outbox keeps... */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE id = "
	    "%lld AND instr(body, '%s') = 0 AND instr(body, '[[SECRET]]') > 0",
	    mid, token);
	if (tj_sql_int(sql) != 1)
		fail_msg("the reset token is in the stored body");
	/* ...nor on the administrator's page. */
	admin = tj_staff(url, "admin", form, sizeof(form));
	snprintf(path, sizeof(path), "/admin/outbox/%lld", mid);
	http_get(admin, path, &r);
	assert_int_equal(r.status, 200);
	assert_false(http_body_has(&r, token));
	assert_true(http_body_has(&r, "/password/reset?token=（一次性凭证，已隐藏）"));
	http_resp_free(&r);

	/* The mail sent has it; afterwards nothing keeps it. */
	sink_start(&k, dir);
	sweep(k.port, out, sizeof(out));
	sink_stop(&k);
	buf_init(&subject);
	buf_init(&body);
	if (!find_message(dir, email, "", "重设密码", &subject, &body))
		fail_msg("no reset mail to %s in %s", email, dir);
	assert_non_null(strstr(body.p, token));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE id = "
	    "%lld AND state = 'sent' AND secret IS NULL", mid);
	assert_int_equal(tj_sql_int(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE "
	    "instr(body, '%s') > 0 OR instr(coalesce(secret, ''), '%s') > 0",
	    token, token);
	assert_int_equal(tj_sql_int(sql), 0);
	printf("  the reset token: not in the outbox's body nor on "
	    "/admin/outbox; sent; then blanked\n");
	buf_free(&subject);
	buf_free(&body);
	snprintf(out, sizeof(out), "rm -rf %s", dir);
	assert_int_equal(system(out), 0);
	free(e);
	free(email);
	http_client_free(app);
	http_client_free(anon);
	http_client_free(admin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mail, teardown),
		cmocka_unit_test_teardown(test_service, teardown),
		cmocka_unit_test_teardown(test_bounce, teardown),
		cmocka_unit_test_teardown(test_reset_secret, teardown),
	};

	return cmocka_run_group_tests_name("e-mail", tests, NULL, NULL);
}
