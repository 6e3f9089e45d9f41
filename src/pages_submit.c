/*
 * pages_submit.c: "check your answers" (§4 逐项检查), the formal
 * submission (and a supplement's answer: a new round), and the notices.
 *
 * Submitting freezes a round: the form values and the SHA-256 of every
 * current file, a case number at the first round, a 收件凭证, and the
 * status change, all in one durable transaction.
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
#include "pdf.h"
#include "files.h"
#include "pages.h"
#include "rules.h"
#include "workflow.h"

static const char *
target_status(const struct case_info *c)
{
	if (strcmp(c->status, "draft") == 0)
		return "submitted";
	if (strcmp(c->status, "supplement_requested") == 0)
		return "intake_review";
	return NULL;
}

/* A link to where a problem is fixed. */
static const char *
fix_link(struct arena *a, long long id, const struct fdef_problem *p)
{
	if (p->material != NULL)
		return arena_printf(a, "/cases/%lld/materials#m-%s-%d", id,
		    p->material, p->row);
	if (p->field != NULL)
		return arena_printf(a, "/cases/%lld/form/%s#%s%s", id,
		    p->section, p->field, p->row == FDEF_NOROW ? "" :
		    arena_printf(a, "-%d", p->row));
	return arena_printf(a, "/cases/%lld/form/%s#%s", id, p->section,
	    p->group ? p->group : "");
}

static int
render_check(struct request *req, struct response *resp, int status,
    const struct case_info *c)
{
	const struct rules *r = rules_default();
	struct tv *v = page_view(req, "逐项检查"), *secs, *sv, *probs, *pv;
	struct tv *checks, *cv, *fee;
	struct rules_check out[RULES_NCHECKS];
	struct rules_applicant ap;
	struct fdef_apptype at;
	struct fdef_report rep;
	struct rules_fee f;
	struct formdata fd;
	const struct fdef_section *sec;
	zdate today;
	size_t i, k, n;

	formdata_init(&fd, req->arena);
	if (formdata_load(&fd, req->app->store, c->id) != 0)
		return 500;
	date_parse(page_today(req), &today);
	fdef_report_init(&rep);
	fdef_check_all(req->arena, r, &fd.src, today, &rep);
	tv_put_int(v, "case_id", c->id);
	tv_put_str(v, "case_no", c->case_no);
	tv_put_bool(v, "complete", rep.n == 0);
	tv_put_int(v, "nproblems", (long long)rep.n);
	tv_put_bool(v, "supplement", strcmp(c->status,
	    "supplement_requested") == 0);
	tv_put_bool(v, "can_submit", target_status(c) != NULL);
	secs = tv_put_list(v, "sections");
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		sv = tv_push_map(secs);
		tv_put_str(sv, "sid", sec->id);
		tv_put_str(sv, "num", sec->num);
		tv_put_str(sv, "stitle", sec->title);
		tv_put_str(sv, "state", fdef_state_code(rep.state[i]));
		tv_put_str(sv, "state_zh", fdef_state_zh(rep.state[i]));
		probs = tv_put_list(sv, "problems");
		for (k = 0; k < rep.n; k++) {
			if (strcmp(rep.v[k].section, sec->id) != 0)
				continue;
			pv = tv_push_map(probs);
			tv_put_str(pv, "text", rep.v[k].summary);
			tv_put_str(pv, "state", fdef_state_code(
			    rep.v[k].state));
			tv_put_str(pv, "href", fix_link(req->arena, c->id,
			    &rep.v[k]));
		}
	}

	/* The eligibility checks, with the applicant's figures. */
	rules_applicant_init(&ap);
	fdef_applicant(req->arena, r, &fd.src, today, &ap);
	n = rules_eligibility(r, &ap, out);
	checks = tv_put_list(v, "checks");
	for (i = 0; i < n; i++) {
		cv = tv_push_map(checks);
		tv_put_str(cv, "label", out[i].label_zh);
		tv_put_str(cv, "section", out[i].section);
		tv_put_str(cv, "threshold", out[i].threshold_zh);
		tv_put_str(cv, "figure", out[i].figure_zh);
		tv_put_str(cv, "verdict", rules_verdict_code(out[i].verdict));
		tv_put_str(cv, "verdict_zh", rules_verdict_zh(out[i].verdict));
	}

	/* The fee that will apply. */
	fdef_apptype(req->arena, r, &fd.src, today, &at);
	if (at.known) {
		if (at.declared == RULES_APP_MAINTENANCE && at.has_window) {
			rules_fee_maintenance(r, 0, 0, &f);
			if (at.effective == RULES_APP_INITIAL)
				rules_fee_initial(r, &f);
			tv_put_str(v, "window_zh",
			    rules_maint_class_zh(at.window.class));
		} else
			rules_fee_initial(r, &f);
		fee = tv_put_map(v, "fee");
		tv_put_str(fee, "audit", page_money(req->arena, f.audit));
		tv_put_str(fee, "annual", page_money(req->arena, f.annual));
		tv_put_str(fee, "total", page_money(req->arena, f.total));
		tv_put_str(fee, "basis", rules_apptype_zh(at.effective));
	}
	return page_render(req, resp, status, "check", v);
}

