/*
 * fcgi.c: the FastCGI accept loop, and a small supervisor.
 *
 * With --socket PATH the parent opens the Unix socket (mode 0660 by
 * default, so only the web server's group can connect), forks --workers
 * processes that each open their own database connection and accept on
 * the shared socket, and restarts any worker that dies. Without --socket
 * the listening socket is fd 0, as spawn-fcgi and inetd-style launchers
 * pass it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "fcgi.h"
#include "handle.h"
#include "http.h"

#define FCGI_MAX_WORKERS	64

/*
 * Stopping. The supervisor takes SIGTERM, SIGINT and SIGCHLD with
 * sigtimedwait (they stay blocked), so a stop can never arrive between
 * its check and its wait and be missed. A worker's handler ends the
 * process at once when it is between requests (blocked in accept, where
 * a flag alone could be missed the same way: a signal just before the
 * accept call leaves it blocked for good) and otherwise lets the request
 * in hand finish first.
 */
static volatile sig_atomic_t stopping;
static volatile sig_atomic_t in_request;

/*
 * A worker ends with _exit (no atexit handlers, no stdio flushing of
 * what the parent buffered). In a coverage build (make coverage) it ends
 * with exit instead, whose handlers write gcov's counters, or nothing
 * served through FastCGI would count (__gcov_dump wrote nothing in a
 * worker here). Nothing is buffered in stdio when a worker ends.
 */
#ifdef ZIZHI_COVERAGE
#define worker_exit(code)	exit(code)
#else
#define worker_exit(code)	_exit(code)
#endif

static void
on_worker_stop(int sig)
{
	stopping = 1;
	if (!in_request)
		worker_exit(0);
}

static enum method
method_of(const char *m)
{
	if (m == NULL)
		return METHOD_OTHER;
	if (strcmp(m, "GET") == 0)
		return METHOD_GET;
	if (strcmp(m, "HEAD") == 0)
		return METHOD_HEAD;
	if (strcmp(m, "POST") == 0)
		return METHOD_POST;
	return METHOD_OTHER;
}

