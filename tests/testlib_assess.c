/*
 * testlib_assess.c: the people and cases of the 评估 unit tests (see
 * testlib_assess.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "testlib_assess.h"
#include "testlib_store.h"
#include "tmpl.h"
#include "util.h"

/* 2026-03-10T02:00:00Z */
#define NOW	1773108000LL

static long long
account(struct ta *t, const char *email, const char *name, const char *role,
    int disabled)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(store_db(t->db), "INSERT INTO "
	    "account(email, name, role, org_id, password_hash, disabled) "
	    "VALUES (?1, ?2, ?3, CASE WHEN ?3 = 'applicant' THEN 1 END, 'x', "
	    "?4)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, disabled);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(store_db(t->db));
}

void
ta_open(struct ta *t)
{
	char err[256];

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/zizhi-assess.XXXXXX");
	t->db = ts_open(t->dir);
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	snprintf(t->files, sizeof(t->files), "%s/files", t->dir);
	t->arena = arena_new();
	if ((t->tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	ta_exec(t, "INSERT INTO org(id, name) VALUES (1, '评估测试有限公司')");
	t->app = account(t, "app@example.cn", "申请人", "applicant", 0);
	t->lead = account(t, "lead@example.cn", "负责人甲", "lead", 0);
	t->lead2 = account(t, "lead2@example.cn", "负责人乙", "lead", 0);
	t->as1 = account(t, "as1@example.cn", "评估员甲", "assessor", 0);
	t->as2 = account(t, "as2@example.cn", "评估员乙", "assessor", 0);
	t->as_off = account(t, "as3@example.cn", "评估员丙", "assessor", 1);
	t->ex1 = account(t, "ex1@example.cn", "专家甲", "expert", 0);
	t->ex2 = account(t, "ex2@example.cn", "专家乙", "expert", 0);
	t->ex3 = account(t, "ex3@example.cn", "专家丙", "expert", 0);
	t->ex_off = account(t, "ex4@example.cn", "专家丁", "expert", 1);
	t->cert = account(t, "cert@example.cn", "制证员", "cert_staff", 0);
	t->sup = account(t, "sup@example.cn", "监督员", "supervisor", 0);
}

void
ta_close(struct ta *t)
{
	tmpl_set_free(t->tmpl);
	arena_free(t->arena);
	ts_close(t->db, t->dir);
}

void
ta_exec(struct ta *t, const char *sql)
{
	ts_exec(t->db, sql);
}

static sqlite3_stmt *
row(struct ta *t, const char *sql, long long id)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(store_db(t->db), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(t->db)));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s (%lld): no row", sql, id);
	return st;
}

long long
ta_int(struct ta *t, const char *sql, long long id)
{
	sqlite3_stmt *st = row(t, sql, id);
	long long n = sqlite3_column_int64(st, 0);

	sqlite3_finalize(st);
	return n;
}

const char *
ta_text(struct ta *t, const char *sql, long long id)
{
	sqlite3_stmt *st = row(t, sql, id);
	const char *s = arena_strdup(t->arena,
	    (const char *)sqlite3_column_text(st, 0) ?
	    (const char *)sqlite3_column_text(st, 0) : "");

	sqlite3_finalize(st);
	return s;
}

long long
ta_case(struct ta *t, enum status st)
{
	static int n;
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO cases(org_id, case_no, "
	    "status, lead_id, created_by, rounds) VALUES (1, "
	    "'SE2-2026-%05d', '%s', %lld, %lld, 1)", ++n, status_code(st),
	    t->lead, t->app);
	ta_exec(t, sql);
	return sqlite3_last_insert_rowid(store_db(t->db));
}

enum status
ta_status(struct ta *t, long long case_id)
{
	return status_of(ta_text(t, "SELECT status FROM cases WHERE id = ?1",
	    case_id));
}

void
ta_team(struct ta *t, long long case_id, long long account)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO team_member(case_id, "
	    "account_id) VALUES (%lld, %lld)", case_id, account);
	ta_exec(t, sql);
}

void
ta_panel(struct ta *t, long long case_id, long long account, int declared)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO panel_member(case_id, "
	    "account_id, added_by, declared_at) VALUES (%lld, %lld, %lld, %s)",
	    case_id, account, t->lead, declared ? "'2026-03-10T01:00:00Z'" :
	    "NULL");
	ta_exec(t, sql);
}

/* The actor of account, in a. */
static struct actor *
actor(struct ta *t, struct arena *a, long long id)
{
	struct actor *u = arena_alloc(a, sizeof(*u));

	u->id = id;
	u->email = arena_strdup(a, ta_text(t, "SELECT email FROM account "
	    "WHERE id = ?1", id));
	u->name = arena_strdup(a, ta_text(t, "SELECT name FROM account WHERE "
	    "id = ?1", id));
	u->role = arena_strdup(a, ta_text(t, "SELECT role FROM account WHERE "
	    "id = ?1", id));
	u->role_bit = role_bit(u->role);
	u->org_id = ta_int(t, "SELECT coalesce(org_id, 0) FROM account WHERE "
	    "id = ?1", id);
	u->org_name = u->org_id ? "评估测试有限公司" : "";
	return u;
}

static struct dom *
dom_on(struct ta *t, struct store *s, struct arena *a,
    const struct actor *u)
{
	struct dom *d = arena_alloc(a, sizeof(*d));

	dom_init(d, s, a, u, NOW);
	d->tmpl = t->tmpl;
	d->public_url = "https://zizhi.example.cn";
	d->files_dir = t->files;
	d->max_file = 262144;
	return d;
}

struct dom *
ta_dom(struct ta *t, long long account)
{
	return dom_on(t, t->db, t->arena, actor(t, t->arena, account));
}

/* In a child: waits for the start, takes the step, exits with its
 * result (100 when it could not run). */
static void
runner(struct ta *t, int go, long long case_id, const struct actor *u,
    ta_step step)
{
	struct store *s;
	struct arena *a;
	char err[256], c;

	if ((s = store_open(t->path, err, sizeof(err))) == NULL)
		_exit(100);
	a = arena_new();
	if (read(go, &c, 1) != 0)
		_exit(100);
	_exit((int)step(dom_on(t, s, a, u), case_id));
}

void
ta_race(struct ta *t, long long case_id, long long a, ta_step sa,
    long long b, ta_step sb, enum dom_rc out[2])
{
	const struct actor *u[2];
	ta_step steps[2] = { sa, sb };
	pid_t pid[2];
	int go[2], i, status;

	u[0] = actor(t, t->arena, a);
	u[1] = actor(t, t->arena, b);
	assert_int_equal(pipe(go), 0);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0) {
			close(go[1]);
			runner(t, go[0], case_id, u[i], steps[i]);
		}
	}
	close(go[0]);
	/* Both are ready to read: closing the pipe starts them at once. */
	usleep(100000);
	close(go[1]);
	for (i = 0; i < 2; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_true(WEXITSTATUS(status) != 100);
		out[i] = (enum dom_rc)WEXITSTATUS(status);
	}
}

int
ta_one_wins(const enum dom_rc out[2])
{
	if (out[0] == DOM_OK && out[1] == DOM_CONFLICT)
		return 0;
	if (out[0] == DOM_CONFLICT && out[1] == DOM_OK)
		return 1;
	fail_msg("race: %d and %d, want one DOM_OK, one DOM_CONFLICT",
	    (int)out[0], (int)out[1]);
	return -1;
}
