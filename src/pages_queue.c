/*
 * pages_queue.c: the staff work queue. "Waiting for me" depends on the
 * role (a lead's own cases and unassigned submissions; an assessor's team
 * cases in assessment; an expert's panel cases; certificate staff's cases
 * awaiting payment or a certificate); "all" shows every open case. Sorted
 * by urgency from the case clock (over limit, over target, at risk, on
 * track), then by net days; filtered by stage, status, lead and text;
 * paged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "router.h"
#include "rules.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_queue[];

#define QUEUE_PAGE	50
#define QUEUE_COUNT_MAX	10000

/* ?1 today, ?2 me, ?3 role, ?4 mine (0/1), ?5 status, ?6 stage,
 * ?7 lead, ?8 text (LIKE pattern) */
#define QUEUE_FROM \
	" FROM cases c JOIN org o ON o.id = c.org_id" \
	" LEFT JOIN account l ON l.id = c.lead_id" \
	" WHERE c.status NOT IN ('draft', 'rejected', 'failed', 'issued'," \
	" 'withdrawn')" \
	" AND (?4 = 0" \
	"  OR (?3 = 'lead' AND ((c.status = 'submitted' AND c.lead_id IS NULL)" \
	"   OR c.lead_id = ?2))" \
	"  OR (?3 = 'assessor' AND c.status = 'assessing' AND EXISTS (SELECT 1" \
	"   FROM team_member t WHERE t.case_id = c.id AND t.account_id = ?2))" \
	"  OR (?3 = 'expert' AND c.status = 'expert_review' AND EXISTS (SELECT" \
	"   1 FROM panel_member p WHERE p.case_id = c.id AND p.account_id = ?2))" \
	"  OR (?3 = 'cert_staff' AND c.status IN ('awaiting_payment'," \
	"   'certificate_pending'))" \
	"  OR ?3 IN ('supervisor', 'admin'))" \
	" AND (?5 IS NULL OR c.status = ?5)" \
	" AND (?6 IS NULL OR (CASE WHEN c.status IN ('submitted'," \
	"  'intake_review', 'supplement_requested', 'accepted') THEN 'acceptance'" \
	"  WHEN c.status IN ('agreement_sent', 'awaiting_payment') THEN 'project'" \
	"  WHEN c.status IN ('assessment_planning', 'assessing', 'expert_review')" \
	"  THEN 'assessment' ELSE 'issuance' END) = ?6)" \
	" AND (?7 IS NULL OR c.lead_id = ?7)" \
	" AND (?8 IS NULL OR c.case_no LIKE ?8 ESCAPE '\\' OR o.name LIKE ?8" \
	"  ESCAPE '\\')"

static const char *stage_codes[] = { "acceptance", "project", "assessment",
    "issuance", NULL };

static void
bind_filters(sqlite3_stmt *st, struct request *req, const char *today,
    int mine, const char *status, const char *stage, long long lead,
    const char *like)
{
	store_bind_text(st, 1, today);
	store_bind_int(st, 2, req->user->id);
	store_bind_text(st, 3, req->user->role);
	store_bind_int(st, 4, mine);
	store_bind_text(st, 5, status);
	store_bind_text(st, 6, stage);
	if (lead > 0)
		store_bind_int(st, 7, lead);
	store_bind_text(st, 8, like);
}

/* A LIKE pattern matching text anywhere, with % _ \ taken literally. */
static const char *
like_of(struct arena *a, const char *q)
{
	size_t n = strlen(q), i, o = 0;
	char *p = arena_alloc(a, n * 2 + 3);

	p[o++] = '%';
	for (i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[o++] = '\\';
		p[o++] = q[i];
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

static void
put_filters(struct request *req, struct tv *v, const char *status,
    const char *stage, long long lead, const char *q, int mine)
{
	const struct status_info *ws;
	struct tv *list, *o;
	sqlite3_stmt *st;
	size_t i;

	list = tv_put_list(v, "statuses");
	for (ws = status_table; ws->code != NULL; ws++) {
		if (ws->final || strcmp(ws->code, "draft") == 0)
			continue;
		o = tv_push_map(list);
		tv_put_str(o, "code", ws->code);
		tv_put_str(o, "label", ws->zh);
		tv_put_bool(o, "selected", status && strcmp(status,
		    ws->code) == 0);
	}
	list = tv_put_list(v, "stages");
	for (i = 0; stage_codes[i] != NULL; i++) {
		o = tv_push_map(list);
		tv_put_str(o, "code", stage_codes[i]);
		tv_put_str(o, "label", stage_zh((enum stage)(i + 1)));
		tv_put_bool(o, "selected", stage && strcmp(stage,
		    stage_codes[i]) == 0);
	}
	list = tv_put_list(v, "leads");
	st = store_stmt(req->app->store, "SELECT id, name FROM account WHERE "
	    "role = 'lead' AND disabled = 0 ORDER BY name");
	if (st != NULL) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			o = tv_push_map(list);
			tv_put_int(o, "id", sqlite3_column_int64(st, 0));
			tv_put_str(o, "name", store_col_text(st, 1));
			tv_put_bool(o, "selected", lead ==
			    sqlite3_column_int64(st, 0));
		}
		sqlite3_reset(st);
	}
	tv_put_str(v, "q", q ? q : "");
	tv_put_bool(v, "mine", mine);
}

