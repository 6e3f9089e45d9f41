/*
 * assessment.h: 评估 (§5.4), the team's part. The case's lead plans the
 * audit (its dates, its method, the team of assessors) and starts it; the
 * lead and the team record activities (document review, interview,
 * practical operation), each with its evidence files, and conclude,
 * which sends the case to expert review (panel.h) with a notice to the
 * applicant.
 *
 * Every step loads the case through the access policy and runs its
 * checks inside its own BEGIN IMMEDIATE transaction. What the expert
 * review shares with it lives here too: the verdicts, the people and
 * conclusions as read, the form problems, the status check.
 */
#ifndef ZIZHI_ASSESSMENT_H
#define ZIZHI_ASSESSMENT_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "files.h"

struct buf;
struct sqlite3_stmt;

#define ASSESS_TEXT_MAX		10000	/* bytes of a finding, method or
					   conclusion */
#define ASSESS_TEAM_MAX		30
#define ASSESS_RECORD_FILES	10	/* files on one activity record */

/*
 * What is wrong with a form, every field of it, so that a page shows all
 * at once; a step that finds any refuses with DOM_INVALID and the first
 * (d->msg, d->field). A step may be given NULL when nobody shows them.
 */
#define ASSESS_PROBLEMS_MAX	16
struct assess_problems {
	size_t	 n;
	struct {
		const char	*field;
		const char	*msg;
	}	 v[ASSESS_PROBLEMS_MAX];
};

/* A code and its words: the kinds of activity, the verdicts. */
struct assess_choice {
	const char	*code;
	const char	*zh;
};
/* document_review, interview, practical (§5.4 a-c), and other (评估方式
 * 包括但不限于: a method the team names); ends with a NULL code. */
extern const struct assess_choice assess_kinds[];
/* pass, fail; ends with a NULL code. */
extern const struct assess_choice assess_verdicts[];
/* The words of a kind or a verdict; NULL when the code is not one. */
const char	*assess_kind_zh(const char *code);
/* How a record says its method: the kind's words, or for "other" the
 * name the team gave ("其他：现场观察"); in d's arena. */
const char	*assess_method_zh(struct dom *d, const char *kind,
		    const char *method);
const char	*assess_verdict_zh(const char *code);

/* The steps. */
struct assess_plan_input {
	const char		*start_day;	/* YYYY-MM-DD */
	const char		*end_day;
	const char		*method;
	const long long		*team;		/* assessor account ids */
	size_t			 nteam;
};

struct assess_upload {
	const char	*name;		/* as the user's computer called it */
	const void	*data;
	size_t		 len;
};

struct assess_record_input {
	const char			*kind;	/* an assess_kinds code */
	const char			*finding;
	const struct assess_upload	*files;
	size_t				 nfiles;
	const char			*method;	/* kind "other": its
							   name, required */
	const char			*area;	/* a review area code
						   (review.h), or NULL/"" */
};

#define ASSESS_METHOD_MAX	30	/* characters of a method's name */

/* Saves the plan and replaces the team (the case's lead, in 审核计划). */
enum dom_rc	 assessment_plan(struct dom *d, long long case_id,
		    const struct assess_plan_input *in,
		    struct assess_problems *pr);
/* Starts the assessment (the lead; the workflow wants a plan and a
 * team). */
enum dom_rc	 assessment_start(struct dom *d, long long case_id);
/*
 * Records an activity with its files (the lead or a team member, 评估中):
 * the files' bytes are stored first, then the record and its files'
 * rows in one transaction. *record_id (may be NULL) gets the new id.
 */
enum dom_rc	 assessment_record(struct dom *d, long long case_id,
		    const struct assess_record_input *in,
		    struct assess_problems *pr, long long *record_id);
/* The team's conclusion (verdict "pass" or "fail", and its text): the
 * case goes to expert review, the applicant gets the 评估结论通知书. */
enum dom_rc	 assessment_conclude(struct dom *d, long long case_id,
		    const char *verdict, const char *text,
		    struct assess_problems *pr);

/* What is read. Strings and arrays live in d's arena. */
struct assess_person {
	long long	 id;
	const char	*name;
	const char	*email;
	int		 flag;		/* what the list says (see each) */
	const char	*at;		/* ISO-8601 UTC, or NULL */
};

struct assess_file {
	long long	 id;
	const char	*filename;
	const char	*mime;
	enum files_kind	 kind;
	long long	 size;
	const char	*sha256;
};

struct assess_record {
	long long		 id;
	const char		*kind;		/* code */
	const char		*method;	/* the name of an "other", or "" */
	const char		*area;		/* a review area code, or "" */
	const char		*finding;
	const char		*by;		/* a name */
	const char		*at;		/* ISO-8601 UTC */
	struct assess_file	*files;
	size_t			 nfiles;
};

struct assess_plan {
	const char	*start_day;
	const char	*end_day;
	const char	*method;
	const char	*by;
	const char	*at;
};

/* A conclusion, the team's or the panel's. */
struct assess_verdict {
	const char	*verdict;	/* "pass" or "fail" */
	const char	*text;		/* the explanation, or the reasons */
	const char	*by;
	const char	*at;
};

/* A conclusion set aside (a send-back, an upheld appeal). */
struct assess_set_aside {
	int				 expert;	/* 0: the team's */
	struct assess_verdict		 v;
	const char			*when;		/* ISO-8601 UTC */
	const char			*why;
};

