/*
 * itest_ledger.c: the payment ledger over HTTP (payment.c, the payment
 * page), through both doors. The agreement shows where to pay and the
 * total in Chinese capitals, also in its PDF; a 到账日期 before the
 * agreement took effect or in the future is refused at the field, the
 * form kept; a wrong entry is reversed, and the reversal counts only
 * once a second certificate officer confirms it (the one who asked is
 * refused); split payments open the assessment once they cover the fee;
 * an over-payment is flagged and refunded, the refund again confirmed by
 * the other officer; an invoice number is added to an entry later; the
 * applicant sees paid and owed, and none of the staff's forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "testlib_journey.h"

/* The id of the latest ledger entry of the case. */
static long long
last_entry(long long id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT max(id) FROM payment WHERE case_id "
	    "= %lld", id);
	return tj_sql_int(sql);
}

static void
ledger(const char *url)
{
	struct http_client *app, *lead, *c1, *c2;
	struct http_resp r;
	char e[128], p[160], q[160], today[DATE_BUFSZ], yesterday[DATE_BUFSZ];
	char tomorrow[DATE_BUFSZ], sql[256], *text;
	const char *none[] = { NULL };
	const char *confirm[] = { "confirm", "yes", NULL };
	const char *sure[] = { "confirm", "1", NULL };	/* 受理: confirmed */
	long long id, wrong, rev, refund;
	zdate t;

	date_day((long long)time(NULL), today);
	assert_int_equal(date_parse(today, &t), 0);
	date_format(t - 1, yesterday);
	date_format(t + 1, tomorrow);
	id = tj_submitted_case(url, "台账测试有限公司", &app);
	lead = tj_staff(url, "lead", e, sizeof(e));
	c1 = tj_staff(url, "cert_staff", e, sizeof(e));
	c2 = tj_staff(url, "cert_staff", e, sizeof(e));

	/* 受理, the agreement sent and accepted. */
	snprintf(p, sizeof(p), "/cases/%lld/review", id);
	snprintf(q, sizeof(q), "/cases/%lld/review/start", id);
	assert_int_equal(tj_post_from(lead, p, q, none, NULL), 303);
	tj_paper_received(lead, id);
	snprintf(q, sizeof(q), "/cases/%lld/review/accept", id);
	assert_int_equal(tj_post_from(lead, p, q, sure, NULL), 303);
	snprintf(p, sizeof(p), "/cases/%lld/agreement", id);
	assert_int_equal(tj_post_from(lead, p, p, none, NULL), 303);
	snprintf(q, sizeof(q), "/cases/%lld/agreement/accept", id);
	assert_int_equal(tj_post_from(app, p, q, confirm, NULL), 303);

	/* Where to pay and the total in capitals, on the page and in the
	 * PDF; the party is the 申请书's 单位名称 (issue 19, item 6). */
	{
		const char *want[] = { "人民币捌万柒仟元整", "收款单位",
		    "0200 0000 0000 0000 000", "可一次或分次支付", NULL };

		tj_see(app, p, want);
	}
	snprintf(q, sizeof(q), "/cases/%lld/agreement/pdf", id);
	http_get(app, q, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/pdf");
	text = tj_pdf_text(&r);
	http_resp_free(&r);
	if (strstr(text, "捌万柒仟元整") == NULL || strstr(text,
	    "北京某某信息安全技术有限公司") == NULL || strstr(text, "收款单位") ==
	    NULL)
		fail_msg("agreement PDF: no total in capitals, organisation or "
		    "payee in\n%s", text);
	free(text);

	/* 到账日期 before the agreement took effect, or tomorrow: refused
	 * at the field, the form kept. */
	snprintf(p, sizeof(p), "/cases/%lld/payment", id);
	{
		const char *early[] = { "amount", "8,700", "paid_on", yesterday,
		    "payer", "台账测试有限公司", "reference", "T-1", NULL };
		const char *late[] = { "amount", "8,700", "paid_on", tomorrow,
		    "payer", "台账测试有限公司", "reference", "T-1", NULL };

		assert_int_equal(tj_post_from(c1, p, p, early, &r), 400);
		assert_true(http_body_has(&r, "id=\"paid_on-error\">到账日期"));
		assert_true(http_body_has(&r, "早于委托协议生效之日"));
		assert_true(http_body_has(&r, "value=\"8,700\""));
		http_resp_free(&r);
		assert_int_equal(tj_post_from(c1, p, p, late, &r), 400);
		assert_true(http_body_has(&r, "id=\"paid_on-error\">到账日期"));
		assert_true(http_body_has(&r, "晚于今天"));
		http_resp_free(&r);
	}

	/* 8,700.00 recorded for a transfer of 87,000.00: reversed, and the
	 * reversal counts only when the other officer confirms it. */
	{
		const char *typo[] = { "amount", "8,700", "paid_on", today,
		    "payer", "台账测试有限公司", "reference", "T-1", NULL };
		const char *reason[] = { "reason", "金额录入错误，应为 87,000.00 元",
		    NULL };
		const char *yes[] = { "decision", "confirm", NULL };

		assert_int_equal(tj_post_from(c1, p, p, typo, NULL), 303);
		wrong = last_entry(id);
		snprintf(q, sizeof(q), "/cases/%lld/payment/%lld/reverse", id,
		    wrong);
		assert_int_equal(tj_post_from(app, "/", q, reason, NULL), 403);
		assert_int_equal(tj_post_from(c1, p, q, reason, NULL), 303);
		rev = last_entry(id);
		assert_true(rev > wrong);
		snprintf(q, sizeof(q), "/cases/%lld/payment/%lld/decide", id,
		    rev);
		assert_int_equal(tj_post_from(c1, p, q, yes, &r), 403);
		assert_true(http_body_has(&r, "另一位制证工作人员"));
		http_resp_free(&r);
		{
			const char *waiting[] = { "待复核", "尚欠 78,300.00 元",
			    NULL };

			tj_see(app, p, waiting);
		}
		assert_int_equal(tj_post_from(c2, p, q, yes, NULL), 303);
		{
			const char *undone[] = { "尚欠 87,000.00 元", "已生效",
			    "冲正第", NULL };

			tj_see(lead, p, undone);
		}
	}

	/* 78,000 and then 10,000: the second opens the assessment, and
	 * 1,000 paid too much is flagged. */
	{
		const char *first[] = { "amount", "78,000.00", "paid_on", today,
		    "payer", "台账测试有限公司", "reference", "T-2", "line",
		    "audit", NULL };
		const char *second[] = { "amount", "10,000.00", "paid_on", today,
		    "payer", "台账测试有限公司", "reference", "T-3", NULL };

		assert_int_equal(tj_post_from(c1, p, p, first, &r), 303);
		assert_non_null(strstr(http_header(&r, "Location"),
		    "/payment?recorded=1"));
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT status = 'awaiting_payment' "
		    "FROM cases WHERE id = %lld", id);
		assert_int_equal(tj_sql_int(sql), 1);
		assert_int_equal(tj_post_from(c2, p, p, second, &r), 303);
		snprintf(q, sizeof(q), "/cases/%lld", id);
		assert_string_equal(http_header(&r, "Location"), q);
		http_resp_free(&r);
	}
	snprintf(q, sizeof(q), "/cases/%lld", id);
	{
		const char *want[] = { "审核计划", "已缴 88,000.00 元，缴费已足额",
		    "多缴 1,000.00 元", NULL };

		tj_see(app, q, want);
	}

	/* The refund of the 1,000, confirmed by the other officer. The
	 * applicant sees no staff forms. */
	{
		const char *too_much[] = { "amount", "1,000.01", "paid_on", today,
		    "payer", "台账测试有限公司", "reference", "OUT-1", "note",
		    "多缴退还", NULL };
		const char *back[] = { "amount", "1,000", "paid_on", today,
		    "payer", "台账测试有限公司", "reference", "OUT-1", "note",
		    "多缴退还", NULL };
		const char *yes[] = { "decision", "confirm", NULL };
		char rp[160];

		snprintf(rp, sizeof(rp), "/cases/%lld/payment/refund", id);
		assert_int_equal(tj_post_from(c1, p, rp, too_much, &r), 400);
		assert_true(http_body_has(&r, "不能超过可退金额 1,000.00 元"));
		assert_true(http_body_has(&r, "value=\"1,000.01\""));
		http_resp_free(&r);
		assert_int_equal(tj_post_from(lead, "/", rp, back, NULL), 403);
		assert_int_equal(tj_post_from(c1, p, rp, back, NULL), 303);
		refund = last_entry(id);
		snprintf(q, sizeof(q), "/cases/%lld/payment/%lld/decide", id,
		    refund);
		assert_int_equal(tj_post_from(c1, p, q, yes, NULL), 403);
		assert_int_equal(tj_post_from(c2, p, q, yes, NULL), 303);
	}
	{
		const char *want[] = { "已缴合计 87,000.00 元，达到应缴费用", "退款",
		    "OUT-1", NULL };

		http_get(app, p, &r);
		assert_int_equal(r.status, 200);
		assert_false(http_body_has(&r, "登记缴费</button>"));
		assert_false(http_body_has(&r, "冲正原因"));
		assert_false(http_body_has(&r, "登记发票号"));
		assert_false(http_body_has(&r, "多缴 "));
		http_resp_free(&r);
		tj_see(app, p, want);
	}

	/* The invoice, added to the second payment later, by certificate
	 * staff only. */
	{
		const char *inv[] = { "invoice_no", "25110000000000000042",
		    NULL };
		long long paid;

		snprintf(sql, sizeof(sql), "SELECT id FROM payment WHERE case_id "
		    "= %lld AND reference = 'T-3'", id);
		paid = tj_sql_int(sql);
		snprintf(q, sizeof(q), "/cases/%lld/payment/%lld/invoice", id,
		    paid);
		assert_int_equal(tj_post_from(lead, "/", q, inv, NULL), 403);
		assert_int_equal(tj_post_from(c2, p, q, inv, NULL), 303);
		{
			const char *want[] = { "25110000000000000042", NULL };

			tj_see(app, p, want);
		}
		/* The entry itself was not touched. */
		snprintf(sql, sizeof(sql), "SELECT amount FROM payment WHERE "
		    "id = %lld", paid);
		assert_int_equal(tj_sql_int(sql), 1000000);
	}
	http_client_free(app);
	http_client_free(lead);
	http_client_free(c1);
	http_client_free(c2);
}

static void
test_ledger_serve(void **state)
{
	ledger(getenv("ZIZHI_SERVE_URL"));
}

static void
test_ledger_fcgi(void **state)
{
	ledger(getenv("ZIZHI_FCGI_URL"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger_serve),
		cmocka_unit_test(test_ledger_fcgi),
	};

	return cmocka_run_group_tests_name("the payment ledger (both doors)",
	    tests, NULL, NULL);
}
