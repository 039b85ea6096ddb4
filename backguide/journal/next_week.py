"""Next week's plan from the journal: what was done, how it felt, and how the back is.

:func:`propose_next` reads the last 7 days of one person's journal and
turns each exercise's reports into one of the reports the progression rule
knows (:mod:`backguide.progression`), so there is one rule, not two:

=====================================================  ==========================
the exercise, over the last 7 days                     next week
=====================================================  ==========================
"hurt more" on any day (done or partly)                easier: the easier version,
                                                       else back to the starting
                                                       dose, else stopped
done, and felt easier or about right (never harder)    harder at its cap (the
                                                       harder version), else a
                                                       dose step up
done only partly, skipped, not recorded, felt harder,  held
or done without saying how it felt
=====================================================  ==========================

Two things stop all progression and say to see a clinician instead (an
exercise that hurt more is still made easier or stopped):

* pain (NPRS, 0-10) this week up on the person's first week by the important
  change, as :func:`backguide.journal.measures.pain_change` judges it for the
  progress headline (2 points or 30%, by ``data/change_thresholds.csv``);
* any warning sign recorded in the week.

:func:`next_week` and :func:`accept_next` are the same for a store: the
proposal is only a proposal until it is accepted, and accepting it makes it
the person's next plan version (the old one stays).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..content.safety import safety_content
from ..errors import BackguideError
from ..library import Library, resolve
from ..plan import Plan
from ..progression import HELD, NotInPlan, _Rules
from ..schema import DAYS
from ..words import NO_DOSE, count, entry_dose_words
from .columns import FEELINGS, STATUSES, in_force
from .measures import pain_change
from .words import score_text

__all__ = ["CHANGES", "DEFAULT_NPRS", "accept_next", "base_name", "next_week",
           "propose_next"]

#: The changes table's columns.
CHANGES = ("exercise", "name", "change", "from", "to", "reason")
#: The NPRS's important change when no thresholds table is shipped: 2 points or 30%
#: (Farrar et al. 2001), as ``data/change_thresholds.csv`` has it.
DEFAULT_NPRS = pd.DataFrame({"measure": ["nprs"], "points": [2.0], "percent": [30.0],
                             "better": ["lower"]})
#: The thresholds table, beside the library's tables.
THRESHOLDS_FILE = "change_thresholds.csv"
#: How many days the proposal reads: today and the 6 before.
WINDOW_DAYS = 7
SEE_A_CLINICIAN = "see a clinician"
#: What every change says when progression stops.
STOPS = "Progression stops: see a clinician before any exercise gets harder."
_RANK_STATUS = {s: i for i, s in enumerate(reversed(STATUSES))}  # skipped 0 .. done 2
_RANK_FELT = {f: i for i, f in enumerate(FEELINGS)}  # easier 0 .. hurt more 3
_FROM = re.compile(r" \(from \d{4}-\d{2}-\d{2}\)$")


# --- reading the journal -------------------------------------------------------------


def _day(value, what: str = "today") -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise BackguideError.at(what, "a date such as 2026-03-09", value=value)
    return day.tz_localize(None).normalize() if day.tzinfo else day.normalize()


def _dated(table: pd.DataFrame, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """``table`` with its ``date`` as midnight timestamps, its columns checked."""
    missing = [c for c in ("date", *columns) if c not in table.columns]
    if missing:
        raise BackguideError.at(name, f"the journal's {name} table, with the columns "
                                f"{', '.join(('date', *columns))}",
                                column=missing[0])
    return table.assign(date=pd.to_datetime(table["date"]).dt.normalize())


def _one_person(**tables: pd.DataFrame) -> None:
    people = set()
    for t in tables.values():
        if "person" in t.columns:
            people |= set(t["person"].dropna())
    if len(people) > 1:
        raise BackguideError.at("person", "one person's journal (filter the tables by person "
                                "first)", value=", ".join(map(str, sorted(people, key=str))))


def _check_values(done: pd.DataFrame) -> None:
    for column, allowed in (("status", STATUSES), ("felt", FEELINGS)):
        values = done[column]
        bad = values.notna() & ~values.isin(allowed)
        if column == "status":
            bad |= values.isna()
        if bad.any():
            row = done[bad].iloc[0]
            raise BackguideError.at(f"done on {row['date']:%Y-%m-%d}",
                                    f"one of: {', '.join(allowed)}", column=column,
                                    value=row[column])


def _thresholds(thresholds: pd.DataFrame | None) -> pd.DataFrame | None:
    """The thresholds to judge pain by: those given, the shipped table (``None``),
    or :data:`DEFAULT_NPRS` where no table is shipped."""
    if thresholds is not None:
        return thresholds
    shipped = resources.files("backguide") / "data" / THRESHOLDS_FILE
    checkout = Path(__file__).resolve().parents[2] / "data" / THRESHOLDS_FILE
    return None if shipped.is_file() or checkout.is_file() else DEFAULT_NPRS.copy()


def base_name(name: str) -> str:
    """A plan's name without the " (from 2026-03-09)" :func:`propose_next` adds.

    >>> base_name("My week (from 2026-03-09)"), base_name("My week")
    ('My week', 'My week')
    """
    return _FROM.sub("", name)


def _long_date(day: pd.Timestamp) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _clinician_reasons(pain: pd.DataFrame, signs: pd.DataFrame, today: pd.Timestamp,
                       thresholds, lib: Library) -> list[str]:
    """Why progression stops this week: a rise in pain, a warning sign; empty if neither."""
    reasons = []
    start = today - pd.Timedelta(days=WINDOW_DAYS - 1)
    pain = pain[(pain["date"] <= today) & pain["nprs"].notna()]
    if not pain.empty:
        # The headline's own measure, so what the person reads and this rule agree.
        ch = pain_change(pain.assign(person=0), thresholds=_thresholds(thresholds)).iloc[0]
        if ch["direction"] == "worse" and pd.Timestamp(ch["last_date"]) >= start:
            was, now = score_text(ch["start"]), score_text(ch["now"])
            reasons.append(f"Pain this week {now} on average, up from {was} in your first "
                           f"week: an important rise (from {was}, {ch['threshold']:g} points "
                           "or more is important).")
    signs = signs[(signs["date"] >= start) & (signs["date"] <= today)].sort_values("date")
    if not signs.empty:
        known = {s.id: s for s in safety_content(lib=lib).signs}
    for day, sign in zip(signs["date"], signs["sign"]):
        words = f"{known[sign].sign}. {known[sign].advice}" if sign in known else str(sign)
        reasons.append(f"Warning sign on {_long_date(day)}: {words}")
    return reasons


# --- the proposal --------------------------------------------------------------------


def _verdicts(plan: Plan, done: pd.DataFrame, start: pd.Timestamp, today: pd.Timestamp
              ) -> dict[str, tuple[str, dict]]:
    """Each exercise's report for the rule, and the counts its reason cites."""
    e = plan.entries
    days = pd.date_range(start, today, freq="D")
    on_day = {d: set(e.loc[e["day"] == d, "exercise"]) for d in DAYS}
    status = done["status"].astype(object).map(_RANK_STATUS).astype(float)
    felt = done["felt"].astype(object).map(_RANK_FELT).astype(float)
    per_day = (pd.DataFrame({"exercise": done["exercise"].astype(object),
                             "date": done["date"], "status": status, "felt": felt})
               .groupby(["exercise", "date"]).max())
    out = {}
    for x in dict.fromkeys(e["exercise"]):
        planned = sum(x in on_day[DAYS[d.weekday()]] for d in days)
        mine = per_day.loc[x] if x in per_day.index.get_level_values(0) else per_day.iloc[:0]
        done_days = mine["status"] == _RANK_STATUS["done"]
        n = {"planned": max(planned, len(mine)),
             "hurt": int((mine["felt"] == _RANK_FELT["hurt more"]).sum()),
             "done": int(done_days.sum()),
             "partly": int((mine["status"] == _RANK_STATUS["partly"]).sum()),
             "skipped": int((mine["status"] == _RANK_STATUS["skipped"]).sum()),
             "harder": int((mine["felt"] == _RANK_FELT["harder"]).sum()),
             **{f: int((done_days & (mine["felt"] == _RANK_FELT[f])).sum())
                for f in ("easier", "about right")}}
        n["missing"] = max(planned - len(mine), 0)
        if n["hurt"]:
            out[x] = ("worse", n)
        elif not n["done"]:
            out[x] = (HELD, {**n, "why": "not done"})
        elif n["harder"]:
            out[x] = (HELD, {**n, "why": "harder"})
        elif not n["easier"] + n["about right"]:
            out[x] = (HELD, {**n, "why": "not said"})
        elif 2 * (n["easier"] + n["about right"]) < n["planned"]:
            # One good day of seven is not yet a week that went well.
            out[x] = (HELD, {**n, "why": "not often"})
        else:
            out[x] = ("pain-free", n)
    return out


