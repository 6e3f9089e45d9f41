/*
 * pages_reset.c: password reset by an e-mailed single-use token.
 *
 * /password/forgot takes an e-mail address and always gives the same
 * answer; when an active account has it, a 256-bit random token goes out
 * by e-mail (the outbox) as a link, and only the token's SHA-256 is kept.
 * /password/reset?token=... shows a form for the new password while the
 * token is unused and younger than RESET_SECONDS; the POST spends the
 * token (once, even with two requests at the same time), sets the
 * password and ends every session of the account.
 */
#include <sodium.h>
#include <string.h>

#include "account.h"
#include "app.h"
#include "auth.h"
#include "outbox.h"
#include "page.h"
#include "password.h"
#include "router.h"
#include "throttle.h"
#include "valid.h"

extern const struct route routes_reset[];

#define RESET_SECONDS	(30 * 60)
#define RESET_BYTES	32		/* 256 bits */
#define RESET_CHARS	43		/* base64url, no padding */

static void
token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

/* "http(s)://host" for links: --public-url, else the request's Host when
 * it looks like a host name. */
static const char *
base_url(struct request *req)
{
	const char *h = req->host, *p;

	if (req->app->cfg.public_url != NULL)
		return req->app->cfg.public_url;
	if (h == NULL || *h == '\0' || strlen(h) > 255)
		h = "localhost";
	for (p = h; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-:[]", *p) != NULL)) {
			h = "localhost";
			break;
		}
	return arena_printf(req->arena, "%s://%s", req->https ? "https" :
	    "http", h);
}

static int
page_forgot(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "忘记密码");
	struct form f;

	form_init(&f, req, v);
	form_value(&f, "email", "");
	if (params_get(&req->query, "sent") != NULL)
		tv_put_bool(v, "sent", 1);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	return page_render(req, resp, 200, "reset_forgot", v);
}

/* Queues the reset e-mail for an active account with this address; does
 * nothing for any other address. 0, or -1 on a database error. */
static int
send_reset(struct request *req, const char *email)
{
	struct store *s = req->app->store;
	char token[RESET_CHARS + 1], to[256];
	unsigned char raw[RESET_BYTES], hash[32];
	sqlite3_stmt *st;
	long long id;
	const char *body;

	st = store_stmt(s, "SELECT id, email FROM account WHERE email = ?1 "
	    "AND disabled = 0");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, email);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	id = sqlite3_column_int64(st, 0);
	snprintf(to, sizeof(to), "%s", store_col_text(st, 1));
	sqlite3_reset(st);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, sizeof(token), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(token, hash);
	body = arena_printf(req->arena,
	    "您好：\n\n"
	    "有人（希望是您本人）申请重设资质申请系统账号 %s 的密码。"
	    "请在 %d 分钟内打开下面的链接设置新密码，链接只能使用一次：\n\n"
	    "%s/password/reset?token=%s\n\n"
	    "如果不是您本人申请，请忽略本邮件，您的密码不会改变。\n",
	    to, RESET_SECONDS / 60, base_url(req), token);
	if (store_begin(s) != 0)
		return -1;
	st = store_stmt(s, "INSERT INTO password_reset(token_hash, account_id, "
	    "created) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		goto fail;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, id);
	store_bind_int(st, 3, req->now);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    outbox_add(s, 0, 0, to, "重设密码", body, NULL, req->now) != 0 ||
	    store_commit(s) != 0)
		goto fail;
	sodium_memzero(token, sizeof(token));
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static int
page_forgot_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "忘记密码");
	struct store *s = req->app->store;
	char key[80];
	const char *email, *k;
	struct form f;

	form_init(&f, req, v);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	email = form_keep(&f, "email");
	if (!valid_email(email)) {
		form_error(&f, "email", "请填写注册时使用的电子邮箱，例如 "
		    "name@example.com。");
		return page_render(req, resp, 400, "reset_forgot", v);
	}
	/* A few messages per address and window, so the form cannot be used
	 * to flood someone's mailbox; the answer stays the same. */
	k = throttle_key(key, sizeof(key), "reset", req->remote_addr) == 0 ?
	    key : NULL;
	if (throttle_until(s, k, req->now) == 0) {
		if (throttle_fail(s, k, req->now, THROTTLE_RESET_MAX, -1) < 0 ||
		    send_reset(req, email) != 0)
			return 500;
	}
	/* The same answer whether or not the account exists. */
	response_redirect(resp, "/password/forgot?sent=1");
	return 0;
}

/*
 * The account of a usable token: unused and not expired; its e-mail into
 * email. 0 when the token is not usable, -1 on a database error.
 */
