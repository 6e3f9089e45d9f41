/*
 * agreement.h: the 委托协议 of 立项 (§5.3). Once a case is accepted its
 * project lead sends the agreement with the fee the rules compute from
 * the frozen submission (initial or maintenance, and why, in words) and
 * the payee of the site's configuration (d->payee, copied onto it); the
 * applicant's acceptance makes it effective and sends the 缴费通知. The
 * agreement is also a document: its PDF shows the fee in figures and in
 * Chinese capitals (money_capital) and where to pay.
 */
#ifndef ZIZHI_AGREEMENT_H
#define ZIZHI_AGREEMENT_H

#include "access.h"
#include "dom.h"
#include "rules.h"

/* The fee of a case and its basis in words. */
struct agreement_fee {
	struct rules_fee	 fee;
	const char		*basis;
};

/* An agreement as stored. */
struct agreement {
	int		 exists;	/* 0: none sent yet (the rest empty) */
	long long	 fee_audit;	/* fen */
	long long	 fee_annual;
	long long	 fee_total;
	const char	*treated_as;	/* rules_apptype_code() */
	const char	*basis;
	const char	*sent_at;	/* ISO-8601 UTC */
	const char	*accepted_at;	/* "" until accepted */
	/* The day it took effect (accepted_at in Asia/Shanghai), "" until
	 * then: no payment can have arrived before it. */
	char		 effective_day[DATE_BUFSZ];
	/* Where to pay: as sent with the agreement, or (for one sent
	 * before payees were recorded) the configuration's. */
	struct dom_payee payee;
};

/* The agreement as a document, for its PDF. */
struct agreement_doc {
	const char	*title;		/* 委托协议 */
	const char	*number;	/* its notice's number */
	const char	*date;		/* the day it was sent, YYYY-MM-DD */
	const char	*body;		/* the terms and their state, plain text */
};

/*
 * The fee of case c: the application type its latest round declares,
 * and for maintenance the certificate's expiry against the day the case
 * was first submitted. DOM_OK, or DOM_FAILED (logged) when the case has
 * no round or no submission day.
 */
enum dom_rc	 agreement_fee(struct dom *d, const struct case_ref *c,
		    struct agreement_fee *out);

/* The agreement of c (PART_PAYMENTS), exists 0 when none: DOM_OK,
 * DOM_NOT_FOUND, DOM_FAILED. */
enum dom_rc	 agreement_load(struct dom *d, const struct case_ref *c,
		    struct agreement *out);

/*
 * The agreement of c (PART_PAYMENTS) as a document: DOM_OK; DOM_CONFLICT
 * when none has been sent yet (d->msg says so); DOM_NOT_FOUND;
 * DOM_FAILED.
 */
enum dom_rc	 agreement_document(struct dom *d, const struct case_ref *c,
		    struct agreement_doc *out);

/* 发送委托协议, by the case's lead, accepted: the agreement with the
 * computed fee, its notice; to agreement_sent. */
enum dom_rc	 agreement_send(struct dom *d, long long case_id);

/*
 * 确认委托协议, by the applicant, confirmed (the box ticked; else
 * DOM_INVALID, field "confirm"): the agreement becomes effective, the
 * 缴费通知 goes out; to awaiting_payment.
 */
enum dom_rc	 agreement_accept(struct dom *d, long long case_id,
		    int confirmed);

#endif
