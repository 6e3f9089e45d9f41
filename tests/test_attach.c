/*
 * test_attach.c: uploaded files when the disk fails (attach.c). An
 * upload whose bytes cannot be stored, a file to be kept again that
 * cannot be, and a stored file that is missing or damaged each end in
 * DOM_FAILED with a message that says what to do, never in a row that
 * points at nothing. The file store here is a path under a regular file
 * (/dev/null/...), which nobody, root included, can create.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attach.h"
#include "testlib_dom.h"
#include "testlib_journey.h"
#include "util.h"

static char files[] = "/tmp/zizhi-attach.XXXXXX";

/* A context whose file store is this test's directory. */
static struct dom *
ctx(void)
{
	struct dom *d = td_dom(TD_APPLICANT);

	d->files_dir = files;
	return d;
}

static void
test_sizes(void **state)
{
	struct dom *d = td_dom(TD_APPLICANT);

	assert_string_equal(attach_size_zh(d->arena, 512), "512 字节");
	assert_string_equal(attach_size_zh(d->arena, 35 * 1024), "35 KB");
	assert_string_equal(attach_size_zh(d->arena, 1258291), "1.2 MB");
}

static void
test_store_fails(void **state)
{
	struct dom *d = ctx();
	struct attach_file f;

	d->files_dir = "/dev/null/files";
	assert_int_equal(attach_prepare(d, "扫描件.pdf", tj_pdf, tj_pdf_len,
	    FILES_PDF, &f), DOM_FAILED);
	assert_string_equal(d->msg, "文件没有保存成功，请稍后重试。");
}

static void
test_keep_fails(void **state)
{
	struct dom *d = ctx();
	struct attach_file f;

	/* Stored where it can be, then gone from where it is wanted. */
	assert_int_equal(attach_prepare(d, "扫描件.pdf", tj_pdf, tj_pdf_len,
	    FILES_PDF, &f), DOM_OK);
	assert_int_equal(attach_keep(d, tj_pdf, tj_pdf_len, &f), DOM_OK);
	d->files_dir = "/dev/null/files";
	assert_int_equal(attach_keep(d, tj_pdf, tj_pdf_len, &f), DOM_FAILED);
	assert_string_equal(d->msg, "文件没有保存成功，请稍后重试。");
}

static void
test_read_fails(void **state)
{
	struct dom *d = ctx();
	struct attach_file f;
	struct buf b;

	buf_init(&b);
	assert_int_equal(attach_prepare(d, "扫描件.pdf", tj_pdf, tj_pdf_len,
	    FILES_PDF, &f), DOM_OK);
	assert_int_equal(attach_read(d, f.sha256, &b), DOM_OK);
	assert_int_equal(b.n, tj_pdf_len);
	buf_free(&b);
	buf_init(&b);
	d->files_dir = "/dev/null/files";
	assert_int_equal(attach_read(d, f.sha256, &b), DOM_FAILED);
	assert_non_null(strstr(d->msg, "文件暂时无法读取"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_store_fails),
		cmocka_unit_test(test_keep_fails),
		cmocka_unit_test(test_read_fails),
	};

	char cmd[64];
	int rc;

	if (mkdtemp(files) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, td_setup, td_teardown);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", files);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
