/*
 * payment.c: the payment ledger (payment.h). The sums come from the
 * ledger view of schema.sql (version 3), the one definition of what an
 * entry in effect does to the sum paid; workflow.c's guard reads the
 * same view.
 */
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "money.h"
#include "payment.h"
#include "rows.h"
#include "store.h"
#include "util.h"
#include "valid.h"
#include "workflow_step.h"

#define TEXT_MAX	200	/* characters: payer, reference */
#define REASON_MAX	500	/* characters: a reason, a note */
#define INVOICE_MAX	40	/* characters */

static const char *const kind_code[] = { "payment", "reversal", "refund" };
static const char *const kind_words[] = { "缴费", "冲正", "退款" };

static enum payment_kind
kind_of(const char *code)
{
	if (strcmp(code, kind_code[PAYMENT_REVERSAL]) == 0)
		return PAYMENT_REVERSAL;
	if (strcmp(code, kind_code[PAYMENT_REFUND]) == 0)
		return PAYMENT_REFUND;
	return PAYMENT_IN;
}

static const char *
line_words(const char *line)
{
	if (strcmp(line, "audit") == 0)
		return "审核费";
	if (strcmp(line, "annual") == 0)
		return "年金";
	return "";
}

static long long
at_least_0(long long v)
{
	return v > 0 ? v : 0;
}

/* What the entries add up to: in effect, and by line. */
struct sums {
	long long	 paid;
	long long	 audit;		/* entries for 审核费 */
	long long	 annual;	/* entries for 年金 */
	long long	 pending_refunds;
	size_t		 pending;
};

/* The sums over the entries of case_id. */
static enum dom_rc
load_sums(struct dom *d, long long case_id, struct sums *s)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT "
	    "coalesce(sum(CASE WHEN effective = 1 THEN signed END), 0), "
	    "coalesce(sum(CASE WHEN effective = 1 AND line = 'audit' THEN "
	    "signed END), 0), "
	    "coalesce(sum(CASE WHEN effective = 1 AND line = 'annual' THEN "
	    "signed END), 0), "
	    "coalesce(sum(CASE WHEN kind = 'refund' AND verdict IS NULL THEN "
	    "amount END), 0), "
	    "count(CASE WHEN kind <> 'payment' AND verdict IS NULL THEN 1 "
	    "END) FROM ledger WHERE case_id = ?1");
	int rc;

	memset(s, 0, sizeof(*s));
	if (st == NULL)
		return dom_fail(d, "ledger sums");
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->paid = sqlite3_column_int64(st, 0);
		s->audit = sqlite3_column_int64(st, 1);
		s->annual = sqlite3_column_int64(st, 2);
		s->pending_refunds = sqlite3_column_int64(st, 3);
		s->pending = (size_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? DOM_OK : dom_fail(d, "ledger sums");
}

/*
 * The figures of a ledger from its sums, for a case in status st: owed
 * and credit; the sum by line (entries for a line count for it, the
 * rest goes to 审核费 first, as far as it is due, then to 年金); and
 * what may be refunded: everything paid once the case ended without a
 * certificate (withdrawn, refused, failed), else the credit; less the
 * refunds still waiting.
 */
static void
figures(struct payment_ledger *l, const struct sums *s, enum status st)
{
	long long rest, room, x, base;
	int ended = st == ST_WITHDRAWN || st == ST_REJECTED ||
	    st == ST_FAILED;

	l->paid = s->paid;
	l->owed = at_least_0(l->due - s->paid);
	l->credit = at_least_0(s->paid - l->due);
	l->pending = s->pending;
	rest = s->paid - s->audit - s->annual;
	if (rest >= 0) {
		room = at_least_0(l->due_audit - s->audit);
		x = rest < room ? rest : room;
		l->paid_audit = s->audit + x;
		l->paid_annual = s->annual + rest - x;
	} else {
		l->paid_annual = s->annual + rest;
		l->paid_audit = s->audit;
		if (l->paid_annual < 0) {
			l->paid_audit += l->paid_annual;
			l->paid_annual = 0;
		}
	}
	base = ended ? s->paid : l->credit;
	l->refundable = at_least_0(base - s->pending_refunds);
}

