/*
 * tmpl.h: a Mustache template engine (spec v1.3: comments, delimiters,
 * interpolation, inverted, partials, sections, ~inheritance).
 *
 * Templates are parsed once into a set and rendered many times. {{x}}
 * escapes & < > " ' always; {{{x}}} and {{&x}} write raw text and must only
 * carry HTML the program built itself.
 *
 * The data ("view") is a tree of struct tv values allocated in an arena.
 */
#ifndef ZIZHI_TMPL_H
#define ZIZHI_TMPL_H

#include <stddef.h>

#include "util.h"

enum tv_kind {
	TV_NULL,
	TV_BOOL,
	TV_STR,
	TV_LIST,
	TV_MAP
};

struct tv;

/* Constructors; every value lives in the arena it was made in. */
struct tv	*tv_null(struct arena *a);
struct tv	*tv_bool(struct arena *a, int b);
struct tv	*tv_str(struct arena *a, const char *s);	/* copies s */
struct tv	*tv_strn(struct arena *a, const char *s, size_t n);
struct tv	*tv_list(struct arena *a);
struct tv	*tv_map(struct arena *a);

/*
 * Maps: put replaces an existing key. Keys are not copied (a page puts
 * hundreds, nearly all string literals): a key must live as long as the
 * view, as a literal or text in the view's arena does.
 */
void		 tv_put(struct tv *map, const char *key, struct tv *v);
void		 tv_put_str(struct tv *map, const char *key, const char *s);
void		 tv_put_int(struct tv *map, const char *key, long long v);
void		 tv_put_bool(struct tv *map, const char *key, int b);
struct tv	*tv_put_map(struct tv *map, const char *key);	/* new child */
struct tv	*tv_put_list(struct tv *map, const char *key);	/* new child */
const struct tv	*tv_get(const struct tv *map, const char *key);

/* Lists. */
void		 tv_push(struct tv *list, struct tv *v);
struct tv	*tv_push_map(struct tv *list);			/* new child */
size_t		 tv_len(const struct tv *list);

enum tv_kind	 tv_kind(const struct tv *v);
const char	*tv_string(const struct tv *v);	/* TV_STR text, else NULL */

/*
 * In {{#x}} and {{^x}}, x is false when missing, null, false, an empty
 * list or an empty string (so {{#error}}...{{/error}} needs no flag); any
 * other string, "0" included, and any map are true. A list repeats the
 * section once per element. Numbers are strings (tv_put_int).
 */

/*
 * A set of named templates; partials and parents are looked up in it.
 * Add every template before rendering: adding is not safe while another
 * thread renders, rendering the same set from many threads is.
 */
struct tmpl_set;

struct tmpl_set	*tmpl_set_new(void);
void		 tmpl_set_free(struct tmpl_set *set);

/*
 * Parses src and adds it under name (replacing one of that name).
 * Returns 0, or -1 with "name:line: what is wrong" in err.
 */
int		 tmpl_set_add(struct tmpl_set *set, const char *name,
		    const char *src, size_t len, char *err, size_t errlen);

/* Whether a template of that name is in the set. */
int		 tmpl_exists(const struct tmpl_set *set, const char *name);

/*
 * Renders the named template against view (which may be NULL) and
 * appends the result to out. Returns 0, or -1 with a message in err
 * (unknown template, nesting deeper than TMPL_MAX_DEPTH, output larger
 * than TMPL_MAX_OUTPUT). A missing partial renders as empty text.
 */
#define TMPL_MAX_DEPTH	64
#define TMPL_MAX_OUTPUT	(64u * 1024 * 1024)
int		 tmpl_render(const struct tmpl_set *set, const char *name,
		    const struct tv *view, struct buf *out, char *err,
		    size_t errlen);

/*
 * The same for plain-text output (notices, e-mail): nothing is
 * HTML-escaped. Never use its output as HTML without escaping it.
 */
int		 tmpl_render_text(const struct tmpl_set *set, const char *name,
		    const struct tv *view, struct buf *out, char *err,
		    size_t errlen);

#endif
