"""Hypothesis strategies for plans (tables of entries) built from the shipped library."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

import backguide as bg
from backguide.schema import DAYS

LIB = bg.shipped_library()
EX = LIB.exercises
EXERCISES = list(EX.index)
#: Exercises the checks single out (variants, aerobic work, held stretches), drawn more often.
INTERESTING = ["cobra", "partial_cobra", "bird_dog", "arm_lift_all_fours", "leg_lift_all_fours",
               "knee_plank", "forearm_plank", "high_plank", "fast_walking", "swimming",
               "childs_pose", "single_knee_to_chest", "yoga", "clamshell"]

#: Text a plan file can hold (no lone surrogates).
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)

# Within DOSE_LIMITS: larger doses are impossible and refused (tested in test_plan.py).
doses = st.one_of(st.none(), st.integers(0, 20).map(float), st.floats(0, 20, allow_nan=False))
holds = st.one_of(st.none(), st.sampled_from([5.0, 10.0, 30.0, 45.0]),
                  st.floats(0, 60, allow_nan=False))
minutes = st.one_of(st.none(), st.none(), st.sampled_from([0.0, 5.0, 10.0, 20.0, 25.0, 45.0]),
                    st.floats(0, 60, allow_nan=False))

entry = st.fixed_dictionaries({
    "day": st.sampled_from(DAYS),
    "session": st.integers(0, 2),
    "exercise": st.one_of(st.sampled_from(INTERESTING), st.sampled_from(EXERCISES)),
    "sets": doses, "reps": doses, "hold_s": holds, "rest_s": doses,
    "per_side": st.booleans(),
    "minutes": minutes,
    "dose_source": st.sampled_from(["default", "custom", "wolfe", "progressed"]),
})


def frame_of(rows: list[dict], names=("Morning", "Walk", "Evening")) -> pd.DataFrame:
    """Entry rows as a frame with the entry table's columns; ``order`` is the list order."""
    frame = pd.DataFrame(rows, columns=["day", "session", "exercise", "sets", "reps", "hold_s",
                                        "rest_s", "per_side", "minutes", "dose_source"])
    frame["order"] = range(len(frame))
    frame["session_name"] = [names[s] for s in frame["session"]]
    for k in ("sets", "reps", "hold_s", "rest_s", "minutes"):
        frame[k] = frame[k].astype(float)
    frame["per_side"] = frame["per_side"].astype(bool)
    return frame


def entry_frames(max_size: int = 12):
    """Frames of entries on random days and sessions (days left empty included)."""
    names = st.lists(text.filter(bool), min_size=3, max_size=3)
    return st.builds(frame_of, st.lists(entry, max_size=max_size), names)


plans = st.builds(
    bg.Plan, name=text, person=text, notes=text,
    start=st.one_of(st.none(), st.dates()),
    claims=st.lists(st.sampled_from(list(LIB.guidance.index)), max_size=3).map(tuple),
    entries=entry_frames())


#: The starter plans' entries, to start some random plans from.
STARTERS = {n: bg.load_starter(n).entries for n in bg.starter_plans()}


@st.composite
def stacked_plans(draw, max_people: int = 3, max_weeks: int = 3, max_entries: int = 10):
    """Several people's plans over several weeks, stacked with ``person`` and ``week``.

    Returns ``(stacked, {(person, week): Plan})``; a plan with no entries has no
    rows in the stack, so it is left out of the dict as well.
    """
    people = draw(st.lists(st.sampled_from(["ada", "bo", "cy", "dee"]), min_size=1,
                           max_size=max_people, unique=True))
    weeks = draw(st.integers(1, max_weeks))
    plans, frames = {}, []
    for person in people:
        for week in range(1, weeks + 1):
            frame = draw(entry_frames(max_entries))
            starter = draw(st.sampled_from([None, None, *STARTERS]))
            if starter is not None:  # some of a starter plan's days: sessions that meet targets
                days = draw(st.sets(st.sampled_from(DAYS), min_size=1))
                rows = STARTERS[starter]
                frame = pd.concat([rows[rows["day"].isin(days)], frame], ignore_index=True)
            plan = bg.Plan(entries=frame)
            if plan.is_empty:
                continue
            plans[person, week] = plan
            frames.append(plan.entries.assign(person=person, week=week))
    if not frames:
        frames = [bg.Plan().entries.assign(person="", week=0)]
    stacked = pd.concat(frames, ignore_index=True)
    # Shuffle the rows: the measures sort them into their plans themselves.
    order = draw(st.permutations(range(len(stacked))))
    return stacked.iloc[list(order)].reset_index(drop=True), plans
