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
#define QUEUE_COUNT_MAX	10000
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
	if (q != NULL && strlen(q) > QUEUE_Q_MAX)
		return 400;
	f->text = q;
	return 0;
}

static void
put_filters(struct request *req, struct dom *d, struct tv *v,
    const struct caselist_filter *f, const char *stage)
{
	const struct status_info *ws;
	struct account_row *leads;
	struct tv *list, *o;
	size_t i, n;

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
	list = tv_put_list(v, "leads");
	if (account_active(d, ROLE_LEAD, &leads, &n) == DOM_OK)
		for (i = 0; i < n; i++) {
			o = tv_push_map(list);
			tv_put_int(o, "id", leads[i].id);
			tv_put_str(o, "name", leads[i].name);
			tv_put_bool(o, "selected", f->lead == leads[i].id);
		}
	tv_put_str(v, "q", f->text ? f->text : "");
	tv_put_bool(v, "mine", f->mine);
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
	long long page, total;
	enum dom_rc rc;
	size_t i, n;

	if ((rc = read_filter(req, &f, &stage)) != 0)
		return rc;
	if (ps == NULL || valid_int(ps, 1, 1000000, &page) != 0)
		page = 1;
	f.offset = (page - 1) * QUEUE_PAGE;
	f.limit = QUEUE_PAGE;
	/* Counting stops past QUEUE_COUNT_MAX: beyond that the exact number
	 * helps nobody and costs a scan of every matching case. */
	if ((rc = caselist_count(d, &f, QUEUE_COUNT_MAX + 1, &total)) !=
	    DOM_OK || (rc = caselist_rows(d, &f, &rows, &n)) != DOM_OK)
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
			tv_put_str(row, "urgency_zh", caselist_urgency_zh(
			    rows[i].urgency));
		}
		tv_put_int(row, "net", rows[i].net);
		tv_put_str(row, "todo", rows[i].todo);
	}
	tv_put_bool(v, "has_cases", total > 0);
	if (total > QUEUE_COUNT_MAX) {
		tv_put_bool(v, "many", 1);
		total = QUEUE_COUNT_MAX;
	}
	tv_put_int(v, "total", total);
	put_filters(req, d, v, &f, stage);
	page_pager(req, v, base_of(req, &f, stage), page, total, QUEUE_PAGE);
	return page_render(req, resp, 200, "queue", v);
}

const struct route routes_queue[] = {
	{ METHOD_GET, "/queue", page_queue, ROLES_STAFF, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
