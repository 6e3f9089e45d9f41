/*
 * outbox.h: e-mail waiting to be sent. Messages are written in the
 * caller's transaction (with the notice or reminder they carry) and
 * delivered by `zizhi sweep` (sweep.c).
 */
#ifndef ZIZHI_OUTBOX_H
#define ZIZHI_OUTBOX_H

#include "store.h"

/*
 * Queues one message. reminder_key (may be NULL) names the trigger of a
 * reminder: a second message with the same key is not queued, and 1 is
 * returned. Returns 0 when queued, -1 on error.
 */
int	outbox_add(struct store *s, long long case_id, long long notice_id,
	    const char *to, const char *subject, const char *body,
	    const char *reminder_key, long long now);

/*
 * A message that carries a secret (the token of a password reset link):
 * body holds OUTBOX_SECRET where the secret goes, and the secret is kept
 * apart. Only the delivery puts it in (sweep.c), which blanks it once
 * the message is sent or has failed; the administrator's view shows the
 * mark masked (outbox_read.c). 0 or -1.
 */
#define OUTBOX_SECRET	"[[SECRET]]"

int	outbox_add_secret(struct store *s, const char *to,
	    const char *subject, const char *body, const char *secret,
	    long long now);

/*
 * Queues a message to the case's designated contact address (section
 * 一's 联系人电子邮箱 in its latest frozen round: "受理审查意见和补正告知书
 * 将发送到此邮箱") and to every active applicant account of the case's
 * organisation, each address once (compared without regard to case).
 * Same returns.
 */
int	outbox_to_applicants(struct store *s, long long case_id,
	    long long notice_id, const char *subject, const char *body,
	    const char *reminder_key, long long now);

/*
 * Queues a message to every active applicant account of organisation
 * org_id, the holder of a certificate that has no case here (one issued
 * before the system): each address once per reminder_key (may be NULL).
 * 0 when something was queued, 1 when nothing (no account, or sent
 * before), -1 on error.
 */
int	outbox_to_holder(struct store *s, long long org_id,
	    const char *subject, const char *body, const char *reminder_key,
	    long long now);

#endif
