/*
 * fuzz_tmpl: the Mustache engine with hostile values and hostile
 * template text.
 *
 * Byte 0 of the input picks the mode.
 *
 * Even: one of the real templates (templates/NAME.html, as compiled
 * into the binary; bits 3-7 of byte 0 pick which) is rendered with every
 * name the templates use bound to a string from the input (the rest,
 * split at NUL bytes). Names used only as sections are bound to maps,
 * lists of maps or strings (bits 1-2 of byte 0), so the sections render
 * too. Each value is wrapped in the marker bytes \1 and
 * \2 (removed from the input first), so the output shows where every
 * value landed. Invariants: no "<script" in the output other than the
 * templates' own <script src="/static/...">; between markers
 * there is no '<', '>', '"' or '\'', every '&' starts one of the five
 * entities, and unescaping gives back exactly one of the values;
 * tmpl_render_text gives the raw values; rendering twice gives the same
 * bytes.
 *
 * Odd: the rest is a template ("fz") added to the set of real templates
 * with tmpl_set_add and, if it parses, rendered (it may include or
 * extend the real ones, and itself). Invariants: a refusal says why; a
 * render ends in 0 or -1 with a message, within TMPL_MAX_OUTPUT, and is
 * deterministic; if the text has no '&', '=' or "{{{" (so no raw or
 * delimiter-changing tag), the escaping invariants above hold as well.
 */
#include <ctype.h>
#include <strings.h>

#include "embedded.h"
#include "fuzz_common.h"
#include "tmpl.h"
#include "util.h"

#define MAX_NAMES	512
#define MAX_VALS	64
/* The only script tag a page may carry: the program's own static file. */
#define OWN_SCRIPT	"<script src=\"/static/"

static struct tmpl_set *set;
static char *tnames[128];
static size_t ntnames;

/* Every name the templates use: full dotted text, and whether it is used
 * as a value ({{x}}), as a section ({{#x}} / {{^x}}) or raw ({{{x}}},
 * {{&x}}). A raw tag only ever carries HTML the program built itself (the
 * dashboard's SVG chart, escaped by svg.c), so the harness gives raw
 * names such HTML, not hostile text. */
static struct {
	char	*name;
	int	 value;
	int	 section;
	int	 raw;
} names[MAX_NAMES];
static size_t nnames;

static const char *const hostile[] = {
	"<script>alert(1)</script>", "\"><script>alert(1)</script>",
	"' onmouseover='alert(1)", "&lt;script&gt;", "{{title}}",
	"<SCRIPT SRC=//x.example/a.js></SCRIPT>", "", "&#60;script",
	"</textarea><script>", "javascript:alert(1)"
};

static void
note_name(const char *s, size_t n, int section)
{
	size_t i;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n > 64 || (n == 1 && *s == '.'))
		return;
	for (i = 0; i < nnames; i++)
		if (strlen(names[i].name) == n &&
		    memcmp(names[i].name, s, n) == 0)
			break;
	if (i == nnames) {
		if (nnames == MAX_NAMES)
			return;
		names[nnames++].name = xstrndup(s, n);
	}
	if (section == 2)
		names[i].raw = 1;
	else if (section)
		names[i].section = 1;
	else
		names[i].value = 1;
}

/* Collects tag names (default delimiters only: the templates use no
 * others). */
