/*
 * orgcomplaint.h: complaints as the guide puts them (§7): "申请单位应妥善
 * 处理因自身行为而发生的投诉，保留记录并采取措施防止问题的再发生。测评中心监督部门将在
 * 必要时查阅申请单位的投诉或申诉记录。" An organisation keeps, in its portal,
 * the register of the complaints it received (when, from whom, what) and
 * how it handled each (when, how, and the measures against it happening
 * again; recorded once). A supervisor asks to inspect an organisation's
 * register, with a reason: the organisation sees the request on its
 * register page and is told by e-mail; from then on the supervisors read
 * the register. The centre's own log of complaints it received is
 * complaint.h, apart.
 *
 * Access is the module's own (no case): an applicant reads and writes its
 * own organisation's register; a supervisor reads a register once an
 * inspection of it has been asked for; nobody else.
 */
#ifndef ZIZHI_ORGCOMPLAINT_H
#define ZIZHI_ORGCOMPLAINT_H

#include <stddef.h>

#include "dom.h"
#include "textcheck.h"

#define ORGC_TEXT_MAX		5000	/* characters of a complaint, its
					   handling, its measures */
#define ORGC_NAME_MAX		100	/* characters of the complainant */
#define ORGC_REASON_MAX		1000	/* characters of an inspection's
					   reason */
#define ORGC_PER_PAGE		20
#define ORGC_PROBLEMS		3	/* room the checks need */

/* A complaint the organisation received. */
struct orgc_input {
	const char	*received_on;	/* YYYY-MM-DD, not after today */
	const char	*complainant;	/* who, and how to reach them */
	const char	*text;
};

/* How it was handled. */
struct orgc_handling {
	const char	*handled_on;	/* YYYY-MM-DD, not before it was
					   received nor after today */
	const char	*handling;	/* what was done */
	const char	*measures;	/* against it happening again */
};

struct orgc_entry {
	long long	 id;
	const char	*received_on;
	const char	*complainant;
	const char	*text;
	const char	*recorded_by;	/* a name */
	const char	*recorded_at;	/* ISO-8601 UTC */
	int		 handled;
	const char	*handled_on;	/* "" while open */
	const char	*handling;
	const char	*measures;
	const char	*handled_by;
};

struct orgc_inspection {
	long long	 id;
	const char	*reason;
	const char	*by;		/* a supervisor's name */
	const char	*at;		/* ISO-8601 UTC */
};

/* A register, as its reader may see it. */
struct orgc_register {
	long long		 org_id;
	const char		*org_name;
	struct orgc_entry	*rows;		/* newest received first */
	size_t			 n;
	long long		 total;		/* entries in all */
	long long		 open;		/* not yet handled */
	struct orgc_inspection	*inspections;	/* newest first */
	size_t			 ninspections;
	int			 may_write;	/* the organisation itself */
};

/* An organisation a supervisor may ask to inspect. */
struct orgc_org {
	long long	 id;
	const char	*name;
	int		 inspected;	/* an inspection has been asked for */
};

/*
 * The actor, an applicant, records a complaint its organisation received:
 * DOM_OK with *id (may be NULL); DOM_INVALID with every problem in out
 * (room for ORGC_PROBLEMS; *n of them; fields "received_on",
 * "complainant", "text"), nothing written; DOM_FORBIDDEN for anyone but
 * an applicant.
 */
enum dom_rc	 orgc_add(struct dom *d, const struct orgc_input *in,
		    struct problem *out, size_t *n, long long *id);

/*
 * The actor, an applicant of its organisation, records how complaint id
 * was handled: DOM_OK; DOM_INVALID with every problem (fields
 * "handled_on", "handling", "measures"); DOM_CONFLICT when it is
 * recorded already; DOM_NOT_FOUND when it is not the organisation's.
 */
enum dom_rc	 orgc_handle(struct dom *d, long long id,
		    const struct orgc_handling *in, struct problem *out,
		    size_t *n);

/*
 * The register of organisation org_id (0: the actor's own), page (from
 * 1) of ORGC_PER_PAGE entries, and the inspections asked for: DOM_OK;
 * DOM_CONFLICT (d->msg) for a supervisor before any inspection of it was
 * asked for; DOM_NOT_FOUND for anyone else or no such organisation.
 */
enum dom_rc	 orgc_read(struct dom *d, long long org_id, long long page,
		    struct orgc_register *out);

/*
 * The actor, a supervisor, asks to inspect organisation org_id's register
 * with reason (field "reason"): the request, and an e-mail to the
 * organisation's accounts, in one transaction. DOM_OK with *id (may be
 * NULL); DOM_INVALID; DOM_NOT_FOUND; DOM_FORBIDDEN.
 */
enum dom_rc	 orgc_inspect(struct dom *d, long long org_id,
		    const char *reason, long long *id);

/* The organisations that have submitted an application, by name, for a
 * supervisor: DOM_OK or DOM_FORBIDDEN. */
enum dom_rc	 orgc_orgs(struct dom *d, struct orgc_org **out, size_t *n);

#endif
