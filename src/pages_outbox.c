/*
 * pages_outbox.c: the e-mail outbox for administrators (outbox_read.h):
 * with no SMTP configured (the `make run` default) the messages stay
 * here and can be read; with SMTP, it shows what was sent, what waits
 * for a retry, and why a message failed.
 */
#include <stdio.h>
#include <stdint.h>

#include "app.h"
#include "outbox_read.h"
#include "page.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_outbox[];

#define OUTBOX_PAGE	50

static int
page_outbox(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "邮件发件箱"), *list, *row;
	const char *ps = params_get(&req->query, "page");
	struct dom *d = page_ctx(req);
	struct outbox_counts counts;
	struct outbox_msg *m;
	long long page;
	enum dom_rc rc;
	size_t i, n;

	if (ps == NULL || valid_int(ps, 1, 1000000, &page) != 0)
		page = 1;
	if ((rc = outbox_list(d, (page - 1) * OUTBOX_PAGE, OUTBOX_PAGE, &m,
	    &n, &counts)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "pending", counts.pending);
	tv_put_int(v, "failed", counts.failed);
	list = tv_put_list(v, "messages");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "mid", m[i].id);
		tv_put_str(row, "to", m[i].to);
		tv_put_str(row, "subject", m[i].subject);
		tv_put_str(row, "state", m[i].state);
		tv_put_str(row, "state_zh", outbox_state_zh(m[i].state));
		tv_put_int(row, "attempts", m[i].attempts);
		tv_put_str(row, "created", page_time(req->arena,
		    m[i].created_at));
		tv_put_str(row, "sent", page_time(req->arena, m[i].sent_at));
		tv_put_str(row, "error", m[i].error);
	}
	tv_put_int(v, "total", counts.total);
	tv_put_bool(v, "has_messages", counts.total > 0);
	page_pager(req, v, "/admin/outbox", page, counts.total, OUTBOX_PAGE);
	return page_render(req, resp, 200, "outbox", v);
}

static int
page_outbox_message(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct outbox_msg m;
	struct tv *v;
	long long id;
	enum dom_rc rc;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	if ((rc = outbox_get(d, id, &m)) != DOM_OK)
		return page_status(resp, d, rc);
	v = page_view(req, "邮件");
	tv_put_str(v, "to", m.to);
	tv_put_str(v, "subject", m.subject);
	tv_put_str(v, "body", m.body);
	tv_put_str(v, "state_zh", outbox_state_zh(m.state));
	tv_put_int(v, "attempts", m.attempts);
	tv_put_str(v, "created", page_time(req->arena, m.created_at));
	tv_put_str(v, "sent", page_time(req->arena, m.sent_at));
	tv_put_str(v, "error", m.error);
	tv_put_str(v, "message_id", m.message_id);
	return page_render(req, resp, 200, "outbox_message", v);
}

const struct route routes_outbox[] = {
	{ METHOD_GET, "/admin/outbox", page_outbox, ROLE_ADMIN, 0 },
	{ METHOD_GET, "/admin/outbox/{n}", page_outbox_message, ROLE_ADMIN,
	    0 },
	{ 0, NULL, NULL, 0, 0 }
};
