/*
 * rules.c: fees, deadlines, the case clock, validity, retention,
 * eligibility and 统一社会信用代码 (see rules.h and docs/rules.md).
 *
 * Pure functions of their arguments: no I/O, no clock, no allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "rules.h"

static const struct rules rules_guide = {
	.fee_initial_audit = 7200000,		/* 72,000 元, §9.1 */
	.fee_initial_annual = 1500000,		/* 15,000 元, §9.1 */
	.fee_maint_audit = 4800000,		/* 48,000 元, §9.2 */
	.fee_maint_annual = 1500000,		/* 15,000 元, §9.2 */
	.supplement_months = 1,			/* §5.2 */
	.target_months = 3,			/* §9.3 */
	.limit_months = 6,			/* §9.3 */
	.at_risk_num = 2,
	.at_risk_den = 3,
	.validity_years = 3,			/* §9 (inferred) */
	.maint_ontime_months = 6,		/* §4 */
	.maint_initial_months = 6,		/* §4 */
	.retention_years = 6,			/* §8 */
	.rect_remind_days = 7,			/* §6 (our assumption) */
	.elig_business_years = 3,		/* §3.2 (1) */
	.elig_registered_capital = 100000000,	/* 100万元, §3.2 (2) */
	.elig_total_assets = 200000000,		/* 200万元, §3.2 (2) */
	.elig_audit_years = 3,			/* §3.2 (3) */
	.elig_cisp_percent = 10,		/* §3.2 (4) */
	.elig_cisp_min = 6,			/* §3.2 (4) */
	.elig_complete_projects = 1,		/* §3.2 (5) */
	.elig_project_years = 3,		/* §3.2 (6) */
	.elig_project_value = 200000000,	/* 200万元, §3.2 (6) */
};

const struct rules *
rules_default(void)
{
	return &rules_guide;
}

/* ---- Fees and the maintenance window ------------------------------- */

const char *
rules_apptype_code(enum rules_apptype t)
{
	return t == RULES_APP_MAINTENANCE ? "maintenance" : "initial";
}

const char *
rules_apptype_zh(enum rules_apptype t)
{
	return t == RULES_APP_MAINTENANCE ? "维持申请" : "初次申请";
}

void
rules_fee_initial(const struct rules *r, struct rules_fee *f)
{
	f->audit = r->fee_initial_audit;
	f->annual = r->fee_initial_annual;
	f->total = f->audit + f->annual;
	f->treated_as = RULES_APP_INITIAL;
}

void
rules_maint_window(const struct rules *r, zdate expiry, zdate filed,
    struct rules_window *w)
{
	w->on_time_until = date_add_months(expiry, -r->maint_ontime_months);
	w->late_until = date_add_months(expiry, r->maint_initial_months);
	if (filed <= w->on_time_until)
		w->class = RULES_MAINT_ON_TIME;
	else if (filed <= w->late_until)
		w->class = RULES_MAINT_LATE;
	else
		w->class = RULES_MAINT_INITIAL;
}

void
rules_fee_maintenance(const struct rules *r, zdate expiry, zdate filed,
    struct rules_fee *f)
{
	struct rules_window w;

	rules_maint_window(r, expiry, filed, &w);
	if (w.class == RULES_MAINT_INITIAL) {
		rules_fee_initial(r, f);
		return;
	}
	f->audit = r->fee_maint_audit;
	f->annual = r->fee_maint_annual;
	f->total = f->audit + f->annual;
	f->treated_as = RULES_APP_MAINTENANCE;
}

const char *
rules_maint_class_code(enum rules_maint_class c)
{
	switch (c) {
	case RULES_MAINT_ON_TIME:
		return "on_time";
	case RULES_MAINT_LATE:
		return "late";
	default:
		return "initial";
	}
}

const char *
rules_maint_class_zh(enum rules_maint_class c)
{
	switch (c) {
	case RULES_MAINT_ON_TIME:
		return "按期维持申请";
	case RULES_MAINT_LATE:
		return "逾期维持申请";
	default:
		return "视作初次申请";
	}
}

/* ---- Supplements, validity, retention ------------------------------ */

zdate
rules_supplement_due(const struct rules *r, zdate sent)
{
	return date_add_months(sent, r->supplement_months);
}

