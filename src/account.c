/*
 * account.c: organisations and accounts.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "outbox.h"
#include "throttle.h"
#include "valid.h"
#include "utf8.h"
#include "actor.h"
#include "password.h"
#include "util.h"

static int
password_ok(const char *pw, char *err, size_t errlen)
{
	size_t n = utf8_chars(pw);

	if (!utf8_valid(pw, strlen(pw))) {
		snprintf(err, errlen, "密码含有无效字符");
		return 0;
	}
	if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
		snprintf(err, errlen, "密码长度须为 %d 到 %d 个字符",
		    PASSWORD_MIN, PASSWORD_MAX);
		return 0;
	}
	return 1;
}

long long
org_create(struct store *s, const char *name)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO org(name) VALUES (?1)");

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fprintf(stderr, "zizhi: org_create: %s\n",
		    sqlite3_errmsg(store_db(s)));
		return -1;
	}
	return sqlite3_last_insert_rowid(store_db(s));
}

static enum account_err account_insert(struct store *, const char *,
		    const char *, const char *, long long, const char *,
		    long long *, char *, size_t);

enum account_err
account_create(struct store *s, const char *email, const char *name,
    const char *role, long long org_id, const char *password, long long *id,
    char *err, size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];

	if (!valid_email(email)) {
		snprintf(err, errlen, "电子邮箱地址格式不正确");
		return ACCOUNT_INVALID;
	}
	if (strlen(name) > 100 || !valid_text(name, 1, 100, 0)) {
		snprintf(err, errlen, "姓名不能为空，不超过 100 字节，且不能含有"
		    "控制字符或文字方向控制符");
		return ACCOUNT_INVALID;
	}
	if (!role_bit(role)) {
		snprintf(err, errlen, "未知的角色：%s", role);
		return ACCOUNT_INVALID;
	}
	if (!password_ok(password, err, errlen))
		return ACCOUNT_INVALID;
	if (password_hash(password, hash, sizeof(hash)) != 0) {
		snprintf(err, errlen, "密码处理失败");
		return ACCOUNT_FAILED;
	}
	return account_insert(s, email, name, role, org_id, hash, id, err,
	    errlen);
}

/* The row of an account whose fields are checked and password hashed. */
static enum account_err
account_insert(struct store *s, const char *email, const char *name,
    const char *role, long long org_id, const char *hash, long long *id,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, "INSERT INTO account(email, name, role, "
	    "org_id, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)")) == NULL)
		return ACCOUNT_FAILED;
	store_bind_text(st, 1, email);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, role);
	if (org_id > 0)
		store_bind_int(st, 4, org_id);
	store_bind_text(st, 5, hash);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		snprintf(err, errlen, "该电子邮箱已注册：%s", email);
		return ACCOUNT_DUPLICATE;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "保存账号失败：%s",
		    sqlite3_errmsg(store_db(s)));
		return ACCOUNT_FAILED;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(s));
	return ACCOUNT_OK;
}

enum account_err
account_set_password(struct store *s, const char *email,
    const char *password, char *err, size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	sqlite3_stmt *st;

	if (!password_ok(password, err, errlen))
		return ACCOUNT_INVALID;
	if (password_hash(password, hash, sizeof(hash)) != 0) {
		snprintf(err, errlen, "密码处理失败");
		return ACCOUNT_FAILED;
	}
	if ((st = store_stmt(s, "UPDATE account SET password_hash = ?2 "
	    "WHERE email = ?1")) == NULL)
		return ACCOUNT_FAILED;
	store_bind_text(st, 1, email);
	store_bind_text(st, 2, hash);
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, errlen, "保存密码失败");
		return ACCOUNT_FAILED;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		snprintf(err, errlen, "没有该账号：%s", email);
		return ACCOUNT_INVALID;
	}
	return ACCOUNT_OK;
}

int
account_end_sessions(struct store *s, long long account_id)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM session WHERE "
	    "account_id = ?1");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, account_id);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* ---- Domain steps ----------------------------------------------------- */

long long
account_authenticate(struct dom *d, const char *email, const char *password)
{
	sqlite3_stmt *st;
	char hash[PASSWORD_HASH_MAX], fresh[PASSWORD_HASH_MAX];
	long long id;
	int disabled, row;

	st = store_stmt(d->store, "SELECT id, password_hash, disabled FROM "
	    "account WHERE email = ?1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, email);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return -1;
		/* Spend the same time as for a real account. */
		password_hash(password, fresh, sizeof(fresh));
		return 0;
	}
	id = sqlite3_column_int64(st, 0);
	snprintf(hash, sizeof(hash), "%s", store_col_text(st, 1));
	disabled = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	if (!password_verify(password, hash))
		return 0;
	if (disabled)
		return -2;
	if (password_needs_rehash(hash) &&
	    password_hash(password, fresh, sizeof(fresh)) == 0) {
		st = store_stmt(d->store, "UPDATE account SET password_hash = "
		    "?2 WHERE id = ?1");
		if (st != NULL) {
			store_bind_int(st, 1, id);
			store_bind_text(st, 2, fresh);
			sqlite3_step(st);
		}
	}
	return id;
}

