/*
 * test_material.c: an application's materials (material.c) on a
 * temporary database: upload, the same upload again, replace, list,
 * download and remove work; every refusal (wrong person, wrong status,
 * bad slot, bad file, full slot, the case's cap) writes nothing; and the
 * checks that guard an upload or a removal are made inside its
 * transaction: a change another process commits while the upload waits
 * for the write lock is seen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application.h"
#include "files.h"
#include "form_def.h"
#include "material.h"
#include "testlib_apply.h"
#include "testlib_journey.h"
#include "util.h"

/* A valid PDF no other call makes (n distinguishes them). */
static struct material_upload
pdf(const char *kind, int row, int n)
{
	static char bufs[64][64];
	struct material_upload u;
	int len;

	assert_true(n >= 0 && n < 64);
	len = snprintf(bufs[n], sizeof(bufs[n]), "%%PDF-1.4\n%% file %d\n"
	    "%%%%EOF\n", n);
	memset(&u, 0, sizeof(u));
	u.kind = kind;
	u.row = row;
	u.filename = "文件.pdf";
	u.data = bufs[n];
	u.len = (size_t)len;
	return u;
}

static long long
rows_of(long long id)
{
	return tp_int("SELECT count(*) FROM material WHERE case_id = ?1", id);
}

static long long
current_of(long long id)
{
	return tp_int("SELECT count(*) FROM material WHERE case_id = ?1 AND "
	    "state = 'current'", id);
}

static void
test_upload_works(void **state)
{
	struct material_upload u = pdf("business_licence", FDEF_NOROW, 0);
	struct material_upload v = pdf("business_licence", FDEF_NOROW, 1);
	struct material_row *rows;
	struct material_file f;
	struct case_ref c;
	struct dom *d = tp_dom(TP_APPLICANT);
	struct buf b;
	long long id = tp_draft(TP_APPLICANT), mid, again, mid2, used;
	size_t n;

	assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	assert_true(mid > 0);
	assert_int_equal(tp_int("SELECT uploaded_by FROM material WHERE id = "
	    "?1", mid), TP_APPLICANT);
	/* The same file to the same slot again: the same upload. */
	assert_int_equal(material_upload(d, id, &u, &again), DOM_OK);
	assert_int_equal(again, mid);
	assert_int_equal(rows_of(id), 1);

	/* Listed, and downloaded byte for byte. */
	assert_int_equal(access_case(d, id, PART_MATERIALS, &c), DOM_OK);
	assert_int_equal(material_list(d, &c, &rows, &n, &used), DOM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, mid);
	assert_string_equal(rows[0].kind, "business_licence");
	assert_int_equal(rows[0].row, FDEF_NOROW);
	assert_string_equal(rows[0].mime, "application/pdf");
	assert_int_equal(used, (long long)u.len);
	buf_init(&b);
	assert_int_equal(material_download(d, &c, mid, &f, &b), DOM_OK);
	assert_int_equal(b.n, u.len);
	assert_memory_equal(b.p, u.data, u.len);
	assert_true(f.current);
	buf_free(&b);

	/* Replaced in a draft: no round froze the old one, so it is
	 * purged (issue 14, item 4): its row goes, its bytes are queued
	 * for deletion. */
	v.replace = mid;
	assert_int_equal(material_upload(d, id, &v, &mid2), DOM_OK);
	assert_true(mid2 != mid);
	assert_int_equal(rows_of(id), 1);
	assert_int_equal(current_of(id), 1);
	assert_int_equal(tp_int("SELECT replaces IS NULL FROM material WHERE "
	    "id = ?1", mid2), 1);
	assert_int_equal(tp_int("SELECT count(*) FROM file_purge", 0), 1);
	buf_init(&b);
	assert_int_equal(material_download(d, &c, mid, &f, &b),
	    DOM_NOT_FOUND);
	buf_free(&b);
	/* A replacement of a file no longer current is refused. */
	v = pdf("business_licence", FDEF_NOROW, 2);
	v.replace = mid;
	assert_int_equal(material_upload(d, id, &v, &again), DOM_CONFLICT);
	assert_string_equal(d->field, "file");
	assert_int_equal(rows_of(id), 1);
}

