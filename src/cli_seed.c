/*
 * cli_seed.c: `zizhi seed --db PATH --cases N [--seed S] [--today DAY]`
 * fills a database (made by `zizhi init`) with N cases for the dashboard
 * tests and the benchmark, every one of them made by the product's own
 * steps: the domain functions a page or the command line calls
 * (application_create, application_save_section, material_upload,
 * submission_submit, intake_*, agreement_*, payment_record,
 * assessment_*, panel_*, batch_create, batch_approve,
 * application_withdraw), each at a chosen moment (the context's now),
 * as the people of their roles. So every invariant the steps keep holds:
 * frozen rounds with their values and files and receipts, findings on
 * every review, supplement notices with their items and due dates (and
 * late answers, flagged), agreements and payments of the right fee,
 * plans, teams, records and conclusions, panels whose members declared,
 * certificates issued in approved batches with their 发证 notices.
 *
 *  - Organisations have 1 to 3 cases, one after another: a case starts
 *    after the one before it closed; after a certificate comes, about
 *    two years and four months on (within the on-time window), the
 *    maintenance application of that certificate. No organisation holds
 *    two certificates at once.
 *  - Accounts: one applicant per organisation and a few staff per role,
 *    all with the password SEED_PASSWORD (hashed once: argon2id is slow
 *    on purpose); staff log in as seed-ROLE-K@seed.zizhi.test (K from 1),
 *    applicants as seed-orgID@seed.zizhi.test.
 *  - The 申请书: for each year of submission, the first case is filled
 *    section by section and its materials uploaded (one small PDF,
 *    stored once); later drafts of that year start from a copy of that
 *    draft's saved values, sections and materials (the rows those steps
 *    wrote, with the draft's own uploader and time), and save their
 *    organisation's section 一 through application_save_section, which
 *    checks it. The submission then checks the whole application as it
 *    always does.
 *  - Mail: the notices' messages are marked sent (a sweep would have
 *    delivered them).
 *
 * Every day lies in the past of --today (default: today in Beijing) and
 * increases along a case's steps. The same --seed and --today give the
 * same data. The steps of SEED_BATCH cases commit together (store batch
 * mode: each step a savepoint), which is what makes it fast.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agreement.h"
#include "app.h"
#include "application.h"
#include "assessment.h"
#include "batch.h"
#include "cli.h"
#include "date.h"
#include "files.h"
#include "form_def.h"
#include "formdata.h"
#include "intake.h"
#include "material.h"
#include "notice.h"
#include "panel.h"
#include "paper.h"
#include "password.h"
#include "payment.h"
#include "review.h"
#include "rules.h"
#include "status.h"
#include "store.h"
#include "submission.h"
#include "tmpl.h"
#include "util.h"
#include "workflow.h"

#define SEED_PASSWORD	"zizhi-seed-password"
#define SEED_BATCH	500	/* cases per transaction */
#define SEED_MAX_OPS	64	/* steps of one case */
#define SEED_YEARS	200	/* templates by year from 1950 */
#define SEED_YEAR0	1950
#define MAX_STAFF	8

/* The one stored file every material is. */
static const char seed_pdf[] =
	"%PDF-1.4\n"
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> "
	"endobj\n"
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
	"0000000058 00000 n \n0000000115 00000 n \n"
	"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n";

enum who { W_LEAD, W_ASSESSOR, W_EXPERT, W_CERT, W_SUPERVISOR, W_ADMIN,
	W_NWHO };

static const struct {
	const char	*role;
	const char	*name;
	int		 n;
} staff_roles[W_NWHO] = {
	[W_LEAD] = { "lead", "项目负责人", 8 },
	[W_ASSESSOR] = { "assessor", "评估人员", 8 },
	[W_EXPERT] = { "expert", "评审专家", 6 },
	[W_CERT] = { "cert_staff", "制证人员", 3 },
	[W_SUPERVISOR] = { "supervisor", "监督人员", 2 },
	[W_ADMIN] = { "admin", "管理员", 1 },
};

/* One step of a case's plan. */
enum op {
	OP_SUBMIT, OP_TAKE, OP_FINDINGS, OP_SUPPLEMENT, OP_ANSWER, OP_ACCEPT,
	OP_REFUSE, OP_REFUSE_LATE, OP_SEND_AGREEMENT, OP_AGREE, OP_PAY,
	OP_PLAN, OP_START, OP_RECORD, OP_CONCLUDE, OP_PANEL, OP_DECLARE,
	OP_EXPERT, OP_ISSUE, OP_WITHDRAW
};

struct step {
	enum op		 op;
	int		 day;		/* days after the draft was made */
	int		 arg;		/* a verdict, a record's kind, ... */
};

/* A case's history, planned before anything is written. */
struct plan {
	enum status	 target;	/* the status it ends in */
	struct step	 steps[SEED_MAX_OPS];
	int		 n;
	int		 day;		/* of the last step */
	int		 submit_day;	/* -1: never submitted */
	const struct actor *lead;
	int		 pass;		/* the experts' verdict */
};

/* An organisation's section 一, and what its next case maintains. */
struct org {
	long long	 id;
	char		 name[160];
	char		 uscc[24];
	char		 legal_rep[32];
	char		 capital[24];
	char		 founded[DATE_BUFSZ];
	char		 biz_start[DATE_BUFSZ];
	char		 address[160];
	char		 postcode[8];
	char		 contact[32];
	char		 phone[24];
	char		 mobile[16];
	char		 email[64];
	char		 cert_no[48];	/* its certificate, "" none */
	char		 cert_expiry[DATE_BUFSZ];
};

struct seed {
	struct store	*s;
	const struct tmpl_set *tmpl;
	char		 files_dir[4096];
	const char	*public_url;
	uint64_t	 rng;
	const char	*hash;
	zdate		 today;
	char		 today_s[DATE_BUFSZ];
	struct arena	*arena;		/* the case being made */
	struct dom	 d;
	long long	 moment;	/* of the last step: steps only go on */

	struct actor	 staff[W_NWHO][MAX_STAFF];
	int		 nstaff[W_NWHO];
	char		 names[W_NWHO][MAX_STAFF][2][96];
	struct actor	 applicant;
	char		 app_email[96], app_name[32];
	long long	 templates[SEED_YEARS];	/* a draft per year */

	/* Counts for the report. */
	long long	 orgs, accounts, cases, steps, late, certs;
	long long	 by_status[ST__COUNT];
};

/* ---- Randomness ---------------------------------------------------- */

