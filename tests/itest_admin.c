/*
 * itest_admin.c: account administration over HTTP, through both doors,
 * and `zizhi user add` from the shell. An admin creates a lead, who logs
 * in; a duplicate e-mail is refused with the message at the field; a
 * disabled account cannot log in and its open session is sent to the
 * login page; an admin cannot disable itself; only admins get in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "testlib_journey.h"

static const char *urls[2];

#define PW	"initial password 42"
#define PW_FORM	"initial+password+42"

static int
setup(void **state)
{
	urls[0] = getenv("ZIZHI_SERVE_URL");
	urls[1] = getenv("ZIZHI_FCGI_URL");
	return 0;
}

static void
expect(struct http_client *c, const char *path, long status,
    const char *text)
{
	struct http_resp r;

	http_get(c, path, &r);
	if (r.status != status)
		fail_msg("GET %s: %ld, want %ld", path, r.status, status);
	if (text != NULL && !http_body_has(&r, text))
		fail_msg("GET %s: no \"%s\" in\n%.3000s", path, text, r.body.p);
	http_resp_free(&r);
}

static void
post(struct http_client *c, const char *path, const char *const *kv,
    long want, const char *text)
{
	struct http_resp r;
	char *body = tj_form(tj_token(c, "/admin/users"), kv);

	http_post_form(c, path, body, &r);
	free(body);
	if (r.status != want)
		fail_msg("POST %s: %ld, want %ld\n%.3000s", path, r.status,
		    want, r.body.p ? r.body.p : "");
	if (text != NULL && !http_body_has(&r, text))
		fail_msg("POST %s: no \"%s\" in\n%.3000s", path, text,
		    r.body.p);
	http_resp_free(&r);
}

/* Logs email in with PW: the status of the answer. */
static long
login(struct http_client *c, const char *email)
{
	struct http_resp r;
	char form[256];
	long st;

	snprintf(form, sizeof(form), "email=%s&password=" PW_FORM, email);
	http_post_form(c, "/login", form, &r);
	st = r.status;
	http_resp_free(&r);
	return st;
}

static long long
account_id(const char *email)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT id FROM account WHERE email = '%s'",
	    email);
	return tj_sql_int(sql);
}

static void
test_admin(void **state)
{
	struct http_client *admin, *lead, *sup, *app, *anon, *nl;
	struct http_resp r;
	char ea[128], el[128], es[128], email[128], path[96], sql[256];
	long long nid, aid;
	int door;

	for (door = 0; door < 2; door++) {
		admin = tj_staff(urls[door], "admin", ea, sizeof(ea));
		lead = tj_staff(urls[door], "lead", el, sizeof(el));
		sup = tj_staff(urls[door], "supervisor", es, sizeof(es));
		app = tj_applicant(urls[door], "管理测试申请单位");
		anon = http_client_new(urls[door]);
		aid = account_id(ea);

		/* Only admins. */
		expect(lead, "/admin/users", 403, NULL);
		expect(sup, "/admin/users", 403, NULL);
		expect(app, "/admin/users", 403, NULL);
		http_get(anon, "/admin/users", &r);
		assert_int_equal(r.status, 303);
		assert_non_null(strstr(http_header(&r, "Location"), "/login"));
		http_resp_free(&r);
		expect(admin, "/admin/users", 200, "创建工作人员账号");

		/* A new lead, who can log in. */
		snprintf(email, sizeof(email), "newlead%ld-%d-%d@staff.example",
		    (long)time(NULL), (int)getpid(), door);
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "lead", "email", email, "name", "新建的项目负责人",
		    "password", PW, "password2", PW, NULL }, 303, NULL);
		expect(admin, "/admin/users?done=created", 200, email);
		expect(admin, "/admin/users?role=lead", 200, email);
		http_get(admin, "/admin/users?role=applicant", &r);
		assert_false(http_body_has(&r, email));
		http_resp_free(&r);
		nid = account_id(email);
		snprintf(sql, sizeof(sql), "SELECT role = 'lead' AND org_id IS "
		    "NULL FROM account WHERE id = %lld", nid);
		assert_int_equal(tj_sql_int(sql), 1);
		nl = http_client_new(urls[door]);
		assert_int_equal(login(nl, email), 303);
		expect(nl, "/", 200, "新建的项目负责人");
		expect(nl, "/admin/users", 403, NULL);

		/* Refused: a taken e-mail (message at the field, what was
		 * typed kept), passwords that differ, the applicant role. */
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "expert", "email", email, "name", "重复的人", "password", PW,
		    "password2", PW, NULL }, 400, "该电子邮箱已有账号");
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "expert", "email", email, "name", "重复的人", "password", PW,
		    "password2", PW, NULL }, 400, "id=\"email-error\"");
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "expert", "email", email, "name", "重复的人", "password", PW,
		    "password2", PW, NULL }, 400, "重复的人");
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "expert", "email", "other@staff.example", "name", "某人",
		    "password", PW, "password2", "something else", NULL }, 400,
		    "两次输入的密码不一致");
		post(admin, "/admin/users", (const char *const[]){ "role",
		    "applicant", "email", "other@staff.example", "name", "某人",
		    "password", PW, "password2", PW, NULL }, 400,
		    "请选择账号的角色");
		assert_int_equal(tj_sql_int("SELECT count(*) FROM account WHERE "
		    "email = 'other@staff.example'"), 0);

		/* Non-admins cannot disable anyone. */
		snprintf(path, sizeof(path), "/admin/users/%lld/disable", nid);
		{
			char *body = tj_form(tj_token(lead, "/"),
			    (const char *const[]){ NULL });

			http_post_form(lead, path, body, &r);
			free(body);
			assert_int_equal(r.status, 403);
			http_resp_free(&r);
		}

		/* Disabled: the open session is sent to log in, a new
		 * login fails. */
		post(admin, path, (const char *const[]){ NULL }, 303, NULL);
		expect(admin, "/admin/users?done=disabled", 200, "已停用");
		http_get(nl, "/account/password", &r);
		assert_int_equal(r.status, 303);
		assert_non_null(strstr(http_header(&r, "Location"), "/login"));
		http_resp_free(&r);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE "
		    "account_id = %lld", nid);
		assert_int_equal(tj_sql_int(sql), 0);
		assert_int_equal(login(nl, email), 401);

		/* An admin cannot disable itself. */
		snprintf(path, sizeof(path), "/admin/users/%lld/disable", aid);
		post(admin, path, (const char *const[]){ NULL }, 403,
		    "不能停用自己");
		snprintf(sql, sizeof(sql), "SELECT disabled FROM account WHERE "
		    "id = %lld", aid);
		assert_int_equal(tj_sql_int(sql), 0);

		/* Enabled again: logs in again. */
		snprintf(path, sizeof(path), "/admin/users/%lld/enable", nid);
		post(admin, path, (const char *const[]){ NULL }, 303, NULL);
		assert_int_equal(login(nl, email), 303);
		expect(nl, "/account/password", 200, NULL);

		/* No such account. */
		post(admin, "/admin/users/999999999/disable",
		    (const char *const[]){ NULL }, 404, NULL);

		http_client_free(admin);
		http_client_free(lead);
		http_client_free(sup);
		http_client_free(app);
		http_client_free(anon);
		http_client_free(nl);
	}
}

