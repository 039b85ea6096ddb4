"""Load the exercise library and the tables beside it.

``load_exercises()`` is the face of the package; ``load_sources()``,
``load_doses()``, ``load_guidance()``, ``load_poses()`` and
``load_search_terms()`` sit beside it and ``load_library()`` loads them all,
each checked against the others.
With no path each reads the table shipped with the package (through
:mod:`importlib.resources`, so an installed wheel works as well as a
checkout); with a path it reads a clinic's own table in the same format.
"""

from __future__ import annotations

import csv
import io
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from .dose import estimate_seconds
from .errors import BackguideError, Problem
from .tables import read_table, read_text

#: Share of an exercise's volume that counts towards a secondary muscle.
SECONDARY_SHARE = 0.5


def _resolve(name: str, path, stack: ExitStack) -> Path:
    """The file to read: ``path`` if given, else the shipped table ``name``."""
    if path is not None:
        return Path(path)
    packaged = resources.files("backguide") / "data" / name
    if packaged.is_file():  # an installed wheel carries data/ inside the package
        return stack.enter_context(resources.as_file(packaged))
    # An editable install or a checkout: the tables live at the top level.
    return Path(__file__).resolve().parent.parent / "data" / name


def _read(table: schema.Table, path, known=None) -> pd.DataFrame:
    with ExitStack() as stack:
        return read_table(_resolve(table.filename, path, stack), table, known)


def load_sources(path=None) -> pd.DataFrame:
    """The articles and outside guidance that the library cites.

    Indexed by ``id``.  Columns: ``kind`` (article or outside), ``title``,
    ``publisher``, ``author``, ``date``, ``file`` (the article's file name in
    the project's seeds) and ``url``; blank text is ``""``.
    """
    return _read(schema.SOURCES, path)


def _sources_for(path, sources) -> pd.DataFrame:
    """Sources to check links against: given, beside ``path``, or shipped."""
    if sources is not None:
        return sources
    if path is not None:
        beside = Path(path).with_name(schema.SOURCES.filename)
        if beside.is_file():
            return load_sources(beside)
    return load_sources()


