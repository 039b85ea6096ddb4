// The presenter's timer (anywidget): counts in the browser, plays tones, answers the
// keyboard and presentation clickers, and tells the kernel which parts ran to their end.
// Its styles are in present.css (.bg-timer).

// Tones: [frequency Hz (0 = silence), seconds] in turn.
const TONES = {
  'start': [[880, 0.16], [0, 0.07], [880, 0.16]],
  'end': [[523, 0.5]],
  'side': [[523, 0.14], [659, 0.14], [784, 0.3]],
  'rest-end': [[659, 0.3]],
  'done': [[523, 0.14], [659, 0.14], [784, 0.14], [1047, 0.4]],
};
const EFFORT = ['hold', 'rep', 'activity'];

function fmt(seconds) {
  const s = Math.max(0, Math.ceil(seconds - 1e-6));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// --- whose keys: the presenter in view, and no one typing ------------------------------

// Where a person types: a key pressed there is a letter, never a command.
const TYPING = 'input, textarea, select, [contenteditable]:not([contenteditable="false"]), ' +
  '[role="textbox"], [role="combobox"], .cm-editor, .CodeMirror, .jp-InputArea-editor';

function typingIn(node) {
  return !!(node && node.nodeType === 1 && (node.isContentEditable || node.closest(TYPING)));
}

// The element with the focus, inside shadow roots too (null: the page itself).
function focused() {
  let f = document.activeElement;
  while (f && f.shadowRoot && f.shadowRoot.activeElement) f = f.shadowRoot.activeElement;
  return f === document.body || f === document.documentElement ? null : f;
}

// The presenter around a timer (a timer shown alone is its own).
function presenterOf(el) { return el.closest('.bg-present') || el; }

// Whether a person can see the presenter: on the page, in a tab of the browser that is
// shown, in a JupyterLab tab that is shown (Lumino hides the others by a class, by
// scale(0) or by content-visibility, so each is checked), and on the screen.
function inView(node) {
  if (!node.isConnected || document.visibilityState === 'hidden') return false;
  if (node.closest('.lm-mod-hidden, .p-mod-hidden, [aria-hidden="true"], [hidden]')) return false;
  if (typeof node.checkVisibility === 'function' &&
      !node.checkVisibility({ visibilityProperty: true })) return false;
  const r = node.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  return r.bottom > 0 && r.right > 0 && r.top < window.innerHeight && r.left < window.innerWidth;
}

// Whether this presenter may take the key: it is in view, the focus is on the page
// itself or in or around this presenter (not in another notebook, cell or panel), and
// the key was not pressed where a person types.
function mayTake(el, ev) {
  const root = presenterOf(el);
  if (!inView(root)) return false;
  const target = (ev.composedPath && ev.composedPath()[0]) || ev.target;
  const f = focused();
  if (typingIn(target) || typingIn(f)) return false;
  return !f || root.contains(f) || f.contains(root);
}

// Whether the key is this timer's: of the timers that may take it, the one whose
// presenter holds the focus, else the one shown last.
function ours(el, ev) {
  const able = (window.__bgTimers || []).filter((t) => mayTake(t, ev));
  const f = focused();
  const holding = able.filter((t) => f && presenterOf(t).contains(f));
  const pick = holding.length ? holding : able;
  return pick.length > 0 && pick[pick.length - 1] === el;
}

function render({ model, el }) {
  el.classList.add('bg-timer');
  el.innerHTML = `
    <div class="bg-timer-box">
      <div class="bg-timer-top">
        <span class="bg-phase"></span>
        <span class="bg-countdown" role="timer"></span>
      </div>
      <div class="bg-counter"></div>
      <div class="bg-timer-bar"><div></div></div>
      <div class="bg-timer-buttons" role="group" aria-label="Timer">
        <button class="bg-timer-prev">&#9664; Previous part</button>
        <button class="bg-timer-start">Start</button>
        <button class="bg-timer-skip">Skip this part &#9654;</button>
      </div>
      <div class="bg-timer-tools">
        <button class="bg-timer-mute" aria-pressed="false" title="Sound on or off (M)"></button>
        <button class="bg-timer-full" title="Full screen (F); Esc leaves it">Full screen</button>
      </div>
      <ul class="bg-timer-keys" aria-label="Keys">
        <li><kbd>Space</kbd>: start or pause</li>
        <li><kbd>Right arrow</kbd> or <kbd>Page Down</kbd>: skip this part</li>
        <li><kbd>Left arrow</kbd> or <kbd>Page Up</kbd>: previous part</li>
        <li><kbd>End</kbd>: next exercise</li>
        <li><kbd>Home</kbd>: previous exercise</li>
        <li><kbd>M</kbd>: sound on or off</li>
        <li><kbd>F</kbd>: full screen (<kbd>Esc</kbd> leaves it)</li>
      </ul>
    </div>`;
  const $ = (c) => el.querySelector(c);
  // The timer's progress lives here, in the browser, and goes to the kernel in
  // messages tagged with the run they belong to: a message of an exercise already
  // left can never change the next one's state.
  let index = 0, done = false, completed = new Set();
  let left = 0, last = null, running = false, paused = false, tick = null, ctx = null;
  const phases = () => model.get('phases') || [];
  function report(action) {
    model.send({ run: model.get('run'), index, done, completed: Array.from(completed),
                 action: action || null });
  }

  function audio() {
    if (!ctx) {
      const C = window.AudioContext || window.webkitAudioContext;
      if (!C) return null;
      ctx = new C();
    }
    if (ctx.state === 'suspended') ctx.resume();
    return ctx;
  }
  function tone(names) {
    if (model.get('muted') || !names.length) return;
    const heard = (el.dataset.tones ? el.dataset.tones.split(' ') : []).concat(names);
    el.dataset.tones = heard.slice(-60).join(' ');
    const c = audio();
    if (!c) return;
    let t = c.currentTime + 0.02;
    for (const name of names) {
      for (const [f, d] of TONES[name]) {
        if (f) {
          const o = c.createOscillator(), g = c.createGain();
          o.type = 'sine';
          o.frequency.value = f;
          g.gain.setValueAtTime(0.0001, t);
          g.gain.exponentialRampToValueAtTime(0.35, t + 0.02);
          g.gain.exponentialRampToValueAtTime(0.0001, t + d);
          o.connect(g).connect(c.destination);
          o.start(t);
          o.stop(t + d + 0.05);
        }
        t += d;
      }
      t += 0.12;
    }
  }
  // The tones for passing from phase p to phase q (q undefined: the end).
  function tonesBetween(p, q) {
    const out = [];
    if (q && q.kind === 'switch') out.push('side');
    else if (p && EFFORT.includes(p.kind)) out.push(q ? 'end' : 'done');
    else if (p && (p.kind === 'rest' || p.kind === 'switch')) out.push('rest-end');
    if (!q && !out.includes('done')) out.push('done');
    if (q && EFFORT.includes(q.kind)) out.push('start');
    return out;
  }

  function show() {
    const ps = phases();
    const muted = model.get('muted');
    $('.bg-timer-mute').textContent = muted ? 'Sound: off' : 'Sound: on';
    $('.bg-timer-mute').setAttribute('aria-pressed', muted ? 'true' : 'false');
    if (!ps.length) {
      $('.bg-phase').textContent = '';
      $('.bg-countdown').textContent = '';
      $('.bg-counter').textContent = '';
      $('.bg-timer-start').disabled = true;
      return;
    }
    if (done) {
      const all = ps.every((p, i) => !EFFORT.includes(p.kind) || completed.has(i));
      $('.bg-phase').textContent = all ? 'Done. Well done!' : 'End of this exercise';
      $('.bg-phase').style.color = all ? '#007a5a' : '#333';
      $('.bg-countdown').textContent = all ? '\u2713' : '';
      $('.bg-counter').textContent =
        `${model.get('next_label')}: the button above, or Right arrow or Page Down`;
      $('.bg-timer-bar > div').style.width = '100%';
      $('.bg-timer-start').textContent = 'Start';
      $('.bg-timer-start').disabled = true;
      $('.bg-timer-skip').disabled = true;  // the one way on is the exercise's own button
      return;
    }
    const p = ps[index];
    $('.bg-phase').textContent = p.label;
    $('.bg-phase').classList.toggle('bg-phase-long', p.label.length > 20);
    const between = ['rest', 'switch', 'move'].includes(p.kind);
    $('.bg-phase').style.color = between ? '#0060a0' : '#A33F00';
    $('.bg-countdown').textContent = fmt(left);
    $('.bg-counter').textContent = `${p.detail} \u00b7 part ${index + 1} of ${ps.length}`;
    $('.bg-timer-bar > div').style.width = `${100 * (1 - left / p.seconds)}%`;
    $('.bg-timer-start').textContent = running ? 'Pause' : (paused ? 'Resume' : 'Start');
    $('.bg-timer-start').disabled = false;
    $('.bg-timer-skip').disabled = false;
  }
  function go(i) {
    const ps = phases();
    if (i >= ps.length) {
      stop();
      index = ps.length - 1;
      done = true;
    } else {
      index = Math.max(0, i);
      done = false;
      left = ps[index].seconds;
    }
    if (!running) paused = false;
    report();
    show();
  }
  function finishPhase() {  // the countdown ran out: this phase was done
    const ps = phases();
    completed.add(index);
    tone(tonesBetween(ps[index], ps[index + 1]));
    go(index + 1);
  }
  function step() {
    const now = performance.now();
    left -= (now - last) / 1000;
    last = now;
    if (left <= 0) finishPhase();
    show();
  }
  function start() {
    const ps = phases();
    if (done || !ps.length) return;
    audio();  // browsers allow sound only after a person acts
    if (left >= ps[index].seconds && EFFORT.includes(ps[index].kind)) tone(['start']);
    running = true;
    last = performance.now();
    tick = setInterval(step, 100);
    show();
  }
  function stop() {
    running = false;
    if (tick) clearInterval(tick);
    tick = null;
    show();
  }
  function toggle() {
    if (running) { stop(); paused = true; show(); } else { paused = false; start(); }
  }
  function forward() {
    if (done) { report('next'); return; }
    go(index + 1);
    if (running) last = performance.now();
  }
  function back() {
    if (done) { go(phases().length - 1); return; }  // back into the last part, to do again
    if (index > 0) { go(index - 1); if (running) last = performance.now(); }
    else { stop(); report('previous'); }
  }
  function fullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }
  function mute() { model.set('muted', !model.get('muted')); model.save_changes(); show(); }

  const click = (c, f) => $(c).addEventListener('click', (ev) => { ev.currentTarget.blur(); f(); });
  click('.bg-timer-start', toggle);
  click('.bg-timer-skip', forward);
  click('.bg-timer-prev', back);
  click('.bg-timer-full', fullScreen);
  click('.bg-timer-mute', mute);

  // Keyboard and presentation clickers (which send PageDown and PageUp).  The keys belong
  // to the presenter a person is looking at, and only while they are not typing: in
  // JupyterLab another notebook's M (to Markdown), a sidebar's arrows or a cell being
  // edited keep their keys.  See `ours`.
  const timers = (window.__bgTimers = window.__bgTimers || []);
  timers.push(el);
  let spaceDown = false;
  function onKey(ev) {
    if (!ours(el, ev)) return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    switch (ev.key) {
      case ' ': case 'Spacebar': if (!ev.repeat) toggle(); spaceDown = true; break;
      case 'ArrowRight': case 'PageDown': forward(); break;
      case 'ArrowLeft': case 'PageUp': back(); break;
      case 'Escape': if (document.fullscreenElement) document.exitFullscreen(); return;
      case 'End': stop(); report('next'); break;
      case 'Home': stop(); report('previous'); break;
      case 'm': case 'M': mute(); break;
      case 'f': case 'F': fullScreen(); break;
      default: return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  }
  function onKeyUp(ev) {  // a focused button would take the Space as a click too
    if (spaceDown && (ev.key === ' ' || ev.key === 'Spacebar')) {
      spaceDown = false;
      ev.preventDefault();
      ev.stopPropagation();
    }
  }
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('keyup', onKeyUp, true);

  function reset() {  // a new run: new phases from the kernel
    stop();
    paused = false;
    index = 0;
    done = false;
    completed = new Set();
    const ps = phases();
    left = ps.length ? ps[0].seconds : 0;
    show();
  }
  const onRun = () => reset();
  const onMuted = () => show();
  model.on('change:run', onRun);
  model.on('change:muted', onMuted);
  reset();
  // A new exercise's screen replaces the one whose button had the focus: the focus
  // moves to this timer's Start (so Space and the keys go on working, and a screen
  // reader reads where it is), unless a person is working elsewhere on the page.
  (function claimFocus(tries) {
    if (!el.isConnected || el.offsetParent === null) {
      if (tries < 120) requestAnimationFrame(() => claimFocus(tries + 1));
      return;
    }
    const f = focused();
    if (!f || f === document.body || presenterOf(el).contains(f)) {
      $('.bg-timer-start').focus({ preventScroll: true });
    }
  })(0);
  return () => {
    stop();
    model.off('change:run', onRun);
    model.off('change:muted', onMuted);
    window.removeEventListener('keydown', onKey, true);
    window.removeEventListener('keyup', onKeyUp, true);
    const at = timers.indexOf(el);
    if (at >= 0) timers.splice(at, 1);
  };
}
export default { render };
