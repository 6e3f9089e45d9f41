/*
 * pdf.c: the certificate and the notices as PDF (see pdf.h and
 * docs/documents.md).
 *
 * libharu draws; its UTF-8 encoder makes each character's code its
 * Unicode value (Identity-H), and a TrueType font is embedded as a
 * CIDFontType2 with only the used glyphs' outlines. Two things libharu
 * does not do are done here: refusing characters the font lacks (libharu
 * would draw an empty .notdef box) and writing a ToUnicode map that PDF
 * readers accept (libharu 2.3 writes a CID map there, which poppler warns
 * about and some readers ignore, breaking copy and search).
 *
 * libharu reports errors through a handler; ours records the first one and
 * the drawing goes on (libharu then refuses further work on the document),
 * so the result is checked once before saving.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <qrencode.h>

#include "date.h"
#include "pdf.h"
#include "utf8.h"
#include "util.h"

struct rgb {
	double	 r, g, b;
};

static const struct rgb ink = { 0.12, 0.12, 0.12 };
static const struct rgb grey = { 0.40, 0.40, 0.40 };
static const struct rgb red = { 0.62, 0.10, 0.10 };
static const struct rgb gold = { 0.72, 0.55, 0.22 };
static const struct rgb paper = { 1.00, 0.99, 0.965 };
static const struct rgb black = { 0.0, 0.0, 0.0 };
static const struct rgb white = { 1.0, 1.0, 1.0 };

struct doc {
	HPDF_Doc	 pdf;
	HPDF_Font	 font;
	HPDF_FontDef	 fontdef;
	HPDF_STATUS	 herr;		/* first libharu error, 0 if none */
	HPDF_STATUS	 hdetail;
	uint32_t	 missing;	/* first character without a glyph */
	char		*err;
	size_t		 errlen;
};

/* Field checks (check_field flags). */
#define F_REQUIRED	0x01
#define F_MULTILINE	0x02

static int
fail(char *err, size_t errlen, const char *fmt, ...) ZZ_PRINTF(3, 4);

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Checks one input field: present if required, at most max bytes, valid
 * UTF-8, only characters of the Basic Multilingual Plane, no control
 * characters (a multi-line field may have \n, \r and \t). label names the
 * field in the message.
 */
static int
check_field(const char *label, const char *s, size_t max, int flags,
    char *err, size_t errlen)
{
	size_t		 n, i, len;
	uint32_t	 cp;

	if (s == NULL || s[0] == '\0') {
		if (flags & F_REQUIRED)
			return fail(err, errlen, "%s不能为空", label);
		return 0;
	}
	n = strlen(s);
	if (n > max)
		return fail(err, errlen, "%s过长（%zu 字节，最多 %zu 字节）",
		    label, n, max);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0)
			return fail(err, errlen, "%s不是有效的 UTF-8 文本"
			    "（第 %zu 字节处）", label, i + 1);
		if (cp > 0xffff)
			return fail(err, errlen, "%s含有 PDF 字体无法编码的字符"
			    " U+%04X", label, (unsigned)cp);
		if ((flags & F_MULTILINE) &&
		    (cp == '\n' || cp == '\r' || cp == '\t'))
			continue;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029)
			return fail(err, errlen, "%s含有控制字符 U+%04X",
			    label, (unsigned)cp);
	}
	return 0;
}

/*
 * s as the document can draw it (malloc'd, never NULL): invalid UTF-8
 * bytes become '?'; control characters (but, with multiline, \n and \t;
 * a single line gets a space for a tab) and the invisible formatting
 * characters that reorder or hide text (utf8_forbidden) are dropped;
 * characters beyond the Basic Multilingual Plane, and with fd those the
 * font has no glyph for, become a white square (U+25A1), or '?' when the
 * font lacks that too. A name someone typed never stops a document.
 */
static char *
printable(const char *s, int multiline, HPDF_FontDef fd)
{
	const char *square = "\xe2\x96\xa1";
	struct buf b;
	size_t n, i, len;
	uint32_t cp;
	int fallback_square = fd == NULL ||
	    HPDF_TTFontDef_GetGlyphid(fd, 0x25A1) != 0;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (s == NULL)
		return b.p;
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i,
		    &cp)) == 0) {
			buf_putc(&b, '?');
			len = 1;
			continue;
		}
		if (cp == '\n' || cp == '\r' || cp == '\t') {
			if (multiline)
				buf_add(&b, s + i, len);
			else if (cp == '\t')
				buf_putc(&b, ' ');
			continue;
		}
		if (utf8_forbidden(cp))
			continue;
		if (cp > 0xffff || (fd != NULL && cp >= 0x20 &&
		    HPDF_TTFontDef_GetGlyphid(fd, (HPDF_UINT16)cp) == 0)) {
			if (fallback_square)
				buf_puts(&b, square);
			else
				buf_putc(&b, '?');
			continue;
		}
		buf_add(&b, s + i, len);
	}
	return b.p;
}

/* Checks that the font has a glyph for every character of s. */
static int
check_glyphs(struct doc *d, const char *label, const char *s)
{
	size_t		 n, i, len;
	uint32_t	 cp;

	if (s == NULL)
		return 0;
	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0)
			break;
		if (cp < 0x20)
			continue;
		if (HPDF_TTFontDef_GetGlyphid(d->fontdef,
		    (HPDF_UINT16)cp) == 0)
			return fail(d->err, d->errlen, "%s中的字符“%.*s”"
			    "（U+%04X）在字体中没有字形，无法显示",
			    label, (int)len, s + i, (unsigned)cp);
	}
	return 0;
}

/* "2026-11-27" to "2026年11月27日" (no leading zeros, as GB/T 9704). */
static int
format_date(const char *label, const char *s, char *dst, size_t dstsz,
    char *err, size_t errlen)
{
	zdate	 z;
	int	 y, m, dd;

	if (s == NULL || date_parse(s, &z) != 0)
		return fail(err, errlen, "%s须为有效日期，格式 YYYY-MM-DD",
		    label);
	date_to_ymd(z, &y, &m, &dd);
	snprintf(dst, dstsz, "%d年%d月%d日", y, m, dd);
	return 0;
}

static void
doc_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct doc	*d = arg;

	if (d->herr == 0) {
		d->herr = code;
		d->hdetail = detail;
	}
}

static int
doc_failed(struct doc *d)
{
	if (d->herr != 0)
		return fail(d->err, d->errlen, "生成 PDF 失败（libharu 错误 "
		    "0x%04X，详情 %u）", (unsigned)d->herr,
		    (unsigned)d->hdetail);
	if (d->missing != 0)
		return fail(d->err, d->errlen, "字体缺少字符 U+%04X 的字形",
		    (unsigned)d->missing);
	return 0;
}

/*
 * Replaces the font's ToUnicode stream by an identity map from codes (the
 * UTF-16 values libharu's UTF-8 encoder writes) to Unicode, in the
 * bfrange form the PDF specification asks for.
 */
