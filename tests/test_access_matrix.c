/*
 * test_access_matrix.c: who may read which page of a case, as a full
 * matrix: every staff and applicant role, in every relation the policy
 * knows (own organisation, assigned lead, the intake pool, the team, the
 * panel declared and not yet, certificate staff, a supervisor with an
 * appeal, any supervisor on an open case, the administrator, and no
 * relation at all), in every status,
 * on every case-scoped page, through the application's own request path
 * in this process (app_handle, no server).
 *
 * The expectations are written out here by hand, not taken from
 * src/access.c: a grant added to or taken from the policy fails this
 * test until it is written here too. A page the route table forbids to
 * the role answers 403; a page of a case the person may not read
 * answers 404 and says nothing of the case; a page of a case the person
 * may read never answers 404 or 403 (it may be 409, "not in this
 * status").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "actor.h"
#include "files.h"
#include "router.h"
#include "status.h"
#include "testlib_http.h"
#include "testlib_journey.h"
#include "testlib_store.h"

/* ---- the policy, by hand ------------------------------------------- */

/* What can be read (the same meanings as access.h, spelt here). */
enum {
	SUMMARY = 1 << 0, APPLICATION = 1 << 1, MATERIALS = 1 << 2,
	FINDINGS = 1 << 3, PAYMENTS = 1 << 4, ASSESSMENT = 1 << 5,
	EXPERT = 1 << 6, NOTICES = 1 << 7, TIMELINE = 1 << 8,
	APPEALS = 1 << 9, ARCHIVE = 1 << 10, DECLARE = 1 << 11
};
#define EVERYTHING	(SUMMARY | APPLICATION | MATERIALS | FINDINGS | \
			 PAYMENTS | ASSESSMENT | EXPERT | NOTICES | TIMELINE | \
			 APPEALS)

/* How a person stands to a case in the fixture. */
enum rel {
	NONE, OWN, LEAD, POOL, TEAM, PANEL, PANEL_PENDING, CERT, SUPERVISING,
	ADMIN, OVERSIGHT
};

/* The statuses a relation reads in, by name. */
static int
is(const char *st, const char *list)
{
	char want[40];

	snprintf(want, sizeof(want), " %s ", st);
	return strstr(list, want) != NULL;
}

#define FINALS	" rejected failed issued withdrawn "

/* What a person in relation rel reads of a case in status st. */
static unsigned
reads(enum rel rel, const char *st)
{
	int submitted = strcmp(st, "draft") != 0;

	switch (rel) {
	case OWN:
		return SUMMARY | APPLICATION | MATERIALS | PAYMENTS | NOTICES |
		    TIMELINE | APPEALS;
	case LEAD:
		return submitted ? EVERYTHING : 0;
	case POOL:
		return is(st, " submitted ") ? SUMMARY | APPLICATION |
		    MATERIALS | FINDINGS | NOTICES | TIMELINE : 0;
	case TEAM:
		return submitted ? SUMMARY | APPLICATION | MATERIALS |
		    FINDINGS | ASSESSMENT | NOTICES | TIMELINE : 0;
	case PANEL:
		return submitted ? SUMMARY | APPLICATION | MATERIALS |
		    ASSESSMENT | EXPERT : 0;
	case PANEL_PENDING:
		return is(st, " expert_review ") ? DECLARE : 0;
	case CERT:
		return is(st, " agreement_sent awaiting_payment "
		    "assessment_planning assessing expert_review failed "
		    "certificate_pending issued withdrawn ") ? SUMMARY |
		    PAYMENTS | NOTICES | TIMELINE : 0;
	case SUPERVISING:
		return submitted ? EVERYTHING : 0;
	case OVERSIGHT:		/* any supervisor, open cases: to reassign */
		return submitted && !is(st, FINALS) ? SUMMARY | TIMELINE : 0;
	case ADMIN:
		return is(st, FINALS) ? SUMMARY | TIMELINE | ARCHIVE : 0;
	default:
		return 0;
	}
}

/* ---- the fixture ---------------------------------------------------- */

/*
 * The people. For every status there are two cases of organisation 1:
 * "a", with lead L1, assessor T on its team, experts P (declared) and Q
 * (not yet) on its panel, and an appeal; and "b", with none of these.
 * A never-submitted draft has no staff at all; "b" in submitted has no
 * lead (the intake pool).
 */
enum person {
	P_APPLICANT, P_OTHER_APPLICANT, P_L1, P_L2, P_T, P_U, P_P, P_Q, P_R,
	P_C, P_S, P_D, NPEOPLE
};

