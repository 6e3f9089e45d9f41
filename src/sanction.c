/*
 * sanction.c: sanctions on a certificate (sanction.h).
 */
#include <stdio.h>
#include <string.h>

#include "notice.h"
#include "sanction.h"
#include "store.h"
#include "tmpl.h"
#include "util.h"

static enum dom_rc
require_supervisor(struct dom *d)
{
	if (d->actor->role_bit == ROLE_SUPERVISOR)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有监督部门可以作出或解除"
	    "证书处置。");
}

size_t
sanction_check(const struct sanction_input *in, const char *today,
    struct sanction_problem out[SANCTION_PROBLEMS_MAX])
{
	const char *reason = in->reason != NULL ? in->reason : "";
	const char *deadline = in->deadline != NULL ? in->deadline : "";
	enum sanction_kind k;
	size_t n = 0;
	int known;
	zdate day;

	known = sanction_kind_parse(in->kind, &k) == 0;
	if (!known) {
		out[n].field = "kind";
		out[n++].msg = "请选择处置类型：警告、限期整改、暂停证书或取消证书"
		    "（《指南》第六章）。";
	}
	if (strspn(reason, " \t\r\n") == strlen(reason)) {
		out[n].field = "reason";
		out[n++].msg = "请填写处置理由（依据的事实和条款），它会记入证书的"
		    "处置记录。";
	} else if (strlen(reason) > SANCTION_REASON_MAX) {
		out[n].field = "reason";
		out[n++].msg = "处置理由请控制在 2000 字节（约 660 个汉字）以内。";
	}
	if (known && k == SANCTION_RECTIFICATION) {
		out[n].field = "deadline";
		if (*deadline == '\0')
			out[n++].msg = "限期整改须填写整改期限（日期，格式 "
			    "YYYY-MM-DD）。";
		else if (date_parse(deadline, &day) != 0)
			out[n++].msg = "整改期限不是有效日期，请按 YYYY-MM-DD 填写，"
			    "例如 2026-12-31。";
		else if (strcmp(deadline, today) < 0)
			out[n++].msg = "整改期限不能早于今天，请填写今天或以后的"
			    "日期。";
	}
	return n;
}

/*
 * The notice of a sanction to the holder, on the certificate's case (its
 * number, the name and code as certified), queued by e-mail with it, in
 * the caller's transaction: kind "sanction" (imposed, with the reason
 * and a rectification's deadline as its due date) or "lifting".
 */
