/*
 * certificate.c: certificates (certificate.h).
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "certificate.h"
#include "certno.h"
#include "notice.h"
#include "rules.h"
#include "status.h"
#include "store.h"
#include "tmpl.h"
#include "util.h"
#include "workflow.h"

static const char *const state_codes[CERT__COUNT] = {
	"valid", "expired", "suspended", "cancelled", "rectification",
	"superseded"
};
static const char *const state_words[CERT__COUNT] = {
	"有效", "已过期", "暂停", "已取消", "限期整改中", "已换发"
};

static const struct {
	const char	*code;
	const char	*zh;
	int		 liftable;
} kinds[SANCTION__COUNT] = {
	{ "warning", "警告", 0 },
	{ "rectification", "限期整改", 1 },
	{ "suspension", "暂停证书", 1 },
	{ "revocation", "取消证书", 0 },
};

const char *
cert_state_code(enum cert_state s)
{
	return (unsigned)s < CERT__COUNT ? state_codes[s] : "";
}

const char *
cert_state_zh(enum cert_state s)
{
	return (unsigned)s < CERT__COUNT ? state_words[s] : "";
}

const char *
sanction_kind_code(enum sanction_kind k)
{
	return (unsigned)k < SANCTION__COUNT ? kinds[k].code : "";
}

const char *
sanction_kind_zh(enum sanction_kind k)
{
	return (unsigned)k < SANCTION__COUNT ? kinds[k].zh : "";
}

int
sanction_kind_liftable(enum sanction_kind k)
{
	return (unsigned)k < SANCTION__COUNT && kinds[k].liftable;
}

int
sanction_kind_parse(const char *code, enum sanction_kind *out)
{
	int i;

	for (i = 0; code != NULL && i < SANCTION__COUNT; i++)
		if (strcmp(kinds[i].code, code) == 0) {
			*out = (enum sanction_kind)i;
			return 0;
		}
	return -1;
}

const char *
certificate_verify_url(struct dom *d, const char *no)
{
	return arena_printf(d->arena, "%s/verify/%s", d->public_url, no);
}

const char *
certificate_list_url(struct dom *d)
{
	return arena_printf(d->arena, "%s/certified", d->public_url);
}

static int
is_staff(const struct dom *d)
{
	return (d->actor->role_bit & ROLES_STAFF) != 0;
}

/*
 * The columns of a certificate t, with what its sanctions say (?1..?4
 * are the codes of revocation, suspension, rectification and warning),
 * what became of it (its successor, an open on-time maintenance case),
 * and where it came from (imported, linked by whom). CROSS JOIN keeps
 * the maintenance rows of the certificate as the outer loop: with a plain
 * JOIN SQLite may walk every open case (cases_open) instead, a cost that
 * grows with the data (docs/performance.md).
 */
#define CERT_COLS \
	"t.id, coalesce(t.case_id, 0), coalesce(t.org_id, 0), " \
	"coalesce(t.batch_id, 0), t.no, t.org_name, t.uscc, " \
	"t.issued_on, t.expires_on, " \
	"EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = t.id AND " \
	"s.kind = ?1), " \
	"EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = t.id AND " \
	"s.kind = ?2 AND s.lifted_at IS NULL), " \
	"EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = t.id AND " \
	"s.kind = ?3 AND s.lifted_at IS NULL), " \
	"coalesce((SELECT min(s.deadline) FROM sanction s WHERE " \
	"s.certificate_id = t.id AND s.kind = ?3 AND s.lifted_at IS NULL), " \
	"''), " \
	"EXISTS (SELECT 1 FROM sanction s WHERE s.certificate_id = t.id AND " \
	"s.kind = ?4), " \
	"coalesce((SELECT n.no FROM certificate n WHERE n.id = " \
	"t.superseded_by), ''), " \
	"EXISTS (SELECT 1 FROM cert_maintenance m CROSS JOIN cases mc ON " \
	"mc.id = m.case_id WHERE m.certificate_id = t.id AND m.maint_class = " \
	"'on_time' AND mc.is_open = 1), " \
	"coalesce(t.imported_status, ''), coalesce(t.imported_at, ''), " \
	"coalesce((SELECT o.name FROM org o WHERE o.id = t.org_id), ''), " \
	"coalesce((SELECT a.name FROM account a WHERE a.id = t.linked_by), " \
	"''), coalesce(t.linked_at, '')"

