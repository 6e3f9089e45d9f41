/*
 * pages_dashboard.c: the staff dashboard (cases per stage and status,
 * cycle times of closed cases against the 3- and 6-month rules, the
 * overdue lists, a bar chart drawn as inline SVG: casestats.h), the case
 * list with filters and its CSV export (caselist.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "caselist.h"
#include "casestats.h"
#include "page.h"
#include "router.h"
#include "svg.h"
#include "status.h"
#include "valid.h"

extern const struct route routes_dashboard[];

#define DASH_PER_PAGE	50	/* rows of the case list */
#define DASH_Q_MAX	100	/* bytes of the search text */

/* n * 100 / total with one decimal, "0.0" when total is 0. */
static const char *
percent(struct arena *a, long long n, long long total)
{
	long long t = total > 0 ? (n * 1000 + total / 2) / total : 0;

	return arena_printf(a, "%lld.%lld", t / 10, t % 10);
}

/* The stage of a status in words, "—" for none. */
static const char *
stage_words(enum status st)
{
	enum stage s = status_info(st)->stage;

	return s == STAGE_NONE ? "—" : stage_zh(s);
}

/* ---- The dashboard ------------------------------------------------ */

static void
put_counts(struct tv *v, const struct casestats *cs)
{
	const struct status_info *ws;
	struct svg_bar bars[ST__COUNT];
	struct tv *list, *row;
	struct buf chart;
	size_t i;

	list = tv_put_list(v, "statuses");
	for (i = 0; i < ST__COUNT; i++) {
		ws = &status_table[i];
		row = tv_push_map(list);
		tv_put_str(row, "code", ws->code);
		tv_put_str(row, "zh", ws->zh);
		tv_put_str(row, "stage_zh", stage_words(ws->st));
		tv_put_int(row, "count", cs->by_status[i]);
		tv_put_bool(row, "final", ws->final);
		bars[i].label = ws->zh;
		bars[i].value = cs->by_status[i];
	}
	list = tv_put_list(v, "stages");
	for (i = STAGE_ACCEPTANCE; i < STAGE_COUNT; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", stage_code((enum stage)i));
		tv_put_str(row, "zh", stage_zh((enum stage)i));
		tv_put_int(row, "count", cs->by_stage[i]);
	}
	tv_put_int(v, "stage_none", cs->by_stage[STAGE_NONE]);
	tv_put_int(v, "total", cs->total);
	buf_init(&chart);
	svg_bar_chart(&chart, "各状态案件数", bars, ST__COUNT);
	tv_put_str(v, "chart", chart.p);
	buf_free(&chart);
}

static void
put_top(struct tv *v, const char *key, const struct casestats_top *t)
{
	struct tv *m = tv_put_map(v, key), *list, *row;
	size_t i;

	tv_put_int(m, "count", t->count);
	tv_put_int(m, "shown", (long long)t->n);
	tv_put_bool(m, "more", t->count > (long long)t->n);
	tv_put_bool(m, "any", t->count > 0);
	list = tv_put_list(m, "cases");
	for (i = 0; i < t->n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", t->rows[i].id);
		tv_put_int(row, "net", t->rows[i].net);
		tv_put_str(row, "case_no", t->rows[i].case_no);
		tv_put_str(row, "org", t->rows[i].org);
		tv_put_str(row, "status_zh", status_zh(t->rows[i].st));
		tv_put_str(row, "lead", t->rows[i].lead);
		tv_put_int(row, "target", t->rows[i].target);
		tv_put_int(row, "limit", t->rows[i].limit);
	}
}

static void
put_clocks(struct request *req, struct tv *v, const struct casestats *cs)
{
	struct tv *c = tv_put_map(v, "cycle"), *m;

	tv_put_int(c, "n", cs->closed);
	tv_put_bool(c, "any", cs->closed > 0);
	tv_put_int(c, "within", cs->within);
	tv_put_int(c, "over_target", cs->over_target);
	tv_put_int(c, "over_limit", cs->over_limit);
	tv_put_str(c, "within_pct", percent(req->arena, cs->within,
	    cs->closed));
	tv_put_str(c, "over_target_pct", percent(req->arena, cs->over_target,
	    cs->closed));
	tv_put_str(c, "over_limit_pct", percent(req->arena, cs->over_limit,
	    cs->closed));
	if (cs->closed > 0) {
		tv_put_int(c, "median", cs->median);
		tv_put_int(c, "p90", cs->p90);
	}
	m = tv_put_map(v, "open");
	tv_put_int(m, "total", cs->open);
	tv_put_int(m, "on_track", cs->urgency[0]);
	tv_put_int(m, "at_risk", cs->urgency[1]);
	tv_put_int(m, "over_target", cs->urgency[2]);
	tv_put_int(m, "over_limit", cs->urgency[3]);
	put_top(v, "over_limit", &cs->top_over_limit);
	put_top(v, "over_target", &cs->top_over_target);
}

