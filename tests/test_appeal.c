/*
 * test_appeal.c: appeals (appeal.c) on a temporary database. Filing
 * works, files and all; every refusal (the status, someone else's case,
 * the text, the files) writes nothing, not even the appeal row when only
 * a file is wrong; a second appeal on a case with an open one is
 * refused, also when the first is written while the second waits for the
 * lock. A supervisor who took part in the case (moved it, led it,
 * reviewed it, sat on its team or panel), also one whose part is
 * written while he waits, cannot take or conclude the appeal; another
 * one can, once; the lists and the dossier show what there is.
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

#include "app.h"
#include "appeal.h"
#include "store.h"
#include "testlib_race.h"
#include "testlib_store.h"
#include "util.h"
#include "workflow.h"

static char dir[] = "/tmp/zizhi-appeal.XXXXXX";
static char dbpath[64], filesdir[64];
static struct store *db;
static struct arena *arena;

static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\n"
    "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/* The people (account ids as seeded). */
enum { APP = 1, OTHER_APP, LEAD, S_MOVED, S_CLEAN, S_TEAM, S_PANEL,
    S_REVIEWED, S_CLEAN2, S_CLEAN3 };

static const struct actor people[] = {
	{ 0, "", "系统", "", 0, 0, "" },
	{ APP, "a@x.cn", "申请人", "applicant", ROLE_APPLICANT, 1, "甲公司" },
	{ OTHER_APP, "b@x.cn", "乙", "applicant", ROLE_APPLICANT, 2, "乙公司" },
	{ LEAD, "l@x.cn", "负责人", "lead", ROLE_LEAD, 0, "" },
	{ S_MOVED, "s1@x.cn", "监督一", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ S_CLEAN, "s2@x.cn", "监督二", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ S_TEAM, "s3@x.cn", "监督三", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ S_PANEL, "s4@x.cn", "监督四", "supervisor", ROLE_SUPERVISOR, 0, "" },
	{ S_REVIEWED, "s5@x.cn", "监督五", "supervisor", ROLE_SUPERVISOR, 0,
	    "" },
	{ S_CLEAN2, "s6@x.cn", "监督六", "supervisor", ROLE_SUPERVISOR, 0,
	    "" },
	{ S_CLEAN3, "s7@x.cn", "监督七", "supervisor", ROLE_SUPERVISOR, 0,
	    "" },
};

static struct dom d;
static struct tmpl_set *tmpl;

/* The context for person who, fresh. */
static struct dom *
as(int who)
{
	dom_init(&d, db, arena, &people[who], (long long)time(NULL));
	d.files_dir = filesdir;
	d.max_file = 4096;
	d.tmpl = tmpl;
	d.public_url = "https://zizhi.example.cn";
	return &d;
}

static long long
count(const char *sql, long long id)
{
	return ts_count(db, sql, id);
}

static void
exec(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ts_exec(db, sql);
}

/* A submitted case of 甲公司 (lead LEAD) in status st, with the part
 * each supervisor but the clean ones took in it. */
static long long
case_in(enum status st)
{
	const char *status = status_code(st);
	long long id;

	exec("INSERT INTO cases(org_id, created_by, status, lead_id, rounds, "
	    "case_no) VALUES (1, %d, '%s', %d, 1, 'SE2-2026-' || "
	    "(SELECT count(*) + 1 FROM cases))", APP, status, LEAD);
	id = sqlite3_last_insert_rowid(store_db(db));
	exec("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status, reason) VALUES (%lld, '2026-01-05T02:00:00Z', "
	    "'2026-01-05', %d, '%s', '%s', ''), (%lld, "
	    "'2026-01-06T02:00:00Z', '2026-01-06', %d, '%s', "
	    "'%s', '基本能力不符合要求')", id, S_MOVED,
	    status_code(ST_SUBMITTED), status_code(ST_INTAKE_REVIEW), id, LEAD,
	    status_code(ST_INTAKE_REVIEW), status);
	exec("INSERT INTO team_member(case_id, account_id) VALUES (%lld, %d)",
	    id, S_TEAM);
	exec("INSERT INTO panel_member(case_id, account_id, added_by, "
	    "declared_at) VALUES (%lld, %d, %d, '2026-01-06T03:00:00Z')", id,
	    S_PANEL, LEAD);
	exec("INSERT INTO finding(case_id, round_n, area, verdict, comment, "
	    "by_id, at) VALUES (%lld, 1, 'capability', 'fail', '不足', %d, "
	    "'2026-01-06T01:00:00Z')", id, S_REVIEWED);
	return id;
}

