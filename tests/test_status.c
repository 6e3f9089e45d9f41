/*
 * test_status.c: the status table against the schema's CHECK list
 * (status_check_schema: what `zizhi serve` refuses to start with), codes
 * that are not statuses, and certificate numbers as a person types them
 * (certno.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "certno.h"
#include "status.h"
#include "util.h"

/* The CHECK list of every status, in the table's order, with extra
 * words inserted before the closing parenthesis. */
static char *
check_list(const char *skip, const char *extra)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_printf(&b, "CREATE TABLE cases (status TEXT CHECK (status IN (");
	for (i = 0; i < ST__COUNT; i++)
		if (skip == NULL || strcmp(status_code((enum status)i),
		    skip) != 0)
			buf_printf(&b, "%s'%s'", i ? ", " : "",
			    status_code((enum status)i));
	buf_printf(&b, "%s)))", extra ? extra : "");
	return b.p;
}

static void
test_schema_check(void **state)
{
	char err[256], *sql;

	(void)state;
	sql = check_list(NULL, NULL);
	err[0] = '\0';
	assert_int_equal(status_check_schema(sql, err, sizeof(err)), 1);
	free(sql);

	assert_int_equal(status_check_schema(NULL, err, sizeof(err)), 0);
	assert_string_equal(err, "the cases table has no status CHECK");
	assert_int_equal(status_check_schema("CREATE TABLE cases (x)", err,
	    sizeof(err)), 0);
	assert_string_equal(err, "the cases table has no status CHECK");

	sql = check_list(NULL, ", 'frozen'");
	assert_int_equal(status_check_schema(sql, err, sizeof(err)), 0);
	assert_string_equal(err, "the schema's status CHECK has \"frozen\", "
	    "which the status table (status.c) does not have");
	free(sql);

	sql = check_list(NULL, ", 'issued'");
	assert_int_equal(status_check_schema(sql, err, sizeof(err)), 0);
	assert_string_equal(err, "the schema's status CHECK has a second "
	    "\"issued\", which the status table (status.c) has once");
	free(sql);

	sql = check_list("withdrawn", NULL);
	assert_int_equal(status_check_schema(sql, err, sizeof(err)), 0);
	assert_string_equal(err, "the schema's status CHECK lacks "
	    "\"withdrawn\" of the status table (status.c)");
	free(sql);
}

static void
test_unknown_codes(void **state)
{
	enum status st = ST_ISSUED;

	(void)state;
	assert_int_not_equal(status_parse("frozen", &st), 0);
	assert_int_not_equal(status_parse(NULL, &st), 0);
	assert_null(status_find("frozen"));
	assert_non_null(status_find("issued"));
	/* An unknown code reads as a draft (and is logged). */
	assert_int_equal(status_of("frozen"), ST_DRAFT);
	assert_int_equal(status_of(NULL), ST_DRAFT);
	assert_int_equal(status_of("issued"), ST_ISSUED);
}

static void
test_certno_clean(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		const char	*out;
	} cases[] = {
		{ "CNITSEC2026SE2-0001", 0, "CNITSEC2026SE2-0001" },
		{ "  cnitsec2026se2-0042\t\n", 0, "CNITSEC2026SE2-0042" },
		/* The ideographic space around it, full-width letters,
		 * digits and hyphen inside. */
		{ "\xe3\x80\x80ＣＮＩＴＳＥＣ２０２６ＳＥ２－０００７\xe3\x80\x80", 0,
		    "CNITSEC2026SE2-0007" },
		{ "cnitsec２０２６se2-0007", 0, "CNITSEC2026SE2-0007" },
		{ "", 1, "" },
		{ " \xe3\x80\x80 ", 1, "" },
		{ "CNITSEC2026SE2-001", -1, "" },	/* sequence too short */
		{ "CNITSEC20X6SE2-0001", -1, "" },
		{ "CNITSEC2026SE3-0001", -1, "" },
		{ "CNITSEC2026SE2-00a1", -1, "" },
		{ "XNITSEC2026SE2-0001", -1, "" },
		{ "CNITSEC2026SE2-0001证", -1, "" },	/* not ASCII */
		{ "CNITSEC2026SE2-\xef\xbd\x9f", -1, "" }, /* past U+FF5E */
		{ "CNITSEC2026SE2-00000000000000000000000001", -1, "" },
	};
	char out[CERTNO_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'z', sizeof(out));
		if (certno_clean(cases[i].in, out, sizeof(out)) !=
		    cases[i].rc || strcmp(out, cases[i].out) != 0)
			fail_msg("certno_clean(\"%s\"): \"%s\"", cases[i].in,
			    out);
	}
	assert_int_equal(certno_clean(NULL, out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(certno_clean("x", out, 0), -1);
	/* Room for less than the number: not a number. */
	assert_int_equal(certno_clean("CNITSEC2026SE2-0001", out, 10), -1);
	assert_int_equal(certno_valid(NULL), 0);
	assert_int_equal(certno_valid("CNITSEC2026SE2-0001"), 1);
	assert_int_equal(certno_valid("CNITSEC2026SE2-"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_check),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_certno_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
