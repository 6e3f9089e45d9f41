/*
 * pages_materials.c: uploading, listing, downloading, replacing and
 * removing an application's materials. A file is checked by its content
 * (files.c), stored under its SHA-256 outside any served directory, and
 * only then recorded; a replaced or removed file keeps its row and bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "files.h"
#include "form_def.h"
#include "formdata.h"
#include "page.h"
#include "pages.h"
#include "workflow.h"

static int
editable(const struct case_info *c)
{
	return strcmp(c->status, "draft") == 0 ||
	    strcmp(c->status, "supplement_requested") == 0;
}

static const char *
human_size(struct arena *a, long long n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1f MB", (double)n / (1024 * 1024));
	if (n >= 1024)
		return arena_printf(a, "%.0f KB", (double)n / 1024);
	return arena_printf(a, "%lld 字节", n);
}

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

static int
put_files(struct request *req, struct tv *slot, long long case_id,
    const char *kind, int row, int ro)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT id, filename, "
	    "size, mime, uploaded_at FROM material WHERE case_id = ?1 AND "
	    "kind = ?2 AND row = ?3 AND state = 'current' ORDER BY id");
	struct tv *list = tv_put_list(slot, "files"), *f;
	int rc, n = 0;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind);
	store_bind_int(st, 3, row);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		tv_put_int(f, "mid", sqlite3_column_int64(st, 0));
		tv_put_str(f, "filename", store_col_text(st, 1));
		tv_put_str(f, "size", human_size(req->arena,
		    sqlite3_column_int64(st, 2)));
		tv_put_str(f, "type", strcmp(store_col_text(st, 3),
		    "application/pdf") == 0 ? "PDF" : strcmp(store_col_text(st,
		    3), "image/png") == 0 ? "PNG" : "JPEG");
		tv_put_str(f, "at", page_time(req->arena, store_col_text(st,
		    4)));
		tv_put_bool(f, "can_change", !ro);
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(slot, "has_files", n > 0);
	tv_put_int(slot, "nfiles", n);
	return rc == SQLITE_DONE ? n : -1;
}

struct upload_error {
	const char	*kind;
	int		 row;
	const char	*msg;
};

static int
render(struct request *req, struct response *resp, int status,
    const struct case_info *c, const struct upload_error *ue)
{
	struct tv *v = page_view(req, "上传材料"), *secs, *sv, *kinds, *kv;
	struct tv *slots, *slot;
	const struct fdef_section *sec;
	const struct fdef_material *m;
	struct formdata fd;
	sqlite3_stmt *st;
	long long used = 0;
	size_t i, k;
	int row, rows, n, ro = !editable(c);

	formdata_init(&fd, req->arena);
	if (formdata_load(&fd, req->app->store, c->id) != 0)
		return 500;
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_bool(v, "readonly", ro);
	tv_put_str(v, "max_file", human_size(req->arena,
	    (long long)req->app->cfg.max_file));
	tv_put_int(v, "max_case_mb", (long long)(APP_MAX_CASE_FILES /
	    (1024 * 1024)));
	st = store_stmt(req->app->store, "SELECT coalesce(sum(size), 0) FROM "
	    "material WHERE case_id = ?1 AND state = 'current'");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		used = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	tv_put_str(v, "used", human_size(req->arena, used));
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
			slots = tv_put_list(kv, "slots");
			rows = m->group ? formdata_rows(&fd, m->group->name) : 1;
			if (m->group != NULL && rows == 0)
				tv_put_str(kv, "no_rows", arena_printf(
				    req->arena, "请先在申请书“%s%s%s”中填写%s，"
				    "再上传对应的材料。", sec->num, *sec->num ?
				    "、" : "", sec->title, m->group->label));
			for (row = 0; row < rows; row++) {
				int r = m->group ? row : FDEF_NOROW;

				slot = tv_push_map(slots);
				tv_put_int(slot, "row", r);
				tv_put_str(slot, "slot_id", arena_printf(
				    req->arena, "m-%s-%d", m->code, r));
				if (m->group != NULL)
					tv_put_str(slot, "row_name", row_name(
					    req->arena, sec, m->group, &fd, r));
				if ((n = put_files(req, slot, c->id, m->code, r,
				    ro)) < 0)
					return 500;
				tv_put_bool(slot, "can_upload", !ro &&
				    n < m->maxfiles);
				tv_put_str(slot, "code", m->code);
				if (ue != NULL && strcmp(ue->kind, m->code) ==
				    0 && ue->row == r)
					tv_put_str(slot, "error", ue->msg);
			}
		}
	}
	return page_render(req, resp, status, "materials", v);
}

int
page_materials(struct request *req, struct response *resp)
{
	struct case_info c;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	return render(req, resp, 200, &c, NULL);
}

static int
fail_upload(struct request *req, struct response *resp, int status,
    const struct case_info *c, const char *kind, int row, const char *msg)
{
	struct upload_error ue = { kind, row, msg };

	return render(req, resp, status, c, &ue);
}

/* 1 when the slot already holds a current file with that content, 0 when
 * not, -1 on error. */
