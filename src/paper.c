/*
 * paper.c: the paper original of the 申请书 (paper.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eligibility.h"
#include "files.h"
#include "form_def.h"
#include "formdata.h"
#include "paper.h"
#include "pdf.h"
#include "rows.h"
#include "store.h"
#include "submission.h"
#include "util.h"
#include "valid.h"
#include "workflow_step.h"

#define COURIER_MAX	50	/* characters */
#define WAYBILL_MAX	40
#define CHECKER_MAX	50
#define NOTES_MAX	2000

const char *
paper_mode_code(enum paper_mode m)
{
	return m == PAPER_SCAN ? "scan" : "required";
}

const char *
paper_mode_zh(enum paper_mode m)
{
	return m == PAPER_SCAN ? "本中心以上传的盖章申请书扫描件代替纸质原件" :
	    "受理前须收到加盖公章、装订成册的纸质申请书";
}

enum dom_rc
paper_mode_get(struct dom *d, enum paper_mode *out)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT value FROM "
	    "intake_option WHERE key = 'paper'");
	int rc;

	*out = PAPER_REQUIRED;
	if (st == NULL)
		return dom_fail(d, "paper mode");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    strcmp(store_col_text(st, 0), paper_mode_code(PAPER_SCAN)) == 0)
		*out = PAPER_SCAN;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DOM_OK :
	    dom_fail(d, "paper mode");
}

enum dom_rc
paper_mode_set(struct dom *d, enum paper_mode m)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "INSERT INTO intake_option(key, value, "
	    "changed_at) VALUES ('paper', ?1, ?2) ON CONFLICT(key) DO UPDATE "
	    "SET value = excluded.value, changed_at = excluded.changed_at");
	if (st == NULL)
		return dom_fail(d, "paper mode");
	store_bind_text(st, 1, paper_mode_code(m));
	store_bind_text(st, 2, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "paper mode");
	return dom_end(d, DOM_OK);
}

/* ---- Receipts -------------------------------------------------------- */

static void
problem(struct problem *p, size_t *n, const char *field, const char *msg)
{
	if (*n < PAPER_PROBLEMS && msg != NULL) {
		p[*n].field = field;
		p[*n].msg = msg;
		(*n)++;
	}
}

static int
waybill_ok(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > WAYBILL_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    s[i] == '-'))
			return 0;
	return 1;
}

size_t
paper_check(struct dom *d, const struct paper_input *in, struct problem *p)
{
	const char *m;
	size_t n = 0;
	zdate day;

	m = textcheck(d->arena, in->courier, COURIER_MAX, 0,
	    "请填写快递公司，例如 顺丰速运、EMS。", "快递公司", NULL);
	problem(p, &n, "courier", m);
	if (!waybill_ok(in->waybill))
		problem(p, &n, "waybill", "请填写快递运单号（字母、数字和“-”，"
		    "不超过 40 位）。");
	if (in->received_on == NULL || date_parse(in->received_on, &day) != 0)
		problem(p, &n, "received_on", "请填写收件日期，格式 "
		    "YYYY-MM-DD，例如 2026-03-05。");
	else if (day > d->today)
		problem(p, &n, "received_on", arena_printf(d->arena,
		    "收件日期不能晚于今天（%s）。", d->today_s));
	m = textcheck(d->arena, in->checked_by, CHECKER_MAX, 0,
	    "请填写核对人（核对纸质原件与电子版的工作人员）的姓名。", "核对人",
	    NULL);
	problem(p, &n, "checked_by", m);
	if (in->paper < 0)
		problem(p, &n, "paper", "请选择快递中是否有加盖公章、装订成册的"
		    "纸质申请书。");
	if (in->cd < 0)
		problem(p, &n, "cd", "请选择快递中是否有光盘。");
	if (in->matches < 0)
		problem(p, &n, "consistent", "请选择纸质原件与电子版是否一致。");
	if (in->notes != NULL && in->notes[0] != '\0')
		problem(p, &n, "notes", textcheck(d->arena, in->notes,
		    NOTES_MAX, VALID_MULTILINE, NULL, "备注", NULL));
	else if (in->matches == 0 || in->paper == 0)
		problem(p, &n, "notes", "纸质原件缺少或与电子版不一致时，请在备注"
		    "中写明不一致或缺少之处，以便告知申请单位。");
	return n;
}

/* Whether the latest receipt of c's latest round lets 受理 go ahead;
 * *why says why not (NULL when it does). */
