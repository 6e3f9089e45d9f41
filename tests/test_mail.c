/*
 * test_mail.c: e-mail (src/mail.c): configuration, RFC 5322/2047/2045
 * formatting decoded back by hand, and delivery over SMTP to
 * tests/smtp_sink, a real server on a loopback port.
 *
 * The send tests need the sink binary: ZIZHI_SMTP_SINK names it.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "mail.h"
#include "util.h"

/* 2026-01-01T00:00:00Z, a Thursday. */
#define T2026	1767225600LL

/* --- helpers: decoding what mail_format wrote ------------------------ */

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 (length a multiple of 4, padding only at the end). */
static int
b64decode(const char *s, size_t n, struct buf *out)
{
	size_t i;
	int v[4], k, pad;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && k >= 2 && i + 4 == n) {
				v[k] = 0;
				pad++;
			} else if (pad > 0 || (v[k] = b64val(s[i + k])) < 0)
				return -1;
		}
		buf_putc(out, (char)(v[0] << 2 | v[1] >> 4));
		if (pad < 2)
			buf_putc(out, (char)((v[1] & 15) << 4 | v[2] >> 2));
		if (pad < 1)
			buf_putc(out, (char)((v[2] & 3) << 6 | v[3]));
	}
	return 0;
}

/* Independent UTF-8 check (not mail.c's). */
static int
utf8ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

/* Every line ends in CRLF, no bare CR or LF, none longer than max. */
static void
check_lines(const char *p, size_t n, size_t max)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (i + 1 >= n || p[i + 1] != '\n')
				fail_msg("bare CR at %zu", i);
			if (i - start > max)
				fail_msg("line of %zu characters at %zu: %.*s",
				    i - start, start, (int)(i - start),
				    p + start);
			start = i + 2;
			i++;
		} else if (p[i] == '\n')
			fail_msg("bare LF at %zu", i);
	}
	assert_int_equal(start, n);	/* ends with CRLF */
}

struct parsed {
	char	*headers;	/* up to and without the blank line */
	char	*body;		/* after the blank line */
};

static void
parse(const char *msg, struct parsed *m)
{
	const char *sep = strstr(msg, "\r\n\r\n");

	assert_non_null(sep);
	m->headers = xstrndup(msg, (size_t)(sep - msg) + 2);
	m->body = xstrdup(sep + 4);
}

static void
parsed_free(struct parsed *m)
{
	free(m->headers);
	free(m->body);
}

/*
 * The value of header name (unfolded), or NULL.  The returned string
 * is allocated.
 */
static char *
header(const struct parsed *m, const char *name)
{
	struct buf b;
	const char *p = m->headers, *e = NULL;
	size_t nl = strlen(name);

	for (; *p != '\0'; p = e + 2) {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
			break;
	}
	if (*p == '\0')
		return NULL;
	buf_init(&b);
	buf_add(&b, p + nl + 1, (size_t)(e - p) - nl - 1);
	for (p = e + 2; *p == ' ' || *p == '\t'; p = e + 2) {
		e = strstr(p, "\r\n");
		buf_add(&b, p, (size_t)(e - p));
	}
	return b.p != NULL ? b.p : xstrdup("");
}

/*
 * Decodes a Subject made only of UTF-8 B encoded-words.  Checks each
 * word's length (<= 75) and that each one holds whole characters.
 */
static char *
decode_subject(const char *v)
{
	struct buf out, one;
	const char *p = v, *q, *end;

	buf_init(&out);
	buf_init(&one);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (strncmp(p, "=?UTF-8?B?", 10) != 0)
			fail_msg("not an encoded-word: %s", p);
		q = p + 10;
		end = strstr(q, "?=");
		assert_non_null(end);
		if ((size_t)(end + 2 - p) > 75)
			fail_msg("encoded-word of %zu characters",
			    (size_t)(end + 2 - p));
		buf_reset(&one);
		if (b64decode(q, (size_t)(end - q), &one) != 0)
			fail_msg("bad base64 in %.*s", (int)(end - q), q);
		if (!utf8ok((unsigned char *)one.p, one.n))
			fail_msg("encoded-word splits a character");
		buf_add(&out, one.p, one.n);
		p = end + 2;
	}
	buf_free(&one);
	return out.p != NULL ? out.p : xstrdup("");
}

