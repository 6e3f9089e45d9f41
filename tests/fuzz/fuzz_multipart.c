/*
 * fuzz_multipart: parse_multipart (and parse_media_type on the header).
 *
 * The first input byte picks the mode:
 *   even: Content-Type "multipart/form-data; boundary=zzBOUNDARYzz" and
 *         the rest is the body (the fuzzer learns the delimiter quickly);
 *   odd:  the rest up to the first '\n' is the Content-Type header (so the
 *         boundary, its quoting and the other parameters are fuzzed too),
 *         everything after it is the body.
 * The body is an exact-size heap copy, so reading past it is caught.
 *
 * Invariants on PARSE_OK: every field name is non-empty, valid UTF-8;
 * every field value is NUL-free, valid UTF-8, at most PARSE_MAX_FIELD
 * bytes, vlen is its length; every upload's field and filename are
 * NUL-terminated valid UTF-8, its ctype is non-empty and lowercase, and
 * data..data+size lies inside the body; at most PARSE_MAX_PARTS parts.
 * On an error fields and files are as before the call.
 */
#include "fuzz_common.h"
#include "parse.h"
#include "util.h"

#define FIXED_CT	"multipart/form-data; boundary=zzBOUNDARYzz"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct params fields = { NULL, 0, 0 }, mp = { NULL, 0, 0 };
	struct uploads files = { NULL, 0, 0 };
	struct upload keep = { "f0", "a.pdf", "application/pdf", "x", 1 };
	const uint8_t *nl;
	const char *type;
	char *ct, *body;
	size_t blen, i, j, n;
	int rc;

	if (size == 0)
		goto out0;
	data++;
	size--;
	if ((data[-1] & 1) == 0) {
		ct = fuzz_strndup((const uint8_t *)FIXED_CT, strlen(FIXED_CT));
		body = fuzz_memdup(data, size);
		blen = size;
	} else {
		nl = memchr(data, '\n', size);
		n = nl ? (size_t)(nl - data) : size;
		ct = fuzz_strndup(data, n);
		blen = nl ? size - n - 1 : 0;
		body = fuzz_memdup(nl ? nl + 1 : data, blen);
	}

	/* The header alone. */
	rc = parse_media_type(a, ct, &type, &mp);
	if (rc == PARSE_OK) {
		FUZZ_CHECK(type != NULL && strchr(type, '/') != NULL,
		    "type \"%s\"", type ? type : "(null)");
		for (i = 0; type[i] != '\0'; i++)
			FUZZ_CHECK(!(type[i] >= 'A' && type[i] <= 'Z'),
			    "type not lowercase: \"%s\"", type);
		FUZZ_CHECK(mp.n <= PARSE_MAX_HPARAMS, "%zu params", mp.n);
		for (i = 0; i < mp.n; i++)
			for (j = i + 1; j < mp.n; j++)
				FUZZ_CHECK(strcmp(mp.v[i].key, mp.v[j].key) != 0,
				    "repeated parameter %s", mp.v[i].key);
	} else
		FUZZ_CHECK(type == NULL && mp.n == 0, "half a media type");

	/* Something in both lists before the call must survive. */
	params_add(a, &fields, "before", "kept", 4);
	files.v = arena_alloc(a, sizeof(*files.v));
	files.v[0] = keep;
	files.n = files.cap = 1;

	rc = parse_multipart(a, ct, body, blen, &fields, &files);
	FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_MALFORMED ||
	    rc == PARSE_TOO_MANY || rc == PARSE_TOO_LARGE, "rc %d", rc);
	FUZZ_CHECK(fields.n >= 1 && strcmp(fields.v[0].key, "before") == 0 &&
	    strcmp(fields.v[0].val, "kept") == 0, "earlier field changed");
	FUZZ_CHECK(files.n >= 1 && files.v[0].data == keep.data &&
	    files.v[0].size == 1, "earlier upload changed");
	if (rc != PARSE_OK) {
		FUZZ_CHECK(fields.n == 1 && files.n == 1,
		    "error %d left %zu fields, %zu files", rc, fields.n,
		    files.n);
		goto out;
	}
	FUZZ_CHECK((fields.n - 1) + (files.n - 1) <= PARSE_MAX_PARTS,
	    "%zu fields + %zu files", fields.n - 1, files.n - 1);
	for (i = 1; i < fields.n; i++) {
		n = strlen(fields.v[i].key);
		FUZZ_CHECK(n > 0 && utf8_valid(fields.v[i].key, n),
		    "field %zu name", i);
		FUZZ_CHECK(strlen(fields.v[i].val) == fields.v[i].vlen,
		    "field %zu value has a NUL or wrong vlen", i);
		FUZZ_CHECK(utf8_valid(fields.v[i].val, fields.v[i].vlen),
		    "field %zu value not UTF-8", i);
		FUZZ_CHECK(fields.v[i].vlen <= PARSE_MAX_FIELD,
		    "field %zu: %zu bytes", i, fields.v[i].vlen);
	}
	for (i = 1; i < files.n; i++) {
		const struct upload *u = &files.v[i];

		FUZZ_CHECK(u->field != NULL && u->field[0] != '\0' &&
		    utf8_valid(u->field, strlen(u->field)), "upload %zu field", i);
		FUZZ_CHECK(u->filename != NULL &&
		    utf8_valid(u->filename, strlen(u->filename)),
		    "upload %zu filename not UTF-8", i);
		FUZZ_CHECK(u->ctype != NULL && u->ctype[0] != '\0',
		    "upload %zu ctype empty", i);
		for (j = 0; u->ctype[j] != '\0'; j++)
			FUZZ_CHECK(!(u->ctype[j] >= 'A' && u->ctype[j] <= 'Z'),
			    "upload %zu ctype \"%s\" not lowercase", i, u->ctype);
		FUZZ_CHECK(u->data >= body && u->size <= blen &&
		    (size_t)(u->data - body) <= blen - u->size,
		    "upload %zu data [%p, +%zu) outside body [%p, +%zu)", i,
		    (const void *)u->data, u->size, (const void *)body, blen);
		if (u->filename[0] == '\0')
			FUZZ_CHECK(u->size > 0, "empty file input kept");
	}
out:
	free(ct);
	free(body);
out0:
	arena_free(a);
	return 0;
}
