/*
 * caselist.h: lists of cases for staff: the work queue, the dashboard's
 * case list and its CSV export. One filter, one binding and one SQL text
 * (caselist.c) serve all three, so they always agree on which cases a
 * filter means, and the statements to tune with indexes are in one place.
 *
 * Which cases are open, in which stage, and who acts next come from the
 * cases columns is_open, stage and acting (kept by the workflow from the
 * status table, status.c); a status is bound by its code.
 *
 * The work queue (open cases in the CASELIST_URGENT order) is read from
 * an index per role and urgency band, so its first page costs the same
 * at a thousand cases as at a million: the urgency on any day compares
 * that day with the days a case reaches each band, which only its events
 * change (schema.sql version 9, docs/performance.md).
 */
#ifndef ZIZHI_CASELIST_H
#define ZIZHI_CASELIST_H

#include <stddef.h>

#include "dom.h"
#include "status.h"

struct arena;

enum caselist_order {
	CASELIST_URGENT = 0,	/* the most urgent first (over the limit,
				   over the target, at risk, on track),
				   within each the longest in it first (by
				   the day it got there; on track: the
				   soonest at risk), then by id: the queue */
	CASELIST_NEWEST		/* the newest case first: the dashboard */
};

/* Cases by their supplement (§5.2). */
enum caselist_supplement {
	CASELIST_SUP_ANY = 0,
	CASELIST_SUP_WAITING,	/* awaited, its due date not yet past */
	CASELIST_SUP_OVERDUE,	/* awaited past its due date: 逾期未补正 */
	CASELIST_SUP_LATE	/* open, the latest round answered late */
};

struct caselist_filter {
	/*
	 * Only what waits for the actor ("mine"), by role: a lead's own
	 * cases and the submissions nobody has taken; an assessor's team
	 * cases and an expert's panel cases while the role acts next
	 * (assessing, expert review); certificate staff's cases while they
	 * act (awaiting payment, certificate pending); supervisors and
	 * administrators every case. Other actors: none.
	 */
	int		 mine;
	int		 open_only;	/* submitted and not final */
	int		 has_status;	/* status below, else any */
	enum status	 status;
	int		 stage;		/* 0 any; an enum stage; -1 matches
					   nothing (an unknown stage asked) */
	long long	 lead;		/* 0 any; the lead's account id */
	enum caselist_supplement supplement;	/* see below */
	const char	*text;		/* NULL or "" any; part of the case
					   number or of the organisation's
					   name, % and _ taken literally,
					   ASCII letters in any case */
	enum caselist_order order;
	long long	 offset;	/* rows skipped */
	long long	 limit;		/* rows at most; -1 every one */
};

/* A case of a list. Strings are in d->arena (caselist_rows) or valid
 * during the callback only (caselist_each). */
struct caselist_row {
	long long	 id;
	const char	*case_no;	/* "" for a draft */
	const char	*org;		/* the organisation's name */
	enum status	 st;
	const char	*status;	/* its code */
	const char	*lead;		/* the lead's name, "" when none */
	const char	*started;	/* the clock's start, "" before */
	int		 clocked;	/* the clock has started: net, target,
					   limit and urgency say something */
	long long	 net;		/* net days (§9.3) */
	long long	 target;	/* net days allowed: target, limit */
	long long	 limit;
	int		 urgency;	/* -1 not started, 0 on track, 1 at
					   risk, 2 over target, 3 over limit
					   (caselist_urgency of net, target
					   and limit) */
	const char	*supplement_due; /* the latest supplement's due date,
					   "" when none */
	int		 supplement_overdue; /* awaited past supplement_due */
	int		 answered_late;	/* the latest round came after it */
	int		 panel_size;	/* members of its expert panel */
	int		 doc_request_pending; /* a document request (补充资料)
					   is open */
	const char	*changed;	/* ISO time of the last event (the
					   creation before any); "" in the
					   CASELIST_URGENT order */
	const char	*todo;		/* caselist_rows only: what the
					   actor is to do next when the
					   status does not say it ("组建专家组",
					   "声明利益冲突", "等待申请单位补充资料"),
					   else "" */
};

/* A filter of every case, newest first, every row. */
void		 caselist_filter_init(struct caselist_filter *f);

/*
 * The number of cases f matches (its offset, limit and order aside),
 * counting no further than cap (0: no cap). Staff only: DOM_FORBIDDEN
 * for anyone else. DOM_OK or DOM_FAILED. Counting costs a step per case
 * counted: the queue counts with a small cap.
 */
enum dom_rc	 caselist_count(struct dom *d, const struct caselist_filter *f,
		    long long cap, long long *n);

/* The rows f matches, in its order, from its offset, at most its limit:
 * an array in d->arena, each with its to-do for the actor. */
enum dom_rc	 caselist_rows(struct dom *d, const struct caselist_filter *f,
		    struct caselist_row **rows, size_t *n);

/*
 * The same one by one, for long lists (the CSV): fn is called for each
 * row and stops the walk by returning non-zero (then DOM_OK is returned
 * all the same).
 */
typedef int	(*caselist_fn)(const struct caselist_row *r, void *arg);
enum dom_rc	 caselist_each(struct dom *d, const struct caselist_filter *f,
		    caselist_fn fn, void *arg);

/*
 * The urgency of a clock of net days with those target and limit (net
 * days allowed), as WF_SQL_URGENCY says it: 3 over the limit, 2 over the
 * target, 1 at risk (past two thirds of the target), 0 on track. The
 * figures compute it here from the net days they read, so that a scan
 * evaluates WF_SQL_NET once per case; the lists read it from the days a
 * case reaches each band (test_caselist checks that all three agree).
 */
int		 caselist_urgency(long long net, long long target,
		    long long limit);

/* An urgency (-1..3) in words ("正常", ... , "未开始计时") and as a CSS
 * class suffix ("on_track", ..., "" when not started). */
const char	*caselist_urgency_zh(int u);
const char	*caselist_urgency_code(int u);

/*
 * A row's state in words: the clock's (caselist_urgency_zh), but a
 * supplement awaited past its due date is "逾期未补正（期限 …）" instead of
 * 正常 (a paused clock says 正常 of a case nobody can move) and after any
 * other state; an open case whose latest round answered late adds
 * "逾期提交补正（期限 …）". In a.
 */
const char	*caselist_state_zh(struct arena *a, const struct caselist_row *r);
/* The supplement due date of a row awaiting one (its status
 * supplement_requested): the date, or "待送达" before the notice is
 * served (the month runs from 送达); "" for other rows. */
const char	*caselist_due_zh(const struct caselist_row *r);

/* The supplement filter's words, and its code in a query ("waiting",
 * "overdue", "late"; "" for any), and back (-1 when unknown). */
const char	*caselist_supplement_zh(enum caselist_supplement s);
const char	*caselist_supplement_code(enum caselist_supplement s);
int		 caselist_supplement_parse(const char *code,
		    enum caselist_supplement *out);

#endif
