/*
 * sqlmem.c: SQLite's memory allocator (sqlmem.h).
 *
 * Each block has a 16-byte head (malloc's alignment kept) holding its
 * size: a class's size for the small ones, which xRoundup tells SQLite
 * so that it uses the whole block. A freed small block goes on its
 * thread's list for its class while the thread keeps under SQLMEM_KEEP
 * bytes; a pthread key's destructor gives a thread's lists back to malloc
 * when the thread ends. No lock: a list belongs to one thread, and a
 * block may be freed by another thread than the one that took it (it
 * then joins that thread's list).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlmem.h"

#define NCLASS	(SQLMEM_SMALL / SQLMEM_CLASS)
#define HEAD	16

struct block {
	struct block	*next;
};

struct cache {
	struct block	*list[NCLASS];
	size_t		 kept;
	int		 keyed;		/* the destructor is registered */
};

static _Thread_local struct cache tc;
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static size_t
size_of(const void *p)
{
	size_t n;

	memcpy(&n, (const char *)p - HEAD, sizeof(n));
	return n;
}

/* The size a request of n bytes gets. */
static size_t
rounded(size_t n)
{
	if (n <= SQLMEM_SMALL)
		return n == 0 ? SQLMEM_CLASS : (n + SQLMEM_CLASS - 1) /
		    SQLMEM_CLASS * SQLMEM_CLASS;
	if (n > SIZE_MAX - HEAD * 2)
		return 0;
	return (n + HEAD - 1) / HEAD * HEAD;
}

static void
drain(void *arg)
{
	struct cache *c = arg;
	struct block *b;
	size_t i;

	for (i = 0; i < NCLASS; i++) {
		while ((b = c->list[i]) != NULL) {
			c->list[i] = b->next;
			free((char *)b - HEAD);
		}
	}
	c->kept = 0;
	c->keyed = 0;
}

static void
make_key(void)
{
	if (pthread_key_create(&key, drain) != 0)
		abort();
}

static void *
xmalloc_(int n)
{
	size_t size = rounded(n < 0 ? 0 : (size_t)n), c;
	struct block *b;
	char *p;

	if (size == 0)
		return NULL;
	if (size <= SQLMEM_SMALL) {
		c = size / SQLMEM_CLASS - 1;
		if ((b = tc.list[c]) != NULL) {
			tc.list[c] = b->next;
			tc.kept -= size;
			return b;
		}
	}
	if ((p = malloc(HEAD + size)) == NULL)
		return NULL;
	memcpy(p, &size, sizeof(size));
	return p + HEAD;
}

static void
xfree_(void *p)
{
	size_t size;
	struct block *b;

	if (p == NULL)
		return;
	size = size_of(p);
	if (size > SQLMEM_SMALL || tc.kept + size > SQLMEM_KEEP) {
		free((char *)p - HEAD);
		return;
	}
	if (!tc.keyed) {
		/* The thread's lists go back to malloc when it ends. */
		pthread_once(&key_once, make_key);
		if (pthread_setspecific(key, &tc) != 0) {
			free((char *)p - HEAD);
			return;
		}
		tc.keyed = 1;
	}
	b = p;
	b->next = tc.list[size / SQLMEM_CLASS - 1];
	tc.list[size / SQLMEM_CLASS - 1] = b;
	tc.kept += size;
}

static int
xsize_(void *p)
{
	return p == NULL ? 0 : (int)size_of(p);
}

static void *
xrealloc_(void *p, int n)
{
	size_t old = size_of(p), want = rounded(n < 0 ? 0 : (size_t)n);
	void *q;

	if (want == old)
		return p;
	if ((q = xmalloc_(n)) == NULL)
		return NULL;
	memcpy(q, p, old < want ? old : want);
	xfree_(p);
	return q;
}

static int
xroundup_(int n)
{
	size_t r = rounded(n < 0 ? 0 : (size_t)n);

	return r == 0 || r > INT32_MAX ? n : (int)r;
}

static int
xinit_(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
xshutdown_(void *arg)
{
	(void)arg;
}

int
sqlmem_install(void)
{
	static const sqlite3_mem_methods m = {
		xmalloc_, xfree_, xrealloc_, xsize_, xroundup_, xinit_,
		xshutdown_, NULL
	};

	return sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK ? 0 : -1;
}

size_t
sqlmem_kept(void)
{
	return tc.kept;
}
