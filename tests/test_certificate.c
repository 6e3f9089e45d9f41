/*
 * test_certificate.c: the domain of 发证 on a temporary database: batches
 * (batch.c), certificates (certificate.c) and sanctions (sanction.c).
 *
 * Each business step works; each refusal (the wrong person, the wrong
 * status, bad input) says why and writes nothing; the checks that guard
 * a write run inside its transaction (a statement trace shows them after
 * BEGIN IMMEDIATE). Approval by the batch's creator is refused
 * (separation of duties); approval numbers the certificates of the year
 * in order, moves the cases to issued and writes the 发证 notice with the
 * public addresses; verification shows a suspended, rectifying, revoked
 * or expired certificate as such.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "batch.h"
#include "certificate.h"
#include "date.h"
#include "rules.h"
#include "sanction.h"
#include "status.h"
#include "testlib_store.h"
#include "tmpl.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-cert.XXXXXX";
static struct store *db;
static struct tmpl_set *tmpl;
static struct arena *arena;
static long long now;		/* 2026-05-10 12:00 in Beijing */

static const struct actor staff_a = { 10, "a@x.cn", "制证甲", "cert_staff",
	ROLE_CERT_STAFF, 0, "" };
static const struct actor staff_b = { 11, "b@x.cn", "制证乙", "cert_staff",
	ROLE_CERT_STAFF, 0, "" };
static const struct actor sup = { 12, "s@x.cn", "监督丙", "supervisor",
	ROLE_SUPERVISOR, 0, "" };
static const struct actor lead = { 13, "l@x.cn", "负责人丁", "lead",
	ROLE_LEAD, 0, "" };
static const struct actor holder = { 1, "h@x.cn", "申请人", "applicant",
	ROLE_APPLICANT, 1, "甲公司" };
static const struct actor stranger = { 2, "o@x.cn", "另一家", "applicant",
	ROLE_APPLICANT, 2, "乙公司" };
static const struct actor anon = { 0, "", "", "", ROLE_ANON, 0, "" };

#define PUBLIC_URL	"https://zizhi.example.cn"

static struct dom *
ctx(const struct actor *who)
{
	static struct dom d;

	dom_init(&d, db, arena, who, now);
	d.tmpl = tmpl;
	d.public_url = PUBLIC_URL;
	return &d;
}

static long long
num(const char *sql)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The first column of the first row as text (in the arena), or NULL. */
static const char *
text(const char *sql)
{
	sqlite3_stmt *st;
	const char *s = NULL;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = arena_strdup(arena, (const char *)sqlite3_column_text(st,
		    0));
	sqlite3_finalize(st);
	return s;
}

/* What the tables hold, to see that a refusal wrote nothing. */
static long long
footprint(void)
{
	return num("SELECT (SELECT count(*) FROM cert_batch) * 1000000 + "
	    "(SELECT count(*) FROM batch_case) * 10000 + "
	    "(SELECT count(*) FROM certificate) * 1000 + "
	    "(SELECT count(*) FROM sanction) * 100 + "
	    "(SELECT count(*) FROM notice) * 10 + "
	    "(SELECT count(*) FROM event) + "
	    "(SELECT count(*) FROM cert_batch WHERE approved_by IS NOT NULL) + "
	    "(SELECT count(*) FROM sanction WHERE lifted_at IS NOT NULL)");
}

static int
setup(void **state)
{
	char err[256];

	now = (long long)date_from_ymd(2026, 5, 10) * 86400 + 4 * 3600;
	db = ts_open(dir);
	tmpl = app_load_templates(err, sizeof(err));
	if (tmpl == NULL)
		fail_msg("templates: %s", err);
	ts_exec(db, "INSERT INTO org(id, name) VALUES (1, '甲公司'), "
	    "(2, '乙公司');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash) "
	    "VALUES (1, 'h@x.cn', '申请人', 'applicant', 1, 'x'), "
	    "(2, 'o@x.cn', '另一家', 'applicant', 2, 'x'), "
	    "(10, 'a@x.cn', '制证甲', 'cert_staff', NULL, 'x'), "
	    "(11, 'b@x.cn', '制证乙', 'cert_staff', NULL, 'x'), "
	    "(12, 's@x.cn', '监督丙', 'supervisor', NULL, 'x'), "
	    "(13, 'l@x.cn', '负责人丁', 'lead', NULL, 'x')");
	return 0;
}

static int
teardown(void **state)
{
	tmpl_set_free(tmpl);
	ts_close(db, dir);
	return 0;
}

