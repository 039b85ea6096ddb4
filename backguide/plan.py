"""A week of sessions: the plan, its doses, and saving it safely.

A :class:`Plan` is a week, Monday to Sunday.  Each day holds sessions
(routines); a :class:`Session` is an ordered list of :class:`Entry`, one
exercise with its dose.  A session keeps its entries as columns
(:class:`Entries`), so the week's sums read arrays rather than objects,
while code that edits a session sees an ordinary list.  Plans save to JSON
with a schema version; writes are atomic, so a failed save never damages
the file already there.
"""

from __future__ import annotations

import copy
import json
import math
import operator
from collections.abc import Iterable, MutableSequence, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .dose import estimate_seconds
from .errors import BackguideError
from .files import write_atomic
from .schema import DAYS

#: The plan file format's version.  A file from a newer backguide is refused.
SCHEMA_VERSION = 1

#: Largest believable dose values; beyond them a dose is "impossible".
DOSE_LIMITS = {"sets": 20, "reps": 200, "hold_s": 600, "rest_s": 600, "minutes": 600}


@dataclass(frozen=True)
class Entry:
    """One exercise in a session, with its dose.

    ``dose_source`` says where the dose came from: ``"default"`` (the
    library's starting dose), a source id such as ``"wolfe"`` (that
    article's dose, low end of its ranges) or ``"custom"`` (edited).
    Blank dose fields are ``None``.
    """

    exercise: str
    sets: float | None = None
    reps: float | None = None
    hold_s: float | None = None
    rest_s: float | None = None
    per_side: bool = False
    minutes: float | None = None
    dose_source: str = "default"

    @property
    def seconds(self) -> float:
        """Seconds the dose takes, by :func:`backguide.dose.estimate_seconds`."""
        return estimate_seconds(*(math.nan if v is None else v for v in
                                  (self.sets, self.reps, self.hold_s, self.rest_s)),
                                self.per_side, math.nan if self.minutes is None else self.minutes)

    def with_dose(self, **dose) -> Entry:
        """A copy with some dose fields changed; the dose becomes ``custom``."""
        source = dose.pop("dose_source", "custom")
        return replace(self, **dose, dose_source=source)

    def describe(self) -> str:
        """The dose in words: ``"2 x 10 reps, hold 5 s, each side"``."""
        if self.minutes:
            return f"{self.minutes:g} min"
        parts = []
        sets = f"{self.sets:g} x " if self.sets and self.sets > 1 else ""
        if self.reps:
            parts.append(f"{sets}{self.reps:g} rep{'s' if self.reps != 1 else ''}")
        if self.hold_s:
            parts.append(f"hold {self.hold_s:g} s")
        if self.rest_s:
            parts.append(f"rest {self.rest_s:g} s")
        if self.per_side:
            parts.append("each side")
        return ", ".join(parts) or "as comfortable"


#: The dose fields an :class:`Entries` stores as float columns (blank is NaN).
DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")


class _Interned:
    """Exercise ids numbered once for the whole process.

    Sessions store each entry's exercise as its number here, so a week's
    sessions, built apart, share one numbering and are summed without
    hashing an id string per entry (polars' global string cache is the
    same idea).  Numbers are never reused; the table only grows, by one
    string per distinct id ever seen.
    """

    def __init__(self):
        self.ids: list[str] = []
        self._code: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def code(self, exercise: str) -> int:
        c = self._code.get(exercise)
        if c is None:
            if not isinstance(exercise, str):
                raise TypeError(f"An exercise id is text, not {type(exercise).__name__}.")
            c = self._code[exercise] = len(self.ids)
            self.ids.append(exercise)
        return c

    def find(self, exercises: list[str]) -> np.ndarray:
        """The numbers of ``exercises``, -1 for an id never interned (no session has it)."""
        get = self._code.get
        return np.fromiter((get(x, -1) for x in exercises), dtype=np.int64, count=len(exercises))


#: Every exercise id a session has held, numbered (see :class:`Entries`).
EXERCISE_IDS = _Interned()


