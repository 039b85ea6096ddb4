"""What the take-home handout says, as plain data: the one author of its every line.

:func:`handout_content` builds on the content layer (:mod:`backguide.content`):
each exercise is :func:`~backguide.content.exercise_content` at the dose
shown, every dose and minute in words is the week's
(:func:`~backguide.content.week_content`), the guidance is the checklist's
(:func:`~backguide.content.checklist_content`) and the safety text is
:func:`~backguide.content.safety_content`'s.  The PDF (:mod:`.pdf`) and the
web page (:mod:`.html`) only lay it out; neither words a sentence of its own.

How often each exercise is done
-------------------------------
A handout of a whole week says, under each dose, the days the week has it
at that dose ("every day", "on Monday, Thursday").  A handout of one day
taken from a plan (``from_plan``, as the presenter hands out the day it
went through) says the days *that plan* has it at that dose, so a routine
done every day reads "every day", not "on Monday"; its log sheet shades
those days.  A day or a single exercise handed out on its own, with no plan
behind it, has no days to tell: it says :data:`HOW_OFTEN_UNKNOWN` and its
log sheet shades nothing.

How many times a day, and the clinic
-------------------------------------
``times_a_day`` (1 to 5, or blank) is said with each dose ("10 reps, hold
3 s: every day, twice a day") and on the log sheet.  ``clinic`` (the
clinic's name and contact, as typed) is printed at the foot of every page.

What a person typed
-------------------
The person's name, the notes and the clinic are printed as typed.  A text
that cannot be printed (a lone surrogate, ``"Ada\\udc80"``, which no font
and no UTF-8 file can hold; or a control character) raises
:class:`~backguide.errors.BackguideError` naming the field (``person``,
``notes``, ``clinic``, or the plan's ``name``), before anything is drawn.

No matplotlib, no ipywidgets: this module is pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date

import pandas as pd

from ..content import (ExerciseContent, about_minutes, checklist_content, exercise_content,
                       reference, safety_content, week_content)
from ..content.exercise import SourcePicture, check_attribution, source_pictures
from ..content.week import WeekContent
from ..errors import BackguideError, NothingToHandOut
from ..library import Library, resolve
from ..measures import check_guidance, day_minutes, plan_table
from ..plan import Plan
from ..schema import DAYS
from ..words import NO_DOSE

__all__ = ["CLINIC_MOST", "DAY_HEADS", "DoseLine", "HOW_OFTEN_UNKNOWN", "HandoutContent",
           "HandoutItem", "LogRow", "PAPER", "TIMES_A_DAY", "check_paper", "check_times_a_day",
           "check_typed", "handout_content", "how_often"]

#: Paper sizes in inches.
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
#: How often, when no plan says which days.
HOW_OFTEN_UNKNOWN = "as often as your clinician advises"
#: The log sheet's column heads, one per day.
DAY_HEADS = tuple(d[:3] for d in DAYS)

# The handout's fixed words: headings and lines every handout has.
UNTITLED = "Your exercises"
NOTES_HEADING = "Notes from your clinician"
WEEK_HEADING = "Your week at a glance"
WEEK_CHART_LABEL = "Minutes of exercise on each day of the week"
MET_HEADING = "The guidance this week meets"
NONE_MET = "None of the checks yet."
TO_WORK_ON_HEADING = "Still to work towards"
STOP_HEADING = "When to stop, and when to seek care"
SOURCES_HEADING = "Sources"
LOG_TITLE = "Your exercise log: week of"
LOG_HOW = ("Tick a box each time you do an exercise. Each evening, write down your pain "
           "from 0 (none) to 10 (the worst you can imagine).")
LOG_KEY = "Shaded boxes: the days your plan has that exercise."
LOG_HEAD = "Exercise and dose"
PAIN_ROW = "Pain today (0-10)"
NOTES_LINE = "Notes:"
CAUTION = "Take care:"
CONTINUED = "(continued)"


#: How many times a day, in words.
TIMES_A_DAY = {1: "once a day", 2: "twice a day", 3: "three times a day",
               4: "four times a day", 5: "five times a day"}
#: The most characters the clinic's name and contact may take: two lines at a page's foot.
CLINIC_MOST = 160
#: Control characters a person may type: a tab and line breaks.
_TYPED_SPACES = "\t\n\r"


def check_typed(field: str, text: str) -> str:
    """``text`` as typed into ``field``, if it can be printed; else a
    :class:`~backguide.errors.BackguideError` naming the field, the character and
    what to do.

    A lone surrogate (``"\\udc80"``: half of a character, left by a bad copy and
    paste or a file read wrongly) can be neither drawn nor saved; a control
    character (other than a tab or a line break) prints as nothing.
    """
    if not isinstance(text, str):
        raise BackguideError.at(field, "text", value=repr(text))
    for at, ch in enumerate(text):
        if "\ud800" <= ch <= "\udfff" or (ord(ch) < 32 and ch not in _TYPED_SPACES) \
                or ord(ch) == 127:
            shown = text[max(0, at - 20):at + 21]  # the error shows it escaped (repr)
            raise BackguideError.at(
                field, f"text that can be printed: character {at + 1} "
                f"({ch.encode('utf-8', 'backslashreplace').decode('ascii')}) is not a "
                "character a page can show (half of one, left by copying and pasting, or a "
                "control code). Delete it and type the text again", value=shown)
    return text


def check_times_a_day(times_a_day) -> int | None:
    """How many times a day as a number from 1 to 5, or None for blank (``None``, ``""``);
    anything else raises :class:`~backguide.errors.BackguideError` naming ``times_a_day``."""
    if times_a_day is None or isinstance(times_a_day, str) and not times_a_day.strip():
        return None
    value = times_a_day
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in TIMES_A_DAY:
        raise BackguideError.at("times_a_day", "a whole number from 1 to 5, or blank",
                                value=times_a_day)
    return value


def check_clinic(clinic: str) -> tuple[str, ...]:
    """The clinic's name and contact as the lines typed (blank lines left out)."""
    check_typed("clinic", clinic)
    lines = tuple(line.strip() for line in clinic.splitlines() if line.strip())
    if sum(len(line) for line in lines) > CLINIC_MOST:
        raise BackguideError.at(
            "clinic", f"at most {CLINIC_MOST} characters, to fit the foot of each page "
            "(the name, a telephone number and an address or web site)",
            value=f"{sum(len(line) for line in lines)} characters")
    return lines