static const struct {
	const char	*role;
	const char	*name;
} people[NPEOPLE] = {
	{ "applicant", "申请人甲" }, { "applicant", "申请人乙" },
	{ "lead", "负责人一" }, { "lead", "负责人二" },
	{ "assessor", "评估员一" }, { "assessor", "评估员二" },
	{ "expert", "专家一" }, { "expert", "专家二" }, { "expert", "专家三" },
	{ "cert_staff", "制证员" }, { "supervisor", "监督员" },
	{ "admin", "管理员" },
};

/* How person p stands to case "a" or "b" in status st. */
static enum rel
relation(enum person p, int a, const char *st)
{
	int submitted = strcmp(st, "draft") != 0;

	if (p == P_APPLICANT)
		return OWN;
	if (p == P_OTHER_APPLICANT || !submitted)
		return NONE;
	switch (p) {
	case P_L1:
		if (a)
			return LEAD;
		return is(st, " submitted ") ? POOL : NONE;
	case P_L2:
		return !a && is(st, " submitted ") ? POOL : NONE;
	case P_T:
		return a ? TEAM : NONE;
	case P_P:
		return a ? PANEL : NONE;
	case P_Q:
		return a ? PANEL_PENDING : NONE;
	case P_C:
		return CERT;
	case P_S:
		return a ? SUPERVISING : OVERSIGHT;
	case P_D:
		return ADMIN;
	default:
		return NONE;
	}
}

/* Every case-scoped page, with what it shows. {n} is the case, {m} a
 * material, notice or assessment file of it. */
static const struct {
	const char	*path;
	unsigned	 needs;		/* any of these parts */
} pages[] = {
	/* A panel member not yet declared is sent on to the declaration. */
	{ "/cases/{n}", SUMMARY | DECLARE },
	{ "/cases/{n}/form/s1", APPLICATION },
	{ "/cases/{n}/form/s8", APPLICATION },
	{ "/cases/{n}/check", APPLICATION },
	{ "/cases/{n}/application.pdf", APPLICATION },	/* once submitted */
	{ "/cases/{n}/materials", MATERIALS },
	{ "/cases/{n}/materials/{m}", MATERIALS },
	{ "/cases/{n}/notices/{m}", NOTICES },
	{ "/cases/{n}/notices/{m}/pdf", NOTICES },
	{ "/cases/{n}/review", FINDINGS },
	{ "/cases/{n}/agreement", PAYMENTS },
	{ "/cases/{n}/agreement/pdf", PAYMENTS },
	{ "/cases/{n}/payment", PAYMENTS },
	{ "/cases/{n}/assessment", ASSESSMENT },
	{ "/cases/{n}/assessment/files/{m}", ASSESSMENT },
	{ "/cases/{n}/expert", EXPERT | DECLARE },
	{ "/cases/{n}/documents", ASSESSMENT | MATERIALS },
	{ "/cases/{n}/appeal", APPEALS },
	{ "/cases/{n}/archive", ARCHIVE },
	{ "/cases/{n}/withdraw", SUMMARY },
};
#define NPAGES	(sizeof(pages) / sizeof(pages[0]))

static char dir[] = "/tmp/zizhi-access.XXXXXX";
static struct store *db;
static long long account[NPEOPLE];
static struct http_client *client[NPEOPLE];

struct fixture_case {
	long long	 id, material, notice, file;
};
static struct fixture_case cases[ST__COUNT][2];

static long long
insert(const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ts_exec(db, sql);
	return sqlite3_last_insert_rowid(store_db(db));
}

/* A session of person p, made in the database (no password check). */
static void
session(enum person p)
{
	client[p] = http_inproc_login(account[p]);
}

