/*
 * itest_races.c: checks that guard a write hold against real concurrency
 * through both doors (issue 14, items 5 and 14). The integration run's
 * FastCGI door has 4 workers behind nginx; each request below is sent
 * by its own process, all released at once, each with its own session
 * of the same applicant. Before the domain layer ran every check inside
 * the write's BEGIN IMMEDIATE, the probe found: 4 open appeals on one
 * case; 4 current files in a one-file slot, 31 in a 30-file slot; a
 * save or upload answered 303 that landed after the round was frozen;
 * 8 submits of one case answered 1x303, 5x409 and 2x500.
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

#include "testlib_journey.h"

#define MAX_AT_ONCE	8

static const char *urls[2];
static const char *door_name[2] = { "serve", "nginx+fcgi (4 workers)" };

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	if (urls[0] == NULL || urls[1] == NULL || getenv("ZIZHI_DB") == NULL) {
		fprintf(stderr, "run under tests/integration.sh\n");
		return -1;
	}
	return 0;
}

/* One request a process may send: what, on which case, with a token. */
struct req {
	struct http_client	*c;
	char			 csrf[64];
	enum { R_SUBMIT, R_APPEAL, R_UPLOAD, R_SAVE } what;
	const char		*kind;	/* R_UPLOAD: the slot */
	int			 n;	/* R_UPLOAD: which file */
};

static long long case_id;

/* A PDF of its own for upload n. */
static size_t
pdf(int n, char *out, size_t len)
{
	return (size_t)snprintf(out, len, "%%PDF-1.4\n%% race %d %ld\n1 0 obj\n"
	    "<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
	    "%%%%EOF\n", n, (long)getpid());
}

static long
send_one(struct req *q)
{
	struct http_resp r;
	char path[128], body[256], data[256];
	const char *fields[8];
	long st;

	switch (q->what) {
	case R_SUBMIT:
		snprintf(path, sizeof(path), "/cases/%lld/submit", case_id);
		snprintf(body, sizeof(body), "csrf=%s&confirm=yes", q->csrf);
		http_post_form(q->c, path, body, &r);
		break;
	case R_SAVE: {
		/* Section 二 complete, its profile changed: the case stays
		 * ready to submit. */
		struct tj_dates dt;
		const char *sid, *const *kv, *mine[32];
		char profile[64], *form;
		size_t i;

		tj_dates(&dt);
		kv = tj_section(&dt, 1, &sid);
		snprintf(profile, sizeof(profile), "并发保存的简介 %d",
		    (int)getpid());
		for (i = 0; kv[i] != NULL && i < 30; i += 2) {
			mine[i] = kv[i];
			mine[i + 1] = strcmp(kv[i], "profile") == 0 ? profile :
			    kv[i + 1];
		}
		mine[i] = NULL;
		snprintf(path, sizeof(path), "/cases/%lld/form/%s", case_id,
		    sid);
		form = tj_form(q->csrf, mine);
		http_post_form(q->c, path, form, &r);
		free(form);
		break;
	}
	case R_APPEAL:
		snprintf(path, sizeof(path), "/cases/%lld/appeal", case_id);
		fields[0] = "csrf";
		fields[1] = q->csrf;
		fields[2] = "text";
		fields[3] = "我单位对不予受理的结论有异议。";
		fields[4] = NULL;
		http_post_file(q->c, path, fields, "files", "申诉.pdf", tj_pdf,
		    tj_pdf_len, &r);
		break;
	default:
		snprintf(path, sizeof(path), "/cases/%lld/materials", case_id);
		fields[0] = "csrf";
		fields[1] = q->csrf;
		fields[2] = "kind";
		fields[3] = q->kind;
		fields[4] = "row";
		fields[5] = "-1";
		fields[6] = NULL;
		http_post_file(q->c, path, fields, "file", "同时上传.pdf", data,
		    pdf(q->n, data, sizeof(data)), &r);
		break;
	}
	st = r.status;
	http_resp_free(&r);
	return st;
}

/*
 * Sends the n requests at once, each from its own process, and puts
 * their statuses in st.
 */