static int
each_setup(void **state)
{
	arena = arena_new();
	return 0;
}

static int
each_teardown(void **state)
{
	arena_free(arena);
	return 0;
}

/*
 * A submitted case of org in status st (set up directly), its frozen
 * submission naming name and uscc (NULL: left out).
 */
static long long
case_in(long long org, enum status st, const char *name, const char *uscc)
{
	static int seq;
	sqlite3_stmt *s;
	long long id, round;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "INSERT INTO "
	    "cases(org_id, created_by, status, case_no, rounds) VALUES (?1, ?1, "
	    "?2, ?3, 1)", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, org);
	sqlite3_bind_text(s, 2, status_code(st), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, arena_printf(arena, "ZZ2026-%04d", ++seq), -1,
	    SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	id = sqlite3_last_insert_rowid(store_db(db));
	ts_exec(db, arena_printf(arena, "INSERT INTO round(case_id, n, "
	    "submitted_at, submitted_by) VALUES (%lld, 1, "
	    "'2026-01-05T02:00:00Z', %lld)", id, org));
	round = sqlite3_last_insert_rowid(store_db(db));
	if (name != NULL)
		ts_exec(db, arena_printf(arena, "INSERT INTO round_value VALUES "
		    "(%lld, 'org_name', -1, '%s')", round, name));
	if (uscc != NULL)
		ts_exec(db, arena_printf(arena, "INSERT INTO round_value VALUES "
		    "(%lld, 'uscc', -1, '%s')", round, uscc));
	return id;
}

static long long
pending(long long org, const char *name)
{
	return case_in(org, ST_CERTIFICATE_PENDING, name,
	    "91110108MA01ABCD3X");
}

static const char *
status_of_case(long long id)
{
	return text(arena_printf(arena, "SELECT status FROM cases WHERE id = "
	    "%lld", id));
}

/* ---- Batches ------------------------------------------------------ */

static void
test_batch_create(void **state)
{
	long long a = pending(1, "甲公司"), b = pending(2, "乙公司"), bid;
	long long ids[2] = { a, b };
	struct batch_pending *p;
	struct batch bt;
	size_t n, i;
	int seen = 0;

	assert_int_equal(batch_pending(ctx(&staff_a), &p, &n), DOM_OK);
	for (i = 0; i < n; i++)
		seen += p[i].case_id == a || p[i].case_id == b;
	assert_int_equal(seen, 2);

	assert_int_equal(batch_create(ctx(&staff_a), ids, 2, &bid), DOM_OK);
	assert_true(bid > 0);
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM "
	    "batch_case WHERE batch_id = %lld", bid)), 2);
	assert_int_equal(num(arena_printf(arena, "SELECT created_by FROM "
	    "cert_batch WHERE id = %lld", bid)), staff_a.id);
	/* No longer waiting for a batch. */
	assert_int_equal(batch_pending(ctx(&staff_a), &p, &n), DOM_OK);
	for (i = 0; i < n; i++)
		assert_true(p[i].case_id != a && p[i].case_id != b);
	/* The batch as its creator and as another officer sees it. */
	assert_int_equal(batch_get(ctx(&staff_a), bid, &bt), DOM_OK);
	assert_int_equal(bt.ncases, 2);
	assert_true(bt.mine);
	assert_false(bt.may_approve);
	assert_int_equal(batch_get(ctx(&staff_b), bid, &bt), DOM_OK);
	assert_false(bt.mine);
	assert_true(bt.may_approve);
	assert_int_equal(bt.cases[0].st, ST_CERTIFICATE_PENDING);
	assert_int_equal(bt.cases[0].cert_id, 0);
	assert_int_equal(batch_get(ctx(&staff_b), bid + 1000, &bt),
	    DOM_NOT_FOUND);
}

