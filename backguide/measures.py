"""The numbers of a plan, or of many plans at once: what is in it, its volume, the guidance.

Every function here is a pure function of entry tables and the library.
A plan's entries (``plan.entries``) are one table; many plans' entries
stacked with key columns (``person``, ``week``) are another, and
``by=["person", "week"]`` measures every plan at once with a pandas
``merge`` and ``groupby``, no loop over plans.  The charts, the widgets,
the handout and the presenter draw what these return and compute nothing
of their own.

* :func:`plan_table` joins each entry to its exercise and adds what its
  dose adds up to; every other measure starts from it.
* :func:`weekly_volume`: minutes, sets, reps and seconds held by day,
  category, muscle and role.
* :func:`guidance_status`: each guidance target's value and status;
  :func:`check_guidance` adds one plain sentence per target for one plan.
* :func:`measure_week` builds all of a week's tables from one plan table,
  for views that show several at once.

The work is split in three: :mod:`backguide.grouping` (the plan table, the
plans and the tables they add up to), :mod:`backguide.targets` (the guidance
targets, measured) and :mod:`backguide.guidance_words` (the checklist's
sentences).  This module is their face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .grouping import (
    COUNTS_AS,
    HELD_STRETCHES,
    Grouped,
    Plans,
    category_minutes,
    counted_as,
    day_minutes,
    day_minutes_of,
    muscle_minutes,
    muscle_portions,
    muscles_of,
    plan_table,
    session_minutes,
    sessions_of,
    volume_of,
    weekly_volume,
)
from .guidance_words import with_messages
from .library import Library
from .plan import describe_dose
from .targets import STATUSES, guidance_checks, guidance_status, met_count, status_of
from .targets import status_table


def check_guidance(plan: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """How one plan measures up to the guidance: one row per check, with a sentence.

    Targets come from the guidance table (rows with a ``target``), merged by
    :func:`guidance_checks`, not from constants here.  Columns: ``check``,
    ``guidance`` (the ids of every guidance row behind it), ``source``
    (every source behind it), ``target``, ``statement``, ``min``, ``max``,
    ``unit``, ``value`` (the plan's figure), ``status`` (met, short, over,
    or order for a harder exercise before its easier version; a plan with
    nothing in it meets nothing) and ``message`` (one plain sentence).
    """
    return with_messages(status_table(Grouped(plan, (), lib=lib)))


def category_summary(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """Days (or sessions) a week for stretching, strengthening and aerobic work.

    One row per kind, with ``label``, ``value`` (read from the guidance
    check, not counted again), the band ``low``/``high`` the guidance rows
    for it span, their ``sources``, the ``status`` against that band and
    the kind's ``minutes`` a week.  This is what
    :func:`backguide.plot_category_days` draws.
    """
    g = Grouped(plans, (), lib=lib)
    return _kinds(g, status_table(g))


def _kinds(g: Grouped, status: pd.DataFrame) -> pd.DataFrame:
    rows = []
    minutes = g.t["total_minutes"].to_numpy()
    target = status["target"].to_numpy()
    for kind, name, label in (("stretch", "stretch_days_per_week", "Stretching days"),
                              ("strength", "strength_days_per_week", "Strengthening days"),
                              ("aerobic", "aerobic_sessions_per_week", "Aerobic sessions")):
        c = status[target == name]
        value = float(c["value"].iloc[0]) if len(c) else 0.0
        low = float(c["min"].min()) if len(c) else math.nan
        highs = c["max"].dropna()
        high = float(highs.max()) if len(highs) else 7.0
        sources = ", ".join(dict.fromkeys(s for src in c["source"] for s in src.split(", ")))
        rows.append({"kind": kind, "label": label, "value": value, "low": low, "high": high,
                     "sources": sources, "status": status_of([value], low, high)[0],
                     "minutes": float(minutes[g.t[kind].to_numpy()].sum())})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class WeekMeasures:
    """Every table a view of one week shows, each computed once."""

    table: pd.DataFrame
    sessions: pd.DataFrame
    days: pd.DataFrame
    volume: pd.DataFrame
    muscles: pd.DataFrame
    check: pd.DataFrame
    kinds: pd.DataFrame


def measure_week(plan: Plans, *, lib: Library | None = None) -> WeekMeasures:
    """All of a week's tables, from one plan table and one grouping."""
    table = plan_table(plan, lib=lib)
    g = Grouped(table, (), lib=lib)
    status = status_table(g)
    return WeekMeasures(table=table, sessions=sessions_of(g), days=day_minutes_of(g),
                        volume=volume_of(g), muscles=muscles_of(g),
                        check=with_messages(status), kinds=_kinds(g, status))


__all__ = ["COUNTS_AS", "HELD_STRETCHES", "STATUSES", "WeekMeasures", "category_minutes",
           "category_summary", "check_guidance", "counted_as", "day_minutes", "describe_dose",
           "guidance_checks", "guidance_status", "measure_week", "met_count", "muscle_minutes",
           "muscle_portions", "plan_table", "session_minutes", "weekly_volume"]
