/*
 * mail.c: configuration, formatting and SMTP delivery of one e-mail
 * (see mail.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "mail.h"
#include "utf8.h"
#include "valid.h"
#include "util.h"

#define CONFIG_LINE_MAX	1024
/* Bytes of subject per encoded-word: 39 bytes are 52 base64
 * characters, so "=?UTF-8?B?" + 52 + "?=" is 64 characters, and the
 * first line "Subject: " + 64 stays within 76. */
#define SUBJECT_CHUNK	39
#define B64_LINE	76

static void ZZ_PRINTF(3, 4)
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int	header_check(const char *s);

/* --- configuration -------------------------------------------------- */

enum cfgkey { K_URL, K_FROM, K_USER, K_PASSWORD, K_FROM_NAME };

static const char *const envnames[] = {
	"ZIZHI_SMTP_URL", "ZIZHI_SMTP_FROM",
	"ZIZHI_SMTP_USER", "ZIZHI_SMTP_PASSWORD", "ZIZHI_SMTP_FROM_NAME",
};

static void
cfg_set(struct mail_config *cfg, enum cfgkey k, const char *v)
{
	free(cfg->mem_[k]);
	cfg->mem_[k] = xstrdup(v);
	switch (k) {
	case K_URL:
		cfg->url = cfg->mem_[k];
		break;
	case K_FROM:
		cfg->from = cfg->mem_[k];
		break;
	case K_USER:
		cfg->user = cfg->mem_[k];
		break;
	case K_PASSWORD:
		cfg->password = cfg->mem_[k];
		break;
	case K_FROM_NAME:
		cfg->from_name = cfg->mem_[k];
		break;
	}
}

void
mail_config_free(struct mail_config *cfg)
{
	size_t i;

	for (i = 0; i < sizeof(cfg->mem_) / sizeof(cfg->mem_[0]); i++)
		free(cfg->mem_[i]);
	memset(cfg, 0, sizeof(*cfg));
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

static int
parse_timeout(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 1 || n > 3600)
		return -1;
	*out = (int)n;
	return 0;
}

