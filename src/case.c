/*
 * case.c: cases, with the ownership check on every lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "case.h"
#include "page.h"
#include "workflow.h"

int
case_get(struct request *req, long long id, struct case_info *out)
{
	struct case_ref c;
	struct dom d;

	if (req->user == NULL)
		return 404;
	page_dom(req, &d);
	switch (access_case(&d, id, 0, &c)) {
	case DOM_OK:
		break;
	case DOM_NOT_FOUND:
		return 404;
	default:
		return 500;
	}
	out->id = c.id;
	out->org_id = c.org_id;
	out->org_name = c.org_name;
	out->case_no = c.case_no;
	out->status = c.status;
	out->lead_id = c.lead_id;
	out->lead_name = c.lead_name;
	out->created_at = c.created_at;
	out->rounds = c.rounds;
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
	long long id;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, org_id);
	store_bind_int(st, 2, account_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	id = sqlite3_last_insert_rowid(store_db(s));
	return workflow_status_facts(s, id, ST_DRAFT) == 0 ? id : -1;
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
