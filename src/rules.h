/*
 * rules.h: the rules of the qualification (安全工程类二级): fees, deadlines,
 * the case clock, certificate validity, archive retention, eligibility
 * checks and 统一社会信用代码 validation.
 *
 * Every number sits in one table, struct rules (rules_default() gives the
 * guide's values), and every function takes the table as its first
 * argument: changing a fee or threshold is a data change. The functions
 * are pure: no I/O, no clock (the caller passes "now"), no allocation.
 * Money is integer 分 (fen); dates are zdate day numbers (date.h).
 * docs/rules.md states each rule, its source in the guide and the
 * day-counting conventions.
 */
#ifndef ZIZHI_RULES_H
#define ZIZHI_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"

/* Room in each status list of struct rules, including its NULL end. */

struct rules {
	/* Fees in 分 (§9.1, §9.2). */
	int64_t		 fee_initial_audit;	/* 7,200,000 */
	int64_t		 fee_initial_annual;	/* 1,500,000 (three years) */
	int64_t		 fee_maint_audit;	/* 4,800,000 */
	int64_t		 fee_maint_annual;	/* 1,500,000 (three years) */

	/* Durations. */
	int		 supplement_months;	/* 1: answer due (§5.2) */
	int		 target_months;		/* 3: project cycle target (§9.3) */
	int		 limit_months;		/* 6: project cycle limit (§9.3) */
	int		 at_risk_num;		/* 2 \ at risk past 2/3 of the */
	int		 at_risk_den;		/* 3 / target's net days */
	int		 validity_years;	/* 3: certificate (§9, inferred) */
	int		 maint_ontime_months;	/* 6: file before expiry (§4) */
	int		 maint_initial_months;	/* 6: after expiry → initial (§4) */
	int		 retention_years;	/* 6: archive (§8) */
	int		 rect_remind_days;	/* 7: remind a rectification's
						   holder this many days before
						   its deadline (§6, ours) */

	/* Eligibility thresholds (§3.1, §3.2). */
	int		 elig_business_years;	/* 3 */
	int64_t		 elig_registered_capital; /* 分: 100,000,000 (100万元) */
	int64_t		 elig_total_assets;	/* 分: 200,000,000 (200万元) */
	int		 elig_audit_years;	/* 3: audit report per year */
	int		 elig_cisp_percent;	/* 10: of engineering staff, rounded up */
	int		 elig_cisp_min;		/* 6 */
	int		 elig_complete_projects; /* 1 */
	int		 elig_project_years;	/* 3 */
	int64_t		 elig_project_value;	/* 分: 200,000,000 (200万元) */
};

/* The guide's numbers (a static table; never NULL). */
const struct rules *rules_default(void);


/* ---- Fees (§9, §4) ------------------------------------------------ */

enum rules_apptype {
	RULES_APP_INITIAL = 0,		/* 初次申请 */
	RULES_APP_MAINTENANCE		/* 维持申请 */
};

struct rules_fee {
	int64_t			 audit;		/* 审核费用, 分 */
	int64_t			 annual;	/* 三年年金, 分 */
	int64_t			 total;		/* audit + annual */
	enum rules_apptype	 treated_as;
};

/* "initial" or "maintenance". */
const char *rules_apptype_code(enum rules_apptype);
/* "初次申请" or "维持申请". */
const char *rules_apptype_zh(enum rules_apptype);

void	 rules_fee_initial(const struct rules *, struct rules_fee *);
/*
 * The fee of a maintenance application for a certificate expiring on
 * expiry, filed on filed: the initial fee (treated_as initial) when
 * filed more than maint_initial_months after expiry, else the
 * maintenance fee.
 */
void	 rules_fee_maintenance(const struct rules *, zdate expiry, zdate filed,
	    struct rules_fee *);

/* ---- Maintenance window (§4) --------------------------------------- */

enum rules_maint_class {
	RULES_MAINT_ON_TIME = 0,	/* filed <= on_time_until */
	RULES_MAINT_LATE,		/* on_time_until < filed <= late_until */
	RULES_MAINT_INITIAL		/* filed > late_until: initial application */
};

struct rules_window {
	zdate			 on_time_until;	/* expiry - 6 months: last on-time day */
	zdate			 late_until;	/* expiry + 6 months: last maintenance day */
	enum rules_maint_class	 class;
};

