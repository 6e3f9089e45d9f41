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
#include "store.h"

struct user;

/* The four stages (§5), plus before and after. */
enum wf_stage {
	WF_STAGE_NONE = 0,	/* draft, withdrawn */
	WF_STAGE_ACCEPTANCE,	/* 受理 */
	WF_STAGE_PROJECT,	/* 立项 */
	WF_STAGE_ASSESSMENT,	/* 评估 */
	WF_STAGE_ISSUANCE	/* 发证 */
};

struct wf_status {
	const char	*code;
	const char	*zh;		/* the status in words */
	enum wf_stage	 stage;
	int		 final;		/* no way on */
	const char	*waiting_for;	/* who acts next, in words */
};

/* Every status, in the order of the journey; ends with a NULL code. */
extern const struct wf_status wf_statuses[];

const struct wf_status	*wf_status(const char *code);
const char		*wf_stage_zh(enum wf_stage stage);

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
	const struct user	*actor;
	const char		*from;
	const char		*to;
	const char		*today;		/* YYYY-MM-DD, Asia/Shanghai */
};

/* Returns 1 to allow; 0 with a Chinese reason in why. */
typedef int (*wf_guard)(const struct wf_ctx *ctx, char *why, size_t whylen);

struct wf_transition {
	const char	*from;		/* NULL: from any status not final */
	const char	*to;
	unsigned	 roles;		/* enum role bits (router.h) */
	wf_guard	 guard;		/* NULL: always */
	const char	*action_zh;	/* the action, as a button says it */
	const char	*page;		/* where it is done: "/cases/%lld/..." */
};

extern const struct wf_transition wf_transitions[];

/*
 * Moves the case to status to, as actor, at unix time now, with reason
 * (may be ""). Must run inside a transaction (store_begin). On failure
 * nothing is written and err holds a Chinese message for the user.
 */
enum wf_result	 workflow_move(struct store *s, long long case_id,
		    const char *to, const struct user *actor,
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
 * Rebuilds the clock columns of the case from its events as of today
 * (workflow_move does it after every transition; `zizhi seed` after
 * writing a case's history). 0 or -1.
 */
int		 workflow_clock_cache(struct store *s, long long case_id,
		    const char *today);

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
