/*
 * test_pdf.c: the certificate and notice PDFs (src/pdf.c), read back with
 * the tools a person would use: pdftotext and pdfinfo (Debian package
 * poppler-utils) for the text, pdftoppm for a picture and zbarimg
 * (zbar-tools) to scan the QR code in it. A missing tool or font is a
 * failure that names the package to install, never a skip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static char	 tmpdir[] = "/tmp/zizhi-test-pdf-XXXXXX";

static const char *const url =
    "https://zizhi.example.cn/verify?no=CNITSEC2026SE20137&k=Ab3_x-9";

static void
need_tool(const char *tool, const char *package)
{
	char	 cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0)
		fail_msg("%s is not installed: install the Debian package %s "
		    "(make deps does)", tool, package);
}

static void
need_font(void)
{
	if (access(PDF_FONT_DEFAULT, R_OK) != 0)
		fail_msg("font %s is missing: install the Debian package "
		    "fonts-arphic-uming (make deps does)", PDF_FONT_DEFAULT);
}

static int
setup(void **state)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	DIR		*dir;
	struct dirent	*e;
	char		 path[512];

	if ((dir = opendir(tmpdir)) == NULL)
		return 0;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(tmpdir);
	return 0;
}

/* Writes b to tmpdir/name; returns the path (static storage). */
static const char *
save(const char *name, const struct buf *b)
{
	static char	 path[512];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((f = fopen(path, "wb")) == NULL)
		fail_msg("cannot write %s", path);
	assert_int_equal(fwrite(b->p, 1, b->n, f), b->n);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Runs a shell command; its standard output goes to out. */
static void
run(const char *cmd, struct buf *out)
{
	FILE	*p;
	char	 chunk[4096];
	size_t	 n;
	int	 status;

	buf_reset(out);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("cannot run %s", cmd);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(out, chunk, n);
	status = pclose(p);
	if (out->p == NULL)
		buf_puts(out, "");
	if (status != 0)
		fail_msg("command failed (status %d): %s", status, cmd);
}

/* The text of a PDF file (pages first..last, 0 for all). */
static void
pdf_text(const char *path, int first, int last, struct buf *out)
{
	char	 cmd[1024];

	need_tool("pdftotext", "poppler-utils");
	if (first > 0)
		snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 -f %d -l %d "
		    "'%s' -", first, last, path);
	else
		snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -",
		    path);
	run(cmd, out);
}

/* s without any white space (wrapped text compares whole). */
static char *
squeeze(const char *s)
{
	char	*t = xmalloc(strlen(s) + 1), *q = t;

	for (; *s != '\0'; s++)
		if (strchr(" \t\r\n\f", *s) == NULL)
			*q++ = *s;
	*q = '\0';
	return t;
}

