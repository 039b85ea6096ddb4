"""Plans as files: a plan to and from its JSON plan file (atomically written), and the
starter plans shipped with backguide.  (Their names are also :mod:`backguide.plan`'s.)"""

from __future__ import annotations

import math
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


def starter_plans() -> list[str]:
    """Names of the starter plans shipped with backguide."""
    return sorted(p.name.removesuffix(".json") for p in _plans_dir().iterdir()
                  if p.name.endswith(".json"))


def load_starter(name: str, *, lib: Library | None = None) -> Plan:
    """A shipped starter plan."""
    names = starter_plans()
    if name not in names:
        raise ValueError(f"Unknown starter plan {name!r}; expected one of: {', '.join(names)}.")
    with resources.as_file(_plans_dir() / f"{name}.json") as p:
        return load_plan(p, lib=lib)


def _plans_dir():
    packaged = resources.files("backguide") / "data" / "plans"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "plans"


__all__ = ["load_plan", "load_starter", "plan_from_records", "plan_json", "save_plan",
           "starter_plans"]
