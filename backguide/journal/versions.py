"""A person's plan versions in the journal: the part of :class:`~.store.Store` that
saves, follows and loads plans.

Every save adds a version.  A version is followed (the plan in force from its
``starts``: what the check-in asks about and adherence counts) or only saved
under its name; :meth:`PlanVersions.plan` is the latest followed version
started by a day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, insert, select, true

from ..library import Library
from ..plan import Plan
from ..store import name_key
from . import checks, models as m, records
from .checks import JournalError, PlanNameTaken, UnreadablePlans


def _now() -> dt.datetime:
    """Now, in UTC without a zone: how the journal stores a moment."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class PlanVersions:
    """Plans as versions, for :class:`~.store.Store` (which gives ``_writing``,
    ``_engine`` and ``_known``)."""

    def set_plan(self, person: int, plan: Plan, *, starts) -> int:
        """Add ``plan`` as the person's next plan version, in force from ``starts``
        (a date); return the version.  Earlier versions stay."""
        plan = checks.plan(plan)
        starts = checks.date(starts, "the plan", "starts", future=True)
        with self._writing(person) as conn:
            return self._add_version(conn, int(person), plan, starts)

    def _add_version(self, conn, person: int, plan: Plan, starts: dt.date, *,
                     version: int | None = None, created: dt.datetime | None = None,
                     follow: bool = True) -> int:
        if version is None:
            last = conn.execute(select(func.max(m.plans.c.version))
                                .where(m.plans.c.person == person)).scalar()
            version = (last or 0) + 1
        conn.execute(insert(m.plans), {
            "person": person, "version": version, "starts": starts, "name": plan.name,
            "name_key": name_key(plan.name), "plan_person": plan.person, "notes": plan.notes,
            "start": plan.start, "claims": list(plan.claims), "created": created or _now(),
            "follow": bool(follow)})
        rows = checks.entry_rows(plan.entries)
        if rows:
            conn.execute(insert(m.entries), [{"person": person, "version": version, **r}
                                             for r in rows])
        return version

    def plan(self, person: int, *, on=None) -> Plan | None:
        """The plan version in force on ``on`` (a date; ``None`` is today): the
        latest followed version starting on or before it.  ``None`` if there is
        none (a plan only saved under its name is never in force)."""
        day = checks.date(dt.date.today() if on is None else on, "the plan", "on",
                          future=True)
        with self._engine.connect() as conn:
            pid = self._known(conn, person)
            row = self._in_force(conn, pid, day)
            return None if row is None else self._load(conn, pid, row)

    @staticmethod
    def _in_force(conn, person: int, day: dt.date):
        p = m.plans
        return conn.execute(select(p).where(p.c.person == person, p.c.starts <= day,
                                            p.c.follow.is_(true()))
                            .order_by(p.c.version.desc()).limit(1)).first()

    @staticmethod
    def _load(conn, person: int, row) -> Plan:
        rows = conn.execute(select(m.entries).where(m.entries.c.person == person,
                                                    m.entries.c.version == row.version))
        return checks.plan_from_rows(row, rows.mappings().all())

    def save_plan(self, person: int, plan: Plan, *, replace: bool = False,
                  follow: bool = False, starts=None) -> int:
        """Save ``plan`` under its name as the person's next plan version; return the
        version.  With ``follow``, it is the plan in force from ``starts`` (today by
        default), what the check-in asks about; without, it is only kept under its
        name (a routine, a week for later) until :meth:`follow` is asked.

        Raises
        ------
        backguide.store.PlanExists
            (a :class:`~.checks.PlanNameTaken`) if the person has a plan
            with the same name (:func:`backguide.store.name_key`) and
            ``replace`` is false; nothing is written.  Of two processes
            saving one name at once, one saves and the other gets this.
        """
        plan = checks.plan(plan)
        starts = checks.date(dt.date.today() if starts is None else starts, "the plan",
                             "starts", future=True)
        p = m.plans
        with self._writing(person) as conn:
            existing = conn.execute(
                select(p.c.name).where(p.c.person == int(person),
                                       p.c.name_key == name_key(plan.name))
                .order_by(p.c.version.desc()).limit(1)).scalar()
            if existing is not None and not replace:
                raise PlanNameTaken(existing, plan.name)
            return self._add_version(conn, int(person), plan, starts, follow=follow)

    def follow(self, person: int, name: str, *, starts=None) -> int:
        """Follow the person's plan called ``name`` (its latest version) from ``starts``
        (today by default): it becomes the plan in force, as a new version; return
        the version."""
        plan = self.load_plan(person, name)
        starts = checks.date(dt.date.today() if starts is None else starts, "the plan",
                             "starts", future=True)
        with self._writing(person) as conn:
            return self._add_version(conn, int(person), plan, starts)

    def plan_names(self, person: int) -> list[str]:
        """The names of the person's plans (each name's latest spelling), A to Z."""
        p = m.plans
        with self._engine.connect() as conn:
            pid = self._known(conn, person)
            rows = conn.execute(select(p.c.name_key, p.c.name).where(p.c.person == pid)
                                .order_by(p.c.version)).all()
        latest = {key: name for key, name in rows}
        return sorted(latest.values(), key=lambda n: (n.casefold(), n))

    def load_plan(self, person: int, name: str) -> Plan:
        """The latest version of the person's plan called ``name``."""
        p = m.plans
        with self._engine.connect() as conn:
            pid = self._known(conn, person)
            key = name_key(checks.text(name, "the plan", "name"))
            row = conn.execute(select(p).where(p.c.person == pid, p.c.name_key == key)
                               .order_by(p.c.version.desc()).limit(1)).first()
            if row is None:
                names = ", ".join(repr(n) for n in self.plan_names(pid)) or "none yet"
                raise JournalError.of("the plans", "name", name,
                                      f"the name of one of the person's plans ({names})")
            return self._load(conn, pid, row)

    def import_folder(self, folder: str | Path, *, person: int | None = None,
                      lib: Library | None = None) -> int:
        """Import the plan files of a saved-plan folder (:class:`backguide.store.PlanStore`)
        as plan versions of ``person`` (``None``: :meth:`me`); return how many.

        Oldest file first; each version starts on its file's modified date, and
        is saved under its name, not followed (the person chooses which to
        follow: :meth:`follow`).
        A file already imported (same name, same content) is not imported
        again.  The files are left as they are.

        Raises
        ------
        UnreadablePlans
            After importing the files that read, naming each one that does
            not and why; ``imported`` says how many were imported.
        """
        files, problems = records.plan_files(folder, lib=lib)
        person = self.me() if person is None else person
        imported = 0
        with self._writing(person) as conn:
            t = m.imports
            seen = set(conn.execute(select(t.c.file, t.c.sha256)
                                    .where(t.c.person == int(person))).all())
            for name, digest, plan, starts in files:
                if (name, digest) in seen:
                    continue
                version = self._add_version(conn, int(person), plan, starts, follow=False)
                conn.execute(insert(t), {"person": int(person), "file": name,
                                         "sha256": digest, "version": version,
                                         "imported": _now()})
                imported += 1
        if problems:
            raise UnreadablePlans(problems, imported)
        return imported
