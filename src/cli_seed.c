/*
 * cli_seed.c: `zizhi seed --db PATH --cases N [--seed S] [--today DAY]`
 * fills a database (made by `zizhi init`) with N realistic cases, for the
 * dashboard tests and the benchmark (issue 8):
 *
 *  - organisations with 1 to 5 cases each, one applicant per organisation,
 *    and a few staff accounts per role. Password hashing is slow, so the
 *    password SEED_PASSWORD is hashed once and every seeded account gets
 *    that one hash; staff log in as seed-ROLE-K@seed.zizhi.test (K from 1),
 *    applicants as seed-orgID@seed.zizhi.test.
 *  - cases in every status, each reached only by transitions of the
 *    workflow table (src/workflow.c), with the records the table's guards
 *    ask for (agreement, payment, audit plan and team, conclusions,
 *    certificate in an approved batch), rounds and their receipts,
 *    supplement notices with their due dates. Between transitions, the
 *    steps of work that do not change the status (review findings,
 *    document review, interviews, practical operation, expert
 *    declarations, batching) are recorded as events whose from and to are
 *    the current status: about 30 events per case on average.
 *  - ~20 material rows per case, all pointing to one small stored PDF (so
 *    downloads work); the section 一 form values (a valid credit code).
 *  - the clock columns, rebuilt from the events by workflow_clock_cache
 *    exactly as workflow_move does.
 *
 * Every day lies in the past of --today (default: today in Beijing) and
 * increases along a case's events. The same --seed and --today give the
 * same data. One transaction per 1,000 cases.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "certno.h"
#include "cli.h"
#include "date.h"
#include "files.h"
#include "form_def.h"
#include "password.h"
#include "rules.h"
#include "store.h"
#include "workflow.h"
#include "status.h"

#define SEED_PASSWORD	"zizhi-seed-password"
#define SEED_BATCH	1000	/* cases per transaction */
#define SEED_MAX_EV	128	/* events of one case */
#define SEED_MAX_MAT	24
#define SEED_YEARS	200	/* case and certificate sequences by year */

/* The one stored file every material row points to. */
static const char seed_pdf[] =
	"%PDF-1.4\n"
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> "
	"endobj\n"
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
	"0000000058 00000 n \n0000000115 00000 n \n"
	"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n";

enum who { W_APPLICANT, W_LEAD, W_ASSESSOR, W_EXPERT, W_CERT, W_NWHO };

static const struct {
	const char	*role;
	const char	*name;
	int		 n;
} staff_roles[] = {
	{ "lead", "项目负责人", 8 },
	{ "assessor", "评估人员", 8 },
	{ "expert", "评审专家", 6 },
	{ "cert_staff", "制证人员", 3 },
	{ "supervisor", "监督人员", 2 },
	{ "admin", "管理员", 1 },
	{ NULL, NULL, 0 }
};

#define MAX_STAFF	8

struct ev {
	enum status	 from;
	enum status	 to;
	long long	 actor;
	const char	*reason;
	int		 day;		/* days after the case was created */
};

/* A case's history, planned before anything is written. */
struct plan {
	enum status	 status;	/* the status now */
	struct ev	 ev[SEED_MAX_EV];
	int		 nev;
	int		 day;		/* of the last event */
	int		 submit_day;	/* -1 while a draft */
	long long	 lead;
	int		 rounds;
	int		 round_day[8];	/* day of each round's submission */
	int		 supp_day[8];	/* day of each supplement request */
	int		 nsupp;
	int		 accepted_day, agreement_day, agreed_day, paid_day;
	int		 plan_day, concluded_day, expert_day, cert_day;
	int		 expert_pass;
};

struct seed {
	struct store	*s;
	uint64_t	 rng;
	const char	*hash;
	zdate		 today;
	char		 today_s[DATE_BUFSZ];
	char		 pdf_hex[FILES_HEX_SIZE];
	long long	 staff[W_NWHO][MAX_STAFF];
	int		 nstaff[W_NWHO];
	long long	 cert_staff2;	/* approves the batches */
	long long	 applicant;	/* of the organisation being seeded */
	long long	 case_seq[SEED_YEARS];	/* -1: not read yet */
	long long	 cert_seq[SEED_YEARS];	/* -1: not read yet */
	long long	 batch;		/* open certificate batch, or 0 */
	int		 batch_n;
	/* Counts for the report. */
	long long	 orgs, accounts, cases, events, materials, values,
			 notices, certs;
	long long	 by_status[16];
};

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

static long long
who(struct seed *z, enum who w)
{
	if (w == W_APPLICANT)
		return z->applicant;
	return z->staff[w][rnd(z) % (uint64_t)z->nstaff[w]];
}

/* ---- Planning a case's history ------------------------------------ */

