"""What a library's search needs, built once per library (:func:`vocab`), and typos.

:mod:`backguide.search` reads a request against a library's :class:`Vocab`:
its terms, exercise names and the words a typo may be of.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left

import pandas as pd

from . import schema
from .grammar import (_GRAMMAR_KINDS, _PUNCT, CANNOT, CLAUSE, HARD_TO, NOT, NOT_NAMES, NUMBERS,
                      STOP, UNITS, WHEN, one_edit, tokens)
from .library import Library

# --- what a library's search needs, built once per library ---------------------------------


class _Vocab:
    def __init__(self, lib: Library):
        t = lib.terms
        self.kind = [str(k) for k in t["kind"]]
        self.value = [tuple(v) for v in t["value"]]
        self.words = [tuple(w) for w in t["words"]]
        self.term = [str(x) for x in t["term"]]
        self.note = [str(x) for x in t["note"]]
        self.sources = list(t["sources"])
        self.filler = STOP | {w[0] for w, k in zip(self.words, self.kind)
                              if k == "filler" and len(w) == 1}
        self.by_first: dict[str, list[int]] = {}
        for row, w in enumerate(self.words):
            if w:
                self.by_first.setdefault(w[0], []).append(row)
        # A position term that covers every position of some places is a place.
        self.access: dict[int, tuple[str, ...]] = {}
        for row, (k, v) in enumerate(zip(self.kind, self.value)):
            if k == "position" and v:
                places = tuple(dict.fromkeys(schema.POSITION_ACCESS.get(p) for p in v))
                if None not in places and set(v) == {
                        p for p, a in schema.POSITION_ACCESS.items() if a in places}:
                    self.access[row] = places
        self.grammar: dict[tuple[str, ...], str] = {}
        for role, phrases in (("not", NOT), ("cannot", CANNOT), ("hard_to", HARD_TO),
                              ("when", WHEN), ("clause", CLAUSE),
                              ("filler", ("nothing but", "not sure", "don't know", "dont know",
                                          "no idea", "no problem", "not too bad"))):
            for phrase in phrases:
                self.grammar[tuple(phrase.split())] = role
        self.grammar[("whilst",)] = "when"  # British "while"
        # kinds the schema may come to hold: the grammar from the terms table too
        for w, k in zip(self.words, self.kind):
            if k in _GRAMMAR_KINDS and w:
                self.grammar[w] = k
        self.grammar_max = max(len(p) for p in self.grammar)
        # exercise names and aliases, as words
        ex = lib.exercises
        names = [[_words(n) for n in (name, *aliases)]
                 for name, aliases in zip(ex["name"], ex["aliases"])]
        self.names = pd.Series([" | ".join(" ".join(w) for w in ns) for ns in names],
                               index=ex.index, dtype="str")
        term_words = {x for w, k in zip(self.words, self.kind) if k != "filler" for x in w}
        self.outside_only = ({x for w, k in zip(self.words, self.kind) if k == "outside"
                              for x in w} - {x for w, k in zip(self.words, self.kind)
                                             if k != "outside" for x in w})
        grammar_words = {x for p in self.grammar for x in p}
        name_words = {x for ns in names for w in ns for x in w}
        self.name_words = sorted(name_words)
        plain = term_words | self.filler | grammar_words | set(NUMBERS) | set(UNITS)
        self.known = plain | name_words
        self.spans: set[tuple[str, ...]] = set()
        for ns in names:
            for w in ns:
                whole = len(w) >= 2
                for i in range(len(w)):
                    for j in range(i + 2, min(len(w), i + 6) + 1):
                        span = w[i:j]
                        if (whole and (i, j) == (0, len(w))) or any(
                                x not in plain for x in span):
                            self.spans.add(span)
        self.span_max = max(map(len, self.spans), default=0)
        # words a typo may be read as: the terms' words first, then names', then long
        # filler words ("excercises"; a short one is more likely a word of its own)
        self.typo_targets = [
            sorted(x for x in term_words - self.outside_only - self.filler if len(x) >= 4),
            sorted(x for x in name_words - plain if len(x) >= 4 and x.isalpha()),
            sorted(x for x in self.filler if len(x) >= 6)]
        self.outside_words = sorted(x for x in self.outside_only if len(x) >= 4)
        self.empty: tuple[pd.DataFrame, pd.DataFrame] | None = None

    def name_hit(self, word: str) -> str | None:
        """The form of ``word`` that starts a word of some name, or None."""
        if (len(word) < 3 or not word.isalpha() or word in self.filler or word in NUMBERS
                or word in NOT_NAMES):
            return None
        forms = [word]
        if word.endswith("es") and len(word) > 4:
            forms.append(word[:-2])
        if word.endswith("s") and len(word) > 3:
            forms.append(word[:-1])
        if word.endswith("ing") and len(word) > 6:  # "twisting", "squatting"
            stem = word[:-3]
            forms += [stem[:-1]] if stem[-1] == stem[-2] else [stem, stem + "e"]
        for form in forms:
            i = bisect_left(self.name_words, form)
            if i < len(self.name_words) and (
                    self.name_words[i] == form
                    or (len(form) >= 4 and self.name_words[i].startswith(form))):
                return form
        return None


def _words(text: str) -> tuple[str, ...]:
    return tuple(t for t in tokens(text) if t not in _PUNCT)


_VOCABS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _vocab(lib: Library) -> _Vocab:
    found = _VOCABS.get(lib)
    if found is None:
        found = _VOCABS[lib] = _Vocab(lib)
    return found



# --- typos ---------------------------------------------------------------------------------

def _near(word: str, targets: list[str]) -> list[str]:
    return [t for t in targets if (t[0] == word[0] or t[:2] == word[1::-1]) and one_edit(word, t)]


def _correct(v: _Vocab, word: str) -> tuple[str | None, str | None]:
    """(the known word ``word`` is a typo of, an outside word it is near)."""
    if len(word) < 4 or not word.isalpha() or word in v.known:
        return None, None
    outside = _near(word, v.outside_words)
    if outside:
        return None, outside[0]
    for targets in v.typo_targets:
        found = _near(word, targets)
        if len(found) == 1:
            return found[0], None
        if found:
            return None, None  # two readings: guess neither
    return None, None
