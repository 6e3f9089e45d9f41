/*
 * fuzz_files: the upload type check (files_check, files_sniff,
 * files_magic, files_kind_from_name) and the file name cleaning that
 * feeds Content-Disposition (files_clean_name, files_content_disposition).
 *
 * Input: byte 0 is the "allowed" mask (any bits, as a caller might pass);
 * then the browser's file name up to the first NUL; the rest is the
 * file's content (an exact-size heap copy). Without a NUL the whole rest
 * is the content and the name is "upload.pdf".
 *
 * Invariants: a kind found by content is also the kind the magic bytes
 * claim; files_check accepts exactly when the content's kind, the name's
 * kind and the allowed mask agree, sets *kind to that kind and otherwise
 * returns a non-empty UTF-8 message with *kind FILES_UNKNOWN; a cleaned
 * name is non-empty, at most FILES_NAME_MAX bytes, valid UTF-8, without
 * '/', '\\', ':*?<>|"', controls, and without leading or trailing dots
 * and spaces; a Content-Disposition value has no control byte and its
 * quoted fallback no '"', '\\' or non-ASCII byte.
 */
#include "files.h"
#include "fuzz_common.h"
#include "parse.h"
#include "util.h"

static void
check_clean(const char *c)
{
	size_t n = strlen(c), i;

	FUZZ_CHECK(n > 0 && n <= FILES_NAME_MAX, "clean name %zu bytes", n);
	FUZZ_CHECK(utf8_valid(c, n), "clean name not UTF-8");
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)c[i];

		FUZZ_CHECK(b >= 0x20 && b != 0x7f && strchr("/\\:*?<>|\"",
		    b) == NULL, "clean name \"%s\" has 0x%02x", c, b);
		/* C1 controls U+0080..U+009F are C2 80..C2 9F. */
		if (b == 0xc2 && i + 1 < n)
			FUZZ_CHECK((unsigned char)c[i + 1] > 0x9f,
			    "clean name has a C1 control");
	}
	FUZZ_CHECK(c[0] != '.' && c[0] != ' ' && c[n - 1] != '.' &&
	    c[n - 1] != ' ', "clean name \"%s\" not trimmed", c);
}

static void
check_disposition(const char *d)
{
	const char *q, *end;
	size_t i;

	FUZZ_CHECK(strncmp(d, "attachment; filename=\"", 22) == 0,
	    "disposition \"%s\"", d);
	for (i = 0; d[i] != '\0'; i++)
		FUZZ_CHECK((unsigned char)d[i] >= 0x20 &&
		    (unsigned char)d[i] < 0x7f,
		    "disposition byte 0x%02x", (unsigned char)d[i]);
	q = d + 22;
	end = strstr(q, "\"; filename*=UTF-8''");
	FUZZ_CHECK(end != NULL, "no filename* in \"%s\"", d);
	for (; q < end; q++)
		FUZZ_CHECK(*q != '"' && *q != '\\', "quote in fallback \"%s\"", d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a;
	enum files_kind sniff, magic, byname, kind = FILES_PNG;
	const uint8_t *nul;
	const char *msg;
	char *name, *content;
	size_t clen;
	unsigned allowed, eff;

	if (size == 0)
		return 0;
	a = arena_new();
	allowed = data[0];
	data++;
	size--;
	nul = memchr(data, '\0', size);
	if (nul != NULL) {
		name = fuzz_strndup(data, (size_t)(nul - data));
		clen = size - (size_t)(nul - data) - 1;
		content = fuzz_memdup(nul + 1, clen);
	} else {
		name = fuzz_strndup((const uint8_t *)"upload.pdf", 10);
		clen = size;
		content = fuzz_memdup(data, clen);
	}

	sniff = files_sniff(content, clen);
	magic = files_magic(content, clen);
	FUZZ_CHECK(sniff == FILES_UNKNOWN || sniff == FILES_PDF ||
	    sniff == FILES_JPEG || sniff == FILES_PNG, "sniff %d", sniff);
	if (sniff != FILES_UNKNOWN)
		FUZZ_CHECK(magic == sniff, "sniff %d but magic %d", sniff,
		    magic);
	byname = files_kind_from_name(name);

	msg = files_check(a, name, content, clen, allowed, &kind);
	eff = (allowed & FILES_ANY) ? (allowed & FILES_ANY) : FILES_ANY;
	if (msg == NULL) {
		FUZZ_CHECK(clen > 0, "empty file accepted");
		FUZZ_CHECK(kind != FILES_UNKNOWN && kind == sniff &&
		    kind == byname && (eff & (unsigned)kind),
		    "accepted: kind %d, sniff %d, by name %d, allowed %u",
		    kind, sniff, byname, eff);
	} else {
		FUZZ_CHECK(kind == FILES_UNKNOWN, "refused but kind %d", kind);
		FUZZ_CHECK(msg[0] != '\0' && utf8_valid(msg, strlen(msg)),
		    "bad message");
		FUZZ_CHECK(!(clen > 0 && sniff != FILES_UNKNOWN &&
		    sniff == byname && (eff & (unsigned)sniff)),
		    "refused a valid %d file: %s", sniff, msg);
	}
	/* NULL kind pointer is allowed. */
	FUZZ_CHECK((files_check(a, name, content, clen, allowed, NULL) ==
	    NULL) == (msg == NULL), "files_check differs without kind");

	check_clean(files_clean_name(a, name));
	check_disposition(files_content_disposition(a, name));
	free(name);
	free(content);
	arena_free(a);
	return 0;
}
