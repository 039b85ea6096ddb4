"""The planner and the presenter over the journal: plans saved in it, and a session
recorded in it, as a person would do it."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import backguide as bg
from backguide.present import Presenter
from backguide.views.planner import WeekPlanner
from backguide.views.render import text_of

LIB = bg.load_library()


@pytest.fixture
def store(tmp_path):
    s = bg.open_store(folder=tmp_path / "home")
    yield s
    s.close()


def test_the_planner_saves_in_the_journal_and_a_second_kernel_is_asked(store, tmp_path):
    first = WeekPlanner(lib=LIB, store=store, folder=tmp_path / "none")
    first.start_from("gentle_start")
    assert first.save("Ada's week") is not None
    plans = store.read("plans")
    assert plans["name"].tolist() == ["Ada's week"]
    # Another kernel, another plan, the same name in other letters: asked, nothing lost.
    second = WeekPlanner(lib=LIB, store=store, folder=tmp_path / "none")
    second.start_from("core_stability")
    assert second.save("ada's  WEEK") is None
    assert second.savebar.asking
    assert "A different plan called \u201cAda's week\u201d is already saved" in \
        text_of(second.savebar.question.value)
    assert store.read("plans").equals(plans)
    second.savebar.replace_button.click()
    assert store.read("plans")["version"].tolist() == [1, 2]
    # The first kernel lists it under the one name, and loads the newest.
    first._list_saved()
    assert [label.split(" \u00b7 ")[0] for label, _k in first._saved.options] == [
        "ada's  WEEK"]
    first.load(first._saved.value)
    assert first.plan.entries.equals(bg.load_starter("core_stability").entries)


def test_a_saved_plan_folder_is_brought_in_once_and_a_broken_file_is_listed(store, tmp_path):
    folder = tmp_path / "saved_plans"
    folder.mkdir()
    bg.save_plan(bg.load_starter("gentle_start").replace(name="Old week"), folder / "old.json")
    (folder / "broken.json").write_text("{not json")
    planner = WeekPlanner(lib=LIB, store=store, folder=folder)
    labels = [label for label, _k in planner._saved.options]
    assert labels[0].startswith("Old week \u00b7 saved ")
    assert labels[1] == "broken.json \u00b7 cannot be read"
    WeekPlanner(lib=LIB, store=store, folder=folder)  # opened again: nothing twice
    assert store.read("plans")["name"].tolist() == ["Old week"]
    planner._saved.value = planner._saved.options[1][1]
    planner._load.click()
    assert "broken.json" in planner.status_text and planner.plan.is_empty
    assert json.loads((folder / "old.json").read_text())["name"] == "Old week", "kept"


def test_the_presenter_records_the_session_in_the_persons_journal(store, tmp_path):
    me = store.me()
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    store.set_plan(me, bg.load_starter("gentle_start"), starts=monday - dt.timedelta(days=7))
    store.save_plan(me, bg.load_starter("gentle_start").replace(name="My week"),
                    starts=monday - dt.timedelta(days=7))
    p = Presenter(lib=LIB, store=store, folder=tmp_path / "none")
    p.accept_safety()
    key = next(v for label, v in p.plan_choices if label == "Saved: My week")
    today = dt.date.today()
    p.begin(key, bg.schema.DAYS[today.weekday()])
    n = len(p.queue)
    p.timer.completed = list(range(len(p.timer.phases)))  # the first exercise, all of it
    for _ in range(n):
        p.next()
    assert p.stage == "summary"
    assert p.record()
    done = store.read("done", person=me)
    assert done["date"].unique().tolist() == [pd.Timestamp(today)]
    assert done["status"].tolist() == ["done"] + ["skipped"] * (n - 1)
    assert text_of(p._recorded.value).startswith(
        f"Recorded in the journal for {today:%A} {today.day} {today:%B}: Of {n} exercises: "
        f"1 done, 0 partly done, {n - 1} skipped.")
    # Recorded again (the same session): replaced, not doubled.
    assert p.record()
    assert len(store.read("done", person=me)) == n


def test_the_planner_saves_a_week_to_follow_and_the_builder_a_routine_to_keep(store, tmp_path):
    from backguide.views.builder import RoutineBuilder
    planner = WeekPlanner(lib=LIB, store=store, folder=tmp_path / "none")
    follow = planner.savebar.follow
    assert follow.layout.display != "none" and follow.value
    assert follow.description == "Follow this plan from today (your check-in asks about it)"
    planner.start_from("gentle_start")
    planner.save("My week")
    assert text_of(planner.savebar.message.value) == (
        "Saved \u201cMy week\u201d. Your check-in asks about it from today.")
    assert store.plan(store.me()).name == "My week"
    # Another plan on screen: a draft, not followed unless ticked; "My week" again is.
    planner.start_from("core_stability")
    planner.savebar.name.value = "Later week"
    assert not follow.value
    planner.savebar.name.value = "my WEEK"
    assert follow.value
    planner.savebar.name.value = "Later week"
    planner.save("Later week")
    assert text_of(planner.savebar.message.value) == "Saved \u201cLater week\u201d."
    assert store.plan(store.me()).name == "My week"
    # The routine builder keeps routines in the saved-plan folder, which the planner
    # brings into the journal: kept under their names, never followed unasked.
    builder = RoutineBuilder(lib=LIB, folder=tmp_path / "saved_plans")
    builder.add("cat_cow")
    assert builder.savebar.follow.layout.display == "none"
    builder.savebar.name.value = "Morning routine"
    assert builder.savebar.save() is not None
    WeekPlanner(lib=LIB, store=store, folder=tmp_path / "saved_plans")
    assert store.plan_names(store.me()) == ["Later week", "Morning routine", "My week"]
    assert store.plan(store.me()).name == "My week"
    assert store.read("plans")["follow"].tolist() == [True, False, False]


def test_the_presenter_offers_to_follow_the_plan_shown_when_none_is_followed(store, tmp_path):
    me = store.me()
    today = dt.date.today()
    weekday = bg.schema.DAYS[today.weekday()]
    p, record = _summary_of(store, tmp_path, "starter:gentle_start", weekday)
    assert record.description == "Follow this plan from today and record this session"
    record.click()
    n = len(p.queue)
    assert text_of(p._recorded.value) == (
        f"Recorded in the journal for {today:%A} {today.day} {today:%B}: Of {n} exercises: "
        f"0 done, 0 partly done, {n} skipped. You now follow \u201cGentle start\u201d "
        "from today.")
    assert store.plan(me).name == "Gentle start"
    assert len(store.read("done", person=me)) == n


def test_a_single_exercise_is_not_recorded_when_no_plan_is_followed(store, tmp_path):
    p, record = _summary_of(store, tmp_path, exercise="cat_cow")
    assert record.layout.display == "none"
    assert text_of(p._recorded.value) == (
        "Not recorded in the journal: no plan is followed yet. Present a day of a plan to "
        "follow it from here, or choose one in the check-in.")
    assert store.plan(store.me()) is None and store.read("done").empty


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_the_presenter_records_only_what_the_followed_plan_holds(store, tmp_path):
    """Following Gentle start: a single bird dog (not in it) is not recorded, and says
    why; a day of Core stability offers to follow that plan instead, and does."""
    me = store.me()
    today = dt.date.today()
    weekday = bg.schema.DAYS[today.weekday()]
    store.set_plan(me, bg.load_starter("gentle_start"), starts=today)
    p, record = _summary_of(store, tmp_path, exercise="bird_dog")
    assert record.layout.display == "none"
    assert text_of(p._recorded.value) == (
        "Not recorded in the journal: this exercise is not in \u201cGentle start\u201d, the "
        "plan followed today, and the journal keeps what was done of that plan.")
    p, record = _summary_of(store, tmp_path, "starter:core_stability", weekday)
    assert record.description == "Follow this plan instead from today, and record this session"
    record.click()
    assert text_of(p._recorded.value).endswith(
        "You now follow \u201cCore stability\u201d from today.")
    assert store.plan(me).name == "Core stability"
    assert set(store.read("done", person=me)["exercise"]) == set(p.queue["exercise"])


def _summary_of(store, tmp_path, plan="", day="Monday", exercise=""):
    """A presenter taken through a session to its summary; and its Record button."""
    p = Presenter(lib=LIB, store=store, folder=tmp_path / "none")
    p.accept_safety()
    p.begin(plan or "starter:gentle_start", day, exercise)
    for _ in range(len(p.queue)):
        p.next()
    return p, next(w for w in _walk(p) if "bg-record" in getattr(w, "_dom_classes", ()))


def test_the_planner_opens_on_the_plan_followed(store, tmp_path):
    me = store.me()
    week = bg.load_starter("core_stability").replace(name="My week")
    store.save_plan(me, week, follow=True)
    planner = WeekPlanner(lib=LIB, store=store, folder=tmp_path / "none")
    assert planner.plan == week and not planner.unsaved
    assert planner.status_text.startswith("Showing the plan you follow: \u201cMy week\u201d.")
    assert planner._saved.label.startswith("My week \u00b7 saved ")
    planner.add("Monday", "cat_cow")
    assert planner.save() is not None, "saved over its own name without asking"
    assert store.plan(me).entries["exercise"].tolist().count("cat_cow") == (
        week.entries["exercise"].tolist().count("cat_cow") + 1)
