/*
 * test_payment.c: 立项 (agreement.c, payment.c, money.c) on a temporary
 * database. The fee and its basis come from the frozen round and the
 * rules; sending, accepting and recording a payment each work and write
 * what they should; each is refused, with nothing written, in a wrong
 * status, for a wrong person and for bad input; a payment that does not
 * match the fee is kept only when confirmed with a note, and flagged,
 * and never opens the assessment; and each step checks inside its own
 * transaction (a rival request that changes the case while the step
 * waits for the write lock wins, and the step then refuses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agreement.h"
#include "money.h"
#include "payment.h"
#include "testlib_dom.h"
#include "util.h"

/* A case of the lead's, accepted, its agreement sent. */
static long long
sent_case(void)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, NULL);

	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_OK);
	return id;
}

/* A case awaiting payment of 87,000.00. */
static long long
payable_case(void)
{
	long long id = sent_case();

	assert_int_equal(agreement_accept(td_dom(TD_APPLICANT), id, 1),
	    DOM_OK);
	return id;
}

static void
test_money(void **state)
{
	struct arena *a = arena_new();

	assert_string_equal(money_yuan(a, 8700000), "87,000.00");
	assert_string_equal(money_yuan(a, 0), "0.00");
	assert_string_equal(money_yuan(a, 5), "0.05");
	assert_string_equal(money_yuan(a, 99999), "999.99");
	assert_string_equal(money_yuan(a, 100000), "1,000.00");
	assert_string_equal(money_yuan(a, 123456789012), "1,234,567,890.12");
	assert_string_equal(money_yuan(a, -150), "-1.50");
	assert_string_equal(money_yuan(a, -100000000), "-1,000,000.00");
	arena_free(a);
}

/* The fee of an accepted case whose round holds kv. */
static void
fee_of(const char *const *kv, struct agreement_fee *f)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, kv);
	struct dom *d = td_dom(TD_LEAD);
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(agreement_fee(d, &c, f), DOM_OK);
}

static void
test_fee(void **state)
{
	/* Filed 2027-01-05; a certificate expiring 2028-06-30 is renewed
	 * on time; one that expired 2026-06-01 (over six months before)
	 * is treated as an initial application (§4). The expiries are the
	 * register's (test_maintenance.c shows a typed one is not read). */
	const char *on_time[] = { "app_type", "maintenance", "maint_cert_no",
	    "CNITSEC2025SE2-0042", NULL };
	const char *late[] = { "app_type", "maintenance", "maint_cert_no",
	    "CNITSEC2023SE2-0007", NULL };
	struct agreement_fee f;

	td_exec("INSERT INTO certificate(no, org_id, org_name, uscc, "
	    "issued_on, expires_on, imported_status, imported_at) VALUES "
	    "('CNITSEC2025SE2-0042', 1, '甲公司', '91110108MA01C2XK3X', "
	    "'2025-07-01', '2028-06-30', 'valid', '2027-01-01T00:00:00Z'), "
	    "('CNITSEC2023SE2-0007', 1, '甲公司', '91110108MA01C2XK3X', "
	    "'2023-06-02', '2026-06-01', 'valid', '2027-01-01T00:00:00Z')");

	fee_of(NULL, &f);
	assert_int_equal(f.fee.total, 8700000);
	assert_int_equal(f.fee.audit + f.fee.annual, f.fee.total);
	assert_int_equal(f.fee.treated_as, RULES_APP_INITIAL);
	assert_string_equal(f.basis, "初次申请，按初次申请收费（§9.1）。");

	fee_of(on_time, &f);
	assert_int_equal(f.fee.total, 6300000);
	assert_int_equal(f.fee.treated_as, RULES_APP_MAINTENANCE);
	assert_non_null(strstr(f.basis, "CNITSEC2025SE2-0042"));
	assert_non_null(strstr(f.basis, "申请于 2027-01-05 提交"));
	assert_non_null(strstr(f.basis, "按维持申请收费"));

	fee_of(late, &f);
	assert_int_equal(f.fee.total, 8700000);
	assert_int_equal(f.fee.treated_as, RULES_APP_INITIAL);
	assert_non_null(strstr(f.basis, "视作初次申请"));
}

