/*
 * itest_dashboard.c: the staff dashboard and the CSV export on 10,000
 * seeded cases. The test makes its own database (`zizhi init`, `zizhi
 * seed --cases 10000`) and its own `zizhi serve` on it (port 0, stopped
 * by PID at the end), logs in as a seeded lead and checks every figure
 * against the database, computed here independently. Access is checked
 * on the seeded server and through both doors of the shared servers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "date.h"
#include "testlib_journey.h"
#include "workflow.h"
#include "status.h"

#define NCASES		10000
#define SEED_PW		"zizhi-seed-password"
#define FORMULA_ORG	"=HYPERLINK(\"http://evil.example\",\"点我\")"

static char	 dir[256], db[300], url[64], today[24];
static pid_t	 server;
static const char *urls[2];

/* ---- The seeded database and its server --------------------------- */

static sqlite3 *
db_open(void)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* One integer from sql with ?1 bound to today and ?2 to arg. */
static long long
q_int(const char *sql, const char *arg)
{
	sqlite3 *h = db_open();
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void
q_exec(const char *sql)
{
	sqlite3 *h = db_open();
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

static int
setup(void **state)
{
	const char *bin = getenv("ZIZHI_BIN"), *tmp = getenv("ZIZHI_TMP");
	/* ZIZHI_SEED_BIN: another build of the same tree makes the data
	 * (make check's sanitizer pass seeds with the plain build: the
	 * seed's steps run under the sanitizers in test_seed and
	 * test_faults; here the pages are tested). */
	const char *seeder = getenv("ZIZHI_SEED_BIN");
	char cmd[1024], port_file[320], port[16] = "";
	struct timespec t0, t1;
	FILE *f;
	int i;

	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	if (bin == NULL)
		return -1;
	if (seeder == NULL || *seeder == '\0')
		seeder = bin;
	snprintf(dir, sizeof(dir), "%s/dashboard.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(db, sizeof(db), "%s/seeded.db", dir);
	date_day((long long)time(NULL), today);
	snprintf(cmd, sizeof(cmd), "'%s' init --db '%s' >/dev/null", seeder,
	    db);
	if (system(cmd) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(cmd, sizeof(cmd), "'%s' seed --db '%s' --cases %d --seed 42 "
	    "--today %s >/dev/null", seeder, db, NCASES, today);
	if (system(cmd) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("itest_dashboard: seeded %d cases in %.1f s with %s\n", NCASES,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    seeder);
	snprintf(port_file, sizeof(port_file), "%s/serve.port", dir);
	if ((server = fork()) < 0)
		return -1;
	if (server == 0) {
		snprintf(cmd, sizeof(cmd), "%s/serve.log", dir);
		if (freopen(cmd, "w", stderr) == NULL)
			_exit(127);
		execl(bin, bin, "serve", "--listen", "127.0.0.1:0",
		    "--port-file", port_file, "--db", db, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200 && *port == '\0'; i++) {
		usleep(50000);
		if ((f = fopen(port_file, "r")) != NULL) {
			if (fgets(port, sizeof(port), f) == NULL)
				*port = '\0';
			fclose(f);
		}
	}
	port[strcspn(port, "\r\n")] = '\0';
	if (*port == '\0')
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%s", port);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[320];
	int st;

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fprintf(stderr, "itest_dashboard: the seeded server did "
			    "not exit cleanly (status %d)\n", st);
	}
	if (*dir != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "itest_dashboard: %s failed\n", cmd);
	}
	return 0;
}

static struct http_client *
login(const char *email, const char *password)
{
	struct http_client *c = http_client_new(url);
	struct http_resp r;
	char form[256];

	snprintf(form, sizeof(form), "email=%s&password=%s", email, password);
	http_post_form(c, "/login", form, &r);
	if (r.status != 303)
		fail_msg("login %s: %ld", email, r.status);
	http_resp_free(&r);
	return c;
}

/* The number after id="ID"> in the page, or -1. */
static long long
figure(const struct http_resp *r, const char *id)
{
	char key[96];
	const char *p;

	snprintf(key, sizeof(key), "id=\"%s\">", id);
	if ((p = strstr(r->body.p, key)) == NULL)
		return -1;
	return strtoll(p + strlen(key), NULL, 10);
}

static double
timed_get(struct http_client *c, const char *path, struct http_resp *r)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	http_get(c, path, r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* Data rows of a CSV body (lines after the header; no field here holds
 * a line break). */
static long long
csv_rows(const struct http_resp *r)
{
	const char *p = r->body.p;
	long long n = 0;

	while ((p = strstr(p, "\r\n")) != NULL) {
		n++;
		p += 2;
	}
	return n - 1;
}

#define CLOSED	"c.status IN ('issued', 'failed', 'rejected') AND " \
		"c.clock_start IS NOT NULL"
#define OPEN	"c.clock_start IS NOT NULL AND c.clock_stopped IS NULL"

/* ---- The tests ---------------------------------------------------- */

/* Per-status and per-stage counts equal the database's. */
static void
test_counts(void **state)
{
	struct http_client *c = login("seed-lead-1@seed.zizhi.test", SEED_PW);
	struct http_resp r;
	const struct status_info *ws;
	char id[64];
	long long stage[5] = { 0, 0, 0, 0, 0 }, n, sum = 0;
	double ms;
	int i;

	ms = timed_get(c, "/dashboard", &r);
	assert_int_equal(r.status, 200);
	printf("itest_dashboard: /dashboard with %d cases: %.1f ms\n", NCASES,
	    ms);
	assert_true(http_body_has(&r, "统计与监控"));
	assert_int_equal(figure(&r, "total"), NCASES);
	/* The chart is drawn by the server, and there is no script. */
	assert_true(http_body_has(&r, "<svg "));
	assert_true(http_body_has(&r, "<title>各状态案件数</title>"));
	assert_false(http_body_has(&r, "<script"));
	for (ws = status_table; ws->code != NULL; ws++) {
		snprintf(id, sizeof(id), "count-%s", ws->code);
		n = q_int("SELECT count(*) FROM cases WHERE status = ?2 AND "
		    "?1 = ?1", ws->code);
		if (figure(&r, id) != n)
			fail_msg("%s: page %lld, database %lld", ws->code,
			    figure(&r, id), n);
		stage[ws->stage] += n;
		sum += n;
		/* Its bar is labelled with the status in words. */
		snprintf(id, sizeof(id), "<title>%s：%lld</title>", ws->zh, n);
		assert_true(http_body_has(&r, id));
	}
	assert_int_equal(sum, NCASES);
	assert_true(stage[STAGE_ISSUANCE] > 0 && stage[STAGE_PROJECT] > 0);
	assert_int_equal(figure(&r, "stage-acceptance"),
	    stage[STAGE_ACCEPTANCE]);
	assert_int_equal(figure(&r, "stage-project"), stage[STAGE_PROJECT]);
	assert_int_equal(figure(&r, "stage-assessment"),
	    stage[STAGE_ASSESSMENT]);
	assert_int_equal(figure(&r, "stage-issuance"),
	    stage[STAGE_ISSUANCE]);
	assert_int_equal(figure(&r, "stage-none"), stage[STAGE_NONE]);
	http_resp_free(&r);
	for (i = 0; i < 3; i++) {
		ms = timed_get(c, "/dashboard", &r);
		assert_int_equal(r.status, 200);
		http_resp_free(&r);
		printf("itest_dashboard: /dashboard again: %.1f ms\n", ms);
	}
	http_client_free(c);
}

/* Cycle times and overdue counts, computed here from the clock columns
 * with WF_SQL_NET and WF_SQL_URGENCY, nearest-rank percentiles. */
static void
test_cycle(void **state)
{
	struct http_client *c = login("seed-assessor-1@seed.zizhi.test",
	    SEED_PW);
	struct http_resp r;
	long long n, median, p90, within, over_t, over_l;
	char rank[32];

	n = q_int("SELECT count(*) FROM cases c WHERE " CLOSED " AND ?1 = ?1",
	    NULL);
	assert_true(n > NCASES / 3);
	snprintf(rank, sizeof(rank), "%lld", (n + 1) / 2 - 1);
	median = q_int("SELECT CAST(" WF_SQL_NET " AS INTEGER) AS d FROM cases "
	    "c WHERE " CLOSED " ORDER BY d LIMIT 1 OFFSET CAST(?2 AS INTEGER)",
	    rank);
	snprintf(rank, sizeof(rank), "%lld", (9 * n + 9) / 10 - 1);
	p90 = q_int("SELECT CAST(" WF_SQL_NET " AS INTEGER) AS d FROM cases c "
	    "WHERE " CLOSED " ORDER BY d LIMIT 1 OFFSET CAST(?2 AS INTEGER)",
	    rank);
	within = q_int("SELECT count(*) FROM cases c WHERE " CLOSED " AND "
	    WF_SQL_NET " <= c.clock_target_net", NULL);
	over_t = q_int("SELECT count(*) FROM cases c WHERE " CLOSED " AND "
	    WF_SQL_NET " > c.clock_target_net AND " WF_SQL_NET
	    " <= c.clock_limit_net", NULL);
	over_l = q_int("SELECT count(*) FROM cases c WHERE " CLOSED " AND "
	    WF_SQL_NET " > c.clock_limit_net", NULL);
	printf("itest_dashboard: %lld closed, median %lld, p90 %lld, within "
	    "%lld, over target %lld, over limit %lld\n", n, median, p90, within,
	    over_t, over_l);
	/* The seeded mix has cases on each side of the rules. */
	assert_true(median > 0 && p90 >= median);
	assert_true(within > 0 && over_t > 0);

	http_get(c, "/dashboard", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(figure(&r, "cycle-n"), n);
	assert_int_equal(figure(&r, "cycle-median"), median);
	assert_int_equal(figure(&r, "cycle-p90"), p90);
	assert_int_equal(figure(&r, "cycle-within"), within);
	assert_int_equal(figure(&r, "cycle-over-target"), over_t);
	assert_int_equal(figure(&r, "cycle-over-limit"), over_l);
	assert_int_equal(figure(&r, "open-total"), q_int("SELECT count(*) "
	    "FROM cases c WHERE " OPEN " AND ?1 = ?1", NULL));
	assert_int_equal(figure(&r, "open-over-limit"), q_int("SELECT "
	    "count(*) FROM cases c WHERE " OPEN " AND " WF_SQL_URGENCY " = 3",
	    NULL));
	assert_int_equal(figure(&r, "open-over-target"), q_int("SELECT "
	    "count(*) FROM cases c WHERE " OPEN " AND " WF_SQL_URGENCY " = 2",
	    NULL));
	assert_true(figure(&r, "open-over-target") > 0);
	/* The longest overdue case heads its list, with a link. */
	{
		char want[128];
		long long top = q_int("SELECT c.id FROM cases c WHERE " OPEN
		    " AND " WF_SQL_URGENCY " = 2 ORDER BY " WF_SQL_NET
		    " DESC, c.id LIMIT 1", NULL);
		const char *sec = strstr(r.body.p, "id=\"over-target\"");

		snprintf(want, sizeof(want), "<a href=\"/cases/%lld\">", top);
		assert_non_null(sec);
		assert_non_null(strstr(sec, want));
		assert_true(strstr(sec, "<a href=\"/cases/") ==
		    strstr(sec, want));
	}
	http_resp_free(&r);
	http_client_free(c);
}

/* The export: BOM, every case, filters, quoting, formulas made text. */
static void
test_csv(void **state)
{
	struct http_client *c = login("seed-cert_staff-1@seed.zizhi.test",
	    SEED_PW);
	struct http_resp r;
	char path[256];
	long long n, lead;
	double ms;

	q_exec("UPDATE org SET name = '" FORMULA_ORG "' WHERE id = (SELECT "
	    "min(org_id) FROM cases); UPDATE org SET name = '+1,2' WHERE id = "
	    "(SELECT max(org_id) FROM cases)");
	ms = timed_get(c, "/dashboard/cases.csv", &r);
	printf("itest_dashboard: CSV of %d cases: %.1f ms, %zu bytes\n",
	    NCASES, ms, r.body.n);
	assert_int_equal(r.status, 200);
	assert_non_null(r.content_type);
	assert_non_null(strstr(r.content_type, "text/csv"));
	assert_non_null(strstr(http_header(&r, "Content-Disposition"),
	    "attachment"));
	assert_memory_equal(r.body.p, "\xEF\xBB\xBF\"案件编号\",\"申请单位\",",
	    strlen("\xEF\xBB\xBF\"案件编号\",\"申请单位\","));
	assert_int_equal(csv_rows(&r), NCASES);
	/* RFC 4180 quoting, and the formula neutralised. */
	assert_true(http_body_has(&r, "\"'=HYPERLINK(\"\"http://evil.example"
	    "\"\",\"\"点我\"\")\""));
	assert_false(http_body_has(&r, "\"=HYPERLINK"));
	assert_true(http_body_has(&r, "\"'+1,2\""));
	http_resp_free(&r);

	/* Filters: status, stage, lead, text. */
	http_get(c, "/dashboard/cases.csv?status=issued", &r);
	assert_int_equal(r.status, 200);
	n = q_int("SELECT count(*) FROM cases WHERE status = ?2 AND ?1 = ?1",
	    "issued");
	assert_true(n > 0);
	assert_int_equal(csv_rows(&r), n);
	assert_true(http_body_has(&r, "\"已发证\",\"发证\""));
	assert_false(http_body_has(&r, "\"待补正\""));
	http_resp_free(&r);
	http_get(c, "/dashboard/cases.csv?stage=project", &r);
	assert_int_equal(csv_rows(&r), q_int("SELECT count(*) FROM cases WHERE "
	    "status IN ('agreement_sent', 'awaiting_payment') AND ?1 = ?1",
	    NULL));
	http_resp_free(&r);
	lead = q_int("SELECT id FROM account WHERE email = "
	    "'seed-lead-2@seed.zizhi.test' AND ?1 = ?1", NULL);
	snprintf(path, sizeof(path), "/dashboard/cases.csv?lead=%lld&"
	    "stage=acceptance", lead);
	http_get(c, path, &r);
	assert_int_equal(csv_rows(&r), q_int("SELECT count(*) FROM cases WHERE "
	    "lead_id = CAST(?2 AS INTEGER) AND status IN ('submitted', "
	    "'intake_review', 'supplement_requested', 'accepted', 'rejected') "
	    "AND ?1 = ?1", path + strlen("/dashboard/cases.csv?lead=")));
	assert_true(csv_rows(&r) > 0);
	http_resp_free(&r);
	http_get(c, "/dashboard/cases.csv?q=HYPERLINK", &r);
	assert_int_equal(csv_rows(&r), q_int("SELECT count(*) FROM cases c "
	    "JOIN org o ON o.id = c.org_id WHERE o.name LIKE '%HYPERLINK%' "
	    "AND ?1 = ?1", NULL));
	assert_true(csv_rows(&r) >= 1);
	http_resp_free(&r);
	/* A case number, in lower case. */
	http_get(c, "/dashboard/cases.csv?q=se2-", &r);
	assert_int_equal(csv_rows(&r), q_int("SELECT count(*) FROM cases WHERE "
	    "case_no IS NOT NULL AND ?1 = ?1", NULL));
	http_resp_free(&r);
	/* A filter that is not one: 400 with what to do. */
	http_get(c, "/dashboard/cases.csv?status=nonsense", &r);
	assert_int_equal(r.status, 400);
	assert_true(http_body_has(&r, "请从“状态”下拉列表中选择"));
	http_resp_free(&r);
	http_client_free(c);
}

/* The case list: paged, filtered, linking to the export. */
static void
test_list(void **state)
{
	struct http_client *c = login("seed-supervisor-1@seed.zizhi.test",
	    SEED_PW);
	struct http_resp r;
	long long n;
	double ms;

	ms = timed_get(c, "/dashboard/cases", &r);
	printf("itest_dashboard: /dashboard/cases: %.1f ms\n", ms);
	assert_int_equal(r.status, 200);
	assert_int_equal(figure(&r, "list-total"), NCASES);
	assert_true(http_body_has(&r, "第 1 页，共 200 页"));
	assert_true(http_body_has(&r, "<label for=\"f-q\">"));
	http_resp_free(&r);
	http_get(c, "/dashboard/cases?status=supplement_requested&page=2", &r);
	assert_int_equal(r.status, 200);
	n = q_int("SELECT count(*) FROM cases WHERE status = ?2 AND ?1 = ?1",
	    "supplement_requested");
	assert_int_equal(figure(&r, "list-total"), n);
	assert_true(http_body_has(&r, "第 2 页"));
	assert_true(http_body_has(&r, "href=\"/dashboard/cases.csv?status="
	    "supplement_requested&amp;stage=&amp;lead=&amp;sup=&amp;q=\""));
	assert_true(http_body_has(&r, "value=\"supplement_requested\" "
	    "selected"));
	assert_false(http_body_has(&r, ">已发证</span>"));
	http_resp_free(&r);
	http_get(c, "/dashboard/cases?stage=nonsense", &r);
	assert_int_equal(r.status, 400);
	assert_true(http_body_has(&r, "请从“阶段”下拉列表中选择"));
	http_resp_free(&r);
	http_client_free(c);
}

/* The work queue over 10,000 cases: 50 a page, the most urgent first,
 * counted two pages ahead ("100+ 件", so that a page costs the same
 * however many cases wait) and exactly on the last page; a lead's own
 * cases only in its own queue. */
static void
test_queue(void **state)
{
	struct http_client *c = login("seed-supervisor-1@seed.zizhi.test",
	    SEED_PW), *l = login("seed-lead-1@seed.zizhi.test", SEED_PW);
	static const char *words[] = { "正常", "临近目标期限", "超出目标周期",
	    "超出最长周期" };
	struct http_resp r;
	char want[64];
	const char *row, *tag;
	long long open, top, pages, mine;
	double ms;

	open = q_int("SELECT count(*) FROM cases c WHERE c.status NOT IN "
	    "('draft', 'rejected', 'failed', 'issued', 'withdrawn') AND ?1 = "
	    "?1", NULL);
	assert_true(open > 1000);
	ms = timed_get(c, "/queue?all=1", &r);
	printf("itest_dashboard: /queue?all=1: %.1f ms\n", ms);
	assert_int_equal(r.status, 200);
	assert_true(http_body_has(&r, "共 100+ 件"));
	assert_true(http_body_has(&r, "第 1 页，共 2+ 页（100+ 条）"));
	assert_true(http_body_has(&r, "rel=\"next\""));
	pages = (open + 49) / 50;
	/* The first row has the highest urgency of any open case. */
	top = q_int("SELECT max(" WF_SQL_URGENCY ") FROM cases c WHERE "
	    "c.status NOT IN ('draft', 'rejected', 'failed', 'issued', "
	    "'withdrawn')", NULL);
	assert_true(top >= 0 && top <= 3);
	row = strstr(r.body.p, "<tbody>");
	assert_non_null(row);
	tag = strstr(row, "class=\"urgency-");
	assert_non_null(tag);
	assert_int_equal(strncmp(strchr(tag, '>') + 1, words[top],
	    strlen(words[top])), 0);
	http_resp_free(&r);
	/* The last page exists, with the exact count, and no next one. */
	snprintf(want, sizeof(want), "/queue?all=1&page=%lld", pages);
	http_get(c, want, &r);
	assert_int_equal(r.status, 200);
	assert_false(http_body_has(&r, "rel=\"next\""));
	snprintf(want, sizeof(want), "共 %lld 件", open);
	assert_true(http_body_has(&r, want));
	snprintf(want, sizeof(want), "第 %lld 页，共 %lld 页", pages, pages);
	assert_true(http_body_has(&r, want));
	http_resp_free(&r);
	/* A lead's own queue: its cases and the unassigned submissions. */
	mine = q_int("SELECT count(*) FROM cases c WHERE c.status NOT IN "
	    "('draft', 'rejected', 'failed', 'issued', 'withdrawn') AND "
	    "((c.status = 'submitted' AND c.lead_id IS NULL) OR c.lead_id = "
	    "(SELECT id FROM account WHERE email = ?2)) AND ?1 = ?1",
	    "seed-lead-1@seed.zizhi.test");
	http_get(l, "/queue", &r);
	assert_int_equal(r.status, 200);
	if (mine > 100)
		snprintf(want, sizeof(want), "共 100+ 件");
	else
		snprintf(want, sizeof(want), "共 %lld 件", mine);
	assert_true(http_body_has(&r, want));
	http_resp_free(&r);
	snprintf(want, sizeof(want), "/queue?page=%lld", (mine + 49) / 50);
	http_get(l, want, &r);
	snprintf(want, sizeof(want), "共 %lld 件", mine);
	assert_true(http_body_has(&r, want));
	http_resp_free(&r);
	http_client_free(c);
	http_client_free(l);
}

/* Applicants are refused, anonymous visitors sent to log in: on the
 * seeded server and through both doors of the shared servers. */
static void
test_access(void **state)
{
	static const char *const paths[] = { "/dashboard", "/dashboard/cases",
		"/dashboard/cases.csv", NULL };
	struct http_client *c, *anon, *staff;
	struct http_resp r;
	char email[128];
	int door, i;

	c = login("seed-org1@seed.zizhi.test", SEED_PW);
	anon = http_client_new(url);
	for (i = 0; paths[i] != NULL; i++) {
		http_get(c, paths[i], &r);
		assert_int_equal(r.status, 403);
		assert_false(http_body_has(&r, "案件编号"));
		http_resp_free(&r);
		http_get(anon, paths[i], &r);
		assert_int_equal(r.status, 303);
		assert_non_null(strstr(http_header(&r, "Location"), "/login"));
		http_resp_free(&r);
	}
	http_client_free(c);
	http_client_free(anon);
	for (door = 0; door < 2; door++) {
		if (urls[door] == NULL)
			continue;
		c = tj_applicant(urls[door], "看板权限测试有限公司");
		http_get(c, "/dashboard", &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		http_get(c, "/dashboard/cases.csv", &r);
		assert_int_equal(r.status, 403);
		http_resp_free(&r);
		http_client_free(c);
		staff = tj_staff(urls[door], "expert", email, sizeof(email));
		http_get(staff, "/dashboard", &r);
		assert_int_equal(r.status, 200);
		assert_true(http_body_has(&r, "已办结案件的周期"));
		http_resp_free(&r);
		http_get(staff, "/dashboard/cases.csv", &r);
		assert_int_equal(r.status, 200);
		assert_true(csv_rows(&r) >= 0);
		http_resp_free(&r);
		http_client_free(staff);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_access),
	};

	return cmocka_run_group_tests_name("dashboard (10,000 seeded cases)",
	    tests, setup, teardown);
}
