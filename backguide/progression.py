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
  once the hold is at its cap, repetitions grow by :data:`REPS_STEP`
  ("increase the number of repetitions as the exercise gets easier",
  freeback; "working up to 30 seconds", natarthritis), and activities by
  :data:`MINUTES_STEP` minutes.

A report naming an exercise that is not in the plan it reports on is
refused (:class:`NotInPlan`): a misspelt id would otherwise be ignored and
the exercise it meant made harder.

Caps: a hold's cap is the longest hold any article gives for the exercise
(30 s where none does); a repetition cap the most repetitions any article
gives (twice the starting number where none does); an activity's cap
:data:`MINUTES_CAP` minutes a session.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import BackguideError, Problem
from .library import Library, resolve
from .measures import category_minutes
from .plan import Plan, describe_dose, numbering
from .schema import DOSE_FIELDS

HOLD_STEP = 5.0
REPS_STEP = 2.0
MINUTES_STEP = 5.0
MINUTES_CAP = 30.0
DEFAULT_HOLD_CAP = 30.0
REPORTS = ("pain-free", "same", "worse")
#: A report only the journal makes (see :mod:`backguide.journal.next_week`): keep the
#: exercise as it is this week (not done, felt harder, or progression stopped).
HELD = "held"
CHANGE_COLUMNS = ["week", "exercise", "name", "change", "to", "reason"]


class Progression(NamedTuple):
    """The plan week by week and what changed.

    ``weeks[0]`` is the plan given.  ``entries`` is every week's entries
    stacked, with a ``week`` column (1 for the plan given): measure them all
    at once with ``by=["week"]``.  ``changes`` has one row per exercise
    changed each week.
    """

    weeks: list[Plan]
    entries: pd.DataFrame
    changes: pd.DataFrame

    def minutes(self, *, lib: Library | None = None) -> pd.DataFrame:
        """Minutes per week and category, every week shown (even one left empty):
        the table :func:`backguide.plot_progression` draws."""
        return category_minutes(self.entries, values=range(1, len(self.weeks) + 1), lib=lib)


def caps(*, lib: Library | None = None) -> pd.DataFrame:
    """Each exercise's caps: ``hold_s`` and ``reps``, by the rule in this module."""
    lib = resolve(lib)
    ex, doses = lib.exercises, lib.doses
    art = doses.groupby("exercise")[["hold_s_max", "reps_max"]].max().reindex(ex.index)
    hold = np.fmax(np.fmax(art["hold_s_max"].to_numpy(), ex["hold_s"].to_numpy()), 0.0)
    hold = np.where(hold > 0, hold, DEFAULT_HOLD_CAP)
    own_reps = ex["reps"].to_numpy()
    reps = np.where(np.isnan(art["reps_max"].to_numpy()),
                    np.where(np.isnan(own_reps), 1.0, 2 * own_reps),
                    np.fmax(art["reps_max"].to_numpy(), np.nan_to_num(own_reps)))
    return pd.DataFrame({"hold_s": hold, "reps": reps}, index=ex.index)


