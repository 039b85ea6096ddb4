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
from dataclasses import dataclass, replace

from sqlalchemy import func, insert, literal_column, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL

from ..errors import BackguideError
from ..words import count
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


# --- a lost password, a clinician who leaves ----------------------------------------------

#: What the role must be to add a clinician, re-issue a password or revoke a login.
OWNER_NEEDED = "a database role that owns the tables and may create roles (CREATEROLE)"
#: How many clinicians an error about a name lists before counting the rest.
NAMES_SHOWN = 20


class NoLogin(JournalError):
    """There is no database login to re-issue a password for, or to revoke: the
    store is SQLite (a clinician is a row there), the clinician has no role, or
    their login was revoked.  ``field`` is ``"role"``; nothing was changed."""


@dataclass(frozen=True)
class Revoked:
    """What :func:`revoke_clinician` did; ``str()`` says it and what is left to do.

    ``people`` is how many people are kept under the clinician.  ``ended`` is
    how many of the role's open sessions :func:`end_sessions` ended and
    ``left`` how many are still open (``None``: not looked at yet).
    """

    name: str
    role: str
    people: int
    ended: int | None = None
    left: int | None = None

    def __str__(self) -> str:
        out = [f"{self.name} can no longer log in (their database role {self.role} is "
               "NOLOGIN)."]
        if self.ended is None:
            out.append("Sessions they have open last until they disconnect "
                       "(end_sessions ends them).")
        elif self.ended:
            out.append(f"{count(self.ended, 'open session')} of theirs "
                       f"{'was' if self.ended == 1 else 'were'} ended.")
        elif not self.left:
            out.append("They had no open session.")
        if self.left:
            out.append(f"{count(self.left, 'open session')} of theirs "
                       f"{'is' if self.left == 1 else 'are'} still open until they "
                       "disconnect: this database role may not end them (a member of "
                       "pg_signal_backend, or a superuser, may: SELECT pg_terminate_backend"
                       f"(pid) FROM pg_stat_activity WHERE usename = '{self.role}').")
        if self.people:
            out.append(f"Their {count(self.people, 'person', 'people')} "
                       f"{'is' if self.people == 1 else 'are'} kept under {self.name}, with "
                       "all their history, for the tables' owner to read; re-assigning "
                       "them to another clinician is a separate step.")
        else:
            out.append(f"{self.name} has no people.")
        return " ".join(out)


def reissue_password(conn, name: str, url: URL) -> str:
    """Give the clinician called ``name`` a new generated password, on ``conn``, in
    its transaction; return the URL they connect with (``url`` as their role, with
    the new password), as :func:`add_clinician` does.

    The password is made and kept as :func:`add_clinician` makes and keeps it
    (a SCRAM-SHA-256 verifier; the password itself is in no statement, log or
    message) and replaces the old one: once the transaction commits, the old
    URL is refused.  Sessions already open stay open (:func:`end_sessions`
    ends them).  The connection's role must own the tables and may create
    roles (``CREATEROLE``); a clinician cannot re-issue even their own.

    Raises
    ------
    NoLogin
        On SQLite (there are no roles, so no password to re-issue), and for a
        clinician with no role, or whose login was revoked (field ``role``).
    JournalError
        For a name that is no clinician's (field ``name``; the message lists
        the clinicians).
    BackguideError
        If the connection's role may not do it: a clinician's own, say.
    """
    role, login = _clinicians_role(conn, name, "re-issue a password for",
                                   "no password to re-issue")
    if not login:
        raise NoLogin.of(f"the clinician {name!r}", "role", role,
                         "a role that may log in, to re-issue a password for (this one's "
                         "login was revoked, so a new password would not let them in)")
    password, clause = _new_password_clause()
    conn.exec_driver_sql(f"ALTER ROLE {conn.dialect.identifier_preparer.quote(role)} "
                         f"{clause}")
    return _login_url(url, role, password)


def revoke_clinician(conn, name: str) -> Revoked:
    """Take the login of the clinician called ``name`` away, on ``conn``, in its
    transaction: their role becomes ``NOLOGIN``, so no URL of theirs connects
    once the transaction commits.  Then run :func:`end_sessions` to end the
    sessions they have open.

    Their people, and every row of their history, stay as they are, under
    their name: the tables' owner still reads and writes them, and handing
    them to another clinician is a separate step.  Revoking a clinician
    already revoked changes nothing.  The connection's role must own the
    tables and may create roles (``CREATEROLE``).

    Raises
    ------
    NoLogin
        On SQLite (there are no roles, so no login to revoke), and for a
        clinician with no role (field ``role``).
    JournalError
        For a name that is no clinician's (field ``name``; the message lists
        the clinicians).
    BackguideError
        If the connection's role may not do it: a clinician's own, say.
    """
    role, _ = _clinicians_role(conn, name, "revoke", "no login to revoke")
    conn.exec_driver_sql(f"ALTER ROLE {conn.dialect.identifier_preparer.quote(role)} "
                         "NOLOGIN")
    people = conn.execute(select(func.count()).select_from(m.people)
                          .where(m.people.c.clinician == name)).scalar_one()
    return Revoked(name, role, int(people))


