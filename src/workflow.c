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
/* 1 when the statement st (the case bound as ?1) finds a row, 0 when it
 * finds none, -1 when the read failed. */
static int
exists(const struct wf_ctx *c, sqlite3_stmt *st)
{
	int found;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->case_id);
	found = store_row(st);
	sqlite3_reset(st);
	return found;
}

/* Past the due date of the last supplement notice: the lead may refuse.
 * The month runs from the notice's 送达 (notice.c's notice_serve stores
 * the due date then); a notice not yet served has none. */
static int
guard_supplement_overdue(const struct wf_ctx *c, char *why, size_t len)
{
	sqlite3_stmt *st = store_stmt(c->store, "SELECT coalesce(s.due, '') "
	    "FROM notice n LEFT JOIN notice_service s ON s.notice_id = n.id "
	    "WHERE n.case_id = ?1 AND n.kind = 'supplement' ORDER BY n.id DESC "
	    "LIMIT 1");
	char due[24] = "";
	int row;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->case_id);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1)
		snprintf(due, sizeof(due), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (*due != '\0' && strcmp(c->today, due) > 0)
		return 1;
	if (*due == '\0')
		snprintf(why, len, "补正告知书尚未送达，补正期限尚未起算，不能以逾期"
		    "未补正为由不予受理。请电话联系申请单位，或重新发送通知。");
	else
		snprintf(why, len, "补正期限（%s）尚未届满，不能以逾期未补正为由"
		    "不予受理。", due);
	return 0;
}

/* §5.3: assessment only when the agreement is effective and paid: the
 * entries of the ledger in effect (schema.sql's ledger view: payments,
 * less confirmed refunds and reversals) add up to at least the fee. */
/* A guard that needs a record: 1 when st finds it, else 0 and why says
 * what to do first; -1 when the read failed. */
static int
needs(const struct wf_ctx *c, sqlite3_stmt *st, char *why, size_t len,
    const char *missing)
{
	int found = exists(c, st);

	if (found == 0)
		snprintf(why, len, "%s", missing);
	return found;
}

static int
guard_paid(const struct wf_ctx *c, char *why, size_t len)
{
	int ok = needs(c, store_stmt(c->store, "SELECT 1 FROM agreement WHERE "
	    "case_id = ?1 AND accepted_at IS NOT NULL"), why, len,
	    "委托协议尚未生效（申请单位尚未确认），不能进入评估。");

	return ok != 1 ? ok : needs(c, store_stmt(c->store, "SELECT 1 FROM "
	    "agreement a WHERE a.case_id = ?1 AND (SELECT coalesce("
	    "sum(l.signed), 0) FROM ledger l WHERE l.case_id = ?1 AND "
	    "l.effective = 1) >= a.fee_total"), why, len,
	    "已缴合计尚未达到应缴费用，不能进入评估。");
}

static int
guard_plan(const struct wf_ctx *c, char *why, size_t len)
{
	static const char *const what = "请先制定审核计划并确定项目组成员。";
	int ok = needs(c, store_stmt(c->store, "SELECT 1 FROM audit_plan "
	    "WHERE case_id = ?1"), why, len, what);

	return ok != 1 ? ok : needs(c, store_stmt(c->store, "SELECT 1 FROM "
	    "team_member WHERE case_id = ?1"), why, len, what);
}

static int
guard_audit_concluded(const struct wf_ctx *c, char *why, size_t len)
{
	/* The evidence is complete: no document request still open. */
	int open = exists(c, store_stmt(c->store, "SELECT 1 FROM doc_request "
	    "WHERE case_id = ?1 AND closed_at IS NULL"));

	if (open != 0) {
		snprintf(why, len, "还有一份补充资料要求等待申请单位答复。请在申请"
		    "单位答复（或关闭该要求）后再提交审核结论。");
		return open < 0 ? -1 : 0;
	}
	return needs(c, store_stmt(c->store, "SELECT 1 FROM audit_conclusion "
	    "WHERE case_id = ?1"), why, len, "请先记录项目组的审核结论。");
}

static int
guard_expert_pass(const struct wf_ctx *c, char *why, size_t len)
{
	return needs(c, store_stmt(c->store, "SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND verdict = 'pass'"), why, len,
	    "请先记录专家组“通过”的评审结论。");
}

