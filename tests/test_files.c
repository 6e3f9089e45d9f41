/*
 * test_files.c: uploaded files (src/files.c): type by content, upload
 * checks and their messages, durable content-addressed storage (including
 * corruption and failure clean-up), file names and Content-Disposition.
 *
 * The JPEG and PNG below are real, decodable 1x1 images (checked with
 * libjpeg and libpng when this test was written); the PDF is a minimal
 * document.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "files.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Sample files ------------------------------------------------ */

static const char pdf_text[] =
    "%PDF-1.4\n"
    "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 3 3]>> endobj\n"
    "trailer <</Root 1 0 R>>\n"
    "%%EOF\n";

/* 1x1 RGB red PNG: signature, IHDR, IDAT (zlib), IEND. */
static const unsigned char png_1x1[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
	0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde,
	0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54,
	0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00,
	0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
	0xae, 0x42, 0x60, 0x82
};

/*
 * Builds a 1x1 greyscale baseline JPEG into out (at least 256 bytes):
 * SOI, DQT (all ones), SOF0, DHT DC and AC tables with one 1-bit code
 * each, SOS, two bits of entropy-coded data (DC diff 0, EOB), EOI.
 */
static size_t
make_jpeg(unsigned char *out)
{
	static const unsigned char soi[] = { 0xFF, 0xD8 };
	static const unsigned char dqt_head[] = { 0xFF, 0xDB, 0x00, 0x43, 0x00 };
	static const unsigned char sof[] = {
		0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01,
		0x01, 0x01, 0x11, 0x00
	};
	static const unsigned char sos[] = {
		0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,
		0x3F, 0xFF, 0xD9
	};
	unsigned char dht[22];
	size_t n = 0;
	int tc;

	memcpy(out + n, soi, sizeof(soi));
	n += sizeof(soi);
	memcpy(out + n, dqt_head, sizeof(dqt_head));
	n += sizeof(dqt_head);
	memset(out + n, 0x01, 64);
	n += 64;
	memcpy(out + n, sof, sizeof(sof));
	n += sizeof(sof);
	for (tc = 0; tc < 2; tc++) {
		memset(dht, 0, sizeof(dht));
		dht[0] = 0xFF;
		dht[1] = 0xC4;
		dht[3] = 0x14;
		dht[4] = (unsigned char)(tc << 4);
		dht[5] = 1;		/* one code of length 1 */
		dht[21] = 0x00;		/* symbol: DC category 0 / AC EOB */
		memcpy(out + n, dht, sizeof(dht));
		n += sizeof(dht);
	}
	memcpy(out + n, sos, sizeof(sos));
	n += sizeof(sos);
	return n;
}

/* ---- Sniffing ---------------------------------------------------- */

struct sample {
	const char		*what;
	unsigned char		 data[2048];
	size_t			 len;
	enum files_kind		 want;
};

static void
set(struct sample *s, const char *what, const void *p, size_t n,
    enum files_kind want)
{
	assert_true(n <= sizeof(s->data));
	s->what = what;
	memcpy(s->data, p, n);
	s->len = n;
	s->want = want;
}

