'use strict';
/*
 * a11y.js: the accessibility checks run on every page a journey sees.
 * Each returns a list of violations, one line each, naming the element:
 *
 *   - every input, select and textarea (but hidden inputs) has a label:
 *     a <label for>, a wrapping <label>, aria-label or aria-labelledby,
 *     with text in it;
 *   - every image has alt text (alt="" for decoration), and so does every
 *     role="img";
 *   - headings go down one level at a time (h1 → h2 → h3; going back up
 *     is fine), and the page starts with an h1;
 *   - every link of an error summary points to an element that exists,
 *     and that element is a form control or holds one;
 *   - label[for], aria-labelledby and aria-describedby refer to ids that
 *     exist; no id is used twice;
 *   - the page has a title and <html lang>.
 */

function pageChecks() {
	const out = [];
	const name = (el) => {
		let s = el.tagName.toLowerCase();
		if (el.id)
			s += '#' + el.id;
		else if (el.getAttribute('name'))
			s += `[name="${el.getAttribute('name')}"]`;
		if (el.getAttribute('type'))
			s += `[type=${el.getAttribute('type')}]`;
		return s;
	};
	const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
	const byId = (id) => document.getElementById(id);

	if (!document.documentElement.getAttribute('lang'))
		out.push('<html> has no lang attribute');
	if (!document.title.trim())
		out.push('the page has no <title>');

	/* Duplicate ids. */
	const seen = new Map();
	for (const el of document.querySelectorAll('[id]'))
		seen.set(el.id, (seen.get(el.id) || 0) + 1);
	for (const [id, n] of seen)
		if (n > 1)
			out.push(`id "${id}" is used ${n} times`);

	/* Labels of controls. */
	for (const el of document.querySelectorAll('input, select, textarea')) {
		const type = (el.getAttribute('type') || '').toLowerCase();
		if (el.tagName === 'INPUT' && ['hidden', 'submit', 'button', 'reset', 'image'].includes(type))
			continue;
		let ok = false;
		if ((el.getAttribute('aria-label') || '').trim())
			ok = true;
		const lb = el.getAttribute('aria-labelledby');
		if (lb) {
			const ids = lb.split(/\s+/).filter(Boolean);
			const missing = ids.filter((i) => !byId(i));
			if (missing.length)
				out.push(`${name(el)}: aria-labelledby refers to missing id(s) ${missing.join(', ')}`);
			if (ids.map((i) => text(byId(i))).join('').trim())
				ok = true;
		}
		for (const l of el.labels || [])
			if (text(l))
				ok = true;
		if (!ok)
			out.push(`${name(el)} has no label (label[for], a wrapping label, aria-label or aria-labelledby)`);
	}
	for (const l of document.querySelectorAll('label[for]'))
		if (!byId(l.getAttribute('for')))
			out.push(`label "${text(l).slice(0, 40)}": for="${l.getAttribute('for')}" refers to no element`);
	for (const el of document.querySelectorAll('[aria-describedby]'))
		for (const i of el.getAttribute('aria-describedby').split(/\s+/).filter(Boolean))
			if (!byId(i))
				out.push(`${name(el)}: aria-describedby refers to missing id ${i}`);

	/* Images. */
	for (const img of document.querySelectorAll('img'))
		if (!img.hasAttribute('alt'))
			out.push(`img[src="${img.getAttribute('src')}"] has no alt`);
	for (const el of document.querySelectorAll('[role=img]'))
		if (!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') ||
		    (el.querySelector('title') && text(el.querySelector('title')))))
			out.push(`${name(el)} (role=img) has no accessible name`);
	for (const el of document.querySelectorAll('input[type=image]'))
		if (!el.getAttribute('alt'))
			out.push(`${name(el)} has no alt`);

	/* Headings in order. */
	const hs = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'));
	if (hs.length && hs[0].tagName !== 'H1')
		out.push(`the first heading is <${hs[0].tagName.toLowerCase()}> "${text(hs[0]).slice(0, 40)}", not <h1>`);
	for (let i = 1; i < hs.length; i++) {
		const a = +hs[i - 1].tagName[1], b = +hs[i].tagName[1];
		if (b > a + 1)
			out.push(`heading level skipped: <h${a}> "${text(hs[i - 1]).slice(0, 30)}" then <h${b}> "${text(hs[i]).slice(0, 30)}"`);
	}
	for (const h of hs)
		if (!text(h))
			out.push(`<${h.tagName.toLowerCase()}> is empty`);

	/* Error summaries link to their fields. */
	for (const a of document.querySelectorAll('.error-summary a[href^="#"]')) {
		const id = decodeURIComponent(a.getAttribute('href').slice(1));
		const t = byId(id);
		if (!t)
			out.push(`error summary link "${text(a).slice(0, 50)}" points to #${id}, which does not exist`);
		else if (!t.matches('input, select, textarea, button') &&
		    !t.querySelector('input:not([type=hidden]), select, textarea'))
			out.push(`error summary link "${text(a).slice(0, 50)}" points to #${id}, which is not a form control and holds none`);
	}
	return out;
}

async function a11yViolations(page) {
	return page.evaluate(pageChecks);
}

/*
 * axe-core (npm, pinned in package.json) on the page as it is: every
 * violation of its wcag2a, wcag2aa, wcag21a and wcag21aa rules, one line
 * each with the rule, its help text and the elements (by selector). The
 * script is evaluated in the page through the DevTools protocol, which the
 * page's Content-Security-Policy does not restrict.
 */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let axeSource = null;

async function axeViolations(page) {
	/* A person without JavaScript: axe needs timers, which a page with
	 * scripts off never fires. The same HTML (its scripts taken out, as
	 * they never ran) is checked in a twin tab with scripts on, at the
	 * same address and width, so the same stylesheet applies. */
	if (page.js === false) {
		const url = page.url();
		const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
		const ctx = await page.context().browser().newContext({
			viewport: page.viewportSize(), locale: 'zh-CN' });
		try {
			const twin = await ctx.newPage();
			const doc = url.split('#')[0];
			await twin.route((u) => u.href === doc, (r) => r.fulfill({
			    status: 200, contentType: 'text/html; charset=utf-8', body: html }));
			await twin.goto(url);
			return await runAxe(twin);
		} finally {
			await ctx.close();
		}
	}
	return runAxe(page);
}

async function runAxe(page) {
	if (axeSource === null)
		axeSource = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	if (!await page.evaluate(() => typeof window.axe === 'object'))
		await page.evaluate(axeSource);
	const r = await page.evaluate((tags) => window.axe.run(document,
	    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
	return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` +
	    v.nodes.slice(0, 5).map((n) => n.target.join(' ') +
	    (n.any[0] && n.any[0].message ? ` [${n.any[0].message}]` : '')).join('; ') +
	    (v.nodes.length > 5 ? `; and ${v.nodes.length - 5} more` : ''));
}

module.exports = { a11yViolations, axeViolations, pageChecks, AXE_TAGS };
