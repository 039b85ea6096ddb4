"""A plan's week as a person reads it: each entry, session and day with its minutes,
and the guidance checklist with its headline.

Every minute shown is :func:`~backguide.words.minutes_text` of the
dose rule's time, and every total is the sum of the parts shown beside it:
a session's minutes are its entries' as shown, a day's its sessions', the
week's its days'.  The board, the presenter and the handout all read these.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..library import Library, resolve
from ..measures import check_guidance, met_count, plan_table
from ..plan import Plan
from ..dose import has_dose
from ..schema import DAYS, DOSE_FIELDS
from .sources import source_titles
from ..words import count, entry_dose_words, minutes_text, shown_total, time_words

__all__ = ["STATUS", "CheckLine", "Checklist", "DayLine", "EntryLine", "SessionLine",
           "WeekContent", "checklist_content", "week_content"]


@dataclass(frozen=True)
class EntryLine:
    """One exercise of the plan: where it sits, its name, dose and minutes as shown."""

    row: int
    day: str
    session: int
    order: int
    exercise: str
    name: str
    dose: str
    minutes: str  # "" where the entry has no dose: its time is not known

    @property
    def time(self) -> str:
        """ "1.3 min", or "time not known: no dose"."""
        return time_words(self.minutes, not self.minutes)


class _Timed:
    """Minutes as shown (``minutes``) over ``entries``, some of which may have no dose."""

    @property
    def unknown(self) -> int:
        """How many of its exercises have no dose, so no known time."""
        return sum(not x.minutes for x in self.entries)

    @property
    def time(self) -> str:
        """ "2.8 min", with any exercises whose time is not known."""
        return time_words(self.minutes, self.unknown)


@dataclass(frozen=True)
class SessionLine(_Timed):
    """One session: its name, its exercises, and its minutes (their sum as shown)."""

    day: str
    number: int
    name: str
    minutes: str
    entries: tuple[EntryLine, ...]

    @property
    def heading(self) -> str:
        """ "Warm-up (2.8 min)" """
        return f"{self.name} ({self.time})"


@dataclass(frozen=True)
class DayLine(_Timed):
    """One day of the week: its sessions and minutes (their sum as shown)."""

    day: str
    sessions: tuple[SessionLine, ...]
    minutes: str

    @property
    def entries(self) -> tuple[EntryLine, ...]:
        return tuple(e for s in self.sessions for e in s.entries)

    @property
    def rest(self) -> bool:
        """A day with nothing planned."""
        return not self.sessions

    @property
    def summary(self) -> str:
        """ "3 exercises, 8.4 min", or "Rest day"."""
        n = len(self.entries)
        return f"{count(n, 'exercise')}, {self.time}" if n else "Rest day"


@dataclass(frozen=True)
class WeekContent(_Timed):
    """The week: every day (rest days included), and its total as shown."""

    name: str
    days: tuple[DayLine, ...]
    minutes: str

    @property
    def entries(self) -> tuple[EntryLine, ...]:
        return tuple(e for d in self.days for e in d.entries)

    @property
    def summary(self) -> str:
        """ "12 exercises on 5 days, 96.5 min"."""
        n = len(self.entries)
        if not n:
            return "Nothing planned yet"
        on = sum(not d.rest for d in self.days)
        return f"{count(n, 'exercise')} on {count(on, 'day')}, {self.time}"

    def day(self, day: str) -> DayLine:
        return next(d for d in self.days if d.day == day)


def _entries(plan) -> pd.DataFrame:
    return plan.entries if isinstance(plan, Plan) else plan


def week_content(plan: Plan | pd.DataFrame, *, lib: Library | None = None,
                 table: pd.DataFrame | None = None) -> WeekContent:
    """The week of ``plan`` (a :class:`~backguide.plan.Plan` or its entries) as read.

    ``table`` is the plan's :func:`~backguide.measures.plan_table` if already
    measured.

    >>> w = week_content(Plan().add("Monday", "cat_cow").add("Monday", "pelvic_tilt"))
    >>> [e.minutes for e in w.entries], w.day("Monday").minutes, w.minutes
    (['1.3', '1.5'], '2.8', '2.8')
    >>> w.day("Monday").sessions[0].heading, w.day("Tuesday").summary
    ('Routine (2.8 min)', 'Rest day')
    """
    lib = resolve(lib)
    t = plan_table(_entries(plan), lib=lib) if table is None else table
    words = [entry_dose_words(r) for r in t[["sets", "reps", "hold_s", "rest_s", "per_side",
                                            "minutes"]].to_dict("records")]
    names = t["name"].where(t["name"] != "", t["exercise"])
    # An entry with no dose at all has no known time, not the dose rule's one rep.
    dosed = has_dose(*(t[k].to_numpy(dtype=float) for k in DOSE_FIELDS))
    lines = [EntryLine(int(i), str(d), int(s), int(o), str(x), str(n), w,
                       minutes_text(m) if k else "")
             for i, d, s, o, x, n, w, m, k in zip(range(len(t)), t["day"], t["session"],
                                                    t["order"], t["exercise"], names, words,
                                                    t["total_minutes"], dosed)]
    days = []
    for day in DAYS:
        mine = [x for x in lines if x.day == day]
        sessions = []
        for number in dict.fromkeys(x.session for x in mine):
            its = tuple(x for x in mine if x.session == number)
            row = t.iloc[its[0].row]
            sessions.append(SessionLine(day, number, str(row["session_name"]),
                                        shown_total(x.minutes for x in its), its))
        days.append(DayLine(day, tuple(sessions), shown_total(s.minutes for s in sessions)))
    name = plan.name if isinstance(plan, Plan) else ""
    return WeekContent(name, tuple(days), shown_total(d.minutes for d in days))


#: How each status of a guidance check reads: its mark and its words.
STATUS = {
    "met": ("\u2713", "met"),
    "short": ("\u2717", "not yet"),
    "over": ("\u2191", "more than advised"),
    "order": ("\u21c5", "order to fix"),
}

#: What an empty plan's checklist says instead of a count.
EMPTY_HEADLINE = ("Nothing planned yet: add an exercise to a day to see which guidance "
                  "your week meets.")


@dataclass(frozen=True)
class CheckLine:
    """One guidance check: its status (with its mark and words), message and sources."""

    check: str
    status: str
    mark: str
    label: str
    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """The guidance checklist: a headline and one line per check (none for an empty plan)."""

    headline: str
    met: int
    total: int
    lines: tuple[CheckLine, ...]


def checklist_content(plan: Plan | pd.DataFrame, *, lib: Library | None = None,
                      check: pd.DataFrame | None = None) -> Checklist:
    """The guidance checklist of ``plan``: "Guidance: 7 of 11 met" and a line per check.

    ``check`` is the plan's :func:`~backguide.measures.check_guidance` if
    already measured.  An empty plan meets nothing, and its headline says
    what to do instead.

    >>> checklist_content(Plan()).headline.startswith("Nothing planned yet")
    True
    """
    lib = resolve(lib)
    if _entries(plan).empty:
        total = len(lib.checks) if check is None else len(check)
        return Checklist(EMPTY_HEADLINE, 0, total, ())
    check = check_guidance(plan, lib=lib) if check is None else check
    met, total = met_count(check)
    lines = tuple(
        CheckLine(str(r["check"]), r["status"], *STATUS[r["status"]], str(r["message"]),
                  source_titles(str(r["source"]).split(", "), lib=lib))
        for r in check.to_dict("records"))
    return Checklist(f"Guidance: {met} of {total} met", met, total, lines)
