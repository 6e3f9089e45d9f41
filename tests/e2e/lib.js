'use strict';
/*
 * lib.js: the browser, the people and what they see.
 *
 * Every page a journey looks at goes through see(): it checks the page
 * for accessibility defects (a11y.js), asserts what a person reads there,
 * optionally checks that the page does not scroll sideways (phone width),
 * and saves a screenshot named by the step.
 */
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { a11yViolations, axeViolations } = require('./a11y');

const BASE = process.env.ZIZHI_URL;
const SHOTS = process.env.E2E_SHOTS || path.join(__dirname, 'screenshots');
const STAFF_PASSWORD = process.env.ZIZHI_STAFF_PASSWORD;

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/* No applicant page taller than this at desktop width (the check page,
 * which lists every item of the 申请书 on purpose, excepted). */
const HEIGHT_BUDGET = 6000;

class Failure extends Error {}

function fail(msg) {
	throw new Failure(msg);
}

/* E2E_SOFT=1: the layout checks of see() (axe-core, sideways scroll,
 * height) are printed and counted instead of stopping the journey, to see
 * every finding of one run. The run still fails at the end. */
const soft = [];
function layoutFail(msg) {
	if (!process.env.E2E_SOFT)
		fail(msg);
	soft.push(msg);
	console.log(`\n  SOFT: ${msg}`);
}

async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		/* Playwright adds --headless and a new, empty --user-data-dir. */
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
		    '--disable-component-update', '--no-first-run', '--disable-quic',
		    '--disable-sync'],
	});
}

/* A person: one browser context (own cookies), one tab. */
async function person(browser, who, opts = {}) {
	const ctx = await browser.newContext({
		baseURL: BASE,
		viewport: opts.phone ? PHONE : DESKTOP,
		deviceScaleFactor: 1,
		isMobile: !!opts.phone,
		hasTouch: !!opts.phone,
		javaScriptEnabled: opts.js !== false,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
	});
	ctx.setDefaultTimeout(10000);
	const page = await ctx.newPage();
	page.who = who;
	page.phone = !!opts.phone;
	page.applicant = !!opts.applicant;
	page.js = opts.js !== false;
	page.on('pageerror', (e) => { page.jsErrors = (page.jsErrors || []).concat(String(e)); });
	return page;
}

async function login(page, email, password = STAFF_PASSWORD) {
	await page.goto('/login');
	await page.fill('#email', email);
	await page.fill('#password', password);
	await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
	if (new URL(page.url()).pathname === '/login')
		fail(`${page.who}: login as ${email} failed: ${await mainText(page)}`);
}

