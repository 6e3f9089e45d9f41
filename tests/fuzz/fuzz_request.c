/*
 * fuzz_request: the whole request path. Each input becomes one struct
 * request, as a front door would fill it, and goes through app_handle on
 * a real struct app (every embedded template, the route table, the
 * pages) opened on a temporary database that LLVMFuzzerInitialize creates
 * with store_migrate in a fresh directory (under $FUZZ_TMPDIR, else
 * /dev/shm when it exists, so fsync costs nothing, else /tmp; removed at
 * exit, but not after a crash: run.sh gives each run its own
 * FUZZ_TMPDIR and removes it).
 *
 * Input: byte 0 flags, byte 1 flags, then the URI, the Content-Type and a
 * Cookie header, separated by NUL bytes; everything after the third NUL
 * is the body (binary). Byte 0: bits 0-1 method (GET, POST, HEAD, PUT);
 * bits 2-3 who is logged in (nobody, an applicant, a project lead, an
 * admin: fixtures made at start); bit 4 HTTPS; bits 5-6 Origin/Referer
 * (none, Origin this host, Origin another site, Referer this host).
 * Byte 1: bit 0 the door found the body too large, bit 1 the body was
 * incomplete, bit 2 no Content-Type at all. Every "@csrf@" in the body
 * and URI becomes the logged-in fixture's CSRF token, so the fuzzer can
 * reach the handlers behind the CSRF check.
 *
 * After an input that wrote to the database, the database is put back
 * from a snapshot taken after the fixtures were made (SQLite backup API)
 * and the upload directory emptied, so every input starts from the same
 * state and a saved crash input reproduces on its own.
 *
 * FUZZ_VERBOSE=1 in the environment prints each request and its status.
 *
 * Invariants of every response: status 200..599; a content type; for
 * 400 and above a non-empty body; the security headers (CSP, nosniff,
 * Referrer-Policy); no CR, LF or other control byte in any header; a
 * redirect's Location is a local path as a browser reads it (after
 * dropping tabs and newlines, it starts with one '/', not "//" or
 * "/\"); 405 names its methods in Allow; a page seen by a logged-in
 * user has Cache-Control: no-store; an HTML body has no <script but the
 * program's own <script src="/static/...">; GET and HEAD change nothing
 * in the database but a session's last-seen time.
 *
 * password.c is replaced (below) by a stand-in with the same interface:
 * argon2id at its production cost takes 100-500 ms and 64 MiB per call,
 * and every login attempt with an unknown e-mail hashes once on purpose,
 * so the real one would bring this harness down to a few executions a
 * second. It is tested by its own unit tests; this harness is about the
 * parsing, routing, access checks and pages around it.
 */
/* memmem, strcasestr, nftw. */
#define _GNU_SOURCE

#include <sys/stat.h>

#include <ftw.h>
#include <sodium.h>
#include <sqlite3.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "handle.h"
#include "app.h"
#include "auth.h"
#include "embedded.h"
#include "fuzz_common.h"
#include "http.h"
#include "password.h"
#include "store.h"
#include "util.h"

/* ---- The password stand-in ------------------------------------------ */

#define STUB_PREFIX	"$argon2id$fuzz$"

static void
stub_hash(const char *pw, char out[2 * 32 + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)pw,
	    strlen(pw), NULL, 0);
	sodium_bin2hex(out, 2 * 32 + 1, h, sizeof(h));
}

int
password_hash(const char *pw, char *out, size_t outlen)
{
	char hex[2 * 32 + 1];

	if (outlen < sizeof(STUB_PREFIX) + sizeof(hex))
		return -1;
	stub_hash(pw, hex);
	snprintf(out, outlen, "%s%s", STUB_PREFIX, hex);
	return 0;
}

int
password_verify(const char *pw, const char *encoded)
{
	char hex[2 * 32 + 1];

	if (strncmp(encoded, STUB_PREFIX, sizeof(STUB_PREFIX) - 1) != 0)
		return 0;
	stub_hash(pw, hex);
	return strcmp(encoded + sizeof(STUB_PREFIX) - 1, hex) == 0;
}

int
password_needs_rehash(const char *encoded)
{
	return strncmp(encoded, STUB_PREFIX, sizeof(STUB_PREFIX) - 1) != 0;
}

/* No hash to match: no wait either. */
void
password_pause(void)
{
}

/* ---- Fixtures -------------------------------------------------------- */

#define HOST	"localhost:8080"

static struct app app;
static char dir[256], dbpath[300];
static sqlite3 *snapshot;
static long long baseline;	/* total changes right after a restore */
static int other_change;	/* a table other than session was written */
static int page_scripts;	/* a template has <script (ours only) */
static int verbose;		/* FUZZ_VERBOSE=1: one line per request */

