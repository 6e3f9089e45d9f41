/*
 * test_rules.c: the rules module (src/rules.c): fees, the maintenance
 * window, supplement deadlines, validity, retention, the case clock,
 * CISP minimum, eligibility checks and 统一社会信用代码.
 *
 * Expected values are worked out by hand (docs/rules.md shows the same
 * examples), not computed with the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"
#include "rules.h"
#include "status.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static zdate
D(const char *s)
{
	zdate d = DATE_NONE;

	if (date_parse(s, &d) != 0)
		fail_msg("test table date \"%s\" does not parse", s);
	return d;
}

static void
assert_date(zdate got, const char *want, const char *what)
{
	char buf[DATE_BUFSZ];

	date_format(got, buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s: got %s, expected %s", what, buf, want);
}

static void
test_table(void **state)
{
	const struct rules *r = rules_default();

	assert_non_null(r);
	assert_int_equal(r->fee_initial_audit, 7200000);
	assert_int_equal(r->fee_initial_annual, 1500000);
	assert_int_equal(r->fee_maint_audit, 4800000);
	assert_int_equal(r->fee_maint_annual, 1500000);
	assert_int_equal(r->supplement_months, 1);
	assert_int_equal(r->target_months, 3);
	assert_int_equal(r->limit_months, 6);
	assert_int_equal(r->validity_years, 3);
	assert_int_equal(r->maint_ontime_months, 6);
	assert_int_equal(r->maint_initial_months, 6);
	assert_int_equal(r->retention_years, 6);
	assert_int_equal(r->elig_business_years, 3);
	assert_int_equal(r->elig_registered_capital, 100000000);
	assert_int_equal(r->elig_total_assets, 200000000);
	assert_int_equal(r->elig_cisp_percent, 10);
	assert_int_equal(r->elig_cisp_min, 6);
	assert_int_equal(r->elig_project_value, 200000000);
	assert_int_equal(r->elig_audit_years, 3);

	/* What each status does to the clock (§9.3): the status table's
	 * facts, pinned here by hand. */
	assert_int_equal(status_clock_flags(ST_SUBMITTED), RULES_EV_START);
	assert_int_equal(status_clock_flags(ST_SUPPLEMENT_REQUESTED),
	    RULES_EV_PAUSED);
	assert_int_equal(status_clock_flags(ST_AGREEMENT_SENT),
	    RULES_EV_PAUSED);
	assert_int_equal(status_clock_flags(ST_AWAITING_PAYMENT),
	    RULES_EV_PAUSED);
	assert_int_equal(status_clock_flags(ST_DRAFT), 0);
	assert_int_equal(status_clock_flags(ST_INTAKE_REVIEW), 0);
	assert_int_equal(status_clock_flags(ST_ACCEPTED), 0);
	assert_int_equal(status_clock_flags(ST_ASSESSMENT_PLANNING), 0);
	assert_int_equal(status_clock_flags(ST_ASSESSING), 0);
	assert_int_equal(status_clock_flags(ST_EXPERT_REVIEW), 0);
	assert_int_equal(status_clock_flags(ST_CERTIFICATE_PENDING), 0);
	assert_int_equal(status_clock_flags(ST_REJECTED), RULES_EV_FINAL);
	assert_int_equal(status_clock_flags(ST_FAILED), RULES_EV_FINAL);
	assert_int_equal(status_clock_flags(ST_ISSUED), RULES_EV_FINAL);
	assert_int_equal(status_clock_flags(ST_WITHDRAWN), RULES_EV_FINAL);
}

static void
test_fees(void **state)
{
	static const struct {
		const char	*expiry, *filed;
		int64_t		 audit, annual, total;
		const char	*as;
	} t[] = {
		{ "2026-08-31", "2026-02-28", 4800000, 1500000, 6300000,
		    "maintenance" },
		{ "2026-08-31", "2026-12-01", 4800000, 1500000, 6300000,
		    "maintenance" },
		{ "2026-08-31", "2027-02-28", 4800000, 1500000, 6300000,
		    "maintenance" },
		{ "2026-08-31", "2027-03-01", 7200000, 1500000, 8700000,
		    "initial" },
	};
	const struct rules *r = rules_default();
	struct rules_fee f;
	size_t i;

	rules_fee_initial(r, &f);
	assert_int_equal(f.audit, 7200000);
	assert_int_equal(f.annual, 1500000);
	assert_int_equal(f.total, 8700000);
	assert_int_equal(f.treated_as, RULES_APP_INITIAL);
	assert_string_equal(rules_apptype_code(f.treated_as), "initial");
	assert_string_equal(rules_apptype_zh(f.treated_as), "初次申请");

	for (i = 0; i < NELEM(t); i++) {
		rules_fee_maintenance(r, D(t[i].expiry), D(t[i].filed), &f);
		assert_int_equal(f.audit, t[i].audit);
		assert_int_equal(f.annual, t[i].annual);
		assert_int_equal(f.total, t[i].total);
		assert_string_equal(rules_apptype_code(f.treated_as), t[i].as);
	}

	/* A change of fee is a data change. */
	{
		struct rules r2 = *r;

		r2.fee_maint_audit = 5000000;
		rules_fee_maintenance(&r2, D("2026-08-31"), D("2026-01-01"),
		    &f);
		assert_int_equal(f.total, 6500000);
	}
}

