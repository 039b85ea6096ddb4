"""The caseload: one row per person, the person who needs a call first.

:func:`caseload` gives a clinician's table: each person their store's
database role may see (on PostgreSQL, row-level security decides), with
their plan, how they are doing and why they may need a call.  It is worked
out in one of two ways that give the same table:

- :func:`caseload_of`, pure, over the journal's tidy tables (each read in
  one query, all in one snapshot): the measures of
  :mod:`~backguide.journal.measures` with ``by=["person"]``, and a
  ``groupby`` for the rest.  No loop over people.
- :func:`caseload_in_database`, where the tables would not fit in memory:
  the grouping runs in the database, in SQLAlchemy Core that compiles for
  SQLite and PostgreSQL alike; only one row per person (and the few recent
  warning signs and "hurt more" pairs) comes back.

Both hand the same per-person parts to one function that sets the flags and
writes the reasons, so they cannot disagree on words or order.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import (Date, Float, and_, case, cast, func, literal, or_, select, true,
                        union_all)

from ..errors import BackguideError
from ..library import Library, resolve
from ..schema import DAYS
from . import models as m
from .columns import followed
from .database import date_plus, days_between
from .measures import WINDOW_DAYS, adherence, pain_change, peg_change, psfs_change

#: Days of the recent window (today and the 13 before): adherence, "hurt more"
#: twice in a row, and warning signs are looked for in it.
RECENT_DAYS = 14
#: Days without a check-in after which a person is quiet.
QUIET_DAYS = 7
#: From this many people the store's role may see, :func:`caseload` groups in the database.
IN_DATABASE_FROM = 2000
#: The flags, most urgent first: the order that decides who comes first.
FLAGS = ("sign", "pain_up", "hurt_twice", "quiet")
#: The caseload's columns.
COLUMNS = ("person", "name", "clinician", "plan", "weeks_in", "adherence_14d", "pain_start",
           "pain_now", "pain_change_important", "peg_change", "psfs_change",
           "days_since_check_in", *FLAGS, "reasons")
#: The tables :func:`caseload_of` takes.
TABLES = ("people", "plans", "entries", "done", "pain", "peg", "psfs", "signs")
#: The columns :func:`caseload` reads of the tables it reads only in part.
READ = {"entries": ("person", "version", "day"),
        "done": ("person", "date", "session", "exercise", "status", "felt")}
#: A check-in is a row in any of these.
CHECK_IN_TABLES = ("done", "pain", "peg", "psfs", "signs")
_DAY = np.timedelta64(1, "D")


def caseload(store, *, today=None, in_database: bool | None = None,
             lib: Library | None = None) -> pd.DataFrame:
    """The caseload of ``store``: one row per person its database role may see.

    Columns (:data:`COLUMNS`):

    - ``person``, ``name``, ``clinician``; ``plan``: the name of the plan in
      force today (missing if none); ``weeks_in``: the week of their
      programme today, 1 in the week their first plan started (0 before);
    - ``adherence_14d``: done or partly done, of planned, over the last 14
      days (today included), as :func:`~.measures.adherence` counts it; NaN
      where nothing was planned;
    - ``pain_start``, ``pain_now``, ``pain_change_important``: pain as
      :func:`~.measures.pain_change` measures it (the mean of the first and
      of the last 7 days), and whether the change is important either way;
      ``peg_change``, ``psfs_change``: now minus start (NaN with no scores);
    - ``days_since_check_in``: whole days since the last day with anything
      checked in (NaN if never);
    - the flags (bool): ``sign``, a warning sign ticked in the last 14 days;
      ``pain_up``, pain worse by the important change (``pain_change``'s
      rule); ``hurt_twice``, two reports in a row of one exercise, both in
      the last 14 days, felt "hurt more"; ``quiet``, no check-in for 7 days
      or more (for someone who never checked in: 7 days or more since their
      first plan started, or, with no plan, since they were added);
    - ``reasons``: the flags in words, most urgent first, ``"; "`` between
      them, e.g. "Pain up from 4.0 to 6.5; no check-in for 9 days"
      (empty with no flag).

    The order: who needs a call first.  By the flags in the order of
    :data:`FLAGS` (a warning sign first, then pain up, then "hurt more" twice,
    then quiet: a person with a warning sign comes before one without, and so
    on down), then the longest without a check-in, then the lowest
    adherence, then by name.

    Parameters
    ----------
    store
        A :class:`~backguide.journal.store.Store`.
    today
        The date to look from (default: today); rows dated after it are left out.
    in_database
        Group in the database (:func:`caseload_in_database`) or in pandas
        (:func:`caseload_of`); ``None``: in the database from
        :data:`IN_DATABASE_FROM` people.
    lib
        The library whose exercise names and warning signs the reasons use.
    """
    today = _as_date(dt.date.today() if today is None else today)
    if in_database is None:
        with store.snapshot() as conn:
            count = conn.execute(select(func.count()).select_from(m.people)).scalar_one()
        in_database = count >= IN_DATABASE_FROM
    if in_database:
        return caseload_in_database(store, today=today, lib=lib)
    return caseload_of(store.read_tables(TABLES, columns=READ), today=today, lib=lib)


# --- in pandas ------------------------------------------------------------------------------

def caseload_of(tables: dict[str, pd.DataFrame], *, today, lib: Library | None = None
                ) -> pd.DataFrame:
    """:func:`caseload` from the journal's tidy tables (``store.read_tables(TABLES)``,
    whole or with the columns of :data:`READ`): every measure once, with
    ``by=["person"]``."""
    today = _as_date(today)
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise BackguideError.at("caseload_of", f"the journal's tables: {', '.join(TABLES)}",
                                column="tables", value=", ".join(missing))
    stamp = pd.Timestamp(today)
    since = stamp - pd.Timedelta(days=RECENT_DAYS - 1)
    t = {k: v[v["date"] <= stamp] if "date" in v else v for k, v in tables.items()}
    plans = followed(t["plans"])
    plans = plans[plans["starts"] <= stamp]
    people = t["people"]
    parts = {"people": pd.DataFrame({"person": people["person"].array,
                                     "name": people["name"].array,
                                     "clinician": people["clinician"].array,
                                     "created": people["created"]})}
    in_force = plans.loc[plans.groupby("person")["version"].idxmax(), ["person", "name"]]
    first = plans.groupby("person", as_index=False)["starts"].min()
    parts["plans"] = in_force.merge(first, on="person").rename(
        columns={"name": "plan", "starts": "first"})
    # Plans clipped to the window: adherence counts from the window's first day.
    clipped = plans.assign(starts=plans["starts"].clip(lower=since))
    got = adherence(t["done"], clipped, t["entries"], by=["person"], today=today)
    parts["adherence"] = got[["person", "adherence"]]
    parts["pain"] = pain_change(t["pain"], by=["person"])
    parts["peg"] = peg_change(t["peg"], by=["person"])[["person", "change"]]
    parts["psfs"] = psfs_change(t["psfs"], by=["person"])[["person", "change"]]
    dated = pd.concat([t[k][["person", "date"]] for k in CHECK_IN_TABLES], ignore_index=True)
    parts["last"] = dated.groupby("person", as_index=False)["date"].max().rename(
        columns={"date": "last"})
    parts["hurts"] = _hurt_twice(t["done"][t["done"]["date"] >= since])
    signs = t["signs"]
    parts["signs"] = signs.loc[signs["date"] >= since, ["person", "date", "sign"]]
    return _assemble(parts, today, lib)


def _hurt_twice(done: pd.DataFrame) -> pd.DataFrame:
    """The people and exercises whose two reports in a row (by date and session,
    reports with a feeling) were "hurt more"."""
    felt = done[done["felt"].notna()].sort_values(["person", "exercise", "date", "session"],
                                                  kind="stable")
    before = felt.groupby(["person", "exercise"], sort=False)["felt"].shift()
    hurt = felt["felt"].astype(object).eq("hurt more") & before.astype(object).eq("hurt more")
    return felt.loc[hurt, ["person", "exercise"]].drop_duplicates(ignore_index=True)


# --- in the database ------------------------------------------------------------------------

def caseload_in_database(store, *, today, lib: Library | None = None) -> pd.DataFrame:
    """:func:`caseload`, grouped in the database: nine SELECTs, all in one snapshot,
    each giving at most one row per person (and the recent warning signs and
    "hurt more" pairs), in SQL that SQLAlchemy writes for SQLite and PostgreSQL."""
    today = _as_date(today)
    with store.snapshot() as conn:
        if conn.dialect.name == "postgresql":
            # Compiling these plans to machine code takes longer than running them.
            conn.exec_driver_sql("SET LOCAL jit = off")
        parts = {name: _rows(conn, stmt, cols)
                 for name, (stmt, cols) in caseload_queries(today).items()}
    # The last check-in: the latest date of any table (the scores' from their bounds).
    lasts = [parts["last"].melt("person", value_name="last")[["person", "last"]],
             *(parts[name][["person", "last"]] for name in ("pain", "peg", "psfs"))]
    parts["last"] = (pd.concat(lasts, ignore_index=True).dropna(subset=["last"])
                     .groupby("person", as_index=False)["last"].max())
    for name, measure in (("pain", pain_change), ("peg", peg_change), ("psfs", psfs_change)):
        parts[name] = _change(parts[name], measure)
    for name in ("peg", "psfs"):
        parts[name] = parts[name][["person", "change"]]
    ratio = parts["adherence"]["did"] / parts["adherence"]["planned"].replace(0, np.nan)
    parts["adherence"] = parts["adherence"].assign(adherence=ratio)
    return _assemble(parts, today, lib)


def caseload_queries(today) -> dict[str, tuple]:
    """The SELECTs of :func:`caseload_in_database` (SQLAlchemy Core), by part, each
    with the names of its columns."""
    today = _as_date(today)
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    pe, e, d, s = m.people, m.entries, m.done, m.signs
    # Only the versions followed are ever in force (columns.followed).
    p = select(m.plans).where(m.plans.c.follow.is_(true())).subquery("followed")
    q = {"people": (select(pe.c.person, pe.c.name, pe.c.clinician, pe.c.created),
                    ("person", "name", "clinician", "created"))}

    latest = (select(p.c.person, func.min(p.c.starts).label("first"),
                     func.max(p.c.version).label("version"))
              .where(p.c.starts <= today).group_by(p.c.person).subquery())
    q["plans"] = (select(latest.c.person, p.c.name, latest.c.first)
                  .join_from(latest, p, and_(p.c.person == latest.c.person,
                                             p.c.version == latest.c.version)),
                  ("person", "plan", "first"))

    # Adherence.  A version is in force from its start until the first start of
    # a later version (the greatest version started by a date is in force).  Each
    # entry of a version counts once on each day of the window in its span that
    # falls on its weekday.
    until = func.min(p.c.starts).over(partition_by=p.c.person, order_by=p.c.version,
                                      rows=(1, None))
    spans = select(p.c.person, p.c.version, p.c.starts, until.label("until")).subquery()
    days = union_all(*(select(literal(day, Date).label("day"),
                              literal(DAYS[day.weekday()]).label("wd"))
                       for day in (since + dt.timedelta(days=k) for k in range(RECENT_DAYS)))
                     ).subquery("days")
    planned = (select(spans.c.person, func.count().label("planned"))
               .join_from(spans, e, and_(e.c.person == spans.c.person,
                                         e.c.version == spans.c.version))
               .join(days, and_(days.c.wd == e.c.day, days.c.day >= spans.c.starts,
                                or_(spans.c.until.is_(None), days.c.day < spans.c.until)))
               .where(spans.c.starts <= today,
                      or_(spans.c.until.is_(None), spans.c.until > since))
               .group_by(spans.c.person).subquery())
    first = (select(p.c.person, func.min(p.c.starts).label("first"))
             .where(p.c.starts <= today).group_by(p.c.person).subquery())
    did = (select(d.c.person, func.count().label("did"))
           .join_from(d, first, d.c.person == first.c.person)
           .where(d.c.date >= since, d.c.date <= today, d.c.date >= first.c.first,
                  d.c.status.in_(("done", "partly")))
           .group_by(d.c.person).subquery())
    q["adherence"] = (select(planned.c.person, planned.c.planned,
                             func.coalesce(did.c.did, 0))
                      .outerjoin_from(planned, did, did.c.person == planned.c.person),
                      ("person", "planned", "did"))

    # Each score's start and now, per person.
    q["pain"] = _change_query(m.pain, cast(m.pain.c.nprs, Float), today)
    g = m.peg.c
    q["peg"] = _change_query(m.peg, cast(g.pain + g.enjoyment + g.activity, Float) / 3, today)
    f = m.psfs.c
    q["psfs"] = _daily_change_query(select(f.person, f.date, func.avg(cast(f.score, Float))
                                           .label("value"))
                                    .where(f.date <= today).group_by(f.person, f.date))

    # The last check-in: each table's latest date, per person, from its index (the
    # scores' last dates come with their start and now).
    q["last"] = (select(pe.c.person, *(
        select(func.max(t.c.date)).where(t.c.person == pe.c.person, t.c.date <= today)
        .scalar_subquery() for t in (m.done, m.signs))), ("person", "last_done", "last_signs"))

    # "Hurt more" twice in a row, among the exercises that hurt twice in the window.
    window = and_(d.c.date >= since, d.c.date <= today)
    twice = (select(d.c.person, d.c.exercise).where(window, d.c.felt == "hurt more")
             .group_by(d.c.person, d.c.exercise).having(func.count() >= 2).subquery())
    felt = (select(d.c.person, d.c.exercise, d.c.felt,
                   func.lag(d.c.felt).over(partition_by=(d.c.person, d.c.exercise),
                                           order_by=(d.c.date, d.c.session)).label("before"))
            .join_from(d, twice, and_(d.c.person == twice.c.person,
                                      d.c.exercise == twice.c.exercise))
            .where(window, d.c.felt.is_not(None)).subquery())
    q["hurts"] = (select(felt.c.person, felt.c.exercise)
                  .where(felt.c.felt == "hurt more", felt.c.before == "hurt more").distinct(),
                  ("person", "exercise"))
    q["signs"] = (select(s.c.person, s.c.date, s.c.sign)
                  .where(s.c.date >= since, s.c.date <= today), ("person", "date", "sign"))
    return q


def _change_query(t, value, today) -> tuple:
    """Per person with scores in the table ``t`` (one row per date): the first and
    last date up to ``today``, and the mean ``value`` of the first and of the
    last :data:`~.measures.WINDOW_DAYS` days, as ``pain_change`` takes them.
    Each from the index on (person, date), not a pass over the whole table."""
    pe = m.people

    def of_person(*where):
        return (t.c.person == pe.c.person, t.c.date <= today, *where)

    # OFFSET 0 keeps the bounds a subquery of their own, worked out once per
    # person (PostgreSQL would otherwise repeat them wherever they are used).
    b = select(pe.c.person,
               select(func.min(t.c.date)).where(*of_person()).scalar_subquery().label("first"),
               select(func.max(t.c.date)).where(*of_person()).scalar_subquery().label("last")
               ).offset(0).subquery()
    start = (select(func.avg(value)).where(t.c.person == b.c.person, t.c.date >= b.c.first,
                                          t.c.date < date_plus(b.c.first, WINDOW_DAYS),
                                          t.c.date <= today)
             .scalar_subquery())
    now = (select(func.avg(value)).where(t.c.person == b.c.person, t.c.date <= b.c.last,
                                        t.c.date > date_plus(b.c.last, -WINDOW_DAYS))
           .scalar_subquery())
    stmt = (select(b.c.person, b.c.first, b.c.last, cast(start, Float), cast(now, Float))
            .where(b.c.first.is_not(None)))
    return stmt, ("person", "first", "last", "start", "now")


def _daily_change_query(daily) -> tuple:
    """:func:`_change_query` over a SELECT of one score per person and date
    (``person``, ``date``, ``value``), grouped in one pass: SQLite would work
    out a grouped subquery again for each person."""
    daily = daily.subquery()
    b = (select(daily.c.person, func.min(daily.c.date).label("first"),
                func.max(daily.c.date).label("last")).group_by(daily.c.person).subquery())
    start = func.avg(case((days_between(daily.c.date, b.c.first) < WINDOW_DAYS,
                           daily.c.value)))
    now = func.avg(case((days_between(b.c.last, daily.c.date) < WINDOW_DAYS, daily.c.value)))
    stmt = (select(b.c.person, b.c.first, b.c.last, cast(start, Float), cast(now, Float))
            .join_from(daily, b, daily.c.person == b.c.person)
            .group_by(b.c.person, b.c.first, b.c.last))
    return stmt, ("person", "first", "last", "start", "now")


def _rows(conn, stmt, columns) -> pd.DataFrame:
    rows = conn.execute(stmt).all()
    out = pd.DataFrame.from_records(rows, columns=list(columns))
    for c in out.columns:
        if c in ("first", "date", "created") or c.startswith("last"):
            out[c] = pd.to_datetime(out[c]).astype(m.DATE_DTYPE)
    return out


def _change(rows: pd.DataFrame, measure) -> pd.DataFrame:
    """``measure`` (``pain_change`` and its siblings) judging the database's start
    and now: one score on the first date (the start), and one on the last (now)
    when the two windows do not overlap, give that same start and now."""
    column = "nprs" if measure is pain_change else "score"
    apart = (rows["last"] - rows["first"]).dt.days >= WINDOW_DAYS
    scores = pd.concat([
        pd.DataFrame({"person": rows["person"], "date": rows["first"], column: rows["start"]}),
        pd.DataFrame({"person": rows["person"], "date": rows["last"], column: rows["now"]}
                     )[apart]], ignore_index=True)
    return measure(scores, by=["person"])


# --- the flags and their words ------------------------------------------------------------------

def _assemble(parts: dict[str, pd.DataFrame], today: dt.date, lib: Library | None
              ) -> pd.DataFrame:
    """The caseload from its per-person parts (whichever way they were worked out)."""
    lib = resolve(lib)
    stamp = pd.Timestamp(today)
    out = parts["people"].sort_values("person", ignore_index=True)
    out = out.merge(parts["plans"], on="person", how="left")
    out = out.merge(parts["adherence"][["person", "adherence"]], on="person", how="left")
    pain = parts["pain"].rename(columns={"start": "pain_start", "now": "pain_now",
                                         "important": "pain_change_important"})
    out = out.merge(pain[["person", "pain_start", "pain_now", "pain_change_important",
                          "direction"]], on="person", how="left")
    for name in ("peg", "psfs"):
        out = out.merge(parts[name].rename(columns={"change": f"{name}_change"}),
                        on="person", how="left")
    out = out.merge(parts["last"], on="person", how="left")

    first_days = ((stamp - out["first"]) / _DAY).to_numpy(dtype=float)
    out["weeks_in"] = np.where(first_days >= 0, np.floor(first_days / 7) + 1, 0).astype(
        np.int64)
    out["adherence_14d"] = out["adherence"].astype(float)
    out["days_since_check_in"] = ((stamp - out["last"]) / _DAY).astype(float)
    out["pain_change_important"] = out["pain_change_important"].eq(True)
    # Someone who never checked in: counted from their first plan, else from being added.
    added = ((stamp - out["created"].dt.normalize()) / _DAY).to_numpy(dtype=float)
    waited = np.where(np.isnan(first_days), added, first_days)
    never = out["last"].isna().to_numpy()
    quiet_days = np.where(never, waited, out["days_since_check_in"].to_numpy())
    out["quiet"] = quiet_days >= QUIET_DAYS
    out["pain_up"] = out["pain_change_important"] & out["direction"].eq("worse").fillna(False)
    names = lib.exercises["name"].astype(str)
    hurts = parts["hurts"].assign(exercise=lambda h: h["exercise"].map(names).fillna(
        h["exercise"]).astype(str)).sort_values(["person", "exercise"])
    hurt_words = hurts.groupby("person")["exercise"].agg(_and)
    out["hurt_twice"] = out["person"].isin(hurt_words.index)
    signs = parts["signs"].sort_values(["person", "date", "sign"], ascending=[True, False, True])
    signs = signs.drop_duplicates(["person", "sign"])
    words = lib.guidance["sign"].dropna().astype(str)
    sign_words = ("warning sign on " + signs["date"].dt.day.astype(str) + " "
                  + signs["date"].dt.month_name() + ": "
                  + signs["sign"].map(words).fillna(signs["sign"]).astype(str))
    sign_words = sign_words.groupby(signs["person"]).agg("; ".join)
    out["sign"] = out["person"].isin(sign_words.index)

    said = {
        "sign": out["person"].map(sign_words),
        "pain_up": ("pain up from " + _scores(out["pain_start"]) + " to "
                    + _scores(out["pain_now"])),
        "hurt_twice": ("hurt more twice in a row on "
                       + out["person"].map(hurt_words).astype(object).fillna("")),
        "quiet": (pd.Series(np.where(never, np.where(
            np.isnan(first_days), "no check-in since they were added ",
            "no check-in since their plan started "), "no check-in for "), index=out.index)
            + _days(quiet_days) + np.where(never, " ago", "")),
    }
    reasons = pd.Series("", index=out.index, dtype=object)
    for flag in FLAGS:
        part = said[flag].astype(object).where(out[flag], "").fillna("")
        reasons = reasons + np.where((reasons != "") & (part != ""), "; ", "") + part
    out["reasons"] = reasons.str[:1].str.upper() + reasons.str[1:]

    out["_quiet_days"] = quiet_days
    out = out.sort_values([*FLAGS, "_quiet_days", "adherence_14d", "name", "person"],
                          ascending=[False] * len(FLAGS) + [False, True, True, True],
                          na_position="last", kind="stable", ignore_index=True)
    for c in ("peg_change", "psfs_change", "pain_start", "pain_now"):
        out[c] = out[c].astype(float)
    for c in ("name", "clinician", "plan", "reasons"):
        out[c] = out[c].astype("str")
    return out[list(COLUMNS)]


def _scores(x: pd.Series) -> pd.Series:
    """Scores as :func:`~.words.score_text` writes them (one decimal, half up)."""
    shown = np.floor(np.round(x.to_numpy(dtype=float) * 10, 6) + 0.5) / 10
    return pd.Series(np.char.mod("%.1f", shown), index=x.index, dtype=object)


def _days(n) -> np.ndarray:
    n = np.nan_to_num(np.asarray(n, dtype=float)).astype(np.int64)
    return np.where(n == 1, "1 day", np.char.add(n.astype(str), " days"))


def _and(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _as_date(day) -> dt.date:
    try:
        stamp = pd.Timestamp(day)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise BackguideError.at("the caseload", "a date, like 2026-03-02", column="today",
                                value=day)
    return stamp.date()


__all__ = ["CHECK_IN_TABLES", "COLUMNS", "FLAGS", "IN_DATABASE_FROM", "QUIET_DAYS", "READ",
           "RECENT_DAYS", "TABLES", "caseload", "caseload_in_database", "caseload_of",
           "caseload_queries"]
