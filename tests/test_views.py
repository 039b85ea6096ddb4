"""The views without a browser: set controls, check the model and what is shown.

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
import backguide.views.planner
from backguide.charts import CHART_LAYOUT, figure_svg
from backguide.schema import DOSE_LIMITS
from backguide.views import Explorer, RoutineBuilder, WeekPlanner, exercise_card, results_frame
from backguide.content import STATUS
from backguide.words import minutes_text

LIB = bg.load_library()
N = len(LIB.exercises)


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
    assert explorer.count_text == "39 of 39 exercises match"
    assert explorer.model.selected == "pelvic_tilt"
    assert explorer.card_text.startswith("Pelvic tilt mobility · lying on back · easy")


def test_changing_a_filter_changes_count_and_table(explorer):
    explorer.model.muscle = "hips"
    expected = bg.filter_exercises(lib=LIB, muscle="hips")
    assert list(explorer.results.index) == list(expected.index)
    assert explorer.count_text == f"{len(expected)} of 39 exercises match"
    shown = list(explorer.table["Exercise"])
    assert "Clamshell" in shown and "Fast walking" not in shown


def test_the_explorer_searches_the_library_it_is_given():
    rows = list(LIB.exercises.index[:3])  # a small clinic's library
    small = bg.Library(LIB.exercises.loc[rows], LIB.sources,
                       LIB.doses[LIB.doses["exercise"].isin(rows)], LIB.guidance,
                       LIB.poses[LIB.poses["exercise"].isin(rows)])
    ex = Explorer(lib=small)
    assert ex.count_text == "3 of 3 exercises match" and list(ex.results.index) == list(rows)


def test_cannot_get_to_the_floor_hides_floor_exercises(explorer):
    explorer.model.access = ("chair", "standing", "water")
    assert set(explorer.results["access"]) <= {"chair", "standing", "water"}
    assert "Child's pose" not in list(explorer.table["Exercise"])
    assert "Sit to stand" in list(explorer.table["Exercise"])


def test_no_match_shows_a_friendly_message_and_a_way_back(explorer):
    explorer.model.access = ("water",)
    explorer.model.category = "stretch"  # nothing in the pool is a stretch
    assert explorer.results.empty and explorer.table.empty
    message, clear = explorer._empty.children
    assert "No exercise matches" in message.value
    clear.click()
    assert len(explorer.results) == N and explorer.model.access == bg.schema.ACCESS
    assert explorer._empty.children == ()


def test_detail_card_shows_every_articles_dose_and_the_variants():
    card = exercise_card("childs_pose", lib=LIB)
    for phrase in ("Hold the pose for 30 to 60 seconds", "Hold this pose for ten seconds",
                   "Hold for 30 seconds to two minutes", "hold 30-60 s", "5 reps, hold 10 s"):
        assert phrase in card
    cobra = exercise_card("cobra", lib=LIB)
    assert "Partial cobra (sphinx)" in cobra and "Do not do cobra if partial cobra hurts" in cobra


def test_detail_card_states_the_starting_dose_in_words():
    # bird dog: 5 reps held 5 s each side; (5 + 3) x 5 x 2 + 3 s between the 10 holds,
    # 9 x 3 = 107 s = 1.78 min.
    card = text(exercise_card("bird_dog", lib=LIB))
    assert "Starting dose: 5 reps, hold 5 s, each side (about 1.8 min)" in card


def test_a_timed_activity_does_not_repeat_its_minutes():
    card = text(exercise_card("fast_walking", lib=LIB))
    assert "Starting dose: 20 min Walk" in card or "Starting dose: 20 min" in card
    assert "(about 20" not in card and "20.0" not in card


def test_minutes_round_half_up_in_one_place():
    assert minutes_text(0.15) == "0.2" and minutes_text(0.65) == "0.7"
    assert minutes_text(0.55) == "0.6" and minutes_text(1 / 3) == "0.3"
    assert minutes_text(20) == "20" and minutes_text(float("nan")) == ""


@pytest.mark.parametrize("ex_id, minutes", [("superman", "0.2"), ("cobra", "0.8"),
                                             ("partial_cobra", "0.8"), ("childs_pose", "0.6"),
                                             ("knee_roll", "1.8"), ("bird_dog", "1.8")])
def test_an_exercise_shows_the_same_minutes_everywhere(explorer, ex_id, minutes):
    name = LIB.exercises.at[ex_id, "name"]
    table = explorer.table.set_index("Exercise")
    assert table.at[name, "Minutes"] == minutes
    explorer.select(ex_id)
    assert f"(about {minutes} min)" in explorer.card_text
    # What notebook 01 displays: the explorer's own table.
    assert results_frame(LIB.exercises).at[ex_id, "Minutes"] == minutes
    assert results_frame(bg.filter_exercises(lib=LIB)).equals(results_frame(explorer.results))


def test_explorer_adds_to_the_routine_it_shows():
    builder = RoutineBuilder(lib=LIB)
    explorer = Explorer(lib=LIB, routine=builder)
    assert builder in explorer.children, "the routine added to is on the page"
    explorer.select("bird_dog")
    explorer.add_selected()
    assert list(builder.plan.entries["exercise"]) == ["bird_dog"]
    assert explorer.note_text == "Added Bird dog to your routine: 1 exercise, about 1.8 minutes."


def test_an_explorer_without_a_routine_offers_no_add_button(explorer):
    assert not hasattr(explorer, "_add")
    assert not any("bg-add" in getattr(w, "_dom_classes", ()) for w in _walk(explorer))


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


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
    # cat-cow 10 x (10 + 3) + 9 x 3 = 157 s (2.6 min shown), the walk 20 min, wolfe's
    # bridge 12 unheld reps x 3 s = 36 s (0.6): the heading adds what the rows show.
    assert b.summary() == "3 exercises, about 23.2 minutes"
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


def board(planner) -> dict[str, list[tuple[str, str]]]:
    """The board as a person reads it, without each day's head line."""
    return {day: lines[1:] for day, lines in planner.board_lines().items()}


