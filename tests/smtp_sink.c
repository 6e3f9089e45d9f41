/*
 * smtp_sink.c: a small SMTP server for the tests.
 *
 *	smtp_sink --port-file FILE --out DIR [--fail-rcpt ADDR]...
 *	    [--tempfail N]
 *
 * Listens on 127.0.0.1 on a port the kernel picks and writes that port
 * (decimal, newline) to FILE once it accepts connections; the file
 * appears whole (written aside, then renamed).  Serves one connection
 * at a time: EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-unstuffed), RSET,
 * NOOP, QUIT.  Each accepted message becomes DIR/NNNN.eml (0001, 0002,
 * ...), starting with one "X-Envelope-To: <addr>" line per recipient
 * and an "X-Envelope-From: <addr>" line, then the message as received
 * with CRLF line ends.  The file is complete before the 250 is sent.
 *
 * --fail-rcpt ADDR answers 550 to RCPT TO:<ADDR> (case-insensitive;
 * may be repeated).  --tempfail N answers 451 to the first N DATA
 * commands.  SIGTERM or SIGINT ends it with status 0.  A client that
 * drops the connection, or stays silent for 30 seconds, loses its
 * unfinished message; the sink goes on with the next connection.
 */
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LINE_MAX_	65536		/* longest line we take */
#define MSG_MAX		(10 * 1024 * 1024)
#define RCPT_MAX	100
#define FAIL_MAX	16
#define IDLE_SECONDS	30

static volatile sig_atomic_t stop;
static sigset_t waitmask;		/* signals open while waiting */

static const char *outdir;
static const char *failrcpt[FAIL_MAX];
static size_t nfailrcpt;
static long tempfail;
static unsigned int seq;

struct conn {
	int	 fd;
	char	 buf[LINE_MAX_ + 2];
	size_t	 off, n;
};

struct txn {
	char	*from;
	char	*rcpt[RCPT_MAX];
	size_t	 nrcpt;
};

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: smtp_sink --port-file FILE --out DIR "
	    "[--fail-rcpt ADDR]... [--tempfail N]\n");
	exit(2);
}

/*
 * Waits until fd is readable.  Returns 1 if it is, 0 on SIGTERM or
 * after IDLE_SECONDS (when idle is set), -1 on error.  The signals are
 * blocked except inside pselect, so none is lost between the check of
 * stop and the wait.
 */
