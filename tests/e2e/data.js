'use strict';
/* data.js: what the applicant types, valid for today (China time), and
 * the files it uploads. */

function today() {
	const t = new Date(Date.now() + 8 * 3600 * 1000);
	return {
		y: t.getUTCFullYear(),
		iso: t.toISOString().slice(0, 10),
	};
}

function dates() {
	const { y, iso } = today();
	return {
		today: iso,
		y1: String(y - 3), y2: String(y - 2), y3: String(y - 1),
		future: `${y + 1}-06-30`,
		past: `${y - 2}-03-01`,
		older: `${y - 2}-01-10`,
		recent: `${y - 1}-01-05`,
	};
}

/* The check character of a unified social credit code (GB 32100-2015). */
function uscc(base17) {
	const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
	const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
	let s = 0;
	for (let i = 0; i < 17; i++)
		s += chars.indexOf(base17[i]) * w[i];
	return base17 + chars[(31 - (s % 31)) % 31];
}

const ORG = '北京长城信安科技有限公司';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n' +
    'trailer\n<< /Root 1 0 R >>\n%%EOF\n');

function pdf(name) {
	return { name, mimeType: 'application/pdf', buffer: PDF };
}

module.exports = { dates, uscc, ORG, pdf, today };