/* splitmix64: small, fast, the same everywhere. */
static uint64_t
rnd(struct seed *z)
{
	uint64_t x = (z->rng += 0x9e3779b97f4a7c15ULL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A number in lo..hi. */
static int
range(struct seed *z, int lo, int hi)
{
	return lo + (int)(rnd(z) % (uint64_t)(hi - lo + 1));
}

static const char *
pick(struct seed *z, const char *const *list, size_t n)
{
	return list[rnd(z) % n];
}

#define PICK(z, a)	pick((z), (a), sizeof(a) / sizeof((a)[0]))

static const struct actor *
staff(struct seed *z, enum who w)
{
	return &z->staff[w][rnd(z) % (uint64_t)z->nstaff[w]];
}

/* ---- Planning a case ----------------------------------------------- */

static void
add(struct plan *p, enum op op, int gap, int arg)
{
	struct step *s;

	if (p->n >= SEED_MAX_OPS)
		return;
	p->day += gap;
	s = &p->steps[p->n++];
	s->op = op;
	s->day = p->day;
	s->arg = arg;
}

/* The status a last case ends in, by a fixed mix (percent). */
static enum status
pick_last(struct seed *z)
{
	static const struct {
		enum status	 status;
		int		 pct;
	} mix[] = {
		{ ST_DRAFT, 4 }, { ST_SUBMITTED, 4 }, { ST_INTAKE_REVIEW, 8 },
		{ ST_SUPPLEMENT_REQUESTED, 7 }, { ST_ACCEPTED, 3 },
		{ ST_REJECTED, 5 }, { ST_AGREEMENT_SENT, 4 },
		{ ST_AWAITING_PAYMENT, 4 }, { ST_ASSESSMENT_PLANNING, 4 },
		{ ST_ASSESSING, 9 }, { ST_EXPERT_REVIEW, 5 }, { ST_FAILED, 4 },
		{ ST_CERTIFICATE_PENDING, 4 }, { ST_ISSUED, 30 },
		{ ST_WITHDRAWN, 5 }, { ST_DRAFT, 0 }
	};
	int n = range(z, 0, 99), i;

	for (i = 0; mix[i].pct != 0; i++)
		if ((n -= mix[i].pct) < 0)
			return mix[i].status;
	return ST_ISSUED;
}

/* The status a case with a successor ends in: a final one. */
static enum status
pick_closed(struct seed *z)
{
	int n = range(z, 0, 99);

	return n < 70 ? ST_ISSUED : n < 80 ? ST_FAILED : n < 90 ?
	    ST_REJECTED : ST_WITHDRAWN;
}

/*
 * Plans the steps of a case that ends in target; a withdrawn one is
 * withdrawn from a status chosen at random.
 */
static void
plan_case(struct seed *z, struct plan *p, enum status target)
{
	static const enum status from[] = { ST_DRAFT, ST_SUBMITTED,
		ST_INTAKE_REVIEW, ST_SUPPLEMENT_REQUESTED, ST_ACCEPTED,
		ST_AGREEMENT_SENT, ST_AWAITING_PAYMENT, ST_ASSESSMENT_PLANNING,
		ST_ASSESSING, ST_EXPERT_REVIEW };
	enum status stop = target;
	int i, n, loops, late = 0;

	memset(p, 0, sizeof(*p));
	p->target = target;
	p->submit_day = -1;
	p->lead = staff(z, W_LEAD);
	if (target == ST_WITHDRAWN)
		stop = from[rnd(z) % (sizeof(from) / sizeof(from[0]))];
#define AT(x)	(stop == (x))
	if (AT(ST_DRAFT))
		goto done;
	add(p, OP_SUBMIT, range(z, 2, 30), 0);
	p->submit_day = p->day;
	if (AT(ST_SUBMITTED))
		goto done;
	add(p, OP_TAKE, range(z, 1, 6), 0);
	n = range(z, 0, 99);
	loops = n < 45 ? 0 : n < 80 ? 1 : n < 95 ? 2 : 3;
	if (AT(ST_SUPPLEMENT_REQUESTED) && loops == 0)
		loops = 1;
	for (i = 0; i < loops; i++) {
		add(p, OP_FINDINGS, range(z, 1, 8), 1);
		add(p, OP_SUPPLEMENT, range(z, 0, 3), 0);
		if (AT(ST_SUPPLEMENT_REQUESTED) && i == loops - 1)
			goto done;
		/* Unanswered, refused once the due date has passed. */
		if (AT(ST_REJECTED) && i == loops - 1 && range(z, 0, 2) == 0) {
			add(p, OP_REFUSE_LATE, range(z, 33, 60), 0);
			goto done;
		}
		/* One answer in eight comes after the due date. */
		late = range(z, 0, 7) == 0;
		add(p, OP_ANSWER, late ? range(z, 33, 50) : range(z, 5, 28),
		    late);
	}
	add(p, OP_FINDINGS, range(z, 1, 8), 0);
	if (AT(ST_INTAKE_REVIEW))
		goto done;
	if (AT(ST_REJECTED)) {
		add(p, late ? OP_REFUSE_LATE : OP_REFUSE, range(z, 1, 5), 0);
		goto done;
	}
	add(p, OP_ACCEPT, range(z, 1, 5), 0);
	if (AT(ST_ACCEPTED))
		goto done;
	add(p, OP_SEND_AGREEMENT, range(z, 2, 10), 0);
	if (AT(ST_AGREEMENT_SENT))
		goto done;
	add(p, OP_AGREE, range(z, 3, 20), 0);
	if (AT(ST_AWAITING_PAYMENT))
		goto done;
	add(p, OP_PAY, range(z, 5, 25), 0);
	add(p, OP_PLAN, range(z, 1, 6), 0);
	if (AT(ST_ASSESSMENT_PLANNING))
		goto done;
	add(p, OP_START, range(z, 2, 10), 0);
	n = range(z, 3, 6);
	for (i = 0; i < n; i++)
		add(p, OP_RECORD, range(z, 1, 4), i);
	/* Now and then the applicant takes long to put things right. */
	if (range(z, 0, 99) < 12)
		p->day += range(z, 30, 100);
	if (AT(ST_ASSESSING))
		goto done;
	add(p, OP_CONCLUDE, range(z, 1, 5), 0);
	add(p, OP_PANEL, range(z, 0, 3), 0);
	add(p, OP_DECLARE, range(z, 0, 3), 0);
	if (AT(ST_EXPERT_REVIEW))
		goto done;
	p->pass = !AT(ST_FAILED);
	add(p, OP_EXPERT, range(z, 2, 12), p->pass);
	if (AT(ST_FAILED) || AT(ST_CERTIFICATE_PENDING))
		goto done;
	add(p, OP_ISSUE, range(z, 2, 9), 0);
done:
	if (target == ST_WITHDRAWN)
		add(p, OP_WITHDRAW, range(z, 1, 10), 0);
#undef AT
}

/* ---- Steps --------------------------------------------------------- */

/* The context of a step by who on day (a zdate), a little after the
 * step before it. */
static struct dom *
ctx(struct seed *z, const struct actor *who, zdate day)
{
	long long t = (long long)day * 86400 + 9 * 3600 - 8 * 3600 +
	    range(z, 0, 7 * 3600);

	if (t <= z->moment)
		t = z->moment + 60;
	z->moment = t;
	dom_init(&z->d, z->s, z->arena, who, t);
	z->d.tmpl = z->tmpl;
	z->d.public_url = z->public_url;
	z->d.files_dir = z->files_dir;
	z->d.max_file = APP_MAX_FILE_DEFAULT;
	z->steps++;
	return &z->d;
}

/* The notices of case_id not yet served, served a minute after the
 * step that made them, as a sweep would when the mail server takes them
 * (送达: a supplement's month runs from it). 0 or -1. */
static int
serve_notices(struct seed *z, long long case_id)
{
	sqlite3_stmt *st;
	long long ids[16];
	int n = 0, i, rc;

	st = store_stmt(z->s, "SELECT n.id FROM notice n LEFT JOIN "
	    "notice_service s ON s.notice_id = n.id WHERE n.case_id = ?1 AND "
	    "s.notice_id IS NULL ORDER BY n.id LIMIT 16");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	for (i = 0; i < n; i++)
		if (notice_serve(z->s, ids[i], z->moment + 60, NOTICE_VIA_SMTP,
		    0, 0) < 0)
			return -1;
	return 0;
}

/* A step's result: 0, or -1 with what refused it. */
static int
done(struct seed *z, const char *what, long long case_id, enum dom_rc rc)
{
	if (rc == DOM_OK)
		return serve_notices(z, case_id);
	fprintf(stderr, "zizhi seed: case %lld, %s: %s\n", case_id, what,
	    z->d.msg ? z->d.msg : "refused");
	return -1;
}

/* name, value pairs (rows as "name.N", row counts as "group._rows"),
 * NULL-terminated, validated as the form page validates them. */
static int
section(struct seed *z, long long id, const char *sid,
    const char *const *kv, zdate day)
{
	const struct fdef_section *sec = fdef_section_find(sid);
	const struct fdef_field *f;
	struct fdef_report rep;
	struct formdata fd;
	struct dom *d = ctx(z, &z->applicant, day);
	const char *dot, *val, *err;
	char name[64];
	size_t k;
	int row;

	formdata_init(&fd, z->arena);
	for (k = 0; kv[k] != NULL; k += 2) {
		dot = strchr(kv[k], '.');
		if (dot != NULL && strcmp(dot, "._rows") == 0)
			continue;
		row = dot ? atoi(dot + 1) : FDEF_NOROW;
		snprintf(name, sizeof(name), "%.*s", dot ? (int)(dot - kv[k]) :
		    (int)strlen(kv[k]), kv[k]);
		if ((f = fdef_field_find(name, NULL)) == NULL ||
		    fdef_validate(z->arena, f, kv[k + 1], 0, d->today, &val,
		    &err) == FDEF_INVALID) {
			fprintf(stderr, "zizhi seed: %s = %s: %s\n", kv[k],
			    kv[k + 1], f ? err : "no such field");
			return -1;
		}
		if (val != NULL && *val != '\0')
			formdata_set(&fd, name, row, val);
	}
	fdef_report_init(&rep);
	if (application_save_section(d, id, sec, &fd, NULL, 0, &rep) !=
	    DOM_OK) {
		fprintf(stderr, "zizhi seed: section %s: %s%s%s\n", sid,
		    d->msg ? d->msg : "", rep.n ? " " : "", rep.n ?
		    rep.v[0].summary : "");
		return -1;
	}
	return 0;
}

/*
 * Section 一 of org for a draft made on day whose last round is
 * submitted on last.
 */
static int
section1(struct seed *z, long long id, const struct org *o, zdate day,
    zdate last)
{
	char l1[DATE_BUFSZ];
	zdate exp;
	/* A certificate expired more than six months before: an initial
	 * application again (§4), with the level-1 certificate. (The check
	 * of a round judges the type by its own day, so every round must
	 * be on the same side of that line.) */
	int maint = o->cert_no[0] != '\0' &&
	    date_parse(o->cert_expiry, &exp) == 0 && last <=
	    date_add_months(exp, rules_default()->maint_initial_months);
	const char *kv[] = {
		"org_name", o->name, "uscc", o->uscc, "legal_rep", o->legal_rep,
		"org_nature", "limited", "reg_capital", o->capital,
		"founded", o->founded, "biz_start", o->biz_start,
		"reg_address", o->address, "office_address", o->address,
		"postcode", o->postcode, "contact_name", o->contact,
		"contact_phone", o->phone, "contact_mobile", o->mobile,
		"contact_email", o->email,
		"app_type", maint ? "maintenance" : "initial",
		/* A maintenance application names the certificate it
		 * maintains; the register says the rest. */
		maint ? "maint_cert_no" : "l1_cert_no", maint ? o->cert_no :
		    "CNITSEC2020SE10001",
		maint ? NULL : "l1_cert_expiry",
		    date_format(date_add_years(day, 2), l1),
		NULL
	};

	return section(z, id, "s1", kv, day);
}

/*
 * Sections 二 to 十二 and the declaration, for a draft made in year y:
 * the figures of the three years before it, projects and a signature of
 * the year before, as the form page would take them (and the check
 * still does when it is submitted, early the next year at the latest).
 */
static int
sections(struct seed *z, long long id, int y, zdate day)
{
	char yr[3][16], fut[24], older[24], past[24], recent[24], sign[24];
	char hired[24];
	char names[6][10][24], cisp[6][24], pan[22][24];
	static const char *const roster[10] = { "st_name", "st_edu",
		"st_title", "st_post", "st_start", "st_fulltime", "st_cisp_no",
		"st_cisp_type", "st_cisp_expiry", NULL };
	const char *kv[200];
	size_t n, r, k;
	int i;

	for (i = 0; i < 3; i++)
		snprintf(yr[i], sizeof(yr[i]), "%d", y - 3 + i);
	snprintf(fut, sizeof(fut), "%d-06-30", y + 2);
	snprintf(older, sizeof(older), "%d-01-10", y - 3);
	snprintf(past, sizeof(past), "%d-03-01", y - 3);
	snprintf(recent, sizeof(recent), "%d-01-05", y - 1);
	snprintf(sign, sizeof(sign), "%d-06-30", y - 1);
	snprintf(hired, sizeof(hired), "%d-07-01", y - 3);
	{
		const char *s2[] = { "profile", "本单位专注于信息安全工程服务，"
		    "提供安全设计、集成与运维。", "history", "成立以来持续从事信息"
		    "安全服务。", "management", "设有质量管理部，实行 ISO 9001 "
		    "质量管理体系。", NULL };
		const char *s3[] = { "finance._rows", "3",
		    "fin_year.0", yr[0], "fin_year.1", yr[1], "fin_year.2", yr[2],
		    "fin_total_assets.0", "4000000", "fin_total_assets.1",
		    "4500000", "fin_total_assets.2", "5000000",
		    "fin_net_assets.0", "3000000", "fin_net_assets.1", "3200000",
		    "fin_net_assets.2", "3500000",
		    "fin_revenue.0", "8000000", "fin_revenue.1", "8500000",
		    "fin_revenue.2", "9000000",
		    "fin_sec_revenue.0", "6000000", "fin_sec_revenue.1",
		    "6500000", "fin_sec_revenue.2", "7000000",
		    "fin_profit.0", "400000", "fin_profit.1", "500000",
		    "fin_profit.2", "600000",
		    "fin_tax.0", "300000", "fin_tax.1", "300000", "fin_tax.2",
		    "320000", NULL };
		const char *s5[] = { "tools", "漏洞扫描器、渗透测试平台、代码审计"
		    "工具与测试环境。", NULL };
		const char *s8[] = { "projects._rows", "2",
		    "proj_name.0", "某某系统安全工程", "proj_client.0", "某某集团",
		    "proj_value.0", "1500000", "proj_start.0", older,
		    "proj_end.0", past, "proj_content.0", "安全设计与实施",
		    "proj_manager.0", "李四", "proj_accept.0", "accepted",
		    "proj_complete.0", "yes",
		    "proj_name.1", "某某平台安全加固", "proj_client.1", "某某银行",
		    "proj_value.1", "800000", "proj_start.1", past,
		    "proj_end.1", recent, "proj_content.1", "安全评估与加固",
		    "proj_manager.1", "李四", "proj_accept.1", "accepted",
		    "proj_complete.1", "no", NULL };
		const char *s10[] = { "plan", "三年内扩大安全工程团队，取得更高"
		    "等级资质。", NULL };
		const char *decl[] = { "decl_accept", "yes", "decl_lawful",
		    "yes", "signer", "张三", "sign_date", sign, NULL };

		if (section(z, id, "s2", s2, day) != 0 ||
		    section(z, id, "s3", s3, day) != 0 ||
		    section(z, id, "s5", s5, day) != 0 ||
		    section(z, id, "s8", s8, day) != 0 ||
		    section(z, id, "s10", s10, day) != 0 ||
		    section(z, id, "decl", decl, day) != 0)
			return -1;
	}
	/* 四: six full-time CISP holders. */
	{
		const char *head[] = { "staff_total", "30", "staff_eng", "20",
		    "staff_cisp", "6", "edu_doctor", "1", "edu_master", "5",
		    "edu_bachelor", "20", "edu_college", "3", "edu_other", "1",
		    "title_senior", "3", "title_middle", "10", "title_junior",
		    "12", "title_none", "5",
		    "key_legal_name", "王五", "key_legal_title", "高级工程师",
		    "key_legal_phone", "010-62345678",
		    "key_tech_name", "王五", "key_tech_title", "高级工程师",
		    "key_tech_phone", "010-62345678",
		    "key_finance_name", "王五", "key_finance_title", "会计师",
		    "key_finance_phone", "010-62345678",
		    "key_quality_name", "王五", "key_quality_title", "高级工程师",
		    "key_quality_phone", "010-62345678",
		    "roster._rows", "6", NULL };

		for (n = 0; head[n] != NULL; n++)
			kv[n] = head[n];
		for (r = 0; r < 6; r++) {
			const char *values[9] = { "赵六", "bachelor", "middle",
			    "工程师", hired, "yes", cisp[r], "cise", fut };

			snprintf(cisp[r], sizeof(cisp[r]), "CISP-2020-000%zu", r);
			for (k = 0; roster[k] != NULL; k++) {
				snprintf(names[r][k], sizeof(names[r][k]),
				    "%s.%zu", roster[k], r);
				kv[n++] = names[r][k];
				kv[n++] = values[k];
			}
		}
		kv[n] = NULL;
		if (section(z, id, "s4", kv, day) != 0)
			return -1;
	}
	/* 六 and 七: the process areas. */
	for (i = 0; i < 2; i++) {
		n = 0;
		for (r = i == 0 ? 0 : 11; r < (i == 0 ? 11u : 22u); r++) {
			snprintf(pan[r], sizeof(pan[r]), "pa%02zu", r + 1);
			kv[n++] = pan[r];
			kv[n++] = "已建立相应制度并按计划执行、验证和跟踪。";
		}
		kv[n] = NULL;
		if (section(z, id, i == 0 ? "s6" : "s7", kv, day) != 0)
			return -1;
	}
	return 0;
}

/* Uploads the PDF for every material the check says is missing. */
static int
upload_missing(struct seed *z, long long id, zdate day)
{
	struct submission_report r;
	struct material_upload u;
	struct case_ref c;
	struct dom *d = ctx(z, &z->applicant, day);
	long long mid;
	size_t k;

	if (access_case(d, id, PART_APPLICATION, &c) != DOM_OK ||
	    submission_check(d, &c, &r) != DOM_OK)
		return -1;
	for (k = 0; k < r.rep.n; k++) {
		if (r.rep.v[k].material == NULL)
			continue;
		memset(&u, 0, sizeof(u));
		u.kind = r.rep.v[k].material;
		u.row = r.rep.v[k].row;
		u.filename = "扫描件.pdf";
		u.data = seed_pdf;
		u.len = sizeof(seed_pdf) - 1;
		d = ctx(z, &z->applicant, day);
		if (done(z, u.kind, id, material_upload(d, id, &u, &mid)) != 0)
			return -1;
	}
	return 0;
}

/* Runs sql with ?1 the template, ?2 the case, ?3 the applicant and ?4
 * the moment. */
static int
copy(struct seed *z, sqlite3_stmt *st, long long from, long long to)
{
	int rc;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, from);
	store_bind_int(st, 2, to);
	if (sqlite3_bind_parameter_count(st) >= 3)
		store_bind_int(st, 3, z->applicant.id);
	if (sqlite3_bind_parameter_count(st) >= 4)
		store_bind_text(st, 4, z->d.stamp);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The 申请书 of draft id, made in year y: the first draft of that year
 * is filled and its materials uploaded, step by step; the others start
 * from a copy of it. Then the organisation's section 一.
 */
static int
fill(struct seed *z, long long id, const struct org *o, zdate day, int y,
    zdate last)
{
	long long *t = &z->templates[y - SEED_YEAR0];

	if (*t == 0) {
		if (section1(z, id, o, day, last) != 0 ||
		    sections(z, id, y, day) != 0 ||
		    upload_missing(z, id, day) != 0)
			return -1;
		*t = id;
		return 0;
	}
	(void)ctx(z, &z->applicant, day);
	if (copy(z, store_stmt(z->s, "INSERT INTO form_value(case_id, field, "
	    "row, value) SELECT ?2, field, row, value FROM form_value WHERE "
	    "case_id = ?1"), *t, id) != 0 ||
	    copy(z, store_stmt(z->s, "INSERT INTO form_section(case_id, "
	    "section, saved_at) SELECT ?2, section, ?4 FROM form_section WHERE "
	    "case_id = ?1 AND ?3 = ?3"), *t, id) != 0 ||
	    copy(z, store_stmt(z->s, "INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) SELECT ?2, "
	    "kind, row, filename, mime, size, sha256, ?3, ?4 FROM material "
	    "WHERE case_id = ?1 AND state = 'current'"), *t, id) != 0) {
		fprintf(stderr, "zizhi seed: copying the 申请书: %s\n",
		    sqlite3_errmsg(store_db(z->s)));
		return -1;
	}
	return section1(z, id, o, day, last);
}

/* Every review area's finding: "ok", or a few "supplement" before a
 * supplement request. */
static int
findings(struct seed *z, long long id, const struct plan *p, zdate day,
    int supplement)
{
	struct intake_finding f[64];
	const struct review_area *a;
	size_t n = 0;

	for (a = review_areas; a->code != NULL && n < 64; a++, n++) {
		f[n].area = a->code;
		f[n].verdict = supplement && range(z, 0, 9) == 0 ? "supplement" :
		    "ok";
		f[n].comment = strcmp(f[n].verdict, "ok") == 0 ? "" :
		    "证据不足，请补充执行和跟踪记录。";
	}
	if (supplement)
		f[0].verdict = "supplement", f[0].comment = "营业执照副本扫描件"
		    "不清晰。";
	return done(z, "findings", id, intake_record_findings(ctx(z, p->lead,
	    day), id, f, n));
}

/* The fee of the case's agreement, in 分; -1 when it cannot be read. */
static long long
fee_of(struct seed *z, long long id)
{
	sqlite3_stmt *st = store_stmt(z->s, "SELECT fee_total FROM agreement "
	    "WHERE case_id = ?1");
	long long fee;

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	if (store_row(st) != 1) {
		fprintf(stderr, "zizhi seed: case %lld: its fee: %s\n", id,
		    sqlite3_errmsg(store_db(z->s)));
		return -1;
	}
	fee = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return fee;
}

/* The organisation's certificate from case id, for its next case: 0, or
 * -1 when it cannot be read. */
static int
certificate_of(struct seed *z, long long id, struct org *o)
{
	sqlite3_stmt *st = store_stmt(z->s, "SELECT no, expires_on FROM "
	    "certificate WHERE case_id = ?1");

	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	if (store_row(st) != 1) {
		fprintf(stderr, "zizhi seed: case %lld: its certificate: %s\n",
		    id, sqlite3_errmsg(store_db(z->s)));
		return -1;
	}
	snprintf(o->cert_no, sizeof(o->cert_no), "%s", store_col_text(st, 0));
	snprintf(o->cert_expiry, sizeof(o->cert_expiry), "%s",
	    store_col_text(st, 1));
	sqlite3_reset(st);
	return 0;
}

/* One step of the plan on case id. */
static int
run_step(struct seed *z, long long id, struct plan *p, const struct step *s,
    zdate d0, const struct actor **team)
{
	static const char *const kinds[] = { "document_review", "interview",
	    "practical" };
	static const char *const found[] = { "质量手册与程序文件齐全，执行记录"
	    "完整。", "项目经理和技术人员对过程的描述与文件一致。", "现场演示"
	    "的风险评估过程符合要求。" };
	struct intake_item item = { 0, "s1", "营业执照副本扫描件不清晰，请重新"
	    "上传。" };
	struct submission_result sr;
	struct assess_problems pr;
	struct assess_plan_input plan;
	struct assess_record_input rec;
	struct payment_input pay;
	struct payment_error perr[PAYMENT_NERRORS];
	struct paper_input paper;
	size_t nerr;
	zdate day = d0 + s->day;
	char paid[DATE_BUFSZ], a1[DATE_BUFSZ], a2[DATE_BUFSZ], wb[32];
	long long ids[2], batch;
	int k;

	memset(&pr, 0, sizeof(pr));
	switch (s->op) {
	case OP_SUBMIT:
	case OP_ANSWER:
		if (done(z, "submit", id, submission_submit(ctx(z,
		    &z->applicant, day), id, 1, &sr)) != 0)
			return -1;
		z->late += sr.late;
		return 0;
	case OP_TAKE:
		return done(z, "take", id, intake_take(ctx(z, p->lead, day),
		    id));
	case OP_FINDINGS:
		return findings(z, id, p, day, s->arg);
	case OP_SUPPLEMENT:
		return done(z, "supplement", id, intake_request_supplement(
		    ctx(z, p->lead, day), id, &item, 1));
	case OP_ACCEPT:
		/* The paper original arrives by courier first (§4). */
		memset(&paper, 0, sizeof(paper));
		snprintf(wb, sizeof(wb), "SF%010lld", id);
		paper.courier = "顺丰速运";
		paper.waybill = wb;
		paper.received_on = date_format(day, paid);
		paper.checked_by = p->lead->name;
		paper.paper = paper.cd = paper.matches = 1;
		paper.notes = "";
		if (done(z, "paper", id, paper_record(ctx(z, p->lead, day), id,
		    &paper)) != 0)
			return -1;
		return done(z, "accept", id, intake_accept(ctx(z, p->lead, day),
		    id, NULL));
	case OP_REFUSE:
		return done(z, "refuse", id, intake_refuse(ctx(z, p->lead, day),
		    id, "不符合申请条件：基本资格不满足（专职 CISP 人员不足）。"));
	case OP_REFUSE_LATE:
		return done(z, "refuse late", id, intake_refuse_late(ctx(z,
		    p->lead, day), id, "申请单位未在补正期限内提交补正材料。"));
	case OP_SEND_AGREEMENT:
		return done(z, "agreement", id, agreement_send(ctx(z, p->lead,
		    day), id));
	case OP_AGREE:
		return done(z, "agree", id, agreement_accept(ctx(z,
		    &z->applicant, day), id, 1));
	case OP_PAY:
		memset(&pay, 0, sizeof(pay));
		if ((pay.amount = fee_of(z, id)) < 0)
			return -1;
		pay.paid_on = date_format(day - 1, paid);
		pay.payer = "申请单位（对公账户）";
		pay.reference = "对公转账（由 zizhi seed 生成）";
		return done(z, "payment", id, payment_record(ctx(z,
		    staff(z, W_CERT), day), id, &pay, perr, &nerr, NULL));
	case OP_PLAN:
		team[0] = staff(z, W_ASSESSOR);
		do
			team[1] = staff(z, W_ASSESSOR);
		while (team[1] == team[0]);
		ids[0] = team[0]->id;
		ids[1] = team[1]->id;
		memset(&plan, 0, sizeof(plan));
		plan.start_day = date_format(day + 3, a1);
		plan.end_day = date_format(day + 20, a2);
		plan.method = "文档审查、人员访谈、实际操作";
		plan.team = ids;
		plan.nteam = 2;
		return done(z, "plan", id, assessment_plan(ctx(z, p->lead,
		    day), id, &plan, &pr));
	case OP_START:
		return done(z, "start", id, assessment_start(ctx(z, p->lead,
		    day), id));
	case OP_RECORD:
		memset(&rec, 0, sizeof(rec));
		k = s->arg % 3;
		rec.kind = kinds[k];
		rec.finding = found[k];
		return done(z, "record", id, assessment_record(ctx(z,
		    team[s->arg % 2], day), id, &rec, &pr, NULL));
	case OP_CONCLUDE:
		return done(z, "conclude", id, assessment_conclude(ctx(z,
		    p->lead, day), id, "pass", "各过程区域证据充分，建议通过。",
		    &pr));
	case OP_PANEL:
		for (k = 0; k < 3; k++)
			if (done(z, "panel", id, panel_add(ctx(z, p->lead, day),
			    id, z->staff[W_EXPERT][k].id, &pr)) != 0)
				return -1;
		return 0;
	case OP_DECLARE:
		for (k = 0; k < 3; k++)
			if (done(z, "declare", id, panel_declare(ctx(z,
			    &z->staff[W_EXPERT][k], day), id, 1, NULL, &pr)) !=
			    0)
				return -1;
		return 0;
	case OP_EXPERT:
		return done(z, "expert", id, panel_conclude(ctx(z,
		    &z->staff[W_EXPERT][range(z, 0, 2)], day), id, s->arg ?
		    "pass" : "fail", s->arg ? "证据充分，结论合理。" : "过程区域 "
		    "PA07 证据不足，审核结论依据不充分。", &pr));
	case OP_ISSUE:
		/* A batch of its own, made and approved by two officers. */
		ids[0] = id;
		if (done(z, "batch", id, batch_create(ctx(z,
		    &z->staff[W_CERT][0], day), ids, 1, &batch)) != 0 ||
		    done(z, "approve", id, batch_approve(ctx(z,
		    &z->staff[W_CERT][1], day), batch)) != 0)
			return -1;
		z->certs++;
		return 0;
	case OP_WITHDRAW:
		return done(z, "withdraw", id, application_withdraw(ctx(z,
		    &z->applicant, day), id, "申请单位主动撤回"));
	}
	return -1;
}

/*
 * Makes the case of org that plan p describes, its draft made on d0;
 * returns its id, or -1.
 */
static long long
make_case(struct seed *z, struct org *o, struct plan *p, zdate d0)
{
	const struct actor *team[2] = { NULL, NULL };
	struct dom *d;
	long long id;
	zdate last;
	int i, y, m, dd;

	arena_free(z->arena);
	z->arena = arena_new();
	z->moment = 0;
	d = ctx(z, &z->applicant, d0);
	if (done(z, "create", 0, application_create(d, &id)) != 0)
		return -1;
	date_to_ymd(d0, &y, &m, &dd);
	if (y < SEED_YEAR0 + 4 || y >= SEED_YEAR0 + SEED_YEARS) {
		fprintf(stderr, "zizhi seed: year %d is out of range\n", y);
		return -1;
	}
	for (i = 0, last = d0; i < p->n; i++)
		if (p->steps[i].op == OP_SUBMIT || p->steps[i].op == OP_ANSWER)
			last = d0 + p->steps[i].day;
	if (fill(z, id, o, d0, y, last) != 0)
		return -1;
	for (i = 0; i < p->n; i++)
		if (run_step(z, id, p, &p->steps[i], d0, team) != 0)
			return -1;
	z->cases++;
	z->by_status[p->target]++;
	return id;
}

/* ---- Organisations and accounts ----------------------------------- */

static const char *const cities[] = { "北京", "上海", "广州", "深圳", "杭州",
	"南京", "成都", "武汉", "西安", "天津", "重庆", "长沙", "苏州", "合肥",
	"济南", "郑州", "福州", "厦门", "沈阳", "大连" };
static const char *const syll[] = { "安", "信", "恒", "盾", "网", "云", "数",
	"智", "天", "华", "中", "锐", "卫", "御", "鼎", "维", "汇", "泰", "思",
	"诚", "明", "启", "新", "远", "正", "博", "领", "源", "科", "达", "盛",
	"宏", "晟", "坤", "瑞", "海", "星", "辰", "致", "联" };
static const char *const kinds[] = { "信息技术有限公司",
	"网络安全技术有限公司", "信息安全技术有限公司", "科技股份有限公司",
	"数据安全服务有限公司", "软件有限公司" };
static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨",
	"黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "强",
	"磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚" };

static void
person(struct seed *z, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s", PICK(z, surnames), PICK(z, given),
	    range(z, 0, 1) ? PICK(z, given) : "");
}

