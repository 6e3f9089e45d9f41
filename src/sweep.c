/*
 * sweep.c: reminders and mail delivery (see sweep.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "files.h"
#include "mail.h"
#include "notice.h"
#include "outbox.h"
#include "reset.h"
#include "rules.h"
#include "status.h"
#include "sweep.h"
#include "util.h"
#include "workflow.h"

/* Where the reminders' links lead (sweep_reminders' public_url). */
static const char *site;

/*
 * Queues to the case's applicants (to_lead 0) or its lead (1), with the
 * case's address; with nobody active to receive it, to the supervisors
 * (outbox_to_case).
 */
static int
remind(struct store *s, long long case_id, int to_lead, const char *key,
    const char *subject, const char *body, long long now,
    struct sweep_stats *st)
{
	char *mail = outbox_case_body(body, site, case_id);
	int rc;

	rc = outbox_to_case(s, case_id, to_lead ? OUTBOX_LEAD :
	    OUTBOX_APPLICANTS, 0, subject, mail, key, now);
	free(mail);
	if (rc == 0)
		st->reminders++;
	return rc < 0 ? -1 : 0;
}

static int
supplement_reminders(struct store *s, zdate today, long long now,
    struct sweep_stats *st)
{
	struct {
		long long case_id, nid;
		char case_no[32], due[24];
	} row[256];
	sqlite3_stmt *q;
	char key[64], subj[256], body[1024], by[DATE_ZH_BUFSZ];
	zdate due;
	size_t n = 0, i;
	long long last = 0;
	int rc, left;

	/* In batches, so a large database needs little memory. */
	do {
		n = 0;
		/* The due date runs from 送达 (notice_service): a notice not
		 * yet served has none, and gets no reminder yet. */
		q = store_stmt(s, "SELECT c.id, c.case_no, n.id, "
		    "coalesce(sv.due, '') FROM cases c JOIN notice n ON n.id = "
		    "(SELECT max(id) FROM notice WHERE case_id = c.id AND kind = "
		    "'supplement') LEFT JOIN notice_service sv ON sv.notice_id = "
		    "n.id WHERE c.status = ?2 AND c.id > ?1 ORDER BY c.id LIMIT "
		    "256");
		if (q == NULL)
			return -1;
		store_bind_int(q, 1, last);
		store_bind_text(q, 2, status_code(ST_SUPPLEMENT_REQUESTED));
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].case_id = sqlite3_column_int64(q, 0);
			snprintf(row[n].case_no, sizeof(row[n].case_no), "%s",
			    store_col_text(q, 1));
			row[n].nid = sqlite3_column_int64(q, 2);
			snprintf(row[n].due, sizeof(row[n].due), "%s",
			    store_col_text(q, 3));
			last = row[n].case_id;
			n++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return -1;
		for (i = 0; i < n; i++) {
			if (date_parse(row[i].due, &due) != 0)
				continue;
			left = date_diff_days(today, due);
			snprintf(subj, sizeof(subj), "【资质申请】补正期限提醒（%s）",
			    row[i].case_no);
			if (left < 0) {
				snprintf(key, sizeof(key), "supover:%lld",
				    row[i].nid);
				snprintf(subj, sizeof(subj), "【资质申请】补正期限已过"
				    "（%s）", row[i].case_no);
				snprintf(body, sizeof(body), "案件 %s 的补正期限 %s"
				    "（含当日）已过，申请单位尚未提交补正材料。可以在受理"
				    "审查页面以逾期未补正为由不予受理（《申请与维持指南》"
				    "第 5.2 条）。\n", row[i].case_no, row[i].due);
				if (remind(s, row[i].case_id, 1, key, subj,
				    body, now, st) != 0)
					return -1;
				continue;
			}
			if (left <= 1)
				snprintf(key, sizeof(key), "sup1:%lld",
				    row[i].nid);
			else if (left <= 7)
				snprintf(key, sizeof(key), "sup7:%lld",
				    row[i].nid);
			else
				continue;
			snprintf(body, sizeof(body), "贵单位案件 %s 的补正材料须"
			    "于 %s提交，还有 %d 天。请按补正告知书修改申请书、补充"
			    "材料，并在“逐项检查”页面提交补正材料。逾期未提交的，本"
			    "中心可以不予受理。\n", row[i].case_no,
			    date_deadline_zh(row[i].due, by), left);
			if (remind(s, row[i].case_id, 0, key, subj, body, now,
			    st) != 0)
				return -1;
		}
	} while (n == 256);
	return 0;
}

