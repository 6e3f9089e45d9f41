/*
 * pages_verify.h: what the pages of 发证 share (pages_verify.c): the
 * domain context with the public address filled in, and a certificate
 * and its sanctions as a view.
 */
#ifndef ZIZHI_PAGES_VERIFY_H
#define ZIZHI_PAGES_VERIFY_H

#include "certificate.h"
#include "http.h"

struct dom;
struct tv;

/*
 * page_dom(), and when no public URL is configured the request's own
 * scheme and host as d->public_url (a Host with unexpected characters
 * gives "localhost"): what the QR code, the notices and the verification
 * page link to.
 */
void	 cert_page_dom(struct request *req, struct dom *d);

/* Route argument i as an id; 0 when it is not one (no such thing). */
long long	 cert_arg(const struct request *req, size_t i);

/* The certificate as view field "cert" of v (and "today"). */
void	 cert_put(struct dom *d, struct tv *v, const struct certificate *c);

/*
 * The sanctions of certificate cid as view list "sanctions" of v (and
 * has_sanctions, warned); with_reason: the reasons, names, times and
 * lift buttons of the staff page. 0 or 500.
 */
int	 cert_put_sanctions(struct dom *d, struct tv *v, long long cid,
	    int with_reason);

#endif