/* Section 一's facts of a new organisation, in business since before
 * first (the first submission). */
static void
org_facts(struct seed *z, struct org *f, zdate first)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char d[DATE_BUFSZ];
	int i;

	memset(f->cert_no, 0, sizeof(f->cert_no));
	snprintf(f->name, sizeof(f->name), "%s%s%s%s", PICK(z, cities),
	    PICK(z, syll), PICK(z, syll), PICK(z, kinds));
	memcpy(f->uscc, "91", 2);
	for (i = 2; i < 8; i++)
		f->uscc[i] = (char)('0' + range(z, 1, 9));
	for (; i < 17; i++)
		f->uscc[i] = alphabet[range(z, 0, (int)sizeof(alphabet) - 2)];
	f->uscc[17] = '\0';
	f->uscc[17] = uscc_check_char(f->uscc);
	f->uscc[18] = '\0';
	person(z, f->legal_rep, sizeof(f->legal_rep));
	snprintf(f->capital, sizeof(f->capital), "%d00000000",
	    range(z, 2, 50));
	snprintf(f->founded, sizeof(f->founded), "%s",
	    date_format(first - range(z, 2000, 7000), d));
	snprintf(f->biz_start, sizeof(f->biz_start), "%s",
	    date_format(first - range(z, 1150, 1900), d));
	snprintf(f->address, sizeof(f->address), "%s市高新区科技路%d号",
	    PICK(z, cities), range(z, 1, 999));
	snprintf(f->postcode, sizeof(f->postcode), "%06d",
	    range(z, 100000, 850000));
	person(z, f->contact, sizeof(f->contact));
	snprintf(f->phone, sizeof(f->phone), "010-%08d",
	    range(z, 60000000, 89999999));
	snprintf(f->mobile, sizeof(f->mobile), "13%09d",
	    range(z, 0, 999999999));
}

