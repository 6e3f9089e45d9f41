/*
 * agreement.c: the 委托协议 (agreement.h).
 */
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "eligibility.h"
#include "form_def.h"
#include "formdata.h"
#include "money.h"
#include "store.h"
#include "tmpl.h"
#include "util.h"
#include "workflow_step.h"

enum dom_rc
agreement_fee(struct dom *d, const struct case_ref *c,
    struct agreement_fee *out)
{
	int row;
	const struct rules *r = rules_default();
	struct fdef_apptype at;
	struct formdata fd;
	struct rules_window w;
	sqlite3_stmt *st;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
	long long rid = 0;
	zdate filed;

	memset(out, 0, sizeof(*out));
	st = store_stmt(d->store, "SELECT id FROM round WHERE case_id = ?1 "
	    "ORDER BY n DESC LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "agreement fee");
	store_bind_int(st, 1, c->id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "agreement fee");
	if (row == 1)
		rid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* The fee is judged as of the first submission (eligibility.h). */
	filed = elig_round_day(d, c->id, 1);
	formdata_init(&fd, d->arena);
	if (rid == 0 || formdata_load_round(&fd, d->store, rid) != 0 ||
	    filed == DATE_NONE)
		return dom_fail(d, "agreement fee: no round or submission day");
	/* A maintenance application's fee counts from the certificate's
	 * expiry in the register, never from a date typed in the form. */
	fdef_apptype(d->arena, r, &fd.src, filed, &at);
	if (at.known && at.declared == RULES_APP_MAINTENANCE) {
		if (!at.has_window)
			return dom_refuse(d, DOM_CONFLICT, NULL, "维持申请所维持的"
			    "证书 %s 不在申请单位名下的证书登记簿中，无法按登记簿上的"
			    "有效期计算费用。请制证工作人员先导入该证书（zizhi import "
			    "certificates）并关联到申请单位，再发送委托协议。",
			    at.cert_no != NULL ? at.cert_no : "（未选择）");
		rules_fee_maintenance(r, at.expires, at.filed, &out->fee);
		w = at.window;
		out->basis = arena_printf(d->arena, "维持申请：证书 %s 有效期至 "
		    "%s（证书登记簿），申请于 %s 提交（%s；按期提交的最后一天为 "
		    "%s）。%s", at.cert_no, date_format(at.expires, d1),
		    date_format(at.filed, d3), rules_maint_class_zh(w.class),
		    date_format(w.on_time_until, d2), out->fee.treated_as ==
		    RULES_APP_INITIAL ? "提交时已超过证书有效期届满 6 个月，视作"
		    "初次申请，按初次申请收费（§4）。" : "按维持申请收费（§9.2）。");
	} else {
		rules_fee_initial(r, &out->fee);
		out->basis = "初次申请，按初次申请收费（§9.1）。";
	}
	return DOM_OK;
}

/* A column, or the configuration's value when the agreement has none. */
static const char *
or_config(struct dom *d, sqlite3_stmt *st, int col, const char *config)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return config;
	return arena_strdup(d->arena, store_col_text(st, col));
}

enum dom_rc
agreement_load(struct dom *d, const struct case_ref *c, struct agreement *a)
{
	int row;
	sqlite3_stmt *st;
	char local[DATE_BUFSZ];

	memset(a, 0, sizeof(*a));
	if ((c->parts & PART_PAYMENTS) == 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT fee_audit, fee_annual, fee_total, "
	    "treated_as, basis, sent_at, coalesce(accepted_at, ''), "
	    "payee_name, payee_bank, payee_account, payee_note FROM "
	    "agreement WHERE case_id = ?1");
	if (st == NULL)
		return dom_fail(d, "agreement");
	store_bind_int(st, 1, c->id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "agreement");
	if (row == 1) {
		a->exists = 1;
		a->fee_audit = sqlite3_column_int64(st, 0);
		a->fee_annual = sqlite3_column_int64(st, 1);
		a->fee_total = sqlite3_column_int64(st, 2);
		a->treated_as = arena_strdup(d->arena, store_col_text(st, 3));
		a->basis = arena_strdup(d->arena, store_col_text(st, 4));
		a->sent_at = arena_strdup(d->arena, store_col_text(st, 5));
		a->accepted_at = arena_strdup(d->arena, store_col_text(st, 6));
		a->payee.name = or_config(d, st, 7, d->payee->name);
		a->payee.bank = or_config(d, st, 8, d->payee->bank);
		a->payee.account = or_config(d, st, 9, d->payee->account);
		a->payee.note = or_config(d, st, 10, d->payee->note);
		/* "2027-01-15 10:00" in Beijing: its first ten bytes. */
		if (date_stamp_local(a->accepted_at, local) != NULL)
			snprintf(a->effective_day, sizeof(a->effective_day),
			    "%.10s", local);
	}
	sqlite3_reset(st);
	return DOM_OK;
}

/* The terms of an agreement for its templates (agreement_terms.txt):
 * the fee by line, in figures and in capitals, its basis, the payee. */