static enum dom_rc
ready_for(struct dom *d, const struct case_ref *c, const char **why)
{
	enum paper_mode mode;
	sqlite3_stmt *st;
	enum dom_rc rc;
	int paper = -1, matches = -1, step;

	*why = NULL;
	if ((rc = paper_mode_get(d, &mode)) != DOM_OK)
		return rc;
	if (mode == PAPER_SCAN)
		return DOM_OK;
	st = store_stmt(d->store, "SELECT paper, matches FROM paper_receipt "
	    "WHERE case_id = ?1 AND round_n = ?2 ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return dom_fail(d, "paper ready");
	store_bind_int(st, 1, c->id);
	store_bind_int(st, 2, c->rounds);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		paper = sqlite3_column_int(st, 0);
		matches = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return dom_fail(d, "paper ready");
	if (paper < 0)
		*why = arena_printf(d->arena, "尚未登记收到第 %d 轮申请书的纸质"
		    "原件。受理前须收到加盖公章、装订成册的纸质申请书（指南 5.2）；"
		    "收到后请在本页“纸质原件”中登记签收。", c->rounds);
	else if (!paper)
		*why = arena_printf(d->arena, "最近登记的快递中没有第 %d 轮加盖"
		    "公章、装订成册的纸质申请书。请申请单位补寄，收到后再登记签收。",
		    c->rounds);
	else if (!matches)
		*why = arena_printf(d->arena, "最近登记的纸质申请书与第 %d 轮"
		    "电子版不一致。请申请单位重新寄送与电子版一致的纸质申请书，收到"
		    "后再登记签收。", c->rounds);
	return DOM_OK;
}

enum dom_rc
paper_ready(struct dom *d, const struct case_ref *c)
{
	const char *why;
	enum dom_rc rc;

	if ((rc = ready_for(d, c, &why)) != DOM_OK)
		return rc;
	if (why != NULL)
		return dom_refuse(d, DOM_CONFLICT, "receipt", "%s", why);
	return DOM_OK;
}

static enum dom_rc
load_receipts(struct dom *d, long long case_id, struct paper_state *out)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT p.id, p.round_n, "
	    "p.courier, p.waybill, p.received_on, p.checked_by, p.paper, "
	    "p.cd, p.matches, p.notes, coalesce(a.name, ''), p.recorded_at "
	    "FROM paper_receipt p LEFT JOIN account a ON a.id = "
	    "p.recorded_by WHERE p.case_id = ?1 ORDER BY p.id DESC");
	struct paper_receipt *r;
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return dom_fail(d, "paper receipts");
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->receipts = rows_grow(d->arena, out->receipts,
		    out->nreceipts, &cap, sizeof(*r));
		r = &out->receipts[out->nreceipts++];
		r->id = sqlite3_column_int64(st, 0);
		r->round = sqlite3_column_int(st, 1);
		r->courier = arena_strdup(d->arena, store_col_text(st, 2));
		r->waybill = arena_strdup(d->arena, store_col_text(st, 3));
		r->received_on = arena_strdup(d->arena, store_col_text(st, 4));
		r->checked_by = arena_strdup(d->arena, store_col_text(st, 5));
		r->paper = sqlite3_column_int(st, 6);
		r->cd = sqlite3_column_int(st, 7);
		r->matches = sqlite3_column_int(st, 8);
		r->notes = arena_strdup(d->arena, store_col_text(st, 9));
		r->recorded_by = arena_strdup(d->arena, store_col_text(st, 10));
		r->recorded_at = arena_strdup(d->arena, store_col_text(st, 11));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DOM_OK : dom_fail(d, "paper receipts");
}

enum dom_rc
paper_state(struct dom *d, const struct case_ref *c, int fingerprint,
    struct paper_state *out)
{
	enum dom_rc rc = DOM_OK;

