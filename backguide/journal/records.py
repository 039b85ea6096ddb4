"""What the store reads in or hands out whole: a folder's plan files, a person's record.

:meth:`Store.import_folder <backguide.journal.store.Store.import_folder>`
brings in the files :func:`plan_files` reads;
:meth:`Store.export_person <backguide.journal.store.Store.export_person>`
hands out :func:`person_record`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ..errors import BackguideError, Problem
from ..library import Library
from ..plan import Plan, load_plan
from ..planfile import plan_dict
from . import checks, models as m
from .checks import RECORD_FORMAT, RECORD_SCHEMA


def plan_files(folder: str | Path, *, lib: Library | None = None
               ) -> tuple[list[tuple[str, str, Plan, dt.date]], list[Problem]]:
    """The plan files of a saved-plan folder, oldest first, and what is wrong with
    those that do not read.

    Each file is ``(name, sha256 of its bytes, plan, the date it starts)``: a
    version starts on its file's modified date.
    """
    files, problems = [], []
    folder = Path(folder)
    paths = sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")
                    and p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))
    for path in paths:
        try:
            data = path.read_bytes()
            plan = checks.plan(load_plan(path, lib=lib))
            starts = dt.date.fromtimestamp(path.stat().st_mtime)
        except BackguideError as exc:
            problems.extend(exc.problems)
            continue
        except OSError as exc:
            problems.append(Problem(str(path), None, None, None, None,
                                    f"a file that can be read ({exc.strerror or exc})"))
            continue
        files.append((path.name, hashlib.sha256(data).hexdigest(), plan, starts))
    return files, problems


def person_record(conn, pid: int, load: Callable[[object], Plan]) -> dict:
    """Person ``pid``'s whole record (plans and journal) as JSON-able data, read on
    ``conn``; ``load`` turns a row of the plans table into its plan."""
    who = conn.execute(select(m.people).where(m.people.c.person == pid)).one()
    record = {"format": RECORD_FORMAT, "schema": RECORD_SCHEMA,
              "person": {"name": who.name, "clinician": who.clinician,
                         "created": who.created.isoformat()}, "plans": []}
    for v in conn.execute(select(m.plans).where(m.plans.c.person == pid)
                          .order_by(m.plans.c.version)):
        plan = load(v)
        record["plans"].append({
            "version": v.version, "starts": v.starts.isoformat(),
            "created": v.created.isoformat(), "follow": bool(v.follow),
            "plan": plan_dict(plan.meta, checks.entry_rows(plan.entries))})
    for table in ("done", "pain", "peg", "psfs", "signs"):
        record[table] = [
            {k: v.isoformat() if isinstance(v, dt.date) else v
             for k, v in row.items() if k not in ("person", "version")}
            for row in conn.execute(m.query(table, pid)).mappings()]
    return record
