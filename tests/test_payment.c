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
#include "store.h"
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

/* A payment as the bank shows it. */
static struct payment_input
paid(long long fen, const char *on, const char *ref, const char *line)
{
	struct payment_input in = { fen, on, "甲公司", ref, line, "" };

	return in;
}

/* The ledger of case id as actor who reads it. */
static void
ledger_of(long long who, long long id, struct payment_ledger *l)
{
	struct dom *d = td_dom_at(who, 30);
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(payment_ledger(d, &c, l), DOM_OK);
}

static void
test_capital(void **state)
{
	static const struct {
		long long	 fen;
		const char	*want;
	} cases[] = {
		{ 8700000, "捌万柒仟元整" },
		{ 10050000, "壹拾万零伍佰元整" },
		{ 5, "伍分" },
		{ 50, "伍角" },
		{ 105, "壹元零伍分" },
		{ 150, "壹元伍角" },
		{ 155, "壹元伍角伍分" },
		{ 0, "零元整" },
		{ 100, "壹元整" },
		{ 1000, "壹拾元整" },
		{ 1500, "壹拾伍元整" },
		{ 6300000, "陆万叁仟元整" },
		{ 7200000, "柒万贰仟元整" },
		{ 1500000, "壹万伍仟元整" },
		{ 100100, "壹仟零壹元整" },
		{ 1001000, "壹万零壹拾元整" },
		{ 100000000, "壹佰万元整" },
		{ 100100000, "壹佰万壹仟元整" },
		{ 10000000100LL, "壹亿零壹元整" },
		{ 10000000000LL, "壹亿元整" },
		{ 10000100000LL, "壹亿零壹仟元整" },
		{ 123456789012LL, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分" },
		{ 100005, "壹仟元零伍分" },
		{ 100050, "壹仟元伍角" },
		{ -150, "负壹元伍角" },
	};
	struct arena *a = arena_new();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(money_capital(a, cases[i].fen), cases[i].want) != 0)
			fail_msg("%lld fen: \"%s\", want \"%s\"", cases[i].fen,
			    money_capital(a, cases[i].fen), cases[i].want);
	/* 10^16 yuan and more cannot be written. */
	assert_non_null(money_capital(a, 999999999999999999LL));
	assert_null(money_capital(a, 1000000000000000000LL));
	arena_free(a);
}

static void
test_record_fields(void **state)
{
	long long id = payable_case();
	struct payment_input bad = { 0, "2027-02-30", "", "line\nbreak",
	    "lunch", NULL };
	struct payment_input future = paid(8700000, "2027-01-16", "B-1", "");
	struct payment_input early = paid(8700000, "2027-01-14", "B-1", "");
	struct payment_error errs[PAYMENT_NERRORS];
	const char *before = td_state(id);
	struct dom *d;
	size_t n = 99;

	/* Every wrong field at once, nothing written. */
	d = td_dom(TD_LEAD);
	assert_int_equal(payment_record(d, id, &bad, errs, &n, NULL),
	    DOM_INVALID);
	assert_int_equal(n, 5);
	assert_string_equal(errs[0].field, "amount");
	assert_string_equal(errs[1].field, "paid_on");
	assert_string_equal(errs[2].field, "payer");
	assert_string_equal(errs[3].field, "reference");
	assert_string_equal(errs[4].field, "line");
	assert_string_equal(d->field, "amount");
	/* A 到账日期 in the future (tomorrow) is refused at the field. */
	d = td_dom(TD_LEAD);
	assert_int_equal(payment_record(d, id, &future, errs, &n, NULL),
	    DOM_INVALID);
	assert_int_equal(n, 1);
	assert_string_equal(d->field, "paid_on");
	assert_string_equal(d->msg, "到账日期 2027-01-16 晚于今天（2027-01-15）："
	    "请填写银行回单上款项实际到账的日期。");
	/* One before the agreement took effect (accepted 2027-01-15) too,
	 * even seen from later on. */
	d = td_dom_at(TD_LEAD, 5);
	assert_int_equal(payment_record(d, id, &early, errs, &n, NULL),
	    DOM_INVALID);
	assert_string_equal(d->field, "paid_on");
	assert_string_equal(d->msg, "到账日期 2027-01-14 早于委托协议生效之日"
	    "（2027-01-15）：协议生效前不会有本案的款项，请核对银行回单上的日期。");
	assert_string_equal(td_state(id), before);
	/* The day it took effect is fine. */
	early.paid_on = "2027-01-15";
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &early,
	    errs, &n, NULL), DOM_OK);
}