static int
same_upload(struct store *s, long long case_id, const char *kind, int row,
    const char *hex)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM material WHERE "
	    "case_id = ?1 AND kind = ?2 AND row = ?3 AND sha256 = ?4 AND "
	    "state = 'current'");
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind);
	store_bind_int(st, 3, row);
	store_bind_text(st, 4, hex);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
page_materials_post(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const struct fdef_material *m;
	const struct fdef_section *sec;
	const struct upload *up = NULL;
	const char *kind, *rs, *rep, *msg;
	struct formdata fd;
	struct case_info c;
	enum files_kind fk;
	char hex[FILES_HEX_SIZE], stamp[24];
	sqlite3_stmt *st;
	long long used = 0, replace = 0, count = 0;
	size_t i;
	int rc, row;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (!editable(&c)) {
		resp->error_message = "申请已提交，当前不能修改材料。";
		return 409;
	}
	kind = params_get(&req->form, "kind");
	rs = params_get(&req->form, "row");
	rep = params_get(&req->form, "replace");
	if (kind == NULL || (m = fdef_material_find(kind, &sec)) == NULL ||
	    rs == NULL)
		return 400;
	row = atoi(rs);
	formdata_init(&fd, req->arena);
	if (formdata_load(&fd, s, c.id) != 0)
		return 500;
	if (m->group == NULL ? row != FDEF_NOROW :
	    (row < 0 || row >= formdata_rows(&fd, m->group->name)))
		return 400;
	if (rep != NULL && *rep != '\0')
		replace = strtoll(rep, NULL, 10);
	for (i = 0; i < req->files.n; i++)
		if (strcmp(req->files.v[i].field, "file") == 0)
			up = &req->files.v[i];
	if (up == NULL || up->size == 0)
		return fail_upload(req, resp, 400, &c, kind, row,
		    "请选择要上传的文件。");
	if (up->size > req->app->cfg.max_file)
		return fail_upload(req, resp, 413, &c, kind, row, arena_printf(
		    req->arena, "文件“%s”大小为 %s，超过了每个文件 %s 的限制。"
		    "请压缩或拆分后重新上传。", files_clean_name(req->arena,
		    up->filename), human_size(req->arena, (long long)up->size),
		    human_size(req->arena, (long long)req->app->cfg.max_file)));
	st = store_stmt(s, "SELECT coalesce(sum(size), 0), (SELECT count(*) "
	    "FROM material WHERE case_id = ?1 AND kind = ?2 AND row = ?3 AND "
	    "state = 'current') FROM material WHERE case_id = ?1 AND "
	    "state = 'current'");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, kind);
	store_bind_int(st, 3, row);
	if (sqlite3_step(st) == SQLITE_ROW) {
		used = sqlite3_column_int64(st, 0);
		count = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if ((unsigned long long)used + up->size > APP_MAX_CASE_FILES)
		return fail_upload(req, resp, 413, &c, kind, row, arena_printf(
		    req->arena, "本申请的材料合计不能超过 %llu MB（已使用 %.1f "
		    "MB）。请删除不需要的文件，或压缩后再上传。",
		    APP_MAX_CASE_FILES / (1024 * 1024),
		    (double)used / 1048576.0));
	/* The same file to the same place again (a retry after a lost
	 * answer, a double click) is the upload already done. */
	files_sha256_hex(up->data, up->size, hex);
	if (replace == 0 && (rc = same_upload(s, c.id, kind, row, hex)) != 0) {
		if (rc < 0)
			return 500;
		goto done;
	}
	if (replace == 0 && count >= m->maxfiles)
		return fail_upload(req, resp, 409, &c, kind, row, arena_printf(
		    req->arena, "“%s”最多上传 %d 个文件。请先删除或替换已有文件。",
		    m->label, m->maxfiles));
	if ((msg = files_check(req->arena, up->filename, up->data, up->size,
	    m->types, &fk)) != NULL)
		return fail_upload(req, resp, 400, &c, kind, row, msg);
	/* The bytes are durable before any row points at them. */
	if (files_store(req->app->files_dir, up->data, up->size, hex) != 0) {
		perror("zizhi: files_store");
		return 500;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	/* Again inside the write transaction: two identical requests at
	 * once make one row. */
	if (replace == 0 && (rc = same_upload(s, c.id, kind, row, hex)) != 0) {
		store_rollback(s);
		if (rc < 0)
			return 500;
		goto done;
	}
	if (replace != 0) {
		st = store_stmt(s, "UPDATE material SET state = 'replaced' "
		    "WHERE id = ?1 AND case_id = ?2 AND kind = ?3 AND row = ?4 "
		    "AND state = 'current'");
		if (st == NULL)
			goto fail;
		store_bind_int(st, 1, replace);
		store_bind_int(st, 2, c.id);
		store_bind_text(st, 3, kind);
		store_bind_int(st, 4, row);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		if (sqlite3_changes(store_db(s)) != 1) {
			store_rollback(s);
			return fail_upload(req, resp, 409, &c, kind, row,
			    "要替换的文件已不存在，请刷新页面后重试。");
		}
	}
	st = store_stmt(s, "INSERT INTO material(case_id, kind, row, filename, "
	    "mime, size, sha256, uploaded_by, uploaded_at, replaces) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (st == NULL)
		goto fail;
	store_bind_int(st, 1, c.id);
	store_bind_text(st, 2, kind);
	store_bind_int(st, 3, row);
	store_bind_text(st, 4, files_clean_name(req->arena, up->filename));
	store_bind_text(st, 5, files_mime(fk));
	store_bind_int(st, 6, (long long)up->size);
	store_bind_text(st, 7, hex);
	store_bind_int(st, 8, req->user->id);
	store_bind_text(st, 9, stamp);
	if (replace != 0)
		store_bind_int(st, 10, replace);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (store_commit(s) != 0)
		return 500;
done:
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/materials?uploaded=1#m-%s-%d", c.id, kind, row));
	return 0;
fail:
	fprintf(stderr, "zizhi: upload: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

/* A material of the case (any state), for download and removal. */
static int
material_of(struct request *req, const struct case_info *c, long long mid,
    const char **name, const char **mime, const char **hex, int *current)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT filename, mime, "
	    "sha256, state = 'current' FROM material WHERE id = ?1 AND "
	    "case_id = ?2");

	if (st == NULL)
		return 500;
	store_bind_int(st, 1, mid);
	store_bind_int(st, 2, c->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	*name = arena_strdup(req->arena, store_col_text(st, 0));
	*mime = arena_strdup(req->arena, store_col_text(st, 1));
	*hex = arena_strdup(req->arena, store_col_text(st, 2));
	*current = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	return 0;
}

int
page_material_download(struct request *req, struct response *resp)
{
	struct case_info c;
	const char *name, *mime, *hex;
	int rc, current;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((rc = material_of(req, &c, strtoll(req->args[1], NULL, 10), &name,
	    &mime, &hex, &current)) != 0)
		return rc;
	if (files_read(req->app->files_dir, hex, &resp->body) != 0) {
		perror("zizhi: files_read");
		return 500;
	}
	resp->status = 200;
	resp->content_type = mime;
	response_header(resp, "Content-Disposition",
	    files_content_disposition(req->arena, name));
	return 0;
}

int
page_material_remove(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	const char *name, *mime, *hex;
	sqlite3_stmt *st;
	long long mid;
	int rc, current;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	mid = strtoll(req->args[1], NULL, 10);
	if ((rc = material_of(req, &c, mid, &name, &mime, &hex,
	    &current)) != 0)
		return rc;
	if (!editable(&c) || !current) {
		resp->error_message = "此文件当前不能删除。";
		return 409;
	}
	st = store_stmt(s, "UPDATE material SET state = 'removed' WHERE id = "
	    "?1 AND case_id = ?2 AND state = 'current'");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, mid);
	store_bind_int(st, 2, c.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/materials?removed=1", c.id));
	return 0;
}
