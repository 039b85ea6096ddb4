"""Progress a plan week by week, as the articles advise.

The rule
--------
Each new week starts as a copy of the last.  For every entry, by what the
person reported about that exercise last week:

* **worse** (pain increased): step back.  If the exercise has an easier
  variant, it is replaced by that variant at its starting dose.  Otherwise
  its dose goes back to the starting dose; if it was already there, it is
  taken out of the plan, since "if ... these exercises make it worse, stop"
  (fourkey).
* **pain-free**, with the dose already at its cap: if the exercise has a
  harder variant, move on to it at its starting dose ("Move on to cobra only
  when partial cobra does not hurt", natarthritis).  An exercise reaches its
  harder variant only this way: after it has been in the plan and was
  reported pain-free.
* otherwise (pain-free below the cap, the same, or no report): raise the
  dose one step, up to the cap.  Holds grow by :data:`HOLD_STEP` seconds;
  once the hold is at its cap, repetitions grow by :data:`REPS_STEP` ("increase the number of repetitions
  as the exercise gets easier", freeback; "working up to 30 seconds",
  natarthritis), and activities by :data:`MINUTES_STEP` minutes.

Caps: a hold's cap is the longest hold any article gives for the exercise
(30 s where none does); a repetition cap the most repetitions any article
gives (twice the starting number where none does); an activity's cap
:data:`MINUTES_CAP` minutes a session.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import pandas as pd

from .plan import Entry, Plan, entry_for

HOLD_STEP = 5.0
REPS_STEP = 2.0
MINUTES_STEP = 5.0
MINUTES_CAP = 30.0
DEFAULT_HOLD_CAP = 30.0
REPORTS = ("pain-free", "same", "worse")


class Progression(NamedTuple):
    """The plan week by week (``weeks[0]`` is the plan given) and what changed."""

    weeks: list[Plan]
    changes: pd.DataFrame


@dataclass(frozen=True)
class _Caps:
    hold_s: float
    reps: float


def _caps(ex_id: str, exercises: pd.DataFrame, doses: pd.DataFrame | None) -> _Caps:
    row = exercises.loc[ex_id]
    article = doses[doses["exercise"] == ex_id] if doses is not None else None
    hold = row["hold_s"]
    reps = row["reps"]
    art_hold = article["hold_s_max"].max() if article is not None and len(article) else math.nan
    art_reps = article["reps_max"].max() if article is not None and len(article) else math.nan
    hold_cap = max(x for x in (art_hold, hold, 0.0) if not math.isnan(x)) or DEFAULT_HOLD_CAP
    if math.isnan(art_reps):
        reps_cap = 2 * reps if not math.isnan(reps) else 1.0
    else:
        reps_cap = max(art_reps, 0 if math.isnan(reps) else reps)
    return _Caps(hold_cap, reps_cap)


def _step_up(e: Entry, caps: _Caps) -> tuple[Entry, str]:
    if e.minutes:
        if e.minutes >= MINUTES_CAP:
            return e, ""
        m = min(e.minutes + MINUTES_STEP, MINUTES_CAP)
        return replace(e, minutes=m, dose_source="progressed"), f"{e.minutes:g} -> {m:g} min"
    if e.hold_s and e.hold_s < caps.hold_s:
        h = min(e.hold_s + HOLD_STEP, caps.hold_s)
        return replace(e, hold_s=h, dose_source="progressed"), f"hold {e.hold_s:g} -> {h:g} s"
    reps = e.reps or 1.0
    if reps < caps.reps:
        r = min(reps + REPS_STEP, caps.reps)
        return replace(e, reps=r, dose_source="progressed"), f"{reps:g} -> {r:g} reps"
    return e, ""


def _at_cap(e: Entry, caps: _Caps) -> bool:
    if e.minutes:
        return e.minutes >= MINUTES_CAP
    return (not e.hold_s or e.hold_s >= caps.hold_s) and (e.reps or 1.0) >= caps.reps


def _reports_for(feedback, week: int) -> Mapping[str, str]:
    if feedback is None:
        return {}
    if isinstance(feedback, Mapping):
        reports = feedback
    elif week < len(feedback):
        reports = feedback[week] or {}
    else:
        reports = {}
    for ex, r in reports.items():
        if r not in REPORTS:
            raise ValueError(f"Unknown report {r!r} for {ex!r}; expected one of: "
                             f"{', '.join(REPORTS)}.")
    return reports


def progress(plan: Plan, weeks: int, exercises: pd.DataFrame,
             doses: pd.DataFrame | None = None,
             feedback: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None
             ) -> Progression:
    """The plan over ``weeks`` weeks, progressed by the rule in this module.

    Parameters
    ----------
    plan
        Week 1.  It is not changed.
    weeks
        How many weeks to return, 1 or more.
    exercises, doses
        The library; the article doses set the caps.
    feedback
        What the person reported, by exercise id: "pain-free", "same" or
        "worse".  One mapping applies after every week; a sequence gives the
        reports after week 1, week 2, and so on.

    Returns
    -------
    Progression
        ``weeks``, a list of plans, and ``changes``, one row per exercise
        changed each week: ``week``, ``exercise``, ``name``, ``change``
        (dose, harder, easier, back to start or stopped), ``to`` and
        ``reason``.
    """
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    out = [plan.copy()]
    changes: list[dict] = []
    names = exercises["name"]
    for w in range(1, weeks):
        reports = _reports_for(feedback, w - 1)
        nxt = out[-1].copy()
        nxt.name = f"{plan.name} (week {w + 1})"
        seen: set[tuple[str, str]] = set()

        def note(ex_id, change, to, reason):
            if (ex_id, change) not in seen:
                seen.add((ex_id, change))
                changes.append({"week": w + 1, "exercise": ex_id, "name": names.get(ex_id, ex_id),
                                "change": change, "to": to, "reason": reason})

        for _day, sessions in nxt.days.items():
            for session in sessions:
                kept = []
                for e in session.entries:
                    row = exercises.loc[e.exercise]
                    caps = _caps(e.exercise, exercises, doses)
                    report = reports.get(e.exercise)
                    name = row["name"]
                    if report == "worse":
                        if row["easier"]:
                            easier = row["easier"][0]
                            kept.append(entry_for(easier, exercises))
                            note(e.exercise, "easier", names[easier],
                                 f"Pain was worse with {name}: back to {names[easier]}, "
                                 f"the easier version.")
                            continue
                        start = entry_for(e.exercise, exercises)
                        if e == start or replace(e, dose_source="default") == start:
                            note(e.exercise, "stopped", "",
                                 f"Pain was worse with {name} at its starting dose: stopped. "
                                 "If an exercise makes the pain worse, stop it.")
                            continue
                        kept.append(start)
                        note(e.exercise, "back to start", start.describe(),
                             f"Pain was worse with {name}: back to its starting dose.")
                        continue
                    if report == "pain-free" and row["harder"] and _at_cap(e, caps):
                        harder = row["harder"][0]
                        kept.append(entry_for(harder, exercises))
                        note(e.exercise, "harder", names[harder],
                             f"{name} was pain-free at its full dose: moving on to "
                             f"{names[harder]}.")
                        continue
                    stepped, what = _step_up(e, caps)
                    if what:
                        note(e.exercise, "dose", stepped.describe(),
                             f"{name}: {what}, a small step up as it gets easier.")
                    kept.append(stepped)
                session.entries = kept
        out.append(nxt)
    cols = ["week", "exercise", "name", "change", "to", "reason"]
    return Progression(out, pd.DataFrame(changes, columns=cols))
