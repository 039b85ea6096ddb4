"""Progress in words: the headlines, what was done of what was planned, the caseload's cells.

The progress page and the caseload take their words from here, so a number
reads the same on both (12.5% done is "13%" on each; an important change of
pain is "an important worsening" on one, "▲ important worsening" on the other).

Every score a person reads is written by :func:`score_text` (one decimal,
half up, as :func:`backguide.words.minutes_text` rounds), and the verdict
("an important improvement") comes from the ``direction`` that
:func:`backguide.journal.measures.pain_change` (and its PEG and PSFS
siblings) judged on those same shown numbers, so the words cannot disagree
with the figures beside them.
"""

from __future__ import annotations

import datetime as dt
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


# --- the caseload page ------------------------------------------------------------------------

#: The caseload's columns, as the page heads them: why a call first, so that on
#: each row the reason is what is read first.
CASELOAD_COLUMNS = ("Why a call", "Person", "Plan", "Weeks in", "Done, last 14 days",
                    "Pain now (start)", "PEG change", "PSFS change", "Last check-in")
#: The arrow beside an important change, by which way the score moved: a cue to
#: see; the words after it say what the move means ("worsening", "improvement").
ARROWS = {"up": "\u25b2", "down": "\u25bc"}
#: A score whose last day is this many days ago or more is not "now": its
#: window (the last :data:`~.measures.WINDOW_DAYS` days scored) misses the past week.
STALE_DAYS = WINDOW_DAYS


def days_ago_text(n) -> str:
    """Whole days ago in words: "today", "yesterday", "9 days ago"; "never" for NaN.

    >>> days_ago_text(0), days_ago_text(1), days_ago_text(9), days_ago_text(float("nan"))
    ('today', 'yesterday', '9 days ago', 'never')
    """
    if n is None or pd.isna(n):
        return "never"
    n = int(n)
    return "today" if n == 0 else "yesterday" if n == 1 else f"{n} days ago"


def signed_score_text(x) -> str:
    """A change of score with its sign, as :func:`score_text` rounds it: "+1.0",
    "-3.0", "0.0" (a change that shows as nothing has no sign); blank for NaN.

    >>> signed_score_text(1), signed_score_text(-2.96), signed_score_text(0.04)
    ('+1.0', '-3.0', '0.0')
    """
    d = _tenths(x)
    if d is None:
        return ""
    return "0.0" if d == 0 else f"{'+' if d > 0 else ''}{d:f}"


def change_words(start, now, direction) -> str:
    """An important change as a table cell marks it: an arrow the way the shown
    score moved, and what the move means, in the progress page's words
    (:data:`VERDICTS`, as :func:`progress_headline` says them).  Blank when the
    change is not important.

    >>> change_words(4.2, 6.8, "worse"), change_words(5.0, 3.2, "better")
    ('\u25b2 important worsening', '\u25bc important improvement')
    >>> change_words(4.0, 4.6, "no important change")
    ''
    """
    if direction not in ("better", "worse"):
        return ""
    moved = "up" if Decimal(score_text(now)) > Decimal(score_text(start)) else "down"
    return f"{ARROWS[moved]} {VERDICTS[direction].removeprefix('an ')}"


def pain_now_text(now, start, direction=None, *, days_old=None) -> str:
    """The caseload's "Pain now (start)": the pain now and at the start as
    :func:`score_text` writes them, the :func:`change_words` of an important
    change, and, when the last score is :data:`STALE_DAYS` days old or more,
    when it was (so an old score does not read as today's).  Blank with no scores.

    >>> pain_now_text(6.8, 4.2, "worse", days_old=2)
    '6.8 (4.2) \u25b2 important worsening'
    >>> pain_now_text(5.0, 4.6, "no important change", days_old=12)
    '5.0 (4.6), last scored 12 days ago'
    """
    if not score_text(now):
        return ""
    said = f"{score_text(now)} ({score_text(start)})"
    mark = change_words(start, now, direction)
    said += f" {mark}" if mark else ""
    if days_old is not None and not pd.isna(days_old) and days_old >= STALE_DAYS:
        said += f", last scored {days_ago_text(days_old)}"
    return said


def caseload_summary(people: int, flagged: int, today) -> str:
    """The line over the caseload: how many people, how many to call first, and the day.

    >>> caseload_summary(20, 12, dt.date(2026, 12, 7))
    '20 people, 12 to call first (listed first). As of Monday 7 December.'
    """
    return (f"{count(people, 'person', 'people')}, {flagged} to call first (listed first). "
            f"As of {today:%A} {today.day} {today:%B}.")


def _clock(at: dt.datetime, today: dt.date) -> str:
    return f"{at:%H:%M}" if at.date() == today else f"{at:%H:%M} on {at:%A} {at.day} {at:%B}"


def refresh_failed_text(at: dt.datetime, shown_from: dt.datetime | None = None) -> str:
    """What the caseload says when the database cannot be reached at ``at``: the
    list it keeps showing, read at ``shown_from`` (the day too, if not ``at``'s),
    or, with none read yet, that there is none.

    >>> at = dt.datetime(2026, 12, 7, 10, 42)
    >>> print(refresh_failed_text(at, dt.datetime(2026, 12, 7, 10, 30)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Could not refresh at 10:42: the database cannot be reached; showing the list
    from 10:30. Press Refresh to try again.
    >>> print(refresh_failed_text(at, dt.datetime(2026, 12, 6, 17, 5)))
    ... # doctest: +NORMALIZE_WHITESPACE
    Could not refresh at 10:42: the database cannot be reached; showing the list
    from 17:05 on Sunday 6 December. Press Refresh to try again.
    >>> print(refresh_failed_text(at))  # doctest: +NORMALIZE_WHITESPACE
    Could not read the caseload at 10:42: the database cannot be reached. Press
    Refresh to try again.
    """
    if shown_from is None:
        return (f"Could not read the caseload at {at:%H:%M}: the database cannot be "
                "reached. Press Refresh to try again.")
    return (f"Could not refresh at {at:%H:%M}: the database cannot be reached; showing the "
            f"list from {_clock(shown_from, at.date())}. Press Refresh to try again.")
