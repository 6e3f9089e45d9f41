/*
 * test_audit.c: the events' hash chain (src/audit.c) on a temporary
 * database. Events written with fixed values hash to pinned constants, so
 * any change to what is hashed, or how, fails here; and changing any one
 * column of a row the chain covers (case, time, day, actor, from, to,
 * reason, the link to the previous row) is reported by audit_verify, the
 * check `zizhi verify` runs, at that row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "testlib_store.h"

static char dir[] = "/tmp/zizhi-audit.XXXXXX";
static struct store *db;

/* The events, in id order (1 to 4). actor 0 and from NULL are SQL
 * NULL: event 3 is a system event with no previous status. */
static const struct {
	long long	 case_id;
	const char	*at, *day;
	long long	 actor;
	const char	*from, *to, *reason;
} events[] = {
	{ 1, "2026-01-05T02:00:00Z", "2026-01-05", 1, "draft", "submitted",
	    "" },
	{ 1, "2026-01-06T03:04:05Z", "2026-01-06", 2, "submitted",
	    "intake_review", "开始受理审查" },
	{ 2, "2026-01-07T08:00:00Z", "2026-01-07", 0, NULL, "draft",
	    "系统导入" },
	{ 1, "2026-01-08T09:10:11Z", "2026-01-08", 2, "intake_review",
	    "accepted", "受理" },
};
#define NEVENTS	(sizeof(events) / sizeof(events[0]))

/*
 * SHA-256("zizhi event v1" || previous hash || each field as a tag, its
 * length in 8 bytes big-endian (all ones for NULL) and its bytes), as
 * written by audit_event_insert for the events above. Computed once
 * (and again, independently, with Python's hashlib from that
 * description); they must never change for the same rows, or every
 * stored chain would stop verifying.
 */
static const char *const pinned[NEVENTS] = {
	"b66e42b628344535fc8a7ed3fb670bf47da93b9138cf2820b3f8f63962e5c684",
	"06fb063060f7fbd544f7b0e01d4203b84fb15406ed553b7ca1c8b141a437bbc0",
	"e210c1e7c3de9d97f2660bc2ddbe5d3d59e20abd3d31bfd7fa98ed4e600de7fe",
	"005eb9c03d96d8f747b319a726f918159b979d4f06a60b391f8b4df4dff57251",
};

static void
exec(const char *sql)
{
	ts_exec(db, sql);
}

static void
hex(const unsigned char *h, char out[2 * AUDIT_HASH_BYTES + 1])
{
	size_t i;

	for (i = 0; i < AUDIT_HASH_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The stored hash of event id, in hex. */
static void
stored_hash(long long id, char out[2 * AUDIT_HASH_BYTES + 1])
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT hash FROM "
	    "event WHERE id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), AUDIT_HASH_BYTES);
	hex(sqlite3_column_blob(st, 0), out);
	sqlite3_finalize(st);
}

static int
setup(void **state)
{
	size_t i;

	db = ts_open(dir);
	exec("INSERT INTO org(id, name) VALUES (1, 'o');"
	    "INSERT INTO account(id, email, name, role, org_id, password_hash) "
	    "VALUES (1, 'a@x.cn', 'a', 'applicant', 1, 'x'), "
	    "(2, 'l@x.cn', 'l', 'lead', NULL, 'x');"
	    "INSERT INTO cases(id, org_id, created_by) VALUES (1, 1, 1), "
	    "(2, 1, 1)");
	assert_int_equal(store_begin(db), 0);
	for (i = 0; i < NEVENTS; i++)
		assert_int_equal(audit_event_insert(db, events[i].case_id,
		    events[i].at, events[i].day, events[i].actor,
		    events[i].from, events[i].to, events[i].reason), 0);
	assert_int_equal(store_commit(db), 0);
	return 0;
}

static int
teardown(void **state)
{
	ts_close(db, dir);
	return 0;
}

static void
test_pinned(void **state)
{
	struct audit_result r;
	char h[2 * AUDIT_HASH_BYTES + 1], head[2 * AUDIT_HASH_BYTES + 1];
	size_t i;
	int bad = 0;

	for (i = 0; i < NEVENTS; i++) {
		stored_hash((long long)i + 1, h);
		if (strcmp(h, pinned[i]) != 0) {
			print_message("event %zu: hash %s, pinned %s\n", i + 1,
			    h, pinned[i]);
			bad++;
		}
	}
	if (bad > 0)
		fail_msg("%d event hash(es) differ from the pinned ones", bad);
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.count, NEVENTS);
	assert_int_equal(r.broken_id, 0);
	hex(r.head, head);
	assert_string_equal(head, pinned[NEVENTS - 1]);
}

/* What audit_verify says after sql (run as someone with the file would:
 * triggers dropped, foreign keys off), all of it undone after. */
static long long
broken_after(const char *sql)
{
	struct audit_result r;

	exec("PRAGMA foreign_keys = OFF; BEGIN; DROP TRIGGER event_no_update; "
	    "DROP TRIGGER event_no_delete");
	exec(sql);
	assert_int_equal(audit_verify(db, &r), 0);
	exec("ROLLBACK; PRAGMA foreign_keys = ON");
	return r.broken_id;
}

static void
expect_broken(const char *sql, long long want)
{
	struct audit_result r;
	long long got = broken_after(sql);

	if (got != want)
		fail_msg("after \"%s\": verify says broken at %lld, want %lld",
		    sql, got, want);
	/* Undone, the chain holds again. */
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.broken_id, 0);
}

/* Every column the chain covers, changed alone, breaks it at that row:
 * in the middle of the chain (event 2), and where actor and from are
 * NULL (event 3). */