def entry_box(planner, day: str, n: int):
    """The ``n``-th entry (from 0) on ``day``'s column."""
    column = planner._board.children[bg.schema.DAYS.index(day)]
    return [w for w in column.children if "bg-board-entry" in w._dom_classes][n]


def button(box, css: str):
    return next(w for w in _walk(box) if css in getattr(w, "_dom_classes", ()))


def test_adding_to_a_day_changes_board_chart_and_checklist(planner):
    chart, checklist = planner._charts[0].value, planner._checklist.value
    planner._day.value, planner._exercise.value = "Thursday", "fast_walking"
    planner._add.click()
    assert list(planner.plan.entries["exercise"]) == ["fast_walking"]
    assert ("entry", "Fast walking 20 min") in board(planner)["Thursday"]
    assert planner._charts[0].value != chart
    assert planner._checklist.value != checklist
    assert check_row(planner.check, "freeback_aerobic_time")["status"] == "met"


def test_an_addition_goes_to_the_session_the_person_chooses(planner):
    planner.start_from("gentle_start")
    day = "Tuesday"
    sessions = planner.plan.sessions().query("day == @day")
    assert len(sessions) >= 2, "Tuesday has a walk and a strength session"
    planner._day.value = day
    labels = [label for label, _ in planner._session.options]
    assert labels == [*sessions["session_name"], "A new session"]
    chosen = int(sessions["session"].iloc[-1])
    before = planner.plan.day(day)
    planner._session.value = chosen
    planner._exercise.value = "cat_cow"
    planner._add.click()
    after = planner.plan.day(day)
    assert len(after) == len(before) + 1
    last = after[after["session"] == chosen].iloc[-1]
    assert last["exercise"] == "cat_cow", "at the end of the chosen session"
    assert (after["session"] != chosen).sum() == (before["session"] != chosen).sum()
    planner._session.value = -1
    assert planner._new_name.layout.display == ""
    planner._new_name.value = "Evening stretch"
    planner._exercise.value = "childs_pose"
    planner._add.click()
    last = planner.plan.day(day).iloc[-1]
    assert (last["exercise"], last["session_name"]) == ("childs_pose", "Evening stretch")
    # Child's pose alone: 30 s held + 3 s to move = 33 s, 0.6 min.
    assert ("session", "Evening stretch (0.6 min)") in board(planner)[day]


