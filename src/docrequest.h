/*
 * docrequest.h: 补充资料 during 评估 (§5.4: "项目组与申请单位充分沟通，
 * 确保可获得执行评估必须的所有信息和（或）文件"). The case's lead or a member
 * of its team asks the applicant for documents: the items, a due date
 * and a note, sent as a notice (补充资料通知). The applicant answers on
 * its case page with files (and words if it likes); or the team closes
 * the request without an answer, saying why. One request is open at a
 * time.
 *
 * While a request is open the case clock is paused (§9.3: "周期时间不包含
 * 申请单位补充资料……等时间"). The status does not change, the team may go
 * on working, and the clock takes the request's days from its rows
 * (workflow.c's clock points; docs/rules.md says why this is no status).
 * The team cannot conclude while a request is open.
 *
 * Every step loads the case through the access policy (ACT_REQUEST_DOCS,
 * ACT_ANSWER_DOCS) and checks inside its own BEGIN IMMEDIATE transaction.
 */
#ifndef ZIZHI_DOCREQUEST_H
#define ZIZHI_DOCREQUEST_H

#include <stddef.h>

#include "access.h"
#include "assessment.h"
#include "dom.h"

struct buf;

#define DOCREQ_ITEMS_MAX	20	/* things asked for at once */
#define DOCREQ_ITEM_MAX		500	/* characters of one */
#define DOCREQ_TEXT_MAX		2000	/* characters of a note, an answer,
					   a reason */
#define DOCREQ_FILES_MAX	20	/* files with one answer */

/* What the team asks for. */
struct docreq_input {
	const char *const	*items;		/* blank ones are skipped */
	size_t			 nitems;
	const char		*due;		/* YYYY-MM-DD, today or later */
	const char		*note;		/* may be "" */
};

/*
 * Opens a request on case_id (its lead or team, 审核计划 or 评估中, none
 * open): the request, its items and the 补充资料通知 in one transaction;
 * the clock pauses from today. DOM_OK with *id (may be NULL);
 * DOM_INVALID with every problem in pr (fields "items", "due", "note");
 * DOM_CONFLICT (the status, a request already open); DOM_FORBIDDEN,
 * DOM_NOT_FOUND, DOM_FAILED.
 */
enum dom_rc	 docreq_open(struct dom *d, long long case_id,
		    const struct docreq_input *in, struct assess_problems *pr,
		    long long *id);

/*
 * The applicant answers the open request of case_id with files (at
 * least one; field "file") and words (may be ""; field "answer"): the
 * files are stored first, then the answer closes the request and the
 * clock runs again; the lead and the team are told by e-mail.
 * DOM_CONFLICT when no request is open.
 */
enum dom_rc	 docreq_answer(struct dom *d, long long case_id,
		    const char *answer, const struct assess_upload *files,
		    size_t nfiles, struct assess_problems *pr);

/*
 * The lead or the team closes the open request without an answer,
 * saying why (field "reason"): the clock runs again, the applicant is
 * told by e-mail. DOM_CONFLICT when none is open.
 */
enum dom_rc	 docreq_withdraw(struct dom *d, long long case_id,
		    const char *reason, struct assess_problems *pr);

/* A request as read. Strings in d's arena. */
struct docreq {
	long long		 id;
	const char		*due;
	const char		*note;
	const char		*by;		/* a name */
	const char		*opened_at;	/* ISO-8601 UTC */
	const char		*opened_day;
	int			 open;
	int			 late;		/* open past its due date, or
						   answered after it */
	const char		*closing;	/* "answered", "cancelled",
						   "" while open */
	const char		*closed_at;	/* "" while open */
	const char		*closed_day;
	const char		*closed_by;	/* a name, or "" */
	const char		*answer;
	const char		*reason;
	long long		 notice_id;	/* its 补充资料通知, 0: none */
	const char		**items;
	size_t			 nitems;
	struct assess_file	*files;
	size_t			 nfiles;
};

/*
 * The requests of c, newest first, with their items and files: for
 * whoever reads c's assessment or its materials (the applicant, the
 * lead, the team, the panel, a supervisor); DOM_NOT_FOUND for anyone
 * else.
 */
enum dom_rc	 docreq_list(struct dom *d, const struct case_ref *c,
		    struct docreq **out, size_t *n);

/* A file of an answer of case_id, as docreq_list grants it: its facts
 * and its bytes (verified). DOM_OK, DOM_NOT_FOUND, DOM_FAILED. */
enum dom_rc	 docreq_file(struct dom *d, long long case_id,
		    long long file_id, struct assess_file *meta,
		    struct buf *body);

#endif
