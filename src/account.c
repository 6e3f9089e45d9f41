/*
 * account.c: organisations and accounts.
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "valid.h"
#include "utf8.h"
#include "actor.h"
#include "parse.h"
#include "password.h"

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

enum account_err
account_create(struct store *s, const char *email, const char *name,
    const char *role, long long org_id, const char *password, long long *id,
    char *err, size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	sqlite3_stmt *st;
	int rc;

	if (!valid_email(email)) {
		snprintf(err, errlen, "电子邮箱地址格式不正确");
		return ACCOUNT_INVALID;
	}
	if (*name == '\0' || strlen(name) > 100 ||
	    !utf8_valid(name, strlen(name))) {
		snprintf(err, errlen, "姓名不能为空，且不超过 100 字节");
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
