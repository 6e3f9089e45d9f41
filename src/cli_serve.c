/*
 * cli_serve.c: `zizhi serve` and `zizhi fcgi` option handling; the doors
 * themselves are httpd.c and fcgi.c.
 */
#include <stdio.h>

#include "cli.h"
#include "fcgi.h"
#include "httpd.h"
#include "opts.h"

int
cli_serve(int argc, char *argv[])
{
	struct app_config cfg = { 0 };
	struct opts o;
	struct app app;
	char err[512];
	int rc;

	if (opts_parse(&o, argc, argv, OPT_DB | OPT_LISTEN | OPT_MAX_BODY |
	    OPT_MAX_FILE | OPT_PORT_FILE | OPT_PUBLIC_URL | OPT_NOW) != 0)
		return 2;
	cfg.db_path = o.db;
	cfg.clock_offset = o.clock_offset;
	if (o.now != NULL)
		fprintf(stderr, "zizhi serve: the clock starts at %s (Beijing "
		    "time) and runs on from there: for development only\n",
		    o.now);
	cfg.max_body = o.max_body;
	cfg.max_file = o.max_file;
	cfg.public_url = o.public_url;
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
	    OPT_SOCKET | OPT_WORKERS | OPT_PUBLIC_URL) != 0)
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
	fo.socket = o.socket;
	fo.mode = o.socket_mode;
	fo.workers = o.workers;
	return fcgi_run(&cfg, &fo);
}