/* Reads exactly len bytes of the request body; -1 when it is short. */
static int
read_body(FCGX_Request *r, struct arena *a, size_t len, const char **out)
{
	char *p = arena_alloc(a, len + 1);
	size_t got = 0;
	int n;

	while (got < len) {
		n = FCGX_GetStr(p + got, len - got > (1 << 20) ? 1 << 20 :
		    (int)(len - got), r->in);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	*out = p;
	return 0;
}

/* Answers the request on r; 1 when its body was read whole (or it had
 * none), 0 when the body was refused or came short. */
static int
handle(struct app *app, FCGX_Request *r)
{
	struct request req;
	struct response resp;
	const char *cl, *https, *data;
	char *end;
	unsigned long long n = 0;
	size_t len, i;
	struct buf head;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method_name = FCGX_GetParam("REQUEST_METHOD", r->envp);
	req.method = method_of(req.method_name);
	req.uri = FCGX_GetParam("REQUEST_URI", r->envp);
	if (req.uri == NULL)
		req.uri = "/";
	req.host = FCGX_GetParam("HTTP_HOST", r->envp);
	req.origin = FCGX_GetParam("HTTP_ORIGIN", r->envp);
	req.referer = FCGX_GetParam("HTTP_REFERER", r->envp);
	req.content_type = FCGX_GetParam("CONTENT_TYPE", r->envp);
	req.cookie = FCGX_GetParam("HTTP_COOKIE", r->envp);
	req.if_none_match = FCGX_GetParam("HTTP_IF_NONE_MATCH", r->envp);
	req.remote_addr = FCGX_GetParam("REMOTE_ADDR", r->envp);
	https = FCGX_GetParam("HTTPS", r->envp);
	req.https = https != NULL && strcmp(https, "on") == 0;
	req.body = "";

	cl = FCGX_GetParam("CONTENT_LENGTH", r->envp);
	if (cl != NULL && *cl != '\0') {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (*end != '\0' || errno != 0)
			n = (unsigned long long)app->cfg.max_body + 1;
	}
	if (n > app->cfg.max_body)
		req.body_too_large = 1;
	else if (n > 0 && read_body(r, req.arena, (size_t)n, &req.body) != 0)
		req.body_incomplete = 1;
	else
		req.body_len = (size_t)n;

	response_init(&resp);
	app_handle(app, &req, &resp);
	data = response_data(&resp, &len);
	/* The head by pieces: printf (libfcgi's or ours) would cost more
	 * than the rest of writing it. */
	buf_init(&head);
	buf_puts(&head, "Status: ");
	buf_putu(&head, (unsigned)resp.status);
	buf_putc(&head, ' ');
	buf_puts(&head, http_reason(resp.status));
	buf_puts(&head, "\r\nContent-Type: ");
	buf_puts(&head, resp.content_type);
	buf_puts(&head, "\r\nContent-Length: ");
	buf_putu(&head, len);
	buf_puts(&head, "\r\n");
	for (i = 0; i < resp.nheaders; i++) {
		buf_puts(&head, resp.headers[i].name);
		buf_puts(&head, ": ");
		buf_puts(&head, resp.headers[i].value);
		buf_puts(&head, "\r\n");
	}
	FCGX_PutStr(head.p, (int)head.n, r->out);
	buf_free(&head);
	FCGX_PutS("\r\n", r->out);
	if (req.method != METHOD_HEAD && len > 0)
		FCGX_PutStr(data, (int)len, r->out);
	response_free(&resp);
	arena_free(req.arena);
	return !req.body_too_large && !req.body_incomplete;
}

static long long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The record check ahead of libfcgi. A FastCGI request begins with
 * records whose PARAMS stream holds name-value pairs, each preceded by
 * its two lengths. Debian's libfcgi trusts those lengths enough to try
 * to allocate what they say, and aborts the worker when that fails
 * (fcgiapp.c: Malloc, CVE-2025-23016's class): one crafted request from
 * anything that can reach the socket kills a worker, a stream of them
 * keeps the door down. So each connection's first records are peeked at
 * here (not consumed), and every pair's lengths must fit in the PARAMS
 * bytes actually sent, before libfcgi reads them. nginx's parameters are
 * a few KiB; a stream over FCGI_PARAMS_MAX, records that do not parse,
 * or no end of the stream within FCGI_PEEK_MS are refused: the
 * connection is closed and the worker goes on.
 */
#define FCGI_PARAMS_MAX	(64 * 1024)
#define FCGI_PEEK_MAX	(FCGI_PARAMS_MAX + 8 * 1024)
#define FCGI_PEEK_MS	2000

/*
 * The name-value pairs of the PARAMS stream p[0..n). With whole (the
 * stream's end is in), 1 when every pair fits in it exactly. Without, 0
 * as soon as a pair cannot fit in any stream we would take, else 1 (the
 * rest may follow).
 */
static int
pairs_fit(const unsigned char *p, size_t n, int whole)
{
	unsigned long long len[2];
	size_t i = 0;
	int k;

	while (i < n) {
		for (k = 0; k < 2; k++) {
			if (i >= n || (p[i] >= 0x80 && n - i < 4))
				return !whole;
			if (p[i] < 0x80)
				len[k] = p[i++];
			else {
				len[k] = ((unsigned long long)(p[i] & 0x7f) << 24) |
				    ((unsigned long long)p[i + 1] << 16) |
				    ((unsigned long long)p[i + 2] << 8) | p[i + 3];
				i += 4;
			}
		}
		if (len[0] + len[1] > FCGI_PARAMS_MAX - i)
			return 0;
		if (len[0] + len[1] > n - i)
			return !whole;
		i += (size_t)(len[0] + len[1]);
	}
	return 1;
}

/* 1 when the request on fd may go to libfcgi (see above). */
static int
records_ok(int fd)
{
	static unsigned char buf[FCGI_PEEK_MAX], params[FCGI_PARAMS_MAX];
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct timespec pause = { 0, 1000 * 1000 };
	size_t off, np, clen, plen;
	ssize_t n, last = -1;
	long long until = monotonic_ms() + FCGI_PEEK_MS;
	int waited, ready;

	for (;;) {
		/* nginx has sent the request by the time it is accepted,
		 * as a rule: look first, wait only when nothing is there
		 * (a system call less a request). */
		n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != EINTR))
			return 0;
		if (n < 0 || n == last) {	/* nothing (new) yet */
			waited = (int)(until - monotonic_ms());
			if (waited <= 0)
				return 0;
			/* poll says readable while old bytes wait: pause.
			 * A signal (a stop: SIGTERM) interrupts poll
			 * whatever SA_RESTART says; the wait goes on, and
			 * the request in hand is served before the worker
			 * ends. */
			if (n >= 0)
				nanosleep(&pause, NULL);
			else if ((ready = poll(&pfd, 1, waited)) == 0 ||
			    (ready < 0 && errno != EINTR))
				return 0;
			continue;
		}
		last = n;
		for (off = 0, np = 0; off + 8 <= (size_t)n; ) {
			if (buf[off] != 1)	/* FCGI_VERSION_1 */
				return 0;
			clen = (size_t)buf[off + 4] << 8 | buf[off + 5];
			plen = buf[off + 6];
			if (off + 8 + clen + plen > (size_t)n)
				break;		/* not all here yet */
			/* First a BEGIN_REQUEST for a responder, as nginx
			 * sends: what libfcgi would otherwise drop, only to
			 * accept the next connection itself, unchecked. */
			if (off == 0 && (buf[1] != 1 || clen != 8 ||
			    buf[8] != 0 || buf[9] != 1))
				return 0;
			if (buf[off + 1] == 4) {	/* FCGI_PARAMS */
				if (clen == 0)
					return pairs_fit(params, np, 1);
				if (np + clen > sizeof(params))
					return 0;
				memcpy(params + np, buf + off + 8, clen);
				np += clen;
			}
			off += 8 + clen + plen;
		}
		/* A length that can never fit: no need to wait for more. */
		if (!pairs_fit(params, np, 0))
			return 0;
		if ((size_t)n == sizeof(buf))
			return 0;	/* too much before the end */
	}
}

