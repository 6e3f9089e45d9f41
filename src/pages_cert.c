/*
 * pages_cert.c: 发证 and the certificates afterwards (domain.md §5.5, §6).
 *
 *  - /batches: certificate staff put cases that passed expert review
 *    (certificate_pending) into a batch; another member of the staff
 *    approves it, which issues every certificate of the batch in one
 *    transaction: number, certified name and credit code (from the frozen
 *    submission), dates from the rules module, the 发证 notice, and the
 *    move to "issued".
 *  - /certified and /verify: the public list and the verification page,
 *    with each certificate's status as of today.
 *  - /certificates/{n}: a certificate and its sanctions (处置); supervisors
 *    impose and lift them. /certificates/{n}/pdf: the certificate.
 *
 * docs/certificates.md describes the number format, the batch procedure
 * and how sanctions show on the verification page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "app.h"
#include "auth.h"
#include "certno.h"
#include "files.h"
#include "notice.h"
#include "page.h"
#include "pdf.h"
#include "router.h"
#include "rules.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_cert[];

#define CERTIFIED_PER_PAGE	50
#define BATCH_MAX_CASES		200
#define REASON_MAX		2000	/* bytes */

/* ---- Shared pieces ------------------------------------------------ */

/*
 * A certificate's status as of ?1 (today), for a certificate aliased t:
 * revoked first (final), then expired, suspended, under rectification.
 */
#define STATUS_SQL \
	"CASE WHEN EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id " \
	"= t.id AND s.kind = 'revocation') THEN 'revoked' " \
	"WHEN t.expires_on < ?1 THEN 'expired' " \
	"WHEN EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = " \
	"t.id AND s.kind = 'suspension' AND s.lifted_at IS NULL) THEN " \
	"'suspended' " \
	"WHEN EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = " \
	"t.id AND s.kind = 'rectification' AND s.lifted_at IS NULL) THEN " \
	"'rectification' ELSE 'valid' END"
/* The earliest deadline of a rectification not lifted, or NULL. */
#define RECT_SQL \
	"(SELECT min(s.deadline) FROM sanction s WHERE s.certificate_id = " \
	"t.id AND s.kind = 'rectification' AND s.lifted_at IS NULL)"
#define WARNED_SQL \
	"EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = t.id AND " \
	"s.kind = 'warning')"

static const struct {
	const char	*code;
	const char	*zh;
} cert_states[] = {
	{ "valid", "有效" },
	{ "expired", "已过期" },
	{ "suspended", "暂停" },
	{ "revoked", "已撤销" },
	{ "rectification", "限期整改中" },
	{ NULL, NULL }
};

static const struct {
	const char	*code;
	const char	*zh;
	int		 liftable;
} sanction_kinds[] = {
	{ "warning", "警告", 0 },
	{ "rectification", "限期整改", 1 },
	{ "suspension", "暂停证书", 1 },
	{ "revocation", "撤销证书", 0 },
	{ NULL, NULL, 0 }
};

static const char *
state_zh(const char *code)
{
	size_t i;

	for (i = 0; cert_states[i].code != NULL; i++)
		if (strcmp(cert_states[i].code, code) == 0)
			return cert_states[i].zh;
	return code;
}

static int
kind_index(const char *code)
{
	int i;

	for (i = 0; code != NULL && sanction_kinds[i].code != NULL; i++)
		if (strcmp(sanction_kinds[i].code, code) == 0)
			return i;
	return -1;
}

static void
put_state(struct tv *v, const char *code, const char *rect_deadline,
    const char *today)
{
	tv_put_str(v, "state", code);
	tv_put_str(v, "state_zh", state_zh(code));
	tv_put_bool(v, "state_valid", strcmp(code, "valid") == 0);
	if (strcmp(code, "rectification") == 0 && *rect_deadline != '\0') {
		tv_put_str(v, "rect_deadline", rect_deadline);
		tv_put_bool(v, "rect_overdue", strcmp(rect_deadline, today) <
		    0);
	}
}

/* "http(s)://host" of the request; a Host with unexpected characters
 * is not trusted and gives "localhost". */
static const char *
base_url(struct request *req)
{
	const char *h = req->host, *p;

	if (req->app->cfg.public_url != NULL)
		return req->app->cfg.public_url;
	if (h == NULL || *h == '\0' || strlen(h) > 255)
		h = "localhost";
	for (p = h; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-:[]", *p) != NULL)) {
			h = "localhost";
			break;
		}
	return arena_printf(req->arena, "%s://%s", req->https ? "https" :
	    "http", h);
}

static long long
arg_id(struct request *req, size_t i)
{
	return i < req->nargs ? strtoll(req->args[i], NULL, 10) : 0;
}