static void
test_send(void **state)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	const char *before;
	struct dom *d;

	/* The wrong people: another lead, an assessor, a supervisor with
	 * no relation (not found); the applicant (forbidden). */
	before = td_state(id);
	assert_int_equal(agreement_send(td_dom(TD_LEAD2), id), DOM_NOT_FOUND);
	assert_int_equal(agreement_send(td_dom(TD_ASSESSOR), id),
	    DOM_NOT_FOUND);
	assert_int_equal(agreement_send(td_dom(TD_SUPERVISOR), id),
	    DOM_NOT_FOUND);
	d = td_dom(TD_APPLICANT);
	assert_int_equal(agreement_send(d, id), DOM_FORBIDDEN);
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_LEAD);
	assert_int_equal(agreement_send(d, id), DOM_OK);
	assert_string_equal(td_status(id), "agreement_sent");
	assert_int_equal(td_int("SELECT fee_total FROM agreement WHERE "
	    "case_id = ?1 AND treated_as = 'initial' AND drafted_by = 2 AND "
	    "accepted_at IS NULL", id), 8700000);
	assert_string_equal(td_text("SELECT reason FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1", id), "委托协议已发送，费用 "
	    "87,000.00 元");
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE case_id "
	    "= ?1 AND kind = 'agreement'", id), "87,000.00"));
	assert_int_equal(td_int("SELECT count(*) FROM outbox WHERE case_id = "
	    "?1", id), 1);

	/* Not twice. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(agreement_send(d, id), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "不能发送委托协议"));
	assert_string_equal(td_state(id), before);
	/* Not before acceptance. */
	id = td_case(ST_INTAKE_REVIEW, TD_LEAD, NULL);
	before = td_state(id);
	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
}

static void
test_send_race(void **state)
{
	long long id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	char sql[512];

	/* The same lead's other tab sends it first. */
	snprintf(sql, sizeof(sql), "%s; INSERT INTO agreement(case_id, "
	    "treated_as, basis, fee_audit, fee_annual, fee_total, drafted_by, "
	    "sent_at) VALUES (%lld, 'initial', 'b', 7200000, 1500000, 8700000, "
	    "2, 'x')", td_set_status(id, ST_AGREEMENT_SENT, 0), id);
	td_rival(sql, 300);
	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_CONFLICT);
	td_rival_done();
	assert_int_equal(td_int("SELECT count(*) FROM agreement WHERE case_id "
	    "= ?1", id), 1);
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1", id), 0);

	/* The case is handed to another lead while the send waits: the
	 * first lead may no longer send it (nor see it). */
	id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	td_rival(td_set_status(id, ST_ACCEPTED, TD_LEAD2), 300);
	assert_int_equal(agreement_send(td_dom(TD_LEAD), id), DOM_NOT_FOUND);
	td_rival_done();
	assert_string_equal(td_status(id), "accepted");
	assert_int_equal(td_int("SELECT count(*) FROM agreement WHERE case_id "
	    "= ?1", id), 0);
}

