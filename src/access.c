/*
 * access.c: the access policy (access.h). Two tables: what each role in
 * each relation may read of a case, by status; what each may do.
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "store.h"
#include "util.h"

#define B(s)		ST_BIT(ST_##s)
#define SUBMITTED_ANY	(ST_ALL & ~B(DRAFT))
#define FINAL		(B(REJECTED) | B(FAILED) | B(ISSUED) | B(WITHDRAWN))
#define NOT_FINAL	(ST_ALL & ~FINAL)
/* From the agreement on (and withdrawn, which may follow a payment). */
#define PAYING		(B(AGREEMENT_SENT) | B(AWAITING_PAYMENT) | \
			 B(ASSESSMENT_PLANNING) | B(ASSESSING) | \
			 B(EXPERT_REVIEW) | B(FAILED) | B(CERTIFICATE_PENDING) | \
			 B(ISSUED) | B(WITHDRAWN))

/* The ledger is kept from the agreement's effect on: money may arrive,
 * be corrected or be refunded in any later status. */
#define LEDGER		(PAYING & ~B(AGREEMENT_SENT))

#define CASE_ALL	(PART_SUMMARY | PART_APPLICATION | PART_MATERIALS | \
			 PART_FINDINGS | PART_PAYMENTS | PART_ASSESSMENT | \
			 PART_EXPERT | PART_NOTICES | PART_TIMELINE | \
			 PART_APPEALS)

/* Who reads what: role, relation, statuses, parts. */
static const struct grant {
	unsigned	 roles;
	unsigned	 rels;
	status_set	 statuses;
	unsigned	 parts;
} grants[] = {
	/* The applicant: its own cases, drafts included; never the
	 * reviewers' findings, the assessment's workings or the panel. */
	{ ROLE_APPLICANT, REL_OWN_ORG, ST_ALL, PART_SUMMARY |
	    PART_APPLICATION | PART_MATERIALS | PART_PAYMENTS | PART_NOTICES |
	    PART_TIMELINE | PART_APPEALS },
	/* The assigned lead: the whole case. */
	{ ROLE_LEAD, REL_LEAD, SUBMITTED_ANY, CASE_ALL },
	/* Any lead: a submitted case nobody has taken, to take it. */
	{ ROLE_LEAD, REL_INTAKE_POOL, B(SUBMITTED), PART_SUMMARY |
	    PART_APPLICATION | PART_MATERIALS | PART_FINDINGS | PART_NOTICES |
	    PART_TIMELINE },
	/* The assessment team: what the assessment needs. */
	{ ROLE_ASSESSOR, REL_TEAM, SUBMITTED_ANY, PART_SUMMARY |
	    PART_APPLICATION | PART_MATERIALS | PART_FINDINGS |
	    PART_ASSESSMENT | PART_NOTICES | PART_TIMELINE },
	/* The panel, once no conflict is declared: the evidence and the
	 * team's conclusion (§5.4). */
	{ ROLE_EXPERT, REL_PANEL, SUBMITTED_ANY, PART_SUMMARY |
	    PART_APPLICATION | PART_MATERIALS | PART_ASSESSMENT |
	    PART_EXPERT },
	/* Before the declaration: the number and the organisation only. */
	{ ROLE_EXPERT, REL_PANEL_PENDING, B(EXPERT_REVIEW), PART_DECLARE },
	/* Certificate staff: from the agreement on, for the payments (and
	 * later a refund) and the certificate; never the application, the
	 * review or the assessment. */
	{ ROLE_CERT_STAFF, REL_CERT, PAYING, PART_SUMMARY | PART_PAYMENTS |
	    PART_NOTICES | PART_TIMELINE },
	/* A supervisor with an appeal, sanction or complaint: everything,
	 * to investigate. */
	{ ROLE_SUPERVISOR, REL_SUPERVISING, SUBMITTED_ANY, CASE_ALL },
	/* Any supervisor, any open case: who has it and what happened, to
	 * give it another lead when its lead cannot go on. */
	{ ROLE_SUPERVISOR, REL_OVERSIGHT, SUBMITTED_ANY & NOT_FINAL,
	    PART_SUMMARY | PART_TIMELINE },
	/* The administrator: closed cases, for their archive. */
	{ ROLE_ADMIN, REL_ADMIN, FINAL, PART_SUMMARY | PART_TIMELINE |
	    PART_ARCHIVE },
	{ 0, 0, 0, 0 }
};

