/*
 * The player of a pf-convert tutorial: replays the session's timeline over
 * the steps of the page.  The page reads fine without it; this only adds
 * play/pause, speed, seeking, the current step and the chat of the moment.
 * Everything shown comes from the JSON data block and is set as text, never
 * as HTML.
 */
(function () {
	'use strict';
	var dataEl = document.getElementById('pf-data');
	if (!dataEl) {
		return;
	}
	var data = JSON.parse(dataEl.textContent);
	var steps = data.steps || [];
	var chat = data.chat || [];
	var duration = Math.max(data.duration || 0, 1);
	var speeds = [0.5, 1, 2, 4];

	var player = document.getElementById('pf-player');
	var playBtn = document.getElementById('pf-play');
	var speedSel = document.getElementById('pf-speed');
	var seek = document.getElementById('pf-seek');
	var timeOut = document.getElementById('pf-time');
	var marks = document.getElementById('pf-marks');
	var live = document.getElementById('pf-live');
	var chatLive = document.getElementById('pf-chat-live');

	var pos = 0;		/* ms into the session */
	var speed = 1;
	var playing = false;
	var last = 0;
	var timer = null;
	var current = -1;
	var chatShown = -1;

	function fmt(ms) {
		var s = Math.floor(ms / 1000);
		var h = Math.floor(s / 3600);
		var m = Math.floor(s / 60) % 60;
		var r = ('0' + (s % 60)).slice(-2);
		return h > 0 ? h + ':' + ('0' + m).slice(-2) + ':' + r : m + ':' + r;
	}

	/* The index of the last item whose t is at or before ms, or -1. */
	function indexAt(list, ms) {
		var lo = 0, hi = list.length - 1, found = -1;
		while (lo <= hi) {
			var mid = (lo + hi) >> 1;
			if (list[mid].t <= ms) {
				found = mid;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		return found;
	}

	function showStep(i) {
		if (i === current) {
			return;
		}
		if (current >= 0) {
			var old = document.getElementById(steps[current].el);
			if (old) {
				old.classList.remove('current');
				old.removeAttribute('aria-current');
			}
		}
		current = i;
		document.body.setAttribute('data-current-step', i >= 0 ? steps[i].id : '');
		if (i < 0) {
			return;
		}
		var el = document.getElementById(steps[i].el);
		if (el) {
			el.classList.add('current');
			el.setAttribute('aria-current', 'step');
			el.scrollIntoView({ block: 'nearest' });
		}
		live.textContent = 'Step ' + (i + 1) + ': ' + steps[i].title;
	}

	function showChat(n) {
		if (n === chatShown) {
			return;
		}
		if (n < chatShown) {
			while (chatLive.firstChild) {
				chatLive.removeChild(chatLive.firstChild);
			}
			chatShown = -1;
		}
		for (var i = chatShown + 1; i <= n; i++) {
			var li = document.createElement('li');
			var time = document.createElement('time');
			var name = document.createElement('span');
			li.className = chat[i].presenter ? 'presenter' : '';
			time.textContent = fmt(chat[i].t);
			name.className = 'name';
			name.textContent = chat[i].who + ': ';
			li.appendChild(time);
			li.appendChild(name);
			li.appendChild(document.createTextNode(chat[i].text));
			chatLive.appendChild(li);
		}
		chatShown = n;
	}

	function render() {
		seek.value = String(Math.round(pos));
		timeOut.textContent = fmt(pos) + ' / ' + fmt(duration);
		showStep(indexAt(steps, pos));
		showChat(indexAt(chat, pos));
	}

	function tick() {
		var now = performance.now();
		pos = Math.min(duration, pos + (now - last) * speed);
		last = now;
		render();
		if (pos >= duration) {
			setPlaying(false);
		}
	}

	function setPlaying(on) {
		playing = on;
		playBtn.textContent = on ? 'Pause' : 'Play';
		playBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
		document.body.setAttribute('data-playing', on ? 'true' : 'false');
		if (on) {
			if (pos >= duration) {
				pos = 0;
			}
			last = performance.now();
			timer = setInterval(tick, 40);
		} else if (timer !== null) {
			clearInterval(timer);
			timer = null;
		}
	}

	function setSpeed(s) {
		if (playing) {
			tick();
		}
		speed = s;
		speedSel.value = String(s);
		document.body.setAttribute('data-speed', String(s));
	}

	function seekTo(ms) {
		pos = Math.max(0, Math.min(duration, ms));
		last = performance.now();
		render();
	}

	function stepBy(d) {
		var i = indexAt(steps, pos) + d;
		if (d < 0 && current >= 0 && pos > steps[current].t) {
			i = current;	/* back to the start of this step first */
		}
		if (i >= 0 && i < steps.length) {
			seekTo(steps[i].t);
		} else if (i < 0) {
			seekTo(0);
		}
	}

	seek.max = String(duration);
	for (var i = 0; i < steps.length; i++) {
		var m = document.createElement('span');
		m.style.left = (100 * steps[i].t / duration) + '%';
		marks.appendChild(m);
	}
	player.hidden = false;
	playBtn.addEventListener('click', function () { setPlaying(!playing); });
	speedSel.addEventListener('change', function () { setSpeed(Number(speedSel.value)); });
	seek.addEventListener('input', function () { seekTo(Number(seek.value)); });
	document.addEventListener('keydown', function (e) {
		var tag = e.target && e.target.tagName;
		if (e.ctrlKey || e.metaKey || e.altKey) {
			return;
		}
		if (e.key === ' ' && tag !== 'BUTTON' && tag !== 'SELECT' && tag !== 'INPUT' && tag !== 'A') {
			e.preventDefault();
			setPlaying(!playing);
		} else if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && tag !== 'INPUT' && tag !== 'SELECT') {
			e.preventDefault();
			stepBy(e.key === 'ArrowRight' ? 1 : -1);
		} else if (e.key === '+' || e.key === '=' || e.key === '-') {
			var at = speeds.indexOf(speed) + (e.key === '-' ? -1 : 1);
			if (at >= 0 && at < speeds.length) {
				setSpeed(speeds[at]);
			}
		}
	});
	document.body.setAttribute('data-speed', '1');
	document.body.setAttribute('data-playing', 'false');
	document.body.setAttribute('data-current-step', '');
	render();
}());
