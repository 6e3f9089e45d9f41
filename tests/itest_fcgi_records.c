/*
 * itest_fcgi_records.c: FastCGI records crafted to make libfcgi allocate
 * gigabytes (CVE-2025-23016's class: Debian's libfcgi aborts the worker
 * on them) are refused before libfcgi reads them (issue 14, item 10).
 * Sent straight to the integration run's worker socket ($ZIZHI_TMP/
 * fcgi.sock): every one is closed at once, no worker dies (the
 * supervisor's log, $ZIZHI_TMP/fcgi.log, says nothing ended), and the
 * nginx door answers throughout. A sound request that arrives in pieces,
 * with pauses between them, is waited for and answered; one that stops
 * half-way is closed after the worker's wait (FCGI_PEEK_MS, 2 s). A POST
 * whose body's closing record comes late is answered, and the worker
 * reads that record before it closes (a plain close would make nginx's
 * late write fail: a 502); one whose body is over the limit is answered
 * 413 and the rest of its body still read. A worker told to stop (SIGTERM) while it
 * waits for a request's records still answers that request, then ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib_http.h"

/* Appends a record of type t with content c (n bytes) to out at *len. */
static void
record(unsigned char *out, size_t *len, int t, const unsigned char *c,
    size_t n)
{
	unsigned char *h = out + *len;

	h[0] = 1;
	h[1] = (unsigned char)t;
	h[2] = 0;
	h[3] = 1;
	h[4] = (unsigned char)(n >> 8);
	h[5] = (unsigned char)n;
	h[6] = 0;
	h[7] = 0;
	memcpy(h + 8, c, n);
	*len += 8 + n;
}

/* A connection to the socket in dir, receiving for at most secs. */
static int
connect_at(const char *dir, int secs)
{
	struct sockaddr_un sa;
	struct timeval tv = { secs, 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/fcgi.sock", dir);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* A connection to the integration run's worker socket. */
static int
connect_worker(int secs)
{
	return connect_at(getenv("ZIZHI_TMP"), secs);
}

/* Sends msg to the worker socket; 1 when the worker closed the
 * connection within a second without answering. */
static int
refused(const unsigned char *msg, size_t len)
{
	char buf[64];
	int fd = connect_worker(2);
	ssize_t got;
	time_t t0 = time(NULL);

	if (send(fd, msg, len, MSG_NOSIGNAL) < 0) {
		close(fd);
		return 1;
	}
	got = recv(fd, buf, sizeof(buf), 0);
	close(fd);
	return got <= 0 && time(NULL) - t0 <= 1;
}

/* A BEGIN_REQUEST for a responder, then one name-value pair with the
 * given lengths (in the four-byte form) and 16 bytes, with or without
 * the empty PARAMS record that ends the stream. */
static size_t
crafted(unsigned char *out, unsigned long nl, unsigned long vl, int end)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char p[24];
	size_t len = 0;
	int i;

	record(out, &len, 1, begin, sizeof(begin));
	for (i = 0; i < 4; i++) {
		p[i] = (unsigned char)((0x80000000ul | nl) >> (24 - 8 * i));
		p[4 + i] = (unsigned char)((0x80000000ul | vl) >> (24 - 8 * i));
	}
	memset(p + 8, 'A', 16);
	record(out, &len, 4, p, sizeof(p));
	if (end)
		record(out, &len, 4, p, 0);
	return len;
}

/* A name-value pair in the one-byte length form, at p; its end. */
static unsigned char *
pair(unsigned char *p, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	*p++ = (unsigned char)nl;
	*p++ = (unsigned char)vl;
	memcpy(p, name, nl);
	memcpy(p + nl, value, vl);
	return p + nl + vl;
}

/* The records of a GET of / (BEGIN_REQUEST, PARAMS, their end, the
 * empty STDIN) at out; their length. */
static size_t
get_records(unsigned char *out)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char params[256], *p = params;
	size_t len = 0;

	record(out, &len, 1, begin, sizeof(begin));
	p = pair(p, "REQUEST_METHOD", "GET");
	p = pair(p, "REQUEST_URI", "/");
	p = pair(p, "REMOTE_ADDR", "127.0.0.1");
	record(out, &len, 4, params, (size_t)(p - params));
	record(out, &len, 4, params, 0);
	record(out, &len, 5, params, 0);
	return len;
}

/* What the worker answers on fd (at most cap - 1 bytes) to the GET
 * sent there, 0 when it closed first; fd is closed. */
