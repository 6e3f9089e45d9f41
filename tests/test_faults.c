/*
 * test_faults.c: nothing half-saved when the database fails.
 *
 * `zizhi seed` makes cases by the product's own steps (the domain
 * functions the pages and the command line call, from the draft to the
 * certificate). A first run on one database notes every statement those
 * steps run, in the order of their first use. Then, on a second database,
 * one run per statement in which that statement's first execution fails
 * (SQLite's progress handler interrupts it, as a full disk or an I/O
 * error would end it): the run must say it failed, the statement must
 * really have failed, and the database must be exactly as before the run
 * (every row of every table), with no transaction left open. So every
 * step's failure path is taken at least once: it rolls back what the
 * step wrote and reports the failure instead of carrying on.
 *
 * Statements that end or open a transaction (BEGIN, COMMIT, SAVEPOINT,
 * RELEASE, ROLLBACK) and PRAGMAs are not failed this way: the handler
 * can only interrupt them after they took effect, which no real failure
 * does. test_store covers their errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "cli.h"
#include "date.h"
#include "password.h"
#include "access.h"
#include "account.h"
#include "appeal.h"
#include "application.h"
#include "caselist.h"
#include "casestats.h"
#include "certificate.h"
#include "complaint.h"
#include "docrequest.h"
#include "dom.h"
#include "eligibility.h"
#include "login.h"
#include "orgcomplaint.h"
#include "outbox_read.h"
#include "payment.h"
#include "paper.h"
#include "reassign.h"
#include "reset.h"
#include "sanction.h"
#include "sweep.h"
#include "timeline.h"
#include "util.h"
#include "testlib_http.h"
#include "testlib_store.h"
#include "tmpl.h"

/* Cases each run makes: enough to reach every status the seed plans. */
#define NCASES		60
#define MAX_SQL		1024
/* The steps after the seed act on 2026-12-07 (Beijing). */
#define NOW		1796608800LL

static char dir_a[] = "/tmp/zizhi-faults-a.XXXXXX";
static char dir_b[] = "/tmp/zizhi-faults-b.XXXXXX";
static struct store *db_a, *db_b;
static struct tmpl_set *tmpl;
static char hash[PASSWORD_HASH_MAX];
static zdate today;

/* The statements of a run, in the order of their first execution. */
static char *seen[MAX_SQL];
static size_t nseen;

/* The fault: the first execution of target fails. */
static const char *target;
static int armed, fired;
static int recording;		/* the page runs: noting, not failing */
/* The test's own queries (finding a case, an account) are not noted. */
static int quiet;

static int
is_control(const char *sql)
{
	static const char *const words[] = { "BEGIN", "COMMIT", "END",
	    "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA" };
	size_t i, n;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (strncasecmp(sql, words[i], n) == 0)
			return 1;
	}
	return 0;
}

/* SQLITE_TRACE_STMT: a statement begins (or a trigger in it, "-- ..."). */
static int
on_stmt(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_sql(p);
	size_t i;

	if (quiet || type != SQLITE_TRACE_STMT || sql == NULL ||
	    strncmp((const char *)x, "--", 2) == 0 || is_control(sql))
		return 0;
	if (ctx == &seen) {
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], sql) == 0)
				return 0;
		assert_true(nseen < MAX_SQL);
		seen[nseen++] = strdup(sql);
	} else if (target != NULL && !fired && strcmp(sql, target) == 0)
		armed = 1;
	return 0;
}

static int
on_progress(void *ctx)
{
	if (!armed)
		return 0;
	armed = 0;
	fired = 1;
	return 1;
}

/*
 * The pages: the in-process application opens its own connection, which
 * SQLite's auto-extension hooks as it opens; its statements are noted
 * (or failed) only while page_hooks is set, during the request itself.
 */
static int page_hooks;

static int
on_page_stmt(unsigned type, void *ctx, void *p, void *x)
{
	return page_hooks ? on_stmt(type, recording ? &seen : NULL, p, x) : 0;
}

static int
hook(sqlite3 *db, const char **err, const struct sqlite3_api_routines *api)
{
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_page_stmt, NULL);
	sqlite3_progress_handler(db, 1, on_progress, NULL);
	return SQLITE_OK;
}


