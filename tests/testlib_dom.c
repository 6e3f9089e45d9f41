/*
 * testlib_dom.c: domain modules on a temporary database (testlib_dom.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "tmpl.h"
#include "testlib_dom.h"
#include "testlib_http.h"
#include "testlib_store.h"
#include "util.h"

static struct {
	char		*dir;
	struct store	*db;
	struct tmpl_set	*tmpl;
	struct arena	*arena;
	int		 cases;
} td;

static const struct actor cast[] = {
	{ TD_APPLICANT, "a@x.cn", "甲申请人", "applicant", ROLE_APPLICANT, 1,
	    "甲公司" },
	{ TD_LEAD, "l@x.cn", "李负责", "lead", ROLE_LEAD, 0, "" },
	{ TD_LEAD2, "m@x.cn", "马负责", "lead", ROLE_LEAD, 0, "" },
	{ TD_ASSESSOR, "s@x.cn", "孙评估", "assessor", ROLE_ASSESSOR, 0, "" },
	{ TD_CERT, "c@x.cn", "陈制证", "cert_staff", ROLE_CERT_STAFF, 0, "" },
	{ TD_OUTSIDER, "b@x.cn", "乙申请人", "applicant", ROLE_APPLICANT, 2,
	    "乙公司" },
	{ TD_SUPERVISOR, "v@x.cn", "魏监督", "supervisor", ROLE_SUPERVISOR, 0,
	    "" },
	{ TD_CERT2, "q@x.cn", "钱制证", "cert_staff", ROLE_CERT_STAFF, 0, "" },
	{ 0, NULL, NULL, NULL, 0, 0, NULL }
};

struct store *
td_open(char *tmpl)
{
	const struct actor *a;
	sqlite3_stmt *st;
	char err[256];

	td.dir = tmpl;
	td.db = ts_open(tmpl);
	td.arena = arena_new();
	if ((td.tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	ts_exec(td.db, "INSERT INTO org(id, name) VALUES (1, '甲公司'), "
	    "(2, '乙公司')");
	assert_int_equal(sqlite3_prepare_v2(store_db(td.db), "INSERT INTO "
	    "account(id, email, name, role, org_id, password_hash) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, 'x')", -1, &st, NULL), SQLITE_OK);
	for (a = cast; a->id != 0; a++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, a->id);
		sqlite3_bind_text(st, 2, a->email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, a->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, a->role, -1, SQLITE_STATIC);
		if (a->org_id != 0)
			sqlite3_bind_int64(st, 5, a->org_id);
		else
			sqlite3_bind_null(st, 5);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	}
	sqlite3_finalize(st);
	return td.db;
}

void
td_close(void)
{
	http_inproc_close();
	tmpl_set_free(td.tmpl);
	arena_free(td.arena);
	ts_close(td.db, td.dir);
}

struct http_client *
td_client(long long id)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/t.db", td.dir);
	setenv("ZIZHI_DB", path, 1);
	return http_inproc_login(td.db, id);
}

int
td_setup(void **state)
{
	static char tmpl[] = "/tmp/zizhi-dom.XXXXXX";

	td_open(tmpl);
	return 0;
}

int
td_teardown(void **state)
{
	td_close();
	return 0;
}

struct dom *
td_dom(long long id)
{
	struct dom *d = arena_alloc(td.arena, sizeof(*d));
	const struct actor *a;

	for (a = cast; a->id != 0 && a->id != id; a++)
		;
	dom_init(d, td.db, td.arena, a->id != 0 ? a : NULL, TD_NOW);
	d->tmpl = td.tmpl;
	d->public_url = "https://zizhi.example";
	return d;
}

struct dom *
td_dom_at(long long id, int days)
{
	struct dom *d = td_dom(id);

	d->now += (long long)days * 86400;
	d->today = date_of_unix(d->now);
	date_format(d->today, d->today_s);
	date_stamp(d->now, d->stamp);
	return d;
}

void
td_exec(const char *sql)
{
	ts_exec(td.db, sql);
}

static sqlite3_stmt *
query(const char *sql, long long id)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(store_db(td.db), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(td.db)));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	return st;
}

long long
td_int(const char *sql, long long id)
{
	sqlite3_stmt *st = query(sql, id);
	long long n = sqlite3_column_int64(st, 0);

	sqlite3_finalize(st);
	return n;
}

const char *
td_text(const char *sql, long long id)
{
	sqlite3_stmt *st = query(sql, id);
	const char *s = arena_strdup(td.arena,
	    (const char *)sqlite3_column_text(st, 0));

	sqlite3_finalize(st);
	return s;
}

const char *
td_status(long long case_id)
{
	return td_text("SELECT status FROM cases WHERE id = ?1", case_id);
}

const char *
td_set_status(long long case_id, enum status st, long long lead)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "UPDATE cases SET status = '%s'%s%.0lld "
	    "WHERE id = %lld", status_code(st), lead ? ", lead_id = " : "",
	    lead, case_id);
	return buf;
}

const char *
td_state(long long case_id)
{
	return td_text("SELECT c.status || ' lead ' || coalesce(c.lead_id, 0) "
	    "|| ' events ' || (SELECT count(*) FROM event WHERE case_id = ?1) "
	    "|| ' notices ' || (SELECT count(*) FROM notice WHERE case_id = ?1) "
	    "|| ' findings ' || (SELECT count(*) || ':' || "
	    "coalesce(group_concat(verdict || comment), '') FROM finding WHERE "
	    "case_id = ?1) || ' items ' || (SELECT count(*) FROM "
	    "supplement_item i JOIN notice n ON n.id = i.notice_id WHERE "
	    "n.case_id = ?1) || ' agreements ' || (SELECT count(*) || ':' || "
	    "count(accepted_at) FROM agreement WHERE case_id = ?1) || "
	    "' payments ' || (SELECT count(*) FROM payment WHERE case_id = ?1) "
	    "|| ' mails ' || (SELECT count(*) FROM outbox WHERE case_id = ?1) "
	    "FROM cases c WHERE c.id = ?1", case_id);
}

static void
put_values(long long round_id, const char *const *kv)
{
	sqlite3_stmt *st;

	if (kv == NULL)
		return;
	assert_int_equal(sqlite3_prepare_v2(store_db(td.db), "INSERT OR "
	    "REPLACE INTO round_value(round_id, field, row, value) VALUES "
	    "(?1, ?2, ?4, ?3)", -1, &st, NULL), SQLITE_OK);
	for (; kv[0] != NULL; kv += 2) {
		const char *dot = strchr(kv[0], '.');

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, round_id);
		sqlite3_bind_text(st, 2, kv[0], dot != NULL ? (int)(dot -
		    kv[0]) : -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, kv[1], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, dot != NULL ? atoi(dot + 1) : -1);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	}
	sqlite3_finalize(st);
}

void
td_round(long long case_id, int n, const char *const *kv)
{
	const char *initial[] = { "app_type", "initial", NULL };
	char sql[256];
	long long rid;

	snprintf(sql, sizeof(sql), "INSERT INTO round(case_id, n, "
	    "submitted_at, submitted_by) VALUES (%lld, %d, "
	    "'2027-01-05T02:00:00Z', 1); UPDATE cases SET rounds = %d WHERE "
	    "id = %lld", case_id, n, n, case_id);
	td_exec(sql);
	rid = td_int("SELECT max(id) FROM round", 0);
	put_values(rid, initial);
	put_values(rid, kv);
}

long long
td_case(enum status st, long long lead, const char *const *kv)
{
	return td_case_on(st, lead, kv, "2027-01-05");
}

long long
td_case_on(enum status st, long long lead, const char *const *kv,
    const char *day)
{
	char sql[512];
	long long id;

	td.cases++;
	snprintf(sql, sizeof(sql), "INSERT INTO cases(org_id, case_no, status, "
	    "lead_id, created_by) VALUES (1, 'SE2-2027-%05d', '%s', %s, 1)",
	    td.cases, status_code(st), lead ? arena_printf(td.arena, "%lld",
	    lead) : "NULL");
	td_exec(sql);
	id = td_int("SELECT max(id) FROM cases", 0);
	td_round(id, 1, kv);
	snprintf(sql, sizeof(sql), "UPDATE round SET submitted_at = "
	    "'%sT02:00:00Z' WHERE case_id = %lld; INSERT INTO event(case_id, "
	    "at, day, actor_id, from_status, to_status) VALUES (%lld, "
	    "'%sT02:00:00Z', '%s', 1, 'draft', '%s')", day, id, id, day, day,
	    status_code(ST_SUBMITTED));
	td_exec(sql);
	return id;
}

void
td_round_file(long long case_id, const char *kind, int row)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(%lld, '%s', %d, '%s.pdf', 'application/pdf', 10, "
	    "printf('%%064d', %lld), 1, '2026-03-01T01:00:00Z'); INSERT INTO "
	    "round_file(round_id, material_id) VALUES ((SELECT max(id) FROM "
	    "round WHERE case_id = %lld), (SELECT max(id) FROM material))",
	    case_id, kind, row, kind, case_id * 100 + row + 1, case_id);
	td_exec(sql);
}

static struct {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 holding;
	const char	*sql;
	unsigned	 ms;
} rival = { .mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER };

static void *
rival_main(void *arg)
{
	char path[300], *msg = NULL;
	sqlite3 *db;
	int ok;

	snprintf(path, sizeof(path), "%s/t.db", td.dir);
	ok = sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) ==
	    SQLITE_OK && sqlite3_exec(db, rival.sql, NULL, NULL, &msg) ==
	    SQLITE_OK;
	if (!ok)
		fprintf(stderr, "rival: %s\n", msg ? msg : sqlite3_errmsg(db));
	pthread_mutex_lock(&rival.mu);
	rival.holding = ok ? 1 : -1;
	pthread_cond_signal(&rival.cv);
	pthread_mutex_unlock(&rival.mu);
	if (ok) {
		usleep(rival.ms * 1000);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_free(msg);
	sqlite3_close(db);
	return NULL;
}

void
td_rival(const char *sql, unsigned ms)
{
	rival.sql = sql;
	rival.ms = ms;
	rival.holding = 0;
	assert_int_equal(pthread_create(&rival.thread, NULL, rival_main,
	    NULL), 0);
	pthread_mutex_lock(&rival.mu);
	while (rival.holding == 0)
		pthread_cond_wait(&rival.cv, &rival.mu);
	pthread_mutex_unlock(&rival.mu);
	if (rival.holding < 0) {
		pthread_join(rival.thread, NULL);
		fail_msg("the rival could not take the lock: %s", sql);
	}
}

void
td_rival_done(void)
{
	assert_int_equal(pthread_join(rival.thread, NULL), 0);
}
