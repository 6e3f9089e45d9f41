/*
 * form_def.h: the 申请书 (application form) as data, and its validation.
 *
 * Like kcgi's keys[] and kvalid_*: every section, field, repeating row
 * group and material kind (upload) of the form is declared once in
 * static tables (form_def.c), in the paper form's order (一 … 十二,
 * 声明).  Pages render a section generically from its table, store each
 * field's value as a string keyed by (field name, row), and call the
 * validators here; the "check your answers" page (§4 逐项检查) and the
 * refusal to submit use fdef_check_all().
 *
 * Values: a field outside a row group lives in row FDEF_NOROW; a field of
 * a group lives in rows 0, 1, ... .  What is stored is the normalised
 * value fdef_validate() returns (money as integer 分 in decimal, dates as
 * YYYY-MM-DD, credit codes upper-cased, ...); fdef_format() turns it back
 * into what the input shows.  The checks re-validate what they read, so
 * they work on raw input as well as on stored values.
 *
 * Everything here is pure: no I/O, no clock (callers pass today), no
 * mutable global state but an index of the fields by name, built the
 * same way on first use.  Strings returned are static or allocated in the
 * caller's arena.  Every user-facing string is Chinese (zh-CN), and every
 * error message says what to do.
 */
#ifndef ZIZHI_FORM_DEF_H
#define ZIZHI_FORM_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "rules.h"

struct arena;

/* The row of a field (or material) that is not in a row group. */
#define FDEF_NOROW	(-1)

/* The number of sections (一 … 十二 and 声明). */
#define FDEF_NSECTIONS	13

/* Money bounds: at most 1 万亿元 (10^14 分) either way. */
#define FDEF_MONEY_MAX_FEN	INT64_C(100000000000000)

/*
 * Finance years (section 三) must be distinct and lie in
 * [submission year - FDEF_FIN_OLDEST, submission year - 1] to be saved
 * and submitted: the last three years, with one year of slack for an
 * audit report of last year that is not out yet early in the year. The
 * eligibility check judges only the three years before the submission
 * year (rules_fin_rows); a slack year is shown there as not counted.
 */
#define FDEF_FIN_OLDEST	4

enum fdef_kind {
	FDEF_TEXT = 0,	/* one line; maxlen characters */
	FDEF_TEXTAREA,	/* several lines (\n kept, CRLF folded) */
	FDEF_DATE,	/* YYYY-MM-DD */
	FDEF_MONEY,	/* typed in 元, stored as integer 分 */
	FDEF_INT,	/* non-negative integer <= maxval */
	FDEF_EMAIL,
	FDEF_PHONE,	/* landline: digits - space ( ), optional +86; 7-20 */
	FDEF_MOBILE,	/* 11 digits starting with 1; stored as 11 digits */
	FDEF_POSTCODE,	/* 6 digits */
	FDEF_USCC,	/* 统一社会信用代码; stored upper-cased, no spaces */
	FDEF_URL,	/* http:// or https:// */
	FDEF_SELECT,	/* one of options[].code */
	FDEF_YESNO,	/* "yes" or "no" (radio buttons 是 / 否) */
	FDEF_YEAR,	/* four digits */
	FDEF_CHECK,	/* a box to tick: "yes", or "" when not ticked */
	FDEF_CERT	/* one of the organisation's certificates (its number),
			 * chosen from the register (fdef_source.cert) */
};

/* Required-ness; it may depend on the application type (section 一). */
enum fdef_req {
	FDEF_OPTIONAL = 0,
	FDEF_REQUIRED,
	FDEF_REQ_INITIAL,	/* when the application is (treated as) initial */
	FDEF_REQ_MAINT		/* when the application is declared maintenance */
};

/* Field flags. */
#define FDEF_F_NOTFUTURE	0x01	/* date or year: not after today */
#define FDEF_F_SIGNED		0x02	/* money: may be negative (profit) */

/* An option of a select; arrays end with a { NULL, NULL } row. */
struct fdef_option {
	const char	*code;		/* stored value */
	const char	*label;		/* shown */
};

/* A repeating group of rows (a table in the page). */
struct fdef_group {
	const char	*name;		/* unique key, e.g. "finance" */
	const char	*label;		/* table caption */
	const char	*row_label;	/* one row, e.g. "年度", "人员" */
	const char	*add_label;	/* the add button, e.g. "添加一名人员" */
	const char	*help;		/* never NULL, may be "" */
	int		 min;		/* non-blank rows required */
	int		 max;		/* rows allowed */
};

struct fdef_field {
	const char			*name;	 /* unique key in the form */
	const struct fdef_group		*group;	 /* NULL: not repeating */
	enum fdef_kind			 kind;
	enum fdef_req			 req;
	const char			*label;	 /* Chinese label */
	const char			*help;	 /* never NULL, may be "" */
	const char			*example; /* placeholder; never NULL */
	unsigned int			 flags;	 /* FDEF_F_* */
	size_t				 maxlen; /* characters (text kinds) */
	int64_t				 maxval; /* FDEF_INT */
	const struct fdef_option	*options; /* FDEF_SELECT */
};

