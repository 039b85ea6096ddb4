"""The numbers of a week: what is in the plan, its volume, and the guidance check.

Pure functions of a :class:`~backguide.plan.Plan` and the library tables;
the charts and widgets only draw what these return.
"""

from __future__ import annotations

import math
import weakref
from functools import cached_property, partial
from itertools import chain

import numpy as np
import pandas as pd

from .dose import estimate_seconds
from .library import SECONDARY_SHARE
from .plan import EXERCISE_IDS, Entries, Plan
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
_CATEGORY = pd.CategoricalDtype(CATEGORIES, ordered=True)
_MUSCLE = pd.CategoricalDtype(MUSCLES)
_ROLE = pd.CategoricalDtype(["primary", "secondary"])
_NC, _NM = len(CATEGORIES), len(MUSCLES)


#: Per library index: the library row of each number in EXERCISE_IDS (-1: absent).
_ROWS: dict[int, tuple[weakref.ref, np.ndarray]] = {}


def _library_rows(index: pd.Index) -> np.ndarray:
    """The row of every interned exercise id in ``index``, -1 where absent.

    pandas indexes cannot change, so the answer for an index is kept (while
    the index lives) and only ids interned since are looked up: a week is
    joined to its library without hashing one id string.
    """
    key = id(index)
    ref, rows = _ROWS.get(key, (None, None))
    if ref is None or ref() is not index:
        ref, rows = weakref.ref(index, partial(_forget, key)), np.zeros(0, dtype=np.int64)
    if len(rows) < len(EXERCISE_IDS):
        new = EXERCISE_IDS.ids[len(rows):]
        rows = np.concatenate([rows, index.get_indexer(pd.array(new, dtype="str"))])
        _ROWS[key] = (ref, rows)
    return rows


def _forget(key: int, ref: weakref.ref) -> None:
    if _ROWS.get(key, (None,))[0] is ref:
        del _ROWS[key]


