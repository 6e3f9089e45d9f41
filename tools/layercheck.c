/*
 * layercheck.c: the layer check (like Fossil's tools/codecheck1.c) that
 * `make check` runs over src/ and templates/. It fails the build when:
 *
 *  1. a page file (pages_*.c) calls SQLite (an identifier sqlite3_*),
 *     the store (store_stmt, store_exec, store_begin, store_commit,
 *     store_rollback, store_db) or holds SQL text (a string literal
 *     with SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM);
 *  2. a statement is prepared from anything but a string literal
 *     (store_stmt's second argument), or sqlite3_prepare* is called
 *     outside the modules that own raw connections (store.c, the backup
 *     and verify commands);
 *  3. a template uses raw output ({{{x}}} or {{&x}}) and is not listed
 *     below with the reason it is safe;
 *  4. a module includes the header of a higher layer, or the includes
 *     form a cycle;
 *  5. a status code ("draft", "issued", ...) appears as a C string
 *     literal, or in SQL as status = 'x' / status IN ('x', ...), outside
 *     status.c: statuses are named by their enum (status.h).
 *
 * Layers, lowest first (a module may include its own layer and below):
 *   0 base     pure code and libraries' glue: no database, no request
 *   1 store    the database connection and statements
 *   2 domain   business steps and reads on a struct dom (everything not
 *              named elsewhere is domain)
 *   3 web      the request/response, the process state (app.c),
 *              sessions, the router, page helpers
 *   4 pages    pages_*.c, routes.c
 *   5 app      handle.c: the one request path
 *   6 outer    the doors (httpd, fcgi), the commands (cli_*), main
 *
 *   layercheck SRC_DIR TEMPLATES_DIR
 *
 * Prints each violation as FILE:LINE: what; exits 1 if any, else prints
 * a summary and exits 0.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULES	256
#define MAX_INCLUDES	64
#define NAME_MAX_LEN	64

enum layer { L_BASE, L_STORE, L_DOMAIN, L_WEB, L_PAGES, L_APP, L_OUTER };

static const char *layer_names[] = { "base", "store", "domain", "web",
    "pages", "app", "outer" };

static const struct {
	const char	*module;
	enum layer	 layer;
} layers[] = {
	{ "util", L_BASE }, { "utf8", L_BASE }, { "date", L_BASE },
	{ "actor", L_BASE }, { "status", L_BASE }, { "rules", L_BASE },
	{ "valid", L_BASE }, { "parse", L_BASE }, { "tmpl", L_BASE },
	{ "files", L_BASE }, { "pdf", L_BASE }, { "svg", L_BASE },
	{ "mail", L_BASE }, { "password", L_BASE }, { "embedded", L_BASE },
	{ "form_def", L_BASE }, { "review", L_BASE },
	{ "store", L_STORE }, { "sqlmem", L_STORE },
	{ "http", L_WEB }, { "page", L_WEB }, { "router", L_WEB },
	{ "auth", L_WEB }, { "app", L_WEB },
	{ "pages", L_PAGES }, { "routes", L_PAGES },
	{ "handle", L_APP },
	{ "httpd", L_OUTER }, { "fcgi", L_OUTER }, { "main", L_OUTER },
	{ "cli", L_OUTER }, { "opts", L_OUTER },
	{ NULL, L_BASE }
};

/* Modules that own raw connections (sqlite3_prepare* is theirs). */
static const char *raw_sql_ok[] = { "store", "cli_backup", "cli_verify",
    NULL };

/* Templates allowed raw output, each with why it is safe. */
static const struct {
	const char	*file;
	const char	*why;
} raw_templates[] = {
	{ "dashboard.html", "{{{chart}}}: SVG built by svg.c, every text "
	    "escaped there" },
	{ NULL, NULL }
};