static void
scan_names(const char *src)
{
	const char *p = src, *e;
	char sig;

	while ((p = strstr(p, "{{")) != NULL) {
		p += 2;
		if ((e = strstr(p, "}}")) == NULL)
			return;
		sig = *p;
		if (sig == '{' || sig == '&')
			note_name(p + 1, (size_t)(e - p - 1) - (sig == '{' &&
			    e > p + 1 && e[-1] == '}'), 2);
		else if (sig == '#' || sig == '^')
			note_name(p + 1, (size_t)(e - p - 1), 1);
		else if (strchr("/!><$=", sig) == NULL)
			note_name(p, (size_t)(e - p), 0);
		p = e + 2;
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct embedded_file *f;
	char err[256];
	size_t n;

	set = tmpl_set_new();
	for (f = embedded_files; f->name != NULL; f++) {
		n = strlen(f->name);
		if (strncmp(f->name, "templates/", 10) != 0 || n < 16 ||
		    strcmp(f->name + n - 5, ".html") != 0)
			continue;
		if (ntnames == sizeof(tnames) / sizeof(tnames[0]))
			break;
		tnames[ntnames] = xstrndup(f->name + 10, n - 15);
		if (tmpl_set_add(set, tnames[ntnames], f->data, f->size, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_tmpl: %s\n", err);
			abort();
		}
		scan_names(f->data);
		ntnames++;
	}
	if (ntnames == 0 || nnames == 0) {
		fprintf(stderr, "fuzz_tmpl: no templates embedded\n");
		abort();
	}
	return 0;
}

/* Puts v at a dotted name, making the maps on the way (a map's key in
 * the view's arena a: keys are not copied, tmpl.h). */
static void
put_dotted(struct arena *a, struct tv *root, const char *name,
    struct tv *v)
{
	const char *dot = strchr(name, '.'), *head;
	const struct tv *c;
	struct tv *child;

	if (dot == NULL) {
		tv_put(root, name, v);
		return;
	}
	if (dot == name)
		return;
	head = arena_strndup(a, name, (size_t)(dot - name));
	c = tv_get(root, head);
	if (c == NULL || tv_kind(c) != TV_MAP)
		child = tv_put_map(root, head);
	else
		child = (struct tv *)(uintptr_t)c;
	put_dotted(a, child, dot + 1, v);
}

struct vals {
	char	*v[MAX_VALS];	/* wrapped in \1 ... \2 */
	size_t	 n;
};

static struct tv *
make_view(struct arena *a, const struct vals *vs, unsigned mode)
{
	struct tv *root = tv_map(a), *l;
	size_t i, k = 0;

	for (i = 0; i < nnames; i++) {
		if (names[i].raw) {
			put_dotted(a, root, names[i].name, tv_str(a,
			    "<svg role=\"img\" aria-label=\"chart\"></svg>"));
			continue;
		}
		if (names[i].section && !names[i].value &&
		    strchr(names[i].name, '.') == NULL) {
			switch (((mode >> 1) & 3) % 3) {
			case 0:
				tv_put_map(root, names[i].name);
				break;
			case 1:
				l = tv_put_list(root, names[i].name);
				tv_push_map(l);
				tv_push_map(l);
				break;
			default:
				tv_put_str(root, names[i].name,
				    vs->v[k++ % vs->n]);
				break;
			}
			continue;
		}
		put_dotted(a, root, names[i].name, tv_str(a,
		    vs->v[k++ % vs->n]));
	}
	return root;
}

static int
is_value(const struct vals *vs, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i]) == n + 2 && memcmp(vs->v[i] + 1, s, n) == 0)
			return 1;
	return 0;
}