/*
 * 1 when nothing the server sent is left unread on fd. libfcgi closes a
 * connection by shutting its sending side down and reading until the
 * server closes its own (else unread data would make the peer's stack
 * reset the connection, and a reset can lose the response): three system
 * calls after every response, and the worker waits for nginx meanwhile.
 * Once the request's input has been read to its end (the body read
 * whole, then the empty record that ends it, which nginx sends at once
 * after the body) and nothing more is waiting, nothing can be lost by a
 * plain close, which FCGX_Detach asks libfcgi's FCGX_Finish_r for (its
 * only effect there). A body refused or short keeps the careful close.
 */
static int
nothing_left(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

static int
worker(const struct app_config *cfg, int sock)
{
	struct app app;
	FCGX_Request r;
	char err[512];
	long long said = 0;
	long refused = 0;
	int fd;

	if (app_open(&app, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi fcgi: %s\n", err);
		return 1;
	}
	FCGX_InitRequest(&r, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	/* libfcgi never accepts a connection itself: only checked ones
	 * reach it. */
	r.listen_sock = -1;
	for (;;) {
		in_request = 0;
		if (stopping)
			break;
		/* Accepted here, checked, then handed to libfcgi: it takes
		 * a request whose connection is already open (ipcFd), and
		 * keepConnection stops its opening FCGX_Finish_r from closing
		 * it; the BEGIN_REQUEST record sets it again. */
		if ((fd = accept(sock, NULL, NULL)) < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "zizhi fcgi: accept: %s\n",
			    strerror(errno));
			break;
		}
		in_request = 1;
		if (!records_ok(fd)) {
			close(fd);
			/* Said once a minute at most, with the count. */
			refused++;
			if (monotonic_ms() - said > 60 * 1000) {
				fprintf(stderr, "zizhi fcgi: worker %d refused %ld "
				    "request(s) whose FastCGI records do not "
				    "parse, before libfcgi read them\n",
				    (int)getpid(), refused);
				said = monotonic_ms();
				refused = 0;
			}
			continue;
		}
		r.ipcFd = fd;
		r.keepConnection = 1;
		if (FCGX_Accept_r(&r) < 0)
			continue;	/* it gave up on the connection */
		if (handle(&app, &r) && FCGX_GetChar(r.in) == EOF &&
		    FCGX_GetError(r.in) == 0 && nothing_left(r.ipcFd))
			FCGX_Detach(&r);
		FCGX_Finish_r(&r);
	}
	app_close(&app);
	return 0;
}

static pid_t
spawn(const struct app_config *cfg, int sock)
{
	struct sigaction sa;
	sigset_t none;
	pid_t pid = fork();

	if (pid == 0) {
		/* The worker's own handler, and no signal blocked. A
		 * request in hand is finished (SA_RESTART: its reads and
		 * writes go on); between requests the handler exits. */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_worker_stop;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		worker_exit(worker(cfg, sock));
	}
	if (pid < 0)
		fprintf(stderr, "zizhi fcgi: fork: %s\n", strerror(errno));
	return pid;
}

/*
 * A worker slot: its process, when it started, and how long to wait
 * before the next start. A worker that dies after serving for a while
 * (killed, say) is replaced at once, so the pool is never short for
 * longer than a fork; one that dies within FCGI_QUICK_DEATH_MS of its
 * start is crash-looping (a database it cannot open, say), and its
 * restarts back off, doubling up to FCGI_MAX_BACKOFF_MS.
 */
#define FCGI_QUICK_DEATH_MS	1000
#define FCGI_MAX_BACKOFF_MS	8000

struct slot {
	pid_t		 pid;
	long long	 started;	/* monotonic ms */
	long long	 due;		/* restart at; 0: running */
	long long	 backoff;	/* ms */
};

static void
slot_start(struct slot *w, const struct app_config *cfg, int sock)
{
	w->pid = spawn(cfg, sock);
	w->started = monotonic_ms();
	w->due = 0;
	if (w->pid < 0) {	/* fork failed (logged): try again later */
		w->pid = 0;
		w->due = w->started + FCGI_MAX_BACKOFF_MS;
	}
}

static void
slot_ended(struct slot *w, int status)
{
	long long now = monotonic_ms();

	if (now - w->started < FCGI_QUICK_DEATH_MS)
		w->backoff = w->backoff == 0 ? 250 : w->backoff * 2 >
		    FCGI_MAX_BACKOFF_MS ? FCGI_MAX_BACKOFF_MS : w->backoff * 2;
	else
		w->backoff = 0;
	fprintf(stderr, "zizhi fcgi: worker %d ended (%s %d); restarting%s\n",
	    (int)w->pid, WIFSIGNALED(status) ? "signal" : "status",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
	    w->backoff ? " after a pause (it died right after starting)" : "");
	w->pid = 0;
	w->due = now + w->backoff;
}

/*
 * 0 when the directory of the socket path can take a new entry. libfcgi
 * ends the whole process (perror "bind/listen", exit status errno) when
 * it cannot bind, so what would fail is found and named first.
 */
static int
socket_dir_ok(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash == NULL ? 0 : (size_t)(slash - path);

	if (n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (n == 0)
		snprintf(dir, sizeof(dir), "%s", slash == path ? "/" : ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
	return access(dir, W_OK | X_OK);
}

int
fcgi_run(const struct app_config *cfg, const struct fcgi_options *o)
{
	struct slot slots[FCGI_MAX_WORKERS];
	struct timespec timeout;
	sigset_t wanted;
	long long next, wait_ms;
	int sock = 0, i, status, nworkers = o->workers, sig;
	mode_t old;
	struct app probe;
	char err[512];
	pid_t pid;

	if (FCGX_Init() != 0) {
		fprintf(stderr, "zizhi fcgi: cannot initialise libfcgi\n");
		return 1;
	}
	if (o->socket != NULL) {
		if (strncmp(o->socket, "/", 1) != 0 &&
		    strncmp(o->socket, "./", 2) != 0) {
			fprintf(stderr, "zizhi fcgi: --socket wants a Unix "
			    "socket path (never TCP), got %s\n", o->socket);
			return 2;
		}
		if (socket_dir_ok(o->socket) != 0) {
			fprintf(stderr, "zizhi fcgi: cannot listen on %s: %s\n",
			    o->socket, strerror(errno));
			return 1;
		}
		unlink(o->socket);
		old = umask(0777 & ~o->mode);
		sock = FCGX_OpenSocket(o->socket, 128);
		umask(old);
		if (sock < 0 || chmod(o->socket, o->mode) != 0) {
			fprintf(stderr, "zizhi fcgi: cannot listen on %s: %s\n",
			    o->socket, strerror(errno));
			return 1;
		}
	}
	/* Fail once, clearly, rather than restarting workers that cannot
	 * open the database. */
	if (app_open(&probe, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi fcgi: %s\n", err);
		return 1;
	}
	app_close(&probe);
	if (nworkers < 1)
		nworkers = 1;
	if (nworkers > FCGI_MAX_WORKERS)
		nworkers = FCGI_MAX_WORKERS;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&wanted);
	sigaddset(&wanted, SIGTERM);
	sigaddset(&wanted, SIGINT);
	sigaddset(&wanted, SIGCHLD);
	sigprocmask(SIG_BLOCK, &wanted, NULL);

	memset(slots, 0, sizeof(slots));
	for (i = 0; i < nworkers; i++)
		slot_start(&slots[i], cfg, sock);
	fprintf(stderr, "zizhi fcgi: %d workers on %s\n", nworkers,
	    o->socket ? o->socket : "fd 0");
	while (!stopping) {
		/* Every worker that has ended, each reaped once. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (i = 0; i < nworkers; i++)
				if (slots[i].pid == pid)
					slot_ended(&slots[i], status);
		/* Restarts that are due; a backed-off slot waits its turn
		 * without holding up the others. */
		next = -1;
		for (i = 0; i < nworkers; i++) {
			if (slots[i].pid != 0)
				continue;
			if (monotonic_ms() >= slots[i].due)
				slot_start(&slots[i], cfg, sock);
			if (slots[i].pid == 0 && (next < 0 ||
			    slots[i].due < next))
				next = slots[i].due;
		}
		/* Sleep until a worker ends, a stop, or the next restart. */
		wait_ms = next < 0 ? 60000 : next - monotonic_ms();
		if (wait_ms < 1)
			wait_ms = 1;
		timeout.tv_sec = wait_ms / 1000;
		timeout.tv_nsec = (wait_ms % 1000) * 1000000L;
		sig = sigtimedwait(&wanted, NULL, &timeout);
		if (sig == SIGTERM || sig == SIGINT)
			stopping = 1;
	}
	for (i = 0; i < nworkers; i++)
		if (slots[i].pid > 0)
			kill(slots[i].pid, SIGTERM);
	while (waitpid(-1, &status, 0) > 0)
		;
	if (o->socket != NULL)
		unlink(o->socket);
	return 0;
}