static int
wait_readable(int fd, int idle)
{
	struct timespec ts = { IDLE_SECONDS, 0 };
	fd_set rfds;
	int rc;

	for (;;) {
		if (stop)
			return 0;
		FD_ZERO(&rfds);
		FD_SET(fd, &rfds);
		rc = pselect(fd + 1, &rfds, NULL, NULL, idle ? &ts : NULL,
		    &waitmask);
		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static int
sendall(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int __attribute__((format(printf, 2, 3)))
reply(struct conn *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n > sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	line[n++] = '\r';
	line[n++] = '\n';
	return sendall(c->fd, line, (size_t)n);
}

/*
 * Reads one line into *line (without CR LF, NUL-terminated, pointing
 * into c->buf until the next call).  Returns its length, -1 when the
 * client is gone, silent too long or we are stopping, -2 if the line
 * is longer than LINE_MAX_.
 */
static ssize_t
readline(struct conn *c, char **line)
{
	char *nl;
	ssize_t r;
	size_t len;

	for (;;) {
		nl = memchr(c->buf + c->off, '\n', c->n - c->off);
		if (nl != NULL) {
			*line = c->buf + c->off;
			len = (size_t)(nl - *line);
			c->off += len + 1;
			if (len > 0 && (*line)[len - 1] == '\r')
				len--;
			(*line)[len] = '\0';
			return (ssize_t)len;
		}
		if (c->off > 0) {
			memmove(c->buf, c->buf + c->off, c->n - c->off);
			c->n -= c->off;
			c->off = 0;
		}
		if (c->n >= LINE_MAX_ + 1)
			return -2;
		if (wait_readable(c->fd, 1) != 1)
			return -1;
		r = recv(c->fd, c->buf + c->n, LINE_MAX_ + 1 - c->n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->n += (size_t)r;
	}
}

static void
txn_reset(struct txn *t)
{
	size_t i;

	free(t->from);
	for (i = 0; i < t->nrcpt; i++)
		free(t->rcpt[i]);
	memset(t, 0, sizeof(*t));
}

/*
 * The address in "<addr>" after the command's colon, or NULL.
 * Parameters after the ">" (SIZE=, BODY=) are ignored.
 */
static char *
envelope_addr(const char *arg)
{
	const char *lt, *gt;
	char *a;

	while (*arg == ' ')
		arg++;
	if ((lt = strchr(arg, '<')) == NULL || lt != arg ||
	    (gt = strchr(lt, '>')) == NULL)
		return NULL;
	if ((a = strndup(lt + 1, (size_t)(gt - lt - 1))) == NULL) {
		perror("smtp_sink: strndup");
		exit(1);
	}
	return a;
}

struct msg {
	char	*p;
	size_t	 n, cap;
	int	 toobig;
};

static void
msg_add(struct msg *m, const char *s, size_t n)
{
	if (m->toobig || m->n + n > MSG_MAX) {
		m->toobig = 1;
		return;
	}
	if (m->n + n > m->cap) {
		m->cap = (m->n + n) * 2;
		if ((m->p = realloc(m->p, m->cap)) == NULL) {
			perror("smtp_sink: realloc");
			exit(1);
		}
	}
	memcpy(m->p + m->n, s, n);
	m->n += n;
}

/* Writes DIR/NNNN.eml whole (aside, then renamed); 0 or -1. */
static int
store(const struct txn *t, const struct msg *m, unsigned int *num)
{
	char tmp[4096], final[4096], hdr[1024];
	struct stat st;
	size_t i;
	FILE *f;
	int fd, ok = 1;

	do {
		seq++;
		snprintf(final, sizeof(final), "%s/%04u.eml", outdir, seq);
	} while (stat(final, &st) == 0);
	snprintf(tmp, sizeof(tmp), "%s/.%04u.tmp", outdir, seq);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "smtp_sink: %s: %s\n", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	for (i = 0; i < t->nrcpt; i++) {
		snprintf(hdr, sizeof(hdr), "X-Envelope-To: <%s>\r\n",
		    t->rcpt[i]);
		fputs(hdr, f);
	}
	snprintf(hdr, sizeof(hdr), "X-Envelope-From: <%s>\r\n", t->from);
	fputs(hdr, f);
	if (m->n > 0 && fwrite(m->p, 1, m->n, f) != m->n)
		ok = 0;
	if (fflush(f) != 0 || ferror(f))
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, final) == -1) {
		fprintf(stderr, "smtp_sink: %s: %s\n", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	*num = seq;
	return 0;
}

/* DATA after the 354: lines up to ".", unstuffed.  0, or -1 if gone. */
static int
data(struct conn *c, struct txn *t)
{
	struct msg m = { NULL, 0, 0, 0 };
	unsigned int num = 0;
	char *line;
	ssize_t len;
	int rc = 0, toolong = 0;

	for (;;) {
		len = readline(c, &line);
		if (len == -1) {
			free(m.p);
			return -1;
		}
		if (len == -2) {
			/* Drop the rest of the overlong line. */
			toolong = 1;
			c->off = c->n = 0;
			continue;
		}
		if (strcmp(line, ".") == 0)
			break;
		if (line[0] == '.')
			msg_add(&m, line + 1, (size_t)len - 1);
		else
			msg_add(&m, line, (size_t)len);
		msg_add(&m, "\r\n", 2);
	}
	if (toolong)
		rc = reply(c, "500 5.5.6 line too long");
	else if (m.toobig)
		rc = reply(c, "552 5.3.4 message too big");
	else if (store(t, &m, &num) == -1)
		rc = reply(c, "451 4.3.0 cannot store the message");
	else
		rc = reply(c, "250 2.0.0 queued as %04u", num);
	free(m.p);
	return rc;
}

static int
failing(const char *addr)
{
	size_t i;

	for (i = 0; i < nfailrcpt; i++)
		if (strcasecmp(addr, failrcpt[i]) == 0)
			return 1;
	return 0;
}

static int
iscmd(const char *line, const char *cmd)
{
	size_t n = strlen(cmd);

	return strncasecmp(line, cmd, n) == 0 &&
	    (line[n] == '\0' || line[n] == ' ' || cmd[n - 1] == ':');
}

static void
session(int fd)
{
	struct conn *c;
	struct txn t;
	char *line, *a;
	ssize_t len;
	int rc = 0;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		perror("smtp_sink: calloc");
		exit(1);
	}
	c->fd = fd;
	memset(&t, 0, sizeof(t));
	if (reply(c, "220 smtp_sink ESMTP ready") == -1)
		goto out;
	while (rc == 0) {
		if ((len = readline(c, &line)) == -1)
			break;
		if (len == -2) {
			c->off = c->n = 0;
			rc = reply(c, "500 5.5.2 line too long");
			continue;
		}
		if (iscmd(line, "EHLO")) {
			txn_reset(&t);
			rc = reply(c, "250-smtp_sink\r\n250-8BITMIME\r\n"
			    "250 HELP");
		} else if (iscmd(line, "HELO")) {
			txn_reset(&t);
			rc = reply(c, "250 smtp_sink");
		} else if (iscmd(line, "MAIL FROM:")) {
			if (t.from != NULL)
				rc = reply(c, "503 5.5.1 nested MAIL");
			else if ((t.from = envelope_addr(line + 10)) == NULL)
				rc = reply(c, "501 5.5.4 syntax: "
				    "MAIL FROM:<address>");
			else
				rc = reply(c, "250 2.1.0 ok");
		} else if (iscmd(line, "RCPT TO:")) {
			if (t.from == NULL)
				rc = reply(c, "503 5.5.1 MAIL first");
			else if ((a = envelope_addr(line + 8)) == NULL)
				rc = reply(c, "501 5.5.4 syntax: "
				    "RCPT TO:<address>");
			else if (failing(a)) {
				rc = reply(c, "550 5.1.1 <%s>: no such user",
				    a);
				free(a);
			} else if (t.nrcpt == RCPT_MAX) {
				rc = reply(c, "452 4.5.3 too many recipients");
				free(a);
			} else {
				t.rcpt[t.nrcpt++] = a;
				rc = reply(c, "250 2.1.5 ok");
			}
		} else if (iscmd(line, "DATA")) {
			if (t.nrcpt == 0)
				rc = reply(c, "503 5.5.1 RCPT first");
			else if (tempfail > 0) {
				tempfail--;
				txn_reset(&t);
				rc = reply(c, "451 4.3.0 try again later");
			} else {
				rc = reply(c, "354 end with <CRLF>.<CRLF>");
				if (rc == 0)
					rc = data(c, &t);
				txn_reset(&t);
			}
		} else if (iscmd(line, "RSET")) {
			txn_reset(&t);
			rc = reply(c, "250 2.0.0 ok");
		} else if (iscmd(line, "NOOP")) {
			rc = reply(c, "250 2.0.0 ok");
		} else if (iscmd(line, "QUIT")) {
			reply(c, "221 2.0.0 bye");
			break;
		} else
			rc = reply(c, "502 5.5.2 command not implemented");
	}
out:
	txn_reset(&t);
	free(c);
}

static int
write_port(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin;
	struct sigaction sa;
	struct stat st;
	socklen_t slen;
	sigset_t block;
	const char *portfile = NULL;
	char *end;
	int i, lfd, fd, one = 1, rc;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--port-file") == 0)
			portfile = argv[++i];
		else if (strcmp(argv[i], "--out") == 0)
			outdir = argv[++i];
		else if (strcmp(argv[i], "--fail-rcpt") == 0) {
			if (nfailrcpt == FAIL_MAX)
				usage();
			failrcpt[nfailrcpt++] = argv[++i];
		} else if (strcmp(argv[i], "--tempfail") == 0) {
			errno = 0;
			tempfail = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || tempfail < 0)
				usage();
		} else
			usage();
	}
	if (portfile == NULL || outdir == NULL)
		usage();
	if (stat(outdir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "smtp_sink: %s: not a directory\n", outdir);
		return 1;
	}

	/* SIGTERM and SIGINT only arrive inside pselect. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		perror("smtp_sink: socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	slen = sizeof(sin);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 16) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) == -1) {
		perror("smtp_sink: bind");
		close(lfd);
		return 1;
	}
	if (write_port(portfile, ntohs(sin.sin_port)) == -1) {
		fprintf(stderr, "smtp_sink: %s: %s\n", portfile,
		    strerror(errno));
		close(lfd);
		return 1;
	}

	rc = 0;
	while (!stop) {
		if ((i = wait_readable(lfd, 0)) == 0)
			break;
		if (i == -1) {
			perror("smtp_sink: pselect");
			rc = 1;
			break;
		}
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("smtp_sink: accept");
			rc = 1;
			break;
		}
		session(fd);
		close(fd);
	}
	close(lfd);
	return rc;
}
