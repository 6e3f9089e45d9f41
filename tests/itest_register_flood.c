/*
 * itest_register_flood.c: registration is no longer a processor weapon
 * (issue 14, item 3). The probe: 32 clients posting /register from one
 * address (each post an argon2id hash of 64 MiB) took GET / behind nginx
 * from 1.2 ms to about 2 s median. Now a client address gets 5
 * registrations in 15 minutes and then 429 before any hash; a taken
 * address is answered without a hash. Measured through nginx + the
 * FastCGI workers: 32 processes post /register with new addresses as
 * fast as they are answered for 6 seconds while GET / is timed; its
 * median must stay under 250 ms and 9 in 10 under 1 s
 * (docs/security.md has the figures).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib_journey.h"

#define CLIENTS		32
#define SECONDS		6
#define MEDIAN_MAX	0.250
#define P90_MAX		1.0

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
test_flood(void **state)
{
	const char *url = getenv("ZIZHI_FCGI_URL");
	struct http_client *c;
	struct http_resp r;
	double t[200];
	pid_t pid[CLIENTS];
	int i, n = 0, status, created = 0, refused = 0, other = 0, fd[2];
	time_t end;
	char line[64];
	FILE *f;

	assert_non_null(url);
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'register:%'");
	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	end = time(NULL) + SECONDS;
	for (i = 0; i < CLIENTS; i++) {
		if ((pid[i] = fork()) == 0) {
			int k = 0, ok = 0, no = 0, bad = 0;
			char form[300];

			close(fd[0]);
			c = http_client_new(url);
			while (time(NULL) < end) {
				snprintf(form, sizeof(form), "org_name=%%E6%%B4"
				    "%%AA%%E6%%B0%%B4%%E5%%85%%AC%%E5%%8F%%B8&name="
				    "x&email=flood-%d-%d-%d%%40example.com&password"
				    "=a+good+long+password&password2=a+good+long+"
				    "password", (int)getpid(), i, k++);
				http_post_form(c, "/register", form, &r);
				if (r.status == 303)
					ok++;
				else if (r.status == 429)
					no++;
				else
					bad++;
				http_resp_free(&r);
			}
			http_client_free(c);
			snprintf(line, sizeof(line), "%d %d %d\n", ok, no, bad);
			if (write(fd[1], line, strlen(line)) < 0)
				_exit(1);
			_exit(0);
		}
		assert_true(pid[i] > 0);
	}
	close(fd[1]);
	/* GET / while they run, a request every 50 ms. */
	c = http_client_new(url);
	usleep(500 * 1000);
	while (time(NULL) < end && n < (int)(sizeof(t) / sizeof(t[0]))) {
		http_get(c, "/", &r);
		assert_int_equal(r.status, 200);
		t[n++] = r.seconds;
		http_resp_free(&r);
		usleep(50 * 1000);
	}
	http_client_free(c);
	for (i = 0; i < CLIENTS; i++) {
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	f = fdopen(fd[0], "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		int a, b, x;

		assert_int_equal(sscanf(line, "%d %d %d", &a, &b, &x), 3);
		created += a;
		refused += b;
		other += x;
	}
	fclose(f);
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	printf("  %d clients, %d s: /register answered %d x 303, %d x 429, "
	    "%d other; GET / x %d: median %.1f ms, 90%% %.1f ms, slowest "
	    "%.1f ms\n", CLIENTS, SECONDS, created, refused, other, n,
	    t[n / 2] * 1000, t[n * 9 / 10] * 1000, t[n - 1] * 1000);
	assert_true(n >= 10);
	assert_int_equal(other, 0);
	assert_true(created <= 5);
	assert_true(t[n / 2] < MEDIAN_MAX);
	assert_true(t[n * 9 / 10] < P90_MAX);
	tj_sql("DELETE FROM login_failure WHERE key LIKE 'register:%'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood),
	};

	if (getenv("ZIZHI_DB") == NULL || getenv("ZIZHI_FCGI_URL") == NULL) {
		fprintf(stderr, "run under tests/integration.sh\n");
		return 1;
	}
	return cmocka_run_group_tests_name("registration flood", tests, NULL,
	    NULL);
}
