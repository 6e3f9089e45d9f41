/*
 * eligibility.c: the judging day, the eligibility of a form and the
 * supplementary requirements (eligibility.h).
 */
#include <stdio.h>
#include <string.h>

#include "eligibility.h"
#include "rows.h"
#include "store.h"
#include "util.h"
#include "valid.h"

zdate
elig_round_day(struct dom *d, long long case_id, int n)
{
	sqlite3_stmt *st;
	char local[DATE_BUFSZ], day[DATE_BUFSZ] = "";
	zdate z = DATE_NONE;

	st = store_stmt(d->store, "SELECT submitted_at FROM round WHERE "
	    "case_id = ?1 AND n = ?2");
	if (st == NULL)
		return DATE_NONE;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    date_stamp_local(store_col_text(st, 0), local) != NULL)
		snprintf(day, sizeof(day), "%.10s", local);
	sqlite3_reset(st);
	if (date_parse(day, &z) != 0) {
		fprintf(stderr, "zizhi: case %lld: no day for round %d\n",
		    case_id, n);
		return DATE_NONE;
	}
	return z;
}

zdate
elig_day(struct dom *d, const struct case_ref *c)
{
	return c->rounds < 1 ? d->today : elig_round_day(d, c->id, 1);
}

/* One requirement row: id, title, hint, active, added_at, and on a
 * case met (NULL when not recorded), evidence, by, at. */
static void
req_row(struct dom *d, sqlite3_stmt *st, struct elig_req *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->title = arena_strdup(d->arena, store_col_text(st, 1));
	r->hint = arena_strdup(d->arena, store_col_text(st, 2));
	r->active = sqlite3_column_int(st, 3);
	r->added_at = arena_strdup(d->arena, store_col_text(st, 4));
	r->evidence = "";
	r->by = "";
	r->at = "";
	if (sqlite3_column_count(st) > 5 &&
	    sqlite3_column_type(st, 5) != SQLITE_NULL) {
		r->recorded = 1;
		r->met = sqlite3_column_int(st, 5);
		r->evidence = arena_strdup(d->arena, store_col_text(st, 6));
		r->by = arena_strdup(d->arena, store_col_text(st, 7));
		r->at = arena_strdup(d->arena, store_col_text(st, 8));
	}
}

/* Reads the rows st gives into *out. */
static enum dom_rc
req_rows(struct dom *d, sqlite3_stmt *st, struct elig_req **out, size_t *n)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = rows_grow(d->arena, *out, *n, &cap, sizeof(**out));
		req_row(d, st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "requirements");
}

/* Appends "、" and s to the list *list of *n items. */
static void
list_add(struct dom *d, const char **list, size_t *n, const char *s)
{
	*list = *n == 0 ? s : arena_printf(d->arena, "%s、%s", *list, s);
	(*n)++;
}

enum dom_rc
elig_judge(struct dom *d, const struct case_ref *c,
    const struct fdef_source *src, zdate day, int submitted,
    struct eligibility *out)
{
	const struct rules *r = rules_default();
	sqlite3_stmt *st;
	enum dom_rc rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->day = day;
	if (day != DATE_NONE)
		date_format(day, out->day_s);
	out->submitted = submitted;
	rules_applicant_init(&out->ap);
	fdef_applicant(d->arena, r, src, day, &out->ap);
	out->nchecks = rules_eligibility(r, &out->ap, out->checks);
	out->nfin = rules_fin_rows(r, &out->ap, out->fin);
	if (out->ap.nprojects > 0) {
		out->projects = arena_alloc(d->arena, (size_t)
		    out->ap.nprojects * sizeof(*out->projects));
		out->nprojects = rules_proj_rows(r, &out->ap, out->projects);
	}

	st = store_stmt(d->store, "SELECT q.id, q.title, q.hint, "
	    "q.retired_at IS NULL, q.added_at, k.met, k.evidence, "
	    "coalesce(a.name, ''), k.at FROM requirement q LEFT JOIN "
	    "requirement_check k ON k.requirement_id = q.id AND k.case_id = "
	    "?1 LEFT JOIN account a ON a.id = k.by_id WHERE q.retired_at IS "
	    "NULL OR k.case_id IS NOT NULL ORDER BY q.id");
	if (st == NULL)
		return dom_fail(d, "requirements");
	store_bind_int(st, 1, c->id);
	if ((rc = req_rows(d, st, &out->reqs, &out->nreqs)) != DOM_OK)
		return rc;

	out->failed_zh = out->unrecorded_zh = "";
	for (i = 0; i < out->nchecks; i++)
		if (out->checks[i].basic &&
		    out->checks[i].verdict == RULES_FAIL)
			list_add(d, &out->failed_zh, &out->nfailed,
			    out->checks[i].label_zh);
	for (i = 0; i < out->nreqs; i++) {
		if (!out->reqs[i].active)
			continue;
		if (!out->reqs[i].recorded)
			list_add(d, &out->unrecorded_zh, &out->nunrecorded,
			    arena_printf(d->arena, "「%s」",
			    out->reqs[i].title));
		else if (!out->reqs[i].met)
			list_add(d, &out->failed_zh, &out->nfailed,
			    arena_printf(d->arena, "补充要求「%s」",
			    out->reqs[i].title));
	}
	return DOM_OK;
}

enum dom_rc
elig_req_list(struct dom *d, int all, struct elig_req **out, size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT id, title, hint, "
	    "retired_at IS NULL, added_at FROM requirement WHERE ?1 OR "
	    "retired_at IS NULL ORDER BY id");

	if (st == NULL)
		return dom_fail(d, "requirements");
	store_bind_int(st, 1, all != 0);
	return req_rows(d, st, out, n);
}

enum dom_rc
elig_req_add(struct dom *d, const char *title, const char *hint,
    long long *id)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	if (hint == NULL)
		hint = "";
	if (title == NULL || strlen(title) > ELIG_TITLE_MAX ||
	    !valid_text(title, 1, ELIG_TITLE_MAX, 0))
		return dom_refuse(d, DOM_INVALID, "title", "请写明补充要求"
		    "（不超过 %d 字节，一行）。", ELIG_TITLE_MAX);
	if (strlen(hint) > ELIG_HINT_MAX ||
	    !valid_text(hint, 0, ELIG_HINT_MAX, VALID_MULTILINE))
		return dom_refuse(d, DOM_INVALID, "hint", "证据说明不能超过 "
		    "%d 字节。", ELIG_HINT_MAX);
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "INSERT INTO requirement(title, hint, "
	    "added_at) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return dom_fail(d, "requirement add");
	store_bind_text(st, 1, title);
	store_bind_text(st, 2, hint);
	store_bind_text(st, 3, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "requirement add");
	*id = sqlite3_last_insert_rowid(store_db(d->store));
	return dom_end(d, DOM_OK);
}

enum dom_rc
elig_req_retire(struct dom *d, long long id)
{
	int row;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int state = -1;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT retired_at IS NULL FROM requirement "
	    "WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "requirement retire");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "requirement retire");
	if (row == 1)
		state = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (state < 0)
		return dom_end(d, dom_refuse(d, DOM_NOT_FOUND, NULL,
		    "没有编号为 %lld 的补充要求。", id));
	if (state == 0)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL,
		    "补充要求 %lld 已经停用。", id));
	st = store_stmt(d->store, "UPDATE requirement SET retired_at = ?2 "
	    "WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "requirement retire");
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "requirement retire");
	return dom_end(d, DOM_OK);
}