static void
test_split(void **state)
{
	long long id = payable_case(), id2;
	struct payment_input p1 = paid(7800000, "2027-01-15", "ICBC-1", "");
	struct payment_input p2 = paid(900000, "2027-01-20", "ICBC-2", "");
	struct payment_input audit = paid(7200000, "2027-01-16", "ABC-1",
	    "audit");
	struct payment_input annual = paid(1500000, "2027-01-18", "ABC-2",
	    "annual");
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_outcome out;
	struct payment_ledger l;
	const char *before;
	size_t n;

	/* 78,000 + 9,000: the first leaves the case waiting, 9,000 owed. */
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &p1, errs,
	    &n, &out), DOM_OK);
	assert_false(out.opened);
	assert_int_equal(out.paid, 7800000);
	assert_int_equal(out.owed, 900000);
	assert_string_equal(td_status(id), "awaiting_payment");
	ledger_of(TD_APPLICANT, id, &l);
	assert_int_equal(l.owed, 900000);
	assert_int_equal(l.paid_audit, 7200000);
	assert_int_equal(l.paid_annual, 600000);
	/* The same bank slip twice is refused, nothing written. */
	before = td_state(id);
	assert_int_equal(payment_record(td_dom_at(TD_CERT, 5), id, &p1, errs,
	    &n, NULL), DOM_INVALID);
	assert_string_equal(errs[0].field, "reference");
	assert_string_equal(td_state(id), before);
	/* The second, by certificate staff, covers it: 评估 opens. */
	assert_int_equal(payment_record(td_dom_at(TD_CERT, 6), id, &p2, errs,
	    &n, &out), DOM_OK);
	assert_true(out.opened);
	assert_int_equal(out.owed, 0);
	assert_string_equal(td_status(id), "assessment_planning");
	assert_string_equal(td_text("SELECT reason FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1", id), "登记缴费 9,000.00 元"
	    "（ICBC-2），已缴合计 87,000.00 元，应缴 87,000.00 元，缴费足额，"
	    "进入评估");

	/* 审核费 72,000 and 年金 15,000 separately, by line. */
	id2 = payable_case();
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id2, &audit,
	    errs, &n, &out), DOM_OK);
	assert_false(out.opened);
	ledger_of(TD_LEAD, id2, &l);
	assert_int_equal(l.paid_audit, 7200000);
	assert_int_equal(l.paid_annual, 0);
	assert_int_equal(l.owed, 1500000);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.entries[0].line_zh, "审核费");
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id2, &annual,
	    errs, &n, &out), DOM_OK);
	assert_true(out.opened);
	assert_string_equal(td_status(id2), "assessment_planning");
	ledger_of(TD_APPLICANT, id2, &l);
	assert_int_equal(l.paid, 8700000);
	assert_int_equal(l.paid_annual, 1500000);
	assert_int_equal(l.credit, 0);
}

static void
test_overpay(void **state)
{
	long long id = payable_case();
	struct payment_input p1 = paid(8000000, "2027-01-15", "CCB-1", "");
	struct payment_input p2 = paid(800000, "2027-01-17", "CCB-2", "");
	struct payment_input late = paid(8700000, "2027-01-19", "CCB-3", "");
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_outcome out;
	struct payment_ledger l;
	size_t n;

	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &p1, errs,
	    &n, &out), DOM_OK);
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &p2, errs,
	    &n, &out), DOM_OK);
	/* 88,000 against 87,000: open, and 1,000 flagged as a credit. */
	assert_true(out.opened);
	assert_int_equal(out.credit, 100000);
	ledger_of(TD_APPLICANT, id, &l);
	assert_int_equal(l.credit, 100000);
	assert_int_equal(l.refundable, 100000);
	/* Money arriving after the gate is recorded too, as a credit. */
	assert_int_equal(payment_record(td_dom_at(TD_CERT, 5), id, &late, errs,
	    &n, &out), DOM_OK);
	assert_false(out.opened);
	assert_int_equal(out.credit, 8800000);
	assert_string_equal(td_status(id), "assessment_planning");
}

