/*
 * archive.c: retention and disposal of a closed case's archive
 * (archive.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "files.h"
#include "rules.h"
#include "store.h"
#include "util.h"

/* The words of a disposal at (ISO-8601 UTC). */
static enum dom_rc
gone(struct dom *d, const char *at)
{
	char local[DATE_BUFSZ];
	const char *day = date_stamp_local(at, local) != NULL ? local : at;

	return dom_refuse(d, DOM_GONE, NULL, "此案件的档案已于 %.10s 处置（档案"
	    "保存六年期满，《申请与维持指南》第八章）：申请书、材料、通知书及其"
	    "文件已不再保存，不能查看或下载。案件的办理记录仍可在案件页面查看。",
	    day);
}

enum dom_rc
archive_gone(struct dom *d, const struct case_ref *c)
{
	if (c->disposed_at == NULL || *c->disposed_at == '\0')
		return DOM_OK;
	return gone(d, c->disposed_at);
}

/* The archive of c as the database has it now. */
static enum dom_rc
load(struct dom *d, const struct case_ref *c, struct archive_info *a)
{
	int row;
	sqlite3_stmt *st;
	char day[DATE_BUFSZ] = "", from[DATE_BUFSZ];
	zdate closed;

	memset(a, 0, sizeof(*a));
	a->closed_on = a->dispose_from = a->disposed_at = "";
	a->closed = status_info(c->st)->final;
	if (!a->closed)
		return DOM_OK;
	st = store_stmt(d->store, "SELECT day FROM event WHERE case_id = ?1 "
	    "ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "archive: closing day");
	store_bind_int(st, 1, c->id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "archive: closing day");
	if (row == 1)
		snprintf(day, sizeof(day), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (date_parse(day, &closed) != 0) {
		fprintf(stderr, "zizhi: archive: case %lld closed on \"%s\"\n",
		    c->id, day);
		return dom_fail(d, "archive: closing day");
	}
	a->closed_on = arena_strdup(d->arena, day);
	a->dispose_from = arena_strdup(d->arena, date_format(
	    rules_dispose_from(rules_default(), closed), from));
	st = store_stmt(d->store, "SELECT at FROM disposal WHERE case_id = ?1");
	if (st == NULL)
		return dom_fail(d, "archive: disposal");
	store_bind_int(st, 1, c->id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "archive: disposal");
	if (row == 1) {
		a->disposed = 1;
		a->disposed_at = arena_strdup(d->arena, store_col_text(st, 0));
	}
	sqlite3_reset(st);
	a->may_dispose = !a->disposed && strcmp(d->today_s,
	    a->dispose_from) >= 0;
	return DOM_OK;
}

enum dom_rc
archive_get(struct dom *d, const struct case_ref *c, struct archive_info *out)
{
	memset(out, 0, sizeof(*out));
	out->closed_on = out->dispose_from = out->disposed_at = "";
	if ((c->parts & PART_ARCHIVE) == 0)
		return DOM_NOT_FOUND;
	return load(d, c, out);
}

/*
 * The stored files of case id (file_ref: materials, assessment files,
 * appeal files) that no other case still holding its archive refers to:
 * hashes in d->arena.
 */
static enum dom_rc
own_files(struct dom *d, long long id, char ***hashes, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	char **h = NULL, **grown;
	int rc;

	*n = 0;
	st = store_stmt(d->store, "SELECT DISTINCT r.sha256 FROM file_ref r "
	    "WHERE r.case_id = ?1 AND NOT EXISTS (SELECT 1 FROM file_ref o "
	    "WHERE o.sha256 = r.sha256 AND o.case_id <> ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM disposal x WHERE x.case_id = o.case_id))");
	if (st == NULL)
		return dom_fail(d, "archive: files");
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			grown = arena_alloc(d->arena, cap * sizeof(*grown));
			if (*n > 0)
				memcpy(grown, h, *n * sizeof(*grown));
			h = grown;
		}
		h[(*n)++] = arena_strdup(d->arena, store_col_text(st, 0));
	}
	sqlite3_reset(st);
	*hashes = h;
	if (rc != SQLITE_DONE)
		return dom_fail(d, "archive: files");
	return DOM_OK;
}

