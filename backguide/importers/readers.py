"""Read a source into rows: free-exercise-db's JSON, or a CSV or Excel sheet by a mapping.

Each row is a dict in free-exercise-db's keys (``name``, ``primaryMuscles`` ...),
or the guide's field names for a sheet, with ``_extra`` holding a sheet's columns
the mapping does not name.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import BackguideError

__all__ = ["SHEET_FIELDS", "read_json", "read_sheet", "text", "items"]

#: The guide's fields a sheet's mapping may name (guide field -> the sheet's column).
SHEET_FIELDS = ("id", "name", "category", "level", "difficulty", "position", "equipment",
                "primary_muscles", "secondary_muscles", "steps", "cautions", "images",
                "licence", "author", *schema.DOSE_FIELDS, "per_side")

LIST_SPLIT = re.compile(r"\s*[;,]\s*")
STEP_SPLIT = re.compile(r"\s*\|\s*|\n+")


def text(x) -> str:
    """A cell or JSON value as stripped text; ``""`` for None or NaN."""
    if x is None or (isinstance(x, float) and x != x):
        return ""
    return str(x).strip()


def items(x) -> list[str]:
    """A list from a JSON list, or a sheet cell split on ``;`` or ``,``."""
    if isinstance(x, (list, tuple)):
        return [t for t in (text(i) for i in x) if t]
    return [t for t in LIST_SPLIT.split(text(x)) if t]


def read_json(path: Path) -> list[dict]:
    if path.is_dir():
        found = [p for p in (path / "exercises.json", path / "dist" / "exercises.json")
                 if p.is_file()]
        if not found:  # the project's exercises/ folder: one JSON file per exercise
            files = sorted(path.glob("*.json")) or sorted((path / "exercises").glob("*.json"))
            if not files:
                raise BackguideError.at(path, "a folder holding exercises.json, "
                                        "dist/exercises.json or one JSON file per exercise")
            return [load_json(f) for f in files]
        path = found[0]
    data = load_json(path)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise BackguideError.at(path, "a JSON list of exercises (objects with a name)")
    return data


def load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BackguideError.at(path, f"a readable JSON file ({e})") from None


def read_sheet(path: Path, mapping: dict[str, str]) -> list[dict]:
    """A CSV or Excel sheet's rows as free-exercise-db's keys, by ``mapping``."""
    bad = [k for k in mapping if k not in SHEET_FIELDS]
    if bad:
        raise BackguideError.at(path, "a mapping from the guide's fields (" +
                                ", ".join(SHEET_FIELDS) + ") to the sheet's columns",
                                value=bad[0])
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise BackguideError.at(path, "a CSV or an Excel .xlsx sheet (save this "
                                f"{suffix} file as 'Excel Workbook (.xlsx)' or 'CSV UTF-8')")
    try:
        if suffix in (".xlsx", ".xlsm"):  # the first sheet; blank cells stay blank
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ImportError, ValueError, OSError, zipfile.BadZipFile) as e:
        raise BackguideError.at(path, f"a readable CSV or Excel sheet ({e})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.startswith("Unnamed:") or frame[c].fillna("").ne("").any()
                          for c in frame.columns]]
    missing = [c for c in mapping.values() if c not in frame.columns]
    if missing:
        raise BackguideError.at(path, "a column named in the mapping; the sheet has: " +
                                ", ".join(frame.columns), column=missing[0], line=1)
    if "name" not in mapping:
        raise BackguideError.at(path, "a mapping that names the sheet's column of exercise "
                                "names, such as mapping={'name': 'Exercise'}")
    rows = []
    theirs = set(mapping.values())
    for record in frame.to_dict("records"):
        row = {k: record[c] for k, c in mapping.items()}
        row["_extra"] = {c: text(v) for c, v in record.items() if c not in theirs}
        rows.append(row)
    return rows
