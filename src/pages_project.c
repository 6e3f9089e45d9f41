/*
 * pages_project.c: 立项 (§5.3), the pages. The project lead sends the
 * 委托协议 with the fee the rules module computes (shown with its basis:
 * initial or maintenance, and why); the applicant's acceptance makes it
 * effective; the lead or certificate staff record the payment. A payment
 * that does not match the fee is recorded only when the recorder says
 * so, and is flagged: it never opens the assessment. The steps are
 * agreement.c's and payment.c's; these pages parse, call and render.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "form_def.h"
#include "page.h"
#include "payment.h"
#include "router.h"

extern const struct route routes_project[];

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

static void
put_case(struct tv *v, const struct case_ref *c)
{
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
}

static int
render_agreement(struct request *req, struct response *resp, int status,
    const char *error);

static int
page_agreement(struct request *req, struct response *resp)
{
	return render_agreement(req, resp, 200, NULL);
}

/* The agreement page; error: the message at the confirm box (a browser
 * that ignores required sent it unticked). */
static int
render_agreement(struct request *req, struct response *resp, int status,
    const char *error)
{
	struct dom *d = page_ctx(req);
	unsigned role = req->user->role_bit;
	struct agreement_fee af;
	struct agreement a;
	struct case_ref c;
	struct tv *v;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	if ((drc = agreement_load(d, &c, &a)) != DOM_OK)
		return page_status(resp, d, drc);
	v = page_view(req, "委托协议");
	put_case(v, &c);
	if (a.exists) {
		put_fee(req, v, a.fee_audit, a.fee_annual, a.fee_total,
		    a.basis);
		tv_put_str(v, "sent_at", page_time(req->arena, a.sent_at));
		tv_put_str(v, "accepted_at", page_time(req->arena,
		    a.accepted_at));
		tv_put_bool(v, "effective", *a.accepted_at != '\0');
		tv_put_bool(v, "can_accept", access_may(&c, role,
		    ACT_ACCEPT_AGREEMENT));
	} else if (access_may(&c, role, ACT_SEND_AGREEMENT)) {
		if ((drc = agreement_fee(d, &c, &af)) != DOM_OK)
			return page_status(resp, d, drc);
		put_fee(req, v, af.fee.audit, af.fee.annual, af.fee.total,
		    af.basis);
		tv_put_bool(v, "can_send", 1);
	} else {
		resp->error_message = "委托协议尚未起草。项目负责人在受理后起草并"
		    "发送委托协议。";
		return 409;
	}
	if (error != NULL) {
		struct form f;

		form_init(&f, req, v);
		form_error(&f, "confirm", error);
	}
	return page_render(req, resp, status, "agreement", v);
}

/* After a step: its refusal, or the redirect to the case. */
static int
done(struct request *req, struct response *resp, const struct dom *d,
    enum dom_rc rc, long long id)
{
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, arena_printf(req->arena, "/cases/%lld", id));
	return 0;
}

static int
page_agreement_send(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	return done(req, resp, d, agreement_send(d, c.id), c.id);
}

static int
page_agreement_accept(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	enum dom_rc drc;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	drc = agreement_accept(d, c.id, params_get(&req->form, "confirm") !=
	    NULL);
	if (drc == DOM_INVALID && d->field != NULL && strcmp(d->field,
	    "confirm") == 0)
		return render_agreement(req, resp, 400, d->msg);
	return done(req, resp, d, drc, c.id);
}

static int
render_payment(struct request *req, struct response *resp, int status,
    const struct case_ref *c, struct form *f)
{
	struct dom *d = page_ctx(req);
	struct payment *p;
	struct agreement a;
	struct tv *v = f->view, *list, *row;
	enum dom_rc drc;
	size_t i, n;

	if ((drc = agreement_load(d, c, &a)) != DOM_OK)
		return page_status(resp, d, drc);
	if (!a.exists) {
		resp->error_message = "尚无委托协议，不能登记缴费。";
		return 409;
	}
	if ((drc = payment_list(d, c, &p, &n)) != DOM_OK)
		return page_status(resp, d, drc);
	put_case(v, c);
	put_fee(req, v, a.fee_audit, a.fee_annual, a.fee_total, a.basis);
	tv_put_bool(v, "effective", *a.accepted_at != '\0');
	tv_put_bool(v, "can_record", access_may(c, req->user->role_bit,
	    ACT_RECORD_PAYMENT));
	list = tv_put_list(v, "payments");
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_str(row, "amount", page_money(req->arena, p[i].amount));
		tv_put_str(row, "paid_on", p[i].paid_on);
		tv_put_str(row, "reference", p[i].reference);
		tv_put_bool(row, "mismatch", p[i].mismatch);
		tv_put_str(row, "note", p[i].note);
		tv_put_str(row, "by", p[i].by);
		tv_put_str(row, "at", page_time(req->arena, p[i].at));
	}
	return page_render(req, resp, status, "payment", v);
}

static int
page_payment(struct request *req, struct response *resp)
{
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	form_init(&f, req, page_view(req, "缴费"));
	form_value(&f, "paid_on", page_today(req));
	return render_payment(req, resp, 200, &c, &f);
}

/* The amount typed, in fen; 0 when it is not a sum of money. */
static long long
amount_fen(struct request *req, const char *typed)
{
	const struct fdef_field money = { "amount", NULL, FDEF_MONEY,
	    FDEF_REQUIRED, "金额", "", "", 0, 0, 0, NULL };
	const char *val, *err;
	int64_t fen = 0;
	zdate today;

	date_parse(page_today(req), &today);
	if (fdef_validate(req->arena, &money, typed, 1, today, &val,
	    &err) != FDEF_COMPLETE || fdef_money_fen(val, &fen) != 0)
		return 0;
	return fen;
}

static int
page_payment_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_input in;
	struct case_ref c;
	struct form f;
	enum dom_rc drc;
	size_t i, nerr;
	int rc, mismatch;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	form_init(&f, req, page_view(req, "缴费"));
	in.amount = amount_fen(req, form_keep(&f, "amount"));
	in.paid_on = form_keep(&f, "paid_on");
	in.reference = form_keep(&f, "reference");
	in.note = form_keep(&f, "note");
	in.confirm_mismatch = params_get(&req->form, "confirm_mismatch") !=
	    NULL;
	/* Every wrong field is shown at once. */
	if ((nerr = payment_check(d, &in, errs)) > 0) {
		if ((drc = access_require(d, &c, ACT_RECORD_PAYMENT)) !=
		    DOM_OK)
			return page_status(resp, d, drc);
		for (i = 0; i < nerr; i++)
			form_error(&f, errs[i].field, errs[i].msg);
		return render_payment(req, resp, 400, &c, &f);
	}
	drc = payment_record(d, c.id, &in, &mismatch);
	if (drc == DOM_INVALID) {
		form_error(&f, d->field, d->msg);
		if (mismatch)
			tv_put_bool(f.view, "show_mismatch", 1);
		return render_payment(req, resp, 400, &c, &f);
	}
	if (drc != DOM_OK)
		return page_status(resp, d, drc);
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
