"""What the journal's store accepts: every value checked before anything is written.

Each refusal is a :class:`JournalError` naming the field (``pain``,
``done[2].status``, ``peg.enjoyment``, ``person``), the value and what was
expected, so the check-in can point at the box to change.  These functions
touch no database; the store calls them, then writes in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import BackguideError, Problem
from ..library import Library, resolve
from ..plan import ENTRY_COLUMNS, Plan
from ..planfile import read_plan_dict
from ..schema import DAYS, DOSE_LIMIT_TABLE
from ..store import PlanExists, check_name
from .columns import DOSE_DONE, FEELINGS, PEG_ITEMS, PSFS_MAX, SCORE_RANGE, STATUSES

#: Longest name of a person, clinician or PSFS activity, in characters.
MAX_TEXT = 200
#: The columns a check-in's ``done`` table may have.
DONE_FIELDS = ("exercise", "status", "felt", "session", *DOSE_DONE)
#: What :meth:`Store.export_person` writes, and :meth:`Store.import_person` reads.
RECORD_FORMAT = "backguide journal"
#: 2: each plan version says whether it was followed (``follow``); a record of
#: schema 1 has every version followed, as every version then was.
RECORD_SCHEMA = 2


class JournalError(BackguideError):
    """A value the journal refuses; nothing was written.

    ``field`` names it: ``"pain"``, ``"done[2].status"``, ``"person"``.
    """

    @classmethod
    def of(cls, where: str, field: str, value, expected: str) -> JournalError:
        return cls(Problem(where, None, field, None, value, expected))

    @property
    def field(self) -> str | None:
        return self.problems[0].column


class PlanNameTaken(PlanExists):
    """The person already has a plan of this name; nothing was written.

    A :class:`backguide.store.PlanExists`: ``existing_name`` is the saved
    plan's name.  Save with ``replace=True`` to add a new version of it.
    """

    def __init__(self, existing_name: str, new_name: str):
        self.path = None
        self.existing_name = existing_name
        BackguideError.__init__(self, Problem(
            "the person's plans", None, "name", None, new_name,
            f"a name none of the person's plans has; {existing_name!r} is already saved "
            "(save with replace=True to add it as a new version)"))


class UnreadablePlans(BackguideError):
    """Some files of a saved-plan folder could not be read; the others were imported.

    ``problems`` names each file and why; ``imported`` is how many plans
    were imported.  The files are left in the folder.
    """

    def __init__(self, problems: list[Problem], imported: int):
        super().__init__(problems)
        self.imported = imported
        self.args = (f"{imported} plans imported; these files could not be read and were "
                     f"left in the folder:\n{self.args[0]}",)


def _blank(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def person_id(person) -> int:
    """``person`` as an int id (any int; whether it exists is the store's question)."""
    if isinstance(person, (bool, np.bool_)) or not isinstance(person, (int, np.integer)):
        raise JournalError.of("the store", "person", person,
                              "a person's id, a whole number (add_person gives one)")
    return int(person)


def text(value, where: str, field: str) -> str:
    """``value`` as text in NFC, ends stripped: not blank, at most
    :data:`MAX_TEXT` characters, no control characters."""
    if not isinstance(value, str) or not value.strip():
        raise JournalError.of(where, field, value, "text that is not blank")
    clean = unicodedata.normalize("NFC", value).strip()
    if len(clean) > MAX_TEXT or any(unicodedata.category(c) in ("Cc", "Cs") for c in clean):
        raise JournalError.of(where, field, clean[:40],
                              f"text of at most {MAX_TEXT} characters, without control "
                              "characters")
    return clean


def date(value, where: str, field: str, *, future: bool = False) -> dt.date:
    """``value`` (a date, datetime, Timestamp or ISO text) as a date; not after
    today unless ``future``."""
    day = None
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        day = None if pd.isna(value) else value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (str, np.datetime64)):
        try:
            stamp = pd.Timestamp(value)
            day = None if pd.isna(stamp) else stamp.date()
        except (ValueError, TypeError):
            day = None
    if day is None:
        raise JournalError.of(where, field, value, "a date such as 2026-03-02")
    today = dt.date.today()
    if not future and day > today:
        raise JournalError.of(where, field, day.isoformat(),
                              f"a day that is not in the future (today is {today})")
    return day