@pytest.mark.parametrize("starter", bg.starter_plans())
def test_checklist_headline_counts_the_met_checks(planner, starter):
    planner.start_from(starter)
    check = bg.check_guidance(planner.plan, lib=LIB)
    met = int((check["status"] == "met").sum())
    assert f"Guidance: {met} of {len(check)} met" in text(planner._checklist.value)
    lines = re.findall(r"<li[^>]*>(.*?)</li>", planner._checklist.value)
    assert len(lines) == len(check), "one line per check"
    for line, r in zip(lines, check.itertuples()):
        titles = "; ".join(LIB.sources.at[s, "title"] for s in r.source.split(", "))
        assert r.message in text(line) and f"({titles})" in text(line)
        mark, label = STATUS[r.status]
        assert text(line).startswith(f"{mark} {label}")


def test_the_planner_headline_is_a_literal_count_and_an_empty_week_says_what_to_do(planner):
    planner.start_from("gentle_start")
    assert planner.checklist_text.startswith("Guidance: 9 of 11 met")
    assert planner.status_text.endswith("Guidance: 9 of 11 met.")


def test_an_empty_week_meets_nothing(planner):
    planner.set_plan(bg.Plan(name="Empty"))
    assert planner.status_text.endswith("see which guidance your week meets.")
    assert planner.checklist_text == ("Nothing planned yet: add an exercise to a day to see "
                                      "which guidance your week meets.")


def test_checklist_cites_sources_by_title_never_by_id(planner):
    planner.start_from("gentle_start")
    shown = text(planner._checklist.value)
    for source_id in LIB.sources.index:
        assert f"({source_id}" not in shown and f"; {source_id})" not in shown
    merged = planner.check[planner.check["guidance"].map(len) > 1]
    assert len(merged), "the shipped guidance has a check two articles share"


def test_the_board_reads_the_gentle_start_monday(planner):
    planner.start_from("gentle_start")
    # Each exercise's minutes by the dose rule, worked by hand: pelvic tilt 10 x (3 + 3) +
    # 9 x 3 = 87 s (1.5 shown); knee roll 2 x 5 x (5 + 3) + 9 x 3 = 107 s (1.8); single knee
    # to chest 2 x 3 x (20 + 3) + 5 x 3 = 153 s (2.6); cat-cow 77 s (1.3); child's pose
    # 30 + 3 = 33 s (0.6): 7.8 shown for the session, and the walk's 20 make 27.8 a day.
    assert planner.board_lines()["Monday"] == [
        ("day", "Monday 6 exercises, 27.8 min"),
        ("session", "Morning stretches (7.8 min)"),
        ("entry", "Pelvic tilt 10 reps, hold 3 s"),
        ("entry", "Knee roll 5 reps, hold 5 s, each side"),
        ("entry", "Single knee to chest 3 reps, hold 20 s, each side"),
        ("entry", "Cat-cow 5 reps, hold 10 s"),
        ("entry", "Child's pose 1 rep, hold 30 s"),
        ("session", "Walk (20 min)"),
        ("entry", "Fast walking 20 min"),
    ]


@pytest.mark.parametrize("starter", bg.starter_plans())
def test_every_total_on_the_board_adds_up_what_it_shows(planner, starter):
    """The day's minutes are the sum of its sessions' as shown, read off the board."""
    planner.start_from(starter)
    for day, lines in planner.board_lines().items():
        heads = [t for kind, t in lines if kind == "session"]
        if not heads:
            assert lines[1:] == [("note", "Rest day")] and lines[0] == ("day", day)
            continue
        parts = [float(re.search(r"\(([\d.]+) min\)$", h).group(1)) for h in heads]
        total = float(re.search(r", ([\d.]+) min$", lines[0][1]).group(1))
        assert round(sum(parts), 1) == total, (day, heads, lines[0])
        n = sum(kind == "entry" for kind, _ in lines)
        assert lines[0][1].startswith(f"{day} {n} exercise")


