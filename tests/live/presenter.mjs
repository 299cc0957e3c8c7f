// tests/live/presenter.mjs: a Pathfinder presenter in headless chromium,
// for tests/pf-live.bats.  Written from the app's protocol (FORMATS.md 4,
// tests/fixtures/app/FACTS.md), not from its code: npm's peerjs registers a
// 6-character id on the local PeerJS server, WebCrypto makes an ECDSA P-256
// key, and the join code carries its public key.  For the attendee that
// connects: the challenge is signed (with another key when MODE is
// "forged"), attendee_join is answered with session_start, then come a
// heartbeat (whose echo is awaited), show_me, do_it (one over 16 KB, so
// PeerJS sends it in chunks) and session_end; when MODE is "vanish", the
// connection is closed after session_start instead; when MODE is "abrupt",
// the connection is closed and the peer destroyed right behind the
// session_end, as the app's own endSession does.
//
// Usage: node presenter.mjs PORT ID MODE OUTDIR
// Prints the join code as its first line, then "done" when the session is
// over; writes OUTDIR/sent.jsonl (every event sent after the proof, as the
// attendee should see it: undefined as null) and OUTDIR/received.jsonl
// (every message the attendee sent).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The packages live in tests/browser (make check-deps installs them).
const require = createRequire(new URL('../browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const peerjs_path = require.resolve('peerjs/dist/peerjs.min.js');
const [port, id, mode, outdir] = process.argv.slice(2);

const browser = await chromium.launch({
	executablePath: process.env.PF_CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
		'--disable-background-networking', '--disable-component-update',
		'--disable-features=WebRtcHideLocalIpsWithMdns'],
});
let status = 0;
try {
	const page = await browser.newPage();
	page.on('pageerror', (e) => console.error('page error: ' + e));
	// WebCrypto needs a secure context: a page from 127.0.0.1 is one.
	await page.goto(`http://127.0.0.1:${port}/pathfinder/`);
	await page.addScriptTag({ path: peerjs_path });
	const code = await page.evaluate(async ([port, id]) => {
		const b64url = (u8) => btoa(String.fromCharCode(...u8))
			.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		const alg = { name: 'ECDSA', namedCurve: 'P-256' };
		window.pf = {
			b64url,
			key: await crypto.subtle.generateKey(alg, false, ['sign', 'verify']),
			other: await crypto.subtle.generateKey(alg, false, ['sign', 'verify']),
			sent: [], received: [], done: false,
		};
		const spki = new Uint8Array(await crypto.subtle.exportKey('spki',
			window.pf.key.publicKey));
		const peer = new peerjs.Peer(id, { host: '127.0.0.1', port: Number(port),
			path: '/pathfinder', key: 'pathfinder', config: { iceServers: [] } });
		window.pf.peer = peer;
		await new Promise((resolve, reject) => {
			peer.on('open', resolve);
			peer.on('error', reject);
		});
		return btoa(JSON.stringify({ id, name: 'Live test',
			url: 'https://example.com/guide', pubkey: b64url(spki) }));
	}, [port, id]);
	console.log(code);

	await page.evaluate(([id, mode]) => new Promise((resolve) => {
		const pf = window.pf;
		const unb64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+')
			.replace(/_/g, '/') + '='.repeat((4 - s.length % 4) % 4)),
		(c) => c.charCodeAt(0));
		setTimeout(resolve, 25000);	// a stuck attendee must not hang the test
		const as_seen = (v) => JSON.stringify(v, (k, x) => x === undefined ? null : x);
		pf.peer.on('connection', (conn) => {
			let challenged = false, joined = false, echo = null;
			const send = (ev) => { conn.send(ev); pf.sent.push(as_seen(ev)); };
			const finish = () => { pf.done = true; setTimeout(resolve, 1500); };
			conn.on('close', finish);
			conn.on('data', async (data) => {
				pf.received.push(JSON.stringify(data));
				if (data.type === 'presenter_challenge' && !challenged) {
					challenged = true;
					const key = mode === 'forged' ? pf.other : pf.key;
					const sig = new Uint8Array(await crypto.subtle.sign(
						{ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey,
						unb64url(data.nonce)));
					conn.send({ type: 'presenter_response', nonce: data.nonce,
						signature: pf.b64url(sig) });
					if (mode === 'forged')
						setTimeout(finish, 3000);
				} else if (data.type === 'attendee_join' && !joined) {
					joined = true;
					let t = Date.now();
					send({ type: 'session_start', sessionId: id,
						config: { name: 'Live test', tutorialUrl: 'https://example.com/guide',
							defaultMode: 'guided' }, timestamp: t });
					if (mode === 'vanish') {
						// Gone without session_end, as a closed tab.
						setTimeout(() => { conn.close(); finish(); }, 300);
						return;
					}
					t = Date.now();
					send({ type: 'heartbeat', sessionId: id, timestamp: t,
						senderId: id, sentAt: t });
					echo = t;
				} else if (data.type === 'heartbeat' && joined && data.sentAt === echo) {
					echo = null;
					const click = (type, stepId, comment) => send({ type,
						sessionId: id, timestamp: Date.now(), senderId: 'presenter',
						stepId, action: { targetAction: 'button',
							refTarget: 'button[data-testid="save"]',
							targetValue: undefined, targetComment: comment },
						coordinates: { x: 412, y: 288 } });
					click('show_me', 'intro-step-1', undefined);
					click('do_it', 'intro-step-1', '<p>' + 'Säve ✓ '.repeat(4000) + '</p>');
					click('show_me', 'intro-step-2', '<b>next</b>');
					if (mode === 'abrupt') {
						// As the app's endSession: session_end, then close
						// and destroy at once, right behind it (once the
						// clicks are out: destroy drops what is queued).
						setTimeout(() => {
							send({ type: 'session_end', sessionId: id,
								timestamp: Date.now() });
							conn.close();
							pf.peer.destroy();
							finish();
						}, 500);
						return;
					}
					send({ type: 'session_end', sessionId: id, timestamp: Date.now() });
					setTimeout(finish, 1000);
				}
			});
		});
	}), [id, mode]);
	const out = await page.evaluate(() => ({ sent: window.pf.sent,
		received: window.pf.received }));
	writeFileSync(`${outdir}/sent.jsonl`, out.sent.map((l) => l + '\n').join(''));
	writeFileSync(`${outdir}/received.jsonl`, out.received.map((l) => l + '\n').join(''));
	console.log('done');
} catch (e) {
	console.error('presenter: ' + e);
	status = 1;
} finally {
	await browser.close();
}
process.exit(status);
