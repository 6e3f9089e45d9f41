/*
 * totp.c: the second factor (totp.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "account.h"
#include "actor.h"
#include "store.h"
#include "svg.h"
#include "totp.h"
#include "util.h"

#define ISSUER		"zizhi"
#define RECOVERY_LEN	10	/* characters, without the dash */

static int
oath_ready(void)
{
	static int done;

	if (!done && oath_init() != OATH_OK)
		return -1;
	done = 1;
	return sodium_init() < 0 ? -1 : 0;
}

int
totp_code(const unsigned char *key, size_t len, long long t,
    unsigned digits, char *out)
{
	if (oath_ready() != 0 || digits < 6 || digits > 8)
		return -1;
	return oath_totp_generate2((const char *)key, len, (time_t)t,
	    TOTP_STEP, 0, digits, 0, out) == OATH_OK ? 0 : -1;
}

enum totp_need
totp_needed(struct dom *d, long long id)
{
	int row;
	sqlite3_stmt *st = store_stmt(d->store, "SELECT totp_secret IS NOT "
	    "NULL, role FROM account WHERE id = ?1");
	enum totp_need need = TOTP_NONE;

	if (st == NULL)
		return TOTP_NONE;
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) < 0)
		return TOTP_FAILED;
	if (row == 1) {
		if (sqlite3_column_int(st, 0))
			need = TOTP_CODE;
		else if (d->require_2fa && (role_bit(store_col_text(st, 1)) &
		    ROLES_STAFF))
			need = TOTP_ENROL;
	}
	sqlite3_reset(st);
	return need;
}

enum dom_rc
totp_status(struct dom *d, long long id, int *on, int *left)
{
	int row;
	sqlite3_stmt *st = store_stmt(d->store, "SELECT totp_secret IS NOT "
	    "NULL, (SELECT count(*) FROM totp_recovery WHERE account_id = ?1 "
	    "AND used IS NULL) FROM account WHERE id = ?1");

	*on = *left = 0;
	if (st == NULL)
		return dom_fail(d, "totp_status");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) < 0)
		return dom_fail(d, "totp_status");
	if (row == 1) {
		*on = sqlite3_column_int(st, 0);
		*left = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return DOM_OK;
}

/* The enrolment's texts for secret (raw) and the account's e-mail. */
static enum dom_rc
enrolment(struct dom *d, const unsigned char *secret, const char *email,
    struct totp_enrol *out)
{
	char *b32 = NULL, *b64;
	size_t n, blen;
	struct buf svg;

	if (oath_base32_encode((const char *)secret, TOTP_SECRET_BYTES, &b32,
	    &n) != OATH_OK)
		return dom_fail(d, "totp: base32");
	out->secret = arena_strndup(d->arena, b32, n);
	free(b32);
	out->uri = arena_printf(d->arena, "otpauth://totp/%s:%s?secret=%s&"
	    "issuer=%s&algorithm=SHA1&digits=%d&period=%d", ISSUER,
	    arena_urlencode(d->arena, email), out->secret, ISSUER,
	    TOTP_DIGITS, TOTP_STEP);
	buf_init(&svg);
	if (svg_qr(&svg, out->uri) != 0) {
		buf_free(&svg);
		return dom_fail(d, "totp: QR code");
	}
	blen = sodium_base64_encoded_len(svg.n, sodium_base64_VARIANT_ORIGINAL);
	b64 = arena_alloc(d->arena, blen);
	sodium_bin2base64(b64, blen, (const unsigned char *)svg.p, svg.n,
	    sodium_base64_VARIANT_ORIGINAL);
	out->qr = arena_printf(d->arena, "data:image/svg+xml;base64,%s", b64);
	buf_free(&svg);
	return DOM_OK;
}

enum dom_rc
totp_begin(struct dom *d, long long id, struct totp_enrol *out)
{
	int row;
	unsigned char secret[TOTP_SECRET_BYTES];
	sqlite3_stmt *st;
	char email[256];
	enum dom_rc rc;
	int on, pending;

	memset(out, 0, sizeof(*out));
	if (d->actor->id != 0 && d->actor->id != id)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只能为自己的账号设置"
		    "两步验证。");
	if (oath_ready() != 0)
		return dom_fail(d, "totp: liboath");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT email, totp_secret IS NOT NULL, "
	    "totp_pending FROM account WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "totp_begin");
	store_bind_int(st, 1, id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "totp");
		return dom_end(d, DOM_NOT_FOUND);
	}
	snprintf(email, sizeof(email), "%s", store_col_text(st, 0));
	on = sqlite3_column_int(st, 1);
	pending = sqlite3_column_bytes(st, 2) == TOTP_SECRET_BYTES;
	if (pending)
		memcpy(secret, sqlite3_column_blob(st, 2), TOTP_SECRET_BYTES);
	sqlite3_reset(st);
	if (on)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此账号已"
		    "启用两步验证。"));
	if (!pending) {
		randombytes_buf(secret, sizeof(secret));
		st = store_stmt(d->store, "UPDATE account SET totp_pending = ?2 "
		    "WHERE id = ?1");
		if (st == NULL)
			return dom_fail(d, "totp_begin");
		store_bind_int(st, 1, id);
		sqlite3_bind_blob(st, 2, secret, sizeof(secret),
		    SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			return dom_fail(d, "totp_begin");
	}
	rc = enrolment(d, secret, email, out);
	sodium_memzero(secret, sizeof(secret));
	return rc == DOM_OK ? dom_end(d, DOM_OK) : rc;
}

