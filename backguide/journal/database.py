"""Which database the journal is in, and how it is opened.

SQLite by default: ``journal.sqlite`` in the data folder (:func:`data_folder`),
readable by its owner only, in write-ahead-log mode with foreign keys on and
a busy timeout, so several kernels can write in turn.  PostgreSQL by URL
(``BACKGUIDE_DATABASE_URL`` or ``url=``), through psycopg 3.  A URL's
password is never put in a message: only
``url.render_as_string(hide_password=True)`` is shown.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Date, Integer, create_engine, event, literal_column
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.functions import FunctionElement

from ..errors import BackguideError

#: The environment variable naming the database, as a SQLAlchemy URL.
URL_VARIABLE = "BACKGUIDE_DATABASE_URL"
#: The SQLite file in the data folder.
DATA_FILE = "journal.sqlite"
#: How long a writer waits for another to finish, on SQLite.
BUSY_TIMEOUT_S = 30
#: The execution option of a connection that will write: on SQLite it
#: begins with ``BEGIN IMMEDIATE``.
WRITE = "backguide_write"


def data_folder() -> Path:
    """The folder of backguide's data: ``$BACKGUIDE_HOME`` if set, else
    ``$XDG_DATA_HOME/backguide`` (``~/.local/share/backguide`` by default)."""
    home = os.environ.get("BACKGUIDE_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "backguide"


@contextlib.contextmanager
def owner_only():
    """A umask of 077 while the database's files are made (the process's umask
    is given back after)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def engine_for(url: str | None, folder: str | Path | None) -> tuple[Engine, Path | None]:
    """The engine of the database ``url`` or ``folder`` names, and its SQLite file
    (``None`` for PostgreSQL or an in-memory database); see ``open_store``."""
    if url is not None and folder is not None:
        raise BackguideError.at("open_store", "a url or a folder, not both", value=folder)
    if url is None and folder is None:
        url = os.environ.get(URL_VARIABLE) or None
    if url is None:
        path = (data_folder() if folder is None else Path(folder)) / DATA_FILE
        return _sqlite(path, URL.create("sqlite", database=str(path)), own_folder=True), path
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return _sqlite_events(create_engine(parsed, poolclass=StaticPool)), None
        path = Path(parsed.database).expanduser()
        return _sqlite(path, parsed, own_folder=False), path
    if backend != "postgresql":
        raise BackguideError.at(URL_VARIABLE, "a sqlite:// or postgresql+psycopg:// URL",
                                value=parsed.render_as_string(hide_password=True))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True), None


def tighten(path: Path | None) -> None:
    """Make a SQLite file's ``-wal`` and ``-shm`` files, if there, its owner's only."""
    if path is not None:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(f"{path}{suffix}", 0o600)


def hidden(engine: Engine) -> str:
    """The engine's URL with its password shown as ``***``."""
    return engine.url.render_as_string(hide_password=True)


def reason(engine: Engine, exc: BaseException) -> str:
    """The first line of what the driver said, any password in it replaced by ``***``."""
    said = str(getattr(exc, "orig", None) or exc).strip()
    said = said.splitlines()[0] if said else type(exc).__name__
    password = engine.url.password
    return said.replace(str(password), "***") if password else said


def _parse(url) -> URL:
    try:
        return make_url(url)
    except Exception:  # the text may hold a password: never show it
        raise BackguideError.at(
            URL_VARIABLE, "a URL like postgresql+psycopg://user:password@host:5432/db "
            "(the text given is not shown, as it may hold a password)") from None


def _sqlite(path: Path, url: URL, *, own_folder: bool) -> Engine:
    """The engine of the SQLite file ``path``, made 0600 (in a 0700 folder if
    ``own_folder``) before SQLite first opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if own_folder:
            os.chmod(path.parent, 0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise BackguideError.at(path, "a database file that can be made and opened",
                                value=exc.strerror or str(exc)) from None
    return _sqlite_events(create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}))


def _write_ahead_log(cursor) -> None:
    """Put the file in write-ahead-log mode.  Turning a new file to WAL takes a lock
    that SQLite does not wait for (the busy timeout is not used), so several kernels
    opening one new journal at once try again, for up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_events(engine: Engine) -> Engine:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, record):
        # The driver's own BEGIN is off: _begin below says which kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        _write_ahead_log(cursor)
        for pragma in ("foreign_keys=ON", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # A writer takes the write lock at once, waiting its turn (busy_timeout),
        # rather than failing when it turns from reading to writing.
        write = conn.get_execution_options().get(WRITE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class days_between(FunctionElement):  # noqa: N801 (SQL functions are lowercase)
    """Whole days from one date to another, ``days_between(later, earlier)``, as
    SQLite (``julianday``) and PostgreSQL (``date - date``) each write it."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


class date_plus(FunctionElement):  # noqa: N801 (SQL functions are lowercase)
    """A date ``days`` whole days after another (before, if negative), as SQLite
    (``date(d, '7 days')``) and PostgreSQL (``d + 7``) each write it.  ``days`` is
    written into the SQL, so a comparison with it can use an index."""

    type = Date()
    name = "date_plus"
    inherit_cache = True

    def __init__(self, day, days: int):
        super().__init__(day, literal_column(str(int(days))))


@compiles(date_plus, "sqlite")
def _plus_sqlite(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '{days} days')"


@compiles(date_plus, "postgresql")
def _plus_postgresql(element, compiler, **kw):
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} + {days})"


__all__ = ["BUSY_TIMEOUT_S", "DATA_FILE", "URL_VARIABLE", "data_folder", "date_plus",
           "days_between", "engine_for", "owner_only"]
