/*
 * cli_serve.c: `zizhi serve` and `zizhi fcgi` option handling; the doors
 * themselves are httpd.c and fcgi.c.
 */
#include <stdio.h>

#include "cli.h"
#include "fcgi.h"
#include "httpd.h"
#include "opts.h"

/* The payee of the options (a field not given stays NULL: app_open
 * takes the example's). 1 when any was given. */
static int
payee(struct app_config *cfg, const struct opts *o)
{
	cfg->payee.name = o->payee_name;
	cfg->payee.bank = o->payee_bank;
	cfg->payee.account = o->payee_account;
	cfg->payee.note = o->payee_note;
	return o->payee_name || o->payee_bank || o->payee_account ||
	    o->payee_note;
}

int
cli_serve(int argc, char *argv[])
{
	struct app_config cfg = { 0 };
	struct opts o;
	struct app app;
	char err[512];
	int rc;

	if (opts_parse(&o, argc, argv, OPT_DB | OPT_LISTEN | OPT_MAX_BODY |
	    OPT_MAX_FILE | OPT_PORT_FILE | OPT_PUBLIC_URL | OPT_PAYEE |
	    OPT_REQUIRE_2FA) != 0)
		return 2;
	cfg.db_path = o.db;
	cfg.max_body = o.max_body;
	cfg.max_file = o.max_file;
	cfg.public_url = o.public_url;
	payee(&cfg, &o);
	cfg.require_2fa = o.require_2fa;
	if (app_open(&app, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi serve: %s\n", err);
		return 1;
	}
	rc = httpd_run(&app, o.listen, o.port_file);
	app_close(&app);
	return rc;
}

int
cli_fcgi(int argc, char *argv[])
{
	struct app_config cfg = { 0 };
	struct fcgi_options fo = { 0 };
	struct opts o;

	if (opts_parse(&o, argc, argv, OPT_DB | OPT_MAX_BODY | OPT_MAX_FILE |
	    OPT_SOCKET | OPT_WORKERS | OPT_PUBLIC_URL | OPT_PAYEE |
	    OPT_REQUIRE_2FA) != 0)
		return 2;
	/* Links in mail and documents (a password reset, a certificate's QR
	 * code, a notice) must never come from a request: its Host header
	 * is the client's to choose. */
	if (o.public_url == NULL) {
		fprintf(stderr, "zizhi fcgi: the site's public address is "
		    "required: give --public-url https://zizhi.example.cn (or "
		    "set ZIZHI_PUBLIC_URL). Links in e-mail and documents are "
		    "made from it, never from a request's Host header.\n");
		return 2;
	}
	cfg.db_path = o.db;
	cfg.max_body = o.max_body;
	cfg.max_file = o.max_file;
	cfg.public_url = o.public_url;
	if (!payee(&cfg, &o) || o.payee_account == NULL)
		fprintf(stderr, "zizhi fcgi: warning: no payee account "
		    "configured (--payee-name, --payee-bank, --payee-account, "
		    "--payee-note or ZIZHI_PAYEE_*): agreements and payment "
		    "notices show the example account\n");
	cfg.require_2fa = o.require_2fa;
	fo.socket = o.socket;
	fo.mode = o.socket_mode;
	fo.workers = o.workers;
	return fcgi_run(&cfg, &fo);
}
