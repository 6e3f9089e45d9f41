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
#define AUTH_CODE_SECONDS	(5 * 60)	/* to type the second factor */


/*
 * Looks up the session named by the request's cookie and sets req->user
 * (NULL when there is none, or it expired; an expired one is deleted).
 * 0, or -1 when the database cannot say (the request then fails: a read
 * that failed is not "logged out").
 */
int		 auth_load(struct request *req);

/* Starts a new session for the account (a new token every login) and
 * sets its cookie. 0, or -1 on a database error. */
int		 auth_login(struct request *req, struct response *resp,
		    long long account_id);

/* Session stages (session.stage). */
enum auth_stage {
	AUTH_FULL = 0,		/* logged in */
	AUTH_CODE = 1,		/* the password was right; a code must
				 * follow: not logged in yet (req->pending_id) */
	AUTH_ENROL = 2		/* logged in, but only to enrol a second
				 * factor (req->must_enrol) */
};

/* The same, at a stage: a half-way session ends the request's current
 * one and starts a new token too, so each stage has its own. */
int		 auth_login_stage(struct request *req, struct response *resp,
		    long long account_id, enum auth_stage stage);

/* Ends the request's session on the server and clears the cookie. */
void		 auth_logout(struct request *req, struct response *resp);

/* 1 when the form's "csrf" field matches the session's token. */
int		 auth_csrf_ok(const struct request *req);

#endif
