/*
 * pages_assess_view.c: the views the assessment and expert review pages
 * share (pages_assess_view.h).
 */
#include <string.h>

#include "app.h"
#include "attach.h"
#include "docrequest.h"
#include "pages_assess_view.h"
#include "review.h"

void
av_case(struct tv *v, const struct case_ref *c)
{
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "lead_name", c->lead_name);
	tv_put_str(v, "status", c->status);
	tv_put_str(v, "status_zh", status_zh(c->st));
}

void
av_flash(struct request *req, struct tv *v, const char *const msgs[][2])
{
	const char *ok = params_get(&req->query, "ok");
	size_t i;

	for (i = 0; ok != NULL && msgs[i][0] != NULL; i++)
		if (strcmp(ok, msgs[i][0]) == 0) {
			tv_put_str(v, "flash", msgs[i][1]);
			return;
		}
}

static void
put_files(struct request *req, struct tv *rec, const struct case_ref *c,
    const struct assess_record *r)
{
	struct tv *list = tv_put_list(rec, "files"), *f;
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		f = tv_push_map(list);
		tv_put_int(f, "case_id", c->id);
		tv_put_int(f, "fid", r->files[i].id);
		tv_put_str(f, "filename", r->files[i].filename);
		tv_put_str(f, "type", files_kind_label(r->files[i].kind));
		tv_put_str(f, "size", attach_size_zh(req->arena,
		    r->files[i].size));
		tv_put_str(f, "sha256", r->files[i].sha256);
	}
	tv_put_bool(rec, "has_files", r->nfiles > 0);
}

void
av_assessment(struct request *req, struct tv *v, const struct case_ref *c,
    const struct assessment *a)
{
	const struct review_area *ra;
	struct tv *list, *m;
	size_t i;

	if (a->plan != NULL) {
		m = tv_put_map(v, "plan");
		tv_put_str(m, "start_day", a->plan->start_day);
		tv_put_str(m, "end_day", a->plan->end_day);
		tv_put_str(m, "method", a->plan->method);
		tv_put_str(m, "by", a->plan->by);
		tv_put_str(m, "at", page_time(req->arena, a->plan->at));
	}
	tv_put_bool(v, "has_plan", a->plan != NULL);
	list = tv_put_list(v, "team");
	for (i = 0; i < a->nteam; i++) {
		m = tv_push_map(list);
		tv_put_str(m, "name", a->team[i].name);
		tv_put_str(m, "email", a->team[i].email);
	}
	tv_put_bool(v, "has_team", a->nteam > 0);
	list = tv_put_list(v, "records");
	for (i = 0; i < a->nrecords; i++) {
		m = tv_push_map(list);
		tv_put_int(m, "n", (long long)i + 1);
		tv_put_str(m, "kind_zh", assess_method_zh(page_ctx(req),
		    a->records[i].kind, a->records[i].method));
		ra = review_area(a->records[i].area);
		tv_put_str(m, "area", ra != NULL ? ra->label : "");
		tv_put_str(m, "finding", a->records[i].finding);
		tv_put_str(m, "by", a->records[i].by);
		tv_put_str(m, "at", page_time(req->arena, a->records[i].at));
		put_files(req, m, c, &a->records[i]);
	}
	tv_put_bool(v, "has_records", a->nrecords > 0);
	av_verdict(req, v, "conclusion", "text", a->conclusion);
	list = tv_put_list(v, "set_aside");
	for (i = 0; i < a->nset_aside; i++) {
		m = tv_push_map(list);
		tv_put_str(m, "kind_zh", a->set_aside[i].expert ? "专家评审结论" :
		    "项目组审核结论");
		av_verdict(req, m, "was", "text", &a->set_aside[i].v);
		tv_put_str(m, "when", page_time(req->arena,
		    a->set_aside[i].when));
		tv_put_str(m, "why", a->set_aside[i].why);
	}
	tv_put_bool(v, "has_set_aside", a->nset_aside > 0);
}