/* Supplements awaited, overdue (listed), answered late. */
static void
put_supplements(struct tv *v, const struct casestats *cs)
{
	struct tv *m = tv_put_map(v, "sup"), *list, *row;
	size_t i;

	tv_put_int(m, "waiting", cs->supplement_waiting);
	tv_put_int(m, "overdue", cs->supplement_overdue);
	tv_put_int(m, "late", cs->answered_late);
	tv_put_bool(m, "any_overdue", cs->supplement_overdue > 0);
	tv_put_bool(m, "more", cs->supplement_overdue > (long long)cs->noverdue);
	tv_put_int(m, "shown", (long long)cs->noverdue);
	list = tv_put_list(m, "cases");
	for (i = 0; i < cs->noverdue; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", cs->overdue[i].id);
		tv_put_str(row, "case_no", cs->overdue[i].case_no);
		tv_put_str(row, "org", cs->overdue[i].org);
		tv_put_str(row, "lead", cs->overdue[i].lead);
		tv_put_str(row, "due", cs->overdue[i].due);
		tv_put_int(row, "days", cs->overdue[i].days);
	}
}

static int
page_dashboard(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "统计与监控");
	struct dom *d = page_ctx(req);
	struct casestats *cs = arena_alloc(req->arena, sizeof(*cs));
	enum dom_rc rc;

	if ((rc = casestats_load(d, cs)) != DOM_OK)
		return page_status(resp, d, rc);
	put_counts(v, cs);
	put_clocks(req, v, cs);
	put_supplements(v, cs);
	tv_put_str(v, "today", d->today_s);
	return page_render(req, resp, 200, "dashboard", v);
}

/* ---- The case list and its CSV ------------------------------------ */

/* The filter of the query, strictly: a value not offered is 400 with
 * what to do. *query gets the filters as a query string. */
static int
read_filter(struct request *req, struct response *resp,
    struct caselist_filter *f, const char **query)
{
	const char *status = params_get(&req->query, "status");
	const char *stage = params_get(&req->query, "stage");
	const char *lead = params_get(&req->query, "lead");
	const char *q = params_get(&req->query, "q");
	const char *sup = params_get(&req->query, "sup");
	enum stage sg;

	caselist_filter_init(f);
	sup = sup ? sup : "";
	if (caselist_supplement_parse(sup, &f->supplement) != 0) {
		resp->error_message = "筛选条件中的补正情况无效。请从“补正”下拉列表"
		    "中选择后重新筛选。";
		return 400;
	}
	status = status ? status : "";
	stage = stage ? stage : "";
	q = q ? q : "";
	if (*status != '\0' && status_parse(status, &f->status) != 0) {
		resp->error_message = "筛选条件中的状态无效。请从“状态”下拉列表"
		    "中选择后重新筛选。";
		return 400;
	}
	f->has_status = *status != '\0';
	if (*stage != '\0' && stage_parse(stage, &sg) != 0) {
		resp->error_message = "筛选条件中的阶段无效。请从“阶段”下拉列表"
		    "中选择后重新筛选。";
		return 400;
	}
	f->stage = *stage != '\0' ? (int)sg : 0;
	if (lead != NULL && *lead != '\0' && valid_int(lead, 1, INT64_MAX,
	    &f->lead) != 0) {
		resp->error_message = "筛选条件中的项目负责人无效。请从“项目负责"
		    "人”下拉列表中选择后重新筛选。";
		return 400;
	}
	if (strlen(q) > DASH_Q_MAX) {
		resp->error_message = "搜索内容过长。请输入单位名称或案件编号"
		    "中的一段（不超过 100 字节）后重新搜索。";
		return 400;
	}
	f->text = q;
	*query = arena_printf(req->arena, "status=%s&stage=%s&lead=%s&sup=%s&"
	    "q=%s", arena_urlencode(req->arena, status),
	    arena_urlencode(req->arena, stage),
	    f->lead ? arena_printf(req->arena, "%lld", f->lead) : "",
	    caselist_supplement_code(f->supplement),
	    arena_urlencode(req->arena, q));
	return 0;
}

static enum dom_rc
put_filter_choices(struct dom *d, struct tv *v,
    const struct caselist_filter *f)
{
	struct tv *list, *row;
	size_t i;
	enum dom_rc rc;

	list = tv_put_list(v, "status_choices");
	for (i = 0; i < ST__COUNT; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", status_table[i].code);
		tv_put_str(row, "zh", status_table[i].zh);
		tv_put_bool(row, "selected", f->has_status && f->status ==
		    status_table[i].st);
	}
	list = tv_put_list(v, "stage_choices");
	for (i = STAGE_ACCEPTANCE; i < STAGE_COUNT; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", stage_code((enum stage)i));
		tv_put_str(row, "zh", stage_zh((enum stage)i));
		tv_put_bool(row, "selected", f->stage == (int)i);
	}
	if ((rc = page_lead_choices(d, v, "lead_choices", f->lead)) != DOM_OK)
		return rc;
	list = tv_put_list(v, "sup_choices");
	for (i = CASELIST_SUP_WAITING; i <= CASELIST_SUP_LATE; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", caselist_supplement_code(
		    (enum caselist_supplement)i));
		tv_put_str(row, "zh", caselist_supplement_zh(
		    (enum caselist_supplement)i));
		tv_put_bool(row, "selected", f->supplement ==
		    (enum caselist_supplement)i);
	}
	tv_put_str(v, "q", f->text);
	return DOM_OK;
}