/* The id of the last ledger entry. */
static long long
last_entry(void)
{
	return td_int("SELECT max(id) FROM payment", 0);
}

static void
test_reversal(void **state)
{
	long long id = payable_case(), wrong_id, rev;
	struct payment_input wrong = paid(870000, "2027-01-15", "BOC-1", "");
	struct payment_input right = paid(8700000, "2027-01-15", "BOC-2", "");
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_outcome out;
	struct payment_ledger l;
	const char *before;
	struct dom *d;
	size_t n;

	/* 8,700.00 typed for a transfer of 87,000.00. */
	assert_int_equal(payment_record(td_dom_at(TD_CERT, 5), id, &wrong,
	    errs, &n, NULL), DOM_OK);
	wrong_id = last_entry();
	/* A reversal needs its reason; the applicant may not ask. */
	before = td_state(id);
	d = td_dom_at(TD_CERT, 5);
	assert_int_equal(payment_reverse(d, id, wrong_id, ""), DOM_INVALID);
	assert_string_equal(d->field, "reason");
	assert_int_equal(payment_reverse(td_dom(TD_APPLICANT), id, wrong_id,
	    "x"), DOM_FORBIDDEN);
	assert_int_equal(payment_reverse(td_dom(TD_CERT), id, 999999, "x"),
	    DOM_NOT_FOUND);
	assert_string_equal(td_state(id), before);
	assert_int_equal(payment_reverse(td_dom_at(TD_CERT, 5), id, wrong_id,
	    "金额录入错误，应为 87,000.00 元"), DOM_OK);
	rev = last_entry();
	/* Waiting: it does not count yet, and cannot be asked twice. */
	ledger_of(TD_LEAD, id, &l);
	assert_int_equal(l.paid, 870000);
	assert_int_equal(l.pending, 1);
	assert_true(l.entries[1].pending);
	assert_int_equal(l.entries[1].reverses, wrong_id);
	assert_int_equal(l.entries[0].reversed_by, rev);
	assert_int_equal(payment_reverse(td_dom_at(TD_LEAD, 5), id, wrong_id,
	    "again"), DOM_CONFLICT);
	/* The officer who asked for it may not confirm it... */
	before = td_state(id);
	d = td_dom_at(TD_CERT, 5);
	assert_int_equal(payment_decide(d, id, rev, 1, ""), DOM_FORBIDDEN);
	assert_non_null(strstr(d->msg, "另一位制证工作人员"));
	/* ...nor may a lead, nor anyone by going round the domain: the
	 * database refuses a decision by the recorder. */
	assert_int_equal(payment_decide(td_dom(TD_LEAD), id, rev, 1, ""),
	    DOM_FORBIDDEN);
	assert_string_equal(td_state(id), before);
	assert_int_equal(td_int("SELECT count(*) FROM payment_decision", 0),
	    0);
	{
		char sql[256];
		char *err = NULL;

		snprintf(sql, sizeof(sql), "INSERT INTO payment_decision("
		    "entry_id, verdict, by_id, at) VALUES (%lld, 'confirmed', "
		    "%d, 'x')", rev, TD_CERT);
		assert_int_not_equal(sqlite3_exec(store_db(td_dom(0)->store),
		    sql, NULL, NULL, &err), SQLITE_OK);
		sqlite3_free(err);
	}
	/* A second officer confirms: the wrong entry is undone. */
	assert_int_equal(payment_decide(td_dom_at(TD_CERT2, 5), id, rev, 1,
	    "已核对银行回单"), DOM_OK);
	ledger_of(TD_LEAD, id, &l);
	assert_int_equal(l.paid, 0);
	assert_int_equal(l.owed, 8700000);
	assert_string_equal(l.entries[1].decided_by, "钱制证");
	assert_true(l.entries[1].effective);
	assert_int_equal(payment_decide(td_dom_at(TD_CERT2, 5), id, rev, 1,
	    ""), DOM_CONFLICT);		/* once */
	/* A reversal is not reversed; the right amount is recorded anew. */
	assert_int_equal(payment_reverse(td_dom_at(TD_CERT2, 5), id, rev, "x"),
	    DOM_CONFLICT);
	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &right,
	    errs, &n, &out), DOM_OK);
	assert_true(out.opened);
	/* The entries themselves are never edited nor deleted. */
	{
		char *err = NULL;

		assert_int_not_equal(sqlite3_exec(store_db(td_dom(0)->store),
		    "UPDATE payment SET amount = 8700000", NULL, NULL, &err),
		    SQLITE_OK);
		assert_non_null(strstr(err, "never edited"));
		sqlite3_free(err);
		err = NULL;
		assert_int_not_equal(sqlite3_exec(store_db(td_dom(0)->store),
		    "DELETE FROM payment", NULL, NULL, &err), SQLITE_OK);
		assert_non_null(strstr(err, "never deleted"));
		sqlite3_free(err);
	}
}

