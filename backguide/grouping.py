"""The numbers of one plan or of many: the plan table, its plans, and what they add up to.

A plan's entries are one table; many plans' entries stacked with key
columns (``person``, ``week``) are the same table, and ``by=["person",
"week"]`` measures every plan at once.  Everything here is a pandas
``merge`` of the entries with a table of the library and a ``groupby`` of
the result, so one week, a 12-week programme and a caseload take the same
code and no loop over plans.  The guidance targets are measured in
:mod:`backguide.targets` and put into words in :mod:`backguide.guidance_words`.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from .dose import estimate_seconds, has_dose
from .library import Library, resolve
from .plan import Plan
from .schema import CATEGORIES, DAYS, MUSCLES

#: Which categories count towards which kind of guidance: the one rule that the
#: checklist counts by and the week chart colours by.  Pilates and yoga
#: ("mind-body") both strengthen and stretch (myspine); mobility work such as
#: cat-cow is stretching ("Cat-Camel Stretch", wolfe).
COUNTS_AS = {
    "aerobic": ("aerobic",),
    "strength": ("strength", "mind-body"),
    "stretch": ("stretch", "mobility", "mind-body"),
}
#: The categories whose holds the stretch-hold targets read: ACSM's holds are
#: for static stretches, not for moving mobility work.
HELD_STRETCHES = ("stretch",)

DAY = pd.CategoricalDtype(DAYS, ordered=True)
CATEGORY = pd.CategoricalDtype(CATEGORIES, ordered=True)

Plans = Plan | pd.DataFrame


def counted_as(category: str) -> tuple[str, ...]:
    """The kinds of guidance (keys of :data:`COUNTS_AS`) that ``category`` counts towards."""
    return tuple(kind for kind, cats in COUNTS_AS.items() if category in cats)


def entries_of(plans: Plans) -> pd.DataFrame:
    """The entry table of a plan, or the table given."""
    return plans.entries if isinstance(plans, Plan) else plans


# --- the plan table ----------------------------------------------------------------------

def plan_table(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """One row per entry, in the given order, with its exercise's facts and totals.

    ``plans`` is a :class:`~backguide.plan.Plan` or an entry table (one
    plan's, or many stacked with key columns, which are kept).  Added
    columns: ``name``, ``category``, ``difficulty`` (blank for an exercise
    not in the library), ``seconds`` and ``total_minutes`` (time by the
    dose rule in :mod:`backguide.dose`; 0, like the totals, for an entry with
    no dose at all), ``total_sets`` and ``total_reps``
    (counting each side), ``total_hold_s`` (seconds held), and ``aerobic``,
    ``strength``, ``stretch`` (whether the entry counts towards that kind
    of guidance, by :data:`COUNTS_AS`).
    """
    lib = resolve(lib)
    e = entries_of(plans)
    # Each entry's exercise looked up by id: a left join, blank where it is unknown.
    facts = derived(_facts, lib=lib).reindex(e["exercise"])
    # Elementwise arithmetic on the dose columns, as arrays.
    sets, reps, hold, rest, minutes = (e[k].to_numpy(dtype=float) for k in
                                       ("sets", "reps", "hold_s", "rest_s", "minutes"))
    per_side = e["per_side"].to_numpy(dtype=bool)
    seconds = np.asarray(estimate_seconds(sets, reps, hold, rest, per_side, minutes),
                         dtype=float)
    # No dose at all (an imported exercise): no known time or volume, so none is
    # counted (not the dose rule's one rep); the week's content says "time not known".
    undosed = ~has_dose(sets, reps, hold, rest, minutes)
    seconds[undosed] = 0.0
    # Counted as the dose rule counts them: blank or 0 sets or reps is 1.
    total_sets = np.where((minutes > 0) | undosed, 0.0, np.where(per_side, 2.0, 1.0)
                          * np.where(sets > 0, sets, 1.0))
    total_reps = total_sets * np.where(reps > 0, reps, 1.0)
    added = {
        "name": facts["name"].fillna("").array.astype("str"),
        "category": facts["category"].array,
        "difficulty": facts["difficulty"].array,
        "seconds": seconds,
        "total_minutes": seconds / 60.0,
        "total_sets": total_sets,
        "total_reps": total_reps,
        "total_hold_s": total_reps * np.nan_to_num(hold),
        **{kind: facts[kind].fillna(False).to_numpy(dtype=bool) for kind in COUNTS_AS},
    }
    out = pd.DataFrame({**{c: e[c].array for c in e.columns if c not in added}, **added})
    out.index = e.index
    return out


def _facts(lib: Library) -> pd.DataFrame:
    """Each exercise's name, category and difficulty, and the kinds of guidance it
    counts towards (:data:`COUNTS_AS`)."""
    ex = lib.exercises
    return ex[["name", "category", "difficulty"]].assign(
        **{kind: ex["category"].isin(cats) for kind, cats in COUNTS_AS.items()})


def table_of(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """``plans`` as a plan table: given one already, or built."""
    e = entries_of(plans)
    return e if "total_minutes" in e.columns else plan_table(e, lib=lib)


# --- plans ------------------------------------------------------------------------------


class Grouped:
    """A plan table sorted into its plans, and the tables every measure starts from.

    ``t`` is the plan table in plan order (the ``by`` keys, day, session,
    order) with two columns more: ``_plan``, the plan's number (0, 1, ... in
    key order), and ``_at``, the entry's place in its plan.  ``plans``
    numbers the plans and ``keys`` holds their ``by`` keys, a row per plan;
    without ``by`` there is one plan, even with nothing in it.  Every
    measure is a ``groupby`` by plan (:meth:`by_plan`) of a column of ``t``
    or of a table built from it once, when first asked for.
    """

    def __init__(self, plans: Plans, by: Sequence[str] = (), *, lib: Library | None = None):
        lib = resolve(lib)
        t = table_of(plans, lib=lib)
        self.by, self.lib, self._built = list(by), lib, {}
        for k in self.by:
            if k not in t.columns:
                raise ValueError(f"by= names {k!r}, which is not a column of the entries.")
        number = (t.groupby(self.by, sort=True, observed=True, dropna=False).ngroup()
                  if self.by else 0)
        t = t.assign(_plan=number)
        if self.by or not isinstance(plans, Plan):  # a Plan's entries are in order already
            t = t.sort_values(["_plan", "day", "session", "order"], kind="stable")
        t = t.reset_index(drop=True)
        t["_at"] = t.groupby("_plan").cumcount() if self.by else range(len(t))
        self.t = t
        first = t.drop_duplicates("_plan") if self.by else t.iloc[:0]
        self.plans = pd.RangeIndex(len(first) if self.by else 1, name="_plan")
        self.keys = first[self.by].set_axis(self.plans) if self.by else pd.DataFrame(
            index=self.plans)
        self.plan = self.grouper(t["_plan"])
        #: Static stretches, whose holds the stretch targets read.
        self.held_stretch = np.isin(t["category"].array.codes,
                                    [CATEGORIES.index(c) for c in HELD_STRETCHES])

    def grouper(self, plan) -> pd.Categorical:
        """Plan numbers as a grouper that keeps every plan, even one with no rows."""
        return pd.Categorical.from_codes(np.asarray(plan, dtype=np.int64),
                                         categories=self.plans)

    def by_plan(self, values, where=None):
        """``values`` (a column of ``t``, or an array in its order) grouped by plan,
        only the rows ``where`` (a mask) when given: aggregations give one value per
        plan, in order, with every plan."""
        values = values if isinstance(values, pd.Series) else pd.Series(values)
        if where is None:
            return values.groupby(self.plan, observed=False)
        where = np.asarray(where, dtype=bool)
        return values[where].groupby(self.plan[where], observed=False)

    def first_row(self, where) -> np.ndarray:
        """Per plan, the first row of ``t`` (in plan order) of the rows ``where``; -1 where
        a plan has none."""
        where = np.asarray(where, dtype=bool)
        if not where.any():
            return np.full(len(self.plans), -1, dtype=np.int64)
        first = self.by_plan(np.arange(len(self.t)), where).min()
        return first.fillna(-1).to_numpy(dtype=np.int64)

    def at_rows(self, column: str, rows: np.ndarray, blank="") -> np.ndarray:
        """``t[column]`` at the rows ``rows`` (one per plan, from :meth:`first_row`), with
        ``blank`` where a plan has none (-1)."""
        out = np.full(len(rows), blank, dtype=object)
        out[rows >= 0] = self.t[column].to_numpy(dtype=object)[rows[rows >= 0]]
        return out

    def memo(self, build):
        """``build(self)``, built once for these plans."""
        if build not in self._built:
            self._built[build] = build(self)
        return self._built[build]

    @cached_property
    def session_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's session, numbered 0, 1, ... in plan order, and each session's first
        row."""
        heads = ~self.t.duplicated(["_plan", "day", "session"]).to_numpy()
        return heads.cumsum() - 1, np.flatnonzero(heads)

    def by_session(self, values):
        """``values`` (columns of ``t``, or an array in its order) grouped by session."""
        values = values if isinstance(values, pd.Series | pd.DataFrame) else pd.Series(values)
        return values.groupby(self.session_rows[0])

    @cached_property
    def sessions(self) -> pd.DataFrame:
        """One row per session in plan order: ``_plan``, ``day``, ``session``, ``row``
        (its first entry's), ``entries``, ``minutes``, ``aerobic_minutes`` and
        ``aerobic_entries``."""
        t = self.t
        minutes, aerobic = t["total_minutes"].to_numpy(), t["aerobic"].to_numpy()
        sums = self.by_session(pd.DataFrame({
            "entries": 1, "minutes": minutes, "aerobic_minutes": np.where(aerobic, minutes, 0.0),
            "aerobic_entries": aerobic.astype(np.int64)})).sum()
        heads = self.session_rows[1]
        out = t[["_plan", "day", "session"]].take(heads).reset_index(drop=True)
        out.insert(3, "row", heads)
        return pd.concat([out, sums.reset_index(drop=True)], axis=1)

    @property
    def aerobic_threshold(self) -> float:
        """The guidance's aerobic session target, in minutes."""
        return derived(_aerobic_threshold, lib=self.lib)

    @cached_property
    def kind_days(self) -> dict[str, np.ndarray]:
        """For each kind of guidance, a plans x days array: whether the plan has that
        kind of exercise on that day (Monday first)."""
        # NumPy: marking a plans x days grid costs 0.04 ms where pandas' groupby, reindex
        # and reshape cost 0.8 ms of the real week's 20 (weekly_volume + check_guidance).
        plan, day = self.plan.codes, self.t["day"].array.codes
        out = {}
        for kind in COUNTS_AS:
            rows = self.t[kind].to_numpy()
            out[kind] = np.zeros((len(self.plans), len(DAYS)), dtype=bool)
            out[kind][plan[rows], day[rows]] = True
        return out

    @cached_property
    def muscles(self) -> pd.DataFrame:
        """Each entry once per muscle its exercise works: the plan table merged with
        :attr:`Library.muscles`, with ``share`` (1 primary, one half secondary) and
        ``portion`` (the entry's part of its minutes for that muscle, see
        :func:`muscle_portions`)."""
        cols = [*self.by, "_plan", "day", "session", "category", "exercise", "total_minutes",
                "total_sets", "total_reps", "total_hold_s"]
        return self.t[cols].merge(muscle_portions(lib=self.lib), on="exercise")


