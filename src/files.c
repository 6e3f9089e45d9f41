/*
 * files.c: type-by-content checks, durable content-addressed storage and
 * safe download headers for uploaded material files (see files.h).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "files.h"
#include "utf8.h"
#include "util.h"

/* Trailing zero bytes allowed after a JPEG's EOI marker. */
#define JPEG_PAD_MAX	16
/* How far from the end a PDF's "%%EOF" may be. */
#define PDF_EOF_WINDOW	1024
/* Longest extension kept whole when a long name is cut. */
#define EXT_KEEP_MAX	16
/* Prefix of temporary files in the fan-out directories. */
#define TMP_PREFIX	".tmp-"

/* ---------------------------------------------------------------- */
/* Type by content                                                   */
/* ---------------------------------------------------------------- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* CRC-32 as PNG uses it (ISO 3309, reflected, poly 0xEDB88320). */
static uint32_t
crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xFFFFFFFFu;
}

static int
sniff_pdf(const unsigned char *p, size_t len)
{
	size_t i, start;

	if (len < 8 + 5 || memcmp(p, "%PDF-", 5) != 0)
		return 0;
	if ((p[5] != '1' && p[5] != '2') || p[6] != '.' ||
	    p[7] < '0' || p[7] > '9')
		return 0;
	start = len > PDF_EOF_WINDOW ? len - PDF_EOF_WINDOW : 0;
	if (start < 8)
		start = 8;
	for (i = start; i + 5 <= len; i++)
		if (memcmp(p + i, "%%EOF", 5) == 0)
			return 1;
	return 0;
}

static int
jpeg_is_sof(unsigned char m)
{
	/* C0..CF are frame headers except DHT (C4), JPG (C8), DAC (CC). */
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
	    m != 0xCC;
}

static int
sniff_jpeg(const unsigned char *p, size_t len)
{
	size_t end = len, pos = 2, seglen;
	int pad = 0, sof = 0;
	unsigned char m;

	if (len < 4 || p[0] != 0xFF || p[1] != 0xD8 || p[2] != 0xFF)
		return 0;
	while (end > 0 && p[end - 1] == 0x00 && pad < JPEG_PAD_MAX) {
		end--;
		pad++;
	}
	if (end < 6 || p[end - 2] != 0xFF || p[end - 1] != 0xD9)
		return 0;
	end -= 2;

	/* Walk the marker segments up to the first scan. */
	for (;;) {
		if (pos >= end || p[pos] != 0xFF)
			return 0;
		while (pos < end && p[pos] == 0xFF)
			pos++;
		if (pos >= end)
			return 0;
		m = p[pos++];
		if (m == 0x00 || m == 0xD8 || m == 0xD9)
			return 0;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (end - pos < 2)
			return 0;
		seglen = (size_t)p[pos] << 8 | p[pos + 1];
		if (seglen < 2 || seglen > end - pos)
			return 0;
		if (jpeg_is_sof(m)) {
			/* P, Y(2), X(2), Nf: width and components > 0. */
			if (seglen < 8 || (p[pos + 5] == 0 && p[pos + 6] == 0) ||
			    p[pos + 7] == 0)
				return 0;
			sof = 1;
		}
		if (m == 0xDA)
			return sof && seglen >= 8;
		pos += seglen;
	}
}

static const unsigned char png_sig[8] = {
	0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A
};
static const unsigned char png_iend[12] = {
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82
};

static int
png_type_ok(const unsigned char *t)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= 'a' && t[i] <= 'z')))
			return 0;
	return 1;
}

static int
png_ihdr_ok(const unsigned char *d)
{
	uint32_t w = be32(d), h = be32(d + 4);
	unsigned depth = d[8], ctype = d[9];

	if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu)
		return 0;
	if (d[10] != 0 || d[11] != 0 || d[12] > 1)
		return 0;
	switch (ctype) {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
		    depth == 16;
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2:
	case 4:
	case 6:
		return depth == 8 || depth == 16;
	default:
		return 0;
	}
}

