"""The journal's tidy tables: their names, columns and allowed values.

Every part of the journal (the store, the measures over it, next week's
plan, the check-in and progress views) reads these names from here, so they
agree on what a column is called and what it may hold.

One row per observation, keyed by person and date (and the Monday of the
date's week, ``week``, for grouping):

========  ================================================================
people    person, name, clinician, created
plans     person, version, starts, name, follow (a version followed from
          ``starts``, or only saved under its name: :func:`followed`), created
entries   person, version, then a plan's entry columns (day, session, ...)
done      person, date, week, version, day, session, exercise, status,
          felt, and the dose done (sets, reps, hold_s, minutes; NaN if
          not given)
pain      person, date, week, nprs (0-10, daily)
peg       person, date, week, pain, enjoyment, activity (0-10 each, weekly),
          score (their mean)
psfs      person, date, week, activity (named by the person), score (0-10)
signs     person, date, week, sign (a warning sign's id in guidance.csv)
========  ================================================================
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..plan import ENTRY_COLUMNS

#: How an exercise went, as the person ticks it.
STATUSES = ("done", "partly", "skipped")
#: How it felt, as the person says it (only for done or partly).
FEELINGS = ("easier", "about right", "harder", "hurt more")
#: The dose fields a person may report as done.
DOSE_DONE = ("sets", "reps", "hold_s", "minutes")
#: The PEG's three items (Krebs et al. 2009), each 0-10.
PEG_ITEMS = ("pain", "enjoyment", "activity")
#: The PSFS: up to this many activities, each 0-10 (Stratford et al. 1995).
PSFS_MAX = 5
#: Every score's range.
SCORE_RANGE = (0, 10)

#: Each table's columns, in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("person", "name", "clinician", "created"),
    "plans": ("person", "version", "starts", "name", "follow", "created"),
    "entries": ("person", "version", *ENTRY_COLUMNS),
    "done": ("person", "date", "week", "version", "day", "session", "exercise", "status",
             "felt", *DOSE_DONE),
    "pain": ("person", "date", "week", "nprs"),
    "peg": ("person", "date", "week", *PEG_ITEMS, "score"),
    "psfs": ("person", "date", "week", "activity", "score"),
    "signs": ("person", "date", "week", "sign"),
}
#: The tables ``store.read`` knows.
TABLES = tuple(COLUMNS)


def followed(plans: pd.DataFrame) -> pd.DataFrame:
    """The plan versions the person follows: the only ones ever in force (a plan only
    saved under its name is not).  A table without ``follow`` is all followed.
    """
    if "follow" not in plans.columns:
        return plans
    return plans[plans["follow"].to_numpy(dtype=bool, na_value=False)]


def in_force(plans: pd.DataFrame, day) -> pd.Series | None:
    """The row of ``plans`` (one person's) in force on ``day``: the greatest followed
    version started by then, as :meth:`Store.plan <backguide.journal.store.Store.plan>`
    picks it; None if there is none."""
    plans = followed(plans)
    started = plans[(pd.to_datetime(plans["starts"]) <= pd.Timestamp(day)).to_numpy()]
    if started.empty:
        return None
    return started.loc[started["version"].astype(int).idxmax()]


def week_of(dates) -> pd.Series | pd.Timestamp:
    """The Monday of each date's week (midnight), the journal's ``week`` key.

    >>> str(week_of(pd.Timestamp("2026-12-10")).date())
    '2026-12-07'
    """
    if isinstance(dates, (pd.Timestamp, dt.date)):
        d = pd.Timestamp(dates).normalize()
        return d - pd.Timedelta(days=d.weekday())
    d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    return d - pd.to_timedelta(d.dt.day_of_week, unit="D")
