/*
 * httpd.h: `zizhi serve`, the embedded server (libmicrohttpd).
 */
#ifndef ZIZHI_HTTPD_H
#define ZIZHI_HTTPD_H

#include "app.h"

/*
 * Serves until SIGINT or SIGTERM. listen is "HOST:PORT" (port 0 picks a
 * free one); when port_file is set, the bound port is written there once
 * the server accepts connections. Returns the process exit status.
 */
int	httpd_run(struct app *app, const char *listen, const char *port_file);

#endif