static void
fix_tounicode(struct doc *d)
{
	HPDF_FontAttr	 attr = (HPDF_FontAttr)d->font->attr;
	HPDF_Dict	 cm = attr->cmap_stream;
	HPDF_Stream	 s;
	char		 line[64];
	unsigned	 hi, left, chunk;

	if (cm == NULL || (s = cm->stream) == NULL)
		return;
	HPDF_MemStream_FreeData(s);
	HPDF_Stream_WriteStr(s,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* Rows 0x00..0xFF less the surrogates 0xD8..0xDF: 248 ranges. */
	hi = 0;
	for (left = 248; left > 0; left -= chunk) {
		chunk = left > 100 ? 100 : left;
		snprintf(line, sizeof(line), "%u beginbfrange\n", chunk);
		HPDF_Stream_WriteStr(s, line);
		for (unsigned k = 0; k < chunk; k++, hi++) {
			if (hi == 0xd8)
				hi = 0xe0;
			snprintf(line, sizeof(line),
			    "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
			HPDF_Stream_WriteStr(s, line);
		}
		HPDF_Stream_WriteStr(s, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(s,
	    "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	HPDF_Dict_AddName(cm, "CMapName", "Adobe-Identity-UCS");
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
doc_open(struct doc *d, const char *font_path, const char *title,
    const char *author, const char *date, char *err, size_t errlen)
{
	const char	*name;
	FILE		*f;
	HPDF_Date	 hd;
	zdate		 z;

	memset(d, 0, sizeof(*d));
	d->err = err;
	d->errlen = errlen;
	if (font_path == NULL || font_path[0] == '\0')
		font_path = PDF_FONT_DEFAULT;
	if ((f = fopen(font_path, "rb")) == NULL)
		return fail(err, errlen, "无法打开字体文件 %s：%s（默认字体由 "
		    "Debian 软件包 fonts-arphic-uming 提供）", font_path,
		    strerror(errno));
	fclose(f);

	if ((d->pdf = HPDF_New(doc_error, d)) == NULL)
		return fail(err, errlen, "无法创建 PDF 文档（内存不足）");
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d->pdf);
	HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
	if (has_suffix(font_path, ".ttc"))
		name = HPDF_LoadTTFontFromFile2(d->pdf, font_path, 0,
		    HPDF_TRUE);
	else
		name = HPDF_LoadTTFontFromFile(d->pdf, font_path, HPDF_TRUE);
	if (name == NULL || d->herr != 0)
		return fail(err, errlen, "无法载入字体 %s（libharu 错误 "
		    "0x%04X；须为 TrueType 轮廓的 .ttf 或 .ttc 字体）",
		    font_path, (unsigned)d->herr);
	d->font = HPDF_GetFont(d->pdf, name, "UTF-8");
	d->fontdef = HPDF_Doc_FindFontDef(d->pdf, name);
	if (d->font == NULL || d->fontdef == NULL || d->herr != 0)
		return fail(err, errlen, "无法使用字体 %s（libharu 错误 "
		    "0x%04X）", font_path, (unsigned)d->herr);
	fix_tounicode(d);

	/* Metadata; the creation date is the document's date, so that
	 * the same input always gives the same bytes. */
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_AUTHOR, author);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "zizhi");
	if (date_parse(date, &z) == 0) {
		memset(&hd, 0, sizeof(hd));
		date_to_ymd(z, &hd.year, &hd.month, &hd.day);
		hd.ind = '+';
		hd.off_hour = 8;
		HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, hd);
	}
	return doc_failed(d);
}

static void
doc_close(struct doc *d)
{
	if (d->pdf != NULL)
		HPDF_Free(d->pdf);
	d->pdf = NULL;
}

/* Writes the document to out; on error out is left alone. */
static int
doc_save(struct doc *d, struct buf *out)
{
	HPDF_UINT32	 size, got, off;
	char		*tmp;

	if (doc_failed(d) != 0)
		return -1;
	if (HPDF_SaveToStream(d->pdf) != HPDF_OK || doc_failed(d) != 0)
		return doc_failed(d) ? -1 :
		    fail(d->err, d->errlen, "生成 PDF 失败");
	size = HPDF_GetStreamSize(d->pdf);
	if (size == 0)
		return fail(d->err, d->errlen, "生成 PDF 失败（空文档）");
	tmp = xmalloc(size);
	for (off = 0; off < size; off += got) {
		got = size - off;
		HPDF_ReadFromStream(d->pdf, (HPDF_BYTE *)tmp + off, &got);
		if (got == 0)
			break;
	}
	if (off != size) {
		free(tmp);
		return fail(d->err, d->errlen, "读取生成的 PDF 失败");
	}
	buf_add(out, tmp, size);
	free(tmp);
	return 0;
}

/*
 * Text measuring and drawing. Widths are in points; the font's glyph
 * widths are in thousandths of the font size.
 */

static double
char_width(struct doc *d, uint32_t cp, double size)
{
	if (d->missing == 0 && cp >= 0x20 &&
	    HPDF_TTFontDef_GetGlyphid(d->fontdef, (HPDF_UINT16)cp) == 0)
		d->missing = cp;
	return HPDF_Font_GetUnicodeWidth(d->font, (HPDF_UNICODE)cp) *
	    size / 1000.0;
}

/* Width of n bytes of s, with cs points of spacing between characters. */
static double
text_width(struct doc *d, const char *s, size_t n, double size, double cs)
{
	double		 w = 0;
	size_t		 i, len;
	uint32_t	 cp;
	int		 count = 0;

	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0)
			break;
		w += char_width(d, cp, size);
		count++;
	}
	if (count > 1)
		w += cs * (count - 1);
	return w;
}

static double
str_width(struct doc *d, const char *s, double size)
{
	return text_width(d, s, strlen(s), size, 0);
}

struct style {
	double			 size;
	const struct rgb	*color;
	int			 bold;		/* stroke the outline too */
	double			 cs;		/* character spacing */
};

static void
draw_text(struct doc *d, HPDF_Page p, double x, double y, const char *s,
    size_t n, const struct style *st)
{
	char	*t = xstrndup(s, n);

	HPDF_Page_SetRGBFill(p, st->color->r, st->color->g, st->color->b);
	if (st->bold) {
		HPDF_Page_SetRGBStroke(p, st->color->r, st->color->g,
		    st->color->b);
		HPDF_Page_SetLineWidth(p, st->size * 0.035);
	}
	HPDF_Page_BeginText(p);
	HPDF_Page_SetFontAndSize(p, d->font, st->size);
	HPDF_Page_SetCharSpace(p, st->cs);
	HPDF_Page_SetTextRenderingMode(p,
	    st->bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
	HPDF_Page_TextOut(p, x, y, t);
	HPDF_Page_SetCharSpace(p, 0);
	HPDF_Page_SetTextRenderingMode(p, HPDF_FILL);
	HPDF_Page_EndText(p);
	free(t);
}

static void
draw_str(struct doc *d, HPDF_Page p, double x, double y, const char *s,
    const struct style *st)
{
	draw_text(d, p, x, y, s, strlen(s), st);
}

static void
draw_centred(struct doc *d, HPDF_Page p, double cx, double y, const char *s,
    size_t n, const struct style *st)
{
	double	 w = text_width(d, s, n, st->size, st->cs);

	draw_text(d, p, cx - w / 2, y, s, n, st);
}

static void
draw_right(struct doc *d, HPDF_Page p, double rx, double y, const char *s,
    const struct style *st)
{
	double	 w = text_width(d, s, strlen(s), st->size, st->cs);

	draw_text(d, p, rx - w, y, s, strlen(s), st);
}

/*
 * Line breaking. Chinese has no spaces: a line may break between any two
 * characters, except before closing punctuation, after opening
 * punctuation, and inside a run of Latin letters, digits and ASCII
 * punctuation (a word, number, code or URL), which breaks only when it
 * does not fit on a line of its own.
 */

static int
cp_in(uint32_t cp, const uint32_t *set, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (set[i] == cp)
			return 1;
	return 0;
}

/* May not start a line. */
static int
no_start(uint32_t cp)
{
	static const uint32_t set[] = {
		0x3001, 0x3002, 0xff0c, 0xff0e, 0xff1a, 0xff1b, 0xff01,
		0xff1f, 0xff09, 0x3011, 0x300b, 0x3009, 0x300d, 0x300f,
		0x3015, 0x3017, 0x201d, 0x2019, 0x2026, 0x00b7, 0x30fb,
		0xff05, 0x2030, 0x2103, 0xff3d, 0xff5d,
		',', '.', ';', ':', '!', '?', ')', ']', '}', '%',
	};

	return cp_in(cp, set, sizeof(set) / sizeof(set[0]));
}

/* May not end a line. */
static int
no_end(uint32_t cp)
{
	static const uint32_t set[] = {
		0xff08, 0x3010, 0x300a, 0x3008, 0x300c, 0x300e, 0x3014,
		0x3016, 0x201c, 0x2018, 0xff3b, 0xff5b,
		'(', '[', '{',
	};

	return cp_in(cp, set, sizeof(set) / sizeof(set[0]));
}

static int
is_word(uint32_t cp)
{
	return cp > 0x20 && cp < 0x7f;
}

static int
break_ok(uint32_t a, uint32_t b)
{
	if (a == ' ' || b == ' ')
		return 1;
	if (is_word(a) && is_word(b))
		return 0;
	return !no_start(b) && !no_end(a);
}

/* Width of the unbreakable run at the start of s. */
static double
run_width(struct doc *d, const char *s, size_t n, double size)
{
	size_t		 i, len;
	uint32_t	 cp, prev = 0;
	double		 w = 0;

	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0)
			break;
		if (i > 0 && break_ok(prev, cp))
			break;
		w += char_width(d, cp, size);
		prev = cp;
	}
	return w;
}