int
rules_supplement_late(const struct rules *r, zdate sent, zdate answered)
{
	return answered > rules_supplement_due(r, sent);
}

zdate
rules_cert_expires(const struct rules *r, zdate issued)
{
	return date_add_years(issued, r->validity_years) - 1;
}

int
rules_cert_valid_on(const struct rules *r, zdate issued, zdate day)
{
	return day >= issued && day <= rules_cert_expires(r, issued);
}

zdate
rules_dispose_from(const struct rules *r, zdate closed)
{
	return date_add_years(closed, r->retention_years);
}

int
rules_may_dispose(const struct rules *r, zdate closed, zdate today)
{
	return today >= rules_dispose_from(r, closed);
}

/* ---- The case clock ------------------------------------------------ */

const char *
rules_clock_state_code(enum rules_clock_state s)
{
	switch (s) {
	case RULES_CLOCK_ON_TRACK:
		return "on_track";
	case RULES_CLOCK_AT_RISK:
		return "at_risk";
	case RULES_CLOCK_OVER_TARGET:
		return "over_target";
	default:
		return "over_limit";
	}
}

const char *
rules_clock_state_zh(enum rules_clock_state s)
{
	switch (s) {
	case RULES_CLOCK_ON_TRACK:
		return "正常";
	case RULES_CLOCK_AT_RISK:
		return "临近目标期限";
	case RULES_CLOCK_OVER_TARGET:
		return "超出目标周期";
	default:
		return "超出最长周期";
	}
}

/*
 * Fills in everything that follows from submitted, now and paused_days.
 * The "now > target" and "net_days > target_net_days" tests are the same
 * test, since target = submitted + target_net_days + paused_days.
 */
static void
clock_finish(const struct rules *r, struct rules_clock *c)
{
	zdate t0, l0;

	t0 = date_add_months(c->submitted, r->target_months);
	l0 = date_add_months(c->submitted, r->limit_months);
	c->elapsed_days = date_diff_days(c->submitted, c->now);
	c->net_days = c->elapsed_days - c->paused_days;
	c->target_net_days = date_diff_days(c->submitted, t0);
	c->limit_net_days = date_diff_days(c->submitted, l0);
	c->target = t0 + c->paused_days;
	c->limit = l0 + c->paused_days;
	c->at_risk_after = (int32_t)((int64_t)c->target_net_days *
	    r->at_risk_num / r->at_risk_den);
	if (c->now > c->limit)
		c->state = RULES_CLOCK_OVER_LIMIT;
	else if (c->now > c->target)
		c->state = RULES_CLOCK_OVER_TARGET;
	else if (c->net_days > c->at_risk_after)
		c->state = RULES_CLOCK_AT_RISK;
	else
		c->state = RULES_CLOCK_ON_TRACK;
}

int
rules_clock_spans(const struct rules *r, zdate submitted, zdate now,
    const struct rules_span *spans, size_t n, struct rules_clock *out)
{
	struct rules_clock c;
	zdate prev_end, a, b;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (submitted == DATE_NONE || now == DATE_NONE || now < submitted)
		return -1;
	c.submitted = submitted;
	c.now = now;
	prev_end = submitted;
	for (i = 0; i < n; i++) {
		a = spans[i].from;
		b = spans[i].to;
		if (a == DATE_NONE || a < prev_end)
			return -1;
		if (b == DATE_NONE) {
			if (i != n - 1)
				return -1;
		} else if (b < a)
			return -1;
		else
			prev_end = b;
		if (a > now)
			continue;		/* not begun yet */
		if (b == DATE_NONE || b > now) {
			b = now;
			c.paused = 1;
		}
		c.paused_days += date_diff_days(a, b);
	}
	clock_finish(r, &c);
	*out = c;
	return 0;
}

