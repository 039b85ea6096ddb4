"""Save and load controls over a person's plans, shared by the views: the journal's
(:class:`~backguide.journal.plans.JournalPlans`) or a folder's
(:class:`~backguide.store.PlanStore`).

Saving never overwrites a different plan silently: when the name's file
already holds a plan that this view did not load or save, the controls ask
"Replace it?" and write nothing until the person says yes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as W

from ..errors import BackguideError
from ..plan import Plan
from ..store import PlanExists, PlanStore, check_name


def plans_for(store, folder, *, person: int | None = None):
    """Where a view saves and loads plans: ``person``'s in the journal ``store`` (the
    saved-plan ``folder``, if any, brought into it first), else the ``folder``."""
    if store is None:
        return PlanStore(folder)
    from ..journal.plans import JournalPlans

    from ..journal.checks import UnreadablePlans

    plans = JournalPlans(store, person)
    if folder is not None and Path(folder).is_dir():
        try:
            store.import_folder(folder, person=plans.person)
        except UnreadablePlans as exc:  # the others came in; these are listed as unreadable
            plans = JournalPlans(store, plans.person, unreadable=exc.problems)
    return plans
from .render import e


def _journal(store) -> bool:
    """Whether ``store`` keeps plans in the journal (where a plan can be followed)."""
    return not isinstance(store, PlanStore)


class SaveBar(W.VBox):
    """A name box, Save, and (when asked) a Replace / Keep both question.

    ``get_plan()`` returns the plan to save; ``saved(plan, path)`` is called
    after a save.  :attr:`origin` is the file stem the plan on screen came from
    (set it on load); saving back to it needs no question.
    """

    def __init__(self, store, get_plan: Callable[[], Plan],
                 saved: Callable[[Plan, str], None], *, label: str = "Name",
                 noun: str = "plan", follow: bool | None = None):
        self.store = store
        self._get_plan = get_plan
        self._saved = saved
        self.origin: str | None = None
        self.noun = noun
        self.name = W.Text(description=label, layout=W.Layout(width="360px"),
                           style={"description_width": "initial"}).add_class("bg-plan-name")
        self.button = W.Button(description="Save", icon="save",
                               button_style="primary").add_class("bg-save")
        self.question = W.HTML().add_class("bg-save-question")
        self.replace_button = W.Button(description="Replace it", icon="check",
                                       button_style="danger").add_class("bg-save-replace")
        self.cancel_button = W.Button(description="Cancel", icon="times").add_class("bg-save-cancel")
        self.ask = W.HBox([self.question, self.replace_button, self.cancel_button]).add_class("bg-save-ask")
        self.ask.layout.display = "none"
        self.message = W.HTML().add_class("bg-save-status")
        self.button.on_click(lambda _b: self.save())
        self.replace_button.on_click(lambda _b: self.save(replace=True))
        self.cancel_button.on_click(lambda _b: self._cancel())
        # In the journal, a week may be saved as the plan the check-in follows; a
        # routine (follow None) is only kept under its name.
        self.follow = W.Checkbox(value=bool(follow), indent=False, layout=W.Layout(width="auto"),
                                 description="Follow this plan from today (your check-in "
                                 "asks about it)").add_class("bg-save-follow")
        self.follow.layout.display = "" if follow is not None and _journal(store) else "none"
        # Ticked for the first plan, or the plan followed now saved again; a draft under
        # another name is kept, not followed, unless the person ticks it.
        self._follow_said = self._setting = False
        self.follow.observe(self._follow_touched, "value")
        self.name.observe(lambda _c: self.follow_default(), "value")
        super().__init__([W.HBox([self.name, self.button]), self.follow, self.ask,
                          self.message])
        self.add_class("bg-savebar")

    @property
    def asking(self) -> bool:
        return self.ask.layout.display != "none"

    def save(self, replace: bool = False) -> Path | str | None:
        """Save under the name in the box; ask first before replacing a different plan."""
        plan = self._get_plan()
        if plan.is_empty:
            # An empty routine saved with "Saved" came back in the presenter as "a rest day".
            self.ask.layout.display = "none"
            self.message.value = (f"<b>Not saved:</b> this {e(self.noun)} has no exercises yet. "
                                  "Add an exercise first.")
            return None
        try:
            name = check_name(self.name.value)
            plan = plan.replace(name=name)
            key = self.store.key_for(name)
            follow = self.follow.value and self.follow.layout.display != "none"
            saved = self.store.save(plan, replace=replace or key == self.origin,
                                    **({"follow": True} if follow else {}))
        except PlanExists as exc:
            self.question.value = (f"<b>A different {self.noun} called "
                                   f"\u201c{e(exc.existing_name)}\u201d is already saved.</b> "
                                   "Replace it with this one?")
            self.ask.layout.display = ""
            self.message.value = ""
            return None
        except (BackguideError, OSError) as exc:
            self.ask.layout.display = "none"
            self.message.value = f"<b>Not saved:</b> {e(exc)}"
            return None
        self.ask.layout.display = "none"
        self.origin = key
        self._follow_said = False
        self.follow_default()
        self.message.value = f"Saved \u201c{e(plan.name)}\u201d." + (
            " Your check-in asks about it from today." if follow else "")
        self._saved(plan, key)
        return saved

    def _cancel(self) -> None:
        self.ask.layout.display = "none"
        self.message.value = f"Not saved: the {self.noun} already saved under that name is kept."

    def follow_default(self) -> None:
        """Tick "Follow this plan" if no plan is followed or this name's is, unless the
        person has ticked or cleared it."""
        if self._follow_said or self.follow.layout.display == "none":
            return
        now = self.store.followed_key()
        try:
            mine = self.store.key_for(self.name.value)
        except BackguideError:
            mine = None
        self._setting = True
        self.follow.value = now is None or now == mine
        self._setting = False

    def _follow_touched(self, _change) -> None:
        if not self._setting:
            self._follow_said = True

    def forget(self) -> None:
        """The plan on screen is a new one: saving it over a file asks again."""
        self.origin = None
        self.ask.layout.display = "none"
        self.message.value = ""
