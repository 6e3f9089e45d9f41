/*
 * pages_info.c: public information (§4, §5.5, §10). The contact page with
 * the guide's §10 contacts and the official documents to download; the
 * FAQ; and the public register for the editors of the website, the
 * magazine and the 公众号 (§5.5: "在测评中心网站、《中国信息安全》杂志、
 * “国家信息安全服务资质”公众号上予以公告"): /certified.json and
 * /certified.csv, the whole register with each certificate's status as
 * of today, and /announcements.atom, an Atom 1.0 feed (RFC 4287) of the
 * certificates issued, suspended and cancelled. Anyone may read them.
 */
#include <string.h>

#include "money.h"
#include "page.h"
#include "pages_verify.h"
#include "router.h"
#include "rules.h"
#include "util.h"

extern const struct route routes_info[];

/* Announcements in the feed. */
#define FEED_ENTRIES	100

static int
page_contact(struct request *req, struct response *resp)
{
	return page_render(req, resp, 200, "contact", page_view(req,
	    "联系方式与官方文件"));
}

static int
page_faq(struct request *req, struct response *resp)
{
	const struct rules *r = rules_default();
	struct tv *v = page_view(req, "常见问题");

	tv_put_int(v, "supplement_months", r->supplement_months);
	tv_put_int(v, "target_months", r->target_months);
	tv_put_int(v, "limit_months", r->limit_months);
	tv_put_int(v, "validity_years", r->validity_years);
	tv_put_int(v, "maintenance_months", r->maint_ontime_months);
	tv_put_int(v, "late_months", r->maint_initial_months);
	tv_put_int(v, "retention_years", r->retention_years);
	tv_put_str(v, "fee_initial", money_yuan(req->arena,
	    r->fee_initial_audit + r->fee_initial_annual));
	tv_put_str(v, "fee_maint", money_yuan(req->arena, r->fee_maint_audit +
	    r->fee_maint_annual));
	return page_render(req, resp, 200, "faq", v);
}

/* The register as JSON: one object per certificate. */
struct walk {
	struct buf	*b;
	int		 n;
};

static int
json_cert(const struct certificate *c, void *arg)
{
	struct walk *w = arg;

	buf_puts(w->b, w->n++ ? ",\n  {" : "\n  {");
	buf_puts(w->b, "\"number\": ");
	buf_json(w->b, c->no);
	buf_puts(w->b, ", \"organisation\": ");
	buf_json(w->b, c->org_name);
	buf_puts(w->b, ", \"uscc\": ");
	buf_json(w->b, c->uscc);
	buf_puts(w->b, ", \"issued\": ");
	buf_json(w->b, c->issued_on);
	buf_puts(w->b, ", \"expires\": ");
	buf_json(w->b, c->expires_on);
	buf_puts(w->b, ", \"status\": ");
	buf_json(w->b, cert_state_code(c->state));
	buf_puts(w->b, ", \"status_zh\": ");
	buf_json(w->b, cert_state_zh(c->state));
	buf_puts(w->b, ", \"verify\": ");
	buf_json(w->b, c->verify_url);
	buf_putc(w->b, '}');
	return 0;
}

/* Headers of the register's files: fresh for a day, for the editors. */
static void
register_headers(struct request *req, struct response *resp,
    const char *type, const char *name)
{
	resp->status = 200;
	resp->content_type = type;
	response_header(resp, "Cache-Control", "public, max-age=300");
	response_header(resp, "Access-Control-Allow-Origin", "*");
	if (name != NULL)
		response_header(resp, "Content-Disposition", arena_printf(
		    req->arena, "inline; filename=\"%s\"", name));
}

/*
 * The register through fn (json_cert or csv_cert) between head and tail
 * (tail: what closes a non-empty and an empty list), answered as type.
 */
static int
register_file(struct request *req, struct response *resp, certificate_fn fn,
    const char *head, const char *tail, const char *tail_empty,
    const char *type, const char *name)
{
	struct dom d;
	struct walk w;
	enum dom_rc rc;

	cert_page_dom(req, &d);
	buf_reset(&resp->body);
	w.b = &resp->body;
	w.n = 0;
	buf_puts(w.b, head);
	if ((rc = certificate_register_each(&d, fn, &w)) != DOM_OK) {
		buf_reset(&resp->body);
		return page_status(resp, &d, rc);
	}
	buf_puts(w.b, w.n ? tail : tail_empty);
	register_headers(req, resp, type, name != NULL ? arena_printf(
	    req->arena, "%s-%s.csv", name, d.today_s) : NULL);
	return 0;
}

static int
page_certified_json(struct request *req, struct response *resp)
{
	/* as_of: the day the states hold for (digits and dashes). */
	return register_file(req, resp, json_cert, arena_printf(req->arena,
	    "{\"as_of\": \"%s\", \"certificates\": [", page_today(req)),
	    "\n]}\n", "]}\n", "application/json; charset=utf-8", NULL);
}

