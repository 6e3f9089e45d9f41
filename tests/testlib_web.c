/*
 * testlib_web.c: page tests in process (testlib_web.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "actor.h"
#include "date.h"
#include "testlib_store.h"
#include "testlib_web.h"
#include "util.h"
#include "workflow.h"

static char dir[64];
static struct store *db;

struct store *
tw_open(void)
{
	char path[128];

	assert_true(sodium_init() >= 0);
	snprintf(dir, sizeof(dir), "/tmp/zizhi-web.XXXXXX");
	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	setenv("ZIZHI_DB", path, 1);
	return db;
}

void
tw_close(void)
{
	http_inproc_close();
	ts_close(db, dir);
	db = NULL;
}

const char *
tw_dir(void)
{
	return dir;
}

void
tw_exec(const char *sql)
{
	ts_exec(db, sql);
}

long long
tw_int(const char *sql)
{
	return ts_int(db, sql);
}

const char *
tw_text(const char *sql)
{
	static char out[4096];
	struct arena *a = arena_new();

	snprintf(out, sizeof(out), "%s", ts_text(db, a, sql));
	arena_free(a);
	return out;
}

/* Runs the formatted sql; the last row id. */
static long long
insert(const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ts_exec(db, sql);
	return sqlite3_last_insert_rowid(store_db(db));
}

long long
tw_org(const char *name)
{
	return insert("INSERT INTO org(name) VALUES ('%s')", name);
}

void
tw_person(struct tw_person *p, const char *role, const char *name,
    long long org)
{
	static int n;
	unsigned char raw[32], hash[32];
	char token[64], hex[65], cookie[96], org_s[32];
	size_t i;

	memset(p, 0, sizeof(*p));
	snprintf(org_s, sizeof(org_s), "%lld", org);
	p->org = org;
	p->id = insert("INSERT INTO account(email, name, role, org_id, "
	    "password_hash) VALUES ('w%d@web.example', '%s', '%s', %s, 'x')",
	    ++n, name, role, org != 0 ? org_s : "NULL");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(p->csrf, sizeof(p->csrf), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", hash[i]);
	insert("INSERT INTO session(token_hash, account_id, csrf, created, "
	    "seen) VALUES (x'%s', %lld, '%s', strftime('%%s', 'now'), "
	    "strftime('%%s', 'now'))", hex, p->id, p->csrf);
	p->http = http_client_new("inproc:");
	snprintf(cookie, sizeof(cookie), "zizhi=%s", token);
	http_set_cookie(p->http, cookie);
}

long long
tw_case(long long org, long long app, enum status st, long long lead,
    const char *submitted)
{
	static int n;
	char lead_s[32], today[DATE_BUFSZ];
	long long id;

	snprintf(lead_s, sizeof(lead_s), "%lld", lead);
	id = insert("INSERT INTO cases(org_id, created_by, status, rounds, "
	    "case_no, lead_id) VALUES (%lld, %lld, '%s', 1, 'SE2-2026-W%04d', "
	    "%s)", org, app, status_code(st), ++n, lead ? lead_s : "NULL");
	insert("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (%lld, '%sT01:00:00Z', '%s', %lld, NULL, '%s')",
	    id, submitted, submitted, app, status_code(ST_DRAFT));
	insert("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (%lld, '%sT02:00:00Z', '%s', %lld, '%s', '%s')",
	    id, submitted, submitted, app, status_code(ST_DRAFT),
	    status_code(ST_SUBMITTED));
	if (st != ST_SUBMITTED)
		insert("INSERT INTO event(case_id, at, day, actor_id, "
		    "from_status, to_status) VALUES (%lld, "
		    "date('%s', '+1 day') || 'T02:00:00Z', date('%s', '+1 day'), "
		    "%lld, '%s', '%s')", id, submitted, submitted,
		    lead ? lead : app, status_code(ST_SUBMITTED),
		    status_code(st));
	insert("INSERT INTO round(case_id, n, submitted_at, submitted_by) "
	    "VALUES (%lld, 1, '%sT02:00:00Z', %lld)", id, submitted, app);
	insert("INSERT INTO round_value(round_id, field, row, value) SELECT "
	    "last_insert_rowid(), 'org_name', -1, name FROM org WHERE id = "
	    "%lld", org);
	insert("INSERT INTO round_value(round_id, field, row, value) VALUES "
	    "((SELECT id FROM round WHERE case_id = %lld), 'uscc', -1, "
	    "'91350100M000100Y43'), ((SELECT id FROM round WHERE case_id = "
	    "%lld), 'app_type', -1, 'initial')", id, id);
	workflow_status_facts(db, id, st);
	date_format(date_of_unix(time(NULL)), today);
	assert_int_equal(workflow_clock_cache(db, id, today), 0);
	return id;
}

void
tw_get(struct tw_person *p, const char *path, struct http_resp *r)
{
	memset(r, 0, sizeof(*r));
	http_get(p->http, path, r);
}

long
tw_status(struct tw_person *p, const char *path)
{
	struct http_resp r;
	long s;

	tw_get(p, path, &r);
	s = r.status;
	http_resp_free(&r);
	return s;
}

void
tw_post(struct tw_person *p, const char *path, const char *form,
    struct http_resp *r)
{
	char *body;

	memset(r, 0, sizeof(*r));
	body = xmalloc(strlen(form) + 80);
	sprintf(body, "csrf=%s%s%s", p->csrf, *form ? "&" : "", form);
	http_post_form(p->http, path, body, r);
	free(body);
}

void
tw_post_file(struct tw_person *p, const char *path, const char *const *fields,
    const char *field, const char *name, const char *data, size_t len,
    struct http_resp *r)
{
	const char *all[32];
	size_t n = 0;

	all[n++] = "csrf";
	all[n++] = p->csrf;
	for (; fields != NULL && *fields != NULL && n < 30; fields++)
		all[n++] = *fields;
	all[n] = NULL;
	memset(r, 0, sizeof(*r));
	http_post_file(p->http, path, all, field, name, data, len, r);
}
