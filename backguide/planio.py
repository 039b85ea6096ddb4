"""Plans as files: a plan to and from its JSON plan file (atomically written), and the
starter plans (shipped with backguide, or a library's own).  (Their names are also
:mod:`backguide.plan`'s.)"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import BackguideError
from .files import write_atomic
from .library import Library, resolve
from .plan import ENTRY_COLUMNS, Plan
from .planfile import plan_json_text, read_plan_file
from .schema import DOSE_FIELDS


# --- plan files ----------------------------------------------------------------------


def _records(entries: pd.DataFrame) -> list[dict]:
    out = []
    for r in entries.to_dict("records"):
        r["day"] = str(r["day"])
        for k in DOSE_FIELDS:
            r[k] = None if math.isnan(r[k]) else float(r[k])
        r["per_side"] = bool(r["per_side"])
        out.append(r)
    return out


def plan_json(plan: Plan) -> str:
    """The plan as the text of a plan file (schema 1)."""
    return plan_json_text(plan.meta, _records(plan.entries))


def save_plan(plan: Plan, path: str | Path) -> Path:
    """Write ``plan`` to ``path`` as JSON, atomically.

    The plan is written to a temporary file in the same folder, flushed to
    disk, then moved over ``path`` in one step: a save that fails leaves the
    file that was there untouched.
    """
    return write_atomic(path, plan_json(plan).encode("utf-8"))


def plan_from_records(meta: dict, records: list[dict]) -> Plan:
    """A plan from a plan file's metadata and entry records (see :mod:`backguide.planfile`)."""
    frame = pd.DataFrame(records, columns=list(ENTRY_COLUMNS))
    return Plan(**meta, entries=frame)


def load_plan(path: str | Path, *, lib: Library | None = None, check: bool = True) -> Plan:
    """Read a plan saved by :func:`save_plan`.

    With ``check`` (the default) every entry's exercise must be in ``lib``
    (the shipped library by default).

    Raises
    ------
    BackguideError
        Naming the file and the field (``days.Monday[0].entries[2].reps``)
        or line for malformed JSON, a newer schema version, an unknown
        exercise or an impossible dose.
    """
    known = resolve(lib).exercises.index if check else None
    meta, records = read_plan_file(path, known)
    try:
        return plan_from_records(meta, records)
    except ValueError as exc:  # the reader checks each field; this is a last guard
        raise BackguideError.at(path, f"a plan that makes sense ({exc})") from None


# --- starter plans -------------------------------------------------------------------


def starter_plans(*, lib: Library | None = None) -> list[str]:
    """Names of the starter plans ``lib`` can show (the library set by default).

    The shipped starter plans whose every exercise ``lib`` holds (the others
    are left out, not errors), and the library's own: the ``*.json`` plan
    files in ``plans/`` in its folder (one of the shipped names is then its own).
    """
    return sorted(_starters(resolve(lib)))


def load_starter(name: str, *, lib: Library | None = None) -> Plan:
    """A starter plan that ``lib`` can show (see :func:`starter_plans`)."""
    lib = resolve(lib)
    found = _starters(lib)
    if name not in found:
        missing = sorted(_shipped_starters().get(name, set()) - set(lib.exercises.index))
        if missing:  # a shipped plan this library cannot show
            raise BackguideError.at(
                f"{_plans_dir() / name}.json", "exercises this library has (the starter "
                f"plan {name!r} is left out of its starter plans)", column="exercise",
                value=", ".join(missing))
        raise ValueError(f"Unknown starter plan {name!r}; expected one of: "
                         f"{', '.join(sorted(found)) or 'none (this library has none)'}.")
    path = found[name]
    if isinstance(path, Path):
        return load_plan(path, lib=lib)
    with resources.as_file(path) as p:
        return load_plan(p, lib=lib)


def _starters(lib: Library) -> dict:
    """``lib``'s starter plans by name: where each plan file is."""
    known = set(lib.exercises.index)
    out = {name: _plans_dir() / f"{name}.json"
           for name, needs in _shipped_starters().items() if needs <= known}
    own = lib.folder / "plans" if lib.folder is not None else None
    if own is not None and own.is_dir():
        out.update((p.name.removesuffix(".json"), p) for p in own.iterdir()
                   if p.name.endswith(".json") and p.is_file())
    return out


@cache
def _shipped_starters() -> dict[str, frozenset[str]]:
    """The shipped starter plans' names, each with the exercises it uses."""
    out = {}
    for entry in _plans_dir().iterdir():
        if entry.name.endswith(".json"):
            with resources.as_file(entry) as p:
                _meta, records = read_plan_file(p)
            out[entry.name.removesuffix(".json")] = frozenset(r["exercise"] for r in records)
    return out


def _plans_dir():
    packaged = resources.files("backguide") / "data" / "plans"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "plans"


__all__ = ["load_plan", "load_starter", "plan_from_records", "plan_json", "save_plan",
           "starter_plans"]