/* Who does what: action, roles, relations, statuses, in words. */
const struct access_rule access_rules[] = {
	{ ACT_EDIT, ROLE_APPLICANT, REL_OWN_ORG, B(DRAFT) |
	    B(SUPPLEMENT_REQUESTED), "修改申请书和材料" },
	{ ACT_SUBMIT, ROLE_APPLICANT, REL_OWN_ORG, B(DRAFT) |
	    B(SUPPLEMENT_REQUESTED), "提交申请" },
	{ ACT_WITHDRAW, ROLE_APPLICANT, REL_OWN_ORG, NOT_FINAL, "撤回申请" },
	{ ACT_APPEAL, ROLE_APPLICANT, REL_OWN_ORG, B(REJECTED) | B(FAILED),
	    "提出申诉" },
	{ ACT_ACCEPT_AGREEMENT, ROLE_APPLICANT, REL_OWN_ORG, B(AGREEMENT_SENT),
	    "确认委托协议" },
	{ ACT_TAKE_REVIEW, ROLE_LEAD, REL_INTAKE_POOL | REL_LEAD,
	    B(SUBMITTED), "开始受理审查" },
	{ ACT_REVIEW, ROLE_LEAD, REL_LEAD, B(INTAKE_REVIEW) |
	    B(SUPPLEMENT_REQUESTED), "受理审查" },
	{ ACT_SEND_AGREEMENT, ROLE_LEAD, REL_LEAD, B(ACCEPTED),
	    "发送委托协议" },
	{ ACT_RECORD_PAYMENT, ROLE_LEAD | ROLE_CERT_STAFF, REL_LEAD | REL_CERT,
	    LEDGER, "登记缴费" },
	{ ACT_REVERSE_PAYMENT, ROLE_LEAD | ROLE_CERT_STAFF, REL_LEAD |
	    REL_CERT, LEDGER, "申请冲正" },
	{ ACT_REFUND, ROLE_CERT_STAFF, REL_CERT, LEDGER, "登记退款" },
	{ ACT_CONFIRM_LEDGER, ROLE_CERT_STAFF, REL_CERT, LEDGER,
	    "复核冲正或退款" },
	{ ACT_INVOICE, ROLE_CERT_STAFF, REL_CERT, LEDGER, "登记发票号" },
	{ ACT_PLAN, ROLE_LEAD, REL_LEAD, B(ASSESSMENT_PLANNING),
	    "制定审核计划" },
	{ ACT_ASSESS, ROLE_LEAD | ROLE_ASSESSOR, REL_LEAD | REL_TEAM,
	    B(ASSESSING), "记录评估活动和审核结论" },
	{ ACT_FORM_PANEL, ROLE_LEAD, REL_LEAD, B(EXPERT_REVIEW),
	    "组建专家组" },
	/* Before the first declaration, and after it (a conflict found
	 * later takes the expert off the panel too). */
	{ ACT_DECLARE, ROLE_EXPERT, REL_PANEL_PENDING | REL_PANEL,
	    B(EXPERT_REVIEW), "声明利益冲突情况" },
	{ ACT_EXPERT_CONCLUDE, ROLE_EXPERT, REL_PANEL, B(EXPERT_REVIEW),
	    "记录专家评审结论" },
	{ ACT_ISSUE, ROLE_CERT_STAFF, REL_CERT, B(CERTIFICATE_PENDING),
	    "制证、发证" },
	{ ACT_HANDLE_APPEAL, ROLE_SUPERVISOR, REL_SUPERVISING, B(REJECTED) |
	    B(FAILED), "办理申诉" },
	{ ACT_DISPOSE, ROLE_ADMIN, REL_ADMIN, FINAL, "处置档案" },
	{ ACT_REASSIGN, ROLE_SUPERVISOR, REL_OVERSIGHT | REL_SUPERVISING,
	    SUBMITTED_ANY & NOT_FINAL, "改派项目负责人" },
	/* 补充资料 during 评估 (§5.4: 确保可获得执行评估必须的所有信息和文件). */
	{ ACT_REQUEST_DOCS, ROLE_LEAD | ROLE_ASSESSOR, REL_LEAD | REL_TEAM,
	    B(ASSESSMENT_PLANNING) | B(ASSESSING), "要求申请单位补充资料" },
	{ ACT_ANSWER_DOCS, ROLE_APPLICANT, REL_OWN_ORG,
	    B(ASSESSMENT_PLANNING) | B(ASSESSING), "提交补充资料" },
	{ 0, 0, 0, 0, NULL }
};

