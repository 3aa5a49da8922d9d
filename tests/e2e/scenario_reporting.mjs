// scenario_reporting.mjs - one reporting round in the browser, as the people who do it:
// a reporter of the Kenya office answers the 2022 survey in French, trips over a validation
// error, fixes it and submits; the Africa reviewer returns it with a comment; the reporter
// corrects and resubmits; the reviewer compares the revisions and approves; the dashboard and
// the online report show the new figure; an editor publishes the report and the public reads
// it; Arabic pages run right to left. Run by tests/e2e/test_browser.sh, which opens cycle 2022
// for KEN and ROAF and adds the users (password correct-horse-42).
import { launch, step, shot, check, finish, url, ARTIFACTS } from './lib.mjs';

const PASSWORD = 'correct-horse-42';
const SURVEY = '/survey/2022/KEN';
let dialogs = 0; // a script in a narrative must never run

async function signIn(page, name) {
	await page.goto(url('/signin'));
	await page.fill('#name', name);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.click('form.signin button[type=submit]')]);
	const who = await page.textContent('header .who .user');
	check(who && who.includes(name), `signed in as '${who}', expected ${name}`);
}

async function newUser(name) {
	const { page } = await launch();
	page.on('dialog', async (d) => {
		dialogs++;
		await d.dismiss();
	});
	await signIn(page, name);
	return page;
}

async function submitSurvey(page) {
	const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[name=_action][value=submit]')]);
	return resp;
}

// ---- the reporter
const reporter = await step('the reporter (amina, KEN) signs in', () => newUser('amina'), null);

await step('her home page lists the open 2022 survey', async () => {
	check(await reporter.isVisible(`a[href="${SURVEY}"]`), 'no link to the 2022 survey on the home page');
	await shot(reporter, '01-reporter-home');
}, reporter);

await step('she switches the pages to French', async () => {
	await Promise.all([reporter.waitForNavigation(), reporter.click('header .langs a[hreflang=fr]')]);
	await reporter.goto(url(SURVEY));
	const lang = await reporter.evaluate(() => document.documentElement.lang);
	check(lang === 'fr', `the survey page is in '${lang}', expected fr (the choice is remembered)`);
	const label = await reporter.textContent('label[for="q-o_1_1_narrative"]');
	check(/résultat/.test(label), `the narrative question is not in French: '${label}'`);
}, reporter);

await step('a number written the French way is refused next to its field, in French', async () => {
	await reporter.fill('#q-v_1_1_a', '5 200,5');
	const resp = await submitSurvey(reporter);
	check(resp.status() === 422, `status ${resp.status()}, expected 422`);
	const msg = await reporter.textContent('#e-v_1_1_a');
	check(msg.includes('Saisissez un nombre entier'), `error next to the field: '${msg}'`);
	check(await reporter.getAttribute('#q-v_1_1_a', 'aria-invalid') === 'true', 'the field is not marked invalid');
	check(await reporter.inputValue('#q-v_1_1_a') === '5 200,5', 'the typed answer was not kept');
	await shot(reporter, '02-validation-error-fr');
	// The field and its message as the reporter sees them (the full page is long).
	await reporter.locator('#f-v_1_1_a').scrollIntoViewIfNeeded();
	await reporter.screenshot({ path: `${ARTIFACTS}/02b-validation-error-fr-field.png` });
}, reporter);

await step('she corrects it, writes a narrative and submits', async () => {
	await reporter.fill('#q-v_1_1_a', '5200');
	await reporter.fill('#q-o_1_1_narrative',
		"Des kiosques à eau gérés par les habitants <script>alert('x')</script> desservent Kibera.");
	await reporter.selectOption('#q-o_1_1_lang', 'fr');
	const resp = await submitSurvey(reporter);
	check(resp.status() === 200, `status ${resp.status()}`);
	check(reporter.url().includes('done=submitted'), `landed on ${reporter.url()}`);
	check(await reporter.isVisible('.badge-submitted'), 'the survey is not marked submitted');
	await shot(reporter, '03-submitted');
}, reporter);

// ---- the reviewer
const reviewer = await step('the reviewer (rafael, ROAF) signs in', () => newUser('rafael'), null);
let reviewPath = '';

await step('the submission waits in his queue; he returns it with a comment', async () => {
	await reviewer.goto(url('/review'));
	const link = reviewer.locator('table.queue a', { hasText: 'Kenya' }).first();
	reviewPath = await link.getAttribute('href');
	check(/^\/review\/\d+$/.test(reviewPath || ''), `queue link '${reviewPath}'`);
	await Promise.all([reviewer.waitForNavigation(), link.click()]);
	const narrative = await reviewer.textContent('table.diff');
	check(narrative.includes("<script>alert('x')</script>"), 'the narrative is not shown as text');
	await reviewer.fill('#comment', 'Merci de ventiler le total par sexe.');
	await Promise.all([reviewer.waitForNavigation(), reviewer.click('button[name=_action][value=return]')]);
	check(await reviewer.isVisible('.badge-returned'), 'the submission is not marked returned');
	await shot(reviewer, '04-returned');
}, reviewer);