/* Body: base64 lines of at most 76 characters. */
static void
decode_body(const char *body, struct buf *out)
{
	const char *p = body, *e;

	while (*p != '\0') {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		if (e - p > 76)
			fail_msg("base64 line of %td characters", e - p);
		if (b64decode(p, (size_t)(e - p), out) != 0)
			fail_msg("bad base64 line %.*s", (int)(e - p), p);
		p = e + 2;
	}
}

static void
format_ok(struct buf *b, const char *subject, const char *body)
{
	int rc;

	rc = mail_format(b, NULL, "noreply@zizhi.example", "lead@org.example",
	    subject, body, "case-1.notice-2@zizhi.example", T2026);
	if (rc != 0)
		fail_msg("mail_format: %d", rc);
	check_lines(b->p, b->n, 76);
}

/* --- format tests --------------------------------------------------- */

static void
test_format_headers(void **state)
{
	struct parsed m;
	struct buf b;
	char *v;

	buf_init(&b);
	format_ok(&b, "Hello", "Body\n");
	parse(b.p, &m);

	v = header(&m, "Date");
	assert_string_equal(v, " Thu, 1 Jan 2026 08:00:00 +0800");
	free(v);
	v = header(&m, "From");
	assert_string_equal(v, " noreply@zizhi.example");
	free(v);
	v = header(&m, "To");
	assert_string_equal(v, " lead@org.example");
	free(v);
	v = header(&m, "Message-ID");
	assert_string_equal(v, " <case-1.notice-2@zizhi.example>");
	free(v);
	v = header(&m, "MIME-Version");
	assert_string_equal(v, " 1.0");
	free(v);
	v = header(&m, "Content-Type");
	assert_string_equal(v, " text/plain; charset=UTF-8");
	free(v);
	v = header(&m, "Content-Transfer-Encoding");
	assert_string_equal(v, " base64");
	free(v);
	v = header(&m, "Subject");
	assert_non_null(v);
	assert_string_equal(v, " =?UTF-8?B?SGVsbG8=?=");
	free(v);
	parsed_free(&m);

	/* An id already in brackets is not bracketed twice; the date
	 * rolls over the day in +0800. */
	buf_reset(&b);
	assert_int_equal(mail_format(&b, NULL, "a@b.example", "c@d.example",
	    "", "", "<x@y>", T2026 - 1), 0);
	check_lines(b.p, b.n, 76);
	parse(b.p, &m);
	v = header(&m, "Message-ID");
	assert_string_equal(v, " <x@y>");
	free(v);
	v = header(&m, "Date");
	assert_string_equal(v, " Thu, 1 Jan 2026 07:59:59 +0800");
	free(v);
	v = header(&m, "Subject");
	assert_string_equal(v, " ");
	free(v);
	assert_string_equal(m.body, "");
	parsed_free(&m);
	buf_free(&b);
}

static void
test_subject_chinese(void **state)
{
	const char *subj = "补正告知书：案件 ZZ-2026-0001 请于 2026-02-01 前补正";
	struct parsed m;
	struct buf b;
	char *v, *d;

	buf_init(&b);
	format_ok(&b, subj, "x");
	parse(b.p, &m);
	v = header(&m, "Subject");
	assert_non_null(v);
	/* No raw UTF-8 in the header section. */
	assert_null(strpbrk(m.headers, "\x80\x81\x82\x83\x84\x85\x86\x87"
	    "\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\xe4\xe5\xe6\xe7\xe8\xe9"));
	d = decode_subject(v);
	assert_string_equal(d, subj);
	free(d);
	free(v);
	parsed_free(&m);
	buf_free(&b);
}