static long long
insert_account(struct seed *z, const char *email, const char *name,
    const char *role, long long org)
{
	sqlite3_stmt *st = store_stmt(z->s, "INSERT INTO account(email, name, "
	    "role, org_id, password_hash) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT(email) DO UPDATE SET password_hash = excluded."
	    "password_hash RETURNING id");
	long long id;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, email);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, role);
	if (org > 0)
		store_bind_int(st, 4, org);
	store_bind_text(st, 5, z->hash);
	if (sqlite3_step(st) != SQLITE_ROW) {
		fprintf(stderr, "zizhi seed: account %s: %s\n", email,
		    sqlite3_errmsg(store_db(z->s)));
		sqlite3_reset(st);
		return -1;
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	z->accounts++;
	return id;
}

static int
seed_staff(struct seed *z)
{
	struct actor *a;
	int w, k;

	for (w = 0; w < W_NWHO; w++)
		for (k = 0; k < staff_roles[w].n && k < MAX_STAFF; k++) {
			a = &z->staff[w][k];
			snprintf(z->names[w][k][0], sizeof(z->names[w][k][0]),
			    "seed-%s-%d@seed.zizhi.test", staff_roles[w].role,
			    k + 1);
			snprintf(z->names[w][k][1], sizeof(z->names[w][k][1]),
			    "%s%d", staff_roles[w].name, k + 1);
			if ((a->id = insert_account(z, z->names[w][k][0],
			    z->names[w][k][1], staff_roles[w].role, 0)) < 0)
				return -1;
			a->email = z->names[w][k][0];
			a->name = z->names[w][k][1];
			a->role = staff_roles[w].role;
			a->role_bit = role_bit(a->role);
			a->org_name = "";
			z->nstaff[w]++;
		}
	return 0;
}

