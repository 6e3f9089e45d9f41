/*
 * cli_backup.c: `zizhi backup FILE` and `zizhi restore FILE`.
 *
 * backup copies the database with SQLite's online backup API from one
 * read snapshot: the source connection holds a read transaction for the
 * whole copy, so in WAL mode no writer waits for it and the copy never
 * restarts; it is copied in steps of BACKUP_STEP pages. The copy is
 * written to FILE.partial, made durable and renamed to FILE, so FILE is
 * either a whole backup or absent.
 *
 * The uploaded files are content-addressed and never changed, and a file
 * is stored before the row that names it commits; the only deletion is a
 * disposed archive's files that no other case refers to (archive.c),
 * whose rows then name files that are gone on purpose. So copying the files directory after the database
 * snapshot gives every file the snapshot names. backup copies them into
 * files/ beside FILE (the layout a database needs, so FILE is directly
 * usable with --db), only those not already there: backups kept in one
 * directory share their files, and each later backup copies only new
 * ones. Every copied file is checked against its hash on the way, and
 * every file the backup's rows name must be there at the end.
 *
 * restore checks the backup first (PRAGMA integrity_check, schema version,
 * every named file present), refuses an existing target without --force and
 * a target a running server has open in any case, then writes the target
 * the same way (copy to a temporary name, fsync, rename) and copies the
 * files beside it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "files.h"
#include "opts.h"
#include "store.h"
#include "util.h"

#define BACKUP_STEP	1024	/* pages per sqlite3_backup_step */

struct counts {
	long long	 cases, events, materials, rounds;
};

struct filestats {
	long long	 copied, present, damaged;
};

/* "files" beside the database path db, as app.c computes it. */
static int
files_dir_of(const char *db, char *out, size_t len)
{
	const char *slash = strrchr(db, '/');

	return (size_t)snprintf(out, len, "%.*sfiles", slash ?
	    (int)(slash - db + 1) : 0, db) < len ? 0 : -1;
}

/* The directory part of path, for fsync ("." when none). */
static void
dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

static int
fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * 1 when some other process has the database open: every SQLite
 * connection to a WAL database holds a shared lock on the "DMS" byte
 * (offset 128) of its -shm file while it is open.
 */
