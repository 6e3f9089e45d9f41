/*
 * opts.c: shared command-line options.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "opts.h"
#include "valid.h"

static int
number(const char *cmd, const char *opt, const char *v, int base,
    unsigned long long min, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, base);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 ||
	    *out < min || *out > max) {
		fprintf(stderr, "zizhi %s: %s wants a number from %llu to "
		    "%llu, got \"%s\"\n", cmd, opt, min, max, v);
		return -1;
	}
	return 0;
}

/* The site's address for links: http(s)://host[:port], no slash at the
 * end, nothing a link or a header could be broken by. */
int
opts_public_url_ok(const char *cmd, const char *what, const char *v)
{
	const char *p;

	if ((strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0) &&
	    v[strlen(v) - 1] != '/' && strpbrk(v, " \"'<>\\") == NULL) {
		for (p = v; *p != '\0' && (unsigned char)*p > 0x20 &&
		    (unsigned char)*p < 0x7f; p++)
			;
		if (*p == '\0')
			return 1;
	}
	fprintf(stderr, "zizhi %s: %s wants the site's address, "
	    "http(s)://host[:port] without a trailing slash, e.g. "
	    "https://zizhi.example.cn; got \"%s\"\n", cmd, what, v);
	return 0;
}

#define SHANGHAI	(8 * 3600)	/* UTC+8, no daylight saving */

int
opts_moment(const char *s, long long real_now, long long *out)
{
	char day[11];
	zdate d;
	long long tod;
	int h, m;

	if (strlen(s) != 10 && strlen(s) != 16)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != 0)
		return -1;
	if (s[10] == '\0')
		tod = ((real_now + SHANGHAI) % 86400 + 86400) % 86400;
	else {
		if (s[10] != 'T' || s[13] != ':' || s[11] < '0' || s[11] > '9' ||
		    s[12] < '0' || s[12] > '9' || s[14] < '0' || s[14] > '9' ||
		    s[15] < '0' || s[15] > '9')
			return -1;
		h = (s[11] - '0') * 10 + (s[12] - '0');
		m = (s[14] - '0') * 10 + (s[15] - '0');
		if (h > 23 || m > 59)
			return -1;
		tod = h * 3600 + m * 60;
	}
	*out = (long long)d * 86400 + tod - SHANGHAI;
	return 0;
}

/* Words printed on the agreement: 1..max bytes of UTF-8 on one line,
 * without control characters (valid.h's text rule). */
static int
payee_ok(const char *cmd, const char *what, const char *v, size_t max)
{
	if (valid_text(v, 1, max, 0))
		return 1;
	fprintf(stderr, "zizhi %s: %s wants 1 to %zu characters of UTF-8 text "
	    "without line breaks or control characters; got \"%s\"\n", cmd,
	    what, max, v);
	return 0;
}

#define PAYEE_MAX	200	/* characters: name, bank, account */
#define PAYEE_NOTE_MAX	1000	/* characters: how to pay */

/* The payee from the environment, checked. */
static int
payee_env(struct opts *o, const char *cmd)
{
	static const struct {
		const char	*env;
		size_t		 max;
		size_t		 off;
	} vars[] = {
		{ "ZIZHI_PAYEE_NAME", PAYEE_MAX, offsetof(struct opts,
		    payee_name) },
		{ "ZIZHI_PAYEE_BANK", PAYEE_MAX, offsetof(struct opts,
		    payee_bank) },
		{ "ZIZHI_PAYEE_ACCOUNT", PAYEE_MAX, offsetof(struct opts,
		    payee_account) },
		{ "ZIZHI_PAYEE_NOTE", PAYEE_NOTE_MAX, offsetof(struct opts,
		    payee_note) },
	};
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i].env)) == NULL)
			continue;
		if (!payee_ok(cmd, vars[i].env, v, vars[i].max))
			return -1;
		*(const char **)(void *)((char *)o + vars[i].off) = v;
	}
	return 0;
}

