/*
 * pages_dashboard.c: the staff dashboard (cases per stage and status,
 * cycle times of closed cases against the 3- and 6-month rules, the
 * overdue lists, a bar chart drawn as inline SVG), the case list with
 * filters, and its CSV export.
 *
 * Every figure comes from the clock columns of cases (kept by
 * workflow.c from the events) through WF_SQL_NET and WF_SQL_URGENCY, so
 * the dashboard, the work queues and the case pages agree. Percentiles
 * use the nearest-rank method: the p-th percentile of n sorted values is
 * the value at rank ceil(p * n / 100) (1-based).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "router.h"
#include "rules.h"
#include "svg.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_dashboard[];

#define DASH_OVERDUE	20	/* rows in each overdue list */
#define DASH_PER_PAGE	50	/* rows of the case list */
#define DASH_Q_MAX	100	/* bytes of the search text */
#define DASH_MAX_DAYS	4000	/* net days counted in the histogram */

/* Closed for the cycle times: the three outcomes (withdrawn is not one). */
#define DASH_CLOSED	"c.status IN ('issued', 'failed', 'rejected')"
#define DASH_OPEN	"c.clock_start IS NOT NULL AND c.clock_stopped IS NULL"

static const struct {
	const char	*code;
	enum stage	 stage;
} stages[] = {
	{ "acceptance", STAGE_ACCEPTANCE },
	{ "project", STAGE_PROJECT },
	{ "assessment", STAGE_ASSESSMENT },
	{ "issuance", STAGE_ISSUANCE },
	{ NULL, STAGE_NONE }
};

static const char *
urgency_zh(int u)
{
	switch (u) {
	case 3: return rules_clock_state_zh(RULES_CLOCK_OVER_LIMIT);
	case 2: return rules_clock_state_zh(RULES_CLOCK_OVER_TARGET);
	case 1: return rules_clock_state_zh(RULES_CLOCK_AT_RISK);
	case 0: return rules_clock_state_zh(RULES_CLOCK_ON_TRACK);
	default: return "未开始计时";
	}
}

static const char *
status_stage_zh(const char *code)
{
	const struct status_info *s = status_find(code);

	if (s == NULL || s->stage == STAGE_NONE)
		return "—";
	return stage_zh(s->stage);
}

/* n * 100 / total with one decimal, "0.0" when total is 0. */
static const char *
percent(struct arena *a, long long n, long long total)
{
	long long t = total > 0 ? (n * 1000 + total / 2) / total : 0;

	return arena_printf(a, "%lld.%lld", t / 10, t % 10);
}

/* ---- The dashboard ------------------------------------------------ */

static int
put_counts(struct request *req, struct tv *v, long long *nstatus,
    long long *total)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT status, "
	    "count(*) FROM cases GROUP BY status");
	const struct status_info *ws;
	struct tv *list, *row;
	struct svg_bar bars[16];
	struct buf chart;
	long long nstage[STAGE_ISSUANCE + 1];
	size_t i, n = 0;
	int rc;

	if (st == NULL)
		return -1;
	memset(nstage, 0, sizeof(nstage));
	*total = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; status_table[i].code != NULL; i++)
			if (strcmp(status_table[i].code,
			    store_col_text(st, 0)) == 0)
				nstatus[i] = sqlite3_column_int64(st, 1);
		*total += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	list = tv_put_list(v, "statuses");
	for (i = 0; status_table[i].code != NULL && n < 16; i++) {
		ws = &status_table[i];
		row = tv_push_map(list);
		tv_put_str(row, "code", ws->code);
		tv_put_str(row, "zh", ws->zh);
		tv_put_str(row, "stage_zh", ws->stage == STAGE_NONE ? "—" :
		    stage_zh(ws->stage));
		tv_put_int(row, "count", nstatus[i]);
		tv_put_bool(row, "final", ws->final);
		nstage[ws->stage] += nstatus[i];
		bars[n].label = ws->zh;
		bars[n].value = nstatus[i];
		n++;
	}
	list = tv_put_list(v, "stages");
	for (i = 0; stages[i].code != NULL; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", stages[i].code);
		tv_put_str(row, "zh", stage_zh(stages[i].stage));
		tv_put_int(row, "count", nstage[stages[i].stage]);
	}
	tv_put_int(v, "stage_none", nstage[STAGE_NONE]);
	tv_put_int(v, "total", *total);
	buf_init(&chart);
	svg_bar_chart(&chart, "各状态案件数", bars, n);
	tv_put_str(v, "chart", chart.p);
	buf_free(&chart);
	return 0;
}

