/*
 * pages_review.c: 受理审查 (§5.2). The project lead takes a submitted
 * case, reads the frozen submission of its latest round (form values,
 * files with their SHA-256, what changed since the previous round, the
 * eligibility checks with the applicant's figures), records a finding
 * per area, and then requests a supplement (a 补正告知书 listing every
 * item at once, with its due date), accepts (受理通知书) or refuses
 * (不予受理通知书 with the reasons and how to appeal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "app.h"
#include "auth.h"
#include "case.h"
#include "form_def.h"
#include "formdata.h"
#include "notice.h"
#include "page.h"
#include "review.h"
#include "router.h"
#include "rules.h"
#include "workflow.h"
#include "status.h"

extern const struct route routes_review[];

#define SUPPLEMENT_MAX_ITEMS	100

/* The round's id, or 0. */
static long long
round_id(struct request *req, long long case_id, int n)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT id FROM round "
	    "WHERE case_id = ?1 AND n = ?2");
	long long id = 0;

	if (st == NULL)
		return 0;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* The frozen form, section by section, as label: value lines. */
static void
put_form(struct request *req, struct tv *v, const struct formdata *fd)
{
	struct tv *secs = tv_put_list(v, "form"), *sv, *lines, *l;
	const struct fdef_section *sec;
	const struct fdef_field *f;
	const char *val, *shown, *opt;
	struct buf row;
	size_t i, k;
	int r, rows, n;

	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		sv = tv_push_map(secs);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		lines = tv_put_list(sv, "lines");
		n = 0;
		for (k = 0; k < sec->nfields; k++) {
			f = &sec->fields[k];
			if (f->group != NULL) {
				if (k > 0 && sec->fields[k - 1].group ==
				    f->group)
					continue;
				rows = formdata_rows(fd, f->group->name);
				for (r = 0; r < rows; r++) {
					size_t j;

					buf_init(&row);
					for (j = k; j < sec->nfields &&
					    sec->fields[j].group == f->group; j++) {
						val = formdata_get(fd,
						    sec->fields[j].name, r);
						if (val == NULL || *val == '\0')
							continue;
						opt = fdef_option_label(
						    &sec->fields[j], val);
						buf_printf(&row, "%s%s：%s", row.n ?
						    "；" : "", sec->fields[j].label,
						    opt ? opt : fdef_format(
						    req->arena, &sec->fields[j],
						    val));
					}
					if (row.n > 0) {
						l = tv_push_map(lines);
						tv_put_str(l, "label", arena_printf(
						    req->arena, "%s %d",
						    f->group->row_label, r + 1));
						tv_put_str(l, "value", row.p);
						n++;
					}
					buf_free(&row);
				}
				continue;
			}
			val = formdata_get(fd, f->name, FDEF_NOROW);
			if (val == NULL || *val == '\0')
				continue;
			opt = fdef_option_label(f, val);
			shown = opt ? opt : fdef_format(req->arena, f, val);
			l = tv_push_map(lines);
			tv_put_str(l, "label", f->label);
			tv_put_str(l, "value", shown);
			n++;
		}
		tv_put_bool(sv, "empty", n == 0);
	}
}

static int
put_files(struct request *req, struct tv *v, long long case_id,
    long long rid)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT m.id, m.kind, "
	    "m.row, m.filename, m.size, m.sha256 FROM round_file rf JOIN "
	    "material m ON m.id = rf.material_id WHERE rf.round_id = ?1 "
	    "ORDER BY m.kind, m.row, m.id");
	const struct fdef_material *m;
	struct tv *list = tv_put_list(v, "files"), *f;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		tv_put_int(f, "mid", sqlite3_column_int64(st, 0));
		m = fdef_material_find(store_col_text(st, 1), NULL);
		tv_put_str(f, "kind", m ? m->label : store_col_text(st, 1));
		if (sqlite3_column_int(st, 2) >= 0)
			tv_put_int(f, "row", sqlite3_column_int(st, 2) + 1);
		tv_put_str(f, "filename", store_col_text(st, 3));
		tv_put_int(f, "size", sqlite3_column_int64(st, 4));
		tv_put_str(f, "sha256", store_col_text(st, 5));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* What changed from round prev to round cur: values and files. */