/* A field of the case's last frozen submission, or NULL. */
static const char *
frozen_value(struct request *req, long long case_id, const char *field)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT rv.value FROM "
	    "round r JOIN round_value rv ON rv.round_id = r.id WHERE "
	    "r.case_id = ?1 AND rv.field = ?2 AND rv.row = -1 ORDER BY r.n "
	    "DESC LIMIT 1");
	const char *v = NULL;

	if (st == NULL)
		return NULL;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, field);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = arena_strdup(req->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	return v != NULL && *v != '\0' ? v : NULL;
}

/* The organisation name as submitted (last round), for lists. */
#define FROZEN_NAME_SQL \
	"coalesce((SELECT rv.value FROM round r JOIN round_value rv ON " \
	"rv.round_id = r.id WHERE r.case_id = c.id AND rv.field = 'org_name' " \
	"AND rv.row = -1 ORDER BY r.n DESC LIMIT 1), o.name)"

static const char *
day_of(struct request *req, const char *stamp)
{
	const char *t = page_time(req->arena, stamp);

	return arena_strndup(req->arena, t, strlen(t) >= 10 ? 10 :
	    strlen(t));
}

/* ---- Batches ------------------------------------------------------ */

static int
put_pending(struct request *req, struct tv *v)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT c.id, "
	    "coalesce(c.case_no, ''), " FROZEN_NAME_SQL ", (SELECT max(e.day) "
	    "FROM event e WHERE e.case_id = c.id) FROM cases c JOIN org o ON "
	    "o.id = c.org_id WHERE c.status = 'certificate_pending' AND NOT "
	    "EXISTS (SELECT 1 FROM batch_case b WHERE b.case_id = c.id) "
	    "ORDER BY c.id LIMIT ?1");
	struct tv *list = tv_put_list(v, "pending"), *row;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, BATCH_MAX_CASES);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "case_id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "case_no", store_col_text(st, 1));
		tv_put_str(row, "org_name", store_col_text(st, 2));
		tv_put_str(row, "since", store_col_text(st, 3));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_pending", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
put_batches(struct request *req, struct tv *v)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT b.id, "
	    "b.created_by, a.name, b.created_at, coalesce(p.name, ''), "
	    "coalesce(b.approved_at, ''), (SELECT count(*) FROM batch_case bc "
	    "WHERE bc.batch_id = b.id), (SELECT count(*) FROM certificate t "
	    "WHERE t.batch_id = b.id) FROM cert_batch b JOIN account a ON "
	    "a.id = b.created_by LEFT JOIN account p ON p.id = b.approved_by "
	    "WHERE (?1 = 1 AND b.approved_by IS NULL) OR (?1 = 0 AND "
	    "b.approved_by IS NOT NULL) ORDER BY b.id DESC LIMIT 20");
	struct tv *list, *row;
	int rc = SQLITE_DONE, open, n;

	if (st == NULL)
		return -1;
	for (open = 1; open >= 0; open--) {
		list = tv_put_list(v, open ? "open" : "done");
		store_bind_int(st, 1, open);
		n = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			row = tv_push_map(list);
			tv_put_int(row, "bid", sqlite3_column_int64(st, 0));
			tv_put_bool(row, "mine", sqlite3_column_int64(st, 1) ==
			    req->user->id);
			tv_put_str(row, "creator", store_col_text(st, 2));
			tv_put_str(row, "created_at", page_time(req->arena,
			    store_col_text(st, 3)));
			tv_put_str(row, "approver", store_col_text(st, 4));
			tv_put_str(row, "approved_at", page_time(req->arena,
			    store_col_text(st, 5)));
			tv_put_int(row, "ncases", sqlite3_column_int64(st, 6));
			tv_put_int(row, "ncerts", sqlite3_column_int64(st, 7));
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return -1;
		tv_put_bool(v, open ? "has_open" : "has_done", n > 0);
	}
	return 0;
}

static int
render_batches(struct request *req, struct response *resp, int status,
    struct tv *v)
{
	if (put_pending(req, v) != 0 || put_batches(req, v) != 0)
		return 500;
	return page_render(req, resp, status, "cert_batches", v);
}

static int
page_batches(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "制证批次");
	struct form f;

	form_init(&f, req, v);
	return render_batches(req, resp, 200, v);
}

