/*
 * pages_assess.c: 评估 (§5.4). The audit plan and its team, the activity
 * records (document review, interviews, practical operation) with their
 * files, the team's audit conclusion; then the expert review: the panel
 * (never members of the case's team), each member's declaration of no
 * conflict of interest before seeing the case, and the panel's
 * conclusion. Every status change goes through workflow_move in one
 * transaction with its rows and its notice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "case.h"
#include "date.h"
#include "files.h"
#include "notice.h"
#include "page.h"
#include "router.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_assess[];

#define TEXT_MAX	10000	/* bytes of a finding, method or conclusion */
#define TEAM_MAX	30
#define RECORD_FILES	10

static const struct {
	const char	*code;
	const char	*zh;
} kinds[] = {
	{ "document_review", "文档审查" },
	{ "interview", "人员访谈" },
	{ "practical", "实际操作" },
	{ NULL, NULL }
};

static const char *
kind_zh(const char *code)
{
	size_t i;

	for (i = 0; kinds[i].code != NULL; i++)
		if (strcmp(kinds[i].code, code) == 0)
			return kinds[i].zh;
	return NULL;
}

static const char *
verdict_zh(const char *v)
{
	return strcmp(v, "pass") == 0 ? "通过" : "不通过";
}

static const char *
human_size(struct arena *a, long long n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1f MB", (double)n / (1024 * 1024));
	if (n >= 1024)
		return arena_printf(a, "%.0f KB", (double)n / 1024);
	return arena_printf(a, "%lld 字节", n);
}

/* A value of the POSTed form, or NULL on a GET. */
static const char *
posted(const struct request *req, const char *name)
{
	return req->method == METHOD_POST ? params_get(&req->form, name) :
	    NULL;
}

/* 1 when sql (binding ?1 and ?2) returns a row, 0 when not, -1 on error. */
static int
found(struct store *s, const char *sql, long long a, long long b)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, a);
	store_bind_int(st, 2, b);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
on_team(struct store *s, long long case_id, long long account_id)
{
	return found(s, "SELECT 1 FROM team_member WHERE case_id = ?1 AND "
	    "account_id = ?2", case_id, account_id);
}

/* -1 not on the panel, 0 on it but not declared, 1 declared; -2 error. */
static int
panel_state(struct store *s, long long case_id, long long account_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT declared_at IS NOT NULL FROM "
	    "panel_member WHERE case_id = ?1 AND account_id = ?2");
	int rc, v = -1;

	if (st == NULL)
		return -2;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, account_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else if (rc != SQLITE_DONE)
		v = -2;
	sqlite3_reset(st);
	return v;
}

static int
is_case_lead(const struct request *req, const struct case_info *c)
{
	return req->user->role_bit == ROLE_LEAD && c->lead_id != 0 &&
	    c->lead_id == req->user->id;
}

/* A case that has reached one of statuses, or has a row of sql. */
static int
reached(struct store *s, const struct case_info *c,
    const char *const *statuses, const char *sql)
{
	size_t i;

	for (i = 0; statuses[i] != NULL; i++)
		if (strcmp(c->status, statuses[i]) == 0)
			return 1;
	return found(s, sql, c->id, 0) == 1;
}

static const char *const assess_statuses[] = { "assessment_planning",
    "assessing", "expert_review", "failed", "certificate_pending", "issued",
    NULL };
static const char *const expert_statuses[] = { "expert_review", "failed",
    "certificate_pending", "issued", NULL };

static int
wrong_status(struct request *req, struct response *resp,
    const struct case_info *c, const char *need, const char *what)
{
	resp->error_message = arena_printf(req->arena, "案件当前状态为“%s”，"
	    "只有在“%s”状态下才能%s。请返回案件页面查看当前进度。",
	    status_words(c->status), status_words(need), what);
	return 409;
}

/* The status a workflow_move result stands for, with its message. */
static int
wf_error(struct request *req, struct response *resp, enum wf_result r,
    const char *err)
{
	store_rollback(req->app->store);
	if (r == WF_FAILED)
		return 500;
	resp->error_message = arena_strdup(req->arena, err);
	return r == WF_FORBIDDEN ? 403 : 409;
}

/*
 * Who may see the assessment of case c: its lead and any lead, the
 * assessors on its team, the experts on its panel once they declared no
 * conflict of interest, and other staff (read only). *act says whether
 * the viewer may record (the case's lead or a team member).
 */
