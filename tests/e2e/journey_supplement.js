'use strict';
/*
 * Journey 2: the project lead finds the case in the work queue, starts the
 * review, records findings and requests a supplement (an empty item
 * first: refused, the message at the item); the applicant, on a phone with
 * JavaScript, sees 待补正 and the paused clock, the notice 待送达 until
 * opening it serves it (送达), then the due date; follows
 * the notice's links to the section and the material, fixes both, and
 * submits the supplement from the check page. The phone pages must not
 * scroll sideways.
 */
const { person, login, go, see, statusWord, fail } = require('./lib');
const { fill } = require('./form');
const { pdf } = require('./data');

const LEAD = 'lead@e2e.example';

async function supplement(browser, state) {
	const id = state.caseId;
	const lead = await person(browser, '项目负责人');
	await login(lead, LEAD);
	state.lead = lead;

	/* The work queue: the new case, with its clock. */
	await go(lead, 'header a[href="/queue"]');
	await see(lead, 'work queue', { heading: '工作队列',
	    text: [state.caseNo, '已提交'], shot: '12-queue' });
	await go(lead, lead.locator('main table a', { hasText: state.caseNo }));
	await see(lead, 'case page, lead', { heading: `案件 ${state.caseNo}`,
	    at: { '#status': '已提交' }, text: '待办' });
	await go(lead, 'a.button:has-text("开始受理审查")');
	await see(lead, 'review page', { heading: '受理审查', text: ['基本资格（起评条件，指南 3.1）', '近三年财务状况（逐年）', '纸质原件', '本页内容'] });
	/* The submission by section, folded; a section opens on its own. */
	await lead.click('#rf-s1 summary');
	if (!(await lead.locator('#rf-s1').innerText()).includes('SHA-256'))
		fail('review: the materials of section 一 do not show their SHA-256');
	await go(lead, 'button:has-text("开始受理审查（由我负责）")');
	await see(lead, 'review started', { text: ['受理审查中', '保存审查意见'] });

	/* Findings: the form of the materials needs a supplement. */
	await lead.check('input[name=verdict_qualification][value=ok]');
	await lead.check('input[name=verdict_form][value=supplement]');
	await fill(lead, { comment_form: '组织机构图不清晰，请上传清晰的扫描件。' });
	await go(lead, 'button:has-text("保存审查意见")');
	await see(lead, 'findings saved', { heading: '受理审查' });
	if (await lead.inputValue('#comment_form') !== '组织机构图不清晰，请上传清晰的扫描件。' ||
	    !await lead.isChecked('input[name=verdict_form][value=supplement]'))
		fail('review: the saved finding is not shown');

	/* The supplement notice starts from the findings marked 需补正; the
	 * lead says where each item is fixed, and adds one: without its text
	 * it is refused, with the message at the item. */
	await lead.click('summary:has-text("要求补正")');
	if (!(await lead.inputValue('#item_what-0')).includes('组织机构图不清晰'))
		fail('review: the supplement form does not start from the finding');
	await lead.selectOption('#item_target-0', 'org_chart');
	await lead.selectOption('#item_target-1', 's2');
	await go(lead, 'button:has-text("发出补正告知书")');
	await see(lead, 'supplement, item without text', { text: '第 2 项：请写明需要补正的内容',
	    at: { '#item-1 .field-error': '请写明需要补正的内容' },
	    shot: '13-review-supplement-error' });
	if (await lead.inputValue('#item_target-1') !== 's2')
		fail('review: the section chosen for item 2 was not kept');
	await fill(lead, { 'item_what-1': '请补充发展历程，写明2016年以来各阶段的人员和业务。' });
	await go(lead, 'button:has-text("发出补正告知书")');
	/* The notice as it will go out, each item with what it names. */
	await see(lead, 'supplement, preview', { heading: '预览补正告知书',
	    text: ['第 1 项 · 材料：组织机构图', '第 2 项 · 申请书二、概况'] });
	await go(lead, 'button:has-text("确认发出补正告知书")');
	await see(lead, 'supplement sent', { at: { '#status': '待补正' } });

	/* The applicant, on a phone. */
	const phone = await person(browser, '申请单位（手机）', { phone: true, applicant: true });
	await login(phone, state.applicant.email, state.applicant.password);
	await phone.goto('/cases');
	await see(phone, 'phone: my cases', { heading: '我的申请', text: [state.caseNo, '待补正'] });
	await go(phone, phone.locator('main table a', { hasText: state.caseNo }));
	await see(phone, 'phone: case page, 待补正', { heading: `案件 ${state.caseNo}`,
	    at: { '#status': '待补正', '#clock': '当前暂停计时' },
	    text: ['需要补正的内容', '请补充发展历程', '组织机构图不清晰，请上传'],
	    shot: '14-phone-case-supplement' });
	/* No mail server took the notice yet (no SMTP here): 待送达, the
	 * month has not started. Opening the notice serves it (送达). */
	const unserved = (await phone.locator('#supplement-due').innerText()).trim();
	if (unserved !== '待送达')
		fail(`phone: before the notice is opened the due date reads "${unserved}", want 待送达`);
	await go(phone, phone.locator('ul.notices a', { hasText: '补正告知书' }).first());
	await see(phone, 'phone: the supplement notice', { heading: '补正告知书',
	    at: { '#notice-service': '申请单位已在系统中打开' } });
	await phone.goto(`/cases/${id}`);
	const due = (await phone.locator('#supplement-due').innerText()).trim();
	/* The Chinese way (issue 17): 2027年1月6日. */
	if (!/^\d{4}年\d{1,2}月\d{1,2}日$/.test(due))
		fail(`phone: the supplement due date reads "${due}"`);

	/* Follow the item to section 二. */
	await go(phone, phone.locator('.supplement-items a', { hasText: '概况' }));
	await see(phone, 'phone: section 二', { heading: '二、概况', shot: '15-phone-form' });
	await fill(phone, { history: '2015年成立，2016年开始从事信息安全服务，2020年设立安全工程部，2023年员工增至30人。' });
	await go(phone, 'button[name=save]');
	await see(phone, 'phone: section 二 saved', { text: '已保存' });
	/* The widest section, with the roster, must fit as well. */
	await phone.goto(`/cases/${id}/form/s4`);
	await see(phone, 'phone: section 四', { heading: '四、人员情况' });

	/* Follow the second item to the org chart; replace the file (the
	 * upload script with its progress bar runs here). */
	await phone.goto(`/cases/${id}`);
	await go(phone, phone.locator('.supplement-items a', { hasText: '组织机构图' }));
	await see(phone, 'phone: materials', { heading: '上传材料' });
	const replace = phone.locator('form.inline-upload:has(input[name=kind][value=org_chart])').first();
	await replace.locator('input[type=file]').setInputFiles(pdf('组织机构图（清晰版）.pdf'));
	await go(phone, replace.locator('button[type=submit]'));
	await see(phone, 'phone: org chart replaced', { heading: '上传材料',
	    text: ['组织机构图（清晰版）.pdf', '已上传 1 个文件。'] });
	/* Back at the slot, with the focus there, not at the top. */
	const at = await phone.evaluate(() => ({ hash: location.hash,
	    focus: document.activeElement && document.activeElement.id }));
	if (at.hash !== '#m-org_chart--1' || at.focus !== 'm-org_chart--1')
		fail(`phone: after the upload the page is at ${at.hash}, the focus on #${at.focus}`);

	/* Submit the supplement from the check page. */
	await phone.goto(`/cases/${id}/check`);
	await see(phone, 'phone: check page, supplement', { heading: '逐项检查补正材料',
	    text: '申请书各节和必需材料均已完成' });
	await phone.check('#confirm');
	await go(phone, 'button:has-text("提交补正材料")');
	await see(phone, 'phone: supplement submitted', { at: { '#status': '受理审查中' },
	    text: ['提交补正材料', '补正材料已提交'], not: '申请已正式提交', shot: '16-phone-case-answered' });
	if (await statusWord(phone) !== '受理审查中')
		fail('phone: after the supplement the status is not 受理审查中');
	state.phone = phone;
}

module.exports = { supplement, LEAD };
