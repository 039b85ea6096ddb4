"""Weekly volume, the guidance check and progression."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import backguide as bg
from backguide.plan import entry_for

from strategies import plans

LIB = bg.load_library()
EX, G = LIB.exercises, LIB.guidance


def _plan(**days) -> bg.Plan:
    plan = bg.Plan()
    for day, ids in days.items():
        for ex_id in ids:
            plan.add(day, ex_id, EX)
    return plan


def _check(plan, guidance=G):
    return bg.check_guidance(plan, EX, guidance).set_index("guidance")


# --- weekly volume ---------------------------------------------------------------

def test_primary_muscles_count_fully_and_secondary_at_half():
    plan = _plan(Monday=["bird_dog"])
    minutes = entry_for("bird_dog", EX).seconds / 60
    v = bg.weekly_volume(plan, EX).set_index("muscle")
    for m in EX.at["bird_dog", "primary_muscles"]:
        assert v.at[m, "minutes"] == pytest.approx(minutes) and v.at[m, "role"] == "primary"
    for m in EX.at["bird_dog", "secondary_muscles"]:
        assert v.at[m, "minutes"] == pytest.approx(minutes * bg.SECONDARY_SHARE)
    e = entry_for("bird_dog", EX)
    assert v.at["lower back", "reps"] == e.reps * 2  # each side
    assert v.at["lower back", "hold_s"] == e.reps * 2 * e.hold_s


def test_volume_is_by_day_and_counts_sessions():
    plan = _plan(Monday=["glute_bridge"], Thursday=["glute_bridge"])
    plan.add_session("Thursday", bg.Session("Evening", [entry_for("glute_bridge", EX)]))
    v = bg.weekly_volume(plan, EX)
    glutes = v[v["muscle"] == "glutes"].set_index("day", drop=False)
    assert list(glutes["day"].astype(str)) == ["Monday", "Thursday"]
    assert glutes.loc["Thursday", "sessions"] == 2
    assert glutes.loc["Thursday", "minutes"] == pytest.approx(2 * glutes.loc["Monday", "minutes"])


@settings(max_examples=100, deadline=None)
@given(plan=plans)
def test_volume_agrees_with_adding_up_each_entry(plan):
    """The array sums match counting every entry's muscles one at a time."""
    expected = {}
    for day, session, _, e in plan.entries():
        row = EX.loc[e.exercise]
        primary = row["primary_muscles"]
        secondary = [m for m in row["secondary_muscles"] if m not in primary]
        for role, muscles, share in (("primary", primary, 1.0),
                                     ("secondary", secondary, bg.SECONDARY_SHARE)):
            for m in muscles:
                minutes, sessions = expected.get((day, row["category"], m, role), (0.0, set()))
                expected[day, row["category"], m, role] = (minutes + e.seconds / 60 * share,
                                                          sessions | {session})
    v = bg.weekly_volume(plan, EX)
    got = {(r.day, r.category, r.muscle, r.role): (r.minutes, r.sessions)
           for r in v.itertuples()}
    assert got.keys() == expected.keys()
    for key, (minutes, sessions) in expected.items():
        assert got[key] == (pytest.approx(minutes), len(sessions)), key


def test_a_plan_is_measured_against_the_library_it_is_given():
    plan = _plan(Monday=["bird_dog", "fast_walking"])
    assert bg.plan_table(plan, EX)["name"].tolist() == ["Bird dog", "Fast walking"]
    smaller = EX.drop(index="bird_dog")
    assert bg.plan_table(plan, smaller)["name"].tolist() == ["", "Fast walking"]
    assert "shoulders" in set(bg.weekly_volume(plan, EX)["muscle"])  # bird dog's, not walking's
    assert "shoulders" not in set(bg.weekly_volume(plan, smaller)["muscle"])
    # An id first seen after this library was used is still found in it.
    renamed = EX.rename(index={"cobra": "cobra_renamed_for_this_test"})
    assert bg.plan_table(plan, renamed)["name"].tolist() == ["Bird dog", "Fast walking"]
    plan.days["Monday"][0].entries.append(bg.Entry("cobra_renamed_for_this_test", 1, 5))
    assert bg.plan_table(plan, renamed)["name"].tolist()[-1] == "Cobra"
    assert bg.plan_table(plan, EX)["name"].tolist()[-1] == ""
    # Against an empty library nothing is known, and the check says so rather than failing.
    def spine(library):
        check = bg.check_guidance(plan, library, G).set_index("target")
        return check.loc["spine_muscle_groups", "value"]
    assert spine(EX) > 0
    assert spine(EX.iloc[0:0]) == 0
    assert bg.weekly_volume(plan, EX.iloc[0:0]).empty


def test_empty_plan_has_empty_volume_with_columns():
    v = bg.weekly_volume(bg.Plan(), EX)
    assert v.empty
    assert {"day", "category", "muscle", "role", "minutes", "sets", "reps", "hold_s",
            "sessions"} <= set(v.columns)


# --- the guidance check ------------------------------------------------------------

def test_empty_plan_is_short_everywhere_it_should_be():
    c = _check(bg.Plan())
    assert set(c["target"]) == set(G["target"].dropna())
    assert c.at["freeback_aerobic_sessions", "status"] == "short"
    assert c.at["who2020_strength", "status"] == "short"
    assert c.at["natarthritis_easy_first", "status"] == "met"
    assert c.at["freeback_aerobic_time", "message"].startswith("Aerobic: no session yet")