/*
 * Item 4: the cap counts what is kept. 30 x (upload 19 MiB, remove) on
 * one draft left 546 MiB on disk that counted for nothing; now what a
 * draft takes out is purged, and every version a round froze counts.
 */
static void
test_cap_counts_kept(void **state)
{
	struct material_upload u;
	struct material_row *rows;
	struct case_ref c;
	struct dom *d = tp_dom(TP_APPLICANT);
	char sql[600];
	long long id = tp_draft(TP_APPLICANT), mid, used;
	size_t n;
	int i;

	tp_exec("DELETE FROM file_purge");
	for (i = 0; i < 30; i++) {
		u = pdf("other_files", FDEF_NOROW, 30 + i);
		assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
		assert_int_equal(material_remove(d, id, mid), DOM_OK);
	}
	assert_int_equal(rows_of(id), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM file_purge", 0), 30);
	/* A version frozen in a round stays when removed, and counts: 499
	 * MiB of it leave no room for a 2 KiB file. */
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at, state) "
	    "VALUES (%lld, 'other_files', -1, 'big.pdf', 'application/pdf', "
	    "524288000 - 10, printf('%%064d', 2), 1, 'x', 'current'); "
	    "INSERT INTO round(case_id, n, submitted_at, submitted_by) VALUES "
	    "(%lld, 1, 'x', 1); INSERT INTO round_file(round_id, material_id) "
	    "VALUES (last_insert_rowid(), (SELECT max(id) FROM material))",
	    id, id);
	tp_exec(sql);
	mid = tp_int("SELECT max(id) FROM material", 0);
	assert_int_equal(material_remove(d, id, mid), DOM_OK);
	assert_int_equal(tp_int("SELECT state = 'removed' FROM material WHERE "
	    "id = ?1", mid), 1);
	u = pdf("other_files", FDEF_NOROW, 60);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_TOO_LARGE);
	assert_int_equal(access_case(d, id, PART_MATERIALS, &c), DOM_OK);
	assert_int_equal(material_list(d, &c, &rows, &n, &used), DOM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(used, 524288000 - 10);
}

/* Each refusal: its code, its field, nothing written. */
static void
refused(long long who, long long id, const struct material_upload *u,
    enum dom_rc want, const char *field)
{
	struct dom *d = tp_dom(who);
	long long before = tp_int("SELECT count(*) FROM material", 0), mid;

	assert_int_equal(material_upload(d, id, u, &mid), want);
	assert_int_equal(mid, 0);
	if (field != NULL)
		assert_string_equal(d->field, field);
	else
		assert_null(d->field);
	if (want != DOM_NOT_FOUND)	/* which says nothing either way */
		assert_non_null(d->msg);
	assert_int_equal(tp_int("SELECT count(*) FROM material", 0), before);
}

