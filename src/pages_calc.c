/*
 * pages_calc.c: the public 费用与期限计算器. It calls the same rules
 * functions as `zizhi rules fee` and `zizhi rules window`; the values are
 * also written as data-value attributes, which tests/itest_rules.c
 * compares with the functions and the command line.
 */
#include <string.h>

#include "money.h"
#include "page.h"
#include "pages.h"
#include "rules.h"

static const char *
fmt_date(struct arena *a, zdate d)
{
	char b[DATE_BUFSZ];

	return arena_strdup(a, date_format(d, b));
}

static void
put_fee(struct request *req, struct tv *v, const struct rules_fee *f)
{
	struct tv *fee = tv_put_map(v, "fee");

	tv_put_str(fee, "audit", money_yuan(req->arena, f->audit));
	tv_put_int(fee, "audit_fen", f->audit);
	tv_put_str(fee, "annual", money_yuan(req->arena, f->annual));
	tv_put_int(fee, "annual_fen", f->annual);
	tv_put_str(fee, "total", money_yuan(req->arena, f->total));
	tv_put_int(fee, "total_fen", f->total);
	tv_put_str(fee, "treated_as", rules_apptype_code(f->treated_as));
	tv_put_str(fee, "treated_as_zh", rules_apptype_zh(f->treated_as));
}

/* A date field: empty → DATE_NONE; malformed → error next to it. */
static zdate
date_field(struct form *f, const char *name, const char *label)
{
	const char *s = form_keep(f, name);
	zdate d;

	if (*s == '\0') {
		form_error(f, name, arena_printf(f->req->arena,
		    "请填写%s，格式为 年-月-日，例如 2027-06-30。", label));
		return DATE_NONE;
	}
	if (date_parse(s, &d) != 0) {
		form_error(f, name, arena_printf(f->req->arena,
		    "%s“%s”不是有效日期。请按 年-月-日 填写，例如 2027-06-30。",
		    label, s));
		return DATE_NONE;
	}
	return d;
}

int
page_calculator(struct request *req, struct response *resp)
{
	const struct rules *r = rules_default();
	struct tv *v = page_view(req, "费用与期限计算器"), *res;
	const char *type = params_get(&req->query, "type");
	struct rules_window w;
	struct rules_fee fee;
	struct form f;
	zdate expiry, filed;

	/* The form reads the query string: computing changes nothing. */
	form_init(&f, req, v);
	tv_put_int(v, "ontime_months", r->maint_ontime_months);
	tv_put_int(v, "initial_months", r->maint_initial_months);
	if (type == NULL) {
		tv_put_bool(v, "type_initial", 1);
		return page_render(req, resp, 200, "calculator", v);
	}
	if (strcmp(type, "initial") == 0) {
		tv_put_bool(v, "type_initial", 1);
		form_keep(&f, "expiry");
		form_keep(&f, "filed");
		rules_fee_initial(r, &fee);
		res = tv_put_map(v, "result");
		put_fee(req, res, &fee);
		return page_render(req, resp, 200, "calculator", v);
	}
	if (strcmp(type, "maintenance") != 0) {
		tv_put_bool(v, "type_initial", 1);
		form_error(&f, "type", "请选择申请类型：初次申请或维持申请。");
		return page_render(req, resp, 400, "calculator", v);
	}
	tv_put_bool(v, "type_maintenance", 1);
	expiry = date_field(&f, "expiry", "证书有效期截止日");
	filed = date_field(&f, "filed", "计划提交日期");
	if (f.nerrors > 0)
		return page_render(req, resp, 400, "calculator", v);
	rules_maint_window(r, expiry, filed, &w);
	rules_fee_maintenance(r, expiry, filed, &fee);
	res = tv_put_map(v, "result");
	put_fee(req, res, &fee);
	tv_put_bool(res, "maintenance", 1);
	tv_put_str(res, "class", rules_maint_class_code(w.class));
	tv_put_str(res, "class_zh", rules_maint_class_zh(w.class));
	tv_put_bool(res, "on_time", w.class == RULES_MAINT_ON_TIME);
	tv_put_bool(res, "late", w.class == RULES_MAINT_LATE);
	tv_put_bool(res, "initial", w.class == RULES_MAINT_INITIAL);
	tv_put_str(res, "on_time_until", fmt_date(req->arena,
	    w.on_time_until));
	tv_put_str(res, "late_until", fmt_date(req->arena, w.late_until));
	tv_put_str(res, "expiry", fmt_date(req->arena, expiry));
	tv_put_str(res, "filed", fmt_date(req->arena, filed));
	return page_render(req, resp, 200, "calculator", v);
}
