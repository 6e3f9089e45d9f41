/*
 * orgcomplaint.c: an organisation's register of complaints and the
 * supervisors' inspections of it (orgcomplaint.h).
 */
#include <stdio.h>
#include <string.h>

#include "orgcomplaint.h"
#include "outbox.h"
#include "store.h"
#include "util.h"
#include "valid.h"

static const char *
col(struct dom *d, sqlite3_stmt *st, int i)
{
	return arena_strdup(d->arena, store_col_text(st, i));
}

static enum dom_rc
applicants_only(struct dom *d)
{
	if (d->actor->role_bit == ROLE_APPLICANT && d->actor->org_id != 0)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "投诉记录由申请单位在本单位的"
	    "页面登记。");
}

static enum dom_rc
supervisors_only(struct dom *d)
{
	if (d->actor->role_bit == ROLE_SUPERVISOR)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有监督部门可以查阅申请单位"
	    "的投诉记录。");
}

/* A date field: a real date, not after today (and not before after);
 * a problem on field otherwise. */
static void
check_day(struct dom *d, const char *val, const char *field, const char *zh,
    const char *after, struct problem *out, size_t *n)
{
	zdate day;

	if (val == NULL || date_parse(val, &day) != 0)
		out[(*n)++] = (struct problem){ field, arena_printf(d->arena,
		    "请按“年-月-日”填写%s，例如 2026-03-01。", zh) };
	else if (day > d->today)
		out[(*n)++] = (struct problem){ field, arena_printf(d->arena,
		    "%s不能晚于今天（%s），请核对日期。", zh, d->today_s) };
	else if (after != NULL && strcmp(val, after) < 0)
		out[(*n)++] = (struct problem){ field, arena_printf(d->arena,
		    "%s不能早于收到投诉的日期（%s），请核对日期。", zh, after) };
}

/* A required text of at most max characters; a problem otherwise. */
static void
check_text(struct dom *d, const char *val, size_t max, unsigned flags,
    const char *field, const char *empty, const char *what,
    struct problem *out, size_t *n)
{
	const char *m = textcheck(d->arena, val, max, flags, empty, what, "。");

	if (m != NULL)
		out[(*n)++] = (struct problem){ field, m };
}

static enum dom_rc
add(struct dom *d, const struct orgc_input *in, struct problem *out,
    size_t *n, long long *id)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	*n = 0;
	if ((rc = applicants_only(d)) != DOM_OK)
		return rc;
	check_day(d, in->received_on, "received_on", "收到投诉的日期", NULL,
	    out, n);
	check_text(d, in->complainant, ORGC_NAME_MAX, 0, "complainant",
	    "请填写投诉人（姓名或单位，及联系方式）。", "投诉人", out, n);
	check_text(d, in->text, ORGC_TEXT_MAX, VALID_MULTILINE, "text",
	    "请填写投诉内容：投诉的事项和诉求。", "投诉内容", out, n);
	if (*n > 0)
		return dom_refuse(d, DOM_INVALID, out[0].field, "%s",
		    out[0].msg);
	st = store_stmt(d->store, "INSERT INTO org_complaint(org_id, "
	    "received_on, complainant, text, recorded_by, recorded_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		return dom_fail(d, "org complaint");
	store_bind_int(st, 1, d->actor->org_id);
	store_bind_text(st, 2, in->received_on);
	store_bind_text(st, 3, in->complainant);
	store_bind_text(st, 4, in->text);
	store_bind_int(st, 5, d->actor->id);
	store_bind_text(st, 6, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "org complaint");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(d->store));
	return DOM_OK;
}

enum dom_rc
orgc_add(struct dom *d, const struct orgc_input *in, struct problem *out,
    size_t *n, long long *id)
{
	enum dom_rc rc;

	if (id != NULL)
		*id = 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, add(d, in, out, n, id));
}

static enum dom_rc
handle(struct dom *d, long long id, const struct orgc_handling *in,
    struct problem *out, size_t *n)
{
	sqlite3_stmt *st;
	char received[DATE_BUFSZ] = "";
	enum dom_rc rc;
	int handled = 0, step;

