/*
 * panel.c: 专家评审, the expert panel (panel.h).
 */
#include <stdio.h>
#include <string.h>

#include "outbox.h"
#include "notice.h"
#include "panel.h"
#include "store.h"
#include "tmpl.h"
#include "util.h"
#include "workflow_step.h"

/* The statuses in which expert review has begun. */
#define REVIEWED	(ST_BIT(ST_EXPERT_REVIEW) | ST_BIT(ST_FAILED) | \
			 ST_BIT(ST_CERTIFICATE_PENDING) | ST_BIT(ST_ISSUED))

/* Who may see the expert review at all: the panel's page, or only its
 * declaration. */
#define SEEN		(PART_EXPERT | PART_DECLARE)

/* 1 when sql (?1 the case, ?2 an account) finds a row, 0 not, -1. */
static int
found(struct dom *d, sqlite3_stmt *st, long long case_id, long long account)
{
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, account);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

enum dom_rc
panel_begun(struct dom *d, const struct case_ref *c)
{
	int yes;

	if (ST_BIT(c->st) & REVIEWED)
		return DOM_OK;
	/* Withdrawn during expert review. */
	if ((yes = found(d, store_stmt(d->store, "SELECT 1 FROM panel_member "
	    "WHERE case_id = ?1 AND ?2 = 0"), c->id, 0)) < 0)
		return dom_fail(d, "panel_begun");
	if (yes)
		return DOM_OK;
	return dom_refuse(d, DOM_CONFLICT, NULL, "案件当前状态为“%s”，尚未进入"
	    "专家评审（项目组提交审核结论后进入）。", status_zh(c->st));
}

enum dom_rc
panel_get(struct dom *d, const struct case_ref *c, struct panel *out)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((c->parts & PART_EXPERT) == 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT a.id, a.name, a.email, "
	    "p.declared_at IS NOT NULL, p.declared_at FROM panel_member p "
	    "JOIN account a ON a.id = p.account_id WHERE p.case_id = ?1 "
	    "ORDER BY a.name, a.id");
	if (st != NULL)
		store_bind_int(st, 1, c->id);
	if ((rc = assess_people(d, st, &out->members, &out->nmembers)) !=
	    DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT c.verdict, c.reasons, a.name, c.at "
	    "FROM expert_conclusion c JOIN account a ON a.id = c.by_id WHERE "
	    "c.case_id = ?1");
	if (st != NULL)
		store_bind_int(st, 1, c->id);
	return assess_verdict_read(d, st, &out->conclusion);
}

enum dom_rc
panel_candidates(struct dom *d, const struct case_ref *c,
    struct assess_person **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!access_may(c, d->actor->role_bit, ACT_FORM_PANEL))
		return DOM_FORBIDDEN;
	return assess_pick(d, c, ROLE_EXPERT, out, n);
}

static enum dom_rc
add(struct dom *d, const struct case_ref *c, long long account,
    struct assess_problems *pr)
{
	sqlite3_stmt *st;
	int yes;

	if ((yes = assess_is(d, account, ROLE_EXPERT)) < 0)
		return dom_fail(d, "panel: expert");
	if (!yes) {
		assess_problem(d, pr, "account_id", "请从列表中选择一位专家。");
		return assess_problems_rc(d, pr);
	}
	/* Separation of duties: nobody reviews the team's own work. */
	if ((yes = found(d, store_stmt(d->store, "SELECT 1 FROM team_member "
	    "WHERE case_id = ?1 AND account_id = ?2"), c->id, account)) < 0)
		return dom_fail(d, "panel: team");
	if (yes)
		return dom_refuse(d, DOM_CONFLICT, NULL, "该专家是本案件项目组的"
		    "成员。按照职责分离的要求，项目组成员不能参加本案件的专家评审，"
		    "请选择其他专家。");
	st = store_stmt(d->store, "INSERT OR IGNORE INTO panel_member(case_id, "
	    "account_id, added_by) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return dom_fail(d, "panel: add");
	store_bind_int(st, 1, c->id);
	store_bind_int(st, 2, account);
	store_bind_int(st, 3, d->actor->id);
	return sqlite3_step(st) == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "panel: add");
}

enum dom_rc
panel_add(struct dom *d, long long case_id, long long account_id,
    struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	enum dom_rc rc;

	pr = assess_problems_start(pr, &none);
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = assess_load(d, case_id, PART_EXPERT, ACT_FORM_PANEL,
	    ST_EXPERT_REVIEW, "增加专家组成员", "只有本案件的项目负责人可以组建"
	    "专家组。", &c);
	if (rc == DOM_OK)
		rc = add(d, &c, account_id, pr);
	return dom_end(d, rc);
}

/*
 * Loads the case for a declaration by a member of the panel; *declared
 * is set for one who has declared no conflict already.
 */
static enum dom_rc
load_declaring(struct dom *d, long long case_id, const char *what,
    struct case_ref *c, int *declared)
{
	enum dom_rc rc;