/* One request into m. */
static void
put_request(struct request *req, struct tv *m, const struct case_ref *c,
    const struct docreq *r)
{
	struct tv *list, *f;
	size_t i;

	tv_put_int(m, "rid", r->id);
	tv_put_bool(m, "open", r->open);
	tv_put_str(m, "due", r->due);
	tv_put_bool(m, "late", r->late);
	tv_put_str(m, "note", r->note);
	tv_put_str(m, "by", r->by);
	tv_put_str(m, "opened_at", page_time(req->arena, r->opened_at));
	tv_put_str(m, "state_zh", r->open ? "等待申请单位提交" :
	    strcmp(r->closing, "answered") == 0 ? "申请单位已提交" :
	    "项目组已关闭");
	tv_put_str(m, "closed_at", page_time(req->arena, r->closed_at));
	tv_put_str(m, "closed_by", r->closed_by);
	tv_put_str(m, "answer", r->answer);
	tv_put_str(m, "reason", r->reason);
	if (r->notice_id > 0)
		tv_put_str(m, "notice_href", arena_printf(req->arena,
		    "/cases/%lld/notices/%lld", c->id, r->notice_id));
	list = tv_put_list(m, "items");
	for (i = 0; i < r->nitems; i++) {
		f = tv_push_map(list);
		tv_put_int(f, "n", (long long)i + 1);
		tv_put_str(f, "what", r->items[i]);
	}
	list = tv_put_list(m, "files");
	for (i = 0; i < r->nfiles; i++) {
		f = tv_push_map(list);
		tv_put_str(f, "href", arena_printf(req->arena,
		    "/cases/%lld/documents/files/%lld", c->id,
		    r->files[i].id));
		tv_put_str(f, "filename", r->files[i].filename);
		tv_put_str(f, "type", files_kind_label(r->files[i].kind));
		tv_put_str(f, "size", attach_size_zh(req->arena,
		    r->files[i].size));
	}
	tv_put_bool(m, "has_files", r->nfiles > 0);
}

void
av_requests(struct request *req, struct tv *v, const struct case_ref *c,
    const struct docreq *r, size_t n)
{
	struct tv *list = tv_put_list(v, "requests");
	size_t i;

	for (i = 0; i < n; i++)
		put_request(req, tv_push_map(list), c, &r[i]);
	if (n > 0 && r[0].open)
		put_request(req, tv_put_map(v, "open_request"), c, &r[0]);
	tv_put_bool(v, "has_requests", n > 0);
}

void
av_verdict(struct request *req, struct tv *v, const char *key,
    const char *text_key, const struct assess_verdict *c)
{
	struct tv *m;
	const char *zh;

	if (c == NULL)
		return;
	m = tv_put_map(v, key);
	zh = assess_verdict_zh(c->verdict);
	tv_put_str(m, "verdict", c->verdict);
	tv_put_str(m, "verdict_zh", zh ? zh : c->verdict);
	tv_put_str(m, text_key, c->text);
	tv_put_str(m, "by", c->by);
	tv_put_str(m, "at", page_time(req->arena, c->at));
}

void
av_choices(struct request *req, struct tv *v, const char *key,
    const char *field, const struct assess_choice *list)
{
	struct tv *l = tv_put_list(v, key), *o;
	const char *sel = req->method == METHOD_POST ?
	    params_get(&req->form, field) : NULL;

	for (; list->code != NULL; list++) {
		o = tv_push_map(l);
		tv_put_str(o, "code", list->code);
		tv_put_str(o, "zh", list->zh);
		tv_put_bool(o, "checked", sel != NULL &&
		    strcmp(sel, list->code) == 0);
	}
}

const struct assess_upload *
av_uploads(struct request *req, const char *field, size_t *n)
{
	struct assess_upload *files;
	const struct upload *up;
	size_t i;

	files = arena_alloc(req->arena, (req->files.n + 1) * sizeof(*files));
	*n = 0;
	for (i = 0; i < req->files.n; i++) {
		up = &req->files.v[i];
		if (strcmp(up->field, field) != 0 ||
		    (up->size == 0 && *up->filename == '\0'))
			continue;	/* no file chosen */
		files[*n].name = up->filename;
		files[*n].data = up->data;
		files[(*n)++].len = up->size;
	}
	return files;
}

int
av_after(struct request *req, struct response *resp, struct dom *d,
    enum dom_rc rc, const struct case_ref *c, const char *page,
    const char *ok, struct form *f, const struct assess_problems *pr,
    av_render_fn render)
{
	size_t i;

	if (rc == DOM_OK) {
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/%s?ok=%s", c->id, page, ok));
		return 0;
	}
	if (rc != DOM_INVALID)
		return page_status(resp, d, rc);
	for (i = 0; pr != NULL && i < pr->n; i++)
		form_error(f, pr->v[i].field, pr->v[i].msg);
	if (pr == NULL || pr->n == 0)
		form_error(f, d->field != NULL ? d->field : "", d->msg);
	return render(req, resp, d, 400, c, f);
}