/* "on_time", "late", "initial". */
const char *rules_maint_class_code(enum rules_maint_class);
/* "按期维持申请", "逾期维持申请", "视作初次申请". */
const char *rules_maint_class_zh(enum rules_maint_class);

void	 rules_maint_window(const struct rules *, zdate expiry, zdate filed,
	    struct rules_window *);

/* ---- Supplements (§5.2) -------------------------------------------- */

/* The last day to answer a supplement notice sent on sent (inclusive). */
zdate	 rules_supplement_due(const struct rules *, zdate sent);
/* 1 if an answer on answered to a notice sent on sent is late. */
int	 rules_supplement_late(const struct rules *, zdate sent, zdate answered);

/* ---- Certificate validity (§9, inferred) and retention (§8) -------- */

/* The last day a certificate issued on issued is valid. */
zdate	 rules_cert_expires(const struct rules *, zdate issued);
/* 1 if a certificate issued on issued is valid on day. */
int	 rules_cert_valid_on(const struct rules *, zdate issued, zdate day);
/* The first day the archive of a case closed on closed may be disposed of. */
zdate	 rules_dispose_from(const struct rules *, zdate closed);
/* 1 if that archive may be disposed of on today. */
int	 rules_may_dispose(const struct rules *, zdate closed, zdate today);

/* ---- The case clock (§9.3) ----------------------------------------- */

/*
 * A status the case entered on date, by what it does to the clock (the
 * caller takes these from the status table, status.h): the first START
 * is day 0, a PAUSED status pauses the clock until the next event, and
 * a FINAL one stops it; when a FINAL event is followed by another (an
 * upheld appeal reopened the case), the days between them are paused
 * and the clock runs on from the second.
 */
#define RULES_EV_START	1u
#define RULES_EV_PAUSED	2u
#define RULES_EV_FINAL	4u

struct rules_event {
	zdate		 date;
	unsigned	 flags;
};

/* A paused span: entered on from, left on to (DATE_NONE: still paused). */
struct rules_span {
	zdate		 from;
	zdate		 to;
};

enum rules_clock_state {
	RULES_CLOCK_ON_TRACK = 0,
	RULES_CLOCK_AT_RISK,
	RULES_CLOCK_OVER_TARGET,
	RULES_CLOCK_OVER_LIMIT
};

struct rules_clock {
	zdate			 submitted;	/* day 0 */
	zdate			 now;		/* counted up to (the stop day if stopped) */
	int32_t			 elapsed_days;	/* now - submitted */
	int32_t			 paused_days;
	int32_t			 net_days;	/* elapsed - paused */
	zdate			 target;	/* submitted + 3 months + paused */
	zdate			 limit;		/* submitted + 6 months + paused */
	int32_t			 target_net_days; /* (submitted + 3 months) - submitted */
	int32_t			 limit_net_days;  /* (submitted + 6 months) - submitted */
	int32_t			 at_risk_after;	/* at risk once net_days exceeds this */
	int			 paused;	/* 1 if paused at now */
	int			 stopped;	/* 1 if a final status stopped it */
	enum rules_clock_state	 state;
};

/* "on_track", "at_risk", "over_target", "over_limit". */
const char *rules_clock_state_code(enum rules_clock_state);
/* "正常", "临近目标期限", "超出目标周期", "超出最长周期". */
const char *rules_clock_state_zh(enum rules_clock_state);

/*
 * The clock of a case submitted on submitted, as of now, given its
 * paused spans in date order: each from >= submitted, to >= from or
 * DATE_NONE (open; only the last span may be open), and each span
 * starting on or after the previous one's end. Parts of spans after now
 * do not count (yet). Returns 0, or -1 if now < submitted or the spans
 * break those conditions (then *out is zeroed).
 */
int	 rules_clock_spans(const struct rules *, zdate submitted, zdate now,
	    const struct rules_span *spans, size_t n, struct rules_clock *out);

/*
 * The clock from a case's status events (in date order; events on the
 * same day in the order they happened). Day 0 is the first START event;
 * events before it are ignored, and so are events dated after now. A
 * PAUSED event pauses the clock from its date to the next event's (or
 * now). A FINAL event stops the clock on its date, unless another event
 * follows it on or before now: then the days from the FINAL event to
 * that one count as paused (a refusal or failure reopened by an upheld
 * appeal, docs/rules.md). Returns 0, or -1 if there is no start event on
 * or before now or the dates go backwards.
 */
