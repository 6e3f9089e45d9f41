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

static void
on_worker_stop(int sig)
{
	stopping = 1;
	if (!in_request)
		_exit(0);
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

static void
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
	/* libfcgi's own printf knows no %zu: format here. */
	buf_init(&head);
	buf_printf(&head, "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n", resp.status, http_reason(resp.status),
	    resp.content_type, len);
	for (i = 0; i < resp.nheaders; i++)
		buf_printf(&head, "%s: %s\r\n", resp.headers[i].name,
		    resp.headers[i].value);
	FCGX_PutStr(head.p, (int)head.n, r->out);
	buf_free(&head);
	FCGX_PutS("\r\n", r->out);
	if (req.method != METHOD_HEAD && len > 0)
		FCGX_PutStr(data, (int)len, r->out);
	response_free(&resp);
	arena_free(req.arena);
}

static int
worker(const struct app_config *cfg, int sock)
{
	struct app app;
	FCGX_Request r;
	char err[512];

	if (app_open(&app, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi fcgi: %s\n", err);
		return 1;
	}
	FCGX_InitRequest(&r, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	for (;;) {
		in_request = 0;
		if (stopping || FCGX_Accept_r(&r) < 0)
			break;
		in_request = 1;
		handle(&app, &r);
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
		_exit(worker(cfg, sock));
	}
	if (pid < 0)
		fprintf(stderr, "zizhi fcgi: fork: %s\n", strerror(errno));
	return pid;
}

static long long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
