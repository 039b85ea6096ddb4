"""Find exercises by what hurts, what a person can do and where they can get to.

Searching by words
------------------
``filter_exercises(text=...)`` reads the text as people type it with
:func:`backguide.search.read_request` (exported here too), whose docstring
has the rules: the text is read with the search terms of
``data/search_terms.csv`` (:attr:`Library.terms`) into parts, each a body
area, a kind of exercise, a place or position, a difficulty, an exercise's
name or a time, each wanted or left out ("I can't get down to the floor").
Parts of one kind are alternatives; kinds narrow together.  Words that carry
no meaning narrow nothing, and neither do words nothing understood.  A
topic outside what the guide covers (sciatica, numbness, a fall) finds
nothing at all: :func:`search_advice` says why and which guidance to read
instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .library import Library, resolve
from .search import Part, Request, _vocab, frame, read_request

__all__ = ["filter_exercises", "without_dose", "search_advice", "read_request", "Request", "Part",
           "SearchAdvice"]


def _words(value, vocab: tuple[str, ...], what: str) -> set[str] | None:
    """A set of vocabulary words from one word or many; ``None`` means any."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = set()
    for item in items:
        match = next((v for v in vocab if v.lower() == str(item).strip().lower()), None)
        if match is None:
            raise ValueError(f"Unknown {what} {item!r}; expected one of: {', '.join(vocab)}.")
        out.add(match)
    return out


def filter_exercises(
    *,
    lib: Library | None = None,
    category: str | Iterable[str] | None = None,
    muscle: str | Iterable[str] | None = None,
    primary_only: bool = False,
    position: str | Iterable[str] | None = None,
    access: str | Iterable[str] | None = None,
    equipment: str | Iterable[str] | None = None,
    max_difficulty: str | None = None,
    text: str | Request | None = None,
    max_minutes: float | None = None,
    min_difficulty: str | None = None,
    avoid_category: str | Iterable[str] | None = None,
    avoid_muscle: str | Iterable[str] | None = None,
    avoid_position: str | Iterable[str] | None = None,
    avoid_access: str | Iterable[str] | None = None,
    name: str | Iterable[str] | None = None,
    avoid_name: str | Iterable[str] | None = None,
    show_unknown_position: bool = False,
) -> pd.DataFrame:
    """The exercises that pass every filter given; no filter returns them all.

    Parameters
    ----------
    lib
        The library to search; by default the shipped one.
    category, position
        One word or several from the schema's vocabulary; an exercise passes
        if it is any of them.
    muscle
        One muscle group or several: an exercise passes if it works any of
        them, as a primary or, unless ``primary_only``, a secondary muscle.
    access
        Where the person can get to (floor, chair, standing, water): an
        exercise passes if its position is reachable.  ``["chair",
        "standing"]`` hides everything done on the floor.
    equipment
        The equipment the person has; "none" is always had, and so is a
        chair when ``access`` names one.  An exercise
        passes if it needs nothing else.
    max_difficulty, min_difficulty
        The hardest and the easiest difficulty to show: ``max_difficulty=
        "easy"`` shows easy only; ``min_difficulty="moderate"`` hides the easy.
        An exercise whose difficulty is blank (unknown) is hidden by a limit
        that narrows, never taken as easy.
    text
        What the person typed, read by :func:`read_request` ("I can't get
        down to the floor", "lower back, nothing too hard"); or a
        :class:`Request` already read (``request.without(1)``: with a chip
        undone).  It narrows together with the other filters.  A topic
        outside what the guide covers ("sciatica") finds nothing:
        :func:`search_advice` says what to do instead.
    max_minutes
        Longest time for the exercise's default dose, in minutes.  An
        exercise without a dose (its time unknown) is left out:
        :func:`without_dose` says how many.
    avoid_category, avoid_position, avoid_access
        Categories, positions or places to leave out.
    show_unknown_position
        Keep the exercises whose position is blank (unknown, as in an imported
        library) when a position or place filter narrows the list.  By default
        they are hidden: "not on the floor" shows only what is known to be off
        it (every place ticked narrows nothing, and hides nothing).
    avoid_muscle
        Muscle groups to leave out: an exercise that works any of them as a
        primary muscle is hidden.
    name, avoid_name
        Words or phrases of exercises' names or aliases (a word may be the
        start of a word: "walk" finds "Fast walking"): ``name`` keeps the
        exercises that have any of them, ``avoid_name`` hides them.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``lib.exercises``, in the table's order.

    Raises
    ------
    ValueError
        For a word outside the vocabulary, naming the words allowed.
    """
    lib = resolve(lib)
    keep = _mask(lib, category=category, muscle=muscle, primary_only=primary_only,
                 position=position, access=access, equipment=equipment,
                 max_difficulty=max_difficulty, min_difficulty=min_difficulty,
                 max_minutes=max_minutes, avoid_category=avoid_category,
                 avoid_muscle=avoid_muscle, avoid_position=avoid_position,
                 avoid_access=avoid_access, name=name, avoid_name=avoid_name,
                 show_unknown_position=show_unknown_position)
    if isinstance(text, str) and text.strip():
        text = read_request(text, lib=lib)
    if isinstance(text, Request):
        if not text.covered:
            keep[:] = False
        elif any(p.kind != "minutes" for p in text.parts):
            keep &= _mask(lib, **text.filters(), show_unknown_position=show_unknown_position)
    return lib.exercises[keep]