/*
 * The urgency of a clock of n net days with those target and limit, as
 * WF_SQL_URGENCY says it (3 over limit, 2 over target, 1 at risk, 0 on
 * track). Computed here from WF_SQL_NET so that a scan evaluates the net
 * days once per case; itest_dashboard checks it against WF_SQL_URGENCY.
 */
static int
urgency_of(long long n, long long target, long long limit)
{
	if (n > limit)
		return 3;
	if (n > target)
		return 2;
	return 3 * n > 2 * target ? 1 : 0;
}

/* The longest overdue cases of one kind, longest first. */
struct top {
	long long	 id[DASH_OVERDUE];
	long long	 net[DASH_OVERDUE];
	int		 n;
};

static void
top_add(struct top *t, long long id, long long net)
{
	int i;

	if (t->n == DASH_OVERDUE && net <= t->net[t->n - 1])
		return;		/* ties keep the lower id: the scan is by id */
	i = t->n < DASH_OVERDUE ? t->n++ : t->n - 1;
	for (; i > 0 && t->net[i - 1] < net; i--) {
		t->id[i] = t->id[i - 1];
		t->net[i] = t->net[i - 1];
	}
	t->id[i] = id;
	t->net[i] = net;
}

static int
put_top(struct request *req, struct tv *v, const char *key,
    const struct top *t, long long count)
{
	sqlite3_stmt *st;
	struct tv *m = tv_put_map(v, key), *list, *row;
	int i;

	tv_put_int(m, "count", count);
	tv_put_int(m, "shown", t->n);
	tv_put_bool(m, "more", count > t->n);
	tv_put_bool(m, "any", count > 0);
	list = tv_put_list(m, "cases");
	for (i = 0; i < t->n; i++) {
		st = store_stmt(req->app->store, "SELECT coalesce(c.case_no, "
		    "''), o.name, c.status, coalesce(l.name, ''), "
		    "c.clock_target_net, c.clock_limit_net FROM cases c JOIN org "
		    "o ON o.id = c.org_id LEFT JOIN account l ON l.id = "
		    "c.lead_id WHERE c.id = ?1");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, t->id[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			row = tv_push_map(list);
			tv_put_int(row, "id", t->id[i]);
			tv_put_int(row, "net", t->net[i]);
			tv_put_str(row, "case_no", store_col_text(st, 0));
			tv_put_str(row, "org", store_col_text(st, 1));
			tv_put_str(row, "status_zh",
			    status_words(store_col_text(st, 2)));
			tv_put_str(row, "lead", store_col_text(st, 3));
			tv_put_int(row, "target", sqlite3_column_int64(st, 4));
			tv_put_int(row, "limit", sqlite3_column_int64(st, 5));
		}
		sqlite3_reset(st);
	}
	return 0;
}

/* The rank-th smallest (1-based) of the histogram's values. */
static long long
rank_value(const long long *hist, long long rank)
{
	long long seen = 0;
	int d;

	for (d = 0; d <= DASH_MAX_DAYS; d++)
		if ((seen += hist[d]) >= rank)
			return d;
	return DASH_MAX_DAYS;
}

/*
 * One scan of every started clock: cycle times of closed cases (counts
 * against the rules, median and 90th percentile from a histogram of whole
 * net days) and the urgency of open ones (counts, the longest overdue).
 */
