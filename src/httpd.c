/*
 * httpd.c: libmicrohttpd glue. MHD calls the access handler several times
 * per request (headers, then body chunks, then once more); we buffer the
 * body up to the configured limit and hand one complete struct request to
 * app_handle. One internal polling thread runs every handler, so the
 * process's single SQLite connection is only ever used from that thread.
 *
 * The raw request URI comes from the URI log callback (MHD would otherwise
 * decode the path itself), so both front doors parse the same bytes.
 *
 * `serve` is for development, but it must not fall over: connections
 * are bounded in total and per address; a request whose headers are not
 * complete HTTPD_HEADER_SECONDS after its first byte is cut off (the main
 * thread shuts such sockets down, and MHD closes them); the bodies held
 * in memory at once are bounded (HTTPD_BODY_BUDGET), and a request that
 * would pass it is answered 503 without its body being kept.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "http.h"
#include "handle.h"
#include "httpd.h"

#define HTTPD_MAX_CONNECTIONS	256
#define HTTPD_PER_ADDRESS	16
#define HTTPD_IDLE_SECONDS	30
#define HTTPD_HEADER_SECONDS	10
/* Bodies held at once: four of the largest allowed, at most 256 MiB. */
#define HTTPD_BODY_BUDGET(max)	((max) * 4 < (256u << 20) ? (max) * 4 : \
				 (256u << 20))

struct conn {
	char		*uri;
	struct buf	 body;
	int		 started;
	int		 too_large;
	int		 overloaded;	/* over the body budget: 503 */
};

/*
 * The sockets of the connections, for the header timeout: the MHD thread
 * adds and removes them and marks when a request's headers are complete;
 * the main thread, once a second, shuts down those whose headers are
 * overdue.
 */
struct tracked {
	int		 fd;
	int		 waiting;	/* for a request's headers */
	long long	 since;		/* monotonic ms */
	int		 cut;		/* shut down already */
};

static struct tracked sockets[HTTPD_MAX_CONNECTIONS + 8];
static pthread_mutex_t sockets_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t buffered;		/* body bytes held (MHD thread only) */
static size_t body_budget;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	struct tracked *t = *socket_context;
	size_t i;

	pthread_mutex_lock(&sockets_lock);
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		for (i = 0; ci != NULL && i < sizeof(sockets) /
		    sizeof(sockets[0]); i++)
			if (sockets[i].fd <= 0) {
				sockets[i].fd = ci->connect_fd;
				sockets[i].waiting = 1;
				sockets[i].since = now_ms();
				sockets[i].cut = 0;
				*socket_context = &sockets[i];
				break;
			}
	} else if (t != NULL) {
		t->fd = 0;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&sockets_lock);
}

/* The request's headers are in (waiting 0), or the next request on the
 * connection is awaited (waiting 1). */
static void
headers_state(struct MHD_Connection *c, int waiting)
{
	const union MHD_ConnectionInfo *ci;
	struct tracked *t;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (t = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&sockets_lock);
	t->waiting = waiting;
	t->since = now_ms();
	pthread_mutex_unlock(&sockets_lock);
}

/* Cuts off the connections whose request headers are overdue. */
static void
cut_slow_headers(void)
{
	long long now = now_ms();
	size_t i;

	pthread_mutex_lock(&sockets_lock);
	for (i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		if (sockets[i].fd > 0 && sockets[i].waiting &&
		    !sockets[i].cut && now - sockets[i].since >
		    HTTPD_HEADER_SECONDS * 1000) {
			shutdown(sockets[i].fd, SHUT_RDWR);
			sockets[i].cut = 1;
		}
	pthread_mutex_unlock(&sockets_lock);
}

static void *
uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn *conn = xcalloc(1, sizeof(*conn));

	conn->uri = xstrdup(uri);
	buf_init(&conn->body);
	return conn;
}

static size_t
unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *conn = *con_cls;

	if (conn == NULL)
		return;
	buffered -= conn->body.n;
	free(conn->uri);
	buf_free(&conn->body);
	free(conn);
	*con_cls = NULL;
	headers_state(c, 1);	/* the next request on this connection */
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum method
method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return METHOD_GET;
	if (strcmp(m, "HEAD") == 0)
		return METHOD_HEAD;
	if (strcmp(m, "POST") == 0)
		return METHOD_POST;
	return METHOD_OTHER;
}

