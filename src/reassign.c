/*
 * reassign.c: another project lead for a case (reassign.h).
 */
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "outbox.h"
#include "reassign.h"
#include "rows.h"
#include "store.h"
#include "util.h"
#include "valid.h"
#include "workflow_step.h"

/* The name of the active lead account id into *name: 1; 0 when there
 * is no such lead; -1 when the read failed. */
static int
active_lead(struct dom *d, long long id, const char **name)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT name FROM account "
	    "WHERE id = ?1 AND role = 'lead' AND disabled = 0");
	int found;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	if ((found = store_row(st)) == 1)
		*name = arena_strdup(d->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	return found;
}

/* The new lead's message, and the old one's when still active. */
static int
tell(struct dom *d, const struct case_ref *c, long long to,
    const char *to_name, const char *reason)
{
	const char *subject, *body;
	char *mail;
	int rc;

	subject = arena_printf(d->arena, "【资质申请】案件改派给您（%s）",
	    c->case_no);
	body = arena_printf(d->arena, "监督人员%s将案件 %s（申请单位：%s，当前"
	    "状态：%s）的项目负责人由%s改为您（%s）。\n理由：%s\n请在工作队列"
	    "中查看并继续办理。\n", d->actor->name, c->case_no, c->org_name,
	    status_zh(c->st), *c->lead_name ? c->lead_name : "（无）", to_name,
	    reason);
	mail = outbox_case_body(body, d->public_url, c->id);
	rc = outbox_to_account(d->store, c->id, to, subject, mail, NULL,
	    d->now);
	free(mail);
	if (rc < 0 || c->lead_id <= 0)
		return rc < 0 ? -1 : 0;
	subject = arena_printf(d->arena, "【资质申请】案件已改派他人（%s）",
	    c->case_no);
	body = arena_printf(d->arena, "监督人员%s将案件 %s（申请单位：%s）改派给"
	    "%s，您不再负责此案件。\n理由：%s\n", d->actor->name, c->case_no,
	    c->org_name, to_name, reason);
	return outbox_to_account(d->store, c->id, c->lead_id, subject, body,
	    NULL, d->now) < 0 ? -1 : 0;
}

enum dom_rc
reassign_lead(struct dom *d, long long case_id, long long to,
    const char *reason)
{
	struct case_ref c;
	sqlite3_stmt *st;
	const char *to_name = NULL;
	enum dom_rc rc;
	int found = 0;

	if ((rc = step_begin(d, case_id, PART_SUMMARY, ACT_REASSIGN, &c)) !=
	    DOM_OK)
		return dom_end(d, rc);
	if (to > 0 && (found = active_lead(d, to, &to_name)) < 0)
		return dom_fail(d, "reassign");
	if (to <= 0 || found == 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "lead", "请从列表"
		    "中选择一位在职的项目负责人。"));
	if (to == c.lead_id)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "lead", "%s已是此"
		    "案件的项目负责人，请选择另一位。", to_name));
	if (reason == NULL || strlen(reason) > REASSIGN_REASON_MAX ||
	    !valid_text(reason, 1, REASSIGN_REASON_MAX, VALID_MULTILINE))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "reason", "请写明"
		    "改派的理由（不超过 %d 字节），它将记入案件的办理记录。",
		    REASSIGN_REASON_MAX));
	st = store_stmt(d->store, "INSERT INTO lead_change(case_id, at, day, "
	    "by_id, from_lead, to_lead, reason) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7)");
	if (st == NULL)
		return dom_fail(d, "reassign");
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, d->stamp);
	store_bind_text(st, 3, d->today_s);
	store_bind_int(st, 4, d->actor->id);
	if (c.lead_id > 0)
		store_bind_int(st, 5, c.lead_id);
	store_bind_int(st, 6, to);
	store_bind_text(st, 7, reason);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "reassign");
	st = store_stmt(d->store, "UPDATE cases SET lead_id = ?2 WHERE id = "
	    "?1");
	if (st == NULL)
		return dom_fail(d, "reassign");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, to);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "reassign");
	if (tell(d, &c, to, to_name, reason) != 0)
		return dom_fail(d, "reassign: mail");
	return dom_end(d, DOM_OK);
}

enum dom_rc
reassign_open_cases(struct dom *d, long long lead, size_t max,
    struct reassign_case **rows, size_t *n, long long *total)
{
	struct reassign_case *v = NULL, *r;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if ((d->actor->role_bit & (ROLE_ADMIN | ROLE_SUPERVISOR)) == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有系统管理员和监督"
		    "人员可以查看项目负责人的在办案件。");
	st = store_stmt(d->store, "SELECT c.id, coalesce(c.case_no, ''), "
	    "o.name, c.status, count(*) OVER () FROM cases c JOIN org o ON "
	    "o.id = c.org_id WHERE c.lead_id = ?1 AND c.is_open = 1 ORDER BY "
	    "c.case_no, c.id LIMIT ?2");
	if (st == NULL)
		return dom_fail(d, "open cases");
	store_bind_int(st, 1, lead);
	store_bind_int(st, 2, (long long)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, *n, &cap, sizeof(*v));
		r = &v[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->case_no = arena_strdup(d->arena, store_col_text(st, 1));
		r->org = arena_strdup(d->arena, store_col_text(st, 2));
		r->st = status_of(store_col_text(st, 3));
		*total = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	*rows = v;
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "open cases");
}
