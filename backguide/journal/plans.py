"""A person's named plans in the journal, with the face the views save and load through.

The week planner, the routine builder and the presenter were written against
:class:`backguide.store.PlanStore` (one JSON file per plan name).  Plans now live
in the journal (:class:`~backguide.journal.store.Store`); :class:`JournalPlans`
gives the views the same few calls over it, for one person.  A plan's key is its
name's key (:func:`backguide.store.name_key`): names that differ only in case or
spacing are one plan, and saving over another plan of that name is asked first
(:class:`~backguide.journal.checks.PlanNameTaken`, a
:class:`~backguide.store.PlanExists`).  Saving is one transaction: of two
kernels saving one name at once, one wins and the other is asked.
"""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from ..errors import BackguideError
from ..library import Library
from ..plan import Plan
from ..store import LIST_COLUMNS, check_name, file_stem, name_key


class JournalPlans:
    """``person``'s named plans in ``store``, as the views list, save and load them."""

    def __init__(self, store, person: int | None = None, *, unreadable=()):
        self.journal = store
        self.person = store.me() if person is None else int(person)
        #: Files of a saved-plan folder that could not be brought in (Problems): listed,
        #: so a person sees them, and saying why when chosen.
        self.unreadable = {f"file:{PurePath(p.path).name}": p for p in unreadable}

    def __repr__(self) -> str:
        return f"JournalPlans({self.journal!r}, person={self.person})"

    def key_for(self, name: str) -> str:
        """The key a plan called ``name`` is saved and loaded under."""
        return name_key(check_name(name))

    def list(self) -> pd.DataFrame:
        """One row per plan name, its latest version, sorted by name: ``key``,
        ``name``, ``saved`` (when that version was saved) and ``problem`` ("")."""
        plans = self.journal.read("plans", person=self.person).sort_values(
            "version", ascending=False)
        latest = {}
        for n, s in zip(plans["name"], plans["created"]):
            latest.setdefault(name_key(n), (name_key(n), n, s, ""))
        out = sorted(latest.values(), key=lambda r: (r[1].casefold(), r[1]))
        out += [(k, PurePath(p.path).name, pd.NaT, str(p)) for k, p in self.unreadable.items()]
        frame = pd.DataFrame(out, columns=list(LIST_COLUMNS))
        frame["saved"] = pd.to_datetime(frame["saved"])
        return frame

    def labels(self) -> list[tuple[str, str]]:
        """``(label, key)`` for each plan, for a dropdown: "Ada's week · saved 7 Dec
        2026", and " · followed now" after the plan the check-in follows today."""
        now = self.followed_key()
        return [(f"{r.name} · cannot be read" if r.problem else
                 f"{r.name} · saved {r.saved.day} {r.saved:%b %Y}"
                 + (" · followed now" if r.key == now else ""), r.key)
                for r in self.list().itertuples()]

    def followed_key(self, on=None) -> str | None:
        """The key of the plan in force on ``on`` (today by default), or None."""
        plan = self.journal.plan(self.person, on=on)
        return None if plan is None else name_key(plan.name)

    def follow(self, key: str, *, starts=None) -> None:
        """Follow the plan saved under ``key`` from ``starts`` (today by default)."""
        self.journal.follow(self.person, self.load(key).name, starts=starts)

    def load(self, key: str, *, lib: Library | None = None) -> Plan:
        """The latest version of the plan saved under ``key``."""
        if key in self.unreadable:
            raise BackguideError([self.unreadable[key]])
        names = self.list()
        hit = names.loc[names["key"] == key, "name"]
        if hit.empty:
            raise BackguideError(f"There is no saved plan {key!r} in the journal.")
        return self.journal.load_plan(self.person, hit.iloc[0])

    def save(self, plan: Plan, *, replace: bool = False, follow: bool = False) -> str:
        """Save ``plan`` under its name (a new version); returns its key.  With
        ``follow``, it is the plan the check-in follows from today.  Raises
        :class:`~backguide.store.PlanExists` when another plan has that name."""
        plan = plan.replace(name=check_name(plan.name))
        self.journal.save_plan(self.person, plan, replace=replace, follow=follow)
        return name_key(plan.name)

    def output_path(self, name: str, suffix: str, *, subfolder: str = "handouts") -> PurePath:
        """The file name a download of ``name`` gets (nothing is written)."""
        return PurePath(subfolder) / f"{file_stem(name)}{suffix}"
