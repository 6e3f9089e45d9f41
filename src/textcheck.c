/*
 * textcheck.c: required text fields (textcheck.h).
 */
#include <string.h>

#include "textcheck.h"
#include "utf8.h"
#include "util.h"
#include "valid.h"

const char *
textcheck(struct arena *a, const char *s, size_t max, unsigned flags,
    const char *empty, const char *what, const char *tail)
{
	size_t n;

	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0')
		return empty;
	if (!valid_text(s, 0, (size_t)-1, flags))
		return arena_printf(a, "%s含有无法保存的控制字符或不可见的格式字符，"
		    "请删除后重新填写。", what != NULL ? what : "内容");
	if ((n = utf8_chars(s)) <= max)
		return NULL;
	if (what == NULL)
		return empty;
	return arena_printf(a, "%s请控制在 %zu 字以内（现为 %zu 字）%s", what,
	    max, n, tail != NULL ? tail : "。");
}
