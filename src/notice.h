/*
 * notice.h: notices (告知) kept on a case: dated, numbered, immutable
 * documents, each rendered from a plain-text template when its event
 * happens (templates/notice_*.txt).
 */
#ifndef ZIZHI_NOTICE_H
#define ZIZHI_NOTICE_H

#include "dom.h"

struct tv;

/*
 * Renders templates/notice_KIND.txt with view and stores the notice on
 * the case, numbered "<case number>-<letter><n>", in the caller's
 * transaction, and queues it by e-mail to the organisation's contacts
 * (outbox.c) in the same transaction. due (may be NULL) is a date the
 * notice sets. Returns the notice id, or -1.
 */
long long	 notice_create(struct dom *d, long long case_id,
		    const char *case_no, const char *kind, const char *title,
		    struct tv *view, const char *due, long long round_id);

#endif