struct assessment {
	const struct assess_plan	*plan;		/* NULL: none yet */
	struct assess_person		*team;		/* by name */
	size_t				 nteam;
	struct assess_record		*records;	/* in order */
	size_t				 nrecords;
	const struct assess_verdict	*conclusion;	/* NULL: none yet */
	struct assess_set_aside		*set_aside;	/* oldest first */
	size_t				 nset_aside;
};

/*
 * DOM_OK when the case has reached the assessment (审核计划 or later, or
 * has a plan); DOM_CONFLICT with a message that says it has not.
 */
enum dom_rc	 assessment_begun(struct dom *d, const struct case_ref *c);
/* The plan, team, records and conclusion of c (PART_ASSESSMENT). */
enum dom_rc	 assessment_get(struct dom *d, const struct case_ref *c,
		    struct assessment *out);
/* The assessors a lead may put on the team (flag: on it now). */
enum dom_rc	 assessment_assessors(struct dom *d, const struct case_ref *c,
		    struct assess_person **out, size_t *n);
/*
 * A record's file of case_id (PART_ASSESSMENT): its facts in *meta and
 * its bytes, verified, in *body. DOM_NOT_FOUND when the actor may not
 * see the assessment or the case has no such file.
 */
enum dom_rc	 assessment_file(struct dom *d, long long case_id,
		    long long file_id, struct assess_file *meta,
		    struct buf *body);

/*
 * For the steps of this area (assessment.c, panel.c). Loads case_id
 * into *c inside the caller's transaction when the actor may see it
 * (any part of need; DOM_NOT_FOUND) and take act: DOM_FORBIDDEN with
 * forbidden, DOM_CONFLICT saying only in status need can one do what.
 */
enum dom_rc	 assess_load(struct dom *d, long long case_id, unsigned need,
		    enum action act, enum status st, const char *what,
		    const char *forbidden, struct case_ref *c);
/* 1 when account is an enabled account of role (one enum role bit),
 * 0 when not, -1 on error. */
int		 assess_is(struct dom *d, long long account, unsigned role);
/* The refusal of a step taken in the wrong status. */
enum dom_rc	 assess_wrong_status(struct dom *d, const struct case_ref *c,
		    enum status need, const char *what);
/* workflow_move as d's actor in the caller's transaction, mapped. */
enum dom_rc	 assess_move(struct dom *d, const struct case_ref *c,
		    enum status to, const char *reason);
/*
 * Writes a conclusion with st, an INSERT binding the case (?1), the
 * verdict, its text, the actor and now (?2 to ?5), and moves c to to
 * with the reason "said：通过" (or 不通过), in the caller's transaction.
 */
enum dom_rc	 assess_conclusion(struct dom *d, struct sqlite3_stmt *st,
		    const struct case_ref *c, const char *verdict,
		    const char *text, enum status to, const char *said);
/* Adds a problem (formatted, in d's arena). */
void		 assess_problem(struct dom *d, struct assess_problems *pr,
		    const char *field, const char *fmt, ...)
#if defined(__GNUC__)
		    __attribute__((format(printf, 4, 5)))
#endif
		    ;
/* A free text of at most ASSESS_TEXT_MAX bytes; empty (or blank) is a
 * problem with message empty, unless empty is NULL. */
void		 assess_check_text(struct dom *d, struct assess_problems *pr,
		    const char *field, const char *val, const char *empty);
/* A date field: val a real YYYY-MM-DD date into *out (0), else a
 * problem on field naming it zh (-1). */
int		 assess_check_day(struct dom *d, struct assess_problems *pr,
		    const char *field, const char *val, const char *zh,
		    zdate *out);
struct attach_file;
/*
 * Checks and stores the bytes of the first max of the n uploads in (an
 * upload that is refused is a problem on field): *out (d's arena) gets
 * the *nout stored ones. DOM_OK, or DOM_FAILED when the disk fails.
 */
enum dom_rc	 assess_store_files(struct dom *d, struct assess_problems *pr,
		    const char *field, const struct assess_upload *in,
		    size_t n, size_t max, struct attach_file **out,
		    size_t *nout);
/* Mails subject and body to c's lead and its team (the enabled
 * accounts), in the caller's transaction. */
enum dom_rc	 assess_tell_team(struct dom *d, const struct case_ref *c,
		    const char *subject, const char *body);
/* pr, or none when pr is NULL, emptied. */
struct assess_problems *assess_problems_start(struct assess_problems *pr,
		    struct assess_problems *none);
/* DOM_OK without problems, else DOM_INVALID with the first. */
enum dom_rc	 assess_problems_rc(struct dom *d,
		    const struct assess_problems *pr);
/* The enabled accounts of role (one enum role bit) not on c's panel, by
 * name; flag: on c's team. */
enum dom_rc	 assess_pick(struct dom *d, const struct case_ref *c,
		    unsigned role, struct assess_person **out, size_t *n);
/* Reads rows (id, name, email, flag, at) of a statement into *out. */
enum dom_rc	 assess_people(struct dom *d, struct sqlite3_stmt *st,
		    struct assess_person **out, size_t *n);
/* Reads one row (id, filename, mime, size, sha256) of st into *f. */
void		 assess_file_row(struct dom *d, struct sqlite3_stmt *st,
		    struct assess_file *f);
/* Reads one row (verdict, text, by, at) into *out (NULL when none). */
enum dom_rc	 assess_verdict_read(struct dom *d, struct sqlite3_stmt *st,
		    const struct assess_verdict **out);

#endif
