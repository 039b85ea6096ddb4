"""A week's plan as a table: one row per entry, and edits that return new plans.

A :class:`Plan` is a little metadata (name, person, notes, start date, the
guidance it claims to meet) and ``plan.entries``, a tidy DataFrame with one
row per exercise in the week:

=================  =============================================================
``day``            ordered categorical, Monday to Sunday
``session``        the session's number within its day, from 0
``session_name``   what the session is called ("Morning stretches")
``order``          the entry's place in its session, from 0
``exercise``       the exercise's id in the library
``sets`` ...       the dose: ``sets``, ``reps``, ``hold_s``, ``rest_s``,
                   ``minutes`` (floats, ``NaN`` where blank) and ``per_side``
``dose_source``    where the dose came from: ``default`` (the library's
                   starting dose), an article's id, ``custom`` or ``progressed``
=================  =============================================================

The rows are always sorted by day, session and order, numbered without
gaps.  A plan never changes: every edit (:meth:`Plan.add`,
:meth:`Plan.remove`, :meth:`Plan.move`, :meth:`Plan.copy_to`,
:meth:`Plan.copy_day`, :meth:`Plan.set_dose`, :meth:`Plan.add_session`,
:meth:`Plan.rename_session`, ...) returns a new plan and leaves the old
one valid, so undo is keeping the previous plan.  Entries are addressed by
their row number in ``plan.entries``.

Stack many plans' entries with key columns (``person``, ``week``) and the
measures in :mod:`backguide.measures` sum them all at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from datetime import date

import numpy as np
import pandas as pd

from .dose import each_side
from .words import dose_words, entry_dose_words
from .library import Library, resolve
from . import schema
from .schema import DAYS, DOSE_FIELDS

#: The entry table's columns, in order.
ENTRY_COLUMNS = ("day", "session", "session_name", "order", "exercise", "sets", "reps",
                 "hold_s", "rest_s", "per_side", "minutes", "dose_source")
#: The columns that say where an entry sits in the week.
PLACE = ("day", "session", "order")
DAY = pd.CategoricalDtype(DAYS, ordered=True)


def empty_entries() -> pd.DataFrame:
    """An entry table with the right columns and dtypes and no rows."""
    return tidy_entries(pd.DataFrame({c: [] for c in ENTRY_COLUMNS}))


def tidy_entries(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a plan's entry table: typed, sorted, numbered without gaps.

    Columns other than :data:`ENTRY_COLUMNS` are dropped.  Sessions keep
    their order within each day and entries within each session; numbers
    are made consecutive from 0.  Raises :class:`ValueError` naming a
    missing column, an unknown day or a dose outside its range in
    :data:`backguide.schema.DOSE_LIMIT_TABLE`.
    """
    missing = [c for c in ENTRY_COLUMNS if c not in frame.columns and c != "session_name"]
    if missing:
        raise ValueError(f"An entry table needs the columns {', '.join(missing)}.")
    n = len(frame)
    day = frame["day"]
    if isinstance(day.dtype, pd.CategoricalDtype) and day.dtype == DAY:
        day = day.array
    else:
        values = np.asarray(day, dtype=object)
        if (bad := ~np.isin(values, DAYS) & np.asarray(pd.notna(day))).any():
            raise ValueError(f"Unknown day {values[bad][0]!r}; "
                             f"expected one of: {', '.join(DAYS)}.")
        day = pd.Categorical(values, dtype=DAY)
    if (day.codes < 0).any():
        raise ValueError("Every entry needs a day.")
    session = np.asarray(frame["session"], dtype=np.int64)
    order = np.asarray(frame["order"], dtype=np.int64)
    rows = np.lexsort((np.arange(n), order, session, day.codes))  # a stable sort
    name = frame["session_name"] if "session_name" in frame else pd.Series("Routine", range(n))
    day = day.take(rows)
    session, order = numbering(day.codes, session[rows])
    columns = {
        "day": day,
        "session": session,
        "session_name": _text(name, rows),
        "order": order,
        "exercise": _text(frame["exercise"], rows),
        **{k: _dose_column(frame[k], k)[rows] for k in DOSE_FIELDS},
        "per_side": np.asarray(frame["per_side"], dtype=bool)[rows],
        "dose_source": _text(frame["dose_source"], rows),
    }
    return pd.DataFrame(columns, columns=list(ENTRY_COLUMNS))


