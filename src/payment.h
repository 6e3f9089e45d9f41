/*
 * payment.h: the payment ledger of a case (立项 §5.3, §9; docs/rules.md
 * "缴费台账"). What is due comes from the agreement, by line (审核费,
 * 年金); the lead or certificate staff record each payment received, as
 * the bank shows it (到账日期, amount, payer, bank reference), and a
 * certificate officer adds the 发票 number once issued, as a record of
 * its own. The case enters assessment (workflow.c's guard_paid) once the
 * entries in effect add up to what is due, however many payments that
 * took; more than that is a credit to refund.
 *
 * An entry is never edited or deleted (the database refuses it). A
 * mistake is undone by a reversal (冲正), a counter-entry with its
 * reason; money paid back is a refund (退款) entry, on withdrawal,
 * failure or refusal, or for a credit. A reversal or refund takes
 * effect only when a second certificate officer, not the one who
 * recorded it, confirms it.
 */
#ifndef ZIZHI_PAYMENT_H
#define ZIZHI_PAYMENT_H

#include <stddef.h>

#include "access.h"
#include "dom.h"

enum payment_kind {
	PAYMENT_IN = 0,		/* 缴费: money received */
	PAYMENT_REVERSAL,	/* 冲正: undoes an earlier entry */
	PAYMENT_REFUND		/* 退款: money paid back */
};

/* An entry of the ledger as recorded, with its decision and invoice. */
struct payment {
	long long		 id;
	enum payment_kind	 kind;
	const char		*kind_zh;	/* 缴费, 冲正, 退款 */
	const char		*line;		/* "", "audit", "annual" */
	const char		*line_zh;	/* "", "审核费", "年金" */
	long long		 amount;	/* fen, as recorded (> 0) */
	long long		 signed_amount;	/* what it does to the sum */
	const char		*paid_on;	/* 到账日期 (退款日期) */
	const char		*payer;		/* 付款单位 (退款收款单位) */
	const char		*reference;	/* bank reference */
	const char		*note;		/* a reversal's or refund's reason */
	long long		 reverses;	/* the entry undone, or 0 */
	long long		 reversed_by;	/* a reversal of it not declined */
	int			 effective;	/* counts in the sum */
	int			 pending;	/* awaits the second officer */
	int			 declined;
	long long		 by_id;
	const char		*by;		/* who recorded it */
	const char		*at;		/* ISO-8601 UTC */
	const char		*decided_by;	/* "" until decided */
	const char		*decided_at;
	const char		*decision_note;
	const char		*invoice_no;	/* "" until issued */
	const char		*invoice_by;
	const char		*invoice_at;
};

/* The ledger of a case: what is due, what is paid, every entry. */
struct payment_ledger {
	int		 has_agreement;	/* 0: nothing is due yet */
	int		 effective;	/* the agreement is accepted */
	const char	*effective_day;	/* the day it took effect, or "" */
	long long	 due_audit;	/* fen, the agreement's lines */
	long long	 due_annual;
	long long	 due;
	const char	*basis;		/* the fee's basis, in words */
	long long	 paid;		/* the sum of the entries in effect */
	long long	 paid_audit;	/* that sum by line: entries for a */
	long long	 paid_annual;	/* line, the rest 审核费 first */
	long long	 owed;		/* due - paid, at least 0 */
	long long	 credit;	/* paid - due, at least 0: to refund */
	long long	 refundable;	/* what a refund may still pay back */
	size_t		 pending;	/* entries awaiting a second officer */
	struct dom_payee payee;		/* where to pay */
	struct payment	*entries;	/* in the order recorded */
	size_t		 n;
};

/* A payment received (or a refund paid back), as the recorder gives it. */
struct payment_input {
	long long	 amount;	/* fen; 0 when not a sum of money */
	const char	*paid_on;	/* YYYY-MM-DD */
	const char	*payer;		/* 1..200 characters */
	const char	*reference;	/* 1..200 characters */
	const char	*line;		/* "", "audit", "annual" (NULL: "") */
	const char	*note;		/* optional; a refund's reason: required */
};

/* A field at fault and what to fix, in words. */
struct payment_error {
	const char	*field;
	const char	*msg;
};

#define PAYMENT_NERRORS	6	/* amount, paid_on, payer, reference, line,
				   note */

/* What recording a payment did. */
struct payment_outcome {
	int		 opened;	/* the case went on to assessment */
	long long	 paid;		/* the sum now */
	long long	 owed;
	long long	 credit;	/* over-payment, flagged, to refund */
};

/*
 * The ledger of c (PART_PAYMENTS), in d's arena: DOM_OK (has_agreement
 * 0 and no entries before the agreement); DOM_NOT_FOUND; DOM_FAILED.
 */
enum dom_rc	 payment_ledger(struct dom *d, const struct case_ref *c,
		    struct payment_ledger *out);

/*
 * 登记缴费 on case_id (the agreement effective; from 待缴费 on, so that
 * money arriving late is recorded too). Every wrong field goes into errs
 * (room for PAYMENT_NERRORS), their count into *nerrs, and the answer is
 * DOM_INVALID with the first in d->field and d->msg; nothing is written.
 * The 到账日期 may be neither before the day the agreement took effect
 * nor after today. Once the entries in effect cover what is due, a case
 * in 待缴费 moves to 审核计划 in the same transaction. out (may be NULL)
 * tells what happened.
 */
enum dom_rc	 payment_record(struct dom *d, long long case_id,
		    const struct payment_input *in, struct payment_error *errs,
		    size_t *nerrs, struct payment_outcome *out);

/*
 * 冲正: asks to reverse entry entry_id of case_id (a payment, or a
 * refund in effect, not already being reversed) with reason (1..500
 * characters; DOM_INVALID, field "reason"). The reversal waits for a
 * second certificate officer (payment_decide).
 */
enum dom_rc	 payment_reverse(struct dom *d, long long case_id,
		    long long entry_id, const char *reason);

/*
 * 登记退款 by certificate staff: money paid back, at most what may be
 * refunded (everything paid when the case was withdrawn, refused or
 * failed; otherwise the credit; less refunds still waiting), with its
 * reason in note. Fields as payment_record; waits for a second officer.
 */
enum dom_rc	 payment_refund(struct dom *d, long long case_id,
		    const struct payment_input *in, struct payment_error *errs,
		    size_t *nerrs);

/*
 * The second certificate officer confirms (confirm 1) or declines a
 * reversal or refund waiting on case_id; note is optional (at most 500
 * characters). The officer who recorded it may not (DOM_FORBIDDEN). A
 * confirmation that covers what is due opens the assessment, as a
 * payment does.
 */
enum dom_rc	 payment_decide(struct dom *d, long long case_id,
		    long long entry_id, int confirm, const char *note);

/*
 * 登记发票号: the invoice issued for payment entry_id of case_id, by
 * certificate staff, once (1..40 letters, digits or '-'; DOM_INVALID,
 * field "invoice_no").
 */
enum dom_rc	 payment_invoice(struct dom *d, long long case_id,
		    long long entry_id, const char *invoice_no);

#endif