int
rules_clock_events(const struct rules *r, const struct rules_event *ev,
    size_t n, zdate now, struct rules_clock *out)
{
	struct rules_clock c;
	size_t i, start;
	zdate from;
	int paused;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (now == DATE_NONE)
		return -1;
	for (i = 0; i < n; i++)
		if (ev[i].date == DATE_NONE ||
		    (i > 0 && ev[i].date < ev[i - 1].date))
			return -1;
	for (start = 0; start < n; start++)
		if (ev[start].date <= now &&
		    (ev[start].flags & RULES_EV_START))
			break;
	if (start == n)
		return -1;

	c.submitted = ev[start].date;
	c.now = now;
	from = ev[start].date;
	paused = (ev[start].flags & RULES_EV_PAUSED) != 0;
	for (i = start + 1; i < n && ev[i].date <= now; i++) {
		if (paused)
			c.paused_days += date_diff_days(from, ev[i].date);
		from = ev[i].date;
		paused = (ev[i].flags & RULES_EV_PAUSED) != 0;
		if (ev[i].flags & RULES_EV_FINAL) {
			/* Reopened later: the time in between does not
			 * count. Not reopened: the clock stops here. */
			if (i + 1 < n && ev[i + 1].date <= now) {
				paused = 1;
				continue;
			}
			c.now = ev[i].date;
			c.stopped = 1;
			paused = 0;
			break;
		}
	}
	if (paused) {
		c.paused_days += date_diff_days(from, now);
		c.paused = 1;
	}
	clock_finish(r, &c);
	*out = c;
	return 0;
}

/* ---- Eligibility --------------------------------------------------- */

const char *
rules_verdict_code(enum rules_verdict v)
{
	switch (v) {
	case RULES_PASS:
		return "pass";
	case RULES_FAIL:
		return "fail";
	case RULES_REVIEW:
		return "review";
	default:
		return "unknown";
	}
}

const char *
rules_verdict_zh(enum rules_verdict v)
{
	switch (v) {
	case RULES_PASS:
		return "符合";
	case RULES_FAIL:
		return "不符合";
	case RULES_REVIEW:
		return "需审查";
	default:
		return "待核实";
	}
}

void
rules_applicant_init(struct rules_applicant *a)
{
	memset(a, 0, sizeof(*a));
	a->submitted = DATE_NONE;
	a->legal_entity = RULES_TRI_UNKNOWN;
	a->business_licence = RULES_TRI_UNKNOWN;
	a->uscc = NULL;
	a->approval_declared = RULES_TRI_UNKNOWN;
	a->approval_evidence = RULES_TRI_UNKNOWN;
	a->level1_cert_no = NULL;
	a->level1_cert_expiry = DATE_NONE;
	a->business_start = DATE_NONE;
	a->registered_capital = RULES_NONE;
	a->total_assets = RULES_NONE;
	a->nfin = RULES_NONE;
	a->engineering_staff = RULES_NONE;
	a->cisp_staff = RULES_NONE;
	a->complete_projects = RULES_NONE;
	a->projects = NULL;
	a->nprojects = RULES_NONE;
}

int
rules_min_cisp(const struct rules *r, int staff)
{
	int64_t n;

	if (staff < 0)
		staff = 0;
	n = ((int64_t)staff * r->elig_cisp_percent + 99) / 100;
	if (n < r->elig_cisp_min)
		n = r->elig_cisp_min;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/*
 * Money in 分 as Chinese text: "100万元" for whole 万元, else yuan with
 * thousands separators and, if needed, two decimals ("1,234.50元").
 */
static void
money_zh(char *buf, size_t sz, int64_t fen)
{
	char digits[32], grouped[48];
	uint64_t v, yuan;
	size_t len, i, j;
	int neg = fen < 0;

	v = neg ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	if (v % 1000000 == 0) {
		snprintf(buf, sz, "%s%llu万元", neg ? "-" : "",
		    (unsigned long long)(v / 1000000));
		return;
	}
	yuan = v / 100;
	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)yuan);
	len = strlen(digits);
	for (i = 0, j = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	if (v % 100 == 0)
		snprintf(buf, sz, "%s%s元", neg ? "-" : "", grouped);
	else
		snprintf(buf, sz, "%s%s.%02u元", neg ? "-" : "", grouped,
		    (unsigned)(v % 100));
}

static const char *
tri_zh(enum rules_tri t, const char *yes, const char *no)
{
	switch (t) {
	case RULES_TRI_YES:
		return yes;
	case RULES_TRI_NO:
		return no;
	default:
		return "未填";
	}
}

/*
 * Copies at most max bytes of s into buf (size sz > max), cut back to a
 * UTF-8 character boundary, with "…" when cut.
 */