def check_paper(paper: str) -> None:
    """Refuse a paper size the handout is not laid out for."""
    if paper not in PAPER:
        raise ValueError(f"Unknown paper {paper!r}; expected one of: {', '.join(PAPER)}.")


def how_often(days: Iterable[str]) -> str:
    """Days in words: "every day", "on Monday, Thursday", or :data:`HOW_OFTEN_UNKNOWN`
    for none.

    >>> how_often(DAYS), how_often(["Thursday", "Monday"]), how_often([])
    ('every day', 'on Monday, Thursday', 'as often as your clinician advises')
    """
    days = set(days)
    if not days:
        return HOW_OFTEN_UNKNOWN
    return "every day" if days >= set(DAYS) else "on " + ", ".join(d for d in DAYS if d in days)


@dataclass(frozen=True)
class DoseLine:
    """One dose of an exercise in words, the days it is done (none when no plan says)
    and how often in words."""

    dose: str
    days: tuple[str, ...]
    how_often: str
    #: How many times a day in words ("twice a day"), or "" when not said.
    times: str = ""

    @property
    def text(self) -> str:
        """ "10 reps, hold 3 s: every day", "10 reps, hold 3 s: every day, twice a day";
        with no days known, "10 reps, hold 3 s: twice a day"; with no dose,
        "Dose: ask your clinician; every day". """
        if self.dose == NO_DOSE:
            return f"Dose: {NO_DOSE}; " + ", ".join(w for w in (
                self.how_often if self.days or not self.times else "", self.times) if w)
        if not self.times:
            return f"{self.dose}: {self.how_often}"
        if not self.days:
            return f"{self.dose}: {self.times}"
        return f"{self.dose}: {self.how_often}, {self.times}"