static void
add(struct plan *p, enum status to, long long actor, const char *reason,
    int gap)
{
	struct ev *e;

	if (p->nev >= SEED_MAX_EV)
		return;
	e = &p->ev[p->nev++];
	p->day += gap;
	e->from = p->status;
	e->to = to;
	e->actor = actor;
	e->reason = reason;
	e->day = p->day;
	p->status = to;
}

/* A step of work that keeps the status. */
static void
step(struct plan *p, long long actor, const char *reason, int gap)
{
	add(p, p->status, actor, reason, gap);
}

static const char *const review_steps[] = {
	"受理审查：表单符合性已审查", "受理审查：基本资格已核对",
	"受理审查：基本能力已核对", "受理审查：PA01–PA11 证据已审查",
	"受理审查：PA12–PA22 证据已审查", "受理审查：组织管理能力已审查",
};
static const char *const doc_steps[] = {
	"文档审查：质量手册与程序文件", "文档审查：过程区域证据",
	"文档审查：项目合同与验收报告", "文档审查：人员与资质证明",
};
static const char *const interview_steps[] = {
	"人员访谈：管理层", "人员访谈：项目经理", "人员访谈：技术人员",
	"人员访谈：质量管理人员",
};
static const char *const practice_steps[] = {
	"实际操作：风险评估演示", "实际操作：安全配置核查",
	"实际操作：渗透测试演示",
};

static void
review(struct seed *z, struct plan *p, int lo, int hi)
{
	int i, n = range(z, lo, hi);

	for (i = 0; i < n; i++)
		step(p, p->lead, review_steps[(size_t)i %
		    (sizeof(review_steps) / sizeof(review_steps[0]))],
		    range(z, 0, 3));
}

/*
 * Plans the history of a case that ends in target; for 已撤回, the
 * applicant withdraws from stop. Returns with p->status the final status.
 */
static void
plan_case(struct seed *z, struct plan *p, enum status target)
{
	enum status stop = target;
	int i, loops, n, long_delay;

	memset(p, 0, sizeof(*p));
	p->status = ST_DRAFT;
	p->submit_day = -1;
	p->lead = who(z, W_LEAD);
	if (target == ST_WITHDRAWN) {
		static const enum status from[] = { ST_DRAFT, ST_SUBMITTED,
			ST_INTAKE_REVIEW, ST_SUPPLEMENT_REQUESTED, ST_ACCEPTED,
			ST_AGREEMENT_SENT, ST_AWAITING_PAYMENT,
			ST_ASSESSMENT_PLANNING, ST_ASSESSING, ST_EXPERT_REVIEW };

		stop = from[rnd(z) % (sizeof(from) / sizeof(from[0]))];
	}
#define AT(x)	(stop == (x))
	if (AT(ST_DRAFT))
		goto done;
	add(p, ST_SUBMITTED, z->applicant, "首次提交", range(z, 2, 30));
	p->submit_day = p->day;
	p->round_day[p->rounds++] = p->day;
	if (AT(ST_SUBMITTED))
		goto done;
	add(p, ST_INTAKE_REVIEW, p->lead, "", range(z, 1, 6));
	review(z, p, 4, 8);
	n = range(z, 0, 99);
	loops = n < 40 ? 0 : n < 75 ? 1 : n < 93 ? 2 : 3;
	if (AT(ST_SUPPLEMENT_REQUESTED) && loops == 0)
		loops = 1;
	for (i = 0; i < loops; i++) {
		add(p, ST_SUPPLEMENT_REQUESTED, p->lead, "材料不全，一次性告知"
		    "补正事项", range(z, 0, 3));
		p->supp_day[p->nsupp++] = p->day;
		if (AT(ST_SUPPLEMENT_REQUESTED) && i == loops - 1)
			goto done;
		add(p, ST_INTAKE_REVIEW, z->applicant, "提交补正材料",
		    range(z, 5, 30));
		p->round_day[p->rounds++] = p->day;
		review(z, p, 3, 6);
	}
	if (AT(ST_INTAKE_REVIEW))
		goto done;
	if (AT(ST_REJECTED)) {
		add(p, ST_REJECTED, p->lead, "不符合申请条件：基本资格不满足",
		    range(z, 1, 5));
		goto done;
	}
	add(p, ST_ACCEPTED, p->lead, "", range(z, 1, 5));
	p->accepted_day = p->day;
	if (AT(ST_ACCEPTED))
		goto done;
	add(p, ST_AGREEMENT_SENT, p->lead, "", range(z, 2, 10));
	p->agreement_day = p->day;
	if (AT(ST_AGREEMENT_SENT))
		goto done;
	add(p, ST_AWAITING_PAYMENT, z->applicant, "", range(z, 3, 20));
	p->agreed_day = p->day;
	if (AT(ST_AWAITING_PAYMENT))
		goto done;
	add(p, ST_ASSESSMENT_PLANNING, who(z, W_CERT), "缴费已登记",
	    range(z, 5, 25));
	p->paid_day = p->day;
	step(p, p->lead, "确定项目组成员", range(z, 1, 4));
	step(p, p->lead, "拟定审核计划", range(z, 1, 5));
	if (AT(ST_ASSESSMENT_PLANNING))
		goto done;
	add(p, ST_ASSESSING, p->lead, "", range(z, 2, 10));
	p->plan_day = p->day;
	long_delay = range(z, 0, 99) < 12;
	n = range(z, 3, 6);
	for (i = 0; i < n; i++)
		step(p, who(z, W_ASSESSOR), PICK(z, doc_steps), range(z, 1, 4));
	if (long_delay)
		step(p, p->lead, "申请单位整改后继续评估", range(z, 30, 100));
	n = range(z, 2, 4);
	for (i = 0; i < n; i++)
		step(p, who(z, W_ASSESSOR), PICK(z, interview_steps),
		    range(z, 0, 3));
	n = range(z, 2, 4);
	for (i = 0; i < n; i++)
		step(p, who(z, W_ASSESSOR), PICK(z, practice_steps),
		    range(z, 0, 3));
	step(p, p->lead, "项目组形成审核结论", range(z, 1, 5));
	if (AT(ST_ASSESSING))
		goto done;
	add(p, ST_EXPERT_REVIEW, p->lead, "审核结论：通过", range(z, 1, 4));
	p->concluded_day = p->day;
	for (i = 0; i < 3; i++)
		step(p, who(z, W_EXPERT), "专家声明无利益冲突", range(z, 0, 2));
	step(p, who(z, W_EXPERT), "召开专家评审会", range(z, 2, 10));
	if (AT(ST_EXPERT_REVIEW))
		goto done;
	p->expert_day = p->day;
	if (AT(ST_FAILED)) {
		p->expert_pass = 0;
		add(p, ST_FAILED, who(z, W_EXPERT), "证据不足以支持审核结论",
		    range(z, 1, 5));
		goto done;
	}
	p->expert_pass = 1;
	add(p, ST_CERTIFICATE_PENDING, who(z, W_EXPERT), "专家评审通过",
	    range(z, 1, 5));
	step(p, who(z, W_CERT), "列入制证批次", range(z, 1, 5));
	step(p, who(z, W_CERT), "制证批次已批准", range(z, 1, 4));
	p->cert_day = p->day;
	if (AT(ST_CERTIFICATE_PENDING))
		goto done;
	add(p, ST_ISSUED, who(z, W_CERT), "证书已发放并公告", range(z, 1, 4));
done:
	if (target == ST_WITHDRAWN)
		add(p, ST_WITHDRAWN, z->applicant, "申请单位主动撤回",
		    range(z, 1, 10));
#undef AT
}

