"""Plan files: reading and writing a week's plan as JSON, checked field by field.

This module knows the file format and nothing of the :class:`~backguide.plan.Plan`
class.  It deals in plain data:

``meta``
    ``{"name": str, "person": str, "notes": str, "start": date | None,
    "claims": tuple[str, ...]}``
``records``
    One dict per entry, in plan order, with the keys of :data:`RECORD_FIELDS`:
    the ``day``, the ``session`` (its index within the day), the
    ``session_name``, the entry's ``order`` in the session, then the
    :data:`ENTRY_FIELDS` (doses are ``float`` or ``None``).  A session with no
    entries has no records, so it is not kept; session indices count only the
    sessions that have entries.

A file is read whole and checked before anything is returned; any fault is a
:class:`~backguide.errors.BackguideError` naming the file and the field
(``days.Monday[0].entries[2].reps``) or, for broken JSON, the line.  Whatever
loads can be written again by :func:`plan_json_text` and reads back the same.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import BackguideError
from . import schema
from .schema import DAYS, DoseLimit
from .tables import read_text

#: The plan file format's version.  A file from a newer backguide is refused.
SCHEMA_VERSION = 1

#: The fields of one entry in a plan file, in the order they are written.
ENTRY_FIELDS = ("exercise", "sets", "reps", "hold_s", "rest_s", "per_side", "minutes",
                "dose_source")

#: The keys of one record from :func:`read_plan_dict`, in order.
RECORD_FIELDS = ("day", "session", "session_name", "order", *ENTRY_FIELDS)

#: Deepest nesting of lists and objects accepted.  A plan needs six levels;
#: the limit stops a hostile file from exhausting Python's recursion.
MAX_DEPTH = 64

# A JSON string (closing quote optional, so an unclosed one runs to the end of
# the text) or a bracket: what the nesting check looks at.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


# --- reading text ----------------------------------------------------------------

class _BadNumber(str):
    """A number literal no float can hold (``1e400``, ``NaN``); reported with its field."""


class _Duplicated(dict):
    """An object in which the key ``duplicate`` appears more than once."""

    duplicate: str


def _float(literal: str):
    x = float(literal)
    return x if math.isfinite(x) else _BadNumber(literal)


def _int(literal: str):
    # float() first: it never fails, and a literal too long for int() (over
    # 4300 digits) is far too big for a float too.
    if not math.isfinite(float(literal)):
        return _BadNumber(literal)
    return int(literal)


def _object(pairs: list[tuple[str, object]]) -> dict:
    d = dict(pairs)
    if len(d) == len(pairs):
        return d
    # A key came twice: mark the object, so the check can name where it is.
    out = _Duplicated(d)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            out.duplicate = key
            break
        seen.add(key)
    return out


def _shown(text: str) -> str:
    """Text safe to print: a lone surrogate becomes its ``\\udxxx`` escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _savable(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (no lone surrogate code point)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _check_depth(text: str, path: str) -> None:
    """Refuse lists and objects nested deeper than :data:`MAX_DEPTH`, before parsing."""
    depth = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise BackguideError.at(
                    path, f"lists and objects nested at most {MAX_DEPTH} deep",
                    line=_line_of(text, m.start()), value=f"{depth} levels")
        elif token in ("]", "}"):
            depth -= 1


def _check_values(value, where: str, path: str) -> None:
    """Refuse, naming the field, numbers too big for a float, lone surrogates
    and repeated keys, anywhere in the parsed document.

    Recursion is safe here: :func:`_check_depth` has bounded the nesting.
    """
    def field(key: str) -> str:
        return f"{where}.{_shown(key)}" if where else _shown(key)

    if isinstance(value, _BadNumber):
        raise BackguideError.at(path, "a finite number (NaN, Infinity and numbers beyond "
                                "1e308 cannot be stored)", column=where or "(top level)",
                                value=value if len(value) <= 40 else
                                f"{value[:20]}... ({len(value)} characters)")
    if isinstance(value, str):
        if not _savable(value):
            raise BackguideError.at(path, "text without lone surrogate characters "
                                    "(\\ud800 to \\udfff)", column=where or "(top level)",
                                    value=value)
    elif isinstance(value, dict):
        if isinstance(value, _Duplicated):
            raise BackguideError.at(path, "each key once in an object; this key appears "
                                    "more than once", column=field(value.duplicate),
                                    value=_shown(value.duplicate))
        for key, v in value.items():
            if not _savable(key):
                raise BackguideError.at(path, "a key without lone surrogate characters "
                                        "(\\ud800 to \\udfff)", column=field(key), value=key)
            _check_values(v, field(key), path)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_values(v, f"{where}[{i}]", path)


def parse_plan_text(text: str, path: str) -> dict:
    """The JSON object in ``text``, checked so that it can be written again.

    Refuses, as a :class:`BackguideError` naming ``path``: text that is empty
    or not JSON (with the line), nesting deeper than :data:`MAX_DEPTH`,
    numbers a float cannot hold (``1e400``, ``NaN``, ``Infinity``), text with a
    lone surrogate (``"\\ud800"``), a key repeated in one object, and a top
    level that is not an object.  Only the JSON is checked here; the plan's
    fields are checked by :func:`read_plan_dict`.
    """
    path = str(path)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise BackguideError.at(path, "a plan (a JSON object); the file is empty", line=1)
    _check_depth(text, path)
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_float=_float,
                          parse_int=_int, parse_constant=_BadNumber)
    except json.JSONDecodeError as exc:
        expected = f"valid JSON ({exc.msg} at character {exc.colno})"
        if not text[exc.pos:].strip():
            expected += "; the file ends there, so it may have been saved only in part"
        # The text of the line at fault (found from the text itself: the line
        # may be past the last newline, where splitlines() has no entry).
        start = text.rfind("\n", 0, exc.pos) + 1
        end = text.find("\n", exc.pos)
        shown = text[start:end if end >= 0 else len(text)].strip()[:40]
        raise BackguideError.at(path, expected, line=exc.lineno,
                                value=_shown(shown) or None) from None
    except RecursionError:  # a safety net: _check_depth should have caught this
        raise BackguideError.at(path, f"lists and objects nested at most {MAX_DEPTH} deep",
                                value="deeper nesting") from None
    if not isinstance(data, dict):
        raise BackguideError.at(path, "a JSON object describing a plan", column="(top level)",
                                value=type(data).__name__)
    _check_values(data, "", path)
    return data