	memset(out, 0, sizeof(*out));
	if (!(c->parts & (PART_APPLICATION | PART_FINDINGS)) || c->rounds < 1)
		return DOM_NOT_FOUND;
	out->round = c->rounds;
	if (fingerprint)
		rc = paper_fingerprint(d, c->id, c->rounds, out->fingerprint);
	if (rc != DOM_OK || (rc = paper_mode_get(d, &out->mode)) != DOM_OK ||
	    (rc = load_receipts(d, c->id, out)) != DOM_OK ||
	    (rc = ready_for(d, c, &out->why)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? dom_fail(d, "paper state") : rc;
	out->ready = out->why == NULL;
	return DOM_OK;
}

enum dom_rc
paper_record(struct dom *d, long long case_id, const struct paper_input *in)
{
	struct problem p[PAPER_PROBLEMS];
	struct case_ref c;
	sqlite3_stmt *st;
	char sday[DATE_BUFSZ];
	enum dom_rc rc;
	zdate day, sent;

	rc = step_begin(d, case_id, PART_FINDINGS, ACT_REVIEW, &c);
	if (rc != DOM_OK)
		return dom_end(d, rc);
	if (paper_check(d, in, p) > 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, p[0].field, "%s",
		    p[0].msg));
	sent = elig_round_day(d, c.id, c.rounds);
	if (sent == DATE_NONE)
		return dom_fail(d, "paper record: no round day");
	(void)date_parse(in->received_on, &day);
	if (day < sent)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "received_on",
		    "收件日期不能早于第 %d 轮的提交日（%s）：纸质申请书是按该轮"
		    "电子版打印的。", c.rounds, date_format(sent, sday)));
	st = store_stmt(d->store, "INSERT INTO paper_receipt(case_id, "
	    "round_n, courier, waybill, received_on, checked_by, paper, cd, "
	    "matches, notes, recorded_by, recorded_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (st == NULL)
		return dom_fail(d, "paper record");
	store_bind_int(st, 1, c.id);
	store_bind_int(st, 2, c.rounds);
	store_bind_text(st, 3, in->courier);
	store_bind_text(st, 4, in->waybill);
	store_bind_text(st, 5, in->received_on);
	store_bind_text(st, 6, in->checked_by);
	store_bind_int(st, 7, in->paper);
	store_bind_int(st, 8, in->cd);
	store_bind_int(st, 9, in->matches);
	store_bind_text(st, 10, in->notes != NULL ? in->notes : "");
	store_bind_int(st, 11, d->actor->id);
	store_bind_text(st, 12, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "paper record");
	return dom_end(d, DOM_OK);
}

/* ---- The round: its fingerprint and its PDF ------------------------------ */

/* A text as the fingerprint takes it: its length, a colon, the bytes. */
static void
counted(struct buf *b, const char *s)
{
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
}

enum dom_rc
paper_fingerprint(struct dom *d, long long case_id, int n, char out[65])
{
	sqlite3_stmt *st;
	long long rid;
	struct buf b;
	int rc;

	out[0] = '\0';
	if ((rid = submission_round_id(d, case_id, n)) <= 0)
		return rid < 0 ? dom_fail(d, "paper fingerprint") :
		    DOM_NOT_FOUND;
	buf_init(&b);
	buf_puts(&b, "zizhi-round-1\n");
	st = store_stmt(d->store, "SELECT field, row, value FROM round_value "
	    "WHERE round_id = ?1 ORDER BY field, row");
	if (st == NULL) {
		buf_free(&b);
		return dom_fail(d, "fingerprint");
	}
	store_bind_int(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_puts(&b, "v ");
		counted(&b, store_col_text(st, 0));
		buf_printf(&b, " %d ", sqlite3_column_int(st, 1));
		counted(&b, store_col_text(st, 2));
		buf_putc(&b, '\n');
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		return dom_fail(d, "fingerprint");
	}
	st = store_stmt(d->store, "SELECT m.kind, m.row, m.sha256 FROM "
	    "round_file rf JOIN material m ON m.id = rf.material_id WHERE "
	    "rf.round_id = ?1 ORDER BY m.kind, m.row, m.sha256");
	if (st == NULL) {
		buf_free(&b);
		return dom_fail(d, "fingerprint");
	}
	store_bind_int(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_puts(&b, "f ");
		counted(&b, store_col_text(st, 0));
		buf_printf(&b, " %d %s\n", sqlite3_column_int(st, 1),
		    store_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		return dom_fail(d, "fingerprint");
	}
	files_sha256_hex(b.p, b.n, out);
	buf_free(&b);
	return DOM_OK;
}

/* A file of the round, with where its material stands in the form. */
struct round_file {
	struct pdf_file	 f;
	int		 sec, mat, row;
	long long	 id;
};

static int
file_order(const void *a, const void *b)
{
	const struct round_file *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->mat != y->mat)
		return x->mat < y->mat ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The round's files in the form's order. */
static enum dom_rc
round_files(struct dom *d, long long rid, struct pdf_file **out, size_t *n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT m.id, m.kind, m.row, "
	    "m.filename, m.size, m.sha256 FROM round_file rf JOIN material m "
	    "ON m.id = rf.material_id WHERE rf.round_id = ?1");
	const struct fdef_section *sec;
	const struct fdef_material *m;
	struct round_file *v = NULL, *r;
	size_t cap = 0, k = 0, i;
	int rc;

	if (st == NULL)
		return dom_fail(d, "round files");
	store_bind_int(st, 1, rid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, k, &cap, sizeof(*v));
		r = &v[k++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		m = fdef_material_find(store_col_text(st, 1), &sec);
		r->sec = m != NULL ? fdef_section_index(sec->id) : 99;
		r->mat = m != NULL ? (int)(m - sec->materials) : 0;
		r->row = sqlite3_column_int(st, 2);
		r->f.label = arena_strdup(d->arena, m != NULL ? m->label :
		    store_col_text(st, 1));
		if (r->row >= 0)
			r->f.label = arena_printf(d->arena, "%s（第 %d 行）",
			    r->f.label, r->row + 1);
		r->f.filename = arena_strdup(d->arena, store_col_text(st, 3));
		r->f.size = sqlite3_column_int64(st, 4);
		r->f.sha256 = arena_strdup(d->arena, store_col_text(st, 5));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "round files");
	if (k > 0)
		qsort(v, k, sizeof(*v), file_order);
	*out = arena_alloc(d->arena, (k + 1) * sizeof(**out));
	for (i = 0; i < k; i++)
		(*out)[i] = v[i].f;
	*n = k;
	return DOM_OK;
}