/* A digest of every row of every table, or (rows 0) of their counts. */
static uint64_t
digest_of(struct store *s, int all)
{
	sqlite3 *db = store_db(s);
	sqlite3_stmt *tables, *rows;
	uint64_t h = 1469598103934665603ull;
	char sql[256];
	const unsigned char *v;
	int i, n, k;

	/* login_failure counts attempts, which count even when the step
	 * they were for then fails; a session notes when it was last seen
	 * on every request. */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM "
	    "sqlite_schema WHERE type = 'table' AND name NOT IN "
	    "('login_failure', 'session') ORDER BY name", -1, &tables, NULL),
	    SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
		    (const char *)sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL),
		    SQLITE_OK);
		n = all ? sqlite3_column_count(rows) : 0;
		while (sqlite3_step(rows) == SQLITE_ROW) {
			h = (h ^ 1) * 1099511628211ull;
			for (i = 0; i < n; i++) {
				v = sqlite3_column_text(rows, i);
				k = sqlite3_column_bytes(rows, i);
				h = (h ^ (uint64_t)k) * 1099511628211ull;
				while (v != NULL && k-- > 0)
					h = (h ^ *v++) * 1099511628211ull;
			}
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	return h;
}

static uint64_t
digest(struct store *s)
{
	return digest_of(s, 1);
}

/* The runs, each all or nothing: `zizhi seed`, then sweeps of the
 * seeded cases on later days. */
static int
run_seed(struct store *s, const char *dir)
{
	char files[300];

	snprintf(files, sizeof(files), "%s/files", dir);
	return cli_seed_run(s, tmpl, hash, files, today, 7, NCASES);
}

static int
sweep_on(struct store *s, int days)
{
	struct sweep_stats st;
	char day[DATE_BUFSZ];

	memset(&st, 0, sizeof(st));
	date_format(today + days, day);
	return sweep_reminders(s, day, 1800000000LL + days * 86400LL,
	    "https://zizhi.example.cn", &st);
}

/* The reminders of open cases (supplements due, clocks at risk). */
static int
run_remind_soon(struct store *s, const char *dir)
{
	return sweep_on(s, 20);
}

/* The certificates' reminders, two and a half years on. */
static int
run_remind_later(struct store *s, const char *dir)
{
	return sweep_on(s, 900);
}

static int
run_unserved(struct store *s, const char *dir)
{
	struct sweep_stats st;
	char day[DATE_BUFSZ];

	memset(&st, 0, sizeof(st));
	date_format(today + 5, day);
	return sweep_unserved(s, day, SWEEP_UNSERVED_DAYS, 1800000000LL, &st);
}

/* The integer sql answers with ?1 bound to id (0 without a row). */
static long long
q(struct store *s, const char *sql, long long id)
{
	sqlite3_stmt *st;
	long long v = 0;

	quiet = 1;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	quiet = 0;
	if (v == 0)
		fail_msg("no row: %s (?1 = %lld)", sql, id);
	return v;
}

static struct dom *as_last;

/* A domain context for account id, a day after the seed's today. */
static struct dom *
as(struct store *s, long long id)
{
	static struct actor a;
	static struct dom d;
	static struct arena *arena;
	static char email[96], name[96], role[32];

	sqlite3_stmt *st;

	if (arena == NULL)
		arena = arena_new();
	quiet = 1;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT email, name, "
	    "role, coalesce(org_id, 0) FROM account WHERE id = ?1", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(email, sizeof(email), "%s", sqlite3_column_text(st, 0));
	snprintf(name, sizeof(name), "%s", sqlite3_column_text(st, 1));
	snprintf(role, sizeof(role), "%s", sqlite3_column_text(st, 2));
	memset(&a, 0, sizeof(a));
	a.id = id;
	a.email = email;
	a.name = name;
	a.role = role;
	a.role_bit = role_bit(role);
	a.org_id = sqlite3_column_int64(st, 3);
	a.org_name = "";
	sqlite3_finalize(st);
	quiet = 0;
	dom_init(&d, s, arena, &a, NOW);
	d.tmpl = tmpl;
	d.public_url = "https://zizhi.example.cn";
	as_last = &d;
	return &d;
}