static const char *const ent[][2] = {
	{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
	{ "&quot;", "\"" }, { "&#39;", "'" }
};

/*
 * Checks where every value landed in out; html: it must be escaped;
 * scan: no "<script" but our own (only for the real templates: fuzzed text
 * can spell one itself, e.g. around a comment tag).
 */
static void
check_output(const struct buf *out, const struct vals *vs, int html,
    int scan, const char *what)
{
	const char *p = out->p, *end = out->p + out->n, *open, *close;
	char *plain;
	size_t i, j, k, pn;

	if (out->n == 0)
		return;
	for (i = 0; html && scan && i + 7 <= out->n; i++)
		FUZZ_CHECK(!(p[i] == '<' && strncasecmp(p + i + 1, "script",
		    6) == 0) || (out->n - i >= sizeof(OWN_SCRIPT) - 1 &&
		    memcmp(p + i, OWN_SCRIPT, sizeof(OWN_SCRIPT) - 1) == 0),
		    "%s: <script at byte %zu is not one of ours", what, i);
	while ((open = memchr(p, '\1', (size_t)(end - p))) != NULL) {
		close = memchr(open, '\2', (size_t)(end - open));
		FUZZ_CHECK(close != NULL, "%s: value not closed", what);
		FUZZ_CHECK(memchr(open + 1, '\1', (size_t)(close - open - 1)) ==
		    NULL, "%s: value inside a value", what);
		plain = xmalloc((size_t)(close - open));
		pn = 0;
		for (i = 1; open + i < close; i += k) {
			k = 1;
			if (!html) {
				plain[pn++] = open[i];
				continue;
			}
			FUZZ_CHECK(strchr("<>\"'", open[i]) == NULL,
			    "%s: unescaped 0x%02x in a value", what,
			    (unsigned char)open[i]);
			if (open[i] != '&') {
				plain[pn++] = open[i];
				continue;
			}
			for (j = 0; j < 5; j++)
				if ((size_t)(close - open - i) >=
				    strlen(ent[j][0]) && memcmp(open + i,
				    ent[j][0], strlen(ent[j][0])) == 0)
					break;
			FUZZ_CHECK(j < 5, "%s: bare '&' in a value", what);
			plain[pn++] = ent[j][1][0];
			k = strlen(ent[j][0]);
		}
		FUZZ_CHECK(is_value(vs, plain, pn),
		    "%s: a value came out changed (%zu bytes)", what, pn);
		free(plain);
		p = close + 1;
	}
	FUZZ_CHECK(memchr(p, '\2', (size_t)(end - p)) == NULL,
	    "%s: stray value end", what);
}

/* check: 0 nothing about values, 1 the markers, 2 also no "<script". */
static void
render_checked(const char *name, const struct tv *view,
    const struct vals *vs, int check)
{
	struct buf out, again;
	char err[256] = "", err2[256] = "";
	int rc, rc2;

	buf_init(&out);
	buf_init(&again);
	rc = tmpl_render(set, name, view, &out, err, sizeof(err));
	rc2 = tmpl_render(set, name, view, &again, err2, sizeof(err2));
	FUZZ_CHECK(rc == 0 || rc == -1, "%s: rc %d", name, rc);
	FUZZ_CHECK(rc == rc2 && out.n == again.n &&
	    (out.n == 0 || memcmp(out.p, again.p, out.n) == 0),
	    "%s: two renders differ", name);
	if (rc == 0) {
		FUZZ_CHECK(out.n <= TMPL_MAX_OUTPUT, "%s: %zu bytes", name,
		    out.n);
		if (check)
			check_output(&out, vs, 1, check == 2, name);
	} else
		FUZZ_CHECK(err[0] != '\0', "%s: failed without a message", name);
	buf_reset(&out);
	err[0] = '\0';
	rc = tmpl_render_text(set, name, view, &out, err, sizeof(err));
	if (rc == 0 && check)
		check_output(&out, vs, 0, 0, name);
	else if (rc != 0)
		FUZZ_CHECK(err[0] != '\0', "%s: text failed without a message",
		    name);
	buf_free(&out);
	buf_free(&again);
}

/* Splits data at NUL bytes into wrapped values (markers removed). */
static void
split_values(struct vals *vs, const uint8_t *data, size_t size)
{
	size_t i, start = 0, o, k;

	vs->n = 0;
	for (i = 0; i <= size && vs->n < MAX_VALS; i++) {
		if (i < size && data[i] != '\0')
			continue;
		vs->v[vs->n] = xmalloc(i - start + 3);
		o = 0;
		vs->v[vs->n][o++] = '\1';
		for (k = start; k < i; k++)
			if (data[k] != '\1' && data[k] != '\2')
				vs->v[vs->n][o++] = (char)data[k];
		vs->v[vs->n][o++] = '\2';
		vs->v[vs->n][o] = '\0';
		vs->n++;
		start = i + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a;
	struct vals vs;
	struct tv *view;
	char *src, err[256];
	size_t i;
	unsigned mode;
	int safe;

	if (size == 0)
		return 0;
	mode = data[0];
	data++;
	size--;
	a = arena_new();
	if ((mode & 1) == 0) {
		split_values(&vs, data, size);
		view = make_view(a, &vs, mode);
		render_checked(tnames[(mode >> 3) % ntnames], view, &vs, 2);
	} else {
		vs.n = 0;
		for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			vs.v[vs.n] = xmalloc(strlen(hostile[i]) + 3);
			snprintf(vs.v[vs.n], strlen(hostile[i]) + 3, "\1%s\2",
			    hostile[i]);
			vs.n++;
		}
		view = make_view(a, &vs, mode);
		src = fuzz_memdup(data, size);
		for (i = 0; i < size; i++)
			if (src[i] == '\1' || src[i] == '\2')
				src[i] = ' ';
		safe = memchr(src, '&', size) == NULL &&
		    memchr(src, '=', size) == NULL;
		for (i = 0; safe && i + 3 <= size; i++)
			if (memcmp(src + i, "{{{", 3) == 0)
				safe = 0;
		err[0] = '\0';
		if (tmpl_set_add(set, "fz", src, size, err, sizeof(err)) != 0)
			FUZZ_CHECK(err[0] != '\0', "refused without a message");
		else {
			FUZZ_CHECK(tmpl_exists(set, "fz"), "added but missing");
			render_checked("fz", view, &vs, safe);
		}
		free(src);
	}
	for (i = 0; i < vs.n; i++)
		free(vs.v[i]);
	arena_free(a);
	return 0;
}
