/*
 * cli_import.c: `zizhi import certificates [--db PATH] FILE.csv`: the
 * certificates issued before the system, into the register
 * (certimport.h). Prints "N new, M unchanged" and exits 0; a file with
 * any bad row imports nothing, names each bad row (FILE:LINE: what is
 * wrong) and exits 1; 2 for a wrong command line, a database or a file
 * that cannot be read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "certimport.h"
#include "cli.h"
#include "opts.h"
#include "store.h"
#include "util.h"

static const char usage[] = "usage: zizhi import certificates [--db PATH] "
    "FILE.csv\n"
    "  FILE.csv: UTF-8, first line " CERTIMPORT_HEADER "\n"
    "  (status: valid, suspended, cancelled or expired)\n";

/* The whole file into b; 0, or -1 with a message printed. */
static int
slurp(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "zizhi import: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->n + n > (size_t)CERTIMPORT_MAX_BYTES) {
			fprintf(stderr, "zizhi import: %s: larger than %ld "
			    "bytes\n", path, CERTIMPORT_MAX_BYTES);
			fclose(f);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		fprintf(stderr, "zizhi import: %s: %s\n", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

int
cli_import(int argc, char *argv[])
{
	struct certimport_result r;
	struct opts o;
	struct store *s;
	struct arena *a;
	struct buf data;
	struct dom d;
	char err[512];
	enum dom_rc rc;
	size_t i;

	if (opts_parse(&o, argc, argv, OPT_DB) != 0 || o.nrest != 2 ||
	    strcmp(o.rest[0], "certificates") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	buf_init(&data);
	if (slurp(o.rest[1], &data) != 0) {
		buf_free(&data);
		return 2;
	}
	if ((s = store_open(o.db, err, sizeof(err))) == NULL ||
	    store_check_version(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi import: %s\n", err);
		store_close(s);
		buf_free(&data);
		return 2;
	}
	a = arena_new();
	dom_init(&d, s, a, NULL, (long long)time(NULL));
	rc = certimport_run(&d, data.p ? data.p : "", data.n, &r);
	for (i = 0; i < r.nbad; i++)
		fprintf(stderr, "%s:%ld: %s\n", o.rest[1], r.bad[i].line,
		    r.bad[i].msg);
	switch (rc) {
	case DOM_OK:
		printf("zizhi import: %s: %zu certificates: %zu new, %zu "
		    "unchanged\n", o.rest[1], r.rows, r.added, r.unchanged);
		break;
	case DOM_INVALID:
		fprintf(stderr, "zizhi import: %s: %zu bad rows; nothing "
		    "imported\n", o.rest[1], r.nbad);
		break;
	default:
		fprintf(stderr, "zizhi import: %s: the database failed; "
		    "nothing imported\n", o.rest[1]);
		break;
	}
	arena_free(a);
	store_close(s);
	buf_free(&data);
	return rc == DOM_OK ? 0 : rc == DOM_INVALID ? 1 : 2;
}
