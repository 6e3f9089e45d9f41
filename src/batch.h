/*
 * batch.h: certificate batches (制证批次, domain.md §5.5). Certificate
 * staff put cases that passed expert review (certificate_pending) into a
 * batch; another member of the staff approves it (separation of duties),
 * which issues every certificate of the batch in one transaction
 * (certificate_issue: number, notice, move to "issued"). Only certificate
 * staff work with batches: anyone else is refused (DOM_FORBIDDEN).
 */
#ifndef ZIZHI_BATCH_H
#define ZIZHI_BATCH_H

#include <stddef.h>

#include "dom.h"
#include "status.h"

/* Cases in one batch, at most; and the pending cases listed. */
#define BATCH_MAX_CASES	200

/* A case waiting for a batch. */
struct batch_pending {
	long long	 case_id;
	const char	*case_no;
	const char	*org_name;	/* as submitted */
	const char	*since;		/* the day of its last event */
};

/* A batch in a list. */
struct batch_row {
	long long	 id;
	int		 mine;		/* created by d->actor */
	const char	*creator;
	const char	*created_at;	/* ISO-8601 UTC */
	const char	*approver;	/* "" before approval */
	const char	*approved_at;	/* "" before approval */
	long long	 ncases;
	long long	 ncerts;
};

/* A case of a batch, with its certificate once issued. */
struct batch_case {
	long long	 case_id;
	const char	*case_no;
	const char	*org_name;	/* as submitted */
	enum status	 st;
	long long	 cert_id;	/* 0: none */
	const char	*cert_no;	/* "" when none */
};

struct batch {
	long long		 id;
	long long		 created_by;
	const char		*creator;
	const char		*created_at;
	long long		 approved_by;	/* 0: not yet */
	const char		*approver;
	const char		*approved_at;
	int			 mine;		/* created by d->actor */
	int			 may_approve;	/* by d->actor, now */
	struct batch_case	*cases;
	size_t			 ncases;
};

/*
 * The certificate_pending cases in no batch, oldest first, at most
 * BATCH_MAX_CASES. DOM_OK, DOM_FORBIDDEN or DOM_FAILED.
 */
enum dom_rc	 batch_pending(struct dom *d, struct batch_pending **rows,
		    size_t *n);

/*
 * The last 20 batches not yet approved (approved 0) or approved
 * (approved 1), newest first. DOM_OK, DOM_FORBIDDEN or DOM_FAILED.
 */
enum dom_rc	 batch_list(struct dom *d, int approved,
		    struct batch_row **rows, size_t *n);

/*
 * Makes a batch of the cases ids[0..n-1] (1 to BATCH_MAX_CASES): each
 * must be certificate_pending and in no batch (nor twice in this one),
 * checked in the transaction that writes the batch. DOM_OK with the
 * batch's id in *id; DOM_INVALID (field "cases"), DOM_NOT_FOUND (a case
 * the actor may not see), DOM_CONFLICT (a case not pending or already
 * batched: nothing written), DOM_FORBIDDEN, DOM_FAILED.
 */
enum dom_rc	 batch_create(struct dom *d, const long long *ids, size_t n,
		    long long *id);

/* The batch id with its cases. DOM_OK, DOM_NOT_FOUND, DOM_FORBIDDEN or
 * DOM_FAILED. */
enum dom_rc	 batch_get(struct dom *d, long long id, struct batch *out);

/*
 * Approves batch id as d->actor, who must not be its creator, and
 * issues the certificate of every case still certificate_pending (a case
 * withdrawn since gets none), all in one transaction: DOM_OK;
 * DOM_CONFLICT (already approved, the creator, a case that cannot be
 * issued: nothing written); DOM_NOT_FOUND, DOM_FORBIDDEN, DOM_FAILED.
 */
enum dom_rc	 batch_approve(struct dom *d, long long id);

#endif