static void
bind_kinds(sqlite3_stmt *st)
{
	store_bind_text(st, 1, sanction_kind_code(SANCTION_REVOCATION));
	store_bind_text(st, 2, sanction_kind_code(SANCTION_SUSPENSION));
	store_bind_text(st, 3, sanction_kind_code(SANCTION_RECTIFICATION));
	store_bind_text(st, 4, sanction_kind_code(SANCTION_WARNING));
}

/* A row of CERT_COLS into c, its state as of today. */
static void
read_cert(struct dom *d, sqlite3_stmt *st, struct certificate *c)
{
	struct arena *a = d->arena;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->case_id = sqlite3_column_int64(st, 1);
	c->org_id = sqlite3_column_int64(st, 2);
	c->batch_id = sqlite3_column_int64(st, 3);
	c->no = arena_strdup(a, store_col_text(st, 4));
	c->org_name = arena_strdup(a, store_col_text(st, 5));
	c->uscc = arena_strdup(a, store_col_text(st, 6));
	c->issued_on = arena_strdup(a, store_col_text(st, 7));
	c->expires_on = arena_strdup(a, store_col_text(st, 8));
	c->rect_deadline = "";
	c->successor = arena_strdup(a, store_col_text(st, 14));
	c->maint_pending = sqlite3_column_int(st, 15);
	if (sqlite3_column_int(st, 9))
		c->state = CERT_REVOKED;
	else if (*c->successor != '\0')
		c->state = CERT_SUPERSEDED;
	else if (strcmp(c->expires_on, d->today_s) < 0 && !c->maint_pending)
		c->state = CERT_EXPIRED;
	else if (sqlite3_column_int(st, 10))
		c->state = CERT_SUSPENDED;
	else if (sqlite3_column_int(st, 11)) {
		c->state = CERT_RECTIFICATION;
		c->rect_deadline = arena_strdup(a, store_col_text(st, 12));
		c->rect_overdue = *c->rect_deadline != '\0' &&
		    strcmp(c->rect_deadline, d->today_s) < 0;
	} else
		c->state = CERT_VALID;
	/* The mark belongs to a certificate still in force. */
	if (c->state == CERT_REVOKED || c->state == CERT_SUPERSEDED)
		c->maint_pending = 0;
	c->warned = sqlite3_column_int(st, 13);
	c->imported_status = arena_strdup(a, store_col_text(st, 16));
	c->imported = *c->imported_status != '\0';
	c->imported_at = arena_strdup(a, store_col_text(st, 17));
	c->holder = is_staff(d) ? arena_strdup(a, store_col_text(st, 18)) : "";
	c->linked_by = is_staff(d) ? arena_strdup(a, store_col_text(st, 19)) :
	    "";
	c->linked_at = arena_strdup(a, store_col_text(st, 20));
	c->may_download = is_staff(d) || (d->actor->role_bit ==
	    ROLE_APPLICANT && d->actor->org_id != 0 && d->actor->org_id ==
	    c->org_id);
	c->verify_url = certificate_verify_url(d, c->no);
}

/* By id (no NULL) or by number. */
static enum dom_rc
load(struct dom *d, long long id, const char *no, struct certificate *c)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT " CERT_COLS " FROM "
	    "certificate t WHERE t.id = ?5 OR t.no = ?6");
	int rc;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return dom_fail(d, "certificate");
	bind_kinds(st);
	store_bind_int(st, 5, no == NULL ? id : 0);
	store_bind_text(st, 6, no == NULL ? "" : no);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_cert(d, st, c);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DOM_OK;
	if (rc == SQLITE_DONE)
		return DOM_NOT_FOUND;
	return dom_fail(d, "certificate");
}

enum dom_rc
certificate_get(struct dom *d, long long id, struct certificate *out)
{
	memset(out, 0, sizeof(*out));
	if (!is_staff(d))
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "证书管理页面只对工作"
		    "人员开放。公开信息请在证书查验页面查看。");
	if (id <= 0)
		return DOM_NOT_FOUND;
	return load(d, id, NULL, out);
}

enum dom_rc
certificate_download(struct dom *d, long long id, struct certificate *out)
{
	enum dom_rc rc;

	if (id <= 0) {
		memset(out, 0, sizeof(*out));
		return DOM_NOT_FOUND;
	}
	if ((rc = load(d, id, NULL, out)) != DOM_OK)
		return rc;
	/* Another organisation's: not found. */
	return out->may_download ? DOM_OK : DOM_NOT_FOUND;
}