/* A new organisation and its applicant (z->applicant). */
static int
seed_org(struct seed *z, struct org *f, zdate first)
{
	sqlite3_stmt *st = store_stmt(z->s, "INSERT INTO org(name) VALUES "
	    "(?1)");

	org_facts(z, f, first);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, f->name);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	f->id = sqlite3_last_insert_rowid(store_db(z->s));
	snprintf(f->email, sizeof(f->email), "contact%lld@org.example", f->id);
	snprintf(z->app_email, sizeof(z->app_email),
	    "seed-org%lld@seed.zizhi.test", f->id);
	person(z, z->app_name, sizeof(z->app_name));
	memset(&z->applicant, 0, sizeof(z->applicant));
	if ((z->applicant.id = insert_account(z, z->app_email, z->app_name,
	    "applicant", f->id)) < 0)
		return -1;
	z->applicant.email = z->app_email;
	z->applicant.name = z->app_name;
	z->applicant.role = "applicant";
	z->applicant.role_bit = ROLE_APPLICANT;
	z->applicant.org_id = f->id;
	z->applicant.org_name = f->name;
	z->orgs++;
	return 0;
}

/*
 * An organisation's cases, one after another, the last ending "back"
 * days before today; at most left of them. Laid out from the last
 * backwards: a maintenance application is filed about two years and
 * four months after its certificate, any other case some months after
 * the one before it ended.
 */
