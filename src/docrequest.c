/*
 * docrequest.c: 补充资料 during 评估 (docrequest.h).
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "attach.h"
#include "docrequest.h"
#include "notice.h"
#include "outbox.h"
#include "store.h"
#include "textcheck.h"
#include "tmpl.h"
#include "util.h"
#include "valid.h"
#include "workflow.h"

/* Who reads a case's requests: its assessment or its materials. */
#define READERS		(PART_ASSESSMENT | PART_MATERIALS)

/*
 * The case as the actor sees it, when the actor may take act on it now
 * (what: the step in words, for a refusal in the wrong status).
 */
static enum dom_rc
may(struct dom *d, long long case_id, enum action act, const char *what,
    struct case_ref *c)
{
	enum dom_rc rc;

	if ((rc = access_case(d, case_id, 0, c)) != DOM_OK)
		return rc;
	if ((c->parts & READERS) == 0)
		return DOM_NOT_FOUND;
	if ((rc = access_require(d, c, act)) == DOM_CONFLICT)
		return dom_refuse(d, rc, NULL, "案件当前状态为“%s”，只有在审核计划"
		    "或评估中才能%s。请返回案件页面查看当前进度。",
		    status_zh(c->st), what);
	return rc;
}

/* Begins a step: the transaction, then may() inside it. */
static enum dom_rc
begin(struct dom *d, long long case_id, enum action act, const char *what,
    struct case_ref *c)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return may(d, case_id, act, what, c);
}

/* The clock of the case again, now that a request opened or closed. */
static enum dom_rc
reclock(struct dom *d, long long case_id)
{
	return workflow_clock_cache(d->store, case_id, d->today_s) == 0 ?
	    DOM_OK : dom_fail(d, "doc request: clock");
}

/* The open request's id of the case, 0 when none, -1. */
static long long
open_id(struct dom *d, long long case_id)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT id FROM doc_request "
	    "WHERE case_id = ?1 AND closed_at IS NULL");
	long long id = 0;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : -1;
}

/* A text of at most DOCREQ_TEXT_MAX characters, may be empty. */
static void
check_optional(struct dom *d, struct assess_problems *pr, const char *field,
    const char *val, const char *what)
{
	const char *m;

	if (val == NULL || *val == '\0')
		return;
	if ((m = textcheck(d->arena, val, DOCREQ_TEXT_MAX, VALID_MULTILINE,
	    "", what, "。")) != NULL && *m != '\0')
		assess_problem(d, pr, field, "%s", m);
}

/* Every problem of in; *n gets the items that are not blank. */
static void
check_input(struct dom *d, const struct docreq_input *in,
    struct assess_problems *pr, size_t *n)
{
	const char *m;
	zdate due;
	size_t i;

	*n = 0;
	for (i = 0; i < in->nitems; i++) {
		if (in->items[i] == NULL ||
		    strspn(in->items[i], " \t\r\n") == strlen(in->items[i]))
			continue;
		if ((m = textcheck(d->arena, in->items[i], DOCREQ_ITEM_MAX,
		    VALID_MULTILINE, "", arena_printf(d->arena, "第 %zu 项",
		    i + 1), "，请拆成几项。")) != NULL) {
			assess_problem(d, pr, "items", "%s", m);
			break;
		}
		(*n)++;
	}
	if (*n == 0)
		assess_problem(d, pr, "items", "请至少填写一项需要申请单位补充的"
		    "资料，写明是什么、用于核实什么。");
	else if (*n > DOCREQ_ITEMS_MAX)
		assess_problem(d, pr, "items", "一次最多要求 %d 项资料，请合并"
		    "相近的项。", DOCREQ_ITEMS_MAX);
	if (assess_check_day(d, pr, "due", in->due, "补充期限", &due) == 0 &&
	    due < d->today)
		assess_problem(d, pr, "due", "补充期限（%s）早于今天（%s）。请填写"
		    "今天或以后的日期。", in->due, d->today_s);
	check_optional(d, pr, "note", in->note, "说明");
}

