/*
 * notice.c: creating notices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "notice.h"
#include "outbox.h"
#include "rules.h"
#include "store.h"
#include "tmpl.h"
#include "util.h"

static char
letter(const char *kind)
{
	static const struct {
		const char	*kind;
		char		 letter;
	} letters[] = {
		{ "receipt", 'R' }, { "supplement", 'B' }, { "acceptance", 'S' },
		{ "refusal", 'N' }, { "agreement", 'A' }, { "payment", 'P' },
		{ "conclusion", 'C' }, { "issuance", 'F' }, { "plan", 'J' },
		{ "documents", 'D' }, { "sanction", 'Z' }, { "lifting", 'L' },
		{ "appeal", 'U' }, { NULL, 0 }
	};
	size_t i;

	for (i = 0; letters[i].kind != NULL; i++)
		if (strcmp(letters[i].kind, kind) == 0)
			return letters[i].letter;
	return 'X';
}

/* templates/notice_KIND.txt with view into body (buf_init'd here): 0,
 * or -1 with body freed and the error logged. */
static int
render(struct dom *d, const char *kind, struct tv *view, struct buf *body)
{
	char err[256];

	buf_init(body);
	if (tmpl_render_text(d->tmpl, arena_printf(d->arena, "notice_%s",
	    kind), view, body, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "zizhi: notice %s: %s\n", kind, err);
	buf_free(body);
	return -1;
}

long long
notice_create(struct dom *d, long long case_id, const char *case_no,
    const char *kind, const char *title, struct tv *view, const char *due,
    long long round_id)
{
	struct store *s = d->store;
	struct buf body;
	sqlite3_stmt *st;
	char no[64];
	const char *stamp = d->stamp, *day = d->today_s;
	long long n = 1, id = -1;
	char zh[DATE_BUFSZ];
	zdate z;

	st = store_stmt(s, "SELECT count(*) + 1 FROM notice WHERE case_id = ?1 "
	    "AND kind = ?2");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind);
	if (store_row(st) != 1)
		return -1;
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(no, sizeof(no), "%s-%c%lld", case_no, letter(kind), n);
	tv_put_str(view, "notice_no", no);
	/* Dated the Chinese way, as the PDF dates it: 2026年12月6日. */
	tv_put_str(view, "notice_day", date_parse(day, &z) == 0 ?
	    arena_strdup(d->arena, date_zh(z, zh)) : day);
	tv_put_str(view, "case_no", case_no);
	if (render(d, kind, view, &body) != 0)
		return -1;
	st = store_stmt(s, "INSERT INTO notice(case_id, kind, no, at, day, "
	    "title, body, due, round_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9)");
	if (st != NULL) {
		store_bind_int(st, 1, case_id);
		store_bind_text(st, 2, kind);
		store_bind_text(st, 3, no);
		store_bind_text(st, 4, stamp);
		store_bind_text(st, 5, day);
		store_bind_text(st, 6, title);
		store_bind_text(st, 7, body.p);
		store_bind_text(st, 8, due);
		if (round_id > 0)
			store_bind_int(st, 9, round_id);
		if (sqlite3_step(st) == SQLITE_DONE)
			id = sqlite3_last_insert_rowid(store_db(s));
		else
			fprintf(stderr, "zizhi: notice: %s\n",
			    sqlite3_errmsg(store_db(s)));
	}
	/* The applicant's contacts get it by e-mail, in this transaction,
	 * with the address of the case to act on it (or, with no active
	 * contact left, the supervisors: outbox_to_case). */
	if (id > 0) {
		char *mail = outbox_case_body(body.p, d->public_url, case_id);

		if (outbox_to_case(s, case_id, OUTBOX_APPLICANTS, id,
		    arena_printf(d->arena, "【资质申请】%s（%s）", title,
		    case_no), mail, NULL, d->now) < 0)
			id = -1;
		free(mail);
	}
	buf_free(&body);
	return id;
}

int
notice_serve(struct store *s, long long notice_id, long long now,
    const char *via, long long outbox_id, long long account_id)
{
	sqlite3_stmt *st;
	char stamp[DATE_BUFSZ], day[DATE_BUFSZ], due[DATE_BUFSZ] = "";
	int rc, supplement = 0;

	st = store_stmt(s, "SELECT kind = 'supplement' FROM notice WHERE id = "
	    "?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, notice_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		supplement = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	date_stamp(now, stamp);
	date_day(now, day);
	/* The supplement's month runs from receipt (§5.2). */
	if (supplement)
		date_format(rules_supplement_due(rules_default(),
		    date_of_unix(now)), due);
	st = store_stmt(s, "INSERT INTO notice_service(notice_id, at, day, "
	    "via, outbox_id, account_id, due) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) ON CONFLICT(notice_id) DO NOTHING");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, notice_id);
	store_bind_text(st, 2, stamp);
	store_bind_text(st, 3, day);
	store_bind_text(st, 4, via);
	if (outbox_id > 0)
		store_bind_int(st, 5, outbox_id);
	if (account_id > 0)
		store_bind_int(st, 6, account_id);
	store_bind_text(st, 7, *due ? due : NULL);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: notice service: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	if (sqlite3_changes(store_db(s)) != 1)
		return 0;
	/* The case's supplement due date, for the queue and the dashboard
	 * (schema version 7), when this is its latest supplement notice. */
	if (supplement) {
		st = store_stmt(s, "UPDATE cases SET supplement_due = ?2 WHERE "
		    "id = (SELECT case_id FROM notice WHERE id = ?1) AND ?1 = "
		    "(SELECT max(n.id) FROM notice n WHERE n.case_id = cases.id "
		    "AND n.kind = 'supplement')");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, notice_id);
		store_bind_text(st, 2, due);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	return 1;
}

enum dom_rc
notice_open(struct dom *d, const struct case_ref *c, long long nid,
    struct notice_row *out)
{
	enum dom_rc rc;

	if ((rc = notice_get(d, c, nid, out)) != DOM_OK)
		return rc;
	if (!(c->rels & REL_OWN_ORG) || *out->served_day != '\0')
		return DOM_OK;
	/* Someone of the organisation opens it: served, unless the mail
	 * server (or another of them) was first. */
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if (notice_serve(d->store, nid, d->now, NOTICE_VIA_PORTAL, 0,
	    d->actor->id) < 0)
		return dom_fail(d, "notice service");
	if ((rc = dom_end(d, DOM_OK)) != DOM_OK)
		return rc;
	return notice_get(d, c, nid, out);
}

int
notice_mail_holder(struct dom *d, long long org_id, const char *ref,
    const char *kind, const char *title, struct tv *view)
{
	struct buf body;
	int rc;

	tv_put_str(view, "notice_no", ref);
	tv_put_str(view, "notice_day", d->today_s);
	tv_put_str(view, "case_no", "");
	if (render(d, kind, view, &body) != 0)
		return -1;
	rc = org_id > 0 ? outbox_to_holder(d->store, org_id, arena_printf(
	    d->arena, "【资质证书】%s（%s）", title, ref), body.p, NULL,
	    d->now) : 1;
	buf_free(&body);
	return rc < 0 ? -1 : 0;
}