static int
db_in_use(const char *db)
{
	char shm[PATH_MAX];
	struct flock fl;
	int fd, used;

	if ((size_t)snprintf(shm, sizeof(shm), "%s-shm", db) >= sizeof(shm))
		return 1;
	if ((fd = open(shm, O_RDWR)) < 0)
		return errno == ENOENT ? 0 : 1;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 128;
	fl.l_len = 1;
	used = fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
	close(fd);
	return used;
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Copies every stored file of src that dst lacks, checking each against
 * its name (files_read) and storing it durably (files_store).
 */
static int
copy_files(const char *src, const char *dst, struct filestats *fs)
{
	char sub[PATH_MAX], hex[FILES_HEX_SIZE], got[FILES_HEX_SIZE];
	DIR *top, *d;
	struct dirent *e, *f;
	struct buf b;
	int rc = 0;

	memset(fs, 0, sizeof(*fs));
	if ((top = opendir(src)) == NULL)
		return errno == ENOENT ? 0 : -1;
	if (same_file(src, dst)) {
		closedir(top);
		return 0;
	}
	buf_init(&b);
	while (rc == 0 && (e = readdir(top)) != NULL) {
		if (strlen(e->d_name) != 2 ||
		    strspn(e->d_name, "0123456789abcdef") != 2)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", src, e->d_name);
		if ((d = opendir(sub)) == NULL) {
			rc = -1;
			break;
		}
		while ((f = readdir(d)) != NULL) {
			/* Temporary files of interrupted stores are skipped. */
			if (strlen(f->d_name) != FILES_HEX_LEN - 2)
				continue;
			memcpy(hex, e->d_name, 2);
			memcpy(hex + 2, f->d_name, FILES_HEX_LEN - 2);
			hex[FILES_HEX_LEN] = '\0';
			if (!files_hex_valid(hex))
				continue;
			if (files_exists(dst, hex)) {
				fs->present++;
				continue;
			}
			if (files_read(src, hex, &b) != 0) {
				fprintf(stderr, "zizhi: %s/%s: %s\n", sub,
				    f->d_name, errno == EBADMSG ? "its bytes "
				    "do not match its name (damaged), not "
				    "copied" : strerror(errno));
				fs->damaged++;
				continue;
			}
			if (files_store(dst, b.p, b.n, got) != 0 ||
			    strcmp(got, hex) != 0) {
				fprintf(stderr, "zizhi: storing %s in %s: %s\n",
				    hex, dst, strerror(errno));
				rc = -1;
				break;
			}
			fs->copied++;
		}
		closedir(d);
	}
	closedir(top);
	buf_free(&b);
	return rc;
}

/* How many files the database's rows name that dir lacks; -1 on error. */
static long long
missing_files(sqlite3 *db, const char *dir)
{
	sqlite3_stmt *st;
	long long missing = 0;
	const char *hex;
	int rc;

	/* Every file a case holding its archive names (a disposed case's
	 * files were deleted on purpose). */
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT sha256 FROM file_ref r "
	    "WHERE NOT EXISTS (SELECT 1 FROM disposal x WHERE x.case_id = "
	    "r.case_id)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		hex = (const char *)sqlite3_column_text(st, 0);
		if (hex == NULL || !files_exists(dir, hex)) {
			if (missing++ < 5)
				fprintf(stderr, "zizhi: file %s is missing "
				    "from %s\n", hex ? hex : "(null)", dir);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? missing : -1;
}

static long long
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
counts(sqlite3 *db, struct counts *c)
{
	c->cases = count(db, "SELECT count(*) FROM cases");
	c->events = count(db, "SELECT count(*) FROM event");
	c->materials = count(db, "SELECT count(*) FROM material");
	c->rounds = count(db, "SELECT count(*) FROM round");
}

/* "ok", or the first problem PRAGMA integrity_check reports (static). */
static const char *
integrity(sqlite3 *db)
{
	static char msg[512];
	sqlite3_stmt *st;

	snprintf(msg, sizeof(msg), "%s", "cannot run integrity_check");
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db));
		return msg;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(msg, sizeof(msg), "%s", (const char *)
		    sqlite3_column_text(st, 0));
	else
		snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return msg;
}

static sqlite3 *
open_db(const char *path, int flags)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "zizhi: %s: %s\n", path, db ?
		    sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/*
 * Copies the database src to the new file tmp from one read snapshot,
 * BACKUP_STEP pages at a time; the copy is in rollback-journal mode (one
 * self-contained file) and fsync()ed. 0 or -1 (logged).
 */
