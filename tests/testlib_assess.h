/*
 * testlib_assess.h: a temporary database with the people of 评估 and
 * 专家评审 for the unit tests of assessment.c and panel.c (see
 * testlib_assess.c): an organisation and its applicant, two leads, three
 * assessors (one disabled), four experts (one disabled), certificate
 * staff and a supervisor; cases forced into a status with the first
 * lead; domain contexts acting as any of them; and a race of two
 * processes taking a step at the same moment.
 */
#ifndef ZIZHI_TESTLIB_ASSESS_H
#define ZIZHI_TESTLIB_ASSESS_H

#include "dom.h"
#include "status.h"
#include "store.h"

struct arena;
struct tmpl_set;

struct ta {
	struct store	*db;
	struct arena	*arena;
	struct tmpl_set	*tmpl;
	char		 dir[64];
	char		 path[128];	/* the database */
	char		 files[128];	/* the file store */
	long long	 app;			/* the applicant */
	long long	 lead, lead2;
	long long	 as1, as2, as_off;	/* as_off: disabled */
	long long	 ex1, ex2, ex3, ex_off;
	long long	 cert, sup;
};

void		 ta_open(struct ta *t);
void		 ta_close(struct ta *t);
/* Runs sql; an error fails the test. */
void		 ta_exec(struct ta *t, const char *sql);
/* The first column of sql (binding ?1 to id) as an integer. */
long long	 ta_int(struct ta *t, const char *sql, long long id);
/* The same as text (in t's arena). */
const char	*ta_text(struct ta *t, const char *sql, long long id);
/* A submitted case forced into status st, its lead t->lead. */
long long	 ta_case(struct ta *t, enum status st);
/* The status of a case. */
enum status	 ta_status(struct ta *t, long long case_id);
/* Puts account on the case's team, or on its panel (declared or not). */
void		 ta_team(struct ta *t, long long case_id, long long account);
void		 ta_panel(struct ta *t, long long case_id, long long account,
		    int declared);
/* A domain context on t's database acting as account. */
struct dom	*ta_dom(struct ta *t, long long account);

/* A step of a race: acts on case_id as d's actor. */
typedef enum dom_rc (*ta_step)(struct dom *d, long long case_id);
/*
 * Two processes, each with its own connection, take a step on case_id
 * at the same moment, one as account a (step sa), one as b (sb); their
 * results in out[0] and out[1].
 */
void		 ta_race(struct ta *t, long long case_id, long long a,
		    ta_step sa, long long b, ta_step sb, enum dom_rc out[2]);

/* Asserts that of a race's results one is DOM_OK and the other
 * DOM_CONFLICT (the status had changed); the winner's index. */
int		 ta_one_wins(const enum dom_rc out[2]);

#endif
