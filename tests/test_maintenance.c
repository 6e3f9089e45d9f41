/*
 * test_maintenance.c: maintenance that continues a certificate (issue
 * 15), on a temporary database: certificates issued before the system
 * imported from a file (certimport.c), linked by a certificate officer to
 * the organisation whose 申请书 carries their credit code
 * (certificate_link), chosen in section 一 of a maintenance application,
 * and the certificate's state on the verification page while the case
 * is open and after its certificate is issued (certificate.c).
 *
 * The fee and the 视作初次申请 outcome come from the register's expiry
 * and the submission day, on the check page and in the agreement: a
 * stale expiry typed into the old form field is there and is not read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agreement.h"
#include "application.h"
#include "batch.h"
#include "certificate.h"
#include "certimport.h"
#include "complaint.h"
#include "form_def.h"
#include "formdata.h"
#include "sanction.h"
#include "submission.h"
#include "sweep.h"
#include "testlib_apply.h"
#include "testlib_journey.h"
#include "util.h"
#include "workflow.h"

/* A second certificate officer: a batch is approved by another. */
#define CERT2	50
static const struct actor cert2 = { CERT2, "c2@x.cn", "制证人员乙",
	"cert_staff", ROLE_CERT_STAFF, 0, "" };

static int
setup(void **state)
{
	tp_open();
	tp_exec("INSERT INTO account(id, email, name, role, org_id, "
	    "password_hash) VALUES (50, 'c2@x.cn', '制证人员乙', 'cert_staff', "
	    "NULL, 'x')");
	return 0;
}

/* The context of d moved days days on (a later day, as the sweep or a
 * visitor would see it). */
static struct dom *
later(struct dom *d, int days)
{
	d->now += (long long)days * 86400;
	d->today += days;
	date_format(d->today, d->today_s);
	date_stamp(d->now, d->stamp);
	return d;
}

static const char *
day(zdate z)
{
	static char b[8][DATE_BUFSZ];
	static int i;

	return date_format(z, b[i++ % 8]);
}

/* A valid credit code from 17 characters. */
static const char *
uscc(struct arena *a, const char *b17)
{
	char *s = arena_printf(a, "%s?", b17);

	s[17] = uscc_check_char(b17);
	return s;
}

/* Imports data; the result. */
static enum dom_rc
import(const char *data, struct certimport_result *r)
{
	return certimport_run(tp_dom(0), data, strlen(data), r);
}

/* Imports data as d. */
static enum dom_rc
import_len(struct dom *d, const char *data, struct certimport_result *r)
{
	return certimport_run(d, data, strlen(data), r);
}

/* Imports one certificate of organisation 1's credit code (the
 * journey's), expiring on exp, with status; its id. */
static long long
import_one(const char *no, zdate exp, const char *status)
{
	struct certimport_result r;
	struct dom *d = tp_dom(0);
	char sql[160];

	if (import_len(d, arena_printf(d->arena, CERTIMPORT_HEADER "\n"
	    "%s,甲公司,%s,%s,%s,%s\n", no, tj_uscc(), day(exp - 3 * 365 + 1),
	    day(exp), status), &r) != DOM_OK)
		fail_msg("import %s: %s", no, r.nbad ? r.bad[0].msg : d->msg);
	assert_int_equal(r.added, 1);
	snprintf(sql, sizeof(sql), "SELECT id FROM certificate WHERE no = "
	    "'%s'", no);
	return tp_int(sql, 0);
}

/* Links certificate id to organisation 1 as the certificate officer. */
static void
link1(long long id)
{
	struct dom *d = tp_dom(TP_CERT);

	if (certificate_link(d, id, 1) != DOM_OK)
		fail_msg("link: %s", d->msg);
}

/*
 * Section 一 of case id saved as a maintenance application of
 * certificate no (the rest as it was), as the applicant: the save's
 * answer, its problems in *rep.
 */
