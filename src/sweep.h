/*
 * sweep.h: the periodic job (`zizhi sweep`): the reminders due on a day,
 * each written to the outbox once per trigger, and the delivery of the
 * outbox over SMTP with retries and backoff.
 */
#ifndef ZIZHI_SWEEP_H
#define ZIZHI_SWEEP_H

#include "store.h"

struct mail_config;

struct sweep_stats {
	int	reminders;	/* queued by this run */
	int	sent;
	int	retry;		/* temporary failures, kept for later */
	int	failed;		/* permanent failures */
	int	pending;	/* left in the outbox */
};

#define SWEEP_MAX_ATTEMPTS	12

/*
 * Queues the reminders due on today (YYYY-MM-DD, Asia/Shanghai):
 * supplement due in 7 days and in 1 day (to the applicant), supplement
 * deadline passed (to the lead), case clock at risk / over target / over
 * limit (to the lead), certificate 9 and 7 months before expiry and when
 * the on-time maintenance window has closed (to the holder). Each is
 * queued once per trigger however often this runs, ends with the case's
 * address on public_url (the site's, "https://…"), and goes to the
 * supervisors when its recipient has no active account (outbox.h). 0 or
 * -1.
 */
int	sweep_reminders(struct store *s, const char *today, long long now,
	    const char *public_url, struct sweep_stats *st);

/*
 * Delivers pending messages whose time has come. A message the server
 * accepted is marked sent at once; a temporary failure is retried after
 * backoff * 2^attempts seconds (at most SWEEP_MAX_ATTEMPTS times); a
 * permanent one is marked failed. With cfg NULL (no SMTP configured)
 * nothing is sent and messages stay in the outbox. 0 or -1.
 */
int	sweep_deliver(struct store *s, const struct mail_config *cfg,
	    long long now, long long backoff, struct sweep_stats *st);

#endif