static void
test_sniff(void **state)
{
	static struct sample t[32];
	unsigned char jpg[256], buf[2048];
	size_t jn, pn = strlen(pdf_text), n = 0, i;

	jn = make_jpeg(jpg);

	set(&t[n++], "pdf", pdf_text, pn, FILES_PDF);
	memcpy(buf, "%PDF-2.0\n", 9);
	memcpy(buf + 9, "%%EOF", 5);
	set(&t[n++], "pdf 2.0, smallest", buf, 14, FILES_PDF);
	set(&t[n++], "pdf truncated (no %%EOF)", pdf_text, pn - 7, FILES_UNKNOWN);
	memcpy(buf, pdf_text, pn);
	memset(buf + pn, ' ', 1100);
	set(&t[n++], "pdf, %%EOF beyond last 1024 bytes", buf, pn + 1100,
	    FILES_UNKNOWN);
	memset(buf + pn, ' ', 1000);
	set(&t[n++], "pdf, %%EOF within last 1024 bytes", buf, pn + 1000,
	    FILES_PDF);
	memcpy(buf, pdf_text, pn);
	buf[5] = '3';
	set(&t[n++], "pdf version 3", buf, pn, FILES_UNKNOWN);
	memcpy(buf, "%PDF-%%EOF", 10);
	set(&t[n++], "pdf header overlapping %%EOF", buf, 10, FILES_UNKNOWN);

	set(&t[n++], "jpeg", jpg, jn, FILES_JPEG);
	memcpy(buf, jpg, jn);
	memset(buf + jn, 0, 16);
	set(&t[n++], "jpeg + 16 zero bytes", buf, jn + 16, FILES_JPEG);
	memset(buf + jn, 0, 17);
	set(&t[n++], "jpeg + 17 zero bytes", buf, jn + 17, FILES_UNKNOWN);
	set(&t[n++], "jpeg without EOI", jpg, jn - 2, FILES_UNKNOWN);
	memcpy(buf, "\xFF\xD8\xFF\xE0hello world\xFF\xD9", 17);
	set(&t[n++], "jpeg magic and EOI around junk", buf, 17, FILES_UNKNOWN);
	memcpy(buf, jpg, jn);
	buf[71 + 3] = 0xFF;	/* SOF0 (at 71) length 0x00FF: past the end */
	set(&t[n++], "jpeg with a segment past the end", buf, jn,
	    FILES_UNKNOWN);
	memcpy(buf, jpg, 71);
	memcpy(buf + 71, jpg + 71 + 13, jn - 71 - 13);
	set(&t[n++], "jpeg without a frame header", buf, jn - 13,
	    FILES_UNKNOWN);

	set(&t[n++], "png", png_1x1, sizeof(png_1x1), FILES_PNG);
	set(&t[n++], "png without IEND", png_1x1, sizeof(png_1x1) - 12,
	    FILES_UNKNOWN);
	memcpy(buf, png_1x1, sizeof(png_1x1));
	buf[sizeof(png_1x1)] = 0;
	set(&t[n++], "png with a byte after IEND", buf, sizeof(png_1x1) + 1,
	    FILES_UNKNOWN);
	memcpy(buf, png_1x1, sizeof(png_1x1));
	buf[30] ^= 1;
	set(&t[n++], "png with a bad IHDR CRC", buf, sizeof(png_1x1),
	    FILES_UNKNOWN);
	memcpy(buf, png_1x1, sizeof(png_1x1));
	buf[11] = 12;
	set(&t[n++], "png with IHDR length 12", buf, sizeof(png_1x1),
	    FILES_UNKNOWN);
	memcpy(buf, png_1x1, 33);
	memcpy(buf + 33, png_1x1 + 57, 12);
	set(&t[n++], "png without IDAT", buf, 45, FILES_UNKNOWN);
	memcpy(buf, png_1x1, sizeof(png_1x1));
	buf[33] = 0x7F;	/* IDAT length 0x7F00000C */
	set(&t[n++], "png with a chunk past the end", buf, sizeof(png_1x1),
	    FILES_UNKNOWN);

	set(&t[n++], "plain text", "hello, 资质\n", 14, FILES_UNKNOWN);
	set(&t[n++], "empty", "", 0, FILES_UNKNOWN);
	set(&t[n++], "pdf magic only", "%PDF-1.7", 8, FILES_UNKNOWN);
	set(&t[n++], "jpeg magic only", "\xFF\xD8\xFF", 3, FILES_UNKNOWN);
	set(&t[n++], "png signature only", png_1x1, 8, FILES_UNKNOWN);
	assert_true(n <= NELEM(t));

	for (i = 0; i < n; i++)
		if (files_sniff(t[i].data, t[i].len) != t[i].want)
			fail_msg("sniff(%s) = %d, want %d", t[i].what,
			    files_sniff(t[i].data, t[i].len), t[i].want);

	/* Every proper prefix of the JPEG and the PNG is refused. */
	for (i = 0; i < jn; i++) {
		memcpy(buf, jpg, i);
		if (files_sniff(buf, i) != FILES_UNKNOWN)
			fail_msg("jpeg prefix of %zu bytes accepted", i);
	}
	for (i = 0; i < sizeof(png_1x1); i++) {
		memcpy(buf, png_1x1, i);
		if (files_sniff(buf, i) != FILES_UNKNOWN)
			fail_msg("png prefix of %zu bytes accepted", i);
	}
	/* A PDF prefix that ends before its %%EOF is refused. */
	for (i = 0; i < pn - 6; i++) {
		memcpy(buf, pdf_text, i);
		if (files_sniff(buf, i) != FILES_UNKNOWN)
			fail_msg("pdf prefix of %zu bytes accepted", i);
	}
	assert_int_equal(files_sniff(NULL, 0), FILES_UNKNOWN);
}

