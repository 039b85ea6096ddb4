"""Widget logic without a browser: set controls, check the model and what is shown."""

from __future__ import annotations

import pytest

import backguide as bg
from backguide.widgets import Explorer, RoutineBuilder, WeekPlanner, exercise_card

LIB = bg.load_library()


@pytest.fixture
def explorer():
    return Explorer(LIB)


def test_explorer_starts_with_everything_and_a_detail_card(explorer):
    assert len(explorer.results) == len(LIB.exercises)
    assert "32 of 32" in explorer._count.value
    assert explorer.model.selected == explorer.results.index[0]
    assert LIB.exercises["name"].iloc[0] in explorer._detail.value


def test_changing_a_filter_changes_count_and_table(explorer):
    explorer._muscle.value = "hips"
    assert explorer.model.muscle == "hips"
    expected = bg.filter_exercises(LIB.exercises, muscle="hips")
    assert list(explorer.results.index) == list(expected.index)
    assert f"{len(expected)} of 32" in explorer._count.value
    assert "Clamshell" in explorer._table.value and "Fast walking" not in explorer._table.value


def test_cannot_get_to_the_floor_hides_floor_exercises(explorer):
    explorer._access["floor"].value = False
    assert set(explorer.results["access"]) <= {"chair", "standing", "water"}
    assert "Child&#x27;s pose" not in explorer._table.value


def test_no_match_shows_a_friendly_message_and_a_way_back(explorer):
    explorer._search.value = "trampoline"
    assert explorer.results.empty and explorer._table.value == ""
    message, clear = explorer._empty.children
    assert "No exercise matches" in message.value
    clear.click()
    assert len(explorer.results) == 32 and explorer._search.value == ""
    assert explorer._empty.children == ()


def test_detail_card_shows_every_articles_dose_and_the_variants():
    card = exercise_card("childs_pose", LIB)
    for phrase in ("Hold the pose for 30 to 60 seconds", "Hold this pose for ten seconds",
                   "Hold for 30 seconds to two minutes", "hold 30-60 s", "5 reps, hold 10 s"):
        assert phrase in card
    cobra = exercise_card("cobra", LIB)
    assert "Partial cobra (sphinx)" in cobra and "Do not do cobra if partial cobra hurts" in cobra


def test_explorer_adds_to_the_routine(explorer):
    builder = RoutineBuilder(LIB)
    explorer.on_add(builder.add)
    explorer._pick.value = "bird_dog"
    explorer._add.click()
    assert [e.exercise for e in builder.session.entries] == ["bird_dog"]
    assert "1 exercise" in builder._time.value


def test_routine_builder_edits_reorders_removes_with_live_time():
    b = RoutineBuilder(LIB)
    b.add("cat_cow")
    b.add("fast_walking")
    b.add("glute_bridge", source="wolfe")
    assert b.session.entries[2].reps == 12 and b.session.entries[2].dose_source == "wolfe"
    before = b.minutes
    reps_box = next(w for w in b._rows.children[0].children if "bg-dose-reps" in w._dom_classes)
    reps_box.value = 10
    assert b.session.entries[0].reps == 10 and b.session.entries[0].dose_source == "custom"
    assert b.minutes > before and f"{b.minutes:.1f} minutes" in b._time.value
    b.move(2, -2)
    assert [e.exercise for e in b.session.entries] == ["glute_bridge", "cat_cow", "fast_walking"]
    b.remove(1)
    assert [e.exercise for e in b.session.entries] == ["glute_bridge", "fast_walking"]
    source = next(w for w in b._rows.children[0].children if "bg-dose-source" in w._dom_classes)
    source.value = "natarthritis"
    assert b.session.entries[0].hold_s == 30


@pytest.fixture
def planner(tmp_path):
    return WeekPlanner(LIB, folder=tmp_path)


def test_adding_to_a_day_changes_board_chart_and_checklist(planner):
    chart, checklist = planner._images[0].value, planner._checklist.value
    planner._day.value, planner._exercise.value = "Thursday", "fast_walking"
    planner._add.click()
    assert [e.exercise for *_, e in planner.plan.entries()] == ["fast_walking"]
    assert "Fast walking" in planner._board.value
    assert planner._images[0].value != chart
    assert planner._checklist.value != checklist
    assert planner.check.set_index("guidance").at["freeback_aerobic_time", "status"] == "met"


def test_other_charts_draw_when_their_tab_opens(planner):
    planner.add("Monday", "clamshell")
    stale = planner._images[2].value
    planner._tabs.selected_index = 2
    assert planner._images[2].value != stale and len(planner._images[2].value) > 1000


def test_starter_save_load_and_undo(planner, tmp_path):
    planner._starter.value = "core_stability"
    planner._start.click()
    assert planner.plan.name == "Core stability"
    saved = planner.save("Ada's week")
    assert saved == tmp_path / "ada_s_week.json" and planner._saved.options == ("ada_s_week",)
    planner.add("Sunday", "cobra")
    planner._undo.click()
    assert planner.plan == bg.load_plan(saved, LIB.exercises)
    planner._undo.click()
    assert planner.plan.is_empty, "undo steps back past the starter plan too"
    planner._load.click()
    assert planner.plan == bg.load_plan(saved, LIB.exercises)
    assert "Loaded Ada" in planner._status.value


def test_routine_goes_on_a_day_and_entries_can_be_removed(tmp_path):
    builder = RoutineBuilder(LIB)
    builder.add("cat_cow")
    builder.add("pelvic_tilt")
    planner = WeekPlanner(LIB, folder=tmp_path, routine=builder)
    planner._day.value = "Wednesday"
    planner._add_routine.click()
    assert [e.exercise for e in planner.plan.days["Wednesday"][0].entries] == ["cat_cow", "pelvic_tilt"]
    planner._entry.value = ("Wednesday", 0, 0)
    planner._remove.click()
    assert [e.exercise for e in planner.plan.days["Wednesday"][0].entries] == ["pelvic_tilt"]


def test_a_broken_saved_file_is_reported_not_raised(planner, tmp_path):
    (tmp_path / "broken.json").write_text("{ not json")
    planner._list_saved()
    planner._saved.value = "broken"
    planner._load.click()
    assert "Could not do that" in planner._status.value and "broken.json" in planner._status.value


def test_red_flags_are_shown_whole():
    from backguide.widgets import red_flags

    shown = red_flags(LIB).value
    for statement in LIB.guidance.query("topic == 'red_flag'")["statement"]:
        assert statement.replace("'", "&#x27;") in shown


def test_planner_makes_the_handout(planner, tmp_path):
    planner.start_from("gentle_start")
    planner._handout.click()
    assert (tmp_path / "handouts" / "gentle_start.pdf").stat().st_size > 10_000
    assert "Handout written" in planner._status.value