static long long
appeals(long long case_id)
{
	return count("SELECT count(*) FROM appeal WHERE case_id = ?1",
	    case_id);
}

static long long
appeal_files(void)
{
	return count("SELECT count(*) FROM appeal_file WHERE ?1 = ?1", 0);
}

static enum dom_rc
lodge(int who, long long case_id, const char *text, const char *fname,
    const char *data, size_t len, long long *aid)
{
	struct appeal_upload up = { fname, data, len };
	struct appeal_input in = { text, &up, fname != NULL };

	return appeal_lodge(as(who), case_id, &in, aid);
}

static int
setup(void **state)
{
	size_t i;

	char err[256];

	db = ts_open(dir);
	arena = arena_new();
	if ((tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", dir);
	snprintf(filesdir, sizeof(filesdir), "%s/files", dir);
	exec("INSERT INTO org(id, name) VALUES (1, '甲公司'), (2, '乙公司')");
	for (i = 1; i < sizeof(people) / sizeof(people[0]); i++)
		exec("INSERT INTO account(id, email, name, role, org_id, "
		    "password_hash) VALUES (%lld, '%s', '%s', '%s', %s, 'x')",
		    people[i].id, people[i].email, people[i].name,
		    people[i].role, people[i].org_id ?
		    (people[i].org_id == 1 ? "1" : "2") : "NULL");
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	tmpl_set_free(tmpl);
	ts_close(db, dir);
	return 0;
}


static void
test_lodge(void **state)
{
	long long id = case_in(ST_REJECTED), aid, stored;
	struct appeal_doc doc;
	struct appeal a;
	struct buf b;

	assert_int_equal(lodge(APP, id, "我单位对不予受理的结论有异议。",
	    "证明.pdf", pdf, sizeof(pdf) - 1, &aid), DOM_OK);
	assert_true(aid > 0);
	assert_int_equal(appeals(id), 1);
	assert_int_equal(count("SELECT count(*) FROM appeal_file WHERE "
	    "appeal_id = ?1", aid), 1);
	assert_int_equal(count("SELECT filed_by FROM appeal WHERE id = ?1",
	    aid), APP);

	/* Its file, for the applicant and for a supervisor; nobody else. */
	assert_int_equal(appeal_get(as(APP), aid, &a, NULL), DOM_OK);
	assert_int_equal(a.ndocs, 1);
	assert_string_equal(a.docs[0].filename, "证明.pdf");
	assert_string_equal(a.docs[0].mime, "application/pdf");
	stored = a.docs[0].id;
	buf_init(&b);
	assert_int_equal(appeal_doc_read(as(APP), aid, stored, &doc, &b),
	    DOM_OK);
	assert_int_equal(b.n, sizeof(pdf) - 1);
	assert_memory_equal(b.p, pdf, b.n);
	buf_reset(&b);
	assert_int_equal(appeal_doc_read(as(S_CLEAN), aid, stored, &doc, &b),
	    DOM_OK);
	assert_int_equal(b.n, sizeof(pdf) - 1);
	assert_int_equal(appeal_doc_read(as(OTHER_APP), aid, stored, &doc,
	    &b), DOM_NOT_FOUND);
	/* (The lead reads the whole case, its appeals too.) */
	assert_int_equal(appeal_doc_read(as(LEAD), aid, stored, &doc, &b),
	    DOM_OK);
	assert_int_equal(appeal_doc_read(as(APP), aid, stored + 1000, &doc,
	    &b), DOM_NOT_FOUND);
	buf_free(&b);

	/* A failed review may be appealed too, without files. */
	id = case_in(ST_FAILED);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	assert_int_equal(appeals(id), 1);
}

static void
test_lodge_refused(void **state)
{
	long long id = case_in(ST_REJECTED), other, aid, files = appeal_files();
	struct appeal_upload ups[APPEAL_FILES_MAX + 1];
	struct appeal_input in;
	struct problem p[APPEAL_PROBLEMS];
	char *longtext;
	size_t i;

	/* Not now: the status. */
	other = case_in(ST_SUBMITTED);
	assert_int_equal(lodge(APP, other, "不服", "a.pdf", pdf,
	    sizeof(pdf) - 1, &aid), DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "只有“不予受理”或“未通过”的案件可以申诉"));
	assert_non_null(strstr(d.msg, "已提交"));
	assert_int_equal(aid, 0);
	assert_int_equal(appeals(other), 0);
	other = case_in(ST_ISSUED);
	assert_int_equal(lodge(APP, other, "不服", NULL, NULL, 0, &aid),
	    DOM_CONFLICT);
	assert_int_equal(appeals(other), 0);

	/* Not theirs; not an applicant's step. */
	assert_int_equal(lodge(OTHER_APP, id, "不服", NULL, NULL, 0, &aid),
	    DOM_NOT_FOUND);
	assert_int_equal(lodge(LEAD, id, "不服", NULL, NULL, 0, &aid),
	    DOM_FORBIDDEN);
	assert_int_equal(lodge(APP, 999999, "不服", NULL, NULL, 0, &aid),
	    DOM_NOT_FOUND);

	/* The text. */
	assert_int_equal(lodge(APP, id, " \r\n ", NULL, NULL, 0, &aid),
	    DOM_INVALID);
	assert_string_equal(d.field, "text");
	assert_non_null(strstr(d.msg, "请填写申诉内容"));
	longtext = malloc(3 * (APPEAL_TEXT_MAX + 1) + 1);
	for (i = 0; i <= APPEAL_TEXT_MAX; i++)
		memcpy(longtext + 3 * i, "字", 3);
	longtext[3 * i] = '\0';
	assert_int_equal(lodge(APP, id, longtext, NULL, NULL, 0, &aid),
	    DOM_INVALID);
	assert_non_null(strstr(d.msg, "现为 5001 字"));
	longtext[3 * APPEAL_TEXT_MAX] = '\0';	/* exactly the limit */
	assert_int_equal(lodge(APP, id, "申诉\xe2\x80\xae内容", NULL, NULL, 0,
	    &aid), DOM_INVALID);
	assert_string_equal(d.field, "text");

	/* The files: not a PDF, too large, empty, too many. The appeal row
	 * written before the bad file goes again. */
	assert_int_equal(lodge(APP, id, "理由", "note.pdf", "just some text",
	    14, &aid), DOM_INVALID);
	assert_string_equal(d.field, "files");
	assert_non_null(strstr(d.msg, "note.pdf"));
	{
		char big[5000];

		memcpy(big, pdf, sizeof(pdf) - 1);
		memset(big + sizeof(pdf) - 1, ' ', sizeof(big) - sizeof(pdf) +
		    1);
		assert_int_equal(lodge(APP, id, "理由", "big.pdf", big,
		    sizeof(big), &aid), DOM_TOO_LARGE);
		assert_string_equal(d.field, "files");
	}
	assert_int_equal(lodge(APP, id, "理由", "empty.pdf", "", 0, &aid),
	    DOM_INVALID);
	assert_string_equal(d.field, "files");
	for (i = 0; i <= APPEAL_FILES_MAX; i++)
		ups[i] = (struct appeal_upload){ "a.pdf", pdf,
		    sizeof(pdf) - 1 };
	in = (struct appeal_input){ "理由", ups, APPEAL_FILES_MAX + 1 };
	assert_int_equal(appeal_lodge(as(APP), id, &in, &aid), DOM_INVALID);
	assert_string_equal(d.field, "files");
	assert_non_null(strstr(d.msg, "最多附 10 个文件"));
	assert_int_equal(appeals(id), 0);
	assert_int_equal(appeal_files(), files);

	/* Every problem at once, for the form. */
	in.text = "";
	assert_int_equal(appeal_check(as(APP), &in, p), 2);
	assert_string_equal(p[0].field, "text");
	assert_string_equal(p[1].field, "files");

	/* Ten files and the limit's length are fine. */
	in.text = longtext;
	in.nfiles = APPEAL_FILES_MAX;
	assert_int_equal(appeal_lodge(as(APP), id, &in, &aid), DOM_OK);
	assert_int_equal(count("SELECT count(*) FROM appeal_file WHERE "
	    "appeal_id = ?1", aid), APPEAL_FILES_MAX);
	free(longtext);
}

static void
test_second_appeal(void **state)
{
	long long id = case_in(ST_FAILED), first, aid;

	assert_int_equal(lodge(APP, id, "第一份", NULL, NULL, 0, &first),
	    DOM_OK);
	assert_int_equal(lodge(APP, id, "第二份", "a.pdf", pdf,
	    sizeof(pdf) - 1, &aid), DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "已有一份申诉正在办理"));
	assert_int_equal(appeals(id), 1);
	/* Concluded, a new one may follow. */
	assert_int_equal(appeal_conclude(as(S_CLEAN), first, 0,
	    "不成立", ST_DRAFT),
	    DOM_OK);
	assert_int_equal(lodge(APP, id, "第二份", NULL, NULL, 0, &aid),
	    DOM_OK);
	assert_int_equal(appeals(id), 2);
}