static enum MHD_Result
respond(struct app *app, struct MHD_Connection *c, const char *method,
    struct conn *conn)
{
	struct request req;
	struct response resp;
	struct MHD_Response *mr;
	const union MHD_ConnectionInfo *ci;
	char addr[INET6_ADDRSTRLEN] = "";
	struct timespec t0, t1;
	const char *data;
	size_t len, i;
	enum MHD_Result ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.method_name = method;
	req.method = method_of(method);
	req.uri = conn->uri;
	req.host = header(c, MHD_HTTP_HEADER_HOST);
	req.origin = header(c, "Origin");
	req.referer = header(c, MHD_HTTP_HEADER_REFERER);
	req.content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.cookie = header(c, MHD_HTTP_HEADER_COOKIE);
	req.if_none_match = header(c, MHD_HTTP_HEADER_IF_NONE_MATCH);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)
			    (const void *)ci->client_addr)->sin_addr, addr,
			    sizeof(addr));
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
			    (const void *)ci->client_addr)->sin6_addr, addr,
			    sizeof(addr));
	}
	req.remote_addr = addr;
	req.body = conn->body.p ? conn->body.p : "";
	req.body_len = conn->body.n;
	req.body_too_large = conn->too_large;
	req.overloaded = conn->overloaded;

	response_init(&resp);
	app_handle(app, &req, &resp);

	data = response_data(&resp, &len);
	mr = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
	    MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
	    resp.content_type);
	for (i = 0; i < resp.nheaders; i++)
		MHD_add_response_header(mr, resp.headers[i].name,
		    resp.headers[i].value);
	if (conn->too_large || conn->overloaded)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ret = MHD_queue_response(c, (unsigned)resp.status, mr);
	MHD_destroy_response(mr);

	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "serve: %s %s %d %.1fms\n", method, conn->uri,
	    resp.status, (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	response_free(&resp);
	arena_free(req.arena);
	return ret;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct app *app = cls;
	struct conn *conn = *con_cls;
	const char *cl;
	char *end;
	unsigned long long n;

	if (conn == NULL)	/* no URI log callback ran: cannot happen */
		return MHD_NO;
	if (!conn->started) {
		conn->started = 1;
		headers_state(c, 0);
		cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			n = strtoull(cl, &end, 10);
			if (*end == '\0' && n > app->cfg.max_body) {
				/* Answer now; MHD will not read the body. */
				conn->too_large = 1;
				return respond(app, c, method, conn);
			}
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!conn->too_large && !conn->overloaded) {
			if (conn->body.n + *upload_data_size >
			    app->cfg.max_body) {
				conn->too_large = 1;
				buffered -= conn->body.n;
				buf_free(&conn->body);
			} else if (buffered + *upload_data_size >
			    body_budget) {
				/* Too many bodies held at once. */
				conn->overloaded = 1;
				buffered -= conn->body.n;
				buf_free(&conn->body);
			} else {
				buf_add(&conn->body, upload_data,
				    *upload_data_size);
				buffered += *upload_data_size;
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return respond(app, c, method, conn);
}

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port;

	if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int
httpd_run(struct app *app, const char *listen, const char *port_file)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	FILE *f;
	struct timespec tick = { 1, 0 };
	int sig = 0;

	body_budget = HTTPD_BODY_BUDGET(app->cfg.max_body);
	if (parse_listen(listen, &sa) != 0) {
		fprintf(stderr, "zizhi serve: --listen wants IPv4:PORT, "
		    "e.g. 127.0.0.1:8080 (got %s)\n", listen);
		return 2;
	}
	/* Block the signals before MHD starts its thread, then wait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG | MHD_USE_AUTO, 0, NULL, NULL,
	    access_handler, app,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTPD_IDLE_SECONDS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTPD_MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)HTTPD_PER_ADDRESS,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "zizhi serve: cannot listen on %s (is the "
		    "port in use?)\n", listen);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (port_file != NULL) {
		if ((f = fopen(port_file, "w")) == NULL ||
		    fprintf(f, "%u\n", info ? info->port : 0) < 0 ||
		    fclose(f) != 0) {
			fprintf(stderr, "zizhi serve: cannot write %s\n",
			    port_file);
			MHD_stop_daemon(d);
			return 1;
		}
	}
	/* Said once the socket answers (make run used to say it before). */
	fprintf(stderr, "zizhi serve: serving on http://%s:%u/  (Ctrl-C "
	    "stops it)\n", inet_ntoa(sa.sin_addr), info ? info->port : 0);
	/* Links in documents: the address given, or this one. */
	if (app->cfg.public_url == NULL) {
		snprintf(app->listen_url, sizeof(app->listen_url),
		    "http://%s:%u", inet_ntoa(sa.sin_addr), info ? info->port :
		    0);
		app->cfg.public_url = app->listen_url;
	}
	/* Wait for a stop, cutting off overdue headers once a second. */
	while (sig != SIGINT && sig != SIGTERM) {
		sig = sigtimedwait(&set, NULL, &tick);
		cut_slow_headers();
	}
	fprintf(stderr, "zizhi serve: stopping\n");
	MHD_stop_daemon(d);
	return 0;
}