static int
put_diff(struct request *req, struct tv *v, long long prev, long long cur)
{
	sqlite3_stmt *st;
	const struct fdef_field *f;
	const struct fdef_material *m;
	struct tv *list = tv_put_list(v, "changes"), *c;
	int rc, n = 0;

	st = store_stmt(req->app->store, "SELECT a.field, a.row, a.value, "
	    "b.value FROM round_value a LEFT JOIN round_value b ON b.round_id "
	    "= ?2 AND b.field = a.field AND b.row = a.row WHERE a.round_id = "
	    "?1 AND (b.value IS NULL OR b.value <> a.value) UNION ALL SELECT "
	    "b.field, b.row, NULL, b.value FROM round_value b WHERE "
	    "b.round_id = ?2 AND NOT EXISTS (SELECT 1 FROM round_value a "
	    "WHERE a.round_id = ?1 AND a.field = b.field AND a.row = b.row) "
	    "ORDER BY 1, 2");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, prev);
	store_bind_int(st, 2, cur);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = tv_push_map(list);
		f = fdef_field_find(store_col_text(st, 0), NULL);
		tv_put_str(c, "what", f ? (sqlite3_column_int(st, 1) >= 0 ?
		    arena_printf(req->arena, "%s（第 %d 行）", f->label,
		    sqlite3_column_int(st, 1) + 1) : f->label) :
		    store_col_text(st, 0));
		tv_put_str(c, "old", f && sqlite3_column_type(st, 2) !=
		    SQLITE_NULL ? fdef_format(req->arena, f,
		    store_col_text(st, 2)) : "（无）");
		tv_put_str(c, "new", f && sqlite3_column_type(st, 3) !=
		    SQLITE_NULL ? fdef_format(req->arena, f,
		    store_col_text(st, 3)) : "（无）");
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = store_stmt(req->app->store, "SELECT m.kind, m.filename, 'added' "
	    "FROM round_file rf JOIN material m ON m.id = rf.material_id "
	    "WHERE rf.round_id = ?2 AND rf.material_id NOT IN (SELECT "
	    "material_id FROM round_file WHERE round_id = ?1) UNION ALL "
	    "SELECT m.kind, m.filename, 'gone' FROM round_file rf JOIN "
	    "material m ON m.id = rf.material_id WHERE rf.round_id = ?1 AND "
	    "rf.material_id NOT IN (SELECT material_id FROM round_file WHERE "
	    "round_id = ?2)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, prev);
	store_bind_int(st, 2, cur);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = tv_push_map(list);
		m = fdef_material_find(store_col_text(st, 0), NULL);
		tv_put_str(c, "what", m ? m->label : store_col_text(st, 0));
		if (strcmp(store_col_text(st, 2), "added") == 0) {
			tv_put_str(c, "old", "（无）");
			tv_put_str(c, "new", arena_printf(req->arena, "新文件 %s",
			    store_col_text(st, 1)));
		} else {
			tv_put_str(c, "old", store_col_text(st, 1));
			tv_put_str(c, "new", "（不再提交）");
		}
		n++;
	}
	sqlite3_reset(st);
	tv_put_bool(v, "has_changes", n > 0);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
put_eligibility(struct request *req, struct tv *v, const struct formdata *fd)
{
	const struct rules *r = rules_default();
	struct rules_check out[RULES_NCHECKS];
	struct rules_applicant ap;
	struct tv *list = tv_put_list(v, "checks"), *c;
	zdate today;
	size_t i, n;

	date_parse(page_today(req), &today);
	rules_applicant_init(&ap);
	fdef_applicant(req->arena, r, &fd->src, today, &ap);
	n = rules_eligibility(r, &ap, out);
	for (i = 0; i < n; i++) {
		c = tv_push_map(list);
		tv_put_str(c, "label", out[i].label_zh);
		tv_put_str(c, "section", out[i].section);
		tv_put_str(c, "threshold", out[i].threshold_zh);
		tv_put_str(c, "figure", out[i].figure_zh);
		tv_put_str(c, "verdict", rules_verdict_code(out[i].verdict));
		tv_put_str(c, "verdict_zh", rules_verdict_zh(out[i].verdict));
	}
}

