/*
 * page.c: the shared layout and the error pages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "form_def.h"
#include "account.h"
#include "app.h"
#include "auth.h"
#include "files.h"
#include "pdf.h"
#include "workflow.h"
#include "page.h"
#include "router.h"

struct tv *
page_view(struct request *req, const char *title)
{
	struct tv *v = tv_map(req->arena), *u;
	const char *zh;

	tv_put_str(v, "title", title);
	if (req->user != NULL) {
		u = tv_put_map(v, "user");
		tv_put_str(u, "name", req->user->name);
		tv_put_str(u, "email", req->user->email);
		zh = role_zh(req->user->role);
		tv_put_str(u, "role_zh", zh ? zh : req->user->role);
		tv_put_str(u, "org_name", req->user->org_name);
		tv_put_bool(u, "applicant", req->user->org_id != 0);
		tv_put_bool(u, "supervisor", req->user->role_bit ==
		    ROLE_SUPERVISOR);
		tv_put_bool(u, "admin", req->user->role_bit == ROLE_ADMIN);
		tv_put_bool(u, "cert_staff", req->user->role_bit ==
		    ROLE_CERT_STAFF);
		tv_put_str(v, "csrf", req->csrf);
	}
	return v;
}

void
form_init(struct form *f, struct request *req, struct tv *view)
{
	f->req = req;
	f->src = req->method == METHOD_POST ? &req->form : &req->query;
	f->view = view;
	f->fields = tv_put_map(view, "f");
	f->errors = tv_put_list(view, "errors");
	f->nerrors = 0;
}

static struct tv *
form_field(struct form *f, const char *name)
{
	const struct tv *t = tv_get(f->fields, name);

	/* tv_get is const; the field is ours to change. */
	return t != NULL ? (struct tv *)(uintptr_t)t :
	    tv_put_map(f->fields, arena_strdup(f->req->arena, name));
}

void
form_value(struct form *f, const char *name, const char *value)
{
	tv_put_str(form_field(f, name), "value", value ? value : "");
}

const char *
form_keep(struct form *f, const char *name)
{
	const char *v = params_get(f->src, name);

	if (v == NULL)
		v = "";
	form_value(f, name, v);
	return v;
}

void
form_error(struct form *f, const char *name, const char *message)
{
	struct tv *e;

	if (tv_get(form_field(f, name), "error") == NULL) {
		tv_put_str(form_field(f, name), "error", message);
		e = tv_push_map(f->errors);
		tv_put_str(e, "field", name);
		tv_put_str(e, "message", message);
	}
	f->nerrors++;
	tv_put_bool(f->view, "has_errors", 1);
}

