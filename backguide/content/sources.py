"""Sources by title: how a person reads where a piece of advice comes from."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..library import Library, resolve


def source_title(source: str, *, lib: Library | None = None) -> str:
    """A source's title as a person reads it (its id only if the table lacks it).

    >>> source_title("who2020")
    'WHO guidelines on physical activity and sedentary behaviour'
    """
    sources = resolve(lib).sources
    return str(sources.at[source, "title"]) if source in sources.index else str(source)


def source_short(source: str, *, lib: Library | None = None) -> str:
    """A source in a few words, for a chart's label: its ``short`` name, else its title.

    >>> source_short("who2020")
    'WHO'
    """
    sources = resolve(lib).sources
    if source in sources.index and "short" in sources.columns:
        short = str(sources.at[source, "short"] or "").strip()
        if short:
            return short
    return source_title(source, lib=lib)


def source_titles(ids: Iterable[str], *, lib: Library | None = None) -> tuple[str, ...]:
    """Each source's title, in the order given, each once."""
    lib = resolve(lib)
    return tuple(dict.fromkeys(source_title(s, lib=lib) for s in ids if s))


def cited_line(ids: Iterable[str], *, lib: Library | None = None) -> str:
    """Several sources' titles, joined for a line of text."""
    return "; ".join(source_titles(ids, lib=lib))


def reference(source: str, *, lib: Library | None = None) -> str:
    """A source as a reference list shows it: its title, and its publisher in brackets."""
    lib = resolve(lib)
    s = lib.sources
    if source not in s.index:
        return str(source)
    publisher = s.at[source, "publisher"]
    return str(s.at[source, "title"]) + (f" ({publisher})" if publisher else "")


def exercise_labels(*, lib: Library | None = None) -> pd.Series:
    """Each exercise's name as a list of choices shows it, indexed by id: its name, and
    where two exercises share a name (in any case, as an imported library's Superman
    beside the shipped one) the title of its first source after it.

    >>> exercise_labels()["cat_cow"]
    'Cat-cow'
    """
    ex = resolve(lib).exercises
    names = ex["name"].astype("str")
    shared = names.str.casefold().duplicated(keep=False).to_numpy()
    labels = names.copy()
    for i in np.flatnonzero(shared):
        first = next(iter(ex["sources"].iat[i]), "")
        labels.iat[i] = (f"{names.iat[i]} (from {source_title(first, lib=lib)})" if first
                         else f"{names.iat[i]} ({ex.index[i]})")
    # Still alike (one source, or names that differ only in case): the id tells them apart.
    alike = labels.str.casefold().duplicated(keep=False).to_numpy()
    for i in np.flatnonzero(alike):
        labels.iat[i] = f"{labels.iat[i]} [{ex.index[i]}]"
    return labels


def exercise_choices(*, lib: Library | None = None) -> list[tuple[str, str]]:
    """``(label, id)`` for a dropdown of every exercise, A to Z by label
    (:func:`exercise_labels`)."""
    labels = exercise_labels(lib=lib)
    return sorted(zip(labels, labels.index), key=lambda p: (p[0].casefold(), p[0]))