static void
assert_has(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

/* needle, white space ignored on both sides, is in hay. */
static void
assert_has_sq(const char *hay, const char *needle)
{
	char	*h = squeeze(hay), *n = squeeze(needle);
	int	 found = strstr(h, n) != NULL;

	free(h);
	free(n);
	if (!found)
		fail_msg("\"%s\" not found (white space ignored) in:\n%s",
		    needle, hay);
}

/* The number after "key:" in pdfinfo's output for path. */
static double
pdfinfo_num(const char *path, const char *key)
{
	char		 cmd[1024];
	struct buf	 out;
	const char	*p;
	double		 v;

	need_tool("pdfinfo", "poppler-utils");
	buf_init(&out);
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	run(cmd, &out);
	if ((p = strstr(out.p, key)) == NULL)
		fail_msg("no %s in pdfinfo output:\n%s", key, out.p);
	p += strlen(key);
	while (*p == ':' || *p == ' ')
		p++;
	v = strtod(p, NULL);
	buf_free(&out);
	return v;
}

static struct pdf_cert
sample_cert(void)
{
	struct pdf_cert	 c = {
		.org_name = "北京安信天行网络安全技术有限公司",
		.credit_code = "91110108MA01ABCD3X",
		.cert_no = "CNITSEC2026SE20137",
		.issue_date = "2026-11-27",
		.expiry_date = "2029-11-26",
		.verify_url = url,
	};

	return c;
}

static void
make_cert(const struct pdf_cert *c, struct buf *out)
{
	char	 err[256] = "";

	need_font();
	buf_reset(out);
	if (pdf_certificate(c, NULL, out, err, sizeof(err)) != 0)
		fail_msg("pdf_certificate: %s", err);
	assert_true(out->n > 1000);
	assert_memory_equal(out->p, "%PDF-", 5);
}

static void
test_certificate_text(void **state)
{
	struct pdf_cert	 c = sample_cert();
	struct buf	 pdf, again, text;
	const char	*path;

	buf_init(&pdf);
	buf_init(&again);
	buf_init(&text);
	make_cert(&c, &pdf);
	path = save("cert.pdf", &pdf);
	pdf_text(path, 0, 0, &text);
	assert_has(text.p, c.org_name);
	assert_has(text.p, "91110108MA01ABCD3X");
	assert_has(text.p, "CNITSEC2026SE20137");
	assert_has(text.p, "2026年11月27日");
	assert_has(text.p, "2029年11月26日");
	assert_has(text.p, "安全工程类");
	assert_has(text.p, "二级");
	assert_has(text.p, "中国信息安全测评中心");
	assert_has_sq(text.p, "信息安全服务资质证书");
	assert_has_sq(text.p, "统一社会信用代码");
	assert_has_sq(text.p, "扫码或访问");
	assert_has_sq(text.p, url);
	assert_has_sq(text.p, "验证证书");
	assert_int_equal((int)pdfinfo_num(path, "Pages"), 1);
	/* A4 landscape: 841.89 x 595.28 points. */
	assert_true(pdfinfo_num(path, "Page size") > 841 &&
	    pdfinfo_num(path, "Page size") < 842.5);

	/* The same input gives the same bytes. */
	make_cert(&c, &again);
	assert_int_equal(again.n, pdf.n);
	assert_memory_equal(again.p, pdf.p, pdf.n);
	printf("certificate: %zu bytes\n", pdf.n);
	buf_free(&pdf);
	buf_free(&again);
	buf_free(&text);
}

/* Renders page 1 of tmpdir/name.pdf at 150 dpi and scans it. */
static void
scan_qr(const char *name, struct buf *out)
{
	char	 cmd[1024];

	need_tool("pdftoppm", "poppler-utils");
	need_tool("zbarimg", "zbar-tools");
	snprintf(cmd, sizeof(cmd), "pdftoppm -r 150 -png -singlefile "
	    "'%s/%s.pdf' '%s/%s'", tmpdir, name, tmpdir, name);
	run(cmd, out);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q '%s/%s.png' "
	    "2>/dev/null", tmpdir, name);
	run(cmd, out);
}

static void
test_certificate_qr(void **state)
{
	struct pdf_cert	 c = sample_cert();
	struct buf	 pdf, out;
	char		*want;

	buf_init(&pdf);
	buf_init(&out);
	make_cert(&c, &pdf);
	save("qr.pdf", &pdf);
	scan_qr("qr", &out);
	want = xmalloc(strlen(url) + 2);
	snprintf(want, strlen(url) + 2, "%s\n", url);
	assert_string_equal(out.p, want);
	free(want);
	buf_free(&pdf);
	buf_free(&out);
}

static void
test_certificate_long(void **state)
{
	static const char longname[] =
	    "中国某某省某某市某某区信息安全技术服务与网络安全等级保护"
	    "测评研究院有限责任公司第一分公司";
	struct pdf_cert	 c = sample_cert();
	struct buf	 pdf, text, name, u;
	char		 err[256] = "";
	int		 i;

	buf_init(&pdf);
	buf_init(&text);
	buf_init(&name);
	buf_init(&u);

	/* A long name is set smaller or on two lines, and all of it shows;
	 * a long URL still scans and its caption wraps. */
	buf_puts(&u, "https://zizhi.example.cn/verify?no=CNITSEC2026SE20137"
	    "&sig=");
	for (i = 0; i < 12; i++)
		buf_puts(&u, "0123456789abcdef");
	c.org_name = longname;
	c.verify_url = u.p;
	make_cert(&c, &pdf);
	pdf_text(save("long.pdf", &pdf), 0, 0, &text);
	assert_has_sq(text.p, longname);
	assert_has_sq(text.p, u.p);
	scan_qr("long", &text);
	assert_int_equal(text.n, u.n + 1);
	assert_memory_equal(text.p, u.p, u.n);

	/* One that cannot fit is refused, with a reason. */
	for (i = 0; i < 8; i++)
		buf_puts(&name, "信息安全技术服务有限公司");
	c.org_name = name.p;
	c.verify_url = url;
	buf_reset(&pdf);
	assert_int_equal(pdf_certificate(&c, NULL, &pdf, err, sizeof(err)),
	    -1);
	assert_int_equal(pdf.n, 0);
	assert_has(err, "单位名称过长");

	buf_free(&pdf);
	buf_free(&text);
	buf_free(&name);
	buf_free(&u);
}

