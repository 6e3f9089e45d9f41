/*
 * routes.c: the route table. Every request goes through it; a path not
 * here is 404, a method not listed for a path is 405. The roles column
 * says who may use a route (none: nobody); csrf says the form must carry
 * the session's token.
 */
#include <stddef.h>

#include "pages.h"
#include "router.h"

const struct route routes[] = {
	/* method	pattern			handler		roles	csrf */
	{ METHOD_GET,	"/",			page_home,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/static/{*}",		page_static,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/favicon.ico",		page_favicon,	ROLES_ALL, 0 },
	{ METHOD_GET,	"/calculator",		page_calculator, ROLES_ALL, 0 },

	/* Accounts (pages_auth.c). Logging in needs no token: there is no
	 * session yet; the same-origin check still applies to every POST. */
	{ METHOD_GET,	"/login",		page_login,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/login",		page_login_post, ROLES_ALL, 0 },
	{ METHOD_GET,	"/login/code",		page_login_code, ROLES_ALL, 0 },
	{ METHOD_POST,	"/login/code",		page_login_code_post, ROLES_ALL, 0 },
	{ METHOD_POST,	"/logout",		page_logout,	ROLES_USERS, 1 },
	{ METHOD_GET,	"/register",		page_register,	ROLES_ALL, 0 },
	{ METHOD_POST,	"/register",		page_register_post, ROLES_ALL, 0 },
	{ METHOD_GET,	"/account/password",	page_password,	ROLES_USERS, 0 },
	{ METHOD_POST,	"/account/password",	page_password_post, ROLES_USERS, 1 },

	/* An applicant's cases (pages_cases.c, pages_form.c). */
	{ METHOD_GET,	"/cases",		page_cases,	ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/cases",		page_case_new,	ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}",		page_case,	ROLES_USERS, 0 },
	{ METHOD_POST,	"/cases/{n}/lead",	page_case_lead,	ROLE_SUPERVISOR, 1 },
	{ METHOD_GET,	"/cases/{n}/withdraw",	page_case_withdraw, ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/cases/{n}/withdraw",	page_case_withdraw_post, ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/form/{s}",	page_form,	ROLES_USERS, 0 },
	{ METHOD_POST,	"/cases/{n}/form/{s}",	page_form_post,	ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/materials",	page_materials,	ROLES_USERS, 0 },
	{ METHOD_POST,	"/cases/{n}/materials",	page_materials_post, ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/materials/{n}", page_material_download, ROLES_USERS, 0 },
	{ METHOD_POST,	"/cases/{n}/materials/{n}/remove", page_material_remove, ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/check",	page_check,	ROLE_APPLICANT, 0 },
	{ METHOD_POST,	"/cases/{n}/submit",	page_submit,	ROLE_APPLICANT, 1 },
	{ METHOD_GET,	"/cases/{n}/notices/{n}", page_notice,	ROLES_USERS, 0 },
	{ METHOD_GET,	"/cases/{n}/notices/{n}/pdf", page_notice_pdf, ROLES_USERS, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

/* Every area's table; router_match walks them in this order. */
const struct route *const route_tables[] = {
	routes,
	routes_review,
	routes_project,
	routes_queue,
	routes_outbox,
	routes_archive,
	routes_assess,
	routes_documents,
	routes_expert,
	routes_appeal,
	routes_complaint,
	routes_orgcomplaint,
	routes_admin,
	routes_batch,
	routes_certificate,
	routes_verify,
	routes_info,
	routes_dashboard,
	routes_reset,
	routes_paper,
	routes_totp,
	NULL
};