/* The status a new case ends in, by a fixed mix (percent). */
static enum status
pick_target(struct seed *z)
{
	static const struct {
		enum status	 status;
		int		 pct;
	} mix[] = {
		{ ST_DRAFT, 3 }, { ST_SUBMITTED, 3 }, { ST_INTAKE_REVIEW, 6 },
		{ ST_SUPPLEMENT_REQUESTED, 5 }, { ST_ACCEPTED, 2 },
		{ ST_REJECTED, 6 }, { ST_AGREEMENT_SENT, 3 },
		{ ST_AWAITING_PAYMENT, 3 }, { ST_ASSESSMENT_PLANNING, 3 },
		{ ST_ASSESSING, 7 }, { ST_EXPERT_REVIEW, 4 }, { ST_FAILED, 5 },
		{ ST_CERTIFICATE_PENDING, 3 }, { ST_ISSUED, 42 },
		{ ST_WITHDRAWN, 5 }, { ST_DRAFT, 0 }
	};
	int n = range(z, 0, 99), i;

	for (i = 0; mix[i].pct != 0; i++)
		if ((n -= mix[i].pct) < 0)
			return mix[i].status;
	return ST_ISSUED;
}

/* ---- Writing ------------------------------------------------------ */

/* A moment on day (a zdate) in Beijing office hours, minute m of it. */
static void
stamp_at(zdate day, int m, char *stamp)
{
	date_stamp((long long)day * 86400 + 9 * 3600 - 8 * 3600 +
	    (long long)m * 120, stamp);
}

static int
step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "zizhi seed: %s\n",
		    sqlite3_errmsg(sqlite3_db_handle(st)));
		return -1;
	}
	return 0;
}

static int
case_number(struct seed *z, zdate day, char *no, size_t len)
{
	sqlite3_stmt *st;
	char prefix[16];
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 2000 || y >= 2000 + SEED_YEARS)
		return -1;
	snprintf(prefix, sizeof(prefix), "SE2-%04d-", y);
	if (z->case_seq[y - 2000] < 0) {
		st = store_stmt(z->s, "SELECT coalesce(max(CAST(substr(case_no, "
		    "10) AS INTEGER)), 0) FROM cases WHERE case_no LIKE ?1 || "
		    "'%'");
		if (st == NULL)
			return -1;
		store_bind_text(st, 1, prefix);
		z->case_seq[y - 2000] = sqlite3_step(st) == SQLITE_ROW ?
		    sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
	}
	snprintf(no, len, "%s%05lld", prefix, ++z->case_seq[y - 2000]);
	return 0;
}