# --- reading a plan ----------------------------------------------------------------

class _Reader:
    """Reads a plan dictionary, naming the field of any fault."""

    def __init__(self, path: str, exercises: Container | None):
        self.path = path
        # A library DataFrame holds its ids in its index; ``in`` on the frame
        # itself would look at its column names.
        if isinstance(exercises, pd.DataFrame):
            exercises = exercises.index
        self.exercises = exercises

    def fail(self, fieldname: str, value, expected: str):
        raise BackguideError.at(self.path, expected, column=fieldname, value=value)

    def text(self, d: dict, key: str, where: str) -> str:
        v = d.get(key, "")
        if not isinstance(v, str):
            self.fail(f"{where}{key}", v, "text")
        self.savable(v, f"{where}{key}")
        return v

    def savable(self, v: str, fieldname: str) -> None:
        if not _savable(v):
            self.fail(fieldname, v, "text without lone surrogate characters (\\ud800 to \\udfff)")

    def meta(self, d) -> dict:
        if not isinstance(d, dict):
            self.fail("(top level)", type(d).__name__, "a JSON object describing a plan")
        version = d.get("schema")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("schema", version, f"a schema version number (this backguide reads "
                      f"up to {SCHEMA_VERSION})")
        if version > SCHEMA_VERSION:
            self.fail("schema", version, f"schema version {SCHEMA_VERSION} or older; this file "
                      "was saved by a newer backguide, so update backguide to open it")
        start = d.get("start")
        if start is not None:
            try:
                start = date.fromisoformat(start)
            except (TypeError, ValueError):
                self.fail("start", start, "a date such as 2026-11-23, or null")
        claims = d.get("claims", [])
        if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
            self.fail("claims", claims, "a list of guidance ids")
        for i, c in enumerate(claims):
            self.savable(c, f"claims[{i}]")
        return {"name": self.text(d, "name", ""), "person": self.text(d, "person", ""),
                "notes": self.text(d, "notes", ""), "start": start, "claims": tuple(claims)}

    def records(self, d: dict) -> list[dict]:
        days = d.get("days", {})
        if not isinstance(days, dict):
            self.fail("days", type(days).__name__, "an object with a list of sessions per day")
        for day in days:
            if day not in DAYS:
                self.fail(f"days.{day}", day, f"a day: {', '.join(DAYS)}")
        records = []
        for day in DAYS:
            sessions = days.get(day, [])
            if not isinstance(sessions, list):
                self.fail(f"days.{day}", sessions, "a list of sessions")
            kept = 0  # sessions with entries so far: the next one's index
            for i, s in enumerate(sessions):
                where = f"days.{day}[{i}]"
                if not isinstance(s, dict) or not isinstance(s.get("entries", []), list):
                    self.fail(where, s, "a session: {\"name\": ..., \"entries\": [...]}")
                name = self.text(s, "name", f"{where}.")
                entries = s.get("entries", [])
                for j, e in enumerate(entries):
                    records.append({"day": day, "session": kept, "session_name": name,
                                    "order": j, **self.entry(e, f"{where}.entries[{j}]")})
                kept += bool(entries)
        return records

    def entry(self, e, where: str) -> dict:
        if not isinstance(e, dict):
            self.fail(where, e, "an entry: {\"exercise\": ..., dose fields}")
        for key in e:
            if key not in ENTRY_FIELDS:
                self.fail(f"{where}.{key}", key,
                          f"one of the entry fields: {', '.join(sorted(ENTRY_FIELDS))}")
        ex = e.get("exercise")
        if (not isinstance(ex, str) or not ex or not _savable(ex)
                or (self.exercises is not None and ex not in self.exercises)):
            self.fail(f"{where}.exercise", ex, "the id of an exercise in the library")
        out = {"exercise": ex}
        limits = schema.DOSE_LIMIT_TABLE
        for key in ENTRY_FIELDS[1:]:
            if key in limits:
                out[key] = self.dose(e.get(key), f"{where}.{key}", limits[key])
        per_side = e.get("per_side", False)
        if not isinstance(per_side, bool):
            self.fail(f"{where}.per_side", per_side, "true or false")
        out["per_side"] = per_side
        source = e.get("dose_source", "default")
        if not isinstance(source, str) or not source:
            self.fail(f"{where}.dose_source", source, "'default', 'custom' or a source id")
        self.savable(source, f"{where}.dose_source")
        out["dose_source"] = source
        return {k: out[k] for k in ENTRY_FIELDS}

    def dose(self, v, fieldname: str, limit: DoseLimit) -> float | None:
        if v is None:
            return None
        # bool is an int to Python but not a dose.  The range test comes before
        # float(): it is exact for any int, and false for NaN.
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not limit.allows(v):
            self.fail(fieldname, v, limit.expected("null"))
        return float(v)