static const char *const roles[4] = { NULL, "applicant", "lead", "admin" };
static char tokens[4][64], csrfs[4][64];

static void die(const char *, const char *) __attribute__((noreturn));

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_request: %s: %s\n", what, detail);
	abort();
}

static void
on_update(void *arg, int op, const char *db, const char *table,
    sqlite3_int64 rowid)
{
	if (strcmp(table, "session") != 0)
		other_change = 1;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(path);
}

static void
empty_dir(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
cleanup(void)
{
	app_close(&app);
	if (snapshot != NULL)
		sqlite3_close(snapshot);
	if (dir[0] != '\0')
		empty_dir(dir);
}

/* Copies the whole database from src to dst (both open connections). */
static void
copy_db(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b;
	sqlite3_stmt *st = NULL;
	int rc;

	/* A statement left in the middle of its rows holds a read lock. */
	while ((st = sqlite3_next_stmt(dst, st)) != NULL)
		sqlite3_reset(st);
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL)
		die("backup init", sqlite3_errmsg(dst));
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		die("backup", sqlite3_errstr(rc));
}

/* A fixture logs in as a door would: the token from Set-Cookie. */
static void
login(int i, long long id)
{
	struct request req;
	struct response resp;
	const char *c, *e;
	sqlite3_stmt *st;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.app = &app;
	req.now = (long long)time(NULL);
	response_init(&resp);
	if (auth_login(&req, &resp, id) != 0)
		die("auth_login", roles[i]);
	c = response_get_header(&resp, "Set-Cookie");
	if (c == NULL || strncmp(c, "zizhi=", 6) != 0 ||
	    (e = strchr(c, ';')) == NULL || e - c - 6 >= 64)
		die("Set-Cookie", c ? c : "(none)");
	memcpy(tokens[i], c + 6, (size_t)(e - c - 6));
	st = store_stmt(app.store, "SELECT csrf FROM session "
	    "WHERE account_id = ?1");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		die("csrf", roles[i]);
	snprintf(csrfs[i], sizeof(csrfs[i]), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	response_free(&resp);
	arena_free(req.arena);
}

/*
 * A request of a fixture (who: index into roles) through app_handle, as
 * the fuzzed ones go: used at start to give the applicant a case, so that
 * one fuzzed request can reach the case pages.
 */
static int
fixture_post(int who, const char *uri)
{
	struct request req;
	struct response resp;
	char *body;
	int status;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method = METHOD_POST;
	req.method_name = "POST";
	req.uri = uri;
	req.host = HOST;
	req.origin = "http://" HOST;
	req.content_type = "application/x-www-form-urlencoded";
	req.cookie = arena_printf(req.arena, "zizhi=%s", tokens[who]);
	body = arena_printf(req.arena, "csrf=%s", csrfs[who]);
	req.body = body;
	req.body_len = strlen(body);
	req.remote_addr = "127.0.0.1";
	response_init(&resp);
	app_handle(&app, &req, &resp);
	status = resp.status;
	response_free(&resp);
	arena_free(req.arena);
	return status;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct embedded_file *f;
	struct app_config cfg;
	struct store *s;
	char err[512], email[64];
	const char *parent;
	long long org, id;
	int i;

	if ((parent = getenv("FUZZ_TMPDIR")) == NULL)
		parent = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	if (snprintf(dir, sizeof(dir), "%s/zizhi-fuzz-XXXXXX", parent) >=
	    (int)sizeof(dir))
		die("FUZZ_TMPDIR", "too long");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", dir);
	atexit(cleanup);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	snprintf(dbpath, sizeof(dbpath), "%s/zizhi.db", dir);
	if ((s = store_open(dbpath, err, sizeof(err))) == NULL)
		die("store_open", err);
	if (store_migrate(s, err, sizeof(err)) < 0)
		die("store_migrate", err);
	store_close(s);

	memset(&cfg, 0, sizeof(cfg));
	cfg.db_path = dbpath;
	cfg.max_body = 1024 * 1024;
	if (app_open(&app, &cfg, err, sizeof(err)) != 0)
		die("app_open", err);

	if ((org = org_create(app.store, "模糊测试有限公司")) <= 0)
		die("org_create", "failed");
	for (i = 1; i < 4; i++) {
		snprintf(email, sizeof(email), "%s@fuzz.example", roles[i]);
		if (account_create(app.store, email, roles[i], roles[i],
		    i == 1 ? org : 0, "correct horse battery", &id, err,
		    sizeof(err)) != ACCOUNT_OK)
			die("account_create", err);
		login(i, id);
	}
	/* Case 1, of the applicant (a 404 here only means no such route). */
	i = fixture_post(1, "/cases");
	if (i != 303)
		fprintf(stderr, "fuzz_request: POST /cases gave %d; no case "
		    "in the fixtures\n", i);

	for (f = embedded_files; f->name != NULL; f++)
		if (strncmp(f->name, "templates/", 10) == 0 &&
		    strcasestr(f->data, "<script") != NULL)
			page_scripts = 1;

	if (sqlite3_open(":memory:", &snapshot) != SQLITE_OK)
		die("snapshot", "cannot open");
	copy_db(snapshot, store_db(app.store));
	sqlite3_update_hook(store_db(app.store), on_update, NULL);
	baseline = sqlite3_total_changes64(store_db(app.store));
	return 0;
}

/* Puts the database and the upload directory back as they were. */
static void
restore(void)
{
	sqlite3 *db = store_db(app.store);
	sqlite3_stmt *st;

	copy_db(db, snapshot);
	empty_dir(app.files_dir);
	/* Fixture sessions must not expire during a long run. */
	if (sqlite3_prepare_v2(db, "UPDATE session SET seen = ?1, "
	    "created = ?1", -1, &st, NULL) != SQLITE_OK)
		die("refresh", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, (long long)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		die("refresh", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	baseline = sqlite3_total_changes64(db);
	other_change = 0;
}

/* ---- One request ------------------------------------------------------ */

/* Next NUL-terminated piece of data[*pos..size), copied; "" at the end. */
static char *
piece(struct arena *a, const uint8_t *data, size_t size, size_t *pos)
{
	const uint8_t *nul;
	size_t n;

	if (*pos >= size)
		return arena_strdup(a, "");
	nul = memchr(data + *pos, '\0', size - *pos);
	n = nul ? (size_t)(nul - (data + *pos)) : size - *pos;
	*pos += n + (nul != NULL);
	return arena_strndup(a, (const char *)data + *pos - n - (nul != NULL),
	    n);
}

/* s[0..*n) with every "@csrf@" replaced by tok; an exact-size copy. */
static char *
put_csrf(struct arena *a, const char *s, size_t *n, const char *tok)
{
	struct buf b;
	const char *p = s, *end = s + *n, *q;
	char *out;

	buf_init(&b);
	while (p < end && (q = memmem(p, (size_t)(end - p), "@csrf@", 6))) {
		buf_add(&b, p, (size_t)(q - p));
		buf_puts(&b, tok);
		p = q + 6;
	}
	buf_add(&b, p, (size_t)(end - p));
	*n = b.n;
	out = arena_alloc(a, b.n ? b.n : 1);
	memcpy(out, b.p, b.n);
	buf_free(&b);
	return out;
}

/*
 * What a browser makes of a Location value (WHATWG URL parsing): leading
 * and trailing C0 controls and spaces stripped, every tab, CR and LF
 * removed. "/\t/evil.example" is "//evil.example", another site.
 */
static void
browser_url(const char *loc, char *out, size_t size)
{
	const char *end = loc + strlen(loc);
	size_t o = 0;

	while (*loc != '\0' && (unsigned char)*loc <= 0x20)
		loc++;
	while (end > loc && (unsigned char)end[-1] <= 0x20)
		end--;
	for (; loc < end && o + 1 < size; loc++)
		if (*loc != '\t' && *loc != '\r' && *loc != '\n')
			out[o++] = *loc;
	out[o] = '\0';
}

static void
check_response(const struct request *req, const struct response *resp)
{
	const char *body, *loc, *v, *cc;
	char seen[512];
	size_t len, i, j;
	int st = resp->status;

	FUZZ_CHECK(st >= 200 && st <= 599, "status %d", st);
	FUZZ_CHECK(resp->content_type != NULL && resp->content_type[0] != '\0',
	    "status %d without a content type", st);
	body = response_data(resp, &len);
	if (st >= 400)
		FUZZ_CHECK(len > 0, "error %d with an empty body", st);
	FUZZ_CHECK(response_get_header(resp, "Content-Security-Policy") !=
	    NULL, "no CSP (status %d)", st);
	v = response_get_header(resp, "X-Content-Type-Options");
	FUZZ_CHECK(v != NULL && strcmp(v, "nosniff") == 0, "no nosniff");
	FUZZ_CHECK(response_get_header(resp, "Referrer-Policy") != NULL,
	    "no Referrer-Policy");
	if (st >= 300 && st < 400 && st != 304) {
		loc = response_get_header(resp, "Location");
		FUZZ_CHECK(loc != NULL, "redirect %d without Location", st);
		browser_url(loc, seen, sizeof(seen));
		FUZZ_CHECK(seen[0] == '/' && seen[1] != '/' && seen[1] != '\\',
		    "redirect to \"%s\", which a browser reads as \"%s\": "
		    "not a local path", loc, seen);
	}
	for (i = 0; i < resp->nheaders; i++) {
		for (j = 0; resp->headers[i].name[j] != '\0'; j++)
			FUZZ_CHECK((unsigned char)resp->headers[i].name[j] > 0x20 &&
			    resp->headers[i].name[j] != 0x7f &&
			    resp->headers[i].name[j] != ':',
			    "bad byte in header name %s", resp->headers[i].name);
		for (j = 0; resp->headers[i].value[j] != '\0'; j++)
			FUZZ_CHECK((unsigned char)resp->headers[i].value[j] >=
			    0x20 || resp->headers[i].value[j] == '\t',
			    "control byte 0x%02x in header %s",
			    (unsigned char)resp->headers[i].value[j],
			    resp->headers[i].name);
	}
	for (j = 0; resp->content_type[j] != '\0'; j++)
		FUZZ_CHECK((unsigned char)resp->content_type[j] >= 0x20,
		    "control byte in the content type");
	if (st == 405)
		FUZZ_CHECK(response_get_header(resp, "Allow") != NULL,
		    "405 without Allow");
	if (req->user != NULL) {
		cc = response_get_header(resp, "Cache-Control");
		FUZZ_CHECK(cc != NULL && strstr(cc, "no-store") != NULL,
		    "a page for %s without Cache-Control: no-store",
		    req->user->role);
	}
	if (strncasecmp(resp->content_type, "text/html", 9) == 0)
		for (i = 0; i + 7 <= len; i++)
			if (body[i] == '<' &&
			    strncasecmp(body + i + 1, "script", 6) == 0)
				FUZZ_CHECK(page_scripts && len - i >= 21 &&
				    memcmp(body + i, "<script src=\"/static/",
				    21) == 0, "<script at byte %zu of a %d "
				    "page is not one of ours", i, st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const mnames[4] = { "GET", "POST", "HEAD", "PUT" };
	static const enum method methods[4] = { METHOD_GET, METHOD_POST,
	    METHOD_HEAD, METHOD_OTHER };
	struct request req;
	struct response resp;
	struct arena *a;
	const char *tok;
	char *uri, *ct, *cookie, *body;
	size_t pos = 2, n, blen;
	unsigned f0, f1, who;

	if (size < 2)
		return 0;
	f0 = data[0];
	f1 = data[1];
	who = (f0 >> 2) & 3;
	tok = who ? csrfs[who] : "";
	a = arena_new();
	uri = piece(a, data, size, &pos);
	ct = piece(a, data, size, &pos);
	cookie = piece(a, data, size, &pos);
	blen = pos < size ? size - pos : 0;
	body = put_csrf(a, (const char *)data + pos, &blen, tok);
	n = strlen(uri);
	uri = put_csrf(a, uri, &n, tok);
	uri = arena_strndup(a, uri, n);

	memset(&req, 0, sizeof(req));
	req.arena = a;
	req.method = methods[f0 & 3];
	req.method_name = mnames[f0 & 3];
	req.uri = uri;
	req.host = HOST;
	req.https = (f0 >> 4) & 1;
	switch ((f0 >> 5) & 3) {
	case 1:
		req.origin = req.https ? "https://" HOST : "http://" HOST;
		break;
	case 2:
		req.origin = "https://evil.example";
		break;
	case 3:
		req.referer = arena_printf(a, "%s://%s/login",
		    req.https ? "https" : "http", HOST);
		break;
	}
	req.content_type = (f1 & 4) ? NULL : ct;
	if (who != 0)
		req.cookie = arena_printf(a, "%s=%s%s%s", req.https ?
		    "__Host-zizhi" : "zizhi", tokens[who],
		    cookie[0] ? "; " : "", cookie);
	else
		req.cookie = cookie[0] ? cookie : NULL;
	req.remote_addr = "127.0.0.1";
	req.body = body;
	req.body_len = blen;
	req.body_too_large = f1 & 1;
	req.body_incomplete = (f1 >> 1) & 1;

	response_init(&resp);
	app_handle(&app, &req, &resp);
	if (verbose)
		fprintf(stderr, "fuzz_request: %s %s -> %d (%s)\n",
		    req.method_name, req.uri, resp.status,
		    req.user ? req.user->role : "anonymous");
	check_response(&req, &resp);
	if (req.method == METHOD_GET || req.method == METHOD_HEAD)
		FUZZ_CHECK(!other_change, "%s %s (status %d) wrote to the "
		    "database", req.method_name, req.uri, resp.status);
	response_free(&resp);
	arena_free(a);

	if (sqlite3_total_changes64(store_db(app.store)) != baseline ||
	    other_change)
		restore();
	return 0;
}