static int
clock_reminders(struct store *s, const char *today, long long now,
    struct sweep_stats *st)
{
	static const char *code[] = { "on_track", "at_risk", "over_target",
	    "over_limit" };
	static const char *zh[] = { "", "临近目标期限", "已超出目标周期（3 个月）",
	    "已超出最长周期（6 个月）" };
	struct {
		long long id;
		int u, net;
		char no[32];
	} row[256];
	sqlite3_stmt *q;
	char key[64], subj[256], body[512];
	size_t n, i;
	long long last = 0;
	int rc;

	do {
		n = 0;
		q = store_stmt(s, "SELECT c.id, " WF_SQL_URGENCY ", "
		    WF_SQL_NET ", c.case_no FROM cases c WHERE c.is_open = 1 AND "
		    "c.clock_start IS NOT NULL AND "
		    "c.id > ?2 ORDER BY c.id LIMIT 256");
		if (q == NULL)
			return -1;
		store_bind_text(q, 1, today);
		store_bind_int(q, 2, last);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].id = last = sqlite3_column_int64(q, 0);
			row[n].u = sqlite3_column_int(q, 1);
			row[n].net = sqlite3_column_int(q, 2);
			snprintf(row[n].no, sizeof(row[n].no), "%s",
			    store_col_text(q, 3));
			n++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return -1;
		for (i = 0; i < n; i++) {
			if (row[i].u < 1 || row[i].u > 3)
				continue;
			snprintf(key, sizeof(key), "clock:%lld:%s", row[i].id,
			    code[row[i].u]);
			snprintf(subj, sizeof(subj), "【资质申请】案件周期提醒（%s）",
			    row[i].no);
			snprintf(body, sizeof(body), "案件 %s 已计周期 %d 天，%s。"
			    "请在工作队列中优先处理。\n", row[i].no, row[i].net,
			    zh[row[i].u]);
			if (remind(s, row[i].id, 1, key, subj, body, now,
			    st) != 0)
				return -1;
		}
	} while (n == 256);
	return 0;
}

/* Queues to the holder of a certificate without a case (outbox.c). */
static int
remind_holder(struct store *s, long long org_id, const char *key,
    const char *subject, const char *body, long long now,
    struct sweep_stats *st)
{
	int rc = outbox_to_holder(s, org_id, subject, body, key, now);

	if (rc == 0)
		st->reminders++;
	return rc < 0 ? -1 : 0;
}

static int
certificate_reminders(struct store *s, zdate today, long long now,
    struct sweep_stats *st)
{
	const struct rules *r = rules_default();
	struct {
		long long id, case_id, org_id;
		char no[64], exp[24];
	} row[256];
	sqlite3_stmt *q;
	char key[64], subj[256], body[768], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	char by[DATE_ZH_BUFSZ];
	struct rules_window w;
	zdate exp, t9, t7;
	size_t n, i;
	long long last = 0;
	int rc;

