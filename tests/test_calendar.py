"""The plan's calendar, read back with vobject (a second, independent parser) and its
recurrences expanded with dateutil, against dates worked out here."""

from __future__ import annotations

import datetime as dt
from itertools import islice

import pandas as pd
import pytest
import vobject

import backguide as bg
from backguide.ical import calendar_filename, plan_calendar
from backguide.journal.columns import COLUMNS
from backguide.journal.next_week import propose_next

START = dt.date(2026, 3, 4)  # a Wednesday
AT = dt.time(7, 30)
STAMP = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def _plan(name="Mine") -> bg.Plan:
    """Monday: two sessions (cat-cow + pelvic tilt, then a walk); Thursday: a clamshell;
    Saturday: cat-cow."""
    return (bg.Plan(name=name)
            .add("Monday", "cat_cow", session_name="Warm-up")
            .add("Monday", "pelvic_tilt")
            .add("Monday", "fast_walking", session="new", session_name="Walk")
            .add("Thursday", "clamshell", session_name="Strength")
            .add("Saturday", "cat_cow", session_name="Stretch"))


def _read(data: bytes):
    assert isinstance(data, bytes)
    return vobject.readOne(data.decode("utf-8"))


def _events(data: bytes) -> dict[str, object]:
    """The events by summary."""
    return {str(e.summary.value): e for e in _read(data).vevent_list}


def _expand(event, weeks: int = 3) -> list[dt.datetime]:
    first = dt.datetime.combine(START, dt.time(0))
    last = first + dt.timedelta(weeks=weeks)
    return list(event.getrruleset(addRDate=True).between(first, last, inc=True))


def test_weekly_events_on_the_plans_days_at_the_time_chosen():
    data = plan_calendar(_plan(), start=START, at=AT, stamp=STAMP)
    events = _events(data)
    # Minutes as the board shows them: cat-cow 1.3 + pelvic tilt 1.5 = 2.8, a walk 20,
    # a clamshell 1 (10 reps each side), cat-cow alone 1.3; each event lasts them
    # rounded up to a whole minute.
    week = bg.week_content(_plan())
    assert [s.heading for d in week.days for s in d.sessions] == [
        "Warm-up (2.8 min)", "Walk (20 min)", "Strength (1 min)", "Stretch (1.3 min)"]
    assert sorted(events) == ["Strength (1 min) \u00b7 backguide",
                              "Stretch (1.3 min) \u00b7 backguide",
                              "Walk (20 min) \u00b7 backguide",
                              "Warm-up (2.8 min) \u00b7 backguide"]
    warm, walk, strength, stretch = (
        events[f"{h} \u00b7 backguide"] for h in
        ("Warm-up (2.8 min)", "Walk (20 min)", "Strength (1 min)", "Stretch (1.3 min)"))
    # From Wednesday 4 March 2026 the first Monday is the 9th and the first Thursday the 5th.
    mondays = [dt.datetime(2026, 3, d, 7, 30) for d in (9, 16, 23)]
    assert _expand(warm) == mondays
    # the walk follows the warm-up: 7:30 + 3 whole minutes
    assert _expand(walk) == [m + dt.timedelta(minutes=3) for m in mondays]
    assert _expand(strength) == [dt.datetime(2026, 3, d, 7, 30) for d in (5, 12, 19)]
    assert _expand(stretch) == [dt.datetime(2026, 3, d, 7, 30) for d in (7, 14, 21)]
    for event, minutes in ((warm, 3), (walk, 20), (strength, 1), (stretch, 2)):
        assert event.dtend.value - event.dtstart.value == dt.timedelta(minutes=minutes)
        assert event.dtstart.value.tzinfo is None, "floating local time"
    assert str(warm.rrule.value) == "FREQ=WEEKLY;BYDAY=MO"
    assert str(strength.rrule.value) == "FREQ=WEEKLY;BYDAY=TH"
    assert str(stretch.rrule.value) == "FREQ=WEEKLY;BYDAY=SA"


def test_the_description_lists_the_sessions_exercises_and_doses():
    events = _events(plan_calendar(_plan(), start=START, at=AT, stamp=STAMP))
    warm = str(events["Warm-up (2.8 min) \u00b7 backguide"].description.value)
    lines = warm.splitlines()
    assert lines[:3] == ["2 exercises, 2.8 min:",
                         "- Cat-cow: 5 reps, hold 10 s (1.3 min)",
                         "- Pelvic tilt: 10 reps, hold 3 s (1.5 min)"]
    assert "stop" in lines[-1].lower(), "the stop rule closes the description"
    walk = str(events["Walk (20 min) \u00b7 backguide"].description.value)
    assert walk.splitlines()[:2] == ["1 exercise, 20 min:", "- Fast walking: 20 min"]
    strength = str(events["Strength (1 min) \u00b7 backguide"].description.value)
    assert "- Clamshell: 10 reps, each side (1 min)" in strength.splitlines()