enum dom_rc
certificate_verify(struct dom *d, const char *no, struct certificate *out)
{
	if (no == NULL || !certno_valid(no)) {
		memset(out, 0, sizeof(*out));
		return DOM_NOT_FOUND;
	}
	return load(d, 0, no, out);
}

enum dom_rc
certificate_register(struct dom *d, long long page, struct certificate **rows,
    size_t *n, long long *total)
{
	sqlite3_stmt *st;
	struct certificate *list;
	int rc;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if (page < 1)
		page = 1;
	st = store_stmt(d->store, "SELECT count(*) FROM certificate");
	if (st == NULL)
		return dom_fail(d, "register");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return dom_fail(d, "register");
	st = store_stmt(d->store, "SELECT " CERT_COLS " FROM certificate t "
	    "ORDER BY t.issued_on DESC, t.id DESC LIMIT ?5 OFFSET ?6");
	if (st == NULL)
		return dom_fail(d, "register");
	list = arena_alloc(d->arena, CERTIFIED_PER_PAGE * sizeof(*list));
	bind_kinds(st);
	store_bind_int(st, 5, CERTIFIED_PER_PAGE);
	store_bind_int(st, 6, (page - 1) * CERTIFIED_PER_PAGE);
	while (*n < CERTIFIED_PER_PAGE &&
	    (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_cert(d, st, &list[(*n)++]);
	if (*n == CERTIFIED_PER_PAGE)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "register");
	*rows = list;
	return DOM_OK;
}

enum dom_rc
certificate_register_each(struct dom *d, certificate_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT " CERT_COLS " FROM "
	    "certificate t ORDER BY t.issued_on DESC, t.id DESC");
	struct certificate c;
	int rc;

	if (st == NULL)
		return dom_fail(d, "register");
	bind_kinds(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_cert(d, st, &c);
		if (fn(&c, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "register");
}

static const char *const news_zh[] = { "发证", "暂停证书", "取消证书" };
static const char *const news_code[] = { "issuance", "suspension",
    "cancellation" };

const char *
cert_news_zh(enum cert_news w)
{
	return (unsigned)w <= CERT_NEWS_CANCELLED ? news_zh[w] : "";
}

const char *
cert_news_code(enum cert_news w)
{
	return (unsigned)w <= CERT_NEWS_CANCELLED ? news_code[w] : "";
}

enum dom_rc
certificate_announcements(struct dom *d, long long limit,
    struct cert_announcement **rows, size_t *n)
{
	/* Issuance at the batch's approval; the sanctions at their time. */
	sqlite3_stmt *st = store_stmt(d->store, "SELECT * FROM (SELECT 0, "
	    "t.id, b.approved_at AS at, t.no, t.org_name, t.uscc, t.issued_on, "
	    "t.expires_on FROM certificate t JOIN cert_batch b ON b.id = "
	    "t.batch_id WHERE b.approved_at IS NOT NULL UNION ALL SELECT CASE "
	    "s.kind WHEN ?1 THEN 1 ELSE 2 END, s.id, s.at, t.no, t.org_name, "
	    "t.uscc, t.issued_on, t.expires_on FROM sanction s JOIN "
	    "certificate t ON t.id = s.certificate_id WHERE s.kind IN (?1, "
	    "?2)) ORDER BY at DESC, 1 DESC, 2 DESC LIMIT ?3");
	struct cert_announcement *v, *a;
	int rc;

	*rows = NULL;
	*n = 0;
	if (st == NULL)
		return dom_fail(d, "announcements");
	if (limit < 1)
		limit = 1;
	v = arena_alloc(d->arena, (size_t)limit * sizeof(*v));
	store_bind_text(st, 1, sanction_kind_code(SANCTION_SUSPENSION));
	store_bind_text(st, 2, sanction_kind_code(SANCTION_REVOCATION));
	store_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && (long long)*n < limit) {
		a = &v[(*n)++];
		a->what = (enum cert_news)sqlite3_column_int(st, 0);
		a->id = sqlite3_column_int64(st, 1);
		a->at = arena_strdup(d->arena, store_col_text(st, 2));
		a->no = arena_strdup(d->arena, store_col_text(st, 3));
		a->org_name = arena_strdup(d->arena, store_col_text(st, 4));
		a->uscc = arena_strdup(d->arena, store_col_text(st, 5));
		a->issued_on = arena_strdup(d->arena, store_col_text(st, 6));
		a->expires_on = arena_strdup(d->arena, store_col_text(st, 7));
		a->verify_url = certificate_verify_url(d, a->no);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return dom_fail(d, "announcements");
	*rows = v;
	return DOM_OK;
}

/* A field of the case's last frozen submission, or NULL. */
static const char *
frozen_value(struct dom *d, long long case_id, const char *field)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT rv.value FROM round r "
	    "JOIN round_value rv ON rv.round_id = r.id WHERE r.case_id = ?1 "
	    "AND rv.field = ?2 AND rv.row = -1 ORDER BY r.n DESC LIMIT 1");
	const char *v = NULL;

	if (st == NULL)
		return NULL;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, field);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = arena_strdup(d->arena, store_col_text(st, 0));
	sqlite3_reset(st);
	return v != NULL && *v != '\0' ? v : NULL;
}

