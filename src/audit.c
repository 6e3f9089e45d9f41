/*
 * audit.c: the hash chain over events (see audit.h).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "status.h"

/* One field: a tag byte, its length as 8 bytes big-endian (all ones for
 * NULL), then its bytes. */
static void
field(crypto_hash_sha256_state *h, unsigned char tag, const char *v)
{
	unsigned char len[9];
	uint64_t n = v != NULL ? (uint64_t)strlen(v) : UINT64_MAX;
	int i;

	len[0] = tag;
	for (i = 0; i < 8; i++)
		len[1 + i] = (unsigned char)(n >> (56 - 8 * i));
	crypto_hash_sha256_update(h, len, sizeof(len));
	if (v != NULL)
		crypto_hash_sha256_update(h, (const unsigned char *)v,
		    (unsigned long long)n);
}

/*
 * The canonical form of a row: every field as the text SQLite stores
 * (integers in decimal), NULL distinct from every text, each with its
 * length, so no two different rows hash the same bytes.
 */
static void
row_hash(const unsigned char *prev, const char *case_id, const char *at,
    const char *day, const char *actor, const char *from, const char *to,
    const char *reason, unsigned char out[AUDIT_HASH_BYTES])
{
	static const unsigned char zero[AUDIT_HASH_BYTES];
	static const unsigned char domain[] = "zizhi event v1";
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, domain, sizeof(domain) - 1);
	crypto_hash_sha256_update(&h, prev != NULL ? prev : zero,
	    AUDIT_HASH_BYTES);
	field(&h, 'c', case_id);
	field(&h, 'a', at);
	field(&h, 'd', day);
	field(&h, 'u', actor);
	field(&h, 'f', from);
	field(&h, 't', to);
	field(&h, 'r', reason);
	crypto_hash_sha256_final(&h, out);
}

void
audit_event_hash(const unsigned char *prev, long long case_id,
    const char *at, const char *day, long long actor_id, const char *from,
    const char *to, const char *reason, unsigned char out[AUDIT_HASH_BYTES])
{
	char cid[24], aid[24];

	snprintf(cid, sizeof(cid), "%lld", case_id);
	snprintf(aid, sizeof(aid), "%lld", actor_id);
	row_hash(prev, cid, at, day, actor_id > 0 ? aid : NULL, from, to,
	    reason, out);
}

/* Column i as its stored text, or NULL when it is NULL. */
static const char *
col_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL :
	    (const char *)sqlite3_column_text(st, i);
}

/* 1 when every column has the type the schema means it to have: the
 * same bytes stored as another type are a change too. */
static int
row_types_ok(sqlite3_stmt *st)
{
	int t;

	if (sqlite3_column_type(st, 1) != SQLITE_INTEGER ||
	    sqlite3_column_type(st, 2) != SQLITE_TEXT ||
	    sqlite3_column_type(st, 3) != SQLITE_TEXT ||
	    sqlite3_column_type(st, 6) != SQLITE_TEXT ||
	    sqlite3_column_type(st, 7) != SQLITE_TEXT)
		return 0;
	t = sqlite3_column_type(st, 4);
	if (t != SQLITE_NULL && t != SQLITE_INTEGER)
		return 0;
	t = sqlite3_column_type(st, 5);
	return t == SQLITE_NULL || t == SQLITE_TEXT;
}

/* The hash stored in column i, or NULL when it is not a 32-byte blob. */
static const unsigned char *
col_hash(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, i) != AUDIT_HASH_BYTES)
		return NULL;
	return sqlite3_column_blob(st, i);
}

int
audit_event_insert(struct store *s, long long case_id, const char *at,
    const char *day, long long actor_id, const char *from, const char *to,
    const char *reason)
{
	unsigned char prev[AUDIT_HASH_BYTES], hash[AUDIT_HASH_BYTES];
	const unsigned char *p;
	sqlite3_stmt *st;
	int have = 0, rc;

	if (reason == NULL)
		reason = "";
	st = store_stmt(s, "SELECT hash FROM event ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* A row without a hash (not written here) links as zeros:
		 * verify reports it either way. */
		if ((p = col_hash(st, 0)) != NULL)
			memcpy(prev, p, sizeof(prev));
		else
			memset(prev, 0, sizeof(prev));
		have = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	audit_event_hash(have ? prev : NULL, case_id, at, day, actor_id, from,
	    to, reason, hash);
	st = store_stmt(s, "INSERT INTO event(case_id, at, day, actor_id, "
	    "from_status, to_status, reason, hash) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8)");
	if (st == NULL)
		return -1;
	store_bind_int(st, 1, case_id);
	store_bind_text(st, 2, at);
	store_bind_text(st, 3, day);
	if (actor_id > 0)
		store_bind_int(st, 4, actor_id);
	store_bind_text(st, 5, from);
	store_bind_text(st, 6, to);
	store_bind_text(st, 7, reason);
	sqlite3_bind_blob(st, 8, hash, sizeof(hash), SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int
audit_verify(struct store *s, struct audit_result *r)
{
	unsigned char prev[AUDIT_HASH_BYTES], want[AUDIT_HASH_BYTES];
	const unsigned char *have;
	sqlite3_stmt *st;
	int rc, first = 1;

	memset(r, 0, sizeof(*r));
	st = store_stmt(s, "SELECT id, case_id, at, day, actor_id, "
	    "from_status, to_status, reason, hash FROM event ORDER BY id");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Each value as stored: an actor changed from NULL to 0 is
		 * a change. */
		row_hash(first ? NULL : prev, col_text(st, 1), col_text(st, 2),
		    col_text(st, 3), col_text(st, 4), col_text(st, 5),
		    col_text(st, 6), col_text(st, 7), want);
		have = col_hash(st, 8);
		r->count++;
		if (have == NULL || !row_types_ok(st) ||
		    sodium_memcmp(have, want, sizeof(want)) != 0) {
			r->broken_id = sqlite3_column_int64(st, 0);
			break;
		}
		memcpy(prev, have, sizeof(prev));
		first = 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (!first)
		memcpy(r->head, prev, sizeof(prev));
	/* A case's status is its last event's: a status changed without
	 * an event (behind the application's back) is found here. A case
	 * with no event is a draft. */
	st = store_stmt(s, "SELECT c.id, c.status, coalesce((SELECT "
	    "e.to_status FROM event e WHERE e.case_id = c.id ORDER BY e.id "
	    "DESC LIMIT 1), ?1) AS last FROM cases c WHERE c.status IS NOT "
	    "last ORDER BY c.id LIMIT 1");
	if (st == NULL)
		return -1;
	store_bind_text(st, 1, status_code(ST_DRAFT));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->mismatch_case = sqlite3_column_int64(st, 0);
		snprintf(r->case_status, sizeof(r->case_status), "%s",
		    store_col_text(st, 1));
		snprintf(r->event_status, sizeof(r->event_status), "%s",
		    store_col_text(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}
