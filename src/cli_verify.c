/*
 * cli_verify.c: `zizhi verify` recomputes the events' hash chain
 * (audit.c) and names the first broken link.
 */
#include <sodium.h>
#include <stdio.h>

#include "audit.h"
#include "cli.h"
#include "opts.h"
#include "store.h"

int
cli_verify(int argc, char *argv[])
{
	struct audit_result r;
	struct opts o;
	struct store *s;
	char err[512], head[2 * AUDIT_HASH_BYTES + 1];
	int rc;

	if (opts_parse(&o, argc, argv, OPT_DB) != 0 || o.nrest != 0) {
		fprintf(stderr, "usage: zizhi verify [--db PATH]\n");
		return 2;
	}
	if ((s = store_open(o.db, err, sizeof(err))) == NULL ||
	    store_check_version(s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi verify: %s\n", err);
		store_close(s);
		return 2;
	}
	rc = audit_verify(s, &r);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "zizhi verify: cannot read the events\n");
		return 2;
	}
	if (r.broken_id != 0) {
		printf("zizhi verify: BROKEN at event %lld: its hash does not "
		    "match its content and the previous event's hash (the "
		    "event, or one before it, was changed, removed or "
		    "inserted outside zizhi); %lld events checked\n",
		    r.broken_id, r.count);
		return 1;
	}
	if (r.mismatch_case != 0) {
		printf("zizhi verify: BROKEN at case %lld: its status is "
		    "\"%s\" but its last event moved it to \"%s\" (the status "
		    "was changed outside zizhi); %lld events checked\n",
		    r.mismatch_case, r.case_status, r.event_status, r.count);
		return 1;
	}
	sodium_bin2hex(head, sizeof(head), r.head, sizeof(r.head));
	/* The head hash lets an operator who recorded it elsewhere also
	 * notice events removed from the end. */
	printf("zizhi verify: ok, %lld events, head %s\n", r.count, head);
	return 0;
}