static int
seed_history(struct seed *z, long long left)
{
	struct plan plans[3];
	zdate start[3], end;
	struct org o;
	int n, i, r = range(z, 0, 99);

	n = r < 55 ? 1 : r < 85 ? 2 : 3;
	if (n > left)
		n = (int)left;
	for (i = 0; i < n; i++)
		plan_case(z, &plans[i], i == n - 1 ? pick_last(z) :
		    pick_closed(z));
	/* Open cases are recent (a supplement awaited for up to two and a
	 * half months, so some are overdue); closed ones end up to 900 days
	 * ago. */
	end = z->today - (status_info(plans[n - 1].target)->final ?
	    range(z, 0, 900) : plans[n - 1].target == ST_DRAFT ?
	    range(z, 0, 60) : plans[n - 1].target ==
	    ST_SUPPLEMENT_REQUESTED ? range(z, 0, 75) : range(z, 0, 30));
	for (i = n - 1; i >= 0; i--) {
		start[i] = end - plans[i].day;
		if (i > 0)
			end = plans[i - 1].target == ST_ISSUED ? start[i] -
			    range(z, 840, 870) + plans[i].steps[0].day :
			    start[i] - range(z, 60, 400);
	}
	if (seed_org(z, &o, start[0] + plans[0].submit_day) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		long long id;

		if ((id = make_case(z, &o, &plans[i], start[i])) < 0)
			return -1;
		/* The certificate held: the next case maintains it, even
		 * after a maintenance that failed (no second initial one). */
		if (plans[i].target == ST_ISSUED &&
		    certificate_of(z, id, &o) != 0)
			return -1;
	}
	return n;
}