def _text(values: pd.Series, rows: np.ndarray):
    """A text column in row order, as pandas' string dtype."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.array.take(rows)
    return pd.array(np.asarray(values, dtype=object)[rows], dtype="str")


def _dose_column(values, name: str) -> np.ndarray:
    """A dose column as floats (blank is NaN), each within its range in
    :data:`backguide.schema.DOSE_LIMIT_TABLE`."""
    if isinstance(values, pd.Series) and values.dtype == np.float64:
        col = values.to_numpy()
    else:
        col = pd.Series(values, copy=False).astype("float64").to_numpy(dtype=float)
    limit = schema.DOSE_LIMIT_TABLE[name]
    bad = ~np.isnan(col) & ((col < limit.low) | (col > limit.high))
    if bad.any():
        raise ValueError(limit.refusal(col[bad][0]))
    return col


def numbering(day: np.ndarray, session: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sessions numbered 0.. within each day and entries 0.. within each session,
    for rows already sorted by day, session and order (``day`` as codes)."""
    n = len(day)
    if not n:
        return session.astype(np.int64), np.zeros(0, dtype=np.int64)
    new_session = np.r_[True, (day[1:] != day[:-1]) | (session[1:] != session[:-1])]
    new_day = np.r_[True, day[1:] != day[:-1]]
    starts = np.cumsum(new_session) - 1  # sessions numbered across the week
    first_of_day = np.maximum.accumulate(np.where(new_day, starts, 0))
    rows = np.arange(n)
    first_row = np.maximum.accumulate(np.where(new_session, rows, 0))
    return (starts - first_of_day).astype(np.int64), (rows - first_row).astype(np.int64)


def _check_day(day: str) -> str:
    if day not in DAYS:
        raise ValueError(f"Unknown day {day!r}; expected one of: {', '.join(DAYS)}.")
    return day


# --- doses ---------------------------------------------------------------------------


def dose_for(exercise: str, source: str = "default", *, lib: Library | None = None) -> dict:
    """The dose of ``exercise``: the library's starting dose, or ``source``'s.

    Returns a dict of ``exercise``, the dose fields (``NaN`` where blank),
    ``per_side`` and ``dose_source``.  An article's dose uses the low end of
    each of its ranges: start easy, build up.
    """
    lib = resolve(lib)
    ex = lib.exercises
    if exercise not in ex.index:
        raise ValueError(f"Unknown exercise {exercise!r}; it is not in the library.")
    if source == "default":
        row = ex.loc[exercise]
        dose = {k: float(row[k]) for k in DOSE_FIELDS}
        return {"exercise": exercise, **dose, "per_side": bool(each_side(row["per_side"])),
                "dose_source": "default"}
    doses = lib.doses
    rows = doses[(doses["exercise"] == exercise) & (doses["source"] == source)]
    if rows.empty:
        given = sorted(set(doses.loc[doses["exercise"] == exercise, "source"]))
        raise ValueError(f"{source!r} gives no dose for {exercise!r}; doses come from: "
                         f"{', '.join(given) or 'no article'}.")
    row = rows.iloc[0]
    dose = {k: float(row[f"{k}_min"]) for k in DOSE_FIELDS}
    return {"exercise": exercise, **dose, "per_side": bool(each_side(row["per_side"])),
            "dose_source": source}


#: A dose in words: the one function for it, :func:`backguide.words.dose_words`.
describe_dose = dose_words


def describe_entries(entries: pd.DataFrame) -> pd.Series:
    """Each entry's dose in words, by :func:`backguide.words.entry_dose_words`."""
    return pd.Series([entry_dose_words(r) for r in entries[
        ["sets", "reps", "hold_s", "rest_s", "per_side", "minutes"]].to_dict("records")],
        index=entries.index, dtype="str")