/*
 * The line that starts at s (n bytes, no leading space) and fits in maxw
 * points: returns its length without trailing spaces, and sets *next to
 * where the next line starts. A line has at least one character.
 */
static size_t
fit_line(struct doc *d, const char *s, size_t n, double size, double maxw,
    size_t *next)
{
	size_t		 i, len, brk = 0, end = n;
	uint32_t	 cp, prev = 0;
	double		 w = 0, cw;

	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0) {
			end = i;
			break;
		}
		if (i > 0 && break_ok(prev, cp))
			brk = i;
		cw = char_width(d, cp, size);
		if (i > 0 && cp != ' ' && w + cw > maxw + 0.01) {
			/* Break at the last opportunity, unless what
			 * follows it is too long for a line of its own
			 * anyway: then fill this line. */
			if (brk > 0 && run_width(d, s + brk, n - brk, size) <=
			    maxw)
				end = brk;
			else
				end = i;
			break;
		}
		w += cw;
		prev = cp;
	}
	*next = end;
	while (*next < n && s[*next] == ' ')
		(*next)++;
	while (end > 0 && s[end - 1] == ' ')
		end--;
	return end;
}

/* Number of lines s needs at this size and width. */
static size_t
count_lines(struct doc *d, const char *s, double size, double maxw)
{
	size_t	 n = strlen(s), off = 0, next, lines = 0;

	while (off < n) {
		fit_line(d, s + off, n - off, size, maxw, &next);
		off += next;
		lines++;
	}
	return lines;
}

/*
 * The largest size from max down to min (in steps of 0.5 point) at which
 * s fits on one line of maxw points, or 0.
 */
static double
fit_size(struct doc *d, const char *s, double max, double min, double cs,
    double maxw)
{
	double	 size;

	for (size = max; size >= min; size -= 0.5)
		if (text_width(d, s, strlen(s), size, cs) <= maxw)
			return size;
	return 0;
}

/*
 * Shapes.
 */

static void
fill_rect(HPDF_Page p, double x, double y, double w, double h,
    const struct rgb *c)
{
	HPDF_Page_SetRGBFill(p, c->r, c->g, c->b);
	HPDF_Page_Rectangle(p, x, y, w, h);
	HPDF_Page_Fill(p);
}

static void
stroke_rect(HPDF_Page p, double x, double y, double w, double h,
    double lw, const struct rgb *c)
{
	HPDF_Page_SetRGBStroke(p, c->r, c->g, c->b);
	HPDF_Page_SetLineWidth(p, lw);
	HPDF_Page_Rectangle(p, x, y, w, h);
	HPDF_Page_Stroke(p);
}

static void
hline(HPDF_Page p, double x0, double x1, double y, double lw,
    const struct rgb *c)
{
	HPDF_Page_SetRGBStroke(p, c->r, c->g, c->b);
	HPDF_Page_SetLineWidth(p, lw);
	HPDF_Page_MoveTo(p, x0, y);
	HPDF_Page_LineTo(p, x1, y);
	HPDF_Page_Stroke(p);
}

/* A filled diamond centred on (x, y), r from centre to each point. */
static void
diamond(HPDF_Page p, double x, double y, double r, const struct rgb *c)
{
	HPDF_Page_SetRGBFill(p, c->r, c->g, c->b);
	HPDF_Page_MoveTo(p, x, y + r);
	HPDF_Page_LineTo(p, x + r, y);
	HPDF_Page_LineTo(p, x, y - r);
	HPDF_Page_LineTo(p, x - r, y);
	HPDF_Page_ClosePath(p);
	HPDF_Page_Fill(p);
}

/*
 * A sine wave of amplitude a along the segment (x0,y0)-(x1,y1), with a
 * whole number of half waves of about half points each, phase 0 or 1
 * (starting up or down). Each half wave is one cubic Bezier curve with
 * control points at 4/3 of the amplitude, which matches a sine's slope
 * at the ends and its peak in the middle.
 */
static void
wave(HPDF_Page p, double x0, double y0, double x1, double y1, double a,
    double half, int phase)
{
	double	 dx = x1 - x0, dy = y1 - y0;
	double	 len = sqrt(dx * dx + dy * dy);
	double	 ux = dx / len, uy = dy / len;	/* along */
	double	 nx = -uy, ny = ux;		/* across */
	int	 k, count = (int)(len / half + 0.5);
	double	 h, sgn, t0, t1, c0, c1, ca;

	if (count < 1)
		count = 1;
	h = len / count;
	HPDF_Page_MoveTo(p, x0, y0);
	for (k = 0; k < count; k++) {
		sgn = ((k + phase) % 2 == 0) ? 1.0 : -1.0;
		t0 = k * h;
		t1 = t0 + h;
		c0 = t0 + h * (4.0 / 3.0) / M_PI;
		c1 = t1 - h * (4.0 / 3.0) / M_PI;
		ca = sgn * a * 4.0 / 3.0;
		HPDF_Page_CurveTo(p,
		    x0 + ux * c0 + nx * ca, y0 + uy * c0 + ny * ca,
		    x0 + ux * c1 + nx * ca, y0 + uy * c1 + ny * ca,
		    x0 + ux * t1, y0 + uy * t1);
	}
	HPDF_Page_Stroke(p);
}

/*
 * The QR code for text with its quiet zone (4 modules, white), in a square
 * of side size whose lower left corner is (x, y). Dark modules are drawn
 * as filled rectangles, one per horizontal run.
 */
static int
draw_qr(struct doc *d, HPDF_Page p, double x, double y, double size,
    const char *text)
{
	QRcode	*qr;
	int	 row, col, run, w;
	double	 m;

	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
	if (qr == NULL)
		return fail(d->err, d->errlen, "无法生成二维码：%s",
		    strerror(errno));
	w = qr->width;
	m = size / (w + 8);
	fill_rect(p, x, y, size, size, &white);
	HPDF_Page_SetRGBFill(p, black.r, black.g, black.b);
	for (row = 0; row < w; row++) {
		for (col = 0; col < w; col = run) {
			if (!(qr->data[row * w + col] & 1)) {
				run = col + 1;
				continue;
			}
			for (run = col; run < w &&
			    (qr->data[row * w + run] & 1); run++)
				continue;
			/* Overlap the row below a little, or viewers'
			 * anti-aliasing shows seams between rows. */
			HPDF_Page_Rectangle(p, x + (4 + col) * m,
			    y + size - (4 + row + 1) * m - m * 0.06,
			    (run - col) * m, m * 1.06);
		}
	}
	HPDF_Page_Fill(p);
	QRcode_free(qr);
	return 0;
}

