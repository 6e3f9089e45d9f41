/*
 * timeline.h: a case's history as people read it: its events (when,
 * who by name and role, from which status to which, and why) and, in
 * time order among them, the changes of its lead (reassign.c: who
 * changed it, from whom to whom, why), which are no status change. One
 * module for every page that shows it (the case page, the supervisor's
 * appeal page). The applicant never sees an expert's name (the panel's
 * members stay anonymous to the organisation they review: 专家组), nor
 * the internal reason of a lead change.
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
	const char	*title;		/* what happened: the status reached,
					   or "改派项目负责人" */
	int		 is_status;	/* a status change (from, to below) */
	int		 has_from;
	enum status	 from;
	enum status	 to;
	const char	*reason;
};

/*
 * The history of case_id in time order, in d's arena. With
 * for_applicant, an expert is named 专家组 and a lead change says only
 * who the new lead is. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 timeline_load(struct dom *d, long long case_id,
		    int for_applicant, struct timeline_event **out,
		    size_t *n);

#endif
