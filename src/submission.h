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
#include "form_def.h"
#include "rules.h"

/* The check of an application as it stands. */
struct submission_report {
	struct fdef_report	 rep;		/* problems, by section */
	struct rules_check	 checks[RULES_NCHECKS];	/* eligibility */
	size_t			 nchecks;
	int			 has_fee;	/* the application type known */
	struct rules_fee	 fee;
	const char		*basis_zh;	/* the fee's basis */
	const char		*window_zh;	/* maintenance window, or NULL */
	int			 supplement;	/* answering a supplement */
	/* The day eligibility and the fee are judged as of: the first
	 * submission's (the case clock's day 0) once there is one, as the
	 * reviewer judges it; today for a draft. */
	char			 judged_on[DATE_BUFSZ];
	int			 judged_at_submission;
	int			 can_submit;	/* the reader may submit now */
};

/*
 * The check of case c: the form as of d->today, eligibility and the fee
 * as of out->judged_on. DOM_OK; DOM_NOT_FOUND when c's
 * reader may not see the application; DOM_FAILED.
 */
enum dom_rc	 submission_check(struct dom *d, const struct case_ref *c,
		    struct submission_report *out);

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
 * confirmed (the 真实、准确、完整 box) or not. DOM_OK with *out filled;
 * DOM_NOT_FOUND; DOM_CONFLICT when the case is no longer a draft or
 * awaiting a supplement, or (out->incomplete) when the check finds
 * problems; DOM_INVALID (field "confirm") unconfirmed; DOM_FORBIDDEN;
 * DOM_FAILED. Nothing is written unless DOM_OK.
 */
enum dom_rc	 submission_submit(struct dom *d, long long case_id,
		    int confirmed, struct submission_result *out);

#endif
