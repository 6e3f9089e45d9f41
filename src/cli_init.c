/*
 * cli_init.c: `zizhi init` creates or upgrades the database; with --demo
 * it also creates one demo account per role and prints them.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "account.h"
#include "cli.h"
#include "opts.h"
#include "store.h"
#include "workflow.h"

static const struct {
	const char	*role;
	const char	*email;
	const char	*name;
} demo[] = {
	{ "applicant", "applicant@demo.zizhi.test", "张申请" },
	{ "lead", "lead@demo.zizhi.test", "李负责" },
	{ "assessor", "assessor@demo.zizhi.test", "王评估" },
	{ "expert", "expert@demo.zizhi.test", "赵专家" },
	{ "cert_staff", "cert@demo.zizhi.test", "陈制证" },
	/* A batch is approved by another officer than its maker. */
	{ "cert_staff", "cert2@demo.zizhi.test", "林批准" },
	{ "supervisor", "supervisor@demo.zizhi.test", "刘监督" },
	{ "admin", "admin@demo.zizhi.test", "周管理" },
	{ NULL, NULL, NULL }
};

#define DEMO_ORG	"演示信息安全技术有限公司"

static int
demo_accounts(struct store *s)
{
	char pw[64], err[256];
	long long org = 0;
	enum account_err rc;
	size_t i;

	if (store_begin(s) != 0)
		return -1;
	printf("Demo accounts (passwords are reset on every `init --demo`):\n");
	printf("  %-12s %-28s %s\n", "role", "e-mail", "password");
	for (i = 0; demo[i].role != NULL; i++) {
		snprintf(pw, sizeof(pw), "zizhi-demo-%s", demo[i].role);
		if (strcmp(demo[i].role, "applicant") == 0 &&
		    (org = org_create(s, DEMO_ORG)) < 0)
			goto fail;
		rc = account_create(s, demo[i].email, demo[i].name,
		    demo[i].role, strcmp(demo[i].role, "applicant") == 0 ?
		    org : 0, pw, NULL, err, sizeof(err));
		if (rc == ACCOUNT_DUPLICATE) {
			if (strcmp(demo[i].role, "applicant") == 0)
				store_exec(s, "DELETE FROM org WHERE id = "
				    "(SELECT max(id) FROM org) AND NOT EXISTS "
				    "(SELECT 1 FROM account WHERE org_id = "
				    "org.id)");
			rc = account_set_password(s, demo[i].email, pw, err,
			    sizeof(err));
		}
		if (rc != ACCOUNT_OK) {
			fprintf(stderr, "zizhi init: %s: %s\n", demo[i].email,
			    err);
			goto fail;
		}
		printf("  %-12s %-28s %s\n", demo[i].role, demo[i].email, pw);
	}
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

int
cli_init(int argc, char *argv[])
{
	struct opts o;
	struct store *s;
	char err[512];
	int applied, have;

	if (opts_parse(&o, argc, argv, OPT_DB | OPT_DEMO) != 0)
		return 2;
	if ((s = store_open(o.db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "zizhi init: %s\n", err);
		return 1;
	}
	have = store_user_version(s);
	if ((applied = store_migrate(s, err, sizeof(err))) < 0) {
		fprintf(stderr, "zizhi init: %s\n", err);
		store_close(s);
		return 1;
	}
	chmod(o.db, 0600);
	if (workflow_refresh_facts(s) < 0) {
		fprintf(stderr, "zizhi init: cannot update the cases' status "
		    "facts: %s\n", sqlite3_errmsg(store_db(s)));
		store_close(s);
		return 1;
	}
	if (applied == 0)
		printf("zizhi init: %s is up to date (schema version %d)\n",
		    o.db, have);
	else
		printf("zizhi init: %s upgraded from schema version %d to %d\n",
		    o.db, have, have + applied);
	if (o.demo && demo_accounts(s) != 0) {
		store_close(s);
		return 1;
	}
	store_close(s);
	return 0;
}
