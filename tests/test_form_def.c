/*
 * test_form_def.c: the 申请书 tables and validation (src/form_def.c):
 * the tables' consistency, every validator with good and bad input,
 * cross-field checks, required-ness by application type, the
 * completeness check on an empty and on a complete application, and the
 * eligibility figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"
#include "form_def.h"
#include "rules.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static zdate
D(const char *s)
{
	zdate d = DATE_NONE;

	if (date_parse(s, &d) != 0)
		fail_msg("test table date \"%s\" does not parse", s);
	return d;
}

/* "Today" in every test. */
#define TODAY	D("2026-03-01")

/* ---- A fake application ------------------------------------------------ */

struct kv {
	const char	*key;
	int		 row;
	const char	*val;
	int		 n;
};

struct fake {
	struct kv	 vals[400];
	size_t		 nvals;
	struct kv	 rows[16];
	size_t		 nrows;
	struct kv	 files[16];
	size_t		 nfiles;
	int		 files_all;	/* count for kinds not in files[] */
	char		 uscc[32];
	struct fdef_cert certs[4];	/* the organisation's, in the register */
	size_t		 ncerts;
	zdate		 filed;		/* DATE_NONE: a draft */
};

/*
 * Sets a value as the pages store it: a sources holds stored values, so
 * an amount typed in 元 ("1,000,000.50") is kept in 分, as saving a
 * section does. A value that is not valid money is kept as typed, so the
 * checks see it and call it invalid.
 */
static struct arena *money_arena;

static void
set(struct fake *fk, const char *key, int row, const char *val)
{
	const struct fdef_field *f = fdef_field_find(key, NULL);
	const char *norm, *err;
	size_t i;

	if (f != NULL && f->kind == FDEF_MONEY && val != NULL) {
		if (money_arena == NULL)
			money_arena = arena_new();
		if (fdef_validate(money_arena, f, val, 0, 0, &norm, &err) ==
		    FDEF_COMPLETE)
			val = norm;
	}

	for (i = 0; i < fk->nvals; i++)
		if (strcmp(fk->vals[i].key, key) == 0 && fk->vals[i].row == row) {
			fk->vals[i].val = val;
			return;
		}
	if (fk->nvals == NELEM(fk->vals))
		fail_msg("fake: too many values");
	fk->vals[fk->nvals].key = key;
	fk->vals[fk->nvals].row = row;
	fk->vals[fk->nvals++].val = val;
}

static void
set_rows(struct fake *fk, const char *group, int n)
{
	size_t i;

	for (i = 0; i < fk->nrows; i++)
		if (strcmp(fk->rows[i].key, group) == 0) {
			fk->rows[i].n = n;
			return;
		}
	fk->rows[fk->nrows].key = group;
	fk->rows[fk->nrows++].n = n;
}

static void
set_files(struct fake *fk, const char *kind, int row, int n)
{
	size_t i;

	for (i = 0; i < fk->nfiles; i++)
		if (strcmp(fk->files[i].key, kind) == 0 &&
		    fk->files[i].row == row) {
			fk->files[i].n = n;
			return;
		}
	fk->files[fk->nfiles].key = kind;
	fk->files[fk->nfiles].row = row;
	fk->files[fk->nfiles++].n = n;
}

static const char *
fake_get(void *ctx, const char *field, int row)
{
	struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->nvals; i++)
		if (strcmp(fk->vals[i].key, field) == 0 && fk->vals[i].row == row)
			return fk->vals[i].val;
	return NULL;
}

static int
fake_rows(void *ctx, const char *group)
{
	struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->nrows; i++)
		if (strcmp(fk->rows[i].key, group) == 0)
			return fk->rows[i].n;
	return 0;
}

static int
fake_files(void *ctx, const char *kind, int row)
{
	struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->nfiles; i++)
		if (strcmp(fk->files[i].key, kind) == 0 && fk->files[i].row == row)
			return fk->files[i].n;
	return fk->files_all;
}

static int
fake_cert(void *ctx, const char *no, struct fdef_cert *out)
{
	struct fake *fk = ctx;
	size_t i;

	for (i = 0; i < fk->ncerts; i++)
		if (strcmp(fk->certs[i].no, no) == 0) {
			*out = fk->certs[i];
			return 1;
		}
	return 0;
}

/* A certificate of the organisation in the fake register. */
static struct fdef_cert *
set_cert(struct fake *fk, const char *no, const char *expires)
{
	struct fdef_cert *c = &fk->certs[fk->ncerts++];

	memset(c, 0, sizeof(*c));
	c->no = no;
	c->expires = D(expires);
	return c;
}

static struct fdef_source
source(struct fake *fk)
{
	struct fdef_source s;

	s.ctx = fk;
	s.get = fake_get;
	s.rows = fake_rows;
	s.files = fake_files;
	s.cert = fake_cert;
	s.filed = fk->filed;
	return s;
}

/* A valid credit code: 17 characters and their check character. */
static void
make_uscc(char *buf)
{
	char c;

	strcpy(buf, "91110108MA01C2XK3");
	c = uscc_check_char(buf);
	assert_true(c != '\0');
	buf[17] = c;
	buf[18] = '\0';
	assert_int_equal(uscc_validate(buf), USCC_OK);
}

/*
 * A complete initial application, typed as a person would (commas in
 * money, full-width digits here and there): every check passes.
 */
