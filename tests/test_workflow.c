/*
 * test_workflow.c: the status machine on a temporary database. Every
 * (from, to, role) not in the table is refused with nothing written;
 * every row of the table works and writes exactly one event; events and
 * notices cannot be changed or deleted. workflow_allowed agrees, for
 * every status pair and role, with a copy of the table written out by
 * hand here, so a row or a role added to wf_transitions fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "auth.h"
#include "router.h"
#include "testlib_store.h"
#include "workflow.h"
#include "status.h"

static char dir[] = "/tmp/zizhi-wf.XXXXXX";
static struct store *db;
static long long org, applicant;

static long long
count(const char *sql, long long id)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static int
setup(void **state)
{
	db = ts_open(dir);
	exec("INSERT INTO org(id, name) VALUES (1, 'o')");
	exec("INSERT INTO account(id, email, name, role, org_id, "
	    "password_hash) VALUES (1, 'a@x.cn', 'a', 'applicant', 1, 'x')");
	org = 1;
	applicant = 1;
	return 0;
}

static int
teardown(void **state)
{
	ts_close(db, dir);
	return 0;
}

/* A case forced into a status (test set-up only). */
static long long
case_in(const char *status)
{
	sqlite3_stmt *st;
	long long id;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "INSERT INTO "
	    "cases(org_id, created_by, status) VALUES (1, 1, ?1)", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(store_db(db));
	return id;
}

static const unsigned role_bits[] = {
	ROLE_APPLICANT, ROLE_LEAD, ROLE_ASSESSOR, ROLE_EXPERT,
	ROLE_CERT_STAFF, ROLE_SUPERVISOR, ROLE_ADMIN
};

/* Is (from, to, role) a row of the table? 1 without a guard, 2 with
 * one. Computed independently of workflow.c's own search. */
static int
in_table(const char *from, const char *to, unsigned role)
{
	const struct wf_transition *t;
	const struct status_info *fs = status_find(from);
	const struct status_info *ts = status_find(to);

	for (t = wf_transitions; t->roles != 0; t++)
		if (t->to == ts->st && (t->roles & role) &&
		    (t->from == WF_ANY_OPEN ? !fs->final : t->from == fs->st))
			return t->guard ? 2 : 1;
	return 0;
}

static void
test_every_transition(void **state)
{
	const struct status_info *from, *to;
	struct actor u;
	char err[256];
	long long id, events;
	size_t r;
	enum wf_result rc;
	int allowed = 0, refused = 0;

	memset(&u, 0, sizeof(u));
	u.id = applicant;
	for (from = status_table; from->code != NULL; from++)
	for (to = status_table; to->code != NULL; to++)
	for (r = 0; r < sizeof(role_bits) / sizeof(role_bits[0]); r++) {
		u.role_bit = role_bits[r];
		id = case_in(from->code);
		assert_int_equal(store_begin(db), 0);
		rc = workflow_move(db, id, to->code, &u, "test", 1700000000,
		    err, sizeof(err));
		assert_int_equal(store_commit(db), 0);
		events = count("SELECT count(*) FROM event WHERE case_id = ?1",
		    id);
		if (in_table(from->code, to->code, role_bits[r]) == 2) {
			/* A fresh case has none of the records a guard
			 * asks for: refused, with a reason, nothing written. */
			if (rc != WF_CONFLICT)
				fail_msg("%s -> %s (role %x): guard let it "
				    "through", from->code, to->code,
				    role_bits[r]);
			assert_true(strlen(err) > 0);
			assert_int_equal(events, 0);
			refused++;
		} else if (in_table(from->code, to->code, role_bits[r])) {
			if (rc != WF_OK)
				fail_msg("%s -> %s (role %x) refused: %s",
				    from->code, to->code, role_bits[r], err);
			assert_int_equal(events, 1);
			assert_int_equal(count("SELECT status = (SELECT "
			    "to_status FROM event WHERE case_id = ?1) FROM "
			    "cases WHERE id = ?1", id), 1);
			allowed++;
		} else {
			if (rc == WF_OK)
				fail_msg("%s -> %s (role %x) allowed",
				    from->code, to->code, role_bits[r]);
			assert_true(rc == WF_FORBIDDEN || rc == WF_CONFLICT);
			assert_true(strlen(err) > 0);
			assert_int_equal(events, 0);
			refused++;
		}
	}
	/* The table is not empty and not everything is allowed. */
	assert_true(allowed >= 10);
	assert_true(refused > 1000);
	print_message("workflow: %d allowed, %d refused\n", allowed, refused);
}