static long long
insert_notice(struct seed *z, long long case_id, const char *case_no,
    const char *kind, char letter, int n, zdate day, const char *title,
    const char *body, const char *due, long long round_id)
{
	sqlite3_stmt *st = store_stmt(z->s, "INSERT INTO notice(case_id, "
	    "kind, no, at, day, title, body, due, round_id) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	char no[64], stamp[24], d[DATE_BUFSZ];
	long long id;

	if (st == NULL)
		return -1;
	snprintf(no, sizeof(no), "%s-%c%d", case_no, letter, n);
	stamp_at(day, 60, stamp);
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, no);
	store_bind_text(st, 4, stamp);
	store_bind_text(st, 5, date_format(day, d));
	store_bind_text(st, 6, title);
	store_bind_text(st, 7, body);
	store_bind_text(st, 8, due);
	if (round_id > 0)
		store_bind_int(st, 9, round_id);
	if (step_done(st) != 0)
		return -1;
	z->notices++;
	id = sqlite3_last_insert_rowid(store_db(z->s));
	/* Served the day it was made, as if its mail was accepted then
	 * (送达, notice.c): the due date it sets runs from that day. */
	st = store_stmt(z->s, "INSERT INTO notice_service(notice_id, at, day, "
	    "via, due) VALUES (?1, ?2, ?3, 'smtp', ?4)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, stamp);
	store_bind_text(st, 3, d);
	store_bind_text(st, 4, due);
	if (step_done(st) != 0)
		return -1;
	return id;
}

/* Rounds with their receipts, and the supplement notices with items. */
static int
write_rounds(struct seed *z, long long id, const char *no, zdate d0,
    const struct plan *p)
{
	sqlite3_stmt *st;
	long long round_id = 0, nid;
	char stamp[24], due[DATE_BUFSZ];
	int i;

	for (i = 0; i < p->rounds; i++) {
		st = store_stmt(z->s, "INSERT INTO round(case_id, n, "
		    "submitted_at, submitted_by) VALUES (?1, ?2, ?3, ?4)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->round_day[i], 30, stamp);
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, i + 1);
		store_bind_text(st, 3, stamp);
		store_bind_int(st, 4, z->applicant);
		if (step_done(st) != 0)
			return -1;
		round_id = sqlite3_last_insert_rowid(store_db(z->s));
		if (insert_notice(z, id, no, "receipt", 'R', i + 1,
		    d0 + p->round_day[i], "收件凭证", "本中心已收到贵单位提交的"
		    "申请材料（由 zizhi seed 生成的测试数据）。", NULL,
		    round_id) < 0)
			return -1;
		if (i >= p->nsupp)
			continue;
		date_format(date_add_months(d0 + p->supp_day[i],
		    rules_default()->supplement_months), due);
		if ((nid = insert_notice(z, id, no, "supplement", 'B', i + 1,
		    d0 + p->supp_day[i], "补正告知书", "请在期限内一次性补正"
		    "以下事项（由 zizhi seed 生成的测试数据）。", due,
		    round_id)) < 0)
			return -1;
		st = store_stmt(z->s, "INSERT INTO supplement_item(notice_id, "
		    "target, what) VALUES (?1, ?2, ?3)");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, nid);
		store_bind_text(st, 2, "s1");
		store_bind_text(st, 3, "营业执照副本扫描件不清晰，请重新上传。");
		if (step_done(st) != 0)
			return -1;
	}
	return 0;
}

static int
write_events(struct seed *z, long long id, zdate d0, const struct plan *p)
{
	char stamp[24], day[DATE_BUFSZ];
	int i;

	for (i = 0; i < p->nev; i++) {
		/* The same hash chain as workflow_move (audit.c). */
		stamp_at(d0 + p->ev[i].day, i, stamp);
		if (audit_event_insert(z->s, id, stamp, date_format(d0 +
		    p->ev[i].day, day), p->ev[i].actor,
		    status_code(p->ev[i].from), status_code(p->ev[i].to),
		    p->ev[i].reason) != 0) {
			fprintf(stderr, "zizhi seed: %s\n",
			    sqlite3_errmsg(store_db(z->s)));
			return -1;
		}
	}
	z->events += p->nev;
	return 0;
}

/* ~20 material rows (16 to 24), the kinds without row groups in the
 * form's order, uploaded before the submission. */