static int
assess_access(struct request *req, struct response *resp,
    const struct case_info *c, int *act)
{
	struct store *s = req->app->store;
	int t, p;

	*act = is_case_lead(req, c);
	switch (req->user->role_bit) {
	case ROLE_ASSESSOR:
		if ((t = on_team(s, c->id, req->user->id)) < 0)
			return 500;
		if (!t) {
			resp->error_message = "您不是本案件项目组的成员，不能查看或"
			    "记录本案件的评估。如需参加，请联系本案件的项目负责人。";
			return 403;
		}
		*act = 1;
		break;
	case ROLE_EXPERT:
		if ((p = panel_state(s, c->id, req->user->id)) == -2)
			return 500;
		if (p < 1) {
			resp->error_message = p == 0 ? "请先在专家评审页面声明与本"
			    "案件无利益冲突，再查看评估记录。" : "您不是本案件专家组的"
			    "成员，不能查看本案件。如需参加评审，请联系项目负责人。";
			return 403;
		}
		break;
	default:
		break;
	}
	if (!reached(s, c, assess_statuses, "SELECT 1 FROM audit_plan WHERE "
	    "case_id = ?1 AND ?2 = 0")) {
		resp->error_message = arena_printf(req->arena, "案件当前状态为"
		    "“%s”，尚未进入评估阶段（须委托协议生效并缴费后进入）。",
		    status_words(c->status));
		return 409;
	}
	return 0;
}

static void
put_case(struct tv *v, const struct case_info *c)
{
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "lead_name", c->lead_name);
	tv_put_str(v, "status", c->status);
	tv_put_str(v, "status_zh", status_words(c->status));
}

static int
put_plan(struct request *req, struct tv *v, long long case_id, int prefill,
    struct form *f)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT p.start_day, "
	    "p.end_day, p.method, a.name, p.at FROM audit_plan p JOIN account "
	    "a ON a.id = p.by_id WHERE p.case_id = ?1");
	struct tv *p;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = tv_put_map(v, "plan");
		tv_put_str(p, "start_day", store_col_text(st, 0));
		tv_put_str(p, "end_day", store_col_text(st, 1));
		tv_put_str(p, "method", store_col_text(st, 2));
		tv_put_str(p, "by", store_col_text(st, 3));
		tv_put_str(p, "at", page_time(req->arena, store_col_text(st,
		    4)));
		if (prefill) {
			form_value(f, "start_day", store_col_text(st, 0));
			form_value(f, "end_day", store_col_text(st, 1));
			form_value(f, "method", store_col_text(st, 2));
		}
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_plan", rc == SQLITE_ROW);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* 1 when the POSTed form (on a GET: the team) has account id. */
static int
team_checked(struct request *req, long long id)
{
	size_t i, n = params_count(&req->form, "team");

	for (i = 0; i < n; i++)
		if (strtoll(params_nth(&req->form, "team", i), NULL, 10) == id)
			return 1;
	return 0;
}

/* The team in v (and, with choose, the assessors to pick from); the
 * team's size, or -1. */
