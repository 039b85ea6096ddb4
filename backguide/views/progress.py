"""A person's progress, from their journal: headlines in words and four charts,
next week's plan proposed from what happened, and a calendar to download.

Everything shown is computed by the journal's pure functions
(:mod:`backguide.journal.measures`, :mod:`~backguide.journal.next_week`) over
the store's tidy tables, read once per refresh; this module only lays it out.
"""

from __future__ import annotations

import datetime as dt
import re

import ipywidgets as W
import pandas as pd

from ..errors import BackguideError
from ..ical import calendar_filename, plan_calendar
from ..journal import charts as jc
from ..journal import measures as jm
from ..journal.columns import followed, in_force
from ..journal.next_week import accept_next, next_week
from ..journal.words import adherence_sentence, progress_headline
from ..library import Library, resolve
from .render import CSS, download_link, e, text_of

#: The charts, in order: (tab title, chart name).
CHARTS = (("Exercises done", "adherence"), ("Pain", "pain"), ("PEG", "peg"),
          ("Activities (PSFS)", "psfs"))
TIMES = [dt.time(h, m) for h in range(6, 22) for m in (0, 30)]


class ProgressView(W.VBox):
    """How ``person`` is doing, from ``store``; :meth:`refresh` after a check-in."""

    def __init__(self, store, person: int | None = None, *, lib: Library | None = None,
                 today: dt.date | None = None, title: str = "How you are doing", **kwargs):
        self.lib = resolve(lib)
        self.store = store
        self.person = store.me() if person is None else int(person)
        self._today = today
        self.headline = W.HTML().add_class("bg-progress-headline")
        self.charts = [W.HTML().add_class("bg-chart").add_class(f"bg-progress-{name}")
                       for _t, name in CHARTS]
        self.tabs = W.Tab(children=self.charts, titles=[t for t, _n in CHARTS]
                          ).add_class("bg-progress-charts")
        self.changes = W.HTML().add_class("bg-next-week")
        self.accept = W.Button(description="Make this next week's plan", icon="check",
                               button_style="success",
                               layout=W.Layout(width="auto", align_self="flex-start")
                               ).add_class("bg-accept-next")
        self.at = W.Dropdown(options=[(f"{t:%H:%M}", t) for t in TIMES], value=dt.time(9, 0),
                             description="Reminders at",
                             style={"description_width": "initial"}).add_class("bg-calendar-at")
        self.make_calendar = W.Button(description="Make the calendar file", icon="calendar",
                                      ).add_class("bg-make-calendar")
        self.calendar = W.HTML().add_class("bg-calendar-link")
        self.message = W.HTML().add_class("bg-progress-status")
        self.accept.on_click(lambda _b: self.accept_proposal())
        self.tabs.observe(lambda _c: self.draw_chart(), "selected_index")
        self.make_calendar.on_click(lambda _b: self.calendar_file())
        self._proposal = None
        super().__init__([
            W.HTML(CSS), W.HTML(f"<h2>{e(title)}</h2>"), self.headline, self.tabs,
            W.HTML("<h2>Next week</h2>"), self.changes, self.accept,
            W.HTML("<h2>In your calendar</h2>"),
            W.HBox([self.at, self.make_calendar], layout=W.Layout(flex_flow="row wrap")),
            self.calendar, self.message], **kwargs)
        self.add_class("bg-view")
        self.add_class("bg-progress")
        self.refresh()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        """Read the person's journal once, and show it measured."""
        read = {t: self.store.read(t, person=self.person)
                for t in ("plans", "entries", "done", "pain", "peg", "psfs")}
        today = pd.Timestamp(self.today)
        adh = jm.adherence(read["done"], read["plans"], read["entries"], by=["person", "week"],
                           today=today)
        lines = []
        if len(adh):
            lines.append(adherence_sentence(adh.iloc[-1], when="This week so far"))
        for measure, table, change in (("nprs", "pain", jm.pain_change),
                                       ("peg", "peg", jm.peg_change),
                                       ("psfs", "psfs", jm.psfs_change)):
            if len(read[table]):
                lines.append(progress_headline(change(read[table]).iloc[0], measure=measure))
        self.headline.value = ("".join(f"<p>{e(x)}</p>" for x in lines) if lines else
                               "<p>No check-ins yet: your progress shows here after the "
                               "first.</p>")
        daily = jm.pain_by_day(read["pain"])
        self._draws = {"adherence": lambda ax: jc.plot_adherence(adh, ax=ax),
                       "pain": lambda ax: jc.plot_pain(daily, ax=ax),
                       "peg": lambda ax: jc.plot_peg(read["peg"], ax=ax),
                       "psfs": lambda ax: jc.plot_psfs(read["psfs"], ax=ax)}
        self._stale = set(range(len(CHARTS)))
        self.draw_chart()
        self._propose(read["plans"])

    def draw_chart(self) -> None:
        """Draw the chart whose tab is open, if the journal changed since (the others
        are drawn when their tab opens)."""
        i = self.tabs.selected_index or 0
        if i in self._stale:
            self.charts[i].value = jc.journal_svg(CHARTS[i][1], self._draws[CHARTS[i][1]])
            self._stale.discard(i)

    def _propose(self, plans: pd.DataFrame) -> None:
        # A followed version that starts later and will take over from today's.
        now = in_force(plans, self.today)
        plans = followed(plans)
        later = plans["version"].to_numpy() > (-1 if now is None else int(now["version"]))
        ahead = plans.loc[(plans["starts"] > pd.Timestamp(self.today)).to_numpy() & later,
                          "starts"]
        if len(ahead):  # accepted already: not offered twice
            starts = ahead.min()
            self._proposal = None
            self.changes.value = (f"<p>Next week's plan is set: it starts on "
                                  f"{e(f'{starts:%A} {starts.day} {starts:%B}')}.</p>")
            self.accept.disabled = True
            return
        try:
            plan, changes = next_week(self.store, self.person, today=self.today, lib=self.lib)
        except BackguideError as exc:
            self._proposal = None
            self.changes.value = f"<p>{e(exc)}</p>"
            self.accept.disabled = True
            return
        self._proposal = plan
        rows = "".join(
            f"<tr><th>{e(r.name)}</th><td>{e(r.change)}</td><td>{e(r._4)}</td>"
            f"<td>{e(r.to)}</td><td>{e(r.reason)}</td></tr>"
            for r in changes.itertuples())
        self.changes.value = (
            '<div class="bg-table"><table><thead><tr><th>Exercise</th><th>Change</th>'
            f"<th>From</th><th>To</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table></div>")
        self.accept.disabled = False

    @property
    def changes_rows(self) -> list[list[str]]:
        """The proposed changes as a person reads them: one list of cells per row."""
        return [[text_of(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row)]
                for row in re.findall(r"<tr>(.*?)</tr>", self.changes.value)][1:]

    def accept_proposal(self) -> None:
        """Make the proposal the person's plan from next Monday (the start of next
        week); the old version stays."""
        if self._proposal is None:
            return
        starts = self.today + dt.timedelta(days=7 - self.today.weekday())
        accept_next(self.store, self.person, self._proposal, starts=starts)
        when = f"{starts:%A} {starts.day} {starts:%B}"
        self.message.value = (f"<b>Next week's plan starts on {e(when)}.</b> The plan "
                              "before it is kept in your journal.")
        self.refresh()

    def calendar_file(self) -> bytes | None:
        """The plan's sessions as an iCalendar file, offered as a download."""
        start = self.today + dt.timedelta(days=1)
        plan = self.store.plan(self.person, on=start)
        if plan is None:
            self.calendar.value = "<b>No plan yet</b> to put in a calendar."
            return None
        data = plan_calendar(plan, start=start, at=self.at.value, lib=self.lib)
        self.calendar.value = download_link(data, calendar_filename(plan),
                                            "Download the calendar file (.ics)",
                                            "text/calendar")
        return data

    @property
    def headline_text(self) -> str:
        return text_of(self.headline.value)
