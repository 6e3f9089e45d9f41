/*
 * rows.h: growing an array of rows read from the database in a domain
 * context's arena, for the read functions that return plain C arrays.
 */
#ifndef ZIZHI_ROWS_H
#define ZIZHI_ROWS_H

#include <stddef.h>

struct arena;

/*
 * Room for element n of an array v of elements of size bytes that has
 * room for *cap: v itself when n < *cap, else a copy twice as large (at
 * least 16) in a, *cap updated. Returns the array to use.
 */
void	*rows_grow(struct arena *a, void *v, size_t n, size_t *cap,
	    size_t size);

#endif