static void
test_kinds(void **state)
{
	static const struct {
		enum files_kind	 k;
		const char	*mime, *name, *label, *ext;
	} t[] = {
		{ FILES_PDF, "application/pdf", "PDF 文档", "PDF", ".pdf" },
		{ FILES_JPEG, "image/jpeg", "JPEG 图片", "JPEG", ".jpg" },
		{ FILES_PNG, "image/png", "PNG 图片", "PNG", ".png" },
		{ FILES_UNKNOWN, "application/octet-stream", "未知类型的文件",
		    "", "" },
	};
	static const struct {
		const char	*name;
		enum files_kind	 k;
	} n[] = {
		{ "a.pdf", FILES_PDF }, { "A.PDF", FILES_PDF },
		{ "x.tar.Pdf", FILES_PDF }, { "a.jpg", FILES_JPEG },
		{ "a.JPEG", FILES_JPEG }, { "a.png", FILES_PNG },
		{ "a.pdf.exe", FILES_UNKNOWN }, { "pdf", FILES_UNKNOWN },
		{ "a.pdfx", FILES_UNKNOWN }, { "a.", FILES_UNKNOWN },
		{ "", FILES_UNKNOWN }, { "a.jp", FILES_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		assert_string_equal(files_mime(t[i].k), t[i].mime);
		assert_string_equal(files_kind_name(t[i].k), t[i].name);
		assert_string_equal(files_kind_label(t[i].k), t[i].label);
		assert_string_equal(files_kind_ext(t[i].k), t[i].ext);
	}
	for (i = 0; i < NELEM(n); i++)
		if (files_kind_from_name(n[i].name) != n[i].k)
			fail_msg("kind_from_name(%s) = %d, want %d", n[i].name,
			    files_kind_from_name(n[i].name), n[i].k);
	assert_int_equal(files_kind_from_name(NULL), FILES_UNKNOWN);
}

/* ---- Upload check ------------------------------------------------ */

static void
test_check(void **state)
{
	unsigned char jpg[256];
	size_t jn = make_jpeg(jpg), pn = strlen(pdf_text), i;
	struct {
		const char		*name;
		const void		*data;
		size_t			 len;
		unsigned		 allowed;
		enum files_kind		 want;	/* FILES_UNKNOWN: refused */
		const char		*msg;	/* exact message, or NULL */
		const char		*part;	/* part of the message */
	} t[] = {
		{ "资质申请书.pdf", pdf_text, pn, FILES_ANY, FILES_PDF,
		    NULL, NULL },
		{ "scan.JPG", jpg, jn, FILES_ANY, FILES_JPEG, NULL, NULL },
		{ "scan.jpeg", jpg, jn, FILES_JPEG, FILES_JPEG, NULL, NULL },
		{ "seal.png", png_1x1, sizeof(png_1x1), 0, FILES_PNG,
		    NULL, NULL },
		{ "x.pdf", "just some text\n", 15, FILES_ANY, FILES_UNKNOWN,
		    "文件“x.pdf”不是有效的 PDF 文件（内容与扩展名不符），"
		    "请上传 PDF、JPEG 或 PNG 格式的文件。", NULL },
		{ "photo.pdf", png_1x1, sizeof(png_1x1), FILES_ANY,
		    FILES_UNKNOWN,
		    "文件“photo.pdf”不是有效的 PDF 文件（内容是 PNG 图片，"
		    "与扩展名不符），请上传 PDF、JPEG 或 PNG 格式的文件。", NULL },
		{ "photo.jpg", png_1x1, sizeof(png_1x1), FILES_ANY,
		    FILES_UNKNOWN, NULL, "（内容是 PNG 图片，与扩展名不符）" },
		{ "half.pdf", pdf_text, pn - 7, FILES_ANY, FILES_UNKNOWN,
		    NULL, "“half.pdf”不是有效的 PDF 文件（内容不完整或已损坏）" },
		{ "half.png", png_1x1, sizeof(png_1x1) - 12, FILES_ANY,
		    FILES_UNKNOWN, NULL,
		    "“half.png”不是有效的 PNG 文件（内容不完整或已损坏）" },
		{ "seal.png", png_1x1, sizeof(png_1x1), FILES_PDF,
		    FILES_UNKNOWN,
		    "此项材料只接受 PDF 格式的文件，文件“seal.png”是 PNG 格式，"
		    "请转换为 PDF 格式后重新上传。", NULL },
		{ "seal.pdf", pdf_text, pn, FILES_JPEG | FILES_PNG,
		    FILES_UNKNOWN, NULL, "只接受 JPEG 或 PNG 格式的文件" },
		{ "report.docx", pdf_text, pn, FILES_ANY, FILES_UNKNOWN,
		    NULL, "（扩展名无法识别），请上传 PDF、JPEG 或 PNG 格式" },
		{ "noextension", pdf_text, pn, FILES_ANY, FILES_UNKNOWN,
		    NULL, "扩展名无法识别" },
		{ "empty.pdf", "", 0, FILES_ANY, FILES_UNKNOWN,
		    NULL, "“empty.pdf”是空文件" },
		{ "../../etc/x.pdf", "text", 4, FILES_ANY, FILES_UNKNOWN,
		    NULL, "文件“x.pdf”不是有效的" },
	};
	struct arena *a = arena_new();
	enum files_kind k;
	const char *m;

	for (i = 0; i < NELEM(t); i++) {
		k = (enum files_kind)99;
		m = files_check(a, t[i].name, t[i].data, t[i].len,
		    t[i].allowed, &k);
		if (t[i].want != FILES_UNKNOWN) {
			if (m != NULL)
				fail_msg("%s refused: %s", t[i].name, m);
			assert_int_equal(k, t[i].want);
			continue;
		}
		if (m == NULL)
			fail_msg("%s (case %zu) accepted", t[i].name, i);
		assert_int_equal(k, FILES_UNKNOWN);
		if (t[i].msg != NULL && strcmp(m, t[i].msg) != 0)
			fail_msg("%s: message\n  %s\nwant\n  %s", t[i].name,
			    m, t[i].msg);
		if (t[i].part != NULL && strstr(m, t[i].part) == NULL)
			fail_msg("%s: message\n  %s\nlacks\n  %s", t[i].name,
			    m, t[i].part);
		/* Every refusal says what to do next. */
		if (strstr(m, "请") == NULL)
			fail_msg("%s: message without advice: %s",
			    t[i].name, m);
	}
	assert_null(files_check(a, "a.pdf", pdf_text, pn, FILES_PDF, NULL));
	arena_free(a);
}

/* ---- Storage ----------------------------------------------------- */

static char tmpdir[PATH_MAX];

/* snprintf() that fails the test instead of truncating. */
static void pfmt(char *, size_t, const char *, ...) ZZ_PRINTF(3, 4);

static void
pfmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		fail_msg("path too long: %s", fmt);
}

