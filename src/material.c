/*
 * material.c: an application's materials (material.h).
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "attach.h"
#include "files.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "rows.h"
#include "workflow_step.h"
#include "store.h"
#include "util.h"

#define NOT_EDITABLE	"申请已提交，当前不能修改材料。"
#define NOT_REMOVABLE	"此文件当前不能删除。"

/* What the case's files take in all: every version kept (the current
 * ones and those frozen in a round), as the cap counts it. */
static enum dom_rc
kept(struct dom *d, long long case_id, long long *used)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT coalesce(sum(size), "
	    "0) FROM material WHERE case_id = ?1");

	*used = 0;
	if (st == NULL)
		return dom_fail(d, "material kept");
	store_bind_int(st, 1, case_id);
	if (store_row(st) != 1)
		return dom_fail(d, "material kept");
	*used = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return DOM_OK;
}

/*
 * What was taken out of the application (removed, replaced, its row
 * gone) and no round froze is purged: its row goes, so it no longer
 * counts, and its bytes are queued for deletion (file_purge; the sweep
 * deletes them a day later if nothing names them then). Versions frozen
 * in a round stay. In the caller's transaction; 0 or -1.
 */
static int
purge_unfrozen(struct dom *d, long long case_id)
{
	sqlite3_stmt *st[3];
	int i;

	st[0] = store_stmt(d->store, "INSERT INTO file_purge(sha256, purged) "
	    "SELECT sha256, ?2 FROM material m WHERE case_id = ?1 AND state != "
	    "'current' AND NOT EXISTS (SELECT 1 FROM round_file f WHERE "
	    "f.material_id = m.id) ON CONFLICT(sha256) DO UPDATE SET purged = "
	    "excluded.purged");
	st[1] = store_stmt(d->store, "UPDATE material SET replaces = NULL "
	    "WHERE case_id = ?1 AND replaces IN (SELECT id FROM material m "
	    "WHERE case_id = ?1 AND state != 'current' AND NOT EXISTS (SELECT "
	    "1 FROM round_file f WHERE f.material_id = m.id))");
	st[2] = store_stmt(d->store, "DELETE FROM material WHERE case_id = ?1 "
	    "AND state != 'current' AND NOT EXISTS (SELECT 1 FROM round_file f "
	    "WHERE f.material_id = material.id)");
	for (i = 0; i < 3; i++) {
		if (st[i] == NULL)
			return -1;
		store_bind_int(st[i], 1, case_id);
		if (i == 0)
			store_bind_int(st[i], 2, d->now);
		if (sqlite3_step(st[i]) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

enum dom_rc
material_list(struct dom *d, const struct case_ref *c,
    struct material_row **rows, size_t *n, long long *used)
{
	struct material_row *v = NULL, *m;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	*used = 0;
	if (!(c->parts & PART_MATERIALS))
		return DOM_NOT_FOUND;
	if (archive_gone(d, c) != DOM_OK)
		return DOM_GONE;
	st = store_stmt(d->store, "SELECT id, kind, row, filename, mime, "
	    "size, uploaded_at FROM material WHERE case_id = ?1 AND state = "
	    "'current' ORDER BY kind, row, id");
	if (st == NULL)
		return dom_fail(d, "material_list");
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, *n, &cap, sizeof(*v));
		m = &v[(*n)++];
		m->id = sqlite3_column_int64(st, 0);
		m->kind = arena_strdup(d->arena, store_col_text(st, 1));
		m->row = sqlite3_column_int(st, 2);
		m->filename = arena_strdup(d->arena, store_col_text(st, 3));
		m->mime = arena_strdup(d->arena, store_col_text(st, 4));
		m->size = sqlite3_column_int64(st, 5);
		m->uploaded_at = arena_strdup(d->arena, store_col_text(st, 6));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "material_list");
	*rows = v;
	return kept(d, c->id, used);
}

/* The slot (material m, row) exists in the case's form as stored. */
static enum dom_rc
slot_valid(struct dom *d, long long case_id, const struct fdef_material *m,
    int row)
{
	struct formdata fd;

	if (m->group == NULL) {
		if (row == FDEF_NOROW)
			return DOM_OK;
	} else {
		formdata_init(&fd, d->arena);
		if (formdata_load(&fd, d->store, case_id) != 0)
			return dom_fail(d, "material rows");
		if (row >= 0 && row < formdata_rows(&fd, m->group->name))
			return DOM_OK;
	}
	return dom_refuse(d, DOM_INVALID, "row", "没有这一行材料。"
	    "请刷新页面后重新上传。");
}

/*
 * The upload against its slot as the case is now: the case's total
 * size, the same file already there (*same: its id; a replacement is
 * never the same upload) and the slot's file count.
 */
static enum dom_rc
slot_room(struct dom *d, long long case_id, const struct fdef_material *m,
    const struct material_upload *in, const char *hex, long long *same)
{
	/* Every version kept counts toward the cap, not only the current
	 * ones: what a draft took out is purged, so what is left is what
	 * the rounds froze (issue 14, item 4). */
	sqlite3_stmt *st = store_stmt(d->store, "SELECT coalesce(sum(size), "
	    "0), (SELECT count(*) FROM material WHERE case_id = ?1 AND kind = "
	    "?2 AND row = ?3 AND state = 'current'), (SELECT coalesce(min(id), "
	    "0) FROM material WHERE case_id = ?1 AND kind = ?2 AND row = ?3 "
	    "AND sha256 = ?4 AND state = 'current') FROM material WHERE "
	    "case_id = ?1");
	long long used, count, found;

	*same = 0;
	if (st == NULL)
		return dom_fail(d, "material room");
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, m->code);
	store_bind_int(st, 3, in->row);
	store_bind_text(st, 4, hex);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dom_fail(d, "material room");
	}
	used = sqlite3_column_int64(st, 0);
	count = sqlite3_column_int64(st, 1);
	found = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	if (used + (long long)in->len > MATERIAL_CASE_MAX)
		return dom_refuse(d, DOM_TOO_LARGE, "file", "本申请的材料合计"
		    "不能超过 %lld MB（已使用 %.1f MB，含已提交轮次中保存的文件"
		    "版本）。请删除不需要的文件，或压缩后再上传。", MATERIAL_CASE_MAX / (1024 * 1024),
		    (double)used / 1048576.0);
	/* The same file to the same place again (a retry after a lost
	 * answer, a double click) is the upload already done. */
	if (in->replace == 0 && found > 0) {
		*same = found;
		return DOM_OK;
	}
	if (in->replace == 0 && count >= m->maxfiles)
		return dom_refuse(d, DOM_CONFLICT, "file", "“%s”最多上传 %d 个"
		    "文件。请先删除或替换已有文件。", m->label, m->maxfiles);
	return DOM_OK;
}

