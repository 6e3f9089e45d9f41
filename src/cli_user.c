/*
 * cli_user.c: `zizhi user add --role ROLE --email E --name N`, the
 * password read from standard input (one line). Staff accounts are made
 * this way or by an admin in the web interface; applicants register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <qrencode.h>

#include "account.h"
#include "actor.h"
#include "cli.h"
#include "dom.h"
#include "store.h"
#include "totp.h"
#include "util.h"

/* Whether module (x, y) of qr is light; the quiet zone q around it is. */
static int
light(const QRcode *qr, int x, int y, int q)
{
	x -= q;
	y -= q;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 1;
	return !(qr->data[y * qr->width + x] & 1);
}

/* text as a QR code in a terminal: two modules a character, in light
 * blocks (as `qrencode -t UTF8` draws it). */
static void
print_qr(const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int x, y, q = 2, w;

	if (qr == NULL)
		return;
	w = qr->width + 2 * q;
	for (y = 0; y < w; y += 2) {
		for (x = 0; x < w; x++) {
			int t = light(qr, x, y, q), b = y + 1 < w ?
			    light(qr, x, y + 1, q) : 0;

			fputs(t && b ? "\xe2\x96\x88" : t ? "\xe2\x96\x80" :
			    b ? "\xe2\x96\x84" : " ", stdout);
		}
		putchar('\n');
	}
	QRcode_free(qr);
}

/*
 * The new account's second factor, pending until its owner confirms a
 * code at /account/2fa (required of staff with --require-2fa): printed
 * as the otpauth URI, the secret and a QR code, to hand over in person.
 */
static int
print_enrolment(struct store *s, long long id)
{
	struct arena *a = arena_new();
	struct totp_enrol e;
	struct dom d;
	int rc = 0;

	dom_init(&d, s, a, NULL, (long long)time(NULL));
	if (totp_begin(&d, id, &e) != DOM_OK)
		rc = -1;
	else {
		printf("second factor (TOTP, RFC 6238): scan with an "
		    "authenticator app, then confirm a code at /account/2fa\n"
		    "  secret: %s\n  uri:    %s\n", e.secret, e.uri);
		print_qr(e.uri);
	}
	arena_free(a);
	return rc;
}

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
	memset(pw, 0, sizeof(pw));
	if (rc != ACCOUNT_OK) {
		store_close(s);
		fprintf(stderr, "zizhi user add: %s\n", err);
		return rc == ACCOUNT_FAILED ? 1 : 3;
	}
	printf("zizhi user add: created %s (%s), account %lld\n", email, role,
	    id);
	if (print_enrolment(s, id) != 0) {
		store_close(s);
		fprintf(stderr, "zizhi user add: the second factor's enrolment "
		    "failed; the account can enrol at /account/2fa\n");
		return 1;
	}
	store_close(s);
	return 0;
usage:
	fprintf(stderr, "usage: zizhi user add [--db PATH] --role ROLE "
	    "--email E --name N  < password\n");
	return 2;
}
