/*
 * itest_mail.c: notices reach the applicant by e-mail. A real SMTP
 * server (tests/smtp_sink.c) on a loopback port; a case is taken to a
 * supplement request through the web pages; `zizhi sweep` delivers the
 * 补正告知书 (recipient, subject, case number, due date); a second sweep
 * sends nothing; with the server down the message stays in the outbox
 * and goes out on a later run.
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
sink_start(struct sink *k, const char *dir)
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
		execl(getenv("ZIZHI_SMTP_SINK"), "smtp_sink", "--port-file",
		    portfile, "--out", dir, (char *)NULL);
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

/* Runs zizhi sweep against port; returns its output line. */
static void
sweep(int port, char *out, size_t len)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ZIZHI_SMTP_URL=smtp://127.0.0.1:%d "
	    "ZIZHI_SMTP_FROM=zizhi@centre.example %s sweep --db '%s' "
	    "--backoff 0", port, getenv("ZIZHI_BIN"), getenv("ZIZHI_DB"));
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (fgets(out, (int)len, p) == NULL)
		out[0] = '\0';
	assert_int_equal(pclose(p), 0);
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
			    strstr(subject->p, want_subject))
				found = 1;
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
	char e[128], out[512], to[256], case_no[64], due[32], sql[256];
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

		snprintf(q, sizeof(q), "SELECT a.email || ' ' || c.case_no || "
		    "' ' || n.due FROM cases c JOIN account a ON a.org_id = "
		    "c.org_id JOIN notice n ON n.case_id = c.id AND n.kind = "
		    "'supplement' WHERE c.id = %lld", id);
		snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"",
		    getenv("ZIZHI_DB"), q);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_int_equal(fscanf(p, "%255s %63s %31s", to, case_no,
		    due), 3);
		pclose(p);
	}

	sweep(k.port, out, sizeof(out));
	assert_non_null(strstr(out, "sent"));
	buf_init(&subject);
	buf_init(&body);
	if (!find_message(dir, to, case_no, "补正告知书", &subject, &body))
		fail_msg("no 补正告知书 to %s for %s in %s", to, case_no, dir);
	assert_non_null(strstr(body.p, case_no));
	assert_non_null(strstr(body.p, due));
	assert_non_null(strstr(body.p, "请补充发展历程"));
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
	assert_int_equal(tj_sql_int(sql), 1);
	/* ...and is delivered by a later run. */
	sink_start(&k, dir2);
	sweep(k.port, out, sizeof(out));
	sent = atoi(strstr(out, "queued, ") + 8);
	assert_true(sent >= 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE case_id "
	    "= %lld AND state = 'sent'", id2);
	assert_int_equal(tj_sql_int(sql), 1);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mail, teardown),
	};

	return cmocka_run_group_tests_name("e-mail", tests, NULL, NULL);
}
