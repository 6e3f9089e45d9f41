/*
 * opts.h: the command-line options the subcommands share.
 */
#ifndef ZIZHI_OPTS_H
#define ZIZHI_OPTS_H

#include <stddef.h>

enum opt_flag {
	OPT_DB = 1 << 0,	/* --db PATH */
	OPT_LISTEN = 1 << 1,	/* --listen HOST:PORT */
	OPT_MAX_BODY = 1 << 2,	/* --max-body BYTES */
	OPT_PORT_FILE = 1 << 3,	/* --port-file FILE */
	OPT_SOCKET = 1 << 4,	/* --socket PATH, --socket-mode OCTAL */
	OPT_WORKERS = 1 << 5,	/* --workers N */
	OPT_DEMO = 1 << 6,	/* --demo */
	OPT_MAX_FILE = 1 << 7,	/* --max-file BYTES */
	OPT_PUBLIC_URL = 1 << 8,	/* --public-url URL */
	OPT_PAYEE = 1 << 9,	/* --payee-name, --payee-bank,
				   --payee-account, --payee-note TEXT */
	OPT_REQUIRE_2FA = 1 << 10	/* --require-2fa */
};

#define OPTS_MAX_REST		32

struct opts {
	const char	*db;
	const char	*listen;
	size_t		 max_body;
	size_t		 max_file;
	const char	*public_url;
	/* Where applicants pay (NULL: not given). */
	const char	*payee_name;
	const char	*payee_bank;
	const char	*payee_account;
	const char	*payee_note;
	const char	*port_file;
	const char	*socket;
	unsigned	 socket_mode;
	int		 workers;
	int		 demo;
	int		 require_2fa;	/* or ZIZHI_REQUIRE_2FA=1 */
	char		*rest[OPTS_MAX_REST];	/* non-option arguments */
	int		 nrest;
};

#define OPTS_DEFAULT_DB		"data/zizhi.db"
#define OPTS_DEFAULT_LISTEN	"127.0.0.1:8080"

/*
 * Parses argv[1..] accepting the options in allowed; other arguments
 * are left in rest. Prints a message and returns -1 on a bad option.
 */
int	opts_parse(struct opts *o, int argc, char *argv[], unsigned allowed);

#endif
