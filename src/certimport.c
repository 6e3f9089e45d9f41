/*
 * certimport.c: importing certificates issued before the system
 * (certimport.h).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "certificate.h"
#include "certimport.h"
#include "certno.h"
#include "rules.h"
#include "rows.h"
#include "store.h"
#include "utf8.h"
#include "util.h"

#define NCOLS		6
#define MAXFIELDS	64
#define NAME_MAX_CHARS	200	/* org.name's CHECK */

static const char *const columns[NCOLS] = {
	"number", "org_name", "uscc", "issued_on", "expires_on", "status"
};
static const char *const columns_zh[NCOLS] = {
	"证书编号", "单位名称", "统一社会信用代码", "发证日期", "有效期至", "状态"
};
static const char *const statuses[] = {
	"valid", "suspended", "cancelled", "expired", NULL
};

/* One record of the file as read. */
struct rec {
	long		 line;		/* where it starts, from 1 */
	size_t		 nf;		/* fields found (may exceed MAXFIELDS) */
	const char	*f[MAXFIELDS];
	const char	*err;		/* a quoting problem, or NULL */
};

/* One certificate row, checked. */
struct row {
	long		 line;
	char		 no[CERTNO_MAX];
	const char	*name, *uscc, *issued, *expires, *status;
	struct buf	 why;		/* what is wrong, "" when nothing */
};

static void
problem(struct row *r, const char *fmt, ...) ZZ_PRINTF(2, 3);

static void
problem(struct row *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why.n > 0)
		buf_puts(&r->why, "；");
	va_start(ap, fmt);
	buf_vprintf(&r->why, fmt, ap);
	va_end(ap);
}

