// tests/live/attendee.mjs: N Pathfinder attendees in one headless chromium
// page, for tests/pf-live-host.bats (and benchmarks).  Written from the
// app's protocol (FORMATS.md 4, tests/fixtures/app/FACTS.md 1 and 3), not
// from its code.  Each attendee is its own npm peerjs Peer (a server-
// assigned id) that connects to the presenter of the join code with
// {reliable: true}, as the app does, and:
//   - on open, sends presenter_challenge {nonce: 16 random bytes,
//     base64url, no padding};
//   - drops everything until a presenter_response whose signature
//     (ECDSA P-256 / SHA-256, raw r||s, base64url) verifies over the nonce
//     bytes with the code's pubkey (SPKI, base64url); a bad signature, or
//     none within 10 s, is refused: the connection is closed;
//   - then sends attendee_join {type, name: "att-K", mode: "guided",
//     timestamp}, echoes each heartbeat at once ({type, sessionId,
//     timestamp: Date.now(), senderId: "attendee", sentAt: the
//     presenter's}), and records every message it receives.
//
// Usage: node attendee.mjs PORT CODE N MODE OUTDIR
//   PORT  the PeerJS server on 127.0.0.1 (path /pathfinder, key pathfinder)
//   CODE  the join code: base64 of JSON {id, name, url, pubkey}
//   MODE  what attendee 0 does (the others, 1..N-1, are normal):
//     normal             nothing more
//     leave              after its first show_me: attendee_leave {type,
//                        sessionId, timestamp, senderId: its peer id}, and
//                        the connection closed 100 ms later (the app's
//                        endSession)
//     hand               every attendee sends hand_raise {type, sessionId,
//                        timestamp, senderId: "attendee", attendeeName,
//                        isRaised: true} right after its session_start
//     hostile-challenge  once every attendee has joined: a second
//                        presenter_challenge
//     hostile-deep       once every attendee has joined: raw bytes on the
//                        data channel, BinaryPack arrays (0x91) nested
//                        10000 deep
//     hostile-huge       once every attendee has joined: raw bytes, a
//                        BinaryPack str32 (0xd9) header claiming 4 GB
//                        followed by 3 bytes
//     hostile-early      connects only once the others have joined; on
//                        open sends a show_me and an attendee_join before
//                        any challenge; 500 ms later, if still open, does
//                        the normal handshake (join included)
//   The hostile modes want N >= 2: attendee 1 is the normal one that must
//   still get everything.
//
// Environment: PF_ATT_TIMEOUT (seconds, default 60): give up then, exit 1;
// PF_ATT_FIRST (default 0): number of the first attendee, for its name and
// files (so two runs can share an OUTDIR); PF_CHROMIUM: the browser.
//
// Output, attendee K:
//   OUTDIR/att-K.jsonl  one line per message received after verification,
//                       in arrival order: {"at": MS, "ev": EVENT}, MS =
//                       performance.timeOrigin + performance.now() at
//                       arrival (epoch ms, fractional), EVENT the message as
//                       JSON, unchanged (BinaryPack's nil as null)
//   OUTDIR/att-K.id     its peer id (the server's), once it has one
// stdout, one line each, in the order they happen:
//   joined K            K received its (first) session_start
//   left K              K sent attendee_leave (mode leave)
//   early K             K sent its early show_me and join (hostile-early)
//   closed K            K's connection closed before it got session_end
//   open K              K, a hostile attendee, still open 3 s after all the
//                       others were done (the host closed it, or meant to,
//                       without K's PeerJS seeing the close)
//   refused K: WHY      K refused the presenter (no or bad proof) or could
//                       not connect
//   done                every attendee got session_end, closed, left or
//                       was refused
// Exit 0 after "done"; 1 on the timeout (stderr names who is not done) or
// an error.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The packages live in tests/browser (make check-deps installs them).
const require = createRequire(new URL('../browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const peerjs_path = require.resolve('peerjs/dist/peerjs.min.js');

const [port, code, n_arg, mode, outdir] = process.argv.slice(2);
const modes = ['normal', 'leave', 'hand', 'hostile-challenge', 'hostile-deep',
	'hostile-huge', 'hostile-early'];
const n = Number(n_arg);
const first = Number(process.env.PF_ATT_FIRST || 0);
const timeout_s = Number(process.env.PF_ATT_TIMEOUT || 60);
if (!port || !code || !outdir || !Number.isInteger(n) || n < 1 ||
    !modes.includes(mode) || !Number.isInteger(first) || first < 0 ||
    !(timeout_s > 0)) {
	console.error('usage: node attendee.mjs PORT CODE N MODE OUTDIR (MODE: ' +
		modes.join(', ') + ')');
	process.exit(2);
}
if (mode.startsWith('hostile') && n < 2)
	console.error('attendee: mode ' + mode + ' wants N >= 2 (attendee 1 is the normal one)');

let joincode;
try {
	joincode = JSON.parse(Buffer.from(code, 'base64').toString('utf8'));
} catch (e) {
	console.error('attendee: not a join code: ' + e.message);
	process.exit(2);
}
if (typeof joincode.id !== 'string' || typeof joincode.pubkey !== 'string') {
	console.error('attendee: the join code has no id or no pubkey');
	process.exit(2);
}

for (let k = first; k < first + n; k++)
	writeFileSync(`${outdir}/att-${k}.jsonl`, '');

const browser = await chromium.launch({
	executablePath: process.env.PF_CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
		'--disable-background-networking', '--disable-component-update',
		'--disable-features=WebRtcHideLocalIpsWithMdns',
		// Attendees in a page that is not visible must not be throttled.
		'--disable-background-timer-throttling',
		'--disable-renderer-backgrounding'],
});
let status = 0;
try {
	const page = await browser.newPage();
	page.on('pageerror', (e) => console.error('page error: ' + e));
	// What the page reports, written within 200 ms (so a run that times out
	// or is killed still leaves what it got), in batches: a call into node
	// per message would load the machine the host under test runs on.
	await page.exposeFunction('pfRecord', (items) => {
		for (const [k, line] of items)
			appendFileSync(`${outdir}/att-${k}.jsonl`, line + '\n');
	});
	await page.exposeFunction('pfId', (k, id) =>
		writeFileSync(`${outdir}/att-${k}.id`, id + '\n'));
	await page.exposeFunction('pfSay', (line) => console.log(line));
	// WebCrypto needs a secure context: a page from 127.0.0.1 is one.
	await page.goto(`http://127.0.0.1:${port}/pathfinder/`);
	await page.addScriptTag({ path: peerjs_path });
	const left = await page.evaluate(run, { port: Number(port), joincode, n,
		first, mode, timeout_ms: timeout_s * 1000 });
	if (left.length) {
		console.error(`attendee: timed out after ${timeout_s} s; not done: ` +
			left.join(' '));
		status = 1;
	} else {
		console.log('done');
	}
} catch (e) {
	console.error('attendee: ' + e);
	status = 1;
} finally {
	await browser.close();
}
process.exit(status);

// Runs in the page: resolves with the attendees not done (empty when all
// are) once all are done or at the timeout.
async function run({ port, joincode, n, first, mode, timeout_ms }) {
	const b64url = (u8) => btoa(String.fromCharCode(...u8))
		.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	const unb64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+')
		.replace(/_/g, '/') + '='.repeat((4 - s.length % 4) % 4)),
	(c) => c.charCodeAt(0));
	const now = () => performance.timeOrigin + performance.now();
	const as_json = (v) => JSON.stringify(v, (k, x) => x === undefined ? null : x);
	const sid = joincode.id;
	const key = await crypto.subtle.importKey('spki', unb64url(joincode.pubkey),
		{ name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);

	// Calls into node go one after another, in order, and are all through
	// before the page says it is done.
	let chain = Promise.resolve();
	let records = [], flushing = null;
	const flush = () => {
		const items = records;

		clearTimeout(flushing);
		flushing = null;
		records = [];
		if (items.length)
			chain = chain.then(() => window.pfRecord(items));
	};
	const pfRecord = (k, line) => {
		records.push([k, line]);
		if (!flushing)
			flushing = setTimeout(flush, 200);
	};
	// What is said comes after what was received before it.
	const pfSay = (line) => { flush(); chain = chain.then(() => window.pfSay(line)); };
	const pfId = (k, id) => { chain = chain.then(() => window.pfId(k, id)); };
	let finish;
	const all_done = new Promise((resolve) => {
		finish = (left) => { flush(); chain.then(() => resolve(left)); };
	});
	const settled = new Array(n).fill(false);
	// A hostile attendee may not learn that the host closed it: once all
	// the others are done, it has 3 s more, then is reported "open K".
	const acted = new Array(n).fill(false);
	let grace = null;
	const settle = (i) => {
		if (settled[i])
			return;
		settled[i] = true;
		if (settled.every((x) => x))
			finish([]);
		else if (grace === null && settled.every((x, j) => x || acted[j]))
			grace = setTimeout(() => {
				settled.forEach((x, j) => { if (!x) pfSay(`open ${first + j}`); });
				finish([]);
			}, 3000);
	};
	setTimeout(() => finish(settled.map((x, i) => x ? null : first + i)
		.filter((x) => x !== null)), timeout_ms);

	// The attendees that join normally (all but a hostile-early 0): once
	// they all have session_start, the hostile acts begin.
	const hostile = mode.startsWith('hostile') && n >= 2;
	const normal = [...Array(n).keys()].filter((i) =>
		!(i === 0 && mode === 'hostile-early'));
	let joined_count = 0, all_joined;
	const everyone_in = new Promise((resolve) => { all_joined = resolve; });

	const nonce = () => b64url(crypto.getRandomValues(new Uint8Array(16)));

	function attendee(i) {
		const k = first + i;
		const name = 'att-' + k;
		const peer = new peerjs.Peer({ host: '127.0.0.1', port, path: '/pathfinder',
			key: 'pathfinder', config: { iceServers: [] } });
		let conn = null, verified = false, verifying = false, started = false;
		let ended = false, gone = false, showed = false, challenge_timer = null;
		let my_nonce = null;
		const refuse = (why) => {
			if (settled[i])
				return;
			pfSay(`refused ${k}: ${why}`);
			settle(i);
			if (conn)
				conn.close();
		};
		const challenge = () => {
			my_nonce = nonce();
			conn.send({ type: 'presenter_challenge', nonce: my_nonce });
			challenge_timer = setTimeout(() => {
				if (!verified)
					refuse('no presenter_response within 10 s');
			}, 10000);
		};
		const join = () => conn.send({ type: 'attendee_join', name,
			mode: 'guided', timestamp: Date.now() });
		const act = () => {
			acted[i] = true;
			if (mode === 'hostile-challenge') {
				conn.send({ type: 'presenter_challenge', nonce: nonce() });
			} else if (mode === 'hostile-deep') {
				const b = new Uint8Array(10001).fill(0x91);
				b[10000] = 0xc0;
				conn.dataChannel.send(b);
			} else if (mode === 'hostile-huge') {
				conn.dataChannel.send(new Uint8Array([0xd9, 0xff, 0xff, 0xff, 0xff,
					0x61, 0x62, 0x63]));
			}
		};
		peer.on('error', (e) => refuse(`peer error: ${e.type || ''} ${e.message || e}`));
		peer.on('open', (id) => {
			pfId(k, id);
			conn = peer.connect(sid, { reliable: true });
			conn.on('error', (e) => refuse(`connection error: ${e.type || ''} ${e.message || e}`));
			conn.on('open', () => {
				if (i === 0 && mode === 'hostile-early') {
					// Junk, then a join, before any challenge.
					acted[i] = true;
					conn.send({ type: 'show_me', sessionId: sid, timestamp: Date.now(),
						senderId: 'presenter', stepId: 'early-junk',
						action: { targetAction: 'button', refTarget: 'button#junk',
							targetValue: null, targetComment: null },
						coordinates: { x: 1, y: 1 } });
					join();
					pfSay(`early ${k}`);
					setTimeout(() => { if (conn.open) challenge(); }, 500);
					return;
				}
				challenge();
			});
			conn.on('close', () => {
				if (!ended && !gone && !settled[i])
					pfSay(`closed ${k}`);
				settle(i);
			});
			conn.on('data', async (data) => {
				const at = now();
				if (!verified) {
					// Everything before the proof is dropped, as the app does.
					if (verifying || my_nonce === null || data === null ||
					    typeof data !== 'object' || data.type !== 'presenter_response')
						return;
					verifying = true;
					clearTimeout(challenge_timer);
					let ok = false;
					try {
						ok = typeof data.signature === 'string' &&
							await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' },
								key, unb64url(data.signature), unb64url(my_nonce));
					} catch (e) {
						ok = false;
					}
					if (!ok) {
						refuse('the presenter_response signature does not verify');
						return;
					}
					verified = true;
					join();
					return;
				}
				pfRecord(k, '{"at":' + at + ',"ev":' + as_json(data) + '}');
				if (gone)
					return;
				const type = data && data.type;
				if (type === 'heartbeat') {
					conn.send({ type: 'heartbeat', sessionId: sid, timestamp: Date.now(),
						senderId: 'attendee', sentAt: data.sentAt });
				} else if (type === 'session_start' && !started) {
					started = true;
					pfSay(`joined ${k}`);
					if (mode === 'hand')
						conn.send({ type: 'hand_raise', sessionId: sid,
							timestamp: Date.now(), senderId: 'attendee',
							attendeeName: name, isRaised: true });
					if (normal.includes(i) && ++joined_count === normal.length)
						all_joined();
				} else if (type === 'show_me' && i === 0 && mode === 'leave' && !showed) {
					showed = true;
					gone = true;
					conn.send({ type: 'attendee_leave', sessionId: sid,
						timestamp: Date.now(), senderId: peer.id });
					pfSay(`left ${k}`);
					setTimeout(() => { conn.close(); settle(i); }, 100);
				} else if (type === 'session_end') {
					ended = true;
					settle(i);
				}
			});
		});
		return () => act();
	}

	const acts = [];
	for (let i = 0; i < n; i++) {
		if (i === 0 && mode === 'hostile-early' && n >= 2)
			everyone_in.then(() => attendee(0));
		else
			acts[i] = attendee(i);
	}
	if (hostile && mode !== 'hostile-early')
		everyone_in.then(() => acts[0]());
	return all_done;
}
