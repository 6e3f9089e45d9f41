/*
 * timeline.h: a case's history as people read it, from its events: when,
 * who (by name and role), from which status to which, and why. One
 * module for every page that shows it (the case page, the supervisor's
 * appeal page). The applicant never sees an expert's name: the panel's
 * members stay anonymous to the organisation they review (专家组).
 */
#ifndef ZIZHI_TIMELINE_H
#define ZIZHI_TIMELINE_H

#include <stddef.h>

#include "dom.h"
#include "status.h"

struct timeline_event {
	const char	*at;		/* ISO-8601 UTC */
	const char	*actor;		/* a name, a role, or 系统 */
	const char	*actor_role;	/* the role in words, or "" */
	int		 has_from;
	enum status	 from;
	enum status	 to;
	const char	*reason;
};

/*
 * The events of case_id in order, in d's arena. With for_applicant, an
 * expert is named 专家组. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 timeline_load(struct dom *d, long long case_id,
		    int for_applicant, struct timeline_event **out,
		    size_t *n);

#endif
