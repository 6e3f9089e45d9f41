/*
 * form_def.c: the 申请书 as static tables (sections, fields, row groups,
 * material kinds, cross-field checks) and the validators and checks that
 * read them.  See form_def.h.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "form_def.h"
#include "parse.h"
#include "valid.h"
#include "rules.h"
#include "util.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Options ---------------------------------------------------------- */

static const struct fdef_option opt_apptype[] = {
	{ "initial", "初次申请" },
	{ "maintenance", "维持申请" },
	{ NULL, NULL }
};

static const struct fdef_option opt_nature[] = {
	{ "limited", "有限责任公司" },
	{ "joint_stock", "股份有限公司" },
	{ "state_owned", "全民所有制企业" },
	{ "collective", "集体所有制企业" },
	{ "institution", "事业单位法人" },
	{ "social_org", "社会团体法人" },
	{ "branch", "分支机构（非独立法人）" },
	{ "other", "其他" },
	{ NULL, NULL }
};

static const struct fdef_option opt_edu[] = {
	{ "doctor", "博士研究生" },
	{ "master", "硕士研究生" },
	{ "bachelor", "大学本科" },
	{ "college", "大学专科" },
	{ "other", "其他" },
	{ NULL, NULL }
};

static const struct fdef_option opt_title[] = {
	{ "senior", "高级职称" },
	{ "middle", "中级职称" },
	{ "junior", "初级职称" },
	{ "none", "无职称" },
	{ NULL, NULL }
};

static const struct fdef_option opt_cisp[] = {
	{ "cise", "CISE 注册信息安全工程师" },
	{ "ciso", "CISO 注册信息安全管理人员" },
	{ "pte", "CISP-PTE 注册渗透测试工程师" },
	{ "dsg", "CISP-DSG 数据安全治理专业人员" },
	{ "other", "其他 CISP 类别" },
	{ NULL, NULL }
};

static const struct fdef_option opt_accept[] = {
	{ "accepted", "已验收" },
	{ "pending", "已完工，待验收" },
	{ "ongoing", "实施中" },
	{ NULL, NULL }
};

static const struct fdef_option opt_ip[] = {
	{ "invention", "发明专利" },
	{ "utility", "实用新型专利" },
	{ "design", "外观设计专利" },
	{ "software", "计算机软件著作权" },
	{ NULL, NULL }
};

static const struct fdef_option opt_yesno[] = {
	{ "yes", "是" },
	{ "no", "否" },
	{ NULL, NULL }
};

/* ---- Row groups ------------------------------------------------------- */

static const struct fdef_group g_finance = {
	"finance", "近三年财务数据", "年度", "添加一个年度",
	"每个年度一行，共 3 行，填写提交年份之前最近三个年度（以经审计的财务报表为准）；"
	"金额以元为单位。每个年度上传当年的审计报告。", 3, 3
};

static const struct fdef_group g_roster = {
	"roster", "人员名单", "人员", "添加一名人员",
	"逐一列出本单位安全工程相关人员，全部持有 CISP 证书的专职人员都应列入。", 1, 500
};

static const struct fdef_group g_products = {
	"products", "自主产品", "产品", "添加一个产品",
	"本单位拥有自主知识产权的信息安全产品或工具；没有可不填。", 0, 100
};

static const struct fdef_group g_ip = {
	"ip", "专利和软件著作权", "专利或著作权", "添加一项专利或软件著作权",
	"已授权的专利和已登记的计算机软件著作权；没有可不填。", 0, 200
};

static const struct fdef_group g_projects = {
	"projects", "安全服务项目", "项目", "添加一个项目",
	"列出本单位承担的信息安全工程类服务项目，每个项目一行，并上传合同；"
	"已验收的项目同时上传验收报告。", 1, 200
};

static const struct fdef_group g_awards = {
	"awards", "获奖和资格授权", "获奖或资格", "添加一项获奖或资格",
	"本单位获得的奖项、资格认证和授权；没有可不填。", 0, 100
};

/* ---- Fields ------------------------------------------------------------ */

#define FLD(n, g, k, r, l, h, ex, fl, ml, mv, op) \
	{ (n), (g), (k), (r), (l), (h), (ex), (fl), (ml), (mv), (op) }
#define TEXT(n, g, r, l, h, ex, ml) \
	FLD(n, g, FDEF_TEXT, r, l, h, ex, 0, ml, 0, NULL)
#define AREA(n, g, r, l, h, ml) \
	FLD(n, g, FDEF_TEXTAREA, r, l, h, "", 0, ml, 0, NULL)
#define DATE(n, g, r, l, h, fl) \
	FLD(n, g, FDEF_DATE, r, l, h, "例如 2024-03-15", fl, 10, 0, NULL)
#define MONEY(n, g, r, l, h, fl) \
	FLD(n, g, FDEF_MONEY, r, l, h, "单位：元，例如 1,000,000.00", fl, 32, 0, NULL)
#define INT(n, g, r, l, h, mv) \
	FLD(n, g, FDEF_INT, r, l, h, "", 0, 12, mv, NULL)
#define SEL(n, g, r, l, h, op) \
	FLD(n, g, FDEF_SELECT, r, l, h, "", 0, 0, 0, op)
#define KIND(n, g, k, r, l, h, ex, ml) \
	FLD(n, g, k, r, l, h, ex, 0, ml, 0, NULL)

#define MAXSTAFF	100000

static const struct fdef_field s1_fields[] = {
	TEXT("org_name", NULL, FDEF_REQUIRED, "单位名称",
	    "与营业执照上的名称完全一致。", "", 100),
	TEXT("org_name_en", NULL, FDEF_OPTIONAL, "英文名称",
	    "没有英文名称可不填。", "", 200),
	KIND("uscc", NULL, FDEF_USCC, FDEF_REQUIRED, "统一社会信用代码",
	    "营业执照上的 18 位代码，由数字和大写字母组成；小写字母会自动转为大写。",
	    "18 位数字和大写字母", 18),
	TEXT("legal_rep", NULL, FDEF_REQUIRED, "法定代表人",
	    "与营业执照一致。", "", 50),
	SEL("org_nature", NULL, FDEF_REQUIRED, "单位性质",
	    "分支机构不具有独立法人资格，不能单独申请。", opt_nature),
	MONEY("reg_capital", NULL, FDEF_REQUIRED, "注册资本（元）",
	    "按营业执照填写，以元为单位；例如 100 万元填 1000000。", 0),
	DATE("founded", NULL, FDEF_REQUIRED, "成立日期",
	    "营业执照上的成立日期。", FDEF_F_NOTFUTURE),
	DATE("biz_start", NULL, FDEF_REQUIRED, "开始从事信息安全服务的日期",
	    "用于计算从事信息安全服务的年限（应满 3 年），以第一份信息安全服务合同等材料为准。",
	    FDEF_F_NOTFUTURE),
	TEXT("reg_address", NULL, FDEF_REQUIRED, "注册地址",
	    "与营业执照一致。", "", 200),
	TEXT("office_address", NULL, FDEF_REQUIRED, "办公地址",
	    "实际办公地点，评估人员将到此现场审核。", "", 200),
	KIND("postcode", NULL, FDEF_POSTCODE, FDEF_REQUIRED, "邮政编码",
	    "办公地址的邮政编码。", "例如 100085", 6),
	TEXT("contact_name", NULL, FDEF_REQUIRED, "联系人",
	    "负责本次申请、能回答受理审查问题的人员。", "", 50),
	KIND("contact_phone", NULL, FDEF_PHONE, FDEF_REQUIRED, "联系电话",
	    "固定电话，含区号。", "例如 010-12345678", 20),
	KIND("contact_mobile", NULL, FDEF_MOBILE, FDEF_REQUIRED, "手机号码",
	    "联系人的手机号码。", "例如 13800138000", 20),
	KIND("contact_email", NULL, FDEF_EMAIL, FDEF_REQUIRED, "电子邮箱",
	    "受理审查意见和补正告知书将发送到此邮箱，请确保能正常收信。",
	    "例如 zhangsan@example.com", 254),
	KIND("website", NULL, FDEF_URL, FDEF_OPTIONAL, "单位网址",
	    "以 http:// 或 https:// 开头；没有可不填。",
	    "例如 https://www.example.com", 200),
	SEL("app_type", NULL, FDEF_REQUIRED, "申请类型",
	    "首次申请二级资质选“初次申请”；已持有二级资质、证书到期前申请维持选“维持申请”。"
	    "证书有效期届满后超过 6 个月才申请的，按初次申请办理。", opt_apptype),
	TEXT("l1_cert_no", NULL, FDEF_REQ_INITIAL, "安全工程类一级资质证书编号",
	    "初次申请二级资质须持有有效的安全工程类一级资质证书。", "", 50),
	DATE("l1_cert_expiry", NULL, FDEF_REQ_INITIAL, "一级资质证书有效期至",
	    "证书上的有效期截止日期；提交申请时证书应仍在有效期内。", 0),
	KIND("maint_cert_no", NULL, FDEF_CERT, FDEF_REQ_MAINT, "申请维持的证书",
	    "从本单位名下的安全工程类二级资质证书中选择；证书编号、有效期和处置情况以证书登记簿为准。"
	    "应在证书有效期届满 6 个月前提交维持申请；届满后超过 6 个月的按初次申请办理。",
	    "", 40),
};

static const struct fdef_field s2_fields[] = {
	AREA("profile", NULL, FDEF_REQUIRED, "单位简介",
	    "单位的主营业务、规模、办公场所和信息安全服务的主要方向。", 5000),
	AREA("history", NULL, FDEF_REQUIRED, "发展历程",
	    "按时间顺序说明单位成立以来的主要发展阶段，特别是开展信息安全服务的经历。", 3000),
	AREA("management", NULL, FDEF_REQUIRED, "组织管理和质量管理情况",
	    "说明组织机构、部门职责，以及质量管理体系的建立和运行情况（如 ISO 9001、ISO/IEC 27001 认证）。",
	    5000),
};

static const struct fdef_field s3_fields[] = {
	FLD("fin_year", &g_finance, FDEF_YEAR, FDEF_REQUIRED, "年度",
	    "四位数字的年份。", "例如 2024", FDEF_F_NOTFUTURE, 4, 0, NULL),
	MONEY("fin_total_assets", &g_finance, FDEF_REQUIRED, "资产总额（元）",
	    "年末资产总额，以元为单位。", 0),
	MONEY("fin_net_assets", &g_finance, FDEF_REQUIRED, "净资产（元）",
	    "年末净资产（所有者权益），以元为单位；为负数时前面加“-”。",
	    FDEF_F_SIGNED),
	MONEY("fin_revenue", &g_finance, FDEF_REQUIRED, "营业收入（元）",
	    "全年营业收入，以元为单位。", 0),
	MONEY("fin_sec_revenue", &g_finance, FDEF_REQUIRED,
	    "其中：信息安全服务收入（元）",
	    "营业收入中来自信息安全服务的部分，以元为单位。", 0),
	MONEY("fin_profit", &g_finance, FDEF_REQUIRED, "利润总额（元）",
	    "全年利润总额，以元为单位；亏损时前面加“-”。", FDEF_F_SIGNED),
	MONEY("fin_tax", &g_finance, FDEF_REQUIRED, "纳税总额（元）",
	    "全年实际缴纳的税款，以元为单位。", 0),
};

