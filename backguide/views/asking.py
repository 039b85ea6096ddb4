"""A question under the controls that asked it: a sentence, the answers, Cancel.

The planner asks before it replaces what a person made: copying a day onto a
day that has sessions (replace them, or add after them), and loading or
starting a plan over edits that are not saved.  Nothing changes until an
answer is clicked; Cancel says that nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as W

from .render import e


class Ask(W.HBox):
    """A hidden question row; :meth:`ask` shows it with its answers."""

    def __init__(self, name: str, *, focus=None, on_cancel: Callable[[], None] | None = None):
        self.name = name
        self._focus = focus  # a views.focus.Focus: the first answer takes the focus
        self.question = W.HTML().add_class("bg-ask-question")
        self._on_cancel = on_cancel
        super().__init__(layout=W.Layout(flex_flow="row wrap", align_items="center",
                                         display="none"))
        self.add_class("bg-ask")
        self.add_class(f"bg-ask-{name}")

    @property
    def showing(self) -> bool:
        return self.layout.display != "none"

    def ask(self, question: str, answers: list[tuple[str, str, Callable[[], None]]]) -> None:
        """Show ``question`` (plain text) with a button per ``(label, css_name, act)``,
        then Cancel.  An answer closes the row, then acts."""
        buttons = []
        for label, css, act in answers:
            b = W.Button(description=label, layout=W.Layout(width="auto"),
                         button_style="warning" if css.startswith("replace") else "")
            b.add_class(f"bg-ask-{css}")
            b.on_click(lambda _b, act=act: (self.close(), act()))
            buttons.append(b)
        cancel = W.Button(description="Cancel", icon="times",
                          layout=W.Layout(width="auto")).add_class("bg-ask-cancel")
        cancel.on_click(lambda _b: (self.close(), self._on_cancel and self._on_cancel()))
        self.question.value = f"<b>{e(question)}</b>"
        old = self.children[1:]
        self.children = (self.question, *buttons, cancel)
        for w in old:
            w.close()
        self.layout.display = ""
        if self._focus is not None:
            self._focus.to((buttons or [cancel])[0])

    def close(self) -> None:
        self.layout.display = "none"
