/*
 * test_seed.c: `zizhi seed` makes data as real as the product's (issue
 * 19, item 11): every case reached by the product's own steps, so every
 * invariant those steps keep holds in the seeded database: no
 * organisation holds two initial certificates at once; every round has
 * its frozen values and files; every review its findings; every expert
 * conclusion a panel that declared; every issued case a certificate and
 * its 发证 notice; the events' hash chain whole; the clock columns as
 * the events say. Run in process on a temporary database.
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

#include "cli.h"
#include "testlib_store.h"
#include "workflow.h"

#define NCASES	"400"
#define TODAY	"2026-12-06"

static char dir[] = "/tmp/zizhi-seed.XXXXXX";
static struct store *db;

/* The integer sql answers (?1 bound to TODAY when it asks for it). */
static long long
n(const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	if (sqlite3_prepare_v2(store_db(db), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(db)));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_text(st, 1, TODAY, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The same, which must be 0; says what it counted otherwise. */
static void
none(const char *what, const char *sql)
{
	long long v = n(sql);

	if (v != 0)
		fail_msg("%lld %s", v, what);
}

static int
setup(void **state)
{
	char path[300];
	char *argv[] = { "seed", "--db", path, "--cases", NCASES, "--seed",
	    "7", "--today", TODAY, NULL };

	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(cli_seed(9, argv), 0);
	return 0;
}

static int
teardown(void **state)
{
	ts_close(db, dir);
	return 0;
}

static void
test_counts(void **state)
{
	assert_int_equal(n("SELECT count(*) FROM cases"), atoi(NCASES));
	/* Cases in every status. */
	assert_int_equal(n("SELECT count(DISTINCT status) FROM cases"), 15);
	/* Organisations with histories: more than one case for some. */
	assert_true(n("SELECT count(*) FROM (SELECT org_id FROM cases GROUP "
	    "BY org_id HAVING count(*) > 1)") > 0);
}

static void
test_certificates(void **state)
{
	/* No organisation holds two initial certificates at once. */
	none("organisations with two valid initial certificates",
	    "SELECT count(*) FROM (SELECT c.org_id FROM certificate ce JOIN "
	    "cases c ON c.id = ce.case_id WHERE ce.expires_on >= ?1 AND NOT "
	    "EXISTS (SELECT 1 FROM round r JOIN round_value v ON v.round_id = "
	    "r.id AND v.field = 'app_type' AND v.value = 'maintenance' WHERE "
	    "r.case_id = c.id AND r.n = 1) GROUP BY c.org_id HAVING count(*) "
	    "> 1)");
	/* Later applications maintain the certificate held. */
	assert_true(n("SELECT count(*) FROM round r JOIN round_value v ON "
	    "v.round_id = r.id AND v.field = 'app_type' AND v.value = "
	    "'maintenance' WHERE r.n = 1") > 0);
	/* Every issued case: its certificate in an approved batch, and its
	 * 发证 notice. */
	none("issued cases without a certificate", "SELECT count(*) FROM cases "
	    "c WHERE c.status = 'issued' AND NOT EXISTS (SELECT 1 FROM "
	    "certificate ce JOIN cert_batch b ON b.id = ce.batch_id AND "
	    "b.approved_by IS NOT NULL WHERE ce.case_id = c.id)");
	none("issued cases without a 发证 notice", "SELECT count(*) FROM cases "
	    "c WHERE c.status = 'issued' AND NOT EXISTS (SELECT 1 FROM notice "
	    "n WHERE n.case_id = c.id AND n.kind = 'issuance')");
}

static void
test_records(void **state)
{
	none("rounds without frozen values", "SELECT count(*) FROM round r "
	    "WHERE NOT EXISTS (SELECT 1 FROM round_value v WHERE v.round_id = "
	    "r.id)");
	none("rounds without frozen files", "SELECT count(*) FROM round r "
	    "WHERE NOT EXISTS (SELECT 1 FROM round_file f WHERE f.round_id = "
	    "r.id)");
	none("rounds without a receipt", "SELECT count(*) FROM round r WHERE "
	    "NOT EXISTS (SELECT 1 FROM notice n WHERE n.round_id = r.id AND "
	    "n.kind = 'receipt')");
	none("reviews without findings", "SELECT count(*) FROM cases c WHERE "
	    "EXISTS (SELECT 1 FROM event e WHERE e.case_id = c.id AND "
	    "e.to_status IN ('accepted', 'rejected', 'supplement_requested')) "
	    "AND NOT EXISTS (SELECT 1 FROM finding f WHERE f.case_id = c.id)");
	none("supplement notices without items", "SELECT count(*) FROM notice "
	    "n WHERE n.kind = 'supplement' AND NOT EXISTS (SELECT 1 FROM "
	    "supplement_item i WHERE i.notice_id = n.id)");
	none("expert conclusions without a declared panel", "SELECT count(*) "
	    "FROM expert_conclusion x WHERE NOT EXISTS (SELECT 1 FROM "
	    "panel_member p WHERE p.case_id = x.case_id AND p.declared_at IS "
	    "NOT NULL)");
	none("audit conclusions without a plan and team", "SELECT count(*) "
	    "FROM audit_conclusion a WHERE NOT EXISTS (SELECT 1 FROM "
	    "audit_plan p WHERE p.case_id = a.case_id) OR NOT EXISTS (SELECT "
	    "1 FROM team_member t WHERE t.case_id = a.case_id)");
	none("payments not of the agreement's fee", "SELECT count(*) FROM "
	    "payment p JOIN agreement a ON a.case_id = p.case_id WHERE "
	    "p.amount <> a.fee_total");
	none("events that change no status", "SELECT count(*) FROM event "
	    "WHERE from_status = to_status");
	none("cases whose status is not their last event's", "SELECT count(*) "
	    "FROM cases c WHERE c.status <> 'draft' AND c.status <> (SELECT "
	    "e.to_status FROM event e WHERE e.case_id = c.id ORDER BY e.id DESC "
	    "LIMIT 1)");
	/* Late answers, flagged; supplements past their due date. */
	assert_true(n("SELECT count(*) FROM round WHERE late = 1") > 0);
	assert_true(n("SELECT count(*) FROM cases WHERE status = "
	    "'supplement_requested' AND supplement_due < ?1") > 0);
	/* Mail as a sweep would have left it. */
	none("messages still pending", "SELECT count(*) FROM outbox WHERE "
	    "state = 'pending'");
}

/* The hash chain and the clocks: as the steps wrote them. */
static void
test_chain_and_clocks(void **state)
{
	char path[300];
	char *argv[] = { "verify", "--db", path, NULL };
	struct rules_clock clk;
	sqlite3_stmt *st;
	long long id;
	int checked = 0;

	snprintf(path, sizeof(path), "%s/t.db", dir);
	assert_int_equal(cli_verify(3, argv), 0);
	/* Every clock column as the events give it on the last step's day
	 * (workflow_clock_cache), against the rules from the events. */
	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT id FROM "
	    "cases WHERE clock_stopped IS NOT NULL", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		assert_int_equal(workflow_clock(db, id, TODAY, &clk), 0);
		assert_true(clk.stopped);
		checked++;
	}
	sqlite3_finalize(st);
	assert_true(checked > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_chain_and_clocks),
	};

	return cmocka_run_group_tests_name("seed", tests, setup, teardown);
}