def _felt_words(n: dict) -> str:
    k = n["easier"] + n["about right"]
    if n["easier"] and n["about right"]:
        how = f"easier on {n['easier']} and about right on {n['about right']}"
        return f"Felt {how} of {count(n['planned'], 'planned day')}"
    how = "easier" if n["easier"] else "about right"
    return f"Felt {how} on {k} of {count(n['planned'], 'planned day')}"


def _not_done_words(n: dict) -> str:
    parts = []
    if n["partly"]:
        parts.append(f"done partly on {n['partly']}")
    if n["skipped"]:
        parts.append(f"skipped on {n['skipped']}")
    if n["missing"]:
        parts.append(f"not recorded on {n['missing']}")
    if not parts:
        return "Not planned so far this week: kept as it is."
    said = ", ".join(parts)
    return (f"Not done this week ({said} of {count(n['planned'], 'planned day')}): "
            "kept as it is until it is done in full.")


def _at(was: str) -> str:
    """ " at 10 reps" where the entry has a dose; nothing where it has none."""
    return "" if was == NO_DOSE else f" at {was}"


def _reason(change: str, n: dict, was: str, to: str, other: str) -> str:
    of = f"of {count(n['planned'], 'planned day')}"
    if change == "harder":
        return f"{_felt_words(n)}{_at(was)}, its full dose: on to {other}, the harder version."
    if change == "dose up":
        return f"{_felt_words(n)}{_at(was)}: a small step up, to {to}."
    if change == "easier":
        if other:
            return (f"Hurt more on {n['hurt']} {of}{_at(was)}: back to {other}, "
                    "the easier version.")
        return f"Hurt more on {n['hurt']} {of}{_at(was)}: back to its starting dose, {to}."
    if change == "stopped":
        return (f"Hurt more on {n['hurt']} {of}{_at(was)}, its starting dose, and it has no "
                "easier version: stopped. If an exercise makes the pain worse, stop it.")
    why = n.get("why")
    if why == "not done":
        return _not_done_words(n)
    if why == "harder":
        return (f"Felt harder on {n['harder']} {of}{_at(was)}: kept as it is until it feels "
                "easier or about right.")
    if why == "not often":
        return (f"{_felt_words(n)}{_at(was)}: kept as it is until it is done on at least "
                "half of its planned days.")
    if why == "not said":
        return (f"Done on {n['done']} {of}{_at(was)}, but how it felt was not recorded: "
                "kept as it is.")
    return f"{_felt_words(n)}{_at(was)}, its full dose, and it has no harder version: kept as it is."


