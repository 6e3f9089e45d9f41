'use strict';
/*
 * Journey 3, from 受理 to 发证, each person by the 待办 buttons of the case
 * page: the lead sees what changed in round 2 and accepts, sends the
 * agreement (its fee in Chinese capitals, where to pay, a PDF); the
 * applicant accepts it and pays in two transfers: the lead records the
 * first (the case still waits, the rest owed shown to both), then the
 * second, which opens 评估; the lead plans the assessment with its team and
 * starts it (the plan is a notice to the applicant); the lead asks the
 * applicant for documents and the applicant answers with a file, the
 * clock paused meanwhile; the assessor records an activity with a file
 * and concludes; the lead forms the expert panel from the to-do list; the
 * expert, from the queue, declares no conflict of interest and fails the
 * case; the applicant appeals, a supervisor upholds the appeal and
 * reopens the case at 专家评审; the expert passes it; one certificate clerk
 * puts it in a batch, another approves: 已发证, with the 发证 notice on the
 * applicant's case page.
 */
const { person, login, go, see, statusWord, fail } = require('./lib');
const { fill } = require('./form');
const { pdf, dates } = require('./data');

/* The case page of page's person; then its 待办 button labelled label. */
async function todo(page, id, label) {
	await page.goto(`/cases/${id}`);
	const b = page.locator('.actions-panel a.button', { hasText: label });
	if (await b.count() === 0)
		fail(`${page.who}: no 待办 "${label}" on the case page; it says: ${(await page.locator('main').innerText()).slice(0, 400)}`);
	await go(page, b.first());
}

async function expectStatus(page, step, want) {
	const s = await statusWord(page);
	if (s !== want)
		fail(`${step} (${page.who}): the status is ${s}, want ${want}`);
}

