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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

#: Seconds to move into and out of one repetition.
MOVE_SECONDS = 3.0
#: Seconds of rest between holds when the dose gives no rest.
HOLD_REST_SECONDS = 3.0


def given(x, blank: float = 0.0) -> float:
    """One dose value as the rule reads it: ``blank`` where it is None, NaN or 0 or less.

    >>> given(None, 1.0), given(float("nan")), given(12)
    (1.0, 0.0, 12.0)
    """
    if x is None:
        return blank
    x = float(x)
    return blank if math.isnan(x) or x <= 0 else x


def has_dose(sets=None, reps=None, hold_s=None, rest_s=None, minutes=None):
    """Whether a dose gives anything: any value :func:`given` (not None, NaN or 0).

    Without one, an exercise's time is not known ("ask your clinician"): not
    the dose rule's one rep.  Takes numbers (returns a bool) or arrays and
    Series of them (returns a bool array).

    >>> has_dose(reps=10), has_dose(), has_dose(sets=0, minutes=float("nan"))
    (True, False, False)
    >>> has_dose(reps=np.array([10.0, np.nan]), minutes=np.array([np.nan, 0.0])).tolist()
    [True, False]
    """
    values = [np.nan_to_num(np.asarray(v, dtype=float), nan=0.0)
              for v in (sets, reps, hold_s, rest_s, minutes) if v is not None]
    if not values:
        return False
    out = np.any(np.stack(np.broadcast_arrays(*values)) > 0, axis=0)
    return bool(out) if out.ndim == 0 else out


def each_side(x) -> bool | None:
    """A ``per_side`` flag as read: True, False, or None where it is not given.

    A blank flag (an imported exercise whose source does not say) is unknown,
    not "no"; the dose rule times it as one side.

    >>> each_side(True), each_side(False), each_side(pd.NA), each_side(None)
    (True, False, None, None)
    """
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return None
    return bool(x)


@dataclass(frozen=True)
class Phase:
    """One part of a dose as the timer runs it: what to do, for how long.

    ``kind`` is ``move``, ``hold``, ``rep`` (unheld repetitions), ``rest``,
    ``switch`` (change sides) or ``activity`` (a dose in minutes);
    :data:`EFFORTS` are the kinds that are the exercise itself.
    """

    kind: str
    label: str
    seconds: float
    detail: str


#: The kinds of phase that are the exercise itself (the rest is moving and resting).
EFFORTS = ("hold", "rep", "activity")


def dose_phases(dose: Mapping, name: str = "") -> tuple[Phase, ...]:
    """The dose, part by part: the rule every time in backguide is the sum of.

    ``dose`` has ``sets``, ``reps``, ``hold_s``, ``rest_s``, ``per_side`` and
    ``minutes`` (a row of ``plan.entries`` or of ``lib.exercises``; blank is
    ``NaN`` or ``None``).  See the module's docstring for the rule.

    >>> [(p.kind, p.seconds) for p in dose_phases(
    ...     dict(sets=1, reps=2, hold_s=20, rest_s=10, per_side=False, minutes=None))]
    [('move', 3.0), ('hold', 20.0), ('rest', 10.0), ('move', 3.0), ('hold', 20.0)]
    """
    return _phases(*(given(dose[k]) for k in ("sets", "reps", "hold_s", "rest_s", "minutes")),
                   bool(each_side(dose["per_side"])), name)


@lru_cache(maxsize=4096)
def _phases(sets: float, reps: float, hold: float, rest: float, minutes: float,
            per_side: bool, name: str = "") -> tuple[Phase, ...]:
    if minutes:
        return (Phase("activity", name or "Activity", minutes * 60.0,
                      f"{minutes:g} minutes at a steady pace"),)
    sets_, reps_ = int(sets or 1), int(reps or 1)
    rest = rest or (HOLD_REST_SECONDS if hold else 0.0)
    sides = ("First side", "Other side") if per_side else ("",)
    out: list[Phase] = []

    def add(kind: str, label: str, seconds: float, detail: str) -> None:
        if seconds > 0:
            out.append(Phase(kind, label, float(seconds), detail))

    for k, side in enumerate(sides):
        where = f"{side} \u00b7 " if side else ""
        for s in range(1, sets_ + 1):
            of_sets = f"set {s} of {sets_} \u00b7 " if sets_ > 1 else ""
            for r in range(1, reps_ + 1) if hold else (None,):
                first_effort = s == 1 and r in (1, None)
                move = MOVE_SECONDS if hold else reps_ * MOVE_SECONDS
                if k and first_effort:  # the rest between sides and the move into position
                    add("switch", "Change sides", rest + MOVE_SECONDS,
                        "Get ready on the other side")
                    move -= MOVE_SECONDS
                elif rest and not (k == 0 and first_effort):
                    add("rest", "Rest", rest, f"Next: rep {r} of {reps_}" if hold
                        else f"Next: set {s} of {sets_}")
                if hold:
                    add("move", "Get into position", move, f"{where}{of_sets}rep {r} of {reps_}")
                    add("hold", f"Hold ({side.lower()})" if side else "Hold", hold,
                        f"{where}{of_sets}rep {r} of {reps_}")
                else:
                    add("rep", f"{reps_} repetition{'s' if reps_ != 1 else ''}", move,
                        f"{where}{of_sets}slow and steady")
    return tuple(out)


@lru_cache(maxsize=4096)
def _seconds(sets, reps, hold, rest, minutes, per_side) -> float:
    return sum(p.seconds for p in _phases(sets, reps, hold, rest, minutes, per_side))


def estimate_seconds(sets=np.nan, reps=np.nan, hold_s=np.nan, rest_s=np.nan,
                     per_side=False, minutes=np.nan):
    """Seconds a dose takes: the sum of its :func:`dose_phases`.

    Every argument may be a number or an array (or Series) of numbers; blanks
    are ``NaN``.  Returns a float for scalar input, else a float array.  Each
    distinct dose is timed once, so a caseload's thousands of entries cost
    only as many dose rules as there are different doses.

    Examples
    --------
    >>> float(estimate_seconds(sets=1, reps=5, hold_s=20, rest_s=10))
    155.0
    >>> float(estimate_seconds(minutes=20))
    1200.0
    """
    values = [np.asarray(x, dtype=float) for x in (sets, reps, hold_s, rest_s, minutes)]
    side = (per_side.to_numpy(dtype=bool, na_value=False) if hasattr(per_side, "to_numpy")
            else np.asarray(per_side, dtype=bool))  # a blank flag: one side
    shape = np.broadcast_shapes(side.shape, *(v.shape for v in values))
    cols = [np.broadcast_to(v, shape).ravel() for v in values]
    cols = [np.where(np.isnan(c) | (c <= 0), 0.0, c) for c in cols]
    cols.append(np.broadcast_to(side, shape).ravel().astype(float))
    if not shape:
        return _seconds(*(float(c[0]) for c in cols[:5]), bool(cols[5][0]))
    if not cols[0].size:
        return np.zeros(shape)
    # Number the distinct doses (column by column, so the key stays small), time each once.
    key = np.zeros(cols[0].size, dtype=np.int64)
    for c in cols:
        codes, uniques = pd.factorize(c)
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes)
    first = np.unique(key, return_index=True)[1]
    each = np.array([_seconds(*(float(c[i]) for c in cols[:5]), bool(cols[5][i]))
                     for i in first])
    return each[key].reshape(shape)


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
