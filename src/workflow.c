/*
 * workflow.c: the status machine (see workflow.h and docs/workflow.md).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "router.h"
#include "workflow.h"

const struct wf_status wf_statuses[] = {
	{ "draft", "草稿", WF_STAGE_NONE, 0, "申请单位填写并提交" },
	{ "submitted", "已提交", WF_STAGE_ACCEPTANCE, 0,
	    "项目负责人开始受理审查" },
	{ "intake_review", "受理审查中", WF_STAGE_ACCEPTANCE, 0,
	    "项目负责人审查" },
	{ "supplement_requested", "待补正", WF_STAGE_ACCEPTANCE, 0,
	    "申请单位提交补正材料" },
	{ "accepted", "已受理", WF_STAGE_ACCEPTANCE, 0,
	    "项目负责人起草委托协议" },
	{ "rejected", "不予受理", WF_STAGE_ACCEPTANCE, 1, NULL },
	{ "agreement_sent", "委托协议已发送", WF_STAGE_PROJECT, 0,
	    "申请单位确认委托协议" },
	{ "awaiting_payment", "待缴费", WF_STAGE_PROJECT, 0,
	    "申请单位缴费，工作人员登记" },
	{ "assessment_planning", "审核计划", WF_STAGE_ASSESSMENT, 0,
	    "项目负责人拟定审核计划" },
	{ "assessing", "评估中", WF_STAGE_ASSESSMENT, 0, "项目组开展评估" },
	{ "expert_review", "专家评审", WF_STAGE_ASSESSMENT, 0,
	    "专家组评审" },
	{ "failed", "未通过", WF_STAGE_ASSESSMENT, 1, NULL },
	{ "certificate_pending", "制证中", WF_STAGE_ISSUANCE, 0,
	    "制证工作人员制证、发证" },
	{ "issued", "已发证", WF_STAGE_ISSUANCE, 1, NULL },
	{ "withdrawn", "已撤回", WF_STAGE_NONE, 1, NULL },
	{ NULL, NULL, WF_STAGE_NONE, 0, NULL }
};

const struct wf_status *
wf_status(const char *code)
{
	const struct wf_status *s;

	for (s = wf_statuses; s->code != NULL; s++)
		if (strcmp(s->code, code) == 0)
			return s;
	return NULL;
}

const char *
wf_stage_zh(enum wf_stage stage)
{
	switch (stage) {
	case WF_STAGE_ACCEPTANCE: return "受理";
	case WF_STAGE_PROJECT: return "立项";
	case WF_STAGE_ASSESSMENT: return "评估";
	case WF_STAGE_ISSUANCE: return "发证";
	default: return "";
	}
}

#define LEAD		ROLE_LEAD
#define APPLICANT	ROLE_APPLICANT

const struct wf_transition wf_transitions[] = {
	{ "draft", "submitted", APPLICANT, NULL, "正式提交" },
	{ "submitted", "intake_review", LEAD, NULL, "开始受理审查" },
	{ "intake_review", "supplement_requested", LEAD, NULL, "要求补正" },
	{ "supplement_requested", "intake_review", APPLICANT, NULL,
	    "提交补正材料" },
	{ "intake_review", "accepted", LEAD, NULL, "受理" },
	{ "intake_review", "rejected", LEAD, NULL, "不予受理" },
	{ "supplement_requested", "rejected", LEAD, NULL, "不予受理" },
	{ "accepted", "agreement_sent", LEAD, NULL, "发送委托协议" },
	{ "agreement_sent", "awaiting_payment", APPLICANT, NULL,
	    "确认委托协议" },
	{ "awaiting_payment", "assessment_planning", LEAD | ROLE_CERT_STAFF,
	    NULL, "登记缴费，进入评估" },
	{ "assessment_planning", "assessing", LEAD, NULL, "开始评估" },
	{ "assessing", "expert_review", LEAD | ROLE_ASSESSOR, NULL,
	    "提交审核结论" },
	{ "expert_review", "certificate_pending", ROLE_EXPERT, NULL,
	    "评审通过" },
	{ "expert_review", "failed", ROLE_EXPERT, NULL, "评审不通过" },
	{ "certificate_pending", "issued", ROLE_CERT_STAFF, NULL, "发证" },
	/* Withdrawal: any time before a final status (发证 is final). */
	{ NULL, "withdrawn", APPLICANT, NULL, "撤回申请" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct wf_transition *
find(const char *from, const char *to)
{
	const struct wf_transition *t;
	const struct wf_status *fs = wf_status(from);

	for (t = wf_transitions; t->to != NULL; t++) {
		if (strcmp(t->to, to) != 0)
			continue;
		if (t->from == NULL ? (fs != NULL && !fs->final) :
		    strcmp(t->from, from) == 0)
			return t;
	}
	return NULL;
}

int
workflow_allowed(const char *from, const char *to, unsigned role_bit)
{
	const struct wf_transition *t = find(from, to);

	return t != NULL && (t->roles & role_bit) != 0;
}

void
workflow_day(long long t, char *day)
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(day, 24, "%Y-%m-%d", &tm);
}

void
workflow_stamp(long long t, char *stamp)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(stamp, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum wf_result
workflow_move(struct store *s, long long case_id, const char *to,
    const struct user *actor, const char *reason, long long now, char *err,
    size_t errlen)
{
	const struct wf_transition *t;
	const struct wf_status *fs, *ts;
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
	fs = wf_status(from);
	ts = wf_status(to);
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
	workflow_day(now, day);
	workflow_stamp(now, stamp);
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
	st = store_stmt(s, "INSERT INTO event(case_id, at, day, actor_id, "
	    "from_status, to_status, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7)");
	if (st == NULL)
		return WF_FAILED;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, stamp);
	store_bind_text(st, 3, day);
	store_bind_int(st, 4, actor->id);
	store_bind_text(st, 5, from);
	store_bind_text(st, 6, to);
	store_bind_text(st, 7, reason ? reason : "");
	if (sqlite3_step(st) != SQLITE_DONE)
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
	return WF_OK;
fail:
	fprintf(stderr, "zizhi: workflow_move: %s\n",
	    sqlite3_errmsg(store_db(s)));
	snprintf(err, errlen, "保存失败，请稍后重试。");
	return WF_FAILED;
}