static void
fill_sample(struct fake *fk)
{
	static const char *const pa[] = {
		"pa01", "pa02", "pa03", "pa04", "pa05", "pa06", "pa07",
		"pa08", "pa09", "pa10", "pa11", "pa12", "pa13", "pa14",
		"pa15", "pa16", "pa17", "pa18", "pa19", "pa20", "pa21",
		"pa22"
	};
	static const char *const years[] = { "2023", "2024", "2025" };
	static const char *const roles[][3] = {
		{ "key_legal_name", "key_legal_title", "key_legal_phone" },
		{ "key_tech_name", "key_tech_title", "key_tech_phone" },
		{ "key_finance_name", "key_finance_title", "key_finance_phone" },
		{ "key_quality_name", "key_quality_title", "key_quality_phone" },
	};
	size_t i;
	int r;

	memset(fk, 0, sizeof(*fk));
	fk->files_all = 1;
	make_uscc(fk->uscc);

	/* 一 */
	set(fk, "org_name", FDEF_NOROW, "北京某某信息安全技术有限公司");
	set(fk, "org_name_en", FDEF_NOROW, "Mouxin Security Co., Ltd.");
	set(fk, "uscc", FDEF_NOROW, fk->uscc);
	set(fk, "legal_rep", FDEF_NOROW, "张三");
	set(fk, "org_nature", FDEF_NOROW, "limited");
	set(fk, "reg_capital", FDEF_NOROW, "10,000,000");
	set(fk, "founded", FDEF_NOROW, "2015-06-01");
	set(fk, "biz_start", FDEF_NOROW, "2016-01-15");
	set(fk, "reg_address", FDEF_NOROW, "北京市海淀区某某路1号");
	set(fk, "office_address", FDEF_NOROW, "北京市海淀区某某路1号5层");
	set(fk, "postcode", FDEF_NOROW, "１０００８５");
	set(fk, "contact_name", FDEF_NOROW, "李四");
	set(fk, "contact_phone", FDEF_NOROW, "010-62345678");
	set(fk, "contact_mobile", FDEF_NOROW, "138 0013 8000");
	set(fk, "contact_email", FDEF_NOROW, "lisi@example.com");
	set(fk, "website", FDEF_NOROW, "https://www.example.com");
	set(fk, "app_type", FDEF_NOROW, "initial");
	set(fk, "l1_cert_no", FDEF_NOROW, "CNITSEC2023SE1001");
	set(fk, "l1_cert_expiry", FDEF_NOROW, "2026-12-31");

	/* 二 */
	set(fk, "profile", FDEF_NOROW, "本单位专注于信息安全工程服务。");
	set(fk, "history", FDEF_NOROW, "2015年成立，2016年开始信息安全服务。");
	set(fk, "management", FDEF_NOROW, "设有质量部，通过 ISO 9001 认证。");

	/* 三 */
	set_rows(fk, "finance", 3);
	for (r = 0; r < 3; r++) {
		set(fk, "fin_year", r, years[r]);
		set(fk, "fin_total_assets", r, r == 2 ? "5,000,000" : "4000000");
		set(fk, "fin_net_assets", r, "3,000,000.50");
		set(fk, "fin_revenue", r, "8000000");
		set(fk, "fin_sec_revenue", r, "6000000");
		set(fk, "fin_profit", r, r == 0 ? "-200,000" : "500000");
		set(fk, "fin_tax", r, "300000");
	}

	/* 四 */
	set(fk, "staff_total", FDEF_NOROW, "30");
	set(fk, "staff_eng", FDEF_NOROW, "20");
	set(fk, "staff_cisp", FDEF_NOROW, "6");
	set(fk, "edu_doctor", FDEF_NOROW, "1");
	set(fk, "edu_master", FDEF_NOROW, "5");
	set(fk, "edu_bachelor", FDEF_NOROW, "20");
	set(fk, "edu_college", FDEF_NOROW, "3");
	set(fk, "edu_other", FDEF_NOROW, "1");
	set(fk, "title_senior", FDEF_NOROW, "3");
	set(fk, "title_middle", FDEF_NOROW, "10");
	set(fk, "title_junior", FDEF_NOROW, "12");
	set(fk, "title_none", FDEF_NOROW, "5");
	for (i = 0; i < NELEM(roles); i++) {
		set(fk, roles[i][0], FDEF_NOROW, "王五");
		set(fk, roles[i][1], FDEF_NOROW, "高级工程师");
		set(fk, roles[i][2], FDEF_NOROW, "010-62345678");
	}
	/* Rows 0-5: full-time, valid CISP; 6: part-time with CISP;
	 * 7: full-time, CISP expired. */
	set_rows(fk, "roster", 8);
	for (r = 0; r < 8; r++) {
		set(fk, "st_name", r, "赵六");
		set(fk, "st_edu", r, "bachelor");
		set(fk, "st_title", r, "middle");
		set(fk, "st_post", r, "安全工程师");
		set(fk, "st_start", r, "2019-07-01");
		set(fk, "st_fulltime", r, r == 6 ? "no" : "yes");
		set(fk, "st_cisp_no", r, "CISP-2020-0001");
		set(fk, "st_cisp_type", r, "cise");
		set(fk, "st_cisp_expiry", r, r == 7 ? "2025-12-31" :
		    "2027-06-30");
	}

	/* 五 */
	set(fk, "tools", FDEF_NOROW, "漏洞扫描器、渗透测试平台、测试实验室。");
	set_rows(fk, "products", 1);
	set(fk, "prod_name", 0, "某某安全网关");
	set(fk, "prod_kind", 0, "防火墙");
	set_rows(fk, "ip", 1);
	set(fk, "ip_kind", 0, "software");
	set(fk, "ip_name", 0, "某某安全评估系统V1.0");
	set(fk, "ip_no", 0, "2020SR123456");
	set(fk, "ip_date", 0, "2020-05-20");

	/* 六, 七 */
	for (i = 0; i < NELEM(pa); i++)
		set(fk, pa[i], FDEF_NOROW, "已建立相应制度并按计划执行、验证和跟踪。");

	/* 八: 0 and 1 count (2.3 million); 2 ended too long ago; 3 runs. */
	set_rows(fk, "projects", 4);
	for (r = 0; r < 4; r++) {
		set(fk, "proj_name", r, "某某系统安全工程");
		set(fk, "proj_client", r, "某某集团");
		set(fk, "proj_content", r, "安全需求分析、安全设计与实施、验证");
		set(fk, "proj_manager", r, "李四");
	}
	set(fk, "proj_value", 0, "1,500,000");
	set(fk, "proj_start", 0, "2024-01-10");
	set(fk, "proj_end", 0, "2024-12-20");
	set(fk, "proj_accept", 0, "accepted");
	set(fk, "proj_complete", 0, "yes");
	set(fk, "proj_value", 1, "800000.00");
	set(fk, "proj_start", 1, "2025-02-01");
	set(fk, "proj_end", 1, "2025-10-31");
	set(fk, "proj_accept", 1, "accepted");
	set(fk, "proj_complete", 1, "no");
	set(fk, "proj_value", 2, "3000000");
	set(fk, "proj_start", 2, "2021-01-01");
	set(fk, "proj_end", 2, "2022-06-30");
	set(fk, "proj_accept", 2, "accepted");
	set(fk, "proj_complete", 2, "no");
	set(fk, "proj_value", 3, "900000");
	set(fk, "proj_start", 3, "2025-11-01");
	set(fk, "proj_end", 3, "2026-06-30");
	set(fk, "proj_accept", 3, "ongoing");
	set(fk, "proj_complete", 3, "no");

	/* 九, 十, 十一 */
	set_rows(fk, "awards", 1);
	set(fk, "aw_name", 0, "ISO/IEC 27001 认证");
	set(fk, "aw_issuer", 0, "某认证机构");
	set(fk, "plan", FDEF_NOROW, "三年内扩大安全工程团队。");

	/* 声明 */
	set(fk, "decl_accept", FDEF_NOROW, "on");
	set(fk, "decl_lawful", FDEF_NOROW, "yes");
	set(fk, "signer", FDEF_NOROW, "张三");
	set(fk, "sign_date", FDEF_NOROW, "2026-02-28");
}

/* Prints a report (on failure, to see why). */
static void
dump(const struct fdef_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		print_message("  %s %s%s%s row %d [%s] %s\n",
		    rep->v[i].section,
		    rep->v[i].field ? rep->v[i].field : "",
		    rep->v[i].material ? rep->v[i].material : "",
		    rep->v[i].group && !rep->v[i].field && !rep->v[i].material ?
		    rep->v[i].group : "",
		    rep->v[i].row, fdef_state_code(rep->v[i].state),
		    rep->v[i].summary);
}

/* The problem for (field or material or group, row), or NULL. */
static const struct fdef_problem *
find_problem(const struct fdef_report *rep, const char *name, int row)
{
	size_t i;
	const struct fdef_problem *p;

	for (i = 0; i < rep->n; i++) {
		p = &rep->v[i];
		if (p->row != row)
			continue;
		if ((p->field != NULL && strcmp(p->field, name) == 0) ||
		    (p->material != NULL && strcmp(p->material, name) == 0) ||
		    (p->field == NULL && p->material == NULL &&
		    p->group != NULL && strcmp(p->group, name) == 0))
			return p;
	}
	return NULL;
}