/* The entries of case_id in the order recorded. */
static enum dom_rc
load_entries(struct dom *d, long long case_id, struct payment_ledger *l)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT l.id, l.kind, "
	    "l.line, l.amount, l.signed, l.paid_on, l.payer, l.reference, "
	    "l.note, coalesce(l.reverses, 0), l.effective, "
	    "coalesce(l.verdict, ''), l.recorded_by, a.name, l.recorded_at, "
	    "coalesce(b.name, ''), coalesce(l.decided_at, ''), "
	    "coalesce(l.decision_note, ''), coalesce(l.invoice_no, ''), "
	    "coalesce(i.name, ''), coalesce(l.invoice_at, ''), "
	    "coalesce((SELECT max(r.id) FROM ledger r WHERE r.reverses = l.id "
	    "AND coalesce(r.verdict, '') <> 'declined'), 0) "
	    "FROM ledger l JOIN account a ON a.id = l.recorded_by "
	    "LEFT JOIN account b ON b.id = l.decided_by "
	    "LEFT JOIN account i ON i.id = l.invoice_by "
	    "WHERE l.case_id = ?1 ORDER BY l.id");
	struct payment *p;
	const char *verdict;
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "ledger");
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		l->entries = rows_grow(d->arena, l->entries, l->n, &cap,
		    sizeof(*p));
		p = &l->entries[l->n++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->kind = kind_of(store_col_text(st, 1));
		p->kind_zh = kind_words[p->kind];
		p->line = arena_strdup(d->arena, store_col_text(st, 2));
		p->line_zh = line_words(p->line);
		p->amount = sqlite3_column_int64(st, 3);
		p->signed_amount = sqlite3_column_int64(st, 4);
		p->paid_on = arena_strdup(d->arena, store_col_text(st, 5));
		p->payer = arena_strdup(d->arena, store_col_text(st, 6));
		p->reference = arena_strdup(d->arena, store_col_text(st, 7));
		p->note = arena_strdup(d->arena, store_col_text(st, 8));
		p->reverses = sqlite3_column_int64(st, 9);
		p->effective = sqlite3_column_int(st, 10);
		verdict = store_col_text(st, 11);
		p->pending = p->kind != PAYMENT_IN && *verdict == '\0';
		p->declined = strcmp(verdict, "declined") == 0;
		p->by_id = sqlite3_column_int64(st, 12);
		p->by = arena_strdup(d->arena, store_col_text(st, 13));
		p->at = arena_strdup(d->arena, store_col_text(st, 14));
		p->decided_by = arena_strdup(d->arena, store_col_text(st, 15));
		p->decided_at = arena_strdup(d->arena, store_col_text(st, 16));
		p->decision_note = arena_strdup(d->arena,
		    store_col_text(st, 17));
		p->invoice_no = arena_strdup(d->arena, store_col_text(st, 18));
		p->invoice_by = arena_strdup(d->arena, store_col_text(st, 19));
		p->invoice_at = arena_strdup(d->arena, store_col_text(st, 20));
		p->reversed_by = sqlite3_column_int64(st, 21);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "ledger");
}

enum dom_rc
payment_ledger(struct dom *d, const struct case_ref *c,
    struct payment_ledger *out)
{
	struct agreement a;
	struct sums s;
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	out->effective_day = "";
	out->basis = "";
	if ((rc = agreement_load(d, c, &a)) != DOM_OK)
		return rc;
	out->payee = *d->payee;
	if (a.exists) {
		out->has_agreement = 1;
		out->effective = *a.accepted_at != '\0';
		out->effective_day = arena_strdup(d->arena, a.effective_day);
		out->due_audit = a.fee_audit;
		out->due_annual = a.fee_annual;
		out->due = a.fee_total;
		out->basis = a.basis;
		out->payee = a.payee;
	}
	if ((rc = load_sums(d, c->id, &s)) != DOM_OK)
		return rc;
	figures(out, &s, c->st);
	return load_entries(d, c->id, out);
}

/* One wrong field. */
static size_t
wrong(struct payment_error *errs, size_t n, const char *field,
    const char *msg)
{
	errs[n].field = field;
	errs[n].msg = msg;
	return n + 1;
}

/*
 * The fields of a payment (refund 0) or a refund (1), for an agreement
 * that took effect on effective_day (YYYY-MM-DD): the wrong ones into
 * errs; their count.
 */