static int
sniff_png(const unsigned char *p, size_t len)
{
	size_t pos;
	uint32_t clen;
	int idat = 0;

	/* Signature, IHDR (25), at least an IDAT (12) and IEND (12). */
	if (len < 8 + 25 + 12 + 12 || memcmp(p, png_sig, 8) != 0)
		return 0;
	if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return 0;
	if (crc32_png(p + 12, 4 + 13) != be32(p + 29) || !png_ihdr_ok(p + 16))
		return 0;
	pos = 8 + 25;
	while (len - pos >= 12) {
		clen = be32(p + pos);
		if (clen > 0x7FFFFFFFu || clen > len - pos - 12)
			return 0;
		if (!png_type_ok(p + pos + 4))
			return 0;
		if (memcmp(p + pos + 4, "IEND", 4) == 0)
			return idat && pos + 12 == len &&
			    memcmp(p + pos, png_iend, 12) == 0;
		if (memcmp(p + pos + 4, "IHDR", 4) == 0)
			return 0;
		if (memcmp(p + pos + 4, "IDAT", 4) == 0)
			idat = 1;
		pos += 12 + (size_t)clen;
	}
	return 0;
}

enum files_kind
files_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (p == NULL || len == 0)
		return FILES_UNKNOWN;
	if (sniff_pdf(p, len))
		return FILES_PDF;
	if (sniff_jpeg(p, len))
		return FILES_JPEG;
	if (sniff_png(p, len))
		return FILES_PNG;
	return FILES_UNKNOWN;
}

enum files_kind
files_magic(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (p == NULL)
		return FILES_UNKNOWN;
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return FILES_PDF;
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return FILES_JPEG;
	if (len >= 8 && memcmp(p, png_sig, 8) == 0)
		return FILES_PNG;
	return FILES_UNKNOWN;
}

static int
ext_is(const char *ext, const char *want)
{
	for (; *ext != '\0' && *want != '\0'; ext++, want++) {
		char c = *ext;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *want)
			return 0;
	}
	return *ext == '\0' && *want == '\0';
}

enum files_kind
files_kind_from_name(const char *name)
{
	const char *dot;

	if (name == NULL || (dot = strrchr(name, '.')) == NULL)
		return FILES_UNKNOWN;
	dot++;
	if (ext_is(dot, "pdf"))
		return FILES_PDF;
	if (ext_is(dot, "jpg") || ext_is(dot, "jpeg"))
		return FILES_JPEG;
	if (ext_is(dot, "png"))
		return FILES_PNG;
	return FILES_UNKNOWN;
}

const char *
files_mime(enum files_kind kind)
{
	switch (kind) {
	case FILES_PDF:
		return "application/pdf";
	case FILES_JPEG:
		return "image/jpeg";
	case FILES_PNG:
		return "image/png";
	default:
		return "application/octet-stream";
	}
}

const char *
files_kind_name(enum files_kind kind)
{
	switch (kind) {
	case FILES_PDF:
		return "PDF 文档";
	case FILES_JPEG:
		return "JPEG 图片";
	case FILES_PNG:
		return "PNG 图片";
	default:
		return "未知类型的文件";
	}
}

const char *
files_kind_label(enum files_kind kind)
{
	switch (kind) {
	case FILES_PDF:
		return "PDF";
	case FILES_JPEG:
		return "JPEG";
	case FILES_PNG:
		return "PNG";
	default:
		return "";
	}
}

const char *
files_kind_ext(enum files_kind kind)
{
	switch (kind) {
	case FILES_PDF:
		return ".pdf";
	case FILES_JPEG:
		return ".jpg";
	case FILES_PNG:
		return ".png";
	default:
		return "";
	}
}

/* "PDF", "PDF 或 PNG", "PDF、JPEG 或 PNG" for a mask of kinds. */
static char *
kinds_list(struct arena *a, unsigned allowed)
{
	static const enum files_kind all[] = { FILES_PDF, FILES_JPEG, FILES_PNG };
	struct buf b;
	size_t i, n = 0, k = 0;
	char *s;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (allowed & (unsigned)all[i])
			n++;
	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!(allowed & (unsigned)all[i]))
			continue;
		if (k > 0)
			buf_puts(&b, k + 1 == n ? " 或 " : "、");
		buf_puts(&b, files_kind_label(all[i]));
		k++;
	}
	s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

