/*
 * reset.h: password reset by an e-mailed single-use token. A request for
 * an address of an active account sends a 256-bit random token by
 * e-mail (the outbox) as a link, and only the token's SHA-256 is kept.
 * The token is good while unused and younger than RESET_SECONDS; using
 * it (once, even with two requests at the same time) sets the password,
 * ends every session of the account and spends every other link sent.
 */
#ifndef ZIZHI_RESET_H
#define ZIZHI_RESET_H

#include "dom.h"

#define RESET_SECONDS	(30 * 60)

/*
 * Queues the reset e-mail, with a link under base_url ("https://host"),
 * for an active account with this e-mail address; does nothing for any
 * other address, nor past THROTTLE_RESET_MAX requests from the client
 * address addr in a window (so the form cannot flood a mailbox). DOM_OK
 * either way, so the answer says nothing about the address; DOM_FAILED.
 */
enum dom_rc	 reset_request(struct dom *d, const char *email,
		    const char *addr, const char *base_url);

/*
 * The account's e-mail of a usable token (unused, not expired, the
 * account active) into *email (d->arena). DOM_OK, DOM_NOT_FOUND for a
 * token that is not (or no longer) usable, DOM_FAILED.
 */
enum dom_rc	 reset_check(struct dom *d, const char *token,
		    const char **email);

/*
 * Spends the token and gives its account the password (which the caller
 * has checked with account_new_password). DOM_OK with the e-mail in
 * *email; DOM_NOT_FOUND when the token is not usable, among two uses at
 * once for the second; DOM_INVALID for a password out of bounds;
 * DOM_FAILED.
 */
enum dom_rc	 reset_use(struct dom *d, const char *token,
		    const char *password, const char **email);

#endif
