/*
 * pages_outbox.c: the e-mail outbox for administrators, like a mail
 * catcher: with no SMTP configured (the `make run` default) the messages
 * stay here and can be read; with SMTP, it shows what was sent, what
 * waits for a retry, and why a message failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "page.h"
#include "router.h"

extern const struct route routes_outbox[];

#define OUTBOX_PAGE	50

static const char *
state_zh(const char *state)
{
	if (strcmp(state, "sent") == 0)
		return "已发送";
	if (strcmp(state, "failed") == 0)
		return "发送失败";
	return "待发送";
}

static int
page_outbox(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "邮件发件箱"), *list, *row;
	const char *ps = params_get(&req->query, "page");
	long long page = ps ? strtoll(ps, NULL, 10) : 1, total = 0;
	sqlite3_stmt *st;
	int rc;

	if (page < 1 || page > 1000000)
		page = 1;
	st = store_stmt(s, "SELECT count(*), coalesce(sum(state = 'pending'), "
	    "0), coalesce(sum(state = 'failed'), 0) FROM outbox");
	if (st == NULL)
		return 500;
	if (sqlite3_step(st) == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
		tv_put_int(v, "pending", sqlite3_column_int64(st, 1));
		tv_put_int(v, "failed", sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT id, to_addr, subject, state, attempts, "
	    "created_at, coalesce(sent_at, ''), coalesce(last_error, '') FROM "
	    "outbox ORDER BY id DESC LIMIT 50 OFFSET ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, (page - 1) * OUTBOX_PAGE);
	list = tv_put_list(v, "messages");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "mid", sqlite3_column_int64(st, 0));
		tv_put_str(row, "to", store_col_text(st, 1));
		tv_put_str(row, "subject", store_col_text(st, 2));
		tv_put_str(row, "state", store_col_text(st, 3));
		tv_put_str(row, "state_zh", state_zh(store_col_text(st, 3)));
		tv_put_int(row, "attempts", sqlite3_column_int64(st, 4));
		tv_put_str(row, "created", page_time(req->arena,
		    store_col_text(st, 5)));
		tv_put_str(row, "sent", page_time(req->arena,
		    store_col_text(st, 6)));
		tv_put_str(row, "error", store_col_text(st, 7));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_int(v, "total", total);
	tv_put_bool(v, "has_messages", total > 0);
	page_pager(req, v, "/admin/outbox", page, total, OUTBOX_PAGE);
	return page_render(req, resp, 200, "outbox", v);
}

static int
page_outbox_message(struct request *req, struct response *resp)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT to_addr, "
	    "subject, body, state, attempts, created_at, coalesce(sent_at, ''), "
	    "coalesce(last_error, ''), message_id FROM outbox WHERE id = ?1");
	struct tv *v;

	if (st == NULL)
		return 500;
	store_bind_int(st, 1, strtoll(req->args[0], NULL, 10));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	v = page_view(req, "邮件");
	tv_put_str(v, "to", store_col_text(st, 0));
	tv_put_str(v, "subject", store_col_text(st, 1));
	tv_put_str(v, "body", store_col_text(st, 2));
	tv_put_str(v, "state_zh", state_zh(store_col_text(st, 3)));
	tv_put_int(v, "attempts", sqlite3_column_int64(st, 4));
	tv_put_str(v, "created", page_time(req->arena, store_col_text(st, 5)));
	tv_put_str(v, "sent", page_time(req->arena, store_col_text(st, 6)));
	tv_put_str(v, "error", store_col_text(st, 7));
	tv_put_str(v, "message_id", store_col_text(st, 8));
	sqlite3_reset(st);
	return page_render(req, resp, 200, "outbox_message", v);
}

const struct route routes_outbox[] = {
	{ METHOD_GET, "/admin/outbox", page_outbox, ROLE_ADMIN, 0 },
	{ METHOD_GET, "/admin/outbox/{n}", page_outbox_message, ROLE_ADMIN,
	    0 },
	{ 0, NULL, NULL, 0, 0 }
};
