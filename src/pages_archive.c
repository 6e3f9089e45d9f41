/*
 * pages_archive.c: a closed case's archive (§8, archive.h): when it
 * closed, until when it is kept, and the administrator's disposal.
 */
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "archive.h"
#include "page.h"
#include "router.h"
#include "status.h"
#include "valid.h"

extern const struct route routes_archive[];

static int
page_archive(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct archive_info a;
	struct case_ref c;
	struct tv *v;
	enum dom_rc rc;
	int st;

	if ((st = page_load_case(req, 0, PART_ARCHIVE, &c)) != 0)
		return st;
	if ((rc = archive_get(d, &c, &a)) != DOM_OK)
		return page_status(resp, d, rc);
	v = page_view(req, "案件档案");
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "org_name", c.org_name);
	tv_put_str(v, "status_zh", status_zh(c.st));
	tv_put_bool(v, "closed", a.closed);
	tv_put_str(v, "closed_on", a.closed_on);
	tv_put_str(v, "dispose_from", a.dispose_from);
	tv_put_bool(v, "disposed", a.disposed);
	tv_put_str(v, "disposed_at", page_time(req->arena, a.disposed_at));
	tv_put_bool(v, "may_dispose", a.may_dispose);
	return page_render(req, resp, 200, "archive", v);
}

static int
page_archive_dispose(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	enum dom_rc rc;
	long long id;

	if (valid_int(req->args[0], 1, INT64_MAX, &id) != 0)
		return 404;
	rc = archive_dispose(d, id, params_get(&req->form, "confirm") != NULL);
	if (rc != DOM_OK)
		return page_status(resp, d, rc);
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/archive", id));
	return 0;
}

const struct route routes_archive[] = {
	{ METHOD_GET, "/cases/{n}/archive", page_archive, ROLE_ADMIN |
	    ROLE_SUPERVISOR, 0 },
	{ METHOD_POST, "/cases/{n}/archive/dispose", page_archive_dispose,
	    ROLE_ADMIN, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