static int
guard_expert_fail(const struct wf_ctx *c, char *why, size_t len)
{
	return needs(c, store_stmt(c->store, "SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND verdict = 'fail'"), why, len,
	    "请先记录专家组“不通过”的评审结论及理由。");
}

static int
guard_certificate(const struct wf_ctx *c, char *why, size_t len)
{
	return needs(c, store_stmt(c->store, "SELECT 1 FROM certificate WHERE "
	    "case_id = ?1"), why, len, "证书须在已批准的制证批次中制作后才能"
	    "发证。");
}

/*
 * §7: a refusal or a failed review is reopened only by an upheld appeal:
 * the case's latest appeal, upheld, naming this step, and concluded
 * after the case came to its final status (so one appeal reopens once).
 */
static int
guard_appeal_upheld(const struct wf_ctx *c, char *why, size_t len)
{
	sqlite3_stmt *st = store_stmt(c->store, "SELECT 1 FROM appeal a WHERE "
	    "a.id = (SELECT max(id) FROM appeal WHERE case_id = ?1) AND "
	    "a.upheld = 1 AND a.reopen_to = ?2 AND a.concluded_at >= "
	    "(SELECT max(at) FROM event WHERE case_id = ?1)");
	int found;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->case_id);
	store_bind_text(st, 2, c->to);
	found = store_row(st);
	sqlite3_reset(st);
	if (found != 0)
		return found;
	snprintf(why, len, "只有申诉成立、且监督部门决定从这一步重新办理时，"
	    "才能重新办理已结束的案件。请在申诉页面登记结论。");
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
	/* The panel finds the evidence insufficient to judge: back to the
	 * team, with its reasons (§5.4: 证据的充分性). */
	{ ST_EXPERT_REVIEW, ST_ASSESSING, ROLE_EXPERT, NULL, "退回项目组" },
	{ ST_CERTIFICATE_PENDING, ST_ISSUED, ROLE_CERT_STAFF,
	    guard_certificate, "发证" },
	/* §7: an upheld appeal reopens the case at the contested step (the
	 * clock: docs/rules.md). */
	{ ST_REJECTED, ST_INTAKE_REVIEW, ROLE_SUPERVISOR, guard_appeal_upheld,
	    "申诉成立，重新受理审查" },
	{ ST_FAILED, ST_ASSESSING, ROLE_SUPERVISOR, guard_appeal_upheld,
	    "申诉成立，退回项目组重新评估" },
	{ ST_FAILED, ST_EXPERT_REVIEW, ROLE_SUPERVISOR, guard_appeal_upheld,
	    "申诉成立，重新专家评审" },
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

/*
 * The points of case_id's clock, in date order, for rules_clock_events:
 * each status event with its status's flags (status.c), and each day a
 * document request (补充资料, docrequest.h) opened or closed. A request
 * pauses the clock while it is open, whatever the status: the flags of
 * every point say PAUSED while the status pauses or a request is open.
 * A request's days while the case is in a final status do not count (a
 * withdrawal stops the clock however the request ends). *last gets the
 * last point's day (where a pause still open began). Returns the number
 * of points, or -1.
 */