static void
make_case(int s, int a, long long org, const char *sha)
{
	const char *st = status_code((enum status)s);
	int submitted = s != ST_DRAFT;
	struct fixture_case *c = &cases[s][a];

	c->id = insert("INSERT INTO cases(org_id, created_by, status, rounds, "
	    "case_no, lead_id) VALUES (%lld, %lld, '%s', %d, %s, %s)", org,
	    account[P_APPLICANT], st, submitted, submitted ? "'SE2-2026-'"
	    " || printf('%05d', (SELECT count(*) + 1 FROM cases))" : "NULL",
	    a && submitted ? "(SELECT id FROM account WHERE name = '负责人一')"
	    : "NULL");
	insert("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (%lld, '2026-03-01T02:00:00Z', '2026-03-01', "
	    "%lld, NULL, 'draft')", c->id, account[P_APPLICANT]);
	if (submitted)
		insert("INSERT INTO event(case_id, at, day, actor_id, "
		    "from_status, to_status) VALUES (%lld, '2026-03-02T02:00:00Z',"
		    " '2026-03-02', %lld, 'draft', '%s')", c->id,
		    account[P_APPLICANT], st);
	c->material = insert("INSERT INTO material(case_id, kind, row, "
	    "filename, mime, size, sha256, uploaded_by, uploaded_at) VALUES "
	    "(%lld, 'business_licence', -1, 'licence.pdf', 'application/pdf', "
	    "%zu, '%s', %lld, '2026-03-01T02:00:00Z')", c->id, tj_pdf_len,
	    sha, account[P_APPLICANT]);
	if (submitted) {
		insert("INSERT INTO round(case_id, n, submitted_at, "
		    "submitted_by) VALUES (%lld, 1, '2026-03-02T02:00:00Z', %lld)",
		    c->id, account[P_APPLICANT]);
		insert("INSERT INTO round_value(round_id, field, row, value) "
		    "VALUES (last_insert_rowid(), 'app_type', -1, 'initial')");
		insert("INSERT INTO round_file(round_id, material_id) VALUES "
		    "((SELECT id FROM round WHERE case_id = %lld), %lld)", c->id,
		    c->material);
	}
	c->notice = insert("INSERT INTO notice(case_id, kind, no, at, day, "
	    "title, body) VALUES (%lld, 'receipt', 'N-%lld', "
	    "'2026-03-02T02:00:00Z', '2026-03-02', '收件凭证', '正文')", c->id,
	    c->id);
	c->file = 0;
	if (!a || !submitted)
		return;
	insert("INSERT INTO team_member(case_id, account_id) VALUES (%lld, "
	    "%lld)", c->id, account[P_T]);
	insert("INSERT INTO panel_member(case_id, account_id, added_by, "
	    "declared_at) VALUES (%lld, %lld, %lld, '2026-03-05T02:00:00Z')",
	    c->id, account[P_P], account[P_L1]);
	insert("INSERT INTO panel_member(case_id, account_id, added_by) "
	    "VALUES (%lld, %lld, %lld)", c->id, account[P_Q], account[P_L1]);
	insert("INSERT INTO appeal(case_id, text, filed_by, filed_at) VALUES "
	    "(%lld, '申诉', %lld, '2026-03-06T02:00:00Z')", c->id,
	    account[P_APPLICANT]);
	insert("INSERT INTO assessment_record(case_id, kind, finding, by_id, "
	    "at) VALUES (%lld, 'interview', '记录', %lld, "
	    "'2026-03-05T02:00:00Z')", c->id, account[P_T]);
	c->file = insert("INSERT INTO assessment_file(record_id, filename, "
	    "mime, size, sha256) VALUES (last_insert_rowid(), 'e.pdf', "
	    "'application/pdf', %zu, '%s')", tj_pdf_len, sha);
	/* assessment_file has no id of its own: its rowid is the id. */
}

static int
setup(void **state)
{
	char path[300], files[300], sha[FILES_HEX_SIZE];
	long long org1, org2;
	int p, s;

	assert_true(sodium_init() >= 0);
	db = ts_open(dir);
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(files, sizeof(files), "%s/files", dir);
	setenv("ZIZHI_DB", path, 1);
	assert_int_equal(files_store(files, tj_pdf, tj_pdf_len, sha), 0);
	org1 = insert("INSERT INTO org(name) VALUES ('矩阵一号信息安全有限公司')");
	org2 = insert("INSERT INTO org(name) VALUES ('矩阵二号信息安全有限公司')");
	for (p = 0; p < NPEOPLE; p++)
		account[p] = insert("INSERT INTO account(email, name, role, "
		    "org_id, password_hash) VALUES ('p%d@matrix.example', '%s', "
		    "'%s', %s, 'x')", p, people[p].name, people[p].role,
		    p == P_APPLICANT ? "(SELECT min(id) FROM org)" :
		    p == P_OTHER_APPLICANT ? "(SELECT max(id) FROM org)" :
		    "NULL");
	assert_true(org2 > org1);
	for (s = 0; s < ST__COUNT; s++) {
		make_case(s, 1, org1, sha);
		make_case(s, 0, org1, sha);
	}
	for (p = 0; p < NPEOPLE; p++)
		session((enum person)p);
	return 0;
}

static int
teardown(void **state)
{
	int p;

	for (p = 0; p < NPEOPLE; p++)
		http_client_free(client[p]);
	http_inproc_close();
	ts_close(db, dir);
	return 0;
}

