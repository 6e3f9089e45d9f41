/*
 * test_sniff.c: what an upload's bytes are (files_sniff, files.h), on
 * the edges of the PNG header (each colour type with the depths it
 * allows and one it does not, compression and filter fields, zero size)
 * and of the JPEG marker walk (restart markers, fill bytes, a frame
 * header without width or components, a segment running past the end).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "files.h"

static uint32_t
crc32(const unsigned char *p, size_t n)
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

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG of one IHDR (w x h, depth, colour type, compression, filter,
 * interlace), one empty IDAT and IEND, into p (57 bytes). */
static size_t
png(unsigned char *p, uint32_t w, uint32_t h, int depth, int ctype,
    int comp, int filter, int interlace)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A
	};
	static const unsigned char iend[12] = {
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82
	};

	memcpy(p, sig, 8);
	put32(p + 8, 13);
	memcpy(p + 12, "IHDR", 4);
	put32(p + 16, w);
	put32(p + 20, h);
	p[24] = (unsigned char)depth;
	p[25] = (unsigned char)ctype;
	p[26] = (unsigned char)comp;
	p[27] = (unsigned char)filter;
	p[28] = (unsigned char)interlace;
	put32(p + 29, crc32(p + 12, 17));
	put32(p + 33, 0);
	memcpy(p + 37, "IDAT", 4);
	put32(p + 41, crc32(p + 37, 4));
	memcpy(p + 45, iend, 12);
	return 57;
}

static void
test_png_header(void **state)
{
	static const struct {
		int	depth, ctype, ok;
	} cases[] = {
		{ 1, 0, 1 }, { 2, 0, 1 }, { 4, 0, 1 }, { 8, 0, 1 }, { 16, 0, 1 },
		{ 3, 0, 0 },
		{ 1, 3, 1 }, { 8, 3, 1 }, { 16, 3, 0 },
		{ 8, 2, 1 }, { 16, 2, 1 }, { 4, 2, 0 },
		{ 8, 4, 1 }, { 1, 4, 0 },
		{ 16, 6, 1 }, { 2, 6, 0 },
		{ 8, 5, 0 },		/* no such colour type */
	};
	unsigned char p[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = png(p, 10, 10, cases[i].depth, cases[i].ctype, 0, 0, 0);
		if ((files_sniff(p, n) == FILES_PNG) != cases[i].ok)
			fail_msg("depth %d colour type %d", cases[i].depth,
			    cases[i].ctype);
	}
	n = png(p, 10, 10, 8, 2, 0, 0, 1);	/* Adam7 */
	assert_int_equal(files_sniff(p, n), FILES_PNG);
	n = png(p, 10, 10, 8, 2, 0, 0, 2);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = png(p, 10, 10, 8, 2, 1, 0, 0);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = png(p, 10, 10, 8, 2, 0, 1, 0);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = png(p, 0, 10, 8, 2, 0, 0, 0);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = png(p, 10, 0x80000000u, 8, 2, 0, 0, 0);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	/* A chunk type that is not four letters. */
	n = png(p, 10, 10, 8, 2, 0, 0, 0);
	memcpy(p + 37, "ID1T", 4);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	/* A second IHDR instead of the IDAT. */
	n = png(p, 10, 10, 8, 2, 0, 0, 0);
	memcpy(p + 37, "IHDR", 4);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	/* A chunk longer than what follows. */
	n = png(p, 10, 10, 8, 2, 0, 0, 0);
	put32(p + 33, 100);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
}

/* SOI, the segments given, SOS, a byte of scan data, EOI. */
static size_t
jpeg(unsigned char *p, const unsigned char *segs, size_t n)
{
	static const unsigned char sos[] = {
		0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0
	};
	size_t k = 0;

	p[k++] = 0xFF;
	p[k++] = 0xD8;
	memcpy(p + k, segs, n);
	k += n;
	memcpy(p + k, sos, sizeof(sos));
	k += sizeof(sos);
	p[k++] = 0x12;
	p[k++] = 0xFF;
	p[k++] = 0xD9;
	return k;
}

static void
test_jpeg_markers(void **state)
{
	/* SOF0: 8-bit, 1 x 1, one component. */
	static const unsigned char sof[] = {
		0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0
	};
	static const unsigned char sof_no_width[] = {
		0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 0, 1, 1, 0x11, 0
	};
	static const unsigned char sof_no_comp[] = {
		0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 0, 1, 0x11, 0
	};
	/* Fill bytes before a marker, a restart marker, then the frame. */
	static const unsigned char filled[] = {
		0xFF, 0xFF, 0xFF, 0xD0,
		0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0
	};
	static const unsigned char zero_marker[] = {
		0xFF, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0
	};
	static const unsigned char short_len[] = {
		0xFF, 0xE0, 0x00, 0x01,
		0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0
	};
	static const unsigned char no_marker[] = {
		0x00, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0
	};
	unsigned char p[128];
	size_t n;

	(void)state;
	n = jpeg(p, sof, sizeof(sof));
	assert_int_equal(files_sniff(p, n), FILES_JPEG);
	/* Zero padding after EOI is allowed. */
	memset(p + n, 0, 4);
	assert_int_equal(files_sniff(p, n + 4), FILES_JPEG);
	n = jpeg(p, filled, sizeof(filled));
	assert_int_equal(files_sniff(p, n), FILES_JPEG);
	n = jpeg(p, sof_no_width, sizeof(sof_no_width));
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = jpeg(p, sof_no_comp, sizeof(sof_no_comp));
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = jpeg(p, zero_marker, sizeof(zero_marker));
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = jpeg(p, short_len, sizeof(short_len));
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	n = jpeg(p, no_marker, sizeof(no_marker));
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	/* A scan without a frame header before it. */
	n = jpeg(p, (const unsigned char *)"", 0);
	assert_int_equal(files_sniff(p, n), FILES_UNKNOWN);
	/* Only fill bytes up to the end. */
	memcpy(p, "\xFF\xD8\xFF\xFF\xFF\xFF\xFF\xD9", 8);
	assert_int_equal(files_sniff(p, 8), FILES_UNKNOWN);
	/* A segment length that runs into EOI. */
	memcpy(p, "\xFF\xD8\xFF\xE0\x00\x09\x01\x02\xFF\xD9", 10);
	assert_int_equal(files_sniff(p, 10), FILES_UNKNOWN);
	/* A marker with no room for its length. */
	memcpy(p, "\xFF\xD8\xFF\xE0\x00\xFF\xD9", 7);
	assert_int_equal(files_sniff(p, 7), FILES_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_header),
		cmocka_unit_test(test_jpeg_markers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