static int
page_batch_new(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "制证批次");
	size_t i, n = params_count(&req->form, "case");
	sqlite3_stmt *st;
	struct form f;
	const char *id_s;
	char stamp[24], *end;
	long long bid, id;
	int ok;

	form_init(&f, req, v);
	if (n == 0) {
		form_error(&f, "cases", "请至少勾选一个待制证的案件，再创建批次。");
		return render_batches(req, resp, 400, v);
	}
	if (n > BATCH_MAX_CASES) {
		form_error(&f, "cases", "一个批次最多 200 个案件，请分批创建。");
		return render_batches(req, resp, 400, v);
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO cert_batch(created_by, created_at) "
	    "VALUES (?1, ?2)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, req->user->id);
	store_bind_text(st, 2, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	bid = sqlite3_last_insert_rowid(store_db(s));
	for (i = 0; i < n; i++) {
		id_s = params_nth(&req->form, "case", i);
		id = strtoll(id_s, &end, 10);
		if (*id_s == '\0' || *end != '\0' || id <= 0) {
			store_rollback(s);
			return 400;
		}
		st = store_stmt(s, "SELECT coalesce(case_no, ''), status = "
		    "'certificate_pending' AND NOT EXISTS (SELECT 1 FROM "
		    "batch_case b WHERE b.case_id = cases.id) FROM cases WHERE "
		    "id = ?1");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			store_rollback(s);
			return 404;
		}
		ok = sqlite3_column_int(st, 1);
		if (!ok)
			resp->error_message = arena_printf(req->arena,
			    "案件 %s 不在“制证中”状态，或已编入另一个批次，"
			    "没有创建批次。请刷新“制证批次”页面后重新勾选。",
			    store_col_text(st, 0));
		sqlite3_reset(st);
		if (!ok) {
			store_rollback(s);
			return 409;
		}
		st = store_stmt(s, "INSERT OR IGNORE INTO batch_case(batch_id, "
		    "case_id) VALUES (?1, ?2)");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, bid);
		store_bind_int(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/batches/%lld?created=1", bid));
	return 0;
fail:
	fprintf(stderr, "zizhi: batch: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

struct batch {
	long long	 id;
	long long	 created_by;
	const char	*creator;
	const char	*created_at;
	long long	 approved_by;	/* 0: not yet */
	const char	*approver;
	const char	*approved_at;
};

/* 0, 404 or 500. */
static int
batch_get(struct request *req, long long id, struct batch *b)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT b.created_by, "
	    "a.name, b.created_at, coalesce(b.approved_by, 0), "
	    "coalesce(p.name, ''), coalesce(b.approved_at, '') FROM cert_batch "
	    "b JOIN account a ON a.id = b.created_by LEFT JOIN account p ON "
	    "p.id = b.approved_by WHERE b.id = ?1");
	int rc;

	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->id = id;
		b->created_by = sqlite3_column_int64(st, 0);
		b->creator = arena_strdup(req->arena, store_col_text(st, 1));
		b->created_at = arena_strdup(req->arena, store_col_text(st, 2));
		b->approved_by = sqlite3_column_int64(st, 3);
		b->approver = arena_strdup(req->arena, store_col_text(st, 4));
		b->approved_at = arena_strdup(req->arena,
		    store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 404 : 500;
}

static int
page_batch(struct request *req, struct response *resp)
{
	struct tv *v, *list, *row;
	const struct status_info *ws;
	sqlite3_stmt *st;
	struct batch b;
	int rc;

	if ((rc = batch_get(req, arg_id(req, 0), &b)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "制证批次 #%lld", b.id));
	tv_put_int(v, "bid", b.id);
	tv_put_str(v, "creator", b.creator);
	tv_put_str(v, "created_at", page_time(req->arena, b.created_at));
	tv_put_bool(v, "approved", b.approved_by != 0);
	tv_put_str(v, "approver", b.approver);
	tv_put_str(v, "approved_at", page_time(req->arena, b.approved_at));
	tv_put_bool(v, "mine", b.created_by == req->user->id);
	tv_put_bool(v, "can_approve", b.approved_by == 0 &&
	    b.created_by != req->user->id);
	tv_put_bool(v, "created_now", params_get(&req->query, "created") !=
	    NULL);
	tv_put_bool(v, "approved_now", params_get(&req->query, "approved") !=
	    NULL);
	st = store_stmt(req->app->store, "SELECT c.id, coalesce(c.case_no, "
	    "''), " FROZEN_NAME_SQL ", c.status, coalesce(t.id, 0), "
	    "coalesce(t.no, '') FROM batch_case bc JOIN cases c ON c.id = "
	    "bc.case_id JOIN org o ON o.id = c.org_id LEFT JOIN certificate t "
	    "ON t.case_id = c.id WHERE bc.batch_id = ?1 ORDER BY c.id");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, b.id);
	list = tv_put_list(v, "cases");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "case_id", sqlite3_column_int64(st, 0));
		tv_put_str(row, "case_no", store_col_text(st, 1));
		tv_put_str(row, "org_name", store_col_text(st, 2));
		ws = status_find(store_col_text(st, 3));
		tv_put_str(row, "status_zh", ws ? ws->zh :
		    store_col_text(st, 3));
		tv_put_bool(row, "pending", strcmp(store_col_text(st, 3),
		    "certificate_pending") == 0);
		if (sqlite3_column_int64(st, 4) != 0) {
			tv_put_int(row, "cert_id", sqlite3_column_int64(st, 4));
			tv_put_str(row, "cert_no", store_col_text(st, 5));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	return page_render(req, resp, 200, "cert_batch", v);
}

/*
 * Issues the certificate of one case of an approved batch, in the
 * caller's transaction. 0, 409 (message in resp) or 500.
 */
static int
issue_one(struct request *req, struct response *resp, long long bid,
    long long case_id)
{
	struct store *s = req->app->store;
	const struct rules *r = rules_default();
	const char *today = page_today(req), *name, *uscc, *base;
	struct rules_window w;
	sqlite3_stmt *st;
	struct tv *nv;
	char no[CERTNO_MAX], status[32], case_no[64], exp[DATE_BUFSZ];
	char maint[DATE_BUFSZ], err[256];
	long long org_id = 0;
	zdate issued, expires;

	st = store_stmt(s, "SELECT status, coalesce(case_no, ''), org_id FROM "
	    "cases WHERE id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, case_id);
	*status = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(status, sizeof(status), "%s", store_col_text(st, 0));
		snprintf(case_no, sizeof(case_no), "%s", store_col_text(st, 1));
		org_id = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	/* Withdrawn since it was put in the batch: no certificate. */
	if (strcmp(status, "certificate_pending") != 0)
		return 0;
	name = frozen_value(req, case_id, "org_name");
	uscc = frozen_value(req, case_id, "uscc");
	if (name == NULL || uscc == NULL) {
		resp->error_message = arena_printf(req->arena, "案件 %s 提交的"
		    "申请书中没有单位名称或统一社会信用代码，无法制证，批次未批准。"
		    "请联系项目负责人核实该案件。", case_no);
		return 409;
	}
	if (date_parse(today, &issued) != 0 ||
	    certno_next(s, atoi(today), no, sizeof(no)) != 0)
		return 500;
	expires = rules_cert_expires(r, issued);
	date_format(expires, exp);
	st = store_stmt(s, "INSERT INTO certificate(no, case_id, org_id, "
	    "org_name, uscc, issued_on, expires_on, batch_id) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, no);
	store_bind_int(st, 2, case_id);
	store_bind_int(st, 3, org_id);
	store_bind_text(st, 4, name);
	store_bind_text(st, 5, uscc);
	store_bind_text(st, 6, today);
	store_bind_text(st, 7, exp);
	store_bind_int(st, 8, bid);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	switch (workflow_move(s, case_id, "issued", req->user,
	    arena_printf(req->arena, "制证批次 #%lld 批准发证，证书编号 %s", bid,
	    no), req->now, err, sizeof(err))) {
	case WF_OK:
		break;
	case WF_FAILED:
		return 500;
	default:
		resp->error_message = arena_printf(req->arena, "案件 %s：%s",
		    case_no, err);
		return 409;
	}
	rules_maint_window(r, expires, issued, &w);
	base = base_url(req);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", name);
	tv_put_str(nv, "uscc", uscc);
	tv_put_str(nv, "cert_no", no);
	tv_put_str(nv, "issued_on", today);
	tv_put_str(nv, "expires_on", exp);
	tv_put_str(nv, "maint_by", date_format(w.on_time_until, maint));
	tv_put_str(nv, "verify_url", arena_printf(req->arena, "%s/verify/%s",
	    base, no));
	tv_put_str(nv, "list_url", arena_printf(req->arena, "%s/certified",
	    base));
	if (notice_create(page_ctx(req), case_id, case_no, "issuance", "发证通知书", nv,
	    NULL, 0) < 0)
		return 500;
	return 0;
}

static int
page_batch_approve(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	sqlite3_stmt *st;
	struct batch b;
	long long *ids;
	size_t n = 0, i;
	char stamp[24];
	int rc;

	if ((rc = batch_get(req, arg_id(req, 0), &b)) != 0)
		return rc;
	if (b.approved_by != 0) {
		resp->error_message = arena_printf(req->arena, "批次 #%lld 已于 "
		    "%s 由 %s 批准，证书已经发出，不需要再次批准。", b.id,
		    page_time(req->arena, b.approved_at), b.approver);
		return 409;
	}
	if (b.created_by == req->user->id) {
		resp->error_message = "批次须由创建人以外的另一位制证工作人员"
		    "批准（职责分离）。您创建了此批次，不能批准它：请让另一位"
		    "制证工作人员登录后批准。";
		return 409;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	/* Claim the batch first: a second approver finds it taken. The
	 * schema's CHECK refuses approval by the creator as well. */
	st = store_stmt(s, "UPDATE cert_batch SET approved_by = ?2, "
	    "approved_at = ?3 WHERE id = ?1 AND approved_by IS NULL");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, b.id);
	store_bind_int(st, 2, req->user->id);
	store_bind_text(st, 3, stamp);
	rc = sqlite3_step(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		store_rollback(s);
		resp->error_message = "批次须由创建人以外的另一位制证工作人员"
		    "批准（职责分离）。请让另一位制证工作人员登录后批准。";
		return 409;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(store_db(s)) != 1) {
		store_rollback(s);
		resp->error_message = "此批次刚刚已被批准。请刷新页面查看结果。";
		return 409;
	}
	st = store_stmt(s, "SELECT count(*) FROM batch_case WHERE batch_id = "
	    "?1");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, b.id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	ids = arena_alloc(req->arena, (n + 1) * sizeof(*ids));
	st = store_stmt(s, "SELECT case_id FROM batch_case WHERE batch_id = ?1 "
	    "ORDER BY case_id");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, b.id);
	for (i = 0; i < n && sqlite3_step(st) == SQLITE_ROW; i++)
		ids[i] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	n = i;
	for (i = 0; i < n; i++) {
		if ((rc = issue_one(req, resp, b.id, ids[i])) == 0)
			continue;
		if (rc == 500)
			goto fail;
		store_rollback(s);
		return rc;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/batches/%lld?approved=1", b.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: batch approve: %s\n",
	    sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

/* ---- The public list and the verification page ------------------ */

static int
page_certified(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "获证单位名录"), *list, *row;
	const char *p = params_get(&req->query, "page");
	const char *today = page_today(req);
	long long page = p ? strtoll(p, NULL, 10) : 1, total = 0;
	sqlite3_stmt *st;
	int rc;

	if (page < 1 || page > 1000000)
		page = 1;
	st = store_stmt(s, "SELECT count(*) FROM certificate");
	if (st == NULL)
		return 500;
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT t.id, t.no, t.org_name, t.issued_on, "
	    "t.expires_on, " STATUS_SQL ", coalesce(" RECT_SQL ", ''), "
	    WARNED_SQL " FROM certificate t ORDER BY t.issued_on DESC, t.id "
	    "DESC LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, today);
	store_bind_int(st, 2, CERTIFIED_PER_PAGE);
	store_bind_int(st, 3, (page - 1) * CERTIFIED_PER_PAGE);
	list = tv_put_list(v, "certs");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "cid", sqlite3_column_int64(st, 0));
		tv_put_str(row, "no", store_col_text(st, 1));
		tv_put_str(row, "org_name", store_col_text(st, 2));
		tv_put_str(row, "issued_on", store_col_text(st, 3));
		tv_put_str(row, "expires_on", store_col_text(st, 4));
		put_state(row, store_col_text(st, 5), store_col_text(st, 6),
		    today);
		tv_put_bool(row, "warned", sqlite3_column_int(st, 7));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_bool(v, "has_certs", total > 0);
	tv_put_int(v, "total", total);
	tv_put_str(v, "today", today);
	tv_put_bool(v, "is_staff", req->user != NULL && req->user->org_id == 0);
	page_pager(req, v, "/certified", page, total, CERTIFIED_PER_PAGE);
	return page_render(req, resp, 200, "cert_list", v);
}

/* The sanctions of a certificate; with_reason for the staff page. */
static int
put_sanctions(struct request *req, struct tv *v, long long cid,
    int with_reason, int can_lift)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT s.id, s.kind, "
	    "s.reason, coalesce(s.deadline, ''), a.name, s.at, "
	    "coalesce(s.lifted_at, ''), coalesce(l.name, '') FROM sanction s "
	    "JOIN account a ON a.id = s.by_id LEFT JOIN account l ON l.id = "
	    "s.lifted_by WHERE s.certificate_id = ?1 ORDER BY s.id");
	struct tv *list = tv_put_list(v, "sanctions"), *row;
	int rc, k, n = 0, lifted;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, cid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		k = kind_index(store_col_text(st, 1));
		lifted = *store_col_text(st, 6) != '\0';
		tv_put_int(row, "sid", sqlite3_column_int64(st, 0));
		tv_put_str(row, "kind", store_col_text(st, 1));
		tv_put_str(row, "kind_zh", k >= 0 ? sanction_kinds[k].zh :
		    store_col_text(st, 1));
		tv_put_str(row, "deadline", store_col_text(st, 3));
		tv_put_str(row, "day", day_of(req, store_col_text(st, 5)));
		tv_put_bool(row, "lifted", lifted);
		tv_put_str(row, "lifted_day", day_of(req,
		    store_col_text(st, 6)));
		if (with_reason) {
			tv_put_str(row, "reason", store_col_text(st, 2));
			tv_put_str(row, "by", store_col_text(st, 4));
			tv_put_str(row, "at", page_time(req->arena,
			    store_col_text(st, 5)));
			tv_put_str(row, "lifted_at", page_time(req->arena,
			    store_col_text(st, 6)));
			tv_put_str(row, "lifted_by", store_col_text(st, 7));
		}
		if (strcmp(store_col_text(st, 1), "warning") == 0)
			tv_put_bool(v, "warned", 1);
		tv_put_bool(row, "can_lift", can_lift && !lifted && k >= 0 &&
		    sanction_kinds[k].liftable);
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_sanctions", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct cert {
	long long	 id;
	long long	 case_id;
	long long	 org_id;
	const char	*no;
	const char	*org_name;
	const char	*uscc;
	const char	*issued_on;
	const char	*expires_on;
	const char	*state;
	const char	*rect_deadline;
	long long	 batch_id;
};

