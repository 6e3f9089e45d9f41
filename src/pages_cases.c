/*
 * pages_cases.c: an applicant's cases: the list, a new application, the
 * case page (stage bar, status, clock, timeline, notices, next step) and
 * withdrawal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "form_def.h"
#include "formdata.h"
#include "page.h"
#include "pages.h"
#include "workflow.h"
#include "status.h"

#define CASES_PER_PAGE	20

static void
put_status(struct tv *v, const char *code)
{
	const struct status_info *st = status_find(code);

	tv_put_str(v, "status", code);
	tv_put_str(v, "status_zh", st ? st->zh : code);
	tv_put_str(v, "stage_zh", st ? stage_zh(st->stage) : "");
	tv_put_bool(v, "final", st ? st->final : 0);
	tv_put_bool(v, "draft", strcmp(code, "draft") == 0);
}

int
page_cases(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "我的申请"), *list, *row;
	const char *p = params_get(&req->query, "page");
	long long page = p ? strtoll(p, NULL, 10) : 1, total = 0;
	sqlite3_stmt *st;
	int rc;

	if (page < 1 || page > 100000)
		page = 1;
	st = store_stmt(s, "SELECT count(*) FROM cases WHERE org_id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, req->user->org_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT c.id, coalesce(c.case_no, ''), c.status, "
	    "c.created_at, (SELECT max(at) FROM event e WHERE e.case_id = c.id) "
	    "FROM cases c WHERE c.org_id = ?1 ORDER BY c.id DESC "
	    "LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, req->user->org_id);
	store_bind_int(st, 2, CASES_PER_PAGE);
	store_bind_int(st, 3, (page - 1) * CASES_PER_PAGE);
	list = tv_put_list(v, "cases");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "case_no", store_col_text(st, 1));
		put_status(row, store_col_text(st, 2));
		tv_put_str(row, "created", page_time(req->arena,
		    store_col_text(st, 3)));
		tv_put_str(row, "updated", page_time(req->arena,
		    store_col_text(st, 4)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_bool(v, "has_cases", total > 0);
	tv_put_int(v, "total", total);
	page_pager(req, v, "/cases", page, total, CASES_PER_PAGE);
	return page_render(req, resp, 200, "cases", v);
}

int
page_case_new(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	long long id;

	if (store_begin(s) != 0)
		return 500;
	if ((id = case_create(s, req->user->org_id, req->user->id)) < 0 ||
	    store_commit(s) != 0) {
		store_rollback(s);
		return 500;
	}
	response_redirect(resp, arena_printf(req->arena, "/cases/%lld/form/s1",
	    id));
	return 0;
}

/* The stage bar: 受理 → 立项 → 评估 → 发证, done / current / to come. */
static void
put_stages(struct tv *v, const char *status)
{
	const struct status_info *st = status_find(status);
	struct tv *list = tv_put_list(v, "stages"), *row;
	int i, cur = st ? (int)st->stage : 0;

	for (i = STAGE_ACCEPTANCE; i <= STAGE_ISSUANCE; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "name", stage_zh((enum stage)i));
		tv_put_bool(row, "done", cur > i ||
		    (st && st->final && cur == i && strcmp(status, "issued") ==
		    0));
		tv_put_bool(row, "current", cur == i && !(st && st->final));
		tv_put_bool(row, "stopped", cur == i && st && st->final &&
		    strcmp(status, "issued") != 0);
	}
}

static void
put_clock(struct request *req, struct tv *v, const struct case_info *c)
{
	struct rules_clock clk;
	struct tv *t;
	char d[DATE_BUFSZ];

	if (case_clock(req->app->store, c->id, page_today(req), &clk) != 0)
		return;
	t = tv_put_map(v, "clock");
	tv_put_int(t, "net_days", clk.net_days);
	tv_put_int(t, "paused_days", clk.paused_days);
	tv_put_int(t, "elapsed_days", clk.elapsed_days);
	tv_put_str(t, "target", arena_strdup(req->arena,
	    date_format(clk.target, d)));
	tv_put_str(t, "limit", arena_strdup(req->arena,
	    date_format(clk.limit, d)));
	tv_put_str(t, "state", rules_clock_state_code(clk.state));
	tv_put_str(t, "state_zh", rules_clock_state_zh(clk.state));
	tv_put_bool(t, "paused", clk.paused);
	tv_put_bool(t, "stopped", clk.stopped);
}

