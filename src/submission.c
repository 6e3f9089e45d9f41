/*
 * submission.c: the check and the formal submission (submission.h).
 */
#include <stdio.h>
#include <string.h>

#include "application.h"
#include "formdata.h"
#include "notice.h"
#include "notice_read.h"
#include "store.h"
#include "submission.h"
#include "tmpl.h"
#include "util.h"
#include "workflow_step.h"

#define NOT_SUBMITTABLE	"此申请当前不能提交：它已经提交过了。" \
			"请在案件页面查看进度。"

long long
submission_round_id(struct dom *d, long long case_id, int n)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT id FROM round "
	    "WHERE case_id = ?1 AND n = ?2");
	long long id = 0;
	int row;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	if ((row = store_row(st)) < 0)
		return -1;
	if (row == 1)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

enum dom_rc
submission_check(struct dom *d, const struct case_ref *c,
    struct submission_report *out)
{
	const struct rules *r = rules_default();
	struct fdef_apptype at;
	struct formdata fd;
	enum dom_rc rc;
	zdate day;

	memset(out, 0, sizeof(*out));
	fdef_report_init(&out->rep);
	if (!(c->parts & PART_APPLICATION))
		return DOM_NOT_FOUND;
	formdata_init(&fd, d->arena);
	if ((rc = application_form(d, c, &fd)) != DOM_OK)
		return rc;
	if ((day = elig_day(d, c)) == DATE_NONE)
		return dom_fail(d, "check: judging day");
	fdef_check_all_at(d->arena, r, &fd.src, d->today, day, &out->rep);
	out->supplement = c->st == ST_SUPPLEMENT_REQUESTED;
	out->can_submit = access_may(c, d->actor->role_bit, ACT_SUBMIT);

	/* The eligibility checks, with the applicant's figures. */
	if ((rc = elig_judge(d, c, &fd.src, day, c->rounds > 0,
	    &out->elig)) != DOM_OK)
		return rc;

	/* The fee that will apply, as of the judging day: a maintenance
	 * application's from the register, once its certificate is
	 * chosen. */
	fdef_apptype(d->arena, r, &fd.src, day, &at);
	if (at.known && at.declared == RULES_APP_MAINTENANCE) {
		if (at.has_window) {
			rules_fee_maintenance(r, at.expires, at.filed,
			    &out->fee);
			out->has_fee = 1;
			out->window_zh = rules_maint_class_zh(at.window.class);
			out->cert_no = at.cert_no;
			date_format(at.expires, out->cert_expires);
			date_format(at.window.on_time_until,
			    out->on_time_until);
			date_format(at.filed, out->filed);
		}
	} else if (at.known) {
		rules_fee_initial(r, &out->fee);
		out->has_fee = 1;
	}
	if (out->has_fee)
		out->basis_zh = rules_apptype_zh(out->fee.treated_as);
	return DOM_OK;
}

/*
 * Gives the case its number at first submission: SE2-YYYY-NNNNN, the
 * year of the submission day and a sequence within that year.
 */
static int
assign_number(struct dom *d, long long case_id, const char **no)
{
	sqlite3_stmt *st;
	char prefix[16], buf[32];
	long long seq = 1;

	snprintf(prefix, sizeof(prefix), "SE2-%.4s-", d->today_s);
	st = store_stmt(d->store, "SELECT coalesce(max(CAST(substr(case_no, "
	    "10) AS INTEGER)), 0) + 1 FROM cases WHERE case_no LIKE ?1 || '%'");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, prefix);
	if (sqlite3_step(st) != SQLITE_ROW)
		return -1;
	seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	snprintf(buf, sizeof(buf), "%s%05lld", prefix, seq);
	st = store_stmt(d->store, "UPDATE cases SET case_no = ?2 WHERE id = ?1 "
	    "AND case_no IS NULL");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, buf);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    sqlite3_changes(store_db(d->store)) != 1)
		return -1;
	*no = arena_strdup(d->arena, buf);
	return 0;
}

/* Runs sql with the integers a (?1) and b (?2); 0 or -1. */
static int
run2(struct dom *d, sqlite3_stmt *st, long long a, long long b)
{
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, a);
	store_bind_int(st, 2, b);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Freezes round n of the case: the form's values and its current
 * files. */
