"""The handout form, shared by the week planner and the presenter.

The clinician sets the person's name, notes, the date, the paper, the
clinic's name and contact and how many times a day, picks what to hand out
(what was shown, or the whole week) and gets the PDF and the web page as
downloads that travel in the page, so they work in Voila and in JupyterLab
alike.  Nothing is written on the server.

Whatever goes wrong making the handout is said beside the button, naming the
box to put right where it is a box's text ("For", "Notes", "Clinic name and
contact"); the form never stays on "Making the handout…".
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

#: The boxes of the form, by the handout's names for them (as errors name them).
FIELD_LABELS = {"person": "For", "notes": "Notes", "clinic": "Clinic name and contact",
                "times_a_day": "Times a day", "name": "the plan's name"}
#: How many times a day, as the form offers it: blank, or 1 to 5 in words.
TIMES_OPTIONS = [("", None), ("once a day", 1), ("twice a day", 2), ("three times a day", 3),
                 ("four times a day", 4), ("five times a day", 5)]
WORKING = "<i>Making the handout\u2026</i>"


class HandoutForm(W.VBox):
    """Name, notes, date, paper, clinic, times a day, what to hand out, and "Make the
    handout".

    ``choices()`` is asked each time the form is shown or used, so it always
    offers what is on screen now: ``(label, plan)`` or ``(label, plan,
    from_plan)``, where ``from_plan`` is the whole plan ``plan`` was taken
    from (see :func:`backguide.handout.handout_content`).  :meth:`handout`
    returns the files;
    :meth:`make` is the button: it shows "Making the handout…", then the
    download links, or what is wrong (naming the box to put right).

    The clinic's name and contact (:attr:`clinic`) stays for the next patient;
    the name, the notes and the times a day (:attr:`times_a_day`) are cleared by
    :meth:`clear`.
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
        wide = {"description_width": "initial"}
        self.clinic = W.Textarea(description="Clinic name and contact",
                                 placeholder="the clinic's name, telephone, address",
                                 style=wide, layout=W.Layout(width="100%", max_width="680px",
                                                             height="80px")
                                 ).add_class("bg-handout-clinic")
        self.times_a_day = W.Dropdown(description="Times a day", options=TIMES_OPTIONS,
                                      value=None, style=wide, layout=W.Layout(width="300px")
                                      ).add_class("bg-handout-times")
        self.button = W.Button(description="Make the handout", icon="print",
                               button_style="primary",
                               layout=W.Layout(width="220px", flex="0 0 auto")
                               ).add_class("bg-make-handout")
        self.result = W.HTML().add_class("bg-handout-result")
        self.button.on_click(lambda _b: self.make())
        super().__init__([
            W.HTML(f"<h3 style='margin:8px 0 2px 0'>{e(title)}</h3>"),
            self.what,
            W.HBox([self.person, self.date, self.paper], layout=W.Layout(flex_flow="row wrap")),
            self.notes, self.times_a_day, self.clinic, W.HBox([self.button, self.result])])
        self.add_class("bg-handout-form")
        # A link made before any of these changed would hand out the wrong sheet.
        for box in (self.person, self.notes, self.date, self.paper, self.what, self.clinic,
                    self.times_a_day):
            box.observe(self._stale, "value")
        self.refresh()

    def _stale(self, _change=None) -> None:
        if not self.button.disabled:  # not while the handout is being made
            self.result.value = ""

    def clear(self) -> None:
        """Forget the person's name, notes and times a day (for the next patient) and any
        link; the clinic's name and contact stay."""
        self.person.value = ""
        self.notes.value = ""
        self.times_a_day.value = None
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
                             paper=self.paper.value, clinic=self.clinic.value,
                             times_a_day=self.times_a_day.value)

    def filename(self, suffix: str) -> str:
        """The download's name: the plan store's safe name for the plan."""
        name = self.chosen().name.strip() or "handout"
        try:
            stem = self.store.output_path(name, suffix).name
        except ValueError:  # a name the store refuses (too long): a plain one
            stem = self.store.output_path("handout", suffix).name
        return stem

    def make(self) -> None:
        """The button: "Making the handout…", then the download links, or what is wrong.

        Whatever happens, the form ends on the links or on a message, and the
        button is enabled again.
        """
        self.button.disabled = True
        self.result.value = WORKING
        try:
            pdf, page = self.handout()
            ready = (
                "Ready: " + download_link(pdf, self.filename(".pdf"),
                                          "Download the handout (PDF)", "application/pdf")
                + " &middot; " + download_link(page.encode(), self.filename(".html"),
                                               "as a web page", "text/html"))
        except BackguideError as exc:
            self.result.value = self._problem(exc)
        except ValueError as exc:  # nothing to hand out; a paper size
            self.result.value = f'<b class="bg-handout-error">No handout:</b> {e(exc)}'
        except Exception as exc:  # never leave "Making the handout…" on the page
            said = str(exc).encode("utf-8", "backslashreplace").decode("utf-8")
            self.result.value = (
                '<b class="bg-handout-error">No handout:</b> something went wrong making '
                f"it ({e(type(exc).__name__)}: {e(said)}). Nothing was made; check the "
                "name, notes and clinic for unusual characters and try again.")
        else:
            self.result.value = ready
        finally:
            self.button.disabled = False

    @staticmethod
    def _problem(exc: BackguideError) -> str:
        """A handout error on the form: which box to put right, and what is wrong."""
        fields = [p.path for p in exc.problems if p.path in FIELD_LABELS]
        where = ""
        if fields:
            where = " Put right the box " + ", ".join(
                f"\u201c{e(FIELD_LABELS[f])}\u201d" for f in dict.fromkeys(fields)) + ":"
        return f'<b class="bg-handout-error">No handout.</b>{where} {e(exc)}'

