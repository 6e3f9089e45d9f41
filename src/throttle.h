/*
 * throttle.h: slowing down repeated attempts (ASVS 2.2.1, 11.1.4), per
 * account e-mail, per client address, per kind of request. The state is a
 * table (login_failure), so every worker process sees the same counts.
 *
 * An attempt is taken (counted) before it is checked, in one statement
 * that also refuses it while the key waits: of many requests at once,
 * no more get checked than the rule lets through (issue 14, item 6).
 */
#ifndef ZIZHI_THROTTLE_H
#define ZIZHI_THROTTLE_H

#include "store.h"

#define THROTTLE_WINDOW		(15 * 60)	/* attempts counted over */
#define THROTTLE_RESET_MAX	3	/* reset e-mails per address, window */

/*
 * A rule: over THROTTLE_WINDOW, the first free attempts pass at once;
 * each one after them makes the key wait delay seconds, doubled per
 * attempt up to delay_max, before the next; the max-th (0: never) blocks
 * the key for block seconds.
 */
struct throttle_rule {
	int		 free;		/* -1: no delays */
	long long	 delay;
	long long	 delay_max;
	int		 max;		/* 0: never blocks */
	long long	 block;
};

/*
 * The account (any address): two failures free, then 5, 10, 20, 40 and
 * at most 60 seconds between tries; never a lock-out, so nobody can keep
 * the owner out for longer than a minute at a time (issue 14, item 7).
 */
extern const struct throttle_rule throttle_account;
/* A client address: its 20th failure in 15 minutes blocks it for 15. */
extern const struct throttle_rule throttle_address;
/* A second-factor code for one account: as the account's password. */
#define throttle_code	throttle_account
/* Registrations from a client address: 5 in 15 minutes, then blocked
 * for 15 (each costs an argon2id hash). */
extern const struct throttle_rule throttle_register;

/* "email:<lowercased>" or "addr:<address>" into out; 0, or -1 if it does
 * not fit (then do not throttle on it). */
int		 throttle_key(char *out, size_t len, const char *kind,
		    const char *value);

/*
 * Takes one attempt of key (NULL: none to take) at now under rule r:
 * 0 when it may go ahead (it is counted, and should it fail the key
 * already waits as the rule says), the unix time until which key is
 * refused when it may not (nothing counted), -1 on a database error.
 */
long long	 throttle_take(struct store *s, const char *key,
		    long long now, const struct throttle_rule *r);

/* The attempt taken succeeded: for a key that counts failures only,
 * give it back (its count one less, no wait for it). 0 or -1. */
int		 throttle_give_back(struct store *s, const char *key,
		    const struct throttle_rule *r);

/* The unix time until which key is refused, 0 when it may try now, -1
 * when the database cannot say (the caller fails: no free pass). */
long long	 throttle_until(struct store *s, const char *key,
		    long long now);

/*
 * Counts a failure of key. At max failures within THROTTLE_WINDOW, key is
 * blocked for 15 minutes. Returns the unix time until which key is now
 * refused (0: not at all), or -1 on a database error. (The reset form's
 * count of mails per address.)
 */
long long	 throttle_fail(struct store *s, const char *key,
		    long long now, int max, int free);

/* Forgets key's failures (after a successful login). 0 or -1. */
int		 throttle_clear(struct store *s, const char *key);

#endif
