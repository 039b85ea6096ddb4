"""The clinic: clinicians, their database roles, and who may see whose people.

A person belongs to a clinician (``people.clinician`` names a row of
``clinicians``).  On PostgreSQL each clinician connects as a role of their
own, and the database, not the page, decides what that role sees:

- every person-keyed table has ``ENABLE`` and ``FORCE ROW LEVEL SECURITY``
  with a policy that lets a role read and write only the rows of people whose
  clinician's ``role`` is ``current_user`` (``USING`` and ``WITH CHECK``);
  the tables' owner has a policy of its own that sees everything (migration
  ``0002_clinic``);
- the clinicians' roles are members of :data:`APP_ROLE`, which may
  ``SELECT``, ``INSERT``, ``UPDATE`` and ``DELETE`` those tables' rows (and
  read its own ``clinicians`` row and the migrations' version) but owns
  nothing, so it cannot ``CREATE``, ``ALTER`` or ``DROP``.  Migrations run
  under the owner role, the one that made the tables;
- a clinician's password is made here, shown once (in the URL that
  :func:`add_clinician` returns), and stored by PostgreSQL as a SCRAM-SHA-256
  verifier worked out here, so the password itself is never sent in a
  statement, logged, or kept.  A lost password is replaced by
  :func:`reissue_password` (the old one stops working); a clinician who
  leaves loses their login by :func:`revoke_clinician`, and their people
  stay, under their name, for the owner.

On SQLite a clinician is a row and nothing more: one person's file has no
roles, so there is no password to re-issue or login to revoke
(:class:`NoLogin`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata

from sqlalchemy import insert, literal_column, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL

from ..errors import BackguideError
from . import models as m
from .checks import JournalError

#: The group role every clinician's role belongs to: rows, not schema.
APP_ROLE = "backguide_app"
#: The tables with a ``person`` column, each under row-level security on PostgreSQL.
PERSON_TABLES = ("people", "plans", "entries", "done", "pain", "peg", "psfs", "signs",
                 "imports")
#: How many random bytes a generated password holds (base64url: 4 characters per 3).
PASSWORD_BYTES = 24
#: PBKDF2 rounds of a SCRAM-SHA-256 verifier (PostgreSQL's own default).
SCRAM_ITERATIONS = 4096
# Serializes the making of roles (pg_advisory_xact_lock); any fixed number.
_ROLE_LOCK = 2020_0002


def is_postgres(conn) -> bool:
    return conn.dialect.name == "postgresql"


def role_name(name: str) -> str:
    """A new role's name: ``bg_`` and the clinician's name in lowercase ASCII
    letters and digits (at most 24), then 8 random hex digits, so that roles
    never collide across the databases of one server.

    >>> role_name("Dr Zoë O'Kafor")[:-8]
    'bg_dr_zoe_okafor_'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", re.sub(r"['’]", "", ascii_name.lower())).strip("_")
    return f"bg_{slug[:24].strip('_') or 'clinician'}_{secrets.token_hex(4)}"


def new_password() -> str:
    """A password of :data:`PASSWORD_BYTES` random bytes, URL-safe (``A-Za-z0-9_-``)."""
    return secrets.token_urlsafe(PASSWORD_BYTES)


def scram_verifier(password: str, *, salt: bytes | None = None,
                   iterations: int = SCRAM_ITERATIONS) -> str:
    """What PostgreSQL stores for ``password`` under SCRAM-SHA-256 (RFC 5802,
    RFC 7677): ``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``.

    Given to ``CREATE ROLE ... PASSWORD``, PostgreSQL keeps it as it is, so the
    password never travels in a statement.  ``password`` must be ASCII (its
    SASLprep is then itself), as :func:`new_password` makes.
    """
    if not password.isascii():
        raise BackguideError.at("the clinician's password", "ASCII text", value="(not shown)")
    salt = secrets.token_bytes(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def my_clinician(conn) -> str | None:
    """The name of the clinician whose role this connection is (``None`` on SQLite,
    and for any other role: the owner, a superuser)."""
    if not is_postgres(conn):
        return None
    c = m.clinicians
    me = literal_column("current_user")
    return conn.execute(select(c.c.name).where(c.c.role == me)).scalar()


def clinician_of_new_person(conn, name: str | None, created: dt.datetime) -> str | None:
    """The clinician a new person belongs to: ``name`` (made a clinician if they
    are not one yet), or, on a clinician's own connection, that clinician.

    Raises
    ------
    JournalError
        If a clinician's connection names another clinician.
    """
    mine = my_clinician(conn)
    if mine is not None and name not in (None, mine):
        raise JournalError.of("the person", "clinician", name,
                              f"{mine!r}, the clinician this store's database role is "
                              "(a clinician adds people to their own caseload)")
    name = mine if name is None else name
    if name is not None:
        ensure_clinician(conn, name, created)
    return name


def ensure_clinician(conn, name: str, created: dt.datetime) -> None:
    """Make the row of the clinician called ``name`` if there is none."""
    c = m.clinicians
    if conn.execute(select(c.c.clinician).where(c.c.name == name)).first() is not None:
        return
    dialect = postgresql if is_postgres(conn) else sqlite
    stmt = dialect.insert(c).values(name=name, created=created)
    # Two kernels adding people of one new clinician at once: both land.
    conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))


