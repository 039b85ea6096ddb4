"""What a session's results say: done, partly done or skipped, by one rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..dose import EFFORTS, Phase
from ..words import count

__all__ = ["RESULT_WORDS", "effort_noun", "results_headline", "session_results"]

#: How each result reads.
RESULT_WORDS = {"done": "done", "partly": "partly done", "skipped": "skipped"}


def effort_indexes(phases: Sequence[Phase]) -> list[int]:
    """The positions of the phases that are the exercise itself (holds, sets, activity)."""
    return [i for i, p in enumerate(phases) if p.kind in EFFORTS]


def effort_noun(phases: Sequence[Phase], n: int) -> str:
    """What the efforts of these phases are called: "1 hold", "3 sets", "1 part"."""
    kind = next((phases[i].kind for i in effort_indexes(phases)), "hold")
    return count(n, {"hold": "hold", "rep": "set", "activity": "part"}[kind])


def session_results(phases: Sequence[Sequence[Phase]],
                    completed: Mapping[int, set[int]]) -> pd.DataFrame:
    """Each exercise of a session: how many efforts its dose asks for, how many the
    timer counted to their end, and so whether it was done, partly done or skipped.

    ``phases`` holds each exercise's :func:`~backguide.dose.dose_phases`, in
    order; ``completed`` maps an exercise's position to the phases that ran
    to their end.  Only a countdown that ran to its end counts: "done" is
    every effort, "partly" some, "skipped" none.  An exercise with no phases
    (no dose to time) is done when ``completed`` holds anything for it.  Returns ``efforts``,
    ``completed``, ``status`` and ``how`` (in words: "partly done (3 of 10
    holds)").
    """
    rows = []
    for i, p in enumerate(phases):
        efforts = effort_indexes(p)
        n, c = len(efforts), len(set(efforts) & set(completed.get(i, ())))
        if not p:  # nothing timed (no dose): done if the person said so
            n = c = int(bool(completed.get(i)))
        status = "done" if c == n and n else "partly" if c else "skipped"
        how = RESULT_WORDS[status]
        if status == "partly":
            how += f" ({c} of {effort_noun(p, n)})"
        rows.append({"efforts": n, "completed": c, "status": status, "how": how})
    return pd.DataFrame(rows, columns=["efforts", "completed", "status", "how"])


def results_headline(status: Sequence[str]) -> str:
    """ "Of 5 exercises: 3 done, 1 partly done, 1 skipped."

    >>> results_headline(["done", "done", "skipped"])
    'Of 3 exercises: 2 done, 0 partly done, 1 skipped.'
    """
    status = list(status)
    said = ", ".join(f"{status.count(k)} {v}" for k, v in RESULT_WORDS.items())
    return f"Of {count(len(status), 'exercise')}: {said}."