/* The first appeal is written by another connection while the second
 * waits for the lock: the check inside the transaction sees it. */
static void
test_second_appeal_race(void **state)
{
	long long id = case_in(ST_REJECTED), aid;
	struct ts_race *r;
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO appeal(case_id, text, "
	    "filed_by, filed_at) VALUES (%lld, '先到', %d, "
	    "'2026-01-07T00:00:00Z')", id, APP);
	r = ts_race_start(dbpath, sql, 300);
	assert_int_equal(lodge(APP, id, "后到", NULL, NULL, 0, &aid),
	    DOM_CONFLICT);
	ts_race_end(r);
	assert_non_null(strstr(d.msg, "正在办理"));
	assert_int_equal(appeals(id), 1);
}

static long long
handler(long long aid)
{
	return count("SELECT coalesce(handler_id, 0) FROM appeal WHERE "
	    "id = ?1", aid);
}

static void
test_take(void **state)
{
	long long id = case_in(ST_REJECTED), aid;

	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);

	/* Who took part in the case cannot. */
	assert_int_equal(appeal_take(as(S_MOVED), aid), DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "办理记录中出现过"));
	assert_non_null(strstr(d.msg, "按回避要求"));
	assert_int_equal(appeal_take(as(S_TEAM), aid), DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "评估组"));
	assert_int_equal(appeal_take(as(S_PANEL), aid), DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "专家评审组"));
	assert_int_equal(appeal_take(as(S_REVIEWED), aid), DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "受理审查意见"));
	/* Nor anyone but a supervisor. */
	assert_int_equal(appeal_take(as(APP), aid), DOM_FORBIDDEN);
	assert_int_equal(appeal_take(as(LEAD), aid), DOM_FORBIDDEN);
	assert_int_equal(appeal_take(as(OTHER_APP), aid), DOM_NOT_FOUND);
	assert_int_equal(appeal_take(as(S_CLEAN), 999999), DOM_NOT_FOUND);
	assert_int_equal(handler(aid), 0);

	/* Who did not, can, once. */
	assert_int_equal(appeal_take(as(S_CLEAN), aid), DOM_OK);
	assert_int_equal(handler(aid), S_CLEAN);
	assert_int_equal(appeal_take(as(S_CLEAN), aid), DOM_OK);
	assert_int_equal(appeal_take(as(S_CLEAN2), aid), DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "此申诉已由监督二办理"));
	assert_int_equal(handler(aid), S_CLEAN);
}