/*
 * The certificate: A4 landscape.
 */

/* Page and frame geometry, in points. */
#define CERT_W		841.89
#define CERT_H		595.28
#define CERT_FRAME	22.0	/* outer frame inset */
#define CERT_BAND	18.0	/* ornamental band inside it */

static void
cert_frame(HPDF_Page p)
{
	double	 o = CERT_FRAME, i = CERT_FRAME + CERT_BAND;
	double	 mid = o + CERT_BAND / 2;
	double	 W = CERT_W, H = CERT_H;
	int	 ph;

	fill_rect(p, 0, 0, W, H, &paper);

	/* Outer frame: a heavy line and a fine one. */
	stroke_rect(p, o, o, W - 2 * o, H - 2 * o, 2.4, &red);
	stroke_rect(p, i, i, W - 2 * i, H - 2 * i, 0.8, &red);
	stroke_rect(p, i + 5, i + 5, W - 2 * (i + 5), H - 2 * (i + 5), 0.4,
	    &gold);

	/* The band: two interlaced sine waves, as on security paper. */
	HPDF_Page_SetRGBStroke(p, gold.r, gold.g, gold.b);
	HPDF_Page_SetLineWidth(p, 0.6);
	for (ph = 0; ph < 2; ph++) {
		wave(p, mid + 9, mid, W - mid - 9, mid, 4.5, 7.5, ph);
		wave(p, mid + 9, H - mid, W - mid - 9, H - mid, 4.5, 7.5, ph);
		wave(p, mid, mid + 9, mid, H - mid - 9, 4.5, 7.5, ph);
		wave(p, W - mid, mid + 9, W - mid, H - mid - 9, 4.5, 7.5,
		    ph);
	}

	/* Corner pieces. */
	{
		const double cx[4] = { mid, W - mid, mid, W - mid };
		const double cy[4] = { mid, mid, H - mid, H - mid };
		int k;

		for (k = 0; k < 4; k++) {
			fill_rect(p, cx[k] - 9, cy[k] - 9, 18, 18, &paper);
			stroke_rect(p, cx[k] - 7, cy[k] - 7, 14, 14, 0.8,
			    &red);
			diamond(p, cx[k], cy[k], 5, &gold);
		}
	}
}

/*
 * A faint rosette behind the text, as on security paper: ellipses turned
 * about the centre.
 */
static void
rosette(HPDF_Page p, double cx, double cy)
{
	static const struct rgb	 faint = { 0.93, 0.88, 0.79 };
	int			 k;
	double			 a;

	HPDF_Page_SetRGBStroke(p, faint.r, faint.g, faint.b);
	HPDF_Page_SetLineWidth(p, 0.5);
	for (k = 0; k < 36; k++) {
		a = k * M_PI / 36;
		HPDF_Page_GSave(p);
		HPDF_Page_Concat(p, cos(a), sin(a), -sin(a), cos(a), cx, cy);
		HPDF_Page_Ellipse(p, 0, 0, 142, 52);
		HPDF_Page_Stroke(p);
		HPDF_Page_GRestore(p);
	}
	HPDF_Page_Circle(p, cx, cy, 147);
	HPDF_Page_Stroke(p);
	HPDF_Page_Circle(p, cx, cy, 151);
	HPDF_Page_Stroke(p);
}

/* A short ornamental rule: two lines and a diamond, centred on cx. */
static void
ornament(HPDF_Page p, double cx, double y, double half)
{
	hline(p, cx - half, cx - 8, y, 0.7, &gold);
	hline(p, cx + 8, cx + half, y, 0.7, &gold);
	diamond(p, cx, y, 4, &red);
	diamond(p, cx - half - 4, y, 2, &gold);
	diamond(p, cx + half + 4, y, 2, &gold);
}

struct field {
	const char	*label;
	const char	*value;
};

static int	 certificate(struct pdf_cert *, const char *,
		    struct buf *, char *, size_t, char **);

int
pdf_certificate(const struct pdf_cert *c, const char *font_path,
    struct buf *out, char *err, size_t errlen)
{
	struct pdf_cert	 text;
	char		*clean[6];
	size_t		 i;
	int		 rc;

	if (c == NULL)
		return fail(err, errlen, "没有证书数据");
	/* Everything drawn as the font can draw it (printable). */
	memset(&text, 0, sizeof(text));
	text.org_name = clean[0] = printable(c->org_name, 0, NULL);
	text.credit_code = clean[1] = printable(c->credit_code, 0, NULL);
	text.category = clean[2] = printable(c->category ? c->category :
	    PDF_CATEGORY_DEFAULT, 0, NULL);
	text.level = clean[3] = printable(c->level ? c->level :
	    PDF_LEVEL_DEFAULT, 0, NULL);
	text.cert_no = clean[4] = printable(c->cert_no, 0, NULL);
	text.issuer = clean[5] = printable(c->issuer ? c->issuer :
	    PDF_ISSUER_DEFAULT, 0, NULL);
	text.issue_date = c->issue_date;
	text.expiry_date = c->expiry_date;
	text.verify_url = c->verify_url;
	rc = certificate(&text, font_path, out, err, errlen, clean);
	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		free(clean[i]);
	return rc;
}