static void
test_subject_long(void **state)
{
	/* 3-byte, 4-byte and 1-byte characters, shifted so that chunk
	 * boundaries fall at every position inside a character. */
	static const char *const pieces[] = {
	    "资质认定", "😀", "a", "申请材料", "é", "🏛️", "审核意见" };
	struct parsed m;
	struct buf b, subj;
	char *v, *d;
	const char *p;
	size_t shift, i, words;

	for (shift = 0; shift < 8; shift++) {
		buf_init(&subj);
		for (i = 0; i < shift; i++)
			buf_putc(&subj, 'x');
		for (i = 0; subj.n < 400; i++)
			buf_puts(&subj, pieces[i % 7]);
		buf_init(&b);
		format_ok(&b, subj.p, "x");
		parse(b.p, &m);
		v = header(&m, "Subject");
		d = decode_subject(v);
		assert_string_equal(d, subj.p);
		/* Several words, folded onto their own lines. */
		for (words = 0, p = m.headers;
		    (p = strstr(p, "=?UTF-8?B?")) != NULL; p++)
			words++;
		assert_true(words >= 400 / 39);
		assert_non_null(strstr(m.headers, "?=\r\n =?UTF-8?B?"));
		free(d);
		free(v);
		parsed_free(&m);
		buf_free(&b);
		buf_free(&subj);
	}
}

static void
test_body_base64(void **state)
{
	struct parsed m;
	struct buf b, dec, big;
	size_t i;

	/* LF becomes CRLF; CRLF stays. */
	buf_init(&b);
	buf_init(&dec);
	format_ok(&b, "s", "您好：\n请于七日内补正。\r\n.\n此致\n");
	parse(b.p, &m);
	decode_body(m.body, &dec);
	assert_string_equal(dec.p,
	    "您好：\r\n请于七日内补正。\r\n.\r\n此致\r\n");
	parsed_free(&m);

	/* Long body: many full 76-character lines, every length mod 3. */
	buf_init(&big);
	for (i = 0; i < 3; i++) {
		buf_reset(&b);
		buf_reset(&dec);
		buf_reset(&big);
		while (big.n < 5000 + i)
			buf_puts(&big, big.n % 7 ? "资" : "z");
		format_ok(&b, "s", big.p);
		parse(b.p, &m);
		decode_body(m.body, &dec);
		assert_int_equal(dec.n, big.n);
		assert_memory_equal(dec.p, big.p, big.n);
		assert_non_null(strstr(m.body, "\r\n"));
		assert_int_equal(strstr(m.body, "\r\n") - m.body, 76);
		parsed_free(&m);
	}
	buf_free(&big);
	buf_free(&dec);
	buf_free(&b);
}

/*
 * Issue 19, item 8: the From header has a display name (the centre's,
 * configurable), as encoded-words before the address; a name that could
 * inject a header is refused.
 */
static void
test_from_name(void **state)
{
	struct parsed m;
	struct buf b;
	char *v, *name;
	const char *lt;

	buf_init(&b);
	assert_int_equal(mail_format(&b, MAIL_FROM_NAME_DEFAULT,
	    "noreply@zizhi.example", "lead@org.example", "s", "b\n",
	    "<x@y>", T2026), 0);
	check_lines(b.p, b.n, 76);
	parse(b.p, &m);
	v = header(&m, "From");
	assert_non_null(v);
	assert_non_null(lt = strstr(v, " <noreply@zizhi.example>"));
	assert_string_equal(lt, " <noreply@zizhi.example>");
	*(char *)lt = '\0';
	name = decode_subject(v);
	assert_string_equal(name, "中国信息安全测评中心");
	free(name);
	free(v);
	parsed_free(&m);
	/* A long name folds over lines, whole characters per word. */
	buf_reset(&b);
	assert_int_equal(mail_format(&b, "中国信息安全测评中心信息安全服务资质"
	    "评估项目管理部（安全工程类二级）", "a@b.example", "c@d.example", "s",
	    "b", "<x@y>", T2026), 0);
	check_lines(b.p, b.n, 76);
	parse(b.p, &m);
	v = header(&m, "From");
	*(char *)strstr(v, " <a@b.example>") = '\0';
	name = decode_subject(v);
	assert_string_equal(name, "中国信息安全测评中心信息安全服务资质评估项目"
	    "管理部（安全工程类二级）");
	free(name);
	free(v);
	parsed_free(&m);
	/* No header injection through the name. */
	buf_reset(&b);
	assert_int_equal(mail_format(&b, "x\r\nBcc: evil@example.com",
	    "a@b.example", "c@d.example", "s", "b", "<x@y>", T2026),
	    MAIL_FORMAT_EINJECT);
	assert_int_equal(b.n, 0);
	buf_free(&b);
}