/* Each class on and either side of its boundary day. */
static void
test_window(void **state)
{
	static const struct {
		const char	*expiry, *filed, *until, *late_until, *class;
	} t[] = {
		/* 2026-08-31: on time through 2026-02-28, late through
		 * 2027-02-28 (both clamped). */
		{ "2026-08-31", "2025-09-01", "2026-02-28", "2027-02-28", "on_time" },
		{ "2026-08-31", "2026-02-27", "2026-02-28", "2027-02-28", "on_time" },
		{ "2026-08-31", "2026-02-28", "2026-02-28", "2027-02-28", "on_time" },
		{ "2026-08-31", "2026-03-01", "2026-02-28", "2027-02-28", "late" },
		{ "2026-08-31", "2026-08-31", "2026-02-28", "2027-02-28", "late" },
		{ "2026-08-31", "2027-02-27", "2026-02-28", "2027-02-28", "late" },
		{ "2026-08-31", "2027-02-28", "2026-02-28", "2027-02-28", "late" },
		{ "2026-08-31", "2027-03-01", "2026-02-28", "2027-02-28", "initial" },
		/* Leap February on both sides. */
		{ "2028-08-31", "2028-02-29", "2028-02-29", "2029-02-28", "on_time" },
		{ "2028-08-31", "2028-03-01", "2028-02-29", "2029-02-28", "late" },
		{ "2027-08-31", "2027-02-28", "2027-02-28", "2028-02-29", "on_time" },
		{ "2027-08-31", "2028-02-29", "2027-02-28", "2028-02-29", "late" },
		{ "2027-08-31", "2028-03-01", "2027-02-28", "2028-02-29", "initial" },
		/* A mid-month expiry. */
		{ "2027-05-15", "2026-11-14", "2026-11-15", "2027-11-15", "on_time" },
		{ "2027-05-15", "2026-11-15", "2026-11-15", "2027-11-15", "on_time" },
		{ "2027-05-15", "2026-11-16", "2026-11-15", "2027-11-15", "late" },
		{ "2027-05-15", "2027-11-14", "2026-11-15", "2027-11-15", "late" },
		{ "2027-05-15", "2027-11-15", "2026-11-15", "2027-11-15", "late" },
		{ "2027-05-15", "2027-11-16", "2026-11-15", "2027-11-15", "initial" },
		/* Expiry on Feb 28: minus 6 months is Aug 28, not Aug 31. */
		{ "2027-02-28", "2026-08-28", "2026-08-28", "2027-08-28", "on_time" },
		{ "2027-02-28", "2026-08-29", "2026-08-28", "2027-08-28", "late" },
		{ "2027-02-28", "2027-08-29", "2026-08-28", "2027-08-28", "initial" },
	};
	const struct rules *r = rules_default();
	struct rules_window w;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		rules_maint_window(r, D(t[i].expiry), D(t[i].filed), &w);
		assert_date(w.on_time_until, t[i].until, "on_time_until");
		assert_date(w.late_until, t[i].late_until, "late_until");
		if (strcmp(rules_maint_class_code(w.class), t[i].class) != 0)
			fail_msg("expiry %s filed %s: %s, expected %s",
			    t[i].expiry, t[i].filed,
			    rules_maint_class_code(w.class), t[i].class);
	}
	assert_string_equal(rules_maint_class_zh(RULES_MAINT_ON_TIME),
	    "按期维持申请");
	assert_string_equal(rules_maint_class_zh(RULES_MAINT_LATE),
	    "逾期维持申请");
	assert_string_equal(rules_maint_class_zh(RULES_MAINT_INITIAL),
	    "视作初次申请");
}

static void
test_supplement(void **state)
{
	static const struct { const char *sent, *due; } t[] = {
		{ "2026-01-31", "2026-02-28" },
		{ "2028-01-31", "2028-02-29" },
		{ "2026-01-29", "2026-02-28" },
		{ "2026-01-28", "2026-02-28" },
		{ "2026-02-28", "2026-03-28" },
		{ "2026-03-31", "2026-04-30" },
		{ "2026-05-15", "2026-06-15" },
		{ "2026-12-31", "2027-01-31" },
		{ "2026-12-01", "2027-01-01" },
	};
	const struct rules *r = rules_default();
	size_t i;
	zdate due;

	for (i = 0; i < NELEM(t); i++) {
		due = rules_supplement_due(r, D(t[i].sent));
		assert_date(due, t[i].due, t[i].sent);
		/* Inclusive: the due day is on time, the next is late. */
		assert_false(rules_supplement_late(r, D(t[i].sent), due - 1));
		assert_false(rules_supplement_late(r, D(t[i].sent), due));
		assert_true(rules_supplement_late(r, D(t[i].sent), due + 1));
	}
}

static void
test_validity_retention(void **state)
{
	static const struct { const char *issued, *expires; } v[] = {
		{ "2026-03-15", "2029-03-14" },
		{ "2026-01-01", "2028-12-31" },
		{ "2025-03-01", "2028-02-29" },	/* leap year end */
		{ "2024-02-29", "2027-02-27" },	/* + 3 years clamps to 02-28 */
		{ "2026-12-31", "2029-12-30" },
	};
	static const struct { const char *closed, *from; } t[] = {
		{ "2026-03-15", "2032-03-15" },
		{ "2024-02-29", "2030-02-28" },
		{ "2028-02-29", "2034-02-28" },
		{ "2026-12-31", "2032-12-31" },
	};
	const struct rules *r = rules_default();
	size_t i;
	zdate d;

	for (i = 0; i < NELEM(v); i++) {
		d = rules_cert_expires(r, D(v[i].issued));
		assert_date(d, v[i].expires, v[i].issued);
		assert_false(rules_cert_valid_on(r, D(v[i].issued),
		    D(v[i].issued) - 1));
		assert_true(rules_cert_valid_on(r, D(v[i].issued),
		    D(v[i].issued)));
		assert_true(rules_cert_valid_on(r, D(v[i].issued), d));
		assert_false(rules_cert_valid_on(r, D(v[i].issued), d + 1));
	}
	for (i = 0; i < NELEM(t); i++) {
		d = rules_dispose_from(r, D(t[i].closed));
		assert_date(d, t[i].from, t[i].closed);
		assert_false(rules_may_dispose(r, D(t[i].closed), d - 1));
		assert_true(rules_may_dispose(r, D(t[i].closed), d));
	}
}