enum dom_rc
certificate_issue(struct dom *d, long long batch_id, const struct case_ref *c,
    const char **no_out)
{
	const struct rules *r = rules_default();
	const char *name, *uscc, *no;
	struct rules_window w;
	sqlite3_stmt *st;
	struct tv *nv;
	char buf[CERTNO_MAX], exp[DATE_BUFSZ], maint[DATE_BUFSZ], err[256];
	zdate expires;
	int year, month, day;

	if (no_out != NULL)
		*no_out = NULL;
	if (d->actor->role_bit != ROLE_CERT_STAFF)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有制证工作人员可以"
		    "发证。");
	if (c->st != ST_CERTIFICATE_PENDING)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件 %s 当前状态为“%s”，"
		    "不能发证。", c->case_no, status_zh(c->st));
	name = frozen_value(d, c->id, "org_name");
	uscc = frozen_value(d, c->id, "uscc");
	if (name == NULL || uscc == NULL)
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件 %s 提交的申请书中"
		    "没有单位名称或统一社会信用代码，无法制证，批次未批准。请联系"
		    "项目负责人核实该案件。", c->case_no);
	date_to_ymd(d->today, &year, &month, &day);
	if (certno_next(d->store, year, buf, sizeof(buf)) != 0)
		return dom_fail(d, "certificate number");
	no = arena_strdup(d->arena, buf);
	expires = rules_cert_expires(r, d->today);
	date_format(expires, exp);
	st = store_stmt(d->store, "INSERT INTO certificate(no, case_id, "
	    "org_id, org_name, uscc, issued_on, expires_on, batch_id) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return dom_fail(d, "certificate");
	store_bind_text(st, 1, no);
	store_bind_int(st, 2, c->id);
	store_bind_int(st, 3, c->org_id);
	store_bind_text(st, 4, name);
	store_bind_text(st, 5, uscc);
	store_bind_text(st, 6, d->today_s);
	store_bind_text(st, 7, exp);
	store_bind_int(st, 8, batch_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "certificate");
	/* A maintenance case's certificate continues the one it maintains:
	 * that one is 已换发 from now on. */
	st = store_stmt(d->store, "UPDATE certificate SET superseded_by = "
	    "?1, superseded_at = ?2 WHERE id = (SELECT certificate_id FROM "
	    "cert_maintenance WHERE case_id = ?3) AND superseded_by IS NULL");
	if (st == NULL)
		return dom_fail(d, "certificate");
	store_bind_int(st, 1, sqlite3_last_insert_rowid(store_db(d->store)));
	store_bind_text(st, 2, d->stamp);
	store_bind_int(st, 3, c->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "certificate");
	switch (workflow_move(d->store, c->id, status_code(ST_ISSUED),
	    d->actor, arena_printf(d->arena, "制证批次 #%lld 批准发证，证书编号 "
	    "%s", batch_id, no), d->now, err, sizeof(err))) {
	case WF_OK:
		break;
	case WF_FAILED:
		return dom_fail(d, "issue");
	default:
		return dom_refuse(d, DOM_CONFLICT, NULL, "案件 %s：%s",
		    c->case_no, err);
	}
	rules_maint_window(r, expires, d->today, &w);
	nv = tv_map(d->arena);
	tv_put_str(nv, "org_name", name);
	tv_put_str(nv, "uscc", uscc);
	tv_put_str(nv, "cert_no", no);
	tv_put_str(nv, "issued_on", d->today_s);
	tv_put_str(nv, "expires_on", exp);
	tv_put_str(nv, "maint_by", date_format(w.on_time_until, maint));
	tv_put_str(nv, "verify_url", certificate_verify_url(d, no));
	tv_put_str(nv, "list_url", certificate_list_url(d));
	if (notice_create(d, c->id, c->case_no, "issuance", "发证通知书", nv,
	    NULL, 0) < 0)
		return dom_fail(d, "issuance notice");
	if (no_out != NULL)
		*no_out = no;
	return DOM_OK;
}