/* Runs zizhi user add with the password on stdin; its exit status, and
 * what it wrote in out. */
static int
user_add(const char *role, const char *email, char *out, size_t len)
{
	char cmd[1024], file[256];
	FILE *f;
	size_t n;
	int rc;

	snprintf(file, sizeof(file), "%s/user-add-%d.out",
	    getenv("ZIZHI_TMP") ? getenv("ZIZHI_TMP") : "/tmp", (int)getpid());
	snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '" PW "' | '%s' user add "
	    "--db '%s' --role %s --email '%s' --name 'CLI 测试' > '%s' 2>&1",
	    getenv("ZIZHI_BIN"), getenv("ZIZHI_DB"), role, email, file);
	rc = system(cmd);
	assert_true(rc != -1 && WIFEXITED(rc));
	f = fopen(file, "r");
	assert_non_null(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
	unlink(file);
	return WEXITSTATUS(rc);
}

static void
test_cli(void **state)
{
	struct http_client *c;
	char email[128], out[1024];

	snprintf(email, sizeof(email), "cli%ld-%d@staff.example",
	    (long)time(NULL), (int)getpid());
	assert_int_equal(user_add("assessor", email, out, sizeof(out)), 0);
	assert_non_null(strstr(out, email));
	/* The account works through both doors. */
	c = http_client_new(urls[0]);
	assert_int_equal(login(c, email), 303);
	http_client_free(c);
	c = http_client_new(urls[1]);
	assert_int_equal(login(c, email), 303);
	http_client_free(c);

	/* A duplicate e-mail: refused, with a message, nothing changed. */
	assert_int_not_equal(user_add("lead", email, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "已注册"));
	assert_non_null(strstr(out, email));
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM account WHERE "
		    "email = '%s' AND role = 'assessor'", email);
		assert_int_equal(tj_sql_int(sql), 1);
	}
	/* Applicants register themselves. */
	snprintf(email, sizeof(email), "cli-ap%ld-%d@staff.example",
	    (long)time(NULL), (int)getpid());
	assert_int_not_equal(user_add("applicant", email, out, sizeof(out)),
	    0);
	assert_non_null(strstr(out, "--role"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests_name("account administration (both "
	    "doors)", tests, setup, NULL);
}