/* The request's rows and its notice, in the transaction. */
static enum dom_rc
write_request(struct dom *d, const struct case_ref *c,
    const struct docreq_input *in, long long *id)
{
	struct tv *nv = tv_map(d->arena), *list, *m;
	sqlite3_stmt *st;
	long long rid, nid;
	size_t i, k = 0;

	st = store_stmt(d->store, "INSERT INTO doc_request(case_id, due, note, "
	    "by_id, opened_at, opened_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		return dom_fail(d, "doc request");
	store_bind_int(st, 1, c->id);
	store_bind_text(st, 2, in->due);
	store_bind_text(st, 3, in->note != NULL ? in->note : "");
	store_bind_int(st, 4, d->actor->id);
	store_bind_text(st, 5, d->stamp);
	store_bind_text(st, 6, d->today_s);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "doc request");
	rid = sqlite3_last_insert_rowid(store_db(d->store));
	list = tv_put_list(nv, "items");
	for (i = 0; i < in->nitems; i++) {
		if (in->items[i] == NULL ||
		    strspn(in->items[i], " \t\r\n") == strlen(in->items[i]))
			continue;
		st = store_stmt(d->store, "INSERT INTO doc_request_item("
		    "request_id, what) VALUES (?1, ?2)");
		if (st == NULL)
			return dom_fail(d, "doc request item");
		store_bind_int(st, 1, rid);
		store_bind_text(st, 2, in->items[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "doc request item");
		m = tv_push_map(list);
		tv_put_int(m, "n", (long long)++k);
		tv_put_str(m, "what", in->items[i]);
	}
	tv_put_str(nv, "org_name", c->org_name);
	tv_put_str(nv, "due", in->due);
	tv_put_str(nv, "note", in->note != NULL ? in->note : "");
	tv_put_str(nv, "by", d->actor->name);
	nid = notice_create(d, c->id, c->case_no, "documents", "补充资料通知",
	    nv, in->due, 0);
	if (nid < 0)
		return dom_fail(d, "doc request notice");
	st = store_stmt(d->store, "UPDATE doc_request SET notice_id = ?2 "
	    "WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "doc request notice");
	store_bind_int(st, 1, rid);
	store_bind_int(st, 2, nid);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "doc request notice");
	if (id != NULL)
		*id = rid;
	return reclock(d, c->id);
}

enum dom_rc
docreq_open(struct dom *d, long long case_id, const struct docreq_input *in,
    struct assess_problems *pr, long long *id)
{
	struct assess_problems none;
	struct case_ref c;
	enum dom_rc rc;
	long long open;
	size_t n;

	pr = assess_problems_start(pr, &none);
	if (id != NULL)
		*id = 0;
	if ((rc = begin(d, case_id, ACT_REQUEST_DOCS, "要求申请单位补充资料",
	    &c)) == DOM_FORBIDDEN)
		rc = dom_refuse(d, rc, NULL, "只有本案件的项目负责人和项目组成员"
		    "可以要求申请单位补充资料。");
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if ((open = open_id(d, c.id)) < 0)
		return dom_end(d, dom_fail(d, "doc request"));
	if (open > 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "本案件已有一份"
		    "补充资料要求尚未答复。请等待申请单位答复，或先关闭那份要求，"
		    "再发出新的要求。"));
	check_input(d, in, pr, &n);
	if ((rc = assess_problems_rc(d, pr)) == DOM_OK)
		rc = write_request(d, &c, in, id);
	return dom_end(d, rc);
}

/* Closes request rid as answered or cancelled (by the team), in the transaction. */
static enum dom_rc
close_request(struct dom *d, long long rid, const char *closing,
    const char *answer, const char *reason)
{
	sqlite3_stmt *st = store_stmt(d->store, "UPDATE doc_request SET "
	    "closed_at = ?2, closed_day = ?3, closed_by = ?4, closing = ?5, "
	    "answer = ?6, reason = ?7 WHERE id = ?1 AND closed_at IS NULL");

	if (st == NULL)
		return dom_fail(d, "doc request close");
	store_bind_int(st, 1, rid);
	store_bind_text(st, 2, d->stamp);
	store_bind_text(st, 3, d->today_s);
	store_bind_int(st, 4, d->actor->id);
	store_bind_text(st, 5, closing);
	store_bind_text(st, 6, answer != NULL ? answer : "");
	store_bind_text(st, 7, reason != NULL ? reason : "");
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(d->store)) != 1)
		return dom_fail(d, "doc request close");
	return DOM_OK;
}

enum dom_rc
docreq_answer(struct dom *d, long long case_id, const char *answer,
    const struct assess_upload *files, size_t nfiles,
    struct assess_problems *pr)
{
	struct assess_problems none;
	struct attach_file *stored;
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	long long rid;
	size_t n, i;