static void
test_batch_create_refused(void **state)
{
	long long ok = pending(1, "甲公司");
	long long paying = case_in(1, ST_AWAITING_PAYMENT, "甲公司", "x");
	long long draft = case_in(1, ST_DRAFT, "甲公司", "x");
	long long ids[3], bid, before;
	struct batch_row *rows;
	size_t n;

	before = footprint();
	/* Not certificate staff. */
	ids[0] = ok;
	assert_int_equal(batch_create(ctx(&lead), ids, 1, &bid),
	    DOM_FORBIDDEN);
	assert_int_equal(batch_create(ctx(&sup), ids, 1, &bid),
	    DOM_FORBIDDEN);
	assert_int_equal(batch_list(ctx(&holder), 0, &rows, &n),
	    DOM_FORBIDDEN);
	/* Nothing ticked, too many. */
	{
		struct dom *d = ctx(&staff_a);

		assert_int_equal(batch_create(d, ids, 0, &bid), DOM_INVALID);
		assert_string_equal(d->field, "cases");
		assert_non_null(strstr(d->msg, "请至少勾选一个"));
		assert_int_equal(batch_create(d, ids, BATCH_MAX_CASES + 1,
		    &bid), DOM_INVALID);
		assert_non_null(strstr(d->msg, "最多 200 个"));
		/* A case not in 制证中: refused, with its number; the good
		 * case before it is not batched either. */
		ids[0] = ok;
		ids[1] = paying;
		assert_int_equal(batch_create(d, ids, 2, &bid), DOM_CONFLICT);
		assert_non_null(strstr(d->msg, "不在“制证中”状态"));
		assert_non_null(strstr(d->msg, text(arena_printf(arena,
		    "SELECT case_no FROM cases WHERE id = %lld", paying))));
		/* A draft is its organisation's alone: not found. */
		ids[1] = draft;
		assert_int_equal(batch_create(d, ids, 2, &bid),
		    DOM_NOT_FOUND);
		ids[1] = 999999;
		assert_int_equal(batch_create(d, ids, 2, &bid),
		    DOM_NOT_FOUND);
		/* The same case twice. */
		ids[1] = ok;
		assert_int_equal(batch_create(d, ids, 2, &bid), DOM_CONFLICT);
		assert_int_equal(bid, 0);
	}
	assert_int_equal(footprint(), before);
	/* Once batched, not again. */
	ids[0] = ok;
	assert_int_equal(batch_create(ctx(&staff_a), ids, 1, &bid), DOM_OK);
	before = footprint();
	{
		struct dom *d = ctx(&staff_b);

		assert_int_equal(batch_create(d, ids, 1, &bid), DOM_CONFLICT);
		assert_non_null(strstr(d->msg, "已编入另一个批次"));
	}
	assert_int_equal(footprint(), before);
}

static void
test_approve_same_officer(void **state)
{
	long long ids[1] = { pending(1, "甲公司") }, bid, before;
	struct dom *d;

	assert_int_equal(batch_create(ctx(&staff_a), ids, 1, &bid), DOM_OK);
	before = footprint();
	d = ctx(&staff_a);
	assert_int_equal(batch_approve(d, bid), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "职责分离"));
	assert_non_null(strstr(d->msg, "另一位制证工作人员"));
	/* Nor by someone who is not certificate staff. */
	assert_int_equal(batch_approve(ctx(&sup), bid), DOM_FORBIDDEN);
	assert_int_equal(batch_approve(ctx(&lead), bid), DOM_FORBIDDEN);
	assert_int_equal(batch_approve(ctx(&staff_b), bid + 1000),
	    DOM_NOT_FOUND);
	assert_int_equal(footprint(), before);
	assert_string_equal(status_of_case(ids[0]),
	    status_code(ST_CERTIFICATE_PENDING));
	/* The database refuses it too, whatever the code does. */
	assert_int_not_equal(sqlite3_exec(store_db(db), arena_printf(arena,
	    "UPDATE cert_batch SET approved_by = 10, approved_at = 'x' WHERE "
	    "id = %lld", bid), NULL, NULL, NULL), SQLITE_OK);
}