static const char first_para[] =
    "贵单位于2026年11月20日提交的信息安全服务资质（安全工程类二级）初次"
    "申请材料，经受理审查，尚需补正以下事项。请于2026年12月27日前通过系统"
    "一次性提交补正材料。";
static const char last_para[] =
    "这是最后一段：如对本告知书有异议，可在收到之日起十五日内向监督部门"
    "提出书面申诉。联系人：张工，电话010-12345678。";

static void
long_body(struct buf *b)
{
	int	 i;

	buf_reset(b);
	buf_printf(b, "%s\n\n", first_para);
	buf_puts(b, "一、材料清单\n");
	for (i = 1; i <= 40; i++)
		buf_printf(b, "%d. 第%d项：营业执照扫描件不清晰，请上传加盖"
		    "公章的彩色扫描件（PDF 格式，分辨率不低于 300 dpi），"
		    "并核对统一社会信用代码是否与申请书一致。\r\n", i, i);
	buf_printf(b, "\n\n\t%s", last_para);
}

static struct pdf_notice
sample_notice(const char *body)
{
	struct pdf_notice n = {
		.title = "补正告知书",
		.number = "测评中心补字〔2026〕第0137号",
		.date = "2026-11-27",
		.addressee = "北京安信天行网络安全技术有限公司",
		.case_no = "ZZ-2026-000137",
		.body = body,
	};

	return n;
}

static void
test_notice_pages(void **state)
{
	struct buf		 body, pdf, text;
	struct pdf_notice	 n;
	char			 err[256] = "", want[64];
	const char		*path;
	int			 pages;

	need_font();
	buf_init(&body);
	buf_init(&pdf);
	buf_init(&text);
	long_body(&body);
	n = sample_notice(body.p);
	if (pdf_notice(&n, NULL, &pdf, err, sizeof(err)) != 0)
		fail_msg("pdf_notice: %s", err);
	printf("notice: %zu bytes\n", pdf.n);
	path = save("notice.pdf", &pdf);
	pages = (int)pdfinfo_num(path, "Pages");
	assert_true(pages >= 2);

	pdf_text(path, 0, 0, &text);
	assert_has(text.p, "第 1 页");
	assert_has(text.p, "第 2 页");
	snprintf(want, sizeof(want), "第 %d 页 共 %d 页", pages, pages);
	assert_has(text.p, want);
	assert_has_sq(text.p, first_para);
	assert_has_sq(text.p, last_para);
	assert_has_sq(text.p, "第40项：营业执照扫描件不清晰");
	/* A kept line break: the heading stands on a line of its own. */
	assert_has(text.p, "\n一、材料清单\n");

	/* Page 1 has the heading and the first paragraph ... */
	pdf_text(path, 1, 1, &text);
	assert_has_sq(text.p, "补正告知书");
	assert_has(text.p, "测评中心补字〔2026〕第0137号");
	assert_has(text.p, "2026年11月27日");
	assert_has(text.p, "北京安信天行网络安全技术有限公司");
	assert_has(text.p, "ZZ-2026-000137");
	assert_has_sq(text.p, first_para);
	/* ... the last page the last paragraph, the issuer and the date. */
	pdf_text(path, pages, pages, &text);
	assert_has_sq(text.p, last_para);
	assert_has(text.p, "中国信息安全测评中心");
	assert_has(text.p, "2026年11月27日");
	assert_has(text.p, want);

	buf_free(&body);
	buf_free(&pdf);
	buf_free(&text);
}

/*
 * Every word pdftotext -bbox finds lies within the text column: Chinese
 * without spaces and a long unbreakable Latin run were both wrapped by
 * measured width.
 */
