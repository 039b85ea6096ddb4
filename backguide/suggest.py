"""Make a routine of about N minutes from the exercises a person can do.

A person with ten minutes means ten minutes for the session, not for each
exercise.  :func:`suggest_routine` takes the candidates (what the explorer's
filters show, say) and builds one session on Monday whose time, by the dose
rule in :mod:`backguide.dose` as :func:`backguide.session_minutes` adds it
up, is within :data:`TOLERANCE` of the minutes asked for and never more than
:data:`CEILING` over.

The rules, in the order they give way to each other
---------------------------------------------------
1. **Start easy.**  No "hard" exercise while any easier candidate is there,
   and no exercise whose easier variant is a candidate but not already in
   the session before it (natarthritis: "Start with the simple exercises and
   work up to the difficult ones").  Among the rest, easy comes before
   moderate; a moderate exercise is chosen over an easy one only where it
   brings a kind of work or a spine muscle the easy ones do not.  The
   session runs from easy to hard: every easy exercise, then every moderate
   one, then any hard one, so its difficulty never goes down.  (Only a
   clinic's table that marks an exercise easier than its own easier variant
   can break this: the easier variant still comes first.)
2. **Balance the kinds.**  Exercises are chosen in turn from mobility,
   strength and stretch (then any other kind with a dose in repetitions), so
   no kind has more than one more exercise than another while each has
   candidates left.  Within each difficulty the session runs in the order a
   session usually runs: a gentle mobility warm-up, strength in the middle,
   then any activity, stretches last.
3. **Cover the spine's muscles.**  Within a kind, an exercise working a
   muscle of :data:`backguide.schema.SPINE_MUSCLES` that the session does
   not yet work comes first (freeback: "Muscles in the low back, abdomen,
   buttocks and hips").
4. **Fill the time.**  Exercises are added while the session is short of the
   minutes asked for and the next one fits under the tolerance.  When the
   candidates run out first, the exercises are done in more sets (round by
   round, in session order, up to :data:`MAX_SETS`), as a routine is
   repeated; those entries have ``dose_source`` "custom".
5. **Whole-session activities** (anything dosed in minutes: a walk, a swim,
   a yoga class) join only when the minutes asked for leave at least
   :data:`ACTIVITY_ROOM` minutes of exercises beside the activity's lowest
   dose, or when nothing else fills the time.  The activity then takes the
   time the exercises leave, within its dose: from the lowest to the
   highest minutes the library or an article gives it.
6. **Unknown is unknown.**  An exercise without a dose (an imported one the
   source gave none) has no time to fill and is left out, and the note says
   how many; one whose difficulty is blank is taken as hard, never as easy.

The result is a :class:`Suggestion`: the plan, its minutes, the minutes
asked for and a note in plain words when the session could not be made to
measure (nothing to choose from, nothing short enough, not enough to fill
the time) or when exercises were repeated to fill it.  Same candidates and
minutes, same routine: ties go to the library's order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema
from .dose import estimate_seconds, shown_minutes
from .library import Library, resolve
from .measures import session_minutes
from .plan import Plan, dose_for

#: How far from the minutes asked for a session may end, as a share of them.
TOLERANCE = 0.15
#: The most a session may go over, as a share: never reached, since
#: exercises are only added while they fit within :data:`TOLERANCE`.
CEILING = 0.20
#: The most sets an exercise is given to fill the time (a routine done three
#: times through).
MAX_SETS = 3
#: Minutes of exercises an activity must leave room for before it joins.
ACTIVITY_ROOM = 5.0
#: The day the session goes on.
DAY = "Monday"

#: The order kinds are chosen in, and then the order the session runs in.
_TURNS = ("mobility", "strength", "stretch", "aerobic", "mind-body")
_BLOCK = {"mobility": 0, "strength": 1, "aerobic": 2, "mind-body": 2, "stretch": 4}
_ACTIVITY_BLOCK = 3


@dataclass(frozen=True, eq=False)
class Suggestion:
    """A suggested routine: ``plan`` (one session on Monday, or empty),
    ``minutes`` (its time by :func:`backguide.session_minutes`), ``target``
    (the minutes asked for) and ``note`` (plain words for the person when
    something could not be done as asked, else ``""``)."""

    plan: Plan
    minutes: float
    target: float
    note: str = ""

    @property
    def on_target(self) -> bool:
        """Whether the session is within :data:`TOLERANCE` of the target."""
        return abs(self.minutes - self.target) <= TOLERANCE * self.target + 1e-9


def suggest_routine(exercises, minutes: float, *, lib: Library | None = None,
                    name: str = "My routine") -> Suggestion:
    """A one-session routine of about ``minutes`` from the candidate exercises.

    Parameters
    ----------
    exercises
        The candidates: rows of ``lib.exercises`` (what
        :func:`backguide.filter_exercises` returns), or their ids.
    minutes
        The time the person has for the whole session, in minutes.
    lib
        The library; by default the shipped one.
    name
        The plan's name and the session's.

    Returns
    -------
    Suggestion
        The plan, its minutes and a note; the rules are in this module's
        docstring.

    Raises
    ------
    ValueError
        For minutes that are not a positive number, or an id not in the
        library.
    """
    lib = resolve(lib)
    target = float(minutes)
    if not math.isfinite(target) or target <= 0:
        raise ValueError(f"minutes must be a positive number, not {minutes!r}.")
    ex = lib.exercises
    rows = _candidate_rows(exercises, ex)
    # An exercise without a dose has no time to fill: left out, and said so.
    undosed = ex["session_minutes"].isna().to_numpy()[rows]
    skipped = _skipped(int(undosed.sum()))
    rows = rows[~undosed]
    if not len(rows):
        return Suggestion(Plan(name=name), 0.0, target, _join(
            skipped, "There are no exercises to choose from: show more exercises "
            "(fewer filters) and try again."))
    c = _Candidates(rows, lib=lib)
    chosen, sets, activity = c.choose(target)
    if not chosen and activity is None:
        shortest, least = c.shortest()
        return Suggestion(Plan(name=name), 0.0, target, _join(
            skipped, f"No exercise fits in {_minutes(target)}: the shortest, "
            f"{ex['name'].iat[rows[shortest]]}, takes {shown_minutes(least)} minutes."))
    plan = c.plan(chosen, sets, activity, name)
    total = float(session_minutes(plan, lib=lib)["minutes"].sum())
    if total < (1 - TOLERANCE) * target:
        again = (f", even done {MAX_SETS} times through"
                 if sets.size and (sets == MAX_SETS).all() else "")
        note = (f"The exercises to choose from fill about {total:.0f} of the "
                f"{_minutes(target)}{again}: show more exercises to fill the time.")
    elif (sets > 1).any():
        note = (f"To fill {_minutes(target)}, some exercises are done in "
                f"{int(sets.max())} sets.")
    else:
        note = ""
    return Suggestion(plan, total, target, _join(skipped, note))


def _skipped(n: int) -> str:
    """The note for ``n`` candidates left out for having no dose."""
    if not n:
        return ""
    if n == 1:
        return ("1 exercise has no dose, so its time is unknown and it was left out: "
                "ask your clinician for a dose.")
    return (f"{n} exercises have no dose, so their time is unknown and they were left "
            "out: ask your clinician for a dose.")


def _join(*notes: str) -> str:
    return " ".join(n for n in notes if n)


def _minutes(x: float) -> str:
    return f"{x:g} minute" if x == 1 else f"{x:g} minutes"


def _candidate_rows(exercises, ex: pd.DataFrame) -> np.ndarray:
    """The candidates' row numbers in ``ex``, each once, in the library's order."""
    if isinstance(exercises, pd.DataFrame):
        ids = exercises.index
    elif isinstance(exercises, str):
        ids = [exercises]
    elif isinstance(exercises, (pd.Series, pd.Index, Iterable)):
        ids = list(exercises)
    else:
        raise TypeError("exercises must be rows of the exercise table or their ids.")
    rows = ex.index.get_indexer(pd.Index(ids, dtype=object).unique())
    if (rows < 0).any():
        unknown = [i for i, r in zip(pd.Index(ids).unique(), rows) if r < 0]
        raise ValueError(f"Unknown exercise {unknown[0]!r}; it is not in the library.")
    return np.sort(rows)


class _Candidates:
    """The candidates' facts as arrays (one entry per candidate, in library
    order) and the choosing that reads them."""

    def __init__(self, rows: np.ndarray, *, lib: Library):
        self.lib, self.rows = lib, rows
        ex = lib.exercises.iloc[rows]
        self.ids = ex.index
        self.difficulty = ex["difficulty"].array.codes.astype(np.int64)
        # A blank difficulty (code -1) is not the easiest: take it as hard.
        self.difficulty[self.difficulty < 0] = schema.DIFFICULTIES.index("hard")
        self.category = np.asarray(ex["category"].astype(str), dtype=object)
        self.spine = lib.codes.spine[rows]
        self.dose = {k: ex[k].to_numpy(dtype=float) for k in schema.DOSE_FIELDS}
        self.per_side = ex["per_side"].to_numpy(dtype=bool, na_value=False)
        self.timed = self.dose["minutes"] > 0  # NaN compares False
        hard = schema.DIFFICULTIES.index("hard")
        easier_there = (self.difficulty < hard).any()
        self.eligible = self.difficulty < hard if easier_there else np.ones(len(rows), bool)
        # The easier variants each candidate waits for: those among the candidates.
        v = lib.variants
        v = v[(v["direction"] == "easier") & v["exercise"].isin(self.ids)
              & v["other"].isin(self.ids)]
        position = {x: i for i, x in enumerate(self.ids)}
        self.needs: list[set[int]] = [set() for _ in rows]
        for x, other in zip(v["exercise"], v["other"]):
            self.needs[position[x]].add(position[other])
        self.low, self.high = self._activity_range()

    def _activity_range(self) -> tuple[np.ndarray, np.ndarray]:
        """Each timed candidate's lowest and highest minutes: its own dose and
        the articles' (NaN for the others)."""
        default = self.dose["minutes"]
        d = self.lib.doses
        d = d[d["exercise"].isin(self.ids[self.timed])]
        low = d.groupby("exercise")["minutes_min"].min().reindex(self.ids).to_numpy(float)
        high = d.groupby("exercise")["minutes_max"].max().reindex(self.ids).to_numpy(float)
        low = np.fmin(default, low)
        high = np.fmax(default, high)
        return np.where(self.timed, low, np.nan), np.where(self.timed, high, np.nan)

    def duration(self, i: int, sets: int) -> float:
        """Minutes candidate ``i`` takes at its default dose done in ``sets`` sets."""
        if self.timed[i]:
            return float(self.dose["minutes"][i])
        d = self.dose
        return float(estimate_seconds(sets, d["reps"][i], d["hold_s"][i], d["rest_s"][i],
                                      self.per_side[i])) / 60.0

    def shortest(self) -> tuple[int, float]:
        """The candidate that may take the least time, and that time."""
        times = np.array([self.low[i] if self.timed[i] else self.duration(i, 1)
                          for i in range(len(self.rows))])
        i = int(np.argmin(np.where(self.eligible, times, np.inf)))
        return i, float(times[i])

    # -- choosing --

    def choose(self, target: float):
        """The short exercises chosen (in the order chosen), their sets and the
        activity (its candidate number and minutes, or ``None``)."""
        cap = (1 + TOLERANCE) * target
        short = self.eligible & ~self.timed
        activity = self._activity(target, cap, room_needed=short.any())
        reserved = 0.0 if activity is None else self.low[activity]
        chosen = self._fill(short, target - reserved, cap - reserved)
        sets = np.ones(len(chosen), dtype=np.int64)
        total = sum(self.duration(i, 1) for i in chosen)
        if activity is not None:
            minutes = float(np.clip(target - total, self.low[activity], self.high[activity]))
            activity = (activity, minutes)
            total += minutes
        total = self._repeat(chosen, sets, total, target, cap)
        if activity is None and total < (1 - TOLERANCE) * target:
            # Nothing else fills the time: an activity may, if it fits beside the
            # exercises done once; then the exercises are repeated again to fill.
            once = sum(self.duration(i, 1) for i in chosen)
            late = self._activity(target - once, cap - once, room_needed=False)
            if late is not None:
                minutes = float(np.clip(target - once, self.low[late], self.high[late]))
                activity = (late, minutes)
                sets[:] = 1
                self._repeat(chosen, sets, once + minutes, target, cap)
        return chosen, sets, activity

    def _activity(self, target: float, cap: float, room_needed: bool) -> int | None:
        """The activity to take, if one should join: the easiest that fits."""
        fits = self.eligible & self.timed & (self.low <= cap)
        if room_needed:
            fits &= self.low + ACTIVITY_ROOM <= target
        if not fits.any():
            return None
        order = np.lexsort((np.arange(len(fits)), self.difficulty))
        return int(next(i for i in order if fits[i]))

    def _fill(self, short: np.ndarray, budget: float, cap: float) -> list[int]:
        """Short exercises chosen kind by kind in turn until ``budget`` is met."""
        chosen: list[int] = []
        taken = np.zeros(len(short), dtype=bool)
        covered, total = 0, 0.0
        once = np.array([self.duration(i, 1) for i in range(len(short))])
        kinds = [k for k in _TURNS if (short & (self.category == k)).any()]
        while total < budget:
            added = False
            for kind in kinds:
                if total >= budget:
                    break
                ready = np.array([self.needs[i] <= set(chosen) for i in range(len(short))])
                pool = np.flatnonzero(short & ~taken & (self.category == kind) & ready
                                      & (total + once <= cap))
                if not len(pool):
                    continue
                new = np.array([bin(int(self.spine[i]) & ~covered).count("1") for i in pool])
                # Rule 3 before rule 1's preference: a moderate exercise that brings a
                # spine muscle beats an easy one that brings none; then easiest first,
                # most muscles brought, and the shorter, which leaves room for more.
                key = np.lexsort((pool, once[pool], -new, self.difficulty[pool], new == 0))
                pick = int(pool[key[0]])
                chosen.append(pick)
                taken[pick] = True
                covered |= int(self.spine[pick])
                total += once[pick]
                added = True
            if not added:
                break
        return chosen

    def _repeat(self, chosen: list[int], sets: np.ndarray, total: float, target: float,
                cap: float) -> float:
        """Add sets round by round, in session order, until the target is met."""
        order = self._order(chosen, None)
        for _ in range(MAX_SETS - 1):
            for k in order:
                if total >= target:
                    return total
                i = chosen[k]
                extra = self.duration(i, sets[k] + 1) - self.duration(i, sets[k])
                if sets[k] < MAX_SETS and total + extra <= cap:
                    sets[k] += 1
                    total += extra
        return total

    def _order(self, chosen: list[int], activity) -> list[int]:
        """Positions in ``chosen`` in session order (and ``-1`` for the activity):
        by difficulty, then block, then easier variants first, then as chosen."""
        depth = {i: 0 for i in chosen}
        for _ in range(len(chosen)):
            for i in chosen:
                depth[i] = max([0, *(depth[e] + 1 for e in self.needs[i] if e in depth)])
        keys = [(self.difficulty[i], _BLOCK.get(self.category[i], 2), depth[i], k)
                for k, i in enumerate(chosen)]
        if activity is not None:
            keys.append((self.difficulty[activity[0]], _ACTIVITY_BLOCK, 0, -1))
        order = [k[-1] for k in sorted(keys)]
        # An easier variant later in the session (in a later block at the same
        # difficulty, or marked harder in a clinic's table): move the harder
        # exercise to just after it.
        for _ in range(len(order)):
            moved = False
            for pos, k in enumerate(order):
                if k < 0:
                    continue
                later = [p for p, j in enumerate(order) if j >= 0 and p > pos
                         and chosen[j] in self.needs[chosen[k]]]
                if later:
                    order.insert(max(later), order.pop(pos))
                    moved = True
                    break
            if not moved:
                break
        return order

    def plan(self, chosen: list[int], sets: np.ndarray, activity, name: str) -> Plan:
        rows = []
        for k in self._order(chosen, activity):
            if k < 0:
                i, minutes = activity
                dose = dose_for(self.ids[i], lib=self.lib)
                if minutes != dose["minutes"]:
                    dose.update(minutes=minutes, dose_source="custom")
            else:
                dose = dose_for(self.ids[chosen[k]], lib=self.lib)
                if sets[k] > 1:
                    dose.update(sets=float(sets[k]), dose_source="custom")
            rows.append(dose)
        return Plan(name=name).add_session(DAY, name, pd.DataFrame(rows))