static size_t
get_on(int fd, char *out, size_t cap)
{
	unsigned char msg[512];
	size_t len = get_records(msg), got = 0;
	ssize_t n;

	out[0] = '\0';
	if (send(fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len) {
		close(fd);
		return 0;
	}
	while (got + 1 < cap && (n = recv(fd, out + got, cap - 1 - got,
	    0)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fd);
	return got;
}

/* The system call pid is blocked in (/proc/PID/syscall), -1 if none,
 * -2 if the kernel does not say (no such file, or not allowed). */
static long
syscall_of(pid_t pid)
{
	char path[64];
	FILE *f;
	long nr = -1;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -2;
	if (fscanf(f, "%ld", &nr) != 1)
		nr = ferror(f) ? -2 : -1;
	fclose(f);
	return nr;
}

/* The one worker of the supervisor sup. */
static pid_t
worker_of(pid_t sup)
{
	char path[64];
	FILE *f;
	int pid = -1, i;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)sup,
	    (int)sup);
	for (i = 0; i < 100 && pid <= 0; i++) {
		if ((f = fopen(path, "r")) != NULL) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = -1;
			fclose(f);
		}
		if (pid <= 0)
			usleep(50 * 1000);
	}
	assert_true(pid > 0);
	return pid;
}

/*
 * A worker told to stop while it waits for a request's records (in
 * poll, which a signal interrupts whatever SA_RESTART says) goes on
 * waiting, answers the request, and only then ends: a stop must not
 * turn the request in hand into nginx's 502. A private `zizhi fcgi` of
 * one worker, on its own database.
 */
/* The private supervisor, its worker and the test's connection to it,
 * for the teardown. */
static pid_t stop_sup, stop_w;
static int stop_fd = -1;

/* Stops the private supervisor, also when the test failed half-way: the
 * connection closed first (a worker waiting on it would hold the stop),
 * and killed outright after 5 s. */
static int
stop_teardown(void **state)
{
	int st, i;

	if (stop_fd >= 0)
		close(stop_fd);
	stop_fd = -1;
	if (stop_sup > 0) {
		kill(stop_sup, SIGTERM);
		for (i = 0; i < 100 && waitpid(stop_sup, &st, WNOHANG) == 0;
		    i++)
			usleep(50 * 1000);
		if (i == 100) {
			if (stop_w > 0)
				kill(stop_w, SIGKILL);
			kill(stop_sup, SIGKILL);
			waitpid(stop_sup, &st, 0);
		}
	}
	stop_sup = stop_w = 0;
	return 0;
}

