/*
 * itest_serve_limits.c: `zizhi serve` must not fall over (issue 14, item
 * 9). A private server on a fresh database:
 *
 *  - 104 connections from each of five addresses (127.0.0.2-6), each
 *    sending the start of a request and then nothing more: a client from
 *    another address is still answered at once, and the slow connections
 *    the server accepted are cut off once their headers are overdue;
 *  - sixteen uploads of 60 MiB from sixteen addresses, stalled before
 *    their last bytes: the server holds a bounded amount of them in
 *    memory (its resident size stays well under a gigabyte), still
 *    answers, and answers 503 to an upload beyond the bound once it is
 *    complete.
 *
 * The whole of 127.0.0.0/8 is the loopback on Linux, so each "address"
 * is a source address this test binds its sockets to.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib_http.h"

#define SLOW_PER_ADDRESS	104
#define SLOW_ADDRESSES		5
#define BIG_UPLOADS		16
#define BIG_BYTES		(60u << 20)

static pid_t server;
static int port;
static char dir[300];

static int
run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
setup(void **state)
{
	char db[400], pf[400], log[400];
	FILE *f;
	int i;

	snprintf(dir, sizeof(dir), "%s/serve-limits-%d", getenv("ZIZHI_TMP"),
	    (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, sizeof(db), "%s/zizhi.db", dir);
	snprintf(pf, sizeof(pf), "%s/port", dir);
	snprintf(log, sizeof(log), "%s/serve.log", dir);
	assert_int_equal(run("'%s' init --db '%s' >/dev/null 2>&1",
	    getenv("ZIZHI_BIN"), db), 0);
	if ((server = fork()) == 0) {
		if (freopen(log, "w", stderr) == NULL)
			_exit(127);
		execl(getenv("ZIZHI_BIN"), "zizhi", "serve", "--listen",
		    "127.0.0.1:0", "--port-file", pf, "--db", db, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && port == 0; i++) {
		usleep(100 * 1000);
		if ((f = fopen(pf, "r")) != NULL) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
	}
	assert_true(port > 0);
	return 0;
}

static int
teardown(void **state)
{
	int st;

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, &st, 0);
	}
	return 0;
}

/* A socket from 127.0.0.SOURCE to the server, non-blocking; -1 when the
 * server refused it. */
static int
connect_from(int source)
{
	struct sockaddr_in me, to;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	me.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)source);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)port);
	to.sin_addr.s_addr = htonl(0x7f000001u);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* 1 when the server has closed fd (EOF, reset); 0 when it is open. */
static int
closed_by_server(int fd)
{
	char b[256];
	ssize_t n = recv(fd, b, sizeof(b), 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		return 1;
	return 0;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* GET / from 127.0.0.1 answers 200, in how many seconds. */
static double
answer_time(void)
{
	struct http_client *c;
	struct http_resp r;
	char url[64];
	double t0 = seconds();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	c = http_client_new(url);
	http_get(c, "/", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	http_client_free(c);
	return seconds() - t0;
}

/* The server's resident size, in MiB. */
static long
server_rss(void)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)server);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb / 1024;
}

static void
test_slow_headers(void **state)
{
	static int fds[SLOW_ADDRESSES * SLOW_PER_ADDRESS];
	static char was_open[SLOW_ADDRESSES * SLOW_PER_ADDRESS];
	const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
	int a, i, n = 0, open_now = 0, cut = 0;
	double t;

	for (a = 0; a < SLOW_ADDRESSES; a++)
		for (i = 0; i < SLOW_PER_ADDRESS; i++) {
			fds[n] = connect_from(2 + a);
			if (fds[n] >= 0 && send(fds[n], start, strlen(start),
			    MSG_NOSIGNAL) < 0) {
				close(fds[n]);
				fds[n] = -1;
			}
			n++;
		}
	usleep(500 * 1000);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0 && !closed_by_server(fds[i])) {
			was_open[i] = 1;
			open_now++;
		}
	/* Everyone else is answered at once. */
	t = answer_time();
	printf("  %d slow connections attempted, %d held open by the "
	    "server; GET / from another address in %.3f s\n", n, open_now, t);
	assert_true(t < 2.0);
	assert_true(open_now <= SLOW_ADDRESSES * 16);
	/* Their headers are overdue after 10 s: cut off. */
	sleep(13);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0) {
			if (was_open[i])
				cut += closed_by_server(fds[i]);
			close(fds[i]);
		}
	printf("  after 13 s: the %d slow connections that were open are "
	    "closed (%d)\n", open_now, cut);
	assert_int_equal(cut, open_now);
	assert_true(answer_time() < 2.0);
}

/*
 * The bound on the server's memory with the bodies stalled (MiB): the
 * buffered bodies' cap and the program. Under AddressSanitizer the
 * server also holds back up to 256 MiB of freed memory on purpose (its
 * quarantine, ASAN_OPTIONS quarantine_size_mb), which is no body.
 */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_RSS_MAX	(400 + 256)
#else
#define BIG_RSS_MAX	400
#endif

static void
test_big_bodies(void **state)
{
	static char chunk[1 << 20];
	char head[256];
	int fds[BIG_UPLOADS], i, k, flags;
	long rss0, rss;
	size_t sent, n;
	ssize_t w;
	double t;

	memset(chunk, 'x', sizeof(chunk));
	rss0 = server_rss();
	snprintf(head, sizeof(head), "POST /login HTTP/1.1\r\nHost: "
	    "127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: %u\r\n\r\n", BIG_BYTES);
	for (i = 0; i < BIG_UPLOADS; i++) {
		fds[i] = connect_from(20 + i);
		assert_true(fds[i] >= 0);
		/* Blocking while sending: the server reads as it can. */
		flags = fcntl(fds[i], F_GETFL);
		fcntl(fds[i], F_SETFL, flags & ~O_NONBLOCK);
		assert_true(send(fds[i], head, strlen(head), MSG_NOSIGNAL) > 0);
		/* All but the last megabyte: stalled. */
		for (sent = 0; sent < BIG_BYTES - sizeof(chunk); sent += n) {
			n = sizeof(chunk);
			w = send(fds[i], chunk, n, MSG_NOSIGNAL);
			assert_true(w > 0);
			n = (size_t)w;
		}
	}
	usleep(500 * 1000);
	rss = server_rss();
	t = answer_time();
	printf("  %d uploads of %u MiB stalled: the server's RSS %ld MiB "
	    "(%ld before); GET / in %.3f s\n", BIG_UPLOADS, BIG_BYTES >> 20,
	    rss, rss0, t);
	assert_true(rss > 0 && rss < BIG_RSS_MAX);
	assert_true(t < 2.0);
	/* Completed, the uploads beyond the bound are answered 503. */
	for (i = 0, k = 0; i < BIG_UPLOADS; i++) {
		char resp[256] = "";
		ssize_t got;

		for (sent = 0; sent < sizeof(chunk); sent += (size_t)w)
			if ((w = send(fds[i], chunk, sizeof(chunk) - sent,
			    MSG_NOSIGNAL)) <= 0)
				break;
		got = recv(fds[i], resp, sizeof(resp) - 1, 0);
		if (got > 0 && strncmp(resp, "HTTP/1.1 503", 12) == 0)
			k++;
		close(fds[i]);
	}
	printf("  %d of them answered 503 (the server was holding too "
	    "much)\n", k);
	assert_true(k > 0);
	assert_true(answer_time() < 2.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_headers),
		cmocka_unit_test(test_big_bodies),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
