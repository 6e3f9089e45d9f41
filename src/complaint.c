/*
 * complaint.c: complaints (complaint.h).
 */
#include <string.h>

#include "complaint.h"
#include "store.h"
#include "util.h"
#include "valid.h"

static enum dom_rc
supervisors_only(struct dom *d)
{
	if (d->actor->role_bit == ROLE_SUPERVISOR)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有监督部门可以登记和处理"
	    "投诉。");
}

/* The name on the latest certificate of org id into *name (NULL when it
 * holds none). */
static enum dom_rc
certified_name(struct dom *d, long long id, const char **name)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT org_name FROM "
	    "certificate WHERE org_id = ?1 ORDER BY id DESC LIMIT 1");
	int rc;

	*name = NULL;
	if (st == NULL)
		return dom_fail(d, "certified organisation");
	store_bind_int(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*name = arena_strdup(d->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "certified organisation");
}

/* complaint_check, and the organisation's name as it is to be kept. */
static enum dom_rc
check(struct dom *d, const struct complaint_input *in, struct problem *out,
    size_t *n, const char **org_name)
{
	const char *m;
	enum dom_rc rc;
	zdate day;

	*n = 0;
	*org_name = in->org_name;
	if (in->org_id != 0) {
		if (in->org_id < 0)
			*org_name = NULL;
		else if ((rc = certified_name(d, in->org_id, org_name)) !=
		    DOM_OK)
			return rc;
		if (*org_name == NULL)
			out[(*n)++] = (struct problem){ "org_id", "所选单位没有"
			    "资质证书，请重新选择，或在下方填写单位名称。" };
	} else if (textcheck(d->arena, in->org_name, COMPLAINT_ORG_MAX, 0,
	    "", NULL, NULL) != NULL)
		out[(*n)++] = (struct problem){ "org_name", "请选择被投诉的获证"
		    "单位，或填写单位名称（不超过 200 字）。" };
	if (textcheck(d->arena, in->complainant, COMPLAINT_NAME_MAX, 0, "",
	    NULL, NULL) != NULL)
		out[(*n)++] = (struct problem){ "complainant", "请填写投诉人"
		    "（姓名或单位，及联系方式，不超过 100 字）。" };
	m = textcheck(d->arena, in->text, COMPLAINT_TEXT_MAX, VALID_MULTILINE,
	    "请填写投诉内容。", "投诉内容", "。");
	if (m != NULL)
		out[(*n)++] = (struct problem){ "text", m };
	if (in->received_on == NULL || date_parse(in->received_on, &day) != 0)
		out[(*n)++] = (struct problem){ "received_on", "请按“年-月-日”"
		    "填写收到投诉的日期，例如 2026-03-01。" };
	else if (day > d->today)
		out[(*n)++] = (struct problem){ "received_on", "收到日期不能晚于"
		    "今天，请核对日期。" };
	return DOM_OK;
}

enum dom_rc
complaint_check(struct dom *d, const struct complaint_input *in,
    struct problem *out, size_t *n)
{
	const char *name;

	return check(d, in, out, n, &name);
}

static enum dom_rc
record(struct dom *d, const struct complaint_input *in, long long *id)
{
	struct problem p[COMPLAINT_PROBLEMS];
	const char *org_name;
	sqlite3_stmt *st;
	enum dom_rc rc;
	size_t n;

	if ((rc = supervisors_only(d)) != DOM_OK ||
	    (rc = check(d, in, p, &n, &org_name)) != DOM_OK)
		return rc;
	if (n > 0)
		return dom_refuse(d, DOM_INVALID, p[0].field, "%s", p[0].msg);
	st = store_stmt(d->store, "INSERT INTO complaint(org_id, org_name, "
	    "complainant, text, received_on, recorded_by) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		return dom_fail(d, "complaint");
	if (in->org_id > 0)
		store_bind_int(st, 1, in->org_id);
	store_bind_text(st, 2, org_name);
	store_bind_text(st, 3, in->complainant);
	store_bind_text(st, 4, in->text);
	store_bind_text(st, 5, in->received_on);
	store_bind_int(st, 6, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "complaint");
	*id = sqlite3_last_insert_rowid(store_db(d->store));
	return DOM_OK;
}

enum dom_rc
complaint_record(struct dom *d, const struct complaint_input *in,
    long long *id)
{
	enum dom_rc rc;

	*id = 0;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = dom_end(d, record(d, in, id));
	if (rc != DOM_OK)
		*id = 0;
	return rc;
}

enum dom_rc
complaint_orgs(struct dom *d, struct complaint_org **out, size_t *n)
{
	sqlite3_stmt *st;
	struct complaint_org *v = NULL, *bigger;
	size_t cap = 0;
	enum dom_rc rc;
	int r;

	*out = NULL;
	*n = 0;
	if ((rc = supervisors_only(d)) != DOM_OK)
		return rc;
	/* An imported certificate not yet linked has no organisation. */
	st = store_stmt(d->store, "SELECT org_id, org_name FROM certificate "
	    "WHERE id IN (SELECT max(id) FROM certificate WHERE org_id IS NOT "
	    "NULL GROUP BY org_id) ORDER BY org_name");
	if (st == NULL)
		return dom_fail(d, "certified organisations");
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			bigger = arena_alloc(d->arena, cap * sizeof(*v));
			if (*n > 0)
				memcpy(bigger, v, *n * sizeof(*v));
			v = bigger;
		}
		v[*n].id = sqlite3_column_int64(st, 0);
		v[*n].name = arena_strdup(d->arena, store_col_text(st, 1));
		(*n)++;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return dom_fail(d, "certified organisations");
	*out = v;
	return DOM_OK;
}

