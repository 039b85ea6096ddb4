"""The numbers of a plan, or of many plans at once: what is in it, its volume, the guidance.

Every function here is a pure function of entry tables and the library.
A plan's entries (``plan.entries``) are one table; many plans' entries
stacked with key columns (``person``, ``week``) are another, and
``by=["person", "week"]`` measures every plan at once: the rows are
grouped by those keys once, and each measure is an aggregation of whole
columns by group, with no loop over plans.  The charts, the widgets, the
handout and the presenter draw what these return and compute nothing of
their own.

* :func:`plan_table` joins each entry to its exercise and adds what its
  dose adds up to; every other measure starts from it.
* :func:`weekly_volume`: minutes, sets, reps and seconds held by day,
  category, muscle and role.
* :func:`guidance_status`: each guidance target's value and status;
  :func:`check_guidance` adds one plain sentence per target for one plan.
* :func:`measure_week` builds all of a week's tables from one plan table,
  for views that show several at once.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dose import estimate_seconds, shown_minutes
from .library import Library, resolve
from .plan import Plan, describe_dose
from .schema import CATEGORIES, DAYS, MUSCLES, SPINE_MUSCLES

#: Which categories count towards which kind of guidance.  Pilates and yoga
#: ("mind-body") both strengthen and stretch (myspine); mobility work such
#: as cat-cow is stretching ("Cat-Camel Stretch", wolfe).
COUNTS_AS = {
    "aerobic": ("aerobic",),
    "strength": ("strength", "mind-body"),
    "stretch": ("stretch", "mobility", "mind-body"),
}
STATUSES = ("met", "short", "over")
_STATUS = pd.CategoricalDtype(STATUSES)
_DAY = pd.CategoricalDtype(DAYS, ordered=True)
_CATEGORY = pd.CategoricalDtype(CATEGORIES, ordered=True)

Plans = Plan | pd.DataFrame


def _entries(plans: Plans) -> pd.DataFrame:
    return plans.entries if isinstance(plans, Plan) else plans


# --- the plan table ----------------------------------------------------------------------


def plan_table(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """One row per entry, in the given order, with its exercise's facts and totals.

    ``plans`` is a :class:`~backguide.plan.Plan` or an entry table (one
    plan's, or many stacked with key columns, which are kept).  Added
    columns: ``name``, ``category``, ``difficulty`` (blank for an exercise
    not in the library), ``seconds`` and ``total_minutes`` (time by the
    dose rule in :mod:`backguide.dose`), ``total_sets`` and ``total_reps``
    (counting each side), ``total_hold_s`` (seconds held), and ``aerobic``,
    ``strength``, ``stretch`` (whether the entry counts towards that kind
    of guidance, by :data:`COUNTS_AS`).
    """
    lib = resolve(lib)
    e = _entries(plans)
    ex = lib.exercises
    row = ex.index.get_indexer(e["exercise"])
    known = row >= 0
    sets, reps, hold, rest, minutes = (e[k].to_numpy(dtype=float) for k in
                                       ("sets", "reps", "hold_s", "rest_s", "minutes"))
    per_side = e["per_side"].to_numpy(dtype=bool)
    seconds = np.asarray(estimate_seconds(sets, reps, hold, rest, per_side, minutes), dtype=float)
    # Counted as the dose rule counts them: blank or 0 sets or reps is 1.
    timed = minutes > 0  # NaN compares False
    total_sets = np.where(timed, 0.0, np.where(per_side, 2.0, 1.0)
                          * np.where(sets > 0, sets, 1.0))
    total_reps = total_sets * np.where(reps > 0, reps, 1.0)
    category = pd.Categorical.from_codes(
        np.where(known, ex["category"].array.codes[row], -1), dtype=_CATEGORY)
    difficulty = pd.Categorical.from_codes(
        np.where(known, ex["difficulty"].array.codes[row], -1), dtype=ex["difficulty"].dtype)
    name = np.where(known, ex["name"].to_numpy(dtype=object)[row], "")
    added = {
        "name": pd.array(name, dtype="str"),
        "category": category,
        "difficulty": difficulty,
        "seconds": seconds,
        "total_minutes": seconds / 60.0,
        "total_sets": total_sets,
        "total_reps": total_reps,
        "total_hold_s": total_reps * np.where(np.isnan(hold), 0.0, hold),
        **{kind: np.isin(category.codes, [CATEGORIES.index(c) for c in cats])
           for kind, cats in COUNTS_AS.items()},
    }
    out = pd.DataFrame({**{c: e[c].array for c in e.columns if c not in added}, **added})
    out.index = e.index
    return out


def _table(plans: Plans, lib: Library) -> pd.DataFrame:
    """``plans`` as a plan table: given one already, or built."""
    e = _entries(plans)
    return e if "total_minutes" in e.columns else plan_table(e, lib=lib)


# --- groups ------------------------------------------------------------------------------


class _Groups:
    """A plan table sorted into its plans, each row's plan and session as a number.

    Every measure is then a few aggregations over whole columns by those
    numbers (``np.bincount`` and friends), the same for one plan as for a
    caseload of thousands: no loop over plans.  ``gid`` numbers the groups
    (plans) in sorted key order and ``index`` holds their keys; ``sid``
    numbers the sessions across all groups in plan order; ``position`` is
    each entry's place in its own plan.
    """

    def __init__(self, plans: Plans, by: Sequence[str], lib: Library):
        t = _table(plans, lib)
        keys = list(by)
        for k in keys:
            if k not in t.columns:
                raise ValueError(f"by= names {k!r}, which is not a column of the entries.")
        n = self.n = len(t)
        codes = [pd.factorize(t[k], sort=True)[0] for k in keys]
        day = t["day"].array.codes.astype(np.int64)
        session = t["session"].to_numpy(dtype=np.int64)
        rows = np.lexsort((np.arange(n), t["order"].to_numpy(), session, day, *reversed(codes)))
        if n and not (rows[1:] > rows[:-1]).all():  # one plan's entries are already in order
            t = t.take(rows)
        self.t = t = t.reset_index(drop=True)
        self.by, self.lib = keys, lib
        first = np.zeros(n, dtype=bool)  # the first entry of each group
        first[:1] = True
        for c in codes:
            c = c[rows]
            first[1:] |= c[1:] != c[:-1]
        self.gid = np.cumsum(first) - 1
        self.first_rows = np.flatnonzero(first)
        if keys:
            self.index = pd.MultiIndex.from_frame(t.loc[first, keys].reset_index(drop=True))
        else:  # one group, even for a plan with nothing in it
            self.index = pd.MultiIndex.from_arrays([[0]], names=["plan"])
        self.G = len(self.index)
        self.day, session = day[rows], session[rows]
        self.session = session
        new_session = first | np.r_[False, (self.day[1:] != self.day[:-1])
                                    | (session[1:] != session[:-1])]
        self.sid = np.cumsum(new_session) - 1
        self.heads = np.flatnonzero(new_session)  # each session's first entry
        self.s_gid, self.s_day = self.gid[self.heads], self.day[self.heads]
        at = np.arange(n)
        self.position = at - np.maximum.accumulate(np.where(first, at, 0))
        self.excode = lib.exercises.index.get_indexer(t["exercise"]).astype(np.int64)
        self.category = t["category"].array.codes.astype(np.int64)
        self.minutes = t["total_minutes"].to_numpy(dtype=float)
        self.hold = t["hold_s"].to_numpy(dtype=float)
        self.total_hold = t["total_hold_s"].to_numpy(dtype=float)
        self.name = t["name"].to_numpy(dtype=object)
        self.kind = {k: t[k].to_numpy(dtype=bool) for k in COUNTS_AS}
        # ACSM's holds are for static stretches, not moving mobility work.
        self.stretch = self.category == CATEGORIES.index("stretch")
        self._aer = None

    def keys_of(self, gid: np.ndarray) -> dict[str, np.ndarray]:
        """The ``by`` key columns for some group numbers."""
        if not self.by:
            return {}
        frame = self.index.to_frame(index=False)
        return {k: frame[k].to_numpy()[gid] for k in self.by}

    def count(self, rows: np.ndarray, weights=None) -> np.ndarray:
        """Per group, how many of the entries ``rows`` (a mask), or the sum of ``weights``."""
        w = None if weights is None else weights[rows]
        return np.bincount(self.gid[rows], weights=w, minlength=self.G).astype(float)

    def first(self, rows: np.ndarray, value: np.ndarray | None = None,
              gid: np.ndarray | None = None) -> np.ndarray:
        """Per group, the first of ``rows`` (positions, in plan order), or the one with
        least ``value`` (the first among equals); -1 where a group has none."""
        gid = self.gid if gid is None else gid
        g = gid[rows]
        order = np.lexsort((rows, g)) if value is None else np.lexsort((rows, value[rows], g))
        rows, g = rows[order], g[order]
        out = np.full(self.G, -1, dtype=np.int64)
        lead = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)
        out[g[lead]] = rows[lead]
        return out

    def days(self, rows: np.ndarray) -> np.ndarray:
        """Per group, the days with any of ``rows`` (a mask), as bits (Monday is 1)."""
        mask = np.zeros(self.G, dtype=np.int64)
        np.bitwise_or.at(mask, self.gid[rows], np.left_shift(1, self.day[rows]))
        return mask

    def session_sums(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Per session, the minutes of the entries ``rows`` (a mask; all by default)."""
        sel = slice(None) if rows is None else rows
        return np.bincount(self.sid[sel], weights=self.minutes[sel],
                           minlength=len(self.heads)).astype(float)

    def aerobic_sessions(self) -> tuple[np.ndarray, np.ndarray]:
        """Sessions with aerobic work (numbers), and every session's aerobic minutes."""
        if self._aer is None:
            aer = self.kind["aerobic"]
            has = np.bincount(self.sid[aer], minlength=len(self.heads)) > 0
            self._aer = np.flatnonzero(has), self.session_sums(aer)
        return self._aer


def _pick(values: np.ndarray, at: np.ndarray, blank=np.nan) -> np.ndarray:
    """``values[at]``, with ``blank`` where ``at`` is -1."""
    out = np.full(len(at), blank, dtype=object if values.dtype == object else float)
    out[at >= 0] = values[at[at >= 0]]
    return out


# --- volume ----------------------------------------------------------------------------

#: The measures :func:`weekly_volume` sums: its column, and the plan table's.
_MEASURED = {"minutes": "total_minutes", "sets": "total_sets", "reps": "total_reps",
             "hold_s": "total_hold_s"}


def weekly_volume(plans: Plans, *, by: Sequence[str] = (), lib: Library | None = None
                  ) -> pd.DataFrame:
    """Volume by day, category and muscle group, in tidy form.

    One row per (``by`` keys,) day, category, muscle and role (primary or
    secondary) that the plans work, sorted in that order.  ``minutes``,
    ``sets``, ``reps`` and ``hold_s`` count fully for a primary muscle and
    at :data:`backguide.SECONDARY_SHARE` (one half) for a secondary one;
    ``sessions`` is how many of that day's sessions work the muscle.  An
    empty plan gives an empty table with these columns.
    """
    return _volume(_Groups(plans, by, resolve(lib)))


def _volume(g: _Groups) -> pd.DataFrame:
    # Each entry once per muscle its exercise works (lib.muscles, as arrays).
    c = g.lib.codes
    lo = np.searchsorted(c.muscle_exercise, g.excode, "left")
    hi = np.searchsorted(c.muscle_exercise, g.excode, "right")
    count = np.where(g.excode >= 0, hi - lo, 0)
    row = np.repeat(np.arange(g.n), count)
    pick = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) \
        + np.repeat(lo, count)
    muscle, role, share = c.muscle[pick], c.role[pick], c.share[pick]
    nc, nm = len(CATEGORIES), len(MUSCLES)
    key = (((g.gid[row] * 7 + g.day[row]) * nc + g.category[row]) * nm + muscle) * 2 + role
    cells, cell = np.unique(key, return_inverse=True)
    sums = {name: np.bincount(cell, weights=g.t[col].to_numpy(dtype=float)[row] * share,
                              minlength=len(cells)) for name, col in _MEASURED.items()}
    pairs = np.unique(cell.astype(np.int64) * max(len(g.heads), 1) + g.sid[row])
    sessions = np.bincount(pairs // max(len(g.heads), 1), minlength=len(cells))
    rest, role = np.divmod(cells, 2)
    rest, muscle = np.divmod(rest, nm)
    rest, category = np.divmod(rest, nc)
    gid, day = np.divmod(rest, 7)
    return pd.DataFrame({
        **g.keys_of(gid),
        "day": pd.Categorical.from_codes(day, dtype=_DAY),
        "category": pd.Categorical.from_codes(category, dtype=_CATEGORY),
        "muscle": pd.Categorical.from_codes(muscle, dtype=g.lib.muscles["muscle"].dtype),
        "role": pd.Categorical.from_codes(role, dtype=g.lib.muscles["role"].dtype),
        **sums,
        "sessions": sessions.astype(np.int64),
    })


# --- the guidance targets ------------------------------------------------------------------


def guidance_checks(lib: Library | None = None) -> pd.DataFrame:
    """The guidance targets the check measures, one row per distinct target and band.

    Guidance rows with the same target and the same numbers (two articles
    both asking for stretching and strengthening) make one check that cites
    them all; rows whose numbers differ (daily stretching in one article, 2
    or more days in another) stay apart.  Built once when the library loads
    (``lib.checks``).  Columns: ``check`` (the first row's id), ``guidance``
    (every row's id), ``source`` (their sources, comma-separated),
    ``target``, ``statement``, ``min``, ``max``, ``unit``.
    """
    return resolve(lib).checks


def _status(value, low: float, high: float) -> np.ndarray:
    value = np.asarray(value, dtype=float)
    out = np.full(value.shape, "met", dtype=object)
    if not math.isnan(low):
        out[value < low] = "short"
    if not math.isnan(high):
        out[value > high] = "over"
    return out


def _suggestion(mask: int) -> str:
    """A day without the kind, as far as possible from the days that have it."""
    have = [i for i in range(7) if mask >> i & 1]
    free = [i for i in range(7) if not mask >> i & 1]
    if not free:
        return ""
    best = max(free, key=lambda i: min([min(abs(i - h), 7 - abs(i - h)) for h in have] or [7]))
    return DAYS[best]


#: For each set of days (as bits, Monday is 1): the day to suggest, and how many days.
_SUGGEST = np.array([_suggestion(m) for m in range(128)], dtype=object)
_DAYS_IN = np.array([bin(m).count("1") for m in range(128)], dtype=float)


def _aerobic_session_minutes(g: _Groups, low, high, threshold):
    sessions, minutes = g.aerobic_sessions()
    shortest = g.first(sessions, minutes, gid=g.s_gid)
    count = np.bincount(g.s_gid[sessions], minlength=g.G).astype(float)
    value = np.nan_to_num(_pick(minutes, shortest))
    status = _status(value, low, high)
    status[count == 0] = "short"
    day = _pick(np.array(DAYS, dtype=object)[g.s_day], shortest, "")
    return dict(value=value, status=status, day=day, count=count)


def _aerobic_sessions_per_week(g: _Groups, low, high, threshold):
    sessions, minutes = g.aerobic_sessions()
    long_enough = sessions[minutes[sessions] >= threshold]
    value = np.bincount(g.s_gid[long_enough], minlength=g.G).astype(float)
    mask = g.days(g.kind["aerobic"])
    return dict(value=value, status=_status(value, low, high), day=_SUGGEST[mask],
                threshold=np.full(g.G, threshold))


def _aerobic_minutes_per_week(g: _Groups, low, high, threshold):
    value = g.count(g.kind["aerobic"], g.minutes)
    return dict(value=value, status=_status(value, low, high))


def _days(kind: str):
    def measure(g: _Groups, low, high, threshold):
        mask = g.days(g.kind[kind])
        value = _DAYS_IN[mask]
        return dict(value=value, status=_status(value, low, high), day=_SUGGEST[mask])
    return measure


def _stretch_and_strength(g: _Groups, low, high, threshold):
    has = {k: g.count(g.kind[k]) > 0 for k in ("stretch", "strength")}
    value = (has["stretch"] & has["strength"]).astype(float)
    missing = np.select([~has["stretch"] & ~has["strength"], ~has["stretch"], ~has["strength"]],
                        ["stretching and strengthening", "stretching", "strengthening"], "")
    return dict(value=value, status=np.where(value > 0, "met", "short").astype(object),
                missing=missing.astype(object))


def _spine_muscle_groups(g: _Groups, low, high, threshold):
    mask = np.zeros(g.G, dtype=np.int64)
    np.bitwise_or.at(mask, g.gid, g.lib.codes.spine[g.excode])  # -1 picks the 0 at the end
    value = _SPINE_IN[mask]
    return dict(value=value, status=_status(value, low, high), missing=_SPINE_MISSING[mask])


#: For each set of spine muscles (as bits): how many, and the ones missing, in words.
_SPINE_IN = np.array([bin(x).count("1") for x in range(1 << len(SPINE_MUSCLES))], dtype=float)
_SPINE_MISSING = np.array([", ".join(mu for i, mu in enumerate(SPINE_MUSCLES) if not x >> i & 1)
                           for x in range(1 << len(SPINE_MUSCLES))], dtype=object)


def _progression_order(g: _Groups, low, high, threshold):
    """Exercises that come before all their easier variants, or without any of them."""
    ex = g.lib.exercises
    width = len(ex) + 1
    key = g.gid * width + g.excode + 1
    firsts, at = np.unique(key, return_index=True)  # each exercise's first entry per plan
    x = g.excode[at]
    vx, vo = g.lib.codes.easier_exercise, g.lib.codes.easier  # sorted by exercise
    lo, hi = np.searchsorted(vx, x, "left"), np.searchsorted(vx, x, "right")
    counts = np.where(x >= 0, hi - lo, 0)
    owner = np.repeat(np.arange(len(x)), counts)
    pair = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) \
        + np.repeat(lo, counts)
    other_key = g.gid[at[owner]] * width + vo[pair] + 1
    where = np.minimum(np.searchsorted(firsts, other_key), max(len(firsts) - 1, 0))
    found = (firsts[where] == other_key) if len(firsts) else np.zeros(0, bool)
    other_position = np.where(found, g.position[at[where]] if len(firsts) else 0, np.inf)
    earliest = np.full(len(x), np.inf)
    np.minimum.at(earliest, owner, other_position)
    flagged = (counts > 0) & ~(earliest < g.position[at])
    rows = at[flagged]
    value = np.bincount(g.gid[rows], minlength=g.G).astype(float)
    top = g.first(np.sort(rows))
    absent = np.isinf(earliest)
    absent_of_row = np.zeros(g.n, dtype=bool)
    absent_of_row[at] = absent
    names = ex["name"]
    easier_of = {i: " or ".join(names.iat[o] for o in vo[lo_:hi_] if o >= 0)
                 for i, lo_, hi_ in zip(x, lo, hi) if i >= 0}
    easier = np.array([easier_of.get(g.excode[r], "") if r >= 0 else "" for r in top],
                      dtype=object)
    return dict(value=value, status=np.where(value > 0, "over", "met").astype(object),
                day=_pick(np.array(DAYS, dtype=object)[g.day], top, ""),
                name=_pick(g.name, top, ""), easier=easier,
                absent=_pick(absent_of_row.astype(object), top, False))


