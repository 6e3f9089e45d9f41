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

#include "appeal.h"
#include "application.h"
#include "archive.h"
#include "assessment.h"
#include "attach.h"
#include "docrequest.h"
#include "cli.h"
#include "formdata.h"
#include "material.h"
#include "notice_read.h"
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

/* Stores text as a file; its hash into hex. */
static void
store(const char *text, char hex[FILES_HEX_SIZE])
{
	assert_int_equal(files_store(files_dir, text, strlen(text), hex), 0);
}

static long long
insert(const char *sql)
{
	exec(sql);
	return sqlite3_last_insert_rowid(store_db(db));
}

/*
 * Issue 19, item 5: after disposal every document of the case answers
 * 410 with the day, its stored files are deleted unless a case still
 * holding its archive refers to them (in any table that names a file),
 * and content shared with another case stays downloadable there.
 * Case 6 (withdrawn 2019) and case 7 (open, lead 2) share one file, as a
 * material of 6 and an assessment file of 7.
 */
static void
test_dispose_documents(void **state)
{
	char shared[FILES_HEX_SIZE], own[FILES_HEX_SIZE], app[FILES_HEX_SIZE];
	char ev[FILES_HEX_SIZE], dr[FILES_HEX_SIZE];
	struct material_file mf;
	struct assess_file af;
	struct appeal_doc ad;
	struct notice_row nr;
	struct formdata fd;
	struct attach_file kept;
	struct case_ref c;
	struct buf bytes;
	struct dom d;
	long long m_own, m_shared, notice, f7, doc, aid, fdr;
	char sql[1024];

	store("共享的 PDF", shared);
	store("案件 6 的营业执照", own);
	store("案件 6 的申诉附件", app);
	store("案件 6 的评估证据", ev);
	store("案件 6 的补充资料", dr);
	exec("INSERT INTO cases(id, org_id, case_no, status, lead_id, "
	    "created_by, rounds) VALUES (6, 1, 'SE2-2019-00006', 'withdrawn', "
	    "2, 1, 1), (7, 1, 'SE2-2026-00007', 'assessing', 2, 1, 1);"
	    "INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (6, '2019-12-01T02:00:00Z', '2019-12-01', 1, "
	    "'submitted', 'withdrawn'), (7, '2026-11-01T02:00:00Z', "
	    "'2026-11-01', 2, 'assessment_planning', 'assessing');"
	    "INSERT INTO form_value(case_id, field, row, value) VALUES "
	    "(6, 'org_name', -1, '甲公司')");
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(6, 'business_licence', 'a.pdf', 'application/pdf', %zu, '%s', 1, "
	    "'2019-11-01T02:00:00Z')", strlen("案件 6 的营业执照"), own);
	m_own = insert(sql);
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(6, 'org_chart', 'b.pdf', 'application/pdf', %zu, '%s', 1, "
	    "'2019-11-01T02:00:00Z')", strlen("共享的 PDF"), shared);
	m_shared = insert(sql);
	notice = insert("INSERT INTO notice(case_id, kind, no, at, day, title, "
	    "body) VALUES (6, 'receipt', 'SE2-2019-00006-R1', "
	    "'2019-11-01T02:00:00Z', '2019-11-01', '收件凭证', '正文')");
	/* Case 6: an assessment file and an appeal file of its own. */
	insert("INSERT INTO assessment_record(case_id, kind, finding, by_id, "
	    "at) VALUES (6, 'interview', '记录', 2, '2019-11-05T02:00:00Z')");
	snprintf(sql, sizeof(sql), "INSERT INTO assessment_file(record_id, "
	    "filename, mime, size, sha256) VALUES (last_insert_rowid(), "
	    "'e.pdf', 'application/pdf', %zu, '%s')", strlen("案件 6 的评估证据"),
	    ev);
	insert(sql);
	aid = insert("INSERT INTO appeal(case_id, text, filed_by, filed_at) "
	    "VALUES (6, '申诉', 1, '2019-12-02T02:00:00Z')");
	snprintf(sql, sizeof(sql), "INSERT INTO appeal_file(appeal_id, "
	    "filename, mime, size, sha256) VALUES (%lld, 'p.pdf', "
	    "'application/pdf', %zu, '%s')", aid, strlen("案件 6 的申诉附件"),
	    app);
	doc = insert(sql);
	/* And a file sent for a document request (评估 补充资料). */
	insert("INSERT INTO doc_request(case_id, due, by_id, opened_at, "
	    "opened_day) VALUES (6, '2019-11-20', 2, '2019-11-06T02:00:00Z', "
	    "'2019-11-06')");
	snprintf(sql, sizeof(sql), "INSERT INTO doc_request_file(request_id, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(last_insert_rowid(), 'd.pdf', 'application/pdf', %zu, '%s', 1, "
	    "'2019-11-07T02:00:00Z')", strlen("案件 6 的补充资料"), dr);
	fdr = insert(sql);
	/* Case 7 refers to the shared bytes as an assessment file. */
	insert("INSERT INTO assessment_record(case_id, kind, finding, by_id, "
	    "at) VALUES (7, 'interview', '记录', 2, '2026-11-05T02:00:00Z')");
	snprintf(sql, sizeof(sql), "INSERT INTO assessment_file(record_id, "
	    "filename, mime, size, sha256) VALUES (last_insert_rowid(), "
	    "'s.pdf', 'application/pdf', %zu, '%s')", strlen("共享的 PDF"),
	    shared);
	f7 = insert(sql);

	now = (long long)date_from_ymd(2026, 12, 6) * 86400 + 4 * 3600;
	ctx(&d, ADMIN);
	assert_int_equal(archive_dispose(&d, 6, 1), DOM_OK);

	/* The files: its own (in every table) deleted, the shared kept. */
	assert_false(file_there(own));
	assert_false(file_there(app));
	assert_false(file_there(ev));
	assert_false(file_there(dr));
	assert_true(file_there(shared));

	/* Every document of case 6 answers 410, saying when. */
	buf_init(&bytes);
	ctx(&d, APPLICANT);
	assert_int_equal(access_case(&d, 6, PART_MATERIALS | PART_NOTICES, &c),
	    DOM_OK);
	assert_int_equal(material_download(&d, &c, m_own, &mf, &bytes),
	    DOM_GONE);
	assert_non_null(strstr(d.msg, "已于 2026-12-06 处置"));
	assert_int_equal(material_download(&d, &c, m_shared, &mf, &bytes),
	    DOM_GONE);
	assert_int_equal(notice_get(&d, &c, notice, &nr), DOM_GONE);
	formdata_init(&fd, arena);
	assert_int_equal(application_form(&d, &c, &fd), DOM_GONE);
	ctx(&d, SUPERVISOR);
	assert_int_equal(appeal_doc_read(&d, aid, doc, &ad, &bytes), DOM_GONE);
	assert_non_null(strstr(d.msg, "处置"));
	ctx(&d, LEAD);
	assert_int_equal(docreq_file(&d, 6, fdr, &af, &bytes), DOM_GONE);
	assert_non_null(strstr(d.msg, "处置"));
	/* The shared bytes are still there for case 7. */
	ctx(&d, LEAD);
	assert_int_equal(assessment_file(&d, 7, f7, &af, &bytes), DOM_OK);
	assert_int_equal(bytes.n, strlen("共享的 PDF"));
	buf_free(&bytes);

	/* An upload of bytes a disposal deleted stores them again in its
	 * own transaction (attach_keep). */
	memset(&kept, 0, sizeof(kept));
	memcpy(kept.sha256, own, FILES_HEX_SIZE);
	ctx(&d, APPLICANT);
	assert_int_equal(attach_keep(&d, "案件 6 的营业执照",
	    strlen("案件 6 的营业执照"), &kept), DOM_OK);
	assert_true(file_there(own));
}

