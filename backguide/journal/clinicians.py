"""A clinician's login over time: a lost password re-issued, a leaver's login revoked.

Both run as the tables' owner (a role with ``CREATEROLE``): PostgreSQL lets any
role change its own password, so a clinician's own role is refused first.  The
password is made and stored as :mod:`.clinic` makes it for
:func:`~.clinic.add_clinician`: a SCRAM-SHA-256 verifier, never the password.
On SQLite there are no roles, so nothing to re-issue or revoke (:class:`NoLogin`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from ..errors import BackguideError
from ..words import count
from . import models as m
from .checks import JournalError
from .clinic import (_ROLE_LOCK, APP_ROLE, _login_url, _new_password_clause, is_postgres,
                     my_clinician)

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
