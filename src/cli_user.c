/*
 * cli_user.c: `zizhi user add --role ROLE --email E --name N`, the
 * password read from standard input (one line). Staff accounts are made
 * this way or by an admin in the web interface; applicants register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "actor.h"
#include "cli.h"
#include "store.h"

static int
read_password(char *pw, size_t len)
{
	size_t n;

	if (fgets(pw, (int)len, stdin) == NULL)
		return -1;
	n = strlen(pw);
	if (n > 0 && pw[n - 1] != '\n' && !feof(stdin))
		return -1;		/* longer than the buffer */
	while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
		pw[--n] = '\0';
	return 0;
}

int
cli_user(int argc, char *argv[])
{
	const char *db = NULL, *role = NULL, *email = NULL, *name = NULL;
	char pw[4200], err[512];
	struct store *s;
	enum account_err rc;
	long long id;
	int i;

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		goto usage;
	for (i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--db") == 0)
			db = argv[++i];
		else if (strcmp(argv[i], "--role") == 0)
			role = argv[++i];
		else if (strcmp(argv[i], "--email") == 0)
			email = argv[++i];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[++i];
		else
			goto usage;
	}
	if (role == NULL || email == NULL || name == NULL)
		goto usage;
	if (!role_bit(role) || strcmp(role, "applicant") == 0) {
		fprintf(stderr, "zizhi user add: --role must be one of lead, "
		    "assessor, expert, cert_staff, supervisor, admin "
		    "(applicants register themselves)\n");
		return 2;
	}
	if (read_password(pw, sizeof(pw)) != 0) {
		fprintf(stderr, "zizhi user add: give the password on standard "
		    "input (one line, 12 to 1024 characters)\n");
		return 2;
	}
	if (db == NULL)
		db = getenv("ZIZHI_DB") ? getenv("ZIZHI_DB") : "data/zizhi.db";
	if ((s = store_open(db, err, sizeof(err))) == NULL ||
	    store_check_version(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi user add: %s\n", err);
		store_close(s);
		return 1;
	}
	rc = account_create(s, email, name, role, 0, pw, &id, err,
	    sizeof(err));
	store_close(s);
	memset(pw, 0, sizeof(pw));
	if (rc != ACCOUNT_OK) {
		fprintf(stderr, "zizhi user add: %s\n", err);
		return rc == ACCOUNT_FAILED ? 1 : 3;
	}
	printf("zizhi user add: created %s (%s), account %lld\n", email, role,
	    id);
	return 0;
usage:
	fprintf(stderr, "usage: zizhi user add [--db PATH] --role ROLE "
	    "--email E --name N  < password\n");
	return 2;
}