static int
certificate(struct pdf_cert *c, const char *font_path, struct buf *out,
    char *err, size_t errlen, char **clean)
{
	struct doc	 d;
	HPDF_Page	 p;
	char		 issued[32], expires[32];
	const char	*category, *level, *issuer;
	struct style	 st;
	double		 cx = CERT_W / 2, size, y, lw, vw, x0, qx, qy, qs;
	size_t		 lines, n, off, next, i;
	struct field	 fields[5];
	struct buf	 cap;
	int		 rc;

	category = c->category;
	level = c->level;
	issuer = c->issuer;
	if (check_field("单位名称", c->org_name, PDF_FIELD_MAX,
	    F_REQUIRED, err, errlen) ||
	    check_field("统一社会信用代码", c->credit_code, PDF_FIELD_MAX,
	    F_REQUIRED, err, errlen) ||
	    check_field("资质类别", category, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("资质级别", level, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("证书编号", c->cert_no, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("发证机构", issuer, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("验证网址", c->verify_url, PDF_URL_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("发证日期", c->issue_date, PDF_FIELD_MAX,
	    F_REQUIRED, err, errlen) ||
	    check_field("有效期至", c->expiry_date, PDF_FIELD_MAX,
	    F_REQUIRED, err, errlen))
		return -1;
	if (strpbrk(c->verify_url, " \t") != NULL)
		return fail(err, errlen, "验证网址不能含有空白字符");
	if (format_date("发证日期", c->issue_date, issued, sizeof(issued),
	    err, errlen) ||
	    format_date("有效期至", c->expiry_date, expires, sizeof(expires),
	    err, errlen))
		return -1;
	if (strcmp(c->expiry_date, c->issue_date) <= 0)
		return fail(err, errlen, "有效期至须晚于发证日期");

	if (doc_open(&d, font_path, "信息安全服务资质证书", issuer,
	    c->issue_date, err, errlen) != 0) {
		doc_close(&d);
		return -1;
	}
	/* Glyphs the font lacks: the fallback, now the font is known. */
	{
		const char **f[6] = { &c->org_name, &c->credit_code,
		    &c->category, &c->level, &c->cert_no, &c->issuer };
		char *g;

		for (i = 0; i < 6; i++) {
			g = printable(*f[i], 0, d.fontdef);
			free(clean[i]);
			*f[i] = clean[i] = g;
		}
		category = c->category;
		level = c->level;
		issuer = c->issuer;
	}
	if (check_glyphs(&d, "单位名称", c->org_name) ||
	    check_glyphs(&d, "统一社会信用代码", c->credit_code) ||
	    check_glyphs(&d, "资质类别", category) ||
	    check_glyphs(&d, "资质级别", level) ||
	    check_glyphs(&d, "证书编号", c->cert_no) ||
	    check_glyphs(&d, "发证机构", issuer) ||
	    check_glyphs(&d, "验证网址", c->verify_url)) {
		doc_close(&d);
		return -1;
	}

	p = HPDF_AddPage(d.pdf);
	HPDF_Page_SetWidth(p, CERT_W);
	HPDF_Page_SetHeight(p, CERT_H);
	cert_frame(p);
	rosette(p, cx, 300);

	/* Title, its English line, an ornament. */
	st = (struct style){ 34, &red, 1, 8 };
	draw_centred(&d, p, cx, 480, "信息安全服务资质证书",
	    strlen("信息安全服务资质证书"), &st);
	st = (struct style){ 9.5, &grey, 0, 1.6 };
	draw_centred(&d, p, cx, 456,
	    "INFORMATION SECURITY SERVICE QUALIFICATION CERTIFICATE",
	    strlen("INFORMATION SECURITY SERVICE QUALIFICATION "
	    "CERTIFICATE"), &st);
	ornament(p, cx, 440, 120);

	/* The organisation: one line, shrunk if need be, else two. */
	lw = 600;
	st = (struct style){ 26, &ink, 1, 0 };
	if ((size = fit_size(&d, c->org_name, 26, 18, 0, lw)) > 0) {
		st.size = size;
		draw_centred(&d, p, cx, 392, c->org_name,
		    strlen(c->org_name), &st);
	} else {
		for (size = 20; size >= 13; size -= 0.5)
			if (count_lines(&d, c->org_name, size, lw) <= 2)
				break;
		if (size < 13) {
			doc_close(&d);
			return fail(err, errlen, "单位名称过长，证书上排不下");
		}
		st.size = size;
		n = strlen(c->org_name);
		/* Balance the two lines rather than fill the first. */
		vw = str_width(&d, c->org_name, size) / 2 + 2 * size;
		if (vw < lw && count_lines(&d, c->org_name, size, vw) <= 2)
			lw = vw;
		y = 384 + size * 1.35;
		for (off = 0; off < n; off += next) {
			lines = fit_line(&d, c->org_name + off, n - off, size,
			    lw, &next);
			draw_centred(&d, p, cx, y, c->org_name + off, lines,
			    &st);
			y -= size * 1.35;
		}
	}

	/* Credit code and the statement. */
	lw = 600;
	st = (struct style){ 13, &ink, 0, 0.5 };
	{
		struct buf	 b;

		buf_init(&b);
		buf_printf(&b, "统一社会信用代码：%s", c->credit_code);
		if ((st.size = fit_size(&d, b.p, 13, 8, st.cs, lw)) == 0) {
			buf_free(&b);
			doc_close(&d);
			return fail(err, errlen, "统一社会信用代码过长");
		}
		draw_centred(&d, p, cx, 356, b.p, b.n, &st);
		buf_free(&b);
	}
	st = (struct style){ 12.5, &grey, 0, 0.5 };
	draw_centred(&d, p, cx, 322,
	    "经评估审核，该单位符合信息安全服务资质评定要求，特发此证。",
	    strlen("经评估审核，该单位符合信息安全服务资质评定要求，"
	    "特发此证。"), &st);

	/* The fields: labels and values as one block, centred. */
	fields[0] = (struct field){ "资质类别", category };
	fields[1] = (struct field){ "资质级别", level };
	fields[2] = (struct field){ "证书编号", c->cert_no };
	fields[3] = (struct field){ "发证日期", issued };
	fields[4] = (struct field){ "有效期至", expires };
	st = (struct style){ 13.5, &ink, 0, 0.5 };
	lw = text_width(&d, "资质类别：", strlen("资质类别："), st.size,
	    st.cs) + 6;
	vw = 0;
	for (i = 0; i < 5; i++) {
		double	 w = text_width(&d, fields[i].value,
		    strlen(fields[i].value), st.size, st.cs);

		if (w > vw)
			vw = w;
	}
	if (lw + vw > 420) {
		doc_close(&d);
		return fail(err, errlen, "证书编号或资质类别、级别过长，"
		    "证书上排不下");
	}
	x0 = cx - (lw + vw) / 2;
	for (i = 0, y = 286; i < 5; i++, y -= 24.5) {
		struct style	 ls = { st.size, &grey, 0, st.cs };
		struct buf	 b;

		buf_init(&b);
		buf_printf(&b, "%s：", fields[i].label);
		draw_str(&d, p, x0, y, b.p, &ls);
		buf_free(&b);
		draw_str(&d, p, x0 + lw, y, fields[i].value, &st);
	}

	/* The issuer and the date, lower right. */
	st = (struct style){ 17, &ink, 1, 2 };
	if ((st.size = fit_size(&d, issuer, 17, 10, st.cs, 260)) == 0) {
		doc_close(&d);
		return fail(err, errlen, "发证机构名称过长");
	}
	draw_centred(&d, p, 640, 128, issuer, strlen(issuer), &st);
	st = (struct style){ 13, &ink, 0, 0.5 };
	draw_centred(&d, p, 640, 102, issued, strlen(issued), &st);

	/* The QR code, lower left, and the line under it. */
	qs = 96;
	qx = 78;
	qy = 92;
	if (draw_qr(&d, p, qx, qy, qs, c->verify_url) != 0) {
		doc_close(&d);
		return -1;
	}
	stroke_rect(p, qx, qy, qs, qs, 0.5, &gold);
	buf_init(&cap);
	buf_printf(&cap, "扫码或访问 %s 验证证书", c->verify_url);
	st = (struct style){ 8.5, &grey, 0, 0 };
	lw = 330;
	if ((size = fit_size(&d, cap.p, 8.5, 7, 0, lw)) > 0) {
		st.size = size;
		draw_str(&d, p, qx, qy - 14, cap.p, &st);
	} else if (count_lines(&d, cap.p, 7, lw) <= 3) {
		st.size = 7;
		y = qy - 12;
		for (off = 0; off < cap.n; off += next, y -= 9) {
			lines = fit_line(&d, cap.p + off, cap.n - off, 7, lw,
			    &next);
			draw_text(&d, p, qx, y, cap.p + off, lines, &st);
		}
	} else {
		buf_free(&cap);
		doc_close(&d);
		return fail(err, errlen, "验证网址过长，证书上排不下");
	}
	buf_free(&cap);

	rc = doc_save(&d, out);
	doc_close(&d);
	return rc;
}

/*
 * Notices: A4 portrait, GB/T 9704-like margins, as many pages as needed.
 */

#define NOTE_W		595.28
#define NOTE_H		841.89
#define NOTE_LEFT	79.0		/* 28 mm */
#define NOTE_RIGHT	(NOTE_W - 74.0)	/* 26 mm */
#define NOTE_TOP	(NOTE_H - 80.0)
#define NOTE_BOTTOM	80.0
#define NOTE_BODY	15.0		/* body text size */
#define NOTE_LEAD	27.0		/* body line height */

/*
 * Lays out a notice. It runs twice: first without drawing, to count the
 * pages, then drawing, with the page count known for the footers.
 */
struct flow {
	struct doc			*d;
	const struct pdf_notice		*n;
	const char			*date;	/* formatted */
	const char			*issuer;
	HPDF_Page			 page;
	int				 draw;
	int				 pageno;
	int				 npages;
	double				 y;	/* top of the free space */
};

static void
flow_page(struct flow *f)
{
	struct doc	*d = f->d;
	struct style	 st = { 10, &grey, 0, 0 };
	struct buf	 b;

	f->pageno++;
	f->y = f->pageno == 1 ? NOTE_H - 60 : NOTE_TOP;
	if (!f->draw)
		return;
	f->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetWidth(f->page, NOTE_W);
	HPDF_Page_SetHeight(f->page, NOTE_H);
	buf_init(&b);
	buf_printf(&b, "第 %d 页 共 %d 页", f->pageno, f->npages);
	draw_centred(d, f->page, NOTE_W / 2, 44, b.p, b.n, &st);
	if (f->pageno > 1) {
		buf_reset(&b);
		buf_printf(&b, "%s（续）", f->n->title);
		st.size = 9;
		draw_str(d, f->page, NOTE_LEFT, NOTE_H - 56, b.p, &st);
		buf_reset(&b);
		buf_printf(&b, "编号：%s", f->n->number);
		draw_right(d, f->page, NOTE_RIGHT, NOTE_H - 56, b.p, &st);
		hline(f->page, NOTE_LEFT, NOTE_RIGHT, NOTE_H - 62, 0.5,
		    &grey);
	}
	buf_free(&b);
}

/* Makes room for h points, starting a new page if need be. */
static void
flow_room(struct flow *f, double h)
{
	if (f->y - h < NOTE_BOTTOM)
		flow_page(f);
}

/*
 * Labels ("编号：", "收件单位：") take the width of the longest, four
 * characters and the colon, so that the values line up. (Spreading the
 * short labels out would look better but splits them for text search.)
 */
static double
label_width(struct doc *d, double size)
{
	return 5 * char_width(d, 0x4e00, size) + size * 0.3;
}

/*
 * The character spacing that makes a wrapped line fill the width exactly,
 * as Chinese text is set; 0 if the gap is too wide to close that way.
 */
static double
justify(struct doc *d, const char *s, size_t n, double size, double width)
{
	size_t		 i, len, chars = 0;
	uint32_t	 cp;
	double		 gap = width - text_width(d, s, n, size, 0);

	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode((const unsigned char *)s + i, n - i, &cp)) == 0)
			break;
		chars++;
	}
	if (chars < 2 || gap <= 0 || gap > 3 * size)
		return 0;
	return gap / (chars - 1);
}

/*
 * Text from x0 to x0 + width, wrapped; the first line indented by indent.
 * With a label, the label stands on the first line at x0 and every line
 * of the text starts after it.
 */
static void
flow_text(struct flow *f, const char *label, const char *s, size_t n,
    double x0, double width, double indent, const struct style *st,
    double lead)
{
	struct doc	*d = f->d;
	size_t		 off = 0, len, next;
	double		 lw = 0, base;
	int		 first = 1;
	struct style	 ls = *st;

	if (label != NULL) {
		lw = label_width(d, st->size);
		ls.color = &grey;
		ls.bold = 0;
	}
	while (off < n && s[off] == ' ')
		off++;
	while (off < n) {
		len = fit_line(d, s + off, n - off, st->size,
		    width - lw - (first ? indent : 0), &next);
		flow_room(f, lead);
		base = f->y - lead / 2 - st->size * 0.35;
		if (f->draw) {
			struct style	 js = *st;

			if (first && label != NULL)
				draw_str(d, f->page, x0, base, label, &ls);
			if (off + next < n)
				js.cs = justify(d, s + off, len, st->size,
				    width - lw - (first ? indent : 0));
			draw_text(d, f->page, x0 + lw + (first ? indent : 0),
			    base, s + off, len, &js);
		}
		f->y -= lead;
		off += next;
		first = 0;
	}
}

/* Is the line s..e blank (spaces and ideographic spaces only)? */
static int
blank(const char *s, const char *e)
{
	for (; s < e; s++) {
		if (*s == ' ')
			continue;
		if (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 2;
			continue;
		}
		return 0;
	}
	return 1;
}

static void
flow_body(struct flow *f, const char *body)
{
	struct style	 st = { NOTE_BODY, &ink, 0, 0 };
	const char	*s, *e;
	int		 gap = 0;

	for (s = body; *s != '\0'; s = *e ? e + 1 : e) {
		if ((e = strchr(s, '\n')) == NULL)
			e = s + strlen(s);
		if (blank(s, e)) {
			gap = 1;
			continue;
		}
		while (s < e && (*s == ' ' ||
		    (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)))
			s += *s == ' ' ? 1 : 3;
		if (gap && f->y < NOTE_TOP)
			f->y -= NOTE_LEAD / 2;
		gap = 0;
		flow_text(f, NULL, s, (size_t)(e - s), NOTE_LEFT,
		    NOTE_RIGHT - NOTE_LEFT, 2 * NOTE_BODY, &st, NOTE_LEAD);
	}
}

static void
flow_notice(struct flow *f, const char *body)
{
	struct doc		*d = f->d;
	const struct pdf_notice	*n = f->n;
	struct style		 st;
	double			 cx = NOTE_W / 2, w, iw, dw, rx, y;
	struct {
		const char	*label;
		const char	*value;
	} meta[4];
	size_t			 i;

	flow_page(f);

	/* Letterhead: the issuer in red over a red rule. */
	st = (struct style){ 24, &red, 1, 4 };
	if ((st.size = fit_size(d, f->issuer, 24, 12, st.cs,
	    NOTE_RIGHT - NOTE_LEFT)) == 0)
		st.size = 12;
	if (f->draw) {
		draw_centred(d, f->page, cx, f->y - 24,
		    f->issuer, strlen(f->issuer), &st);
		hline(f->page, NOTE_LEFT, NOTE_RIGHT, f->y - 40, 1.8, &red);
		hline(f->page, NOTE_LEFT, NOTE_RIGHT, f->y - 43.5, 0.6, &red);
	}
	f->y -= 80;

	/* Title. */
	st = (struct style){ 22, &ink, 1, 3 };
	if ((st.size = fit_size(d, n->title, 22, 12, st.cs,
	    NOTE_RIGHT - NOTE_LEFT)) == 0)
		st.size = 12;
	if (f->draw)
		draw_centred(d, f->page, cx, f->y, n->title,
		    strlen(n->title), &st);
	f->y -= 30;

	/* Number, date, addressee, case number. */
	meta[0].label = "编号：";
	meta[0].value = n->number;
	meta[1].label = "日期：";
	meta[1].value = f->date;
	meta[2].label = "收件单位：";
	meta[2].value = n->addressee;
	meta[3].label = "案件编号：";
	meta[3].value = n->case_no;
	st = (struct style){ 12, &ink, 0, 0 };
	for (i = 0; i < 4; i++)
		flow_text(f, meta[i].label, meta[i].value,
		    strlen(meta[i].value), NOTE_LEFT, NOTE_RIGHT - NOTE_LEFT,
		    0, &st, 20);
	f->y -= 8;
	if (f->draw)
		hline(f->page, NOTE_LEFT, NOTE_RIGHT, f->y, 0.6, &grey);
	f->y -= 14;

	flow_body(f, body);

	/* The issuer and the date, right, centred on each other. */
	st = (struct style){ NOTE_BODY, &ink, 0, 0 };
	iw = str_width(d, f->issuer, st.size);
	dw = str_width(d, f->date, st.size);
	w = iw > dw ? iw : dw;
	if (w > NOTE_RIGHT - NOTE_LEFT)
		w = NOTE_RIGHT - NOTE_LEFT;
	rx = NOTE_RIGHT - 2 * NOTE_BODY;
	if (rx - w < NOTE_LEFT)
		rx = NOTE_RIGHT;
	flow_room(f, 3 * NOTE_LEAD);
	y = f->y - 1.5 * NOTE_LEAD;
	if (f->draw) {
		draw_centred(d, f->page, rx - w / 2, y, f->issuer,
		    strlen(f->issuer), &st);
		draw_centred(d, f->page, rx - w / 2, y - NOTE_LEAD, f->date,
		    strlen(f->date), &st);
	}
	f->y = y - NOTE_LEAD;
}

/* Has the body nothing but white space? */
static int
blank_body(const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr(" \t\r\n", *s) != NULL)
			continue;
		if (strncmp(s, "\xe3\x80\x80", 3) == 0) {
			s += 2;
			continue;
		}
		return 0;
	}
	return 1;
}