/* Every check of an upload on case_id as it is now: the case, the
 * application still editable, the slot and its room. */
static enum dom_rc
upload_allowed(struct dom *d, long long case_id,
    const struct fdef_material *m, const struct material_upload *in,
    const char *hex, long long *same)
{
	struct case_ref c;
	enum dom_rc rc;

	*same = 0;
	if ((rc = access_case(d, case_id, PART_MATERIALS, &c)) != DOM_OK ||
	    (rc = step_may(d, &c, ACT_EDIT, NOT_EDITABLE)) != DOM_OK)
		return rc;
	if (m == NULL)
		return dom_refuse(d, DOM_INVALID, "kind", "没有这一项材料。"
		    "请刷新页面后重新上传。");
	if ((rc = slot_valid(d, case_id, m, in->row)) != DOM_OK)
		return rc;
	if (hex == NULL)
		return DOM_OK;
	return slot_room(d, case_id, m, in, hex, same);
}

/* Writes the file's row (replacing in->replace), in the transaction. */
static enum dom_rc
record(struct dom *d, long long case_id, const struct fdef_material *m,
    const struct material_upload *in, const struct attach_file *f,
    long long *id)
{
	sqlite3_stmt *st;

	if (in->replace != 0) {
		st = store_stmt(d->store, "UPDATE material SET state = "
		    "'replaced' WHERE id = ?1 AND case_id = ?2 AND kind = ?3 "
		    "AND row = ?4 AND state = 'current'");
		if (st == NULL)
			return dom_fail(d, "material replace");
		store_bind_int(st, 1, in->replace);
		store_bind_int(st, 2, case_id);
		store_bind_text(st, 3, m->code);
		store_bind_int(st, 4, in->row);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "material replace");
		if (sqlite3_changes(store_db(d->store)) != 1)
			return dom_refuse(d, DOM_CONFLICT, "file", "要替换的"
			    "文件已不存在，请刷新页面后重试。");
	}
	st = store_stmt(d->store, "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at, replaces) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (st == NULL)
		return dom_fail(d, "material insert");
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, m->code);
	store_bind_int(st, 3, in->row);
	store_bind_text(st, 4, f->filename);
	store_bind_text(st, 5, f->mime);
	store_bind_int(st, 6, f->size);
	store_bind_text(st, 7, f->sha256);
	store_bind_int(st, 8, d->actor->id);
	store_bind_text(st, 9, d->stamp);
	if (in->replace != 0)
		store_bind_int(st, 10, in->replace);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "material insert");
	*id = sqlite3_last_insert_rowid(store_db(d->store));
	if (in->replace != 0 && purge_unfrozen(d, case_id) != 0)
		return dom_fail(d, "material purge");
	return DOM_OK;
}