static int
freeze_round(struct dom *d, long long case_id, int n, long long *round_id)
{
	sqlite3_stmt *st;

	st = store_stmt(d->store, "INSERT INTO round(case_id, n, submitted_at, "
	    "submitted_by) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, n);
	store_bind_text(st, 3, d->stamp);
	store_bind_int(st, 4, d->actor->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	*round_id = sqlite3_last_insert_rowid(store_db(d->store));
	if (run2(d, store_stmt(d->store, "INSERT INTO round_value(round_id, "
	    "field, row, value) SELECT ?1, field, row, value FROM form_value "
	    "WHERE case_id = ?2"),
	    *round_id, case_id) != 0 ||
	    run2(d, store_stmt(d->store, "INSERT INTO round_file(round_id, "
	    "material_id) SELECT ?1, id FROM material WHERE case_id = ?2 AND "
	    "state = 'current'"),
	    *round_id, case_id) != 0)
		return -1;
	return run2(d, store_stmt(d->store, "UPDATE cases SET rounds = ?2 "
	    "WHERE id = ?1"), case_id,
	    n);
}

/* The receipt's list: each file of the round with its hash. */
static int
receipt_files(struct dom *d, struct tv *v, long long round_id)
{
	sqlite3_stmt *st = store_stmt(d->store, "SELECT m.kind, m.row, "
	    "m.filename, m.size, m.sha256 FROM round_file rf JOIN material m "
	    "ON m.id = rf.material_id WHERE rf.round_id = ?1 ORDER BY m.id");
	const struct fdef_material *m;
	struct tv *list = tv_put_list(v, "files"), *f;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, round_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = tv_push_map(list);
		m = fdef_material_find(store_col_text(st, 0), NULL);
		tv_put_str(f, "label", m ? m->label : store_col_text(st, 0));
		if (sqlite3_column_int(st, 1) >= 0)
			tv_put_str(f, "row_name", arena_printf(d->arena,
			    "第 %d 行", sqlite3_column_int(st, 1) + 1));
		tv_put_str(f, "filename", store_col_text(st, 2));
		tv_put_int(f, "size", sqlite3_column_int64(st, 3));
		tv_put_str(f, "sha256", store_col_text(st, 4));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The 收件凭证 of the round, to the party the round names. */
static int
receipt(struct dom *d, const struct case_ref *c, const struct formdata *fd,
    const struct submission_result *out)
{
	struct fdef_apptype at;
	struct tv *v = step_notice_view(d, c);

	fdef_apptype(d->arena, rules_default(), &fd->src, d->today, &at);
	tv_put_int(v, "round", out->round);
	if (out->late) {
		tv_put_bool(v, "late", 1);
		tv_put_str(v, "late_due", out->answers_due);
		tv_put_str(v, "answered_on", d->today_s);
	}
	tv_put_bool(v, "supplement", out->round > 1);
	tv_put_str(v, "app_type_zh", at.known ? rules_apptype_zh(at.declared) :
	    "");
	if (receipt_files(d, v, out->round_id) != 0)
		return -1;
	return notice_create(d, c->id, out->case_no, "receipt", "收件凭证", v,
	    NULL, out->round_id) < 0 ? -1 : 0;
}

/*
 * The round's facts after it is frozen: the day it came, the supplement
 * due date it answers and whether it came after it; and the party it
 * names, which every document of the case names from now on (c is
 * updated to match).
 */
static int
round_facts(struct dom *d, struct case_ref *c, const struct formdata *fd,
    const struct submission_result *out)
{
	const char *name = formdata_get(fd, "org_name", FDEF_NOROW);
	const char *uscc = formdata_get(fd, "uscc", FDEF_NOROW);
	sqlite3_stmt *st;

	st = store_stmt(d->store, "UPDATE round SET day = ?2, answers_due = "
	    "?3, late = ?4 WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, out->round_id);
	store_bind_text(st, 2, d->today_s);
	store_bind_text(st, 3, *out->answers_due ? out->answers_due : NULL);
	store_bind_int(st, 4, out->late);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	st = store_stmt(d->store, "UPDATE cases SET party_name = ?2, "
	    "party_uscc = ?3, answered_late = ?4 WHERE id = ?1");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, c->id);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, uscc);
	store_bind_int(st, 4, out->late);
	if (sqlite3_step(st) != SQLITE_DONE)
		return -1;
	if (name != NULL)
		c->org_name = arena_strdup(d->arena, name);
	c->org_uscc = arena_strdup(d->arena, uscc ? uscc : "");
	return 0;
}

/* The event's words for the round: a supplement's answer says when it
 * was due and, if it came after that, that it is late (§5.2). */
static const char *
round_reason(struct dom *d, const struct case_ref *c,
    const struct submission_result *out)
{
	if (c->rounds == 0)
		return "正式提交申请";
	if (!out->late)
		return arena_printf(d->arena, "提交补正材料（第 %d 轮）%s%s%s",
		    out->round, *out->answers_due ? "，补正期限 " : "",
		    out->answers_due, *out->answers_due ? "（含当日）" : "");
	return arena_printf(d->arena, "提交补正材料（第 %d 轮）；逾期提交：补正"
	    "期限 %s（含当日），%s 提交。是否受理由项目负责人依照《申请与维持"
	    "指南》第 5.2 条决定。", out->round, out->answers_due, d->today_s);
}

/*
 * What the case continues: a maintenance application's certificate, from
 * the register, with the window of the first submission day (fd's
 * filed, or today). Nothing for an initial application. 0 or -1.
 */
static int
record_maintenance(struct dom *d, long long case_id,
    const struct formdata *fd)
{
	const struct fd_cert *fc;
	struct fdef_apptype at;
	sqlite3_stmt *st;
	char filed[DATE_BUFSZ];

	fdef_apptype(d->arena, rules_default(), &fd->src, d->today, &at);
	if (!at.has_window || (fc = formdata_cert(fd, at.cert_no)) == NULL) {
		/* Changed to an initial application in a supplement. */
		st = store_stmt(d->store, "DELETE FROM cert_maintenance WHERE "
		    "case_id = ?1");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, case_id);
		return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	st = store_stmt(d->store, "INSERT INTO cert_maintenance(case_id, "
	    "certificate_id, filed_on, maint_class) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT(case_id) DO UPDATE SET certificate_id = "
	    "excluded.certificate_id, filed_on = excluded.filed_on, "
	    "maint_class = excluded.maint_class");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_int(st, 2, fc->id);
	store_bind_text(st, 3, date_format(at.filed, filed));
	store_bind_text(st, 4, rules_maint_class_code(at.window.class));
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* The submission, inside its transaction. */
static enum dom_rc
submit(struct dom *d, long long case_id, int confirmed,
    struct submission_result *out)
{
	struct case_ref c;
	struct fdef_report rep;
	struct formdata fd;
	zdate served;
	enum dom_rc rc;
	zdate day;

	if ((rc = access_case(d, case_id, PART_APPLICATION, &c)) != DOM_OK ||
	    (rc = step_may(d, &c, ACT_SUBMIT, NOT_SUBMITTABLE)) !=
	    DOM_OK)
		return rc;
	if (!confirmed)
		return dom_refuse(d, DOM_INVALID, "confirm", "请勾选“以上内容"
		    "真实、准确、完整”后再提交。");
	formdata_init(&fd, d->arena);
	if (formdata_load(&fd, d->store, case_id) != 0)
		return dom_fail(d, "submit");
	/* A supplement's answer is judged as of the first submission. */
	if ((day = elig_day(d, &c)) == DATE_NONE)
		return dom_fail(d, "submit: judging day");
	fdef_report_init(&rep);
	fdef_check_all_at(d->arena, rules_default(), &fd.src, d->today, day,
	    &rep);
	if (rep.n > 0) {
		out->incomplete = 1;
		return dom_refuse(d, DOM_CONFLICT, NULL, "申请书或材料还有 %zu "
		    "处需要补充或修改，暂不能提交。", rep.n);
	}
	out->round = c.rounds + 1;
	out->case_no = c.case_no;
	/* Answering a supplement: on time or late, by the due date that
	 * runs from the notice's 送达 (none before it was served). */
	if (c.st == ST_SUPPLEMENT_REQUESTED) {
		rc = notice_supplement_due(d, case_id, &served,
		    out->answers_due);
		if (rc != DOM_OK && rc != DOM_NOT_FOUND)
			return rc;
		if (rc == DOM_OK && served != DATE_NONE)
			out->late = rules_supplement_late(rules_default(),
			    served, d->today);
	}
	if (*c.case_no == '\0' && assign_number(d, case_id, &out->case_no) !=
	    0)
		return dom_fail(d, "case number");
	if (freeze_round(d, case_id, out->round, &out->round_id) != 0 ||
	    round_facts(d, &c, &fd, out) != 0)
		return dom_fail(d, "freeze round");
	if (record_maintenance(d, case_id, &fd) != 0)
		return dom_fail(d, "maintenance");
	if ((rc = workflow_step(d, case_id, c.st == ST_DRAFT ?
	    ST_SUBMITTED : ST_INTAKE_REVIEW, round_reason(d, &c, out))) !=
	    DOM_OK)
		return rc;
	if (receipt(d, &c, &fd, out) != 0)
		return dom_fail(d, "receipt");
	return DOM_OK;
}

enum dom_rc
submission_submit(struct dom *d, long long case_id, int confirmed,
    struct submission_result *out)
{
	enum dom_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = dom_begin(d)) != DOM_OK)
		return rc;
	return dom_end(d, submit(d, case_id, confirmed, out));
}