static size_t
check_input(struct dom *d, const struct payment_input *in,
    const char *effective_day, int refund, struct payment_error *errs)
{
	const char *day = refund ? "退款日期" : "到账日期";
	const char *line = in->line != NULL ? in->line : "";
	const char *note = in->note != NULL ? in->note : "";
	size_t n = 0;
	zdate paid, from;

	if (in->amount <= 0)
		n = wrong(errs, n, "amount", refund ? "请填写退款金额（元），"
		    "例如 9,000.00。" : "请填写到账金额（元），例如 78,000.00。"
		    "分次缴纳的，每笔款项分别登记。");
	if (in->paid_on == NULL || date_parse(in->paid_on, &paid) != 0)
		n = wrong(errs, n, "paid_on", arena_printf(d->arena, "请填写"
		    "%s（年-月-日），例如 %s。", day, d->today_s));
	else if (paid > d->today)
		n = wrong(errs, n, "paid_on", arena_printf(d->arena, "%s %s "
		    "晚于今天（%s）：请填写银行回单上款项实际%s的日期。", day,
		    in->paid_on, d->today_s, refund ? "付出" : "到账"));
	else if (date_parse(effective_day, &from) == 0 && paid < from)
		n = wrong(errs, n, "paid_on", arena_printf(d->arena, "%s %s "
		    "早于委托协议生效之日（%s）：协议生效前不会有本案的款项，请核对"
		    "银行回单上的日期。", day, in->paid_on, effective_day));
	if (in->payer == NULL || !valid_text(in->payer, 1, TEXT_MAX, 0))
		n = wrong(errs, n, "payer", refund ? "请填写退款的收款单位（不超过 "
		    "200 字）。" : "请填写付款单位，与银行回单一致（不超过 200 字）。");
	if (in->reference == NULL || !valid_text(in->reference, 1, TEXT_MAX,
	    0))
		n = wrong(errs, n, "reference", "请填写银行流水号或凭证号（不超过 "
		    "200 字）。");
	if (!refund && *line_words(line) == '\0' && *line != '\0')
		n = wrong(errs, n, "line", "请选择款项：审核费用、三年年金，或不区分。");
	if (refund ? !valid_text(note, 1, REASON_MAX, VALID_MULTILINE) :
	    !valid_text(note, 0, REASON_MAX, VALID_MULTILINE))
		n = wrong(errs, n, "note", refund ? "请写明退款原因，例如“撤回申请”"
		    "或“多缴”（不超过 500 字）。" : "备注请控制在 500 字以内。");
	return n;
}

/* Ends a step refused for its fields. */
static enum dom_rc
refuse_fields(struct dom *d, struct payment_error *errs, size_t n,
    size_t *nerrs)
{
	if (nerrs != NULL)
		*nerrs = n;
	return dom_end(d, dom_refuse(d, DOM_INVALID, errs[0].field, "%s",
	    errs[0].msg));
}

/* The agreement of c, which must be in effect for the ledger to move. */
static enum dom_rc
effective_agreement(struct dom *d, const struct case_ref *c,
    struct agreement *a)
{
	enum dom_rc rc;

	if ((rc = agreement_load(d, c, a)) != DOM_OK)
		return rc;
	if (!a->exists || *a->accepted_at == '\0')
		return dom_refuse(d, DOM_CONFLICT, NULL, "委托协议尚未生效，"
		    "不能登记款项。申请单位确认委托协议后，协议生效。");
	return DOM_OK;
}

/* Adds an entry; its id, or 0 after dom_fail. */
static long long
insert(struct dom *d, long long case_id, enum payment_kind kind,
    long long amount, const char *paid_on, const char *payer,
    const char *reference, const char *line, const char *note,
    long long reverses)
{
	sqlite3_stmt *st = store_stmt(d->store, "INSERT INTO payment("
	    "case_id, kind, amount, paid_on, payer, reference, line, note, "
	    "reverses, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10, ?11)");

	if (st == NULL) {
		dom_fail(d, "ledger entry");
		return 0;
	}
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind_code[kind]);
	store_bind_int(st, 3, amount);
	store_bind_text(st, 4, paid_on);
	store_bind_text(st, 5, payer);
	store_bind_text(st, 6, reference);
	store_bind_text(st, 7, line);
	store_bind_text(st, 8, note);
	if (reverses > 0)
		store_bind_int(st, 9, reverses);
	store_bind_int(st, 10, d->actor->id);
	store_bind_text(st, 11, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE) {
		dom_fail(d, "ledger entry");
		return 0;
	}
	return sqlite3_last_insert_rowid(store_db(d->store));
}

