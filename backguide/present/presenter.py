"""The clinician's presentation: safety, choose, one exercise at a time, summary.

The presenter keeps where the session is and lays out what the content
layer says: an exercise's dose, steps, cautions and variants
(:func:`~backguide.content.exercise_content`), the sessions' headings and
minutes (:func:`~backguide.content.week_content`), the safety text
(:func:`~backguide.content.safety_content`), the timer's phases (the dose
rule's :func:`~backguide.dose.dose_phases`) and what was done
(:func:`~backguide.content.session_results`).  It works none of these out
itself, so it cannot disagree with the board or the handout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display

from ..content import (ExerciseContent, SessionLine, WeekContent, exercise_choices,
                       exercise_content, results_headline, safety_content, session_results,
                       week_content)
from ..content.exercise import source_pictures
from ..dose import Phase, dose_phases
from ..errors import BackguideError
from ..library import Library, resolve
from ..pictures import animation_html, picture_svg
from ..plan import Plan, empty_entries, load_starter, starter_plans
from ..schema import DAYS
from ..views.saving import plans_for
from .recording import RECORD, record_label, record_session
from ..views.handing import HandoutForm
from ..views.render import e
from . import screens
from .assets import present_style
from .timer import Timer

__all__ = ["FINISH", "NEXT_EXERCISE", "PREVIOUS_EXERCISE", "Presenter"]

#: The buttons that leave the exercise on screen (the timer's own go part by part).
NEXT_EXERCISE = "Next exercise \u25b6\u25b6"
PREVIOUS_EXERCISE = "\u25c0\u25c0 Previous exercise"
FINISH = "Finish"


class Presenter(W.VBox):
    """The clinician's presentation: safety, choose, one exercise at a time, summary.

    Stages (:attr:`stage`): ``safety``; ``stop`` (a warning sign applies: its
    advice, and no session); ``choose``; ``exercise``; ``summary``.

    Public API: :meth:`accept_safety`, :meth:`sign_applies`, :meth:`choose`,
    :meth:`begin`, :meth:`next`, :meth:`previous`, :meth:`show_movement`,
    :meth:`results`, :meth:`make_handout`, :meth:`start_again` and
    :meth:`screen_text`; :attr:`plan_choices` (the plans on offer),
    :attr:`queue` (the entries being shown, rows of ``plan.entries``),
    :attr:`week` (their :func:`~backguide.content.week_content`),
    :attr:`shown` (a plan of what is shown), :attr:`position`,
    :attr:`exercise`, :attr:`session` and :attr:`phases` (the exercise on
    screen: its content, its session and its timer's phases),
    :attr:`safety`, :attr:`timer` and :attr:`handout_form`.
    """

    def __init__(self, *, lib: Library | None = None, folder: str | Path = "saved_plans",
                 store=None, person: int | None = None, **kwargs):
        self.lib = resolve(lib)
        self.folder = Path(folder) if folder is not None else None
        self.store = plans_for(store, folder, person=person)
        # With a journal, the summary records what was done for its person.
        self.journal = store
        self.person = getattr(self.store, "person", None)
        self.safety = safety_content(lib=self.lib)
        self.plan: Plan | None = None
        self.day = ""
        self.single = False
        self._set_queue(empty_entries(), "")
        self.position = 0
        self.stage = "safety"
        self._screen = W.VBox().add_class("bg-screen")
        self._status = W.HTML().add_class("bg-status")
        self._plan = self._day = self._single = None
        self._preview = W.HTML().add_class("bg-present-preview")
        self.timer = Timer(on_action=self._timer_action)
        self.timer.observe(self._timer_progress, names=["completed"])
        self.handout_form = HandoutForm(self.store, self._handout_choices, lib=self.lib,
                                        title="Make the handout to take home")
        super().__init__([W.HTML(present_style()), self._status, self._screen], **kwargs)
        self.add_class("bg-present")
        self._show_safety()

    # -- what is shown --

    def _set_queue(self, entries: pd.DataFrame, title: str) -> None:
        """Show ``entries``: each one's content and phases, and their sessions' headings."""
        self.queue = entries.reset_index(drop=True)
        self.week: WeekContent = week_content(self.queue, lib=self.lib)
        self._lines = sorted(self.week.entries, key=lambda x: x.row)
        self._session_of = {x.row: s for d in self.week.days for s in d.sessions
                            for x in s.entries}
        doses = self.queue.to_dict("records")
        self._contents = [exercise_content(d["exercise"], dose=d, lib=self.lib) for d in doses]
        # No dose, no timer: nothing to count (the dose rule would time one rep).
        self._phases = [dose_phases(d, c.name) if c.dosed else ()
                        for d, c in zip(doses, self._contents)]
        self._completed: dict[int, set[int]] = {}
        self.shown = Plan(name=title, entries=self.queue)

    @property
    def exercise(self) -> ExerciseContent | None:
        """The content of the exercise on screen (or last on screen), at its dose."""
        return self._contents[self.position] if self._contents else None

    @property
    def session(self) -> SessionLine | None:
        """The session the exercise on screen belongs to, with its heading and minutes."""
        return self._session_of.get(self.position) if self._contents else None

    @property
    def phases(self) -> tuple[Phase, ...]:
        """The timer's phases for the exercise on screen: its dose, part by part."""
        return self._phases[self.position] if self._phases else ()

    def screen_text(self) -> str:
        """The text on screen now (the message line and the screen), as a person reads it."""
        return screens.visible_text(W.VBox([self._status, self._screen]))

    def _say(self, html_: str = "") -> None:
        self._status.value = html_

    # -- safety --

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
        self._screen.children = [W.HTML(screens.safety_html(self.safety)),
                                 W.HBox([ok, applies], layout=W.Layout(flex_flow="row wrap"))]

    def sign_applies(self, sign: str | None = None) -> None:
        """A warning sign applies: ask which (``sign=None``), then show what to do now.

        The session does not start from here; the only way on is back to the
        safety screen.
        """
        self.stage = "stop"
        self._say()
        back = W.Button(description="Back to the safety questions", icon="arrow-left",
                        layout=W.Layout(width="420px")).add_class("bg-safety-back")
        back.on_click(lambda _b: self._show_safety())
        if sign is None:
            buttons = []
            for s in self.safety.signs:
                b = W.Button(description=s.sign, layout=W.Layout(width="100%")
                             ).add_class("bg-sign").add_class(f"bg-sign-{s.id}")
                b.on_click(lambda _b, sid=s.id: self.sign_applies(sid))
                buttons.append(b)
            self._screen.children = [W.HTML("<h1>Which one applies?</h1>"), *buttons, back]
            return
        self._screen.children = [W.HTML(screens.stop_html(self.safety.sign(sign))), back]

    # -- choosing --

    def accept_safety(self) -> None:
        """None of the warning signs applies: choose what to show."""
        self.stage = "choose"
        self._say()
        options = [(f"Starter: {load_starter(n, lib=self.lib).name}", f"starter:{n}")
                   for n in starter_plans(lib=self.lib)]
        listed = self.store.list()
        options += [(f"Saved: {r.name}" + (" (cannot be opened)" if r.problem else ""),
                     f"saved:{r.key}") for r in listed.itertuples()]
        wide = {"description_width": "90px"}
        self._plan = W.Dropdown(options=options, description="Plan", style=wide,
                                layout=W.Layout(width="640px")).add_class("bg-present-plan")
        self._day = W.Dropdown(options=list(DAYS), description="Day", style=wide,
                               layout=W.Layout(width="340px")).add_class("bg-present-day")
        self._single = W.Dropdown(options=[("The whole day", "")] + exercise_choices(
            lib=self.lib), description="Or just", style=wide,
            layout=W.Layout(width="640px")).add_class("bg-present-single")
        go = W.Button(description="Begin", button_style="primary", icon="play",
                      layout=W.Layout(width="200px")).add_class("bg-begin")
        go.on_click(lambda _b: self.begin(self._plan.value, self._day.value, self._single.value))
        for box in (self._plan, self._day, self._single):
            box.observe(lambda _c: self._preview_choice(), "value")
        self._screen.children = [W.HTML("<h1>Choose what to show</h1>"), self._plan, self._day,
                                 self._single, self._preview, go]
        self._preview_choice()

    @property
    def plan_choices(self) -> list[tuple[str, str]]:
        """The plans on offer, as ``(label, value)``: ``starter:<name>`` or ``saved:<key>``."""
        return list(self._plan.options) if self._plan is not None else []

    def choose(self, plan: str | None = None, day: str | None = None,
               exercise: str | None = None) -> None:
        """Pick on the choose screen, as a person would: a plan (``starter:<name>`` or
        ``saved:<key>``), a day, and an exercise alone (``""``: the whole day).
        The preview below says what Begin will show."""
        if self.stage != "choose":
            raise ValueError(f"Nothing to choose on the {self.stage} screen; "
                             "accept the safety screen first.")
        for box, value in ((self._plan, plan), (self._day, day), (self._single, exercise)):
            if value is not None:
                box.value = value

    def _open(self, plan: str) -> Plan:
        kind, _, name = plan.partition(":")
        if kind == "starter":
            return load_starter(name, lib=self.lib)
        return self.store.load(name, lib=self.lib)

    def _preview_choice(self) -> None:
        """What Begin will show: the day's sessions and their minutes, or what is wrong."""
        try:
            plan = self._open(self._plan.value)
        except (BackguideError, ValueError, OSError) as exc:  # OSError: not allowed to read
            self._preview.value = screens.problem_html(exc)
            return
        if self._single.value:
            content = exercise_content(self._single.value, lib=self.lib)
            self._preview.value = screens.single_preview_html(content)
            return
        day = self._day.value
        self._preview.value = screens.day_preview_html(
            week_content(plan.day(day), lib=self.lib).day(day))

    def begin(self, plan: str = "starter:gentle_start", day: str = "Monday",
              exercise: str = "") -> None:
        """Show ``exercise`` alone, or every exercise of ``plan`` on ``day``.

        ``plan`` is ``"starter:<name>"`` or ``"saved:<key>"``.  A saved plan
        that cannot be read (broken, or a file this computer does not let us
        read), or a rest day, is said on the page and nothing starts.
        """
        try:
            chosen = self._open(plan)
        except (BackguideError, ValueError, OSError) as exc:
            self._say(screens.problem_html(exc))
            return
        if exercise:  # at its starting dose, as a session of its own
            entries = Plan().add(day, exercise, session_name="Just this exercise",
                                 lib=self.lib).entries
            title = str(self.lib.exercises.at[exercise, "name"])
        else:
            entries = chosen.day(day)
            title = f"{chosen.name}: {day}"
        if entries.empty:
            self._say(screens.rest_day_html(day))
            return
        self.plan, self.day, self.single = chosen, day, bool(exercise)
        self._set_queue(entries, title)
        self._say()
        self.position = 0
        self._show_exercise()

    # -- one exercise at a time --

    def _show_exercise(self) -> None:
        self.stage = "exercise"
        content = self.exercise
        where = screens.where_text(self.session, self.position, len(self.queue),
                                   single=self.single)
        head = W.HTML(screens.exercise_head_html(content, where)).add_class("bg-ex-title")
        # Named apart from the timer's own buttons ("Previous part", "Skip this part"):
        # these leave the exercise.
        prev = W.Button(description=PREVIOUS_EXERCISE, layout=W.Layout(width="auto"),
                        disabled=self.position == 0).add_class("bg-prev")
        last = self.position + 1 == len(self.queue)
        nxt = W.Button(description=FINISH if last else NEXT_EXERCISE,
                       icon="flag-checkered" if last else "", button_style="primary",
                       layout=W.Layout(width="auto")).add_class("bg-next")
        prev.on_click(lambda _b: self.previous())
        nxt.on_click(lambda _b: self.next())
        moves = W.HBox([prev, nxt], layout=W.Layout(justify_content="flex-end",
                                                     flex_flow="row wrap")).add_class("bg-ex-nav")
        body = W.HTML(screens.exercise_body_html(content)).add_class("bg-ex-text")
        self._picture = W.HTML(screens.picture_html(
            source_pictures(content, lib=self.lib), picture_svg(content.id, lib=self.lib, dose="")
        )).add_class("bg-picture")
        self._movement = W.Output(layout=W.Layout(display="none")).add_class("bg-movement")
        self._play = W.ToggleButton(description="Show the movement", icon="play",
                                    tooltip="Play the exercise's movement in place of its picture",
                                    layout=W.Layout(width="260px")).add_class("bg-play")
        self._play.observe(lambda c: self.show_movement(c["new"]), "value")
        if content.picture is None:  # no drawn positions (an imported exercise): no movement
            self._play.layout.display = "none"
        self.timer.load(self.phases, FINISH if last else NEXT_EXERCISE)
        self.timer.layout.display = "" if self.phases else "none"
        # With no dose to time, the person says whether it was done.
        # The name, dose and steps down the left; the way on (and, with no timer, "I did
        # this exercise"), the picture and the timer down the right, from the top.
        right = W.VBox([moves, self._did_button(), self._picture, self._movement, self._play,
                        self.timer]).add_class("bg-ex-right")
        left = W.VBox([head, body]).add_class("bg-ex-left")
        self._screen.children = [W.HBox([left, right], layout=W.Layout(width="100%"))]

    def _did_button(self) -> W.ToggleButton:
        """With no dose to time, the person says whether the exercise was done."""
        i = self.position
        did = W.ToggleButton(icon="check", layout=W.Layout(
            width="300px", display="none" if self.phases else "")).add_class("bg-did")

        def show(on: bool) -> None:
            did.description = "Done (press again to undo)" if on else "I did this exercise"
            did.button_style = "success" if on else ""

        def said(on: bool) -> None:
            self._completed[i] = {0} if on else set()
            show(on)
        did.value = bool(self._completed.get(i)) and not self.phases
        show(did.value)
        did.observe(lambda c: said(c["new"]), "value")
        return did

    def show_movement(self, on: bool = True) -> None:
        """Play the exercise's movement in place of its picture (``on=False``: the picture)."""
        if self.stage != "exercise":
            return
        if on:
            self._movement.clear_output()
            with self._movement:
                display(HTML(animation_html(self.exercise.id, lib=self.lib, autoplay=True)))
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

    # -- the end --

    def results(self) -> pd.DataFrame:
        """What was done: one row per exercise shown, in order.

        Columns: ``name``, ``dose`` (in words) and ``minutes`` (as shown),
        then :func:`~backguide.content.session_results`' ``efforts`` (the
        holds, sets or activity the dose asks for), ``completed`` (how many of
        those the timer counted to their end), ``status`` (``done``,
        ``partly`` or ``skipped``) and ``how`` (the status in words).
        """
        done = session_results(self._phases, self._completed)
        shown = pd.DataFrame({"name": [x.name for x in self._lines],
                              "dose": [x.dose for x in self._lines],
                              "minutes": [x.minutes for x in self._lines]})
        return pd.concat([shown, done], axis=1)

    def _show_summary(self) -> None:
        self.stage = "summary"
        r = self.results()
        headings = [s.heading for d in self.week.days for s in d.sessions]
        summary = W.HTML(screens.summary_html(r, self._contents, results_headline(r["status"]),
                                              headings, self.safety.stop_rule))
        back = W.Button(description="Back to the last exercise", icon="arrow-left",
                        layout=W.Layout(width="300px")).add_class("bg-summary-back")
        back.on_click(lambda _b: self.previous())
        again = W.Button(description="Next patient: start again", icon="undo",
                         layout=W.Layout(width="340px")).add_class("bg-again")
        again.on_click(lambda _b: self.start_again())
        self.handout_form.refresh()
        parts = [summary]
        if self.journal is not None:
            label, why = record_label(self.journal, self.person, self.plan, single=self.single,
                                      exercises=self.queue["exercise"])
            record = W.Button(description=label or RECORD, icon="book",
                              button_style="primary", layout=W.Layout(
                                  width="auto", display="" if label else "none")
                              ).add_class("bg-record")
            record.on_click(lambda _b: self.record())
            self._recorded = W.HTML("" if label else f"<i>{e(why)}</i>"
                                    ).add_class("bg-recorded")
            # First, above the summary: what a clinician does next, in view at 1366x768.
            parts.insert(0, W.VBox([record, self._recorded]))
        parts.append(W.HBox([back, again], layout=W.Layout(flex_flow="row wrap")))
        left = W.VBox(parts, layout=W.Layout(flex="1 1 560px", min_width="0"))
        form = W.VBox([self.handout_form], layout=W.Layout(flex="0 1 700px", min_width="0"))
        self._screen.children = [W.HBox([left, form], layout=W.Layout(
            flex_flow="row wrap", align_items="flex-start", width="100%"))]

    def record(self, *, day: dt.date | None = None) -> bool:
        """Record the summary (done, partly done, skipped) in the person's journal for
        ``day`` (today), beside what that day already holds, following the plan shown
        if the person follows none (:mod:`.recording`); say what happened."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            said = record_session(self.journal, self.person, self.queue,
                                  self.results()["status"], self.plan, single=self.single,
                                  day=day or dt.date.today(), lib=self.lib)
        except SQLAlchemyError:
            said = ("<b>Not recorded:</b> the journal's database cannot be reached. Press "
                    "the button again when it is back.")
        self._recorded.value = said
        return said.startswith("<b>Recorded")

    def start_again(self) -> None:
        """Back to the safety screen for the next patient: the last one's name and
        notes are cleared from the handout form."""
        self.handout_form.clear()
        self.plan, self.day, self.single = None, "", False
        self._set_queue(empty_entries(), "")
        self.position = 0
        self._show_safety()

    # -- the handout --

    def _handout_choices(self) -> list[tuple]:
        """What was shown and, when it was a day of a plan, that plan's whole week.

        A day's choice carries the plan it came from, ``(label, day, plan)``,
        so its handout can say on which days each exercise is done; a single
        exercise is ``(label, plan)`` and stands alone.
        """
        if self.shown.is_empty:
            return []
        label = f"What we went through: {self.shown.name} ({self.week.day(self.day).summary})"
        if self.single or self.plan is None or self.plan.is_empty:
            return [(label, self.shown)]
        return [(label, self.shown, self.plan), (f"The whole week: {self.plan.name}", self.plan,
                                                      self.plan)]

    def make_handout(self, *, whole_week: bool = False, **options) -> tuple[bytes, str]:
        """The handout of what was shown (or the whole week): PDF bytes and HTML.

        ``options`` (``person``, ``notes``, ``when``, ``paper``, ``clinic``,
        ``times_a_day``) fill the form.
        """
        form = self.handout_form
        form.refresh()
        for key, value in options.items():
            getattr(form, {"when": "date"}.get(key, key)).value = value
        form.what.index = 1 if whole_week and len(form.what.options) > 1 else 0
        return form.handout()