	do {
		n = 0;
		/* Certificates with a holder (an imported one once linked),
		 * not revoked, and not maintained: no maintenance case of
		 * that certificate open (cert_maintenance), and not
		 * superseded by the certificate a successful one got. Any
		 * other case of the holder, later or not, open, failed,
		 * refused or withdrawn, leaves the reminders alone (issue
		 * 19, item 4). */
		q = store_stmt(s, "SELECT ce.id, coalesce(ce.case_id, 0), "
		    "ce.org_id, ce.no, ce.expires_on FROM certificate ce WHERE "
		    "ce.id > ?1 AND ce.org_id IS NOT NULL AND ce.superseded_by "
		    "IS NULL AND NOT EXISTS (SELECT 1 FROM sanction sa WHERE "
		    "sa.certificate_id = ce.id AND sa.kind = 'revocation') AND "
		    "NOT EXISTS (SELECT 1 FROM cert_maintenance m JOIN cases mc "
		    "ON mc.id = m.case_id WHERE m.certificate_id = ce.id AND "
		    "mc.is_open = 1) ORDER BY ce.id LIMIT 256");
		if (q == NULL)
			return -1;
		store_bind_int(q, 1, last);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].id = last = sqlite3_column_int64(q, 0);
			row[n].case_id = sqlite3_column_int64(q, 1);
			row[n].org_id = sqlite3_column_int64(q, 2);
			snprintf(row[n].no, sizeof(row[n].no), "%s",
			    store_col_text(q, 3));
			snprintf(row[n].exp, sizeof(row[n].exp), "%s",
			    store_col_text(q, 4));
			n++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return -1;
		for (i = 0; i < n; i++) {
			if (date_parse(row[i].exp, &exp) != 0 || today > exp)
				continue;
			rules_maint_window(r, exp, today, &w);
			t9 = date_add_months(exp, -9);
			t7 = date_add_months(exp, -7);
			date_format(w.on_time_until, d1);
			date_format(w.late_until, d2);
			if (today > w.on_time_until) {
				snprintf(key, sizeof(key), "certwin:%lld",
				    row[i].id);
				snprintf(body, sizeof(body), "贵单位的资质证书 %s "
				    "有效期至 %s（含当日）。按期提交维持申请的期限（%s，"
				    "含当日）已过：现在提交的维持申请为逾期维持申请，证书"
				    "可能在结论作出前到期；%s 之后提交的，视作初次申请。"
				    "\n", row[i].no, row[i].exp, d1, d2);
			} else if (today >= t7) {
				snprintf(key, sizeof(key), "cert7:%lld",
				    row[i].id);
				snprintf(body, sizeof(body), "贵单位的资质证书 %s "
				    "有效期至 %s（含当日，还有约 7 个月）。请于 %s提交"
				    "维持申请，以确保资质有效。\n", row[i].no,
				    row[i].exp, date_deadline_zh(d1, by));
			} else if (today >= t9) {
				snprintf(key, sizeof(key), "cert9:%lld",
				    row[i].id);
				snprintf(body, sizeof(body), "贵单位的资质证书 %s "
				    "有效期至 %s（含当日，还有约 9 个月）。维持申请须至少"
				    "在有效期届满前 6 个月提交，即 %s，请及早准备近三年"
				    "的资料。\n", row[i].no, row[i].exp,
				    date_deadline_zh(d1, by));
			} else
				continue;
			snprintf(subj, sizeof(subj), "【资质证书】到期提醒（%s）",
			    row[i].no);
			if ((row[i].case_id > 0 ? remind(s, row[i].case_id, 0,
			    key, subj, body, now, st) : remind_holder(s,
			    row[i].org_id, key, subj, body, now, st)) != 0)
				return -1;
		}
	} while (n == 256);
	return 0;
}

/* Mails the supervisor who imposed sanction sid (by), or, when that
 * account is disabled or gone, every active supervisor; once each. */
static int
tell_supervisors(struct store *s, long long sid, long long by,
    const char *subject, const char *body, long long now,
    struct sweep_stats *st)
{
	struct {
		long long id;
		char email[256];
	} to[64];
	sqlite3_stmt *q;
	char key[64];
	size_t n = 0, i;
	int rc;

