"""The guidance targets, measured: each plan's figure and status for each check.

Each target is a function of :class:`~backguide.grouping.Grouped` (the plans'
entries sorted into their plans) that returns one row per plan: ``value``,
``status`` and the detail a sentence needs.  :func:`guidance_status` puts
them together, plan by plan; :mod:`backguide.guidance_words` says them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from .grouping import Grouped, Plans, derived
from .library import Library, resolve
from .schema import DAYS, SPINE_MUSCLES

#: A check's status: met; short of or over the target's numbers; or, for the
#: progression-order check, a harder exercise out of ``order``.
STATUSES = ("met", "short", "over", "order")
STATUS = pd.CategoricalDtype(STATUSES)

#: Columns that say which entry or day a status is about, for the messages,
#: with their blank values and types.
DETAILS = {"day": "", "name": "", "easier": "", "absent": False, "missing": "",
           "count": np.nan, "threshold": np.nan}
DETAIL_TYPES = {"day": "str", "name": "str", "easier": "str", "absent": bool, "missing": "str",
                "count": float, "threshold": float}


def guidance_checks(*, lib: Library | None = None) -> pd.DataFrame:
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


def status_of(value, low: float, high: float) -> np.ndarray:
    """met, short (under ``low``) or over (over ``high``); a NaN bound is no bound."""
    value = np.asarray(value, dtype=float)
    out = np.full(value.shape, "met", dtype=object)
    if not math.isnan(low):
        out[value < low] = "short"
    if not math.isnan(high):
        out[value > high] = "over"
    return out


@cache
def _day_to_add(have: tuple[bool, ...]) -> str:
    """A day without the kind, as far as possible from the days that have it."""
    on = [i for i, h in enumerate(have) if h]
    free = [i for i, h in enumerate(have) if not h]
    if not free:
        return ""
    return DAYS[max(free, key=lambda i: min([min(abs(i - h), 7 - abs(i - h)) for h in on]
                                           or [7]))]


@cache
def _missing_spine(have: tuple[bool, ...]) -> str:
    return ", ".join(m for m, h in zip(SPINE_MUSCLES, have) if not h)


def _each_plan(rows: np.ndarray, words) -> np.ndarray:
    """``words(row)`` for each plan's row of yes/no (a plans x n array); ``words`` is
    cached, so a caseload of plans works out each distinct row once."""
    return np.array([words(tuple(r)) for r in rows.tolist()], dtype=object)


def _kind_days(g: Grouped) -> dict[str, dict]:
    """Per kind: each plan's number of days with that kind and a day to add."""
    return {k: {"value": have.sum(axis=1).astype(float), "day": _each_plan(have, _day_to_add)}
            for k, have in g.kind_days.items()}


# --- the measures, one per target: each returns columns, one value per plan -------------------


def _aerobic(g: Grouped) -> dict[str, np.ndarray]:
    """Per plan: aerobic sessions (``count``), those long enough (``long``), their
    ``minutes``, and the shortest one's minutes (``shortest``) and ``day``."""
    t, P = g.t, len(g.plans)
    aerobic = t["aerobic"].to_numpy()
    if not aerobic.any():
        return {"count": np.zeros(P), "long": np.zeros(P), "minutes": np.zeros(P),
                "shortest": np.zeros(P), "day": np.full(P, "", dtype=object)}
    number, heads = g.session_rows
    # each session with aerobic work: its aerobic minutes, first row and plan
    minutes = t["total_minutes"][aerobic].groupby(number[aerobic]).sum()
    heads = heads[minutes.index]
    plan = g.grouper(g.plan.codes[heads])
    by = minutes.groupby(plan, observed=False)
    shortest = by.min().to_numpy()
    # the first of the shortest, sessions being in plan order
    is_shortest = minutes.to_numpy() == shortest[plan.codes]
    first = (pd.Series(heads[is_shortest]).groupby(plan[is_shortest], observed=False).min()
             .fillna(-1).to_numpy(dtype=np.int64))
    long = (minutes >= g.aerobic_threshold).groupby(plan, observed=False).sum()
    return {"count": by.size().to_numpy(dtype=float), "long": long.to_numpy(dtype=float),
            "minutes": by.sum().to_numpy(dtype=float), "shortest": np.nan_to_num(shortest),
            "day": g.at_rows("day", first)}