static void
test_refund(void **state)
{
	long long id = payable_case(), rid;
	struct payment_input p1 = paid(7800000, "2027-01-15", "R-1", "");
	struct payment_input back = paid(7800001, "2027-01-25", "R-OUT", "");
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_ledger l;
	struct dom *d;
	size_t n;

	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &p1, errs,
	    &n, NULL), DOM_OK);
	/* Nothing to refund while the case is open and owes money. */
	back.note = "撤回申请";
	d = td_dom_at(TD_CERT, 10);
	assert_int_equal(payment_refund(d, id, &back, errs, &n), DOM_INVALID);
	assert_string_equal(d->field, "amount");
	assert_non_null(strstr(d->msg, "没有可退的款项"));
	/* Withdrawn: everything paid may go back, no more; with a reason;
	 * only certificate staff record it. */
	td_exec(td_set_status(id, ST_WITHDRAWN, 0));
	d = td_dom_at(TD_CERT, 10);
	assert_int_equal(payment_refund(d, id, &back, errs, &n), DOM_INVALID);
	assert_non_null(strstr(d->msg, "不能超过可退金额 78,000.00 元"));
	back.amount = 7800000;
	back.note = "";
	d = td_dom_at(TD_CERT, 10);
	assert_int_equal(payment_refund(d, id, &back, errs, &n), DOM_INVALID);
	assert_string_equal(d->field, "note");
	back.note = "撤回申请";
	assert_int_equal(payment_refund(td_dom_at(TD_LEAD, 10), id, &back,
	    errs, &n), DOM_FORBIDDEN);
	assert_int_equal(payment_refund(td_dom_at(TD_CERT, 10), id, &back,
	    errs, &n), DOM_OK);
	rid = last_entry();
	ledger_of(TD_APPLICANT, id, &l);
	assert_int_equal(l.paid, 7800000);	/* not yet confirmed */
	assert_int_equal(l.refundable, 0);	/* nor asked twice */
	assert_int_equal(payment_decide(td_dom_at(TD_CERT, 10), id, rid, 1,
	    ""), DOM_FORBIDDEN);
	assert_int_equal(payment_decide(td_dom_at(TD_CERT2, 10), id, rid, 1,
	    ""), DOM_OK);
	ledger_of(TD_APPLICANT, id, &l);
	assert_int_equal(l.paid, 0);
	assert_int_equal(l.entries[1].kind, PAYMENT_REFUND);
	assert_int_equal(l.entries[1].signed_amount, -7800000);
}

