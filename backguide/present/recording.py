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
#: Said in place of the button for a single exercise when no plan is followed.
NOTHING_FOLLOWED = ("Not recorded in the journal: no plan is followed yet. Present a day "
                    "of a plan to follow it from here, or choose one in the check-in.")


def record_label(journal, person: int, plan: Plan | None, *, single: bool,
                 day: dt.date | None = None) -> str:
    """The Record button's words for this session: :data:`RECORD`,
    :data:`FOLLOW_AND_RECORD`, or "" (no button: :data:`NOTHING_FOLLOWED`)."""
    if journal.plan(person, on=day or dt.date.today()) is not None:
        return RECORD
    return "" if single or plan is None else FOLLOW_AND_RECORD


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
    label = record_label(journal, person, plan, single=single, day=day)
    if not label:
        return f"<b>{e(NOTHING_FOLLOWED)}</b>"
    rows = pd.DataFrame({"exercise": queue["exercise"], "session": queue["session"],
                         "status": status, "felt": None})
    had = journal.read("done", person=person)
    had = had[had["date"] == pd.Timestamp(day)]
    if len(had):
        kept = had.merge(rows[["exercise", "session"]], how="left", indicator=True)
        kept = kept[kept["_merge"] == "left_only"][["exercise", "session", "status", "felt"]]
        rows = pd.concat([kept.astype(object), rows], ignore_index=True)
    followed = ""
    try:
        if label == FOLLOW_AND_RECORD:
            journal.set_plan(person, plan, starts=day)
            followed = f" You now follow \u201c{e(plan.name)}\u201d from today."
        journal.check_in(person, day, done=rows, lib=lib)
    except BackguideError as exc:
        return f"<b>Not recorded:</b> {e(str(exc))}{followed}"
    return (f"<b>Recorded</b> in the journal for {day:%A} {day.day} {day:%B}: "
            f"{e(results_headline(status))}{followed}")
