/*
 * pages_supervise.c: supervision (§7). Appeals (申诉): an applicant files a
 * written appeal, with optional files, against a refusal (不予受理) or a
 * failed review (未通过); a supervisor who took no part in the case takes
 * it and records a conclusion. Complaints (投诉) against an organisation:
 * recorded, then their handling recorded. Sanctions (§6) live elsewhere.
 *
 * Upholding an appeal changes nothing else on its own: the guide leaves
 * what follows to the centre, and the pages say so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "date.h"
#include "files.h"
#include "page.h"
#include "pages.h"
#include "router.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_supervise[];

#define TEXT_MAX	5000	/* characters of an appeal or a handling */
#define NAME_MAX_CH	100	/* characters of a name */
#define APPEAL_FILES	10	/* files with one appeal */
#define PER_PAGE	20

/* Length in characters of UTF-8 text. */
static size_t
nchars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* 1 when s has something other than spaces and line breaks. */
static int
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr(" \t\r\n", *s) == NULL)
			return 0;
	return 1;
}

static long long
page_arg(struct request *req)
{
	const char *p = params_get(&req->query, "page");
	long long page = p ? strtoll(p, NULL, 10) : 1;

	return page < 1 || page > 1000000 ? 1 : page;
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

static int
appealable(const char *status)
{
	return strcmp(status, "rejected") == 0 ||
	    strcmp(status, "failed") == 0;
}

/* ------------------------------------------------------------------ */
/* Appeals: shared pieces                                              */

struct appeal {
	long long	 id;
	long long	 case_id;
	const char	*text;
	const char	*filed_by;
	const char	*filed_at;
	long long	 handler_id;	/* 0: not taken */
	const char	*handler;
	const char	*conclusion;	/* NULL: open */
	int		 upheld;
	const char	*concluded_at;
};

static const char *
appeal_state_zh(const struct appeal *a)
{
	if (a->conclusion != NULL)
		return a->upheld ? "已办结：申诉成立" : "已办结：申诉不成立";
	return a->handler_id ? "办理中" : "待办理";
}

#define APPEAL_SELECT "a.id, a.case_id, a.text, f.name, a.filed_at, " \
	"coalesce(a.handler_id, 0), coalesce(h.name, ''), a.conclusion, " \
	"coalesce(a.upheld, 0), coalesce(a.concluded_at, '') "
#define APPEAL_FROM "FROM appeal a JOIN account f ON f.id = a.filed_by " \
	"LEFT JOIN account h ON h.id = a.handler_id "
#define APPEAL_COLS APPEAL_SELECT APPEAL_FROM

static void
appeal_row(struct request *req, sqlite3_stmt *st, struct appeal *a)
{
	struct arena *ar = req->arena;

	a->id = sqlite3_column_int64(st, 0);
	a->case_id = sqlite3_column_int64(st, 1);
	a->text = arena_strdup(ar, store_col_text(st, 2));
	a->filed_by = arena_strdup(ar, store_col_text(st, 3));
	a->filed_at = arena_strdup(ar, store_col_text(st, 4));
	a->handler_id = sqlite3_column_int64(st, 5);
	a->handler = arena_strdup(ar, store_col_text(st, 6));
	a->conclusion = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL :
	    arena_strdup(ar, store_col_text(st, 7));
	a->upheld = sqlite3_column_int(st, 8);
	a->concluded_at = arena_strdup(ar, store_col_text(st, 9));
}

/* Loads appeal id: 0, 404 or 500. */
static int
appeal_get(struct request *req, long long id, struct appeal *a)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT " APPEAL_COLS
	    "WHERE a.id = ?1");
	int rc;

	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		appeal_row(req, st, a);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 404 : 500;
}

