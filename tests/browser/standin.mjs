// tests/playwright/standin.mjs: a stand-in for Grafana that the specs of
// pf-convert -t playwright run against, since no Grafana can be installed
// here.  It reads recordings (normalised JSONL, as pf-convert -t jsonl
// writes them) and serves, at every path, one page that holds an element
// for each target they name: built from the selector as the app reads it
// (grafana: paths through @grafana/e2e-selectors, panel:, :contains(),
// :text(), :nth-match(), :has(), :nth-child() and plain CSS).
//
//   node standin.mjs PORTFILE [--drop REFTARGET]... RECORDING...
//
// Writes the port it listens on (127.0.0.1) to PORTFILE and serves until
// killed.  --drop leaves out the element of that refTarget: a Grafana in
// which that step no longer works.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolveSelectors, versionedComponents, versionedPages }
  from '@grafana/e2e-selectors';

const tree = resolveSelectors(
    { components: versionedComponents, pages: versionedPages },
    process.env.GRAFANA_VERSION || 'latest');

function grafanaValue(pathWithArg) {
  const colon = pathWithArg.indexOf(':');
  const split = colon !== -1 && colon < pathWithArg.length - 1;
  const path = split ? pathWithArg.slice(0, colon) : pathWithArg;
  let node = tree;
  for (const key of path.split('.'))
    node = node && typeof node === 'object' ? node[key] : undefined;
  if (typeof node === 'function')
    node = node(pathWithArg.slice(colon + 1));
  return typeof node === 'string' ? node : null;
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    .replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// An element: tag, attributes, text, children, siblings before it.
function el(tag) {
  return { tag, attrs: {}, classes: [], text: '', kids: [], before: 0 };
}

function html(e) {
  const attrs = Object.entries(e.attrs)
      .map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const cls = e.classes.length ? ` class="${esc(e.classes.join(' '))}"` : '';
  const inner = esc(e.text) + e.kids.map(html).join('');
  const pad = '<span></span>'.repeat(e.before);
  if (e.tag === 'input')
    return `${pad}<input${cls}${attrs}>`;
  return `${pad}<${e.tag}${cls}${attrs}>${inner}</${e.tag}>`;
}

// The text of a quoted or bare argument up to its closing parenthesis.
function arg(s, i) {
  if (s[i] === '"' || s[i] === "'") {
    const end = s.indexOf(s[i] + ')', i + 1);
    return { value: s.slice(i + 1, end), next: end + 2 };
  }
  const end = s.indexOf(')', i);
  return { value: s.slice(i, end), next: end + 1 };
}

// The balanced text inside parentheses that open at s[i - 1].
function inner(s, i) {
  let depth = 1, j = i, quote = null;
  for (; j < s.length && depth > 0; j++) {
    const c = s[j];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  return { value: s.slice(i, j - 1), next: j };
}

// Parses one compound selector at s[i] into e; returns where it stopped.
function compound(s, i, e) {
  const word = /^[A-Za-z0-9_-]+/;
  let m = word.exec(s.slice(i));
  if (m) { e.tag = m[0]; e.named = true; i += m[0].length; }
  else if (s[i] === '*') i++;
  while (i < s.length) {
    const c = s[i];
    if (c === '#' || c === '.') {
      m = word.exec(s.slice(i + 1));
      if (c === '#') e.attrs.id = m[0]; else e.classes.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const close = attrEnd(s, i);
      const body = s.slice(i + 1, close);
      const a = /^\s*([\w-]+)\s*(?:([*^$~|]?=)\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\]\s]+)))?\s*(i)?\s*$/.exec(body);
      const value = (a[3] ?? a[4] ?? a[5] ?? '').replace(/\\(.)/g, '$1');
      e.attrs[a[1]] = value;
      i = close + 1;
    } else if (s.startsWith(':contains(', i) || s.startsWith(':text(', i)) {
      const r = arg(s, s.indexOf('(', i) + 1);
      e.text = r.value.trim();
      i = r.next;
    } else if (s.startsWith(':nth-child(', i)) {
      const r = inner(s, i + 11);
      e.before = Math.max(0, parseInt(r.value, 10) - 1);
      i = r.next;
    } else if (s.startsWith(':has(', i)) {
      const r = inner(s, i + 5);
      e.kids.push(build(r.value.trim(), null).root);
      i = r.next;
    } else if (s.startsWith(':is(', i) || s.startsWith(':where(', i)) {
      const r = inner(s, s.indexOf('(', i) + 1);
      compound(r.value.split(',')[0].trim(), 0, e);
      i = r.next;
    } else if (c === ':') {
      m = /^:+[\w-]+/.exec(s.slice(i));
      i += m[0].length;
      if (s[i] === '(') i = inner(s, i + 1).next;
    } else {
      break;
    }
  }
  return i;
}

