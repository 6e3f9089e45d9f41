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

enum dom_rc
login_attempt(struct dom *d, const char *email, const char *password,
    const char *addr, long long *id, long long *until)
{
	char akey[300], ikey[80];
	const char *ak, *ik;
	long long u2;

	*id = 0;
	/* Repeated failures, per account and per address: while blocked,
	 * not even a right password gets in. */
	ak = throttle_key(akey, sizeof(akey), "email", email) == 0 ? akey :
	    NULL;
	ik = throttle_key(ikey, sizeof(ikey), "addr", addr) == 0 ? ikey : NULL;
	*until = throttle_until(d->store, ak, d->now);
	if ((u2 = throttle_until(d->store, ik, d->now)) > *until)
		*until = u2;
	if (*until > 0) {
		log_auth(addr, "login refused (throttled)", email);
		return DOM_CONFLICT;
	}
	if (strlen(password) > PASSWORD_MAX * 4 || strlen(email) > 254)
		*id = 0;
	else if ((*id = account_authenticate(d, email, password)) == -1)
		return dom_fail(d, "login");
	if (*id == 0) {
		*until = throttle_fail(d->store, ak, d->now,
		    THROTTLE_ACCOUNT_MAX, THROTTLE_ACCOUNT_FREE);
		u2 = throttle_fail(d->store, ik, d->now, THROTTLE_ADDR_MAX, -1);
		if (u2 > *until)
			*until = u2;
		log_auth(addr, *until >= d->now + THROTTLE_BLOCK ?
		    "login failed, now blocked" : "login failed", email);
		if (*until >= d->now + THROTTLE_BLOCK)
			return DOM_CONFLICT;
		*until = 0;
		return dom_refuse(d, DOM_INVALID, "email", "电子邮箱或密码不"
		    "正确。");
	}
	throttle_clear(d->store, ak);
	if (*id == -2) {
		*id = 0;
		return dom_refuse(d, DOM_FORBIDDEN, "email", "此账号已停用。如需"
		    "恢复，请联系系统管理员。");
	}
	log_auth(addr, "login ok", email);
	return DOM_OK;
}