static void
test_approve_issues(void **state)
{
	long long a, b, w, ids[3], bid, before;
	const char *no_a, *no_b, *body;
	struct certificate c;
	struct batch bt;
	struct dom *d;
	char exp[DATE_BUFSZ];

	/* A number of this year taken already: the next follow it. */
	a = pending(1, "甲公司（申请书）");
	ts_exec(db, arena_printf(arena, "INSERT INTO cert_batch(id, "
	    "created_by, created_at) VALUES (900, 10, '2026-01-01T00:00:00Z');"
	    "INSERT INTO certificate(no, case_id, org_id, org_name, uscc, "
	    "issued_on, expires_on, batch_id) VALUES ('CNITSEC2026SE2-0041', "
	    "%lld, 1, '占位', 'x', '2026-01-02', '2029-01-01', 900)",
	    case_in(1, ST_ISSUED, "x", "x")));
	b = pending(2, "乙公司（申请书）");
	w = pending(2, "已撤回公司");
	ids[0] = a;
	ids[1] = b;
	ids[2] = w;
	assert_int_equal(batch_create(ctx(&staff_a), ids, 3, &bid), DOM_OK);
	/* Withdrawn before approval: no certificate for it. */
	ts_exec(db, arena_printf(arena, "UPDATE cases SET status = '%s' WHERE "
	    "id = %lld", status_code(ST_WITHDRAWN), w));

	before = num("SELECT count(*) FROM certificate");
	d = ctx(&staff_b);
	assert_int_equal(batch_approve(d, bid), DOM_OK);
	assert_int_equal(num("SELECT count(*) FROM certificate"), before + 2);
	no_a = text(arena_printf(arena, "SELECT no FROM certificate WHERE "
	    "case_id = %lld", a));
	no_b = text(arena_printf(arena, "SELECT no FROM certificate WHERE "
	    "case_id = %lld", b));
	assert_string_equal(no_a, "CNITSEC2026SE2-0042");
	assert_string_equal(no_b, "CNITSEC2026SE2-0043");
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM "
	    "certificate WHERE case_id = %lld", w)), 0);
	assert_string_equal(status_of_case(a), status_code(ST_ISSUED));
	assert_string_equal(status_of_case(b), status_code(ST_ISSUED));
	assert_string_equal(status_of_case(w), status_code(ST_WITHDRAWN));
	assert_int_equal(num(arena_printf(arena, "SELECT approved_by FROM "
	    "cert_batch WHERE id = %lld", bid)), staff_b.id);
	/* One event, by the approver, naming the batch and the number. */
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM event "
	    "WHERE case_id = %lld AND actor_id = 11 AND to_status = '%s' AND "
	    "reason LIKE '%%#%lld%%CNITSEC2026SE2-0042'", a,
	    status_code(ST_ISSUED), bid)), 1);
	/* The certificate: the name and code of the submission, today,
	 * and the rules' expiry. */
	assert_int_equal(certificate_verify(ctx(&anon), no_a, &c), DOM_OK);
	assert_string_equal(c.org_name, "甲公司（申请书）");
	assert_string_equal(c.uscc, "91110108MA01ABCD3X");
	assert_string_equal(c.issued_on, "2026-05-10");
	date_format(rules_cert_expires(rules_default(),
	    date_from_ymd(2026, 5, 10)), exp);
	assert_string_equal(c.expires_on, exp);
	assert_int_equal(c.state, CERT_VALID);
	assert_int_equal(c.batch_id, bid);
	assert_string_equal(c.verify_url, PUBLIC_URL
	    "/verify/CNITSEC2026SE2-0042");
	/* The 发证 notice, with the public addresses, and its mail. */
	body = text(arena_printf(arena, "SELECT body FROM notice WHERE "
	    "case_id = %lld AND kind = 'issuance'", a));
	assert_non_null(body);
	assert_non_null(strstr(body, "证书编号：CNITSEC2026SE2-0042"));
	assert_non_null(strstr(body, PUBLIC_URL "/verify/CNITSEC2026SE2-0042"));
	assert_non_null(strstr(body, PUBLIC_URL "/certified"));
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM outbox "
	    "WHERE case_id = %lld", a)), 1);
	/* The batch page: certificates, the withdrawn case without. */
	assert_int_equal(batch_get(ctx(&staff_a), bid, &bt), DOM_OK);
	assert_int_equal(bt.approved_by, staff_b.id);
	assert_false(bt.may_approve);
	assert_int_equal(bt.ncases, 3);
	assert_string_equal(bt.cases[0].cert_no, no_a);
	assert_string_equal(bt.cases[2].cert_no, "");
	assert_int_equal(bt.cases[2].st, ST_WITHDRAWN);

	/* Twice: refused, nothing new. */
	before = footprint();
	d = ctx(&staff_b);
	assert_int_equal(batch_approve(d, bid), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "已经发出"));
	assert_non_null(strstr(d->msg, "制证乙"));
	assert_int_equal(footprint(), before);
}

static void
test_approve_all_or_nothing(void **state)
{
	long long a = pending(1, "甲公司"), b, ids[2], bid, before;
	struct dom *d;

	/* The second case's submission has no credit code. */
	b = case_in(2, ST_CERTIFICATE_PENDING, "乙公司", NULL);
	ids[0] = a;
	ids[1] = b;
	assert_int_equal(batch_create(ctx(&staff_a), ids, 2, &bid), DOM_OK);
	before = footprint();
	d = ctx(&staff_b);
	assert_int_equal(batch_approve(d, bid), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "统一社会信用代码"));
	/* Not even the first case: one transaction. */
	assert_int_equal(footprint(), before);
	assert_string_equal(status_of_case(a),
	    status_code(ST_CERTIFICATE_PENDING));
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM "
	    "cert_batch WHERE id = %lld AND approved_by IS NULL", bid)), 1);
}