/* 0 for DOM_OK; else -1, and a refusal noted with what it said. */
static const char *refusal;

static int
ok(struct dom *d, enum dom_rc rc)
{
	if (rc != DOM_OK && rc != DOM_FAILED)
		refusal = d->msg ? d->msg : "(no message)";
	return rc == DOM_OK ? 0 : -1;
}

#define OK(rc)	ok(as_last, (rc))

/* The lead of the first case in 评估中 asks for documents. */
static int
run_docrequest(struct store *s, const char *dir)
{
	static const char *const items[] = { "PA07 风险评估记录" };
	struct docreq_input in = { items, 1, "2027-01-15", "请补充。" };
	struct assess_problems pr;
	long long id = q(s, "SELECT min(id) FROM cases WHERE status = "
	    "'assessing' AND ?1", 1);

	return OK(docreq_open(as(s, q(s, "SELECT lead_id FROM cases WHERE "
	    "id = ?1", id)), id, &in, &pr, NULL));
}

/* The lead of the first case in 受理审查 records its paper original. */
static int
run_paper(struct store *s, const char *dir)
{
	struct paper_input in = { "顺丰速运", "SF1234567890", "2026-12-07",
	    "张三", 1, 1, 1, "" };
	long long id = q(s, "SELECT min(id) FROM cases WHERE status = "
	    "'intake_review' AND ?1", 1);

	return OK(paper_record(as(s, q(s, "SELECT lead_id FROM cases WHERE "
	    "id = ?1", id)), id, &in));
}

/* The applicant of the first refused case appeals. */
static int
run_appeal(struct store *s, const char *dir)
{
	struct appeal_input in = { "我单位对不予受理的决定有异议，材料齐全，请复核。",
	    NULL, 0 };
	long long id = q(s, "SELECT min(id) FROM cases WHERE status = "
	    "'rejected' AND ?1", 1), aid;

	return OK(appeal_lodge(as(s, q(s, "SELECT min(id) FROM account "
	    "WHERE role = 'applicant' AND org_id = (SELECT org_id FROM cases "
	    "WHERE id = ?1)", id)), id, &in, &aid));
}

static long long
supervisor(struct store *s)
{
	return q(s, "SELECT min(id) FROM account WHERE role = 'supervisor' AND "
	    "?1", 1);
}

/* A supervisor takes that appeal, and concludes it. */
static int
run_appeal_take(struct store *s, const char *dir)
{
	return OK(appeal_take(as(s, supervisor(s)), q(s, "SELECT max(id) FROM "
	    "appeal WHERE ?1", 1)));
}

static int
run_appeal_conclude(struct store *s, const char *dir)
{
	return OK(appeal_conclude(as(s, supervisor(s)), q(s, "SELECT max(id) "
	    "FROM appeal WHERE ?1", 1), 0, "经复核，原决定并无不当，维持原决定。",
	    ST_DRAFT));
}

/* A supervisor records a complaint about a certified organisation,
 * imposes a rectification on its certificate, and lifts it. */
static int
run_complaint(struct store *s, const char *dir)
{
	struct complaint_input c = { q(s, "SELECT org_id FROM certificate "
	    "WHERE id = (SELECT min(id) FROM certificate WHERE ?1)", 1), "",
	    "王五，电话 13800000000", "该单位在项目中未按合同提供服务。",
	    "2026-12-07" };
	long long id;

	return OK(complaint_record(as(s, supervisor(s)), &c, &id));
}

static int
run_sanction(struct store *s, const char *dir)
{
	struct sanction_input in = { "rectification", "服务过程记录不全。",
	    "2027-03-01" };
	long long id;

	return OK(sanction_impose(as(s, supervisor(s)), q(s, "SELECT min(id) "
	    "FROM certificate WHERE ?1", 1), &in, &id));
}

static int
run_sanction_lift(struct store *s, const char *dir)
{
	long long sid = q(s, "SELECT max(id) FROM sanction WHERE ?1", 1);

	return OK(sanction_lift(as(s, supervisor(s)), q(s, "SELECT "
	    "certificate_id FROM sanction WHERE id = ?1", sid), sid));
}

