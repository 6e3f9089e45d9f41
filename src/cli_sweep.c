/*
 * cli_sweep.c: `zizhi sweep [--db PATH] [--now YYYY-MM-DD]
 * [--config FILE] [--backoff SECONDS] [--unserved-days N]`: queue the
 * reminders due today (or on --now, which then is also the moment mail
 * is taken as accepted: noon of that day in Beijing), tell leads of
 * notices not served after N days (default 3), then deliver the outbox.
 * Run it from cron or a systemd timer (docs/deploy.md); overlapping runs
 * wait for each other.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "mail.h"
#include "store.h"
#include "sweep.h"
#include "workflow.h"

int
cli_sweep(int argc, char *argv[])
{
	const char *db = getenv("ZIZHI_DB"), *now_s = NULL, *config = NULL;
	struct mail_config mc;
	struct sweep_stats st = { 0, 0, 0, 0, 0, 0 };
	struct store *s;
	char err[512], today[24], lock[4096], files[4096];
	const char *slash;
	long long now = (long long)time(NULL), backoff = 60;
	long long unserved = SWEEP_UNSERVED_DAYS;
	const char *env = getenv("ZIZHI_UNSERVED_DAYS");
	char *end;
	zdate d;
	int i, fd, mrc, rc = 0;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "--db") == 0)
			db = argv[++i];
		else if (strcmp(argv[i], "--now") == 0)
			now_s = argv[++i];
		else if (strcmp(argv[i], "--config") == 0)
			config = argv[++i];
		else if (strcmp(argv[i], "--backoff") == 0)
			backoff = atoll(argv[++i]);
		else if (strcmp(argv[i], "--unserved-days") == 0)
			env = argv[++i];
		else
			goto usage;
	}
	if (env != NULL) {
		unserved = strtoll(env, &end, 10);
		if (*env == '\0' || *end != '\0' || unserved < 1 ||
		    unserved > 365) {
			fprintf(stderr, "zizhi sweep: --unserved-days (or "
			    "ZIZHI_UNSERVED_DAYS) wants a number of days from 1 "
			    "to 365, got \"%s\"\n", env);
			return 2;
		}
	}
	if (db == NULL)
		db = "data/zizhi.db";
	if (backoff < 0 || backoff > 86400)
		goto usage;
	if (now_s != NULL) {
		if (date_parse(now_s, &d) != 0) {
			fprintf(stderr, "zizhi sweep: --now wants YYYY-MM-DD, "
			    "got \"%s\"\n", now_s);
			return 2;
		}
		snprintf(today, sizeof(today), "%s", now_s);
		/* That day, at noon in Beijing (04:00 UTC): when mail it
		 * delivers is accepted, and its notices served. */
		now = (long long)d * 86400 + 4 * 3600;
	} else
		date_day(now, today);

	/* One sweep at a time: a message is never picked up twice. */
	snprintf(lock, sizeof(lock), "%s.sweep-lock", db);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 ||
	    flock(fd, LOCK_EX) != 0) {
		perror("zizhi sweep: lock");
		return 1;
	}
	if ((s = store_open(db, err, sizeof(err))) == NULL ||
	    store_check_version(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi sweep: %s\n", err);
		store_close(s);
		close(fd);
		return 1;
	}
	memset(&mc, 0, sizeof(mc));
	mrc = mail_config_load(&mc, config, err, sizeof(err));
	if (mrc == MAIL_CONFIG_ERROR) {
		fprintf(stderr, "zizhi sweep: %s\n", err);
		rc = 1;
		goto out;
	}
	if (sweep_reminders(s, today, now, &st) != 0 ||
	    sweep_unserved(s, today, (int)unserved, now, &st) != 0) {
		fprintf(stderr, "zizhi sweep: reminders failed\n");
		rc = 1;
		goto out;
	}
	if (mrc == MAIL_CONFIG_OK && mail_init() != 0) {
		fprintf(stderr, "zizhi sweep: cannot initialise libcurl\n");
		rc = 1;
		goto out;
	}
	if (sweep_deliver(s, mrc == MAIL_CONFIG_OK ? &mc : NULL, now, backoff,
	    &st) != 0) {
		fprintf(stderr, "zizhi sweep: delivery failed\n");
		rc = 1;
	}
	if (mrc == MAIL_CONFIG_OK)
		mail_cleanup();
	/* The files beside the database ("files/"), as the servers keep
	 * them. */
	slash = strrchr(db, '/');
	snprintf(files, sizeof(files), "%.*sfiles", slash ? (int)(slash - db +
	    1) : 0, db);
	if (rc == 0 && sweep_files(s, files, now, &st) != 0) {
		fprintf(stderr, "zizhi sweep: deleting purged files failed\n");
		rc = 1;
	}
	printf("zizhi sweep %s: %d reminders queued, %d sent, %d to retry, "
	    "%d failed, %d pending, %d purged files deleted%s\n", today,
	    st.reminders, st.sent, st.retry, st.failed, st.pending, st.deleted,
	    mrc == MAIL_CONFIG_OK ? "" :
	    " (no SMTP configured: messages stay in the outbox)");
out:
	mail_config_free(&mc);
	store_close(s);
	close(fd);
	return rc;
usage:
	fprintf(stderr, "usage: zizhi sweep [--db PATH] [--now YYYY-MM-DD] "
	    "[--config FILE] [--backoff SECONDS] [--unserved-days N]\n");
	return 2;
}
