/*
 * throttle.h: slowing down and then blocking repeated login failures
 * (ASVS 2.2.1), per account e-mail and per client address. The state is a
 * table (login_failure), so every worker process sees the same counts.
 */
#ifndef ZIZHI_THROTTLE_H
#define ZIZHI_THROTTLE_H

#include "store.h"

#define THROTTLE_WINDOW		(15 * 60)	/* failures counted over */
#define THROTTLE_BLOCK		(15 * 60)	/* a block lasts */
#define THROTTLE_ACCOUNT_MAX	5	/* failures per account, then block */
#define THROTTLE_ADDR_MAX	20	/* failures per address, then block */
#define THROTTLE_ACCOUNT_FREE	2	/* failures before delays start */
#define THROTTLE_DELAY		5	/* seconds, doubling per failure */
#define THROTTLE_RESET_MAX	3	/* reset e-mails per address, window */

/* "email:<lowercased>" or "addr:<address>" into out; 0, or -1 if it does
 * not fit (then do not throttle on it). */
int		 throttle_key(char *out, size_t len, const char *kind,
		    const char *value);

/* The unix time until which key is refused, or 0 when it may try now. */
long long	 throttle_until(struct store *s, const char *key,
		    long long now);

/*
 * Counts a failure of key. At max failures within THROTTLE_WINDOW, key is
 * blocked for THROTTLE_BLOCK seconds; before that, each failure after the
 * first free ones (free < 0: no delays) makes key wait THROTTLE_DELAY,
 * then twice that, and so on,
 * seconds before the next try. Returns the unix time until which key is
 * now refused (0: not at all), or -1 on a database error.
 */
long long	 throttle_fail(struct store *s, const char *key,
		    long long now, int max, int free);

/* Forgets key's failures (after a successful login). */
void		 throttle_clear(struct store *s, const char *key);

#endif
