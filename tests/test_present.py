"""The presentation: timer phases from the dose, and the flow from safety to summary."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import backguide as bg
from backguide.dose import MOVE_SECONDS, shown_minutes
from backguide.present import Presenter, timer_phases

LIB = bg.load_library()
EX = LIB.exercises


def kinds(phases):
    return [(p["kind"], p["seconds"]) for p in phases]


def dose(ex_id: str, source: str = "default", **changes) -> dict:
    return {**bg.dose_for(ex_id, source, lib=LIB), **changes}


def rule_seconds(d: dict) -> float:
    """The seconds ``plan_table`` (the dose rule) gives one entry's dose."""
    return float(bg.plan_table(pd.DataFrame([d]), lib=LIB)["seconds"].iloc[0])


def test_holds_with_rest_between_them():
    phases = timer_phases(dose("glute_bridge"))  # 5 holds of 20 s, 10 s rest between
    assert kinds(phases) == [("move", MOVE_SECONDS), ("hold", 20)] + [
        ("rest", 10), ("move", MOVE_SECONDS), ("hold", 20)] * 4
    assert phases[-1]["detail"] == "rep 5 of 5"
    assert phases[2]["detail"] == "Next: rep 2 of 5"


def test_each_side_then_a_switch_prompt():
    phases = timer_phases(dose("bird_dog"))  # 5 holds of 5 s each side, no rest
    side = [("move", MOVE_SECONDS), ("hold", 5)] * 5
    assert kinds(phases) == side + [("switch", MOVE_SECONDS)] + side[1:]
    switch = phases[len(side)]
    assert switch["label"] == "Change sides"
    assert phases[0]["detail"].startswith("First side")
    assert phases[-1]["detail"].startswith("Other side")


def test_reps_without_holds_and_sets_with_rest():
    phases = timer_phases(dose("clamshell", sets=2.0, rest_s=30.0))
    reps = 10 * MOVE_SECONDS
    assert kinds(phases) == [("rep", reps), ("rest", 30), ("rep", reps),
                             ("switch", 30 + MOVE_SECONDS), ("rep", reps - MOVE_SECONDS),
                             ("rest", 30), ("rep", reps)]


def test_blank_dose_fields_are_nan_and_not_counted():
    # NaN is truthy: a blank must not be read as a dose.
    d = dose("superman")  # 1 x 3 reps, no hold, no rest
    assert pd.isna(d["hold_s"]) and pd.isna(d["rest_s"]) and pd.isna(d["minutes"])
    assert kinds(timer_phases(d)) == [("rep", 3 * MOVE_SECONDS)]


@pytest.mark.parametrize("ex_id", ["cat_cow", "shoulder_squeeze"])
def test_cat_cow_and_the_shoulder_squeeze_are_not_done_per_side(ex_id):
    sources = ["default", *sorted(set(LIB.doses.loc[LIB.doses["exercise"] == ex_id, "source"]))]
    for source in sources:
        phases = timer_phases(dose(ex_id, source))
        assert phases, source
        words = " ".join(p["label"] + " " + p["detail"] for p in phases).lower()
        assert "switch" not in {p["kind"] for p in phases}, source
        assert "change sides" not in words and "side" not in words, source


def every_dose():
    for ex_id in EX.index:
        for source in ["default", *sorted(set(LIB.doses.loc[LIB.doses["exercise"] == ex_id,
                                                              "source"]))]:
            yield ex_id, source


@pytest.mark.parametrize("ex_id, source", list(every_dose()))
def test_the_timer_takes_as_long_as_the_plan_says(ex_id, source):
    d = dose(ex_id, source)
    phases = timer_phases(d)
    assert all(p["seconds"] > 0 for p in phases)
    assert sum(p["seconds"] for p in phases) == pytest.approx(rule_seconds(d))
    for changes in ({"sets": 3.0, "rest_s": 15.0}, {"rest_s": 5.0, "per_side": True}):
        if pd.isna(d["minutes"]):
            d2 = {**d, **changes}
            assert sum(p["seconds"] for p in timer_phases(d2)) == pytest.approx(rule_seconds(d2))


def test_activity_is_one_long_countdown():
    assert kinds(timer_phases(dose("fast_walking"))) == [("activity", 1200)]


