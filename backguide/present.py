"""Show a routine to a patient: a safety screen, one exercise at a time, a guided timer.

:class:`Presenter` is made to be served by Voila with no code showing
(``notebooks/04_present.ipynb``, ``python3 dev.py present``) and works inside
JupyterLab too.  It is large print: at 1366x768 the exercise's name, picture,
steps and timer are on screen together, and a wider screen puts the picture
and timer beside the steps.

The :class:`Timer` counts in the browser, so it keeps time whether the kernel
is busy or idle.  It plays tones (Web Audio, no sound files) at the start and
end of a hold, at a change of side and at the end of a rest, and it answers
the keyboard and presentation clickers: Space starts and pauses, Right or
PageDown goes on, Left or PageUp goes back, Esc leaves full screen.  The
kernel hears which parts ran to the end, so the summary can say what was
done and what was skipped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import anywidget
import ipywidgets as W
import pandas as pd
import traitlets
from IPython.display import HTML, display

from .dose import HOLD_REST_SECONDS, MOVE_SECONDS, given, shown_minutes
from .errors import BackguideError
from .library import Library, resolve
from .measures import plan_table, session_minutes
from .pictures import animation_html, picture_svg
from .plan import Plan, describe_entries, empty_entries, load_starter, starter_plans
from .schema import DAYS
from .store import PlanStore
from .views.handing import HandoutForm
from .views.render import CSS, session_heading, stop_rule, warning_sign_advice, warning_signs

PRESENT_CSS = CSS + """
<style>
.bg-present { font-size: 22px; line-height: 1.35; color: #111; }
.bg-present .widget-html-content { font-size: 22px; line-height: 1.35; }
.bg-present h1 { font-size: 38px; margin: 2px 0; line-height: 1.15; }
.bg-present h2 { font-size: 28px; margin: 6px 0; }
.bg-present li { margin: 3px 0; }
.bg-present .jupyter-button { font-size: 20px !important; height: auto !important;
  min-height: 44px; white-space: normal !important; line-height: 1.2 !important; }
.bg-present .widget-dropdown select, .bg-present .widget-text input,
.bg-present .widget-textarea textarea, .bg-present .widget-datepicker input {
  font-size: 20px !important; height: auto !important; min-height: 36px; }
.bg-present .widget-dropdown, .bg-present .widget-text, .bg-present .widget-datepicker {
  height: auto !important; margin: 4px 0; }
.bg-present .widget-label, .bg-present .widget-radio-box label {
  font-size: 20px !important; height: auto !important; line-height: 1.3 !important; }
.bg-present .widget-radio-box input { width: 20px; height: 20px; }
.bg-present .bg-safety { font-size: 22px; }
.bg-present .bg-where { font-size: 20px; color: #333; }
.bg-present .bg-dose-big { font-size: 28px; font-weight: bold; color: #A33F00; margin: 2px 0; }
.bg-present .bg-steps ol { margin: 4px 0 8px 0; padding-left: 1.4em; }
.bg-present .bg-steps li { font-size: 22px; }
.bg-present .bg-cautions li, .bg-present .bg-ladder { font-size: 20px; }
.bg-present .bg-cautions { border-left: 6px solid #D55E00; background: #fff4ec;
  padding: 2px 12px; margin-top: 6px; }
.bg-present .bg-cautions h2 { font-size: 22px; margin: 4px 0; }
.bg-present .bg-ex-left { flex: 1 1 0; min-width: 0; padding-right: 18px; }
.bg-present .bg-ex-right { flex: 0 0 470px; width: 470px; }
.bg-present .bg-picture svg { width: 100%; height: auto; max-height: 230px; display: block; }
.bg-present .bg-movement img { max-width: 100%; max-height: 230px; object-fit: contain; }
@media (min-width: 1700px) {
  .bg-present .bg-steps li { font-size: 28px; }
  .bg-present .bg-cautions li, .bg-present .bg-ladder { font-size: 24px; }
  .bg-present .bg-ex-right { flex-basis: 800px; width: 800px; }
  .bg-present h1 { font-size: 50px; }
  .bg-present .bg-dose-big { font-size: 34px; }
  .bg-present .bg-picture svg { max-height: 380px; }
  .bg-present .bg-movement img { max-height: 380px; }
  .bg-timer .bg-countdown { font-size: 120px; }
  .bg-timer .bg-phase { font-size: 40px; }
  .bg-timer .bg-counter { font-size: 26px; }
}
.bg-present .bg-advice-now { font-size: 30px; font-weight: bold; color: #8a1c00; }
.bg-present .bg-error { border-left: 6px solid #b30000; background: #fff0f0; padding: 6px 12px; }
.bg-present .bg-summary ul { list-style: none; padding-left: 0.5em; }
.bg-present .bg-summary li { font-size: 22px; }
.bg-present .bg-download a { font-size: 22px; }
.bg-present .bg-handout-form h3 { font-size: 26px !important; }
.bg-present .widget-toggle-buttons .widget-label { display: none; }
.bg-present button.bg-sign { justify-content: flex-start; text-align: left; padding-left: 16px; }
</style>
"""

_TIMER_ESM = r"""
const STYLE = `
.bg-timer-box { border: 3px solid #1F3B73; border-radius: 12px; padding: 10px 18px;
  font-family: sans-serif; background: #fff; color: #111; box-sizing: border-box; }
.bg-timer-top { display: flex; justify-content: space-between; align-items: center; gap: 12px; }
.bg-phase { font-size: 30px; font-weight: bold; line-height: 1.15; }
.bg-countdown { font-size: 80px; font-weight: bold; line-height: 1.0;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.bg-counter { font-size: 22px; min-height: 1.3em; }
.bg-timer-bar { height: 8px; background: #e6e6e6; border-radius: 4px; margin: 6px 0; }
.bg-timer-bar > div { height: 8px; background: #1F3B73; border-radius: 4px; width: 0; }
.bg-timer-box button { font-size: 20px; padding: 6px 14px; margin: 2px 6px 2px 0;
  border: 1px solid #777; border-radius: 6px; background: #f4f4f4; color: #111; cursor: pointer; }
.bg-timer-box button.bg-timer-start { background: #1F3B73; color: #fff; border-color: #1F3B73;
  min-width: 130px; }
.bg-timer-box button:disabled { opacity: 0.45; cursor: default; }
.bg-timer-tools { margin-top: 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 4px; }
.bg-timer-box .bg-timer-tools button { font-size: 16px; padding: 3px 10px; }
.bg-timer-keys { font-size: 14px; color: #444; }
`;

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
  el.innerHTML = `<style>${STYLE}</style>
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
"""


class Timer(anywidget.AnyWidget):
    """A countdown through ``phases``, counting in the browser.

    Each phase is a dict with ``kind`` (move, hold, rep, rest, switch,
    activity), ``label``, ``seconds`` and ``detail``.  :meth:`load` starts a
    new *run*.  The browser reports its progress in messages tagged with the
    run, so a late message from an exercise already left is ignored: ``index``
    (the part shown), ``done`` (past the last part) and ``completed`` (the
    parts whose countdown ran to the end; a part skipped with Next is not in
    it).  ``muted`` silences the tones.  Next after the last part and Back
    before the first call ``on_action("next")`` and ``on_action("previous")``.
    """

    _esm = _TIMER_ESM
    phases = traitlets.List().tag(sync=True)
    run = traitlets.Int(0).tag(sync=True)
    next_label = traitlets.Unicode("Next exercise").tag(sync=True)
    muted = traitlets.Bool(False).tag(sync=True)
    index = traitlets.Int(0)
    done = traitlets.Bool(False)
    completed = traitlets.List(traitlets.Int())

    def __init__(self, on_action=None, **kwargs):
        super().__init__(**kwargs)
        self.on_action = on_action
        self.on_msg(self._progress)

    def load(self, phases: list[dict], next_label: str = "Next exercise") -> None:
        """Start a new run through ``phases``; ``next_label`` says what comes after."""
        with self.hold_sync():
            self.phases = phases
            self.next_label = next_label
            self.run += 1
        self.index, self.done, self.completed = 0, False, []

    def _progress(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("run") != self.run:
            return  # a message of a run already left
        self.index = int(content.get("index", 0))
        self.done = bool(content.get("done", False))
        self.completed = sorted({int(i) for i in content.get("completed", [])})
        if content.get("action") in ("next", "previous") and self.on_action:
            self.on_action(content["action"])


#: The kinds of phase that are the exercise itself (the rest is moving and resting).
EFFORTS = ("hold", "rep", "activity")


def timer_phases(dose: Mapping, name: str = "") -> list[dict]:
    """The timer's phases for one entry's dose, timed by the dose rule.

    ``dose`` is one entry: a row of ``plan.entries`` or the dict of
    :func:`backguide.plan.dose_for`, with ``sets``, ``reps``, ``hold_s``,
    ``rest_s``, ``per_side`` and ``minutes`` (blank is ``NaN`` or ``None``).
    The phases add up to the seconds :mod:`backguide.dose` gives the dose,
    so the timer takes as long as the plan says:

    * an activity dosed in minutes is one countdown;
    * a held repetition is :data:`~backguide.dose.MOVE_SECONDS` to get into
      position, then the hold; one without a hold is one countdown of
      ``MOVE_SECONDS`` a repetition per set;
    * the rest falls between efforts (holds, or sets when nothing is held):
      the dose's own rest, or :data:`~backguide.dose.HOLD_REST_SECONDS`
      between holds when the dose gives none;
    * a per-side exercise does every set on the first side, then changes
      sides: the change takes the rest between the sides plus the move
      into the first repetition on the other side.
    """
    minutes = given(dose["minutes"], 0.0)
    if minutes:
        return [{"kind": "activity", "label": name or "Activity", "seconds": minutes * 60,
                 "detail": f"{minutes:g} minutes at a steady pace"}]
    sets, reps = int(given(dose["sets"], 1)), int(given(dose["reps"], 1))
    hold = given(dose["hold_s"], 0.0)
    rest = given(dose["rest_s"], HOLD_REST_SECONDS if hold else 0.0)
    sides = ("First side", "Other side") if bool(dose["per_side"]) else ("",)
    phases: list[dict] = []

    def add(kind: str, label: str, seconds: float, detail: str) -> None:
        if seconds > 0:
            phases.append({"kind": kind, "label": label, "seconds": float(seconds),
                           "detail": detail})

    for k, side in enumerate(sides):
        where = f"{side} \u00b7 " if side else ""
        for s in range(1, sets + 1):
            of_sets = f"set {s} of {sets} \u00b7 " if sets > 1 else ""
            for r in range(1, reps + 1) if hold else (None,):
                first_effort = s == 1 and r in (1, None)
                move = MOVE_SECONDS if hold else reps * MOVE_SECONDS
                if k and first_effort:  # the rest between sides and the move into position
                    add("switch", "Change sides", rest + MOVE_SECONDS,
                        "Get ready on the other side")
                    move -= MOVE_SECONDS
                elif rest and not (k == 0 and first_effort):
                    add("rest", "Rest", rest, f"Next: rep {r} of {reps}" if hold
                        else f"Next: set {s} of {sets}")
                if hold:
                    add("move", "Get into position", move, f"{where}{of_sets}rep {r} of {reps}")
                    add("hold", f"Hold ({side.lower()})" if side else "Hold", hold,
                        f"{where}{of_sets}rep {r} of {reps}")
                else:
                    add("rep", f"{reps} repetition{'s' if reps != 1 else ''}", move,
                        f"{where}{of_sets}slow and steady")
    return phases


def _efforts(phases: list[dict]) -> list[int]:
    return [i for i, p in enumerate(phases) if p["kind"] in EFFORTS]


def _effort_noun(phases: list[dict], n: int) -> str:
    kind = next((phases[i]["kind"] for i in _efforts(phases)), "hold")
    noun = {"hold": "hold", "rep": "set", "activity": "part"}[kind]
    return noun if n == 1 else noun + "s"


class Presenter(W.VBox):
    """The clinician's presentation: safety, choose, one exercise at a time, summary.

    Stages (:attr:`stage`): ``safety``; ``stop`` (a warning sign applies: its
    advice, and no session); ``choose``; ``exercise``; ``summary``.

    Public API for tests and notebooks: :meth:`accept_safety`,
    :meth:`sign_applies`, :meth:`begin`, :meth:`next`, :meth:`previous`,
    :meth:`results`; :attr:`queue` (the entries being shown, rows of
    ``plan.entries``), :attr:`table` (their
    :func:`~backguide.measures.plan_table`), :attr:`sessions` (their
    :func:`~backguide.measures.session_minutes`), :attr:`shown` (a plan of
    what was shown), :attr:`position`, :attr:`timer` and :attr:`handout_form`.
    """

    def __init__(self, lib: Library | None = None, folder: str | Path = "saved_plans",
                 **kwargs):
        self.lib = resolve(lib)
        self.folder = Path(folder)
        self.store = PlanStore(folder)
        self.plan: Plan | None = None
        self.day = ""
        self.single = False
        self._set_queue(empty_entries(), "")
        self.position = 0
        self.stage = "safety"
        self._screen = W.VBox().add_class("bg-screen")
        self._status = W.HTML().add_class("bg-status")
        self.timer = Timer(on_action=self._timer_action)
        self.timer.observe(self._timer_progress, names=["completed"])
        self.handout_form = HandoutForm(self.store, self._handout_choices, self.lib,
                                        title="Make the handout to take home")
        super().__init__([W.HTML(PRESENT_CSS), self._status, self._screen], **kwargs)
        self.add_class("bg-present")
        self._show_safety()

    # -- what is shown --

    def _set_queue(self, entries: pd.DataFrame, title: str) -> None:
        """Show ``entries``; their times come from the measures, as the board's do."""
        self.queue = entries.reset_index(drop=True)
        self.table = plan_table(self.queue, lib=self.lib)
        self.sessions = session_minutes(self.queue, lib=self.lib)
        self._words = describe_entries(self.queue)
        self._phases = [timer_phases(r, self.lib.exercises.at[r["exercise"], "name"])
                        for _, r in self.queue.iterrows()]
        self._completed: dict[int, set[int]] = {}
        self.shown = Plan(name=title, entries=self.queue)

    @property
    def minutes(self) -> float:
        """The sessions shown, in minutes: the sum of their :attr:`sessions`."""
        return float(self.sessions["minutes"].sum())

    def sessions_html(self) -> str:
        """The sessions shown with their minutes, as the board heads them."""
        return " &middot; ".join(session_heading(r.session_name, r.minutes)
                                 for r in self.sessions.itertuples())

    # -- stages --

    def _say(self, html_: str = "") -> None:
        self._status.value = html_

    def _show_safety(self) -> None:
        self.stage = "safety"
        self._say()
        ok = W.Button(description="None of these apply: continue", button_style="success",
                      icon="check", layout=W.Layout(width="420px")).add_class("bg-safety-ok")
        ok.on_click(lambda _b: self.accept_safety())
        applies = W.Button(description="One of these applies", button_style="danger",
                           icon="exclamation-triangle",
                           layout=W.Layout(width="320px")).add_class("bg-safety-applies")
        applies.on_click(lambda _b: self.sign_applies())
        flags = warning_signs(self.lib)
        items = "".join(f"<li>{html.escape(s)}</li>" for s in flags["statement"])
        sources = ", ".join(sorted({self.lib.sources.at[s, "title"] for s in flags["source"]
                                    if s in self.lib.sources.index}))
        text = W.HTML(
            '<div class="bg-safety bg-red-flags"><h1>Before you start</h1>'
            f"<p><b>This is a guide, not a diagnosis.</b> {html.escape(stop_rule(self.lib))}</p>"
            "<p><b>Does any of these apply to you today?</b></p>"
            f"<ul>{items}</ul><small>Source: {html.escape(sources)}.</small></div>")
        self._screen.children = [text, W.HBox([ok, applies],
                                              layout=W.Layout(flex_flow="row wrap"))]

    def sign_applies(self, sign: str | None = None) -> None:
        """A warning sign applies: ask which (``sign=None``), then show what to do now.

        The session does not start from here; the only way on is back to the
        safety screen.
        """
        self.stage = "stop"
        advice = warning_sign_advice(self.lib)
        back = W.Button(description="Back to the safety questions", icon="arrow-left",
                        layout=W.Layout(width="420px")).add_class("bg-safety-back")
        back.on_click(lambda _b: self._show_safety())
        if sign is None:
            buttons = []
            for sid, row in advice.iterrows():
                b = W.Button(description=row["sign"], layout=W.Layout(width="100%")
                             ).add_class("bg-sign").add_class(f"bg-sign-{sid}")
                b.on_click(lambda _b, s=sid: self.sign_applies(s))
                buttons.append(b)
            self._screen.children = [W.HTML("<h1>Which one applies?</h1>"), *buttons, back]
            return
        row = advice.loc[sign]
        source = self.lib.sources.at[row["source"], "title"] if (
            row["source"] in self.lib.sources.index) else row["source"]
        self._screen.children = [W.HTML(
            f'<div class="bg-safety bg-stop"><h1>Do not start the exercises today</h1>'
            f"<p>You said: <b>{html.escape(row['sign'])}</b>.</p>"
            f'<p class="bg-advice-now">{html.escape(row["advice"])}</p>'
            "<p>The exercises can wait until a clinician has seen you.</p>"
            f"<small>Source: {html.escape(source)}.</small></div>"), back]

    def accept_safety(self) -> None:
        """None of the warning signs applies: choose what to show."""
        self.stage = "choose"
        self._say()
        options = [(f"Starter: {load_starter(n, lib=self.lib).name}", f"starter:{n}")
                   for n in starter_plans()]
        listed = self.store.list()
        options += [(f"Saved: {r.name}" + (" (cannot be opened)" if r.problem else ""),
                     f"saved:{r.key}") for r in listed.itertuples()]
        wide = {"description_width": "90px"}
        self._plan = W.Dropdown(options=options, description="Plan", style=wide,
                                layout=W.Layout(width="640px")).add_class("bg-present-plan")
        self._day = W.Dropdown(options=list(DAYS), description="Day", style=wide,
                               layout=W.Layout(width="340px")).add_class("bg-present-day")
        ex = self.lib.exercises
        self._single = W.Dropdown(options=[("The whole day", "")] + sorted(
            (n, i) for i, n in ex["name"].items()), description="Or just", style=wide,
            layout=W.Layout(width="640px")).add_class("bg-present-single")
        self._preview = W.HTML().add_class("bg-present-preview")
        go = W.Button(description="Begin", button_style="primary", icon="play",
                      layout=W.Layout(width="200px")).add_class("bg-begin")
        go.on_click(lambda _b: self.begin(self._plan.value, self._day.value, self._single.value))
        for box in (self._plan, self._day, self._single):
            box.observe(lambda _c: self._preview_choice(), "value")
        self._screen.children = [W.HTML("<h1>Choose what to show</h1>"), self._plan, self._day,
                                 self._single, self._preview, go]
        self._preview_choice()

    def _open(self, plan: str) -> Plan:
        kind, _, name = plan.partition(":")
        if kind == "starter":
            return load_starter(name, lib=self.lib)
        return self.store.load(name, lib=self.lib)

    def _preview_choice(self) -> None:
        """What Begin will show: the day's sessions and their minutes, or what is wrong."""
        try:
            plan = self._open(self._plan.value)
        except (BackguideError, ValueError) as exc:
            self._preview.value = _problem_html(exc)
            return
        if self._single.value:
            self._preview.value = (f"<p>Just <b>{html.escape(self.lib.exercises.at[self._single.value, 'name'])}</b>, "
                                   "at its starting dose.</p>")
            return
        day = plan.day(self._day.value)
        if day.empty:
            self._preview.value = (f"<p><b>{html.escape(self._day.value)} is a rest day in "
                                   "this plan.</b> Choose another day.</p>")
            return
        sessions = session_minutes(day, lib=self.lib)
        self._preview.value = (
            f"<p>{html.escape(self._day.value)}: {len(day)} exercise"
            f"{'s' if len(day) != 1 else ''} &middot; "
            + " &middot; ".join(session_heading(r.session_name, r.minutes)
                                for r in sessions.itertuples()) + "</p>")

    def begin(self, plan: str = "starter:gentle_start", day: str = "Monday",
              exercise: str = "") -> None:
        """Show ``exercise`` alone, or every exercise of ``plan`` on ``day``.

        ``plan`` is ``"starter:<name>"`` or ``"saved:<key>"``.  A saved plan
        that cannot be read, or a rest day, is said on the page and nothing
        starts.
        """
        try:
            chosen = self._open(plan)
        except (BackguideError, ValueError) as exc:
            self._say(_problem_html(exc))
            return
        if exercise:  # at its starting dose, as a session of its own
            entries = Plan().add(day, exercise, session_name="Just this exercise",
                                 lib=self.lib).entries
            title = self.lib.exercises.at[exercise, "name"]
        else:
            entries = chosen.day(day)
            title = f"{chosen.name}: {day}"
        if entries.empty:
            self._say(f'<p class="bg-error"><b>{html.escape(day)} is a rest day in this '
                      "plan.</b> Choose another day.</p>")
            return
        self.plan, self.day, self.single = chosen, day, bool(exercise)
        self._set_queue(entries, title)
        self._say()
        self.position = 0
        self._show_exercise()

    def _show_exercise(self) -> None:
        self.stage = "exercise"
        e = self.queue.iloc[self.position]
        row = self.lib.exercises.loc[e["exercise"]]
        esc = html.escape
        steps = "".join(f"<li>{esc(s)}</li>" for s in row["steps"])
        cautions = "".join(f"<li>{esc(c)}</li>" for c in row["cautions"])
        names = self.lib.exercises["name"]
        easier = ", ".join(names[x] for x in row["easier"] if x in names.index)
        harder = ", ".join(names[x] for x in row["harder"] if x in names.index)
        ladder = ""
        if easier or harder:
            ladder = (f'<p class="bg-ladder">Easier: <b>{esc(easier or "none")}</b> &larr; this '
                      f'&rarr; Harder: <b>{esc(harder or "none")}</b></p>')
        session = self.sessions[(self.sessions["day"] == e["day"])
                                & (self.sessions["session"] == e["session"])].iloc[0]
        where = session_heading(session["session_name"], session["minutes"])
        if not self.single:
            where = (f"Exercise {self.position + 1} of {len(self.queue)} &middot; "
                     f"{esc(str(e['day']))} &middot; {where}")
        head = W.HTML(
            f'<div class="bg-where">{where}</div>'
            f'<h1 class="bg-present-name">{esc(row["name"])}</h1>'
            f'<div class="bg-dose-big">{esc(self._words.iloc[self.position])}</div>'
        ).add_class("bg-ex-title")
        prev = W.Button(description="Previous exercise", icon="arrow-left",
                        layout=W.Layout(width="230px"),
                        disabled=self.position == 0).add_class("bg-prev")
        last = self.position + 1 == len(self.queue)
        nxt = W.Button(description="Finish" if last else "Next exercise",
                       icon="flag-checkered" if last else "arrow-right", button_style="primary",
                       layout=W.Layout(width="230px")).add_class("bg-next")
        prev.on_click(lambda _b: self.previous())
        nxt.on_click(lambda _b: self.next())
        top = W.HBox([head, W.HBox([prev, nxt])],
                     layout=W.Layout(justify_content="space-between", align_items="flex-start",
                                     flex_flow="row wrap"))
        body = W.HTML(f'<div class="bg-steps"><ol>{steps}</ol></div>'
                      f'<div class="bg-cautions"><h2>Take care</h2><ul>{cautions}</ul></div>'
                      f"{ladder}").add_class("bg-ex-text")
        self._picture = W.HTML(picture_svg(e["exercise"], lib=self.lib, dose="")
                               ).add_class("bg-picture")
        self._movement = W.Output(layout=W.Layout(display="none")).add_class("bg-movement")
        self._play = W.ToggleButton(description="Show the movement", icon="play",
                                    layout=W.Layout(width="260px")).add_class("bg-play")
        self._play.observe(lambda c: self.show_movement(c["new"]), "value")
        self.timer.load(self._phases[self.position], "Finish" if last else "Next exercise")
        right = W.VBox([self._picture, self._movement, self._play, self.timer]
                       ).add_class("bg-ex-right")
        left = W.VBox([body]).add_class("bg-ex-left")
        self._screen.children = [top, W.HBox([left, right], layout=W.Layout(width="100%"))]

    def show_movement(self, on: bool = True) -> None:
        """Play the exercise's movement in place of its picture (``on=False``: the picture)."""
        if self.stage != "exercise":
            return
        if on:
            ex_id = self.queue.iloc[self.position]["exercise"]
            self._movement.clear_output()
            with self._movement:
                display(HTML(animation_html(ex_id, lib=self.lib, autoplay=True)))
        self._movement.layout.display = "" if on else "none"
        self._picture.layout.display = "none" if on else ""
        self._play.description = "Show the picture" if on else "Show the movement"
        if self._play.value != on:
            self._play.value = on

    def next(self) -> None:
        if self.position + 1 < len(self.queue):
            self.position += 1
            self._show_exercise()
        else:
            self._show_summary()

    def previous(self) -> None:
        if self.stage == "summary":
            self._show_exercise()
        elif self.position > 0:
            self.position -= 1
            self._show_exercise()

    def _timer_progress(self, change) -> None:
        if self.stage == "exercise":
            self._completed.setdefault(self.position, set()).update(change["new"])

    def _timer_action(self, action: str) -> None:
        if self.stage != "exercise":
            return
        if action == "next":
            self.next()
        elif action == "previous":
            self.previous()

    def results(self) -> pd.DataFrame:
        """What was done: one row per exercise shown, in order.

        Columns: ``name``, ``dose`` (in words), ``minutes``, ``efforts`` (the
        holds, sets or activity the dose asks for), ``completed`` (how many of
        those the timer counted to the end) and ``status``: ``done`` (all),
        ``partly`` (some) or ``skipped`` (none).
        """
        efforts = [len(_efforts(p)) for p in self._phases]
        completed = [len(set(_efforts(p)) & self._completed.get(i, set()))
                     for i, p in enumerate(self._phases)]
        status = ["done" if c == n and n else "partly" if c else "skipped"
                  for c, n in zip(completed, efforts)]
        return pd.DataFrame({"name": self.table["name"].to_numpy(),
                             "dose": self._words.to_numpy(),
                             "minutes": self.table["total_minutes"].to_numpy(),
                             "efforts": efforts, "completed": completed, "status": status})

    def _show_summary(self) -> None:
        self.stage = "summary"
        r = self.results()
        counts = r["status"].value_counts()
        said = {"done": "done", "partly": "partly done", "skipped": "skipped"}
        headline = ", ".join(f"<b>{counts.get(k, 0)} {v}</b>" for k, v in said.items())
        icon = {"done": "&#10003;", "partly": "&#9680;", "skipped": "&ndash;"}
        rows = []
        for x, phases in zip(r.itertuples(), self._phases):
            how = said[x.status]
            if x.status == "partly":
                how += f" ({x.completed} of {x.efforts} {_effort_noun(phases, x.efforts)})"
            rows.append(f'<li class="bg-result-{x.status}">{icon[x.status]} '
                        f"<b>{html.escape(x.name)}</b>: {html.escape(x.dose)} "
                        f"({shown_minutes(x.minutes)} min): <i>{how}</i></li>")
        summary = W.HTML(
            f'<div class="bg-summary"><h1>Session finished</h1>'
            f"<p>Of {len(r)} exercise{'s' if len(r) != 1 else ''}: {headline}.</p>"
            f"<p>{self.sessions_html()}</p>"
            f"<ul>{''.join(rows)}</ul>"
            f'<p class="bg-safety">{html.escape(stop_rule(self.lib))}</p></div>')
        back = W.Button(description="Back to the last exercise", icon="arrow-left",
                        layout=W.Layout(width="300px")).add_class("bg-summary-back")
        back.on_click(lambda _b: self.previous())
        again = W.Button(description="Next patient: start again", icon="undo",
                         layout=W.Layout(width="340px")).add_class("bg-again")
        again.on_click(lambda _b: self.start_again())
        self.handout_form.refresh()
        left = W.VBox([summary, W.HBox([back, again], layout=W.Layout(flex_flow="row wrap"))],
                      layout=W.Layout(flex="1 1 560px", min_width="0"))
        form = W.VBox([self.handout_form], layout=W.Layout(flex="0 1 700px", min_width="0"))
        self._screen.children = [W.HBox([left, form], layout=W.Layout(
            flex_flow="row wrap", align_items="flex-start", width="100%"))]

    def start_again(self) -> None:
        """Back to the safety screen for the next patient: the last one's name and
        notes are cleared from the handout form."""
        self.handout_form.clear()
        self._set_queue(empty_entries(), "")
        self._show_safety()

    # -- the handout --

    def _handout_choices(self) -> list[tuple[str, Plan]]:
        """What was shown, and the whole week of the plan it came from."""
        if self.shown.is_empty:
            return []
        n = len(self.queue)
        out = [(f"What we went through: {self.shown.name} ({n} exercise{'s' if n != 1 else ''})",
                self.shown)]
        if self.plan is not None and not self.plan.is_empty and self.shown.name.startswith(
                f"{self.plan.name}: "):
            out.append((f"The whole week: {self.plan.name}", self.plan))
        return out

    def make_handout(self, *, whole_week: bool = False, **options) -> tuple[bytes, str]:
        """The handout of what was shown (or the whole week): PDF bytes and HTML.

        ``options`` (``person``, ``notes``, ``when``, ``paper``) fill the form.
        """
        form = self.handout_form
        form.refresh()
        for key, value in options.items():
            getattr(form, {"when": "date"}.get(key, key)).value = value
        form.what.index = 1 if whole_week and len(form.what.options) > 1 else 0
        return form.handout()


def _problem_html(exc: Exception) -> str:
    """What is wrong with a plan, on the page, in words a clinician can act on."""
    return ('<div class="bg-error"><b>This plan cannot be opened.</b> '
            f"{html.escape(str(exc))}<br>Choose another plan, or fix or remove the file.</div>")
