/*
 * reset.c: password reset tokens (reset.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "outbox.h"
#include "reset.h"
#include "store.h"
#include "throttle.h"
#include "util.h"

#define RESET_BYTES	32		/* 256 bits */
#define RESET_CHARS	43		/* base64url, no padding */

static void
token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

/* Writes the token and the message; in the transaction. */
static enum dom_rc
queue_mail(struct dom *d, long long id, const char *to, const char *base_url)
{
	char token[RESET_CHARS + 1];
	unsigned char raw[RESET_BYTES], hash[32];
	sqlite3_stmt *st;
	const char *body;
	int ok;

	if (sodium_init() < 0)
		return dom_fail(d, "reset_request: sodium");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(token, hash);
	body = arena_printf(d->arena,
	    "您好：\n\n"
	    "有人（希望是您本人）申请重设资质申请系统账号 %s 的密码。"
	    "请在 %d 分钟内打开下面的链接设置新密码，链接只能使用一次：\n\n"
	    "%s/password/reset?token=" OUTBOX_SECRET "\n\n"
	    "如果不是您本人申请，请忽略本邮件，您的密码不会改变。\n",
	    to, RESET_SECONDS / 60, base_url);
	st = store_stmt(d->store, "INSERT INTO password_reset(token_hash, "
	    "account_id, created) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return dom_fail(d, "reset_request");
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, d->now);
	/* The token is kept apart from the body, and only until sent. */
	ok = sqlite3_step(st) == SQLITE_DONE && outbox_add_secret(d->store, to,
	    "重设密码", body, token, d->now) == 0;
	sodium_memzero(token, sizeof(token));
	return ok ? DOM_OK : dom_fail(d, "reset_request");
}

enum dom_rc
reset_request(struct dom *d, const char *email, const char *addr,
    const char *base_url)
{
	sqlite3_stmt *st;
	char key[80], to[256];
	const char *k;
	enum dom_rc rc;
	long long id, until;
	int row;

	k = throttle_key(key, sizeof(key), "reset", addr) == 0 ? key : NULL;
	if ((until = throttle_until(d->store, k, d->now)) < 0)
		return dom_fail(d, "reset_request: throttle");
	if (until != 0)
		return DOM_OK;
	if (throttle_fail(d->store, k, d->now, THROTTLE_RESET_MAX, -1) < 0)
		return dom_fail(d, "reset_request: throttle");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT id, email FROM account WHERE email "
	    "= ?1 AND disabled = 0");
	if (st == NULL)
		return dom_fail(d, "reset_request");
	store_bind_text(st, 1, email);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		/* No such account: the same answer as for one. */
		return row < 0 ? dom_fail(d, "reset_request") :
		    dom_end(d, DOM_OK);
	}
	id = sqlite3_column_int64(st, 0);
	snprintf(to, sizeof(to), "%s", store_col_text(st, 1));
	sqlite3_reset(st);
	if ((rc = queue_mail(d, id, to, base_url)) != DOM_OK)
		return rc;
	return dom_end(d, DOM_OK);
}

/* The account of a usable token and its e-mail (d->arena): its id, 0
 * when not usable, -1 on a database error. */
static long long
token_account(struct dom *d, const char *token, const char **email)
{
	int row;
	unsigned char hash[32];
	sqlite3_stmt *st;
	long long id = 0;

	*email = "";
	if (token == NULL || strlen(token) != RESET_CHARS)
		return 0;
	token_hash(token, hash);
	st = store_stmt(d->store, "SELECT a.id, a.email FROM password_reset r "
	    "JOIN account a ON a.id = r.account_id WHERE r.token_hash = ?1 AND "
	    "r.used IS NULL AND r.created > ?2 AND a.disabled = 0");
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, d->now - RESET_SECONDS);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1) {
		id = sqlite3_column_int64(st, 0);
		*email = arena_strdup(d->arena, store_col_text(st, 1));
	}
	sqlite3_reset(st);
	return id;
}

enum dom_rc
reset_check(struct dom *d, const char *token, const char **email)
{
	long long id = token_account(d, token, email);

	if (id < 0)
		return dom_fail(d, "reset_check");
	return id > 0 ? DOM_OK : DOM_NOT_FOUND;
}

enum dom_rc
reset_use(struct dom *d, const char *token, const char *password,
    const char **email)
{
	unsigned char hash[32];
	sqlite3_stmt *st;
	char err[256], key[300];
	enum dom_rc rc;
	long long id;

	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((id = token_account(d, token, email)) < 0)
		return dom_fail(d, "reset_use");
	if (id == 0)
		return dom_end(d, DOM_NOT_FOUND);
	/* Spend the token: of two requests at once, one wins. */
	token_hash(token, hash);
	st = store_stmt(d->store, "UPDATE password_reset SET used = ?2 WHERE "
	    "token_hash = ?1 AND used IS NULL AND created > ?3");
	if (st == NULL)
		return dom_fail(d, "reset_use");
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, d->now);
	store_bind_int(st, 3, d->now - RESET_SECONDS);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "reset_use");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_end(d, DOM_NOT_FOUND);
	switch (account_set_password(d->store, *email, password, err,
	    sizeof(err))) {
	case ACCOUNT_OK:
		break;
	case ACCOUNT_INVALID:
		return dom_end(d, dom_refuse(d, DOM_INVALID, "password", "%s。",
		    err));
	default:
		return dom_fail(d, "reset_use: password");
	}
	/* Every session ends, and so does every other link sent. */
	if (account_end_sessions(d->store, id) != 0)
		return dom_fail(d, "reset_use: sessions");
	st = store_stmt(d->store, "DELETE FROM password_reset WHERE "
	    "account_id = ?1 AND used IS NULL");
	if (st == NULL)
		return dom_fail(d, "reset_use");
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "reset_use");
	if (throttle_key(key, sizeof(key), "email", *email) == 0 &&
	    throttle_clear(d->store, key) != 0)
		return dom_fail(d, "reset_use");
	return dom_end(d, DOM_OK);
}