static int
put_team(struct request *req, struct tv *v, long long case_id, int choose)
{
	struct store *s = req->app->store;
	sqlite3_stmt *st;
	struct tv *list, *m;
	long long id;
	int rc, n = 0, nteam;

	st = store_stmt(s, "SELECT a.name, a.email FROM team_member t JOIN "
	    "account a ON a.id = t.account_id WHERE t.case_id = ?1 ORDER BY "
	    "a.name, a.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	list = tv_put_list(v, "team");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_push_map(list);
		tv_put_str(m, "name", store_col_text(st, 0));
		tv_put_str(m, "email", store_col_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	tv_put_bool(v, "has_team", n > 0);
	if (!choose)
		return n;
	nteam = n;
	/* The assessors the lead may pick from. */
	st = store_stmt(s, "SELECT a.id, a.name, a.email, EXISTS (SELECT 1 "
	    "FROM team_member t WHERE t.case_id = ?1 AND t.account_id = a.id) "
	    "FROM account a WHERE a.role = 'assessor' AND a.disabled = 0 "
	    "ORDER BY a.name, a.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	list = tv_put_list(v, "assessors");
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_push_map(list);
		id = sqlite3_column_int64(st, 0);
		tv_put_int(m, "aid", id);
		tv_put_str(m, "name", store_col_text(st, 1));
		tv_put_str(m, "email", store_col_text(st, 2));
		tv_put_bool(m, "checked", req->method == METHOD_POST ?
		    team_checked(req, id) : sqlite3_column_int(st, 3));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_assessors", n > 0);
	return rc == SQLITE_DONE ? nteam : -1;
}

static int
put_files(struct request *req, struct tv *rec, long long case_id,
    long long record_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT rowid, "
	    "filename, mime, size, sha256 FROM assessment_file WHERE "
	    "record_id = ?1 ORDER BY rowid");
	struct tv *list = tv_put_list(rec, "files"), *f;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, record_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		tv_put_int(f, "case_id", case_id);
		tv_put_int(f, "fid", sqlite3_column_int64(st, 0));
		tv_put_str(f, "filename", store_col_text(st, 1));
		tv_put_str(f, "type", strcmp(store_col_text(st, 2),
		    "application/pdf") == 0 ? "PDF" : strcmp(store_col_text(st,
		    2), "image/png") == 0 ? "PNG" : "JPEG");
		tv_put_str(f, "size", human_size(req->arena,
		    sqlite3_column_int64(st, 3)));
		tv_put_str(f, "sha256", store_col_text(st, 4));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(rec, "has_files", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The activity records; their number, or -1. */
static int
put_records(struct request *req, struct tv *v, long long case_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT r.id, r.kind, "
	    "r.finding, a.name, r.at FROM assessment_record r JOIN account a "
	    "ON a.id = r.by_id WHERE r.case_id = ?1 ORDER BY r.id");
	struct tv *list = tv_put_list(v, "records"), *r;
	const char *zh;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = tv_push_map(list);
		tv_put_int(r, "n", n + 1);
		zh = kind_zh(store_col_text(st, 1));
		tv_put_str(r, "kind_zh", zh ? zh : store_col_text(st, 1));
		tv_put_str(r, "finding", store_col_text(st, 2));
		tv_put_str(r, "by", store_col_text(st, 3));
		tv_put_str(r, "at", page_time(req->arena, store_col_text(st,
		    4)));
		if (put_files(req, r, case_id, sqlite3_column_int64(st, 0)) !=
		    0)
			rc = SQLITE_ERROR;
		n++;
		if (rc == SQLITE_ERROR)
			break;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_records", n > 0);
	return rc == SQLITE_DONE ? n : -1;
}

static int
put_audit_conclusion(struct request *req, struct tv *v, long long case_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT c.verdict, "
	    "c.text, a.name, c.at FROM audit_conclusion c JOIN account a ON "
	    "a.id = c.by_id WHERE c.case_id = ?1");
	struct tv *m;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_put_map(v, "conclusion");
		tv_put_str(m, "verdict", store_col_text(st, 0));
		tv_put_str(m, "verdict_zh", verdict_zh(store_col_text(st, 0)));
		tv_put_str(m, "text", store_col_text(st, 1));
		tv_put_str(m, "by", store_col_text(st, 2));
		tv_put_str(m, "at", page_time(req->arena, store_col_text(st,
		    3)));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Options of a choice: {code, zh, checked} with checked from the form. */
static void
put_choices(struct request *req, struct tv *v, const char *key,
    const char *field)
{
	struct tv *list = tv_put_list(v, key), *o;
	const char *sel = posted(req, field);
	static const char *const verdicts[][2] = { { "pass", "通过" },
	    { "fail", "不通过" } };
	size_t i;

	if (strcmp(key, "kinds") == 0) {
		for (i = 0; kinds[i].code != NULL; i++) {
			o = tv_push_map(list);
			tv_put_str(o, "code", kinds[i].code);
			tv_put_str(o, "zh", kinds[i].zh);
			tv_put_bool(o, "checked", sel != NULL &&
			    strcmp(sel, kinds[i].code) == 0);
		}
		return;
	}
	for (i = 0; i < 2; i++) {
		o = tv_push_map(list);
		tv_put_str(o, "code", verdicts[i][0]);
		tv_put_str(o, "zh", verdicts[i][1]);
		tv_put_bool(o, "checked", sel != NULL &&
		    strcmp(sel, verdicts[i][0]) == 0);
	}
}

static const char *
flash(struct request *req)
{
	static const char *const msgs[][2] = {
		{ "plan", "审核计划和项目组已保存。" },
		{ "started", "评估已开始，项目组成员现在可以记录评估活动。" },
		{ "record", "评估活动记录已保存。" },
		{ "concluded", "审核结论已提交，案件进入专家评审；评估结论通知已生成。" },
		{ "panel", "专家已加入专家组。专家须先声明无利益冲突才能查看案件。" },
		{ "declared", "已声明无利益冲突，现在可以查看案件并评审。" },
		{ "reviewed", "专家评审结论已记录；专家评审结论通知已生成。" },
	};
	const char *ok = params_get(&req->query, "ok");
	size_t i;

	if (ok == NULL)
		return NULL;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcmp(ok, msgs[i][0]) == 0)
			return msgs[i][1];
	return NULL;
}

/* The assessment page, with the form f already holding what was typed. */
static int
render_assess(struct request *req, struct response *resp, int status,
    const struct case_info *c, struct tv *v, struct form *f, int act)
{
	int planning = strcmp(c->status, "assessment_planning") == 0;
	int assessing = strcmp(c->status, "assessing") == 0;
	int lead = is_case_lead(req, c), nteam;

	put_case(v, c);
	if (status == 200 && flash(req) != NULL)
		tv_put_str(v, "flash", flash(req));
	tv_put_bool(v, "can_plan", planning && lead);
	if (put_plan(req, v, c->id, req->method != METHOD_POST, f) != 0 ||
	    (nteam = put_team(req, v, c->id, planning && lead)) < 0 ||
	    put_records(req, v, c->id) < 0 ||
	    put_audit_conclusion(req, v, c->id) != 0)
		return 500;
	tv_put_bool(v, "can_start", planning && lead && nteam > 0 &&
	    tv_get(v, "plan") != NULL);
	tv_put_bool(v, "can_record", assessing && act);
	tv_put_bool(v, "can_conclude", assessing && act);
	tv_put_bool(v, "planning", planning);
	tv_put_bool(v, "to_expert", reached(req->app->store, c,
	    expert_statuses, "SELECT 1 FROM panel_member WHERE case_id = ?1 "
	    "AND ?2 = 0"));
	put_choices(req, v, "kinds", "kind");
	put_choices(req, v, "verdicts", "verdict");
	tv_put_str(v, "max_file", human_size(req->arena,
	    (long long)req->app->cfg.max_file));
	return page_render(req, resp, status, "assess_audit", v);
}

static int
page_assess(struct request *req, struct response *resp)
{
	struct case_info c;
	struct form f;
	struct tv *v;
	int rc, act;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "评估 · 案件 %s",
	    c.case_no));
	form_init(&f, req, v);
	return render_assess(req, resp, 200, &c, v, &f, act);
}

