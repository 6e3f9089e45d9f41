/*
 * killtest_driver.c: the load and the checks of tests/killtest.sh.
 *
 *   killtest_driver URL DIR CLIENTS CASES
 *
 * Prepares CLIENTS applicants with CASES ready-to-submit cases each (no
 * kills yet), creates DIR/ready, then each client, in its own process,
 * uploads distinct files, saves a form section and submits its cases,
 * retrying what fails (a worker killed under a request gives 502), until
 * DIR/stop exists (the kill loop is done) and all its cases are submitted.
 * Every request that got its success response (303) is recorded. Then
 * the database (ZIZHI_DB) and its files must hold every one of them whole:
 *
 *  - an acknowledged upload: its material row, its file with its SHA-256;
 *  - an acknowledged save: the section holds that value or a later one;
 *  - an acknowledged submission: the case left draft, its round 1 with
 *    values and files, its receipt notice and its event;
 *  - nothing half-written: every material's file verifies, every round has
 *    values and files, every non-draft case a round and a receipt;
 *  - PRAGMA integrity_check and foreign_key_check are clean.
 *
 * Exit 0 when all hold; otherwise 1 with what is wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "files.h"
#include "testlib_journey.h"

#define MAX_CLIENTS	8
#define MAX_CASES	16
#define TRIES		60

static const char *url, *dir;
static int nclients, ncases;

struct client {
	struct http_client	*c;
	char			 csrf[64];
	long long		 ids[MAX_CASES];
	/* What a person would do after a worker died under a request: send
	 * it again (a 502 page says so). Counted and printed. */
	int			 retries;
	/* Submissions answered 409 after a try whose answer was lost: the
	 * earlier try had gone through. */
	int			 done_before;
	double			 slowest;	/* seconds */
	char			 slowest_what[160];
	int			 slow;		/* answers over 5 s */
};

static struct client clients[MAX_CLIENTS];

static int
exists(const char *name)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static void
touch(const char *name)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "w")) != NULL)
		fclose(f);
}

static void
pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Keeps the slowest answer of a client. */
static void
timed(struct client *cl, const char *path, const struct http_resp *r)
{
	if (r->seconds > 5.0)
		cl->slow++;
	if (r->seconds > cl->slowest) {
		cl->slowest = r->seconds;
		snprintf(cl->slowest_what, sizeof(cl->slowest_what), "%s (%ld)",
		    path, r->status);
	}
}

/* One POST, sent again while the answer is a gateway error (a worker
 * died under it), as a person would. Returns the last status. */
static long
post(struct client *cl, const char *path, const char *body)
{
	struct http_resp r;
	long st = 0;
	int i;

	for (i = 0; i < TRIES; i++) {
		http_post_form(cl->c, path, body, &r);
		timed(cl, path, &r);
		st = r.status;
		http_resp_free(&r);
		if (st < 500)
			break;
		cl->retries++;
		pause_ms(50);
	}
	return st;
}

static long
upload(struct client *cl, long long id, const char *kind, const char *data,
    size_t len)
{
	struct http_resp r;
	const char *fields[] = { "csrf", cl->csrf, "kind", kind, "row", "-1",
	    NULL };
	char path[96];
	long st = 0;
	int i;

	snprintf(path, sizeof(path), "/cases/%lld/materials", id);
	for (i = 0; i < TRIES; i++) {
		http_post_file(cl->c, path, fields, "file", "证据.pdf", data, len,
		    &r);
		timed(cl, path, &r);
		st = r.status;
		http_resp_free(&r);
		if (st < 500)
			break;
		cl->retries++;
		pause_ms(50);
	}
	return st;
}

/* Kills done so far (the kill loop writes DIR/kills). */
static int
kills(void)
{
	char p[1024];
	FILE *f;
	int k = 0;

	snprintf(p, sizeof(p), "%s/kills", dir);
	if ((f = fopen(p, "r")) != NULL) {
		if (fscanf(f, "%d", &k) != 1)
			k = 0;
		fclose(f);
	}
	return k;
}

/* A new draft for more load once the client's cases are submitted; 0
 * when it could not be made. */
static long long
new_draft(struct client *cl)
{
	struct http_resp r;
	char body[128];
	const char *loc;
	long long id = 0;
	int i;

	snprintf(body, sizeof(body), "csrf=%s", cl->csrf);
	for (i = 0; i < TRIES && id == 0; i++) {
		http_post_form(cl->c, "/cases", body, &r);
		timed(cl, "/cases", &r);
		if (r.status == 303 && (loc = http_header(&r, "Location")) !=
		    NULL && strncmp(loc, "/cases/", 7) == 0)
			id = strtoll(loc + 7, NULL, 10);
		http_resp_free(&r);
		if (id == 0) {
			cl->retries++;
			pause_ms(50);
		}
	}
	return id;
}