static void
test_each_column(void **state)
{
	static const char *const changes[] = {
		"case_id = 2",
		"at = '2026-01-06T03:04:06Z'",
		"day = '2026-01-07'",
		"actor_id = 1",
		"actor_id = NULL",
		"from_status = 'draft'",
		"from_status = NULL",
		"from_status = ''",
		"to_status = 'accepted'",
		"to_status = 'intake_review '",
		"reason = '开始受理审查。'",
		"reason = ''",
		"hash = NULL",
		"hash = zeroblob(32)",
	};
	static const char *const changes3[] = {
		"case_id = 1",
		"actor_id = 1",
		"from_status = ''",
		"from_status = 'draft'",
		"to_status = 'submitted'",
		"reason = '系统导入 '",
	};
	char sql[256];
	size_t i;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		snprintf(sql, sizeof(sql), "UPDATE event SET %s WHERE id = 2",
		    changes[i]);
		expect_broken(sql, 2);
	}
	for (i = 0; i < sizeof(changes3) / sizeof(changes3[0]); i++) {
		snprintf(sql, sizeof(sql), "UPDATE event SET %s WHERE id = 3",
		    changes3[i]);
		expect_broken(sql, 3);
	}
	/* A row removed: the next one no longer links. */
	expect_broken("DELETE FROM event WHERE id = 2", 3);
	/* A row added at the end without a hash. */
	expect_broken("INSERT INTO event(case_id, at, day, to_status) VALUES "
	    "(1, 'x', 'y', 'withdrawn')", 5);
}

/* Recomputes the stored hash of events first to last from their columns
 * and the stored hash before each, as an attacker who knows the scheme
 * would. */
static void
rehash(long long first, long long last)
{
	sqlite3_stmt *st, *up;
	unsigned char prev[AUDIT_HASH_BYTES], h[AUDIT_HASH_BYTES];
	long long id;
	int have = 0;

	assert_int_equal(sqlite3_prepare_v2(store_db(db), "SELECT id, "
	    "case_id, at, day, actor_id, from_status, to_status, reason, hash "
	    "FROM event ORDER BY id", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(store_db(db), "UPDATE event SET "
	    "hash = ?2 WHERE id = ?1", -1, &up, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (id < first || id > last) {
			memcpy(prev, sqlite3_column_blob(st, 8), sizeof(prev));
			have = 1;
			continue;
		}
		audit_event_hash(have ? prev : NULL,
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    sqlite3_column_int64(st, 4),
		    (const char *)sqlite3_column_text(st, 5),
		    (const char *)sqlite3_column_text(st, 6),
		    (const char *)sqlite3_column_text(st, 7), h);
		sqlite3_bind_int64(up, 1, id);
		sqlite3_bind_blob(up, 2, h, sizeof(h), SQLITE_STATIC);
		assert_int_equal(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
		memcpy(prev, h, sizeof(prev));
		have = 1;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
}

/* The link to the previous row: event 2 changed and its own hash
 * recomputed; event 3 was hashed over event 2's old hash, so the chain
 * breaks there. Rehashing every row from 2 on gives a chain that
 * verifies, with another head: the head is what to keep elsewhere. */
static void
test_link(void **state)
{
	struct audit_result r;
	char head[2 * AUDIT_HASH_BYTES + 1];

	exec("PRAGMA foreign_keys = OFF; BEGIN; DROP TRIGGER event_no_update; "
	    "UPDATE event SET reason = '不予受理' WHERE id = 2");
	rehash(2, 2);
	assert_int_equal(audit_verify(db, &r), 0);
	if (r.broken_id != 3)
		fail_msg("event 2 changed and rehashed: broken at %lld, want 3",
		    r.broken_id);
	/* The first row links to nothing (zeros): changed and rehashed,
	 * the second no longer links. */
	exec("UPDATE event SET reason = reason || 'x' WHERE id = 1");
	rehash(1, 2);
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.broken_id, 3);
	rehash(1, NEVENTS);
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.broken_id, 0);
	hex(r.head, head);
	assert_string_not_equal(head, pinned[NEVENTS - 1]);
	exec("ROLLBACK; PRAGMA foreign_keys = ON");
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.broken_id, 0);
	hex(r.head, head);
	assert_string_equal(head, pinned[NEVENTS - 1]);
}

/* Issue 14 item 13: every value is hashed as stored: an actor changed
 * from NULL (a system event) to 0, a number stored as text. */
static void
test_actor_null_to_zero(void **state)
{
	expect_broken("UPDATE event SET actor_id = 0 WHERE id = 3", 3);
	expect_broken("UPDATE event SET case_id = CAST(case_id AS BLOB) "
	    "WHERE id = 2", 2);
}

/* Issue 14 item 13: a status changed without an event is found. */
static void
test_status_without_event(void **state)
{
	struct audit_result r;

	/* The fixture's cases in the status of their last event. */
	exec("UPDATE cases SET status = (SELECT to_status FROM event WHERE "
	    "case_id = cases.id ORDER BY id DESC LIMIT 1)");
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.mismatch_case, 0);
	exec("UPDATE cases SET status = 'issued' WHERE id = (SELECT case_id "
	    "FROM event ORDER BY id DESC LIMIT 1)");
	assert_int_equal(audit_verify(db, &r), 0);
	assert_int_equal(r.broken_id, 0);
	assert_true(r.mismatch_case > 0);
	assert_string_equal(r.case_status, "issued");
	assert_string_not_equal(r.event_status, "issued");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_each_column),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_actor_null_to_zero),
		cmocka_unit_test(test_status_without_event),
	};

	return cmocka_run_group_tests_name("audit chain", tests, setup,
	    teardown);
}
