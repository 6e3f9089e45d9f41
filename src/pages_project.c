/*
 * pages_project.c: 立项 (§5.3), the pages. The project lead sends the
 * 委托协议 with the fee the rules module computes (shown with its basis:
 * initial or maintenance, and why) and where to pay; the applicant's
 * acceptance makes it effective; the agreement is also a PDF, with the
 * fee in Chinese capitals. The payment page is the case's ledger: what
 * is due by line, every entry, paid and still owed; the lead or
 * certificate staff record each payment received, certificate staff
 * add invoice numbers, record refunds and confirm reversals and refunds
 * someone else asked for. The steps are agreement.c's and payment.c's;
 * these pages parse, call and render.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "form_def.h"
#include "money.h"
#include "page.h"
#include "payment.h"
#include "pdf.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_project[];

static void
put_fee(struct request *req, struct tv *v, long long audit, long long annual,
    long long total, const char *basis)
{
	struct tv *f = tv_put_map(v, "fee");
	const char *capital = money_capital(req->arena, total);

	tv_put_str(f, "audit", money_yuan(req->arena, audit));
	tv_put_str(f, "annual", money_yuan(req->arena, annual));
	tv_put_str(f, "total", money_yuan(req->arena, total));
	tv_put_str(f, "total_capital", capital != NULL ? capital : "");
	tv_put_str(f, "basis", basis);
}

static void
put_payee(struct tv *v, const struct dom_payee *p)
{
	struct tv *m = tv_put_map(v, "payee");

	tv_put_str(m, "name", p->name);
	tv_put_str(m, "bank", p->bank);
	tv_put_str(m, "account", p->account);
	tv_put_str(m, "note", p->note);
}

static void
put_case(struct tv *v, const struct case_ref *c)
{
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "uscc", c->org_uscc);
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
		put_payee(v, &a.payee);
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
		put_payee(v, d->payee);
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

static int
page_agreement_pdf(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct agreement_doc doc;
	struct pdf_notice n;
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	if ((rc = page_status(resp, d, agreement_document(d, &c, &doc))) != 0)
		return rc;
	memset(&n, 0, sizeof(n));
	n.title = doc.title;
	n.number = doc.number;
	n.date = doc.date;
	n.body = doc.body;
	n.addressee = c.org_name;
	n.case_no = c.case_no;
	return page_pdf_notice(req, resp, &n, arena_printf(req->arena,
	    "委托协议-%s.pdf", c.case_no), "委托协议");
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

/* A refusal at one entry of the ledger: its id and the message. */
struct at_entry {
	long long	 id;
	const char	*msg;
};

static const char *
entry_state(const struct payment *p)
{
	if (p->pending)
		return "待复核";
	if (p->declined)
		return "复核未通过，未生效";
	if (p->kind != PAYMENT_IN)
		return "已生效";
	return p->reversed_by > 0 ? "已申请冲正" : "已入账";
}

