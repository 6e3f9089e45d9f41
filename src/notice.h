/*
 * notice.h: notices (告知) kept on a case: dated, numbered, immutable
 * documents, each rendered from a plain-text template when its event
 * happens (templates/notice_*.txt), and their 送达 (service): the moment
 * a notice reached the organisation, the first of its mail server
 * accepting the e-mail (SMTP 250) and someone of the organisation
 * opening it in the portal (docs/rules.md, "送达"). A deadline that runs
 * from receipt, the supplement's month, starts then.
 */
#ifndef ZIZHI_NOTICE_H
#define ZIZHI_NOTICE_H

#include "access.h"
#include "dom.h"
#include "notice_read.h"

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

/*
 * The notice of a certificate that has no case here (one issued before
 * the system: a sanction, or its lifting): rendered like notice_create,
 * numbered ref, and e-mailed to the active accounts of its holder org_id
 * (nobody when 0, not yet linked) in the caller's transaction; not kept
 * on any case. 0 or -1.
 */
int		 notice_mail_holder(struct dom *d, long long org_id,
		    const char *ref, const char *kind, const char *title,
		    struct tv *view);

/* How a notice was served. */
#define NOTICE_VIA_SMTP		"smtp"		/* the mail server took it */
#define NOTICE_VIA_PORTAL	"portal"	/* the organisation opened it */

/*
 * Records that notice notice_id reached the organisation at unix time
 * now (its day in Asia/Shanghai): via NOTICE_VIA_SMTP (outbox message
 * outbox_id accepted) or NOTICE_VIA_PORTAL (opened by account_id), in
 * the caller's transaction, unless it was served already: the first
 * counts. A supplement notice gets its due date then (one month on,
 * rules.c). 1 when this served it, 0 when it had been, -1 on error.
 */
int		 notice_serve(struct store *s, long long notice_id,
		    long long now, const char *via, long long outbox_id,
		    long long account_id);

/*
 * Notice nid of c for its reader, with its text, as notice_get; when the
 * reader is of the case's organisation (the notice page or its PDF) and
 * the notice was not yet served, this serves it, in its own transaction,
 * and out shows it served. DOM_OK, DOM_NOT_FOUND or DOM_FAILED.
 */
enum dom_rc	 notice_open(struct dom *d, const struct case_ref *c,
		    long long nid, struct notice_row *out);

#endif
