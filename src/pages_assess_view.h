/*
 * pages_assess_view.h: what the assessment page (pages_assess.c) and
 * the expert review page (pages_expert.c) both show, as template views,
 * and how both answer after a step.
 */
#ifndef ZIZHI_PAGES_ASSESS_VIEW_H
#define ZIZHI_PAGES_ASSESS_VIEW_H

#include "assessment.h"
#include "page.h"

/* The case's head: case_id, case_no, org_name, lead_name, status,
 * status_zh. */
void	 av_case(struct tv *v, const struct case_ref *c);
/* flash: the text of msgs ({key, text}, ending with NULL) for ?ok=key. */
void	 av_flash(struct request *req, struct tv *v,
	    const char *const msgs[][2]);
/* plan (has_plan), team (has_team), records with their files
 * (has_records) and the team's conclusion. */
void	 av_assessment(struct request *req, struct tv *v,
	    const struct case_ref *c, const struct assessment *a);
struct docreq;
/*
 * The document requests r (n of them, newest first) of c under
 * "requests" (has_requests, and "open_request": the open one): each with
 * rid, open, due, late, note, by, opened_at, items ({n, what}),
 * state_zh, closed_at, closed_by, answer, reason, files ({href,
 * filename, size, type}).
 */
void	 av_requests(struct request *req, struct tv *v,
	    const struct case_ref *c, const struct docreq *r, size_t n);
/* A conclusion under key: verdict, verdict_zh, the text under text_key,
 * by, at; nothing when c is NULL. */
void	 av_verdict(struct request *req, struct tv *v, const char *key,
	    const char *text_key, const struct assess_verdict *c);
/* The options of list under key ({code, zh, checked}), checked as the
 * POSTed field says. */
void	 av_choices(struct request *req, struct tv *v, const char *key,
	    const char *field, const struct assess_choice *list);
/* The files uploaded in field (those chosen: a file input left empty
 * sends none), *n of them, in the request's arena. */
const struct assess_upload *av_uploads(struct request *req,
	    const char *field, size_t *n);
/* Renders a case's page with status, the form holding what was typed. */
typedef int (*av_render_fn)(struct request *req, struct response *resp,
    struct dom *d, int status, const struct case_ref *c, struct form *f);

/*
 * After a step on case c: DOM_OK redirects (0) to /cases/ID/PAGE?ok=OK
 * (ok may end with a #fragment); DOM_INVALID puts the problems (pr, may
 * be NULL) into the form and renders the page again with 400; anything
 * else is its status (page_status).
 */
int	 av_after(struct request *req, struct response *resp, struct dom *d,
	    enum dom_rc rc, const struct case_ref *c, const char *page,
	    const char *ok, struct form *f, const struct assess_problems *pr,
	    av_render_fn render);

#endif