	q = store_stmt(s, "SELECT id, email FROM account WHERE role = "
	    "'supervisor' AND disabled = 0 AND (id = ?1 OR NOT EXISTS (SELECT "
	    "1 FROM account WHERE id = ?1 AND role = 'supervisor' AND disabled "
	    "= 0)) ORDER BY id LIMIT 64");
	if (q == NULL)
		return -1;
	store_bind_int(q, 1, by);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		to[n].id = sqlite3_column_int64(q, 0);
		snprintf(to[n].email, sizeof(to[n].email), "%s",
		    store_col_text(q, 1));
		n++;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "rectover:%lld:%lld", sid, to[i].id);
		if ((rc = outbox_add(s, 0, 0, to[i].email, subject, body, key,
		    now)) < 0)
			return -1;
		if (rc == 0)
			st->reminders++;
	}
	return 0;
}

/*
 * 限期整改 (§6): the holder is reminded rect_remind_days before the
 * deadline; once it has passed and the rectification is not lifted, the
 * supervisor who imposed it is told (or every supervisor, when that one
 * is gone). A cancelled certificate has nothing left to rectify.
 */
static int
rectification_reminders(struct store *s, zdate today, long long now,
    struct sweep_stats *st)
{
	const struct rules *r = rules_default();
	struct {
		long long id, cid, case_id, org_id, by;
		char no[64], deadline[24];
	} row[256];
	sqlite3_stmt *q;
	char key[64], subj[256], body[768];
	size_t n, i;
	long long last = 0;
	zdate dl;
	int rc, left;

	do {
		n = 0;
		q = store_stmt(s, "SELECT sa.id, ce.id, coalesce(ce.case_id, 0), "
		    "sa.by_id, ce.no, sa.deadline, coalesce(ce.org_id, 0) FROM "
		    "sanction sa JOIN certificate ce ON "
		    "ce.id = sa.certificate_id WHERE sa.kind = 'rectification' "
		    "AND sa.lifted_at IS NULL AND sa.id > ?1 AND NOT EXISTS "
		    "(SELECT 1 FROM sanction x WHERE x.certificate_id = ce.id AND "
		    "x.kind = 'revocation') ORDER BY sa.id LIMIT 256");
		if (q == NULL)
			return -1;
		store_bind_int(q, 1, last);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].id = last = sqlite3_column_int64(q, 0);
			row[n].cid = sqlite3_column_int64(q, 1);
			row[n].case_id = sqlite3_column_int64(q, 2);
			row[n].by = sqlite3_column_int64(q, 3);
			snprintf(row[n].no, sizeof(row[n].no), "%s",
			    store_col_text(q, 4));
			snprintf(row[n].deadline, sizeof(row[n].deadline), "%s",
			    store_col_text(q, 5));
			row[n].org_id = sqlite3_column_int64(q, 6);
			n++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return -1;
		for (i = 0; i < n; i++) {
			if (date_parse(row[i].deadline, &dl) != 0)
				continue;
			left = date_diff_days(today, dl);
			if (left < 0) {
				snprintf(subj, sizeof(subj), "【资质证书】限期整改期限"
				    "已过（%s）", row[i].no);
				snprintf(body, sizeof(body), "证书 %s 的限期整改期限 "
				    "%s 已过，该处置尚未解除。请核实持证单位的整改情况："
				    "整改已完成的，解除限期整改；未完成的，可以依据《指南》"
				    "第六章作出进一步处置。证书页面：/certificates/%lld\n",
				    row[i].no, row[i].deadline, row[i].cid);
				if (tell_supervisors(s, row[i].id, row[i].by, subj,
				    body, now, st) != 0)
					return -1;
				continue;
			}
			if (left > r->rect_remind_days)
				continue;
			snprintf(key, sizeof(key), "rect%d:%lld",
			    r->rect_remind_days, row[i].id);
			snprintf(subj, sizeof(subj), "【资质证书】限期整改期限提醒"
			    "（%s）", row[i].no);
			snprintf(body, sizeof(body), "贵单位资质证书 %s 的限期整改"
			    "期限为 %s（含当日），还有 %d 天。请按限期整改通知书完成"
			    "整改，并将整改情况书面报告本中心监督部门。逾期未完成整改"
			    "的，本中心可以作出进一步处置。\n", row[i].no,
			    row[i].deadline, left);
			if ((row[i].case_id > 0 ? remind(s, row[i].case_id, 0,
			    key, subj, body, now, st) : remind_holder(s,
			    row[i].org_id, key, subj, body, now, st)) != 0)
				return -1;
		}
	} while (n == 256);
	return 0;
}

