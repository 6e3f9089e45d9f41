/*
 * workflow_step.c: workflow_move for the domain modules (workflow_step.h).
 */
#include "notice.h"
#include "tmpl.h"
#include "workflow.h"
#include "workflow_step.h"

enum dom_rc
step_begin(struct dom *d, long long case_id, unsigned need, enum action act,
    struct case_ref *c)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = access_case(d, case_id, need, c)) != DOM_OK)
		return rc;
	return access_require(d, c, act);
}

enum dom_rc
step_may(struct dom *d, const struct case_ref *c, enum action act,
    const char *msg)
{
	enum dom_rc rc = access_require(d, c, act);

	return rc == DOM_CONFLICT ? dom_refuse(d, rc, NULL, "%s", msg) : rc;
}

enum dom_rc
workflow_step(struct dom *d, long long case_id, enum status to,
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
		return dom_fail(d, "workflow_move");
	}
}

struct tv *
step_notice_view(struct dom *d, const struct case_ref *c)
{
	struct tv *v = tv_map(d->arena);

	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "uscc", c->org_uscc);
	return v;
}

enum dom_rc
step_end_notice(struct dom *d, const struct case_ref *c, const char *kind,
    const char *title, struct tv *view)
{
	if (notice_create(d, c->id, c->case_no, kind, title, view, NULL,
	    0) < 0)
		return dom_fail(d, kind);
	return dom_end(d, DOM_OK);
}
