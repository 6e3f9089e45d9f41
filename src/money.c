/*
 * money.c: amounts in words (money.h).
 */
#include "money.h"
#include "util.h"

const char *
money_yuan(struct arena *a, long long fen)
{
	char out[48];
	unsigned long long y, cents;
	size_t o = sizeof(out);
	int group = 0;

	y = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
	cents = y % 100;
	y /= 100;
	/* Written from the end: cents, the point, then the yuan in
	 * groups of three. */
	out[--o] = '\0';
	out[--o] = (char)('0' + cents % 10);
	out[--o] = (char)('0' + cents / 10);
	out[--o] = '.';
	do {
		if (group == 3) {
			out[--o] = ',';
			group = 0;
		}
		out[--o] = (char)('0' + y % 10);
		y /= 10;
		group++;
	} while (y > 0);
	if (fen < 0)
		out[--o] = '-';
	return arena_strdup(a, out + o);
}
