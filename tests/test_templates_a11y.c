/*
 * test_templates_a11y.c: issue 17 (WCAG 2.1 AA, 1.3.1 / 3.3.1 and
 * 2.1.1), read off every template in templates/ so that a form or a
 * table added later is held to it too:
 *  - a field an error is linked to (aria-describedby "...-error") says
 *    it is invalid (aria-invalid);
 *  - every error message ("X-error") is linked to its field or group;
 *  - a table that scrolls sideways (.table-scroll) can be scrolled by
 *    keyboard (tabindex="0", a region with a name).
 * axe-core in the browser journey checks the pages it renders; this
 * checks the templates, whichever branch of them a journey renders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib_json.h"

#ifndef TEMPLATE_DIR
#define TEMPLATE_DIR	"templates"
#endif

/* The line of p in s, for the message. */
static int
line_of(const char *s, const char *p)
{
	int n = 1;

	for (; s < p; s++)
		n += *s == '\n';
	return n;
}

/* The end of the tag that starts at p (its '>'), or NULL. */
static const char *
tag_end(const char *p)
{
	return strchr(p, '>');
}

/* Whether [p, e) holds needle. */
static int
has(const char *p, const char *e, const char *needle)
{
	size_t n = strlen(needle);

	for (; p + n <= e; p++)
		if (memcmp(p, needle, n) == 0)
			return 1;
	return 0;
}

/* Problems of one template, each printed; how many. */
static int
check(const char *name, const char *s)
{
	static const char *const fields[] = { "<input", "<select",
	    "<textarea", NULL };
	const char *p, *e, *id, *q;
	char ref[200];
	int bad = 0, i;
	size_t n;

	for (i = 0; fields[i] != NULL; i++)
		for (p = s; (p = strstr(p, fields[i])) != NULL; p = e) {
			if ((e = tag_end(p)) == NULL)
				break;
			if (has(p, e, "-error") && !has(p, e, "aria-invalid")) {
				print_message("%s:%d: a field linked to its "
				    "error without aria-invalid\n", name,
				    line_of(s, p));
				bad++;
			}
		}
	for (p = s; (p = strstr(p, "class=\"table-scroll\"")) != NULL; p = e) {
		if ((e = tag_end(p)) == NULL)
			break;
		if (!has(p, e, "tabindex=\"0\"") || !has(p, e, "aria-label")) {
			print_message("%s:%d: a scrolling table the keyboard "
			    "cannot reach\n", name, line_of(s, p));
			bad++;
		}
	}
	/* id="X-error" with a plain X: some aria-describedby names it. */
	for (p = s; (p = strstr(p, " id=\"")) != NULL; p = e) {
		id = p + 5;
		if ((e = strchr(id, '"')) == NULL)
			break;
		n = (size_t)(e - id);
		if (n < 7 || n >= sizeof(ref) - 1 || memcmp(e - 6, "-error",
		    6) != 0 || memchr(id, '{', n) != NULL)
			continue;
		memcpy(ref, id, n);
		ref[n] = '\0';
		for (q = s; (q = strstr(q, "aria-describedby=\"")) != NULL;
		    q++) {
			const char *qe = tag_end(q);

			if (qe != NULL && has(q, qe, ref))
				break;
		}
		if (q == NULL) {
			print_message("%s:%d: error %s is not linked to its "
			    "field\n", name, line_of(s, p), ref);
			bad++;
		}
	}
	return bad;
}

static void
test_templates(void **state)
{
	DIR *dp = opendir(TEMPLATE_DIR);
	struct dirent *de;
	char path[512], err[200], *s;
	int bad = 0, files = 0;
	size_t n;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", TEMPLATE_DIR,
		    de->d_name);
		s = json_read_file(path, NULL, err, sizeof(err));
		assert_non_null(s);
		bad += check(de->d_name, s);
		files++;
		free(s);
	}
	closedir(dp);
	assert_true(files > 50);
	assert_int_equal(bad, 0);
}

/* The check can fail: a template with each problem is caught. */
static void
test_planted(void **state)
{
	assert_int_equal(check("planted",
	    "<span class=\"field-error\" id=\"a-error\">x</span>"
	    "<input id=\"a\" aria-describedby=\"a-error\">"
	    "<div class=\"table-scroll\"><table></table></div>"
	    "<span class=\"field-error\" id=\"b-error\">y</span>"
	    "<input id=\"b\">"), 3);
	assert_int_equal(check("clean",
	    "<span class=\"field-error\" id=\"a-error\">x</span>"
	    "<input id=\"a\" aria-describedby=\"a-help a-error\" "
	    "aria-invalid=\"true\">"
	    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
	    "aria-label=\"t\"><table></table></div>"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_templates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