class Entries(MutableSequence):
    """A session's entries, stored as columns.

    It behaves like a list of :class:`Entry`: index it, loop over it,
    ``append``, ``insert``, ``del``, assign.  Underneath, each field is one
    NumPy array, so a week's numbers read whole columns
    (:meth:`columns`) and never build an :class:`Entry` per row: summing a
    plan costs the same however it was assembled.  Appends are amortised
    O(1) (the arrays grow by doubling); inserts and deletes move the tail.
    The exercise is stored as its number in :data:`EXERCISE_IDS`.
    """

    _DTYPES = {"exercise_code": np.int64, **dict.fromkeys(DOSE_FIELDS, float),
               "per_side": bool, "dose_source": object}

    def __init__(self, entries: Iterable[Entry] = ()):
        rows = [self._row(e) for e in entries]
        self._n = len(rows)
        self._cols = {k: np.array([r[k] for r in rows], dtype=t) for k, t in self._DTYPES.items()}

    def columns(self) -> dict[str, np.ndarray]:
        """Each field as a read-only array, in entry order.

        ``exercise_code`` holds the exercises as numbers in
        :data:`EXERCISE_IDS` (``EXERCISE_IDS.ids[code]`` is the id); the
        other keys are the :class:`Entry` fields, blank doses as NaN.
        """
        out = {}
        for k, col in self._cols.items():
            view = col[:self._n]
            view.flags.writeable = False
            out[k] = view
        return out

    def __len__(self) -> int:
        return self._n

    def _index(self, i: int) -> int:
        j = operator.index(i)
        j = j + self._n if j < 0 else j
        if not 0 <= j < self._n:
            raise IndexError("entry index out of range")
        return j

    def _entry(self, j: int) -> Entry:
        c = self._cols
        return Entry(EXERCISE_IDS.ids[c["exercise_code"][j]],
                     *(None if math.isnan(v) else float(v) for v in
                       (c[k][j] for k in DOSE_FIELDS[:4])),
                     per_side=bool(c["per_side"][j]),
                     minutes=None if math.isnan(c["minutes"][j]) else float(c["minutes"][j]),
                     dose_source=c["dose_source"][j])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._entry(j) for j in range(*i.indices(self._n))]
        return self._entry(self._index(i))

    @staticmethod
    def _row(e: Entry) -> dict:
        """An entry's values as the columns hold them; raises before anything is stored."""
        if not isinstance(e, Entry):
            raise TypeError(f"A session holds Entry objects, not {type(e).__name__}.")
        row = {k: math.nan if getattr(e, k) is None else float(getattr(e, k))
               for k in DOSE_FIELDS}
        return {"exercise_code": EXERCISE_IDS.code(e.exercise), **row,
                "per_side": bool(e.per_side), "dose_source": e.dose_source}

    def _put(self, j: int, row: dict) -> None:
        for k, v in row.items():
            self._cols[k][j] = v

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            items = list(self)
            items[i] = value
            self._replace(Entries(items))
            return
        self._put(self._index(i), self._row(value))

    def __delitem__(self, i):
        if isinstance(i, slice):
            gone = list(range(*i.indices(self._n)))
        else:
            gone = [self._index(i)]
        keep = np.ones(self._n, dtype=bool)
        keep[gone] = False
        self._cols = {k: col[:self._n][keep] for k, col in self._cols.items()}
        self._n = int(keep.sum())

    def insert(self, i: int, value: Entry) -> None:
        row = self._row(value)
        j = min(max(operator.index(i) + (self._n if i < 0 else 0), 0), self._n)
        if self._n == len(self._cols["exercise_code"]):  # full: double the room
            room = max(8, 2 * self._n)
            for k, col in self._cols.items():
                grown = np.empty(room, dtype=col.dtype)
                grown[:self._n] = col[:self._n]
                self._cols[k] = grown
        for col in self._cols.values():
            col[j + 1:self._n + 1] = col[j:self._n]
        self._n += 1
        self._put(j, row)

    def _replace(self, other: Entries) -> None:
        self._cols, self._n = other._cols, other._n

    def __eq__(self, other):
        if isinstance(other, Entries):
            a, b = self.columns(), other.columns()
            return self._n == other._n and all(
                np.array_equal(a[k], b[k], equal_nan=self._DTYPES[k] is float) for k in a)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    def __deepcopy__(self, memo) -> Entries:
        out = Entries()
        out._cols = {k: col[:self._n].copy() for k, col in self._cols.items()}
        out._n = self._n
        return out

    __copy__ = __deepcopy__

    def __reduce__(self):
        # Exercise numbers belong to this process: pickle the entries themselves.
        return Entries, (list(self),)

    def __repr__(self) -> str:
        return f"Entries({list(self)!r})"


class Session:
    """A routine: a name and an ordered list of entries (an :class:`Entries`).

    ``entries`` accepts any iterable of :class:`Entry` and stores it as
    :class:`Entries`.
    """

    def __init__(self, name: str = "Routine", entries: Iterable[Entry] = ()):
        self.name = name
        self.entries = entries

    @property
    def entries(self) -> Entries:
        return self._entries

    @entries.setter
    def entries(self, value: Iterable[Entry]) -> None:
        self._entries = value if isinstance(value, Entries) else Entries(value)

    @property
    def minutes(self) -> float:
        c = self._entries.columns()
        return float(np.sum(estimate_seconds(*(c[k] for k in DOSE_FIELDS[:4]),
                                             c["per_side"], c["minutes"]))) / 60.0

    def __eq__(self, other):
        if not isinstance(other, Session):
            return NotImplemented
        return self.name == other.name and self._entries == other._entries

    def __repr__(self) -> str:
        return f"Session(name={self.name!r}, entries={list(self._entries)!r})"


