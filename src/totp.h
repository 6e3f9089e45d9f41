/*
 * totp.h: a second factor, TOTP (RFC 6238: HMAC-SHA-1, 30-second steps,
 * 6 digits) through Debian's liboath, and one-time recovery codes.
 *
 * Enrolment: totp_begin gives the account a secret (kept pending) with
 * its otpauth:// URI and QR code; totp_confirm, given a code the
 * person's authenticator shows for it, makes it the account's and
 * returns ten recovery codes, shown once (only their SHA-256 is kept).
 * From then on logging in asks for a code after the password
 * (login.h). A code is accepted once (the last step used is kept), one
 * step early or late. When the site requires it (d->require_2fa), a
 * staff account without one must enrol before anything else; applicants
 * may opt in. An administrator may reset an account's second factor.
 * The shared secrets are in the database (RFC 6238 servers must keep
 * them): a copy of the database holds them (docs/security.md).
 */
#ifndef ZIZHI_TOTP_H
#define ZIZHI_TOTP_H

#include <stddef.h>

#include "dom.h"

#define TOTP_SECRET_BYTES	20	/* 160 bits, RFC 4226's advice */
#define TOTP_STEP		30	/* seconds */
#define TOTP_DIGITS		6
#define TOTP_RECOVERY_CODES	10

/*
 * The RFC 6238 code (HMAC-SHA-1) of key (len bytes) at unix time t, with
 * digits digits (6 to 8), into out (digits + 1 bytes). 0 or -1.
 */
int		 totp_code(const unsigned char *key, size_t len, long long t,
		    unsigned digits, char *out);

/* What logging in asks for after a right password. */
enum totp_need {
	TOTP_NONE = 0,		/* nothing: logged in */
	TOTP_CODE,		/* a code (or a recovery code) */
	TOTP_ENROL,		/* enrolment first: the site requires it */
	TOTP_FAILED		/* the database cannot say: no login */
};

/* For account id (role_bit its role) under d->require_2fa; TOTP_FAILED
 * when the database cannot say (the login then fails: a read error must
 * not let the password alone decide). */
enum totp_need	 totp_needed(struct dom *d, long long id);

/* An enrolment as the page and the command line show it; strings in
 * d->arena. */
struct totp_enrol {
	const char	*secret;	/* base32, as typed into an app */
	const char	*uri;		/* otpauth://totp/... */
	const char	*qr;		/* data:image/svg+xml;base64,... */
};

/*
 * Whether account id has a second factor (*on), and how many unused
 * recovery codes it has left (*left). DOM_OK or DOM_FAILED.
 */
enum dom_rc	 totp_status(struct dom *d, long long id, int *on,
		    int *left);

/*
 * Starts (or shows again) the enrolment of account id: a new secret, or
 * the one pending. The actor must be that account, or the system (the
 * command line). DOM_CONFLICT when it has a second factor already;
 * DOM_FORBIDDEN; DOM_FAILED.
 */
enum dom_rc	 totp_begin(struct dom *d, long long id,
		    struct totp_enrol *out);

/* The actor's account page: whether it has a second factor and how many
 * recovery codes are left; without one, its enrolment (totp_begin). */
struct totp_view {
	int			 on;
	int			 left;
	struct totp_enrol	 enrol;		/* when !on */
};
enum dom_rc	 totp_view(struct dom *d, struct totp_view *out);

/*
 * The actor confirms its pending enrolment with a code its app shows:
 * DOM_OK with TOTP_RECOVERY_CODES recovery codes ("xxxxx-xxxxx") in
 * *codes, shown once; DOM_INVALID for field "code" when it is wrong;
 * DOM_CONFLICT when nothing is pending (or already confirmed).
 */
enum dom_rc	 totp_confirm(struct dom *d, const char *code,
		    const char ***codes);

/*
 * The actor turns its second factor off, with a current code (or a
 * recovery code). DOM_FORBIDDEN for staff when the site requires it;
 * DOM_INVALID for field "code"; DOM_CONFLICT when it has none.
 */
enum dom_rc	 totp_disable(struct dom *d, const char *code);

/*
 * An administrator resets account id's second factor (lost phone):
 * secret, pending enrolment and recovery codes go, and so do its
 * sessions. DOM_FORBIDDEN but for an administrator, and for its own
 * account; DOM_NOT_FOUND.
 */
enum dom_rc	 totp_reset(struct dom *d, long long id);

/*
 * Whether code is account id's: a current code (not used before) or an
 * unused recovery code, which is spent. 1, 0, or -1 on an error. In the
 * caller's transaction (login.c throttles the tries).
 */
int		 totp_check(struct dom *d, long long id, const char *code);

#endif
