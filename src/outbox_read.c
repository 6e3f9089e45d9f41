/*
 * outbox_read.c: the administrator's reading of the outbox
 * (outbox_read.h).
 */
#include <string.h>

#include "actor.h"
#include "outbox.h"
#include "outbox_read.h"
#include "store.h"
#include "util.h"
#include "valid.h"

const char *
outbox_state_zh(const char *state)
{
	if (strcmp(state, "sent") == 0)
		return "已发送";
	if (strcmp(state, "failed") == 0)
		return "发送失败";
	return "待发送";
}

static enum dom_rc
admin_only(struct dom *d)
{
	if (d->actor->role_bit != ROLE_ADMIN)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有系统管理员可以查看"
		    "邮件发件箱。");
	return DOM_OK;
}

/* Columns 0-7 of both statements: id, to, subject, state, attempts,
 * created, sent, error. */
static void
msg_of(struct dom *d, sqlite3_stmt *st, struct outbox_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->to = arena_strdup(d->arena, store_col_text(st, 1));
	m->subject = arena_strdup(d->arena, store_col_text(st, 2));
	m->state = arena_strdup(d->arena, store_col_text(st, 3));
	m->attempts = sqlite3_column_int64(st, 4);
	m->created_at = arena_strdup(d->arena, store_col_text(st, 5));
	m->sent_at = arena_strdup(d->arena, store_col_text(st, 6));
	m->error = arena_strdup(d->arena, store_col_text(st, 7));
	m->body = m->message_id = "";
}

enum dom_rc
outbox_list(struct dom *d, long long offset, long long limit,
    struct outbox_msg **msgs, size_t *n, struct outbox_counts *counts)
{
	int row;
	struct outbox_msg *m = NULL, *grown;
	sqlite3_stmt *st;
	size_t cap = 0;
	enum dom_rc rc;
	int step;

	*msgs = NULL;
	*n = 0;
	memset(counts, 0, sizeof(*counts));
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT count(*), coalesce(sum(state = "
	    "'pending'), 0), coalesce(sum(state = 'failed'), 0) FROM outbox");
	if (st == NULL)
		return dom_fail(d, "outbox_list");
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "outbox_list");
	if (row == 1) {
		counts->total = sqlite3_column_int64(st, 0);
		counts->pending = sqlite3_column_int64(st, 1);
		counts->failed = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	st = store_stmt(d->store, "SELECT id, to_addr, subject, state, "
	    "attempts, created_at, coalesce(sent_at, ''), coalesce(last_error, "
	    "'') FROM outbox ORDER BY id DESC LIMIT ?1 OFFSET ?2");
	if (st == NULL)
		return dom_fail(d, "outbox_list");
	store_bind_int(st, 1, limit);
	store_bind_int(st, 2, offset > 0 ? offset : 0);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = arena_alloc(d->arena, cap * sizeof(*grown));
			if (*n > 0)
				memcpy(grown, m, *n * sizeof(*grown));
			m = grown;
		}
		msg_of(d, st, &m[(*n)++]);
	}
	sqlite3_reset(st);
	*msgs = m;
	if (step != SQLITE_DONE)
		return dom_fail(d, "outbox_list");
	return DOM_OK;
}

/* The body as an administrator may read it: a secret it carries (a
 * reset link's token) is never shown, sent or not (outbox.h). */
static const char *
masked(struct dom *d, const char *body)
{
	const char *p = strstr(body, OUTBOX_SECRET);

	if (p == NULL)
		return arena_strdup(d->arena, body);
	return arena_printf(d->arena, "%.*s%s%s", (int)(p - body), body,
	    OUTBOX_MASK, p + strlen(OUTBOX_SECRET));
}

enum dom_rc
outbox_get(struct dom *d, long long id, struct outbox_msg *out)
{
	int row;
	sqlite3_stmt *st;
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT id, to_addr, subject, state, "
	    "attempts, created_at, coalesce(sent_at, ''), coalesce(last_error, "
	    "''), body, message_id, coalesce(resent_as, 0), coalesce(case_id, "
	    "0) FROM outbox WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "outbox_get");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "outbox");
		return DOM_NOT_FOUND;
	}
	msg_of(d, st, out);
	out->body = masked(d, store_col_text(st, 8));
	out->message_id = arena_strdup(d->arena, store_col_text(st, 9));
	out->resent_as = sqlite3_column_int64(st, 10);
	out->case_id = sqlite3_column_int64(st, 11);
	sqlite3_reset(st);
	return DOM_OK;
}

int
outbox_resendable(const struct outbox_msg *m)
{
	return strcmp(m->state, "failed") == 0 && m->resent_as == 0;
}

/* The resend, in its transaction. */
static enum dom_rc
resend(struct dom *d, long long id, const char *to, long long *new_id)
{
	int row;
	struct outbox_msg m;
	sqlite3_stmt *st;
	long long notice = 0;
	enum dom_rc rc;

	if ((rc = outbox_get(d, id, &m)) != DOM_OK)
		return rc;
	if (m.resent_as > 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "这封邮件已经重新发送过"
		    "（见第 %lld 封）。", m.resent_as);
	if (!outbox_resendable(&m))
		return dom_refuse(d, DOM_CONFLICT, NULL, "只有发送失败的邮件才能"
		    "重新发送；这封邮件%s。", outbox_state_zh(m.state));
	if ((st = store_stmt(d->store, "SELECT coalesce(notice_id, 0) FROM "
	    "outbox WHERE id = ?1")) == NULL)
		return dom_fail(d, "outbox resend");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "outbox resend");
	if (row == 1)
		notice = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (outbox_add(d->store, m.case_id, notice, to, m.subject, m.body,
	    NULL, d->now) != 0)
		return dom_fail(d, "outbox resend");
	*new_id = sqlite3_last_insert_rowid(store_db(d->store));
	if ((st = store_stmt(d->store, "UPDATE outbox SET resent_as = ?2 "
	    "WHERE id = ?1 AND resent_as IS NULL")) == NULL)
		return dom_fail(d, "outbox resend");
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, *new_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "outbox resend");
	return DOM_OK;
}

enum dom_rc
outbox_resend(struct dom *d, long long id, const char *to, long long *new_id)
{
	enum dom_rc rc;

	*new_id = 0;
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	if (to == NULL || !valid_email(to))
		return dom_refuse(d, DOM_INVALID, "to", "请填写正确的电子邮箱地址"
		    "（例如 name@example.com），邮件将重新发往这个地址。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = resend(d, id, to, new_id);
	return rc == DOM_FAILED ? rc : dom_end(d, rc);
}