static int
put_findings(struct request *req, struct tv *v, long long case_id, int n)
{
	const struct review_area *a;
	struct tv *list = tv_put_list(v, "areas"), *row;
	sqlite3_stmt *st;
	const char *verdict;

	for (a = review_areas; a->code != NULL; a++) {
		row = tv_push_map(list);
		tv_put_str(row, "code", a->code);
		tv_put_str(row, "label", a->label);
		st = store_stmt(req->app->store, "SELECT verdict, comment FROM "
		    "finding WHERE case_id = ?1 AND round_n = ?2 AND area = ?3");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, case_id);
		store_bind_int(st, 2, n);
		store_bind_text(st, 3, a->code);
		verdict = "";
		if (sqlite3_step(st) == SQLITE_ROW) {
			verdict = arena_strdup(req->arena,
			    store_col_text(st, 0));
			tv_put_str(row, "comment", store_col_text(st, 1));
		}
		sqlite3_reset(st);
		tv_put_bool(row, "v_ok", strcmp(verdict, "ok") == 0);
		tv_put_bool(row, "v_supplement", strcmp(verdict,
		    "supplement") == 0);
		tv_put_bool(row, "v_fail", strcmp(verdict, "fail") == 0);
		tv_put_bool(row, "v_none", *verdict == '\0');
		tv_put_str(row, "verdict_zh", review_verdict_zh(verdict));
	}
	return 0;
}

#define SUPPLEMENT_ROWS	6	/* rows on the form; more after an error */

static void
put_item_row(struct request *req, struct tv *list, int i, const char *target,
    const char *what, const char *error)
{
	struct tv *row = tv_push_map(list), *opts, *o;
	const struct fdef_section *sec;
	size_t k, m;

	tv_put_int(row, "i", i);
	tv_put_int(row, "n", i + 1);
	tv_put_str(row, "what", what ? what : "");
	if (error != NULL)
		tv_put_str(row, "error", error);
	opts = tv_put_list(row, "targets");
	for (k = 0; k < fdef_nsections(); k++) {
		sec = fdef_section_at(k);
		o = tv_push_map(opts);
		tv_put_str(o, "code", sec->id);
		tv_put_str(o, "label", arena_printf(req->arena, "%s%s%s",
		    sec->num, *sec->num ? "、" : "", sec->title));
		tv_put_bool(o, "selected", target && strcmp(target,
		    sec->id) == 0);
		for (m = 0; m < sec->nmaterials; m++) {
			o = tv_push_map(opts);
			tv_put_str(o, "code", sec->materials[m].code);
			tv_put_str(o, "label", arena_printf(req->arena,
			    "　材料：%s", sec->materials[m].label));
			tv_put_bool(o, "selected", target && strcmp(target,
			    sec->materials[m].code) == 0);
		}
	}
}

/* The supplement form's rows: as posted (after an error), or one per
 * finding marked 需补正, then empty rows. */
static int
put_items(struct request *req, struct tv *v, long long case_id, int round,
    const struct form *f)
{
	struct tv *list = tv_put_list(v, "sitems");
	const struct review_area *a;
	sqlite3_stmt *st;
	const char *rows, *t, *w, *e;
	int i = 0, n, rc;

	if (f != NULL && (rows = params_get(&req->form, "items._rows")) !=
	    NULL) {
		n = atoi(rows);
		for (i = 0; i < n && i < SUPPLEMENT_MAX_ITEMS; i++) {
			t = params_get(&req->form, arena_printf(req->arena,
			    "item_target.%d", i));
			w = params_get(&req->form, arena_printf(req->arena,
			    "item_what.%d", i));
			e = tv_string(tv_get(tv_get(f->fields,
			    arena_printf(req->arena, "item-%d", i)), "error"));
			put_item_row(req, list, i, t, w, e);
		}
	} else {
		st = store_stmt(req->app->store, "SELECT area, comment FROM "
		    "finding WHERE case_id = ?1 AND round_n = ?2 AND verdict = "
		    "'supplement' ORDER BY id");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, case_id);
		store_bind_int(st, 2, round);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
		    i < SUPPLEMENT_MAX_ITEMS - SUPPLEMENT_ROWS) {
			a = review_area(store_col_text(st, 0));
			put_item_row(req, list, i++, NULL, arena_printf(
			    req->arena, "【%s】%s", a ? a->label : "",
			    store_col_text(st, 1)), NULL);
		}
		sqlite3_reset(st);
	}
	for (n = i + SUPPLEMENT_ROWS; i < n; i++)
		put_item_row(req, list, i, NULL, NULL, NULL);
	tv_put_int(v, "nitems", i);
	return 0;
}

