"""The presentation: timer phases from the dose, and the flow from safety to summary."""

from __future__ import annotations

import pytest

import backguide as bg
from backguide.dose import MOVE_SECONDS
from backguide.plan import entry_for
from backguide.present import SWITCH_SECONDS, Presenter, timer_phases

LIB = bg.load_library()
EX = LIB.exercises


def kinds(phases):
    return [(p["kind"], p["seconds"]) for p in phases]


def test_holds_with_rest_between_them():
    e = entry_for("glute_bridge", EX)  # 5 holds of 20 s, 10 s rest between
    assert kinds(timer_phases(e)) == [("hold", 20), ("rest", 10)] * 4 + [("hold", 20)]
    assert timer_phases(e)[-1]["detail"] == "rep 5 of 5"


def test_each_side_then_a_switch_prompt():
    e = entry_for("bird_dog", EX)  # 5 holds of 5 s each side
    phases = timer_phases(e)
    assert kinds(phases) == [("hold", 5)] * 5 + [("switch", SWITCH_SECONDS)] + [("hold", 5)] * 5
    assert phases[0]["detail"].startswith("First side") and phases[-1]["detail"].startswith("Other side")


def test_reps_without_holds_and_sets_with_rest():
    e = entry_for("clamshell", EX).with_dose(sets=2, rest_s=30)
    assert kinds(timer_phases(e)) == [("rep", 10 * MOVE_SECONDS), ("rest", 30),
                                      ("rep", 10 * MOVE_SECONDS), ("switch", SWITCH_SECONDS),
                                      ("rep", 10 * MOVE_SECONDS), ("rest", 30),
                                      ("rep", 10 * MOVE_SECONDS)]


def test_timer_time_matches_the_dose_rule_apart_from_switching():
    for ex_id in EX.index:
        e = entry_for(ex_id, EX)
        total = sum(p["seconds"] for p in timer_phases(e) if p["kind"] != "switch")
        moving = 0 if e.minutes or not e.hold_s else MOVE_SECONDS * (e.reps or 1) * (e.sets or 1) * (2 if e.per_side else 1)
        rest_between_sides = (e.rest_s or 0) if e.per_side and e.hold_s and not e.minutes else 0
        assert total + moving + rest_between_sides == pytest.approx(e.seconds), ex_id


def test_activity_is_one_long_countdown():
    assert kinds(timer_phases(entry_for("fast_walking", EX))) == [("activity", 1200)]


def test_presenter_flows_from_safety_to_summary(tmp_path):
    p = Presenter(LIB, folder=tmp_path)
    assert p.stage == "safety"
    shown = " ".join(getattr(w, "value", "") for w in p._screen.children)
    assert "not a diagnosis" in shown and "loss of bladder or bowel control" in shown
    p._screen.children[-1].click()
    assert p.stage == "choose"
    p.begin("starter:gentle_start", "Monday")
    assert [e.exercise for e in p.queue] == ["pelvic_tilt", "knee_roll", "single_knee_to_chest",
                                             "cat_cow", "childs_pose", "fast_walking"]
    assert p.stage == "exercise" and "Pelvic tilt" in p._screen.children[0].value
    p.timer.done = True  # as the browser reports when the countdown ends
    p.next()
    assert p.position == 1 and p.done == [0]
    p.previous()
    assert p.position == 0
    for _ in p.queue:
        p.next()
    assert p.stage == "summary"
    assert "1 of 6 exercises timed through" in p._screen.children[0].value
    pdf, page = p.make_handout()
    assert pdf.exists() and page.exists()


def test_single_exercise_and_rest_day(tmp_path):
    p = Presenter(LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cobra")
    assert [e.exercise for e in p.queue] == ["cobra"]
    assert "Partial cobra" in p._screen.children[-1].value, "where it sits between variants"
    plan = bg.Plan("Rest")
    bg.save_plan(plan, tmp_path / "rest.json")
    p.begin("saved:rest", "Sunday")
    assert "rest day" in p._status.value
