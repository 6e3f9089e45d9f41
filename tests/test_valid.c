/*
 * test_valid.c: the validators every input goes through (valid.h) and
 * UTF-8 (utf8.h): one e-mail rule for the form, the accounts and the
 * mail; integers with nothing around them; texts without controls or
 * bidirectional overrides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mail.h"
#include "utf8.h"
#include "valid.h"

static void
test_email(void **state)
{
	static const struct {
		const char	*s;
		int		 ok;
	} cases[] = {
		{ "zhangsan@example.com", 1 },
		{ "li-si+apply@mail.example.com.cn", 1 },
		{ "Zhang.San@Example.COM", 1 },
		{ "a@b.example", 1 },
		/* What mail cannot carry is refused at entry, everywhere. */
		{ "张三@例子.中国", 0 },
		{ "zhangsan@例子.中国", 0 },
		{ "张三@example.com", 0 },
		{ "a@b", 0 },
		{ "a@b.c", 0 },
		{ "a@b.c1", 0 },
		{ "a@@b.com", 0 },
		{ "a..b@x.com", 0 },
		{ ".a@x.com", 0 },
		{ "a.@x.com", 0 },
		{ "@x.com", 0 },
		{ "a@-x.com", 0 },
		{ "a@x-.com", 0 },
		{ "a@x..com", 0 },
		{ "a b@x.com", 0 },
		{ "a\r\nBcc: x@y.com", 0 },
		{ "a<b>@x.com", 0 },
		{ "", 0 },
	};
	char longlocal[80], longaddr[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (valid_email(cases[i].s) != cases[i].ok)
			fail_msg("valid_email(\"%s\"): want %d", cases[i].s,
			    cases[i].ok);
		/* The mail module answers the same. */
		if (mail_address_valid(cases[i].s) != cases[i].ok)
			fail_msg("mail_address_valid(\"%s\"): want %d",
			    cases[i].s, cases[i].ok);
	}
	assert_false(valid_email(NULL));
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@x.com");
	assert_false(valid_email(longlocal));
	longlocal[64] = '\0';
	assert_false(valid_email(longlocal));
	memset(longlocal, 'a', 64);
	strcpy(longlocal + 64, "@x.com");
	assert_true(valid_email(longlocal));
	memset(longaddr, 'b', sizeof(longaddr));
	memcpy(longaddr, "a@", 2);
	for (i = 60; i < 250; i += 61)
		longaddr[i] = '.';
	strcpy(longaddr + 250, ".com");	/* 254 bytes */
	assert_int_equal(strlen(longaddr), 254);
	assert_true(valid_email(longaddr));
	strcpy(longaddr + 250, ".comx");
	assert_false(valid_email(longaddr));
}

static void
test_int(void **state)
{
	long long v = 7;

	assert_int_equal(valid_int("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(valid_int("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(valid_int("100", 0, 100, &v), 0);
	v = 7;
	assert_int_equal(valid_int("101", 0, 100, &v), -1);
	assert_int_equal(valid_int("-1", 0, 100, &v), -1);
	assert_int_equal(valid_int("4x", 0, 100, &v), -1);
	assert_int_equal(valid_int(" 4", 0, 100, &v), -1);
	assert_int_equal(valid_int("4 ", 0, 100, &v), -1);
	assert_int_equal(valid_int("+4", 0, 100, &v), -1);
	assert_int_equal(valid_int("", 0, 100, &v), -1);
	assert_int_equal(valid_int("-", -10, 100, &v), -1);
	assert_int_equal(valid_int(NULL, 0, 100, &v), -1);
	assert_int_equal(valid_int("99999999999999999999", 0, 100, &v), -1);
	assert_int_equal(v, 7);
}

static void
test_text(void **state)
{
	assert_true(valid_text("北京某某信息安全技术有限公司", 1, 200, 0));
	assert_true(valid_text("ABC", 3, 3, 0));
	assert_false(valid_text("ABCD", 1, 3, 0));
	assert_true(valid_text("一二三", 1, 3, 0));	/* characters */
	assert_false(valid_text("", 1, 3, 0));
	assert_true(valid_text("", 0, 3, 0));
	/* Controls, bidirectional overrides, noncharacters: never. */
	assert_false(valid_text("A\tB", 1, 10, 0));
	assert_false(valid_text("A\nB", 1, 10, 0));
	assert_true(valid_text("A\tB\nC\r\nD", 1, 10, VALID_MULTILINE));
	assert_false(valid_text("A\rB", 1, 10, VALID_MULTILINE));
	assert_false(valid_text("公司\xe2\x80\xae" "moc.live", 1, 50, 0));
	assert_false(valid_text("a\xe2\x80\x8b" "b", 1, 50, 0));
	assert_false(valid_text("\xef\xbb\xbf" "a", 1, 50, 0));
	assert_false(valid_text("a\xf4\x8f\xbf\xbf", 1, 50, 0));
	assert_false(valid_text("a\x7f", 1, 50, 0));
	assert_false(valid_text("a\xc2\x85", 1, 50, 0));
	assert_false(valid_text("\xe5\x85", 1, 50, 0));
	assert_false(valid_text(NULL, 0, 50, 0));
	/* An emoji is a character like any other. */
	assert_true(valid_text("安全\xf0\x9f\x94\x92", 3, 3, 0));
}

static void
test_utf8(void **state)
{
	const char *s = "安全a";
	uint32_t c;

	assert_int_equal(utf8_chars(s), 3);
	assert_int_equal(utf8_decode((const unsigned char *)s, strlen(s), &c),
	    3);
	assert_int_equal(c, 0x5B89);
	assert_int_equal(utf8_cut(s, strlen(s), 4), 3);
	assert_int_equal(utf8_cut(s, strlen(s), 6), 6);
	assert_int_equal(utf8_cut(s, strlen(s), 100), 7);
	assert_true(utf8_valid(s, strlen(s)));
	assert_false(utf8_valid(s, 2));
	assert_true(utf8_forbidden(0x202E));
	assert_true(utf8_forbidden(0xFFFF));
	assert_true(utf8_forbidden(0x10FFFF));
	assert_false(utf8_forbidden(0x5B89));
	assert_false(utf8_forbidden(0x1F512));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
