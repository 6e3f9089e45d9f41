/*
 * tmpl.c: a Mustache template engine (see tmpl.h).
 *
 * A template is parsed once: the source is cut into tokens, standalone
 * lines are trimmed, and the tokens are folded into a tree of nodes kept
 * in the template's own arena. Rendering walks that tree and keeps all of
 * its state on the C stack, so many threads may render one set at once;
 * the only allocation while rendering is the growth of the output buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

/*
 * Views.
 */

/* Maps with more keys than this get a hash index (a list's rows have
 * up to a dozen; below this a search is cheaper than hashing). */
#define TV_LINEAR	16

struct tv_ent {
	const char	*key;
	size_t		 klen;
	uint32_t	 hash;
	struct tv	*val;
};

struct tv {
	enum tv_kind	 kind;
	int		 b;		/* TV_BOOL */
	const char	*s;		/* TV_STR, NUL-terminated */
	size_t		 slen;
	struct arena	*a;		/* where children are allocated */
	struct tv_ent	*ents;		/* TV_MAP, in insertion order */
	struct tv	**items;	/* TV_LIST */
	size_t		 n;
	size_t		 cap;
	uint32_t	*idx;		/* TV_MAP: entry index + 1, 0 = empty */
	size_t		 icap;
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Views are built by the hundred per page: a value is taken from the
 * arena and initialised field by field, not zeroed by memset. */
static struct tv *
tv_new(struct arena *a, enum tv_kind kind)
{
	struct tv *v = arena_take(a, sizeof(*v));

	*v = (struct tv){ .kind = kind, .a = a };
	return v;
}

struct tv *
tv_null(struct arena *a)
{
	return tv_new(a, TV_NULL);
}

struct tv *
tv_bool(struct arena *a, int b)
{
	struct tv *v = tv_new(a, TV_BOOL);

	v->b = b != 0;
	return v;
}

/* The value and its text in one piece of the arena. */
struct tv *
tv_strn(struct arena *a, const char *s, size_t n)
{
	struct tv *v;
	char *t;

	if (s == NULL)
		n = 0;
	v = arena_take(a, sizeof(*v) + n + 1);
	t = (char *)(v + 1);
	if (n > 0)
		memcpy(t, s, n);
	t[n] = '\0';
	*v = (struct tv){ .kind = TV_STR, .a = a, .s = t, .slen = n };
	return v;
}

struct tv *
tv_str(struct arena *a, const char *s)
{
	return tv_strn(a, s, s == NULL ? 0 : strlen(s));
}

struct tv *
tv_list(struct arena *a)
{
	return tv_new(a, TV_LIST);
}

struct tv *
tv_map(struct arena *a)
{
	return tv_new(a, TV_MAP);
}

static const struct tv_ent *
map_find(const struct tv *m, const char *k, size_t klen, uint32_t h)
{
	const struct tv_ent *e;
	size_t i, mask;
	uint32_t slot;

	if (m->idx == NULL) {
		for (i = 0; i < m->n; i++) {
			e = &m->ents[i];
			if (e->klen == klen && e->key[0] == k[0] &&
			    memcmp(e->key, k, klen) == 0)
				return e;
		}
		return NULL;
	}
	mask = m->icap - 1;
	for (i = h & mask; (slot = m->idx[i]) != 0; i = (i + 1) & mask) {
		e = &m->ents[slot - 1];
		if (e->hash == h && e->klen == klen &&
		    memcmp(e->key, k, klen) == 0)
			return e;
	}
	return NULL;
}

/* Entries get their hash when their map gets an index: a small map is
 * searched without it. */
static void
map_index(struct tv *m, size_t ent)
{
	struct tv_ent *e = &m->ents[ent];
	size_t i, mask = m->icap - 1;

	e->hash = hash(e->key, e->klen);
	for (i = e->hash & mask; m->idx[i] != 0; i = (i + 1) & mask)
		continue;
	m->idx[i] = (uint32_t)ent + 1;
}

static void
map_reindex(struct tv *m)
{
	size_t i;

	/* Keep the table at most a quarter full. */
	m->icap = 64;
	while (m->icap < m->n * 4)
		m->icap *= 2;
	m->idx = arena_alloc(m->a, m->icap * sizeof(*m->idx));
	for (i = 0; i < m->n; i++)
		map_index(m, i);
}

void
tv_put(struct tv *map, const char *key, struct tv *v)
{
	struct tv_ent *e, *ne;
	size_t klen;
	uint32_t h;

	if (map == NULL || map->kind != TV_MAP || key == NULL)
		return;
	if (v == NULL)
		v = tv_null(map->a);
	klen = strlen(key);
	h = map->idx != NULL ? hash(key, klen) : 0;
	if ((e = (struct tv_ent *)map_find(map, key, klen, h)) != NULL) {
		e->val = v;
		return;
	}
	if (map->n == map->cap) {
		map->cap = map->cap == 0 ? 16 : map->cap * 2;
		ne = arena_take(map->a, map->cap * sizeof(*ne));
		if (map->n > 0)
			memcpy(ne, map->ents, map->n * sizeof(*ne));
		map->ents = ne;
	}
	e = &map->ents[map->n++];
	e->key = key;		/* not copied: see tmpl.h */
	e->klen = klen;
	e->val = v;
	if (map->n <= TV_LINEAR)
		return;
	if (map->idx == NULL || map->n * 2 > map->icap)
		map_reindex(map);
	else
		map_index(map, map->n - 1);
}

void
tv_put_str(struct tv *map, const char *key, const char *s)
{
	if (map != NULL)
		tv_put(map, key, tv_str(map->a, s));
}

void
tv_put_int(struct tv *map, const char *key, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	if (map == NULL)
		return;
	/* Digits by hand: printf's machinery costs more than the rest of
	 * a put, and lists put thousands of numbers. */
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	tv_put(map, key, tv_strn(map->a, p, (size_t)(buf + sizeof(buf) - p)));
}

void
tv_put_bool(struct tv *map, const char *key, int b)
{
	if (map != NULL)
		tv_put(map, key, tv_bool(map->a, b));
}

struct tv *
tv_put_map(struct tv *map, const char *key)
{
	struct tv *v;

	if (map == NULL)
		return NULL;
	v = tv_map(map->a);
	tv_put(map, key, v);
	return v;
}

struct tv *
tv_put_list(struct tv *map, const char *key)
{
	struct tv *v;

	if (map == NULL)
		return NULL;
	v = tv_list(map->a);
	tv_put(map, key, v);
	return v;
}

const struct tv *
tv_get(const struct tv *map, const char *key)
{
	const struct tv_ent *e;
	size_t klen;

	if (map == NULL || map->kind != TV_MAP || key == NULL)
		return NULL;
	klen = strlen(key);
	e = map_find(map, key, klen, hash(key, klen));
	return e == NULL ? NULL : e->val;
}

void
tv_push(struct tv *list, struct tv *v)
{
	struct tv **ni;

	if (list == NULL || list->kind != TV_LIST)
		return;
	if (v == NULL)
		v = tv_null(list->a);
	if (list->n == list->cap) {
		list->cap = list->cap == 0 ? 8 : list->cap * 2;
		ni = arena_take(list->a, list->cap * sizeof(*ni));
		if (list->n > 0)
			memcpy(ni, list->items, list->n * sizeof(*ni));
		list->items = ni;
	}
	list->items[list->n++] = v;
}

struct tv *
tv_push_map(struct tv *list)
{
	struct tv *v;

	if (list == NULL)
		return NULL;
	v = tv_map(list->a);
	tv_push(list, v);
	return v;
}

size_t
tv_len(const struct tv *v)
{
	if (v == NULL || (v->kind != TV_LIST && v->kind != TV_MAP))
		return 0;
	return v->n;
}

enum tv_kind
tv_kind(const struct tv *v)
{
	return v == NULL ? TV_NULL : v->kind;
}

const char *
tv_string(const struct tv *v)
{
	return v != NULL && v->kind == TV_STR ? v->s : NULL;
}

/*
 * Templates.
 */

enum ntype {
	N_TEXT,
	N_VAR,		/* {{x}}: escaped */
	N_RAW,		/* {{{x}}}, {{&x}} */
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,
	N_BLOCK
};

/* One component of a dotted name. */
struct npart {
	const char	*s;
	size_t		 n;
	uint32_t	 hash;
};

struct node {
	enum ntype	 type;
	int		 standalone;
	const char	*s;	/* text, or the name (NUL-terminated) */
	size_t		 n;
	size_t		 off;	/* text: where it starts in the source */
	uint32_t	 hash;	/* of the name: partials, parents, blocks */
	struct npart	*parts;	/* dotted name; nparts 0 means "." */
	size_t		 nparts;
	struct node	*kids;
	size_t		 nkids;
	const char	*ind;	/* standalone: indentation to add */
	size_t		 nind;
	const char	*ded;	/* standalone block: its content's indentation */
	size_t		 nded;
};

struct tmpl {
	char		*name;
	uint32_t	 hash;
	char		*src;
	size_t		 len;
	struct arena	*arena;
	struct node	*nodes;
	size_t		 nnodes;
};

struct tmpl_set {
	struct tmpl	**v;
	size_t		 n;
	size_t		 cap;
};

/* Token types: 0 is text, 'x' an escaped and '&' a raw variable. */
#define T_TEXT	0

struct tok {
	int		 type;
	int		 line;
	int		 standalone;
	size_t		 s, e;		/* text, or the tag's trimmed content */
	size_t		 ts, te;	/* the whole tag */
	size_t		 open;		/* '/': index of the tag it closes */
	size_t		 ind, nind;	/* standalone: leading whitespace */
};

struct parse {
	const char	*name;
	const char	*src;
	size_t		 len;
	struct arena	*arena;
	struct tok	*t;
	size_t		 nt, cap;
	char		*err;
	size_t		 errlen;
};

static int perr(struct parse *, int, const char *, ...) ZZ_PRINTF(3, 4);

static int
perr(struct parse *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Where needle starts in src[from..len), or len. */
static size_t
find(const char *src, size_t len, size_t from, const char *nd, size_t ndn)
{
	const char *p;

	while (from + ndn <= len) {
		p = memchr(src + from, nd[0], len - from - ndn + 1);
		if (p == NULL)
			break;
		from = (size_t)(p - src);
		if (memcmp(p, nd, ndn) == 0)
			return from;
		from++;
	}
	return len;
}

static int
count_nl(const char *s, size_t n)
{
	const char *nl, *end = s + n;
	int c = 0;

	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		c++;
		s = nl + 1;
	}
	return c;
}

static struct tok *
addtok(struct parse *p, int type, int line)
{
	struct tok *t;

	if (p->nt == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		p->t = xrealloc(p->t, p->cap * sizeof(*p->t));
	}
	t = &p->t[p->nt++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->line = line;
	return t;
}

static int
valid_name(const char *s, size_t n, int dotted)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (is_ws(s[i]) || s[i] == '\n' || s[i] == '\r')
			return 0;
	if (!dotted || (n == 1 && s[0] == '.'))
		return 1;
	/* No empty components: "a.", ".a" and "a..b" are mistakes. */
	if (s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Where the closing delimiter of a tag starts, searching from "from";
 * with pre, the position of the pre character just before it ("}" of
 * "}}}", "=" of "=}}"). Returns p->len if there is none.
 */
static size_t
find_close(const struct parse *p, size_t from, const char *cd, size_t cdn,
    char pre)
{
	size_t at, start = from;

	for (;;) {
		at = find(p->src, p->len, from, cd, cdn);
		if (at == p->len || pre == 0)
			return at;
		if (at > start && p->src[at - 1] == pre)
			return at - 1;
		from = at + 1;
	}
}

/* {{=<% %>=}}: two delimiters separated by whitespace, neither with "=". */
static int
set_delims(struct parse *p, const struct tok *t, const char **od,
    size_t *odn, const char **cd, size_t *cdn)
{
	const char *src = p->src;
	size_t a0 = t->s, a1, b0, b1 = t->e, i;

	for (a1 = a0; a1 < b1 && !is_space(src[a1]); a1++)
		continue;
	for (b0 = a1; b0 < b1 && is_space(src[b0]); b0++)
		continue;
	if (a1 == a0 || b0 == a1 || b0 == b1)
		return perr(p, t->line, "bad delimiters");
	for (i = a0; i < b1; i++)
		if (src[i] == '=' || (i >= b0 && is_space(src[i])))
			return perr(p, t->line, "bad delimiters");
	*od = src + a0;
	*odn = a1 - a0;
	*cd = src + b0;
	*cdn = b1 - b0;
	return 0;
}

/*
 * Cuts the source into text and tag tokens, following delimiter changes,
 * and checks that sections nest and close properly.
 */
static int
tokenize(struct parse *p)
{
	const char *src = p->src, *od = "{{", *cd = "}}";
	size_t odn = 2, cdn = 2, pos = 0, q, c, close, cs, ce;
	size_t stack[TMPL_MAX_DEPTH], nstack = 0;
	struct tok *t, *o;
	int line = 1, type;
	char pre;

	while (pos < p->len) {
		q = find(src, p->len, pos, od, odn);
		if (q > pos) {
			t = addtok(p, T_TEXT, line);
			t->s = pos;
			t->e = q;
			line += count_nl(src + pos, q - pos);
		}
		if (q == p->len)
			break;
		c = q + odn;
		type = c < p->len ? (unsigned char)src[c] : 0;
		if (type != 0 && strchr("{&#^/><$!=", type) != NULL)
			c++;
		else
			type = 'x';
		pre = type == '{' ? '}' : type == '=' ? '=' : 0;
		close = find_close(p, c, cd, cdn, pre);
		if (close == p->len)
			return perr(p, line, "unclosed tag");
		for (cs = c; cs < close && is_space(src[cs]); cs++)
			continue;
		for (ce = close; ce > cs && is_space(src[ce - 1]); ce--)
			continue;
		t = addtok(p, type == '{' ? '&' : type, line);
		t->s = cs;
		t->e = ce;
		t->ts = q;
		t->te = close + (pre != 0) + cdn;
		line += count_nl(src + q, t->te - q);
		pos = t->te;

		switch (t->type) {
		case '!':
			break;
		case '=':
			if (set_delims(p, t, &od, &odn, &cd, &cdn) == -1)
				return -1;
			break;
		case '/':
			if (nstack == 0)
				return perr(p, t->line, "close tag \"%.*s\" "
				    "without an open section",
				    (int)(ce - cs), src + cs);
			o = &p->t[stack[nstack - 1]];
			if (o->e - o->s != ce - cs ||
			    memcmp(src + o->s, src + cs, ce - cs) != 0)
				return perr(p, t->line, "close tag \"%.*s\" "
				    "does not match \"%.*s\" opened on line %d",
				    (int)(ce - cs), src + cs,
				    (int)(o->e - o->s), src + o->s, o->line);
			t->open = stack[--nstack];
			break;
		case '#':
		case '^':
		case '<':
		case '$':
			if (!valid_name(src + cs, ce - cs,
			    t->type == '#' || t->type == '^'))
				return perr(p, t->line, "bad name \"%.*s\"",
				    (int)(ce - cs), src + cs);
			if (nstack == TMPL_MAX_DEPTH)
				return perr(p, t->line,
				    "sections nested deeper than %d",
				    TMPL_MAX_DEPTH);
			stack[nstack++] = p->nt - 1;
			break;
		default:
			if (!valid_name(src + cs, ce - cs, t->type != '>'))
				return perr(p, t->line, "bad name \"%.*s\"",
				    (int)(ce - cs), src + cs);
			break;
		}
	}
	if (nstack > 0) {
		o = &p->t[stack[nstack - 1]];
		return perr(p, o->line, "section \"%.*s\" is not closed",
		    (int)(o->e - o->s), src + o->s);
	}
	return 0;
}

/* Tags of inheritance, which may share a standalone line. */
static int
inherit_tag(const struct parse *p, const struct tok *t)
{
	int o;

	if (t->type == '<' || t->type == '$')
		return 1;
	if (t->type != '/')
		return 0;
	o = p->t[t->open].type;
	return o == '<' || o == '$';
}

/*
 * A line ran from offset ls (in token lf) to the newline at nl (in token
 * l; l == nt at the end of the source); ok says whether all its text was
 * whitespace. If it holds nothing else than one tag that prints nothing
 * itself, or only inheritance tags, the line is standalone: its
 * whitespace and newline go, and partials, parents and blocks on it
 * remember the indentation.
 */
static void
finish_line(struct parse *p, size_t ls, size_t lf, size_t l, size_t nl,
    int ok)
{
	struct tok *t, *first = NULL, *last = NULL;
	size_t i, ntags = 0;
	int inherit = 1, keepnl;

	if (!ok)
		return;
	for (i = lf; i < l; i++) {
		t = &p->t[i];
		if (t->type == T_TEXT)
			continue;
		if (t->type == 'x' || t->type == '&')
			return;
		if (first == NULL)
			first = t;
		last = t;
		ntags++;
		if (!inherit_tag(p, t))
			inherit = 0;
	}
	if (ntags == 0 || (ntags > 1 && !inherit))
		return;
	/*
	 * An empty block alone on its line ({{$b}}{{/b}}) keeps the newline:
	 * what fills it in sits on that line (spec ~inheritance).
	 */
	keepnl = ntags == 2 && first->type == '$' && last->type == '/' &&
	    &p->t[last->open] == first;
	for (i = lf; i < l; i++) {
		t = &p->t[i];
		if (t->type != T_TEXT) {
			t->standalone = 1;
			t->ind = ls;
			t->nind = first->ts - ls;
		} else if (i == lf)
			t->e = ls;
		else
			t->s = t->e;
	}
	if (l < p->nt) {
		t = &p->t[l];
		if (!keepnl)
			t->s = nl + 1;
		else if (nl > t->s && p->src[nl - 1] == '\r')
			t->s = nl - 1;
		else
			t->s = nl;
	}
}

static void
standalone(struct parse *p)
{
	const char *src = p->src, *nl;
	size_t i, j, e, ls = 0, lf = 0;
	int ok = 1;

	for (i = 0; i < p->nt; i++) {
		if (p->t[i].type != T_TEXT)
			continue;
		/* finish_line() may move this token's ends: use the originals. */
		j = p->t[i].s;
		e = p->t[i].e;
		while (j < e) {
			if (!ok) {
				nl = memchr(src + j, '\n', e - j);
				if (nl == NULL)
					break;
				j = (size_t)(nl - src);
			}
			if (src[j] == '\n') {
				finish_line(p, ls, lf, i, j, ok);
				ls = j + 1;
				lf = i;
				ok = 1;
			} else if (!is_ws(src[j]) &&
			    !(src[j] == '\r' && j + 1 < e && src[j + 1] == '\n'))
				ok = 0;
			j++;
		}
	}
	finish_line(p, ls, lf, p->nt, p->len, ok);
}

static void
set_name(struct parse *p, struct node *nd, const struct tok *t, int dotted)
{
	const char *s, *dot;
	size_t i, n;

	nd->n = t->e - t->s;
	nd->s = arena_strndup(p->arena, p->src + t->s, nd->n);
	nd->hash = hash(nd->s, nd->n);
	if (!dotted || (nd->n == 1 && nd->s[0] == '.'))
		return;
	for (n = 1, i = 0; i < nd->n; i++)
		if (nd->s[i] == '.')
			n++;
	nd->parts = arena_alloc(p->arena, n * sizeof(*nd->parts));
	nd->nparts = n;
	for (s = nd->s, i = 0; i < n; i++) {
		dot = strchr(s, '.');
		nd->parts[i].s = s;
		nd->parts[i].n = dot == NULL ? strlen(s) : (size_t)(dot - s);
		nd->parts[i].hash = hash(s, nd->parts[i].n);
		s += nd->parts[i].n + 1;
	}
}

/*
 * A standalone block's content has an indentation of its own: the
 * leading whitespace its non-blank lines share. It is taken off here and
 * the block's indentation at the place it is rendered put on instead.
 */
static void
block_indent(struct parse *p, struct node *nd, size_t from, size_t to)
{
	const char *src = p->src;
	size_t i, k, m, ls, best = 0, bestpos = 0;
	int have = 0;

	for (i = from; i < to; i++) {
		if (src[i] != '\n')
			continue;
		ls = i + 1;
		for (k = ls; k < to && is_ws(src[k]); k++)
			continue;
		if (k >= to || src[k] == '\n' ||
		    (src[k] == '\r' && k + 1 < to && src[k + 1] == '\n'))
			continue;
		if (!have) {
			bestpos = ls;
			best = k - ls;
			have = 1;
			continue;
		}
		for (m = 0; m < best && m < k - ls &&
		    src[bestpos + m] == src[ls + m]; m++)
			continue;
		best = m;
	}
	if (have) {
		nd->ded = src + bestpos;
		nd->nded = best;
	}
}

static void
tok_indent(const struct parse *p, struct node *nd, const struct tok *t)
{
	nd->standalone = t->standalone;
	nd->ind = p->src + t->ind;
	nd->nind = t->nind;
}

/* Folds tokens from *ip up to a close tag (or the end) into nodes. */
static void
build(struct parse *p, size_t *ip, struct node **kidsp, size_t *nkidsp)
{
	struct node *v = NULL, *nd;
	const struct tok *t;
	size_t n = 0, cap = 0;

	while (*ip < p->nt) {
		t = &p->t[(*ip)++];
		if (t->type == '/')
			break;
		if (t->type == '!' || t->type == '=' ||
		    (t->type == T_TEXT && t->s >= t->e))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		nd = &v[n++];
		memset(nd, 0, sizeof(*nd));
		switch (t->type) {
		case T_TEXT:
			nd->type = N_TEXT;
			nd->s = p->src + t->s;
			nd->n = t->e - t->s;
			nd->off = t->s;
			break;
		case 'x':
		case '&':
			nd->type = t->type == 'x' ? N_VAR : N_RAW;
			set_name(p, nd, t, 1);
			break;
		case '#':
		case '^':
			nd->type = t->type == '#' ? N_SECTION : N_INVERTED;
			set_name(p, nd, t, 1);
			build(p, ip, &nd->kids, &nd->nkids);
			break;
		case '>':
			nd->type = N_PARTIAL;
			set_name(p, nd, t, 0);
			tok_indent(p, nd, t);
			break;
		case '<':
			nd->type = N_PARENT;
			set_name(p, nd, t, 0);
			tok_indent(p, nd, t);
			build(p, ip, &nd->kids, &nd->nkids);
			break;
		case '$':
			nd->type = N_BLOCK;
			set_name(p, nd, t, 0);
			tok_indent(p, nd, t);
			build(p, ip, &nd->kids, &nd->nkids);
			if (nd->standalone)
				block_indent(p, nd, t->te, p->t[*ip - 1].ts);
			break;
		}
	}
	*nkidsp = n;
	*kidsp = NULL;
	if (n > 0) {
		*kidsp = arena_alloc(p->arena, n * sizeof(*v));
		memcpy(*kidsp, v, n * sizeof(*v));
	}
	free(v);
}

static size_t
common_prefix(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb && a[i] == b[i]; i++)
		continue;
	return i;
}

/* Takes up to dn characters of d off the start of each line of a text. */
static void
dedent_text(struct parse *p, struct node *nd, const char *d, size_t dn)
{
	char *out = arena_alloc(p->arena, nd->n + 1);
	size_t i = 0, k, o = 0;
	int bol = nd->off > 0 && p->src[nd->off - 1] == '\n';

	while (i < nd->n) {
		if (bol) {
			for (k = 0; k < dn && i < nd->n && nd->s[i] == d[k]; k++)
				i++;
			bol = 0;
			continue;
		}
		out[o] = nd->s[i++];
		bol = out[o++] == '\n';
	}
	nd->s = out;
	nd->n = o;
}

/*
 * Removes the indentation d of the innermost standalone block from the
 * text in it, and makes indentations inside it relative to d.
 */
static void
dedent(struct parse *p, struct node *v, size_t n, const char *d, size_t dn)
{
	struct node *nd;
	const char *s;
	size_t i, k, sn;

	for (i = 0; i < n; i++) {
		nd = &v[i];
		switch (nd->type) {
		case N_TEXT:
			if (dn > 0)
				dedent_text(p, nd, d, dn);
			break;
		case N_PARTIAL:
		case N_PARENT:
			if (nd->standalone) {
				k = common_prefix(nd->ind, nd->nind, d, dn);
				nd->ind += k;
				nd->nind -= k;
			}
			dedent(p, nd->kids, nd->nkids, d, dn);
			break;
		case N_BLOCK:
			if (!nd->standalone) {
				dedent(p, nd->kids, nd->nkids, d, dn);
				break;
			}
			/* Content sets the indentation; an empty block its tag. */
			s = nd->ded != NULL ? nd->ded : nd->ind;
			sn = nd->ded != NULL ? nd->nded : nd->nind;
			k = common_prefix(s, sn, d, dn);
			nd->ind = s + k;
			nd->nind = sn - k;
			dedent(p, nd->kids, nd->nkids, nd->ded, nd->nded);
			break;
		case N_SECTION:
		case N_INVERTED:
			dedent(p, nd->kids, nd->nkids, d, dn);
			break;
		default:
			break;
		}
	}
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	arena_free(t->arena);
	free(t->src);
	free(t->name);
	free(t);
}

static int
tmpl_parse(struct tmpl *t, char *err, size_t errlen)
{
	struct parse p;
	size_t i = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.name = t->name;
	p.src = t->src;
	p.len = t->len;
	p.arena = t->arena;
	p.err = err;
	p.errlen = errlen;
	if ((rc = tokenize(&p)) == 0) {
		standalone(&p);
		build(&p, &i, &t->nodes, &t->nnodes);
		dedent(&p, t->nodes, t->nnodes, "", 0);
	}
	free(p.t);
	return rc;
}

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set);
}

static struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name, uint32_t h)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i]->hash == h && strcmp(set->v[i]->name, name) == 0)
			return set->v[i];
	return NULL;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, char *err, size_t errlen)
{
	struct tmpl *t;
	size_t i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->hash = hash(name, strlen(name));
	t->src = xstrndup(len > 0 ? src : "", len);
	t->len = len;
	t->arena = arena_new();
	if (tmpl_parse(t, err, errlen) == -1) {
		tmpl_free(t);
		return -1;
	}
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i]->name, name) == 0) {
			tmpl_free(set->v[i]);
			set->v[i] = t;
			return 0;
		}
	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	set->v[set->n++] = t;
	return 0;
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return tmpl_find(set, name, hash(name, strlen(name))) != NULL;
}

/*
 * Rendering.
 */

/* A parent tag being rendered: its blocks override the parent's. */
struct frame {
	const struct node	*parent;
	const struct frame	*up;
};

struct indent {
	const char	*s;
	size_t		 n;
};

/*
 * Where a name was found in the innermost context last time: the rows of
 * a list are maps of the same keys in the same order, so a name of a
 * section's body is nearly always at the same entry of each row's map.
 * A direct-mapped table by node, private to one rendering (templates are
 * shared between threads); a wrong guess costs one comparison.
 */