def test_aerobic_shortfall_suggests_a_day_that_fixes_it():
    plan = _plan(Monday=["fast_walking"], Wednesday=["fast_walking"])
    row = _check(plan).loc["freeback_aerobic_sessions"]
    assert (row["value"], row["status"]) == (2, "short")
    assert "2 sessions of 20 minutes or more" in row["message"]
    day = row["message"].rsplit("add a walk on ", 1)[1].rstrip(".")
    assert day not in ("Monday", "Wednesday")
    plan.add(day, "fast_walking", EX)
    assert _check(plan).at["freeback_aerobic_sessions", "status"] == "met"


def test_short_walks_do_not_count_as_aerobic_sessions():
    plan = _plan(Monday=["fast_walking"], Tuesday=["fast_walking"], Friday=["fast_walking"])
    plan.days["Tuesday"][0].entries[0] = entry_for("fast_walking", EX).with_dose(minutes=10)
    c = _check(plan)
    assert c.at["freeback_aerobic_sessions", "value"] == 2
    assert c.at["freeback_aerobic_time", "status"] == "short"
    assert "Tuesday's session is 10 minutes" in c.at["freeback_aerobic_time", "message"]
    assert c.at["who2020_aerobic", "value"] == 50


def test_targets_come_from_the_guidance_table():
    plan = _plan(Monday=["clamshell"], Thursday=["clamshell"])
    assert _check(plan).at["who2020_strength", "status"] == "met"
    stricter = G.copy()
    stricter.loc["who2020_strength", "min"] = 3
    row = _check(plan, stricter).loc["who2020_strength"]
    assert row["status"] == "short" and "against 3 or more days" in row["message"]


def test_too_much_is_over():
    plan = _plan(**{d: ["fast_walking"] for d in ("Monday", "Tuesday", "Wednesday", "Thursday",
                                                 "Friday")})
    row = _check(plan).loc["freeback_aerobic_sessions"]
    assert (row["value"], row["status"]) == (5, "over")


def test_daily_stretching_and_the_spine_muscles():
    plan = _plan(Monday=["cat_cow", "fast_walking"])
    c = _check(plan)
    assert c.at["wolfe_daily", "status"] == "short" and c.at["acsm2021_flex_days", "status"] == "short"
    assert "hips" in c.at["freeback_spine_muscles", "message"]
    assert c.at["freeback_stretch_and_strength", "message"].endswith("add some strengthening.")
    plan.add("Tuesday", "clamshell", EX)
    c = _check(plan)
    assert c.at["freeback_spine_muscles", "status"] == "met"
    assert c.at["freeback_stretch_and_strength", "status"] == "met"


def test_a_harder_variant_before_its_easier_one_is_flagged():
    too_soon = _plan(Monday=["cobra"], Tuesday=["partial_cobra"])
    row = _check(too_soon).loc["natarthritis_easy_first"]
    assert row["status"] == "over"
    assert "Cobra on Monday comes before Partial cobra (sphinx)" in row["message"]
    in_order = _plan(Monday=["partial_cobra", "cobra"])
    assert _check(in_order).at["natarthritis_easy_first", "status"] == "met"


def test_stretch_holds_against_acsm():
    plan = _plan(Monday=["trunk_rotation_stretch"])  # held 5 s
    c = _check(plan)
    assert c.at["acsm2021_hold", "status"] == "short"
    assert "Trunk rotation stretch is held 5 s" in c.at["acsm2021_hold", "message"]


# --- progression -----------------------------------------------------------------

def _entries(plan):
    return [e for *_, e in plan.entries()]


def test_without_reports_doses_rise_gradually_to_the_articles_cap():
    plan = _plan(Monday=["partial_cobra"])  # hold 10 s; natarthritis works up to 30 s
    prog = bg.progress(plan, 6, EX, LIB.doses)
    holds = [_entries(p)[0].hold_s for p in prog.weeks]
    assert holds == [10, 15, 20, 25, 30, 30]
    assert all(_entries(p)[0].exercise == "partial_cobra" for p in prog.weeks)
    assert _entries(plan)[0].hold_s == 10, "the plan given is not changed"


def test_pain_free_at_the_cap_moves_to_the_harder_variant():
    plan = _plan(Monday=["partial_cobra"])
    prog = bg.progress(plan, 7, EX, LIB.doses, feedback={"partial_cobra": "pain-free"})
    names = [_entries(p)[0].exercise for p in prog.weeks]
    assert names == ["partial_cobra"] * 5 + ["cobra", "cobra"]
    moved = prog.changes.query("change == 'harder'")
    assert list(moved["week"]) == [6]
    assert "pain-free at its full dose: moving on to Cobra" in moved["reason"].iloc[0]


def test_pain_steps_back_to_the_easier_variant_and_says_why():
    plan = _plan(Monday=["bird_dog"])
    prog = bg.progress(plan, 3, EX, LIB.doses, feedback=[{"bird_dog": "worse"}])
    assert [_entries(p)[0].exercise for p in prog.weeks] == ["bird_dog", "arm_lift_all_fours",
                                                              "arm_lift_all_fours"]
    reason = prog.changes.query("change == 'easier'")["reason"].iloc[0]
    assert reason == "Pain was worse with Bird dog: back to Arm lift on all fours, the easier version."


def test_pain_with_no_easier_variant_goes_back_to_start_then_stops():
    plan = _plan(Monday=["clamshell"])
    prog = bg.progress(plan, 4, EX, LIB.doses,
                       feedback=[{}, {"clamshell": "worse"}, {"clamshell": "worse"}])
    reps = [[e.reps for e in _entries(p)] for p in prog.weeks]
    assert reps == [[10], [12], [10], []]
    assert list(prog.changes["change"]) == ["dose", "back to start", "stopped"]


def test_unknown_report_is_refused():
    with pytest.raises(ValueError, match="Unknown report 'meh'"):
        bg.progress(_plan(Monday=["clamshell"]), 2, EX, feedback={"clamshell": "meh"})
