/*
 * intake.h: 受理审查 (§5.2). A project lead takes a submitted case (it
 * becomes theirs), reads the frozen submission of its latest round and
 * what changed since the round before, records a finding per review area
 * (review.h), and then requests a supplement (a 补正告知书 listing every
 * item at once, with its due date), accepts it (受理通知书) or refuses it
 * (不予受理通知书 with the reasons and how to appeal; while a supplement is
 * awaited, only once its due date has passed).
 *
 * Each step is one function: it loads the case through the access policy
 * and does every check inside its own transaction, the notice in the
 * same transaction as the status change.
 */
#ifndef ZIZHI_INTAKE_H
#define ZIZHI_INTAKE_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "rules.h"

struct formdata;

/* Items a supplement notice may list. */
#define INTAKE_MAX_ITEMS	100

/* A finding on one review area: as recorded, or as read. */
struct intake_finding {
	const char	*area;		/* review.h area code */
	const char	*verdict;	/* "ok", "supplement", "fail" */
	const char	*comment;	/* "" when none */
};

/* One item of a supplement notice. */
struct intake_item {
	int		 row;		/* the form row, for d->field "item-N" */
	const char	*target;	/* a section id or a material code */
	const char	*what;		/* what to supplement */
};

/* A file frozen in a round. */
struct intake_file {
	long long	 material_id;
	const char	*kind;		/* the material's words */
	int		 row;		/* its group row from 1, or 0 */
	const char	*filename;
	long long	 size;
	const char	*sha256;
	const char	*code;		/* the material's form_def.c code */
};

/* A change from the previous round: a value or a file, in words. */
struct intake_change {
	const char	*what;
	const char	*was;
	const char	*now;
};

/* What the review page shows of the case's latest round. */
struct intake_view {
	int			 round;		/* its number, from 1 */
	int			 prev_round;	/* 0 for the first round */
	struct formdata		*form;		/* its frozen values */
	struct intake_file	*files;
	size_t			 nfiles;
	struct intake_change	*changes;	/* none for the first round */
	size_t			 nchanges;
	struct rules_check	 checks[RULES_NCHECKS];	/* eligibility */
	size_t			 nchecks;
	struct intake_finding	*findings;	/* this round's, as recorded */
	size_t			 nfindings;
	char			 supplement_due[DATE_BUFSZ];
};

/*
 * Reads the review view of c (PART_FINDINGS) into out, in d's arena:
 * DOM_OK; DOM_NOT_FOUND when nothing was submitted; DOM_FAILED.
 */
enum dom_rc	 intake_view(struct dom *d, const struct case_ref *c,
		    struct intake_view *out);

/* The due date of a supplement requested today (one month on). */
zdate		 intake_supplement_due(const struct dom *d);

/* 开始受理审查: the actor becomes the case's lead; to intake_review. */
enum dom_rc	 intake_take(struct dom *d, long long case_id);

/*
 * Records (or replaces) the findings in of the case's latest round, in
 * intake_review only. An unknown area or verdict, or a comment over
 * 4000 bytes, is DOM_INVALID with nothing written.
 */
enum dom_rc	 intake_record_findings(struct dom *d, long long case_id,
		    const struct intake_finding *in, size_t n);

/*
 * What is wrong with a supplement item, in words naming its row; NULL
 * when it is right, with *label (may be NULL) set to its target in words.
 */
const char	*intake_item_check(struct arena *a, const struct intake_item *it,
		    const char **label);

/*
 * 要求补正: the 补正告知书 listing items[0..n-1] (at least one), due one
 * month on; to supplement_requested. A wrong item is DOM_INVALID with
 * its field ("item-N"); nothing is written.
 */
enum dom_rc	 intake_request_supplement(struct dom *d, long long case_id,
		    const struct intake_item *items, size_t n);

/*
 * 更正通知: while the case waits for the supplement, a corrected 补正告知书
 * listing items[0..n-1] (the whole list again) supersedes the one in
 * force, with a new due date one month on; the status stays. A wrong
 * item is DOM_INVALID ("item-N"); DOM_CONFLICT outside
 * supplement_requested. *no gets the superseded notice's number.
 */
enum dom_rc	 intake_correct_supplement(struct dom *d, long long case_id,
		    const struct intake_item *items, size_t n,
		    const char **no);

/* 受理: the 受理通知书; to accepted. */
enum dom_rc	 intake_accept(struct dom *d, long long case_id);

/*
 * 不予受理: the 不予受理通知书 with reasons (required, at most 8000
 * bytes; DOM_INVALID, field "reasons"); to rejected. From
 * supplement_requested only after the supplement's due date.
 */
enum dom_rc	 intake_refuse(struct dom *d, long long case_id,
		    const char *reasons);

#endif