static long long
token_account(struct request *req, const char *token, char *email,
    size_t len)
{
	unsigned char hash[32];
	sqlite3_stmt *st;
	long long id = 0;

	if (token == NULL || strlen(token) != RESET_CHARS)
		return 0;
	token_hash(token, hash);
	st = store_stmt(req->app->store, "SELECT a.id, a.email FROM "
	    "password_reset r JOIN account a ON a.id = r.account_id WHERE "
	    "r.token_hash = ?1 AND r.used IS NULL AND r.created > ?2 AND "
	    "a.disabled = 0");
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, req->now - RESET_SECONDS);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(email, len, "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	return id;
}

static int
reset_invalid(struct request *req, struct response *resp, struct tv *v)
{
	tv_put_bool(v, "invalid", 1);
	tv_put_int(v, "minutes", RESET_SECONDS / 60);
	return page_render(req, resp, 400, "reset_password", v);
}

static int
page_reset(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "设置新密码");
	const char *token = params_get(&req->query, "token");
	char email[256];
	struct form f;
	long long id;

	form_init(&f, req, v);
	if ((id = token_account(req, token, email, sizeof(email))) < 0)
		return 500;
	if (id == 0)
		return reset_invalid(req, resp, v);
	tv_put_str(v, "token", token);
	tv_put_str(v, "email", email);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	return page_render(req, resp, 200, "reset_password", v);
}

/* Length in characters of valid UTF-8. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
page_reset_post(struct request *req, struct response *resp)
{
	struct tv *v = page_view(req, "设置新密码");
	struct store *s = req->app->store;
	const char *token = params_get(&req->form, "token");
	const char *pw = params_get(&req->form, "password");
	const char *pw2 = params_get(&req->form, "password2");
	char email[256], err[256], key[300];
	unsigned char hash[32];
	sqlite3_stmt *st;
	struct form f;
	long long id;
	size_t n;

	form_init(&f, req, v);
	if ((id = token_account(req, token, email, sizeof(email))) < 0)
		return 500;
	if (id == 0)
		return reset_invalid(req, resp, v);
	tv_put_str(v, "token", token);
	tv_put_str(v, "email", email);
	tv_put_int(v, "password_min", PASSWORD_MIN);
	pw = pw ? pw : "";
	pw2 = pw2 ? pw2 : "";
	n = chars(pw);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		form_error(&f, "password", arena_printf(req->arena,
		    "密码长度须为 %d 到 %d 个字符。", PASSWORD_MIN,
		    PASSWORD_MAX));
	else if (strcmp(pw, pw2) != 0)
		form_error(&f, "password2", "两次输入的密码不一致。");
	if (f.nerrors > 0)
		return page_render(req, resp, 400, "reset_password", v);

	token_hash(token, hash);
	if (store_begin(s) != 0)
		return 500;
	/* Spend the token: of two requests at once, one wins. */
	st = store_stmt(s, "UPDATE password_reset SET used = ?2 WHERE "
	    "token_hash = ?1 AND used IS NULL AND created > ?3");
	if (st == NULL)
		goto fail;
	sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_TRANSIENT);
	store_bind_int(st, 2, req->now);
	store_bind_int(st, 3, req->now - RESET_SECONDS);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(store_db(s)) != 1) {
		store_rollback(s);
		return reset_invalid(req, resp, v);
	}
	if (account_set_password(s, email, pw, err, sizeof(err)) != ACCOUNT_OK)
		goto fail;
	/* Every session ends, and so does every other link sent. */
	st = store_stmt(s, "DELETE FROM session WHERE account_id = ?1");
	if (st == NULL || (store_bind_int(st, 1, id), sqlite3_step(st)) !=
	    SQLITE_DONE)
		goto fail;
	st = store_stmt(s, "DELETE FROM password_reset WHERE account_id = ?1 "
	    "AND used IS NULL");
	if (st == NULL || (store_bind_int(st, 1, id), sqlite3_step(st)) !=
	    SQLITE_DONE)
		goto fail;
	if (throttle_key(key, sizeof(key), "email", email) == 0)
		throttle_clear(s, key);
	if (store_commit(s) != 0)
		goto fail;
	/* Whoever was logged in in this browser is logged out too. */
	auth_logout(req, resp);
	response_redirect(resp, "/login?reset=1");
	return 0;
fail:
	store_rollback(s);
	return 500;
}

const struct route routes_reset[] = {
	/* method	pattern			handler		roles	csrf */
	/* No session yet, so no token; the same-origin check applies. */
	{ METHOD_GET,	"/password/forgot",	page_forgot,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/password/forgot",	page_forgot_post, ROLES_ALL, 0 },
	{ METHOD_GET,	"/password/reset",	page_reset,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/password/reset",	page_reset_post, ROLES_ALL, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