#define KEY(role, rl) \
	TEXT("key_" role "_name", NULL, FDEF_REQUIRED, rl "姓名", "", "", 50), \
	TEXT("key_" role "_title", NULL, FDEF_OPTIONAL, rl "职称", \
	    "例如 高级工程师；没有职称可不填。", "", 50), \
	KIND("key_" role "_phone", NULL, FDEF_PHONE, FDEF_OPTIONAL, \
	    rl "联系电话", "固定电话，含区号。", "例如 010-12345678", 20)

static const struct fdef_field s4_fields[] = {
	INT("staff_total", NULL, FDEF_REQUIRED, "职工总数（人）",
	    "与社会保险缴纳证明中的人数相符。", MAXSTAFF),
	INT("staff_eng", NULL, FDEF_REQUIRED, "安全工程专业技术人员（人）",
	    "从事信息安全工程服务的专业技术人员人数。", MAXSTAFF),
	INT("staff_cisp", NULL, FDEF_REQUIRED,
	    "其中：专职注册信息安全专业人员（CISP）（人）",
	    "持有有效 CISP 证书的专职人员；应不少于安全工程专业技术人员的 10%，且不少于 6 人。",
	    MAXSTAFF),
	INT("edu_doctor", NULL, FDEF_REQUIRED, "博士研究生（人）",
	    "按最高学历统计，各学历人数之和应等于职工总数；没有填 0。", MAXSTAFF),
	INT("edu_master", NULL, FDEF_REQUIRED, "硕士研究生（人）", "", MAXSTAFF),
	INT("edu_bachelor", NULL, FDEF_REQUIRED, "大学本科（人）", "", MAXSTAFF),
	INT("edu_college", NULL, FDEF_REQUIRED, "大学专科（人）", "", MAXSTAFF),
	INT("edu_other", NULL, FDEF_REQUIRED, "其他学历（人）", "", MAXSTAFF),
	INT("title_senior", NULL, FDEF_REQUIRED, "高级职称（人）",
	    "按职称统计，各职称人数之和应等于职工总数；没有填 0。", MAXSTAFF),
	INT("title_middle", NULL, FDEF_REQUIRED, "中级职称（人）", "", MAXSTAFF),
	INT("title_junior", NULL, FDEF_REQUIRED, "初级职称（人）", "", MAXSTAFF),
	INT("title_none", NULL, FDEF_REQUIRED, "无职称（人）", "", MAXSTAFF),
	KEY("legal", "法定代表人"),
	KEY("tech", "技术负责人"),
	KEY("finance", "财务负责人"),
	KEY("quality", "质量负责人"),
	TEXT("st_name", &g_roster, FDEF_REQUIRED, "姓名", "", "", 50),
	SEL("st_edu", &g_roster, FDEF_REQUIRED, "学历", "最高学历。", opt_edu),
	SEL("st_title", &g_roster, FDEF_REQUIRED, "职称", "", opt_title),
	TEXT("st_post", &g_roster, FDEF_REQUIRED, "岗位",
	    "例如 安全工程师、项目经理。", "", 50),
	DATE("st_start", &g_roster, FDEF_REQUIRED, "入职日期",
	    "到本单位工作的日期。", FDEF_F_NOTFUTURE),
	FLD("st_fulltime", &g_roster, FDEF_YESNO, FDEF_REQUIRED, "是否专职",
	    "与本单位签订劳动合同并由本单位缴纳社会保险的为专职。", "",
	    0, 0, 0, NULL),
	TEXT("st_cisp_no", &g_roster, FDEF_OPTIONAL, "CISP 证书编号",
	    "没有 CISP 证书的不填；填写编号时须同时填写证书类别和有效期。", "", 50),
	SEL("st_cisp_type", &g_roster, FDEF_OPTIONAL, "CISP 证书类别",
	    "证书上注明的类别。", opt_cisp),
	DATE("st_cisp_expiry", &g_roster, FDEF_OPTIONAL, "CISP 证书有效期至",
	    "证书上的有效期截止日期。", 0),
};

static const struct fdef_field s5_fields[] = {
	AREA("tools", NULL, FDEF_REQUIRED, "检测工具和测试环境",
	    "列出用于安全工程服务的主要工具（名称、来源、版本）和测试环境（设备、网络、场地）。",
	    5000),
	TEXT("prod_name", &g_products, FDEF_REQUIRED, "产品名称", "", "", 100),
	TEXT("prod_kind", &g_products, FDEF_REQUIRED, "产品类别",
	    "例如 防火墙、漏洞扫描工具。", "", 50),
	TEXT("prod_version", &g_products, FDEF_OPTIONAL, "版本", "", "", 50),
	TEXT("prod_desc", &g_products, FDEF_OPTIONAL, "简要说明",
	    "主要功能和应用情况。", "", 500),
	SEL("ip_kind", &g_ip, FDEF_REQUIRED, "类别", "", opt_ip),
	TEXT("ip_name", &g_ip, FDEF_REQUIRED, "名称", "", "", 100),
	TEXT("ip_no", &g_ip, FDEF_REQUIRED, "专利号或登记号",
	    "专利证书上的专利号，或软件著作权登记证书上的登记号。", "", 50),
	DATE("ip_date", &g_ip, FDEF_REQUIRED, "授权或登记日期", "",
	    FDEF_F_NOTFUTURE),
};

#define PA_HELP \
	"说明本单位如何实施该过程区域的基本实践，并说明这些实践如何被计划、" \
	"按规范和标准执行、验证和跟踪纠偏（二级：计划跟踪级），引用相应的制度、流程和记录。"
#define PA(n, zh)	AREA("pa" #n, NULL, FDEF_REQUIRED, "PA" #n " " zh, \
			    PA_HELP, 5000)

static const struct fdef_field s6_fields[] = {
	PA(01, "管理安全控制"),
	PA(02, "评估影响"),
	PA(03, "评估安全风险"),
	PA(04, "评估威胁"),
	PA(05, "评估脆弱性"),
	PA(06, "建立保障论据"),
	PA(07, "协调安全"),
	PA(08, "监视安全态势"),
	PA(09, "提供安全输入"),
	PA(10, "确定安全需要"),
	PA(11, "验证和确认安全"),
};

static const struct fdef_field s7_fields[] = {
	PA(12, "确保质量"),
	PA(13, "管理配置"),
	PA(14, "管理项目风险"),
	PA(15, "监督和控制技术工作"),
	PA(16, "策划技术工作"),
	PA(17, "定义组织系统工程过程"),
	PA(18, "改进组织系统工程过程"),
	PA(19, "管理产品线演进"),
	PA(20, "管理系统工程支持环境"),
	PA(21, "提供持续的技能和知识"),
	PA(22, "与供应商协调"),
};

static const struct fdef_field s8_fields[] = {
	TEXT("proj_name", &g_projects, FDEF_REQUIRED, "项目名称", "", "", 100),
	TEXT("proj_client", &g_projects, FDEF_REQUIRED, "委托单位",
	    "合同的甲方。", "", 100),
	MONEY("proj_value", &g_projects, FDEF_REQUIRED, "合同金额（元）",
	    "以元为单位，按合同填写。", 0),
	DATE("proj_start", &g_projects, FDEF_REQUIRED, "开始日期",
	    "合同约定或实际开始的日期。", FDEF_F_NOTFUTURE),
	DATE("proj_end", &g_projects, FDEF_REQUIRED, "结束日期",
	    "已结束的项目填实际结束日期，实施中的项目填计划结束日期。", 0),
	TEXT("proj_content", &g_projects, FDEF_REQUIRED, "服务内容",
	    "例如 安全需求分析、安全设计、安全集成、安全测试和验证。", "", 500),
	TEXT("proj_manager", &g_projects, FDEF_REQUIRED, "项目负责人", "", "", 50),
	SEL("proj_accept", &g_projects, FDEF_REQUIRED, "验收情况", "",
	    opt_accept),
	FLD("proj_complete", &g_projects, FDEF_YESNO, FDEF_REQUIRED,
	    "是否实践了完整的安全工程过程",
	    "从安全需求、设计、实施到验证和确认，完整地实施了安全工程过程的项目选“是”。",
	    "", 0, 0, 0, NULL),
};

static const struct fdef_field s9_fields[] = {
	TEXT("aw_name", &g_awards, FDEF_REQUIRED, "名称",
	    "奖项、认证或授权的名称。", "", 100),
	TEXT("aw_issuer", &g_awards, FDEF_REQUIRED, "颁发机构", "", "", 100),
	TEXT("aw_no", &g_awards, FDEF_OPTIONAL, "证书编号", "没有可不填。", "",
	    50),
	DATE("aw_valid", &g_awards, FDEF_OPTIONAL, "有效期至",
	    "长期有效的不填。", 0),
};

static const struct fdef_field s10_fields[] = {
	AREA("plan", NULL, FDEF_REQUIRED, "安全服务发展规划",
	    "今后三年信息安全服务的发展目标、人员和技术能力建设计划。", 5000),
};

static const struct fdef_field s11_fields[] = {
	AREA("other_notes", NULL, FDEF_OPTIONAL, "其他说明",
	    "需要向评估机构说明的其他情况；没有可不填。", 5000),
};

static const struct fdef_field decl_fields[] = {
	FLD("decl_accept", NULL, FDEF_CHECK, FDEF_REQUIRED,
	    "本单位已阅读并同意以上声明",
	    "提交前请逐条阅读声明。", "", 0, 0, 0, NULL),
	FLD("decl_lawful", NULL, FDEF_CHECK, FDEF_REQUIRED,
	    "本单位经有关主管部门批准依法设立，遵守国家法律法规",
	    "", "", 0, 0, 0, NULL),
	TEXT("signer", NULL, FDEF_REQUIRED, "签署人",
	    "法定代表人或其授权代表的姓名，与盖章申请书上的签字一致。", "", 50),
	DATE("sign_date", NULL, FDEF_REQUIRED, "签署日期",
	    "申请书签字盖章的日期。", FDEF_F_NOTFUTURE),
};

/* ---- Materials --------------------------------------------------------- */

#define ANY	(FDEF_PDF | FDEF_JPEG | FDEF_PNG)

static const struct fdef_material s1_mats[] = {
	{ "business_licence", "营业执照副本",
	    "营业执照副本的彩色扫描件或照片，内容清晰完整。",
	    NULL, FDEF_REQUIRED, NULL, NULL, ANY, 5 },
	{ "lawful_proof", "主管部门批准文件或守法经营证明",
	    "如有主管部门的批准文件，或信用报告等守法经营证明，请上传；没有可不传。",
	    NULL, FDEF_OPTIONAL, NULL, NULL, ANY, 10 },
};

static const struct fdef_material s2_mats[] = {
	{ "org_chart", "组织机构图",
	    "本单位的组织机构图，标明各部门及其职责关系。",
	    NULL, FDEF_REQUIRED, NULL, NULL, ANY, 3 },
	{ "mgmt_docs", "管理体系文件",
	    "质量手册、程序文件等管理制度，以及 ISO 9001、ISO/IEC 27001 等管理体系认证证书。",
	    NULL, FDEF_REQUIRED, NULL, NULL, ANY, 20 },
};

static const struct fdef_material s3_mats[] = {
	{ "audit_report", "审计报告",
	    "该年度由会计师事务所出具的财务审计报告（含财务报表），PDF 格式。",
	    &g_finance, FDEF_REQUIRED, NULL, NULL, FDEF_PDF, 3 },
};

static const struct fdef_material s4_mats[] = {
	{ "social_insurance", "社会保险缴纳证明",
	    "社会保险经办机构出具的本单位职工参保缴费证明（近 6 个月）。",
	    NULL, FDEF_REQUIRED, NULL, NULL, ANY, 10 },
	{ "cisp_cert", "CISP 证书",
	    "填写了 CISP 证书编号的人员，上传证书扫描件。",
	    &g_roster, FDEF_REQUIRED, "st_cisp_no", NULL, ANY, 2 },
};

