/*
 * testlib_apply.c: the domain modules' unit tests (testlib_apply.h).
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

#include "app.h"
#include "application.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "submission.h"
#include "testlib_apply.h"
#include "testlib_journey.h"
#include "testlib_store.h"
#include "util.h"

struct store *tp_db;

static char dir[] = "/tmp/zizhi-dom.XXXXXX";
static char files[sizeof(dir) + 8];
static struct arena *arena;
static struct tmpl_set *tmpl;
static struct actor actors[TP__COUNT];

static const struct {
	const char	*email, *name, *role;
	long long	 org;
} accounts[TP__COUNT] = {
	[TP_APPLICANT] = { "a@x.cn", "申请人甲", "applicant", 1 },
	[TP_OTHER] = { "b@x.cn", "申请人乙", "applicant", 2 },
	[TP_LEAD] = { "l@x.cn", "负责人", "lead", 0 },
	[TP_LEAD2] = { "l2@x.cn", "另一负责人", "lead", 0 },
	[TP_ASSESSOR] = { "s@x.cn", "评估人员", "assessor", 0 },
	[TP_EXPERT] = { "e@x.cn", "专家", "expert", 0 },
	[TP_CERT] = { "c@x.cn", "制证人员", "cert_staff", 0 },
	[TP_SUPERVISOR] = { "v@x.cn", "监督人员", "supervisor", 0 },
	[TP_ADMIN] = { "m@x.cn", "管理员", "admin", 0 },
};

void
tp_exec(const char *sql)
{
	ts_exec(tp_db, sql);
}

long long
tp_int(const char *sql, long long a)
{
	sqlite3_stmt *st;
	long long n;

	if (sqlite3_prepare_v2(store_db(tp_db), sql, -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(tp_db)));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, a);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

void
tp_open(void)
{
	char err[256];
	sqlite3_stmt *st;
	int i;

	strcpy(dir, "/tmp/zizhi-dom.XXXXXX");
	tp_db = ts_open(dir);
	snprintf(files, sizeof(files), "%s/files", dir);
	arena = arena_new();
	if ((tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	tp_exec("INSERT INTO org(id, name) VALUES (1, '甲公司'), "
	    "(2, '乙公司')");
	assert_int_equal(sqlite3_prepare_v2(store_db(tp_db), "INSERT INTO "
	    "account(id, email, name, role, org_id, password_hash) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, 'x')", -1, &st, NULL), SQLITE_OK);
	for (i = 1; i < TP__COUNT; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, accounts[i].email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, accounts[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, accounts[i].role, -1, SQLITE_STATIC);
		if (accounts[i].org != 0)
			sqlite3_bind_int64(st, 5, accounts[i].org);
		else
			sqlite3_bind_null(st, 5);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		actors[i].id = i;
		actors[i].email = accounts[i].email;
		actors[i].name = accounts[i].name;
		actors[i].role = accounts[i].role;
		actors[i].role_bit = role_bit(accounts[i].role);
		actors[i].org_id = accounts[i].org;
		actors[i].org_name = accounts[i].org == 1 ? "甲公司" :
		    accounts[i].org == 2 ? "乙公司" : "";
	}
	sqlite3_finalize(st);
}

void
tp_close(void)
{
	tmpl_set_free(tmpl);
	arena_free(arena);
	ts_close(tp_db, dir);
}

int
tp_setup(void **state)
{
	tp_open();
	return 0;
}

int
tp_teardown(void **state)
{
	tp_close();
	return 0;
}

long long
tp_draft(long long who)
{
	char sql[400];
	long long id;

	/* An organisation holds APPLICATION_DRAFTS_MAX drafts at most: the
	 * oldest give way (withdrawn) to the tests' new ones. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = 'withdrawn' "
	    "WHERE status = 'draft' AND org_id = %lld AND id NOT IN (SELECT id "
	    "FROM cases WHERE status = 'draft' AND org_id = %lld ORDER BY id "
	    "DESC LIMIT %d)", actors[who].org_id, actors[who].org_id,
	    APPLICATION_DRAFTS_MAX - 1);
	tp_exec(sql);
	assert_int_equal(application_create(tp_dom(who), &id), DOM_OK);
	return id;
}

struct dom *
tp_dom(long long who)
{
	struct dom *d = arena_alloc(arena, sizeof(*d));

	dom_init(d, tp_db, arena, who > 0 ? &actors[who] : NULL,
	    (long long)time(NULL));
	d->tmpl = tmpl;
	d->files_dir = files;
	d->max_file = 1024 * 1024;
	return d;
}

long long
tp_case(long long org, enum status st, long long lead)
{
	sqlite3_stmt *q;
	long long id;
	char no[32];

	assert_int_equal(sqlite3_prepare_v2(store_db(tp_db), "INSERT INTO "
	    "cases(org_id, created_by, status, lead_id, rounds, case_no) "
	    "VALUES (?1, ?1, ?2, ?3, ?4, ?5)", -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_int64(q, 1, org);
	sqlite3_bind_text(q, 2, status_code(st), -1, SQLITE_STATIC);
	if (lead > 0)
		sqlite3_bind_int64(q, 3, lead);
	sqlite3_bind_int(q, 4, st != ST_DRAFT);
	if (st != ST_DRAFT) {
		snprintf(no, sizeof(no), "SE2-1999-%05lld", tp_int("SELECT "
		    "count(*) + 1 FROM cases", 0));
		sqlite3_bind_text(q, 5, no, -1, SQLITE_TRANSIENT);
	}
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	id = sqlite3_last_insert_rowid(store_db(tp_db));
	return id;
}

pid_t
tp_hold(const char *sql, int ms)
{
	struct store *s;
	char path[sizeof(dir) + 8], err[256], c = 'x';
	int fd[2];
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		close(fd[0]);
		snprintf(path, sizeof(path), "%s/t.db", dir);
		if ((s = store_open(path, err, sizeof(err))) == NULL ||
		    store_begin(s) != 0 || sqlite3_exec(store_db(s), sql, NULL,
		    NULL, NULL) != SQLITE_OK)
			_exit(2);
		if (write(fd[1], &c, 1) != 1)
			_exit(3);
		usleep((useconds_t)ms * 1000);
		_exit(store_commit(s) == 0 ? 0 : 4);
	}
	assert_true(pid > 0);
	close(fd[1]);
	if (read(fd[0], &c, 1) != 1)
		fail_msg("tp_hold: the holder did not start: %s", sql);
	close(fd[0]);
	return pid;
}

void
tp_join(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

void
tp_fill(struct dom *d, long long id)
{
	const struct fdef_section *sec;
	const struct fdef_field *f;
	const char *const *kv, *sid, *dot, *val, *err;
	struct fdef_report rep;
	struct formdata fd;
	struct tj_dates dt;
	char name[64];
	size_t i, k;
	int row;

	tj_dates(&dt);
	for (i = 0; (kv = tj_section(&dt, i, &sid)) != NULL; i++) {
		assert_non_null(sec = fdef_section_find(sid));
		formdata_init(&fd, d->arena);
		for (k = 0; kv[k] != NULL; k += 2) {
			dot = strchr(kv[k], '.');
			if (dot != NULL && strcmp(dot, "._rows") == 0)
				continue;
			row = dot ? atoi(dot + 1) : FDEF_NOROW;
			snprintf(name, sizeof(name), "%.*s", dot ? (int)(dot -
			    kv[k]) : (int)strlen(kv[k]), kv[k]);
			assert_non_null(f = fdef_field_find(name, NULL));
			if (fdef_validate(d->arena, f, kv[k + 1], 0, d->today,
			    &val, &err) == FDEF_INVALID)
				fail_msg("%s: %s", kv[k], err);
			if (val != NULL && *val != '\0')
				formdata_set(&fd, name, row, val);
		}
		if (application_save_section(d, id, sec, &fd, NULL, 0, &rep) !=
		    DOM_OK)
			fail_msg("section %s: %s", sid, d->msg);
	}
}

void
tp_upload_missing(struct dom *d, long long id)
{
	struct submission_report r;
	struct material_upload u;
	struct case_ref c;
	long long mid;
	size_t k;

	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	for (k = 0; k < r.rep.n; k++) {
		if (r.rep.v[k].material == NULL)
			continue;
		memset(&u, 0, sizeof(u));
		u.kind = r.rep.v[k].material;
		u.row = r.rep.v[k].row;
		u.filename = "扫描件.pdf";
		u.data = tj_pdf;
		u.len = tj_pdf_len;
		if (material_upload(d, id, &u, &mid) != DOM_OK)
			fail_msg("%s %d: %s", u.kind, u.row, d->msg);
	}
}

long long
tp_complete(long long who)
{
	struct dom *d = tp_dom(who);
	struct submission_report r;
	struct case_ref c;
	long long id = tp_draft(who);

	tp_fill(d, id);
	tp_upload_missing(d, id);
	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, &r), DOM_OK);
	if (r.rep.n > 0)
		fail_msg("still missing: %s", r.rep.v[0].summary);
	return id;
}
