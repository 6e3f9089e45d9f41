/*
 * cli.h: the subcommands main.c dispatches to.
 */
#ifndef ZIZHI_CLI_H
#define ZIZHI_CLI_H

#include <stdint.h>

#include "date.h"

/* Each takes the subcommand's own argv (argv[0] is its name) and
 * returns the process exit status. */
int	cli_init(int argc, char *argv[]);
int	cli_serve(int argc, char *argv[]);
int	cli_fcgi(int argc, char *argv[]);
int	cli_user(int argc, char *argv[]);
int	cli_sweep(int argc, char *argv[]);
int	cli_seed(int argc, char *argv[]);
int	cli_verify(int argc, char *argv[]);	/* cli_verify.c */
int	cli_backup(int argc, char *argv[]);	/* cli_backup.c */
int	cli_restore(int argc, char *argv[]);	/* cli_backup.c */
int	cli_import(int argc, char *argv[]);	/* cli_import.c */
int	cli_intake(int argc, char *argv[]);	/* cli_intake.c */

/*
 * `zizhi seed`'s work without its command line (cli_seed.c), for the
 * tests: ncases cases into s, a database at this binary's version, with
 * the notice templates tmpl, every seeded account's password hash, the
 * file store files_dir, today and the random seed. 0, or -1 after a
 * refusal or a failure (said on stderr), the batch then rolled back.
 */
struct store;
struct tmpl_set;
int	cli_seed_run(struct store *s, const struct tmpl_set *tmpl,
	    const char *hash, const char *files_dir, zdate today,
	    uint64_t seed, long long ncases);

#endif
