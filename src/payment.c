/*
 * payment.c: recording payments (payment.h).
 */
#include <string.h>

#include "agreement.h"
#include "money.h"
#include "payment.h"
#include "store.h"
#include "util.h"
#include "valid.h"
#include "workflow_step.h"

#define REFERENCE_MAX	200	/* bytes */

size_t
payment_check(struct dom *d, const struct payment_input *in,
    struct payment_error *errs)
{
	size_t n = 0;
	zdate paid;

	if (in->amount <= 0) {
		errs[n].field = "amount";
		errs[n++].msg = "请填写实收金额（元），例如 87,000.00。";
	}
	if (in->paid_on == NULL || date_parse(in->paid_on, &paid) != 0 ||
	    paid > d->today) {
		errs[n].field = "paid_on";
		errs[n++].msg = "请填写到账日期（年-月-日），不能晚于今天。";
	}
	if (in->reference == NULL || *in->reference == '\0' ||
	    strlen(in->reference) > REFERENCE_MAX ||
	    !valid_text(in->reference, 1, REFERENCE_MAX, 0)) {
		errs[n].field = "reference";
		errs[n++].msg = "请填写银行流水号或凭证号（不超过 200 字节）。";
	}
	return n;
}

enum dom_rc
payment_list(struct dom *d, const struct case_ref *c, struct payment **out,
    size_t *n)
{
	sqlite3_stmt *st;
	struct payment *p = NULL, *bigger;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((c->parts & PART_PAYMENTS) == 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT p.amount, p.paid_on, p.reference, "
	    "p.mismatch, p.note, a.name, p.recorded_at FROM payment p JOIN "
	    "account a ON a.id = p.recorded_by WHERE p.case_id = ?1 ORDER BY "
	    "p.id");
	if (st == NULL)
		return dom_fail(d, "payments");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(d->arena, cap * sizeof(*p));
			if (*n > 0)
				memcpy(bigger, p, *n * sizeof(*p));
			p = bigger;
		}
		p[*n].amount = sqlite3_column_int64(st, 0);
		p[*n].paid_on = arena_strdup(d->arena, store_col_text(st, 1));
		p[*n].reference = arena_strdup(d->arena, store_col_text(st, 2));
		p[*n].mismatch = sqlite3_column_int(st, 3);
		p[*n].note = arena_strdup(d->arena, store_col_text(st, 4));
		p[*n].by = arena_strdup(d->arena, store_col_text(st, 5));
		p[*n].at = arena_strdup(d->arena, store_col_text(st, 6));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "payments");
	*out = p;
	return DOM_OK;
}

enum dom_rc
payment_record(struct dom *d, long long case_id,
    const struct payment_input *in, int *mismatch)
{
	struct payment_error errs[PAYMENT_NERRORS];
	struct agreement a;
	struct case_ref c;
	sqlite3_stmt *st;
	const char *note = in->note != NULL ? in->note : "";
	enum dom_rc rc;
	int differs;

	if (mismatch != NULL)
		*mismatch = 0;
	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_RECORD_PAYMENT, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (payment_check(d, in, errs) > 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, errs[0].field,
		    "%s", errs[0].msg));
	if ((rc = agreement_load(d, &c, &a)) != DOM_OK)
		return dom_end(d, rc);
	if (!a.exists)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    "尚无委托协议，不能登记缴费。"));
	differs = in->amount != a.fee_total;
	if (mismatch != NULL)
		*mismatch = differs;
	if (differs && (!in->confirm_mismatch || *note == '\0'))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "amount",
		    "实收金额 %s 元与应缴费用 %s 元不符。如确需登记，请勾选“金额"
		    "不符，仍然登记”并在备注中写明原因；金额不符的缴费不会进入评估。",
		    money_yuan(d->arena, in->amount), money_yuan(d->arena,
		    a.fee_total)));
	st = store_stmt(d->store, "INSERT INTO payment(case_id, amount, "
	    "paid_on, reference, mismatch, note, recorded_by, recorded_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return dom_fail(d, "payment");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, in->amount);
	store_bind_text(st, 3, in->paid_on);
	store_bind_text(st, 4, in->reference);
	store_bind_int(st, 5, differs);
	store_bind_text(st, 6, note);
	store_bind_int(st, 7, d->actor->id);
	store_bind_text(st, 8, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "payment");
	/* A matching payment opens the assessment (the guard checks the
	 * agreement is effective and the sum paid). */
	if (!differs)
		rc = workflow_step(d, c.id, ST_ASSESSMENT_PLANNING,
		    arena_printf(d->arena, "登记缴费 %s 元（%s），进入评估",
		    money_yuan(d->arena, in->amount), in->reference));
	return dom_end(d, rc);
}