/* The label of a supplement target. */
static const char *
target_label(struct arena *a, const char *code)
{
	const struct fdef_section *sec = fdef_section_find(code);
	const struct fdef_material *m;

	if (sec != NULL)
		return arena_printf(a, "申请书%s%s%s", sec->num, *sec->num ?
		    "、" : "", sec->title);
	if ((m = fdef_material_find(code, NULL)) != NULL)
		return arena_printf(a, "材料：%s", m->label);
	return NULL;
}

/* Only the case's own lead reviews it (anyone may take an unassigned
 * submitted case). */
static int
check_lead(struct request *req, struct response *resp,
    const struct case_info *c)
{
	if (c->lead_id == req->user->id)
		return 0;
	resp->error_message = c->lead_id ? arena_printf(req->arena,
	    "此案件的项目负责人是%s，只有项目负责人可以审查。", c->lead_name) :
	    "此案件尚未开始受理审查。";
	return 403;
}

static int
render(struct request *req, struct response *resp, int status,
    const struct case_info *c, struct form *sup)
{
	struct tv *v = sup ? sup->view : page_view(req, "受理审查");
	struct formdata fd;
	long long rid, prev;
	const struct status_info *ws = status_find(c->status);
	char due[DATE_BUFSZ];
	zdate today;

	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_str(v, "org_name", c->org_name);
	tv_put_str(v, "status_zh", ws ? ws->zh : c->status);
	tv_put_str(v, "lead_name", c->lead_name);
	tv_put_int(v, "round", c->rounds);
	tv_put_bool(v, "can_start", strcmp(c->status, "submitted") == 0 &&
	    (c->lead_id == 0 || c->lead_id == req->user->id));
	tv_put_bool(v, "reviewing", strcmp(c->status, "intake_review") == 0 &&
	    c->lead_id == req->user->id);
	tv_put_bool(v, "waiting_supplement", strcmp(c->status,
	    "supplement_requested") == 0 && c->lead_id == req->user->id);
	date_parse(page_today(req), &today);
	tv_put_str(v, "supplement_due", arena_strdup(req->arena, date_format(
	    rules_supplement_due(rules_default(), today), due)));
	if ((rid = round_id(req, c->id, c->rounds)) == 0)
		return 404;
	formdata_init(&fd, req->arena);
	if (formdata_load_round(&fd, req->app->store, rid) != 0)
		return 500;
	put_form(req, v, &fd);
	if (put_files(req, v, c->id, rid) != 0)
		return 500;
	if (c->rounds > 1) {
		prev = round_id(req, c->id, c->rounds - 1);
		tv_put_int(v, "prev_round", c->rounds - 1);
		if (put_diff(req, v, prev, rid) != 0)
			return 500;
	}
	put_eligibility(req, v, &fd);
	if (put_findings(req, v, c->id, c->rounds) != 0)
		return 500;
	if (put_items(req, v, c->id, c->rounds, sup) != 0)
		return 500;
	return page_render(req, resp, status, "review", v);
}

static int
page_review(struct request *req, struct response *resp)
{
	struct case_info c;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (c.rounds == 0)
		return 404;
	return render(req, resp, 200, &c, NULL);
}

static int
done(struct request *req, struct response *resp, long long id, int rc)
{
	struct store *s = req->app->store;

	if (rc != 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena, "/cases/%lld", id));
	return 0;
}

