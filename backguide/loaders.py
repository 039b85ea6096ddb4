"""Read each table of the exercise library from its CSV file, checked.

``load_exercises()`` is the face of the package; ``load_sources()``,
``load_doses()``, ``load_guidance()`` and ``load_poses()`` sit beside it
(the search terms are in :mod:`backguide.terms`, and
:func:`backguide.library.load_library` loads them all, each checked against
the others).  With no path each reads the table shipped with the package
(through :mod:`importlib.resources`, so an installed wheel works as well as a
checkout); with a path it reads a clinic's own table in the same format.

Every function here returns a new DataFrame that the caller owns.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pandas as pd

from . import schema
from .dose import estimate_seconds, has_dose
from .errors import BackguideError, Problem
from .tables import _Cells, _frame, read_table, read_text

#: A cell found wrong by a check across rows: (row number among the data rows,
#: column, value, what was expected, row of the first listing for a repeat or
#: ``None``).  A row of ``None`` is the header line: the column as a whole.
Bad = tuple[int | None, str, object, str, int | None]


class Ids(frozenset):
    """The ids another table holds, for :func:`read_table`'s ``known``, and where that
    table was read: ``where`` (words, or a function giving them, called only for a
    message) is named in the message for a missing id: "an id from the sources table
    (sources.csv beside exercises.csv)"."""

    def __new__(cls, ids, where: str | Callable[[], str] = ""):
        self = super().__new__(cls, ids)
        self._where = where
        return self

    @property
    def where(self) -> str:
        if callable(self._where):
            self._where = self._where()
        return self._where


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
        return read_file(_resolve(table.filename, path, stack), table, known)


def _header(file: Path) -> list[str]:
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(read_text(file), newline="")))]
    except (csv.Error, StopIteration):
        return []  # read_table reports what is wrong with the file


def absent_columns(file: Path, table: schema.Table) -> list[schema.Column]:
    """The optional columns of ``table`` that ``file``'s header leaves out."""
    optional = [c for c in table.columns if c.optional]
    if not optional:
        return []
    header = _header(file)
    return [c for c in optional if c.name not in header]


def read_file(file: Path, table: schema.Table, known=None) -> pd.DataFrame:
    """:func:`backguide.tables.read_table`, with the optional columns a file
    leaves out read as blank cells (in the schema's place among the columns)."""
    absent = absent_columns(file, table)
    if not absent:
        return read_table(file, table, known)
    present = replace(table, columns=tuple(c for c in table.columns if c not in absent))
    frame = read_table(file, present, known)
    blank = _Cells(str(file), [])
    values = {c.name: [blank.read(0, c, "")] * len(frame) for c in absent}
    filled = _frame(replace(table, columns=tuple(absent), key=""), values, {})
    for name in filled.columns:
        frame[name] = filled[name].array
    order = [n for c in table.columns if c.name != table.key
             for n in ((f"{c.name}_min", f"{c.name}_max") if c.kind == "range" else (c.name,))]
    return frame[order + [c for c in frame.columns if c not in order]]


def located(file: Path, bad: list[Bad]) -> list[Problem]:
    """The cells of ``bad`` located by file line, as :func:`read_table` locates them.

    Only read when something is wrong, so a good table loads in one pass.
    """
    reader = csv.reader(io.StringIO(read_text(file), newline=""))
    header = [h.strip() for h in next(reader)]
    numbers = {h: i for i, h in reversed(list(enumerate(header, start=1))) if h}
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
        problems.append(Problem(str(file), 1 if row is None else lines[row], column,
                                numbers.get(column), value, expected))
    return problems


def _known(table: schema.Table, frame: pd.DataFrame, path, given=None) -> Ids:
    """The ids of ``frame``, the ``table`` that a file at ``path`` links to, with
    where they were read from, in words for a message (where ``given`` is the frame
    a caller passed, worked out only when a message needs it)."""
    name = table.filename
    if given is None and table is schema.SOURCES and path is not None:
        # sources_for: the sources beside the file, else the shipped ones
        there = f"{name} beside {Path(path).name}"
        if Path(path).with_name(name).is_file():
            return Ids(frame.index, there)
        return Ids(frame.index, f"the shipped {name}, as there is no {there}")
    if given is None:
        return Ids(frame.index, f"the shipped {name}")
    return Ids(frame.index, lambda: _origin(table, set(frame.index), path))


