/*
 * case.c: cases, with the ownership check on every lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "case.h"
#include "workflow.h"

int
case_get(struct request *req, long long id, struct case_info *out)
{
	struct store *s = req->app->store;
	sqlite3_stmt *st;

	if (req->user == NULL)
		return 404;
	st = store_stmt(s, "SELECT c.id, c.org_id, o.name, "
	    "coalesce(c.case_no, ''), c.status, coalesce(c.lead_id, 0), "
	    "coalesce(l.name, ''), c.created_at, c.rounds "
	    "FROM cases c JOIN org o ON o.id = c.org_id "
	    "LEFT JOIN account l ON l.id = c.lead_id WHERE c.id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	out->id = sqlite3_column_int64(st, 0);
	out->org_id = sqlite3_column_int64(st, 1);
	/* An applicant sees its own organisation's cases, nothing else. */
	if (req->user->org_id != 0 && out->org_id != req->user->org_id) {
		sqlite3_reset(st);
		return 404;
	}
	out->org_name = arena_strdup(req->arena, store_col_text(st, 2));
	out->case_no = arena_strdup(req->arena, store_col_text(st, 3));
	out->status = arena_strdup(req->arena, store_col_text(st, 4));
	out->lead_id = sqlite3_column_int64(st, 5);
	out->lead_name = arena_strdup(req->arena, store_col_text(st, 6));
	out->created_at = arena_strdup(req->arena, store_col_text(st, 7));
	out->rounds = sqlite3_column_int(st, 8);
	sqlite3_reset(st);
	return 0;
}

int
case_get_arg(struct request *req, size_t arg, struct case_info *out)
{
	if (arg >= req->nargs)
		return 404;
	return case_get(req, strtoll(req->args[arg], NULL, 10), out);
}

long long
case_create(struct store *s, long long org_id, long long account_id)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO cases(org_id, "
	    "created_by) VALUES (?1, ?2)");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, org_id);
	store_bind_int(st, 2, account_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_last_insert_rowid(store_db(s));
}

int
case_assign_number(struct store *s, long long id, const char *day,
    char *no, size_t nolen)
{
	sqlite3_stmt *st;
	char prefix[16];
	long long seq = 1;

	snprintf(prefix, sizeof(prefix), "SE2-%.4s-", day);
	st = store_stmt(s, "SELECT coalesce(max(CAST(substr(case_no, 10) AS "
	    "INTEGER)), 0) + 1 FROM cases WHERE case_no LIKE ?1 || '%'");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, prefix);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(no, nolen, "%s%05lld", prefix, seq);
	st = store_stmt(s, "UPDATE cases SET case_no = ?2 WHERE id = ?1 AND "
	    "case_no IS NULL");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, no);
	return sqlite3_step(st) == SQLITE_DONE &&
	    sqlite3_changes(store_db(s)) == 1 ? 0 : -1;
}

int
case_clock(struct store *s, long long id, const char *today,
    struct rules_clock *out)
{
	return workflow_clock(s, id, today, out);
}