def load_exercises(path=None, *, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exercise library, one row per exercise, checked and typed.

    Parameters
    ----------
    path : str or Path, optional
        A clinic's own ``exercises.csv``.  By default the shipped library.
    sources : DataFrame, optional
        Sources to check the ``sources`` column against.  By default a
        ``sources.csv`` beside ``path`` if there is one, else the shipped
        sources.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id`` (a stable lower-case identifier).  Columns:

        ``name`` (str)
            The exercise's usual name.
        ``aliases`` (tuple of str)
            The articles' names and other common names.
        ``category`` (ordered categorical)
            One of :data:`backguide.schema.CATEGORIES`.
        ``primary_muscles``, ``secondary_muscles`` (tuple of str)
            Muscle groups from :data:`backguide.schema.MUSCLES`.
        ``position`` (ordered categorical)
            Body position, from :data:`backguide.schema.POSITIONS`.
        ``equipment`` (tuple of str)
            What the exercise needs, from :data:`backguide.schema.EQUIPMENT`;
            empty or ``("none",)`` for nothing.
        ``difficulty`` (ordered categorical)
            easy < moderate < hard.
        ``difficulty_basis`` (str)
            What the difficulty rests on.
        ``sets``, ``reps``, ``hold_s``, ``rest_s``, ``minutes`` (float)
            The default starting dose; ``NaN`` where blank.  Holds and rests
            are in seconds; ``minutes`` doses activities.
        ``per_side`` (bool)
            The dose is done on each side.
        ``steps`` (tuple of str)
            Numbered instructions, in order.
        ``cautions`` (tuple of str)
            What to watch for.
        ``easier``, ``harder`` (tuple of str)
            Ids of the easier and harder variants.
        ``progression`` (str)
            When to move on to the harder variant.
        ``sources`` (tuple of str)
            Ids of the sources that describe the exercise.
        ``access`` (categorical)
            Where a person has to get to: floor, chair, standing or water.
        ``session_minutes`` (float)
            Minutes the default dose takes, by :func:`backguide.dose.estimate_seconds`.

        Columns the schema does not know are kept, as text.

    Raises
    ------
    BackguideError
        Naming the file, line, column, bad value and what was expected.
    """
    known = {"sources": set(_sources_for(path, sources).index)}
    ex = _read(schema.EXERCISES, path, known)
    access = ex["position"].map(schema.POSITION_ACCESS, na_action="ignore")
    ex["access"] = pd.Categorical(access, categories=schema.ACCESS)
    ex["session_minutes"] = estimate_seconds(
        ex["sets"], ex["reps"], ex["hold_s"], ex["rest_s"], ex["per_side"], ex["minutes"]
    ) / 60.0
    return ex


def load_doses(path=None, *, exercises: pd.DataFrame | None = None,
               sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each article's own dose for each exercise it describes.

    One row per description.  Where articles disagree every dose is kept:
    child's pose is held 30-60 s in myspine, 10 s five times in wolfe and
    30 s to 2 minutes in freeback.

    Columns: ``source`` and ``exercise`` (ids), ``heading`` (the article's
    heading, or where it was lost the section it sat in), the ranges
    ``sets``, ``reps``, ``hold_s``, ``rest_s``, ``minutes`` and
    ``times_per_week`` each as ``<name>_min`` and ``<name>_max`` (floats,
    equal for a single number, ``NaN`` where the article gives none),
    ``per_side`` (bool), ``dose_note`` (the dose in words, where numbers do
    not say it all) and ``evidence`` (a short phrase quoted from the
    article).
    """
    if exercises is None:
        exercises = load_exercises(sources=sources)
    known = {"sources": set(_sources_for(path, sources).index),
             "exercises": set(exercises.index)}
    return _read(schema.DOSES, path, known)


def load_guidance(path=None, *, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every piece of guidance: the articles' and outside guidance, labelled.

    Indexed by ``id``.  Columns: ``source`` (id), ``topic`` (from
    :data:`backguide.schema.GUIDANCE_TOPICS`; ``red_flag`` rows say when to
    see a clinician instead of exercising), ``statement`` (in plain words),
    ``evidence`` (a short phrase quoted from the article; blank for outside
    guidance), ``target`` (what the planning check measures, from
    :data:`backguide.schema.TARGETS`, or missing), ``min`` and ``max``
    (floats) and ``unit``.
    """
    known = {"sources": set(_sources_for(path, sources).index)}
    return _read(schema.GUIDANCE, path, known)


def load_poses(path=None, *, exercises: pd.DataFrame | None = None) -> pd.DataFrame:
    """The positions the pictures are drawn from, checked like the exercise table.

    One row per exercise and position (start, middle, end), with ``prop``,
    ``lift`` (height of the lowest point above the floor, for a swimmer or
    a cyclist), the angles in :data:`backguide.schema.POSE_ANGLES` (degrees
    from -360 to 360: 0 points the way the figure faces, 90 up) and a
    ``label``.  ``exercise`` must name an exercise in ``exercises`` (the
    shipped library by default).
    """
    if exercises is None:
        exercises = load_exercises()
    return _read(schema.POSES, path, {"exercises": set(exercises.index)})


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def search_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as search terms are matched: lower case, split at
    anything but letters, digits and an apostrophe inside a word ("child's").

    >>> search_words("Lower-back PAIN, child’s pose")
    ('lower', 'back', 'pain', "child's", 'pose')
    """
    return tuple(_WORD.findall(text.lower().replace("\u2019", "'")))


def load_search_terms(path=None, *, sources: pd.DataFrame | None = None,
                      guidance: pd.DataFrame | None = None) -> pd.DataFrame:
    """The words people type, mapped to what the guide covers.

    One row per term.  Columns: ``term`` (as written), ``kind`` (from
    :data:`backguide.schema.TERM_KINDS`), ``value`` (tuple of str: the
    muscle groups, categories, positions or difficulties the term stands
    for, spelled as the schema spells them; for an ``outside`` term the ids
    or topics of the guidance rows that hold the advice; empty for
    ``filler``), ``note`` (in plain words), ``sources`` (tuple of source
    ids the mapping rests on) and ``words`` (the term as
    :func:`search_words` splits it, which is how it is matched).

    ``guidance`` is the table an ``outside`` term's ``value`` must point
    into (by default the shipped guidance); ``sources`` as for
    :func:`load_exercises`.

    Raises
    ------
    BackguideError
        Naming file, line, column, value and what was expected: a value
        outside its kind's vocabulary, an outside term without a note or
        pointing to no guidance, a filler word with a value, a term with no
        words or listed twice.
    """
    known = {"sources": set(_sources_for(path, sources).index)}
    if guidance is None:
        guidance = load_guidance()
    with ExitStack() as stack:
        file = _resolve(schema.SEARCH_TERMS.filename, path, stack)
        terms = read_table(file, schema.SEARCH_TERMS, known)
        words = [search_words(t) for t in terms["term"]]
        values, bad = _term_values(terms, words, guidance)
        if bad:
            raise BackguideError(_term_problems(file, bad))
    terms["value"] = _objects(values)
    terms["words"] = _objects(words)
    return terms


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _term_values(terms: pd.DataFrame, words: list[tuple[str, ...]], guidance: pd.DataFrame):
    """Each term's value in the schema's spelling, and the bad cells as
    (row, column, value, expected, row of the first listing for a repeat)."""
    pointers = set(guidance.index) | set(guidance["topic"].dropna().astype(str))
    lookup = {kind: {v.lower(): v for v in vocab} for kind, vocab in schema.TERM_VOCAB.items()}
    seen: dict[tuple[str, ...], int] = {}
    values, bad = [], []
    for row, (kind, value, note, w) in enumerate(zip(terms["kind"], terms["value"],
                                                   terms["note"], words)):
        if not w:
            bad.append((row, "term", terms["term"].iat[row],
                        "a word or phrase of letters or digits", None))
        elif w in seen:
            bad.append((row, "term", terms["term"].iat[row], "a term listed once", seen[w]))
        else:
            seen[w] = row
        out = []
        if kind == "filler":
            if value:
                bad.append((row, "value", ";".join(value),
                            "nothing: a filler word stands for no exercise", None))
        elif kind == "outside":
            if not value:
                bad.append((row, "value", "", "the id or topic of the guidance rows that "
                            "hold the advice (such as red_flag)", None))
            for v in value:
                if v in pointers:
                    out.append(v)
                else:
                    bad.append((row, "value", v, "an id or a topic from the guidance table "
                                "(such as red_flag)", None))
            if not note:
                bad.append((row, "note", note, "a note in plain words saying what to do "
                            "instead, for an outside term", None))
        elif kind in lookup:
            vocab = schema.TERM_VOCAB[kind]
            if not value:
                bad.append((row, "value", "", f"one or more of: {', '.join(vocab)} "
                            f"(for a {kind} term)", None))
            for v in value:
                if v.lower() in lookup[kind]:
                    out.append(lookup[kind][v.lower()])
                else:
                    bad.append((row, "value", v, f"one of: {', '.join(vocab)} "
                                f"(for a {kind} term)", None))
        values.append(tuple(dict.fromkeys(out)))
    return values, bad


def _term_problems(file: Path, bad: list[tuple]) -> list[Problem]:
    """The bad cells located by file line, as :func:`read_table` locates them.

    Only read when something is wrong, so a good table loads in one pass.
    """
    reader = csv.reader(io.StringIO(read_text(file), newline=""))
    header = [h.strip() for h in next(reader)]
    lines = []
    while True:
        start = reader.line_num + 1
        row = next(reader, None)
        if row is None:
            break
        if row and any(c.strip() for c in row):
            lines.append(start)
    problems = []
    for row, column, value, expected, first in bad:
        if first is not None:
            expected = f"{expected} (already on line {lines[first]})"
        problems.append(Problem(str(file), lines[row], column, header.index(column) + 1,
                                value, expected))
    return problems


@dataclass(frozen=True, eq=False)
class Library:
    """The tables, checked against each other, and long tables built once from them.

    ``exercises``, ``sources``, ``doses``, ``guidance``, ``poses`` and
    ``terms`` (the search terms, :func:`load_search_terms`; the shipped ones
    when not given) are the tables as loaded.  The list cells of
    ``exercises`` stay lists for display; every computation reads the long
    tables instead:

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
    """

    exercises: pd.DataFrame
    sources: pd.DataFrame
    doses: pd.DataFrame
    guidance: pd.DataFrame
    poses: pd.DataFrame
    terms: pd.DataFrame | None = None
    muscles: pd.DataFrame = field(init=False)
    equipment: pd.DataFrame = field(init=False)
    variants: pd.DataFrame = field(init=False)
    checks: pd.DataFrame = field(init=False)
    codes: Codes = field(init=False, repr=False)

    def __post_init__(self):
        ex = self.exercises
        set_ = partial(object.__setattr__, self)
        if self.terms is None:
            set_("terms", shipped_terms())
        set_("muscles", exercise_muscles(ex))
        set_("equipment", _long(ex, ["equipment"], "equipment", drop=("none",)))
        v = _long(ex, ["easier", "harder"], "other", kind="direction")
        set_("variants", v[["exercise", "direction", "other"]])
        set_("checks", _checks(self.guidance))
        set_("codes", Codes.of(self))


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
    def of(cls, lib: Library) -> Codes:
        index = lib.exercises.index
        m = lib.muscles
        owner = index.get_indexer(m["exercise"])
        by_owner = np.argsort(owner, kind="stable")
        v = lib.variants[lib.variants["direction"] == "easier"]
        vx, vo = index.get_indexer(v["exercise"]), index.get_indexer(v["other"])
        by_vx = np.argsort(vx, kind="stable")
        spine = np.zeros(len(index) + 1, dtype=np.int64)
        in_spine = m["muscle"].isin(schema.SPINE_MUSCLES).to_numpy()
        bit = np.left_shift(1, pd.Categorical(m["muscle"].astype(object)[in_spine],
                                              categories=schema.SPINE_MUSCLES).codes
                            .astype(np.int64))
        np.bitwise_or.at(spine, owner[in_spine], bit)
        c = lib.checks
        aerobic = c.loc[c["target"] == "aerobic_session_minutes", "min"]
        return cls(owner[by_owner], m["muscle"].array.codes.astype(np.int64)[by_owner],
                   m["role"].array.codes.astype(np.int64)[by_owner],
                   m["share"].to_numpy(dtype=float)[by_owner],
                   vx[by_vx], vo[by_vx], spine,
                   float(aerobic.iloc[0]) if len(aerobic) else 0.0)


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
    """Load exercises, sources, doses, guidance, poses and search terms together.

    ``folder`` may hold a clinic's own ``exercises.csv`` and any of
    ``sources.csv``, ``doses.csv``, ``guidance.csv``, ``poses.csv`` and
    ``search_terms.csv``; a table the folder lacks is the shipped one (the
    shipped pictures serve only the exercises both tables share; the shipped
    search terms are checked against the shipped guidance).  An exercise
    table of the clinic's own comes without the articles' doses unless the
    folder has its own ``doses.csv``.  Each call reads the files afresh; functions that take
    ``lib=None`` use :func:`shipped_library` instead.
    """
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
        terms = load_search_terms()
    return Library(exercises, sources, doses, guidance, poses, terms)


@cache
def shipped_library() -> Library:
    """The shipped library, loaded once per process and shared.

    Treat its tables as read-only: every function that takes ``lib=None``
    reads this one.
    """
    return load_library()


@cache
def shipped_terms() -> pd.DataFrame:
    """The shipped search terms, loaded once: the terms of a :class:`Library`
    built without any.  Treat as read-only."""
    return load_search_terms()


def resolve(lib: Library | None) -> Library:
    """``lib``, or the shipped library when it is ``None``: the one convention."""
    if lib is None:
        return shipped_library()
    if not isinstance(lib, Library):
        raise TypeError(f"lib must be a Library (from load_library()), not {type(lib).__name__}.")
    return lib


def _empty_doses() -> pd.DataFrame:
    """A dose table with the right columns and no rows."""
    return load_doses().iloc[0:0]


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
