"""A plan's sessions as an iCalendar file: weekly events with a reminder.

One event per session of the week (a day's session number ``n``), repeating
every week on its day (``RRULE:FREQ=WEEKLY;BYDAY=MO``) from the first such
day on or after ``start``, at the time the person chose (a day's later sessions
follow its first, one after another).  Its summary is the
session's heading as the planner's board shows it ("Warm-up (2.8 min) ·
backguide"), its description the session's exercises with their doses and
minutes, from :func:`backguide.content.week.week_content`, so the numbers
match the board's.  It ends after the session's minutes rounded up to a
whole minute, and a display alarm reminds the person beforehand.

Updating, not doubling
----------------------
A calendar program knows an event by its UID.  Each UID is made from the
plan's name key (:func:`backguide.store.name_key`, without the "(from
<date>)" that next week's plan adds), the day and the session number, never
from the time or at random: export the plan again after a change and the
calendar's events are updated in place.  ``SEQUENCE`` is the whole minutes
from 2020-01-01 (UTC) to the export's ``DTSTAMP``, so a later export always
supersedes an earlier one without anything being remembered between exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import zoneinfo
from decimal import Decimal

from icalendar import Alarm, Calendar, Event, vRecur

from .content.safety import safety_content
from .content.week import SessionLine, week_content
from .errors import BackguideError
from .journal.next_week import base_name
from .library import Library, resolve
from .plan import Plan
from .store import file_stem, name_key
from .words import count

__all__ = ["PRODID", "calendar_filename", "plan_calendar", "session_uid"]

PRODID = "-//backguide//Back exercise plan//EN"
#: The end of every summary, so the events are known for what they are.
SUFFIX = " \u00b7 backguide"
_BYDAY = {"Monday": "MO", "Tuesday": "TU", "Wednesday": "WE", "Thursday": "TH",
          "Friday": "FR", "Saturday": "SA", "Sunday": "SU"}
_WEEKDAY = {d: i for i, d in enumerate(_BYDAY)}
#: How many years of the time zone's changes a file with ``tz`` carries.
YEARS_OF_ZONE_RULES = 10
_SEQUENCE_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


def session_uid(plan_name: str, day: str, session: int) -> str:
    """The UID of ``day``'s session number ``session`` of a plan called ``plan_name``.

    The same for every export, and for every plan version that keeps the name.

    >>> session_uid("My week", "Monday", 0) == session_uid(" my  WEEK (from 2026-03-09)",
    ...                                                    "Monday", 0)
    True
    """
    key = f"{base_name(name_key(plan_name))}\x1f{day}\x1f{session}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"backguide-{digest}@backguide"


def calendar_filename(plan: Plan) -> str:
    """The file name to offer for ``plan``'s calendar: "my-week-1a2b3c4d.ics".

    The same for every version of the plan, like its UIDs.
    """
    return f"{file_stem(base_name(plan.name))}.ics"


def _whole_minutes(shown: str) -> int:
    """Minutes as shown ("2.8") rounded up to a whole minute, at least 1."""
    return max(1, math.ceil(Decimal(shown or "0")))


def _description(session: SessionLine, stop_rule: str) -> str:
    lines = [f"{count(len(session.entries), 'exercise')}, {session.time}:"]
    lines += [f"- {e.name}: {e.dose}" + ("" if e.dose == e.time else f" ({e.time})")
              for e in session.entries]
    return "\n".join([*lines, "", stop_rule])


def _zone(tz) -> dt.tzinfo | None:
    if tz is None or isinstance(tz, dt.tzinfo):
        return tz
    try:
        return zoneinfo.ZoneInfo(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise BackguideError.at("tz", "a time zone such as Europe/London", value=tz) from None


def _check(plan, start, at, alarm_minutes) -> dt.date:
    if not isinstance(plan, Plan):
        raise BackguideError.at("plan", "a Plan", value=type(plan).__name__)
    if plan.is_empty:
        named = f"the plan \u201c{plan.name}\u201d" if plan.name.strip() else "the plan"
        raise BackguideError.at(named, "at least one exercise on a day to put in a calendar "
                                "(add an exercise to a day first)")
    if not isinstance(at, dt.time):
        raise BackguideError.at("at", "a time of day, such as datetime.time(7, 30)", value=at)
    if isinstance(start, dt.datetime):
        start = start.date()
    if not isinstance(start, dt.date):
        raise BackguideError.at("start", "a date, such as datetime.date(2026, 3, 9)",
                                value=start)
    if (isinstance(alarm_minutes, bool) or not isinstance(alarm_minutes, int)
            or not 0 <= alarm_minutes <= 24 * 60):
        raise BackguideError.at("alarm_minutes", "whole minutes from 0 to 1440",
                                value=alarm_minutes)
    return start


def plan_calendar(plan: Plan, *, start, at: dt.time, alarm_minutes: int = 15, tz=None,
                  stamp: dt.datetime | None = None, lib: Library | None = None) -> bytes:
    """The iCalendar file (RFC 5545) of ``plan``'s sessions, as bytes.

    Parameters
    ----------
    plan
        The plan; each of its sessions becomes an event repeating weekly.
    start
        The first day the calendar covers: each event starts on the first of
        its day on or after it.
    at
        The time each day's first session starts (a :class:`datetime.time`);
        the day's other sessions follow it, each after the one before ends.
    alarm_minutes
        How many minutes before a session its reminder shows (0 to 1440).
    tz
        ``None`` for floating local time (the person's own clock wherever
        they are), else a time zone name or ``tzinfo``: times then carry a
        ``TZID`` and the file its ``VTIMEZONE``.
    stamp
        When the file is made (``DTSTAMP``, and ``SEQUENCE`` from it); now
        by default.
    lib
        The library (names and minutes); by default the shipped one.

    Raises
    ------
    BackguideError
        An empty plan, or ``start``, ``at``, ``alarm_minutes`` or ``tz`` that
        is not what is asked for, named.
    """
    start = _check(plan, start, at, alarm_minutes)
    zone = _zone(tz)
    lib = resolve(lib)
    stamp = dt.datetime.now(dt.timezone.utc) if stamp is None else stamp
    if stamp.tzinfo is None:
        raise BackguideError.at("stamp", "a datetime with its time zone", value=stamp)
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)
    sequence = max(0, int((stamp - _SEQUENCE_FROM).total_seconds() // 60))
    stop_rule = safety_content(lib=lib).stop_rule

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{plan.name}{SUFFIX}")
    week = week_content(plan, lib=lib)
    for day in week.days:
        first = start + dt.timedelta(days=(_WEEKDAY[day.day] - start.weekday()) % 7)
        begins = dt.datetime.combine(first, at.replace(tzinfo=None, microsecond=0))
        for session in day.sessions:
            ends = begins + dt.timedelta(minutes=_whole_minutes(session.minutes))
            if ends.date() != first and ends.time() != dt.time(0):
                raise BackguideError.at("at", f"a time early enough for {day.day}'s sessions "
                                        f"to end by midnight ({day.minutes} min)", value=at)
            event = Event()
            event.add("uid", session_uid(plan.name, day.day, session.number))
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("summary", f"{session.heading}{SUFFIX}")
            event.add("description", _description(session, stop_rule))
            event.add("dtstart", begins.replace(tzinfo=zone))
            event.add("dtend", ends.replace(tzinfo=zone))
            event.add("rrule", vRecur(freq="WEEKLY", byday=_BYDAY[day.day]))
            event.add("transp", "OPAQUE")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{session.name} in {alarm_minutes} min" if alarm_minutes
                      else f"{session.name} now")
            alarm.add("trigger", dt.timedelta(minutes=-alarm_minutes))
            event.add_component(alarm)
            cal.add_component(event)
            begins = ends
    if zone is not None:
        # The zone's rules from the start's year, for as long as a plan is likely kept.
        cal.add_missing_timezones(first_date=dt.date(start.year, 1, 1),
                                  last_date=dt.date(start.year + YEARS_OF_ZONE_RULES, 1, 1))
    return cal.to_ical()