static int
csv_cert(const struct certificate *c, void *arg)
{
	struct walk *w = arg;

	page_csv_field(w->b, c->no, 0);
	page_csv_field(w->b, c->org_name, 0);
	page_csv_field(w->b, c->uscc, 0);
	page_csv_field(w->b, c->issued_on, 0);
	page_csv_field(w->b, c->expires_on, 0);
	page_csv_field(w->b, cert_state_code(c->state), 0);
	page_csv_field(w->b, cert_state_zh(c->state), 1);
	w->n++;
	return 0;
}

static int
page_certified_csv(struct request *req, struct response *resp)
{
	/* The BOM Excel needs for UTF-8, then the header. */
	return register_file(req, resp, csv_cert, "\xEF\xBB\xBF\"number\","
	    "\"organisation\",\"uscc\",\"issued\",\"expires\",\"status\","
	    "\"status_zh\"\r\n", "", "", "text/csv; charset=utf-8",
	    "certified");
}

/* An element of text, escaped. */
static void
xml_elem(struct buf *b, const char *indent, const char *name, const char *s)
{
	buf_printf(b, "%s<%s>", indent, name);
	buf_html(b, s, strlen(s));
	buf_printf(b, "</%s>\n", name);
}

/* One announcement as an Atom entry. */
static void
atom_entry(struct buf *b, const char *base, const struct cert_announcement *a)
{
	const char *what = cert_news_zh(a->what);
	struct buf t;

	buf_puts(b, "  <entry>\n");
	buf_init(&t);
	/* Stable: the certificate's address, what happened, and which. */
	buf_printf(&t, "%s/verify/%s#%s-%lld", base, a->no,
	    cert_news_code(a->what), a->id);
	xml_elem(b, "    ", "id", t.p);
	buf_reset(&t);
	buf_printf(&t, "%s：%s（证书编号 %s）", what, a->org_name, a->no);
	xml_elem(b, "    ", "title", t.p);
	xml_elem(b, "    ", "updated", a->at);
	buf_puts(b, "    <link rel=\"alternate\" type=\"text/html\" href=\"");
	buf_html(b, a->verify_url, strlen(a->verify_url));
	buf_puts(b, "\"/>\n");
	buf_printf(b, "    <category term=\"%s\" label=\"%s\"/>\n",
	    cert_news_code(a->what), what);
	buf_reset(&t);
	if (a->what == CERT_NEWS_ISSUED)
		buf_printf(&t, "%s（统一社会信用代码 %s）获得信息安全服务资质（安全"
		    "工程类二级）证书，证书编号 %s，有效期 %s 至 %s。", a->org_name,
		    a->uscc, a->no, a->issued_on, a->expires_on);
	else
		buf_printf(&t, "%s（统一社会信用代码 %s）持有的信息安全服务资质"
		    "（安全工程类二级）证书 %s 已%s。证书的当前状态以查验页面为准。",
		    a->org_name, a->uscc, a->no, a->what == CERT_NEWS_SUSPENDED ?
		    "暂停" : "取消");
	xml_elem(b, "    ", "summary", t.p);
	buf_free(&t);
	buf_puts(b, "  </entry>\n");
}

static int
page_announcements(struct request *req, struct response *resp)
{
	struct cert_announcement *a;
	struct buf *b = &resp->body;
	struct dom d;
	enum dom_rc rc;
	const char *base;
	size_t n, i;

	cert_page_dom(req, &d);
	if ((rc = certificate_announcements(&d, FEED_ENTRIES, &a, &n)) !=
	    DOM_OK)
		return page_status(resp, &d, rc);
	base = d.public_url;
	buf_reset(b);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
	xml_elem(b, "  ", "id", arena_printf(req->arena,
	    "%s/announcements.atom", base));
	xml_elem(b, "  ", "title", "信息安全服务资质（安全工程类二级）获证与处置公告");
	xml_elem(b, "  ", "subtitle", "发证、暂停证书和取消证书的公告，供测评中心"
	    "网站、《中国信息安全》杂志和“国家信息安全服务资质”公众号编辑使用。");
	xml_elem(b, "  ", "updated", n > 0 ? a[0].at : d.stamp);
	buf_puts(b, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
	buf_html(b, base, strlen(base));
	buf_puts(b, "/announcements.atom\"/>\n");
	buf_puts(b, "  <link rel=\"alternate\" type=\"text/html\" href=\"");
	buf_html(b, base, strlen(base));
	buf_puts(b, "/certified\"/>\n");
	buf_puts(b, "  <author><name>中国信息安全测评中心</name></author>\n");
	for (i = 0; i < n; i++)
		atom_entry(b, base, &a[i]);
	buf_puts(b, "</feed>\n");
	register_headers(req, resp, "application/atom+xml; charset=utf-8",
	    NULL);
	return 0;
}

const struct route routes_info[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/contact",		page_contact,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/faq",			page_faq,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/certified.json",	page_certified_json,
	    ROLES_ALL, 0 },
	{ METHOD_GET,	"/certified.csv",	page_certified_csv, ROLES_ALL, 0 },
	{ METHOD_GET,	"/announcements.atom",	page_announcements,
	    ROLES_ALL, 0 },
	{ 0, NULL, NULL, 0, 0 }
};