def read_plan_dict(d, path: str, exercises: Container | None = None
                   ) -> tuple[dict, list[dict]]:
    """The ``(meta, records)`` of a plan's dictionary form, checked field by field.

    With ``exercises`` (anything ``in`` works on, such as a set of ids or a
    library DataFrame's index), every entry's exercise must be in it.
    ``path`` is the file named in errors.
    """
    reader = _Reader(str(path), exercises)
    meta = reader.meta(d)
    return meta, reader.records(d)


def read_plan_file(path: str | Path, exercises: Container | None = None
                   ) -> tuple[dict, list[dict]]:
    """The ``(meta, records)`` of a plan file saved by :func:`plan_json_text`.

    Raises
    ------
    BackguideError
        Naming the file and the field (``days.Monday[0].entries[2].reps``)
        or line, for a missing, empty or non-UTF-8 file, malformed JSON, a
        newer schema version, an unknown exercise or an impossible dose (one
        outside its range in :data:`backguide.schema.DOSE_LIMIT_TABLE`).
    """
    path = Path(path)
    text = read_text(path, kind="plan")
    return read_plan_dict(parse_plan_text(text, str(path)), str(path), exercises)


# --- writing -------------------------------------------------------------------------

def _plain(v):
    """A NumPy scalar as the Python value it holds; anything else as it is."""
    return v.item() if isinstance(v, np.generic) else v


def _dose(v):
    """A dose as the file holds it: a float, or ``None`` for blank (``None``, NaN, NA).

    Anything else is passed on unchanged, for the check to refuse.
    """
    v = _plain(v)
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def plan_dict(meta: dict, records: list[dict]) -> dict:
    """The file's dictionary form of ``meta`` and ``records`` (not checked).

    Records are grouped into sessions by ``(day, session)``, sorted by day,
    session and ``order``; a session takes the ``session_name`` of its first
    record.  Blank doses may be ``None``, NaN or ``pd.NA``, and NumPy scalars
    are accepted, so the rows of a DataFrame can be passed as they are.
    """
    start = meta.get("start")
    if isinstance(start, datetime):  # a datetime or pandas Timestamp: keep its day
        start = start.date()
    days: dict[str, list[dict]] = {day: [] for day in DAYS}
    day_order = {day: i for i, day in enumerate(DAYS)}

    def position(r):  # an unknown day sorts last, and is refused by the check
        return day_order.get(r["day"], len(DAYS)), int(r["session"]), int(r["order"])

    last = None
    for r in sorted(records, key=position):
        day = _plain(r["day"])
        if (day, int(r["session"])) != last:
            last = (day, int(r["session"]))
            days.setdefault(day, []).append({"name": _plain(r["session_name"]),
                                             "entries": []})
        days[day][-1]["entries"].append(
            {k: _dose(r[k]) if k in schema.DOSE_FIELDS else _plain(r[k])
             for k in ENTRY_FIELDS})
    return {
        "schema": SCHEMA_VERSION,
        "name": meta.get("name", ""),
        "person": meta.get("person", ""),
        "notes": meta.get("notes", ""),
        "start": start.isoformat() if start is not None else None,
        "claims": list(meta.get("claims", ())),
        "days": days,
    }


def plan_json_text(meta: dict, records: list[dict]) -> str:
    """The plan file's text for ``meta`` and ``records``: the inverse of
    :func:`read_plan_dict`.

    Schema-1 JSON, indented by two spaces, non-ASCII written as itself, with a
    final newline.  What is written is checked as a loaded file would be, so
    a save never writes a file that would not load again: an impossible dose
    or a lone surrogate raises :class:`BackguideError` instead.
    """
    d = plan_dict(meta, records)
    read_plan_dict(d, "(the plan being saved)")
    return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
