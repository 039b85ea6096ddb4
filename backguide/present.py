"""Show a routine to a patient: a safety screen, one exercise at a time, a guided timer.

:class:`Presenter` is made to be served by Voila with no code showing
(``notebooks/04_present.ipynb``) and works inside JupyterLab too.  The
:class:`Timer` counts in the browser, so it keeps time whether the kernel is
busy or idle and never blocks it; the kernel hears only when a phase changes
and when the exercise is done.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import anywidget
import ipywidgets as W
import pandas as pd
import traitlets

from .dose import MOVE_SECONDS, given, shown_minutes
from .handout import handout
from .library import Library, resolve
from .measures import plan_table, session_minutes
from .pictures import picture_img_tag
from .plan import Plan, describe_entries, empty_entries, load_starter, starter_plans
from .store import PlanStore
from .schema import DAYS
from .views.render import CSS, warning_signs_html

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
    const between = ['rest', 'switch', 'move'].includes(p.kind);
    $('.bg-phase').style.color = between ? '#0072B2' : '#A33F00';
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

    Each phase is a dict with ``kind`` (move, hold, rep, rest, switch,
    activity), ``label``, ``seconds`` and ``detail``.  ``index`` and ``done``
    come back from the browser as the person works through them.
    """

    _esm = _TIMER_ESM
    phases = traitlets.List().tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    done = traitlets.Bool(False).tag(sync=True)


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
    * the rest falls between efforts (holds, or sets when nothing is held);
    * a per-side exercise does every set on the first side, then changes
      sides: the change takes the rest between the sides plus the move
      into the first repetition on the other side.
    """
    minutes = given(dose["minutes"], 0.0)
    if minutes:
        return [{"kind": "activity", "label": name or "Activity", "seconds": minutes * 60,
                 "detail": f"{minutes:g} minutes at a steady pace"}]
    sets, reps = int(given(dose["sets"], 1)), int(given(dose["reps"], 1))
    hold, rest = given(dose["hold_s"], 0.0), given(dose["rest_s"], 0.0)
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


class Presenter(W.VBox):
    """The clinician's presentation: safety, choose, one exercise at a time, summary.

    Public API for tests and notebooks: :meth:`accept_safety`, :meth:`begin`,
    :meth:`next`, :meth:`previous`, :attr:`queue` (the entries being shown, rows
    of ``plan.entries``), :attr:`table` (their :func:`~backguide.measures.plan_table`),
    :attr:`sessions` (their :func:`~backguide.measures.session_minutes`),
    :attr:`position`, :attr:`stage` (safety, choose, exercise, summary) and
    :meth:`make_handout`.
    """

    def __init__(self, lib: Library | None = None, folder: str | Path = "saved_plans",
                 **kwargs):
        self.lib = resolve(lib)
        self.folder = Path(folder)
        self.store = PlanStore(folder)
        self._set_queue(empty_entries())
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
        self._screen.children = [stop, W.HTML(warning_signs_html(self.lib)), ok]

    def accept_safety(self) -> None:
        self.stage = "choose"
        options = [(f"Starter: {load_starter(n, lib=self.lib).name}", f"starter:{n}")
                   for n in starter_plans()]
        options += [(f"Saved: {label}", f"saved:{key}") for label, key in self.store.labels()]
        self._plan = W.Dropdown(options=options, description="Plan",
                                layout=W.Layout(width="520px")).add_class("bg-present-plan")
        self._day = W.Dropdown(options=list(DAYS), description="Day").add_class("bg-present-day")
        ex = self.lib.exercises
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
        self.plan = (load_starter(name, lib=self.lib) if kind == "starter"
                     else self.store.load(name, lib=self.lib))
        if exercise:  # at its starting dose, as a session of its own
            self._set_queue(Plan().add(day, exercise, lib=self.lib).entries)
        else:
            self._set_queue(self.plan.day(day))
        self.done = []
        if self.queue.empty:
            self._status.value = f"<p><b>{html.escape(day)} is a rest day in this plan.</b></p>"
            return
        self._status.value = ""
        self.position = 0
        self._show_exercise()

    def _set_queue(self, entries: pd.DataFrame) -> None:
        """Show ``entries``; their times come from the measures, as the board's do."""
        self.queue = entries
        self.table = plan_table(entries, lib=self.lib)
        self.sessions = session_minutes(entries, lib=self.lib)
        self._words = describe_entries(entries)

    @property
    def minutes(self) -> float:
        """The sessions shown, in minutes: the sum of their :attr:`sessions`."""
        return float(self.sessions["minutes"].sum())

    def _show_exercise(self) -> None:
        self.stage = "exercise"
        e = self.queue.iloc[self.position]
        row = self.lib.exercises.loc[e["exercise"]]
        words = self._words.iloc[self.position]
        esc = html.escape
        steps = "".join(f"<li>{esc(s)}</li>" for s in row["steps"])
        cautions = "".join(f"<li>{esc(c)}</li>" for c in row["cautions"])
        names = self.lib.exercises["name"]
        easier = ", ".join(names[x] for x in row["easier"] if x in names.index)
        harder = ", ".join(names[x] for x in row["harder"] if x in names.index)
        ladder = ""
        if easier or harder:
            ladder = (f"<p>Easier: <b>{esc(easier or 'none')}</b> &larr; this &rarr; "
                      f"Harder: <b>{esc(harder or 'none')}</b></p>")
        head = W.HTML(
            f"<p>Exercise {self.position + 1} of {len(self.queue)}</p>"
            f'<h1 class="bg-present-name">{esc(row["name"])}</h1>'
            f'<p class="bg-dose-big">{esc(words)}</p>'
            f"{picture_img_tag(e['exercise'], lib=self.lib, width=640, dose=words)}")
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
        rows = "".join(
            f"<li>{'&#10003;' if i in self.done else '&ndash;'} {html.escape(name)}: "
            f"{html.escape(words)} ({shown_minutes(minutes)} min)</li>"
            for i, (name, words, minutes) in enumerate(zip(
                self.table["name"], self._words, self.table["total_minutes"])))
        summary = W.HTML(
            f'<div class="bg-summary"><h1>Session finished</h1><p>{len(self.done)} of '
            f"{len(self.queue)} exercises timed through, about {shown_minutes(self.minutes, 0)} minutes in "
            "all.</p>"
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
        out = self.store.output_path(self.plan.name, "")
        paths = handout(self.plan, out, lib=self.lib)
        self._status.value = f"<p>Handout written: {html.escape(str(paths[0]))} and .html</p>"
        return paths