def test_each_entry_edits_its_dose_in_place(planner):
    planner.start_from("gentle_start")
    box = entry_box(planner, "Monday", 0)
    row = planner._row(("Monday", 0, 0))
    button(box, "bg-entry-edit").click()
    editor = button(entry_box(planner, "Monday", 0), "bg-entry-editor")
    field = "reps" if not planner.plan.entries.at[row, "minutes"] > 0 else "minutes"
    dose = button(editor, f"bg-dose-{field}")
    dose.value = 7
    assert planner.plan.entries.at[row, field] == 7
    assert planner.plan.entries.at[row, "dose_source"] == "custom"
    # Pelvic tilt, its reps now 7: the dose in words follows.
    assert board(planner)["Monday"][1] == ("entry", "Pelvic tilt 7 reps, hold 3 s")
    planner._undo.click()
    assert planner.plan.entries.at[row, field] != 7 or field == "minutes"


def test_each_entry_moves_copies_and_removes(planner):
    planner.start_from("gentle_start")
    before = planner.plan
    first = before.day("Monday").iloc[0]
    name = LIB.exercises.at[first["exercise"], "name"]
    button(entry_box(planner, "Monday", 0), "bg-entry-edit").click()
    editor = button(entry_box(planner, "Monday", 0), "bg-entry-editor")
    button(editor, "bg-move-day").value = "Saturday"
    button(editor, "bg-entry-move").click()
    assert len(planner.plan.day("Monday")) == len(before.day("Monday")) - 1
    assert first["exercise"] in set(planner.plan.day("Saturday")["exercise"])
    assert f"Moved {name} from Monday to Saturday" in text(planner._status.value)
    assert any(line[1].startswith(name) for line in board(planner)["Saturday"])
    # copy
    n_sat = len(planner.plan.day("Saturday"))
    button(entry_box(planner, "Saturday", n_sat - 1), "bg-entry-edit").click()
    editor = button(entry_box(planner, "Saturday", n_sat - 1), "bg-entry-editor")
    button(editor, "bg-move-day").value = "Sunday"
    button(editor, "bg-entry-copy").click()
    assert first["exercise"] in set(planner.plan.day("Sunday")["exercise"])
    assert first["exercise"] in set(planner.plan.day("Saturday")["exercise"])
    # remove
    n = len(planner.plan.entries)
    button(entry_box(planner, "Sunday", len(planner.plan.day("Sunday")) - 1),
           "bg-entry-remove").click()
    assert len(planner.plan.entries) == n - 1


def test_a_day_copies_onto_an_empty_day_without_a_question(planner):
    planner.start_from("gentle_start")
    monday = list(planner.plan.day("Monday")["exercise"])
    planner.plan = planner.plan.clear_day("Saturday")
    planner.refresh()
    planner._copy_from.value, planner._copy_to.value = "Monday", "Saturday"
    planner._copy.click()
    assert not planner._copy_ask.showing
    assert list(planner.plan.day("Saturday")["exercise"]) == monday
    assert "Copied Monday to Saturday" in text(planner._status.value)
    planner._copy_to.value = "Monday"
    planner._copy.click()
    assert "two different days" in text(planner._status.value)


@pytest.mark.parametrize("answer", ["replace-day", "add-day", "cancel"])
def test_copying_a_day_onto_a_day_with_sessions_asks_replace_or_add(planner, answer):
    planner.start_from("gentle_start")
    before = planner.plan
    monday = list(before.day("Monday")["exercise"])
    sunday = list(before.day("Sunday")["exercise"])
    sessions = before.day("Sunday")["session_name"].drop_duplicates().tolist()
    planner._copy_from.value, planner._copy_to.value = "Monday", "Sunday"
    planner._copy.click()
    ask = planner._copy_ask
    assert ask.showing and planner.plan == before, "nothing changes until it is answered"
    said = text(ask.question.value)
    assert said.startswith(f"Sunday already has {' and '.join(sessions)}.")
    assert "Replace" in said and "add Monday's after" in said
    button(ask, f"bg-ask-{answer}").click()
    assert not ask.showing
    got = list(planner.plan.day("Sunday")["exercise"])
    if answer == "replace-day":
        assert got == monday
        assert text(planner._status.value).startswith(
            f"Copied Monday to Sunday in place of {' and '.join(sessions)}.")
    elif answer == "add-day":
        assert got == sunday + monday
    else:
        assert planner.plan == before and got == sunday
        assert text(planner._status.value) == "Nothing copied."