static const struct fdef_material s5_mats[] = {
	{ "ip_cert", "专利或软件著作权证书",
	    "专利证书或计算机软件著作权登记证书的扫描件。",
	    &g_ip, FDEF_OPTIONAL, NULL, NULL, ANY, 3 },
};

#define PA_MAT(n, zh) { "pa" #n "_evidence", "PA" #n " " zh " 证据材料", \
	"该过程区域的制度、流程文件，以及计划、执行、验证和跟踪的记录。", \
	NULL, FDEF_REQUIRED, NULL, NULL, ANY, 20 }

static const struct fdef_material s6_mats[] = {
	PA_MAT(01, "管理安全控制"),
	PA_MAT(02, "评估影响"),
	PA_MAT(03, "评估安全风险"),
	PA_MAT(04, "评估威胁"),
	PA_MAT(05, "评估脆弱性"),
	PA_MAT(06, "建立保障论据"),
	PA_MAT(07, "协调安全"),
	PA_MAT(08, "监视安全态势"),
	PA_MAT(09, "提供安全输入"),
	PA_MAT(10, "确定安全需要"),
	PA_MAT(11, "验证和确认安全"),
};

static const struct fdef_material s7_mats[] = {
	PA_MAT(12, "确保质量"),
	PA_MAT(13, "管理配置"),
	PA_MAT(14, "管理项目风险"),
	PA_MAT(15, "监督和控制技术工作"),
	PA_MAT(16, "策划技术工作"),
	PA_MAT(17, "定义组织系统工程过程"),
	PA_MAT(18, "改进组织系统工程过程"),
	PA_MAT(19, "管理产品线演进"),
	PA_MAT(20, "管理系统工程支持环境"),
	PA_MAT(21, "提供持续的技能和知识"),
	PA_MAT(22, "与供应商协调"),
};

static const struct fdef_material s8_mats[] = {
	{ "contract", "项目合同",
	    "该项目的合同扫描件（可遮盖商业敏感信息，但须保留双方名称、金额、签章页）。",
	    &g_projects, FDEF_REQUIRED, NULL, NULL, ANY, 5 },
	{ "acceptance", "验收报告",
	    "已验收项目的验收报告或用户验收证明。",
	    &g_projects, FDEF_REQUIRED, "proj_accept", "accepted", ANY, 5 },
};

static const struct fdef_material s9_mats[] = {
	{ "award_cert", "获奖或资格证书",
	    "证书或授权文件的扫描件。",
	    &g_awards, FDEF_OPTIONAL, NULL, NULL, ANY, 3 },
};

static const struct fdef_material s12_mats[] = {
	{ "other_files", "其他附件",
	    "需要补充提供的其他证明材料；没有可不传。",
	    NULL, FDEF_OPTIONAL, NULL, NULL, ANY, 30 },
};

static const struct fdef_material decl_mats[] = {
	{ "sealed_form", "盖章申请书扫描件",
	    "将本申请书打印、签字、加盖单位公章并装订后，整本扫描为一个 PDF 文件上传。",
	    NULL, FDEF_REQUIRED, NULL, NULL, FDEF_PDF, 1 },
};

/* ---- Sections ---------------------------------------------------------- */

static const struct fdef_group *const no_groups[] = { NULL };
static const struct fdef_group *const s3_groups[] = { &g_finance, NULL };
static const struct fdef_group *const s4_groups[] = { &g_roster, NULL };
static const struct fdef_group *const s5_groups[] = {
	&g_products, &g_ip, NULL
};
static const struct fdef_group *const s8_groups[] = { &g_projects, NULL };
static const struct fdef_group *const s9_groups[] = { &g_awards, NULL };

#define SEC(id, num, title, intro, f, g, m) \
	{ (id), (num), (title), (intro), (f), NELEM(f), (g), (m), NELEM(m) }

static const struct fdef_section sections[FDEF_NSECTIONS] = {
	SEC("s1", "一", "申请单位基本情况",
	    "申请类别：安全工程类；申请级别：二级。请按营业执照填写单位信息。",
	    s1_fields, no_groups, s1_mats),
	SEC("s2", "二", "概况",
	    "介绍本单位的基本情况、发展历程和组织管理。",
	    s2_fields, no_groups, s2_mats),
	SEC("s3", "三", "近三年资产运营情况",
	    "填写提交年份之前最近三个年度的财务数据，金额以元为单位，并上传每个年度的审计报告。",
	    s3_fields, s3_groups, s3_mats),
	SEC("s4", "四", "人员情况",
	    "人员总体情况、主要负责人和人员名单。",
	    s4_fields, s4_groups, s4_mats),
	SEC("s5", "五", "技术能力基本情况",
	    "检测工具和测试环境、自主产品、专利和软件著作权。",
	    s5_fields, s5_groups, s5_mats),
	SEC("s6", "六", "信息系统安全工程过程能力",
	    "按 GB/T 20261-2020 的安全过程区域 PA01–PA11，逐项说明并上传证据材料。",
	    s6_fields, no_groups, s6_mats),
	SEC("s7", "七", "项目和组织过程能力",
	    "按项目和组织过程区域 PA12–PA22，逐项说明并上传证据材料。",
	    s7_fields, no_groups, s7_mats),
	SEC("s8", "八", "安全服务项目汇总",
	    "列出本单位承担的安全服务项目，上传合同和验收报告。",
	    s8_fields, s8_groups, s8_mats),
	SEC("s9", "九", "获奖、资格授权情况",
	    "本单位获得的奖项、资格认证和授权。",
	    s9_fields, s9_groups, s9_mats),
	{ "s10", "十", "安全服务发展规划", "",
	    s10_fields, NELEM(s10_fields), no_groups, NULL, 0 },
	{ "s11", "十一", "其他说明", "",
	    s11_fields, NELEM(s11_fields), no_groups, NULL, 0 },
	{ "s12", "十二", "附加信息",
	    "上传需要补充提供的其他附件。",
	    NULL, 0, no_groups, s12_mats, NELEM(s12_mats) },
	SEC("decl", "", "申请单位声明",
	    "本单位郑重声明：\n"
	    "一、本单位自愿申请信息安全服务资质（安全工程类二级），"
	    "了解并遵守资质认定的有关规定；\n"
	    "二、本申请书及所附全部材料真实、准确、完整，如有虚假，"
	    "本单位愿意承担由此产生的一切后果；\n"
	    "三、本单位同意评估机构对申请材料进行核实，并配合开展文档审查、"
	    "人员访谈和现场审核；\n"
	    "四、获证后，本单位将遵守资质管理的各项要求，接受监督检查。",
	    decl_fields, no_groups, decl_mats),
};

#undef SEC

/* ---- Cross-field checks ---------------------------------------------- */

enum xkind {
	X_ORDER,	/* date b not before date a; error on b */
	X_LE,		/* number a <= number b; error on a */
	X_WITH,		/* a given => b given; error on b */
	X_SUM,		/* sum of list == a; error on list[0] */
	X_YEARS,	/* a: finance years distinct and recent */
	X_ROWS_LE,	/* non-blank rows of a's group <= b; error on b */
	X_CISP,		/* roster CISP holders >= declared staff_cisp */
	X_ENDED		/* a == v => date b not after today; error on b */
};

struct xcheck {
	const char		*section;
	enum xkind		 kind;
	const char		*a;
	const char		*b;
	const char		*v;
	const char *const	*list;
	const char		*msg;
};

static const char *const edu_list[] = {
	"edu_doctor", "edu_master", "edu_bachelor", "edu_college",
	"edu_other", NULL
};
static const char *const title_list[] = {
	"title_senior", "title_middle", "title_junior", "title_none", NULL
};

static const struct xcheck xchecks[] = {
	{ "s1", X_ORDER, "founded", "biz_start", NULL, NULL,
	    "开始从事信息安全服务的日期不能早于成立日期，请核对这两个日期。" },
	{ "s3", X_YEARS, "fin_year", NULL, NULL, NULL, NULL },
	{ "s3", X_LE, "fin_net_assets", "fin_total_assets", NULL, NULL,
	    "净资产不能大于同一年度的资产总额，请核对这两项金额（单位均为元）。" },
	{ "s3", X_LE, "fin_sec_revenue", "fin_revenue", NULL, NULL,
	    "信息安全服务收入不能大于同一年度的营业收入，请核对这两项金额。" },
	{ "s4", X_LE, "staff_eng", "staff_total", NULL, NULL,
	    "安全工程专业技术人员不能多于职工总数，请核对人数。" },
	{ "s4", X_LE, "staff_cisp", "staff_total", NULL, NULL,
	    "CISP 持证人数不能多于职工总数，请核对人数。" },
	{ "s4", X_SUM, "staff_total", NULL, NULL, edu_list, "学历" },
	{ "s4", X_SUM, "staff_total", NULL, NULL, title_list, "职称" },
	{ "s4", X_ROWS_LE, "st_name", "staff_total", NULL, NULL,
	    "人员名单中的人数多于职工总数，请核对职工总数或删除多余的行。" },
	{ "s4", X_CISP, "staff_cisp", NULL, NULL, NULL, NULL },
	{ "s4", X_WITH, "st_cisp_no", "st_cisp_type", NULL, NULL,
	    "填写了 CISP 证书编号，请同时选择证书类别。" },
	{ "s4", X_WITH, "st_cisp_no", "st_cisp_expiry", NULL, NULL,
	    "填写了 CISP 证书编号，请同时填写证书有效期。" },
	{ "s4", X_WITH, "st_cisp_type", "st_cisp_no", NULL, NULL,
	    "选择了 CISP 证书类别，请同时填写证书编号；没有证书请清空类别。" },
	{ "s4", X_WITH, "st_cisp_expiry", "st_cisp_no", NULL, NULL,
	    "填写了 CISP 证书有效期，请同时填写证书编号；没有证书请清空有效期。" },
	{ "s8", X_ORDER, "proj_start", "proj_end", NULL, NULL,
	    "结束日期不能早于开始日期，请核对项目的起止日期。" },
	{ "s8", X_ENDED, "proj_accept", "proj_end", "accepted", NULL,
	    "已验收的项目，结束日期不能晚于今天；请填写实际结束日期，或更正验收情况。" },
};

/* ---- Table access ------------------------------------------------------ */

size_t
fdef_nsections(void)
{
	return FDEF_NSECTIONS;
}

const struct fdef_section *
fdef_section_at(size_t i)
{
	return i < FDEF_NSECTIONS ? &sections[i] : NULL;
}

int
fdef_section_index(const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < FDEF_NSECTIONS; i++)
		if (strcmp(sections[i].id, id) == 0)
			return (int)i;
	return -1;
}

const struct fdef_section *
fdef_section_find(const char *id)
{
	int i = fdef_section_index(id);

	return i < 0 ? NULL : &sections[i];
}

/*
 * An index of the fields by name, built on first use (the only state
 * this module keeps, and the same every time it is built: a process is
 * single-threaded). Open addressing over FIELD_SLOTS slots, more than
 * twice the number of fields. Every stored value is looked up by name,
 * so a 申请书 of some 300 values is no longer 300 walks of the form.
 */
#define FIELD_SLOTS	1024

static struct {
	unsigned char	 sec;		/* its section + 1; 0: empty */
	unsigned short	 field;
} field_index[FIELD_SLOTS];