def score(value, where: str, field: str) -> int:
    """A 0 to 10 score as an int (7.0 is 7; 7.5, True and "7" are refused)."""
    low, high = SCORE_RANGE
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, np.integer, float, np.floating))
    if ok and isinstance(value, (float, np.floating)):
        ok = math.isfinite(value) and float(value).is_integer()
    if not ok or not low <= int(value) <= high:
        raise JournalError.of(where, field, value, f"a whole number from {low} to {high}")
    return int(value)


def plan(value) -> Plan:
    """``value`` if it is a :class:`~backguide.plan.Plan` with a name
    :func:`~backguide.store.check_name` accepts (cleaned)."""
    if not isinstance(value, Plan):
        raise JournalError.of("the plan", "plan", type(value).__name__, "a backguide Plan")
    name = check_name(value.name)
    return value if name == value.name else value.replace(name=name)


# --- plans as rows -------------------------------------------------------------------

def entry_rows(entries: pd.DataFrame) -> list[dict]:
    """A plan's entries as rows of the ``entries`` table (without person and version)."""
    rows = []
    for r in entries[list(ENTRY_COLUMNS)].to_dict("records"):
        r["day"] = str(r["day"])
        r["session"], r["order"] = int(r["session"]), int(r["order"])
        r["per_side"] = bool(r["per_side"])
        for k in ("sets", "reps", "hold_s", "rest_s", "minutes"):
            r[k] = None if _blank(r[k]) else float(r[k])
        rows.append(r)
    return rows


def plan_from_rows(version, rows: list) -> Plan:
    """A :class:`Plan` from a ``plans`` row and its ``entries`` rows."""
    frame = pd.DataFrame([dict(r) for r in rows], columns=[*ENTRY_COLUMNS])
    return Plan(name=version.name, person=version.plan_person, notes=version.notes,
                start=version.start, claims=tuple(version.claims or ()),
                entries=frame.astype({k: "float64" for k in
                                      ("sets", "reps", "hold_s", "rest_s", "minutes")}))


# --- a check-in ----------------------------------------------------------------------

def check_in_parts(*, done, pain, peg, psfs, signs, lib: Library | None = None,
                   where: str) -> dict[str, list[dict]]:
    """The parts given (not ``None``) as rows of their tables (without person and date)."""
    parts: dict[str, list[dict]] = {}
    if done is not None:
        parts["done"] = done_rows(done, where)
    if pain is not None:
        parts["pain"] = [{"nprs": score(pain, where, "pain")}]
    if peg is not None:
        if not isinstance(peg, Mapping) or set(peg) != set(PEG_ITEMS):
            got = sorted(peg) if isinstance(peg, Mapping) else peg
            raise JournalError.of(where, "peg", got,
                                  f"the three items {', '.join(PEG_ITEMS)}, each 0 to 10")
        parts["peg"] = [{k: score(peg[k], where, f"peg.{k}") for k in PEG_ITEMS}]
    if psfs is not None:
        parts["psfs"] = psfs_rows(psfs, where)
    if signs is not None:
        parts["signs"] = sign_rows(signs, where, lib=lib)
    return parts


def psfs_rows(psfs, where: str) -> list[dict]:
    if not isinstance(psfs, Mapping) or len(psfs) > PSFS_MAX:
        raise JournalError.of(where, "psfs", len(psfs) if isinstance(psfs, Mapping) else psfs,
                              f"up to {PSFS_MAX} activities, each named with a score 0 to 10")
    rows, seen = [], set()
    for name, value in psfs.items():
        activity = text(name, where, "psfs")
        if activity.casefold() in seen:
            raise JournalError.of(where, "psfs", activity, "each activity named once")
        seen.add(activity.casefold())
        rows.append({"activity": activity, "score": score(value, where, f"psfs[{activity!r}]")})
    return rows


