/*
 * pages_archive.c: a closed case's archive (§8): kept six years from the
 * day the case closed (rules_dispose_from); before that nothing of it may
 * be disposed of. From that day an administrator may dispose of the
 * applicant's form values and files; the events and notices (the record
 * of what was decided) are append-only and stay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "files.h"
#include "page.h"
#include "router.h"
#include "rules.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_archive[];

struct archive {
	int		 closed;
	char		 closed_on[24];
	char		 dispose_from[DATE_BUFSZ];
	int		 disposed;
	char		 disposed_at[24];
};

static int
load(struct request *req, const struct case_info *c, struct archive *a)
{
	const struct status_info *ws = status_find(c->status);
	sqlite3_stmt *st;
	zdate d;

	memset(a, 0, sizeof(*a));
	a->closed = ws != NULL && ws->final;
	if (!a->closed)
		return 0;
	st = store_stmt(req->app->store, "SELECT day FROM event WHERE case_id "
	    "= ?1 ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(a->closed_on, sizeof(a->closed_on), "%s",
		    store_col_text(st, 0));
	sqlite3_reset(st);
	if (date_parse(a->closed_on, &d) != 0)
		return -1;
	date_format(rules_dispose_from(rules_default(), d), a->dispose_from);
	st = store_stmt(req->app->store, "SELECT at FROM disposal WHERE "
	    "case_id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		a->disposed = 1;
		snprintf(a->disposed_at, sizeof(a->disposed_at), "%s",
		    store_col_text(st, 0));
	}
	sqlite3_reset(st);
	return 0;
}

static int
page_archive(struct request *req, struct response *resp)
{
	const struct status_info *ws;
	struct case_info c;
	struct archive a;
	struct tv *v;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (load(req, &c, &a) != 0)
		return 500;
	ws = status_find(c.status);
	v = page_view(req, "案件档案");
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_str(v, "status_zh", ws ? ws->zh : c.status);
	tv_put_bool(v, "closed", a.closed);
	tv_put_str(v, "closed_on", a.closed_on);
	tv_put_str(v, "dispose_from", a.dispose_from);
	tv_put_bool(v, "disposed", a.disposed);
	tv_put_str(v, "disposed_at", page_time(req->arena, a.disposed_at));
	tv_put_bool(v, "may_dispose", a.closed && !a.disposed &&
	    strcmp(page_today(req), a.dispose_from) >= 0);
	return page_render(req, resp, 200, "archive", v);
}

static int
page_archive_dispose(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct archive a;
	sqlite3_stmt *st;
	char stamp[24], path[4096], hex[FILES_HEX_SIZE];
	char (*hashes)[FILES_HEX_SIZE] = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (load(req, &c, &a) != 0)
		return 500;
	if (!a.closed) {
		resp->error_message = "案件尚未结束，档案不能处置。";
		return 409;
	}
	if (a.disposed) {
		resp->error_message = "此案件的档案已经处置过了。";
		return 409;
	}
	if (strcmp(page_today(req), a.dispose_from) < 0) {
		resp->error_message = arena_printf(req->arena, "案件于 %s 结束，"
		    "档案须保存六年，%s 之前不得处置（《申请与维持指南》第八章）。",
		    a.closed_on, a.dispose_from);
		return 409;
	}
	if (params_get(&req->form, "confirm") == NULL) {
		resp->error_message = "请勾选确认后再处置档案。";
		return 400;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	/* Files no other case refers to are deleted after the commit. */
	st = store_stmt(s, "SELECT DISTINCT m.sha256 FROM material m WHERE "
	    "m.case_id = ?1 AND NOT EXISTS (SELECT 1 FROM material o WHERE "
	    "o.sha256 = m.sha256 AND o.case_id <> m.case_id)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			hashes = xrealloc(hashes, cap * sizeof(*hashes));
		}
		snprintf(hashes[n++], FILES_HEX_SIZE, "%s",
		    store_col_text(st, 0));
	}
	sqlite3_reset(st);
	if ((st = store_stmt(s, "INSERT INTO disposal(case_id, by_id, at) "
	    "VALUES (?1, ?2, ?3)")) == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, req->user->id);
	store_bind_text(st, 3, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((st = store_stmt(s, "DELETE FROM form_value WHERE case_id = ?1")) ==
	    NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((st = store_stmt(s, "DELETE FROM round_value WHERE round_id IN "
	    "(SELECT id FROM round WHERE case_id = ?1)")) == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((st = store_stmt(s, "UPDATE material SET state = 'removed' WHERE "
	    "case_id = ?1")) == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (store_commit(s) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(hex, sizeof(hex), "%s", hashes[i]);
		if (files_path(req->app->files_dir, hex, path,
		    sizeof(path)) == 0)
			unlink(path);
	}
	free(hashes);
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/archive", c.id));
	return 0;
fail:
	store_rollback(s);
out:
	free(hashes);
	return 500;
}

const struct route routes_archive[] = {
	{ METHOD_GET, "/cases/{n}/archive", page_archive, ROLE_ADMIN |
	    ROLE_SUPERVISOR, 0 },
	{ METHOD_POST, "/cases/{n}/archive/dispose", page_archive_dispose,
	    ROLE_ADMIN, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
