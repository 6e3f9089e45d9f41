/*
 * fcgi.h: `zizhi fcgi`, the FastCGI workers (libfcgi) behind nginx.
 */
#ifndef ZIZHI_FCGI_H
#define ZIZHI_FCGI_H

#include "app.h"

struct fcgi_options {
	const char	*socket;	/* Unix socket path; NULL: fd 0 */
	unsigned	 mode;		/* the socket's permission bits */
	int		 workers;	/* processes; restarted when they die */
};

/* Runs until SIGTERM/SIGINT. Returns the process exit status. */
int	fcgi_run(const struct app_config *cfg, const struct fcgi_options *o);

#endif