/* A date field: YYYY-MM-DD, a real date. */
static int
check_day(struct form *f, const char *name, const char *val, const char *zh,
    zdate *out)
{
	if (*val == '\0') {
		form_error(f, name, arena_printf(f->req->arena, "请填写%s，"
		    "格式为 YYYY-MM-DD，例如 2026-03-02。", zh));
		return -1;
	}
	if (strlen(val) != 10 || date_parse(val, out) != 0) {
		form_error(f, name, arena_printf(f->req->arena, "%s“%s”不是"
		    "有效的日期。请按 YYYY-MM-DD 格式填写，例如 2026-03-02。", zh,
		    val));
		return -1;
	}
	return 0;
}

static void
check_text(struct form *f, const char *name, const char *val,
    const char *empty)
{
	if (*val == '\0' && empty != NULL)
		form_error(f, name, empty);
	else if (strlen(val) > TEXT_MAX)
		form_error(f, name, arena_printf(f->req->arena, "内容过长（最多 "
		    "%d 字节，约 %d 个汉字），请精简后再提交。", TEXT_MAX,
		    TEXT_MAX / 3));
}

static int
page_assess_plan(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const char *start, *end, *method, *tv;
	long long team[TEAM_MAX];
	size_t i, n, nteam = 0;
	struct case_info c;
	struct form f;
	struct tv *v;
	sqlite3_stmt *st;
	char stamp[24];
	zdate ds, de;
	int rc, act, ok;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	if (!is_case_lead(req, &c)) {
		resp->error_message = "只有本案件的项目负责人可以制定审核计划。";
		return 403;
	}
	if (strcmp(c.status, "assessment_planning") != 0)
		return wrong_status(req, resp, &c, "assessment_planning",
		    "修改审核计划");
	v = page_view(req, arena_printf(req->arena, "评估 · 案件 %s",
	    c.case_no));
	form_init(&f, req, v);
	start = form_keep(&f, "start_day");
	end = form_keep(&f, "end_day");
	method = form_keep(&f, "method");
	ok = check_day(&f, "start_day", start, "开始日期", &ds) == 0;
	if (check_day(&f, "end_day", end, "结束日期", &de) == 0 && ok &&
	    date_diff_days(ds, de) < 0)
		form_error(&f, "end_day", arena_printf(req->arena, "结束日期"
		    "（%s）早于开始日期（%s）。请把结束日期改为开始日期当天或之后。",
		    end, start));
	check_text(&f, "method", method, "请填写审核方法：如何开展文档审查、"
	    "人员访谈和实际操作。");
	n = params_count(&req->form, "team");
	for (i = 0; i < n; i++) {
		tv = params_nth(&req->form, "team", i);
		if (nteam == TEAM_MAX) {
			form_error(&f, "team", arena_printf(req->arena,
			    "项目组最多 %d 人，请减少选择。", TEAM_MAX));
			break;
		}
		team[nteam] = strtoll(tv, NULL, 10);
		if ((rc = found(s, "SELECT 1 FROM account WHERE id = ?1 AND "
		    "role = 'assessor' AND disabled = 0 AND ?2 = 0",
		    team[nteam], 0)) < 0)
			return 500;
		if (!rc) {
			form_error(&f, "team", "所选人员中有人不是可用的评估人员，"
			    "请刷新页面后重新选择。");
			break;
		}
		nteam++;
	}
	if (n == 0)
		form_error(&f, "team", "请至少选择一名项目组成员（评估人员）。");
	if (f.nerrors > 0)
		return render_assess(req, resp, 400, &c, v, &f, act);

	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO audit_plan(case_id, start_day, "
	    "end_day, method, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	    "ON CONFLICT(case_id) DO UPDATE SET start_day = excluded.start_day, "
	    "end_day = excluded.end_day, method = excluded.method, "
	    "by_id = excluded.by_id, at = excluded.at");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, start);
	store_bind_text(st, 3, end);
	store_bind_text(st, 4, method);
	store_bind_int(st, 5, req->user->id);
	store_bind_text(st, 6, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	st = store_stmt(s, "DELETE FROM team_member WHERE case_id = ?1");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	for (i = 0; i < nteam; i++) {
		st = store_stmt(s, "INSERT OR IGNORE INTO team_member(case_id, "
		    "account_id) VALUES (?1, ?2)");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, c.id);
		store_bind_int(st, 2, team[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/assessment?ok=plan#plan", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: audit plan: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

static int
page_assess_start(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	enum wf_result r;
	char err[256];
	int rc, act;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	if (!is_case_lead(req, &c)) {
		resp->error_message = "只有本案件的项目负责人可以开始评估。";
		return 403;
	}
	if (strcmp(c.status, "assessment_planning") != 0)
		return wrong_status(req, resp, &c, "assessment_planning",
		    "开始评估");
	if (store_begin(s) != 0)
		return 500;
	if ((r = workflow_move(s, c.id, "assessing", req->user,
	    "按审核计划开始评估", req->now, err, sizeof(err))) != WF_OK)
		return wf_error(req, resp, r, err);
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/assessment?ok=started", c.id));
	return 0;
}

struct good_file {
	const struct upload	*up;
	enum files_kind		 kind;
	char			 hex[FILES_HEX_SIZE];
};

static int
page_assess_record(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct good_file good[RECORD_FILES];
	const struct upload *up;
	const char *kind, *finding, *msg;
	struct case_info c;
	struct form f;
	struct tv *v;
	sqlite3_stmt *st;
	char stamp[24];
	long long rid;
	size_t i, ngood = 0;
	int rc, act;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	if (!act) {
		resp->error_message = "只有本案件的项目负责人和项目组成员可以记录"
		    "评估活动。";
		return 403;
	}
	if (strcmp(c.status, "assessing") != 0)
		return wrong_status(req, resp, &c, "assessing", "记录评估活动");
	v = page_view(req, arena_printf(req->arena, "评估 · 案件 %s",
	    c.case_no));
	form_init(&f, req, v);
	kind = form_keep(&f, "kind");
	finding = form_keep(&f, "finding");
	if (kind_zh(kind) == NULL)
		form_error(&f, "kind", "请选择活动类型：文档审查、人员访谈或实际操作。");
	check_text(&f, "finding", finding, "请填写审查发现：看到了什么，是否"
	    "符合要求。");
	for (i = 0; i < req->files.n; i++) {
		up = &req->files.v[i];
		if (strcmp(up->field, "file") != 0 ||
		    (up->size == 0 && *up->filename == '\0'))
			continue;	/* no file chosen */
		if (ngood == RECORD_FILES) {
			form_error(&f, "file", arena_printf(req->arena, "每条记录"
			    "最多附 %d 个文件，请分多条记录上传。", RECORD_FILES));
			break;
		}
		if (up->size > req->app->cfg.max_file) {
			form_error(&f, "file", arena_printf(req->arena, "文件“%s”"
			    "大小为 %s，超过了每个文件 %s 的限制。请压缩或拆分后重新"
			    "上传。", files_clean_name(req->arena, up->filename),
			    human_size(req->arena, (long long)up->size),
			    human_size(req->arena,
			    (long long)req->app->cfg.max_file)));
			continue;
		}
		if ((msg = files_check(req->arena, up->filename, up->data,
		    up->size, FILES_ANY, &good[ngood].kind)) != NULL) {
			form_error(&f, "file", msg);
			continue;
		}
		good[ngood++].up = up;
	}
	if (f.nerrors > 0)
		return render_assess(req, resp, 400, &c, v, &f, act);

	/* The bytes are durable before any row points at them. */
	for (i = 0; i < ngood; i++)
		if (files_store(req->app->files_dir, good[i].up->data,
		    good[i].up->size, good[i].hex) != 0) {
			perror("zizhi: files_store");
			return 500;
		}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO assessment_record(case_id, kind, "
	    "finding, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, finding);
	store_bind_int(st, 4, req->user->id);
	store_bind_text(st, 5, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	rid = sqlite3_last_insert_rowid(store_db(s));
	for (i = 0; i < ngood; i++) {
		st = store_stmt(s, "INSERT INTO assessment_file(record_id, "
		    "filename, mime, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, rid);
		store_bind_text(st, 2, files_clean_name(req->arena,
		    good[i].up->filename));
		store_bind_text(st, 3, files_mime(good[i].kind));
		store_bind_int(st, 4, (long long)good[i].up->size);
		store_bind_text(st, 5, good[i].hex);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/assessment?ok=record#records", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: assessment record: %s\n",
	    sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

static int
page_assess_file(struct request *req, struct response *resp)
{
	sqlite3_stmt *st;
	struct case_info c;
	const char *name, *mime, *hex;
	int rc, act;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	st = store_stmt(req->app->store, "SELECT f.filename, f.mime, f.sha256 "
	    "FROM assessment_file f JOIN assessment_record r ON r.id = "
	    "f.record_id WHERE f.rowid = ?1 AND r.case_id = ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, strtoll(req->args[1], NULL, 10));
	store_bind_int(st, 2, c.id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	name = arena_strdup(req->arena, store_col_text(st, 0));
	mime = arena_strdup(req->arena, store_col_text(st, 1));
	hex = arena_strdup(req->arena, store_col_text(st, 2));
	sqlite3_reset(st);
	if (files_read(req->app->files_dir, hex, &resp->body) != 0) {
		perror("zizhi: files_read");
		return 500;
	}
	resp->status = 200;
	resp->content_type = mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, name));
	return 0;
}

/* The notice view of the audit conclusion. */
static int
audit_notice(struct request *req, const struct case_info *c,
    const char *verdict, const char *text, int nrec)
{
	struct tv *nv = tv_map(req->arena);
	sqlite3_stmt *st;
	struct buf names;
	int rc;

	tv_put_bool(nv, "audit", 1);
	tv_put_str(nv, "org_name", c->org_name);
	tv_put_str(nv, "verdict_zh", verdict_zh(verdict));
	tv_put_str(nv, "text", text);
	tv_put_int(nv, "nrecords", nrec);
	if (put_plan(req, nv, c->id, 0, NULL) != 0)
		return -1;
	st = store_stmt(req->app->store, "SELECT a.name FROM team_member t "
	    "JOIN account a ON a.id = t.account_id WHERE t.case_id = ?1 "
	    "ORDER BY a.name, a.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	buf_init(&names);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&names, "%s%s", names.n ? "、" : "",
		    store_col_text(st, 0));
	sqlite3_reset(st);
	tv_put_str(nv, "team_names", names.p ? names.p : "");
	buf_free(&names);
	if (rc != SQLITE_DONE)
		return -1;
	/* What was done: "文档审查 2 项、实际操作 1 项". */
	st = store_stmt(req->app->store, "SELECT kind, count(*) FROM "
	    "assessment_record WHERE case_id = ?1 GROUP BY kind ORDER BY "
	    "min(id)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	buf_init(&names);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(&names, "%s%s %d 项", names.n ? "、" : "",
		    kind_zh(store_col_text(st, 0)) ? kind_zh(store_col_text(st,
		    0)) : store_col_text(st, 0), sqlite3_column_int(st, 1));
	sqlite3_reset(st);
	tv_put_str(nv, "kinds_done", names.p ? names.p : "");
	buf_free(&names);
	if (rc != SQLITE_DONE)
		return -1;
	return notice_create(page_ctx(req), c->id, c->case_no, "conclusion",
	    "评估结论通知书", nv, NULL, 0) < 0 ? -1 : 0;
}

static int
page_assess_conclusion(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const char *verdict, *text;
	struct case_info c;
	struct form f;
	struct tv *v;
	sqlite3_stmt *st;
	enum wf_result r;
	char stamp[24], err[256];
	int rc, act, nrec;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = assess_access(req, resp, &c, &act)) != 0)
		return rc;
	if (!act) {
		resp->error_message = "只有本案件的项目负责人和项目组成员可以提交"
		    "审核结论。";
		return 403;
	}
	if (strcmp(c.status, "assessing") != 0)
		return wrong_status(req, resp, &c, "assessing", "提交审核结论");
	v = page_view(req, arena_printf(req->arena, "评估 · 案件 %s",
	    c.case_no));
	form_init(&f, req, v);
	verdict = form_keep(&f, "verdict");
	text = form_keep(&f, "text");
	if (strcmp(verdict, "pass") != 0 && strcmp(verdict, "fail") != 0)
		form_error(&f, "verdict", "请选择审核结论：通过或不通过。");
	check_text(&f, "text", text, "请填写审核结论的说明：依据哪些评估活动、"
	    "得出什么结论。");
	st = store_stmt(s, "SELECT count(*) FROM assessment_record WHERE "
	    "case_id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	nrec = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (nrec == 0)
		form_error(&f, "text", "请先记录至少一项评估活动（文档审查、人员"
		    "访谈或实际操作），再提交审核结论。");
	if (f.nerrors > 0)
		return render_assess(req, resp, 400, &c, v, &f, act);

	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO audit_conclusion(case_id, verdict, "
	    "text, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, verdict);
	store_bind_text(st, 3, text);
	store_bind_int(st, 4, req->user->id);
	store_bind_text(st, 5, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((r = workflow_move(s, c.id, "expert_review", req->user,
	    arena_printf(req->arena, "项目组审核结论：%s", verdict_zh(verdict)),
	    req->now, err, sizeof(err))) != WF_OK)
		return wf_error(req, resp, r, err);
	if (audit_notice(req, &c, verdict, text, nrec) != 0)
		goto fail;
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/assessment?ok=concluded", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: audit conclusion: %s\n",
	    sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

/*
 * The expert review. Who may see it: any lead (the case's own lead
 * manages the panel), the experts on the panel (*panel: 0 before and 1
 * after declaring no conflict of interest) and other staff (read only).
 */
static int
expert_access(struct request *req, struct response *resp,
    const struct case_info *c, int *panel)
{
	*panel = -1;
	if (req->user->role_bit == ROLE_EXPERT) {
		if ((*panel = panel_state(req->app->store, c->id,
		    req->user->id)) == -2)
			return 500;
		if (*panel < 0) {
			resp->error_message = "您不是本案件专家组的成员，不能查看"
			    "本案件。如需参加评审，请联系本案件的项目负责人。";
			return 403;
		}
	}
	if (!reached(req->app->store, c, expert_statuses, "SELECT 1 FROM "
	    "panel_member WHERE case_id = ?1 AND ?2 = 0")) {
		resp->error_message = arena_printf(req->arena, "案件当前状态为"
		    "“%s”，尚未进入专家评审（项目组提交审核结论后进入）。",
		    status_words(c->status));
		return 409;
	}
	return 0;
}

static int
put_panel(struct request *req, struct tv *v, long long case_id, int choose)
{
	struct store *s = req->app->store;
	sqlite3_stmt *st;
	struct tv *list, *m;
	int rc, n = 0;

	st = store_stmt(s, "SELECT a.name, p.declared_at FROM panel_member p "
	    "JOIN account a ON a.id = p.account_id WHERE p.case_id = ?1 "
	    "ORDER BY a.name, a.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	list = tv_put_list(v, "panel");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_push_map(list);
		tv_put_str(m, "name", store_col_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			tv_put_str(m, "declared", page_time(req->arena,
			    store_col_text(st, 1)));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	tv_put_bool(v, "has_panel", n > 0);
	if (!choose)
		return 0;
	/* Experts not yet on the panel; those on the team are marked. */
	st = store_stmt(s, "SELECT a.id, a.name, a.email, EXISTS (SELECT 1 "
	    "FROM team_member t WHERE t.case_id = ?1 AND t.account_id = a.id) "
	    "FROM account a WHERE a.role = 'expert' AND a.disabled = 0 AND "
	    "NOT EXISTS (SELECT 1 FROM panel_member p WHERE p.case_id = ?1 AND "
	    "p.account_id = a.id) ORDER BY a.name, a.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	list = tv_put_list(v, "experts");
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_push_map(list);
		tv_put_int(m, "aid", sqlite3_column_int64(st, 0));
		tv_put_str(m, "name", store_col_text(st, 1));
		tv_put_str(m, "email", store_col_text(st, 2));
		tv_put_bool(m, "on_team", sqlite3_column_int(st, 3));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_experts", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
put_expert_conclusion(struct request *req, struct tv *v, long long case_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT c.verdict, "
	    "c.reasons, a.name, c.at FROM expert_conclusion c JOIN account a "
	    "ON a.id = c.by_id WHERE c.case_id = ?1");
	struct tv *m;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = tv_put_map(v, "review");
		tv_put_str(m, "verdict", store_col_text(st, 0));
		tv_put_str(m, "verdict_zh", verdict_zh(store_col_text(st, 0)));
		tv_put_str(m, "reasons", store_col_text(st, 1));
		tv_put_str(m, "by", store_col_text(st, 2));
		tv_put_str(m, "at", page_time(req->arena, store_col_text(st,
		    3)));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int
render_expert(struct request *req, struct response *resp, int status,
    const struct case_info *c, struct tv *v, int panel)
{
	int reviewing = strcmp(c->status, "expert_review") == 0;
	int lead = is_case_lead(req, c);

	put_case(v, c);
	if (status == 200 && flash(req) != NULL)
		tv_put_str(v, "flash", flash(req));
	if (panel == 0) {
		/* Nothing of the case before the declaration. */
		tv_put_bool(v, "can_declare", reviewing);
		return page_render(req, resp, status, "assess_declare", v);
	}
	tv_put_bool(v, "can_add", reviewing && lead);
	tv_put_bool(v, "can_review", reviewing && panel == 1);
	if (put_panel(req, v, c->id, reviewing && lead) != 0 ||
	    put_plan(req, v, c->id, 0, NULL) != 0 ||
	    put_team(req, v, c->id, 0) < 0 ||
	    put_records(req, v, c->id) < 0 ||
	    put_audit_conclusion(req, v, c->id) != 0 ||
	    put_expert_conclusion(req, v, c->id) != 0)
		return 500;
	put_choices(req, v, "verdicts", "verdict");
	return page_render(req, resp, status, "assess_expert", v);
}

static struct tv *
expert_view(struct request *req, const struct case_info *c, int panel)
{
	return page_view(req, panel == 0 ? "专家评审 · 利益冲突声明" :
	    arena_printf(req->arena, "专家评审 · 案件 %s", c->case_no));
}

static int
page_expert(struct request *req, struct response *resp)
{
	struct case_info c;
	struct form f;
	struct tv *v;
	int rc, panel;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = expert_access(req, resp, &c, &panel)) != 0)
		return rc;
	v = expert_view(req, &c, panel);
	form_init(&f, req, v);
	return render_expert(req, resp, 200, &c, v, panel);
}

static int
page_expert_panel(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct form f;
	struct tv *v;
	sqlite3_stmt *st;
	const char *aid;
	long long id;
	int rc, panel;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = expert_access(req, resp, &c, &panel)) != 0)
		return rc;
	if (!is_case_lead(req, &c)) {
		resp->error_message = "只有本案件的项目负责人可以组建专家组。";
		return 403;
	}
	if (strcmp(c.status, "expert_review") != 0)
		return wrong_status(req, resp, &c, "expert_review",
		    "增加专家组成员");
	v = expert_view(req, &c, panel);
	form_init(&f, req, v);
	aid = form_keep(&f, "account_id");
	id = strtoll(aid, NULL, 10);
	if ((rc = found(s, "SELECT 1 FROM account WHERE id = ?1 AND role = "
	    "'expert' AND disabled = 0 AND ?2 = 0", id, 0)) < 0)
		return 500;
	if (!rc) {
		form_error(&f, "account_id", "请从列表中选择一位专家。");
		return render_expert(req, resp, 400, &c, v, panel);
	}
	if ((rc = on_team(s, c.id, id)) < 0)
		return 500;
	if (rc) {
		resp->error_message = "该专家是本案件项目组的成员。按照职责分离"
		    "的要求，项目组成员不能参加本案件的专家评审，请选择其他专家。";
		return 409;
	}
	st = store_stmt(s, "INSERT OR IGNORE INTO panel_member(case_id, "
	    "account_id, added_by) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, req->user->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/expert?ok=panel#panel", c.id));
	return 0;
}

static int
page_expert_declare(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct form f;
	struct tv *v;
	sqlite3_stmt *st;
	char stamp[24];
	int rc, panel;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = expert_access(req, resp, &c, &panel)) != 0)
		return rc;
	if (strcmp(c.status, "expert_review") != 0)
		return wrong_status(req, resp, &c, "expert_review",
		    "声明无利益冲突");
	if (panel == 1) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/expert", c.id));
		return 0;
	}
	if (params_get(&req->form, "confirm") == NULL) {
		v = expert_view(req, &c, panel);
		form_init(&f, req, v);
		form_error(&f, "confirm", "请勾选声明：与申请单位无利益冲突。"
		    "如存在利益冲突，请不要勾选，并告知项目负责人另选专家。");
		return render_expert(req, resp, 400, &c, v, panel);
	}
	date_stamp(req->now, stamp);
	st = store_stmt(s, "UPDATE panel_member SET declared_at = ?3 WHERE "
	    "case_id = ?1 AND account_id = ?2 AND declared_at IS NULL");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, req->user->id);
	store_bind_text(st, 3, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/expert?ok=declared", c.id));
	return 0;
}

static int
page_expert_conclusion(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const char *verdict, *reasons, *to;
	struct case_info c;
	struct form f;
	struct tv *v, *nv;
	sqlite3_stmt *st;
	enum wf_result r;
	char stamp[24], err[256];
	int rc, panel, pass;

	if ((rc = case_get_arg(req, 0, &c)) != 0 ||
	    (rc = expert_access(req, resp, &c, &panel)) != 0)
		return rc;
	if (panel != 1) {
		resp->error_message = "请先声明与本案件无利益冲突，再记录评审结论。";
		return 403;
	}
	if (strcmp(c.status, "expert_review") != 0)
		return wrong_status(req, resp, &c, "expert_review",
		    "记录专家评审结论");
	v = expert_view(req, &c, panel);
	form_init(&f, req, v);
	verdict = form_keep(&f, "verdict");
	reasons = form_keep(&f, "reasons");
	pass = strcmp(verdict, "pass") == 0;
	if (!pass && strcmp(verdict, "fail") != 0)
		form_error(&f, "verdict", "请选择评审结论：通过或不通过。");
	check_text(&f, "reasons", reasons, strcmp(verdict, "fail") == 0 ?
	    "评审不通过时须写明理由：哪些证据不充分、哪些结论不合理。申请单位"
	    "将在通知中看到理由，并可据此申诉。" : NULL);
	if (f.nerrors > 0)
		return render_expert(req, resp, 400, &c, v, panel);

	to = pass ? "certificate_pending" : "failed";
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO expert_conclusion(case_id, verdict, "
	    "reasons, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, verdict);
	store_bind_text(st, 3, reasons);
	store_bind_int(st, 4, req->user->id);
	store_bind_text(st, 5, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((r = workflow_move(s, c.id, to, req->user, arena_printf(req->arena,
	    "专家评审结论：%s", verdict_zh(verdict)), req->now, err,
	    sizeof(err))) != WF_OK)
		return wf_error(req, resp, r, err);
	nv = tv_map(req->arena);
	tv_put_bool(nv, "expert", 1);
	tv_put_bool(nv, "pass", pass);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "verdict_zh", verdict_zh(verdict));
	tv_put_str(nv, "reasons", reasons);
	if (notice_create(page_ctx(req), c.id, c.case_no, "conclusion",
	    "专家评审结论通知书", nv, NULL, 0) < 0)
		goto fail;
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/expert?ok=reviewed", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: expert conclusion: %s\n",
	    sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

const struct route routes_assess[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/assessment", page_assess, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/assessment/plan", page_assess_plan,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/start", page_assess_start,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/assessment/records", page_assess_record,
	    ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ METHOD_GET,	"/cases/{n}/assessment/files/{n}", page_assess_file,
	    ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/assessment/conclusion",
	    page_assess_conclusion, ROLE_LEAD | ROLE_ASSESSOR, 1 },
	{ METHOD_GET,	"/cases/{n}/expert", page_expert, ROLES_STAFF, 0 },
	{ METHOD_POST,	"/cases/{n}/expert/panel", page_expert_panel,
	    ROLE_LEAD, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/declare", page_expert_declare,
	    ROLE_EXPERT, 1 },
	{ METHOD_POST,	"/cases/{n}/expert/conclusion",
	    page_expert_conclusion, ROLE_EXPERT, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