int	 rules_clock_events(const struct rules *, const struct rules_event *ev,
	    size_t n, zdate now, struct rules_clock *out);

/* ---- Eligibility (§3.1, §3.2) -------------------------------------- */

/* Yes/no answers that may not be given yet; zero is "unknown". */
enum rules_tri {
	RULES_TRI_UNKNOWN = 0,
	RULES_TRI_NO,
	RULES_TRI_YES
};

/* Unknown counts and amounts. */
#define RULES_NONE	(-1)
/* An unknown amount that may be negative (a profit, net assets). */
#define RULES_SIGNED_NONE	INT64_MIN

/*
 * A year of section 三 (近三年资产运营情况) as the form gives it. Money
 * in 分; RULES_NONE when not given (RULES_SIGNED_NONE for the amounts
 * that may be negative).
 */
struct rules_fin_year {
	int		 row;			/* its row in the form, from 0 */
	int		 year;
	int64_t		 total_assets;
	int64_t		 net_assets;		/* may be negative */
	int64_t		 revenue;
	int64_t		 profit;		/* negative: a loss */
	int		 audit_reports;		/* files; RULES_NONE: unknown */
};

/* The finance rows read (section 三 has three). */
#define RULES_FIN_MAX	8

/* A project's acceptance (section 八, 验收情况). */
enum rules_proj_state {
	RULES_PROJ_UNKNOWN = 0,
	RULES_PROJ_ACCEPTED,		/* 已验收 */
	RULES_PROJ_PENDING,		/* 已完工，待验收 */
	RULES_PROJ_ONGOING		/* 实施中 */
};

/* A project of section 八 as the form gives it. */
struct rules_project {
	int		 row;			/* its row in the form, from 0 */
	const char	*name;			/* NULL: not given */
	int64_t		 value;			/* 分; RULES_NONE: not given */
	zdate		 end;			/* DATE_NONE: not given */
	enum rules_proj_state state;
};

/*
 * The applicant's figures. rules_applicant_init() sets every field to
 * unknown (RULES_TRI_UNKNOWN, RULES_NONE, DATE_NONE, NULL); fill in what
 * is known. Money in 分.
 */
struct rules_applicant {
	zdate		 submitted;		/* the judging day (提交日) */
	enum rules_tri	 legal_entity;		/* independent legal entity */
	enum rules_tri	 business_licence;	/* licence uploaded */
	const char	*uscc;			/* 统一社会信用代码 */
	enum rules_tri	 approval_declared;	/* approved, complies with law */
	enum rules_tri	 approval_evidence;	/* evidence uploaded */
	const char	*level1_cert_no;	/* level-1 certificate number */
	zdate		 level1_cert_expiry;	/* its last valid day */
	zdate		 business_start;	/* security service business began */
	int64_t		 registered_capital;	/* 分 */
	int64_t		 total_assets;		/* 分 */
	/* Section 三, each year given (any order); nfin RULES_NONE when
	 * the section is not given at all. */
	struct rules_fin_year fin[RULES_FIN_MAX];
	int		 nfin;
	int		 engineering_staff;	/* security engineering technical staff */
	int		 cisp_staff;		/* full-time registered (CISP) */
	int		 complete_projects;	/* projects with the complete process */
	/* Section 八, every project given; nprojects RULES_NONE when the
	 * section is not given at all. */
	const struct rules_project *projects;
	int		 nprojects;
};

void	 rules_applicant_init(struct rules_applicant *);

enum rules_verdict {
	RULES_UNKNOWN = 0,	/* figure missing: the reviewer decides */
	RULES_PASS,
	RULES_FAIL,
	RULES_REVIEW		/* a figure the reviewer must judge (a loss,
				   negative net assets): never passed */
};

/* "unknown", "pass", "fail", "review". */
const char *rules_verdict_code(enum rules_verdict);
/* "待核实", "符合", "不符合", "需审查". */
const char *rules_verdict_zh(enum rules_verdict);

#define RULES_TEXTSZ	192

