/*
 * audit.h: the hash chain over events. Each event row holds
 * SHA-256(previous event's hash || this row's content), the rows taken in
 * id order across every case: one chain. Changing, removing or inserting a
 * row behind the application's back breaks the chain at that row.
 */
#ifndef ZIZHI_AUDIT_H
#define ZIZHI_AUDIT_H

#include "store.h"

#define AUDIT_HASH_BYTES	32

/*
 * The hash of one event: prev is the previous event's hash (NULL for the
 * first event: 32 zero bytes), actor_id 0 and from NULL stand for SQL
 * NULL. Every field is written with its length, so no two different rows
 * hash the same bytes.
 */
void	audit_event_hash(const unsigned char *prev, long long case_id,
	    const char *at, const char *day, long long actor_id,
	    const char *from, const char *to, const char *reason,
	    unsigned char out[AUDIT_HASH_BYTES]);

/*
 * Appends an event to the chain: reads the last event's hash and inserts
 * the row with its own. Must run inside the caller's write transaction
 * (store_begin), which keeps the chain linear. 0, or -1 on a database
 * error (the caller logs sqlite3_errmsg and rolls back).
 */
int	audit_event_insert(struct store *s, long long case_id,
	    const char *at, const char *day, long long actor_id,
	    const char *from, const char *to, const char *reason);

struct audit_result {
	long long	 count;		/* events checked */
	long long	 broken_id;	/* first broken link, or 0 */
	unsigned char	 head[AUDIT_HASH_BYTES];	/* the last hash */
	/* The first case whose status is not its last event's, or 0. */
	long long	 mismatch_case;
	char		 case_status[32];
	char		 event_status[32];
};

/*
 * Recomputes the whole chain, hashing every value as stored (an actor
 * changed from NULL to 0, a number stored as text, are changes), and
 * compares each case's status with its last event's. 0 (see
 * r->broken_id and r->mismatch_case), or -1 on a database error.
 */
int	audit_verify(struct store *s, struct audit_result *r);

#endif
