/*
 * pages_paper.h: what the review page (pages_review.c), the check page
 * (pages_submit.c), the case page (pages_cases.c) and the appeal page
 * (pages_appeal.c) show of 受理's start condition, as template views:
 * the eligibility judged as of the judging day (templates/
 * eligibility.html), the paper original and its receipts, and the
 * overrides of a failed 基本资格 check.
 */
#ifndef ZIZHI_PAGES_PAPER_H
#define ZIZHI_PAGES_PAPER_H

#include "eligibility.h"
#include "intake.h"
#include "page.h"
#include "paper.h"

/* elig: the day, the basic and the ability checks, the years of section
 * 三, the projects of section 八, the supplementary requirements and
 * what fails. */
void	 pp_eligibility(struct request *req, struct tv *v,
	    const struct eligibility *e);
/* paper: the option, the round's fingerprint (grouped by eight), whether
 * 受理 may go ahead and why not, and the receipts with their notes (and,
 * for staff, who checked and recorded them). */
void	 pp_paper(struct request *req, struct tv *v,
	    const struct paper_state *ps, int staff);
/* overrides (has_overrides): each override of c, when its reader may
 * see them; nothing otherwise. -1 when they cannot be read. */
int	 pp_overrides(struct request *req, struct tv *v,
	    const struct case_ref *c);

#endif
