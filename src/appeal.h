/*
 * appeal.h: appeals (申诉, §7). An applicant files a written appeal, with
 * files if it likes, against a refusal (不予受理) or a failed review
 * (未通过), one open appeal per case at a time; a supervisor who took no
 * part in the case takes it and concludes it, upheld or not. The
 * conclusion is a notice to the appellant (申诉结论通知书). An upheld
 * appeal reopens the case at the contested step, through the workflow:
 * a refusal back to 受理审查中; a failed review back to the step the
 * supervisor names, 评估中 (the team assesses again; its conclusion and
 * the panel's are set aside) or 专家评审 (the panel reviews again; its
 * conclusion is set aside). The days from the refusal or failure to the
 * reopening do not count on the case clock (docs/rules.md).
 *
 * Every function reaches the case through the access policy (access.h):
 * the applicant its own organisation's cases, a supervisor every case
 * with an appeal. Handling is the supervisors' alone, and only theirs who
 * took no part in the case (separation of duties): not its lead, not one
 * who moved it, reviewed it, sat on its team or its panel, or concluded
 * its assessment.
 */
#ifndef ZIZHI_APPEAL_H
#define ZIZHI_APPEAL_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "textcheck.h"
#include "timeline.h"

struct buf;

#define APPEAL_TEXT_MAX		5000	/* characters of an appeal or a
					   conclusion */
#define APPEAL_FILES_MAX	10	/* files with one appeal */
#define APPEAL_CASE_MAX		32	/* appeals of a case listed */
#define APPEAL_PROBLEMS		2	/* room appeal_check needs */

/* A file sent with an appeal, as uploaded. */
struct appeal_upload {
	const char	*name;		/* the browser's file name */
	const void	*data;
	size_t		 len;
};

/* What the applicant files. */
struct appeal_input {
	const char			*text;
	const struct appeal_upload	*files;
	size_t				 nfiles;
};

/* A file of an appeal. */
struct appeal_doc {
	long long	 id;		/* its row */
	const char	*filename;
	const char	*mime;
	long long	 size;
	const char	*sha256;
};

struct appeal {
	long long		 id;
	long long		 case_id;
	const char		*text;
	const char		*filed_by;	/* a name */
	const char		*filed_at;	/* ISO-8601 UTC */
	long long		 handler_id;	/* 0: nobody has taken it */
	const char		*handler;	/* a name, or "" */
	int			 concluded;
	int			 upheld;
	enum status		 reopen_to;	/* upheld: where the case was
						   reopened, else ST_DRAFT */
	const char		*conclusion;	/* "" while open */
	const char		*concluded_at;	/* "" while open */
	struct appeal_doc	*docs;
	size_t			 ndocs;
	/* For the supervisors' list: */
	const char		*case_no;
	const char		*org_name;
	enum status		 case_st;
};

/* What the appeal is about: a finding of the 受理审查. */
struct appeal_finding {
	long long	 round;
	const char	*area;
	const char	*verdict;	/* "ok", "supplement", "fail" */
	const char	*comment;
	const char	*by;
	const char	*at;
};

/* ... or a conclusion of the assessment or of the panel. */
struct appeal_verdict {
	int		 expert;	/* 0: the team's (评估组审核结论) */
	const char	*verdict;	/* "pass", "fail" */
	const char	*text;
	const char	*by;
	const char	*at;
};

/* Everything a supervisor reads to handle an appeal. */
struct appeal_dossier {
	struct appeal		 a;
	struct case_ref		 c;
	const char		*conflict;	/* why the actor may not
						   handle it, or NULL */
	int			 may_take;
	int			 may_conclude;
	int			 other_handler;	/* open, someone else's */
	struct appeal_finding	*findings;
	size_t			 nfindings;
	struct appeal_verdict	*verdicts;
	size_t			 nverdicts;
	struct timeline_event	*events;
	size_t			 nevents;
};

/*
 * Files an appeal on case_id as the actor, its files stored (attach.h)
 * and recorded with it in one transaction, in which it also checks that
 * the case may be appealed now and has no open appeal. DOM_OK with *id;
 * DOM_NOT_FOUND; DOM_FORBIDDEN; DOM_CONFLICT (the status, an open
 * appeal); DOM_INVALID (field "text" or "files") or DOM_TOO_LARGE (field
 * "files"), nothing written; DOM_FAILED.
 */
