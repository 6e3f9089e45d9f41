/*
 * account.h: organisations and accounts (people who log in): creating
 * them, their passwords and sessions at the store level (the command
 * line uses these), and the domain steps of the pages (registering,
 * changing one's password, the administrator's list, creating staff,
 * disabling and enabling), which take a struct dom.
 */
#ifndef ZIZHI_ACCOUNT_H
#define ZIZHI_ACCOUNT_H

#include <stddef.h>

#include "dom.h"
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

/* Ends every session of the account, in the caller's transaction. 0 or
 * -1. */
int		 account_end_sessions(struct store *s, long long account_id);

/* ---- Domain steps (dom.h) ------------------------------------------- */

/* An account as the lists show it. Strings in d->arena. */
struct account_row {
	long long	 id;
	const char	*email;
	const char	*name;
	const char	*role;		/* its code */
	const char	*org;		/* the organisation, "" for staff */
	int		 disabled;
	const char	*created_at;	/* ISO-8601 UTC */
	int		 totp;		/* has a second factor (totp.h) */
};

/*
 * Checks an e-mail and password. Returns the account id, 0 when they do
 * not match, -2 when they do but the account is disabled, -1 on a
 * database error. An unknown e-mail costs the time of a real check. A
 * password hashed with outdated parameters is hashed again.
 */
long long	 account_authenticate(struct dom *d, const char *email,
		    const char *password);

/*
 * A new password and its repetition as a form gives them: DOM_OK, or
 * DOM_INVALID for field "password" (its length, PASSWORD_MIN to
 * PASSWORD_MAX characters) or "password2" (not the same).
 */
enum dom_rc	 account_new_password(struct dom *d, const char *password,
		    const char *again);

/*
 * Registers an applicant organisation and its first account (the
 * register page), from client address addr. The answer says nothing of
 * whether the address had an account (issue 14, item 8): DOM_OK either
 * way; a new account gets its organisation, its account and a mail
 * saying so; an address that has one gets no hash (its answer waits as
 * long as a hash takes) and its owner a mail that someone tried.
 * Refusals: DOM_INVALID for field "org_name", "name", "email" or
 * "password"; DOM_CONFLICT while the client address has registered too
 * often (throttle_register), with the unix time it may again in *until.
 * DOM_FAILED.
 */
enum dom_rc	 account_register(struct dom *d, const char *org_name,
		    const char *name, const char *email, const char *password,
		    const char *addr, long long *until);

/*
 * The actor changes its own password: current must be right (DOM_INVALID
 * for field "current"), the new one valid. Every session of the account
 * ends with the change (the caller starts a new one); a change made
 * meanwhile by another request makes this one DOM_CONFLICT.
 */
enum dom_rc	 account_change_password(struct dom *d, const char *current,
		    const char *password);

/*
 * Every account of a role (a role code; NULL or "" for every role),
 * staff first, then by id: rows from offset, at most limit, and the
 * total. Administrators only (DOM_FORBIDDEN).
 */
enum dom_rc	 account_list(struct dom *d, const char *role,
		    long long offset, long long limit,
		    struct account_row **rows, size_t *n, long long *total);

/* The active accounts of one role (a role bit), by name: the choices of
 * a list's filter. Staff only (DOM_FORBIDDEN). */
enum dom_rc	 account_active(struct dom *d, unsigned role_bit,
		    struct account_row **rows, size_t *n);

/*
 * An administrator creates a staff account (role: a staff role code).
 * DOM_OK with *id; DOM_INVALID for field "role" or with what is wrong;
 * DOM_CONFLICT for field "email" when the address has an account.
 */
enum dom_rc	 account_add_staff(struct dom *d, const char *email,
		    const char *name, const char *role, const char *password,
		    long long *id);

/*
 * An administrator disables (disabled 1) or enables (0) an account. A
 * disabled account's sessions end at once. An administrator cannot
 * disable itself (DOM_FORBIDDEN). DOM_NOT_FOUND when there is no such
 * account.
 */
enum dom_rc	 account_set_disabled(struct dom *d, long long id,
		    int disabled);

#endif