enum dom_rc
certificate_of_case(struct dom *d, const struct case_ref *c, long long *id,
    const char **no)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	*no = NULL;
	if (!(c->parts & PART_SUMMARY))
		return DOM_NOT_FOUND;
	st = store_stmt(d->store, "SELECT id, no FROM certificate WHERE "
	    "case_id = ?1");
	if (st == NULL)
		return dom_fail(d, "certificate_of_case");
	store_bind_int(st, 1, c->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*no = arena_strdup(d->arena, store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DOM_OK;
	return rc == SQLITE_DONE ? DOM_NOT_FOUND : dom_fail(d,
	    "certificate_of_case");
}

/* Certificate officers and admins link imported certificates. */
static enum dom_rc
require_linker(struct dom *d)
{
	if (d->actor->role_bit == ROLE_CERT_STAFF ||
	    d->actor->role_bit == ROLE_ADMIN)
		return DOM_OK;
	return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有制证工作人员或系统管理员"
	    "可以把导入的证书关联到申请单位。");
}

/*
 * The candidates for a certificate with credit code uscc into *out (at
 * most max, one per organisation, those with a submitted 申请书 first);
 * their number, or -1 on a database error.
 */
static int
candidates(struct dom *d, const char *uscc, struct certificate_candidate *out,
    size_t max)
{
	/* The latest round of each submitted case, and each draft, whose
	 * 单位名称 and credit code are the 申请书's. */
	sqlite3_stmt *st = store_stmt(d->store, "SELECT c.org_id, o.name, "
	    "coalesce((SELECT v.value FROM round_value v WHERE v.round_id = "
	    "r.id AND v.field = 'org_name' AND v.row = -1), ''), c.id, "
	    "coalesce(c.case_no, ''), 1 FROM round_value rv JOIN round r ON "
	    "r.id = rv.round_id JOIN cases c ON c.id = r.case_id JOIN org o ON "
	    "o.id = c.org_id WHERE rv.field = 'uscc' AND rv.row = -1 AND "
	    "rv.value = ?1 AND r.n = c.rounds UNION ALL SELECT c.org_id, "
	    "o.name, coalesce((SELECT v.value FROM form_value v WHERE "
	    "v.case_id = c.id AND v.field = 'org_name' AND v.row = -1), ''), "
	    "c.id, '', 0 FROM form_value fv JOIN cases c ON c.id = fv.case_id "
	    "JOIN org o ON o.id = c.org_id WHERE fv.field = 'uscc' AND fv.row "
	    "= -1 AND fv.value = ?1 AND c.rounds = 0 ORDER BY 6 DESC, 4 DESC "
	    "LIMIT 200");
	size_t n = 0, i;
	long long org;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, uscc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		org = sqlite3_column_int64(st, 0);
		for (i = 0; i < n && out[i].org_id != org; i++)
			continue;
		if (i < n)
			continue;
		out[n].org_id = org;
		out[n].org_name = arena_strdup(d->arena, store_col_text(st, 1));
		out[n].form_name = arena_strdup(d->arena, store_col_text(st,
		    2));
		out[n].case_id = sqlite3_column_int64(st, 3);
		out[n].case_no = arena_strdup(d->arena, store_col_text(st, 4));
		out[n].submitted = sqlite3_column_int(st, 5);
		n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? (int)n : -1;
}

#define CANDIDATES_MAX	20