/* ---- The checks run inside the transaction that writes ------------ */

static char trace[256][4096];	/* statements are long */
static int ntrace;

static int
tracer(unsigned type, void *ctx_, void *p, void *x)
{
	const char *sql = x;

	if (type == SQLITE_TRACE_STMT && ntrace < 256 && sql != NULL &&
	    strncmp(sql, "--", 2) != 0)
		snprintf(trace[ntrace++], sizeof(trace[0]), "%s", sql);
	return 0;
}

/* The position in the trace of the first statement holding what. */
static int
traced(const char *what)
{
	int i;

	for (i = 0; i < ntrace; i++)
		if (strstr(trace[i], what) != NULL)
			return i;
	return -1;
}

static void
trace_on(void)
{
	ntrace = 0;
	sqlite3_trace_v2(store_db(db), SQLITE_TRACE_STMT, tracer, NULL);
}

static void
trace_off(void)
{
	sqlite3_trace_v2(store_db(db), 0, NULL, NULL);
}

static void
test_checks_in_transaction(void **state)
{
	long long ids[1] = { pending(1, "甲公司") }, bid, cid;
	struct sanction_input in = { "warning", "记录", "" };
	int begin;

	/* Batch: whether the case is taken is asked after BEGIN. */
	trace_on();
	assert_int_equal(batch_create(ctx(&staff_a), ids, 1, &bid), DOM_OK);
	trace_off();
	begin = traced("BEGIN IMMEDIATE");
	assert_true(begin >= 0);
	assert_true(traced("FROM batch_case WHERE case_id") > begin);
	assert_true(traced("FROM cases c JOIN org") > begin);
	assert_true(traced("COMMIT") > traced("INSERT INTO batch_case"));

	/* Approval: whether the batch is approved, and by whom. */
	trace_on();
	assert_int_equal(batch_approve(ctx(&staff_b), bid), DOM_OK);
	trace_off();
	begin = traced("BEGIN IMMEDIATE");
	assert_true(begin >= 0);
	assert_true(traced("FROM cert_batch b JOIN account") > begin);
	assert_true(traced("COMMIT") > traced("INSERT INTO certificate"));

	/* A sanction: the certificate's state. */
	cid = num(arena_printf(arena, "SELECT id FROM certificate WHERE "
	    "case_id = %lld", ids[0]));
	trace_on();
	assert_int_equal(sanction_impose(ctx(&sup), cid, &in, NULL), DOM_OK);
	trace_off();
	begin = traced("BEGIN IMMEDIATE");
	assert_true(begin >= 0);
	assert_true(traced("FROM certificate t WHERE") > begin);
	assert_true(traced("COMMIT") > traced("INSERT INTO sanction"));
}

/* ---- Certificates, sanctions, verification ------------------------ */

/* A certificate issued through a batch; its id, its number in *no. */
static long long
issued(long long org, const char **no)
{
	long long ids[1] = { pending(org, org == 1 ? "甲公司" : "乙公司") };
	long long bid;

	assert_int_equal(batch_create(ctx(&staff_a), ids, 1, &bid), DOM_OK);
	assert_int_equal(batch_approve(ctx(&staff_b), bid), DOM_OK);
	*no = text(arena_printf(arena, "SELECT no FROM certificate WHERE "
	    "case_id = %lld", ids[0]));
	return num(arena_printf(arena, "SELECT id FROM certificate WHERE "
	    "case_id = %lld", ids[0]));
}

static enum cert_state
state(const char *no)
{
	struct certificate c;

	assert_int_equal(certificate_verify(ctx(&anon), no, &c), DOM_OK);
	return c.state;
}

static long long
last_sanction(long long cid)
{
	return num(arena_printf(arena, "SELECT max(id) FROM sanction WHERE "
	    "certificate_id = %lld", cid));
}

