/*
 * outbox_read.h: reading the e-mail outbox (outbox.h writes it), for the
 * administrator's view: like a mail catcher with no SMTP configured,
 * otherwise what was sent, what waits for a retry and why a message
 * failed. Administrators only.
 */
#ifndef ZIZHI_OUTBOX_READ_H
#define ZIZHI_OUTBOX_READ_H

#include <stddef.h>

#include "dom.h"

/* A message. Strings in d->arena. */
struct outbox_msg {
	long long	 id;
	const char	*to;
	const char	*subject;
	const char	*body;		/* outbox_get only; "" in lists */
	const char	*state;		/* "pending", "sent", "failed" */
	long long	 attempts;
	const char	*created_at;	/* ISO-8601 UTC */
	const char	*sent_at;	/* "" before */
	const char	*error;		/* the last, "" none */
	const char	*message_id;	/* outbox_get only */
};

struct outbox_counts {
	long long	 total;
	long long	 pending;
	long long	 failed;
};

/* What the administrator reads in place of a secret a message carries. */
#define OUTBOX_MASK	"（一次性凭证，已隐藏）"

/* The state of a message in words ("待发送", "已发送", "发送失败"). */
const char	*outbox_state_zh(const char *state);

/* The messages, newest first, from offset, at most limit, and the
 * counts. DOM_FORBIDDEN but for an administrator. */
enum dom_rc	 outbox_list(struct dom *d, long long offset, long long limit,
		    struct outbox_msg **msgs, size_t *n,
		    struct outbox_counts *counts);

/* One message; DOM_NOT_FOUND when there is none with that id. */
enum dom_rc	 outbox_get(struct dom *d, long long id, struct outbox_msg *out);

#endif
