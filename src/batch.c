/*
 * batch.c: certificate batches (batch.h).
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "batch.h"
#include "certificate.h"
#include "store.h"
#include "util.h"

/* The last batches listed, approved or not. */
#define BATCH_LIST_MAX	20

/* The organisation name as submitted (last round), for lists. */
#define FROZEN_NAME_SQL \
	"coalesce((SELECT rv.value FROM round r JOIN round_value rv ON " \
	"rv.round_id = r.id WHERE r.case_id = c.id AND rv.field = 'org_name' " \
	"AND rv.row = -1 ORDER BY r.n DESC LIMIT 1), o.name)"

static enum dom_rc
require_staff(struct dom *d)
{
	if (d->actor->role_bit == ROLE_CERT_STAFF)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "制证批次只由制证工作人员"
	    "办理。");
}

/* Room for one more element of size sz in *p (cap *cap, n used). */
static void *
grow(struct dom *d, void *p, size_t n, size_t *cap, size_t sz)
{
	void *bigger;

	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	bigger = arena_alloc(d->arena, *cap * sz);
	if (n > 0)
		memcpy(bigger, p, n * sz);
	return bigger;
}

enum dom_rc
batch_pending(struct dom *d, struct batch_pending **rows, size_t *n)
{
	sqlite3_stmt *st;
	struct batch_pending *list = NULL, *p;
	size_t cap = 0;
	enum dom_rc rc;
	int step;

	*rows = NULL;
	*n = 0;
	if ((rc = require_staff(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT c.id, coalesce(c.case_no, ''), "
	    FROZEN_NAME_SQL ", coalesce((SELECT max(e.day) FROM event e "
	    "WHERE e.case_id = c.id), '') FROM cases c JOIN org o ON o.id = "
	    "c.org_id WHERE c.status = ?1 AND NOT EXISTS (SELECT 1 FROM "
	    "batch_case b WHERE b.case_id = c.id) ORDER BY c.id LIMIT ?2");
	if (st == NULL)
		return dom_fail(d, "batch pending");
	store_bind_text(st, 1, status_code(ST_CERTIFICATE_PENDING));
	store_bind_int(st, 2, BATCH_MAX_CASES);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		list = grow(d, list, *n, &cap, sizeof(*list));
		p = &list[(*n)++];
		p->case_id = sqlite3_column_int64(st, 0);
		p->case_no = arena_strdup(d->arena, store_col_text(st, 1));
		p->org_name = arena_strdup(d->arena, store_col_text(st, 2));
		p->since = arena_strdup(d->arena, store_col_text(st, 3));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "batch pending");
	*rows = list;
	return DOM_OK;
}

enum dom_rc
batch_list(struct dom *d, int approved, struct batch_row **rows, size_t *n)
{
	sqlite3_stmt *st;
	struct batch_row *list = NULL, *b;
	size_t cap = 0;
	enum dom_rc rc;
	int step;

	*rows = NULL;
	*n = 0;
	if ((rc = require_staff(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT b.id, b.created_by, a.name, "
	    "b.created_at, coalesce(p.name, ''), coalesce(b.approved_at, ''), "
	    "(SELECT count(*) FROM batch_case bc WHERE bc.batch_id = b.id), "
	    "(SELECT count(*) FROM certificate t WHERE t.batch_id = b.id) "
	    "FROM cert_batch b JOIN account a ON a.id = b.created_by "
	    "LEFT JOIN account p ON p.id = b.approved_by "
	    "WHERE (?1 = 0 AND b.approved_by IS NULL) OR (?1 = 1 AND "
	    "b.approved_by IS NOT NULL) ORDER BY b.id DESC LIMIT ?2");
	if (st == NULL)
		return dom_fail(d, "batch list");
	store_bind_int(st, 1, approved ? 1 : 0);
	store_bind_int(st, 2, BATCH_LIST_MAX);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		list = grow(d, list, *n, &cap, sizeof(*list));
		b = &list[(*n)++];
		b->id = sqlite3_column_int64(st, 0);
		b->mine = sqlite3_column_int64(st, 1) == d->actor->id;
		b->creator = arena_strdup(d->arena, store_col_text(st, 2));
		b->created_at = arena_strdup(d->arena, store_col_text(st, 3));
		b->approver = arena_strdup(d->arena, store_col_text(st, 4));
		b->approved_at = arena_strdup(d->arena, store_col_text(st, 5));
		b->ncases = sqlite3_column_int64(st, 6);
		b->ncerts = sqlite3_column_int64(st, 7);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "batch list");
	*rows = list;
	return DOM_OK;
}

/* Case id may go into a new batch; in the caller's transaction. */
static enum dom_rc
batchable(struct dom *d, long long id)
{
	sqlite3_stmt *st;
	struct case_ref c;
	enum dom_rc rc;
	int taken, step;

	if ((rc = access_case(d, id, PART_SUMMARY, &c)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT 1 FROM batch_case WHERE case_id = "
	    "?1");
	if (st == NULL)
		return dom_fail(d, "batch");
	store_bind_int(st, 1, id);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return dom_fail(d, "batch");
	taken = step == SQLITE_ROW;
	if (c.st != ST_CERTIFICATE_PENDING || taken)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件 %s 不在“制证中”"
		    "状态，或已编入另一个批次，没有创建批次。请刷新“制证批次”页面后"
		    "重新勾选。", c.case_no);
	return DOM_OK;
}

enum dom_rc
batch_create(struct dom *d, const long long *ids, size_t n, long long *id)
{
	sqlite3_stmt *st;
	enum dom_rc rc;
	long long bid;
	size_t i;

	*id = 0;
	if ((rc = require_staff(d)) != DOM_OK)
		return rc;
	if (n == 0)
		return dom_refuse(d, DOM_INVALID, "cases", "请至少勾选一个待制证的"
		    "案件，再创建批次。");
	if (n > BATCH_MAX_CASES)
		return dom_refuse(d, DOM_INVALID, "cases", "一个批次最多 %d 个案件，"
		    "请分批创建。", BATCH_MAX_CASES);
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "INSERT INTO cert_batch(created_by, "
	    "created_at) VALUES (?1, ?2)");
	if (st == NULL)
		return dom_fail(d, "batch");
	store_bind_int(st, 1, d->actor->id);
	store_bind_text(st, 2, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "batch");
	bid = sqlite3_last_insert_rowid(store_db(d->store));
	for (i = 0; i < n; i++) {
		if ((rc = batchable(d, ids[i])) != DOM_OK)
			return dom_end(d, rc);
		st = store_stmt(d->store, "INSERT INTO batch_case(batch_id, "
		    "case_id) VALUES (?1, ?2)");
		if (st == NULL)
			return dom_fail(d, "batch");
		store_bind_int(st, 1, bid);
		store_bind_int(st, 2, ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "batch");
	}
	if ((rc = dom_end(d, DOM_OK)) == DOM_OK)
		*id = bid;
	return rc;
}

/* The head of batch id into b. */
static enum dom_rc
load_head(struct dom *d, long long id, struct batch *b)
{
	sqlite3_stmt *st;
	int step;

	memset(b, 0, sizeof(*b));
	if (id <= 0)
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT b.created_by, a.name, b.created_at, "
	    "coalesce(b.approved_by, 0), coalesce(p.name, ''), "
	    "coalesce(b.approved_at, '') FROM cert_batch b JOIN account a ON "
	    "a.id = b.created_by LEFT JOIN account p ON p.id = b.approved_by "
	    "WHERE b.id = ?1");
	if (st == NULL)
		return dom_fail(d, "batch");
	store_bind_int(st, 1, id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		b->id = id;
		b->created_by = sqlite3_column_int64(st, 0);
		b->creator = arena_strdup(d->arena, store_col_text(st, 1));
		b->created_at = arena_strdup(d->arena, store_col_text(st, 2));
		b->approved_by = sqlite3_column_int64(st, 3);
		b->approver = arena_strdup(d->arena, store_col_text(st, 4));
		b->approved_at = arena_strdup(d->arena,
		    store_col_text(st, 5));
		b->mine = b->created_by == d->actor->id;
		b->may_approve = b->approved_by == 0 && !b->mine;
	}
	sqlite3_reset(st);
	if (step == SQLITE_ROW)
		return DOM_OK;
	return step == SQLITE_DONE ? DOM_NOT_FOUND : dom_fail(d, "batch");
}