/*
 * The transition table as the guide and docs/workflow.md give it, by
 * hand: from, to, the roles (by name) that may. Withdrawal is written out
 * for each status that is not final.
 */
static const struct {
	const char	*from, *to, *roles;
} hand_table[] = {
	{ "draft", "submitted", "applicant" },
	{ "submitted", "intake_review", "lead" },
	{ "intake_review", "supplement_requested", "lead" },
	{ "supplement_requested", "intake_review", "applicant" },
	{ "intake_review", "accepted", "lead" },
	{ "intake_review", "rejected", "lead" },
	{ "supplement_requested", "rejected", "lead" },
	{ "accepted", "agreement_sent", "lead" },
	{ "agreement_sent", "awaiting_payment", "applicant" },
	{ "awaiting_payment", "assessment_planning", "lead cert_staff" },
	{ "assessment_planning", "assessing", "lead" },
	{ "assessing", "expert_review", "lead assessor" },
	{ "expert_review", "certificate_pending", "expert" },
	{ "expert_review", "failed", "expert" },
	{ "expert_review", "assessing", "expert" },
	{ "rejected", "intake_review", "supervisor" },
	{ "failed", "assessing", "supervisor" },
	{ "failed", "expert_review", "supervisor" },
	{ "certificate_pending", "issued", "cert_staff" },
	{ "draft", "withdrawn", "applicant" },
	{ "submitted", "withdrawn", "applicant" },
	{ "intake_review", "withdrawn", "applicant" },
	{ "supplement_requested", "withdrawn", "applicant" },
	{ "accepted", "withdrawn", "applicant" },
	{ "agreement_sent", "withdrawn", "applicant" },
	{ "awaiting_payment", "withdrawn", "applicant" },
	{ "assessment_planning", "withdrawn", "applicant" },
	{ "assessing", "withdrawn", "applicant" },
	{ "expert_review", "withdrawn", "applicant" },
	{ "certificate_pending", "withdrawn", "applicant" },
};

static const char *const hand_statuses[] = {
	"draft", "submitted", "intake_review", "supplement_requested",
	"accepted", "rejected", "agreement_sent", "awaiting_payment",
	"assessment_planning", "assessing", "expert_review", "failed",
	"certificate_pending", "issued", "withdrawn"
};

/* Every role bit, by name; "anon" is a visitor not logged in. */
static const struct {
	const char	*name;
	unsigned	 bit;
} hand_roles[] = {
	{ "anon", ROLE_ANON }, { "applicant", ROLE_APPLICANT },
	{ "lead", ROLE_LEAD }, { "assessor", ROLE_ASSESSOR },
	{ "expert", ROLE_EXPERT }, { "cert_staff", ROLE_CERT_STAFF },
	{ "supervisor", ROLE_SUPERVISOR }, { "admin", ROLE_ADMIN },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Is word one of the space-separated words of list? */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word), k;

	while (*list != '\0') {
		k = strcspn(list, " ");
		if (k == n && strncmp(list, word, n) == 0)
			return 1;
		list += k;
		list += strspn(list, " ");
	}
	return 0;
}

/* Does the hand-written table let role (a name) go from from to to? */
static int
hand_allows(const char *from, const char *to, const char *role)
{
	size_t i;

	for (i = 0; i < NELEM(hand_table); i++)
		if (strcmp(hand_table[i].from, from) == 0 &&
		    strcmp(hand_table[i].to, to) == 0 &&
		    has_word(hand_table[i].roles, role))
			return 1;
	return 0;
}

static int
hand_status(const char *code)
{
	size_t i;

	for (i = 0; i < NELEM(hand_statuses); i++)
		if (strcmp(hand_statuses[i], code) == 0)
			return 1;
	return 0;
}

