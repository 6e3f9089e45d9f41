/*
 * testlib_json.h: a small, strict JSON reader for tests.
 *
 * RFC 8259 and nothing more: no comments, no trailing commas, no
 * duplicate keys, no lone surrogates, valid UTF-8 only. Objects keep
 * their key order. Strings are decoded to UTF-8 (and may hold NUL bytes:
 * use len). Numbers keep the text they were written as and its value.
 */
#ifndef ZIZHI_TESTLIB_JSON_H
#define ZIZHI_TESTLIB_JSON_H

#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

struct json {
	enum json_type	  type;
	int		  b;		/* JSON_BOOL */
	double		  num;		/* JSON_NUMBER */
	char		 *str;		/* JSON_STRING text; JSON_NUMBER as written */
	size_t		  len;		/* bytes in str, without the NUL */
	struct json	**items;	/* JSON_ARRAY elements, JSON_OBJECT values */
	char		**keys;		/* JSON_OBJECT keys, NUL-terminated */
	size_t		  n;		/* number of items (and keys) */
};

/*
 * Parses exactly one JSON value (with surrounding whitespace) from s[0..n).
 * Returns NULL on error with "line L, column C: what" in err.
 */
struct json		*json_parse(const char *s, size_t n, char *err,
			    size_t errlen);
/* Reads and parses a file; errors name the file. */
struct json		*json_parse_file(const char *path, char *err,
			    size_t errlen);
void			 json_free(struct json *v);

/* The value of key in an object (NULL if absent or not an object). */
const struct json	*json_get(const struct json *obj, const char *key);
/* Element i of an array (NULL if out of range or not an array). */
const struct json	*json_at(const struct json *arr, size_t i);
/* Elements of an array or members of an object; 0 for anything else. */
size_t			 json_len(const struct json *v);
/* The text of a string (NULL if v is not a string). */
const char		*json_string(const struct json *v);
/* The value of a number, or dflt if v is not a number. */
double			 json_number(const struct json *v, double dflt);
/* Whether v is true (only JSON true is). */
int			 json_true(const struct json *v);
const char		*json_type_name(enum json_type t);

/*
 * Reads a whole file into a NUL-terminated malloc'd buffer (free()).
 * Returns NULL with a message in err.
 */
char			*json_read_file(const char *path, size_t *lenp,
			    char *err, size_t errlen);

#endif