static void
clip_utf8(char *buf, size_t sz, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max && n < sz) {
		memcpy(buf, s, n + 1);
		return;
	}
	if (max + 4 > sz)
		max = sz > 4 ? sz - 4 : 0;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "…", 4);	/* three bytes and the NUL */
}

static void
check_head(struct rules_check *c, const char *code, const char *label_zh,
    const char *label_en, const char *section)
{
	memset(c, 0, sizeof(*c));
	c->code = code;
	c->label_zh = label_zh;
	c->label_en = label_en;
	c->section = section;
	c->verdict = RULES_UNKNOWN;
}

/* pass if value >= min, unknown if value < 0 (not given). */
static enum rules_verdict
at_least(int64_t value, int64_t min)
{
	if (value < 0)
		return RULES_UNKNOWN;
	return value >= min ? RULES_PASS : RULES_FAIL;
}

static void
check_legal_entity(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	enum uscc_reason ur = USCC_EMPTY;
	char code[64];

	check_head(c, "legal_entity", "独立法人", "independent legal entity",
	    "§3.1");
	snprintf(c->threshold_zh, sizeof(c->threshold_zh),
	    "具有独立法人地位，持营业执照，统一社会信用代码有效");
	if (a->uscc != NULL && a->uscc[0] != '\0')
		ur = uscc_validate(a->uscc);
	if (ur == USCC_OK)
		snprintf(code, sizeof(code), "%s（有效）", a->uscc);
	else if (ur == USCC_EMPTY)
		snprintf(code, sizeof(code), "未填");
	else
		snprintf(code, sizeof(code), "无效");
	snprintf(c->figure_zh, sizeof(c->figure_zh),
	    "独立法人：%s；营业执照：%s；统一社会信用代码：%s",
	    tri_zh(a->legal_entity, "是", "否"),
	    tri_zh(a->business_licence, "已上传", "未上传"), code);
	if (a->legal_entity == RULES_TRI_NO ||
	    a->business_licence == RULES_TRI_NO ||
	    (ur != USCC_OK && ur != USCC_EMPTY))
		c->verdict = RULES_FAIL;
	else if (a->legal_entity == RULES_TRI_YES &&
	    a->business_licence == RULES_TRI_YES && ur == USCC_OK)
		c->verdict = RULES_PASS;
}

static void
check_approval(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	check_head(c, "approval_lawful", "主管部门批准、遵守法律法规",
	    "approved by the relevant authority; complies with law", "§3.1");
	snprintf(c->threshold_zh, sizeof(c->threshold_zh),
	    "已声明并提供证明材料");
	snprintf(c->figure_zh, sizeof(c->figure_zh), "声明：%s；证明材料：%s",
	    tri_zh(a->approval_declared, "已声明", "未声明"),
	    tri_zh(a->approval_evidence, "已上传", "未上传"));
	if (a->approval_declared == RULES_TRI_NO ||
	    a->approval_evidence == RULES_TRI_NO)
		c->verdict = RULES_FAIL;
	else if (a->approval_declared == RULES_TRI_YES &&
	    a->approval_evidence == RULES_TRI_YES)
		c->verdict = RULES_PASS;
}

static void
check_level1(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	char sub[DATE_BUFSZ], exp[DATE_BUFSZ], no[80];
	int has_no;

	check_head(c, "level1_cert", "一级资质证书",
	    "valid level-1 security engineering certificate", "§3.1");
	if (a->submitted != DATE_NONE)
		snprintf(c->threshold_zh, sizeof(c->threshold_zh),
		    "持有安全工程类一级资质证书，且在提交日（%s）有效",
		    date_format(a->submitted, sub));
	else
		snprintf(c->threshold_zh, sizeof(c->threshold_zh),
		    "持有安全工程类一级资质证书，且在提交日有效");
	has_no = a->level1_cert_no != NULL && a->level1_cert_no[0] != '\0';
	if (has_no)
		clip_utf8(no, sizeof(no), a->level1_cert_no, 60);
	else
		snprintf(no, sizeof(no), "未填");
	if (a->level1_cert_expiry != DATE_NONE)
		date_format(a->level1_cert_expiry, exp);
	else
		snprintf(exp, sizeof(exp), "未填");
	snprintf(c->figure_zh, sizeof(c->figure_zh), "证书编号：%s；有效期至：%s",
	    no, exp);
	if (a->level1_cert_expiry == DATE_NONE || a->submitted == DATE_NONE)
		return;
	if (a->level1_cert_expiry < a->submitted)
		c->verdict = RULES_FAIL;
	else if (has_no)
		c->verdict = RULES_PASS;
}