def end_sessions(conn, revoked: Revoked) -> Revoked:
    """End the open sessions of ``revoked``'s role, as far as the connection's role
    may; return ``revoked`` with how many were ended and how many are left.

    Run it after :func:`revoke_clinician`'s transaction has committed: until
    then the role may still log in, so a session ended could come straight
    back.  PostgreSQL lets a superuser end any session, and another role end
    the sessions of roles whose privileges it has or, as a member of
    ``pg_signal_backend``, of any role that is no superuser.  The tables'
    owner ``dev.py db`` makes is none of these: its clinicians' sessions are
    counted as ``left``, and last until they disconnect.
    """
    sessions = text("SELECT pid FROM pg_stat_activity WHERE usename = :role "
                    "AND pid <> pg_backend_pid()")
    pids = conn.execute(sessions, {"role": revoked.role}).scalars().all()
    may = conn.execute(text("SELECT pg_has_role('pg_signal_backend', 'USAGE') "
                            "OR pg_has_role(:role, 'USAGE')"), {"role": revoked.role}).scalar()
    if pids and may:
        for pid in pids:  # waits (up to 5 s each) until the session has gone
            conn.execute(text("SELECT pg_terminate_backend(CAST(:pid AS integer), 5000)"),
                         {"pid": pid})
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))  # look again, not at a cache
        left = len(conn.execute(sessions, {"role": revoked.role}).scalars().all())
    else:
        left = len(pids)
    return replace(revoked, ended=max(len(pids) - left, 0), left=left)


def _clinicians_role(conn, name: str, doing: str, nothing: str) -> tuple[str, bool]:
    """The role of the clinician called ``name`` and whether it may log in, checked
    for :func:`reissue_password` and :func:`revoke_clinician` (see their errors)."""
    if not is_postgres(conn):
        raise NoLogin.of("the clinicians", "role", None,
                         f"a PostgreSQL login role to {doing} (this store is SQLite: a "
                         "clinician is a row, with no login and no password, so there is "
                         f"{nothing})")
    _require_owner(conn)
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ROLE_LOCK})
    c = m.clinicians
    row = conn.execute(select(c.c.role).where(c.c.name == name)).first()
    if row is None:
        names = conn.execute(select(c.c.name).order_by(c.c.name)).scalars().all()
        raise JournalError.of("the clinicians", "name", name, _one_of(names))
    if row.role is None:
        raise NoLogin.of(f"the clinician {name!r}", "role", None,
                         f"a database role to {doing} (this clinician has none, so there "
                         f"is {nothing}; add_clinician gives one)")
    state = conn.execute(text(
        "SELECT r.rolcanlogin AS login, EXISTS (SELECT 1 FROM pg_auth_members a "
        "JOIN pg_roles g ON g.oid = a.roleid WHERE a.member = r.oid AND g.rolname = :app) "
        "AS ours FROM pg_roles r WHERE r.rolname = :role"),
        {"role": row.role, "app": APP_ROLE}).first()
    if state is None:
        raise NoLogin.of(f"the clinician {name!r}", "role", row.role,
                         "a role the database has (this one is gone, so there is "
                         f"{nothing})")
    if not state.ours:
        raise JournalError.of(f"the clinician {name!r}", "role", row.role,
                              f"a role add_clinician made (a member of {APP_ROLE}); this "
                              "one is not, so it is left alone")
    return row.role, bool(state.login)


def _require_owner(conn) -> None:
    """Refuse, before anything is changed, a role that does not own the tables or may
    not create roles: a clinician's own role, say (which PostgreSQL would let change
    its own password)."""
    row = conn.execute(text(
        "SELECT r.rolsuper OR r.rolcreaterole AS makes_roles, "
        "pg_has_role(t.tableowner, 'USAGE') AS owns FROM pg_roles r, pg_tables t "
        "WHERE r.rolname = current_user AND t.schemaname = current_schema() "
        "AND t.tablename = 'clinicians'")).first()
    if row is not None and row.makes_roles and row.owns:
        return
    me, mine = conn.execute(text("SELECT current_user")).scalar_one(), my_clinician(conn)
    who = f"the role of clinician {mine} ({me})" if mine is not None else f"the role {me}"
    raise BackguideError.at(conn.engine.url.render_as_string(hide_password=True),
                            OWNER_NEEDED, value=who)


def _one_of(names: list[str]) -> str:
    if not names:
        return "the name of a clinician (there are none yet: add_clinician adds one)"
    listed = ", ".join(repr(n) for n in names[:NAMES_SHOWN])
    more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
    return f"the name of a clinician: {listed}{more}"


__all__ = ["APP_ROLE", "NoLogin", "OWNER_NEEDED", "PERSON_TABLES", "Revoked", "add_clinician",
           "clinician_of_new_person", "end_sessions", "ensure_app_role", "ensure_clinician",
           "my_clinician", "new_password", "reissue_password", "revoke_clinician",
           "role_name", "scram_verifier"]