/* Strings spelt like a status that are something else. */
static const struct {
	const char	*module;
	const char	*word;
	const char	*what;
} not_statuses[] = {
	{ "form_def", "accepted", "a project's acceptance (已验收)" },
	{ "cli_seed", "accepted", "a project's acceptance, in the sample "
	    "申请书 it fills" },
	{ "sweep", "failed", "an outbox message's state" },
	{ "outbox_read", "failed", "an outbox message's state" },
	{ "pages_outbox", "failed", "an outbox message's state" },
	{ NULL, NULL, NULL }
};

static int
not_status(const char *mod, const char *word)
{
	size_t i;

	for (i = 0; not_statuses[i].module != NULL; i++)
		if (strcmp(not_statuses[i].module, mod) == 0 &&
		    strcmp(not_statuses[i].word, word) == 0)
			return 1;
	return 0;
}

static const char *status_codes[] = { "draft", "submitted",
    "intake_review", "supplement_requested", "accepted", "rejected",
    "agreement_sent", "awaiting_payment", "assessment_planning",
    "assessing", "expert_review", "failed", "certificate_pending",
    "issued", "withdrawn", NULL };

static int violations;

/* Names of the file being checked that hold SQL text with static
 * storage: "static const char NAME[] =" followed by a string literal. */
#define MAX_STATIC_SQL	64
static char static_sql[MAX_STATIC_SQL][NAME_MAX_LEN];
static int nstatic_sql;

static void
find_static_sql(const char *src)
{
	const char *p = src, *q;
	size_t n;

	nstatic_sql = 0;
	while ((p = strstr(p, "static const char ")) != NULL) {
		p += strlen("static const char ");
		for (q = p; isalnum((unsigned char)*q) || *q == '_'; q++)
			;
		n = (size_t)(q - p);
		if (n == 0 || n >= NAME_MAX_LEN || strncmp(q, "[] = ", 5) != 0)
			continue;
		for (q += 5; *q == ' ' || *q == '\t' || *q == '\n'; q++)
			;
		/* A literal, or a macro of literals (upper case). */
		if ((*q == '"' || isupper((unsigned char)*q)) &&
		    nstatic_sql < MAX_STATIC_SQL)
			snprintf(static_sql[nstatic_sql++], NAME_MAX_LEN, "%.*s",
			    (int)n, p);
	}
}

/* 1 for a name that stands for static SQL text: one of those, or a
 * macro (all upper case), which expands to literals. */
static int
static_sql_name(const char *p, size_t n)
{
	size_t i;
	int upper = 1;

	for (i = 0; i < n; i++)
		if (islower((unsigned char)p[i]))
			upper = 0;
	if (upper)
		return 1;
	for (i = 0; i < (size_t)nstatic_sql; i++)
		if (strlen(static_sql[i]) == n && strncmp(static_sql[i], p, n)
		    == 0)
			return 1;
	return 0;
}

static void
violation(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	violations++;
}

static enum layer
layer_of(const char *module)
{
	size_t i;

	if (strncmp(module, "pages_", 6) == 0)
		return L_PAGES;
	if (strncmp(module, "cli_", 4) == 0)
		return L_OUTER;
	for (i = 0; layers[i].module != NULL; i++)
		if (strcmp(layers[i].module, module) == 0)
			return layers[i].layer;
	return L_DOMAIN;
}

static int
in_list(const char **list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "layercheck: cannot read %s\n", path);
		exit(2);
	}
	p = malloc((size_t)n + 1);
	if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "layercheck: cannot read %s\n", path);
		exit(2);
	}
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* ---- the include graph ---------------------------------------------- */

struct module {
	char	 name[NAME_MAX_LEN];
	char	 inc[MAX_INCLUDES][NAME_MAX_LEN];
	int	 inc_line[MAX_INCLUDES];
	char	 inc_file[MAX_INCLUDES][NAME_MAX_LEN + 4];
	int	 ninc;
	int	 mark;		/* 0 new, 1 on the path, 2 done */
};

static struct module modules[MAX_MODULES];
static int nmodules;

static struct module *
module(const char *name)
{
	int i;

	for (i = 0; i < nmodules; i++)
		if (strcmp(modules[i].name, name) == 0)
			return &modules[i];
	if (nmodules == MAX_MODULES) {
		fprintf(stderr, "layercheck: too many modules\n");
		exit(2);
	}
	snprintf(modules[nmodules].name, NAME_MAX_LEN, "%s", name);
	return &modules[nmodules++];
}