enum dom_rc
material_upload(struct dom *d, long long case_id,
    const struct material_upload *in, long long *id)
{
	const struct fdef_material *m;
	struct attach_file f;
	char hex[FILES_HEX_SIZE];
	long long same;
	enum dom_rc rc;
	int sized = in->len > 0 && (d->max_file == 0 || in->len <= d->max_file);

	*id = 0;
	m = in->kind != NULL ? fdef_material_find(in->kind, NULL) : NULL;
	/* Before the bytes are stored, what cannot go in is refused in the
	 * order a person fixes it; the checks that count run again inside
	 * the transaction. */
	if (sized)
		files_sha256_hex(in->data, in->len, hex);
	if ((rc = upload_allowed(d, case_id, m, in, sized ? hex : NULL,
	    &same)) != DOM_OK)
		return rc;
	if (same > 0) {
		*id = same;
		return DOM_OK;
	}
	if ((rc = attach_prepare(d, in->filename, in->data, in->len, m->types,
	    &f)) != DOM_OK)
		return rc;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = upload_allowed(d, case_id, m, in, f.sha256, &same);
	if (rc == DOM_OK && same > 0)
		*id = same;
	else if (rc == DOM_OK && (rc = attach_keep(d, in->data, in->len,
	    &f)) == DOM_OK)
		rc = record(d, case_id, m, in, &f, id);
	return rc == DOM_FAILED ? rc : dom_end(d, rc);
}

enum dom_rc
material_remove(struct dom *d, long long case_id, long long mid)
{
	int row;
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int current;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = access_case(d, case_id, PART_MATERIALS, &c)) != DOM_OK)
		return dom_end(d, rc);
	st = store_stmt(d->store, "SELECT state = 'current' FROM material "
	    "WHERE id = ?1 AND case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "material remove");
	store_bind_int(st, 1, mid);
	store_bind_int(st, 2, case_id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "material");
		return dom_end(d, DOM_NOT_FOUND);
	}
	current = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if ((rc = step_may(d, &c, ACT_EDIT, NOT_REMOVABLE)) != DOM_OK)
		return dom_end(d, rc);
	if (!current)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    NOT_REMOVABLE));
	st = store_stmt(d->store, "UPDATE material SET state = 'removed' "
	    "WHERE id = ?1 AND case_id = ?2 AND state = 'current'");
	if (st == NULL)
		return dom_fail(d, "material remove");
	store_bind_int(st, 1, mid);
	store_bind_int(st, 2, case_id);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    purge_unfrozen(d, case_id) != 0)
		return dom_fail(d, "material remove");
	return dom_end(d, DOM_OK);
}

