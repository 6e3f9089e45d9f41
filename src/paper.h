/*
 * paper.h: the paper original of the 申请书 (§4: 填写申请书、加盖公章并
 * 装订后 ... 将纸版、电子版资料一起以快递方式提交; §5.2 (二) 申请书加盖申请
 * 单位公章且装订成册).
 *
 * The applicant downloads the 申请书 of a frozen round as a PDF (every
 * section, the materials with their SHA-256, the round's fingerprint and
 * a QR code to the round for the centre's staff), prints, seals and binds
 * it and sends it with a CD by courier. The case's lead records each
 * parcel as it arrives: courier, waybill number, the day received, who
 * checked it, whether the sealed 申请书 and the CD were in it and whether
 * they match the electronic round, notes. 受理 waits for a parcel of the
 * latest round that holds the sealed 申请书 and matches it, unless the
 * centre's option (`zizhi intake paper scan`, docs/deploy.md) takes the
 * sealed scan uploaded with the round instead.
 */
#ifndef ZIZHI_PAPER_H
#define ZIZHI_PAPER_H

#include <stddef.h>

#include "access.h"
#include "dom.h"
#include "textcheck.h"

struct buf;

/* The centre's option: what 受理 needs of the sealed 申请书. */
enum paper_mode {
	PAPER_REQUIRED = 0,	/* the paper original (the default) */
	PAPER_SCAN		/* the sealed scan uploaded with the round */
};

/* "required", "scan". */
const char	*paper_mode_code(enum paper_mode);
/* In words, for the pages. */
const char	*paper_mode_zh(enum paper_mode);
/* The centre's option: DOM_OK or DOM_FAILED. */
enum dom_rc	 paper_mode_get(struct dom *d, enum paper_mode *out);
/* Sets it (for the command line): DOM_OK or DOM_FAILED. */
enum dom_rc	 paper_mode_set(struct dom *d, enum paper_mode m);

/* A parcel as recorded. */
struct paper_receipt {
	long long	 id;
	int		 round;
	const char	*courier;
	const char	*waybill;
	const char	*received_on;	/* YYYY-MM-DD */
	const char	*checked_by;
	int		 paper;		/* the sealed, bound 申请书 was in it */
	int		 cd;		/* the CD was in it */
	int		 matches;	/* they match the electronic round */
	const char	*notes;
	const char	*recorded_by;	/* the lead's name */
	const char	*recorded_at;	/* ISO-8601 UTC */
};

/* A parcel as typed: the yes/no answers 1, 0, or -1 when not given. */
struct paper_input {
	const char	*courier;	/* 1 to 50 characters */
	const char	*waybill;	/* 1 to 40: letters, digits, '-' */
	const char	*received_on;	/* YYYY-MM-DD, not after today */
	const char	*checked_by;	/* 1 to 50 characters */
	int		 paper;
	int		 cd;
	int		 matches;
	const char	*notes;		/* at most 2000; required when the
					   parcel does not match */
};

#define PAPER_PROBLEMS	8

/*
 * Every problem of in, at most PAPER_PROBLEMS, fields named as the form
 * names them (courier, waybill, received_on, checked_by, paper, cd,
 * consistent, notes): how many. Pure but for the arena; the day received
 * is checked against d->today here and against the round in
 * paper_record.
 */
size_t		 paper_check(struct dom *d, const struct paper_input *in,
		    struct problem *p);

/* What the case's pages show of its paper original. */
struct paper_state {
	enum paper_mode		 mode;
	int			 round;		/* the latest round */
	char			 fingerprint[65];	/* of that round, or "" */
	struct paper_receipt	*receipts;	/* newest first */
	size_t			 nreceipts;
	int			 ready;		/* 受理 need not wait for it */
	const char		*why;		/* if not, why, in words */
};

/*
 * The paper original of c (PART_APPLICATION or PART_FINDINGS) into out,
 * with the latest round's fingerprint when fingerprint is not 0 (it
 * reads the whole round): DOM_OK; DOM_NOT_FOUND when c has no round or
 * the reader may see neither; DOM_FAILED.
 */
enum dom_rc	 paper_state(struct dom *d, const struct case_ref *c,
		    int fingerprint, struct paper_state *out);

/*
 * Records a parcel of case_id's latest round, by its lead in 受理审查
 * (ACT_REVIEW): DOM_OK; DOM_INVALID with the first problem's field (or
 * "received_on" for a day before the round was submitted); DOM_NOT_FOUND;
 * DOM_FORBIDDEN; DOM_CONFLICT; DOM_FAILED. Nothing is written unless
 * DOM_OK.
 */
enum dom_rc	 paper_record(struct dom *d, long long case_id,
		    const struct paper_input *in);

/*
 * Inside a step's transaction, on c as loaded there: DOM_OK when 受理
 * need not wait for the paper (it is in hand and matches the latest
 * round, or the centre takes the scan); else DOM_CONFLICT with why
 * (field "receipt"); DOM_FAILED.
 */
enum dom_rc	 paper_ready(struct dom *d, const struct case_ref *c);

/*
 * The fingerprint of round n of case_id: the SHA-256 (hex) of its values
 * and of its files' SHA-256, in a fixed order (docs/documents.md), into
 * out. DOM_OK; DOM_NOT_FOUND without that round; DOM_FAILED.
 */
enum dom_rc	 paper_fingerprint(struct dom *d, long long case_id, int n,
		    char out[65]);

/*
 * The 申请书 of round n (0: the latest) of c (PART_APPLICATION) as a PDF
 * appended to out, its file name in *name: DOM_OK; DOM_NOT_FOUND (no
 * such round, or not the reader's); DOM_FAILED (the PDF could not be
 * made; d->msg says why).
 */
enum dom_rc	 paper_pdf(struct dom *d, const struct case_ref *c, int n,
		    struct buf *out, const char **name);

#endif
