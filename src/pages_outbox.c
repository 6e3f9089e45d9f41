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
render_message(struct request *req, struct response *resp, int status,
    struct form *f, long long id)
{
	struct dom *d = page_ctx(req);
	struct outbox_msg m;
	struct tv *v = f != NULL ? f->view : page_view(req, "邮件");
	enum dom_rc rc;

	if ((rc = outbox_get(d, id, &m)) != DOM_OK)
		return page_status(resp, d, rc);
	tv_put_int(v, "mid", m.id);
	tv_put_bool(v, "resendable", outbox_resendable(&m));
	if (m.resent_as > 0)
		tv_put_int(v, "resent_as", m.resent_as);
	if (f == NULL)
		tv_put_str(tv_put_map(tv_put_map(v, "f"), "to"), "value", m.to);
	tv_put_str(v, "to", m.to);
	tv_put_str(v, "subject", m.subject);
	tv_put_str(v, "body", m.body);
	tv_put_str(v, "state_zh", outbox_state_zh(m.state));
	tv_put_int(v, "attempts", m.attempts);
	tv_put_str(v, "created", page_time(req->arena, m.created_at));
	tv_put_str(v, "sent", page_time(req->arena, m.sent_at));
	tv_put_str(v, "error", m.error);
	tv_put_str(v, "message_id", m.message_id);
	return page_render(req, resp, status, "outbox_message", v);
}

static int
page_outbox_message(struct request *req, struct response *resp)
{
	long long id;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	return render_message(req, resp, 200, NULL, id);
}

/* Sends a message that failed for good again, to the address given. */
static int
page_outbox_resend(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	long long id, new_id;
	struct form f;
	enum dom_rc rc;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	form_init(&f, req, page_view(req, "邮件"));
	rc = outbox_resend(d, id, form_keep(&f, "to"), &new_id);
	if (rc == DOM_INVALID) {
		form_error(&f, d->field, d->msg);
		return render_message(req, resp, 400, &f, id);
	}
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, arena_printf(req->arena, "/admin/outbox/%lld",
	    new_id));
	return 0;
}

const struct route routes_outbox[] = {
	{ METHOD_GET, "/admin/outbox", page_outbox, ROLE_ADMIN, 0 },
	{ METHOD_GET, "/admin/outbox/{n}", page_outbox_message, ROLE_ADMIN,
	    0 },
	{ METHOD_POST, "/admin/outbox/{n}/resend", page_outbox_resend,
	    ROLE_ADMIN, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