/* The supervisor's part in the case is written while his take waits for
 * the lock: the check inside the transaction sees it. */
static void
test_take_race(void **state)
{
	long long id = case_in(ST_REJECTED), aid;
	struct ts_race *r;
	char sql[256];

	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO team_member(case_id, "
	    "account_id) VALUES (%lld, %d)", id, S_CLEAN2);
	r = ts_race_start(dbpath, sql, 300);
	assert_int_equal(appeal_take(as(S_CLEAN2), aid), DOM_FORBIDDEN);
	ts_race_end(r);
	assert_non_null(strstr(d.msg, "评估组"));
	assert_int_equal(handler(aid), 0);

	/* And another's take, written meanwhile, is seen too. */
	snprintf(sql, sizeof(sql), "UPDATE appeal SET handler_id = %d WHERE "
	    "id = %lld", S_CLEAN, aid);
	r = ts_race_start(dbpath, sql, 300);
	assert_int_equal(appeal_take(as(S_CLEAN3), aid), DOM_CONFLICT);
	ts_race_end(r);
	assert_non_null(strstr(d.msg, "此申诉已由监督二办理"));
	assert_int_equal(handler(aid), S_CLEAN);
}

static void
test_conclude(void **state)
{
	struct problem p[APPEAL_PROBLEMS];
	long long id = case_in(ST_FAILED), aid, other;

	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	assert_int_equal(appeal_take(as(S_CLEAN), aid), DOM_OK);

	/* Bad input, nothing written. */
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, -1, "理由", ST_DRAFT),
	    DOM_INVALID);
	assert_string_equal(d.field, "upheld");
	assert_string_equal(d.msg, "请选择申诉是否成立。");
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "  ", ST_DRAFT),
	    DOM_INVALID);
	assert_string_equal(d.field, "conclusion");
	assert_int_equal(appeal_check_conclusion(as(S_CLEAN), 2, "", p), 2);
	/* Not theirs, or took part: refused before the input. */
	assert_int_equal(appeal_conclude(as(S_CLEAN2), aid, 1, "成立", ST_DRAFT),
	    DOM_CONFLICT);
	assert_int_equal(appeal_conclude(as(S_MOVED), aid, -1, "", ST_DRAFT),
	    DOM_FORBIDDEN);
	assert_non_null(strstr(d.msg, "按回避要求"));
	assert_int_equal(count("SELECT count(*) FROM appeal WHERE id = ?1 "
	    "AND concluded_at IS NULL AND upheld IS NULL", aid), 1);

	/* Concluded, once. */
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 0,
	    "经调查，依据充分，申诉不成立。", ST_DRAFT), DOM_OK);
	assert_int_equal(count("SELECT upheld FROM appeal WHERE id = ?1", aid),
	    0);
	assert_int_equal(count("SELECT concluded_at IS NOT NULL AND "
	    "conclusion = '经调查，依据充分，申诉不成立。' FROM appeal WHERE "
	    "id = ?1", aid), 1);
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "改判", ST_DRAFT),
	    DOM_CONFLICT);
	assert_non_null(strstr(d.msg, "已办结"));
	assert_int_equal(count("SELECT upheld FROM appeal WHERE id = ?1", aid),
	    0);

	/* Concluding an appeal nobody took makes it the concluder's. */
	other = case_in(ST_REJECTED);
	assert_int_equal(lodge(APP, other, "不服", NULL, NULL, 0, &aid),
	    DOM_OK);
	assert_int_equal(appeal_conclude(as(S_CLEAN2), aid, 1, "成立", ST_DRAFT),
	    DOM_OK);
	assert_int_equal(handler(aid), S_CLEAN2);
	assert_int_equal(count("SELECT upheld FROM appeal WHERE id = ?1", aid),
	    1);
}

