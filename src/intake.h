/*
 * intake.h: 受理审查 (§5.2). A project lead takes a submitted case (it
 * becomes theirs), reads the frozen submission of its latest round and
 * what changed since the round before, with its eligibility judged as of
 * the case's judging day (eligibility.h), records a finding per review
 * area (review.h) and on each supplementary requirement (§3.1 (5)),
 * records the paper original as it arrives (paper.h), and then requests
 * a supplement (a 补正告知书 listing every item at once, due one month
 * after it is served: 送达, notice.h), accepts it (受理通知书; only once
 * the start condition of §3.1 is met or the lead overrides it with a
 * reason) or refuses it (不予受理通知书 with the reasons and how to
 * appeal; while a supplement is awaited, only once its due date has
 * passed).
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
#include "eligibility.h"
#include "notice_read.h"
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
	struct eligibility	 elig;		/* as of the judging day */
	struct intake_finding	*findings;	/* this round's, as recorded */
	size_t			 nfindings;
	/* The latest supplement notice (its 送达 and due date), if any. */
	int			 has_supplement;
	struct notice_supplement supplement;
	/* Messages to the organisation that could not be delivered. */
	struct notice_bounce	*bounces;
	size_t			 nbounces;
	/* The round answered a supplement after its due date (§5.2): the
	 * lead may still refuse on that ground (intake_refuse_late). */
	int			 late;
	char			 late_due[DATE_BUFSZ];	/* the date it answered */
	char			 late_day[DATE_BUFSZ];	/* the day it came */
	/* While a supplement is awaited: its due date ("" until the notice
	 * is served), and 1 once today is past it. */
	char			 awaited_due[DATE_BUFSZ];
	int			 overdue;
	/* The party the round names differs from the name the account
	 * registered (the documents use the round's). */
	int			 name_differs;
};

/*
 * Reads the review view of c (PART_FINDINGS) into out, in d's arena:
 * DOM_OK; DOM_NOT_FOUND when nothing was submitted; DOM_FAILED.
 */
enum dom_rc	 intake_view(struct dom *d, const struct case_ref *c,
		    struct intake_view *out);

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
 * month after it is served (the due date is set then, notice_serve); to
 * supplement_requested. A wrong item is DOM_INVALID with its field
 * ("item-N"); nothing is written.
 */
enum dom_rc	 intake_request_supplement(struct dom *d, long long case_id,
		    const struct intake_item *items, size_t n);

/*
 * 更正通知: while the case waits for the supplement, a corrected 补正告知书
 * listing items[0..n-1] (the whole list again) supersedes the one in
 * force; its month runs from its own 送达 (notice_serve); the status
 * stays. A wrong item is DOM_INVALID ("item-N"); DOM_CONFLICT outside
 * supplement_requested or before any notice. *no gets the superseded notice's number.
 */
enum dom_rc	 intake_correct_supplement(struct dom *d, long long case_id,
		    const struct intake_item *items, size_t n,
		    const char **no);

/* The lead's record of a supplementary requirement (§3.1 (5)). */
struct intake_req {
	long long	 id;		/* the requirement */
	int		 met;		/* 1 met, 0 not met */
	const char	*evidence;	/* what was seen: 1..2000 bytes */
};

/*
 * Records (or replaces) the lead's findings on the supplementary
 * requirements in, in intake_review only. An unknown or retired
 * requirement, or evidence missing or too long, is DOM_INVALID (field
 * "req_ID"); nothing is written.
 */
enum dom_rc	 intake_record_requirements(struct dom *d, long long case_id,
		    const struct intake_req *in, size_t n);

/* Bytes of an override's reason. */
#define INTAKE_OVERRIDE_MAX	2000

/*
 * 受理: the 受理通知书; to accepted. From 受理审查中 it waits for the start
 * condition (起评条件, §3.1), judged on the latest round as of the
 * judging day, in this order: DOM_CONFLICT (field "requirements") while
 * a supplementary requirement is not recorded; while a 基本资格 check
 * fails (or a requirement is recorded as not met), DOM_INVALID (field
 * "override") unless override gives the lead's reason to accept all the
 * same (at most INTAKE_OVERRIDE_MAX bytes); DOM_CONFLICT (field
 * "receipt") until the paper original is in hand (paper.h). Then an
 * override is kept (basic_override) and the acceptance event's reason
 * names what failed and why it was accepted. override is ignored when
 * nothing fails.
 */
enum dom_rc	 intake_accept(struct dom *d, long long case_id,
		    const char *override);

/*
 * What intake_accept(d, case_id, override) would refuse for the start
 * condition now, without accepting or keeping anything: DOM_OK when it
 * would go ahead (the lead is then asked to confirm), else the same
 * refusal. Another status is DOM_OK (intake_accept says why not).
 */
enum dom_rc	 intake_accept_check(struct dom *d, long long case_id,
		    const char *override);

/* An acceptance although 基本资格 failed. */
struct intake_override {
	int		 round;
	const char	*failed;	/* what failed, in words */
	const char	*reason;
	const char	*by;		/* the lead's name */
	const char	*at;		/* ISO-8601 UTC */
};

/*
 * The overrides of c, oldest first (PART_FINDINGS: the lead, the team,
 * a supervisor): DOM_OK (none: *n 0); DOM_NOT_FOUND without the part;
 * DOM_FAILED.
 */
enum dom_rc	 intake_overrides(struct dom *d, const struct case_ref *c,
		    struct intake_override **out, size_t *n);

/*
 * 不予受理: the 不予受理通知书 with reasons (required, at most 8000
 * bytes; DOM_INVALID, field "reasons"); to rejected. From
 * supplement_requested only after the supplement's due date.
 */
enum dom_rc	 intake_refuse(struct dom *d, long long case_id,
		    const char *reasons);

/*
 * 不予受理（逾期未补正）, §5.2: the same, on the ground that the
 * supplement was not answered in time, which is written into the event
 * and the notice with its dates. Allowed while the supplement is awaited
 * once its due date has passed, and in intake_review when the latest
 * round answered it late; otherwise DOM_CONFLICT with what the dates
 * are.
 */
enum dom_rc	 intake_refuse_late(struct dom *d, long long case_id,
		    const char *reasons);

#endif