/* File types an upload may have (bit mask). */
#define FDEF_PDF	0x01
#define FDEF_JPEG	0x02
#define FDEF_PNG	0x04

/*
 * A material kind (uploads).  With a group, files are attached to the
 * group's rows (row index as for fields) and the requirement applies to
 * each non-blank row: to every row when req_field is NULL, else to the
 * rows whose req_field is non-empty (req_value NULL) or equals req_value.
 * Without a group, files are attached to row FDEF_NOROW.
 */
struct fdef_material {
	const char		*code;		/* unique key, e.g. "audit_report" */
	const char		*label;		/* Chinese name */
	const char		*help;		/* never NULL */
	const struct fdef_group	*group;		/* one set of files per row */
	enum fdef_req		 req;		/* FDEF_OPTIONAL or FDEF_REQUIRED */
	const char		*req_field;
	const char		*req_value;
	unsigned int		 types;		/* FDEF_PDF | FDEF_JPEG | FDEF_PNG */
	int			 maxfiles;	/* per row (or in all) */
};

struct fdef_section {
	const char			*id;	/* URL-safe: "s1" .. "s12", "decl" */
	const char			*num;	/* "一" .. "十二", "" for 声明 */
	const char			*title;	/* "申请单位基本情况" */
	const char			*intro;	/* never NULL; for 声明 the text */
	const struct fdef_field		*fields;  /* in page order; a group's */
	size_t				 nfields; /* fields are contiguous */
	const struct fdef_group *const	*groups;  /* NULL-terminated */
	const struct fdef_material	*materials;
	size_t				 nmaterials;
};

/* ---- The tables ---------------------------------------------------- */

size_t				 fdef_nsections(void);	/* FDEF_NSECTIONS */
/* Section i (0 .. FDEF_NSECTIONS - 1) in the form's order, or NULL. */
const struct fdef_section	*fdef_section_at(size_t i);
/* The section with that id, or NULL. */
const struct fdef_section	*fdef_section_find(const char *id);
/* The position of a section in the form's order, or -1. */
int				 fdef_section_index(const char *id);
/* Look-ups by name; *sec (if not NULL) gets the section.  NULL if none. */
const struct fdef_field		*fdef_field_find(const char *name,
				    const struct fdef_section **sec);
const struct fdef_group		*fdef_group_find(const char *name,
				    const struct fdef_section **sec);
const struct fdef_material	*fdef_material_find(const char *code,
				    const struct fdef_section **sec);

/* The label of a select's (or yes/no's) code, or NULL. */
const char	*fdef_option_label(const struct fdef_field *, const char *code);
/* The options of a field: its own, the yes/no pair, or NULL. */
const struct fdef_option *fdef_options(const struct fdef_field *);
/* "text", "textarea", "date", "money", ... (for templates and CSS). */
const char	*fdef_kind_code(enum fdef_kind);
/* The HTML control: "text", "textarea", "date", "email", "tel", "url",
 * "select", "radio" or "checkbox". */
const char	*fdef_kind_input(enum fdef_kind);
/* The inputmode attribute ("text", "decimal", "numeric", "tel",
 * "email", "url"), or NULL for controls without one. */
const char	*fdef_kind_inputmode(enum fdef_kind);

/* 1 if ctype ("application/pdf", "image/jpeg", "image/png") is allowed. */
int		 fdef_type_allowed(const struct fdef_material *,
		    const char *ctype);
/* The allowed types for the page, e.g. "PDF、JPEG、PNG" (static). */
const char	*fdef_types_zh(const struct fdef_material *);
/* The accept attribute, e.g. "application/pdf,.pdf,image/png,.png". */
const char	*fdef_types_accept(const struct fdef_material *);

/* ---- Values -------------------------------------------------------- */

/*
 * What the register (the certificate table) says of a certificate of
 * the applicant's organisation: the facts a maintenance application
 * takes from it, never from anything typed.
 */
struct fdef_cert {
	const char	*no;
	zdate		 expires;	/* 有效期至 */
	int		 suspended;	/* a suspension not lifted */
	int		 revoked;	/* 取消 (cancelled, also as imported) */
	int		 superseded;	/* 已换发: continued by a newer one */
	const char	*busy_case;	/* another open maintenance case of it
					 * (its number), or NULL */
};