enum dom_rc
account_new_password(struct dom *d, const char *password, const char *again)
{
	size_t n = utf8_chars(password);

	if (n < PASSWORD_MIN || n > PASSWORD_MAX ||
	    !utf8_valid(password, strlen(password)))
		return dom_refuse(d, DOM_INVALID, "password", "密码长度须为 %d "
		    "到 %d 个字符。", PASSWORD_MIN, PASSWORD_MAX);
	if (strcmp(password, again) != 0)
		return dom_refuse(d, DOM_INVALID, "password2", "两次输入的密码"
		    "不一致。");
	return DOM_OK;
}

/* An account_create result as a domain result: dup is what a taken
 * e-mail address says. */
static enum dom_rc
created(struct dom *d, enum account_err rc, const char *err,
    const char *dup)
{
	switch (rc) {
	case ACCOUNT_OK:
		return DOM_OK;
	case ACCOUNT_DUPLICATE:
		return dom_refuse(d, DOM_CONFLICT, "email", "%s", dup);
	case ACCOUNT_INVALID:
		return dom_refuse(d, DOM_INVALID, "email", "%s", err);
	default:
		return dom_fail(d, "account_create");
	}
}

/* Whether an account has the address: 1, 0, or -1 on an error. */
static int
email_taken(struct dom *d, const char *email)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT 1 FROM account WHERE "
	    "email = ?1");
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, email);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The mail to the owner of an address someone tried to register. */
static int
mail_owner(struct dom *d, const char *email)
{
	return outbox_add(d->store, 0, 0, email, "有人尝试用您的邮箱注册账号",
	    arena_printf(d->arena, "您好：\n\n"
	    "有人刚刚在资质申请系统中用您的电子邮箱 %s 注册新账号。该邮箱已有"
	    "账号，因此没有创建新账号，您的账号和密码都没有改变。\n\n"
	    "如果是您本人，请直接登录；忘记密码时，可在登录页使用“忘记密码”"
	    "重设。如果不是您本人，请忽略本邮件。\n", email), NULL, d->now);
}

enum dom_rc
account_register(struct dom *d, const char *org_name, const char *name,
    const char *email, const char *password, const char *addr,
    long long *until)
{
	char hash[PASSWORD_HASH_MAX], err[256] = "", key[80];
	enum account_err ae;
	enum dom_rc rc;
	long long org, id;
	int taken;

	*until = 0;
	if (!valid_text(org_name, 2, 100, 0))
		return dom_refuse(d, DOM_INVALID, "org_name", "请填写单位名称"
		    "（与营业执照一致，2 到 100 个字，不含控制字符或文字方向控制"
		    "符）。");
	if (!valid_text(name, 1, 50, 0))
		return dom_refuse(d, DOM_INVALID, "name", "请填写联系人姓名（不"
		    "超过 50 个字，不含控制字符或文字方向控制符）。");
	if (!valid_email(email))
		return dom_refuse(d, DOM_INVALID, "email", "请填写有效的电子邮箱，"
		    "例如 name@example.com。");
	if (!password_ok(password, err, sizeof(err)))
		return dom_refuse(d, DOM_INVALID, "password", "%s。", err);
	/* Each registration costs a hash: at most so many per address. */
	if ((*until = throttle_take(d->store, throttle_key(key, sizeof(key),
	    "register", addr) == 0 ? key : NULL, d->now,
	    &throttle_register)) < 0)
		return dom_fail(d, "account_register: throttle");
	if (*until > 0)
		return dom_refuse(d, DOM_CONFLICT, NULL, "注册过于频繁。");
	/* A taken address costs no hash: its owner is told, and the answer
	 * is the one a new account gets, after as long. */
	if ((taken = email_taken(d, email)) < 0)
		return dom_fail(d, "account_register");
	if (taken) {
		if ((rc = dom_begin(d)) != DOM_OK)
			return rc;
		if (mail_owner(d, email) != 0)
			return dom_fail(d, "account_register: mail");
		rc = dom_end(d, DOM_OK);
		password_pause();
		return rc;
	}
	/* Hashed before the transaction: no lock held meanwhile. */
	if (password_hash(password, hash, sizeof(hash)) != 0)
		return dom_fail(d, "account_register: hash");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((org = org_create(d->store, org_name)) < 0)
		return dom_fail(d, "account_register");
	ae = account_insert(d->store, email, name, role_code(ROLE_APPLICANT),
	    org, hash, &id, err, sizeof(err));
	if (ae == ACCOUNT_DUPLICATE) {
		/* Registered meanwhile by another request: the same as
		 * taken, with no organisation left behind. */
		dom_end(d, DOM_CONFLICT);
		if ((rc = dom_begin(d)) != DOM_OK)
			return rc;
		if (mail_owner(d, email) != 0)
			return dom_fail(d, "account_register: mail");
		return dom_end(d, DOM_OK);
	}
	if (ae != ACCOUNT_OK)
		return dom_fail(d, "account_register");
	if (outbox_add(d->store, 0, 0, email, "申请单位账号已注册",
	    arena_printf(d->arena, "您好：\n\n"
	    "您已在资质申请系统中为“%s”注册了申请单位账号 %s。请用注册时设置"
	    "的密码登录。\n\n"
	    "如果不是您本人注册，请联系系统管理员。\n", org_name, email),
	    NULL, d->now) != 0)
		return dom_fail(d, "account_register: mail");
	return dom_end(d, DOM_OK);
}