static void
put_entries(struct request *req, struct tv *v, const struct case_ref *c,
    const struct payment_ledger *l, const struct at_entry *fail)
{
	const struct actor *me = req->user;
	struct tv *list = tv_put_list(v, "entries"), *row;
	const struct payment *p;
	int reverse = access_may(c, me->role_bit, ACT_REVERSE_PAYMENT);
	int decide = access_may(c, me->role_bit, ACT_CONFIRM_LEDGER);
	int invoice = access_may(c, me->role_bit, ACT_INVOICE);
	size_t i;

	for (i = 0; i < l->n; i++) {
		p = &l->entries[i];
		row = tv_push_map(list);
		tv_put_int(row, "eid", p->id);
		tv_put_str(row, "kind", p->kind == PAYMENT_IN ? "payment" :
		    p->kind == PAYMENT_REFUND ? "refund" : "reversal");
		tv_put_str(row, "kind_zh", p->kind_zh);
		tv_put_str(row, "line_zh", p->line_zh);
		tv_put_str(row, "amount", money_yuan(req->arena, p->amount));
		tv_put_str(row, "effect", money_yuan(req->arena,
		    p->effective ? p->signed_amount : 0));
		tv_put_bool(row, "counts", p->effective);
		tv_put_str(row, "paid_on", p->paid_on);
		tv_put_str(row, "payer", p->payer);
		tv_put_str(row, "reference", p->reference);
		tv_put_str(row, "note", p->note);
		if (p->reverses > 0)
			tv_put_int(row, "reverses", p->reverses);
		tv_put_str(row, "by", p->by);
		tv_put_str(row, "at", page_time(req->arena, p->at));
		tv_put_str(row, "state_zh", entry_state(p));
		tv_put_bool(row, "pending", p->pending);
		tv_put_str(row, "decided_by", p->decided_by);
		tv_put_str(row, "decided_at", page_time(req->arena,
		    p->decided_at));
		tv_put_str(row, "decision_note", p->decision_note);
		tv_put_str(row, "invoice_no", p->invoice_no);
		tv_put_str(row, "invoice_by", p->invoice_by);
		tv_put_bool(row, "can_reverse", reverse && p->effective &&
		    p->kind != PAYMENT_REVERSAL && p->reversed_by == 0);
		tv_put_bool(row, "can_decide", decide && p->pending &&
		    p->by_id != me->id);
		tv_put_bool(row, "own_pending", decide && p->pending &&
		    p->by_id == me->id);
		tv_put_bool(row, "can_invoice", invoice &&
		    p->kind == PAYMENT_IN && *p->invoice_no == '\0');
		if (fail != NULL && fail->id == p->id)
			tv_put_str(row, "error", fail->msg);
	}
}

static void
put_ledger(struct request *req, struct tv *v, const struct payment_ledger *l)
{
	struct arena *a = req->arena;
	struct tv *s = tv_put_map(v, "ledger");

	tv_put_str(s, "due_audit", money_yuan(a, l->due_audit));
	tv_put_str(s, "due_annual", money_yuan(a, l->due_annual));
	tv_put_str(s, "due", money_yuan(a, l->due));
	tv_put_str(s, "paid_audit", money_yuan(a, l->paid_audit));
	tv_put_str(s, "paid_annual", money_yuan(a, l->paid_annual));
	tv_put_str(s, "paid", money_yuan(a, l->paid));
	tv_put_str(s, "owed_audit", money_yuan(a, l->due_audit > l->paid_audit ?
	    l->due_audit - l->paid_audit : 0));
	tv_put_str(s, "owed_annual", money_yuan(a, l->due_annual >
	    l->paid_annual ? l->due_annual - l->paid_annual : 0));
	tv_put_str(s, "owed", money_yuan(a, l->owed));
	tv_put_str(s, "credit", money_yuan(a, l->credit));
	tv_put_str(s, "refundable", money_yuan(a, l->refundable));
	tv_put_bool(s, "covered", l->owed == 0);
	tv_put_bool(s, "has_credit", l->credit > 0);
	tv_put_bool(s, "has_refundable", l->refundable > 0);
	tv_put_bool(s, "has_pending", l->pending > 0);
	tv_put_int(s, "pending", (long long)l->pending);
}

/*
 * The payment page: the ledger, and the forms its reader may use. f
 * holds the payment form's values and errors, r the refund form's (may
 * be NULL), fail a refusal at one entry (may be NULL).
 */