/* By id (no NULL) or number. 0, 404 or 500. */
static int
cert_get(struct request *req, long long id, const char *no, struct cert *c)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT t.id, "
	    "t.case_id, t.org_id, t.no, t.org_name, t.uscc, t.issued_on, "
	    "t.expires_on, " STATUS_SQL ", coalesce(" RECT_SQL ", ''), "
	    "t.batch_id FROM certificate t WHERE t.id = ?2 OR t.no = ?3");
	struct arena *a = req->arena;
	int rc;

	if (st == NULL)
		return 500;
	store_bind_text(st, 1, page_today(req));
	store_bind_int(st, 2, no == NULL ? id : 0);
	store_bind_text(st, 3, no == NULL ? "" : no);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->id = sqlite3_column_int64(st, 0);
		c->case_id = sqlite3_column_int64(st, 1);
		c->org_id = sqlite3_column_int64(st, 2);
		c->no = arena_strdup(a, store_col_text(st, 3));
		c->org_name = arena_strdup(a, store_col_text(st, 4));
		c->uscc = arena_strdup(a, store_col_text(st, 5));
		c->issued_on = arena_strdup(a, store_col_text(st, 6));
		c->expires_on = arena_strdup(a, store_col_text(st, 7));
		c->state = arena_strdup(a, store_col_text(st, 8));
		c->rect_deadline = arena_strdup(a, store_col_text(st, 9));
		c->batch_id = sqlite3_column_int64(st, 10);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 404 : 500;
}