/* ---- The command -------------------------------------------------- */

static int
usage(void)
{
	fprintf(stderr, "usage: zizhi seed [--db PATH] --cases N [--seed S] "
	    "[--today YYYY-MM-DD]\n");
	return 2;
}

static int
number_arg(const char *v, long long max, long long *out)
{
	char *end;

	*out = strtoll(v, &end, 10);
	return *v == '\0' || *end != '\0' || *out < 0 || *out > max ? -1 : 0;
}

/* The notices' mail, as a sweep would have left it: sent. */
static int
mail_sent(struct seed *z)
{
	return store_exec(z->s, "UPDATE outbox SET state = 'sent', attempts = "
	    "1, sent_at = created_at WHERE state = 'pending'");
}

static int
run(struct seed *z, long long ncases)
{
	char hex[FILES_HEX_SIZE];
	long long batch = 0;
	int n;

	/* The one PDF, stored once (every upload finds it there). */
	if (files_store(z->files_dir, seed_pdf, sizeof(seed_pdf) - 1, hex) !=
	    0) {
		perror("zizhi seed: storing the sample PDF");
		return -1;
	}
	if (store_batch_begin(z->s) != 0)
		return -1;
	if (seed_staff(z) != 0)
		goto fail;
	while (z->cases < ncases) {
		if ((n = seed_history(z, ncases - z->cases)) < 0)
			goto fail;
		if (z->cases - batch >= SEED_BATCH) {
			batch = z->cases;
			if (mail_sent(z) != 0 || store_batch_end(z->s) != 0 ||
			    store_batch_begin(z->s) != 0)
				goto fail;
			if (z->cases % 10000 < SEED_BATCH)
				fprintf(stderr, "zizhi seed: %lld cases\n",
				    z->cases);
		}
	}
	if (mail_sent(z) != 0)
		goto fail;
	return store_batch_end(z->s);
fail:
	store_batch_abort(z->s);
	return -1;
}