/* The urgency of a row in words: a closed case within its target says
 * so; an open one its supplement's state first (caselist_state_zh). */
static const char *
row_urgency(struct arena *a, const struct caselist_row *r)
{
	if (r->clocked && status_info(r->st)->final && r->urgency <= 1)
		return "目标周期内办结";
	return caselist_state_zh(a, r);
}

static int
page_dashboard_cases(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "案件列表"), *list, *row;
	const char *p = params_get(&req->query, "page"), *query;
	struct dom *d = page_ctx(req);
	struct caselist_filter f;
	struct caselist_row *rows;
	long long page, total;
	enum dom_rc rc;
	size_t i, n;
	int st;

	if ((st = read_filter(req, resp, &f, &query)) != 0)
		return st;
	if (p == NULL || valid_int(p, 1, 1000000, &page) != 0)
		page = 1;
	f.offset = (page - 1) * DASH_PER_PAGE;
	f.limit = DASH_PER_PAGE;
	if ((rc = caselist_count(d, &f, 0, &total)) != DOM_OK ||
	    (rc = caselist_rows(d, &f, &rows, &n)) != DOM_OK)
		return page_status(resp, d, rc);
	list = tv_put_list(v, "cases");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", rows[i].id);
		tv_put_str(row, "case_no", rows[i].case_no);
		tv_put_str(row, "org", rows[i].org);
		tv_put_str(row, "status", rows[i].status);
		tv_put_str(row, "status_zh", status_words(rows[i].status));
		tv_put_str(row, "stage_zh", stage_words(rows[i].st));
		tv_put_str(row, "lead", rows[i].lead);
		tv_put_str(row, "submitted_on", rows[i].started);
		if (rows[i].clocked)
			tv_put_int(row, "net", rows[i].net);
		tv_put_str(row, "urgency_zh", row_urgency(req->arena,
		    &rows[i]));
		tv_put_str(row, "due", caselist_due_zh(&rows[i]));
		tv_put_int(row, "urgency", rows[i].urgency);
		tv_put_str(row, "changed", page_time(req->arena,
		    rows[i].changed));
	}
	if ((rc = put_filter_choices(d, v, &f)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "total", total);
	tv_put_bool(v, "has_cases", total > 0);
	tv_put_str(v, "csv", arena_printf(req->arena, "/dashboard/cases.csv?%s",
	    query));
	page_pager(req, v, arena_printf(req->arena, "/dashboard/cases?%s",
	    query), page, total, DASH_PER_PAGE);
	return page_render(req, resp, 200, "dashboard_cases", v);
}

struct csv {
	struct request	*req;
	struct buf	*b;
};

static int
csv_row(const struct caselist_row *r, void *arg)
{
	struct csv *c = arg;
	char net[32] = "";

	if (r->clocked)
		snprintf(net, sizeof(net), "%lld", r->net);
	page_csv_field(c->b, r->case_no, 0);
	page_csv_field(c->b, r->org, 0);
	page_csv_field(c->b, status_words(r->status), 0);
	page_csv_field(c->b, stage_words(r->st), 0);
	page_csv_field(c->b, r->lead, 0);
	page_csv_field(c->b, r->started, 0);
	page_csv_field(c->b, net, 0);
	page_csv_field(c->b, row_urgency(c->req->arena, r), 0);
	page_csv_field(c->b, page_time(c->req->arena, r->changed), 0);
	page_csv_field(c->b, caselist_due_zh(r), 1);
	return 0;
}

static int
page_dashboard_csv(struct request *req, struct response *resp)
{
	static const char *const head[] = { "案件编号", "申请单位", "状态",
		"阶段", "项目负责人", "提交日期", "净用时（天）", "紧急程度",
		"最近变化", "补正期限", NULL };
	struct dom *d = page_ctx(req);
	struct caselist_filter f;
	struct csv c;
	const char *query;
	enum dom_rc rc;
	size_t i;
	int st;

	if ((st = read_filter(req, resp, &f, &query)) != 0)
		return st;
	c.req = req;
	c.b = &resp->body;
	buf_reset(c.b);
	buf_puts(c.b, "\xEF\xBB\xBF");	/* the BOM Excel needs for UTF-8 */
	for (i = 0; head[i] != NULL; i++)
		page_csv_field(c.b, head[i], head[i + 1] == NULL);
	if ((rc = caselist_each(d, &f, csv_row, &c)) != DOM_OK) {
		buf_reset(c.b);
		return page_status(resp, d, rc);
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	response_header(resp, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"cases-%s.csv\"", d->today_s));
	response_header(resp, "Cache-Control", "no-store");
	return 0;
}

const struct route routes_dashboard[] = {
	{ METHOD_GET, "/dashboard", page_dashboard, ROLES_STAFF, 0 },
	{ METHOD_GET, "/dashboard/cases", page_dashboard_cases, ROLES_STAFF,
	    0 },
	{ METHOD_GET, "/dashboard/cases.csv", page_dashboard_csv,
	    ROLES_STAFF, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
