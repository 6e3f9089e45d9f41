/*
 * sanction.h: sanctions on a certificate (处置, §6): a warning (警告, a
 * record), rectification by a deadline (限期整改) and suspension (暂停证书),
 * both until lifted, and cancellation (取消证书, final; the guide's word,
 * stored as the code "revocation"). Supervisors impose and lift them;
 * each is a notice to the holder with its reason (处置通知, on the
 * certificate's case, e-mailed with it), and lifting one is a notice too
 * (解除处置通知书). The certificate's state (certificate.h) follows at
 * once, on the staff page, the public register and the verification
 * page. `zizhi sweep` follows a rectification's deadline (sweep.h).
 */
#ifndef ZIZHI_SANCTION_H
#define ZIZHI_SANCTION_H

#include <stddef.h>

#include "certificate.h"
#include "dom.h"

/* The longest reason, in bytes. */
#define SANCTION_REASON_MAX	2000

/* What a supervisor typed. */
struct sanction_input {
	const char	*kind;		/* a sanction kind code */
	const char	*reason;
	const char	*deadline;	/* YYYY-MM-DD, rectification only */
};

/* What is wrong with one field of the input. */
struct sanction_problem {
	const char	*field;		/* "kind", "reason", "deadline" */
	const char	*msg;
};
#define SANCTION_PROBLEMS_MAX	3

/*
 * Checks in against today (YYYY-MM-DD): a known kind, a reason that is
 * not blank and not too long, and for rectification a deadline that is a
 * date, today or later. Writes the problems into out and returns how
 * many (0: the input is fine). Pure.
 */
size_t		 sanction_check(const struct sanction_input *in,
		    const char *today,
		    struct sanction_problem out[SANCTION_PROBLEMS_MAX]);

/*
 * Imposes a sanction on certificate cert_id as d->actor, a supervisor:
 * DOM_OK with its id in *id (may be NULL); DOM_CONFLICT when the
 * certificate is revoked or a suspension finds it suspended already;
 * DOM_INVALID (the first problem of sanction_check, field and message);
 * DOM_FORBIDDEN, DOM_NOT_FOUND, DOM_FAILED. The checks run in the
 * transaction that writes.
 */
enum dom_rc	 sanction_impose(struct dom *d, long long cert_id,
		    const struct sanction_input *in, long long *id);

/*
 * Lifts sanction id of certificate cert_id as d->actor, a supervisor:
 * DOM_OK; DOM_CONFLICT when it cannot be lifted (a warning or a
 * revocation), the certificate is revoked, or it was lifted already;
 * DOM_FORBIDDEN, DOM_NOT_FOUND, DOM_FAILED.
 */
enum dom_rc	 sanction_lift(struct dom *d, long long cert_id, long long id);

struct sanction {
	long long		 id;
	enum sanction_kind	 kind;
	const char		*deadline;	/* "" unless rectification */
	const char		*at;		/* ISO-8601 UTC */
	int			 lifted;
	const char		*lifted_at;	/* "" when not lifted */
	/* For staff only; "" for anyone else. */
	const char		*reason;
	const char		*by;
	const char		*lifted_by;
	int			 may_lift;	/* by d->actor, now */
};

/*
 * The sanctions of certificate cert_id in the order imposed, by anyone
 * (the public verification page lists them, without reasons or names).
 * DOM_OK or DOM_FAILED.
 */
enum dom_rc	 sanction_list(struct dom *d, long long cert_id,
		    struct sanction **rows, size_t *n);

#endif
