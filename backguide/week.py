"""The numbers of a week: what is in the plan, its volume, and the guidance check.

Pure functions of a :class:`~backguide.plan.Plan` and the library tables;
the charts and widgets only draw what these return.
"""

from __future__ import annotations

import math
from operator import attrgetter

import numpy as np
import pandas as pd

from .dose import estimate_seconds
from .library import exercise_muscles
from .plan import Plan
from .schema import CATEGORIES, DAYS, MUSCLES, SPINE_MUSCLES

#: Which categories count towards which kind of guidance.  Pilates and yoga
#: ("mind-body") both strengthen and stretch (myspine); mobility work such
#: as cat-cow is stretching ("Cat-Camel Stretch", wolfe).
COUNTS_AS = {
    "aerobic": ("aerobic",),
    "strength": ("strength", "mind-body"),
    "stretch": ("stretch", "mobility", "mind-body"),
}

_DAY = pd.CategoricalDtype(DAYS, ordered=True)
_NONE = np.zeros(0, dtype=np.int64)
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
    where_ = [(d, i, s.name, j) for d, day in enumerate(DAYS)
              for i, s in enumerate(plan.days[day]) for j in range(len(s.entries))]
    entries = [e for day in DAYS for s in plan.days[day] for e in s.entries]
    fields_ = ("exercise", "sets", "reps", "hold_s", "rest_s", "per_side", "minutes",
               "dose_source")
    cols = list(zip(*map(attrgetter(*fields_), entries))) or [()] * len(fields_)
    day_codes, sessions, session_names, orders = (list(zip(*where_)) or [()] * 4)

    def num(i):
        return np.array(cols[i], dtype=float).reshape(-1)

    t = pd.DataFrame({
        "day": pd.Categorical.from_codes(np.array(day_codes, dtype=np.int8).reshape(-1),
                                         dtype=_DAY),
        "session": np.array(sessions, dtype=np.int64).reshape(-1),
        "session_name": pd.array(list(session_names), dtype="str"),
        "order": np.array(orders, dtype=np.int64).reshape(-1),
        "exercise": pd.array(list(cols[0]), dtype="str"),
        "sets": num(1), "reps": num(2), "hold_s": num(3), "rest_s": num(4),
        "per_side": np.array(cols[5], dtype=bool).reshape(-1),
        "minutes": num(6),
        "dose_source": pd.array(list(cols[7]), dtype="str"),
    })
    # Facts from the library by position (only the rows the plan uses); unknown ids are blank.
    where = exercises.index.get_indexer(t["exercise"])
    known = where >= 0
    safe = np.where(known, where, 0)
    if len(exercises):
        names = np.asarray(exercises["name"].array.take(safe), dtype=object)
        t["name"] = pd.array(np.where(known, names, ""), dtype="str")
    else:
        t["name"] = pd.array([""] * len(t), dtype="str")
    for col in ("category", "difficulty"):
        codes = exercises[col].array.codes
        picked = np.where(known, codes[safe] if len(codes) else -1, -1)
        t[col] = pd.Categorical.from_codes(picked, dtype=exercises[col].dtype)
    sides = np.where(t["per_side"], 2.0, 1.0)
    sets = np.nan_to_num(t["sets"].to_numpy(), nan=1.0)
    reps = np.nan_to_num(t["reps"].to_numpy(), nan=1.0)
    timed = np.nan_to_num(t["minutes"].to_numpy()) > 0
    t["seconds"] = estimate_seconds(t["sets"], t["reps"], t["hold_s"], t["rest_s"],
                                    t["per_side"], t["minutes"])
    t["total_minutes"] = t["seconds"] / 60.0
    t["total_sets"] = np.where(timed, 0.0, sides * sets)
    t["total_reps"] = np.where(timed, 0.0, sides * sets * reps)
    t["total_hold_s"] = t["total_reps"] * np.nan_to_num(t["hold_s"].to_numpy())
    return t


