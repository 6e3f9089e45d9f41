/*
 * notice_read.c: reading a case's notices (notice_read.h).
 */
#include <string.h>

#include "notice_read.h"
#include "rows.h"
#include "store.h"
#include "util.h"

/* How a notice was served, in words. */
static const char *
served_words(const char *via)
{
	if (strcmp(via, "smtp") == 0)
		return "邮件服务器已接收";
	if (strcmp(via, "portal") == 0)
		return "申请单位已在系统中打开";
	if (strcmp(via, "before") == 0)
		return "按发出之日";
	return "";
}

/* The columns of a notice row after the table's FROM notice n LEFT JOIN
 * notice_service s: id, kind, no, title, at, day, due, served day, at,
 * via. */
#define NOTICE_COLS	"n.id, n.kind, n.no, n.title, n.at, n.day, " \
	"coalesce(s.due, n.due, ''), coalesce(s.day, ''), " \
	"coalesce(s.at, ''), coalesce(s.via, '')"

static void
fill(struct dom *d, sqlite3_stmt *st, struct notice_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->kind = arena_strdup(d->arena, store_col_text(st, 1));
	r->no = arena_strdup(d->arena, store_col_text(st, 2));
	r->title = arena_strdup(d->arena, store_col_text(st, 3));
	r->at = arena_strdup(d->arena, store_col_text(st, 4));
	r->day = arena_strdup(d->arena, store_col_text(st, 5));
	r->due = arena_strdup(d->arena, store_col_text(st, 6));
	r->served_day = arena_strdup(d->arena, store_col_text(st, 7));
	r->served_at = arena_strdup(d->arena, store_col_text(st, 8));
	r->served_via = arena_strdup(d->arena, store_col_text(st, 9));
	r->served_zh = served_words(r->served_via);
	r->body = NULL;
}

enum dom_rc
notice_list(struct dom *d, const struct case_ref *c,
    struct notice_row **rows, size_t *n)
{
	struct notice_row *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!(c->parts & PART_NOTICES))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT " NOTICE_COLS " FROM notice n LEFT "
	    "JOIN notice_service s ON s.notice_id = n.id WHERE n.case_id = ?1 "
	    "ORDER BY n.id");
	if (st == NULL)
		return dom_fail(d, "notice_list");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, *n, &cap, sizeof(*v));
		fill(d, st, &v[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "notice_list");
	*rows = v;
	return DOM_OK;
}

enum dom_rc
notice_get(struct dom *d, const struct case_ref *c, long long nid,
    struct notice_row *out)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(c->parts & PART_NOTICES))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT " NOTICE_COLS ", n.body FROM notice n "
	    "LEFT JOIN notice_service s ON s.notice_id = n.id WHERE n.id = ?1 "
	    "AND n.case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "notice_get");
	store_bind_int(st, 1, nid);
	store_bind_int(st, 2, c->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fill(d, st, out);
		out->body = arena_strdup(d->arena, store_col_text(st, 10));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DOM_OK;
	return rc == SQLITE_DONE ? DOM_NOT_FOUND : dom_fail(d, "notice_get");
}

enum dom_rc
notice_supplement(struct dom *d, const struct case_ref *c,
    struct notice_supplement *out)
{
	struct notice_item *v = NULL;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(c->parts & PART_NOTICES))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT n.id, coalesce(s.due, n.due, ''), "
	    "n.no, n.day, coalesce(s.day, ''), coalesce(s.via, '') FROM notice "
	    "n LEFT JOIN notice_service s ON s.notice_id = n.id WHERE "
	    "n.case_id = ?1 AND n.kind = 'supplement' ORDER BY n.id DESC "
	    "LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "notice_supplement");
	store_bind_int(st, 1, c->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->due = arena_strdup(d->arena, store_col_text(st, 1));
		out->no = arena_strdup(d->arena, store_col_text(st, 2));
		out->day = arena_strdup(d->arena, store_col_text(st, 3));
		out->served_day = arena_strdup(d->arena, store_col_text(st, 4));
		out->served_zh = served_words(store_col_text(st, 5));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? DOM_NOT_FOUND : dom_fail(d,
		    "notice_supplement");
	st = store_stmt(d->store, "SELECT target, what FROM supplement_item "
	    "WHERE notice_id = ?1 ORDER BY id");
	if (st == NULL)
		return dom_fail(d, "notice_supplement");
	store_bind_int(st, 1, out->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, out->nitems, &cap, sizeof(*v));
		v[out->nitems].target = arena_strdup(d->arena,
		    store_col_text(st, 0));
		v[out->nitems].what = arena_strdup(d->arena,
		    store_col_text(st, 1));
		out->nitems++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "notice_supplement");
	out->items = v;
	return DOM_OK;
}

enum dom_rc
notice_bounces(struct dom *d, const struct case_ref *c,
    struct notice_bounce **rows, size_t *n)
{
	struct notice_bounce *v = NULL, *b;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!(c->parts & PART_FINDINGS))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT coalesce(o.notice_id, 0), "
	    "coalesce(n.no, ''), o.to_addr, o.subject, coalesce(o.last_error, "
	    "''), o.created_at FROM outbox o LEFT JOIN notice n ON n.id = "
	    "o.notice_id WHERE o.case_id = ?1 AND o.state = 'failed' ORDER BY "
	    "o.id DESC LIMIT 50");
	if (st == NULL)
		return dom_fail(d, "notice_bounces");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, *n, &cap, sizeof(*v));
		b = &v[(*n)++];
		b->notice_id = sqlite3_column_int64(st, 0);
		b->notice_no = arena_strdup(d->arena, store_col_text(st, 1));
		b->to = arena_strdup(d->arena, store_col_text(st, 2));
		b->subject = arena_strdup(d->arena, store_col_text(st, 3));
		b->error = arena_strdup(d->arena, store_col_text(st, 4));
		b->at = arena_strdup(d->arena, store_col_text(st, 5));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "notice_bounces");
	*rows = v;
	return DOM_OK;
}