static void
test_notice_wrap(void **state)
{
	static const char piece[] = "信息安全服务资质申请材料逐项检查，";
	struct buf		 body, pdf, text;
	struct pdf_notice	 n;
	char			 err[256] = "", cmd[1024];
	const char		*path, *p;
	double			 xmin = 1e9, xmax = 0, v;
	int			 i, words = 0;

	need_font();
	buf_init(&body);
	buf_init(&pdf);
	buf_init(&text);
	for (i = 0; i < 12; i++)
		buf_puts(&body, piece);
	buf_puts(&body, "结束。\n\n参考：");
	for (i = 0; i < 10; i++)
		buf_puts(&body, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	n = sample_notice(body.p);
	if (pdf_notice(&n, NULL, &pdf, err, sizeof(err)) != 0)
		fail_msg("pdf_notice: %s", err);
	path = save("wrap.pdf", &pdf);
	pdf_text(path, 0, 0, &text);
	assert_has_sq(text.p, body.p);

	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 -bbox '%s' -", path);
	run(cmd, &text);
	for (p = text.p; (p = strstr(p, "<word xMin=\"")) != NULL; words++) {
		p += strlen("<word xMin=\"");
		if ((v = strtod(p, NULL)) < xmin)
			xmin = v;
		if ((p = strstr(p, "xMax=\"")) == NULL)
			break;
		p += strlen("xMax=\"");
		if ((v = strtod(p, NULL)) > xmax)
			xmax = v;
	}
	assert_true(words > 10);
	/* Margins: 79 points left, 74 right of 595.28. */
	if (xmin < 78 || xmax > 595.28 - 74 + 1)
		fail_msg("text outside the column: x from %.1f to %.1f",
		    xmin, xmax);
	buf_free(&body);
	buf_free(&pdf);
	buf_free(&text);
}

/* The text of the PDF in out, white space dropped; caller frees. */
static char *
text_of(const struct buf *out)
{
	struct buf text;
	char *t;

	buf_init(&text);
	pdf_text(save("t.pdf", out), 0, 0, &text);
	t = squeeze(text.p);
	buf_free(&text);
	return t;
}

/*
 * Issue 14, item 11: what someone typed never stops a document. Bytes
 * that are not UTF-8 become '?'; controls and the invisible characters
 * that reorder text are dropped; characters the font cannot draw (beyond
 * the BMP, or without a glyph) become a white square. The rest of the
 * text is there.
 */
static void
test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"北京\xff科技",			/* not UTF-8 at all */
		"北京\xc0\xaf科技",		/* overlong "/" */
		"北京\xe0\x80\xaf科技",		/* overlong, 3 bytes */
		"北京\xed\xa0\x80科技",		/* a surrogate */
		"北京\xe4\xb8科技",		/* truncated */
		"北京\xe4\xb8\xad\x80科技",	/* stray continuation */
		"北京\xf4\x90\x80\x80科技",	/* past U+10FFFF */
	};
	struct pdf_cert		 c;
	struct pdf_notice	 n;
	struct buf		 out;
	char			 err[256], *t;
	size_t			 i;

	need_font();
	buf_init(&out);
	for (i = 0; i < NELEM(bad); i++) {
		c = sample_cert();
		c.org_name = bad[i];
		buf_reset(&out);
		if (pdf_certificate(&c, NULL, &out, err, sizeof(err)) != 0)
			fail_msg("case %zu: %s", i, err);
		t = text_of(&out);
		assert_has(t, "北京");
		assert_has(t, "科技");
		free(t);

		n = sample_notice(bad[i]);
		n.addressee = bad[i];
		buf_reset(&out);
		if (pdf_notice(&n, NULL, &out, err, sizeof(err)) != 0)
			fail_msg("notice case %zu: %s", i, err);
		t = text_of(&out);
		assert_has(t, "北京");
		free(t);

		/* An address the system writes itself: still refused. */
		c = sample_cert();
		c.verify_url = bad[i];
		assert_int_equal(pdf_certificate(&c, NULL, &out, err,
		    sizeof(err)), -1);
		assert_has(err, "验证网址");
	}
	buf_free(&out);
}

