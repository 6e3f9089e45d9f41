/*
 * case.c: cases, with the ownership check on every lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "case.h"
#include "page.h"
#include "workflow.h"

int
case_get(struct request *req, long long id, struct case_info *out)
{
	struct case_ref c;
	struct dom d;

	if (req->user == NULL)
		return 404;
	page_dom(req, &d);
	switch (access_case(&d, id, 0, &c)) {
	case DOM_OK:
		break;
	case DOM_NOT_FOUND:
		return 404;
	default:
		return 500;
	}
	out->id = c.id;
	out->org_id = c.org_id;
	out->org_name = c.org_name;
	out->case_no = c.case_no;
	out->status = c.status;
	out->lead_id = c.lead_id;
	out->lead_name = c.lead_name;
	out->created_at = c.created_at;
	out->rounds = c.rounds;
	return 0;
}

int
case_get_arg(struct request *req, size_t arg, struct case_info *out)
{
	if (arg >= req->nargs)
		return 404;
	return case_get(req, strtoll(req->args[arg], NULL, 10), out);
}
