/*
 * pages_project.c: 立项 (§5.3). The project lead sends the 委托协议 with
 * the fee the rules module computes (shown with its basis: initial or
 * maintenance, and why); the applicant's acceptance makes it effective;
 * the lead or certificate staff record the payment. A payment that does
 * not match the fee is recorded only when the recorder says so, and is
 * flagged: it never opens the assessment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "form_def.h"
#include "formdata.h"
#include "notice.h"
#include "page.h"
#include "router.h"
#include "rules.h"
#include "workflow.h"

extern const struct route routes_project[];

struct fee_basis {
	struct rules_fee	 fee;
	const char		*basis;
};

/* The fee of the case from its first submission: the application type
 * declared, and for maintenance the certificate's expiry against the
 * day of the first submission. */
static int
compute_fee(struct request *req, const struct case_info *c,
    struct fee_basis *out)
{
	const struct rules *r = rules_default();
	struct store *s = req->app->store;
	struct formdata fd;
	struct rules_window w;
	sqlite3_stmt *st;
	const char *type, *exp, *no;
	char filed_s[24] = "", d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	long long rid = 0;
	zdate expiry, filed;

	st = store_stmt(s, "SELECT r.id, (SELECT min(day) FROM event WHERE "
	    "case_id = ?1 AND to_status = 'submitted') FROM round r WHERE "
	    "r.case_id = ?1 ORDER BY r.n DESC LIMIT 1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rid = sqlite3_column_int64(st, 0);
		snprintf(filed_s, sizeof(filed_s), "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	formdata_init(&fd, req->arena);
	if (rid == 0 || formdata_load_round(&fd, s, rid) != 0 ||
	    date_parse(filed_s, &filed) != 0)
		return -1;
	type = formdata_get(&fd, "app_type", FDEF_NOROW);
	exp = formdata_get(&fd, "maint_cert_expiry", FDEF_NOROW);
	no = formdata_get(&fd, "maint_cert_no", FDEF_NOROW);
	if (type != NULL && strcmp(type, "maintenance") == 0 && exp != NULL &&
	    date_parse(exp, &expiry) == 0) {
		rules_fee_maintenance(r, expiry, filed, &out->fee);
		rules_maint_window(r, expiry, filed, &w);
		out->basis = arena_printf(req->arena, "维持申请：证书 %s 有效期至 "
		    "%s，申请于 %s 提交（%s；按期提交的最后一天为 %s）。%s",
		    no ? no : "", date_format(expiry, d1), filed_s,
		    rules_maint_class_zh(w.class), date_format(w.on_time_until,
		    d2), out->fee.treated_as == RULES_APP_INITIAL ?
		    "提交时已超过证书有效期届满 6 个月，视作初次申请，按初次申请收费"
		    "（§4）。" : "按维持申请收费（§9.2）。");
	} else {
		rules_fee_initial(r, &out->fee);
		out->basis = "初次申请，按初次申请收费（§9.1）。";
	}
	return 0;
}

struct agreement {
	int		 exists;
	long long	 fee_audit, fee_annual, fee_total;
	const char	*treated_as;
	const char	*basis;
	const char	*sent_at;
	const char	*accepted_at;
};

static int
load_agreement(struct request *req, long long case_id, struct agreement *a)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT fee_audit, "
	    "fee_annual, fee_total, treated_as, basis, sent_at, "
	    "coalesce(accepted_at, '') FROM agreement WHERE case_id = ?1");

	memset(a, 0, sizeof(*a));
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		a->exists = 1;
		a->fee_audit = sqlite3_column_int64(st, 0);
		a->fee_annual = sqlite3_column_int64(st, 1);
		a->fee_total = sqlite3_column_int64(st, 2);
		a->treated_as = arena_strdup(req->arena, store_col_text(st, 3));
		a->basis = arena_strdup(req->arena, store_col_text(st, 4));
		a->sent_at = page_time(req->arena, store_col_text(st, 5));
		a->accepted_at = page_time(req->arena, store_col_text(st, 6));
	}
	sqlite3_reset(st);
	return 0;
}

static void
put_fee(struct request *req, struct tv *v, long long audit, long long annual,
    long long total, const char *basis)
{
	struct tv *f = tv_put_map(v, "fee");

	tv_put_str(f, "audit", page_money(req->arena, audit));
	tv_put_str(f, "annual", page_money(req->arena, annual));
	tv_put_str(f, "total", page_money(req->arena, total));
	tv_put_str(f, "basis", basis);
}

