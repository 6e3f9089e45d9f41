/*
 * formdata.c: form values in a small hash table, loaded and saved.
 */
#include <stdio.h>
#include <string.h>

#include "formdata.h"
#include "status.h"

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

const struct fd_cert *
formdata_cert(const struct formdata *fd, const char *no)
{
	size_t i;

	for (i = 0; no != NULL && i < fd->ncerts; i++)
		if (strcmp(fd->certs[i].no, no) == 0)
			return &fd->certs[i];
	return NULL;
}

static int
src_cert(void *ctx, const char *no, struct fdef_cert *out)
{
	const struct fd_cert *c = formdata_cert(ctx, no);

	if (c == NULL)
		return 0;
	*out = c->fc;
	return 1;
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
	fd->src.filed = DATE_NONE;
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
			f = fdef_field_find(v->field, NULL);
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

#define CERTS_MAX	100

/*
 * The certificates of case_id's organisation as the register holds them
 * (with another open maintenance case of each, not this one), and the
 * case's first submission day. 0 or -1.
 */
static int
load_register(struct formdata *fd, struct store *s, long long case_id)
{
	sqlite3_stmt *st;
	struct fd_cert *c;
	const char *busy;
	int rc;

	st = store_stmt(s, "SELECT t.id, t.no, t.expires_on, EXISTS (SELECT "
	    "1 FROM sanction x WHERE x.certificate_id = t.id AND x.kind = "
	    "'suspension' AND x.lifted_at IS NULL), EXISTS (SELECT 1 FROM "
	    "sanction x WHERE x.certificate_id = t.id AND x.kind = "
	    "'revocation'), t.superseded_by IS NOT NULL, (SELECT mc.case_no "
	    "FROM cert_maintenance m JOIN cases mc ON mc.id = m.case_id WHERE "
	    "m.certificate_id = t.id AND m.case_id <> ?1 AND mc.is_open = 1 "
	    "LIMIT 1) FROM certificate t WHERE t.org_id = (SELECT org_id FROM "
	    "cases WHERE id = ?1) ORDER BY t.expires_on DESC, t.id DESC "
	    "LIMIT ?2");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, CERTS_MAX);
	fd->certs = arena_alloc(fd->a, CERTS_MAX * sizeof(*fd->certs));
	fd->ncerts = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && fd->ncerts <
	    CERTS_MAX) {
		c = &fd->certs[fd->ncerts++];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		c->no = c->fc.no = arena_strdup(fd->a, store_col_text(st, 1));
		c->expires_on = arena_strdup(fd->a, store_col_text(st, 2));
		if (date_parse(c->expires_on, &c->fc.expires) != 0)
			c->fc.expires = DATE_NONE;
		c->fc.suspended = sqlite3_column_int(st, 3);
		c->fc.revoked = sqlite3_column_int(st, 4);
		c->fc.superseded = sqlite3_column_int(st, 5);
		busy = store_col_text(st, 6);
		c->fc.busy_case = *busy != '\0' ? arena_strdup(fd->a, busy) :
		    NULL;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return -1;
	/* The judging day (eligibility.h): the Asia/Shanghai day round 1
	 * was submitted. */
	st = store_stmt(s, "SELECT submitted_at FROM round WHERE case_id = ?1 "
	    "AND n = 1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	fd->src.filed = DATE_NONE;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char local[DATE_BUFSZ], day[DATE_BUFSZ] = "";

		if (date_stamp_local(store_col_text(st, 0), local) != NULL)
			snprintf(day, sizeof(day), "%.10s", local);
		if (date_parse(day, &fd->src.filed) != 0)
			fd->src.filed = DATE_NONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	fd->has_register = 1;
	fd->src.cert = src_cert;
	return 0;
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
	if (load_files(fd, st) != 0)
		return -1;
	return load_register(fd, s, case_id);
}

int
formdata_load_round(struct formdata *fd, struct store *s, long long round_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT field, row, value FROM "
	    "round_value WHERE round_id = ?1");
	long long case_id;

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
	if (load_files(fd, st) != 0)
		return -1;
	st = store_stmt(s, "SELECT case_id FROM round WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, round_id);
	case_id = sqlite3_step(st) == SQLITE_ROW ?
	    sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return case_id > 0 ? load_register(fd, s, case_id) : -1;
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