/*
 * After an entry took effect: a case waiting for payment goes on to
 * assessment once the sum covers the fee (the workflow's guard_paid
 * checks the same). *opened says whether it did.
 */
static enum dom_rc
maybe_open(struct dom *d, const struct case_ref *c, const struct agreement *a,
    const char *what, int *opened)
{
	struct sums s;
	enum dom_rc rc;

	*opened = 0;
	if ((rc = load_sums(d, c->id, &s)) != DOM_OK)
		return rc;
	if (c->st != ST_AWAITING_PAYMENT || s.paid < a->fee_total)
		return DOM_OK;
	rc = workflow_step(d, c->id, ST_ASSESSMENT_PLANNING, arena_printf(
	    d->arena, "%s，已缴合计 %s 元，应缴 %s 元，缴费足额，进入评估", what,
	    money_yuan(d->arena, s.paid), money_yuan(d->arena, a->fee_total)));
	*opened = rc == DOM_OK;
	return rc;
}

/* A payment entry of case_id, not reversed, with this reference: its
 * id, 0 if there is none, -1 if the read failed. */
static long long
same_reference(struct dom *d, long long case_id, const char *reference)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT l.id FROM ledger l "
	    "WHERE l.case_id = ?1 AND l.kind = 'payment' AND l.reference = ?2 "
	    "AND NOT EXISTS (SELECT 1 FROM ledger r WHERE r.reverses = l.id "
	    "AND r.effective = 1) LIMIT 1");
	long long id = 0;
	int row;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, reference);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

enum dom_rc
payment_record(struct dom *d, long long case_id,
    const struct payment_input *in, struct payment_error *errs, size_t *nerrs,
    struct payment_outcome *out)
{
	struct payment_ledger l;
	struct agreement a;
	struct case_ref c;
	struct sums s;
	enum dom_rc rc;
	long long dup;
	size_t n;
	int opened = 0;

	if (nerrs != NULL)
		*nerrs = 0;
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_RECORD_PAYMENT, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if ((rc = effective_agreement(d, &c, &a)) != DOM_OK)
		return dom_end(d, rc);
	if ((n = check_input(d, in, a.effective_day, 0, errs)) > 0)
		return refuse_fields(d, errs, n, nerrs);
	/* The same transfer recorded twice (two people at once, or a
	 * second look at the same bank slip) is refused. */
	if ((dup = same_reference(d, c.id, in->reference)) < 0)
		return dom_fail(d, "payment_record");
	if (dup > 0) {
		n = wrong(errs, 0, "reference", arena_printf(d->arena, "银行流水号"
		    " %s 已经登记过（第 %lld 笔）。同一笔款项不能登记两次；另一笔"
		    "款项请填写它自己的流水号。", in->reference, dup));
		return refuse_fields(d, errs, n, nerrs);
	}
	if (insert(d, c.id, PAYMENT_IN, in->amount, in->paid_on, in->payer,
	    in->reference, in->line != NULL ? in->line : "", in->note != NULL ?
	    in->note : "", 0) == 0)
		return DOM_FAILED;
	if ((rc = maybe_open(d, &c, &a, arena_printf(d->arena, "登记缴费 %s "
	    "元（%s）", money_yuan(d->arena, in->amount), in->reference),
	    &opened)) != DOM_OK)
		return dom_end(d, rc);
	if (out != NULL) {
		if ((rc = load_sums(d, c.id, &s)) != DOM_OK)
			return rc;
		memset(&l, 0, sizeof(l));
		l.due = a.fee_total;
		l.due_audit = a.fee_audit;
		l.due_annual = a.fee_annual;
		figures(&l, &s, c.st);
		out->opened = opened;
		out->paid = l.paid;
		out->owed = l.owed;
		out->credit = l.credit;
	}
	return dom_end(d, DOM_OK);
}

/* One entry of case_id as the steps on it need it. */
struct entry {
	enum payment_kind	 kind;
	long long		 amount;
	long long		 by_id;
	int			 effective;
	int			 decided;
	long long		 reversal;	/* one not declined, or 0 */
	const char		*paid_on, *payer, *reference, *line;
	const char		*invoice_no;
};

