/*
 * outbox.c: queueing e-mail.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "outbox.h"
#include "util.h"
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

#define OUTBOX_MAX_TO	16	/* addresses of one message */

/* Queues the message to every address the statement st (?1 bound by
 * the caller) finds, at most OUTBOX_MAX_TO; a reminder's key is made
 * per address when each (one recipient keeps the key as it is). 0
 * queued, 1 every copy queued before, NOBODY when st finds no address,
 * -1. */
#define NOBODY	2
static int
to_each(struct store *s, sqlite3_stmt *st, int each, long long case_id,
    long long notice_id, const char *subject, const char *body,
    const char *reminder_key, long long now)
{
	char key[640];
	int rc, n = 0, r, k, result = 1;
	char addrs[OUTBOX_MAX_TO][256];
	const char *a;

	if (st == NULL)
		return -1;
	/* Each address once, however it is spelt. */
	while (n < OUTBOX_MAX_TO && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		a = store_col_text(st, 0);
		for (k = 0; k < n && strcasecmp(addrs[k], a) != 0; k++)
			;
		if (k == n)
			snprintf(addrs[n++], sizeof(addrs[0]), "%s", a);
	}
	if (n == OUTBOX_MAX_TO)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	for (r = 0; r < n; r++) {
		if (reminder_key != NULL && each)
			snprintf(key, sizeof(key), "%.300s:%.255s", reminder_key,
			    addrs[r]);
		else if (reminder_key != NULL)
			snprintf(key, sizeof(key), "%.300s", reminder_key);
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
	return n == 0 ? NOBODY : result;
}

/* The public answer: nobody is 1, as "nothing queued". */
static int
public_rc(int rc)
{
	return rc == NOBODY ? 1 : rc;
}

static int
applicants(struct store *s, long long case_id, long long notice_id,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	/* The designated contact first, then the accounts; an account
	 * that is the contact too gets one message. */
	sqlite3_stmt *st = store_stmt(s, "SELECT rv.value, 0 AS o, 0 AS i "
	    "FROM round r JOIN round_value rv ON rv.round_id = r.id AND "
	    "rv.field = 'contact_email' AND rv.row = -1 WHERE r.case_id = ?1 "
	    "AND r.n = (SELECT max(n) FROM round WHERE case_id = ?1) AND "
	    "rv.value <> '' UNION ALL SELECT a.email, 1, a.id FROM account a "
	    "JOIN cases c ON c.org_id = a.org_id WHERE c.id = ?1 AND a.role = "
	    "'applicant' AND a.disabled = 0 ORDER BY 2, 3");

	if (st != NULL)
		store_bind_int(st, 1, case_id);
	return to_each(s, st, 1, case_id, notice_id, subject, body,
	    reminder_key, now);
}

int
outbox_to_applicants(struct store *s, long long case_id, long long notice_id,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	return public_rc(applicants(s, case_id, notice_id, subject, body,
	    reminder_key, now));
}

static int
account(struct store *s, long long case_id, long long id,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT email FROM account WHERE id "
	    "= ?1 AND disabled = 0");

	if (st != NULL)
		store_bind_int(st, 1, id);
	return to_each(s, st, 0, case_id, 0, subject, body, reminder_key, now);
}

int
outbox_to_account(struct store *s, long long case_id, long long id,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	return public_rc(account(s, case_id, id, subject, body,
	    reminder_key, now));
}

int
outbox_to_role(struct store *s, long long case_id, const char *role,
    const char *subject, const char *body, const char *reminder_key,
    long long now)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT email FROM account WHERE "
	    "role = ?1 AND disabled = 0 ORDER BY id");

	if (st != NULL)
		store_bind_text(st, 1, role);
	return public_rc(to_each(s, st, 1, case_id, 0, subject, body,
	    reminder_key, now));
}

int
outbox_to_case(struct store *s, long long case_id, enum outbox_for to,
    long long notice_id, const char *subject, const char *body,
    const char *reminder_key, long long now)
{
	sqlite3_stmt *st;
	struct buf relayed;
	long long lead = 0;
	int rc;

	if (to == OUTBOX_APPLICANTS)
		rc = applicants(s, case_id, notice_id, subject, body,
		    reminder_key, now);
	else {
		if ((st = store_stmt(s, "SELECT coalesce(lead_id, 0) FROM "
		    "cases WHERE id = ?1")) == NULL)
			return -1;
		store_bind_int(st, 1, case_id);
		if ((rc = store_row(st)) < 0)
			return -1;
		if (rc == 1)
			lead = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		rc = lead > 0 ? account(s, case_id, lead, subject, body,
		    reminder_key, now) : NOBODY;
	}
	if (rc != NOBODY)
		return rc;
	/* Nobody active to receive it: the supervisors, told why. */
	buf_init(&relayed);
	buf_printf(&relayed, "此邮件原应发给%s，但%s。请监督部门安排处理（例如"
	    "改派项目负责人，或联系申请单位）。\n\n%s", to == OUTBOX_LEAD ?
	    "案件的项目负责人" : "申请单位的联系人", to == OUTBOX_LEAD ?
	    (lead > 0 ? "其账号已停用" : "案件尚无项目负责人") :
	    "该单位已没有可用的账号", body);
	rc = outbox_to_role(s, case_id, "supervisor", subject, relayed.p,
	    reminder_key, now);
	buf_free(&relayed);
	return rc;
}

char *
outbox_case_body(const char *body, const char *public_url, long long case_id)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, body);
	if (public_url != NULL && *public_url != '\0')
		buf_printf(&b, "\n查看和办理此案件：%s/cases/%lld\n",
		    public_url, case_id);
	return b.p != NULL ? b.p : xstrdup("");
}

int
outbox_to_holder(struct store *s, long long org_id, const char *subject,
    const char *body, const char *reminder_key, long long now)
{
	sqlite3_stmt *q = store_stmt(s, "SELECT email FROM account WHERE "
	    "org_id = ?1 AND role = 'applicant' AND disabled = 0 ORDER BY id");

	if (q != NULL)
		store_bind_int(q, 1, org_id);
	return public_rc(to_each(s, q, 1, 0, 0, subject, body, reminder_key,
	    now));
}