static enum dom_rc
choose(long long id, const char *no, struct fdef_report *rep)
{
	const struct fdef_section *s1 = fdef_section_find("s1");
	struct dom *d = tp_dom(TP_APPLICANT);
	struct formdata whole, fd;
	struct case_ref c;
	const char *v;
	size_t i;

	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	formdata_init(&whole, d->arena);
	assert_int_equal(application_form(d, &c, &whole), DOM_OK);
	formdata_init(&fd, d->arena);
	for (i = 0; i < s1->nfields; i++)
		if ((v = formdata_get(&whole, s1->fields[i].name,
		    FDEF_NOROW)) != NULL)
			formdata_set(&fd, s1->fields[i].name, FDEF_NOROW, v);
	formdata_set(&fd, "app_type", FDEF_NOROW, "maintenance");
	formdata_set(&fd, "maint_cert_no", FDEF_NOROW, no);
	return application_save_section(d, id, s1, &fd, NULL, 0, rep);
}

/* The check page's report of case id. */
static void
check(long long id, struct submission_report *r)
{
	struct dom *d = tp_dom(TP_APPLICANT);
	struct case_ref c;

	assert_int_equal(access_case(d, id, PART_APPLICATION, &c), DOM_OK);
	assert_int_equal(submission_check(d, &c, r), DOM_OK);
}

/* An expiry old enough that maintenance filed today is late, by the
 * rules' own days (*last: the last such; the day before it is more than
 * six months before today: 视作初次申请). */
static zdate
late_boundary(zdate today)
{
	struct rules_window w;
	zdate e = date_add_months(today, -6) + 5;

	for (;; e--) {
		rules_maint_window(rules_default(), e, today, &w);
		if (w.class == RULES_MAINT_INITIAL)
			return e + 1;
	}
}

/* The draft's old typed expiry, as a draft of the old form has it. */
static void
stale_expiry(long long id, const char *date)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "INSERT INTO form_value(case_id, field, "
	    "row, value) VALUES (%lld, 'maint_cert_expiry', -1, '%s')", id,
	    date);
	tp_exec(sql);
}

/* Submits case id; accepts it for the lead (forced: the review is not
 * this test's); the agreement's fee. */
static void
submit_and_fee(long long id, struct agreement_fee *f)
{
	struct submission_result out;
	struct dom *d = tp_dom(TP_APPLICANT);
	struct case_ref c;
	char sql[200];

	if (submission_submit(d, id, 1, &out) != DOM_OK)
		fail_msg("submit: %s", d->msg);
	snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s', lead_id = "
	    "%d WHERE id = %lld", status_code(ST_ACCEPTED), TP_LEAD, id);
	tp_exec(sql);
	assert_int_equal(workflow_status_facts(tp_db, id, ST_ACCEPTED), 0);
	d = tp_dom(TP_LEAD);
	assert_int_equal(access_case(d, id, PART_PAYMENTS, &c), DOM_OK);
	if (agreement_fee(d, &c, f) != DOM_OK)
		fail_msg("agreement fee: %s", d->msg);
}

/* ---- Import ------------------------------------------------------- */

/* n certificates, one with a bad credit code at row bad (0: none). */
static const char *
csv(struct arena *a, int n, int bad)
{
	struct buf b;
	char base[24];
	const char *code;
	int i;

	buf_init(&b);
	buf_puts(&b, CERTIMPORT_HEADER "\r\n");
	for (i = 1; i <= n; i++) {
		snprintf(base, sizeof(base), "91330106MA%07d", i % 10000000);
		code = uscc(a, base);
		if (i == bad)
			code = arena_printf(a, "%.17s%c", code, code[17] == 'X' ?
			    'Y' : 'X');
		buf_printf(&b, "CNITSEC2020SE2-%04d,\"导入测试%d号有限公司\",%s,"
		    "2020-07-%02d,2023-07-%02d,%s\r\n", i, i, code, i % 28 + 1,
		    i % 28 + 1, i % 50 == 0 ? "suspended" : i % 70 == 0 ?
		    "cancelled" : i % 3 == 0 ? "expired" : "valid");
	}
	code = arena_strdup(a, b.p);
	buf_free(&b);
	return code;
}

/* Everything the import writes, as one figure. */
static long long
footprint(void)
{
	return tp_int("SELECT (SELECT count(*) FROM certificate) * 1000000 + "
	    "(SELECT count(*) FROM sanction) * 1000 + (SELECT total(length(no) "
	    "+ length(org_name) + length(uscc) + length(imported_at)) FROM "
	    "certificate) % 1000", 0);
}