def sign_rows(signs, where: str, *, lib: Library | None = None) -> list[dict]:
    guidance = resolve(lib).guidance
    known = guidance.index[guidance["sign"].fillna("").astype(str).str.strip() != ""]
    if isinstance(signs, (str, Mapping)) or not hasattr(signs, "__iter__"):
        raise JournalError.of(where, "signs", signs, "a list of warning signs' ids")
    rows = []
    for i, sign in enumerate(dict.fromkeys(signs)):
        if sign not in known:
            raise JournalError.of(where, f"signs[{i}]", sign,
                                  f"the id of a warning sign: {', '.join(known)}")
        rows.append({"sign": sign})
    return rows


def done_rows(done, where: str) -> list[dict]:
    """Each exercise's row of a check-in, its values checked (not yet against the plan)."""
    if isinstance(done, pd.DataFrame):
        columns, records = list(done.columns), done.to_dict("records")
    elif isinstance(done, (list, tuple)) and all(isinstance(r, Mapping) for r in done):
        records = [dict(r) for r in done]
        columns = list(dict.fromkeys(k for r in records for k in r))
    else:
        raise JournalError.of(where, "done", type(done).__name__,
                              "a table (or list of dicts) with exercise, status and felt")
    for c in columns:
        if c not in DONE_FIELDS:
            raise JournalError.of(where, "done", c,
                                  f"columns among {', '.join(DONE_FIELDS)}")
    rows = []
    for i, r in enumerate(records):
        field = f"done[{i}]"
        exercise = r.get("exercise")
        if not isinstance(exercise, str) or not exercise.strip():
            raise JournalError.of(where, f"{field}.exercise", exercise, "an exercise's id")
        status = r.get("status")
        if status not in STATUSES:
            raise JournalError.of(where, f"{field}.status", status,
                                  f"one of {', '.join(STATUSES)}")
        felt = None if _blank(r.get("felt")) else r.get("felt")
        if felt is not None and felt not in FEELINGS:
            raise JournalError.of(where, f"{field}.felt", felt,
                                  f"one of {', '.join(FEELINGS)}, or blank")
        if felt is not None and status == "skipped":
            raise JournalError.of(where, f"{field}.felt", felt,
                                  "blank for a skipped exercise")
        row = {"exercise": exercise.strip(), "status": status, "felt": felt,
               "session": None if _blank(r.get("session")) else r.get("session")}
        if row["session"] is not None:
            s = row["session"]
            if (isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer, float))
                    or not float(s).is_integer() or s < 0):
                raise JournalError.of(where, f"{field}.session", s,
                                      "a session's number from 0, or blank")
            row["session"] = int(s)
        for k in DOSE_DONE:
            v = r.get(k)
            limit = DOSE_LIMIT_TABLE[k]
            if _blank(v):
                row[k] = None
            elif (isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number))
                  or not limit.allows(float(v))):
                raise JournalError.of(where, f"{field}.{k}", v, limit.expected())
            else:
                row[k] = float(v)
        rows.append(row)
    return rows


def done_in_plan(rows: list[dict], day: dt.date, version: int | None, planned,
                 *, where: str) -> list[dict]:
    """``rows`` checked against the plan version in force on ``day`` (its
    ``planned`` entries: exercise, day, session), with ``version`` and each
    row's ``session`` filled in: the k-th row of an exercise without one
    takes the k-th session holding it that weekday (0 if none does)."""
    if version is None:
        raise JournalError.of(where, "done", day.isoformat(),
                              "a day on or after the start of one of the person's plans "
                              "(there is no plan in force that day)")
    in_plan = {e for e, _, _ in planned}
    weekday = DAYS[day.weekday()]
    sessions: dict[str, list[int]] = {}
    for e, d, s in sorted(planned, key=lambda p: p[2]):
        if d == weekday:
            sessions.setdefault(e, []).append(s)
    taken, out = set(), []
    for i, r in enumerate(rows):
        if r["exercise"] not in in_plan:
            raise JournalError.of(where, f"done[{i}].exercise", r["exercise"],
                                  f"an exercise in the plan in force that day (version "
                                  f"{version}: {', '.join(sorted(in_plan)) or 'empty'})")
        session = r["session"]
        if session is None:
            free = [s for s in sessions.get(r["exercise"], [0])
                    if (s, r["exercise"]) not in taken]
            session = free[0] if free else 0
        if (session, r["exercise"]) in taken:
            raise JournalError.of(where, f"done[{i}].exercise", r["exercise"],
                                  f"one row per exercise and session (session {session} "
                                  "has it already)")
        taken.add((session, r["exercise"]))
        out.append({**r, "session": session, "version": version, "place": i})
    return out