static int
has_cjk(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* ---- The tables -------------------------------------------------------- */

static void
test_tables(void **state)
{
	static const char *const ids[] = {
		"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
		"s11", "s12", "decl"
	};
	const char *names[400];
	size_t nnames = 0, i, j, k, m;
	const struct fdef_section *s, *s2;
	const struct fdef_field *f;
	const struct fdef_material *mt;
	const struct fdef_option *o, *o2;

	assert_int_equal(fdef_nsections(), NELEM(ids));
	assert_null(fdef_section_at(NELEM(ids)));
	assert_null(fdef_section_find("s13"));
	assert_null(fdef_field_find("nonesuch", NULL));
	for (i = 0; i < NELEM(ids); i++) {
		s = fdef_section_at(i);
		assert_non_null(s);
		assert_string_equal(s->id, ids[i]);
		assert_ptr_equal(fdef_section_find(ids[i]), s);
		assert_int_equal(fdef_section_index(ids[i]), (int)i);
		if (!has_cjk(s->title))
			fail_msg("section %s: no Chinese title", s->id);
		assert_non_null(s->intro);
		assert_non_null(s->num);
		if (strcmp(s->id, "decl") != 0 && !has_cjk(s->num))
			fail_msg("section %s: no number", s->id);
		if (s->nfields == 0 && s->nmaterials == 0)
			fail_msg("section %s is empty", s->id);

		for (j = 0; j < s->nfields; j++) {
			f = &s->fields[j];
			if (f->name == NULL || f->name[0] == '\0' ||
			    !has_cjk(f->label))
				fail_msg("%s field %zu: name or Chinese label missing",
				    s->id, j);
			if (f->help == NULL || f->example == NULL)
				fail_msg("%s: help or example NULL", f->name);
			assert_ptr_equal(fdef_field_find(f->name, &s2), f);
			assert_ptr_equal(s2, s);
			names[nnames++] = f->name;
			if ((f->kind == FDEF_TEXT || f->kind == FDEF_TEXTAREA) &&
			    f->maxlen == 0)
				fail_msg("%s: text without maxlen", f->name);
			if (f->kind == FDEF_INT && f->maxval <= 0)
				fail_msg("%s: int without maxval", f->name);
			if (f->kind == FDEF_SELECT) {
				if (f->options == NULL || f->options[0].code == NULL)
					fail_msg("%s: select without options", f->name);
				for (o = f->options; o->code != NULL; o++) {
					if (!has_cjk(o->label))
						fail_msg("%s: option %s without a Chinese label",
						    f->name, o->code);
					for (o2 = f->options; o2 < o; o2++)
						if (strcmp(o2->code, o->code) == 0)
							fail_msg("%s: option %s twice",
							    f->name, o->code);
				}
			}
			if (f->group != NULL) {
				/* The group belongs to this section, and its
				 * fields are contiguous. */
				for (k = 0; s->groups[k] != NULL; k++)
					if (s->groups[k] == f->group)
						break;
				if (s->groups[k] == NULL)
					fail_msg("%s: group %s not in section %s",
					    f->name, f->group->name, s->id);
				if (j > 0 && s->fields[j - 1].group != f->group)
					for (k = 0; k + 1 < j; k++)
						if (s->fields[k].group == f->group)
							fail_msg("%s: group %s not contiguous",
							    f->name, f->group->name);
			}
		}
		for (k = 0; s->groups[k] != NULL; k++) {
			const struct fdef_group *g = s->groups[k];

			if (!has_cjk(g->label) || !has_cjk(g->add_label) ||
			    !has_cjk(g->row_label) || g->help == NULL)
				fail_msg("group %s: Chinese labels missing", g->name);
			if (g->min < 0 || g->max < 1 || g->min > g->max)
				fail_msg("group %s: bad min/max", g->name);
			assert_ptr_equal(fdef_group_find(g->name, &s2), g);
			assert_ptr_equal(s2, s);
			names[nnames++] = g->name;
			for (j = 0; j < s->nfields; j++)
				if (s->fields[j].group == g)
					break;
			if (j == s->nfields)
				fail_msg("group %s has no fields", g->name);
		}
		for (m = 0; m < s->nmaterials; m++) {
			mt = &s->materials[m];
			if (!has_cjk(mt->label) || !has_cjk(mt->help))
				fail_msg("material %s: Chinese label missing",
				    mt->code);
			if (mt->types == 0 || mt->maxfiles < 1)
				fail_msg("material %s: no types or maxfiles",
				    mt->code);
			assert_ptr_equal(fdef_material_find(mt->code, &s2), mt);
			assert_ptr_equal(s2, s);
			names[nnames++] = mt->code;
			if (mt->req_field != NULL) {
				f = fdef_field_find(mt->req_field, &s2);
				if (f == NULL || s2 != s || f->group != mt->group)
					fail_msg("material %s: req_field %s not in its rows",
					    mt->code, mt->req_field);
			}
			if (mt->group != NULL) {
				for (k = 0; s->groups[k] != NULL; k++)
					if (s->groups[k] == mt->group)
						break;
				if (s->groups[k] == NULL)
					fail_msg("material %s: group elsewhere", mt->code);
			}
		}
		assert_true(nnames < NELEM(names) - 50);
	}
	/* Field names, group names and material codes: all unique. */
	for (i = 0; i < nnames; i++)
		for (j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				fail_msg("name %s used twice", names[i]);

	/* The process areas, with the names of GB/T 20261-2020. */
	assert_string_equal(fdef_field_find("pa01", &s)->label,
	    "PA01 管理安全控制");
	assert_string_equal(s->id, "s6");
	assert_string_equal(fdef_field_find("pa11", &s)->label,
	    "PA11 验证和确认安全");
	assert_string_equal(s->id, "s6");
	assert_string_equal(fdef_field_find("pa12", &s)->label,
	    "PA12 确保质量");
	assert_string_equal(s->id, "s7");
	assert_string_equal(fdef_field_find("pa22", &s)->label,
	    "PA22 与供应商协调");
	assert_int_equal(fdef_section_find("s6")->nfields, 11);
	assert_int_equal(fdef_section_find("s7")->nfields, 11);
	assert_int_equal(fdef_section_find("s6")->nmaterials, 11);

	/* Groups of the brief. */
	assert_int_equal(fdef_group_find("finance", NULL)->min, 3);
	assert_int_equal(fdef_group_find("finance", NULL)->max, 3);
	assert_int_equal(fdef_group_find("roster", NULL)->max, 500);
	assert_int_equal(fdef_group_find("projects", NULL)->max, 200);

	/* Materials of the brief. */
	mt = fdef_material_find("sealed_form", &s);
	assert_non_null(mt);
	assert_string_equal(s->id, "decl");
	assert_int_equal(mt->req, FDEF_REQUIRED);
	assert_int_equal(mt->types, FDEF_PDF);
	assert_true(fdef_type_allowed(mt, "application/pdf"));
	assert_false(fdef_type_allowed(mt, "image/png"));
	assert_string_equal(fdef_types_zh(mt), "PDF");
	mt = fdef_material_find("business_licence", &s);
	assert_string_equal(s->id, "s1");
	assert_int_equal(mt->req, FDEF_REQUIRED);
	assert_true(fdef_type_allowed(mt, "image/jpeg"));
	assert_false(fdef_type_allowed(mt, "text/html"));
	assert_string_equal(fdef_types_zh(mt), "PDF、JPEG、PNG");
	mt = fdef_material_find("audit_report", &s);
	assert_string_equal(s->id, "s3");
	assert_ptr_equal(mt->group, fdef_group_find("finance", NULL));
	assert_int_equal(mt->req, FDEF_REQUIRED);
	fdef_material_find("org_chart", &s);
	assert_string_equal(s->id, "s2");
	fdef_material_find("other_files", &s);
	assert_string_equal(s->id, "s12");
	fdef_material_find("pa22_evidence", &s);
	assert_string_equal(s->id, "s7");
	assert_non_null(fdef_material_find("social_insurance", NULL));
	assert_non_null(fdef_material_find("cisp_cert", NULL));
	assert_non_null(fdef_material_find("contract", NULL));
	assert_non_null(fdef_material_find("acceptance", NULL));
	assert_non_null(fdef_material_find("mgmt_docs", NULL));

	/* Options and controls. */
	f = fdef_field_find("st_fulltime", NULL);
	assert_string_equal(fdef_option_label(f, "yes"), "是");
	assert_null(fdef_option_label(f, "maybe"));
	f = fdef_field_find("app_type", NULL);
	assert_string_equal(fdef_option_label(f,
	    rules_apptype_code(RULES_APP_INITIAL)),
	    rules_apptype_zh(RULES_APP_INITIAL));
	assert_string_equal(fdef_option_label(f,
	    rules_apptype_code(RULES_APP_MAINTENANCE)),
	    rules_apptype_zh(RULES_APP_MAINTENANCE));
	assert_string_equal(fdef_kind_input(FDEF_CHECK), "checkbox");
	assert_string_equal(fdef_kind_inputmode(FDEF_MONEY), "decimal");
	assert_string_equal(fdef_kind_code(FDEF_USCC), "uscc");
}

/* ---- Validators ---------------------------------------------------------- */

struct vcase {
	const char	*field;
	const char	*in;
	int		 required;
	enum fdef_state	 want;
	const char	*value;		/* when want is FDEF_COMPLETE */
};

static const struct vcase vcases[] = {
	/* Money, typed in 元, stored in 分. */
	{ "reg_capital", "1000000", 1, FDEF_COMPLETE, "100000000" },
	{ "reg_capital", "1,000,000", 1, FDEF_COMPLETE, "100000000" },
	{ "reg_capital", "1000000.5", 1, FDEF_COMPLETE, "100000050" },
	{ "reg_capital", "1000000.50", 1, FDEF_COMPLETE, "100000050" },
	{ "reg_capital", "1,000.5", 1, FDEF_COMPLETE, "100050" },
	{ "reg_capital", " 0.05 ", 1, FDEF_COMPLETE, "5" },
	{ "reg_capital", "0", 1, FDEF_COMPLETE, "0" },
	{ "reg_capital", "-0", 1, FDEF_COMPLETE, "0" },
	{ "reg_capital", "00012", 1, FDEF_COMPLETE, "1200" },
	{ "reg_capital", "１，０００", 1, FDEF_COMPLETE, "100000" },
	{ "reg_capital", "1000000000000", 1, FDEF_COMPLETE,
	    "100000000000000" },
	{ "reg_capital", "1000000000000.01", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "10000000000000", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "99999999999999999999999", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "-1", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "abc", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1.234", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1,00,000", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1,0000", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1000,000", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "12,", 1, FDEF_INVALID, NULL },
	{ "reg_capital", ",100", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1.", 1, FDEF_INVALID, NULL },
	{ "reg_capital", ".5", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1e6", 1, FDEF_INVALID, NULL },
	/* As people write amounts: in 万 (元), with 元 after them. */
	{ "reg_capital", "100万", 1, FDEF_COMPLETE, "100000000" },
	{ "reg_capital", "8.7万", 1, FDEF_COMPLETE, "8700000" },
	{ "reg_capital", "8.75万元", 1, FDEF_COMPLETE, "8750000" },
	{ "reg_capital", "1,000万", 1, FDEF_COMPLETE, "1000000000" },
	{ "reg_capital", "1,000 万元", 1, FDEF_COMPLETE, "1000000000" },
	{ "reg_capital", "87000元", 1, FDEF_COMPLETE, "8700000" },
	{ "reg_capital", "8.755万", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "1,00万", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "万", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "100000001万", 1, FDEF_INVALID, NULL },
	{ "reg_capital", "", 1, FDEF_MISSING, NULL },
	{ "reg_capital", "   ", 1, FDEF_MISSING, NULL },
	{ "reg_capital", NULL, 1, FDEF_MISSING, NULL },
	{ "reg_capital", "", 0, FDEF_COMPLETE, "" },
	{ "fin_profit", "-1,000.5", 1, FDEF_COMPLETE, "-100050" },
	{ "fin_net_assets", "-5", 1, FDEF_COMPLETE, "-500" },
	{ "fin_tax", "-5", 1, FDEF_INVALID, NULL },

	/* Dates; founded may not be in the future (today 2026-03-01). */
	{ "founded", "2024-03-15", 1, FDEF_COMPLETE, "2024-03-15" },
	{ "founded", "2026-03-01", 1, FDEF_COMPLETE, "2026-03-01" },
	{ "founded", "2026-03-02", 1, FDEF_INVALID, NULL },
	{ "founded", "2026-02-30", 1, FDEF_INVALID, NULL },
	{ "founded", "2023-02-29", 1, FDEF_INVALID, NULL },
	{ "founded", "2024-02-29", 1, FDEF_COMPLETE, "2024-02-29" },
	/* The ways people type a day, one stored form. */
	{ "founded", "2026/01/01", 1, FDEF_COMPLETE, "2026-01-01" },
	{ "founded", "2026/1/1", 1, FDEF_COMPLETE, "2026-01-01" },
	{ "founded", "2026-1-1", 1, FDEF_COMPLETE, "2026-01-01" },
	{ "founded", "2025.12.31", 1, FDEF_COMPLETE, "2025-12-31" },
	{ "founded", "2026年3月1日", 1, FDEF_COMPLETE, "2026-03-01" },
	{ "founded", "2026年03月01号", 1, FDEF_COMPLETE, "2026-03-01" },
	{ "founded", "２０２６年３月１日", 1, FDEF_COMPLETE, "2026-03-01" },
	{ "founded", "20240315", 1, FDEF_COMPLETE, "2024-03-15" },
	{ "founded", "2026/2/30", 1, FDEF_INVALID, NULL },
	{ "founded", "2026/13/1", 1, FDEF_INVALID, NULL },
	{ "founded", "2026-1/1", 1, FDEF_INVALID, NULL },
	{ "founded", "2026年3月", 1, FDEF_INVALID, NULL },
	{ "founded", "26/3/1", 1, FDEF_INVALID, NULL },
	{ "founded", "1899-12-31", 1, FDEF_INVALID, NULL },
	{ "founded", "", 1, FDEF_MISSING, NULL },
	{ "l1_cert_expiry", "2027-12-31", 1, FDEF_COMPLETE, "2027-12-31" },
	{ "proj_end", "2030-01-01", 1, FDEF_COMPLETE, "2030-01-01" },

	/* 统一社会信用代码: see test_uscc for valid ones. */
	{ "uscc", "91110108MA01C2XK", 1, FDEF_INVALID, NULL },
	{ "uscc", "91110108MA01C2XKI3", 1, FDEF_INVALID, NULL },
	{ "uscc", "", 1, FDEF_MISSING, NULL },

	/* Postcode. */
	{ "postcode", "100085", 1, FDEF_COMPLETE, "100085" },
	{ "postcode", "１０００８５", 1, FDEF_COMPLETE, "100085" },
	{ "postcode", "10008", 1, FDEF_INVALID, NULL },
	{ "postcode", "1000850", 1, FDEF_INVALID, NULL },
	{ "postcode", "10008a", 1, FDEF_INVALID, NULL },

	/* Mobile. */
	{ "contact_mobile", "13800138000", 1, FDEF_COMPLETE, "13800138000" },
	{ "contact_mobile", "+86 138-0013-8000", 1, FDEF_COMPLETE,
	    "13800138000" },
	{ "contact_mobile", "1380013800", 1, FDEF_INVALID, NULL },
	{ "contact_mobile", "138001380001", 1, FDEF_INVALID, NULL },
	{ "contact_mobile", "23800138000", 1, FDEF_INVALID, NULL },
	{ "contact_mobile", "1380013800a", 1, FDEF_INVALID, NULL },

	/* Landline. */
	{ "contact_phone", "010-12345678", 1, FDEF_COMPLETE, "010-12345678" },
	{ "contact_phone", "(010) 1234 5678", 1, FDEF_COMPLETE,
	    "(010) 1234 5678" },
	{ "contact_phone", "+86 10 12345678", 1, FDEF_COMPLETE,
	    "+86 10 12345678" },
	{ "contact_phone", "12345", 1, FDEF_INVALID, NULL },
	{ "contact_phone", "010-1234abcd", 1, FDEF_INVALID, NULL },
	{ "contact_phone", "010-1234-5678-9012-34", 1, FDEF_INVALID, NULL },
	{ "contact_phone", "-- () -- ()", 1, FDEF_INVALID, NULL },

	/* E-mail. */
	{ "contact_email", "zhangsan@example.com", 1, FDEF_COMPLETE,
	    "zhangsan@example.com" },
	{ "contact_email", "Zhang.San@Example.COM", 1, FDEF_COMPLETE,
	    "Zhang.San@example.com" },
	{ "contact_email", "li-si+apply@mail.example.com.cn", 1, FDEF_COMPLETE,
	    "li-si+apply@mail.example.com.cn" },
	{ "contact_email", "zhangsan＠example.com", 1, FDEF_COMPLETE,
	    "zhangsan@example.com" },
	{ "contact_email", "a@b", 1, FDEF_INVALID, NULL },
	{ "contact_email", "a@@b.com", 1, FDEF_INVALID, NULL },
	{ "contact_email", "a..b@x.com", 1, FDEF_INVALID, NULL },
	{ "contact_email", "@x.com", 1, FDEF_INVALID, NULL },
	{ "contact_email", "a@-x.com", 1, FDEF_INVALID, NULL },
	{ "contact_email", "a b@x.com", 1, FDEF_INVALID, NULL },
	{ "contact_email", "张三@example.com", 1, FDEF_INVALID, NULL },

	/* URL. */
	{ "website", "https://www.example.com", 0, FDEF_COMPLETE,
	    "https://www.example.com" },
	{ "website", "http://example.com:8080/a?b=1", 0, FDEF_COMPLETE,
	    "http://example.com:8080/a?b=1" },
	{ "website", "", 0, FDEF_COMPLETE, "" },
	{ "website", "www.example.com", 0, FDEF_COMPLETE,
	    "http://www.example.com" },
	{ "website", "example.com/about", 0, FDEF_COMPLETE,
	    "http://example.com/about" },
	{ "website", "example", 0, FDEF_INVALID, NULL },
	{ "website", "ftp://example.com", 0, FDEF_INVALID, NULL },
	{ "website", "https://exa mple.com", 0, FDEF_INVALID, NULL },
	{ "website", "https://example.com/a b", 0, FDEF_INVALID, NULL },
	{ "website", "javascript:alert(1)", 0, FDEF_INVALID, NULL },
	{ "website", "https://", 0, FDEF_INVALID, NULL },
	{ "website", "https://localhost", 0, FDEF_INVALID, NULL },

	/* Select, yes/no, check. */
	/* Names that break documents (issue 14, item 11): a bidi override,
	 * an isolate, a noncharacter, a zero-width space. */
	{ "org_name", "某某\xe2\x80\xae公司", 1, FDEF_INVALID, NULL },
	{ "org_name", "某某\xe2\x81\xa6公司", 1, FDEF_INVALID, NULL },
	{ "org_name", "某某公司\xf4\x8f\xbf\xbf", 1, FDEF_INVALID, NULL },
	{ "legal_rep", "张\xe2\x80\x8b三", 1, FDEF_INVALID, NULL },
	{ "org_nature", "limited", 1, FDEF_COMPLETE, "limited" },
	{ "org_nature", "foo", 1, FDEF_INVALID, NULL },
	{ "org_nature", "有限责任公司", 1, FDEF_INVALID, NULL },
	{ "org_nature", "", 1, FDEF_MISSING, NULL },
	{ "app_type", "maintenance", 1, FDEF_COMPLETE, "maintenance" },
	{ "app_type", "renewal", 1, FDEF_INVALID, NULL },
	{ "st_fulltime", "yes", 1, FDEF_COMPLETE, "yes" },
	{ "st_fulltime", "no", 1, FDEF_COMPLETE, "no" },
	{ "st_fulltime", "maybe", 1, FDEF_INVALID, NULL },
	{ "decl_accept", "on", 1, FDEF_COMPLETE, "yes" },
	{ "decl_accept", "yes", 1, FDEF_COMPLETE, "yes" },
	{ "decl_accept", "", 1, FDEF_MISSING, NULL },
	{ "decl_accept", "off", 1, FDEF_MISSING, NULL },
	{ "decl_accept", "", 0, FDEF_COMPLETE, "" },
	{ "decl_accept", "whatever", 1, FDEF_INVALID, NULL },

	/* Year (not in the future). */
	{ "fin_year", "2024", 1, FDEF_COMPLETE, "2024" },
	{ "fin_year", "２０２４", 1, FDEF_COMPLETE, "2024" },
	{ "fin_year", "24", 1, FDEF_INVALID, NULL },
	{ "fin_year", "2027", 1, FDEF_INVALID, NULL },
	{ "fin_year", "1899", 1, FDEF_INVALID, NULL },
	{ "fin_year", "20x4", 1, FDEF_INVALID, NULL },

	/* Non-negative integers with a maximum. */
	{ "staff_total", "25", 1, FDEF_COMPLETE, "25" },
	{ "staff_total", "025", 1, FDEF_COMPLETE, "25" },
	{ "staff_total", "0", 1, FDEF_COMPLETE, "0" },
	{ "staff_total", "100000", 1, FDEF_COMPLETE, "100000" },
	{ "staff_total", "100001", 1, FDEF_INVALID, NULL },
	{ "staff_total", "-1", 1, FDEF_INVALID, NULL },
	{ "staff_total", "1.5", 1, FDEF_INVALID, NULL },
	{ "staff_total", "1,000", 1, FDEF_INVALID, NULL },
	{ "staff_total", "99999999999999999999", 1, FDEF_INVALID, NULL },

	/* Text. */
	{ "org_name", "  北京某某信息安全技术有限公司　", 1, FDEF_COMPLETE,
	    "北京某某信息安全技术有限公司" },
	{ "org_name", "a\tb", 1, FDEF_COMPLETE, "a b" },
	{ "org_name", "a\nb", 1, FDEF_INVALID, NULL },
	{ "org_name", "a\x01" "b", 1, FDEF_INVALID, NULL },
	{ "org_name", "a\x7f" "b", 1, FDEF_INVALID, NULL },
	{ "org_name", "a\xc2\x85" "b", 1, FDEF_INVALID, NULL },
	{ "org_name", "a\xff" "b", 1, FDEF_INVALID, NULL },
	{ "org_name", "\xe4\xb8", 1, FDEF_INVALID, NULL },
	{ "org_name", "　", 1, FDEF_MISSING, NULL },
	{ "profile", "第一行\r\n第二行\r第三行\n\t缩进", 1, FDEF_COMPLETE,
	    "第一行\n第二行\n第三行\n\t缩进" },
	{ "profile", "响铃\x07", 1, FDEF_INVALID, NULL },
};

static void
test_validators(void **state)
{
	struct arena *a = arena_new();
	const struct fdef_field *f;
	const char *v, *err;
	enum fdef_state st;
	size_t i;

	for (i = 0; i < NELEM(vcases); i++) {
		const struct vcase *c = &vcases[i];

		f = fdef_field_find(c->field, NULL);
		if (f == NULL)
			fail_msg("case %zu: no field %s", i, c->field);
		st = fdef_validate(a, f, c->in, c->required, TODAY, &v, &err);
		if (st != c->want)
			fail_msg("case %zu: %s \"%s\": state %s, want %s (%s)", i,
			    c->field, c->in ? c->in : "(null)",
			    fdef_state_code(st), fdef_state_code(c->want),
			    err ? err : v);
		if (st == FDEF_COMPLETE) {
			assert_null(err);
			assert_non_null(v);
			if (strcmp(v, c->value) != 0)
				fail_msg("case %zu: %s \"%s\" gave \"%s\", want \"%s\"",
				    i, c->field, c->in, v, c->value);
		} else {
			assert_null(v);
			/* A Chinese message that says what to do. */
			if (err == NULL || !has_cjk(err) ||
			    (strstr(err, "请") == NULL))
				fail_msg("case %zu: message \"%s\"", i,
				    err ? err : "(null)");
		}
	}

	/* Messages name the rule. */
	f = fdef_field_find("postcode", NULL);
	fdef_validate(a, f, "10008", 1, TODAY, &v, &err);
	assert_string_equal(err, "请填写 6 位数字的邮政编码，例如 100085。");
	f = fdef_field_find("reg_capital", NULL);
	fdef_validate(a, f, "-1", 1, TODAY, &v, &err);
	assert_non_null(strstr(err, "负数"));
	fdef_validate(a, f, "1.234", 1, TODAY, &v, &err);
	assert_non_null(strstr(err, "两位小数"));
	fdef_validate(a, f, "", 1, TODAY, &v, &err);
	assert_string_equal(err, "请填写「注册资本（元）」。");
	f = fdef_field_find("founded", NULL);
	fdef_validate(a, f, "2026-02-30", 1, TODAY, &v, &err);
	assert_non_null(strstr(err, "2026-02-30"));
	fdef_validate(a, f, "2026-03-02", 1, TODAY, &v, &err);
	assert_non_null(strstr(err, "2026-03-01"));
	f = fdef_field_find("org_nature", NULL);
	fdef_validate(a, f, "", 1, TODAY, &v, &err);
	assert_string_equal(err, "请选择「单位性质」。");

	/* Lengths count characters, not bytes. */
	{
		char buf[400];
		size_t k;

		f = fdef_field_find("org_name", NULL);
		assert_int_equal(f->maxlen, 100);
		buf[0] = '\0';
		for (k = 0; k < 100; k++)
			strcat(buf, "安");
		assert_int_equal(fdef_validate(a, f, buf, 1, TODAY, &v, &err),
		    FDEF_COMPLETE);
		strcat(buf, "安");
		assert_int_equal(fdef_validate(a, f, buf, 1, TODAY, &v, &err),
		    FDEF_INVALID);
		assert_non_null(strstr(err, "最多 100 个字"));
		assert_non_null(strstr(err, "101"));
	}
	arena_free(a);
}

/* How the review page and the list of changes show stored values:
 * a ticked box is not "yes" (issue 17), and a change names its place. */
static void
test_display(void **state)
{
	struct arena *a = arena_new();

	assert_string_equal(fdef_display(a, fdef_field_find("decl_accept",
	    NULL), "yes"), "已勾选");
	assert_string_equal(fdef_display(a, fdef_field_find("ip_kind", NULL),
	    "software"), "计算机软件著作权");
	assert_string_equal(fdef_display(a, fdef_field_find("reg_capital",
	    NULL), "1000000000"), "10,000,000 元");
	assert_string_equal(fdef_display(a, fdef_field_find("founded", NULL),
	    "2015-06-01"), "2015年6月1日");
	assert_string_equal(fdef_display(a, fdef_field_find("org_name", NULL),
	    NULL), "");
	assert_string_equal(fdef_where(a, fdef_field_find("st_cisp_expiry",
	    NULL), 1), arena_printf(a, "四、人员情况 › 人员 2 › %s",
	    fdef_field_find("st_cisp_expiry", NULL)->label));
	assert_string_equal(fdef_where(a, fdef_field_find("legal_rep", NULL),
	    FDEF_NOROW), arena_printf(a, "一、申请单位基本情况 › %s",
	    fdef_field_find("legal_rep", NULL)->label));
	arena_free(a);
}

static void
test_uscc(void **state)
{
	struct arena *a = arena_new();
	const struct fdef_field *f = fdef_field_find("uscc", NULL);
	char good[32], lower[32], spaced[40], bad[32];
	const char *v, *err;
	size_t i;

	make_uscc(good);
	assert_int_equal(fdef_validate(a, f, good, 1, TODAY, &v, &err),
	    FDEF_COMPLETE);
	assert_string_equal(v, good);

	/* Lowercase input is accepted and stored upper-cased. */
	for (i = 0; good[i] != '\0'; i++)
		lower[i] = (char)(good[i] >= 'A' && good[i] <= 'Z' ?
		    good[i] - 'A' + 'a' : good[i]);
	lower[i] = '\0';
	assert_string_not_equal(lower, good);
	assert_int_equal(fdef_validate(a, f, lower, 1, TODAY, &v, &err),
	    FDEF_COMPLETE);
	assert_string_equal(v, good);

	/* So is a code copied with spaces. */
	snprintf(spaced, sizeof(spaced), " %.6s %.6s %s ", good, good + 6,
	    good + 12);
	assert_int_equal(fdef_validate(a, f, spaced, 1, TODAY, &v, &err),
	    FDEF_COMPLETE);
	assert_string_equal(v, good);

	/* A wrong check character: refused, with the rules' reason. */
	strcpy(bad, good);
	bad[17] = bad[17] == '0' ? '1' : '0';
	assert_int_equal(fdef_validate(a, f, bad, 1, TODAY, &v, &err),
	    FDEF_INVALID);
	assert_non_null(strstr(err, uscc_reason_zh(USCC_CHECK)));
	assert_non_null(strstr(err, "营业执照"));

	/* 17 characters. */
	bad[17] = '\0';
	assert_int_equal(fdef_validate(a, f, bad, 1, TODAY, &v, &err),
	    FDEF_INVALID);
	assert_non_null(strstr(err, uscc_reason_zh(USCC_LENGTH)));
	arena_free(a);
}

static void
test_format(void **state)
{
	static const struct { const char *stored, *shown; } t[] = {
		{ "100000050", "1,000,000.50" },
		{ "100000000", "1,000,000" },
		{ "-100050", "-1,000.50" },
		{ "5", "0.05" },
		{ "0", "0" },
		{ "100000000000000", "1,000,000,000,000" },
	};
	struct arena *a = arena_new();
	const struct fdef_field *m = fdef_field_find("fin_profit", NULL);
	const struct fdef_field *d = fdef_field_find("founded", NULL);
	const char *v, *err;
	int64_t fen;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		assert_string_equal(fdef_format(a, m, t[i].stored), t[i].shown);
		/* What the input shows validates back to what is stored. */
		assert_int_equal(fdef_validate(a, m, t[i].shown, 1, TODAY, &v,
		    &err), FDEF_COMPLETE);
		assert_string_equal(v, t[i].stored);
	}
	assert_string_equal(fdef_format(a, d, "2024-03-15"), "2024-03-15");
	assert_string_equal(fdef_format(a, m, NULL), "");
	assert_string_equal(fdef_format(a, m, "abc"), "abc");
	assert_int_equal(fdef_money_fen("100000050", &fen), 0);
	assert_int_equal(fen, 100000050);
	assert_int_equal(fdef_money_fen("-5", &fen), 0);
	assert_int_equal(fen, -5);
	assert_int_equal(fdef_money_fen("1,000", &fen), -1);
	assert_int_equal(fdef_money_fen("", &fen), -1);
	assert_int_equal(fdef_money_fen("100000000000001", &fen), -1);
	arena_free(a);
}

/* ---- Cross-field checks -------------------------------------------------- */

static void
check_one(struct arena *a, struct fake *fk, const char *sec,
    struct fdef_report *rep)
{
	struct fdef_source src = source(fk);

	fdef_report_init(rep);
	fdef_check_section(a, rules_default(), fdef_section_find(sec), &src,
	    TODAY, rep);
}

static void
test_cross(void **state)
{
	struct arena *a = arena_new();
	struct fake fk;
	struct fdef_report rep;
	const struct fdef_problem *p;

	/* The sample's sections are clean to begin with. */
	fill_sample(&fk);
	check_one(a, &fk, "s8", &rep);
	if (rep.n != 0) {
		dump(&rep);
		fail_msg("sample s8 has problems");
	}

	/* A project's end date before its start date. */
	set(&fk, "proj_start", 1, "2025-05-01");
	set(&fk, "proj_end", 1, "2025-04-30");
	check_one(a, &fk, "s8", &rep);
	assert_int_equal(rep.n, 1);
	p = find_problem(&rep, "proj_end", 1);
	assert_non_null(p);
	assert_int_equal(p->state, FDEF_INVALID);
	assert_string_equal(p->section, "s8");
	assert_string_equal(p->group, "projects");
	assert_non_null(strstr(p->msg, "结束日期不能早于开始日期"));
	assert_non_null(strstr(p->summary, "第 2 行「结束日期」"));
	assert_int_equal(rep.state[fdef_section_index("s8")], FDEF_INVALID);
	assert_int_equal(rep.count[fdef_section_index("s8")], 1);
	/* The same day is fine. */
	set(&fk, "proj_end", 1, "2025-05-01");
	check_one(a, &fk, "s8", &rep);
	assert_int_equal(rep.n, 0);

	/* An accepted project cannot end in the future. */
	set(&fk, "proj_accept", 3, "accepted");
	check_one(a, &fk, "s8", &rep);
	assert_non_null(find_problem(&rep, "proj_end", 3));
	set(&fk, "proj_accept", 3, "ongoing");

	/* Net assets above total assets; security revenue above revenue. */
	fill_sample(&fk);
	set(&fk, "fin_net_assets", 1, "4,000,000.01");
	set(&fk, "fin_sec_revenue", 2, "8000001");
	check_one(a, &fk, "s3", &rep);
	assert_int_equal(rep.n, 2);
	assert_non_null(find_problem(&rep, "fin_net_assets", 1));
	assert_non_null(find_problem(&rep, "fin_sec_revenue", 2));
	set(&fk, "fin_net_assets", 1, "4,000,000");
	set(&fk, "fin_sec_revenue", 2, "8000000");
	check_one(a, &fk, "s3", &rep);
	assert_int_equal(rep.n, 0);

	/* Finance years: distinct, and before the submission year. */
	set(&fk, "fin_year", 2, "2024");
	check_one(a, &fk, "s3", &rep);
	assert_int_equal(rep.n, 1);
	p = find_problem(&rep, "fin_year", 2);
	assert_non_null(p);
	assert_non_null(strstr(p->msg, "第 2 行"));
	set(&fk, "fin_year", 2, "2026");
	check_one(a, &fk, "s3", &rep);
	assert_non_null(find_problem(&rep, "fin_year", 2));
	set(&fk, "fin_year", 2, "2020");
	check_one(a, &fk, "s3", &rep);
	assert_non_null(find_problem(&rep, "fin_year", 2));
	set(&fk, "fin_year", 2, "2022");	/* one year of slack */
	check_one(a, &fk, "s3", &rep);
	assert_int_equal(rep.n, 0);

	/* Finance: exactly three rows; a blank row does not count. */
	set_rows(&fk, "finance", 4);
	set(&fk, "fin_year", 3, "  ");
	check_one(a, &fk, "s3", &rep);
	assert_int_equal(rep.n, 0);
	set(&fk, "fin_year", 3, "2021");
	check_one(a, &fk, "s3", &rep);
	p = find_problem(&rep, "finance", FDEF_NOROW);
	assert_non_null(p);
	assert_int_equal(p->state, FDEF_INVALID);
	set_rows(&fk, "finance", 2);
	check_one(a, &fk, "s3", &rep);
	p = find_problem(&rep, "finance", FDEF_NOROW);
	assert_non_null(p);
	assert_int_equal(p->state, FDEF_MISSING);
	assert_non_null(strstr(p->msg, "添加一个年度"));

	/* CISP number, type and expiry go together. */
	fill_sample(&fk);
	check_one(a, &fk, "s4", &rep);
	if (rep.n != 0) {
		dump(&rep);
		fail_msg("sample s4 has problems");
	}
	set(&fk, "st_cisp_expiry", 2, "");
	set(&fk, "st_cisp_no", 4, "");
	check_one(a, &fk, "s4", &rep);
	p = find_problem(&rep, "st_cisp_expiry", 2);
	assert_non_null(p);
	assert_int_equal(p->state, FDEF_MISSING);
	p = find_problem(&rep, "st_cisp_no", 4);
	assert_non_null(p);
	assert_int_equal(p->state, FDEF_MISSING);
	/* The row without a number needs no certificate file. */
	assert_null(find_problem(&rep, "cisp_cert", 4));

	/* Staff counts: parts must add up, CISP holders listed. */
	fill_sample(&fk);
	set(&fk, "edu_other", FDEF_NOROW, "2");
	set(&fk, "staff_eng", FDEF_NOROW, "31");
	set(&fk, "staff_cisp", FDEF_NOROW, "8");
	check_one(a, &fk, "s4", &rep);
	assert_non_null(find_problem(&rep, "edu_doctor", FDEF_NOROW));
	assert_null(find_problem(&rep, "title_senior", FDEF_NOROW));
	assert_non_null(find_problem(&rep, "staff_eng", FDEF_NOROW));
	p = find_problem(&rep, "staff_cisp", FDEF_NOROW);
	assert_non_null(p);
	assert_non_null(strstr(p->msg, "7"));
	set(&fk, "staff_total", FDEF_NOROW, "5");
	check_one(a, &fk, "s4", &rep);
	p = find_problem(&rep, "staff_total", FDEF_NOROW);
	assert_non_null(p);
	assert_non_null(strstr(p->msg, "人员名单"));

	/* Business start before founding. */
	fill_sample(&fk);
	set(&fk, "biz_start", FDEF_NOROW, "2015-05-31");
	check_one(a, &fk, "s1", &rep);
	assert_int_equal(rep.n, 1);
	assert_non_null(find_problem(&rep, "biz_start", FDEF_NOROW));
	arena_free(a);
}

/* ---- Required-ness by application type --------------------------------- */

static void
test_apptype(void **state)
{
	struct arena *a = arena_new();
	struct fake fk;
	struct fdef_source src;
	struct fdef_apptype t;
	struct fdef_report rep;
	struct fdef_cert *c;
	const struct fdef_field *l1 = fdef_field_find("l1_cert_no", NULL);
	const struct fdef_field *l1e = fdef_field_find("l1_cert_expiry", NULL);
	const struct fdef_field *mn = fdef_field_find("maint_cert_no", NULL);
	const struct fdef_field *name = fdef_field_find("org_name", NULL);
	const struct fdef_field *en = fdef_field_find("org_name_en", NULL);

	memset(&fk, 0, sizeof(fk));
	fk.filed = DATE_NONE;
	src = source(&fk);

	/* Not chosen yet: neither set of certificate fields is required. */
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_false(t.known);
	assert_false(fdef_field_required(l1, &t));
	assert_false(fdef_field_required(mn, &t));
	assert_true(fdef_field_required(name, &t));
	assert_false(fdef_field_required(en, &t));
	check_one(a, &fk, "s1", &rep);
	assert_non_null(find_problem(&rep, "app_type", FDEF_NOROW));
	assert_null(find_problem(&rep, "l1_cert_no", FDEF_NOROW));
	assert_null(find_problem(&rep, "maint_cert_no", FDEF_NOROW));

	/* Initial: the level-1 certificate is required. */
	set(&fk, "app_type", FDEF_NOROW, "initial");
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_true(t.known);
	assert_int_equal(t.declared, RULES_APP_INITIAL);
	assert_int_equal(t.effective, RULES_APP_INITIAL);
	assert_true(fdef_field_required(l1, &t));
	assert_true(fdef_field_required(l1e, &t));
	assert_false(fdef_field_required(mn, &t));
	check_one(a, &fk, "s1", &rep);
	assert_null(find_problem(&rep, "app_type", FDEF_NOROW));
	assert_non_null(find_problem(&rep, "l1_cert_no", FDEF_NOROW));
	assert_non_null(find_problem(&rep, "l1_cert_expiry", FDEF_NOROW));
	assert_null(find_problem(&rep, "maint_cert_no", FDEF_NOROW));

	/* Maintenance: the maintained certificate is required, the
	 * level-1 one is not; no window before it is chosen. */
	set(&fk, "app_type", FDEF_NOROW, "maintenance");
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_int_equal(t.declared, RULES_APP_MAINTENANCE);
	assert_false(t.has_window);
	assert_true(fdef_field_required(mn, &t));
	assert_false(fdef_field_required(l1, &t));
	check_one(a, &fk, "s1", &rep);
	assert_non_null(find_problem(&rep, "maint_cert_no", FDEF_NOROW));
	assert_null(find_problem(&rep, "l1_cert_no", FDEF_NOROW));
	assert_null(fdef_field_find("maint_cert_expiry", NULL));

	/* Chosen, and in the register: on time by the register's expiry;
	 * a date typed into the old field (an old draft) is never read. */
	c = set_cert(&fk, "CNITSEC2023SE2-0042", "2026-12-31");
	set(&fk, "maint_cert_no", FDEF_NOROW, "CNITSEC2023SE2-0042");
	fk.vals[fk.nvals].key = "maint_cert_expiry";
	fk.vals[fk.nvals].row = FDEF_NOROW;
	fk.vals[fk.nvals++].val = "2020-01-01";
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_true(t.has_window);
	assert_int_equal(t.expires, D("2026-12-31"));
	assert_int_equal(t.filed, TODAY);
	assert_string_equal(t.cert_no, "CNITSEC2023SE2-0042");
	assert_int_equal(t.window.class, RULES_MAINT_ON_TIME);
	assert_int_equal(t.effective, RULES_APP_MAINTENANCE);
	assert_false(fdef_field_required(l1, &t));
	check_one(a, &fk, "s1", &rep);
	assert_null(find_problem(&rep, "maint_cert_no", FDEF_NOROW));

	/* Late (within 6 months after expiry): still maintenance. */
	c->expires = D("2025-09-01");
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_int_equal(t.window.class, RULES_MAINT_LATE);
	assert_int_equal(t.effective, RULES_APP_MAINTENANCE);
	assert_false(fdef_field_required(l1, &t));

	/* More than 6 months after expiry: treated as initial, so the
	 * level-1 certificate becomes required as well. */
	c->expires = D("2025-08-31");
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_int_equal(t.window.class, RULES_MAINT_INITIAL);
	assert_int_equal(t.declared, RULES_APP_MAINTENANCE);
	assert_int_equal(t.effective, RULES_APP_INITIAL);
	assert_true(fdef_field_required(l1, &t));
	assert_true(fdef_field_required(mn, &t));
	check_one(a, &fk, "s1", &rep);
	assert_non_null(find_problem(&rep, "l1_cert_no", FDEF_NOROW));

	/* Once submitted, the window counts from the first submission day,
	 * not from today. */
	fk.filed = D("2026-02-28");
	src = source(&fk);
	fdef_apptype(a, rules_default(), &src, TODAY, &t);
	assert_int_equal(t.filed, D("2026-02-28"));
	assert_int_equal(t.window.class, RULES_MAINT_LATE);
	fk.filed = DATE_NONE;
	src = source(&fk);
	c->expires = D("2026-12-31");

	/* What the register says stands in the way, at the field. */
	{
		static const struct {
			int		 what;
			const char	*says;
		} t2[] = {
			{ 0, "不是本单位名下的证书" },
			{ 1, "暂停" },
			{ 2, "已被取消" },
			{ 3, "已换发" },
			{ 4, "已有维持申请（案件 SE2-2026-00001）" },
		};
		const struct fdef_problem *p;
		size_t i;

		for (i = 0; i < sizeof(t2) / sizeof(t2[0]); i++) {
			c->suspended = t2[i].what == 1;
			c->revoked = t2[i].what == 2;
			c->superseded = t2[i].what == 3;
			c->busy_case = t2[i].what == 4 ? "SE2-2026-00001" :
			    NULL;
			fk.ncerts = t2[i].what == 0 ? 0 : 1;
			check_one(a, &fk, "s1", &rep);
			p = find_problem(&rep, "maint_cert_no", FDEF_NOROW);
			assert_non_null(p);
			assert_int_equal(p->state, FDEF_INVALID);
			assert_non_null(strstr(p->msg, t2[i].says));
			/* Only in section 一. */
			check_one(a, &fk, "s2", &rep);
			assert_null(find_problem(&rep, "maint_cert_no",
			    FDEF_NOROW));
		}
		fk.ncerts = 1;
		memset(c, 0, sizeof(*c));
		c->no = "CNITSEC2023SE2-0042";
		c->expires = D("2026-12-31");
	}
	arena_free(a);
}

/* ---- Completeness ------------------------------------------------------ */

static int
zero_rows(void *ctx, const char *g)
{
	return 0;
}

static int
zero_files(void *ctx, const char *m, int row)
{
	return 0;
}

static const char *
no_value(void *ctx, const char *f, int row)
{
	return NULL;
}

static void
test_empty(void **state)
{
	struct arena *a = arena_new();
	struct fdef_source src = { NULL, no_value, zero_rows, zero_files,
	    NULL, DATE_NONE };
	struct fdef_report rep;
	const struct fdef_section *s;
	const struct fdef_problem *p;
	size_t i, j, total = 0;
	int last = -1, idx;

	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_true(rep.n > 50);

	/* Sections in order; every problem is "missing" on an empty form. */
	for (i = 0; i < rep.n; i++) {
		p = &rep.v[i];
		idx = fdef_section_index(p->section);
		assert_true(idx >= last);
		last = idx;
		if (p->state != FDEF_MISSING)
			fail_msg("%s: %s", p->section, p->summary);
		assert_true(has_cjk(p->msg));
		assert_true(has_cjk(p->summary));
		assert_non_null(p->label);
	}

	/* Everything required is reported, and nothing optional. */
	for (i = 0; i < fdef_nsections(); i++) {
		s = fdef_section_at(i);
		for (j = 0; j < s->nfields; j++) {
			const struct fdef_field *f = &s->fields[j];

			if (f->group != NULL)
				continue;
			p = find_problem(&rep, f->name, FDEF_NOROW);
			if (f->req == FDEF_REQUIRED && p == NULL)
				fail_msg("%s not reported missing", f->name);
			if (f->req != FDEF_REQUIRED && p != NULL)
				fail_msg("%s reported: %s", f->name, p->summary);
		}
		for (j = 0; s->groups[j] != NULL; j++) {
			p = find_problem(&rep, s->groups[j]->name, FDEF_NOROW);
			if ((s->groups[j]->min > 0) != (p != NULL))
				fail_msg("group %s: min %d, reported %d",
				    s->groups[j]->name, s->groups[j]->min,
				    p != NULL);
		}
		for (j = 0; j < s->nmaterials; j++) {
			const struct fdef_material *m = &s->materials[j];

			if (m->group != NULL)
				continue;
			p = find_problem(&rep, m->code, FDEF_NOROW);
			if ((m->req == FDEF_REQUIRED) != (p != NULL))
				fail_msg("material %s: required %d, reported %d",
				    m->code, m->req == FDEF_REQUIRED, p != NULL);
		}
		total += rep.count[i];
		/* 九 (awards), 十一 and 十二 may stay empty. */
		if (strcmp(s->id, "s9") == 0 || strcmp(s->id, "s11") == 0 ||
		    strcmp(s->id, "s12") == 0)
			assert_int_equal(rep.state[i], FDEF_COMPLETE);
		else
			assert_int_equal(rep.state[i], FDEF_MISSING);
	}
	assert_int_equal(total, rep.n);
	p = find_problem(&rep, "sealed_form", FDEF_NOROW);
	assert_string_equal(p->section, "decl");
	assert_non_null(strstr(p->msg, "PDF"));

	/* Without a files callback, materials are not checked. */
	src.files = NULL;
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_null(find_problem(&rep, "sealed_form", FDEF_NOROW));
	assert_non_null(find_problem(&rep, "org_name", FDEF_NOROW));
	arena_free(a);
}

static void
test_complete(void **state)
{
	struct arena *a = arena_new();
	struct fake fk;
	struct fdef_source src;
	struct fdef_report rep;
	const struct fdef_problem *p;
	size_t i;

	fill_sample(&fk);
	src = source(&fk);
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	if (rep.n != 0) {
		dump(&rep);
		fail_msg("the complete sample has %zu problems", rep.n);
	}
	for (i = 0; i < FDEF_NSECTIONS; i++)
		assert_int_equal(rep.state[i], FDEF_COMPLETE);

	/* One missing upload is exactly one problem. */
	set_files(&fk, "sealed_form", FDEF_NOROW, 0);
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_int_equal(rep.n, 1);
	assert_string_equal(rep.v[0].material, "sealed_form");
	assert_int_equal(rep.state[fdef_section_index("decl")], FDEF_MISSING);
	set_files(&fk, "sealed_form", FDEF_NOROW, 2);	/* at most 1 */
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.v[0].state, FDEF_INVALID);
	set_files(&fk, "sealed_form", FDEF_NOROW, 1);

	/* Per-row materials: the audit report of the second year; the
	 * acceptance report only for accepted projects. */
	set_files(&fk, "audit_report", 1, 0);
	set_files(&fk, "acceptance", 3, 0);	/* ongoing: not needed */
	set_files(&fk, "acceptance", 0, 0);	/* accepted: needed */
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_int_equal(rep.n, 2);
	p = find_problem(&rep, "audit_report", 1);
	assert_non_null(p);
	assert_string_equal(p->section, "s3");
	assert_string_equal(p->group, "finance");
	assert_non_null(strstr(p->summary, "第 2 行"));
	assert_non_null(find_problem(&rep, "acceptance", 0));
	assert_null(find_problem(&rep, "acceptance", 3));

	/* An invalid value beside a missing one: the section is invalid. */
	set(&fk, "postcode", FDEF_NOROW, "10008");
	set(&fk, "contact_name", FDEF_NOROW, "");
	fdef_report_init(&rep);
	fdef_check_all(a, rules_default(), &src, TODAY, &rep);
	assert_int_equal(rep.state[0], FDEF_INVALID);
	assert_int_equal(rep.count[0], 2);
	assert_int_equal(find_problem(&rep, "contact_name", FDEF_NOROW)->state,
	    FDEF_MISSING);
	arena_free(a);
}

/* ---- Eligibility ---------------------------------------------------------- */

static void
test_applicant(void **state)
{
	struct arena *a = arena_new();
	struct fake fk;
	struct fdef_source src;
	struct rules_applicant ap;
	struct rules_check chk[RULES_NCHECKS];
	size_t i;

	fill_sample(&fk);
	src = source(&fk);
	rules_applicant_init(&ap);
	fdef_applicant(a, rules_default(), &src, TODAY, &ap);
	assert_int_equal(ap.submitted, TODAY);
	assert_string_equal(ap.uscc, fk.uscc);
	assert_int_equal(ap.legal_entity, RULES_TRI_YES);
	assert_int_equal(ap.business_licence, RULES_TRI_YES);
	assert_int_equal(ap.approval_declared, RULES_TRI_YES);
	assert_int_equal(ap.approval_evidence, RULES_TRI_YES);
	assert_string_equal(ap.level1_cert_no, "CNITSEC2023SE1001");
	assert_int_equal(ap.level1_cert_expiry, D("2026-12-31"));
	assert_int_equal(ap.business_start, D("2016-01-15"));
	assert_int_equal(ap.registered_capital, INT64_C(1000000000));
	assert_int_equal(ap.total_assets, INT64_C(500000000));	/* 2025 */
	assert_int_equal(ap.nfin, 3);
	assert_int_equal(ap.fin[0].year, 2023);
	assert_int_equal(ap.fin[0].profit, INT64_C(-20000000));
	assert_int_equal(ap.fin[0].net_assets, INT64_C(300000050));
	assert_int_equal(ap.fin[0].revenue, INT64_C(800000000));
	assert_int_equal(ap.fin[0].audit_reports, 1);
	assert_int_equal(ap.engineering_staff, 20);
	assert_int_equal(ap.cisp_staff, 6);	/* not part-time, not expired */
	assert_int_equal(ap.complete_projects, 1);
	assert_int_equal(ap.nprojects, 4);
	assert_int_equal(ap.projects[0].state, RULES_PROJ_ACCEPTED);
	assert_non_null(ap.projects[0].name);

	assert_int_equal(rules_eligibility(rules_default(), &ap, chk),
	    RULES_NCHECKS);
	/* 1,500,000 + 800,000: not the one ended in 2022, not the ongoing. */
	assert_string_equal(chk[9].figure_zh, "230万元（计入2个项目，2个未计入）");
	/* 2023 closed with a loss: for the reviewer, not 符合. */
	assert_int_equal(chk[6].verdict, RULES_REVIEW);
	for (i = 0; i < RULES_NCHECKS; i++)
		if (chk[i].verdict != RULES_PASS && i != 6)
			fail_msg("check %s: %s (%s)", chk[i].code,
			    rules_verdict_code(chk[i].verdict), chk[i].figure_zh);
	set(&fk, "fin_profit", 0, "1");
	rules_applicant_init(&ap);
	fdef_applicant(a, rules_default(), &src, TODAY, &ap);
	rules_eligibility(rules_default(), &ap, chk);
	assert_int_equal(chk[6].verdict, RULES_PASS);

	/* Changes the reviewer must see. */
	set(&fk, "org_nature", FDEF_NOROW, "branch");
	set(&fk, "proj_accept", 1, "pending");
	set_files(&fk, "audit_report", 0, 0);
	set_files(&fk, "lawful_proof", FDEF_NOROW, 0);
	set(&fk, "st_fulltime", 0, "no");
	set(&fk, "reg_capital", FDEF_NOROW, "999,999.99");
	rules_applicant_init(&ap);
	fdef_applicant(a, rules_default(), &src, TODAY, &ap);
	assert_int_equal(ap.legal_entity, RULES_TRI_NO);
	assert_int_equal(ap.fin[0].audit_reports, 0);
	assert_int_equal(ap.cisp_staff, 5);
	assert_int_equal(ap.registered_capital, INT64_C(99999999));
	rules_eligibility(rules_default(), &ap, chk);
	assert_int_equal(chk[0].verdict, RULES_FAIL);	/* legal entity */
	assert_int_equal(chk[4].verdict, RULES_FAIL);	/* capital */
	assert_int_equal(chk[6].verdict, RULES_FAIL);	/* audit reports */
	assert_int_equal(chk[7].verdict, RULES_FAIL);	/* CISP */
	assert_int_equal(chk[9].verdict, RULES_FAIL);	/* project value */
	assert_non_null(strstr(chk[9].figure_zh, "150万元"));

	/* An empty form: everything unknown, nothing crashes. */
	{
		struct fdef_source empty = { NULL, no_value, zero_rows, NULL,
		    NULL, DATE_NONE };

		rules_applicant_init(&ap);
		fdef_applicant(a, rules_default(), &empty, TODAY, &ap);
		assert_null(ap.uscc);
		assert_int_equal(ap.legal_entity, RULES_TRI_UNKNOWN);
		assert_int_equal(ap.business_licence, RULES_TRI_UNKNOWN);
		assert_int_equal(ap.registered_capital, RULES_NONE);
		assert_int_equal(ap.total_assets, RULES_NONE);
		assert_int_equal(ap.nfin, RULES_NONE);
		assert_int_equal(ap.cisp_staff, RULES_NONE);
		assert_int_equal(ap.nprojects, RULES_NONE);
		assert_int_equal(ap.business_start, DATE_NONE);
		assert_int_equal(ap.approval_declared, RULES_TRI_NO);
	}

	/* An invalid credit code is passed on, so the check fails. */
	fill_sample(&fk);
	fk.uscc[17] = fk.uscc[17] == '0' ? '1' : '0';
	rules_applicant_init(&ap);
	fdef_applicant(a, rules_default(), &src, TODAY, &ap);
	assert_non_null(ap.uscc);
	assert_int_equal(ap.legal_entity, RULES_TRI_NO);
	rules_eligibility(rules_default(), &ap, chk);
	assert_int_equal(chk[0].verdict, RULES_FAIL);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_cross),
		cmocka_unit_test(test_apptype),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_applicant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