/* The body with \r\n and \r as \n and tabs as spaces. */
static char *
normalise_body(const char *s)
{
	char	*t = xmalloc(strlen(s) + 1), *q = t;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			*q++ = '\n';
			if (s[1] == '\n')
				s++;
		} else if (*s == '\t')
			*q++ = ' ';
		else
			*q++ = *s;
	}
	*q = '\0';
	return t;
}

static int	 notice(struct pdf_notice *, const char *, struct buf *,
		    char *, size_t, char **);

int
pdf_notice(const struct pdf_notice *n, const char *font_path,
    struct buf *out, char *err, size_t errlen)
{
	struct pdf_notice text;
	char		*clean[6];
	size_t		 i;
	int		 rc;

	if (n == NULL)
		return fail(err, errlen, "没有告知书数据");
	/* Everything drawn as the font can draw it (printable). */
	memset(&text, 0, sizeof(text));
	text.title = clean[0] = printable(n->title, 0, NULL);
	text.number = clean[1] = printable(n->number, 0, NULL);
	text.addressee = clean[2] = printable(n->addressee, 0, NULL);
	text.case_no = clean[3] = printable(n->case_no, 0, NULL);
	text.body = clean[4] = printable(n->body, 1, NULL);
	text.issuer = clean[5] = printable(n->issuer ? n->issuer :
	    PDF_ISSUER_DEFAULT, 0, NULL);
	text.date = n->date;
	rc = notice(&text, font_path, out, err, errlen, clean);
	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		free(clean[i]);
	return rc;
}

