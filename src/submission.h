/*
 * submission.h: submitting an application (§4): the check of what is
 * still missing or wrong (逐项检查), with the eligibility figures and the
 * fee that will apply, and the formal submission, which freezes a round:
 * the form's values and the SHA-256 of every current file, the case
 * number at the first round, a 收件凭证, and the status change, in one
 * transaction. Answering a supplement request is the next round.
 */
#ifndef ZIZHI_SUBMISSION_H
#define ZIZHI_SUBMISSION_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "eligibility.h"
#include "form_def.h"
#include "rules.h"

/* The check of an application as it stands. */
struct submission_report {
	struct fdef_report	 rep;		/* problems, by section */
	struct eligibility	 elig;		/* as of the judging day */
	int			 has_fee;	/* the application type known */
	struct rules_fee	 fee;
	const char		*basis_zh;	/* the fee's basis */
	const char		*window_zh;	/* maintenance window, or NULL */
	/* A maintenance application: the certificate, from the register,
	 * and the days the fee is counted from ("" otherwise). */
	const char		*cert_no;
	char			 cert_expires[DATE_BUFSZ];
	char			 on_time_until[DATE_BUFSZ];
	char			 filed[DATE_BUFSZ];	/* or today */
	int			 supplement;	/* answering a supplement */
	int			 can_submit;	/* the reader may submit now */
};

/*
 * The check of case c: a draft as of d->today; once submitted (answering
 * a supplement, or read later) as of its judging day, the day it was
 * first submitted (eligibility.h): the eligibility, the maintenance
 * window and the fee, and the finance years the form accepts. The fee of
 * a maintenance application counts from the register's expiry of the
 * certificate it maintains and the judging day; it is unknown (has_fee
 * 0) until that certificate is chosen. DOM_OK;
 * DOM_NOT_FOUND when c's reader may not see the application; DOM_FAILED.
 */
enum dom_rc	 submission_check(struct dom *d, const struct case_ref *c,
		    struct submission_report *out);

/* The id of round n (from 1) of case_id, 0 when there is none, -1 when
 * the read failed. */
long long	 submission_round_id(struct dom *d, long long case_id, int n);

struct submission_result {
	int		 incomplete;	/* refused: the check finds problems */
	int		 round;		/* the round frozen */
	long long	 round_id;
	const char	*case_no;
	/* An answer to a supplement: the due date it answers ("" for a
	 * first submission) and whether it came after it (§5.2). */
	char		 answers_due[DATE_BUFSZ];
	int		 late;
};

/*
 * Submits case_id, or answers its supplement request, as d->actor, who
 * confirmed (the 真实、准确、完整 box) or not; a maintenance application
 * records the certificate it continues (cert_maintenance, from the
 * register) with the window of its first submission day. DOM_OK with
 * *out filled;
 * DOM_NOT_FOUND; DOM_CONFLICT when the case is no longer a draft or
 * awaiting a supplement, or (out->incomplete) when the check finds
 * problems; DOM_INVALID (field "confirm") unconfirmed; DOM_FORBIDDEN;
 * DOM_FAILED. Nothing is written unless DOM_OK.
 */
enum dom_rc	 submission_submit(struct dom *d, long long case_id,
		    int confirmed, struct submission_result *out);

#endif
