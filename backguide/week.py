"""The numbers of a week: what is in the plan, its volume, and the guidance check.

Pure functions of a :class:`~backguide.plan.Plan` and the library tables;
the charts and widgets only draw what these return.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .dose import estimate_seconds
from .library import exercise_muscles
from .plan import Plan
from .schema import CATEGORIES, DAYS, DIFFICULTIES, MUSCLES, SPINE_MUSCLES

#: Which categories count towards which kind of guidance.  Pilates and yoga
#: ("mind-body") both strengthen and stretch (myspine); mobility work such
#: as cat-cow is stretching ("Cat-Camel Stretch", wolfe).
COUNTS_AS = {
    "aerobic": ("aerobic",),
    "strength": ("strength", "mind-body"),
    "stretch": ("stretch", "mobility", "mind-body"),
}

_DAY = pd.CategoricalDtype(DAYS, ordered=True)
_CATEGORY = pd.CategoricalDtype(CATEGORIES, ordered=True)


def plan_table(plan: Plan, exercises: pd.DataFrame) -> pd.DataFrame:
    """One row per entry of the plan, in plan order, with its exercise's facts.

    Columns: ``day`` (ordered categorical), ``session`` (index within the
    day), ``session_name``, ``order`` (position in the session),
    ``exercise``, ``name``, ``category``, ``difficulty``, the dose
    (``sets``, ``reps``, ``hold_s``, ``rest_s``, ``per_side``, ``minutes``,
    ``dose_source``), and what it adds up to: ``seconds`` and
    ``total_minutes`` (time by the dose rule), ``total_sets`` and
    ``total_reps`` (counting each side), ``total_hold_s`` (seconds held).
    """
    rows = [(day, i, s.name, j, e.exercise, e.sets, e.reps, e.hold_s, e.rest_s, e.per_side,
             e.minutes, e.dose_source)
            for day in DAYS for i, s in enumerate(plan.days[day])
            for j, e in enumerate(s.entries)]
    cols = ["day", "session", "session_name", "order", "exercise", "sets", "reps", "hold_s",
            "rest_s", "per_side", "minutes", "dose_source"]
    t = pd.DataFrame(rows, columns=cols)
    for c in ("sets", "reps", "hold_s", "rest_s", "minutes"):
        t[c] = pd.to_numeric(t[c], errors="coerce").astype(float)
    t["per_side"] = t["per_side"].astype(bool)
    t["day"] = t["day"].astype(_DAY)
    t["session"] = t["session"].astype(int)
    t["order"] = t["order"].astype(int)
    facts = exercises.reindex(t["exercise"].unique())
    t["name"] = t["exercise"].map(facts["name"])
    t["category"] = pd.Categorical(t["exercise"].map(facts["category"]), dtype=_CATEGORY)
    t["difficulty"] = pd.Categorical(t["exercise"].map(facts["difficulty"]),
                                     categories=DIFFICULTIES, ordered=True)
    sides = np.where(t["per_side"], 2.0, 1.0)
    sets = t["sets"].fillna(1.0).to_numpy()
    reps = t["reps"].fillna(1.0).to_numpy()
    timed = t["minutes"].fillna(0).to_numpy() > 0
    t["seconds"] = estimate_seconds(t["sets"], t["reps"], t["hold_s"], t["rest_s"],
                                    t["per_side"], t["minutes"])
    t["total_minutes"] = t["seconds"] / 60.0
    t["total_sets"] = np.where(timed, 0.0, sides * sets)
    t["total_reps"] = np.where(timed, 0.0, sides * sets * reps)
    t["total_hold_s"] = t["total_reps"] * t["hold_s"].fillna(0.0)
    return t


def weekly_volume(plan: Plan, exercises: pd.DataFrame) -> pd.DataFrame:
    """The week's volume by day, category and muscle group, in tidy form.

    One row per day, category, muscle and role (primary or secondary) that
    the plan works.  ``minutes``, ``sets``, ``reps`` and ``hold_s`` count
    fully for a primary muscle and at :data:`backguide.SECONDARY_SHARE`
    (one half) for a secondary one; ``sessions`` is how many of that day's
    sessions work the muscle.  An empty plan gives an empty table with these
    columns.
    """
    t = plan_table(plan, exercises)
    muscles = exercise_muscles(exercises.loc[exercises.index.isin(t["exercise"].unique())])
    v = t.merge(muscles, left_on="exercise", right_on="id", how="inner")
    share = v["share"].to_numpy()
    v = v.assign(minutes=v["total_minutes"] * share, sets=v["total_sets"] * share,
                 reps=v["total_reps"] * share, hold_s=v["total_hold_s"] * share)
    out = (v.groupby(["day", "category", "muscle", "role"], observed=True, sort=True)
            .agg(minutes=("minutes", "sum"), sets=("sets", "sum"), reps=("reps", "sum"),
                 hold_s=("hold_s", "sum"), sessions=("session", "nunique"))
            .reset_index())
    out["muscle"] = out["muscle"].astype(pd.CategoricalDtype(MUSCLES))
    return out


# --- the guidance check ---------------------------------------------------------

def _status(value: float, low: float, high: float) -> str:
    if not math.isnan(low) and value < low:
        return "short"
    if not math.isnan(high) and value > high:
        return "over"
    return "met"


def _n(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def _range(low: float, high: float, unit: str) -> str:
    if unit == "days" and low >= 7:
        return "every day"
    if math.isnan(high):
        return f"{_n(low)} or more {unit}"
    if low == high:
        return f"{_n(low)} {unit}"
    return f"{_n(low)}-{_n(high)} {unit}"


class _Week:
    """What the check measures, computed once per plan."""

    def __init__(self, plan: Plan, exercises: pd.DataFrame, guidance: pd.DataFrame):
        self.t = t = plan_table(plan, exercises)
        self.exercises = exercises
        kinds = {k: t["category"].isin(v).to_numpy() for k, v in COUNTS_AS.items()}
        self.days_with = {k: set(t.loc[m, "day"].astype(str)) for k, m in kinds.items()}
        aer = t[kinds["aerobic"]]
        self.aerobic = (aer.groupby(["day", "session"], observed=True)["total_minutes"].sum()
                        .reset_index())
        self.aerobic_minutes = float(aer["total_minutes"].sum())
        threshold = guidance.loc[guidance["target"] == "aerobic_session_minutes", "min"]
        self.threshold = float(threshold.iloc[0]) if len(threshold) else 0.0
        # ACSM's holds are for static stretches, not moving mobility work.
        self.stretches = t[(t["category"] == "stretch").to_numpy()]

    def suggest_day(self, kind: str) -> str:
        """A day without ``kind``, as far as possible from the days that have it."""
        have = [DAYS.index(d) for d in self.days_with[kind]]
        free = [i for i in range(7) if i not in have]
        if not free:
            return ""
        best = max(free, key=lambda i: min([min(abs(i - h), 7 - abs(i - h)) for h in have] or [7]))
        return DAYS[best]


def _aerobic_session_minutes(w: _Week, low, high, unit):
    if w.aerobic.empty:
        return 0.0, "short", (f"Aerobic: no session yet; add a walk, swim or bike ride of at "
                              f"least {_n(low)} minutes.")
    shortest = w.aerobic.loc[w.aerobic["total_minutes"].idxmin()]
    value = float(shortest["total_minutes"])
    status = _status(value, low, high)
    if status == "short":
        return value, status, (f"Aerobic: {shortest['day']}'s session is {_n(value)} minutes; "
                               f"make each one at least {_n(low)} minutes.")
    return value, status, f"Aerobic: every session lasts at least {_n(low)} minutes."


def _aerobic_sessions(w: _Week, low, high, unit):
    long_enough = w.aerobic[w.aerobic["total_minutes"] >= w.threshold]
    value = float(len(long_enough))
    status = _status(value, low, high)
    text = (f"Aerobic: {_n(value)} sessions of {_n(w.threshold)} minutes or more this week, "
            f"against {_range(low, high, 'sessions')}")
    if status == "short":
        day = w.suggest_day("aerobic")
        return value, status, text + (f"; add a walk on {day}." if day else "; lengthen one.")
    if status == "over":
        return value, status, text + "; more than suggested, which is fine if you feel well."
    return value, status, text + "."


def _aerobic_minutes(w: _Week, low, high, unit):
    value = w.aerobic_minutes
    status = _status(value, low, high)
    text = f"Aerobic: {_n(value)} minutes this week, against {_range(low, high, 'minutes')}"
    if status == "short":
        return value, status, text + f"; {_n(low - value)} more minutes would reach it."
    return value, status, text + "."


def _days(kind: str, label: str):
    def measure(w: _Week, low, high, unit):
        value = float(len(w.days_with[kind]))
        status = _status(value, low, high)
        text = f"{label}: {_n(value)} days this week, against {_range(low, high, 'days')}"
        if status == "short":
            day = w.suggest_day(kind)
            return value, status, text + (f"; add some on {day}." if day else ".")
        return value, status, text + "."
    return measure


def _stretch_and_strength(w: _Week, low, high, unit):
    has = {k: bool(w.days_with[k]) for k in ("stretch", "strength")}
    value = float(all(has.values()))
    if value:
        return value, "met", "Stretching and strengthening: both are in the week."
    missing = " and ".join(k for k, v in (("stretching", has["stretch"]),
                                         ("strengthening", has["strength"])) if not v)
    return value, "short", f"Stretching and strengthening: add some {missing}."


def _spine_muscles(w: _Week, low, high, unit):
    ex = w.exercises.reindex(w.t["exercise"].unique())
    worked = set()
    for p, s in zip(ex["primary_muscles"].dropna(), ex["secondary_muscles"].dropna()):
        worked.update(p, s)
    missing = [m for m in SPINE_MUSCLES if m not in worked]
    value = float(len(SPINE_MUSCLES) - len(missing))
    status = _status(value, low, high)
    if missing:
        return value, status, (f"Muscles that support the spine: {_n(value)} of "
                               f"{len(SPINE_MUSCLES)} worked; add something for the "
                               f"{', '.join(missing)}.")
    return value, status, "Muscles that support the spine: all four are worked this week."


def _progression_order(w: _Week, low, high, unit):
    too_soon = progression_flags(w.t, w.exercises)
    value = float(len(too_soon))
    if not too_soon:
        return value, "met", "Order: every harder exercise comes after its easier version."
    first = too_soon[0]
    return value, "over", (f"Order: {first['name']} on {first['day']} comes before "
                           f"{first['easier']}; do the easier one first.")


def _stretch_hold(w: _Week, low, high, unit):
    held = w.stretches[w.stretches["hold_s"] > 0]
    if held.empty:
        return math.nan, "short", "Stretch holds: no held stretch in the week yet."
    short = held[held["hold_s"] < low] if not math.isnan(low) else held.iloc[0:0]
    over = held[held["hold_s"] > high] if not math.isnan(high) else held.iloc[0:0]
    if len(short):
        row = short.iloc[0]
        return float(row["hold_s"]), "short", (
            f"Stretch holds: {row['name']} is held {_n(row['hold_s'])} s; "
            f"{_range(low, high, 's')} is suggested.")
    if len(over):
        row = over.iloc[0]
        return float(row["hold_s"]), "over", (
            f"Stretch holds: {row['name']} is held {_n(row['hold_s'])} s, longer than "
            f"{_range(low, high, 's')}; fine if it is comfortable.")
    return float(held["hold_s"].median()), "met", (
        f"Stretch holds: all within {_range(low, high, 's')}.")


def _stretch_total(w: _Week, low, high, unit):
    held = w.stretches[w.stretches["total_hold_s"] > 0]
    if held.empty:
        return 0.0, "short", "Stretch time: no held stretch in the week yet."
    row = held.loc[held["total_hold_s"].idxmin()]
    value = float(row["total_hold_s"])
    status = _status(value, low, high)
    if status == "short":
        return value, status, (f"Stretch time: {row['name']} adds up to {_n(value)} s; "
                               f"repeat it to reach about {_n(low)} s.")
    return value, status, f"Stretch time: each stretch adds up to {_n(low)} s or more."


MEASURES = {
    "aerobic_session_minutes": _aerobic_session_minutes,
    "aerobic_sessions_per_week": _aerobic_sessions,
    "aerobic_minutes_per_week": _aerobic_minutes,
    "strength_days_per_week": _days("strength", "Strengthening"),
    "stretch_days_per_week": _days("stretch", "Stretching"),
    "stretch_and_strength": _stretch_and_strength,
    "spine_muscle_groups": _spine_muscles,
    "progression_order": _progression_order,
    "stretch_hold_s": _stretch_hold,
    "stretch_seconds_per_exercise": _stretch_total,
}


def progression_flags(table: pd.DataFrame, exercises: pd.DataFrame) -> list[dict]:
    """Entries whose easier variant does not come earlier in the plan.

    ``table`` is a :func:`plan_table`.  Each flag is a dict with ``day``,
    ``exercise``, ``name`` and ``easier`` (the easier variants' names).
    """
    seen: set[str] = set()
    flags = []
    easier = exercises["easier"]
    for day, ex_id, name in zip(table["day"].astype(str), table["exercise"], table["name"]):
        needs = easier.get(ex_id, ())
        if needs and seen.isdisjoint(needs):
            names = " or ".join(exercises.at[e, "name"] for e in needs if e in exercises.index)
            flags.append({"day": day, "exercise": ex_id, "name": name, "easier": names})
        seen.add(ex_id)
    return flags


def check_guidance(plan: Plan, exercises: pd.DataFrame, guidance: pd.DataFrame) -> pd.DataFrame:
    """How the plan measures up to each piece of guidance that has a target.

    Targets come from the guidance table (rows with a ``target``), not from
    constants here.  Returns one row per such guidance row, in the table's
    order, with columns ``guidance`` (its id), ``source``, ``target``,
    ``statement``, ``min``, ``max``, ``unit``, ``value`` (the plan's figure),
    ``status`` (met, short or over) and ``message`` (one plain sentence).
    """
    week = _Week(plan, exercises, guidance)
    rows = []
    for gid, g in guidance[guidance["target"].notna()].iterrows():
        value, status, message = MEASURES[g["target"]](week, g["min"], g["max"], g["unit"])
        rows.append({"guidance": gid, "source": g["source"], "target": g["target"],
                     "statement": g["statement"], "min": g["min"], "max": g["max"],
                     "unit": g["unit"], "value": value, "status": status, "message": message})
    out = pd.DataFrame(rows, columns=["guidance", "source", "target", "statement", "min", "max",
                                      "unit", "value", "status", "message"])
    out["status"] = pd.Categorical(out["status"], categories=["met", "short", "over"])
    return out
