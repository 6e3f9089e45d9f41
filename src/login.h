/*
 * login.h: logging in with an e-mail and password, with repeated
 * failures slowed down and then blocked per account and per client
 * address (throttle.h), and every decision logged (ASVS 7.2.1): never
 * the password, and the typed e-mail with every control byte, quote and
 * backslash replaced, so it cannot forge log lines.
 */
#ifndef ZIZHI_LOGIN_H
#define ZIZHI_LOGIN_H

#include "dom.h"
#include "totp.h"

/*
 * Checks the e-mail and password typed, from client address addr.
 * DOM_OK with the account in *id and what must follow in *next (the
 * caller starts its session at that stage, auth.h);
 * DOM_CONFLICT while the account or the address must wait, or when
 * this failure blocks the address, with the unix time the wait ends in
 * *until (not even a right password is checked meanwhile); DOM_INVALID
 * for field "email" when they do not match, or the account is disabled
 * (the same answer); DOM_FAILED.
 */
enum dom_rc	 login_attempt(struct dom *d, const char *email,
		    const char *password, const char *addr, long long *id,
		    long long *until, enum totp_need *next);

/*
 * The second step: the code (or a recovery code) of account id, whose
 * password was right, typed from addr. Throttled as the password is,
 * per account and per address. DOM_OK; DOM_INVALID for field "code";
 * DOM_CONFLICT while it must wait, with *until; DOM_FAILED.
 */
enum dom_rc	 login_code(struct dom *d, long long id, const char *code,
		    const char *addr, long long *until);

#endif