/* The load of one client; its acknowledgements go to DIR/acks.N. */
static int
load(int n)
{
	struct client *cl = &clients[n];
	const char *rs = getenv("KILL_ROUNDS");
	int rounds = rs ? atoi(rs) : 20, filler = 0;
	char path[128], name[64], body[512], pdf[256], hex[FILES_HEX_SIZE];
	int submitted[MAX_CASES] = { 0 }, saves[MAX_CASES] = { 0 };
	/* cases ncases.. are drafts made during the load */
	int r, j, left = ncases, len;
	char *e;
	FILE *log;
	long st;

	snprintf(path, sizeof(path), "%s/acks.%d", dir, n);
	if ((log = fopen(path, "w")) == NULL)
		return 1;
	setvbuf(log, NULL, _IOLBF, 0);
	for (r = 0; left > 0 || !exists("stop"); r++) {
		/* Submitted all: keep the workers busy with a new draft. */
		if (left == 0 && filler < 2) {
			if ((cl->ids[ncases + filler] = new_draft(cl)) == 0)
				return 1;
			filler++;
		}
		for (j = 0; j < ncases + filler; j++) {
			if (submitted[j])
				continue;
			/* A file no other request sends. */
			len = snprintf(pdf, sizeof(pdf), "%%PDF-1.4\n%% killtest "
			    "%d %d %d %ld\n1 0 obj\n<< /Type /Catalog >>\nendobj"
			    "\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n", n, r, j,
			    (long)getpid());
			files_sha256_hex(pdf, (size_t)len, hex);
			snprintf(name, sizeof(name), "pa%02d_evidence",
			    r % 22 + 1);
			st = upload(cl, cl->ids[j], name, pdf, (size_t)len);
			if (st == 303)
				fprintf(log, "upload %lld %s\n", cl->ids[j], hex);
			else if (r < 18)
				fprintf(stderr, "killtest: upload %lld: %ld\n",
				    cl->ids[j], st);

			/* Save 十 with a value that grows with each try. */
			snprintf(pdf, sizeof(pdf), "计划 %06d", ++saves[j]);
			e = http_urlencode(pdf);
			snprintf(body, sizeof(body), "csrf=%s&plan=%s", cl->csrf,
			    e);
			free(e);
			snprintf(path, sizeof(path), "/cases/%lld/form/s10",
			    cl->ids[j]);
			if (post(cl, path, body) == 303)
				fprintf(log, "save %lld %d\n", cl->ids[j],
				    saves[j]);

			/* Submissions spread over the kill rounds. */
			if (j < ncases && (kills() >= (j + 1) * rounds /
			    (ncases + 1) + n % 3 - 1 || exists("stop"))) {
				snprintf(body, sizeof(body), "csrf=%s&confirm=yes",
				    cl->csrf);
				snprintf(path, sizeof(path), "/cases/%lld/submit",
				    cl->ids[j]);
				st = post(cl, path, body);
				if (st == 303)
					fprintf(log, "submit %lld\n",
					    cl->ids[j]);
				else if (st == 409) {
					cl->done_before++;
					fprintf(log, "submit409 %lld\n",
					    cl->ids[j]);
				}
				else
					fprintf(stderr, "killtest: submit %lld: "
					    "%ld\n", cl->ids[j], st);
				/* 303, or refused because an earlier try
				 * went through unanswered: done either way. */
				submitted[j] = 1;
				left--;
			}
		}
		if (r > 5000)
			break;
	}
	fprintf(log, "retries %d\n", cl->retries);
	fprintf(log, "done_before %d\n", cl->done_before);
	fprintf(log, "slow %d\n", cl->slow);
	fprintf(log, "slowest %lld %s\n", (long long)(cl->slowest * 1000),
	    cl->slowest_what);
	fclose(log);
	return 0;
}

static int
prepare(int n)
{
	struct client *cl = &clients[n];
	struct tj_dates d;
	char org[64], path[128];
	FILE *f;
	int j;

	snprintf(org, sizeof(org), "断电测试%d号信息安全有限公司", n);
	cl->c = tj_applicant(url, org);
	snprintf(cl->csrf, sizeof(cl->csrf), "%s", tj_token(cl->c, "/cases"));
	tj_dates(&d);
	snprintf(path, sizeof(path), "%s/cases.%d", dir, n);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	for (j = 0; j < ncases; j++) {
		cl->ids[j] = tj_new_case(cl->c);
		tj_fill_form(cl->c, cl->ids[j], &d);
		tj_upload_missing(cl->c, cl->ids[j]);
		fprintf(f, "%lld\n", cl->ids[j]);
	}
	fclose(f);
	return 0;
}