static int
put_timeline(struct request *req, struct tv *v, long long id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT e.at, "
	    "coalesce(a.name, '系统'), coalesce(a.role, ''), "
	    "coalesce(e.from_status, ''), e.to_status, e.reason FROM event e "
	    "LEFT JOIN account a ON a.id = e.actor_id WHERE e.case_id = ?1 "
	    "ORDER BY e.id");
	struct tv *list = tv_put_list(v, "events"), *row;
	const struct status_info *ws;
	const char *zh;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_str(row, "at", page_time(req->arena,
		    store_col_text(st, 0)));
		tv_put_str(row, "actor", store_col_text(st, 1));
		zh = role_zh(store_col_text(st, 2));
		tv_put_str(row, "actor_role", zh ? zh : "");
		ws = status_find(store_col_text(st, 3));
		tv_put_str(row, "from_zh", ws ? ws->zh : "");
		ws = status_find(store_col_text(st, 4));
		tv_put_str(row, "to_zh", ws ? ws->zh : store_col_text(st, 4));
		tv_put_str(row, "reason", store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
put_notices(struct request *req, struct tv *v, long long id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT id, no, "
	    "title, at, coalesce(due, '') FROM notice WHERE case_id = ?1 "
	    "ORDER BY id");
	struct tv *list = tv_put_list(v, "notices"), *row;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "nid", sqlite3_column_int64(st, 0));
		tv_put_str(row, "no", store_col_text(st, 1));
		tv_put_str(row, "title", store_col_text(st, 2));
		tv_put_str(row, "at", page_time(req->arena,
		    store_col_text(st, 3)));
		tv_put_str(row, "due", store_col_text(st, 4));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_notices", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* For a draft: each section's state, from the same checks as submit. */
static int
put_sections(struct request *req, struct tv *v, const struct case_info *c)
{
	struct formdata fd;
	struct fdef_report rep;
	struct tv *list = tv_put_list(v, "sections"), *row;
	const struct fdef_section *sec;
	zdate today;
	size_t i;

	formdata_init(&fd, req->arena);
	if (formdata_load(&fd, req->app->store, c->id) != 0)
		return -1;
	date_parse(page_today(req), &today);
	fdef_report_init(&rep);
	fdef_check_all(req->arena, rules_default(), &fd.src, today, &rep);
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		row = tv_push_map(list);
		tv_put_str(row, "sid", sec->id);
		tv_put_str(row, "num", sec->num);
		tv_put_str(row, "title", sec->title);
		tv_put_str(row, "state", fdef_state_code(rep.state[i]));
		tv_put_str(row, "state_zh", fdef_state_zh(rep.state[i]));
		tv_put_int(row, "problems", (long long)rep.count[i]);
	}
	tv_put_bool(v, "complete", rep.n == 0);
	tv_put_int(v, "problems", (long long)rep.n);
	return 0;
}

/* An open supplement request: its items, each linking to where it is
 * fixed, and the due date (late once past it). */