int
page_render(struct request *req, struct response *resp, int status,
    const char *name, struct tv *view)
{
	char err[256];

	buf_reset(&resp->body);
	/* Most pages are 4 to 20 KB: grown once, not seven times. */
	buf_reserve(&resp->body, 16 * 1024);
	resp->static_body = NULL;
	if (tmpl_render(req->app->tmpl, name, view, &resp->body, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: template %s: %s\n", name, err);
		buf_reset(&resp->body);
		return 500;
	}
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	return 0;
}

struct error_text {
	int		 status;
	const char	*title;
	const char	*message;
	const char	*hint;
};

static const struct error_text error_texts[] = {
	{ 400, "请求有误", "您的请求格式不正确，服务器无法处理。",
	    "请检查地址是否完整、正确，或返回上一页重新填写后再提交。" },
	{ 403, "无权访问", "您没有权限执行此操作。",
	    "如果您认为这是个错误，请重新登录后再试，或联系系统管理员。" },
	{ 404, "页面不存在", "您要访问的页面不存在，或已被移除。",
	    "请检查地址是否输入正确，或从首页重新进入。" },
	{ 405, "请求方法不被允许", "此页面不接受这种请求方式。",
	    "请通过页面上的链接和按钮操作，不要直接构造请求。" },
	{ 409, "操作冲突", "当前状态下不能执行此操作。",
	    "请刷新页面查看最新状态后再试。" },
	{ 413, "提交的内容过大", "您提交的内容超过了系统允许的大小。",
	    "请压缩或拆分文件后重新上传；页面上写明了每类文件的大小限制。" },
	{ 415, "不支持的内容类型", "服务器无法处理这种格式的提交。",
	    "请通过页面上的表单提交。" },
	{ 503, "服务器繁忙", "服务器同时收到的提交过多，暂时没有处理您的这次提交，"
	    "您的数据没有被部分保存。", "请稍等片刻后重新提交。" },
	{ 500, "服务器内部错误", "服务器在处理您的请求时出错，您的数据没有被部分保存。",
	    "请稍后重试；如果问题持续出现，请联系系统管理员并告知出错时间。" },
	{ 0, NULL, NULL, NULL }
};

void
page_error(struct request *req, struct response *resp, int status,
    const char *message)
{
	const struct error_text *e;
	struct tv *v;
	char code[16];

	for (e = error_texts; e->status != 0; e++)
		if (e->status == status)
			break;
	if (e->status == 0)
		e = &error_texts[sizeof(error_texts) /
		    sizeof(error_texts[0]) - 2];	/* 500 */
	v = page_view(req, e->title);
	snprintf(code, sizeof(code), "%d", status);
	tv_put_str(v, "status", code);
	tv_put_str(v, "message", message ? message : e->message);
	tv_put_str(v, "hint", e->hint);
	if (page_render(req, resp, status, "error", v) != 0) {
		/* The error page itself failed: plain text, never nothing. */
		buf_reset(&resp->body);
		buf_printf(&resp->body, "%d %s\n", status, e->title);
		resp->status = status;
		resp->content_type = "text/plain; charset=utf-8";
	}
}

const char *
page_time(struct arena *a, const char *iso)
{
	char out[DATE_BUFSZ];

	if (date_stamp_local(iso, out) == NULL)
		return iso ? iso : "";
	return arena_strdup(a, out);
}

const char *
page_date_zh(struct arena *a, const char *day)
{
	char out[DATE_BUFSZ];
	zdate d;

	if (day == NULL)
		return "";
	if (date_parse(day, &d) != 0)
		return day;
	return arena_strdup(a, date_zh(d, out));
}

const char *
page_time_zh(struct arena *a, const char *iso)
{
	char local[DATE_BUFSZ], day[11];

	if (date_stamp_local(iso, local) == NULL)
		return iso ? iso : "";
	/* "2026-11-27 00:30" */
	memcpy(day, local, 10);
	day[10] = '\0';
	return arena_printf(a, "%s %s", page_date_zh(a, day), local + 11);
}

int
page_confirmed(const struct request *req)
{
	const char *v = params_get(&req->form, "confirm");

	return v != NULL && strcmp(v, "1") == 0;
}

int
page_confirm(struct request *req, struct response *resp, const char *heading,
    const char *what, const char *warn_title, const char *const *warnings,
    const char *button, const char *action, const char *back,
    const char *const *carry)
{
	return page_confirm_edit(req, resp, heading, what, warn_title,
	    warnings, button, action, back, carry, NULL);
}

int
page_confirm_edit(struct request *req, struct response *resp,
    const char *heading, const char *what, const char *warn_title,
    const char *const *warnings, const char *button, const char *action,
    const char *back, const char *const *carry, const char *edit_label)
{
	struct tv *v = page_view(req, heading), *list, *e;
	const char *val;

	if (edit_label != NULL)
		tv_put_str(v, "edit_label", edit_label);
	tv_put_str(v, "heading", heading);
	tv_put_str(v, "what", what);
	tv_put_str(v, "button", button);
	tv_put_str(v, "action", action);
	tv_put_str(v, "back", back);
	tv_put_str(v, "warn_title", warn_title ? warn_title : "");
	list = tv_put_list(v, "warnings");
	for (; warnings != NULL && *warnings != NULL; warnings++)
		tv_push(list, tv_str(req->arena, *warnings));
	tv_put_bool(v, "has_warnings", tv_len(list) > 0);
	list = tv_put_list(v, "carry");
	for (; carry != NULL && *carry != NULL; carry++) {
		if ((val = params_get(&req->form, *carry)) == NULL)
			continue;
		e = tv_push_map(list);
		tv_put_str(e, "name", *carry);
		tv_put_str(e, "value", val);
	}
	return page_render(req, resp, 200, "confirm", v);
}

const char *
page_material_href(struct arena *a, long long case_id, const char *code,
    int row)
{
	const struct fdef_section *sec = NULL;

	if (fdef_material_find(code, &sec) == NULL || sec == NULL)
		return arena_printf(a, "/cases/%lld/materials", case_id);
	if (row < FDEF_NOROW)
		return arena_printf(a, "/cases/%lld/materials?s=%s#k-%s",
		    case_id, sec->id, code);
	return arena_printf(a, "/cases/%lld/materials?s=%s#m-%s-%d", case_id,
	    sec->id, code, row);
}

const char *
page_today(struct request *req)
{
	char day[24];

	date_day(req->now, day);
	return arena_strdup(req->arena, day);
}

enum dom_rc
page_lead_choices(struct dom *d, struct tv *view, const char *key,
    long long selected)
{
	struct tv *list = tv_put_list(view, key), *row;
	struct account_row *leads;
	size_t i, n;
	enum dom_rc rc;

	if ((rc = account_active(d, ROLE_LEAD, &leads, &n)) != DOM_OK)
		return rc == DOM_FAILED ? rc : DOM_OK;
	for (i = 0; i < n; i++) {
		row = tv_push_map(list);
		tv_put_int(row, "id", leads[i].id);
		tv_put_str(row, "name", leads[i].name);
		tv_put_str(row, "email", leads[i].email);
		tv_put_bool(row, "selected", leads[i].id == selected);
	}
	return DOM_OK;
}

void
page_pager(struct request *req, struct tv *view, const char *base,
    long long page, long long total, long long per_page)
{
	struct tv *p = tv_put_map(view, "pager");
	long long pages = total <= 0 ? 1 : (total + per_page - 1) / per_page;
	const char *sep = strchr(base, '?') ? "&" : "?";

	tv_put_int(p, "page", page);
	tv_put_int(p, "pages", pages);
	tv_put_int(p, "total", total);
	tv_put_bool(p, "many", pages > 1);
	if (page > 1) {
		tv_put_bool(p, "has_prev", 1);
		tv_put_str(p, "prev", arena_printf(req->arena, "%s%spage=%lld",
		    base, sep, page - 1));
	}
	if (page < pages) {
		tv_put_bool(p, "has_next", 1);
		tv_put_str(p, "next", arena_printf(req->arena, "%s%spage=%lld",
		    base, sep, page + 1));
	}
}

int
page_move(struct request *req, struct response *resp, long long case_id,
    const char *to, const char *reason)
{
	char err[256];

	switch (workflow_move(req->app->store, case_id, to, req->user, reason,
	    req->now, err, sizeof(err))) {
	case WF_OK:
		return 0;
	case WF_FORBIDDEN:
		resp->error_message = arena_strdup(req->arena, err);
		return 403;
	case WF_CONFLICT:
		resp->error_message = arena_strdup(req->arena, err);
		return 409;
	default:
		return 500;
	}
}

/* Not logged in: no id, no role but ROLE_ANON. */
static const struct actor anonymous = { 0, "", "", "", ROLE_ANON, 0, "" };

void
page_dom(struct request *req, struct dom *d)
{
	struct app *app = req->app;

	dom_init(d, app->store, req->arena, req->user != NULL ? req->user :
	    &anonymous, req->now);
	d->tmpl = app->tmpl;
	d->public_url = app->cfg.public_url != NULL ? app->cfg.public_url : "";
	d->files_dir = app->files_dir;
	d->max_file = app->cfg.max_file;
	d->payee = &app->cfg.payee;
	d->require_2fa = app->cfg.require_2fa;
}

struct dom *
page_ctx(struct request *req)
{
	struct dom *d = arena_alloc(req->arena, sizeof(*d));

	page_dom(req, d);
	return d;
}

int
page_status(struct response *resp, const struct dom *d, enum dom_rc rc)
{
	if (rc != DOM_OK && d->msg != NULL)
		resp->error_message = d->msg;
	switch (rc) {
	case DOM_OK:
		return 0;
	case DOM_INVALID:
		return 400;
	case DOM_NOT_FOUND:
		return 404;
	case DOM_FORBIDDEN:
		return 403;
	case DOM_CONFLICT:
		return 409;
	case DOM_TOO_LARGE:
		return 413;
	case DOM_GONE:
		return 410;
	default:
		return 500;
	}
}

int
page_load_case_any(struct request *req, size_t arg, unsigned any,
    struct case_ref *c)
{
	int rc = page_load_case(req, arg, 0, c);

	if (rc == 0 && (c->parts & any) == 0)
		return 404;
	return rc;
}

int
page_load_case(struct request *req, size_t arg, unsigned need,
    struct case_ref *c)
{
	struct dom d;
	char *end;
	long long id;

	if (arg >= req->nargs)
		return 404;
	id = strtoll(req->args[arg], &end, 10);
	if (*end != '\0')
		return 404;
	page_dom(req, &d);
	switch (access_case(&d, id, need, c)) {
	case DOM_OK:
		return 0;
	case DOM_NOT_FOUND:
		return 404;
	default:
		return 500;
	}
}

int
page_pdf_notice(struct request *req, struct response *resp,
    const struct pdf_notice *n, const char *filename, const char *what)
{
	char err[256];

	if (pdf_notice(n, NULL, &resp->body, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: %s pdf: %s\n", n->title, err);
		resp->error_message = arena_printf(req->arena,
		    "无法生成 PDF：%s。%s仍可在网页上查看。", err, what);
		return 500;
	}
	resp->status = 200;
	resp->content_type = "application/pdf";
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, filename));
	return 0;
}

/*
 * One CSV field (RFC 4180): always quoted, quotes doubled. A cell a
 * spreadsheet would take for a formula (= + - @, or a tab or CR first)
 * gets a leading apostrophe, so it is shown as text and never run.
 */
void
page_csv_field(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}
