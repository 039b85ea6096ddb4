"""What a request is: the parts a sentence asked for, each a chip with a label, and the
filters they make (read by :func:`backguide.search.read_request`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from . import schema


@dataclass(frozen=True)
class Part:
    """One thing a request understood: a chip the page can show and remove.

    ``kind`` is muscle, category, position, access, difficulty, name,
    minutes (the session's length: filters nothing) or max_minutes (each
    exercise's); ``values`` what it filters on (muscle groups, categories,
    positions, places from :data:`backguide.schema.ACCESS`, difficulties,
    words of a name, minutes); ``negated`` whether it leaves them out;
    ``said`` the words typed, a negation's words included; ``label`` the
    chip ("Not on the floor"); ``term`` and ``note`` the search term it was
    read as, where it was one.
    """

    kind: str
    values: tuple
    negated: bool
    said: str
    label: str
    term: str = ""
    note: str = ""


@dataclass(frozen=True, eq=False)
class Request:
    """What a sentence asks for (see :func:`read_request`).

    ``parts``
        The parts understood, in the text's order (:class:`Part`).
    ``minutes``
        The session length asked for ("I have 10 minutes"), or ``None``.
    ``outside``
        One row per topic the guide does not cover: ``said``, ``term``,
        ``kind``, ``note`` (what to do instead), ``sources`` and ``guidance``
        (the ids of the guidance rows with the advice).  With any, the
        request finds no exercises.
    ``guidance``
        Those guidance rows (the warning signs), as in
        :attr:`Library.guidance`.
    ``unknown``
        The words typed that nothing understood; they narrow nothing.
    ``corrections``
        (typed, read as) for each typo read as a known word.
    ``context``
        What was read as when it hurts, not as a request ("when I sit").
    ``near_outside``
        (typed, outside term word) for an unknown word one typo from a topic
        the guide does not cover: worth asking "did you mean ...?".
    """

    text: str
    parts: tuple[Part, ...]
    minutes: float | None
    outside: pd.DataFrame
    guidance: pd.DataFrame
    unknown: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    context: tuple[str, ...] = ()
    near_outside: tuple[tuple[str, str], ...] = ()

    @property
    def covered(self) -> bool:
        """Whether everything typed is within what the guide covers."""
        return self.outside.empty

    @property
    def labels(self) -> tuple[str, ...]:
        """The chips' labels, in the parts' order."""
        return tuple(p.label for p in self.parts)

    @property
    def summary(self) -> str:
        """The parts understood in one sentence: "Looking for: lower back · nothing hard"."""
        if not self.parts:
            return ""
        return "Looking for: " + " \u00b7 ".join(_lower_first(p.label) for p in self.parts)

    def without(self, *indices: int) -> Request:
        """This request with the parts at ``indices`` taken out (a chip undone)."""
        skip = set(indices)
        parts = tuple(p for i, p in enumerate(self.parts) if i not in skip)
        return replace(self, parts=parts, minutes=_session_minutes(parts))

    def filters(self, without: Iterable[int] = ()) -> dict:
        """The keyword arguments of :func:`backguide.filter_exercises` for the parts,
        leaving out those at the indices in ``without``.

        Parts of one kind are alternatives (``muscle=("lower back", "hips")``),
        negated ones go to ``avoid_*``; difficulties become ``max_difficulty``
        and ``min_difficulty``; a session's minutes filter nothing.  A request
        with :attr:`outside` topics finds nothing whatever its filters: pass
        the request itself as ``text`` to get that.
        """
        skip = set(without)
        parts = [p for i, p in enumerate(self.parts) if i not in skip]

        def union(kind: str, negated: bool) -> tuple:
            return tuple(dict.fromkeys(v for p in parts if p.kind == kind
                                       and p.negated == negated for v in p.values))

        out: dict = {}
        for kind, key in (("muscle", "muscle"), ("category", "category"), ("name", "name")):
            if values := union(kind, False):
                out[key] = values
            if values := union(kind, True):
                out[f"avoid_{key}"] = values
        positions, places = union("position", False), union("access", False)
        if positions:
            out["position"] = tuple(dict.fromkeys(
                positions + tuple(p for p, a in schema.POSITION_ACCESS.items() if a in places)))
        elif places:
            out["access"] = places
        if values := union("position", True):
            out["avoid_position"] = values
        if values := union("access", True):
            out["avoid_access"] = values
        out |= _difficulty_bounds(union("difficulty", False), union("difficulty", True))
        if each := [v for p in parts if p.kind == "max_minutes" for v in p.values]:
            out["max_minutes"] = min(each)
        return out


def _difficulty_bounds(wanted: tuple, avoided: tuple) -> dict:
    order = list(schema.DIFFICULTIES)
    allowed = set(wanted) if wanted else set(order)
    for d in avoided:
        rank = order.index(d)
        # "nothing easy" leaves out the easiest; "nothing hard" (or moderate) and above
        allowed -= set(order[:rank + 1]) if rank == 0 else set(order[rank:])
    out = {}
    ranks = sorted(order.index(d) for d in allowed) or [len(order) - 1, 0]
    if ranks[0] > 0:
        out["min_difficulty"] = order[ranks[0]]
    if ranks[-1] < len(order) - 1:
        out["max_difficulty"] = order[ranks[-1]]
    return out


def _session_minutes(parts: Iterable[Part]):
    found = [p.values[0] for p in parts if p.kind == "minutes"]
    return found[-1] if found else None


# --- labels --------------------------------------------------------------------------------

_CATEGORY_WORDS = {"stretch": "stretching", "mobility": "mobility",
                   "strength": "strengthening", "aerobic": "aerobic (cardio)",
                   "mind-body": "mind-body (yoga, Pilates)"}
_ACCESS_WORDS = {"floor": "on the floor", "chair": "seated (chair)", "standing": "standing",
                 "water": "in water"}
_POSITION_WORDS = {"lying on back": "lying on the back", "lying face down": "lying face down",
                   "side-lying": "lying on one side", "all fours": "on all fours",
                   "mixed": "in mixed classes"}
_POSITION_GROUPS = {frozenset(("lying on back", "lying face down", "side-lying")): "lying down",
                    frozenset(("kneeling", "half-kneeling")): "kneeling"}


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[1:2].islower() or s[1:2] in ("", " ") else s


def _minutes_words(n) -> str:
    return f"{n:g} minute{'' if n == 1 else 's'}"


def label(kind: str, values: tuple, negated: bool) -> str:
    """The chip's words for a part: "Not on the floor", "Lower back", "Easy only"."""
    if kind == "muscle":
        words = _or(list(values))
        return f"Not for the {words}" if negated else words.capitalize()
    if kind == "category":
        words = _or([_CATEGORY_WORDS.get(c, c) for c in sorted(
            values, key=lambda c: list(_CATEGORY_WORDS).index(c) if c in _CATEGORY_WORDS else 9)])
        return f"No {words}" if negated else words.capitalize()
    if kind == "access":
        words = _or([_ACCESS_WORDS.get(a, a) for a in values])
        return f"Not {words}" if negated else words.capitalize()
    if kind == "position":
        words = _POSITION_GROUPS.get(frozenset(values)) or _or(
            [_POSITION_WORDS.get(p, p) for p in values])
        if negated:
            return f"No {words}" if " " not in words else f"Not {words}"
        return words.capitalize()
    if kind == "difficulty":
        words = _or(list(values))
        return f"Nothing {words}" if negated else f"{words.capitalize()} only"
    if kind == "name":
        words = _or([f"\u201c{v}\u201d" for v in values])
        return f"Not named {words}" if negated else f"Named {words}"
    if kind == "minutes":
        return f"About {_minutes_words(values[0])} (a whole session)"
    if kind == "max_minutes":
        return f"Each exercise up to {_minutes_words(values[0])}"
    return ", ".join(map(str, values))

