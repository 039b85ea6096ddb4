"""The content layer: what a person reads, checked against literals and hand-worked sums.

Every expected value here is a literal or is worked out in the test from the
plan's own numbers; none comes from the function under test.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import backguide as bg
from backguide.content import (checklist_content, exercise_content, results_headline,
                               safety_content, session_results, week_content)
from backguide.dose import dose_phases
from backguide.words import dose_words, minutes_text

LIB = bg.shipped_library()


# --- doses in words ------------------------------------------------------------------


@pytest.mark.parametrize("dose, words", [
    (dict(sets=1, reps=5, hold_s=10), "5 reps, hold 10 s"),
    (dict(sets=1, reps=5, hold_s=20, rest_s=10), "5 reps, hold 20 s, rest 10 s"),
    (dict(sets=1, reps=5, hold_s=5, per_side=True), "5 reps, hold 5 s, each side"),
    (dict(sets=3, reps=10), "3 x 10 reps"),
    (dict(reps=1), "1 rep"),
    (dict(minutes=20), "20 min"),
    (dict(sets=float("nan"), reps=0), "as comfortable"),
])
def test_a_dose_in_words(dose, words):
    assert dose_words(**dose) == words


def test_an_articles_dose_keeps_its_ranges_and_note():
    # data/doses.csv: myspine's glute bridge is "5-10" reps held "20-30" s, rest 10 s.
    row = LIB.doses[(LIB.doses["exercise"] == "glute_bridge")
                    & (LIB.doses["source"] == "myspine")].iloc[0]
    card = exercise_content("glute_bridge", lib=LIB)
    mine = [d for d in card.doses if d.source == "Exercises To Help Relieve Back Pain"]
    assert [d.words for d in mine] == [
        "5-10 reps, hold 20-30 s, rest 10 s. Rest 10 s on the floor between lifts."]
    assert mine[0].evidence == row["evidence"] == "Do this 5 to 10 times"


# --- an exercise ---------------------------------------------------------------------


def test_an_exercise_reads_as_its_row_says():
    c = exercise_content("cat_cow", lib=LIB)
    assert c.name == "Cat-cow"
    # 5 reps held 10 s: 5 x (10 + 3) + 4 rests of 3 s = 77 s = 1.28 min.
    assert (c.dose, c.minutes, c.dose_and_time) == (
        "5 reps, hold 10 s", "1.3", "5 reps, hold 10 s (about 1.3 min)")
    assert c.steps[-1] == "Move slowly between the two, breathing out as you round and in as you arch."
    assert "Stop if it makes your pain worse." in c.cautions


def test_a_dose_given_is_the_dose_read():
    entry = dict(sets=2, reps=8, hold_s=float("nan"), rest_s=30, per_side=False,
                 minutes=float("nan"))
    c = exercise_content("glute_bridge", dose=entry, lib=LIB)
    # 2 sets of 8 unheld reps: 2 x 8 x 3 s + one 30 s rest between the sets = 78 s.
    assert (c.dose, c.minutes) == ("2 x 8 reps, rest 30 s", "1.3")


def test_variants_are_named_in_order():
    c = exercise_content("bird_dog", lib=LIB)
    assert [v.name for v in c.easier] == ["Arm lift on all fours", "Leg lift on all fours"]
    assert c.harder == ()


# --- the week: totals agree with their parts ------------------------------------------


def _tenths(text: str) -> Decimal:
    return Decimal(text)


def test_two_exercises_total_what_their_rows_show():
    plan = bg.Plan().add("Monday", "cat_cow", lib=LIB).add("Monday", "pelvic_tilt", lib=LIB)
    w = week_content(plan, lib=LIB)
    # cat-cow 77 s (1.28 -> 1.3); pelvic tilt 10 x (3 + 3) + 9 x 3 = 87 s (1.45 -> 1.5).
    assert [e.minutes for e in w.entries] == ["1.3", "1.5"]
    assert w.day("Monday").minutes == "2.8"  # what a person adds up, never 2.7
    assert w.day("Monday").summary == "2 exercises, 2.8 min"
    assert w.day("Tuesday").summary == "Rest day"


@pytest.mark.parametrize("starter", ["gentle_start", "core_stability", "stretch_and_strengthen"])
def test_every_total_is_the_sum_of_the_parts_shown(starter):
    w = week_content(bg.load_starter(starter, lib=LIB), lib=LIB)
    for day in w.days:
        for s in day.sessions:
            assert _tenths(s.minutes) == sum((_tenths(e.minutes) for e in s.entries), Decimal(0))
            assert s.heading == f"{s.name} ({s.minutes} min)"
        assert _tenths(day.minutes) == sum((_tenths(s.minutes) for s in day.sessions),
                                           Decimal(0))
    assert _tenths(w.minutes) == sum((_tenths(d.minutes) for d in w.days), Decimal(0))


def test_a_walk_is_twenty_minutes_not_twenty_point_oh():
    w = week_content(bg.Plan().add("Tuesday", "fast_walking", lib=LIB), lib=LIB)
    (entry,) = w.entries
    assert (entry.dose, entry.minutes) == ("20 min", "20")
    assert w.day("Tuesday").sessions[0].heading == "Routine (20 min)"


# --- the checklist ---------------------------------------------------------------------


def test_an_empty_plan_meets_nothing_and_says_what_to_do():
    c = checklist_content(bg.Plan(), lib=LIB)
    assert c.met == 0 and c.lines == ()
    assert c.headline == ("Nothing planned yet: add an exercise to a day to see which "
                          "guidance your week meets.")


def test_the_checklist_headline_counts_its_met_lines():
    c = checklist_content(bg.load_starter("gentle_start", lib=LIB), lib=LIB)
    met = sum(line.status == "met" for line in c.lines)
    assert c.headline == f"Guidance: {met} of {len(c.lines)} met"
    assert all(line.mark == "\u2713" and line.label == "met"
               for line in c.lines if line.status == "met")


# --- the timer's phases and a session's results ---------------------------------------


def test_a_held_dose_runs_hold_by_hold():
    # The glute bridge in core stability: 5 holds of 20 s, 10 s rest between them.
    phases = dose_phases(dict(sets=1, reps=5, hold_s=20, rest_s=10, per_side=False,
                              minutes=None))
    assert [p.kind for p in phases] == (["move", "hold"] + ["rest", "move", "hold"] * 4)
    assert sum(p.seconds for p in phases) == 5 * (20 + 3) + 4 * 10 == 155
    assert phases[1].detail == "rep 1 of 5"


def test_a_per_side_dose_changes_sides_once():
    phases = dose_phases(dict(sets=1, reps=2, hold_s=5, rest_s=None, per_side=True,
                              minutes=None))
    assert [p.label for p in phases] == [
        "Get into position", "Hold (first side)", "Rest", "Get into position",
        "Hold (first side)", "Change sides", "Hold (other side)", "Rest",
        "Get into position", "Hold (other side)"]
    # 4 holds of 5 s, 4 moves of 3 s, 3 rests of 3 s (none given): 20 + 12 + 9 = 41 s.
    assert sum(p.seconds for p in phases) == 41


def test_results_say_done_partly_and_skipped():
    held = dose_phases(dict(sets=1, reps=3, hold_s=10, rest_s=None, per_side=False,
                            minutes=None))  # holds at phases 1, 4, 7
    walk = dose_phases(dict(sets=None, reps=None, hold_s=None, rest_s=None, per_side=False,
                            minutes=20))
    r = session_results([held, held, walk], {0: {1, 4, 7}, 1: {4}})
    assert list(r["status"]) == ["done", "partly", "skipped"]
    assert list(r["how"]) == ["done", "partly done (1 of 3 holds)", "skipped"]
    assert results_headline(r["status"]) == "Of 3 exercises: 1 done, 1 partly done, 1 skipped."


# --- safety ----------------------------------------------------------------------------


def test_the_stop_rule_and_each_signs_advice_come_from_the_table():
    s = safety_content(lib=LIB)
    assert s.stop_rule == ("If an exercise makes your back pain worse, stop doing it. "
                           "It is fine to rest the back for a while; do what you can, choosing "
                           "exercises that do not strain it.")
    assert len(s.signs) == 7
    weakness = s.sign("nice_ng59_red_weakness")
    assert weakness.advice == "See a doctor the same day."
    assert weakness.source.startswith("Low back pain and sciatica in over 16s")


# --- the package -------------------------------------------------------------------------


def test_importing_backguide_does_not_import_matplotlib():
    code = ("import sys, backguide; from backguide import NothingToHandOut; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_minutes_text_is_the_one_rounding():
    assert [minutes_text(m) for m in (0.15, 0.65, 1.45, 20, 2.75)] == [
        "0.2", "0.7", "1.5", "20", "2.8"]


def test_a_harder_exercise_without_its_easier_version_is_an_order_to_fix():
    plan = bg.Plan().add("Wednesday", "bird_dog", lib=LIB)
    lines = [x for x in checklist_content(plan, lib=LIB).lines if x.status == "order"]
    assert len(lines) == 1
    (line,) = lines
    assert (line.mark, line.label) == ("\u21c5", "order to fix")
    assert "Bird dog" in line.message and "Wednesday" in line.message
    assert all(x.label != "more than advised" for x in checklist_content(plan, lib=LIB).lines
               if "Bird dog" in x.message)