static void
test_table_by_hand(void **state)
{
	const struct status_info *s;
	size_t f, t, r;
	unsigned all = 0;
	int want, got, yes = 0, bad = 0;

	/* The role bits here are all there are. */
	for (r = 0; r < NELEM(hand_roles); r++)
		all |= hand_roles[r].bit;
	assert_int_equal(all, ROLES_ALL);
	for (f = 0; f < NELEM(hand_statuses); f++)
	for (t = 0; t < NELEM(hand_statuses); t++)
	for (r = 0; r < NELEM(hand_roles); r++) {
		want = hand_allows(hand_statuses[f], hand_statuses[t],
		    hand_roles[r].name);
		got = workflow_allowed(hand_statuses[f], hand_statuses[t],
		    hand_roles[r].bit);
		if (want != got) {
			print_message("%s -> %s by %s: workflow_allowed %d, "
			    "the table by hand %d\n", hand_statuses[f],
			    hand_statuses[t], hand_roles[r].name, got, want);
			bad++;
		}
		yes += want;
	}
	if (bad > 0)
		fail_msg("%d (from, to, role) triples disagree", bad);
	assert_int_equal(yes, 32);
	/* A status not written here leads nowhere and nothing leads to it,
	 * and none is missing from status_table. */
	for (s = status_table; s->code != NULL; s++) {
		if (hand_status(s->code))
			continue;
		for (f = 0; f < NELEM(hand_statuses); f++)
		for (r = 0; r < NELEM(hand_roles); r++)
			if (workflow_allowed(s->code, hand_statuses[f],
			    hand_roles[r].bit) || workflow_allowed(
			    hand_statuses[f], s->code, hand_roles[r].bit))
				fail_msg("status %s is not in the table by "
				    "hand", s->code);
	}
	for (f = 0; f < NELEM(hand_statuses); f++)
		if (status_find(hand_statuses[f]) == NULL)
			fail_msg("no status %s", hand_statuses[f]);
}

static void
test_examples(void **state)
{
	struct actor u;
	char err[256];
	long long id;

	memset(&u, 0, sizeof(u));
	u.id = applicant;
	/* An assessor cannot accept a case. */
	u.role_bit = ROLE_ASSESSOR;
	id = case_in("intake_review");
	assert_int_equal(workflow_move(db, id, "accepted", &u, "", 0, err,
	    sizeof(err)), WF_FORBIDDEN);
	/* Assessment cannot start before payment. */
	u.role_bit = ROLE_LEAD;
	id = case_in("agreement_sent");
	assert_int_equal(workflow_move(db, id, "assessment_planning", &u, "",
	    0, err, sizeof(err)), WF_CONFLICT);
	/* Nothing leaves a final status, not even withdrawal. */
	u.role_bit = ROLE_APPLICANT;
	id = case_in("issued");
	assert_int_equal(workflow_move(db, id, "withdrawn", &u, "", 0, err,
	    sizeof(err)), WF_CONFLICT);
}

/* Each guard lets the transition through once its records exist. */
static void
test_guards_pass(void **state)
{
	struct actor u;
	char err[256], sql[512];
	long long id;

	memset(&u, 0, sizeof(u));
	u.id = applicant;

	/* Paid: an effective agreement and entries in effect that add up
	 * to the fee, however many (78,000 + 9,000). */
	u.role_bit = ROLE_LEAD;
	id = case_in("awaiting_payment");
	snprintf(sql, sizeof(sql), "INSERT INTO agreement(case_id, treated_as, "
	    "basis, fee_audit, fee_annual, fee_total, drafted_by, sent_at) "
	    "VALUES (%lld, 'initial', 'b', 7200000, 1500000, 8700000, 1, 'x')",
	    id);
	exec(sql);
	assert_int_equal(workflow_move(db, id, "assessment_planning", &u, "",
	    0, err, sizeof(err)), WF_CONFLICT);	/* not accepted yet */
	snprintf(sql, sizeof(sql), "UPDATE agreement SET accepted_at = 'x' "
	    "WHERE case_id = %lld", id);
	exec(sql);
	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, recorded_by, recorded_at) VALUES (%lld, "
	    "7800000, 'x', 'r1', 1, 'x')", id);
	exec(sql);
	assert_int_equal(workflow_move(db, id, "assessment_planning", &u, "",
	    0, err, sizeof(err)), WF_CONFLICT);	/* 9,000 short */
	assert_non_null(strstr(err, "已缴合计尚未达到应缴费用"));
	/* The second payment covers it; a refund not yet confirmed by a
	 * second officer takes nothing away. */
	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, kind, amount, "
	    "paid_on, reference, recorded_by, recorded_at) VALUES (%lld, "
	    "'payment', 900000, 'x', 'r2', 1, 'x'); INSERT INTO payment("
	    "case_id, kind, amount, paid_on, reference, recorded_by, "
	    "recorded_at) VALUES (%lld, 'refund', 100, 'x', 'r3', 1, 'x')", id,
	    id);
	exec(sql);
	assert_int_equal(workflow_move(db, id, "assessment_planning", &u, "",
	    0, err, sizeof(err)), WF_OK);
	/* Supplement overdue: only after the due date, which runs from
	 * the notice's 送达: never while it is not served. */
	id = case_in("supplement_requested");
	snprintf(sql, sizeof(sql), "INSERT INTO notice(case_id, kind, no, at, "
	    "day, title, body) VALUES (%lld, 'supplement', 'S%lld', 'x', "
	    "'2023-10-01', 't', 'b')", id, id);
	exec(sql);
	assert_int_equal(workflow_move(db, id, "rejected", &u, "", 1700064000,
	    err, sizeof(err)), WF_CONFLICT);
	assert_non_null(strstr(err, "尚未送达"));
	snprintf(sql, sizeof(sql), "INSERT INTO notice_service(notice_id, at, "
	    "day, via, due) SELECT id, 'x', '2023-10-14', 'smtp', "
	    "'2023-11-14' FROM notice WHERE no = 'S%lld'", id);
	exec(sql);
	/* 2023-11-14 16:00 UTC is 2023-11-15 in Beijing: overdue. */
	assert_int_equal(workflow_move(db, id, "rejected", &u, "", 1700064000 -
	    86400 * 2, err, sizeof(err)), WF_CONFLICT);
	assert_int_equal(workflow_move(db, id, "rejected", &u, "", 1700064000,
	    err, sizeof(err)), WF_OK);
}