	pr = assess_problems_start(pr, &none);
	/* Who may answer, before any file is stored. */
	if ((rc = may(d, case_id, ACT_ANSWER_DOCS, "提交补充资料", &c)) !=
	    DOM_OK)
		return rc;
	check_optional(d, pr, "answer", answer, "说明");
	if (nfiles == 0)
		assess_problem(d, pr, "file", "请选择要提交的资料文件（PDF、JPEG "
		    "或 PNG），至少一个。");
	else if (nfiles > DOCREQ_FILES_MAX)
		assess_problem(d, pr, "file", "一次最多提交 %d 个文件。请合并后"
		    "重新选择。", DOCREQ_FILES_MAX);
	if ((rc = assess_store_files(d, pr, "file", files, nfiles,
	    DOCREQ_FILES_MAX, &stored, &n)) != DOM_OK)
		return rc;
	if ((rc = assess_problems_rc(d, pr)) != DOM_OK)
		return rc;
	if ((rc = begin(d, case_id, ACT_ANSWER_DOCS, "提交补充资料", &c)) !=
	    DOM_OK)
		return dom_end(d, rc);
	if ((rid = open_id(d, c.id)) < 0)
		return dom_end(d, dom_fail(d, "doc answer"));
	if (rid == 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "没有待答复的"
		    "补充资料要求（可能已由项目组关闭）。请返回案件页面查看。"));
	/* Bytes a disposal deleted meanwhile are stored again, under the
	 * write lock (attach.h). */
	for (i = 0; i < n; i++)
		if ((rc = attach_keep(d, files[i].data, files[i].len,
		    &stored[i])) != DOM_OK)
			return rc;
	for (i = 0; i < n; i++) {
		st = store_stmt(d->store, "INSERT INTO doc_request_file("
		    "request_id, filename, mime, size, sha256, uploaded_by, "
		    "uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		if (st == NULL)
			return dom_end(d, dom_fail(d, "doc answer file"));
		store_bind_int(st, 1, rid);
		store_bind_text(st, 2, stored[i].filename);
		store_bind_text(st, 3, stored[i].mime);
		store_bind_int(st, 4, stored[i].size);
		store_bind_text(st, 5, stored[i].sha256);
		store_bind_int(st, 6, d->actor->id);
		store_bind_text(st, 7, d->stamp);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_end(d, dom_fail(d, "doc answer file"));
	}
	if ((rc = close_request(d, rid, "answered", answer, NULL)) == DOM_OK)
		rc = reclock(d, c.id);
	if (rc == DOM_OK)
		rc = assess_tell_team(d, &c, arena_printf(d->arena, "【资质申请】申请单位"
		    "已提交补充资料（%s）", c.case_no), arena_printf(d->arena,
		    "案件 %s（申请单位：%s）已按补充资料要求提交 %zu 个文件，周期"
		    "恢复计算。请在评估页面查看：\n%s/cases/%lld/assessment#docs\n",
		    c.case_no, c.org_name, n, d->public_url ? d->public_url : "",
		    c.id));
	return dom_end(d, rc);
}

enum dom_rc
docreq_withdraw(struct dom *d, long long case_id, const char *reason,
    struct assess_problems *pr)
{
	struct assess_problems none;
	struct case_ref c;
	const char *m;
	enum dom_rc rc;
	long long rid;

	pr = assess_problems_start(pr, &none);
	if ((rc = begin(d, case_id, ACT_REQUEST_DOCS, "关闭补充资料要求",
	    &c)) == DOM_FORBIDDEN)
		rc = dom_refuse(d, rc, NULL, "只有本案件的项目负责人和项目组成员"
		    "可以关闭补充资料要求。");
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if ((rid = open_id(d, c.id)) < 0)
		return dom_end(d, dom_fail(d, "doc withdraw"));
	if (rid == 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "没有待答复的"
		    "补充资料要求（可能申请单位刚刚已答复）。请刷新页面查看。"));
	if ((m = textcheck(d->arena, reason, DOCREQ_TEXT_MAX, VALID_MULTILINE,
	    "请写明为什么不再等待申请单位答复（例如已在访谈中取得，或不再需要），"
	    "申请单位会收到这段说明。", "说明", "。")) != NULL) {
		assess_problem(d, pr, "reason", "%s", m);
		return dom_end(d, assess_problems_rc(d, pr));
	}
	if ((rc = close_request(d, rid, "cancelled", NULL, reason)) == DOM_OK)
		rc = reclock(d, c.id);
	if (rc == DOM_OK && outbox_to_applicants(d->store, c.id, 0,
	    arena_printf(d->arena, "【资质申请】补充资料要求已关闭（%s）",
	    c.case_no), arena_printf(d->arena, "案件 %s 的补充资料要求已由项目组"
	    "关闭，不需要再提交，项目实施周期恢复计算。说明：\n%s\n",
	    c.case_no, reason), NULL, d->now) < 0)
		rc = dom_fail(d, "doc withdraw: mail");
	return dom_end(d, rc);
}

/* Reads. */