/* A case of 甲公司 submitted on 2026-01-05 that came to status st on
 * 2026-02-01, with a conclusion of the team and of the panel. */
static long long
case_ended(enum status st)
{
	long long id;

	exec("INSERT INTO cases(org_id, created_by, status, lead_id, rounds, "
	    "case_no) VALUES (1, %d, '%s', %d, 1, 'SE2-2026-' || "
	    "(SELECT count(*) + 1 FROM cases))", APP, status_code(st), LEAD);
	id = sqlite3_last_insert_rowid(store_db(db));
	exec("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (%lld, '2026-01-05T01:00:00Z', '2026-01-05', %d, "
	    "'%s', '%s'), (%lld, '2026-02-01T01:00:00Z', '2026-02-01', %d, "
	    "'%s', '%s')", id, APP, status_code(ST_DRAFT),
	    status_code(ST_SUBMITTED), id, LEAD, status_code(ST_EXPERT_REVIEW),
	    status_code(st));
	exec("INSERT INTO audit_conclusion(case_id, verdict, text, by_id, at) "
	    "VALUES (%lld, 'pass', '项目组认为符合。', %d, "
	    "'2026-01-20T01:00:00Z'); INSERT INTO expert_conclusion(case_id, "
	    "verdict, reasons, by_id, at) VALUES (%lld, 'fail', '证据不足。', %d, "
	    "'2026-02-01T01:00:00Z')", id, S_TEAM, id, S_PANEL);
	return id;
}