def _stretch_hold_s(g: _Groups, low, high, threshold):
    held = g.stretch & (g.hold > 0)
    rows = np.flatnonzero(held)
    count = g.count(held)
    median = pd.Series(g.hold[rows]).groupby(g.gid[rows]).median().reindex(range(g.G))
    value = median.to_numpy(dtype=float, copy=True)
    status = np.where(count == 0, "short", "met").astype(object)
    name = np.full(g.G, "", dtype=object)
    for bad, label in ((g.hold > high, "over"), (g.hold < low, "short")):  # short wins
        first = g.first(np.flatnonzero(held & bad))
        hit = first >= 0
        value[hit] = g.hold[first[hit]]
        status[hit] = label
        name[hit] = g.name[first[hit]]
    return dict(value=value, status=status, name=name)


def _stretch_seconds_per_exercise(g: _Groups, low, high, threshold):
    held = np.flatnonzero(g.stretch & (g.total_hold > 0))
    least = g.first(held, g.total_hold)
    value = np.nan_to_num(_pick(g.total_hold, least).astype(float))
    status = _status(value, low, high)
    status[least < 0] = "short"
    return dict(value=value, status=status, name=_pick(g.name, least, ""),
                count=(least >= 0).astype(float))


MEASURES = {
    "aerobic_session_minutes": _aerobic_session_minutes,
    "aerobic_sessions_per_week": _aerobic_sessions_per_week,
    "aerobic_minutes_per_week": _aerobic_minutes_per_week,
    "strength_days_per_week": _days("strength"),
    "stretch_days_per_week": _days("stretch"),
    "stretch_and_strength": _stretch_and_strength,
    "spine_muscle_groups": _spine_muscle_groups,
    "progression_order": _progression_order,
    "stretch_hold_s": _stretch_hold_s,
    "stretch_seconds_per_exercise": _stretch_seconds_per_exercise,
}
#: Columns that say which entry or day a status is about, for the messages,
#: with their blank values and types.
DETAILS = {"day": "", "name": "", "easier": "", "absent": False, "missing": "",
           "count": np.nan, "threshold": np.nan}