static int
setup_dir(void **state)
{
	pfmt(tmpdir, sizeof(tmpdir), "/tmp/test_files.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
rm_rf(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	chmod(path, 0700);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		pfmt(sub, sizeof(sub), "%s/%s", path, de->d_name);
		rm_rf(sub);
	}
	closedir(d);
	return rmdir(path);
}

static int
teardown_dir(void **state)
{
	return rm_rf(tmpdir);
}

/* Number of entries in dir whose name starts with prefix. */
static int
count_prefix(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_sha256(void **state)
{
	static const struct {
		const char *in, *hex;
	} t[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
	};
	static const struct {
		const char *hex;
		int ok;
	} v[] = {
		{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 1 },
		{ "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", 0 },
		{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", 0 },
		{ "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0", 0 },
		{ "../../etc/passwd", 0 },
		{ "", 0 },
	};
	char out[FILES_HEX_SIZE];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		files_sha256_hex(t[i].in, strlen(t[i].in), out);
		assert_string_equal(out, t[i].hex);
	}
	for (i = 0; i < NELEM(v); i++)
		if (files_hex_valid(v[i].hex) != v[i].ok)
			fail_msg("hex_valid(%s) != %d", v[i].hex, v[i].ok);
	assert_int_equal(files_hex_valid(NULL), 0);
}

static void
test_store_read(void **state)
{
	unsigned char data[5000];
	char dir[PATH_MAX], hex[FILES_HEX_SIZE], hex2[FILES_HEX_SIZE],
	    want[FILES_HEX_SIZE], path[PATH_MAX], fan[PATH_MAX];
	struct buf b;
	struct stat st;
	size_t i;

	/* Binary data full of NUL bytes and every byte value. */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (i % 3 == 0) ? 0 : (unsigned char)(i * 7);
	/* The directory and its missing parents are created. */
	pfmt(dir, sizeof(dir), "%s/a/b/store", tmpdir);
	files_sha256_hex(data, sizeof(data), want);
	assert_int_equal(files_exists(dir, want), 0);

	assert_int_equal(files_store(dir, data, sizeof(data), hex), 0);
	assert_string_equal(hex, want);
	assert_int_equal(files_exists(dir, hex), 1);
	assert_int_equal(files_path(dir, hex, path, sizeof(path)), 0);
	pfmt(fan, sizeof(fan), "%s/%.2s/%s", dir, hex, hex + 2);
	assert_string_equal(path, fan);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0077, 0);
	assert_int_equal((size_t)st.st_size, sizeof(data));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0);

	buf_init(&b);
	assert_int_equal(files_read(dir, hex, &b), 0);
	assert_int_equal(b.n, sizeof(data));
	assert_memory_equal(b.p, data, sizeof(data));
	assert_int_equal(files_verify(dir, hex), 0);

	/* Storing the same bytes again: same name, still one file. */
	assert_int_equal(files_store(dir, data, sizeof(data), hex2), 0);
	assert_string_equal(hex2, hex);
	pfmt(fan, sizeof(fan), "%s/%.2s", dir, hex);
	assert_int_equal(count_prefix(fan, ""), 1);
	assert_int_equal(files_read(dir, hex, &b), 0);
	assert_memory_equal(b.p, data, sizeof(data));

	/* Different bytes get a different name; both stay readable. */
	data[0] = 1;
	assert_int_equal(files_store(dir, data, sizeof(data), hex2), 0);
	assert_string_not_equal(hex2, hex);
	assert_int_equal(files_read(dir, hex2, &b), 0);
	assert_memory_equal(b.p, data, sizeof(data));
	assert_int_equal(files_read(dir, hex, &b), 0);
	assert_int_equal(((unsigned char *)b.p)[0], 0);

	/* An empty file is a file too. */
	assert_int_equal(files_store(dir, NULL, 0, hex2), 0);
	assert_string_equal(hex2, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(files_read(dir, hex2, &b), 0);
	assert_int_equal(b.n, 0);
	assert_non_null(b.p);

	/* No temporary file is left anywhere. */
	assert_int_equal(files_sweep_temp(dir, 0), 0);
	buf_free(&b);
}

static void
test_read_errors(void **state)
{
	char dir[PATH_MAX], hex[FILES_HEX_SIZE], path[16];
	struct buf b;

	pfmt(dir, sizeof(dir), "%s/store", tmpdir);
	buf_init(&b);
	files_sha256_hex("absent", 6, hex);
	errno = 0;
	assert_int_equal(files_read(dir, hex, &b), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(files_read(dir, "../../etc/passwd", &b), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(files_exists(dir, "../../etc/passwd"), 0);
	errno = 0;
	assert_int_equal(files_path(dir, "A0", path, sizeof(path)), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(files_path(dir, hex, path, sizeof(path)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	buf_free(&b);
}

/* Overwrites the byte at off of the stored file (or cuts it to off). */
static void
damage(const char *dir, const char *hex, off_t off, int truncate_it)
{
	char path[PATH_MAX];
	unsigned char c;
	int fd;

	assert_int_equal(files_path(dir, hex, path, sizeof(path)), 0);
	assert_int_equal(chmod(path, 0600), 0);
	assert_true((fd = open(path, O_RDWR)) != -1);
	if (truncate_it)
		assert_int_equal(ftruncate(fd, off), 0);
	else {
		assert_int_equal(pread(fd, &c, 1, off), 1);
		c ^= 0x40;
		assert_int_equal(pwrite(fd, &c, 1, off), 1);
	}
	close(fd);
}

static void
test_corruption(void **state)
{
	static const char data[] = "contract\0with\0NULs\0and some more text";
	char dir[PATH_MAX], hex[FILES_HEX_SIZE];
	struct buf b;

	pfmt(dir, sizeof(dir), "%s/store", tmpdir);
	buf_init(&b);
	assert_int_equal(files_store(dir, data, sizeof(data), hex), 0);

	damage(dir, hex, 12, 0);
	errno = 0;
	assert_int_equal(files_read(dir, hex, &b), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(b.n, 0);
	errno = 0;
	assert_int_equal(files_verify(dir, hex), -1);
	assert_int_equal(errno, EBADMSG);

	/* Storing the right bytes again repairs the copy. */
	assert_int_equal(files_store(dir, data, sizeof(data), hex), 0);
	assert_int_equal(files_read(dir, hex, &b), 0);
	assert_memory_equal(b.p, data, sizeof(data));

	/* A cut-short copy is caught too. */
	damage(dir, hex, 5, 1);
	errno = 0;
	assert_int_equal(files_read(dir, hex, &b), -1);
	assert_int_equal(errno, EBADMSG);
	buf_free(&b);
}

static void
test_store_failures(void **state)
{
	static const char data[] = "a file that cannot be stored";
	char dir[PATH_MAX], hex[FILES_HEX_SIZE], target[PATH_MAX],
	    fan[PATH_MAX], sub[PATH_MAX], big[8192];
	struct rlimit old, lim;
	void (*oldsig)(int);
	int fd;

	/* A path component that is a regular file. */
	pfmt(sub, sizeof(sub), "%s/plainfile", tmpdir);
	assert_true((fd = open(sub, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1);
	close(fd);
	pfmt(dir, sizeof(dir), "%s/plainfile/store", tmpdir);
	errno = 0;
	assert_int_equal(files_store(dir, data, sizeof(data), hex), -1);
	assert_int_equal(errno, ENOTDIR);

	/* The rename fails (the name is taken by a directory): the
	 * temporary file, written in full by then, is removed. */
	pfmt(dir, sizeof(dir), "%s/fail", tmpdir);
	files_sha256_hex(data, sizeof(data), hex);
	assert_int_equal(files_path(dir, hex, target, sizeof(target)), 0);
	pfmt(fan, sizeof(fan), "%s/%.2s", dir, hex);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(fan, 0700), 0);
	assert_int_equal(mkdir(target, 0700), 0);
	pfmt(sub, sizeof(sub), "%s/keep", target);
	assert_int_equal(mkdir(sub, 0700), 0);
	errno = 0;
	assert_int_equal(files_store(dir, data, sizeof(data), hex), -1);
	assert_true(errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST);
	assert_int_equal(count_prefix(fan, ".tmp-"), 0);
	assert_int_equal(count_prefix(fan, ""), 1);
	assert_int_equal(files_exists(dir, hex), 0);

	/* A write fails half-way (file size limit): nothing is left. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	oldsig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 4096;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	errno = 0;
	fd = files_store(dir, big, sizeof(big), hex);
	lim.rlim_cur = old.rlim_cur;
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, oldsig);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, EFBIG);
	files_sha256_hex(big, sizeof(big), hex);
	pfmt(fan, sizeof(fan), "%s/%.2s", dir, hex);
	assert_int_equal(count_prefix(fan, ".tmp-"), 0);
	assert_int_equal(files_exists(dir, hex), 0);
	/* And the same store works once the limit is gone. */
	assert_int_equal(files_store(dir, big, sizeof(big), hex), 0);
	assert_int_equal(files_verify(dir, hex), 0);
}

static void
test_sweep(void **state)
{
	char dir[PATH_MAX], hex[FILES_HEX_SIZE], fan[PATH_MAX],
	    oldf[PATH_MAX], newf[PATH_MAX];
	struct timespec ts[2];
	int fd;

	pfmt(dir, sizeof(dir), "%s/sweep", tmpdir);
	assert_int_equal(files_store(dir, "x", 1, hex), 0);
	pfmt(fan, sizeof(fan), "%s/%.2s", dir, hex);
	pfmt(oldf, sizeof(oldf), "%s/.tmp-old123", fan);
	pfmt(newf, sizeof(newf), "%s/.tmp-new123", fan);
	assert_true((fd = open(oldf, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
	assert_true((fd = open(newf, O_WRONLY | O_CREAT, 0600)) != -1);
	close(fd);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 7200;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, oldf, ts, 0), 0);

	assert_int_equal(files_sweep_temp(dir, 3600), 1);
	assert_int_equal(access(oldf, F_OK), -1);
	assert_int_equal(access(newf, F_OK), 0);
	assert_int_equal(files_exists(dir, hex), 1);
	/* Ten seconds old: kept with a 60 s margin, removed with 5 s. */
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 10;
	assert_int_equal(utimensat(AT_FDCWD, newf, ts, 0), 0);
	assert_int_equal(files_sweep_temp(dir, 60), 0);
	assert_int_equal(files_sweep_temp(dir, 5), 1);
	assert_int_equal(count_prefix(fan, ".tmp-"), 0);
	assert_int_equal(files_verify(dir, hex), 0);
}

/* ---- Names and Content-Disposition ------------------------------- */

/* 1 if s is valid UTF-8. */
static int
utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int k;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		k = (*p >= 0xF0) ? 3 : (*p >= 0xE0) ? 2 : (*p >= 0xC0) ? 1 : -1;
		if (k < 0)
			return 0;
		for (p++; k > 0; k--, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static void
test_clean_name(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "资质申请书.pdf", "资质申请书.pdf" },
		{ "../../etc/passwd", "passwd" },
		{ "..\\..\\windows\\boot.ini", "boot.ini" },
		{ "C:\\Users\\张三\\营业执照.jpg", "营业执照.jpg" },
		{ "a\"b.pdf", "ab.pdf" },
		{ "\r\nSet-Cookie: x", "Set-Cookie_ x" },
		{ "tab\tdel\x7f.pdf", "tabdel.pdf" },
		{ "c1\xc2\x85.pdf", "c1.pdf" },
		{ "abc\xe2\x80\xae" "fdp.exe", "abcfdp.exe" },
		{ "zw\xe2\x80\x8bsp\xef\xbb\xbf.png", "zwsp.png" },
		{ "bad\xff\xfeutf8.pdf", "bad__utf8.pdf" },
		{ "over\xc0\xaflong", "over__long" },
		{ "a:b*c?<d>|e.pdf", "a_b_c__d__e.pdf" },
		{ "...hidden", "hidden" },
		{ " . .x. . ", "x" },
		{ ".pdf", "pdf" },
		{ "", "file" },
		{ "../", "file" },
		{ "...", "file" },
		{ "\"\"", "file" },
		{ "\r\n", "file" },
		{ "100% 合格.pdf", "100% 合格.pdf" },
	};
	struct arena *a = arena_new();
	char in[512], *s;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		s = files_clean_name(a, t[i].in);
		if (strcmp(s, t[i].want) != 0)
			fail_msg("clean_name(case %zu) = \"%s\", want \"%s\"",
			    i, s, t[i].want);
	}
	assert_string_equal(files_clean_name(a, NULL), "file");

	/* 396 ASCII letters + ".pdf": cut to 150 bytes, extension kept. */
	memset(in, 'a', 396);
	memcpy(in + 396, ".pdf", 5);
	s = files_clean_name(a, in);
	assert_int_equal(strlen(s), FILES_NAME_MAX);
	assert_string_equal(s + FILES_NAME_MAX - 4, ".pdf");

	/* 133 three-byte characters + ".pdf": cut at a character. */
	for (i = 0; i < 133; i++)
		memcpy(in + 3 * i, "资", 3);
	memcpy(in + 399, ".pdf", 5);
	s = files_clean_name(a, in);
	assert_true(strlen(s) <= FILES_NAME_MAX);
	assert_true(strlen(s) > FILES_NAME_MAX - 3);
	assert_true(utf8_ok(s));
	assert_string_equal(s + strlen(s) - 4, ".pdf");

	/* 400 three-byte-character bytes, no extension. */
	for (i = 0; i < 133; i++)
		memcpy(in + 3 * i, "书", 3);
	in[399] = '\0';
	s = files_clean_name(a, in);
	assert_true(strlen(s) <= FILES_NAME_MAX);
	assert_int_equal(strlen(s) % 3, 0);
	assert_true(utf8_ok(s));
	arena_free(a);
}

/* Only printable ASCII (no CR, LF, controls or raw UTF-8) and exactly
 * the two quotes around the fallback name. */
static void
header_safe(const char *s)
{
	const unsigned char *p;
	const char *q;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7F)
			fail_msg("header has byte 0x%02x: %s", *p, s);
	assert_int_equal(strncmp(s, "attachment; filename=\"", 22), 0);
	assert_non_null(q = strchr(s + 22, '"'));
	assert_int_equal(strncmp(q, "\"; filename*=UTF-8''", 20), 0);
	assert_null(strchr(q + 1, '"'));
}

static void
test_content_disposition(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "../../etc/passwd",
		    "attachment; filename=\"passwd\"; filename*=UTF-8''passwd" },
		{ "a\"b.pdf",
		    "attachment; filename=\"ab.pdf\"; filename*=UTF-8''ab.pdf" },
		{ "资质申请书.pdf",
		    "attachment; filename=\"_____.pdf\"; filename*=UTF-8''"
		    "%E8%B5%84%E8%B4%A8%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf" },
		{ "\r\nSet-Cookie: x",
		    "attachment; filename=\"Set-Cookie_ x\"; "
		    "filename*=UTF-8''Set-Cookie_%20x" },
		{ "100% 合格.pdf",
		    "attachment; filename=\"100_ __.pdf\"; "
		    "filename*=UTF-8''100%25%20%E5%90%88%E6%A0%BC.pdf" },
		{ "a'b;c=d,e.pdf",
		    "attachment; filename=\"a'b;c=d,e.pdf\"; "
		    "filename*=UTF-8''a%27b%3Bc%3Dd%2Ce.pdf" },
		{ "",
		    "attachment; filename=\"file\"; filename*=UTF-8''file" },
		{ "\\\\server\\share\\x.png",
		    "attachment; filename=\"x.png\"; filename*=UTF-8''x.png" },
	};
	struct arena *a = arena_new();
	char in[512], *s;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		s = files_content_disposition(a, t[i].in);
		if (strcmp(s, t[i].want) != 0)
			fail_msg("disposition(case %zu)\n  %s\nwant\n  %s", i,
			    s, t[i].want);
		header_safe(s);
	}

	/* A 400-byte ASCII name: cut, extension kept. */
	memset(in, 'n', 396);
	memcpy(in + 396, ".pdf", 5);
	s = files_content_disposition(a, in);
	header_safe(s);
	assert_non_null(strstr(s, "\"; filename*=UTF-8''nnn"));
	assert_true(strlen(s) == strlen("attachment; filename=\"\"; "
	    "filename*=UTF-8''") + 2 * FILES_NAME_MAX);

	/* A 400-byte Chinese name: no raw UTF-8 in the header. */
	for (i = 0; i < 133; i++)
		memcpy(in + 3 * i, "\xe4\xb9\xa6", 3);
	in[399] = '\0';
	s = files_content_disposition(a, in);
	header_safe(s);
	assert_string_equal(s + strlen(s) - 9, "%E4%B9%A6");
	assert_non_null(strstr(s, "filename=\"__________"));
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_store_read),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_store_failures),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_clean_name),
		cmocka_unit_test(test_content_disposition),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
