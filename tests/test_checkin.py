"""The check-in and progress pages, driven as a person would, against a real store.

Expected numbers are worked out here from what the test entered."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import vobject
from sqlalchemy.exc import OperationalError

import backguide as bg
from backguide.views.checkin import CheckIn
from backguide.views.progress import ProgressView

MONDAY = dt.date(2026, 11, 30)  # a Monday
GENTLE_MONDAY = ["Pelvic tilt 10 reps, hold 3 s", "Knee roll 5 reps, hold 5 s, each side",
                 "Single knee to chest 3 reps, hold 20 s, each side",
                 "Cat-cow 5 reps, hold 10 s", "Child's pose 1 rep, hold 30 s",
                 "Fast walking 20 min"]


@pytest.fixture
def store(tmp_path):
    s = bg.open_store(folder=tmp_path)
    yield s
    s.close()


@pytest.fixture
def person(store):
    me = store.me()
    store.set_plan(me, bg.load_starter("gentle_start"), starts=MONDAY)
    return me


def test_the_days_exercises_are_the_plans_for_that_weekday(store, person):
    page = CheckIn(store, person, today=MONDAY)
    assert page.rows_text == GENTLE_MONDAY
    # Tuesday's plan is another list: the page follows the day chosen.
    page.day.value = MONDAY + dt.timedelta(days=1)
    assert [r.split(" ")[0] for r in page.rows_text] == [
        "Pelvic", "Knee", "Single", "Cat-cow", "Child's", "Glute", "Clamshell"]


def test_a_check_in_is_saved_whole(store, person):
    page = CheckIn(store, person, today=MONDAY)
    for _x, status, felt in page._rows:
        status.value, felt.value = "done", "about right"
    page._rows[1][1].value = "partly"
    page._rows[2][1].value = "skipped"
    page.pain.value = "6"
    assert page.save()
    assert page.message_text == ("Saved your check-in for Monday 30 November. Of 6 "
                                 "exercises: 4 done, 1 partly done, 1 skipped.")
    done = store.read("done", person=person)
    assert list(done["status"]) == ["done", "partly", "skipped", "done", "done", "done"]
    assert done["felt"].isna().tolist() == [False, False, True, False, False, False]
    assert store.read("pain", person=person)["nprs"].tolist() == [6]


def test_nothing_ticked_saves_nothing_and_says_so(store, person):
    page = CheckIn(store, person, today=MONDAY)
    assert not page.save()
    assert page.message_text.startswith("Nothing to save yet")
    assert store.read("done").empty and store.read("pain").empty


def test_a_warning_sign_stops_the_check_in_with_its_advice_and_is_recorded(store, person):
    page = CheckIn(store, person, today=MONDAY)
    sign = bg.safety_content().signs[0]
    page._signs[0].value = True
    said = re.sub(r"<[^>]+>", " ", page._advice.value)
    assert "Stop here: do not exercise today." in said
    assert sign.advice.split(".")[0] in said
    assert "It is recorded in your journal." in said
    assert page._body.layout.display == "none"
    signs = store.read("signs", person=person)
    assert signs["sign"].tolist() == [sign.id]
    assert signs["date"].tolist() == [pd.Timestamp(MONDAY)]
    page._signs[0].value = False  # ticked by mistake: taken back
    assert store.read("signs", person=person).empty
    assert page._body.layout.display == ""


def test_an_unreachable_database_keeps_what_was_typed(store, person, monkeypatch):
    page = CheckIn(store, person, today=MONDAY)
    page._rows[0][1].value, page._rows[0][2].value = "done", "easier"
    page.pain.value = "3"

    def down(*_a, **_k):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(store, "check_in", down)
    assert not page.save()
    assert "cannot be reached, so nothing was saved" in page.message_text
    assert (page._rows[0][1].value, page._rows[0][2].value, page.pain.value) == (
        "done", "easier", "3")
    monkeypatch.undo()
    assert page.save()
    assert store.read("pain", person=person)["nprs"].tolist() == [3]


def test_the_peg_comes_weekly_and_the_psfs_fortnightly(store, person):
    page = CheckIn(store, person, today=MONDAY)
    assert page._peg_box.layout.display == "" and page._psfs_box.layout.display == ""
    for b in page.peg.values():
        b.value = "5"
    page.psfs[0][0].value, page.psfs[0][1].value = "Walking to the shops", "4"
    assert page.save()
    later = CheckIn(store, person, today=MONDAY + dt.timedelta(days=3))
    assert later._peg_box.layout.display == "none", "asked again within the week"
    week = CheckIn(store, person, today=MONDAY + dt.timedelta(days=7))
    assert week._peg_box.layout.display == "" and week._psfs_box.layout.display == "none"
    fortnight = CheckIn(store, person, today=MONDAY + dt.timedelta(days=14))
    assert fortnight._psfs_box.layout.display == ""
    assert fortnight.psfs[0][0].value == "Walking to the shops", "the activities come back"
    assert store.read("peg", person=person)["score"].tolist() == [5.0]


def _three_days(store, person):
    """Monday all done, Tuesday partly, Wednesday Cat-cow hurt more."""
    for i, (status, felt) in enumerate([("done", "about right"), ("partly", "about right"),
                                        ("done", "about right")]):
        day = MONDAY + dt.timedelta(days=i)
        page = CheckIn(store, person, today=day)
        for x, s, f in page._rows:
            s.value, f.value = status, felt
            if i == 2 and x.exercise == "cat_cow":
                f.value = "hurt more"
        page.pain.value = str(6 - i)
        assert page.save()
    return page


def test_progress_reads_back_what_was_entered(store, person):
    _three_days(store, person)
    wednesday = MONDAY + dt.timedelta(days=2)
    view = ProgressView(store, person, today=wednesday)
    plan = bg.load_starter("gentle_start")
    planned = sum(len(plan.day(d)) for d in ("Monday", "Tuesday", "Wednesday"))
    lines = view.headline_text
    # Three days of the week: all of them reported, done or partly done.
    assert f"This week so far: {planned} of {planned} planned exercises done or partly done (100%)." \
        in lines
    mean = (6 + 5 + 4) / 3
    assert f"Pain this week {mean:.1f} on average" in lines
    rows = {r[0]: r for r in view.changes_rows}
    assert rows["Cat-cow"][1] in ("easier", "stopped")
    assert "hurt more" in rows["Cat-cow"][4].lower()


def test_accepting_next_week_keeps_the_old_plan_and_starts_next_monday(store, person):
    _three_days(store, person)
    wednesday = MONDAY + dt.timedelta(days=2)
    view = ProgressView(store, person, today=wednesday)
    view.accept.click()
    plans = store.read("plans", person=person)
    assert plans["version"].tolist() == [1, 2]
    assert plans["starts"].tolist() == [pd.Timestamp(MONDAY), pd.Timestamp(2026, 12, 7)]
    assert "Next week's plan starts on Monday 7 December." in re.sub(
        r"<[^>]+>", "", view.message.value)
    # Not offered twice: the page says it is set, and Accept is off.
    assert view.accept.disabled
    assert "Next week's plan is set: it starts on Monday 7 December." in re.sub(
        r"<[^>]+>", "", view.changes.value)
    view.accept.click()
    assert store.read("plans", person=person)["version"].tolist() == [1, 2]
    # A routine saved for later (not followed, starting later) changes nothing here.
    store.save_plan(person, bg.Plan(name="Routine").add("Monday", "cat_cow"),
                    starts=wednesday + dt.timedelta(days=6))
    view.refresh()
    assert view.accept.disabled
    # A plan followed from today takes over from the accepted one: it will never
    # apply, so next week is proposed again.
    store.follow(person, "Routine", starts=wednesday)
    view.refresh()
    assert not view.accept.disabled, view.changes.value
    assert "Next week's plan is set" not in re.sub(r"<[^>]+>", "", view.changes.value)


def test_the_calendar_downloads_and_reads_back(store, person):
    view = ProgressView(store, person, today=MONDAY)
    view.at.value = dt.time(7, 30)
    data = view.calendar_file()
    assert 'download="' in view.calendar.value and ".ics" in view.calendar.value
    cal = vobject.readOne(data.decode())
    first = sorted(ev.dtstart.value for ev in cal.vevent_list)[0]
    assert first == dt.datetime(2026, 12, 1, 7, 30), "Tuesday, the day after, at 7:30"


def test_another_day_shows_what_that_day_holds_and_nothing_of_the_last(store, person):
    page = CheckIn(store, person, today=MONDAY + dt.timedelta(days=1))
    page.day.value = MONDAY
    page._rows[0][1].value, page._rows[0][2].value = "done", "harder"
    page.pain.value = "7"
    assert page.save()
    page.day.value = MONDAY + dt.timedelta(days=1)  # Tuesday: blank, the message gone
    assert page.pain.value is None and page.message_text == ""
    assert all(s.value is None for _x, s, _f in page._rows)
    page.day.value = MONDAY  # back: as saved
    assert page.pain.value == "7"
    assert (page._rows[0][1].value, page._rows[0][2].value) == ("done", "harder")
    assert [s.value for _x, s, _f in page._rows[1:]] == [None] * 5


def test_a_sign_recorded_shows_again_and_redraws_next_week(store, person):
    seen = []
    page = CheckIn(store, person, today=MONDAY, on_saved=lambda: seen.append(1))
    page._signs[2].value = True
    assert seen == [1], "the progress and next week are redrawn"
    again = CheckIn(store, person, today=MONDAY)
    assert again._signs[2].value and again._body.layout.display == "none"
    assert "Stop here" in again._advice.value


def _shown(widget) -> str:
    """The text of every visible HTML widget on the page, in order."""
    out = []

    def walk(w):
        if getattr(getattr(w, "layout", None), "display", "") == "none":
            return
        if isinstance(w, __import__("ipywidgets").HTML):
            out.append(re.sub(r"<[^>]+>", "", w.value))
        for c in getattr(w, "children", ()):
            walk(c)
    walk(widget)
    return " ".join(out)


def test_a_routine_saved_is_not_followed_until_chosen_on_the_check_in(store):
    """Saving a routine keeps it under its name; the check-in offers the saved plans
    and follows the one chosen, from the day on screen."""
    from backguide.journal.plans import JournalPlans
    me = store.me()
    plans = JournalPlans(store, me)
    plans.save(bg.Plan(name="Morning routine").add("Monday", "cat_cow"))
    plans.save(bg.load_starter("gentle_start").replace(name="My week"))
    page = CheckIn(store, me, today=MONDAY)
    assert page.rows_text == []
    assert "You are not following a plan yet" in _shown(page)
    assert [label.split(" \u00b7 ")[0] for label, _k in page._choose.options] == [
        "Morning routine", "My week"]
    page._choose.value = plans.key_for("My week")
    page._follow.click()
    assert page.rows_text == GENTLE_MONDAY
    assert page.message_text == "You now follow \u201cMy week\u201d from Monday 30 November."
    assert "From your plan \u201cMy week\u201d." in _shown(page)
    assert store.plan(me, on=MONDAY).name == "My week"
    assert store.plan(me, on=MONDAY - dt.timedelta(days=1)) is None
    # The week planner's list says which plan is followed now.
    labels = [label for label, _k in plans.labels()]
    assert labels[1].startswith("My week \u00b7 saved ")
    assert labels[1].endswith(" \u00b7 followed now") and "followed" not in labels[0]


def test_with_nothing_saved_the_check_in_says_how_to_make_a_plan(store):
    page = CheckIn(store, store.me(), today=MONDAY)
    assert "No plan yet: make one in the week planner and save it with \u201cFollow this " \
           "plan\u201d ticked." in _shown(page)
    assert page._chooser not in page._exercises.children


def test_a_day_before_the_plan_followed_offers_no_other_plan(store):
    """Following another plan from an earlier day would take over from today's too."""
    me = store.me()
    store.set_plan(me, bg.load_starter("gentle_start"), starts=MONDAY)
    from backguide.journal.plans import JournalPlans
    JournalPlans(store, me).save(bg.Plan(name="Morning routine").add("Monday", "cat_cow"))
    page = CheckIn(store, me, today=MONDAY + dt.timedelta(days=2))
    page.day.value = MONDAY - dt.timedelta(days=1)
    assert "No plan was followed on Sunday 29 November: you follow \u201cGentle start\u201d " \
           "from a later day." in _shown(page)
    assert page._chooser not in page._exercises.children
    assert store.plan(me, on=MONDAY + dt.timedelta(days=2)).name == "Gentle start"