enum dom_rc
account_change_password(struct dom *d, const char *current,
    const char *password)
{
	int row;
	char old[PASSWORD_HASH_MAX], fresh[PASSWORD_HASH_MAX], err[128];
	sqlite3_stmt *st;
	enum dom_rc rc;

	if (d->actor->id <= 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "请先登录。");
	st = store_stmt(d->store, "SELECT password_hash FROM account WHERE "
	    "id = ?1 AND disabled = 0");
	if (st == NULL)
		return dom_fail(d, "account_change_password");
	store_bind_int(st, 1, d->actor->id);
	if ((row = store_row(st)) != 1) {
		sqlite3_reset(st);
		if (row < 0)
			return dom_fail(d, "account_change_password");
		return DOM_NOT_FOUND;
	}
	snprintf(old, sizeof(old), "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (!password_verify(current, old))
		return dom_refuse(d, DOM_INVALID, "current", "当前密码不正确。");
	if (!password_ok(password, err, sizeof(err)))
		return dom_refuse(d, DOM_INVALID, "password", "%s。", err);
	/* Hashed before the transaction: no lock held meanwhile. */
	if (password_hash(password, fresh, sizeof(fresh)) != 0)
		return dom_fail(d, "account_change_password: hash");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	/* The hash just checked must still be the account's. */
	st = store_stmt(d->store, "UPDATE account SET password_hash = ?2 "
	    "WHERE id = ?1 AND password_hash = ?3");
	if (st == NULL)
		return dom_fail(d, "account_change_password");
	store_bind_int(st, 1, d->actor->id);
	store_bind_text(st, 2, fresh);
	store_bind_text(st, 3, old);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "account_change_password");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, "current", "密码"
		    "刚刚已被修改。请输入现在的密码后重试。"));
	if (account_end_sessions(d->store, d->actor->id) != 0)
		return dom_fail(d, "account_change_password: sessions");
	return dom_end(d, DOM_OK);
}

static enum dom_rc
admin_only(struct dom *d)
{
	if (d->actor->role_bit != ROLE_ADMIN)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有系统管理员可以"
		    "管理账号。");
	return DOM_OK;
}

/* The row of an account statement: id, email, name, role, org,
 * disabled, created_at, has a second factor. */
static void
account_row_of(struct dom *d, sqlite3_stmt *st, struct account_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->email = arena_strdup(d->arena, store_col_text(st, 1));
	r->name = arena_strdup(d->arena, store_col_text(st, 2));
	r->role = arena_strdup(d->arena, store_col_text(st, 3));
	r->org = arena_strdup(d->arena, store_col_text(st, 4));
	r->disabled = sqlite3_column_int(st, 5);
	r->created_at = arena_strdup(d->arena, store_col_text(st, 6));
	r->totp = sqlite3_column_int(st, 7);
}

/* Steps st to its end into an array in d->arena. */
static enum dom_rc
account_rows(struct dom *d, sqlite3_stmt *st, struct account_row **rows,
    size_t *n)
{
	struct account_row *a = NULL, *grown;
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			grown = arena_alloc(d->arena, cap * sizeof(*grown));
			if (*n > 0)
				memcpy(grown, a, *n * sizeof(*grown));
			a = grown;
		}
		account_row_of(d, st, &a[(*n)++]);
	}
	sqlite3_reset(st);
	*rows = a;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dom_fail(d, "account list");
	return DOM_OK;
}

