/*
 * pages_public.c: pages anyone may see: the home page and static files.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "embedded.h"
#include "money.h"
#include "page.h"
#include "pages.h"
#include "rules.h"

static void
fee_row(struct request *req, struct tv *list, const char *kind,
    const struct rules_fee *f)
{
	struct tv *row = tv_push_map(list);

	tv_put_str(row, "kind", kind);
	tv_put_str(row, "audit", money_yuan(req->arena, f->audit));
	tv_put_str(row, "annual", money_yuan(req->arena, f->annual));
	tv_put_str(row, "total", money_yuan(req->arena, f->total));
}

int
page_home(struct request *req, struct response *resp)
{
	const struct rules *r = rules_default();
	struct tv *v = page_view(req, "信息安全服务资质（安全工程类二级）申请");
	struct tv *fees = tv_put_list(v, "fees");
	struct rules_fee f;
	const char *from = params_get(&req->query, "from");

	/* Just logged in: each person goes on to their own start, with a
	 * word that they are in. */
	if (req->user != NULL && from != NULL && strcmp(from, "login") == 0) {
		response_redirect(resp, req->user->org_id != 0 ?
		    "/cases?welcome=login" : req->user->role_bit ==
		    ROLE_ADMIN ? "/admin/users" : "/queue?welcome=login");
		return 0;
	}
	/* A maintenance filing on its expiry day pays the maintenance fee. */
	rules_fee_initial(r, &f);
	fee_row(req, fees, rules_apptype_zh(RULES_APP_INITIAL), &f);
	rules_fee_maintenance(r, 0, 0, &f);
	fee_row(req, fees, rules_apptype_zh(RULES_APP_MAINTENANCE), &f);
	tv_put_int(v, "target_months", r->target_months);
	tv_put_int(v, "limit_months", r->limit_months);
	tv_put_int(v, "supplement_months", r->supplement_months);
	tv_put_int(v, "validity_years", r->validity_years);
	tv_put_int(v, "maintenance_months", r->maint_ontime_months);
	tv_put_int(v, "late_months", r->maint_initial_months);
	tv_put_bool(v, "password_changed",
	    params_get(&req->query, "password_changed") != NULL &&
	    req->user != NULL);
	return page_render(req, resp, 200, "home", v);
}

struct ctype {
	const char	*ext;
	const char	*type;
};

static const struct ctype ctypes[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ NULL, NULL }
};

/* FNV-1a over the bytes: a strong enough validator for our own files. */
static const char *
etag_of(struct arena *a, const char *data, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
	return arena_printf(a, "\"%016llx\"", h);
}

int
page_static(struct request *req, struct response *resp)
{
	const struct embedded_file *f;
	const struct ctype *c;
	const char *name = req->args[0], *dot, *etag;

	if (strchr(name, '/') != NULL)
		return 404;
	f = embedded_find(arena_printf(req->arena, "static/%s", name));
	if (f == NULL || (dot = strrchr(name, '.')) == NULL)
		return 404;
	for (c = ctypes; c->ext != NULL; c++)
		if (strcmp(c->ext, dot) == 0)
			break;
	if (c->ext == NULL)
		return 404;
	etag = etag_of(req->arena, f->data, f->size);
	response_header(resp, "ETag", etag);
	response_header(resp, "Cache-Control", "public, max-age=3600");
	resp->content_type = c->type;
	if (req->if_none_match != NULL && strcmp(req->if_none_match, etag) == 0) {
		resp->status = 304;
		return 0;
	}
	resp->status = 200;
	resp->static_body = f->data;
	resp->static_len = f->size;
	return 0;
}

int
page_favicon(struct request *req, struct response *resp)
{
	req->args[0] = "favicon.svg";
	req->nargs = 1;
	return page_static(req, resp);
}