static void
test_import_twice(void **state)
{
	struct certimport_result r;
	struct arena *a = arena_new();
	const char *data = csv(a, 1000, 0);
	long long before, changes;

	assert_int_equal(import(data, &r), DOM_OK);
	assert_int_equal(r.rows, 1000);
	assert_int_equal(r.added, 1000);
	assert_int_equal(r.unchanged, 0);
	assert_int_equal(r.nbad, 0);
	assert_int_equal(tp_int("SELECT count(*) FROM certificate WHERE "
	    "no LIKE 'CNITSEC2020SE2-%' AND case_id IS NULL AND org_id IS "
	    "NULL AND batch_id IS NULL", 0), 1000);
	/* Suspended and cancelled ones carry their sanction. */
	assert_int_equal(tp_int("SELECT count(*) FROM sanction s JOIN "
	    "certificate t ON t.id = s.certificate_id WHERE s.kind = "
	    "'suspension' AND s.by_id IS NULL AND t.imported_status = "
	    "'suspended'", 0), 20);
	assert_int_equal(tp_int("SELECT count(*) FROM sanction WHERE kind = "
	    "'revocation'", 0), 1000 / 70 - 1000 / 350);

	/* The same file again: nothing changes, and it says so. */
	before = footprint();
	changes = sqlite3_total_changes(store_db(tp_db));
	assert_int_equal(import(data, &r), DOM_OK);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.unchanged, 1000);
	assert_int_equal(footprint(), before);
	assert_int_equal(sqlite3_total_changes(store_db(tp_db)), changes);

	/* Held by no organisation yet: not among the organisations a
	 * complaint can name. */
	{
		struct complaint_org *o;
		size_t n, i;

		assert_int_equal(complaint_orgs(tp_dom(TP_SUPERVISOR), &o, &n),
		    DOM_OK);
		for (i = 0; i < n; i++)
			assert_true(o[i].id > 0);
	}
	arena_free(a);
}

/* Rows each bad in one way (line 2: the credit code; line 11: differs
 * from what an earlier import holds). */
#define BAD_ROWS CERTIMPORT_HEADER "\n" \
    "CNITSEC2018SE2-0001,甲,91110108MA01C2XK3Q,2018-01-01," \
    "2021-01-01,valid\n" \
    "CNITSEC2018SE2-0002,乙,%s,2018-02-30,2021-01-01,valid\n" \
    "CNITSEC2018SE2-0003,丙,%s,2018-01-01,2021-01-01,active\n" \
    "CNITSEC2018SE2-0004,丁,%s,2018-01-01,2021-01-01,valid\n" \
    "CNITSEC2018SE2-0004,戊,%s,2018-01-01,2021-01-01,valid\n" \
    "CNITSEC2018SE2-0006,,%s,2018-01-01,2021-01-01,valid\n" \
    "CNITSEC2018SE2-0007,己,%s,2018-01-01\n" \
    "NOT-A-NUMBER,庚,%s,2018-01-01,2021-01-01,valid\n" \
    "CNITSEC2018SE2-0009,辛,%s,2018-01-01,2017-01-01,valid\n" \
    "CNITSEC2020SE2-0001,导入测试1号有限公司,%s,2020-07-02," \
    "2023-07-02,valid\n"

