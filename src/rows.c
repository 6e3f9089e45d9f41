/*
 * rows.c: growing arrays in an arena (rows.h).
 */
#include <string.h>

#include "rows.h"
#include "util.h"

void *
rows_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	void *bigger;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	bigger = arena_alloc(a, *cap * size);
	if (n > 0)
		memcpy(bigger, v, n * size);
	return bigger;
}
