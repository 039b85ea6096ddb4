"""A made-up caseload to try the clinic's page: ``python3 dev.py demo-clinic``.

Fills the database the guide is pointed at (``BACKGUIDE_DATABASE_URL``, else the
SQLite file in the data folder) with 200 made-up people over 12 weeks, shared
between two made-up clinicians.  Every name says it is made up.  The people
vary, as a real caseload does:

* adherent: most sessions done, pain easing;
* improving: pain well down, activities (PSFS) up;
* fading: fewer sessions week after week, then no check-in for 8 to 20 days;
* pain rising: pain up by more than the important change, and "hurt more"
  twice in a row on one exercise;
* a few with a warning sign ticked in the last two weeks.

Everything goes through :meth:`Store.check_in`, checked as a person's own check-in
is.  Run twice, it adds nothing the second time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

import numpy as np

from ..content import safety_content
from ..plan import load_starter, starter_plans
from ..schema import DAYS
from .database import data_folder
from .store import open_store

MADE_UP = "(made up)"
KINDS = ("adherent", "improving", "fading", "pain rising")
SHARES = (0.4, 0.2, 0.25, 0.15)
ACTIVITIES = ("Walking to the shops", "Lifting the shopping", "Gardening", "Sitting at work")


def _person_days(kind: str, rng: np.random.Generator, days: int) -> list[dict]:
    """One made-up person's days: whether they checked in, their pain, how it went."""
    quiet_from = days - int(rng.integers(8, 21)) if kind == "fading" else days
    out = []
    for d in range(days):
        week = d // 7
        if kind == "fading":
            p_in = max(0.9 - 0.1 * week, 0.2)
        else:
            p_in = 0.9 if kind != "pain rising" else 0.75
        if d >= quiet_from or rng.random() > p_in:
            out.append(None)
            continue
        start = {"adherent": 5.5, "improving": 7.0, "fading": 5.0, "pain rising": 3.5}[kind]
        slope = {"adherent": -0.2, "improving": -0.4, "fading": 0.0, "pain rising": 0.3}[kind]
        pain = int(np.clip(round(start + slope * week + rng.normal(0, 0.7)), 0, 10))
        p_done = {"adherent": 0.85, "improving": 0.85, "fading": max(0.8 - 0.08 * week, 0.2),
                  "pain rising": 0.6}[kind]
        out.append({"pain": pain, "p_done": p_done, "week": week})
    return out


def _keep_logins(logins: list[tuple[str, str]], say) -> None:
    """Each made-up clinician's connection URL (with its password, on PostgreSQL) goes
    to a file readable by its owner only in the data folder; only its path is shown."""
    folder = data_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "demo-clinicians.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        for name, url in logins:
            f.write(f"{name}\t{url}\n")
    say(f"Each made-up clinician's login (to open the caseload as them): {path}")


def fill(store, *, people: int = 200, weeks: int = 12, seed: int = 21,
         today: dt.date | None = None, say=print) -> int:
    """Add the made-up caseload to ``store``; returns how many people were added."""
    known = store.read("people")
    if known["name"].astype(str).str.endswith(MADE_UP).any():
        say("The made-up caseload is already there: nothing added.")
        return 0
    today = today or dt.date.today()
    start = today - dt.timedelta(days=7 * weeks - 1)
    rng = np.random.default_rng(seed)
    clinicians = [f"Demo clinician {c} {MADE_UP}" for c in "AB"]
    logins = [(c, store.add_clinician(c)) for c in clinicians]
    _keep_logins(logins, say)
    plans = [load_starter(n) for n in starter_plans()]
    signs = [s.id for s in safety_content().signs]
    kinds = rng.choice(len(KINDS), size=people, p=SHARES)
    for i in range(people):
        kind = KINDS[kinds[i]]
        person = store.add_person(f"Person {i + 1:03d} {MADE_UP}",
                                  clinician=clinicians[i % len(clinicians)])
        plan = plans[i % len(plans)]
        store.set_plan(person, plan, starts=start)
        hurt = plan.entries["exercise"].iloc[int(rng.integers(len(plan.entries)))]
        for d, day_ in enumerate(_person_days(kind, rng, 7 * weeks)):
            if day_ is None:
                continue
            day = start + dt.timedelta(days=d)
            rows = plan.day(DAYS[day.weekday()])[["exercise", "session"]]
            status = np.where(rng.random(len(rows)) < day_["p_done"], "done",
                              np.where(rng.random(len(rows)) < 0.5, "partly", "skipped"))
            felt = np.where(status == "skipped", None,
                            rng.choice(["easier", "about right", "harder"], len(rows),
                                       p=[0.3, 0.55, 0.15]))
            if kind == "pain rising" and d >= 7 * weeks - 10:
                felt = np.where((rows["exercise"] == hurt).to_numpy() & (status != "skipped"),
                                "hurt more", felt)
            done = rows.assign(status=status, felt=felt) if len(rows) else None
            week = day_["week"]
            store.check_in(
                person, day, done=done, pain=day_["pain"],
                peg=({"pain": day_["pain"], "enjoyment": max(day_["pain"] - 1, 0),
                      "activity": day_["pain"]} if d % 7 == 0 else None),
                psfs=({a: int(np.clip(3 + week // 2 + (kind == "improving") * week // 3, 0, 10))
                       for a in ACTIVITIES[:2]} if d % 14 == 0 else None),
                signs=([signs[int(rng.integers(len(signs)))]]
                       if d > 7 * weeks - 14 and rng.random() < 0.002 else None))
        if (i + 1) % 50 == 0:
            say(f"  {i + 1} of {people} made-up people added")
    return people


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py demo-clinic",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args(argv)
    with open_store() as store:
        print(f"Filling {store.url} with {args.people} made-up people over "
              f"{args.weeks} weeks, every name marked {MADE_UP}.")
        added = fill(store, people=args.people, weeks=args.weeks)
        if added:
            shown = store.read("people")
            print(f"Done: {added} made-up people, "
                  f"{shown['clinician'].nunique()} made-up clinicians.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
