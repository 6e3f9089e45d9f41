/*
 * timeline.c: a case's history (timeline.h).
 */
#include <string.h>

#include "store.h"
#include "timeline.h"
#include "util.h"

#define TIMELINE_MAX	2048	/* entries shown; a case has ~30 */

struct list {
	struct timeline_event	*ev;
	size_t			 n, cap;
};

static struct timeline_event *
push(struct dom *d, struct list *l)
{
	struct timeline_event *bigger;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		bigger = arena_alloc(d->arena, l->cap * sizeof(*bigger));
		if (l->n > 0)
			memcpy(bigger, l->ev, l->n * sizeof(*l->ev));
		l->ev = bigger;
	}
	memset(&l->ev[l->n], 0, sizeof(l->ev[0]));
	return &l->ev[l->n++];
}

/* Who acted, as the reader may see it (columns name and role). */
static void
actor_of(struct dom *d, sqlite3_stmt *st, int col, int for_applicant,
    struct timeline_event *e)
{
	const char *role = store_col_text(st, col + 1), *zh = role_zh(role);
	int expert = for_applicant && strcmp(role, "expert") == 0;

	/* The applicant sees the step, never an expert's name. */
	if (*store_col_text(st, col) == '\0')
		e->actor = "系统";
	else if (expert)
		e->actor = "专家评审";
	else
		e->actor = arena_strdup(d->arena, store_col_text(st, col));
	e->actor_role = zh && !expert ? zh : "";
}

static enum dom_rc
events(struct dom *d, long long case_id, int for_applicant, struct list *l)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT e.at, "
	    "coalesce(a.name, ''), coalesce(a.role, ''), "
	    "coalesce(e.from_status, ''), e.to_status, e.reason FROM event e "
	    "LEFT JOIN account a ON a.id = e.actor_id WHERE e.case_id = ?1 "
	    "ORDER BY e.id LIMIT ?2");
	struct timeline_event *e;
	int rc;

	if (st == NULL)
		return dom_fail(d, "timeline");
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, TIMELINE_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e = push(d, l);
		e->at = arena_strdup(d->arena, store_col_text(st, 0));
		actor_of(d, st, 1, for_applicant, e);
		e->is_status = 1;
		e->has_from = *store_col_text(st, 3) != '\0';
		e->from = e->has_from ? status_of(store_col_text(st, 3)) :
		    ST_DRAFT;
		e->to = status_of(store_col_text(st, 4));
		e->title = status_zh(e->to);
		e->reason = arena_strdup(d->arena, store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "timeline");
}

static enum dom_rc
lead_changes(struct dom *d, long long case_id, int for_applicant,
    struct list *l)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT lc.at, "
	    "coalesce(a.name, ''), coalesce(a.role, ''), coalesce(f.name, ''), "
	    "t.name, lc.reason FROM lead_change lc LEFT JOIN account a ON "
	    "a.id = lc.by_id LEFT JOIN account f ON f.id = lc.from_lead JOIN "
	    "account t ON t.id = lc.to_lead WHERE lc.case_id = ?1 ORDER BY "
	    "lc.id LIMIT ?2");
	struct timeline_event *e;
	const char *from;
	int rc;

	if (st == NULL)
		return dom_fail(d, "timeline: leads");
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, TIMELINE_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		e = push(d, l);
		e->at = arena_strdup(d->arena, store_col_text(st, 0));
		actor_of(d, st, 1, for_applicant, e);
		e->title = "改派项目负责人";
		from = store_col_text(st, 3);
		e->reason = for_applicant ? arena_printf(d->arena, "项目负责人"
		    "改为 %s", store_col_text(st, 4)) : arena_printf(d->arena,
		    "项目负责人由 %s 改为 %s。理由：%s", *from ? from : "（无）",
		    store_col_text(st, 4), store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "timeline: leads");
}

enum dom_rc
timeline_load(struct dom *d, long long case_id, int for_applicant,
    struct timeline_event **out, size_t *n)
{
	struct list ev, lc, all;
	size_t i = 0, j = 0;
	enum dom_rc rc;

	*out = NULL;
	*n = 0;
	memset(&ev, 0, sizeof(ev));
	memset(&lc, 0, sizeof(lc));
	memset(&all, 0, sizeof(all));
	if ((rc = events(d, case_id, for_applicant, &ev)) != DOM_OK ||
	    (rc = lead_changes(d, case_id, for_applicant, &lc)) != DOM_OK)
		return rc;
	if (lc.n == 0) {
		*out = ev.ev;
		*n = ev.n;
		return DOM_OK;
	}
	/* In time order (ISO-8601 UTC compares as text); an event first
	 * at the same moment. */
	while (i < ev.n || j < lc.n) {
		struct timeline_event *next = push(d, &all);

		if (j == lc.n || (i < ev.n && strcmp(ev.ev[i].at,
		    lc.ev[j].at) <= 0))
			*next = ev.ev[i++];
		else
			*next = lc.ev[j++];
	}
	*out = all.ev;
	*n = all.n;
	return DOM_OK;
}
