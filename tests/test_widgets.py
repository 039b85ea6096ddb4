"""Widget logic without a browser: set controls, check the model and what is shown.

What a person sees is checked against the core's own numbers: the checklist
headline against :func:`backguide.check_guidance`, the board against
:func:`backguide.session_minutes` and each entry's dose in words, the charts
against the measures drawn afresh.
"""

from __future__ import annotations

import html
import re

import pytest

import backguide as bg
import backguide.measures
from backguide import widgets
from backguide.charts import chart_figure, figure_png
from backguide.plan import describe_entries
from backguide.schema import DOSE_LIMITS
from backguide.widgets import (CHART_LAYOUT, Explorer, RoutineBuilder, WeekPlanner, exercise_card,
                               results_frame, shown_minutes)

LIB = bg.load_library()


def text(fragment: str) -> str:
    """HTML as the reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def table_rows(fragment: str) -> list[list[str]]:
    """The cells of every row of an HTML table, as text."""
    return [[text(c) for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", fragment)]


# --- the explorer ----------------------------------------------------------------------


@pytest.fixture
def explorer():
    return Explorer(lib=LIB)


def test_explorer_starts_with_everything_and_a_detail_card(explorer):
    assert len(explorer.results) == len(LIB.exercises)
    assert "32 of 32" in explorer._count.value
    assert explorer.model.selected == explorer.results.index[0]
    assert LIB.exercises["name"].iloc[0] in explorer._detail.value


def test_changing_a_filter_changes_count_and_table(explorer):
    explorer._muscle.value = "hips"
    assert explorer.model.muscle == "hips"
    expected = bg.filter_exercises(lib=LIB, muscle="hips")
    assert list(explorer.results.index) == list(expected.index)
    assert f"{len(expected)} of 32" in explorer._count.value
    assert "Clamshell" in explorer._table.value and "Fast walking" not in explorer._table.value


def test_the_explorer_searches_the_library_it_is_given():
    rows = list(LIB.exercises.index[:3])  # a small clinic's library
    small = bg.Library(LIB.exercises.loc[rows], LIB.sources,
                       LIB.doses[LIB.doses["exercise"].isin(rows)], LIB.guidance,
                       LIB.poses[LIB.poses["exercise"].isin(rows)])
    ex = Explorer(lib=small)
    assert "3 of 3" in ex._count.value and list(ex.results.index) == list(rows)


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
    card = exercise_card("childs_pose", lib=LIB)
    for phrase in ("Hold the pose for 30 to 60 seconds", "Hold this pose for ten seconds",
                   "Hold for 30 seconds to two minutes", "hold 30-60 s", "5 reps, hold 10 s"):
        assert phrase in card
    cobra = exercise_card("cobra", lib=LIB)
    assert "Partial cobra (sphinx)" in cobra and "Do not do cobra if partial cobra hurts" in cobra


def test_detail_card_states_the_starting_dose_in_words():
    row = LIB.exercises.loc["bird_dog"]
    words = bg.describe_dose(row["sets"], row["reps"], row["hold_s"], row["rest_s"],
                             row["per_side"], row["minutes"])
    assert f"Starting dose: {words} (about" in text(exercise_card("bird_dog", lib=LIB))


def test_minutes_round_half_up_in_one_place():
    assert shown_minutes(0.15) == "0.2" and shown_minutes(0.65) == "0.7"
    assert shown_minutes(0.55) == "0.6" and shown_minutes(1 / 3) == "0.3"
    assert shown_minutes(20) == "20.0" and shown_minutes(float("nan")) == ""
    assert shown_minutes(2.5, 0) == "3"


@pytest.mark.parametrize("ex_id, minutes", [("superman", "0.2"), ("cobra", "0.7"),
                                             ("partial_cobra", "0.7"), ("childs_pose", "0.6"),
                                             ("knee_roll", "1.3"), ("fast_walking", "20.0")])
def test_an_exercise_shows_the_same_minutes_everywhere(explorer, ex_id, minutes):
    name = LIB.exercises.at[ex_id, "name"]
    in_table = {r[0]: r[-1] for r in table_rows(explorer._table.value)}
    assert table_rows(explorer._table.value)[0][-1] == "Minutes"
    assert in_table[name] == minutes
    explorer._pick.value = ex_id
    assert f"(about {minutes} min)" in text(explorer._detail.value)
    # What notebook 01 displays: the explorer's own table.
    assert results_frame(LIB.exercises).at[ex_id, "Minutes"] == minutes
    assert results_frame(bg.filter_exercises(lib=LIB)).equals(results_frame(explorer.results))


def test_explorer_adds_to_the_routine(explorer):
    builder = RoutineBuilder(lib=LIB)
    explorer.on_add(builder.add)
    explorer._pick.value = "bird_dog"
    explorer._add.click()
    assert list(builder.plan.entries["exercise"]) == ["bird_dog"]
    assert "1 exercise" in builder._time.value


# --- the routine builder ---------------------------------------------------------------


def dose_box(builder: RoutineBuilder, row: int, field: str):
    return next(w for w in builder._rows.children[row].children
                if f"bg-dose-{field}" in w._dom_classes)


def test_routine_builder_edits_reorders_removes_with_live_time():
    b = RoutineBuilder(lib=LIB)
    b.add("cat_cow")
    b.add("fast_walking")
    b.add("glute_bridge", source="wolfe")
    e = b.plan.entries
    assert e.at[2, "reps"] == 12 and e.at[2, "dose_source"] == "wolfe"
    before = b.minutes
    dose_box(b, 0, "reps").value = 10
    e = b.plan.entries
    assert e.at[0, "reps"] == 10 and e.at[0, "dose_source"] == "custom"
    assert b.minutes > before
    assert b.minutes == bg.session_minutes(b.plan, lib=LIB)["minutes"].sum()
    assert f"3 exercises, about {shown_minutes(b.minutes)} minutes" in b._time.value
    b.move(2, -2)
    assert list(b.plan.entries["exercise"]) == ["glute_bridge", "cat_cow", "fast_walking"]
    b.remove(1)
    assert list(b.plan.entries["exercise"]) == ["glute_bridge", "fast_walking"]
    source = next(w for w in b._rows.children[0].children if "bg-dose-source" in w._dom_classes)
    source.value = "natarthritis"
    assert b.plan.entries.at[0, "hold_s"] == 30
    assert b.plan.entries.at[0, "dose_source"] == "natarthritis"


def test_each_edit_makes_a_new_plan_and_leaves_the_old_one_alone():
    b = RoutineBuilder(lib=LIB)
    b.add("cat_cow")
    first = b.plan
    kept = first.entries.copy()
    b.add("pelvic_tilt")
    dose_box(b, 0, "reps").value = 7
    b.move(1, -1)
    assert b.plan is not first and first.entries.equals(kept)
    assert b.plan == first.add("Monday", "pelvic_tilt", lib=LIB, session_name="My routine") \
        .set_dose(0, reps=7).reorder(1, -1)


def test_the_routines_name_is_its_session_name():
    b = RoutineBuilder(lib=LIB)
    b.add("cat_cow")
    b._name.value = "Evening unwind"
    b.add("pelvic_tilt")
    assert set(b.plan.entries["session_name"]) == {"Evening unwind"}
    assert len(b.plan.sessions()) == 1 and b.name == "Evening unwind"


@pytest.mark.parametrize("field", ["sets", "reps", "hold_s", "rest_s"])
def test_dose_boxes_stop_at_the_plan_files_limits(field):
    b = RoutineBuilder(lib=LIB)
    b.add("bird_dog")
    assert dose_box(b, 0, field).max == DOSE_LIMITS[field]
    b.add("fast_walking")
    assert dose_box(b, 1, "minutes").max == DOSE_LIMITS["minutes"]


def test_the_dose_box_refuses_a_dose_the_plan_file_would_refuse():
    b = RoutineBuilder(lib=LIB)
    b.add("bird_dog")
    before = b.plan
    box = dose_box(b, 0, "sets")
    box.value = 30
    assert b.plan is before, "nothing stored"
    assert box.value == before.entries.at[0, "sets"], "the box shows the stored dose again"
    assert "Could not do that" in b._status.value and "outside 0 to 20" in b._status.value
    box.value = 3
    assert b.plan.entries.at[0, "sets"] == 3 and b._status.value == ""
    with pytest.raises(ValueError):
        b.set_dose(0, reps=201)
    assert b.plan.entries.at[0, "reps"] == before.entries.at[0, "reps"]


# --- the week planner ------------------------------------------------------------------


@pytest.fixture
def planner(tmp_path):
    return WeekPlanner(lib=LIB, folder=tmp_path)


def check_row(check, guidance_id):
    return check[check["guidance"].map(lambda ids: guidance_id in ids)].iloc[0]


def test_adding_to_a_day_changes_board_chart_and_checklist(planner):
    chart, checklist = planner._images[0].value, planner._checklist.value
    planner._day.value, planner._exercise.value = "Thursday", "fast_walking"
    planner._add.click()
    assert list(planner.plan.entries["exercise"]) == ["fast_walking"]
    assert "Fast walking" in planner._board.value
    assert planner._images[0].value != chart
    assert planner._checklist.value != checklist
    assert check_row(planner.check, "freeback_aerobic_time")["status"] == "met"


@pytest.mark.parametrize("starter", bg.starter_plans())
def test_checklist_headline_counts_the_met_checks(planner, starter):
    planner.start_from(starter)
    check = bg.check_guidance(planner.plan, lib=LIB)
    met = int((check["status"] == "met").sum())
    assert f"Guidance: {met} of {len(check)} met" in text(planner._checklist.value)
    lines = re.findall(r"<li[^>]*>(.*?)</li>", planner._checklist.value)
    assert len(lines) == len(check), "one line per check"
    for line, r in zip(lines, check.itertuples()):
        assert r.message in text(line) and f"({r.source})" in text(line)
        assert text(line).startswith(f"{widgets.STATUS_ICON[r.status]} {r.status}")


def test_checklist_cites_every_source_behind_a_line(planner):
    planner.start_from("gentle_start")
    merged = planner.check[planner.check["guidance"].map(len) > 1]
    assert len(merged), "the shipped guidance has a check two articles share"
    for r in merged.itertuples():
        sources = r.source.split(", ")
        assert len(sources) > 1
        line = next(t for t in re.findall(r"<li[^>]*>(.*?)</li>", planner._checklist.value)
                    if r.message in text(t))
        assert f"({', '.join(sources)})" in text(line)


def board_days(board: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="bg-day" data-day="(\w+)">(.*?)</div>', board))


@pytest.mark.parametrize("starter", bg.starter_plans())
def test_board_shows_sessions_minutes_and_every_entrys_dose(planner, starter):
    planner.start_from(starter)
    plan = planner.plan
    days = board_days(planner._board.value)
    assert list(days) == list(bg.schema.DAYS)
    sessions = bg.session_minutes(plan, lib=LIB)
    doses = describe_entries(plan.entries)
    for day, body in days.items():
        mine = sessions[sessions["day"] == day]
        heads = re.findall(r"<b>(.*?)</b> <small>\((\d+) min\)</small>", body)
        assert heads == [(html.escape(r.session_name), shown_minutes(r.minutes, 0))
                         for r in mine.itertuples()]
        items = [text(i) for i in re.findall(r"<li>(.*?)</li>", body)]
        rows = plan.entries[plan.entries["day"] == day]
        assert items == [f"{LIB.exercises.at[x, 'name']} {doses[i]}"
                         for i, x in zip(rows.index, rows["exercise"])]
        if mine.empty:
            assert "rest day" in body


def test_charts_draw_the_plans_measures(planner):
    planner.start_from("core_stability")
    plan = planner.plan
    expected = (lambda ax: bg.plot_week(bg.day_minutes(plan, lib=LIB), ax=ax),
                lambda ax: bg.plot_category_days(bg.category_summary(plan, lib=LIB), ax=ax),
                lambda ax: bg.plot_muscle_volume(bg.muscle_minutes(plan, lib=LIB), ax=ax))
    for i, draw in enumerate(expected):
        planner._tabs.selected_index = i
        size, margins = CHART_LAYOUT[i]
        assert planner._images[i].value == figure_png(draw, size=size, **margins)


def test_other_charts_draw_when_their_tab_opens(planner):
    planner.add("Monday", "clamshell")
    stale = planner._images[2].value
    planner._tabs.selected_index = 2
    assert planner._images[2].value != stale and len(planner._images[2].value) > 1000


def test_one_change_measures_the_plan_once(planner, monkeypatch):
    calls = {"measure_week": 0, "plan_table": 0}

    def counted(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(widgets, "measure_week", counted("measure_week", widgets.measure_week))
    monkeypatch.setattr(backguide.measures, "plan_table",
                        counted("plan_table", backguide.measures.plan_table))
    planner.start_from("gentle_start")
    for i in range(3):
        planner._tabs.selected_index = i
    assert calls == {"measure_week": 1, "plan_table": 1}


def test_undo_brings_back_exactly_the_previous_plan(planner, tmp_path):
    routine = RoutineBuilder(lib=LIB)
    routine.add("cat_cow")
    planner.routine = routine
    seen = [planner.plan]
    for action in (lambda: planner.start_from("gentle_start"),
                   lambda: planner.add("Sunday", "cobra"),
                   lambda: planner.remove(3),
                   lambda: planner.add_routine("Friday", routine.name, routine.plan.entries)):
        action()
        assert planner.plan != seen[-1]
        seen.append(planner.plan)
    for previous in reversed(seen[:-1]):
        planner._undo.click()
        assert planner.plan == previous and planner.plan is previous
        assert planner._board.value == WeekPlanner(lib=LIB, plan=previous,
                                                   folder=tmp_path)._board.value
    assert planner._undo.disabled
    planner._undo.click()
    assert "Nothing to undo" in planner._status.value and planner.plan == seen[0]


def test_starter_save_load_and_undo(planner, tmp_path):
    planner._starter.value = "core_stability"
    planner._start.click()
    assert planner.plan.name == "Core stability"
    saved = planner.save("Ada's week")
    assert saved == tmp_path / "ada_s_week.json" and planner._saved.options == ("ada_s_week",)
    planner.add("Sunday", "cobra")
    planner._undo.click()
    assert planner.plan == bg.load_plan(saved, lib=LIB)
    planner._undo.click()
    assert planner.plan.is_empty, "undo steps back past the starter plan too"
    planner._load.click()
    assert planner.plan == bg.load_plan(saved, lib=LIB)
    assert "Loaded Ada" in planner._status.value


def test_renaming_the_plan_renames_what_is_saved(planner):
    planner.add("Monday", "cat_cow")
    planner._name.value = "Evening plan"
    assert planner.plan.name == "Evening plan"
    planner._save.click()
    assert bg.load_plan(planner.folder / "evening_plan.json", lib=LIB).name == "Evening plan"


def test_routine_goes_on_a_day_and_entries_can_be_removed(tmp_path):
    builder = RoutineBuilder(lib=LIB)
    builder._name.value = "Morning loosener"
    builder.add("cat_cow")
    builder.add("pelvic_tilt")
    planner = WeekPlanner(lib=LIB, folder=tmp_path, routine=builder)
    planner._day.value = "Wednesday"
    planner._add_routine.click()
    wed = planner.plan.day("Wednesday")
    assert list(wed["exercise"]) == ["cat_cow", "pelvic_tilt"]
    assert set(wed["session_name"]) == {"Morning loosener"}
    assert planner.plan == bg.Plan().add_session("Wednesday", "Morning loosener",
                                                 builder.plan.entries)
    labels = [label for label, _ in planner._entry.options]
    assert labels == ["Wednesday \u00b7 Morning loosener \u00b7 Cat-cow",
                      "Wednesday \u00b7 Morning loosener \u00b7 Pelvic tilt"]
    planner._entry.value = 0
    planner._remove.click()
    assert list(planner.plan.day("Wednesday")["exercise"]) == ["pelvic_tilt"]
    assert "Removed Cat-cow from Wednesday" in planner._status.value


def test_an_empty_routine_is_not_put_on_a_day(tmp_path):
    planner = WeekPlanner(lib=LIB, folder=tmp_path, routine=RoutineBuilder(lib=LIB))
    planner._add_routine.click()
    assert planner.plan.is_empty and "routine is empty" in planner._status.value


def test_a_broken_saved_file_is_reported_not_raised(planner, tmp_path):
    (tmp_path / "broken.json").write_text("{ not json")
    planner._list_saved()
    planner._saved.value = "broken"
    planner._load.click()
    assert "Could not do that" in planner._status.value and "broken.json" in planner._status.value


def test_red_flags_are_shown_whole():
    from backguide.widgets import red_flags

    shown = red_flags(lib=LIB).value
    for statement in LIB.guidance.query("topic == 'red_flag'")["statement"]:
        assert statement.replace("'", "&#x27;") in shown


def test_planner_makes_the_handout(planner, tmp_path):
    planner.start_from("gentle_start")
    planner._handout.click()
    assert (tmp_path / "handouts" / "gentle_start.pdf").stat().st_size > 10_000
    assert "Handout written" in planner._status.value


def test_saved_plans_show_one_chosen_when_the_planner_opens(tmp_path):
    """Opening the planner with plans already saved shows one in the box, ready to
    load, rather than an empty box whose Load says there is nothing."""
    first = WeekPlanner(folder=tmp_path)
    first.start_from("gentle_start")
    first.save("Ada's week")
    first.save("Bea's week")
    again = WeekPlanner(folder=tmp_path)
    assert again._saved.value in again._saved.options and again._saved.options
    again.load(again._saved.value)
    assert again.plan.name in ("Ada's week", "Bea's week")
