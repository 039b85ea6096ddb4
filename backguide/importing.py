"""Bring a public or a clinic's exercise set into a library folder, keeping what it said.

:func:`import_library` reads free-exercise-db's JSON (one file, or a folder
holding ``exercises.json`` or ``dist/exercises.json``), or a CSV or Excel sheet
with a column mapping, and writes a folder that
:func:`backguide.load_library` loads:

``exercises.csv``
    One row per exercise.  The guide's groups sit beside the source's own words:
    ``primary_muscles`` holds "arms" where ``primary_muscle_words`` holds
    "biceps"; ``equipment`` the equipment kind, ``equipment_words`` the source's
    word.  What the guide has no column for is kept in ``source_*`` columns
    (``source_id``, ``source_level``, ``source_force`` ...) and ``images``.
    Position, dose and difficulty the source does not give are left blank:
    unknown, not guessed.
``equipment.csv``
    The equipment kinds the import adds to :data:`backguide.schema.EQUIPMENT`
    (only when it adds any).
``sources.csv``
    One row for the imported set (it adds to the shipped sources).
``difficulty.csv``
    The table that set each difficulty from the source's category and level
    (:data:`DIFFICULTY_TABLE`): edit it and import again with
    ``difficulty=folder / "difficulty.csv"``.

From the command line: ``python -m backguide.importing SOURCE --to FOLDER``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schema, tables
from .errors import BackguideError
from .importers import readers
from .importers.readers import SHEET_FIELDS
from .importers.vocab import (CATEGORY_GROUPS, DIFFICULTY_TABLE, EQUIPMENT_KINDS,
                               MUSCLE_GROUPS, difficulty_of, difficulty_rules)
from .library import shipped_library

__all__ = ["ImportReport", "import_library", "MUSCLE_GROUPS", "EQUIPMENT_KINDS",
           "CATEGORY_GROUPS", "DIFFICULTY_TABLE", "SHEET_FIELDS"]


@dataclass
class ImportReport:
    """What an import did: how each source word was mapped, and what could not be.

    ``mapped[field]`` counts each ``(source word, guide word)`` pair;
    ``unmapped[field]`` counts the source words that found no guide word (kept in
    the source's own column); ``blank[field]`` counts exercises the source gave
    nothing for (left unknown).  ``kept`` names the columns that keep the
    source's own words; ``added_equipment`` the equipment kinds added;
    ``renamed`` the source ids given a new id, as the shipped library (or an
    earlier row) has theirs already.
    """

    source: str
    folder: str
    exercises: int = 0
    mapped: dict[str, Counter] = field(default_factory=dict)
    unmapped: dict[str, Counter] = field(default_factory=dict)
    blank: Counter = field(default_factory=Counter)
    kept: tuple[str, ...] = ()
    added_equipment: tuple[str, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)

    def _count(self, table: dict[str, Counter], name: str, key) -> None:
        table.setdefault(name, Counter())[key] += 1

    def __str__(self) -> str:
        lines = [f"Imported {self.exercises} exercises from {self.source} into {self.folder}."]
        for name, pairs in self.mapped.items():
            total = sum(pairs.values())
            words = ", ".join(f"{a} -> {b} ({n})" if a != b else f"{a} ({n})"
                              for (a, b), n in sorted(pairs.items()))
            lines.append(f"Mapped {name}: {total} ({words}).")
        for name, words in self.unmapped.items():
            listed = ", ".join(f"{w!r} ({n})" for w, n in sorted(words.items()))
            lines.append(f"Could not map {name}: {sum(words.values())} ({listed}); "
                         "kept in the source's own words only.")
        for name, n in sorted(self.blank.items()):
            lines.append(f"Left blank (unknown) {name}: {n} of {self.exercises}.")
        if self.renamed:
            n = len(self.renamed)
            lines.append(f"New ids for {n} exercise{'' if n == 1 else 's'} whose id the "
                         "shipped library (or an earlier row) has already: " + ", ".join(
                             f"{a} -> {b}" for a, b in self.renamed.items()) + ".")
        if self.added_equipment:
            lines.append("Equipment kinds added: " + ", ".join(self.added_equipment) + ".")
        if self.kept:
            lines.append("The source's own words are kept in: " + ", ".join(self.kept) + ".")
        return "\n".join(lines)


def _id(raw: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", raw.lower()).strip("_") or "exercise"
    if not base[0].isalpha():
        base = f"x_{base}"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


#: free-exercise-db's keys and the guide's names for them.
_FREE_DB = {"primaryMuscles": "primary_muscles", "secondaryMuscles": "secondary_muscles",
            "instructions": "steps"}
_USED = {"id", "name", "category", "level", "equipment", "primary_muscles",
         "secondary_muscles", "steps", "images", "licence", "author", "difficulty",
         "position", "cautions", "per_side", *schema.DOSE_FIELDS}


def _convert(rows: list[dict], report: ImportReport, rules, *, licence: str,
             author: str, source_ref: str, taken: set[str]) -> tuple[list[dict], list[str]]:
    """The exercise table's rows from the source's, with the report filled in; ids
    are new, beside the ``taken`` ones."""
    taken = set(taken)
    out, added = [], []
    for raw in rows:
        r = {_FREE_DB.get(k, k): v for k, v in raw.items()}
        extra = dict(r.pop("_extra", {}))
        extra.update({k: v for k, v in r.items() if k not in _USED})
        name = readers.text(r.get("name"))
        source_id = readers.text(r.get("id")) or name
        if not source_id:
            report.blank["name (row skipped)"] += 1
            continue
        row = {"id": _id(source_id, taken), "name": name or source_id}
        if row["id"] != _id(source_id, set()):
            report.renamed[source_id] = row["id"]

        word = readers.text(r.get("category")).lower()
        cat = CATEGORY_GROUPS.get(word, word if word in schema.CATEGORIES else "")
        if cat:
            report._count(report.mapped, "category", (word, cat))
        else:
            # The guide needs a category: filed under one, and the report says which.
            cat = "strength" if word else "mobility"
            report._count(report.unmapped, f"category (filed as {cat})", word or "(blank)")
            extra.setdefault("category", word)
        row["category"] = cat

        for key in ("primary_muscles", "secondary_muscles"):
            words = readers.items(r.get(key))
            groups = []
            for w in words:
                g = MUSCLE_GROUPS.get(w.lower())
                if g is None and w.lower() in schema.MUSCLES:
                    g = w.lower()
                if g is None:
                    report._count(report.unmapped, key, w)
                else:
                    report._count(report.mapped, key, (w, g))
                    groups.append(g)
            row[key] = ";".join(dict.fromkeys(groups))
            row[key.replace("muscles", "muscle_words")] = ";".join(words)
            if not words:
                report.blank[key] += 1

        words = readers.items(r.get("equipment"))
        kinds = []
        for w in words:
            k = EQUIPMENT_KINDS.get(w.lower(), w.lower())
            report._count(report.mapped, "equipment", (w, k))
            kinds.append(k)
            if k not in schema.EQUIPMENT and k not in added:
                added.append(k)
        if not words:
            report.blank["equipment"] += 1
        row["equipment"] = ";".join(dict.fromkeys(kinds))
        row["equipment_words"] = ";".join(words)

        position = readers.text(r.get("position")).lower()
        if position and position not in schema.POSITIONS:
            report._count(report.unmapped, "position", position)
            extra.setdefault("position", position)
            position = ""
        if not position:
            report.blank["position"] += 1
        row["position"] = position

        level = readers.text(r.get("level")).lower()
        difficulty = readers.text(r.get("difficulty")).lower()
        if difficulty not in schema.DIFFICULTIES:
            if difficulty:
                extra.setdefault("difficulty", difficulty)
            difficulty = difficulty_of(rules, word, level)
            basis = f"{word or 'no category'}, {level or 'no level'} in the source"
        else:
            basis = "given by the source"
        if difficulty:
            report._count(report.mapped, "difficulty", (f"{word}/{level}", difficulty))
        else:
            report.blank["difficulty"] += 1
        row["difficulty"] = difficulty
        row["difficulty_basis"] = basis if difficulty else ""

        dosed = False
        for f in schema.DOSE_FIELDS:
            said = readers.text(r.get(f))
            x = pd.to_numeric(said, errors="coerce")
            if said and (x != x or not schema.DOSE_LIMIT_TABLE[f].allows(x)):
                report._count(report.unmapped, f, said)  # kept as source_<field>
                extra.setdefault(f, said)
                x = float("nan")
            row[f] = "" if x != x else f"{x:g}"
            dosed |= bool(row[f])
        if not dosed:
            report.blank["dose"] += 1
        side = readers.text(r.get("per_side")).lower()
        if side not in _FLAGS:
            report._count(report.unmapped, "per_side", side)
            extra.setdefault("per_side", side)
            side = ""
        row["per_side"] = side

        steps = [s for s in (readers.text(x) for x in (
            r.get("steps") if isinstance(r.get("steps"), list)
            else readers.STEP_SPLIT.split(readers.text(r.get("steps"))))) if s]
        if not steps:
            report.blank["steps"] += 1
            steps = ["The source gives no instructions: ask your clinician."]
        row["steps"] = "|".join(s.replace("|", "/") for s in steps)
        row["cautions"] = "|".join(readers.items(r.get("cautions")))
        row["sources"] = source_ref
        row["licence"] = readers.text(r.get("licence")) or licence
        row["author"] = readers.text(r.get("author")) or author
        row["images"] = ";".join(readers.items(r.get("images")))
        row["source_id"] = source_id
        row["source_category"] = readers.text(r.get("category"))
        row["source_level"] = readers.text(r.get("level"))
        for k, v in extra.items():
            row[f"source_{k}"] = (";".join(readers.items(v)) if isinstance(v, list)
                                  else readers.text(v))
        out.append(row)
    report.exercises = len(out)
    return out, added


#: The words a ``flag`` column reads (:mod:`backguide.tables`), and blank.
_FLAGS = tuple(tables._FLAGS)

#: The exercise table's columns as written, then the source's own columns.
_COLUMNS = [c.name for c in schema.EXERCISES.columns]


def _csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _sources_csv(ref: str, title: str, author: str, url: str) -> str:
    """The imported set's row of ``sources.csv`` (it adds to the shipped sources)."""
    columns = [c.name for c in schema.SOURCES.columns]
    return _csv([{"id": ref, "kind": "outside", "title": title, "author": author,
                  "url": url}], columns)


def _write(folder: Path, files: dict[str, str], replace: bool) -> None:
    """Write ``files`` into ``folder`` whole: all of them, or none (through a
    temporary folder beside it and :func:`os.replace`)."""
    if folder.exists() and not folder.is_dir():
        raise BackguideError.at(folder, "a folder to write the library into, not a file")
    held = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    if held and not replace:
        raise BackguideError.at(folder, "an empty or new folder to write the library into "
                                "(pass replace=True, or --replace, to write over it)",
                                value=", ".join(held[:5]) + (" ..." if len(held) > 5 else ""))
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def import_library(source, *, to, mapping: dict[str, str] | None = None,
                   licence: str | None = None, author: str | None = None,
                   difficulty=None, title: str | None = None, url: str = "",
                   replace: bool = False) -> ImportReport:
    """Import an exercise set into a library folder that :func:`backguide.load_library` loads.

    Parameters
    ----------
    source : str or Path
        free-exercise-db's JSON (a file, or its folder), or a CSV or Excel sheet.
    to : str or Path
        The library folder to write.  It must be new or empty unless ``replace``.
    mapping : dict, optional
        For a sheet: the guide's field -> the sheet's column, from
        :data:`SHEET_FIELDS` (``{"name": "Exercise", "primary_muscles": "Target"}``);
        ``name`` is needed.  The sheet's other columns are kept as ``source_<column>``.
    licence, author : str, optional
        The licence and the author to carry on every exercise (a sheet's own
        ``licence`` and ``author`` columns win).  For free-exercise-db, by default
        "Unlicense (public domain)" and "free-exercise-db contributors".
    difficulty : path or DataFrame, optional
        The difficulty table (columns category, level, difficulty); by default
        :data:`DIFFICULTY_TABLE`.  The table used is written as ``difficulty.csv``.
    title, url : str, optional
        The imported set's title and address in ``sources.csv``.
    replace : bool
        Write over a folder that already holds files.

    Returns
    -------
    ImportReport
        What was mapped, what could not be, and how many of each; ``str()`` reads it.

    Raises
    ------
    BackguideError
        For a source that cannot be read, a mapping naming a column the sheet
        lacks, a bad difficulty table, or a folder that holds files already.
    """
    source, folder = Path(source), Path(to)
    if not source.exists():
        raise BackguideError.at(source, "an existing JSON file or folder, or a CSV or "
                                "Excel sheet")
    is_sheet = source.is_file() and source.suffix.lower() != ".json"
    if is_sheet:
        rows = readers.read_sheet(source, dict(mapping or {}))
        title = title or source.stem
    else:
        if mapping:
            raise BackguideError.at(source, "a CSV or Excel sheet: a mapping is for a "
                                    "sheet's columns (free-exercise-db's JSON needs none)")
        rows = readers.read_json(source)
        title = title or "free-exercise-db"
        url = url or "https://github.com/yuhonas/free-exercise-db"
        licence = "Unlicense (public domain)" if licence is None else licence
        author = "free-exercise-db contributors" if author is None else author
    ref = _id(title, set())
    # An imported exercise never takes a shipped exercise's id (and with it the
    # shipped drawings and doses of a different exercise).
    shipped = set(shipped_library().exercises.index)
    report = ImportReport(str(source), str(folder))
    rules = difficulty_rules(difficulty)
    out, added = _convert(rows, report, rules, licence=licence or "", author=author or "",
                          source_ref=ref, taken=shipped)
    extra = list(dict.fromkeys(k for r in out for k in r if k not in _COLUMNS))
    report.kept = tuple(["primary_muscle_words", "secondary_muscle_words",
                         "equipment_words", *extra])
    report.added_equipment = tuple(added)
    rule_rows = [{"category": c, "level": lv, "difficulty": d} for c, lv, d in rules]
    files = {
        schema.EXERCISES.filename: _csv(out, _COLUMNS + extra),
        schema.SOURCES.filename: _sources_csv(ref, title, author or "", url),
        "difficulty.csv": _csv(rule_rows, ["category", "level", "difficulty"]),
        "import_report.txt": str(report) + "\n",
    }
    if added:  # a table of no rows is refused: written only when kinds are added
        files[schema.EQUIPMENT_KINDS.filename] = _csv(
            [{"equipment": k, "note": f"added by the import of {title}"} for k in added],
            ["equipment", "note"])
    _write(folder, files, replace)
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m backguide.importing SOURCE --to FOLDER [--map FIELD=COLUMN ...]``."""
    parser = argparse.ArgumentParser(prog="python -m backguide.importing",
                                     description="Import an exercise set into a library folder.")
    parser.add_argument("source", help="free-exercise-db JSON (file or folder), or a CSV or "
                        "Excel sheet")
    parser.add_argument("--to", required=True, help="the library folder to write")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                        help="a sheet's column for one of the guide's fields (repeat)")
    parser.add_argument("--licence")
    parser.add_argument("--author")
    parser.add_argument("--difficulty", help="a difficulty table (category,level,difficulty)")
    parser.add_argument("--replace", action="store_true",
                        help="write over a folder that already holds files")
    args = parser.parse_args(argv)
    mapping = {}
    for item in args.map:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--map takes FIELD=COLUMN, not {item!r}")
        mapping[key.strip()] = value.strip()
    try:
        report = import_library(args.source, to=args.to, mapping=mapping or None,
                                licence=args.licence, author=args.author,
                                difficulty=args.difficulty, replace=args.replace)
    except BackguideError as e:
        print(e, file=sys.stderr)
        return 1
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
