/*
 * test_form_rows.c: the row buttons of the application form's groups
 * (pages_form.c), through the pages in this process: "add" gives the
 * group one more empty row and saves nothing; "remove" takes out the
 * row named, keeps what was typed in the others and saves nothing; a
 * row that is not there removes nothing; a row count that does not
 * parse is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib_dom.h"
#include "testlib_http.h"
#include "util.h"

/* POSTs form (without the token) to the section s5 of case id as the
 * applicant, with the token of the section's page; the answer in *r. */
static void
post_s5(long long id, const char *form, struct http_resp *r)
{
	struct http_client *c = td_client(TD_APPLICANT);
	char path[64], *body;
	const char *p;
	size_t n;

	snprintf(path, sizeof(path), "/cases/%lld/form/s5", id);
	http_get(c, path, r);
	assert_int_equal(r->status, 200);
	assert_non_null(p = strstr(r->body.p, "name=\"csrf\" value=\""));
	p += strlen("name=\"csrf\" value=\"");
	n = strcspn(p, "\"");
	body = malloc(n + strlen(form) + 8);
	snprintf(body, n + strlen(form) + 8, "csrf=%.*s&%s", (int)n, p, form);
	http_resp_free(r);
	http_post_form(c, path, body, r);
	free(body);
	http_client_free(c);
}

static long long
stored_products(long long id)
{
	return td_int("SELECT count(*) FROM form_value WHERE case_id = ?1 "
	    "AND field = 'prod_name'", id);
}

static void
test_rows(void **state)
{
	long long id = td_case(ST_DRAFT, 0, NULL);
	struct http_resp r;

	(void)state;
	post_s5(id, "products._rows=2&prod_name.0=%E7%94%B2%E4%BA%A7%E5%93%81"
	    "&prod_kind.0=%E9%98%B2%E7%81%AB%E5%A2%99&prod_name.1=%E4%B9%99%E4"
	    "%BA%A7%E5%93%81&prod_kind.1=%E6%89%AB%E6%8F%8F&remove=products.0",
	    &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.p, "乙产品"));
	assert_null(strstr(r.body.p, "甲产品"));
	http_resp_free(&r);

	post_s5(id, "products._rows=1&prod_name.0=%E7%94%B2%E4%BA%A7%E5%93%81"
	    "&remove=products.7", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.p, "甲产品"));
	assert_non_null(strstr(r.body.p, "prod_name.0"));
	http_resp_free(&r);

	post_s5(id, "products._rows=1&prod_name.0=%E7%94%B2%E4%BA%A7%E5%93%81"
	    "&add=products", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.p, "甲产品"));
	assert_non_null(strstr(r.body.p, "prod_name.1"));
	http_resp_free(&r);

	post_s5(id, "products._rows=x&prod_name.0=a", &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	/* None of these saved anything. */
	assert_int_equal(stored_products(id), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, td_setup, td_teardown);
}
