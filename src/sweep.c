/*
 * sweep.c: reminders and mail delivery (see sweep.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mail.h"
#include "outbox.h"
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
		q = store_stmt(s, "SELECT c.id, c.case_no, n.id, n.due FROM "
		    "cases c JOIN notice n ON n.id = (SELECT max(id) FROM notice "
		    "WHERE case_id = c.id AND kind = 'supplement') WHERE "
		    "c.status = ?2 AND c.id > ?1 ORDER BY c.id LIMIT 256");
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

static int
certificate_reminders(struct store *s, zdate today, long long now,
    struct sweep_stats *st)
{
	const struct rules *r = rules_default();
	struct {
		long long id, case_id;
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
		/* Certificates not revoked, whose holder has no later
		 * application open or issued: a later application that failed,
		 * was refused or withdrawn leaves the certificate as it was,
		 * and its reminders with it. */
		q = store_stmt(s, "SELECT ce.id, ce.case_id, ce.no, "
		    "ce.expires_on FROM certificate ce WHERE ce.id > ?1 AND NOT "
		    "EXISTS (SELECT 1 FROM sanction sa WHERE sa.certificate_id = "
		    "ce.id AND sa.kind = 'revocation') AND NOT EXISTS (SELECT 1 "
		    "FROM cases c2 WHERE c2.org_id = ce.org_id AND c2.id > "
		    "ce.case_id AND (c2.is_open = 1 OR c2.status = ?2)) ORDER BY "
		    "ce.id LIMIT 256");
		if (q == NULL)
			return -1;
		store_bind_text(q, 2, status_code(ST_ISSUED));
		store_bind_int(q, 1, last);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			row[n].id = last = sqlite3_column_int64(q, 0);
			row[n].case_id = sqlite3_column_int64(q, 1);
			snprintf(row[n].no, sizeof(row[n].no), "%s",
			    store_col_text(q, 2));
			snprintf(row[n].exp, sizeof(row[n].exp), "%s",
			    store_col_text(q, 3));
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
			if (remind(s, row[i].case_id, 0, key, subj, body, now,
			    st) != 0)
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
	    certificate_reminders(s, d, now, st) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

static int
mark(struct store *s, long long id, const char *state, int attempts,
    long long next, const char *error, long long now)
{
	sqlite3_stmt *q = store_stmt(s, "UPDATE outbox SET state = ?2, "
	    "attempts = ?3, next_attempt = ?4, last_error = ?5, sent_at = "
	    "CASE WHEN ?2 = 'sent' THEN ?6 ELSE sent_at END WHERE id = ?1");
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

int
sweep_deliver(struct store *s, const struct mail_config *cfg, long long now,
    long long backoff, struct sweep_stats *st)
{
	sqlite3_stmt *q;
	struct buf msg;
	char err[512], to[256], subject[512], mid[128];
	char *body;
	long long id, last = 0, delay;
	int attempts, rc;
	enum mail_result mr;

	for (;;) {
		q = store_stmt(s, "SELECT id, to_addr, subject, body, "
		    "message_id, attempts FROM outbox WHERE state = 'pending' "
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
		body = xstrdup(store_col_text(q, 3));
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
			rc = mark(s, id, "sent", attempts, 0, NULL, now);
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
	if (sqlite3_step(q) == SQLITE_ROW)
		st->pending = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return 0;
}
