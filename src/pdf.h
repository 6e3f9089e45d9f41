/*
 * pdf.h: the certificate, the notices and the 申请书 as PDF documents.
 *
 * Documents are drawn with libharu (libhpdf) and a TrueType CJK font that
 * is embedded (only the glyphs used) in every file, so a PDF shows the same
 * on any reader. The QR code on the certificate comes from libqrencode.
 * docs/documents.md tells why these were chosen and how to change the font.
 *
 * All text is UTF-8. Text that is not valid UTF-8, that has control
 * characters (other than line breaks in a notice body), characters
 * outside the Basic Multilingual Plane (libharu cannot encode them), or
 * characters the font has no glyph for is refused with an error: a
 * document never shows garbage or blank boxes.
 *
 * Dates are given as "YYYY-MM-DD" and shown as "2026年11月27日".
 *
 * Each function appends the PDF to out and returns 0, or returns -1 with a
 * message (Chinese, for the log or the user) in err and out unchanged.
 * They do no other I/O than reading the font file, and keep no state.
 */
#ifndef ZIZHI_PDF_H
#define ZIZHI_PDF_H

#include <stddef.h>

struct buf;

/* The font used when font_path is NULL or "" (package fonts-arphic-uming). */
#define PDF_FONT_DEFAULT	"/usr/share/fonts/truetype/arphic/uming.ttc"

/* Defaults for fields left NULL. */
#define PDF_ISSUER_DEFAULT	"中国信息安全测评中心"
#define PDF_CATEGORY_DEFAULT	"安全工程类"
#define PDF_LEVEL_DEFAULT	"二级"

/* Upper bounds on the input, in bytes. */
#define PDF_FIELD_MAX	512		/* any one-line field */
#define PDF_URL_MAX	512		/* the verification URL */
#define PDF_BODY_MAX	(256 * 1024)	/* a notice body */

/*
 * The certificate (A4 landscape). Required: org_name, credit_code,
 * cert_no, issue_date, expiry_date, verify_url. NULL category, level or
 * issuer take the defaults above.
 */
struct pdf_cert {
	const char	*org_name;	/* 单位名称 */
	const char	*credit_code;	/* 统一社会信用代码 */
	const char	*category;	/* 资质类别 */
	const char	*level;		/* 资质级别 */
	const char	*cert_no;	/* 证书编号 */
	const char	*issue_date;	/* 发证日期, YYYY-MM-DD */
	const char	*expiry_date;	/* 有效期至, YYYY-MM-DD */
	const char	*verify_url;	/* encoded in the QR code */
	const char	*issuer;	/* 发证机构 */
};

/*
 * A notice (A4 portrait, as many pages as the body needs, each numbered
 * "第 1 页 共 N 页"). Required: title, number, date, addressee, case_no,
 * body; NULL issuer takes the default.
 *
 * The body is plain text: paragraphs are separated by blank lines, a
 * single line break is kept as a line break, each line starts with a
 * two-character indent (leading spaces are dropped), and lines longer than
 * the text width are wrapped by measured character width (with Chinese
 * line-breaking rules: no closing punctuation at the start of a line, no
 * opening punctuation at its end, Latin words and numbers kept whole when
 * they fit). "\r\n" counts as "\n"; a tab counts as a space.
 */
struct pdf_notice {
	const char	*title;		/* e.g. 补正告知书 */
	const char	*number;	/* 编号 */
	const char	*date;		/* YYYY-MM-DD */
	const char	*addressee;	/* 收件单位 */
	const char	*case_no;	/* 案件编号 */
	const char	*body;
	const char	*issuer;	/* 发文机构 */
};

/*
 * The 申请书 of one frozen round, to print, seal, bind and send by
 * courier (§4): A4 portrait, as many pages as it needs, each numbered and
 * naming the case and round. The first page has the title, the
 * organisation, the case number, the round and its day, the round's
 * fingerprint (a SHA-256 of its values and files, to check the paper
 * against the electronic round) and a QR code of qr_url for the centre's
 * staff; then every section in the form's order with its lines, the
 * materials with their SHA-256, and the places for the seal, the
 * signature and the date. Required: org_name, case_no, round >= 1,
 * submitted, fingerprint, qr_url. User text is drawn as the font can
 * draw it: a character it lacks becomes a white square, never an error.
 */
struct pdf_line {
	const char	*label;
	const char	*value;
};

struct pdf_section {
	const char		*heading;	/* "一、申请单位基本情况" */
	const struct pdf_line	*lines;
	size_t			 nlines;
};

struct pdf_file {
	const char	*label;		/* the material, e.g. "审计报告（第 1 行）" */
	const char	*filename;
	long long	 size;		/* bytes */
	const char	*sha256;	/* 64 hex digits */
};

struct pdf_application {
	const char			*org_name;
	const char			*case_no;
	int				 round;
	const char			*submitted;	/* YYYY-MM-DD */
	const char			*fingerprint;	/* 64 hex digits */
	const char			*qr_url;	/* for the centre's staff */
	const struct pdf_section	*sections;
	size_t				 nsections;
	const struct pdf_file		*files;
	size_t				 nfiles;
};

/*
 * font_path: a TrueType font (.ttf) or collection (.ttc, first face) with
 * TrueType outlines; NULL or "" means PDF_FONT_DEFAULT.
 */
int	 pdf_certificate(const struct pdf_cert *c, const char *font_path,
	    struct buf *out, char *err, size_t errlen);
int	 pdf_notice(const struct pdf_notice *n, const char *font_path,
	    struct buf *out, char *err, size_t errlen);
int	 pdf_application(const struct pdf_application *a,
	    const char *font_path, struct buf *out, char *err, size_t errlen);

#endif
