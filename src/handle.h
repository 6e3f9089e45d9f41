/*
 * handle.h: the single request path. Both front doors (httpd.c, fcgi.c)
 * fill a struct request with raw transport values and call app_handle;
 * everything after that never knows which door the request came
 * through.
 */
#ifndef ZIZHI_HANDLE_H
#define ZIZHI_HANDLE_H

#include "app.h"
#include "http.h"

/*
 * Parses, routes, checks, runs the handler, renders errors, adds the
 * security headers. Never fails: every outcome is a response.
 */
void		 app_handle(struct app *app, struct request *req,
		    struct response *resp);

#endif
