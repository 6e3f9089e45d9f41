/*
 * timeline.c: a case's history (timeline.h).
 */
#include <string.h>

#include "store.h"
#include "timeline.h"
#include "util.h"

#define TIMELINE_MAX	2048	/* events shown; a case has ~30 */

enum dom_rc
timeline_load(struct dom *d, long long case_id, int for_applicant,
    struct timeline_event **out, size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT e.at, "
	    "coalesce(a.name, ''), coalesce(a.role, ''), "
	    "coalesce(e.from_status, ''), e.to_status, e.reason FROM event e "
	    "LEFT JOIN account a ON a.id = e.actor_id WHERE e.case_id = ?1 "
	    "ORDER BY e.id LIMIT ?2");
	struct timeline_event *ev = NULL;
	size_t cap = 0;
	const char *role, *zh;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return dom_fail(d, "timeline");
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, TIMELINE_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct timeline_event *bigger;

			cap = cap ? cap * 2 : 32;
			bigger = arena_alloc(d->arena, cap * sizeof(*bigger));
			if (*n > 0)
				memcpy(bigger, ev, *n * sizeof(*ev));
			ev = bigger;
		}
		role = store_col_text(st, 2);
		zh = role_zh(role);
		ev[*n].at = arena_strdup(d->arena, store_col_text(st, 0));
		if (*store_col_text(st, 1) == '\0')
			ev[*n].actor = "系统";
		else if (for_applicant && strcmp(role, "expert") == 0)
			ev[*n].actor = "专家评审";	/* never a name */
		else
			ev[*n].actor = arena_strdup(d->arena,
			    store_col_text(st, 1));
		ev[*n].actor_role = zh && !(for_applicant && strcmp(role,
		    "expert") == 0) ? zh : "";
		ev[*n].has_from = *store_col_text(st, 3) != '\0';
		ev[*n].from = ev[*n].has_from ?
		    status_of(store_col_text(st, 3)) : ST_DRAFT;
		ev[*n].to = status_of(store_col_text(st, 4));
		ev[*n].reason = arena_strdup(d->arena, store_col_text(st, 5));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "timeline");
	*out = ev;
	return DOM_OK;
}
