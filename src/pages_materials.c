/*
 * pages_materials.c: uploading, listing, downloading, replacing and
 * removing an application's materials (material.c does each).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "application.h"
#include "attach.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "page.h"
#include "pages.h"
#include "valid.h"

/* What a row of a group is called on the page: "年度 2024", "项目 2". */
static const char *
row_name(struct arena *a, const struct fdef_section *sec,
    const struct fdef_group *g, const struct formdata *fd, int row)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < sec->nfields; i++)
		if (sec->fields[i].group == g) {
			v = formdata_get(fd, sec->fields[i].name, row);
			break;
		}
	if (v != NULL && *v != '\0')
		return arena_printf(a, "%s：%s", g->row_label, v);
	return arena_printf(a, "%s %d", g->row_label, row + 1);
}

/* The current files of one slot (kind, row). */
static int
put_files(struct request *req, struct tv *slot,
    const struct material_row *files, size_t nfiles, const char *kind,
    int row, int ro)
{
	struct tv *list = tv_put_list(slot, "files"), *f;
	const struct material_row *m;
	size_t i;
	int n = 0;

	for (i = 0; i < nfiles; i++) {
		m = &files[i];
		if (m->row != row || strcmp(m->kind, kind) != 0)
			continue;
		f = tv_push_map(list);
		tv_put_int(f, "mid", m->id);
		tv_put_str(f, "filename", m->filename);
		tv_put_str(f, "size", attach_size_zh(req->arena, m->size));
		tv_put_str(f, "type", strcmp(m->mime, "application/pdf") == 0 ?
		    "PDF" : strcmp(m->mime, "image/png") == 0 ? "PNG" : "JPEG");
		tv_put_str(f, "at", page_time(req->arena, m->uploaded_at));
		tv_put_bool(f, "can_change", !ro);
		n++;
	}
	tv_put_bool(slot, "has_files", n > 0);
	tv_put_int(slot, "nfiles", n);
	return n;
}

struct upload_error {
	const char	*kind;
	int		 row;
	const char	*msg;
};

/* The slots of one material: one, or one per row of its group. */
static void
put_slots(struct request *req, struct tv *kv, const struct fdef_section *sec,
    const struct fdef_material *m, const struct formdata *fd,
    const struct material_row *files, size_t nfiles, int ro,
    const struct upload_error *ue)
{
	struct tv *slots = tv_put_list(kv, "slots"), *slot;
	int row, r, n, rows = m->group ? formdata_rows(fd, m->group->name) : 1;

	if (m->group != NULL && rows == 0)
		tv_put_str(kv, "no_rows", arena_printf(req->arena, "请先在"
		    "申请书“%s%s%s”中填写%s，再上传对应的材料。", sec->num,
		    *sec->num ? "、" : "", sec->title, m->group->label));
	for (row = 0; row < rows; row++) {
		r = m->group ? row : FDEF_NOROW;
		slot = tv_push_map(slots);
		tv_put_int(slot, "row", r);
		tv_put_str(slot, "slot_id", arena_printf(req->arena, "m-%s-%d",
		    m->code, r));
		if (m->group != NULL)
			tv_put_str(slot, "row_name", row_name(req->arena, sec,
			    m->group, fd, r));
		n = put_files(req, slot, files, nfiles, m->code, r, ro);
		tv_put_bool(slot, "can_upload", !ro && n < m->maxfiles);
		tv_put_str(slot, "code", m->code);
		if (ue != NULL && strcmp(ue->kind, m->code) == 0 &&
		    ue->row == r)
			tv_put_str(slot, "error", ue->msg);
	}
}