static void
test_import_bad(void **state)
{
	struct certimport_result r;
	struct arena *a = arena_new();
	struct dom *d = tp_dom(0);
	long long before = footprint();
	size_t i;

	/* One bad credit code among 1,000 rows: nothing imported, the row
	 * named (line 1 is the header). */
	assert_int_equal(import(csv(a, 1000, 637), &r), DOM_INVALID);
	assert_int_equal(r.nbad, 1);
	assert_int_equal(r.bad[0].line, 638);
	assert_non_null(strstr(r.bad[0].msg, "统一社会信用代码"));
	assert_int_equal(r.added, 0);
	assert_int_equal(footprint(), before);

	/* Every kind of bad row, each named with what is wrong. */
	{
		const char *u = tj_uscc();
		static const struct {
			long		 line;
			const char	*says;
		} want[] = {
			{ 2, "统一社会信用代码" }, { 3, "发证日期" },
			{ 4, "状态“active”" }, { 6, "与第 5 行重复" },
			{ 7, "缺少单位名称" }, { 8, "应有 6 列" },
			{ 9, "证书编号“NOT-A-NUMBER”格式不对" },
			{ 10, "不晚于发证日期" },
			{ 11, "统一社会信用代码（已导入：" },
		};

		assert_int_equal(import_len(d, arena_printf(a, BAD_ROWS, u, u, u, u,
		    u, u, u, u, u), &r), DOM_INVALID);
		for (i = 0; r.nbad != sizeof(want) / sizeof(want[0]) &&
		    i < r.nbad; i++)
			printf("  line %ld: %s\n", r.bad[i].line, r.bad[i].msg);
		assert_int_equal(r.nbad, sizeof(want) / sizeof(want[0]));
		for (i = 0; i < r.nbad; i++) {
			assert_int_equal(r.bad[i].line, want[i].line);
			if (strstr(r.bad[i].msg, want[i].says) == NULL)
				fail_msg("line %ld: \"%s\", want \"%s\"",
				    r.bad[i].line, r.bad[i].msg, want[i].says);
		}
		assert_int_equal(footprint(), before);
	}

	/* The wrong header; not UTF-8 (GBK); an empty file. */
	assert_int_equal(import("number,name,uscc\nCNITSEC2018SE2-0001,甲,x\n",
	    &r), DOM_INVALID);
	assert_int_equal(r.nbad, 1);
	assert_int_equal(r.bad[0].line, 1);
	assert_non_null(strstr(r.bad[0].msg, "表头应为"));
	assert_int_equal(import(CERTIMPORT_HEADER "\nCNITSEC2018SE2-0001,"
	    "\xbc\xd7,91110108MA01C2XK3Q,2018-01-01,2021-01-01,valid\n", &r),
	    DOM_INVALID);
	assert_int_equal(r.bad[0].line, 2);
	assert_non_null(strstr(r.bad[0].msg, "UTF-8"));
	assert_int_equal(import("", &r), DOM_INVALID);
	assert_int_equal(r.bad[0].line, 1);
	assert_int_equal(footprint(), before);
	arena_free(a);
}

/* ---- Linking ------------------------------------------------------ */

static void
test_link(void **state)
{
	struct certificate_unlinked *rows;
	struct dom *d;
	long long id, cid, total;
	size_t n, i, k;
	int seen = 0;

	cid = import_one("CNITSEC2021SE2-0101", tp_dom(0)->today + 400,
	    "valid");
	/* No 申请书 carries the code yet: no candidate. */
	d = tp_dom(TP_CERT);
	assert_int_equal(certificate_link(d, cid, 1), DOM_INVALID);
	assert_string_equal(d->field, "org_id");
	assert_int_equal(tp_int("SELECT org_id IS NULL FROM certificate "
	    "WHERE id = ?1", cid), 1);

	/* Organisation 1's draft carries it. */
	id = tp_draft(TP_APPLICANT);
	tp_fill(tp_dom(TP_APPLICANT), id);
	d = tp_dom(TP_CERT);
	assert_int_equal(certificate_unlinked(d, 1, &rows, &n, &total),
	    DOM_OK);
	for (i = 0; i < n; i++) {
		if (rows[i].cert.id != cid)
			continue;
		assert_true(rows[i].cert.imported);
		for (k = 0; k < rows[i].ncand; k++)
			seen += rows[i].cand[k].org_id == 1 &&
			    !rows[i].cand[k].submitted &&
			    strcmp(rows[i].cand[k].org_name, "甲公司") == 0;
	}
	assert_int_equal(seen, 1);

	/* Not the applicant, nor a lead; not another organisation. */
	d = tp_dom(TP_APPLICANT);
	assert_int_equal(certificate_link(d, cid, 1), DOM_FORBIDDEN);
	assert_int_equal(certificate_unlinked(tp_dom(TP_LEAD), 1, &rows, &n,
	    &total), DOM_FORBIDDEN);
	d = tp_dom(TP_CERT);
	assert_int_equal(certificate_link(d, cid, 2), DOM_INVALID);
	assert_int_equal(tp_int("SELECT org_id IS NULL FROM certificate "
	    "WHERE id = ?1", cid), 1);

	/* Linked, with who and when; once. */
	d = tp_dom(TP_CERT);
	assert_int_equal(certificate_link(d, cid, 1), DOM_OK);
	assert_int_equal(tp_int("SELECT org_id = 1 AND linked_by = ?1 AND "
	    "linked_at IS NOT NULL FROM certificate WHERE no = "
	    "'CNITSEC2021SE2-0101'", TP_CERT), 1);
	d = tp_dom(TP_ADMIN);
	assert_int_equal(certificate_link(d, cid, 1), DOM_CONFLICT);
	assert_non_null(strstr(d->msg, "已于"));
	assert_int_equal(certificate_link(tp_dom(TP_CERT), 999999, 1),
	    DOM_NOT_FOUND);
	/* The register now offers it in the organisation's form. */
	{
		struct formdata fd;
		struct case_ref c;

		d = tp_dom(TP_APPLICANT);
		assert_int_equal(access_case(d, id, PART_APPLICATION, &c),
		    DOM_OK);
		formdata_init(&fd, d->arena);
		assert_int_equal(application_form(d, &c, &fd), DOM_OK);
		assert_non_null(formdata_cert(&fd, "CNITSEC2021SE2-0101"));
	}
}