static void
put_terms(struct dom *d, struct tv *v, long long audit, long long annual,
    long long total, const char *basis, const struct dom_payee *p)
{
	const char *capital = money_capital(d->arena, total);

	tv_put_str(v, "audit", money_yuan(d->arena, audit));
	tv_put_str(v, "annual", money_yuan(d->arena, annual));
	tv_put_str(v, "total", money_yuan(d->arena, total));
	tv_put_str(v, "total_capital", capital != NULL ? capital : "");
	tv_put_str(v, "basis", basis);
	tv_put_str(v, "payee_name", p->name);
	tv_put_str(v, "payee_bank", p->bank);
	tv_put_str(v, "payee_account", p->account);
	tv_put_str(v, "payee_note", p->note);
}

enum dom_rc
agreement_document(struct dom *d, const struct case_ref *c,
    struct agreement_doc *out)
{
	int row;
	struct agreement a;
	struct buf body;
	struct tv *v;
	sqlite3_stmt *st;
	char err[256], sent[DATE_BUFSZ] = "";
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = agreement_load(d, c, &a)) != DOM_OK)
		return rc;
	if (!a.exists)
		return dom_refuse(d, DOM_CONFLICT, NULL, "委托协议尚未发送。项目"
		    "负责人在受理后起草并发送委托协议。");
	out->title = "委托协议";
	out->number = c->case_no;
	st = store_stmt(d->store, "SELECT no FROM notice WHERE case_id = ?1 "
	    "AND kind = 'agreement' ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "agreement document");
	store_bind_int(st, 1, c->id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "agreement document");
	if (row == 1)
		out->number = arena_strdup(d->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	if (date_stamp_local(a.sent_at, sent) != NULL)
		sent[10] = '\0';
	out->date = arena_strdup(d->arena, sent);
	v = tv_map(d->arena);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "case_no", c->case_no);
	put_terms(d, v, a.fee_audit, a.fee_annual, a.fee_total, a.basis,
	    &a.payee);
	tv_put_str(v, "sent_day", sent);
	tv_put_str(v, "effective_day", a.effective_day);
	buf_init(&body);
	if (tmpl_render_text(d->tmpl, "agreement_doc", v, &body, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: agreement document: %s\n", err);
		buf_free(&body);
		return dom_refuse(d, DOM_FAILED, NULL, "无法生成委托协议文本。");
	}
	out->body = arena_strdup(d->arena, body.p);
	buf_free(&body);
	return DOM_OK;
}

enum dom_rc
agreement_send(struct dom *d, long long case_id)
{
	struct agreement_fee af;
	struct case_ref c;
	struct tv *nv;
	sqlite3_stmt *st;
	const char *total;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_SEND_AGREEMENT, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if ((rc = agreement_fee(d, &c, &af)) != DOM_OK)
		return dom_end(d, rc);
	total = money_yuan(d->arena, af.fee.total);
	if ((rc = workflow_step(d, c.id, ST_AGREEMENT_SENT, arena_printf(
	    d->arena, "委托协议已发送，费用 %s 元", total))) != DOM_OK)
		return dom_end(d, rc);
	st = store_stmt(d->store, "INSERT INTO agreement(case_id, treated_as, "
	    "basis, fee_audit, fee_annual, fee_total, drafted_by, sent_at, "
	    "payee_name, payee_bank, payee_account, payee_note) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (st == NULL)
		return dom_fail(d, "agreement send");
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, rules_apptype_code(af.fee.treated_as));
	store_bind_text(st, 3, af.basis);
	store_bind_int(st, 4, af.fee.audit);
	store_bind_int(st, 5, af.fee.annual);
	store_bind_int(st, 6, af.fee.total);
	store_bind_int(st, 7, d->actor->id);
	store_bind_text(st, 8, d->stamp);
	store_bind_text(st, 9, d->payee->name);
	store_bind_text(st, 10, d->payee->bank);
	store_bind_text(st, 11, d->payee->account);
	store_bind_text(st, 12, d->payee->note);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "agreement send");
	nv = step_notice_view(d, &c);
	put_terms(d, nv, af.fee.audit, af.fee.annual, af.fee.total, af.basis,
	    d->payee);
	tv_put_str(nv, "lead_name", d->actor->name);
	return step_end_notice(d, &c, "agreement", "委托协议", nv);
}

enum dom_rc
agreement_accept(struct dom *d, long long case_id, int confirmed)
{
	struct agreement a;
	struct case_ref c;
	struct tv *nv;
	sqlite3_stmt *st;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_ACCEPT_AGREEMENT, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (!confirmed)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "confirm",
		    "请勾选“我单位同意委托协议的全部条款”后再确认。"));
	if ((rc = agreement_load(d, &c, &a)) != DOM_OK)
		return dom_end(d, rc);
	if (!a.exists || *a.accepted_at != '\0')
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    "没有待确认的委托协议。请刷新页面查看最新状态。"));
	if ((rc = workflow_step(d, c.id, ST_AWAITING_PAYMENT,
	    "申请单位确认委托协议，协议生效")) != DOM_OK)
		return dom_end(d, rc);
	st = store_stmt(d->store, "UPDATE agreement SET accepted_by = ?2, "
	    "accepted_at = ?3 WHERE case_id = ?1 AND accepted_at IS NULL");
	if (st == NULL)
		return dom_fail(d, "agreement accept");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_text(st, 3, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(d->store)) != 1)
		return dom_fail(d, "agreement accept");
	nv = step_notice_view(d, &c);
	put_terms(d, nv, a.fee_audit, a.fee_annual, a.fee_total, a.basis,
	    &a.payee);
	return step_end_notice(d, &c, "payment", "缴费通知", nv);
}