int
sweep_reminders(struct store *s, const char *today, long long now,
    const char *public_url, struct sweep_stats *st)
{
	zdate d;

	site = public_url;
	if (date_parse(today, &d) != 0)
		return -1;
	if (store_begin(s) != 0)
		return -1;
	if (supplement_reminders(s, d, now, st) != 0 ||
	    clock_reminders(s, today, now, st) != 0 ||
	    certificate_reminders(s, d, now, st) != 0 ||
	    rectification_reminders(s, d, now, st) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

int
sweep_unserved(struct store *s, const char *today, int days, long long now,
    struct sweep_stats *st)
{
	struct {
		long long nid, case_id;
		char no[64], title[128], day[24];
	} row[256];
	sqlite3_stmt *q;
	char key[64], subj[256], body[1024], cutoff[DATE_BUFSZ];
	size_t n, i;
	long long last = 0;
	zdate d;
	int rc;

	if (date_parse(today, &d) != 0 || days < 0)
		return -1;
	date_format(d - days, cutoff);
	if (store_begin(s) != 0)
		return -1;
	do {
		n = 0;
		/* Notices made on or before the cutoff, not yet served. */
		q = store_stmt(s, "SELECT n.id, n.case_id, n.no, n.title, n.day "
		    "FROM notice n WHERE n.id > ?1 AND n.day <= ?2 AND NOT "
		    "EXISTS (SELECT 1 FROM notice_service sv WHERE sv.notice_id "
		    "= n.id) ORDER BY n.id LIMIT 256");
		if (q == NULL)
			goto fail;
		store_bind_int(q, 1, last);
		store_bind_text(q, 2, cutoff);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].nid = last = sqlite3_column_int64(q, 0);
			row[n].case_id = sqlite3_column_int64(q, 1);
			snprintf(row[n].no, sizeof(row[n].no), "%s",
			    store_col_text(q, 2));
			snprintf(row[n].title, sizeof(row[n].title), "%s",
			    store_col_text(q, 3));
			snprintf(row[n].day, sizeof(row[n].day), "%s",
			    store_col_text(q, 4));
			n++;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			goto fail;
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "unserved:%lld", row[i].nid);
			snprintf(subj, sizeof(subj), "【资质申请】通知未送达（%s）",
			    row[i].no);
			snprintf(body, sizeof(body), "%s %s 于 %s 发出，%d 天内既未"
			    "被申请单位的邮件服务器接收，申请单位也未在系统中打开，"
			    "尚未送达；以送达起算的期限（如补正期限）尚未开始。请电话"
			    "联系申请单位，核实其电子邮箱，请其登录系统查看，或重新发送"
			    "通知。\n", row[i].title, row[i].no, row[i].day, days);
			if (remind(s, row[i].case_id, 1, key, subj, body, now,
			    st) != 0)
				goto fail;
		}
	} while (n == 256);
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