static int
render_payment(struct request *req, struct response *resp, int status,
    const struct case_ref *c, struct form *f, struct form *r,
    const struct at_entry *fail)
{
	struct dom *d = page_ctx(req);
	struct payment_ledger l;
	struct tv *v = f->view, *rv;
	unsigned role = req->user->role_bit;
	enum dom_rc drc;

	if ((drc = payment_ledger(d, c, &l)) != DOM_OK)
		return page_status(resp, d, drc);
	if (!l.has_agreement) {
		resp->error_message = "尚无委托协议，不能登记缴费。";
		return 409;
	}
	put_case(v, c);
	put_fee(req, v, l.due_audit, l.due_annual, l.due, l.basis);
	put_payee(v, &l.payee);
	put_ledger(req, v, &l);
	tv_put_bool(v, "effective", l.effective);
	tv_put_str(v, "effective_day", l.effective_day);
	tv_put_bool(v, "has_entries", l.n > 0);
	put_entries(req, v, c, &l, fail);
	tv_put_bool(v, "can_record", l.effective && access_may(c, role,
	    ACT_RECORD_PAYMENT));
	tv_put_bool(v, "can_refund", l.effective && l.refundable > 0 &&
	    access_may(c, role, ACT_REFUND));
	tv_put_bool(v, "recorded", params_get(&req->query, "recorded") !=
	    NULL);
	if (r != NULL)
		tv_put(v, "r", (struct tv *)(uintptr_t)tv_get(r->view, "f"));
	else {
		/* The refund form's defaults: today, to the organisation. */
		rv = tv_put_map(v, "r");
		tv_put_str(tv_put_map(rv, "paid_on"), "value", page_today(req));
		tv_put_str(tv_put_map(rv, "payer"), "value", c->org_name);
	}
	return page_render(req, resp, status, "payment", v);
}

/* A fresh payment page with its forms' defaults. */
static void
defaults(struct request *req, const struct case_ref *c, struct form *f)
{
	form_value(f, "paid_on", page_today(req));
	form_value(f, "payer", c->org_name);
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
	defaults(req, &c, &f);
	return render_payment(req, resp, 200, &c, &f, NULL, NULL);
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

/* The fields of a payment or refund form, their names after prefix. */
static void
read_input(struct request *req, struct form *f, const char *prefix,
    struct payment_input *in)
{
	struct arena *a = req->arena;

	memset(in, 0, sizeof(*in));
	in->amount = amount_fen(req, form_keep(f, arena_printf(a, "%samount",
	    prefix)));
	in->paid_on = form_keep(f, arena_printf(a, "%spaid_on", prefix));
	in->payer = form_keep(f, arena_printf(a, "%spayer", prefix));
	in->reference = form_keep(f, arena_printf(a, "%sreference", prefix));
	in->line = form_keep(f, arena_printf(a, "%sline", prefix));
	tv_put_bool(f->view, "line_audit", strcmp(in->line, "audit") == 0);
	tv_put_bool(f->view, "line_annual", strcmp(in->line, "annual") == 0);
	in->note = form_keep(f, arena_printf(a, "%snote", prefix));
}

static int
page_payment_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_outcome out;
	struct payment_input in;
	struct case_ref c;
	struct form f;
	enum dom_rc drc;
	size_t i, nerr;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	form_init(&f, req, page_view(req, "缴费"));
	read_input(req, &f, "", &in);
	drc = payment_record(d, c.id, &in, errs, &nerr, &out);
	if (drc == DOM_INVALID) {
		/* Every wrong field at once, the form as typed. */
		for (i = 0; i < nerr; i++)
			form_error(&f, errs[i].field, errs[i].msg);
		if (nerr == 0)
			form_error(&f, d->field ? d->field : "amount",
			    d->msg);
		return render_payment(req, resp, 400, &c, &f, NULL, NULL);
	}
	if (drc != DOM_OK)
		return page_status(resp, d, drc);
	response_redirect(resp, arena_printf(req->arena, out.opened ?
	    "/cases/%lld" : "/cases/%lld/payment?recorded=1", c.id));
	return 0;
}

static int
page_refund_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct payment_error errs[PAYMENT_NERRORS];
	struct payment_input in;
	struct case_ref c;
	struct form f, r;
	struct tv *rv;
	enum dom_rc drc;
	size_t i, nerr;
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, &c)) != 0)
		return rc;
	rv = tv_map(req->arena);
	form_init(&r, req, rv);
	read_input(req, &r, "", &in);
	drc = payment_refund(d, c.id, &in, errs, &nerr);
	if (drc == DOM_INVALID) {
		for (i = 0; i < nerr; i++)
			form_error(&r, errs[i].field, errs[i].msg);
		form_init(&f, req, page_view(req, "缴费"));
		defaults(req, &c, &f);
		/* The refund form's errors, in the summary at the top too. */
		for (i = 0; i < nerr; i++)
			form_error(&f, arena_printf(req->arena, "refund-%s",
			    errs[i].field), errs[i].msg);
		return render_payment(req, resp, 400, &c, &f, &r, NULL);
	}
	if (drc != DOM_OK)
		return page_status(resp, d, drc);
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/payment#ledger", c.id));
	return 0;
}

