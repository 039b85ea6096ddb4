"""The numbers of a plan: volume, session time, the guidance check, and many plans at once.

Each guidance test builds a plan by hand and works its right answer out here,
from the dose rule and ``data/exercises.csv`` read directly, not from the code
under test.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import backguide as bg
from backguide.measures import met_count
from backguide.schema import CATEGORIES, DAYS, MUSCLES, SPINE_MUSCLES

from conftest import DATA
from strategies import entry_frames, stacked_plans

LIB = bg.shipped_library()
EX = LIB.exercises


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


#: Each exercise's muscles as exercises.csv lists them, read without backguide.
CSV_MUSCLES = {r["id"]: ([m for m in r["primary_muscles"].split(";") if m],
                         [m for m in r["secondary_muscles"].split(";") if m])
               for r in _csv("exercises.csv")}
CSV_CATEGORY = {r["id"]: r["category"] for r in _csv("exercises.csv")}


def _plan(**days) -> bg.Plan:
    """Each day's exercises at their starting doses, in one session."""
    plan = bg.Plan()
    for day, ids in days.items():
        for x in ids:
            plan = plan.add(day, x)
    return plan


def _walks(minutes: dict[str, float]) -> bg.Plan:
    """A walk of the given minutes on each day, each its own session."""
    plan = bg.Plan()
    for day, m in minutes.items():
        plan = plan.add(day, "fast_walking", session="new", session_name="Walk")
        plan = plan.set_dose(len(plan.entries) - 1 - _after(plan, day), minutes=m)
    return plan


def _after(plan: bg.Plan, day: str) -> int:
    """How many entries come after ``day``'s last one (so the last added is findable)."""
    return int((plan.entries["day"] > day).sum())


def _check(plan: bg.Plan, **kw) -> pd.DataFrame:
    return bg.check_guidance(plan, **kw).set_index("check")


# --- the dose rule --------------------------------------------------------------------------

@pytest.mark.parametrize("dose, seconds", [
    (dict(sets=1, reps=5, hold_s=20, rest_s=10), 155),        # dose.py: 5 x 23 + 4 x 10
    (dict(sets=1, reps=3, hold_s=20, per_side=True), 153),    # dose.py: 2 x 3 x 23 + 5 x 3
    (dict(sets=3, reps=10, rest_s=30), 3 * 10 * 3 + 2 * 30),  # rest between sets
    (dict(reps=1, hold_s=30, rest_s=15, per_side=True), 2 * 33 + 15),  # rest between sides
    (dict(minutes=20, reps=10), 1200),                        # minutes win
    (dict(), 3),                                              # one bare repetition
])
def test_dose_rule(dose, seconds):
    assert bg.estimate_seconds(**dose) == pytest.approx(seconds)


def test_dose_rule_works_on_columns():
    ex = EX
    one = [bg.estimate_seconds(*(ex.at[i, c] for c in ("sets", "reps", "hold_s", "rest_s",
                                                         "per_side", "minutes"))) for i in ex.index]
    assert (ex["session_minutes"] * 60).tolist() == pytest.approx(one)
    assert isinstance(bg.estimate_seconds(reps=2), float)
    assert bg.estimate_seconds(reps=pd.Series([1.0, 2.0, np.nan])).tolist() == [3.0, 6.0, 3.0]


def test_a_plans_time_follows_the_dose_rule():
    # glute bridge starts at 1 x 5, hold 20 s, rest 10 s: 155 s (dose.py's example);
    # single knee to chest at 1 x 3, hold 20 s, each side: 138 s + 5 rests of 3 s = 153 s.
    assert EX.loc["glute_bridge", ["sets", "reps", "hold_s", "rest_s"]].tolist() == [1, 5, 20, 10]
    assert EX.loc["single_knee_to_chest", ["sets", "reps", "hold_s"]].tolist() == [1, 3, 20]
    assert EX.at["single_knee_to_chest", "per_side"]
    t = bg.plan_table(_plan(Monday=["glute_bridge", "single_knee_to_chest"]))
    assert t["seconds"].tolist() == [155, 153]
    assert t["total_minutes"].tolist() == pytest.approx([155 / 60, 153 / 60])