static int
put_clocks(struct request *req, struct tv *v)
{
	sqlite3_stmt *st;
	struct tv *c = tv_put_map(v, "cycle"), *m;
	struct top over_limit, over_target;
	long long *hist, ucount[4] = { 0, 0, 0, 0 }, open = 0;
	long long n = 0, within = 0, over_t = 0, over_l = 0;
	long long id, d, t, l;
	const char *status;
	int rc, u;

	st = store_stmt(req->app->store, "SELECT c.id, c.status, "
	    "c.clock_stopped IS NULL, CAST(" WF_SQL_NET " AS INTEGER), "
	    "c.clock_target_net, c.clock_limit_net FROM cases c "
	    "WHERE c.clock_start IS NOT NULL");
	if (st == NULL)
		return -1;
	hist = arena_alloc(req->arena, (DASH_MAX_DAYS + 1) * sizeof(*hist));
	memset(&over_limit, 0, sizeof(over_limit));
	memset(&over_target, 0, sizeof(over_target));
	store_bind_text(st, 1, page_today(req));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		status = store_col_text(st, 1);
		d = sqlite3_column_int64(st, 3);
		t = sqlite3_column_int64(st, 4);
		l = sqlite3_column_int64(st, 5);
		if (sqlite3_column_int(st, 2)) {
			open++;
			ucount[u = urgency_of(d, t, l)]++;
			if (u == 3)
				top_add(&over_limit, id, d);
			else if (u == 2)
				top_add(&over_target, id, d);
		} else if (strcmp(status, "issued") == 0 ||
		    strcmp(status, "failed") == 0 ||
		    strcmp(status, "rejected") == 0) {
			n++;
			within += d <= t;
			over_t += d > t && d <= l;
			over_l += d > l;
			hist[d < 0 ? 0 : d > DASH_MAX_DAYS ? DASH_MAX_DAYS :
			    d]++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	tv_put_int(c, "n", n);
	tv_put_bool(c, "any", n > 0);
	tv_put_int(c, "within", within);
	tv_put_int(c, "over_target", over_t);
	tv_put_int(c, "over_limit", over_l);
	tv_put_str(c, "within_pct", percent(req->arena, within, n));
	tv_put_str(c, "over_target_pct", percent(req->arena, over_t, n));
	tv_put_str(c, "over_limit_pct", percent(req->arena, over_l, n));
	if (n > 0) {
		/* Nearest rank: ceil(p * n / 100). */
		tv_put_int(c, "median", rank_value(hist, (50 * n + 99) / 100));
		tv_put_int(c, "p90", rank_value(hist, (90 * n + 99) / 100));
	}
	m = tv_put_map(v, "open");
	tv_put_int(m, "total", open);
	tv_put_int(m, "on_track", ucount[0]);
	tv_put_int(m, "at_risk", ucount[1]);
	tv_put_int(m, "over_target", ucount[2]);
	tv_put_int(m, "over_limit", ucount[3]);
	if (put_top(req, v, "over_limit", &over_limit, ucount[3]) != 0 ||
	    put_top(req, v, "over_target", &over_target, ucount[2]) != 0)
		return -1;
	return 0;
}

static int
page_dashboard(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "统计与监控");
	long long nstatus[16], total;

	memset(nstatus, 0, sizeof(nstatus));
	if (put_counts(req, v, nstatus, &total) != 0 ||
	    put_clocks(req, v) != 0)
		return 500;
	tv_put_str(v, "today", page_today(req));
	return page_render(req, resp, 200, "dashboard", v);
}

/* ---- The case list and its CSV ------------------------------------ */

struct filters {
	const char	*status;	/* "" for any */
	const char	*stage;		/* "" for any */
	const char	*stage_status[5];
	long long	 lead;		/* 0 for any */
	const char	*q;		/* "" for any */
	const char	*query;		/* the filters as a query string */
};

/* Reads and checks the filters; 0, or 400 with a message. */
static int
filters_read(struct request *req, struct response *resp, struct filters *f)
{
	const char *lead = params_get(&req->query, "lead");
	size_t i, j, n;
	char *end;

	memset(f, 0, sizeof(*f));
	f->status = params_get(&req->query, "status");
	f->stage = params_get(&req->query, "stage");
	f->q = params_get(&req->query, "q");
	if (f->status == NULL)
		f->status = "";
	if (f->stage == NULL)
		f->stage = "";
	if (f->q == NULL)
		f->q = "";
	if (*f->status != '\0' && status_find(f->status) == NULL) {
		resp->error_message = "筛选条件中的状态无效。请从“状态”下拉列表"
		    "中选择后重新筛选。";
		return 400;
	}
	for (i = 0; *f->stage != '\0' && stages[i].code != NULL; i++)
		if (strcmp(stages[i].code, f->stage) == 0)
			break;
	if (*f->stage != '\0') {
		if (stages[i].code == NULL) {
			resp->error_message = "筛选条件中的阶段无效。请从“阶段”"
			    "下拉列表中选择后重新筛选。";
			return 400;
		}
		for (j = 0, n = 0; status_table[j].code != NULL && n < 5; j++)
			if (status_table[j].stage == stages[i].stage)
				f->stage_status[n++] = status_table[j].code;
		/* Unused places repeat the first: IN (a, b, a, a, a). */
		for (n = 1; n < 5; n++)
			if (f->stage_status[n] == NULL)
				f->stage_status[n] = f->stage_status[0];
	}
	if (lead != NULL && *lead != '\0') {
		f->lead = strtoll(lead, &end, 10);
		if (*end != '\0' || f->lead <= 0) {
			resp->error_message = "筛选条件中的项目负责人无效。请从"
			    "“项目负责人”下拉列表中选择后重新筛选。";
			return 400;
		}
	}
	if (strlen(f->q) > DASH_Q_MAX) {
		resp->error_message = "搜索内容过长。请输入单位名称或案件编号"
		    "中的一段（不超过 100 字节）后重新搜索。";
		return 400;
	}
	f->query = arena_printf(req->arena, "status=%s&stage=%s&lead=%s&q=%s",
	    arena_urlencode(req->arena, f->status),
	    arena_urlencode(req->arena, f->stage),
	    f->lead ? arena_printf(req->arena, "%lld", f->lead) : "",
	    arena_urlencode(req->arena, f->q));
	return 0;
}