def _aerobic_session_minutes(g: Grouped, low, high, threshold):
    a = g.memo(_aerobic)
    return {"value": a["shortest"], "count": a["count"], "day": a["day"],
            "status": np.where(a["count"] == 0, "short", status_of(a["shortest"], low, high))}


def _aerobic_sessions_per_week(g: Grouped, low, high, threshold):
    value = g.memo(_aerobic)["long"]
    return {"value": value, "status": status_of(value, low, high),
            "day": g.memo(_kind_days)["aerobic"]["day"], "threshold": threshold}


def _aerobic_minutes_per_week(g: Grouped, low, high, threshold):
    value = g.memo(_aerobic)["minutes"]
    return {"value": value, "status": status_of(value, low, high)}


def _days(kind: str):
    def measure(g: Grouped, low, high, threshold):
        days = g.memo(_kind_days)[kind]
        return {"value": days["value"], "status": status_of(days["value"], low, high),
                "day": days["day"]}
    return measure


def _stretch_and_strength(g: Grouped, low, high, threshold):
    stretch, strength = (g.memo(_kind_days)[k]["value"] > 0 for k in ("stretch", "strength"))
    missing = np.select([~stretch & ~strength, ~stretch, ~strength],
                        ["stretching and strengthening", "stretching", "strengthening"], "")
    both = stretch & strength
    return {"value": both.astype(float), "status": np.where(both, "met", "short"),
            "missing": missing}


def _spine_table(lib: Library) -> pd.DataFrame:
    """Per exercise, whether it works each muscle that supports the spine."""
    m = lib.muscles
    m = m[m["muscle"].isin(SPINE_MUSCLES)]
    return (pd.crosstab(m["exercise"], m["muscle"].astype(str)).reindex(
        index=lib.exercises.index, columns=list(SPINE_MUSCLES), fill_value=0) > 0)


def _spine_muscle_groups(g: Grouped, low, high, threshold):
    worked = derived(_spine_table, lib=g.lib).reindex(g.t["exercise"], fill_value=False)
    have = worked.groupby(g.plan, observed=False).any().to_numpy(dtype=bool)
    value = have.sum(axis=1).astype(float)
    return {"value": value, "status": status_of(value, low, high),
            "missing": _each_plan(have, _missing_spine)}


def _easier_versions(lib: Library) -> pd.DataFrame:
    """Each exercise's easier versions (``other``), in the table's order, and their names
    joined by "or" (``easier``)."""
    v = lib.variants
    v = v.loc[v["direction"] == "easier", ["exercise", "other"]]
    names = lib.exercises["name"]
    words = (v.assign(name=names.reindex(v["other"]).to_numpy())
             .groupby("exercise", sort=False)["name"].agg(" or ".join).rename("easier"))
    return v.join(words, on="exercise")


def _easier_words(lib: Library) -> pd.Series:
    """Each exercise's easier versions in words, by exercise."""
    return derived(_easier_versions, lib=lib).drop_duplicates("exercise").set_index(
        "exercise")["easier"]


def _progression_order(g: Grouped, low, high, threshold):
    """Exercises that come before all their easier versions, or without any of them."""
    t = g.t
    easier = derived(_easier_versions, lib=g.lib)
    # each exercise's first entry in each plan, by its row in the plan table
    first = ~t.duplicated(["_plan", "exercise"]).to_numpy()
    harder = first & t["exercise"].isin(easier["exercise"]).to_numpy()
    flagged = np.zeros(len(t), dtype=bool)
    somewhere = np.zeros(len(t), dtype=bool)  # has one of its easier versions in the plan
    if harder.any():
        firsts = t.loc[first, ["_plan", "exercise", "_at"]]
        pairs = firsts[harder[first]].reset_index(names="row").merge(easier, on="exercise")
        others = firsts.set_axis(["_plan", "other", "other_at"], axis=1)
        pairs = pairs.merge(others, on=["_plan", "other"], how="left")
        flagged[pairs["row"]] = True
        flagged[pairs.loc[pairs["other_at"] < pairs["_at"], "row"]] = False
        somewhere[pairs.loc[pairs["other_at"].notna(), "row"]] = True
    value = (g.by_plan(flagged).sum().to_numpy(dtype=float) if flagged.any()
             else np.zeros(len(g.plans)))
    top = g.first_row(flagged)  # each plan's first, which the sentence names
    absent = np.zeros(len(top), dtype=bool)
    absent[top >= 0] = ~somewhere[top[top >= 0]]
    return {"value": value, "status": np.where(value > 0, "order", "met"),
            "day": g.at_rows("day", top), "name": g.at_rows("name", top),
            "easier": _easier_of(g, top), "absent": absent}


