// What the steps below need at run time, the same in every spec that
// pf-convert writes (share/pf/playwright/prelude.js).

// How long a step waits for its target before it fails (ms).
const targetTimeout = Number(process.env.PF_TARGET_TIMEOUT_MS) || 15000;

// The Grafana whose e2e selectors grafana: paths name, as the app takes
// its own version: GRAFANA_VERSION, else the newest the package knows.
const grafanaVersion = process.env.GRAFANA_VERSION || 'latest';
let grafanaSelectors;

// A CSS string literal: "..." with " and \ escaped.
function cssString(s) {
  return '"' + s.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ') + '"';
}

// grafana:PATH[:ARG] as the app resolves it: the PATH's value in
// @grafana/e2e-selectors (a function of ARG for some), matched as a
// data-testid or an aria-label.
function grafana(path, arg) {
  grafanaSelectors ??= resolveSelectors(
      { components: versionedComponents, pages: versionedPages },
      grafanaVersion);
  let node = grafanaSelectors;
  for (const key of path.split('.')) {
    node = node !== null && typeof node === 'object' ? node[key] : undefined;
    if (node === undefined)
      throw new Error(`grafana:${path} is not in @grafana/e2e-selectors` +
          ` for Grafana ${grafanaVersion}`);
  }
  if (typeof node === 'function') {
    if (arg === undefined)
      throw new Error(`grafana:${path} wants an argument: grafana:${path}:ARG`);
    node = node(arg);
  }
  if (typeof node !== 'string')
    throw new Error(`grafana:${path} names no selector`);
  const value = cssString(node);
  return `:is([data-testid=${value}], [aria-label=${value}])`;
}

// The first element the selector matches, as the app takes the first, once
// it is visible.
async function find(page, selector) {
  const target = page.locator(selector).first();
  await target.waitFor({ state: 'visible', timeout: targetTimeout });
  return target;
}

// The button a button step names by its text, found as the app finds it:
// its text (each text node trimmed, joined by spaces) is the recorded
// text in any case, else holds it; the first such button of the page.
async function buttonByText(page, text) {
  const want = text.toLowerCase().trim();
  const deadline = Date.now() + targetTimeout;
  for (;;) {
    const index = await page.evaluate((want) => {
      const textOf = (el) => [...el.childNodes].map((n) =>
          n.nodeType === Node.TEXT_NODE ? n.textContent.trim() :
          n.nodeType === Node.ELEMENT_NODE ? textOf(n) : '').join(' ').trim();
      const texts = [...document.querySelectorAll('button')]
          .map((b) => textOf(b).toLowerCase());
      const exact = texts.findIndex((t) => t !== '' && t === want);
      return exact !== -1 ? exact :
          texts.findIndex((t) => t !== '' && t.includes(want));
    }, want).catch(() => -1);	// a page between two documents
    if (index !== -1)
      return page.locator('button').nth(index);
    if (Date.now() > deadline)
      throw new Error(`no button with the text "${text}" after ` +
          `${targetTimeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Types value into the target: a form field is filled; anything else (a
// code editor's container) is clicked and typed into.
async function fillIn(target, value) {
  const editable = await target.evaluate((el) =>
      el.matches('input, textarea, select, [contenteditable]'));
  if (editable) {
    await target.fill(value);
    return;
  }
  await target.click();
  await target.page().keyboard.press('ControlOrMeta+A');
  await target.page().keyboard.insertText(value);
}

// A value the recording holds masked (--redact), from the environment.
function secret(name) {
  const value = process.env[name];
  if (value === undefined)
    throw new Error(`${name} is not set: the recording's value was ` +
        'masked; set it to the value to type');
  return value;
}

// The pace: at(ms) waits until ms after the test began, so the time the
// steps themselves take is not added to the recorded gaps.
function clock() {
  const start = Date.now();
  return async (ms) => {
    const wait = start + ms - Date.now();
    if (wait > 0)
      await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