static void
test_refused(void **state)
{
	static const struct {
		const char	*name;
		const char	*want;	/* in the text, white space dropped */
		const char	*not;	/* must not be in it, or NULL */
	} names[] = {
		/* Beyond the BMP (an emoji, U+20000): the square. */
		{ "北京\xf0\x9f\x94\x92科技有限公司", "北京\xe2\x96\xa1科技",
		    NULL },
		{ "北京\xf0\xa0\x80\x80科技有限公司", "北京\xe2\x96\xa1科技",
		    NULL },
		/* No glyph in the font (private use area): the square. */
		{ "北京\xee\x80\x80科技有限公司", "北京\xe2\x96\xa1科技", NULL },
		/* A right-to-left override, a noncharacter, a TAB, a control,
		 * a line break in a one-line field: dropped (TAB: a space). */
		{ "北京\xe2\x80\xae科技有限公司", "北京科技有限公司", NULL },
		{ "北京\xf4\x8f\xbf\xbf科技有限公司", "北京科技有限公司", NULL },
		{ "北京\t科技有限公司", "北京科技有限公司", NULL },
		{ "北京\x01科技", "北京科技", NULL },
		{ "北京\n科技", "北京科技", NULL },
	};
	struct pdf_cert		 c;
	struct pdf_notice	 n;
	struct buf		 out;
	char			 err[256], *t;
	size_t			 i;

	need_font();
	buf_init(&out);
	for (i = 0; i < NELEM(names); i++) {
		c = sample_cert();
		c.org_name = names[i].name;
		buf_reset(&out);
		if (pdf_certificate(&c, NULL, &out, err, sizeof(err)) != 0)
			fail_msg("name %zu: %s", i, err);
		t = text_of(&out);
		assert_has(t, names[i].want);
		free(t);
		n = sample_notice("正文");
		n.addressee = names[i].name;
		buf_reset(&out);
		if (pdf_notice(&n, NULL, &out, err, sizeof(err)) != 0)
			fail_msg("notice, name %zu: %s", i, err);
		t = text_of(&out);
		assert_has(t, names[i].want);
		free(t);
	}
	buf_reset(&out);
	n = sample_notice("正文\x1b[31m红色");
	assert_int_equal(pdf_notice(&n, NULL, &out, err, sizeof(err)), 0);
	t = text_of(&out);
	assert_has(t, "正文[31m红色");
	free(t);
	buf_free(&out);
	buf_init(&out);

	/* Dates. */
	c = sample_cert();
	c.issue_date = "2026-02-30";
	assert_int_equal(pdf_certificate(&c, NULL, &out, err, sizeof(err)),
	    -1);
	assert_has(err, "发证日期");
	c.issue_date = "2026/11/27";
	assert_int_equal(pdf_certificate(&c, NULL, &out, err, sizeof(err)),
	    -1);
	c = sample_cert();
	c.expiry_date = "2026-11-27";
	assert_int_equal(pdf_certificate(&c, NULL, &out, err, sizeof(err)),
	    -1);
	assert_has(err, "有效期至");
	/* Missing fields. */
	c = sample_cert();
	c.cert_no = NULL;
	assert_int_equal(pdf_certificate(&c, NULL, &out, err, sizeof(err)),
	    -1);
	assert_has(err, "证书编号不能为空");
	c = sample_cert();
	c.verify_url = "";
	assert_int_equal(pdf_certificate(&c, NULL, &out, err, sizeof(err)),
	    -1);
	assert_int_equal(pdf_certificate(NULL, NULL, &out, err, sizeof(err)),
	    -1);
	/* A font that is not there, or not a font. */
	c = sample_cert();
	assert_int_equal(pdf_certificate(&c, "/nonexistent/font.ttf", &out,
	    err, sizeof(err)), -1);
	assert_has(err, "/nonexistent/font.ttf");
	assert_int_equal(pdf_certificate(&c, "/etc/passwd", &out, err,
	    sizeof(err)), -1);
	assert_has(err, "字体");

	n = sample_notice("正文");
	n.date = "2026-13-01";
	assert_int_equal(pdf_notice(&n, NULL, &out, err, sizeof(err)), -1);
	assert_has(err, "日期");
	n = sample_notice("");
	assert_int_equal(pdf_notice(&n, NULL, &out, err, sizeof(err)), -1);
	assert_has(err, "正文不能为空");
	n = sample_notice(" \n\t\r\n\xe3\x80\x80\n");
	assert_int_equal(pdf_notice(&n, NULL, &out, err, sizeof(err)), -1);
	assert_has(err, "正文不能为空");
	n = sample_notice("正文");
	n.title = "补正告知书补正告知书补正告知书补正告知书补正告知书"
	    "补正告知书补正告知书补正告知书";
	assert_int_equal(pdf_notice(&n, NULL, &out, err, sizeof(err)), -1);
	assert_has(err, "标题过长");
	assert_int_equal(pdf_notice(NULL, NULL, &out, err, sizeof(err)), -1);

	assert_int_equal(out.n, 0);
	buf_free(&out);
}

/*
 * The 申请书 of a round: every section (an empty one says so), every
 * material with its SHA-256, the fingerprint in groups of eight, the
 * QR code of the round for the centre's staff, on numbered pages; a
 * character the font lacks does not stop it.
 */
