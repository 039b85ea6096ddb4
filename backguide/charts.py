"""Charts of a week against the guidance.

Each chart draws one table from :mod:`backguide.measures` and computes
nothing of its own: what is on the chart is what is in the table.  Given a
:class:`~backguide.plan.Plan` instead of its table (as seaborn takes
``data=``), a chart measures it first, with ``lib=`` (``None``: the shipped
library).  The week chart colours each category by the kind of guidance it
counts towards (:data:`backguide.measures.COUNTS_AS`), the rule the checklist
counts by, so the two cannot disagree.  Each function takes an optional
matplotlib ``ax`` and returns it; without one it makes its own
:class:`~matplotlib.figure.Figure` (not through pyplot, so nothing global
changes).  Status is always written in words as well as shown in colour.

Colours: any two that a chart shows side by side (bars, hatches, the target
band, lines, marks) stay apart for normal vision and under simulated
deuteranopia, protanopia and tritanopia (CIEDE2000 of 15 or more, by
Machado et al.'s 2009 simulation), every bar and band has a fill or an edge
of 3:1 or more against the white page, every line is 3:1 or more, and
coloured words 4.5:1 or more; ``tests/test_charts.py`` measures all of it on
the drawn charts.  Most colours come from Paul Tol's and Okabe & Ito's
palettes; mobility's and mind-body's were picked by that computation.

Figure sizes, margins and the drawing to PNG and SVG are in
:mod:`backguide.figures` (its names are here too).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .content.sources import source_short
from .dose import shown_minutes
from .figures import (  # noqa: F401  (the figure helpers are part of this module's face)
    CHART_LAYOUT,
    CHART_MARGINS,
    CHART_SIZES,
    DEFAULT_MARGINS,
    EMPTY_HINT,
    TEXT_PT,
    TITLE_PT,
    ChartSVG,
    _axes,
    _headroom,
    _hint,
    _legend,
    _pt_per_unit,
    _style,
    chart_figure,
    chart_texts,
    draw_figure,
    figure_png,
    figure_svg,
    min_font_pt,
)
from .library import Library
from .measures import (
    COUNTS_AS,
    category_minutes,
    category_summary,
    counted_as,
    day_minutes,
    muscle_minutes,
)
from .plan import Plan
from .progression import Progression
from .schema import CATEGORIES, MUSCLES, SPINE_MUSCLES

#: The colour of each kind of guidance (:data:`backguide.measures.COUNTS_AS`): the
#: week chart colours each category by what it counts as, and the chart by kind
#: colours its bars the same.  Three lightnesses (stretching's hatch shows 3.4:1 on
#: strengthening's fill, in mind-body bars) and three hues apart for every
#: colour-vision deficiency; each 3:1 or more on white.
KIND_COLORS = {
    "stretch": "#009988",    # teal (Tol's vibrant)
    "strength": "#332288",   # indigo (Tol's muted)
    "aerobic": "#D55E00",    # vermillion (Okabe-Ito)
}
#: The kinds of guidance in a patient's words.
KIND_WORDS = {"stretch": "stretching", "strength": "strengthening", "aerobic": "aerobic"}
#: Each category's own colour, for the progression chart's lines: the kinds' colours,
#: and for mobility and mind-body two more that stay apart from them, from black (the
#: chart's marks) and from each other for every colour-vision deficiency.  (Mobility
#: was Okabe-Ito orange, which users with deuteranopia saw as aerobic's vermillion.)
CATEGORY_COLORS = {
    "mobility": "#583000",   # dark brown
    "stretch": KIND_COLORS["stretch"],
    "strength": KIND_COLORS["strength"],
    "aerobic": KIND_COLORS["aerobic"],
    "mind-body": "#B050F0",  # violet
}
#: The status words' colours: 4.5:1 or more on white, as 12 pt text needs.
STATUS_COLORS = {"met": "#007A5A", "short": "#A83200", "over": "#332288", "order": "#332288"}
STATUS_MARKS = {"met": "\u2713 met", "short": "\u2717 short", "over": "\u2191 over",
                "order": "\u21c5 order"}
#: The mark over a day whose aerobic session reaches the guidance's target
#: (on two lines, so that marks over neighbouring days keep apart).
AEROBIC_MARK = "\u2713\naerobic"
#: The target band's fill, pale so the bars stand out on it, and its outline, which
#: shows it on the white page (4.5:1).
BAND_COLOR = "#DDDDDD"
BAND_EDGE = "#767676"

#: Room (points) over a bar for a two-line label and the gap under it.
_TWO_LINES_PT = 2 * 1.25 * TEXT_PT + 6


def plot_category_days(kinds: pd.DataFrame | Plan, ax: Axes | None = None, *,
                       lib: Library | None = None) -> Axes:
    """Chart 1: days a week by kind of exercise, against the guidance's band.

    Draws :func:`backguide.measures.category_summary`, or measures a
    :class:`~backguide.plan.Plan` given instead (with ``lib``, None for the
    shipped library).  Grey bands are the targets (stretching 2+ days, daily
    best; strengthening 2+ days; aerobic sessions of 20+ minutes 3-4 times);
    each bar is marked met, short or over.
    """
    s = category_summary(kinds, lib=lib) if isinstance(kinds, Plan) else kinds
    ax = _axes(ax, "category")
    x = np.arange(len(s))
    band = ax.bar(x, s["high"] - s["low"], bottom=s["low"], width=0.8, color=BAND_COLOR,
                  edgecolor=BAND_EDGE, linewidth=0.8, zorder=0, label="target range")
    colors = [KIND_COLORS[k] for k in s["kind"]]
    ax.bar(x, s["value"], width=0.45, color=colors, edgecolor="black", linewidth=0.6, zorder=2)
    ax.set_xlim(-0.5, len(s) - 0.5)
    top = max(8.6, _headroom(s["value"], _TWO_LINES_PT, ax), float(s["high"].max()) * 1.05)
    ax.set_ylim(0, top)
    gap = 3 / _pt_per_unit(ax)
    for xi, row in zip(x, s.itertuples()):
        ax.text(xi, row.value + gap, f"{row.value:.0f}\n{STATUS_MARKS[row.status]}",
                ha="center", va="bottom", fontsize=TEXT_PT, fontweight="bold",
                color=STATUS_COLORS[row.status], zorder=3, linespacing=1.1)
    def cited(ids: str) -> str:  # "wolfe, acsm2021" as "Wolfe, ACSM" (sources.csv's short names)
        return ", ".join(source_short(i, lib=lib) for i in ids.split(", ") if i)

    def per_week(m: float) -> str:  # a little is not nothing: 0.3 min is "under 1"
        return "under 1" if 0 < m < 0.5 else shown_minutes(m, 0)

    ax.set_xticks(x, [f"{r.label}\n{per_week(r.minutes)} min/week\n"
                      f"(target: {cited(r.sources)})" for r in s.itertuples()], linespacing=1.1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylabel("Days per week\n(aerobic: sessions)", fontsize=TEXT_PT, linespacing=1.1)
    _style(ax, "This week by kind of exercise, against the guidance")
    _legend(ax, [band], ["target range"], loc="lower right", bbox_to_anchor=(1.0, 1.01))
    ax.grid(axis="y", color="#EEEEEE", zorder=-1)
    ax.tick_params(axis="x", length=0)
    if not (s["minutes"] > 0).any():
        _hint(ax)
    return ax


#: The muscle chart's bars: (column of the table, legend label, colour, hatch): a dark
#: and a light blue, apart by lightness for every colour-vision deficiency; the light
#: one's black outline and hatch show it on the white page.
MUSCLE_BARS = (("primary", "primary muscle", "#0072B2", None),
               ("secondary", "secondary muscle (half a primary's share)", "#9ECAE9", "//"))


def _figure_left(ax: Axes, pt: float) -> float:
    """The x, in the axes' fraction, ``pt`` points from the figure's left edge."""
    box = ax.get_position()
    return (pt / (72 * ax.figure.get_figwidth()) - box.x0) / box.width


def plot_muscle_volume(muscles: pd.DataFrame | Plan, ax: Axes | None = None, *,
                       lib: Library | None = None) -> Axes:
    """Chart 2: the week's minutes shared among the muscle groups.

    Draws :func:`backguide.measures.muscle_minutes`, or measures a
    :class:`~backguide.plan.Plan` given instead (with ``lib``, None for the
    shipped library).  Each exercise's minutes are shared among the muscles
    it works, a secondary muscle (hatched) getting half a primary one's
    share, so the bars add up to the week's minutes, as the chart says.
    The four groups that hold up the spine are named in bold and flagged in
    vermillion when the week does not work them at all.
    """
    muscles = muscle_minutes(muscles, lib=lib) if isinstance(muscles, Plan) else muscles
    ax = _axes(ax, "muscle")
    by = muscles.reindex(index=list(MUSCLES), columns=["primary", "secondary"]).fillna(0.0)
    y = np.arange(len(MUSCLES))[::-1]
    left = np.zeros(len(MUSCLES))
    bars = []
    for column, label, color, hatch in MUSCLE_BARS:
        bars.append(ax.barh(y, by[column], left=left, color=color, edgecolor="black",
                            linewidth=0.5, hatch=hatch, label=label))
        left = left + by[column].to_numpy()
    missing = {m for m in SPINE_MUSCLES if by.loc[m].sum() == 0}
    ax.set_yticks(y, [f"{m} (not worked)" if m in missing else m for m in MUSCLES])
    ax.set_ylim(-0.6, len(MUSCLES) - 0.4)
    for label, muscle in zip(ax.get_yticklabels(), MUSCLES):
        if muscle in SPINE_MUSCLES:
            label.set_fontweight("bold")
            label.set_color(STATUS_COLORS["short"] if muscle in missing else "black")
    ax.set_xlim(0, max(10.0, left.max() * 1.05))
    ax.set_xlabel("Minutes this week (bold: the muscles that support the spine)",
                  fontsize=TEXT_PT)
    total = shown_minutes(left.sum(), 0)
    # Above the bars, top down: the title, what the bars mean, the legend; all
    # from the figure's left edge, so the long lines fit.
    x = _figure_left(ax, 10)
    _style(ax, f"Where the week's {total} minutes go, muscle by muscle", pad=64)
    ax.title.set_x(x)
    ax.annotate(MUSCLE_NOTE.format(total=total), (x, 1.0), xycoords="axes fraction",
                xytext=(0, 26), textcoords="offset points", ha="left", va="bottom",
                fontsize=TEXT_PT, linespacing=1.15)
    _legend(ax, bars, [b.get_label() for b in bars], loc="lower left",
            bbox_to_anchor=(x, 1.012), ncols=2, columnspacing=1.5)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    if not left.max() > 0:
        _hint(ax)
    return ax


#: What the muscle chart's bars mean, under its title ({total}: the week's minutes).
MUSCLE_NOTE = ("Each exercise's minutes are shared among the muscles it works, a secondary\n"
               "muscle getting half a primary one's share: the bars add up to {total} minutes.")


def _wrap(text: str, width: int = 16) -> str:
    """``text`` on lines of at most ``width`` characters where it has spaces to break at."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _week_groups() -> dict[tuple[str, ...], list[str]]:
    """The week chart's colours: the categories grouped by the kinds of guidance they
    count towards (:func:`backguide.measures.counted_as`), aerobic first."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for cat in CATEGORIES:
        groups.setdefault(counted_as(cat), []).append(cat)
    order = list(COUNTS_AS)
    return dict(sorted(groups.items(), key=lambda kv: [order.index(k) for k in kv[0]]))


def _group_label(kinds: tuple[str, ...], categories: list[str]) -> str:
    """A colour's words in the week chart's legend: what it counts as, and the other
    categories it holds beside the one named after it ("stretching (incl. mobility)")."""
    words = " + ".join(KIND_WORDS[k] for k in kinds) or "other"
    others = [c for c in categories if c not in kinds]
    if others and len(others) < len(categories):
        return f"{words} (incl. {', '.join(others)})"
    return words


def _group_style(kinds: tuple[str, ...]) -> dict:
    """Bar colours for a group: the first kind's colour, hatched with the second's."""
    face = KIND_COLORS[kinds[0]] if kinds else "#BBBBBB"
    if len(kinds) < 2:
        return {"facecolor": face}
    return {"facecolor": face, "hatch": "//", "hatchcolor": KIND_COLORS[kinds[1]],
            "hatch_linewidth": 2.5}


def plot_week(days: pd.DataFrame | Plan, ax: Axes | None = None, *,
              lib: Library | None = None) -> Axes:
    """Chart 3: the week at a glance, minutes per day by category.

    Draws :func:`backguide.measures.day_minutes`, or measures a
    :class:`~backguide.plan.Plan` given instead (with ``lib``, None for the
    shipped library).  Each category is coloured by the kind of guidance it
    counts towards, the one rule the checklist counts by
    (:data:`backguide.measures.COUNTS_AS`): mobility work is stretching, so
    it is stretching's colour, and mind-body work (yoga, Pilates) counts as
    both, so it is one colour hatched with the other.  The dashed line is
    the aerobic session target from the guidance (``days.attrs["threshold"]``,
    named in the legend); a day whose aerobic session reaches it is marked
    with a check.
    """
    days = day_minutes(days, lib=lib) if isinstance(days, Plan) else days
    ax = _axes(ax, "week")
    per = days.reindex(columns=list(CATEGORIES)).fillna(0.0)
    empty = not per.to_numpy().any()
    x = np.arange(len(per))
    bottom = np.zeros(len(per))
    legend = []
    # Aerobic at the foot of each bar, so it reads straight off the target line.
    for kinds, cats in _week_groups().items():
        shown = [c for c in cats if per[c].sum() > 0 or empty]
        for cat in shown:
            ax.bar(x, per[cat], bottom=bottom, edgecolor="black", linewidth=0.5, label=cat,
                   width=0.7, **_group_style(kinds))
            bottom += per[cat].to_numpy()
        if shown:
            legend.append((Patch(edgecolor="black", linewidth=0.5, **_group_style(kinds)),
                           _group_label(kinds, cats)))
    line = float(days.attrs.get("threshold", 20.0))
    target = ax.axhline(line, color="black", linestyle="--", linewidth=1.2,
                        label=f"{line:.0f}-min aerobic session")
    met = days["aerobic_met"].to_numpy(dtype=bool)
    ax.set_xlim(-0.5, len(per) - 0.5)
    ax.set_ylim(0, max(line * 1.6, bottom.max() * 1.05,
                       _headroom(bottom[met], _TWO_LINES_PT, ax)))
    gap = 3 / _pt_per_unit(ax)
    for xi in np.flatnonzero(met):
        ax.text(xi, bottom[xi] + gap, AEROBIC_MARK, ha="center", va="bottom",
                fontsize=TEXT_PT, color=STATUS_COLORS["met"],
                linespacing=1.1)
    ax.set_xticks(x, [str(d)[:3] for d in per.index])
    ax.set_ylabel("Minutes", fontsize=TEXT_PT)
    _style(ax, "The week at a glance")
    # Legend beside the plot, top down as the bars stack, then the target line.
    handles = [h for h, _ in legend[::-1]] + [target]
    labels = [label for _, label in legend[::-1]] + [target.get_label()]
    _legend(ax, handles, [_wrap(t) for t in labels], loc="upper left",
            bbox_to_anchor=(1.02, 1.0), labelspacing=0.6)
    ax.grid(axis="y", color="#EEEEEE")
    ax.set_axisbelow(True)
    if empty:
        _hint(ax)
    return ax


#: The progression chart's marks for changes: (change, marker, label).
_CHANGES = (("harder", "^", "moved to a harder variant"),
            ("easier", "s", "stepped back after pain"),
            ("stopped", "X", "stopped after pain"))


def plot_progression(weeks: pd.DataFrame | Progression | Plan,
                     changes: pd.DataFrame | None = None, ax: Axes | None = None, *,
                     lib: Library | None = None) -> Axes:
    """Chart 4: weekly minutes by category across the weeks of a progression.

    Draws :func:`backguide.measures.category_minutes` of a progression's
    entries (one row per week); given a :class:`~backguide.Progression`
    instead, measures its weeks (with ``lib``, None for the shipped
    library) and marks its changes unless ``changes`` is given; a
    :class:`~backguide.plan.Plan` is a programme of one week.  ``changes``
    (the progression's) marks a move to a harder variant with a triangle and
    a step back after pain with a square.
    """
    if isinstance(weeks, Progression):
        changes = weeks.changes if changes is None else changes
        weeks = weeks.minutes(lib=lib)
    elif isinstance(weeks, Plan):
        weeks = category_minutes(weeks.entries.assign(week=1), values=[1], lib=lib)
    ax = _axes(ax, "progression")
    totals = weeks.reindex(columns=list(CATEGORIES)).fillna(0.0)
    x = totals.index.to_numpy()
    drawn = False
    for cat in CATEGORIES:
        if totals[cat].sum() > 0:
            ax.plot(x, totals[cat], marker="o", color=CATEGORY_COLORS[cat], label=cat)
            drawn = True
    top = float(totals.to_numpy().max()) if drawn else 10.0
    ch = changes if changes is not None else pd.DataFrame(columns=["week", "change"])
    # Each kind of change on a row of its own over the lines, so that two in one week
    # stay apart.
    for i, (kind, marker, label) in enumerate(_CHANGES):
        wk = sorted(set(ch.loc[ch["change"] == kind, "week"]))
        if wk:
            ax.scatter(wk, [top * (1.06 + 0.07 * i)] * len(wk), marker=marker, color="black",
                       label=label, zorder=3, clip_on=False)
    if len(x) <= 16:
        ax.set_xticks(x)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Week", fontsize=TEXT_PT)
    ax.set_ylabel("Minutes per week", fontsize=TEXT_PT)
    ax.set_ylim(0, top * 1.28 if top else 10)
    _style(ax, "Progression across the weeks")
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        _legend(ax, handles, [_wrap(t) for t in labels], loc="upper left",
                bbox_to_anchor=(1.02, 1.0), labelspacing=0.6)
    ax.grid(color="#EEEEEE")
    if not drawn:
        _hint(ax)
    return ax
