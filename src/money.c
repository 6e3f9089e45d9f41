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

/* 10^16 yuan: the first amount money_capital cannot write. */
#define CAPITAL_LIMIT	10000000000000000ULL

const char *
money_capital(struct arena *a, long long fen)
{
	static const char *digit[] = { "零", "壹", "贰", "叁", "肆", "伍",
	    "陆", "柒", "捌", "玖" };
	static const char *place[] = { "", "拾", "佰", "仟" };
	static const char *group[] = { "", "万", "亿", "万亿" };
	static const unsigned p10[] = { 1, 10, 100, 1000 };
	unsigned long long v, yuan, div;
	unsigned four, d, jiao, cents;
	struct buf b;
	const char *out;
	int g, i, said = 0, zero = 0;

	v = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
	yuan = v / 100;
	jiao = (unsigned)(v / 10 % 10);
	cents = (unsigned)(v % 10);
	if (yuan >= CAPITAL_LIMIT)
		return NULL;
	buf_init(&b);
	if (fen < 0)
		buf_puts(&b, "负");
	/* The yuan in groups of four digits, the highest first. */
	for (g = 3, div = 1000000000000ULL; g >= 0; g--, div /= 10000) {
		four = (unsigned)(yuan / div % 10000);
		if (four == 0) {
			zero = said;	/* a whole group of zeros */
			continue;
		}
		for (i = 3; i >= 0; i--) {
			d = four / p10[i] % 10;
			if (d == 0) {
				zero = said;
				continue;
			}
			if (zero)
				buf_puts(&b, digit[0]);
			buf_puts(&b, digit[d]);
			buf_puts(&b, place[i]);
			said = 1;
			zero = 0;
		}
		buf_puts(&b, group[g]);
		/* Zeros at a group's end are not said before its unit. */
		zero = 0;
	}
	if (said)
		buf_puts(&b, "元");
	if (jiao == 0 && cents == 0)
		buf_puts(&b, said ? "整" : "零元整");
	else {
		if (jiao != 0) {
			buf_puts(&b, digit[jiao]);
			buf_puts(&b, "角");
		} else if (said)
			buf_puts(&b, digit[0]);
		if (cents != 0) {
			buf_puts(&b, digit[cents]);
			buf_puts(&b, "分");
		}
	}
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}
