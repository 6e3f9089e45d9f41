/*
 * mail.h: configuration, formatting and SMTP delivery of one e-mail.
 *
 * The outbox table and the retry schedule live with the caller (the
 * sweep); this module knows nothing about the database.  It builds one
 * RFC 5322 message and hands it to one SMTP server over libcurl.
 */
#ifndef ZIZHI_MAIL_H
#define ZIZHI_MAIL_H

#include <stddef.h>

struct buf;

/*
 * Where and how to send.  A caller may fill the first five fields by
 * hand (tests do); mail_config_load fills them from a file and the
 * environment and keeps the strings in mem_, which mail_config_free
 * releases.  A zeroed struct has nothing to free.
 */
struct mail_config {
	const char	*url;		/* smtp://host:port or smtps://host:port */
	const char	*from;		/* envelope and From: address */
	const char	*user;		/* NULL or "": no AUTH */
	const char	*password;
	int		 timeout_seconds; /* whole transaction; <= 0: 30 */
	/* The From: display name, e.g. the centre's name; NULL or "":
	 * the address alone. mail_config_load sets MAIL_FROM_NAME_DEFAULT
	 * unless smtp_from_name says otherwise. */
	const char	*from_name;
	char		*mem_[5];	/* private: owned copies */
};

#define MAIL_FROM_NAME_DEFAULT	"中国信息安全测评中心"
#define MAIL_FROM_NAME_MAX	120	/* bytes */

#define MAIL_TIMEOUT_DEFAULT	30

/* mail_config_load results. */
#define MAIL_CONFIG_OK			0
#define MAIL_CONFIG_NOT_CONFIGURED	1	/* no SMTP URL: keep mail in the outbox */
#define MAIL_CONFIG_ERROR		(-1)	/* err says why */

/*
 * Reads a "key = value" file (keys smtp_url, smtp_from, smtp_from_name,
 * smtp_user, smtp_password, smtp_timeout; blank lines and lines starting
 * with # are ignored; unknown keys are an error), then lets the
 * environment variables ZIZHI_SMTP_URL, ZIZHI_SMTP_FROM,
 * ZIZHI_SMTP_FROM_NAME, ZIZHI_SMTP_USER and ZIZHI_SMTP_PASSWORD override
 * it.  A variable that is set but empty
 * overrides too (ZIZHI_SMTP_URL= turns delivery off).  path may be NULL
 * (environment only); a path that cannot be read is an error.
 *
 * Returns MAIL_CONFIG_OK, MAIL_CONFIG_NOT_CONFIGURED (no or empty URL;
 * the other fields are still loaded) or MAIL_CONFIG_ERROR (bad file,
 * URL not smtp:// or smtps://, URL without a valid smtp_from, timeout
 * out of 1..3600, a from name with a control character, not UTF-8 or
 * over MAIL_FROM_NAME_MAX bytes).  On any result, call mail_config_free afterwards.
 */
int	 mail_config_load(struct mail_config *cfg, const char *path,
	    char *err, size_t errlen);
void	 mail_config_free(struct mail_config *cfg);

/* mail_format results (0 on success). */
enum mail_format_error {
	MAIL_FORMAT_OK = 0,
	MAIL_FORMAT_EINJECT = -1,	/* CR or LF in a header value */
	MAIL_FORMAT_EUTF8 = -2,		/* subject or body not valid UTF-8 */
	MAIL_FORMAT_EADDR = -3,		/* from/to not a plain ASCII address */
	MAIL_FORMAT_ECTRL = -4,		/* other control character in a header */
	MAIL_FORMAT_EMSGID = -5,	/* message id malformed */
	MAIL_FORMAT_EDATE = -6,		/* date_unix outside 1970..9999 */
};

/*
 * Appends to out a complete message: Date (date_unix shown in +0800,
 * China Standard Time), From (with from_name, NULL or "" for none, as
 * RFC 2047 encoded-words before the address), To, Subject (always RFC 2047 B-encoded
 * UTF-8, one encoded-word of at most 64 characters per header line,
 * never splitting a character), Message-ID (angle brackets added if
 * missing), MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64 (lines of 76), Auto-Submitted:
 * auto-generated; CRLF line ends.  Bare LF in the body becomes CRLF
 * before encoding (the canonical form of text).
 *
 * from and to are bare addresses (local@domain, printable ASCII
 * without spaces or <>()[],;:"\).  Returns 0, or a negative
 * mail_format_error and leaves out as it was.
 */
int	 mail_format(struct buf *out, const char *from_name,
	    const char *from, const char *to, const char *subject,
	    const char *body_text, const char *message_id, long long date_unix);

/* Nonzero if addr is an address mail_format and mail_send accept. */
int	 mail_address_valid(const char *addr);

enum mail_result {
	MAIL_SENT = 0,	/* the server answered 250 to the end of DATA */
	MAIL_TEMPFAIL,	/* try again later: no connection, timeout, 4xx,
			 * TLS or login trouble (our side, not the message's) */
	MAIL_PERMFAIL,	/* the server refused the message or recipient
			 * with 5xx, or the recipient address is invalid:
			 * sending again will not help */
};

/*
 * Sends message (len bytes, CRLF lines, as mail_format writes it) to
 * one recipient.  smtp:// uses STARTTLS when the server offers it
 * (CURLUSESSL_TRY); smtps:// is TLS from the start and required.
 * Certificates are verified.  On failure err holds a one-line reason
 * including the server's reply code when there was one.
 *
 * Never sending twice.  The caller delivers one outbox row at a time:
 * it calls mail_send and, when it returns MAIL_SENT, marks the row sent
 * in its own short transaction right away, before sending anything
 * else.  A row is retried only while it is not marked sent, and a
 * MAIL_SENT result is only returned after the server's 250 to the end
 * of DATA, the moment the server took responsibility.  What remains is
 * one window that no client can close: if the process dies (or the
 * commit fails, or the connection drops after the server's 250 is sent
 * but before it is read) between that 250 and the database commit, the
 * row still looks unsent and the next sweep sends the message again.
 * The Message-ID stays the same across attempts (the caller stores
 * it), so a duplicate is at least recognisable.
 *
 * Call mail_init once before any thread starts (libcurl global setup);
 * mail_cleanup at exit.
 */
enum mail_result mail_send(const struct mail_config *cfg, const char *to,
	    const char *message, size_t len, char *err, size_t errlen);

const char	*mail_result_str(enum mail_result r);
int		 mail_init(void);
void		 mail_cleanup(void);

#endif
