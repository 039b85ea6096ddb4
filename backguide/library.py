"""The library: the tables loaded together, checked against each other, and shared.

:func:`load_library` loads every table of a library folder (each table's
reader is in :mod:`backguide.loaders` and :mod:`backguide.terms`) into a
:class:`Library`, which also builds the long tables every computation reads.
:func:`shipped_library` is the shipped one, loaded once per process; every
function that takes ``lib=None`` uses it, through :func:`resolve`.

A :class:`Library` is read-only: each of its tables is handed out as a new
DataFrame (a lazy copy, see :class:`Library`), so what one caller does to
the frame it got never changes what another gets.
"""

from __future__ import annotations

import os
import tomllib
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from .errors import BackguideError
# The readers of each table, imported from here by older code: keep these names.
from .loaders import (  # noqa: F401
    _resolve,
    empty_doses as _empty_doses,
    load_doses,
    load_exercises,
    load_guidance,
    load_poses,
    load_sources,
    located,
)
from .terms import load_search_terms, search_words  # noqa: F401

#: Share of an exercise's volume that counts towards a secondary muscle.
SECONDARY_SHARE = 0.5

#: The one setting: a library folder that ``load_library()`` and every ``lib=None`` use.
LIBRARY_SETTING = "BACKGUIDE_LIBRARY"

#: The tables a clinic's folder adds to the shipped ones (or replaces, if it says so).
LAYERED = ("sources", "exercises", "doses", "guidance", "poses")


