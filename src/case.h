/*
 * case.h: reading a case the old way, for the pages not yet on
 * access_case()/page_load_case() (access.h, page.h). A lookup by id
 * answers "not found" for a case the access policy does not let the
 * requester see, so ids cannot be probed. Creating a case is
 * application.c's; numbering it, submission.c's.
 */
#ifndef ZIZHI_CASE_H
#define ZIZHI_CASE_H

#include "http.h"

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

#endif