static enum dom_rc
load_entry(struct dom *d, long long case_id, long long id, struct entry *e)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT l.kind, l.amount, "
	    "l.recorded_by, l.effective, l.verdict IS NOT NULL, "
	    "coalesce((SELECT max(r.id) FROM ledger r WHERE r.reverses = l.id "
	    "AND coalesce(r.verdict, '') <> 'declined'), 0), l.paid_on, "
	    "l.payer, l.reference, l.line, coalesce(l.invoice_no, '') "
	    "FROM ledger l WHERE l.id = ?1 AND l.case_id = ?2");
	int rc;

	memset(e, 0, sizeof(*e));
	if (st == NULL)
		return dom_fail(d, "ledger entry");
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e->kind = kind_of(store_col_text(st, 0));
		e->amount = sqlite3_column_int64(st, 1);
		e->by_id = sqlite3_column_int64(st, 2);
		e->effective = sqlite3_column_int(st, 3);
		e->decided = sqlite3_column_int(st, 4);
		e->reversal = sqlite3_column_int64(st, 5);
		e->paid_on = arena_strdup(d->arena, store_col_text(st, 6));
		e->payer = arena_strdup(d->arena, store_col_text(st, 7));
		e->reference = arena_strdup(d->arena, store_col_text(st, 8));
		e->line = arena_strdup(d->arena, store_col_text(st, 9));
		e->invoice_no = arena_strdup(d->arena, store_col_text(st, 10));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DOM_OK;
	if (rc != SQLITE_DONE)
		return dom_fail(d, "ledger entry");
	return dom_refuse(d, DOM_NOT_FOUND, NULL, "本案没有第 %lld 笔记录。请"
	    "刷新缴费记录页面。", id);
}

enum dom_rc
payment_reverse(struct dom *d, long long case_id, long long entry_id,
    const char *reason)
{
	struct case_ref c;
	struct entry e;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_REVERSE_PAYMENT, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (reason == NULL || !valid_text(reason, 1, REASON_MAX,
	    VALID_MULTILINE))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "reason",
		    "请写明冲正原因（不超过 500 字），例如“金额录入错误，应为 "
		    "78,000.00 元”。"));
	if ((rc = load_entry(d, c.id, entry_id, &e)) != DOM_OK)
		return dom_end(d, rc);
	if (e.kind == PAYMENT_REVERSAL)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "冲正记录不能"
		    "再冲正。如冲正有误，请重新登记原来的款项。"));
	if (!e.effective)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "这笔退款尚未"
		    "生效，不需要冲正：请另一位制证工作人员在复核时拒绝它。"));
	if (e.reversal > 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "第 %lld 笔"
		    "已经申请冲正（第 %lld 笔），不能重复冲正。", entry_id,
		    e.reversal));
	if (insert(d, c.id, PAYMENT_REVERSAL, e.amount, d->today_s, e.payer,
	    e.reference, e.line, reason, entry_id) == 0)
		return DOM_FAILED;
	return dom_end(d, DOM_OK);
}

enum dom_rc
payment_refund(struct dom *d, long long case_id,
    const struct payment_input *in, struct payment_error *errs, size_t *nerrs)
{
	struct payment_ledger l;
	struct agreement a;
	struct case_ref c;
	struct sums s;
	enum dom_rc rc;
	size_t n;

	if (nerrs != NULL)
		*nerrs = 0;
	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_REFUND, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if ((rc = effective_agreement(d, &c, &a)) != DOM_OK)
		return dom_end(d, rc);
	if ((n = check_input(d, in, a.effective_day, 1, errs)) > 0)
		return refuse_fields(d, errs, n, nerrs);
	if ((rc = load_sums(d, c.id, &s)) != DOM_OK)
		return rc;
	memset(&l, 0, sizeof(l));
	l.due = a.fee_total;
	l.due_audit = a.fee_audit;
	figures(&l, &s, c.st);
	if (in->amount > l.refundable) {
		n = wrong(errs, 0, "amount", l.refundable == 0 ? "本案目前没有"
		    "可退的款项：可以退还的是多缴的部分，或撤回、不予受理、评审未通过"
		    "的案件已缴的款项（已申请、待复核的退款已经扣除）。" :
		    arena_printf(d->arena, "退款金额不能超过可退金额 %s 元（已申请"
		    "、待复核的退款已经扣除）。", money_yuan(d->arena,
		    l.refundable)));
		return refuse_fields(d, errs, n, nerrs);
	}
	if (insert(d, c.id, PAYMENT_REFUND, in->amount, in->paid_on, in->payer,
	    in->reference, "", in->note, 0) == 0)
		return DOM_FAILED;
	return dom_end(d, DOM_OK);
}