static int
notice(struct pdf_notice *n, const char *font_path, struct buf *out,
    char *err, size_t errlen, char **clean)
{
	struct doc	 d;
	struct flow	 f;
	char		 date[32], *body, *g;
	const char	*issuer, **fld[6];
	size_t		 i;
	int		 rc;

	issuer = n->issuer;
	if (check_field("标题", n->title, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("编号", n->number, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("日期", n->date, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("收件单位", n->addressee, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("案件编号", n->case_no, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("正文", n->body, PDF_BODY_MAX,
	    F_REQUIRED | F_MULTILINE, err, errlen) ||
	    check_field("发文机构", issuer, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen))
		return -1;
	if (format_date("日期", n->date, date, sizeof(date), err, errlen))
		return -1;
	if (blank_body(n->body))
		return fail(err, errlen, "正文不能为空");

	if (doc_open(&d, font_path, n->title, issuer, n->date, err,
	    errlen) != 0) {
		doc_close(&d);
		return -1;
	}
	/* Glyphs the font lacks: the fallback, now the font is known. */
	fld[0] = &n->title;
	fld[1] = &n->number;
	fld[2] = &n->addressee;
	fld[3] = &n->case_no;
	fld[4] = &n->body;
	fld[5] = &n->issuer;
	for (i = 0; i < 6; i++) {
		g = printable(*fld[i], i == 4, d.fontdef);
		free(clean[i]);
		*fld[i] = clean[i] = g;
	}
	issuer = n->issuer;
	if (check_glyphs(&d, "标题", n->title) ||
	    check_glyphs(&d, "编号", n->number) ||
	    check_glyphs(&d, "收件单位", n->addressee) ||
	    check_glyphs(&d, "案件编号", n->case_no) ||
	    check_glyphs(&d, "正文", n->body) ||
	    check_glyphs(&d, "发文机构", issuer)) {
		doc_close(&d);
		return -1;
	}
	if (fit_size(&d, n->title, 22, 12, 3, NOTE_RIGHT - NOTE_LEFT) == 0) {
		doc_close(&d);
		return fail(err, errlen, "标题过长，一行排不下");
	}
	if (fit_size(&d, issuer, 24, 12, 4, NOTE_RIGHT - NOTE_LEFT) == 0) {
		doc_close(&d);
		return fail(err, errlen, "发文机构名称过长，一行排不下");
	}
	body = normalise_body(n->body);

	memset(&f, 0, sizeof(f));
	f.d = &d;
	f.n = n;
	f.date = date;
	f.issuer = issuer;
	flow_notice(&f, body);
	f.npages = f.pageno;
	f.pageno = 0;
	f.draw = 1;
	flow_notice(&f, body);
	free(body);

	rc = doc_save(&d, out);
	doc_close(&d);
	return rc;
}

/*
 * The 申请书 of a round: A4 portrait, the notices' margins and flow.
 */

#define APP_TITLE	"信息安全服务资质申请书"
#define APP_SUBTITLE	"（安全工程类二级）"
#define APP_TEXT	11.0	/* field lines */
#define APP_LEAD	18.0
#define APP_QR		92.0	/* the QR code's side */

/* s as the font can draw it, laid out as one paragraph; first-line
 * indent, style and leading as flow_text. */
static void
app_para(struct flow *f, const char *label, const char *s, double indent,
    double width, const struct style *st, double lead)
{
	char	*t = printable(s, 0, f->d->fontdef);

	flow_text(f, label, t, strlen(t), NOTE_LEFT, width, indent, st, lead);
	free(t);
}

static void
app_heading(struct flow *f, const char *s)
{
	struct style	 st = { 14, &ink, 1, 0.5 };
	char		*t = printable(s, 0, f->d->fontdef);

	flow_room(f, 3 * APP_LEAD);
	f->y -= 10;
	if (f->draw)
		draw_str(f->d, f->page, NOTE_LEFT, f->y - 14, t, &st);
	f->y -= 24;
	free(t);
}

static int
flow_application(struct flow *f, const struct pdf_application *a,
    const char *date)
{
	struct doc	*d = f->d;
	struct style	 st;
	struct buf	 b, fp;
	const char	*labels[4];
	const char	*values[4];
	double		 top, width, qx, qy;
	size_t		 i, k;
	int		 rc = 0;

	flow_page(f);
	buf_init(&b);
	buf_init(&fp);

	/* The title. */
	st = (struct style){ 22, &ink, 1, 2 };
	if (f->draw)
		draw_centred(d, f->page, NOTE_W / 2, f->y - 22, APP_TITLE,
		    strlen(APP_TITLE), &st);
	st = (struct style){ 14, &ink, 0, 1 };
	if (f->draw)
		draw_centred(d, f->page, NOTE_W / 2, f->y - 46, APP_SUBTITLE,
		    strlen(APP_SUBTITLE), &st);
	f->y -= 70;

	/* The facts, beside the QR code. */
	top = f->y;
	width = NOTE_RIGHT - NOTE_LEFT - APP_QR - 12;
	buf_printf(&b, "第 %d 轮（%s 正式提交）", a->round, date);
	labels[0] = "申请单位：";
	values[0] = a->org_name;
	labels[1] = "案件编号：";
	values[1] = a->case_no;
	labels[2] = "提交轮次：";
	values[2] = b.p;
	/* The fingerprint in groups of eight, as the review page shows
	 * it, so that a person can compare the two. */
	labels[3] = "核对指纹：";
	for (k = 0; k < 64; k += 8)
		buf_printf(&fp, "%s%.8s", k ? " " : "", a->fingerprint + k);
	values[3] = fp.p;
	st = (struct style){ 11, &ink, 0, 0 };
	for (i = 0; i < 4; i++)
		app_para(f, labels[i], values[i], 0, width, &st, 19);
	buf_free(&fp);
	qx = NOTE_RIGHT - APP_QR;
	qy = top - APP_QR;
	if (f->draw) {
		rc = draw_qr(d, f->page, qx, qy, APP_QR, a->qr_url);
		st = (struct style){ 7.5, &grey, 0, 0 };
		draw_centred(d, f->page, qx + APP_QR / 2, qy - 10,
		    "工作人员扫码核对电子版", strlen("工作人员扫码核对电子版"),
		    &st);
	}
	if (f->y > qy - 16)
		f->y = qy - 16;

	/* What to do with it. */
	buf_reset(&b);
	buf_printf(&b, "本申请书由系统根据第 %d 轮提交的电子版生成，内容与电子版"
	    "一致；核对指纹是该轮全部填报内容和材料文件的 SHA-256 摘要，供测评"
	    "中心核对。请打印后加盖申请单位公章、装订成册，连同刻录全部材料的光盘，"
	    "以快递方式寄送测评中心（《申请与维持指南》第四章、5.2）。",
	    a->round);
	st = (struct style){ 10, &grey, 0, 0 };
	app_para(f, NULL, b.p, 20, NOTE_RIGHT - NOTE_LEFT, &st, 16);
	f->y -= 6;
	if (f->draw)
		hline(f->page, NOTE_LEFT, NOTE_RIGHT, f->y, 0.6, &grey);
	f->y -= 4;

	/* Every section. */
	st = (struct style){ APP_TEXT, &ink, 0, 0 };
	for (i = 0; i < a->nsections; i++) {
		app_heading(f, a->sections[i].heading);
		if (a->sections[i].nlines == 0) {
			struct style	 g = { APP_TEXT, &grey, 0, 0 };

			app_para(f, NULL, "（未填写）", 0, NOTE_RIGHT -
			    NOTE_LEFT, &g, APP_LEAD);
			continue;
		}
		for (k = 0; k < a->sections[i].nlines; k++) {
			buf_reset(&b);
			buf_printf(&b, "%s：%s", a->sections[i].lines[k].label,
			    a->sections[i].lines[k].value);
			app_para(f, NULL, b.p, 0, NOTE_RIGHT - NOTE_LEFT, &st,
			    APP_LEAD);
		}
	}

	/* The materials, each with its SHA-256. */
	app_heading(f, "材料清单（文件及其 SHA-256）");
	if (a->nfiles == 0)
		app_para(f, NULL, "（无）", 0, NOTE_RIGHT - NOTE_LEFT, &st,
		    APP_LEAD);
	for (i = 0; i < a->nfiles; i++) {
		struct style	 h = { 9, &grey, 0, 0 };

		flow_room(f, APP_LEAD + 14);
		buf_reset(&b);
		buf_printf(&b, "%zu. %s：%s（%lld 字节）", i + 1,
		    a->files[i].label, a->files[i].filename,
		    a->files[i].size);
		app_para(f, NULL, b.p, 0, NOTE_RIGHT - NOTE_LEFT, &st,
		    APP_LEAD);
		buf_reset(&b);
		buf_printf(&b, "SHA-256：%s", a->files[i].sha256);
		app_para(f, NULL, b.p, 14, NOTE_RIGHT - NOTE_LEFT, &h, 14);
	}

	/* The seal, the signature, the date. */
	flow_room(f, 5 * NOTE_LEAD);
	f->y -= NOTE_LEAD;
	st = (struct style){ 12, &ink, 0, 0 };
	if (f->draw) {
		draw_str(d, f->page, NOTE_W / 2 - 20, f->y - 12,
		    "申请单位（盖章）：", &st);
		draw_str(d, f->page, NOTE_W / 2 - 20, f->y - 12 - NOTE_LEAD,
		    "法定代表人（签字）：", &st);
		draw_str(d, f->page, NOTE_W / 2 - 20, f->y - 12 -
		    2 * NOTE_LEAD, "日期：　　　　年　　月　　日", &st);
	}
	f->y -= 3 * NOTE_LEAD;
	buf_free(&b);
	return rc;
}

static int
check_application(const struct pdf_application *a, char *err, size_t errlen)
{
	size_t	 i;

	if (a == NULL)
		return fail(err, errlen, "没有申请书数据");
	/* What someone typed is drawn as the font can (printable), so it
	 * needs only to be there and not too long. */
	if (a->org_name == NULL || *a->org_name == '\0' ||
	    strlen(a->org_name) > PDF_FIELD_MAX)
		return fail(err, errlen, "申请单位不能为空，且不超过 %d 字节",
		    PDF_FIELD_MAX);
	if (a->case_no == NULL || *a->case_no == '\0' ||
	    strlen(a->case_no) > PDF_FIELD_MAX)
		return fail(err, errlen, "案件编号不能为空，且不超过 %d 字节",
		    PDF_FIELD_MAX);
	if (check_field("提交日期", a->submitted, PDF_FIELD_MAX, F_REQUIRED,
	    err, errlen) ||
	    check_field("二维码网址", a->qr_url, PDF_URL_MAX, F_REQUIRED,
	    err, errlen))
		return -1;
	if (a->round < 1)
		return fail(err, errlen, "提交轮次须为正数");
	if (a->fingerprint == NULL || strlen(a->fingerprint) != 64 ||
	    strspn(a->fingerprint, "0123456789abcdef") != 64)
		return fail(err, errlen, "电子版指纹须为 64 位十六进制数");
	for (i = 0; i < a->nfiles; i++)
		if (a->files[i].sha256 == NULL ||
		    strlen(a->files[i].sha256) != 64)
			return fail(err, errlen, "第 %zu 个材料的 SHA-256 不正确",
			    i + 1);
	return 0;
}

int
pdf_application(const struct pdf_application *a, const char *font_path,
    struct buf *out, char *err, size_t errlen)
{
	struct pdf_notice	 head;
	struct doc		 d;
	struct flow		 f;
	struct buf		 no;
	char			 date[32], *org;
	int			 rc;

	if (check_application(a, err, errlen) != 0)
		return -1;
	if (format_date("提交日期", a->submitted, date, sizeof(date), err,
	    errlen))
		return -1;
	if (doc_open(&d, font_path, APP_TITLE, a->org_name, a->submitted,
	    err, errlen) != 0) {
		doc_close(&d);
		return -1;
	}
	/* The continuation header of every page after the first. */
	buf_init(&no);
	org = printable(a->case_no, 0, d.fontdef);
	buf_printf(&no, "%s 第 %d 轮", org, a->round);
	free(org);
	memset(&head, 0, sizeof(head));
	head.title = APP_TITLE;
	head.number = no.p;

	memset(&f, 0, sizeof(f));
	f.d = &d;
	f.n = &head;
	f.date = date;
	f.issuer = PDF_ISSUER_DEFAULT;
	rc = flow_application(&f, a, date);
	f.npages = f.pageno;
	f.pageno = 0;
	f.draw = 1;
	if (rc == 0)
		rc = flow_application(&f, a, date);
	if (rc == 0)
		rc = doc_save(&d, out);
	doc_close(&d);
	buf_free(&no);
	return rc;
}
