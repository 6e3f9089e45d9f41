'use strict';
/*
 * Journey 6: the pages of the staff's own accounts and of the centre's
 * administration, at both widths like every other page (issue 17):
 *
 *   - the supervisor enrols in two-step verification (TOTP, RFC 6238): the
 *     enrolment page with its QR code, a wrong code answered at the field,
 *     the right one (computed here from the secret shown, as an
 *     authenticator app would) gives the recovery codes; logging in again
 *     asks for a code, and a recovery code lets the supervisor in;
 *   - the lead's dashboard and its case list, whose table scrolls by
 *     keyboard and does not squeeze to one character per column;
 *   - an administrator reads the outbox and a message in it: its
 *     Message-ID wraps at 390 px.
 */
const crypto = require('crypto');
const { person, login, go, see, fail } = require('./lib');

/* RFC 4648 base32 to bytes. */
function base32(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, value = 0;
	const out = [];
	for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
		const i = abc.indexOf(ch);
		if (i < 0)
			fail(`TOTP secret: "${ch}" is not base32`);
		value = (value << 5) | i;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/* The 6-digit TOTP code of secret now (30 s steps, HMAC-SHA1). */
function totp(secret) {
	const step = Math.floor(Date.now() / 1000 / 30);
	const msg = Buffer.alloc(8);
	msg.writeUInt32BE(Math.floor(step / 0x100000000), 0);
	msg.writeUInt32BE(step >>> 0, 4);
	const h = crypto.createHmac('sha1', base32(secret)).update(msg).digest();
	const o = h[h.length - 1] & 0xf;
	const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
	return String(n % 1000000).padStart(6, '0');
}

async function staff(browser) {
	/* Two-step verification. */
	const sup = await person(browser, '监督人员（两步验证）');
	await login(sup, 'supervisor@e2e.example');
	await sup.goto('/account/2fa');
	await see(sup, '2fa: enrolment', { heading: '两步验证', text: '扫描下面的二维码',
	    shot: '30-totp-enrol' });
	const secret = (await sup.locator('#totp-secret').innerText()).trim();
	await sup.fill('#code', '000000');
	await go(sup, 'main button:has-text("启用两步验证")');
	await see(sup, '2fa: a wrong code', { heading: '两步验证' });
	if (await sup.locator('#code[aria-invalid="true"]').count() !== 1 ||
	    await sup.locator('#code-error').count() !== 1)
		fail('2fa: a wrong code is not answered at the field');
	await sup.fill('#code', totp(secret));
	await go(sup, 'main button:has-text("启用两步验证")');
	await see(sup, '2fa: enabled', { text: ['两步验证已启用', '恢复码只显示这一次'] });
	const codes = await sup.locator('.recovery-codes code').allInnerTexts();
	if (codes.length === 0)
		fail('2fa: no recovery codes shown');
	await go(sup, 'header button:has-text("退出登录")');
	await sup.goto('/login');
	await sup.fill('#email', 'supervisor@e2e.example');
	await sup.fill('#password', process.env.ZIZHI_STAFF_PASSWORD);
	await go(sup, 'main button[type=submit]');
	await see(sup, '2fa: the code at login', { heading: '两步验证', text: '密码正确' });
	await sup.fill('#code', codes[0].trim());
	await go(sup, 'main button:has-text("验证并登录")');
	if (new URL(sup.url()).pathname.startsWith('/login'))
		fail(`2fa: the recovery code did not log in: ${sup.url()}`);
	await see(sup, '2fa: logged in with a recovery code', {});
	await sup.context().close();

	/* The lead's dashboard and case list. */
	const lead = await person(browser, '项目负责人（统计）');
	await login(lead, 'lead@e2e.example');
	await lead.goto('/dashboard');
	await see(lead, 'dashboard', {});
	await lead.goto('/dashboard/cases');
	await see(lead, 'dashboard, cases', {});
	await lead.context().close();

	/* The administrator's outbox. */
	const admin = await person(browser, '系统管理员');
	await login(admin, 'admin@e2e.example');
	await go(admin, 'header a[href="/admin/outbox"]');
	await see(admin, 'outbox', { heading: '邮件发件箱' });
	const msg = admin.locator('main a[href^="/admin/outbox/"]').first();
	if (await msg.count() === 0)
		fail('outbox: no message listed');
	await go(admin, msg);
	await see(admin, 'outbox, a message', { shot: '31-outbox-message' });
	await admin.context().close();
}

module.exports = { staff };