static void
test_cisp(void **state)
{
	static const struct { int staff, min; } t[] = {
		{ 0, 6 }, { 1, 6 }, { 50, 6 }, { 59, 6 }, { 60, 6 },
		{ 61, 7 }, { 70, 7 }, { 71, 8 }, { 75, 8 }, { 80, 8 },
		{ 100, 10 }, { 101, 11 }, { 1000, 100 }, { -3, 6 },
	};
	const struct rules *r = rules_default();
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		if (rules_min_cisp(r, t[i].staff) != t[i].min)
			fail_msg("min CISP for %d staff: %d, expected %d",
			    t[i].staff, rules_min_cisp(r, t[i].staff),
			    t[i].min);
}

struct clock_case {
	const char	*name;
	const char	*submitted, *now;
	const char	*spans[4][2];	/* {from, to}; to NULL: open */
	int		 ok;
	int32_t		 elapsed, paused, net;
	const char	*target, *limit, *state;
	int		 paused_now;
};

/*
 * Submitted 2026-01-10: target 2026-04-10 (90 net days), limit
 * 2026-07-10 (181 net days), at risk once net days > 60 (2/3 of 90).
 * Submitted 2026-08-31: target 2026-11-30 (91 days; at risk > 60),
 * limit 2027-02-28 (181 days).
 */
#define REFUSED	0, 0, 0, 0, NULL, NULL, NULL, 0

static const struct clock_case clock_cases[] = {
	{ "day 0", "2026-01-10", "2026-01-10", { { NULL } }, 1,
	    0, 0, 0, "2026-04-10", "2026-07-10", "on_track", 0 },
	{ "net 60", "2026-01-10", "2026-03-11", { { NULL } }, 1,
	    60, 0, 60, "2026-04-10", "2026-07-10", "on_track", 0 },
	{ "net 61", "2026-01-10", "2026-03-12", { { NULL } }, 1,
	    61, 0, 61, "2026-04-10", "2026-07-10", "at_risk", 0 },
	{ "on target day", "2026-01-10", "2026-04-10", { { NULL } }, 1,
	    90, 0, 90, "2026-04-10", "2026-07-10", "at_risk", 0 },
	{ "day after target", "2026-01-10", "2026-04-11", { { NULL } }, 1,
	    91, 0, 91, "2026-04-10", "2026-07-10", "over_target", 0 },
	{ "on limit day", "2026-01-10", "2026-07-10", { { NULL } }, 1,
	    181, 0, 181, "2026-04-10", "2026-07-10", "over_target", 0 },
	{ "day after limit", "2026-01-10", "2026-07-11", { { NULL } }, 1,
	    182, 0, 182, "2026-04-10", "2026-07-10", "over_limit", 0 },
	{ "pause over month end", "2026-01-10", "2026-04-19",
	    { { "2026-01-25", "2026-02-03" } }, 1,
	    99, 9, 90, "2026-04-19", "2026-07-19", "at_risk", 0 },
	{ "pause over month end, +1", "2026-01-10", "2026-04-20",
	    { { "2026-01-25", "2026-02-03" } }, 1,
	    100, 9, 91, "2026-04-19", "2026-07-19", "over_target", 0 },
	{ "several pauses", "2026-01-10", "2026-04-30",
	    { { "2026-01-20", "2026-02-05" }, { "2026-02-27", "2026-03-02" },
	      { "2026-03-31", "2026-04-01" } }, 1,
	    110, 20, 90, "2026-04-30", "2026-07-30", "at_risk", 0 },
	{ "several pauses, +1", "2026-01-10", "2026-05-01",
	    { { "2026-01-20", "2026-02-05" }, { "2026-02-27", "2026-03-02" },
	      { "2026-03-31", "2026-04-01" } }, 1,
	    111, 20, 91, "2026-04-30", "2026-07-30", "over_target", 0 },
	{ "adjacent pauses", "2026-01-10", "2026-03-01",
	    { { "2026-01-20", "2026-02-05" }, { "2026-02-05", "2026-02-10" } },
	    1, 50, 21, 29, "2026-05-01", "2026-07-31", "on_track", 0 },
	{ "open pause", "2026-01-10", "2026-03-20",
	    { { "2026-03-01", NULL } }, 1,
	    69, 19, 50, "2026-04-29", "2026-07-29", "on_track", 1 },
	{ "closed and open pause", "2026-01-10", "2026-03-20",
	    { { "2026-01-20", "2026-02-05" }, { "2026-03-01", NULL } }, 1,
	    69, 35, 34, "2026-05-15", "2026-08-14", "on_track", 1 },
	{ "open pause begun today", "2026-01-10", "2026-03-20",
	    { { "2026-03-20", NULL } }, 1,
	    69, 0, 69, "2026-04-10", "2026-07-10", "at_risk", 1 },
	{ "pause ending after now", "2026-01-10", "2026-03-20",
	    { { "2026-03-01", "2026-04-01" } }, 1,
	    69, 19, 50, "2026-04-29", "2026-07-29", "on_track", 1 },
	{ "pause ending on now", "2026-01-10", "2026-03-20",
	    { { "2026-03-01", "2026-03-20" } }, 1,
	    69, 19, 50, "2026-04-29", "2026-07-29", "on_track", 0 },
	{ "pause after now", "2026-01-10", "2026-03-20",
	    { { "2026-04-01", "2026-04-05" } }, 1,
	    69, 0, 69, "2026-04-10", "2026-07-10", "at_risk", 0 },
	{ "pause from day 0", "2026-01-10", "2026-01-20",
	    { { "2026-01-10", "2026-01-20" } }, 1,
	    10, 10, 0, "2026-04-20", "2026-07-20", "on_track", 0 },
	{ "month-end submission, net 60", "2026-08-31", "2026-10-30",
	    { { NULL } }, 1,
	    60, 0, 60, "2026-11-30", "2027-02-28", "on_track", 0 },
	{ "month-end submission, net 61", "2026-08-31", "2026-10-31",
	    { { NULL } }, 1,
	    61, 0, 61, "2026-11-30", "2027-02-28", "at_risk", 0 },
	{ "month-end submission, target", "2026-08-31", "2026-12-01",
	    { { NULL } }, 1,
	    92, 0, 92, "2026-11-30", "2027-02-28", "over_target", 0 },
	{ "month-end submission, limit", "2026-08-31", "2027-03-01",
	    { { NULL } }, 1,
	    182, 0, 182, "2026-11-30", "2027-02-28", "over_limit", 0 },
	{ "pause over leap February", "2027-12-15", "2028-04-01",
	    { { "2028-02-27", "2028-03-02" } }, 1,
	    108, 4, 104, "2028-03-19", "2028-06-19", "over_target", 0 },
	/* Refusals. */
	{ "now before submission", "2026-01-10", "2026-01-09",
	    { { NULL } }, REFUSED },
	{ "pause before submission", "2026-01-10", "2026-03-01",
	    { { "2026-01-09", "2026-01-12" } }, REFUSED },
	{ "pause ends before it starts", "2026-01-10", "2026-03-01",
	    { { "2026-01-20", "2026-01-19" } }, REFUSED },
	{ "overlapping pauses", "2026-01-10", "2026-03-01",
	    { { "2026-01-20", "2026-02-05" }, { "2026-02-01", "2026-02-10" } },
	    REFUSED },
	{ "pauses out of order", "2026-01-10", "2026-03-01",
	    { { "2026-02-01", "2026-02-05" }, { "2026-01-20", "2026-01-25" } },
	    REFUSED },
	{ "open pause not last", "2026-01-10", "2026-03-01",
	    { { "2026-01-20", NULL }, { "2026-02-01", "2026-02-05" } },
	    REFUSED },
};

