/*
 * files.h: uploaded material files.
 *
 * Three jobs (design.md, "Files: never lose one, never keep half of one"):
 *
 *  - Type by content. An upload is a PDF, JPEG or PNG only if its bytes
 *    have that format's structure (not only its magic bytes), and its name's
 *    extension must say the same thing as its content.
 *  - Durable, content-addressed storage. A file is stored once under the
 *    lowercase hex SHA-256 of its bytes, as DIR/ab/cdef... (the first two
 *    hex digits are a fan-out directory). A stored file is written to a
 *    temporary file in the fan-out directory, fsync()ed, renamed into place
 *    and the directory fsync()ed, so after a crash a name either holds all
 *    of its bytes or does not exist. A name never holds bytes other than
 *    those whose hash it is; reading verifies the hash.
 *  - Safe download headers. The user's file name is kept only as metadata,
 *    cleaned, and sent back in an RFC 6266 / RFC 5987 Content-Disposition.
 *
 * The storage directory must lie outside any directory the web server
 * serves. Functions here do no logging; they report through errno.
 */
#ifndef ZIZHI_FILES_H
#define ZIZHI_FILES_H

#include <stddef.h>

struct arena;
struct buf;

/* File kinds; also bits of an "allowed kinds" mask. */
enum files_kind {
	FILES_UNKNOWN = 0,
	FILES_PDF = 1,
	FILES_JPEG = 2,
	FILES_PNG = 4
};

/* Every kind an upload may be. */
#define FILES_ANY	(FILES_PDF | FILES_JPEG | FILES_PNG)

/* Length of a hex SHA-256 and the room it needs with its NUL. */
#define FILES_HEX_LEN	64
#define FILES_HEX_SIZE	65

/* Longest cleaned file name, in bytes (cut at a UTF-8 boundary). */
#define FILES_NAME_MAX	150

/*
 * The kind of data by its content:
 *  - PDF: starts with "%PDF-1.<digit>" or "%PDF-2.<digit>" and has "%%EOF"
 *    within its last 1024 bytes;
 *  - JPEG: starts FF D8 FF; a well-formed marker segment chain with a
 *    frame header (SOFn) reaches the scan (SOS); ends with FF D9, after
 *    which at most 16 zero bytes of padding may follow;
 *  - PNG: the 8-byte signature; IHDR first with length 13, a sane width,
 *    height, bit depth and colour type and a correct CRC; a well-formed
 *    chunk chain with at least one IDAT; IEND last, ending the data.
 * Anything else, including a truncated file, is FILES_UNKNOWN.
 */
enum files_kind	 files_sniff(const void *data, size_t len);

/*
 * The kind the first bytes claim (magic bytes only, no structure check).
 * Used to tell "damaged PDF" from "not a PDF at all" in messages.
 */
enum files_kind	 files_magic(const void *data, size_t len);

/* The kind a file name's extension names (.pdf, .jpg, .jpeg, .png, any
 * letter case), or FILES_UNKNOWN. */
enum files_kind	 files_kind_from_name(const char *name);

/* "application/pdf", "image/jpeg", "image/png";
 * "application/octet-stream" for FILES_UNKNOWN. */
const char	*files_mime(enum files_kind kind);
/* A Chinese name for messages: "PDF 文档", "JPEG 图片", "PNG 图片",
 * "未知类型的文件". */
const char	*files_kind_name(enum files_kind kind);
/* The short label used in lists: "PDF", "JPEG", "PNG" ("" if unknown). */
const char	*files_kind_label(enum files_kind kind);
/* The canonical extension: ".pdf", ".jpg", ".png" ("" if unknown). */
const char	*files_kind_ext(enum files_kind kind);

/*
 * Checks an upload named name (the browser's file name) with content
 * data/len against allowed, a mask of FILES_* bits (0 means FILES_ANY).
 * Refused: an empty file; a name whose extension is not one of the allowed
 * kinds; content that is not a valid file of the kind its extension names
 * (a text file or a PNG named .pdf, a truncated PDF). Returns NULL and sets
 * *kind (if not NULL) when the file is accepted; otherwise returns a Chinese
 * message, allocated from a, that names the file (cleaned) and says what to
 * upload instead, and sets *kind to FILES_UNKNOWN.
 */
