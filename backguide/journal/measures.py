"""Progress a person can see: pure functions over the journal's tidy tables.

Every function takes the tables :meth:`store.read` returns (their columns are
in :mod:`backguide.journal.columns`) and a ``by=`` of key columns, as the
plan measures in :mod:`backguide.measures` do: ``by=["person", "week"]``
measures every person's every week at once with a ``merge`` and a
``groupby``, and one person is the same call on a smaller table.

* :func:`adherence`: how much of what was planned was done, per ``by``.
* :func:`pain_change`, :func:`peg_change`, :func:`psfs_change`: each score
  now against the person's start, and whether the change is important by
  :func:`change_thresholds`, a table of published thresholds.
* :func:`pain_by_day`: daily pain with its trailing 7-day mean, for the chart.

Dates are handled as whole days; ``week`` is always the Monday of ``date``'s
week (:func:`~backguide.journal.columns.week_of`), worked out here from
``date``, so every table agrees on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import BackguideError
from ..schema import DAYS
from .columns import COLUMNS, SCORE_RANGE, STATUSES, followed
# The thresholds, imported from here by the views and the tests: keep these names.
from .thresholds import (MEASURES, THRESHOLDS, change_thresholds,  # noqa: F401
                         important_lines, important_size, shown_score, threshold_of)

#: Each measure's words for its direction of change.
DIRECTIONS = ("better", "worse", "no important change")
#: The start is the mean of a person's first this-many days (from their first
#: score); "now" is the mean of the last this-many days up to their last score.
WINDOW_DAYS = 7
#: Columns ``by=`` may name, for each function.
ADHERENCE_KEYS = ("person", "week", "date", "version", "day", "session", "exercise")
CHANGE_KEYS = ("person", "week", "date")
_EPOCH_WEEKDAY = 3  # 1970-01-01, day 0, was a Thursday
_EPS = 1e-9


# --- checks and keys ----------------------------------------------------------------------

def _need(table: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    for c in columns:
        if c not in table.columns:
            raise BackguideError.at(f"the {name} table", f"a column named {c!r} (the journal's "
                                    f"{name} table has: {', '.join(COLUMNS[name])})", column=c)


def _keys(by, allowed: Sequence[str], where: str) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by)
    for k in keys:
        if k not in allowed:
            raise BackguideError.at(where, f"by= keys among: {', '.join(allowed)}",
                                    column="by", value=k)
    return list(dict.fromkeys(keys))


def _day_numbers(values, name: str, column: str = "date") -> np.ndarray:
    """Dates (dates, timestamps or ISO text) as whole days since 1970-01-01."""
    try:
        d = pd.to_datetime(pd.Series(values, copy=False))
    except (ValueError, TypeError):
        raise BackguideError.at(f"the {name} table", "a date in every row", column=column,
                                value=next(iter(values), None)) from None
    if d.isna().any():
        raise BackguideError.at(f"the {name} table", "a date in every row", column=column,
                                value=None)
    if d.dt.tz is not None:
        d = d.dt.tz_localize(None)
    return d.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _as_dates(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[us]")


def _week(days: np.ndarray) -> np.ndarray:
    """The Monday of each day's week, as a day number."""
    return days - (days + _EPOCH_WEEKDAY) % 7


def _scores(values, name: str, column: str) -> np.ndarray:
    given = pd.Series(values, copy=False)
    x = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)
    low, high = SCORE_RANGE
    bad = (x < low) | (x > high) | (np.isnan(x) & given.notna().to_numpy())
    if bad.any():
        raise BackguideError.at(f"the {name} table", f"a score from {low} to {high}",
                                column=column, value=_plain(given[bad].iloc[0]))
    return x


def _plain(value):
    """A NumPy scalar as the Python number it holds, so a message reads 11, not np.int64(11)."""
    return value.item() if isinstance(value, np.generic) else value


def _today(today, done_days: np.ndarray) -> int:
    if today is None:
        return int(done_days.max()) if len(done_days) else _day_numbers([dt.date.today()],
                                                                          "done")[0]
    return int(_day_numbers([today], "done", "today")[0])


