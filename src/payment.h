/*
 * payment.h: payments of 立项 (§5.3). The project lead or certificate
 * staff record what the applicant paid against the effective agreement.
 * A payment that does not match the fee is recorded only when the
 * recorder says so (with a note), and is flagged: it never opens the
 * assessment. One that matches moves the case to assessment_planning in
 * the same transaction.
 */
#ifndef ZIZHI_PAYMENT_H
#define ZIZHI_PAYMENT_H

#include <stddef.h>

#include "access.h"
#include "dom.h"

/* A payment as recorded. */
struct payment {
	long long	 amount;	/* fen */
	const char	*paid_on;	/* YYYY-MM-DD */
	const char	*reference;
	int		 mismatch;	/* flagged: not the fee */
	const char	*note;
	const char	*by;		/* who recorded it */
	const char	*at;		/* ISO-8601 UTC */
};

/* What the recorder gives. */
struct payment_input {
	long long	 amount;	/* fen; 0 when not a sum of money */
	const char	*paid_on;	/* YYYY-MM-DD, not after today */
	const char	*reference;	/* 1..200 bytes */
	const char	*note;		/* why, for a mismatch */
	int		 confirm_mismatch;	/* record it although it differs */
};

/* A field at fault and what to fix, in words. */
struct payment_error {
	const char	*field;
	const char	*msg;
};

#define PAYMENT_NERRORS	3	/* amount, paid_on, reference */

/*
 * Checks the fields of in that need nothing stored (amount, date,
 * reference) into errs (room for PAYMENT_NERRORS); returns how many are
 * wrong. payment_record checks the same.
 */
size_t		 payment_check(struct dom *d, const struct payment_input *in,
		    struct payment_error *errs);

/* The payments of c (PART_PAYMENTS) in the order recorded, in d's
 * arena: DOM_OK, DOM_NOT_FOUND, DOM_FAILED. */
enum dom_rc	 payment_list(struct dom *d, const struct case_ref *c,
		    struct payment **out, size_t *n);

/*
 * 登记缴费 on case_id (awaiting_payment, agreement sent). *mismatch
 * (may be NULL) says whether the amount differs from the fee. A wrong
 * field, or a mismatch without confirm_mismatch and a note, is
 * DOM_INVALID with the field; nothing is written. A matching payment
 * moves the case to assessment_planning.
 */
enum dom_rc	 payment_record(struct dom *d, long long case_id,
		    const struct payment_input *in, int *mismatch);

#endif
