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
#include "http.h"

#define FCGI_MAX_WORKERS	64

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	stopping = 1;
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
	while (!stopping && FCGX_Accept_r(&r) >= 0) {
		handle(&app, &r);
		FCGX_Finish_r(&r);
	}
	app_close(&app);
	return 0;
}

static pid_t
spawn(const struct app_config *cfg, int sock)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(worker(cfg, sock));
	if (pid < 0)
		fprintf(stderr, "zizhi fcgi: fork: %s\n", strerror(errno));
	return pid;
}

int
fcgi_run(const struct app_config *cfg, const struct fcgi_options *o)
{
	pid_t pids[FCGI_MAX_WORKERS] = { 0 }, pid;
	struct sigaction sa;
	int sock = 0, i, status, nworkers = o->workers;
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	mode_t old;
	struct app probe;
	char err[512];

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

	/* No SA_RESTART: a worker blocked in accept must see the signal. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < nworkers; i++)
		pids[i] = spawn(cfg, sock);
	fprintf(stderr, "zizhi fcgi: %d workers on %s\n", nworkers,
	    o->socket ? o->socket : "fd 0");
	while (!stopping) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nworkers; i++) {
			if (pids[i] != pid)
				continue;
			if (stopping)
				break;
			fprintf(stderr, "zizhi fcgi: worker %d ended (%s %d); "
			    "restarting\n", (int)pid, WIFSIGNALED(status) ?
			    "signal" : "status", WIFSIGNALED(status) ?
			    WTERMSIG(status) : WEXITSTATUS(status));
			nanosleep(&pause, NULL);
			pids[i] = spawn(cfg, sock);
		}
	}
	for (i = 0; i < nworkers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	if (o->socket != NULL)
		unlink(o->socket);
	return 0;
}