unsigned
access_parts(unsigned role_bit, unsigned rels, enum status st)
{
	const struct grant *g;
	unsigned parts = 0;

	for (g = grants; g->roles != 0; g++)
		if ((g->roles & role_bit) && (g->rels & rels) &&
		    (g->statuses & ST_BIT(st)))
			parts |= g->parts;
	return parts;
}

static const struct access_rule *
rule(enum action act)
{
	const struct access_rule *r;

	for (r = access_rules; r->act != 0; r++)
		if (r->act == act)
			return r;
	return NULL;
}

int
access_may(const struct case_ref *c, unsigned role_bit, enum action act)
{
	const struct access_rule *r = rule(act);

	return r != NULL && (r->roles & role_bit) && (r->rels & c->rels) &&
	    (r->statuses & ST_BIT(c->st));
}

enum dom_rc
access_require(struct dom *d, const struct case_ref *c, enum action act)
{
	const struct access_rule *r = rule(act);

	if (access_may(c, d->actor->role_bit, act))
		return DOM_OK;
	if (r != NULL && (r->roles & d->actor->role_bit) && (r->rels & c->rels))
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件当前状态为“%s”，"
		    "不能%s。请刷新页面查看最新状态。", status_zh(c->st), r->zh);
	if (r != NULL && (r->rels & REL_LEAD) && (d->actor->role_bit &
	    ROLE_LEAD))
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有此案件的项目负责人"
		    "可以%s。", r->zh);
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "您不能%s。",
	    r != NULL ? r->zh : "执行此操作");
}

/* 1 when the statement st (case id ?1, account ?2) finds a row, 0 when
 * it finds none, -1 when the read failed. */
static int
found(sqlite3_stmt *st, long long case_id, long long who)
{
	int yes;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, who);
	yes = store_row(st);
	sqlite3_reset(st);
	return yes;
}

/*
 * The actor's relations to the case. Staff have none to a case that was
 * never submitted: a draft is its organisation's alone.
 */
