"""How long a dose takes: the one rule behind every time estimate.

The rule
--------
* An activity dosed in ``minutes`` takes those minutes.
* Otherwise one repetition takes its hold (``hold_s``, 0 if blank) plus
  :data:`MOVE_SECONDS` to move into and out of position.
* A set is ``reps`` repetitions; a side is ``sets`` sets; a ``per_side``
  exercise is done twice, once on each side.
* ``rest_s`` is taken between efforts, not after the last one.  An effort
  is one hold when the exercise is held (so "hold 20 s, rest 10 s, repeat
  5 times" rests between holds, as myspine's bridge does) and one set
  otherwise; switching sides counts as a new effort.
* Blank sets or reps count as 1.  A blank rest is :data:`HOLD_REST_SECONDS`
  between holds (nobody holds ten times back to back without a breath),
  and 0 between sets of repetitions that are not held.

So a dose of 1 set x 5 reps x 20 s hold, 10 s rest is
``5 x (20 + 3) + 4 x 10 = 155`` seconds, and a per-side dose of
1 x 3 x 20 s with no rest given is ``2 x 3 x (20 + 3) + 5 x 3 = 153``
seconds.

What counts as per side
-----------------------
An exercise is per side when it is done with one limb, or turned to one
side, and then repeated the same way on the other: single knee to chest,
clamshell, bird dog, the trunk rotation stretch, knee rolls.  Alternating
two positions of one movement, or arching and rounding, is not: cat-cow
and the front-to-back shoulder squeeze are not per side.  For them a
repetition is the whole movement, once through both positions, and its
hold is the time held in both (wolfe's cat-camel, 5 s arched up and 5 s
arched down, is a 10 s hold).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

#: Seconds to move into and out of one repetition.
MOVE_SECONDS = 3.0
#: Seconds of rest between holds when the dose gives no rest.
HOLD_REST_SECONDS = 3.0


def _filled(x, default):
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x) | (x <= 0), default, x)


def given(x, blank: float = 0.0) -> float:
    """One dose value as the rule reads it: ``blank`` where it is None, NaN or 0 or less.

    >>> given(None, 1.0), given(float("nan")), given(12)
    (1.0, 0.0, 12.0)
    """
    if x is None:
        return blank
    x = float(x)
    return blank if math.isnan(x) or x <= 0 else x


def estimate_seconds(sets=np.nan, reps=np.nan, hold_s=np.nan, rest_s=np.nan,
                     per_side=False, minutes=np.nan):
    """Seconds a dose takes, by the rule in this module's docstring.

    Every argument may be a number or an array (or Series) of numbers; blanks
    are ``NaN``.  Returns a float for scalar input, else a float array.

    Examples
    --------
    >>> float(estimate_seconds(sets=1, reps=5, hold_s=20, rest_s=10))
    155.0
    >>> float(estimate_seconds(minutes=20))
    1200.0
    """
    sets_ = _filled(sets, 1.0)
    reps_ = _filled(reps, 1.0)
    rest = _filled(rest_s, 0.0)
    hold = _filled(hold_s, 0.0)
    rest = np.where((rest <= 0) & (hold > 0), HOLD_REST_SECONDS, rest)
    sides = np.where(np.asarray(per_side, dtype=bool), 2.0, 1.0)
    efforts = sides * sets_ * np.where(hold > 0, reps_, 1.0)
    work = sides * sets_ * reps_ * (hold + MOVE_SECONDS)
    seconds = work + rest * (efforts - 1)
    mins = np.asarray(minutes, dtype=float)
    out = np.where(np.isnan(mins) | (mins <= 0), seconds, mins * 60.0)
    return float(out) if out.ndim == 0 else out


def _minutes_one(x, digits: int) -> str:
    if x is None or pd.isna(x):
        return ""
    # Through a short decimal first, so 0.15 (stored as 0.1499...) is a half and goes up.
    exact = Decimal(f"{float(x):.9f}")
    return f"{exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):f}"


def shown_minutes(minutes, digits: int = 1):
    """Minutes as every view shows them: rounded half up to ``digits`` decimals.

    The one rule for a displayed number of minutes (the explorer's table, the
    detail card, the notebooks' tables, the routine's time, the board), so the
    same exercise shows the same number everywhere: 0.15 is ``"0.2"`` and 0.65
    is ``"0.7"``.  Takes a number (returns text; blank for ``None``/NaN) or a
    Series or array (returns a Series of text).

    >>> shown_minutes(0.15), shown_minutes(0.65), shown_minutes(20)
    ('0.2', '0.7', '20.0')
    """
    if isinstance(minutes, pd.Series):
        return minutes.map(lambda x: _minutes_one(x, digits)).astype("str")
    if isinstance(minutes, (np.ndarray, list, tuple)):
        return pd.Series([_minutes_one(x, digits) for x in minutes], dtype="str")
    return _minutes_one(minutes, digits)
