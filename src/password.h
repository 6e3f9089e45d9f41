/*
 * password.h: password hashing with argon2id (Debian's libargon2).
 */
#ifndef ZIZHI_PASSWORD_H
#define ZIZHI_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN	12	/* characters (UTF-8 code points) */
#define PASSWORD_MAX	1024
#define PASSWORD_HASH_MAX	128

/* Encodes an argon2id hash of pw into out ("$argon2id$v=19$..."). 0 or -1. */
int	password_hash(const char *pw, char *out, size_t outlen);
/* Waits, without working, as long as this process's last hash took (200
 * ms before the first): an answer that needs no hash takes as long as
 * one that does, and costs no processor time. */
void	password_pause(void);
/* 1 when pw matches the encoded hash, 0 when not (or the hash is bad). */
int	password_verify(const char *pw, const char *encoded);
/* 1 when the encoded hash used other parameters than password_hash would. */
int	password_needs_rehash(const char *encoded);

#endif
