'use strict';
/*
 * a11y_selftest.js: the accessibility checks must catch what they claim
 * to. A page with one defect of each kind must give one violation each;
 * a clean page none. Run by journey.js before the journeys.
 */
const { a11yViolations, axeViolations } = require('./a11y');

const BAD = `<!DOCTYPE html><html><head><title>t</title></head><body>
<h1>标题</h1>
<h3>跳过了 h2</h3>
<img src="/x.png">
<input type="text" id="nolabel" name="nolabel">
<select name="sel"><option>1</option></select>
<label for="ghost">幽灵</label>
<input type="text" id="dup" aria-label="一"><input type="text" id="dup" aria-label="二">
<div class="error-summary"><ul><li><a href="#missing">链接到不存在的字段</a></li><li><a href="#plain">链接到不是字段的元素</a></li></ul></div>
<p id="plain">文字</p>
<input type="text" id="described" aria-label="三" aria-describedby="nohelp">
</body></html>`;

const WANT = [
	/no lang attribute/,
	/heading level skipped: <h1> "标题" then <h3>/,
	/img\[src="\/x.png"\] has no alt/,
	/input#nolabel\[type=text\] has no label/,
	/select\[name="sel"\] has no label/,
	/for="ghost" refers to no element/,
	/id "dup" is used 2 times/,
	/points to #missing, which does not exist/,
	/points to #plain, which is not a form control/,
	/aria-describedby refers to missing id nohelp/,
];

const GOOD = `<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body>
<h1>标题</h1><h2>二</h2><h3>三</h3><h2>回到二</h2>
<img src="/x.png" alt="">
<label for="a">甲</label><input type="text" id="a">
<label>乙 <select name="b"><option>1</option></select></label>
<span id="cl">丙</span><textarea aria-labelledby="cl"></textarea>
<input type="hidden" name="csrf" value="x">
<div class="error-summary"><ul><li><a href="#a">甲有误</a></li><li><a href="#fs">选择有误</a></li></ul></div>
<fieldset id="fs"><legend>选择</legend><label><input type="radio" name="r"> 是</label></fieldset>
</body></html>`;

/* axe-core must see what the journeys' pages had: grey-green text under
 * 4.5:1, an input without a name. */
const AXE_BAD = `<!DOCTYPE html><html lang="zh-CN"><head><title>t</title></head><body>
<main><h1>标题</h1><p style="color:#1f7a3d;background:#d6ecdf">已完成</p>
<input type="text"></main></body></html>`;
const AXE_WANT = [/^color-contrast /, /^label /];

async function a11ySelftest(browser) {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	const problems = [];
	await page.setContent(BAD);
	const bad = await a11yViolations(page);
	for (const re of WANT)
		if (!bad.some((v) => re.test(v)))
			problems.push(`the defect ${re} was not reported`);
	if (bad.length !== WANT.length)
		problems.push(`${bad.length} violations reported on the bad page, want ${WANT.length}: ${bad.join(' | ')}`);
	await page.setContent(GOOD);
	const good = await a11yViolations(page);
	if (good.length)
		problems.push(`violations reported on the clean page: ${good.join(' | ')}`);
	const axeGood = await axeViolations(page);
	if (axeGood.length)
		problems.push(`axe-core reports violations on the clean page: ${axeGood.join(' | ')}`);
	await page.setContent(AXE_BAD);
	const axeBad = await axeViolations(page);
	for (const re of AXE_WANT)
		if (!axeBad.some((v) => re.test(v)))
			problems.push(`axe-core did not report ${re}: ${axeBad.join(' | ')}`);
	await ctx.close();
	if (problems.length)
		throw new Error(`a11y self-test: ${problems.join('; ')}`);
}

module.exports = { a11ySelftest };