def add_clinician(conn, name: str, url: URL, created: dt.datetime) -> str:
    """Add the clinician called ``name`` (or give a login to one people already
    name) on ``conn``, in its transaction; return the URL they connect with.

    On PostgreSQL this makes a LOGIN role with a new password, a member of
    :data:`APP_ROLE`, and the URL is ``url`` with that role and password; on
    SQLite it is ``url`` itself.  The connection's role must own the tables
    and may create roles (``CREATEROLE``).

    Raises
    ------
    JournalError
        If that clinician has a role already (field ``name``).
    BackguideError
        If the schema lets every role create objects in it: the clinicians
        could change the schema.
    """
    c = m.clinicians
    if is_postgres(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ROLE_LOCK})
    row = conn.execute(select(c.c.clinician, c.c.role).where(c.c.name == name)).first()
    if row is not None and row.role is not None:
        raise JournalError.of("the clinicians", "name", name,
                              "the name of a clinician who has no database role yet "
                              "(this one has one)")
    if not is_postgres(conn):
        if row is None:
            conn.execute(insert(c), {"name": name, "created": created})
        return url.render_as_string(hide_password=False)
    ensure_app_role(conn)
    role = role_name(name)
    quote = conn.dialect.identifier_preparer.quote
    password, clause = _new_password_clause()
    conn.exec_driver_sql(f"CREATE ROLE {quote(role)} LOGIN NOSUPERUSER NOCREATEDB "
                         f"NOCREATEROLE NOBYPASSRLS INHERIT IN ROLE {quote(APP_ROLE)} "
                         f"{clause}")
    if row is None:
        conn.execute(insert(c), {"name": name, "role": role, "created": created})
    else:
        conn.execute(update(c).where(c.c.clinician == row.clinician).values(role=role))
    return _login_url(url, role, password)


def _new_password_clause() -> tuple[str, str]:
    """A new password (:func:`new_password`) and the ``PASSWORD '<verifier>'`` clause
    that gives it to a role: the verifier, not the password, is in the statement
    (and so in any log)."""
    password = new_password()
    return password, f"PASSWORD '{scram_verifier(password)}'"


def _login_url(url: URL, role: str, password: str) -> str:
    """``url`` as ``role`` with ``password``, in full: shown once, to that clinician."""
    return url.set(username=role, password=password).render_as_string(hide_password=False)


def ensure_app_role(conn) -> None:
    """Make :data:`APP_ROLE` if there is none, and grant it the rows of this schema's
    tables (not their schema).  Idempotent; run by the tables' owner."""
    quote = conn.dialect.identifier_preparer.quote
    app = quote(APP_ROLE)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                          {"r": APP_ROLE}).first()
    if exists is None:
        conn.exec_driver_sql(f"CREATE ROLE {app} NOLOGIN NOINHERIT")
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    # Through PUBLIC (a database made before PostgreSQL 15, say) every role may
    # create objects in the schema: the clinicians must not.
    if conn.execute(text("SELECT has_schema_privilege(:r, :s, 'CREATE')"),
                    {"r": APP_ROLE, "s": schema}).scalar():
        raise BackguideError.at(
            f"the database schema {schema}", f"a schema in which {APP_ROLE} may not create "
            f"objects (run REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC as its owner)",
            value="CREATE granted")
    sequence = conn.execute(text("SELECT pg_get_serial_sequence('people', 'person')")
                            ).scalar_one()
    for sql in (f"GRANT USAGE ON SCHEMA {quote(schema)} TO {app}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {', '.join(PERSON_TABLES)} "
                f"TO {app}",
                f"GRANT SELECT ON TABLE clinicians, alembic_version TO {app}",
                f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {app}"):
        conn.exec_driver_sql(sql)


# A lost password, a clinician who leaves: in clinicians.py, named here too.
from .clinicians import (NoLogin, OWNER_NEEDED, Revoked, end_sessions,  # noqa: E402
                         reissue_password, revoke_clinician)

__all__ = ["APP_ROLE", "NoLogin", "OWNER_NEEDED", "PERSON_TABLES", "Revoked", "add_clinician",
           "clinician_of_new_person", "end_sessions", "ensure_app_role", "ensure_clinician",
           "my_clinician", "new_password", "reissue_password", "revoke_clinician",
           "role_name", "scram_verifier"]