static const char *
col(struct dom *d, sqlite3_stmt *st, int i)
{
	return arena_strdup(d->arena, store_col_text(st, i));
}

static enum dom_rc
load_parts(struct dom *d, struct docreq *r)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	st = store_stmt(d->store, "SELECT what FROM doc_request_item WHERE "
	    "request_id = ?1 ORDER BY id");
	if (st == NULL)
		return dom_fail(d, "doc items");
	store_bind_int(st, 1, r->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nitems == cap) {
			const char **bigger;

			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (r->nitems > 0)
				memcpy(bigger, r->items, r->nitems *
				    sizeof(*bigger));
			r->items = bigger;
		}
		r->items[r->nitems++] = col(d, st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "doc items");
	st = store_stmt(d->store, "SELECT id, filename, mime, size, sha256 "
	    "FROM doc_request_file WHERE request_id = ?1 ORDER BY id");
	if (st == NULL)
		return dom_fail(d, "doc files");
	store_bind_int(st, 1, r->id);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nfiles == cap) {
			struct assess_file *bigger;

			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (r->nfiles > 0)
				memcpy(bigger, r->files, r->nfiles *
				    sizeof(*bigger));
			r->files = bigger;
		}
		assess_file_row(d, st, &r->files[r->nfiles++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "doc files");
}

enum dom_rc
docreq_list(struct dom *d, const struct case_ref *c, struct docreq **out,
    size_t *n)
{
	sqlite3_stmt *st;
	struct docreq *v = NULL, *r;
	size_t cap = 0, i;
	enum dom_rc rc;
	int step;

	*out = NULL;
	*n = 0;
	if ((c->parts & READERS) == 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT q.id, q.due, q.note, a.name, "
	    "q.opened_at, q.opened_day, q.closed_at IS NULL, "
	    "coalesce(q.closing, ''), coalesce(q.closed_at, ''), "
	    "coalesce(q.closed_day, ''), coalesce(b.name, ''), q.answer, "
	    "q.reason, coalesce(q.notice_id, 0) FROM doc_request q JOIN "
	    "account a ON a.id = q.by_id LEFT JOIN account b ON b.id = "
	    "q.closed_by WHERE q.case_id = ?1 ORDER BY q.id DESC");
	if (st == NULL)
		return dom_fail(d, "doc requests");
	store_bind_int(st, 1, c->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct docreq *bigger;

			cap = cap ? cap * 2 : 4;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (*n > 0)
				memcpy(bigger, v, *n * sizeof(*v));
			v = bigger;
		}
		r = &v[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->due = col(d, st, 1);
		r->note = col(d, st, 2);
		r->by = col(d, st, 3);
		r->opened_at = col(d, st, 4);
		r->opened_day = col(d, st, 5);
		r->open = sqlite3_column_int(st, 6);
		r->closing = col(d, st, 7);
		r->closed_at = col(d, st, 8);
		r->closed_day = col(d, st, 9);
		r->closed_by = col(d, st, 10);
		r->answer = col(d, st, 11);
		r->reason = col(d, st, 12);
		r->notice_id = sqlite3_column_int64(st, 13);
		r->late = r->open ? strcmp(d->today_s, r->due) > 0 :
		    strcmp(r->closing, "answered") == 0 &&
		    strcmp(r->closed_day, r->due) > 0;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "doc requests");
	for (i = 0; i < *n; i++)
		if ((rc = load_parts(d, &v[i])) != DOM_OK)
			return rc;
	*out = v;
	return DOM_OK;
}

enum dom_rc
docreq_file(struct dom *d, long long case_id, long long file_id,
    struct assess_file *meta, struct buf *body)
{
	struct case_ref c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int step;

	memset(meta, 0, sizeof(*meta));
	if ((rc = access_case(d, case_id, 0, &c)) != DOM_OK)
		return rc;
	if ((c.parts & READERS) == 0)
		return DOM_NOT_FOUND;
	/* A disposed case's files are gone: 410 with the day. */
	if ((rc = archive_gone(d, &c)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT f.id, f.filename, f.mime, f.size, "
	    "f.sha256 FROM doc_request_file f JOIN doc_request q ON q.id = "
	    "f.request_id WHERE f.id = ?1 AND q.case_id = ?2");
	if (st == NULL)
		return dom_fail(d, "doc file");
	store_bind_int(st, 1, file_id);
	store_bind_int(st, 2, c.id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		assess_file_row(d, st, meta);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return DOM_NOT_FOUND;
	if (step != SQLITE_ROW)
		return dom_fail(d, "doc file");
	return attach_read(d, meta->sha256, body);
}
