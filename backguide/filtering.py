"""Find exercises by what hurts, what a person can do and where they can get to.

Searching by words
------------------
``filter_exercises(text=...)`` reads the text as people type it, with the
search terms of ``data/search_terms.csv`` (:attr:`Library.terms`):

* The text is split into words (:func:`backguide.library.search_words`) and
  read left to right; at each word the longest term that starts there wins
  ("lower back pain" is *lower back*, then *pain*; "leg pain" is the
  outside term, not *leg*).  Filler words ("the", "my", "in") may stand
  between a phrase's words or be left out: "pins and needles", "lying on
  my back", "weakness in the legs".
* Each recognised term narrows the result by its mapping: an exercise must
  work one of its muscles (primary or secondary), or be of one of its
  categories, positions or difficulties.  Several terms narrow together:
  "stiff lower back" is mobility or stretch work for the lower back.
* Each word no term knows must appear in the exercise's name, an alias or
  a step ("glute bridge": *glute*, and "bridge" in the text).
* Text that is more than one recognised term also finds the exercises whose
  name or an alias holds it as typed ("sit to stand", "hip flexor stretch").
* A term outside what the guide covers (sciatica, numbness, a fall, ...)
  finds nothing at all: :func:`search_advice` says why and which guidance
  to read instead.
* Filler words narrow nothing: "pain" alone is every exercise, as an
  empty search is.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .library import Library, resolve, search_words


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
        What the person typed, read with the search terms as this module's
        docstring says: body areas ("lumbar", "tummy"), plain words
        ("stiff"), positions ("chair") and words to find in the name,
        aliases or steps; case does not matter.  Words outside what the
        guide covers ("sciatica") find nothing: :func:`search_advice` says
        what to do instead.
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
        keep &= _working(lib, muscles, primary_only)
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
        keep &= _text_matches(lib, text, keep)
    if max_minutes is not None:
        keep &= (exercises["session_minutes"] <= max_minutes).to_numpy()
    return exercises[keep]


# --- searching by words ------------------------------------------------------------------


class _Search:
    """What a library's search needs, built once per library: its exercises'
    text in lower case and its terms indexed by first word."""

    def __init__(self, lib: Library):
        ex = lib.exercises
        names = [" | ".join((n, *a)).lower().replace("\u2019", "'")
                 for n, a in zip(ex["name"], ex["aliases"])]
        self.names = pd.Series(names, index=ex.index, dtype="str")
        self.text = pd.Series([f"{n} | {' | '.join(s).lower()}" for n, s in
                               zip(names, ex["steps"])], index=ex.index, dtype="str")
        t = lib.terms
        self.kind = [str(k) for k in t["kind"]]
        self.value = list(t["value"])
        self.words = list(t["words"])
        self.filler = {w[0] for w, k in zip(self.words, self.kind)
                       if k == "filler" and len(w) == 1}
        self.by_first: dict[str, list[int]] = {}
        for row, w in enumerate(self.words):
            self.by_first.setdefault(w[0], []).append(row)


#: One :class:`_Search` per library.  Built on the first text search and kept
#: while the library lives: joining every exercise's steps is a loop over the
#: rows that a x1000 library should pay once, not at every keystroke.
_SEARCHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _search(lib: Library) -> _Search:
    found = _SEARCHES.get(lib)
    if found is None:
        found = _SEARCHES[lib] = _Search(lib)
    return found


def _match_length(tokens: tuple[str, ...], i: int, words: tuple[str, ...],
                  filler: set[str]) -> int:
    """How many of ``tokens`` from ``i`` the term ``words`` covers (0: no match).

    A filler word of the term may be missing from the text, and filler words
    of the text may stand between the term's words.
    """
    j = k = 0
    n = len(tokens) - i
    while k < len(words):
        if j < n and tokens[i + j] == words[k]:
            j, k = j + 1, k + 1
        elif words[k] in filler and k:
            k += 1
        elif 0 < j < n and tokens[i + j] in filler:
            j += 1
        else:
            return 0
    return j


@dataclass(frozen=True)
class _Reading:
    """The text read with the terms: the term rows found with the words that
    said each, and the words no term knows."""

    rows: tuple[int, ...]
    said: tuple[str, ...]
    words: tuple[str, ...]


def _read(search: _Search, text: str) -> _Reading:
    tokens = search_words(text)
    rows, said, words = [], [], []
    i = 0
    while i < len(tokens):
        best, length = -1, 0
        for row in search.by_first.get(tokens[i], ()):
            m = _match_length(tokens, i, search.words[row], search.filler)
            if m > length:  # the longest; the table's first among equals
                best, length = row, m
        if best < 0:
            words.append(tokens[i])
            i += 1
        else:
            rows.append(best)
            said.append(" ".join(tokens[i:i + length]))
            i += length
    return _Reading(tuple(rows), tuple(said), tuple(words))


def _working(lib: Library, muscles: Iterable[str], primary_only: bool = False) -> np.ndarray:
    """Which exercises work any of ``muscles`` (as a primary muscle, or either
    way), read from the long table :attr:`Library.muscles`."""
    m = lib.muscles
    hit = m["muscle"].isin(list(muscles))
    if primary_only:
        hit &= m["role"] == "primary"
    return lib.exercises.index.isin(m.loc[hit, "exercise"])


def _term_mask(lib: Library, kind: str, values: tuple[str, ...]) -> np.ndarray:
    """The exercises one recognised term keeps (read from category codes)."""
    if kind == "muscle":
        return _working(lib, values)
    col = lib.exercises[kind].array
    wanted = col.categories.get_indexer(list(values))
    return np.isin(col.codes, wanted[wanted >= 0])


def _text_matches(lib: Library, text: str, keep: np.ndarray | None = None) -> np.ndarray:
    """Which exercises ``text`` finds, by the rules in this module's docstring.

    Only the rows still in ``keep`` (the other filters' result) are searched
    for words, so a narrow filter makes a text search cheap.
    """
    search = _search(lib)
    reading = _read(search, text)
    n = len(lib.exercises)
    kinds = [search.kind[r] for r in reading.rows]
    if "outside" in kinds:
        return np.zeros(n, dtype=bool)
    phrase = " ".join(text.lower().replace("\u2019", "'").split())
    terms = [r for r, k in zip(reading.rows, kinds) if k != "filler"]
    rows = np.ones(n, dtype=bool) if keep is None else keep.copy()
    found = rows.copy()
    for r in terms:
        found &= _term_mask(lib, search.kind[r], search.value[r])
    for word in reading.words:
        found &= _contains(search.text, word, found)
    if len(terms) + len(reading.words) <= 1:
        return found
    return found | _contains(search.names, phrase, rows)


def _contains(text: pd.Series, needle: str, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` hold ``needle`` in ``text``; the others are False."""
    out = np.zeros(len(text), dtype=bool)
    if rows.any():
        out[rows] = text[rows].str.contains(needle, regex=False).to_numpy(dtype=bool)
    return out


@dataclass(frozen=True, eq=False)
class SearchAdvice:
    """What a search understood, and what it found outside the guide.

    ``understood``
        One row per recognised term, in the text's order: ``said`` (the
        words typed), ``term`` (as the terms table writes it), ``kind``,
        ``value`` (tuple: what it stands for), ``note`` and ``label``
        (``"lumbar → lower back"``), for a view to say "Showing exercises
        for the lower back".
    ``outside``
        One row per term outside what the guide covers: ``said``, ``term``,
        ``note`` (what to do instead, in plain words), ``sources`` and
        ``guidance`` (tuple of the ids of the guidance rows that hold the
        advice).  A search with any of them finds no exercises.
    ``guidance``
        Those guidance rows, as in :attr:`Library.guidance` (indexed by
        id), in its order and each once.
    ``words``
        The words no term knows, looked for in names, aliases and steps.
    """

    text: str
    understood: pd.DataFrame
    outside: pd.DataFrame
    guidance: pd.DataFrame
    words: tuple[str, ...]

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
    (False, ['lower back → lower back'])
    >>> sorted(set(advice.guidance["topic"]))
    ['red_flag']
    """
    lib = resolve(lib)
    search = _search(lib)
    reading = _read(search, text or "")
    t = lib.terms
    g = lib.guidance
    understood, outside = [], []
    for row, said in zip(reading.rows, reading.said):
        kind, value = search.kind[row], search.value[row]
        if kind == "filler":
            continue
        base = {"said": said, "term": t["term"].iat[row], "kind": kind}
        if kind == "outside":
            points = g.index[g.index.isin(value) | g["topic"].isin(value).to_numpy()]
            outside.append({**base, "note": t["note"].iat[row], "sources": t["sources"].iat[row],
                            "guidance": tuple(points)})
        else:
            understood.append({**base, "value": value, "note": t["note"].iat[row],
                               "label": f"{said} \u2192 {', '.join(value)}"})
    pointed = {gid for o in outside for gid in o["guidance"]}
    return SearchAdvice(
        text=text,
        understood=_frame(understood, ["said", "term", "kind", "value", "note", "label"]),
        outside=_frame(outside, ["said", "term", "kind", "note", "sources", "guidance"]),
        guidance=g[g.index.isin(pointed)],
        words=reading.words,
    )


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    text = [c for c in ("said", "term", "kind", "note", "label") if c in columns]
    return frame.astype({c: "str" for c in text})