static int
copy_db(sqlite3 *src, const char *tmp, const char *journal_mode)
{
	sqlite3 *dst;
	sqlite3_backup *b;
	char sql[64];
	int rc, steps = 0;

	unlink(tmp);
	if ((dst = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
	    == NULL)
		return -1;
	/* One snapshot for every step: no restart however busy the source. */
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema",
	    NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "zizhi: %s\n", sqlite3_errmsg(src));
		sqlite3_close(dst);
		return -1;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		fprintf(stderr, "zizhi: %s\n", sqlite3_errmsg(dst));
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(dst);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP);
		steps++;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "zizhi: copying the database: %s\n",
		    sqlite3_errstr(rc));
		sqlite3_close(dst);
		unlink(tmp);
		return -1;
	}
	snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", journal_mode);
	sqlite3_exec(dst, sql, NULL, NULL, NULL);
	if (sqlite3_close(dst) != SQLITE_OK || fsync_path(tmp) != 0) {
		fprintf(stderr, "zizhi: %s: cannot finish the copy\n", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Renames tmp to path and makes the rename durable. */
static int
install(const char *tmp, const char *path)
{
	char dir[PATH_MAX];

	if (rename(tmp, path) != 0) {
		fprintf(stderr, "zizhi: rename %s: %s\n", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	dir_of(path, dir, sizeof(dir));
	return fsync_path(dir);
}

/*
 * 1 (with a message that says what to do) when the directory FILE is to
 * be written in does not exist or is not a directory: SQLite would only
 * say "unable to open database file" about FILE.partial.
 */
static int
target_dir_missing(const char *cmd, const char *file)
{
	char dir[PATH_MAX];
	struct stat sb;

	dir_of(file, dir, sizeof(dir));
	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT)
			fprintf(stderr, "%s: the directory %s does not exist: "
			    "create it first (mkdir -p %s), or give a FILE in a "
			    "directory that exists\n", cmd, dir, dir);
		else
			fprintf(stderr, "%s: %s: %s\n", cmd, dir,
			    strerror(errno));
		return 1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "%s: %s is not a directory: give a FILE in a "
		    "directory\n", cmd, dir);
		return 1;
	}
	return 0;
}

/* Takes --force out of argv (opts_parse does not know it). */
static int
take_force(int *argc, char *argv[])
{
	int i, j, force = 0;

	for (i = j = 0; i < *argc; i++) {
		if (i > 0 && strcmp(argv[i], "--force") == 0)
			force = 1;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return force;
}

int
cli_backup(int argc, char *argv[])
{
	char tmp[PATH_MAX], sfiles[PATH_MAX], dfiles[PATH_MAX];
	struct filestats fs;
	struct counts c;
	struct opts o;
	sqlite3 *src, *dst;
	long long missing;
	const char *file;
	int force;

	force = take_force(&argc, argv);
	if (opts_parse(&o, argc, argv, OPT_DB) != 0 || o.nrest != 1) {
		fprintf(stderr, "usage: zizhi backup FILE [--force] "
		    "[--db PATH]\n");
		return 2;
	}
	file = o.rest[0];
	if (access(file, F_OK) == 0 && (!force || same_file(file, o.db))) {
		fprintf(stderr, "zizhi backup: %s exists; choose a new name "
		    "(or --force to replace an old backup)\n", file);
		return 1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.partial", file) >=
	    sizeof(tmp) || files_dir_of(o.db, sfiles, sizeof(sfiles)) != 0 ||
	    files_dir_of(file, dfiles, sizeof(dfiles)) != 0) {
		fprintf(stderr, "zizhi backup: path too long\n");
		return 2;
	}
	if (target_dir_missing("zizhi backup", file))
		return 1;
	/* Read-write without create: a mistyped --db is an error, and a WAL
	 * database may need its -shm set up. Nothing is written. */
	if ((src = open_db(o.db, SQLITE_OPEN_READWRITE)) == NULL)
		return 1;
	if (copy_db(src, tmp, "DELETE") != 0 || install(tmp, file) != 0) {
		sqlite3_close(src);
		return 1;
	}
	sqlite3_close(src);
	chmod(file, 0600);
	/* After the snapshot: every file it names is already stored. */
	if (copy_files(sfiles, dfiles, &fs) != 0) {
		fprintf(stderr, "zizhi backup: copying files from %s to %s "
		    "failed\n", sfiles, dfiles);
		return 1;
	}
	if ((dst = open_db(file, SQLITE_OPEN_READONLY)) == NULL)
		return 1;
	counts(dst, &c);
	missing = missing_files(dst, dfiles);
	sqlite3_close(dst);
	printf("zizhi backup: %s: %lld cases, %lld events, %lld materials, "
	    "%lld rounds; files in %s: %lld copied, %lld already there\n",
	    file, c.cases, c.events, c.materials, c.rounds, dfiles, fs.copied,
	    fs.present);
	if (fs.damaged > 0 || missing != 0) {
		fprintf(stderr, "zizhi backup: %lld damaged files in %s, %lld "
		    "files missing from the backup: check the disk and the "
		    "messages above\n", fs.damaged, sfiles, missing);
		return 1;
	}
	return 0;
}

int
cli_restore(int argc, char *argv[])
{
	char tmp[PATH_MAX], sfiles[PATH_MAX], dfiles[PATH_MAX], side[PATH_MAX];
	struct filestats fs;
	struct counts c;
	struct opts o;
	sqlite3 *src, *dst;
	const char *file, *ic;
	long long missing;
	int force, version;

	force = take_force(&argc, argv);
	if (opts_parse(&o, argc, argv, OPT_DB) != 0 || o.nrest != 1) {
		fprintf(stderr, "usage: zizhi restore FILE [--force] "
		    "[--db PATH]\n");
		return 2;
	}
	file = o.rest[0];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restoring", o.db) >=
	    sizeof(tmp) || files_dir_of(file, sfiles, sizeof(sfiles)) != 0 ||
	    files_dir_of(o.db, dfiles, sizeof(dfiles)) != 0) {
		fprintf(stderr, "zizhi restore: path too long\n");
		return 2;
	}
	if (same_file(file, o.db)) {
		fprintf(stderr, "zizhi restore: %s is the target itself\n",
		    file);
		return 1;
	}
	/* The backup first: whole, of a version we know, with its files. */
	if ((src = open_db(file, SQLITE_OPEN_READONLY)) == NULL)
		return 1;
	if (strcmp((ic = integrity(src)), "ok") != 0) {
		fprintf(stderr, "zizhi restore: %s fails its integrity check "
		    "(%s); restore an older backup\n", file, ic);
		sqlite3_close(src);
		return 1;
	}
	version = (int)count(src, "PRAGMA user_version");
	if (version < 1 || version > store_schema_version()) {
		fprintf(stderr, "zizhi restore: %s has schema version %d; this "
		    "zizhi knows 1 to %d\n", file, version,
		    store_schema_version());
		sqlite3_close(src);
		return 1;
	}
	if ((missing = missing_files(src, sfiles)) != 0) {
		fprintf(stderr, "zizhi restore: %lld files named in %s are not "
		    "in %s; copy them there first\n", missing, file, sfiles);
		sqlite3_close(src);
		return 1;
	}
	if (db_in_use(o.db)) {
		fprintf(stderr, "zizhi restore: %s is open in another process "
		    "(a running server?); stop it first\n", o.db);
		sqlite3_close(src);
		return 1;
	}
	if (access(o.db, F_OK) == 0 && !force) {
		fprintf(stderr, "zizhi restore: %s exists; restore to a new "
		    "path, or add --force to replace it\n", o.db);
		sqlite3_close(src);
		return 1;
	}
	if (copy_db(src, tmp, "WAL") != 0) {
		sqlite3_close(src);
		return 1;
	}
	sqlite3_close(src);
	/* A stale WAL of the replaced database must not be applied to the
	 * restored one. */
	snprintf(side, sizeof(side), "%s-wal", o.db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", o.db);
	unlink(side);
	if (install(tmp, o.db) != 0)
		return 1;
	chmod(o.db, 0600);
	if (copy_files(sfiles, dfiles, &fs) != 0 || fs.damaged > 0) {
		fprintf(stderr, "zizhi restore: copying files from %s to %s "
		    "failed\n", sfiles, dfiles);
		return 1;
	}
	if ((dst = open_db(o.db, SQLITE_OPEN_READWRITE)) == NULL)
		return 1;
	ic = integrity(dst);
	counts(dst, &c);
	missing = missing_files(dst, dfiles);
	sqlite3_close(dst);
	if (strcmp(ic, "ok") != 0 || missing != 0) {
		fprintf(stderr, "zizhi restore: the restored %s fails its "
		    "check (%s, %lld files missing)\n", o.db, ic, missing);
		return 1;
	}
	printf("zizhi restore: %s restored from %s: integrity ok, %lld "
	    "cases, %lld events, %lld materials, %lld rounds; files in %s: "
	    "%lld copied, %lld already there%s\n", o.db, file, c.cases,
	    c.events, c.materials, c.rounds, dfiles, fs.copied, fs.present,
	    version < store_schema_version() ? "; run `zizhi init` to "
	    "upgrade its schema" : "");
	return 0;
}