class _Table:
    """A table of a :class:`Library`: each read returns a new DataFrame.

    The copy is shallow, and pandas' copy-on-write makes it lazy: it costs
    tens of microseconds whatever the table's size, and the first write to it
    (``loc``, a new column, an ``inplace`` method) copies what it changes, so
    the library's own frame is never touched.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, lib: Library | None, owner=None):
        if lib is None:
            return self
        return lib._frames[self.name].copy(deep=False)


class Library:
    """The tables, checked against each other, and long tables built once from them.

    ``Library(exercises, sources, doses, guidance, poses, terms=None)``: the
    tables as loaded (:func:`load_library` loads them from a folder);
    ``terms`` are the search terms (:func:`backguide.terms.load_search_terms`;
    the shipped ones when not given).

    A library never changes.  It keeps its own frames, and every read of a
    table attribute returns a new DataFrame: change it as you like (``loc``,
    new columns), and neither the library nor any other caller sees it.  The
    cells that hold several items (``steps``, ``primary_muscles`` ...) are
    tuples, which cannot be changed in place, and the arrays of ``codes``
    are read-only.  (pandas does not yet stop a write through
    ``Series.array``, pandas-dev/pandas#58007: don't write through it.)

    The list cells of ``exercises`` are for display; every computation reads
    the long tables instead:

    ``muscles``
        One row per exercise and muscle: ``exercise``, ``muscle``
        (categorical), ``role`` (primary or secondary) and ``share`` (1 for
        a primary muscle, :data:`SECONDARY_SHARE` for a secondary one).
    ``equipment``
        One row per exercise and piece of equipment it needs: ``exercise``,
        ``equipment`` ("none" is left out).
    ``variants``
        One row per exercise and variant: ``exercise``, ``direction``
        (easier or harder) and ``other``, in the order the table lists them.
    ``checks``
        The guidance rows with a target, merged (see
        :func:`backguide.measures.guidance_checks`).
    ``codes``
        The long tables as arrays keyed by exercise number (:class:`Codes`).
    """

    __slots__ = ("_frames", "codes", "folder", "__weakref__")
    codes: Codes
    #: The folder it was loaded from (its ``plans/`` are its own starter plans), or None.
    folder: Path | None

    #: The tables given, then the long tables built from them, in that order.
    TABLES = ("exercises", "sources", "doses", "guidance", "poses", "terms", "muscles",
              "equipment", "variants", "checks")

    exercises = _Table()
    sources = _Table()
    doses = _Table()
    guidance = _Table()
    poses = _Table()
    terms = _Table()
    muscles = _Table()
    equipment = _Table()
    variants = _Table()
    checks = _Table()

    def __init__(self, exercises: pd.DataFrame, sources: pd.DataFrame, doses: pd.DataFrame,
                 guidance: pd.DataFrame, poses: pd.DataFrame,
                 terms: pd.DataFrame | None = None):
        if terms is None:
            terms = _shipped_terms()
        # Our own shallow copies: a caller who changes the frames it passed in
        # afterwards changes its own, not ours.
        frames = {name: frame.copy(deep=False) for name, frame in zip(
            self.TABLES, (exercises, sources, doses, guidance, poses, terms))}
        ex = frames["exercises"]
        frames["muscles"] = exercise_muscles(ex)
        frames["equipment"] = _long(ex, ["equipment"], "equipment", drop=("none",))
        v = _long(ex, ["easier", "harder"], "other", kind="direction")
        frames["variants"] = v[["exercise", "direction", "other"]]
        frames["checks"] = _checks(frames["guidance"])
        object.__setattr__(self, "_frames", frames)
        object.__setattr__(self, "folder", None)
        object.__setattr__(self, "codes", Codes.of(
            exercises=ex, muscles=frames["muscles"], variants=frames["variants"],
            checks=frames["checks"]))

    def __setattr__(self, name, value):
        raise AttributeError(f"A Library cannot be changed (setting {name!r}): build a new "
                             "Library from the changed tables instead.")

    def __delattr__(self, name):
        raise AttributeError(f"A Library cannot be changed (deleting {name!r}).")

    def __reduce__(self):
        f = self._frames
        return (_in_folder, (self.folder, *(f[name] for name in self.TABLES[:6])))

    def __repr__(self) -> str:
        f = self._frames
        return (f"Library({len(f['exercises'])} exercises, {len(f['sources'])} sources, "
                f"{len(f['doses'])} doses, {len(f['guidance'])} guidance rows, "
                f"{len(f['poses'])} poses, {len(f['terms'])} search terms)")


@dataclass(frozen=True, eq=False)
class Codes:
    """The long tables as arrays keyed by exercise number (its row in ``exercises``).

    Built once at load so that measuring a plan indexes arrays instead of
    looking up ids: ``muscle_exercise``, ``muscle``, ``role`` and ``share``
    are :attr:`Library.muscles` sorted by exercise number (``muscle`` and
    ``role`` as category codes); ``easier_exercise`` and ``easier`` are the
    easier variants, sorted the same way; ``spine`` holds each exercise's
    spine-supporting muscles as bits (:data:`backguide.schema.SPINE_MUSCLES`
    order), with one more entry, 0, for an exercise not in the library;
    ``aerobic_session_minutes`` is the guidance's aerobic session target.
    """

    muscle_exercise: np.ndarray
    muscle: np.ndarray
    role: np.ndarray
    share: np.ndarray
    easier_exercise: np.ndarray
    easier: np.ndarray
    spine: np.ndarray
    aerobic_session_minutes: float

    @classmethod
    def of(cls, *, exercises: pd.DataFrame, muscles: pd.DataFrame, variants: pd.DataFrame,
           checks: pd.DataFrame) -> Codes:
        """The arrays of a library's exercise table and long tables."""
        index = exercises.index
        m = muscles
        owner = index.get_indexer(m["exercise"])
        by_owner = np.argsort(owner, kind="stable")
        v = variants[variants["direction"] == "easier"]
        vx, vo = index.get_indexer(v["exercise"]), index.get_indexer(v["other"])
        by_vx = np.argsort(vx, kind="stable")
        spine = np.zeros(len(index) + 1, dtype=np.int64)
        in_spine = m["muscle"].isin(schema.SPINE_MUSCLES).to_numpy()
        bit = np.left_shift(1, pd.Categorical(m["muscle"].astype(object)[in_spine],
                                              categories=schema.SPINE_MUSCLES).codes
                            .astype(np.int64))
        np.bitwise_or.at(spine, owner[in_spine], bit)
        c = checks
        aerobic = c.loc[c["target"] == "aerobic_session_minutes", "min"]
        arrays = [owner[by_owner], m["muscle"].array.codes.astype(np.int64)[by_owner],
                  m["role"].array.codes.astype(np.int64)[by_owner],
                  m["share"].to_numpy(dtype=float)[by_owner], vx[by_vx], vo[by_vx], spine]
        for a in arrays:  # shared by every reader of the library, so nobody may write
            a.flags.writeable = False
        return cls(*arrays, float(aerobic.iloc[0]) if len(aerobic) else 0.0)


def _checks(guidance: pd.DataFrame) -> pd.DataFrame:
    """Guidance rows with a target, merged where target and numbers agree (see
    :func:`backguide.measures.guidance_checks`)."""
    g = guidance[guidance["target"].notna()]
    keys = list(zip(g["target"], g["min"].fillna(-1), g["max"].fillna(-1), g["unit"]))
    rows: dict[tuple, dict] = {}
    for gid, key, source, statement in zip(g.index, keys, g["source"], g["statement"]):
        if key not in rows:
            rows[key] = {"check": gid, "guidance": (), "source": "", "target": key[0],
                         "statement": statement, "min": g.at[gid, "min"],
                         "max": g.at[gid, "max"], "unit": key[3]}
        r = rows[key]
        r["guidance"] += (gid,)
        r["source"] = ", ".join(dict.fromkeys([*filter(None, r["source"].split(", ")), source]))
    columns = ["check", "guidance", "source", "target", "statement", "min", "max", "unit"]
    out = pd.DataFrame(list(rows.values()), columns=columns)
    return out.astype({"min": float, "max": float})


def _long(ex: pd.DataFrame, columns: list[str], value: str, *, kind: str | None = None,
          drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """List cells of ``columns`` in long form: one row per exercise and item."""
    rows = [(i, c, item) for c in columns for i, items in ex[c].items()
            for item in items if item not in drop]
    out = pd.DataFrame({"exercise": pd.array([r[0] for r in rows], dtype="str"),
                        kind or "column": pd.array([r[1] for r in rows], dtype="str"),
                        value: pd.array([r[2] for r in rows], dtype="str")})
    return out if kind else out.drop(columns="column")


def load_library(folder=None) -> Library:
    """The library: the one set for this installation, or a clinic's folder of tables.

    ``load_library()`` is the library named by the ``BACKGUIDE_LIBRARY``
    environment variable (a folder, loaded once per process), or else the
    shipped one; ``lib=None`` everywhere means the same one.  Each is shared
    and read-only: what one caller does to its tables never reaches another.

    >>> lib = load_library()
    >>> lib.exercises.loc["cat_cow", "name"], lib is load_library()
    ('Cat-cow', True)

    ``folder`` holds any of ``sources.csv``, ``exercises.csv``,
    ``doses.csv``, ``guidance.csv`` and ``poses.csv``, which **add** to the
    shipped tables: an id the shipped table has too is refused, naming both
    files.  ``search_terms.csv`` replaces the shipped terms; ``plans/*.json``
    are the folder's own starter plans.  An optional ``library.toml`` says
    otherwise::

        replace = ["exercises"]    # these tables replace the shipped ones ("all": every one)
        override = ["guidance"]    # these tables' rows replace shipped rows with their id

    A replaced table is the folder's alone (the shipped doses and pictures
    serve only the exercises in the library).  Without a ``library.toml``, a
    folder with both ``exercises.csv`` and ``guidance.csv`` is a whole
    library, as before: ``replace = "all"``, where a table the folder lacks
    is the shipped one and its own exercises come without the shipped doses.
    A folder's files are read afresh at each call.
    """
    return configured_library() if folder is None else _load(folder)


def configured_library() -> Library:
    """The library named by :data:`LIBRARY_SETTING`, loaded once per folder, or the
    shipped one when it is not set (see :func:`clear_cache` after editing its files)."""
    where = os.environ.get(LIBRARY_SETTING, "").strip()
    return _configured(str(Path(where).expanduser().resolve())) if where else shipped_library()


@cache
def _configured(folder: str) -> Library:
    if not Path(folder).is_dir():
        raise BackguideError.at(folder, f"a library folder (as the setting {LIBRARY_SETTING} "
                                "names it): there is no such folder")
    return _load(folder)


def clear_cache() -> None:
    """Forget the libraries loaded through :data:`LIBRARY_SETTING`: the next
    ``load_library()`` reads the folder's files again."""
    _configured.cache_clear()


def _in_folder(folder: Path | None, *tables) -> Library:
    lib = Library(*tables)
    object.__setattr__(lib, "folder", folder)
    return lib


def _settings(folder: Path) -> tuple[frozenset, frozenset]:
    """``(replace, override)``: the tables the folder's ``library.toml`` replaces
    whole, and those whose rows replace the shipped rows with their id."""
    path = folder / "library.toml"
    if not path.is_file():
        whole = all((folder / t.filename).is_file() for t in (schema.EXERCISES,
                                                               schema.GUIDANCE))
        return frozenset(LAYERED if whole else ()), frozenset()
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


def _load(folder) -> Library:
    folder = Path(folder)
    if not folder.is_dir():
        raise BackguideError.at(folder, "a library folder: there is no such folder")
    replace, override = _settings(folder)
    lib = _whole(folder) if replace == set(LAYERED) else _layered(folder, replace, override)
    object.__setattr__(lib, "folder", folder)
    return lib


def _whole(folder) -> Library:
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


@cache
def shipped_library() -> Library:
    """The shipped library, loaded once per process and shared.

    Every function that takes ``lib=None`` reads this one.  Like any
    :class:`Library` it is read-only: each table read from it is a new
    DataFrame, so a caller's changes stay the caller's.
    """
    return _whole(None)


@cache
def _shipped_terms() -> pd.DataFrame:
    return load_search_terms()


def shipped_terms() -> pd.DataFrame:
    """The shipped search terms, loaded once: the terms of a :class:`Library`
    built without any.  Each call returns a new DataFrame (a lazy copy)."""
    return _shipped_terms().copy(deep=False)


def resolve(lib: Library | None) -> Library:
    """``lib``, or when it is ``None`` the library set by :data:`LIBRARY_SETTING` (the
    shipped one unless set), as ``load_library()`` gives it: the one convention.

    (The one function whose ``lib`` is positional: it is the convention
    itself, called as ``resolve(lib)`` by every function that takes
    ``lib=None``.)
    """
    if lib is None:
        return configured_library()
    if not isinstance(lib, Library):
        raise TypeError(f"lib must be a Library (from load_library()), not {type(lib).__name__}.")
    return lib


def exercise_muscles(exercises: pd.DataFrame) -> pd.DataFrame:
    """The exercises' muscles in long form, one row per exercise and muscle.

    Columns: ``exercise``, ``muscle`` (categorical, in
    :data:`backguide.schema.MUSCLES` order), ``role`` (primary or
    secondary) and ``share`` (1 for a primary muscle,
    :data:`SECONDARY_SHARE` for a secondary one).  A muscle listed as both
    counts once, as primary.
    """
    rows = [(i, m, "primary") for i, ms in exercises["primary_muscles"].items() for m in ms]
    rows += [(i, m, "secondary") for i, ms, prim in zip(exercises.index,
                                                        exercises["secondary_muscles"],
                                                        exercises["primary_muscles"])
             for m in ms if m not in prim]
    role = np.array([r[2] for r in rows], dtype=object)
    return pd.DataFrame({
        "exercise": pd.array([r[0] for r in rows], dtype="str"),
        "muscle": pd.Categorical([r[1] for r in rows], categories=schema.MUSCLES),
        "role": pd.Categorical(role, categories=["primary", "secondary"]),
        "share": np.where(role == "primary", 1.0, SECONDARY_SHARE),
    })
