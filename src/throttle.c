/*
 * throttle.c: login failure counts and blocks (see throttle.h).
 */
#include <stdio.h>

#include "throttle.h"

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

long long
throttle_until(struct store *s, const char *key, long long now)
{
	sqlite3_stmt *st;
	long long until = 0;

	if (key == NULL)
		return 0;
	st = store_stmt(s, "SELECT blocked_until FROM login_failure "
	    "WHERE key = ?1");
	if (st == NULL)
		return 0;
	store_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
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
	/* Forget what is over: rows outside the window and not blocked. */
	st = store_stmt(s, "DELETE FROM login_failure WHERE window_start < ?1 "
	    "AND blocked_until < ?2");
	if (st != NULL) {
		store_bind_int(st, 1, now - THROTTLE_WINDOW);
		store_bind_int(st, 2, now);
		sqlite3_step(st);
	}
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
		until = now + THROTTLE_BLOCK;
	else if (free >= 0 && count > free)
		until = now + THROTTLE_DELAY * (1LL << (count - free - 1 >
		    10 ? 10 : count - free - 1));
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

void
throttle_clear(struct store *s, const char *key)
{
	sqlite3_stmt *st;

	if (key == NULL)
		return;
	st = store_stmt(s, "DELETE FROM login_failure WHERE key = ?1");
	if (st == NULL)
		return;
	store_bind_text(st, 1, key);
	sqlite3_step(st);
}