#define DASH_FILTER \
	" WHERE (?2 = '' OR c.status = ?2)" \
	" AND (?3 = '' OR c.status IN (?3, ?4, ?5, ?6, ?7))" \
	" AND (?8 = 0 OR c.lead_id = ?8)" \
	" AND (?9 = '' OR instr(o.name, ?9) > 0" \
	" OR instr(coalesce(c.case_no, ''), upper(?9)) > 0)"

static void
filters_bind(sqlite3_stmt *st, const struct filters *f, const char *today)
{
	int i;

	store_bind_text(st, 1, today);
	store_bind_text(st, 2, f->status);
	for (i = 0; i < 5; i++)
		store_bind_text(st, 3 + i, *f->stage ? f->stage_status[i] : "");
	store_bind_int(st, 8, f->lead);
	store_bind_text(st, 9, f->q);
}

/* The rows of the list, newest case first: one statement for the page
 * and the export (?10 rows from ?11; -1 for all). */
static const char list_sql[] = "SELECT c.id, coalesce(c.case_no, ''), "
    "o.name, c.status, coalesce(l.name, ''), coalesce(c.clock_start, ''), "
    "CASE WHEN c.clock_start IS NULL THEN NULL ELSE CAST(" WF_SQL_NET
    " AS INTEGER) END, c.clock_target_net, c.clock_limit_net, "
    "coalesce((SELECT e.at FROM event "
    "e WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1), c.created_at) "
    "FROM cases c JOIN org o ON o.id = c.org_id LEFT JOIN account l ON "
    "l.id = c.lead_id" DASH_FILTER " ORDER BY c.id DESC LIMIT ?10 OFFSET ?11";

/* The urgency of a row of list_sql, in words. */
static const char *
row_urgency(sqlite3_stmt *st, int *u)
{
	const struct status_info *ws = status_find(store_col_text(st, 3));

	if (sqlite3_column_type(st, 6) == SQLITE_NULL) {
		*u = -1;
		return "未开始计时";
	}
	*u = urgency_of(sqlite3_column_int64(st, 6),
	    sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8));
	if (ws != NULL && ws->final && *u <= 1)
		return "目标周期内办结";
	return urgency_zh(*u);
}

static void
put_filter_choices(struct request *req, struct tv *v, const struct filters *f)
{
	sqlite3_stmt *st;
	struct tv *list, *row;
	size_t i;

	list = tv_put_list(v, "status_choices");
	for (i = 0; status_table[i].code != NULL; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", status_table[i].code);
		tv_put_str(row, "zh", status_table[i].zh);
		tv_put_bool(row, "selected", strcmp(f->status,
		    status_table[i].code) == 0);
	}
	list = tv_put_list(v, "stage_choices");
	for (i = 0; stages[i].code != NULL; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", stages[i].code);
		tv_put_str(row, "zh", stage_zh(stages[i].stage));
		tv_put_bool(row, "selected", strcmp(f->stage,
		    stages[i].code) == 0);
	}
	list = tv_put_list(v, "lead_choices");
	st = store_stmt(req->app->store, "SELECT id, name, email FROM account "
	    "WHERE role = 'lead' AND disabled = 0 ORDER BY name, id");
	if (st == NULL)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "name", store_col_text(st, 1));
		tv_put_str(row, "email", store_col_text(st, 2));
		tv_put_bool(row, "selected", sqlite3_column_int64(st, 0) ==
		    f->lead);
	}
	sqlite3_reset(st);
	tv_put_str(v, "q", f->q);
}

