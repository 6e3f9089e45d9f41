'use strict';
/* form.js: filling the 申请书's fields as a person would: text typed,
 * options chosen, boxes ticked; by the ids the pages give them. */

async function setField(page, id, value) {
	const el = page.locator(`[id="${id}"]`);
	if (await el.count() === 0)
		throw new Error(`no field #${id} on ${page.url()}`);
	const kind = await el.evaluate((e) => e.tagName + ':' + (e.getAttribute('type') || ''));
	if (kind.startsWith('FIELDSET'))	/* radio buttons: #id-code */
		await page.check(`[id="${id}-${value}"]`);
	else if (kind.startsWith('SELECT'))
		await el.selectOption(value);
	else if (kind === 'INPUT:checkbox')
		await (value ? el.check() : el.uncheck());
	else
		await el.fill(value);
}

/*
 * Many fields at once, in one round trip to the page: what a person types
 * and picks, with the input and change events the browser would send. A
 * field that is missing, disabled or read-only is an error.
 */
async function fill(page, values) {
	const bad = await page.evaluate((vals) => {
		const out = [];
		const ev = (el) => {
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));
		};
		for (const [id, v] of Object.entries(vals)) {
			let el = document.getElementById(id);
			if (el && el.tagName === 'FIELDSET')
				el = document.getElementById(`${id}-${v}`);
			if (!el) {
				out.push(`#${id} is not on the page`);
				continue;
			}
			if (el.disabled || el.readOnly) {
				out.push(`#${id} cannot be changed`);
				continue;
			}
			if (el.type === 'radio' || el.type === 'checkbox') {
				el.checked = el.type === 'radio' ? true : !!v;
			} else if (el.tagName === 'SELECT') {
				if (!Array.from(el.options).some((o) => o.value === v)) {
					out.push(`#${id} has no option ${v}`);
					continue;
				}
				el.value = v;
			} else {
				el.value = v;
			}
			ev(el);
		}
		return out;
	}, values);
	if (bad.length)
		throw new Error(`filling the form on ${page.url()}: ${bad.join('; ')}`);
}

/* The section the applicant fills, by id, with row groups expanded. */
function sections(d, uscc) {
	const fin = {};
	[d.y1, d.y2, d.y3].forEach((y, i) => Object.assign(fin, {
		[`fin_year-${i}`]: y,
		[`fin_total_assets-${i}`]: i === 2 ? '5,000,000' : '4000000',
		[`fin_net_assets-${i}`]: '3000000',
		[`fin_revenue-${i}`]: '8000000',
		[`fin_sec_revenue-${i}`]: '6000000',
		[`fin_profit-${i}`]: i === 0 ? '-200,000' : '500000',
		[`fin_tax-${i}`]: '300000',
	}));
	const roster = {};
	const names = ['赵敏', '钱程', '孙磊', '李娜', '周杰', '吴昊'];
	names.forEach((n, i) => Object.assign(roster, {
		[`st_name-${i}`]: n,
		[`st_edu-${i}`]: 'bachelor',
		[`st_title-${i}`]: 'middle',
		[`st_post-${i}`]: '安全工程师',
		[`st_start-${i}`]: '2019-07-01',
		[`st_fulltime-${i}`]: 'yes',
		[`st_cisp_no-${i}`]: `CISP-2020-00${i + 1}`,
		[`st_cisp_type-${i}`]: 'cise',
		[`st_cisp_expiry-${i}`]: d.future,
	}));
	const pa = (from, to) => {
		const o = {};
		for (let i = from; i <= to; i++)
			o[`pa${String(i).padStart(2, '0')}`] =
			    '已建立相应制度，按计划执行，由质量部验证并跟踪纠偏，记录完整。';
		return o;
	};
	return {
		s1: {
			org_name: '北京长城信安科技有限公司',
			uscc: uscc('91110108MA01C2XK3'),
			legal_rep: '张三', org_nature: 'limited',
			/* As people write it: in 万, and a website without
			 * http://; the form shows what it understood. */
			reg_capital: '1,000万', website: 'www.changcheng.example',
			founded: '2015-06-01',
			biz_start: '2016-01-15',
			reg_address: '北京市海淀区中关村大街1号',
			office_address: '北京市海淀区中关村大街1号5层',
			postcode: '100085', contact_name: '李四',
			contact_phone: '010-62345678', contact_mobile: '13800138000',
			contact_email: 'lisi@example.com', app_type: 'initial',
			l1_cert_no: 'CNITSEC2023SE1001', l1_cert_expiry: d.future,
		},
		s2: {
			profile: '本单位专注于信息安全工程服务，现有员工30人。',
			history: '2015年成立，2016年开始从事信息安全服务。',
			management: '设有质量部，通过 ISO 9001 和 ISO/IEC 27001 认证。',
		},
		s3: fin,
		s4a: {
			staff_total: '30', staff_eng: '20', staff_cisp: '6',
			edu_doctor: '1', edu_master: '5', edu_bachelor: '20',
			edu_college: '3', edu_other: '1',
			title_senior: '3', title_middle: '10', title_junior: '12',
			title_none: '5',
			key_legal_name: '张三', key_legal_title: '高级工程师',
			key_tech_name: '王五', key_tech_title: '高级工程师',
			key_tech_phone: '010-62345679',
			key_finance_name: '刘六', key_finance_title: '会计师',
			key_quality_name: '陈七', key_quality_title: '高级工程师',
		},
		roster,
		s5: { tools: '漏洞扫描器、渗透测试平台（自研，v3.2）、隔离测试网络。' },
		s6: pa(1, 11),
		s7: pa(12, 22),
		s8: {
			'proj_name-0': '某市政务云安全工程', 'proj_client-0': '某市大数据局',
			'proj_value-0': '1,500,000', 'proj_start-0': d.older,
			'proj_end-0': d.past, 'proj_content-0': '安全需求分析、安全设计与实施',
			'proj_manager-0': '李四', 'proj_accept-0': 'accepted',
			'proj_complete-0': 'yes',
			'proj_name-1': '某银行核心系统安全加固', 'proj_client-1': '某商业银行',
			'proj_value-1': '800000', 'proj_start-1': d.past,
			'proj_end-1': d.recent, 'proj_content-1': '安全评估与加固',
			'proj_manager-1': '李四', 'proj_accept-1': 'accepted',
			'proj_complete-1': 'no',
		},
		s10: { plan: '三年内将安全工程团队扩大到50人，建设攻防实验室。' },
		s11: { other_notes: '无其他需要说明的情况。' },
		decl: { decl_accept: true, decl_lawful: true, signer: '张三', sign_date: d.recent },
	};
}

module.exports = { fill, setField, sections };