static void
test_stop_while_waiting(void **state)
{
	static char out[65536];
	char dir[512], cmd[1400], log[600], db[600], sock[600];
	struct stat sb;
	pid_t sup, w;
	long nr = -1;
	int fd, i, st;

	snprintf(dir, sizeof(dir), "%s/fcgi-stop-%d", getenv("ZIZHI_TMP"),
	    (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, sizeof(db), "%s/zizhi.db", dir);
	snprintf(sock, sizeof(sock), "%s/fcgi.sock", dir);
	snprintf(log, sizeof(log), "%s/fcgi.log", dir);
	snprintf(cmd, sizeof(cmd), "'%s' init --db '%s' > /dev/null 2>&1",
	    getenv("ZIZHI_BIN"), db);
	assert_int_equal(system(cmd), 0);
	stop_sup = sup = fork();
	assert_true(sup >= 0);
	if (sup == 0) {
		if (freopen(log, "w", stderr) == NULL ||
		    freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl(getenv("ZIZHI_BIN"), "zizhi", "fcgi", "--socket", sock,
		    "--workers", "1", "--db", db, "--public-url",
		    "http://127.0.0.1:1", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && stat(sock, &sb) != 0; i++)
		usleep(100 * 1000);
	/* Its worker serves (a first request), then takes the next
	 * connection and waits for its records. */
	assert_true(get_on(connect_at(dir, 5), out, sizeof(out)) > 0);
	assert_non_null(strstr(out + 8, "Status: 200"));
	stop_w = w = worker_of(sup);
	stop_fd = fd = connect_at(dir, 5);
	for (i = 0; i < 300; i++) {
		nr = syscall_of(w);
		if (nr == 7 || nr == 271 || nr == -2)	/* poll, ppoll */
			break;
		usleep(10 * 1000);
	}
	if (nr == -2) {
		/* No /proc/PID/syscall to ask: time enough to be there. */
		printf("  /proc/%d/syscall unreadable: waiting 500 ms\n",
		    (int)w);
		usleep(500 * 1000);
	} else if (nr != 7 && nr != 271)
		fail_msg("the worker did not wait in poll (system call %ld)",
		    nr);
	assert_int_equal(kill(w, SIGTERM), 0);
	usleep(100 * 1000);
	stop_fd = -1;		/* get_on closes it */
	if (get_on(fd, out, sizeof(out)) == 0)
		fail_msg("the worker closed the request in hand when told "
		    "to stop");
	if (strstr(out + 8, "Status: 200") == NULL)
		fail_msg("not answered: %.200s", out + 8);
	/* It ended after the request; the supervisor stops. */
	for (i = 0; i < 100 && kill(w, 0) == 0; i++)
		usleep(50 * 1000);
	assert_int_not_equal(kill(w, 0), 0);
	stop_sup = 0;
	kill(sup, SIGTERM);
	assert_int_equal(waitpid(sup, &st, 0), sup);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A GET of / sent in three pieces, each after pause_ms, up to `pieces`
 * of them; what the worker answered (at most cap - 1 bytes), and how long
 * it took to answer or close, in ms. */
static size_t
in_pieces(int pieces, int pause_ms, char *out, size_t cap, long *ms)
{
	unsigned char msg[512];
	size_t len = get_records(msg), cut[3], got = 0;
	struct timespec t0, t1, gap = { 0, pause_ms * 1000000L };
	ssize_t n;
	int fd = connect_worker(5), i;

	/* The BEGIN_REQUEST; the parameters; the two empty records. */
	cut[0] = 16;
	cut[1] = len - 16;
	cut[2] = len;
	for (i = 0; i < pieces; i++) {
		/* The first piece too: the worker has accepted the
		 * connection and finds nothing yet. */
		nanosleep(&gap, NULL);
		assert_true(send(fd, msg + (i ? cut[i - 1] : 0), cut[i] -
		    (i ? cut[i - 1] : 0), MSG_NOSIGNAL) > 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got + 1 < cap && (n = recv(fd, out + got, cap - 1 - got,
	    0)) > 0)
		got += (size_t)n;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out[got] = '\0';
	close(fd);
	*ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	return got;
}

/* Pieces with pauses are waited for; a request that stops half-way is
 * closed once the worker's wait is over, unanswered. */
static void
test_pieces(void **state)
{
	static char out[65536];
	long ms;

	assert_true(in_pieces(3, 150, out, sizeof(out), &ms) > 0);
	if (strstr(out + 8, "Status: 200") == NULL)
		fail_msg("a request in pieces was not answered: %.200s",
		    out + 8);
	assert_int_equal(in_pieces(2, 150, out, sizeof(out), &ms), 0);
	assert_true(ms >= 1500 && ms < 4500);
}

/* A POST with its body, the empty record that ends the body sent 300 ms
 * later: the send succeeds (the worker has not closed yet) and the
 * answer comes whole. */
static void
test_late_end(void **state)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	unsigned char msg[512], params[256], *p = params, end[16];
	static char out[65536];
	struct timespec gap = { 0, 300 * 1000000L };
	size_t len = 0, elen = 0, got = 0;
	ssize_t n;
	int fd = connect_worker(5);

	record(msg, &len, 1, begin, sizeof(begin));
	p = pair(p, "REQUEST_METHOD", "POST");
	p = pair(p, "REQUEST_URI", "/login");
	p = pair(p, "CONTENT_TYPE", "application/x-www-form-urlencoded");
	p = pair(p, "CONTENT_LENGTH", "3");
	p = pair(p, "REMOTE_ADDR", "127.0.0.1");
	record(msg, &len, 4, params, (size_t)(p - params));
	record(msg, &len, 4, params, 0);
	record(msg, &len, 5, (const unsigned char *)"a=1", 3);
	assert_true(send(fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len);
	nanosleep(&gap, NULL);
	record(end, &elen, 5, params, 0);
	if (send(fd, end, elen, MSG_NOSIGNAL) != (ssize_t)elen)
		fail_msg("the worker closed before the body's end came");
	while (got + 1 < sizeof(out) && (n = recv(fd, out + got,
	    sizeof(out) - 1 - got, 0)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fd);
	assert_true(got > 16);
	if (strstr(out + 8, "Status: ") == NULL)
		fail_msg("no answer: %.200s", out + 8);
	/* The END_REQUEST record ends what the worker wrote. */
	assert_int_equal((unsigned char)out[got - 16 + 1], 3);
}

/* 1 when the records in out (n bytes) hold an END_REQUEST. */
static int
has_end(const unsigned char *out, size_t n)
{
	size_t off = 0, clen, plen;

	while (off + 8 <= n) {
		clen = (size_t)out[off + 4] << 8 | out[off + 5];
		plen = out[off + 6];
		if (off + 8 + clen + plen > n)
			return 0;
		if (out[off + 1] == 3)
			return 1;
		off += 8 + clen + plen;
	}
	return 0;
}

/*
 * A POST whose body is over the worker's limit is answered 413 without
 * the body being read; the worker then goes on reading what comes until
 * its peer closes (libfcgi's careful close), so nginx, still writing the
 * body, sees its writes succeed and passes the 413 on. A plain close
 * here would make the rest of the body fail to send: through nginx, a
 * 502 instead of the 413, now and then (the browser's race).
 */
static void
test_refused_body_drained(void **state)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	static unsigned char msg[4096], chunk[1100], out[65536 + 1];
	unsigned char params[256], *p = params, body[1000];
	char cl[32];
	size_t len = 0, clen = 0, got = 0;
	ssize_t n;
	int fd = connect_worker(5), done = 0;

	snprintf(cl, sizeof(cl), "%lu",
	    strtoul(getenv("ZIZHI_MAX_BODY"), NULL, 10) * 2);
	record(msg, &len, 1, begin, sizeof(begin));
	p = pair(p, "REQUEST_METHOD", "POST");
	p = pair(p, "REQUEST_URI", "/login");
	p = pair(p, "CONTENT_TYPE", "application/x-www-form-urlencoded");
	p = pair(p, "CONTENT_LENGTH", cl);
	p = pair(p, "REMOTE_ADDR", "127.0.0.1");
	record(msg, &len, 4, params, (size_t)(p - params));
	record(msg, &len, 4, params, 0);
	memset(body, 'a', sizeof(body));
	record(msg, &len, 5, body, sizeof(body));
	assert_true(send(fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len);
	/* The answer, up to its END_REQUEST (the worker then waits for
	 * this end to close). */
	while (!done && got + 1 < sizeof(out) && (n = recv(fd, out + got,
	    sizeof(out) - 1 - got, 0)) > 0) {
		got += (size_t)n;
		done = has_end(out, got);
	}
	assert_true(done);
	out[got] = '\0';
	/* The first STDOUT record's text begins with the status. */
	if (strncmp((const char *)out + 8, "Status: 413", 11) != 0)
		fail_msg("not a 413: %.200s", (const char *)out + 8);
	/* More of the body, as nginx would go on sending it. */
	usleep(100 * 1000);
	record(chunk, &clen, 5, body, sizeof(body));
	if (send(fd, chunk, clen, MSG_NOSIGNAL) != (ssize_t)clen)
		fail_msg("the worker closed with the body unread: the rest "
		    "of it could not be sent");
	close(fd);
}

static int
deaths(void)
{
	char cmd[512];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "grep -c 'ended' '%s/fcgi.log'",
	    getenv("ZIZHI_TMP"));
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

static void
test_crafted_records(void **state)
{
	static const unsigned long lengths[][2] = {
		{ 0x7ffffff0ul, 0x10 }, { 0x40000000ul, 0x40000000ul },
		{ 0x7ffffffful, 1 }, { 0x7ffffffful, 0 }, { 70000, 0 },
	};
	static const unsigned char garbage[] = "GET / HTTP/1.1\r\n\r\n";
	static const unsigned char not_begin[16] = { 1, 4, 0, 1, 0, 8 };
	unsigned char msg[256];
	struct http_client *c;
	struct http_resp r;
	size_t i, len;
	int end, before = deaths(), n = 0;

	assert_true(before >= 0);
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
		for (end = 0; end < 2; end++) {
			len = crafted(msg, lengths[i][0], lengths[i][1], end);
			if (!refused(msg, len))
				fail_msg("lengths %#lx, %#lx (%s the stream's "
				    "end): not refused at once", lengths[i][0],
				    lengths[i][1], end ? "with" : "without");
			n++;
		}
	assert_true(refused(garbage, sizeof(garbage) - 1));
	assert_true(refused(not_begin, sizeof(not_begin)));
	n += 2;
	/* Nothing died, and the door answers. */
	usleep(300 * 1000);
	assert_int_equal(deaths(), before);
	c = http_client_new(getenv("ZIZHI_FCGI_URL"));
	http_get(c, "/", &r);
	assert_int_equal(r.status, 200);
	http_resp_free(&r);
	http_client_free(c);
	printf("  %d crafted requests refused, no worker died\n", n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crafted_records),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_late_end),
		cmocka_unit_test(test_refused_body_drained),
		cmocka_unit_test_teardown(test_stop_while_waiting,
		    stop_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
