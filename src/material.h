/*
 * material.h: an application's materials (申请材料): files in slots, a
 * slot being a material of the form (form_def.c: its allowed types, its
 * most files) and, for a material of a repeating group, one row. Upload
 * (or replace), remove, list, download. A file's bytes are stored
 * (attach.c) before its row is written; a replaced or removed file keeps
 * its row and its bytes. Every check that guards a write (the
 * application still editable, the slot's file count, the same upload
 * again, the case's size cap) runs inside the write transaction.
 */
#ifndef ZIZHI_MATERIAL_H
#define ZIZHI_MATERIAL_H

#include <stddef.h>

#include "access.h"
#include "dom.h"

struct buf;
struct fdef_group;
struct fdef_section;

/* The most a case's current files may hold in all. */
#define MATERIAL_CASE_MAX	(500ll * 1024 * 1024)

/* A current file of a case. */
struct material_row {
	long long	 id;
	const char	*kind;		/* form_def.c material code */
	int		 row;		/* its group row, or FDEF_NOROW */
	const char	*filename;
	const char	*mime;
	long long	 size;
	const char	*uploaded_at;	/* ISO-8601 UTC */
};

/*
 * The current files of c, by material, row and upload, in d's arena, and
 * their total size (*used). DOM_NOT_FOUND when c's reader may not see
 * the materials; DOM_FAILED.
 */
enum dom_rc	 material_list(struct dom *d, const struct case_ref *c,
		    struct material_row **rows, size_t *n, long long *used);

/* An upload: the slot, the file, and the file it replaces (0: none). */
struct material_upload {
	const char	*kind;
	int		 row;
	long long	 replace;
	const char	*filename;	/* as the browser named it */
	const void	*data;
	size_t		 len;
};

/*
 * Stores the file in its slot of case_id. The same file to the same
 * slot again (a retry, a double click) is the upload already done:
 * DOM_OK, *id the existing row. Refusals: DOM_NOT_FOUND; DOM_CONFLICT
 * (field NULL) once the application may no longer be changed;
 * DOM_INVALID with field "kind" or "row" for a slot the form has not;
 * and, with field "file": DOM_INVALID (no file, a type the slot does
 * not take), DOM_TOO_LARGE (the file, or the case's total), DOM_CONFLICT
 * (the slot is full, the file to replace is gone). DOM_FAILED.
 */
enum dom_rc	 material_upload(struct dom *d, long long case_id,
		    const struct material_upload *in, long long *id);

/*
 * Removes current file mid of case_id (its row and bytes stay):
 * DOM_OK; DOM_NOT_FOUND; DOM_CONFLICT when the application may no
 * longer be changed or the file is no longer current; DOM_FAILED.
 */
enum dom_rc	 material_remove(struct dom *d, long long case_id,
		    long long mid);

/* A file of a case, as downloaded. */
struct material_file {
	long long	 id;
	const char	*filename;
	const char	*mime;
	const char	*sha256;
	int		 current;
};

/*
 * File mid of case c (current, replaced or removed) into *out and its
 * verified bytes into bytes. DOM_NOT_FOUND (no such file of c, or c's
 * reader may not see the materials); DOM_FAILED (missing or damaged
 * bytes, logged).
 */
enum dom_rc	 material_download(struct dom *d, const struct case_ref *c,
		    long long mid, struct material_file *out,
		    struct buf *bytes);

/*
 * How a save of a section moves the rows of one repeating group: row r
 * on the page was loaded from row orig[r] (-1: a new row) and is saved
 * as row to[r] (-1: dropped, blank), for r < n.
 */
struct material_rowmap {
	const struct fdef_group	*group;
	int			 n;
	const int		*orig;
	const int		*to;
};

/*
 * Moves the files of the section's group materials with their rows; the
 * files of rows that are gone are marked removed. In the caller's
 * transaction. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 material_follow_rows(struct dom *d, long long case_id,
		    const struct fdef_section *sec,
		    const struct material_rowmap *maps, size_t nmaps);

#endif
