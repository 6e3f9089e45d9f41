/*
 * application.c: an organisation's applications (application.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application.h"
#include "archive.h"
#include "eligibility.h"
#include "form_def.h"
#include "formdata.h"
#include "material.h"
#include "outbox.h"
#include "rows.h"
#include "workflow_step.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define REASON_MAX	2000	/* bytes of a withdrawal's reason */

enum dom_rc
application_list(struct dom *d, long long page, long long per_page,
    struct application_row **rows, size_t *n, long long *total)
{
	struct application_row *v = NULL, *r;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	*total = 0;
	if (d->actor->role_bit != ROLE_APPLICANT || d->actor->org_id == 0)
		return DOM_OK;
	st = store_stmt(d->store, "SELECT count(*) FROM cases WHERE "
	    "org_id = ?1");
	if (st == NULL)
		return dom_fail(d, "application_list");
	store_bind_int(st, 1, d->actor->org_id);
	if (store_row(st) != 1)
		return dom_fail(d, "application_list");
	*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* The last event is the one with the highest id (events are
	 * appended as they happen): one step down event_case, where
	 * max(at) would read every event of the case. */
	st = store_stmt(d->store, "SELECT c.id, coalesce(c.case_no, ''), "
	    "c.status, c.created_at, coalesce((SELECT e.at FROM event e "
	    "WHERE e.case_id = c.id ORDER BY e.id DESC LIMIT 1), '') FROM "
	    "cases c WHERE c.org_id = ?1 ORDER BY c.id DESC LIMIT ?2 OFFSET "
	    "?3");
	if (st == NULL)
		return dom_fail(d, "application_list");
	store_bind_int(st, 1, d->actor->org_id);
	store_bind_int(st, 2, per_page);
	store_bind_int(st, 3, (page - 1) * per_page);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = rows_grow(d->arena, v, *n, &cap, sizeof(*v));
		r = &v[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->case_no = arena_strdup(d->arena, store_col_text(st, 1));
		r->status = arena_strdup(d->arena, store_col_text(st, 2));
		r->st = status_of(r->status);
		r->created_at = arena_strdup(d->arena, store_col_text(st, 3));
		r->updated_at = arena_strdup(d->arena, store_col_text(st, 4));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return dom_fail(d, "application_list");
	*rows = v;
	return DOM_OK;
}

/*
 * A new draft of the actor's organisation, in the caller's transaction:
 * refused (the transaction ended) when the organisation has
 * APPLICATION_DRAFTS_MAX drafts already. DOM_OK with *id, or the
 * transaction is over.
 */
static enum dom_rc
draft_new(struct dom *d, const char *what, long long *id)
{
	sqlite3_stmt *st;
	enum dom_rc rc;

	st = store_stmt(d->store, "SELECT count(*) FROM cases WHERE org_id = "
	    "?1 AND status = ?2");
	if (st == NULL)
		return dom_fail(d, what);
	store_bind_int(st, 1, d->actor->org_id);
	store_bind_text(st, 2, status_code(ST_DRAFT));
	if (sqlite3_step(st) != SQLITE_ROW)
		return dom_fail(d, what);
	rc = sqlite3_column_int64(st, 0) >= APPLICATION_DRAFTS_MAX ?
	    DOM_CONFLICT : DOM_OK;
	sqlite3_reset(st);
	if (rc != DOM_OK)
		return dom_end(d, dom_refuse(d, DOM_CONFLICT, NULL, "本单位已有 "
		    "%d 份未提交的草稿，不能再新建。请继续填写已有的草稿，或撤回"
		    "不再需要的草稿后再新建。", APPLICATION_DRAFTS_MAX));
	st = store_stmt(d->store, "INSERT INTO cases(org_id, created_by, "
	    "created_at) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return dom_fail(d, what);
	store_bind_int(st, 1, d->actor->org_id);
	store_bind_int(st, 2, d->actor->id);
	store_bind_text(st, 3, d->stamp);
	if (sqlite3_step(st) != SQLITE_DONE)
		return dom_fail(d, what);
	*id = sqlite3_last_insert_rowid(store_db(d->store));
	if (workflow_status_facts(d->store, *id, ST_DRAFT) != 0) {
		*id = 0;
		return dom_fail(d, what);
	}
	return DOM_OK;
}

enum dom_rc
application_create(struct dom *d, long long *id)
{
	enum dom_rc rc;

	*id = 0;
	if (d->actor->role_bit != ROLE_APPLICANT || d->actor->org_id == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有申请单位可以新建"
		    "申请。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = draft_new(d, "application_create", id)) != DOM_OK)
		return rc;
	return dom_end(d, DOM_OK);
}

/* The lead's e-mail about a withdrawal, in its transaction. 0 or -1. */
static int
tell_lead_withdrawn(struct dom *d, const struct case_ref *c,
    const char *reason)
{
	const char *subject, *body;
	char *mail;
	int rc;

	subject = arena_printf(d->arena, "【资质申请】申请单位已撤回申请（%s）",
	    c->case_no);
	body = arena_printf(d->arena, "案件 %s（申请单位：%s）已于 %s 由申请单位"
	    "撤回（撤回前状态：%s）。案件已结束，无需继续办理。\n%s%s%s",
	    c->case_no, c->org_name, d->today_s, status_zh(c->st),
	    *reason ? "撤回原因：" : "", reason, *reason ? "\n" : "");
	mail = outbox_case_body(body, d->public_url, c->id);
	rc = outbox_to_case(d->store, c->id, OUTBOX_LEAD, 0, subject, mail,
	    NULL, d->now);
	free(mail);
	return rc < 0 ? -1 : 0;
}

/* The organisation's last round: its id and case number; 0 if none. */
static long long
last_round(struct dom *d, const char **case_no)
{
	int row;
	sqlite3_stmt *st;
	long long id = 0;

	st = store_stmt(d->store, "SELECT r.id, c.case_no FROM round r "
	    "JOIN cases c ON c.id = r.case_id WHERE c.org_id = ?1 "
	    "ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, d->actor->org_id);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1) {
		id = sqlite3_column_int64(st, 0);
		if (case_no != NULL)
			*case_no = arena_strdup(d->arena,
			    store_col_text(st, 1));
	}
	sqlite3_reset(st);
	return id;
}

enum dom_rc
application_last_round(struct dom *d, const char **no)
{
	long long round;

	*no = NULL;
	if (d->actor->org_id == 0)
		return DOM_OK;
	if ((round = last_round(d, no)) < 0)
		return dom_fail(d, "application_last_round");
	if (round == 0)
		*no = NULL;
	return DOM_OK;
}

enum dom_rc
application_create_from_last(struct dom *d, long long *id, const char **from)
{
	sqlite3_stmt *st;
	long long round;
	enum dom_rc rc;

	*id = 0;
	if (d->actor->role_bit != ROLE_APPLICANT || d->actor->org_id == 0)
		return dom_refuse(d, DOM_FORBIDDEN, NULL, "只有申请单位可以新建"
		    "申请。");
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((round = last_round(d, from)) < 0)
		return dom_fail(d, "application_create_from_last");
	if (round == 0)
		return dom_end(d, dom_refuse(d, DOM_NOT_FOUND, NULL, "本单位还"
		    "没有提交过申请，没有可以沿用的申请书。请新建一份空白申请。"));
	if ((rc = draft_new(d, "application_create_from_last", id)) !=
	    DOM_OK)
		return rc;
	st = store_stmt(d->store, "INSERT INTO form_value(case_id, field, "
	    "row, value) SELECT ?1, field, row, value FROM round_value "
	    "WHERE round_id = ?2");
	if (st == NULL)
		return dom_fail(d, "application_create_from_last");
	store_bind_int(st, 1, *id);
	store_bind_int(st, 2, round);
	if (sqlite3_step(st) != SQLITE_DONE) {
		*id = 0;
		return dom_fail(d, "application_create_from_last");
	}
	return dom_end(d, DOM_OK);
}

enum dom_rc
application_withdraw(struct dom *d, long long case_id, const char *reason)
{
	struct case_ref c;
	enum dom_rc rc;

	if (reason == NULL)
		reason = "";
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = access_case(d, case_id, PART_SUMMARY, &c)) != DOM_OK)
		return dom_end(d, rc);
	if (strlen(reason) > REASON_MAX)
		return dom_end(d, dom_refuse(d, DOM_INVALID, "reason",
		    "撤回原因请控制在 %d 字节以内。", REASON_MAX));
	if ((rc = step_may(d, &c, ACT_WITHDRAW, "此申请当前不能撤回。"))
	    != DOM_OK)
		return dom_end(d, rc);
	if ((rc = workflow_step(d, case_id, ST_WITHDRAWN, reason)) != DOM_OK)
		return dom_end(d, rc);
	/* The lead stops working on it: told at once (or, with the lead's
	 * account disabled, the supervisors). */
	if (c.lead_id > 0 && tell_lead_withdrawn(d, &c, reason) != 0)
		return dom_fail(d, "withdraw: mail");
	return dom_end(d, DOM_OK);
}

enum dom_rc
application_form(struct dom *d, const struct case_ref *c,
    struct formdata *fd)
{
	if (!(c->parts & (PART_APPLICATION | PART_MATERIALS)))
		return DOM_NOT_FOUND;
	if (archive_gone(d, c) != DOM_OK)
		return DOM_GONE;
	if (formdata_load(fd, d->store, c->id) != 0)
		return dom_fail(d, "application_form");
	return DOM_OK;
}

/* The section's cross-field checks on the application as it would be
 * stored with values in place of the section: 1 when one refuses. */
static int
refused(struct dom *d, const struct case_ref *c,
    const struct fdef_section *sec, const struct formdata *values,
    struct fdef_report *rep, int *failed)
{
	long long case_id = c->id;
	zdate day;
	struct formdata whole;
	const struct fd_value *fv;
	size_t k;