static void
at_once(struct req *q, int n, long *st)
{
	int go[2], back[2], i, status, k;
	char c, line[64];
	pid_t pid[MAX_AT_ONCE];
	FILE *f;

	assert_true(n <= MAX_AT_ONCE);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(back), 0);
	fflush(NULL);
	for (i = 0; i < n; i++) {
		if ((pid[i] = fork()) == 0) {
			close(go[1]);
			close(back[0]);
			if (read(go[0], &c, 1) != 0)
				_exit(2);
			snprintf(line, sizeof(line), "%d %ld\n", i,
			    send_one(&q[i]));
			if (write(back[1], line, strlen(line)) < 0)
				_exit(2);
			_exit(0);
		}
		assert_true(pid[i] > 0);
	}
	close(go[0]);
	close(back[1]);
	close(go[1]);			/* all go now */
	for (i = 0; i < n; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	f = fdopen(back[0], "r");
	assert_non_null(f);
	for (i = 0; i < n; i++) {
		assert_non_null(fgets(line, sizeof(line), f));
		k = atoi(line);
		assert_true(k >= 0 && k < n);
		st[k] = atol(strchr(line, ' ') + 1);
	}
	fclose(f);
}

/* n sessions of the newest applicant at url (password of tj_applicant):
 * each its own client and connection. */
static void
sessions(const char *url, struct http_client **c, int n)
{
	struct http_resp r;
	char form[300], *email = tj_sql_text("SELECT email FROM account "
	    "WHERE role = 'applicant' ORDER BY id DESC LIMIT 1");
	char *e = http_urlencode(email);
	int i;

	for (i = 0; i < n; i++) {
		c[i] = http_client_new(url);
		snprintf(form, sizeof(form), "email=%s&password=a+good+long+"
		    "password", e);
		http_post_form(c[i], "/login", form, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
	}
	free(e);
	free(email);
}

static void
count_statuses(const long *st, int n, int *ok, int *conflict, int *other)
{
	int i;

	*ok = *conflict = *other = 0;
	for (i = 0; i < n; i++) {
		if (st[i] == 303)
			(*ok)++;
		else if (st[i] == 409)
			(*conflict)++;
		else
			(*other)++;
		assert_true(st[i] != 500);
	}
}

/* The integer sql gives, each "%lld" in it the case's id. */
static long long
num(const char *sql, long long id)
{
	char out[1024], n[32];
	const char *p;
	size_t o = 0;

	snprintf(n, sizeof(n), "%lld", id);
	for (p = sql; *p != '\0' && o + strlen(n) + 1 < sizeof(out); p++) {
		if (strncmp(p, "%lld", 4) == 0) {
			memcpy(out + o, n, strlen(n));
			o += strlen(n);
			p += 3;
		} else
			out[o++] = *p;
	}
	out[o] = '\0';
	return tj_sql_int(out);
}

/* Item 14: 8 submits of one case: one 303, seven 409, never a 500. */
static void
test_submits(void **state)
{
	struct http_client *c[8], *owner;
	struct req q[8];
	long st[8];
	int d, i, ok, conflict, other;

	for (d = 0; d < 2; d++) {
		owner = tj_applicant(urls[d], "并发提交测试有限公司");
		case_id = tj_new_case(owner);
		{
			struct tj_dates dt;

			tj_dates(&dt);
			tj_fill_form(owner, case_id, &dt);
		}
		tj_upload_missing(owner, case_id);
		sessions(urls[d], c, 8);
		for (i = 0; i < 8; i++) {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].c = c[i];
			q[i].what = R_SUBMIT;
			snprintf(q[i].csrf, sizeof(q[i].csrf), "%s",
			    tj_token(c[i], "/cases"));
		}
		at_once(q, 8, st);
		count_statuses(st, 8, &ok, &conflict, &other);
		printf("  %s: 8 submits at once: %dx303, %dx409, %d other\n",
		    door_name[d], ok, conflict, other);
		assert_int_equal(ok, 1);
		assert_int_equal(conflict, 7);
		assert_int_equal(num("SELECT count(*) FROM round WHERE case_id = "
		    "%lld", case_id), 1);
		for (i = 0; i < 8; i++)
			http_client_free(c[i]);
		http_client_free(owner);
	}
}

