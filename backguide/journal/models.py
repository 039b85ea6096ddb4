"""The journal's tables in the database, declared once, and their rows as tidy frames.

The tables (SQLAlchemy Core) hold what is observed; what can be worked out
is worked out when a table is read: ``week`` (the Monday of the date's
week, as :func:`~.columns.week_of` says), ``day`` of a check-in (the date's weekday) and the PEG's
``score`` (the mean of its three items).  :func:`frame` turns the rows of a
:func:`query` into the table of :data:`~.columns.COLUMNS`, with the same
dtypes on SQLite and PostgreSQL, and on an empty table:

- ``person``, ``version``, ``session``, ``order`` and the scores: int64;
- ``date``, ``week``, ``starts``, ``created``: datetime64 (``created`` in UTC);
- ``day`` an ordered categorical, Monday to Sunday, as in a plan's entries;
  ``status`` and ``felt`` ordered categoricals of :data:`~.columns.STATUSES`
  and :data:`~.columns.FEELINGS`; other text: pandas' string dtype;
- doses: float64, NaN where not given; ``per_side``: bool.

Beside them, ``clinicians`` (a clinician's name, and the PostgreSQL role they
connect as): ``people.clinician`` names one.  On PostgreSQL every
person-keyed table has row-level security (:mod:`backguide.journal.clinic`).

The migrations in ``migrations/versions`` build these tables; a test checks
that the two agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, Date, DateTime, Float,
                        ForeignKey, ForeignKeyConstraint, Index, Integer, MetaData, Table,
                        Text, false, select, true)

from ..plan import DAY
from ..schema import DAYS
from .columns import COLUMNS, DOSE_DONE, FEELINGS, PEG_ITEMS, SCORE_RANGE, STATUSES

#: Constraint names follow one pattern, so a migration can name what it changes.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _score(column: str) -> CheckConstraint:
    low, high = SCORE_RANGE
    return CheckConstraint(f"{column} BETWEEN {low} AND {high}", name=column)


def _person(**kw) -> Column:
    return Column("person", Integer, ForeignKey("people.person", ondelete="CASCADE"),
                  nullable=False, **kw)


clinicians = Table(
    "clinicians", metadata,
    Column("clinician", Integer, primary_key=True, autoincrement=True),
    # Names are unique: a person's row names their clinician by it.
    Column("name", Text, nullable=False, unique=True),
    # The PostgreSQL role the clinician connects as (never on SQLite); the
    # row-level security policies map ``current_user`` to a clinician by it.
    Column("role", Text, unique=True),
    Column("created", DateTime, nullable=False),
)

people = Table(
    "people", metadata,
    Column("person", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("clinician", Text, ForeignKey("clinicians.name")),
    Column("created", DateTime, nullable=False),
    # The one person of a home store (Store.me): at most one row has it.
    Column("home", Boolean, nullable=False, server_default=false()),
)
Index("ix_people_home", people.c.home, unique=True, sqlite_where=people.c.home,
      postgresql_where=people.c.home)

plans = Table(
    "plans", metadata,
    _person(primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("starts", Date, nullable=False),
    Column("name", Text, nullable=False),
    # backguide.store.name_key(name): which saves are "the same plan name".
    Column("name_key", Text, nullable=False),
    # The rest of the plan's metadata (Plan.meta), so a version loads as saved.
    Column("plan_person", Text, nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("start", Date),
    Column("claims", JSON, nullable=False),
    Column("created", DateTime, nullable=False),
    # Followed (in force from ``starts``), or only saved under its name (migration 0003).
    Column("follow", Boolean, nullable=False, server_default=true()),
    CheckConstraint("version >= 1", name="version"),
    Index("ix_plans_person_name_key", "person", "name_key"),
)

entries = Table(
    "entries", metadata,
    Column("person", Integer, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("day", Text, primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("order", Integer, primary_key=True),
    Column("session_name", Text, nullable=False),
    Column("exercise", Text, nullable=False),
    *(Column(k, Float) for k in ("sets", "reps", "hold_s", "rest_s")),
    Column("per_side", Boolean, nullable=False),
    Column("minutes", Float),
    Column("dose_source", Text, nullable=False),
    ForeignKeyConstraint(["person", "version"], ["plans.person", "plans.version"],
                         ondelete="CASCADE"),
    CheckConstraint(_one_of("day", DAYS), name="day"),
)

done = Table(
    "done", metadata,
    _person(primary_key=True),
    Column("date", Date, primary_key=True),
    Column("session", Integer, primary_key=True, autoincrement=False),
    Column("exercise", Text, primary_key=True),
    # The plan version in force that day.
    Column("version", Integer, nullable=False),
    # The row's place in the check-in as given, so it reads back in that order.
    Column("place", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("felt", Text),
    *(Column(k, Float) for k in DOSE_DONE),
    ForeignKeyConstraint(["person", "version"], ["plans.person", "plans.version"]),
    CheckConstraint(_one_of("status", STATUSES), name="status"),
    CheckConstraint(f"felt IS NULL OR {_one_of('felt', FEELINGS)}", name="felt"),
    CheckConstraint("session >= 0", name="session"),
)

pain = Table(
    "pain", metadata,
    _person(primary_key=True),
    Column("date", Date, primary_key=True),
    Column("nprs", Integer, nullable=False),
    _score("nprs"),
)

peg = Table(
    "peg", metadata,
    _person(primary_key=True),
    Column("date", Date, primary_key=True),
    *(Column(k, Integer, nullable=False) for k in PEG_ITEMS),
    *(_score(k) for k in PEG_ITEMS),
)

psfs = Table(
    "psfs", metadata,
    _person(primary_key=True),
    Column("date", Date, primary_key=True),
    Column("activity", Text, primary_key=True),
    Column("score", Integer, nullable=False),
    _score("score"),
)

signs = Table(
    "signs", metadata,
    _person(primary_key=True),
    Column("date", Date, primary_key=True),
    Column("sign", Text, primary_key=True),
)

# Which plan files of a saved-plan folder were imported, so importing the
# folder again adds nothing twice; a file whose content changed is new.
imports = Table(
    "imports", metadata,
    _person(primary_key=True),
    Column("file", Text, primary_key=True),
    Column("sha256", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("imported", DateTime, nullable=False),
)

#: The tables ``Store.read`` returns, by name.
TABLES: dict[str, Table] = {"people": people, "plans": plans, "entries": entries,
                            "done": done, "pain": pain, "peg": peg, "psfs": psfs,
                            "signs": signs}

#: The columns kept in each table (the rest of COLUMNS is worked out on reading).
STORED: dict[str, tuple[str, ...]] = {
    "people": ("person", "name", "clinician", "created"),
    "plans": ("person", "version", "starts", "name", "follow", "created"),
    "entries": tuple(c.name for c in entries.columns),
    "done": ("person", "date", "version", "session", "exercise", "status", "felt",
             *DOSE_DONE),
    "pain": ("person", "date", "nprs"),
    "peg": ("person", "date", *PEG_ITEMS),
    "psfs": ("person", "date", "activity", "score"),
    "signs": ("person", "date", "sign"),
}
_ORDER = {"people": ("person",), "plans": ("person", "version"),
          "entries": ("person", "version"), "done": ("person", "date", "session", "place"),
          "psfs": ("person", "date", "activity"), "signs": ("person", "date", "sign")}

_INTS = {"person", "version", "session", "order", "nprs"}
_TABLE_INTS = {"peg": set(PEG_ITEMS), "psfs": {"score"}}
_DATES = {"date", "week", "starts", "created"}
_FLOATS = {"sets", "reps", "hold_s", "rest_s", "minutes"}
_CATEGORIES = {"day": DAY,
               "status": pd.CategoricalDtype(STATUSES, ordered=True),
               "felt": pd.CategoricalDtype(FEELINGS, ordered=True)}
#: The unit of every date column, the one :func:`~.columns.week_of` gives.
DATE_DTYPE = "datetime64[us]"


def stored(table: str, columns=None) -> tuple[str, ...]:
    """The stored columns to read for ``columns`` of ``table`` (all if ``None``):
    those asked for, ``person`` and ``date``, and what the rest are worked out
    from (the PEG's items for its ``score``).  An unknown column is a KeyError."""
    if columns is None:
        return STORED[table]
    unknown = [c for c in columns if c not in COLUMNS[table]]
    if unknown:
        raise KeyError(unknown[0])
    keep = {*columns, "person", "date", *(PEG_ITEMS if "score" in columns else ())}
    return tuple(c for c in STORED[table] if c in keep)


def query(table: str, person: int | None = None, columns=None):
    """The SELECT of ``table``'s stored columns (those :func:`stored` gives for
    ``columns``; of one ``person``, if given), in order."""
    t = TABLES[table]
    stmt = select(*(t.c[c] for c in stored(table, columns)))
    if person is not None:
        stmt = stmt.where(t.c.person == person)
    return stmt.order_by(*(t.c[c] for c in _ORDER.get(table, ("person", "date"))))


def frame(table: str, rows: list[tuple], columns=None) -> pd.DataFrame:
    """The rows of :func:`query`, as the driver gives them (dates as ISO text on
    SQLite, as dates on PostgreSQL), as the tidy table ``COLUMNS[table]``, typed
    (only ``columns`` of it, and its keys, if given)."""
    names = stored(table, columns)
    # Column by column: building a frame from 100,000 row objects is 3x slower.
    values_of = list(zip(*rows)) if rows else [()] * len(names)
    out = {}
    for name, values in zip(names, values_of):
        if name in _DATES:
            iso = bool(values) and isinstance(values[0], str)
            out[name] = pd.to_datetime(pd.Series(values, dtype=object),
                                       format="ISO8601" if iso else None).astype(DATE_DTYPE)
        elif name in _INTS or name in _TABLE_INTS.get(table, ()):
            out[name] = np.array(values, dtype=np.int64)
        elif name in _FLOATS:
            out[name] = np.array(values, dtype=np.float64)  # None is NaN
        elif name in ("per_side", "follow"):
            out[name] = np.array(values, dtype=bool)
        elif name in _CATEGORIES:
            out[name] = pd.Categorical(values, dtype=_CATEGORIES[name])
        else:
            out[name] = pd.array(values, dtype="str")
    tidy = pd.DataFrame(out, index=pd.RangeIndex(len(rows)))
    if "date" in tidy:
        weekday = tidy["date"].dt.day_of_week.to_numpy(dtype=np.int64)
        # columns.week_of, without its Series.dt.weekday (deprecated in pandas 3.1)
        tidy["week"] = (tidy["date"] - pd.to_timedelta(weekday, unit="D")).astype(DATE_DTYPE)
        if table == "done":
            tidy["day"] = pd.Categorical.from_codes(weekday, dtype=DAY)
    if table == "peg" and "pain" in tidy:
        tidy["score"] = tidy[list(PEG_ITEMS)].mean(axis=1).astype("float64")
    if table == "entries":
        # Human order within a version: Monday first, then sessions and places.
        order = [c for c in ("person", "version", "day", "session", "order") if c in tidy]
        tidy = tidy.sort_values(order, kind="stable", ignore_index=True)
    keep = COLUMNS[table] if columns is None else {*columns, *names}
    return tidy[[c for c in COLUMNS[table] if c in keep]]


__all__ = ["DATE_DTYPE", "STORED", "TABLES", "clinicians", "done", "entries", "frame",
           "imports", "metadata", "pain", "peg", "people", "plans", "psfs", "query", "signs",
           "stored"]