def _origin(table: schema.Table, ids: set, path) -> str:
    """Where ``ids`` came from, in words: the ``table`` beside ``path``, the shipped
    one, or one given (checked by reading them again: this is for a message only)."""
    def ids_in(file):
        try:
            return set(_read(table, file).index)
        except BackguideError:
            return None

    name = table.filename
    beside = Path(path).with_name(name) if path is not None else None
    if beside is not None and beside.is_file() and ids_in(beside) == ids:
        return f"{name} beside {Path(path).name}"
    if ids_in(None) == ids:
        if beside is not None and not beside.is_file():
            return f"the shipped {name}, as there is no {name} beside {Path(path).name}"
        return f"the shipped {name}"
    return f"the {table.name} table given"


def load_sources(path=None) -> pd.DataFrame:
    """The articles and outside guidance that the library cites.

    Indexed by ``id``.  Columns: ``kind`` (article or outside), ``title``,
    ``short`` (a few words for a chart's label, optional: blank means the title),
    ``publisher``, ``author``, ``date``, ``file`` (the article's file name in
    the project's seeds) and ``url``; blank text is ``""``.
    """
    return _read(schema.SOURCES, path)


def sources_for(path, sources) -> pd.DataFrame:
    """Sources to check links against: given, beside ``path``, or shipped."""
    if sources is not None:
        return sources
    if path is not None:
        beside = Path(path).with_name(schema.SOURCES.filename)
        if beside.is_file():
            return load_sources(beside)
    return load_sources()


