/*
 * reassign.h: another project lead for a case. A supervisor gives an
 * open case a new lead, with a reason: the change is kept in its own
 * append-only table (lead_change; it is no status change, so no event)
 * and shown in the case's timeline (timeline.c); the new lead is told by
 * e-mail, and the old one if still active. An administrator cannot
 * disable a lead who still has open cases (account.c): the list of them
 * says which to reassign first.
 */
#ifndef ZIZHI_REASSIGN_H
#define ZIZHI_REASSIGN_H

#include <stddef.h>

#include "dom.h"
#include "status.h"

#define REASSIGN_REASON_MAX	2000	/* bytes */

/*
 * Makes account to the lead of case_id, for reason (1 to
 * REASSIGN_REASON_MAX bytes), as d->actor (ACT_REASSIGN: a supervisor,
 * an open submitted case). DOM_OK; DOM_INVALID for field "lead" (not an
 * active lead, or the lead already) or "reason"; DOM_NOT_FOUND;
 * DOM_FORBIDDEN; DOM_CONFLICT (the case closed meanwhile); DOM_FAILED.
 * Nothing is written unless DOM_OK.
 */
enum dom_rc	 reassign_lead(struct dom *d, long long case_id, long long to,
		    const char *reason);

/* An open case of a lead, as the lists show it. Strings in d->arena. */
struct reassign_case {
	long long	 id;
	const char	*case_no;
	const char	*org;
	enum status	 st;
};

/*
 * The open cases whose lead is account lead, by number, at most max,
 * and how many there are (*total). For administrators and supervisors
 * (DOM_FORBIDDEN otherwise): the numbers and statuses only.
 */
enum dom_rc	 reassign_open_cases(struct dom *d, long long lead,
		    size_t max, struct reassign_case **rows, size_t *n,
		    long long *total);

#endif
