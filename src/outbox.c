/*
 * outbox.c: queueing e-mail.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "outbox.h"
#include "workflow.h"

static int	add(struct store *, long long, long long, const char *,
		    const char *, const char *, const char *, const char *,
		    long long);

int
outbox_add(struct store *s, long long case_id, long long notice_id,
    const char *to, const char *subject, const char *body,
    const char *reminder_key, long long now)
{
	return add(s, case_id, notice_id, to, subject, body, NULL,
	    reminder_key, now);
}

int
outbox_add_secret(struct store *s, const char *to, const char *subject,
    const char *body, const char *secret, long long now)
{
	if (strstr(body, OUTBOX_SECRET) == NULL)
		return -1;
	return add(s, 0, 0, to, subject, body, secret, NULL, now);
}

static int
add(struct store *s, long long case_id, long long notice_id,
    const char *to, const char *subject, const char *body,
    const char *secret, const char *reminder_key, long long now)
{
	sqlite3_stmt *st;
	unsigned char rnd[12];
	char mid[96], hex[25], stamp[24];
	int rc;

	if (sodium_init() < 0)
		return -1;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(mid, sizeof(mid), "<%lld.%s@zizhi>", now, hex);
	date_stamp(now, stamp);
	st = store_stmt(s, "INSERT INTO outbox(case_id, notice_id, to_addr, "
	    "subject, body, message_id, created_at, reminder_key, secret) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(reminder_key) DO "
	    "NOTHING");
	if (st == NULL)
		return -1;
	if (case_id > 0)
		store_bind_int(st, 1, case_id);
	if (notice_id > 0)
		store_bind_int(st, 2, notice_id);
	store_bind_text(st, 3, to);
	store_bind_text(st, 4, subject);
	store_bind_text(st, 5, body);
	store_bind_text(st, 6, mid);
	store_bind_text(st, 7, stamp);
	store_bind_text(st, 8, reminder_key);
	store_bind_text(st, 9, secret);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: outbox: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	return sqlite3_changes(store_db(s)) == 1 ? 0 : 1;
}

int
outbox_to_applicants(struct store *s, long long case_id, long long notice_id,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	sqlite3_stmt *st;
	char key[640];
	int rc, n = 0, r, k, result = 1;
	char addrs[17][256];
	const char *a;

	/* The designated contact first, then the accounts; an account
	 * that is the contact too gets one message. */
	st = store_stmt(s, "SELECT rv.value, 0 AS o, 0 AS i FROM round r JOIN "
	    "round_value rv ON rv.round_id = r.id AND rv.field = "
	    "'contact_email' AND rv.row = -1 WHERE r.case_id = ?1 AND r.n = "
	    "(SELECT max(n) FROM round WHERE case_id = ?1) AND rv.value <> '' "
	    "UNION ALL SELECT a.email, 1, a.id FROM account a JOIN cases c ON "
	    "c.org_id = a.org_id WHERE c.id = ?1 AND a.role = 'applicant' AND "
	    "a.disabled = 0 ORDER BY 2, 3 LIMIT 17");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a = store_col_text(st, 0);
		for (k = 0; k < n && strcasecmp(addrs[k], a) != 0; k++)
			;
		if (k == n)
			snprintf(addrs[n++], sizeof(addrs[0]), "%s", a);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	for (r = 0; r < n; r++) {
		if (reminder_key != NULL)
			snprintf(key, sizeof(key), "%.300s:%.255s", reminder_key,
			    addrs[r]);
		switch (outbox_add(s, case_id, notice_id, addrs[r], subject,
		    body,
		    reminder_key ? key : NULL, now)) {
		case 0:
			result = 0;
			break;
		case 1:
			break;
		default:
			return -1;
		}
	}
	return n == 0 ? 1 : result;
}

int
outbox_to_holder(struct store *s, long long org_id, const char *subject,
    const char *body, const char *reminder_key, long long now)
{
	sqlite3_stmt *q;
	char addrs[16][256], key[640];
	int rc, n = 0, i, result = 1;

	q = store_stmt(s, "SELECT email FROM account WHERE org_id = ?1 AND "
	    "role = 'applicant' AND disabled = 0 ORDER BY id LIMIT 16");
	if (q == NULL)
		return -1;
	store_bind_int(q, 1, org_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		snprintf(addrs[n++], sizeof(addrs[0]), "%s",
		    store_col_text(q, 0));
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return -1;
	for (i = 0; i < n; i++) {
		if (reminder_key != NULL)
			snprintf(key, sizeof(key), "%.300s:%.255s", reminder_key,
			    addrs[i]);
		switch (outbox_add(s, 0, 0, addrs[i], subject, body,
		    reminder_key ? key : NULL, now)) {
		case 0:
			result = 0;
			break;
		case 1:
			break;
		default:
			return -1;
		}
	}
	return result;
}