async function project(browser, state) {
	const id = state.caseId, no = state.caseNo;
	const lead = state.lead;
	const d = dates();

	/* 受理: the lead sees round 2's changes. */
	await todo(lead, id, '受理');
	await see(lead, 'review, round 2', { heading: '受理审查',
	    text: ['与第 1 轮相比的变化', '2020年设立安全工程部', '第 2 轮'],
	    shot: '17-review-round2' });
	/* 受理 waits for the start condition (§3.1): first the centre's
	 * supplementary requirement, which the lead finds not met. */
	await go(lead, 'button:has-text("受理（发出受理通知书）")');
	await see(lead, 'accept: requirement first', { text: '请先核对补充要求「近三年无重大违法违规记录」' });
	await lead.check('#requirements input[type=radio][value="0"]');
	await lead.fill('#requirements textarea', '国家企业信用信息公示系统：2025 年因合同备案逾期受行政处罚一次，已整改。');
	await go(lead, 'button:has-text("保存核对结果")');
	/* Not met: a failed 基本资格 check; without a reason, refused. */
	await go(lead, 'button:has-text("受理（发出受理通知书）")');
	await see(lead, 'accept: basic qualification fails', {
	    text: ['基本资格不符合：补充要求「近三年无重大违法违规记录」', '破格受理的理由'] });
	await fill(lead, { 'override-reason': '处罚情节轻微且已整改，经处务会研究同意受理。' });
	/* With the reason: the paper original is still missing. */
	await go(lead, 'button:has-text("受理（发出受理通知书）")');
	await see(lead, 'accept: paper missing', { text: '尚未登记收到第 2 轮申请书的纸质原件' });
	if (await lead.inputValue('#override-reason') !== '处罚情节轻微且已整改，经处务会研究同意受理。')
		fail('accept: the reason typed was not kept');
	/* The parcel arrives: the lead records it (the refusal opened the
	 * form). */
	if (!await lead.locator('#receipt').evaluate((e) => e.open))
		fail('accept: the refusal for the paper did not open the receipt form');
	await fill(lead, { courier: '顺丰速运', waybill: 'SF1029384756', received_on: d.today });
	await lead.check('input[name=paper][value="1"]');
	await lead.check('input[name=cd][value="1"]');
	await lead.check('input[name=consistent][value="1"]');
	await go(lead, 'button:has-text("登记签收")');
	await see(lead, 'paper received', { at: { '#paper-state': '已收到与第 2 轮电子版一致的纸质申请书',
	    '#receipts': 'SF1029384756' }, shot: '17b-review-paper' });
	await fill(lead, { 'override-reason': '处罚情节轻微且已整改，经处务会研究同意受理。' });
	await go(lead, 'button:has-text("受理（发出受理通知书）")');
	/* 受理 cannot be undone: a page asks first (no script needed). */
	await see(lead, 'accept, confirm', { heading: '确认受理', text: '不能撤销' });
	await go(lead, 'button:has-text("确认受理，发出受理通知书")');
	await lead.goto(`/cases/${id}`);
	await see(lead, 'accepted', { at: { '#status': '已受理', '#overrides': '处罚情节轻微且已整改' },
	    text: ['受理通知书', '受理（破格：基本资格不符合'] });

	/* The agreement: sent by the lead, accepted by the applicant. */
	await todo(lead, id, '发送委托协议');
	await see(lead, 'agreement, to send', { heading: '委托协议',
	    text: ['委托测评费用', '计费依据', '收款单位', '账号'], at: { '#fee-capital': '元整' } });
	const fee = (await lead.locator('#fee-total').innerText()).trim();
	if (!/^[\d,]+\.\d\d 元$/.test(fee))
		fail(`agreement: the fee reads "${fee}"`);
	await go(lead, 'button:has-text("发送委托协议")');
	await lead.goto(`/cases/${id}`);
	await expectStatus(lead, 'agreement sent', '委托协议已发送');

	const app = await person(browser, '申请单位', { applicant: true });
	await login(app, state.applicant.email, state.applicant.password);
	state.app = app;
	await todo(app, id, '确认委托协议');
	await see(app, 'agreement, applicant', { heading: '委托协议',
	    text: ['等待申请单位确认', fee], shot: '18-agreement' });
	await app.check('#confirm');
	await go(app, 'button:has-text("确认委托协议")');
	await app.goto(`/cases/${id}`);
	await see(app, 'agreement accepted', { at: { '#status': '待缴费', '#payment-state': '尚未登记缴费' },
	    text: ['委托协议已生效', '缴费通知'] });
	const agreementPdf = await app.request.get(`/cases/${id}/agreement/pdf`);
	if (agreementPdf.status() !== 200 || !(await agreementPdf.body()).subarray(0, 5).equals(Buffer.from('%PDF-')))
		fail(`agreement PDF: status ${agreementPdf.status()}, not a PDF`);

	/* The payment in two transfers: the fee less 9,000, then 9,000. */
	const money = (n) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
	const total = Number(fee.replace(/[^\d.]/g, ''));
	await todo(lead, id, '登记缴费');
	await see(lead, 'payment page', { heading: '缴费', text: ['应缴费用', '尚未登记缴费', '收款单位'] });
	await fill(lead, { amount: money(total - 9000), paid_on: d.today, reference: 'ICBC-20261127-0042' });
	await go(lead, 'button:has-text("登记缴费")');
	await see(lead, 'first payment recorded', { heading: '缴费',
	    text: ['ICBC-20261127-0042', '尚欠 9,000.00 元'], at: { '#owed-total': '9,000.00' } });
	await lead.goto(`/cases/${id}`);
	await expectStatus(lead, 'paid in part', '待缴费');
	if (await lead.locator('.actions-panel a.button', { hasText: '开始评估' }).count() !== 0)
		fail('paid in part: 评估 is open before the second payment');
	await app.goto(`/cases/${id}`);
	await see(app, 'paid in part, applicant', { at: { '#status': '待缴费', '#payment-state': '尚欠 9,000.00 元' } });

	await todo(lead, id, '登记缴费');
	await fill(lead, { amount: '9,000.00', paid_on: d.today, reference: 'ICBC-20261127-0043' });
	await go(lead, 'button:has-text("登记缴费")');
	await expectStatus(lead, 'paid', '审核计划');
	await lead.goto(`/cases/${id}/payment`);
	await see(lead, 'payments recorded', { text: ['ICBC-20261127-0042', 'ICBC-20261127-0043', '达到应缴费用'],
	    at: { '#owed-total': '0.00' }, shot: '19-payment' });
	await app.goto(`/cases/${id}`);
	await see(app, 'paid, applicant', { at: { '#payment-state': '缴费已足额' } });

	/* The assessment plan and team; start. */
	await todo(lead, id, '开始评估');
	await see(lead, 'assessment, no plan yet', { heading: '评估', text: '尚未制定审核计划' });
	const end = new Date(Date.parse(d.today) + 14 * 86400000).toISOString().slice(0, 10);
	await fill(lead, { start_day: d.today, end_day: end,
	    method: '文档审查：抽查 PA01–PA22 的制度和记录；人员访谈：技术负责人和 3 名工程师；实际操作：复现一次渗透测试。' });
	await lead.check('#team label:has-text("吴评") input');
	await go(lead, 'button:has-text("保存审核计划")');
	await see(lead, 'plan saved', { at: { '#team-list': '吴评' }, text: `${d.today} 至 ${end}` });
	await go(lead, 'button:has-text("开始评估")');
	await see(lead, 'assessment started', { at: { '#status': '评估中' } });

	/* 补充资料: the lead asks, the applicant answers; the clock pauses. */
	await fill(lead, { items: '2025 年度内部审核报告\n质量管理体系认证证书（ISO 9001）',
	    note: '用于核实质量管理体系的运行情况。' });
	await go(lead, 'button:has-text("发出补充资料要求")');
	await see(lead, 'documents asked', { text: ['补充资料要求已发出', '等待申请单位提交', '2025 年度内部审核报告'] });
	await todo(app, id, '提交补充资料');
	await see(app, 'documents page', { heading: '补充资料', text: ['2025 年度内部审核报告', '质量管理体系认证证书'],
	    shot: '20a-documents-asked' });
	await app.goto(`/cases/${id}`);
	await see(app, 'case, documents asked', { at: { '#clock': '当前暂停计时', '#documents': '2025 年度内部审核报告' },
	    text: ['审核计划通知书', '补充资料通知'] });
	await app.goto(`/cases/${id}/documents`);
	await app.locator('#file').setInputFiles(pdf('2025年度内部审核报告.pdf'));
	await fill(app, { answer: '内部审核报告见附件；ISO 9001 证书已在材料中上传。' });
	await go(app, 'button:has-text("提交补充资料")');
	await see(app, 'documents answered', { text: ['补充资料已提交', '2025年度内部审核报告.pdf'] });
	await lead.goto(`/cases/${id}/assessment`);
	await see(lead, 'documents received', { text: ['申请单位已提交', '2025年度内部审核报告.pdf'] });

	/* The assessor records and concludes. */
	const assessor = await person(browser, '评估人员');
	await login(assessor, 'assessor@e2e.example');
	await go(assessor, 'header a[href="/queue"]');
	await see(assessor, 'assessor queue', { heading: '工作队列', text: no });
	await todo(assessor, id, '提交审核结论');
	await assessor.check('#kind-document_review');
	await fill(assessor, { finding: '抽查 PA01、PA12 的制度文件和近一年的执行记录，内容完整，与申请书一致。' });
	await assessor.locator('#file').setInputFiles(pdf('文档审查记录.pdf'));
	await go(assessor, 'button:has-text("保存记录")');
	await see(assessor, 'record saved', { text: ['文档审查', '文档审查记录.pdf'] });
	await assessor.check('#verdict-pass');
	await fill(assessor, { text: '证据充分，过程能力达到二级（计划跟踪级）要求，建议通过。' });
	await see(assessor, 'assessment, before the conclusion', { heading: '评估',
	    shot: '20-assessment', full: true });
	await go(assessor, 'button:has-text("提交审核结论")');
	await assessor.goto(`/cases/${id}`);
	await expectStatus(assessor, 'concluded', '专家评审');

	/* The panel, from the lead's to-do list. */
	await todo(lead, id, '组建专家组');
	await see(lead, 'expert page, no panel', { heading: '专家评审', text: '尚未组建专家组' });
	const opt = await lead.locator('#account_id option', { hasText: '郑专' }).getAttribute('value');
	await lead.selectOption('#account_id', opt);
	await go(lead, 'button:has-text("加入专家组")');
	await see(lead, 'panel', { text: '郑专：尚未声明无利益冲突' });

	/* The expert, from the queue: the declaration first, then the case;
	 * the panel fails it. */
	const expert = await person(browser, '专家');
	await login(expert, 'expert@e2e.example');
	/* Before declaring, the case page is not the expert's to see: the
	 * queue leads to the expert page. */
	await go(expert, 'header a[href="/queue"]');
	await see(expert, 'expert queue', { heading: '工作队列', text: [no, '声明利益冲突'] });
	await go(expert, expert.locator('main table a', { hasText: no }));
	await see(expert, 'declaration', { heading: '利益冲突声明', not: '文档审查记录.pdf',
	    shot: '21-expert-declare' });
	await expert.check('#confirm');
	await go(expert, 'button:has-text("声明并查看案件")');
	await see(expert, 'expert review', { heading: '专家评审', text: ['已声明无利益冲突', '文档审查记录.pdf'] });
	await expert.check('#verdict-fail');
	await fill(expert, { reasons: 'PA11 验证和确认安全的证据不足。' });
	await go(expert, 'button:has-text("提交专家评审结论")');
	await expert.goto(`/cases/${id}`);
	await expectStatus(expert, 'expert failed', '未通过');

	/* The applicant appeals; a supervisor upholds it and reopens the
	 * case at 专家评审. */
	await app.goto(`/cases/${id}`);
	await go(app, 'a.button:has-text("提出申诉")');
	await fill(app, { text: 'PA11 的验证记录已随补充资料提交，专家评审未予考虑，请求复核。' });
	await go(app, 'button:has-text("提交申诉")');
	await see(app, 'appeal filed', { text: ['待办理', 'PA11 的验证记录'] });
	const sup = await person(browser, '监督人员');
	await login(sup, 'supervisor@e2e.example');
	await go(sup, 'header a[href="/appeals"]');
	await go(sup, sup.locator('main a', { hasText: '申诉 #' }).first());
	await see(sup, 'appeal', { heading: '申诉 #', text: ['PA11 的验证记录', '由专家组重新评审'] });
	await sup.check('input[name="upheld"][value="1"]');
	await sup.check('#reopen-expert_review');
	await fill(sup, { conclusion: '经调查，补充资料中的验证记录未经专家组评审，申诉成立，由专家组重新评审。' });
	await go(sup, 'button:has-text("登记结论")');
	await see(sup, 'appeal upheld', { text: ['申诉成立', '案件已从“专家评审”重新办理'], shot: '21a-appeal-upheld' });
	await app.goto(`/cases/${id}`);
	await see(app, 'case reopened', { at: { '#status': '专家评审' }, text: ['申诉结论通知书', '案件已从“专家评审”重新办理'] });

	/* The panel reviews again and passes the case. */
	await todo(expert, id, '评审通过');
	await see(expert, 'expert review again', { heading: '专家评审', text: ['已撤下的结论', 'PA11 验证和确认安全的证据不足'] });
	await expert.check('#verdict-pass');
	await fill(expert, { reasons: '复核补充的验证记录，证据充分，审核结论合理，同意通过。' });
	await go(expert, 'button:has-text("提交专家评审结论")');
	await expert.goto(`/cases/${id}`);
	await expectStatus(expert, 'expert passed', '制证中');

	/* 发证: one clerk batches, another approves. */
	const c1 = await person(browser, '制证人员甲');
	await login(c1, 'cert1@e2e.example');
	/* Certificate staff add the invoice number to a payment later; the
	 * forms of the ledger pass the accessibility checks too. */
	await c1.goto(`/cases/${id}/payment`);
	await see(c1, 'ledger, certificate staff', { heading: '缴费', text: ['登记发票号', '申请冲正'] });
	const entry = (await c1.locator('#entries tr[id^="entry-"]').first().getAttribute('id')).slice('entry-'.length);
	await fill(c1, { [`invoice_no-${entry}`]: '25110000000000000042' });
	await go(c1, c1.locator('button:has-text("登记发票号")').first());
	await see(c1, 'invoice recorded', { at: { '#entries': '25110000000000000042' } });
	await c1.goto('/batches');
	await see(c1, 'batches', { heading: '制证批次', text: [no, '待编批的案件'] });
	await c1.check(`#case-${id}`);
	await go(c1, 'button:has-text("创建批次")');
	await see(c1, 'batch created', { heading: '制证批次 #', at: { '#batch-state': '待批准' },
	    text: '须由另一位制证工作人员批准' });
	const batch = new URL(c1.url()).pathname;

	const c2 = await person(browser, '制证人员乙');
	await login(c2, 'cert2@e2e.example');
	await c2.goto('/batches');
	await go(c2, c2.locator('main a', { hasText: '核对并批准' }).first());
	if (new URL(c2.url()).pathname !== batch)
		fail(`batches: 核对并批准 led to ${c2.url()}, want ${batch}`);
	await go(c2, 'button:has-text("批准发证")');
	await see(c2, 'batch, confirm', { heading: '确认批准发证', text: '不能撤销' });
	await go(c2, 'button:has-text("确认批准并发证")');
	const bt = await see(c2, 'batch approved', { at: { '#batch-state': '已批准' },
	    text: '证书已发出', shot: '22-batch-approved' });
	const certNo = (await c2.locator('main table tbody a[href^="/certificates/"]').first().innerText()).trim();
	if (!certNo)
		fail(`batch approved: no certificate number; the page says ${bt.slice(0, 400)}`);
	state.certNo = certNo;

	/* The applicant: 已发证, the notice. */
	await app.goto(`/cases/${id}`);
	/* The certificate's number and its PDF on the case page; the
	 * notice's verification address a link (issue 17). */
	await see(app, 'issued', { at: { '#status': '已发证', '#clock': '已停止计时',
	    '#cert-no': certNo }, text: ['发证通知书', '已计周期'], shot: '23-case-issued', full: true });
	if (await app.locator('#cert-no a[href$="/pdf"]').count() !== 1)
		fail('issued: no link to the certificate PDF on the case page');
	await go(app, app.locator('ul.notices a', { hasText: '发证通知书' }).first());
	await see(app, 'issuance notice', { heading: '发证通知书', text: certNo });
	if (await app.locator('.notice-doc a[href*="/verify"]').count() === 0)
		fail('issuance notice: the verification address is not a link');

	for (const p of [assessor, expert, sup, c1, c2, lead, state.phone])
		await p.context().close();
}

module.exports = { project };