static int
write_materials(struct seed *z, long long id, zdate d0, const struct plan *p)
{
	const struct fdef_section *sec;
	const struct fdef_material *m;
	sqlite3_stmt *st;
	char stamp[24], name[256];
	size_t i, j;
	int n = range(z, 16, 24), done = 0;
	int last = p->submit_day > 0 ? p->submit_day - 1 : 0;

	for (i = 0; i < fdef_nsections() && done < n; i++) {
		sec = fdef_section_at(i);
		for (j = 0; j < sec->nmaterials && done < n; j++) {
			m = &sec->materials[j];
			if (m->group != NULL)
				continue;
			st = store_stmt(z->s, "INSERT INTO material(case_id, "
			    "kind, row, filename, mime, size, sha256, "
			    "uploaded_by, uploaded_at) VALUES (?1, ?2, -1, ?3, "
			    "'application/pdf', ?4, ?5, ?6, ?7)");
			if (st == NULL)
				return -1;
			snprintf(name, sizeof(name), "%s.pdf", m->label);
			stamp_at(d0 + range(z, 0, last), done, stamp);
			store_bind_int(st, 1, id);
			store_bind_text(st, 2, m->code);
			store_bind_text(st, 3, name);
			store_bind_int(st, 4, (long long)sizeof(seed_pdf) - 1);
			store_bind_text(st, 5, z->pdf_hex);
			store_bind_int(st, 6, z->applicant);
			store_bind_text(st, 7, stamp);
			if (step_done(st) != 0)
				return -1;
			done++;
		}
	}
	z->materials += done;
	return 0;
}

/* Section 一 of the organisation, the same on each of its cases. */
struct org_form {
	char	 name[160];
	char	 uscc[24];
	char	 legal_rep[32];
	char	 capital[24];
	char	 founded[DATE_BUFSZ];
	char	 biz_start[DATE_BUFSZ];
	char	 address[160];
	char	 postcode[8];
	char	 contact[32];
	char	 phone[24];
	char	 mobile[16];
	char	 email[64];
	char	 l1_no[32];
	char	 l1_expiry[DATE_BUFSZ];
};

static int
write_form(struct seed *z, long long id, const struct org_form *f,
    zdate d0)
{
	const char *const kv[] = {
		"org_name", f->name, "uscc", f->uscc, "legal_rep", f->legal_rep,
		"org_nature", "limited", "reg_capital", f->capital,
		"founded", f->founded, "biz_start", f->biz_start,
		"reg_address", f->address, "office_address", f->address,
		"postcode", f->postcode, "contact_name", f->contact,
		"contact_phone", f->phone, "contact_mobile", f->mobile,
		"contact_email", f->email, "app_type", "initial",
		"l1_cert_no", f->l1_no, "l1_cert_expiry", f->l1_expiry,
		NULL
	};
	sqlite3_stmt *st;
	char stamp[24];
	size_t i;

	for (i = 0; kv[i] != NULL; i += 2) {
		st = store_stmt(z->s, "INSERT INTO form_value(case_id, field, "
		    "row, value) VALUES (?1, ?2, -1, ?3)");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, kv[i]);
		store_bind_text(st, 3, kv[i + 1]);
		if (step_done(st) != 0)
			return -1;
		z->values++;
	}
	st = store_stmt(z->s, "INSERT INTO form_section(case_id, section, "
	    "saved_at) VALUES (?1, 's1', ?2)");
	if (st == NULL)
		return -1;
	stamp_at(d0, 0, stamp);
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, stamp);
	return step_done(st);
}

