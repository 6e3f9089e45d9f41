/*
 * attach.h: uploaded files, one way for every kind of record that keeps
 * them (materials, assessment evidence, appeal documents). A file is
 * checked (size, then type by content against the kinds its place
 * allows) and its bytes stored durably under their SHA-256 (files.c)
 * before any row points at them; the caller then writes its row, with
 * the facts attach_prepare returns, in its own transaction. Reading
 * verifies the bytes against their hash.
 */
#ifndef ZIZHI_ATTACH_H
#define ZIZHI_ATTACH_H

#include <stddef.h>

#include "dom.h"
#include "files.h"

struct buf;

/* What a record of an uploaded file keeps. */
struct attach_file {
	const char	*filename;	/* the user's name, cleaned */
	const char	*mime;
	long long	 size;
	char		 sha256[FILES_HEX_SIZE];
	enum files_kind	 kind;
};

/*
 * Checks the upload named name (data, len) against d->max_file
 * (DOM_TOO_LARGE) and the allowed kinds, a mask of FILES_* bits (0: any;
 * DOM_INVALID with a message that names the file and says what to send
 * instead), and stores its bytes (DOM_FAILED when the disk fails).
 * DOM_OK fills *out.
 */
enum dom_rc	 attach_prepare(struct dom *d, const char *name,
		    const void *data, size_t len, unsigned allowed,
		    struct attach_file *out);

/*
 * In the write transaction that records f (stored by attach_prepare
 * from data, len before the transaction began): makes sure its bytes are
 * still in the store, storing them again if a disposal deleted identical
 * bytes meanwhile (archive.c checks for rows under the same lock).
 * DOM_OK or DOM_FAILED.
 */
enum dom_rc	 attach_keep(struct dom *d, const void *data, size_t len,
		    const struct attach_file *f);

/*
 * Reads the stored file sha256 into out, verified. DOM_OK; DOM_FAILED
 * when it is missing or damaged (logged: a file a record points at must
 * be there).
 */
enum dom_rc	 attach_read(struct dom *d, const char *sha256,
		    struct buf *out);

/* A size in words: "1.2 MB", "35 KB", "512 字节". */
const char	*attach_size_zh(struct arena *a, long long bytes);

#endif
