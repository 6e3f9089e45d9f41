/*
 * certificate.h: certificates (证书, domain.md §5.5, §6) as the domain
 * sees them: issuing one (batch.c calls it when a batch is approved),
 * looking one up for the staff page, for its holder's PDF or for the
 * public verification page, and the public register (获证单位名录).
 *
 * A certificate's state as of today comes from its dates and its
 * sanctions (处置): revoked first (final), then expired, suspended, under
 * rectification, else valid. The sanction kinds are facts of the
 * certificate, so they are listed here; sanction.c imposes and lifts
 * them. docs/certificates.md describes the number format and how
 * sanctions show on the verification page.
 */
#ifndef ZIZHI_CERTIFICATE_H
#define ZIZHI_CERTIFICATE_H

#include <stddef.h>

#include "dom.h"

struct case_ref;

/* Certificates in one page of the public register. */
#define CERTIFIED_PER_PAGE	50

/* A certificate's state as of a day. */
enum cert_state {
	CERT_VALID = 0,		/* 有效 */
	CERT_EXPIRED,		/* 已过期 */
	CERT_SUSPENDED,		/* 暂停 */
	CERT_REVOKED,		/* 已撤销 */
	CERT_RECTIFICATION	/* 限期整改中 */
};

/* The state's code ("suspended", for CSS classes) and its words. */
const char	*cert_state_code(enum cert_state s);
const char	*cert_state_zh(enum cert_state s);

/* The kinds of sanction (处置, §6). */
enum sanction_kind {
	SANCTION_WARNING = 0,		/* 警告: a record */
	SANCTION_RECTIFICATION,		/* 限期整改: until lifted */
	SANCTION_SUSPENSION,		/* 暂停证书: until lifted */
	SANCTION_REVOCATION,		/* 撤销证书: final */
	SANCTION__COUNT
};

/* The code as stored ("suspension"), the words, and whether it can be
 * lifted (rectification and suspension). */
const char	*sanction_kind_code(enum sanction_kind k);
const char	*sanction_kind_zh(enum sanction_kind k);
int		 sanction_kind_liftable(enum sanction_kind k);
/* The kind of a code; 0, or -1 when the code is none (or NULL). */
int		 sanction_kind_parse(const char *code, enum sanction_kind *out);

struct certificate {
	long long	 id;
	long long	 case_id;
	long long	 org_id;	/* the holder */
	long long	 batch_id;
	const char	*no;		/* CNITSEC2026SE2-0001 */
	const char	*org_name;	/* as certified */
	const char	*uscc;
	const char	*issued_on;	/* YYYY-MM-DD */
	const char	*expires_on;
	enum cert_state	 state;		/* as of d->today */
	const char	*rect_deadline;	/* earliest open rectification, or "" */
	int		 rect_overdue;	/* that deadline is before today */
	int		 warned;	/* a warning is on record */
	int		 may_download;	/* staff, or the holder: the PDF */
	const char	*verify_url;	/* the public verification page */
};

/*
 * The public verification address of a certificate number:
 * d->public_url + "/verify/" + no, in d's arena.
 */
const char	*certificate_verify_url(struct dom *d, const char *no);
/* The public register's address: d->public_url + "/certified". */
const char	*certificate_list_url(struct dom *d);

/*
 * The certificate id for the staff page (any staff role): DOM_OK,
 * DOM_FORBIDDEN (not staff), DOM_NOT_FOUND or DOM_FAILED.
 */
enum dom_rc	 certificate_get(struct dom *d, long long id,
		    struct certificate *out);

/*
 * The certificate of case c, for its case page (c's reader may see its
 * summary): *id and *no, or DOM_NOT_FOUND when it has none; DOM_FAILED.
 */
enum dom_rc	 certificate_of_case(struct dom *d, const struct case_ref *c,
		    long long *id, const char **no);

/*
 * The certificate id for its PDF: staff, or an applicant of the holding
 * organisation; anyone else is told DOM_NOT_FOUND, like a certificate
 * that does not exist.
 */
enum dom_rc	 certificate_download(struct dom *d, long long id,
		    struct certificate *out);

/*
 * The certificate numbered no (a well-formed number, certno_clean) for
 * the public verification page, by anyone: DOM_OK, DOM_NOT_FOUND or
 * DOM_FAILED.
 */
enum dom_rc	 certificate_verify(struct dom *d, const char *no,
		    struct certificate *out);

/*
 * One page (1-based) of the public register, newest first, by anyone:
 * the certificates in *rows (d's arena), *n of them, and the number of
 * certificates in all in *total. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 certificate_register(struct dom *d, long long page,
		    struct certificate **rows, size_t *n, long long *total);

/*
 * Issues the certificate of case c (status certificate_pending) in batch
 * batch_id, in the caller's write transaction: the next number of the
 * year, the name and credit code of the frozen submission, today and the
 * expiry from the rules, the move to "issued" and the 发证 notice with the
 * public addresses. *no (may be NULL) gets the number. DOM_OK,
 * DOM_CONFLICT (d->msg: the submission lacks the name or the code, or
 * the workflow refused) or DOM_FAILED. Nothing is rolled back here.
 */
enum dom_rc	 certificate_issue(struct dom *d, long long batch_id,
		    const struct case_ref *c, const char **no);

#endif