int
cli_seed_run(struct store *s, const struct tmpl_set *tmpl, const char *hash,
    const char *files_dir, zdate today, uint64_t seed, long long ncases)
{
	struct seed *z = xcalloc(1, sizeof(*z));
	int rc = -1;

	z->s = s;
	z->tmpl = tmpl;
	z->hash = hash;
	z->public_url = "http://127.0.0.1:8080";
	z->rng = seed;
	z->today = today;
	date_format(today, z->today_s);
	if ((size_t)snprintf(z->files_dir, sizeof(z->files_dir), "%s",
	    files_dir) < sizeof(z->files_dir)) {
		z->arena = arena_new();
		rc = run(z, ncases);
		arena_free(z->arena);
	}
	free(z);
	return rc;
}

int
cli_seed(int argc, char *argv[])
{
	struct seed z;
	struct tmpl_set *tmpl;
	struct timespec t0, t1;
	const char *db = NULL, *today = NULL, *slash;
	char err[512], hash[PASSWORD_HASH_MAX];
	long long ncases = -1, seed = 1;
	double secs;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--db") == 0)
			db = argv[++i];
		else if (strcmp(argv[i], "--cases") == 0) {
			if (number_arg(argv[++i], 10000000, &ncases) != 0)
				return usage();
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (number_arg(argv[++i], INT64_MAX, &seed) != 0)
				return usage();
		} else if (strcmp(argv[i], "--today") == 0)
			today = argv[++i];
		else
			return usage();
	}
	if (ncases < 0)
		return usage();
	memset(&z, 0, sizeof(z));
	z.rng = (uint64_t)seed;
	if (today == NULL) {
		date_day((long long)time(NULL), z.today_s);
		today = z.today_s;
	}
	if (date_parse(today, &z.today) != 0) {
		fprintf(stderr, "zizhi seed: --today wants a date like "
		    "2026-03-15\n");
		return 2;
	}
	date_format(z.today, z.today_s);
	if (db == NULL)
		db = getenv("ZIZHI_DB") ? getenv("ZIZHI_DB") : "data/zizhi.db";
	slash = strrchr(db, '/');
	if ((size_t)snprintf(z.files_dir, sizeof(z.files_dir), "%.*sfiles",
	    slash ? (int)(slash - db + 1) : 0, db) >= sizeof(z.files_dir)) {
		fprintf(stderr, "zizhi seed: database path too long\n");
		return 2;
	}
	z.public_url = getenv("ZIZHI_PUBLIC_URL") ? getenv("ZIZHI_PUBLIC_URL") :
	    "http://127.0.0.1:8080";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* One hash for every seeded account: argon2id is slow on purpose. */
	if (password_hash(SEED_PASSWORD, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "zizhi seed: hashing the password failed\n");
		return 1;
	}
	z.hash = hash;
	if ((tmpl = app_load_templates(err, sizeof(err))) == NULL) {
		fprintf(stderr, "zizhi seed: %s\n", err);
		return 1;
	}
	z.tmpl = tmpl;
	if ((z.s = store_open(db, err, sizeof(err))) == NULL ||
	    store_check_version(z.s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi seed: %s (run `zizhi init --db %s` "
		    "first)\n", err, db);
		store_close(z.s);
		tmpl_set_free(tmpl);
		return 1;
	}
	/* Fast and still whole: a crash loses the seed, not the file. */
	sqlite3_exec(store_db(z.s), "PRAGMA synchronous = NORMAL; "
	    "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY", NULL,
	    NULL, NULL);
	z.arena = arena_new();
	rc = run(&z, ncases);
	store_close(z.s);
	arena_free(z.arena);
	tmpl_set_free(tmpl);
	if (rc != 0) {
		fprintf(stderr, "zizhi seed: failed after %lld cases; the last "
		    "batch was rolled back\n", z.cases);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9;
	printf("zizhi seed: %lld cases, %lld organisations, %lld accounts, "
	    "%lld certificates, %lld steps (%.1f per case), %lld late "
	    "supplement answers in %.1f s (%.0f cases/s; today %s)\n",
	    z.cases, z.orgs, z.accounts, z.certs, z.steps, z.cases ?
	    (double)z.steps / (double)z.cases : 0.0, z.late, secs, secs > 0 ?
	    (double)z.cases / secs : 0.0, z.today_s);
	for (i = 0; i < ST__COUNT; i++)
		if (z.by_status[i] > 0)
			printf("  %-22s %lld\n", status_table[i].code,
			    z.by_status[i]);
	printf("Every seeded account's password is \"%s\"; staff log in as "
	    "seed-ROLE-1@seed.zizhi.test (ROLE: lead, assessor, expert, "
	    "cert_staff, supervisor, admin).\n", SEED_PASSWORD);
	return 0;
}