static void
test_clock_spans(void **state)
{
	const struct rules *r = rules_default();
	const struct clock_case *t;
	struct rules_span sp[4];
	struct rules_clock c;
	size_t i, n;
	int rc;

	for (i = 0; i < NELEM(clock_cases); i++) {
		t = &clock_cases[i];
		for (n = 0; n < 4 && t->spans[n][0] != NULL; n++) {
			sp[n].from = D(t->spans[n][0]);
			sp[n].to = t->spans[n][1] == NULL ? DATE_NONE :
			    D(t->spans[n][1]);
		}
		rc = rules_clock_spans(r, D(t->submitted), D(t->now), sp, n,
		    &c);
		if (!t->ok) {
			if (rc != -1)
				fail_msg("%s: accepted", t->name);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: refused", t->name);
		if (c.elapsed_days != t->elapsed || c.paused_days != t->paused ||
		    c.net_days != t->net)
			fail_msg("%s: elapsed %ld paused %ld net %ld, expected "
			    "%ld %ld %ld", t->name, (long)c.elapsed_days,
			    (long)c.paused_days, (long)c.net_days,
			    (long)t->elapsed, (long)t->paused, (long)t->net);
		assert_date(c.target, t->target, t->name);
		assert_date(c.limit, t->limit, t->name);
		if (strcmp(rules_clock_state_code(c.state), t->state) != 0)
			fail_msg("%s: state %s, expected %s", t->name,
			    rules_clock_state_code(c.state), t->state);
		if (c.paused != t->paused_now)
			fail_msg("%s: paused flag %d", t->name, c.paused);
		assert_false(c.stopped);
	}
	assert_string_equal(rules_clock_state_zh(RULES_CLOCK_AT_RISK),
	    "临近目标期限");
}

static void
check_clock(const struct rules_clock *c, const char *name, int32_t elapsed,
    int32_t paused, int32_t net, const char *target, const char *limit,
    const char *st, int paused_now, int stopped)
{
	if (c->elapsed_days != elapsed || c->paused_days != paused ||
	    c->net_days != net)
		fail_msg("%s: elapsed %ld paused %ld net %ld, expected "
		    "%ld %ld %ld", name, (long)c->elapsed_days,
		    (long)c->paused_days, (long)c->net_days,
		    (long)elapsed, (long)paused, (long)net);
	assert_date(c->target, target, name);
	assert_date(c->limit, limit, name);
	assert_string_equal(rules_clock_state_code(c->state), st);
	assert_int_equal(c->paused, paused_now);
	assert_int_equal(c->stopped, stopped);
}

static void
test_clock_events(void **state)
{
	const struct rules *r = rules_default();
	struct rules_event ev[12];
	struct rules_span sp[2];
	struct rules_clock c, c2;
	size_t n = 0;

#define EV(d, s)	(ev[n].date = D(d), \
	ev[n].flags = status_clock_flags(status_of(s)), n++)
	EV("2026-01-05", "draft");
	EV("2026-01-10", "submitted");
	EV("2026-01-12", "intake_review");
	EV("2026-01-20", "supplement_requested");
	EV("2026-02-05", "intake_review");
	EV("2026-02-10", "accepted");
	EV("2026-02-27", "agreement_sent");
	EV("2026-03-02", "awaiting_payment");
	EV("2026-03-10", "assessment_planning");
	EV("2026-03-15", "assessing");

	/* Paused 16 days (supplement) + 11 (agreement, payment). */
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-04-01"), &c), 0);
	assert_date(c.submitted, "2026-01-10", "submitted");
	check_clock(&c, "events", 81, 27, 54, "2026-05-07", "2026-08-06",
	    "on_track", 0, 0);

	/* The same case given as spans gives the same clock. */
	sp[0].from = D("2026-01-20"), sp[0].to = D("2026-02-05");
	sp[1].from = D("2026-02-27"), sp[1].to = D("2026-03-10");
	assert_int_equal(rules_clock_spans(r, D("2026-01-10"),
	    D("2026-04-01"), sp, 2, &c2), 0);
	assert_memory_equal(&c, &c2, sizeof(c));

	/* As of 2026-03-05: later events not yet; awaiting payment. */
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-05"), &c), 0);
	check_clock(&c, "events, paused now", 54, 22, 32, "2026-05-02",
	    "2026-08-01", "on_track", 1, 0);

	/* Issued on 2026-04-20: the clock stops there. */
	EV("2026-04-20", "certificate_pending");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-09-01"), &c), 0);
	check_clock(&c, "events, not stopped", 234, 27, 207, "2026-05-07",
	    "2026-08-06", "over_limit", 0, 0);
	ev[n - 1].flags = status_clock_flags(ST_ISSUED);
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-09-01"), &c), 0);
	check_clock(&c, "events, issued", 100, 27, 73, "2026-05-07",
	    "2026-08-06", "at_risk", 0, 1);
	assert_date(c.now, "2026-04-20", "stop day");

	/* Withdrawn while waiting for a supplement. */
	n = 0;
	EV("2026-01-10", "submitted");
	EV("2026-01-20", "supplement_requested");
	EV("2026-02-01", "withdrawn");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-01"), &c), 0);
	check_clock(&c, "withdrawn", 22, 12, 10, "2026-04-22", "2026-07-22",
	    "on_track", 0, 1);

	/*
	 * Refused, then reopened by an upheld appeal (docs/rules.md): the
	 * days from the refusal to the reopening are paused and the clock
	 * runs on; until the reopening (or with it after now) it is stopped.
	 */
	n = 0;
	EV("2026-01-10", "submitted");
	EV("2026-01-12", "intake_review");
	EV("2026-02-01", "rejected");
	EV("2026-03-01", "intake_review");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-11"), &c), 0);
	check_clock(&c, "reopened", 60, 28, 32, "2026-05-08", "2026-08-07",
	    "on_track", 0, 0);
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-02-15"), &c), 0);
	check_clock(&c, "refused, reopened later", 22, 0, 22, "2026-04-10",
	    "2026-07-10", "on_track", 0, 1);
	/* Refused again: stopped there, the first refusal's days paused. */
	EV("2026-03-20", "rejected");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-05-01"), &c), 0);
	check_clock(&c, "refused again", 69, 28, 41, "2026-05-08",
	    "2026-08-07", "on_track", 0, 1);
	assert_date(c.now, "2026-03-20", "second stop day");
	/* The same as spans: the refusal's days are a pause. */
	sp[0].from = D("2026-02-01"), sp[0].to = D("2026-03-01");
	assert_int_equal(rules_clock_spans(r, D("2026-01-10"),
	    D("2026-03-11"), sp, 1, &c2), 0);
	n = 4;
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-11"), &c), 0);
	assert_memory_equal(&c, &c2, sizeof(c));

	/* Refusals: never submitted, submitted after now, dates backwards. */
	n = 0;
	EV("2026-01-05", "draft");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-01"), &c), -1);
	EV("2026-03-02", "submitted");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-01"), &c), -1);
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-02"), &c), 0);
	EV("2026-03-01", "intake_review");
	assert_int_equal(rules_clock_events(r, ev, n, D("2026-03-05"), &c), -1);
	assert_int_equal(rules_clock_events(r, ev, 0, D("2026-03-05"), &c), -1);
#undef EV
}

