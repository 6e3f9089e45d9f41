/*
 * pages.h: the page handlers, one area per pages_*.c file. The route
 * table (routes.c) is the only caller.
 */
#ifndef ZIZHI_PAGES_H
#define ZIZHI_PAGES_H

#include "http.h"

struct tv;
struct case_ref;

/* pages_public.c */
int	page_home(struct request *req, struct response *resp);
int	page_static(struct request *req, struct response *resp);

/* pages_calc.c */
int	page_calculator(struct request *req, struct response *resp);

/* pages_auth.c */
int	page_login(struct request *req, struct response *resp);
int	page_login_post(struct request *req, struct response *resp);
/* The login page for a form posted without a session: what was posted
 * rides along in the login form, and after logging in one button sends
 * it on with the new session's token. */
/* /favicon.ico: the site's icon (static/favicon.svg), which browsers
 * ask for on every page. */
int	page_favicon(struct request *req, struct response *resp);
int	page_login_resume(struct request *req, struct response *resp);
int	page_logout(struct request *req, struct response *resp);
int	page_login_code(struct request *req, struct response *resp);
int	page_login_code_post(struct request *req, struct response *resp);
int	page_register(struct request *req, struct response *resp);
int	page_register_post(struct request *req, struct response *resp);
int	page_password(struct request *req, struct response *resp);
int	page_password_post(struct request *req, struct response *resp);

/* pages_cases.c */
int	page_cases(struct request *req, struct response *resp);
int	page_case_new(struct request *req, struct response *resp);
int	page_case(struct request *req, struct response *resp);
int	page_case_lead(struct request *req, struct response *resp);
int	page_case_withdraw(struct request *req, struct response *resp);
int	page_case_withdraw_post(struct request *req, struct response *resp);

/* pages_form.c */
int	page_form(struct request *req, struct response *resp);
int	page_form_post(struct request *req, struct response *resp);

/* pages_materials.c */
int	page_materials(struct request *req, struct response *resp);
int	page_materials_post(struct request *req, struct response *resp);
int	page_material_download(struct request *req, struct response *resp);
int	page_material_remove(struct request *req, struct response *resp);

/* pages_submit.c */
int	page_check(struct request *req, struct response *resp);
int	page_submit(struct request *req, struct response *resp);
int	page_notice(struct request *req, struct response *resp);
int	page_notice_pdf(struct request *req, struct response *resp);

/* pages_appeal.c: a case's appeals for its case page. */
int	supervise_case_appeals(struct request *req, struct tv *v,
	    const struct case_ref *c);

#endif