static const char *urgency_zh[] = { "正常", "临近目标期限", "超出目标周期",
    "超出最长周期" };
static const char *urgency_code[] = { "on_track", "at_risk", "over_target",
    "over_limit" };

static int
page_queue(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "工作队列"), *list, *row;
	const char *status = params_get(&req->query, "status");
	const char *stage = params_get(&req->query, "stage");
	const char *q = params_get(&req->query, "q");
	const char *ls = params_get(&req->query, "lead");
	const char *ps = params_get(&req->query, "page");
	const char *all = params_get(&req->query, "all");
	const char *today = page_today(req), *like = NULL;
	const struct status_info *ws;
	struct buf base;
	sqlite3_stmt *st;
	long long page = ps ? strtoll(ps, NULL, 10) : 1, total = 0, lead = 0;
	int mine = all == NULL || strcmp(all, "1") != 0, rc, u;

	if (status != NULL && (*status == '\0' || status_find(status) == NULL))
		status = NULL;
	if (stage != NULL && *stage == '\0')
		stage = NULL;
	if (ls != NULL && *ls != '\0')
		lead = strtoll(ls, NULL, 10);
	if (q != NULL && *q != '\0') {
		if (strlen(q) > 200)
			return 400;
		like = like_of(req->arena, q);
	}
	if (page < 1 || page > 1000000)
		page = 1;

	/* Counting stops at QUEUE_COUNT_MAX: past that the exact number
	 * helps nobody and costs a scan of every matching case. */
	st = store_stmt(s, "SELECT count(*) FROM (SELECT 1" QUEUE_FROM
	    " LIMIT 10001)");
	if (st == NULL)
		return 500;
	bind_filters(st, req, today, mine, status, stage, lead, like);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	st = store_stmt(s, "SELECT c.id, coalesce(c.case_no, ''), o.name, "
	    "c.status, coalesce(l.name, ''), " WF_SQL_URGENCY " AS urgency, "
	    WF_SQL_NET " AS net, c.clock_start" QUEUE_FROM
	    " ORDER BY urgency DESC, net DESC, c.id LIMIT " "50" " OFFSET ?9");
	if (st == NULL)
		return 500;
	bind_filters(st, req, today, mine, status, stage, lead, like);
	store_bind_int(st, 9, (page - 1) * QUEUE_PAGE);
	list = tv_put_list(v, "cases");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "case_no", store_col_text(st, 1));
		tv_put_str(row, "org", store_col_text(st, 2));
		ws = status_find(store_col_text(st, 3));
		tv_put_str(row, "status_zh", ws ? ws->zh : "");
		tv_put_str(row, "stage_zh", ws ? stage_zh(ws->stage) : "");
		tv_put_str(row, "lead", store_col_text(st, 4));
		u = sqlite3_column_int(st, 5);
		if (u >= 0 && u <= 3) {
			tv_put_str(row, "urgency", urgency_code[u]);
			tv_put_str(row, "urgency_zh", urgency_zh[u]);
		}
		tv_put_int(row, "net", sqlite3_column_int64(st, 6));
		tv_put_str(row, "submitted", store_col_text(st, 7));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_bool(v, "has_cases", total > 0);
	if (total > QUEUE_COUNT_MAX) {
		tv_put_bool(v, "many", 1);
		total = QUEUE_COUNT_MAX;
	}
	tv_put_int(v, "total", total);
	put_filters(req, v, status, stage, lead, q, mine);

	/* The pager keeps the filters. */
	buf_init(&base);
	buf_puts(&base, "/queue?");
	if (!mine)
		buf_puts(&base, "all=1&");
	if (status)
		buf_printf(&base, "status=%s&", status);
	if (stage)
		buf_printf(&base, "stage=%s&", arena_urlencode(req->arena,
		    stage));
	if (lead > 0)
		buf_printf(&base, "lead=%lld&", lead);
	if (q && *q)
		buf_printf(&base, "q=%s&", arena_urlencode(req->arena, q));
	base.p[--base.n] = '\0';
	page_pager(req, v, arena_strdup(req->arena, base.p), page, total,
	    QUEUE_PAGE);
	/* Without filters base is just "/queue": no '?' to skip. */
	buf_free(&base);
	return page_render(req, resp, 200, "queue", v);
}

const struct route routes_queue[] = {
	{ METHOD_GET, "/queue", page_queue, ROLES_STAFF, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