static int
page_agreement(struct request *req, struct response *resp)
{
	struct case_info c;
	struct agreement a;
	struct fee_basis fb;
	struct tv *v;
	int rc, lead;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (load_agreement(req, c.id, &a) != 0)
		return 500;
	lead = c.lead_id == req->user->id;
	v = page_view(req, "委托协议");
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	if (a.exists) {
		put_fee(req, v, a.fee_audit, a.fee_annual, a.fee_total,
		    a.basis);
		tv_put_str(v, "sent_at", a.sent_at);
		tv_put_str(v, "accepted_at", a.accepted_at);
		tv_put_bool(v, "effective", *a.accepted_at != '\0');
		tv_put_bool(v, "can_accept", req->user->org_id != 0 &&
		    strcmp(c.status, "agreement_sent") == 0);
	} else if (lead && strcmp(c.status, "accepted") == 0) {
		if (compute_fee(req, &c, &fb) != 0)
			return 500;
		put_fee(req, v, fb.fee.audit, fb.fee.annual, fb.fee.total,
		    fb.basis);
		tv_put_bool(v, "can_send", 1);
	} else {
		resp->error_message = "委托协议尚未起草。项目负责人在受理后起草并"
		    "发送委托协议。";
		return 409;
	}
	return page_render(req, resp, 200, "agreement", v);
}

static int
finish(struct request *req, struct response *resp, int rc, long long id)
{
	struct store *s = req->app->store;

	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena, "/cases/%lld", id));
	return 0;
}

static int
page_agreement_send(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct fee_basis fb;
	struct tv *nv;
	sqlite3_stmt *st;
	char stamp[24];
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (c.lead_id != req->user->id) {
		resp->error_message = "只有此案件的项目负责人可以发送委托协议。";
		return 403;
	}
	if (compute_fee(req, &c, &fb) != 0)
		return 500;
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "agreement_sent", arena_printf(
	    req->arena, "委托协议已发送，费用 %s 元", page_money(req->arena,
	    fb.fee.total)))) != 0)
		return finish(req, resp, rc, c.id);
	st = store_stmt(s, "INSERT INTO agreement(case_id, treated_as, basis, "
	    "fee_audit, fee_annual, fee_total, drafted_by, sent_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return finish(req, resp, 500, c.id);
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, rules_apptype_code(fb.fee.treated_as));
	store_bind_text(st, 3, fb.basis);
	store_bind_int(st, 4, fb.fee.audit);
	store_bind_int(st, 5, fb.fee.annual);
	store_bind_int(st, 6, fb.fee.total);
	store_bind_int(st, 7, req->user->id);
	store_bind_text(st, 8, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return finish(req, resp, 500, c.id);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "basis", fb.basis);
	tv_put_str(nv, "audit", page_money(req->arena, fb.fee.audit));
	tv_put_str(nv, "annual", page_money(req->arena, fb.fee.annual));
	tv_put_str(nv, "total", page_money(req->arena, fb.fee.total));
	tv_put_str(nv, "lead_name", req->user->name);
	if (notice_create(page_ctx(req), c.id, c.case_no, "agreement", "委托协议", nv,
	    NULL, 0) < 0)
		return finish(req, resp, 500, c.id);
	return finish(req, resp, 0, c.id);
}

static int
page_agreement_accept(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct agreement a;
	struct tv *nv;
	sqlite3_stmt *st;
	char stamp[24];
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (params_get(&req->form, "confirm") == NULL) {
		resp->error_message = "请勾选“我单位同意委托协议的全部条款”后再确认。";
		return 400;
	}
	if (load_agreement(req, c.id, &a) != 0)
		return 500;
	if (!a.exists)
		return 409;
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "awaiting_payment",
	    "申请单位确认委托协议，协议生效")) != 0)
		return finish(req, resp, rc, c.id);
	st = store_stmt(s, "UPDATE agreement SET accepted_by = ?2, "
	    "accepted_at = ?3 WHERE case_id = ?1 AND accepted_at IS NULL");
	if (st == NULL)
		return finish(req, resp, 500, c.id);
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, req->user->id);
	store_bind_text(st, 3, stamp);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(s)) != 1)
		return finish(req, resp, 500, c.id);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "total", page_money(req->arena, a.fee_total));
	if (notice_create(page_ctx(req), c.id, c.case_no, "payment", "缴费通知", nv,
	    NULL, 0) < 0)
		return finish(req, resp, 500, c.id);
	return finish(req, resp, 0, c.id);
}

/* The lead of the case, or certificate staff. */
static int
may_record(const struct request *req, const struct case_info *c)
{
	return (req->user->role_bit & ROLE_CERT_STAFF) ||
	    c->lead_id == req->user->id;
}

static int
render_payment(struct request *req, struct response *resp, int status,
    const struct case_info *c, struct form *f)
{
	struct agreement a;
	struct tv *v = f->view, *list, *p;
	sqlite3_stmt *st;
	int rc;

	if (load_agreement(req, c->id, &a) != 0)
		return 500;
	if (!a.exists) {
		resp->error_message = "尚无委托协议，不能登记缴费。";
		return 409;
	}
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	put_fee(req, v, a.fee_audit, a.fee_annual, a.fee_total, a.basis);
	tv_put_bool(v, "effective", *a.accepted_at != '\0');
	tv_put_bool(v, "can_record", strcmp(c->status, "awaiting_payment") ==
	    0 && may_record(req, c));
	list = tv_put_list(v, "payments");
	st = store_stmt(req->app->store, "SELECT p.amount, p.paid_on, "
	    "p.reference, p.mismatch, p.note, a.name, p.recorded_at FROM "
	    "payment p JOIN account a ON a.id = p.recorded_by WHERE "
	    "p.case_id = ?1 ORDER BY p.id");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = tv_push_map(list);
		tv_put_str(p, "amount", page_money(req->arena,
		    sqlite3_column_int64(st, 0)));
		tv_put_str(p, "paid_on", store_col_text(st, 1));
		tv_put_str(p, "reference", store_col_text(st, 2));
		tv_put_bool(p, "mismatch", sqlite3_column_int(st, 3));
		tv_put_str(p, "note", store_col_text(st, 4));
		tv_put_str(p, "by", store_col_text(st, 5));
		tv_put_str(p, "at", page_time(req->arena, store_col_text(st,
		    6)));
	}
	sqlite3_reset(st);
	return page_render(req, resp, status, "payment", v);
}

