/*
 * dom.c: the domain context (dom.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dom.h"
#include "store.h"
#include "util.h"

const struct actor dom_system = { 0, "", "系统", "", 0, 0, "" };

const struct dom_payee dom_payee_default = {
	"中国信息安全测评中心",
	"（示例）中国工商银行北京海淀支行",
	"0200 0000 0000 0000 000（示例账号，部署时须配置）",
	"请通过银行转账一次或分次支付，在付款附言中注明案件编号；以款项到账日期为准。"
};

void
dom_init(struct dom *d, struct store *s, struct arena *a,
    const struct actor *actor, long long now)
{
	memset(d, 0, sizeof(*d));
	d->store = s;
	d->arena = a;
	d->actor = actor != NULL ? actor : &dom_system;
	d->now = now;
	d->today = date_of_unix(now);
	date_format(d->today, d->today_s);
	date_stamp(now, d->stamp);
	d->public_url = "";
	d->files_dir = "files";
	d->payee = &dom_payee_default;
}

enum dom_rc
dom_refuse(struct dom *d, enum dom_rc rc, const char *field,
    const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->msg = arena_strdup(d->arena, b.p ? b.p : "");
	d->field = field;
	buf_free(&b);
	return rc;
}

enum dom_rc
dom_fail(struct dom *d, const char *what)
{
	fprintf(stderr, "zizhi: %s: %s\n", what,
	    sqlite3_errmsg(store_db(d->store)));
	store_rollback(d->store);
	d->msg = "保存失败，您的数据没有被部分保存。请稍后重试。";
	d->field = NULL;
	return DOM_FAILED;
}

enum dom_rc
dom_begin(struct dom *d)
{
	d->msg = NULL;
	d->field = NULL;
	return store_begin(d->store) == 0 ? DOM_OK : dom_fail(d, "begin");
}

enum dom_rc
dom_end(struct dom *d, enum dom_rc rc)
{
	if (rc != DOM_OK) {
		store_rollback(d->store);
		return rc;
	}
	if (store_commit(d->store) != 0)
		return dom_fail(d, "commit");
	return DOM_OK;
}