static void
test_accept(void **state)
{
	long long id = sent_case();
	struct agreement a;
	struct case_ref c;
	const char *before;
	char stamp[DATE_BUFSZ];
	struct dom *d;

	before = td_state(id);
	d = td_dom(TD_APPLICANT);
	assert_int_equal(agreement_accept(d, id, 0), DOM_INVALID);
	assert_string_equal(d->field, "confirm");
	assert_non_null(strstr(d->msg, "我单位同意委托协议的全部条款"));
	assert_int_equal(agreement_accept(td_dom(TD_OUTSIDER), id, 1),
	    DOM_NOT_FOUND);
	d = td_dom(TD_LEAD);
	assert_int_equal(agreement_accept(d, id, 1), DOM_FORBIDDEN);
	assert_int_equal(agreement_accept(td_dom(TD_CERT), id, 1),
	    DOM_FORBIDDEN);
	assert_string_equal(td_state(id), before);

	d = td_dom(TD_APPLICANT);
	assert_int_equal(agreement_accept(d, id, 1), DOM_OK);
	assert_string_equal(td_status(id), "awaiting_payment");
	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(agreement_load(d, &c, &a), DOM_OK);
	assert_true(a.exists);
	assert_string_equal(a.accepted_at, date_stamp(TD_NOW, stamp));
	assert_int_equal(td_int("SELECT accepted_by FROM agreement WHERE "
	    "case_id = ?1", id), TD_APPLICANT);
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE case_id "
	    "= ?1 AND kind = 'payment'", id), "87,000.00"));

	/* Once. */
	before = td_state(id);
	assert_int_equal(agreement_accept(td_dom(TD_APPLICANT), id, 1),
	    DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
}

static void
test_accept_race(void **state)
{
	long long id = sent_case();

	/* Withdrawn while the acceptance waits. */
	td_rival(td_set_status(id, ST_WITHDRAWN, 0), 300);
	assert_int_equal(agreement_accept(td_dom(TD_APPLICANT), id, 1),
	    DOM_CONFLICT);
	td_rival_done();
	assert_int_equal(td_int("SELECT count(accepted_at) FROM agreement "
	    "WHERE case_id = ?1", id), 0);
	assert_int_equal(td_int("SELECT count(*) FROM notice WHERE case_id = "
	    "?1 AND kind = 'payment'", id), 0);
}

static void
test_check(void **state)
{
	struct payment_input bad = { 0, "2027-01-16", "", "", 0 };
	struct payment_input bad2 = { -5, "2027-02-30", "line\nbreak", "", 0 };
	struct payment_input good = { 1, TD_TODAY, "BANK-1", "", 0 };
	struct payment_error errs[PAYMENT_NERRORS];
	struct dom *d = td_dom(TD_LEAD);

	assert_int_equal(payment_check(d, &bad, errs), 3);
	assert_string_equal(errs[0].field, "amount");
	assert_string_equal(errs[1].field, "paid_on");	/* tomorrow */
	assert_string_equal(errs[2].field, "reference");
	assert_int_equal(payment_check(d, &bad2, errs), 3);
	assert_int_equal(payment_check(d, &good, errs), 0);
}