/* The field without surrounding blanks, in a. */
static const char *
field(struct arena *a, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

/* Past the end of a line at p (LF, CRLF or CR), counting it. */
static const char *
eol(const char *p, const char *end, long *line)
{
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	(*line)++;
	return p;
}

/*
 * Reads the record at p (not at end) into r; returns where the next
 * one starts. *line counts the lines.
 */
static const char *
read_record(struct arena *a, const char *p, const char *end, long *line,
    struct rec *r)
{
	struct buf b;

	memset(r, 0, sizeof(*r));
	r->line = *line;
	buf_init(&b);
	for (;;) {
		buf_reset(&b);
		buf_add(&b, "", 0);
		if (p < end && *p == '"') {
			for (p++; ; p++) {
				if (p >= end) {
					r->err = "带引号的字段缺少结束的引号（直到文件"
					    "末尾）；字段中的引号应写成两个引号 \"\"";
					goto done;
				}
				if (*p == '"' && p + 1 < end && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				else if (*p == '\n')
					(*line)++;
				buf_putc(&b, *p);
			}
			for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
				continue;
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				r->err = "带引号的字段在结束的引号后还有字符；字段中的"
				    "引号应写成两个引号 \"\"";
				while (p < end && *p != '\n' && *p != '\r')
					p++;
			}
		} else
			for (; p < end && *p != ',' && *p != '\n' &&
			    *p != '\r'; p++)
				buf_putc(&b, *p);
		if (r->nf < MAXFIELDS)
			r->f[r->nf] = field(a, b.p, b.n);
		r->nf++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		p = eol(p, end, line);
		break;
	}
done:
	buf_free(&b);
	return p;
}

/* 1 when the record is an empty line (or blanks only). */
static int
blank(const struct rec *r)
{
	return r->err == NULL && r->nf == 1 && r->f[0][0] == '\0';
}

/* The lines with bytes that are not UTF-8, as problems; their number. */
static size_t
not_utf8(struct arena *a, const char *data, size_t len,
    struct certimport_result *out)
{
	const char *p = data, *end = data + len, *nl;
	size_t cap = 0;
	long line = 1;

	for (; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (utf8_valid(p, (size_t)(nl - p)) &&
		    memchr(p, '\0', (size_t)(nl - p)) == NULL)
			continue;
		out->bad = rows_grow(a, out->bad, out->nbad, &cap,
		    sizeof(*out->bad));
		out->bad[out->nbad].line = line;
		out->bad[out->nbad++].msg = "不是 UTF-8 编码的文本（文件应以 UTF-8 "
		    "保存，例如在 Excel 中另存为“CSV UTF-8（逗号分隔）”）";
	}
	return out->nbad;
}

/* 1 when s is one of the statuses. */
static int
known_status(const char *s)
{
	size_t i;

	for (i = 0; statuses[i] != NULL; i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

/* A text field fit for a name: no control or invisible characters. */
static int
clean_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	uint32_t cp;

	while (n > 0) {
		if ((k = utf8_decode(p, n, &cp)) == 0 || utf8_forbidden(cp))
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}

/* Checks record rec as certificate row r, on today. */
static void
check_row(struct arena *a, const struct rec *rec, zdate today, struct row *r)
{
	enum uscc_reason why;
	zdate issued = DATE_NONE, expires = DATE_NONE;
	char *u;
	size_t i;
	int empty = 0;

	r->line = rec->line;
	if (rec->err != NULL) {
		problem(r, "%s", rec->err);
		return;
	}
	if (rec->nf != NCOLS) {
		problem(r, "应有 %d 列（%s），实有 %zu 列；含逗号的字段请用双引号"
		    "括起来", NCOLS, CERTIMPORT_HEADER, rec->nf);
		return;
	}
	for (i = 0; i < NCOLS; i++)
		if (rec->f[i][0] == '\0') {
			problem(r, "缺少%s（%s 列）", columns_zh[i], columns[i]);
			empty = 1;
		}
	if (empty)
		return;

	if (certno_clean(rec->f[0], r->no, sizeof(r->no)) != 0)
		problem(r, "证书编号“%s”格式不对：应为 CNITSEC、四位年份、SE2-、"
		    "四位以上序号，例如 CNITSEC2019SE2-0042", rec->f[0]);
	r->name = rec->f[1];
	if (!clean_text(r->name))
		problem(r, "单位名称含有控制字符或不可见字符");
	else if (utf8_chars(r->name) > NAME_MAX_CHARS)
		problem(r, "单位名称过长（最多 %d 个字）", NAME_MAX_CHARS);
	u = arena_strdup(a, rec->f[2]);
	for (i = 0; u[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	r->uscc = u;
	if ((why = uscc_validate(u)) != USCC_OK)
		problem(r, "统一社会信用代码“%s”有误：%s", rec->f[2],
		    uscc_reason_zh(why));
	r->issued = rec->f[3];
	r->expires = rec->f[4];
	if (date_parse(r->issued, &issued) != 0)
		problem(r, "发证日期“%s”不是有效日期：应为 YYYY-MM-DD，例如 "
		    "2019-06-30", r->issued);
	else if (issued > today)
		problem(r, "发证日期 %s 晚于今天：导入的应是已经颁发的证书",
		    r->issued);
	if (date_parse(r->expires, &expires) != 0)
		problem(r, "有效期至“%s”不是有效日期：应为 YYYY-MM-DD，例如 "
		    "2022-06-29", r->expires);
	else if (issued != DATE_NONE && expires <= issued)
		problem(r, "有效期至 %s 不晚于发证日期 %s", r->expires,
		    r->issued);
	r->status = rec->f[5];
	if (!known_status(r->status))
		problem(r, "状态“%s”不可识别：应为 valid、suspended、cancelled、"
		    "expired 之一", r->status);
}

/*
 * Compares row r with the register: 1 when the number is new, 0 when
 * the register holds the same, -1 when it is bad (why said), -2 on a
 * database error.
 */
static int
against_register(struct dom *d, struct row *r)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT org_name, uscc, "
	    "issued_on, expires_on, coalesce(imported_status, '') FROM "
	    "certificate WHERE no = ?1");
	const char *have[5], *want[5] = { r->name, r->uscc, r->issued,
	    r->expires, r->status };
	struct buf diff;
	int rc, i;

	if (st == NULL)
		return -2;
	store_bind_text(st, 1, r->no);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (i = 0; i < 5; i++)
			have[i] = arena_strdup(d->arena, store_col_text(st, i));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 1;
	if (rc != SQLITE_ROW)
		return -2;
	if (*have[4] == '\0') {
		problem(r, "证书编号 %s 是本系统颁发的证书，不能导入", r->no);
		return -1;
	}
	buf_init(&diff);
	for (i = 0; i < 5; i++)
		if (strcmp(have[i], want[i]) != 0)
			buf_printf(&diff, "%s%s（已导入：%s；本行：%s）",
			    diff.n > 0 ? "、" : "", columns_zh[i + 1], have[i],
			    want[i]);
	rc = diff.n > 0 ? -1 : 0;
	if (rc < 0)
		problem(r, "证书编号 %s 已经导入，但%s不一致；导入不修改已有的"
		    "证书，请核对后改正此行", r->no, diff.p);
	buf_free(&diff);
	return rc;
}

/* Adds row r to the register, with its sanction; 0 or -1. */
static int
add(struct dom *d, const struct row *r)
{
	sqlite3_stmt *st = store_stmt(d->store, "INSERT INTO certificate(no, "
	    "org_name, uscc, issued_on, expires_on, imported_status, "
	    "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	enum sanction_kind k;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, r->no);
	store_bind_text(st, 2, r->name);
	store_bind_text(st, 3, r->uscc);
	store_bind_text(st, 4, r->issued);
	store_bind_text(st, 5, r->expires);
	store_bind_text(st, 6, r->status);
	store_bind_text(st, 7, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	if (strcmp(r->status, "suspended") == 0)
		k = SANCTION_SUSPENSION;
	else if (strcmp(r->status, "cancelled") == 0)
		k = SANCTION_REVOCATION;
	else
		return 0;
	st = store_stmt(d->store, "INSERT INTO sanction(certificate_id, kind, "
	    "reason, by_id, at) VALUES (?1, ?2, ?3, NULL, ?4)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, sqlite3_last_insert_rowid(store_db(d->store)));
	store_bind_text(st, 2, sanction_kind_code(k));
	store_bind_text(st, 3, arena_printf(d->arena, "证书导入：导入文件所列"
	    "状态为“%s”（本系统启用前作出的处置）。", sanction_kind_zh(k)));
	store_bind_text(st, 4, d->stamp);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* The problems of rows[0..n) into out, in line order. */
static void
collect(struct arena *a, struct row *rows, size_t n,
    struct certimport_result *out)
{
	size_t i, cap = out->nbad;

	for (i = 0; i < n; i++) {
		if (rows[i].why.n == 0)
			continue;
		out->bad = rows_grow(a, out->bad, out->nbad, &cap,
		    sizeof(*out->bad));
		out->bad[out->nbad].line = rows[i].line;
		out->bad[out->nbad++].msg = arena_strdup(a, rows[i].why.p);
	}
}

static void
free_rows(struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_free(&rows[i].why);
}

/* The register's part, in its transaction. */
static enum dom_rc
apply(struct dom *d, struct row *rows, size_t n, struct certimport_result *out)
{
	int *fresh = arena_alloc(d->arena, (n + 1) * sizeof(*fresh));
	size_t i;
	int bad = 0;

	/* Every row that reads well is compared, so that each bad row is
	 * named in one run. */
	for (i = 0; i < n; i++) {
		if (rows[i].why.n > 0)
			fresh[i] = -1;
		else if ((fresh[i] = against_register(d, &rows[i])) == -2)
			return dom_fail(d, "import");
		bad |= fresh[i] < 0;
	}
	if (bad) {
		collect(d->arena, rows, n, out);
		return dom_refuse(d, DOM_INVALID, NULL, "文件中有 %zu 行有误，"
		    "没有导入任何证书。", out->nbad);
	}
	for (i = 0; i < n; i++) {
		if (fresh[i] == 0) {
			out->unchanged++;
			continue;
		}
		if (add(d, &rows[i]) != 0)
			return dom_fail(d, "import");
		out->added++;
	}
	return DOM_OK;
}

enum dom_rc
certimport_run(struct dom *d, const char *data, size_t len,
    struct certimport_result *out)
{
	const char *p = data, *end = data + len;
	struct row *rows = NULL;
	struct rec rec;
	size_t cap = 0, n = 0, i, j;
	long line = 1;
	enum dom_rc rc;
	int header = 0;

	memset(out, 0, sizeof(*out));
	d->msg = NULL;
	d->field = NULL;
	if (not_utf8(d->arena, data, len, out) > 0)
		return dom_refuse(d, DOM_INVALID, NULL, "文件不是 UTF-8 编码的"
		    "文本，没有导入任何证书。");
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		p = read_record(d->arena, p, end, &line, &rec);
		if (blank(&rec))
			continue;
		if (!header) {
			struct buf h;
			int same;

			buf_init(&h);
			for (i = 0; i < rec.nf && i < MAXFIELDS; i++)
				buf_printf(&h, "%s%s", i ? "," : "", rec.f[i]);
			same = rec.err == NULL && h.n > 0 &&
			    strcmp(h.p, CERTIMPORT_HEADER) == 0;
			if (!same) {
				out->bad = arena_alloc(d->arena,
				    sizeof(*out->bad));
				out->bad[0].line = rec.line;
				out->bad[0].msg = arena_printf(d->arena, "表头应为 "
				    "%s，实为 %s", CERTIMPORT_HEADER, h.n > 0 ?
				    h.p : "（空）");
				out->nbad = 1;
			}
			buf_free(&h);
			if (!same)
				return dom_refuse(d, DOM_INVALID, NULL, "文件的"
				    "表头不对，没有导入任何证书。");
			header = 1;
			continue;
		}
		rows = rows_grow(d->arena, rows, n, &cap, sizeof(*rows));
		memset(&rows[n], 0, sizeof(rows[n]));
		buf_init(&rows[n].why);
		check_row(d->arena, &rec, d->today, &rows[n]);
		/* A number twice in the file. */
		for (j = 0; rows[n].why.n == 0 && j < n; j++)
			if (strcmp(rows[j].no, rows[n].no) == 0) {
				problem(&rows[n], "证书编号 %s 与第 %ld 行重复",
				    rows[n].no, rows[j].line);
				break;
			}
		n++;
	}
	if (!header) {
		out->bad = arena_alloc(d->arena, sizeof(*out->bad));
		out->bad[0].line = 1;
		out->bad[0].msg = "文件是空的：第一行应为表头 " CERTIMPORT_HEADER;
		out->nbad = 1;
		return dom_refuse(d, DOM_INVALID, NULL, "文件是空的，没有导入任何"
		    "证书。");
	}
	out->rows = n;
	if ((rc = dom_begin(d)) != DOM_OK) {
		free_rows(rows, n);
		return rc;
	}
	rc = dom_end(d, apply(d, rows, n, out));
	if (rc != DOM_OK)
		out->added = out->unchanged = 0;
	free_rows(rows, n);
	return rc;
}
