/*
 * mutate.c: `make mutate`. Applies each deliberate bug of a list kept in
 * the repository (tests/mutations.txt), one at a time, to a copy of the
 * source, rebuilds, and runs the tests that must catch it. A mutation
 * the tests do not catch "survives", and the run fails: a test suite is
 * only as good as the bugs it finds (SQLite's habit).
 *
 *   mutate LIST BUILD_DIR [ID ...]
 *
 * The list: blocks separated by blank lines, lines "key: value":
 *
 *   mutation: csrf-prefix
 *   why:      a CSRF token compared on its first 8 characters
 *   file:     src/auth.c
 *   find:     sodium_memcmp(t, req->csrf, TOKEN_CHARS)
 *   replace:  sodium_memcmp(t, req->csrf, 8)
 *   test:     itest itest_auth
 *
 * find must occur exactly once in file (else the list is out of date:
 * the run fails and says so); "\n" and "\t" in find and replace stand
 * for a newline and a tab. test is "unit NAME ..." (test programs),
 * "itest NAME ..." (integration tests through both doors), "kill" (the
 * kill test) or "cmd SHELL COMMAND"; several test lines are run in turn
 * and the mutation is caught as soon as one fails.
 *
 * First the tree as it is must build and pass every test named (or a
 * failing test would seem to catch everything). Each mutation must
 * build (one that does not is a fault of the list, reported as such).
 * The mutated file is put back after each mutation. Exit 0 when every
 * mutation was caught, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_TESTS	8
#define LINE_MAX_LEN	4096

struct mutation {
	char	 id[128];
	char	 why[512];
	char	 file[256];
	char	*find;
	char	*replace;
	char	*tests[MAX_TESTS];
	int	 ntests;
	int	 line;
};

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL) {
		perror("mutate");
		exit(2);
	}
	return p;
}

/* "\n" and "\t" escapes, in place. */
static char *
unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r != '\0'; r++) {
		if (r[0] == '\\' && (r[1] == 'n' || r[1] == 't' ||
		    r[1] == '\\')) {
			*w++ = r[1] == 'n' ? '\n' : r[1] == 't' ? '\t' : '\\';
			r++;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return s;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n + 1)) ==
	    NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int
spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static int
run(const char *cmd)
{
	int st = system(cmd);

	if (st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The programs every mutation builds before its tests run. */
static void
build_command(const struct mutation *m, const char *build, char *out,
    size_t len)
{
	char copy[2048], *p;
	size_t n;
	int j;

	n = (size_t)snprintf(out, len, "make -s BUILD=%s %s/zizhi "
	    "%s/tests/smtp_sink %s/tests/killtest_driver", build, build, build,
	    build);
	for (j = 0; j < m->ntests; j++) {
		snprintf(copy, sizeof(copy), "%s", m->tests[j]);
		if ((p = strtok(copy, " ")) == NULL || (strcmp(p, "unit") !=
		    0 && strcmp(p, "itest") != 0))
			continue;
		while ((p = strtok(NULL, " ")) != NULL && n < len)
			n += (size_t)snprintf(out + n, len - n, " %s/tests/%s",
			    build, p);
	}
	if (n < len)
		snprintf(out + n, len - n, " >/dev/null 2>&1");
}

/* The shell command for one "test:" line. */
static void
test_command(const char *test, const char *build, char *out, size_t len)
{
	char names[2048] = "", *p, copy[2048];
	const char *kind;
	size_t n;

	snprintf(copy, sizeof(copy), "%s", test);
	kind = strtok(copy, " ");
	if (kind == NULL)
		kind = "";
	if (strcmp(kind, "cmd") == 0) {
		snprintf(out, len, "%s", test + 4);
		return;
	}
	if (strcmp(kind, "kill") == 0) {
		snprintf(out, len, "sh tests/killtest.sh %s >/dev/null 2>&1",
		    build);
		return;
	}
	while ((p = strtok(NULL, " ")) != NULL) {
		n = strlen(names);
		snprintf(names + n, sizeof(names) - n, " %s/tests/%s", build,
		    p);
	}
	if (strcmp(kind, "unit") == 0) {
		/* Each program in turn; the first failure is enough. */
		snprintf(out, len, "for t in%s; do MUSTACHE_SPEC=${MUSTACHE_SPEC:-"
		    "../shared/mustache-spec} ZIZHI_SMTP_SINK=%s/tests/smtp_sink "
		    "$t >/dev/null 2>&1 || exit 1; done", names, build);
		return;
	}
	if (strcmp(kind, "itest") == 0) {
		snprintf(out, len, "ITESTS='%s' sh tests/integration.sh %s "
		    ">/dev/null 2>&1", test + 6, build);
		return;
	}
	snprintf(out, len, "echo 'mutate: unknown test kind: %s' >&2; exit 2",
	    kind);
}

static int
parse(const char *path, struct mutation *m, int max)
{
	FILE *f = fopen(path, "r");
	char line[LINE_MAX_LEN], *v;
	int n = -1, lineno = 0, inblock = 0;
	size_t k;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		k = strlen(line);
		while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r'))
			line[--k] = '\0';
		if (line[0] == '#')
			continue;
		if (k == 0) {
			inblock = 0;
			continue;
		}
		if ((v = strchr(line, ':')) == NULL) {
			fprintf(stderr, "%s:%d: expected key: value\n", path,
			    lineno);
			exit(2);
		}
		*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		if (!inblock) {
			if (strcmp(line, "mutation") != 0) {
				fprintf(stderr, "%s:%d: a block starts with "
				    "\"mutation:\"\n", path, lineno);
				exit(2);
			}
			if (++n == max) {
				fprintf(stderr, "%s: too many mutations\n",
				    path);
				exit(2);
			}
			memset(&m[n], 0, sizeof(m[n]));
			m[n].line = lineno;
			snprintf(m[n].id, sizeof(m[n].id), "%s", v);
			inblock = 1;
		} else if (strcmp(line, "why") == 0)
			snprintf(m[n].why, sizeof(m[n].why), "%s", v);
		else if (strcmp(line, "file") == 0)
			snprintf(m[n].file, sizeof(m[n].file), "%s", v);
		else if (strcmp(line, "find") == 0)
			m[n].find = unescape(xstrdup(v));
		else if (strcmp(line, "replace") == 0)
			m[n].replace = unescape(xstrdup(v));
		else if (strcmp(line, "test") == 0 && m[n].ntests < MAX_TESTS)
			m[n].tests[m[n].ntests++] = xstrdup(v);
		else {
			fprintf(stderr, "%s:%d: unknown key \"%s\"\n", path,
			    lineno, line);
			exit(2);
		}
	}
	fclose(f);
	return n + 1;
}

int
main(int argc, char *argv[])
{
	static struct mutation m[256];
	char cmd[8192], *orig, *mut, *at;
	size_t len, flen, rlen;
	int n, i, j, k, caught, built, survived = 0, stale = 0, done = 0;
	int wanted;

	if (argc < 3) {
		fprintf(stderr, "usage: mutate LIST BUILD_DIR [ID ...]\n");
		return 2;
	}
	n = parse(argv[1], m, 256);
	/* The unmutated tree first: its tests must pass, or nothing that
	 * follows means anything. */
	for (i = 0; i < n; i++) {
		if (m[i].find == NULL || m[i].replace == NULL ||
		    m[i].file[0] == '\0' || m[i].ntests == 0) {
			fprintf(stderr, "%s:%d: %s: file, find, replace and test "
			    "are required\n", argv[1], m[i].line, m[i].id);
			return 2;
		}
		if ((orig = slurp(m[i].file, &len)) == NULL ||
		    (at = strstr(orig, m[i].find)) == NULL ||
		    strstr(at + 1, m[i].find) != NULL) {
			printf("mutate: %s: \"%s\" is not exactly once in %s: "
			    "the list is out of date\n", m[i].id, m[i].find,
			    m[i].file);
			stale++;
		}
		free(orig);
	}
	if (stale > 0)
		return 1;
	/* The tree as it is first: it builds and each test passes, or a
	 * failing test would seem to catch every mutation. */
	printf("mutate: the unmutated tree ... ");
	fflush(stdout);
	for (i = 0; i < n; i++) {
		build_command(&m[i], argv[2], cmd, sizeof(cmd));
		if (run(cmd) != 0) {
			printf("does not build\n");
			return 2;
		}
		for (j = 0; j < m[i].ntests; j++) {
			for (k = 0; k < i; k++)
				if (m[k].ntests > j && strcmp(m[k].tests[j],
				    m[i].tests[j]) == 0)
					break;
			if (k < i)
				continue;
			test_command(m[i].tests[j], argv[2], cmd, sizeof(cmd));
			if (run(cmd) != 0) {
				printf("FAILS \"%s\" (fix that first)\n",
				    m[i].tests[j]);
				return 2;
			}
		}
	}
	printf("builds, and its tests pass\n");
	for (i = 0; i < n; i++) {
		for (wanted = argc == 3, k = 3; k < argc; k++)
			wanted |= strcmp(argv[k], m[i].id) == 0;
		if (!wanted)
			continue;
		orig = slurp(m[i].file, &len);
		at = strstr(orig, m[i].find);
		flen = strlen(m[i].find);
		rlen = strlen(m[i].replace);
		mut = malloc(len - flen + rlen + 1);
		memcpy(mut, orig, (size_t)(at - orig));
		memcpy(mut + (at - orig), m[i].replace, rlen);
		memcpy(mut + (at - orig) + rlen, at + flen,
		    len - (size_t)(at - orig) - flen + 1);
		printf("mutate: %-28s %s ... ", m[i].id, m[i].why);
		fflush(stdout);
		if (spit(m[i].file, mut, len - flen + rlen) != 0) {
			perror(m[i].file);
			return 2;
		}
		build_command(&m[i], argv[2], cmd, sizeof(cmd));
		built = run(cmd) == 0;
		caught = 0;
		for (j = 0; built && j < m[i].ntests && !caught; j++) {
			test_command(m[i].tests[j], argv[2], cmd, sizeof(cmd));
			caught = run(cmd) != 0;
		}
		/* Put the file back (make rebuilds it next time). */
		if (spit(m[i].file, orig, len) != 0) {
			perror(m[i].file);
			return 2;
		}
		printf("%s\n", !built ? "DOES NOT BUILD (fix the list)" :
		    caught ? "caught" : "SURVIVED");
		survived += !caught;
		done++;
		free(orig);
		free(mut);
	}
	printf("mutate: %d mutations, %d caught, %d survived\n", done,
	    done - survived, survived);
	return survived == 0 ? 0 : 1;
}