	*n = 0;
	if ((rc = applicants_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT received_on, handled_at IS NOT NULL "
	    "FROM org_complaint WHERE id = ?1 AND org_id = ?2");
	if (st == NULL)
		return dom_fail(d, "org complaint");
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, d->actor->org_id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(received, sizeof(received), "%s",
		    store_col_text(st, 0));
		handled = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return DOM_NOT_FOUND;
	if (step != SQLITE_ROW)
		return dom_fail(d, "org complaint");
	if (handled)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此投诉的处理情况已经登记，"
		    "不能再修改。如有新的进展，请另行登记一条记录。");
	check_day(d, in->handled_on, "handled_on", "处理日期", received, out, n);
	check_text(d, in->handling, ORGC_TEXT_MAX, VALID_MULTILINE, "handling",
	    "请填写处理情况：调查了什么、如何答复投诉人。", "处理情况", out, n);
	check_text(d, in->measures, ORGC_TEXT_MAX, VALID_MULTILINE, "measures",
	    "请填写为防止问题再次发生采取的措施（《指南》第七章）。", "改进措施",
	    out, n);
	if (*n > 0)
		return dom_refuse(d, DOM_INVALID, out[0].field, "%s",
		    out[0].msg);
	st = store_stmt(d->store, "UPDATE org_complaint SET handled_on = ?2, "
	    "handling = ?3, measures = ?4, handled_by = ?5, handled_at = ?6 "
	    "WHERE id = ?1 AND handled_at IS NULL");
	if (st == NULL)
		return dom_fail(d, "org complaint handling");
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, in->handled_on);
	store_bind_text(st, 3, in->handling);
	store_bind_text(st, 4, in->measures);
	store_bind_int(st, 5, d->actor->id);
	store_bind_text(st, 6, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "org complaint handling");
	return DOM_OK;
}

enum dom_rc
orgc_handle(struct dom *d, long long id, const struct orgc_handling *in,
    struct problem *out, size_t *n)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, handle(d, id, in, out, n));
}

/* The organisation's name into *name; DOM_NOT_FOUND when there is none. */
static enum dom_rc
org_name(struct dom *d, long long org_id, const char **name)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT name FROM org WHERE "
	    "id = ?1");
	int step;

	if (st == NULL)
		return dom_fail(d, "org");
	store_bind_int(st, 1, org_id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*name = col(d, st, 0);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return DOM_NOT_FOUND;
	return step == SQLITE_ROW ? DOM_OK : dom_fail(d, "org");
}

static enum dom_rc
read_inspections(struct dom *d, struct orgc_register *r)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT i.id, i.reason, "
	    "a.name, i.at FROM complaint_inspection i JOIN account a ON a.id = "
	    "i.by_id WHERE i.org_id = ?1 ORDER BY i.id DESC LIMIT 100");
	struct orgc_inspection *x;
	int step;

	if (st == NULL)
		return dom_fail(d, "inspections");
	store_bind_int(st, 1, r->org_id);
	r->inspections = arena_alloc(d->arena, 100 * sizeof(*x));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		x = &r->inspections[r->ninspections++];
		x->id = sqlite3_column_int64(st, 0);
		x->reason = col(d, st, 1);
		x->by = col(d, st, 2);
		x->at = col(d, st, 3);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? DOM_OK : dom_fail(d, "inspections");
}

