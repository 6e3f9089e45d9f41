/*
 * casestats.h: the figures of the staff dashboard: cases per status and
 * stage, the cycle times of closed cases against the 3- and 6-month rules
 * (§9.3), the open cases by urgency and the longest overdue ones.
 *
 * Every figure comes from the clock columns of cases (kept by workflow.c
 * from the events) through WF_SQL_NET, so the dashboard, the work queue
 * and the case pages agree. Percentiles use the nearest-rank method: the
 * p-th percentile of n sorted values is the value at rank
 * ceil(p * n / 100) (1-based).
 */
#ifndef ZIZHI_CASESTATS_H
#define ZIZHI_CASESTATS_H

#include <stddef.h>

#include "dom.h"
#include "status.h"

#define CASESTATS_TOP		20	/* cases in each overdue list */
#define CASESTATS_MAX_DAYS	4000	/* net days told apart (histogram) */

/* An overdue case. Strings in d->arena. */
struct casestats_case {
	long long	 id;
	long long	 net;		/* net days */
	long long	 target;	/* net days allowed */
	long long	 limit;
	const char	*case_no;
	const char	*org;
	enum status	 st;
	const char	*lead;		/* "" when none */
};

/* The longest overdue cases of one kind, longest first (ties: the lower
 * id first). */
struct casestats_top {
	long long		 count;	/* every case of the kind */
	size_t			 n;	/* those in rows */
	struct casestats_case	 rows[CASESTATS_TOP];
};

/* A supplement awaited past its due date (逾期未补正). */
struct casestats_overdue {
	long long	 id;
	const char	*case_no;
	const char	*org;
	const char	*lead;		/* "" when none */
	const char	*due;		/* YYYY-MM-DD */
	long long	 days;		/* days past it */
};

struct casestats {
	long long		 total;
	long long		 by_status[ST__COUNT];
	long long		 by_stage[STAGE_COUNT];

	/* Closed cases (issued, failed, rejected: the outcomes; withdrawn
	 * is none) with a clock: net days against the rules. */
	long long		 closed;
	long long		 within;	/* <= target */
	long long		 over_target;	/* > target, <= limit */
	long long		 over_limit;	/* > limit */
	long long		 median;	/* when closed > 0 */
	long long		 p90;

	/* Open cases (the clock running) by urgency, 0 on track ... 3
	 * over the limit (WF_SQL_URGENCY). */
	long long		 open;
	long long		 urgency[4];
	struct casestats_top	 top_over_limit;
	struct casestats_top	 top_over_target;

	/* Supplements (§5.2): awaited within their due date, awaited past
	 * it (the longest past first, at most CASESTATS_TOP listed), and
	 * open cases whose latest round answered late. */
	long long		 supplement_waiting;
	long long		 supplement_overdue;
	long long		 answered_late;
	struct casestats_overdue overdue[CASESTATS_TOP];
	size_t			 noverdue;
};

/* 1 when a case in status st counts as closed for the cycle times. */
int		 casestats_closed(enum status st);

/* Fills out. Staff only (DOM_FORBIDDEN). DOM_OK or DOM_FAILED. */
enum dom_rc	 casestats_load(struct dom *d, struct casestats *out);

#endif
