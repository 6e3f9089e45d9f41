/*
 * formdata.c: form values in a small hash table, loaded and saved.
 */
#include <stdio.h>
#include <string.h>

#include "formdata.h"

static unsigned
hash(const char *field, int row)
{
	unsigned h = 2166136261u;

	for (; *field != '\0'; field++)
		h = (h ^ (unsigned char)*field) * 16777619u;
	h = (h ^ (unsigned)(row + 1)) * 16777619u;
	return h % FD_BUCKETS;
}

static const char *
src_get(void *ctx, const char *field, int row)
{
	return formdata_get(ctx, field, row);
}

static int
src_rows(void *ctx, const char *group)
{
	return formdata_rows(ctx, group);
}

static int
src_files(void *ctx, const char *material, int row)
{
	const struct formdata *fd = ctx;
	size_t i;

	for (i = 0; i < fd->nfiles; i++)
		if (fd->files[i].row == row &&
		    strcmp(fd->files[i].material, material) == 0)
			return fd->files[i].n;
	return 0;
}

void
formdata_init(struct formdata *fd, struct arena *a)
{
	memset(fd, 0, sizeof(*fd));
	fd->a = a;
	fd->src.ctx = fd;
	fd->src.get = src_get;
	fd->src.rows = src_rows;
	fd->src.files = src_files;
}

void
formdata_set(struct formdata *fd, const char *field, int row,
    const char *value)
{
	unsigned h = hash(field, row);
	struct fd_value **pp, *v;

	for (pp = &fd->bucket[h]; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->row == row && strcmp((*pp)->field, field) == 0) {
			if (value == NULL)
				*pp = (*pp)->next;
			else
				(*pp)->value = arena_strdup(fd->a, value);
			return;
		}
	if (value == NULL)
		return;
	v = arena_alloc(fd->a, sizeof(*v));
	v->field = arena_strdup(fd->a, field);
	/* Looked up once: the checks ask for a group's rows many times. */
	v->def = fdef_field_find(field, NULL);
	v->row = row;
	v->value = arena_strdup(fd->a, value);
	v->next = fd->bucket[h];
	fd->bucket[h] = v;
}

const char *
formdata_get(const struct formdata *fd, const char *field, int row)
{
	const struct fd_value *v;

	for (v = fd->bucket[hash(field, row)]; v != NULL; v = v->next)
		if (v->row == row && strcmp(v->field, field) == 0)
			return v->value;
	return NULL;
}

int
formdata_rows(const struct formdata *fd, const char *group)
{
	const struct fdef_field *f;
	const struct fd_value *v;
	int rows = 0;
	size_t b;

	for (b = 0; b < FD_BUCKETS; b++)
		for (v = fd->bucket[b]; v != NULL; v = v->next) {
			if (v->row < rows)
				continue;
			f = v->def;
			if (f != NULL && f->group != NULL &&
			    strcmp(f->group->name, group) == 0)
				rows = v->row + 1;
		}
	return rows;
}

void
formdata_clear_section(struct formdata *fd, const struct fdef_section *sec)
{
	struct fd_value **pp;
	const struct fdef_section *in;
	size_t b;

	for (b = 0; b < FD_BUCKETS; b++)
		for (pp = &fd->bucket[b]; *pp != NULL; ) {
			if (fdef_field_find((*pp)->field, &in) != NULL &&
			    in == sec)
				*pp = (*pp)->next;
			else
				pp = &(*pp)->next;
		}
}

static int
load_values(struct formdata *fd, sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		formdata_set(fd, store_col_text(st, 0),
		    sqlite3_column_int(st, 1), store_col_text(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Reads (kind, row, count) rows into the material counts. */
static int
load_files(struct formdata *fd, sqlite3_stmt *st)
{
	struct fd_files *n;
	size_t cap = fd->nfiles;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fd->nfiles == cap) {
			cap = cap ? cap * 2 : 16;
			n = arena_alloc(fd->a, cap * sizeof(*n));
			if (fd->nfiles > 0)
				memcpy(n, fd->files, fd->nfiles * sizeof(*n));
			fd->files = n;
		}
		fd->files[fd->nfiles].material = arena_strdup(fd->a,
		    store_col_text(st, 0));
		fd->files[fd->nfiles].row = sqlite3_column_int(st, 1);
		fd->files[fd->nfiles].n = sqlite3_column_int(st, 2);
		fd->nfiles++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
formdata_load(struct formdata *fd, struct store *s, long long case_id)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "SELECT field, row, value FROM form_value "
	    "WHERE case_id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	if (load_values(fd, st) != 0)
		return -1;
	st = store_stmt(s, "SELECT kind, row, count(*) FROM material "
	    "WHERE case_id = ?1 AND state = 'current' GROUP BY kind, row");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	return load_files(fd, st);
}

int
formdata_load_round(struct formdata *fd, struct store *s, long long round_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT field, row, value FROM "
	    "round_value WHERE round_id = ?1");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, round_id);
	if (load_values(fd, st) != 0)
		return -1;
	st = store_stmt(s, "SELECT m.kind, m.row, count(*) FROM round_file rf "
	    "JOIN material m ON m.id = rf.material_id WHERE rf.round_id = ?1 "
	    "GROUP BY m.kind, m.row");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, round_id);
	return load_files(fd, st);
}

int
formdata_save_section(const struct formdata *fd, struct store *s,
    long long case_id, const struct fdef_section *sec, const char *stamp)
{
	const struct fd_value *v;
	const struct fdef_section *in;
	sqlite3_stmt *st;
	size_t i, b;

	st = store_stmt(s, "DELETE FROM form_value WHERE case_id = ?1 AND "
	    "field = ?2");
	if (st == NULL)
		return -1;
	for (i = 0; i < sec->nfields; i++) {
		sqlite3_reset(st);
		store_bind_int(st, 1, case_id);
		store_bind_text(st, 2, sec->fields[i].name);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	st = store_stmt(s, "INSERT INTO form_value(case_id, field, row, "
	    "value) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	for (b = 0; b < FD_BUCKETS; b++)
		for (v = fd->bucket[b]; v != NULL; v = v->next) {
			if (fdef_field_find(v->field, &in) == NULL ||
			    in != sec || *v->value == '\0')
				continue;
			sqlite3_reset(st);
			store_bind_int(st, 1, case_id);
			store_bind_text(st, 2, v->field);
			store_bind_int(st, 3, v->row);
			store_bind_text(st, 4, v->value);
			if (sqlite3_step(st) != SQLITE_DONE)
				return -1;
		}
	st = store_stmt(s, "INSERT INTO form_section(case_id, section, "
	    "saved_at) VALUES (?1, ?2, ?3) ON CONFLICT(case_id, section) "
	    "DO UPDATE SET saved_at = excluded.saved_at");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, sec->id);
	store_bind_text(st, 3, stamp);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}
