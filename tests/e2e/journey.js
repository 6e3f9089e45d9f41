'use strict';
/*
 * journey.js: the whole journey of one application in a real browser, one
 * person per browser context, as the people do it:
 *
 *   1. an applicant (without JavaScript) registers, fills every section of
 *      the 申请书, meets an invalid value, finds what is missing on the
 *      check page, follows its links to fix each item and upload each
 *      material, submits and sees the receipt;
 *   2. the project lead starts the review and requests a supplement; the
 *      applicant answers it on a phone (with JavaScript), following the
 *      links of the supplement notice;
 *   3. the lead accepts and sends the agreement; the applicant accepts;
 *      the lead records the payment, plans the assessment, asks the
 *      applicant for documents, which it sends; the assessor records and
 *      concludes; the lead forms the panel from the to-do list; the
 *      expert, from the queue, declares and fails the case; the applicant
 *      appeals and a supervisor upholds it, reopening the case at 专家评审;
 *      the expert passes it; one certificate clerk batches it and another
 *      approves: 已发证;
 *   4. a visitor verifies the certificate on the public page;
 *   5. certificates issued before the system are imported for the same
 *      organisation; a certificate clerk links them; the applicant starts
 *      a maintenance application by choosing one (a suspended one is
 *      refused) and sees the fee from the register's expiry;
 *   6. the supervisor enrols in two-step verification and logs in with a
 *      recovery code; the lead reads the dashboard; an administrator reads
 *      the outbox and a message in it.
 *
 * Every page seen is checked for accessibility (a11y.js); every step saves
 * a screenshot named by the step. Environment: ZIZHI_URL, the staff
 * accounts' password in ZIZHI_STAFF_PASSWORD (run.sh creates them),
 * E2E_SHOTS for the screenshots.
 */
const { launch, Failure, soft } = require('./lib');
const { a11ySelftest } = require('./a11y_selftest');
const { applicant } = require('./journey_applicant');
const { supplement } = require('./journey_supplement');
const { project } = require('./journey_project');
const { visitor } = require('./journey_visitor');
const { maintenance } = require('./journey_maintenance');
const { staff } = require('./journey_staff');

async function main() {
	const t0 = Date.now();
	const browser = await launch();
	const steps = [];
	const state = {};
	const run = async (name, fn) => {
		const t = Date.now();
		process.stdout.write(`e2e: ${name} … `);
		await fn(browser, state);
		const s = ((Date.now() - t) / 1000).toFixed(1);
		steps.push(name);
		console.log(`ok (${s} s)`);
	};
	let failed = 0;
	try {
		await run('0. the accessibility checks catch each defect (self-test)', a11ySelftest);
		await run('1. applicant: register, 申请书, check page, materials, submit (no JavaScript)', applicant);
		await run('2. lead: supplement requested; applicant answers on a phone', supplement);
		await run('3. accepted, agreement, payment, assessment (documents asked and sent), panel from the to-do list, failed, appeal upheld and reopened, passed, batch, 已发证', project);
		await run('4. visitor verifies the certificate', visitor);
		await run('5. imported certificates linked; a maintenance application chooses one', maintenance);
		await run('6. staff: two-step verification enrolled and used, the dashboard, the outbox', staff);
	} catch (e) {
		failed = 1;
		console.log('FAILED');
		console.error(e instanceof Failure ? `e2e: ${e.message}` : e);
	} finally {
		await browser.close();
	}
	if (soft.length) {
		console.log(`e2e: ${soft.length} layout findings (E2E_SOFT)`);
		failed = 1;
	}
	const secs = ((Date.now() - t0) / 1000).toFixed(1);
	console.log(`e2e: the journeys took ${secs} s`);
	console.log(`e2e: ${steps.length} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main();