def test_plan_table_totals_count_each_side():
    t = bg.plan_table(_plan(Monday=["bird_dog", "fast_walking", "yoga"])).set_index("exercise")
    # bird dog: 1 x 5, hold 5 s, each side -> 2 x 5 x (5 + 3) + 9 x 3 = 107 s; 10 reps; 50 s held
    assert t.loc["bird_dog", ["seconds", "total_sets", "total_reps", "total_hold_s"]].tolist() \
        == [107, 2, 10, 50]
    assert t.loc["fast_walking", ["seconds", "total_sets", "total_reps", "total_hold_s"]].tolist() \
        == [1200, 0, 0, 0]
    kinds = t[["aerobic", "strength", "stretch"]]
    assert kinds.loc["bird_dog"].tolist() == [False, True, False]
    assert kinds.loc["fast_walking"].tolist() == [True, False, False]
    assert kinds.loc["yoga"].tolist() == [False, True, True], "mind-body strengthens and stretches"
    assert t.loc["bird_dog", "name"] == "Bird dog" and t.loc["bird_dog", "category"] == "strength"


def test_a_zero_rep_dose_is_totalled_as_the_dose_rule_times_it():
    """The dose rule reads 0 sets or reps as blank, i.e. 1 (dose.estimate_seconds:
    ``x <= 0`` is filled), and so does describe_dose; the totals must agree with it,
    or the stretch-time check ignores a hold the time counts."""
    plan = bg.Plan().add("Monday", "childs_pose").set_dose(0, sets=0, reps=0, hold_s=60)
    t = bg.plan_table(plan).iloc[0]
    assert t["seconds"] == 63  # one 60 s hold
    assert bg.describe_dose(0, 0, 60) == "hold 60 s"
    assert (t["total_sets"], t["total_reps"], t["total_hold_s"]) == (1, 1, 60)


# --- session and day minutes -------------------------------------------------------------

def test_session_minutes_by_hand():
    plan = (bg.Plan().add("Monday", "glute_bridge", session_name="Strong")
            .add("Monday", "fast_walking")
            .add("Monday", "single_knee_to_chest", session="new", session_name="Stretch")
            .add("Friday", "yoga", session_name="Class"))
    s = bg.session_minutes(plan)
    assert list(zip(s["day"].astype(str), s["session"], s["session_name"], s["entries"])) == [
        ("Monday", 0, "Strong", 2), ("Monday", 1, "Stretch", 1), ("Friday", 0, "Class", 1)]
    assert s["minutes"].tolist() == pytest.approx([(155 + 1200) / 60, 153 / 60, 30])
    assert s["aerobic_minutes"].tolist() == [20, 0, 0]


@pytest.mark.parametrize("plan", [bg.Plan(), bg.Plan().add("Monday", "cobra"),
                                  bg.Plan().add("Monday", "fast_walking")],
                         ids=["empty", "no-aerobic", "aerobic"])
def test_session_minutes_are_always_floats(plan):
    """Minutes are floats whatever the plan holds: a column's type must not depend on
    whether the week happens to have aerobic work (np.bincount of nothing is int64)."""
    s = bg.session_minutes(plan)
    assert s["minutes"].dtype == np.float64
    assert s["aerobic_minutes"].dtype == np.float64


def test_walks_of_20_minutes_on_three_days():
    plan = _plan(Monday=["fast_walking"], Wednesday=["fast_walking"], Friday=["fast_walking"])
    s = bg.session_minutes(plan)
    assert s["minutes"].tolist() == [20, 20, 20] and s["day"].astype(str).tolist() == [
        "Monday", "Wednesday", "Friday"]
    c = _check(plan)
    assert (c.at["freeback_aerobic_sessions", "value"],
            c.at["freeback_aerobic_sessions", "status"]) == (3, "met")
    assert (c.at["who2020_aerobic", "value"], c.at["who2020_aerobic", "status"]) == (60, "short")
    assert c.at["who2020_aerobic", "message"].endswith("90 more minutes would reach it.")
    assert (c.at["freeback_aerobic_time", "value"],
            c.at["freeback_aerobic_time", "status"]) == (20, "met")
    # Everything else is missing: worked out by hand, then the checklist's headline.
    expected = {"wolfe_daily": "short", "freeback_spine_muscles": "short",
                "freeback_stretch_and_strength": "short", "freeback_aerobic_time": "met",
                "freeback_aerobic_sessions": "met", "natarthritis_easy_first": "met",
                "who2020_aerobic": "short", "who2020_strength": "short",
                "acsm2021_flex_days": "short", "acsm2021_hold": "short",
                "acsm2021_total": "short"}
    assert c["status"].astype(str).to_dict() == expected
    assert met_count(bg.check_guidance(plan)) == (3, 11)