# --- a whole record ------------------------------------------------------------------

def record(data, *, lib: Library | None = None):
    """``(person, versions, days)`` of a record from ``Store.export_person``: the
    person's fields, their plan versions, and ``(date, parts)`` per day."""
    where = "the person's record"
    if not isinstance(data, Mapping) or data.get("format") != RECORD_FORMAT:
        raise JournalError.of(where, "format", None if not isinstance(data, Mapping)
                              else data.get("format"), f"{RECORD_FORMAT!r}")
    if data.get("schema") not in (1, RECORD_SCHEMA):
        raise JournalError.of(where, "schema", data.get("schema"),
                              f"{RECORD_SCHEMA} (a record from a newer backguide?)")
    p = data.get("person") if isinstance(data.get("person"), Mapping) else {}
    clinician = p.get("clinician")
    person = {"name": text(p.get("name"), where, "person.name"),
              "clinician": None if clinician is None
              else text(clinician, where, "person.clinician"),
              "created": _stamp(p.get("created"), where, "person.created")}
    known = resolve(lib).exercises.index
    versions, numbers = [], set()
    for i, v in enumerate(_list(data, "plans", where)):
        f = f"plans[{i}]"
        v = v if isinstance(v, Mapping) else {}
        number = v.get("version")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 \
                or number in numbers:
            raise JournalError.of(where, f"{f}.version", number,
                                  "a version number from 1, each once")
        numbers.add(number)
        follow = v.get("follow", True)  # a record from before plans could be only saved
        if not isinstance(follow, bool):
            raise JournalError.of(where, f"{f}.follow", follow, "true or false")
        meta, records = read_plan_dict(v.get("plan"), f"{where}, {f}.plan", known)
        frame = pd.DataFrame(records, columns=list(ENTRY_COLUMNS))
        versions.append({"version": number, "plan": plan(Plan(**meta, entries=frame)),
                         "starts": date(v.get("starts"), where, f"{f}.starts", future=True),
                         "created": _stamp(v.get("created"), where, f"{f}.created"),
                         "follow": follow})
    days: dict[dt.date, dict] = {}

    def day_of(row, field):
        return days.setdefault(date(row.get("date") if isinstance(row, Mapping) else None,
                                    where, f"{field}.date", future=True), {})

    for i, r in enumerate(_list(data, "done", where)):
        day_of(r, f"done[{i}]").setdefault("done", []).append(
            {k: v for k, v in r.items() if k != "date"})
    for i, r in enumerate(_list(data, "pain", where)):
        day_of(r, f"pain[{i}]")["pain"] = r.get("nprs")
    for i, r in enumerate(_list(data, "peg", where)):
        day_of(r, f"peg[{i}]")["peg"] = {k: r.get(k) for k in PEG_ITEMS}
    for i, r in enumerate(_list(data, "psfs", where)):
        day_of(r, f"psfs[{i}]").setdefault("psfs", {})[r.get("activity")] = r.get("score")
    for i, r in enumerate(_list(data, "signs", where)):
        day_of(r, f"signs[{i}]").setdefault("signs", []).append(r.get("sign"))
    checked = [(d, check_in_parts(**{k: parts.get(k) for k in
                                     ("done", "pain", "peg", "psfs", "signs")},
                                  lib=lib, where=f"{where}, {d}"))
               for d, parts in sorted(days.items())]
    return person, versions, checked


def _list(data: Mapping, key: str, where: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise JournalError.of(where, key, type(value).__name__, "a list")
    return value


def _stamp(value, where: str, field: str) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise JournalError.of(where, field, value, "a date and time such as "
                              "2026-03-02T09:30:00") from None
    return stamp.replace(tzinfo=None) if stamp.tzinfo is None else \
        stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)


__all__ = ["DONE_FIELDS", "JournalError", "PlanNameTaken", "RECORD_FORMAT", "RECORD_SCHEMA",
           "UnreadablePlans", "check_in_parts", "done_in_plan", "done_rows", "record",
           "score"]