def test_each_event_has_a_display_alarm_before_it():
    for minutes in (15, 0, 45):
        events = _events(plan_calendar(_plan(), start=START, at=AT, alarm_minutes=minutes,
                                       stamp=STAMP))
        for event in events.values():
            alarms = event.valarm_list
            assert len(alarms) == 1
            assert alarms[0].action.value == "DISPLAY"
            assert alarms[0].trigger.value == dt.timedelta(minutes=-minutes)
            assert alarms[0].description.value


def _uids(data: bytes) -> dict[str, str]:
    return {str(e.dtstart.value.strftime("%a")) + str(e.summary.value).split(" (")[0]:
            str(e.uid.value) for e in _read(data).vevent_list}


def test_uids_are_stable_across_exports_and_changes():
    plan = _plan()
    one = plan_calendar(plan, start=START, at=AT, stamp=STAMP)
    two = plan_calendar(plan, start=dt.date(2026, 4, 1), at=dt.time(18, 0))
    assert _uids(one) == _uids(two)
    assert len(set(_uids(one).values())) == 4, "one UID per session"
    assert all(u.startswith("backguide-") and u.endswith("@backguide")
               for u in _uids(one).values())
    # a dose changed: the same events, updated
    changed = plan.set_dose(0, reps=7)
    three = plan_calendar(changed, start=START, at=AT)
    assert _uids(three) == _uids(one)
    warm = next(e for k, e in _events(three).items() if k.startswith("Warm-up ("))
    assert "- Cat-cow: 7 reps, hold 10 s" in str(warm.description.value)
    # next week's plan, "Mine (from 2026-03-09)", updates the same events
    empty = {t: pd.DataFrame(columns=list(COLUMNS[t])) for t in ("done", "pain", "signs")}
    proposed, _ = propose_next(plan, **empty, today=dt.date(2026, 3, 8))
    assert proposed.name == "Mine (from 2026-03-09)"
    assert _uids(plan_calendar(proposed, start=START, at=AT)) == _uids(one)
    assert calendar_filename(proposed) == calendar_filename(plan)
    # another plan's events are other events
    assert set(_uids(plan_calendar(_plan("Yours"), start=START, at=AT)).values()).isdisjoint(
        _uids(one).values())


def test_a_later_export_has_a_later_stamp_and_sequence():
    early = _read(plan_calendar(_plan(), start=START, at=AT, stamp=STAMP)).vevent_list[0]
    later = _read(plan_calendar(_plan(), start=START, at=AT,
                                stamp=STAMP + dt.timedelta(days=1))).vevent_list[0]
    assert early.dtstamp.value == STAMP
    assert later.dtstamp.value == STAMP + dt.timedelta(days=1)
    assert int(later.sequence.value) - int(early.sequence.value) == 24 * 60


def test_a_time_zone_gives_tzid_and_vtimezone():
    data = plan_calendar(_plan(), start=START, at=AT, tz="Europe/London", stamp=STAMP)
    text = data.decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert "DTSTART;TZID=Europe/London:20260309T073000" in text
    warm = _events(data)["Warm-up (2.8 min) \u00b7 backguide"]
    # 7:30 on the wall clock each Monday, across the change to summer time on 29 March
    got = [d.replace(tzinfo=None) for d in islice(warm.getrruleset(addRDate=True), 4)]
    assert got == [dt.datetime(2026, 3, d, 7, 30) for d in (9, 16, 23, 30)]


def test_an_empty_plan_is_refused_with_a_clear_message():
    with pytest.raises(bg.BackguideError, match="at least one exercise on a day"):
        plan_calendar(bg.Plan(name="Nothing"), start=START, at=AT)


@pytest.mark.parametrize("kw, field", [
    ({"at": "07:30"}, "at"), ({"start": "2026-03-04"}, "start"),
    ({"alarm_minutes": -5}, "alarm_minutes"), ({"tz": "Mars/Olympus"}, "tz"),
    ({"at": dt.time(23, 50)}, "at"),  # Monday's sessions would run past midnight
])
def test_bad_arguments_are_refused_naming_the_field(kw, field):
    args = {"start": START, "at": AT, **kw}
    with pytest.raises(bg.BackguideError, match=f"^{field}: found"):
        plan_calendar(_plan(), **args)


def test_the_file_name_is_the_plans_stem():
    name = calendar_filename(bg.Plan(name="Ada's week"))
    assert name.startswith("ada-s-week-") and name.endswith(".ics")
    assert len(name) == len("ada-s-week-") + 8 + len(".ics")