static void
test_application(void **state)
{
	static const char qr[] = "https://zizhi.example.cn/cases/42/review";
	static const char fp[] = "0123456789abcdef0123456789abcdef"
	    "fedcba9876543210fedcba9876543210";
	static const char sha[] = "9f86d081884c7d659a2feaa0c55ad015"
	    "a3bf4f1b2b0b822cd15d6c15b0f00a08";
	struct pdf_line s1[] = {
		{ "单位名称", "北京某某信息安全技术有限公司" },
		{ "统一社会信用代码", "91110108MA01C2XK3A" },
		{ "单位性质", "有限责任公司" },
	};
	struct pdf_line s3[40];
	struct pdf_section secs[3];
	struct pdf_file files[] = {
		{ "营业执照", "营业执照.pdf", 1234, sha },
		{ "审计报告（第 2 行）", "2024年审计报告.pdf", 88888, sha },
	};
	struct pdf_application a = {
		.org_name = "北京某某信息安全技术有限公司\xf0\x9f\x98\x80",
		.case_no = "SE2-2026-00042",
		.round = 2,
		.submitted = "2026-03-01",
		.fingerprint = fp,
		.qr_url = qr,
		.sections = secs,
		.nsections = 3,
		.files = files,
		.nfiles = 2,
	};
	struct buf pdf, text, out;
	char err[256] = "", rows[40][96];
	size_t i;

	need_font();
	for (i = 0; i < 40; i++) {
		snprintf(rows[i], sizeof(rows[i]), "年度：%zu；营业收入（元）："
		    "8,000,000.00；利润总额（元）：-200,000.00", 2000 + i);
		s3[i].label = "年度";
		s3[i].value = rows[i];
	}
	secs[0] = (struct pdf_section){ "一、申请单位基本情况", s1, 3 };
	secs[1] = (struct pdf_section){ "二、概况", NULL, 0 };
	secs[2] = (struct pdf_section){ "三、近三年资产运营情况", s3, 40 };
	buf_init(&pdf);
	buf_init(&text);
	buf_init(&out);
	if (pdf_application(&a, NULL, &pdf, err, sizeof(err)) != 0)
		fail_msg("pdf_application: %s", err);
	save("application.pdf", &pdf);
	pdf_text(save("application.pdf", &pdf), 0, 0, &text);
	assert_has_sq(text.p, "信息安全服务资质申请书");
	assert_has_sq(text.p, "SE2-2026-00042");
	assert_has_sq(text.p, "第2轮");
	assert_has_sq(text.p, "2026年3月1日");
	assert_has_sq(text.p, "一、申请单位基本情况");
	assert_has_sq(text.p, "统一社会信用代码：91110108MA01C2XK3A");
	assert_has_sq(text.p, "二、概况");
	assert_has_sq(text.p, "（未填写）");
	assert_has_sq(text.p, "年度：2039");
	assert_has_sq(text.p, "营业执照：营业执照.pdf（1234字节）");
	assert_has_sq(text.p, "2024年审计报告.pdf");
	assert_has_sq(text.p, sha);
	assert_has(text.p, "01234567 89abcdef");
	assert_has_sq(text.p, "申请单位（盖章）");
	assert_has_sq(text.p, "\xe2\x96\xa1");	/* the emoji, as a square */
	assert_true(pdfinfo_num(save("application.pdf", &pdf), "Pages") >= 2);
	assert_has_sq(text.p, "第1页共");
	scan_qr("application", &out);
	assert_string_equal(out.p, "https://zizhi.example.cn/cases/42/review\n");

	/* Refused without what it needs. */
	buf_reset(&pdf);
	a.fingerprint = "abc";
	assert_int_equal(pdf_application(&a, NULL, &pdf, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "指纹"));
	a.fingerprint = fp;
	a.round = 0;
	assert_int_equal(pdf_application(&a, NULL, &pdf, err, sizeof(err)),
	    -1);
	a.round = 1;
	a.case_no = NULL;
	assert_int_equal(pdf_application(&a, NULL, &pdf, err, sizeof(err)),
	    -1);
	assert_int_equal(pdf.n, 0);
	buf_free(&pdf);
	buf_free(&text);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificate_text),
		cmocka_unit_test(test_certificate_qr),
		cmocka_unit_test(test_certificate_long),
		cmocka_unit_test(test_notice_pages),
		cmocka_unit_test(test_notice_wrap),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_application),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
