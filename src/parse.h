/*
 * parse.h: HTTP input parsers shared by both front doors.
 *
 * Everything here is pure: no I/O, no globals, no state between calls.
 * All memory comes from the caller's arena (one per request), so nothing
 * is freed here.  Every parser has an explicit size or count cap and
 * returns an error rather than guessing at malformed input.  On any error
 * the output collections are restored to what they held before the call:
 * a caller never sees half a parse.
 *
 * Every input is length-delimited or NUL-terminated as stated; input may
 * contain arbitrary bytes (including NUL where a length is given), which
 * makes each parser a direct fuzzing target.
 */
#ifndef ZIZHI_PARSE_H
#define ZIZHI_PARSE_H

#include <stddef.h>

#include "utf8.h"

struct arena;

/* A key and its value; val is NUL-terminated and vlen excludes the NUL. */
struct param {
	const char	*key;
	const char	*val;
	size_t		 vlen;
};

/* An ordered list of params; grows in the arena.  Zero-initialise it. */
struct params {
	struct param	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * One uploaded file.  field and filename are NUL-terminated, valid UTF-8
 * and NUL-free.  filename is exactly what the client sent (after
 * quoted-string unescaping): it may contain a directory path ("C:\x\a.pdf",
 * "../../a"), "%22" (how browsers encode a double quote) or anything else.
 * Sanitising it (basename, allowed characters, length) is the caller's job.
 * ctype is the lowercased "type/subtype" of the part (parameters dropped),
 * "application/octet-stream" when the part had none.
 * data points into the body passed to parse_multipart (not copied, not
 * NUL-terminated, binary-safe): the body must outlive the upload.
 */
struct upload {
	const char	*field;
	const char	*filename;
	const char	*ctype;
	const char	*data;
	size_t		 size;
};

struct uploads {
	struct upload	*v;
	size_t		 n;
	size_t		 cap;
};

enum parse_err {
	PARSE_OK = 0,
	PARSE_MALFORMED = -1,
	PARSE_TOO_MANY = -2,
	PARSE_TOO_LARGE = -3
};

/*
 * Caps.  PARAMS: pairs per query, form body or Cookie header.  PARTS:
 * multipart parts, skipped ones included.  URLENCODED: bytes of a query
 * or form body.  HEADER: bytes of a Cookie or Content-Type value.
 * PART_HEADER: bytes of one part's header block.  FIELD: bytes of one
 * multipart text field.  HPARAMS: parameters in one header value.
 * BOUNDARY: RFC 2046.  PATH: bytes of a raw request path.
 */
#define PARSE_MAX_PARAMS	1000
#define PARSE_MAX_PARTS		200
#define PARSE_MAX_URLENCODED	(1024 * 1024)
#define PARSE_MAX_HEADER	8192
#define PARSE_MAX_PART_HEADER	8192
#define PARSE_MAX_FIELD		(1024 * 1024)
#define PARSE_MAX_HPARAMS	32
#define PARSE_MAX_BOUNDARY	70
#define PARSE_MAX_PATH		4096

/*
 * Percent-decodes in[0..len) into out, which must hold len + 1 bytes
 * (out may be in: decoding never grows).  '+' becomes ' ' when plus_space
 * is set.  out is NUL-terminated.  Returns the decoded length, or -1 when
 * a '%' is not followed by two hex digits, or the result contains a NUL
 * byte or is not valid UTF-8.
 */
long		 url_decode(const char *in, size_t len, char *out,
		    int plus_space);



/*
 * Appends key and val[0..vlen) (copied into the arena, NUL-terminated)
 * to p.  Does not enforce PARSE_MAX_PARAMS: the parsers do that per call.
 */
void		 params_add(struct arena *, struct params *p,
		    const char *key, const char *val, size_t vlen);

/* The first value of key, or NULL. */
const char	*params_get(const struct params *, const char *key);
/* How many times key occurs. */
size_t		 params_count(const struct params *, const char *key);
/* The i-th (from 0) value of a repeated key (form rows), or NULL. */
const char	*params_nth(const struct params *, const char *key,
		    size_t i);

/*
 * Parses a query string or an application/x-www-form-urlencoded body,
 * appending to out.  "a=1&b=&c" gives a:"1", b:"", c:"".  Empty pieces
 * ("&&") and pieces with an empty key ("=x") are skipped.  Keys and values
 * are decoded with url_decode (plus as space), so both are valid UTF-8 and
 * NUL-free; any bad encoding makes the whole input PARSE_MALFORMED.
 * Longer than PARSE_MAX_URLENCODED: PARSE_TOO_LARGE.  More than
 * PARSE_MAX_PARAMS pairs: PARSE_TOO_MANY.
 */
int		 parse_urlencoded(struct arena *, const char *s, size_t len,
		    struct params *out);

/*
 * Parses an RFC 6265 Cookie header ("a=b; c=d"), appending to out in the
 * order sent (so params_get gives the browser's preferred one).  header
 * may be NULL (no cookies).  Whitespace around names and values is
 * trimmed; a value may be in double quotes (removed).  Values are not
 * percent-decoded.  Pairs that are malformed (no '=', name not a token,
 * value with bytes outside cookie-octet) are skipped, not fatal.  Longer
 * than PARSE_MAX_HEADER: PARSE_TOO_LARGE; more than PARSE_MAX_PARAMS
 * pairs kept: PARSE_TOO_MANY.
 */
int		 parse_cookies(struct arena *, const char *header,
		    struct params *out);

/*
 * Parses a media type "type/subtype; name=value; ..." (Content-Type).
 * *type gets the lowercased "type/subtype".  If params is not NULL, each
 * parameter is appended with its name lowercased and its value unquoted
 * (look one up with params_get(params, "boundary")).  Values are token or
 * quoted-string; inside quotes a backslash escapes only '"' and '\\' and is
 * otherwise kept literally.  A repeated parameter is PARSE_MALFORMED.
 * Longer than PARSE_MAX_HEADER: PARSE_TOO_LARGE; more than
 * PARSE_MAX_HPARAMS parameters: PARSE_TOO_MANY.
 */
int		 parse_media_type(struct arena *, const char *header,
		    const char **type, struct params *params);

/*
 * One parameter of a media type header, or NULL if the header is
 * malformed or has no such parameter.  Convenience over parse_media_type.
 */
const char	*parse_header_param(struct arena *, const char *header,
		    const char *name);

/*
 * Parses a multipart/form-data body (RFC 7578).  content_type is the
 * request's Content-Type header; it must be multipart/form-data with a
 * boundary parameter (quoted or not, 1-70 RFC 2046 characters).
 *
 * Each part needs a Content-Disposition: form-data with a non-empty name.
 * A part with a filename parameter goes to files (except filename="" with
 * no data: a file input left empty, skipped); any other part goes to
 * fields, whose values must be valid UTF-8, NUL-free and at most
 * PARSE_MAX_FIELD bytes.  Names and filenames must be valid UTF-8.
 * Content-Transfer-Encoding other than 7bit/8bit/binary, header line
 * folding, a missing final boundary or trailing garbage after a boundary
 * are PARSE_MALFORMED.  Preamble and epilogue are ignored.  More than
 * PARSE_MAX_PARTS parts: PARSE_TOO_MANY.
 */
int		 parse_multipart(struct arena *, const char *content_type,
		    const char *body, size_t len, struct params *fields,
		    struct uploads *files);

/*
 * Normalises a request path (without the query string): it must start
 * with '/' and be at most PARSE_MAX_PATH bytes; it is percent-decoded
 * ('+' kept; "%2F" becomes a separator), must then be valid UTF-8 without
 * NUL or other control bytes; runs of '/' collapse to one; any "." or ".."
 * segment and any backslash is refused.  A trailing '/' is kept.
 * Returns the result (in the arena) or NULL on refusal.
 */
const char	*path_normalise(struct arena *, const char *raw, size_t len);

#endif