/* Staff, and the applicant whose organisation holds it. */
static int
may_download(const struct request *req, const struct cert *c)
{
	return req->user != NULL && (req->user->org_id == 0 ||
	    req->user->org_id == c->org_id);
}

static void
put_cert(struct request *req, struct tv *v, const struct cert *c)
{
	struct tv *t = tv_put_map(v, "cert");
	const char *today = page_today(req);

	tv_put_int(t, "cid", c->id);
	tv_put_int(t, "case_id", c->case_id);
	tv_put_str(t, "no", c->no);
	tv_put_str(t, "org_name", c->org_name);
	tv_put_str(t, "uscc", c->uscc);
	tv_put_str(t, "category", PDF_CATEGORY_DEFAULT);
	tv_put_str(t, "level", PDF_LEVEL_DEFAULT);
	tv_put_str(t, "issued_on", c->issued_on);
	tv_put_str(t, "expires_on", c->expires_on);
	put_state(t, c->state, c->rect_deadline, today);
	tv_put_str(v, "today", today);
}

/* The verification page for what was typed (q, NULL: the empty form). */
static int
verify(struct request *req, struct response *resp, const char *q)
{
	struct tv *v = page_view(req, "证书查验");
	char no[CERTNO_MAX];
	struct form f;
	struct cert c;
	int rc;

	form_init(&f, req, v);
	form_value(&f, "no", q);
	if (q == NULL)
		return page_render(req, resp, 200, "cert_verify", v);
	switch (certno_clean(q, no, sizeof(no))) {
	case 1:
		form_error(&f, "no", "请输入证书编号，例如 CNITSEC2026SE2-0001"
		    "（见证书正面“证书编号”一栏）。");
		return page_render(req, resp, 400, "cert_verify", v);
	case -1:
		form_error(&f, "no", "证书编号的格式不对：应为 CNITSEC、四位年份、"
		    "SE2-、四位以上序号，例如 CNITSEC2026SE2-0001。请核对证书上"
		    "的编号后重新输入。");
		return page_render(req, resp, 400, "cert_verify", v);
	default:
		break;
	}
	form_value(&f, "no", no);
	if ((rc = cert_get(req, 0, no, &c)) == 404) {
		tv_put_str(v, "unknown", no);
		return page_render(req, resp, 404, "cert_verify", v);
	}
	if (rc != 0)
		return rc;
	put_cert(req, v, &c);
	if (put_sanctions(req, v, c.id, 0, 0) != 0)
		return 500;
	tv_put_bool(v, "can_pdf", may_download(req, &c));
	tv_put_bool(v, "is_staff", req->user != NULL && req->user->org_id == 0);
	tv_put_str(v, "verify_url", arena_printf(req->arena, "%s/verify/%s",
	    base_url(req), c.no));
	return page_render(req, resp, 200, "cert_verify", v);
}