static enum dom_rc
sanction_notice(struct dom *d, const struct certificate *c,
    enum sanction_kind k, const char *kind, const char *reason,
    const char *deadline, const char *imposed_at)
{
	int row;
	static const char *const titles[SANCTION__COUNT] = { "警告通知书",
	    "限期整改通知书", "暂停证书通知书", "取消证书通知书" };
	static const char *const flags[SANCTION__COUNT] = { "warning",
	    "rectification", "suspension", "cancellation" };
	struct tv *nv = tv_map(d->arena);
	sqlite3_stmt *st;
	char case_no[64] = "", local[DATE_BUFSZ];
	int lifting = strcmp(kind, "lifting") == 0;
	long long n;

	st = store_stmt(d->store, "SELECT coalesce(case_no, '') FROM cases "
	    "WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "sanction notice");
	store_bind_int(st, 1, c->case_id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "sanction notice");
	if (row == 1)
		snprintf(case_no, sizeof(case_no), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	tv_put_str(nv, "org_name", c->org_name);
	tv_put_str(nv, "uscc", c->uscc);
	tv_put_str(nv, "cert_no", c->no);
	tv_put_str(nv, "expires_on", c->expires_on);
	tv_put_str(nv, "kind_zh", sanction_kind_zh(k));
	tv_put_bool(nv, flags[k], 1);
	tv_put_str(nv, "title", lifting ? "解除处置通知书" : titles[k]);
	tv_put_str(nv, "reason", reason != NULL ? reason : "");
	tv_put_str(nv, "deadline", deadline != NULL ? deadline : "");
	tv_put_str(nv, "imposed_day", imposed_at != NULL &&
	    date_stamp_local(imposed_at, local) != NULL ? arena_strndup(
	    d->arena, local, 10) : "");
	tv_put_str(nv, "verify_url", certificate_verify_url(d, c->no));
	if (c->case_id == 0) {
		/* Issued before the system: no case keeps it; the holder
		 * is mailed, numbered after the certificate. */
		st = store_stmt(d->store, "SELECT count(*) FROM sanction WHERE "
		    "certificate_id = ?1 AND (?2 = 0 OR lifted_at IS NOT NULL)");
		if (st == NULL)
			return dom_fail(d, "sanction notice");
		store_bind_int(st, 1, c->id);
		store_bind_int(st, 2, lifting);
		if (store_row(st) != 1)
			return dom_fail(d, "sanction notice");
		n = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (notice_mail_holder(d, c->org_id, arena_printf(d->arena,
		    "%s-%c%lld", c->no, lifting ? 'L' : 'Z', n), kind,
		    lifting ? "解除处置通知书" : titles[k], nv) != 0)
			return dom_fail(d, "sanction notice");
		return DOM_OK;
	}
	if (notice_create(d, c->case_id, case_no, kind, lifting ?
	    "解除处置通知书" : titles[k], nv, lifting || k !=
	    SANCTION_RECTIFICATION ? NULL : deadline, 0) < 0)
		return dom_fail(d, "sanction notice");
	return DOM_OK;
}

/* The certificate cert_id, for a change; in the caller's transaction. */
static enum dom_rc
load_cert(struct dom *d, long long cert_id, struct certificate *c)
{
	enum dom_rc rc = certificate_get(d, cert_id, c);

	if (rc == DOM_OK && c->state == CERT_REVOKED)
		return DOM_CONFLICT;	/* the caller says why */
	return rc;
}

enum dom_rc
sanction_impose(struct dom *d, long long cert_id,
    const struct sanction_input *in, long long *id)
{
	struct sanction_problem p[SANCTION_PROBLEMS_MAX];
	struct certificate c;
	enum sanction_kind k;
	sqlite3_stmt *st;
	enum dom_rc rc;

	if (id != NULL)
		*id = 0;
	if ((rc = require_supervisor(d)) != DOM_OK)
		return rc;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = load_cert(d, cert_id, &c)) == DOM_CONFLICT)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此证书已被"
		    "取消，取消是最终处置，不能再作其他处置。如需了解情况，请查看"
		    "下方的处置记录。"));
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (sanction_check(in, d->today_s, p) > 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, p[0].field, "%s",
		    p[0].msg));
	sanction_kind_parse(in->kind, &k);
	if (k == SANCTION_SUSPENSION && c.state == CERT_SUSPENDED)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此证书已处于"
		    "暂停状态。如需延续暂停，不必重复处置；如需升级，可选择“取消"
		    "证书”。"));
	st = store_stmt(d->store, "INSERT INTO sanction(certificate_id, kind, "
	    "reason, deadline, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		return dom_fail(d, "sanction");
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, sanction_kind_code(k));
	store_bind_text(st, 3, in->reason);
	store_bind_text(st, 4, k == SANCTION_RECTIFICATION ? in->deadline :
	    NULL);
	store_bind_int(st, 5, d->actor->id);
	store_bind_text(st, 6, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "sanction");
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(d->store));
	return dom_end(d, sanction_notice(d, &c, k, "sanction", in->reason,
	    k == SANCTION_RECTIFICATION ? in->deadline : NULL, d->stamp));
}

