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
	int	deleted;	/* files deleted (sweep_files) */
};

/* Files purged from a draft are deleted this long after. */
#define SWEEP_PURGE_AFTER	(24 * 60 * 60)

#define SWEEP_MAX_ATTEMPTS	12

/*
 * Queues the reminders due on today (YYYY-MM-DD, Asia/Shanghai):
 * supplement due in 7 days and in 1 day (to the applicant), supplement
 * deadline passed (to the lead), case clock at risk / over target / over
 * limit (to the lead), certificate 9 and 7 months before expiry and when
 * the on-time maintenance window has closed (to the holder), a
 * rectification's deadline 7 days ahead (rules: rect_remind_days; to the
 * holder) and passed while not lifted (to the supervisor who imposed it,
 * or every supervisor when that account is gone). Each is queued once
 * per trigger however often this runs. 0 or -1.
 */
int	sweep_reminders(struct store *s, const char *today, long long now,
	    struct sweep_stats *st);

/* Days after which the lead hears of a notice not yet served. */
#define SWEEP_UNSERVED_DAYS	3

/*
 * Tells the lead of each notice made days or more before today
 * (YYYY-MM-DD) that is still not served (送达: neither accepted by the
 * organisation's mail server nor opened in the portal), once per notice,
 * to phone or send again. A case without a lead is told once it has
 * one. 0 or -1.
 */
int	sweep_unserved(struct store *s, const char *today, int days,
	    long long now, struct sweep_stats *st);

/*
 * Delivers pending messages whose time has come. A message the server
 * accepted is marked sent at once, and the notice it carries is served
 * then (notice_serve, in the same transaction); a temporary failure is retried after
 * backoff * 2^attempts seconds (at most SWEEP_MAX_ATTEMPTS times); a
 * permanent one is marked failed. With cfg NULL (no SMTP configured)
 * nothing is sent and messages stay in the outbox. 0 or -1.
 */
int	sweep_deliver(struct store *s, const struct mail_config *cfg,
	    long long now, long long backoff, struct sweep_stats *st);

/*
 * Deletes from files_dir the bytes of files purged from drafts
 * (file_purge) more than SWEEP_PURGE_AFTER seconds ago that no record
 * names and nobody stored again since (a backup taken meanwhile still
 * finds them; an upload of the same bytes keeps them). 0 or -1.
 */
int	sweep_files(struct store *s, const char *files_dir, long long now,
	    struct sweep_stats *st);

#endif
