/*
 * test_archive.c: a closed case's archive (archive.c) on a temporary
 * database and file store. Before the retention date, for an open case
 * or a draft, for anyone but an administrator, without the confirmation,
 * and a second time, a disposal is refused with nothing written; on the
 * day it works: form values and frozen round values deleted, materials
 * marked removed, the files no other case refers to deleted, the events
 * kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "archive.h"
#include "files.h"
#include "testlib_store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-archive.XXXXXX";
static char files_dir[300];
static struct store *db;
static struct arena *arena;
static long long now;

/* Accounts: 1 applicant, 2 lead, 3 supervisor, 4 admin. */
static const struct actor people[] = {
	{ 0, "", "", "", 0, 0, "" },
	{ 1, "a@x.cn", "a", "applicant", ROLE_APPLICANT, 1, "o" },
	{ 2, "l@x.cn", "l", "lead", ROLE_LEAD, 0, "" },
	{ 3, "s@x.cn", "s", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ 4, "m@x.cn", "m", "admin", ROLE_ADMIN, 0, "" },
};
enum { APPLICANT = 1, LEAD, SUPERVISOR, ADMIN };

/* Cases: 1 withdrawn 2019-12-01 (due), 2 withdrawn 2025-06-30 (not
 * due), 3 issued 2010-01-01 (shares a file with 1), 4 in intake review,
 * 5 a draft. */
#define HASH(c)	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" c
#define OWN	HASH("1")	/* case 1's alone */
#define SHARED	HASH("2")	/* cases 1 and 3 */

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static long long
count(const char *sql)
{
	return ts_int(db, sql);
}

static void
put_file(const char *hex)
{
	char path[512], sub[400];
	FILE *f;

	snprintf(sub, sizeof(sub), "%s/%.2s", files_dir, hex);
	mkdir(sub, 0700);
	assert_int_equal(files_path(files_dir, hex, path, sizeof(path)), 0);
	assert_non_null(f = fopen(path, "w"));
	fputs("bytes", f);
	fclose(f);
}

static int
file_there(const char *hex)
{
	char path[512];

	assert_int_equal(files_path(files_dir, hex, path, sizeof(path)), 0);
	return access(path, F_OK) == 0;
}