enum dom_rc
certificate_unlinked(struct dom *d, long long page,
    struct certificate_unlinked **rows, size_t *n, long long *total)
{
	struct certificate_unlinked *list;
	sqlite3_stmt *st;
	enum dom_rc rc;
	size_t i;
	int k, step;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if ((rc = require_linker(d)) != DOM_OK)
		return rc;
	if (page < 1)
		page = 1;
	st = store_stmt(d->store, "SELECT count(*) FROM certificate WHERE "
	    "org_id IS NULL");
	if (st == NULL)
		return dom_fail(d, "unlinked");
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return dom_fail(d, "unlinked");
	/* Those an organisation's 申请书 claims first: the officer's work. */
	st = store_stmt(d->store, "SELECT " CERT_COLS " FROM certificate t "
	    "WHERE t.org_id IS NULL ORDER BY (EXISTS (SELECT 1 FROM "
	    "round_value rv WHERE rv.field = 'uscc' AND rv.row = -1 AND "
	    "rv.value = t.uscc) OR EXISTS (SELECT 1 FROM form_value fv WHERE "
	    "fv.field = 'uscc' AND fv.row = -1 AND fv.value = t.uscc)) DESC, "
	    "t.id LIMIT ?5 OFFSET ?6");
	if (st == NULL)
		return dom_fail(d, "unlinked");
	list = arena_alloc(d->arena, CERTIFIED_PER_PAGE * sizeof(*list));
	bind_kinds(st);
	store_bind_int(st, 5, CERTIFIED_PER_PAGE);
	store_bind_int(st, 6, (page - 1) * CERTIFIED_PER_PAGE);
	while (*n < CERTIFIED_PER_PAGE &&
	    (step = sqlite3_step(st)) == SQLITE_ROW)
		read_cert(d, st, &list[(*n)++].cert);
	if (*n == CERTIFIED_PER_PAGE)
		step = SQLITE_DONE;
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return dom_fail(d, "unlinked");
	for (i = 0; i < *n; i++) {
		list[i].cand = arena_alloc(d->arena, CANDIDATES_MAX *
		    sizeof(*list[i].cand));
		if ((k = candidates(d, list[i].cert.uscc, list[i].cand,
		    CANDIDATES_MAX)) < 0)
			return dom_fail(d, "unlinked");
		list[i].ncand = (size_t)k;
	}
	*rows = list;
	return DOM_OK;
}

/* The link, inside its transaction. */
static enum dom_rc
link_cert(struct dom *d, long long cert_id, long long org_id)
{
	struct certificate_candidate cand[CANDIDATES_MAX];
	struct certificate c;
	sqlite3_stmt *st;
	enum dom_rc rc;
	char when[DATE_BUFSZ];
	int k, i;

	if ((rc = load(d, cert_id, NULL, &c)) != DOM_OK)
		return rc;
	if (!c.imported)
		return dom_refuse(d, DOM_CONFLICT, NULL, "证书 %s 由本系统颁发，"
		    "已属于其获证单位，不需要关联。", c.no);
	if (c.org_id != 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "证书 %s 已于 %s 由 %s "
		    "关联到“%s”，不能再关联。请刷新页面查看最新状态。", c.no,
		    date_stamp_local(c.linked_at, when) ? when : c.linked_at,
		    c.linked_by, c.holder);
	if ((k = candidates(d, c.uscc, cand, CANDIDATES_MAX)) < 0)
		return dom_fail(d, "link");
	for (i = 0; i < k && cand[i].org_id != org_id; i++)
		continue;
	if (org_id <= 0 || i == k)
		return dom_refuse(d, DOM_INVALID, "org_id", "所选单位的申请书中没有"
		    "统一社会信用代码 %s，不能关联证书 %s。请从列出的单位中选择，"
		    "或请该单位先在申请书第一节填写并保存统一社会信用代码。", c.uscc,
		    c.no);
	st = store_stmt(d->store, "UPDATE certificate SET org_id = ?2, "
	    "linked_by = ?3, linked_at = ?4 WHERE id = ?1 AND org_id IS NULL");
	if (st == NULL)
		return dom_fail(d, "link");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, org_id);
	store_bind_int(st, 3, d->actor->id);
	store_bind_text(st, 4, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(d->store)) != 1)
		return dom_fail(d, "link");
	return DOM_OK;
}

enum dom_rc
certificate_link(struct dom *d, long long cert_id, long long org_id)
{
	enum dom_rc rc;

	if ((rc = require_linker(d)) != DOM_OK)
		return rc;
	if (cert_id <= 0)
		return DOM_NOT_FOUND;
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, link_cert(d, cert_id, org_id));
}