def test_move_and_copy_go_to_the_session_the_person_chooses(planner):
    planner.start_from("gentle_start")
    plan = planner.plan
    monday = plan.day("Monday")
    wednesday = plan.sessions().query("day == 'Wednesday'")
    assert list(wednesday["session_name"]) == ["Morning stretches", "Walk"]
    cat = int(monday.index[monday["exercise"] == "cat_cow"][0])
    n = list(monday["exercise"]).index("cat_cow")
    button(entry_box(planner, "Monday", n), "bg-entry-edit").click()
    editor = button(entry_box(planner, "Monday", n), "bg-entry-editor")
    button(editor, "bg-move-day").value = "Wednesday"
    chooser = button(editor, "bg-move-session")
    # Wednesday's sessions, then a new one; its own session's namesake is chosen first.
    assert [label for label, _ in chooser.options] == ["Morning stretches", "Walk",
                                                       "A new session"]
    assert chooser.label == "Morning stretches"
    chooser.label = "Walk"
    button(editor, "bg-entry-move").click()
    walk = planner.plan.entries.query("day == 'Wednesday' and session_name == 'Walk'")
    assert list(walk["exercise"]) == ["fast_walking", "cat_cow"]
    assert text(planner._status.value).startswith(
        "Moved Cat-cow from Monday to Wednesday's Walk. Wednesday now has Cat-cow twice.")
    assert ("entry", "Cat-cow \u26a0 twice this day 5 reps, hold 10 s") in board(planner)[
        "Wednesday"]
    # Copy Tuesday's Cat-cow into a new session on Thursday.
    tuesday = list(planner.plan.day("Tuesday")["exercise"])
    n = tuesday.index("cat_cow")
    button(entry_box(planner, "Tuesday", n), "bg-entry-edit").click()
    editor = button(entry_box(planner, "Tuesday", n), "bg-entry-editor")
    button(editor, "bg-move-day").value = "Thursday"
    button(editor, "bg-move-session").label = "A new session"
    had = planner.plan.sessions().query("day == 'Thursday'").shape[0]
    button(editor, "bg-entry-copy").click()
    thursday = planner.plan.sessions().query("day == 'Thursday'")
    assert len(thursday) == had + 1
    assert thursday["session_name"].iloc[-1] == "Morning stretches"
    assert list(planner.plan.entries.query(
        f"day == 'Thursday' and session == {had}")["exercise"]) == ["cat_cow"]


def test_moving_without_a_session_never_lands_in_someone_elses_session(planner):
    planner.start_from("gentle_start")
    plan = planner.plan
    row = int(plan.day("Monday").index[plan.day("Monday")["exercise"] == "cat_cow"][0])
    # Friday's "Morning stretches" is the namesake; a day without one gets a new session.
    planner.plan = plan.clear_day("Friday").add("Friday", "fast_walking",
                                                session_name="Walk", lib=LIB)
    planner.refresh()
    planner.move(row, "Friday")
    friday = planner.plan.entries.query("day == 'Friday'")
    assert list(friday["session_name"].drop_duplicates()) == ["Walk", "Morning stretches"]
    assert list(friday.query("session_name == 'Walk'")["exercise"]) == ["fast_walking"]


@pytest.mark.parametrize("answer", ["replace-plan", "cancel"])
def test_loading_over_unsaved_edits_asks_first(planner, answer):
    planner.start_from("gentle_start")
    planner.save("Mine")
    planner.start_from("core_stability")
    assert not planner.unsaved
    planner.add("Monday", "fast_walking")
    edited = planner.plan
    planner._list_saved()
    planner._load.click()
    ask = planner._load_ask
    assert ask.showing and planner.plan == edited
    assert text(ask.question.value) == (
        "The changes to \u201cCore stability\u201d are not saved. Leave them and load it? "
        "(Undo would bring them back.)")
    button(ask, f"bg-ask-{answer}").click()
    if answer == "cancel":
        assert planner.plan == edited
        assert text(planner._status.value) == ("Nothing changed: the plan on the board "
                                               "is kept.")
    else:
        assert planner.plan.name == "Mine"
        planner.undo()
        assert planner.plan == edited


