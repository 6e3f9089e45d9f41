/*
 * audit.c: the hash chain over events (see audit.h).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"

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

void
audit_event_hash(const unsigned char *prev, long long case_id,
    const char *at, const char *day, long long actor_id, const char *from,
    const char *to, const char *reason, unsigned char out[AUDIT_HASH_BYTES])
{
	static const unsigned char zero[AUDIT_HASH_BYTES];
	static const unsigned char domain[] = "zizhi event v1";
	crypto_hash_sha256_state h;
	char cid[24], aid[24];

	snprintf(cid, sizeof(cid), "%lld", case_id);
	snprintf(aid, sizeof(aid), "%lld", actor_id);
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, domain, sizeof(domain) - 1);
	crypto_hash_sha256_update(&h, prev != NULL ? prev : zero,
	    AUDIT_HASH_BYTES);
	field(&h, 'c', cid);
	field(&h, 'a', at);
	field(&h, 'd', day);
	field(&h, 'u', actor_id > 0 ? aid : NULL);
	field(&h, 'f', from);
	field(&h, 't', to);
	field(&h, 'r', reason);
	crypto_hash_sha256_final(&h, out);
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
		audit_event_hash(first ? NULL : prev,
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    sqlite3_column_int64(st, 4),
		    (const char *)sqlite3_column_text(st, 5),
		    (const char *)sqlite3_column_text(st, 6),
		    (const char *)sqlite3_column_text(st, 7), want);
		have = col_hash(st, 8);
		r->count++;
		if (have == NULL || sodium_memcmp(have, want, sizeof(want))
		    != 0) {
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
	return 0;
}
