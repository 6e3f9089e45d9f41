/*
 * notice.c: creating notices.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "notice.h"
#include "outbox.h"
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
		{ "conclusion", 'C' }, { "issuance", 'F' }, { NULL, 0 }
	};
	size_t i;

	for (i = 0; letters[i].kind != NULL; i++)
		if (strcmp(letters[i].kind, kind) == 0)
			return letters[i].letter;
	return 'X';
}

long long
notice_create(struct dom *d, long long case_id, const char *case_no,
    const char *kind, const char *title, struct tv *view, const char *due,
    long long round_id)
{
	struct store *s = d->store;
	struct buf body;
	sqlite3_stmt *st;
	char err[256], no[64];
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
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(no, sizeof(no), "%s-%c%lld", case_no, letter(kind), n);
	tv_put_str(view, "notice_no", no);
	/* Dated the Chinese way, as the PDF dates it: 2026年12月6日. */
	tv_put_str(view, "notice_day", date_parse(day, &z) == 0 ?
	    arena_strdup(d->arena, date_zh(z, zh)) : day);
	tv_put_str(view, "case_no", case_no);
	buf_init(&body);
	if (tmpl_render_text(d->tmpl, arena_printf(d->arena,
	    "notice_%s", kind), view, &body, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: notice %s: %s\n", kind, err);
		buf_free(&body);
		return -1;
	}
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
	/* The applicant's contacts get it by e-mail, in this transaction. */
	if (id > 0 && outbox_to_applicants(s, case_id, id, arena_printf(
	    d->arena, "【资质申请】%s（%s）", title, case_no), body.p, NULL,
	    d->now) < 0)
		id = -1;
	buf_free(&body);
	return id;
}
