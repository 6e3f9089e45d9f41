/*
 * panel.h: 专家评审 (§5.4), the expert panel. The case's lead forms it
 * from experts who are not on the case's assessment team (separation of
 * duties). Each member declares, before seeing anything of the case but
 * its number and organisation, whether they have a conflict of interest
 * with the applicant: with none, they see the evidence and may conclude;
 * with one, they leave the panel and the lead is told by e-mail. The
 * panel's conclusion (pass; or fail, with reasons) moves the case to
 * 制证中 or 未通过, with a notice to the applicant.
 *
 * Every step loads the case through the access policy and runs its
 * checks inside its own BEGIN IMMEDIATE transaction.
 */
#ifndef ZIZHI_PANEL_H
#define ZIZHI_PANEL_H

#include "assessment.h"

struct panel {
	/* By name; flag: declared no conflict, at: when. */
	struct assess_person		*members;
	size_t				 nmembers;
	const struct assess_verdict	*conclusion;	/* NULL: none yet */
};

/*
 * DOM_OK when the case has reached expert review (or has a panel);
 * DOM_CONFLICT with a message that says it has not.
 */
enum dom_rc	 panel_begun(struct dom *d, const struct case_ref *c);
/* The panel and its conclusion (PART_EXPERT). */
enum dom_rc	 panel_get(struct dom *d, const struct case_ref *c,
		    struct panel *out);
/* The experts the lead may add (flag: on the case's team, so not
 * eligible). */
enum dom_rc	 panel_candidates(struct dom *d, const struct case_ref *c,
		    struct assess_person **out, size_t *n);

/* Adds an expert to the panel (the case's lead, 专家评审): refused for
 * an account that is not an enabled expert, or one on the team. */
enum dom_rc	 panel_add(struct dom *d, long long case_id,
		    long long account_id, struct assess_problems *pr);
/*
 * The actor, on the panel, declares no conflict of interest (confirm
 * must be set: the box ticked). Declaring again changes nothing and
 * sets *already (may be NULL).
 */
enum dom_rc	 panel_declare(struct dom *d, long long case_id, int confirm,
		    int *already, struct assess_problems *pr);
/*
 * The actor, on the panel and not yet declared, declares a conflict of
 * interest: leaves the panel, and the case's lead is sent an e-mail, in
 * one transaction.
 */
enum dom_rc	 panel_declare_conflict(struct dom *d, long long case_id);
/*
 * The panel sends the case back to the team (专家组退回项目组) instead of
 * concluding: a member who declared no conflict, in 专家评审, with the
 * reasons (field "return_reasons": what evidence is missing or what to
 * assess again). The team's conclusion is set aside (kept in the history with
 * the reasons), the case returns to 评估中 with the reasons in its
 * timeline, and the lead and the team are told by e-mail; the panel
 * stays as it is for when the team concludes again.
 */
enum dom_rc	 panel_return(struct dom *d, long long case_id,
		    const char *reasons, struct assess_problems *pr);
/*
 * Sets aside the live conclusions of c that come at or after step
 * which ("audit": the team's and the panel's; "expert": the panel's),
 * copying each into the history with why, in the caller's transaction
 * (a send-back, an upheld appeal).
 */
enum dom_rc	 panel_set_aside(struct dom *d, long long case_id,
		    const char *which, const char *why);
/* The panel's conclusion (verdict "pass" or "fail"; reasons required
 * for "fail") by a member who declared no conflict. */
enum dom_rc	 panel_conclude(struct dom *d, long long case_id,
		    const char *verdict, const char *reasons,
		    struct assess_problems *pr);

#endif