/* Runs one statement of the disposal with ?1 bound to the case. */
static int
run(struct dom *d, sqlite3_stmt *st, long long id)
{
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* The checks of a disposal, in the transaction. */
static enum dom_rc
may_dispose(struct dom *d, long long id, int confirmed, struct case_ref *c)
{
	struct archive_info a;
	enum dom_rc rc;

	if ((rc = access_case(d, id, PART_ARCHIVE, c)) != DOM_OK ||
	    (rc = load(d, c, &a)) != DOM_OK)
		return rc;
	if (!a.closed)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件尚未结束，档案不能"
		    "处置。");
	if ((rc = access_require(d, c, ACT_DISPOSE)) != DOM_OK)
		return rc;
	if (a.disposed)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此案件的档案已经处置过"
		    "了。");
	if (strcmp(d->today_s, a.dispose_from) < 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件于 %s 结束，档案须"
		    "保存六年，%s 之前不得处置（《申请与维持指南》第八章）。",
		    a.closed_on, a.dispose_from);
	if (!confirmed)
		return dom_refuse(d, DOM_INVALID, "confirm", "请勾选确认后再处置"
		    "档案。");
	return DOM_OK;
}

/*
 * Deletes the stored files hashes[0..n-1] once the disposal is
 * committed, each only if still no case holding its archive refers to
 * it, checked under the write lock: an upload of the same bytes to
 * another case commits its row either before (the file stays) or after
 * (it stores the bytes again in its own transaction, attach_keep).
 * A failure leaves a file behind, never deletes one in use.
 */
static void
unlink_unused(struct dom *d, char **hashes, size_t n)
{
	sqlite3_stmt *st;
	char path[4096];
	size_t i;
	int used;

	if (n == 0 || store_begin(d->store) != 0)
		return;
	for (i = 0; i < n; i++) {
		st = store_stmt(d->store, "SELECT 1 FROM file_ref o WHERE "
		    "o.sha256 = ?1 AND NOT EXISTS (SELECT 1 FROM disposal x "
		    "WHERE x.case_id = o.case_id)");
		if (st == NULL)
			break;
		store_bind_text(st, 1, hashes[i]);
		used = sqlite3_step(st) != SQLITE_DONE;
		sqlite3_reset(st);
		if (!used && files_path(d->files_dir, hashes[i], path,
		    sizeof(path)) == 0)
			unlink(path);
	}
	store_rollback(d->store);
}

enum dom_rc
archive_dispose(struct dom *d, long long id, int confirmed)
{
	struct case_ref c;
	sqlite3_stmt *st;
	char **hashes = NULL;
	size_t n = 0;
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = may_dispose(d, id, confirmed, &c)) != DOM_OK)
		return rc == DOM_FAILED ? rc : dom_end(d, rc);
	/* Files no other case refers to are deleted after the commit. */
	if ((rc = own_files(d, c.id, &hashes, &n)) != DOM_OK)
		return rc;
	if ((st = store_stmt(d->store, "INSERT INTO disposal(case_id, by_id, "
	    "at) VALUES (?1, ?2, ?3)")) == NULL)
		return dom_fail(d, "archive: disposal");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_text(st, 3, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    run(d, store_stmt(d->store, "DELETE FROM form_value WHERE "
	    "case_id = ?1"), c.id) != 0 ||
	    run(d, store_stmt(d->store, "DELETE FROM round_value WHERE "
	    "round_id IN (SELECT id FROM round WHERE case_id = ?1)"),
	    c.id) != 0 ||
	    run(d, store_stmt(d->store, "UPDATE material SET state = "
	    "'removed' WHERE case_id = ?1"), c.id) != 0)
		return dom_fail(d, "archive: disposal");
	if ((rc = dom_end(d, DOM_OK)) != DOM_OK)
		return rc;
	unlink_unused(d, hashes, n);
	return DOM_OK;
}
