/*
 * pages_queue.c: the staff work queue (caselist.h). "Waiting for me"
 * depends on the role (a lead's own cases and unassigned submissions; an
 * assessor's team cases in assessment; an expert's panel cases;
 * certificate staff's cases awaiting payment or a certificate); "all"
 * shows every open case. Sorted by urgency from the case clock (over
 * limit, over target, at risk, on track), then by net days; filtered by
 * stage, status, lead and text; paged.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "caselist.h"
#include "page.h"
#include "router.h"
#include "status.h"
#include "valid.h"

extern const struct route routes_queue[];

#define QUEUE_PAGE	50
#define QUEUE_AHEAD	2	/* pages counted past the one shown */
#define QUEUE_Q_MAX	200	/* bytes of the search text */

/*
 * The filter of the query. Lenient, as the queue always was: an unknown
 * status or lead is no filter, an unknown stage matches nothing. 0, or
 * 400 for a search text over QUEUE_Q_MAX bytes.
 */
static int
read_filter(struct request *req, struct caselist_filter *f,
    const char **stage_s)
{
	const char *status = params_get(&req->query, "status");
	const char *stage = params_get(&req->query, "stage");
	const char *lead = params_get(&req->query, "lead");
	const char *q = params_get(&req->query, "q");
	const char *all = params_get(&req->query, "all");
	const char *sup = params_get(&req->query, "sup");
	enum stage sg;

	caselist_filter_init(f);
	f->order = CASELIST_URGENT;
	f->open_only = 1;
	f->mine = all == NULL || strcmp(all, "1") != 0;
	if (status != NULL && status_parse(status, &f->status) == 0)
		f->has_status = 1;
	*stage_s = NULL;
	if (stage != NULL && *stage != '\0') {
		*stage_s = stage;
		f->stage = stage_parse(stage, &sg) == 0 ? (int)sg : -1;
	}
	if (lead == NULL || valid_int(lead, 1, INT64_MAX, &f->lead) != 0)
		f->lead = 0;
	if (caselist_supplement_parse(sup, &f->supplement) != 0)
		f->supplement = CASELIST_SUP_ANY;
	if (q != NULL && strlen(q) > QUEUE_Q_MAX)
		return 400;
	f->text = q;
	return 0;
}

static enum dom_rc
put_filters(struct request *req, struct dom *d, struct tv *v,
    const struct caselist_filter *f, const char *stage)
{
	const struct status_info *ws;
	struct tv *list, *o;
	size_t i;
	enum dom_rc rc;

	list = tv_put_list(v, "statuses");
	for (ws = status_table; ws->code != NULL; ws++) {
		if (!status_open(ws->st))
			continue;
		o = tv_push_map(list);
		tv_put_str(o, "code", ws->code);
		tv_put_str(o, "label", ws->zh);
		tv_put_bool(o, "selected", f->has_status && f->status ==
		    ws->st);
	}
	list = tv_put_list(v, "stages");
	for (i = STAGE_ACCEPTANCE; i < STAGE_COUNT; i++) {
		o = tv_push_map(list);
		tv_put_str(o, "code", stage_code((enum stage)i));
		tv_put_str(o, "label", stage_zh((enum stage)i));
		tv_put_bool(o, "selected", stage != NULL && strcmp(stage,
		    stage_code((enum stage)i)) == 0);
	}
	if ((rc = page_lead_choices(d, v, "leads", f->lead)) != DOM_OK)
		return rc;
	list = tv_put_list(v, "sups");
	for (i = CASELIST_SUP_WAITING; i <= CASELIST_SUP_LATE; i++) {
		o = tv_push_map(list);
		tv_put_str(o, "code", caselist_supplement_code(
		    (enum caselist_supplement)i));
		tv_put_str(o, "label", caselist_supplement_zh(
		    (enum caselist_supplement)i));
		tv_put_bool(o, "selected", f->supplement ==
		    (enum caselist_supplement)i);
	}
	tv_put_str(v, "q", f->text ? f->text : "");
	tv_put_bool(v, "mine", f->mine);
	return DOM_OK;
}

