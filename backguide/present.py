"""Show a routine to a patient: a safety screen, one exercise at a time, a guided timer.

:class:`Presenter` is made to be served by Voila with no code showing
(``notebooks/04_present.ipynb``) and works inside JupyterLab too.  The
:class:`Timer` counts in the browser, so it keeps time whether the kernel is
busy or idle and never blocks it; the kernel hears only when a phase changes
and when the exercise is done.
"""

from __future__ import annotations

import html
from pathlib import Path

import anywidget
import ipywidgets as W
import traitlets

from .dose import MOVE_SECONDS
from .handout import handout
from .library import Library, load_library
from .pictures import picture_img_tag
from .plan import Entry, Plan, entry_for, load_plan, load_starter, starter_plans
from .schema import DAYS
from .widgets import CSS, red_flags

#: Seconds given to change sides.
SWITCH_SECONDS = 5.0

PRESENT_CSS = CSS + """
<style>
.bg-present { font-size: 22px; color: #111; }
.bg-present h1 { font-size: 44px; margin: 6px 0; }
.bg-present h2 { font-size: 30px; margin: 6px 0; }
.bg-present li { margin: 4px 0; }
.bg-present .bg-dose-big { font-size: 30px; font-weight: bold; color: #A33F00; }
.bg-present button { font-size: 20px !important; height: 48px !important; }
.bg-present .bg-safety { font-size: 22px; }
</style>
"""

_TIMER_ESM = """
function render({ model, el }) {
  el.classList.add('bg-timer');
  el.innerHTML = `
    <div style="border:3px solid #1F3B73;border-radius:12px;padding:12px 20px;max-width:640px;
                font-family:sans-serif;background:#fff;color:#111">
      <div class="bg-phase" style="font-size:30px;font-weight:bold"></div>
      <div class="bg-countdown" style="font-size:96px;font-weight:bold;line-height:1.1"></div>
      <div class="bg-counter" style="font-size:24px"></div>
      <div style="margin-top:10px">
        <button class="bg-timer-prev" style="font-size:22px;padding:8px 18px">&#9664; Back</button>
        <button class="bg-timer-start" style="font-size:22px;padding:8px 18px">Start</button>
        <button class="bg-timer-skip" style="font-size:22px;padding:8px 18px">Skip &#9654;</button>
      </div>
    </div>`;
  const $ = (c) => el.querySelector(c);
  let left = 0, last = null, running = false, tick = null;
  const phases = () => model.get('phases') || [];
  function show() {
    const ps = phases(), i = model.get('index');
    if (model.get('done') || i >= ps.length) {
      $('.bg-phase').textContent = 'Done. Well done!';
      $('.bg-countdown').textContent = '\\u2713';
      $('.bg-counter').textContent = ps.length ? 'Press Next exercise when ready.' : '';
      $('.bg-timer-start').disabled = true;
      return;
    }
    const p = ps[i];
    $('.bg-phase').textContent = p.label;
    $('.bg-countdown').textContent = Math.ceil(left);
    $('.bg-counter').textContent = p.detail;
    $('.bg-phase').style.color = p.kind === 'rest' || p.kind === 'switch' ? '#0072B2' : '#A33F00';
    $('.bg-timer-start').textContent = running ? 'Pause' : (left < p.seconds ? 'Resume' : 'Start');
    $('.bg-timer-start').disabled = false;
  }
  function go(i) {
    const ps = phases();
    if (i >= ps.length) { stop(); model.set('done', true); model.set('index', ps.length); model.save_changes(); show(); return; }
    i = Math.max(0, i);
    model.set('index', i); model.save_changes();
    left = ps[i].seconds; show();
  }
  function step() {
    const now = performance.now();
    left -= (now - last) / 1000; last = now;
    if (left <= 0) { go(model.get('index') + 1); if (running) last = performance.now(); }
    show();
  }
  function start() { running = true; last = performance.now(); tick = setInterval(step, 100); show(); }
  function stop() { running = false; if (tick) clearInterval(tick); tick = null; show(); }
  $('.bg-timer-start').addEventListener('click', () => running ? stop() : start());
  $('.bg-timer-skip').addEventListener('click', () => go(model.get('index') + 1));
  $('.bg-timer-prev').addEventListener('click', () => go(model.get('index') - 1));
  model.on('change:phases', () => { stop(); model.set('done', false); go(0); });
  const ps = phases();
  left = ps.length ? ps[Math.min(model.get('index'), ps.length - 1)].seconds : 0;
  show();
  return () => stop();
}
export default { render };
"""


class Timer(anywidget.AnyWidget):
    """A countdown through ``phases``, counting in the browser.

    Each phase is a dict with ``kind`` (hold, rep, rest, switch, activity),
    ``label``, ``seconds`` and ``detail``.  ``index`` and ``done`` come back
    from the browser as the person works through them.
    """

    _esm = _TIMER_ESM
    phases = traitlets.List().tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    done = traitlets.Bool(False).tag(sync=True)


