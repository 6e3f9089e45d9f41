/*
 * certificate.h: certificates (证书, domain.md §5.5, §6) as the domain
 * sees them: issuing one (batch.c calls it when a batch is approved),
 * looking one up for the staff page, for its holder's PDF or for the
 * public verification page, and the public register (获证单位名录).
 *
 * A certificate's state as of today comes from its dates, its sanctions
 * (处置) and its maintenance: revoked first (final), then superseded
 * (已换发: a maintenance case issued its successor), then expired, but
 * not while an on-time maintenance case of it is open (it stays valid,
 * marked 维持申请审查中, past its expiry: the guide's "以确保资质有效"),
 * then suspended, under rectification, else valid. The sanction kinds
 * are facts of the certificate, so they are listed here; sanction.c
 * imposes and lifts them.
 *
 * Certificates issued before the system are imported from a file
 * (certimport.h): they have no case or batch, and no holder until a
 * certificate officer links them to the organisation whose 申请书 carries
 * their credit code (certificate_link). docs/certificates.md describes
 * the number format, imports, and how sanctions and maintenance show on
 * the verification page.
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
	CERT_REVOKED,		/* 已取消 (the guide: 取消证书) */
	CERT_RECTIFICATION,	/* 限期整改中 */
	CERT_SUPERSEDED,	/* 已换发 */
	CERT__COUNT
};

/* The state's code ("suspended", for CSS classes) and its words. */
const char	*cert_state_code(enum cert_state s);
const char	*cert_state_zh(enum cert_state s);

/* The kinds of sanction (处置, §6). */
enum sanction_kind {
	SANCTION_WARNING = 0,		/* 警告: a record */
	SANCTION_RECTIFICATION,		/* 限期整改: until lifted */
	SANCTION_SUSPENSION,		/* 暂停证书: until lifted */
	SANCTION_REVOCATION,		/* 取消证书: final */
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
	long long	 case_id;	/* 0: imported */
	long long	 org_id;	/* the holder; 0: imported, not linked */
	long long	 batch_id;	/* 0: imported */
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
	int		 maint_pending;	/* an on-time maintenance case is open */
	const char	*successor;	/* the number that superseded it, or "" */
	int		 imported;	/* issued before the system */
	const char	*imported_status; /* what the file said, or "" */
	const char	*imported_at;	/* ISO-8601 UTC, or "" */
	const char	*holder;	/* the linked organisation's name, or "" */
	const char	*linked_by;	/* who linked it (staff only), or "" */
	const char	*linked_at;	/* ISO-8601 UTC, or "" */
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

/* An organisation that may hold an imported certificate: its 申请书
 * (the latest submitted one, else a draft) carries the credit code. */
struct certificate_candidate {
	long long	 org_id;
	const char	*org_name;	/* as registered */
	const char	*form_name;	/* 单位名称 in that 申请书 */
	long long	 case_id;
	const char	*case_no;	/* "" for a draft */
	int		 submitted;	/* 0: only a draft carries it */
};

/* An imported certificate no organisation holds yet. */
struct certificate_unlinked {
	struct certificate		 cert;
	struct certificate_candidate	*cand;	/* at most 20 */
	size_t				 ncand;
};

/*
 * One page (1-based, CERTIFIED_PER_PAGE each) of the imported
 * certificates not linked to an organisation, those with a candidate
 * first, then in the order imported, each with the organisations whose
 * 申请书 carry its credit code, for a certificate officer or an admin:
 * DOM_OK, DOM_FORBIDDEN or DOM_FAILED.
 */
enum dom_rc	 certificate_unlinked(struct dom *d, long long page,
		    struct certificate_unlinked **rows, size_t *n,
		    long long *total);

/*
 * Links imported certificate cert_id to organisation org_id, as a
 * certificate officer or an admin who has checked that it is the
 * holder, recording who and when. The organisation must be a candidate
 * (a 申请书 of it carries the certificate's credit code). DOM_OK;
 * DOM_FORBIDDEN; DOM_NOT_FOUND; DOM_CONFLICT (not imported, or linked
 * already); DOM_INVALID (field "org_id": not a candidate); DOM_FAILED.
 * The checks run in the transaction that writes.
 */
enum dom_rc	 certificate_link(struct dom *d, long long cert_id,
		    long long org_id);

/*
 * The whole public register, newest issued first, one certificate at a
 * time to fn (its strings valid during the call; a non-zero return stops
 * the walk), by anyone: for /certified.json and /certified.csv. DOM_OK
 * or DOM_FAILED.
 */
typedef int	(*certificate_fn)(const struct certificate *c, void *arg);
enum dom_rc	 certificate_register_each(struct dom *d, certificate_fn fn,
		    void *arg);

/* What an announcement announces (§5.5: 公告; §6). */
enum cert_news {
	CERT_NEWS_ISSUED = 0,		/* 发证 */
	CERT_NEWS_SUSPENDED,		/* 暂停证书 */
	CERT_NEWS_CANCELLED		/* 取消证书 */
};

/* An announcement of the feed. */
struct cert_announcement {
	enum cert_news	 what;
	long long	 id;		/* the certificate's, or the sanction's */
	const char	*at;		/* ISO-8601 UTC: the batch's approval,
					   or the sanction */
	const char	*no;
	const char	*org_name;
	const char	*uscc;
	const char	*issued_on;
	const char	*expires_on;
	const char	*verify_url;
};

/* The words of what an announcement announces ("发证", "暂停证书",
 * "取消证书") and its code ("issuance", "suspension", "cancellation"). */
const char	*cert_news_zh(enum cert_news w);
const char	*cert_news_code(enum cert_news w);

/*
 * The latest limit announcements, newest first: each certificate issued,
 * suspended and cancelled (a lifted suspension stays announced: the feed
 * is a record of what was announced). By anyone. DOM_OK or DOM_FAILED.
 */
enum dom_rc	 certificate_announcements(struct dom *d, long long limit,
		    struct cert_announcement **rows, size_t *n);

/*
 * Issues the certificate of case c (status certificate_pending) in batch
 * batch_id, in the caller's write transaction: the next number of the
 * year, the name and credit code of the frozen submission, today and the
 * expiry from the rules, the move to "issued" and the 发证 notice with the
 * public addresses; a maintenance case's certificate supersedes the one
 * it continues (已换发). *no (may be NULL) gets the number. DOM_OK,
 * DOM_CONFLICT (d->msg: the submission lacks the name or the code, or
 * the workflow refused) or DOM_FAILED. Nothing is rolled back here.
 */
enum dom_rc	 certificate_issue(struct dom *d, long long batch_id,
		    const struct case_ref *c, const char **no);

#endif