/* A supervisor gives the first open case with a lead to another lead. */
static int
run_reassign(struct store *s, const char *dir)
{
	long long id = q(s, "SELECT min(id) FROM cases WHERE is_open = 1 AND "
	    "lead_id IS NOT NULL AND ?1", 1);

	return OK(reassign_lead(as(s, supervisor(s)), id, q(s, "SELECT min(id) "
	    "FROM account WHERE role = 'lead' AND id != (SELECT lead_id FROM cases "
	    "WHERE id = ?1)", id), "原负责人休假。"));
}

/* Someone asks for a password reset for an applicant's address. */
static int
run_reset(struct store *s, const char *dir)
{
	struct dom *d = as(s, q(s, "SELECT min(id) FROM account WHERE role = "
	    "'applicant' AND ?1", 1));
	char email[96];

	snprintf(email, sizeof(email), "%s", d->actor->email);
	d->actor = &dom_system;
	/* Each try a first one: not held back by the address's limit. */
	quiet = 1;
	ts_exec(s, "DELETE FROM login_failure");
	quiet = 0;
	return OK(reset_request(d, email, "127.0.0.1",
	    "https://zizhi.example.cn"));
}

/* An applicant registers a new organisation. */
static int
run_register(struct store *s, const char *dir)
{
	struct dom *d = as(s, supervisor(s));
	long long until;

	d->actor = &dom_system;
	quiet = 1;
	ts_exec(s, "DELETE FROM login_failure");
	quiet = 0;
	return OK(account_register(d, "新注册信息技术有限公司", "赵六",
	    "zhaoliu@example.cn", "correct horse battery staple", "127.0.0.1",
	    &until));
}

/* An administrator adds a lead, and disables a lead without open cases;
 * the new account changes its password. */
static long long
admin(struct store *s)
{
	return q(s, "SELECT min(id) FROM account WHERE role = 'admin' AND ?1",
	    1);
}

static int
run_add_staff(struct store *s, const char *dir)
{
	long long id;

	return OK(account_add_staff(as(s, admin(s)), "lead-new@example.cn",
	    "钱七", "lead", "correct horse battery staple", &id));
}

static int
run_disable(struct store *s, const char *dir)
{
	return OK(account_set_disabled(as(s, admin(s)), q(s, "SELECT id FROM "
	    "account WHERE email = 'lead-new@example.cn' AND ?1", 1), 1));
}

static int
run_password(struct store *s, const char *dir)
{
	return OK(account_change_password(as(s, q(s, "SELECT min(id) FROM "
	    "account WHERE role = 'applicant' AND email = "
	    "'zhaoliu@example.cn' AND ?1", 1)), "correct horse battery staple",
	    "another correct horse battery"));
}

/* The new applicant logs in with the changed password. */
static int
run_login(struct store *s, const char *dir)
{
	struct dom *d = as(s, supervisor(s));
	enum totp_need next;
	long long id, until;

	d->actor = &dom_system;
	quiet = 1;
	ts_exec(s, "DELETE FROM login_failure");
	quiet = 0;
	return OK(login_attempt(d, "zhaoliu@example.cn", "another correct "
	    "horse battery", "127.0.0.1", &id, &until, &next));
}

/* The first certified organisation's applicant keeps its own register
 * of complaints: one received, then handled. */
static long long
holder(struct store *s)
{
	return q(s, "SELECT min(a.id) FROM account a JOIN certificate ce ON "
	    "ce.org_id = a.org_id WHERE a.role = 'applicant' AND ?1", 1);
}

static int
run_org_complaint(struct store *s, const char *dir)
{
	struct orgc_input in = { "2026-12-01", "某客户，电话 010-12345678",
	    "项目交付延期。" };
	struct problem pr[8];
	size_t n;
	long long id;

	return OK(orgc_add(as(s, holder(s)), &in, pr, &n, &id));
}