_DERIVED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def derived(build, *, lib: Library | None = None):
    """``build(lib)``, a table made from the library's, built once per library."""
    lib = resolve(lib)
    tables = _DERIVED.setdefault(lib, {})
    if build not in tables:
        tables[build] = build(lib)
    return tables[build]


def _aerobic_threshold(lib: Library) -> float:
    """The guidance's aerobic session target, in minutes (0 without one)."""
    c = lib.checks
    row = c.loc[c["target"] == "aerobic_session_minutes", "min"]
    return float(row.iloc[0]) if len(row) else 0.0


def _portions(lib: Library) -> pd.DataFrame:
    m = lib.muscles
    return m.assign(portion=m["share"] / m.groupby("exercise")["share"].transform("sum"))


def muscle_portions(*, lib: Library | None = None) -> pd.DataFrame:
    """:attr:`Library.muscles` with ``portion``: each muscle's part of the exercise's minutes.

    An exercise's minutes are shared among the muscles it works, a secondary
    muscle weighing :data:`backguide.SECONDARY_SHARE` of a primary one, so an
    exercise's portions add up to 1: fast walking (four primary muscles, two
    secondary) gives each primary 1/5 and each secondary 1/10.
    """
    return derived(_portions, lib=lib)


# --- volume ----------------------------------------------------------------------------