static void
test_format_refuses(void **state)
{
	static const struct {
		const char *from, *to, *subj, *body, *id;
		int want;
	} t[] = {
	    { "a@b.example", "c@d.example", "Hi\r\nBcc: evil@x", "b", "i@d", MAIL_FORMAT_EINJECT },
	    { "a@b.example", "c@d.example", "Hi\nBcc: evil@x", "b", "i@d", MAIL_FORMAT_EINJECT },
	    { "a@b.example", "c@d.example", "Hi\r", "b", "i@d", MAIL_FORMAT_EINJECT },
	    { "a@b.example", "c@d.example\r\nBcc: e@x", "s", "b", "i@d", MAIL_FORMAT_EINJECT },
	    { "a@b.example\n", "c@d.example", "s", "b", "i@d", MAIL_FORMAT_EINJECT },
	    { "a@b.example", "c@d.example", "s", "b", "i@d\r\nX: y", MAIL_FORMAT_EINJECT },
	    { "a@b.example", "c@d.example", "s\x01", "b", "i@d", MAIL_FORMAT_ECTRL },
	    { "a@b.example", "c@d.example", "\xe5\x85", "b", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "\xc0\xaf", "b", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "\xed\xa0\x80", "b", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "\xf4\x90\x80\x80", "b", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "\xff", "b", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "s", "ok\x80", "i@d", MAIL_FORMAT_EUTF8 },
	    { "a@b.example", "c@d.example", "s", "\xe8\xb5", "i@d", MAIL_FORMAT_EUTF8 },
	    { "Name <a@b.x>", "c@d.example", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "c@d.x, e@f.x", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "cd.x", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "@d.x", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "c@", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "张三@d.x", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "", "s", "b", "i@d", MAIL_FORMAT_EADDR },
	    { "a@b.example", "c@d.example", "s", "b", "", MAIL_FORMAT_EMSGID },
	    { "a@b.example", "c@d.example", "s", "b", "<i@d", MAIL_FORMAT_EMSGID },
	    { "a@b.example", "c@d.example", "s", "b", "no-at", MAIL_FORMAT_EMSGID },
	    { "a@b.example", "c@d.example", "s", "b", "i d@x", MAIL_FORMAT_EMSGID },
	};
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b);
	buf_puts(&b, "keep");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = mail_format(&b, NULL, t[i].from, t[i].to, t[i].subj,
		    t[i].body, t[i].id, T2026);
		if (rc != t[i].want)
			fail_msg("case %zu: got %d, want %d", i, rc,
			    t[i].want);
		/* Nothing written on refusal. */
		assert_int_equal(b.n, 4);
		assert_string_equal(b.p, "keep");
	}
	assert_int_equal(mail_format(&b, NULL, "a@b.example", "c@d.example",
	    "s", "b",
	    "i@d", -1), MAIL_FORMAT_EDATE);
	assert_int_equal(b.n, 4);
	/* A TAB is text, not an injection. */
	assert_int_equal(mail_format(&b, NULL, "a@b.example", "c@d.example",
	    "a\tb", "b",
	    "i@d", T2026), 0);
	buf_free(&b);
}

/* --- configuration -------------------------------------------------- */

static void
clear_env(void)
{
	unsetenv("ZIZHI_SMTP_URL");
	unsetenv("ZIZHI_SMTP_FROM");
	unsetenv("ZIZHI_SMTP_USER");
	unsetenv("ZIZHI_SMTP_PASSWORD");
	unsetenv("ZIZHI_SMTP_FROM_NAME");
}