enum dom_rc
totp_view(struct dom *d, struct totp_view *out)
{
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if (d->actor->id <= 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "请先登录。");
	if ((rc = totp_status(d, d->actor->id, &out->on, &out->left)) !=
	    DOM_OK || out->on)
		return rc;
	return totp_begin(d, d->actor->id, &out->enrol);
}

/* A code as typed: digits only, 6 of them, spaces dropped. */
static int
clean_code(const char *in, char out[TOTP_DIGITS + 1])
{
	size_t n = 0;

	for (; in != NULL && *in != '\0'; in++) {
		if (*in == ' ')
			continue;
		if (!isdigit((unsigned char)*in) || n == TOTP_DIGITS)
			return -1;
		out[n++] = *in;
	}
	out[n] = '\0';
	return n == TOTP_DIGITS ? 0 : -1;
}

/*
 * Whether code is a current code of secret not used before (step
 * greater than *last): 1 with *last the step it matched, 0, -1.
 */
static int
code_matches(const unsigned char *secret, long long now, const char *code,
    long long *last)
{
	char c[TOTP_DIGITS + 1];
	uint64_t step;
	int rc;

	if (clean_code(code, c) != 0)
		return 0;
	if (oath_ready() != 0)
		return -1;
	rc = oath_totp_validate3((const char *)secret, TOTP_SECRET_BYTES,
	    (time_t)now, TOTP_STEP, 0, 1, NULL, &step, c);
	if (rc < 0)
		return rc == OATH_INVALID_OTP ? 0 : -1;
	if ((long long)step <= *last)
		return 0;		/* used already */
	*last = (long long)step;
	return 1;
}

/* A recovery code normalised: its letters and digits, upper case. */
static int
clean_recovery(const char *in, unsigned char hash[32])
{
	char c[RECOVERY_LEN + 1];
	size_t n = 0;

	for (; in != NULL && *in != '\0'; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (!isalnum((unsigned char)*in) || n == RECOVERY_LEN)
			return -1;
		c[n++] = (char)toupper((unsigned char)*in);
	}
	if (n != RECOVERY_LEN)
		return -1;
	crypto_hash_sha256(hash, (const unsigned char *)c, n);
	return 0;
}

int
totp_check(struct dom *d, long long id, const char *code)
{
	int row;
	unsigned char secret[TOTP_SECRET_BYTES], hash[32];
	sqlite3_stmt *st;
	long long last;
	int ok;

	st = store_stmt(d->store, "SELECT totp_secret, totp_step FROM account "
	    "WHERE id = ?1 AND length(totp_secret) = ?2");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, TOTP_SECRET_BYTES);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return -1;
		return 0;
	}
	memcpy(secret, sqlite3_column_blob(st, 0), sizeof(secret));
	last = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	ok = code_matches(secret, d->now, code, &last);
	sodium_memzero(secret, sizeof(secret));
	if (ok == 1) {
		/* Spent with the step it matched: never accepted twice,
		 * even by two requests at once. */
		st = store_stmt(d->store, "UPDATE account SET totp_step = ?2 "
		    "WHERE id = ?1 AND totp_step < ?2");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, last);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
		return sqlite3_changes(store_db(d->store)) == 1;
	}
	if (ok < 0 || clean_recovery(code, hash) != 0)
		return ok < 0 ? -1 : 0;
	st = store_stmt(d->store, "UPDATE totp_recovery SET used = ?3 WHERE "
	    "code_hash = ?1 AND account_id = ?2 AND used IS NULL");
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, d->now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(store_db(d->store)) == 1;
}