static void
test_uscc(void **state)
{
	static const struct { const char *code; enum uscc_reason why; } t[] = {
		/* Published codes. */
		{ "91350100M000100Y43", USCC_OK },
		{ "9144030071526726XG", USCC_OK },
		{ "914403001922038216", USCC_OK },
		{ "91440300708461136T", USCC_OK },
		{ "911100001000079554", USCC_OK },
		{ "91110108551385082Q", USCC_OK },
		{ "12100000400000624D", USCC_OK },
		/* Worked out by hand (docs/rules.md). */
		{ "91110000000000000E", USCC_OK },
		{ "913101150000000700", USCC_OK },	/* sum % 31 == 0 */
		{ "91310115000000060Y", USCC_OK },	/* check value 30 */
		/* Wrong check character. */
		{ "91350100M000100Y44", USCC_CHECK },
		{ "91350100M000100Y4A", USCC_CHECK },
		{ "91350100M000010Y43", USCC_CHECK },	/* transposed */
		{ "91110000000000000F", USCC_CHECK },
		{ "913101150000000701", USCC_CHECK },
		/* Wrong length. */
		{ "", USCC_EMPTY },
		{ "91350100M000100Y4", USCC_LENGTH },
		{ "91350100M000100Y433", USCC_LENGTH },
		{ "91350100M000100Y43 ", USCC_LENGTH },
		{ "9135 0100 M000 100Y 43", USCC_LENGTH },
		/* Lowercase is refused, not folded. */
		{ "91350100m000100y43", USCC_LOWERCASE },
		{ "9144030071526726xg", USCC_LOWERCASE },
		/* Wrong alphabet: I O S V Z, punctuation, non-ASCII. */
		{ "91350100I000100Y43", USCC_ALPHABET },
		{ "91350100O000100Y43", USCC_ALPHABET },
		{ "91350100S000100Y43", USCC_ALPHABET },
		{ "91350100V000100Y43", USCC_ALPHABET },
		{ "91350100Z000100Y43", USCC_ALPHABET },
		{ "91350100-000100Y43", USCC_ALPHABET },
		{ "91350100M000100YI3", USCC_ALPHABET },
		{ "9135010" "\xe4\xb8\x80" "000100Y4", USCC_ALPHABET },
	};
	size_t i;
	enum uscc_reason why;

	for (i = 0; i < NELEM(t); i++) {
		why = uscc_validate(t[i].code);
		if (why != t[i].why)
			fail_msg("\"%s\": %s, expected %s", t[i].code,
			    uscc_reason_code(why), uscc_reason_code(t[i].why));
		assert_non_null(uscc_reason_zh(why));
		assert_non_null(uscc_reason_en(why));
	}
	assert_int_equal(uscc_validate(NULL), USCC_EMPTY);
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(uscc_check_char("91110000000000000"), 'E');
	assert_int_equal(uscc_check_char("91350100I000100Y4"), '\0');
	assert_string_equal(uscc_reason_code(USCC_CHECK), "check");
	assert_string_equal(uscc_reason_code(USCC_LENGTH), "length");
	assert_string_equal(uscc_reason_code(USCC_ALPHABET), "alphabet");
	assert_string_equal(uscc_reason_code(USCC_LOWERCASE), "lowercase");
	assert_string_equal(uscc_reason_zh(USCC_LENGTH),
	    "统一社会信用代码应为18位");
}