enum dom_rc
material_download(struct dom *d, const struct case_ref *c, long long mid,
    struct material_file *out, struct buf *bytes)
{
	int row;
	sqlite3_stmt *st;

	memset(out, 0, sizeof(*out));
	if (!(c->parts & PART_MATERIALS))
		return DOM_NOT_FOUND;
	if (archive_gone(d, c) != DOM_OK)
		return DOM_GONE;
	st = store_stmt(d->store, "SELECT filename, mime, sha256, state = "
	    "'current' FROM material WHERE id = ?1 AND case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "material_download");
	store_bind_int(st, 1, mid);
	store_bind_int(st, 2, c->id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "material");
		return DOM_NOT_FOUND;
	}
	out->id = mid;
	out->filename = arena_strdup(d->arena, store_col_text(st, 0));
	out->mime = arena_strdup(d->arena, store_col_text(st, 1));
	out->sha256 = arena_strdup(d->arena, store_col_text(st, 2));
	out->current = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	return attach_read(d, out->sha256, bytes);
}

/* Runs a statement over case ?1, kind ?2 and, when it has them, a ?3
 * and b ?4; 0 or -1. */
static int
move_rows(struct dom *d, sqlite3_stmt *st, long long case_id,
    const char *kind, int a, int b)
{
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind);
	if (sqlite3_bind_parameter_count(st) == 4) {
		store_bind_int(st, 3, a);
		store_bind_int(st, 4, b);
	}
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* The files of one group material follow the rows of map. */
static int
follow(struct dom *d, long long case_id, const char *kind,
    const struct material_rowmap *map)
{
	int row;

	/* Park every row out of the way, then set the new rows. */
	if (move_rows(d, store_stmt(d->store, "UPDATE material SET row = "
	    "-1000 - row WHERE case_id = ?1 AND kind = ?2 AND row >= 0"),
	    case_id, kind, 0, 0) != 0)
		return -1;
	for (row = 0; row < map->n; row++) {
		if (map->orig[row] < 0)
			continue;
		if (move_rows(d, store_stmt(d->store, "UPDATE material SET "
		    "row = ?4 WHERE case_id = ?1 AND kind = ?2 AND row = "
		    "-1000 - ?3"), case_id, kind, map->orig[row],
		    map->to[row]) != 0)
			return -1;
	}
	/* What is still parked belongs to a row that is gone. */
	if (move_rows(d, store_stmt(d->store, "UPDATE material SET state = "
	    "'removed', row = -1000 - row WHERE case_id = ?1 AND kind = ?2 "
	    "AND row <= -1000 AND state = 'current'"), case_id, kind, 0,
	    0) != 0)
		return -1;
	/* Rows of earlier removed files: back to what they were. */
	return move_rows(d, store_stmt(d->store, "UPDATE material SET row = "
	    "-1000 - row WHERE case_id = ?1 AND kind = ?2 AND row <= -1000"),
	    case_id, kind, 0, 0);
}

enum dom_rc
material_follow_rows(struct dom *d, long long case_id,
    const struct fdef_section *sec, const struct material_rowmap *maps,
    size_t nmaps)
{
	size_t i, k;

	for (i = 0; i < nmaps; i++)
		for (k = 0; k < sec->nmaterials; k++)
			if (sec->materials[k].group == maps[i].group &&
			    follow(d, case_id, sec->materials[k].code,
			    &maps[i]) != 0)
				return dom_fail(d, "material rows");
	if (nmaps > 0 && purge_unfrozen(d, case_id) != 0)
		return dom_fail(d, "material purge");
	return DOM_OK;
}