static int
page_payment(struct request *req, struct response *resp)
{
	struct case_info c;
	struct form f;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	form_init(&f, req, page_view(req, "缴费"));
	form_value(&f, "paid_on", page_today(req));
	return render_payment(req, resp, 200, &c, &f);
}

static int
page_payment_post(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const struct fdef_field money = { "amount", NULL, FDEF_MONEY,
	    FDEF_REQUIRED, "金额", "", "", 0, 0, 0, NULL };
	struct case_info c;
	struct agreement a;
	struct form f;
	sqlite3_stmt *st;
	const char *amount_s, *paid_s, *ref, *note, *val, *err;
	char stamp[24];
	int64_t fen = 0;
	zdate today, paid;
	int rc, mismatch;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (!may_record(req, &c)) {
		resp->error_message = "只有此案件的项目负责人或制证工作人员可以登记缴费。";
		return 403;
	}
	if (load_agreement(req, c.id, &a) != 0)
		return 500;
	form_init(&f, req, page_view(req, "缴费"));
	amount_s = form_keep(&f, "amount");
	paid_s = form_keep(&f, "paid_on");
	ref = form_keep(&f, "reference");
	note = form_keep(&f, "note");
	date_parse(page_today(req), &today);
	if (fdef_validate(req->arena, &money, amount_s, 1, today, &val,
	    &err) != FDEF_COMPLETE || fdef_money_fen(val, &fen) != 0 ||
	    fen <= 0)
		form_error(&f, "amount", "请填写实收金额（元），例如 87,000.00。");
	if (date_parse(paid_s, &paid) != 0 || paid > today)
		form_error(&f, "paid_on", "请填写到账日期（年-月-日），不能晚于今天。");
	if (*ref == '\0' || strlen(ref) > 200)
		form_error(&f, "reference", "请填写银行流水号或凭证号（不超过 200 字节）。");
	mismatch = a.exists && f.nerrors == 0 && fen != a.fee_total;
	if (mismatch && (params_get(&req->form, "confirm_mismatch") == NULL ||
	    *note == '\0'))
		form_error(&f, "amount", arena_printf(req->arena, "实收金额 %s 元"
		    "与应缴费用 %s 元不符。如确需登记，请勾选“金额不符，仍然登记”并"
		    "在备注中写明原因；金额不符的缴费不会进入评估。",
		    page_money(req->arena, fen), page_money(req->arena,
		    a.fee_total)));
	if (f.nerrors > 0) {
		if (mismatch)
			tv_put_bool(f.view, "show_mismatch", 1);
		return render_payment(req, resp, 400, &c, &f);
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO payment(case_id, amount, paid_on, "
	    "reference, mismatch, note, recorded_by, recorded_at) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return finish(req, resp, 500, c.id);
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, fen);
	store_bind_text(st, 3, paid_s);
	store_bind_text(st, 4, ref);
	store_bind_int(st, 5, mismatch);
	store_bind_text(st, 6, note);
	store_bind_int(st, 7, req->user->id);
	store_bind_text(st, 8, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return finish(req, resp, 500, c.id);
	/* A matching payment opens the assessment (the guard checks it). */
	if (!mismatch && (rc = page_move(req, resp, c.id, "assessment_planning",
	    arena_printf(req->arena, "登记缴费 %s 元（%s），进入评估",
	    page_money(req->arena, fen), ref))) != 0)
		return finish(req, resp, rc, c.id);
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena, mismatch ?
	    "/cases/%lld/payment?flagged=1" : "/cases/%lld", c.id));
	return 0;
}

const struct route routes_project[] = {
	{ METHOD_GET, "/cases/{n}/agreement", page_agreement, ROLES_USERS, 0 },
	{ METHOD_POST, "/cases/{n}/agreement", page_agreement_send, ROLE_LEAD,
	    1 },
	{ METHOD_POST, "/cases/{n}/agreement/accept", page_agreement_accept,
	    ROLE_APPLICANT, 1 },
	{ METHOD_GET, "/cases/{n}/payment", page_payment, ROLES_STAFF |
	    ROLE_APPLICANT, 0 },
	{ METHOD_POST, "/cases/{n}/payment", page_payment_post, ROLE_LEAD |
	    ROLE_CERT_STAFF, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
