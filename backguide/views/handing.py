"""The handout form, shared by the week planner and the presenter.

The clinician sets the person's name, notes, the date and the paper, picks
what to hand out (what was shown, or the whole week) and gets the PDF and
the web page as downloads that travel in the page, so they work in Voila and
in JupyterLab alike.  Nothing is written on the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as W

from ..errors import BackguideError
from ..library import Library, resolve
from ..plan import Plan
from ..store import PlanStore
from .render import download_link, e

#: One thing a form can hand out: its label and the plan, and optionally the whole plan
#: that plan was taken from (a day of a week), so the handout says how often.
Choice = tuple[str, Plan] | tuple[str, Plan, Plan | None]
#: What a form can hand out, the first chosen at first.
Choices = Callable[[], list[Choice]]


class HandoutForm(W.VBox):
    """Name, notes, date, paper, what to hand out, and "Make the handout".

    ``choices()`` is asked each time the form is shown or used, so it always
    offers what is on screen now: ``(label, plan)`` or ``(label, plan,
    from_plan)``, where ``from_plan`` is the whole plan ``plan`` was taken
    from (see :func:`backguide.handout.handout_content`).  :meth:`handout`
    returns the files;
    :meth:`make` is the button: it shows "Making the handout…", then the
    download links, or what is wrong.
    """

    def __init__(self, store: PlanStore, choices: Choices, *, lib: Library | None = None,
                 title: str = "Handout to take home"):
        self.lib = resolve(lib)
        self.store = store
        self.choices = choices
        self.person = W.Text(description="For", placeholder="the person's name",
                             layout=W.Layout(width="320px")).add_class("bg-handout-person")
        self.notes = W.Textarea(description="Notes", placeholder="notes from your clinician",
                                layout=W.Layout(width="520px", height="70px")
                                ).add_class("bg-handout-notes")
        self.date = W.DatePicker(description="Date", value=dt.date.today()).add_class(
            "bg-handout-date")
        self.paper = W.ToggleButtons(options=["A4", "Letter"], description="Paper").add_class(
            "bg-handout-paper")
        self.what = W.RadioButtons(description="Hand out", layout=W.Layout(width="auto")
                                   ).add_class("bg-handout-what")
        self.button = W.Button(description="Make the handout", icon="print",
                               button_style="primary",
                               layout=W.Layout(width="220px")).add_class("bg-make-handout")
        self.result = W.HTML().add_class("bg-handout-result")
        self.button.on_click(lambda _b: self.make())
        super().__init__([
            W.HTML(f"<h3 style='margin:8px 0 2px 0'>{e(title)}</h3>"),
            self.what,
            W.HBox([self.person, self.date, self.paper], layout=W.Layout(flex_flow="row wrap")),
            self.notes, W.HBox([self.button, self.result])])
        self.add_class("bg-handout-form")
        # A link made before any of these changed would hand out the wrong sheet.
        for box in (self.person, self.notes, self.date, self.paper, self.what):
            box.observe(self._stale, "value")
        self.refresh()

    def _stale(self, _change=None) -> None:
        if not self.button.disabled:  # not while the handout is being made
            self.result.value = ""

    def clear(self) -> None:
        """Forget the person's name and notes (for the next patient) and any link."""
        self.person.value = ""
        self.notes.value = ""
        self.result.value = ""

    def refresh(self) -> None:
        """Offer what ``choices()`` offers now (keeping the choice when it still exists)."""
        labels = [choice[0] for choice in self.choices()]
        keep = self.what.index if self.what.index is not None else 0
        self.what.options = labels
        self.what.index = min(keep, len(labels) - 1) if labels else None
        self.what.layout.display = "" if len(labels) > 1 else "none"
        self.result.value = ""

    def _choice(self) -> tuple[Plan, Plan | None]:
        """The chosen plan, and the whole plan it was taken from (None if not given)."""
        options = self.choices()
        if not options:
            raise ValueError("There is nothing to hand out yet.")
        _label, plan, *rest = options[min(self.what.index or 0, len(options) - 1)]
        return plan, (rest[0] if rest else None)

    def chosen(self) -> Plan:
        """The plan chosen to hand out."""
        return self._choice()[0]

    def handout(self) -> tuple[bytes, str]:
        """The chosen plan's handout: PDF bytes and the HTML page."""
        from ..handout import handout_pages

        plan, from_plan = self._choice()
        return handout_pages(plan, lib=self.lib, from_plan=from_plan, person=self.person.value,
                             notes=self.notes.value, when=self.date.value,
                             paper=self.paper.value)

    def filename(self, suffix: str) -> str:
        """The download's name: the plan store's safe name for the plan."""
        name = self.chosen().name.strip() or "handout"
        try:
            stem = self.store.output_path(name, suffix).name
        except ValueError:  # a name the store refuses (too long): a plain one
            stem = self.store.output_path("handout", suffix).name
        return stem

    def make(self) -> None:
        self.button.disabled = True
        self.result.value = "<i>Making the handout\u2026</i>"
        try:
            pdf, page = self.handout()
        except (BackguideError, ValueError) as exc:
            self.result.value = f'<b class="bg-handout-error">No handout:</b> {e(exc)}'
            return
        finally:
            self.button.disabled = False
        self.result.value = (
            "Ready: " + download_link(pdf, self.filename(".pdf"), "Download the handout (PDF)",
                                      "application/pdf")
            + " &middot; " + download_link(page.encode(), self.filename(".html"),
                                           "as a web page", "text/html"))
