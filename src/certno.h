/*
 * certno.h: certificate numbers (证书编号).
 *
 *   CNITSEC2026SE2-0001
 *   │      │   │  │ └ sequence within the year of issue, from 0001
 *   │      │   │  └── separator
 *   │      │   └───── SE2: 安全工程类 (security engineering), 二级
 *   │      └───────── year of issue (Beijing calendar)
 *   └──────────────── the issuing centre (中国信息安全测评中心)
 *
 * The sequence has at least four digits and grows past 9999 without
 * changing the format. docs/certificates.md tells why.
 */
#ifndef ZIZHI_CERTNO_H
#define ZIZHI_CERTNO_H

#include <stddef.h>

struct store;

#define CERTNO_PREFIX	"CNITSEC"
#define CERTNO_KIND	"SE2"
/* Longest number we accept or make, with its NUL. */
#define CERTNO_MAX	40

/*
 * The next free number of year (1900..9999) into out (at least
 * CERTNO_MAX bytes). Must run inside the write transaction that inserts
 * the certificate. 0, or -1 on a database error.
 */
int	 certno_next(struct store *s, int year, char *out, size_t len);

/*
 * What a person typed, cleaned for a lookup: surrounding white space
 * (ASCII and the ideographic space) removed, ASCII letters upper-cased,
 * full-width letters, digits and hyphen made ASCII. Writes the result to
 * out (at least CERTNO_MAX bytes) and returns 0 when it has the form of a
 * certificate number, 1 when it is empty, -1 when it is not a number.
 */
int	 certno_clean(const char *in, char *out, size_t len);

/* 1 when s is exactly a well-formed number. */
int	 certno_valid(const char *s);

#endif