enum dom_rc
sanction_lift(struct dom *d, long long cert_id, long long id)
{
	struct certificate c;
	enum sanction_kind k;
	sqlite3_stmt *st;
	char kind[32] = "", lifted[DATE_BUFSZ] = "", when[DATE_BUFSZ];
	char at[DATE_BUFSZ] = "";
	enum dom_rc rc;
	int step;

	if ((rc = require_supervisor(d)) != DOM_OK)
		return rc;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	rc = load_cert(d, cert_id, &c);
	if (rc != DOM_OK && rc != DOM_CONFLICT)
		return dom_end(d, rc);
	st = store_stmt(d->store, "SELECT kind, coalesce(lifted_at, ''), at "
	    "FROM sanction WHERE id = ?1 AND certificate_id = ?2");
	if (st == NULL)
		return dom_fail(d, "lift");
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, c.id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(kind, sizeof(kind), "%s", store_col_text(st, 0));
		snprintf(lifted, sizeof(lifted), "%s", store_col_text(st, 1));
		snprintf(at, sizeof(at), "%s", store_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return dom_end(d, DOM_NOT_FOUND);
	if (step != SQLITE_ROW)
		return dom_fail(d, "lift");
	if (sanction_kind_parse(kind, &k) != 0 || !sanction_kind_liftable(k))
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "只有“限期"
		    "整改”和“暂停证书”可以解除；警告是记录，取消是最终处置，都不能"
		    "解除。"));
	if (rc == DOM_CONFLICT)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此证书已被"
		    "取消，不能再解除其他处置。"));
	if (*lifted != '\0')
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此处置已于 "
		    "%s 解除，不需要再次解除。请刷新页面查看最新状态。",
		    date_stamp_local(lifted, when) ? when : lifted));
	st = store_stmt(d->store, "UPDATE sanction SET lifted_at = ?2, "
	    "lifted_by = ?3 WHERE id = ?1 AND lifted_at IS NULL");
	if (st == NULL)
		return dom_fail(d, "lift");
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, d->stamp);
	store_bind_int(st, 3, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "lift");
	return dom_end(d, sanction_notice(d, &c, k, "lifting", NULL, NULL, at));
}

enum dom_rc
sanction_list(struct dom *d, long long cert_id, struct sanction **rows,
    size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT s.id, s.kind, "
	    "s.reason, coalesce(s.deadline, ''), coalesce(a.name, ?2), s.at, "
	    "coalesce(s.lifted_at, ''), coalesce(l.name, '') FROM sanction s "
	    "LEFT JOIN account a ON a.id = s.by_id LEFT JOIN account l ON "
	    "l.id = s.lifted_by WHERE s.certificate_id = ?1 ORDER BY s.id");
	struct sanction *list = NULL, *s, *bigger;
	int staff = (d->actor->role_bit & ROLES_STAFF) != 0;
	int sup = d->actor->role_bit == ROLE_SUPERVISOR, revoked = 0;
	size_t cap = 0, i;
	int step;

	*rows = NULL;
	*n = 0;
	if (st == NULL)
		return dom_fail(d, "sanctions");
	store_bind_int(st, 1, cert_id);
	/* Recorded by an import (no account): what the file said. */
	store_bind_text(st, 2, "证书导入");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (*n > 0)
				memcpy(bigger, list, *n * sizeof(*list));
			list = bigger;
		}
		s = &list[(*n)++];
		memset(s, 0, sizeof(*s));
		s->id = sqlite3_column_int64(st, 0);
		if (sanction_kind_parse(store_col_text(st, 1), &s->kind) != 0)
			s->kind = SANCTION_WARNING;	/* the schema's CHECK */
		revoked |= s->kind == SANCTION_REVOCATION;
		s->deadline = arena_strdup(d->arena, store_col_text(st, 3));
		s->at = arena_strdup(d->arena, store_col_text(st, 5));
		s->lifted_at = arena_strdup(d->arena, store_col_text(st, 6));
		s->lifted = *s->lifted_at != '\0';
		s->reason = staff ? arena_strdup(d->arena,
		    store_col_text(st, 2)) : "";
		s->by = staff ? arena_strdup(d->arena, store_col_text(st, 4)) :
		    "";
		s->lifted_by = staff ? arena_strdup(d->arena,
		    store_col_text(st, 7)) : "";
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "sanctions");
	for (i = 0; i < *n; i++)
		list[i].may_lift = sup && !revoked && !list[i].lifted &&
		    sanction_kind_liftable(list[i].kind);
	*rows = list;
	return DOM_OK;
}