/*
 * Where the checks read an application.  get returns the value of field
 * in row (FDEF_NOROW outside groups), or NULL if none is stored; rows
 * returns how many rows a group has (blank ones included); files returns
 * how many files of a material kind are attached to row (FDEF_NOROW for
 * kinds without a group).  files may be NULL: then materials are not
 * checked and the eligibility figures that depend on them stay unknown.
 * cert looks up certificate no among the organisation's certificates in
 * the register: 1 and *out, or 0 when the organisation holds no such
 * certificate; NULL: no register at hand (the maintained certificate's
 * expiry, and so the maintenance window, stay unknown).  filed, read
 * only with cert, is the day the application was first submitted
 * (DATE_NONE for a draft): the day the maintenance window is measured
 * on; until then, today.
 */
struct fdef_source {
	void		*ctx;
	const char	*(*get)(void *ctx, const char *field, int row);
	int		 (*rows)(void *ctx, const char *group);
	int		 (*files)(void *ctx, const char *material, int row);
	int		 (*cert)(void *ctx, const char *no,
			    struct fdef_cert *out);
	zdate		 filed;
};

enum fdef_state {
	FDEF_COMPLETE = 0,	/* 已完成 */
	FDEF_MISSING,		/* 未填写 / 未上传 */
	FDEF_INVALID		/* 有误 */
};

/* "complete", "missing", "invalid". */
const char	*fdef_state_code(enum fdef_state);
/* "已完成", "待补充", "有误". */
const char	*fdef_state_zh(enum fdef_state);

/*
 * Validates one value typed for field f.  in may be NULL (nothing
 * given).  Surrounding white space (also U+3000) is dropped; for the
 * non-text kinds full-width ASCII (U+FF01..FF5E, as Chinese input
 * methods type it) is folded to ASCII first.  An empty value is
 * FDEF_MISSING when required, else FDEF_COMPLETE with "".
 * Returns FDEF_COMPLETE and sets *value to the normalised value (what to
 * store), or FDEF_MISSING / FDEF_INVALID and sets *err to a Chinese
 * message that says what to do (*value is then NULL).
 * today bounds FDEF_F_NOTFUTURE dates and years.
 */
enum fdef_state	 fdef_validate(struct arena *, const struct fdef_field *f,
		    const char *in, int required, zdate today,
		    const char **value, const char **err);

/* A stored (normalised) value as the input shows it (money in 元 with
 * thousands separators, "1,000,000.50"; everything else as stored). */
const char	*fdef_format(struct arena *, const struct fdef_field *,
		    const char *stored);

/*
 * A stored value as a reader sees it (the review page, a list of
 * changes): a choice by its label, a ticked box as "已勾选", money as
 * "1,000,000 元", a date the Chinese way ("2026年3月1日"); "" for NULL.
 */
const char	*fdef_display(struct arena *, const struct fdef_field *,
		    const char *stored);

/* Where a field is, in words: "四、人员情况 › 人员 2 › CISP 有效期至"
 * (row FDEF_NOROW: no row part). */
const char	*fdef_where(struct arena *, const struct fdef_field *, int row);

/* What row `row` of group g is called: by its first field ("人员：赵敏",
 * a choice by its label, with the name after it: "专利或著作权：计算机
 * 软件著作权“某系统”"), else "人员 2". */
const char	*fdef_row_name(struct arena *, const struct fdef_group *g,
		    const struct fdef_source *src, int row);

/* Parses a stored money value (integer 分); 0, or -1 if it is not one. */
int		 fdef_money_fen(const char *stored, int64_t *fen);

/*
 * The application type as the form treats it.  declared is section 一's
 * app_type.  For a maintenance application the certificate it maintains
 * (maint_cert_no) is looked up in the register (src->cert): its expiry
 * there, against the day the application was filed (src->filed, or
 * today for a draft), gives the window (rules_maint_window).  Filed more
 * than maint_initial_months after that expiry it is treated as initial,
 * so effective becomes RULES_APP_INITIAL and the level-1 certificate
 * fields become required.
 */
struct fdef_apptype {
	int			 known;		/* app_type given and valid */
	enum rules_apptype	 declared;
	enum rules_apptype	 effective;
	int			 has_window;	/* maintenance of a certificate
						 * found in the register */
	struct rules_window	 window;
	const char		*cert_no;	/* that certificate */
	zdate			 expires;	/* its expiry in the register */
	zdate			 filed;		/* the day measured */
};

void	 fdef_apptype(struct arena *, const struct rules *,
	    const struct fdef_source *, zdate today, struct fdef_apptype *out);
/* 1 if the field must be given for that application type. */
int	 fdef_field_required(const struct fdef_field *,
	    const struct fdef_apptype *);

/* ---- Checks ---------------------------------------------------------- */

struct fdef_problem {
	const char	*section;	/* section id */
	const char	*field;		/* field name, or NULL */
	const char	*material;	/* material code, or NULL */
	const char	*group;		/* group of a row count problem, or NULL */
	int		 row;		/* FDEF_NOROW or the row (from 0) */
	enum fdef_state	 state;		/* FDEF_MISSING or FDEF_INVALID */
	const char	*label;		/* label of the field/material/group */
	const char	*msg;		/* to show next to the field */
	const char	*summary;	/* "第2行「净资产」：..." for lists */
};