def test_focus_goes_to_what_just_opened(planner):
    planner.start_from("gentle_start")
    button(entry_box(planner, "Monday", 0), "bg-entry-edit").click()
    editor = button(entry_box(planner, "Monday", 0), "bg-entry-editor")
    first = editor.children[0]
    assert planner._focus.selector and planner._focus.selector[1:] in first._dom_classes
    # Enter in the reps box: the editor is made anew, and its reps box takes the focus.
    reps = button(editor, "bg-dose-reps")
    reps.value = reps.value + 1
    editor = button(entry_box(planner, "Monday", 0), "bg-entry-editor")
    assert planner._focus.selector[1:] in button(editor, "bg-dose-reps")._dom_classes
    # A question takes the focus on its first answer.
    planner._copy_from.value, planner._copy_to.value = "Monday", "Sunday"
    planner._copy.click()
    assert planner._focus.selector[1:] in button(planner._copy_ask,
                                                 "bg-ask-replace-day")._dom_classes


def test_charts_draw_the_plans_measures(planner):
    planner.start_from("core_stability")
    plan = planner.plan
    expected = (lambda ax: bg.plot_week(bg.day_minutes(plan, lib=LIB), ax=ax),
                lambda ax: bg.plot_category_days(bg.category_summary(plan, lib=LIB), ax=ax),
                lambda ax: bg.plot_muscle_volume(bg.muscle_minutes(plan, lib=LIB), ax=ax))
    for i, draw in enumerate(expected):
        planner._tabs.selected_index = i
        size, margins = CHART_LAYOUT[i]
        assert planner._charts[i].value == figure_svg(draw, size=size, **margins)


def test_other_charts_draw_when_their_tab_opens(planner):
    planner.add("Monday", "clamshell")
    stale = planner._charts[2].value
    planner._tabs.selected_index = 2
    assert planner._charts[2].value != stale and planner._charts[2].value.startswith("<svg")