_DETAIL_TYPES = {"day": "str", "name": "str", "easier": "str", "absent": bool, "missing": "str",
                 "count": float, "threshold": float}


def guidance_status(entries: Plans, *, by: Sequence[str] = (), lib: Library | None = None
                    ) -> pd.DataFrame:
    """How each plan measures up to each guidance target, all plans at once.

    ``entries`` holds the entries of one plan, or of many stacked in one
    table with key columns named in ``by`` (for example ``["person",
    "week"]``).  Returns one row per group and check of
    :func:`guidance_checks`, group by group: the ``by`` keys, the check's
    columns, ``value`` (the plan's figure), ``status`` (met, short or
    over), and the detail the message needs (``day``, ``name``,
    ``easier``, ``absent``, ``missing``, ``count``, ``threshold``).  Each
    target is a few aggregations over the whole table by group, with no
    loop over plans; for any one group it equals :func:`check_guidance` on
    that plan alone.
    """
    return _guidance(_Groups(entries, by, resolve(lib)))


def _guidance(g: _Groups) -> pd.DataFrame:
    checks = g.lib.checks
    threshold = g.lib.codes.aerobic_session_minutes
    C, G = len(checks), g.G
    parts = [MEASURES[t](g, float(low), float(high), threshold) for t, low, high in
             zip(checks["target"], checks["min"], checks["max"])]
    # Group by group, each in the checks' order.
    order = (np.arange(C)[None, :] * G + np.arange(G)[:, None]).ravel()
    which = np.tile(np.arange(C), G)

    def column(k):
        default = np.full(G, DETAILS.get(k), dtype=object)
        return np.concatenate([p.get(k, default) for p in parts])[order] if parts else \
            np.zeros(0, dtype=object)

    group = np.repeat(np.arange(G), C)
    keys = {k: g.t[k].array.take(g.first_rows[group]) for k in g.by}
    status = pd.Categorical(column("status"), dtype=_STATUS)
    return pd.DataFrame({
        **keys,
        **{k: checks[k].array.take(which) for k in checks.columns},
        "value": column("value").astype(float),
        "status": status,
        **{k: pd.array(column(k), dtype=kind) for k, kind in _DETAIL_TYPES.items()},
    })