#: The measures :func:`weekly_volume` sums: its column, and the plan table's.
MEASURED = {"minutes": "total_minutes", "sets": "total_sets", "reps": "total_reps",
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
    return volume_of(Grouped(plans, by, lib=lib))


def volume_of(g: Grouped) -> pd.DataFrame:
    m = g.muscles
    cells = [*g.by, "day", "category", "muscle", "role"]
    share = m["share"].to_numpy()
    weighted = pd.DataFrame({**{k: m[k].array for k in cells},
                             **{k: m[col].to_numpy() * share for k, col in MEASURED.items()},
                             "session": m["session"].array})
    grouped = weighted.groupby(cells, observed=True, sort=True)
    out = grouped[list(MEASURED)].sum()
    out["sessions"] = grouped["session"].nunique().astype("int64")
    return out.reset_index()


# --- what the views show ------------------------------------------------------------------


def session_minutes(plans: Plans, *, by: Sequence[str] = (), lib: Library | None = None
                    ) -> pd.DataFrame:
    """One row per session: (the ``by`` keys,) ``day``, ``session``,
    ``session_name``, ``entries``, ``minutes`` (by the dose rule) and
    ``aerobic_minutes``.

    The board, the presenter and the checks all read session lengths from here.
    """
    return sessions_of(Grouped(plans, by, lib=lib))


def sessions_of(g: Grouped) -> pd.DataFrame:
    s = g.sessions
    keys = g.keys.take(s["_plan"]).reset_index(drop=True)
    s = s.assign(session_name=g.t["session_name"].array.take(s["row"].to_numpy()))
    return pd.concat([keys, s[["day", "session", "session_name", "entries", "minutes",
                               "aerobic_minutes"]]], axis=1)


def day_minutes(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """Minutes per day and category, and whether the day has a long enough aerobic session.

    Indexed by day (all seven); one column per category in
    :data:`backguide.schema.CATEGORIES` order, then ``aerobic_met``.  The
    threshold is the aerobic session target from the guidance, in
    ``attrs["threshold"]``.  This is what :func:`backguide.plot_week` draws.
    """
    return day_minutes_of(Grouped(plans, (), lib=lib))


def day_minutes_of(g: Grouped) -> pd.DataFrame:
    per = (g.t.groupby(["day", "category"], observed=False)["total_minutes"].sum()
           .unstack("category"))
    per.columns = list(CATEGORIES)
    threshold = g.aerobic_threshold
    s = g.sessions
    good = s.loc[(s["aerobic_entries"] > 0) & (s["aerobic_minutes"] >= threshold), "day"]
    per["aerobic_met"] = per.index.isin(good)
    per.attrs["threshold"] = threshold
    return per


def muscle_minutes(plans: Plans, *, lib: Library | None = None) -> pd.DataFrame:
    """The week's minutes shared among the muscle groups, primary and secondary apart.

    Each entry's minutes are shared among the muscles its exercise works, a
    secondary muscle getting :data:`backguide.SECONDARY_SHARE` (half) of a
    primary one's part (:func:`muscle_portions`): a 30-minute walk gives its
    four primary muscles 6 minutes each and its two secondary ones 3 each.
    So the table adds up to the week's minutes (of the exercises in the
    library).  Indexed by every muscle in :data:`backguide.schema.MUSCLES`
    order, with columns ``primary`` and ``secondary``.  This is what
    :func:`backguide.plot_muscle_volume` draws; :func:`weekly_volume` has
    each muscle's whole volume instead.
    """
    return muscles_of(Grouped(plans, (), lib=lib))


def muscles_of(g: Grouped) -> pd.DataFrame:
    m = g.muscles
    shared = m["total_minutes"] * m["portion"]
    out = (shared.groupby([m["muscle"], m["role"]], observed=False).sum()
           .unstack("role").reindex(index=list(MUSCLES), columns=["primary", "secondary"]))
    out.index = pd.Index(list(MUSCLES), name="muscle")
    out.columns = ["primary", "secondary"]
    return out.astype(float)


def category_minutes(entries: Plans, *, by: str = "week", values=None,
                     lib: Library | None = None) -> pd.DataFrame:
    """Minutes per ``by`` value (week) and category: rows ``by``, columns categories.

    ``values`` lists the rows to show (every week of a programme, so a week
    with nothing left in it shows zeros); by default the values present.
    This is what :func:`backguide.plot_progression` draws.
    """
    t = table_of(entries, lib=lib)
    rows = sorted(pd.unique(t[by])) if values is None else list(values)
    out = (t.pivot_table(index=by, columns="category", values="total_minutes", aggfunc="sum",
                         observed=False)
           .reindex(index=rows, columns=list(CATEGORIES)).fillna(0.0))
    out.index.name = by
    out.columns = list(out.columns.astype(str))
    return out