static char *
write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/zizhi-mailcfg-XXXXXX");
	int fd;

	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp: %s", strerror(errno));
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_config(void **state)
{
	struct mail_config cfg;
	char err[256], *path;

	clear_env();
	/* Nothing at all: not configured. */
	assert_int_equal(mail_config_load(&cfg, NULL, err, sizeof(err)),
	    MAIL_CONFIG_NOT_CONFIGURED);
	mail_config_free(&cfg);

	path = write_tmp("# zizhi mail\n\n"
	    "smtp_url = smtp://mail.example:587\n"
	    "  smtp_from=noreply@zizhi.example  \n"
	    "smtp_user = zizhi\n"
	    "smtp_password = s3 cret\n"
	    "smtp_timeout = 12\n");
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_OK);
	assert_string_equal(cfg.url, "smtp://mail.example:587");
	assert_string_equal(cfg.from, "noreply@zizhi.example");
	assert_string_equal(cfg.user, "zizhi");
	assert_string_equal(cfg.password, "s3 cret");
	assert_int_equal(cfg.timeout_seconds, 12);
	/* The From name: the centre's unless configured. */
	assert_string_equal(cfg.from_name, MAIL_FROM_NAME_DEFAULT);
	mail_config_free(&cfg);
	setenv("ZIZHI_SMTP_FROM_NAME", "测评中心资质管理", 1);
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_OK);
	assert_string_equal(cfg.from_name, "测评中心资质管理");
	mail_config_free(&cfg);
	setenv("ZIZHI_SMTP_FROM_NAME", "a\tb\x01", 1);
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_ERROR);
	assert_non_null(strstr(err, "smtp_from_name"));
	mail_config_free(&cfg);
	unsetenv("ZIZHI_SMTP_FROM_NAME");

	/* The environment wins; an empty URL turns delivery off. */
	setenv("ZIZHI_SMTP_URL", "smtps://other.example", 1);
	setenv("ZIZHI_SMTP_PASSWORD", "fromenv", 1);
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_OK);
	assert_string_equal(cfg.url, "smtps://other.example");
	assert_string_equal(cfg.password, "fromenv");
	assert_string_equal(cfg.user, "zizhi");
	mail_config_free(&cfg);
	setenv("ZIZHI_SMTP_URL", "", 1);
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_NOT_CONFIGURED);
	mail_config_free(&cfg);
	setenv("ZIZHI_SMTP_URL", "http://x.example", 1);
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_ERROR);
	assert_non_null(strstr(err, "smtp://"));
	mail_config_free(&cfg);
	clear_env();
	unlink(path);
	free(path);

	path = write_tmp("smtp_url = smtp://x\nsmtp_form = a@b.x\n");
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_ERROR);
	assert_non_null(strstr(err, ":2: unknown key \"smtp_form\""));
	mail_config_free(&cfg);
	unlink(path);
	free(path);

	path = write_tmp("smtp_url = smtp://x\nsmtp_from = a@b.example\n"
	    "smtp_timeout = 0\n");
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_ERROR);
	mail_config_free(&cfg);
	unlink(path);
	free(path);

	/* A URL needs a sender. */
	path = write_tmp("smtp_url = smtp://x\n");
	assert_int_equal(mail_config_load(&cfg, path, err, sizeof(err)),
	    MAIL_CONFIG_ERROR);
	assert_non_null(strstr(err, "smtp_from"));
	mail_config_free(&cfg);
	unlink(path);
	free(path);

	assert_int_equal(mail_config_load(&cfg, "/nonexistent/zizhi.conf",
	    err, sizeof(err)), MAIL_CONFIG_ERROR);
	mail_config_free(&cfg);
}

/* --- the sink ------------------------------------------------------- */

struct sink {
	char	 dir[64];
	char	 out[96];
	char	 portfile[96];
	char	 url[64];
	pid_t	 pid;
	int	 port;
};

/* The running sink, stopped by the teardown if a test fails early. */
static struct sink *running;

