/*
 * throttle.c: login failure counts and blocks (see throttle.h).
 */
#include <stdio.h>

#include "throttle.h"

#define BLOCK	(15 * 60)

const struct throttle_rule throttle_account = { 2, 5, 60, 0, 0 };
const struct throttle_rule throttle_address = { -1, 0, 0, 20, BLOCK };
const struct throttle_rule throttle_register = { -1, 0, 0, 5, BLOCK };

int
throttle_key(char *out, size_t len, const char *kind, const char *value)
{
	size_t n, i;

	if (value == NULL || *value == '\0')
		return -1;
	n = (size_t)snprintf(out, len, "%s:%s", kind, value);
	if (n >= len)
		return -1;
	/* E-mail addresses compare without case, as account.email does. */
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return 0;
}

/* Forgets what is over: rows outside the window and not blocked. 0, or
 * -1 (logged): a write that failed may have ended the transaction. */
static int
forget_over(struct store *s, long long now)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM login_failure WHERE "
	    "window_start < ?1 AND blocked_until < ?2");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, now - THROTTLE_WINDOW);
	store_bind_int(st, 2, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: throttle: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	return 0;
}

long long
throttle_until(struct store *s, const char *key, long long now)
{
	sqlite3_stmt *st;
	long long until = 0;
	int row;

	if (key == NULL)
		return 0;
	st = store_stmt(s, "SELECT blocked_until FROM login_failure "
	    "WHERE key = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1)
		until = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return until > now ? until : 0;
}

long long
throttle_fail(struct store *s, const char *key, long long now, int max,
    int free)
{
	sqlite3_stmt *st;
	long long count, until = 0;
	int rc;

	if (key == NULL)
		return 0;
	if (forget_over(s, now) != 0)
		return -1;
	/* One statement: workers counting at once do not lose a failure. */
	st = store_stmt(s, "INSERT INTO login_failure(key, count, "
	    "window_start) VALUES (?1, 1, ?2) ON CONFLICT(key) DO UPDATE SET "
	    "count = CASE WHEN ?2 - window_start >= ?3 THEN 1 "
	    "ELSE count + 1 END, window_start = CASE WHEN ?2 - window_start "
	    ">= ?3 THEN ?2 ELSE window_start END RETURNING count");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, now);
	store_bind_int(st, 3, THROTTLE_WINDOW);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		fprintf(stderr, "zizhi: throttle: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	count = sqlite3_column_int64(st, 0);
	sqlite3_step(st);
	sqlite3_reset(st);
	if (count >= max)
		until = now + BLOCK;
	else if (free >= 0 && count > free)
		until = now + 5 * (1LL << (count - free - 1 > 10 ? 10 :
		    count - free - 1));
	if (until == 0)
		return 0;
	st = store_stmt(s, "UPDATE login_failure SET blocked_until = "
	    "max(blocked_until, ?2) WHERE key = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, until);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return until;
}

int
throttle_clear(struct store *s, const char *key)
{
	sqlite3_stmt *st;

	if (key == NULL)
		return 0;
	st = store_stmt(s, "DELETE FROM login_failure WHERE key = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* How long key waits after its count-th attempt (0: not at all). */
static long long
wait_after(const struct throttle_rule *r, long long count)
{
	long long w;

	if (r->max > 0 && count >= r->max)
		return r->block;
	if (r->free < 0 || count <= r->free)
		return 0;
	w = r->delay << (count - r->free - 1 > 20 ? 20 : count - r->free - 1);
	return w < r->delay_max ? w : r->delay_max;
}

long long
throttle_take(struct store *s, const char *key, long long now,
    const struct throttle_rule *r)
{
	sqlite3_stmt *st;
	int rc;

	if (key == NULL)
		return 0;
	if (forget_over(s, now) != 0)
		return -1;
	/*
	 * One statement: refused while the key waits; otherwise counted,
	 * and the wait this attempt would earn by failing set at once, so
	 * that a request arriving meanwhile already sees it. ?4 is the
	 * count the attempt makes, computed as the SET does it.
	 */
	st = store_stmt(s, "INSERT INTO login_failure(key, count, window_start, "
	    "blocked_until) VALUES (?1, 1, ?2, ?2 + ?5) ON CONFLICT(key) DO "
	    "UPDATE SET count = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE "
	    "count + 1 END, window_start = CASE WHEN ?2 - window_start >= ?3 "
	    "THEN ?2 ELSE window_start END, blocked_until = ?2 + (CASE WHEN "
	    "?2 - window_start >= ?3 THEN ?5 "
	    "WHEN ?8 > 0 AND count + 1 >= ?8 THEN ?9 "
	    "WHEN ?6 < 0 OR count + 1 <= ?6 THEN 0 "
	    "ELSE min(?7 << min(count - ?6, 20), ?4) END) "
	    "WHERE blocked_until <= ?2 RETURNING count");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, now);
	store_bind_int(st, 3, THROTTLE_WINDOW);
	store_bind_int(st, 4, r->delay_max);
	store_bind_int(st, 5, wait_after(r, 1));
	store_bind_int(st, 6, r->free);
	store_bind_int(st, 7, r->delay);
	store_bind_int(st, 8, r->max);
	store_bind_int(st, 9, r->block);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sqlite3_step(st);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "zizhi: throttle: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	/* Not counted: the key waits. */
	return throttle_until(s, key, now) > 0 ? throttle_until(s, key, now) :
	    now + 1;
}

int
throttle_give_back(struct store *s, const char *key,
    const struct throttle_rule *r)
{
	sqlite3_stmt *st;

	if (key == NULL)
		return 0;
	st = store_stmt(s, "UPDATE login_failure SET count = max(count - 1, "
	    "0), blocked_until = CASE WHEN ?2 > 0 AND count - 1 >= ?2 THEN "
	    "blocked_until ELSE 0 END WHERE key = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, key);
	store_bind_int(st, 2, r->max);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}