static int
put_appeal_files(struct request *req, struct tv *row, long long aid)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT rowid, "
	    "filename, mime, size FROM appeal_file WHERE appeal_id = ?1 "
	    "ORDER BY rowid");
	struct tv *list = tv_put_list(row, "files"), *f;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, aid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		tv_put_str(f, "href", arena_printf(req->arena,
		    "/appeals/%lld/files/%lld", aid,
		    (long long)sqlite3_column_int64(st, 0)));
		tv_put_str(f, "filename", store_col_text(st, 1));
		tv_put_str(f, "size", human_size(req->arena,
		    sqlite3_column_int64(st, 3)));
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(row, "has_files", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The view of an appeal; staff also see who handles it. */
static int
put_appeal(struct request *req, struct tv *row, const struct appeal *a,
    int staff)
{
	tv_put_int(row, "aid", a->id);
	tv_put_str(row, "text", a->text);
	tv_put_str(row, "filed_by", a->filed_by);
	tv_put_str(row, "filed_at", page_time(req->arena, a->filed_at));
	tv_put_str(row, "state_zh", appeal_state_zh(a));
	tv_put_bool(row, "concluded", a->conclusion != NULL);
	tv_put_bool(row, "upheld", a->upheld);
	tv_put_str(row, "conclusion", a->conclusion ? a->conclusion : "");
	tv_put_str(row, "concluded_at", page_time(req->arena,
	    a->concluded_at));
	if (staff)
		tv_put_str(row, "handler", a->handler);
	return put_appeal_files(req, row, a->id);
}

/* The case's appeals, newest first: appeals, has_appeals; the number of
 * open ones, or -1. */
static int
put_case_appeals(struct request *req, struct tv *v, long long case_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT " APPEAL_COLS
	    "WHERE a.case_id = ?1 ORDER BY a.id DESC");
	struct tv *list = tv_put_list(v, "appeals");
	struct appeal a[32];
	size_t n = 0, i;
	int rc, open = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 32)
		appeal_row(req, st, &a[n++]);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -1;
	for (i = 0; i < n; i++) {
		if (put_appeal(req, tv_push_map(list), &a[i], 0) != 0)
			return -1;
		if (a[i].conclusion == NULL)
			open++;
	}
	tv_put_bool(v, "has_appeals", n > 0);
	return open;
}

int
supervise_case_appeals(struct request *req, struct tv *v,
    const struct case_info *c)
{
	int open;

	if ((open = put_case_appeals(req, v, c->id)) < 0)
		return -1;
	tv_put_bool(v, "can_appeal", req->user->org_id != 0 &&
	    appealable(c->status) && open == 0);
	tv_put_str(v, "appeal_href", arena_printf(req->arena,
	    "/cases/%lld/appeal", c->id));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Appeals: the applicant                                              */

static int
render_appeal_form(struct request *req, struct response *resp, int status,
    const struct case_info *c, struct tv *v)
{
	int open;

	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "status_zh", status_words(c->status));
	if ((open = put_case_appeals(req, v, c->id)) < 0)
		return 500;
	tv_put_bool(v, "has_open", open > 0);
	tv_put_bool(v, "can_file", appealable(c->status) && open == 0);
	tv_put_int(v, "text_max", TEXT_MAX);
	tv_put_int(v, "files_max", APPEAL_FILES);
	tv_put_str(v, "max_file", human_size(req->arena,
	    (long long)req->app->cfg.max_file));
	tv_put_bool(v, "filed", params_get(&req->query, "filed") != NULL);
	return page_render(req, resp, status, "supervise_appeal_file", v);
}

