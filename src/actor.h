/*
 * actor.h: who is acting. The roles (one bit each, so a set of roles is
 * a mask) and the person, as every layer sees them: the route table, the
 * access policy, the workflow, the domain modules. Includes nothing, so
 * any module may include it.
 */
#ifndef ZIZHI_ACTOR_H
#define ZIZHI_ACTOR_H

enum role {
	ROLE_ANON = 1 << 0,		/* not logged in */
	ROLE_APPLICANT = 1 << 1,	/* 申请单位 */
	ROLE_LEAD = 1 << 2,		/* 项目负责人 */
	ROLE_ASSESSOR = 1 << 3,		/* 项目组成员 */
	ROLE_EXPERT = 1 << 4,		/* 专家组成员 */
	ROLE_CERT_STAFF = 1 << 5,	/* 制证工作人员 */
	ROLE_SUPERVISOR = 1 << 6,	/* 监督部门 */
	ROLE_ADMIN = 1 << 7		/* 系统管理员 */
};

#define ROLES_ALL	0xffu	/* everyone, logged in or not */
#define ROLES_USERS	(ROLES_ALL & ~(unsigned)ROLE_ANON)	/* logged in */
#define ROLES_STAFF	(ROLES_USERS & ~(unsigned)ROLE_APPLICANT)

/*
 * A person acting: a logged-in account, or (id 0, role_bit 0) the system
 * itself, as `zizhi sweep` acts. Strings live as long as the request or
 * command that made the actor.
 */
struct actor {
	long long	 id;		/* account id; 0: the system */
	const char	*email;
	const char	*name;
	const char	*role;		/* role code, e.g. "applicant" */
	unsigned	 role_bit;	/* one enum role bit */
	long long	 org_id;	/* applicants; 0 for staff */
	const char	*org_name;	/* applicants; "" for staff */
};

/* The role bit of a role code ("lead"); 0 when unknown. */
unsigned	 role_bit(const char *code);
/* The code of one role bit; NULL when not exactly one known role. */
const char	*role_code(unsigned bit);
/* The Chinese name of a role code, e.g. "项目负责人"; NULL when unknown. */
const char	*role_zh(const char *code);

#endif