/* ---- The fee from the register ------------------------------------ */

static void
test_fee_boundary(void **state)
{
	struct submission_report r;
	struct agreement_fee f;
	struct fdef_report rep;
	zdate today = tp_dom(0)->today, last_late = late_boundary(today);
	long long on_time, late, initial;

	/* Two complete drafts of organisation 1 (their 申请书 carry its
	 * code), and its certificates: on time, the last late day, the
	 * first day treated as initial. */
	on_time = tp_complete(TP_APPLICANT);
	late = tp_complete(TP_APPLICANT);
	initial = tp_complete(TP_APPLICANT);
	link1(import_one("CNITSEC2024SE2-0201", date_add_months(today, 7),
	    "valid"));
	link1(import_one("CNITSEC2023SE2-0202", last_late, "valid"));
	link1(import_one("CNITSEC2023SE2-0203", last_late - 1, "valid"));

	/* Each draft chooses one; an old typed expiry that says otherwise
	 * stays in the draft. */
	assert_int_equal(choose(on_time, "CNITSEC2024SE2-0201", &rep), DOM_OK);
	assert_int_equal(choose(late, "CNITSEC2023SE2-0202", &rep), DOM_OK);
	assert_int_equal(choose(initial, "CNITSEC2023SE2-0203", &rep), DOM_OK);
	stale_expiry(on_time, "2001-01-01");
	stale_expiry(late, "2001-01-01");
	stale_expiry(initial, day(date_add_months(today, 30)));

	/* The check page: from the register and today. */
	check(on_time, &r);
	assert_int_equal(r.rep.n, 0);
	assert_true(r.has_fee);
	assert_int_equal(r.fee.total, 6300000);
	assert_string_equal(r.window_zh, "按期维持申请");
	assert_string_equal(r.cert_expires, day(date_add_months(today, 7)));
	check(late, &r);
	assert_int_equal(r.fee.total, 6300000);
	assert_int_equal(r.fee.treated_as, RULES_APP_MAINTENANCE);
	assert_string_equal(r.window_zh, "逾期维持申请");
	check(initial, &r);
	assert_int_equal(r.rep.n, 0);
	assert_int_equal(r.fee.total, 8700000);
	assert_int_equal(r.fee.treated_as, RULES_APP_INITIAL);
	assert_string_equal(r.window_zh, "视作初次申请");
	assert_string_equal(r.basis_zh, "初次申请");

	/* Submitted: what the case continues is recorded; the agreement
	 * counts the same way. */
	submit_and_fee(on_time, &f);
	assert_int_equal(f.fee.total, 6300000);
	assert_non_null(strstr(f.basis, "CNITSEC2024SE2-0201"));
	assert_non_null(strstr(f.basis, "证书登记簿"));
	submit_and_fee(late, &f);
	assert_int_equal(f.fee.total, 6300000);
	assert_int_equal(f.fee.treated_as, RULES_APP_MAINTENANCE);
	assert_non_null(strstr(f.basis, day(last_late)));
	submit_and_fee(initial, &f);
	assert_int_equal(f.fee.total, 8700000);
	assert_int_equal(f.fee.treated_as, RULES_APP_INITIAL);
	assert_non_null(strstr(f.basis, "视作初次申请"));
	assert_int_equal(tp_int("SELECT count(*) FROM cert_maintenance m JOIN "
	    "certificate t ON t.id = m.certificate_id WHERE (m.case_id = ?1 "
	    "AND t.no = 'CNITSEC2024SE2-0201' AND m.maint_class = 'on_time') "
	    "OR (t.no = 'CNITSEC2023SE2-0202' AND m.maint_class = 'late') OR "
	    "(t.no = 'CNITSEC2023SE2-0203' AND m.maint_class = 'initial')",
	    on_time), 3);

	/* A certificate that left the register (not the organisation's):
	 * no fee from a typed date; the lead is told why. */
	tp_exec("UPDATE certificate SET org_id = 2, linked_by = 7, linked_at "
	    "= 'x' WHERE no = 'CNITSEC2023SE2-0202'");
	{
		struct dom *d = tp_dom(TP_LEAD);
		struct case_ref c;

		assert_int_equal(access_case(d, late, PART_PAYMENTS, &c),
		    DOM_OK);
		assert_int_equal(agreement_fee(d, &c, &f), DOM_CONFLICT);
		assert_non_null(strstr(d->msg, "证书登记簿"));
	}
}