def _words(entries: pd.DataFrame) -> str:
    return "; ".join(dict.fromkeys(entry_dose_words(r) for r in entries.to_dict("records")))


def propose_next(plan: Plan, *, done: pd.DataFrame, pain: pd.DataFrame, signs: pd.DataFrame,
                 today, lib: Library | None = None, thresholds: pd.DataFrame | None = None,
                 since=None) -> tuple[Plan, pd.DataFrame]:
    """Next week's plan from the last 7 days of one person's journal, and why.

    Parameters
    ----------
    plan
        The plan the person followed.  It is not changed.
    done, pain, signs
        One person's journal tables (see :mod:`backguide.journal.columns`);
        only days from 6 days before ``today`` to ``today`` are read, but
        ``pain`` from the person's first week on.
    today
        The last day read (a date).
    lib
        The library (variants and caps); by default the shipped one.
    thresholds
        A table of important changes (``measure``, ``points``, ``percent``,
        ``better``, as :func:`~backguide.journal.measures.change_thresholds`
        returns); by default the shipped one, else NPRS 2 points or 30%.
    since
        The first day ``plan`` was followed, if within the 7 days: reports
        and planned days before it are not read.

    Returns
    -------
    (Plan, DataFrame)
        The proposed plan, a new plan called "<name> (from <next Monday>)", and
        one row per exercise of ``plan``: ``exercise``, ``name``, ``change``
        ("harder", "dose up", "easier", "stopped", "held" or "see a
        clinician"), ``from`` and ``to`` (doses in words) and ``reason``.

    Raises
    ------
    BackguideError
        A report in the 7 days about an exercise not in ``plan``
        (:class:`~backguide.progression.NotInPlan`), a status or feeling
        outside :data:`~backguide.journal.columns.STATUSES` and
        :data:`~backguide.journal.columns.FEELINGS`, or tables of more than
        one person.
    """
    lib = resolve(lib)
    today = _day(today)
    start = today - pd.Timedelta(days=WINDOW_DAYS - 1)
    if since is not None:
        start = max(start, _day(since, "since"))
    done = _dated(done, "done", ("exercise", "status", "felt"))
    pain = _dated(pain, "pain", ("nprs",))
    signs = _dated(signs, "signs", ("sign",))
    _one_person(done=done, pain=pain, signs=signs)
    week = done[(done["date"] >= start) & (done["date"] <= today)]
    _check_values(week)
    ids = set(plan.entries["exercise"])
    for day, rows in week[~week["exercise"].isin(ids)].groupby("date", sort=True):
        raise NotInPlan.of(f"done on {day:%Y-%m-%d}",
                           list(dict.fromkeys(rows["exercise"])), plan)

    e = plan.entries
    stop = _clinician_reasons(pain, signs, today, thresholds, lib)
    verdicts = _verdicts(plan, week, start, today)
    # Stepping back after "hurt more" is not progression: it happens even when stopped.
    reports = {x: HELD if stop and v != "worse" else v for x, (v, _) in verdicts.items()}
    new, _, kind = _Rules(lib).step(e, reports, 0)
    monday = today + pd.Timedelta(days=7 - today.weekday())  # next week's first day
    name = f"{base_name(plan.name)} (from {monday:%Y-%m-%d})"
    proposed = Plan.from_tidy(new, **{**plan.meta, "name": name})

    names = lib.exercises["name"]
    kept = kind != "stopped"
    new_row = np.cumsum(kept) - 1
    rows = []
    for x, (report, n) in verdicts.items():
        mine = np.flatnonzero(e["exercise"].to_numpy() == x)
        kinds = set(kind[mine])
        was = _words(e.iloc[mine])
        after = new.iloc[new_row[mine[kept[mine]]]]
        other = [v for v in dict.fromkeys(after["exercise"]) if v != x]
        other_name = str(names.get(other[0], other[0])) if other else ""
        to = _words(after)
        if other:
            to = f"{other_name}: {to}"
        if report == "worse":
            change = "stopped" if kinds == {"stopped"} else "easier"
        elif stop:
            change = SEE_A_CLINICIAN
        elif report == "pain-free":
            change = "harder" if "harder" in kinds else "dose up" if "dose" in kinds else "held"
        else:
            change = "held"
        reason = "" if change == SEE_A_CLINICIAN else _reason(change, n, was, to, other_name)
        if stop:
            reason = " ".join([*[reason] * bool(reason), *stop, STOPS])
        rows.append({"exercise": x, "name": str(names.get(x, x)), "change": change,
                     "from": was, "to": to, "reason": reason})
    changes = pd.DataFrame(rows, columns=list(CHANGES)).astype("str")
    return proposed, changes