static int
render(struct request *req, struct response *resp, int status,
    const struct case_ref *c, const struct upload_error *ue)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "上传材料"), *secs, *sv, *kinds, *kv;
	const struct fdef_section *sec;
	const struct fdef_material *m;
	struct material_row *files;
	struct formdata fd;
	long long used;
	size_t i, k, nfiles;
	int rc, ro = !access_may(c, d->actor->role_bit, ACT_EDIT);

	formdata_init(&fd, req->arena);
	if ((rc = page_status(resp, d, application_form(d, c, &fd))) != 0 ||
	    (rc = page_status(resp, d, material_list(d, c, &files, &nfiles,
	    &used))) != 0)
		return rc;
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_bool(v, "readonly", ro);
	tv_put_str(v, "max_file", attach_size_zh(req->arena,
	    (long long)d->max_file));
	tv_put_int(v, "max_case_mb", MATERIAL_CASE_MAX / (1024 * 1024));
	tv_put_str(v, "used", attach_size_zh(req->arena, used));
	if (ue != NULL) {
		tv_put_bool(v, "has_errors", 1);
		kv = tv_push_map(tv_put_list(v, "errors"));
		tv_put_str(kv, "field", arena_printf(req->arena, "m-%s-%d",
		    ue->kind, ue->row));
		tv_put_str(kv, "message", ue->msg);
	}
	secs = tv_put_list(v, "sections");
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		if (sec->nmaterials == 0)
			continue;
		sv = tv_push_map(secs);
		tv_put_str(sv, "sid", sec->id);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		kinds = tv_put_list(sv, "kinds");
		for (k = 0; k < sec->nmaterials; k++) {
			m = &sec->materials[k];
			kv = tv_push_map(kinds);
			tv_put_str(kv, "code", m->code);
			tv_put_str(kv, "label", m->label);
			tv_put_str(kv, "help", m->help);
			tv_put_str(kv, "types", fdef_types_zh(m));
			tv_put_str(kv, "accept", fdef_types_accept(m));
			tv_put_bool(kv, "required", m->req == FDEF_REQUIRED);
			tv_put_int(kv, "maxfiles", m->maxfiles);
			put_slots(req, kv, sec, m, &fd, files, nfiles, ro, ue);
		}
	}
	return page_render(req, resp, status, "materials", v);
}

int
page_materials(struct request *req, struct response *resp)
{
	struct case_ref c;
	int rc;

	if ((rc = page_load_case(req, 0, PART_MATERIALS, &c)) != 0)
		return rc;
	return render(req, resp, 200, &c, NULL);
}

int
page_materials_post(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct material_upload in;
	struct upload_error ue;
	const char *rs = params_get(&req->form, "row");
	const char *rep = params_get(&req->form, "replace");
	struct case_ref c;
	long long row, mid;
	enum dom_rc drc;
	size_t i;
	int rc;

	if ((rc = page_load_case(req, 0, PART_MATERIALS, &c)) != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	in.kind = params_get(&req->form, "kind");
	/* A row that is not a number names no slot: material_upload says
	 * so, after what it checks first. */
	in.row = rs != NULL && valid_int(rs, -1, INT_MAX, &row) == 0 ?
	    (int)row : INT_MIN;
	if (rep != NULL && *rep != '\0' && valid_int(rep, 1, LLONG_MAX,
	    &in.replace) != 0)
		return 400;
	for (i = 0; i < req->files.n; i++)
		if (strcmp(req->files.v[i].field, "file") == 0) {
			in.filename = req->files.v[i].filename;
			in.data = req->files.v[i].data;
			in.len = req->files.v[i].size;
		}
	drc = material_upload(d, c.id, &in, &mid);
	if (drc != DOM_OK && d->field != NULL && strcmp(d->field, "file") ==
	    0) {
		ue.kind = in.kind;
		ue.row = in.row;
		ue.msg = d->msg;
		return render(req, resp, page_status(resp, d, drc), &c, &ue);
	}
	if ((rc = page_status(resp, d, drc)) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/materials?uploaded=1#m-%s-%d", c.id, in.kind, in.row));
	return 0;
}

int
page_material_download(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct material_file f;
	struct case_ref c;
	long long mid;
	int rc;

	if ((rc = page_load_case(req, 0, PART_MATERIALS, &c)) != 0)
		return rc;
	if (valid_int(req->args[1], 1, LLONG_MAX, &mid) != 0)
		return 404;
	if ((rc = page_status(resp, d, material_download(d, &c, mid, &f,
	    &resp->body))) != 0)
		return rc;
	resp->status = 200;
	resp->content_type = f.mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, f.filename));
	return 0;
}

int
page_material_remove(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	long long mid;
	int rc;

	if ((rc = page_load_case(req, 0, PART_MATERIALS, &c)) != 0)
		return rc;
	if (valid_int(req->args[1], 1, LLONG_MAX, &mid) != 0)
		return 404;
	if ((rc = page_status(resp, d, material_remove(d, c.id, mid))) != 0)
		return rc;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/materials?removed=1", c.id));
	return 0;
}