static int
page_verify(struct request *req, struct response *resp)
{
	return verify(req, resp, params_get(&req->query, "no"));
}

static int
page_verify_direct(struct request *req, struct response *resp)
{
	return verify(req, resp, req->nargs > 0 ? req->args[0] : "");
}

/* ---- A certificate and its sanctions (staff) -------------------- */

static int
render_certificate(struct request *req, struct response *resp, int status,
    struct tv *v, const struct cert *c, const char *kind)
{
	int sup = req->user->role_bit == ROLE_SUPERVISOR;
	int revoked = strcmp(c->state, "revoked") == 0;
	struct tv *list = tv_put_list(v, "kinds"), *row;
	size_t i;

	for (i = 0; sanction_kinds[i].code != NULL; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", sanction_kinds[i].code);
		tv_put_str(row, "zh", sanction_kinds[i].zh);
		tv_put_bool(row, "selected", strcmp(sanction_kinds[i].code,
		    kind) == 0);
	}

	put_cert(req, v, c);
	tv_put_int(v, "batch_id", c->batch_id);
	tv_put_bool(v, "can_sanction", sup && !revoked);
	tv_put_bool(v, "is_supervisor", sup);
	tv_put_bool(v, "revoked", revoked);
	tv_put_bool(v, "done_now", params_get(&req->query, "done") != NULL);
	if (put_sanctions(req, v, c->id, 1, sup && !revoked) != 0)
		return 500;
	return page_render(req, resp, status, "cert_show", v);
}