static const char *const check_codes[RULES_NCHECKS] = {
	"legal_entity", "approval_lawful", "level1_cert", "business_years",
	"registered_capital", "total_assets", "financial_condition",
	"cisp_staff", "complete_process", "project_value",
};

/* One accepted project of 200万元 that ended 2024-06-30. */
static const struct rules_project pass_projects[] = {
	{ 0, "某系统安全工程", 200000000, 0, RULES_PROJ_ACCEPTED },
};
static struct rules_project projects_buf[8];

/* A year with its audit report, a profit and positive net assets. */
static void
good_year(struct rules_fin_year *y, int year)
{
	y->year = year;
	y->total_assets = 400000000;
	y->net_assets = 300000000;
	y->revenue = 800000000;
	y->profit = 50000000;
	y->audit_reports = 1;
}

/* An applicant that meets every threshold exactly. */
static void
applicant_pass(struct rules_applicant *a)
{
	rules_applicant_init(a);
	a->submitted = D("2026-03-01");
	a->legal_entity = RULES_TRI_YES;
	a->business_licence = RULES_TRI_YES;
	a->uscc = "91350100M000100Y43";
	a->approval_declared = RULES_TRI_YES;
	a->approval_evidence = RULES_TRI_YES;
	a->level1_cert_no = "CNITSEC2023SRV-I-1234";
	a->level1_cert_expiry = D("2026-03-01");
	a->business_start = D("2023-03-01");
	a->registered_capital = 100000000;
	a->total_assets = 200000000;
	good_year(&a->fin[0], 2023);
	good_year(&a->fin[1], 2024);
	good_year(&a->fin[2], 2025);
	a->nfin = 3;
	a->engineering_staff = 61;
	a->cisp_staff = 7;
	a->complete_projects = 1;
	memcpy(projects_buf, pass_projects, sizeof(pass_projects));
	projects_buf[0].end = D("2024-06-30");
	a->projects = projects_buf;
	a->nprojects = 1;
}

static enum rules_verdict
verdict_of(const struct rules_applicant *a, const char *code)
{
	struct rules_check c[RULES_NCHECKS];
	size_t i;

	assert_int_equal(rules_eligibility(rules_default(), a, c),
	    RULES_NCHECKS);
	for (i = 0; i < RULES_NCHECKS; i++)
		if (strcmp(c[i].code, code) == 0)
			return c[i].verdict;
	fail_msg("no check %s", code);
	return RULES_UNKNOWN;
}

