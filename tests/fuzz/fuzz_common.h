/*
 * fuzz_common.h: helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * FUZZ_CHECK states an invariant: when it fails the harness prints what
 * was expected and aborts, which libFuzzer reports as a crash and saves
 * the input (tests/fuzz/fuzz.mk describes what to do with it).
 */
#ifndef ZIZHI_FUZZ_COMMON_H
#define ZIZHI_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "\n%s:%d: invariant failed: %s\n  ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A NUL-terminated heap copy of data[0..n): ASan sees any read past it. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* An exact-size heap copy (no terminator): reads past n are caught. */
static inline char *
fuzz_memdup(const uint8_t *data, size_t n)
{
	char *s = malloc(n ? n : 1);

	if (s == NULL)
		abort();
	if (n > 0)
		memcpy(s, data, n);
	return s;
}

/* Whether s[0..n) is free of NUL bytes. */
static inline int
fuzz_nul_free(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL;
}

#endif
