/*
 * valid.h: the validators every input goes through, declared once (in
 * kcgi's spirit): e-mail addresses, integers in a range, and text of a
 * bounded length without control or invisible formatting characters.
 * Dates are date_parse() (date.h); money is fdef_money_fen() (form
 * definitions). The form, the accounts, the mail and the pages use these
 * and nothing else. Pure.
 */
#ifndef ZIZHI_VALID_H
#define ZIZHI_VALID_H

#include <stddef.h>

/*
 * 1 for an address mail can reach: ASCII only (no internationalised
 * names, which the SMTP path cannot carry), a dot-atom local part of at
 * most 64 characters, a domain of at least two letters-digits-hyphen
 * labels ending in a top-level domain of two letters or more, 254 bytes
 * in all.
 */
int	 valid_email(const char *s);

/*
 * Parses s as a decimal integer (an optional '-', digits only, nothing
 * else) in [min, max]. 0 and *out set, or -1.
 */
int	 valid_int(const char *s, long long min, long long max,
	    long long *out);

/* Flags for valid_text. */
#define VALID_MULTILINE	1	/* newlines (LF, CR LF) and tabs allowed */

/*
 * 1 when s is valid UTF-8 of min..max characters (not bytes) holding no
 * character utf8_forbidden() names (controls, bidirectional overrides,
 * invisible formatting), newlines and tabs excepted with
 * VALID_MULTILINE.
 */
int	 valid_text(const char *s, size_t min, size_t max, unsigned flags);

#endif
