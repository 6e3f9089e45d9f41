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
	if (sqlite3_step(st) == SQLITE_ROW) {
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
	sqlite3_stmt *st;
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT id, to_addr, subject, state, "
	    "attempts, created_at, coalesce(sent_at, ''), coalesce(last_error, "
	    "''), body, message_id FROM outbox WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "outbox_get");
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return DOM_NOT_FOUND;
	}
	msg_of(d, st, out);
	out->body = masked(d, store_col_text(st, 8));
	out->message_id = arena_strdup(d->arena, store_col_text(st, 9));
	sqlite3_reset(st);
	return DOM_OK;
}