static void
test_verify(void **state_)
{
	const char *no;
	struct certificate c;
	long long cid = issued(1, &no);

	assert_int_equal(certificate_verify(ctx(&anon), no, &c), DOM_OK);
	assert_int_equal(c.id, cid);
	assert_int_equal(c.state, CERT_VALID);
	assert_false(c.may_download);
	assert_int_equal(certificate_verify(ctx(&anon),
	    "CNITSEC1999SE2-9999", &c), DOM_NOT_FOUND);
	assert_int_equal(certificate_verify(ctx(&anon), "<script>", &c),
	    DOM_NOT_FOUND);
	/* The holder and staff may have the PDF; nobody else. */
	assert_int_equal(certificate_verify(ctx(&holder), no, &c), DOM_OK);
	assert_true(c.may_download);
	assert_int_equal(certificate_download(ctx(&holder), cid, &c), DOM_OK);
	assert_int_equal(certificate_download(ctx(&sup), cid, &c), DOM_OK);
	assert_int_equal(certificate_download(ctx(&stranger), cid, &c),
	    DOM_NOT_FOUND);
	assert_int_equal(certificate_download(ctx(&anon), cid, &c),
	    DOM_NOT_FOUND);
	/* The staff page: staff only. */
	assert_int_equal(certificate_get(ctx(&staff_a), cid, &c), DOM_OK);
	assert_int_equal(certificate_get(ctx(&holder), cid, &c),
	    DOM_FORBIDDEN);
	assert_int_equal(certificate_get(ctx(&anon), cid, &c), DOM_FORBIDDEN);
	assert_int_equal(certificate_get(ctx(&sup), cid + 1000, &c),
	    DOM_NOT_FOUND);
	/* Expired: the dates are the only difference. */
	ts_exec(db, arena_printf(arena, "UPDATE certificate SET expires_on = "
	    "'2026-05-09' WHERE id = %lld", cid));
	assert_int_equal(state(no), CERT_EXPIRED);
	ts_exec(db, arena_printf(arena, "UPDATE certificate SET expires_on = "
	    "'2026-05-10' WHERE id = %lld", cid));
	assert_int_equal(state(no), CERT_VALID);
}