/* The clock columns kept for the queues agree with the rules module. */
static void
test_clock_cache(void **state)
{
	struct actor u;
	struct rules_clock clk;
	char err[256], sql[2048], day[24];
	sqlite3_stmt *st;
	long long id, t0 = 1767225600;	/* 2026-01-01 00:00 UTC */
	const char *path[] = { "submitted", "intake_review",
	    "supplement_requested", "intake_review", "accepted",
	    "agreement_sent", NULL };
	int i, k, urgency;

	memset(&u, 0, sizeof(u));
	u.id = applicant;
	id = case_in("draft");
	for (i = 0; path[i] != NULL; i++) {
		u.role_bit = strcmp(path[i], "submitted") == 0 ||
		    i == 3 ? ROLE_APPLICANT : ROLE_LEAD;
		assert_int_equal(workflow_move(db, id, path[i], &u, "", t0 +
		    (long long)i * 17 * 86400, err, sizeof(err)), WF_OK);
	}
	/* On many days after, the SQL urgency equals the rules' state. */
	for (k = 0; k < 400; k += 7) {
		date_day(t0 + (long long)(6 * 17 + k) * 86400, day);
		assert_int_equal(workflow_clock(db, id, day, &clk), 0);
		snprintf(sql, sizeof(sql), "SELECT " WF_SQL_URGENCY
		    " FROM cases c WHERE c.id = %lld", id);
		assert_int_equal(sqlite3_prepare_v2(store_db(db), sql, -1, &st,
		    NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		urgency = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (urgency != (int)clk.state)
			fail_msg("%s: SQL urgency %d, rules %d (net %d)", day,
			    urgency, (int)clk.state, clk.net_days);
	}
}

static void
test_events_append_only(void **state)
{
	struct actor u;
	char err[256];
	long long id;
	char *msg = NULL;

	memset(&u, 0, sizeof(u));
	u.id = applicant;
	u.role_bit = ROLE_APPLICANT;
	id = case_in("draft");
	assert_int_equal(workflow_move(db, id, "submitted", &u, "", 0, err,
	    sizeof(err)), WF_OK);
	assert_int_not_equal(sqlite3_exec(store_db(db), "UPDATE event SET "
	    "reason = 'x'", NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(store_db(db), "DELETE FROM event",
	    NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	exec("INSERT INTO notice(case_id, kind, no, at, day, title, body) "
	    "VALUES (1, 'receipt', 'N1', 'x', 'x', 't', 'b')");
	assert_int_not_equal(sqlite3_exec(store_db(db), "UPDATE notice SET "
	    "body = 'y'", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(store_db(db), "DELETE FROM notice",
	    NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
}

static void
test_day_in_shanghai(void **state)
{
	char day[24], stamp[24];

	/* 2026-11-26 16:30 UTC is 2026-11-27 00:30 in Beijing. */
	date_day(1795710600, day);
	assert_string_equal(day, "2026-11-27");
	date_stamp(1795710600, stamp);
	assert_string_equal(stamp, "2026-11-26T16:30:00Z");
	date_day(1795710600 - 3600, day);
	assert_string_equal(day, "2026-11-26");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_transition),
		cmocka_unit_test(test_table_by_hand),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_guards_pass),
		cmocka_unit_test(test_clock_cache),
		cmocka_unit_test(test_events_append_only),
		cmocka_unit_test(test_day_in_shanghai),
	};

	return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
