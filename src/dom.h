/*
 * dom.h: the context every domain module works in, and what its functions
 * answer. A domain function takes a struct dom (the store, the moment,
 * who acts, an arena, the notice templates, the site's public address,
 * the file store) and knows nothing of HTTP: a page builds the context
 * from its request (page_dom), the command line from its options
 * (cli_dom), a test from a temporary database.
 *
 * A function that changes something runs its own BEGIN IMMEDIATE
 * transaction (every check that guards the write inside it) and returns
 * DOM_OK, or a refusal with a message for the person in d->msg and,
 * for a field that is wrong, its name in d->field.
 */
#ifndef ZIZHI_DOM_H
#define ZIZHI_DOM_H

#include <stddef.h>

#include "actor.h"
#include "date.h"

struct arena;
struct store;
struct tmpl_set;

enum dom_rc {
	DOM_OK = 0,
	DOM_INVALID,		/* the input is wrong: msg (and field) say how */
	DOM_NOT_FOUND,		/* no such thing, or not for this actor */
	DOM_FORBIDDEN,		/* the actor may see it but not do this */
	DOM_CONFLICT,		/* not now: the status, a guard, a race lost */
	DOM_TOO_LARGE,		/* over a size limit: msg says which */
	DOM_GONE,		/* was there, disposed of: msg says when */
	DOM_FAILED		/* the database or the disk failed (logged) */
};

/*
 * Where an applicant pays (收款单位, 开户银行, 账号, 付款说明): the site's
 * configuration (`--payee-*` or ZIZHI_PAYEE_*, docs/deploy.md), copied
 * onto each agreement when it is sent and printed on the agreement, its
 * PDF and the payment notice.
 */
struct dom_payee {
	const char	*name;
	const char	*bank;
	const char	*account;
	const char	*note;		/* how to pay, in words */
};

/* The demo's and the tests' payee: an example account, marked as one. */
extern const struct dom_payee dom_payee_default;

struct dom {
	struct store		*store;
	struct arena		*arena;		/* for everything returned */
	const struct actor	*actor;		/* never NULL; id 0: system */
	long long		 now;		/* unix seconds */
	zdate			 today;		/* Asia/Shanghai */
	char			 today_s[DATE_BUFSZ];	/* "YYYY-MM-DD" */
	char			 stamp[DATE_BUFSZ];	/* ISO-8601 UTC of now */
	const struct tmpl_set	*tmpl;		/* notice and mail texts */
	const char		*public_url;	/* "https://…", no slash */
	const char		*files_dir;	/* the file store */
	size_t			 max_file;	/* bytes, one upload */
	const struct dom_payee	*payee;		/* never NULL */
	int			 require_2fa;	/* staff need TOTP (totp.h) */

	/* What the last refusal says (both NULL after DOM_OK). */
	const char		*msg;		/* Chinese, for the person */
	const char		*field;		/* the form field at fault */
};

/* The system itself as actor (id 0, no role). */
extern const struct actor dom_system;

/*
 * Fills d for actor (dom_system when NULL) at unix time now. The arena,
 * store, templates, public URL and file store are borrowed.
 */
void		 dom_init(struct dom *d, struct store *s, struct arena *a,
		    const struct actor *actor, long long now);

/* Sets d->msg (formatted, in d's arena) and d->field; returns rc. */
enum dom_rc	 dom_refuse(struct dom *d, enum dom_rc rc, const char *field,
		    const char *fmt, ...)
#if defined(__GNUC__)
		    __attribute__((format(printf, 4, 5)))
#endif
		    ;

/* Logs what failed (with the database's message) and returns
 * DOM_FAILED, after rolling back an open transaction. */
enum dom_rc	 dom_fail(struct dom *d, const char *what);

/* Begins an IMMEDIATE transaction; DOM_OK or DOM_FAILED. */
enum dom_rc	 dom_begin(struct dom *d);
/* Commits when rc is DOM_OK (DOM_FAILED if the commit fails), else
 * rolls back; returns rc. */
enum dom_rc	 dom_end(struct dom *d, enum dom_rc rc);

#endif