/* ---- What cannot be maintained ------------------------------------ */

static void
test_not_maintainable(void **state)
{
	struct submission_result out;
	struct sanction_input in = { "suspension", "未按期整改", "" };
	struct fdef_report rep;
	struct submission_report r;
	struct dom *d;
	zdate exp = date_add_months(tp_dom(0)->today, 12);
	long long id = tp_complete(TP_APPLICANT), cid;
	size_t k;
	int seen;

	link1(import_one("CNITSEC2024SE2-0301", exp, "suspended"));
	link1(import_one("CNITSEC2024SE2-0302", exp, "cancelled"));
	cid = import_one("CNITSEC2024SE2-0303", exp, "valid");
	link1(cid);

	/* Suspended, cancelled: refused at the field, nothing saved. */
	assert_int_equal(choose(id, "CNITSEC2024SE2-0301", &rep), DOM_INVALID);
	for (k = 0, seen = 0; k < rep.n; k++)
		seen += strcmp(rep.v[k].field ? rep.v[k].field : "",
		    "maint_cert_no") == 0 && strstr(rep.v[k].msg,
		    "暂停期间不能申请维持") != NULL;
	assert_int_equal(seen, 1);
	assert_int_equal(choose(id, "CNITSEC2024SE2-0302", &rep), DOM_INVALID);
	for (k = 0, seen = 0; k < rep.n; k++)
		seen += strcmp(rep.v[k].field ? rep.v[k].field : "",
		    "maint_cert_no") == 0 && strstr(rep.v[k].msg,
		    "已被取消") != NULL;
	assert_int_equal(seen, 1);
	/* Another organisation's, or one not in the register. */
	assert_int_equal(choose(id, "CNITSEC2020SE2-0005", &rep), DOM_INVALID);
	assert_int_equal(choose(id, "CNITSEC2019SE2-9999", &rep), DOM_INVALID);
	assert_int_equal(tp_int("SELECT count(*) FROM form_value WHERE "
	    "case_id = ?1 AND field = 'maint_cert_no'", id), 0);

	/* Chosen while valid, suspended before submission: refused then. */
	assert_int_equal(choose(id, "CNITSEC2024SE2-0303", &rep), DOM_OK);
	d = tp_dom(TP_SUPERVISOR);
	assert_int_equal(sanction_impose(d, cid, &in, NULL), DOM_OK);
	/* No case keeps the notice of a certificate issued before the
	 * system: its holder's accounts are mailed it, numbered after the
	 * certificate. */
	assert_int_equal(tp_int("SELECT count(*) FROM outbox o JOIN account a "
	    "ON a.email = o.to_addr WHERE a.org_id = (SELECT org_id FROM "
	    "certificate WHERE id = ?1) AND o.subject LIKE '%暂停证书通知书"
	    "（CNITSEC2024SE2-0303-Z1）' AND o.body LIKE '%未按期整改%'", cid),
	    1);
	check(id, &r);
	assert_int_equal(r.rep.n, 1);
	assert_string_equal(r.rep.v[0].field, "maint_cert_no");
	d = tp_dom(TP_APPLICANT);
	assert_int_equal(submission_submit(d, id, 1, &out), DOM_CONFLICT);
	assert_true(out.incomplete);
	assert_int_equal(tp_int("SELECT rounds FROM cases WHERE id = ?1", id),
	    0);
}

