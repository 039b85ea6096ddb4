"""A library folder's tables read into a :class:`~backguide.library.Library`.

A clinic's folder either stands alone (:func:`whole`) or adds to the shipped
tables (:func:`load_folder`, layered), as its optional ``library.toml``
says; :func:`backguide.library.load_library` documents the settings.
"""

from __future__ import annotations

import tomllib
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from .errors import BackguideError
from .library import Library, _shipped_terms, shipped_library
from .loaders import (_resolve, empty_doses as _empty_doses, load_doses, load_exercises,
                      load_guidance, load_poses, load_sources, located)
from .terms import load_search_terms

#: The tables a clinic's folder adds to the shipped ones (or replaces, if it says so).
LAYERED = ("sources", "exercises", "doses", "guidance", "poses")


def _settings(folder: Path) -> tuple[frozenset, frozenset]:
    """``(replace, override)``: the tables the folder's ``library.toml`` replaces
    whole, and those whose rows replace the shipped rows with their id."""
    path = folder / "library.toml"
    if not path.is_file():
        alone = all((folder / t.filename).is_file() for t in (schema.EXERCISES,
                                                               schema.GUIDANCE))
        return frozenset(LAYERED if alone else ()), frozenset()
    try:
        said = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BackguideError.at(path, f"TOML such as replace = [\"guidance\"] ({exc})") from None
    names = ", ".join(f'"{t}"' for t in LAYERED)
    out = []
    for key in ("replace", "override"):
        value = said.pop(key, [])
        if key == "replace" and value == "all":
            value = list(LAYERED)
        if not isinstance(value, list) or any(v not in LAYERED for v in value):
            raise BackguideError.at(path, f"a list of table names from {names}"
                                    + (' (or "all")' if key == "replace" else ""),
                                    column=key, value=value)
        out.append(frozenset(value))
    if said:
        raise BackguideError.at(path, "only the settings replace and override",
                                column=next(iter(said)), value=said[next(iter(said))])
    return out[0], out[1]


def load_folder(folder) -> Library:
    folder = Path(folder)
    if not folder.is_dir():
        raise BackguideError.at(folder, "a library folder: there is no such folder")
    replace, override = _settings(folder)
    lib = whole(folder) if replace == set(LAYERED) else _layered(folder, replace, override)
    object.__setattr__(lib, "folder", folder)
    return lib


def whole(folder) -> Library:
    """The folder's tables replacing the shipped ones (or the shipped library, for None)."""
    def own(table: schema.Table):
        if folder is None:
            return None
        p = Path(folder) / table.filename
        return p if p.is_file() else None

    ex_path = own(schema.EXERCISES)
    if folder is not None and ex_path is None:
        raise BackguideError.at(Path(folder) / schema.EXERCISES.filename,
                                "an existing file: the folder's exercise table")
    sources = load_sources(own(schema.SOURCES))
    exercises = load_exercises(ex_path, sources=sources)
    dose_path = own(schema.DOSES)
    if dose_path is None and ex_path is not None:
        doses = _empty_doses()
    else:
        doses = load_doses(dose_path, exercises=exercises, sources=sources)
    guidance = load_guidance(own(schema.GUIDANCE), sources=sources)
    poses_path = own(schema.POSES)
    if poses_path is not None:
        poses = load_poses(poses_path, exercises=exercises)
    else:
        # The shipped pictures serve the exercises a clinic's table shares with ours.
        shipped = load_poses(exercises=load_exercises() if ex_path is not None else exercises)
        poses = shipped[shipped["exercise"].isin(exercises.index)].reset_index(drop=True)
    terms_path = own(schema.SEARCH_TERMS)
    if terms_path is not None:
        terms = load_search_terms(terms_path, sources=sources, guidance=guidance)
    elif own(schema.SOURCES) is None and own(schema.GUIDANCE) is None:
        terms = load_search_terms(sources=sources, guidance=guidance)  # the shipped ones
    else:
        terms = _shipped_terms()
    return Library(exercises, sources, doses, guidance, poses, terms)


def _layered(folder: Path, replace: frozenset, override: frozenset) -> Library:
    """The shipped tables with the folder's rows added (see :func:`load_library`)."""
    shipped = shipped_library()

    def own(table: schema.Table):
        p = folder / table.filename
        if table.name in replace and not p.is_file():
            raise BackguideError.at(p, f"an existing file: library.toml replaces the "
                                    f"shipped {table.filename} with it")
        return p if p.is_file() else None

    def layer(table: schema.Table, path, load, keep=None, key=None):
        base = getattr(shipped, table.name)
        base = base.iloc[0:0] if table.name in replace else base
        if keep is not None:
            base = base[keep(base)]
        if path is None:
            return base
        mine = load(path)
        return _stack(table, base, mine, path, table.name in override, key)

    sources = layer(schema.SOURCES, own(schema.SOURCES), load_sources)
    beside = None if "exercises" in replace else shipped.exercises
    exercises = layer(schema.EXERCISES, own(schema.EXERCISES),
                      lambda p: load_exercises(p, sources=sources, beside=beside))
    ids = exercises.index
    in_library = lambda t: t["exercise"].isin(ids).to_numpy()  # noqa: E731
    doses = layer(schema.DOSES, own(schema.DOSES),
                  lambda p: load_doses(p, exercises=exercises, sources=sources),
                  keep=in_library, key=["source", "exercise", "heading"])
    guidance = layer(schema.GUIDANCE, own(schema.GUIDANCE),
                     lambda p: load_guidance(p, sources=sources,
                                             adds="guidance" not in replace))
    poses = layer(schema.POSES, own(schema.POSES),
                  lambda p: load_poses(p, exercises=exercises), keep=in_library,
                  key=["exercise"])
    terms_path = folder / schema.SEARCH_TERMS.filename
    terms = (load_search_terms(terms_path, sources=sources, guidance=guidance)
             if terms_path.is_file() else _shipped_terms())
    return Library(exercises, sources, doses, guidance, poses, terms)


def _stack(table: schema.Table, base: pd.DataFrame, mine: pd.DataFrame, path: Path,
           overrides: bool, key: list[str] | None) -> pd.DataFrame:
    """``mine`` added to ``base`` (the shipped table): a row of ``mine`` whose id
    (or ``key`` columns) ``base`` holds too is refused, or replaces it if ``overrides``."""
    def keys(frame):
        return (pd.MultiIndex.from_frame(frame[key].astype(str)) if key
                else frame.index)

    shared = keys(mine).isin(keys(base))
    if overrides:
        base = base[~keys(base).isin(keys(mine))]
    elif shared.any():
        with ExitStack() as stack:
            theirs = _resolve(table.filename, None, stack)
        column = key[0] if key else table.key
        what = " and ".join(key) if key else "id"
        bad = [(row, column, ", ".join(str(mine[k].iat[row]) for k in key) if key
                else str(mine.index[row]),
                f"a {what} that the shipped {theirs} does not have already (to replace the "
                f"shipped row, add override = [\"{table.name}\"] to library.toml beside "
                "this file)", None) for row in np.flatnonzero(shared)]
        raise BackguideError(located(path, bad))
    for frame, other in ((base, mine), (mine, base)):  # a column only one has: blank text
        for c in other.columns.difference(frame.columns):
            frame[c] = ""
    return pd.concat([base, mine[base.columns]], ignore_index=not table.key)