static void
test_sanctions(void **state_)
{
	struct sanction_input susp = { "suspension", "过程记录缺失", "" };
	struct sanction_input rect = { "rectification", "人员不足",
		"2026-06-30" };
	struct sanction_input warn = { "warning", "年报逾期", "" };
	struct sanction_input revoke = { "revocation", "欺骗取得", "" };
	struct certificate c;
	struct sanction *s;
	const char *no;
	long long cid = issued(1, &no), sid, before, case_id, mails;
	struct dom *d;
	size_t n;

	/* Only supervisors. */
	before = footprint();
	assert_int_equal(sanction_impose(ctx(&staff_a), cid, &susp, NULL),
	    DOM_FORBIDDEN);
	assert_int_equal(sanction_impose(ctx(&holder), cid, &susp, NULL),
	    DOM_FORBIDDEN);
	assert_int_equal(sanction_impose(ctx(&sup), cid + 1000, &susp, NULL),
	    DOM_NOT_FOUND);
	assert_int_equal(footprint(), before);

	/* Suspended: 暂停, and not twice; lifted: valid again. Each is a
	 * notice to the holder on the certificate's case, by e-mail too. */
	case_id = num(arena_printf(arena, "SELECT case_id FROM certificate "
	    "WHERE id = %lld", cid));
	mails = num(arena_printf(arena, "SELECT count(*) FROM outbox WHERE "
	    "case_id = %lld", case_id));
	assert_int_equal(sanction_impose(ctx(&sup), cid, &susp, &sid),
	    DOM_OK);
	assert_true(sid > 0);
	assert_int_equal(state(no), CERT_SUSPENDED);
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM notice "
	    "WHERE case_id = %lld AND kind = 'sanction' AND title = "
	    "'暂停证书通知书' AND body LIKE '%%过程记录缺失%%' AND body LIKE "
	    "'%%%s%%'", case_id, no)), 1);
	assert_true(num(arena_printf(arena, "SELECT count(*) FROM outbox "
	    "WHERE case_id = %lld", case_id)) > mails);
	d = ctx(&sup);
	assert_int_equal(sanction_impose(d, cid, &susp, NULL), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "已处于暂停状态"));
	assert_int_equal(sanction_lift(ctx(&staff_a), cid, sid),
	    DOM_FORBIDDEN);
	assert_int_equal(state(no), CERT_SUSPENDED);
	assert_int_equal(sanction_lift(ctx(&sup), cid, sid), DOM_OK);
	assert_int_equal(state(no), CERT_VALID);
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM notice "
	    "WHERE case_id = %lld AND kind = 'lifting' AND body LIKE "
	    "'%%“暂停证书”处置%%自本通知之日起解除%%'", case_id)), 1);
	before = footprint();
	d = ctx(&sup);
	assert_int_equal(sanction_lift(d, cid, sid), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不需要再次解除"));
	assert_int_equal(sanction_lift(ctx(&sup), cid, sid + 1000),
	    DOM_NOT_FOUND);
	assert_int_equal(footprint(), before);

	/* Rectification: with its deadline, the notice's due date. */
	assert_int_equal(sanction_impose(ctx(&sup), cid, &rect, NULL), DOM_OK);
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM notice "
	    "WHERE case_id = %lld AND kind = 'sanction' AND due = "
	    "'2026-06-30' AND title = '限期整改通知书'", case_id)), 1);
	assert_int_equal(certificate_verify(ctx(&anon), no, &c), DOM_OK);
	assert_int_equal(c.state, CERT_RECTIFICATION);
	assert_string_equal(c.rect_deadline, "2026-06-30");
	assert_false(c.rect_overdue);
	assert_int_equal(sanction_lift(ctx(&sup), cid, last_sanction(cid)),
	    DOM_OK);
	assert_int_equal(state(no), CERT_VALID);

	/* A warning: still valid, on record, not liftable. */
	assert_int_equal(sanction_impose(ctx(&sup), cid, &warn, NULL), DOM_OK);
	assert_int_equal(certificate_verify(ctx(&anon), no, &c), DOM_OK);
	assert_int_equal(c.state, CERT_VALID);
	assert_true(c.warned);
	d = ctx(&sup);
	assert_int_equal(sanction_lift(d, cid, last_sanction(cid)),
	    DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不能解除"));

	/* The list: reasons and names for staff only; lifting for the
	 * supervisor, of what can still be lifted. */
	assert_int_equal(sanction_list(ctx(&anon), cid, &s, &n), DOM_OK);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].kind, SANCTION_SUSPENSION);
	assert_true(s[0].lifted);
	assert_string_equal(s[0].reason, "");
	assert_string_equal(s[0].by, "");
	assert_false(s[2].may_lift);
	assert_int_equal(sanction_list(ctx(&staff_a), cid, &s, &n), DOM_OK);
	assert_string_equal(s[0].reason, "过程记录缺失");
	assert_string_equal(s[0].by, "监督丙");
	assert_string_equal(s[0].lifted_by, "监督丙");
	assert_false(s[0].may_lift);

	/* Suspended again, then revoked: 已取消 wins, and is final. */
	assert_int_equal(sanction_impose(ctx(&sup), cid, &susp, &sid), DOM_OK);
	assert_int_equal(sanction_list(ctx(&sup), cid, &s, &n), DOM_OK);
	assert_true(s[n - 1].may_lift);
	assert_int_equal(sanction_impose(ctx(&sup), cid, &revoke, NULL),
	    DOM_OK);
	assert_int_equal(state(no), CERT_REVOKED);
	/* The guide's word is 取消, not 撤销. */
	assert_string_equal(sanction_kind_zh(SANCTION_REVOCATION), "取消证书");
	assert_string_equal(cert_state_zh(CERT_REVOKED), "已取消");
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM notice "
	    "WHERE case_id = %lld AND title = '取消证书通知书' AND body LIKE "
	    "'%%欺骗取得%%' AND body NOT LIKE '%%撤销%%'", case_id)), 1);
	assert_int_equal(sanction_list(ctx(&sup), cid, &s, &n), DOM_OK);
	assert_false(s[n - 2].may_lift);
	before = footprint();
	d = ctx(&sup);
	assert_int_equal(sanction_impose(d, cid, &warn, NULL), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "已被取消"));
	assert_int_equal(sanction_lift(d, cid, sid), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "已被取消"));
	assert_int_equal(footprint(), before);
	assert_int_equal(state(no), CERT_REVOKED);
}