static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
index_fields(void)
{
	size_t i, j;
	unsigned h;

	for (i = 0; i < FDEF_NSECTIONS; i++)
		for (j = 0; j < sections[i].nfields; j++) {
			h = name_hash(sections[i].fields[j].name) %
			    FIELD_SLOTS;
			while (field_index[h].sec != 0)
				h = (h + 1) % FIELD_SLOTS;
			field_index[h].sec = (unsigned char)(i + 1);
			field_index[h].field = (unsigned short)j;
		}
}

const struct fdef_field *
fdef_field_find(const char *name, const struct fdef_section **sec)
{
	static int indexed;
	const struct fdef_field *f;
	unsigned h;

	if (name == NULL)
		return NULL;
	if (!indexed) {
		index_fields();
		indexed = 1;
	}
	for (h = name_hash(name) % FIELD_SLOTS; field_index[h].sec != 0;
	    h = (h + 1) % FIELD_SLOTS) {
		f = &sections[field_index[h].sec - 1].fields[
		    field_index[h].field];
		if (strcmp(f->name, name) == 0) {
			if (sec != NULL)
				*sec = &sections[field_index[h].sec - 1];
			return f;
		}
	}
	return NULL;
}

const struct fdef_group *
fdef_group_find(const char *name, const struct fdef_section **sec)
{
	size_t i, j;

	if (name == NULL)
		return NULL;
	for (i = 0; i < FDEF_NSECTIONS; i++)
		for (j = 0; sections[i].groups[j] != NULL; j++)
			if (strcmp(sections[i].groups[j]->name, name) == 0) {
				if (sec != NULL)
					*sec = &sections[i];
				return sections[i].groups[j];
			}
	return NULL;
}

const struct fdef_material *
fdef_material_find(const char *code, const struct fdef_section **sec)
{
	size_t i, j;

	if (code == NULL)
		return NULL;
	for (i = 0; i < FDEF_NSECTIONS; i++)
		for (j = 0; j < sections[i].nmaterials; j++)
			if (strcmp(sections[i].materials[j].code, code) == 0) {
				if (sec != NULL)
					*sec = &sections[i];
				return &sections[i].materials[j];
			}
	return NULL;
}

const struct fdef_option *
fdef_options(const struct fdef_field *f)
{
	if (f->kind == FDEF_YESNO)
		return opt_yesno;
	if (f->kind == FDEF_SELECT)
		return f->options;
	return NULL;
}

const char *
fdef_option_label(const struct fdef_field *f, const char *code)
{
	const struct fdef_option *o = fdef_options(f);

	if (o == NULL || code == NULL)
		return NULL;
	for (; o->code != NULL; o++)
		if (strcmp(o->code, code) == 0)
			return o->label;
	return NULL;
}

static const char *const kind_codes[] = {
	"text", "textarea", "date", "money", "int", "email", "phone",
	"mobile", "postcode", "uscc", "url", "select", "yesno", "year",
	"check", "cert"
};

static const char *const kind_inputs[] = {
	"text", "textarea", "date", "text", "text", "email", "tel",
	"tel", "text", "text", "url", "select", "radio", "text",
	"checkbox", "select"
};

static const char *const kind_modes[] = {
	"text", "text", NULL, "decimal", "numeric", "email", "tel",
	"tel", "numeric", "text", "url", NULL, NULL, "numeric", NULL, NULL
};

const char *
fdef_kind_code(enum fdef_kind k)
{
	return (size_t)k < NELEM(kind_codes) ? kind_codes[k] : "text";
}

const char *
fdef_kind_input(enum fdef_kind k)
{
	return (size_t)k < NELEM(kind_inputs) ? kind_inputs[k] : "text";
}

const char *
fdef_kind_inputmode(enum fdef_kind k)
{
	return (size_t)k < NELEM(kind_modes) ? kind_modes[k] : NULL;
}

int
fdef_type_allowed(const struct fdef_material *m, const char *ctype)
{
	if (ctype == NULL)
		return 0;
	if (strcmp(ctype, "application/pdf") == 0)
		return (m->types & FDEF_PDF) != 0;
	if (strcmp(ctype, "image/jpeg") == 0)
		return (m->types & FDEF_JPEG) != 0;
	if (strcmp(ctype, "image/png") == 0)
		return (m->types & FDEF_PNG) != 0;
	return 0;
}

const char *
fdef_types_zh(const struct fdef_material *m)
{
	static const char *const t[8] = {
		"", "PDF", "JPEG", "PDF、JPEG", "PNG", "PDF、PNG",
		"JPEG、PNG", "PDF、JPEG、PNG"
	};

	return t[m->types & 7];
}

const char *
fdef_types_accept(const struct fdef_material *m)
{
	static const char *const t[8] = {
		"",
		"application/pdf,.pdf",
		"image/jpeg,.jpg,.jpeg",
		"application/pdf,.pdf,image/jpeg,.jpg,.jpeg",
		"image/png,.png",
		"application/pdf,.pdf,image/png,.png",
		"image/jpeg,.jpg,.jpeg,image/png,.png",
		"application/pdf,.pdf,image/jpeg,.jpg,.jpeg,image/png,.png"
	};

	return t[m->types & 7];
}

const char *
fdef_state_code(enum fdef_state s)
{
	switch (s) {
	case FDEF_COMPLETE:
		return "complete";
	case FDEF_MISSING:
		return "missing";
	default:
		return "invalid";
	}
}

const char *
fdef_state_zh(enum fdef_state s)
{
	switch (s) {
	case FDEF_COMPLETE:
		return "已完成";
	case FDEF_MISSING:
		return "待补充";
	default:
		return "有误";
	}
}

/* ---- Validation -------------------------------------------------------- */

/* 1 if s starts with the UTF-8 of U+3000 (ideographic space). */
static int
is_ideo_space(const unsigned char *s)
{
	return s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80;
}

/*
 * A copy of s with full-width ASCII (U+FF01..U+FF5E) and U+3000 folded
 * to ASCII when fold is set, and white space (ASCII and U+3000) removed
 * at both ends.  s must be valid UTF-8.
 */
static char *
clean(struct arena *a, const char *s, int fold)
{
	size_t n = strlen(s), i = 0, o = 0;
	const unsigned char *p = (const unsigned char *)s;
	unsigned int cp;
	char *out = arena_alloc(a, n + 1);

	while (i < n) {
		if (fold && i + 2 < n && p[i] == 0xef &&
		    (p[i + 1] == 0xbc || p[i + 1] == 0xbd)) {
			cp = ((p[i] & 0x0fu) << 12) |
			    ((p[i + 1] & 0x3fu) << 6) | (p[i + 2] & 0x3fu);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				out[o++] = (char)(cp - 0xfee0);
				i += 3;
				continue;
			}
		}
		if (fold && i + 2 < n && is_ideo_space(p + i)) {
			out[o++] = ' ';
			i += 3;
			continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';

	/* Trim. */
	for (;;) {
		if (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t' ||
		    out[o - 1] == '\n' || out[o - 1] == '\r' ||
		    out[o - 1] == '\f' || out[o - 1] == '\v'))
			o--;
		else if (o >= 3 &&
		    is_ideo_space((unsigned char *)out + o - 3))
			o -= 3;
		else
			break;
	}
	out[o] = '\0';
	i = 0;
	for (;;) {
		if (out[i] == ' ' || out[i] == '\t' || out[i] == '\n' ||
		    out[i] == '\r' || out[i] == '\f' || out[i] == '\v')
			i++;
		else if (i + 3 <= o && is_ideo_space((unsigned char *)out + i))
			i += 3;
		else
			break;
	}
	return out + i;
}

/* Code points in a valid UTF-8 string. */
static size_t
nchars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
year_of(zdate d)
{
	int y, m, dd;

	date_to_ymd(d, &y, &m, &dd);
	return y;
}

/*
 * Text and textarea: control characters (C0, DEL, C1) are refused,
 * except that a textarea keeps line feeds and tabs (CRLF and CR become
 * LF) and a one-line text turns tabs into spaces.
 */
static enum fdef_state
v_text(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	size_t n = strlen(s), i, o = 0, len;
	const unsigned char *p = (const unsigned char *)s;
	char *out = arena_alloc(a, n + 1);
	int area = f->kind == FDEF_TEXTAREA;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			if (!area)
				goto line;
			out[o++] = '\n';
			if (i + 1 < n && p[i + 1] == '\n')
				i++;
			continue;
		}
		if (p[i] == '\n') {
			if (!area)
				goto line;
			out[o++] = '\n';
			continue;
		}
		if (p[i] == '\t') {
			out[o++] = area ? '\t' : ' ';
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)) {
			*err = "内容中含有不可见的控制字符，请删除后重新输入（可先粘贴到记事本中再复制）。";
			return FDEF_INVALID;
		}
		out[o++] = (char)p[i];
	}
	out[o] = '\0';
	/* Nor characters that reorder or hide text (a name with U+202E
	 * reads otherwise on every notice and certificate). */
	if (!valid_text(out, 0, (size_t)-1, VALID_MULTILINE)) {
		*err = "内容中含有不可见的格式字符（如文字方向控制符），请删除后重新输入（可先粘贴到记事本中再复制）。";
		return FDEF_INVALID;
	}
	len = nchars(out);
	if (f->maxlen > 0 && len > f->maxlen) {
		*err = arena_printf(a, "内容过长：最多 %zu 个字，现有 %zu 个字，请精简后再保存。",
		    f->maxlen, len);
		return FDEF_INVALID;
	}
	*value = out;
	return FDEF_COMPLETE;
line:
	*err = "此项只能填写一行，请删除换行。";
	return FDEF_INVALID;
}

static const char msg_money[] =
    "请填写金额数字（以元为单位），可用逗号分隔千位、用小数点表示角分，"
    "例如 1000000、1,000,000.50，或以万元填写，例如 100万。";

/*
 * Money typed in 元: [-]digits or [-]d{1,3}(,ddd)*, then optionally '.'
 * and one or two digits.  The result is integer 分 in decimal.
 */
static enum fdef_state v_money_yuan(struct arena *, const struct fdef_field *,
    const char *, const char **, const char **);

/*
 * Money as people write it: "1000000", "1,000,000.50", with "元" after
 * it, or in 万元: "8.7万", "1,000万元" (up to six decimals of 万, so
 * the result is whole 分). Stored as integer 分 in decimal.
 */