/* An upheld appeal reopens the case at the contested step, with the
 * conclusion notice; one not upheld sends the notice and ends there. */
static void
test_reopen(void **state)
{
	long long id, aid, notices;
	struct rules_clock clk;
	struct appeal a;

	/* 不予受理 → 受理审查中, the only step: no need to name it. */
	id = case_ended(ST_REJECTED);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "审查意见有误。",
	    ST_DRAFT), DOM_OK);
	assert_int_equal(count("SELECT status = 'intake_review' FROM cases "
	    "WHERE id = ?1", id), 1);
	assert_int_equal(count("SELECT actor_id FROM event WHERE case_id = ?1 "
	    "ORDER BY id DESC LIMIT 1", id), S_CLEAN);
	assert_int_equal(appeal_get(as(APP), aid, &a, NULL), DOM_OK);
	assert_int_equal(a.reopen_to, ST_INTAKE_REVIEW);
	assert_int_equal(count("SELECT count(*) FROM notice WHERE case_id = ?1 "
	    "AND kind = 'appeal' AND body LIKE '%申诉成立%' AND body LIKE "
	    "'%受理审查中%' AND body LIKE '%审查意见有误%'", id), 1);
	assert_true(count("SELECT count(*) FROM outbox WHERE case_id = ?1",
	    id) >= 1);
	/* The clock runs again; the days since the refusal are paused. */
	assert_int_equal(workflow_clock(db, id, d.today_s, &clk), 0);
	assert_false(clk.stopped);
	assert_int_equal(clk.paused_days, date_diff_days(date_from_ymd(2026,
	    2, 1), d.today));
	assert_int_equal(count("SELECT clock_stopped IS NULL FROM cases WHERE "
	    "id = ?1", id), 1);

	/* 未通过: the supervisor names the step; no other will do. */
	id = case_ended(ST_FAILED);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	notices = count("SELECT count(*) FROM notice WHERE case_id = ?1", id);
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "成立。",
	    ST_DRAFT), DOM_INVALID);
	assert_string_equal(d.field, "reopen");
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "成立。",
	    ST_CERTIFICATE_PENDING), DOM_INVALID);
	assert_int_equal(count("SELECT count(*) FROM appeal WHERE id = ?1 AND "
	    "concluded_at IS NULL", aid), 1);
	assert_int_equal(count("SELECT count(*) FROM notice WHERE case_id = ?1",
	    id), notices);
	/* Back to the panel: its conclusion is set aside, the team's stays. */
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "专家评审未考虑"
	    "补充的证据。", ST_EXPERT_REVIEW), DOM_OK);
	assert_int_equal(count("SELECT status = 'expert_review' FROM cases "
	    "WHERE id = ?1", id), 1);
	assert_int_equal(count("SELECT count(*) FROM expert_conclusion WHERE "
	    "case_id = ?1", id), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_conclusion WHERE "
	    "case_id = ?1", id), 1);
	assert_int_equal(count("SELECT count(*) FROM conclusion_history WHERE "
	    "case_id = ?1 AND which = 'expert' AND why LIKE '申诉 #%成立'", id),
	    1);
	/* Back to the team: both set aside. */
	id = case_ended(ST_FAILED);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 1, "评估不充分。",
	    ST_ASSESSING), DOM_OK);
	assert_int_equal(count("SELECT status = 'assessing' FROM cases WHERE "
	    "id = ?1", id), 1);
	assert_int_equal(count("SELECT count(*) FROM conclusion_history WHERE "
	    "case_id = ?1", id), 2);
	assert_int_equal(count("SELECT count(*) FROM notice WHERE case_id = ?1 "
	    "AND kind = 'appeal' AND body LIKE '%项目组将重新评估%'", id), 1);

	/* Not upheld: the notice, and the case stays as it was. */
	id = case_ended(ST_FAILED);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);
	assert_int_equal(appeal_conclude(as(S_CLEAN), aid, 0, "结论合理。",
	    ST_ASSESSING), DOM_OK);
	assert_int_equal(count("SELECT status = 'failed' FROM cases WHERE id = "
	    "?1", id), 1);
	assert_int_equal(count("SELECT count(*) FROM notice WHERE case_id = ?1 "
	    "AND kind = 'appeal' AND body LIKE '%申诉不成立%' AND body LIKE "
	    "'%原结论维持%'", id), 1);
	assert_int_equal(count("SELECT reopen_to IS NULL FROM appeal WHERE "
	    "id = ?1", aid), 1);
}