def test_day_minutes_by_hand():
    # Tuesday: one 10-minute walk; Thursday: two 10-minute walks in separate sessions;
    # Saturday: two 10-minute walks in one session (a 20-minute session).
    plan = (_walks({"Monday": 20, "Tuesday": 10, "Thursday": 10})
            .add("Thursday", "fast_walking", session="new"))
    plan = plan.set_dose(len(plan.entries) - 1, minutes=10)
    plan = plan.add("Saturday", "fast_walking").add("Saturday", "fast_walking")
    plan = plan.set_dose(4, minutes=10).set_dose(5, minutes=10)
    plan = plan.add("Saturday", "bird_dog").add("Sunday", "yoga").add("Sunday", "cat_cow")
    d = bg.day_minutes(plan)
    assert list(d.index.astype(str)) == list(DAYS)
    assert list(d.columns) == [*CATEGORIES, "aerobic_met"]
    assert d["aerobic"].tolist() == [20, 10, 0, 20, 0, 20, 0]
    assert d["strength"].tolist() == pytest.approx([0, 0, 0, 0, 0, 107 / 60, 0])
    assert d["mind-body"].tolist() == [0, 0, 0, 0, 0, 0, 30]
    # cat-cow: 1 x 5, hold 10 s -> 5 x 13 = 65 s
    assert d["mobility"].tolist() == pytest.approx([0, 0, 0, 0, 0, 0, 77 / 60])
    assert d["stretch"].tolist() == [0] * 7
    assert d["aerobic_met"].tolist() == [True, False, False, False, False, True, False]
    assert d.attrs["threshold"] == 20


def test_category_summary_by_hand():
    # yoga (mind-body) counts towards both stretching and strengthening
    plan = _plan(Monday=["yoga"], Tuesday=["cat_cow"], Wednesday=["clamshell"],
                 Friday=["fast_walking"])
    k = bg.category_summary(plan).set_index("kind")
    assert list(k.index) == ["stretch", "strength", "aerobic"]
    assert k["value"].tolist() == [2, 2, 1]
    assert k["status"].tolist() == ["met", "met", "short"]
    assert k["low"].tolist() == [2, 2, 3] and k["high"].tolist() == [7, 7, 4]
    # clamshell: 1 x 10 each side = 20 x 3 s = 60 s; cat-cow 5 x 13 s + 4 x 3 s = 77 s
    assert k["minutes"].tolist() == pytest.approx([30 + 77 / 60, 30 + 1, 20])
    assert k.at["stretch", "sources"] == "wolfe, acsm2021"
    assert k.at["aerobic", "sources"] == "freeback"
    over = bg.category_summary(_walks({d: 20 for d in DAYS[:5]})).set_index("kind")
    assert (over.at["aerobic", "value"], over.at["aerobic", "status"]) == (5, "over")


def test_muscle_minutes_share_each_exercise_among_its_muscles():
    """Each entry's minutes are shared among its muscles, a secondary muscle weighing half
    a primary one (SECONDARY_SHARE): worked out here from exercises.csv."""
    plan = _plan(Monday=["bird_dog"], Tuesday=["fast_walking"])
    m = bg.muscle_minutes(plan)
    assert list(m.index) == list(MUSCLES) and list(m.columns) == ["primary", "secondary"]
    assert CSV_MUSCLES["bird_dog"] == (["lower back", "abdominals", "glutes"],
                                       ["shoulders", "hamstrings"])
    assert CSV_MUSCLES["fast_walking"] == (["quadriceps", "hamstrings", "glutes", "calves"],
                                           ["abdominals", "lower back"])
    bird = 107 / 60  # 2 x 5 x (5 + 3) + 3 s between the 10 holds
    # bird dog: 3 primary + 2 secondary at half = 4 parts; the walk: 4 + 2 x 1/2 = 5 parts
    expected = pd.DataFrame(0.0, index=list(MUSCLES), columns=["primary", "secondary"])
    for muscle in ("lower back", "abdominals", "glutes"):
        expected.loc[muscle, "primary"] += bird / 4
    for muscle in ("shoulders", "hamstrings"):
        expected.loc[muscle, "secondary"] += bird / 8
    for muscle in ("quadriceps", "hamstrings", "glutes", "calves"):
        expected.loc[muscle, "primary"] += 20 / 5
    for muscle in ("abdominals", "lower back"):
        expected.loc[muscle, "secondary"] += 20 / 10
    np.testing.assert_allclose(m.to_numpy(), expected.to_numpy())
    assert m.at["quadriceps", "primary"] == 4.0 and m.at["lower back", "secondary"] == 2.0
    assert m.to_numpy().sum() == pytest.approx(20 + bird), "the week's minutes, no more"


def _entry_seconds(r) -> float:
    """An entry's seconds by the dose rule (dose.estimate_seconds); an entry with no dose
    at all (every value None, NaN or 0) has no known time, and counts none."""
    dose = (r.sets, r.reps, r.hold_s, r.rest_s, r.minutes)
    if not any(x is not None and x == x and x > 0 for x in dose):
        return 0.0
    return bg.estimate_seconds(r.sets, r.reps, r.hold_s, r.rest_s, r.per_side, r.minutes)