def _mask(lib: Library, *, category=None, muscle=None, primary_only=False, position=None,
          access=None, equipment=None, max_difficulty=None, min_difficulty=None,
          max_minutes=None, avoid_category=None, avoid_muscle=None, avoid_position=None,
          avoid_access=None, name=None, avoid_name=None,
          show_unknown_position=False) -> np.ndarray:
    """Which exercises pass every filter given (the keywords of :func:`filter_exercises`)."""
    exercises = lib.exercises
    index = exercises.index
    keep = np.ones(len(exercises), dtype=bool)

    def isin(column: str, values: set[str]) -> np.ndarray:
        return exercises[column].isin(values).to_numpy(dtype=bool)

    for value, avoid, column, vocab, what in (
            (category, avoid_category, "category", schema.CATEGORIES, "category"),
            (position, avoid_position, "position", schema.POSITIONS, "position"),
            (access, avoid_access, "access", schema.ACCESS, "place")):
        # Unknown is unknown: a blank position is neither "on the floor" nor "off it".
        # A filter that narrows hides it, unless asked to show it (every place ticked
        # narrows nothing, and hides nothing).
        unknown = (show_unknown_position and column != "category"
                   and exercises[column].isna().to_numpy(dtype=bool))
        if (wanted := _words(value, vocab, what)) is not None and wanted != set(vocab):
            keep &= isin(column, wanted) | unknown
        if (unwanted := _words(avoid, vocab, what)) is not None:
            keep &= ~isin(column, unwanted)
            if column != "category" and not show_unknown_position:
                keep &= exercises[column].notna().to_numpy(dtype=bool)
    if (muscles := _words(muscle, schema.MUSCLES, "muscle group")) is not None:
        keep &= _working(lib, muscles, primary_only)
    if (muscles := _words(avoid_muscle, schema.MUSCLES, "muscle group")) is not None:
        keep &= ~_working(lib, muscles, primary_only=True)
    e = lib.equipment
    # A library may add equipment kinds (a kettlebell, a barbell): the person may tick them.
    kinds = tuple(dict.fromkeys([*schema.EQUIPMENT, *e["equipment"]]))
    if (have := _words(equipment, kinds, "equipment")) is not None:
        # A person who can get to a chair has one: "I can get to: chair" with "I have:
        # nothing" still lists the seated exercises.
        places = _words(access, schema.ACCESS, "place")
        if places is not None and "chair" in places:
            have = have | {"chair"}
        keep &= ~index.isin(e.loc[~e["equipment"].isin(have | {"none"}), "exercise"])
    # A blank difficulty (unknown) passes no limit that narrows: "easy only"
    # hides it; "up to hard" narrows nothing, and hides nothing.
    if max_difficulty is not None:
        (hardest,) = _words(max_difficulty, schema.DIFFICULTIES, "difficulty")
        if hardest != schema.DIFFICULTIES[-1]:
            keep &= (exercises["difficulty"] <= hardest).to_numpy(dtype=bool)
    if min_difficulty is not None:
        (easiest,) = _words(min_difficulty, schema.DIFFICULTIES, "difficulty")
        if easiest != schema.DIFFICULTIES[0]:
            keep &= (exercises["difficulty"] >= easiest).to_numpy(dtype=bool)
    if max_minutes is not None:
        keep &= (exercises["session_minutes"] <= max_minutes).to_numpy(dtype=bool)
    if name is not None:
        keep &= _named(lib, name)
    if avoid_name is not None:
        keep &= ~_named(lib, avoid_name)
    return keep


