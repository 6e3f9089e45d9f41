/*
 * main.c: subcommand dispatch only.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rules.h"

static const char usage[] =
"usage: zizhi COMMAND [options]\n"
"\n"
"  serve  [--listen 127.0.0.1:8080] [--db PATH] [--max-body BYTES]\n"
"         [--max-file BYTES] [--port-file FILE] [--public-url URL]\n"
"         [--payee-name T] [--payee-bank T] [--payee-account T]\n"
"         [--payee-note T] [--require-2fa]\n"
"                                 the embedded web server (default)\n"
"  fcgi   [--socket PATH [--socket-mode 0660]] [--workers N] [--db PATH]\n"
"         [--max-body BYTES] [--max-file BYTES] [--public-url URL]\n"
"         [--payee-name T] ... [--require-2fa] (as serve)\n"
"                                 FastCGI workers behind nginx; without\n"
"                                 --socket the listening socket is fd 0\n"
"  init   [--db PATH] [--demo]    create or upgrade the database; --demo\n"
"                                 adds one demo account per role\n"
"  user add --role ROLE --email E --name N [--db PATH]  < password\n"
"                                 create a staff account (ROLE: lead,\n"
"                                 assessor, expert, cert_staff, supervisor,\n"
"                                 admin); a taken e-mail exits 3; prints\n"
"                                 the second factor's enrolment (QR code)\n"
"  sweep  [--now YYYY-MM-DD] [--config FILE] [--backoff SECONDS] [--db PATH]\n"
"         [--unserved-days N]     queue the reminders due today, tell leads\n"
"                                 of notices not served after N days (3),\n"
"                                 then send the outbox over SMTP (cron)\n"
"  seed   --cases N [--seed S] [--today YYYY-MM-DD] [--db PATH]\n"
"                                 fill a database with N realistic test\n"
"                                 cases (password zizhi-seed-password)\n"
"  verify [--db PATH]             check the events' hash chain; names the\n"
"                                 first broken link (exit 1)\n"
"  backup FILE [--force] [--db PATH]\n"
"                                 a consistent copy while the server runs;\n"
"                                 files/ beside FILE gets the uploaded files\n"
"  restore FILE [--force] [--db PATH]\n"
"                                 check a backup and restore it to --db\n"
"                                 (--force replaces a stopped database)\n"
"  import certificates [--db PATH] FILE.csv\n"
"                                 add certificates issued before the system\n"
"                                 to the register (UTF-8 CSV, header\n"
"                                 number,org_name,uscc,issued_on,expires_on,\n"
"                                 status); a file with any bad row imports\n"
"                                 nothing and names each bad row (exit 1)\n"
"  intake paper [required|scan] | requirement list|add|retire ...\n"
"                                 the centre's 受理 options: whether 受理\n"
"                                 waits for the paper 申请书, and the\n"
"                                 supplementary requirements (§3.1 (5))\n"
"  rules  CALL ARGS...            fees, deadlines, clocks as JSON\n"
"                                 (`zizhi rules` lists the calls)\n"
"  help                           this text\n"
"\n"
"--db defaults to $ZIZHI_DB, else data/zizhi.db; uploaded files are kept\n"
"in files/ beside the database. --max-body (default 64 MiB) limits a\n"
"request, --max-file (default 20 MiB) one uploaded file. --public-url\n"
"(or $ZIZHI_PUBLIC_URL) is the site's address for links in documents.\n"
"--require-2fa (or ZIZHI_REQUIRE_2FA=1): staff log in with a TOTP code\n"
"too, and enrol at their first login.\n";

int
main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "serve";

	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2) {
		char *def[] = { "serve", NULL };

		return cli_serve(1, def);
	}
	if (strcmp(cmd, "serve") == 0)
		return cli_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "fcgi") == 0)
		return cli_fcgi(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cli_init(argc - 1, argv + 1);
	if (strcmp(cmd, "sweep") == 0)
		return cli_sweep(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return cli_user(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cli_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "seed") == 0)
		return cli_seed(argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return cli_verify(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cli_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "restore") == 0)
		return cli_restore(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cli_import(argc - 1, argv + 1);
	if (strcmp(cmd, "intake") == 0)
		return cli_intake(argc - 1, argv + 1);
	fprintf(stderr, "zizhi: unknown command \"%s\"\n\n%s", cmd, usage);
	return 2;
}