/* New recovery codes for id (the old ones go), into *codes. */
static int
recovery_codes(struct dom *d, long long id, const char ***codes)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const char **out = arena_alloc(d->arena, (TOTP_RECOVERY_CODES + 1) *
	    sizeof(*out));
	unsigned char hash[32];
	sqlite3_stmt *st;
	char c[RECOVERY_LEN + 2];
	int i, k;

	st = store_stmt(d->store, "DELETE FROM totp_recovery WHERE account_id "
	    "= ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	for (i = 0; i < TOTP_RECOVERY_CODES; i++) {
		for (k = 0; k < RECOVERY_LEN; k++)
			c[k] = alphabet[randombytes_uniform(sizeof(alphabet) -
			    1)];
		c[RECOVERY_LEN] = '\0';
		crypto_hash_sha256(hash, (const unsigned char *)c,
		    RECOVERY_LEN);
		out[i] = arena_printf(d->arena, "%.5s-%s", c, c + 5);
		st = store_stmt(d->store, "INSERT INTO totp_recovery(code_hash, "
		    "account_id) VALUES (?1, ?2)");
		if (st == NULL)
			return -1;
		sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
		store_bind_int(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	out[i] = NULL;
	*codes = out;
	return 0;
}

enum dom_rc
totp_confirm(struct dom *d, const char *code, const char ***codes)
{
	int row;
	unsigned char secret[TOTP_SECRET_BYTES];
	sqlite3_stmt *st;
	long long last = 0;
	enum dom_rc rc;
	int ok;

	*codes = NULL;
	if (d->actor->id <= 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "请先登录。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	st = store_stmt(d->store, "SELECT totp_pending FROM account WHERE id "
	    "= ?1 AND totp_secret IS NULL AND length(totp_pending) = ?2");
	if (st == NULL)
		return dom_fail(d, "totp_confirm");
	store_bind_int(st, 1, d->actor->id);
	store_bind_int(st, 2, TOTP_SECRET_BYTES);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "totp");
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "没有待确认"
		    "的两步验证设置。请刷新页面后重新扫描二维码。"));
	}
	memcpy(secret, sqlite3_column_blob(st, 0), sizeof(secret));
	sqlite3_reset(st);
	ok = code_matches(secret, d->now, code, &last);
	if (ok < 0)
		return dom_fail(d, "totp_confirm");
	if (ok == 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "code", "验证码不"
		    "正确。请输入验证器应用中当前显示的 6 位数字；如果一直不"
		    "正确，请检查手机的时间是否准确。"));
	st = store_stmt(d->store, "UPDATE account SET totp_secret = "
	    "totp_pending, totp_pending = NULL, totp_step = ?2 WHERE id = ?1");
	if (st == NULL)
		return dom_fail(d, "totp_confirm");
	store_bind_int(st, 1, d->actor->id);
	store_bind_int(st, 2, last);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    recovery_codes(d, d->actor->id, codes) != 0)
		return dom_fail(d, "totp_confirm");
	sodium_memzero(secret, sizeof(secret));
	return dom_end(d, DOM_OK);
}

/* Takes account id's second factor away, in the transaction. */
static int
clear(struct dom *d, long long id)
{
	sqlite3_stmt *st = store_stmt(d->store, "UPDATE account SET "
	    "totp_secret = NULL, totp_pending = NULL WHERE id = ?1");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(store_db(d->store)) != 1)
		return 1;
	st = store_stmt(d->store, "DELETE FROM totp_recovery WHERE account_id "
	    "= ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

enum dom_rc
totp_disable(struct dom *d, const char *code)
{
	enum dom_rc rc;
	int ok;

	if (d->actor->id <= 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "请先登录。");
	if (d->require_2fa && (d->actor->role_bit & ROLES_STAFF))
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "本系统要求工作人员"
		    "使用两步验证，不能关闭。更换手机时，请联系系统管理员重置。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if (totp_needed(d, d->actor->id) != TOTP_CODE)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "此账号没有"
		    "启用两步验证。"));
	if ((ok = totp_check(d, d->actor->id, code)) < 0)
		return dom_fail(d, "totp_disable");
	if (ok == 0)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "code", "验证码不"
		    "正确。请输入验证器应用中当前显示的 6 位数字，或一个未用过"
		    "的恢复码。"));
	if (clear(d, d->actor->id) != 0)
		return dom_fail(d, "totp_disable");
	return dom_end(d, DOM_OK);
}

enum dom_rc
totp_reset(struct dom *d, long long id)
{
	enum dom_rc rc;
	int r;

	if (d->actor->role_bit != ROLE_ADMIN)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有系统管理员可以"
		    "重置两步验证。");
	if (id == d->actor->id)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "不能重置自己账号的两"
		    "步验证。请由另一名系统管理员操作。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((r = clear(d, id)) < 0)
		return dom_fail(d, "totp_reset");
	if (r == 1)
		return dom_end(d, DOM_NOT_FOUND);
	/* Whoever held the lost phone is logged out too. */
	if (account_end_sessions(d->store, id) != 0)
		return dom_fail(d, "totp_reset: sessions");
	fprintf(stderr, "zizhi: auth: second factor reset account=%lld "
	    "by=%lld\n", id, d->actor->id);
	return dom_end(d, DOM_OK);
}
