/*
 * login.c: checking a login (login.h).
 */
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "login.h"
#include "password.h"
#include "throttle.h"

static void
log_auth(const char *addr, const char *what, const char *email)
{
	char clean[128];
	size_t i;

	for (i = 0; email[i] != '\0' && i < sizeof(clean) - 1; i++)
		clean[i] = ((unsigned char)email[i] < 0x20 || email[i] == 0x7f ||
		    email[i] == '"' || email[i] == '\\') ? '?' : email[i];
	clean[i] = '\0';
	fprintf(stderr, "zizhi: auth: %s email=\"%s\" addr=%s\n", what, clean,
	    addr && *addr ? addr : "-");
}

/*
 * Takes one attempt of the address ik and then of the account ak,
 * counted before it is checked, in the statement that refuses it while
 * either waits: workers at once cannot check more than the rules let
 * through (issue 14, item 6). 0, the time it must wait until, or -1.
 */
static long long
take(struct dom *d, const char *ik, const char *ak)
{
	long long until;

	if ((until = throttle_take(d->store, ik, d->now,
	    &throttle_address)) == 0 && (until = throttle_take(d->store, ak,
	    d->now, &throttle_account)) != 0 &&
	    throttle_give_back(d->store, ik, &throttle_address) != 0)
		return -1;
	return until;
}

enum dom_rc
login_attempt(struct dom *d, const char *email, const char *password,
    const char *addr, long long *id, long long *until, enum totp_need *next)
{
	char akey[300], ikey[80];
	const char *ak, *ik;

	*id = 0;
	*next = TOTP_NONE;
	ak = throttle_key(akey, sizeof(akey), "email", email) == 0 ? akey :
	    NULL;
	ik = throttle_key(ikey, sizeof(ikey), "addr", addr) == 0 ? ikey : NULL;
	if ((*until = take(d, ik, ak)) < 0)
		return dom_fail(d, "login: throttle");
	if (*until > 0) {
		log_auth(addr, "login refused (throttled)", email);
		return DOM_CONFLICT;
	}
	if (strlen(password) > PASSWORD_MAX * 4 || strlen(email) > 254)
		*id = 0;
	else if ((*id = account_authenticate(d, email, password)) == -1)
		return dom_fail(d, "login");
	/* A disabled account, even with its right password, gets the
	 * answer of a wrong one: nothing tells what exists. */
	if (*id <= 0) {
		log_auth(addr, *id == -2 ? "login refused (disabled)" :
		    "login failed", email);
		*id = 0;
		/* The address's 20th failure blocks it at once. */
		if ((*until = throttle_until(d->store, ik, d->now)) < 0)
			return dom_fail(d, "login");
		if (*until >= d->now + THROTTLE_WINDOW)
			return DOM_CONFLICT;
		*until = 0;
		return dom_refuse(d, DOM_INVALID, "email", "电子邮箱或密码不"
		    "正确。");
	}
	if (throttle_clear(d->store, ak) != 0 ||
	    throttle_give_back(d->store, ik, &throttle_address) != 0)
		return dom_fail(d, "login: throttle");
	if ((*next = totp_needed(d, *id)) == TOTP_FAILED)
		return dom_fail(d, "login: second factor");
	log_auth(addr, *next == TOTP_CODE ? "password ok, code to follow" :
	    "login ok", email);
	return DOM_OK;
}

enum dom_rc
login_code(struct dom *d, long long id, const char *code, const char *addr,
    long long *until)
{
	char akey[64], ikey[80], who[32];
	const char *ik;
	enum dom_rc rc;
	int ok;

	snprintf(akey, sizeof(akey), "code:%lld", id);
	snprintf(who, sizeof(who), "account %lld", id);
	ik = throttle_key(ikey, sizeof(ikey), "addr", addr) == 0 ? ikey : NULL;
	if ((*until = take(d, ik, akey)) < 0)
		return dom_fail(d, "login_code: throttle");
	if (*until > 0) {
		log_auth(addr, "code refused (throttled)", who);
		return DOM_CONFLICT;
	}
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((ok = totp_check(d, id, code)) < 0)
		return dom_fail(d, "login_code");
	if ((rc = dom_end(d, DOM_OK)) != DOM_OK)
		return rc;
	if (!ok) {
		log_auth(addr, "code wrong", who);
		if ((*until = throttle_until(d->store, ik, d->now)) < 0)
			return dom_fail(d, "login_code");
		if (*until >= d->now + THROTTLE_WINDOW)
			return DOM_CONFLICT;
		*until = 0;
		return dom_refuse(d, DOM_INVALID, "code", "验证码不正确。请输入"
		    "验证器应用中当前显示的 6 位数字，或一个未用过的恢复码。");
	}
	if (throttle_clear(d->store, akey) != 0 ||
	    throttle_give_back(d->store, ik, &throttle_address) != 0)
		return dom_fail(d, "login_code: throttle");
	log_auth(addr, "login ok (second factor)", who);
	return DOM_OK;
}