static void
add_include(const char *file, const char *from, const char *header,
    int line)
{
	struct module *m = module(from);
	char to[NAME_MAX_LEN];
	size_t n = strlen(header);
	int i;

	if (n < 3 || strcmp(header + n - 2, ".h") != 0 || n >= NAME_MAX_LEN)
		return;
	snprintf(to, sizeof(to), "%.*s", (int)(n - 2), header);
	if (strcmp(to, from) == 0)
		return;
	for (i = 0; i < m->ninc; i++)
		if (strcmp(m->inc[i], to) == 0)
			return;
	if (m->ninc == MAX_INCLUDES)
		return;
	snprintf(m->inc[m->ninc], NAME_MAX_LEN, "%s", to);
	m->inc_line[m->ninc] = line;
	snprintf(m->inc_file[m->ninc], sizeof(m->inc_file[0]), "%s", file);
	m->ninc++;
	module(to);
	if (layer_of(to) > layer_of(from))
		violation(file, line, "%s (layer %s) includes %s.h of the "
		    "higher layer %s", from, layer_names[layer_of(from)], to,
		    layer_names[layer_of(to)]);
}

static char cycle_path[MAX_MODULES][NAME_MAX_LEN];
static int cycle_len;

static void
visit(struct module *m)
{
	struct module *t;
	int i, k;

	m->mark = 1;
	snprintf(cycle_path[cycle_len++], NAME_MAX_LEN, "%s", m->name);
	for (i = 0; i < m->ninc; i++) {
		t = module(m->inc[i]);
		if (t->mark == 1) {
			printf("%s:%d: include cycle: ", m->inc_file[i],
			    m->inc_line[i]);
			for (k = 0; k < cycle_len; k++)
				if (strcmp(cycle_path[k], t->name) == 0)
					break;
			for (; k < cycle_len; k++)
				printf("%s -> ", cycle_path[k]);
			printf("%s\n", t->name);
			violations++;
		} else if (t->mark == 0)
			visit(t);
	}
	cycle_len--;
	m->mark = 2;
}

/* ---- C source -------------------------------------------------------- */

/* SQL in a string: a statement's key words in order. */
static int
looks_like_sql(const char *s)
{
	const char *p;

	if ((p = strstr(s, "SELECT ")) != NULL && strstr(p, " FROM ") != NULL)
		return 1;
	if (strstr(s, "INSERT INTO ") != NULL || strstr(s, "DELETE FROM ")
	    != NULL)
		return 1;
	if ((p = strstr(s, "UPDATE ")) != NULL && strstr(p, " SET ") != NULL)
		return 1;
	return 0;
}

/* A status code as 'code' in SQL after "status = " or in "status IN (". */
static void
sql_statuses(const char *file, int line, const char *s)
{
	const char *p, *q, *end;
	char code[40];
	size_t n;
	int i;

	for (p = s; (p = strstr(p, "status")) != NULL; p += 6) {
		q = p + 6;
		while (*q == ' ')
			q++;
		if (*q == '=' || strncmp(q, "<>", 2) == 0 ||
		    strncmp(q, "!=", 2) == 0) {
			q += *q == '=' ? 1 : 2;
			while (*q == ' ')
				q++;
			end = q + 1;
		} else if (strncmp(q, "IN (", 4) == 0 || strncmp(q,
		    "NOT IN (", 8) == 0) {
			q = strchr(q, '(') + 1;
			end = strchr(q, ')');
			if (end == NULL)
				end = q + strlen(q);
		} else
			continue;
		for (; q < end && (q = strchr(q, '\'')) != NULL && q < end;
		    q++) {
			n = strcspn(q + 1, "'");
			snprintf(code, sizeof(code), "%.*s", (int)(n < 39 ? n :
			    39), q + 1);
			for (i = 0; status_codes[i] != NULL; i++)
				if (strcmp(status_codes[i], code) == 0)
					violation(file, line, "status '%s' "
					    "written in SQL: bind "
					    "status_code(ST_...) instead",
					    code);
			q += n + 1;
			if (*q == '\0')
				break;
		}
	}
}

