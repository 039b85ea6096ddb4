"""The journal's store: people, their plan versions and their check-ins, in one database.

:func:`open_store` opens SQLite (a file in the data folder, by default) or
PostgreSQL (by URL) with the same code, and brings the tables up to date
with the Alembic migrations beside this module.  Every write is one
transaction: a check-in is saved whole or not at all, even if the process
is killed half-way.  Writes for one person are serialized (``BEGIN
IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` of the person's row on
PostgreSQL), so two kernels saving the same plan name cannot both win.

The tables :meth:`Store.read` returns, and their columns, are those of
:mod:`backguide.journal.columns`; what is refused, and why, is in
:mod:`backguide.journal.checks`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pandas as pd
from alembic import command
from alembic.config import Config
from sqlalchemy import delete, insert, select, text, true
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from ..errors import BackguideError
from ..library import Library
from . import checks, clinic, database, models as m, records
from .checks import JournalError, PlanNameTaken, UnreadablePlans
from .columns import COLUMNS, TABLES
from .database import DATA_FILE, URL_VARIABLE, data_folder
from .versions import PlanVersions, _now

#: The folder of the Alembic migrations (a package folder, so it ships in the wheel).
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Serializes migrations on PostgreSQL (pg_advisory_xact_lock); any fixed number.
_MIGRATION_LOCK = 2020_0001


def open_store(url: str | None = None, *, folder: str | Path | None = None) -> Store:
    """Open the journal's store, making its tables (or bringing them up to date).

    Parameters
    ----------
    url
        A SQLAlchemy URL: ``postgresql+psycopg://user:password@host/db``
        (``postgresql://`` means the same) or ``sqlite:///path``.  ``None``
        means ``$BACKGUIDE_DATABASE_URL`` if set, else the SQLite file
        ``journal.sqlite`` in ``folder``.
    folder
        Where the SQLite file is kept; ``None`` is
        :func:`~backguide.journal.database.data_folder`.  The folder is made
        readable by its owner only (0700), the file and its ``-wal`` and
        ``-shm`` files too (0600): they hold health data.

    Raises
    ------
    BackguideError
        For a URL that cannot be read or names another database, or a
        database that cannot be opened.  The password is never shown.

    >>> import tempfile
    >>> with open_store(folder=tempfile.mkdtemp()) as store:
    ...     store.read("pain").columns.tolist()
    ['person', 'date', 'week', 'nprs']
    """
    with database.owner_only():  # also covers -wal and -shm, made on first use
        engine, path = database.engine_for(url, folder)
        store = Store(engine)
        database.tighten(path)
    return store


class Store(PlanVersions):
    """People, their plan versions and their journal, in one database.

    Make one with :func:`open_store`; close it with :meth:`close` or a
    ``with`` block.  A person is addressed by the id :meth:`add_person` or
    :meth:`me` gives.
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._writer = engine.execution_options(**{database.WRITE: True})
        try:
            self._migrate()
        except sa_exc.DBAPIError as exc:
            engine.dispose()
            said = database.reason(engine, exc)
            expected = "a database that can be opened"
            if "permission denied" in said or "must be owner" in said:
                expected = ("a database brought up to date by its owner role first (this "
                            "role may read and write rows, not change the schema)")
            raise BackguideError.at(self.url, expected, value=said) from None

    # -- the database --

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for reading with ``pandas.read_sql``."""
        return self._engine

    @property
    def url(self) -> str:
        """The database's URL, its password shown as ``***``."""
        return database.hidden(self._engine)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the store's connections."""
        self._engine.dispose()

    def _migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
        with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":  # two kernels opening a new database
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextlib.contextmanager
    def _writing(self, person=None):
        """One write transaction; with ``person``, that person's row locked."""
        with self._writer.begin() as conn:
            if person is not None:
                self._known(conn, person, lock=True)
            yield conn

    def _known(self, conn, person, *, lock: bool = False) -> int:
        """``person`` as an id of a person in the store, or a JournalError."""
        pid = checks.person_id(person)
        stmt = select(m.people.c.person).where(m.people.c.person == pid)
        if conn.execute(stmt.with_for_update() if lock else stmt).first() is None:
            raise JournalError.of("the store", "person", person,
                                  "the id of a person in this store (add_person gives one)")
        return pid

    # -- people --

    def add_person(self, name: str, *, clinician: str | None = None) -> int:
        """Add a person called ``name``; return their id.

        ``clinician`` is the name of the clinician they belong to, added as a
        clinician (a row, without a role) if they are not one yet.  A store
        opened with a clinician's role adds people to that clinician only:
        ``None`` means them.
        """
        name = checks.text(name, "the person", "name")
        if clinician is not None:
            clinician = checks.text(clinician, "the person", "clinician")
        with self._writing() as conn:
            return self._insert_person(conn, name, clinician, _now())

    def _insert_person(self, conn, name, clinician, created, home: bool = False) -> int:
        clinician = clinic.clinician_of_new_person(conn, clinician, created)
        row = {"name": name, "clinician": clinician, "created": created, "home": home}
        return int(conn.execute(insert(m.people), row).inserted_primary_key[0])

    # -- clinicians --

    def add_clinician(self, name: str) -> str:
        """Add a clinician called ``name``; return the URL they connect with.

        On PostgreSQL, also their own LOGIN role with a generated password,
        which row-level security lets read and write only their own people's
        rows (:mod:`~backguide.journal.clinic`).  The URL holds the password:
        show it once; :attr:`url` and every message hide it.  The store must
        be opened by the tables' owner, a role that may create roles.  On
        SQLite a clinician is a row, and the URL is the store's own.

        Raises :class:`JournalError` for a blank name or a clinician who has a
        role already, and :class:`BackguideError` if the database refuses.
        """
        name = checks.text(name, "the clinician", "name")
        return self._as_owner(lambda conn: clinic.add_clinician(conn, name, self._engine.url,
                                                                _now()))

    def _as_owner(self, do):
        """``do(conn)`` in one transaction, as the tables' owner: the database's refusal
        (a clinician's own role, no CREATEROLE) said as such."""
        try:
            with self._writing() as conn:
                return do(conn)
        except sa_exc.DBAPIError as exc:
            raise BackguideError.at(self.url, clinic.OWNER_NEEDED,
                                    value=database.reason(self._engine, exc)) from None

    def reissue_password(self, name: str) -> str:
        """A new generated password for the clinician called ``name``; return the URL
        they connect with, as :meth:`add_clinician` does (show it once).  The old
        password is refused from now on; sessions already open stay open.  Raises
        :class:`~.clinic.NoLogin` on SQLite and for a clinician with no login,
        :class:`JournalError` for an unknown name, :class:`BackguideError` if this
        role may not (a clinician's own) or the database refuses."""
        name = checks.text(name, "the clinician", "name")
        return self._as_owner(lambda conn: clinic.reissue_password(conn, name, self._engine.url))

    def revoke_clinician(self, name: str) -> clinic.Revoked:
        """Take the login of the clinician called ``name`` away and end their open
        sessions where this role may; return what was done (``str()`` says it).
        Their people and history stay under their name.  Errors as
        :meth:`reissue_password`."""
        name = checks.text(name, "the clinician", "name")
        revoked = self._as_owner(lambda conn: clinic.revoke_clinician(conn, name))
        # After the commit, so an ended session cannot log straight back in.
        return self._as_owner(lambda conn: clinic.end_sessions(conn, revoked))

    @property
    def clinician(self) -> str | None:
        """The name of the clinician whose role this store is opened with (``None``
        on SQLite, and for the tables' owner)."""
        with self._engine.connect() as conn:
            return clinic.my_clinician(conn)

    def me(self) -> int:
        """The one person of a home store, added (called "Me") the first time."""
        home = select(m.people.c.person).where(m.people.c.home == true())
        with self._engine.connect() as conn:
            found = conn.execute(home).scalar()
        if found is not None:
            return int(found)
        try:
            with self._writing() as conn:
                found = conn.execute(home).scalar()
                if found is None:
                    found = self._insert_person(conn, "Me", None, _now(), home=True)
        except sa_exc.IntegrityError:  # another process added "Me" first
            with self._engine.connect() as conn:
                found = conn.execute(home).scalar_one()
        return int(found)

    # -- the journal --

    def check_in(self, person: int, day, *, done=None, pain: int | None = None,
                 peg=None, psfs=None, signs=None, lib: Library | None = None) -> None:
        """Save one day's check-in, whole or not at all.

        Parameters
        ----------
        day
            The date (not in the future).
        done
            A table (or list of dicts) with columns ``exercise``, ``status``
            (:data:`~.columns.STATUSES`), ``felt`` (:data:`~.columns.FEELINGS`,
            blank for a skipped exercise), and optionally ``session`` and the
            dose done (``sets``, ``reps``, ``hold_s``, ``minutes``).  Each
            exercise must be in the plan version in force that day.
        pain
            Pain today, 0 to 10 (NPRS).
        peg
            ``{"pain": ..., "enjoyment": ..., "activity": ...}``, each 0 to 10.
        psfs
            ``{activity: score}``, at most 5 activities, each 0 to 10.
        signs
            Ids of warning signs (guidance rows with a ``sign``) ticked.

        Parts left ``None`` are not touched; a part given replaces what that
        day held for it.

        Raises
        ------
        JournalError
            Naming the field (``pain``, ``done[2].status``, ``person``) and
            what was expected; nothing is written.
        """
        date = checks.date(day, "the check-in", "day")
        parts = checks.check_in_parts(done=done, pain=pain, peg=peg, psfs=psfs,
                                      signs=signs, lib=lib, where=f"the check-in of {date}")
        with self._writing(person) as conn:
            self._save_day(conn, int(person), date, parts)

    def _save_day(self, conn, person: int, date: dt.date, parts: dict) -> None:
        done = parts.get("done")
        if done:
            plan = self._in_force(conn, person, date)
            planned = conn.execute(
                select(m.entries.c.exercise, m.entries.c.day, m.entries.c.session)
                .where(m.entries.c.person == person,
                       m.entries.c.version == (plan.version if plan else None))).all()
            parts["done"] = checks.done_in_plan(done, date, plan and plan.version, planned,
                                                where=f"the check-in of {date}")
        for table, rows in parts.items():
            t = m.TABLES[table]
            conn.execute(delete(t).where(t.c.person == person, t.c.date == date))
            if rows:
                conn.execute(insert(t), [{"person": person, "date": date, **r} for r in rows])

    def read(self, table: str, *, person: int | None = None) -> pd.DataFrame:
        """One of the tidy tables (of one person, or of everyone).

        ``table`` is one of ``people``, ``plans``, ``entries``, ``done``,
        ``pain``, ``peg``, ``psfs``, ``signs``; the columns are
        :data:`backguide.journal.columns.COLUMNS` ``[table]``, typed as
        :mod:`backguide.journal.models` says, whether or not there are rows.
        """
        return self.read_tables((table,), person=person)[table]

    def read_tables(self, tables=TABLES, *, person: int | None = None,
                    columns: dict | None = None) -> dict[str, pd.DataFrame]:
        """Several tables as :meth:`read` gives them, each read in one query, all
        as of one moment (one transaction): a check-in is in all or none.
        ``columns`` may name, per table, the columns wanted (with its keys)."""
        columns = columns or {}
        for table in tables:
            if table not in TABLES:
                raise JournalError.of("store.read", "table", table,
                                      f"one of {', '.join(TABLES)}")
            try:
                m.stored(table, columns.get(table))
            except KeyError as exc:
                raise JournalError.of("store.read", "columns", exc.args[0], f"a column of "
                                      f"{table}: {', '.join(COLUMNS[table])}") from None
        with self.snapshot() as conn:
            pid = None if person is None else self._known(conn, person)
            # The driver's own rows, untouched by SQLAlchemy's types: 100,000
            # rows read 3x faster.  ``pid`` is a checked int, safe to inline.
            cursor = conn.connection.cursor()
            try:
                out = {}
                for table in tables:
                    wanted = columns.get(table)
                    cursor.execute(str(m.query(table, pid, wanted).compile(
                        conn, compile_kwargs={"literal_binds": True})))
                    out[table] = m.frame(table, cursor.fetchall(), wanted)
            finally:
                cursor.close()
        return out

    @contextlib.contextmanager
    def snapshot(self):
        """A connection whose reads all see the database as of one moment (one read
        transaction; ``REPEATABLE READ`` on PostgreSQL), for reading several
        tables that must agree."""
        with self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # -- whole records --

    def export_person(self, person: int) -> dict:
        """The person's whole record (plans and journal) as JSON-able data."""
        with self._engine.connect() as conn:
            pid = self._known(conn, person)
            return records.person_record(conn, pid, lambda v: self._load(conn, pid, v))

    def import_person(self, record: dict, *, lib: Library | None = None) -> int:
        """Add the person of a record from :meth:`export_person`, with all of it,
        in one transaction; return their new id."""
        person, versions, days = checks.record(record, lib=lib)
        with self._writing() as conn:
            pid = self._insert_person(conn, person["name"], person["clinician"],
                                      person["created"])
            for v in versions:
                self._add_version(conn, pid, v["plan"], v["starts"], version=v["version"],
                                  created=v["created"], follow=v["follow"])
            for date, parts in days:
                self._save_day(conn, pid, date, parts)
        return pid


__all__ = ["DATA_FILE", "JournalError", "PlanNameTaken", "Store", "URL_VARIABLE",
           "UnreadablePlans", "data_folder", "open_store"]