static enum fdef_state
v_money(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	size_t n = strlen(s);
	char *t, *dot;
	int64_t fen;
	int wan = 0;

	if (n >= 6 && strcmp(s + n - 6, "万元") == 0)
		n -= 6, wan = 1;
	else if (n >= 3 && strcmp(s + n - 3, "万") == 0)
		n -= 3, wan = 1;
	else if (n >= 3 && strcmp(s + n - 3, "元") == 0)
		n -= 3;
	t = arena_alloc(a, n + 8);
	memcpy(t, s, n);
	t[n] = '\0';
	while (n > 0 && t[n - 1] == ' ')
		t[--n] = '\0';
	if (!wan)
		return v_money_yuan(a, f, t, value, err);
	/* 万: the number as if in 元 (two decimals at most), times 10,000. */
	if ((dot = strchr(t, '.')) != NULL && strlen(dot + 1) > 2) {
		*err = "以“万”为单位时请最多保留两位小数，例如 8.75万；"
		    "也可以直接以元填写，例如 87500。";
		return FDEF_INVALID;
	}
	if (v_money_yuan(a, f, t, value, err) != FDEF_COMPLETE ||
	    fdef_money_fen(*value, &fen) != 0)
		return FDEF_INVALID;
	if (fen > FDEF_MONEY_MAX_FEN / 10000 ||
	    fen < -(FDEF_MONEY_MAX_FEN / 10000)) {
		*err = "金额过大（超过 1 万亿元），请检查是否多输入了数字。";
		*value = NULL;
		return FDEF_INVALID;
	}
	*value = arena_printf(a, "%" PRId64, fen * 10000);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_money_yuan(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	const char *p = s;
	int neg = 0, commas = 0, group = 0, ndec = 0, leading = 1;
	size_t nint = 0;
	int64_t yuan = 0, fen = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	} else if (*p == '+')
		p++;
	if (*p < '0' || *p > '9') {
		*err = msg_money;
		return FDEF_INVALID;
	}
	for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
		if (*p == ',') {
			/* The first group 1-3 digits, then exactly 3. */
			if (group == 0 || (commas > 0 && group != 3) ||
			    (commas == 0 && group > 3)) {
				*err = "千位分隔逗号的位置不对，请每三位数字用一个逗号分隔，"
				    "例如 1,000,000，或者不用逗号：1000000。";
				return FDEF_INVALID;
			}
			commas++;
			group = 0;
			continue;
		}
		group++;
		if (leading && *p == '0')
			continue;
		leading = 0;
		if (++nint > 13) {
			*err = "金额过大（超过 1 万亿元），请检查是否多输入了数字；金额以元为单位。";
			return FDEF_INVALID;
		}
		yuan = yuan * 10 + (*p - '0');
	}
	if (commas > 0 && group != 3) {
		*err = "千位分隔逗号的位置不对，请每三位数字用一个逗号分隔，"
		    "例如 1,000,000，或者不用逗号：1000000。";
		return FDEF_INVALID;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9') {
			*err = "小数点后面应有数字，例如 1000000.50；没有角分请去掉小数点。";
			return FDEF_INVALID;
		}
		for (; *p >= '0' && *p <= '9'; p++) {
			if (++ndec > 2) {
				*err = "金额最多保留两位小数（精确到分），请删去多余的小数位，例如 1000000.50。";
				return FDEF_INVALID;
			}
			fen = fen * 10 + (*p - '0');
		}
		if (ndec == 1)
			fen *= 10;
	}
	if (*p != '\0') {
		*err = msg_money;
		return FDEF_INVALID;
	}
	fen += yuan * 100;
	if (fen > FDEF_MONEY_MAX_FEN) {
		*err = "金额过大（超过 1 万亿元），请检查是否多输入了数字；金额以元为单位。";
		return FDEF_INVALID;
	}
	if (neg && fen != 0 && !(f->flags & FDEF_F_SIGNED)) {
		*err = "金额不能为负数，请填写 0 或正数（以元为单位）。";
		return FDEF_INVALID;
	}
	if (neg && fen != 0)
		fen = -fen;
	*value = arena_printf(a, "%" PRId64, fen);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_int(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	int64_t v = 0;
	size_t n = 0;

	if (!all_digits(s, 1, 64)) {
		*err = "请填写 0 或正整数（只用数字），例如 25。";
		return FDEF_INVALID;
	}
	for (; *s == '0' && s[1] != '\0'; s++)
		continue;
	for (; *s != '\0'; s++) {
		if (++n > 15)
			break;
		v = v * 10 + (*s - '0');
	}
	if (n > 15 || (f->maxval > 0 && v > f->maxval)) {
		*err = arena_printf(a, "数值不能超过 %" PRId64 "，请核对。",
		    f->maxval);
		return FDEF_INVALID;
	}
	*value = arena_printf(a, "%" PRId64, v);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_year(struct arena *a, const struct fdef_field *f, const char *s,
    zdate today, const char **value, const char **err)
{
	int y;

	if (!all_digits(s, 4, 4) || (y = atoi(s)) < DATE_YEAR_MIN) {
		*err = "请填写 4 位数字的年份，例如 2024。";
		return FDEF_INVALID;
	}
	if ((f->flags & FDEF_F_NOTFUTURE) && today != DATE_NONE &&
	    y > year_of(today)) {
		*err = arena_printf(a, "年份不能晚于今年（%d 年），请核对。",
		    year_of(today));
		return FDEF_INVALID;
	}
	*value = arena_printf(a, "%d", y);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_date(struct arena *a, const struct fdef_field *f, const char *s,
    zdate today, const char **value, const char **err)
{
	zdate d;
	char buf[DATE_BUFSZ];

	/* 2024-03-15, 2024-3-15, 2024/3/15, 2024.3.15, 2024年3月15日 and
	 * 20240315 are one day; it is stored as 2024-03-15. */
	if (date_parse_loose(s, &d) != 0) {
		if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
		    isdigit((unsigned char)s[0]) &&
		    isdigit((unsigned char)s[5]) &&
		    isdigit((unsigned char)s[8]))
			*err = arena_printf(a, "%s 不是有效的日期（该月没有这一天），"
			    "请核对年、月、日。", s);
		else
			*err = "请填写年、月、日，例如 2024-03-15 或 2024年3月15日。";
		return FDEF_INVALID;
	}
	if ((f->flags & FDEF_F_NOTFUTURE) && today != DATE_NONE &&
	    d > today) {
		*err = arena_printf(a, "日期不能晚于今天（%s），请核对。",
		    date_format(today, buf));
		return FDEF_INVALID;
	}
	*value = arena_strdup(a, date_format(d, buf));
	return FDEF_COMPLETE;
}

static enum fdef_state
v_email(struct arena *a, const char *s, const char **value,
    const char **err)
{
	char *out, *p;

	if (!valid_email(s)) {
		*err = "请填写有效的电子邮箱地址，例如 zhangsan@example.com。";
		return FDEF_INVALID;
	}
	out = arena_strdup(a, s);
	for (p = strchr(out, '@'); *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	*value = out;
	return FDEF_COMPLETE;
}

static enum fdef_state
v_phone(struct arena *a, const char *s, const char **value,
    const char **err)
{
	const char *p = s;
	size_t n = strlen(s), digits = 0;

	if (strncmp(p, "+86", 3) == 0)
		p += 3;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '-' && *p != ' ' && *p != '(' && *p != ')')
			break;
	}
	if (*p != '\0' || n < 7 || n > 20 || digits < 7) {
		*err = "请填写固定电话号码，只用数字、“-”、空格和括号，可加 +86，"
		    "共 7 至 20 个字符，例如 010-12345678。";
		return FDEF_INVALID;
	}
	*value = arena_strdup(a, s);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_mobile(struct arena *a, const char *s, const char **value,
    const char **err)
{
	char buf[32];
	size_t o = 0;

	if (strncmp(s, "+86", 3) == 0)
		s += 3;
	for (; *s != '\0' && o < sizeof(buf) - 1; s++)
		if (*s != ' ' && *s != '-')
			buf[o++] = *s;
	buf[o] = '\0';
	if (*s != '\0' || !all_digits(buf, 11, 11) || buf[0] != '1' ||
	    buf[1] < '3') {
		*err = "请填写 11 位手机号码（以 1 开头），例如 13800138000。";
		return FDEF_INVALID;
	}
	*value = arena_strdup(a, buf);
	return FDEF_COMPLETE;
}

static enum fdef_state
v_uscc(struct arena *a, const char *s, const char **value,
    const char **err)
{
	char *out = arena_alloc(a, strlen(s) + 1);
	size_t o = 0;
	enum uscc_reason r;

	/* Spaces inside (as copied from a printed licence) are dropped. */
	for (; *s != '\0'; s++)
		if (*s != ' ')
			out[o++] = (char)toupper((unsigned char)*s);
	out[o] = '\0';
	if ((r = uscc_validate(out)) != USCC_OK) {
		*err = arena_printf(a, "%s。请按营业执照上的 18 位统一社会信用代码填写"
		    "（代码中不会出现字母 I、O、S、V、Z）。", uscc_reason_zh(r));
		return FDEF_INVALID;
	}
	*value = out;
	return FDEF_COMPLETE;
}

/* A certificate number as the select sends it: what the register holds
 * is checked against the register (check_cert). */
static enum fdef_state
v_cert(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	char *out = arena_strdup(a, s);
	size_t i;

	for (i = 0; out[i] != '\0'; i++) {
		out[i] = (char)toupper((unsigned char)out[i]);
		if (!isalnum((unsigned char)out[i]) && out[i] != '-')
			break;
	}
	if (out[i] != '\0' || i > f->maxlen) {
		*err = "所选的证书不在列表中，请从列表中重新选择本单位的证书。";
		return FDEF_INVALID;
	}
	*value = out;
	return FDEF_COMPLETE;
}

static enum fdef_state
v_url(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	const char *p, *host;

	/* "www.example.com" is a website without its scheme: http://,
	 * which every server answers (and redirects when it has https). */
	if (strstr(s, "://") == NULL && strchr(s, '.') != NULL &&
	    isalnum((unsigned char)s[0]))
		s = arena_printf(a, "http://%s", s);
	if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		goto bad;
	for (p = host; isalnum((unsigned char)*p) || *p == '.' || *p == '-';
	    p++)
		continue;
	if (p == host || *host == '.' || *host == '-' || p[-1] == '.' ||
	    strchr(host, '.') == NULL || strchr(host, '.') >= p)
		goto bad;
	if (*p == ':') {
		for (p++; isdigit((unsigned char)*p); p++)
			continue;
	}
	if (*p != '\0' && *p != '/' && *p != '?' && *p != '#')
		goto bad;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			goto bad;
	if (f->maxlen > 0 && strlen(s) > f->maxlen) {
		*err = arena_printf(a, "网址过长（最多 %zu 个字符），请填写单位首页地址。",
		    f->maxlen);
		return FDEF_INVALID;
	}
	*value = arena_strdup(a, s);
	return FDEF_COMPLETE;
bad:
	*err = "请填写单位网站的网址，例如 www.example.com 或 https://www.example.com。";
	return FDEF_INVALID;
}

static enum fdef_state
v_option(struct arena *a, const struct fdef_field *f, const char *s,
    const char **value, const char **err)
{
	if (fdef_option_label(f, s) == NULL) {
		*err = f->kind == FDEF_YESNO ?
		    "请选择“是”或“否”。" :
		    "所选的值不在可选范围内，请从列表中重新选择。";
		return FDEF_INVALID;
	}
	*value = arena_strdup(a, s);
	return FDEF_COMPLETE;
}

static const char *
missing_msg(struct arena *a, const struct fdef_field *f)
{
	switch (f->kind) {
	case FDEF_SELECT:
	case FDEF_YESNO:
	case FDEF_CERT:
		return arena_printf(a, "请选择「%s」。", f->label);
	case FDEF_CHECK:
		return arena_printf(a, "请阅读后勾选「%s」。", f->label);
	default:
		return arena_printf(a, "请填写「%s」。", f->label);
	}
}

enum fdef_state
fdef_validate(struct arena *a, const struct fdef_field *f, const char *in,
    int required, zdate today, const char **value, const char **err)
{
	const char *s, *dummy;
	int fold;
	enum fdef_state st;

	if (err == NULL)
		err = &dummy;
	*value = NULL;
	*err = NULL;
	if (in == NULL)
		in = "";
	if (!utf8_valid(in, strlen(in))) {
		*err = "内容含有无法识别的字符（不是 UTF-8 编码），请重新输入。";
		return FDEF_INVALID;
	}
	fold = f->kind != FDEF_TEXT && f->kind != FDEF_TEXTAREA;
	s = clean(a, in, fold);
	if (f->kind == FDEF_CHECK) {
		if (strcmp(s, "yes") == 0 || strcmp(s, "on") == 0 ||
		    strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
			s = "yes";
		else if (s[0] == '\0' || strcmp(s, "no") == 0 ||
		    strcmp(s, "off") == 0 || strcmp(s, "0") == 0)
			s = "";
		else {
			*err = "请勾选或取消勾选此项。";
			return FDEF_INVALID;
		}
	}
	if (s[0] == '\0') {
		if (required) {
			*err = missing_msg(a, f);
			return FDEF_MISSING;
		}
		*value = "";
		return FDEF_COMPLETE;
	}
	switch (f->kind) {
	case FDEF_TEXT:
	case FDEF_TEXTAREA:
		st = v_text(a, f, s, value, err);
		break;
	case FDEF_DATE:
		st = v_date(a, f, s, today, value, err);
		break;
	case FDEF_MONEY:
		st = v_money(a, f, s, value, err);
		break;
	case FDEF_INT:
		st = v_int(a, f, s, value, err);
		break;
	case FDEF_EMAIL:
		st = v_email(a, s, value, err);
		break;
	case FDEF_PHONE:
		st = v_phone(a, s, value, err);
		break;
	case FDEF_MOBILE:
		st = v_mobile(a, s, value, err);
		break;
	case FDEF_POSTCODE:
		if (!all_digits(s, 6, 6)) {
			*err = "请填写 6 位数字的邮政编码，例如 100085。";
			st = FDEF_INVALID;
		} else {
			*value = arena_strdup(a, s);
			st = FDEF_COMPLETE;
		}
		break;
	case FDEF_USCC:
		st = v_uscc(a, s, value, err);
		break;
	case FDEF_URL:
		st = v_url(a, f, s, value, err);
		break;
	case FDEF_CERT:
		st = v_cert(a, f, s, value, err);
		break;
	case FDEF_SELECT:
	case FDEF_YESNO:
		st = v_option(a, f, s, value, err);
		break;
	case FDEF_YEAR:
		st = v_year(a, f, s, today, value, err);
		break;
	case FDEF_CHECK:
		*value = "yes";
		st = FDEF_COMPLETE;
		break;
	default:
		*err = "无法识别的填写项，请联系系统管理员。";
		st = FDEF_INVALID;
		break;
	}
	if (st != FDEF_COMPLETE)
		*value = NULL;
	return st;
}

int
fdef_money_fen(const char *s, int64_t *fen)
{
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0' ||
	    !(isdigit((unsigned char)s[0]) || s[0] == '-'))
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v > FDEF_MONEY_MAX_FEN || v < -FDEF_MONEY_MAX_FEN)
		return -1;
	*fen = (int64_t)v;
	return 0;
}

