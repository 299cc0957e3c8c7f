// Drives Debian's chromium (through playwright-core) over a page made by
// pf-convert, and prints what it saw as one JSON object, for the bats
// tests to assert on.  Usage: node check.mjs load|play|keys|xss|axe PAGE [ARG]
//
// axe: runs axe-core's WCAG 2.1 A and AA rules over the page in the light
// and the dark colour scheme, as loaded and with a step made current, and
// reports each violation as "scheme state rule: N nodes (first target)".
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [command, page_path, arg] = process.argv.slice(2);
if (!command || !page_path) {
	console.error('usage: node check.mjs load|play|keys|xss|axe PAGE [ARG]');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.PF_CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
		'--disable-background-networking', '--disable-component-update'],
});
const url = pathToFileURL(page_path).href;
const out = { errors: [], requests: [], dialogs: [] };
try {
	// axe's script is injected: the page's own CSP would refuse it.
	const page = await browser.newPage({ viewport: { width: 1100, height: 900 },
		bypassCSP: command === 'axe' });
	page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
	page.on('pageerror', (e) => out.errors.push(String(e)));
	page.on('request', (r) => { if (r.url() !== url) out.requests.push(r.url()); });
	page.on('dialog', async (d) => { out.dialogs.push(d.message()); await d.dismiss(); });
	await page.goto(url);
	const data = JSON.parse(await page.textContent('#pf-data'));
	out.steps = await page.locator('li.step').count();
	out.data_steps = data.steps.length;
	out.player_visible = await page.isVisible('#pf-player');

	if (command === 'play') {
		// From just before the first step, play at the given speed and
		// time how long the current step takes to move on twice.
		const speed = arg || '2';
		await page.selectOption('#pf-speed', speed);
		await page.$eval('#pf-seek', (el, t) => {
			el.value = String(t);
			el.dispatchEvent(new Event('input'));
		}, Math.max(0, data.steps[0].t - 100));
		// The page notes when each step becomes current, on its own
		// clock: a busy machine delays what the test hears, not that.
		await page.evaluate(() => {
			window.pfSeen = {};
			new MutationObserver(() => {
				const id = document.body.dataset.currentStep;
				if (id && !(id in window.pfSeen))
					window.pfSeen[id] = performance.now();
			}).observe(document.body, { attributes: true,
				attributeFilter: ['data-current-step'] });
		});
		await page.click('#pf-play');
		await page.waitForFunction((id) => id in window.pfSeen,
			data.steps[2].id, { timeout: 60000, polling: 10 });
		out.observed_ms = Math.round(await page.evaluate(([a, b]) =>
			window.pfSeen[b] - window.pfSeen[a],
		[data.steps[0].id, data.steps[2].id]));
		out.recorded_ms = data.steps[2].t - data.steps[0].t;
		out.speed = Number(speed);
	} else if (command === 'keys') {
		const current = () => page.evaluate(() => document.body.dataset.currentStep);
		await page.focus('body');
		out.start = await current();
		await page.keyboard.press('ArrowRight');
		out.after_right = await current();
		await page.keyboard.press('ArrowRight');
		out.after_right2 = await current();
		await page.keyboard.press('ArrowLeft');
		out.after_left = await current();
		await page.keyboard.press('+');
		out.speed_after_plus = await page.evaluate(() => document.body.dataset.speed);
		await page.keyboard.press('-');
		await page.keyboard.press('-');
		out.speed_after_minus2 = await page.evaluate(() => document.body.dataset.speed);
		await page.keyboard.press(' ');
		out.playing_after_space = await page.evaluate(() => document.body.dataset.playing);
		await page.keyboard.press(' ');
		out.playing_after_space2 = await page.evaluate(() => document.body.dataset.playing);
		out.live = await page.textContent('#pf-live');
		out.current_class = await page.locator('li.step.current').count();
	} else if (command === 'axe') {
		const require = createRequire(import.meta.url);
		const axe_source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
		const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
		out.axe_version = null;
		out.violations = [];
		out.passes = 0;
		for (const scheme of ['light', 'dark']) {
			await page.emulateMedia({ colorScheme: scheme });
			await page.goto(url);
			await page.evaluate(axe_source);
			for (const state of ['loaded', 'current-step']) {
				if (state === 'current-step') {
					await page.focus('body');
					await page.keyboard.press('ArrowRight');
				}
				const r = await page.evaluate((t) => window.axe.run(document,
					{ runOnly: { type: 'tag', values: t }, resultTypes: ['violations'] }), tags);
				out.axe_version = r.testEngine.version;
				out.passes += r.passes.length;
				for (const v of r.violations)
					out.violations.push(`${scheme} ${state} ${v.id}: ${v.nodes.length} nodes (${v.nodes[0].target.join(' ')})`);
			}
		}
	} else if (command === 'xss') {
		// Play the whole session fast, so every chat message is shown
		// by the player too, then look for anything a payload made.
		await page.selectOption('#pf-speed', '4');
		await page.$eval('#pf-seek', (el, t) => {
			el.value = String(t);
			el.dispatchEvent(new Event('input'));
		}, data.duration);
		out.xss = await page.evaluate(() => window.__xss === undefined ? null : window.__xss);
		out.scripts = await page.locator('script').count();
		out.foreign = await page.locator('img, svg, iframe, object, embed, video, audio, form, input:not(#pf-seek), base, meta[http-equiv="refresh"], link').count();
		out.bad_links = await page.$$eval('a[href]', (as) => as
			.map((a) => a.getAttribute('href'))
			.filter((h) => !/^(https?:\/\/|#)/i.test(h)));
		out.handlers = await page.$$eval('*', (els) => els
			.flatMap((e) => Array.from(e.attributes).map((a) => a.name))
			.filter((n) => n.startsWith('on')));
		out.text = await page.textContent('body');
		out.chat_live = await page.locator('#pf-chat-live li').count();
	}
} catch (e) {
	out.failure = String(e);
} finally {
	await browser.close();
}
console.log(JSON.stringify(out));