int
page_check(struct request *req, struct response *resp)
{
	struct case_info c;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	return render_check(req, resp, 200, &c);
}

/* The receipt's list: each current file with its hash. */
static int
receipt_view(struct request *req, struct tv *v, long long round_id)
{
	sqlite3_stmt *st = store_stmt(req->app->store, "SELECT m.kind, m.row, "
	    "m.filename, m.size, m.sha256 FROM round_file rf JOIN material m "
	    "ON m.id = rf.material_id WHERE rf.round_id = ?1 ORDER BY m.id");
	const struct fdef_material *m;
	struct tv *list = tv_put_list(v, "files"), *f;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, round_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		m = fdef_material_find(store_col_text(st, 0), NULL);
		tv_put_str(f, "label", m ? m->label : store_col_text(st, 0));
		if (sqlite3_column_int(st, 1) >= 0)
			tv_put_str(f, "row_name", arena_printf(req->arena,
			    "第 %d 行", sqlite3_column_int(st, 1) + 1));
		tv_put_str(f, "filename", store_col_text(st, 2));
		tv_put_int(f, "size", sqlite3_column_int64(st, 3));
		tv_put_str(f, "sha256", store_col_text(st, 4));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
freeze_round(struct store *s, long long case_id, int n, long long actor,
    const char *stamp, long long *round_id)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "INSERT INTO round(case_id, n, submitted_at, "
	    "submitted_by) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	store_bind_text(st, 3, stamp);
	store_bind_int(st, 4, actor);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	*round_id = sqlite3_last_insert_rowid(store_db(s));
	st = store_stmt(s, "INSERT INTO round_value(round_id, field, row, "
	    "value) SELECT ?1, field, row, value FROM form_value WHERE "
	    "case_id = ?2");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, *round_id);
	store_bind_int(st, 2, case_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	st = store_stmt(s, "INSERT INTO round_file(round_id, material_id) "
	    "SELECT ?1, id FROM material WHERE case_id = ?2 AND state = "
	    "'current'");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, *round_id);
	store_bind_int(st, 2, case_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	st = store_stmt(s, "UPDATE cases SET rounds = ?2 WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int
page_submit(struct request *req, struct response *resp)
{
	struct store *s = req->app->store;
	struct formdata fd;
	struct fdef_report rep;
	struct fdef_apptype at;
	struct case_info c;
	struct tv *nv;
	const char *to;
	char stamp[24], day[24], no[32], err[256];
	long long round_id;
	zdate today;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	if ((to = target_status(&c)) == NULL) {
		resp->error_message = "此申请当前不能提交：它已经提交过了。"
		    "请在案件页面查看进度。";
		return 409;
	}
	if (params_get(&req->form, "confirm") == NULL) {
		resp->error_message = "请勾选“以上内容真实、准确、完整”后再提交。";
		return 400;
	}
	formdata_init(&fd, req->arena);
	if (formdata_load(&fd, s, c.id) != 0)
		return 500;
	date_day(req->now, day);
	date_stamp(req->now, stamp);
	date_parse(day, &today);
	fdef_report_init(&rep);
	fdef_check_all(req->arena, rules_default(), &fd.src, today, &rep);
	if (rep.n > 0)
		return render_check(req, resp, 409, &c);
	fdef_apptype(req->arena, rules_default(), &fd.src, today, &at);

	if (store_begin(s) != 0)
		return 500;
	if (*c.case_no == '\0') {
		if (case_assign_number(s, c.id, day, no, sizeof(no)) != 0)
			goto fail;
		c.case_no = arena_strdup(req->arena, no);
	}
	if (freeze_round(s, c.id, c.rounds + 1, req->user->id, stamp,
	    &round_id) != 0)
		goto fail;
	switch (workflow_move(s, c.id, to, req->user, c.rounds == 0 ?
	    "正式提交申请" : arena_printf(req->arena, "提交补正材料（第 %d 轮）",
	    c.rounds + 1), req->now, err, sizeof(err))) {
	case WF_OK:
		break;
	case WF_FAILED:
		goto fail;
	default:
		store_rollback(s);
		resp->error_message = arena_strdup(req->arena, err);
		return 409;
	}
	nv = tv_map(req->arena);
	tv_put_str(nv, "org_name", c.org_name);
	tv_put_int(nv, "round", c.rounds + 1);
	tv_put_bool(nv, "supplement", c.rounds > 0);
	tv_put_str(nv, "app_type_zh", at.known ?
	    rules_apptype_zh(at.declared) : "");
	if (receipt_view(req, nv, round_id) != 0 ||
	    notice_create(page_ctx(req), c.id, c.case_no, "receipt", "收件凭证", nv, NULL,
	    round_id) < 0)
		goto fail;
	if (store_commit(s) != 0)
		return 500;
	response_redirect(resp, arena_printf(req->arena,
	    "/cases/%lld?submitted=1", c.id));
	return 0;
fail:
	fprintf(stderr, "zizhi: submit: %s\n", sqlite3_errmsg(store_db(s)));
	store_rollback(s);
	return 500;
}

int
page_notice(struct request *req, struct response *resp)
{
	sqlite3_stmt *st;
	struct case_info c;
	struct tv *v;
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	st = store_stmt(req->app->store, "SELECT no, title, day, body, "
	    "coalesce(due, ''), at FROM notice WHERE id = ?1 AND case_id = ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, strtoll(req->args[1], NULL, 10));
	store_bind_int(st, 2, c.id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	v = page_view(req, store_col_text(st, 1));
	tv_put_int(v, "case_id", c.id);
	tv_put_str(v, "case_no", c.case_no);
	tv_put_str(v, "no", store_col_text(st, 0));
	tv_put_str(v, "ntitle", store_col_text(st, 1));
	tv_put_str(v, "day", store_col_text(st, 2));
	tv_put_str(v, "body", store_col_text(st, 3));
	tv_put_str(v, "due", store_col_text(st, 4));
	tv_put_str(v, "at", page_time(req->arena, store_col_text(st, 5)));
	tv_put_str(v, "nid", req->args[1]);
	sqlite3_reset(st);
	return page_render(req, resp, 200, "notice", v);
}

/*
 * The body of a notice for its PDF: the stored text is the whole letter
 * as e-mailed (title, number, date, addressee, text, issuer); the PDF
 * sets the title, number, date, addressee and issuer itself, so only the
 * text between the addressee line and the issuer line is kept.
 */
static const char *
notice_pdf_body(struct arena *a, const char *body, const char *org)
{
	const char *start = body, *p, *end;
	size_t olen = strlen(org);

	for (p = body; (p = strstr(p, org)) != NULL; p++)
		if ((p == body || p[-1] == '\n') &&
		    strncmp(p + olen, "：\n", strlen("：\n")) == 0) {
			start = p + olen + strlen("：\n");
			break;
		}
	while (*start == '\n')
		start++;
	end = start + strlen(start);
	while (end > start && end[-1] == '\n')
		end--;
	p = end;
	while (p > start && p[-1] != '\n')
		p--;
	if ((size_t)(end - p) == strlen(PDF_ISSUER_DEFAULT) &&
	    strncmp(p, PDF_ISSUER_DEFAULT, (size_t)(end - p)) == 0)
		end = p;
	while (end > start && end[-1] == '\n')
		end--;
	return arena_strndup(a, start, (size_t)(end - start));
}

int
page_notice_pdf(struct request *req, struct response *resp)
{
	struct pdf_notice n;
	sqlite3_stmt *st;
	struct case_info c;
	char err[256];
	int rc;

	if ((rc = case_get_arg(req, 0, &c)) != 0)
		return rc;
	st = store_stmt(req->app->store, "SELECT no, title, day, body FROM "
	    "notice WHERE id = ?1 AND case_id = ?2");
	if (st == NULL)
		return 500;
	store_bind_int(st, 1, strtoll(req->args[1], NULL, 10));
	store_bind_int(st, 2, c.id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 404;
	}
	memset(&n, 0, sizeof(n));
	n.number = arena_strdup(req->arena, store_col_text(st, 0));
	n.title = arena_strdup(req->arena, store_col_text(st, 1));
	n.date = arena_strdup(req->arena, store_col_text(st, 2));
	n.body = notice_pdf_body(req->arena, store_col_text(st, 3),
	    c.org_name);
	sqlite3_reset(st);
	n.addressee = c.org_name;
	n.case_no = c.case_no;
	if (pdf_notice(&n, NULL, &resp->body, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: notice pdf: %s\n", err);
		resp->error_message = arena_printf(req->arena,
		    "无法生成 PDF：%s。通知内容仍可在网页上查看。", err);
		return 500;
	}
	resp->status = 200;
	resp->content_type = "application/pdf";
	response_header(resp, "Content-Disposition", files_content_disposition(
	    req->arena, arena_printf(req->arena, "%s-%s.pdf", n.title,
	    n.number)));
	return 0;
}
