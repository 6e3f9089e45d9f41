/*
 * step.h: two things every business step on a case does, as domain
 * results: asking the access policy whether the actor may take an
 * action now (with the step's own words when the case's status is what
 * stands in the way), and moving the case through the workflow.
 */
#ifndef ZIZHI_STEP_H
#define ZIZHI_STEP_H

#include "access.h"
#include "dom.h"
#include "status.h"

/*
 * access_require(d, c, act), but a refusal for the case's status
 * (DOM_CONFLICT) says msg.
 */
enum dom_rc	 step_may(struct dom *d, const struct case_ref *c,
		    enum action act, const char *msg);

/*
 * Moves case_id to status to as d->actor with reason, by the workflow
 * (workflow_move), in the caller's transaction. DOM_OK; DOM_FORBIDDEN
 * or DOM_CONFLICT with the workflow's message; DOM_FAILED.
 */
enum dom_rc	 step_move(struct dom *d, long long case_id, enum status to,
		    const char *reason);

#endif