static void
test_upload_refused(void **state)
{
	struct material_upload u;
	struct dom *d;
	long long id = tp_draft(TP_APPLICANT), sub, mid;
	int i;

	/* Not for them: another organisation, staff on a draft. */
	u = pdf("business_licence", FDEF_NOROW, 3);
	refused(TP_OTHER, id, &u, DOM_NOT_FOUND, NULL);
	refused(TP_LEAD, id, &u, DOM_NOT_FOUND, NULL);
	refused(TP_APPLICANT, 999999, &u, DOM_NOT_FOUND, NULL);
	/* Submitted: frozen, with the pages' words. */
	sub = tp_case(1, ST_SUBMITTED, 0);
	d = tp_dom(TP_APPLICANT);
	assert_int_equal(material_upload(d, sub, &u, &mid), DOM_CONFLICT);
	assert_string_equal(d->msg, "申请已提交，当前不能修改材料。");
	refused(TP_APPLICANT, tp_case(1, ST_ISSUED, TP_LEAD), &u,
	    DOM_CONFLICT, NULL);
	/* A lead who may see the case may still not upload to it. */
	refused(TP_LEAD, tp_case(1, ST_SUPPLEMENT_REQUESTED, TP_LEAD), &u,
	    DOM_FORBIDDEN, NULL);

	/* Slots the form has not. */
	u.kind = "no_such_material";
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "kind");
	u.kind = NULL;
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "kind");
	u.kind = "business_licence";
	u.row = 0;
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "row");
	/* A group's material needs its row filled in first. */
	u.kind = "award_cert";
	u.row = 0;
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "row");

	/* The file: none, the wrong type, too large. */
	u = pdf("business_licence", FDEF_NOROW, 4);
	u.len = 0;
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "file");
	u.data = tj_jpeg;
	u.len = tj_jpeg_len;
	u.filename = "盖章申请书.jpg";
	u.kind = "sealed_form";
	refused(TP_APPLICANT, id, &u, DOM_INVALID, "file");
	u = pdf("business_licence", FDEF_NOROW, 5);
	{
		char *big = xmalloc(2 * 1024 * 1024);

		memset(big, ' ', 2 * 1024 * 1024);
		memcpy(big, u.data, u.len - 6);
		memcpy(big + 2 * 1024 * 1024 - 6, "%%EOF\n", 6);
		u.data = big;
		u.len = 2 * 1024 * 1024;
		refused(TP_APPLICANT, id, &u, DOM_TOO_LARGE, "file");
		free(big);
	}

	/* A full slot: sealed_form takes one file. */
	u = pdf("sealed_form", FDEF_NOROW, 6);
	d = tp_dom(TP_APPLICANT);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	u = pdf("sealed_form", FDEF_NOROW, 7);
	refused(TP_APPLICANT, id, &u, DOM_CONFLICT, "file");
	/* ... a replacement still goes in. */
	u.replace = mid;
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	for (i = 0; i < 5; i++) {
		u = pdf("business_licence", FDEF_NOROW, 10 + i);
		assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	}
	u = pdf("business_licence", FDEF_NOROW, 15);
	refused(TP_APPLICANT, id, &u, DOM_CONFLICT, "file");

	/* The case's cap. */
	id = tp_draft(TP_APPLICANT);
	tp_exec("INSERT INTO material(case_id, kind, row, filename, mime, "
	    "size, sha256, uploaded_by, uploaded_at) SELECT max(id), "
	    "'other_files', -1, 'big.pdf', 'application/pdf', 524288000 - 10, "
	    "printf('%064d', 1), 1, 'x' FROM cases");
	u = pdf("business_licence", FDEF_NOROW, 16);
	refused(TP_APPLICANT, id, &u, DOM_TOO_LARGE, "file");
}

/* The checks an upload makes are made again inside its transaction:
 * what another process commits while the upload waits is seen. */