const char *
files_check(struct arena *a, const char *name, const void *data, size_t len,
    unsigned allowed, enum files_kind *kind)
{
	enum files_kind byname, bycontent;
	const char *shown, *list;

	if (kind != NULL)
		*kind = FILES_UNKNOWN;
	allowed &= FILES_ANY;
	if (allowed == 0)
		allowed = FILES_ANY;
	shown = files_clean_name(a, name != NULL ? name : "");
	list = kinds_list(a, allowed);

	if (len == 0 || data == NULL)
		return arena_printf(a, "文件“%s”是空文件（0 字节），"
		    "请检查后重新选择要上传的文件。", shown);
	byname = files_kind_from_name(name);
	if (byname == FILES_UNKNOWN)
		return arena_printf(a, "文件“%s”不是 %s 格式的文件"
		    "（扩展名无法识别），请上传 %s 格式的文件。",
		    shown, list, list);
	if (!(allowed & (unsigned)byname))
		return arena_printf(a, "此项材料只接受 %s 格式的文件，"
		    "文件“%s”是 %s 格式，请转换为 %s 格式后重新上传。",
		    list, shown, files_kind_label(byname), list);
	bycontent = files_sniff(data, len);
	if (bycontent == byname) {
		if (kind != NULL)
			*kind = bycontent;
		return NULL;
	}
	if (bycontent != FILES_UNKNOWN)
		return arena_printf(a, "文件“%s”不是有效的 %s 文件"
		    "（内容是 %s，与扩展名不符），请上传 %s 格式的文件。",
		    shown, files_kind_label(byname),
		    files_kind_name(bycontent), list);
	if (files_magic(data, len) == byname)
		return arena_printf(a, "文件“%s”不是有效的 %s 文件"
		    "（内容不完整或已损坏），请重新导出或扫描后上传 %s "
		    "格式的文件。", shown, files_kind_label(byname), list);
	return arena_printf(a, "文件“%s”不是有效的 %s 文件"
	    "（内容与扩展名不符），请上传 %s 格式的文件。",
	    shown, files_kind_label(byname), list);
}

/* ---------------------------------------------------------------- */
/* Content-addressed storage                                         */
/* ---------------------------------------------------------------- */