def _used(exercises: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The library rows a plan table uses, taken by position (cheap for a big library)."""
    where = exercises.index.get_indexer(table["exercise"].unique())
    return exercises.iloc[np.sort(where[where >= 0])]


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
    used = _used(exercises, t)
    muscles = exercise_muscles(used)
    # Gather each entry's muscle rows by position, then sum on one integer key.
    per_ex = muscles.groupby("id", sort=False).indices
    ex_pos = [per_ex.get(x, _NONE) for x in used.index]
    lookup = dict(zip(used.index, ex_pos))
    rows_of = [lookup.get(x, _NONE) for x in t["exercise"].to_numpy(dtype=object)]
    counts = np.fromiter((len(r) for r in rows_of), dtype=np.int64, count=len(rows_of))
    entry = np.repeat(np.arange(len(t)), counts)
    mrow = np.concatenate(rows_of) if len(rows_of) else _NONE
    share = muscles["share"].to_numpy()[mrow]
    day = t["day"].cat.codes.to_numpy().astype(np.int64)[entry]
    cat = t["category"].cat.codes.to_numpy().astype(np.int64)[entry]
    musc = muscles["muscle"].cat.codes.to_numpy().astype(np.int64)[mrow]
    role = muscles["role"].cat.codes.to_numpy().astype(np.int64)[mrow]
    nc, nm = len(CATEGORIES), len(MUSCLES)
    key = ((day * nc + cat) * nm + musc) * 2 + role
    uniq, inverse = np.unique(key, return_inverse=True)
    sums = {name: np.bincount(inverse, weights=t[col].to_numpy()[entry] * share,
                              minlength=len(uniq))
            for name, col in (("minutes", "total_minutes"), ("sets", "total_sets"),
                              ("reps", "total_reps"), ("hold_s", "total_hold_s"))}
    session = t["session"].to_numpy()[entry]
    # Sessions per group: count distinct (group, session) pairs on one integer key.
    pair = np.unique(inverse.astype(np.int64) * (int(session.max(initial=0)) + 1) + session)
    sessions = np.bincount(pair // (int(session.max(initial=0)) + 1), minlength=len(uniq))
    role_u, rest = uniq % 2, uniq // 2
    musc_u, rest = rest % nm, rest // nm
    cat_u, day_u = rest % nc, rest // nc
    return pd.DataFrame({
        "day": pd.Categorical.from_codes(day_u, dtype=_DAY),
        "category": pd.Categorical.from_codes(cat_u, dtype=_CATEGORY),
        "muscle": pd.Categorical.from_codes(musc_u, dtype=pd.CategoricalDtype(MUSCLES)),
        "role": pd.Categorical.from_codes(role_u, categories=["primary", "secondary"]),
        **sums,
        "sessions": sessions.astype(np.int64),
    })


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
    worked = set(exercise_muscles(_used(w.exercises, w.t))["muscle"].unique())
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
    """Exercises that first appear before any of their easier variants.

    ``table`` is a :func:`plan_table`.  Each flag is a dict with ``day``,
    ``exercise``, ``name``, ``easier`` (the easier variants' names) and
    ``position`` (the entry's place in plan order), first in plan order.
    """
    first = {}
    for pos, ex_id in enumerate(table["exercise"].to_numpy()):
        first.setdefault(ex_id, pos)
    ids = list(first)
    where = exercises.index.get_indexer(ids)
    col = exercises["easier"].to_numpy()
    easier = [col[i] if i >= 0 else () for i in where]
    days = table["day"].astype(str).to_numpy()
    names = table["name"].to_numpy()
    flags = []
    for ex_id, needs in zip(ids, easier):
        if not isinstance(needs, tuple) or not needs:
            continue
        pos = first[ex_id]
        if all(first.get(e, pos + 1) > pos for e in needs):
            names_ = " or ".join(exercises.at[e, "name"] for e in needs if e in exercises.index)
            flags.append({"day": days[pos], "exercise": ex_id, "name": names[pos],
                          "easier": names_, "position": pos})
    flags.sort(key=lambda f: f["position"])
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