static void
check_c(const char *dir, const char *name)
{
	char path[512], mod[NAME_MAX_LEN], *src, lit[8192], header[128];
	const char *p, *q, *call = NULL;
	size_t len, n, lp = 0;
	int line = 1, lit_line = 0, page, in_lit = 0, i, raw_ok;
	int store_arg = 0, depth = 0, commas = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	src = slurp(path, &len);
	find_static_sql(src);
	n = strlen(name);
	snprintf(mod, sizeof(mod), "%.*s", (int)(n - 2), name);
	page = strncmp(mod, "pages_", 6) == 0;
	raw_ok = in_list(raw_sql_ok, mod);
	module(mod);

#define FLUSH_LITERAL() do { \
	if (in_lit) { \
		lit[lp] = '\0'; \
		if (page && looks_like_sql(lit)) \
			violation(name, lit_line, "SQL text in a page file: " \
			    "it belongs in a domain module"); \
		if (strcmp(mod, "status") != 0) { \
			sql_statuses(name, lit_line, lit); \
			for (i = 0; status_codes[i] != NULL; i++) \
				if (strcmp(lit, status_codes[i]) == 0 && \
				    !not_status(mod, lit)) \
					violation(name, lit_line, "status " \
					    "\"%s\" as a string: name it " \
					    "ST_... (status.h)", lit); \
		} \
		in_lit = 0; \
		lp = 0; \
	} \
} while (0)

	for (p = src; *p != '\0'; ) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p != '\0' && !(p[0] == '*' && p[1] ==
			    '/'); p++)
				if (*p == '\n')
					line++;
			p += *p ? 2 : 0;
			continue;
		}
		if (p[0] == '/' && p[1] == '/') {
			while (*p != '\0' && *p != '\n')
				p++;
			continue;
		}
		if (*p == '#' && (q = strstr(p, "include")) != NULL &&
		    q - p < 4) {
			FLUSH_LITERAL();
			q += 7;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '"' && sscanf(q + 1, "%127[^\"]", header) ==
			    1)
				add_include(name, mod, header, line);
			while (*p != '\0' && *p != '\n')
				p++;
			continue;
		}
		if (*p == '#') {	/* other directives, with continuations */
			FLUSH_LITERAL();
			while (*p != '\0' && *p != '\n') {
				if (p[0] == '\\' && p[1] == '\n') {
					line++;
					p++;
				}
				p++;
			}
			continue;
		}
		if (*p == '\'') {	/* a character constant */
			FLUSH_LITERAL();
			for (p++; *p != '\0' && *p != '\''; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			p += *p ? 1 : 0;
			continue;
		}
		if (*p == '"') {	/* a string: adjacent ones join */
			if (!in_lit) {
				in_lit = 1;
				lit_line = line;
				if (store_arg && depth == 1 && commas == 1)
					store_arg = 0;	/* a literal: fine */
			}
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0') {
					if (lp + 2 < sizeof(lit)) {
						lit[lp++] = p[0];
						lit[lp++] = p[1];
					}
					p++;
					continue;
				}
				if (lp + 1 < sizeof(lit))
					lit[lp++] = *p;
			}
			p += *p ? 1 : 0;
			continue;
		}
		FLUSH_LITERAL();
		if (isalpha((unsigned char)*p) || *p == '_') {
			for (q = p; isalnum((unsigned char)*q) || *q == '_';
			    q++)
				;
			n = (size_t)(q - p);
			if (n > 8 && strncmp(p, "sqlite3_", 8) == 0) {
				if (page)
					violation(name, line, "%.*s in a page "
					    "file: the database belongs to the "
					    "domain", (int)n, p);
				if (strncmp(p, "sqlite3_prepare", 15) == 0 &&
				    !raw_ok)
					violation(name, line, "%.*s: prepare "
					    "statements with store_stmt", (int)n,
					    p);
			}
			if (page && ((n == 10 && strncmp(p, "store_stmt", 10) ==
			    0) || (n == 10 && strncmp(p, "store_exec", 10) ==
			    0) || (n == 11 && strncmp(p, "store_begin", 11) ==
			    0) || (n == 12 && strncmp(p, "store_commit", 12) ==
			    0) || (n == 14 && strncmp(p, "store_rollback", 14) ==
			    0) || (n == 8 && strncmp(p, "store_db", 8) == 0)))
				violation(name, line, "%.*s in a page file: the "
				    "database belongs to the domain", (int)n, p);
			if (store_arg && depth == 1 && commas == 1) {
				if (!static_sql_name(p, n))
					violation(name, line, "store_stmt with SQL "
					    "that is not a string literal "
					    "(prepare only static SQL)");
				store_arg = 0;
			}
			if (n == 10 && strncmp(p, "store_stmt", 10) == 0 &&
			    strcmp(mod, "store") != 0) {
				call = p;
				store_arg = 1;
				depth = 0;
				commas = 0;
			}
			p = q;
			continue;
		}
		if (store_arg) {
			if (*p == '(')
				depth++;
			else if (*p == ')') {
				if (--depth == 0)
					store_arg = 0;
			} else if (*p == ',' && depth == 1) {
				if (++commas == 2)
					store_arg = 0;
			} else if (depth == 1 && commas == 1) {
				violation(name, line, "store_stmt with SQL that is "
				    "not a string literal (prepare only static "
				    "SQL)");
				store_arg = 0;
			}
		}
		p++;
	}
	FLUSH_LITERAL();
	(void)call;
	free(src);
}