def timer_phases(entry: Entry, name: str = "") -> list[dict]:
    """The timer's phases for one entry: holds or reps, rests, side switches.

    A held exercise gets one countdown per hold; one without a hold gets
    :data:`~backguide.dose.MOVE_SECONDS` a repetition; rests fall between
    efforts as in :mod:`backguide.dose`; a per-side exercise does every set
    on the first side, then a :data:`SWITCH_SECONDS` prompt, then the other.
    """
    if entry.minutes:
        return [{"kind": "activity", "label": name or "Activity", "seconds": entry.minutes * 60,
                 "detail": f"{entry.minutes:g} minutes at a steady pace"}]
    sets, reps = int(entry.sets or 1), int(entry.reps or 1)
    hold, rest = entry.hold_s or 0.0, entry.rest_s or 0.0
    sides = ("First side", "Other side") if entry.per_side else ("",)
    phases: list[dict] = []
    for k, side in enumerate(sides):
        if k:
            phases.append({"kind": "switch", "label": "Change sides", "seconds": SWITCH_SECONDS,
                           "detail": "Get ready on the other side"})
        for s in range(1, sets + 1):
            where = f"{side} \u00b7 " if side else ""
            of_sets = f"set {s} of {sets} \u00b7 " if sets > 1 else ""
            if hold:
                for r in range(1, reps + 1):
                    phases.append({"kind": "hold", "label": f"Hold ({side.lower() or 'hold'})"
                                   if side else "Hold", "seconds": hold,
                                   "detail": f"{where}{of_sets}rep {r} of {reps}"})
                    if rest and not (r == reps and s == sets):
                        phases.append({"kind": "rest", "label": "Rest", "seconds": rest,
                                       "detail": f"Next: rep {r % reps + 1} of {reps}"})
            else:
                phases.append({"kind": "rep", "label": f"{reps} repetitions", "seconds":
                               reps * MOVE_SECONDS, "detail": f"{where}{of_sets}slow and steady"})
                if rest and s < sets:
                    phases.append({"kind": "rest", "label": "Rest", "seconds": rest,
                                   "detail": f"Next: set {s + 1} of {sets}"})
    return phases