const char	*files_check(struct arena *a, const char *name,
		    const void *data, size_t len, unsigned allowed,
		    enum files_kind *kind);

/* Writes the lowercase hex SHA-256 of data and a NUL into out. */
void		 files_sha256_hex(const void *data, size_t len,
		    char out[FILES_HEX_SIZE]);

/* 1 if hex is exactly 64 lowercase hex digits, else 0. */
int		 files_hex_valid(const char *hex);

/*
 * Stores data under dir (created with mode 0700, with missing parents, if
 * it does not exist) as dir/ab/cdef... and writes the hex SHA-256 to
 * hex_out. When the name already holds these bytes (checked by hashing
 * them) nothing is written and the call still makes the existing file and
 * its directory entry durable. A stored copy that no longer matches its
 * name (damaged on disk) is replaced by the new, correct bytes. Returns 0,
 * or -1 with errno set; on failure no temporary file is left behind.
 */
int		 files_store(const char *dir, const void *data, size_t len,
		    char hex_out[FILES_HEX_SIZE]);

/*
 * Writes "dir/ab/cdef..." for hex into out (size bytes). Returns 0, or -1
 * with errno EINVAL (hex not valid) or ENAMETOOLONG.
 */
int		 files_path(const char *dir, const char *hex, char *out,
		    size_t size);

/*
 * Replaces the contents of out with the stored file named hex and checks
 * that its SHA-256 is hex. Returns 0, or -1 with errno set: EINVAL for a
 * bad hex, ENOENT if there is no such file, EBADMSG if the stored bytes do
 * not match their hash (out is then emptied), or any read error.
 */
int		 files_read(const char *dir, const char *hex, struct buf *out);

/*
 * Checks the stored file named hex without keeping its bytes (for
 * integrity checks over the whole store). Returns 0, or -1 with errno as
 * for files_read().
 */
int		 files_verify(const char *dir, const char *hex);

/*
 * Removes temporary files a store interrupted by a crash left in the
 * fan-out directories of dir, if last modified at least min_age seconds
 * ago (use a margin, e.g. 3600, so a store in progress in another process
 * keeps its file). Returns how many were removed, or -1 with errno set.
 */
int		 files_sweep_temp(const char *dir, long min_age);

/*
 * Deletes the stored file named hex unless it was stored (or stored
 * again: files_store() sets its time) at or after the unix time before.
 * 0 when it is gone (or was not there), 1 when it was kept for being
 * recent, -1 with errno set.
 */
int		 files_remove_old(const char *dir, const char *hex,
		    long long before);

/* 1 if a stored file named hex exists (not verified), else 0. */
int		 files_exists(const char *dir, const char *hex);

/*
 * The name to keep as metadata for a user's file name, allocated from a:
 * the part after the last '/' or '\'; invalid UTF-8 bytes and the
 * characters : * ? < > | become '_'; control characters (C0, DEL, C1),
 * double quotes, bidirectional and zero-width formatting characters are
 * dropped; leading dots and spaces and trailing dots and spaces are
 * removed; at most FILES_NAME_MAX bytes, cut at a character boundary and
 * keeping a short extension. Chinese and other characters stay. Never
 * empty: "file" when nothing is left.
 */
char		*files_clean_name(struct arena *a, const char *name);

/*
 * The value of a Content-Disposition header for downloading a file the
 * user called name, allocated from a:
 *   attachment; filename="<fallback>"; filename*=UTF-8''<encoded>
 * where both come from files_clean_name(name); the fallback has every
 * non-ASCII character and '%' replaced by '_', and the encoded form
 * percent-encodes every byte that is not an RFC 5987 attr-char. The result
 * contains no CR, LF or other control character.
 */
char		*files_content_disposition(struct arena *a, const char *name);

#endif
