/*
 * test_scale.c: reads whose cost must not grow with the number of cases
 * (issue 18: every page keeps its rate from 1,000 to 100,000 cases). Not
 * timed: the work SQLite does (its virtual machine's steps, summed over
 * every statement of the connection) for the same read, before and after
 * 3,000 more open cases, each with a payment and its reversal, join the
 * database (each test adds its 3,000 to those of the tests before it).
 * A plan that walks the open cases, or every payment, for each row it
 * returns makes that work grow with them (both did, after issue 15).
 *
 *  - the public verification of a certificate (certificate.c's
 *    CERT_COLS: an open on-time maintenance case is looked for from the
 *    certificate's maintenance rows, not from every open case);
 *  - the payment ledger of a case page (payment.c: the entry reversing
 *    each entry found through schema.sql's payment_reverses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "access.h"
#include "certificate.h"
#include "payment.h"
#include "store.h"
#include "testlib_dom.h"

#define MORE_CASES	3000

/* The steps of every statement of the connection since the last call. */
static long long
steps(void)
{
	sqlite3 *db = store_db(td_dom(0)->store);
	sqlite3_stmt *st = NULL;
	long long n = 0;

	while ((st = sqlite3_next_stmt(db, st)) != NULL)
		n += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
	return n;
}

/* MORE_CASES open cases of another lead, each paid and the payment
 * reversed. */
static void
grow(void)
{
	long long from = td_int("SELECT coalesce(max(id), 0) FROM payment", 0);
	char sql[512];

	td_exec("WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	    "FROM k WHERE i < 3000) INSERT INTO cases(org_id, status, "
	    "is_open, lead_id, created_by) SELECT 2, 'assessing', 1, 3, 6 "
	    "FROM k");
	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, recorded_by, recorded_at) SELECT id, 100, "
	    "'2027-01-01', 'r' || id, 3, 'x' FROM cases WHERE org_id = 2 AND "
	    "id NOT IN (SELECT case_id FROM payment); INSERT INTO "
	    "payment(case_id, kind, amount, paid_on, reference, reverses, "
	    "recorded_by, recorded_at) SELECT case_id, 'reversal', 100, "
	    "'2027-01-02', 'v' || id, id, 3, 'x' FROM payment WHERE id > %lld",
	    from);
	td_exec(sql);
}

/* The work of fn(arg), once its statements are prepared and warm. */
static long long
work(void (*fn)(long long), long long arg)
{
	fn(arg);
	steps();
	fn(arg);
	return steps();
}

/* Fails unless the work of fn(arg) stays within a tenth of itself when
 * MORE_CASES cases join. */
static void
flat(const char *what, void (*fn)(long long), long long arg)
{
	long long small = work(fn, arg), big;

	grow();
	big = work(fn, arg);
	print_message("%s: %lld steps, %lld with %d more cases\n", what,
	    small, big, MORE_CASES);
	if (big > small + small / 10)
		fail_msg("%s grows with the cases: %lld steps, then %lld", what,
		    small, big);
}

static void
verify(long long unused)
{
	struct certificate c;

	assert_int_equal(certificate_verify(td_dom(0), "CNITSEC2026SE2-9001",
	    &c), DOM_OK);
}

static void
test_verify(void **state)
{
	td_exec("INSERT INTO certificate(no, org_name, uscc, issued_on, "
	    "expires_on, imported_status, imported_at) VALUES "
	    "('CNITSEC2026SE2-9001', '甲公司', '91110108MA01ABCD3X', "
	    "'2026-01-10', '2029-01-09', 'valid', 'x')");
	flat("verification", verify, 0);
}

static void
ledger(long long id)
{
	struct dom *d = td_dom(TD_LEAD);
	struct payment_ledger l;
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(payment_ledger(d, &c, &l), DOM_OK);
}

static void
test_ledger(void **state)
{
	long long id = td_case(ST_AWAITING_PAYMENT, TD_LEAD, NULL);
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, recorded_by, recorded_at) VALUES (%lld, "
	    "500, '2027-01-03', 'a', %d, 'x'), (%lld, 700, '2027-01-04', 'b', "
	    "%d, 'x')", id, TD_LEAD, id, TD_LEAD);
	td_exec(sql);
	flat("payment ledger", ledger, id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_ledger),
	};

	return cmocka_run_group_tests_name("reads flat with the data", tests,
	    td_setup, td_teardown);
}