static int
relations(struct dom *d, const struct case_ref *c, unsigned *rels)
{
	const struct actor *a = d->actor;
	int yes = 0;

	*rels = 0;
	if (a->id == 0)
		return 0;
	if (a->role_bit == ROLE_APPLICANT) {
		if (a->org_id != 0 && a->org_id == c->org_id)
			*rels = REL_OWN_ORG;
		return 0;
	}
	if (c->rounds == 0)
		return 0;
	switch (a->role_bit) {
	case ROLE_LEAD:
		if (c->lead_id == a->id)
			*rels |= REL_LEAD;
		if (c->lead_id == 0 && c->st == ST_SUBMITTED)
			*rels |= REL_INTAKE_POOL;
		break;
	case ROLE_ASSESSOR:
		if ((yes = found(store_stmt(d->store, "SELECT 1 FROM "
		    "team_member WHERE case_id = ?1 AND account_id = ?2"),
		    c->id, a->id)) == 1)
			*rels |= REL_TEAM;
		break;
	case ROLE_EXPERT:
		if ((yes = found(store_stmt(d->store, "SELECT 1 FROM "
		    "panel_member WHERE case_id = ?1 AND account_id = ?2 AND "
		    "declared_at IS NOT NULL"), c->id, a->id)) == 1)
			*rels |= REL_PANEL;
		else if (yes == 0 && (yes = found(store_stmt(d->store,
		    "SELECT 1 FROM panel_member WHERE case_id = ?1 AND "
		    "account_id = ?2 AND declared_at IS NULL"), c->id,
		    a->id)) == 1)
			*rels |= REL_PANEL_PENDING;
		break;
	case ROLE_CERT_STAFF:
		*rels |= REL_CERT;
		break;
	case ROLE_SUPERVISOR:
		*rels |= REL_OVERSIGHT;
		if ((yes = found(store_stmt(d->store, "SELECT 1 FROM appeal "
		    "WHERE case_id = ?1 UNION ALL SELECT 1 FROM certificate ce "
		    "JOIN sanction s ON s.certificate_id = ce.id WHERE "
		    "ce.case_id = ?1 UNION ALL SELECT 1 FROM complaint m JOIN "
		    "cases c ON c.org_id = m.org_id WHERE c.id = ?1"), c->id,
		    a->id)) == 1)
			*rels |= REL_SUPERVISING;
		break;
	case ROLE_ADMIN:
		*rels |= REL_ADMIN;
		break;
	}
	return yes < 0 ? -1 : 0;
}

enum dom_rc
access_case(struct dom *d, long long id, unsigned need, struct case_ref *out)
{
	sqlite3_stmt *st;
	int row;

	memset(out, 0, sizeof(*out));
	if (id <= 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT c.id, c.org_id, "
	    "coalesce(c.party_name, o.name), "
	    "coalesce(c.case_no, ''), c.status, coalesce(c.lead_id, 0), "
	    "coalesce(l.name, ''), c.created_at, c.rounds, "
	    "coalesce(c.party_uscc, ''), o.name, coalesce((SELECT x.at FROM "
	    "disposal x WHERE x.case_id = c.id), '') "
	    "FROM cases c JOIN org o ON o.id = c.org_id "
	    "LEFT JOIN account l ON l.id = c.lead_id WHERE c.id = ?1");
	if (st == NULL)
		return dom_fail(d, "access_case");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		return row < 0 ? dom_fail(d, "access_case") : DOM_NOT_FOUND;
	}
	out->id = sqlite3_column_int64(st, 0);
	out->org_id = sqlite3_column_int64(st, 1);
	out->org_name = arena_strdup(d->arena, store_col_text(st, 2));
	out->case_no = arena_strdup(d->arena, store_col_text(st, 3));
	out->status = arena_strdup(d->arena, store_col_text(st, 4));
	out->st = status_of(out->status);
	out->lead_id = sqlite3_column_int64(st, 5);
	out->lead_name = arena_strdup(d->arena, store_col_text(st, 6));
	out->created_at = arena_strdup(d->arena, store_col_text(st, 7));
	out->rounds = sqlite3_column_int(st, 8);
	out->org_uscc = arena_strdup(d->arena, store_col_text(st, 9));
	out->account_org = arena_strdup(d->arena, store_col_text(st, 10));
	out->disposed_at = arena_strdup(d->arena, store_col_text(st, 11));
	sqlite3_reset(st);
	if (relations(d, out, &out->rels) != 0)
		return dom_fail(d, "access_case");
	out->parts = access_parts(d->actor->role_bit, out->rels, out->st);
	if (out->parts == 0 || (out->parts & need) != need)
		return DOM_NOT_FOUND;
	return DOM_OK;
}
