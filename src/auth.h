/*
 * auth.h: who is making the request. Sessions (a random token in an
 * HttpOnly, SameSite=Lax cookie; only its hash is stored), idle and
 * absolute expiry, and the per-session CSRF token every form carries.
 */
#ifndef ZIZHI_AUTH_H
#define ZIZHI_AUTH_H

#include "actor.h"
#include "http.h"

#define AUTH_IDLE_SECONDS	(30 * 60)
#define AUTH_ABSOLUTE_SECONDS	(12 * 60 * 60)


/*
 * Looks up the session named by the request's cookie and sets req->user
 * (NULL when there is none, or it expired; an expired one is deleted).
 */
void		 auth_load(struct request *req);

/* Starts a new session for the account (a new token every login) and
 * sets its cookie. 0, or -1 on a database error. */
int		 auth_login(struct request *req, struct response *resp,
		    long long account_id);

/* Ends the request's session on the server and clears the cookie. */
void		 auth_logout(struct request *req, struct response *resp);

/* 1 when the form's "csrf" field matches the session's token. */
int		 auth_csrf_ok(const struct request *req);

#endif