static int
page_review_start(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	sqlite3_stmt *st;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if (c.lead_id != 0 && c.lead_id != req->user->id) {
		resp->error_message = arena_printf(req->arena,
		    "此案件已由%s负责。", c.lead_name);
		return 403;
	}
	if (store_begin(s) != 0)
		return 500;
	st = store_stmt(s, "UPDATE cases SET lead_id = ?2 WHERE id = ?1");
	if (st == NULL)
		return done(req, resp, c.id, 500);
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, req->user->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return done(req, resp, c.id, 500);
	rc = page_move(req, resp, c.id, "intake_review", "项目负责人开始受理审查");
	if (rc == 0) {
		store_commit(s);
		response_redirect(resp, arena_printf(req->arena,
		    "/cases/%lld/review", c.id));
		return 0;
	}
	store_rollback(s);
	return rc;
}

static int
page_review_findings(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	const struct review_area *a;
	struct case_info c;
	sqlite3_stmt *st;
	const char *verdict, *comment;
	char stamp[24];
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((rc = check_lead(req, resp, &c)) != 0)
		return rc;
	if (strcmp(c.status, "intake_review") != 0) {
		resp->error_message = "只有在受理审查中才能记录审查意见。";
		return 409;
	}
	date_stamp(req->now, stamp);
	if (store_begin(s) != 0)
		return 500;
	for (a = review_areas; a->code != NULL; a++) {
		verdict = params_get(&req->form, arena_printf(req->arena,
		    "verdict_%s", a->code));
		comment = params_get(&req->form, arena_printf(req->arena,
		    "comment_%s", a->code));
		if (verdict == NULL || *verdict == '\0')
			continue;
		if (strcmp(verdict, "ok") != 0 && strcmp(verdict,
		    "supplement") != 0 && strcmp(verdict, "fail") != 0)
			return done(req, resp, c.id, 400);
		if (comment != NULL && strlen(comment) > 4000) {
			resp->error_message = "每条意见请控制在 4000 字节以内。";
			return done(req, resp, c.id, 400);
		}
		st = store_stmt(s, "INSERT INTO finding(case_id, round_n, area, "
		    "verdict, comment, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5, "
		    "?6, ?7) ON CONFLICT(case_id, round_n, area) DO UPDATE SET "
		    "verdict = excluded.verdict, comment = excluded.comment, "
		    "by_id = excluded.by_id, at = excluded.at");
		if (st == NULL)
			return done(req, resp, c.id, 500);
		store_bind_int(st, 1, c.id);
		store_bind_int(st, 2, c.rounds);
		store_bind_text(st, 3, a->code);
		store_bind_text(st, 4, verdict);
		store_bind_text(st, 5, comment ? comment : "");
		store_bind_int(st, 6, req->user->id);
		store_bind_text(st, 7, stamp);
		if (sqlite3_step(st) != SQLITE_DONE)
			return done(req, resp, c.id, 500);
	}
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld/review?saved=1#findings", c.id));
	return 0;
}