static int
sodium_ready(void)
{
	if (sodium_init() < 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void
hex_of(const unsigned char h[crypto_hash_sha256_BYTES],
    char out[FILES_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < crypto_hash_sha256_BYTES; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[FILES_HEX_LEN] = '\0';
}

void
files_sha256_hex(const void *data, size_t len, char out[FILES_HEX_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	if (sodium_init() < 0)
		abort();
	crypto_hash_sha256(h, len > 0 ? data : (const void *)"", len);
	hex_of(h, out);
}

int
files_hex_valid(const char *hex)
{
	size_t i;

	if (hex == NULL)
		return 0;
	for (i = 0; i < FILES_HEX_LEN; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return 0;
	return hex[FILES_HEX_LEN] == '\0';
}

int
files_path(const char *dir, const char *hex, char *out, size_t size)
{
	int n;

	if (dir == NULL || *dir == '\0' || !files_hex_valid(hex)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(out, size, "%s/%.2s/%s", dir, hex, hex + 2);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* fsync() a directory so the entries made in it are durable. */
static int
fsync_dir(const char *path)
{
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fsync(fd) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* The directory part of path ("." if none) into out. */
static void
parent_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(out, size, ".");
		return;
	}
	while (slash > path && slash[-1] == '/')
		slash--;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		n = size - 1;
	memcpy(out, path, n);
	out[n] = '\0';
}

/*
 * Makes sure path is a directory, creating it (mode 0700) and any missing
 * parents; each new directory's entry is made durable.
 */
static int
mkdirs(const char *path)
{
	char tmp[PATH_MAX], parent[PATH_MAX];
	struct stat st;
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(tmp)) {
		errno = n == 0 ? EINVAL : ENAMETOOLONG;
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		if (tmp[i - 1] == '/')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) == 0) {
			parent_of(tmp, parent, sizeof(parent));
			if (fsync_dir(parent) == -1)
				return -1;
		} else if (errno != EEXIST)
			return -1;
		if (i < n)
			tmp[i] = '/';
	}
	if (stat(path, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/*
 * Reads the open file fd to its end, hashing it and (if out is not NULL)
 * appending its bytes to out. Returns 0 if the hash is hex, -1 with errno
 * EBADMSG if not, or -1 with a read error.
 */
static int
read_check(int fd, const char *hex, struct buf *out)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char got[FILES_HEX_SIZE], chunk[16384];
	ssize_t r;

	crypto_hash_sha256_init(&st);
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			break;
		crypto_hash_sha256_update(&st, (unsigned char *)chunk,
		    (unsigned long long)r);
		if (out != NULL)
			buf_add(out, chunk, (size_t)r);
	}
	crypto_hash_sha256_final(&st, h);
	hex_of(h, got);
	if (strcmp(got, hex) != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* Opens the stored file named hex for reading; a regular file only. */
static int
open_stored(const char *dir, const char *hex)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, e;

	if (files_path(dir, hex, path, sizeof(path)) == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	return fd;
}

static int
read_stored(const char *dir, const char *hex, struct buf *out)
{
	int fd, rc, e;

	if (sodium_ready() == -1)
		return -1;
	if ((fd = open_stored(dir, hex)) == -1)
		return -1;
	rc = read_check(fd, hex, out);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int
files_read(const char *dir, const char *hex, struct buf *out)
{
	buf_reset(out);
	if (read_stored(dir, hex, out) == -1) {
		int e = errno;

		buf_reset(out);
		errno = e;
		return -1;
	}
	if (out->p == NULL)
		buf_add(out, "", 0);
	return 0;
}

int
files_verify(const char *dir, const char *hex)
{
	return read_stored(dir, hex, NULL);
}

int
files_exists(const char *dir, const char *hex)
{
	char path[PATH_MAX];
	struct stat st;

	if (files_path(dir, hex, path, sizeof(path)) == -1)
		return 0;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * If path already holds the bytes named hex, makes it and its directory
 * entry durable (a concurrent writer may not have finished doing so) and
 * returns 1. Returns 0 if it does not exist or must be replaced, -1 on an
 * error that stops the store.
 */
static int
existing_ok(const char *path, const char *fandir, const char *hex)
{
	struct stat st;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT || errno == ELOOP ? 0 : -1;
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* Not a regular file: let the rename fail (or replace it). */
	if (!S_ISREG(st.st_mode) || read_check(fd, hex, NULL) == -1) {
		close(fd);
		return 0;
	}
	/* Stored again: its time is now, so the sweep that deletes files
	 * nothing names (files_remove_unused) leaves it to the row that
	 * is about to name it. */
	if (futimens(fd, NULL) == -1 || fsync(fd) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return fsync_dir(fandir) == -1 ? -1 : 1;
}

int
files_remove_old(const char *dir, const char *hex, long long before)
{
	char path[PATH_MAX];
	struct stat st;

	if (files_path(dir, hex, path, sizeof(path)) == -1)
		return -1;
	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if ((long long)st.st_mtime >= before)
		return 1;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

int
files_store(const char *dir, const void *data, size_t len,
    char hex_out[FILES_HEX_SIZE])
{
	char hex[FILES_HEX_SIZE], path[PATH_MAX], fandir[PATH_MAX],
	    tmp[PATH_MAX];
	int fd = -1, e, rc, n;

	if (dir == NULL || *dir == '\0' || (data == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	if (sodium_ready() == -1)
		return -1;
	files_sha256_hex(data, len, hex);
	if (files_path(dir, hex, path, sizeof(path)) == -1)
		return -1;
	n = snprintf(fandir, sizeof(fandir), "%s/%.2s", dir, hex);
	if (n < 0 || (size_t)n >= sizeof(fandir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%s/" TMP_PREFIX "XXXXXX", fandir);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdirs(fandir) == -1)
		return -1;

	if ((rc = existing_ok(path, fandir, hex)) == -1)
		return -1;
	if (rc == 1) {
		memcpy(hex_out, hex, FILES_HEX_SIZE);
		return 0;
	}

	if ((fd = mkstemp(tmp)) == -1)
		return -1;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    write_all(fd, data, len) == -1 ||
	    fchmod(fd, 0400) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	rc = close(fd);
	fd = -1;
	if (rc == -1)
		goto fail;
	if (rename(tmp, path) == -1)
		goto fail;
	/* The name is in place; make its directory entry durable. */
	if (fsync_dir(fandir) == -1)
		return -1;
	memcpy(hex_out, hex, FILES_HEX_SIZE);
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

static int
sweep_fandir(const char *fandir, time_t cutoff)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int count = 0, n;

	if ((d = opendir(fandir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", fandir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path))
			continue;
		if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_mtime > cutoff)
			continue;
		if (unlink(path) == 0)
			count++;
	}
	closedir(d);
	return count;
}

int
files_sweep_temp(const char *dir, long min_age)
{
	static const char hex[] = "0123456789abcdef";
	char fandir[PATH_MAX];
	time_t cutoff = time(NULL) - (min_age > 0 ? min_age : 0);
	int i, j, n, count = 0;

	if (dir == NULL || *dir == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < 16; i++)
		for (j = 0; j < 16; j++) {
			n = snprintf(fandir, sizeof(fandir), "%s/%c%c", dir,
			    hex[i], hex[j]);
			if (n < 0 || (size_t)n >= sizeof(fandir)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			count += sweep_fandir(fandir, cutoff);
		}
	return count;
}

/* ---------------------------------------------------------------- */
/* File names and Content-Disposition                                */
/* ---------------------------------------------------------------- */

/* Characters dropped from names: controls and invisible formatting. */
static int
cp_dropped(uint32_t c)
{
	return c == '"' || utf8_forbidden(c);
}

static int
is_trim(char c)
{
	return c == '.' || c == ' ';
}

char *
files_clean_name(struct arena *a, const char *name)
{
	const unsigned char *s;
	const char *base, *p, *ext;
	char *out, *res;
	size_t n, i, k, o = 0, start, end, extlen, stem;
	uint32_t c;

	if (name == NULL)
		name = "";
	base = name;
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	s = (const unsigned char *)base;
	n = strlen(base);
	out = xmalloc(n + 1);

	for (i = 0; i < n; i += k) {
		if ((k = utf8_decode(s + i, n - i, &c)) == 0) {
			out[o++] = '_';
			k = 1;
			continue;
		}
		if (cp_dropped(c))
			continue;
		if (c == ':' || c == '*' || c == '?' || c == '<' ||
		    c == '>' || c == '|') {
			out[o++] = '_';
			continue;
		}
		memcpy(out + o, s + i, k);
		o += k;
	}

	start = 0;
	end = o;
	while (start < end && is_trim(out[start]))
		start++;
	while (end > start && is_trim(out[end - 1]))
		end--;
	n = end - start;
	p = out + start;

	if (n > FILES_NAME_MAX) {
		ext = NULL;
		for (i = n; i > 0; i--)
			if (p[i - 1] == '.') {
				ext = p + i - 1;
				break;
			}
		extlen = ext != NULL ? (size_t)(p + n - ext) : 0;
		if (ext != NULL && ext > p && extlen > 1 &&
		    extlen <= EXT_KEEP_MAX) {
			stem = utf8_cut(p, (size_t)(ext - p),
			    FILES_NAME_MAX - extlen);
			while (stem > 0 && is_trim(p[stem - 1]))
				stem--;
			res = arena_alloc(a, stem + extlen + 1);
			memcpy(res, p, stem);
			memcpy(res + stem, ext, extlen);
			res[stem + extlen] = '\0';
		} else {
			stem = utf8_cut(p, n, FILES_NAME_MAX);
			while (stem > 0 && is_trim(p[stem - 1]))
				stem--;
			res = arena_strndup(a, p, stem);
		}
	} else
		res = arena_strndup(a, p, n);
	free(out);
	/* A name cut to nothing but its extension keeps no leading dot. */
	while (is_trim(*res))
		res++;
	if (*res == '\0')
		return arena_strdup(a, "file");
	return res;
}

static int
attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' ||
	    c == '&' || c == '+' || c == '-' || c == '.' || c == '^' ||
	    c == '_' || c == '`' || c == '|' || c == '~';
}

char *
files_content_disposition(struct arena *a, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s;
	struct buf b;
	size_t i;
	char *res;

	s = (const unsigned char *)files_clean_name(a, name);
	buf_init(&b);
	buf_puts(&b, "attachment; filename=\"");
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] >= 0x80) {
			/* One '_' per character, not per byte. */
			if ((s[i] & 0xC0) != 0x80)
				buf_putc(&b, '_');
		} else if (s[i] < 0x20 || s[i] == 0x7F || s[i] == '"' ||
		    s[i] == '\\' || s[i] == '%')
			buf_putc(&b, '_');
		else
			buf_putc(&b, (char)s[i]);
	}
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (i = 0; s[i] != '\0'; i++) {
		if (attr_char(s[i]))
			buf_putc(&b, (char)s[i]);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[s[i] >> 4]);
			buf_putc(&b, hex[s[i] & 15]);
		}
	}
	res = arena_strdup(a, b.p);
	buf_free(&b);
	return res;
}