def test_one_change_measures_the_plan_once(planner, monkeypatch):
    calls = {"measure_week": 0, "plan_table": 0}

    def counted(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    views = backguide.views.planner
    monkeypatch.setattr(views, "measure_week", counted("measure_week", views.measure_week))
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
        assert board(planner) == board(WeekPlanner(lib=LIB, plan=previous, folder=tmp_path))
    assert planner._undo.disabled
    planner._undo.click()
    assert "Nothing to undo" in planner._status.value and planner.plan == seen[0]


def test_starters_and_saved_plans_are_listed_by_their_names(planner, tmp_path):
    assert [label for label, _ in planner._starter.options] == [
        bg.load_starter(n).name for n in bg.starter_plans()]
    planner._starter.value = "core_stability"
    assert "Core stability" in text(planner._about.value)
    planner._start.click()
    planner.save("Ada's week")
    (label, key), = planner._saved.options
    assert label.startswith("Ada's week \u00b7 saved ")
    assert key == planner.store.path_for("Ada's week").stem


def test_names_that_once_shared_a_file_keep_their_own(planner, tmp_path):
    planner.start_from("gentle_start")
    names = ["Ada's week", "Ada s week", "ada-s-week", "日本語の計画", ".", ".."]
    for name in names:
        assert planner.save(name) is not None, planner.savebar.message.value
    listed = sorted(label.split(" \u00b7 ")[0] for label, _ in planner._saved.options)
    assert listed == sorted(names)
    assert len(list(tmp_path.glob("*.json"))) == len(names)
    assert {p.parent for p in tmp_path.rglob("*.json")} == {tmp_path}


def test_saving_over_a_different_plan_asks_first(planner, tmp_path):
    planner.start_from("gentle_start")
    first = planner.save("Ada's week")
    kept = first.read_bytes()
    planner.start_from("core_stability")
    assert planner.save("Ada's week") is None, "it stops to ask"
    assert planner.savebar.asking and "already saved" in text(planner.savebar.question.value)
    assert first.read_bytes() == kept, "nothing written before the answer"
    planner.savebar.cancel_button.click()
    assert first.read_bytes() == kept and not planner.savebar.asking
    planner.save("Ada's week")
    planner.savebar.replace_button.click()
    assert bg.load_plan(first, lib=LIB).entries.equals(planner.plan.entries)
    assert not planner.savebar.asking
    planner.add("Sunday", "cobra")
    assert planner.save("Ada's week") == first, "saving again the plan it came from asks nothing"


def test_a_blank_or_too_long_name_is_refused_and_the_plan_keeps_its_name(planner, tmp_path):
    planner.start_from("gentle_start")
    for name in (" ", "x" * 300):
        assert planner.save(name) is None
        assert "Not saved" in text(planner.savebar.message.value)
        assert planner.plan.name == "Gentle start"
    assert not list(tmp_path.glob("*.json"))


def test_routine_goes_on_a_day(tmp_path):
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


def test_warning_signs_come_from_the_guidance_table_only(monkeypatch):
    from backguide.views import red_flags, safety_note

    shown = red_flags(lib=LIB).value
    for statement in LIB.guidance.query("topic == 'red_flag'")["statement"]:
        assert statement.replace("'", "&#x27;") in shown
    g = LIB.guidance.copy()
    g.loc[g["topic"] == "red_flag", "statement"] = "A sign only this table has."
    other = bg.Library(LIB.exercises, LIB.sources, LIB.doses, g, LIB.poses)
    assert "A sign only this table has." in safety_note(lib=other).value
    assert "bladder" not in safety_note(lib=other).value.lower()


def test_the_planners_handout_holds_what_the_person_typed(planner):
    import subprocess
    import base64
    import datetime as dt

    planner.start_from("gentle_start")
    planner._handout_box.person.value = "Ada Lovelace"
    planner._handout_box.notes.value = "Walk after lunch."
    planner._handout_box.date.value = dt.date(2026, 11, 24)
    planner._handout_box.paper.value = "Letter"
    planner._handout_box.button.click()
    link = planner._handout_box.result.value
    assert 'download="' in link and "data:application/pdf;base64," in link
    assert "/" not in re.search(r'download="([^"]+)"', link).group(1)
    pdf = base64.b64decode(re.search(r"data:application/pdf;base64,([^\"]+)", link).group(1))
    words = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode()
    assert "Ada Lovelace" in words and "Walk after lunch." in words
    assert planner.plan.notes.startswith("Easy exercises only")
    assert "Easy exercises only" not in words, \
        "the starter's description is not printed as the clinician's notes"


def test_a_handout_made_before_a_change_is_taken_away(planner):
    """A download link left on the page after the week changed would hand out a
    week that is no longer the one on the board."""
    planner.start_from("gentle_start")
    planner._handout_box.button.click()
    assert "data:application/pdf" in planner._handout_box.result.value
    planner.add("Monday", "cobra")
    assert "data:application/pdf" not in planner._handout_box.result.value


def test_an_empty_week_has_no_handout(planner):
    planner._handout_box.button.click()
    assert "nothing to hand out" in text(planner._handout_box.result.value)


def test_saved_plans_show_one_chosen_when_the_planner_opens(tmp_path):
    """Opening the planner with plans already saved shows one in the box, ready to
    load, rather than an empty box whose Load says there is nothing."""
    first = WeekPlanner(folder=tmp_path)
    first.start_from("gentle_start")
    first.save("Ada's week")
    first.save("Bea's week")
    again = WeekPlanner(folder=tmp_path)
    assert again._saved.value in [k for _, k in again._saved.options]
    again.load(again._saved.value)
    assert again.plan.name in ("Ada's week", "Bea's week")


def test_a_new_routine_saved_under_an_old_routines_name_asks_first(tmp_path):
    """Saving again the routine that was saved asks nothing; a routine made afresh
    ("Make me a routine") under the same name asks before replacing it."""
    builder = RoutineBuilder(lib=LIB, folder=tmp_path)
    explorer = Explorer(lib=LIB, routine=builder)
    explorer.make_routine(10)
    builder.savebar.name.value = "Chair"
    first = builder.savebar.save()
    kept = first.read_bytes()
    builder.add("cat_cow")
    assert builder.savebar.save() == first, "the same routine, saved again"
    kept = first.read_bytes()
    explorer.make_routine(5)
    assert builder.savebar.save() is None and builder.savebar.asking
    assert "A different routine called \u201cChair\u201d" in text(builder.savebar.question.value)
    assert first.read_bytes() == kept


def test_the_planners_status_carries_the_guidance_headline(planner):
    planner.start_from("gentle_start")
    met, total = bg.measures.met_count(planner.check)
    assert text(planner._status.value).endswith(f"Guidance: {met} of {total} met.")


def test_the_card_shows_every_step_in_order_and_every_caution(explorer):
    explorer.select("cat_cow")
    card = explorer.card_text
    steps = ["Start on all fours with hands under shoulders and knees hip-width apart.",
             "Cat: draw your belly in and round your back up towards the ceiling, tucking "
             "your hips and letting your head drop. Hold.",
             "Cow: let your belly sink towards the floor, lift your tailbone and your head, "
             "and arch your back. Hold.",
             "Move slowly between the two, breathing out as you round and in as you arch."]
    at = [card.index(s) for s in steps]
    assert at == sorted(at), "the steps in their order"
    assert "Stop if it makes your pain worse." in card
    assert "Starting dose: 5 reps, hold 10 s (about 1.3 min)" in card


# --- the explorer reads sentences --------------------------------------------------------


def _floor_free() -> int:
    """Exercises not done on the floor, counted from the CSV's own positions."""
    import csv

    from conftest import DATA

    floor = {"lying on back", "lying face down", "side-lying", "all fours", "kneeling",
             "half-kneeling", "mixed"}
    with open(DATA / "exercises.csv", newline="") as f:
        return sum(row["position"] not in floor for row in csv.DictReader(f))


def test_cant_get_to_the_floor_hides_the_floor_and_says_so(explorer):
    explorer.search("I can't get down to the floor")
    assert explorer.chips == ("Not on the floor",)
    n = _floor_free()
    assert explorer.count_text == f"{n} of 39 exercises match"
    assert "Looking for: not on the floor." in explorer.advice_text


def test_a_chip_undone_widens_the_search(explorer):
    explorer.search("no floor please, lower back")
    assert explorer.chips == ("Not on the floor", "Lower back")
    narrowed = len(explorer.results)
    explorer.remove_part(0)
    assert explorer.chips == ("Lower back",)
    assert len(explorer.results) > narrowed
    explorer.search("no floor please")  # new words: every part counts again
    assert explorer.chips == ("Not on the floor",)


def test_a_time_is_for_the_session_and_offers_a_routine():
    builder = RoutineBuilder(lib=LIB)
    explorer = Explorer(lib=LIB, routine=builder)
    explorer.search("I have 10 minutes")
    assert explorer.count_text == "39 of 39 exercises match", "each exercise is not filtered"
    assert explorer.offer_text == "Make me a routine of about 10 minutes"


def test_what_the_guide_does_not_cover_shows_the_warning_signs(explorer):
    explorer.search("numbness in my leg")
    assert explorer.count_text == "0 of 39 exercises match" and explorer.chips == ()
    assert "This guide does not cover that." in explorer.advice_text
    assert "The warning signs to check first:" in explorer.advice_text


def test_a_row_of_the_results_opens_its_card(explorer):
    explorer.click_row("bird_dog")
    assert explorer.model.selected == "bird_dog"
    assert explorer.card_text.startswith("Bird dog strength · all fours · moderate")


def test_an_empty_routine_is_not_saved_and_says_why(tmp_path):
    b = RoutineBuilder(lib=LIB, folder=tmp_path)
    b.savebar.name.value = "Nothing yet"
    assert b.savebar.save() is None
    assert text(b.savebar.message.value) == ("Not saved: this routine has no exercises yet. "
                                             "Add an exercise first.")
    assert list(tmp_path.iterdir()) == [], "nothing written"
    b.add("cat_cow")
    assert b.savebar.save() is not None
    assert text(b.savebar.message.value) == "Saved \u201cNothing yet\u201d."