/* Whole years from from to to (0 if to is before from). */
static int
full_years(zdate from, zdate to)
{
	int fy, fm, fd, ty, tm, td, n;

	if (to < from)
		return 0;
	date_to_ymd(from, &fy, &fm, &fd);
	date_to_ymd(to, &ty, &tm, &td);
	n = ty - fy;
	if (n > 0 && date_add_years(from, n) > to)
		n--;
	return n;
}

static void
check_business_years(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	char d[DATE_BUFSZ];
	int years;

	check_head(c, "business_years", "从事信息安全服务年限",
	    "years in the information security service business", "§3.2");
	snprintf(c->threshold_zh, sizeof(c->threshold_zh), "≥%d年",
	    r->elig_business_years);
	if (a->business_start == DATE_NONE || a->submitted == DATE_NONE) {
		snprintf(c->figure_zh, sizeof(c->figure_zh), "未填");
		return;
	}
	years = full_years(a->business_start, a->submitted);
	snprintf(c->figure_zh, sizeof(c->figure_zh), "自%s起，满%d年",
	    date_format(a->business_start, d), years);
	c->verdict = date_add_years(a->business_start, r->elig_business_years)
	    <= a->submitted ? RULES_PASS : RULES_FAIL;
}

static void
check_money(struct rules_check *c, int64_t value, int64_t min,
    const char *prefix)
{
	char t[64], v[64];

	money_zh(t, sizeof(t), min);
	snprintf(c->threshold_zh, sizeof(c->threshold_zh), "%s≥%s", prefix, t);
	if (value < 0)
		snprintf(v, sizeof(v), "未填");
	else
		money_zh(v, sizeof(v), value);
	snprintf(c->figure_zh, sizeof(c->figure_zh), "%s", v);
	c->verdict = at_least(value, min);
}

/* The worse of two verdicts: 不符合, then 需审查, then 待核实, then 符合. */
static enum rules_verdict
worse(enum rules_verdict a, enum rules_verdict b)
{
	static const int rank[] = { [RULES_PASS] = 0, [RULES_UNKNOWN] = 1,
	    [RULES_REVIEW] = 2, [RULES_FAIL] = 3 };

	return rank[b] > rank[a] ? b : a;
}

/* Appends "；" (when not at the start) and the formatted text to buf. */
static void
note_add(char *buf, size_t sz, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
note_add(char *buf, size_t sz, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n > 0 && n + 3 < sz) {
		memcpy(buf + n, "；", 4);
		n += 3;
	}
	if (n + 1 >= sz)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, sz - n, fmt, ap);
	va_end(ap);
}

/* The years judged: the n calendar years before the submission year. */
static int
fin_window(const struct rules *r, const struct rules_applicant *a, int *first)
{
	int y, m, d, n = r->elig_audit_years;

	if (a->submitted == DATE_NONE || a->nfin < 0 || n < 1)
		return 0;
	if (n > RULES_FIN_MAX)
		n = RULES_FIN_MAX;
	date_to_ymd(a->submitted, &y, &m, &d);
	*first = y - n;
	return n;
}

static void
fin_judge(const struct rules_fin_year *y, struct rules_fin_row *row)
{
	char m[64];

	row->verdict = RULES_PASS;
	if (y == NULL) {
		row->verdict = RULES_FAIL;
		note_add(row->note_zh, sizeof(row->note_zh), "未填报该年度");
		return;
	}
	if (y->audit_reports == 0) {
		row->verdict = RULES_FAIL;
		note_add(row->note_zh, sizeof(row->note_zh), "未上传审计报告");
	} else if (y->audit_reports < 0)
		row->verdict = RULES_UNKNOWN;
	if (y->profit < 0 && y->profit != RULES_SIGNED_NONE) {
		money_zh(m, sizeof(m), -y->profit);
		row->verdict = worse(row->verdict, RULES_REVIEW);
		note_add(row->note_zh, sizeof(row->note_zh), "亏损%s", m);
	}
	if (y->net_assets < 0 && y->net_assets != RULES_SIGNED_NONE) {
		money_zh(m, sizeof(m), y->net_assets);
		row->verdict = worse(row->verdict, RULES_REVIEW);
		note_add(row->note_zh, sizeof(row->note_zh), "净资产为负（%s）",
		    m);
	}
	if (y->profit == RULES_SIGNED_NONE ||
	    y->net_assets == RULES_SIGNED_NONE) {
		row->verdict = worse(row->verdict, RULES_UNKNOWN);
		note_add(row->note_zh, sizeof(row->note_zh), "利润或净资产未填");
	}
	if (row->verdict == RULES_PASS)
		note_add(row->note_zh, sizeof(row->note_zh),
		    "有审计报告，未亏损，净资产不为负");
}