struct rules_check {
	const char		*code;		/* e.g. "registered_capital" */
	const char		*label_zh;	/* e.g. "注册资本" */
	const char		*label_en;	/* e.g. "registered capital" */
	const char		*section;	/* e.g. "§3.2" */
	char			 threshold_zh[RULES_TEXTSZ]; /* e.g. "≥ 100万元" */
	char			 figure_zh[RULES_TEXTSZ];    /* the applicant's figure */
	enum rules_verdict	 verdict;
	int			 basic;	/* 1: 基本资格 (§3.1), the start
					   condition (起评条件) */
};

/* The number of checks rules_eligibility() writes. */
#define RULES_NCHECKS	10

/*
 * Evaluates every eligibility check of domain.md, in its table's order,
 * into out[0..RULES_NCHECKS-1]; returns RULES_NCHECKS. The first three
 * (独立法人; 主管部门批准、遵守法律法规; 一级资质证书) are §3.1's 基本资格,
 * marked basic: the start condition that 受理 waits for (intake.h). The
 * others (§3.2 基本能力) inform the reviewer; they are not a verdict.
 */
size_t	 rules_eligibility(const struct rules *, const struct rules_applicant *,
	    struct rules_check *out);

/*
 * 近3年的财务状况良好 (§3.2 (3)), year by year: the elig_audit_years
 * calendar years before the year of a->submitted, oldest first, each
 * with its row of the form (NULL when the form has none) and a verdict:
 * 不符合 without the year or without its audit report; 需审查 for a loss
 * or negative net assets; 待核实 when a figure is missing; else 符合.
 * Then the form's other years, counted 0 (outside the window, not
 * counted). Returns the rows written (none when a->nfin or a->submitted
 * is unknown); out has room for RULES_FIN_ROWS.
 */
#define RULES_FIN_ROWS	(2 * RULES_FIN_MAX)
struct rules_fin_row {
	int				 year;
	int				 counted;	/* one of the years judged */
	const struct rules_fin_year	*y;		/* the form's, or NULL */
	enum rules_verdict		 verdict;
	char				 note_zh[RULES_TEXTSZ];
};
size_t	 rules_fin_rows(const struct rules *, const struct rules_applicant *,
	    struct rules_fin_row *out);

/*
 * 近3年完成信息安全服务工程项目总值 (§3.2 (6)), project by project: a
 * project counts when it is accepted (已验收), its value is given and it
 * ended within the last elig_project_years years of a->submitted, both
 * ends included (from submitted - 3 years through submitted); otherwise
 * the reason it does not. out has room for a->nprojects rows; returns
 * the rows written (none when unknown).
 */
struct rules_proj_row {
	const struct rules_project	*p;
	int				 counted;
	char				 reason_zh[RULES_TEXTSZ];
};
size_t	 rules_proj_rows(const struct rules *, const struct rules_applicant *,
	    struct rules_proj_row *out);

/* Minimum CISP holders for n engineering staff: max(6, ceil(n * 10%)). */
int	 rules_min_cisp(const struct rules *, int staff);

/* ---- 统一社会信用代码 (GB 32100-2015) ------------------------------ */

enum uscc_reason {
	USCC_OK = 0,
	USCC_EMPTY,		/* nothing given */
	USCC_LENGTH,		/* not 18 characters */
	USCC_LOWERCASE,		/* lowercase letters (refused, not folded) */
	USCC_ALPHABET,		/* a character outside the code's alphabet */
	USCC_CHECK		/* the 18th character is not the check character */
};

/*
 * Validates s (NUL-terminated). The alphabet is 0-9 and A-Z without
 * I, O, S, V, Z; the 18th character is the check character of the first
 * 17. Lowercase letters are refused. Returns USCC_OK or the reason.
 */
enum uscc_reason uscc_validate(const char *s);
/* "ok", "empty", "length", "lowercase", "alphabet", "check". */
const char	*uscc_reason_code(enum uscc_reason);
/* The Chinese message for the web UI, e.g. "统一社会信用代码应为18位". */
const char	*uscc_reason_zh(enum uscc_reason);
/* The English message, for the command line and logs. */
const char	*uscc_reason_en(enum uscc_reason);
/*
 * The check character of the first 17 characters of s (which must be in
 * the alphabet), or '\0' if one of them is not.
 */
char		 uscc_check_char(const char *s);

/* ---- Command line --------------------------------------------------- */

/* `zizhi rules …` (argv[0] is "rules"); returns the exit status. */
int	 cli_rules(int argc, char *argv[]);

#endif