/* ---- The certificate while it is maintained, and after ------------ */

static void
test_verify_maintained(void **state)
{
	struct submission_result out;
	struct certificate c, *list;
	struct fdef_report rep;
	struct dom *d = tp_dom(0);
	zdate exp = date_add_months(d->today, 7);
	long long id = tp_complete(TP_APPLICANT), other, bid, total;
	const char *no = "CNITSEC2024SE2-0401";
	size_t n, i;
	int days = date_diff_days(d->today, exp) + 30;

	link1(import_one(no, exp, "valid"));
	assert_int_equal(choose(id, no, &rep), DOM_OK);

	/* Before: valid; a month past its expiry, expired. */
	assert_int_equal(certificate_verify(tp_dom(0), no, &c), DOM_OK);
	assert_int_equal(c.state, CERT_VALID);
	assert_false(c.maint_pending);
	assert_int_equal(certificate_verify(later(tp_dom(0), days), no, &c),
	    DOM_OK);
	assert_int_equal(c.state, CERT_EXPIRED);

	/* Submitted on time: valid and marked, even past its expiry. */
	d = tp_dom(TP_APPLICANT);
	if (submission_submit(d, id, 1, &out) != DOM_OK)
		fail_msg("submit: %s", d->msg);
	assert_int_equal(certificate_verify(tp_dom(0), no, &c), DOM_OK);
	assert_int_equal(c.state, CERT_VALID);
	assert_true(c.maint_pending);
	assert_int_equal(certificate_verify(later(tp_dom(0), days), no, &c),
	    DOM_OK);
	assert_int_equal(c.state, CERT_VALID);
	assert_true(c.maint_pending);
	assert_string_equal(cert_state_zh(c.state), "有效");
	/* The public register says the same. */
	assert_int_equal(certificate_register(later(tp_dom(0), days), 1,
	    &list, &n, &total), DOM_OK);
	for (i = 0; i < n && strcmp(list[i].no, no) != 0; i++)
		continue;
	assert_true(i < n);
	assert_true(list[i].maint_pending);
	assert_int_equal(list[i].state, CERT_VALID);

	/* A second maintenance of it is refused while this one is open. */
	other = tp_complete(TP_APPLICANT);
	assert_int_equal(choose(other, no, &rep), DOM_INVALID);
	assert_non_null(strstr(rep.v[rep.n - 1].msg, out.case_no));

	/* Issued: the old one is 已换发, pointing to the new one. */
	{
		char sql[200];
		long long ids[1] = { id };

		snprintf(sql, sizeof(sql), "UPDATE cases SET status = '%s' "
		    "WHERE id = %lld", status_code(ST_CERTIFICATE_PENDING), id);
		tp_exec(sql);
		assert_int_equal(workflow_status_facts(tp_db, id,
		    ST_CERTIFICATE_PENDING), 0);
		d = tp_dom(TP_CERT);
		assert_int_equal(batch_create(d, ids, 1, &bid), DOM_OK);
		d = tp_dom(0);
		d->actor = &cert2;
		if (batch_approve(d, bid) != DOM_OK)
			fail_msg("approve: %s", d->msg);
	}
	assert_int_equal(certificate_verify(tp_dom(0), no, &c), DOM_OK);
	assert_int_equal(c.state, CERT_SUPERSEDED);
	assert_string_equal(cert_state_zh(c.state), "已换发");
	assert_false(c.maint_pending);
	assert_int_equal(strncmp(c.successor, "CNITSEC", 7), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM certificate o JOIN "
	    "certificate n ON n.id = o.superseded_by WHERE o.no = "
	    "'CNITSEC2024SE2-0401' AND n.case_id = ?1", id), 1);
	assert_int_equal(certificate_verify(tp_dom(0), c.successor, &c),
	    DOM_OK);
	assert_int_equal(c.state, CERT_VALID);
	assert_int_equal(certificate_register(tp_dom(0), 1, &list, &n, &total),
	    DOM_OK);
	for (i = 0; i < n && strcmp(list[i].no, no) != 0; i++)
		continue;
	assert_true(i < n);
	assert_int_equal(list[i].state, CERT_SUPERSEDED);
	/* Superseded: not maintained again. */
	assert_int_equal(choose(other, no, &rep), DOM_INVALID);
	assert_non_null(strstr(rep.v[rep.n - 1].msg, "已换发"));
}