# --- messages ----------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A number in a sentence: whole if it is nearly whole, else to 0.1 (half up)."""
    return shown_minutes(x, 0 if abs(x - round(x)) < 0.05 else 1)


def _range(low: float, high: float, unit: str) -> str:
    if unit == "days" and low >= 7:
        return "every day"
    if math.isnan(high):
        return f"{_n(low)} or more {unit}"
    if low == high:
        return f"{_n(low)} {unit}"
    return f"{_n(low)}-{_n(high)} {unit}"


def _message(r) -> str:
    """One plain sentence for a row of :func:`guidance_status`."""
    low, high, v, status, t = r.min, r.max, r.value, r.status, r.target
    if t == "aerobic_session_minutes":
        if not r.count:
            return (f"Aerobic: no session yet; add a walk, swim or bike ride of at least "
                    f"{_n(low)} minutes.")
        if status == "short":
            return (f"Aerobic: {r.day}'s session is {_n(v)} minutes; make each one at least "
                    f"{_n(low)} minutes.")
        return f"Aerobic: every session lasts at least {_n(low)} minutes."
    if t == "aerobic_sessions_per_week":
        text = (f"Aerobic: {_n(v)} sessions of {_n(r.threshold)} minutes or more this week, "
                f"against {_range(low, high, 'sessions')}")
        if status == "short":
            return text + (f"; add a walk on {r.day}." if r.day else "; lengthen one.")
        if status == "over":
            return text + "; more than suggested, which is fine if you feel well."
        return text + "."
    if t == "aerobic_minutes_per_week":
        text = f"Aerobic: {_n(v)} minutes this week, against {_range(low, high, 'minutes')}"
        if status == "short":
            return text + f"; {_n(low - v)} more minutes would reach it."
        return text + "."
    if t in ("strength_days_per_week", "stretch_days_per_week"):
        label = "Strengthening" if t.startswith("strength") else "Stretching"
        days = "day" if _n(v) == "1" else "days"
        text = f"{label}: {_n(v)} {days} this week, against {_range(low, high, 'days')}"
        if status == "short" and r.day:
            return text + f"; add some on {r.day}."
        return text + "."
    if t == "stretch_and_strength":
        if v:
            return "Stretching and strengthening: both are in the week."
        return f"Stretching and strengthening: add some {r.missing}."
    if t == "spine_muscle_groups":
        if r.missing:
            return (f"Muscles that support the spine: {_n(v)} of {len(SPINE_MUSCLES)} worked; "
                    f"add something for the {r.missing}.")
        return "Muscles that support the spine: all four are worked this week."
    if t == "progression_order":
        if not v:
            return "Order: every harder exercise comes after its easier version."
        more = f" ({_n(v - 1)} more like it)" if v > 1 else ""
        if r.absent:
            return (f"Order: {r.name} on {r.day} is in the plan without its easier version, "
                    f"{r.easier}; start with that first{more}.")
        return (f"Order: {r.name} on {r.day} comes before its easier version, {r.easier}; "
                f"do the easier one first{more}.")
    if t == "stretch_hold_s":
        if math.isnan(v):
            return "Stretch holds: no held stretch in the week yet."
        if status == "short":
            return (f"Stretch holds: {r.name} is held {_n(v)} s; {_range(low, high, 's')} "
                    f"is suggested.")
        if status == "over":
            return (f"Stretch holds: {r.name} is held {_n(v)} s, longer than "
                    f"{_range(low, high, 's')}; fine if it is comfortable.")
        return f"Stretch holds: all within {_range(low, high, 's')}."
    if t == "stretch_seconds_per_exercise":
        if not r.count:
            return "Stretch time: no held stretch in the week yet."
        if status == "short":
            return (f"Stretch time: {r.name} adds up to {_n(v)} s; repeat it to reach about "
                    f"{_n(low)} s.")
        return f"Stretch time: each stretch adds up to {_n(low)} s or more."
    raise ValueError(f"No message for target {t!r}.")


