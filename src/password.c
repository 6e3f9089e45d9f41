/*
 * password.c: argon2id through libsodium's crypto_pwhash_str. The cost is
 * chosen so that one hash takes about 100-500 ms on the 2-core machines we
 * run on (docs/security.md has the measurement); a stored hash made with
 * other parameters is re-hashed at the next successful login.
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "password.h"

#define PW_OPSLIMIT	3
#define PW_MEMLIMIT	(64u * 1024 * 1024)

static int
ready(void)
{
	return sodium_init() >= 0;
}

/* How long the last hash of this process took, in nanoseconds. */
static long long last_ns = 200000000;

static long long
mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

int
password_hash(const char *pw, char *out, size_t outlen)
{
	long long t0 = mono_ns();
	int rc;

	if (!ready() || outlen < crypto_pwhash_STRBYTES)
		return -1;
	rc = crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT,
	    PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
	last_ns = mono_ns() - t0;
	return rc;
}

void
password_pause(void)
{
	struct timespec t = { (time_t)(last_ns / 1000000000),
	    (long)(last_ns % 1000000000) };

	while (nanosleep(&t, &t) != 0)
		;
}

int
password_verify(const char *pw, const char *encoded)
{
	if (!ready() || strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return crypto_pwhash_str_verify(encoded, pw, strlen(pw)) == 0;
}

int
password_needs_rehash(const char *encoded)
{
	if (!ready())
		return 1;
	return crypto_pwhash_str_needs_rehash(encoded, PW_OPSLIMIT,
	    PW_MEMLIMIT) != 0;
}
