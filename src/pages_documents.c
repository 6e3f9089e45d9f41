/*
 * pages_documents.c: 补充资料 for the applicant (docrequest.h): the page
 * of a case's document requests, where the applicant answers the open
 * one with files, and the answers' files for whoever may read them. The
 * team asks and closes on the assessment page (pages_assess.c).
 */
#include <limits.h>
#include <string.h>

#include "app.h"
#include "attach.h"
#include "docrequest.h"
#include "pages_assess_view.h"
#include "router.h"
#include "valid.h"

extern const struct route routes_documents[];

static int
render(struct request *req, struct response *resp, struct dom *d, int status,
    const struct case_ref *c, struct form *f)
{
	struct tv *v = f->view;
	struct docreq *r;
	enum dom_rc rc;
	size_t n;

	if ((rc = docreq_list(d, c, &r, &n)) != DOM_OK)
		return page_status(resp, d, rc);
	av_case(v, c);
	av_requests(req, v, c, r, n);
	tv_put_bool(v, "can_answer", n > 0 && r[0].open &&
	    access_may(c, d->actor->role_bit, ACT_ANSWER_DOCS));
	tv_put_bool(v, "answered", status == 200 &&
	    params_get(&req->query, "ok") != NULL);
	tv_put_int(v, "files_max", DOCREQ_FILES_MAX);
	tv_put_str(v, "max_file", attach_size_zh(req->arena,
	    (long long)d->max_file));
	return page_render(req, resp, status, "documents", v);
}

static int
load(struct request *req, struct case_ref *c, struct form *f)
{
	int rc;

	if ((rc = page_load_case_any(req, 0, PART_ASSESSMENT | PART_MATERIALS,
	    c)) != 0)
		return rc;
	form_init(f, req, page_view(req, arena_printf(req->arena, "补充资料 · "
	    "案件 %s", c->case_no)));
	return 0;
}

static int
page_documents(struct request *req, struct response *resp)
{
	struct case_ref c;
	struct form f;
	int rc;

	if ((rc = load(req, &c, &f)) != 0)
		return rc;
	return render(req, resp, page_ctx(req), 200, &c, &f);
}

static int
page_documents_answer(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_problems pr;
	const struct assess_upload *files;
	struct case_ref c;
	struct form f;
	size_t n;
	int rc;

	if ((rc = load(req, &c, &f)) != 0)
		return rc;
	files = av_uploads(req, "file", &n);
	if (n > 0)
		tv_put_bool(f.view, "reselect", 1);
	return av_after(req, resp, d, docreq_answer(d, c.id, form_keep(&f,
	    "answer"), files, n, &pr), &c, "documents", "answered", &f, &pr,
	    render);
}

static int
page_documents_file(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct assess_file meta;
	long long cid, fid;
	int rc;

	if (valid_int(req->args[0], 1, LLONG_MAX, &cid) != 0 ||
	    valid_int(req->args[1], 1, LLONG_MAX, &fid) != 0)
		return 404;
	if ((rc = page_status(resp, d, docreq_file(d, cid, fid, &meta,
	    &resp->body))) != 0)
		return rc;
	resp->status = 200;
	resp->content_type = meta.mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, meta.filename));
	return 0;
}

const struct route routes_documents[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/cases/{n}/documents",	page_documents, ROLES_USERS, 0 },
	{ METHOD_POST,	"/cases/{n}/documents",	page_documents_answer,
	    ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/documents/files/{n}", page_documents_file,
	    ROLES_USERS, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