/* The records the workflow's guards look for, as the history reached. */
static int
write_records(struct seed *z, long long id, zdate d0, const struct plan *p,
    const struct org_form *f)
{
	const struct rules *r = rules_default();
	sqlite3_stmt *st;
	char stamp[24], stamp2[24], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	char no[CERTNO_MAX + 24];
	long long a1, a2;
	int y, m, d, i;

	if (p->agreement_day > 0) {
		st = store_stmt(z->s, "INSERT INTO agreement(case_id, treated_as, "
		    "basis, fee_audit, fee_annual, fee_total, drafted_by, "
		    "sent_at, accepted_by, accepted_at) VALUES (?1, 'initial', "
		    "'初次申请：审核费用与三年年金（指南 §9.1）', ?2, ?3, ?4, ?5, "
		    "?6, ?7, ?8)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->agreement_day, 40, stamp);
		stamp_at(d0 + p->agreed_day, 40, stamp2);
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, r->fee_initial_audit);
		store_bind_int(st, 3, r->fee_initial_annual);
		store_bind_int(st, 4, r->fee_initial_audit +
		    r->fee_initial_annual);
		store_bind_int(st, 5, p->lead);
		store_bind_text(st, 6, stamp);
		if (p->agreed_day > 0) {
			store_bind_int(st, 7, z->applicant);
			store_bind_text(st, 8, stamp2);
		}
		if (step_done(st) != 0)
			return -1;
	}
	if (p->paid_day > 0) {
		st = store_stmt(z->s, "INSERT INTO payment(case_id, amount, "
		    "paid_on, reference, recorded_by, recorded_at) VALUES (?1, "
		    "?2, ?3, ?4, ?5, ?6)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->paid_day, 40, stamp);
		snprintf(no, sizeof(no), "SEED-PAY-%lld", id);
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, r->fee_initial_audit +
		    r->fee_initial_annual);
		store_bind_text(st, 3, date_format(d0 + p->paid_day - 1, d1));
		store_bind_text(st, 4, no);
		store_bind_int(st, 5, z->staff[W_CERT][0]);
		store_bind_text(st, 6, stamp);
		if (step_done(st) != 0)
			return -1;
	}
	if (p->plan_day > 0) {
		st = store_stmt(z->s, "INSERT INTO audit_plan(case_id, "
		    "start_day, end_day, method, by_id, at) VALUES (?1, ?2, ?3, "
		    "'文档审查、人员访谈、实际操作', ?4, ?5)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->plan_day, 0, stamp);
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, date_format(d0 + p->plan_day + 3, d1));
		store_bind_text(st, 3, date_format(d0 + p->plan_day + 20, d2));
		store_bind_int(st, 4, p->lead);
		store_bind_text(st, 5, stamp);
		if (step_done(st) != 0)
			return -1;
		a1 = who(z, W_ASSESSOR);
		a2 = who(z, W_ASSESSOR);
		for (i = 0; i < (a1 == a2 ? 1 : 2); i++) {
			st = store_stmt(z->s, "INSERT INTO team_member(case_id, "
			    "account_id) VALUES (?1, ?2)");
			if (st == NULL)
				return -1;
			store_bind_int(st, 1, id);
			store_bind_int(st, 2, i == 0 ? a1 : a2);
			if (step_done(st) != 0)
				return -1;
		}
	}
	if (p->concluded_day > 0) {
		st = store_stmt(z->s, "INSERT INTO audit_conclusion(case_id, "
		    "verdict, text, by_id, at) VALUES (?1, 'pass', "
		    "'各过程区域证据充分，建议通过。', ?2, ?3)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->concluded_day, 0, stamp);
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, p->lead);
		store_bind_text(st, 3, stamp);
		if (step_done(st) != 0)
			return -1;
	}
	if (p->expert_day > 0 && p->status != ST_EXPERT_REVIEW &&
	    p->status != ST_WITHDRAWN) {
		st = store_stmt(z->s, "INSERT INTO expert_conclusion(case_id, "
		    "verdict, reasons, by_id, at) VALUES (?1, ?2, ?3, ?4, ?5)");
		if (st == NULL)
			return -1;
		stamp_at(d0 + p->expert_day, 0, stamp);
		store_bind_int(st, 1, id);
		store_bind_text(st, 2, p->expert_pass ? "pass" : "fail");
		store_bind_text(st, 3, p->expert_pass ? "证据充分，结论合理。" :
		    "过程区域 PA07 证据不足，审核结论依据不充分。");
		store_bind_int(st, 4, z->staff[W_EXPERT][0]);
		store_bind_text(st, 5, stamp);
		if (step_done(st) != 0)
			return -1;
	}
	if (p->status != ST_ISSUED)
		return 0;
	/* Certificates in approved batches of up to 50. */
	stamp_at(d0 + p->cert_day, 0, stamp);
	if (z->batch == 0 || z->batch_n >= 50) {
		st = store_stmt(z->s, "INSERT INTO cert_batch(created_by, "
		    "created_at, approved_by, approved_at) VALUES (?1, ?2, ?3, "
		    "?2)");
		if (st == NULL)
			return -1;
		store_bind_int(st, 1, z->staff[W_CERT][0]);
		store_bind_text(st, 2, stamp);
		store_bind_int(st, 3, z->cert_staff2);
		if (step_done(st) != 0)
			return -1;
		z->batch = sqlite3_last_insert_rowid(store_db(z->s));
		z->batch_n = 0;
	}
	st = store_stmt(z->s, "INSERT INTO batch_case(batch_id, case_id) "
	    "VALUES (?1, ?2)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, z->batch);
	store_bind_int(st, 2, id);
	if (step_done(st) != 0)
		return -1;
	z->batch_n++;
	/* Numbers as certno.c makes them (docs/certificates.md); the year's
	 * last one is read once, then counted on here. */
	date_to_ymd(d0 + p->day, &y, &m, &d);
	if (y < 2000 || y >= 2000 + SEED_YEARS)
		return -1;
	if (z->cert_seq[y - 2000] < 0) {
		if (certno_next(z->s, y, no, sizeof(no)) != 0)
			return -1;
		z->cert_seq[y - 2000] = strtoll(no + strlen(CERTNO_PREFIX) +
		    4 + strlen(CERTNO_KIND) + 1, NULL, 10) - 1;
	}
	snprintf(no, sizeof(no), "%s%04d%s-%04lld", CERTNO_PREFIX, y,
	    CERTNO_KIND, ++z->cert_seq[y - 2000]);
	st = store_stmt(z->s, "INSERT INTO certificate(no, case_id, org_id, "
	    "org_name, uscc, issued_on, expires_on, batch_id) VALUES (?1, ?2, "
	    "(SELECT org_id FROM cases WHERE id = ?2), ?3, ?4, ?5, ?6, ?7)");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, no);
	store_bind_int(st, 2, id);
	store_bind_text(st, 3, f->name);
	store_bind_text(st, 4, f->uscc);
	store_bind_text(st, 5, date_format(d0 + p->day, d1));
	store_bind_text(st, 6, date_format(date_add_years(d0 + p->day,
	    r->validity_years) - 1, d2));
	store_bind_int(st, 7, z->batch);
	if (step_done(st) != 0)
		return -1;
	z->certs++;
	return 0;
}

