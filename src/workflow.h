/*
 * workflow.h: the status machine of a case. One table of allowed
 * transitions {from, to, roles, guard}; workflow_move checks the row and
 * its guard, writes the event (who, when, from, to, why) and the case's
 * current status, in the caller's transaction, so a transition and its
 * effects commit together or not at all.
 */
#ifndef ZIZHI_WORKFLOW_H
#define ZIZHI_WORKFLOW_H

#include <stddef.h>

#include "rules.h"
#include "status.h"
#include "store.h"

struct actor;

enum wf_result {
	WF_OK = 0,
	WF_FORBIDDEN = -1,	/* the actor's role may not do this: 403 */
	WF_CONFLICT = -2,	/* not from this status, or a guard said no: 409 */
	WF_FAILED = -3		/* database error (logged): 500 */
};

/* What a guard sees. */
struct wf_ctx {
	struct store		*store;
	long long		 case_id;
	const struct actor	*actor;
	const char		*from;
	const char		*to;
	const char		*today;		/* YYYY-MM-DD, Asia/Shanghai */
};

/* Returns 1 to allow; 0 with a Chinese reason in why; -1 when a read
 * failed (the move fails, WF_FAILED). */
typedef int (*wf_guard)(const struct wf_ctx *ctx, char *why, size_t whylen);

/* A from that stands for every status that is not final. */
#define WF_ANY_OPEN	ST__COUNT

struct wf_transition {
	enum status	 from;		/* WF_ANY_OPEN: any status not final */
	enum status	 to;
	unsigned	 roles;		/* enum role bits (actor.h) */
	wf_guard	 guard;		/* NULL: always */
	const char	*action_zh;	/* the action, as a button says it */
};

/* The table, ending with a row whose roles are 0. */
extern const struct wf_transition wf_transitions[];
/* 1 when row t applies from status st. */
int		 wf_from(const struct wf_transition *t, enum status st);

/*
 * Moves the case to status to, as actor, at unix time now, with reason
 * (may be ""). Must run inside a transaction (store_begin). On failure
 * nothing is written and err holds a Chinese message for the user.
 */
enum wf_result	 workflow_move(struct store *s, long long case_id,
		    const char *to, const struct actor *actor,
		    const char *reason, long long now, char *err,
		    size_t errlen);

/* 1 when the table has a row actor's role may use from from to to. */
int		 workflow_allowed(const char *from, const char *to,
		    unsigned role_bit);

/*
 * The case clock from its events as of today (YYYY-MM-DD), by the rules
 * module. Returns 0, 1 when the clock has not started (a draft, or
 * withdrawn before submission), -1 on error.
 */
int		 workflow_clock(struct store *s, long long case_id,
		    const char *today, struct rules_clock *out);

/*
 * The same from the clock columns the case keeps (workflow_clock_cache),
 * without reading its events: equal to workflow_clock on any day from
 * the case's last transition on. Returns 0; 1 when there is no clock to
 * show (not started, or today before its start); -1 when the case cannot
 * be read.
 */
int		 workflow_clock_kept(struct store *s, long long case_id,
		    const char *today, struct rules_clock *out);

/*
 * Rebuilds the clock columns of the case from its events as of today
 * (workflow_move does it after every transition; `zizhi seed` after
 * writing a case's history). 0 or -1.
 */
int		 workflow_clock_cache(struct store *s, long long case_id,
		    const char *today);

/*
 * Writes the facts of the case's status (status.c: stage, open, the
 * roles that act next) into its row; workflow_move does it with every
 * transition, case_create for a new draft. 0 or -1.
 */
int		 workflow_status_facts(struct store *s, long long case_id,
		    enum status st);
/*
 * Brings the status facts of every case in line with the status table
 * (`zizhi init`, `zizhi seed`). Returns the number of cases changed, or
 * -1.
 */
int		 workflow_refresh_facts(struct store *s);
/*
 * 0 when the schema's CHECK on cases.status lists exactly the statuses
 * of the status table; otherwise -1 with what differs in err (a server
 * refuses to start).
 */
int		 workflow_check_schema(struct store *s, char *err,
		    size_t errlen);

/*
 * SQL expressions over the clock columns of cases (kept by
 * workflow_move) with ?1 bound to today: net days, and urgency 3 (over
 * limit), 2 (over target), 1 (at risk), 0 (on track). They agree with
 * rules_clock_events; test_workflow checks that.
 */
#define WF_SQL_NET \
	"(julianday(coalesce(c.clock_stopped, ?1)) - julianday(c.clock_start)" \
	" - c.clock_paused - coalesce(julianday(coalesce(c.clock_stopped, ?1))" \
	" - julianday(c.clock_paused_since), 0))"
#define WF_SQL_URGENCY \
	"(CASE WHEN c.clock_start IS NULL THEN -1" \
	" WHEN " WF_SQL_NET " > c.clock_limit_net THEN 3" \
	" WHEN " WF_SQL_NET " > c.clock_target_net THEN 2" \
	" WHEN 3 * " WF_SQL_NET " > 2 * c.clock_target_net THEN 1 ELSE 0 END)"

/* The calendar date in Asia/Shanghai (UTC+8, no DST) of unix time t,
 * and the ISO-8601 UTC timestamp; buffers of at least 24 bytes. */
void		 workflow_day(long long t, char *day);
void		 workflow_stamp(long long t, char *stamp);

#endif