static int
page_review_supplement(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct case_info c;
	struct tv *v, *nv, *items, *it;
	struct form f;
	sqlite3_stmt *st;
	const char *rows, *target, *what, *label;
	char due[DATE_BUFSZ];
	long long nid;
	zdate today;
	int rc, i, n, count = 0;
	struct {
		const char *target, *label, *what;
	} item[SUPPLEMENT_MAX_ITEMS];

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((rc = check_lead(req, resp, &c)) != 0)
		return rc;
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	rows = params_get(&req->form, "items._rows");
	n = rows ? atoi(rows) : 0;
	if (n < 0 || n > SUPPLEMENT_MAX_ITEMS)
		return 400;
	for (i = 0; i < n; i++) {
		target = params_get(&req->form, arena_printf(req->arena,
		    "item_target.%d", i));
		what = params_get(&req->form, arena_printf(req->arena,
		    "item_what.%d", i));
		target = target ? target : "";
		what = what ? what : "";
		if (*target == '\0' && *what == '\0')
			continue;
		if ((label = target_label(req->arena, target)) == NULL)
			form_error(&f, arena_printf(req->arena, "item-%d", i),
			    arena_printf(req->arena, "第 %d 项：请选择需要补正的"
			    "章节或材料。", i + 1));
		else if (*what == '\0' || strlen(what) > 2000)
			form_error(&f, arena_printf(req->arena, "item-%d", i),
			    arena_printf(req->arena, "第 %d 项：请写明需要补正的"
			    "内容（不超过 2000 字节）。", i + 1));
		else {
			item[count].target = target;
			item[count].label = label;
			item[count].what = what;
			count++;
		}
	}
	if (f.nerrors == 0 && count == 0)
		form_error(&f, "item-0", "请至少列出一项需要补正的内容；"
		    "补正告知书须一次性列出全部需补正的内容。");
	if (f.nerrors > 0) {
		tv_put_bool(v, "supplement_open", 1);
		return render(req, resp, 400, &c, &f);
	}

	date_parse(page_today(req), &today);
	date_format(rules_supplement_due(rules_default(), today), due);
	if (store_begin(s) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "supplement_requested", arena_printf(
	    req->arena, "要求补正 %d 项，期限 %s", count, due))) != 0)
		return done(req, resp, c.id, rc);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "due", due);
	tv_put_str(nv, "lead_name", req->user->name);
	tv_put_int(nv, "round", c.rounds);
	items = tv_put_list(nv, "items");
	for (i = 0; i < count; i++) {
		it = tv_push_map(items);
		tv_put_int(it, "n", i + 1);
		tv_put_str(it, "label", item[i].label);
		tv_put_str(it, "what", item[i].what);
	}
	if ((nid = notice_create(page_ctx(req), c.id, c.case_no, "supplement",
	    "补正告知书", nv, due, 0)) < 0)
		return done(req, resp, c.id, 500);
	for (i = 0; i < count; i++) {
		st = store_stmt(s, "INSERT INTO supplement_item(notice_id, "
		    "target, what) VALUES (?1, ?2, ?3)");
		if (st == NULL)
			return done(req, resp, c.id, 500);
		store_bind_int(st, 1, nid);
		store_bind_text(st, 2, item[i].target);
		store_bind_text(st, 3, item[i].what);
		if (sqlite3_step(st) != SQLITE_DONE)
			return done(req, resp, c.id, 500);
	}
	return done(req, resp, c.id, 0);
}

static int
page_review_accept(struct request *req, struct response *resp)
{
	struct case_info c;
	struct tv *nv;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((rc = check_lead(req, resp, &c)) != 0)
		return rc;
	if (store_begin(req->app->store) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "accepted", "受理")) != 0)
		return done(req, resp, c.id, rc);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "lead_name", req->user->name);
	if (notice_create(page_ctx(req), c.id, c.case_no, "acceptance", "受理通知书", nv,
	    NULL, 0) < 0)
		return done(req, resp, c.id, 500);
	return done(req, resp, c.id, 0);
}

static int
page_review_refuse(struct request *req, struct response *resp)
{
	struct case_info c;
	struct tv *v, *nv;
	struct form f;
	const char *reasons;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((rc = check_lead(req, resp, &c)) != 0)
		return rc;
	v = page_view(req, "受理审查");
	form_init(&f, req, v);
	reasons = form_keep(&f, "reasons");
	if (*reasons == '\0' || strlen(reasons) > 8000) {
		form_error(&f, "reasons", "请写明不予受理的理由（不超过 8000 字节），"
		    "它将写入不予受理通知书。");
		tv_put_bool(v, "refuse_open", 1);
		return render(req, resp, 400, &c, &f);
	}
	if (store_begin(req->app->store) != 0)
		return 500;
	if ((rc = page_move(req, resp, c.id, "rejected", reasons)) != 0)
		return done(req, resp, c.id, rc);
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_str(nv, "reasons", reasons);
	tv_put_str(nv, "lead_name", req->user->name);
	if (notice_create(page_ctx(req), c.id, c.case_no, "refusal", "不予受理通知书", nv,
	    NULL, 0) < 0)
		return done(req, resp, c.id, 500);
	return done(req, resp, c.id, 0);
}

const struct route routes_review[] = {
	{ METHOD_GET, "/cases/{n}/review", page_review, ROLES_STAFF, 0 },
	{ METHOD_POST, "/cases/{n}/review/start", page_review_start,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/findings", page_review_findings,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/supplement", page_review_supplement,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/accept", page_review_accept,
	    ROLE_LEAD, 1 },
	{ METHOD_POST, "/cases/{n}/review/refuse", page_review_refuse,
	    ROLE_LEAD, 1 },
	{ 0, NULL, NULL, 0, 0 }
};
