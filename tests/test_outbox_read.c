/*
 * test_outbox_read.c: the administrator's view of the outbox
 * (outbox_read.c) on a temporary database: the counts, newest first,
 * paging, one message with its body, and nobody else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outbox.h"
#include "outbox_read.h"
#include "testlib_store.h"
#include "util.h"

static char dir[] = "/tmp/zizhi-outbox.XXXXXX";
static struct store *db;
static struct arena *arena;

static const struct actor admin = { 1, "m@x.cn", "m", "admin", ROLE_ADMIN,
    0, "" };
static const struct actor supervisor = { 2, "s@x.cn", "s", "supervisor",
    ROLE_SUPERVISOR, 0, "" };

static int
setup(void **state)
{
	char subject[32];
	int i;

	db = ts_open(dir);
	arena = arena_new();
	for (i = 1; i <= 5; i++) {
		snprintf(subject, sizeof(subject), "主题 %d", i);
		assert_int_equal(outbox_add(db, 0, 0, "to@x.cn", subject,
		    "正文", NULL, 1796529600 + i), 0);
	}
	ts_exec(db, "UPDATE outbox SET state = 'sent', sent_at = "
	    "'2026-12-06T04:00:00Z', attempts = 1 WHERE id = 1; UPDATE outbox "
	    "SET state = 'failed', attempts = 5, last_error = '550 no such "
	    "user' WHERE id = 2");
	return 0;
}

static int
teardown(void **state)
{
	arena_free(arena);
	ts_close(db, dir);
	return 0;
}

static void
test_list(void **state)
{
	struct outbox_counts c;
	struct outbox_msg *m;
	struct dom d;
	size_t n;

	dom_init(&d, db, arena, &admin, 1796529700);
	assert_int_equal(outbox_list(&d, 0, 3, &m, &n, &c), DOM_OK);
	assert_int_equal(c.total, 5);
	assert_int_equal(c.pending, 3);
	assert_int_equal(c.failed, 1);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].id, 5);
	assert_string_equal(m[0].subject, "主题 5");
	assert_string_equal(m[0].body, "");
	assert_string_equal(m[0].sent_at, "");
	assert_string_equal(outbox_state_zh(m[0].state), "待发送");
	assert_int_equal(outbox_list(&d, 3, 3, &m, &n, &c), DOM_OK);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].id, 2);
	assert_string_equal(m[0].error, "550 no such user");
	assert_string_equal(outbox_state_zh(m[0].state), "发送失败");
	assert_int_equal(m[1].attempts, 1);
	assert_string_equal(outbox_state_zh(m[1].state), "已发送");
	assert_string_equal(m[1].sent_at, "2026-12-06T04:00:00Z");

	dom_init(&d, db, arena, &supervisor, 1796529700);
	assert_int_equal(outbox_list(&d, 0, 3, &m, &n, &c), DOM_FORBIDDEN);
	assert_int_equal(n, 0);
	assert_int_equal(c.total, 0);
	dom_init(&d, db, arena, NULL, 1796529700);
	assert_int_equal(outbox_list(&d, 0, 3, &m, &n, &c), DOM_FORBIDDEN);
}

static void
test_get(void **state)
{
	struct outbox_msg m;
	struct dom d;

	dom_init(&d, db, arena, &admin, 1796529700);
	assert_int_equal(outbox_get(&d, 3, &m), DOM_OK);
	assert_string_equal(m.to, "to@x.cn");
	assert_string_equal(m.subject, "主题 3");
	assert_string_equal(m.body, "正文");
	assert_non_null(strstr(m.message_id, "@zizhi>"));
	assert_string_equal(m.created_at, "2026-12-06T04:00:03Z");
	assert_int_equal(outbox_get(&d, 99, &m), DOM_NOT_FOUND);
	dom_init(&d, db, arena, &supervisor, 1796529700);
	assert_int_equal(outbox_get(&d, 3, &m), DOM_FORBIDDEN);
}

/* A message carrying a secret (a reset link's token, issue 14 item 2):
 * the body kept has a mark in its place, and the administrator reads it
 * masked, sent or not. */
static void
test_secret_masked(void **state)
{
	struct outbox_msg m;
	struct dom d;
	long long id;

	assert_int_equal(outbox_add_secret(db, "to@x.cn", "重设密码", "链接："
	    "https://x.cn/password/reset?token=" OUTBOX_SECRET "\n",
	    "TOKEN-abcdefghijklmnopqrstuvwxyz0123456789", 1796529800), 0);
	id = ts_int(db, "SELECT max(id) FROM outbox");
	assert_int_equal(ts_int(db, "SELECT count(*) FROM outbox WHERE "
	    "instr(body, 'TOKEN-') > 0"), 0);
	/* No mark, no secret: refused. */
	assert_int_equal(outbox_add_secret(db, "to@x.cn", "s", "no mark", "x",
	    1796529800), -1);
	dom_init(&d, db, arena, &admin, 1796529900);
	assert_int_equal(outbox_get(&d, id, &m), DOM_OK);
	assert_null(strstr(m.body, "TOKEN-"));
	assert_string_equal(m.body, "链接：https://x.cn/password/reset?token="
	    OUTBOX_MASK "\n");
	ts_exec(db, "UPDATE outbox SET state = 'sent', secret = NULL WHERE id "
	    "= (SELECT max(id) FROM outbox)");
	assert_int_equal(outbox_get(&d, id, &m), DOM_OK);
	assert_null(strstr(m.body, "TOKEN-"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_secret_masked),
	};

	return cmocka_run_group_tests_name("outbox (reading)", tests, setup,
	    teardown);
}