	*declared = 0;
	rc = assess_load(d, case_id, SEEN, ACT_DECLARE, ST_EXPERT_REVIEW, what,
	    "只有本案件专家组中的专家可以声明利益冲突情况。", c);
	if (rc == DOM_OK)
		*declared = (c->rels & REL_PANEL) != 0;
	return rc;
}

enum dom_rc
panel_declare(struct dom *d, long long case_id, int confirm, int *already,
    struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int declared;

	pr = assess_problems_start(pr, &none);
	if (already != NULL)
		*already = 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = load_declaring(d, case_id, "声明无利益冲突", &c, &declared);
	if (rc != DOM_OK || declared) {
		if (already != NULL)
			*already = declared;
		return dom_end(d, rc);
	}
	if (!confirm) {
		assess_problem(d, pr, "confirm", "请勾选声明：与申请单位无利益冲突。"
		    "如存在利益冲突，请不要勾选，并告知项目负责人另选专家。");
		return dom_end(d, assess_problems_rc(d, pr));
	}
	st = store_stmt(d->store, "UPDATE panel_member SET declared_at = ?3 "
	    "WHERE case_id = ?1 AND account_id = ?2 AND declared_at IS NULL");
	if (st == NULL)
		return dom_end(d, dom_fail(d, "panel: declare"));
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_text(st, 3, d->stamp);
	rc = sqlite3_step(st) == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "panel: declare");
	return dom_end(d, rc);
}

/* Tells the case's lead that an expert left the panel. */
static enum dom_rc
tell_lead(struct dom *d, const struct case_ref *c)
{
	int row;
	sqlite3_stmt *st;
	const char *to = NULL, *subject, *body;

	st = store_stmt(d->store, "SELECT email FROM account WHERE id = ?1 "
	    "AND disabled = 0");
	if (st == NULL)
		return dom_fail(d, "panel: lead");
	store_bind_int(st, 1, c->lead_id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "panel: lead");
	if (row == 1)
		to = arena_strdup(d->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	if (to == NULL)
		return DOM_OK;	/* no lead to tell: the queue shows it */
	subject = arena_printf(d->arena, "【资质申请】专家声明存在利益冲突（%s）",
	    c->case_no);
	body = arena_printf(d->arena, "案件 %s（申请单位：%s）专家组成员%s声明与"
	    "申请单位存在利益冲突，已退出专家组。请在专家评审页面另选专家：\n"
	    "%s/cases/%lld/expert\n", c->case_no, c->org_name, d->actor->name,
	    d->public_url, c->id);
	return outbox_add(d->store, c->id, 0, to, subject, body, NULL,
	    d->now) < 0 ? dom_fail(d, "panel: mail") : DOM_OK;
}

enum dom_rc
panel_declare_conflict(struct dom *d, long long case_id)
{
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int declared;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	/* Before the declaration or after it: a conflict found later
	 * takes the expert off the panel as well, until the panel has
	 * concluded (the status then is no longer expert review). */
	rc = load_declaring(d, case_id, "声明存在利益冲突", &c, &declared);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	st = store_stmt(d->store, "DELETE FROM panel_member WHERE case_id = ?1 "
	    "AND account_id = ?2");
	if (st == NULL)
		return dom_end(d, dom_fail(d, "panel: conflict"));
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_end(d, dom_fail(d, "panel: conflict"));
	return dom_end(d, tell_lead(d, &c));
}

/* The conclusion, the move and the 专家评审结论通知书. */
static enum dom_rc
conclude(struct dom *d, const struct case_ref *c, const char *verdict,
    const char *reasons)
{
	int pass = strcmp(verdict, "pass") == 0;
	struct tv *nv;
	enum dom_rc rc;

	if ((rc = assess_conclusion(d, store_stmt(d->store, "INSERT INTO "
	    "expert_conclusion(case_id, verdict, reasons, by_id, at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5)"), c,
	    verdict, reasons, pass ? ST_CERTIFICATE_PENDING : ST_FAILED,
	    "专家评审结论")) != DOM_OK)
		return rc;
	nv = step_notice_view(d, c);
	tv_put_bool(nv, "expert", 1);
	tv_put_bool(nv, "pass", pass);
	tv_put_str(nv, "verdict_zh", assess_verdict_zh(verdict));
	tv_put_str(nv, "reasons", reasons);
	if (notice_create(d, c->id, c->case_no, "conclusion", "专家评审结论通知书",
	    nv, NULL, 0) < 0)
		return dom_fail(d, "expert notice");
	return DOM_OK;
}

enum dom_rc
panel_conclude(struct dom *d, long long case_id, const char *verdict,
    const char *reasons, struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	enum dom_rc rc;
	int fail;

	pr = assess_problems_start(pr, &none);
	if (verdict == NULL)
		verdict = "";
	if (reasons == NULL)
		reasons = "";
	fail = strcmp(verdict, "fail") == 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = assess_load(d, case_id, SEEN, ACT_EXPERT_CONCLUDE,
	    ST_EXPERT_REVIEW, "记录专家评审结论", "请先声明与本案件无利益冲突，"
	    "再记录评审结论。", &c);
	if (rc == DOM_FORBIDDEN && (c.rels & REL_PANEL_PENDING) == 0)
		rc = dom_refuse(d, rc, NULL, "只有本案件专家组中已声明无利益冲突"
		    "的专家可以记录专家评审结论。");
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (assess_verdict_zh(verdict) == NULL)
		assess_problem(d, pr, "verdict", "请选择评审结论：通过或不通过。");
	assess_check_text(d, pr, "reasons", reasons, fail ? "评审不通过时须"
	    "写明理由：哪些证据不充分、哪些结论不合理。申请单位将在通知中看到"
	    "理由，并可据此申诉。" : NULL);
	if ((rc = assess_problems_rc(d, pr)) == DOM_OK)
		rc = conclude(d, &c, verdict, reasons);
	return dom_end(d, rc);
}

/* Copies the row of case_id (copy: ?1 the case, ?2 now, ?3 the actor,
 * ?4 why) into the history and deletes it (del: ?1), in the
 * transaction. */
static enum dom_rc
set_aside_one(struct dom *d, sqlite3_stmt *copy, sqlite3_stmt *del,
    long long case_id, const char *why)
{
	if (copy == NULL || del == NULL)
		return dom_fail(d, "set aside");
	store_bind_int(copy, 1, case_id);
	store_bind_text(copy, 2, d->stamp);
	store_bind_int(copy, 3, d->actor->id);
	store_bind_text(copy, 4, why);
	if (sqlite3_step(copy) != SQLITE_DONE)
		return dom_fail(d, "set aside");
	store_bind_int(del, 1, case_id);
	return sqlite3_step(del) == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "set aside");
}

