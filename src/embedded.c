/*
 * embedded.c: look-ups in the table that tools/embed.c generates.
 */
#include <string.h>

#include "embedded.h"

const struct embedded_file *
embedded_find(const char *name)
{
	const struct embedded_file *f;

	for (f = embedded_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
