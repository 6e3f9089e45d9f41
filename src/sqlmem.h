/*
 * sqlmem.h: SQLite's memory allocator (SQLITE_CONFIG_MALLOC).
 *
 * Debian builds SQLite without its lookaside allocator
 * (SQLITE_OMIT_LOOKASIDE), so every cursor a statement opens and every
 * value it copies is a malloc and a free: about 260 of each for the staff
 * case page, a tenth of its instructions (docs/performance.md). This
 * allocator keeps freed small blocks on per-thread lists by size class
 * and hands them out again; larger blocks go straight to malloc.
 */
#ifndef ZIZHI_SQLMEM_H
#define ZIZHI_SQLMEM_H

#include <stddef.h>

/* Size classes of SQLMEM_CLASS bytes up to SQLMEM_SMALL; at most
 * SQLMEM_KEEP bytes kept free per thread (a thread's list is given back
 * to malloc when it ends). */
#define SQLMEM_CLASS	64
#define SQLMEM_SMALL	1024
#define SQLMEM_KEEP	(256 * 1024)

/*
 * Installs the allocator: 0, or -1 when SQLite is already in use in the
 * process (sqlite3_config refuses then, and SQLite's own stays).
 */
int	sqlmem_install(void);

/* Bytes this thread keeps free (for the tests). */
size_t	sqlmem_kept(void);

#endif