static enum dom_rc
read_entries(struct dom *d, long long page, struct orgc_register *r)
{
	int row;
	sqlite3_stmt *st;
	struct orgc_entry *e;
	int step;

	st = store_stmt(d->store, "SELECT count(*), coalesce(sum(handled_at "
	    "IS NULL), 0) FROM org_complaint WHERE org_id = ?1");
	if (st == NULL)
		return dom_fail(d, "org complaints");
	store_bind_int(st, 1, r->org_id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "org complaints");
	if (row == 1) {
		r->total = sqlite3_column_int64(st, 0);
		r->open = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	st = store_stmt(d->store, "SELECT c.id, c.received_on, c.complainant, "
	    "c.text, a.name, c.recorded_at, c.handled_at IS NOT NULL, "
	    "coalesce(c.handled_on, ''), coalesce(c.handling, ''), "
	    "coalesce(c.measures, ''), coalesce(h.name, '') FROM org_complaint "
	    "c JOIN account a ON a.id = c.recorded_by LEFT JOIN account h ON "
	    "h.id = c.handled_by WHERE c.org_id = ?1 ORDER BY c.received_on "
	    "DESC, c.id DESC LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return dom_fail(d, "org complaints");
	store_bind_int(st, 1, r->org_id);
	store_bind_int(st, 2, ORGC_PER_PAGE);
	store_bind_int(st, 3, (page - 1) * ORGC_PER_PAGE);
	r->rows = arena_alloc(d->arena, ORGC_PER_PAGE * sizeof(*e));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		e = &r->rows[r->n++];
		e->id = sqlite3_column_int64(st, 0);
		e->received_on = col(d, st, 1);
		e->complainant = col(d, st, 2);
		e->text = col(d, st, 3);
		e->recorded_by = col(d, st, 4);
		e->recorded_at = col(d, st, 5);
		e->handled = sqlite3_column_int(st, 6);
		e->handled_on = col(d, st, 7);
		e->handling = col(d, st, 8);
		e->measures = col(d, st, 9);
		e->handled_by = col(d, st, 10);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? DOM_OK : dom_fail(d, "org complaints");
}

enum dom_rc
orgc_read(struct dom *d, long long org_id, long long page,
    struct orgc_register *out)
{
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if (page < 1)
		page = 1;
	if (d->actor->role_bit == ROLE_APPLICANT && d->actor->org_id != 0 &&
	    (org_id == 0 || org_id == d->actor->org_id)) {
		out->org_id = d->actor->org_id;
		out->may_write = 1;
	} else if (d->actor->role_bit == ROLE_SUPERVISOR && org_id > 0)
		out->org_id = org_id;
	else
		return DOM_NOT_FOUND;
	if ((rc = org_name(d, out->org_id, &out->org_name)) != DOM_OK ||
	    (rc = read_inspections(d, out)) != DOM_OK)
		return rc;
	/* A supervisor reads only what an inspection was asked of. */
	if (!out->may_write && out->ninspections == 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "尚未向%s提出查阅投诉记录"
		    "的请求。请先写明理由提出查阅请求（申请单位会看到这项请求），"
		    "然后查阅。", out->org_name);
	return read_entries(d, page, out);
}

static enum dom_rc
inspect(struct dom *d, long long org_id, const char *reason, long long *id)
{
	const char *name, *m, *subject, *body;
	sqlite3_stmt *st;
	enum dom_rc rc;
	long long iid;
	int step;

	if ((rc = supervisors_only(d)) != DOM_OK ||
	    (rc = org_name(d, org_id, &name)) != DOM_OK)
		return rc;
	m = textcheck(d->arena, reason, ORGC_REASON_MAX, VALID_MULTILINE,
	    "请写明查阅的理由（例如收到有关该单位的投诉、监督检查），申请单位会"
	    "看到这段文字。", "查阅理由", "。");
	if (m != NULL)
		return dom_refuse(d, DOM_INVALID, "reason", "%s", m);
	st = store_stmt(d->store, "INSERT INTO complaint_inspection(org_id, "
	    "reason, by_id, at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return dom_fail(d, "inspection");
	store_bind_int(st, 1, org_id);
	store_bind_text(st, 2, reason);
	store_bind_int(st, 3, d->actor->id);
	store_bind_text(st, 4, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "inspection");
	iid = sqlite3_last_insert_rowid(store_db(d->store));
	subject = "【资质申请】监督部门查阅贵单位的投诉记录";
	body = arena_printf(d->arena, "%s：\n\n中国信息安全测评中心监督部门依据"
	    "《信息安全服务资质申请与维持指南》第七章，将查阅贵单位在本系统中保存"
	    "的投诉记录。理由：\n%s\n\n请确保投诉记录及其处理情况、改进措施完整。"
	    "查阅请求可在本系统“投诉记录”页面查看：\n%s/complaint-register\n",
	    name, reason, d->public_url != NULL ? d->public_url : "");
	st = store_stmt(d->store, "SELECT email FROM account WHERE org_id = ?1 "
	    "AND role = 'applicant' AND disabled = 0 ORDER BY id");
	if (st == NULL)
		return dom_fail(d, "inspection mail");
	store_bind_int(st, 1, org_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (outbox_add(d->store, 0, 0, store_col_text(st, 0), subject,
		    body, NULL, d->now) < 0) {
			sqlite3_reset(st);
			return dom_fail(d, "inspection mail");
		}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "inspection mail");
	if (id != NULL)
		*id = iid;
	return DOM_OK;
}

enum dom_rc
orgc_inspect(struct dom *d, long long org_id, const char *reason,
    long long *id)
{
	enum dom_rc rc;

	if (id != NULL)
		*id = 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, inspect(d, org_id, reason, id));
}

enum dom_rc
orgc_orgs(struct dom *d, struct orgc_org **out, size_t *n)
{
	sqlite3_stmt *st;
	struct orgc_org *v = NULL, *o;
	size_t cap = 0;
	enum dom_rc rc;
	int step;

	*out = NULL;
	*n = 0;
	if ((rc = supervisors_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT o.id, o.name, EXISTS (SELECT 1 FROM "
	    "complaint_inspection i WHERE i.org_id = o.id) FROM org o WHERE "
	    "EXISTS (SELECT 1 FROM cases c WHERE c.org_id = o.id AND "
	    "c.rounds > 0) ORDER BY o.name, o.id");
	if (st == NULL)
		return dom_fail(d, "orgs");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct orgc_org *bigger;

			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (*n > 0)
				memcpy(bigger, v, *n * sizeof(*v));
			v = bigger;
		}
		o = &v[(*n)++];
		o->id = sqlite3_column_int64(st, 0);
		o->name = col(d, st, 1);
		o->inspected = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "orgs");
	*out = v;
	return DOM_OK;
}
