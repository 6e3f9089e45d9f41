/*
 * cli.h: the subcommands main.c dispatches to.
 */
#ifndef ZIZHI_CLI_H
#define ZIZHI_CLI_H

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

#endif
