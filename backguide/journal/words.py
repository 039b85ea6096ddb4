"""Progress in words: the headline over the charts, and what was done of what was planned.

Every score a person reads is written by :func:`score_text` (one decimal,
half up, as :func:`backguide.words.minutes_text` rounds), and the verdict
("an important improvement") comes from the ``direction`` that
:func:`backguide.journal.measures.pain_change` (and its PEG and PSFS
siblings) judged on those same shown numbers, so the words cannot disagree
with the figures beside them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..errors import BackguideError
from ..words import _tenths, count
from .measures import MEASURES, WINDOW_DAYS

#: How each measure is named in a headline: (the subject, when "now" is, whether
#: it is an average, where the start is).
SUBJECTS = {
    "nprs": ("Pain", "this week", True, "in your first week"),
    "peg": ("Your PEG score (pain, and how much it gets in the way)", "this week", False,
            "in your first week"),
    "psfs": ("Your activities (PSFS, higher is better)", "now", True, "at the start"),
}
#: Each ``direction`` in a headline's words.
VERDICTS = {"better": "an important improvement", "worse": "an important worsening",
            "no important change": "no important change"}


def score_text(x) -> str:
    """A 0-10 score as a person reads it: one decimal, half up, ``.0`` kept
    (an average reads as one: "6.0").

    >>> score_text(4.15), score_text(6), score_text(4.149), score_text(float("nan"))
    ('4.2', '6.0', '4.1', '')
    """
    d = _tenths(x)
    return "" if d is None else f"{d:f}"


def percent_text(fraction) -> str:
    """A fraction as a whole percentage, half up: "86%"; blank for NaN.

    >>> percent_text(12 / 14), percent_text(0.125), percent_text(1), percent_text(None)
    ('86%', '13%', '100%', '')
    """
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return ""
    pct = Decimal(f"{float(fraction) * 100:.9f}").quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{pct}%"


def progress_headline(change_row: Mapping, *, measure: str = "nprs") -> str:
    """One sentence on how a score has moved since the start.

    ``change_row`` is a row of :func:`~backguide.journal.measures.pain_change`
    (or of ``peg_change`` or ``psfs_change``, with ``measure="peg"`` or
    ``"psfs"``): a Series or a mapping with ``start``, ``now``,
    ``direction``, ``first_date`` and ``last_date``.  In the person's first
    week there is nothing to compare yet, and the sentence says so.

    >>> row = {"start": 6.0, "now": 4.1, "direction": "better",
    ...        "first_date": pd.Timestamp("2026-03-02"), "last_date": pd.Timestamp("2026-03-29")}
    >>> progress_headline(row)
    'Pain this week 4.1 on average, down from 6.0 in your first week: an important improvement.'
    >>> progress_headline({**row, "now": 5.0, "direction": "no important change"})
    'Pain this week 5.0 on average, down from 6.0 in your first week: no important change.'
    >>> progress_headline({**row, "last_date": pd.Timestamp("2026-03-05")})
    'Pain this week 4.1 on average: your first week, the start later weeks are compared with.'
    """
    if measure not in SUBJECTS:
        raise BackguideError.at("progress_headline", f"a measure among: {', '.join(MEASURES)}",
                                column="measure", value=measure)
    subject, when, average, origin = SUBJECTS[measure]
    start, now = score_text(change_row["start"]), score_text(change_row["now"])
    if not start or not now:
        return f"{subject}: no scores yet."
    said = f"{subject} {when} {now}{' on average' if average else ''}"
    first, last = pd.Timestamp(change_row["first_date"]), pd.Timestamp(change_row["last_date"])
    if (last - first).days < WINDOW_DAYS:
        return f"{said}: your first week, the start later weeks are compared with."
    if Decimal(now) == Decimal(start):
        move = f"the same as {origin}"
    else:
        move = f"{'down' if Decimal(now) < Decimal(start) else 'up'} from {start} {origin}"
    return f"{said}, {move}: {VERDICTS[str(change_row['direction'])]}."


def adherence_sentence(row: Mapping, *, when: str = "This week") -> str:
    """What was done of what was planned, from a row of
    :func:`~backguide.journal.measures.adherence`.

    >>> adherence_sentence({"planned": 14, "done": 10, "partly": 2})
    'This week: 12 of 14 planned exercises done or partly done (86%).'
    >>> adherence_sentence({"planned": 0, "done": 0, "partly": 0}, when="Week of 2 March")
    'Week of 2 March: nothing was planned.'
    """
    planned = int(row["planned"])
    if planned == 0:
        return f"{when}: nothing was planned."
    did = int(row["done"]) + int(row["partly"])
    return (f"{when}: {did} of {count(planned, 'planned exercise')} done or partly done "
            f"({percent_text(did / planned)}).")