size_t
rules_fin_rows(const struct rules *r, const struct rules_applicant *a,
    struct rules_fin_row *out)
{
	const struct rules_fin_year *y;
	int first = 0, n, i, k;
	size_t m = 0;

	if ((n = fin_window(r, a, &first)) == 0)
		return 0;
	for (i = 0; i < n; i++) {
		memset(&out[m], 0, sizeof(out[m]));
		out[m].year = first + i;
		out[m].counted = 1;
		for (k = 0, y = NULL; k < a->nfin && k < RULES_FIN_MAX; k++)
			if (a->fin[k].year == first + i) {
				y = &a->fin[k];
				break;
			}
		out[m].y = y;
		fin_judge(y, &out[m]);
		m++;
	}
	for (k = 0; k < a->nfin && k < RULES_FIN_MAX; k++) {
		if (a->fin[k].year >= first && a->fin[k].year < first + n)
			continue;
		memset(&out[m], 0, sizeof(out[m]));
		out[m].year = a->fin[k].year;
		out[m].y = &a->fin[k];
		out[m].verdict = RULES_UNKNOWN;
		snprintf(out[m].note_zh, sizeof(out[m].note_zh),
		    "不在近%d年（%d—%d年）内，未计入", n, first, first + n - 1);
		m++;
	}
	return m;
}

static void
check_financial(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	struct rules_fin_row rows[RULES_FIN_ROWS];
	size_t n, i;
	int first = 0, k;

	check_head(c, "financial_condition", "近三年财务状况",
	    "financial condition, last 3 years", "§3.2");
	k = fin_window(r, a, &first);
	if (k > 0)
		snprintf(c->threshold_zh, sizeof(c->threshold_zh),
		    "近%d年（%d—%d年）每年有审计报告，未亏损，净资产不为负", k,
		    first, first + k - 1);
	else
		snprintf(c->threshold_zh, sizeof(c->threshold_zh),
		    "近%d年每年有审计报告，未亏损，净资产不为负",
		    r->elig_audit_years);
	if ((n = rules_fin_rows(r, a, rows)) == 0) {
		snprintf(c->figure_zh, sizeof(c->figure_zh), "未填");
		return;
	}
	c->verdict = RULES_PASS;
	for (i = 0; i < n; i++) {
		if (!rows[i].counted) {
			note_add(c->figure_zh, sizeof(c->figure_zh),
			    "%d年未计入", rows[i].year);
			continue;
		}
		c->verdict = worse(c->verdict, rows[i].verdict);
		note_add(c->figure_zh, sizeof(c->figure_zh), "%d年%s",
		    rows[i].year, rules_verdict_zh(rows[i].verdict));
	}
}

/* Whether project p counts toward the project value; why not in why. */
static int
proj_counts(const struct rules *r, zdate submitted,
    const struct rules_project *p, char *why, size_t sz)
{
	zdate from = date_add_years(submitted, -r->elig_project_years);
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];

	why[0] = '\0';
	switch (p->state) {
	case RULES_PROJ_ACCEPTED:
		break;
	case RULES_PROJ_PENDING:
		snprintf(why, sz, "已完工待验收，未计入");
		return 0;
	case RULES_PROJ_ONGOING:
		snprintf(why, sz, "实施中，未计入");
		return 0;
	default:
		snprintf(why, sz, "验收情况未填，未计入");
		return 0;
	}
	if (p->end == DATE_NONE) {
		snprintf(why, sz, "结束日期未填，未计入");
		return 0;
	}
	if (p->end > submitted) {
		snprintf(why, sz, "结束日期%s在提交日%s之后，未计入",
		    date_format(p->end, d1), date_format(submitted, d2));
		return 0;
	}
	if (p->end < from) {
		snprintf(why, sz, "结束于%s，早于近%d年（自%s起），未计入",
		    date_format(p->end, d1), r->elig_project_years,
		    date_format(from, d2));
		return 0;
	}
	if (p->value < 0) {
		snprintf(why, sz, "合同金额未填，未计入");
		return 0;
	}
	snprintf(why, sz, "已验收，结束于%s，计入", date_format(p->end, d1));
	return 1;
}

