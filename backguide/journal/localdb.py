"""A local PostgreSQL cluster for trying the clinic: ``python3 dev.py db`` (and ``--stop``).

It makes a cluster in a folder of its own (``<data folder>/postgres``, or, run as
root, ``/var/lib/backguide/postgres``, owned by the ``postgres`` user that runs the
server), listening on 127.0.0.1 only, with password (scram-sha-256) logins.  The
database ``backguide`` is owned by the role ``backguide_owner``, which runs the
migrations; clinicians get roles of their own (``store.add_clinician``).

No password is ever printed.  The owner's is written to a libpq password file
(``pgpass``, 0600) beside the cluster, and the command prints the two lines that
point the guide at it::

    export PGPASSFILE=.../postgres/pgpass
    export BACKGUIDE_DATABASE_URL=postgresql://backguide_owner@127.0.0.1:5433/backguide
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from .database import data_folder

OWNER = "backguide_owner"
DATABASE = "backguide"
SERVER_USER = "postgres"


def server_bin() -> Path:
    """The folder of PostgreSQL's server programs (``$BACKGUIDE_PG_BIN``, else the
    newest of Debian's ``/usr/lib/postgresql/<version>/bin``, else the PATH)."""
    given = os.environ.get("BACKGUIDE_PG_BIN")
    if given:
        return Path(given)
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                    else 0)
    if debian:
        return debian[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise SystemExit("PostgreSQL's server is not installed: apt-get install -y postgresql "
                     "(python3 dev.py test installs it when run as root).")


def cluster_folder() -> Path:
    """Where the cluster lives: ``$BACKGUIDE_DB_FOLDER`` if set, else as the module says."""
    if os.environ.get("BACKGUIDE_DB_FOLDER"):
        return Path(os.environ["BACKGUIDE_DB_FOLDER"])
    if os.geteuid() == 0:
        return Path("/var/lib/backguide/postgres")
    return data_folder() / "postgres"


def _as_server(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(_as_server(command), capture_output=True, text=True, **kw)
    if done.returncode:
        raise SystemExit(f"{what} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _state(folder: Path) -> dict:
    path = folder / "backguide.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _running(bin_: Path, data: Path) -> bool:
    done = subprocess.run(_as_server([str(bin_ / "pg_ctl"), "-D", str(data), "status"]),
                          capture_output=True, text=True)
    return done.returncode == 0


def start(port: int | None = None) -> dict:
    """Make the cluster if need be, start it, and return where it is (no password)."""
    bin_, folder = server_bin(), cluster_folder()
    data, state = folder / "data", _state(folder)
    old = os.umask(0o077)
    try:
        if os.geteuid() == 0:  # the server's user must reach its folder
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(folder.parent, 0o755)
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, SERVER_USER)
        os.chmod(folder, 0o700)
        fresh = not (data / "PG_VERSION").exists()
        if fresh:
            superpw = folder / "superuser.pw"
            superpw.write_text(secrets.token_urlsafe(24) + "\n")
            if os.geteuid() == 0:
                shutil.chown(superpw, SERVER_USER)
            _run([str(bin_ / "initdb"), "-D", str(data), "-U", SERVER_USER, "-E", "UTF8",
                  "--auth-local=peer" if os.geteuid() == 0 else "--auth-local=scram-sha-256",
                  "--auth-host=scram-sha-256", f"--pwfile={superpw}"], "initdb")
        port = port or state.get("port") or _free_port()
        if not _running(bin_, data):
            _run([str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                  "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                 "starting PostgreSQL")
        state = {"port": port, "folder": str(folder)}
        (folder / "backguide.json").write_text(json.dumps(state))
        if fresh:
            _make_owner(bin_, folder, port)
    finally:
        os.umask(old)
    return state


def _psql(bin_: Path, folder: Path, port: int, sql: str, *, db: str = "postgres") -> None:
    env = {**os.environ, "PGPASSFILE": str(folder / "superuser.pgpass")}
    _run([str(bin_ / "psql"), "-h", str(folder), "-p", str(port), "-U", SERVER_USER, "-d", db,
          "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], "setting up the roles", env=env)


def _make_owner(bin_: Path, folder: Path, port: int) -> None:
    """The database and its owner role, whose password goes to the pgpass file only."""
    password = secrets.token_urlsafe(24)
    superpw = (folder / "superuser.pw").read_text().strip()
    superpass = folder / "superuser.pgpass"
    superpass.write_text(f"*:{port}:*:{SERVER_USER}:{superpw}\n")
    if os.geteuid() == 0:
        shutil.chown(superpass, SERVER_USER)
    os.chmod(superpass, 0o600)
    quoted = password.replace("'", "''")
    _psql(bin_, folder, port, f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{quoted}'")
    _psql(bin_, folder, port, f"CREATE DATABASE {DATABASE} OWNER {OWNER}")
    _psql(bin_, folder, port, f"REVOKE ALL ON DATABASE {DATABASE} FROM PUBLIC")
    pgpass = folder / "pgpass"
    pgpass.write_text(f"127.0.0.1:{port}:{DATABASE}:{OWNER}:{password}\n")
    os.chmod(pgpass, 0o600)


def stop() -> bool:
    """Stop the cluster (its data stays); False if it was not running."""
    bin_, folder = server_bin(), cluster_folder()
    data = folder / "data"
    if not (data / "PG_VERSION").exists() or not _running(bin_, data):
        return False
    _run([str(bin_ / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
         "stopping PostgreSQL")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py db", description=__doc__.split("\n")[0])
    parser.add_argument("--stop", action="store_true", help="stop the cluster")
    parser.add_argument("--port", type=int, help="the port on 127.0.0.1 (a free one at first)")
    args = parser.parse_args(argv)
    if args.stop:
        print("PostgreSQL stopped." if stop() else "PostgreSQL was not running.")
        return 0
    state = start(args.port)
    folder = Path(state["folder"])
    print(f"PostgreSQL runs on 127.0.0.1:{state['port']}, its data in {folder}.")
    print("To point the guide at it (the password is in the pgpass file, readable by you only):")
    print()
    print(f"    export PGPASSFILE={folder / 'pgpass'}")
    print(f"    export BACKGUIDE_DATABASE_URL=postgresql://{OWNER}@127.0.0.1:{state['port']}/"
          f"{DATABASE}")
    print()
    print("Then: python3 dev.py demo-clinic (made-up people to try it), python3 dev.py lab.")
    print("Stop it with: python3 dev.py db --stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