@dataclass(frozen=True)
class HandoutItem:
    """One exercise of the handout: what a person reads about it, and each of its doses."""

    exercise: ExerciseContent
    doses: tuple[DoseLine, ...]
    #: The source's pictures, for an exercise with no drawn positions (:func:`source_pictures`).
    pictures: tuple[SourcePicture, ...] = ()

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def shown_pictures(self) -> tuple[SourcePicture, ...]:
        """The source's pictures printed (a file in the library folder, or an address
        when network use is allowed)."""
        return tuple(p for p in self.pictures if not p.note)

    @property
    def picture_notes(self) -> tuple[str, ...]:
        """What is said in place of each source's picture not printed: its address when
        network use is off.  A file missing from the library folder is the clinic's to
        fix (the card and the presenter say so), not the patient's: not printed."""
        return tuple(p.note for p in self.pictures if p.note and p.url)

    @property
    def attribution(self) -> str:
        """ "Exercise from <author>, <licence>", or "" for the library's own."""
        return self.exercise.attribution

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def steps(self) -> tuple[str, ...]:
        return self.exercise.steps

    @property
    def cautions(self) -> tuple[str, ...]:
        """Each caution as printed: "Take care: ..."."""
        return tuple(f"{CAUTION} {c}" for c in self.exercise.cautions)

    @property
    def variants(self) -> str:
        """The easier and harder exercises, and how to progress, in one line ("" if none)."""
        ex = self.exercise
        parts = []
        if ex.easier:
            parts.append(f"Easier: {', '.join(v.name for v in ex.easier)}.")
        if ex.harder:
            parts.append(f"Harder: {', '.join(v.name for v in ex.harder)}.")
        if ex.progression and parts:
            parts.append(ex.progression)
        return " ".join(parts)


@dataclass(frozen=True)
class LogRow:
    """A row of the log sheet: the exercise, its dose, and the days shaded."""

    name: str
    dose: str
    days: tuple[str, ...]

    @property
    def shaded(self) -> tuple[bool, ...]:
        """For each day of the week, whether its box is shaded."""
        return tuple(d in self.days for d in DAYS)


@dataclass(frozen=True, eq=False)
class HandoutContent:
    """Everything the handout says, in the order it is printed.

    ``week`` says whether the handout is of a whole week: only then is there
    a ``chart`` (:func:`~backguide.measures.day_minutes`, for
    :func:`~backguide.charts.plot_week`) and a guidance checklist
    (``headline``, ``met``, ``to_work_on``); a day has its ``session_line``
    instead.  ``week_of`` is the log sheet's date ("" for a blank to fill).
    """

    title: str
    meta: str
    notes: tuple[str, ...]
    safety_line: str
    week: bool
    days: tuple[str, ...]
    chart: pd.DataFrame | None
    session_line: str
    items: tuple[HandoutItem, ...]
    headline: str
    met: tuple[str, ...]
    to_work_on: tuple[str, ...]
    stop_rule: str
    signs_heading: str
    signs: tuple[str, ...]
    sources: tuple[str, ...]
    week_of: str
    log: tuple[LogRow, ...]
    log_key: str
    #: The clinic's name and contact, line by line (none: nothing at the foot of a page).
    clinic: tuple[str, ...] = ()
    #: How many times a day in words, said with each dose ("" when not said).
    times_a_day: str = ""

    @property
    def clinic_line(self) -> str:
        """The clinic's name and contact on one line, as at the foot of each page."""
        return " \u00b7 ".join(self.clinic)

    @property
    def log_title(self) -> str:
        """ "Your exercise log: week of 2026-11-23" (ending "week of" with no date)."""
        return f"{LOG_TITLE} {self.week_of}".strip()