/* Item 5: 4 appeals of one refused case: one open appeal. */
static void
test_appeals(void **state)
{
	struct http_client *c[4], *owner, *lead;
	struct req q[4];
	char sql[1024], le[128];
	long st[4];
	int d, i, ok, conflict, other;

	for (d = 0; d < 2; d++) {
		case_id = tj_submitted_case(urls[d], "并发申诉测试有限公司",
		    &owner);
		/* Refused by a lead (as itest_supervise does it). */
		lead = tj_staff(urls[d], "lead", le, sizeof(le));
		snprintf(sql, sizeof(sql), "INSERT INTO event(case_id, at, day, "
		    "actor_id, from_status, to_status, reason) VALUES (%lld, "
		    "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'), date('now'), "
		    "(SELECT id FROM account WHERE email = '%s'), 'submitted', "
		    "'rejected', '基本能力不符合要求'); UPDATE cases SET status = "
		    "'rejected', is_open = 0 WHERE id = %lld", case_id, le,
		    case_id);
		tj_sql(sql);
		http_client_free(lead);
		sessions(urls[d], c, 4);
		for (i = 0; i < 4; i++) {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].c = c[i];
			q[i].what = R_APPEAL;
			snprintf(q[i].csrf, sizeof(q[i].csrf), "%s",
			    tj_token(c[i], "/"));
		}
		at_once(q, 4, st);
		count_statuses(st, 4, &ok, &conflict, &other);
		printf("  %s: 4 appeals at once: %dx303, %dx409, %d other; "
		    "open appeals %lld\n", door_name[d], ok, conflict, other,
		    num("SELECT count(*) FROM appeal WHERE case_id = %lld AND "
		    "concluded_at IS NULL", case_id));
		assert_int_equal(num("SELECT count(*) FROM appeal WHERE case_id "
		    "= %lld AND concluded_at IS NULL", case_id), 1);
		assert_int_equal(ok, 1);
		for (i = 0; i < 4; i++)
			http_client_free(c[i]);
		http_client_free(owner);
	}
}

/* Item 5: a one-file slot uploaded 4 times at once keeps 1 file; a
 * 30-file slot holding 28 gets 4 at once and keeps 30. */
static void
test_slots(void **state)
{
	struct http_client *c[4], *owner;
	struct req q[4];
	long st[4];
	int d, i, ok, conflict, other;

	for (d = 0; d < 2; d++) {
		owner = tj_applicant(urls[d], "并发上传测试有限公司");
		case_id = tj_new_case(owner);
		sessions(urls[d], c, 4);
		for (i = 0; i < 4; i++) {
			memset(&q[i], 0, sizeof(q[i]));
			q[i].c = c[i];
			q[i].what = R_UPLOAD;
			q[i].kind = "sealed_form";
			q[i].n = i;
			snprintf(q[i].csrf, sizeof(q[i].csrf), "%s",
			    tj_token(c[i], "/cases"));
		}
		at_once(q, 4, st);
		count_statuses(st, 4, &ok, &conflict, &other);
		printf("  %s: 4 uploads at once to a one-file slot: %dx303, "
		    "%dx409; current files %lld\n", door_name[d], ok, conflict,
		    num("SELECT count(*) FROM material WHERE case_id = %lld "
		    "AND kind = 'sealed_form' AND state = 'current'", case_id));
		assert_int_equal(num("SELECT count(*) FROM material WHERE "
		    "case_id = %lld AND kind = 'sealed_form' AND state = "
		    "'current'", case_id), 1);
		assert_int_equal(ok, 1);
		/* 28 files, then 4 at once. */
		for (i = 0; i < 28; i++) {
			q[0].kind = "other_files";
			q[0].n = 100 + i;
			assert_int_equal(send_one(&q[0]), 303);
		}
		for (i = 0; i < 4; i++) {
			q[i].kind = "other_files";
			q[i].n = 200 + i;
		}
		at_once(q, 4, st);
		count_statuses(st, 4, &ok, &conflict, &other);
		printf("  %s: 28 files, then 4 at once to a 30-file slot: "
		    "%dx303, %dx409; current files %lld\n", door_name[d], ok,
		    conflict, num("SELECT count(*) FROM material WHERE case_id "
		    "= %lld AND kind = 'other_files' AND state = 'current'",
		    case_id));
		assert_int_equal(num("SELECT count(*) FROM material WHERE "
		    "case_id = %lld AND kind = 'other_files' AND state = "
		    "'current'", case_id), 30);
		assert_int_equal(ok, 2);
		for (i = 0; i < 4; i++)
			http_client_free(c[i]);
		http_client_free(owner);
	}
}

