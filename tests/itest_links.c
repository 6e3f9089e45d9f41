/*
 * itest_links.c: links in e-mail never come from the request (issue 14,
 * item 1). A password reset asked for with a forged Host header, through
 * both doors, mails a link to the site's configured address (serve: its
 * own listening address; fcgi: --public-url, which it cannot start
 * without), never to the forged host.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib_http.h"
#include "testlib_journey.h"

static void
test_reset_link_poisoning(void **state)
{
	const char *urls[2] = { getenv("ZIZHI_SERVE_URL"),
	    getenv("ZIZHI_FCGI_URL") };
	const char *const hosts[] = { "Host: attacker.example",
	    "Host: attacker.example:80", NULL };
	struct http_client *c;
	struct http_resp r;
	char email[128], form[256], sql[512], want[160], *body, *e;
	int d;

	for (d = 0; d < 2; d++) {
		c = tj_applicant(urls[d], "链接测试信息安全有限公司");
		http_get(c, "/account/password", &r);
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT email FROM account ORDER BY "
		    "id DESC LIMIT 1");
		body = tj_sql_text(sql);
		snprintf(email, sizeof(email), "%s", body);
		free(body);
		http_client_free(c);

		c = http_client_new(urls[d]);
		e = http_urlencode(email);
		snprintf(form, sizeof(form), "email=%s", e);
		free(e);
		http_do(c, "POST", "/password/forgot", form, strlen(form),
		    "application/x-www-form-urlencoded", hosts, &r);
		assert_int_equal(r.status, 303);
		http_resp_free(&r);
		http_client_free(c);

		snprintf(sql, sizeof(sql), "SELECT replace(body, "
		    "'[[SECRET]]', secret) FROM outbox WHERE to_addr = '%s' "
		    "ORDER BY id DESC LIMIT 1", email);
		body = tj_sql_text(sql);
		assert_non_null(body);
		snprintf(want, sizeof(want), "%s/password/reset?token=",
		    urls[d]);
		if (strstr(body, want) == NULL || strstr(body,
		    "attacker.example") != NULL)
			fail_msg("%s: the reset e-mail does not link to %s "
			    "alone:\n%s", urls[d], want, body);
		printf("  %s: Host forged, the link is %s...\n", urls[d],
		    want);
		free(body);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_link_poisoning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