#define TMPL_HINTS	256

struct hint {
	const struct node	*nd;
	size_t			 ent;
};

struct render {
	struct hint		 hint[TMPL_HINTS];
	const struct tmpl_set	*set;
	const char		*name;
	struct buf		*out;
	size_t			 base;		/* out->n before we began */
	const struct tv		*ctx[TMPL_MAX_DEPTH + 2];
	size_t			 nctx;
	struct indent		 ind[TMPL_MAX_DEPTH + 1];
	size_t			 nind;
	const struct frame	*frames;
	int			 bol;	/* template text is at a line start */
	int			 plain;	/* text output: nothing is escaped */
	int			 depth;
	char			*err;
	size_t			 errlen;
};

static int rerr(struct render *, const char *, ...) ZZ_PRINTF(2, 3);

static int
rerr(struct render *st, const char *fmt, ...)
{
	va_list ap;

	if (st->err != NULL && st->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(st->err, st->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
too_big(struct render *st)
{
	return rerr(st, "%s: output larger than %u bytes", st->name,
	    TMPL_MAX_OUTPUT);
}

static int
put(struct render *st, const char *s, size_t n)
{
	if (n > TMPL_MAX_OUTPUT - (st->out->n - st->base))
		return too_big(st);
	buf_add(st->out, s, n);
	return 0;
}

static int
put_indent(struct render *st)
{
	size_t i;

	for (i = 0; i < st->nind; i++)
		if (put(st, st->ind[i].s, st->ind[i].n) == -1)
			return -1;
	return 0;
}

/* Template text: indentation goes before each of its lines. */
static int
text(struct render *st, const char *s, size_t n)
{
	const char *nl;
	size_t k;

	if (n == 0)
		return 0;
	if (st->nind == 0) {
		st->bol = s[n - 1] == '\n';
		return put(st, s, n);
	}
	while (n > 0) {
		if (st->bol && put_indent(st) == -1)
			return -1;
		nl = memchr(s, '\n', n);
		k = nl == NULL ? n : (size_t)(nl - s) + 1;
		if (put(st, s, k) == -1)
			return -1;
		st->bol = nl != NULL;
		s += k;
		n -= k;
	}
	return 0;
}

/* A value: never indented inside, never parsed again. */
static int
value(struct render *st, const struct tv *v, int esc)
{
	const char *s;
	size_t n;

	if (st->bol && st->nind > 0 && put_indent(st) == -1)
		return -1;
	st->bol = 0;
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case TV_STR:
		s = v->s;
		n = v->slen;
		break;
	case TV_BOOL:
		s = v->b ? "true" : "false";
		n = strlen(s);
		break;
	default:
		return 0;
	}
	if (!esc || st->plain)
		return put(st, s, n);
	if (n > TMPL_MAX_OUTPUT - (st->out->n - st->base))
		return too_big(st);
	/* Escaping grows text at most sixfold: check once it is written. */
	buf_html(st->out, s, n);
	if (st->out->n - st->base > TMPL_MAX_OUTPUT)
		return too_big(st);
	return 0;
}

/*
 * The first component of a name is looked up from the innermost context
 * outwards; the others only inside what the previous one found.
 */
static const struct tv *
lookup(struct render *st, const struct node *nd)
{
	const struct tv *v = NULL, *c;
	const struct tv_ent *e;
	const struct npart *pt;
	struct hint *h;
	size_t i;

	if (nd->nparts == 0)
		return st->ctx[st->nctx - 1];
	pt = &nd->parts[0];
	h = &st->hint[(uintptr_t)nd / sizeof(*nd) % TMPL_HINTS];
	c = st->ctx[st->nctx - 1];
	if (h->nd == nd && c != NULL && c->kind == TV_MAP && h->ent < c->n &&
	    (e = &c->ents[h->ent])->klen == pt->n &&
	    memcmp(e->key, pt->s, pt->n) == 0)
		v = e->val;
	else {
		for (i = st->nctx; i-- > 0;) {
			c = st->ctx[i];
			if (c == NULL || c->kind != TV_MAP ||
			    (e = map_find(c, pt->s, pt->n, pt->hash)) == NULL)
				continue;
			v = e->val;
			if (i == st->nctx - 1) {
				h->nd = nd;
				h->ent = (size_t)(e - c->ents);
			}
			break;
		}
	}
	for (i = 1; v != NULL && i < nd->nparts; i++) {
		pt = &nd->parts[i];
		if (v->kind != TV_MAP ||
		    (e = map_find(v, pt->s, pt->n, pt->hash)) == NULL)
			return NULL;
		v = e->val;
	}
	return v;
}

/* Empty strings count as false, so {{#error}} needs no extra flag. */
static int
truthy(const struct tv *v)
{
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case TV_BOOL:
		return v->b;
	case TV_STR:
		return v->slen > 0;
	case TV_LIST:
		return v->n > 0;
	case TV_MAP:
		return 1;
	default:
		return 0;
	}
}

static int
enter(struct render *st)
{
	if (st->depth >= TMPL_MAX_DEPTH)
		return rerr(st, "%s: nesting deeper than %d levels "
		    "(recursive partial?)", st->name, TMPL_MAX_DEPTH);
	st->depth++;
	return 0;
}

static void
push_indent(struct render *st, const struct node *nd)
{
	if (!nd->standalone)
		return;
	if (nd->nind > 0) {
		st->ind[st->nind].s = nd->ind;
		st->ind[st->nind].n = nd->nind;
		st->nind++;
	}
	st->bol = 1;
}

static int run(struct render *, const struct node *, size_t);

static int
section(struct render *st, const struct node *nd)
{
	const struct tv *v = lookup(st, nd);
	size_t i;
	int rc = 0;

	if (nd->type == N_INVERTED) {
		if (truthy(v))
			return 0;
		if (enter(st) == -1)
			return -1;
		rc = run(st, nd->kids, nd->nkids);
		st->depth--;
		return rc;
	}
	if (!truthy(v))
		return 0;
	if (enter(st) == -1)
		return -1;
	if (v->kind == TV_LIST) {
		for (i = 0; rc == 0 && i < v->n; i++) {
			st->ctx[st->nctx++] = v->items[i];
			rc = run(st, nd->kids, nd->nkids);
			st->nctx--;
		}
	} else {
		st->ctx[st->nctx++] = v;
		rc = run(st, nd->kids, nd->nkids);
		st->nctx--;
	}
	st->depth--;
	return rc;
}

/* {{>name}} and {{<name}}: the named template in the current context. */
static int
include(struct render *st, const struct node *nd)
{
	const struct tmpl *t;
	const struct frame *saved = st->frames;
	struct frame fr;
	size_t nind = st->nind;
	int rc;

	if ((t = tmpl_find(st->set, nd->s, nd->hash)) == NULL)
		return 0;
	if (enter(st) == -1)
		return -1;
	if (nd->type == N_PARENT) {
		fr.parent = nd;
		fr.up = st->frames;
		st->frames = &fr;
	}
	push_indent(st, nd);
	rc = run(st, t->nodes, t->nnodes);
	st->frames = saved;
	st->nind = nind;
	st->depth--;
	return rc;
}

/*
 * {{$name}}: the outermost override of that name wins; it is rendered
 * here, in the current context, but sees only the overrides from outside
 * the parent tag that gave it (so a block cannot fill itself forever).
 */
static int
block(struct render *st, const struct node *nd)
{
	const struct frame *f, *from = NULL, *saved = st->frames;
	const struct node *ov = NULL, *b;
	size_t i, nind = st->nind;
	int rc;

	for (f = st->frames; f != NULL; f = f->up)
		for (i = 0; i < f->parent->nkids; i++) {
			b = &f->parent->kids[i];
			if (b->type == N_BLOCK && b->hash == nd->hash &&
			    strcmp(b->s, nd->s) == 0) {
				ov = b;
				from = f;
				break;
			}
		}
	if (enter(st) == -1)
		return -1;
	if (ov != NULL)
		st->frames = from->up;
	push_indent(st, nd);
	if (ov != NULL)
		rc = run(st, ov->kids, ov->nkids);
	else
		rc = run(st, nd->kids, nd->nkids);
	st->frames = saved;
	st->nind = nind;
	st->depth--;
	return rc;
}

static int
run(struct render *st, const struct node *v, size_t n)
{
	const struct node *nd;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		nd = &v[i];
		switch (nd->type) {
		case N_TEXT:
			rc = text(st, nd->s, nd->n);
			break;
		case N_VAR:
		case N_RAW:
			rc = value(st, lookup(st, nd), nd->type == N_VAR);
			break;
		case N_SECTION:
		case N_INVERTED:
			rc = section(st, nd);
			break;
		case N_PARTIAL:
		case N_PARENT:
			rc = include(st, nd);
			break;
		case N_BLOCK:
			rc = block(st, nd);
			break;
		}
	}
	return rc;
}