def _week_minutes(plan: bg.Plan) -> float:
    """The plan's minutes, entry by entry."""
    return sum(_entry_seconds(r) for r in plan.entries.itertuples(index=False)) / 60


@pytest.mark.parametrize("name", bg.starter_plans())
def test_muscle_minutes_add_up_to_the_weeks_minutes(name):
    plan = bg.load_starter(name)
    m = bg.muscle_minutes(plan)
    assert m.to_numpy().sum() == pytest.approx(_week_minutes(plan), rel=1e-12)
    assert (m.to_numpy() >= 0).all()


@settings(max_examples=40, deadline=None)
@given(frame=entry_frames(max_size=14))
def test_muscle_minutes_add_up_for_any_plan(frame):
    plan = bg.Plan(entries=frame)
    assert bg.muscle_minutes(plan).to_numpy().sum() == pytest.approx(_week_minutes(plan),
                                                                     rel=1e-9, abs=1e-9)


def test_measure_week_tables_equal_the_functions_one_by_one():
    plan = bg.load_starter("stretch_and_strengthen").add("Sunday", "cobra")
    w = bg.measure_week(plan)
    pd.testing.assert_frame_equal(w.table, bg.plan_table(plan))
    pd.testing.assert_frame_equal(w.sessions, bg.session_minutes(plan))
    pd.testing.assert_frame_equal(w.days, bg.day_minutes(plan))
    assert w.days.attrs == bg.day_minutes(plan).attrs
    pd.testing.assert_frame_equal(w.volume, bg.weekly_volume(plan))
    pd.testing.assert_frame_equal(w.muscles, bg.muscle_minutes(plan))
    pd.testing.assert_frame_equal(w.check, bg.check_guidance(plan))
    pd.testing.assert_frame_equal(w.kinds, bg.category_summary(plan))


# --- weekly volume ---------------------------------------------------------------------

def test_primary_muscles_count_fully_and_secondary_at_half():
    v = bg.weekly_volume(_plan(Monday=["bird_dog"])).set_index("muscle")
    minutes = 107 / 60
    for m in CSV_MUSCLES["bird_dog"][0]:
        assert v.at[m, "role"] == "primary" and v.at[m, "minutes"] == pytest.approx(minutes)
        assert (v.at[m, "sets"], v.at[m, "reps"], v.at[m, "hold_s"]) == (2, 10, 50)
    for m in CSV_MUSCLES["bird_dog"][1]:
        assert v.at[m, "role"] == "secondary"
        assert v.at[m, "minutes"] == pytest.approx(minutes * bg.SECONDARY_SHARE)
        assert (v.at[m, "reps"], v.at[m, "hold_s"]) == (5, 25)
    assert set(v.index) == set(sum(CSV_MUSCLES["bird_dog"], []))


def test_volume_is_by_day_and_counts_sessions():
    plan = (_plan(Monday=["glute_bridge"], Thursday=["glute_bridge"])
            .add("Thursday", "glute_bridge", session="new", session_name="Evening"))
    v = bg.weekly_volume(plan)
    glutes = v[v["muscle"] == "glutes"].set_index("day")
    assert list(glutes.index.astype(str)) == ["Monday", "Thursday"]
    assert glutes["sessions"].tolist() == [1, 2]
    assert glutes["minutes"].tolist() == pytest.approx([155 / 60, 2 * 155 / 60])


def test_empty_plan_has_empty_volume_with_columns():
    v = bg.weekly_volume(bg.Plan())
    assert v.empty
    assert list(v.columns) == ["day", "category", "muscle", "role", "minutes", "sets", "reps",
                               "hold_s", "sessions"]


def _overlap_library() -> bg.Library:
    """The shipped tables, with bird dog's lower back listed as secondary as well."""
    ex = EX.copy()
    ex.at["bird_dog", "secondary_muscles"] = ("shoulders", "lower back", "hamstrings")
    return bg.Library(ex, LIB.sources, LIB.doses, LIB.guidance, LIB.poses)


OVERLAP = _overlap_library()


def test_a_muscle_listed_twice_counts_once_as_primary():
    rows = OVERLAP.muscles[OVERLAP.muscles["exercise"] == "bird_dog"]
    assert sorted(zip(rows["muscle"].astype(str), rows["role"].astype(str))) == [
        ("abdominals", "primary"), ("glutes", "primary"), ("hamstrings", "secondary"),
        ("lower back", "primary"), ("shoulders", "secondary")]
    plan = _plan(Monday=["bird_dog"])
    pd.testing.assert_frame_equal(bg.weekly_volume(plan, lib=OVERLAP), bg.weekly_volume(plan))