/* The queue's address with the filters, for the pager. */
static const char *
base_of(struct request *req, const struct caselist_filter *f,
    const char *stage)
{
	struct buf base;
	const char *out;

	buf_init(&base);
	buf_puts(&base, "/queue?");
	if (!f->mine)
		buf_puts(&base, "all=1&");
	if (f->has_status)
		buf_printf(&base, "status=%s&", status_code(f->status));
	if (stage != NULL)
		buf_printf(&base, "stage=%s&", arena_urlencode(req->arena,
		    stage));
	if (f->lead > 0)
		buf_printf(&base, "lead=%lld&", f->lead);
	if (f->supplement != CASELIST_SUP_ANY)
		buf_printf(&base, "sup=%s&", caselist_supplement_code(
		    f->supplement));
	if (f->text != NULL && *f->text != '\0')
		buf_printf(&base, "q=%s&", arena_urlencode(req->arena,
		    f->text));
	/* Without filters just "/queue": no '?' to skip. */
	base.p[--base.n] = '\0';
	out = arena_strdup(req->arena, base.p);
	buf_free(&base);
	return out;
}

static int
page_queue(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "工作队列"), *list, *row;
	const char *ps = params_get(&req->query, "page"), *stage;
	struct dom *d = page_ctx(req);
	struct caselist_filter f;
	struct caselist_row *rows;
	long long page, total, cap;
	enum dom_rc rc;
	int status;
	size_t i, n;

	if ((rc = read_filter(req, &f, &stage)) != 0)
		return rc;
	if (ps == NULL || valid_int(ps, 1, 1000000, &page) != 0)
		page = 1;
	f.offset = (page - 1) * QUEUE_PAGE;
	f.limit = QUEUE_PAGE;
	/* Counting costs a step per case: it stops QUEUE_AHEAD pages past
	 * this one ("100+ 件"), so a page costs the same however many
	 * cases wait (docs/performance.md). */
	cap = f.offset + QUEUE_PAGE * QUEUE_AHEAD;
	if ((rc = caselist_count(d, &f, cap + 1, &total)) != DOM_OK ||
	    (rc = caselist_rows(d, &f, &rows, &n)) != DOM_OK)
		return page_status(resp, d, rc);
	list = tv_put_list(v, "cases");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", rows[i].id);
		tv_put_str(row, "case_no", rows[i].case_no);
		tv_put_str(row, "org", rows[i].org);
		tv_put_str(row, "status_zh", status_zh(rows[i].st));
		tv_put_str(row, "stage_zh", stage_zh(status_info(
		    rows[i].st)->stage));
		tv_put_str(row, "lead", rows[i].lead);
		if (rows[i].urgency >= 0) {
			tv_put_str(row, "urgency", caselist_urgency_code(
			    rows[i].urgency));
			tv_put_str(row, "urgency_zh", caselist_state_zh(
			    req->arena, &rows[i]));
		}
		tv_put_str(row, "due", caselist_due_zh(&rows[i]));
		tv_put_bool(row, "overdue", rows[i].supplement_overdue);
		tv_put_bool(row, "late", rows[i].answered_late &&
		    status_open(rows[i].st));
		tv_put_int(row, "net", rows[i].net);
		tv_put_str(row, "todo", rows[i].todo);
	}
	tv_put_bool(v, "has_cases", total > 0);
	if (total > cap) {
		tv_put_bool(v, "many", 1);
		tv_put_bool(v, "count_capped", 1);
		total = cap;
	}
	tv_put_int(v, "total", total);
	if ((status = page_status(resp, d, put_filters(req, d, v, &f,
	    stage))) != 0)
		return status;
	page_pager(req, v, base_of(req, &f, stage), page, total, QUEUE_PAGE);
	return page_render(req, resp, 200, "queue", v);
}

const struct route routes_queue[] = {
	{ METHOD_GET, "/queue", page_queue, ROLES_STAFF, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