static void
check_template(const char *dir, const char *name)
{
	char path[512], *src;
	const char *p;
	size_t len;
	int i, ok = 0, line;

	for (i = 0; raw_templates[i].file != NULL; i++)
		if (strcmp(raw_templates[i].file, name) == 0)
			ok = 1;
	if (ok)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	src = slurp(path, &len);
	for (p = src; (p = strstr(p, "{{")) != NULL; p += 2)
		if (p[2] == '{' || p[2] == '&') {
			for (line = 1, len = 0; src + len < p; len++)
				line += src[len] == '\n';
			violation(name, line, "raw template output (%.5s...) in a "
			    "template not listed in tools/layercheck.c", p);
		}
	free(src);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names in dir ending in suffix, sorted. */
static int
list(const char *dir, const char *suffix, char **out, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n, sl = strlen(suffix);
	int k = 0;

	if (d == NULL) {
		fprintf(stderr, "layercheck: cannot open %s\n", dir);
		exit(2);
	}
	while ((e = readdir(d)) != NULL && k < max) {
		n = strlen(e->d_name);
		if (n > sl && strcmp(e->d_name + n - sl, suffix) == 0)
			out[k++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(out, (size_t)k, sizeof(*out), by_name);
	return k;
}

int
main(int argc, char *argv[])
{
	char *files[1024];
	int n, i, nfiles = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: layercheck SRC_DIR TEMPLATES_DIR\n");
		return 2;
	}
	n = list(argv[1], ".c", files, 1024);
	for (i = 0; i < n; i++, nfiles++)
		check_c(argv[1], files[i]);
	n = list(argv[1], ".h", files, 1024);
	for (i = 0; i < n; i++, nfiles++)
		check_c(argv[1], files[i]);
	for (i = 0; i < nmodules; i++)
		if (modules[i].mark == 0)
			visit(&modules[i]);
	n = list(argv[2], ".html", files, 1024);
	for (i = 0; i < n; i++, nfiles++)
		check_template(argv[2], files[i]);
	if (violations > 0) {
		printf("layercheck: %d violations\n", violations);
		return 1;
	}
	printf("layercheck: %d files, %d modules: no SQL in pages, static SQL "
	    "only, raw template output only where listed, no upward include, "
	    "no include cycle, statuses by name\n", nfiles, nmodules);
	return 0;
}
