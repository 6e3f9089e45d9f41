/*
 * embedded.h: files compiled into the binary (templates/, static/,
 * schema.sql). Names are the paths relative to the source tree, e.g.
 * "templates/home.html". Each data array is NUL-terminated.
 */
#ifndef ZIZHI_EMBEDDED_H
#define ZIZHI_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char	*name;
	const char	*data;
	size_t		 size;
};

extern const struct embedded_file embedded_files[];

/* The file of that name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