static void
sink_start(struct sink *s, const char *opt, const char *arg)
{
	const char *bin = getenv("ZIZHI_SMTP_SINK");
	char *argv[10];
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	FILE *f;
	int i, n = 0, status;

	if (bin == NULL || bin[0] == '\0')
		fail_msg("ZIZHI_SMTP_SINK is not set: it must name the "
		    "built SMTP sink (tests/smtp_sink.c), e.g. "
		    "ZIZHI_SMTP_SINK=build/tests/smtp_sink");
	if (access(bin, X_OK) == -1)
		fail_msg("ZIZHI_SMTP_SINK=%s: %s", bin, strerror(errno));

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/zizhi-sink-XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	snprintf(s->out, sizeof(s->out), "%s/out", s->dir);
	snprintf(s->portfile, sizeof(s->portfile), "%s/port", s->dir);
	assert_int_equal(mkdir(s->out, 0700), 0);

	argv[n++] = (char *)bin;
	argv[n++] = (char *)"--port-file";
	argv[n++] = s->portfile;
	argv[n++] = (char *)"--out";
	argv[n++] = s->out;
	if (opt != NULL) {
		argv[n++] = (char *)opt;
		argv[n++] = (char *)arg;
	}
	argv[n] = NULL;

	if ((s->pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	running = s;
	if (s->pid == 0) {
		execv(bin, argv);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	/* Up to 5 s for the port file. */
	for (i = 0; i < 500; i++) {
		if ((f = fopen(s->portfile, "r")) != NULL) {
			if (fscanf(f, "%d", &s->port) != 1)
				s->port = 0;
			fclose(f);
			if (s->port > 0)
				break;
		}
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			fail_msg("smtp_sink exited early (status %d)",
			    status);
		nanosleep(&ts, NULL);
	}
	if (s->port <= 0)
		fail_msg("smtp_sink wrote no port in 5 s");
	snprintf(s->url, sizeof(s->url), "smtp://127.0.0.1:%d", s->port);
}

/* Stops the sink by its PID; it must exit 0 on SIGTERM. */
static void
sink_stop(struct sink *s)
{
	int status;

	if (s->pid <= 0)
		return;
	assert_int_equal(kill(s->pid, SIGTERM), 0);
	assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
	s->pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("smtp_sink did not exit cleanly: status %d", status);
}

static size_t
sink_count(const struct sink *s)
{
	DIR *d;
	struct dirent *e;
	size_t n = 0, l;

	assert_non_null(d = opendir(s->out));
	while ((e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* The message DIR/NNNN.eml, allocated, or NULL. */
static char *
sink_read(const struct sink *s, unsigned int num)
{
	char path[160];
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%04u.eml", s->out, num);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.p != NULL ? b.p : xstrdup("");
}

static void
sink_clean(struct sink *s)
{
	char path[512];
	DIR *d;
	struct dirent *e;

	if ((d = opendir(s->out)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
			    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
				continue;
			snprintf(path, sizeof(path), "%s/%s", s->out,
			    e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(s->out);
	unlink(s->portfile);
	rmdir(s->dir);
	running = NULL;
}

/* After each send test: whatever happened, no sink and no files left. */
static int
sink_teardown(void **state)
{
	int status;

	if (running == NULL)
		return 0;
	if (running->pid > 0) {
		kill(running->pid, SIGTERM);
		waitpid(running->pid, &status, 0);
		running->pid = 0;
	}
	sink_clean(running);
	return 0;
}

static void
config_for(struct mail_config *cfg, const struct sink *s)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->url = s->url;
	cfg->from = "noreply@zizhi.example";
	cfg->timeout_seconds = 10;
}

/* --- send tests ----------------------------------------------------- */

static void
test_send_ok(void **state)
{
	const char *subj = "补正告知书 ZZ-2026-0007";
	const char *body = "贵单位的申请（ZZ-2026-0007）需补正，截止 2026-02-01。\n";
	const char *env = "X-Envelope-To: <lead@org.example>\r\n"
	    "X-Envelope-From: <noreply@zizhi.example>\r\n";
	size_t elen;
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	struct parsed m;
	struct buf msg, dec;
	char err[256], *got, *v, *d;
	enum mail_result r;

	sink_start(&s, NULL, NULL);
	config_for(&cfg, &s);
	buf_init(&msg);
	format_ok(&msg, subj, body);
	r = mail_send(&cfg, "lead@org.example", msg.p, msg.n, err,
	    sizeof(err));
	if (r != MAIL_SENT)
		fail_msg("mail_send: %s: %s", mail_result_str(r), err);
	sink_stop(&s);

	assert_int_equal(sink_count(&s), 1);
	assert_non_null(got = sink_read(&s, 1));
	/* Envelope first, then exactly what we sent. */
	elen = strlen(env);
	assert_true(strncmp(got, env, elen) == 0);
	assert_string_equal(got + elen, msg.p);
	parse(got + elen, &m);
	v = header(&m, "Subject");
	d = decode_subject(v);
	assert_string_equal(d, subj);
	buf_init(&dec);
	decode_body(m.body, &dec);
	assert_string_equal(dec.p,
	    "贵单位的申请（ZZ-2026-0007）需补正，截止 2026-02-01。\r\n");
	buf_free(&dec);
	free(d);
	free(v);
	parsed_free(&m);
	free(got);
	buf_free(&msg);
	sink_clean(&s);
}

/* Lines starting with "." survive the SMTP dot-stuffing round trip. */
static void
test_send_dots(void **state)
{
	const char *raw = "Subject: dots\r\n\r\n.\r\n..two\r\n.x\r\nend\r\n";
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	char err[256], *got, *p;

	sink_start(&s, NULL, NULL);
	config_for(&cfg, &s);
	assert_int_equal(mail_send(&cfg, "a@b.example", raw, strlen(raw),
	    err, sizeof(err)), MAIL_SENT);
	sink_stop(&s);
	assert_non_null(got = sink_read(&s, 1));
	assert_non_null(p = strstr(got, "Subject: dots"));
	assert_string_equal(p, raw);
	free(got);
	sink_clean(&s);
}

static void
test_send_permfail(void **state)
{
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	struct buf msg;
	char err[256];
	enum mail_result r;

	sink_start(&s, "--fail-rcpt", "nobody@org.example");
	config_for(&cfg, &s);
	buf_init(&msg);
	format_ok(&msg, "s", "b");
	r = mail_send(&cfg, "nobody@org.example", msg.p, msg.n, err,
	    sizeof(err));
	if (r != MAIL_PERMFAIL)
		fail_msg("got %s: %s", mail_result_str(r), err);
	assert_non_null(strstr(err, "550"));
	/* The same sink still takes other recipients. */
	assert_int_equal(mail_send(&cfg, "NOBODY2@org.example", msg.p,
	    msg.n, err, sizeof(err)), MAIL_SENT);
	/* An invalid address is refused before any connection. */
	assert_int_equal(mail_send(&cfg, "bad addr@x", msg.p, msg.n, err,
	    sizeof(err)), MAIL_PERMFAIL);
	sink_stop(&s);
	assert_int_equal(sink_count(&s), 1);
	buf_free(&msg);
	sink_clean(&s);
}

static void
test_send_down(void **state)
{
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	struct buf msg;
	char err[256];
	enum mail_result r;

	/* The port the sink had, now closed. */
	sink_start(&s, NULL, NULL);
	sink_stop(&s);
	config_for(&cfg, &s);
	buf_init(&msg);
	format_ok(&msg, "s", "b");
	r = mail_send(&cfg, "a@b.example", msg.p, msg.n, err, sizeof(err));
	if (r != MAIL_TEMPFAIL)
		fail_msg("got %s: %s", mail_result_str(r), err);
	assert_true(err[0] != '\0');

	/* Not configured at all: the message waits too. */
	cfg.url = NULL;
	assert_int_equal(mail_send(&cfg, "a@b.example", msg.p, msg.n, err,
	    sizeof(err)), MAIL_TEMPFAIL);
	assert_int_equal(sink_count(&s), 0);
	buf_free(&msg);
	sink_clean(&s);
}

static void
test_send_tempfail(void **state)
{
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	struct buf msg;
	char err[256], *got;
	enum mail_result r;

	sink_start(&s, "--tempfail", "1");
	config_for(&cfg, &s);
	buf_init(&msg);
	format_ok(&msg, "重试", "b");
	r = mail_send(&cfg, "a@b.example", msg.p, msg.n, err, sizeof(err));
	if (r != MAIL_TEMPFAIL)
		fail_msg("first: got %s: %s", mail_result_str(r), err);
	assert_non_null(strstr(err, "451"));
	assert_int_equal(sink_count(&s), 0);
	r = mail_send(&cfg, "a@b.example", msg.p, msg.n, err, sizeof(err));
	if (r != MAIL_SENT)
		fail_msg("second: got %s: %s", mail_result_str(r), err);
	sink_stop(&s);
	assert_int_equal(sink_count(&s), 1);
	assert_non_null(got = sink_read(&s, 1));
	assert_non_null(strstr(got, "X-Envelope-To: <a@b.example>\r\n"));
	free(got);
	buf_free(&msg);
	sink_clean(&s);
}

/* A server that accepts the connection but never speaks: timeout. */
static void
test_send_timeout(void **state)
{
	struct sockaddr_in sin;
	struct mail_config cfg;
	struct buf msg;
	socklen_t slen = sizeof(sin);
	char err[256], url[64];
	time_t t0;
	int lfd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &slen), 0);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sin.sin_port));

	memset(&cfg, 0, sizeof(cfg));
	cfg.url = url;
	cfg.from = "noreply@zizhi.example";
	cfg.timeout_seconds = 1;
	buf_init(&msg);
	format_ok(&msg, "s", "b");
	t0 = time(NULL);
	assert_int_equal(mail_send(&cfg, "a@b.example", msg.p, msg.n, err,
	    sizeof(err)), MAIL_TEMPFAIL);
	assert_true(time(NULL) - t0 <= 5);
	close(lfd);
	buf_free(&msg);
}

/* A client that vanishes mid-message does not take the sink down. */
static void
test_sink_client_drop(void **state)
{
	static const char half[] = "EHLO x\r\nMAIL FROM:<a@b.x>\r\n"
	    "RCPT TO:<c@d.x>\r\nDATA\r\nSubject: half\r\n";
	struct sockaddr_in sin;
	struct mail_config cfg;
	static struct sink s;	/* outlives a failing test */
	struct buf msg;
	char err[256], reply[512];
	int fd;

	sink_start(&s, NULL, NULL);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)s.port);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	assert_true(read(fd, reply, sizeof(reply)) > 0);	/* 220 */
	assert_int_equal(write(fd, half, sizeof(half) - 1),
	    (ssize_t)sizeof(half) - 1);
	close(fd);

	config_for(&cfg, &s);
	buf_init(&msg);
	format_ok(&msg, "after", "b");
	assert_int_equal(mail_send(&cfg, "a@b.example", msg.p, msg.n, err,
	    sizeof(err)), MAIL_SENT);
	sink_stop(&s);
	/* Only the complete message was stored. */
	assert_int_equal(sink_count(&s), 1);
	buf_free(&msg);
	sink_clean(&s);
}

static int
setup(void **state)
{
	return mail_init();
}

static int
teardown(void **state)
{
	mail_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_headers),
		cmocka_unit_test(test_subject_chinese),
		cmocka_unit_test(test_subject_long),
		cmocka_unit_test(test_body_base64),
		cmocka_unit_test(test_format_refuses),
		cmocka_unit_test(test_from_name),
		cmocka_unit_test(test_config),
		cmocka_unit_test_teardown(test_send_ok, sink_teardown),
		cmocka_unit_test_teardown(test_send_dots, sink_teardown),
		cmocka_unit_test_teardown(test_send_permfail, sink_teardown),
		cmocka_unit_test_teardown(test_send_down, sink_teardown),
		cmocka_unit_test_teardown(test_send_tempfail, sink_teardown),
		cmocka_unit_test(test_send_timeout),
		cmocka_unit_test_teardown(test_sink_client_drop, sink_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