static void
test_sanction_input(void **state_)
{
	struct sanction_problem p[SANCTION_PROBLEMS_MAX];
	struct sanction_input none = { "", "  \n", "" };
	struct sanction_input odd = { "fine", "x", "" };
	struct sanction_input nodate = { "rectification", "人员不足", "" };
	struct sanction_input baddate = { "rectification", "人员不足",
		"2026-02-30" };
	struct sanction_input past = { "rectification", "人员不足",
		"2026-05-09" };
	struct sanction_input today = { "rectification", "人员不足",
		"2026-05-10" };
	struct sanction_input warn = { "warning", "x", "2020-01-01" };
	char *longer = arena_alloc(arena, SANCTION_REASON_MAX + 2);
	struct sanction_input big = { "warning", longer, "" };
	const char *no;
	long long cid = issued(2, &no), before;
	struct dom *d;

	memset(longer, 'x', SANCTION_REASON_MAX + 1);
	longer[SANCTION_REASON_MAX + 1] = '\0';
	assert_int_equal(sanction_check(&none, "2026-05-10", p), 2);
	assert_string_equal(p[0].field, "kind");
	assert_string_equal(p[1].field, "reason");
	assert_non_null(strstr(p[1].msg, "请填写处置理由"));
	assert_int_equal(sanction_check(&odd, "2026-05-10", p), 1);
	assert_int_equal(sanction_check(&nodate, "2026-05-10", p), 1);
	assert_non_null(strstr(p[0].msg, "须填写整改期限"));
	assert_int_equal(sanction_check(&baddate, "2026-05-10", p), 1);
	assert_non_null(strstr(p[0].msg, "不是有效日期"));
	assert_int_equal(sanction_check(&past, "2026-05-10", p), 1);
	assert_non_null(strstr(p[0].msg, "不能早于今天"));
	assert_int_equal(sanction_check(&today, "2026-05-10", p), 0);
	/* A deadline is no business of a warning. */
	assert_int_equal(sanction_check(&warn, "2026-05-10", p), 0);
	assert_int_equal(sanction_check(&big, "2026-05-10", p), 1);
	assert_non_null(strstr(p[0].msg, "2000 字节"));

	/* Through sanction_impose: the first problem, nothing written. */
	before = footprint();
	d = ctx(&sup);
	assert_int_equal(sanction_impose(d, cid, &none, NULL), DOM_INVALID);
	assert_string_equal(d->field, "kind");
	assert_int_equal(sanction_impose(d, cid, &past, NULL), DOM_INVALID);
	assert_string_equal(d->field, "deadline");
	assert_int_equal(sanction_impose(d, cid, &big, NULL), DOM_INVALID);
	assert_string_equal(d->field, "reason");
	assert_int_equal(footprint(), before);
	/* A warning keeps no deadline. */
	assert_int_equal(sanction_impose(ctx(&sup), cid, &warn, NULL),
	    DOM_OK);
	assert_int_equal(num(arena_printf(arena, "SELECT count(*) FROM "
	    "sanction WHERE certificate_id = %lld AND deadline IS NULL", cid)),
	    1);
}

static void
test_register(void **state_)
{
	struct certificate *rows;
	long long total, count, ids[60], bid;
	size_t n, i;

	for (i = 0; i < 55; i++)
		ids[i] = pending(1 + (long long)(i % 2), "名录公司");
	assert_int_equal(batch_create(ctx(&staff_a), ids, 55, &bid), DOM_OK);
	assert_int_equal(batch_approve(ctx(&staff_b), bid), DOM_OK);
	count = num("SELECT count(*) FROM certificate");
	assert_int_equal(certificate_register(ctx(&anon), 1, &rows, &n,
	    &total), DOM_OK);
	assert_int_equal(total, count);
	assert_int_equal(n, CERTIFIED_PER_PAGE);
	/* Newest first. */
	for (i = 1; i < n; i++)
		assert_true(strcmp(rows[i - 1].issued_on, rows[i].issued_on) >
		    0 || (strcmp(rows[i - 1].issued_on, rows[i].issued_on) ==
		    0 && rows[i - 1].id > rows[i].id));
	assert_int_equal(certificate_register(ctx(&anon), 2, &rows, &n,
	    &total), DOM_OK);
	assert_int_equal(n, (size_t)(count - CERTIFIED_PER_PAGE));
	assert_int_equal(certificate_register(ctx(&anon), 1000, &rows, &n,
	    &total), DOM_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_create, each_setup,
		    each_teardown),
		cmocka_unit_test_setup_teardown(test_batch_create_refused,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_approve_same_officer,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_approve_issues,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_approve_all_or_nothing,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_checks_in_transaction,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_verify, each_setup,
		    each_teardown),
		cmocka_unit_test_setup_teardown(test_sanctions, each_setup,
		    each_teardown),
		cmocka_unit_test_setup_teardown(test_sanction_input,
		    each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_register, each_setup,
		    each_teardown),
	};

	return cmocka_run_group_tests_name("certificates (domain)", tests,
	    setup, teardown);
}
