/*
 * router.h: the route table. Each route states its methods, its path
 * pattern, its handler, the roles that may use it and whether it needs a
 * CSRF token; app_handle checks all of these before a handler runs.
 * A route with no roles is unreachable: access is denied by default.
 */
#ifndef ZIZHI_ROUTER_H
#define ZIZHI_ROUTER_H

#include "actor.h"
#include "http.h"

/*
 * A handler fills resp and returns 0, or returns an HTTP status (400,
 * 404, 500, ...) for app_handle to answer with the standard error page.
 */
typedef int (*handler_fn)(struct request *req, struct response *resp);


/*
 * Patterns: literal segments, "{n}" (a decimal id, 1 to 18 digits), "{s}"
 * (any one segment) and, last only, "{*}" (the rest of the path, at least
 * one character). Matched values go to req->args in order.
 */
struct route {
	unsigned	 methods;	/* METHOD_GET implies HEAD */
	const char	*pattern;
	handler_fn	 handler;
	unsigned	 roles;
	int		 csrf;
};

/*
 * The route tables, one per area of pages (each ends with a NULL
 * pattern), listed in route_tables (which ends with NULL). An area's file
 * owns its table; routes.c lists the tables.
 */
extern const struct route routes[];		/* routes.c: the core */
extern const struct route routes_review[];	/* pages_review.c */
extern const struct route routes_project[];	/* pages_project.c */
extern const struct route routes_queue[];	/* pages_queue.c */
extern const struct route routes_outbox[];	/* pages_outbox.c */
extern const struct route routes_archive[];	/* pages_archive.c */
extern const struct route routes_assess[];	/* pages_assess.c */
extern const struct route routes_documents[];	/* pages_documents.c */
extern const struct route routes_expert[];	/* pages_expert.c */
extern const struct route routes_appeal[];	/* pages_appeal.c */
extern const struct route routes_complaint[];	/* pages_complaint.c */
extern const struct route routes_orgcomplaint[]; /* pages_orgcomplaint.c */
extern const struct route routes_admin[];	/* pages_admin.c */
extern const struct route routes_batch[];	/* pages_batch.c */
extern const struct route routes_certificate[];	/* pages_certificate.c */
extern const struct route routes_verify[];	/* pages_verify.c */
extern const struct route routes_info[];	/* pages_info.c */
extern const struct route routes_dashboard[];	/* pages_dashboard.c */
extern const struct route routes_reset[];	/* pages_reset.c */
extern const struct route routes_paper[];	/* pages_paper.c */
extern const struct route routes_totp[];	/* pages_totp.c */
extern const struct route *const route_tables[];

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_BAD_METHOD
};

/*
 * Finds the route for path and method. On ROUTE_BAD_METHOD, *allowed
 * holds the methods the path does accept.
 */
enum route_result router_match(const struct route *const *tables,
		    struct request *req, const struct route **found,
		    unsigned *allowed);

#endif
