/*
 * auth.c: sessions and CSRF tokens (passwords are checked in account.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "router.h"

#define TOKEN_BYTES	32	/* 256 bits */
#define TOKEN_CHARS	43	/* base64url, no padding */
#define SEEN_GRANULE	60	/* seconds between updates of "seen" */

static const char *
cookie_name(const struct request *req)
{
	/* The __Host- prefix binds the cookie to this host, over HTTPS. */
	return req->https ? "__Host-zizhi" : "zizhi";
}

static void
random_token(char out[TOKEN_CHARS + 1])
{
	unsigned char raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_CHARS + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void
token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static void
delete_session(struct store *s, const unsigned char hash[32])
{
	sqlite3_stmt *st = store_stmt(s,
	    "DELETE FROM session WHERE token_hash = ?1");

	if (st == NULL)
		return;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_TRANSIENT);
	sqlite3_step(st);
}

int
auth_load(struct request *req)
{
	struct store *s = req->app->store;
	const char *token = params_get(&req->cookies, cookie_name(req));
	unsigned char hash[32];
	sqlite3_stmt *st;
	struct actor *u;
	long long created, seen;
	int row;

	req->user = NULL;
	if (token == NULL || strlen(token) != TOKEN_CHARS)
		return 0;
	token_hash(token, hash);
	st = store_stmt(s, "SELECT a.id, a.email, a.name, a.role, "
	    "coalesce(a.org_id, 0), coalesce(o.name, ''), s.csrf, s.created, "
	    "s.seen, s.stage FROM session s JOIN account a ON a.id = "
	    "s.account_id "
	    "LEFT JOIN org o ON o.id = a.org_id "
	    "WHERE s.token_hash = ?1 AND a.disabled = 0");
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		return row;
	}
	created = sqlite3_column_int64(st, 7);
	seen = sqlite3_column_int64(st, 8);
	if (req->now - seen > AUTH_IDLE_SECONDS ||
	    req->now - created > AUTH_ABSOLUTE_SECONDS) {
		sqlite3_reset(st);
		delete_session(s, hash);
		return 0;
	}
	/* The password was right, the code is still to come: not logged
	 * in, and for five minutes at most. */
	if (sqlite3_column_int(st, 9) == AUTH_CODE) {
		req->pending_id = req->now - created <= AUTH_CODE_SECONDS ?
		    sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		return 0;
	}
	req->must_enrol = sqlite3_column_int(st, 9) == AUTH_ENROL;
	u = arena_alloc(req->arena, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->email = arena_strdup(req->arena, store_col_text(st, 1));
	u->name = arena_strdup(req->arena, store_col_text(st, 2));
	u->role = arena_strdup(req->arena, store_col_text(st, 3));
	u->role_bit = role_bit(u->role);
	u->org_id = sqlite3_column_int64(st, 4);
	u->org_name = arena_strdup(req->arena, store_col_text(st, 5));
	req->csrf = arena_strdup(req->arena, store_col_text(st, 6));
	sqlite3_reset(st);
	req->user = u;
	/* Record activity, but not on every request: a write costs. */
	if (req->now - seen >= SEEN_GRANULE) {
		st = store_stmt(s, "UPDATE session SET seen = ?2 "
		    "WHERE token_hash = ?1");
		if (st != NULL) {
			sqlite3_bind_blob(st, 1, hash, sizeof(hash),
			    SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, req->now);
			sqlite3_step(st);
		}
	}
	return 0;
}

static void
set_cookie(struct request *req, struct response *resp, const char *value,
    int clear)
{
	response_header(resp, "Set-Cookie", arena_printf(req->arena,
	    "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", cookie_name(req),
	    value, req->https ? "; Secure" : "",
	    clear ? "; Max-Age=0" : ""));
}

int
auth_login(struct request *req, struct response *resp, long long account_id)
{
	return auth_login_stage(req, resp, account_id, AUTH_FULL);
}

int
auth_login_stage(struct request *req, struct response *resp,
    long long account_id, enum auth_stage stage)
{
	struct store *s = req->app->store;
	char token[TOKEN_CHARS + 1], csrf[TOKEN_CHARS + 1];
	unsigned char hash[32];
	sqlite3_stmt *st;
	const char *old;

	/* A new token at every login: a planted cookie is worth nothing. */
	/* The session this request came with (a half-way one) ends. */
	if ((old = params_get(&req->cookies, cookie_name(req))) != NULL) {
		token_hash(old, hash);
		delete_session(s, hash);
	}
	random_token(token);
	random_token(csrf);
	token_hash(token, hash);
	st = store_stmt(s, "INSERT INTO session(token_hash, account_id, csrf, "
	    "created, seen, stage) VALUES (?1, ?2, ?3, ?4, ?4, ?5)");
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 5, (int)stage);
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, account_id);
	store_bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, req->now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: auth_login: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	/* Expired sessions of anyone go now; they would be refused anyway. */
	st = store_stmt(s, "DELETE FROM session WHERE seen < ?1 OR created < ?2");
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, req->now - AUTH_IDLE_SECONDS);
		sqlite3_bind_int64(st, 2, req->now - AUTH_ABSOLUTE_SECONDS);
		sqlite3_step(st);
	}
	set_cookie(req, resp, token, 0);
	/* The new session's token, for a form on the page that answers. */
	req->csrf = arena_strdup(req->arena, csrf);
	return 0;
}

void
auth_logout(struct request *req, struct response *resp)
{
	const char *token = params_get(&req->cookies, cookie_name(req));
	unsigned char hash[32];

	if (token != NULL) {
		token_hash(token, hash);
		delete_session(req->app->store, hash);
	}
	req->user = NULL;
	set_cookie(req, resp, "", 1);
}

int
auth_csrf_ok(const struct request *req)
{
	const char *t = params_get(&req->form, "csrf");

	if (req->user == NULL || t == NULL || strlen(t) != TOKEN_CHARS)
		return 0;
	return sodium_memcmp(t, req->csrf, TOKEN_CHARS) == 0;
}