static void
test_eligibility(void **state)
{
	const struct rules *r = rules_default();
	struct rules_check c[RULES_NCHECKS];
	struct rules_applicant a;
	size_t i;

	/* Everything exactly at its threshold passes. */
	applicant_pass(&a);
	assert_int_equal(rules_eligibility(r, &a, c), RULES_NCHECKS);
	for (i = 0; i < RULES_NCHECKS; i++) {
		assert_string_equal(c[i].code, check_codes[i]);
		assert_true(strlen(c[i].label_zh) > 0);
		assert_true(strlen(c[i].label_en) > 0);
		assert_true(strlen(c[i].threshold_zh) > 0);
		assert_true(strlen(c[i].figure_zh) > 0);
		if (c[i].verdict != RULES_PASS)
			fail_msg("%s: %s (%s)", c[i].code,
			    rules_verdict_code(c[i].verdict), c[i].figure_zh);
	}
	assert_string_equal(c[4].threshold_zh, "≥100万元");
	assert_string_equal(c[4].figure_zh, "100万元");
	assert_string_equal(c[9].threshold_zh, "近3年完成项目总值≥200万元");
	assert_string_equal(c[3].figure_zh, "自2023-03-01起，满3年");
	assert_non_null(strstr(c[7].figure_zh, "应不少于7人"));
	assert_non_null(strstr(c[0].figure_zh, "91350100M000100Y43（有效）"));

	/* Nothing known: every check unknown, with "未填" shown. */
	rules_applicant_init(&a);
	rules_eligibility(r, &a, c);
	for (i = 0; i < RULES_NCHECKS; i++) {
		if (c[i].verdict != RULES_UNKNOWN)
			fail_msg("%s: %s when nothing is known", c[i].code,
			    rules_verdict_code(c[i].verdict));
		assert_non_null(strstr(c[i].figure_zh, "未填"));
	}
	assert_string_equal(rules_verdict_zh(RULES_UNKNOWN), "待核实");

	/* Each check fails one step below its threshold. */
#define ONE(field, value, code) do {					\
	applicant_pass(&a);						\
	a.field = (value);						\
	if (verdict_of(&a, (code)) != RULES_FAIL)			\
		fail_msg("%s with %s = %s should fail", (code),		\
		    #field, #value);					\
} while (0)
	ONE(legal_entity, RULES_TRI_NO, "legal_entity");
	ONE(business_licence, RULES_TRI_NO, "legal_entity");
	ONE(uscc, "91350100M000100Y44", "legal_entity");
	ONE(approval_declared, RULES_TRI_NO, "approval_lawful");
	ONE(approval_evidence, RULES_TRI_NO, "approval_lawful");
	ONE(level1_cert_expiry, D("2026-02-28"), "level1_cert");
	ONE(business_start, D("2023-03-02"), "business_years");
	ONE(registered_capital, 99999999, "registered_capital");
	ONE(total_assets, 199999999, "total_assets");
	ONE(nfin, 2, "financial_condition");	/* 2025 missing */
	ONE(cisp_staff, 6, "cisp_staff");		/* 61 staff need 7 */
	ONE(complete_projects, 0, "complete_process");
#undef ONE
	applicant_pass(&a);
	projects_buf[0].value = 199999999;
	assert_int_equal(verdict_of(&a, "project_value"), RULES_FAIL);

	/* Partly known. */
	applicant_pass(&a);
	a.uscc = NULL;
	assert_int_equal(verdict_of(&a, "legal_entity"), RULES_UNKNOWN);
	a.uscc = "91350100m000100y43";
	assert_int_equal(verdict_of(&a, "legal_entity"), RULES_FAIL);
	applicant_pass(&a);
	a.approval_evidence = RULES_TRI_UNKNOWN;
	assert_int_equal(verdict_of(&a, "approval_lawful"), RULES_UNKNOWN);
	applicant_pass(&a);
	a.level1_cert_no = "";
	assert_int_equal(verdict_of(&a, "level1_cert"), RULES_UNKNOWN);
	a.level1_cert_expiry = D("2025-12-31");
	assert_int_equal(verdict_of(&a, "level1_cert"), RULES_FAIL);
	applicant_pass(&a);
	a.engineering_staff = RULES_NONE;
	assert_int_equal(verdict_of(&a, "cisp_staff"), RULES_UNKNOWN);
	a.cisp_staff = 5;			/* below 6 whatever the staff */
	assert_int_equal(verdict_of(&a, "cisp_staff"), RULES_FAIL);
	applicant_pass(&a);
	a.engineering_staff = 50;
	a.cisp_staff = 6;
	assert_int_equal(verdict_of(&a, "cisp_staff"), RULES_PASS);
	a.engineering_staff = 75;
	a.cisp_staff = 7;
	assert_int_equal(verdict_of(&a, "cisp_staff"), RULES_FAIL);
	a.cisp_staff = 8;
	assert_int_equal(verdict_of(&a, "cisp_staff"), RULES_PASS);
	applicant_pass(&a);
	a.business_start = D("2020-02-29");	/* + 3 years = 2023-02-28 */
	a.submitted = D("2023-02-28");
	a.level1_cert_expiry = D("2023-02-28");
	assert_int_equal(verdict_of(&a, "business_years"), RULES_PASS);
	a.submitted = D("2023-02-27");
	assert_int_equal(verdict_of(&a, "business_years"), RULES_FAIL);

	/* Money text with yuan and fen; a long certificate number is cut
	 * on a character boundary. */
	applicant_pass(&a);
	a.total_assets = 123456789;
	a.level1_cert_no = "一二三四五六七八九十一二三四五六七八九十一二三四五";
	rules_eligibility(r, &a, c);
	assert_string_equal(c[5].figure_zh, "1,234,567.89元");
	assert_non_null(strstr(c[2].figure_zh, "一二三四五六七八九十一二三四五六七八九十…"));
	a.total_assets = 250000000 + 50000;
	rules_eligibility(r, &a, c);
	assert_string_equal(c[5].figure_zh, "2,500,500元");
}

/* 基本资格 (§3.1) is the first three checks, and only those. */
static void
test_basic(void **state)
{
	struct rules_check c[RULES_NCHECKS];
	struct rules_applicant a;
	size_t i;

	applicant_pass(&a);
	rules_eligibility(rules_default(), &a, c);
	for (i = 0; i < RULES_NCHECKS; i++)
		assert_int_equal(c[i].basic, i < 3);
	assert_string_equal(c[0].code, "legal_entity");
	assert_string_equal(c[2].code, "level1_cert");
}

/*
 * 近3年的财务状况良好 (§3.2 (3)): the three years before the submission
 * year, each with its audit report; a loss or negative net assets is for
 * the reviewer (需审查), never 符合.
 */