/* A late maintenance case does not keep the certificate valid past its
 * expiry: only one filed on time does (the guide: 以确保资质有效). */
static void
test_verify_late(void **state)
{
	struct submission_result out;
	struct certificate c;
	struct fdef_report rep;
	struct dom *d = tp_dom(0);
	zdate exp = date_add_months(d->today, 3);
	long long id = tp_complete(TP_APPLICANT);
	const char *no = "CNITSEC2024SE2-0501";

	link1(import_one(no, exp, "valid"));
	assert_int_equal(choose(id, no, &rep), DOM_OK);
	d = tp_dom(TP_APPLICANT);
	if (submission_submit(d, id, 1, &out) != DOM_OK)
		fail_msg("submit: %s", d->msg);
	assert_int_equal(tp_int("SELECT count(*) FROM cert_maintenance WHERE "
	    "case_id = ?1 AND maint_class = 'late'", id), 1);
	assert_int_equal(certificate_verify(later(tp_dom(0), 120), no, &c),
	    DOM_OK);
	assert_int_equal(c.state, CERT_EXPIRED);
	assert_false(c.maint_pending);
}

/* ---- Reminders to the holder of an imported certificate ----------- */

static void
test_reminders(void **state)
{
	struct sweep_stats st;
	struct dom *d = tp_dom(0);
	zdate exp = date_add_months(d->today, 8);
	long long cid;
	char today[DATE_BUFSZ];

	/* Unlinked: no holder to write to. */
	cid = import_one("CNITSEC2024SE2-0601", exp, "valid");
	memset(&st, 0, sizeof(st));
	assert_int_equal(sweep_reminders(tp_db, date_format(d->today, today),
	    d->now, "https://zizhi.example.cn", &st), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox WHERE body LIKE "
	    "'%CNITSEC2024SE2-0601%'", 0), 0);
	/* Linked: the holder's contact people are reminded, once. */
	link1(cid);
	assert_int_equal(sweep_reminders(tp_db, today, d->now,
	    "https://zizhi.example.cn", &st), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox WHERE body LIKE "
	    "'%CNITSEC2024SE2-0601%' AND to_addr = 'a@x.cn' AND case_id IS "
	    "NULL", 0), 1);
	assert_int_equal(sweep_reminders(tp_db, today, d->now,
	    "https://zizhi.example.cn", &st), 0);
	assert_int_equal(tp_int("SELECT count(*) FROM outbox WHERE body LIKE "
	    "'%CNITSEC2024SE2-0601%'", 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_twice),
		cmocka_unit_test(test_import_bad),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_fee_boundary),
		cmocka_unit_test(test_not_maintainable),
		cmocka_unit_test(test_verify_maintained),
		cmocka_unit_test(test_verify_late),
		cmocka_unit_test(test_reminders),
	};

	return cmocka_run_group_tests_name("maintenance continues a "
	    "certificate", tests, setup, tp_teardown);
}
