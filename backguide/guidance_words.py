"""The guidance checklist in words: one plain sentence for each check's status.

The numbers come from :mod:`backguide.targets`; this module only says them,
so a sentence and the figure beside it cannot disagree.
"""

from __future__ import annotations

import math
from collections import namedtuple

import pandas as pd

from .dose import shown_minutes
from .schema import SPINE_MUSCLES
from .targets import DETAILS


def _n(x: float) -> str:
    """A number in a sentence: whole if it is nearly whole, else to 0.1 (half up)."""
    text = shown_minutes(x, 0 if abs(x - round(x)) < 0.05 else 1)
    return text.removesuffix(".0")  # 132.95 is "133", not "133.0"


def _range(low: float, high: float, unit: str) -> str:
    if unit == "days" and low >= 7:
        return "every day"
    if math.isnan(high):
        return f"{_n(low)} or more {unit}"
    if low == high:
        return f"{_n(low)} {unit}"
    return f"{_n(low)}-{_n(high)} {unit}"


def message(r) -> str:
    """One plain sentence for a row of :func:`backguide.guidance_status`."""
    low, high, v, status, t = r.min, r.max, r.value, r.status, r.target
    if t == "aerobic_session_minutes":
        if not r.count:
            return (f"Aerobic: no session yet; add a walk, swim or bike ride of at least "
                    f"{_n(low)} minutes.")
        if status == "short" and not v:  # its exercises have no dose: no known time
            return (f"Aerobic: {r.day}'s session has no dose, so no known time; ask your "
                    f"clinician, and make each one at least {_n(low)} minutes.")
        if status == "short":
            return (f"Aerobic: {r.day}'s session is {_n(v)} minutes; make each one at least "
                    f"{_n(low)} minutes.")
        return f"Aerobic: every session lasts at least {_n(low)} minutes."
    if t == "aerobic_sessions_per_week":
        sessions = "session" if _n(v) == "1" else "sessions"
        text = (f"Aerobic: {_n(v)} {sessions} of {_n(r.threshold)} minutes or more this week, "
                f"against {_range(low, high, 'sessions')}")
        if status == "short":
            return text + (f"; add a walk on {r.day}." if r.day else "; lengthen one.")
        if status == "over":
            return text + "; more than suggested, which is fine if you feel well."
        return text + "."
    if t == "aerobic_minutes_per_week":
        text = f"Aerobic: {_n(v)} minutes this week, against {_range(low, high, 'minutes')}"
        if status == "short":
            return text + f"; {_n(low - v)} more minutes would reach it."
        return text + "."
    if t in ("strength_days_per_week", "stretch_days_per_week"):
        label = "Strengthening" if t.startswith("strength") else "Stretching"
        days = "day" if _n(v) == "1" else "days"
        text = f"{label}: {_n(v)} {days} this week, against {_range(low, high, 'days')}"
        if status == "short" and r.day:
            return text + f"; add some on {r.day}."
        return text + "."
    if t == "stretch_and_strength":
        if v:
            return "Stretching and strengthening: both are in the week."
        return f"Stretching and strengthening: add some {r.missing}."
    if t == "spine_muscle_groups":
        if r.missing:
            return (f"Muscles that support the spine: {_n(v)} of {len(SPINE_MUSCLES)} worked; "
                    f"add something for the {r.missing}.")
        return "Muscles that support the spine: all four are worked this week."
    if t == "progression_order":
        if status == "short":  # nothing planned
            return "Order: nothing planned yet; start each exercise with its easiest version."
        if not v:
            return "Order: every harder exercise comes after its easier version."
        more = f" ({_n(v - 1)} more like it)" if v > 1 else ""
        if r.absent:
            return (f"Order: {r.name} on {r.day} is in the plan without its easier version, "
                    f"{r.easier}; start with that first{more}.")
        return (f"Order: {r.name} on {r.day} comes before its easier version, {r.easier}; "
                f"do the easier one first{more}.")
    if t == "stretch_hold_s":
        if math.isnan(v):
            return "Stretch holds: no held stretch in the week yet."
        if status == "short":
            return (f"Stretch holds: {r.name} is held {_n(v)} s; {_range(low, high, 's')} "
                    f"is suggested.")
        if status == "over":
            return (f"Stretch holds: {r.name} is held {_n(v)} s, longer than "
                    f"{_range(low, high, 's')}; fine if it is comfortable.")
        return f"Stretch holds: all within {_range(low, high, 's')}."
    if t == "stretch_seconds_per_exercise":
        if not r.count:
            return "Stretch time: no held stretch in the week yet."
        if status == "short":
            return (f"Stretch time: {r.name} adds up to {_n(v)} s; repeat it to reach about "
                    f"{_n(low)} s.")
        return f"Stretch time: each stretch adds up to {_n(low)} s or more."
    raise ValueError(f"No message for target {t!r}.")


def with_messages(status: pd.DataFrame) -> pd.DataFrame:
    """One plan's status rows (:func:`backguide.guidance_status`) with a sentence each,
    ``message``, instead of the detail columns: the checklist."""
    out = status.drop(columns=list(DETAILS))
    fields = ["min", "max", "value", "status", "target", *DETAILS]
    rows = zip(*(status[k].to_numpy(dtype=object) for k in fields))
    out["message"] = pd.array([message(_Row(*r)) for r in rows], dtype="str")
    return out


_Row = namedtuple("_Row", ["min", "max", "value", "status", "target", *DETAILS])