static int
clock_points(struct store *s, long long case_id, struct rules_event *ev,
    zdate *last, int *started)
{
	sqlite3_stmt *se, *sr;
	unsigned sf = 0;
	int rce, rcr, n = 0, open = 0, have_e, have_r, take_e;
	zdate de = 0, dr = 0;
	int dr_open = 0;
	enum status es = ST_DRAFT;

	*started = 0;
	*last = DATE_NONE;
	se = store_stmt(s, "SELECT day, to_status FROM event WHERE case_id = "
	    "?1 ORDER BY id");
	sr = store_stmt(s, "SELECT day, opening FROM (SELECT id, opened_day "
	    "AS day, 1 AS opening FROM doc_request WHERE case_id = ?1 UNION "
	    "ALL SELECT id, closed_day, 0 FROM doc_request WHERE case_id = ?1 "
	    "AND closed_day IS NOT NULL) ORDER BY day, opening, id");
	if (se == NULL || sr == NULL)
		return -1;
	store_bind_int(se, 1, case_id);
	store_bind_int(sr, 1, case_id);
	rce = sqlite3_step(se);
	rcr = sqlite3_step(sr);
	for (;;) {
		have_e = rce == SQLITE_ROW;
		have_r = rcr == SQLITE_ROW;
		if (!have_e && !have_r)
			break;
		if (have_e && date_parse(store_col_text(se, 0), &de) != 0) {
			rce = sqlite3_step(se);
			continue;
		}
		if (have_r) {
			if (date_parse(store_col_text(sr, 0), &dr) != 0) {
				rcr = sqlite3_step(sr);
				continue;
			}
			dr_open = sqlite3_column_int(sr, 1);
		}
		/* On the same day the status event comes first. */
		take_e = have_e && (!have_r || de <= dr);
		if (n == CLOCK_MAX_EVENTS)
			break;
		if (take_e) {
			es = status_of(store_col_text(se, 1));
			sf = status_clock_flags(es);
			*started |= (sf & RULES_EV_START) != 0;
			ev[n].date = de;
			ev[n].flags = sf | (open > 0 ? RULES_EV_PAUSED : 0);
			rce = sqlite3_step(se);
		} else {
			open += dr_open ? 1 : -1;
			rcr = sqlite3_step(sr);
			if (!*started || status_info(es)->final)
				continue;
			ev[n].date = dr;
			ev[n].flags = (sf & RULES_EV_PAUSED) |
			    (open > 0 ? RULES_EV_PAUSED : 0);
		}
		*last = ev[n].date;
		n++;
	}
	sqlite3_reset(se);
	sqlite3_reset(sr);
	if ((rce != SQLITE_DONE && rce != SQLITE_ROW) ||
	    (rcr != SQLITE_DONE && rcr != SQLITE_ROW))
		return -1;
	return n;
}

/* The clock of case_id as of now; *last as clock_points says. 0, 1 when
 * the clock has not started, -1. */
static int
clock_of(struct store *s, long long case_id, zdate now,
    struct rules_clock *out, zdate *last)
{
	struct rules_event ev[CLOCK_MAX_EVENTS];
	int n, started;

	if ((n = clock_points(s, case_id, ev, last, &started)) < 0)
		return -1;
	if (!started)
		return 1;
	return rules_clock_events(rules_default(), ev, (size_t)n, now, out) ==
	    0 ? 0 : -1;
}

int
workflow_clock(struct store *s, long long case_id, const char *today,
    struct rules_clock *out)
{
	zdate now, last;

	if (date_parse(today, &now) != 0)
		return -1;
	return clock_of(s, case_id, now, out, &last);
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
		return 1;
	st = store_stmt(s, "SELECT clock_start, clock_paused, "
	    "clock_paused_since, clock_stopped FROM cases WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if (store_row(st) != 1) {
		sqlite3_reset(st);
		return -1;
	}
	paused = sqlite3_column_int(st, 1);
	rc = kept_day(st, 0, &start) != 0 || kept_day(st, 2, &since) != 0 ||
	    kept_day(st, 3, &stop) != 0 || start == DATE_NONE ? 1 : 0;
	sqlite3_reset(st);
	if (rc != 0)
		return rc;
	return rules_clock_kept(rules_default(), start, paused, since, stop,
	    now, out) == 0 ? 0 : 1;
}

int
workflow_clock_cache(struct store *s, long long case_id, const char *today)
{
	struct rules_clock clk;
	sqlite3_stmt *st;
	char start[DATE_BUFSZ], since[DATE_BUFSZ], stop[DATE_BUFSZ];
	zdate now, last;
	int rc, open = 0;

	if (date_parse(today, &now) != 0)
		return -1;
	if ((rc = clock_of(s, case_id, now, &clk, &last)) < 0)
		return -1;
	if (rc == 1)
		return 0;
	/* An open pause started on the day of the clock's last point. */
	if (clk.paused) {
		if (last == DATE_NONE)
			return -1;
		open = date_diff_days(last, clk.now);
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
	store_bind_text(st, 4, clk.paused ? date_format(last, since) : NULL);
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
	int rc;

	st = store_stmt(s, "SELECT status FROM cases WHERE id = ?1");
	if (st == NULL)
		return WF_FAILED;
	store_bind_int(st, 1, case_id);
	if ((rc = store_row(st)) != 1) {
		if (rc < 0)
			goto fail;
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
		if ((rc = t->guard(&ctx, why, sizeof(why))) < 0)
			goto fail;
		if (rc == 0) {
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
