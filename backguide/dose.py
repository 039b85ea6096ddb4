"""How long a dose takes: the one rule behind every time estimate.

The rule
--------
* An activity dosed in ``minutes`` takes those minutes.
* Otherwise one repetition takes its hold (``hold_s``, 0 if blank) plus
  :data:`MOVE_SECONDS` to move into and out of position.
* A set is ``reps`` repetitions; a side is ``sets`` sets; a ``per_side``
  exercise is done twice (left and right, or for cat-cow and the shoulder
  squeeze, each of the two positions).
* ``rest_s`` is taken between efforts, not after the last one.  An effort
  is one hold when the exercise is held (so "hold 20 s, rest 10 s, repeat
  5 times" rests between holds, as myspine's bridge does) and one set
  otherwise; switching sides counts as a new effort.
* Blank sets or reps count as 1; a blank rest counts as 0.

So a dose of 1 set x 5 reps x 20 s hold, 10 s rest is
``5 x (20 + 3) + 4 x 10 = 155`` seconds, and a per-side dose of
1 x 3 x 20 s with no rest is ``2 x 3 x (20 + 3) = 138`` seconds.
"""

from __future__ import annotations

import numpy as np

#: Seconds to move into and out of one repetition.
MOVE_SECONDS = 3.0


def _filled(x, default):
    x = np.asarray(x, dtype=float)
    return np.where(np.isnan(x) | (x <= 0), default, x)


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
    hold = _filled(hold_s, 0.0)
    rest = _filled(rest_s, 0.0)
    sides = np.where(np.asarray(per_side, dtype=bool), 2.0, 1.0)
    efforts = sides * sets_ * np.where(hold > 0, reps_, 1.0)
    work = sides * sets_ * reps_ * (hold + MOVE_SECONDS)
    seconds = work + rest * (efforts - 1)
    mins = np.asarray(minutes, dtype=float)
    out = np.where(np.isnan(mins) | (mins <= 0), seconds, mins * 60.0)
    return float(out) if out.ndim == 0 else out
