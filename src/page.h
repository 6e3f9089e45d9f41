/*
 * page.h: rendering pages through the shared layout, and the error pages.
 */
#ifndef ZIZHI_PAGE_H
#define ZIZHI_PAGE_H

#include "access.h"
#include "dom.h"
#include "http.h"
#include "tmpl.h"

/* A new view for a page, with the fields the layout reads (title, ...). */
struct tv	*page_view(struct request *req, const char *title);

/*
 * Renders template name (templates/NAME.html) with view as an HTML page
 * with the given status. Returns 0, or 500 when rendering failed (logged).
 */
int		 page_render(struct request *req, struct response *resp,
		    int status, const char *name, struct tv *view);

/*
 * Fills resp with the error page for status: a Chinese title, what
 * happened (message, or the default for the status) and what to do next.
 */
void		 page_error(struct request *req, struct response *resp,
		    int status, const char *message);

/*
 * Forms that keep what was typed and show errors next to each field and
 * in a summary at the top. In the view: f.NAME.value, f.NAME.error,
 * errors (a list of {field, message} for the summary, linking to #NAME)
 * and has_errors.
 */
struct form {
	struct request	*req;
	struct params	*src;	/* the body for POST, else the query */
	struct tv	*fields;
	struct tv	*errors;
	struct tv	*view;
	int		 nerrors;
};

void		 form_init(struct form *f, struct request *req,
		    struct tv *view);
/* Puts the submitted value of name back into the form (and returns it,
 * "" when absent). */
const char	*form_keep(struct form *f, const char *name);
void		 form_value(struct form *f, const char *name,
		    const char *value);
void		 form_error(struct form *f, const char *name,
		    const char *message);

/* An ISO-8601 UTC timestamp ("2026-11-26T16:30:00Z") as Beijing time,
 * "2026-11-27 00:30"; the input unchanged if it is not one. */
const char	*page_time(struct arena *a, const char *iso);

/* Today's date in Asia/Shanghai for the request, "YYYY-MM-DD". */
const char	*page_today(struct request *req);

/*
 * Puts a pager in the view for page (1-based) of total items, per_page
 * each, linking to base?page=N: pager.{has_prev, prev, has_next, next,
 * page, pages}.
 */
/*
 * The active leads as a list key in view (id, name, email, selected:
 * the one whose id is selected), for a filter's choice: DOM_OK, or
 * DOM_FAILED when they cannot be read.
 */
enum dom_rc	 page_lead_choices(struct dom *d, struct tv *view,
		    const char *key, long long selected);

void		 page_pager(struct request *req, struct tv *view,
		    const char *base, long long page, long long total,
		    long long per_page);

/*
 * Moves a case through the workflow (workflow_move, in the caller's
 * transaction) as the request's user. Returns 0, or the status to answer
 * with: 403 (the role may not), 409 (not from this status, or a guard
 * said no), each with the workflow's message in resp->error_message, or
 * 500. The caller rolls back on a non-zero return.
 */
int		 page_move(struct request *req, struct response *resp,
		    long long case_id, const char *to, const char *reason);

/*
 * The domain context of a request: its store, arena, user (or the
 * anonymous actor), arrival time, templates, public URL and file store.
 */
void		 page_dom(struct request *req, struct dom *d);
/* The same, allocated in the request's arena. */
struct dom	*page_ctx(struct request *req);

/*
 * The HTTP status for a domain result: 0 for DOM_OK, else 400, 404, 403,
 * 409, 413, 410 or 500; the domain's message goes to resp->error_message
 * for the error page.
 */
int		 page_status(struct response *resp, const struct dom *d,
		    enum dom_rc rc);

/*
 * The case named by route argument arg when the request's user may read
 * every part in need (access.h): 0 with *c filled; 404 when there is no
 * such case or it is not granted; 500.
 */
int		 page_load_case(struct request *req, size_t arg, unsigned need,
		    struct case_ref *c);
/* The same when any one of the parts in any is granted. */
int		 page_load_case_any(struct request *req, size_t arg,
		    unsigned any, struct case_ref *c);

/*
 * Where material code is uploaded: its section of the materials page,
 * at the slot of row (FDEF_NOROW for a material without rows), or at the
 * material itself when row is below FDEF_NOROW:
 * "/cases/7/materials?s=s4#m-cisp_cert-0".
 */
const char	*page_material_href(struct arena *a, long long case_id,
		    const char *code, int row);

/* A stored day "2026-12-06" the Chinese way, "2026年12月6日" (as the
 * documents write it); anything else unchanged, NULL as "". */
const char	*page_date_zh(struct arena *a, const char *day);
/* A stored timestamp in Beijing time the Chinese way, "2026年12月6日
 * 14:05"; anything else unchanged. */
const char	*page_time_zh(struct arena *a, const char *iso);

/*
 * An irreversible step asks first, on a page that works without a
 * script: heading, what will happen, warnings (a NULL-terminated list,
 * or NULL) under warn_title, and a button that posts the form again to
 * action with confirm=1 and the named fields of this request carried
 * (NULL-terminated, or NULL); back is where 取消 goes. Returns what
 * page_render does. page_confirmed() says whether this post is the
 * confirmed one.
 */
int		 page_confirm(struct request *req, struct response *resp,
		    const char *heading, const char *what,
		    const char *warn_title, const char *const *warnings,
		    const char *button, const char *action, const char *back,
		    const char *const *carry);
/* The same with a second button, edit_label, that posts the carried
 * fields back with edit=1 (to change them on their form). */
int		 page_confirm_edit(struct request *req, struct response *resp,
		    const char *heading, const char *what,
		    const char *warn_title, const char *const *warnings,
		    const char *button, const char *action, const char *back,
		    const char *const *carry, const char *edit_label);
int		 page_confirmed(const struct request *req);

struct pdf_notice;

/*
 * Answers with n drawn as a notice PDF (pdf.h), to be saved as filename:
 * 0; or 500 with what failed and that the page itself still shows what
 * (in words: "通知内容", "委托协议") in resp->error_message.
 */
int		 page_pdf_notice(struct request *req, struct response *resp,
		    const struct pdf_notice *n, const char *filename,
		    const char *what);

/*
 * One CSV field (RFC 4180) into b: always quoted, quotes doubled, and a
 * cell a spreadsheet would take for a formula (= + - @, or a tab or CR
 * first) gets a leading apostrophe; then a comma, or CRLF when last.
 */
void		 page_csv_field(struct buf *b, const char *s, int last);

#endif