static void
test_financial(void **state)
{
	const struct rules *r = rules_default();
	struct rules_fin_row rows[RULES_FIN_ROWS];
	struct rules_check c[RULES_NCHECKS];
	struct rules_applicant a;
	size_t n;

	applicant_pass(&a);
	n = rules_fin_rows(r, &a, rows);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].year, 2023);
	assert_int_equal(rows[2].year, 2025);
	assert_int_equal(rows[1].verdict, RULES_PASS);
	assert_true(rows[0].counted && rows[1].counted && rows[2].counted);
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_PASS);

	/* Net assets of -5万元 and a loss of 90万元: not 符合. */
	a.fin[1].net_assets = -5000000;
	a.fin[1].profit = -90000000;
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_REVIEW);
	n = rules_fin_rows(r, &a, rows);
	assert_int_equal(rows[1].year, 2024);
	assert_int_equal(rows[1].verdict, RULES_REVIEW);
	assert_non_null(strstr(rows[1].note_zh, "亏损90万元"));
	assert_non_null(strstr(rows[1].note_zh, "净资产为负（-5万元）"));
	rules_eligibility(r, &a, c);
	assert_non_null(strstr(c[6].figure_zh, "2024年需审查"));
	assert_string_equal(rules_verdict_code(RULES_REVIEW), "review");
	assert_string_equal(rules_verdict_zh(RULES_REVIEW), "需审查");
	/* A loss alone is enough; a loss of one fen too. */
	applicant_pass(&a);
	a.fin[0].profit = -1;
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_REVIEW);
	/* A missing report fails, and outranks a loss. */
	a.fin[2].audit_reports = 0;
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_FAIL);

	/* Three reports from a four-year window: 2022 is not one of the
	 * three years before 2026, and 2025 is missing. */
	applicant_pass(&a);
	good_year(&a.fin[2], 2022);
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_FAIL);
	n = rules_fin_rows(r, &a, rows);
	assert_int_equal(n, 4);
	assert_int_equal(rows[2].year, 2025);
	assert_null(rows[2].y);
	assert_int_equal(rows[2].verdict, RULES_FAIL);
	assert_string_equal(rows[2].note_zh, "未填报该年度");
	assert_int_equal(rows[3].year, 2022);
	assert_false(rows[3].counted);
	assert_non_null(strstr(rows[3].note_zh, "未计入"));
	rules_eligibility(r, &a, c);
	assert_non_null(strstr(c[6].threshold_zh, "2023—2025年"));
	assert_non_null(strstr(c[6].figure_zh, "2022年未计入"));

	/* A figure not given: for the reviewer to verify. */
	applicant_pass(&a);
	a.fin[0].net_assets = RULES_SIGNED_NONE;
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_UNKNOWN);
	a.fin[0].audit_reports = RULES_NONE;
	a.fin[0].net_assets = 1;
	assert_int_equal(verdict_of(&a, "financial_condition"), RULES_UNKNOWN);
}

/*
 * 近3年项目总值 (§3.2 (6)): which projects count and why the others do
 * not; one that ended exactly three years before the submission day is
 * inside the window.
 */
static void
test_projects(void **state)
{
	const struct rules *r = rules_default();
	struct rules_proj_row rows[8];
	struct rules_check c[RULES_NCHECKS];
	struct rules_applicant a;
	size_t n;

	applicant_pass(&a);			/* submitted 2026-03-01 */
	projects_buf[0].end = D("2023-03-01");	/* exactly 3 years */
	assert_int_equal(verdict_of(&a, "project_value"), RULES_PASS);
	projects_buf[0].end = D("2023-02-28");
	assert_int_equal(verdict_of(&a, "project_value"), RULES_FAIL);
	projects_buf[0].end = D("2026-03-01");	/* the submission day */
	assert_int_equal(verdict_of(&a, "project_value"), RULES_PASS);
	projects_buf[0].end = D("2026-03-02");
	assert_int_equal(verdict_of(&a, "project_value"), RULES_FAIL);

	projects_buf[0] = (struct rules_project){ 0, "甲", 150000000,
	    D("2023-03-01"), RULES_PROJ_ACCEPTED };
	projects_buf[1] = (struct rules_project){ 1, "乙", 80000000,
	    D("2025-06-30"), RULES_PROJ_PENDING };
	projects_buf[2] = (struct rules_project){ 2, "丙", 90000000,
	    D("2022-12-31"), RULES_PROJ_ACCEPTED };
	projects_buf[3] = (struct rules_project){ 3, "丁", 70000000,
	    D("2026-12-31"), RULES_PROJ_ONGOING };
	projects_buf[4] = (struct rules_project){ 4, "戊", 60000000,
	    D("2025-01-10"), RULES_PROJ_ACCEPTED };
	a.nprojects = 5;
	n = rules_proj_rows(r, &a, rows);
	assert_int_equal(n, 5);
	assert_true(rows[0].counted);
	assert_false(rows[1].counted);
	assert_non_null(strstr(rows[1].reason_zh, "已完工待验收"));
	assert_false(rows[2].counted);
	assert_non_null(strstr(rows[2].reason_zh, "早于近3年"));
	assert_non_null(strstr(rows[2].reason_zh, "2023-03-01"));
	assert_false(rows[3].counted);
	assert_non_null(strstr(rows[3].reason_zh, "实施中"));
	assert_true(rows[4].counted);
	rules_eligibility(r, &a, c);
	assert_int_equal(c[9].verdict, RULES_PASS);	/* 150 + 60 万元 */
	assert_string_equal(c[9].figure_zh, "210万元（计入2个项目，3个未计入）");

	/* No projects given: unknown; none counted: 0元. */
	a.nprojects = RULES_NONE;
	assert_int_equal(verdict_of(&a, "project_value"), RULES_UNKNOWN);
	assert_int_equal(rules_proj_rows(r, &a, rows), 0);
	a.nprojects = 1;
	projects_buf[0].state = RULES_PROJ_PENDING;
	assert_int_equal(verdict_of(&a, "project_value"), RULES_FAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fees),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_supplement),
		cmocka_unit_test(test_validity_retention),
		cmocka_unit_test(test_cisp),
		cmocka_unit_test(test_clock_spans),
		cmocka_unit_test(test_clock_events),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_eligibility),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_financial),
		cmocka_unit_test(test_projects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
