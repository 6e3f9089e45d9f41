/*
 * eligibility.h: 基本资格与基本能力 (§3.1, §3.2) of a case, as its
 * reviewers and its applicant read it, and §3.1 (5)'s supplementary
 * requirements (达到其他补充要求).
 *
 * A case is judged as of one day, its judging day: the day (Asia/
 * Shanghai) of its first formal submission, whatever day it is read and
 * whichever round is read (a supplement answers the same application);
 * a draft, as of today. The checks are rules.c's on the 申请书, with the
 * years of section 三 and the projects of section 八 each listed with
 * whether and why they count.
 *
 * The supplementary requirements are the centre's list, kept in the
 * database and edited on the command line (`zizhi intake requirement`,
 * docs/deploy.md); the case's lead records for each, at review, whether
 * it is met and the evidence seen (intake.h). Together with the three
 * basic checks of rules.c they are the start condition (起评条件) that
 * 受理 waits for.
 */
#ifndef ZIZHI_ELIGIBILITY_H
#define ZIZHI_ELIGIBILITY_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "form_def.h"
#include "rules.h"

/* Bounds of a requirement's texts and of a lead's evidence, in bytes. */
#define ELIG_TITLE_MAX		300
#define ELIG_HINT_MAX		1000
#define ELIG_EVIDENCE_MAX	2000

/* A supplementary requirement, and (on a case) the lead's record of it. */
struct elig_req {
	long long	 id;
	const char	*title;
	const char	*hint;		/* the evidence to look for, or "" */
	int		 active;	/* still asked (not retired) */
	const char	*added_at;	/* ISO-8601 UTC */
	int		 recorded;	/* the lead has recorded it */
	int		 met;
	const char	*evidence;	/* "" until recorded */
	const char	*by;		/* the lead's name */
	const char	*at;		/* ISO-8601 UTC */
};

/*
 * The judgement of one form. Not to be copied: its rows point into it.
 */
struct eligibility {
	zdate			 day;		/* judged as of this day */
	char			 day_s[DATE_BUFSZ];
	int			 submitted;	/* day is the first submission's */
	struct rules_applicant	 ap;
	struct rules_check	 checks[RULES_NCHECKS];
	size_t			 nchecks;
	struct rules_fin_row	 fin[RULES_FIN_ROWS];	/* section 三 */
	size_t			 nfin;
	struct rules_proj_row	*projects;		/* section 八 */
	size_t			 nprojects;
	struct elig_req		*reqs;		/* §3.1 (5): active ones, and
						   any the case has a record of */
	size_t			 nreqs;
	/* 基本资格 not met: the basic checks that fail and the active
	 * requirements recorded as not met, in words ("" when none). */
	size_t			 nfailed;
	const char		*failed_zh;
	/* Active requirements the lead has not recorded yet. */
	size_t			 nunrecorded;
	const char		*unrecorded_zh;
};

/*
 * The judging day of c: the day of its first formal submission, or
 * today for a draft; DATE_NONE when it cannot be read (logged).
 */
zdate		 elig_day(struct dom *d, const struct case_ref *c);
/* The day round n of case_id was submitted (Asia/Shanghai), or
 * DATE_NONE (logged). */
zdate		 elig_round_day(struct dom *d, long long case_id, int n);

/*
 * Judges the form src of case c (its frozen round or its draft) as of
 * day into out, in d's arena, with the case's requirement records;
 * submitted says day is the first submission's. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 elig_judge(struct dom *d, const struct case_ref *c,
		    const struct fdef_source *src, zdate day, int submitted,
		    struct eligibility *out);

/* The centre's list, the retired ones too with all: DOM_OK or
 * DOM_FAILED. */
enum dom_rc	 elig_req_list(struct dom *d, int all, struct elig_req **out,
		    size_t *n);
/* Adds a requirement (title 1..300 bytes, hint at most 1000): its id;
 * DOM_INVALID (field "title" or "hint"). For the command line. */
enum dom_rc	 elig_req_add(struct dom *d, const char *title,
		    const char *hint, long long *id);
/* Retires requirement id: DOM_OK; DOM_NOT_FOUND; DOM_CONFLICT when it
 * is retired already. */
enum dom_rc	 elig_req_retire(struct dom *d, long long id);

#endif