def _volume_by_hand(plan: bg.Plan, lib: bg.Library) -> dict:
    """Each entry's muscles counted one at a time: primary 1, secondary 1/2."""
    expected = {}
    t = bg.plan_table(plan, lib=lib)
    for r in plan.entries.itertuples(index=False):
        seconds = _entry_seconds(r)
        primary, secondary = lib.exercises.loc[r.exercise, ["primary_muscles",
                                                            "secondary_muscles"]]
        roles = [(m, "primary", 1.0) for m in primary]
        roles += [(m, "secondary", 0.5) for m in secondary if m not in primary]
        for m, role, share in roles:
            key = (r.day, CSV_CATEGORY[r.exercise], m, role)
            minutes, sessions = expected.get(key, (0.0, set()))
            expected[key] = (minutes + seconds / 60 * share, sessions | {r.session})
    assert len(t) == len(plan.entries)
    return expected


@pytest.mark.parametrize("lib", [LIB, OVERLAP], ids=["shipped", "overlapping-muscles"])
@settings(max_examples=40, deadline=None)
@given(frame=entry_frames(max_size=14))
def test_volume_agrees_with_adding_up_each_entry(lib, frame):
    plan = bg.Plan(entries=frame)
    expected = _volume_by_hand(plan, lib)
    v = bg.weekly_volume(plan, lib=lib)
    got = {(str(r.day), str(r.category), str(r.muscle), str(r.role)): (r.minutes, r.sessions)
           for r in v.itertuples()}
    assert got.keys() == expected.keys()
    for key, (minutes, sessions) in expected.items():
        assert got[key][0] == pytest.approx(minutes, rel=1e-9, abs=1e-9), key
        assert got[key][1] == len(sessions), key
    # sets, reps and seconds held: each entry's totals, shared out the same way
    t = bg.plan_table(plan, lib=lib)
    for col, total in (("sets", "total_sets"), ("reps", "total_reps"), ("hold_s", "total_hold_s")):
        want = 0.0
        for x, amount in zip(t["exercise"], t[total]):
            primary, secondary = lib.exercises.loc[x, ["primary_muscles", "secondary_muscles"]]
            want += amount * (len(primary) + 0.5 * len(set(secondary) - set(primary)))
        assert v[col].sum() == pytest.approx(want), col


# --- the guidance check -------------------------------------------------------------------

def test_checks_come_from_the_guidance_table_merged_where_they_agree():
    rows = [r for r in _csv("guidance.csv") if r["target"]]
    distinct = {(r["target"], r["min"], r["max"], r["unit"]) for r in rows}
    check = bg.check_guidance(bg.Plan())
    assert len(check) == len(distinct) == 11
    assert sorted(g for ids in check["guidance"] for g in ids) == sorted(r["id"] for r in rows)
    both = check[check["target"] == "stretch_and_strength"]
    assert len(both) == 1, "two rows asking the same thing are one checklist line"
    (line,) = both.itertuples()
    assert line.guidance == ("freeback_stretch_and_strength", "natarthritis_combination")
    assert line.source == "freeback, natarthritis"
    stretch = check[check["target"] == "stretch_days_per_week"]
    assert stretch["guidance"].tolist() == [("wolfe_daily",), ("acsm2021_flex_days",)], \
        "different numbers stay apart"
    assert stretch["min"].tolist() == [7, 2]


def test_an_empty_plan_meets_nothing():
    """Nothing planned meets no guidance, not even "harder after easier"."""
    c = _check(bg.Plan())
    assert (c["status"] == "short").all(), c[["status", "message"]].to_string()
    assert met_count(bg.check_guidance(bg.Plan())) == (0, 11)
    assert c.at["freeback_aerobic_time", "message"].startswith("Aerobic: no session yet")
    assert c.at["natarthritis_easy_first", "message"] == (
        "Order: nothing planned yet; start each exercise with its easiest version.")
    empty = bg.guidance_status(bg.Plan().entries)
    assert (empty["status"] == "short").all() and len(empty) == 11


def _everything_met() -> bg.Plan:
    """Worked out to meet all 11 checks: four 40-minute walks (160 min, 4 sessions),
    single knee to chest every day (held 20 s, 2 x 3 x 20 = 120 s a stretch; lower
    back, glutes, hips), clamshell on 2 days; walking adds the abdominals."""
    plan = _walks({"Monday": 40, "Wednesday": 40, "Friday": 40, "Saturday": 40})
    for day in DAYS:
        plan = plan.add(day, "single_knee_to_chest", session="new")
    return plan.add("Tuesday", "clamshell").add("Thursday", "clamshell")


