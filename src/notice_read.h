/*
 * notice_read.h: reading a case's notices (告知), as the case page and
 * the notice page show them; notice.h writes them. Each function takes a
 * case loaded through the access policy and answers "not found" when its
 * reader may not see the notices.
 */
#ifndef ZIZHI_NOTICE_READ_H
#define ZIZHI_NOTICE_READ_H

#include <stddef.h>

#include "access.h"
#include "dom.h"

struct notice_row {
	long long	 id;
	const char	*kind;		/* "receipt", "supplement", ... */
	const char	*no;		/* "SE2-2026-00001-R1" */
	const char	*title;
	const char	*at;		/* ISO-8601 UTC */
	const char	*day;		/* YYYY-MM-DD, the notice's date */
	const char	*due;		/* a date it sets, or "" (a supplement's:
					   "" until served) */
	const char	*served_day;	/* 送达, YYYY-MM-DD, or "" (待送达) */
	const char	*served_at;	/* ISO-8601 UTC, or "" */
	const char	*served_via;	/* "smtp", "portal", "before", or "" */
	const char	*served_zh;	/* how, in words, or "" */
	const char	*body;		/* the text as sent; NULL in lists */
};

/* The notices of c in order, in d's arena. DOM_OK, DOM_NOT_FOUND or
 * DOM_FAILED. */
enum dom_rc	 notice_list(struct dom *d, const struct case_ref *c,
		    struct notice_row **rows, size_t *n);

/* Notice nid of c, with its text. DOM_OK, DOM_NOT_FOUND or DOM_FAILED. */
enum dom_rc	 notice_get(struct dom *d, const struct case_ref *c,
		    long long nid, struct notice_row *out);

/* One thing a supplement request asks for. */
struct notice_item {
	const char	*target;	/* a section id or a material code */
	const char	*what;
};

/* The latest supplement request (补正告知) of a case. */
struct notice_supplement {
	long long		 id;		/* the notice */
	const char		*no;
	const char		*day;		/* the day it was made */
	const char		*due;		/* YYYY-MM-DD, "" until served */
	const char		*served_day;	/* "" until served (待送达) */
	const char		*served_zh;	/* how, in words */
	struct notice_item	*items;
	size_t			 nitems;
};

/*
 * The latest supplement request of c: DOM_OK; DOM_NOT_FOUND when there
 * is none (or c's reader may not see notices); DOM_FAILED.
 */
enum dom_rc	 notice_supplement(struct dom *d, const struct case_ref *c,
		    struct notice_supplement *out);

/* A message to the organisation the mail server refused for good. */
struct notice_bounce {
	long long	 notice_id;	/* 0 for a reminder */
	const char	*notice_no;	/* "" for a reminder */
	const char	*to;
	const char	*subject;
	const char	*error;		/* the server's answer */
	const char	*at;		/* when it was queued, ISO-8601 UTC */
};

/*
 * The messages of case c that could not be delivered (a permanent SMTP
 * failure, or temporary ones until the sweep gave up), newest first, for
 * those who may read its findings (the lead): DOM_OK; DOM_NOT_FOUND for
 * other readers; DOM_FAILED.
 */
enum dom_rc	 notice_bounces(struct dom *d, const struct case_ref *c,
		    struct notice_bounce **rows, size_t *n);

#endif
