/*
 * notice_read.c: reading a case's notices (notice_read.h).
 */
#include <string.h>

#include "archive.h"
#include "notice_read.h"
#include "rows.h"
#include "store.h"
#include "util.h"

/* Columns 0..6 of a notice row: id, kind, no, title, at, day, due. */
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
	st = store_stmt(d->store, "SELECT id, kind, no, title, at, day, "
	    "coalesce(due, '') FROM notice WHERE case_id = ?1 ORDER BY id");
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
	if (archive_gone(d, c) != DOM_OK)
		return DOM_GONE;
	st = store_stmt(d->store, "SELECT id, kind, no, title, at, day, "
	    "coalesce(due, ''), body FROM notice WHERE id = ?1 AND "
	    "case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "notice_get");
	store_bind_int(st, 1, nid);
	store_bind_int(st, 2, c->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fill(d, st, out);
		out->body = arena_strdup(d->arena, store_col_text(st, 7));
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
	st = store_stmt(d->store, "SELECT id, coalesce(due, '') FROM notice "
	    "WHERE case_id = ?1 AND kind = 'supplement' ORDER BY id DESC "
	    "LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "notice_supplement");
	store_bind_int(st, 1, c->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->due = arena_strdup(d->arena, store_col_text(st, 1));
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