def test_a_plan_worked_out_to_meet_everything_meets_everything():
    check = bg.check_guidance(_everything_met())
    assert (check["status"] == "met").all(), check[["check", "message"]].to_string()
    assert met_count(check) == (11, 11)
    c = check.set_index("check")["value"]
    assert c["who2020_aerobic"] == 160 and c["freeback_aerobic_sessions"] == 4
    assert c["wolfe_daily"] == 7 and c["who2020_strength"] == 2
    assert c["acsm2021_hold"] == 20 and c["acsm2021_total"] == 120
    assert c["freeback_spine_muscles"] == 4


def test_met_count_counts_the_met_rows():
    check = bg.check_guidance(_everything_met().clear_day("Sunday").clear_day("Saturday"))
    # no longer daily stretching (wolfe); 3 walks = 120 min (who2020 short) but 3 sessions met
    statuses = check.set_index("check")["status"]
    assert set(statuses.index[statuses != "met"]) == {"wolfe_daily", "who2020_aerobic"}
    assert met_count(check) == (9, 11)


def test_strengthening_on_two_days():
    # glute bridge twice on Monday (two sessions) and pilates (mind-body) on Thursday
    plan = (_plan(Monday=["glute_bridge"], Thursday=["pilates"], Friday=["cat_cow"])
            .add("Monday", "glute_bridge", session="new"))
    c = _check(plan)
    assert (c.at["who2020_strength", "value"], c.at["who2020_strength", "status"]) == (2, "met")
    assert c.at["who2020_strength", "message"] == \
        "Strengthening: 2 days this week, against 2 or more days."
    one = _check(_plan(Monday=["glute_bridge", "clamshell"]))
    assert (one.at["who2020_strength", "value"], one.at["who2020_strength", "status"]) == \
        (1, "short")


def test_short_walks_do_not_count_as_aerobic_sessions():
    plan = _walks({"Monday": 20, "Tuesday": 10, "Friday": 20})
    c = _check(plan)
    assert c.at["freeback_aerobic_sessions", "value"] == 2
    assert c.at["freeback_aerobic_time", "value"] == 10
    assert c.at["freeback_aerobic_time", "status"] == "short"
    assert "Tuesday's session is 10 minutes" in c.at["freeback_aerobic_time", "message"]
    assert c.at["who2020_aerobic", "value"] == 50


def test_aerobic_shortfall_suggests_a_day_that_fixes_it():
    plan = _walks({"Monday": 20, "Wednesday": 20})
    row = _check(plan).loc["freeback_aerobic_sessions"]
    assert (row["value"], row["status"]) == (2, "short")
    day = row["message"].rsplit("add a walk on ", 1)[1].rstrip(".")
    assert day in DAYS and day not in ("Monday", "Wednesday")
    assert _check(plan.add(day, "fast_walking")).at["freeback_aerobic_sessions", "status"] == "met"


@pytest.mark.parametrize("exercises", [["cat_cow"], ["fast_walking"], ["clamshell"],
                                       ["cat_cow", "clamshell"], ["shoulder_squeeze"],
                                       ["partial_cobra", "superman"], ["yoga"]])
def test_spine_muscles_are_the_groups_the_exercises_list(exercises):
    worked = {m for x in exercises for m in CSV_MUSCLES[x][0] + CSV_MUSCLES[x][1]}
    missing = [m for m in SPINE_MUSCLES if m not in worked]
    row = _check(_plan(Tuesday=exercises)).loc["freeback_spine_muscles"]
    assert row["value"] == 4 - len(missing)
    assert row["status"] == ("met" if not missing else "short")
    if missing:
        assert row["message"].endswith(f"add something for the {', '.join(missing)}.")
    else:
        assert "all four are worked" in row["message"]


def test_spine_muscles_by_hand():
    # cat-cow: lower back and upper back, abdominals secondary
    row = _check(_plan(Monday=["cat_cow"])).loc["freeback_spine_muscles"]
    assert (row["value"], row["status"]) == (2, "short")
    assert row["message"] == ("Muscles that support the spine: 2 of 4 worked; "
                              "add something for the glutes, hips.")


def test_stretching_and_strengthening_both_present():
    c = _check(_plan(Monday=["cat_cow", "fast_walking"]))
    assert c.at["freeback_stretch_and_strength", "value"] == 0
    assert c.at["freeback_stretch_and_strength", "message"].endswith("add some strengthening.")
    c = _check(_plan(Monday=["cat_cow"], Tuesday=["clamshell"]))
    assert c.at["freeback_stretch_and_strength", "status"] == "met"


