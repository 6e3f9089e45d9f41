/*
 * money.h: amounts as people read them. Money is integer 分 everywhere;
 * a notice, a reason in the timeline or a message shows it in 元 with
 * thousands separators and two decimals. For the domain modules, which
 * cannot reach page_money() in the page layer.
 */
#ifndef ZIZHI_MONEY_H
#define ZIZHI_MONEY_H

struct arena;

/* fen as yuan, in a: 8700000 → "87,000.00", -150 → "-1.50". */
const char	*money_yuan(struct arena *a, long long fen);

#endif