/* The path of a page: {n} and {m} replaced by n and m. */
static void
expand(char *out, size_t size, const char *tmpl, long long n, long long m)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = tmpl; *p != '\0'; p++) {
		if (strncmp(p, "{n}", 3) == 0 || strncmp(p, "{m}", 3) == 0) {
			buf_printf(&b, "%lld", p[1] == 'n' ? n : m);
			p += 2;
		} else
			buf_putc(&b, *p);
	}
	snprintf(out, size, "%s", b.p);
	buf_free(&b);
}

/* The roles the route table lets use path (GET). */
static unsigned
route_roles(const char *path)
{
	struct request req;
	const struct route *r = NULL;
	unsigned allowed = 0;

	memset(&req, 0, sizeof(req));
	req.path = path;
	req.method = METHOD_GET;
	req.arena = arena_new();
	if (router_match(route_tables, &req, &r, &allowed) != ROUTE_FOUND)
		fail_msg("%s: no GET route", path);
	arena_free(req.arena);
	return r->roles;
}

static void
test_matrix(void **state)
{
	struct http_resp resp;
	char path[128];
	unsigned roles, can;
	long long sub;
	int s, a, p, want404, granted = 0, refused = 0, forbidden = 0;
	int wrong = 0;
	size_t k;
	enum rel rel;

	for (s = 0; s < ST__COUNT; s++)
	for (a = 0; a < 2; a++)
	for (k = 0; k < NPAGES; k++) {
		const struct fixture_case *c = &cases[s][a];
		const char *st = status_code((enum status)s);

		sub = strstr(pages[k].path, "materials/") ? c->material :
		    strstr(pages[k].path, "notices/") ? c->notice :
		    strstr(pages[k].path, "files/") ? c->file : 0;
		if (strstr(pages[k].path, "files/") && sub == 0)
			continue;
		/* A draft has no submitted 申请书 to print: 404 for all. */
		if (strstr(pages[k].path, ".pdf") && s == ST_DRAFT &&
		    strstr(pages[k].path, "application") != NULL)
			continue;
		expand(path, sizeof(path), pages[k].path, c->id, sub);
		roles = route_roles(path);
		for (p = 0; p < NPEOPLE; p++) {
			rel = relation((enum person)p, a, st);
			can = reads(rel, st) & pages[k].needs;
			http_get(client[p], path, &resp);
			if (!(roles & role_bit(people[p].role))) {
				if (resp.status != 403 && ++wrong <= 40)
					printf("WRONG: %s as %s (%s): %ld, want "
					    "403 from the route table\n", path,
					    people[p].name, st, resp.status);
				forbidden++;
			} else {
				want404 = can == 0;
				if ((want404 ? resp.status != 404 :
				    (resp.status == 404 || resp.status == 403))
				    && ++wrong <= 40)
					printf("WRONG: %s as %s (%s, case %s): "
					    "%ld, want %s\n", path,
					    people[p].name, st, a ? "a" : "b",
					    resp.status, want404 ? "404" :
					    "neither 404 nor 403");
				if (want404 && http_body_has(&resp,
				    "矩阵一号") && ++wrong <= 40)
					printf("WRONG: %s as %s: the 404 names "
					    "the organisation\n", path,
					    people[p].name);
				if (want404)
					refused++;
				else
					granted++;
			}
			http_resp_free(&resp);
		}
	}
	printf("access matrix: %d pages read, %d not found, %d forbidden by "
	    "the route table; %d wrong\n", granted, refused, forbidden, wrong);
	assert_int_equal(wrong, 0);
	assert_true(granted > 100 && refused > 100);
}

/*
 * A draft withdrawn before it was ever submitted stays its
 * organisation's alone: no staff role finds it, whatever the status
 * table grants in 已撤回 (an administrator reads finished cases).
 */
static void
test_withdrawn_draft(void **state)
{
	struct http_resp resp;
	char path[64];
	long long id;
	int p;

	(void)state;
	id = insert("INSERT INTO cases(org_id, created_by, status, rounds) "
	    "VALUES (1, %lld, 'withdrawn', 0)", account[P_APPLICANT]);
	insert("INSERT INTO event(case_id, at, day, actor_id, from_status, "
	    "to_status) VALUES (%lld, '2026-03-01T02:00:00Z', '2026-03-01', "
	    "%lld, 'draft', 'withdrawn')", id, account[P_APPLICANT]);
	snprintf(path, sizeof(path), "/cases/%lld", id);
	for (p = 0; p < NPEOPLE; p++) {
		http_get(client[p], path, &resp);
		if (p == P_APPLICANT)
			assert_int_equal(resp.status, 200);
		else if (resp.status != 404 && resp.status != 403)
			fail_msg("%s as %s: %ld, want 404", path,
			    people[p].name, resp.status);
		http_resp_free(&resp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_withdrawn_draft),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