enum dom_rc
batch_get(struct dom *d, long long id, struct batch *out)
{
	sqlite3_stmt *st;
	struct batch_case *c;
	size_t cap = 0;
	enum dom_rc rc;
	int step;

	memset(out, 0, sizeof(*out));
	if ((rc = require_staff(d)) != DOM_OK ||
	    (rc = load_head(d, id, out)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT c.id, coalesce(c.case_no, ''), "
	    FROZEN_NAME_SQL ", c.status, coalesce(t.id, 0), coalesce(t.no, '') "
	    "FROM batch_case bc JOIN cases c ON c.id = bc.case_id JOIN org o "
	    "ON o.id = c.org_id LEFT JOIN certificate t ON t.case_id = c.id "
	    "WHERE bc.batch_id = ?1 ORDER BY c.id");
	if (st == NULL)
		return dom_fail(d, "batch");
	store_bind_int(st, 1, out->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		out->cases = grow(d, out->cases, out->ncases, &cap,
		    sizeof(*out->cases));
		c = &out->cases[out->ncases++];
		c->case_id = sqlite3_column_int64(st, 0);
		c->case_no = arena_strdup(d->arena, store_col_text(st, 1));
		c->org_name = arena_strdup(d->arena, store_col_text(st, 2));
		c->st = status_of(store_col_text(st, 3));
		c->cert_id = sqlite3_column_int64(st, 4);
		c->cert_no = arena_strdup(d->arena, store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? DOM_OK : dom_fail(d, "batch");
}

/* The ids of the cases of batch id, in order. */
static enum dom_rc
case_ids(struct dom *d, long long id, long long **ids, size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT case_id FROM "
	    "batch_case WHERE batch_id = ?1 ORDER BY case_id");
	size_t cap = 0;
	int step;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return dom_fail(d, "batch");
	store_bind_int(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = grow(d, *ids, *n, &cap, sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? DOM_OK : dom_fail(d, "batch");
}

/* Marks batch b approved by d->actor, in the caller's transaction. */
static enum dom_rc
claim(struct dom *d, const struct batch *b)
{
	char when[DATE_BUFSZ];
	sqlite3_stmt *st;
	int step;

	if (b->approved_by != 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "批次 #%lld 已于 %s 由 "
		    "%s 批准，证书已经发出，不需要再次批准。", b->id,
		    date_stamp_local(b->approved_at, when) ? when :
		    b->approved_at, b->approver);
	if (b->created_by == d->actor->id)
		return dom_refuse(d, DOM_CONFLICT, NULL, "批次须由创建人以外的"
		    "另一位制证工作人员批准（职责分离）。您创建了此批次，不能批准"
		    "它：请让另一位制证工作人员登录后批准。");
	/* The schema's CHECK refuses approval by the creator as well. */
	st = store_stmt(d->store, "UPDATE cert_batch SET approved_by = ?2, "
	    "approved_at = ?3 WHERE id = ?1 AND approved_by IS NULL");
	if (st == NULL)
		return dom_fail(d, "batch approve");
	store_bind_int(st, 1, b->id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_text(st, 3, d->stamp);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		return dom_refuse(d, DOM_CONFLICT, NULL, "批次须由创建人以外的"
		    "另一位制证工作人员批准（职责分离）。请让另一位制证工作人员登录"
		    "后批准。");
	if (step != SQLITE_DONE)
		return dom_fail(d, "batch approve");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_refuse(d, DOM_CONFLICT, NULL, "此批次刚刚已被批准。请"
		    "刷新页面查看结果。");
	return DOM_OK;
}

enum dom_rc
batch_approve(struct dom *d, long long id)
{
	struct case_ref c;
	struct batch b;
	long long *ids;
	enum dom_rc rc;
	size_t n, i;

	if ((rc = require_staff(d)) != DOM_OK)
		return rc;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	/* Every check in the transaction: a second approver, or the
	 * creator in another window, finds the batch taken. */
	if ((rc = load_head(d, id, &b)) != DOM_OK ||
	    (rc = claim(d, &b)) != DOM_OK ||
	    (rc = case_ids(d, b.id, &ids, &n)) != DOM_OK)
		return dom_end(d, rc);
	for (i = 0; i < n; i++) {
		rc = access_case(d, ids[i], PART_SUMMARY, &c);
		/* Withdrawn since it was put in the batch (out of the
		 * certificate staff's sight, or not pending): no
		 * certificate. */
		if (rc == DOM_NOT_FOUND ||
		    (rc == DOM_OK && c.st != ST_CERTIFICATE_PENDING))
			continue;
		if (rc == DOM_OK)
			rc = certificate_issue(d, b.id, &c, NULL);
		if (rc != DOM_OK)
			return dom_end(d, rc);
	}
	return dom_end(d, DOM_OK);
}