class Presenter(W.VBox):
    """The clinician's presentation: safety, choose, one exercise at a time, summary.

    Public API for tests and notebooks: :meth:`accept_safety`, :meth:`begin`,
    :meth:`next`, :meth:`previous`, :attr:`queue` (the entries being shown),
    :attr:`position`, :attr:`stage` (safety, choose, exercise, summary) and
    :meth:`make_handout`.
    """

    def __init__(self, library: Library | None = None, folder: str | Path = "saved_plans",
                 **kwargs):
        self.library = library if library is not None else load_library()
        self.folder = Path(folder)
        self.queue: list[Entry] = []
        self.position = 0
        self.plan: Plan | None = None
        self.done: list[int] = []
        self.stage = "safety"
        self._screen = W.VBox().add_class("bg-screen")
        self.timer = Timer()
        self.timer.observe(self._timer_done, names="done")
        self._status = W.HTML().add_class("bg-status")
        super().__init__([W.HTML(PRESENT_CSS), self._screen, self._status], **kwargs)
        self.add_class("bg-present")
        self._show_safety()

    # -- stages --

    def _show_safety(self) -> None:
        self.stage = "safety"
        ok = W.Button(description="None of these apply: continue", button_style="success",
                      layout=W.Layout(width="420px")).add_class("bg-safety-ok")
        ok.on_click(lambda _b: self.accept_safety())
        stop = W.HTML('<div class="bg-safety"><h2>Before you start</h2><p><b>This is a guide, '
                      "not a diagnosis.</b> If an exercise makes your pain worse, stop it: it "
                      "is not worth an injury.</p></div>")
        self._screen.children = [stop, red_flags(self.library), ok]

    def accept_safety(self) -> None:
        self.stage = "choose"
        saved = sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() else []
        options = [(f"Starter: {n.replace('_', ' ')}", f"starter:{n}") for n in starter_plans()]
        options += [(f"Saved: {n}", f"saved:{n}") for n in saved]
        self._plan = W.Dropdown(options=options, description="Plan",
                                layout=W.Layout(width="520px")).add_class("bg-present-plan")
        self._day = W.Dropdown(options=list(DAYS), description="Day").add_class("bg-present-day")
        ex = self.library.exercises
        self._single = W.Dropdown(options=[("The whole day", "")] + sorted(
            (n, i) for i, n in ex["name"].items()), description="Or just",
            layout=W.Layout(width="520px")).add_class("bg-present-single")
        go = W.Button(description="Begin", button_style="primary", icon="play").add_class("bg-begin")
        go.on_click(lambda _b: self.begin(self._plan.value, self._day.value, self._single.value))
        self._screen.children = [W.HTML("<h1>Choose what to show</h1>"), self._plan, self._day,
                                 self._single, go]

    def begin(self, plan: str = "starter:gentle_start", day: str = "Monday",
              exercise: str = "") -> None:
        """Show ``exercise`` alone, or every exercise of ``plan`` on ``day``."""
        kind, _, name = plan.partition(":")
        ex = self.library.exercises
        self.plan = (load_starter(name, ex) if kind == "starter"
                     else load_plan(self.folder / f"{name}.json", ex))
        if exercise:
            self.queue = [entry_for(exercise, ex)]
        else:
            self.queue = [e for s in self.plan.days[day] for e in s.entries]
        self.done = []
        if not self.queue:
            self._status.value = f"<p><b>{html.escape(day)} is a rest day in this plan.</b></p>"
            return
        self._status.value = ""
        self.position = 0
        self._show_exercise()

    def _show_exercise(self) -> None:
        self.stage = "exercise"
        e = self.queue[self.position]
        row = self.library.exercises.loc[e.exercise]
        esc = html.escape
        steps = "".join(f"<li>{esc(s)}</li>" for s in row["steps"])
        cautions = "".join(f"<li>{esc(c)}</li>" for c in row["cautions"])
        names = self.library.exercises["name"]
        easier = ", ".join(names[x] for x in row["easier"] if x in names.index)
        harder = ", ".join(names[x] for x in row["harder"] if x in names.index)
        ladder = ""
        if easier or harder:
            ladder = (f"<p>Easier: <b>{esc(easier or 'none')}</b> &larr; this &rarr; "
                      f"Harder: <b>{esc(harder or 'none')}</b></p>")
        head = W.HTML(
            f"<p>Exercise {self.position + 1} of {len(self.queue)}</p>"
            f'<h1 class="bg-present-name">{esc(row["name"])}</h1>'
            f'<p class="bg-dose-big">{esc(e.describe())}</p>'
            f"{picture_img_tag(e.exercise, self.library, width=640)}")
        body = W.HTML(f"<ol>{steps}</ol><h2>Take care</h2><ul>{cautions}</ul>{ladder}")
        self.timer.phases = timer_phases(e, row["name"])
        self.timer.index = 0
        self.timer.done = False
        wide = W.Layout(width="300px")
        prev = W.Button(description="Previous exercise", icon="arrow-left", layout=wide,
                        disabled=self.position == 0).add_class("bg-prev")
        nxt = W.Button(description="Next exercise" if self.position + 1 < len(self.queue)
                       else "Finish", icon="arrow-right", button_style="primary",
                       layout=wide).add_class("bg-next")
        prev.on_click(lambda _b: self.previous())
        nxt.on_click(lambda _b: self.next())
        self._screen.children = [head, self.timer, W.HBox([prev, nxt]), body]

    def next(self) -> None:
        if self.position not in self.done and self.timer.done:
            self.done.append(self.position)
        if self.position + 1 < len(self.queue):
            self.position += 1
            self._show_exercise()
        else:
            self._show_summary()

    def previous(self) -> None:
        if self.position > 0:
            self.position -= 1
            self._show_exercise()

    def _timer_done(self, change) -> None:
        if change["new"] and self.stage == "exercise" and self.position not in self.done:
            self.done.append(self.position)

    def _show_summary(self) -> None:
        self.stage = "summary"
        names = self.library.exercises["name"]
        rows = "".join(
            f"<li>{'&#10003;' if i in self.done else '&ndash;'} {html.escape(names[e.exercise])}: "
            f"{html.escape(e.describe())} ({e.seconds / 60:.1f} min)</li>"
            for i, e in enumerate(self.queue))
        minutes = sum(e.seconds for e in self.queue) / 60
        summary = W.HTML(
            f'<div class="bg-summary"><h1>Session finished</h1><p>{len(self.done)} of '
            f"{len(self.queue)} exercises timed through, about {minutes:.0f} minutes in all.</p>"
            f"<ul>{rows}</ul><p>Remember: stop any exercise that makes your pain worse.</p></div>")
        wide = W.Layout(width="300px")
        again = W.Button(description="Start again", icon="undo", layout=wide).add_class("bg-again")
        again.on_click(lambda _b: self.accept_safety())
        sheet = W.Button(description="Make the handout", icon="print",
                         layout=wide).add_class("bg-handout")
        sheet.on_click(lambda _b: self.make_handout())
        self._screen.children = [summary, W.HBox([again, sheet])]

    def make_handout(self) -> tuple[Path, Path]:
        """Write the handout of the plan shown, into ``folder/handouts``."""
        if self.plan is None:
            raise ValueError("Choose a plan first.")
        out = self.folder / "handouts" / self.plan.name.lower().replace(" ", "_")
        paths = handout(self.plan, out, self.library)
        self._status.value = f"<p>Handout written: {html.escape(str(paths[0]))} and .html</p>"
        return paths
