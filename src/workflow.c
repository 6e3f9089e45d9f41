/*
 * workflow.c: the status machine (see workflow.h and docs/workflow.md).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "actor.h"
#include "audit.h"
#include "status.h"
#include "workflow.h"

/*
 * Guards: the rules a transition needs beyond its row. Each reads the
 * case's records in the current transaction and says why not, in words.
 */
/* 1 when the statement st (the case bound as ?1) finds a row. */
static int
exists(const struct wf_ctx *c, sqlite3_stmt *st)
{
	int found;

	if (st == NULL)
		return 0;
	store_bind_int(st, 1, c->case_id);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* Past the due date of the last supplement notice (rules.c's deadline,
 * stored on the notice): the lead may refuse. */
static int
guard_supplement_overdue(const struct wf_ctx *c, char *why, size_t len)
{
	sqlite3_stmt *st = store_stmt(c->store, "SELECT due FROM notice WHERE "
	    "case_id = ?1 AND kind = 'supplement' ORDER BY id DESC LIMIT 1");
	char due[24] = "";

	if (st == NULL)
		return 0;
	store_bind_int(st, 1, c->case_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(due, sizeof(due), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (*due != '\0' && strcmp(c->today, due) > 0)
		return 1;
	snprintf(why, len, "补正期限（%s）尚未届满，不能以逾期未补正为由不予受理。",
	    *due ? due : "未设定");
	return 0;
}

/* §5.3: assessment only when the agreement is effective and paid. */
static int
guard_paid(const struct wf_ctx *c, char *why, size_t len)
{
	if (!exists(c, store_stmt(c->store, "SELECT 1 FROM agreement WHERE "
	    "case_id = ?1 AND accepted_at IS NOT NULL"))) {
		snprintf(why, len, "委托协议尚未生效（申请单位尚未确认），不能进入评估。");
		return 0;
	}
	if (!exists(c, store_stmt(c->store, "SELECT 1 FROM agreement a WHERE "
	    "a.case_id = ?1 AND (SELECT coalesce(sum(amount), 0) FROM payment "
	    "p WHERE p.case_id = ?1 AND p.mismatch = 0) = a.fee_total"))) {
		snprintf(why, len, "尚未登记与应缴费用一致的缴费，不能进入评估。");
		return 0;
	}
	return 1;
}

static int
guard_plan(const struct wf_ctx *c, char *why, size_t len)
{
	if (exists(c, store_stmt(c->store, "SELECT 1 FROM audit_plan WHERE "
	    "case_id = ?1")) && exists(c, store_stmt(c->store, "SELECT 1 FROM "
	    "team_member WHERE case_id = ?1")))
		return 1;
	snprintf(why, len, "请先制定审核计划并确定项目组成员。");
	return 0;
}

static int
guard_audit_concluded(const struct wf_ctx *c, char *why, size_t len)
{
	if (exists(c, store_stmt(c->store, "SELECT 1 FROM audit_conclusion "
	    "WHERE case_id = ?1")))
		return 1;
	snprintf(why, len, "请先记录项目组的审核结论。");
	return 0;
}

static int
guard_expert_pass(const struct wf_ctx *c, char *why, size_t len)
{
	if (exists(c, store_stmt(c->store, "SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND verdict = 'pass'")))
		return 1;
	snprintf(why, len, "请先记录专家组“通过”的评审结论。");
	return 0;
}

static int
guard_expert_fail(const struct wf_ctx *c, char *why, size_t len)
{
	if (exists(c, store_stmt(c->store, "SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND verdict = 'fail'")))
		return 1;
	snprintf(why, len, "请先记录专家组“不通过”的评审结论及理由。");
	return 0;
}

static int
guard_certificate(const struct wf_ctx *c, char *why, size_t len)
{
	if (exists(c, store_stmt(c->store, "SELECT 1 FROM certificate WHERE "
	    "case_id = ?1")))
		return 1;
	snprintf(why, len, "证书须在已批准的制证批次中制作后才能发证。");
	return 0;
}

#define LEAD		ROLE_LEAD
#define APPLICANT	ROLE_APPLICANT

/* Each row: from, to, who, guard, the action in words. */
const struct wf_transition wf_transitions[] = {
	{ ST_DRAFT, ST_SUBMITTED, APPLICANT, NULL, "正式提交" },
	{ ST_SUBMITTED, ST_INTAKE_REVIEW, LEAD, NULL, "开始受理审查" },
	{ ST_INTAKE_REVIEW, ST_SUPPLEMENT_REQUESTED, LEAD, NULL, "要求补正" },
	{ ST_SUPPLEMENT_REQUESTED, ST_INTAKE_REVIEW, APPLICANT, NULL,
	    "提交补正材料" },
	{ ST_INTAKE_REVIEW, ST_ACCEPTED, LEAD, NULL, "受理" },
	{ ST_INTAKE_REVIEW, ST_REJECTED, LEAD, NULL, "不予受理" },
	{ ST_SUPPLEMENT_REQUESTED, ST_REJECTED, LEAD, guard_supplement_overdue,
	    "不予受理（逾期未补正）" },
	{ ST_ACCEPTED, ST_AGREEMENT_SENT, LEAD, NULL, "发送委托协议" },
	{ ST_AGREEMENT_SENT, ST_AWAITING_PAYMENT, APPLICANT, NULL,
	    "确认委托协议" },
	{ ST_AWAITING_PAYMENT, ST_ASSESSMENT_PLANNING, LEAD | ROLE_CERT_STAFF,
	    guard_paid, "登记缴费，进入评估" },
	{ ST_ASSESSMENT_PLANNING, ST_ASSESSING, LEAD, guard_plan, "开始评估" },
	{ ST_ASSESSING, ST_EXPERT_REVIEW, LEAD | ROLE_ASSESSOR,
	    guard_audit_concluded, "提交审核结论" },
	{ ST_EXPERT_REVIEW, ST_CERTIFICATE_PENDING, ROLE_EXPERT,
	    guard_expert_pass, "评审通过" },
	{ ST_EXPERT_REVIEW, ST_FAILED, ROLE_EXPERT, guard_expert_fail,
	    "评审不通过" },
	{ ST_CERTIFICATE_PENDING, ST_ISSUED, ROLE_CERT_STAFF,
	    guard_certificate, "发证" },
	/* Withdrawal: any time before a final status (发证 is final). */
	{ WF_ANY_OPEN, ST_WITHDRAWN, APPLICANT, NULL, "撤回申请" },
	{ ST_DRAFT, ST_DRAFT, 0, NULL, NULL }
};

int
wf_from(const struct wf_transition *t, enum status st)
{
	return t->from == WF_ANY_OPEN ? !status_info(st)->final :
	    t->from == st;
}

static const struct wf_transition *
find(const char *from, const char *to)
{
	const struct wf_transition *t;
	enum status fs, ts;

	if (status_parse(from, &fs) != 0 || status_parse(to, &ts) != 0)
		return NULL;
	for (t = wf_transitions; t->roles != 0; t++)
		if (t->to == ts && wf_from(t, fs))
			return t;
	return NULL;
}

int
workflow_allowed(const char *from, const char *to, unsigned role_bit)
{
	const struct wf_transition *t = find(from, to);

	return t != NULL && (t->roles & role_bit) != 0;
}

#define CLOCK_MAX_EVENTS	1024

int
workflow_clock(struct store *s, long long case_id, const char *today,
    struct rules_clock *out)
{
	struct rules_event ev[CLOCK_MAX_EVENTS];
	enum status es;
	sqlite3_stmt *st;
	size_t n = 0;
	zdate now;
	int rc, started = 0;

	if (date_parse(today, &now) != 0)
		return -1;
	st = store_stmt(s, "SELECT day, to_status FROM event WHERE case_id = "
	    "?1 ORDER BY id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < CLOCK_MAX_EVENTS) {
		if (date_parse(store_col_text(st, 0), &ev[n].date) != 0)
			continue;
		es = status_of(store_col_text(st, 1));
		ev[n].flags = status_clock_flags(es);
		started |= (ev[n].flags & RULES_EV_START) != 0;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -1;
	if (!started)
		return 1;
	return rules_clock_events(rules_default(), ev, n, now, out) == 0 ?
	    0 : -1;
}

/* A day of a clock column, DATE_NONE when there is none; -1 when it is
 * not a day. */
static int
kept_day(sqlite3_stmt *st, int col, zdate *out)
{
	*out = DATE_NONE;
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	return date_parse(store_col_text(st, col), out);
}

int
workflow_clock_kept(struct store *s, long long case_id, const char *today,
    struct rules_clock *out)
{
	sqlite3_stmt *st;
	zdate now, start, since, stop;
	int32_t paused;
	int rc;

	memset(out, 0, sizeof(*out));
	if (date_parse(today, &now) != 0)
		return -1;
	st = store_stmt(s, "SELECT clock_start, clock_paused, "
	    "clock_paused_since, clock_stopped FROM cases WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	paused = sqlite3_column_int(st, 1);
	rc = kept_day(st, 0, &start) != 0 || kept_day(st, 2, &since) != 0 ||
	    kept_day(st, 3, &stop) != 0 ? -1 : start == DATE_NONE ? 1 : 0;
	sqlite3_reset(st);
	if (rc != 0)
		return rc;
	return rules_clock_kept(rules_default(), start, paused, since, stop,
	    now, out) == 0 ? 0 : -1;
}

int
workflow_clock_cache(struct store *s, long long case_id, const char *today)
{
	struct rules_clock clk;
	sqlite3_stmt *st;
	char start[DATE_BUFSZ], since[DATE_BUFSZ], stop[DATE_BUFSZ];
	char last_day[24] = "";
	zdate d;
	int rc, open = 0;

	if ((rc = workflow_clock(s, case_id, today, &clk)) < 0)
		return -1;
	if (rc == 1)
		return 0;
	/* An open pause started on the day of the last event. */
	if (clk.paused) {
		st = store_stmt(s, "SELECT day FROM event WHERE case_id = ?1 "
		    "ORDER BY id DESC LIMIT 1");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, case_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(last_day, sizeof(last_day), "%s",
			    store_col_text(st, 0));
		sqlite3_reset(st);
		if (date_parse(last_day, &d) != 0)
			return -1;
		open = date_diff_days(d, clk.now);
	}
	date_format(clk.submitted, start);
	date_format(clk.now, stop);
	st = store_stmt(s, "UPDATE cases SET clock_start = ?2, clock_paused = "
	    "?3, clock_paused_since = ?4, clock_target_net = ?5, "
	    "clock_limit_net = ?6, clock_stopped = ?7 WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, start);
	store_bind_int(st, 3, clk.paused_days - open);
	store_bind_text(st, 4, clk.paused ? date_format(d, since) : NULL);
	store_bind_int(st, 5, clk.target_net_days);
	store_bind_int(st, 6, clk.limit_net_days);
	store_bind_text(st, 7, clk.stopped ? stop : NULL);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

enum wf_result
workflow_move(struct store *s, long long case_id, const char *to,
    const struct actor *actor, const char *reason, long long now, char *err,
    size_t errlen)
{
	const struct wf_transition *t;
	const struct status_info *fs, *ts;
	struct wf_ctx ctx;
	sqlite3_stmt *st;
	char from[32], day[24], stamp[24], why[256];

	st = store_stmt(s, "SELECT status FROM cases WHERE id = ?1");
	if (st == NULL)
		return WF_FAILED;
	store_bind_int(st, 1, case_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "案件不存在。");
		return WF_CONFLICT;
	}
	snprintf(from, sizeof(from), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	fs = status_find(from);
	ts = status_find(to);
	if ((t = find(from, to)) == NULL || ts == NULL) {
		snprintf(err, errlen, "案件当前状态为“%s”，不能转为“%s”。"
		    "请刷新页面查看最新状态。", fs ? fs->zh : from,
		    ts ? ts->zh : to);
		return WF_CONFLICT;
	}
	if (actor == NULL || !(t->roles & actor->role_bit)) {
		snprintf(err, errlen, "您的角色不能执行“%s”。", t->action_zh);
		return WF_FORBIDDEN;
	}
	date_day(now, day);
	date_stamp(now, stamp);
	if (t->guard != NULL) {
		ctx.store = s;
		ctx.case_id = case_id;
		ctx.actor = actor;
		ctx.from = from;
		ctx.to = to;
		ctx.today = day;
		why[0] = '\0';
		if (!t->guard(&ctx, why, sizeof(why))) {
			snprintf(err, errlen, "%s", why);
			return WF_CONFLICT;
		}
	}
	/* The event joins the audit hash chain (audit.c). */
	if (audit_event_insert(s, case_id, stamp, day, actor->id, from, to,
	    reason ? reason : "") != 0)
		goto fail;
	st = store_stmt(s, "UPDATE cases SET status = ?2 WHERE id = ?1 "
	    "AND status = ?3");
	if (st == NULL)
		return WF_FAILED;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, to);
	store_bind_text(st, 3, from);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(s)) != 1)
		goto fail;
	if (workflow_status_facts(s, case_id, ts->st) != 0)
		goto fail;
	if (workflow_clock_cache(s, case_id, day) != 0)
		goto fail;
	return WF_OK;
fail:
	fprintf(stderr, "zizhi: workflow_move: %s\n",
	    sqlite3_errmsg(store_db(s)));
	snprintf(err, errlen, "保存失败，请稍后重试。");
	return WF_FAILED;
}

int
workflow_status_facts(struct store *s, long long case_id, enum status st)
{
	const struct status_info *si = status_info(st);
	sqlite3_stmt *q = store_stmt(s, "UPDATE cases SET stage = ?2, "
	    "is_open = ?3, acting = ?4 WHERE id = ?1");

	if (q == NULL)
		return -1;
	store_bind_int(q, 1, case_id);
	store_bind_int(q, 2, si->stage);
	store_bind_int(q, 3, status_open(st));
	store_bind_int(q, 4, si->acting);
	return sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
}

int
workflow_refresh_facts(struct store *s)
{
	const struct status_info *si;
	sqlite3_stmt *q;
	int n = 0;

	if (store_begin(s) != 0)
		return -1;
	for (si = status_table; si->code != NULL; si++) {
		q = store_stmt(s, "UPDATE cases SET stage = ?2, is_open = ?3, "
		    "acting = ?4 WHERE status = ?1 AND (stage <> ?2 OR "
		    "is_open <> ?3 OR acting <> ?4)");
		if (q == NULL)
			goto fail;
		store_bind_text(q, 1, si->code);
		store_bind_int(q, 2, si->stage);
		store_bind_int(q, 3, status_open(si->st));
		store_bind_int(q, 4, si->acting);
		if (sqlite3_step(q) != SQLITE_DONE)
			goto fail;
		n += sqlite3_changes(store_db(s));
	}
	if (store_commit(s) != 0)
		return -1;
	return n;
fail:
	store_rollback(s);
	return -1;
}

int
workflow_check_schema(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *q = store_stmt(s, "SELECT sql FROM sqlite_schema WHERE "
	    "type = 'table' AND name = 'cases'");
	int ok;

	if (q == NULL) {
		snprintf(err, errlen, "cannot read the schema");
		return -1;
	}
	ok = sqlite3_step(q) == SQLITE_ROW &&
	    status_check_schema(store_col_text(q, 0), err, errlen);
	sqlite3_reset(q);
	return ok ? 0 : -1;
}