static void
test_record(void **state)
{
	long long id = payable_case();
	struct payment_input bad = { 8700000, "2027-01-16", "BANK-0", "", 0 };
	struct payment_input wrong = { 8000000, "2027-01-10", "BANK-1", "", 0 };
	struct payment_input wrong_ok = { 8000000, "2027-01-10", "BANK-1",
	    "少付 7000 元", 1 };
	struct payment_input no_note = { 8000000, "2027-01-10", "BANK-1", "",
	    1 };
	struct payment_input right = { 8700000, "2027-01-12", "BANK-2", "",
	    0 };
	struct payment *p;
	struct case_ref c;
	const char *before;
	struct dom *d;
	size_t n;
	int mismatch = -1;

	/* Bad input, a mismatch not confirmed or without a note, the
	 * wrong people: nothing written. */
	before = td_state(id);
	d = td_dom(TD_LEAD);
	assert_int_equal(payment_record(d, id, &bad, &mismatch), DOM_INVALID);
	assert_string_equal(d->field, "paid_on");
	assert_int_equal(payment_record(d, id, &wrong, &mismatch),
	    DOM_INVALID);
	assert_int_equal(mismatch, 1);
	assert_string_equal(d->field, "amount");
	assert_non_null(strstr(d->msg, "实收金额 80,000.00 元与应缴费用 "
	    "87,000.00 元不符"));
	mismatch = -1;
	assert_int_equal(payment_record(d, id, &no_note, &mismatch),
	    DOM_INVALID);
	assert_int_equal(mismatch, 1);
	assert_int_equal(payment_record(td_dom(TD_LEAD2), id, &right, NULL),
	    DOM_NOT_FOUND);
	assert_int_equal(payment_record(td_dom(TD_ASSESSOR), id, &right,
	    NULL), DOM_NOT_FOUND);
	assert_int_equal(payment_record(td_dom(TD_APPLICANT), id, &right,
	    NULL), DOM_FORBIDDEN);
	assert_string_equal(td_state(id), before);

	/* A confirmed mismatch is kept, flagged; the case waits. */
	d = td_dom(TD_LEAD);
	assert_int_equal(payment_record(d, id, &wrong_ok, &mismatch), DOM_OK);
	assert_int_equal(mismatch, 1);
	assert_string_equal(td_status(id), "awaiting_payment");
	assert_int_equal(td_int("SELECT mismatch FROM payment WHERE case_id "
	    "= ?1", id), 1);

	/* The matching one, by certificate staff, opens the assessment. */
	d = td_dom(TD_CERT);
	assert_int_equal(payment_record(d, id, &right, &mismatch), DOM_OK);
	assert_int_equal(mismatch, 0);
	assert_string_equal(td_status(id), "assessment_planning");
	assert_string_equal(td_text("SELECT reason FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1", id), "登记缴费 87,000.00 元"
	    "（BANK-2），进入评估");

	/* Listed in order; the lead and certificate staff still read them
	 * in assessment_planning (a refund may follow). */
	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(payment_list(d, &c, &p, &n), DOM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].amount, 8000000);
	assert_true(p[0].mismatch);
	assert_string_equal(p[0].note, "少付 7000 元");
	assert_string_equal(p[0].by, "李负责");
	assert_int_equal(p[1].amount, 8700000);
	assert_false(p[1].mismatch);
	assert_string_equal(p[1].by, "陈制证");
	assert_int_equal(access_case(td_dom(TD_CERT), id, PART_PAYMENTS, &c),
	    DOM_OK);

	/* Paid: no more payments. */
	before = td_state(id);
	assert_int_equal(payment_record(td_dom(TD_LEAD), id, &right, NULL),
	    DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
}

static void
test_record_race(void **state)
{
	long long id = payable_case();
	struct payment_input right = { 8700000, "2027-01-12", "BANK-9", "",
	    0 };
	char sql[512];

	/* The lead and certificate staff record the same transfer at
	 * once: the second must not be recorded. */
	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, recorded_by, recorded_at) VALUES (%lld, "
	    "8700000, '2027-01-12', 'BANK-9', 5, 'x'); %s", id,
	    td_set_status(id, ST_ASSESSMENT_PLANNING, 0));
	td_rival(sql, 300);
	assert_int_equal(payment_record(td_dom(TD_LEAD), id, &right, NULL),
	    DOM_CONFLICT);
	td_rival_done();
	assert_int_equal(td_int("SELECT count(*) FROM payment WHERE case_id = "
	    "?1", id), 1);

	/* Handed to another lead while the payment waits. */
	id = payable_case();
	td_rival(td_set_status(id, ST_AWAITING_PAYMENT, TD_LEAD2), 300);
	assert_int_equal(payment_record(td_dom(TD_LEAD), id, &right, NULL),
	    DOM_NOT_FOUND);
	td_rival_done();
	assert_int_equal(td_int("SELECT count(*) FROM payment WHERE case_id = "
	    "?1", id), 0);
	assert_string_equal(td_status(id), "awaiting_payment");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_fee),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_send_race),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_accept_race),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_record_race),
	};

	return cmocka_run_group_tests_name("立项 (agreement.c, payment.c)",
	    tests, td_setup, td_teardown);
}