static void
test_decline_invoice(void **state)
{
	long long id = payable_case(), pid, rev;
	struct payment_input p1 = paid(8700000, "2027-01-15", "I-1", "");
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_ledger l;
	const char *before;
	struct dom *d;
	size_t n;

	assert_int_equal(payment_record(td_dom_at(TD_LEAD, 5), id, &p1, errs,
	    &n, NULL), DOM_OK);
	pid = last_entry();
	/* A reversal asked by the lead, declined by certificate staff: the
	 * payment stands and may be reversed later. */
	assert_int_equal(payment_reverse(td_dom_at(TD_LEAD, 5), id, pid,
	    "误以为重复到账"), DOM_OK);
	rev = last_entry();
	assert_int_equal(payment_decide(td_dom_at(TD_CERT, 5), id, rev, 0,
	    "银行回单确认只到账一次"), DOM_OK);
	ledger_of(TD_LEAD, id, &l);
	assert_int_equal(l.paid, 8700000);
	assert_true(l.entries[1].declined);
	assert_int_equal(l.entries[0].reversed_by, 0);
	/* The invoice, later, as its own record; once; by certificate
	 * staff; only of a payment. */
	before = td_state(id);
	d = td_dom_at(TD_CERT, 20);
	assert_int_equal(payment_invoice(d, id, pid, "12 34"), DOM_INVALID);
	assert_string_equal(d->field, "invoice_no");
	assert_int_equal(payment_invoice(td_dom_at(TD_LEAD, 20), id, pid,
	    "25110000000000000001"), DOM_FORBIDDEN);
	assert_int_equal(payment_invoice(td_dom_at(TD_CERT, 20), id, rev,
	    "25110000000000000001"), DOM_CONFLICT);
	assert_string_equal(td_state(id), before);
	assert_int_equal(payment_invoice(td_dom_at(TD_CERT, 20), id, pid,
	    "25110000000000000001"), DOM_OK);
	assert_int_equal(payment_invoice(td_dom_at(TD_CERT, 20), id, pid,
	    "25110000000000000002"), DOM_CONFLICT);
	ledger_of(TD_APPLICANT, id, &l);
	assert_string_equal(l.entries[0].invoice_no, "25110000000000000001");
	assert_string_equal(l.entries[0].invoice_by, "陈制证");
}

static void
test_document(void **state)
{
	long long id = payable_case();
	struct agreement_doc doc;
	struct case_ref c;
	struct dom *d = td_dom(TD_APPLICANT);

	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(agreement_document(d, &c, &doc), DOM_OK);
	assert_string_equal(doc.title, "委托协议");
	assert_string_equal(doc.date, "2027-01-15");
	assert_non_null(strstr(doc.number, "-A1"));
	assert_non_null(strstr(doc.body, "合计：87,000.00 元（人民币捌万柒仟元整）"));
	assert_non_null(strstr(doc.body, dom_payee_default.account));
	assert_non_null(strstr(doc.body, "自 2027-01-15 起生效"));
	/* The payment notice names the payee and the amount in capitals. */
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE case_id "
	    "= ?1 AND kind = 'payment'", id), "账号：0200 0000"));
	assert_non_null(strstr(td_text("SELECT body FROM notice WHERE case_id "
	    "= ?1 AND kind = 'payment'", id), "捌万柒仟元整"));
	/* Not before one is sent. */
	id = td_case(ST_ACCEPTED, TD_LEAD, NULL);
	d = td_dom(TD_LEAD);
	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	assert_int_equal(agreement_document(d, &c, &doc), DOM_CONFLICT);
}

static void
test_record_race(void **state)
{
	long long id = payable_case();
	struct payment_input right = paid(8700000, "2027-01-15", "BANK-9", "");
	struct payment_error errs[PAYMENT_NERRORS];
	size_t n;
	char sql[512];

	/* The lead and certificate staff record the same transfer at
	 * once: the second must not be recorded. */
	snprintf(sql, sizeof(sql), "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, recorded_by, recorded_at) VALUES (%lld, "
	    "8700000, '2027-01-15', 'BANK-9', 5, 'x'); %s", id,
	    td_set_status(id, ST_ASSESSMENT_PLANNING, 0));
	td_rival(sql, 300);
	assert_int_equal(payment_record(td_dom(TD_LEAD), id, &right, errs, &n,
	    NULL), DOM_INVALID);
	td_rival_done();
	assert_string_equal(errs[0].field, "reference");
	assert_int_equal(td_int("SELECT count(*) FROM payment WHERE case_id = "
	    "?1", id), 1);

	/* Handed to another lead while the payment waits. */
	id = payable_case();
	td_rival(td_set_status(id, ST_AWAITING_PAYMENT, TD_LEAD2), 300);
	assert_int_equal(payment_record(td_dom(TD_LEAD), id, &right, errs, &n,
	    NULL), DOM_NOT_FOUND);
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
		cmocka_unit_test(test_capital),
		cmocka_unit_test(test_record_fields),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_overpay),
		cmocka_unit_test(test_reversal),
		cmocka_unit_test(test_refund),
		cmocka_unit_test(test_decline_invoice),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_record_race),
	};

	return cmocka_run_group_tests_name("立项 (agreement.c, payment.c)",
	    tests, td_setup, td_teardown);
}