	formdata_init(&whole, d->arena);
	if (formdata_load(&whole, d->store, case_id) != 0) {
		*failed = 1;
		return 1;
	}
	formdata_clear_section(&whole, sec);
	for (k = 0; k < FD_BUCKETS; k++)
		for (fv = values->bucket[k]; fv != NULL; fv = fv->next)
			formdata_set(&whole, fv->field, fv->row, fv->value);
	/* The files are not the section's to check here. A supplement's
	 * answer is judged as of the first submission (eligibility.h). */
	whole.src.files = NULL;
	if ((day = elig_day(d, c)) == DATE_NONE) {
		*failed = 1;
		return 1;
	}
	fdef_check_section_at(d->arena, rules_default(), sec, &whole.src,
	    d->today, day, rep);
	for (k = 0; k < rep->n; k++)
		if (rep->v[k].state == FDEF_INVALID)
			return 1;
	return 0;
}

enum dom_rc
application_save_section(struct dom *d, long long case_id,
    const struct fdef_section *sec, const struct formdata *values,
    const struct material_rowmap *maps, size_t nmaps,
    struct fdef_report *rep)
{
	struct case_ref c;
	enum dom_rc rc;
	int failed = 0;

	fdef_report_init(rep);
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	if ((rc = access_case(d, case_id, PART_APPLICATION, &c)) != DOM_OK ||
	    (rc = step_may(d, &c, ACT_EDIT, "申请已提交，当前不能修改"
	    "申请书。")) != DOM_OK)
		return dom_end(d, rc);
	if (refused(d, &c, sec, values, rep, &failed))
		return failed ? dom_fail(d, "save section") : dom_end(d,
		    dom_refuse(d, DOM_INVALID, NULL, "申请书“%s”有需要修改的"
		    "内容。", sec->title));
	if (formdata_save_section(values, d->store, case_id, sec,
	    d->stamp) != 0)
		return dom_fail(d, "save section");
	if ((rc = material_follow_rows(d, case_id, sec, maps, nmaps)) !=
	    DOM_OK)
		return rc;
	return dom_end(d, DOM_OK);
}

enum dom_rc
application_clock(struct dom *d, const struct case_ref *c,
    struct rules_clock *out)
{
	if (!(c->parts & PART_SUMMARY))
		return DOM_NOT_FOUND;
	/* The clock the case keeps with its transitions: the same as its
	 * events give, without reading them. Not started yet: none. */
	switch (workflow_clock_kept(d->store, c->id, d->today_s, out)) {
	case 0:
		return DOM_OK;
	case 1:
		return DOM_NOT_FOUND;
	default:
		return dom_fail(d, "application_clock");
	}
}
