"""Check in: what a person did today, how it felt, and how their back is.

Today's exercises come from the person's plan in the journal (the version in
force that day), each with done / partly / skipped and how it felt.  Then pain
today (0-10), the PEG once a week and the PSFS every two weeks.  One Save
writes it all, whole or not at all (:meth:`backguide.journal.store.Store.check_in`).

A warning sign ticked stops the check-in: the sign's advice is shown, the sign
is recorded, and the exercises are put away.  When the database cannot be
reached, nothing is lost from the page: what was typed stays, to be saved again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as W
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from ..content import results_headline, safety_content, week_content
from ..errors import BackguideError
from ..journal.columns import FEELINGS, PEG_ITEMS, PSFS_MAX, STATUSES
from ..library import Library, resolve
from ..schema import DAYS
from .render import CSS, e, text_of

#: The questions, in the guide's own words.  NPRS: 0 is no pain, 10 the worst
#: imaginable.  The PEG's three items (Krebs et al. 2009) are about the past week;
#: the PSFS (Stratford et al. 1995) rates activities the person names.
PAIN_QUESTION = "Pain today: 0 is no pain, 10 the worst pain you can imagine"
PEG_QUESTIONS = {
    "pain": "In the past week, your pain on average (0 none, 10 as bad as you can imagine)",
    "enjoyment": "In the past week, how much pain got in the way of enjoying life "
                 "(0 not at all, 10 completely)",
    "activity": "In the past week, how much pain got in the way of your day-to-day activity "
                "(0 not at all, 10 completely)",
}
PSFS_QUESTION = ("Up to five activities your back makes hard (walking to the shops, "
                 "lifting a child...): how well can you do each today? "
                 "0 is unable to, 10 is as well as before the pain.")
STATUS_WORDS = {"done": "Done", "partly": "Partly", "skipped": "Skipped"}
FELT_WORDS = {"easier": "Easier", "about right": "About right", "harder": "Harder",
              "hurt more": "Hurt more"}
#: How often the weekly and fortnightly questions come back, in days.
PEG_EVERY, PSFS_EVERY = 7, 14
UNREACHABLE = ("The journal's database cannot be reached, so nothing was saved. "
               "What you entered is still here: press Save again when it is back.")


def _scale(description: str, css: str) -> W.ToggleButtons:
    """A 0-10 scale as eleven buttons (named for a screen reader), none chosen."""
    box = W.ToggleButtons(options=[str(i) for i in range(11)], value=None,
                          description="", tooltips=[f"{i} of 10" for i in range(11)],
                          style={"button_width": "40px"})
    box.add_class("bg-scale")
    box.add_class(css)
    return box


def _long(day: dt.date) -> str:
    """ "Monday 30 November" """
    return f"{day:%A} {day.day} {day:%B}"


def _question(text: str, control: W.Widget) -> W.VBox:
    return W.VBox([W.HTML(f"<b>{e(text)}</b>"), control]).add_class("bg-question")


class CheckIn(W.VBox):
    """One person's check-in for a day (today by default), saved to ``store``."""

    def __init__(self, store, person: int | None = None, *, lib: Library | None = None,
                 today: dt.date | None = None, on_saved: Callable[[], None] | None = None,
                 **kwargs):
        self.lib = resolve(lib)
        self.store = store
        self.person = store.me() if person is None else int(person)
        self._today = today
        self.on_saved = on_saved
        self._safety = safety_content(lib=self.lib)
        self.day = W.DatePicker(description="Day", value=self.today,
                                style={"description_width": "40px"}).add_class("bg-checkin-day")
        self._signs = [W.Checkbox(description=s.sign, indent=False,
                                  layout=W.Layout(width="auto")).add_class("bg-sign-box")
                       for s in self._safety.signs]
        self._advice = W.HTML().add_class("bg-sign-advice")
        self._exercises = W.VBox().add_class("bg-checkin-exercises")
        self._rows: list[tuple[object, W.ToggleButtons, W.ToggleButtons]] = []
        self.pain = _scale(PAIN_QUESTION, "bg-pain")
        self.peg = {k: _scale(PEG_QUESTIONS[k], f"bg-peg-{k}") for k in PEG_ITEMS}
        self._peg_box = W.VBox([W.HTML("<h3>This week's three questions</h3>")] + [
            _question(PEG_QUESTIONS[k], self.peg[k]) for k in PEG_ITEMS]).add_class("bg-peg")
        self.psfs = [(W.Text(placeholder="an activity", description=f"Activity {i + 1}",
                             style={"description_width": "76px"},
                             layout=W.Layout(width="400px")),
                      _scale("", f"bg-psfs-{i}")) for i in range(PSFS_MAX)]
        self._psfs_box = W.VBox([W.HTML("<h3>Activities, every two weeks</h3>"),
                                 W.HTML(e(PSFS_QUESTION))] + [
            W.HBox([t, s]).add_class("bg-psfs-row") for t, s in self.psfs]).add_class("bg-psfs")
        self.save_button = W.Button(description="Save my check-in", icon="save",
                                    button_style="primary",
                                    layout=W.Layout(width="auto", align_self="flex-start")
                                    ).add_class("bg-checkin-save")
        self.message = W.HTML().add_class("bg-checkin-status")
        self._heading = W.HTML("<h3>Today's exercises</h3>")
        # With no plan followed yet: which saved plan to follow.
        self._choose = W.Dropdown(description="Plan", style={"description_width": "40px"},
                                  layout=W.Layout(width="420px")).add_class("bg-follow-pick")
        self._follow = W.Button(description="Follow this plan", icon="check",
                                button_style="primary").add_class("bg-follow")
        self._follow.on_click(lambda _b: self.follow())
        self._chooser = W.HBox([self._choose, self._follow]).add_class("bg-follow-box")
        self._quiet = False
        self._body = W.VBox([self._heading, self._exercises,
                             _question(PAIN_QUESTION, self.pain), self._peg_box,
                             self._psfs_box, self.save_button])
        self.day.observe(lambda _c: self.load(), "value")
        for box in self._signs:
            box.observe(lambda _c: self._sign_ticked(), "value")
        self.save_button.on_click(lambda _b: self.save())
        signs = W.VBox([
            W.HTML(f"<b>{e(self._safety.signs_heading)}</b> Tick any that applies to you "
                   "today."),
            W.GridBox(self._signs, layout=W.Layout(
                grid_template_columns="repeat(auto-fill, minmax(520px, 1fr))", grid_gap="0 16px"))
        ]).add_class("bg-signs")
        super().__init__([W.HTML(CSS), self.day, signs, self._advice, self._body,
                          self.message], **kwargs)
        self.add_class("bg-view")
        self.add_class("bg-checkin")
        self.load()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # -- what the page shows --

    def _no_plan(self, day: dt.date) -> list[W.Widget]:
        """No plan followed on ``day``: the saved plans to choose from, if any.  A day
        before the plan followed today began is said so, with no choice: following
        another plan from then would take over from the one followed now."""
        from ..journal.plans import JournalPlans

        now = self.store.plan(self.person, on=self.today)
        if now is not None:
            return [W.HTML(f"<i>No plan was followed on {e(_long(day))}: you follow "
                           f"\u201c{e(now.name)}\u201d from a later day.</i>")]
        labels = JournalPlans(self.store, self.person).labels()
        if not labels:
            return [W.HTML("<i>No plan yet: make one in the week planner and save it with "
                           "\u201cFollow this plan\u201d ticked.</i>")]
        self._choose.options = labels
        return [W.HTML("<i>You are not following a plan yet. Choose one of your saved "
                       "plans, and the check-in asks about its exercises.</i>"),
                self._chooser]

    def follow(self) -> None:
        """Follow the plan chosen from the day on screen, and show that day again."""
        from ..journal.plans import JournalPlans

        day = self.day.value or self.today
        try:
            JournalPlans(self.store, self.person).follow(self._choose.value, starts=day)
        except (BackguideError, SQLAlchemyError) as exc:
            self.message.value = f"<b>Not followed:</b> {e(exc)}"
            return
        self.load()
        name = self.store.plan(self.person, on=day).name
        self.message.value = f"You now follow \u201c{e(name)}\u201d from {e(_long(day))}."

    def load(self) -> None:
        """Show the day's exercises, and which of the weekly questions are due."""
        day = self.day.value or self.today
        self._clear()
        plan = self.store.plan(self.person, on=day)
        weekday = DAYS[day.weekday()]
        self._heading.value = ("<h3>Today's exercises</h3>" if day == self.today else
                               f"<h3>{e(_long(day))}: the exercises</h3>")
        self._rows = []
        rows: list[W.Widget] = []
        if plan is None:
            rows += self._no_plan(day)
        elif plan.day(weekday).empty:
            rows.append(W.HTML(f"<i>Your plan \u201c{e(plan.name)}\u201d has nothing on "
                               f"{weekday}: a rest day. You can still answer the "
                               "questions.</i>"))
        else:
            rows.append(W.HTML(f"<small>From your plan \u201c{e(plan.name)}\u201d."
                               "</small>").add_class("bg-checkin-plan"))
            for d in week_content(plan, lib=self.lib).days:
                if d.day != weekday:
                    continue
                for s in d.sessions:
                    rows.append(W.HTML(
                        f'<div class="bg-checkin-head"><h4>{e(s.heading)}</h4>'
                        "<span>How it went</span><span>How it felt</span></div>"))
                    for x in s.entries:
                        status = W.ToggleButtons(
                            options=[(STATUS_WORDS[k], k) for k in STATUSES], value=None,
                            style={"button_width": "86px"}).add_class("bg-status-pick")
                        felt = W.ToggleButtons(
                            options=[(FELT_WORDS[k], k) for k in FEELINGS], value=None,
                            style={"button_width": "104px"}).add_class("bg-felt-pick")
                        status.observe(lambda c, f=felt: setattr(
                            f.layout, "visibility",
                            "hidden" if c["new"] == "skipped" else "visible"), "value")
                        label = W.HTML(f"{e(x.name)}<br><small>{e(x.dose)}</small>",
                                       layout=W.Layout(width="260px"))
                        rows.append(W.HBox([label, status, felt],
                                           layout=W.Layout(flex_flow="row wrap"))
                                    .add_class("bg-checkin-row"))
                        self._rows.append((x, status, felt))
        self._exercises.children = rows
        self._peg_box.layout.display = "" if self._due("peg", PEG_EVERY, day) else "none"
        psfs_due = self._due("psfs", PSFS_EVERY, day)
        self._psfs_box.layout.display = "" if psfs_due else "none"
        if psfs_due:
            last = self.store.read("psfs", person=self.person)
            names = (last.loc[last["date"] == last["date"].max(), "activity"].tolist()
                     if len(last) else [])
            for (text, _scale_), name in zip(self.psfs, names):
                text.value = text.value or name
        self._fill(day)

    def _clear(self) -> None:
        """Another day: nothing of the last day's answers stays on the page."""
        self.message.value = ""
        self.pain.value = None
        for b in self.peg.values():
            b.value = None
        for text, scale in self.psfs:
            text.value, scale.value = "", None

    def _fill(self, day: dt.date) -> None:
        """What the journal already holds for ``day``, shown as answered: saving again
        changes it, rather than replacing it with blanks."""
        when = pd.Timestamp(day)
        done = self.store.read("done", person=self.person)
        done = done[done["date"] == when]
        said = {(x, int(s)): (st, f) for x, s, st, f in
                zip(done["exercise"], done["session"], done["status"], done["felt"])}
        for x, status, felt in self._rows:
            st, f = said.get((x.exercise, x.session), (None, None))
            status.value = None if pd.isna(st) else str(st)
            felt.value = None if pd.isna(f) else str(f)
        pain = self.store.read("pain", person=self.person)
        pain = pain.loc[pain["date"] == when, "nprs"]
        self.pain.value = str(int(pain.iloc[0])) if len(pain) else None
        peg = self.store.read("peg", person=self.person)
        peg = peg[peg["date"] == when]
        for k, b in self.peg.items():
            b.value = str(int(peg[k].iloc[0])) if len(peg) else None
        psfs = self.store.read("psfs", person=self.person)
        psfs = psfs[psfs["date"] == when]
        for (text, scale), (a, s) in zip(self.psfs, zip(psfs["activity"], psfs["score"])):
            text.value, scale.value = str(a), str(int(s))
        signs = set(self.store.read("signs", person=self.person).query("date == @when")["sign"])
        self._quiet = True
        for s, box in zip(self._safety.signs, self._signs):
            box.value = s.id in signs
        self._quiet = False
        self._show_signs([s for s in self._safety.signs if s.id in signs], "It is recorded in "
                         "your journal.")

    def _due(self, table: str, every: int, day: dt.date) -> bool:
        t = self.store.read(table, person=self.person)
        past = t.loc[t["date"] < pd.Timestamp(day), "date"]
        return past.empty or (pd.Timestamp(day) - past.max()).days >= every

    @property
    def rows_text(self) -> list[str]:
        """Today's exercises as listed: "Cat-cow 5 reps, hold 10 s"."""
        return [f"{x.name} {x.dose}" for x, _s, _f in self._rows]

    @property
    def message_text(self) -> str:
        return text_of(self.message.value)

    # -- answers --

    def tick(self, answers: dict[str, tuple[str, str | None]]) -> None:
        """Tick exercises by id as a person would: ``{"cat_cow": ("done", "easier")}``."""
        for x, status, felt in self._rows:
            if x.exercise in answers:
                status.value, felt.value = answers[x.exercise]

    def answers(self) -> dict:
        """What is on the page, as :meth:`Store.check_in` takes it."""
        done = [{"exercise": x.exercise, "session": x.session, "status": s.value,
                 "felt": f.value if s.value != "skipped" else None}
                for x, s, f in self._rows if s.value is not None]
        parts: dict = {"done": pd.DataFrame(done) if done else None,
                       "pain": None if self.pain.value is None else int(self.pain.value)}
        if self._peg_box.layout.display != "none":
            peg = {k: b.value for k, b in self.peg.items()}
            if any(v is not None for v in peg.values()):
                parts["peg"] = {k: None if v is None else int(v) for k, v in peg.items()}
        if self._psfs_box.layout.display != "none":
            psfs = {t.value.strip(): int(s.value) for t, s in self.psfs
                    if t.value.strip() and s.value is not None}
            if psfs:
                parts["psfs"] = psfs
        return parts

    def save(self) -> bool:
        """Save the check-in; say what happened.  False if nothing was saved."""
        day = self.day.value or self.today
        parts = self.answers()
        if all(v is None for v in parts.values()):
            self.message.value = ("<b>Nothing to save yet:</b> tick how your exercises went, "
                                  "or answer a question.")
            return False
        try:
            self.store.check_in(self.person, day, **parts, lib=self.lib)
        except BackguideError as exc:
            self.message.value = f"<b>Not saved:</b> {e(exc)}"
            return False
        except SQLAlchemyError:
            self.message.value = f"<b>Not saved.</b> {e(UNREACHABLE)}"
            return False
        done = parts["done"]
        ticked = (f" {results_headline(done['status'])}" if done is not None else "")
        self.message.value = f"<b>Saved your check-in for {e(_long(day))}.</b>{e(ticked)}"
        if self.on_saved:
            self.on_saved()
        return True

    def _sign_ticked(self) -> None:
        """A warning sign stops the check-in: its advice, recorded, exercises put away."""
        if self._quiet:
            return
        ticked = [s for s, box in zip(self._safety.signs, self._signs) if box.value]
        day = self.day.value or self.today
        try:
            self.store.check_in(self.person, day, signs=[s.id for s in ticked], lib=self.lib)
            recorded = "It is recorded in your journal."
        except (BackguideError, SQLAlchemyError):
            recorded = "It could not be recorded: the journal's database cannot be reached."
        self._show_signs(ticked, recorded)
        if self.on_saved:
            self.on_saved()

    def _show_signs(self, ticked, recorded: str) -> None:
        if ticked:
            advice = "".join(f"<li><b>{e(s.sign)}</b>: {e(s.advice)}</li>" for s in ticked)
            self._advice.value = (f'<div class="bg-safety bg-stop"><b>Stop here: do not '
                                  f"exercise today.</b><ul>{advice}</ul>{e(recorded)}</div>")
            self._body.layout.display = "none"
        else:
            self._advice.value = ""
            self._body.layout.display = ""


def check_in_page(store, person: int | None = None, *, lib: Library | None = None,
                  today: dt.date | None = None, plans: str | None = None):
    """The check-in notebook's page: the check-in, then the person's progress, next
    week and the calendar; saving a check-in redraws the progress.  ``plans`` is a
    folder of saved plans (the week planner's) to bring into the journal first: each
    file once, kept under its name for the person to choose to follow (a file that
    cannot be read is left out here; the week planner lists it, saying why)."""
    from ..journal.checks import UnreadablePlans
    from .progress import ProgressView

    if plans is not None:
        try:
            store.import_folder(plans, person=person)
        except UnreadablePlans:
            pass  # the others came in
    progress = ProgressView(store, person, lib=lib, today=today)
    check = CheckIn(store, person, lib=lib, today=today, on_saved=progress.refresh)
    return W.VBox([check, progress]).add_class("bg-checkin-page")
