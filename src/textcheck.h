/*
 * textcheck.h: what a person typed into a required text field, checked
 * for a domain module: not blank, no character that has no place in a
 * text (valid_text), not too long; each refusal in the module's own
 * words. And a problem: a field with what is wrong with it, for the
 * check functions that report every field at once, so a form can show
 * all its errors together. Pure.
 */
#ifndef ZIZHI_TEXTCHECK_H
#define ZIZHI_TEXTCHECK_H

#include <stddef.h>

struct arena;

/* What is wrong with one field of a form. */
struct problem {
	const char	*field;
	const char	*msg;		/* Chinese, for the person */
};

/*
 * NULL when s (valid UTF-8) has something besides spaces, tabs and line
 * breaks, holds no character valid_text() refuses (flags: its
 * VALID_MULTILINE) and has at most max characters. Otherwise the
 * message, in a: empty when blank; when too long "<what>请控制在 <max>
 * 字以内（现为 <n> 字）<tail>", or empty when what is NULL; for a
 * forbidden character "<what or 内容>含有无法保存的控制字符或不可见的格式
 * 字符，请删除后重新填写。".
 */
const char	*textcheck(struct arena *a, const char *s, size_t max,
		    unsigned flags, const char *empty, const char *what,
		    const char *tail);

#endif
