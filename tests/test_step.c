/*
 * test_step.c: the helper that moves a case for a domain step,
 * workflow_step (workflow_step.h), answers as the workflow does: a move
 * the table allows, a move it does not know (conflict,
 * saying from where to where), a role the move is not for (forbidden,
 * naming the action), a guard that holds the move back (conflict, its
 * reason), a case that is not there; and a refused move changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testlib_dom.h"
#include "workflow_step.h"

typedef enum dom_rc (*mover)(struct dom *, long long, enum status,
    const char *);

static const struct {
	const char	*name;
	mover		 move;
} movers[] = {
	{ "workflow_step", workflow_step },
};

/* Moves case_id to st as account actor in its own transaction. */
static enum dom_rc
try_move(mover move, long long actor, long long case_id, enum status st,
    const char **msg)
{
	struct dom *d = td_dom(actor);
	enum dom_rc rc;

	assert_int_equal(dom_begin(d), DOM_OK);
	rc = dom_end(d, move(d, case_id, st, "测试"));
	*msg = d->msg;
	return rc;
}

static void
test_moves(void **state)
{
	const char *msg;
	long long id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(movers) / sizeof(movers[0]); i++) {
		/* Allowed: the lead starts the intake review. */
		id = td_case(ST_SUBMITTED, TD_LEAD, NULL);
		assert_int_equal(try_move(movers[i].move, TD_LEAD, id,
		    ST_INTAKE_REVIEW, &msg), DOM_OK);
		assert_string_equal(td_status(id), "intake_review");

		/* Not a move of the table. */
		assert_int_equal(try_move(movers[i].move, TD_LEAD, id,
		    ST_ISSUED, &msg), DOM_CONFLICT);
		assert_string_equal(msg, "案件当前状态为“受理审查中”，不能转为"
		    "“已发证”。请刷新页面查看最新状态。");
		assert_string_equal(td_status(id), "intake_review");

		/* A move of the lead's, asked by the applicant. */
		assert_int_equal(try_move(movers[i].move, TD_APPLICANT, id,
		    ST_ACCEPTED, &msg), DOM_FORBIDDEN);
		assert_string_equal(msg, "您的角色不能执行“受理”。");
		assert_string_equal(td_status(id), "intake_review");

		/* Held back by its guard: nothing paid yet. */
		id = td_case(ST_AWAITING_PAYMENT, TD_LEAD, NULL);
		assert_int_equal(try_move(movers[i].move, TD_LEAD, id,
		    ST_ASSESSMENT_PLANNING, &msg), DOM_CONFLICT);
		assert_string_equal(msg, "委托协议尚未生效（申请单位尚未确认），"
		    "不能进入评估。");
		assert_string_equal(td_status(id), "awaiting_payment");

		/* No such case. */
		assert_int_equal(try_move(movers[i].move, TD_LEAD, 999999,
		    ST_INTAKE_REVIEW, &msg), DOM_CONFLICT);
		assert_string_equal(msg, "案件不存在。");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_moves, td_setup,
		    td_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