enum dom_rc
payment_decide(struct dom *d, long long case_id, long long entry_id,
    int confirm, const char *note)
{
	struct payment_ledger l;
	struct agreement a;
	struct case_ref c;
	struct entry e;
	struct sums s;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int opened;

	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_CONFIRM_LEDGER, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (note == NULL)
		note = "";
	if (!valid_text(note, 0, REASON_MAX, VALID_MULTILINE))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "decision_note",
		    "复核意见请控制在 500 字以内。"));
	if ((rc = effective_agreement(d, &c, &a)) != DOM_OK)
		return dom_end(d, rc);
	if ((rc = load_entry(d, c.id, entry_id, &e)) != DOM_OK)
		return dom_end(d, rc);
	if (e.kind == PAYMENT_IN)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "缴费记录登记"
		    "后即生效，不需要复核；登记有误的，请申请冲正。"));
	if (e.decided)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "第 %lld 笔"
		    "已经复核过了。请刷新缴费记录页面。", entry_id));
	if (e.by_id == d->actor->id)
		return dom_end(d, dom_refuse(d, DOM_FORBIDDEN, NULL, "%s须由另一"
		    "位制证工作人员复核：登记人不能确认自己登记的%s。",
		    kind_words[e.kind], kind_words[e.kind]));
	if (confirm && e.kind == PAYMENT_REFUND) {
		/* This refund is among the pending ones figures() takes off
		 * what may be refunded: it fits if it fits with itself. */
		if ((rc = load_sums(d, c.id, &s)) != DOM_OK)
			return rc;
		memset(&l, 0, sizeof(l));
		l.due = a.fee_total;
		l.due_audit = a.fee_audit;
		s.pending_refunds -= e.amount;
		figures(&l, &s, c.st);
		if (e.amount > l.refundable)
			return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
			    "确认这笔退款后，退款将超过可退金额 %s 元。请拒绝它，并按"
			    "实际情况重新登记。", money_yuan(d->arena,
			    l.refundable)));
	}
	st = store_stmt(d->store, "INSERT INTO payment_decision(entry_id, "
	    "verdict, note, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st == NULL)
		return dom_fail(d, "ledger decision");
	store_bind_int(st, 1, entry_id);
	store_bind_text(st, 2, confirm ? "confirmed" : "declined");
	store_bind_text(st, 3, note);
	store_bind_int(st, 4, d->actor->id);
	store_bind_text(st, 5, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "ledger decision");
	if (confirm && (rc = maybe_open(d, &c, &a, arena_printf(d->arena,
	    "确认第 %lld 笔%s", entry_id, kind_words[e.kind]), &opened)) !=
	    DOM_OK)
		return dom_end(d, rc);
	return dom_end(d, DOM_OK);
}

/* An invoice number: 1..INVOICE_MAX ASCII letters, digits or '-'. */
static int
invoice_ok(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'A' &&
		    s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') || s[n] == '-'))
			return 0;
	return n >= 1 && n <= INVOICE_MAX;
}

enum dom_rc
payment_invoice(struct dom *d, long long case_id, long long entry_id,
    const char *invoice_no)
{
	struct case_ref c;
	struct entry e;
	sqlite3_stmt *st;
	enum dom_rc rc;

	rc = step_begin(d, case_id, PART_PAYMENTS, ACT_INVOICE, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (!invoice_ok(invoice_no))
		return dom_end(d, dom_refuse(d, DOM_INVALID, "invoice_no",
		    "请填写发票号码：1 到 40 位数字或字母（可含“-”），例如 "
		    "25112000000012345678。"));
	if ((rc = load_entry(d, c.id, entry_id, &e)) != DOM_OK)
		return dom_end(d, rc);
	if (e.kind != PAYMENT_IN)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "只有缴费记录"
		    "可以登记发票号。"));
	if (*e.invoice_no != '\0')
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "第 %lld 笔"
		    "缴费已登记发票号 %s。", entry_id, e.invoice_no));
	st = store_stmt(d->store, "INSERT INTO payment_invoice(entry_id, "
	    "invoice_no, by_id, at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return dom_fail(d, "invoice");
	store_bind_int(st, 1, entry_id);
	store_bind_text(st, 2, invoice_no);
	store_bind_int(st, 3, d->actor->id);
	store_bind_text(st, 4, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "invoice");
	return dom_end(d, DOM_OK);
}
