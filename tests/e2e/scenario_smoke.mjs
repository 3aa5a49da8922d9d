// scenario_smoke.mjs - the browser reaches rbm serve: health, the API, the home page, Arabic
// right to left. Run by tests/e2e/test_browser.sh (RBM_BASE, RBM_E2E_ARTIFACTS set there).
import { launch, step, shot, check, finish, url } from './lib.mjs';

const { page } = await step('Chromium starts headless', () => launch());

await step('/healthz says ok', async () => {
	const r = await page.goto(url('/healthz'));
	check(r, 'no response');
	check(r.status() === 200, `status ${r.status()}`);
	const body = (await r.text()).trim();
	check(body === 'ok', `body '${body.slice(0, 80)}'`);
});

await step('/api/v1/version is JSON naming the version', async () => {
	const r = await page.goto(url('/api/v1/version'));
	check(r && r.status() === 200, `status ${r && r.status()}`);
	const v = JSON.parse(await r.text());
	check(/^\d+\.\d+\.\d+/.test(v.version), `version '${v.version}'`);
});

await step('the home page answers (status below 500)', async () => {
	const r = await page.goto(url('/'));
	check(r, 'no response');
	check(r.status() < 500, `status ${r.status()}`);
	await shot(page, 'home');
});

await step('Arabic is right to left (the home page, else the 404 page)', async () => {
	let r = await page.goto(url('/?lang=ar'));
	check(r && r.status() < 500, `/?lang=ar: status ${r && r.status()}`);
	let dir = await page.evaluate(() => document.documentElement.dir);
	await shot(page, 'home-ar');
	if (dir === 'rtl') return;
	r = await page.goto(url('/no-such-page?lang=ar'));
	check(r && r.status() === 404, `/no-such-page?lang=ar: status ${r && r.status()}, expected 404`);
	const html = await page.evaluate(() => ({ dir: document.documentElement.dir, lang: document.documentElement.lang }));
	await shot(page, 'not-found-ar');
	check(html.dir === 'rtl' && html.lang === 'ar',
		`/?lang=ar has dir='${dir}'; /no-such-page?lang=ar has dir='${html.dir}' lang='${html.lang}'`);
});

await finish();
