/*
 * review.h: the areas the project lead reviews at 受理 (§5.2) and the
 * assessment team assesses (§5.4): form conformity, basic qualification,
 * basic capability, quality management (§3.3), each security process
 * area PA01-PA22, and organisational management.
 */
#ifndef ZIZHI_REVIEW_H
#define ZIZHI_REVIEW_H

#include <stddef.h>

struct review_area {
	const char	*code;
	const char	*label;
};

/* Every area, in review order; ends with a NULL code. */
extern const struct review_area review_areas[];

const struct review_area *review_area(const char *code);

/* "ok", "supplement", "fail" and their words. */
const char	*review_verdict_zh(const char *verdict);

#endif