static int
setup(void **state)
{
	db = ts_open(dir);
	arena = arena_new();
	snprintf(files_dir, sizeof(files_dir), "%s/files", dir);
	assert_int_equal(mkdir(files_dir, 0700), 0);
	/* 2026-12-06, noon in Beijing. */
	now = (long long)date_from_ymd(2026, 12, 6) * 86400 + 4 * 3600;
	exec("INSERT INTO org(id, name) VALUES (1, '甲公司');"
	    "INSERT INTO account(id, email, name, role, org_id, "
	    "password_hash) VALUES (1, 'a@x.cn', 'a', 'applicant', 1, 'x'), "
	    "(2, 'l@x.cn', 'l', 'lead', NULL, 'x'), (3, 's@x.cn', 's', "
	    "'supervisor', NULL, 'x'), (4, 'm@x.cn', 'm', 'admin', NULL, 'x');"
	    "INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by, rounds) VALUES "
	    "(1, 1, 'SE2-2019-00001', 'withdrawn', 2, 1, 1), "
	    "(2, 1, 'SE2-2025-00002', 'withdrawn', 2, 1, 1), "
	    "(3, 1, 'SE2-2009-00003', 'issued', 2, 1, 1), "
	    "(4, 1, 'SE2-2026-00004', 'intake_review', 2, 1, 1), "
	    "(5, 1, NULL, 'draft', NULL, 1, 0);"
	    "INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES "
	    "(1, '2019-11-01T02:00:00Z', '2019-11-01', 1, 'draft', "
	    "'submitted'), (1, '2019-12-01T02:00:00Z', '2019-12-01', 1, "
	    "'submitted', 'withdrawn'), "
	    "(2, '2025-06-30T02:00:00Z', '2025-06-30', 1, 'submitted', "
	    "'withdrawn'), (3, '2010-01-01T02:00:00Z', '2010-01-01', 2, "
	    "'certificate_pending', 'issued'), (4, '2026-12-01T02:00:00Z', "
	    "'2026-12-01', 2, 'submitted', 'intake_review');");
	exec("INSERT INTO form_value(case_id, field, row, value) VALUES "
	    "(1, 'org_name', -1, '甲公司'), (1, 'phone', -1, '1'), "
	    "(2, 'org_name', -1, '甲公司'), (3, 'org_name', -1, '甲公司'), "
	    "(4, 'org_name', -1, '甲公司');"
	    "INSERT INTO round(id, case_id, n, submitted_at, submitted_by) "
	    "VALUES (1, 1, 1, '2019-11-01T02:00:00Z', 1), (2, 2, 1, "
	    "'2025-01-01T02:00:00Z', 1);"
	    "INSERT INTO round_value(round_id, field, row, value) VALUES "
	    "(1, 'org_name', -1, '甲公司'), (2, 'org_name', -1, '甲公司');"
	    "INSERT INTO material(case_id, kind, filename, mime, size, sha256, "
	    "uploaded_by, uploaded_at) VALUES "
	    "(1, 'licence', 'a.pdf', 'application/pdf', 5, '" OWN "', 1, "
	    "'2019-11-01T02:00:00Z'), "
	    "(1, 'chart', 'b.pdf', 'application/pdf', 5, '" SHARED "', 1, "
	    "'2019-11-01T02:00:00Z'), "
	    "(3, 'chart', 'b.pdf', 'application/pdf', 5, '" SHARED "', 1, "
	    "'2009-11-01T02:00:00Z')");
	put_file(OWN);
	put_file(SHARED);
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}

static void
ctx(struct dom *d, int who)
{
	dom_init(d, db, arena, &people[who], now);
	d->files_dir = files_dir;
}

/* What of the cases is in the database, to compare before and after. */
static const char *
written(void)
{
	return arena_printf(arena, "values %lld, rounds %lld, current %lld, "
	    "disposals %lld, events %lld", count("SELECT count(*) FROM "
	    "form_value"), count("SELECT count(*) FROM round_value"),
	    count("SELECT count(*) FROM material WHERE state = 'current'"),
	    count("SELECT count(*) FROM disposal"), count("SELECT count(*) "
	    "FROM event"));
}

static void
test_get(void **state)
{
	struct archive_info a;
	struct case_ref c;
	struct dom d;

	ctx(&d, ADMIN);
	assert_int_equal(access_case(&d, 1, PART_ARCHIVE, &c), DOM_OK);
	assert_int_equal(archive_get(&d, &c, &a), DOM_OK);
	assert_true(a.closed);
	assert_string_equal(a.closed_on, "2019-12-01");
	assert_string_equal(a.dispose_from, "2025-12-01");
	assert_false(a.disposed);
	assert_true(a.may_dispose);
	assert_int_equal(access_case(&d, 2, PART_ARCHIVE, &c), DOM_OK);
	assert_int_equal(archive_get(&d, &c, &a), DOM_OK);
	assert_string_equal(a.dispose_from, "2031-06-30");
	assert_false(a.may_dispose);
	/* Open cases and drafts have no archive for an administrator;
	 * other roles have no archive part. */
	assert_int_equal(access_case(&d, 4, PART_ARCHIVE, &c), DOM_NOT_FOUND);
	assert_int_equal(access_case(&d, 5, PART_ARCHIVE, &c), DOM_NOT_FOUND);
	ctx(&d, LEAD);
	assert_int_equal(access_case(&d, 1, PART_SUMMARY, &c), DOM_OK);
	assert_int_equal(archive_get(&d, &c, &a), DOM_NOT_FOUND);
	ctx(&d, SUPERVISOR);
	assert_int_equal(access_case(&d, 1, PART_ARCHIVE, &c), DOM_NOT_FOUND);
}