def _by_identity(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pandas.factorize` for objects, hashing each distinct object once.

    The loader shares one tuple between equal muscle lists, so grouping by
    identity first leaves a handful of objects to compare by value.  Equal
    values held by different objects still end up with one code.
    """
    ident, _ = pd.factorize(np.fromiter(map(id, values), dtype=np.int64, count=len(values)))
    first = _first_appearances(ident)
    codes, uniques = pd.factorize(values[first])
    return codes[ident], uniques


def _first_appearances(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbered in order of appearance."""
    rises = np.ones(len(codes), dtype=bool)
    rises[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    return np.flatnonzero(rises)


class _Columns:
    """A plan's entries as whole columns, joined to the library, in plan order.

    Built from the sessions' :class:`~backguide.plan.Entries` columns, with
    no per-entry Python object and no id string hashed per entry, so a plan
    of 44,000 entries costs a few array operations.  ``row`` is each entry's
    library row (-1 if the exercise is not in the library).  Each derived
    column is worked out when first asked for: the volume and the check
    need different ones.
    """

    def __init__(self, plan: Plan, exercises: pd.DataFrame):
        where = [(d, i, s) for d, day in enumerate(DAYS) for i, s in enumerate(plan.days[day])]
        self._parts = [s.entries.columns() for _, _, s in where]
        self.lengths = np.array([len(p["per_side"]) for p in self._parts], dtype=np.int64)
        self.n = int(self.lengths.sum())
        self.slot_day = np.array([d for d, _, _ in where], dtype=np.int64)
        self.slot_index = np.array([i for _, i, _ in where], dtype=np.int64)
        self.slot_name = [s.name for _, _, s in where]
        self.exercises = exercises
        self.exercise_code = self.column("exercise_code")
        self.row = _library_rows(exercises.index)[self.exercise_code]

    def column(self, name: str) -> np.ndarray:
        """One entry field, over the whole week."""
        if not self._parts:
            return np.empty(0, dtype=Entries._DTYPES[name])
        return np.concatenate([p[name] for p in self._parts])

    @cached_property
    def slot(self) -> np.ndarray:
        """Each entry's session, numbered across the week (Monday's first is 0)."""
        return np.repeat(np.arange(len(self.slot_day)), self.lengths)

    @cached_property
    def day(self) -> np.ndarray:
        return self.slot_day[self.slot]

    def library(self, column: str) -> np.ndarray:
        """A categorical library column's codes, per entry (-1 if unknown)."""
        codes = self.exercises[column].array.codes
        return np.append(codes, -1).astype(np.int64)[self.row]

    @cached_property
    def category(self) -> np.ndarray:
        return self.library("category")

    @cached_property
    def hold_s(self) -> np.ndarray:
        return self.column("hold_s")

    @cached_property
    def dose(self) -> dict[str, np.ndarray]:
        """Seconds by the dose rule, and the sets, reps and seconds held it adds up to."""
        sets, reps, rest, per_side, minutes = (self.column(k) for k in
                                               ("sets", "reps", "rest_s", "per_side", "minutes"))
        hold = self.hold_s
        seconds = estimate_seconds(sets, reps, hold, rest, per_side, minutes)
        timed = minutes > 0  # NaN compares False
        total_sets = np.where(timed, 0.0, np.where(per_side, 2.0, 1.0)
                              * np.where(np.isnan(sets), 1.0, sets))
        total_reps = total_sets * np.where(np.isnan(reps), 1.0, reps)
        return {"seconds": seconds, "total_minutes": seconds / 60.0, "total_sets": total_sets,
                "total_reps": total_reps,
                "total_hold_s": total_reps * np.where(np.isnan(hold), 0.0, hold)}

    def names(self, entries) -> np.ndarray:
        """The library names of some entries (by position); blank if unknown."""
        rows = np.asarray(self.row[entries])
        col = self.exercises["name"].array
        if not len(col):
            return np.full(rows.shape, "", dtype=object)
        names = np.asarray(col.take(np.maximum(rows, 0)), dtype=object)
        names[rows < 0] = ""
        return names

    def name(self, entry: int) -> str:
        """The library name of one entry; blank if unknown."""
        row = self.row[entry]
        return str(self.exercises["name"].iat[row]) if row >= 0 else ""

    @cached_property
    def muscle_templates(self) -> tuple[np.ndarray, np.ndarray]:
        """Which muscles each entry works, as templates shared by entries.

        ``template`` (per entry; -1 for an unknown exercise) and
        ``weights``, an array of (templates, muscles, roles) holding each
        muscle's share: 1 as primary, :data:`SECONDARY_SHARE` as secondary
        (a muscle listed as both counts once, as primary).  Exercises with
        the same muscle lists share a template, so a week is summed per
        template and spread over muscles once.
        """
        n_rows = len(self.exercises)
        used = np.flatnonzero(np.bincount(self.row[self.row >= 0], minlength=n_rows))
        pcode, puniq = _by_identity(self.exercises["primary_muscles"].to_numpy()[used])
        scode, suniq = _by_identity(self.exercises["secondary_muscles"].to_numpy()[used])
        ns = max(len(suniq), 1)
        pair, pair_code = np.unique(pcode.astype(np.int64) * ns + scode, return_inverse=True)
        weights = np.zeros((len(pair), _NM, 2))
        muscle = {m: i for i, m in enumerate(MUSCLES)}
        for t, key in enumerate(pair):
            for m in suniq[key % ns]:
                weights[t, muscle[m], 1] = SECONDARY_SHARE
            for m in puniq[key // ns]:
                weights[t, muscle[m], :] = (1.0, 0.0)
        of_row = np.full(n_rows + 1, -1, dtype=np.int64)  # the last stands for "unknown"
        of_row[used] = pair_code.reshape(-1)
        return of_row[self.row], weights


def plan_table(plan: Plan, exercises: pd.DataFrame) -> pd.DataFrame:
    """One row per entry of the plan, in plan order, with its exercise's facts.

    Columns: ``day`` (ordered categorical), ``session`` (index within the
    day), ``session_name``, ``order`` (position in the session),
    ``exercise``, ``name``, ``category``, ``difficulty``, the dose
    (``sets``, ``reps``, ``hold_s``, ``rest_s``, ``per_side``, ``minutes``,
    ``dose_source``), and what it adds up to: ``seconds`` and
    ``total_minutes`` (time by the dose rule), ``total_sets`` and
    ``total_reps`` (counting each side), ``total_hold_s`` (seconds held).
    Exercises not in ``exercises`` get a blank name and category.
    """
    c = _Columns(plan, exercises)
    names = np.array(c.slot_name, dtype=object)[c.slot] if c.n else np.empty(0, dtype=object)
    order = np.arange(c.n) - np.repeat(np.cumsum(c.lengths) - c.lengths, c.lengths)
    return pd.DataFrame({
        "day": pd.Categorical.from_codes(c.day, dtype=_DAY),
        "session": c.slot_index[c.slot],
        "session_name": pd.array(names, dtype="str"),
        "order": order,
        "exercise": pd.array(np.array(EXERCISE_IDS.ids, dtype=object)[c.exercise_code],
                             dtype="str"),
        "sets": c.column("sets"), "reps": c.column("reps"), "hold_s": c.column("hold_s"),
        "rest_s": c.column("rest_s"), "per_side": c.column("per_side"),
        "minutes": c.column("minutes"),
        "dose_source": pd.array(c.column("dose_source"), dtype="str"),
        "name": pd.array(c.names(np.arange(c.n)), dtype="str"),
        "category": pd.Categorical.from_codes(c.category, dtype=exercises["category"].dtype),
        "difficulty": pd.Categorical.from_codes(c.library("difficulty"),
                                                dtype=exercises["difficulty"].dtype),
        **c.dose,
    })


#: The measures :func:`weekly_volume` sums: its column, and the key in :attr:`_Columns.dose`.
_MEASURED = {"minutes": "total_minutes", "sets": "total_sets", "reps": "total_reps",
             "hold_s": "total_hold_s"}


def weekly_volume(plan: Plan, exercises: pd.DataFrame) -> pd.DataFrame:
    """The week's volume by day, category and muscle group, in tidy form.

    One row per day, category, muscle and role (primary or secondary) that
    the plan works.  ``minutes``, ``sets``, ``reps`` and ``hold_s`` count
    fully for a primary muscle and at :data:`backguide.SECONDARY_SHARE`
    (one half) for a secondary one; ``sessions`` is how many of that day's
    sessions work the muscle.  An empty plan gives an empty table with these
    columns.
    """
    c = _Columns(plan, exercises)
    template, weights = c.muscle_templates
    if not len(weights):  # nothing known in the plan: one template that works nothing
        weights = np.zeros((1, _NM, 2))
    nt = len(weights)
    keep = template >= 0
    # Sum each measure per (day, category, template), then spread over the
    # muscles with one matrix product: (day-category, template) @ (template, muscle-role).
    group = (c.day[keep] * _NC + c.category[keep]) * nt + template[keep]
    spread = weights.reshape(nt, _NM * 2)
    works = (spread > 0).astype(float)

    def per_group(values=None, key=group, rows=7 * _NC):
        sums = np.bincount(key, weights=values, minlength=rows * nt)
        return sums.reshape(rows, nt)

    entries = per_group() @ works  # how many entries work each muscle-role
    sums = {name: (per_group(c.dose[col][keep]) @ spread).reshape(-1)
            for name, col in _MEASURED.items()}
    # Sessions: does a session (slot) have a template at all, then which muscles that works.
    slots = len(c.slot_day)
    in_slot = per_group(key=(c.slot[keep] * _NC + c.category[keep]) * nt + template[keep],
                        rows=max(slots, 1) * _NC) > 0
    worked = (in_slot @ works > 0).reshape(max(slots, 1), _NC, -1)
    sessions = np.zeros((7, _NC, worked.shape[2]), dtype=np.int64)
    np.add.at(sessions, c.slot_day, worked[:slots])
    present = np.flatnonzero(entries.reshape(-1) > 0)
    rest, role = np.divmod(present, 2)
    rest, muscle = np.divmod(rest, _NM)
    day, category = np.divmod(rest, _NC)
    return pd.DataFrame({
        "day": pd.Categorical.from_codes(day, dtype=_DAY),
        "category": pd.Categorical.from_codes(category, dtype=_CATEGORY),
        "muscle": pd.Categorical.from_codes(muscle, dtype=_MUSCLE),
        "role": pd.Categorical.from_codes(role, dtype=_ROLE),
        **{name: v[present] for name, v in sums.items()},
        "sessions": sessions.reshape(-1)[present],
    })


# --- the guidance check ---------------------------------------------------------

_STATUSES = ["met", "short", "over"]


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
    """What the check measures, computed once per plan from its columns."""

    def __init__(self, plan: Plan, exercises: pd.DataFrame, threshold: float):
        self.c = c = _Columns(plan, exercises)
        names = list(exercises["category"].cat.categories)
        codes = {k: [names.index(x) for x in v if x in names] for k, v in COUNTS_AS.items()}
        # Entries per day and category, then which days have each kind of work.
        per_day = np.bincount(c.day * (len(names) + 1) + c.category + 1,
                              minlength=7 * (len(names) + 1)).reshape(7, -1)[:, 1:]
        self.days_with = {k: {DAYS[d] for d in np.flatnonzero(per_day[:, v].sum(axis=1))}
                          for k, v in codes.items()}
        # Aerobic minutes per session (a day's session), for sessions with aerobic work.
        aer = np.isin(c.category, codes["aerobic"])
        slots = len(c.slot_day)
        per_slot = np.bincount(c.slot[aer], weights=c.dose["total_minutes"][aer],
                               minlength=slots)
        self.aerobic_slots = np.flatnonzero(np.bincount(c.slot[aer], minlength=slots))
        self.aerobic = per_slot[self.aerobic_slots]
        self.aerobic_minutes = float(self.aerobic.sum())
        self.threshold = threshold
        # ACSM's holds are for static stretches, not moving mobility work.
        stretch = names.index("stretch") if "stretch" in names else -2
        self.stretches = np.flatnonzero(c.category == stretch)

    def suggest_day(self, kind: str) -> str:
        """A day without ``kind``, as far as possible from the days that have it."""
        have = [DAYS.index(d) for d in self.days_with[kind]]
        free = [i for i in range(7) if i not in have]
        if not free:
            return ""
        best = max(free, key=lambda i: min([min(abs(i - h), 7 - abs(i - h)) for h in have] or [7]))
        return DAYS[best]


def _aerobic_session_minutes(w: _Week, low, high, unit):
    if not len(w.aerobic):
        return 0.0, "short", (f"Aerobic: no session yet; add a walk, swim or bike ride of at "
                              f"least {_n(low)} minutes.")
    shortest = int(np.argmin(w.aerobic))
    value = float(w.aerobic[shortest])
    status = _status(value, low, high)
    if status == "short":
        day = DAYS[w.c.slot_day[w.aerobic_slots[shortest]]]
        return value, status, (f"Aerobic: {day}'s session is {_n(value)} minutes; "
                               f"make each one at least {_n(low)} minutes.")
    return value, status, f"Aerobic: every session lasts at least {_n(low)} minutes."


def _aerobic_sessions(w: _Week, low, high, unit):
    value = float(np.count_nonzero(w.aerobic >= w.threshold))
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
    _, weights = w.c.muscle_templates  # a template for each muscle list the plan uses
    worked = {MUSCLES[m] for m in np.flatnonzero(weights.sum(axis=(0, 2)) > 0)}
    missing = [m for m in SPINE_MUSCLES if m not in worked]
    value = float(len(SPINE_MUSCLES) - len(missing))
    status = _status(value, low, high)
    if missing:
        return value, status, (f"Muscles that support the spine: {_n(value)} of "
                               f"{len(SPINE_MUSCLES)} worked; add something for the "
                               f"{', '.join(missing)}.")
    return value, status, "Muscles that support the spine: all four are worked this week."


def _progression_order(w: _Week, low, high, unit):
    too_soon = _order_flags(w.c)
    value = float(len(too_soon))
    if not too_soon:
        return value, "met", "Order: every harder exercise comes after its easier version."
    first = too_soon[0]
    return value, "over", (f"Order: {first['name']} on {first['day']} comes before "
                           f"{first['easier']}; do the easier one first.")


def _stretch_hold(w: _Week, low, high, unit):
    hold = w.c.hold_s[w.stretches]
    held = w.stretches[hold > 0]
    if not len(held):
        return math.nan, "short", "Stretch holds: no held stretch in the week yet."
    hold = w.c.hold_s[held]
    short = held[hold < low] if not math.isnan(low) else held[:0]
    over = held[hold > high] if not math.isnan(high) else held[:0]
    if len(short):
        row = short[0]
        return float(w.c.hold_s[row]), "short", (
            f"Stretch holds: {w.c.name(row)} is held {_n(w.c.hold_s[row])} s; "
            f"{_range(low, high, 's')} is suggested.")
    if len(over):
        row = over[0]
        return float(w.c.hold_s[row]), "over", (
            f"Stretch holds: {w.c.name(row)} is held {_n(w.c.hold_s[row])} s, longer than "
            f"{_range(low, high, 's')}; fine if it is comfortable.")
    return float(np.median(hold)), "met", (
        f"Stretch holds: all within {_range(low, high, 's')}.")


def _stretch_total(w: _Week, low, high, unit):
    total = w.c.dose['total_hold_s'][w.stretches]
    held = w.stretches[total > 0]
    if not len(held):
        return 0.0, "short", "Stretch time: no held stretch in the week yet."
    row = held[int(np.argmin(w.c.dose['total_hold_s'][held]))]
    value = float(w.c.dose['total_hold_s'][row])
    status = _status(value, low, high)
    if status == "short":
        return value, status, (f"Stretch time: {w.c.name(row)} adds up to {_n(value)} s; "
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


def _order_flags(c: _Columns) -> list[dict]:
    """Exercises that first appear before any of their easier variants.

    Each flag is a dict with ``day``, ``exercise``, ``name``, ``easier``
    (the easier variants' names) and ``position`` (the entry's place in plan
    order), first in plan order.  An easier variant that is not in the plan
    counts as coming later.
    """
    local, seen = pd.factorize(c.exercise_code)  # numbered in order of first appearance
    first = _first_appearances(local)
    rows = c.row[first]
    needs = np.empty(len(rows), dtype=object)
    known = rows >= 0
    needs[known] = c.exercises["easier"].to_numpy()[rows[known]]
    for k in np.flatnonzero(~known):  # not in the library: nothing easier known
        needs[k] = ()
    counts = np.fromiter(map(len, needs), dtype=np.int64, count=len(needs))
    has = np.flatnonzero(counts)
    if not len(has):
        return []
    # Where each easier variant first appears: its global number, then its local one.
    local_of = np.full(len(EXERCISE_IDS) + 1, -1, dtype=np.int64)
    local_of[seen] = np.arange(len(seen))
    where = local_of[EXERCISE_IDS.find(list(chain.from_iterable(needs[has])))]
    appears = np.append(first, c.n + 1)[where]  # -1 (not in the plan) picks c.n + 1: later
    starts = np.cumsum(counts[has]) - counts[has]
    flagged = has[np.minimum.reduceat(appears, starts) > first[has]]
    label = c.exercises["name"]
    return [{"day": DAYS[c.day[pos]], "exercise": EXERCISE_IDS.ids[seen[k]],
             "name": c.name(pos),
             "easier": " or ".join(label.at[e] for e in needs[k] if e in label.index),
             "position": int(pos)} for k, pos in zip(flagged, first[flagged])]


def check_guidance(plan: Plan, exercises: pd.DataFrame, guidance: pd.DataFrame) -> pd.DataFrame:
    """How the plan measures up to each piece of guidance that has a target.

    Targets come from the guidance table (rows with a ``target``), not from
    constants here.  Returns one row per such guidance row, in the table's
    order, with columns ``guidance`` (its id), ``source``, ``target``,
    ``statement``, ``min``, ``max``, ``unit``, ``value`` (the plan's figure),
    ``status`` (met, short or over) and ``message`` (one plain sentence).
    """
    keys = ["source", "target", "statement", "min", "max", "unit"]
    has = guidance["target"].notna().to_numpy()
    columns = [guidance.index.to_numpy()[has]] + [guidance[k].to_numpy()[has] for k in keys]
    rows = [dict(zip(["guidance", *keys], values)) for values in zip(*columns)]
    threshold = [r["min"] for r in rows if r["target"] == "aerobic_session_minutes"]
    week = _Week(plan, exercises, float(threshold[0]) if threshold else 0.0)
    status = []
    for r in rows:
        r["value"], r["status"], r["message"] = MEASURES[r["target"]](week, r["min"], r["max"],
                                                                     r["unit"])
        status.append(_STATUSES.index(r["status"]))
    out = pd.DataFrame(rows, columns=["guidance", *keys, "value", "status", "message"])
    out["status"] = pd.Categorical.from_codes(status, categories=_STATUSES)
    return out
