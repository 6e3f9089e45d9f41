/*
 * access.h: who may see what of a case, and do what to it. One policy,
 * a table (access.c): for each role and relation to the case, in which
 * statuses, which parts of the case may be read; and for each action,
 * who, in which relation and in which statuses, may take it. Every page
 * and domain function reaches case data through access_case(); what is
 * not granted is "not found" (a case-scoped URL answers 404, so ids are
 * not confirmed), an action not granted on a case one may see is
 * "forbidden".
 *
 * Relations (an actor may have several):
 *   own organisation   an applicant of the case's organisation
 *   lead               the case's assigned project lead
 *   intake pool        a lead, the case submitted and not yet taken
 *   team               on the case's assessment team
 *   panel              on its expert panel, no conflict declared
 *   panel, pending     on its expert panel, not yet declared: sees only
 *                      what the declaration needs (number, organisation)
 *   certificate staff  any certificate officer (the stages where they
 *                      work are the table's statuses)
 *   supervising        a supervisor, the case with an appeal, a sanction
 *                      on its certificate, or a complaint about its
 *                      organisation
 *   admin              an administrator (closed cases, for the archive)
 */
#ifndef ZIZHI_ACCESS_H
#define ZIZHI_ACCESS_H

#include "dom.h"
#include "status.h"

enum part {
	PART_SUMMARY = 1 << 0,		/* the head: number, organisation,
					   status, stage, lead, clock */
	PART_APPLICATION = 1 << 1,	/* the 申请书, its rounds, the check */
	PART_MATERIALS = 1 << 2,	/* materials and their files */
	PART_FINDINGS = 1 << 3,		/* 受理审查: findings, round changes */
	PART_PAYMENTS = 1 << 4,		/* 委托协议 and payments */
	PART_ASSESSMENT = 1 << 5,	/* plan, team, records, conclusion */
	PART_EXPERT = 1 << 6,		/* panel and expert conclusion */
	PART_NOTICES = 1 << 7,		/* the notices of the case */
	PART_TIMELINE = 1 << 8,		/* the events */
	PART_APPEALS = 1 << 9,		/* appeals on the case */
	PART_ARCHIVE = 1 << 10,		/* retention and disposal */
	PART_DECLARE = 1 << 11		/* the conflict declaration */
};

enum rel {
	REL_OWN_ORG = 1 << 0,
	REL_LEAD = 1 << 1,
	REL_INTAKE_POOL = 1 << 2,
	REL_TEAM = 1 << 3,
	REL_PANEL = 1 << 4,
	REL_PANEL_PENDING = 1 << 5,
	REL_CERT = 1 << 6,
	REL_SUPERVISING = 1 << 7,
	REL_ADMIN = 1 << 8
};

/* What may be done to a case (besides reading). */
enum action {
	ACT_EDIT = 1,		/* fill the 申请书, upload materials */
	ACT_SUBMIT,		/* submit, or answer a supplement */
	ACT_WITHDRAW,
	ACT_APPEAL,
	ACT_ACCEPT_AGREEMENT,
	ACT_TAKE_REVIEW,	/* 开始受理审查 */
	ACT_REVIEW,		/* findings, supplement, 受理, 不予受理 */
	ACT_SEND_AGREEMENT,
	ACT_RECORD_PAYMENT,
	ACT_REVERSE_PAYMENT,	/* ask for a reversal (冲正) */
	ACT_REFUND,		/* record a refund (退款) */
	ACT_CONFIRM_LEDGER,	/* the second officer: confirm or decline */
	ACT_INVOICE,		/* the 发票 number of a payment */
	ACT_PLAN,		/* audit plan, team, start */
	ACT_ASSESS,		/* records and the audit conclusion */
	ACT_FORM_PANEL,
	ACT_DECLARE,		/* conflict of interest, either way */
	ACT_EXPERT_CONCLUDE,
	ACT_ISSUE,		/* in a batch, approved */
	ACT_HANDLE_APPEAL,
	ACT_DISPOSE,
	ACT_REQUEST_DOCS,	/* ask the applicant for documents (评估) */
	ACT_ANSWER_DOCS,	/* answer such a request */
	ACT__COUNT
};

/* A case as the actor may see it. */
struct case_ref {
	long long	 id;
	long long	 org_id;
	const char	*org_name;	/* the account's organisation */
	const char	*case_no;	/* "" before submission */
	enum status	 st;
	const char	*status;	/* its code */
	long long	 lead_id;	/* 0 when none */
	const char	*lead_name;	/* "" when none */
	const char	*created_at;
	int		 rounds;
	unsigned	 rels;		/* enum rel bits */
	unsigned	 parts;		/* enum part bits granted */
};

/*
 * Loads case id for d->actor when every part in need is granted:
 * DOM_OK; DOM_NOT_FOUND when there is no such case or a part is not
 * granted (nothing said either way); DOM_FAILED.
 */
enum dom_rc	 access_case(struct dom *d, long long id, unsigned need,
		    struct case_ref *out);

/* The parts a role in relations rels may read in status st. */
unsigned	 access_parts(unsigned role_bit, unsigned rels, enum status st);

/* 1 when the actor (its role, its relations to c) may take act now. */
int		 access_may(const struct case_ref *c, unsigned role_bit,
		    enum action act);

/*
 * DOM_OK when d->actor may take act on c; else DOM_FORBIDDEN, or
 * DOM_CONFLICT when the actor could in another status, with a message
 * that says why in d->msg.
 */
enum dom_rc	 access_require(struct dom *d, const struct case_ref *c,
		    enum action act);

/* The actions, as the table holds them, for the layer's own tests. */
struct access_rule {
	enum action	 act;
	unsigned	 roles;		/* enum role bits */
	unsigned	 rels;		/* any of these relations */
	status_set	 statuses;
	const char	*zh;		/* the action in words */
};
extern const struct access_rule access_rules[];

#endif