#define COMPLAINT_SELECT "SELECT c.id, c.org_id IS NOT NULL, c.org_name, " \
	"c.complainant, c.text, c.received_on, r.name, " \
	"c.handled_at IS NOT NULL, coalesce(c.handling, ''), " \
	"coalesce(h.name, ''), coalesce(c.handled_at, '') FROM complaint c " \
	"JOIN account r ON r.id = c.recorded_by " \
	"LEFT JOIN account h ON h.id = c.handled_by "

static void
complaint_row(struct dom *d, sqlite3_stmt *st, struct complaint *c)
{
	struct arena *a = d->arena;

	c->id = sqlite3_column_int64(st, 0);
	c->certified = sqlite3_column_int(st, 1);
	c->org_name = arena_strdup(a, store_col_text(st, 2));
	c->complainant = arena_strdup(a, store_col_text(st, 3));
	c->text = arena_strdup(a, store_col_text(st, 4));
	c->received_on = arena_strdup(a, store_col_text(st, 5));
	c->recorded_by = arena_strdup(a, store_col_text(st, 6));
	c->handled = sqlite3_column_int(st, 7);
	c->handling = arena_strdup(a, store_col_text(st, 8));
	c->handled_by = arena_strdup(a, store_col_text(st, 9));
	c->handled_at = arena_strdup(a, store_col_text(st, 10));
}

enum dom_rc
complaint_list(struct dom *d, enum complaint_state state, long long offset,
    long long limit, struct complaint **out, size_t *n, long long *total)
{
	sqlite3_stmt *st;
	struct complaint *v;
	enum dom_rc rc;
	int r;

	*out = NULL;
	*n = 0;
	*total = 0;
	if ((rc = supervisors_only(d)) != DOM_OK)
		return rc;
	if (limit < 1 || limit > 1000)
		limit = 1000;
	st = store_stmt(d->store, "SELECT count(*) FROM complaint WHERE "
	    "?1 = 0 OR (?1 = 1) = (handled_at IS NULL)");
	if (st == NULL)
		return dom_fail(d, "complaints");
	store_bind_int(st, 1, state);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return dom_fail(d, "complaints");
	st = store_stmt(d->store, COMPLAINT_SELECT "WHERE ?1 = 0 OR "
	    "(?1 = 1) = (c.handled_at IS NULL) ORDER BY c.handled_at IS NOT "
	    "NULL, c.received_on DESC, c.id DESC LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return dom_fail(d, "complaints");
	store_bind_int(st, 1, state);
	store_bind_int(st, 2, limit);
	store_bind_int(st, 3, offset);
	v = arena_alloc(d->arena, (size_t)limit * sizeof(*v));
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		complaint_row(d, st, &v[(*n)++]);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return dom_fail(d, "complaints");
	*out = v;
	return DOM_OK;
}

enum dom_rc
complaint_get(struct dom *d, long long id, struct complaint *out)
{
	sqlite3_stmt *st;
	enum dom_rc rc;
	int r;

	memset(out, 0, sizeof(*out));
	if ((rc = supervisors_only(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, COMPLAINT_SELECT "WHERE c.id = ?1");
	if (st == NULL)
		return dom_fail(d, "complaint");
	store_bind_int(st, 1, id);
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		complaint_row(d, st, out);
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return DOM_NOT_FOUND;
	return r == SQLITE_ROW ? DOM_OK : dom_fail(d, "complaint");
}

static enum dom_rc
handle(struct dom *d, long long id, const char *text)
{
	struct complaint c;
	sqlite3_stmt *st;
	const char *m;
	enum dom_rc rc;

	if ((rc = complaint_get(d, id, &c)) != DOM_OK)
		return rc;
	if (c.handled)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此投诉的处理情况已经登记，"
		    "不能再修改。");
	m = textcheck(d->arena, text, COMPLAINT_TEXT_MAX, VALID_MULTILINE,
	    "请填写处理情况：调查了什么、结论和采取的措施。", "处理情况", "。");
	if (m != NULL)
		return dom_refuse(d, DOM_INVALID, "handling", "%s", m);
	st = store_stmt(d->store, "UPDATE complaint SET handling = ?2, "
	    "handled_by = ?3, handled_at = ?4 WHERE id = ?1 AND "
	    "handled_at IS NULL");
	if (st == NULL)
		return dom_fail(d, "complaint handling");
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, text);
	store_bind_int(st, 3, d->actor->id);
	store_bind_text(st, 4, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "complaint handling");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此投诉的处理情况刚刚已由"
		    "他人登记，请刷新页面查看。");
	return DOM_OK;
}

enum dom_rc
complaint_handle(struct dom *d, long long id, const char *text)
{
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, handle(d, id, text));
}
