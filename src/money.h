/*
 * money.h: amounts as people read them. Money is integer 分 everywhere;
 * every page, notice, reason in the timeline or message shows it in 元
 * with thousands separators and two decimals, through money_yuan: one
 * style in every table.
 */
#ifndef ZIZHI_MONEY_H
#define ZIZHI_MONEY_H

struct arena;

/* fen as yuan, in a: 8700000 → "87,000.00", -150 → "-1.50". */
const char	*money_yuan(struct arena *a, long long fen);

/*
 * fen in Chinese capitals (人民币大写), as on a cheque or an agreement,
 * in a: 8700000 → "捌万柒仟元整", 10050000 → "壹拾万零伍佰元整", 5 →
 * "伍分", 105 → "壹元零伍分", 150 → "壹元伍角", 0 → "零元整". The usual
 * rules: 整 after 元 when there are no 角 and 分; a run of zeros inside
 * the number is one 零, and none at the end of a 万 or 亿 group that is
 * followed by a non-zero 仟; 零 before the 分 when the 角 is 0; 壹拾 for
 * a leading ten. A negative amount starts with 负. NULL when the yuan
 * reach 10^16 (beyond 万亿).
 */
const char	*money_capital(struct arena *a, long long fen);

#endif