def _entry_keys(week: WeekContent, day: str) -> list[tuple[str, str]]:
    """A day's exercises and doses, in order."""
    return [(x.exercise, x.dose) for x in week.day(day).entries]


def _places(week: WeekContent) -> list[tuple[str, int, str, str]]:
    """Every entry of the week: its day, session, exercise and dose."""
    return [(x.day, x.session, x.exercise, x.dose) for x in week.entries]


def _session_line(plan_week: WeekContent, day: str, schedule: WeekContent | None) -> str:
    """A single day's line instead of the week chart: each session's minutes, and how
    often the plan it came from has that session (the same exercises at the same doses)."""
    sessions = plan_week.day(day).sessions

    def when(session) -> str:
        if schedule is None:
            return ""
        keys = [(x.exercise, x.dose) for x in session.entries]
        same = [d.day for d in schedule.days
                if any([(x.exercise, x.dose) for x in s.entries] == keys for s in d.sessions)]
        return " " + how_often(same or [day])

    if len(sessions) == 1:
        return f"Your session{when(sessions[0])}: {about_minutes(sessions[0].minutes, sessions[0].unknown)}."
    return ("Your sessions: " + "; ".join(
        f"{s.name}{when(s)}, {about_minutes(s.minutes, s.unknown)}" for s in sessions) + ".")


def _items(plan: Plan, plan_week: WeekContent, schedule: WeekContent | None,
           lib: Library, times: str = "") -> tuple[HandoutItem, ...]:
    """Each exercise of the plan in the order it first appears, each distinct dose with
    the days ``schedule`` has it at that dose (the plan's own days if it has none)."""
    rows = plan.entries.reset_index(drop=True)
    doses: dict[str, dict[str, int]] = {}  # exercise -> dose in words -> its first row
    for line in plan_week.entries:
        doses.setdefault(line.exercise, {}).setdefault(line.dose, line.row)
    items = []
    for ex_id, mine in doses.items():
        first = rows.iloc[next(iter(mine.values()))].to_dict()
        ex = exercise_content(ex_id, dose=first, lib=lib)
        check_attribution(ex, lib=lib)
        lines = []
        for dose in mine:
            if schedule is None:
                days: tuple[str, ...] = ()
            else:
                on = {x.day for x in schedule.entries if (x.exercise, x.dose) == (ex_id, dose)}
                on = on or {x.day for x in plan_week.entries
                            if (x.exercise, x.dose) == (ex_id, dose)}
                days = tuple(d for d in DAYS if d in on)
            lines.append(DoseLine(dose, days, how_often(days), times))
        items.append(HandoutItem(ex, tuple(lines), source_pictures(ex, lib=lib)))
    return tuple(items)


def _meta(person: str, when: Date | None) -> str:
    return " ".join(x for x in ((f"For: {person}." if person else ""),
                                (f"Date: {when.isoformat()}." if when else "")) if x)


