"""Focus that follows what a person opened.

``widget.focus()`` reaches only the views already drawn, and a widget just
made is drawn a moment after the kernel sends it, so its focus was lost and
fell to the page body.  :class:`Focus` is a hidden widget (its script is
``static/focus.js``) that looks for the element on each frame until it is
drawn, then focuses it.  Each target is marked with a class unique to its view.
"""

from __future__ import annotations

import itertools
import secrets
from importlib.resources import files

import anywidget
import ipywidgets as W
import traitlets


class Focus(anywidget.AnyWidget):
    """Put it somewhere on the page; :meth:`to` moves the focus to a widget."""

    _esm = files("backguide").joinpath("static/focus.js").read_text(encoding="utf-8")
    selector = traitlets.Unicode("").tag(sync=True)
    nonce = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._tag = f"bg-focus-{secrets.token_hex(4)}"
        self._count = itertools.count(1)

    def to(self, widget: W.DOMWidget) -> None:
        """Focus ``widget`` (its first control) once the page has drawn it."""
        mark = next((c for c in widget._dom_classes if c.startswith(self._tag)), None)
        if mark is None:
            mark = f"{self._tag}-{next(self._count)}"
            widget.add_class(mark)
        with self.hold_sync():
            self.selector = f".{mark}"
            self.nonce += 1

    @property
    def target(self) -> str:
        """The selector last focused (for tests)."""
        return self.selector