static int
page_certificate(struct request *req, struct response *resp)
{
	struct tv *v;
	struct form f;
	struct cert c;
	int rc;

	if ((rc = cert_get(req, arg_id(req, 0), NULL, &c)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "证书 %s", c.no));
	form_init(&f, req, v);
	return render_certificate(req, resp, 200, v, &c, "");
}

static int
page_sanction_new(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const char *kind, *reason, *deadline, *today = page_today(req);
	struct tv *v;
	struct form f;
	struct cert c;
	sqlite3_stmt *st;
	char stamp[24];
	zdate d;
	int rc, k;

	if ((rc = cert_get(req, arg_id(req, 0), NULL, &c)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "证书 %s", c.no));
	form_init(&f, req, v);
	kind = form_keep(&f, "kind");
	reason = form_keep(&f, "reason");
	deadline = form_keep(&f, "deadline");
	if (strcmp(c.state, "revoked") == 0) {
		resp->error_message = "此证书已被撤销，撤销是最终处置，不能再作其他"
		    "处置。如需了解情况，请查看下方的处置记录。";
		return 409;
	}
	if ((k = kind_index(kind)) < 0)
		form_error(&f, "kind", "请选择处置类型：警告、限期整改、暂停证书或"
		    "撤销证书。");
	if (strspn(reason, " \t\r\n") == strlen(reason))
		form_error(&f, "reason", "请填写处置理由（依据的事实和条款），"
		    "它会记入证书的处置记录。");
	else if (strlen(reason) > REASON_MAX)
		form_error(&f, "reason", "处置理由请控制在 2000 字节（约 660 个"
		    "汉字）以内。");
	if (k >= 0 && strcmp(kind, "rectification") == 0) {
		if (*deadline == '\0')
			form_error(&f, "deadline", "限期整改须填写整改期限（日期，"
			    "格式 YYYY-MM-DD）。");
		else if (date_parse(deadline, &d) != 0)
			form_error(&f, "deadline", "整改期限不是有效日期，请按 "
			    "YYYY-MM-DD 填写，例如 2026-12-31。");
		else if (strcmp(deadline, today) < 0)
			form_error(&f, "deadline", "整改期限不能早于今天，请填写"
			    "今天或以后的日期。");
	}
	if (f.nerrors > 0)
		return render_certificate(req, resp, 400, v, &c, kind);
	if (strcmp(kind, "suspension") == 0 &&
	    strcmp(c.state, "suspended") == 0) {
		resp->error_message = "此证书已处于暂停状态。如需延续暂停，"
		    "不必重复处置；如需升级，可选择“撤销证书”。";
		return 409;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO sanction(certificate_id, kind, reason, "
	    "deadline, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL) {
		store_rollback(s);
		return 500;
	}
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, reason);
	store_bind_text(st, 4, strcmp(kind, "rectification") == 0 ? deadline :
	    NULL);
	store_bind_int(st, 5, req->user->id);
	store_bind_text(st, 6, stamp);
	if (sqlite3_step(st) != SQLITE_DONE || store_commit(s) != 0) {
		fprintf(stderr, "zizhi: sanction: %s\n",
		    sqlite3_errmsg(store_db(s)));
		store_rollback(s);
		return 500;
	}
	response_redirect(resp, arena_printf(req->arena,
	    "/certificates/%lld?done=1", c.id));
	return 0;
}

