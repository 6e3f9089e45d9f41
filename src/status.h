/*
 * status.h: the statuses of a case and every fact about them, in one
 * table (status.c): the code stored in the database, the words shown, the
 * stage (§5), whether it is final, whether the case clock is paused while
 * in it (§9.3), and who acts next. Everything else derives from here: the
 * workflow's checks, the clock, the stage bar, the queue's and the
 * dashboard's filters (through the cases columns stage and open, kept by
 * the workflow), and the schema's CHECK, which status_check_schema()
 * compares with this table when a server starts.
 *
 * Code names a status by its enum constant, so a misspelt status does not
 * compile; a status code as a string literal appears only in status.c
 * (the layer check, tools/layercheck.c, enforces it).
 */
#ifndef ZIZHI_STATUS_H
#define ZIZHI_STATUS_H

#include <stddef.h>

enum status {
	ST_DRAFT = 0,			/* 草稿 */
	ST_SUBMITTED,			/* 已提交 */
	ST_INTAKE_REVIEW,		/* 受理审查中 */
	ST_SUPPLEMENT_REQUESTED,	/* 待补正 */
	ST_ACCEPTED,			/* 已受理 */
	ST_REJECTED,			/* 不予受理 */
	ST_AGREEMENT_SENT,		/* 委托协议已发送 */
	ST_AWAITING_PAYMENT,		/* 待缴费 */
	ST_ASSESSMENT_PLANNING,		/* 审核计划 */
	ST_ASSESSING,			/* 评估中 */
	ST_EXPERT_REVIEW,		/* 专家评审 */
	ST_FAILED,			/* 未通过 */
	ST_CERTIFICATE_PENDING,		/* 制证中 */
	ST_ISSUED,			/* 已发证 */
	ST_WITHDRAWN,			/* 已撤回 */
	ST__COUNT
};

/* A set of statuses. */
typedef unsigned status_set;
#define ST_BIT(s)	(1u << (s))
#define ST_ALL		((1u << ST__COUNT) - 1)

/* The four stages (§5), plus none (draft, withdrawn). */
enum stage {
	STAGE_NONE = 0,
	STAGE_ACCEPTANCE,	/* 受理 */
	STAGE_PROJECT,		/* 立项 */
	STAGE_ASSESSMENT,	/* 评估 */
	STAGE_ISSUANCE		/* 发证 */
};
#define STAGE_COUNT	5

struct status_info {
	enum status	 st;
	const char	*code;		/* as stored: "supplement_requested" */
	const char	*zh;		/* the status in words: "待补正" */
	enum stage	 stage;
	int		 final;		/* no way on */
	int		 paused;	/* the case clock does not run (§9.3) */
	unsigned	 acting;	/* the roles (actor.h) that act next */
	const char	*waiting_for;	/* who acts next, in words */
};

/* Every status in the order of the journey, ending with a NULL code. */
extern const struct status_info status_table[ST__COUNT + 1];

/* The facts of a status (st < ST__COUNT). */
const struct status_info *status_info(enum status st);
/* The code of a status. */
const char	*status_code(enum status st);
/* The words of a status. */
const char	*status_zh(enum status st);
/* The words of a stored code; the code itself when it is unknown. */
const char	*status_words(const char *code);
/* The status of a code; 0, or -1 when the code is unknown. */
int		 status_parse(const char *code, enum status *out);
/* The facts of a code; NULL when the code is unknown. */
const struct status_info *status_find(const char *code);
/* The status of a stored code; ST_DRAFT for an unknown one (logged). */
enum status	 status_of(const char *code);

/* What entering the status does to the case clock: RULES_EV_* bits of
 * rules.h (start, paused, final). */
unsigned	 status_clock_flags(enum status st);

/* "open": submitted and not final, the cases staff work on. */
int		 status_open(enum status st);

/* The stage's words ("受理") and its code for URLs ("acceptance"). */
const char	*stage_zh(enum stage s);
const char	*stage_code(enum stage s);
/* The stage of a code; 0, or -1 when unknown. */
int		 stage_parse(const char *code, enum stage *out);

/*
 * 1 when the CHECK constraint of cases.status in the schema text lists
 * exactly the codes of the table; otherwise 0, with what differs in err.
 */
int		 status_check_schema(const char *cases_sql, char *err,
		    size_t errlen);

#endif
