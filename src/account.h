/*
 * account.h: organisations and accounts (people who log in).
 */
#ifndef ZIZHI_ACCOUNT_H
#define ZIZHI_ACCOUNT_H

#include <stddef.h>

#include "store.h"

enum account_err {
	ACCOUNT_OK = 0,
	ACCOUNT_DUPLICATE = -1,	/* the e-mail is taken */
	ACCOUNT_INVALID = -2,	/* a field out of range; see err */
	ACCOUNT_FAILED = -3	/* database or hashing failure (logged) */
};

/* Creates an organisation; its id, or -1. Runs in the caller's
 * transaction if one is open. */
long long	 org_create(struct store *s, const char *name);

/*
 * Creates an account. org_id is the applicant's organisation (0 for
 * staff). On success *id holds the new id. The password is hashed with
 * argon2id here; it must be PASSWORD_MIN..PASSWORD_MAX characters.
 */
enum account_err account_create(struct store *s, const char *email,
		    const char *name, const char *role, long long org_id,
		    const char *password, long long *id, char *err,
		    size_t errlen);

/* Replaces the password of the account with that e-mail. */
enum account_err account_set_password(struct store *s, const char *email,
		    const char *password, char *err, size_t errlen);

#endif