class NotInPlan(BackguideError):
    """A report names an exercise that is not in the plan it reports on."""

    @classmethod
    def of(cls, where: str, unknown, plan: Plan) -> NotInPlan:
        """The error for the ids ``unknown`` reported in ``where`` ("feedback",
        "done on 2026-03-04"), listing the plan's own exercise ids."""
        ids = list(dict.fromkeys(plan.entries["exercise"]))
        named = f"\u201c{plan.name}\u201d" if plan.name.strip() else "the plan"
        listed = ", ".join(ids) if ids else "none, it is empty"
        problems = []
        for x in unknown:
            near = difflib.get_close_matches(str(x), ids, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            problems.append(Problem(where, None, "exercise", None, x,
                                    f"an exercise in {named}: {listed}{hint}"))
        return cls(problems)


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


def _check_named(reports: Mapping[str, str], plan: Plan, where: str) -> None:
    """Refuse reports about exercises ``plan`` does not have."""
    known = set(plan.entries["exercise"])
    unknown = [x for x in reports if x not in known]
    if unknown:
        raise NotInPlan.of(where, unknown, plan)


class _Rules:
    """The library as arrays by exercise number, and one week's step for whole columns."""

    def __init__(self, lib: Library):
        ex = lib.exercises
        self.index = ex.index
        self.ids = ex.index.to_numpy(dtype=object)
        self.names = ex["name"].to_numpy(dtype=object)
        c = caps(lib=lib)
        self.hold_cap, self.reps_cap = c["hold_s"].to_numpy(), c["reps"].to_numpy()
        v = lib.variants
        self.first = {}
        for d in ("easier", "harder"):  # the first variant listed in each direction
            first = v[v["direction"] == d].drop_duplicates("exercise")
            codes = np.full(len(ex), -1, dtype=np.int64)
            codes[ex.index.get_indexer(first["exercise"])] = ex.index.get_indexer(first["other"])
            self.first[d] = codes
        # Every exercise's starting dose, as dose_for gives it.
        self.start = {k: ex[k].to_numpy(dtype=float) for k in DOSE_FIELDS}
        self.start["per_side"] = ex["per_side"].to_numpy(dtype=bool, na_value=False)

    def step(self, e: pd.DataFrame, reports: Mapping[str, str], week: int
             ) -> tuple[pd.DataFrame, list[dict], np.ndarray]:
        """One week's step of entries ``e`` by ``reports`` (exercise id -> report).

        Returns the new entries (stopped ones dropped, the rest in order), the
        changes as rows, and each entry's change: "easier", "stopped", "back to
        start", "harder", "dose" or "" (unchanged).
        """
        code = self.index.get_indexer(e["exercise"])
        if (code < 0).any():
            raise ValueError(f"Unknown exercise {e['exercise'].to_numpy()[code < 0][0]!r}; "
                             "it is not in the library.")
        report = np.array([reports.get(x) for x in self.ids[code]], dtype=object)
        dose = {k: e[k].to_numpy(dtype=float) for k in DOSE_FIELDS}
        per_side = e["per_side"].to_numpy(dtype=bool)
        hold_cap, reps_cap = self.hold_cap[code], self.reps_cap[code]
        minutes, hold = np.nan_to_num(dose["minutes"]), np.nan_to_num(dose["hold_s"])  # blank: 0
        reps = np.where(np.nan_to_num(dose["reps"]) > 0, dose["reps"], 1.0)
        easier, harder = self.first["easier"][code], self.first["harder"][code]
        timed = minutes > 0
        at_cap = np.where(timed, minutes >= MINUTES_CAP,
                          ((hold == 0) | (hold >= hold_cap)) & (reps >= reps_cap))
        at_start = per_side == self.start["per_side"][code]
        for k in DOSE_FIELDS:
            a, b = dose[k], self.start[k][code]
            at_start &= (a == b) | (np.isnan(a) & np.isnan(b))

        worse = report == "worse"
        to_easier = worse & (easier >= 0)
        stopped = worse & (easier < 0) & at_start
        back = worse & (easier < 0) & ~at_start
        to_harder = (report == "pain-free") & (harder >= 0) & at_cap
        step = ~worse & ~to_harder & (report != HELD)
        # A dose step: minutes, else the hold, else the reps, each up to its cap.
        more_minutes = step & timed & (minutes < MINUTES_CAP)
        more_hold = step & ~timed & (hold > 0) & (hold < hold_cap)
        more_reps = step & ~timed & ~more_hold & (reps < reps_cap)
        new = {k: v.copy() for k, v in dose.items()}
        new["minutes"][more_minutes] = np.minimum(minutes + MINUTES_STEP, MINUTES_CAP)[more_minutes]
        new["hold_s"][more_hold] = np.minimum(hold + HOLD_STEP, hold_cap)[more_hold]
        new["reps"][more_reps] = np.minimum(reps + REPS_STEP, reps_cap)[more_reps]
        stepped = more_minutes | more_hold | more_reps
        source = e["dose_source"].to_numpy(dtype=object).copy()
        source[stepped] = "progressed"
        # Swaps: to an easier or harder variant, or back to the starting dose.
        new_code = np.where(to_easier, easier, np.where(to_harder, harder, code))
        swapped = to_easier | to_harder | back
        for k in DOSE_FIELDS:
            new[k][swapped] = self.start[k][new_code[swapped]]
        new_side = np.where(swapped, self.start["per_side"][new_code], per_side)
        source[swapped] = "default"

        changes, seen = [], set()
        for i in np.flatnonzero(stepped | swapped | stopped):
            x, name = self.ids[code[i]], self.names[code[i]]
            if to_easier[i]:
                change, to = "easier", self.names[easier[i]]
                reason = f"Pain was worse with {name}: back to {to}, the easier version."
            elif stopped[i]:
                change, to = "stopped", ""
                reason = (f"Pain was worse with {name} at its starting dose: stopped. "
                          "If an exercise makes the pain worse, stop it.")
            elif to_harder[i]:
                change, to = "harder", self.names[harder[i]]
                reason = f"{name} was pain-free at its full dose: moving on to {to}."
            else:
                change = "back to start" if back[i] else "dose"
                to = describe_dose(*(new[k][i] for k in ("sets", "reps", "hold_s", "rest_s")),
                                   bool(new_side[i]), new["minutes"][i])
                if back[i]:
                    reason = f"Pain was worse with {name}: back to its starting dose."
                else:
                    if more_minutes[i]:
                        what = f"{minutes[i]:g} -> {new['minutes'][i]:g} min"
                    elif more_hold[i]:
                        what = f"hold {hold[i]:g} -> {new['hold_s'][i]:g} s"
                    else:
                        what = f"{reps[i]:g} -> {new['reps'][i]:g} reps"
                    reason = f"{name}: {what}, a small step up as it gets easier."
            if (x, change) not in seen:
                seen.add((x, change))
                changes.append({"week": week, "exercise": x, "name": name, "change": change,
                                "to": to, "reason": reason})
        keep = ~stopped
        day = e["day"].array[keep]
        session, order = numbering(day.codes, e["session"].to_numpy()[keep])
        out = pd.DataFrame({
            "day": day,
            "session": session,
            "session_name": e["session_name"].array[keep],
            "order": order,
            "exercise": pd.array(self.ids[new_code][keep], dtype="str"),
            **{k: new[k][keep] for k in DOSE_FIELDS[:4]},
            "per_side": new_side[keep],
            "minutes": new["minutes"][keep],
            "dose_source": pd.array(source[keep], dtype="str"),
        })
        kind = np.full(len(e), "", dtype=object)
        for mask, name in ((stepped, "dose"), (back, "back to start"), (to_harder, "harder"),
                           (to_easier, "easier"), (stopped, "stopped")):
            kind[mask] = name
        return out, changes, kind


def progress(plan: Plan, weeks: int,
             feedback: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None, *,
             lib: Library | None = None) -> Progression:
    """The plan over ``weeks`` weeks, progressed by the rule in this module.

    Parameters
    ----------
    plan
        Week 1.  It is not changed.
    weeks
        How many weeks to return, 1 or more.
    feedback
        What the person reported, by exercise id: "pain-free", "same" or
        "worse".  One mapping applies after every week; a sequence gives the
        reports after week 1, week 2, and so on.  Every id must be in the
        plan reported on: the plan given for one mapping, that week's plan
        for each of a sequence.
    lib
        The library (the article doses set the caps); by default the shipped one.

    Returns
    -------
    Progression
        ``weeks``, a list of plans; ``entries``, all weeks' entries stacked
        with a ``week`` column; and ``changes``, one row per exercise changed
        each week: ``week``, ``exercise``, ``name``, ``change`` (dose,
        harder, easier, back to start or stopped), ``to`` and ``reason``.

    Raises
    ------
    NotInPlan
        A :class:`~backguide.errors.BackguideError` naming each reported id
        that is not in the plan, and the plan's ids.
    """
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    rules = _Rules(resolve(lib))
    if isinstance(feedback, Mapping):
        _check_named(_reports_for(feedback, 0), plan, "feedback")
    plans, changes = [plan], []
    entries = plan.entries
    for w in range(1, weeks):
        reports = _reports_for(feedback, w - 1)
        if feedback is not None and not isinstance(feedback, Mapping):
            # Against the week's plan or an earlier one: a report on an exercise stopped,
            # or swapped for its variant, since is no misspelt id (it changes nothing).
            unknown = [x for x in reports
                       if not any(x in set(p.entries["exercise"]) for p in plans)]
            if unknown:
                raise NotInPlan.of(f"feedback after week {w}", unknown, plans[-1])
        entries, changed, _ = rules.step(entries, reports, w + 1)
        changes += changed
        plans.append(Plan.from_tidy(entries, **{**plan.meta,
                                                "name": f"{plan.name} (week {w + 1})"}))
        entries = plans[-1].entries
    stacked = pd.concat([p.entries for p in plans], ignore_index=True)
    stacked.insert(0, "week", np.repeat(np.arange(1, weeks + 1),
                                        [len(p.entries) for p in plans]))
    return Progression(plans, stacked, pd.DataFrame(changes, columns=CHANGE_COLUMNS))
