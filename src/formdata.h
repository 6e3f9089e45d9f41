/*
 * formdata.h: the values of one application's 申请书, as stored
 * (form_value) or as just submitted, with the counts of its current
 * materials, the organisation's certificates as the register holds them
 * and the day it was first submitted; an fdef_source over them for
 * form_def.c's checks.
 */
#ifndef ZIZHI_FORMDATA_H
#define ZIZHI_FORMDATA_H

#include "form_def.h"
#include "store.h"
#include "util.h"

struct fd_value {
	const char	*field;
	int		 row;
	const char	*value;
	struct fd_value	*next;		/* hash chain */
};

struct fd_files {
	const char	*material;
	int		 row;
	int		 n;
};

/* A certificate of the application's organisation, from the register. */
struct fd_cert {
	long long	 id;
	const char	*no;
	const char	*expires_on;	/* YYYY-MM-DD */
	struct fdef_cert fc;		/* the facts the checks read */
};

#define FD_BUCKETS	1024

struct formdata {
	struct arena		*a;
	struct fd_value		*bucket[FD_BUCKETS];
	struct fd_files		*files;
	size_t			 nfiles;
	struct fd_cert		*certs;	/* newest expiry first */
	size_t			 ncerts;
	int			 has_register;	/* certs were loaded */
	struct fdef_source	 src;	/* reads this formdata */
};

void		 formdata_init(struct formdata *fd, struct arena *a);
/* Sets (or, with value NULL, removes) a value. */
void		 formdata_set(struct formdata *fd, const char *field, int row,
		    const char *value);
const char	*formdata_get(const struct formdata *fd, const char *field,
		    int row);
/* Rows of a group: one more than the highest row holding a value. */
int		 formdata_rows(const struct formdata *fd, const char *group);
/* Removes every value of a section's fields. */
void		 formdata_clear_section(struct formdata *fd,
		    const struct fdef_section *sec);

/* The organisation's certificate numbered no, or NULL. */
const struct fd_cert *formdata_cert(const struct formdata *fd,
		    const char *no);

/*
 * Loads a case's saved values and current material counts, its
 * organisation's certificates (the register) and its first submission
 * day. 0 or -1.
 */
int		 formdata_load(struct formdata *fd, struct store *s,
		    long long case_id);
/* Loads the values and file counts frozen in a round, with the same
 * register and day of its case. 0 or -1. */
int		 formdata_load_round(struct formdata *fd, struct store *s,
		    long long round_id);

/* Replaces the stored values of a section with fd's (in the caller's
 * transaction) and records that it was saved. 0 or -1. */
int		 formdata_save_section(const struct formdata *fd,
		    struct store *s, long long case_id,
		    const struct fdef_section *sec, const char *stamp);

#endif
