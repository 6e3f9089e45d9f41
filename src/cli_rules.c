/*
 * cli_rules.c: `zizhi rules …`, the rules module on the command line for
 * staff scripts. Each call prints one JSON object and a newline on
 * stdout (money in 分, dates YYYY-MM-DD). Exit status: 0 done (for uscc:
 * valid), 1 uscc invalid, 2 usage or malformed argument (message on
 * stderr). See docs/rules.md.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "rules.h"
#include "util.h"

static const char usage_text[] =
    "usage: zizhi rules fee initial\n"
    "       zizhi rules fee maintenance EXPIRY FILED\n"
    "       zizhi rules window EXPIRY FILED\n"
    "       zizhi rules deadline SENT\n"
    "       zizhi rules validity ISSUED\n"
    "       zizhi rules retention CLOSED\n"
    "       zizhi rules cisp ENGINEERING_STAFF\n"
    "       zizhi rules clock SUBMITTED NOW [FROM..TO | FROM..] ...\n"
    "       zizhi rules uscc CODE\n"
    "Dates are YYYY-MM-DD. Output is one JSON object (money in fen).\n";

static int
usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int bad(const char *fmt, ...) ZZ_PRINTF(1, 2);

static int
bad(const char *fmt, ...)
{
	va_list ap;

	fputs("zizhi rules: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* Parses a date argument; on error prints why and returns -1. */
static int
arg_date(const char *name, const char *s, zdate *d)
{
	if (date_parse(s, d) == 0)
		return 0;
	bad("%s: \"%s\" is not a date (expected YYYY-MM-DD, a real calendar "
	    "date, year 1900 to 9999)", name, s);
	return -1;
}

static void
json_date(struct buf *b, zdate d)
{
	char s[DATE_BUFSZ];

	buf_json(b, date_format(d, s));
}

/* Prints the object in b and a newline on stdout, frees b; returns 0. */
static int
emit(struct buf *b)
{
	buf_putc(b, '\n');
	fwrite(b->p, 1, b->n, stdout);
	fflush(stdout);
	buf_free(b);
	return 0;
}

static int
cmd_fee(const struct rules *r, int argc, char *argv[])
{
	struct rules_fee f;
	struct buf b;
	zdate expiry, filed;

	if (argc == 3 && strcmp(argv[2], "initial") == 0)
		rules_fee_initial(r, &f);
	else if (argc == 5 && strcmp(argv[2], "maintenance") == 0) {
		if (arg_date("EXPIRY", argv[3], &expiry) == -1 ||
		    arg_date("FILED", argv[4], &filed) == -1)
			return 2;
		rules_fee_maintenance(r, expiry, filed, &f);
	} else
		return bad("usage: zizhi rules fee initial | "
		    "zizhi rules fee maintenance EXPIRY FILED");
	buf_init(&b);
	buf_printf(&b, "{\"audit\":%lld,\"annual\":%lld,\"total\":%lld,"
	    "\"treated_as\":", (long long)f.audit, (long long)f.annual,
	    (long long)f.total);
	buf_json(&b, rules_apptype_code(f.treated_as));
	buf_putc(&b, '}');
	return emit(&b);
}

static int
cmd_window(const struct rules *r, int argc, char *argv[])
{
	struct rules_window w;
	struct rules_fee f;
	struct buf b;
	zdate expiry, filed;

	if (argc != 4)
		return bad("usage: zizhi rules window EXPIRY FILED");
	if (arg_date("EXPIRY", argv[2], &expiry) == -1 ||
	    arg_date("FILED", argv[3], &filed) == -1)
		return 2;
	rules_maint_window(r, expiry, filed, &w);
	rules_fee_maintenance(r, expiry, filed, &f);
	buf_init(&b);
	buf_puts(&b, "{\"class\":");
	buf_json(&b, rules_maint_class_code(w.class));
	buf_puts(&b, ",\"on_time_until\":");
	json_date(&b, w.on_time_until);
	buf_printf(&b, ",\"fee_total\":%lld}", (long long)f.total);
	return emit(&b);
}

/* deadline, validity, retention: one date in, one date out. */
static int
cmd_date1(const struct rules *r, int argc, char *argv[])
{
	struct buf b;
	const char *name, *key;
	zdate d, out;

	if (strcmp(argv[1], "deadline") == 0) {
		name = "SENT";
		key = "due";
	} else if (strcmp(argv[1], "validity") == 0) {
		name = "ISSUED";
		key = "expires";
	} else {
		name = "CLOSED";
		key = "dispose_from";
	}
	if (argc != 3)
		return bad("usage: zizhi rules %s %s", argv[1], name);
	if (arg_date(name, argv[2], &d) == -1)
		return 2;
	if (strcmp(key, "due") == 0)
		out = rules_supplement_due(r, d);
	else if (strcmp(key, "expires") == 0)
		out = rules_cert_expires(r, d);
	else
		out = rules_dispose_from(r, d);
	buf_init(&b);
	buf_printf(&b, "{\"%s\":", key);
	json_date(&b, out);
	buf_putc(&b, '}');
	return emit(&b);
}

