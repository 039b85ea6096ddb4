"""Find exercises by what hurts, what a person can do and where they can get to."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import schema
from .library import Library, resolve


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
    text: str | None = None,
    max_minutes: float | None = None,
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
        The equipment the person has; "none" is always had.  An exercise
        passes if it needs nothing else.
    max_difficulty
        The hardest difficulty to show: "easy" shows easy only.
    text
        Words to find, case-insensitively, in the name, aliases or steps.
    max_minutes
        Longest time for the exercise's default dose, in minutes.

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
    exercises = lib.exercises
    index = exercises.index
    keep = np.ones(len(exercises), dtype=bool)
    if (cats := _words(category, schema.CATEGORIES, "category")) is not None:
        keep &= exercises["category"].isin(cats).to_numpy()
    if (muscles := _words(muscle, schema.MUSCLES, "muscle group")) is not None:
        m = lib.muscles
        hit = m["muscle"].isin(muscles)
        if primary_only:
            hit &= m["role"] == "primary"
        keep &= index.isin(m.loc[hit, "exercise"])
    if (positions := _words(position, schema.POSITIONS, "position")) is not None:
        keep &= exercises["position"].isin(positions).to_numpy()
    if (reach := _words(access, schema.ACCESS, "place")) is not None:
        keep &= exercises["access"].isin(reach).to_numpy()
    if (have := _words(equipment, schema.EQUIPMENT, "equipment")) is not None:
        e = lib.equipment
        keep &= ~index.isin(e.loc[~e["equipment"].isin(have | {"none"}), "exercise"])
    if max_difficulty is not None:
        (hardest,) = _words(max_difficulty, schema.DIFFICULTIES, "difficulty")
        keep &= (exercises["difficulty"] <= hardest).to_numpy()
    if text is not None and text.strip():
        needle = text.strip().lower()
        found = exercises["name"].str.lower().str.contains(needle, regex=False).to_numpy()
        for col in ("aliases", "steps"):
            found = found | np.fromiter((needle in " | ".join(v).lower() for v in exercises[col]),
                                        dtype=bool, count=len(exercises))
        keep &= found
    if max_minutes is not None:
        keep &= (exercises["session_minutes"] <= max_minutes).to_numpy()
    return exercises[keep]