static int
seed_case(struct seed *z, long long org, const struct org_form *f)
{
	struct plan p;
	sqlite3_stmt *st;
	char no[48] = "", created[24];
	enum status target = pick_target(z);
	zdate d0;
	long long id;
	int back;

	plan_case(z, &p, target);
	/* Open cases are recent; closed ones end up to 1,000 days ago. */
	if (p.status == ST_DRAFT)
		back = range(z, 0, 60);
	else if (status_info(p.status)->final)
		back = range(z, 0, 1000);
	else
		back = range(z, 0, 30);
	d0 = z->today - back - p.day;
	if (p.submit_day >= 0 && case_number(z, d0 + p.submit_day, no,
	    sizeof(no)) != 0)
		return -1;
	stamp_at(d0, 0, created);
	st = store_stmt(z->s, "INSERT INTO cases(org_id, case_no, status, "
	    "lead_id, created_by, created_at, rounds) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, org);
	store_bind_text(st, 2, *no ? no : NULL);
	store_bind_text(st, 3, status_code(p.status));
	if (p.nev > 1 && p.ev[1].to == ST_INTAKE_REVIEW)
		store_bind_int(st, 4, p.lead);
	store_bind_int(st, 5, z->applicant);
	store_bind_text(st, 6, created);
	store_bind_int(st, 7, p.rounds);
	if (step_done(st) != 0)
		return -1;
	id = sqlite3_last_insert_rowid(store_db(z->s));
	if (write_form(z, id, f, d0) != 0 ||
	    write_materials(z, id, d0, &p) != 0 ||
	    write_events(z, id, d0, &p) != 0 ||
	    (*no && write_rounds(z, id, no, d0, &p) != 0) ||
	    write_records(z, id, d0, &p, f) != 0 ||
	    workflow_clock_cache(z->s, id, z->today_s) != 0)
		return -1;
	if (p.accepted_day > 0 && insert_notice(z, id, no, "acceptance", 'S',
	    1, d0 + p.accepted_day, "受理通知书", "贵单位的申请已予受理（由 "
	    "zizhi seed 生成的测试数据）。", NULL, 0) < 0)
		return -1;
	z->cases++;
	z->by_status[p.status]++;
	return 0;
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

static void
org_form(struct seed *z, struct org_form *f)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char d[DATE_BUFSZ];
	int i;

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
	    date_format(z->today - range(z, 3000, 9000), d));
	snprintf(f->biz_start, sizeof(f->biz_start), "%s",
	    date_format(z->today - range(z, 1500, 2900), d));
	snprintf(f->address, sizeof(f->address), "%s市高新区科技路%d号",
	    PICK(z, cities), range(z, 1, 999));
	snprintf(f->postcode, sizeof(f->postcode), "%06d",
	    range(z, 100000, 850000));
	person(z, f->contact, sizeof(f->contact));
	snprintf(f->phone, sizeof(f->phone), "010-%08d",
	    range(z, 60000000, 89999999));
	snprintf(f->mobile, sizeof(f->mobile), "13%09d",
	    range(z, 0, 999999999));
	snprintf(f->l1_no, sizeof(f->l1_no), "CNITSEC%dSE1%04d",
	    range(z, 2019, 2024), range(z, 1, 9999));
	snprintf(f->l1_expiry, sizeof(f->l1_expiry), "%s",
	    date_format(z->today + range(z, 200, 900), d));
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
	char email[96], name[64];
	enum who w;
	long long id;
	int i, k;

	for (i = 0; staff_roles[i].role != NULL; i++) {
		w = strcmp(staff_roles[i].role, "lead") == 0 ? W_LEAD :
		    strcmp(staff_roles[i].role, "assessor") == 0 ? W_ASSESSOR :
		    strcmp(staff_roles[i].role, "expert") == 0 ? W_EXPERT :
		    strcmp(staff_roles[i].role, "cert_staff") == 0 ? W_CERT :
		    W_APPLICANT;
		for (k = 1; k <= staff_roles[i].n; k++) {
			snprintf(email, sizeof(email),
			    "seed-%s-%d@seed.zizhi.test", staff_roles[i].role, k);
			snprintf(name, sizeof(name), "%s%d",
			    staff_roles[i].name, k);
			if ((id = insert_account(z, email, name,
			    staff_roles[i].role, 0)) < 0)
				return -1;
			if (w == W_CERT && k == 2)
				z->cert_staff2 = id;
			if (w != W_APPLICANT && z->nstaff[w] < MAX_STAFF)
				z->staff[w][z->nstaff[w]++] = id;
		}
	}
	return 0;
}