static int
run_org_complaint_handled(struct store *s, const char *dir)
{
	struct orgc_handling in = { "2026-12-06", "已与客户沟通并补交成果。",
	    "加强进度管理。" };
	struct problem pr[8];
	size_t n;

	return OK(orgc_handle(as(s, holder(s)), q(s, "SELECT max(id) FROM "
	    "org_complaint WHERE ?1", 1), &in, pr, &n));
}

/* The supervisor records how the complaint was handled. */
static int
run_complaint_handled(struct store *s, const char *dir)
{
	return OK(complaint_handle(as(s, supervisor(s)), q(s, "SELECT max(id) "
	    "FROM complaint WHERE ?1", 1), "已约谈该单位，责令整改。"));
}

/* An administrator sends a message that failed again, to a corrected
 * address. */
static int
run_resend(struct store *s, const char *dir)
{
	long long id, fresh;

	id = q(s, "SELECT min(id) FROM outbox WHERE state = 'failed' AND ?1",
	    1);
	return OK(outbox_resend(as(s, admin(s)), id, "fixed@example.cn",
	    &fresh));
}

/* An administrator adds a requirement of the intake review, and retires
 * it. */
static int
run_requirement(struct store *s, const char *dir)
{
	long long id;

	return OK(elig_req_add(as(s, admin(s)), "近三年无重大安全事故证明",
	    "由申请单位出具并盖章。", &id));
}

static int
run_requirement_retired(struct store *s, const char *dir)
{
	return OK(elig_req_retire(as(s, admin(s)), q(s, "SELECT max(id) FROM "
	    "requirement WHERE ?1", 1)));
}

/* Reads, by the people who make them: each fails whole, or answers. */
static int
run_reads(struct store *s, const char *dir)
{
	struct caselist_filter f;
	struct caselist_row *rows;
	struct account_row *accounts;
	struct application_row *apps;
	struct appeal *appeals;
	struct complaint *complaints;
	struct outbox_msg *msgs;
	struct outbox_counts counts;
	struct timeline_event *events;
	struct casestats stats;
	struct certificate cert;
	struct case_ref c;
	struct payment_ledger ledger;
	long long total, open, lead, id;
	size_t n, m;

	id = q(s, "SELECT min(id) FROM cases WHERE status = 'issued' AND ?1",
	    1);
	lead = q(s, "SELECT lead_id FROM cases WHERE id = ?1", id);
	caselist_filter_init(&f);
	f.mine = 1;
	f.limit = 50;
	if (caselist_rows(as(s, lead), &f, &rows, &n) != DOM_OK ||
	    caselist_count(as(s, lead), &f, 100, &total) != DOM_OK ||
	    account_list(as(s, admin(s)), "", 0, 50, &accounts, &n, &total) !=
	    DOM_OK ||
	    application_list(as(s, q(s, "SELECT min(id) FROM account WHERE "
	    "role = 'applicant' AND org_id = (SELECT org_id FROM cases WHERE "
	    "id = ?1)", id)), 1, 20, &apps, &n, &total) != DOM_OK ||
	    appeal_list(as(s, supervisor(s)), 0, 50, &appeals, &n, &total,
	    &open) != DOM_OK ||
	    complaint_list(as(s, supervisor(s)), COMPLAINT_ALL, 0, 50,
	    &complaints, &n, &total) != DOM_OK ||
	    outbox_list(as(s, admin(s)), 0, 50, &msgs, &n, &counts) !=
	    DOM_OK ||
	    casestats_load(as(s, supervisor(s)), &stats) != DOM_OK ||
	    certificate_get(as(s, supervisor(s)), q(s, "SELECT id FROM "
	    "certificate WHERE case_id = ?1", id), &cert) != DOM_OK ||
	    access_case(as(s, lead), id, PART_SUMMARY, &c) != DOM_OK ||
	    timeline_load(as_last, id, 0, &events, &m) != DOM_OK ||
	    payment_ledger(as_last, &c, &ledger) != DOM_OK)
		return -1;
	return 0;
}

struct run {
	const char	*name;
	int		(*fn)(struct store *, const char *);
	const char	*prep;	/* SQL run on both databases first */
};

/*
 * The run on the first database, noting its statements; then on the
 * second, once per statement with that statement failed, each time
 * nothing kept; then there without a fault, so that both databases are
 * alike again for the next run.
 */