// ---- the reporter again
await step('the reporter sees the comment, corrects and resubmits', async () => {
	await reporter.goto(url(SURVEY));
	const comment = await reporter.textContent('.comment blockquote');
	check(comment.includes('ventiler le total par sexe'), `comment shown: '${comment}'`);
	await reporter.fill('#q-v_1_1_a', '5400');
	await reporter.fill('#q-v_1_1_a__female', '2800');
	await reporter.fill('#q-v_1_1_a__male', '2600');
	await shot(reporter, '05-correcting');
	await submitSurvey(reporter);
	check(await reporter.isVisible('.badge-submitted'), 'the survey is not marked submitted again');
}, reporter);

// ---- the reviewer again
await step('the reviewer compares the two revisions and approves', async () => {
	await reviewer.goto(url(reviewPath));
	const changed = await reviewer.locator('table.diff tr.changed').count();
	check(changed >= 3, `${changed} rows marked changed, expected the total and the two categories`);
	await shot(reviewer, '06-diff');
	await Promise.all([reviewer.waitForNavigation(), reviewer.click('button[name=_action][value=approve]')]);
	check(await reviewer.isVisible('.badge-approved'), 'the submission is not marked approved');
}, reviewer);

await step('the dashboard shows the approved figure', async () => {
	await reviewer.goto(url('/results/2022?lang=en'));
	const row = await reviewer.textContent('tr[id="i-1.1.a"]');
	check(row.includes('5,400'), `indicator 1.1.a row: '${row.replace(/\s+/g, ' ')}'`);
	check(await reviewer.locator('figure.chart svg').count() >= 2, 'no charts on the dashboard');
	await shot(reviewer, '07-dashboard');
	await reviewer.goto(url('/results/2022/1.1.a'));
	const sources = await reviewer.textContent('table.sources');
	check(sources.includes('5,400') && sources.includes('Kenya'), `sources: '${sources.replace(/\s+/g, ' ')}'`);
}, reviewer);

await step('the online report (a draft) shows it to signed-in users', async () => {
	const resp = await reviewer.goto(url('/reports/2022/annual?lang=en'));
	check(resp.status() === 200, `status ${resp.status()}`);
	const text = await reviewer.textContent('main');
	check(text.includes('5,400'), 'the annual report does not show 5,400');
	await shot(reviewer, '08-report-draft');
}, reviewer);

// ---- the public and the editor
const visitor = (await launch()).page;
await step('the public does not see the unpublished report', async () => {
	const resp = await visitor.goto(url('/reports/2022/annual'));
	check(resp.status() === 404, `status ${resp.status()}, expected 404`);
}, visitor);

const editor = await step('an editor signs in and publishes the annual report', async () => {
	const page = await newUser('editor');
	await page.goto(url('/reports'));
	await Promise.all([page.waitForNavigation(),
		page.click('#annual-2022 button[name=_action][value=publish]')]);
	check(await page.isVisible('#annual-2022 .badge-published'), 'the report is not marked published');
	return page;
}, null);

await step('the public reads the published report and downloads its PDF', async () => {
	const resp = await visitor.goto(url('/reports/2022/annual?lang=en'));
	check(resp.status() === 200, `status ${resp.status()}`);
	check((await visitor.textContent('main')).includes('5,400'), 'the published report does not show 5,400');
	const pdf = await visitor.request.get(url('/reports/2022/annual/annual.fr.pdf'));
	check(pdf.status() === 200, `PDF status ${pdf.status()}`);
	const head = (await pdf.body()).subarray(0, 5).toString();
	check(head === '%PDF-', `PDF starts '${head}'`);
}, visitor);

await step('Arabic pages run right to left', async () => {
	await editor.goto(url('/results/2022?lang=ar'));
	const dir = await editor.evaluate(() => document.documentElement.dir);
	check(dir === 'rtl', `dashboard dir '${dir}'`);
	await shot(editor, '09-dashboard-ar');
	await visitor.goto(url('/reports/2022/annual?lang=ar'));
	const rdir = await visitor.evaluate(() => document.documentElement.dir);
	check(rdir === 'rtl', `report dir '${rdir}'`);
	await shot(visitor, '10-report-ar');
}, editor);

await step('no script from a narrative ever ran', async () => {
	check(dialogs === 0, `${dialogs} alert dialog(s) opened`);
}, visitor);

await finish();