static int
mark(struct store *s, long long id, const char *state, int attempts,
    long long next, const char *error, long long now)
{
	/* A secret the message carried goes once it is sent or failed. */
	sqlite3_stmt *q = store_stmt(s, "UPDATE outbox SET state = ?2, "
	    "attempts = ?3, next_attempt = ?4, last_error = ?5, sent_at = "
	    "CASE WHEN ?2 = 'sent' THEN ?6 ELSE sent_at END, secret = CASE "
	    "WHEN ?2 = 'pending' THEN secret END WHERE id = ?1");
	char stamp[24];

	if (q == NULL)
		return -1;
	date_stamp(now, stamp);
	store_bind_int(q, 1, id);
	store_bind_text(q, 2, state);
	store_bind_int(q, 3, attempts);
	store_bind_int(q, 4, next);
	store_bind_text(q, 5, error);
	store_bind_text(q, 6, stamp);
	return sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
}

/*
 * The server said 250: the message is marked sent and, if it carries a
 * notice, the notice is served now (the first 送达 counts), together.
 */
static int
sent(struct store *s, long long id, int attempts, long long now)
{
	int row;
	sqlite3_stmt *q;
	long long nid = 0;

	if (store_begin(s) != 0)
		return -1;
	if (mark(s, id, "sent", attempts, 0, NULL, now) != 0)
		goto fail;
	q = store_stmt(s, "SELECT coalesce(notice_id, 0) FROM outbox WHERE "
	    "id = ?1");
	if (q == NULL)
		goto fail;
	store_bind_int(q, 1, id);
	if ((row = store_row(q)) < 0)
		goto fail;
	if (row == 1)
		nid = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (nid > 0 && notice_serve(s, nid, now, NOTICE_VIA_SMTP, id, 0) < 0)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

/* The body to send: the secret in place of its mark (outbox.h). */
static char *
with_secret(const char *body, const char *secret)
{
	const char *p = secret ? strstr(body, OUTBOX_SECRET) : NULL;
	size_t n;
	char *out;

	if (p == NULL)
		return xstrdup(body);
	n = strlen(body) - strlen(OUTBOX_SECRET) + strlen(secret) + 1;
	out = xmalloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(p - body), body, secret,
	    p + strlen(OUTBOX_SECRET));
	return out;
}

int
sweep_deliver(struct store *s, const struct mail_config *cfg, long long now,
    long long backoff, struct sweep_stats *st)
{
	sqlite3_stmt *q;
	struct buf msg;
	char err[512], to[256], subject[512], mid[128], stamp[24];
	char *body;
	long long id, last = 0, delay;
	int attempts, rc;
	enum mail_result mr;

	/* A secret whose link has expired unsent is of no use to anyone:
	 * the message fails and the secret goes. */
	date_stamp(now - RESET_SECONDS, stamp);
	q = store_stmt(s, "UPDATE outbox SET state = 'failed', secret = NULL, "
	    "last_error = 'the link it carried expired before it was sent' "
	    "WHERE state = 'pending' AND secret IS NOT NULL AND created_at < ?1");
	if (q == NULL)
		return -1;
	store_bind_text(q, 1, stamp);
	if (sqlite3_step(q) != SQLITE_DONE)
		return -1;
	for (;;) {
		q = store_stmt(s, "SELECT id, to_addr, subject, body, "
		    "message_id, attempts, secret FROM outbox WHERE state = "
		    "'pending' "
		    "AND next_attempt <= ?1 AND id > ?2 ORDER BY id LIMIT 1");
		if (q == NULL)
			return -1;
		store_bind_int(q, 1, now);
		store_bind_int(q, 2, last);
		if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
			sqlite3_reset(q);
			break;
		}
		id = last = sqlite3_column_int64(q, 0);
		snprintf(to, sizeof(to), "%s", store_col_text(q, 1));
		snprintf(subject, sizeof(subject), "%s", store_col_text(q, 2));
		body = with_secret(store_col_text(q, 3),
		    sqlite3_column_type(q, 6) == SQLITE_NULL ? NULL :
		    store_col_text(q, 6));
		snprintf(mid, sizeof(mid), "%s", store_col_text(q, 4));
		attempts = sqlite3_column_int(q, 5);
		sqlite3_reset(q);
		if (cfg == NULL) {
			free(body);
			continue;
		}
		buf_init(&msg);
		if (mail_format(&msg, cfg->from_name, cfg->from, to, subject, body, mid,
		    now) != 0) {
			mr = MAIL_PERMFAIL;
			snprintf(err, sizeof(err), "message cannot be formatted");
		} else
			mr = mail_send(cfg, to, msg.p, msg.n, err, sizeof(err));
		buf_free(&msg);
		free(body);
		attempts++;
		switch (mr) {
		case MAIL_SENT:
			rc = sent(s, id, attempts, now);
			st->sent++;
			break;
		case MAIL_TEMPFAIL:
			delay = backoff << (attempts < 12 ? attempts - 1 : 11);
			rc = mark(s, id, attempts >= SWEEP_MAX_ATTEMPTS ?
			    "failed" : "pending", attempts, now + delay, err,
			    now);
			if (attempts >= SWEEP_MAX_ATTEMPTS)
				st->failed++;
			else
				st->retry++;
			break;
		default:
			rc = mark(s, id, "failed", attempts, 0, err, now);
			st->failed++;
			break;
		}
		if (rc != 0)
			return -1;
	}
	q = store_stmt(s, "SELECT count(*) FROM outbox WHERE state = "
	    "'pending'");
	if (q == NULL)
		return -1;
	if (store_row(q) != 1)
		return -1;
	st->pending = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return 0;
}