@dataclass
class Plan:
    """A week of sessions, Monday to Sunday.

    ``claims`` lists the ids of the guidance rows a plan says it meets (the
    starter plans are tested against their claims).
    """

    name: str = "My week"
    person: str = ""
    notes: str = ""
    start: date | None = None
    days: dict[str, list[Session]] = field(default_factory=lambda: {d: [] for d in DAYS})
    claims: tuple[str, ...] = ()

    def __post_init__(self):
        self.days = {d: list(self.days.get(d, [])) for d in DAYS}

    def copy(self) -> Plan:
        """An independent copy, safe to edit."""
        return copy.deepcopy(self)

    def sessions(self):
        """Every (day, session index, session), Monday first."""
        for day in DAYS:
            for i, session in enumerate(self.days[day]):
                yield day, i, session

    def entries(self):
        """Every (day, session index, position, entry), in plan order."""
        for day, i, session in self.sessions():
            for j, entry in enumerate(session.entries):
                yield day, i, j, entry

    def add_session(self, day: str, session: Session) -> Session:
        _check_day(day)
        self.days[day].append(session)
        return session

    def add(self, day: str, exercise: str, exercises: pd.DataFrame,
            doses: pd.DataFrame | None = None, *, source: str = "default",
            session: int = -1, name: str = "Routine") -> Entry:
        """Add an exercise to a day at its default dose, or at an article's.

        The entry goes at the end of the day's session ``session`` (the last
        by default); a day without sessions gets a new one named ``name``.
        """
        _check_day(day)
        entry = entry_for(exercise, exercises, doses, source=source)
        if not self.days[day]:
            self.days[day].append(Session(name))
        self.days[day][session].entries.append(entry)
        return entry

    @property
    def is_empty(self) -> bool:
        return not any(True for _ in self.entries())

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA_VERSION,
            "name": self.name,
            "person": self.person,
            "notes": self.notes,
            "start": self.start.isoformat() if self.start else None,
            "claims": list(self.claims),
            "days": {day: [{"name": s.name, "entries": [asdict(e) for e in s.entries]}
                           for s in self.days[day]] for day in DAYS},
        }


def _check_day(day: str) -> None:
    if day not in DAYS:
        raise ValueError(f"Unknown day {day!r}; expected one of: {', '.join(DAYS)}.")


