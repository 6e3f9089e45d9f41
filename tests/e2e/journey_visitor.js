'use strict';
/*
 * Journey 4: a visitor, not logged in, checks a certificate on the public
 * page: a mistyped number first (not found, and what to do), then the
 * right one: 有效, with the holder's name; the same on a phone.
 */
const { person, go, see, fail } = require('./lib');
const { ORG } = require('./data');

async function verify(page, no) {
	await page.fill('#no', no);
	await go(page, 'form[action="/verify"] button[type=submit]');
}

async function visitor(browser, state) {
	const no = state.certNo;
	const v = await person(browser, '公众');
	await v.goto('/verify');
	await see(v, 'verify page', { heading: '证书查验' });
	const wrong = no.replace(/\d$/, (c) => String((+c + 1) % 10));
	await verify(v, wrong);
	await see(v, 'verify, unknown number', { heading: '证书查验',
	    at: { '#unknown': `没有找到编号为 ${wrong} 的证书` }, text: '请核对证书上的编号' });
	await verify(v, no);
	await see(v, 'verify, found', { heading: '证书查验结果',
	    at: { '#cert-state': '有效', '#cert-org': ORG, '#cert-no': no },
	    shot: '24-verify', full: true });
	if (await v.locator('a[href$="/pdf"]').count() !== 0)
		fail('verify: a visitor is offered the certificate PDF');
	await v.context().close();

	const p = await person(browser, '公众（手机）', { phone: true });
	await p.goto(`/verify?no=${encodeURIComponent(no)}`);
	await see(p, 'phone: verify, found', { at: { '#cert-state': '有效' }, shot: '25-phone-verify' });
	await p.context().close();
}

module.exports = { visitor };