/* Whether a record names the file: 1, 0, or -1 on an error. */
static int
file_named(struct store *s, const char *hex)
{
	sqlite3_stmt *q = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM "
	    "material WHERE sha256 = ?1) OR EXISTS (SELECT 1 FROM "
	    "assessment_file WHERE sha256 = ?1) OR EXISTS (SELECT 1 FROM "
	    "appeal_file WHERE sha256 = ?1)");
	int named = -1;

	if (q == NULL)
		return -1;
	store_bind_text(q, 1, hex);
	if (sqlite3_step(q) == SQLITE_ROW)
		named = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return named;
}

int
sweep_files(struct store *s, const char *files_dir, long long now,
    struct sweep_stats *st)
{
	int row;
	sqlite3_stmt *q;
	char hex[FILES_HEX_SIZE];
	int named, gone;

	for (;;) {
		/* Under the write lock: no row can come to name the file
		 * between the look and the deletion. */
		if (store_begin(s) != 0)
			return -1;
		q = store_stmt(s, "SELECT sha256 FROM file_purge WHERE purged < "
		    "?1 ORDER BY purged LIMIT 1");
		if (q == NULL)
			goto fail;
		store_bind_int(q, 1, now - SWEEP_PURGE_AFTER);
		if ((row = store_row(q)) != 1) {
			sqlite3_reset(q);
			if (row < 0)
				goto fail;
			return store_commit(s);
		}
		snprintf(hex, sizeof(hex), "%s", store_col_text(q, 0));
		sqlite3_reset(q);
		if ((named = file_named(s, hex)) < 0)
			goto fail;
		gone = named ? 0 : files_remove_old(files_dir, hex,
		    now - SWEEP_PURGE_AFTER);
		if (gone < 0) {
			fprintf(stderr, "zizhi sweep: cannot delete %s\n", hex);
			goto fail;
		}
		/* Named again, or gone: done with it. Stored again lately:
		 * looked at again after another day. */
		if (gone == 1)
			q = store_stmt(s, "UPDATE file_purge SET purged = ?2 "
			    "WHERE sha256 = ?1");
		else
			q = store_stmt(s, "DELETE FROM file_purge WHERE sha256 "
			    "= ?1 AND ?2 = ?2");
		if (q == NULL)
			goto fail;
		store_bind_text(q, 1, hex);
		store_bind_int(q, 2, now);
		if (sqlite3_step(q) != SQLITE_DONE)
			goto fail;
		if (!named && gone == 0)
			st->deleted++;
		if (store_commit(s) != 0)
			return -1;
	}
fail:
	store_rollback(s);
	return -1;
}
