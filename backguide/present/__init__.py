"""Show a routine to a patient: a safety screen, one exercise at a time, a guided timer.

:class:`Presenter` is made to be served by Voila with no code showing
(``notebooks/04_present.ipynb``, ``python3 dev.py present``) and works inside
JupyterLab too.  It is large print that grows with the screen (``static/present.css``):
at 1366x768 the exercise's name, dose, picture, every step and the timer are on
screen together; at 1920x1080 the same, bigger, to be read from across the room
(steps 32 px, dose 40 px, countdown 151 px).  The picture and timer sit beside
the steps, and the buttons that leave the exercise ("Next exercise ▶▶") are
named apart from the timer's ("Skip this part ▶").

The :class:`Timer` counts in the browser, so it keeps time whether the kernel
is busy or idle.  It plays tones (Web Audio, no sound files) at the start and
end of a hold, at a change of side and at the end of a rest, and it answers
the keyboard and presentation clickers, as written out under it: Space starts
and pauses, Right arrow or Page Down skips a part, Left arrow or Page Up goes
back a part, End and Home go to the next and previous exercise, M turns the
sound on or off, F fills the screen and Esc leaves it.  The keys are the
presenter's only while it is in view and no one is typing: in JupyterLab,
another notebook's cell, a cell being edited or a tab not shown keeps its keys.
The kernel hears which parts ran to the end, so the summary can say what was
done and what was skipped.

The package, one job a module:

- :mod:`.presenter`: the :class:`Presenter` widget (where the session is, and its screens);
- :mod:`.screens`: how each screen lays out the content layer's words, as HTML;
- :mod:`.timer`: the :class:`Timer` widget and :func:`timer_phases`;
- :mod:`.assets`: the package files ``static/present.js`` and ``static/present.css``.
"""

from .presenter import Presenter
from .screens import visible_text
from .timer import EFFORTS, Timer, timer_phases

__all__ = ["EFFORTS", "Presenter", "Timer", "timer_phases", "visible_text"]
