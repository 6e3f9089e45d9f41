/*
 * status.c: the one table of status facts (status.h).
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "rules.h"
#include "status.h"

const struct status_info status_table[ST__COUNT + 1] = {
	{ ST_DRAFT, "draft", "草稿", STAGE_NONE, 0, 0, ROLE_APPLICANT,
	    "申请单位填写并提交" },
	{ ST_SUBMITTED, "submitted", "已提交", STAGE_ACCEPTANCE, 0, 0,
	    ROLE_LEAD, "项目负责人开始受理审查" },
	{ ST_INTAKE_REVIEW, "intake_review", "受理审查中", STAGE_ACCEPTANCE, 0, 0,
	    ROLE_LEAD, "项目负责人审查" },
	{ ST_SUPPLEMENT_REQUESTED, "supplement_requested", "待补正",
	    STAGE_ACCEPTANCE, 0, 1, ROLE_APPLICANT, "申请单位提交补正材料" },
	{ ST_ACCEPTED, "accepted", "已受理", STAGE_ACCEPTANCE, 0, 0, ROLE_LEAD,
	    "项目负责人起草委托协议" },
	{ ST_REJECTED, "rejected", "不予受理", STAGE_ACCEPTANCE, 1, 0, 0, NULL },
	{ ST_AGREEMENT_SENT, "agreement_sent", "委托协议已发送", STAGE_PROJECT,
	    0, 1, ROLE_APPLICANT, "申请单位确认委托协议" },
	{ ST_AWAITING_PAYMENT, "awaiting_payment", "待缴费", STAGE_PROJECT, 0, 1,
	    ROLE_APPLICANT | ROLE_CERT_STAFF, "申请单位缴费，工作人员登记" },
	{ ST_ASSESSMENT_PLANNING, "assessment_planning", "审核计划",
	    STAGE_ASSESSMENT, 0, 0, ROLE_LEAD, "项目负责人拟定审核计划" },
	{ ST_ASSESSING, "assessing", "评估中", STAGE_ASSESSMENT, 0, 0,
	    ROLE_LEAD | ROLE_ASSESSOR, "项目组开展评估" },
	{ ST_EXPERT_REVIEW, "expert_review", "专家评审", STAGE_ASSESSMENT, 0, 0,
	    ROLE_LEAD | ROLE_EXPERT, "专家组评审" },
	{ ST_FAILED, "failed", "未通过", STAGE_ASSESSMENT, 1, 0, 0, NULL },
	{ ST_CERTIFICATE_PENDING, "certificate_pending", "制证中",
	    STAGE_ISSUANCE, 0, 0, ROLE_CERT_STAFF, "制证工作人员制证、发证" },
	{ ST_ISSUED, "issued", "已发证", STAGE_ISSUANCE, 1, 0, 0, NULL },
	{ ST_WITHDRAWN, "withdrawn", "已撤回", STAGE_NONE, 1, 0, 0, NULL },
	{ ST__COUNT, NULL, NULL, STAGE_NONE, 0, 0, 0, NULL }
};

const struct status_info *
status_info(enum status st)
{
	return &status_table[(unsigned)st < ST__COUNT ? st : ST_DRAFT];
}

const char *
status_code(enum status st)
{
	return status_info(st)->code;
}

const char *
status_zh(enum status st)
{
	return status_info(st)->zh;
}

const char *
status_words(const char *code)
{
	const struct status_info *si = status_find(code);

	return si != NULL ? si->zh : code;
}

int
status_parse(const char *code, enum status *out)
{
	size_t i;

	/* Every list row parses its status: compare the first letter
	 * before the whole code. */
	for (i = 0; code != NULL && i < ST__COUNT; i++)
		if (status_table[i].code[0] == code[0] &&
		    strcmp(status_table[i].code, code) == 0) {
			*out = status_table[i].st;
			return 0;
		}
	return -1;
}

const struct status_info *
status_find(const char *code)
{
	enum status st;

	return status_parse(code, &st) == 0 ? &status_table[st] : NULL;
}

enum status
status_of(const char *code)
{
	enum status st = ST_DRAFT;

	if (status_parse(code, &st) != 0)
		fprintf(stderr, "zizhi: unknown status \"%s\"\n",
		    code ? code : "(null)");
	return st;
}

unsigned
status_clock_flags(enum status st)
{
	const struct status_info *si = status_info(st);

	return (st == ST_SUBMITTED ? RULES_EV_START : 0) |
	    (si->paused ? RULES_EV_PAUSED : 0) | (si->final ? RULES_EV_FINAL : 0);
}

int
status_open(enum status st)
{
	return st != ST_DRAFT && !status_info(st)->final;
}

static const struct {
	const char	*code;
	const char	*zh;
} stages[STAGE_COUNT] = {
	{ "", "" },
	{ "acceptance", "受理" },
	{ "project", "立项" },
	{ "assessment", "评估" },
	{ "issuance", "发证" },
};

const char *
stage_zh(enum stage s)
{
	return (unsigned)s < STAGE_COUNT ? stages[s].zh : "";
}

const char *
stage_code(enum stage s)
{
	return (unsigned)s < STAGE_COUNT ? stages[s].code : "";
}

int
stage_parse(const char *code, enum stage *out)
{
	int i;

	for (i = 1; code != NULL && i < STAGE_COUNT; i++)
		if (strcmp(stages[i].code, code) == 0) {
			*out = (enum stage)i;
			return 0;
		}
	return -1;
}

/*
 * The schema's CHECK (status IN ('draft', ...)) of the cases table: each
 * quoted code between "status IN (" and the closing parenthesis must be a
 * code of the table, and every code of the table must be there once.
 */
int
status_check_schema(const char *sql, char *err, size_t errlen)
{
	const char *p, *q, *end;
	int seen[ST__COUNT] = { 0 }, n = 0;
	enum status st;
	char code[64];
	size_t i, len;

	if (sql == NULL || (p = strstr(sql, "status IN (")) == NULL ||
	    (end = strchr(p, ')')) == NULL) {
		snprintf(err, errlen, "the cases table has no status CHECK");
		return 0;
	}
	for (p = strchr(p, '('); (p = memchr(p, '\'', (size_t)(end - p))) !=
	    NULL; p = q + 1) {
		if ((q = memchr(p + 1, '\'', (size_t)(end - p - 1))) == NULL)
			break;
		len = (size_t)(q - p - 1);
		snprintf(code, sizeof(code), "%.*s", (int)len, p + 1);
		if (status_parse(code, &st) != 0 || seen[st]++) {
			snprintf(err, errlen, "the schema's status CHECK has %s"
			    "\"%s\", which the status table (status.c) %s",
			    status_parse(code, &st) == 0 ? "a second " : "",
			    code, status_parse(code, &st) == 0 ? "has once" :
			    "does not have");
			return 0;
		}
		n++;
	}
	for (i = 0; i < ST__COUNT; i++)
		if (!seen[i]) {
			snprintf(err, errlen, "the schema's status CHECK lacks "
			    "\"%s\" of the status table (status.c)",
			    status_table[i].code);
			return 0;
		}
	return n == ST__COUNT;
}
