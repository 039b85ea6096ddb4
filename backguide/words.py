"""Doses, minutes and counts in words: the one author of every such phrase a person reads.

Every view (the explorer's card, the board, the presenter, the handout, the
charts' labels) takes its words from here, so the same dose or the same
number of minutes reads the same everywhere.

A number of minutes is shown to one decimal, rounded half up, with a
trailing ``.0`` dropped (``0.6``, ``2.8``, ``20``).  A total is the sum of
the parts shown beside it, so "2 exercises, 2.8 min" sits above rows of
1.3 and 1.5 minutes, never 2.7.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from .dose import each_side

__all__ = ["DOSE_FIELDS", "about_minutes", "article_dose_words", "count", "dose_words",
           "minutes_text", "shown_total", "entry_dose_words"]

#: The dose's fields, in the order they are read.
DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")
_TENTH = Decimal("0.1")


def _given(x) -> float | None:
    """A dose value as words read it: None where blank, NaN, or 0 or less."""
    if x is None or isinstance(x, str) and not x.strip():
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or x <= 0 else x


def _span(value) -> tuple[float, float] | None:
    """A value or a ``(low, high)`` range as a range; None where blank."""
    if isinstance(value, tuple):
        lo, hi = (_given(v) for v in value)
        lo = lo if lo is not None else hi
        hi = hi if hi is not None else lo
        return None if lo is None else (lo, hi)
    x = _given(value)
    return None if x is None else (x, x)


def _num(span: tuple[float, float]) -> str:
    lo, hi = span
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def dose_words(sets=None, reps=None, hold_s=None, rest_s=None, per_side=False, minutes=None,
               *, times_per_week=None, blank: str = "as comfortable") -> str:
    """A dose in words; each value may be a number or a ``(low, high)`` range.

    Blanks (None, NaN, 0) are left out; ``blank`` is said when nothing is given.
    ``per_side`` None (not given) says so beside a count of reps or a hold.

    >>> dose_words(sets=2, reps=10, hold_s=5, per_side=True)
    '2 x 10 reps, hold 5 s, each side'
    >>> dose_words(sets=1, reps=5, hold_s=20, rest_s=10)
    '5 reps, hold 20 s, rest 10 s'
    >>> dose_words(reps=(5, 10), hold_s=(20, 30), rest_s=10)
    '5-10 reps, hold 20-30 s, rest 10 s'
    >>> dose_words(minutes=20), dose_words(minutes=(20, 30), times_per_week=(3, 4))
    ('20 min', '20-30 min, 3-4 times a week')
    >>> dose_words(reps=1), dose_words()
    ('1 rep', 'as comfortable')
    >>> dose_words(reps=8, per_side=None)
    '8 reps, sides not given'
    """
    s, r, h, rest, m, tpw = map(_span, (sets, reps, hold_s, rest_s, minutes, times_per_week))
    parts = []
    if m:
        parts.append(f"{_num(m)} min")
    else:
        multi = f"{_num(s)} x " if s and s[1] > 1 else ""
        if r:
            parts.append(f"{multi}{_num(r)} rep{'' if r == (1, 1) else 's'}")
        elif multi:
            parts.append(f"{_num(s)} sets")
        if h:
            parts.append(f"hold {_num(h)} s")
        if rest:
            parts.append(f"rest {_num(rest)} s")
        if per_side:
            parts.append("each side")
        elif per_side is None and parts:
            parts.append("sides not given")
    if tpw:
        parts.append(f"{_num(tpw)} time{'' if tpw == (1, 1) else 's'} a week")
    return ", ".join(parts) or blank


def entry_dose_words(dose: Mapping) -> str:
    """The dose of one plan entry or exercise row (``sets``, ``reps``, ``hold_s``,
    ``rest_s``, ``per_side``, ``minutes``) in words, by :func:`dose_words`;
    :data:`NO_DOSE` where none of them is given."""
    return dose_words(*(dose[k] for k in ("sets", "reps", "hold_s", "rest_s")),
                      each_side(dose["per_side"]), dose["minutes"], blank=NO_DOSE)


def article_dose_words(d: Mapping) -> str:
    """An article's dose (a row of ``lib.doses``, its ranges as ``*_min``/``*_max``)
    in words, with the article's own note after it.

    >>> article_dose_words({"sets_min": None, "sets_max": None, "reps_min": 5, "reps_max": 10,
    ...     "hold_s_min": 20, "hold_s_max": 30, "rest_s_min": 10, "rest_s_max": 10,
    ...     "per_side": False, "minutes_min": None, "minutes_max": None,
    ...     "times_per_week_min": None, "times_per_week_max": None, "dose_note": "Slowly."})
    '5-10 reps, hold 20-30 s, rest 10 s. Slowly.'
    """
    def rng(k):
        return (d[f"{k}_min"], d[f"{k}_max"])

    words = dose_words(*(rng(k) for k in ("sets", "reps", "hold_s", "rest_s")),
                       each_side(d["per_side"]), rng("minutes"),
                       times_per_week=rng("times_per_week"), blank="")
    note = str(d.get("dose_note") or "").strip()
    if note:
        words = f"{words}. {note}" if words else note
    return words or "No dose given."


def _tenths(minutes) -> Decimal | None:
    if minutes is None or minutes == "":  # "": a time not known (no dose)
        return None
    x = float(minutes)
    if math.isnan(x):
        return None
    # Through a short decimal first, so 0.15 (stored as 0.1499...) is a half and goes up.
    return Decimal(f"{x:.9f}").quantize(_TENTH, rounding=ROUND_HALF_UP)


def _text(d: Decimal) -> str:
    return f"{d:f}".removesuffix(".0")


def minutes_text(minutes) -> str:
    """Minutes as every view shows them: one decimal, half up, no trailing ``.0``.

    >>> minutes_text(0.15), minutes_text(0.65), minutes_text(20), minutes_text(2.75)
    ('0.2', '0.7', '20', '2.8')
    >>> minutes_text(float("nan"))
    ''
    """
    d = _tenths(minutes)
    return "" if d is None else _text(d)


def shown_total(minutes: Iterable) -> str:
    """The total of several numbers of minutes, as the sum of the parts *as shown*.

    A person adds up what they read: rows of 1.3 and 1.5 minutes total 2.8,
    even when the unrounded times (1.283 and 1.45) add up to 2.73.

    >>> shown_total([1.2833, 1.45]), shown_total([]), shown_total([0.04, 0.04])
    ('2.8', '0', '0')
    """
    return _text(sum((_tenths(m) or Decimal(0) for m in minutes), Decimal(0)))


#: What a card, a board and the presenter say where an exercise has no dose.
NO_DOSE = "ask your clinician"
#: Said beside an exercise with no dose where its dose would be (a summary's line).
NO_DOSE_GIVEN = "no dose given"


def time_words(shown: str, unknown: int = 0) -> str:
    """Minutes already shown, and how many exercises have no dose (so no known time).

    >>> time_words("2.8"), time_words("2.8", 1), time_words("0", 2)
    ('2.8 min', '2.8 min, 1 of them without a dose', 'time not known: no dose')
    """
    if not unknown:
        return f"{shown} min"
    if Decimal(shown or "0") == 0:
        return "time not known: no dose"
    return f"{shown} min, {unknown} of them without a dose"


def about_minutes(shown: str, unknown: int = 0) -> str:
    """Minutes already shown (text from :func:`minutes_text` or :func:`shown_total`)
    in a sentence: "about 2.8 minutes", "less than a minute"; ``unknown`` is how
    many exercises have no dose, as in :func:`time_words`.

    >>> about_minutes("2.8"), about_minutes("1"), about_minutes("0")
    ('about 2.8 minutes', 'about 1 minute', 'less than a minute')
    >>> about_minutes("2.8", 1), about_minutes("0", 1)
    ('about 2.8 minutes, 1 of them without a dose', 'time not known: no dose')
    """
    zero = Decimal(shown or "0") == 0
    if unknown:
        return (time_words(shown, unknown) if zero else
                f"{about_minutes(shown)}, {unknown} of them without a dose")
    if zero:
        return "less than a minute"
    return f"about {shown} minute{'' if shown == '1' else 's'}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and its noun: "1 exercise", "2 exercises", "1 day".

    >>> count(1, "exercise"), count(2, "exercise"), count(3, "day"), count(2, "rep", "reps")
    ('1 exercise', '2 exercises', '3 days', '2 reps')
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