static long long
seed_org(struct seed *z, struct org_form *f)
{
	sqlite3_stmt *st = store_stmt(z->s, "INSERT INTO org(name) VALUES "
	    "(?1)");
	char email[96], name[32];
	long long org;

	org_form(z, f);
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, f->name);
	if (step_done(st) != 0)
		return -1;
	org = sqlite3_last_insert_rowid(store_db(z->s));
	snprintf(f->email, sizeof(f->email), "contact%lld@org.example", org);
	snprintf(email, sizeof(email), "seed-org%lld@seed.zizhi.test", org);
	person(z, name, sizeof(name));
	if ((z->applicant = insert_account(z, email, name, "applicant",
	    org)) < 0)
		return -1;
	z->orgs++;
	return org;
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

static int
run(struct seed *z, long long ncases, const char *files_dir)
{
	struct org_form f;
	long long org = 0;
	int left = 0;

	if (files_store(files_dir, seed_pdf, sizeof(seed_pdf) - 1,
	    z->pdf_hex) != 0) {
		perror("zizhi seed: storing the sample PDF");
		return -1;
	}
	if (store_begin(z->s) != 0)
		return -1;
	if (seed_staff(z) != 0)
		goto fail;
	while (z->cases < ncases) {
		if (left == 0) {
			if ((org = seed_org(z, &f)) < 0)
				goto fail;
			left = range(z, 1, 5);
		}
		if (seed_case(z, org, &f) != 0)
			goto fail;
		left--;
		if (z->cases % SEED_BATCH == 0) {
			if (store_commit(z->s) != 0 || store_begin(z->s) != 0)
				return -1;
			if (z->cases % (SEED_BATCH * 10) == 0)
				fprintf(stderr, "zizhi seed: %lld cases\n",
				    z->cases);
		}
	}
	return store_commit(z->s);
fail:
	store_rollback(z->s);
	return -1;
}

int
cli_seed(int argc, char *argv[])
{
	struct seed z;
	struct timespec t0, t1;
	const char *db = NULL, *today = NULL, *slash;
	char err[512], hash[PASSWORD_HASH_MAX], files_dir[4096];
	long long ncases = -1, seed = 1;
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
	for (i = 0; i < SEED_YEARS; i++)
		z.case_seq[i] = z.cert_seq[i] = -1;
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
	if ((size_t)snprintf(files_dir, sizeof(files_dir), "%.*sfiles",
	    slash ? (int)(slash - db + 1) : 0, db) >= sizeof(files_dir)) {
		fprintf(stderr, "zizhi seed: database path too long\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* One hash for every seeded account: argon2id is slow on purpose. */
	if (password_hash(SEED_PASSWORD, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "zizhi seed: hashing the password failed\n");
		return 1;
	}
	z.hash = hash;
	if ((z.s = store_open(db, err, sizeof(err))) == NULL ||
	    store_check_version(z.s, err, sizeof(err)) != 0) {
		fprintf(stderr, "zizhi seed: %s (run `zizhi init --db %s` "
		    "first)\n", err, db);
		store_close(z.s);
		return 1;
	}
	sqlite3_exec(store_db(z.s), "PRAGMA synchronous = NORMAL", NULL, NULL,
	    NULL);
	rc = run(&z, ncases, files_dir);
	if (rc == 0 && workflow_refresh_facts(z.s) < 0)
		rc = -1;
	store_close(z.s);
	if (rc != 0) {
		fprintf(stderr, "zizhi seed: failed after %lld cases; the last "
		    "batch was rolled back\n", z.cases - z.cases % SEED_BATCH);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("zizhi seed: %lld cases, %lld organisations, %lld accounts, "
	    "%lld events (%.1f per case), %lld materials, %lld form values, "
	    "%lld notices, %lld certificates in %.1f s (today %s)\n", z.cases,
	    z.orgs, z.accounts, z.events, z.cases ? (double)z.events /
	    (double)z.cases : 0.0, z.materials, z.values, z.notices, z.certs,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9, z.today_s);
	for (i = 0; status_table[i].code != NULL && i < 16; i++)
		if (z.by_status[i] > 0)
			printf("  %-22s %lld\n", status_table[i].code,
			    z.by_status[i]);
	printf("Every seeded account's password is \"%s\"; staff log in as "
	    "seed-ROLE-1@seed.zizhi.test (ROLE: lead, assessor, expert, "
	    "cert_staff, supervisor, admin).\n", SEED_PASSWORD);
	return 0;
}