/*
 * Issue 19, items 5 and 10: zizhi backup of a database with a disposed
 * case whose files are gone on purpose is whole; into a directory that
 * does not exist it says so.
 */
static void
test_backup(void **state)
{
	char path[400], target[400], msg[512] = "";
	char *argv[5];
	FILE *err;
	int saved, rc;

	/* The set-up's stand-in bytes do not match their names: gone, as
	 * for a case that never had them. */
	exec("DELETE FROM material WHERE case_id = 3");
	assert_int_equal(files_path(files_dir, SHARED, path, sizeof(path)), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(target, sizeof(target), "%s/bak", dir);
	assert_int_equal(mkdir(target, 0700), 0);
	snprintf(target, sizeof(target), "%s/bak/b.db", dir);
	argv[0] = "backup";
	argv[1] = target;
	argv[2] = "--db";
	argv[3] = path;
	argv[4] = NULL;
	assert_int_equal(cli_backup(4, argv), 0);

	/* The directory missing: said plainly, nothing written. */
	snprintf(target, sizeof(target), "%s/no/such/dir/b1.db", dir);
	argv[1] = target;
	assert_non_null(err = tmpfile());
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(err), 2);
	rc = cli_backup(4, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(err);
	if (fread(msg, 1, sizeof(msg) - 1, err) == 0)
		msg[0] = '\0';
	fclose(err);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(msg, "does not exist"));
	assert_non_null(strstr(msg, "mkdir -p"));
	assert_null(strstr(msg, "unable to open database file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_dispose),
		cmocka_unit_test(test_dispose_documents),
		cmocka_unit_test(test_backup),
	};

	return cmocka_run_group_tests_name("archive", tests, setup, teardown);
}
