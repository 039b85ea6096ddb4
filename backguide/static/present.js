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
      <div class="bg-timer-buttons">
        <button class="bg-timer-prev">&#9664; Back</button>
        <button class="bg-timer-start">Start</button>
        <button class="bg-timer-skip">Next &#9654;</button>
      </div>
      <div class="bg-timer-tools">
        <button class="bg-timer-mute" aria-pressed="false" title="Sound on or off (M)"></button>
        <button class="bg-timer-full" title="Full screen (F); Esc leaves it">Full screen</button>
        <span class="bg-timer-keys">Keys: Space start/pause &middot; &rarr;/PageDown next &middot; &larr;/PageUp back &middot; End next exercise &middot; M sound &middot; F full screen</span>
      </div>
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
      $('.bg-counter').textContent = `${model.get('next_label')}: \u2192 or PageDown`;
      $('.bg-timer-bar > div').style.width = '100%';
      $('.bg-timer-start').textContent = 'Start';
      $('.bg-timer-start').disabled = true;
      return;
    }
    const p = ps[index];
    $('.bg-phase').textContent = p.label;
    const between = ['rest', 'switch', 'move'].includes(p.kind);
    $('.bg-phase').style.color = between ? '#0060a0' : '#A33F00';
    $('.bg-countdown').textContent = fmt(left);
    $('.bg-counter').textContent = `${p.detail} \u00b7 part ${index + 1} of ${ps.length}`;
    $('.bg-timer-bar > div').style.width = `${100 * (1 - left / p.seconds)}%`;
    $('.bg-timer-start').textContent = running ? 'Pause' : (paused ? 'Resume' : 'Start');
    $('.bg-timer-start').disabled = false;
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

  // Keyboard and presentation clickers (which send PageDown and PageUp).
  window.__bgTimer = el;
  let spaceDown = false;
  function onKey(ev) {
    if (window.__bgTimer !== el || !el.isConnected) return;
    const t = ev.target;
    if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
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
  return () => {
    stop();
    model.off('change:run', onRun);
    model.off('change:muted', onMuted);
    window.removeEventListener('keydown', onKey, true);
    window.removeEventListener('keyup', onKeyUp, true);
    if (window.__bgTimer === el) window.__bgTimer = null;
  };
}
export default { render };