/* Item 5: saves and uploads racing the submit: whatever was answered
 * 303 is in the frozen round, and nothing lands after it (the live
 * data equals round 1). */
static void
test_after_submit(void **state)
{
	struct http_client *c[6], *owner;
	struct tj_dates dt;
	struct req q[6];
	long st[6];
	int d, i, k, ok, conflict, other;

	tj_dates(&dt);
	for (d = 0; d < 2; d++) {
		for (k = 0; k < 3; k++) {
			owner = tj_applicant(urls[d], "提交竞争测试有限公司");
			case_id = tj_new_case(owner);
			tj_fill_form(owner, case_id, &dt);
			tj_upload_missing(owner, case_id);
			sessions(urls[d], c, 6);
			for (i = 0; i < 6; i++) {
				memset(&q[i], 0, sizeof(q[i]));
				q[i].c = c[i];
				q[i].what = i == k ? R_SUBMIT : i % 2 ?
				    R_SAVE : R_UPLOAD;
				q[i].kind = "other_files";
				q[i].n = 300 + i;
				snprintf(q[i].csrf, sizeof(q[i].csrf), "%s",
				    tj_token(c[i], "/cases"));
			}
			at_once(q, 6, st);
			count_statuses(st, 6, &ok, &conflict, &other);
			printf("  %s: a submit among 2 saves and 3 uploads: "
			    "%dx303, %dx409, %d other\n", door_name[d], ok,
			    conflict, other);
			assert_int_equal(st[k], 303);
			assert_int_equal(other, 0);
			/* Live equals frozen: every value and current file
			 * is in round 1, and round 1 has nothing else. */
			assert_int_equal(num("SELECT count(*) FROM form_value f "
			    "WHERE case_id = %lld AND NOT EXISTS (SELECT 1 FROM "
			    "round_value v JOIN round r ON r.id = v.round_id "
			    "WHERE r.case_id = f.case_id AND r.n = 1 AND v.field "
			    "= f.field AND v.row = f.row AND v.value = f.value)",
			    case_id), 0);
			assert_int_equal(num("SELECT (SELECT count(*) FROM "
			    "form_value WHERE case_id = %lld) - (SELECT count(*) "
			    "FROM round_value v JOIN round r ON r.id = v.round_id "
			    "WHERE r.case_id = %lld AND r.n = 1)", case_id), 0);
			assert_int_equal(num("SELECT count(*) FROM material m "
			    "WHERE case_id = %lld AND state = 'current' AND NOT "
			    "EXISTS (SELECT 1 FROM round_file f JOIN round r ON "
			    "r.id = f.round_id WHERE r.case_id = m.case_id AND "
			    "r.n = 1 AND f.material_id = m.id)", case_id), 0);
			assert_int_equal(num("SELECT (SELECT count(*) FROM "
			    "material WHERE case_id = %lld AND state = "
			    "'current') - (SELECT count(*) FROM round_file f "
			    "JOIN round r ON r.id = f.round_id WHERE r.case_id "
			    "= %lld AND r.n = 1)", case_id), 0);
			for (i = 0; i < 6; i++)
				http_client_free(c[i]);
			http_client_free(owner);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submits),
		cmocka_unit_test(test_appeals),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_after_submit),
	};

	return cmocka_run_group_tests_name("races through both doors", tests,
	    setup, NULL);
}
