/*
 * cli_intake.c: `zizhi intake …`, the centre's 受理 configuration
 * (docs/deploy.md, docs/rules.md):
 *
 *   zizhi intake paper [required|scan]      what 受理 needs of the sealed
 *                                           申请书 (no argument: show it)
 *   zizhi intake requirement list [--all]   §3.1 (5)'s supplementary
 *   zizhi intake requirement add --title T [--hint H]       requirements
 *   zizhi intake requirement retire ID
 *
 * each with [--db PATH] (default $ZIZHI_DB, else data/zizhi.db). The
 * settings live in the database, so every worker sees a change at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "eligibility.h"
#include "paper.h"
#include "store.h"
#include "util.h"
#include "valid.h"

static const char usage[] =
"usage: zizhi intake paper [required|scan] [--db PATH]\n"
"       zizhi intake requirement list [--all] [--db PATH]\n"
"       zizhi intake requirement add --title TEXT [--hint TEXT] [--db PATH]\n"
"       zizhi intake requirement retire ID [--db PATH]\n"
"\n"
"  paper required   受理 waits for the sealed, bound paper 申请书 (default)\n"
"  paper scan       the sealed scan uploaded with the round is enough\n"
"  requirement ...  the supplementary requirements of §3.1 (5), which the\n"
"                   case's lead records per case at review\n";

/* The arguments after the words, with --db taken out. */
struct args {
	const char	*db;
	const char	*title;
	const char	*hint;
	int		 all;
	const char	*rest[4];
	int		 nrest;
};

static int
parse(int argc, char *argv[], int from, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->db = getenv("ZIZHI_DB") ? getenv("ZIZHI_DB") : "data/zizhi.db";
	for (i = from; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			a->all = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
			a->db = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--title") == 0)
			a->title = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--hint") == 0)
			a->hint = argv[++i];
		else if (argv[i][0] != '-' && a->nrest < 4)
			a->rest[a->nrest++] = argv[i];
		else
			return -1;
	}
	return 0;
}

static int
run(const struct args *a, const char *what)
{
	struct store *s;
	struct arena *ar;
	struct dom d;
	struct elig_req *r;
	enum paper_mode m;
	enum dom_rc rc = DOM_OK;
	long long id;
	size_t n, i;
	char err[512];
	int status = 0;

	if ((s = store_open(a->db, err, sizeof(err))) == NULL ||
	    store_check_version(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi intake: %s\n", err);
		store_close(s);
		return 1;
	}
	ar = arena_new();
	dom_init(&d, s, ar, NULL, (long long)time(NULL));
	if (strcmp(what, "paper") == 0) {
		if (a->nrest == 1)
			rc = paper_mode_set(&d, strcmp(a->rest[0], "scan") == 0 ?
			    PAPER_SCAN : PAPER_REQUIRED);
		if (rc == DOM_OK && (rc = paper_mode_get(&d, &m)) == DOM_OK)
			printf("paper %s\n", paper_mode_code(m));
	} else if (strcmp(what, "list") == 0) {
		if ((rc = elig_req_list(&d, a->all, &r, &n)) == DOM_OK)
			for (i = 0; i < n; i++)
				printf("%lld\t%s\t%s\t%s\n", r[i].id,
				    r[i].active ? "active" : "retired",
				    r[i].title, r[i].hint);
	} else if (strcmp(what, "add") == 0) {
		if ((rc = elig_req_add(&d, a->title, a->hint, &id)) == DOM_OK)
			printf("%lld\n", id);
	} else {
		(void)valid_int(a->rest[0], 1, 1000000000, &id);
		rc = elig_req_retire(&d, id);
	}
	if (rc != DOM_OK) {
		fprintf(stderr, "zizhi intake: %s\n", d.msg != NULL ? d.msg :
		    "the database failed (see above)");
		status = rc == DOM_FAILED ? 1 : 2;
	}
	arena_free(ar);
	store_close(s);
	return status;
}

int
cli_intake(int argc, char *argv[])
{
	struct args a;
	long long id;

	if (argc >= 2 && strcmp(argv[1], "paper") == 0) {
		if (parse(argc, argv, 2, &a) != 0 || a.nrest > 1 || a.title ||
		    a.hint || a.all || (a.nrest == 1 &&
		    strcmp(a.rest[0], "required") != 0 &&
		    strcmp(a.rest[0], "scan") != 0))
			goto usage;
		return run(&a, "paper");
	}
	if (argc >= 3 && strcmp(argv[1], "requirement") == 0) {
		if (parse(argc, argv, 3, &a) != 0)
			goto usage;
		if (strcmp(argv[2], "list") == 0 && a.nrest == 0 && !a.title &&
		    !a.hint)
			return run(&a, "list");
		if (strcmp(argv[2], "add") == 0 && a.nrest == 0 &&
		    a.title != NULL && !a.all)
			return run(&a, "add");
		if (strcmp(argv[2], "retire") == 0 && a.nrest == 1 &&
		    !a.title && !a.hint && !a.all &&
		    valid_int(a.rest[0], 1, 1000000000, &id) == 0)
			return run(&a, "retire");
	}
	if (argc == 2 && strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
usage:
	fputs(usage, stderr);
	return 2;
}
