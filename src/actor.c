/*
 * actor.c: the roles, their codes (as schema.sql's account.role CHECK
 * lists them) and their Chinese names.
 */
#include <stddef.h>
#include <string.h>

#include "actor.h"

static const struct {
	const char	*code;
	unsigned	 bit;
	const char	*zh;
} roles[] = {
	{ "applicant", ROLE_APPLICANT, "申请单位" },
	{ "lead", ROLE_LEAD, "项目负责人" },
	{ "assessor", ROLE_ASSESSOR, "项目组成员" },
	{ "expert", ROLE_EXPERT, "专家组成员" },
	{ "cert_staff", ROLE_CERT_STAFF, "制证工作人员" },
	{ "supervisor", ROLE_SUPERVISOR, "监督部门" },
	{ "admin", ROLE_ADMIN, "系统管理员" },
	{ NULL, 0, NULL }
};

unsigned
role_bit(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && roles[i].code != NULL; i++)
		if (strcmp(roles[i].code, code) == 0)
			return roles[i].bit;
	return 0;
}

const char *
role_code(unsigned bit)
{
	size_t i;

	for (i = 0; roles[i].code != NULL; i++)
		if (roles[i].bit == bit)
			return roles[i].code;
	return NULL;
}

const char *
role_zh(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && roles[i].code != NULL; i++)
		if (strcmp(roles[i].code, code) == 0)
			return roles[i].zh;
	return NULL;
}