const char *
fdef_format(struct arena *a, const struct fdef_field *f, const char *stored)
{
	int64_t fen;
	uint64_t y;
	char digits[32], out[64];
	size_t n, i, o = 0;

	if (stored == NULL)
		return "";
	if (f->kind != FDEF_MONEY || fdef_money_fen(stored, &fen) != 0)
		return stored;
	y = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, y / 100);
	if (fen < 0)
		out[o++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	if (y % 100 != 0)
		snprintf(out + o, sizeof(out) - o, ".%02" PRIu64, y % 100);
	return arena_strdup(a, out);
}

const char *
fdef_display(struct arena *a, const struct fdef_field *f, const char *stored)
{
	const char *lb;
	char buf[DATE_BUFSZ];
	zdate d;

	if (stored == NULL)
		return "";
	if (*stored == '\0')
		return stored;
	if ((lb = fdef_option_label(f, stored)) != NULL)
		return lb;
	switch (f->kind) {
	case FDEF_CHECK:
		return strcmp(stored, "yes") == 0 ? "已勾选" : "未勾选";
	case FDEF_MONEY:
		return arena_printf(a, "%s 元", fdef_format(a, f, stored));
	case FDEF_DATE:
		if (date_parse(stored, &d) == 0)
			return arena_strdup(a, date_zh(d, buf));
		return stored;
	default:
		return stored;
	}
}

const char *
fdef_row_name(struct arena *a, const struct fdef_group *g,
    const struct fdef_source *src, int row)
{
	const struct fdef_section *sec = NULL;
	const char *v = NULL, *name = NULL, *lb;
	size_t i;

	if (fdef_group_find(g->name, &sec) == NULL || sec == NULL ||
	    src == NULL || src->get == NULL)
		return arena_printf(a, "%s %d", g->row_label, row + 1);
	for (i = 0; i < sec->nfields; i++)
		if (sec->fields[i].group == g) {
			v = src->get(src->ctx, sec->fields[i].name, row);
			if (v != NULL && (lb = fdef_option_label(
			    &sec->fields[i], v)) != NULL) {
				v = lb;
				if (i + 1 < sec->nfields &&
				    sec->fields[i + 1].group == g)
					name = src->get(src->ctx,
					    sec->fields[i + 1].name, row);
			}
			break;
		}
	if (v != NULL && *v != '\0' && name != NULL && *name != '\0')
		return arena_printf(a, "%s：%s“%s”", g->row_label, v, name);
	if (v != NULL && *v != '\0')
		return arena_printf(a, "%s：%s", g->row_label, v);
	return arena_printf(a, "%s %d", g->row_label, row + 1);
}

const char *
fdef_where(struct arena *a, const struct fdef_field *f, int row)
{
	const struct fdef_section *sec = NULL;

	if (fdef_field_find(f->name, &sec) == NULL || sec == NULL)
		return f->label;
	if (f->group != NULL && row >= 0)
		return arena_printf(a, "%s%s%s › %s %d › %s", sec->num,
		    *sec->num ? "、" : "", sec->title, f->group->row_label,
		    row + 1, f->label);
	return arena_printf(a, "%s%s%s › %s", sec->num, *sec->num ? "、" : "",
	    sec->title, f->label);
}

/* ---- Reading an application ------------------------------------------- */

static const char *
raw(const struct fdef_source *src, const char *name, int row)
{
	if (src == NULL || src->get == NULL)
		return NULL;
	return src->get(src->ctx, name, row);
}

static int
nrows(const struct fdef_source *src, const struct fdef_group *g)
{
	int n;

	if (src == NULL || src->rows == NULL)
		return 0;
	n = src->rows(src->ctx, g->name);
	if (n < 0)
		return 0;
	/* Read no further than a generous bound past the maximum. */
	return n > g->max + 1000 ? g->max + 1000 : n;
}

static int
nfiles(const struct fdef_source *src, const char *code, int row)
{
	int n = src->files(src->ctx, code, row);

	return n < 0 ? 0 : n;
}

/*
 * A stored value, checked again: the same as fdef_validate for every kind
 * whose normal form validates to itself, but money is stored in 分 and
 * typed in 元, so a stored amount is read as the integer of 分 it is
 * (validating it as typed 元 would multiply it by 100).
 */
static enum fdef_state
revalidate(struct arena *a, const struct fdef_field *f, const char *in,
    int required, zdate today, const char **value, const char **err)
{
	int64_t fen;

	if (f->kind != FDEF_MONEY || in == NULL || *in == '\0')
		return fdef_validate(a, f, in, required, today, value, err);
	*value = NULL;
	*err = NULL;
	if (fdef_money_fen(in, &fen) != 0 || (fen < 0 &&
	    !(f->flags & FDEF_F_SIGNED))) {
		*err = "金额格式不正确，请重新填写（单位：元）。";
		return FDEF_INVALID;
	}
	*value = in;
	return FDEF_COMPLETE;
}

/*
 * The normalised value of a field: 1 and *out if given and valid, 0 if
 * empty, -1 if invalid.
 */
static int
val(struct arena *a, const struct fdef_source *src, const char *name,
    int row, zdate today, const char **out)
{
	const struct fdef_field *f = fdef_field_find(name, NULL);
	const char *v, *err;

	*out = NULL;
	if (f == NULL)
		return -1;
	if (revalidate(a, f, raw(src, name, row), 0, today, &v, &err) !=
	    FDEF_COMPLETE)
		return -1;
	if (v[0] == '\0')
		return 0;
	*out = v;
	return 1;
}

static int
val_int64(struct arena *a, const struct fdef_source *src, const char *name,
    int row, zdate today, int64_t *out)
{
	const char *v;

	if (val(a, src, name, row, today, &v) != 1)
		return 0;
	*out = strtoll(v, NULL, 10);
	return 1;
}

static int
val_date(struct arena *a, const struct fdef_source *src, const char *name,
    int row, zdate today, zdate *out)
{
	const char *v;

	if (val(a, src, name, row, today, &v) != 1)
		return 0;
	return date_parse(v, out) == 0;
}

/* 1 if every field of group g in row is empty. */
static int
blank_row(const struct fdef_section *sec, const struct fdef_group *g,
    const struct fdef_source *src, int row)
{
	const char *v;
	size_t i;

	for (i = 0; i < sec->nfields; i++) {
		if (sec->fields[i].group != g)
			continue;
		v = raw(src, sec->fields[i].name, row);
		if (v == NULL)
			continue;
		for (; *v != '\0'; v++)
			if (!isspace((unsigned char)*v))
				return 0;
	}
	return 1;
}

static int
count_rows(const struct fdef_section *sec, const struct fdef_group *g,
    const struct fdef_source *src)
{
	int n = nrows(src, g), i, k = 0;

	for (i = 0; i < n; i++)
		if (!blank_row(sec, g, src, i))
			k++;
	return k;
}

/* The register's facts of certificate no: 1 and *out, or 0. */
static int
register_cert(const struct fdef_source *src, const char *no,
    struct fdef_cert *out)
{
	memset(out, 0, sizeof(*out));
	out->expires = DATE_NONE;
	if (src == NULL || src->cert == NULL || no == NULL)
		return 0;
	return src->cert(src->ctx, no, out) == 1 && out->expires != DATE_NONE;
}

void
fdef_apptype(struct arena *a, const struct rules *r,
    const struct fdef_source *src, zdate today, struct fdef_apptype *out)
{
	struct fdef_cert fc;
	const char *v;

	memset(out, 0, sizeof(*out));
	out->declared = out->effective = RULES_APP_INITIAL;
	out->expires = out->filed = DATE_NONE;
	if (val(a, src, "app_type", FDEF_NOROW, today, &v) == 1) {
		out->known = 1;
		if (strcmp(v, rules_apptype_code(RULES_APP_MAINTENANCE)) == 0)
			out->declared = out->effective =
			    RULES_APP_MAINTENANCE;
	}
	if (!out->known || out->declared != RULES_APP_MAINTENANCE ||
	    val(a, src, "maint_cert_no", FDEF_NOROW, today, &v) != 1)
		return;
	out->cert_no = v;
	/* The expiry is the register's, never a typed date. */
	if (!register_cert(src, v, &fc))
		return;
	out->filed = src->filed != DATE_NONE ? src->filed : today;
	if (out->filed == DATE_NONE)
		return;
	out->has_window = 1;
	out->expires = fc.expires;
	rules_maint_window(r, fc.expires, out->filed, &out->window);
	if (out->window.class == RULES_MAINT_INITIAL)
		out->effective = RULES_APP_INITIAL;
}

int
fdef_field_required(const struct fdef_field *f, const struct fdef_apptype *t)
{
	switch (f->req) {
	case FDEF_REQUIRED:
		return 1;
	case FDEF_REQ_INITIAL:
		return t != NULL && t->known &&
		    t->effective == RULES_APP_INITIAL;
	case FDEF_REQ_MAINT:
		return t != NULL && t->known &&
		    t->declared == RULES_APP_MAINTENANCE;
	default:
		return 0;
	}
}

/* ---- Reports ------------------------------------------------------------ */

