/*
 * review.c: the review areas (see review.h).
 */
#include <string.h>

#include "review.h"

const struct review_area review_areas[] = {
	{ "form", "申请资料的形式规范度" },
	{ "qualification", "基本资格" },
	{ "capability", "基本能力" },
	{ "quality", "质量管理" },		/* §3.3 */
	{ "pa01", "PA01 管理安全控制" },
	{ "pa02", "PA02 评估影响" },
	{ "pa03", "PA03 评估安全风险" },
	{ "pa04", "PA04 评估威胁" },
	{ "pa05", "PA05 评估脆弱性" },
	{ "pa06", "PA06 建立保障论据" },
	{ "pa07", "PA07 协调安全" },
	{ "pa08", "PA08 监视安全态势" },
	{ "pa09", "PA09 提供安全输入" },
	{ "pa10", "PA10 确定安全需要" },
	{ "pa11", "PA11 验证和确认安全" },
	{ "pa12", "PA12 确保质量" },
	{ "pa13", "PA13 管理配置" },
	{ "pa14", "PA14 管理项目风险" },
	{ "pa15", "PA15 监督和控制技术工作" },
	{ "pa16", "PA16 策划技术工作" },
	{ "pa17", "PA17 定义组织系统工程过程" },
	{ "pa18", "PA18 改进组织系统工程过程" },
	{ "pa19", "PA19 管理产品线演进" },
	{ "pa20", "PA20 管理系统工程支持环境" },
	{ "pa21", "PA21 提供持续的技能和知识" },
	{ "pa22", "PA22 与供应商协调" },
	{ "management", "组织管理能力" },
	{ NULL, NULL }
};

const struct review_area *
review_area(const char *code)
{
	const struct review_area *a;

	for (a = review_areas; a->code != NULL; a++)
		if (strcmp(a->code, code) == 0)
			return a;
	return NULL;
}

const char *
review_verdict_zh(const char *verdict)
{
	if (strcmp(verdict, "ok") == 0)
		return "符合";
	if (strcmp(verdict, "supplement") == 0)
		return "需补正";
	if (strcmp(verdict, "fail") == 0)
		return "不符合";
	return "未审查";
}