@pytest.mark.parametrize("days, status, value, words", [
    (dict(Monday=["trunk_rotation_stretch"]), "short", 5,
     "Trunk rotation stretch is held 5 s; 10-30 s is suggested."),
    (dict(Monday=["childs_pose@45"]), "over", 45,
     "Child's pose is held 45 s, longer than 10-30 s; fine if it is comfortable."),
    # short and over in one week: short is reported
    (dict(Monday=["childs_pose@45"], Tuesday=["trunk_rotation_stretch"]), "short", 5,
     "Trunk rotation stretch is held 5 s"),
    # within: the value is the middle hold (30 and 20 -> 25)
    (dict(Monday=["childs_pose", "single_knee_to_chest"]), "met", 25, "all within 10-30 s"),
    # cat-cow is moving mobility work, not a static stretch
    (dict(Monday=["cat_cow@60"]), "short", np.nan, "no held stretch in the week yet"),
])
def test_stretch_holds_against_acsm(days, status, value, words):
    plan = bg.Plan()
    for day, items in days.items():
        for item in items:
            x, _, hold = item.partition("@")
            plan = plan.add(day, x)
            if hold:
                plan = plan.set_dose(int(np.flatnonzero(plan.entries["exercise"] == x)[0]),
                                     hold_s=float(hold))
    row = _check(plan).loc["acsm2021_hold"]
    assert row["status"] == status
    np.testing.assert_equal(row["value"], value)
    assert words in row["message"]


def test_stretch_time_per_exercise():
    # child's pose 1 x 30 s = 30 s; single knee to chest 2 sides x 3 x 20 s = 120 s
    row = _check(_plan(Monday=["childs_pose", "single_knee_to_chest"])).loc["acsm2021_total"]
    assert (row["value"], row["status"]) == (30, "short")
    assert row["message"] == ("Stretch time: Child's pose adds up to 30 s; repeat it to "
                              "reach about 60 s.")
    row = _check(_plan(Monday=["single_knee_to_chest"])).loc["acsm2021_total"]
    assert (row["value"], row["status"]) == (120, "met")


def _order(**days) -> pd.Series:
    return _check(_plan(**days)).loc["natarthritis_easy_first"]


def test_a_harder_variant_without_its_easier_one_says_so():
    row = _order(Monday=["cobra"])
    assert (row["value"], row["status"]) == (1, "order")
    assert ("Cobra on Monday is in the plan without its easier version, Partial cobra "
            "(sphinx)") in row["message"]
    assert "comes before" not in row["message"]


def test_a_harder_variant_before_its_easier_one_comes_before():
    row = _order(Monday=["cobra"], Tuesday=["partial_cobra"])
    assert (row["value"], row["status"]) == (1, "order")
    assert "Cobra on Monday comes before its easier version, Partial cobra (sphinx)" \
        in row["message"]
    assert "without" not in row["message"]
    same_day = _order(Monday=["cobra", "partial_cobra"])
    assert "comes before" in same_day["message"]


def test_easier_first_is_in_order():
    for days in (dict(Monday=["partial_cobra", "cobra"]),
                 dict(Monday=["partial_cobra"], Friday=["cobra"]),
                 dict(Monday=["leg_lift_all_fours"], Tuesday=["bird_dog"])):  # either easier one
        row = _order(**days)
        assert (row["value"], row["status"]) == (0, "met"), days
        assert row["message"] == "Order: every harder exercise comes after its easier version."


def test_several_out_of_order_are_counted():
    row = _order(Monday=["bird_dog", "cobra"])
    assert row["value"] == 2
    assert row["message"].startswith("Order: Bird dog on Monday is in the plan without its "
                                     "easier version, Arm lift on all fours or Leg lift on "
                                     "all fours")
    assert row["message"].endswith("(1 more like it).")


def test_the_order_check_has_a_status_of_its_own():
    """Out of order is "order", not "over": over is for more than the guidance asks."""
    assert bg.measures.STATUSES == ("met", "short", "over", "order")
    c = _check(_plan(Monday=["bird_dog"], Wednesday=["fast_walking"]))
    assert c.at["natarthritis_easy_first", "status"] == "order"
    assert c.at["natarthritis_easy_first", "message"].startswith(
        "Order: Bird dog on Monday is in the plan without its easier version")
    assert (c["status"] == "order").sum() == 1, "no other check says order"
    # "over" still means more than advised: five 20-minute walks against 3-4 sessions
    over = _check(_walks({d: 20 for d in DAYS[:5]}))
    assert over.at["freeback_aerobic_sessions", "status"] == "over"
    assert over.at["natarthritis_easy_first", "status"] == "met"