def without_dose(exercises=None, *, lib: Library | None = None) -> str:
    """Say how many of ``exercises`` (rows of ``lib.exercises`` or their ids; by
    default all) have no dose, so their time is unknown and the time filters and
    :func:`backguide.suggest_routine` leave them out; ``""`` when none.

    >>> without_dose()
    ''
    """
    ex = resolve(lib).exercises
    if exercises is not None:
        ids = exercises.index if isinstance(exercises, pd.DataFrame) else list(exercises)
        ex = ex.loc[ex.index.intersection(pd.Index(ids))]
    n = int(ex["session_minutes"].isna().sum())
    if not n:
        return ""
    those = "exercise has" if n == 1 else "exercises have"
    return (f"{n} {those} no dose, so {'its' if n == 1 else 'their'} time is unknown and "
            "time limits leave them out: ask your clinician for a dose.")


def _named(lib: Library, words: str | Iterable[str]) -> np.ndarray:
    """Which exercises have any of ``words`` starting a word of their name or an alias."""
    items = [words] if isinstance(words, str) else list(words)
    phrases = [" ".join(w.lower().replace("\u2019", "'").split()) for w in items]
    if not any(phrases):
        return np.zeros(len(lib.exercises), dtype=bool)
    pattern = "|".join(rf"(?:^|[^a-z0-9']){re.escape(p)}" for p in phrases if p)
    names = _vocab(lib).names
    return names.str.contains(pattern, regex=True).to_numpy(dtype=bool)


def _working(lib: Library, muscles: Iterable[str], primary_only: bool = False) -> np.ndarray:
    """Which exercises work any of ``muscles`` (as a primary muscle, or either
    way), read from the long table :attr:`Library.muscles`."""
    m = lib.muscles
    hit = m["muscle"].isin(list(muscles))
    if primary_only:
        hit &= m["role"] == "primary"
    return lib.exercises.index.isin(m.loc[hit, "exercise"])


@dataclass(frozen=True, eq=False)
class SearchAdvice:
    """What a search understood, and what it found outside the guide.

    ``understood``
        One row per part understood (:attr:`Request.parts`), in the text's
        order: ``said`` (the words typed), ``term`` (as the terms table
        writes it; blank for a name or a time), ``kind``, ``value`` (tuple:
        what it filters on), ``negated``, ``note``, ``label``
        (``"lumbar → lower back"``, ``"no floor → not floor"``) and ``chip``
        (the part's label: "Not on the floor").
    ``outside``
        One row per term outside what the guide covers: ``said``, ``term``,
        ``note`` (what to do instead, in plain words), ``sources`` and
        ``guidance`` (tuple of the ids of the guidance rows that hold the
        advice).  A search with any of them finds no exercises.
    ``guidance``
        Those guidance rows, as in :attr:`Library.guidance` (indexed by
        id), in its order and each once.
    ``words``
        The words nothing understood; they narrow nothing.
    ``request``
        The whole reading (:class:`Request`): chips, minutes, summary.
    """

    text: str
    understood: pd.DataFrame
    outside: pd.DataFrame
    guidance: pd.DataFrame
    words: tuple[str, ...]
    request: Request | None = None

    @property
    def covered(self) -> bool:
        """Whether everything typed is within what the guide covers."""
        return self.outside.empty


def search_advice(text: str, *, lib: Library | None = None) -> SearchAdvice:
    """What :func:`filter_exercises` makes of ``text``, for a view to explain.

    "sciatica" finds no exercises; this says why ("Pain that travels down
    the leg (sciatica) needs a clinician's advice") and points to the
    warning signs in the guidance.  "lumbar" finds the lower back's
    exercises; this says that "lumbar" was read as the lower back.

    Examples
    --------
    >>> advice = search_advice("sciatica in my lower back")
    >>> advice.covered, list(advice.understood["label"])
    (False, ['lower back \u2192 lower back'])
    >>> sorted(set(advice.guidance["topic"]))
    ['red_flag']
    """
    lib = resolve(lib)
    request = read_request(text or "", lib=lib)
    understood = [{"said": p.said, "term": p.term, "kind": p.kind, "value": p.values,
                   "negated": p.negated, "note": p.note,
                   "label": f"{p.said} \u2192 {'not ' if p.negated else ''}"
                            f"{', '.join(map(str, p.values))}",
                   "chip": p.label} for p in request.parts]
    return SearchAdvice(
        text=text,
        understood=frame(understood, ["said", "term", "kind", "value", "negated", "note",
                                      "label", "chip"]),
        outside=request.outside,
        guidance=request.guidance,
        words=request.unknown,
        request=request,
    )
