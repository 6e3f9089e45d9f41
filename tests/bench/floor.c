/*
 * floor.c: the benchmark's floor (issue 8). The least a FastCGI program
 * can do per request: accept with libfcgi, answer a fixed 8 KB HTML page,
 * finish. `make bench` runs it behind the same nginx as `zizhi fcgi`,
 * with as many worker processes, so the ratio of a zizhi page to this
 * one is the cost of zizhi's own work.
 *
 *   floor SOCKET WORKERS
 *
 * Listens on the Unix socket SOCKET (mode 0660), forks WORKERS processes
 * that accept on it, and stops them on SIGTERM or SIGINT.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

#define PAGE_SIZE	8192
#define MAX_WORKERS	64

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	stopping = 1;
}

/* An HTML page of exactly PAGE_SIZE bytes. */
static void
make_page(char *p)
{
	static const char head[] = "<!doctype html>\n<html lang=\"zh-CN\">"
	    "<head><meta charset=\"utf-8\"><title>floor</title></head><body>\n";
	static const char tail[] = "</body></html>\n";
	static const char line[] = "<p>zizhi benchmark floor: a fixed page "
	    "of eight kilobytes.</p>\n";
	size_t n = 0, room;

	memcpy(p, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	room = PAGE_SIZE - (sizeof(tail) - 1);
	while (n + sizeof(line) - 1 <= room) {
		memcpy(p + n, line, sizeof(line) - 1);
		n += sizeof(line) - 1;
	}
	memset(p + n, ' ', room - n);
	memcpy(p + room, tail, sizeof(tail) - 1);
}

static int
worker(int sock, const char *page)
{
	FCGX_Request r;

	FCGX_InitRequest(&r, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && FCGX_Accept_r(&r) >= 0) {
		FCGX_FPrintF(r.out, "Status: 200 OK\r\n"
		    "Content-Type: text/html; charset=utf-8\r\n"
		    "Content-Length: %d\r\n\r\n", PAGE_SIZE);
		FCGX_PutStr(page, PAGE_SIZE, r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static char page[PAGE_SIZE];
	pid_t pids[MAX_WORKERS];
	struct sigaction sa;
	int sock, n, i, status;

	if (argc != 3 || (n = atoi(argv[2])) < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "usage: floor SOCKET WORKERS (1..%d)\n",
		    MAX_WORKERS);
		return 2;
	}
	make_page(page);
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[1]);
	umask(0117);
	if ((sock = FCGX_OpenSocket(argv[1], 128)) < 0) {
		perror(argv[1]);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		if ((pids[i] = fork()) == 0)
			_exit(worker(sock, page));
	while (!stopping)
		pause();
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (wait(&status) > 0)
		;
	unlink(argv[1]);
	return 0;
}