static int
appeal_form(struct request *req, struct response *resp)
{
	struct case_info c;
	sqlite3_stmt *st;
	struct tv *v;
	struct form f;
	int rc, n;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	st = store_stmt(req->app->store, "SELECT count(*) FROM appeal WHERE "
	    "case_id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	if (n < 0)
		return 500;
	/* Nothing to show and nothing to do: say why. */
	if (n == 0 && !appealable(c.status)) {
		resp->error_message = arena_printf(req->arena, "只有“不予受理”"
		    "或“未通过”的案件可以申诉，本案件当前状态为“%s”。如对办理"
		    "有疑问，请联系项目负责人。", status_words(c.status));
		return 409;
	}
	v = page_view(req, "申诉");
	form_init(&f, req, v);
	form_value(&f, "text", "");
	return render_appeal_form(req, resp, 200, &c, v);
}

static int
appeal_post(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const struct upload *ups[APPEAL_FILES];
	enum files_kind kinds[APPEAL_FILES];
	char hex[APPEAL_FILES][FILES_HEX_SIZE], stamp[24];
	const struct upload *up;
	const char *text, *msg;
	struct case_info c;
	sqlite3_stmt *st;
	struct tv *v;
	struct form f;
	long long aid;
	size_t i, nup = 0;
	int rc, open;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (!appealable(c.status)) {
		resp->error_message = arena_printf(req->arena, "只有“不予受理”"
		    "或“未通过”的案件可以申诉，本案件当前状态为“%s”。如对办理"
		    "有疑问，请联系项目负责人。", status_words(c.status));
		return 409;
	}
	st = store_stmt(s, "SELECT count(*) FROM appeal WHERE case_id = ?1 "
	    "AND concluded_at IS NULL");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	open = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	if (open < 0)
		return 500;
	if (open > 0) {
		resp->error_message = "本案件已有一份申诉正在办理。请等待监督部门"
		    "的结论后，再决定是否提出新的申诉。";
		return 409;
	}
	v = page_view(req, "申诉");
	form_init(&f, req, v);
	text = form_keep(&f, "text");
	if (blank(text))
		form_error(&f, "text", "请填写申诉内容：对哪一项结论有异议，以及"
		    "理由和依据。");
	else if (nchars(text) > TEXT_MAX)
		form_error(&f, "text", arena_printf(req->arena, "申诉内容请控制在 "
		    "%d 字以内（现为 %zu 字）；详细材料可作为附件上传。",
		    TEXT_MAX, nchars(text)));
	for (i = 0; i < req->files.n; i++) {
		up = &req->files.v[i];
		if (strcmp(up->field, "files") != 0 ||
		    (up->size == 0 && (up->filename == NULL ||
		    *up->filename == '\0')))
			continue;	/* an empty file input */
		if (nup == APPEAL_FILES) {
			form_error(&f, "files", arena_printf(req->arena,
			    "每份申诉最多附 %d 个文件。请合并后重新选择。",
			    APPEAL_FILES));
			break;
		}
		if (up->size > req->app->cfg.max_file) {
			form_error(&f, "files", arena_printf(req->arena,
			    "文件“%s”大小为 %s，超过了每个文件 %s 的限制。请压缩"
			    "或拆分后重新选择。", files_clean_name(req->arena,
			    up->filename), human_size(req->arena,
			    (long long)up->size), human_size(req->arena,
			    (long long)req->app->cfg.max_file)));
			continue;
		}
		if ((msg = files_check(req->arena, up->filename, up->data,
		    up->size, FILES_ANY, &kinds[nup])) != NULL) {
			form_error(&f, "files", msg);
			continue;
		}
		ups[nup++] = up;
	}
	if (f.nerrors > 0) {
		if (nup > 0 || tv_get(tv_get(f.fields, "files"), "error"))
			tv_put_bool(v, "reselect", 1);
		return render_appeal_form(req, resp, 400, &c, v);
	}
	/* The bytes are durable before any row points at them. */
	for (i = 0; i < nup; i++)
		if (files_store(req->app->files_dir, ups[i]->data,
		    ups[i]->size, hex[i]) != 0) {
			perror("zizhi: files_store");
			return 500;
		}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "INSERT INTO appeal(case_id, text, filed_by, "
	    "filed_at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, text);
	store_bind_int(st, 3, req->user->id);
	store_bind_text(st, 4, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	aid = sqlite3_last_insert_rowid(store_db(s));
	for (i = 0; i < nup; i++) {
		st = store_stmt(s, "INSERT INTO appeal_file(appeal_id, "
		    "filename, mime, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, aid);
		store_bind_text(st, 2, files_clean_name(req->arena,
		    ups[i]->filename));
		store_bind_text(st, 3, files_mime(kinds[i]));
		store_bind_int(st, 4, (long long)ups[i]->size);
		store_bind_text(st, 5, hex[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/appeal?filed=1", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: appeal: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

/* A file of an appeal: the applicant of the case, or a supervisor. */
static int
appeal_file(struct request *req, struct response *resp)
{
	struct appeal a;
	struct case_info c;
	sqlite3_stmt *st;
	const char *name, *mime;
	char hex[FILES_HEX_SIZE];
	int rc;

	if ((rc = appeal_get(req, strtoll(req->args[0], NULL, 10), &a)) != 0)
		return rc;
	if ((rc = case_get(req, a.case_id, &c)) != 0)
		return rc;
	st = store_stmt(req->app->store, "SELECT filename, mime, sha256 FROM "
	    "appeal_file WHERE rowid = ?1 AND appeal_id = ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, strtoll(req->args[1], NULL, 10));
	store_bind_int(st, 2, a.id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	name = arena_strdup(req->arena, store_col_text(st, 0));
	mime = arena_strdup(req->arena, store_col_text(st, 1));
	snprintf(hex, sizeof(hex), "%s", store_col_text(st, 2));
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

/* ------------------------------------------------------------------ */
/* Appeals: the supervisor                                             */

static int
appeals_list(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "申诉"), *list, *row;
	long long page = page_arg(req), total = 0, open = 0;
	sqlite3_stmt *st;
	struct appeal a;
	int rc;

	st = store_stmt(s, "SELECT count(*), coalesce(sum(concluded_at IS "
	    "NULL), 0) FROM appeal");
	if (st == NULL)
		return 500;
	if (sqlite3_step(st) == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
		open = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	/* Open ones first, oldest first; then the concluded, newest first. */
	st = store_stmt(s, "SELECT " APPEAL_SELECT ", coalesce(c.case_no, "
	    "''), o.name, c.status " APPEAL_FROM
	    "JOIN cases c ON c.id = a.case_id JOIN org o ON o.id = c.org_id "
	    "ORDER BY a.concluded_at IS NOT NULL, "
	    "CASE WHEN a.concluded_at IS NULL THEN a.id ELSE -a.id END "
	    "LIMIT ?1 OFFSET ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, PER_PAGE);
	store_bind_int(st, 2, (page - 1) * PER_PAGE);
	list = tv_put_list(v, "appeals");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		appeal_row(req, st, &a);
		row = tv_push_map(list);
		tv_put_int(row, "aid", a.id);
		tv_put_str(row, "case_no", store_col_text(st, 10));
		tv_put_str(row, "org_name", store_col_text(st, 11));
		tv_put_str(row, "case_status_zh", status_words(store_col_text(st,
		    12)));
		tv_put_str(row, "filed_at", page_time(req->arena, a.filed_at));
		tv_put_str(row, "state_zh", appeal_state_zh(&a));
		tv_put_bool(row, "open", a.conclusion == NULL);
		tv_put_str(row, "handler", a.handler);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_int(v, "total", total);
	tv_put_int(v, "open", open);
	tv_put_bool(v, "has_appeals", total > 0);
	page_pager(req, v, "/appeals", page, total, PER_PAGE);
	return page_render(req, resp, 200, "supervise_appeals", v);
}

/*
 * Why user took part in the case (separation of duties), or NULL when
 * they did not; "" on a database error.
 */
static const char *
involvement(struct request *req, long long case_id, long long uid)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT "
	    "EXISTS (SELECT 1 FROM event WHERE case_id = ?1 AND actor_id = ?2), "
	    "EXISTS (SELECT 1 FROM cases WHERE id = ?1 AND lead_id = ?2), "
	    "EXISTS (SELECT 1 FROM finding WHERE case_id = ?1 AND by_id = ?2), "
	    "EXISTS (SELECT 1 FROM team_member WHERE case_id = ?1 AND "
	    "account_id = ?2) OR EXISTS (SELECT 1 FROM audit_plan WHERE "
	    "case_id = ?1 AND by_id = ?2) OR EXISTS (SELECT 1 FROM "
	    "assessment_record WHERE case_id = ?1 AND by_id = ?2), "
	    "EXISTS (SELECT 1 FROM audit_conclusion WHERE case_id = ?1 AND "
	    "by_id = ?2), "
	    "EXISTS (SELECT 1 FROM panel_member WHERE case_id = ?1 AND "
	    "account_id = ?2) OR EXISTS (SELECT 1 FROM expert_conclusion "
	    "WHERE case_id = ?1 AND by_id = ?2)");
	static const char *const why[] = {
		"您在本案件的办理记录中出现过（曾变更案件状态）",
		"您是本案件的项目负责人",
		"您对本案件作出过受理审查意见",
		"您是本案件评估组的成员",
		"您作出过本案件的审核结论",
		"您是本案件专家评审组的成员",
	};
	const char *r = NULL;
	int i;

	if (st == NULL)
		return "";
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, uid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return "";
	}
	for (i = 0; i < 6 && r == NULL; i++)
		if (sqlite3_column_int(st, i))
			r = why[i];
	sqlite3_reset(st);
	if (r == NULL)
		return NULL;
	return arena_printf(req->arena, "%s，按回避要求不能办理针对本案件的申诉。"
	    "请由未参与本案件的其他监督人员办理。", r);
}

static int
put_timeline(struct request *req, struct tv *v, long long id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT e.at, "
	    "coalesce(a.name, '系统'), coalesce(a.role, ''), "
	    "coalesce(e.from_status, ''), e.to_status, e.reason FROM event e "
	    "LEFT JOIN account a ON a.id = e.actor_id WHERE e.case_id = ?1 "
	    "ORDER BY e.id");
	struct tv *list = tv_put_list(v, "events"), *row;
	const char *zh;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_str(row, "at", page_time(req->arena,
		    store_col_text(st, 0)));
		tv_put_str(row, "actor", store_col_text(st, 1));
		zh = role_zh(store_col_text(st, 2));
		tv_put_str(row, "actor_role", zh ? zh : "");
		if (*store_col_text(st, 3) != '\0')
			tv_put_str(row, "from_zh", status_words(store_col_text(st,
			    3)));
		tv_put_str(row, "to_zh", status_words(store_col_text(st, 4)));
		tv_put_str(row, "reason", store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
verdict_zh(const char *v)
{
	if (strcmp(v, "ok") == 0)
		return "符合";
	if (strcmp(v, "supplement") == 0)
		return "需补正";
	if (strcmp(v, "fail") == 0)
		return "不符合";
	if (strcmp(v, "pass") == 0)
		return "通过";
	return "不通过";
}

/* The findings and conclusions the appeal is about. */
static int
put_review(struct request *req, struct tv *v, long long id)
{
	struct store *s = req->app->store;
	struct tv *list = tv_put_list(v, "findings"), *row;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, "SELECT f.round_n, f.area, f.verdict, f.comment, "
	    "a.name, f.at FROM finding f JOIN account a ON a.id = f.by_id "
	    "WHERE f.case_id = ?1 ORDER BY f.round_n, f.id");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_int(row, "round", sqlite3_column_int64(st, 0));
		tv_put_str(row, "area", store_col_text(st, 1));
		tv_put_str(row, "verdict", store_col_text(st, 2));
		tv_put_str(row, "verdict_zh", verdict_zh(store_col_text(st,
		    2)));
		tv_put_str(row, "comment", store_col_text(st, 3));
		tv_put_str(row, "by", store_col_text(st, 4));
		tv_put_str(row, "at", page_time(req->arena,
		    store_col_text(st, 5)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = store_stmt(s, "SELECT 'audit', c.verdict, c.text, a.name, c.at "
	    "FROM audit_conclusion c JOIN account a ON a.id = c.by_id "
	    "WHERE c.case_id = ?1 UNION ALL SELECT 'expert', c.verdict, "
	    "c.reasons, a.name, c.at FROM expert_conclusion c JOIN account a "
	    "ON a.id = c.by_id WHERE c.case_id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	list = tv_put_list(v, "conclusions");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		tv_put_str(row, "kind_zh", strcmp(store_col_text(st, 0),
		    "audit") == 0 ? "评估组审核结论" : "专家评审结论");
		tv_put_str(row, "verdict", store_col_text(st, 1));
		tv_put_str(row, "verdict_zh", verdict_zh(store_col_text(st,
		    1)));
		tv_put_str(row, "text", store_col_text(st, 2));
		tv_put_str(row, "by", store_col_text(st, 3));
		tv_put_str(row, "at", page_time(req->arena,
		    store_col_text(st, 4)));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
render_appeal(struct request *req, struct response *resp, int status,
    const struct appeal *a, struct tv *v)
{
	struct case_info c;
	const char *why;
	int rc;

	if ((rc = case_get(req, a->case_id, &c)) != 0)
		return rc;
	if ((why = involvement(req, c.id, req->user->id)) != NULL &&
	    *why == '\0')
		return 500;
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_str(v, "lead_name", c.lead_name);
	tv_put_str(v, "case_status_zh", status_words(c.status));
	if (put_appeal(req, tv_put_map(v, "appeal"), a, 1) != 0 ||
	    put_timeline(req, v, c.id) != 0 || put_review(req, v, c.id) != 0)
		return 500;
	tv_put_str(v, "conflict", why ? why : "");
	tv_put_bool(v, "can_take", why == NULL && a->conclusion == NULL &&
	    a->handler_id == 0);
	tv_put_bool(v, "can_conclude", why == NULL && a->conclusion == NULL &&
	    (a->handler_id == 0 || a->handler_id == req->user->id));
	tv_put_bool(v, "other_handler", a->conclusion == NULL &&
	    a->handler_id != 0 && a->handler_id != req->user->id);
	tv_put_bool(v, "concluded_now", params_get(&req->query,
	    "concluded") != NULL);
	tv_put_int(v, "text_max", TEXT_MAX);
	return page_render(req, resp, status, "supervise_appeal", v);
}

static int
appeal_show(struct request *req, struct response *resp)
{
	struct appeal a;
	struct tv *v;
	struct form f;
	int rc;

	if ((rc = appeal_get(req, strtoll(req->args[0], NULL, 10), &a)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "申诉 #%lld", a.id));
	form_init(&f, req, v);
	form_value(&f, "conclusion", "");
	return render_appeal(req, resp, 200, &a, v);
}

/* The checks before taking or concluding: 0, or a status with a message. */
static int
may_handle(struct request *req, struct response *resp, const struct appeal *a)
{
	const char *why = involvement(req, a->case_id, req->user->id);

	if (why != NULL && *why == '\0')
		return 500;
	if (why != NULL) {
		resp->error_message = why;
		return 403;
	}
	if (a->conclusion != NULL) {
		resp->error_message = "此申诉已办结，结论不能再修改。";
		return 409;
	}
	if (a->handler_id != 0 && a->handler_id != req->user->id) {
		resp->error_message = arena_printf(req->arena, "此申诉已由%s办理，"
		    "请勿重复办理。如需转办，请与%s联系。", a->handler,
		    a->handler);
		return 409;
	}
	return 0;
}

static int
appeal_take(struct request *req, struct response *resp)
{
	sqlite3_stmt *st;
	struct appeal a;
	int rc;

	if ((rc = appeal_get(req, strtoll(req->args[0], NULL, 10), &a)) != 0)
		return rc;
	if ((rc = may_handle(req, resp, &a)) != 0)
		return rc;
	st = store_stmt(req->app->store, "UPDATE appeal SET handler_id = ?2 "
	    "WHERE id = ?1 AND concluded_at IS NULL AND (handler_id IS NULL "
	    "OR handler_id = ?2)");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, a.id);
	store_bind_int(st, 2, req->user->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	if (sqlite3_changes(store_db(req->app->store)) != 1) {
		resp->error_message = "此申诉刚刚已由其他监督人员办理，请刷新页面"
		    "查看。";
		return 409;
	}
	response_redirect(resp, arena_printf(req->arena, "/appeals/%lld",
	    a.id));
	return 0;
}

static int
appeal_conclude(struct request *req, struct response *resp)
{
	const char *upheld, *text;
	char stamp[24];
	sqlite3_stmt *st;
	struct appeal a;
	struct tv *v;
	struct form f;
	int rc;

	if ((rc = appeal_get(req, strtoll(req->args[0], NULL, 10), &a)) != 0)
		return rc;
	if ((rc = may_handle(req, resp, &a)) != 0)
		return rc;
	v = page_view(req, arena_printf(req->arena, "申诉 #%lld", a.id));
	form_init(&f, req, v);
	upheld = form_keep(&f, "upheld");
	text = form_keep(&f, "conclusion");
	if (strcmp(upheld, "1") != 0 && strcmp(upheld, "0") != 0)
		form_error(&f, "upheld", "请选择申诉是否成立。");
	else
		tv_put_bool(v, strcmp(upheld, "1") == 0 ? "upheld_yes" :
		    "upheld_no", 1);
	if (blank(text))
		form_error(&f, "conclusion", "请填写调查情况和结论的理由。");
	else if (nchars(text) > TEXT_MAX)
		form_error(&f, "conclusion", arena_printf(req->arena, "结论请控制"
		    "在 %d 字以内（现为 %zu 字）。", TEXT_MAX, nchars(text)));
	if (f.nerrors > 0)
		return render_appeal(req, resp, 400, &a, v);
	date_stamp(req->now, stamp);
	st = store_stmt(req->app->store, "UPDATE appeal SET handler_id = ?2, "
	    "upheld = ?3, conclusion = ?4, concluded_at = ?5 WHERE id = ?1 AND "
	    "concluded_at IS NULL AND (handler_id IS NULL OR handler_id = ?2)");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, a.id);
	store_bind_int(st, 2, req->user->id);
	store_bind_int(st, 3, strcmp(upheld, "1") == 0);
	store_bind_text(st, 4, text);
	store_bind_text(st, 5, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	if (sqlite3_changes(store_db(req->app->store)) != 1) {
		resp->error_message = "此申诉刚刚已由其他监督人员办理或办结，请刷新"
		    "页面查看。";
		return 409;
	}
	response_redirect(resp, arena_printf(req->arena,
	    "/appeals/%lld?concluded=1", a.id));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Complaints                                                          */

/* The organisations holding a certificate, for the select. */
static int
put_cert_orgs(struct request *req, struct tv *v, const char *chosen)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT org_id, "
	    "org_name FROM certificate WHERE id IN (SELECT max(id) FROM "
	    "certificate GROUP BY org_id) ORDER BY org_name");
	struct tv *list = tv_put_list(v, "orgs"), *row;
	char id[32];
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = tv_push_map(list);
		snprintf(id, sizeof(id), "%lld",
		    (long long)sqlite3_column_int64(st, 0));
		tv_put_str(row, "oid", id);
		tv_put_str(row, "oname", store_col_text(st, 1));
		tv_put_bool(row, "selected", strcmp(chosen, id) == 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
state_filter(struct request *req)
{
	const char *s = params_get(&req->query, "state");

	if (s != NULL && (strcmp(s, "open") == 0 ||
	    strcmp(s, "handled") == 0))
		return s;
	return "all";
}

static int
render_complaints(struct request *req, struct response *resp, int status,
    struct tv *v, const char *org_id)
{
	struct store *s = req->app->store;
	const char *state = state_filter(req);
	long long page = page_arg(req), total = 0;
	struct tv *list, *row;
	sqlite3_stmt *st;
	int rc;

	if (put_cert_orgs(req, v, org_id) != 0)
		return 500;
	tv_put_str(v, "today", page_today(req));
	tv_put_str(v, "state", state);
	tv_put_bool(v, "state_all", strcmp(state, "all") == 0);
	tv_put_bool(v, "state_open", strcmp(state, "open") == 0);
	tv_put_bool(v, "state_handled", strcmp(state, "handled") == 0);
	tv_put_bool(v, "recorded", params_get(&req->query, "recorded") !=
	    NULL);
	st = store_stmt(s, "SELECT count(*) FROM complaint WHERE ?1 = 'all' "
	    "OR (?1 = 'open') = (handled_at IS NULL)");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, state);
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT id, org_name, complainant, received_on, "
	    "handled_at IS NOT NULL, text FROM complaint WHERE ?1 = 'all' OR "
	    "(?1 = 'open') = (handled_at IS NULL) ORDER BY handled_at IS NOT "
	    "NULL, received_on DESC, id DESC LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return 500;
	store_bind_text(st, 1, state);
	store_bind_int(st, 2, PER_PAGE);
	store_bind_int(st, 3, (page - 1) * PER_PAGE);
	list = tv_put_list(v, "complaints");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = store_col_text(st, 5);
		size_t n = 0, i = 0;

		row = tv_push_map(list);
		tv_put_int(row, "cid", sqlite3_column_int64(st, 0));
		tv_put_str(row, "org_name", store_col_text(st, 1));
		tv_put_str(row, "complainant", store_col_text(st, 2));
		tv_put_str(row, "received_on", store_col_text(st, 3));
		tv_put_bool(row, "handled", sqlite3_column_int(st, 4));
		/* The first 60 characters, as a summary. */
		for (; t[i] != '\0'; i++)
			if (((unsigned char)t[i] & 0xc0) != 0x80 && n++ == 60)
				break;
		tv_put_str(row, "summary", t[i] == '\0' ? t : arena_printf(
		    req->arena, "%.*s…", (int)i, t));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return 500;
	tv_put_int(v, "total", total);
	tv_put_bool(v, "has_complaints", total > 0);
	page_pager(req, v, strcmp(state, "all") == 0 ? "/complaints" :
	    arena_printf(req->arena, "/complaints?state=%s", state), page,
	    total, PER_PAGE);
	return page_render(req, resp, status, "supervise_complaints", v);
}

static int
complaints(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "投诉");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "received_on", page_today(req));
	return render_complaints(req, resp, 200, v, "");
}

static int
complaint_post(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct tv *v = page_view(req, "投诉");
	const char *oid, *oname, *who, *text, *day;
	long long org_id = 0;
	sqlite3_stmt *st;
	struct form f;
	zdate d, today;

	form_init(&f, req, v);
	oid = form_keep(&f, "org_id");
	oname = form_keep(&f, "org_name");
	who = form_keep(&f, "complainant");
	text = form_keep(&f, "text");
	day = form_keep(&f, "received_on");
	if (*oid != '\0') {
		st = store_stmt(s, "SELECT org_id, org_name FROM certificate "
		    "WHERE org_id = ?1 ORDER BY id DESC LIMIT 1");
		if (st == NULL)
			return 500;
		store_bind_int(st, 1, strtoll(oid, NULL, 10));
		if (sqlite3_step(st) == SQLITE_ROW) {
			org_id = sqlite3_column_int64(st, 0);
			oname = arena_strdup(req->arena, store_col_text(st, 1));
		}
		sqlite3_reset(st);
		if (org_id == 0)
			form_error(&f, "org_id", "所选单位没有资质证书，请重新选择，"
			    "或在下方填写单位名称。");
	} else if (blank(oname) || nchars(oname) > 200)
		form_error(&f, "org_name", "请选择被投诉的获证单位，或填写单位名称"
		    "（不超过 200 字）。");
	if (blank(who) || nchars(who) > NAME_MAX_CH)
		form_error(&f, "complainant", "请填写投诉人（姓名或单位，及联系方式，"
		    "不超过 100 字）。");
	if (blank(text))
		form_error(&f, "text", "请填写投诉内容。");
	else if (nchars(text) > TEXT_MAX)
		form_error(&f, "text", arena_printf(req->arena, "投诉内容请控制在 "
		    "%d 字以内（现为 %zu 字）。", TEXT_MAX, nchars(text)));
	date_parse(page_today(req), &today);
	if (date_parse(day, &d) != 0)
		form_error(&f, "received_on", "请按“年-月-日”填写收到投诉的日期，"
		    "例如 2026-03-01。");
	else if (d > today)
		form_error(&f, "received_on", "收到日期不能晚于今天，请核对日期。");
	if (f.nerrors > 0)
		return render_complaints(req, resp, 400, v, oid);
	st = store_stmt(s, "INSERT INTO complaint(org_id, org_name, "
	    "complainant, text, received_on, recorded_by) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		return 500;
	if (org_id != 0)
		store_bind_int(st, 1, org_id);
	store_bind_text(st, 2, oname);
	store_bind_text(st, 3, who);
	store_bind_text(st, 4, text);
	store_bind_text(st, 5, day);
	store_bind_int(st, 6, req->user->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: complaint: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return 500;
	}
	response_redirect(resp, arena_printf(req->arena,
	    "/complaints/%lld?recorded=1",
	    (long long)sqlite3_last_insert_rowid(store_db(s))));
	return 0;
}

static int
render_complaint(struct request *req, struct response *resp, int status,
    long long id, struct tv *v)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT c.org_name, "
	    "c.org_id IS NOT NULL, c.complainant, c.text, c.received_on, "
	    "r.name, c.handling, coalesce(h.name, ''), coalesce(c.handled_at, "
	    "'') FROM complaint c JOIN account r ON r.id = c.recorded_by "
	    "LEFT JOIN account h ON h.id = c.handled_by WHERE c.id = ?1");
	int handled;

	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	tv_put_int(v, "cid", id);
	tv_put_str(v, "org_name", store_col_text(st, 0));
	tv_put_bool(v, "certified", sqlite3_column_int(st, 1));
	tv_put_str(v, "complainant", store_col_text(st, 2));
	tv_put_str(v, "text", store_col_text(st, 3));
	tv_put_str(v, "received_on", store_col_text(st, 4));
	tv_put_str(v, "recorded_by", store_col_text(st, 5));
	handled = sqlite3_column_type(st, 6) != SQLITE_NULL;
	tv_put_bool(v, "handled", handled);
	tv_put_str(v, "handling", store_col_text(st, 6));
	tv_put_str(v, "handled_by", store_col_text(st, 7));
	tv_put_str(v, "handled_at", page_time(req->arena, store_col_text(st,
	    8)));
	sqlite3_reset(st);
	tv_put_bool(v, "recorded", params_get(&req->query, "recorded") !=
	    NULL);
	tv_put_bool(v, "handled_now", params_get(&req->query, "handled") !=
	    NULL);
	return page_render(req, resp, status, "supervise_complaint", v);
}

static int
complaint_show(struct request *req, struct response *resp)
{
	long long id = strtoll(req->args[0], NULL, 10);
	struct tv *v = page_view(req, arena_printf(req->arena, "投诉 #%lld",
	    id));
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "handling", "");
	return render_complaint(req, resp, 200, id, v);
}

static int
complaint_handle(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	long long id = strtoll(req->args[0], NULL, 10);
	struct tv *v = page_view(req, arena_printf(req->arena, "投诉 #%lld",
	    id));
	const char *text;
	char stamp[24];
	sqlite3_stmt *st;
	struct form f;
	int handled;

	st = store_stmt(s, "SELECT handled_at IS NOT NULL FROM complaint "
	    "WHERE id = ?1");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	handled = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (handled) {
		resp->error_message = "此投诉的处理情况已经登记，不能再修改。";
		return 409;
	}
	form_init(&f, req, v);
	text = form_keep(&f, "handling");
	if (blank(text))
		form_error(&f, "handling", "请填写处理情况：调查了什么、结论和采取"
		    "的措施。");
	else if (nchars(text) > TEXT_MAX)
		form_error(&f, "handling", arena_printf(req->arena, "处理情况请"
		    "控制在 %d 字以内（现为 %zu 字）。", TEXT_MAX, nchars(text)));
	if (f.nerrors > 0)
		return render_complaint(req, resp, 400, id, v);
	date_stamp(req->now, stamp);
	st = store_stmt(s, "UPDATE complaint SET handling = ?2, handled_by = "
	    "?3, handled_at = ?4 WHERE id = ?1 AND handled_at IS NULL");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, text);
	store_bind_int(st, 3, req->user->id);
	store_bind_text(st, 4, stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	if (sqlite3_changes(store_db(s)) != 1) {
		resp->error_message = "此投诉的处理情况刚刚已由他人登记，请刷新页面"
		    "查看。";
		return 409;
	}
	response_redirect(resp, arena_printf(req->arena,
	    "/complaints/%lld?handled=1", id));
	return 0;
}

const struct route routes_supervise[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/appeal",	appeal_form,	ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/cases/{n}/appeal",	appeal_post,	ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/appeals",		appeals_list,	ROLE_SUPERVISOR, 0 },
	{ METHOD_GET,	"/appeals/{n}",		appeal_show,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/appeals/{n}/take",	appeal_take,	ROLE_SUPERVISOR, 1 },
	{ METHOD_POST,	"/appeals/{n}/conclude", appeal_conclude, ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/appeals/{n}/files/{n}", appeal_file,
	    ROLE_APPLICANT | ROLE_SUPERVISOR, 0 },
	{ METHOD_GET,	"/complaints",		complaints,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/complaints",		complaint_post,	ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/complaints/{n}",	complaint_show,	ROLE_SUPERVISOR, 0 },
	{ METHOD_POST,	"/complaints/{n}/handle", complaint_handle, ROLE_SUPERVISOR, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