def test_the_timer_takes_a_plan_row():
    plan = bg.load_starter("gentle_start", lib=LIB)
    row = plan.entries.iloc[1]  # knee roll, each side
    assert sum(p["seconds"] for p in timer_phases(row)) == pytest.approx(
        bg.plan_table(plan, lib=LIB)["seconds"].iloc[1])


def test_presenter_flows_from_safety_to_summary(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    assert p.stage == "safety"
    shown = " ".join(getattr(w, "value", "") for w in p._screen.children)
    assert "not a diagnosis" in shown and "loss of bladder or bowel control" in shown
    p._screen.children[-1].click()
    assert p.stage == "choose"
    p.begin("starter:gentle_start", "Monday")
    assert list(p.queue["exercise"]) == ["pelvic_tilt", "knee_roll", "single_knee_to_chest",
                                         "cat_cow", "childs_pose", "fast_walking"]
    assert p.stage == "exercise" and "Pelvic tilt" in p._screen.children[0].value
    assert "10 reps, hold 3 s" in p._screen.children[0].value
    p.timer.done = True  # as the browser reports when the countdown ends
    p.next()
    assert p.position == 1 and p.done == [0]
    assert "5 reps, hold 5 s, each side" in p._screen.children[0].value
    p.previous()
    assert p.position == 0
    for _ in range(len(p.queue)):
        p.next()
    assert p.stage == "summary"
    assert "1 of 6 exercises timed through" in p._screen.children[0].value
    pdf, page = p.make_handout()
    assert pdf.exists() and page.exists()


@pytest.mark.parametrize("name", bg.starter_plans())
def test_the_presenter_says_the_session_length_the_board_does(name, tmp_path):
    plan = bg.load_starter(name, lib=LIB)
    sessions = bg.session_minutes(plan, lib=LIB)
    table = bg.plan_table(plan, lib=LIB)
    for day in plan.entries["day"].unique():
        p = Presenter(lib=LIB, folder=tmp_path)
        p.accept_safety()
        p.begin(f"starter:{name}", str(day))
        expected = sessions.loc[sessions["day"] == day, "minutes"].sum()
        assert p.minutes == pytest.approx(expected)
        for _ in range(len(p.queue)):
            p.next()
        summary = p._screen.children[0].value
        # Minutes are shown by the one rounding rule every view uses.
        assert f"about {shown_minutes(expected, 0)} minutes in all" in summary
        shown = re.findall(r"\(([\d.]+) min\)</li>", summary)
        assert shown == [shown_minutes(m)
                         for m in table.loc[table["day"] == day, "total_minutes"]]


def test_single_exercise_and_rest_day(tmp_path):
    p = Presenter(LIB, folder=tmp_path)  # the library may be passed by position too
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cobra")
    assert list(p.queue["exercise"]) == ["cobra"]
    assert "Partial cobra" in p._screen.children[-1].value, "where it sits between variants"
    expected = rule_seconds(dose("cobra")) / 60
    assert p.minutes == pytest.approx(expected)
    assert sum(x["seconds"] for x in p.timer.phases) == pytest.approx(expected * 60)
    plan = bg.Plan("Rest")
    bg.save_plan(plan, tmp_path / "rest.json")
    p.begin("saved:rest", "Sunday")
    assert "rest day" in p._status.value


@pytest.mark.parametrize("dose", [
    dict(sets=0, reps=0, hold_s=60, rest_s=0, per_side=False, minutes=0),
    dict(sets=2, reps=0, hold_s=0, rest_s=10, per_side=True, minutes=float("nan")),
    dict(sets=None, reps=5, hold_s=None, rest_s=None, per_side=False, minutes=None),
])
def test_a_zero_or_blank_dose_value_times_as_the_dose_rule_reads_it(dose):
    """0, None and NaN all mean "not given": one set, one rep, no hold."""
    total = sum(p["seconds"] for p in timer_phases(dose))
    expected = bg.estimate_seconds(*(np.nan if dose[k] is None else dose[k]
                                     for k in ("sets", "reps", "hold_s", "rest_s")),
                                   dose["per_side"],
                                   np.nan if dose["minutes"] is None else dose["minutes"])
    assert total == pytest.approx(expected) and total > 0