enum dom_rc	 appeal_lodge(struct dom *d, long long case_id,
		    const struct appeal_input *in, long long *id);

/*
 * Every problem of in that appeal_lodge would refuse before looking at
 * the files' contents (the text, the number of files), into out (room
 * for APPEAL_PROBLEMS): how many.
 */
size_t		 appeal_check(struct dom *d, const struct appeal_input *in,
		    struct problem *out);

/*
 * DOM_OK when the actor may file an appeal on c now; else the refusal
 * appeal_lodge would give (DOM_FORBIDDEN, DOM_CONFLICT) with its message.
 */
enum dom_rc	 appeal_may_lodge(struct dom *d, const struct case_ref *c);

/*
 * The appeals of c (which needs PART_APPEALS), newest first, at most
 * APPEAL_CASE_MAX, with their files; *open: how many are open.
 */
enum dom_rc	 appeal_list_case(struct dom *d, const struct case_ref *c,
		    struct appeal **out, size_t *n, size_t *open);

/*
 * The supervisors' list: the open appeals first, oldest first, then the
 * concluded, newest first; limit from offset, with the case's number,
 * organisation and status; *total and *open count them all.
 * DOM_FORBIDDEN for anyone but a supervisor.
 */
enum dom_rc	 appeal_list(struct dom *d, long long offset, long long limit,
		    struct appeal **out, size_t *n, long long *total,
		    long long *open);

/*
 * Appeal id as the actor may see it (the case's applicant, a
 * supervisor), with c (may be NULL) its case: DOM_OK, DOM_NOT_FOUND.
 */
enum dom_rc	 appeal_get(struct dom *d, long long id, struct appeal *out,
		    struct case_ref *c);

/* The appeal, its case, its findings, conclusions and timeline, and
 * whether the actor (a supervisor) may handle it. */
enum dom_rc	 appeal_dossier(struct dom *d, long long id,
		    struct appeal_dossier *out);

/*
 * Why the actor took part in the case (a message that says so and that
 * someone else must handle the appeal), or NULL into *why.
 */
enum dom_rc	 appeal_involvement(struct dom *d, long long case_id,
		    const char **why);

/*
 * The actor, a supervisor who took no part in the case, takes appeal id:
 * DOM_OK; DOM_NOT_FOUND; DOM_FORBIDDEN (took part: the message says how;
 * not a supervisor); DOM_CONFLICT (concluded, someone else's).
 */
enum dom_rc	 appeal_take(struct dom *d, long long id);

/*
 * Concludes appeal id, upheld (1) or not (0; anything else is refused on
 * field "upheld"), with text (field "conclusion"), and sends the
 * appellant the 申诉结论通知书: the same refusals as appeal_take and
 * DOM_INVALID. It becomes the actor's if nobody had taken it. Upheld,
 * the case is reopened at reopen: for a refusal ST_INTAKE_REVIEW (or
 * ST_DRAFT, meaning that); for a failed review ST_ASSESSING or
 * ST_EXPERT_REVIEW (field "reopen" when it is neither); all in one
 * transaction.
 */
enum dom_rc	 appeal_conclude(struct dom *d, long long id, int upheld,
		    const char *text, enum status reopen);

/* The steps an upheld appeal on a case in status st may reopen it at
 * (ST_DRAFT ends the list): *out gets at most 3. The count. */
size_t		 appeal_reopen_steps(enum status st, enum status out[3]);

/* Every problem of a conclusion (upheld, text), into out (room for
 * APPEAL_PROBLEMS): how many. */
size_t		 appeal_check_conclusion(struct dom *d, int upheld,
		    const char *text, struct problem *out);

/*
 * File doc of appeal id, as appeal_get grants it: *doc, its bytes in
 * body (verified). DOM_OK, DOM_NOT_FOUND, DOM_FAILED.
 */
enum dom_rc	 appeal_doc_read(struct dom *d, long long id, long long doc,
		    struct appeal_doc *out, struct buf *body);

#endif
