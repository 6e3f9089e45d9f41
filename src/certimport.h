/*
 * certimport.h: certificates issued before the system, imported into the
 * register from a file (`zizhi import certificates`, cli_import.c).
 *
 * The file is UTF-8 CSV (RFC 4180: commas, fields in double quotes when
 * they hold a comma, a quote or a line break, "" for a quote; LF or CRLF;
 * a UTF-8 byte order mark is allowed) whose first line is exactly
 * CERTIMPORT_HEADER. Each further line is one certificate:
 *
 *   number      its number (certno.h), e.g. CNITSEC2019SE2-0042
 *   org_name    the holder's name as certified, 1 to 200 characters
 *   uscc        the holder's 统一社会信用代码 (GB 32100-2015 check)
 *   issued_on   YYYY-MM-DD, not after the day of the import
 *   expires_on  YYYY-MM-DD, after issued_on
 *   status      valid, suspended, cancelled or expired
 *
 * All or nothing: a file with any bad row imports nothing, and every bad
 * row is named with its line number and what is wrong with it. A row
 * whose number is already in the register is unchanged when the register
 * holds exactly what the row says (so importing the same file twice
 * changes nothing), and bad when anything differs or when the number
 * belongs to a certificate issued by the system: an import never changes
 * a certificate. A suspended or cancelled certificate gets a suspension
 * or a revocation (处置) recorded by the import, so it shows as such on
 * the register and the verification page, and a supervisor can lift the
 * suspension like any other. Imported certificates have no holder until
 * a certificate officer links them (certificate_link).
 */
#ifndef ZIZHI_CERTIMPORT_H
#define ZIZHI_CERTIMPORT_H

#include <stddef.h>

#include "dom.h"

#define CERTIMPORT_HEADER	"number,org_name,uscc,issued_on,expires_on,status"
/* The largest file read, in bytes. */
#define CERTIMPORT_MAX_BYTES	(64L * 1024 * 1024)

/* A bad row: its line in the file (from 1) and what is wrong, in Chinese. */
struct certimport_problem {
	long		 line;
	const char	*msg;
};

struct certimport_result {
	size_t				 rows;		/* certificates read */
	size_t				 added;		/* new in the register */
	size_t				 unchanged;	/* there already, the same */
	struct certimport_problem	*bad;		/* by line */
	size_t				 nbad;
};

/*
 * Imports the len bytes of data (the file) as d->actor (the system, from
 * the command line) on d->today: DOM_OK with the counts; DOM_INVALID with
 * every bad row in out->bad (nothing written); DOM_FAILED. The register
 * is read and written in one transaction.
 */
enum dom_rc	 certimport_run(struct dom *d, const char *data, size_t len,
		    struct certimport_result *out);

#endif
