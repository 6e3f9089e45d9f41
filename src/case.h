/*
 * case.h: reading and creating cases. Every lookup by id checks that the
 * requester may see the case: an applicant only its own organisation's
 * (anything else is "not found", never "forbidden", so ids cannot be
 * probed); staff roles see every case.
 */
#ifndef ZIZHI_CASE_H
#define ZIZHI_CASE_H

#include "http.h"
#include "rules.h"

struct case_info {
	long long	 id;
	long long	 org_id;
	const char	*org_name;
	const char	*case_no;	/* "" before submission */
	const char	*status;
	long long	 lead_id;
	const char	*lead_name;	/* "" when none */
	const char	*created_at;
	int		 rounds;
};

/* Loads case id for the requester. 0, 404 (absent or not theirs), 500. */
int		 case_get(struct request *req, long long id,
		    struct case_info *out);
/* The same from a route argument ("{n}"). */
int		 case_get_arg(struct request *req, size_t arg,
		    struct case_info *out);

/* Creates a draft for the organisation; its id, or -1. */
long long	 case_create(struct store *s, long long org_id,
		    long long account_id);

/*
 * Gives the case its number at first submission: SE2-YYYY-NNNNN, the
 * year of the submission day and a sequence within that year. Runs in the
 * caller's transaction. 0 or -1.
 */
int		 case_assign_number(struct store *s, long long id,
		    const char *day, char *no, size_t nolen);

/*
 * The case clock from its events as of today (YYYY-MM-DD). Returns 0,
 * 1 when the clock has not started (a draft), -1 on error.
 */
int		 case_clock(struct store *s, long long id, const char *today,
		    struct rules_clock *out);

#endif
