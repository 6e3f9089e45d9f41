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
	OPT_REQUIRE_2FA = 1 << 10,	/* --require-2fa */
	OPT_NOW = 1 << 11	/* --now YYYY-MM-DD[THH:MM], development */
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
	/* --now: seconds added to the real clock, so that the first moment
	 * is the one asked for (Asia/Shanghai) and time runs on from it. */
	long long	 clock_offset;
	const char	*now;		/* as given, or NULL */
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

/*
 * A moment "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" in Asia/Shanghai as unix
 * seconds; a day alone takes the time of day of real_now. 0, or -1 when
 * it is not such a moment.
 */
int	opts_moment(const char *s, long long real_now, long long *out);

/* 1 when v is a site address for links (http(s)://host[:port], no
 * slash at the end); else 0 with a message naming cmd and what. */
int	opts_public_url_ok(const char *cmd, const char *what, const char *v);

#endif
