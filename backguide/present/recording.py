"""A presented session recorded in the person's journal: what the summary's Record does.

The session's results (done, partly done, skipped) join what the day already
holds in the journal (:meth:`~backguide.journal.store.Store.check_in`).  A
check-in counts against the plan the person follows; when they follow none
yet, a plan shown day by day can be followed from that day as it is recorded,
and a single exercise cannot be recorded.
"""

from __future__ import annotations

import datetime as dt
from html import escape as e

import pandas as pd

from ..content import results_headline
from ..errors import BackguideError
from ..library import Library
from ..plan import Plan

#: What the Record button says, following a plan or not.
RECORD = "Record this session in the journal"
FOLLOW_AND_RECORD = "Follow this plan from today and record this session"
FOLLOW_INSTEAD = "Follow this plan instead from today, and record this session"
#: Said in place of the button for a single exercise when no plan is followed.
NOTHING_FOLLOWED = ("Not recorded in the journal: no plan is followed yet. Present a day "
                    "of a plan to follow it from here, or choose one in the check-in.")


def not_in_plan(name: str) -> str:
    """Said in place of the button for a single exercise the followed plan lacks."""
    return (f"Not recorded in the journal: this exercise is not in \u201c{name}\u201d, the "
            "plan followed today, and the journal keeps what was done of that plan.")


def record_label(journal, person: int, plan: Plan | None, *, single: bool,
                 exercises=(), day: dt.date | None = None) -> tuple[str, str]:
    """The Record button's words for a session of ``exercises`` (ids), and what is said
    without one: :data:`RECORD` when the plan followed that day holds them all;
    :data:`FOLLOW_AND_RECORD` (none followed) or :data:`FOLLOW_INSTEAD` (one that
    lacks them) for a day of ``plan``; else no button, and why."""
    now = journal.plan(person, on=day or dt.date.today())
    if now is not None and set(exercises) <= set(now.entries["exercise"]):
        return RECORD, ""
    if single or plan is None:
        return "", NOTHING_FOLLOWED if now is None else not_in_plan(now.name)
    return (FOLLOW_AND_RECORD if now is None else FOLLOW_INSTEAD), ""


def record_session(journal, person: int, queue: pd.DataFrame, status: pd.Series,
                   plan: Plan | None, *, single: bool, day: dt.date,
                   lib: Library | None = None) -> str:
    """Record the session (``queue``'s entries, each with its ``status``) for ``day``,
    following ``plan`` from that day first if the person follows none; return what
    happened, as HTML for the page.

    Raises
    ------
    sqlalchemy.exc.SQLAlchemyError
        When the database cannot be reached (nothing is written).
    """
    label, why = record_label(journal, person, plan, single=single,
                              exercises=queue["exercise"], day=day)
    if not label:
        return f"<b>{e(why)}</b>"
    rows = pd.DataFrame({"exercise": queue["exercise"], "session": queue["session"],
                         "status": status, "felt": None})
    had = journal.read("done", person=person)
    # What the day already holds, of the plan that will be in force (a report of a
    # plan followed before today's is about that plan).
    keep = set(plan.entries["exercise"]) if label != RECORD else set(
        journal.plan(person, on=day).entries["exercise"])
    had = had[(had["date"] == pd.Timestamp(day)).to_numpy() & had["exercise"].isin(keep)]
    if len(had):
        kept = had.merge(rows[["exercise", "session"]], how="left", indicator=True)
        kept = kept[kept["_merge"] == "left_only"][["exercise", "session", "status", "felt"]]
        rows = pd.concat([kept.astype(object), rows], ignore_index=True)
    followed = ""
    try:
        if label in (FOLLOW_AND_RECORD, FOLLOW_INSTEAD):
            journal.set_plan(person, plan, starts=day)
            followed = f" You now follow \u201c{e(plan.name)}\u201d from today."
        journal.check_in(person, day, done=rows, lib=lib)
    except BackguideError as exc:
        return f"<b>Not recorded:</b> {e(str(exc))}{followed}"
    return (f"<b>Recorded</b> in the journal for {day:%A} {day.day} {day:%B}: "
            f"{e(results_headline(status))}{followed}")