static int
render(const struct tmpl_set *set, const char *name, const struct tv *view,
    struct buf *out, char *err, size_t errlen, int plain)
{
	struct render st;
	const struct tmpl *t;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/* Callers may rely on out->p being a string, even an empty one. */
	buf_add(out, "", 0);
	memset(&st, 0, sizeof(st));
	st.set = set;
	st.name = name;
	st.out = out;
	st.base = out->n;
	st.err = err;
	st.errlen = errlen;
	st.plain = plain;
	if ((t = tmpl_find(set, name, hash(name, strlen(name)))) == NULL)
		return rerr(&st, "unknown template \"%s\"", name);
	st.ctx[0] = view;
	st.nctx = 1;
	st.bol = 1;
	if (run(&st, t->nodes, t->nnodes) == -1) {
		/* Never hand out half a page. */
		out->n = st.base;
		out->p[out->n] = '\0';
		return -1;
	}
	return 0;
}

int
tmpl_render(const struct tmpl_set *set, const char *name,
    const struct tv *view, struct buf *out, char *err, size_t errlen)
{
	return render(set, name, view, out, err, errlen, 0);
}

int
tmpl_render_text(const struct tmpl_set *set, const char *name,
    const struct tv *view, struct buf *out, char *err, size_t errlen)
{
	return render(set, name, view, out, err, errlen, 1);
}