static int
page_dashboard_cases(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "案件列表"), *list, *row;
	const char *p = params_get(&req->query, "page");
	const char *today = page_today(req);
	struct filters f;
	long long page = p ? strtoll(p, NULL, 10) : 1, total = 0;
	sqlite3_stmt *st;
	int rc, u;

	if ((rc = filters_read(req, resp, &f)) != 0)
		return rc;
	if (page < 1 || page > 1000000)
		page = 1;
	/* Without a search text the count needs no organisation names. */
	st = *f.q != '\0' ? store_stmt(s, "SELECT count(*) FROM cases c "
	    "JOIN org o ON o.id = c.org_id" DASH_FILTER) : store_stmt(s,
	    "SELECT count(*) FROM cases c WHERE (?2 = '' OR c.status = ?2) "
	    "AND (?3 = '' OR c.status IN (?3, ?4, ?5, ?6, ?7)) AND "
	    "(?8 = 0 OR c.lead_id = ?8) AND ?9 = ''");
	if (st == NULL)
		return 500;
	filters_bind(st, &f, today);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((st = store_stmt(s, list_sql)) == NULL)
		return 500;
	filters_bind(st, &f, today);
	store_bind_int(st, 10, DASH_PER_PAGE);
	store_bind_int(st, 11, (page - 1) * DASH_PER_PAGE);
	list = tv_put_list(v, "cases");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "case_no", store_col_text(st, 1));
		tv_put_str(row, "org", store_col_text(st, 2));
		tv_put_str(row, "status", store_col_text(st, 3));
		tv_put_str(row, "status_zh", status_words(store_col_text(st, 3)));
		tv_put_str(row, "stage_zh", status_stage_zh(store_col_text(st, 3)));
		tv_put_str(row, "lead", store_col_text(st, 4));
		tv_put_str(row, "submitted", store_col_text(st, 5));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			tv_put_int(row, "net", sqlite3_column_int64(st, 6));
		tv_put_str(row, "urgency_zh", row_urgency(st, &u));
		tv_put_int(row, "urgency", u);
		tv_put_str(row, "changed", page_time(req->arena,
		    store_col_text(st, 9)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	put_filter_choices(req, v, &f);
	tv_put_int(v, "total", total);
	tv_put_bool(v, "has_cases", total > 0);
	tv_put_str(v, "csv", arena_printf(req->arena, "/dashboard/cases.csv?%s",
	    f.query));
	page_pager(req, v, arena_printf(req->arena, "/dashboard/cases?%s",
	    f.query), page, total, DASH_PER_PAGE);
	return page_render(req, resp, 200, "dashboard_cases", v);
}

/*
 * One CSV field (RFC 4180): always quoted, quotes doubled. A cell a
 * spreadsheet would take for a formula (= + - @, or a tab or CR first)
 * gets a leading apostrophe, so it is shown as text and never run.
 */
static void
csv_field(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

static int
page_dashboard_csv(struct request *req, struct response *resp)
{
	static const char *const head[] = { "案件编号", "申请单位", "状态",
		"阶段", "项目负责人", "提交日期", "净用时（天）", "紧急程度",
		"最近变化", NULL };
	const char *today = page_today(req);
	struct filters f;
	sqlite3_stmt *st;
	struct buf *b = &resp->body;
	char net[32];
	size_t i;
	int rc, u;

	if ((rc = filters_read(req, resp, &f)) != 0)
		return rc;
	if ((st = store_stmt(req->app->store, list_sql)) == NULL)
		return 500;
	filters_bind(st, &f, today);
	store_bind_int(st, 10, -1);
	store_bind_int(st, 11, 0);
	buf_reset(b);
	buf_puts(b, "\xEF\xBB\xBF");	/* the BOM Excel needs for UTF-8 */
	for (i = 0; head[i] != NULL; i++)
		csv_field(b, head[i], head[i + 1] == NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		csv_field(b, store_col_text(st, 1), 0);
		csv_field(b, store_col_text(st, 2), 0);
		csv_field(b, status_words(store_col_text(st, 3)), 0);
		csv_field(b, status_stage_zh(store_col_text(st, 3)), 0);
		csv_field(b, store_col_text(st, 4), 0);
		csv_field(b, store_col_text(st, 5), 0);
		if (sqlite3_column_type(st, 6) == SQLITE_NULL)
			net[0] = '\0';
		else
			snprintf(net, sizeof(net), "%lld",
			    (long long)sqlite3_column_int64(st, 6));
		csv_field(b, net, 0);
		csv_field(b, row_urgency(st, &u), 0);
		csv_field(b, page_time(req->arena, store_col_text(st, 9)), 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_reset(b);
		return 500;
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	response_header(resp, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"cases-%s.csv\"", today));
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