def handout_content(plan: Plan, *, lib: Library | None = None, from_plan: Plan | None = None,
                    person: str = "", notes: str = "", when: Date | None = None,
                    clinic: str = "", times_a_day: int | None = None) -> HandoutContent:
    """What the handout of ``plan`` says, independent of how it is laid out.

    ``plan`` holds exactly what was shown: one exercise, a day's session or
    a whole week.  ``from_plan`` is the whole plan a day was taken from:
    each dose then says the days ``from_plan`` has that exercise at that
    dose, and the log sheet shades them.  ``person`` (the plan's own if
    blank), ``notes`` (after the plan's own) and ``when`` are printed as
    given.  ``clinic`` (the clinic's name and contact) goes at the foot of every
    page; ``times_a_day`` (1 to 5, or None) is said with each dose.

    Raises :class:`~backguide.errors.NothingToHandOut` if the plan has no
    exercises, and :class:`~backguide.errors.BackguideError` naming the field
    (``person``, ``notes``, ``clinic``, ``times_a_day``, or the plan's ``name``)
    for a text that cannot be printed or a number of times out of range.
    An exercise whose licence requires attribution but which has no author
    (:func:`~backguide.content.exercise.check_attribution`) is refused with a
    :class:`~backguide.errors.BackguideError` naming it and its ``author`` column.
    """
    lib = resolve(lib)
    for field, text in (("person", person), ("notes", notes), ("name", plan.name),
                        ("person", plan.person), ("notes", plan.notes)):
        check_typed(field, text)
    clinic_lines = check_clinic(clinic)
    times = check_times_a_day(times_a_day)
    times_words = TIMES_A_DAY[times] if times else ""
    if plan.entries.empty:
        raise NothingToHandOut.of(plan.name)
    table = plan_table(plan, lib=lib)
    plan_week = week_content(plan, lib=lib, table=table)
    days = tuple(d.day for d in plan_week.days if not d.rest)
    from_week = None if from_plan is None else week_content(from_plan, lib=lib)
    # The whole of from_plan handed out is a week, even if it has a single day.
    week = len(days) > 1 or (from_week is not None and _places(from_week) == _places(plan_week))
    schedule = from_week if from_week is not None else (plan_week if week else None)
    items = _items(plan, plan_week, schedule, lib, times_words)

    cited = {s for item in items for s in item.exercise.source_ids}
    chart, headline, met, to_work_on, session_line = None, "", (), (), ""
    if week:
        check = check_guidance(plan, lib=lib)
        checklist = checklist_content(plan, lib=lib, check=check)
        headline = checklist.headline
        met = tuple(x.message for x in checklist.lines if x.status == "met")
        to_work_on = tuple(x.message for x in checklist.lines if x.status != "met")
        cited |= {s for sources in check["source"] for s in str(sources).split(", ") if s}
        chart = day_minutes(plan, lib=lib)
    else:
        session_line = _session_line(plan_week, days[0], schedule)
    safety = safety_content(lib=lib)
    cited |= set(safety.cited)

    log = tuple(LogRow(item.name, f"{d.dose}, {times_words}" if times_words else d.dose,
                       d.days) for item in items for d in item.doses)
    start = plan.start or (from_plan.start if from_plan is not None else None) or when
    return HandoutContent(
        title=plan.name if plan.name.strip() else UNTITLED,
        meta=_meta(person or plan.person, when),
        notes=tuple("\n".join(n for n in (plan.notes, notes) if n).splitlines()),
        safety_line=f"{safety.note} {safety.stop_rule}",
        week=week, days=days, chart=chart, session_line=session_line, items=items,
        headline=headline, met=met, to_work_on=to_work_on,
        stop_rule=safety.stop_rule, signs_heading=safety.signs_heading,
        signs=tuple(s.statement for s in safety.signs),
        sources=tuple(reference(s, lib=lib) for s in lib.sources.index if s in cited),
        week_of=start.isoformat() if start else "",
        log=log, log_key=LOG_KEY if any(r.days for r in log) else "",
        clinic=clinic_lines, times_a_day=times_words)



def prepared(plan: Plan, *, lib: Library | None = None, paper: str = "A4",
             **content) -> tuple[HandoutContent, Library]:
    """The paper checked, the library resolved and the handout's content worked out:
    what :func:`~backguide.handout.handout_pdf`, ``handout_html`` and ``handout_pages``
    each start from (``content`` are :func:`handout_content`'s keywords)."""
    check_paper(paper)
    lib = resolve(lib)
    return handout_content(plan, lib=lib, **content), lib