static int
page_sanction_lift(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	sqlite3_stmt *st;
	struct cert c;
	char stamp[24], kind[32] = "", lifted[24] = "";
	int rc, k;

	if ((rc = cert_get(req, arg_id(req, 0), NULL, &c)) != 0)
		return rc;
	st = store_stmt(s, "SELECT kind, coalesce(lifted_at, '') FROM "
	    "sanction WHERE id = ?1 AND certificate_id = ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, arg_id(req, 1));
	store_bind_int(st, 2, c.id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(kind, sizeof(kind), "%s", store_col_text(st, 0));
		snprintf(lifted, sizeof(lifted), "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 404 : 500;
	k = kind_index(kind);
	if (k < 0 || !sanction_kinds[k].liftable) {
		resp->error_message = "只有“限期整改”和“暂停证书”可以解除；警告"
		    "是记录，撤销是最终处置，都不能解除。";
		return 409;
	}
	if (strcmp(c.state, "revoked") == 0) {
		resp->error_message = "此证书已被撤销，不能再解除其他处置。";
		return 409;
	}
	if (*lifted != '\0') {
		resp->error_message = arena_printf(req->arena, "此处置已于 %s "
		    "解除，不需要再次解除。请刷新页面查看最新状态。",
		    page_time(req->arena, lifted));
		return 409;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "UPDATE sanction SET lifted_at = ?2, lifted_by = ?3 "
	    "WHERE id = ?1 AND lifted_at IS NULL");
	if (st == NULL) {
		store_rollback(s);
		return 500;
	}
	store_bind_int(st, 1, arg_id(req, 1));
	store_bind_text(st, 2, stamp);
	store_bind_int(st, 3, req->user->id);
	if (sqlite3_step(st) != SQLITE_DONE || store_commit(s) != 0) {
		fprintf(stderr, "zizhi: lift: %s\n",
		    sqlite3_errmsg(store_db(s)));
		store_rollback(s);
		return 500;
	}
	response_redirect(resp, arena_printf(req->arena,
	    "/certificates/%lld?done=1", c.id));
	return 0;
}

/* ---- The certificate as a PDF ------------------------------------ */

static int
page_certificate_pdf(struct request *req, struct response *resp)
{
	struct pdf_cert pc;
	struct cert c;
	char err[256];
	int rc;

	if ((rc = cert_get(req, arg_id(req, 0), NULL, &c)) != 0)
		return rc;
	if (!may_download(req, &c))
		return 404;	/* another organisation's: not found */
	memset(&pc, 0, sizeof(pc));
	pc.org_name = c.org_name;
	pc.credit_code = c.uscc;
	pc.cert_no = c.no;
	pc.issue_date = c.issued_on;
	pc.expiry_date = c.expires_on;
	pc.verify_url = arena_printf(req->arena, "%s/verify/%s", base_url(req),
	    c.no);
	buf_reset(&resp->body);
	resp->static_body = NULL;
	if (pdf_certificate(&pc, NULL, &resp->body, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: certificate %s: %s\n", c.no, err);
		resp->error_message = arena_printf(req->arena, "证书 PDF 生成失败："
		    "%s。请联系系统管理员。", err);
		return 500;
	}
	resp->status = 200;
	resp->content_type = "application/pdf";
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, arena_printf(req->arena,
	    "资质证书-%s.pdf", c.no)));
	return 0;
}

const struct route routes_cert[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/batches",		page_batches,	ROLE_CERT_STAFF, 0 },
	{ METHOD_POST,	"/batches",		page_batch_new,	ROLE_CERT_STAFF, 1 },
	{ METHOD_GET,	"/batches/{n}",		page_batch,	ROLE_CERT_STAFF, 0 },
	{ METHOD_POST,	"/batches/{n}/approve",	page_batch_approve,
	    ROLE_CERT_STAFF, 1 },
	{ METHOD_GET,	"/certified",		page_certified,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/verify",		page_verify,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/verify/{s}",		page_verify_direct, ROLES_ALL, 0 },
	{ METHOD_GET,	"/certificates/{n}",	page_certificate, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/certificates/{n}/sanctions", page_sanction_new,
	    ROLE_SUPERVISOR, 1 },
	{ METHOD_POST,	"/certificates/{n}/sanctions/{n}/lift",
	    page_sanction_lift, ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/certificates/{n}/pdf", page_certificate_pdf,
	    ROLES_USERS, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