function attrEnd(s, i) {
  let quote = null;
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (quote) { if (c === '\\') j++; else if (c === quote) quote = null; }
    else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return j;
  }
  return s.length;
}

// The elements a selector needs, outermost first; the last is the target.
function build(sel, targetTag) {
  let copies = 1;
  sel = sel.replace(/\{grafana:([^}]+)\}/g, (all, p) => {
    const v = grafanaValue(p);
    return v === null ? all : `[data-testid="${v.replace(/"/g, '\\"')}"]`;
  });
  const nth = /^(.+?):nth-match\((\d+)\)(.*)$/.exec(sel);
  if (nth) { sel = nth[1] + nth[3]; copies = Number(nth[2]); }
  const chain = [];
  let i = 0, comb = ' ';
  while (i < sel.length) {
    while (sel[i] === ' ') i++;
    if ('>+~'.includes(sel[i])) { comb = sel[i++]; continue; }
    if (sel[i] === ',') break;
    const e = el('div');
    const at = i;
    i = compound(sel, i, e);
    if (i === at) i++;
    chain.push({ comb, e });
    comb = ' ';
  }
  for (let k = 1; k < chain.length; k++) {
    const { comb: c, e } = chain[k];
    const parent = chain[k - 1].e;
    if (c === '+' || c === '~') {
      // A sibling: a wrapper holds both, the earlier first.
      const w = el('div');
      w.kids.push(parent);
      chain[k - 1].e = w;
      parent.sibling = e;
    } else {
      parent.kids.push(e);
    }
  }
  const target = chain[chain.length - 1].e;
  if (targetTag && !target.named)
    target.tag = targetTag;
  if (!target.text && target.tag !== 'input') target.text = 'target';
  const root = chain[0].e;
  return { root, copies };
}

function flatten(e) {
  // Siblings introduced by + and ~ come after their elder.
  const out = html(e);
  return e.sibling ? out + html(e.sibling) : out;
}

function element(action, ref) {
  if (ref.startsWith('panel:')) {
    const rest = ref.slice(6);
    const cut = rest.indexOf(' > ');
    const title = cut === -1 ? rest : rest.slice(0, cut);
    const child = cut === -1 ? '' : element(action, rest.slice(cut + 3));
    return `<div data-viz-panel-key="p"><div data-testid="Panel header ${esc(title)}">${esc(title)}</div>${child}</div>`;
  }
  const tag = action === 'formfill' ? 'input' : action === 'button' ? 'button' : null;
  if (ref.startsWith('grafana:') && !ref.includes('{grafana:')) {
    const v = grafanaValue(ref.slice(8));
    if (v === null) return '';
    return tag === 'input' ? `<input data-testid="${esc(v)}">`
        : `<${tag || 'div'} data-testid="${esc(v)}">target</${tag || 'div'}>`;
  }
  if (action === 'button' && !/^[#.[:]|^[\w-]+[[:]|[>+~]\s*[\w-]/.test(ref))
    return `<button>${esc(ref)}</button>`;
  const { root, copies } = build(ref, tag);
  let out = '';
  for (let k = 0; k < copies; k++) out += `<div>${flatten(root)}</div>`;
  return out;
}

const args = process.argv.slice(2);
const portFile = args.shift();
const drop = new Set();
const targets = new Map();
while (args.length) {
  const a = args.shift();
  if (a === '--drop') { drop.add(args.shift()); continue; }
  for (const line of readFileSync(a, 'utf8').split('\n')) {
    let ev;
    try { ev = JSON.parse(line); } catch { continue; }
    if (ev?.type !== 'show_me' && ev?.type !== 'do_it') continue;
    const acts = [ev.action, ...(ev.action?.internalActions ?? [])];
    for (const act of acts) {
      if (!act || typeof act.refTarget !== 'string') continue;
      if (act.targetAction === 'multistep' || act.targetAction === 'navigate')
        continue;
      targets.set(`${act.targetAction}\u0000${act.refTarget}`, act);
    }
  }
}

let body = '';
for (const act of targets.values()) {
  if (drop.has(act.refTarget)) continue;
  try {
    body += `<section>${element(act.targetAction, act.refTarget)}</section>\n`;
  } catch {
    // A selector the stand-in cannot build: its spec step fails, as a
    // test of that recording would show.
  }
}
const page = `<!doctype html><html><head><meta charset="utf-8">
<title>Grafana stand-in</title>
<style>section { margin: 2px; } input { width: 10em; }</style>
</head><body>${body}</body></html>`;

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
});
server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
});