enum dom_rc
account_list(struct dom *d, const char *role, long long offset,
    long long limit, struct account_row **rows, size_t *n, long long *total)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	if (role == NULL)
		role = "";
	st = store_stmt(d->store, "SELECT count(*) FROM account WHERE ?1 = '' "
	    "OR role = ?1");
	if (st == NULL)
		return dom_fail(d, "account_list");
	store_bind_text(st, 1, role);
	if (store_row(st) != 1)
		return dom_fail(d, "account_list");
	*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(d->store, "SELECT a.id, a.email, a.name, a.role, "
	    "coalesce(o.name, ''), a.disabled, a.created_at, a.totp_secret IS "
	    "NOT NULL FROM account a "
	    "LEFT JOIN org o ON o.id = a.org_id WHERE ?1 = '' OR a.role = ?1 "
	    "ORDER BY a.role = ?4, a.id LIMIT ?2 OFFSET ?3");
	if (st == NULL)
		return dom_fail(d, "account_list");
	store_bind_text(st, 1, role);
	store_bind_int(st, 2, limit);
	store_bind_int(st, 3, offset > 0 ? offset : 0);
	store_bind_text(st, 4, role_code(ROLE_APPLICANT));
	return account_rows(d, st, rows, n);
}

enum dom_rc
account_active(struct dom *d, unsigned role_bit, struct account_row **rows,
    size_t *n)
{
	sqlite3_stmt *st;

	*rows = NULL;
	*n = 0;
	if ((d->actor->role_bit & ROLES_STAFF) == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有工作人员可以查看"
		    "工作人员名单。");
	if (role_code(role_bit) == NULL)
		return DOM_OK;
	st = store_stmt(d->store, "SELECT a.id, a.email, a.name, a.role, '', "
	    "a.disabled, a.created_at, a.totp_secret IS NOT NULL FROM account "
	    "a WHERE a.role = ?1 AND "
	    "a.disabled = 0 ORDER BY a.name, a.id");
	if (st == NULL)
		return dom_fail(d, "account_active");
	store_bind_text(st, 1, role_code(role_bit));
	return account_rows(d, st, rows, n);
}

enum dom_rc
account_add_staff(struct dom *d, const char *email, const char *name,
    const char *role, const char *password, long long *id)
{
	char err[256] = "";
	enum dom_rc rc;

	*id = 0;
	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	if (!(role_bit(role) & ROLES_STAFF))
		return dom_refuse(d, DOM_INVALID, "role", "请选择账号的角色。"
		    "申请单位的账号由申请单位自行注册。");
	return created(d, account_create(d->store, email, name, role, 0,
	    password, id, err, sizeof(err)), err, "该电子邮箱已有账号。请换一个"
	    "邮箱，或在下面的列表中找到该账号。");
}

enum dom_rc
account_set_disabled(struct dom *d, long long id, int disabled)
{
	sqlite3_stmt *st;
	long long open;
	enum dom_rc rc;

	if ((rc = admin_only(d)) != DOM_OK)
		return rc;
	if (disabled && id == d->actor->id)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "不能停用自己正在使用的"
		    "账号。如确需停用，请由另一名系统管理员操作。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	/* A lead's open cases would be stuck: they get another lead first
	 * (reassign.h), checked here in the transaction that disables. */
	if (disabled) {
		st = store_stmt(d->store, "SELECT count(*) FROM cases WHERE "
		    "lead_id = ?1 AND is_open = 1");
		if (st == NULL)
			return dom_fail(d, "account_set_disabled");
		store_bind_int(st, 1, id);
		if (store_row(st) != 1)
			return dom_fail(d, "account_set_disabled");
		open = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (open > 0)
			return dom_end(d, dom_refuse(d, DOM_CONFLICT, "open",
			    "此项目负责人还有 %lld 件在办案件。请先由监督人员在各"
			    "案件页面把它们改派给其他项目负责人，然后再停用此账号。",
			    open));
	}
	st = store_stmt(d->store, "UPDATE account SET disabled = ?2 WHERE "
	    "id = ?1");
	if (st == NULL)
		return dom_fail(d, "account_set_disabled");
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, disabled != 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, "account_set_disabled");
	if (sqlite3_changes(store_db(d->store)) != 1)
		return dom_end(d, DOM_NOT_FOUND);
	/* Its sessions end now, not at their next expiry. */
	if (disabled && account_end_sessions(d->store, id) != 0)
		return dom_fail(d, "account_set_disabled: sessions");
	return dom_end(d, DOM_OK);
}
