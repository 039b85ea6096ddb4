"""A throwaway PostgreSQL cluster for the tests: started once per session, stopped at the end.

The cluster lives in a temporary folder (its data, log and socket), listens
on 127.0.0.1 at a free port, trusts local connections, and runs as the
``postgres`` user (through ``runuser``) when the tests run as root, since
PostgreSQL refuses to run as root.  Each test asks for a database of its
own (:meth:`Cluster.new_schema`), so tests never see each other's tables.

If the cluster cannot be started, every test that needs it FAILS with the
reason: a PostgreSQL test is never skipped.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

#: Where Debian's postgresql-15 package puts the server's programs.
PG_BIN = Path(os.environ.get("BACKGUIDE_PG_BIN", "/usr/lib/postgresql/15/bin"))
#: The system user that runs the server when the tests run as root.
PG_USER = "postgres"


class ClusterError(RuntimeError):
    """The throwaway cluster could not be started."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *command]
    return command


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(_as_owner(command), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"{what} failed: {exc}") from None
    if done.returncode:
        raise ClusterError(f"{what} failed ({' '.join(command)}): "
                           f"{(done.stderr or done.stdout).strip()[-1500:]}")


class Cluster:
    """A running throwaway cluster; :meth:`stop` ends it and removes its folder."""

    def __init__(self):
        if not (PG_BIN / "pg_ctl").exists():
            raise ClusterError(f"PostgreSQL's programs are not in {PG_BIN} "
                               "(apt-get install -y postgresql, or set BACKGUIDE_PG_BIN)")
        self.folder = Path(tempfile.mkdtemp(prefix="backguide-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, PG_USER)
        self.data = self.folder / "data"
        self.port = 0
        self._names = itertools.count()
        self._running = False
        _run([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", PG_USER,
              "-E", "UTF8", "--no-sync"], "initdb")
        for attempt in range(3):  # the free port may be taken before the server binds it
            self.port = free_port()
            options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c full_page_writes=off")
            try:
                _run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                      str(self.folder / "log"), "-o", options, "-w", "-t", "30", "start"],
                     "pg_ctl start")
            except ClusterError as exc:
                if attempt == 2:
                    log = self.folder / "log"
                    tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
                    self._remove()
                    raise ClusterError(f"{exc}\n{tail}") from None
                continue
            self._running = True
            break
        atexit.register(self.stop)

    def url(self, schema: str | None = None, *, password: str | None = None) -> str:
        """The SQLAlchemy URL of the cluster's ``postgres`` database, working in
        ``schema`` (its search path) if given.  Any password is accepted (trust)."""
        secret = f":{password}" if password else ""
        path = f"?options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql+psycopg://{PG_USER}{secret}@127.0.0.1:{self.port}/postgres{path}"

    def new_schema(self) -> str:
        """Make an empty schema; return the URL of a database that works in it.

        A schema is made in about a millisecond, a database in a few hundred.
        """
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self._running:
            self._running = False
            subprocess.run(_as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data),
                                      "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=60)
        self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """The session's throwaway cluster (a :class:`Cluster`), started on first use."""
    try:
        cluster, reason = Cluster(), None
    except ClusterError as exc:
        cluster, reason = None, str(exc)
    if reason is not None:
        pytest.fail(f"PostgreSQL could not be started, so this PostgreSQL test cannot run: "
                    f"{reason}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """A fresh journal database on each engine: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/journal.sqlite"
    return request.getfixturevalue("postgres").new_schema()


@pytest.fixture
def store(url):
    """The journal's store on ``url`` (each engine in turn), closed after the test."""
    from backguide.journal.store import open_store

    with open_store(url) as s:
        yield s
