/*
 * app.c: the process-wide state one request path shares (app.h): the
 * configuration, the database connection and the parsed templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "embedded.h"
#include "workflow.h"

struct tmpl_set *
app_load_templates(char *err, size_t errlen)
{
	const struct embedded_file *f;
	struct tmpl_set *set = tmpl_set_new();
	char name[128];
	size_t n;

	for (f = embedded_files; f->name != NULL; f++) {
		n = strlen(f->name);
		/* templates/NAME.html and templates/NAME.txt are "NAME". */
		if (strncmp(f->name, "templates/", 10) != 0 || n < 15 ||
		    (strcmp(f->name + n - 5, ".html") != 0 &&
		    strcmp(f->name + n - 4, ".txt") != 0))
			continue;
		n -= f->name[n - 4] == '.' ? 14 : 15;
		if (n >= sizeof(name))
			continue;
		memcpy(name, f->name + 10, n);
		name[n] = '\0';
		if (tmpl_set_add(set, name, f->data, f->size, err, errlen)) {
			tmpl_set_free(set);
			return NULL;
		}
	}
	return set;
}

int
app_open(struct app *app, const struct app_config *cfg, char *err,
    size_t errlen)
{
	const char *slash;

	memset(app, 0, sizeof(*app));
	app->cfg = *cfg;
	if (app->cfg.max_body == 0)
		app->cfg.max_body = APP_MAX_BODY_DEFAULT;
	if (app->cfg.max_file == 0)
		app->cfg.max_file = APP_MAX_FILE_DEFAULT;
	if (app->cfg.payee.name == NULL)
		app->cfg.payee.name = dom_payee_default.name;
	if (app->cfg.payee.bank == NULL)
		app->cfg.payee.bank = dom_payee_default.bank;
	if (app->cfg.payee.account == NULL)
		app->cfg.payee.account = dom_payee_default.account;
	if (app->cfg.payee.note == NULL)
		app->cfg.payee.note = dom_payee_default.note;
	if ((app->tmpl = app_load_templates(err, errlen)) == NULL)
		return -1;
	slash = strrchr(cfg->db_path, '/');
	if ((size_t)snprintf(app->files_dir, sizeof(app->files_dir), "%.*s%s",
	    slash ? (int)(slash - cfg->db_path + 1) : 0, cfg->db_path,
	    "files") >= sizeof(app->files_dir)) {
		snprintf(err, errlen, "database path too long");
		app_close(app);
		return -1;
	}
	if ((app->store = store_open(cfg->db_path, err, errlen)) == NULL) {
		app_close(app);
		return -1;
	}
	if (store_check_version(app->store, err, errlen) != 0 ||
	    workflow_check_schema(app->store, err, errlen) != 0) {
		app_close(app);
		return -1;
	}
	return 0;
}

void
app_close(struct app *app)
{
	store_close(app->store);
	tmpl_set_free(app->tmpl);
	app->store = NULL;
	app->tmpl = NULL;
}