# --- with a store --------------------------------------------------------------------


def _current_start(plans: pd.DataFrame, today: pd.Timestamp) -> pd.Timestamp | None:
    """The day the plan in force on ``today`` started (the latest version starting
    on or before it, as ``store.plan`` picks it), or None."""
    if plans is None or plans.empty or not {"version", "starts"} <= set(plans.columns):
        return None
    row = in_force(plans, today)
    return None if row is None else pd.Timestamp(row["starts"]).normalize()


def next_week(store, person, *, today=None, lib: Library | None = None
              ) -> tuple[Plan, pd.DataFrame]:
    """The proposed plan for ``person`` and its table of changes, from ``store``.

    Reads the plan the person follows ``today`` (by default the real today)
    and their journal, and calls :func:`propose_next`.  Days before that plan
    version started are not read, so a plan changed during the week is judged
    on its own days.
    """
    today = _day(dt.date.today() if today is None else today)
    plan = store.plan(person, on=today.date())
    if plan is None:
        raise BackguideError.at("person", f"a person with a plan on {today:%Y-%m-%d}",
                                value=person)
    plans = store.read("plans", person=person)
    since = _current_start(plans, today)
    done = store.read("done", person=person)
    now = in_force(plans, today)
    if now is not None and "version" in done.columns:
        # Reports made under an earlier version (on the day another was followed, say)
        # are about that plan, not this one.
        done = done[done["version"].to_numpy() == int(now["version"])]
    return propose_next(plan, done=done,
                        pain=store.read("pain", person=person),
                        signs=store.read("signs", person=person), today=today, lib=lib,
                        since=since)


def accept_next(store, person, plan: Plan, *, starts):
    """Make ``plan`` (from :func:`next_week`) ``person``'s plan from ``starts``.

    The store keeps it as a new plan version; the plan before it stays.
    Returns what ``store.set_plan`` returns.
    """
    if not isinstance(plan, Plan):
        raise BackguideError.at("plan", "a Plan (from next_week)", value=type(plan).__name__)
    return store.set_plan(person, plan, starts=starts)
