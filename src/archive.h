/*
 * archive.h: a closed case's archive (§8). It is kept six years from the
 * day the case closed (rules_dispose_from), and nothing of it may be
 * disposed of before that day. From that day an administrator may
 * dispose of the applicant's form values and files; the events and
 * notices (the record of what was decided) are append-only and stay.
 * Access: PART_ARCHIVE to read, ACT_DISPOSE to dispose (access.c).
 */
#ifndef ZIZHI_ARCHIVE_H
#define ZIZHI_ARCHIVE_H

#include "access.h"
#include "dom.h"

struct archive_info {
	int		 closed;	/* the status is final */
	const char	*closed_on;	/* "YYYY-MM-DD", the day of the last
					   event; "" while open */
	const char	*dispose_from;	/* "YYYY-MM-DD"; "" while open */
	int		 disposed;
	const char	*disposed_at;	/* ISO-8601 UTC; "" before */
	int		 may_dispose;	/* closed, not disposed, and today is
					   on or after dispose_from */
};

/*
 * DOM_GONE when c's archive was disposed of, with d->msg saying when
 * ("…已于 2032-03-16 处置…"): every document of the case (the 申请书, its
 * rounds, the materials, the notices and their PDFs, the assessment and
 * appeal files) answers so from then on. DOM_OK otherwise.
 */
enum dom_rc	 archive_gone(struct dom *d, const struct case_ref *c);

/* The archive of c, loaded with PART_ARCHIVE (DOM_NOT_FOUND without). */
enum dom_rc	 archive_get(struct dom *d, const struct case_ref *c,
		    struct archive_info *out);

/*
 * Disposes of case id's archive: its form values and frozen round values
 * are deleted, its materials marked removed, and every stored file of it
 * (materials, assessment and appeal files) that no case still holding
 * its archive refers to (the view file_ref, checked in the transaction)
 * is deleted from the file store once the commit is made, each checked
 * again under the write lock so that an identical file uploaded to
 * another case meanwhile stays; a disposal row records who and when.
 * The events and notices stay (append-only), but no document of the
 * case is served any more (archive_gone). Refused (DOM_CONFLICT) while the case is open,
 * when it was disposed of already, and before dispose_from; DOM_INVALID
 * for field "confirm" when not confirmed; DOM_FORBIDDEN for anyone but
 * an administrator. Every check runs in the transaction that writes.
 */
enum dom_rc	 archive_dispose(struct dom *d, long long id, int confirmed);

#endif