static int
cmd_cisp(const struct rules *r, int argc, char *argv[])
{
	struct buf b;
	const char *p;
	long n;

	if (argc != 3)
		return bad("usage: zizhi rules cisp ENGINEERING_STAFF");
	for (p = argv[2]; *p >= '0' && *p <= '9'; p++)
		continue;
	if (p == argv[2] || *p != '\0' || p - argv[2] > 9)
		return bad("ENGINEERING_STAFF: \"%s\" is not a whole number "
		    "from 0 to 999999999", argv[2]);
	n = strtol(argv[2], NULL, 10);
	buf_init(&b);
	buf_printf(&b, "{\"min_cisp\":%d}", rules_min_cisp(r, (int)n));
	return emit(&b);
}

/* Parses "FROM..TO" or "FROM.." into sp; prints why and returns -1. */
static int
arg_span(const char *s, struct rules_span *sp)
{
	const char *dots;
	char from[16];
	size_t len;

	dots = strstr(s, "..");
	if (dots == NULL || (len = (size_t)(dots - s)) >= sizeof(from)) {
		bad("span \"%s\": expected FROM..TO or FROM.. "
		    "(dates YYYY-MM-DD)", s);
		return -1;
	}
	memcpy(from, s, len);
	from[len] = '\0';
	if (date_parse(from, &sp->from) == -1) {
		bad("span \"%s\": FROM \"%s\" is not a date (expected "
		    "YYYY-MM-DD)", s, from);
		return -1;
	}
	if (dots[2] == '\0') {
		sp->to = DATE_NONE;
		return 0;
	}
	if (date_parse(dots + 2, &sp->to) == -1) {
		bad("span \"%s\": TO \"%s\" is not a date (expected "
		    "YYYY-MM-DD)", s, dots + 2);
		return -1;
	}
	return 0;
}

static int
cmd_clock(const struct rules *r, int argc, char *argv[])
{
	struct rules_span *spans;
	struct rules_clock c;
	struct buf b;
	zdate submitted, now, prev;
	size_t n, i;
	int rc = 2;

	if (argc < 4)
		return bad("usage: zizhi rules clock SUBMITTED NOW "
		    "[FROM..TO | FROM..] ...");
	if (arg_date("SUBMITTED", argv[2], &submitted) == -1 ||
	    arg_date("NOW", argv[3], &now) == -1)
		return 2;
	if (now < submitted)
		return bad("NOW %s is before SUBMITTED %s", argv[3], argv[2]);
	n = (size_t)(argc - 4);
	spans = xcalloc(n, sizeof(*spans));
	prev = submitted;
	for (i = 0; i < n; i++) {
		if (arg_span(argv[4 + i], &spans[i]) == -1)
			goto out;
		if (spans[i].from < prev) {
			bad("span \"%s\" starts before %s (spans must follow "
			    "SUBMITTED and each other, without overlapping)",
			    argv[4 + i], i == 0 ? "SUBMITTED" :
			    "the previous span ends");
			goto out;
		}
		if (spans[i].to == DATE_NONE) {
			if (i != n - 1) {
				bad("span \"%s\" is open: only the last span "
				    "may be open", argv[4 + i]);
				goto out;
			}
		} else if (spans[i].to < spans[i].from) {
			bad("span \"%s\" ends before it starts", argv[4 + i]);
			goto out;
		} else
			prev = spans[i].to;
	}
	if (rules_clock_spans(r, submitted, now, spans, n, &c) == -1) {
		bad("inconsistent clock arguments");
		goto out;
	}
	buf_init(&b);
	buf_printf(&b, "{\"net_days\":%ld,\"paused_days\":%ld,\"target\":",
	    (long)c.net_days, (long)c.paused_days);
	json_date(&b, c.target);
	buf_puts(&b, ",\"limit\":");
	json_date(&b, c.limit);
	buf_puts(&b, ",\"state\":");
	buf_json(&b, rules_clock_state_code(c.state));
	buf_putc(&b, '}');
	rc = emit(&b);
out:
	free(spans);
	return rc;
}

static int
cmd_uscc(const struct rules *r, int argc, char *argv[])
{
	enum uscc_reason why;
	struct buf b;

	if (argc != 3)
		return bad("usage: zizhi rules uscc CODE");
	why = uscc_validate(argv[2]);
	buf_init(&b);
	if (why == USCC_OK)
		buf_puts(&b, "{\"valid\":true,\"reason\":null}");
	else {
		buf_puts(&b, "{\"valid\":false,\"reason\":");
		buf_json(&b, uscc_reason_code(why));
		buf_putc(&b, '}');
	}
	emit(&b);
	return why == USCC_OK ? 0 : 1;
}

int
cli_rules(int argc, char *argv[])
{
	const struct rules *r = rules_default();
	const char *cmd;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "--help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "fee") == 0)
		return cmd_fee(r, argc, argv);
	if (strcmp(cmd, "window") == 0)
		return cmd_window(r, argc, argv);
	if (strcmp(cmd, "deadline") == 0 || strcmp(cmd, "validity") == 0 ||
	    strcmp(cmd, "retention") == 0)
		return cmd_date1(r, argc, argv);
	if (strcmp(cmd, "cisp") == 0)
		return cmd_cisp(r, argc, argv);
	if (strcmp(cmd, "clock") == 0)
		return cmd_clock(r, argc, argv);
	if (strcmp(cmd, "uscc") == 0)
		return cmd_uscc(r, argc, argv);
	fprintf(stderr, "zizhi rules: unknown subcommand \"%s\"\n", cmd);
	return usage();
}
