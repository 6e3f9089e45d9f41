/*
 * workflow_step.h: how a domain step on a case begins and moves it. A
 * step opens its transaction and loads the case as the actor sees it
 * inside it (so what it checks cannot change before it writes); a status
 * change goes through the workflow (workflow.c: the transition's row,
 * role and guard, the event), whose answer becomes a domain result with
 * the workflow's message; a step that sends a notice creates it in the
 * same transaction.
 */
#ifndef ZIZHI_WORKFLOW_STEP_H
#define ZIZHI_WORKFLOW_STEP_H

#include "access.h"
#include "dom.h"
#include "status.h"

/*
 * Begins a step: dom_begin, then access_case(case_id, need) and
 * access_require(act) inside the transaction, filling c. DOM_OK with
 * the transaction open; otherwise the refusal, and the caller ends the
 * transaction with dom_end(d, rc).
 */
enum dom_rc	 step_begin(struct dom *d, long long case_id, unsigned need,
		    enum action act, struct case_ref *c);

/*
 * access_require(d, c, act), but a refusal for the case's status
 * (DOM_CONFLICT) says msg: the step's own words for "not now".
 */
enum dom_rc	 step_may(struct dom *d, const struct case_ref *c,
		    enum action act, const char *msg);

/*
 * Moves case_id to status to as d->actor, with reason, inside the
 * caller's dom_begin transaction: DOM_OK; DOM_FORBIDDEN (the role may
 * not) or DOM_CONFLICT (not from this status, or a guard said no) with
 * the workflow's words in d->msg; DOM_FAILED (rolled back, logged).
 */
enum dom_rc	 workflow_step(struct dom *d, long long case_id,
		    enum status to, const char *reason);

/* A notice's view for case c: the party it is addressed to, by the
 * frozen round's 单位名称 (org_name) and 统一社会信用代码 (uscc). */
struct tv	*step_notice_view(struct dom *d, const struct case_ref *c);

/*
 * Ends a step with its notice: notice_create(kind, title, view) on c,
 * then the commit. DOM_OK, or DOM_FAILED (rolled back).
 */
enum dom_rc	 step_end_notice(struct dom *d, const struct case_ref *c,
		    const char *kind, const char *title, struct tv *view);

#endif
