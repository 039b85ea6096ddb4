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
    return configured_library() if folder is None else load_folder(folder)


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
    return load_folder(folder)


def clear_cache() -> None:
    """Forget the libraries loaded through :data:`LIBRARY_SETTING`: the next
    ``load_library()`` reads the folder's files again."""
    _configured.cache_clear()


def _in_folder(folder: Path | None, *tables) -> Library:
    lib = Library(*tables)
    object.__setattr__(lib, "folder", folder)
    return lib


@cache
def shipped_library() -> Library:
    """The shipped library, loaded once per process and shared.

    Every function that takes ``lib=None`` reads this one.  Like any
    :class:`Library` it is read-only: each table read from it is a new
    DataFrame, so a caller's changes stay the caller's.
    """
    return whole(None)


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


# The folder readers build Libraries: imported once Library is defined.
from .folders import load_folder, whole  # noqa: E402