def _easier_of(g: Grouped, rows: np.ndarray) -> np.ndarray:
    """The easier versions, in words, of the exercises at ``rows`` ("" at -1)."""
    if not (rows >= 0).any():
        return np.full(len(rows), "", dtype=object)
    words = derived(_easier_words, lib=g.lib)
    return words.reindex(g.at_rows("exercise", rows)).fillna("").to_numpy(dtype=object)


def _held(g: Grouped, column: str) -> np.ndarray:
    """Which rows are held static stretches, by ``column`` (seconds held)."""
    return g.held_stretch & (g.t[column].to_numpy() > 0)


def _stretch_hold_s(g: Grouped, low, high, threshold):
    held, hold = _held(g, "hold_s"), g.t["hold_s"].to_numpy()
    value = g.by_plan(hold, held).median().to_numpy(copy=True)
    status = np.where(np.isnan(value), "short", "met").astype(object)
    # each plan's first hold that is too long, then its first too short (short wins)
    named = np.full(len(value), -1)
    for bad, label in ((held & (hold > high), "over"), (held & (hold < low), "short")):
        first = g.first_row(bad)
        value[first >= 0] = hold[first[first >= 0]]
        status[first >= 0] = label
        named = np.where(first >= 0, first, named)
    return {"value": value, "status": status, "name": g.at_rows("name", named)}


def _stretch_seconds_per_exercise(g: Grouped, low, high, threshold):
    held, seconds = _held(g, "total_hold_s"), g.t["total_hold_s"].to_numpy()
    least = g.by_plan(seconds, held).min().to_numpy()
    # the first of the least, rows being in plan order
    first = g.first_row(held & (seconds == least[g.plan.codes]))
    count = (first >= 0).astype(float)
    value = g.at_rows("total_hold_s", first, 0.0).astype(float)
    return {"value": value, "status": np.where(count == 0, "short", status_of(value, low, high)),
            "name": g.at_rows("name", first), "count": count}


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


def guidance_status(entries: Plans, *, by: Sequence[str] = (), lib: Library | None = None
                    ) -> pd.DataFrame:
    """How each plan measures up to each guidance target, all plans at once.

    ``entries`` holds the entries of one plan, or of many stacked in one
    table with key columns named in ``by`` (for example ``["person",
    "week"]``).  Returns one row per group and check of
    :func:`guidance_checks`, group by group: the ``by`` keys, the check's
    columns, ``value`` (the plan's figure), ``status`` (met, short or
    over, or order for a harder exercise before its easier version; a plan
    with nothing in it meets nothing), and the detail the message needs
    (``day``, ``name``, ``easier``, ``absent``, ``missing``, ``count``,
    ``threshold``).  Each target is a few aggregations over the whole
    table by group, with no loop over plans; for any one group it equals
    :func:`backguide.check_guidance` on that plan alone.
    """
    return status_table(Grouped(entries, by, lib=lib))


def status_table(g: Grouped) -> pd.DataFrame:
    checks = g.lib.checks
    parts = [MEASURES[t](g, float(low), float(high), g.aerobic_threshold)
             for t, low, high in zip(checks["target"], checks["min"], checks["max"])]
    P, C = len(g.plans), len(parts)

    def column(k):
        """Column ``k`` plan by plan, each plan's checks in order: a plans x checks
        grid of the measures' columns, read row by row."""
        blank = np.full(P, DETAILS.get(k), dtype=object)
        grid = np.empty((P, C), dtype=object)
        for i, part in enumerate(parts):
            grid[:, i] = part.get(k, blank)
        return grid.ravel()

    plan, check = np.repeat(np.arange(P), C), np.tile(np.arange(C), P)
    # a plan with nothing in it meets nothing
    status = np.full(P * C, "short", dtype=object) if g.t.empty else column("status")
    return pd.DataFrame({**{k: g.keys[k].array.take(plan) for k in g.by},
                         **{k: checks[k].array.take(check) for k in checks.columns},
                         "value": column("value").astype(float),
                         "status": pd.Categorical(status, dtype=STATUS),
                         **{k: pd.array(column(k), dtype=kind)
                            for k, kind in DETAIL_TYPES.items()}})


def met_count(check: pd.DataFrame) -> tuple[int, int]:
    """How many checks are met, of how many: the checklist's headline."""
    return int((check["status"] == "met").sum()), len(check)
