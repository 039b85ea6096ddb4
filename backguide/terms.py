"""The search terms: the words people type, mapped to what the guide covers."""

from __future__ import annotations

import re
from contextlib import ExitStack

import numpy as np
import pandas as pd

from . import schema
from .errors import BackguideError
from .loaders import Bad, _resolve, load_guidance, located, read_file, sources_for

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
    :func:`backguide.load_exercises`.

    Raises
    ------
    BackguideError
        Naming file, line, column, value and what was expected: a value
        outside its kind's vocabulary, an outside term without a note or
        pointing to no guidance, a filler word with a value, a term with no
        words or listed twice.
    """
    known = {"sources": set(sources_for(path, sources).index)}
    if guidance is None:
        guidance = load_guidance()
    with ExitStack() as stack:
        file = _resolve(schema.SEARCH_TERMS.filename, path, stack)
        terms = read_file(file, schema.SEARCH_TERMS, known)
        words = [search_words(t) for t in terms["term"]]
        values, bad = _term_values(terms, words, guidance)
        if bad:
            raise BackguideError(located(file, bad))
    terms["value"] = _objects(values)
    terms["words"] = _objects(words)
    return terms


def _objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _term_values(terms: pd.DataFrame, words: list[tuple[str, ...]], guidance: pd.DataFrame
                 ) -> tuple[list[tuple[str, ...]], list[Bad]]:
    """Each term's value in the schema's spelling, and the bad cells."""
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