enum dom_rc
paper_pdf(struct dom *d, const struct case_ref *c, int n, struct buf *out,
    const char **name)
{
	struct pdf_application app;
	struct pdf_section *secs;
	const struct fdef_section *sec;
	struct fdef_line *lines;
	struct pdf_line *pl;
	struct pdf_file *files = NULL;
	struct formdata fd;
	const char *org;
	char fp[65], day[DATE_BUFSZ], err[256];
	size_t i, k, nl, nfiles = 0;
	long long rid;
	enum dom_rc rc;
	zdate sent;

	if (!(c->parts & PART_APPLICATION) || c->rounds < 1)
		return DOM_NOT_FOUND;
	if (n == 0)
		n = c->rounds;
	if (n < 1 || n > c->rounds ||
	    (rid = submission_round_id(d, c->id, n)) == 0)
		return DOM_NOT_FOUND;
	if (rid < 0)
		return dom_fail(d, "paper pdf");
	formdata_init(&fd, d->arena);
	if (formdata_load_round(&fd, d->store, rid) != 0)
		return dom_fail(d, "paper pdf");
	if ((rc = paper_fingerprint(d, c->id, n, fp)) != DOM_OK ||
	    (rc = round_files(d, rid, &files, &nfiles)) != DOM_OK)
		return rc == DOM_NOT_FOUND ? dom_fail(d, "paper pdf") : rc;
	if ((sent = elig_round_day(d, c->id, n)) == DATE_NONE)
		return dom_fail(d, "paper pdf: no round day");

	secs = arena_alloc(d->arena, fdef_nsections() * sizeof(*secs));
	for (i = 0; i < fdef_nsections(); i++) {
		sec = fdef_section_at(i);
		secs[i].heading = *sec->num ? arena_printf(d->arena, "%s、%s",
		    sec->num, sec->title) : sec->title;
		nl = fdef_section_lines(d->arena, sec, &fd.src, &lines);
		pl = arena_alloc(d->arena, (nl + 1) * sizeof(*pl));
		for (k = 0; k < nl; k++) {
			pl[k].label = lines[k].label;
			pl[k].value = lines[k].value;
		}
		secs[i].lines = pl;
		secs[i].nlines = nl;
	}
	org = formdata_get(&fd, "org_name", FDEF_NOROW);
	memset(&app, 0, sizeof(app));
	app.org_name = org != NULL && *org != '\0' ? org : c->org_name;
	app.case_no = c->case_no;
	app.round = n;
	app.submitted = date_format(sent, day);
	app.fingerprint = fp;
	app.qr_url = arena_printf(d->arena, "%s/cases/%lld/review",
	    d->public_url != NULL ? d->public_url : "", c->id);
	app.sections = secs;
	app.nsections = fdef_nsections();
	app.files = files;
	app.nfiles = nfiles;
	if (pdf_application(&app, NULL, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi: application pdf, case %lld: %s\n",
		    c->id, err);
		d->msg = arena_printf(d->arena, "无法生成申请书 PDF：%s。", err);
		return DOM_FAILED;
	}
	*name = arena_printf(d->arena, "申请书-%s-第%d轮.pdf", c->case_no, n);
	return DOM_OK;
}