enum dom_rc
panel_set_aside(struct dom *d, long long case_id, const char *which,
    const char *why)
{
	enum dom_rc rc;

	/* The panel's conclusion first: it was reached on the team's. */
	rc = set_aside_one(d, store_stmt(d->store, "INSERT INTO "
	    "conclusion_history(case_id, which, verdict, text, by_id, at, "
	    "set_aside_at, set_aside_by, why) SELECT case_id, 'expert', "
	    "verdict, reasons, by_id, at, ?2, ?3, ?4 FROM expert_conclusion "
	    "WHERE case_id = ?1"), store_stmt(d->store, "DELETE FROM "
	    "expert_conclusion WHERE case_id = ?1"), case_id, why);
	if (rc != DOM_OK || strcmp(which, "audit") != 0)
		return rc;
	return set_aside_one(d, store_stmt(d->store, "INSERT INTO "
	    "conclusion_history(case_id, which, verdict, text, by_id, at, "
	    "set_aside_at, set_aside_by, why) SELECT case_id, 'audit', "
	    "verdict, text, by_id, at, ?2, ?3, ?4 FROM audit_conclusion WHERE "
	    "case_id = ?1"), store_stmt(d->store, "DELETE FROM "
	    "audit_conclusion WHERE case_id = ?1"), case_id, why);
}

enum dom_rc
panel_return(struct dom *d, long long case_id, const char *reasons,
    struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	enum dom_rc rc;

	pr = assess_problems_start(pr, &none);
	if (reasons == NULL)
		reasons = "";
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = assess_load(d, case_id, SEEN, ACT_EXPERT_CONCLUDE,
	    ST_EXPERT_REVIEW, "退回项目组", "请先声明与本案件无利益冲突，再决定是"
	    "否退回项目组。", &c);
	if (rc == DOM_FORBIDDEN && (c.rels & REL_PANEL_PENDING) == 0)
		rc = dom_refuse(d, rc, NULL, "只有本案件专家组中已声明无利益冲突"
		    "的专家可以将案件退回项目组。");
	if (rc != DOM_OK)
		return dom_end(d, rc);
	assess_check_text(d, pr, "return_reasons", reasons, "请写明退回的理由：哪些"
	    "证据不充分、需要项目组补充评估什么。项目组将据此补充评估。");
	if ((rc = assess_problems_rc(d, pr)) != DOM_OK)
		return dom_end(d, rc);
	rc = panel_set_aside(d, c.id, "audit", arena_printf(d->arena,
	    "专家组退回项目组：%s", reasons));
	if (rc == DOM_OK)
		rc = assess_move(d, &c, ST_ASSESSING, arena_printf(d->arena,
		    "专家组退回项目组补充评估：%s", reasons));
	if (rc == DOM_OK)
		rc = assess_tell_team(d, &c, arena_printf(d->arena, "【资质申请】"
		    "专家组退回项目组（%s）", c.case_no), arena_printf(d->arena,
		    "案件 %s（申请单位：%s）的专家组认为评估证据尚不足以作出评审"
		    "结论，已将案件退回项目组。原审核结论已撤下，请补充评估后重新"
		    "提交审核结论。\n\n专家组意见：\n%s\n\n评估页面：\n"
		    "%s/cases/%lld/assessment\n", c.case_no, c.org_name, reasons,
		    d->public_url != NULL ? d->public_url : "", c.id));
	return dom_end(d, rc);
}