async function mainText(page) {
	return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/* Click something that submits or follows a link, and wait for the page
 * that comes back. */
async function go(page, locator) {
	const l = typeof locator === 'string' ? page.locator(locator) : locator;
	const t = Date.now();
	await Promise.all([page.waitForNavigation(), l.click()]);
	trace(`go ${Date.now() - t} ms -> ${page.url()}`);
}

function trace(msg) {
	if (process.env.E2E_TRACE)
		console.log(`  [${new Date().toISOString().slice(11, 23)}] ${msg}`);
}

/* The h1 of the page, text only. */
async function h1(page) {
	const l = page.locator('h1');
	if (await l.count() === 0)
		return '';
	return (await l.first().innerText()).trim();
}

/*
 * What a person sees on the current page:
 *   heading: text the (first) h1 contains
 *   text: strings that must be in <main>
 *   not: strings that must not be
 *   at: { selector: text } the element's text must contain text
 *   shot: screenshot name (without .png); full: a full-page screenshot
 *   tall: the page is exempt from the height budget (the check page)
 *
 * At both widths (1280 and 390 px) every page must pass axe-core's WCAG
 * 2.0/2.1 A and AA rules, must not scroll sideways at 390 px, and an
 * applicant's page must be at most HEIGHT_BUDGET px tall at 1280 px.
 */
async function see(page, step, want = {}) {
	const where = `${step} (${page.who}, ${new URL(page.url()).pathname})`;
	trace(`see ${step}`);
	if (page.jsErrors && page.jsErrors.length)
		fail(`${where}: JavaScript errors: ${page.jsErrors.join('; ')}`);
	const v = await a11yViolations(page);
	if (v.length)
		fail(`${where}: accessibility:\n  - ${v.join('\n  - ')}`);
	if (want.heading !== undefined) {
		const h = await h1(page);
		if (!h.includes(want.heading))
			fail(`${where}: heading is "${h}", want "${want.heading}"`);
	}
	const text = await mainText(page);
	for (const t of [].concat(want.text || []))
		if (!text.includes(t))
			fail(`${where}: "${t}" is not on the page. The page says: ${text.slice(0, 1500)}`);
	for (const t of [].concat(want.not || []))
		if (text.includes(t))
			fail(`${where}: "${t}" should not be on the page`);
	for (const [sel, t] of Object.entries(want.at || {})) {
		const l = page.locator(sel);
		if (await l.count() === 0)
			fail(`${where}: no ${sel} on the page`);
		const s = (await l.first().innerText()).replace(/\s+/g, ' ');
		if (!s.includes(t))
			fail(`${where}: ${sel} says "${s}", want "${t}"`);
	}
	/* Both widths, whichever the person uses: axe-core's WCAG 2.1 A and
	 * AA rules at each, no sideways scroll at phone width, and the
	 * height budget of an applicant's page at desktop width. */
	const own = page.viewportSize();
	for (const vp of page.phone ? [PHONE, DESKTOP] : [DESKTOP, PHONE]) {
		if (vp.width !== page.viewportSize().width)
			await page.setViewportSize(vp);
		const ax = await axeViolations(page);
		if (ax.length)
			layoutFail(`${where}: axe-core at ${vp.width} px:\n  - ${ax.join('\n  - ')}`);
		const w = await page.evaluate(() => ({
			scroll: document.documentElement.scrollWidth,
			inner: window.innerWidth,
			height: document.documentElement.scrollHeight,
		}));
		if (vp === PHONE && w.scroll > w.inner)
			layoutFail(`${where}: the page scrolls sideways at phone width (${w.scroll} > ${w.inner} px)`);
		if (vp === DESKTOP && page.applicant && !want.tall && w.height > HEIGHT_BUDGET)
			layoutFail(`${where}: the page is ${w.height} px tall at ${vp.width} px wide, over the budget of ${HEIGHT_BUDGET} px`);
	}
	if (own.width !== page.viewportSize().width)
		await page.setViewportSize(own);
	if (want.shot)
		await shot(page, want.shot, want.full);
	return text;
}

async function shot(page, name, full) {
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	if (full) {
		/* The whole page, but not endless: at most three screens. */
		const h = await page.evaluate(() => document.documentElement.scrollHeight);
		const vp = page.viewportSize();
		await page.screenshot({ path: file, fullPage: true,
		    clip: { x: 0, y: 0, width: vp.width, height: Math.min(h, vp.height * 3) } });
	} else {
		await page.screenshot({ path: file });
	}
}

/*
 * An error message next to the right field: the control #id is inside a
 * .field.invalid whose .field-error says msg, and the error summary links
 * to #id.
 */
async function errorAt(page, step, id, msg) {
	const where = `${step} (${page.who})`;
	const r = await page.evaluate(([fid]) => {
		const el = document.getElementById(fid);
		if (!el)
			return { missing: true };
		const field = el.closest('.field');
		const err = field && field.querySelector('.field-error');
		const links = Array.from(document.querySelectorAll('.error-summary a'))
		    .filter((a) => a.getAttribute('href') === '#' + fid)
		    .map((a) => a.textContent.trim());
		return {
			invalid: !!(field && field.classList.contains('invalid')),
			error: err ? err.textContent.trim() : null,
			links,
		};
	}, [id]);
	if (r.missing)
		fail(`${where}: no element #${id}`);
	if (!r.invalid || r.error === null)
		fail(`${where}: no error message next to #${id}`);
	if (!r.error.includes(msg))
		fail(`${where}: the error next to #${id} says "${r.error}", want "${msg}"`);
	if (r.links.length === 0)
		fail(`${where}: the error summary does not link to #${id}`);
}

/* The status word of a case page (#status). */
async function statusWord(page) {
	return (await page.locator('#status').innerText()).trim();
}

module.exports = {
	soft, BASE, DESKTOP, PHONE, HEIGHT_BUDGET, Failure, fail, launch, person, login, go, see, shot,
	errorAt, statusWord, mainText, h1,
};
