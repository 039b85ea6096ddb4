"""Hypothesis strategies for plans built from the shipped library."""

from __future__ import annotations

from hypothesis import strategies as st

import backguide as bg
from backguide.schema import DAYS

LIB = bg.load_library()
EX = LIB.exercises

# Within DOSE_LIMITS: larger doses are impossible and refused on load (tested above).
doses = st.one_of(st.none(), st.integers(0, 20).map(float), st.floats(0, 20, allow_nan=False))
entries = st.builds(
    bg.Entry, exercise=st.sampled_from(list(EX.index)), sets=doses, reps=doses, hold_s=doses,
    rest_s=doses, per_side=st.booleans(), minutes=doses,
    dose_source=st.sampled_from(["default", "custom", "wolfe", "progressed"]))
sessions = st.builds(bg.Session, name=st.text(max_size=20), entries=st.lists(entries, max_size=4))
plans = st.builds(
    bg.Plan, name=st.text(max_size=30), person=st.text(max_size=30), notes=st.text(max_size=80),
    start=st.one_of(st.none(), st.dates()),
    days=st.fixed_dictionaries({d: st.lists(sessions, max_size=2) for d in DAYS}),
    claims=st.lists(st.sampled_from(list(LIB.guidance.index)), max_size=3).map(tuple))
