/*
 * complaint.h: complaints (投诉, §7), the supervisors' log. A complaint
 * against an organisation, a certified one picked by its id or any other
 * by name, is recorded with who made it and the day it was received;
 * later its handling is recorded, once. Supervisors only.
 */
#ifndef ZIZHI_COMPLAINT_H
#define ZIZHI_COMPLAINT_H

#include <stddef.h>

#include "dom.h"
#include "textcheck.h"

#define COMPLAINT_TEXT_MAX	5000	/* characters of a complaint or its
					   handling */
#define COMPLAINT_NAME_MAX	100	/* characters of the complainant */
#define COMPLAINT_ORG_MAX	200	/* characters of an organisation */
#define COMPLAINT_PROBLEMS	5	/* room complaint_check needs */

/* Which complaints a list shows. */
enum complaint_state {
	COMPLAINT_ALL = 0,
	COMPLAINT_OPEN,		/* handling not yet recorded */
	COMPLAINT_HANDLED
};

struct complaint_input {
	long long	 org_id;	/* a certified organisation; 0: none
					   picked (org_name names it); < 0:
					   a pick that names none */
	const char	*org_name;
	const char	*complainant;	/* a name or an organisation, and how
					   to reach them */
	const char	*text;
	const char	*received_on;	/* YYYY-MM-DD, not after today */
};

struct complaint {
	long long	 id;
	int		 certified;	/* against a certified organisation */
	const char	*org_name;
	const char	*complainant;
	const char	*text;
	const char	*received_on;
	const char	*recorded_by;	/* a name */
	int		 handled;
	const char	*handling;	/* "" while open */
	const char	*handled_by;	/* a name, or "" */
	const char	*handled_at;	/* ISO-8601 UTC, or "" */
};

/* A certified organisation, by its latest certificate. */
struct complaint_org {
	long long	 id;
	const char	*name;
};

/*
 * Records a complaint: DOM_OK with *id; DOM_INVALID (the first problem
 * complaint_check finds, with its field), nothing written; DOM_FORBIDDEN
 * for anyone but a supervisor; DOM_FAILED.
 */
enum dom_rc	 complaint_record(struct dom *d,
		    const struct complaint_input *in, long long *id);

/* Every problem of in, in the form's order, into out (room for
 * COMPLAINT_PROBLEMS), *n of them: DOM_OK or DOM_FAILED. */
enum dom_rc	 complaint_check(struct dom *d,
		    const struct complaint_input *in, struct problem *out,
		    size_t *n);

/* The certified organisations, by name. */
enum dom_rc	 complaint_orgs(struct dom *d, struct complaint_org **out,
		    size_t *n);

/* The complaints in state, open ones first, then by the day received,
 * newest first: limit from offset; *total counts them all. */
enum dom_rc	 complaint_list(struct dom *d, enum complaint_state state,
		    long long offset, long long limit, struct complaint **out,
		    size_t *n, long long *total);

/* Complaint id: DOM_OK, DOM_NOT_FOUND, DOM_FORBIDDEN. */
enum dom_rc	 complaint_get(struct dom *d, long long id,
		    struct complaint *out);

/*
 * Records the handling of complaint id, text: DOM_OK; DOM_NOT_FOUND;
 * DOM_CONFLICT when it already has one; DOM_INVALID (field "handling");
 * DOM_FORBIDDEN; DOM_FAILED.
 */
enum dom_rc	 complaint_handle(struct dom *d, long long id,
		    const char *text);

#endif
