/*
 * application.h: an organisation's applications as the applicant works
 * on them: its list of cases, a new draft, the 申请书 saved a section at
 * a time, withdrawal, and what the case page shows of a case (its clock,
 * the payment against its agreement). Every function takes the domain
 * context (dom.h) and reaches a case through the access policy
 * (access.h); every change runs in its own transaction with the checks
 * that guard it inside.
 */
#ifndef ZIZHI_APPLICATION_H
#define ZIZHI_APPLICATION_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "rules.h"
#include "status.h"

struct fdef_report;
struct fdef_section;
struct formdata;
struct material_rowmap;

/* A case in the organisation's list. */
struct application_row {
	long long	 id;
	const char	*case_no;	/* "" before submission */
	enum status	 st;
	const char	*status;	/* its code */
	const char	*created_at;	/* ISO-8601 UTC */
	const char	*updated_at;	/* the last event, or "" */
};

/*
 * Page page (1-based) of the acting applicant's organisation's cases,
 * newest first, per_page each, and how many there are in all (*total).
 * Staff have no organisation: an empty list. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 application_list(struct dom *d, long long page,
		    long long per_page, struct application_row **rows,
		    size_t *n, long long *total);

/* The most drafts an organisation may hold at once (issue 14, item 4):
 * each may hold MATERIAL_CASE_MAX of files. */
#define APPLICATION_DRAFTS_MAX	5

/*
 * A new draft for the acting applicant's organisation: its id in *id.
 * DOM_FORBIDDEN for anyone but an applicant of an organisation;
 * DOM_CONFLICT when the organisation holds APPLICATION_DRAFTS_MAX drafts
 * already (counted in the transaction that adds one).
 */
enum dom_rc	 application_create(struct dom *d, long long *id);

/*
 * The same, starting from the 申请书 of the organisation's last submitted
 * round (of its most recently submitted case): its values are copied into
 * the new draft (no files: they are uploaded again). *from gets the case
 * number copied from; DOM_NOT_FOUND when the organisation has submitted
 * nothing yet.
 */
enum dom_rc	 application_create_from_last(struct dom *d, long long *id,
		    const char **from);

/* The case number of the organisation's last submitted round, for the
 * offer on 我的申请, into *no (NULL when there is none): DOM_OK or
 * DOM_FAILED. */
enum dom_rc	 application_last_round(struct dom *d, const char **no);

/*
 * Withdraws case_id (撤回申请) with reason ("" or at most 2000 bytes):
 * DOM_OK; DOM_NOT_FOUND; DOM_INVALID (reason); DOM_CONFLICT (not in
 * this status); DOM_FORBIDDEN; DOM_FAILED.
 */
enum dom_rc	 application_withdraw(struct dom *d, long long case_id,
		    const char *reason);

/*
 * The 申请书 of case c as saved, with its current material counts, into
 * fd (formdata_init'ed by the caller). DOM_NOT_FOUND when c's reader may
 * see neither the application nor its materials.
 */
enum dom_rc	 application_form(struct dom *d, const struct case_ref *c,
		    struct formdata *fd);

/*
 * Saves section sec of case_id from values (validated field by field by
 * the caller, blank rows dropped), after the section's cross-field checks
 * on the whole application as it would then be stored, and moves the
 * materials of its group rows with their rows (maps, nmaps: material.h).
 * All in one transaction, with the "still editable" check inside it.
 * DOM_OK; DOM_INVALID with the problems in *rep (rows as stored);
 * DOM_CONFLICT when the application may no longer be changed;
 * DOM_NOT_FOUND; DOM_FORBIDDEN; DOM_FAILED.
 */
enum dom_rc	 application_save_section(struct dom *d, long long case_id,
		    const struct fdef_section *sec,
		    const struct formdata *values,
		    const struct material_rowmap *maps, size_t nmaps,
		    struct fdef_report *rep);

/*
 * The case clock of c as of d->today: DOM_OK; DOM_NOT_FOUND when it has
 * not started (a draft) or cannot be read (logged).
 */
enum dom_rc	 application_clock(struct dom *d, const struct case_ref *c,
		    struct rules_clock *out);

#endif