static void
faults(const struct run *r)
{
	sqlite3 *a = store_db(db_a), *b = store_db(db_b);
	uint64_t before;
	size_t i, first;
	int rc;

	if (r->prep != NULL) {
		ts_exec(db_a, r->prep);
		ts_exec(db_b, r->prep);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	nseen = first = 0;
	sqlite3_trace_v2(a, SQLITE_TRACE_STMT, on_stmt, &seen);
	refusal = NULL;
	rc = r->fn(db_a, dir_a);
	sqlite3_trace_v2(a, 0, NULL, NULL);
	if (rc != 0)
		fail_msg("%s failed without a fault%s%s", r->name, refusal ?
		    ": " : "", refusal ? refusal : "");
	print_message("%s: %zu statements\n", r->name, nseen);
	assert_true(nseen > first);

	sqlite3_trace_v2(b, SQLITE_TRACE_STMT, on_stmt, NULL);
	sqlite3_progress_handler(b, 1, on_progress, NULL);
	before = digest(db_b);
	for (i = first; i < nseen; i++) {
		target = seen[i];
		armed = fired = 0;
		refusal = NULL;
		rc = r->fn(db_b, dir_b);
		if (!fired)
			fail_msg("%s: never ran: %s", r->name, target);
		if (rc == 0)
			fail_msg("%s went on after a failure of: %s", r->name,
			    target);
		/* A database failure is said as one, not as "no such
		 * thing" or "not allowed". */
		if (refusal != NULL)
			fail_msg("%s: a failure of %s refused as: %s", r->name,
			    target, refusal);
		if (!sqlite3_get_autocommit(b))
			fail_msg("%s: a transaction left open after a failure "
			    "of: %s", r->name, target);
		if (digest(db_b) != before)
			fail_msg("%s: a part kept after a failure of: %s",
			    r->name, target);
	}
	sqlite3_progress_handler(b, 0, NULL, NULL);
	sqlite3_trace_v2(b, 0, NULL, NULL);
	target = NULL;

	if (r->fn(db_b, dir_b) != 0)
		fail_msg("%s failed after the faults", r->name);
	/* Alike but for salts, tokens and such: the same rows in each. */
	assert_true(digest_of(db_a, 0) == digest_of(db_b, 0));
}

static int
setup(void **state)
{
	char err[256];

	db_a = ts_open(dir_a);
	db_b = ts_open(dir_b);
	assert_int_equal(date_parse("2026-12-06", &today), 0);
	assert_int_equal(password_hash("zizhi-faults", hash, sizeof(hash)), 0);
	if ((tmpl = app_load_templates(err, sizeof(err))) == NULL)
		fail_msg("templates: %s", err);
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		free(seen[i]);
	tmpl_set_free(tmpl);
	ts_close(db_a, dir_a);
	ts_close(db_b, dir_b);
	return 0;
}

static void
test_seed(void **state)
{
	static const struct run r = { "seed", run_seed, NULL };

	faults(&r);
	assert_int_equal(ts_int(db_b, "SELECT count(*) FROM cases"), NCASES);
}

static void
test_sweep(void **state)
{
	static const struct run runs[] = {
		{ "reminders 20 days on", run_remind_soon, NULL },
		{ "reminders 900 days on", run_remind_later, NULL },
		{ "unserved notices", run_unserved, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
		faults(&runs[i]);
	assert_true(ts_int(db_b, "SELECT count(*) FROM outbox WHERE "
	    "reminder_key IS NOT NULL") > 0);
}

static void
test_steps(void **state)
{
	static const struct run runs[] = {
		{ "document request", run_docrequest, NULL },
		{ "paper original", run_paper, NULL },
		{ "appeal", run_appeal, NULL },
		{ "appeal taken", run_appeal_take, NULL },
		{ "appeal concluded", run_appeal_conclude, NULL },
		{ "complaint", run_complaint, NULL },
		{ "sanction", run_sanction, NULL },
		{ "sanction lifted", run_sanction_lift, NULL },
		{ "lead reassigned", run_reassign, NULL },
		{ "password reset asked", run_reset, NULL },
		{ "registration", run_register, NULL },
		{ "staff added", run_add_staff, NULL },
		{ "account disabled", run_disable, NULL },
		{ "password changed", run_password, NULL },
		{ "login", run_login, NULL },
		{ "an organisation's complaint", run_org_complaint, NULL },
		{ "an organisation's complaint handled",
		    run_org_complaint_handled, NULL },
		{ "complaint handled", run_complaint_handled, NULL },
		{ "message sent again", run_resend, "UPDATE outbox SET state = "
		    "'failed', attempts = 12, last_error = '550 no such user' "
		    "WHERE id = (SELECT min(id) FROM outbox)" },
		{ "requirement added", run_requirement, NULL },
		{ "requirement retired", run_requirement_retired, NULL },
		{ "the pages' reads", run_reads, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
		faults(&runs[i]);
}

/* A page as someone asks for it: path, the id sql finds, then tail. */
struct page_run {
	const char	*name;
	const char	*who;		/* SQL: the account */
	const char	*path;
	const char	*id;		/* SQL: the id after path, or NULL */
	const char	*tail;
	const char	*body;		/* a form (after csrf=...&), or NULL */
	long		 want;		/* its answer without a fault */
};

#define LEAD1	"SELECT id FROM account WHERE email = " \
	"'seed-lead-1@seed.zizhi.test' AND ?1"
#define ISSUED	"SELECT min(c.id) FROM cases c JOIN account a ON a.id = " \
	"c.lead_id WHERE a.email = 'seed-lead-1@seed.zizhi.test' AND " \
	"c.status = 'issued' AND ?1"
#define ROLE(r)	"SELECT min(id) FROM account WHERE role = '" r "' AND ?1"
#define CASE_PAGE(name, tail) \
	{ name, LEAD1, "/cases/", ISSUED, tail, NULL, 200 }
#define PAGE(name, role, path) \
	{ name, ROLE(role), path, NULL, "", NULL, 200 }

static const struct page_run page_runs[] = {
	{ "the staff case page", LEAD1, "/cases/", "SELECT min(c.id) FROM "
	    "cases c JOIN account a ON a.id = c.lead_id WHERE a.email = "
	    "'seed-lead-1@seed.zizhi.test' AND c.status = 'issued' AND ?1",
	    "", NULL, 200 },
	{ "the work queue", LEAD1, "/queue", NULL, "", NULL, 200 },
	CASE_PAGE("the review page", "/review"),
	CASE_PAGE("the payment page", "/payment"),
	CASE_PAGE("the assessment page", "/assessment"),
	CASE_PAGE("the materials page", "/materials"),
	CASE_PAGE("the documents page", "/documents"),
	CASE_PAGE("the agreement page", "/agreement"),
	CASE_PAGE("the application's PDF", "/application.pdf"),
	PAGE("the dashboard", "supervisor", "/dashboard"),
	PAGE("the dashboard's cases", "supervisor", "/dashboard/cases"),
	PAGE("the appeals", "supervisor", "/appeals"),
	PAGE("the complaints", "supervisor", "/complaints"),
	PAGE("the accounts", "admin", "/admin/users"),
	PAGE("the outbox", "admin", "/admin/outbox"),
	PAGE("the batches", "cert_staff", "/batches"),
	PAGE("the register", "admin", "/certified"),
	PAGE("the register's feed", "admin", "/announcements.atom"),
	{ "a certificate", ROLE("cert_staff"), "/certificates/", "SELECT "
	    "min(id) FROM certificate WHERE ?1", "", NULL, 200 },
	{ "a certificate's PDF", ROLE("cert_staff"), "/certificates/",
	    "SELECT min(id) FROM certificate WHERE ?1", "/pdf", NULL, 200 },
	{ "the applicant's cases", "SELECT min(a.id) FROM account a JOIN "
	    "cases c ON c.org_id = a.org_id WHERE a.role = 'applicant' AND ?1",
	    "/cases", NULL, "", NULL, 200 },
	{ "the review's findings saved", "SELECT lead_id FROM cases WHERE "
	    "id = (SELECT max(id) FROM cases WHERE status = 'intake_review' AND "
	    "lead_id IS NOT NULL AND ?1)", "/cases/", "SELECT max(id) FROM "
	    "cases WHERE status = 'intake_review' AND lead_id IS NOT NULL AND "
	    "?1", "/review/findings",
	    "verdict_form=ok&comment_form=%E5%9F%BA", 303 },
};

/* The page's answer on the database at dir, as who. */
static long
page(const struct page_run *r, struct store *s, const char *dir,
    struct http_client *c)
{
	struct http_resp resp;
	char path[128], *body = NULL;
	long status;

	if (r->id != NULL)
		snprintf(path, sizeof(path), "%s%lld%s", r->path, q(s, r->id, 1),
		    r->tail);
	else
		snprintf(path, sizeof(path), "%s%s", r->path, r->tail);
	if (r->body != NULL) {
		body = malloc(strlen(r->body) + 64);
		assert_non_null(body);
		sprintf(body, "csrf=%s&%s", http_inproc_csrf(c), r->body);
	}
	page_hooks = 1;
	if (body != NULL)
		http_post_form(c, path, body, &resp);
	else
		http_get(c, path, &resp);
	page_hooks = 0;
	status = resp.status;
	if (status >= 500 && strstr(resp.body.p ? resp.body.p : "",
	    "您的数据没有被部分保存") == NULL)
		fail_msg("%s: a %ld without its message", r->name, status);
	http_resp_free(&resp);
	free(body);
	return status;
}

/* A client of the in-process application on the database at dir. */
static struct http_client *
client_on(struct store *s, const char *dir, const struct page_run *r)
{
	struct http_client *c;
	struct http_resp resp;
	char path[300];

	http_inproc_close();
	snprintf(path, sizeof(path), "%s/t.db", dir);
	setenv("ZIZHI_DB", path, 1);
	c = http_inproc_login(q(s, r->who, 1));
	http_get(c, "/", &resp);	/* opens the application */
	http_resp_free(&resp);
	return c;
}

/* The statements of page r, each failed once: how many failures the
 * page did not answer with a 500. */
static int
page_faults(const struct page_run *r)
{
	struct http_client *c;
	uint64_t before;
	size_t i;
	long status;
	int wrong = 0;

	for (i = 0; i < nseen; i++)
		free(seen[i]);
	nseen = 0;
	c = client_on(db_a, dir_a, r);
	recording = 1;
	status = page(r, db_a, dir_a, c);
	recording = 0;
	http_client_free(c);
	if (status != r->want)
		fail_msg("%s: %ld without a fault", r->name, status);
	print_message("%s: %zu statements\n", r->name, nseen);
	assert_true(nseen > 0);

	c = client_on(db_b, dir_b, r);
	before = digest(db_b);
	for (i = 0; i < nseen; i++) {
		target = seen[i];
		armed = fired = 0;
		status = page(r, db_b, dir_b, c);
		if (!fired)
			fail_msg("%s: never ran: %s", r->name, target);
		/* Said, and the others still tried: nothing was written. */
		if (status != 500) {
			print_message("%s: %ld after a failure of: %s\n",
			    r->name, status, target);
			wrong++;
		}
		if (digest(db_b) != before)
			fail_msg("%s: a part kept after a failure of: %s",
			    r->name, target);
	}
	target = NULL;
	if ((status = page(r, db_b, dir_b, c)) != r->want)
		fail_msg("%s: %ld after the faults", r->name, status);
	http_client_free(c);
	return wrong;
}

static void
test_pages(void **state)
{
	size_t i;
	int wrong = 0;

	sqlite3_auto_extension((void (*)(void))hook);
	for (i = 0; i < sizeof(page_runs) / sizeof(page_runs[0]); i++)
		wrong += page_faults(&page_runs[i]);
	http_inproc_close();
	sqlite3_cancel_auto_extension((void (*)(void))hook);
	assert_int_equal(wrong, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_sweep),	/* on the seeded cases */
		cmocka_unit_test(test_steps),	/* on the seeded cases */
		cmocka_unit_test(test_pages),	/* on the seeded cases */
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