static int
config_file(struct mail_config *cfg, const char *path,
    char *err, size_t errlen)
{
	char line[CONFIG_LINE_MAX + 2], *k, *v, *eq;
	FILE *f;
	int lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			seterr(err, errlen, "%s:%d: line too long",
			    path, lineno);
			rc = -1;
			break;
		}
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			seterr(err, errlen, "%s:%d: expected key = value",
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (strcmp(k, "smtp_url") == 0)
			cfg_set(cfg, K_URL, v);
		else if (strcmp(k, "smtp_from") == 0)
			cfg_set(cfg, K_FROM, v);
		else if (strcmp(k, "smtp_from_name") == 0)
			cfg_set(cfg, K_FROM_NAME, v);
		else if (strcmp(k, "smtp_user") == 0)
			cfg_set(cfg, K_USER, v);
		else if (strcmp(k, "smtp_password") == 0)
			cfg_set(cfg, K_PASSWORD, v);
		else if (strcmp(k, "smtp_timeout") == 0) {
			if (parse_timeout(v, &cfg->timeout_seconds) == -1) {
				seterr(err, errlen, "%s:%d: smtp_timeout: "
				    "expected seconds 1..3600", path, lineno);
				rc = -1;
				break;
			}
		} else {
			seterr(err, errlen, "%s:%d: unknown key \"%s\"",
			    path, lineno, k);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		seterr(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

int
mail_config_load(struct mail_config *cfg, const char *path,
    char *err, size_t errlen)
{
	const char *v;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_seconds = MAIL_TIMEOUT_DEFAULT;
	cfg->from_name = MAIL_FROM_NAME_DEFAULT;
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	if (path != NULL && config_file(cfg, path, err, errlen) == -1)
		return MAIL_CONFIG_ERROR;

	for (i = 0; i < sizeof(envnames) / sizeof(envnames[0]); i++)
		if ((v = getenv(envnames[i])) != NULL)
			cfg_set(cfg, (enum cfgkey)i, v);

	if (cfg->from_name != NULL && (strlen(cfg->from_name) >
	    MAIL_FROM_NAME_MAX || header_check(cfg->from_name) != 0 ||
	    !utf8_valid(cfg->from_name, strlen(cfg->from_name)))) {
		seterr(err, errlen, "smtp_from_name must be one line of UTF-8 "
		    "text of at most %d bytes", MAIL_FROM_NAME_MAX);
		return MAIL_CONFIG_ERROR;
	}
	if (cfg->url == NULL || cfg->url[0] == '\0')
		return MAIL_CONFIG_NOT_CONFIGURED;
	if (strncmp(cfg->url, "smtp://", 7) != 0 &&
	    strncmp(cfg->url, "smtps://", 8) != 0) {
		seterr(err, errlen, "smtp_url must start with smtp:// "
		    "or smtps://");
		return MAIL_CONFIG_ERROR;
	}
	if (cfg->from == NULL || !mail_address_valid(cfg->from)) {
		seterr(err, errlen, "smtp_from must be a plain address "
		    "(name@example.org)");
		return MAIL_CONFIG_ERROR;
	}
	return MAIL_CONFIG_OK;
}

/* --- formatting ----------------------------------------------------- */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends base64 of p[0..n) without line breaks. */
static void
b64(struct buf *out, const unsigned char *p, size_t n)
{
	char q[4];
	unsigned int v;

	for (; n >= 3; p += 3, n -= 3) {
		v = (unsigned int)p[0] << 16 | (unsigned int)p[1] << 8 | p[2];
		q[0] = b64chars[v >> 18 & 63];
		q[1] = b64chars[v >> 12 & 63];
		q[2] = b64chars[v >> 6 & 63];
		q[3] = b64chars[v & 63];
		buf_add(out, q, 4);
	}
	if (n > 0) {
		v = (unsigned int)p[0] << 16;
		if (n == 2)
			v |= (unsigned int)p[1] << 8;
		q[0] = b64chars[v >> 18 & 63];
		q[1] = b64chars[v >> 12 & 63];
		q[2] = n == 2 ? b64chars[v >> 6 & 63] : '=';
		q[3] = '=';
		buf_add(out, q, 4);
	}
}

/* Header text: no CR/LF (injection), no other C0 control but TAB,
 * no DEL. */
static int
header_check(const char *s)
{
	const unsigned char *p;

	if (strpbrk(s, "\r\n") != NULL)
		return MAIL_FORMAT_EINJECT;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return MAIL_FORMAT_ECTRL;
	return 0;
}

int
mail_address_valid(const char *addr)
{
	return valid_email(addr);
}

/* The reason a header value that must be a bare address is refused. */
static int
address_check(const char *addr)
{
	int rc;

	if (addr == NULL)
		return MAIL_FORMAT_EADDR;
	if ((rc = header_check(addr)) != 0)
		return rc;
	return mail_address_valid(addr) ? 0 : MAIL_FORMAT_EADDR;
}

static int
msgid_check(const char *id)
{
	const char *p, *s = id;
	size_t n;
	int rc;

	if (id == NULL)
		return MAIL_FORMAT_EMSGID;
	if ((rc = header_check(id)) != 0)
		return rc;
	n = strlen(s);
	if (n > 0 && s[0] == '<') {
		if (n < 2 || s[n - 1] != '>')
			return MAIL_FORMAT_EMSGID;
		s++;
		n -= 2;
	}
	if (n == 0 || n > 200)
		return MAIL_FORMAT_EMSGID;
	for (p = s; p < s + n; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[],;:\"\\", *p))
			return MAIL_FORMAT_EMSGID;
	if (memchr(s, '@', n) == NULL)
		return MAIL_FORMAT_EMSGID;
	return 0;
}

/* text as encoded-words, " =?UTF-8?B?...?=", one per line (the lines
 * joined by CRLF, none after the last), split between characters. */
static void
words_encode(struct buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), take, l;
	uint32_t c;

	while (n > 0) {
		take = 0;
		while (take < n) {
			if ((l = utf8_decode(p + take, n - take, &c)) == 0)
				l = 1;	/* validated before; never split */
			if (take + l > SUBJECT_CHUNK)
				break;
			take += l;
		}
		buf_puts(out, " =?UTF-8?B?");
		b64(out, p, take);
		buf_puts(out, "?=");
		p += take;
		n -= take;
		if (n > 0)
			buf_puts(out, "\r\n");
	}
}

/* "Subject: " and one encoded-word per line. */
static void
subject_encode(struct buf *out, const char *subject)
{
	buf_puts(out, "Subject:");
	if (*subject == '\0') {
		buf_puts(out, " \r\n");
		return;
	}
	words_encode(out, subject);
	buf_puts(out, "\r\n");
}

static void
body_encode(struct buf *out, const char *body)
{
	struct buf canon;
	const char *p;
	size_t off, take;

	/* Canonical text: every line break is CRLF. */
	buf_init(&canon);
	for (p = body; *p != '\0'; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			buf_putc(&canon, '\r');
		buf_putc(&canon, *p);
	}
	/* 57 bytes are one 76-character line. */
	for (off = 0; off < canon.n; off += take) {
		take = canon.n - off < B64_LINE / 4 * 3 ?
		    canon.n - off : B64_LINE / 4 * 3;
		b64(out, (const unsigned char *)canon.p + off, take);
		buf_puts(out, "\r\n");
	}
	buf_free(&canon);
}

int
mail_format(struct buf *out, const char *from_name, const char *from,
    const char *to, const char *subject, const char *body_text,
    const char *message_id, long long date_unix)
{
	static const char *const wday[] =
	    { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t t;
	int rc;

	if ((rc = address_check(from)) != 0 ||
	    (rc = address_check(to)) != 0)
		return rc;
	if (subject == NULL || body_text == NULL)
		return MAIL_FORMAT_EUTF8;
	if ((rc = header_check(subject)) != 0)
		return rc;
	if (from_name != NULL && (rc = header_check(from_name)) != 0)
		return rc;
	if (from_name != NULL && !utf8_valid(from_name, strlen(from_name)))
		return MAIL_FORMAT_EUTF8;
	if (!utf8_valid(subject, strlen(subject)) ||
	    !utf8_valid(body_text, strlen(body_text)))
		return MAIL_FORMAT_EUTF8;
	if ((rc = msgid_check(message_id)) != 0)
		return rc;

	/* China Standard Time has been UTC+8 without DST since 1991. */
	if (date_unix < 0 || date_unix > 253402271999LL)
		return MAIL_FORMAT_EDATE;
	t = (time_t)(date_unix + 8 * 3600);
	if (gmtime_r(&t, &tm) == NULL)
		return MAIL_FORMAT_EDATE;

	buf_printf(out, "Date: %s, %d %s %04d %02d:%02d:%02d +0800\r\n",
	    wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (from_name != NULL && *from_name != '\0') {
		buf_puts(out, "From:");
		words_encode(out, from_name);
		/* The address on a line of its own: lines stay short. */
		buf_printf(out, "\r\n <%s>\r\n", from);
	} else
		buf_printf(out, "From: %s\r\n", from);
	buf_printf(out, "To: %s\r\n", to);
	subject_encode(out, subject);
	if (message_id[0] == '<')
		buf_printf(out, "Message-ID: %s\r\n", message_id);
	else
		buf_printf(out, "Message-ID: <%s>\r\n", message_id);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	body_encode(out, body_text);
	return 0;
}

/* --- delivery ------------------------------------------------------- */

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;

	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

int
mail_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
mail_cleanup(void)
{
	curl_global_cleanup();
}

const char *
mail_result_str(enum mail_result r)
{
	switch (r) {
	case MAIL_SENT:
		return "sent";
	case MAIL_TEMPFAIL:
		return "temporary failure";
	case MAIL_PERMFAIL:
		return "permanent failure";
	}
	return "unknown";
}

/*
 * Which failures are the message's own.  A 5xx reply to MAIL, RCPT or
 * the end of DATA refuses this message; anything else (no connection,
 * timeout, TLS, refused login, a 4xx, a reply we could not read) is
 * transient or a fault of our configuration, and the message waits.
 */
static enum mail_result
classify(CURLcode cc, long code)
{
	switch (cc) {
	case CURLE_OK:
		return MAIL_SENT;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
	case CURLE_USE_SSL_FAILED:
		return MAIL_TEMPFAIL;
	default:
		break;
	}
	if (code >= 500 && code <= 599)
		return MAIL_PERMFAIL;
	return MAIL_TEMPFAIL;
}

enum mail_result
mail_send(const struct mail_config *cfg, const char *to,
    const char *message, size_t len, char *err, size_t errlen)
{
	char curlerr[CURL_ERROR_SIZE];
	struct curl_slist *rcpt = NULL;
	struct reader r;
	enum mail_result res;
	CURL *c;
	CURLcode cc;
	char *envfrom = NULL, *envto = NULL;
	long code = 0, timeout;
	int smtps, failed = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (cfg == NULL || cfg->url == NULL || cfg->url[0] == '\0') {
		seterr(err, errlen, "SMTP is not configured");
		return MAIL_TEMPFAIL;
	}
	if (cfg->from == NULL || !mail_address_valid(cfg->from)) {
		seterr(err, errlen, "invalid sender address");
		return MAIL_TEMPFAIL;
	}
	if (!mail_address_valid(to)) {
		seterr(err, errlen, "invalid recipient address");
		return MAIL_PERMFAIL;
	}
	smtps = strncmp(cfg->url, "smtps://", 8) == 0;
	if (!smtps && strncmp(cfg->url, "smtp://", 7) != 0) {
		seterr(err, errlen, "SMTP URL must be smtp:// or smtps://");
		return MAIL_TEMPFAIL;
	}
	if ((c = curl_easy_init()) == NULL) {
		seterr(err, errlen, "curl_easy_init failed");
		return MAIL_TEMPFAIL;
	}

	envfrom = xmalloc(strlen(cfg->from) + 3);
	snprintf(envfrom, strlen(cfg->from) + 3, "<%s>", cfg->from);
	envto = xmalloc(strlen(to) + 3);
	snprintf(envto, strlen(to) + 3, "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, envto)) == NULL) {
		seterr(err, errlen, "out of memory");
		res = MAIL_TEMPFAIL;
		goto out;
	}
	r.p = message;
	r.left = len;
	timeout = cfg->timeout_seconds > 0 ?
	    cfg->timeout_seconds : MAIL_TIMEOUT_DEFAULT;
	curlerr[0] = '\0';

#define SETOPT(o, v) \
	do { if (curl_easy_setopt(c, (o), (v)) != CURLE_OK) failed = 1; } \
	while (0)
	SETOPT(CURLOPT_URL, cfg->url);
	SETOPT(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_ERRORBUFFER, curlerr);
	SETOPT(CURLOPT_TIMEOUT, timeout);
	SETOPT(CURLOPT_CONNECTTIMEOUT, timeout < 10 ? timeout : 10L);
	SETOPT(CURLOPT_USE_SSL, smtps ? (long)CURLUSESSL_ALL :
	    (long)CURLUSESSL_TRY);
	SETOPT(CURLOPT_MAIL_FROM, envfrom);
	SETOPT(CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(CURLOPT_READFUNCTION, read_cb);
	SETOPT(CURLOPT_READDATA, &r);
	SETOPT(CURLOPT_UPLOAD, 1L);
	SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	if (cfg->user != NULL && cfg->user[0] != '\0') {
		SETOPT(CURLOPT_USERNAME, cfg->user);
		SETOPT(CURLOPT_PASSWORD,
		    cfg->password != NULL ? cfg->password : "");
	}
#undef SETOPT
	if (failed) {
		seterr(err, errlen, "libcurl refused an option "
		    "(no SMTP or TLS support?)");
		res = MAIL_TEMPFAIL;
		goto out;
	}

	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	res = classify(cc, code);
	if (res != MAIL_SENT) {
		if (code != 0)
			seterr(err, errlen, "%s (SMTP %ld): %s",
			    mail_result_str(res), code, curlerr[0] != '\0' ?
			    curlerr : curl_easy_strerror(cc));
		else
			seterr(err, errlen, "%s: %s", mail_result_str(res),
			    curlerr[0] != '\0' ?
			    curlerr : curl_easy_strerror(cc));
	}
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	free(envfrom);
	free(envto);
	return res;
}