def check_guidance(plan: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """How one plan measures up to the guidance: one row per check, with a sentence.

    Targets come from the guidance table (rows with a ``target``), merged by
    :func:`guidance_checks`, not from constants here.  Columns: ``check``,
    ``guidance`` (the ids of every guidance row behind it), ``source``
    (every source behind it), ``target``, ``statement``, ``min``, ``max``,
    ``unit``, ``value`` (the plan's figure), ``status`` (met, short or
    over) and ``message`` (one plain sentence).
    """
    return _check(_Groups(plan, (), resolve(lib)))


def _check(g: _Groups, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """One plan's status rows, with a sentence each instead of the detail columns."""
    status = _guidance(g) if status is None else status
    out = status.drop(columns=list(DETAILS))
    fields = ["min", "max", "value", "status", "target", *DETAILS]
    rows = zip(*(status[k].to_numpy(dtype=object) for k in fields))
    out["message"] = pd.array([_message(_Row(*r)) for r in rows], dtype="str")
    return out


_Row = namedtuple("_Row", ["min", "max", "value", "status", "target", *DETAILS])


def met_count(check: pd.DataFrame) -> tuple[int, int]:
    """How many checks are met, of how many: the checklist's headline."""
    return int((check["status"] == "met").sum()), len(check)


# --- what the views show ------------------------------------------------------------------


def session_minutes(plans: Plans, *, by: Sequence[str] = (), lib: Library | None = None
                    ) -> pd.DataFrame:
    """One row per session: (the ``by`` keys,) ``day``, ``session``,
    ``session_name``, ``entries``, ``minutes`` (by the dose rule) and
    ``aerobic_minutes``.

    The board, the presenter and the checks all read session lengths from here.
    """
    return _sessions(_Groups(plans, by, resolve(lib)))


def _sessions(g: _Groups) -> pd.DataFrame:
    heads = g.heads
    return pd.DataFrame({
        **g.keys_of(g.s_gid),
        "day": pd.Categorical.from_codes(g.s_day, dtype=_DAY),
        "session": g.session[heads],
        "session_name": g.t["session_name"].array.take(heads),
        "entries": np.bincount(g.sid, minlength=len(heads)),
        "minutes": g.session_sums(),
        "aerobic_minutes": g.aerobic_sessions()[1],
    })


def day_minutes(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """Minutes per day and category, and whether the day has a long enough aerobic session.

    Indexed by day (all seven); one column per category in
    :data:`backguide.schema.CATEGORIES` order, then ``aerobic_met``.  The
    threshold is the aerobic session target from the guidance, in
    ``attrs["threshold"]``.  This is what :func:`backguide.plot_week` draws.
    """
    return _day_minutes(_Groups(plans, (), resolve(lib)))


def _day_minutes(g: _Groups) -> pd.DataFrame:
    nc = len(CATEGORIES)
    known = g.category >= 0
    cells = np.bincount(g.day[known] * nc + g.category[known], weights=g.minutes[known],
                        minlength=7 * nc).reshape(7, nc)
    per = pd.DataFrame(cells, columns=list(CATEGORIES),
                       index=pd.CategoricalIndex(DAYS, dtype=_DAY, name="day"))
    threshold = g.lib.codes.aerobic_session_minutes
    sessions, minutes = g.aerobic_sessions()
    good = sessions[minutes[sessions] >= threshold]
    per["aerobic_met"] = np.isin(np.arange(7), g.s_day[good])
    per.attrs["threshold"] = threshold
    return per


def category_summary(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """Days (or sessions) a week for stretching, strengthening and aerobic work.

    One row per kind, with ``label``, ``value`` (read from the guidance
    check, not counted again), the band ``low``/``high`` the guidance rows
    for it span, their ``sources``, the ``status`` against that band and
    the kind's ``minutes`` a week.  This is what
    :func:`backguide.plot_category_days` draws.
    """
    g = _Groups(plans, (), resolve(lib))
    return _kinds(g, _guidance(g))


def _kinds(g: _Groups, status: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for kind, target, label in (("stretch", "stretch_days_per_week", "Stretching days"),
                                ("strength", "strength_days_per_week", "Strengthening days"),
                                ("aerobic", "aerobic_sessions_per_week", "Aerobic sessions")):
        c = status[status["target"] == target]
        value = float(c["value"].iloc[0]) if len(c) else 0.0
        low = float(c["min"].min()) if len(c) else math.nan
        highs = c["max"].dropna()
        high = float(highs.max()) if len(highs) else 7.0
        sources = ", ".join(dict.fromkeys(s for src in c["source"] for s in src.split(", ")))
        rows.append({"kind": kind, "label": label, "value": value, "low": low, "high": high,
                     "sources": sources, "status": _status([value], low, high)[0],
                     "minutes": float(g.count(g.kind[kind], g.minutes)[0])})
    return pd.DataFrame(rows)


def muscle_minutes(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """Minutes a week per muscle group, primary and secondary apart.

    Indexed by every muscle in :data:`backguide.schema.MUSCLES` order, with
    columns ``primary`` and ``secondary`` (secondary already at half).
    This is what :func:`backguide.plot_muscle_volume` draws.
    """
    return _muscles(_volume(_Groups(plans, (), resolve(lib))))


def _muscles(volume: pd.DataFrame) -> pd.DataFrame:
    cells = np.zeros((len(MUSCLES), 2))
    np.add.at(cells, (volume["muscle"].array.codes, volume["role"].array.codes),
              volume["minutes"].to_numpy(dtype=float))
    return pd.DataFrame(cells, columns=["primary", "secondary"],
                        index=pd.Index(list(MUSCLES), name="muscle"))


def category_minutes(entries: pd.DataFrame, *, by: str = "week", values=None,
                     lib: Library | None = None) -> pd.DataFrame:
    """Minutes per ``by`` value (week) and category: rows ``by``, columns categories.

    ``values`` lists the rows to show (every week of a programme, so a week
    with nothing left in it shows zeros); by default the values present.
    This is what :func:`backguide.plot_progression` draws.
    """
    t = _table(entries, resolve(lib))
    rows = sorted(pd.unique(t[by])) if values is None else list(values)
    out = (t.pivot_table(index=by, columns="category", values="total_minutes", aggfunc="sum",
                         observed=False)
           .reindex(index=rows, columns=list(CATEGORIES)).fillna(0.0))
    out.index.name = by
    out.columns = list(out.columns.astype(str))
    return out


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
    g = _Groups(plan, (), resolve(lib))
    status = _guidance(g)
    volume = _volume(g)
    return WeekMeasures(table=g.t, sessions=_sessions(g), days=_day_minutes(g), volume=volume,
                        muscles=_muscles(volume), check=_check(g, status),
                        kinds=_kinds(g, status))


__all__ = ["COUNTS_AS", "STATUSES", "WeekMeasures", "category_minutes", "category_summary",
           "check_guidance", "day_minutes", "describe_dose", "guidance_checks",
           "guidance_status", "measure_week", "met_count", "muscle_minutes", "plan_table",
           "session_minutes", "weekly_volume"]