size_t
rules_proj_rows(const struct rules *r, const struct rules_applicant *a,
    struct rules_proj_row *out)
{
	int i;

	if (a->submitted == DATE_NONE || a->nprojects < 0 ||
	    (a->projects == NULL && a->nprojects > 0))
		return 0;
	for (i = 0; i < a->nprojects; i++) {
		out[i].p = &a->projects[i];
		out[i].counted = proj_counts(r, a->submitted, &a->projects[i],
		    out[i].reason_zh, sizeof(out[i].reason_zh));
	}
	return (size_t)a->nprojects;
}

static void
check_project_value(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	char prefix[64], why[RULES_TEXTSZ], sum_zh[64];
	int64_t sum = 0;
	int i, in = 0, out = 0;

	check_head(c, "project_value", "近三年项目总值",
	    "project value in the last 3 years", "§3.2");
	snprintf(prefix, sizeof(prefix), "近%d年完成项目总值",
	    r->elig_project_years);
	if (a->submitted == DATE_NONE || a->nprojects < 0 ||
	    (a->projects == NULL && a->nprojects > 0)) {
		check_money(c, RULES_NONE, r->elig_project_value, prefix);
		return;
	}
	for (i = 0; i < a->nprojects; i++) {
		if (proj_counts(r, a->submitted, &a->projects[i], why,
		    sizeof(why))) {
			sum += a->projects[i].value;
			in++;
		} else
			out++;
	}
	check_money(c, sum, r->elig_project_value, prefix);
	money_zh(sum_zh, sizeof(sum_zh), sum);
	if (out > 0)
		snprintf(c->figure_zh, sizeof(c->figure_zh),
		    "%s（计入%d个项目，%d个未计入）", sum_zh, in, out);
	else
		snprintf(c->figure_zh, sizeof(c->figure_zh),
		    "%s（计入%d个项目）", sum_zh, in);
}

static void
check_cisp(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	char staff[48], cisp[48];
	int min;

	check_head(c, "cisp_staff", "专职注册信息安全专业人员（CISP）",
	    "full-time registered professionals (CISP)", "§3.2");
	snprintf(c->threshold_zh, sizeof(c->threshold_zh),
	    "不少于安全工程专业技术人员的%d%%（向上取整），且不少于%d人",
	    r->elig_cisp_percent, r->elig_cisp_min);
	if (a->engineering_staff < 0)
		snprintf(staff, sizeof(staff), "未填");
	else
		snprintf(staff, sizeof(staff), "%d人", a->engineering_staff);
	if (a->cisp_staff < 0)
		snprintf(cisp, sizeof(cisp), "未填");
	else
		snprintf(cisp, sizeof(cisp), "%d人", a->cisp_staff);
	if (a->engineering_staff >= 0) {
		min = rules_min_cisp(r, a->engineering_staff);
		snprintf(c->figure_zh, sizeof(c->figure_zh),
		    "安全工程专业技术人员%s，CISP %s（应不少于%d人）",
		    staff, cisp, min);
		c->verdict = at_least(a->cisp_staff, min);
	} else {
		snprintf(c->figure_zh, sizeof(c->figure_zh),
		    "安全工程专业技术人员%s，CISP %s", staff, cisp);
		/* Below the floor fails whatever the staff count. */
		if (a->cisp_staff >= 0 && a->cisp_staff < r->elig_cisp_min)
			c->verdict = RULES_FAIL;
	}
}

