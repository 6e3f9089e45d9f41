/*
 * app.h: the process-wide state one request path shares: configuration,
 * the database connection and the parsed templates. One per process.
 */
#ifndef ZIZHI_APP_H
#define ZIZHI_APP_H

#include <stddef.h>

#include "dom.h"
#include "store.h"
#include "tmpl.h"

#include <limits.h>

#define APP_MAX_BODY_DEFAULT	(64u * 1024 * 1024)	/* bytes */
#define APP_MAX_FILE_DEFAULT	(20u * 1024 * 1024)	/* one upload */
#define APP_MAX_CASE_FILES	(500ull * 1024 * 1024)	/* a case's files */

struct app_config {
	const char	*db_path;
	size_t		 max_body;	/* request bodies larger get 413 */
	size_t		 max_file;	/* one uploaded file; larger get 413 */
	/* The site's address for links written into documents (the QR code
	 * on certificates, notices, e-mail), e.g. "https://zizhi.example.cn";
	 * never taken from a request. Required for `fcgi`; `serve` uses its
	 * listening address when none is given. */
	const char	*public_url;
	/* Where applicants pay, printed on the agreement and the payment
	 * notice; a field left NULL takes dom_payee_default's. */
	struct dom_payee payee;
	/* Staff must log in with a second factor (totp.h). */
	int		 require_2fa;
};

struct app {
	struct app_config	 cfg;
	/* Uploaded files: "files" beside the database, never served. */
	char			 files_dir[PATH_MAX];
	/* serve's own address, when it is the public URL. */
	char			 listen_url[64];
	struct store		*store;
	struct tmpl_set		*tmpl;
};

/* Opens the database (which must be at this binary's schema version) and
 * parses every embedded template. 0, or -1 with a message in err. */
int	app_open(struct app *app, const struct app_config *cfg, char *err,
	    size_t errlen);
void	app_close(struct app *app);

/* Parses the embedded templates into a new set (also used by tests). */
struct tmpl_set	*app_load_templates(char *err, size_t errlen);

#endif