static void
test_lists(void **state)
{
	long long id = case_in(ST_REJECTED), a1, a2, total, open;
	struct appeal *v;
	struct case_ref c;
	size_t n, nopen, i;

	assert_int_equal(lodge(APP, id, "一", NULL, NULL, 0, &a1), DOM_OK);
	assert_int_equal(appeal_conclude(as(S_CLEAN), a1, 1,
	    "成立", ST_DRAFT), DOM_OK);
	/* Reopened, reviewed again and refused again: a second appeal. */
	assert_int_equal(count("SELECT status = 'intake_review' FROM cases "
	    "WHERE id = ?1", id), 1);
	exec("UPDATE cases SET status = 'rejected' WHERE id = %lld", id);
	assert_int_equal(lodge(APP, id, "二", "a.pdf", pdf, sizeof(pdf) - 1,
	    &a2), DOM_OK);

	/* The case's, newest first, for its applicant. */
	assert_int_equal(access_case(as(APP), id, PART_APPEALS, &c), DOM_OK);
	assert_int_equal(appeal_list_case(&d, &c, &v, &n, &nopen), DOM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(nopen, 1);
	assert_int_equal(v[0].id, a2);
	assert_int_equal(v[0].ndocs, 1);
	assert_false(v[0].concluded);
	assert_int_equal(v[1].id, a1);
	assert_true(v[1].concluded && v[1].upheld);
	assert_string_equal(v[1].handler, "监督二");
	assert_int_equal(appeal_may_lodge(&d, &c), DOM_CONFLICT);

	/* The supervisors': open ones first, oldest first. */
	assert_int_equal(appeal_list(as(S_CLEAN2), 0, 1000, &v, &n, &total,
	    &open), DOM_OK);
	assert_int_equal(total, count("SELECT count(*) FROM appeal WHERE "
	    "?1 = ?1", 0));
	assert_int_equal(open, count("SELECT count(*) FROM appeal WHERE "
	    "concluded_at IS NULL AND ?1 = ?1", 0));
	assert_int_equal((long long)n, total);
	for (i = 1; i < n; i++) {
		assert_true(v[i - 1].concluded <= v[i].concluded);
		if (!v[i].concluded)
			assert_true(v[i - 1].id < v[i].id);
		else if (v[i - 1].concluded)
			assert_true(v[i - 1].id > v[i].id);
	}
	for (i = 0; i < n && v[i].id != a2; i++)
		;
	assert_true(i < n);
	assert_string_equal(v[i].org_name, "甲公司");
	assert_int_equal(v[i].case_st, ST_REJECTED);
	assert_int_equal(appeal_list(as(S_CLEAN2), 0, 1, &v, &n, &total,
	    &open), DOM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(appeal_list(as(APP), 0, 20, &v, &n, &total, &open),
	    DOM_FORBIDDEN);
}

static void
test_dossier(void **state)
{
	long long id = case_in(ST_FAILED), aid;
	struct appeal_dossier x;

	exec("INSERT INTO expert_conclusion(case_id, verdict, reasons, by_id, "
	    "at) VALUES (%lld, 'fail', 'PA07 证据不足', %d, "
	    "'2026-01-08T00:00:00Z')", id, LEAD);
	assert_int_equal(lodge(APP, id, "不服", NULL, NULL, 0, &aid), DOM_OK);

	assert_int_equal(appeal_dossier(as(S_CLEAN), aid, &x), DOM_OK);
	assert_int_equal(x.c.id, id);
	assert_null(x.conflict);
	assert_true(x.may_take && x.may_conclude && !x.other_handler);
	assert_int_equal(x.nfindings, 1);
	assert_string_equal(x.findings[0].verdict, "fail");
	assert_string_equal(x.findings[0].by, "监督五");
	assert_int_equal(x.nverdicts, 1);
	assert_true(x.verdicts[0].expert);
	assert_string_equal(x.verdicts[0].text, "PA07 证据不足");
	assert_int_equal(x.nevents, 2);
	assert_int_equal(x.events[1].to, ST_FAILED);
	assert_string_equal(x.events[1].reason, "基本能力不符合要求");

	assert_int_equal(appeal_dossier(as(S_MOVED), aid, &x), DOM_OK);
	assert_non_null(x.conflict);
	assert_false(x.may_take || x.may_conclude);

	assert_int_equal(appeal_take(as(S_CLEAN), aid), DOM_OK);
	assert_int_equal(appeal_dossier(as(S_CLEAN2), aid, &x), DOM_OK);
	assert_true(x.other_handler && !x.may_take && !x.may_conclude);
	assert_int_equal(appeal_dossier(as(OTHER_APP), aid, &x),
	    DOM_NOT_FOUND);
	assert_int_equal(appeal_dossier(as(LEAD), aid, &x), DOM_OK);
	assert_false(x.may_take || x.may_conclude);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lodge),
		cmocka_unit_test(test_lodge_refused),
		cmocka_unit_test(test_second_appeal),
		cmocka_unit_test(test_second_appeal_race),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_take_race),
		cmocka_unit_test(test_conclude),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_dossier),
	};

	return cmocka_run_group_tests_name("appeals", tests, setup, teardown);
}