# --- the plan ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Plan:
    """A week of sessions, Monday to Sunday, as a table of entries.

    ``Plan(name=..., entries=frame)`` builds a plan from any frame with the
    :data:`ENTRY_COLUMNS` (``session_name`` may be left out); the frame is
    copied, typed and sorted.  ``claims`` lists the ids of the guidance rows
    the plan says it meets (the starter plans are tested against them).
    """

    name: str = "My week"
    person: str = ""
    notes: str = ""
    start: date | None = None
    claims: tuple[str, ...] = ()
    entries: pd.DataFrame = field(default_factory=empty_entries)

    def __post_init__(self):
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "entries", tidy_entries(self.entries))

    @classmethod
    def from_tidy(cls, entries: pd.DataFrame, **meta) -> Plan:
        """A plan from entries already in :func:`tidy_entries` form: typed, sorted
        and numbered (see :func:`numbering`); they are not checked again.

        For code that derives one plan's entries from another's column by
        column (progression); anything else should use ``Plan(entries=...)``.
        """
        plan = object.__new__(cls)
        for f in fields(cls):
            value = entries if f.name == "entries" else meta.get(f.name, f.default)
            object.__setattr__(plan, f.name, tuple(value) if f.name == "claims" else value)
        return plan

    def __eq__(self, other):
        if not isinstance(other, Plan):
            return NotImplemented
        return (self.meta == other.meta and self.entries.shape == other.entries.shape
                and self.entries.equals(other.entries))

    __hash__ = None

    @property
    def meta(self) -> dict:
        """Everything but the entries."""
        return {"name": self.name, "person": self.person, "notes": self.notes,
                "start": self.start, "claims": self.claims}

    @property
    def is_empty(self) -> bool:
        return self.entries.empty

    def __repr__(self) -> str:
        return (f"Plan(name={self.name!r}, {len(self.entries)} entries in "
                f"{self.entries[['day', 'session']].drop_duplicates().shape[0]} sessions)")

    # -- reading --

    def sessions(self) -> pd.DataFrame:
        """One row per session: ``day``, ``session``, ``session_name``, ``entries``."""
        e = self.entries
        return (e.groupby(["day", "session"], observed=True, sort=True)
                .agg(session_name=("session_name", "first"), entries=("exercise", "size"))
                .reset_index())

    def day(self, day: str) -> pd.DataFrame:
        """The entries of one day, in order."""
        _check_day(day)
        return self.entries[self.entries["day"] == day]

    def _entry(self, i: int) -> pd.Series:
        if not 0 <= i < len(self.entries):
            raise IndexError(f"There is no entry {i}; the plan has {len(self.entries)}.")
        return self.entries.iloc[i]

    # -- edits: each returns a new plan --

    def replace(self, **changes) -> Plan:
        """A copy with some metadata or the entries replaced."""
        return replace(self, **changes)

    def _with(self, entries: pd.DataFrame) -> Plan:
        return replace(self, entries=entries)

    def _target_session(self, day: str, session) -> tuple[int, str | None]:
        """The session number an addition to ``day`` goes into, and its name if known."""
        on_day = self.entries.loc[self.entries["day"] == day, ["session", "session_name"]]
        count = on_day["session"].nunique()
        if session is None:
            session = count - 1 if count else "new"
        if session == "new":
            return count, None
        if not isinstance(session, (int, np.integer)) or not 0 <= session < count:
            raise ValueError(f"{day} has no session {session!r}; it has {count}.")
        return int(session), on_day.loc[on_day["session"] == session, "session_name"].iloc[0]

    def _append(self, rows: pd.DataFrame, day: str, session, name: str) -> Plan:
        _check_day(day)
        number, known = self._target_session(day, session)
        rows = rows.assign(day=day, session=number, session_name=known or name,
                           order=np.arange(len(rows)) + 10**9)
        return self._with(pd.concat([self.entries, rows[list(ENTRY_COLUMNS)]],
                                    ignore_index=True))

    def add(self, day: str, exercise: str, *, source: str = "default", session=None,
            session_name: str = "Routine", lib: Library | None = None) -> Plan:
        """Add ``exercise`` to ``day`` at its starting dose, or at ``source``'s dose.

        ``session`` picks the day's session by number; ``None`` is the day's
        last session, and ``"new"`` (or a day with no sessions) starts a new
        one called ``session_name``.  The entry goes at the session's end.
        """
        row = pd.DataFrame([dose_for(exercise, source, lib=lib)])
        return self._append(row, day, session, session_name)

    def add_session(self, day: str, name: str, entries: pd.DataFrame) -> Plan:
        """Put ``entries`` (another plan's or a routine's, in their order) on ``day``
        as a new session called ``name``."""
        if entries.empty:
            raise ValueError("A session needs at least one exercise.")
        rows = entries.sort_values([c for c in PLACE if c in entries], kind="stable")
        return self._append(rows.reset_index(drop=True), day, "new", name)

    def remove(self, i: int) -> Plan:
        """Take out entry ``i``; a session left empty goes too."""
        self._entry(i)
        return self._with(self.entries.drop(index=i))

    def move(self, i: int, day: str, *, session=None, session_name: str = "Routine") -> Plan:
        """Move entry ``i`` to the end of a session on ``day`` (see :meth:`add`)."""
        self._entry(i)
        row = self.entries.iloc[[i]]
        return self.remove(i)._append(row.reset_index(drop=True), day, session, session_name)

    def copy_to(self, i: int, day: str, *, session=None, session_name: str = "Routine") -> Plan:
        """Copy entry ``i`` to the end of a session on ``day`` (see :meth:`add`)."""
        self._entry(i)
        row = self.entries.iloc[[i]].reset_index(drop=True)
        return self._append(row, day, session, session_name)

    def copy_day(self, day: str, to: str, *, replace: bool = False) -> Plan:
        """Copy every session of ``day`` onto ``to``: after the sessions already
        there, or in their place with ``replace=True``."""
        _check_day(to)
        rows = self.day(day)
        if rows.empty:
            raise ValueError(f"{day} has nothing to copy.")
        # Numbers past any session already on ``to``; tidy_entries renumbers them.
        rows = rows.assign(day=to, session=rows["session"] + 10**6)
        kept = self.clear_day(to) if replace else self
        return kept._with(pd.concat([kept.entries, rows], ignore_index=True))

    def repeats(self) -> pd.Series:
        """For each entry, True when its exercise is in the same day's plan more than
        once (in one session or two): a repeat a person may not have meant.

        >>> p = Plan().add("Monday", "cat_cow").add("Monday", "cat_cow")
        >>> p.repeats().tolist()
        [True, True]
        """
        return self.entries.duplicated(["day", "exercise"], keep=False)

    def clear_day(self, day: str) -> Plan:
        """Take out everything on ``day``."""
        _check_day(day)
        return self._with(self.entries[self.entries["day"] != day])

    def reorder(self, i: int, by: int) -> Plan:
        """Move entry ``i`` ``by`` places within its session (negative is earlier)."""
        row = self._entry(i)
        e = self.entries
        same = np.flatnonzero((e["day"] == row["day"]) & (e["session"] == row["session"]))
        to = min(max(int(row["order"]) + by, 0), len(same) - 1)
        order = e["order"].to_numpy().copy()
        moved = np.delete(same, int(row["order"]))
        moved = np.insert(moved, to, i)
        order[moved] = np.arange(len(moved))
        return self._with(e.assign(order=order))

    def set_dose(self, i: int, **dose) -> Plan:
        """Change some of entry ``i``'s dose fields; the dose becomes ``custom``.

        Blank a field with ``None``.  Pass ``dose_source=`` to name where the
        dose came from instead.
        """
        self._entry(i)
        source = dose.pop("dose_source", "custom")
        unknown = set(dose) - {*DOSE_FIELDS, "per_side"}
        if unknown:
            raise ValueError(f"Unknown dose field {sorted(unknown)[0]!r}; expected one of: "
                             f"{', '.join(DOSE_FIELDS)}, per_side.")
        e = self.entries.copy()
        for k, v in dose.items():
            if k == "per_side":  # a plan's entry says yes or no; not given is one side
                e.loc[i, k] = bool(each_side(v))
            else:
                e.loc[i, k] = _dose_column([np.nan if v is None else v], k)[0]
        e.loc[i, "dose_source"] = source
        return self._with(e)

    def set_source(self, i: int, source: str, *, lib: Library | None = None) -> Plan:
        """Give entry ``i`` the library's starting dose, or an article's."""
        dose = dose_for(self._entry(i)["exercise"], source, lib=lib)
        dose.pop("exercise")
        return self.set_dose(i, **{k: (None if isinstance(v, float) and math.isnan(v) else v)
                                   for k, v in dose.items()})

    def rename_session(self, day: str, session: int, name: str) -> Plan:
        """Call ``day``'s session ``session`` ``name``."""
        _check_day(day)
        e = self.entries
        where = (e["day"] == day) & (e["session"] == session)
        if not where.any():
            raise ValueError(f"{day} has no session {session!r}.")
        return self._with(e.assign(session_name=e["session_name"].where(~where, name)))


# Plan files and the starter plans are in backguide.planio; their names stay here.
from .planio import (load_plan, load_starter, plan_from_records, plan_json,  # noqa: E402
                     save_plan, starter_plans)

__all__ = ["ENTRY_COLUMNS", "Plan", "describe_dose", "describe_entries", "dose_for",
           "empty_entries", "load_plan", "load_starter", "plan_from_records", "plan_json",
           "save_plan", "starter_plans", "tidy_entries"]