@settings(max_examples=40, deadline=None)
@given(stack=stacked_plans())
def test_only_the_order_check_says_order(stack):
    stacked, _ = stack
    status = bg.guidance_status(stacked, by=["person", "week"])
    said = status["status"].astype(str)
    assert set(said) <= {"met", "short", "over", "order"}
    order = status["target"] == "progression_order"
    assert set(said[order]) <= {"met", "order", "short"}
    assert not (said[~order] == "order").any()
    assert ((said[order] == "order") == (status.loc[order, "value"] > 0)).all()


def test_stretching_counts_mobility_work_every_day_of_core_stability():
    """core_stability has cat-cow and pelvic tilt (mobility) every day and partial cobra
    (stretch) on three: by COUNTS_AS, seven days of stretching."""
    plan = bg.load_starter("core_stability")
    days = {d for d, x in zip(plan.entries["day"], plan.entries["exercise"])
            if CSV_CATEGORY[x] in ("stretch", "mobility", "mind-body")}
    assert len(days) == 7
    c = _check(plan)
    assert c.at["acsm2021_flex_days", "value"] == 7
    assert c.at["acsm2021_flex_days", "message"].startswith("Stretching: 7 days this week")
    assert bg.measures.COUNTS_AS["stretch"] == ("stretch", "mobility", "mind-body")


def test_targets_come_from_the_library_given():
    plan = _plan(Monday=["clamshell"], Thursday=["clamshell"])
    assert _check(plan).at["who2020_strength", "status"] == "met"
    g = LIB.guidance.copy()
    g.loc["who2020_strength", "min"] = 3
    stricter = bg.Library(EX, LIB.sources, LIB.doses, g, LIB.poses)
    row = _check(plan, lib=stricter).loc["who2020_strength"]
    assert row["status"] == "short" and "against 3 or more days" in row["message"]


# --- many plans at once -------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(stack=stacked_plans())
def test_guidance_status_by_group_equals_each_plan_alone(stack):
    stacked, plans = stack
    status = bg.guidance_status(stacked, by=["person", "week"])
    volume = bg.weekly_volume(stacked, by=["person", "week"])
    keys = list(zip(status["person"], status["week"]))
    assert sorted(set(keys)) == sorted(plans), "one group per plan, no more"
    details = ["day", "name", "easier", "absent", "missing", "count", "threshold"]
    for (person, week), plan in plans.items():
        mine = status[(status["person"] == person) & (status["week"] == week)]
        alone = bg.check_guidance(plan)
        assert mine["check"].tolist() == alone["check"].tolist()
        np.testing.assert_array_equal(mine["value"].to_numpy(), alone["value"].to_numpy())
        assert mine["status"].astype(str).tolist() == alone["status"].astype(str).tolist()
        one = bg.guidance_status(plan)
        pd.testing.assert_frame_equal(mine[details].reset_index(drop=True), one[details])
        v = volume[(volume["person"] == person) & (volume["week"] == week)]
        pd.testing.assert_frame_equal(v.drop(columns=["person", "week"]).reset_index(drop=True),
                                      bg.weekly_volume(plan), check_dtype=False)
    if plans:
        sessions = bg.session_minutes(stacked, by=["person", "week"])
        for (person, week), plan in plans.items():
            s = sessions[(sessions["person"] == person) & (sessions["week"] == week)]
            pd.testing.assert_frame_equal(s.drop(columns=["person", "week"])
                                          .reset_index(drop=True), bg.session_minutes(plan),
                                          check_dtype=False)


def test_guidance_status_by_group_on_hand_built_plans():
    a = _everything_met()
    b = _plan(Monday=["cobra"], Tuesday=["fast_walking"])
    stacked = pd.concat([b.entries.assign(person="bo", week=2),
                         a.entries.assign(person="ada", week=1),
                         b.entries.assign(person="ada", week=2)], ignore_index=True)
    status = bg.guidance_status(stacked, by=["person", "week"])
    assert list(dict.fromkeys(zip(status["person"], status["week"]))) == [
        ("ada", 1), ("ada", 2), ("bo", 2)]
    met = status.assign(met=status["status"] == "met").groupby(["person", "week"])["met"].sum()
    assert met.to_dict() == {("ada", 1): 11, ("ada", 2): met_count(bg.check_guidance(b))[0],
                             ("bo", 2): met_count(bg.check_guidance(b))[0]}
    order = status[status["target"] == "progression_order"].set_index(["person", "week"])
    assert order["value"].to_dict() == {("ada", 1): 0, ("ada", 2): 1, ("bo", 2): 1}
    assert bool(order.at[("bo", 2), "absent"]) and order.at[("bo", 2), "name"] == "Cobra"


def test_by_names_a_column_that_exists():
    with pytest.raises(ValueError, match="by= names 'person'"):
        bg.guidance_status(_plan(Monday=["cobra"]).entries, by=["person"])
