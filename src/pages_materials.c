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
		tv_put_str(f, "at", page_time_zh(req->arena, m->uploaded_at));
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

/* Is the material due for row r: its req_field given (or equal to
 * req_value)? */
static int
slot_due(const struct formdata *fd, const struct fdef_material *m, int r)
{
	const char *v = formdata_get(fd, m->req_field, r);

	if (v == NULL || *v == '\0')
		return 0;
	return m->req_value == NULL || strcmp(v, m->req_value) == 0;
}

static int
slot_has_files(const struct material_row *files, size_t nfiles,
    const char *kind, int row)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (files[i].row == row && strcmp(files[i].kind, kind) == 0)
			return 1;
	return 0;
}

/* The slots of one material: one, or one per row of its group. */
static void
put_slots(struct request *req, struct tv *kv, const struct fdef_section *sec,
    const struct fdef_material *m, const struct formdata *fd,
    const struct material_row *files, size_t nfiles, int ro,
    const struct upload_error *ue)
{
	struct tv *slots = tv_put_list(kv, "slots"), *slot;
	const char *done_kind = params_get(&req->query, "kind");
	const char *rs = params_get(&req->query, "row");
	const char *done_msg = NULL;
	long long done_row = INT_MIN, nup = 0;

	/* Back at the slot after an upload or a removal: say what
	 * happened there (?kind=&row=&uploaded=N or &removed=1). */
	if (done_kind != NULL && rs != NULL &&
	    valid_int(rs, -1, INT_MAX, &done_row) == 0) {
		if (valid_int(params_get(&req->query, "uploaded"), 1, 1000,
		    &nup) == 0)
			done_msg = arena_printf(req->arena, "已上传 %lld 个文件。",
			    nup);
		else if (params_get(&req->query, "removed") != NULL)
			done_msg = "已删除该文件（原文件仍保留在记录中）。";
		else
			done_kind = NULL;
	} else
		done_kind = NULL;
	int row, r, n, rows = m->group ? formdata_rows(fd, m->group->name) : 1;

	if (m->group != NULL && rows == 0)
		tv_put_str(kv, "no_rows", arena_printf(req->arena, "请先在"
		    "申请书“%s%s%s”中填写%s，再上传对应的材料。", sec->num,
		    *sec->num ? "、" : "", sec->title, m->group->label));
	for (row = 0; row < rows; row++) {
		r = m->group ? row : FDEF_NOROW;
		/* A material due only for some rows (a CISP certificate for
		 * the staff with a CISP number) has no slot on the others,
		 * unless a file is there already. */
		if (m->req_field != NULL && !slot_due(fd, m, r) &&
		    !slot_has_files(files, nfiles, m->code, r))
			continue;
		slot = tv_push_map(slots);
		tv_put_int(slot, "row", r);
		tv_put_str(slot, "slot_id", arena_printf(req->arena, "m-%s-%d",
		    m->code, r));
		if (m->group != NULL)
			tv_put_str(slot, "row_name", fdef_row_name(req->arena,
			    m->group, &fd->src, r));
		n = put_files(req, slot, files, nfiles, m->code, r, ro);
		if (done_kind != NULL && strcmp(done_kind, m->code) == 0 &&
		    done_row == r)
			tv_put_str(slot, "done", done_msg);
		tv_put_bool(slot, "can_upload", !ro && n < m->maxfiles);
		tv_put_str(slot, "code", m->code);
		if (ue != NULL && strcmp(ue->kind, m->code) == 0 &&
		    ue->row == r)
			tv_put_str(slot, "error", ue->msg);
	}
}

/* How many slots of a section are due and how many of those have files;
 * how many of its materials are required. */
static void
section_counts(const struct fdef_section *sec, const struct formdata *fd,
    const struct material_row *files, size_t nfiles, int *due, int *done)
{
	const struct fdef_material *m;
	size_t k;
	int row, rows, r;

	*due = *done = 0;
	for (k = 0; k < sec->nmaterials; k++) {
		m = &sec->materials[k];
		if (m->req != FDEF_REQUIRED)
			continue;
		rows = m->group ? formdata_rows(fd, m->group->name) : 1;
		for (row = 0; row < rows; row++) {
			r = m->group ? row : FDEF_NOROW;
			if (m->req_field != NULL && !slot_due(fd, m, r))
				continue;
			(*due)++;
			if (slot_has_files(files, nfiles, m->code, r))
				(*done)++;
		}
	}
}