def _number(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def entry_for(exercise: str, exercises: pd.DataFrame, doses: pd.DataFrame | None = None,
              *, source: str = "default") -> Entry:
    """An entry for ``exercise`` at its default dose, or at ``source``'s dose.

    An article's dose uses the low end of each range: start easy, build up.
    """
    if exercise not in exercises.index:
        raise ValueError(f"Unknown exercise {exercise!r}; it is not in the library.")
    if source == "default":
        row = exercises.loc[exercise]
        return Entry(exercise, *(_number(row[k]) for k in ("sets", "reps", "hold_s", "rest_s")),
                     per_side=bool(row["per_side"]), minutes=_number(row["minutes"]))
    if doses is None:
        raise ValueError("An article's dose needs the dose table (load_doses()).")
    rows = doses[(doses["exercise"] == exercise) & (doses["source"] == source)]
    if rows.empty:
        given = sorted(set(doses.loc[doses["exercise"] == exercise, "source"]))
        raise ValueError(f"{source!r} gives no dose for {exercise!r}; doses come from: "
                         f"{', '.join(given) or 'no article'}.")
    row = rows.iloc[0]
    return Entry(exercise, *(_number(row[f"{k}_min"]) for k in ("sets", "reps", "hold_s", "rest_s")),
                 per_side=bool(row["per_side"]), minutes=_number(row["minutes_min"]),
                 dose_source=source)


# --- JSON -------------------------------------------------------------------

def save_plan(plan: Plan, path: str | Path) -> Path:
    """Write ``plan`` to ``path`` as JSON, atomically.

    The plan is written to a temporary file in the same folder, flushed to
    disk, then moved over ``path`` in one step: a save that fails leaves the
    file that was there untouched.
    """
    text = json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
    return write_atomic(path, text.encode("utf-8"))


class _Reader:
    """Reads a plan dictionary, naming the field of any fault."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, fieldname: str, value, expected: str):
        raise BackguideError.at(self.path, expected, column=fieldname, value=value)

    def text(self, d: dict, key: str, where: str) -> str:
        v = d.get(key, "")
        if not isinstance(v, str):
            self.fail(f"{where}{key}", v, "text")
        return v

    def plan(self, d, exercises: pd.DataFrame | None) -> Plan:
        if not isinstance(d, dict):
            self.fail("(top level)", type(d).__name__, "a JSON object describing a plan")
        version = d.get("schema")
        if not isinstance(version, int) or isinstance(version, bool):
            self.fail("schema", version, f"a schema version number (this backguide reads "
                      f"up to {SCHEMA_VERSION})")
        if version > SCHEMA_VERSION:
            self.fail("schema", version, f"schema version {SCHEMA_VERSION} or older; this file "
                      "was saved by a newer backguide, so update backguide to open it")
        start = d.get("start")
        if start is not None:
            try:
                start = date.fromisoformat(start)
            except (TypeError, ValueError):
                self.fail("start", start, "a date such as 2026-11-23, or null")
        claims = d.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            self.fail("claims", claims, "a list of guidance ids")
        days = d.get("days", {})
        if not isinstance(days, dict):
            self.fail("days", type(days).__name__, "an object with a list of sessions per day")
        for day in days:
            if day not in DAYS:
                self.fail(f"days.{day}", day, f"a day: {', '.join(DAYS)}")
        plan = Plan(self.text(d, "name", ""), self.text(d, "person", ""),
                    self.text(d, "notes", ""), start, claims=tuple(claims))
        for day in DAYS:
            sessions = days.get(day, [])
            if not isinstance(sessions, list):
                self.fail(f"days.{day}", sessions, "a list of sessions")
            for i, s in enumerate(sessions):
                where = f"days.{day}[{i}]"
                if not isinstance(s, dict) or not isinstance(s.get("entries", []), list):
                    self.fail(where, s, "a session: {\"name\": ..., \"entries\": [...]}")
                entries = [self.entry(e, f"{where}.entries[{j}]", exercises)
                           for j, e in enumerate(s.get("entries", []))]
                plan.days[day].append(Session(self.text(s, "name", f"{where}."), entries))
        return plan

    def entry(self, e, where: str, exercises: pd.DataFrame | None) -> Entry:
        if not isinstance(e, dict):
            self.fail(where, e, "an entry: {\"exercise\": ..., dose fields}")
        known = {f.name for f in fields(Entry)}
        for key in e:
            if key not in known:
                self.fail(f"{where}.{key}", key, f"one of the entry fields: {', '.join(sorted(known))}")
        ex = e.get("exercise")
        if not isinstance(ex, str) or (exercises is not None and ex not in exercises.index):
            self.fail(f"{where}.exercise", ex, "the id of an exercise in the library")
        dose = {}
        for key, limit in DOSE_LIMITS.items():
            v = e.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or not math.isfinite(v) or not 0 <= v <= limit):
                self.fail(f"{where}.{key}", v, f"a number from 0 to {limit}, or null")
            dose[key] = None if v is None else float(v)
        per_side = e.get("per_side", False)
        if not isinstance(per_side, bool):
            self.fail(f"{where}.per_side", per_side, "true or false")
        source = e.get("dose_source", "default")
        if not isinstance(source, str) or not source:
            self.fail(f"{where}.dose_source", source, "'default', 'custom' or a source id")
        return Entry(ex, dose["sets"], dose["reps"], dose["hold_s"], dose["rest_s"],
                     per_side, dose["minutes"], source)


def plan_from_dict(d: dict, exercises: pd.DataFrame | None = None, *, path: str = "<plan>") -> Plan:
    """A plan from its dictionary form, checked field by field."""
    return _Reader(path).plan(d, exercises)


def load_plan(path: str | Path, exercises: pd.DataFrame | None = None) -> Plan:
    """Read a plan saved by :func:`save_plan`.

    With ``exercises``, every entry's exercise must be in that library.

    Raises
    ------
    BackguideError
        Naming the file and the field (``days.Monday[0].entries[2].reps``)
        for malformed JSON, a newer schema version, an unknown exercise or
        an impossible dose.
    """
    from .tables import read_text

    path = Path(path)
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = text.splitlines() or [""]
        raise BackguideError.at(path, f"valid JSON ({exc.msg} at character {exc.colno})",
                                line=exc.lineno, value=lines[exc.lineno - 1].strip()[:40]) from None
    return plan_from_dict(data, exercises, path=str(path))


# --- starter plans -------------------------------------------------------------

def starter_plans() -> list[str]:
    """Names of the starter plans shipped with backguide."""
    return sorted(p.name.removesuffix(".json") for p in _plans_dir().iterdir()
                  if p.name.endswith(".json"))


def load_starter(name: str, exercises: pd.DataFrame | None = None) -> Plan:
    """An editable copy of a shipped starter plan."""
    names = starter_plans()
    if name not in names:
        raise ValueError(f"Unknown starter plan {name!r}; expected one of: {', '.join(names)}.")
    with resources.as_file(_plans_dir() / f"{name}.json") as p:
        return load_plan(p, exercises)


def _plans_dir():
    packaged = resources.files("backguide") / "data" / "plans"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "plans"
