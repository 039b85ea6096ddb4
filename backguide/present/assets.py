"""The presenter's package files: the timer's JavaScript and the presenter's stylesheet.

They live in ``backguide/static/`` as plain ``.js`` and ``.css`` files (read
with :mod:`importlib.resources`, so they work from a wheel as from the
source tree), not as strings in Python.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from ..views.render import CSS

__all__ = ["present_css", "present_style", "static_text", "timer_esm"]


@cache
def static_text(name: str) -> str:
    """The text of ``backguide/static/<name>``."""
    return files("backguide").joinpath(f"static/{name}").read_text(encoding="utf-8")


def timer_esm() -> str:
    """The timer's anywidget module (``static/present.js``)."""
    return static_text("present.js")


def present_css() -> str:
    """The presenter's stylesheet (``static/present.css``): its layout and its timer."""
    return static_text("present.css")


def present_style() -> str:
    """Every style the presenter's page needs, as HTML: the views' stylesheet, then its own."""
    return f"{CSS}\n<style>\n{present_css()}</style>\n"