int
opts_parse(struct opts *o, int argc, char *argv[], unsigned allowed)
{
	static const struct {
		const char	*name;
		unsigned	 flag;
		int		 has_value;
	} known[] = {
		{ "--db", OPT_DB, 1 },
		{ "--listen", OPT_LISTEN, 1 },
		{ "--max-body", OPT_MAX_BODY, 1 },
		{ "--max-file", OPT_MAX_FILE, 1 },
		{ "--public-url", OPT_PUBLIC_URL, 1 },
		{ "--payee-name", OPT_PAYEE, 1 },
		{ "--payee-bank", OPT_PAYEE, 1 },
		{ "--payee-account", OPT_PAYEE, 1 },
		{ "--payee-note", OPT_PAYEE, 1 },
		{ "--port-file", OPT_PORT_FILE, 1 },
		{ "--socket", OPT_SOCKET, 1 },
		{ "--socket-mode", OPT_SOCKET, 1 },
		{ "--workers", OPT_WORKERS, 1 },
		{ "--demo", OPT_DEMO, 0 },
		{ "--now", OPT_NOW, 1 },
		{ "--require-2fa", OPT_REQUIRE_2FA, 0 },
		{ NULL, 0, 0 }
	};
	const char *cmd = argv[0], *v;
	unsigned long long n;
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	o->db = getenv("ZIZHI_DB") ? getenv("ZIZHI_DB") : OPTS_DEFAULT_DB;
	o->public_url = getenv("ZIZHI_PUBLIC_URL");
	if (o->public_url != NULL && (allowed & OPT_PUBLIC_URL) &&
	    !opts_public_url_ok(cmd, "ZIZHI_PUBLIC_URL", o->public_url))
		return -1;
	if ((allowed & OPT_PAYEE) && payee_env(o, cmd) != 0)
		return -1;
	v = getenv("ZIZHI_REQUIRE_2FA");
	o->require_2fa = v != NULL && strcmp(v, "1") == 0;
	o->listen = OPTS_DEFAULT_LISTEN;
	o->socket_mode = 0660;
	o->workers = 1;
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (o->nrest == OPTS_MAX_REST) {
				fprintf(stderr, "zizhi %s: too many arguments\n",
				    cmd);
				return -1;
			}
			o->rest[o->nrest++] = argv[i];
			continue;
		}
		for (k = 0; known[k].name != NULL; k++)
			if (strcmp(argv[i], known[k].name) == 0)
				break;
		if (known[k].name != NULL && known[k].flag == OPT_NOW &&
		    !(allowed & OPT_NOW)) {
			fprintf(stderr, "zizhi %s: --now sets a development "
			    "clock and is for `zizhi serve` only; production "
			    "runs on the real clock\n", cmd);
			return -1;
		}
		if (known[k].name == NULL || !(known[k].flag & allowed)) {
			fprintf(stderr, "zizhi %s: unknown option %s "
			    "(see `zizhi help`)\n", cmd, argv[i]);
			return -1;
		}
		v = NULL;
		if (known[k].has_value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "zizhi %s: %s needs a value\n",
				    cmd, argv[i]);
				return -1;
			}
			v = argv[++i];
		}
		if (strcmp(known[k].name, "--db") == 0)
			o->db = v;
		else if (strcmp(known[k].name, "--listen") == 0)
			o->listen = v;
		else if (strcmp(known[k].name, "--port-file") == 0)
			o->port_file = v;
		else if (strcmp(known[k].name, "--socket") == 0)
			o->socket = v;
		else if (strcmp(known[k].name, "--public-url") == 0) {
			if (!opts_public_url_ok(cmd, "--public-url", v))
				return -1;
			o->public_url = v;
		} else if (strcmp(known[k].name, "--now") == 0) {
			long long real = (long long)time(NULL), at;

			if (opts_moment(v, real, &at) != 0) {
				fprintf(stderr, "zizhi %s: --now wants "
				    "YYYY-MM-DD or YYYY-MM-DDTHH:MM (Beijing "
				    "time), got \"%s\"\n", cmd, v);
				return -1;
			}
			o->now = v;
			o->clock_offset = at - real;
		} else if (strncmp(known[k].name, "--payee-", 8) == 0) {
			if (!payee_ok(cmd, known[k].name, v, strcmp(
			    known[k].name, "--payee-note") == 0 ?
			    PAYEE_NOTE_MAX : PAYEE_MAX))
				return -1;
			if (strcmp(known[k].name, "--payee-name") == 0)
				o->payee_name = v;
			else if (strcmp(known[k].name, "--payee-bank") == 0)
				o->payee_bank = v;
			else if (strcmp(known[k].name, "--payee-account") == 0)
				o->payee_account = v;
			else
				o->payee_note = v;
		} else if (strcmp(known[k].name, "--demo") == 0)
			o->demo = 1;
		else if (strcmp(known[k].name, "--require-2fa") == 0)
			o->require_2fa = 1;
		else if (strcmp(known[k].name, "--max-body") == 0) {
			if (number(cmd, argv[i - 1], v, 10, 0, 1ULL << 32, &n))
				return -1;
			o->max_body = (size_t)n;
		} else if (strcmp(known[k].name, "--max-file") == 0) {
			if (number(cmd, argv[i - 1], v, 10, 0, 1ULL << 32, &n))
				return -1;
			o->max_file = (size_t)n;
		} else if (strcmp(known[k].name, "--socket-mode") == 0) {
			if (number(cmd, argv[i - 1], v, 8, 0, 0777, &n))
				return -1;
			o->socket_mode = (unsigned)n;
		} else if (strcmp(known[k].name, "--workers") == 0) {
			if (number(cmd, argv[i - 1], v, 10, 1, 64, &n))
				return -1;
			o->workers = (int)n;
		}
	}
	return 0;
}