def _out_keys(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Key columns as the tables hold them: dates as dates."""
    for k in ("date", "week"):
        if k in by:
            frame[k] = _as_dates(frame[k])
    return frame


# --- adherence ----------------------------------------------------------------------------

def adherence(done: pd.DataFrame, plans: pd.DataFrame, entries: pd.DataFrame, *,
              by: Sequence[str] = ("person", "week"), today=None) -> pd.DataFrame:
    """How much of what was planned was done: one row per ``by`` group.

    ``planned`` counts the plan entries scheduled on each date, from each
    person's first plan start up to ``today`` (default: the last date in
    ``done``, or today's date when it is empty).  The plan in force on a
    date is the greatest version whose ``starts`` is on or before it, and an
    entry is scheduled on the dates whose weekday is its ``day``.  ``done``,
    ``partly`` and ``skipped`` count the reports in ``done`` over the same
    dates (a session moved to another day still counts in its week), and
    ``missing`` is what was planned and not reported (never below 0).
    ``adherence`` is done or partly done, of planned: ``(done + partly) /
    planned``, a fraction (NaN where nothing was planned; above 1 when more
    was reported than planned).  ``done`` may come counted, with a column ``n``
    saying how many reports each row stands for
    (:func:`~backguide.journal.counts.read_for_measures` reads it so).

    ``by`` names any of :data:`ADHERENCE_KEYS`; ``()`` gives one row for
    everything.  Rows are sorted by ``by``.

    Raises
    ------
    BackguideError
        For a missing column, a ``by`` key not in :data:`ADHERENCE_KEYS`, a
        date that is not one or a status outside ``done``, ``partly``,
        ``skipped``.
    """
    by = _keys(by, ADHERENCE_KEYS, "adherence")
    extra = [k for k in by if k in ("session", "exercise")]
    _need(done, "done", ["person", "date", "status", *[k for k in by if k not in ("week",)]])
    _need(plans, "plans", ["person", "version", "starts"])
    _need(entries, "entries", ["person", "version", "day", *extra])
    plans = followed(plans)  # a plan only saved under its name is never in force
    said = np.asarray(done["status"], dtype=object)
    status = pd.Index(STATUSES).get_indexer(said)
    if (bad := (status < 0) & pd.notna(said)).any():
        raise BackguideError.at("the done table", f"a status among: {', '.join(STATUSES)}",
                                column="status", value=_plain(said[bad][0]))
    done_day = _day_numbers(done["date"], "done")
    end = _today(today, done_day)
    # Rows may come counted (journal.counts.read_for_measures): each stands for ``n``.
    weight = done["n"].to_numpy(dtype=np.int64) if "n" in done.columns else 1

    # The calendar: one row per person and date, from their first plan start to ``end``.
    starts = _day_numbers(plans["starts"], "plans", "starts")
    p = pd.DataFrame({"person": plans["person"].array, "_starts": starts,
                      "version": plans["version"].to_numpy(dtype=np.int64)})
    first = p.groupby("person", sort=True)["_starts"].min()
    n = np.clip(end - first.to_numpy() + 1, 0, None)
    offsets = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    cal = pd.DataFrame({"person": first.index.repeat(n).array,
                        "_day": np.repeat(first.to_numpy(), n) + offsets})
    # The version in force: the greatest version starting on or before the date.
    p = p.sort_values(["person", "_starts", "version"], kind="stable")
    p["_force"] = p.groupby("person", sort=False)["version"].cummax()
    cal = pd.merge_asof(cal.sort_values("_day", kind="stable"),
                        p.sort_values("_starts", kind="stable")[["person", "_starts", "_force"]],
                        left_on="_day", right_on="_starts", by="person", direction="backward")
    cal = cal.rename(columns={"_force": "version"})
    cal["_wd"] = (cal["_day"].to_numpy() + _EPOCH_WEEKDAY) % 7

    # What each version plans on each weekday, merged onto the calendar.
    e = pd.DataFrame({"person": entries["person"].array,
                      "version": entries["version"].to_numpy(dtype=np.int64),
                      "_wd": pd.Categorical(entries["day"], categories=DAYS).codes,
                      **{k: entries[k].array for k in extra}})
    per_day = e.groupby(["person", "version", "_wd", *extra], sort=False, observed=True,
                        dropna=False).size().rename("planned").reset_index()
    # Every date counts, planned or not (a week of rest days is "nothing planned"),
    # unless the rows are per session or exercise.
    planned = cal.merge(per_day, on=["person", "version", "_wd"],
                        how="inner" if extra else "left")
    planned["planned"] = planned["planned"].fillna(0)
    planned = _with_keys(planned, by)

    # What was reported, over the same dates.
    d = pd.DataFrame({"person": done["person"].array, "_day": done_day,
                      **{k: done[k].array for k in by if k not in ("person", "date", "week")},
                      **({"day": pd.Categorical(done["day"], categories=DAYS, ordered=True)}
                         if "day" in by else {}),
                      **{s: (status == i).astype(np.int64) * weight
                         for i, s in enumerate(STATUSES)}})
    since = d["person"].map(first).to_numpy(dtype=float)
    d = _with_keys(d[(d["_day"].to_numpy() >= since) & (d["_day"].to_numpy() <= end)], by)

    group = [*by] or ["_all"]
    counts = d.groupby(group, sort=False, observed=True, dropna=False)[list(STATUSES)].sum()
    plan_n = planned.groupby(group, sort=False, observed=True, dropna=False)["planned"].sum()
    out = pd.concat([plan_n, counts], axis=1).fillna(0).astype(np.int64)
    out = out.sort_index().reset_index()
    if not by:
        out = out.drop(columns="_all") if len(out) else pd.DataFrame(
            {c: [0] for c in ("planned", *STATUSES)})
    out["missing"] = np.clip(out["planned"] - out[list(STATUSES)].sum(axis=1), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["adherence"] = np.where(out["planned"] > 0,
                                    (out["done"] + out["partly"]) / out["planned"], np.nan)
    out = _out_keys(out, by)
    return out[[*by, "planned", *STATUSES, "missing", "adherence"]]


def _with_keys(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame`` (with ``_day``) with the ``by`` keys worked out from the day."""
    frame = frame.assign(_all=0)
    if "date" in by:
        frame["date"] = frame["_day"]
    if "week" in by:
        frame["week"] = _week(frame["_day"].to_numpy())
    if "day" in by and "day" not in frame.columns:
        frame["day"] = pd.Categorical.from_codes(frame["_wd"].to_numpy(), categories=DAYS,
                                                 ordered=True)
    return frame


# --- change from the start -------------------------------------------------------------------

def pain_change(pain: pd.DataFrame, *, by: Sequence[str] = ("person",),
                thresholds: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pain (NPRS, 0-10) now against each person's start, and whether it is important.

    ``start`` is the mean NPRS of the person's first :data:`WINDOW_DAYS`
    days, counted from their first score; ``now`` the mean of each ``by``
    group's last :data:`WINDOW_DAYS` days, up to its last score (with
    ``by=["person", "week"]``, each week's mean).  ``change`` is ``now -
    start`` (negative is less pain) and ``percent`` the change as a
    percentage of the start.  ``threshold`` is the important change for
    this start, in points (2 points or 30% of the start, whichever is
    smaller, as :func:`change_thresholds` says), and ``important`` whether
    the change reaches it, judged on the scores as shown (to one decimal),
    so a headline's numbers agree with its verdict.  ``direction`` is
    "better", "worse" or "no important change".  ``first_date`` is the
    person's first score and ``last_date`` the group's last.

    ``by`` names ``person`` and any of ``week`` and ``date``.
    """
    _need(pain, "pain", ["person", "date", "nprs"])
    return _change(pain["person"].array, _day_numbers(pain["date"], "pain"),
                   _scores(pain["nprs"], "pain", "nprs"), "nprs", by, thresholds)


def peg_change(peg: pd.DataFrame, *, by: Sequence[str] = ("person",),
               thresholds: pd.DataFrame | None = None) -> pd.DataFrame:
    """The PEG score (the mean of its three items, 0-10, lower is better) now
    against each person's start, as :func:`pain_change` measures pain (30% of
    the start is important, by :func:`change_thresholds`)."""
    _need(peg, "peg", ["person", "date", "score"])
    return _change(peg["person"].array, _day_numbers(peg["date"], "peg"),
                   _scores(peg["score"], "peg", "score"), "peg", by, thresholds)


def psfs_change(psfs: pd.DataFrame, *, by: Sequence[str] = ("person",),
                thresholds: pd.DataFrame | None = None) -> pd.DataFrame:
    """The PSFS (0-10 per activity, higher is better) now against each person's
    start, as :func:`pain_change` measures pain: each date's score is the mean
    over the activities the person rated that day, and a rise is "better"
    (2 points is important, by :func:`change_thresholds`)."""
    daily = _psfs_daily(psfs)
    return _change(daily["person"].array, daily["_day"].to_numpy(), daily["score"].to_numpy(),
                   "psfs", by, thresholds)


def psfs_by_date(psfs: pd.DataFrame) -> pd.DataFrame:
    """The PSFS score of each date: the mean over the activities the person rated
    that day.  One row per person and date, sorted: ``person``, ``date``,
    ``week``, ``score`` and ``activities`` (how many were rated)."""
    daily = _psfs_daily(psfs)
    day = daily["_day"].to_numpy()
    return pd.DataFrame({"person": daily["person"].array, "date": _as_dates(day),
                         "week": _as_dates(_week(day)), "score": daily["score"].to_numpy(),
                         "activities": daily["activities"].to_numpy()})


def _psfs_daily(psfs: pd.DataFrame) -> pd.DataFrame:
    _need(psfs, "psfs", ["person", "date", "score"])
    f = pd.DataFrame({"person": psfs["person"].array,
                      "_day": _day_numbers(psfs["date"], "psfs"),
                      "score": _scores(psfs["score"], "psfs", "score")}).dropna(subset=["score"])
    g = f.groupby(["person", "_day"], sort=True)["score"]
    return pd.concat([g.mean(), g.size().rename("activities")], axis=1).reset_index()


def _change(person, days: np.ndarray, score: np.ndarray, measure: str, by,
            thresholds) -> pd.DataFrame:
    by = _keys(by, CHANGE_KEYS, f"{measure} change")
    if "person" not in by:
        raise BackguideError.at(f"{measure} change", "by= keys that include 'person': a "
                                "change is measured from each person's own start",
                                column="by", value=", ".join(by))
    keep = ~np.isnan(score)
    f = _with_keys(pd.DataFrame({"person": person[keep], "_day": days[keep]}), by)
    score, day = score[keep], f["_day"].to_numpy()
    # Each person's start: their first WINDOW_DAYS days, from their first score.
    who, people = pd.factorize(f["person"])
    first = np.full(len(people), np.iinfo(np.int64).max)
    np.minimum.at(first, who, day)
    base = day < first[who] + WINDOW_DAYS
    start = np.bincount(who, score * base, len(people)) / np.bincount(who, base, len(people))
    # Each group's now: its last WINDOW_DAYS days, up to its last score.
    g = f.groupby(by, sort=True, observed=True)
    code = g.ngroup().to_numpy()
    groups = g.size()
    ng = len(groups)
    last = np.full(ng, np.iinfo(np.int64).min)
    np.maximum.at(last, code, day)
    recent = day > last[code] - WINDOW_DAYS
    now = np.bincount(code, score * recent, ng) / np.bincount(code, recent, ng)
    owner = np.zeros(ng, dtype=np.int64)
    owner[code] = who
    start = start[owner]
    out = groups.index.to_frame(index=False)
    out = _out_keys(out, by)
    change = now - start
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(start > 0, change / start * 100, np.nan)
    shown_start, shown_now = shown_score(start), shown_score(now)
    size = important_size(shown_start, measure, thresholds)
    moved = np.round(shown_now - shown_start, 9)
    important = (np.abs(moved) >= size - _EPS) & (moved != 0)
    gain = -moved if threshold_of(measure, thresholds)["better"] == "lower" else moved
    direction = np.where(important & (gain > 0), DIRECTIONS[0],
                         np.where(important, DIRECTIONS[1], DIRECTIONS[2]))
    return out.assign(start=start, now=now, change=change, percent=percent, threshold=size,
                      important=important, direction=direction,
                      first_date=_as_dates(first[owner]), last_date=_as_dates(last))


# --- pain by day ----------------------------------------------------------------------------

def pain_by_day(pain: pd.DataFrame) -> pd.DataFrame:
    """Daily pain with its trailing 7-day mean, per person: what the pain chart draws.

    One row per person and date with a score (two scores on one date are
    averaged), sorted by person and date: ``person``, ``date``, ``week``,
    ``nprs``, ``mean7`` (the mean of the person's scores over the
    :data:`WINDOW_DAYS` days ending that date) and ``start`` (the person's
    start, as :func:`pain_change` has it).
    """
    _need(pain, "pain", ["person", "date", "nprs"])
    f = pd.DataFrame({"person": pain["person"].array,
                      "_day": _day_numbers(pain["date"], "pain"),
                      "nprs": _scores(pain["nprs"], "pain", "nprs")}).dropna(subset=["nprs"])
    f = f.groupby(["person", "_day"], sort=True)["nprs"].mean().reset_index()
    who = pd.factorize(f["person"], sort=True)[0].astype(np.int64)
    day = f["_day"].to_numpy()
    # People laid end to end on one number line, far enough apart that no window
    # reaches the next person; then each window is a difference of running sums.
    at = who * (day.max() - day.min() + 2 * WINDOW_DAYS if len(day) else 0) + day
    sums = np.concatenate([[0.0], np.cumsum(f["nprs"].to_numpy())])
    lo = np.searchsorted(at, at - (WINDOW_DAYS - 1), side="left")
    hi = np.arange(1, len(at) + 1)
    mean7 = (sums[hi] - sums[lo]) / (hi - lo)
    first = f.groupby("person", sort=False)["_day"].transform("min").to_numpy()
    base = day < first + WINDOW_DAYS
    start = (pd.Series(np.where(base, f["nprs"], np.nan)).groupby(who).transform("mean")
             .to_numpy())
    return pd.DataFrame({"person": f["person"].array, "date": _as_dates(day),
                         "week": _as_dates(_week(day)), "nprs": f["nprs"].to_numpy(),
                         "mean7": mean7, "start": start})
