// lib.mjs - helpers for the browser scenarios (tests/e2e/scenario_*.mjs).
//
// Playwright (playwright-core: it never downloads a browser) drives Debian's /usr/bin/chromium,
// headless. A scenario is a sequence of steps that depend on each other: the first step that
// fails prints "not ok", saves a screenshot and ends the scenario with exit status 1.
//
//   import { launch, step, shot, finish, url } from './lib.mjs';
//   const { page } = await launch();
//   await step('the home page opens', async () => {
//     const r = await page.goto(url('/'));
//     if (r.status() !== 200) throw new Error(`status ${r.status()}`);
//     await shot(page, 'home');
//   });
//   await finish();
//
// Environment (tests/e2e/test_browser.sh sets both):
//   RBM_BASE            the server, e.g. http://127.0.0.1:40123 (no trailing slash needed)
//   RBM_E2E_ARTIFACTS   the folder for screenshots (default build/e2e), created when needed
//   RBM_E2E_HEADED=1    show the browser window (for debugging at a desk; never in tests)

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = (process.env.RBM_BASE || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const ARTIFACTS = process.env.RBM_E2E_ARTIFACTS || 'build/e2e';
export const CHROMIUM = '/usr/bin/chromium';
/** Milliseconds any one action, wait or navigation may take. */
export const TIMEOUT = 15000;

let browser = null;
let current = null; // the page of the last launch(), for screenshots on failure
let count = 0;
let failed = 0;

/** url('/signin') is RBM_BASE + '/signin'. */
export function url(path = '/') {
	return BASE + (path.startsWith('/') ? path : '/' + path);
}

/**
 * Starts Chromium and opens one page. Returns { browser, context, page }.
 * options: passed to browser.newContext() (e.g. { locale: 'fr-FR', viewport: {...} }).
 * Calling it again opens another context (another signed-in user) in the same browser.
 */
export async function launch(options = {}) {
	if (!browser) {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: process.env.RBM_E2E_HEADED !== '1',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
				'--disable-component-update', '--disable-sync', '--no-first-run'],
			timeout: TIMEOUT * 2,
		});
	}
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
	context.setDefaultTimeout(TIMEOUT);
	context.setDefaultNavigationTimeout(TIMEOUT);
	const page = await context.newPage();
	page.on('pageerror', (e) => comment(`page error on ${page.url()}: ${e.message}`));
	current = page;
	return { browser, context, page };
}

/** Prints "# TEXT" lines (TAP comments: tests/run.sh does not count them), at most 20, no colours. */
export function comment(text) {
	const lines = String(text).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
	for (const line of lines.slice(0, 20)) console.log(`# ${line}`);
}

/** Prints "ok N - NAME". */
export function ok(name) {
	count++;
	console.log(`ok ${count} - ${name}`);
}

/** Prints "not ok N - NAME" and the reason as "# " lines; finish() will exit 1. */
export function notOk(name, reason) {
	count++;
	failed++;
	console.log(`not ok ${count} - ${name}`);
	comment(reason);
}

/** 'Sign in: wrong password!' -> 'sign-in-wrong-password'. */
function slug(name) {
	return String(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'page';
}

/** Saves a full-page PNG of page as ARTIFACTS/NAME.png (name made file-safe); returns its path. */
export async function shot(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, `${slug(name)}.png`);
	await page.screenshot({ path, fullPage: true, timeout: TIMEOUT });
	return path;
}

/**
 * Runs one step: "ok N - NAME" when fn resolves, and returns what it returned. When fn throws:
 * "not ok N - NAME" with the error, a screenshot ARTIFACTS/failed-NAME.png of page (default:
 * the page of the last launch()), then the browser is closed and the process exits 1 — the
 * steps after it depend on it, so they are not run (and not reported).
 */
export async function step(name, fn, page = current) {
	try {
		const value = await fn();
		ok(name);
		return value;
	} catch (e) {
		notOk(name, (e && e.message) || String(e));
		if (page && !page.isClosed()) {
			try {
				comment(`screenshot: ${await shot(page, `failed-${name}`)}`);
			} catch (s) {
				comment(`no screenshot: ${s.message.split('\n')[0]}`);
			}
		}
		await finish();
	}
}

/** Throws Error(message) unless cond is truthy: the assertion for steps. */
export function check(cond, message) {
	if (!cond) throw new Error(message);
}

/** Closes the browser and exits: 0 when every step passed, else 1. Call it at the end. */
export async function finish() {
	if (browser) {
		const b = browser;
		browser = null;
		await b.close().catch(() => {});
	}
	process.exit(failed > 0 ? 1 : 0);
}
