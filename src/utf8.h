/*
 * utf8.h: UTF-8, once for the whole program: validity (no overlong
 * forms, no surrogates, nothing above U+10FFFF), decoding, counting
 * characters, cutting at a character boundary, and the characters that
 * must not enter names and texts (controls, bidirectional and invisible
 * formatting). Pure; no allocation.
 */
#ifndef ZIZHI_UTF8_H
#define ZIZHI_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the character at s (n > 0 bytes left). Returns its length and
 * sets *cp, or returns 0 for an invalid or truncated sequence.
 */
size_t	 utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* 1 when the n bytes at s are valid UTF-8 (NUL bytes included). */
int	 utf8_valid(const char *s, size_t n);
/* Characters (not bytes) in the valid UTF-8 string s. */
size_t	 utf8_chars(const char *s);
/* The longest prefix of s (n bytes) of at most max bytes ending on a
 * character boundary: its length. */
size_t	 utf8_cut(const char *s, size_t n, size_t max);
/*
 * 1 for a character that has no place in a name or a line of text: C0
 * and C1 controls, DEL, and the invisible formatting characters that
 * reorder or hide text (bidirectional marks, embeddings, overrides and
 * isolates such as U+202E, zero-width characters, the BOM, interlinear
 * annotations) and noncharacters (U+FFFE, U+FFFF and the like).
 */
int	 utf8_forbidden(uint32_t cp);

#endif