/*
 * Problems in form order; state[i] and count[i] per section in the form's
 * order: FDEF_INVALID if any problem is invalid, else FDEF_MISSING if
 * any is missing, else FDEF_COMPLETE.  Zero it (fdef_report_init) before
 * use; memory comes from the arena.
 */
struct fdef_report {
	struct fdef_problem	*v;
	size_t			 n;
	size_t			 cap;
	enum fdef_state		 state[FDEF_NSECTIONS];
	size_t			 count[FDEF_NSECTIONS];
};

void	 fdef_report_init(struct fdef_report *);

/*
 * Checks one section: every field of every (non-blank) row, the row
 * counts of its groups, the cross-field checks (end date not before
 * start date, net assets not above total assets, CISP number, type and
 * expiry together, finance years distinct and recent, the maintained
 * certificate one of the organisation's that may be maintained: not
 * suspended, revoked or superseded, no other maintenance case of it
 * open, when src->cert is set, ...), and, when
 * src->files is set, its materials.  A row whose fields are all empty is
 * blank: ignored, and not counted.  Appends to *rep.
 */
void	 fdef_check_section(struct arena *, const struct rules *,
	    const struct fdef_section *, const struct fdef_source *src,
	    zdate today, struct fdef_report *rep);
/* Every section in order; the application may be submitted only when
 * rep->n == 0 afterwards. */
void	 fdef_check_all(struct arena *, const struct rules *,
	    const struct fdef_source *src, zdate today,
	    struct fdef_report *rep);
/*
 * The same for an application judged as of the day judged (its first
 * submission, docs/rules.md "The judging day") and checked today: the
 * finance years and the application type (the maintenance window) are
 * judged as of judged; dates that may not lie in the future, as of
 * today. fdef_check_section and fdef_check_all judge as of today.
 */
void	 fdef_check_section_at(struct arena *, const struct rules *,
	    const struct fdef_section *, const struct fdef_source *src,
	    zdate today, zdate judged, struct fdef_report *rep);
void	 fdef_check_all_at(struct arena *, const struct rules *,
	    const struct fdef_source *src, zdate today, zdate judged,
	    struct fdef_report *rep);

/* ---- The form as read ------------------------------------------------ */

/* A line of a section as a person reads it: a field, or a group's row. */
struct fdef_line {
	const char	*label;		/* the field, or "人员 3：钱程" for a row */
	const char	*value;		/* as shown (fdef_display) */
};

/*
 * The lines of section sec of the form src, in the form's order, into
 * *out (in the arena): each field that has a value, then each non-blank
 * row of a group as one line of "label：value" parts joined by "；",
 * named by its number and its first field's value.
 * Returns how many.
 */
size_t	 fdef_section_lines(struct arena *, const struct fdef_section *sec,
	    const struct fdef_source *src, struct fdef_line **out);

/* ---- Eligibility figures ------------------------------------------- */

/*
 * Fills *a (after rules_applicant_init) from the form, for an
 * application submitted (or checked) on submitted:
 *  - uscc: upper-cased (arena copy) if it is given;
 *  - legal_entity: NO if the organisation is a branch (org_nature
 *    "branch"), YES if the credit code is valid and the business licence
 *    is uploaded, else NO if the code is invalid or the licence missing;
 *  - business_licence: from the files (unknown when src->files is
 *    NULL); approval_evidence: the business licence (the registration
 *    authority's approval) or lawful_proof uploaded; approval_declared:
 *    the 声明 tick decl_lawful (NO while it is not ticked);
 *  - maintenance: app_type is "maintenance" (rules_eligibility then
 *    leaves out the level-1 certificate check);
 *  - level1_cert_no / _expiry, business_start, registered_capital;
 *  - total_assets: of the latest valid finance year;
 *  - fin: each finance year given (up to RULES_FIN_MAX), its total and
 *    net assets, revenue, profit and (when src->files is set) how many
 *    audit_report files its row has; the rules pick the years judged;
 *  - engineering_staff: staff_eng; cisp_staff: the roster's full-time
 *    members with a CISP number whose expiry is on or after submitted,
 *    or, with an empty roster, the declared staff_cisp;
 *  - complete_projects: projects marked proj_complete = yes;
 *  - projects: each project given (arena), its name, contract value,
 *    end date and acceptance; the rules decide which count toward the
 *    project value (rules_proj_rows).
 * Figures that are not given (or invalid) stay unknown.
 */
void	 fdef_applicant(struct arena *, const struct rules *,
	    const struct fdef_source *src, zdate submitted,
	    struct rules_applicant *a);

#endif