static void
test_upload_race(void **state)
{
	struct material_upload u;
	struct dom *d = tp_dom(TP_APPLICANT);
	char sql[400];
	long long id = tp_draft(TP_APPLICANT), mid;
	pid_t p;

	/* Submitted meanwhile: the upload does not land after it. */
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', rounds = "
	    "1 WHERE id = %lld", status_code(ST_SUBMITTED), id);
	u = pdf("business_licence", FDEF_NOROW, 20);
	p = tp_hold(sql, 300);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_CONFLICT);
	tp_join(p);
	assert_int_equal(rows_of(id), 0);

	/* The slot filled meanwhile. */
	id = tp_draft(TP_APPLICANT);
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(%lld, 'sealed_form', -1, 'a.pdf', 'application/pdf', 10, "
	    "printf('%%064d', 2), 1, 'x')", id);
	u = pdf("sealed_form", FDEF_NOROW, 21);
	p = tp_hold(sql, 300);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_CONFLICT);
	assert_string_equal(d->field, "file");
	tp_join(p);
	assert_int_equal(rows_of(id), 1);

	/* The same file sent twice at once: one row, the first one's. */
	u = pdf("business_licence", FDEF_NOROW, 22);
	{
		char hex[FILES_HEX_SIZE];

		files_sha256_hex(u.data, u.len, hex);
		snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, "
		    "kind, row, filename, mime, size, sha256, uploaded_by, "
		    "uploaded_at) VALUES (%lld, 'business_licence', -1, "
		    "'a.pdf', 'application/pdf', %zu, '%s', 1, 'x')", id,
		    u.len, hex);
	}
	p = tp_hold(sql, 300);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	tp_join(p);
	assert_int_equal(tp_int("SELECT count(*) FROM material WHERE case_id "
	    "= ?1 AND kind = 'business_licence'", id), 1);
	assert_int_equal(mid, tp_int("SELECT id FROM material WHERE case_id "
	    "= ?1 AND kind = 'business_licence'", id));

	/* The case's cap reached meanwhile. */
	snprintf(sql, sizeof(sql), "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(%lld, 'other_files', -1, 'a.pdf', 'application/pdf', 524288000, "
	    "printf('%%064d', 3), 1, 'x')", id);
	u = pdf("org_chart", FDEF_NOROW, 23);
	p = tp_hold(sql, 300);
	assert_int_equal(material_upload(d, id, &u, &mid), DOM_TOO_LARGE);
	tp_join(p);
	assert_int_equal(tp_int("SELECT count(*) FROM material WHERE case_id "
	    "= ?1 AND kind = 'org_chart'", id), 0);
}

static void
test_remove(void **state)
{
	struct material_upload u = pdf("org_chart", FDEF_NOROW, 30);
	struct dom *d = tp_dom(TP_APPLICANT);
	char sql[200];
	long long id = tp_draft(TP_APPLICANT), mid, mid2;
	long long other = tp_draft(TP_APPLICANT);
	pid_t p;

	assert_int_equal(material_upload(d, id, &u, &mid), DOM_OK);
	/* Not for another organisation, nor through another case. */
	assert_int_equal(material_remove(tp_dom(TP_OTHER), id, mid),
	    DOM_NOT_FOUND);
	assert_int_equal(material_remove(d, other, mid), DOM_NOT_FOUND);
	assert_int_equal(material_remove(d, id, mid + 1000), DOM_NOT_FOUND);
	assert_int_equal(current_of(id), 1);
	/* Removed from a draft: never frozen, so purged; not twice. */
	assert_int_equal(material_remove(d, id, mid), DOM_OK);
	assert_int_equal(rows_of(id), 0);
	assert_int_equal(current_of(id), 0);
	assert_int_equal(material_remove(d, id, mid), DOM_NOT_FOUND);

	/* Submitted meanwhile: the removal is refused. */
	u = pdf("org_chart", FDEF_NOROW, 31);
	assert_int_equal(material_upload(d, id, &u, &mid2), DOM_OK);
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', rounds = "
	    "1 WHERE id = %lld", status_code(ST_SUBMITTED), id);
	p = tp_hold(sql, 300);
	assert_int_equal(material_remove(d, id, mid2), DOM_CONFLICT);
	assert_string_equal(d->msg, "此文件当前不能删除。");
	tp_join(p);
	assert_int_equal(current_of(id), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upload_works),
		cmocka_unit_test(test_cap_counts_kept),
		cmocka_unit_test(test_upload_refused),
		cmocka_unit_test(test_upload_race),
		cmocka_unit_test(test_remove),
	};

	return cmocka_run_group_tests_name("material", tests, tp_setup,
	    tp_teardown);
}