static int
render(struct request *req, struct response *resp, int status,
    const struct case_ref *c, const struct upload_error *ue)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "上传材料"), *secs, *sv, *kinds, *kv;
	struct tv *index;
	const struct fdef_section *sec;
	const char *want;
	int due, done;
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
	/* One section of the form at a time (?s=s4), with an index of all
	 * of them; the page of every section at once was 17,000 px tall.
	 * Without ?s= the index alone, and the first section that still
	 * lacks a required file (or the first one). */
	want = params_get(&req->query, "s");
	if (ue != NULL && fdef_material_find(ue->kind, &sec) != NULL)
		want = sec->id;
	if (want == NULL || (sec = fdef_section_find(want)) == NULL ||
	    sec->nmaterials == 0) {
		want = NULL;
		for (i = 0; i < fdef_nsections() && want == NULL; i++) {
			sec = fdef_section_at(i);
			if (sec->nmaterials == 0)
				continue;
			section_counts(sec, &fd, files, nfiles, &due, &done);
			if (done < due)
				want = sec->id;
		}
		if (want == NULL)
			want = "s1";
	}
	index = tv_put_list(v, "index");
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		if (sec->nmaterials == 0)
			continue;
		section_counts(sec, &fd, files, nfiles, &due, &done);
		kv = tv_push_map(index);
		tv_put_str(kv, "sid", sec->id);
		tv_put_str(kv, "num", sec->num);
		tv_put_str(kv, "stitle", sec->title);
		tv_put_int(kv, "due", due);
		tv_put_int(kv, "done", done);
		tv_put_bool(kv, "complete", done >= due);
		tv_put_bool(kv, "current", strcmp(sec->id, want) == 0);
	}
	secs = tv_put_list(v, "sections");
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		if (sec->nmaterials == 0 || strcmp(sec->id, want) != 0)
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

/* Back to the slot (its section, its anchor) with what happened. */
static const char *
slot_back(struct request *req, long long case_id, const char *kind, int row,
    const char *what)
{
	const struct fdef_section *sec = NULL;

	if (kind == NULL || fdef_material_find(kind, &sec) == NULL)
		return arena_printf(req->arena, "/cases/%lld/materials?%s",
		    case_id, what);
	return arena_printf(req->arena, "/cases/%lld/materials?s=%s&kind=%s&"
	    "row=%d&%s#m-%s-%d", case_id, sec->id, kind, row, what, kind,
	    row);
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
	int rc, nok = 0;

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
	/* Several files may be chosen at once (a slot takes up to 20):
	 * each is stored on its own, in order; at the first refusal the
	 * page says which were stored and why the next one was not. */
	drc = DOM_OK;
	for (i = 0; i < req->files.n && drc == DOM_OK; i++) {
		if (strcmp(req->files.v[i].field, "file") != 0)
			continue;
		in.filename = req->files.v[i].filename;
		in.data = req->files.v[i].data;
		in.len = req->files.v[i].size;
		if ((drc = material_upload(d, c.id, &in, &mid)) == DOM_OK) {
			nok++;
			in.replace = 0;	/* only the first replaces */
		}
	}
	if (in.filename == NULL)	/* no file part: let it say so */
		drc = material_upload(d, c.id, &in, &mid);
	if (drc != DOM_OK && d->field != NULL && strcmp(d->field, "file") ==
	    0) {
		ue.kind = in.kind;
		ue.row = in.row;
		ue.msg = nok == 0 ? d->msg : arena_printf(req->arena,
		    "已上传 %d 个文件；“%s”未能上传：%s", nok, in.filename,
		    d->msg);
		return render(req, resp, page_status(resp, d, drc), &c, &ue);
	}
	if ((rc = page_status(resp, d, drc)) != 0)
		return rc;
	response_redirect(resp, slot_back(req, c.id, in.kind, in.row,
	    arena_printf(req->arena, "uploaded=%d", nok)));
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

/* "删除这个文件？" with the file's name and slot; 确认删除 posts
 * confirm=1, 取消 goes back to the slot. */
static int
remove_confirm(struct request *req, struct response *resp,
    const struct case_ref *c, long long mid)
{
	struct dom *d = page_ctx(req);
	struct tv *v = page_view(req, "确认删除文件");
	struct material_row *files;
	const struct material_row *m = NULL;
	const struct fdef_material *mat;
	size_t i, nfiles;
	long long used;
	int rc;

	if ((rc = page_status(resp, d, material_list(d, c, &files, &nfiles,
	    &used))) != 0)
		return rc;
	for (i = 0; i < nfiles; i++)
		if (files[i].id == mid)
			m = &files[i];
	if (m == NULL)
		return 404;
	mat = fdef_material_find(m->kind, NULL);
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_int(v, "mid", mid);
	tv_put_str(v, "filename", m->filename);
	tv_put_str(v, "label", mat ? mat->label : m->kind);
	tv_put_str(v, "kind", m->kind);
	tv_put_int(v, "row", m->row);
	tv_put_str(v, "back", slot_back(req, c->id, m->kind, m->row, "x=1"));
	return page_render(req, resp, 200, "material_remove", v);
}

int
page_material_remove(struct request *req, struct response *resp)
{
	struct dom *d = page_ctx(req);
	struct case_ref c;
	long long mid, row;
	int rc;

	if ((rc = page_load_case(req, 0, PART_MATERIALS, &c)) != 0)
		return rc;
	if (valid_int(req->args[1], 1, LLONG_MAX, &mid) != 0)
		return 404;
	/* 删除 asks first, on a page of its own (no JavaScript needed):
	 * only a POST with confirm=1 removes. */
	if (params_get(&req->form, "confirm") == NULL)
		return remove_confirm(req, resp, &c, mid);
	if ((rc = page_status(resp, d, material_remove(d, c.id, mid))) != 0)
		return rc;
	response_redirect(resp, slot_back(req, c.id, params_get(&req->form,
	    "kind"), valid_int(params_get(&req->form, "row"), -1, INT_MAX,
	    &row) == 0 ? (int)row : FDEF_NOROW, "removed=1"));
	return 0;
}