def load_exercises(path=None, *, sources: pd.DataFrame | None = None,
                   beside: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exercise library, one row per exercise, checked and typed.

    Parameters
    ----------
    path : str or Path, optional
        A clinic's own ``exercises.csv``.  By default the shipped library.
    sources : DataFrame, optional
        Sources to check the ``sources`` column against.  By default a
        ``sources.csv`` beside ``path`` if there is one, else the shipped
        sources.
    beside : DataFrame, optional
        Exercises loaded beside these (a layered library: the shipped ones),
        which ``easier`` and ``harder`` may name as well as the file's own.

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
            are in seconds; ``minutes`` doses activities.  Each within
            :data:`backguide.schema.DOSE_LIMIT_TABLE`.
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
            Minutes the default dose takes, by :func:`backguide.dose.estimate_seconds`;
            ``NaN`` for an exercise without a dose (its time is unknown).

        Only when the file has them (an imported library):
        ``primary_muscle_words``, ``secondary_muscle_words``, ``equipment_words``
        (tuple of str), the source's own words beside the groups above, and
        ``licence`` and ``author`` (str), the exercise's attribution.  A blank
        ``position`` or ``difficulty`` is missing (unknown, never guessed); an
        ``equipment.csv`` beside the file adds equipment kinds
        (:data:`backguide.schema.EQUIPMENT_KINDS`).

        Columns the schema does not know are kept, as text.

    Raises
    ------
    BackguideError
        Naming the file, line, column, bad value and what was expected.
    """
    known = {"sources": _known(schema.SOURCES, sources_for(path, sources), path, sources)}
    if beside is not None:
        known["exercises"] = Ids(beside.index, f"this file's id column, or the shipped "
                                 f"{schema.EXERCISES.filename} it adds to")
    table = _with_equipment_kinds(path)
    with ExitStack() as stack:
        file = _resolve(table.filename, path, stack)
        # The optional columns (the source's own words, licence, author) are
        # there only when the file has them: the shipped table stays as it is.
        absent = [c.name for c in absent_columns(file, table)]
        ex = read_file(file, table, known).drop(columns=absent)
    access = ex["position"].map(schema.POSITION_ACCESS, na_action="ignore")
    ex["access"] = pd.Categorical(access, categories=schema.ACCESS)
    ex["session_minutes"] = estimate_seconds(
        ex["sets"], ex["reps"], ex["hold_s"], ex["rest_s"], ex["per_side"], ex["minutes"]
    ) / 60.0
    # No dose at all is an unknown time, not a time of nothing.
    undosed = ~has_dose(*(ex[k].to_numpy(dtype=float) for k in schema.DOSE_FIELDS))
    if undosed.any():
        ex.loc[undosed, "session_minutes"] = float("nan")
    return ex


def _with_equipment_kinds(path) -> schema.Table:
    """The exercise table, its equipment words widened by an ``equipment.csv``
    beside ``path`` (:data:`backguide.schema.EQUIPMENT_KINDS`), if there is one."""
    if path is None or not (kinds := Path(path).with_name("equipment.csv")).is_file():
        return schema.EXERCISES
    added = read_file(kinds, schema.EQUIPMENT_KINDS)["equipment"]
    vocab = tuple(dict.fromkeys([*schema.EQUIPMENT, *(str(k).strip() for k in added)]))
    columns = tuple(replace(c, vocab=vocab) if c.name == "equipment" else c
                    for c in schema.EXERCISES.columns)
    return replace(schema.EXERCISES, columns=columns)


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
    equal for a single number, ``NaN`` where the article gives none; the
    dose fields within :data:`backguide.schema.DOSE_LIMIT_TABLE`),
    ``per_side`` (bool), ``dose_note`` (the dose in words, where numbers do
    not say it all) and ``evidence`` (a short phrase quoted from the
    article).
    """
    given = exercises
    if exercises is None:
        exercises = load_exercises(sources=sources)
    known = {"sources": _known(schema.SOURCES, sources_for(path, sources), path, sources),
             "exercises": _known(schema.EXERCISES, exercises, path, given)}
    return _read(schema.DOSES, path, known)


def empty_doses() -> pd.DataFrame:
    """A dose table with the right columns and no rows."""
    return load_doses().iloc[0:0]


def load_guidance(path=None, *, sources: pd.DataFrame | None = None,
                  adds: bool = False) -> pd.DataFrame:
    """Every piece of guidance: the articles' and outside guidance, labelled.

    Indexed by ``id``.  Columns:

    ``source`` (str)
        The id of the source it comes from.
    ``topic`` (categorical)
        From :data:`backguide.schema.GUIDANCE_TOPICS`; ``red_flag`` rows are
        the warning signs, when to see a clinician instead of exercising.
    ``statement`` (str)
        The guidance in plain words.
    ``evidence`` (str)
        A short phrase quoted from the article; blank for outside guidance.
    ``target`` (categorical), ``min``, ``max`` (float), ``unit`` (str)
        What the planning check measures, from
        :data:`backguide.schema.TARGETS` (or missing), and its numbers.
    ``sign``, ``advice`` (str)
        For a ``red_flag`` row, the warning sign in a few words ("Back pain
        with fever or feeling generally unwell") and what to do, as a
        sentence ("See a doctor."); ``""`` on every other row.
    ``stop_rule`` (float)
        1, 2, ... on the rows that together make the stop rule shown on
        every safety screen, in the order they are read; ``NaN`` elsewhere.

    ``adds`` is True where the file's rows are added to the shipped guidance
    (a layered library): the shipped rows number the stop rule, so the file's
    ``stop_rule`` column may number none.

    ``sign``, ``advice`` and ``stop_rule`` are optional columns: a clinic's
    table made before they were added still loads, and takes the shipped
    table's values for the rows it shares with it (by id; ``sign`` and
    ``advice`` only where the clinic's row is a warning sign too).

    Raises
    ------
    BackguideError
        Naming file, line, column, value and what was expected; besides the
        checks of every table: a warning sign without its sign or advice,
        advice that is not a sentence, a sign or advice on a row that is not
        a warning sign, a stop-rule number that is not a whole number from 1
        or is used twice, and a ``stop_rule`` column that marks no row.
    """
    known = {"sources": _known(schema.SOURCES, sources_for(path, sources), path, sources)}
    with ExitStack() as stack:
        file = _resolve(schema.GUIDANCE.filename, path, stack)
        absent = {c.name for c in absent_columns(file, schema.GUIDANCE)}
        guidance = read_file(file, schema.GUIDANCE, known)
        if absent and path is not None:
            _fill_from_shipped(guidance, absent)
        bad = _guidance_problems(guidance, absent | ({"stop_rule"} if adds else set()))
        if bad:
            raise BackguideError(located(file, bad))
    return guidance


def _fill_from_shipped(guidance: pd.DataFrame, absent: set[str]) -> None:
    """Fill the optional columns a clinic's guidance lacks with the shipped
    table's values, for the rows the two share."""
    shipped = load_guidance()
    shared = guidance.index.intersection(shipped.index)
    warning = shared[(guidance.loc[shared, "topic"] == schema.WARNING_SIGN_TOPIC).to_numpy()]
    for name in absent:
        rows = shared if name == "stop_rule" else warning
        guidance.loc[rows, name] = shipped.loc[rows, name]


def _guidance_problems(g: pd.DataFrame, absent: set[str]) -> list[Bad]:
    """What is wrong with the warning signs' and the stop rule's columns.

    A column the file leaves out (``absent``) is not asked to hold anything.
    """
    bad: list[Bad] = []
    warning = (g["topic"] == schema.WARNING_SIGN_TOPIC).to_numpy()
    for row, (topic, sign, advice) in enumerate(zip(g["topic"], g["sign"], g["advice"])):
        if warning[row]:
            if not sign and "sign" not in absent:
                bad.append((row, "sign", sign, "the warning sign in a few words (such as "
                            "'Back pain with fever or feeling generally unwell'), for a "
                            f"{schema.WARNING_SIGN_TOPIC} row", None))
            if not advice and "advice" not in absent:
                bad.append((row, "advice", advice, "what to do, as a sentence (such as "
                            f"'See a doctor.'), for a {schema.WARNING_SIGN_TOPIC} row", None))
            elif advice and not (advice[0].isupper() and advice.endswith(".")):
                bad.append((row, "advice", advice, "a sentence starting with a capital "
                            "letter and ending with a full stop (such as 'See a doctor.')",
                            None))
        else:
            for name, value in (("sign", sign), ("advice", advice)):
                if value:
                    bad.append((row, name, value, f"nothing: only {schema.WARNING_SIGN_TOPIC} "
                                f"rows name a warning sign and what to do (this row's topic "
                                f"is {topic})", None))
    first: dict[float, int] = {}
    for row, x in enumerate(g["stop_rule"]):
        if math.isnan(x):
            continue
        if x < 1 or x != int(x):
            bad.append((row, "stop_rule", f"{x:g}", "a whole number 1, 2, ... giving the "
                        "row's place in the stop rule, or blank", None))
        elif x in first:
            bad.append((row, "stop_rule", f"{x:g}", "a stop-rule number used only once",
                        first[x]))
        else:
            first[x] = row
    if not first and "stop_rule" not in absent and not any(b[1] == "stop_rule" for b in bad):
        bad.append((None, "stop_rule", "", "a stop_rule column numbering 1, 2, ... the rows "
                    "that make the stop rule shown on every safety screen; no row has a "
                    "number", None))
    return bad


def load_poses(path=None, *, exercises: pd.DataFrame | None = None) -> pd.DataFrame:
    """The positions the pictures are drawn from, checked like the exercise table.

    One row per exercise and position (start, middle, end), with ``prop``,
    ``lift`` (height of the lowest point above the floor, for a swimmer or
    a cyclist), the angles in :data:`backguide.schema.POSE_ANGLES` (degrees
    from -360 to 360: 0 points the way the figure faces, 90 up) and a
    ``label``.  ``exercise`` must name an exercise in ``exercises`` (the
    shipped library by default).
    """
    given = exercises
    if exercises is None:
        exercises = load_exercises()
    known = {"exercises": _known(schema.EXERCISES, exercises, path, given)}
    return _read(schema.POSES, path, known)
