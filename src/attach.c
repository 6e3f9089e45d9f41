/*
 * attach.c: uploaded files (attach.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "util.h"

const char *
attach_size_zh(struct arena *a, long long n)
{
	if (n >= 1024 * 1024)
		return arena_printf(a, "%.1f MB", (double)n / (1024 * 1024));
	if (n >= 1024)
		return arena_printf(a, "%.0f KB", (double)n / 1024);
	return arena_printf(a, "%lld 字节", n);
}

enum dom_rc
attach_prepare(struct dom *d, const char *name, const void *data, size_t len,
    unsigned allowed, struct attach_file *out)
{
	const char *msg;

	memset(out, 0, sizeof(*out));
	if (data == NULL || len == 0)
		return dom_refuse(d, DOM_INVALID, "file", "请选择要上传的文件。");
	if (d->max_file > 0 && len > d->max_file)
		return dom_refuse(d, DOM_TOO_LARGE, "file", "文件“%s”大小为 "
		    "%s，超过了每个文件 %s 的限制。请压缩或拆分后重新上传。",
		    files_clean_name(d->arena, name), attach_size_zh(d->arena,
		    (long long)len), attach_size_zh(d->arena,
		    (long long)d->max_file));
	if ((msg = files_check(d->arena, name, data, len, allowed,
	    &out->kind)) != NULL)
		return dom_refuse(d, DOM_INVALID, "file", "%s", msg);
	out->filename = files_clean_name(d->arena, name);
	out->mime = files_mime(out->kind);
	out->size = (long long)len;
	/* The bytes are durable before any row points at them. */
	if (files_store(d->files_dir, data, len, out->sha256) != 0) {
		fprintf(stderr, "zizhi: storing an upload in %s: %s\n",
		    d->files_dir, strerror(errno));
		d->msg = "文件没有保存成功，请稍后重试。";
		return DOM_FAILED;
	}
	return DOM_OK;
}

enum dom_rc
attach_keep(struct dom *d, const void *data, size_t len,
    const struct attach_file *f)
{
	char hex[FILES_HEX_SIZE];

	if (files_exists(d->files_dir, f->sha256))
		return DOM_OK;
	if (files_store(d->files_dir, data, len, hex) == 0)
		return DOM_OK;
	fprintf(stderr, "zizhi: storing %s again in %s: %s\n", f->sha256,
	    d->files_dir, strerror(errno));
	dom_fail(d, "attach_keep");
	d->msg = "文件没有保存成功，请稍后重试。";
	return DOM_FAILED;
}

enum dom_rc
attach_read(struct dom *d, const char *sha256, struct buf *out)
{
	if (files_read(d->files_dir, sha256, out) == 0)
		return DOM_OK;
	fprintf(stderr, "zizhi: reading stored file %s: %s\n", sha256,
	    strerror(errno));
	d->msg = "文件暂时无法读取。请稍后重试；如果问题持续出现，请联系系统管理员。";
	return DOM_FAILED;
}