static void
check_complete(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *c)
{
	check_head(c, "complete_process", "实践过完整的安全工程过程",
	    "complete security engineering process practised", "§3.2");
	snprintf(c->threshold_zh, sizeof(c->threshold_zh),
	    "至少%d个项目实践过完整的安全工程过程", r->elig_complete_projects);
	if (a->complete_projects < 0)
		snprintf(c->figure_zh, sizeof(c->figure_zh), "未填");
	else
		snprintf(c->figure_zh, sizeof(c->figure_zh), "%d个项目",
		    a->complete_projects);
	c->verdict = at_least(a->complete_projects, r->elig_complete_projects);
}

size_t
rules_eligibility(const struct rules *r, const struct rules_applicant *a,
    struct rules_check *out)
{
	check_legal_entity(r, a, &out[0]);
	check_approval(r, a, &out[1]);
	check_level1(r, a, &out[2]);
	/* §3.1: 基本资格 is the start condition (起评条件). */
	out[0].basic = out[1].basic = out[2].basic = 1;
	check_business_years(r, a, &out[3]);
	check_head(&out[4], "registered_capital", "注册资本",
	    "registered capital", "§3.2");
	check_money(&out[4], a->registered_capital, r->elig_registered_capital,
	    "");
	check_head(&out[5], "total_assets", "资产总额", "total assets", "§3.2");
	check_money(&out[5], a->total_assets, r->elig_total_assets, "");
	check_financial(r, a, &out[6]);
	check_cisp(r, a, &out[7]);
	check_complete(r, a, &out[8]);
	check_project_value(r, a, &out[9]);
	return RULES_NCHECKS;
}

/* ---- 统一社会信用代码 ------------------------------------------------ */

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] =
    { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

/* The value (0..30) of an alphabet character, or -1. */
static int
uscc_value(char ch)
{
	const char *p;

	if (ch == '\0')
		return -1;
	p = strchr(uscc_alphabet, ch);
	return p == NULL ? -1 : (int)(p - uscc_alphabet);
}

char
uscc_check_char(const char *s)
{
	int i, v, sum = 0, check;

	for (i = 0; i < 17; i++) {
		if ((v = uscc_value(s[i])) < 0)
			return '\0';
		sum += v * uscc_weights[i];
	}
	check = 31 - sum % 31;
	if (check == 31)
		check = 0;
	return uscc_alphabet[check];
}

enum uscc_reason
uscc_validate(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return USCC_EMPTY;
	if (strlen(s) != 18)
		return USCC_LENGTH;
	for (i = 0; i < 18; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return USCC_LOWERCASE;
	for (i = 0; i < 18; i++)
		if (uscc_value(s[i]) < 0)
			return USCC_ALPHABET;
	if (uscc_check_char(s) != s[17])
		return USCC_CHECK;
	return USCC_OK;
}

const char *
uscc_reason_code(enum uscc_reason r)
{
	switch (r) {
	case USCC_OK:
		return "ok";
	case USCC_EMPTY:
		return "empty";
	case USCC_LENGTH:
		return "length";
	case USCC_LOWERCASE:
		return "lowercase";
	case USCC_ALPHABET:
		return "alphabet";
	default:
		return "check";
	}
}

const char *
uscc_reason_zh(enum uscc_reason r)
{
	switch (r) {
	case USCC_OK:
		return "统一社会信用代码有效";
	case USCC_EMPTY:
		return "请填写统一社会信用代码";
	case USCC_LENGTH:
		return "统一社会信用代码应为18位";
	case USCC_LOWERCASE:
		return "统一社会信用代码中的字母应为大写";
	case USCC_ALPHABET:
		return "统一社会信用代码含有不允许的字符（只能是数字和除I、O、S、V、Z以外的大写字母）";
	default:
		return "统一社会信用代码校验位不正确，请核对是否填写有误";
	}
}

const char *
uscc_reason_en(enum uscc_reason r)
{
	switch (r) {
	case USCC_OK:
		return "valid";
	case USCC_EMPTY:
		return "no code given";
	case USCC_LENGTH:
		return "a credit code has 18 characters";
	case USCC_LOWERCASE:
		return "letters must be uppercase";
	case USCC_ALPHABET:
		return "only digits and the uppercase letters except I, O, S, V, Z "
		    "are allowed";
	default:
		return "the check character (18th) does not match";
	}
}