static int
put_supplement(struct request *req, struct tv *v, const struct case_info *c)
{
	struct store *s = req->app->store;
	const struct fdef_material *m;
	sqlite3_stmt *st;
	struct tv *sup, *items, *it;
	const char *target;
	long long nid = 0;
	char due[24] = "";
	int rc;

	st = store_stmt(s, "SELECT id, coalesce(due, '') FROM notice WHERE "
	    "case_id = ?1 AND kind = 'supplement' ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		nid = sqlite3_column_int64(st, 0);
		snprintf(due, sizeof(due), "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (nid == 0)
		return 0;
	sup = tv_put_map(v, "supplement");
	tv_put_str(sup, "due", due);
	tv_put_bool(sup, "late", strcmp(page_today(req), due) > 0);
	tv_put_int(sup, "nid", nid);
	items = tv_put_list(sup, "items");
	st = store_stmt(s, "SELECT target, what FROM supplement_item WHERE "
	    "notice_id = ?1 ORDER BY id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, nid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it = tv_push_map(items);
		target = store_col_text(st, 0);
		if (fdef_section_find(target) != NULL) {
			const struct fdef_section *sec =
			    fdef_section_find(target);

			tv_put_str(it, "label", arena_printf(req->arena,
			    "申请书%s%s%s", sec->num, *sec->num ? "、" : "",
			    sec->title));
			tv_put_str(it, "href", arena_printf(req->arena,
			    "/cases/%lld/form/%s", c->id, target));
		} else {
			m = fdef_material_find(target, NULL);
			tv_put_str(it, "label", arena_printf(req->arena,
			    "材料：%s", m ? m->label : target));
			tv_put_str(it, "href", arena_printf(req->arena,
			    "/cases/%lld/materials#k-%s", c->id, target));
		}
		tv_put_str(it, "what", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The agreement's fee and what has been paid against it. */
static int
put_payment(struct request *req, struct tv *v, const struct case_info *c)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT a.fee_total, "
	    "a.accepted_at IS NOT NULL, (SELECT coalesce(sum(amount), 0) FROM "
	    "payment p WHERE p.case_id = a.case_id AND p.mismatch = 0), "
	    "(SELECT count(*) FROM payment p WHERE p.case_id = a.case_id AND "
	    "p.mismatch = 1) FROM agreement a WHERE a.case_id = ?1");
	struct tv *p;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p = tv_put_map(v, "payment");
		tv_put_str(p, "fee", page_money(req->arena,
		    sqlite3_column_int64(st, 0)));
		tv_put_bool(p, "effective", sqlite3_column_int(st, 1));
		tv_put_bool(p, "paid", sqlite3_column_int64(st, 2) ==
		    sqlite3_column_int64(st, 0));
		tv_put_str(p, "received", page_money(req->arena,
		    sqlite3_column_int64(st, 2)));
		tv_put_bool(p, "flagged", sqlite3_column_int(st, 3) > 0);
	}
	sqlite3_reset(st);
	return 0;
}

/* The page of a transition: its "%lld" replaced by the case id. */
static const char *
action_href(struct arena *a, const char *page, long long id)
{
	const char *p = strstr(page, "%lld");

	if (p == NULL)
		return page;
	return arena_printf(a, "%.*s%lld%s", (int)(p - page), page, id, p + 4);
}

/* What the viewer may do now: the workflow rows from this status that
 * the viewer's role may use (withdrawal has its own section). */
static void
put_actions(struct request *req, struct tv *v, const struct case_info *c)
{
	const struct wf_transition *t;
	const struct status_info *fs = status_find(c->status);
	struct tv *list = tv_put_list(v, "actions"), *a;
	int n = 0;

	for (t = wf_transitions; t->to != NULL; t++) {
		if (strcmp(t->to, "withdrawn") == 0 ||
		    !(t->roles & req->user->role_bit))
			continue;
		if (t->from == NULL ? (fs == NULL || fs->final) :
		    strcmp(t->from, c->status) != 0)
			continue;
		a = tv_push_map(list);
		tv_put_str(a, "label", t->action_zh);
		tv_put_str(a, "href", action_href(req->arena, t->page, c->id));
		n++;
	}
	tv_put_bool(v, "has_actions", n > 0);
}

int
page_case(struct request *req, struct response *resp)
{
	struct case_info c;
	struct tv *v;
	const struct status_info *ws;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	v = page_view(req, *c.case_no ? arena_printf(req->arena, "案件 %s",
	    c.case_no) : "草稿申请");
	tv_put_int(v, "id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_str(v, "lead_name", c.lead_name);
	put_status(v, c.status);
	ws = status_find(c.status);
	tv_put_str(v, "waiting_for", ws && ws->waiting_for ?
	    ws->waiting_for : "");
	put_stages(v, c.status);
	put_clock(req, v, &c);
	if (put_timeline(req, v, c.id) != 0 || put_notices(req, v, c.id) != 0)
		return 500;
	if (supervise_case_appeals(req, v, &c) != 0)
		return 500;
	if (strcmp(c.status, "draft") == 0 && put_sections(req, v, &c) != 0)
		return 500;
	if (strcmp(c.status, "supplement_requested") == 0 &&
	    put_supplement(req, v, &c) != 0)
		return 500;
	if (put_payment(req, v, &c) != 0)
		return 500;
	put_actions(req, v, &c);
	tv_put_bool(v, "is_applicant", req->user->org_id != 0);
	tv_put_bool(v, "can_withdraw", req->user->org_id != 0 &&
	    workflow_allowed(c.status, "withdrawn", req->user->role_bit));
	tv_put_bool(v, "withdrawn", params_get(&req->query, "withdrawn") !=
	    NULL);
	tv_put_bool(v, "submitted_now", params_get(&req->query, "submitted") !=
	    NULL);
	return page_render(req, resp, 200, "case", v);
}

int
page_case_withdraw(struct request *req, struct response *resp)
{
	struct case_info c;
	struct tv *v;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (!workflow_allowed(c.status, "withdrawn", req->user->role_bit)) {
		resp->error_message = "此申请当前不能撤回。";
		return 409;
	}
	v = page_view(req, "撤回申请");
	tv_put_int(v, "id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	put_status(v, c.status);
	return page_render(req, resp, 200, "withdraw", v);
}

int
page_case_withdraw_post(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const char *reason = params_get(&req->form, "reason");
	struct case_info c;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (params_get(&req->form, "confirm") == NULL) {
		resp->error_message = "请勾选“我确认撤回此申请”后再提交。";
		return 400;
	}
	if (reason != NULL && strlen(reason) > 2000) {
		resp->error_message = "撤回原因请控制在 2000 字节以内。";
		return 400;
	}
	if (store_begin(s) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "withdrawn", reason ? reason :
	    "")) != 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld?withdrawn=1", c.id));
	return 0;
}
