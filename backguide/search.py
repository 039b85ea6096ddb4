"""Reading what people type: what they want, what they cannot do, and for how long.

:func:`read_request` reads a sentence ("I can't get down to the floor",
"lower back pain, nothing too hard", "I have 10 minutes") into a
:class:`Request`: the parts it understood, each a removable chip with a
label, what each filters on, and the session length asked for.

The vocabulary (body areas, kinds of exercise, places and positions,
difficulties, the topics the guide does not cover, and the filler words that
mean nothing here) is the search terms table, ``data/search_terms.csv``.
The few closed word lists the rules need (the words of negation, of context,
of time) are in :mod:`backguide.grammar`: they are grammar, not vocabulary.
What a request is (its parts, their chips' labels and the filters they
make) is in :mod:`backguide.request`.

The rules
---------
* The text is read left to right; at each word the longest reading that
  starts there wins: a time ("10 minutes", "half an hour"), a topic outside
  the guide ("pain down my leg"), a grammar word ("can't", "when"), an
  exercise's name ("knee to chest") or a search term ("lower back").
  Filler words may stand between a term's words ("lying on my front").
* **Parts of one kind are alternatives, kinds narrow together**: "sitting
  or standing" is either place; "stiff lower back" is mobility or stretch
  work for the lower back.
* **Negation** leaves a part out.  "not", "no", "nothing", "without",
  "avoid", "don't" ... leave out what follows within its clause (within a
  few words; a comma, "but" or "so" ends a clause); "can't", "cannot",
  "unable", "trouble", "hard to" ... leave out a place, a position, an
  exercise, a kind or a difficulty, never a body area ("I can't move my
  hips" asks for the hips).  A body area is left out only by a plain
  negation close before it ("not my neck", "nothing for the shoulders").
  A pain word between cancels the negation ("exercises that don't hurt my
  back" asks for the back).  "or" carries a negation on ("no kneeling or
  lying down"), and so do "and" or a comma to a part of the same kind.
  "too" before a difficulty leaves it out ("too hard").
* **Context is not a request**: a place or an activity after "when",
  "while", "after", "during", "if" ("my back hurts when I sit"), or soon
  followed by "all day", "for long", "hurts", "makes it worse" ("sitting all
  day"), or straight after a pain word ("pain sitting down"), says when it
  hurts, not where to exercise: it filters nothing.  After "while" or
  "when" the clause decides: the nearest pain word or word of asking
  before it (after it, if none is before) says which.  "my back hurts while
  sitting" is when it hurts; "a stretch I can do while standing", "while
  standing, stretch my hamstrings" ask for standing ("I can't exercise
  while standing" leaves it out).  "I can only sit", "sitting exercises",
  "in a chair" are requests.
* **A time** ("10 minutes", "a 15 minute session", "half an hour") is the
  session's length: it filters nothing and is :attr:`Request.minutes`.
  With "each" or "per exercise" it is the longest time for each exercise.
* **Names**: an unknown word that starts a word of some exercise's name or
  alias ("bridge", "plank", "walk"; "planks" and "twisting" too) finds
  those exercises; so does a run of words from a name ("knee to chest",
  "arm lift").  An unknown word found in no name, or a body part the guide
  has no muscle group for ("knees", :data:`backguide.grammar.NOT_NAMES`), is reported in
  :attr:`Request.unknown` and narrows nothing.
* **Typos**: an unknown word of four letters or more, one edit (a letter
  added, dropped, changed or two swapped, the first letter kept) from
  exactly one word the guide knows, is read as that word ("lowr back").
  Never into a topic outside the guide: such a near miss is reported in
  :attr:`Request.near_outside` instead.
* **Outside the guide**: a term of kind ``outside`` (numbness, a fall,
  bladder trouble) finds nothing at all, negated or not, and its advice and
  warning signs are in :attr:`Request.outside` and :attr:`Request.guidance`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .grammar import (_GRAMMAR_KINDS, _HURTS_SKIP, _PUNCT, ASK, HARM, HURTS_AFTER, PAIN, PLACES,
                      SOFT_WHEN, parse_time, tokens)
from .library import Library, resolve
from .request import Part, Request, _session_minutes, label
from .search_vocab import _correct, _Vocab, _vocab

__all__ = ["read_request", "Request", "Part", "label", "tokens"]


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Item:
    role: str  # term, name, time, not, cannot, hard_to, when, clause, punct, or, and, too,
    #            filler, unknown
    start: int
    end: int
    row: int = -1
    value: object = None


def _match_length(toks: tuple[str, ...], i: int, words: tuple[str, ...],
                  filler: set[str]) -> int:
    """How many of ``toks`` from ``i`` the term ``words`` covers (0: no match); a filler
    word of the term may be missing, filler words of the text may stand between."""
    j = k = 0
    n = len(toks) - i
    while k < len(words):
        if j < n and toks[i + j] == words[k]:
            j, k = j + 1, k + 1
        elif words[k] in filler and k:
            k += 1
        elif 0 < j < n and toks[i + j] in filler:
            j += 1
        else:
            return 0
    return j



def _segment(v: _Vocab, toks: tuple[str, ...]) -> list[_Item]:
    """The text as items, the longest reading at each word first."""
    items, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t in _PUNCT:
            items.append(_Item("punct", i, i + 1, value=t))
            i += 1
            continue
        best: _Item | None = None
        if (time := parse_time(toks, i)) is not None:
            best = _Item("time", i, i + time[0], value=(time[1], time[2]))
        for n in range(min(v.grammar_max, len(toks) - i), 0, -1):
            role = v.grammar.get(toks[i:i + n])
            if role == "when" and t == "from" and n == 1 and not (
                    i + 1 < len(toks) and toks[i + 1].endswith("ing")):
                role = "filler"  # "from sitting" is context; "up from the floor" is not
            if role and (best is None or n > best.end - i):
                best = _Item(role, i, i + n)
                break
        for n in range(min(v.span_max, len(toks) - i), 1, -1):
            if toks[i:i + n] in v.spans and (best is None or n > best.end - i):
                best = _Item("name", i, i + n, value=" ".join(toks[i:i + n]))
                break
        for row in v.by_first.get(t, ()):
            if v.kind[row] in _GRAMMAR_KINDS:
                continue
            m = _match_length(toks, i, v.words[row], v.filler)
            if m and (best is None or m > best.end - i):  # the table's first among equals
                best = _Item("term", i, i + m, row=row)
        if best is not None and best.role == "term" and v.kind[best.row] == "filler":
            best.role = "filler"
        if best is None or (best.role == "filler" and best.end == i + 1):
            if t in ("or", "nor"):
                best = _Item("or", i, i + 1)
            elif t == "and":
                best = _Item("and", i, i + 1)
            elif t in ("too", "overly"):
                best = _Item("too", i, i + 1)
        if best is None:
            if t in v.filler:
                best = _Item("filler", i, i + 1)
            elif (form := v.name_hit(t)) is not None:
                best = _Item("name", i, i + 1, value=form)
            else:
                best = _Item("unknown", i, i + 1)
        items.append(best)
        i = best.end
    return items


def _kind(v: _Vocab, it: _Item) -> tuple[str, tuple]:
    if it.role == "name":
        return "name", (it.value,)
    if it.row in v.access:
        return "access", v.access[it.row]
    return v.kind[it.row], v.value[it.row]


_NEAR_AREA = frozenset(("my", "the", "for", "your", "on", "in", "to", "any", "a", "an", "at",
                        "with", "of", "our"))


def read_request(text: str, *, lib: Library | None = None) -> Request:
    """Read what a person typed into a :class:`Request` (the rules are in this
    module's docstring).

    Examples
    --------
    >>> r = read_request("I can't get down to the floor")
    >>> [(p.kind, p.values, p.negated, p.label) for p in r.parts]
    [('access', ('floor',), True, 'Not on the floor')]
    >>> r.filters()
    {'avoid_access': ('floor',)}
    >>> read_request("lower back pain, nothing too hard").summary
    'Looking for: lower back · nothing hard'
    >>> read_request("a 15 minute session").minutes, read_request("I have 10 minutes").filters()
    (15, {})
    """
    lib = resolve(lib)
    v = _vocab(lib)
    typed = tokens(text)
    toks, corrections, near_outside = list(typed), [], []
    for i, t in enumerate(typed):
        if v.name_hit(t) is not None:  # "planks", "twisting": a name's word, not a typo
            continue
        fixed, near = _correct(v, t)
        if fixed:
            toks[i] = fixed
            corrections.append((t, fixed))
        elif near:
            near_outside.append((t, near))
    toks = tuple(toks)
    items = _segment(v, toks)
    said = lambda a, b: " ".join(typed[a:b])  # noqa: E731

    raw: list[dict] = []       # parts before labels: kind, values, negated, start, end, row
    context: list[str] = []
    outside: list[dict] = []
    unknown: list[str] = []
    pending = None             # a negation waiting for its part: the item
    when = False               # a context word waiting for its place
    chain = None               # after a negated part: [kind, connector]
    too = False
    for n, it in enumerate(items):
        role = it.role
        if role in ("punct", "clause"):
            if role == "punct" and it.value == "," and chain is not None:
                chain[1] = "and"
            else:
                chain = None
            pending, when, too = None, False, False
            continue
        if role in ("or", "and"):
            if chain is not None:
                chain[1] = role
            continue
        if role in ("filler", "unknown"):
            if pending is not None and toks[it.start] in HARM:
                pending = None
            if role == "unknown":
                unknown.append(typed[it.start])
            continue
        if role == "too":
            too = True
            continue
        if role in ("not", "cannot", "hard_to"):
            if role == "hard_to" and not _hard_to_negates(v, items, n):
                rows = [r for r in v.by_first.get("hard", ()) if v.kind[r] == "difficulty"]
                if rows:  # "nothing too hard to follow": the difficulty
                    it = _Item("term", it.start, it.end, row=rows[0])
                    role = "term"
            if role != "term":
                pending, chain, when = it, None, False
                continue
        if role == "when":  # "stretch while standing": how; "pain while standing": when
            when = toks[it.start:it.end] not in SOFT_WHEN or not _wants(v, items, n, toks)
            if when:  # "I can't exercise while standing" leaves standing out
                pending = None
            chain = None
            continue
        if role == "time":
            minutes, each = it.value
            minutes = int(minutes) if float(minutes).is_integer() else round(minutes, 2)
            raw.append(dict(kind="max_minutes" if each else "minutes", values=(minutes,),
                            negated=False, start=it.start, end=it.end, row=-1))
            continue
        # a term or a name
        if role == "term" and v.kind[it.row] == "outside":
            outside.append(dict(said=said(it.start, it.end), row=it.row))
            pending, chain = None, None
            continue
        kind, values = _kind(v, it)
        negated, start = False, it.start
        if pending is not None and _reaches(pending, kind, toks, it):
            negated, start, pending, chain = True, pending.start, None, [kind, None]
        elif chain is not None and (chain[1] == "or" or (chain[1] == "and" and chain[0] == kind)):
            negated, chain[1] = True, None
        else:
            chain = None
        if kind == "difficulty" and too:
            negated = True
        too = False
        if not negated and kind in PLACES:
            when = when or (it.start > 0 and toks[it.start - 1] in PAIN)  # "pain sitting"
            if when or _hurts_after(toks, it.end):
                context.append(said(it.start, it.end))
                # places said together share it: "I sit at a desk all day"
                while raw and raw[-1]["kind"] in PLACES and not raw[-1]["negated"] and all(
                        x.role == "filler" for x in items if raw[-1]["end"] <= x.start < it.start):
                    prev = raw.pop()
                    context.insert(len(context) - 1, said(prev["start"], prev["end"]))
                continue
        else:
            when = False
        raw.append(dict(kind=kind, values=values, negated=negated, start=start, end=it.end,
                        row=it.row))

    parts, seen = [], set()
    for r in raw:
        key = (r["kind"], r["values"], r["negated"])
        if key in seen:
            continue
        seen.add(key)
        row = r["row"]
        parts.append(Part(kind=r["kind"], values=r["values"], negated=r["negated"],
                          said=said(r["start"], r["end"]),
                          label=label(r["kind"], r["values"], r["negated"]),
                          term=v.term[row] if row >= 0 else "",
                          note=v.note[row] if row >= 0 else ""))
    out_frame, guidance = _outside(v, lib, outside)
    return Request(text=text or "", parts=tuple(parts), minutes=_session_minutes(parts),
                   outside=out_frame, guidance=guidance, unknown=tuple(unknown),
                   corrections=tuple(corrections), context=tuple(context),
                   near_outside=tuple(near_outside))


def _hard_to_negates(v: _Vocab, items: list[_Item], n: int) -> bool:
    """Whether "hard to" at ``items[n]`` is about a place, an exercise or a kind."""
    for it in items[n + 1:n + 5]:
        if it.role in ("punct", "clause", "when", "not", "cannot"):
            return False
        if it.role in ("term", "name"):
            return _kind(v, it)[0] in (*PLACES, "category")
    return False


def _wants(v: _Vocab, items: list[_Item], n: int, toks: tuple[str, ...]) -> bool:
    """Whether the "while" or "when" at ``items[n]`` says how to exercise, not when it
    hurts: the nearest pain word or word of asking before it in its clause decides, else
    the first after it in its sentence ("while standing, stretch"); neither is when."""
    for ahead, seq in ((False, reversed(items[:n])), (True, items[n + 1:])):
        for it in seq:
            if it.role == "clause" or (it.role == "punct" and (not ahead or it.value != ",")):
                break
            words = toks[it.start:it.end]
            if any(w in PAIN for w in words):
                return False
            if any(w in ASK for w in words) or (it.role == "name" and not ahead) or (
                    it.role == "term" and v.kind[it.row] in ("category", "difficulty")):
                return True
    return False


def _reaches(neg: _Item, kind: str, toks: tuple[str, ...], it: _Item) -> bool:
    """Whether the negation ``neg`` applies to the part ``it`` of ``kind``."""
    gap = toks[neg.end:it.start]
    if kind == "muscle":
        return neg.role == "not" and len(gap) <= 3 and all(t in _NEAR_AREA for t in gap)
    return len(gap) <= 6


def _hurts_after(toks: tuple[str, ...], end: int) -> bool:
    """Whether a word soon after ``end`` makes a place the context ("sitting all day")."""
    for t in toks[end:end + 4]:
        if t in HURTS_AFTER or t in PAIN:
            return True
        if t not in _HURTS_SKIP:
            return False
    return False


_OUTSIDE_COLUMNS = ["said", "term", "kind", "note", "sources", "guidance"]


def _outside(v: _Vocab, lib: Library, found: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not found:  # the usual case, at every keystroke: the empty frames, built once
        if v.empty is None:
            v.empty = (frame([], _OUTSIDE_COLUMNS), lib.guidance.iloc[:0])
        return v.empty[0].copy(deep=False), v.empty[1].copy(deep=False)
    g = lib.guidance
    rows = []
    for f in found:
        row = f["row"]
        value = v.value[row]
        points = g.index[g.index.isin(value) | g["topic"].isin(value).to_numpy()]
        rows.append({"said": f["said"], "term": v.term[row], "kind": "outside",
                     "note": v.note[row], "sources": v.sources[row],
                     "guidance": tuple(points)})
    pointed = {gid for r in rows for gid in r["guidance"]}
    return frame(rows, _OUTSIDE_COLUMNS), g[g.index.isin(pointed)]


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a frame with text columns as strings (an empty one keeps its columns)."""
    out = pd.DataFrame(rows, columns=columns)
    text = [c for c in ("said", "term", "kind", "note", "label", "chip") if c in columns]
    return out.astype({c: "str" for c in text})
