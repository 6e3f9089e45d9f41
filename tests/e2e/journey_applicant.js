'use strict';
/*
 * Journey 1, the applicant, in a browser with JavaScript turned off (the
 * pages must work without it): register (a mistyped password first),
 * create an application, fill every section of the 申请书 (an invalid
 * mobile number first, refused next to its field; then left blank), see
 * on the check page what is missing, follow each of its links to fix the
 * field and upload every material, submit, and see the receipt.
 */
const { person, go, see, errorAt, statusWord, fail } = require('./lib');
const { fill, sections } = require('./form');
const { dates, uscc, pdf, ORG } = require('./data');

const EMAIL = 'lisi@changcheng.example';
const PASSWORD = '长城信安 申请 2026 密码';

/* "保存并继续" to the next section; the page that comes back. */
async function saveAndNext(page, step, heading) {
	await go(page, 'button[name=next]');
	await see(page, step, { heading });
}

async function applicant(browser, state) {
	const d = dates();
	const v = sections(d, uscc);
	const page = await person(browser, '申请单位（无 JavaScript）', { js: false, applicant: true });
	state.applicant = { email: EMAIL, password: PASSWORD };

	/* The home page, then 注册. */
	await page.goto('/');
	await see(page, 'home', { heading: '信息安全服务资质', shot: '01-home' });
	await go(page, 'main a[href="/register"]');
	await see(page, 'register', { heading: '注册申请单位账号' });
	await fill(page, { org_name: ORG, name: '李四', email: EMAIL,
	    password: PASSWORD, password2: PASSWORD + '!' });
	await go(page, 'main button[type=submit]');
	await see(page, 'register, passwords differ', { heading: '注册申请单位账号',
	    text: '请修改以下问题后重新提交', shot: '02-register-error' });
	await errorAt(page, 'register, passwords differ', 'password2', '两次输入的密码不一致');
	/* What was typed is kept, but the passwords. */
	if (await page.inputValue('#org_name') !== ORG)
		fail('register: the organisation name typed was not kept');
	await fill(page, { password: PASSWORD, password2: PASSWORD });
	await go(page, 'main button[type=submit]');
	/* Registering does not log in (the answer is the same for an
	 * address that has an account): the login page says so. */
	await see(page, 'registered, log in', { heading: '登录', text: '注册申请已提交' });
	await fill(page, { email: EMAIL, password: PASSWORD });
	await go(page, 'main button[type=submit]');
	await go(page, 'header a[href="/cases"]');
	await see(page, 'my cases, none yet', { heading: '我的申请', text: '还没有申请', shot: '03-cases' });

	/* 新建申请 → section 一. */
	await go(page, 'main button:has-text("新建申请")');
	const m = new URL(page.url()).pathname.match(/^\/cases\/(\d+)\/form\/s1$/);
	if (!m)
		fail(`新建申请 went to ${page.url()}, want /cases/N/form/s1`);
	const id = state.caseId = m[1];
	await see(page, 'section 一', { heading: '一、申请单位基本情况' });

	/* An invalid mobile number: refused, the message next to the field,
	 * what was typed kept. */
	await fill(page, { ...v.s1, contact_mobile: '1380013800' });
	await go(page, 'button[name=save]');
	await see(page, 'section 一, invalid mobile', { heading: '一、申请单位基本情况',
	    text: ['请修改以下问题后重新提交', '已理解为 10,000,000 元',
	    '已理解为 http://www.changcheng.example'], shot: '04-form-error' });
	/* The error summary has the focus, for a screen reader to read. */
	if (!await page.evaluate(() => document.activeElement &&
	    document.activeElement.classList.contains('error-summary')))
		fail('section 一: the error summary does not have the focus');
	await errorAt(page, 'section 一, invalid mobile', 'contact_mobile', '请填写 11 位手机号码');
	if (await page.inputValue('#legal_rep') !== '张三')
		fail('section 一: the values typed were not kept after the error');
	/* Left blank for now: a draft may be incomplete. */
	await fill(page, { contact_mobile: '' });
	await saveAndNext(page, 'section 二', '二、概况');
	await fill(page, v.s2);
	await saveAndNext(page, 'section 三', '三、近三年资产运营情况');
	await fill(page, v.s3);
	await saveAndNext(page, 'section 四', '四、人员情况');

	/* 四: six people on the roster, each row added with its button. */
	await fill(page, v.s4a);
	for (let i = 1; i < 6; i++) {
		await go(page, 'button[name=add][value=roster]');
		if (await page.locator(`[id="st_name-${i}"]`).count() !== 1)
			fail(`section 四: 添加一名人员 did not add row ${i + 1}`);
		/* The focus is on the new row, not back at the top. */
		if (await page.evaluate(() => document.activeElement && document.activeElement.id) !== `st_name-${i}`)
			fail(`section 四: after 添加一名人员 the focus is not on row ${i + 1}`);
	}
	if (await page.inputValue('#staff_total') !== '30')
		fail('section 四: adding a row lost what was typed');
	await fill(page, v.roster);
	await see(page, 'section 四, roster', { heading: '四、人员情况', shot: '05-form-roster' });
	await saveAndNext(page, 'section 五', '五、技术能力基本情况');
	await fill(page, v.s5);
	await saveAndNext(page, 'section 六', '六、信息系统安全工程过程能力');
	await fill(page, v.s6);
	await saveAndNext(page, 'section 七', '七、项目和组织过程能力');
	await fill(page, v.s7);
	await saveAndNext(page, 'section 八', '八、安全服务项目汇总');
	await go(page, 'button[name=add][value=projects]');
	await fill(page, v.s8);
	await saveAndNext(page, 'section 九', '九、获奖、资格授权情况');
	await saveAndNext(page, 'section 十', '十、安全服务发展规划');
	await fill(page, v.s10);
	await saveAndNext(page, 'section 十一', '十一、其他说明');
	await fill(page, v.s11);
	await saveAndNext(page, 'section 十二', '十二、附加信息');
	await saveAndNext(page, 'declaration', '申请单位声明');
	await fill(page, v.decl);
	await go(page, 'button[name=save]');
	await see(page, 'declaration saved', { heading: '申请单位声明', text: '已保存' });

	/* The case page: a draft, every section listed. */
	await go(page, 'nav.section-nav a:has-text("返回案件")');
	await see(page, 'draft case page', { heading: `草稿申请 #${id}`,
	    at: { '#status': '草稿' }, text: ['填写申请书', '逐项检查并提交'],
	    shot: '06-case-draft', full: true });

	/* The check page: what is missing, each with a link to fix it. */
	await go(page, 'a:has-text("逐项检查并提交")');
	const problems = await see(page, 'check page, problems', { heading: '逐项检查',
	    text: ['暂不能提交', '手机号码'], not: '正式提交申请',
	    shot: '07-check-problems', full: true });
	const n0 = +(problems.match(/还有 (\d+) 项需要完成或修改/) || [])[1];
	if (!(n0 > 30))
		fail(`check page: ${n0} problems listed, want every material (30+) and the mobile number`);

	/* The mobile number: follow the link to the field. */
	const mobile = page.locator('.check-list a', { hasText: '手机号码' });
	if (!/\/form\/s1#contact_mobile$/.test(await mobile.getAttribute('href')))
		fail('check page: the mobile number link does not lead to the field');
	await go(page, mobile);
	await see(page, 'section 一 from the check page', { heading: '一、申请单位基本情况' });
	await fill(page, { contact_mobile: v.s1.contact_mobile });
	await go(page, 'button[name=save]');
	await see(page, 'section 一 fixed', { text: '已保存', not: '请修改以下问题' });
	await page.goto(`/cases/${id}/check`);

	/* The missing materials: the check page lists each with a link to
	 * its slot on the materials page. Follow the first; upload there and
	 * in every other slot the list named; back to the check page. */
	let uploads = 0;
	for (let round = 0; round < 3; round++) {
		const links = page.locator('.check-list a[href*="/materials?s="][href*="#m-"]');
		const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		if (hrefs.length === 0)
			break;
		await go(page, links.first());
		if (round === 0)
			await see(page, 'materials page', { heading: '上传材料', text: '尚未上传' });
		for (const href of hrefs) {
			const slot = href.split('#')[1];
			/* The materials page shows one section of the form at a
			 * time: the link names it. */
			if (await page.locator(`[id="${slot}"]`).count() === 0)
				await page.goto(href);
			if (await page.locator(`[id="${slot}"]`).count() !== 1)
				fail(`check page links to ${href}, which has no #${slot}`);
			const form = page.locator(`[id="${slot}"] form.upload`).last();
			await form.locator('input[type=file]').setInputFiles(pdf(`${slot}.pdf`));
			await go(page, form.locator('button[type=submit]'));
			if (!page.url().includes(`#${slot}`))
				fail(`upload to ${slot}: came back to ${page.url()}`);
			if (++uploads === 1)
				await see(page, 'materials, one uploaded', { heading: '上传材料',
				    at: { [`[id="${slot}"]`]: `${slot}.pdf` }, shot: '08-materials' });
		}
		await page.goto(`/cases/${id}/check`);
	}
	if (uploads < 30)
		fail(`uploaded ${uploads} materials, want 30+`);

	/* Complete: submit. */
	await see(page, 'check page, complete', { heading: '逐项检查',
	    text: ['申请书各节和必需材料均已完成', '正式提交', '1000万元', '500万元'], not: '暂不能提交',
	    shot: '09-check-complete', full: true });
	await page.check('#confirm');
	await go(page, 'button:has-text("正式提交申请")');
	const caseText = await see(page, 'submitted: the receipt', {
	    text: ['申请已正式提交，案件编号', '已计周期', '收件凭证'],
	    at: { '#status': '已提交', '#clock': '目标完成日' },
	    shot: '10-case-submitted', full: true });
	state.caseNo = (caseText.match(/案件编号\s*(\S+?)。/) || [])[1];
	if (!state.caseNo)
		fail('submitted: no case number on the page');
	if (await statusWord(page) !== '已提交')
		fail('submitted: status is not 已提交');
	await see(page, 'submitted: heading', { heading: `案件 ${state.caseNo}` });

	/* The 申请书 of round 1 as a PDF, to print, seal and send with a CD;
	 * the centre has not received it yet. */
	await see(page, 'submitted: the paper original', {
	    at: { '#application-pdf': '下载申请书（第 1 轮，PDF）', '#paper-none': '尚未登记收到纸质原件' },
	    text: '加盖公章、装订成册' });
	const href = await page.locator('#application-pdf').getAttribute('href');
	const res = await page.request.get(href);
	const body = await res.body();
	if (res.status() !== 200 || res.headers()['content-type'] !== 'application/pdf' ||
	    body.subarray(0, 5).toString() !== '%PDF-')
		fail(`submitted: ${href} answers ${res.status()} ${res.headers()['content-type']}`);

	/* The receipt itself. */
	await go(page, page.locator('ul.notices a', { hasText: '收件凭证' }).first());
	await see(page, 'receipt notice', { heading: '收件凭证', text: [state.caseNo, ORG],
	    shot: '11-receipt' });
	state.uploads = uploads;
	await page.context().close();
}

module.exports = { applicant, EMAIL, PASSWORD };