/* The case and the entry of a route /cases/{n}/payment/{n}/...: 0, or
 * the status to answer with. */
static int
load_entry(struct request *req, struct case_ref *c, long long *id)
{
	int rc;

	if ((rc = page_load_case(req, 0, PART_PAYMENTS, c)) != 0)
		return rc;
	return valid_int(req->args[1], 1, LLONG_MAX, id) == 0 ? 0 : 404;
}

/* After a step on one entry: back to the ledger, or the page again
 * with the refusal at that entry (a wrong field), or the error page. */
static int
entry_done(struct request *req, struct response *resp, struct dom *d,
    const struct case_ref *c, long long id, enum dom_rc drc)
{
	struct at_entry fail;
	struct form f;

	if (drc == DOM_INVALID) {
		fail.id = id;
		fail.msg = d->msg;
		form_init(&f, req, page_view(req, "缴费"));
		defaults(req, c, &f);
		return render_payment(req, resp, 400, c, &f, NULL, &fail);
	}
	if (drc != DOM_OK)
		return page_status(resp, d, drc);
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/payment#entry-%lld", c->id, id));
	return 0;
}

static int
page_reverse_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	long long id;
	int rc;

	if ((rc = load_entry(req, &c, &id)) != 0)
		return rc;
	return entry_done(req, resp, d, &c, id, payment_reverse(d, c.id, id,
	    params_get(&req->form, "reason")));
}

static int
page_decide_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	const char *decision = params_get(&req->form, "decision");
	struct case_ref c;
	long long id;
	int rc;

	if ((rc = load_entry(req, &c, &id)) != 0)
		return rc;
	if (decision == NULL || (strcmp(decision, "confirm") != 0 &&
	    strcmp(decision, "decline") != 0)) {
		resp->error_message = "请选择“确认”或“拒绝”。";
		return 400;
	}
	return entry_done(req, resp, d, &c, id, payment_decide(d, c.id, id,
	    strcmp(decision, "confirm") == 0, params_get(&req->form,
	    "decision_note")));
}

static int
page_invoice_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	long long id;
	int rc;

	if ((rc = load_entry(req, &c, &id)) != 0)
		return rc;
	return entry_done(req, resp, d, &c, id, payment_invoice(d, c.id, id,
	    params_get(&req->form, "invoice_no")));
}

const struct route routes_project[] = {
	{ METHOD_GET, "/cases/{n}/agreement", page_agreement, ROLES_USERS, 0 },
	{ METHOD_GET, "/cases/{n}/agreement/pdf", page_agreement_pdf,
	    ROLES_USERS, 0 },
	{ METHOD_POST, "/cases/{n}/agreement", page_agreement_send, ROLE_LEAD,
	    1 },
	{ METHOD_POST, "/cases/{n}/agreement/accept", page_agreement_accept,
	    ROLE_APPLICANT, 1 },
	{ METHOD_GET, "/cases/{n}/payment", page_payment, ROLES_STAFF |
	    ROLE_APPLICANT, 0 },
	{ METHOD_POST, "/cases/{n}/payment", page_payment_post, ROLE_LEAD |
	    ROLE_CERT_STAFF, 1 },
	{ METHOD_POST, "/cases/{n}/payment/refund", page_refund_post,
	    ROLE_CERT_STAFF, 1 },
	{ METHOD_POST, "/cases/{n}/payment/{n}/reverse", page_reverse_post,
	    ROLE_LEAD | ROLE_CERT_STAFF, 1 },
	{ METHOD_POST, "/cases/{n}/payment/{n}/decide", page_decide_post,
	    ROLE_CERT_STAFF, 1 },
	{ METHOD_POST, "/cases/{n}/payment/{n}/invoice", page_invoice_post,
	    ROLE_CERT_STAFF, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
