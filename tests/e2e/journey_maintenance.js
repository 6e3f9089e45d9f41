'use strict';
/*
 * Journey 5, maintenance that continues a certificate: the operator
 * imports two certificates issued before the system for the applicant's
 * credit code (`zizhi import certificates`), one valid and one suspended;
 * a certificate clerk finds them among the certificates no organisation
 * holds, sees the applicant's submitted 申请书 carries that code, and
 * links both; the applicant starts a maintenance application by choosing
 * a certificate in section 一 (its own issued one and the imported ones
 * are offered): the suspended one is refused next to the field, the
 * valid one is taken; the check page shows the maintenance fee from the
 * register's expiry; a visitor verifies the imported certificate.
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { person, login, go, see, errorAt, fail } = require('./lib');
const { fill, sections } = require('./form');
const { dates, uscc, today, ORG } = require('./data');

/* A day n days from today (China time), YYYY-MM-DD. */
function dayFromNow(n) {
	return new Date(Date.parse(today().iso) + n * 86400000).toISOString().slice(0, 10);
}

async function maintenance(browser, state) {
	const { y } = today();
	const code = uscc('91110108MA01C2XK3');
	const valid = `CNITSEC${y - 2}SE2-0042`, suspended = `CNITSEC${y - 2}SE2-0043`;
	const expires = dayFromNow(400);

	/* The operator's import (run.sh gives the program and the database). */
	const file = path.join(process.env.E2E_TMP, 'certificates.csv');
	fs.writeFileSync(file, 'number,org_name,uscc,issued_on,expires_on,status\n' +
	    `${valid},${ORG},${code},${dayFromNow(400 - 3 * 365)},${expires},valid\n` +
	    `${suspended},${ORG},${code},${dayFromNow(401 - 3 * 365)},${expires},suspended\n`);
	const out = execFileSync(process.env.ZIZHI_BIN, ['import', 'certificates',
	    '--db', process.env.ZIZHI_DB, file], { encoding: 'utf8' });
	if (!out.includes('2 new, 0 unchanged'))
		fail(`zizhi import certificates said: ${out}`);

	/* The certificate clerk links them, having compared the names. */
	const clerk = await person(browser, '制证人员甲（关联证书）');
	await login(clerk, 'cert1@e2e.example');
	await go(clerk, 'header a[href="/certificates/unlinked"]');
	await see(clerk, 'unlinked certificates', { heading: '待关联的导入证书',
	    text: [valid, suspended, ORG, '已提交', state.caseNo],
	    shot: '26-cert-unlinked', full: true });
	for (const no of [valid, suspended]) {
		if (!no.endsWith('0042'))
			await clerk.goto('/certificates/unlinked');
		const card = clerk.locator('section.card', { hasText: no });
		await go(clerk, card.locator('button', { hasText: `关联到${ORG}` }).first());
		await see(clerk, `linked ${no}`, { heading: `证书 ${no}`,
		    text: ['证书已关联到持证单位', '本系统启用前颁发', `${ORG}（由`] });
	}
	await clerk.context().close();

	/* The applicant starts a maintenance application from its list of
	 * certificates. */
	const app = await person(browser, '申请单位（维持申请）', { js: false });
	await login(app, state.applicant.email, state.applicant.password);
	await app.goto('/cases');
	/* A second application may start from the last submitted round
	 * (issue 17); this one starts blank. */
	if (await app.locator('main button[name=from_last]').count() !== 1)
		fail('/cases: no 新建申请 from the last submitted round');
	await go(app, 'main button:not([name=from_last]):has-text("新建申请")');
	const m = new URL(app.url()).pathname.match(/^\/cases\/(\d+)\/form\/s1$/);
	if (!m)
		fail(`新建申请 went to ${app.url()}`);
	const offered = await app.locator('#maint_cert_no option').allInnerTexts();
	/* With the certificate journey 3 issued, when it ran. */
	for (const no of [valid, suspended].concat(state.certNo ? [state.certNo] : []))
		if (!offered.some((t) => t.startsWith(no)))
			fail(`section 一: ${no} is not offered; the list: ${offered.join(' | ')}`);
	if (!offered.some((t) => t.startsWith(suspended) && t.includes('暂停中')))
		fail('section 一: the suspended certificate is not marked as such');

	const s1 = { ...sections(dates(), uscc).s1, app_type: 'maintenance' };
	delete s1.l1_cert_no;
	delete s1.l1_cert_expiry;
	await fill(app, { ...s1, maint_cert_no: suspended });
	await go(app, 'button[name=save]');
	await see(app, 'section 一, a suspended certificate', { heading: '一、申请单位基本情况',
	    text: '请修改以下问题后重新提交', shot: '27-maint-suspended' });
	await errorAt(app, 'section 一, a suspended certificate', 'maint_cert_no',
	    '暂停期间不能申请维持');
	await fill(app, { maint_cert_no: valid });
	await go(app, 'button[name=save]');
	await see(app, 'section 一, maintenance of the imported certificate',
	    { text: '已保存', not: '请修改以下问题' });

	/* The check page: the fee from the register's expiry, on time. */
	await app.goto(`/cases/${m[1]}/check`);
	await app.locator('#fee-title').scrollIntoViewIfNeeded();
	await see(app, 'check page, maintenance fee', { heading: '逐项检查',
	    text: ['按期维持申请', '63,000.00 元', `维持的证书 ${valid}`,
	    `有效期至 ${expires}`], shot: '28-maint-fee' });
	await app.context().close();

	/* The public: the imported certificate verifies. */
	const v = await person(browser, '公众（导入证书）');
	await v.goto(`/verify/${valid}`);
	await see(v, 'verify an imported certificate', { heading: '证书查验结果',
	    at: { '#cert-state': '有效', '#cert-org': ORG, '#cert-no': valid } });
	await v.goto(`/verify/${suspended}`);
	await see(v, 'verify the suspended one', { at: { '#cert-state': '暂停' } });
	await v.context().close();
}

module.exports = { maintenance };
