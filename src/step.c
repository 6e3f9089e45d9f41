/*
 * step.c: the access check and the workflow move of a step (step.h).
 */
#include "step.h"
#include "workflow.h"

enum dom_rc
step_may(struct dom *d, const struct case_ref *c, enum action act,
    const char *msg)
{
	enum dom_rc rc = access_require(d, c, act);

	return rc == DOM_CONFLICT ? dom_refuse(d, rc, NULL, "%s", msg) : rc;
}

enum dom_rc
step_move(struct dom *d, long long case_id, enum status to,
    const char *reason)
{
	char err[256];

	switch (workflow_move(d->store, case_id, status_code(to), d->actor,
	    reason, d->now, err, sizeof(err))) {
	case WF_OK:
		return DOM_OK;
	case WF_FORBIDDEN:
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "%s", err);
	case WF_CONFLICT:
		return dom_refuse(d, DOM_CONFLICT, NULL, "%s", err);
	default:
		return dom_fail(d, "workflow");
	}
}