static void
test_refused(void **state)
{
	const char *before = written();
	struct dom d;

	/* Not an administrator: not found (no archive part). */
	ctx(&d, SUPERVISOR);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_NOT_FOUND);
	ctx(&d, LEAD);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_NOT_FOUND);
	ctx(&d, APPLICANT);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_NOT_FOUND);
	ctx(&d, 0);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_NOT_FOUND);
	/* Open, a draft, no such case. */
	ctx(&d, ADMIN);
	assert_int_equal(archive_dispose(&d, 4, 1), DOM_NOT_FOUND);
	assert_int_equal(archive_dispose(&d, 5, 1), DOM_NOT_FOUND);
	assert_int_equal(archive_dispose(&d, 99, 1), DOM_NOT_FOUND);
	/* Before the retention date, with the dates. */
	assert_int_equal(archive_dispose(&d, 2, 1), DOM_CONFLICT);
	assert_string_equal(d.msg, "案件于 2025-06-30 结束，档案须保存六年，"
	    "2031-06-30 之前不得处置（《申请与维持指南》第八章）。");
	/* Not confirmed. */
	assert_int_equal(archive_dispose(&d, 1, 0), DOM_INVALID);
	assert_string_equal(d.field, "confirm");
	assert_string_equal(d.msg, "请勾选确认后再处置档案。");
	/* Nothing written, no file gone. */
	assert_string_equal(written(), before);
	assert_true(file_there(OWN));
	assert_true(file_there(SHARED));
	/* The day before it is due: refused too. */
	now = (long long)date_from_ymd(2025, 11, 30) * 86400 + 4 * 3600;
	ctx(&d, ADMIN);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "2025-12-01 之前不得处置"));
	assert_string_equal(written(), before);
	now = (long long)date_from_ymd(2026, 12, 6) * 86400 + 4 * 3600;
}

static void
test_dispose(void **state)
{
	struct archive_info a;
	struct case_ref c;
	struct dom d;
	long long events = count("SELECT count(*) FROM event");

	/* The very day it is due. */
	now = (long long)date_from_ymd(2025, 12, 1) * 86400 + 1;
	ctx(&d, ADMIN);
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM disposal WHERE case_id = "
	    "1 AND by_id = 4 AND at = '2025-12-01T00:00:01Z'"), 1);
	assert_int_equal(count("SELECT count(*) FROM form_value WHERE "
	    "case_id = 1"), 0);
	assert_int_equal(count("SELECT count(*) FROM round_value WHERE "
	    "round_id = 1"), 0);
	assert_int_equal(count("SELECT count(*) FROM material WHERE case_id = "
	    "1 AND state <> 'removed'"), 0);
	assert_int_equal(count("SELECT count(*) FROM material WHERE case_id = "
	    "1"), 2);
	assert_int_equal(count("SELECT count(*) FROM event"), events);
	/* Other cases untouched; the shared file stays, its own goes. */
	assert_int_equal(count("SELECT count(*) FROM form_value"), 3);
	assert_int_equal(count("SELECT count(*) FROM round_value"), 1);
	assert_int_equal(count("SELECT count(*) FROM material WHERE case_id = "
	    "3 AND state = 'current'"), 1);
	assert_false(file_there(OWN));
	assert_true(file_there(SHARED));
	/* The archive says so, and once is all. */
	assert_int_equal(access_case(&d, 1, PART_ARCHIVE, &c), DOM_OK);
	assert_int_equal(archive_get(&d, &c, &a), DOM_OK);
	assert_true(a.disposed);
	assert_false(a.may_dispose);
	assert_string_equal(a.disposed_at, "2025-12-01T00:00:01Z");
	assert_int_equal(archive_dispose(&d, 1, 1), DOM_CONFLICT);
	assert_string_equal(d.msg, "此案件的档案已经处置过了。");
	assert_int_equal(count("SELECT count(*) FROM disposal"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_dispose),
	};

	return cmocka_run_group_tests_name("archive", tests, setup, teardown);
}
