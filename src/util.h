/*
 * util.h: growable byte buffers, per-request arenas, checked allocation.
 *
 * Allocation failure is not recoverable in a request handler, so the x*
 * functions print a message and abort instead of returning NULL.
 */
#ifndef ZIZHI_UTIL_H
#define ZIZHI_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define ZZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ZZ_PRINTF(a, b)
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte buffer; p is always NUL-terminated after any add. */
struct buf {
	char	*p;
	size_t	 n;
	size_t	 cap;
};

void	 buf_init(struct buf *b);
void	 buf_free(struct buf *b);
void	 buf_reset(struct buf *b);
void	 buf_add(struct buf *b, const void *data, size_t n);
/* Room for n more bytes (and the NUL) without growing again. */
void	 buf_reserve(struct buf *b, size_t n);
void	 buf_puts(struct buf *b, const char *s);
void	 buf_putc(struct buf *b, char c);
void	 buf_putu(struct buf *b, unsigned long long v);	/* decimal */
void	 buf_printf(struct buf *b, const char *fmt, ...) ZZ_PRINTF(2, 3);
void	 buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' replaced by HTML entities. */
void	 buf_html(struct buf *b, const char *s, size_t n);
/* s as a JSON string, quoted and escaped (RFC 8259); bytes >= 0x80 pass
 * through. */
void	 buf_json(struct buf *b, const char *s);

/*
 * An arena: many small allocations freed together (one per request).
 * Memory is zeroed. Never returns NULL.
 */
struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *a);
void		*arena_alloc(struct arena *a, size_t n);	/* zeroed */
void		*arena_take(struct arena *a, size_t n);		/* not cleared */
char		*arena_strdup(struct arena *a, const char *s);
char		*arena_strndup(struct arena *a, const char *s, size_t n);
char		*arena_printf(struct arena *a, const char *fmt, ...) ZZ_PRINTF(2, 3);
/* Percent-encodes s for a URL query value; RFC 3986 unreserved
 * characters and "/" stay as they are. */
char		*arena_urlencode(struct arena *a, const char *s);

#endif
