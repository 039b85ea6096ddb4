"""The safety content every view shows: the stop rule and the warning signs, from the
guidance table's own columns (``stop_rule``, ``sign``, ``advice``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..library import Library, resolve
from .sources import cited_line, source_title

__all__ = ["GUIDE_NOT_DIAGNOSIS", "SEE_A_CLINICIAN", "Safety", "WarningSign", "safety_content"]

#: The first words of every safety note.
GUIDE_NOT_DIAGNOSIS = "This is a guide, not a diagnosis."
#: What to do when a warning sign applies, in one line.
SEE_A_CLINICIAN = "If any warning sign applies to you, see a clinician before exercising."
#: The heading above the list of warning signs.
SIGNS_HEADING = "See a clinician instead of exercising if you have any of these:"


@dataclass(frozen=True)
class WarningSign:
    """One warning sign: its id, the sign in a few words, what to do, the full
    statement and its source's title."""

    id: str
    sign: str
    advice: str
    statement: str
    source: str


@dataclass(frozen=True)
class Safety:
    """The safety content: the stop rule, the warning signs and where they come from."""

    stop_rule: str
    signs: tuple[WarningSign, ...]
    sources: str
    cited: tuple[str, ...]
    note: str = GUIDE_NOT_DIAGNOSIS
    see_a_clinician: str = SEE_A_CLINICIAN
    signs_heading: str = SIGNS_HEADING

    def sign(self, sign_id: str) -> WarningSign:
        """The warning sign with this id."""
        for s in self.signs:
            if s.id == sign_id:
                return s
        raise KeyError(f"No warning sign {sign_id!r}; expected one of: "
                       f"{', '.join(s.id for s in self.signs)}.")


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def safety_content(*, lib: Library | None = None) -> Safety:
    """The stop rule and the warning signs, each as the guidance table words them.

    The stop rule is the statements of the rows with a ``stop_rule`` number,
    in that order; the warning signs are the ``red_flag`` rows, each with its
    ``sign`` and its ``advice``.  ``cited`` is every source id behind them.

    >>> s = safety_content()
    >>> s.stop_rule.startswith("If an exercise makes your back pain worse, stop doing it.")
    True
    >>> s.sign("nice_ng59_red_bladder").advice
    'Seek urgent medical help; do not exercise.'
    """
    g = resolve(lib).guidance
    rule = g[g["stop_rule"].notna()].sort_values("stop_rule")
    flags = g[g["topic"] == "red_flag"]
    cited = tuple(dict.fromkeys([*rule["source"], *flags["source"]]))
    signs = tuple(WarningSign(str(i), _text(r["sign"]), _text(r["advice"]),
                              str(r["statement"]), source_title(r["source"], lib=lib))
                  for i, r in flags.iterrows())
    return Safety(stop_rule=" ".join(rule["statement"]), signs=signs,
                  sources=cited_line(sorted(set(flags["source"])), lib=lib), cited=cited)