/* ---- the checks ---------------------------------------------------- */

static sqlite3 *db;
static int bad;

static void
problem(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("killtest: LOST OR BROKEN: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	bad++;
}

static long long
q_int(const char *sql, long long a, const char *s)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		problem("%s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, a);
	if (s != NULL)
		sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *
q_text(const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return out;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static int
check(const char *files)
{
	char path[1024], line[256], what[16], arg[128], txt[256];
	struct {
		long long	 id;
		int		 save;
	} last[MAX_CLIENTS * MAX_CASES];
	sqlite3_stmt *st;
	long long id, nacks[3] = { 0, 0, 0 }, v;
	int n, k, nlast = 0, retries = 0, done_before = 0, slow = 0, t;
	long long slowest = 0;
	char slowest_what[256] = "";
	FILE *f;

	if (sqlite3_open_v2(getenv("ZIZHI_DB"), &db, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(db, 5000);
	for (n = 0; n < nclients; n++) {
		snprintf(path, sizeof(path), "%s/acks.%d", dir, n);
		if ((f = fopen(path, "r")) == NULL) {
			problem("no acknowledgements from client %d", n);
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "%15s %lld %127s", what, &id, arg) < 2)
				continue;
			if (strcmp(what, "retries") == 0) {
				retries += (int)id;
			} else if (strcmp(what, "done_before") == 0) {
				done_before += (int)id;
			} else if (strcmp(what, "slow") == 0) {
				slow += (int)id;
			} else if (strcmp(what, "slowest") == 0) {
				if (id > slowest) {
					slowest = id;
					snprintf(slowest_what, sizeof(slowest_what),
					    "%s", line);
				}
			} else if (strcmp(what, "submit409") == 0) {
				/* Refused as already done: it must be done. */
				if (q_int("SELECT count(*) FROM cases WHERE id = "
				    "?1 AND status <> 'draft'", id, NULL) != 1)
					problem("case %lld: submission refused "
					    "(409), yet the case is a draft", id);
			} else if (strcmp(what, "upload") == 0) {
				nacks[0]++;
				if (q_int("SELECT count(*) FROM material WHERE "
				    "case_id = ?1 AND sha256 = ?2", id, arg) != 1)
					problem("upload %s to case %lld has no "
					    "row", arg, id);
				if (files_verify(files, arg) != 0)
					problem("upload %s to case %lld: file "
					    "%s", arg, id, strerror(errno));
			} else if (strcmp(what, "save") == 0) {
				nacks[1]++;
				for (k = 0; k < nlast && last[k].id != id; k++)
					;
				if (k == nlast) {
					last[nlast].id = id;
					nlast++;
				}
				last[k].save = atoi(arg);
			} else if (strcmp(what, "submit") == 0) {
				nacks[2]++;
				if (q_int("SELECT count(*) FROM cases WHERE id = "
				    "?1 AND status <> 'draft' AND rounds >= 1",
				    id, NULL) != 1)
					problem("case %lld: submitted, but not "
					    "in the database", id);
				if (q_int("SELECT count(*) FROM round r WHERE "
				    "case_id = ?1 AND n = 1 AND EXISTS (SELECT 1 "
				    "FROM round_value WHERE round_id = r.id) AND "
				    "EXISTS (SELECT 1 FROM round_file WHERE "
				    "round_id = r.id)", id, NULL) != 1)
					problem("case %lld: no whole round 1", id);
				if (q_int("SELECT count(*) FROM notice WHERE "
				    "case_id = ?1 AND kind = 'receipt'", id,
				    NULL) < 1)
					problem("case %lld: no receipt", id);
				if (q_int("SELECT count(*) FROM event WHERE "
				    "case_id = ?1 AND to_status = 'submitted'",
				    id, NULL) != 1)
					problem("case %lld: no submission event",
					    id);
			}
		}
		fclose(f);
	}
	/* A save that was acknowledged is there, or a later one is. */
	for (k = 0; k < nlast; k++) {
		v = q_int("SELECT CAST(substr(value, 4) AS INTEGER) FROM "
		    "form_value WHERE case_id = ?1 AND field = 'plan' AND "
		    "row = -1", last[k].id, NULL);
		if (v < last[k].save)
			problem("case %lld: saved value %d acknowledged, the "
			    "form holds %lld", last[k].id, last[k].save, v);
	}
	/* Nothing half-written anywhere. */
	if (sqlite3_prepare_v2(db, "SELECT id, case_id, sha256 FROM material",
	    -1, &st, NULL) == SQLITE_OK) {
		t = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			t++;
			if (files_verify(files, (const char *)
			    sqlite3_column_text(st, 2)) != 0)
				problem("material %lld of case %lld: file %s",
				    (long long)sqlite3_column_int64(st, 0),
				    (long long)sqlite3_column_int64(st, 1),
				    strerror(errno));
		}
		sqlite3_finalize(st);
		printf("killtest: %d material files verified\n", t);
	}
	if ((v = q_int("SELECT count(*) FROM round r WHERE NOT EXISTS (SELECT "
	    "1 FROM round_value WHERE round_id = r.id) OR NOT EXISTS (SELECT 1 "
	    "FROM round_file WHERE round_id = r.id)", 0, NULL)) != 0)
		problem("%lld rounds without values or files", v);
	if ((v = q_int("SELECT count(*) FROM cases c WHERE status <> 'draft' "
	    "AND (NOT EXISTS (SELECT 1 FROM round WHERE case_id = c.id) OR NOT "
	    "EXISTS (SELECT 1 FROM notice WHERE case_id = c.id AND kind = "
	    "'receipt') OR c.case_no IS NULL)", 0, NULL)) != 0)
		problem("%lld submitted cases without round, receipt or "
		    "number", v);
	if ((v = q_int("SELECT count(*) FROM cases c WHERE status = 'draft' "
	    "AND EXISTS (SELECT 1 FROM round WHERE case_id = c.id)", 0, NULL))
	    != 0)
		problem("%lld drafts with a round", v);
	if (strcmp(q_text("PRAGMA integrity_check", txt, sizeof(txt)), "ok")
	    != 0)
		problem("integrity_check: %s", txt);
	if (q_text("PRAGMA foreign_key_check", txt, sizeof(txt))[0] != '\0')
		problem("foreign_key_check: table %s", txt);
	printf("killtest: acknowledged %lld uploads, %lld saves, %lld "
	    "submissions; %s\n", nacks[0], nacks[1], nacks[2], bad ?
	    "PROBLEMS" : "none lost, integrity ok");
	/* The retries are what a person would do: send again after a 502
	 * page, and find a submission already made. */
	printf("killtest: %d requests sent again after a 502, %d submissions "
	    "found already made on a second try\n", retries, done_before);
	printf("killtest: slowest answer %lld ms, %d answers over 5 s; %s",
	    slowest, slow, *slowest_what ? slowest_what : "\n");
	if (nacks[2] < (long long)(nclients * ncases) / 2)
		problem("only %lld submissions were acknowledged", nacks[2]);
	sqlite3_close(db);
	return bad ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	char files[1024], *slash;
	pid_t pids[MAX_CLIENTS];
	int n, st, fail = 0;

	if (argc != 5 || getenv("ZIZHI_DB") == NULL) {
		fprintf(stderr, "usage: ZIZHI_DB=... killtest_driver URL DIR "
		    "CLIENTS CASES\n");
		return 2;
	}
	url = argv[1];
	dir = argv[2];
	nclients = atoi(argv[3]);
	ncases = atoi(argv[4]);
	if (nclients < 1 || nclients > MAX_CLIENTS || ncases < 1 ||
	    ncases > MAX_CASES / 2)
		return 2;
	slash = strrchr(getenv("ZIZHI_DB"), '/');
	snprintf(files, sizeof(files), "%.*sfiles", slash ? (int)(slash -
	    getenv("ZIZHI_DB") + 1) : 0, getenv("ZIZHI_DB"));

	/* Each client in its own process: set up (before any kill), then
	 * the load once every client is ready. */
	for (n = 0; n < nclients; n++) {
		if ((pids[n] = fork()) == 0) {
			char name[32];

			if (prepare(n) != 0)
				_exit(1);
			snprintf(name, sizeof(name), "ready.%d", n);
			touch(name);
			while (!exists("go"))
				pause_ms(20);
			_exit(load(n));
		}
	}
	for (;;) {
		char name[32];
		int ready = 0;

		for (n = 0; n < nclients; n++) {
			snprintf(name, sizeof(name), "ready.%d", n);
			ready += exists(name);
		}
		if (ready == nclients)
			break;
		if (waitpid(-1, &st, WNOHANG) > 0) {
			fprintf(stderr, "killtest: preparing the cases failed\n");
			touch("go");
			while (wait(NULL) > 0)
				;
			return 1;
		}
		pause_ms(50);
	}
	touch("ready");		/* the kill loop starts */
	touch("go");
	for (n = 0; n < nclients; n++)
		if (waitpid(pids[n], &st, 0) != pids[n] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			fail = 1;
	if (fail) {
		fprintf(stderr, "killtest: a client failed\n");
		return 1;
	}
	return check(files);
}