void
fdef_report_init(struct fdef_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

struct ctx {
	struct arena			*a;
	const struct rules		*r;
	const struct fdef_section	*sec;
	const struct fdef_source	*src;
	zdate				 today;
	zdate				 judged;	/* the judging day */
	struct fdef_report		*rep;
	int				 idx;
	struct fdef_apptype		 type;
};

static void
add(struct ctx *c, const char *field, const char *material,
    const char *group, int row, enum fdef_state st, const char *label,
    const char *msg)
{
	struct fdef_report *rep = c->rep;
	struct fdef_problem *p, *nv;

	if (rep->n == rep->cap) {
		rep->cap = rep->cap == 0 ? 32 : rep->cap * 2;
		nv = arena_alloc(c->a, rep->cap * sizeof(*nv));
		if (rep->n > 0)
			memcpy(nv, rep->v, rep->n * sizeof(*nv));
		rep->v = nv;
	}
	p = &rep->v[rep->n++];
	p->section = c->sec->id;
	p->field = field;
	p->material = material;
	p->group = group;
	p->row = row;
	p->state = st;
	p->label = label;
	p->msg = msg;
	if (row != FDEF_NOROW)
		p->summary = arena_printf(c->a, "第 %d 行「%s」：%s", row + 1,
		    label, msg);
	else
		p->summary = arena_printf(c->a, "「%s」：%s", label, msg);
	if (c->idx >= 0) {
		c->rep->count[c->idx]++;
		if (st == FDEF_INVALID || c->rep->state[c->idx] ==
		    FDEF_COMPLETE)
			c->rep->state[c->idx] = st;
	}
}

static void
add_field(struct ctx *c, const char *name, int row, enum fdef_state st,
    const char *msg)
{
	const struct fdef_field *f = fdef_field_find(name, NULL);

	add(c, name, NULL, f != NULL && f->group != NULL ? f->group->name :
	    NULL, row, st, f != NULL ? f->label : name, msg);
}

static void
check_field(struct ctx *c, const struct fdef_field *f, int row)
{
	const char *v, *err;
	enum fdef_state st;

	st = revalidate(c->a, f, raw(c->src, f->name, row),
	    fdef_field_required(f, &c->type), c->today, &v, &err);
	if (st != FDEF_COMPLETE)
		add(c, f->name, NULL, f->group != NULL ? f->group->name : NULL,
		    row, st, f->label, err);
}

static void
check_group(struct ctx *c, const struct fdef_group *g)
{
	int n = nrows(c->src, g), i, k = 0;
	size_t j;

	for (i = 0; i < n; i++)
		if (!blank_row(c->sec, g, c->src, i))
			k++;
	if (k < g->min)
		add(c, NULL, NULL, g->name, FDEF_NOROW, FDEF_MISSING, g->label,
		    g->min == g->max ?
		    arena_printf(c->a, "应填写 %d 行（每个%s一行），目前有 %d 行，"
		    "请点击“%s”补充。", g->min, g->row_label, k, g->add_label) :
		    arena_printf(c->a, "至少应填写 %d 行，目前有 %d 行，请点击“%s”补充。",
		    g->min, k, g->add_label));
	else if (k > g->max)
		add(c, NULL, NULL, g->name, FDEF_NOROW, FDEF_INVALID, g->label,
		    arena_printf(c->a, "最多填写 %d 行，目前有 %d 行，请删除多余的行。",
		    g->max, k));
	for (i = 0; i < n; i++) {
		if (blank_row(c->sec, g, c->src, i))
			continue;
		for (j = 0; j < c->sec->nfields; j++)
			if (c->sec->fields[j].group == g)
				check_field(c, &c->sec->fields[j], i);
	}
}

static void
check_years(struct ctx *c, const struct xcheck *x, const struct fdef_group *g)
{
	int n = nrows(c->src, g), i, j, y, yj, now;
	const char *v;

	if (c->judged == DATE_NONE)
		return;
	now = year_of(c->judged);
	for (i = 0; i < n; i++) {
		if (blank_row(c->sec, g, c->src, i) ||
		    val(c->a, c->src, x->a, i, c->today, &v) != 1)
			continue;
		y = atoi(v);
		if (y >= now || y < now - FDEF_FIN_OLDEST) {
			add_field(c, x->a, i, FDEF_INVALID, arena_printf(c->a,
			    "请填写提交年份之前最近三个年度（%d–%d 年）的数据，"
			    "例如 %d、%d、%d 年。", now - FDEF_FIN_OLDEST, now - 1,
			    now - 3, now - 2, now - 1));
			continue;
		}
		for (j = 0; j < i; j++) {
			if (blank_row(c->sec, g, c->src, j) ||
			    val(c->a, c->src, x->a, j, c->today, &v) != 1)
				continue;
			yj = atoi(v);
			if (yj == y) {
				add_field(c, x->a, i, FDEF_INVALID,
				    arena_printf(c->a, "%d 年与第 %d 行重复，每个年度只填一行，"
				    "请改为其他年度。", y, j + 1));
				break;
			}
		}
	}
}

/* Full-time roster members with a CISP number and (when valid_on is not
 * DATE_NONE) an expiry on or after valid_on. */
static int
roster_cisp(struct arena *a, const struct fdef_source *src, zdate today,
    zdate valid_on)
{
	const struct fdef_section *sec;
	const struct fdef_group *g = fdef_group_find("roster", &sec);
	const char *v;
	int n = nrows(src, g), i, k = 0;
	zdate exp;

	for (i = 0; i < n; i++) {
		if (blank_row(sec, g, src, i) ||
		    val(a, src, "st_fulltime", i, today, &v) != 1 ||
		    strcmp(v, "yes") != 0 ||
		    val(a, src, "st_cisp_no", i, today, &v) != 1)
			continue;
		if (valid_on != DATE_NONE &&
		    (!val_date(a, src, "st_cisp_expiry", i, today, &exp) ||
		    exp < valid_on))
			continue;
		k++;
	}
	return k;
}

/* Runs cross-check x in row (FDEF_NOROW outside groups). */
static void
check_x_row(struct ctx *c, const struct xcheck *x, int row)
{
	const char *va, *vb;
	int64_t ia, ib, sum;
	zdate da, db;
	size_t i;
	int ok;

	switch (x->kind) {
	case X_ORDER:
		if (val_date(c->a, c->src, x->a, row, c->today, &da) &&
		    val_date(c->a, c->src, x->b, row, c->today, &db) &&
		    db < da)
			add_field(c, x->b, row, FDEF_INVALID, x->msg);
		break;
	case X_LE:
		if (val_int64(c->a, c->src, x->a, row, c->today, &ia) &&
		    val_int64(c->a, c->src, x->b, row, c->today, &ib) &&
		    ia > ib)
			add_field(c, x->a, row, FDEF_INVALID, x->msg);
		break;
	case X_WITH:
		if (val(c->a, c->src, x->a, row, c->today, &va) == 1 &&
		    val(c->a, c->src, x->b, row, c->today, &vb) == 0)
			add_field(c, x->b, row, FDEF_MISSING, x->msg);
		break;
	case X_SUM:
		if (!val_int64(c->a, c->src, x->a, row, c->today, &ia))
			break;
		sum = 0;
		ok = 1;
		for (i = 0; x->list[i] != NULL && ok; i++) {
			ib = 0;
			ok = val_int64(c->a, c->src, x->list[i], row, c->today,
			    &ib);
			sum += ib;
		}
		if (ok && sum != ia)
			add_field(c, x->list[0], row, FDEF_INVALID,
			    arena_printf(c->a, "按%s统计的人数合计为 %" PRId64
			    " 人，与职工总数 %" PRId64 " 人不一致，请核对各项人数。",
			    x->msg, sum, ia));
		break;
	case X_ENDED:
		if (val(c->a, c->src, x->a, row, c->today, &va) == 1 &&
		    strcmp(va, x->v) == 0 && c->today != DATE_NONE &&
		    val_date(c->a, c->src, x->b, row, c->today, &db) &&
		    db > c->today)
			add_field(c, x->b, row, FDEF_INVALID, x->msg);
		break;
	default:
		break;
	}
}

static void
check_x(struct ctx *c, const struct xcheck *x)
{
	const struct fdef_field *fa = fdef_field_find(x->a, NULL);
	int n, i, k;
	int64_t ib;

	if (fa == NULL)
		return;
	switch (x->kind) {
	case X_YEARS:
		check_years(c, x, fa->group);
		return;
	case X_ROWS_LE:
		k = count_rows(c->sec, fa->group, c->src);
		if (val_int64(c->a, c->src, x->b, FDEF_NOROW, c->today, &ib) &&
		    k > ib)
			add_field(c, x->b, FDEF_NOROW, FDEF_INVALID, x->msg);
		return;
	case X_CISP:
		k = roster_cisp(c->a, c->src, c->today, DATE_NONE);
		if (val_int64(c->a, c->src, x->a, FDEF_NOROW, c->today, &ib) &&
		    k < ib)
			add_field(c, x->a, FDEF_NOROW, FDEF_INVALID,
			    arena_printf(c->a, "人员名单中专职且填写了 CISP 证书编号的人员"
			    "只有 %d 人，少于此处填写的 %" PRId64 " 人；请在人员名单中补充"
			    "持证人员，或更正人数。", k, ib));
		return;
	default:
		break;
	}
	if (fa->group == NULL) {
		check_x_row(c, x, FDEF_NOROW);
		return;
	}
	n = nrows(c->src, fa->group);
	for (i = 0; i < n; i++)
		if (!blank_row(c->sec, fa->group, c->src, i))
			check_x_row(c, x, i);
}

/*
 * The certificate a maintenance application maintains (section 一's
 * maint_cert_no) against the register: one of the organisation's, and
 * one that may be maintained.
 */
static void
check_cert(struct ctx *c, const struct fdef_section *sec)
{
	const struct fdef_section *in;
	struct fdef_cert fc;
	const char *no = c->type.cert_no, *why = NULL;

	if (c->src->cert == NULL || no == NULL ||
	    fdef_field_find("maint_cert_no", &in) == NULL || in != sec)
		return;
	if (c->src->cert(c->src->ctx, no, &fc) != 1)
		why = arena_printf(c->a, "证书 %s 不是本单位名下的证书，请从列表中"
		    "选择。列表中没有的证书（例如本系统启用前颁发的证书），请联系"
		    "制证工作人员核对本申请书的统一社会信用代码后关联到本单位。",
		    no);
	else if (fc.revoked)
		why = arena_printf(c->a, "证书 %s 已被取消，不能申请维持。如需"
		    "继续取得资质，请将申请类型改为“初次申请”。", no);
	else if (fc.superseded)
		why = arena_printf(c->a, "证书 %s 已换发为新证书，不能再申请维持；"
		    "请选择新证书。", no);
	else if (fc.suspended)
		why = arena_printf(c->a, "证书 %s 处于暂停状态，暂停期间不能申请"
		    "维持。请在整改完成、暂停解除后再提交维持申请。", no);
	else if (fc.busy_case != NULL)
		why = arena_printf(c->a, "证书 %s 已有维持申请（案件 %s）正在办理，"
		    "不能重复申请。请在该案件页面查看进度。", no, fc.busy_case);
	if (why != NULL)
		add_field(c, "maint_cert_no", FDEF_NOROW, FDEF_INVALID, why);
}

static int
material_due(struct ctx *c, const struct fdef_material *m, int row)
{
	const char *v;

	if (m->req != FDEF_REQUIRED)
		return 0;
	if (m->req_field == NULL)
		return 1;
	if (val(c->a, c->src, m->req_field, row, c->today, &v) != 1)
		return 0;
	return m->req_value == NULL || strcmp(v, m->req_value) == 0;
}

static void
check_material_row(struct ctx *c, const struct fdef_material *m, int row)
{
	int k = nfiles(c->src, m->code, row);
	const char *g = m->group != NULL ? m->group->name : NULL;

	if (k == 0 && material_due(c, m, row))
		add(c, NULL, m->code, g, row, FDEF_MISSING, m->label,
		    arena_printf(c->a, "请上传「%s」（%s 格式）。", m->label,
		    fdef_types_zh(m)));
	else if (k > m->maxfiles)
		add(c, NULL, m->code, g, row, FDEF_INVALID, m->label,
		    arena_printf(c->a, "最多上传 %d 个文件，目前有 %d 个，请删除多余的文件。",
		    m->maxfiles, k));
}

static void
check_material(struct ctx *c, const struct fdef_material *m)
{
	int n, i;

	if (m->group == NULL) {
		check_material_row(c, m, FDEF_NOROW);
		return;
	}
	n = nrows(c->src, m->group);
	for (i = 0; i < n; i++)
		if (!blank_row(c->sec, m->group, c->src, i))
			check_material_row(c, m, i);
}

void
fdef_check_section(struct arena *a, const struct rules *r,
    const struct fdef_section *sec, const struct fdef_source *src,
    zdate today, struct fdef_report *rep)
{
	fdef_check_section_at(a, r, sec, src, today, today, rep);
}

void
fdef_check_section_at(struct arena *a, const struct rules *r,
    const struct fdef_section *sec, const struct fdef_source *src,
    zdate today, zdate judged, struct fdef_report *rep)
{
	struct ctx c;
	const struct fdef_group *done[8];
	size_t i, j, ndone = 0;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.r = r;
	c.sec = sec;
	c.src = src;
	c.today = today;
	c.judged = judged;
	c.rep = rep;
	c.idx = fdef_section_index(sec->id);
	fdef_apptype(a, r, src, judged, &c.type);

	for (i = 0; i < sec->nfields; i++) {
		const struct fdef_group *g = sec->fields[i].group;

		if (g == NULL) {
			check_field(&c, &sec->fields[i], FDEF_NOROW);
			continue;
		}
		for (j = 0; j < ndone; j++)
			if (done[j] == g)
				break;
		if (j < ndone)
			continue;
		if (ndone < NELEM(done))
			done[ndone++] = g;
		check_group(&c, g);
	}
	for (i = 0; i < NELEM(xchecks); i++)
		if (strcmp(xchecks[i].section, sec->id) == 0)
			check_x(&c, &xchecks[i]);
	check_cert(&c, sec);
	if (src->files != NULL)
		for (i = 0; i < sec->nmaterials; i++)
			check_material(&c, &sec->materials[i]);
}

void
fdef_check_all(struct arena *a, const struct rules *r,
    const struct fdef_source *src, zdate today, struct fdef_report *rep)
{
	fdef_check_all_at(a, r, src, today, today, rep);
}

void
fdef_check_all_at(struct arena *a, const struct rules *r,
    const struct fdef_source *src, zdate today, zdate judged,
    struct fdef_report *rep)
{
	size_t i;

	for (i = 0; i < FDEF_NSECTIONS; i++)
		fdef_check_section_at(a, r, &sections[i], src, today, judged,
		    rep);
}

/* ---- The form as read ------------------------------------------------ */

size_t
fdef_section_lines(struct arena *a, const struct fdef_section *sec,
    const struct fdef_source *src, struct fdef_line **out)
{
	struct fdef_line *v;
	const struct fdef_field *f;
	const char *val;
	struct buf row;
	size_t k, j, n = 0, cap = sec->nfields;
	int r, rows;

	for (k = 0; k < sec->nfields; k++)
		if (sec->fields[k].group != NULL)
			cap += (size_t)nrows(src, sec->fields[k].group);
	v = arena_alloc(a, (cap + 1) * sizeof(*v));
	for (k = 0; k < sec->nfields; k++) {
		f = &sec->fields[k];
		if (f->group == NULL) {
			val = raw(src, f->name, FDEF_NOROW);
			if (val == NULL || *val == '\0')
				continue;
			v[n].label = f->label;
			/* A ticked box reads 已勾选, not "yes". */
			v[n++].value = fdef_display(a, f, val);
			continue;
		}
		if (k > 0 && sec->fields[k - 1].group == f->group)
			continue;
		rows = nrows(src, f->group);
		for (r = 0; r < rows && n < cap; r++) {
			buf_init(&row);
			for (j = k; j < sec->nfields &&
			    sec->fields[j].group == f->group; j++) {
				val = raw(src, sec->fields[j].name, r);
				if (val == NULL || *val == '\0')
					continue;
				buf_printf(&row, "%s%s：%s", row.n ? "；" : "",
				    sec->fields[j].label, fdef_display(a,
				    &sec->fields[j], val));
			}
			if (row.n > 0) {
				/* Named by what it is: "人员 2：钱程",
				 * "年度 3：2025". */
				val = raw(src, f->name, r);
				v[n].label = arena_printf(a, "%s %d%s%s",
				    f->group->row_label, r + 1, val && *val ?
				    "：" : "", val && *val ? fdef_display(a, f,
				    val) : "");
				v[n++].value = arena_strdup(a, row.p);
			}
			buf_free(&row);
		}
	}
	*out = v;
	return n;
}

/* ---- Eligibility ---------------------------------------------------- */

void
fdef_applicant(struct arena *a, const struct rules *r,
    const struct fdef_source *src, zdate submitted,
    struct rules_applicant *ap)
{
	const struct fdef_section *sec;
	const struct fdef_group *g;
	const char *v, *code = NULL, *nature = NULL;
	struct rules_project *pr;
	int64_t x;
	int i, k, np, rows, y, latest, ny, licence = -1;
	zdate d;

	ap->submitted = submitted;
	ap->maintenance = val(a, src, "app_type", FDEF_NOROW, submitted,
	    &v) == 1 && strcmp(v, rules_apptype_code(RULES_APP_MAINTENANCE)) ==
	    0;

	/* Independent legal entity, licence, credit code. */
	if (val(a, src, "uscc", FDEF_NOROW, submitted, &v) == 1)
		code = ap->uscc = v;
	else if ((v = raw(src, "uscc", FDEF_NOROW)) != NULL) {
		char *u = arena_strdup(a, clean(a, v, 1));

		for (i = 0; u[i] != '\0'; i++)
			u[i] = (char)toupper((unsigned char)u[i]);
		if (u[0] != '\0')
			ap->uscc = u;
	}
	if (src->files != NULL) {
		licence = nfiles(src, "business_licence", FDEF_NOROW) > 0;
		ap->business_licence = licence ? RULES_TRI_YES : RULES_TRI_NO;
		ap->approval_evidence = licence ||
		    nfiles(src, "lawful_proof", FDEF_NOROW) > 0 ?
		    RULES_TRI_YES : RULES_TRI_NO;
	}
	(void)val(a, src, "org_nature", FDEF_NOROW, submitted, &nature);
	if (nature != NULL && strcmp(nature, "branch") == 0)
		ap->legal_entity = RULES_TRI_NO;
	else if (code != NULL && licence == 1)
		ap->legal_entity = RULES_TRI_YES;
	else if ((ap->uscc != NULL && code == NULL) || licence == 0)
		ap->legal_entity = RULES_TRI_NO;

	ap->approval_declared = val(a, src, "decl_lawful", FDEF_NOROW,
	    submitted, &v) == 1 ? RULES_TRI_YES : RULES_TRI_NO;

	if (val(a, src, "l1_cert_no", FDEF_NOROW, submitted, &v) == 1)
		ap->level1_cert_no = v;
	if (val_date(a, src, "l1_cert_expiry", FDEF_NOROW, submitted, &d))
		ap->level1_cert_expiry = d;
	if (val_date(a, src, "biz_start", FDEF_NOROW, submitted, &d))
		ap->business_start = d;
	if (val_int64(a, src, "reg_capital", FDEF_NOROW, submitted, &x))
		ap->registered_capital = x;

	/* Finance: the latest year's total assets; each year given. */
	g = fdef_group_find("finance", &sec);
	rows = nrows(src, g);
	latest = -1;
	ny = 0;
	for (i = 0; i < rows; i++) {
		struct rules_fin_year *fy;

		if (blank_row(sec, g, src, i) ||
		    val(a, src, "fin_year", i, submitted, &v) != 1)
			continue;
		y = atoi(v);
		if (y > latest) {
			latest = y;
			ap->total_assets = val_int64(a, src,
			    "fin_total_assets", i, submitted, &x) ? x :
			    RULES_NONE;
		}
		if (ny == RULES_FIN_MAX)
			continue;
		fy = &ap->fin[ny++];
		fy->row = i;
		fy->year = y;
		fy->total_assets = val_int64(a, src, "fin_total_assets", i,
		    submitted, &x) ? x : RULES_NONE;
		fy->net_assets = val_int64(a, src, "fin_net_assets", i,
		    submitted, &x) ? x : RULES_SIGNED_NONE;
		fy->revenue = val_int64(a, src, "fin_revenue", i, submitted,
		    &x) ? x : RULES_NONE;
		fy->profit = val_int64(a, src, "fin_profit", i, submitted,
		    &x) ? x : RULES_SIGNED_NONE;
		fy->audit_reports = src->files != NULL ?
		    nfiles(src, "audit_report", i) : RULES_NONE;
	}
	if (ny > 0)
		ap->nfin = ny;

	/* Staff. */
	if (val_int64(a, src, "staff_eng", FDEF_NOROW, submitted, &x))
		ap->engineering_staff = (int)x;
	g = fdef_group_find("roster", &sec);
	if (count_rows(sec, g, src) > 0)
		ap->cisp_staff = roster_cisp(a, src, submitted, submitted);
	else if (val_int64(a, src, "staff_cisp", FDEF_NOROW, submitted, &x))
		ap->cisp_staff = (int)x;

	/* Projects: each one given, for the rules to count. */
	g = fdef_group_find("projects", &sec);
	rows = nrows(src, g);
	if ((k = count_rows(sec, g, src)) == 0)
		return;
	pr = arena_alloc(a, (size_t)k * sizeof(*pr));
	k = 0;
	np = 0;
	for (i = 0; i < rows; i++) {
		if (blank_row(sec, g, src, i))
			continue;
		if (val(a, src, "proj_complete", i, submitted, &v) == 1 &&
		    strcmp(v, "yes") == 0)
			k++;
		memset(&pr[np], 0, sizeof(pr[np]));
		pr[np].row = i;
		pr[np].name = val(a, src, "proj_name", i, submitted, &v) == 1 ?
		    v : NULL;
		pr[np].value = val_int64(a, src, "proj_value", i, submitted,
		    &x) ? x : RULES_NONE;
		pr[np].end = val_date(a, src, "proj_end", i, submitted, &d) ?
		    d : DATE_NONE;
		pr[np].state = RULES_PROJ_UNKNOWN;
		if (val(a, src, "proj_accept", i, submitted, &v) == 1)
			pr[np].state = strcmp(v, "accepted") == 0 ?
			    RULES_PROJ_ACCEPTED : strcmp(v, "pending") == 0 ?
			    RULES_PROJ_PENDING : strcmp(v, "ongoing") == 0 ?
			    RULES_PROJ_ONGOING : RULES_PROJ_UNKNOWN;
		np++;
	}
	ap->complete_projects = k;
	ap->projects = pr;
	ap->nprojects = np;
}
