"""The four charts show the numbers of the tables they draw, read back from the artists.

Each ``assert_*_chart`` helper reads one chart's bars, lines, markers and
labels back from its Axes and compares them with the table it was given.
The ``*_catches_*`` tests draw a deliberately wrong table and check that the
helper notices, so the helpers cannot silently pass.
"""

from __future__ import annotations

import itertools
import os
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import backguide as bg
from backguide import charts
from backguide.charts import (
    AEROBIC_MARK,
    BAND_COLOR,
    CHART_LAYOUT,
    CHART_MARGINS,
    CHART_SIZES,
    EMPTY_HINT,
    STATUS_COLORS,
    TEXT_PT,
    TITLE_PT,
    ChartSVG,
    chart_texts,
    draw_figure,
    figure_svg,
    min_font_pt,
)
from backguide.schema import CATEGORIES, DAYS, MUSCLES, SPINE_MUSCLES


def _ax() -> Axes:
    return Figure().add_subplot()


def _texts(ax: Axes) -> list:
    return [t for t in ax.texts if t.get_text() != EMPTY_HINT]


def _close(got, want, what: str):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                               rtol=1e-9, atol=1e-9, err_msg=what)


# --- reading the charts back ---------------------------------------------------------------

def assert_week_chart(ax: Axes, days: pd.DataFrame) -> None:
    """Bars per day and category equal ``days`` (stacked), marks on the aerobic days."""
    per = days[list(CATEGORIES)]
    bars = {c.get_label(): c.patches for c in ax.containers}
    assert set(bars) <= set(CATEGORIES), set(bars)
    for cat in CATEGORIES:
        if per[cat].sum() > 0:
            assert cat in bars, f"{cat} has minutes but no bars"
        if cat not in bars:
            continue
        patches = sorted(bars[cat], key=lambda p: p.get_x())
        assert len(patches) == 7, cat
        _close([p.get_x() + p.get_width() / 2 for p in patches], range(7), f"{cat} x")
        _close([p.get_height() for p in patches], per[cat], f"{cat} heights")
        # every bar of a category in one colour, the colour of an entry in the legend
        assert len({_look(p) for p in patches}) == 1, cat
        assert _look(patches[0]) in _legend_looks(ax), f"{cat}: a colour the legend names"
    # Stacked: each bar sits on the ones drawn before it; the top is the day's total.
    top = np.zeros(7)
    for patches in bars.values():
        patches = sorted(patches, key=lambda p: p.get_x())
        _close([p.get_y() for p in patches], top, "stacked bottoms")
        top = top + [p.get_height() for p in patches]
    _close(top, per.sum(axis=1), "day totals")
    assert [t.get_text() for t in ax.get_xticklabels()] == [d[:3] for d in DAYS]
    marks = [t for t in _texts(ax) if t.get_text() == AEROBIC_MARK]
    marked = sorted(int(round(t.get_position()[0])) for t in marks)
    assert marked == list(np.flatnonzero(days["aerobic_met"].to_numpy())), "aerobic marks"
    for t in marks:
        x, y = t.get_position()
        assert y >= top[int(round(x))], "the mark sits above its bar"
    threshold = days.attrs["threshold"]
    (line,) = ax.lines
    _close(line.get_ydata(), [threshold, threshold], "threshold line")
    # The line is named in the legend (its words wrapped to fit beside the plot).
    name = f"{threshold:.0f}-min aerobic session"
    assert line.get_label() == name
    legend = ax.get_legend()
    shown = [" ".join(t.get_text().split()) for t in legend.get_texts()]
    assert name in shown, shown
    assert legend.legend_handles[shown.index(name)].get_linestyle() == line.get_linestyle()


def _look(patch) -> tuple:
    """What a bar looks like: its fill, and its hatch and the hatch's colour, if any."""
    hatch = patch.get_hatch()
    return (to_rgba(patch.get_facecolor()), hatch,
            to_rgba(patch.get_hatchcolor()) if hatch else None)


def _legend_looks(ax: Axes) -> dict[tuple, str]:
    """The legend's coloured keys, by look: their words (on one line)."""
    legend = ax.get_legend()
    return {_look(h): " ".join(t.get_text().split())
            for h, t in zip(legend.legend_handles, legend.get_texts())
            if hasattr(h, "get_hatch")}


def _colour_of(ax: Axes, words: str) -> tuple:
    """The colour the legend gives ``words`` ("stretching", "strengthening"): the fill of
    the key whose words start with them."""
    (look,) = [k for k, said in _legend_looks(ax).items() if said.split(" (")[0] == words]
    return look[0]


def _days_in_colour(ax: Axes, colour: tuple) -> list[int]:
    """The days (0 is Monday) whose bar shows ``colour``, as its fill or its hatch."""
    return sorted({int(round(p.get_x() + p.get_width() / 2)) for c in ax.containers
                   for p in c.patches if p.get_height() > 0
                   and colour in (_look(p)[0], _look(p)[2])})


def assert_category_chart(ax: Axes, kinds: pd.DataFrame) -> None:
    """Bars equal ``value``, grey bands span ``low``-``high``, the words say the status."""
    n = len(kinds)
    band = [p for p in ax.patches if p.get_facecolor() == to_rgba(BAND_COLOR)]
    bars = [p for p in ax.patches if p.get_facecolor() != to_rgba(BAND_COLOR)]
    band.sort(key=lambda p: p.get_x())
    bars.sort(key=lambda p: p.get_x())
    assert len(band) == len(bars) == n
    _close([p.get_x() + p.get_width() / 2 for p in bars], range(n), "bar x")
    _close([p.get_height() for p in bars], kinds["value"], "bar heights")
    _close([p.get_y() for p in bars], np.zeros(n), "bars stand on 0")
    _close([p.get_y() for p in band], kinds["low"], "band bottoms")
    _close([p.get_y() + p.get_height() for p in band], kinds["high"], "band tops")
    for p, kind in zip(bars, kinds["kind"]):
        assert p.get_facecolor() == to_rgba(charts.KIND_COLORS[kind])
    words = {int(round(t.get_position()[0])): t for t in _texts(ax)}
    assert sorted(words) == list(range(n))
    for i, r in enumerate(kinds.itertuples()):
        text = words[i].get_text()
        number, mark = text.split("\n")
        assert float(number) == round(r.value), text
        said = [s for s in ("met", "short", "over") if s in mark]
        assert said == [r.status], (text, r.status)
        assert to_rgba(words[i].get_color()) == to_rgba(STATUS_COLORS[r.status])
        assert words[i].get_position()[1] >= r.value
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    for tick, r in zip(ticks, kinds.itertuples()):
        assert tick.split("\n")[0] == r.label
        whole = "under 1" if 0 < r.minutes < 0.5 else f"{r.minutes:.0f}"
        assert f"\n{whole} min/week\n" in tick
    # Each target's sources in a few words (sources.csv's short names), never their ids.
    assert [t.split("\n")[2] for t in ticks] == [
        "(target: Wolfe, ACSM)", "(target: WHO)",
        "(target: Free your back)"]


def _muscle_at(ax: Axes) -> dict[int, str]:
    """The muscle drawn at each y (bar centres are the tick positions)."""
    return {int(round(y)): t.get_text().removesuffix(" (not worked)")
            for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}


PRIMARY, SECONDARY = "primary muscle", "secondary muscle (half a primary's share)"


def assert_muscle_chart(ax: Axes, muscles: pd.DataFrame) -> None:
    """Primary bars' widths, secondary bars' widths and lefts equal ``muscles``."""
    at = _muscle_at(ax)
    assert sorted(at.values()) == sorted(MUSCLES)
    bars = {c.get_label(): c.patches for c in ax.containers}
    assert set(bars) == {PRIMARY, SECONDARY}

    def read(patches):
        out = {}
        for p in patches:
            centre = p.get_y() + p.get_height() / 2
            assert abs(centre - round(centre)) < 1e-9, "bars sit on the ticks"
            muscle = at[int(round(centre))]
            out[muscle] = (p.get_x(), p.get_width())
        assert sorted(out) == sorted(MUSCLES)
        return pd.DataFrame(out, index=["left", "width"]).T.reindex(list(MUSCLES))

    primary, secondary = read(bars[PRIMARY]), read(bars[SECONDARY])
    _close(primary["width"], muscles["primary"], "primary widths")
    _close(primary["left"], np.zeros(len(MUSCLES)), "primary bars start at 0")
    _close(secondary["width"], muscles["secondary"], "secondary widths")
    _close(secondary["left"], muscles["primary"], "secondary bars start where primary end")
    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    total = muscles["primary"] + muscles["secondary"]
    for m in MUSCLES:
        unworked = m in SPINE_MUSCLES and total[m] == 0
        name = f"{m} (not worked)" if unworked else m
        assert name in labels, name
        if m in SPINE_MUSCLES:
            assert labels[name].get_fontweight() == "bold"


def assert_progression_chart(ax: Axes, weeks: pd.DataFrame, changes: pd.DataFrame) -> None:
    """One line per category with minutes, y = ``weeks``; markers at the changes' weeks."""
    lines = {line.get_label(): line for line in ax.lines}
    drawn = [c for c in CATEGORIES if weeks[c].sum() > 0]
    assert sorted(lines) == sorted(drawn)
    for cat in drawn:
        _close(lines[cat].get_xdata(), weeks.index, f"{cat} weeks")
        _close(lines[cat].get_ydata(), weeks[cat], f"{cat} minutes")
    marks = {c.get_label(): sorted(c.get_offsets()[:, 0].tolist()) for c in ax.collections}
    for change, label in (("harder", "moved to a harder variant"),
                          ("easier", "stepped back after pain"),
                          ("stopped", "stopped after pain")):
        want = sorted(set(changes.loc[changes["change"] == change, "week"]))
        assert marks.get(label, []) == want, change


# --- the plans drawn ----------------------------------------------------------------------

def _hand_built() -> bg.Plan:
    """A bit of everything: a short and a long walk, cobra on its own, yoga, a stretch."""
    plan = (bg.Plan().add("Monday", "fast_walking").add("Monday", "cobra")
            .add("Tuesday", "fast_walking").add("Thursday", "yoga")
            .add("Saturday", "childs_pose").add("Saturday", "clamshell", session="new"))
    return plan.set_dose(2, minutes=10)


PLANS = {**{n: (lambda n=n: bg.load_starter(n)) for n in bg.starter_plans()},
         "hand_built": _hand_built}


@pytest.fixture(params=list(PLANS))
def plan(request) -> bg.Plan:
    return PLANS[request.param]()


def _progression(plan: bg.Plan) -> bg.Progression:
    if plan.is_empty:  # nothing to report on (a report on cat_cow would be refused)
        return bg.progress(plan, 5)
    first = plan.entries["exercise"].iloc[0]
    return bg.progress(plan, 5, feedback=[{}, {first: "worse"}, {}, {first: "worse"}])


def test_week_chart_shows_day_minutes(plan):
    days = bg.day_minutes(plan)
    assert_week_chart(bg.plot_week(days, ax=_ax()), days)


def test_category_chart_shows_category_summary(plan):
    kinds = bg.category_summary(plan)
    assert_category_chart(bg.plot_category_days(kinds, ax=_ax()), kinds)


def test_muscle_chart_shows_muscle_minutes(plan):
    muscles = bg.muscle_minutes(plan)
    assert_muscle_chart(bg.plot_muscle_volume(muscles, ax=_ax()), muscles)


def test_progression_chart_shows_category_minutes(plan):
    prog = _progression(plan)
    weeks = bg.category_minutes(prog.entries)
    assert_progression_chart(bg.plot_progression(weeks, prog.changes, ax=_ax()), weeks,
                             prog.changes)


# --- charts of hand-built plans, with the numbers worked out here ----------------------------

def test_week_chart_of_three_walks_and_a_short_one():
    plan = bg.Plan()
    for day, minutes in (("Monday", 20), ("Wednesday", 20), ("Friday", 25), ("Sunday", 10)):
        plan = plan.add(day, "fast_walking")
    plan = plan.set_dose(2, minutes=25).set_dose(3, minutes=10)
    plan = plan.add("Tuesday", "clamshell")  # 1 x 10 each side: 20 x 3 s = 1 min
    ax = bg.plot_week(bg.day_minutes(plan), ax=_ax())
    heights = {c.get_label(): [p.get_height() for p in c.patches] for c in ax.containers}
    assert heights == {"aerobic": [20, 0, 20, 0, 25, 0, 10], "strength": [0, 1, 0, 0, 0, 0, 0]}
    marks = sorted(t.get_position()[0] for t in ax.texts if t.get_text() == AEROBIC_MARK)
    assert marks == [0, 2, 4], "Sunday's 10-minute walk is too short"


def test_category_chart_of_a_hand_built_plan():
    plan = (bg.Plan().add("Monday", "yoga").add("Tuesday", "cat_cow")
            .add("Wednesday", "clamshell").add("Friday", "fast_walking"))
    ax = bg.plot_category_days(bg.category_summary(plan), ax=_ax())
    bars = [p for p in ax.patches if p.get_facecolor() != to_rgba(BAND_COLOR)]
    assert [p.get_height() for p in bars] == [2, 2, 1]
    words = [t.get_text() for t in ax.texts]
    assert words == ["2\n\u2713 met", "2\n\u2713 met", "1\n\u2717 short"]


def _muscle_bars(ax: Axes) -> tuple[dict, dict]:
    """Each muscle's primary and secondary bar widths, read off the chart."""
    at = _muscle_at(ax)
    bars = {c.get_label(): c.patches for c in ax.containers}
    return tuple({at[round(p.get_y() + p.get_height() / 2)]: p.get_width() for p in bars[k]}
                 for k in (PRIMARY, SECONDARY))


def test_muscle_chart_of_bird_dog_and_a_walk():
    plan = bg.Plan().add("Monday", "bird_dog").add("Tuesday", "fast_walking")
    ax = bg.plot_muscle_volume(bg.muscle_minutes(plan), ax=_ax())
    width, second = _muscle_bars(ax)
    bird = (80 + 9 * 3) / 60  # 2 sides x 5 reps x (5 s + 3 s), 3 s between the 10 holds
    # Shared out: bird dog's 3 primary muscles and 2 secondary at half make 4 parts;
    # walking's 4 primary and 2 secondary make 5, so 4 minutes a primary, 2 a secondary.
    assert width["quadriceps"] == 4.0 and second["abdominals"] == 2.0
    assert width["glutes"] == pytest.approx(4 + bird / 4)
    assert width["lower back"] == pytest.approx(bird / 4) and second["lower back"] == 2.0
    assert second["shoulders"] == pytest.approx(bird / 8) and width["shoulders"] == 0
    assert sum(width.values()) + sum(second.values()) == pytest.approx(20 + bird)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "hips (not worked)" in labels and "glutes" in labels


def _dose_rule_minutes(plan: bg.Plan) -> float:
    """The plan's minutes, entry by entry, by the dose rule (backguide.dose)."""
    return sum(bg.estimate_seconds(r.sets, r.reps, r.hold_s, r.rest_s, r.per_side, r.minutes)
               for r in plan.entries.itertuples(index=False)) / 60


def _muscle_words(ax: Axes) -> str:
    """The words over the muscle chart: its title and the note under it, on one line."""
    return " ".join(" ".join(t.get_text().split()) for t in [ax.title, *ax.texts]
                    if t.get_text() != EMPTY_HINT)


def test_muscle_bars_add_up_to_the_weeks_minutes(plan):
    ax = bg.plot_muscle_volume(plan, ax=_ax())
    width, second = _muscle_bars(ax)
    total = _dose_rule_minutes(plan)
    assert sum(width.values()) + sum(second.values()) == pytest.approx(total, rel=1e-12)
    words = _muscle_words(ax)
    assert f"the bars add up to {total:.0f} minutes" in words, words
    assert f"Where the week's {total:.0f} minutes go" in ax.get_title()


def test_a_walk_is_shared_among_its_muscles_and_the_chart_says_so():
    """One 30-minute walk: 4 primary muscles and 2 secondary at half make 5 parts of 6
    minutes; the bars add up to 30, not 150 (30 for each muscle)."""
    plan = bg.Plan().add("Wednesday", "fast_walking").set_dose(0, minutes=30)
    ax = bg.plot_muscle_volume(plan, ax=_ax())
    width, second = _muscle_bars(ax)
    assert {m: w for m, w in width.items() if w} == {"quadriceps": 6.0, "hamstrings": 6.0,
                                                      "glutes": 6.0, "calves": 6.0}
    assert {m: w for m, w in second.items() if w} == {"abdominals": 3.0, "lower back": 3.0}
    assert ax.get_title() == "Where the week's 30 minutes go, muscle by muscle"
    assert _muscle_words(ax).endswith(
        "Each exercise's minutes are shared among the muscles it works, a secondary muscle "
        "getting half a primary one's share: the bars add up to 30 minutes.")
    assert ax.get_xlabel().startswith("Minutes this week")


# --- stretching: the checklist and the week chart count it by one rule ------------------------

def _yoga_week() -> bg.Plan:
    """Mind-body (yoga) counts as stretching and strengthening, mobility (cat-cow) as
    stretching: both must show in stretching's colour."""
    return (bg.Plan().add("Monday", "yoga").add("Tuesday", "cat_cow")
            .add("Wednesday", "clamshell").add("Friday", "fast_walking")
            .add("Saturday", "childs_pose"))


@pytest.mark.parametrize("make", [*PLANS.values(), _yoga_week],
                         ids=[*PLANS, "yoga_week"])
def test_the_week_chart_colours_the_days_the_checklist_counts(make):
    plan = make()
    check = bg.check_guidance(plan).set_index("target")
    ax = bg.plot_week(plan, ax=_ax())
    for words, target in (("stretching", "stretch_days_per_week"),
                          ("strengthening", "strength_days_per_week")):
        counted = check.loc[[target], "value"].iloc[0]
        shown = _days_in_colour(ax, _colour_of(ax, words))
        assert len(shown) == counted, (words, shown, counted)


def test_core_stability_shows_stretching_on_every_day_it_counts():
    """The week the issue was about: "Stretching: 7 days" and a bar of stretching's colour
    on all seven, mobility work (cat-cow, pelvic tilt) included."""
    plan = bg.load_starter("core_stability")
    check = bg.check_guidance(plan).set_index("check")
    assert check.at["acsm2021_flex_days", "message"].startswith("Stretching: 7 days this week")
    ax = bg.plot_week(plan, ax=_ax())
    stretching = _colour_of(ax, "stretching")
    assert stretching == to_rgba(charts.KIND_COLORS["stretch"])
    assert _days_in_colour(ax, stretching) == list(range(7))
    bars = {c.get_label(): c.patches for c in ax.containers}
    assert {_look(p)[0] for p in bars["mobility"]} == {stretching}
    assert "stretching (incl. mobility)" in _legend_looks(ax).values()


def test_yoga_shows_both_colours_and_the_legend_says_why():
    ax = bg.plot_week(_yoga_week(), ax=_ax())
    (yoga,) = [p for c in ax.containers if c.get_label() == "mind-body" for p in c.patches
               if p.get_height() > 0]
    assert _look(yoga) == (to_rgba(_colour_of(ax, "strengthening")), "//",
                           to_rgba(_colour_of(ax, "stretching")))
    assert _legend_looks(ax)[_look(yoga)] == "strengthening + stretching"
    assert _days_in_colour(ax, _colour_of(ax, "stretching")) == [0, 1, 5]
    assert _days_in_colour(ax, _colour_of(ax, "strengthening")) == [0, 2]


# --- a plan instead of a table, and the library as a keyword ----------------------------------

def _mobility_as_strength() -> bg.Library:
    """The shipped tables with cat-cow filed under strength."""
    lib = bg.shipped_library()
    ex = lib.exercises.copy()
    ex["category"] = ex["category"].mask(ex.index == "cat_cow", "strength")
    return bg.Library(ex, lib.sources, lib.doses, lib.guidance, lib.poses)


@pytest.mark.parametrize("chart, measure", [
    (bg.plot_week, bg.day_minutes), (bg.plot_category_days, bg.category_summary),
    (bg.plot_muscle_volume, bg.muscle_minutes)])
def test_a_chart_takes_a_plan_as_it_takes_its_table(chart, measure):
    plan = bg.load_starter("core_stability")
    from_plan, from_table = chart(plan, ax=_ax()), chart(measure(plan), ax=_ax())
    assert [p.get_bbox().bounds for p in from_plan.patches] == \
        [p.get_bbox().bounds for p in from_table.patches]
    assert [t.get_text() for t in from_plan.texts] == [t.get_text() for t in from_table.texts]
    with pytest.raises(TypeError):
        chart(plan, None, bg.shipped_library())  # lib only by name


def test_a_chart_of_a_plan_measures_it_with_the_library_given():
    plan = bg.Plan().add("Tuesday", "cat_cow")  # 5 x (10 s + 3 s) + 4 x 3 s = 77 s
    heights = {c.get_label(): [p.get_height() for p in c.patches]
               for c in bg.plot_week(plan, ax=_ax(), lib=_mobility_as_strength()).containers}
    assert heights == {"strength": [0, 77 / 60, 0, 0, 0, 0, 0]}
    shipped = {c.get_label() for c in bg.plot_week(plan, ax=_ax()).containers}
    assert shipped == {"mobility"}


def test_the_progression_chart_takes_a_progression():
    plan = bg.Plan().add("Monday", "partial_cobra").add("Tuesday", "fast_walking")
    prog = bg.progress(plan, 4, feedback={"partial_cobra": "pain-free"})
    ax = bg.plot_progression(prog, ax=_ax())
    assert_progression_chart(ax, prog.minutes(), prog.changes)
    one = bg.plot_progression(plan, ax=_ax())
    assert {line.get_label(): list(line.get_ydata()) for line in one.lines} == {
        "stretch": [(3 * 13 + 2 * 3) / 60], "aerobic": [20.0]}


def test_progression_chart_of_partial_cobra_working_up():
    plan = (bg.Plan().add("Monday", "partial_cobra").add("Monday", "bird_dog")
            .add("Tuesday", "clamshell"))
    prog = bg.progress(plan, 7, feedback=[{"partial_cobra": "pain-free", "bird_dog": "worse",
                                           "clamshell": "worse"}] * 4
                       + [{"partial_cobra": "pain-free"}] * 2)
    ax = bg.plot_progression(bg.category_minutes(prog.entries), prog.changes, ax=_ax())
    lines = {line.get_label(): line.get_ydata() for line in ax.lines}
    # partial cobra 3 reps, hold 10 s growing by 5 s to 30: 3 x (hold + 3) s; week 6 cobra
    # at its start (hold 10 s), week 7 hold 15 s
    holds = [10, 15, 20, 25, 30, 10, 15]
    assert list(lines["stretch"]) == pytest.approx([(3 * (h + 3) + 2 * 3) / 60 for h in holds])
    marks = {c.get_label(): sorted(c.get_offsets()[:, 0]) for c in ax.collections}
    assert marks == {"moved to a harder variant": [6], "stepped back after pain": [2],
                     "stopped after pain": [2]}


# --- empty plans, axes, pyplot -------------------------------------------------------------------

def _charts(plan: bg.Plan, ax_for=lambda: None):
    prog = bg.progress(plan, 3)
    return {
        "week": bg.plot_week(bg.day_minutes(plan), ax=ax_for()),
        "category": bg.plot_category_days(bg.category_summary(plan), ax=ax_for()),
        "muscle": bg.plot_muscle_volume(bg.muscle_minutes(plan), ax=ax_for()),
        "progression": bg.plot_progression(bg.category_minutes(prog.entries), prog.changes,
                                           ax=ax_for()),
    }


def test_an_empty_plan_shows_the_hint_and_nothing_else():
    plan = bg.Plan()
    charts = _charts(plan, _ax)
    for kind, ax in charts.items():
        assert EMPTY_HINT in [t.get_text() for t in ax.texts], kind
    assert_week_chart(charts["week"], bg.day_minutes(plan))
    assert_category_chart(charts["category"], bg.category_summary(plan))
    assert_muscle_chart(charts["muscle"], bg.muscle_minutes(plan))
    assert not charts["progression"].lines


def test_a_plan_shows_no_hint():
    for kind, ax in _charts(bg.load_starter("gentle_start"), _ax).items():
        assert EMPTY_HINT not in [t.get_text() for t in ax.texts], kind


def test_charts_draw_on_the_axes_given_or_their_own_and_leave_pyplot_alone(artifacts):
    before = plt.get_fignums()
    given = {}
    charts = _charts(bg.load_starter("core_stability"),
                     lambda: given.setdefault(len(given), _ax()))
    assert [ax for ax in charts.values()] == list(given.values())
    own = _charts(bg.load_starter("core_stability"))
    for kind, ax in own.items():
        assert ax.get_title() and (ax.get_xlabel() or ax.get_ylabel()), kind
        assert ax.get_legend() is not None, kind
        ax.figure.savefig(artifacts / f"chart_{kind}_core_stability.png", dpi=60)
    assert plt.get_fignums() == before, "no pyplot figure left behind"


# --- the helpers catch wrong charts ------------------------------------------------------

@pytest.fixture(scope="module")
def gentle() -> bg.Plan:
    return bg.load_starter("gentle_start")


def _drawn_wrong(draw, table, wrong, check):
    """Draw ``wrong`` and check it against ``table``: the helper must object."""
    ax = draw(wrong, ax=_ax())
    with pytest.raises(AssertionError):
        check(ax, table)


def test_week_helper_catches_doubled_bars_and_moved_marks(gentle):
    days = bg.day_minutes(gentle)
    doubled = days.copy()
    doubled[list(CATEGORIES)] *= 2
    _drawn_wrong(bg.plot_week, days, doubled, assert_week_chart)
    moved = days.copy()
    moved["aerobic_met"] = np.roll(days["aerobic_met"].to_numpy(), 1)
    _drawn_wrong(bg.plot_week, days, moved, assert_week_chart)
    one_day = days.copy()
    one_day.loc["Friday", "mobility"] += 1
    _drawn_wrong(bg.plot_week, days, one_day, assert_week_chart)


def test_category_helper_catches_wrong_values_and_status(gentle):
    kinds = bg.category_summary(gentle)
    higher = kinds.assign(value=kinds["value"] + 1)
    _drawn_wrong(bg.plot_category_days, kinds, higher, assert_category_chart)
    flipped = kinds.assign(status=np.where(kinds["status"] == "met", "short", "met"))
    _drawn_wrong(bg.plot_category_days, kinds, flipped, assert_category_chart)


def test_muscle_helper_catches_zeroed_and_swapped_bars(gentle):
    muscles = bg.muscle_minutes(gentle)
    _drawn_wrong(bg.plot_muscle_volume, muscles, muscles * 0, assert_muscle_chart)
    swapped = muscles.rename(columns={"primary": "secondary", "secondary": "primary"})
    _drawn_wrong(bg.plot_muscle_volume, muscles, swapped, assert_muscle_chart)
    shifted = muscles.copy()
    shifted.index = list(MUSCLES[1:]) + [MUSCLES[0]]
    _drawn_wrong(bg.plot_muscle_volume, muscles, shifted, assert_muscle_chart)


def test_progression_helper_catches_a_flat_line_and_missing_markers():
    plan = bg.Plan().add("Monday", "partial_cobra").add("Tuesday", "fast_walking")
    prog = bg.progress(plan, 7, feedback={"partial_cobra": "pain-free"})
    weeks = bg.category_minutes(prog.entries)
    flat = weeks.copy()
    flat[:] = weeks.iloc[0].to_numpy()
    ax = bg.plot_progression(flat, prog.changes, ax=_ax())
    with pytest.raises(AssertionError):
        assert_progression_chart(ax, weeks, prog.changes)
    ax = bg.plot_progression(weeks, None, ax=_ax())
    with pytest.raises(AssertionError):
        assert_progression_chart(ax, weeks, prog.changes)


# --- the charts fit their figures: every text whole, at least 12 pt, none on another ----------

def _every_exercise_every_day() -> bg.Plan:
    """The longest labels and tallest bars: each exercise of the library on each day."""
    plan = bg.Plan(name="everything")
    for day in DAYS:
        for ex in bg.shipped_library().exercises.index:
            plan = plan.add(day, ex)
    return plan


#: Real weeks, the empty one and the fullest one.
WEEK_PLANS = {**{n: (lambda n=n: bg.load_starter(n)) for n in bg.starter_plans()},
              "empty": lambda: bg.Plan(name="x"),
              "everything": _every_exercise_every_day}

#: The planner's charts (its tabs' order, as in CHART_LAYOUT) and the progression's.
PLANNER = ("week", "category", "muscle")


def _draw_for(chart: str, plan: bg.Plan):
    """``draw(ax)`` for ``chart`` from the tables ``measure_week`` (or ``progress``) gives."""
    if chart == "progression":
        prog = _progression(plan)
        weeks = bg.category_minutes(prog.entries)
        return lambda ax: bg.plot_progression(weeks, prog.changes, ax=ax)
    m = bg.measure_week(plan)
    return {"week": lambda ax: bg.plot_week(m.days, ax=ax),
            "category": lambda ax: bg.plot_category_days(m.kinds, ax=ax),
            "muscle": lambda ax: bg.plot_muscle_volume(m.muscles, ax=ax)}[chart]


@pytest.fixture(scope="module")
def week_plans() -> dict[str, bg.Plan]:
    return {name: make() for name, make in WEEK_PLANS.items()}


def _drawn_texts(fig: Figure) -> tuple[list, object]:
    """The texts matplotlib draws when ``fig`` is drawn (visible, not empty, tick labels
    of the ticks in view only), recorded as they are drawn, and the renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    drawn = []
    draw = Text.draw

    def record(self, renderer):
        if self.get_visible() and self.get_text():
            drawn.append(self)
        return draw(self, renderer)

    FigureCanvasAgg(fig)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Text, "draw", record)
        fig.canvas.draw()
    drawn = list(dict.fromkeys(t for t in drawn if t.get_text().strip()))
    assert set(drawn) <= set(fig.findobj(Text)), "every text drawn is in the figure's tree"
    return drawn, fig.canvas.get_renderer()


@pytest.fixture(scope="module")
def drawn(week_plans) -> list[tuple[str, Figure, list, object]]:
    """(what, figure, texts drawn, renderer) for each chart of each plan, at the planner's
    layout (the progression at its own), and as the functions draw them on figures of
    their own."""
    figures = [(f"{chart} of {name}",
                draw_figure(_draw_for(chart, plan), CHART_SIZES[chart], **CHART_MARGINS[chart]))
               for name, plan in week_plans.items() for chart in (*PLANNER, "progression")]
    figures += [(f"{name} of everything, own figure", ax.figure)
                for name, ax in _charts(week_plans["everything"]).items()]
    return [(what, fig, *_drawn_texts(fig)) for what, fig in figures]


def _inside(box, outer, slack=0.5) -> bool:
    return (box.x0 >= outer.x0 - slack and box.y0 >= outer.y0 - slack
            and box.x1 <= outer.x1 + slack and box.y1 <= outer.y1 + slack)


def _overlap(a, b, slack=0.5) -> bool:
    """Whether boxes ``a`` and ``b`` overlap by more than ``slack`` pixels each way."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > slack
            and min(a.y1, b.y1) - max(a.y0, b.y0) > slack)


def test_the_planner_layout_is_each_charts_size_and_margins():
    assert CHART_LAYOUT == tuple((CHART_SIZES[k], CHART_MARGINS[k]) for k in PLANNER)
    for chart, (w, h) in CHART_SIZES.items():
        assert w * 72 >= 576, f"{chart}: shown at 576 px or wider, 1 pt is at least 1 px"
        assert 0 < CHART_MARGINS[chart]["left"] < CHART_MARGINS[chart]["right"] <= 1
        assert 0 < CHART_MARGINS[chart]["bottom"] < CHART_MARGINS[chart]["top"] <= 1


def test_every_text_is_whole_inside_its_figure_and_12_pt_or_more(drawn):
    problems = []
    for what, fig, texts, renderer in drawn:
        assert texts, what
        ax = fig.axes[0]
        titles = {ax.get_title(loc) for loc in ("left", "center", "right")} - {""}
        assert titles & {t.get_text() for t in texts}, f"{what}: no title drawn"
        if ax.get_legend() is not None or not what.startswith("progression of empty"):
            assert set(ax.get_legend().get_texts()) <= set(texts), f"{what}: legend not drawn"
        for t in texts:
            box = t.get_window_extent(renderer)
            if not _inside(box, fig.bbox):
                problems.append(f"{what}: {t.get_text()!r} at {box.bounds} outside "
                                f"{fig.bbox.bounds}")
            if t.get_fontsize() < TEXT_PT:
                problems.append(f"{what}: {t.get_text()!r} at {t.get_fontsize()} pt")
        sizes = [t.get_fontsize() for t in texts]
        assert min_font_pt(fig) == min(sizes) >= 12, what
        assert max(sizes) >= TITLE_PT, f"{what}: the title stands out"
    assert not problems, "\n".join(problems)


def test_no_text_lies_on_another_and_legends_stay_off_the_plot(drawn):
    problems = []
    for what, fig, texts, renderer in drawn:
        boxes = [(t, t.get_window_extent(renderer)) for t in texts]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                if _overlap(box_a, box_b):
                    problems.append(f"{what}: {a.get_text()!r} on {b.get_text()!r}")
        ax = fig.axes[0]
        legend = ax.get_legend()
        if legend is not None and _overlap(legend.get_window_extent(renderer),
                                           ax.get_window_extent(renderer)):
            problems.append(f"{what}: the legend covers the plot")
    assert not problems, "\n".join(problems)


def test_the_muscle_names_do_not_overlap(week_plans):
    for name in ("empty", "everything", *bg.starter_plans()):
        muscles = bg.measure_week(week_plans[name]).muscles
        size, margins = CHART_LAYOUT[2]
        fig = draw_figure(lambda ax: bg.plot_muscle_volume(muscles, ax=ax), size, **margins)
        _, renderer = _drawn_texts(fig)
        labels = sorted(fig.axes[0].get_yticklabels(),
                        key=lambda t: t.get_window_extent(renderer).y0)
        assert len(labels) == len(MUSCLES)
        for low, high in zip(labels, labels[1:]):
            below, above = low.get_window_extent(renderer), high.get_window_extent(renderer)
            assert below.y1 <= above.y0, f"{name}: {low.get_text()!r} under {high.get_text()!r}"


def test_figure_svg_is_inline_markup_that_scales(week_plans):
    plan = week_plans["stretch_and_strengthen"]
    marks = {}
    for chart, (size, margins) in zip(PLANNER, CHART_LAYOUT):
        svg = figure_svg(_draw_for(chart, plan), size, **margins)
        assert isinstance(svg, ChartSVG) and isinstance(svg, str)
        assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
        root = svg[:svg.index(">")]
        view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', root)
        assert view, root
        assert float(view[1]) == pytest.approx(size[0] * 72)
        assert float(view[2]) == pytest.approx(size[1] * 72)
        assert not re.search(r'\s(width|height)="', root), f"{chart}: fixed size: {root}"
        assert 'preserveAspectRatio="xMidYMid meet"' in root
        assert (svg.width_pt, svg.height_pt) == pytest.approx((size[0] * 72, size[1] * 72))
        assert svg.min_font_pt >= 12
        assert svg.rstrip().endswith("</svg>")
        # The same chart, the same markup (the planner compares them); its ids its own.
        assert figure_svg(_draw_for(chart, plan), size, **margins) == svg
        ids = set(re.findall(r'\sid="([^"]+)"', svg))
        prefix = os.path.commonprefix(sorted(ids))
        assert prefix.startswith("bg") and len(prefix) > 4, prefix
        refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg))
        assert refs and refs <= ids, "every reference is to an id of this chart"
        assert "\n*{" not in svg and ">*{" not in svg, "the style sheet is this chart's only"
        marks[chart] = ids
    assert not (marks["week"] & marks["category"]) and not (marks["week"] & marks["muscle"])


def test_figure_svg_draws_what_figure_png_draws(week_plans):
    """The SVG's texts are the chart's: each tick label's words are in the markup's comments."""
    muscles = bg.measure_week(week_plans["empty"]).muscles
    size, margins = CHART_LAYOUT[2]
    svg = figure_svg(lambda ax: bg.plot_muscle_volume(muscles, ax=ax), size, **margins)
    for name in ("lower back (not worked)", "arms", "Where the week's 0 minutes go, muscle by muscle",
                 "Minutes this week (bold: the muscles that support the spine)", EMPTY_HINT):
        assert f"<!-- {name} -->" in svg, name


# --- colours that colour-blind readers can tell apart ---------------------------------------
#
# Colour-vision deficiency is simulated as in Machado, Oliveira & Fernandes (2009), "A
# physiologically-based model for simulation of color vision deficiency", IEEE Transactions
# on Visualization and Computer Graphics 15(6):1291-1298, doi:10.1109/TVCG.2009.113: their
# matrices for severity 1.0 (dichromacy), applied to linear RGB.  Colour differences are
# CIEDE2000 (CIE 142-2001; as in Sharma, Wu & Dalal 2005, whose test data check it below) in
# CIELAB under D65, not CIE76: CIE76 overstates differences between dark saturated colours
# (Tol's indigo #332288 and wine #882255 are 38 apart by CIE76 under protanopia, 12 by
# CIEDE2000) and would pass palettes whose colours look alike.
#
# The floor is 15 rather than 12: the two colours users reported as alike under
# deuteranopia, Okabe-Ito orange #E69F00 (mobility) and vermillion #D55E00 (aerobic), are
# 12.5 apart then, and the old palette's sky blue and bluish green 12.1 under tritanopia, so
# at 12 the starter plans' charts in the very palette that prompted the check would pass.

#: The least CIEDE2000 difference between two colours shown side by side, in every vision.
MIN_DELTA_E = 15.0
#: WCAG 2.1's least contrast against the page: graphics (1.4.11) and text under 18 pt, or
#: under 14 pt bold (1.4.3; the charts' words are 12 pt).
MIN_GRAPHIC_CONTRAST, MIN_TEXT_CONTRAST = 3.0, 4.5

MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal", *MACHADO_2009)
#: Linear sRGB to CIE XYZ (IEC 61966-2-1, D65).
_SRGB_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                      [0.2126729, 0.7151522, 0.0721750],
                      [0.0193339, 0.1191920, 0.9503041]])


def _linear(rgb) -> np.ndarray:
    """sRGB (0-1) to linear RGB."""
    c = np.asarray(rgb, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _encoded(linear) -> np.ndarray:
    """Linear RGB to sRGB (0-1), clipped to the gamut."""
    c = np.clip(np.asarray(linear, dtype=float), 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb, vision: str) -> np.ndarray:
    """How ``rgb`` (sRGB, 0-1, any leading shape) looks to a dichromat, by Machado 2009."""
    rgb = np.asarray(rgb, dtype=float)[..., :3]
    return rgb if vision == "normal" else _encoded(_linear(rgb) @ MACHADO_2009[vision].T)


def cielab(rgb) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    xyz = _linear(rgb) @ _SRGB_XYZ.T / _SRGB_XYZ.sum(axis=1)
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as Sharma, Wu & Dalal (2005) give it."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1 = np.degrees(np.arctan2(b1, a1)) % 360 if c1 else 0.0
    h2 = np.degrees(np.arctan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = (-2 * np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
           * np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2
                         + r_t * (d_c / s_c) * (d_h / s_h)))


def colour_difference(a, b, vision: str = "normal") -> float:
    """CIEDE2000 between colours ``a`` and ``b`` (any matplotlib colour) as seen in ``vision``."""
    return delta_e_2000(cielab(simulate(to_rgba(a), vision)),
                        cielab(simulate(to_rgba(b), vision)))


def contrast_ratio(a, b="white") -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    lum = sorted(float(_linear(to_rgba(c)[:3]) @ _SRGB_XYZ[1]) for c in (a, b))
    return (lum[1] + 0.05) / (lum[0] + 0.05)


def test_delta_e_2000_gives_sharma_wu_and_dalals_test_data():
    for lab1, lab2, want in (
            ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
            ((50, 0, 0), (50, -1, 2), 2.3669),
            ((50, 2.49, -0.001), (50, -2.49, 0.0009), 7.1792),
            ((50, 2.5, 0), (73, 25, -18), 27.1492),
            ((50, 2.5, 0), (56, -27, -3), 31.9030),
            ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
            ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
            ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441)):
        assert delta_e_2000(np.array(lab1, float), np.array(lab2, float)) == \
            pytest.approx(want, abs=1e-4)
        assert delta_e_2000(np.array(lab2, float), np.array(lab1, float)) == \
            pytest.approx(want, abs=1e-4)


def test_the_simulations_keep_greys_and_confuse_what_dichromats_confuse():
    for vision in VISIONS:
        for grey in (0.0, 0.2, 0.5, 1.0):
            np.testing.assert_allclose(simulate([grey] * 3, vision), [grey] * 3, atol=2e-3)
    assert cielab([1, 1, 1]) == pytest.approx([100, 0, 0], abs=1e-3)
    # Red and green are far apart, and close for a protanope or a deuteranope; blue and
    # green stay apart for them and come close for a tritanope.
    red, green, blue = "#CC3311", "#228833", "#0077BB"
    assert colour_difference(red, green) > 40
    assert max(colour_difference(red, green, v) for v in ("protanopia", "deuteranopia")) < 15
    assert colour_difference("#009E73", "#56B4E9", "tritanopia") < \
        colour_difference("#009E73", "#56B4E9", "deuteranopia")
    assert colour_difference(blue, "#D55E00", "tritanopia") > 40
    assert contrast_ratio("black") == pytest.approx(21) and contrast_ratio("white") == 1
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)


def _legend_keys(ax: Axes) -> list[tuple[object, str]]:
    legend = ax.get_legend()
    if legend is None:
        return []
    return [(h, "legend key " + " ".join(t.get_text().split()))
            for h, t in zip(legend.legend_handles, legend.get_texts())]


def _drawn_marks(ax: Axes) -> list[tuple[object, str]]:
    """What ``ax`` draws for its data, with words for each: its bars (and band) of some
    size, lines, scatter marks, and its legend's keys."""
    ticks = {round(float(x)): t.get_text().split("\n")[0]
             for x, t in zip(ax.get_xticks(), ax.get_xticklabels())}

    def name(patch, container) -> str:
        label = container.get_label() if container is not None else patch.get_label()
        if not label or label.startswith("_"):  # a bar of its own: named by its tick label
            label = ticks.get(round(patch.get_x() + patch.get_width() / 2), "unnamed")
        return label

    holder = {id(p): c for c in ax.containers for p in c.patches}
    marks = [(p, f"{name(p, holder.get(id(p)))} bar") for p in ax.patches
             if p.get_visible() and p.get_width() != 0 and p.get_height() != 0]
    marks += [(line, f"{line.get_label()} line") for line in ax.lines if line.get_visible()]
    marks += [(c, f"{c.get_label()} marks") for c in ax.collections if c.get_visible()]
    return marks + _legend_keys(ax)


def shown_colours(ax: Axes) -> dict[str, str]:
    """Every colour ``ax`` shows its data in, read back from what it draws (each bar's fill
    and hatch, each line's colour and its markers', each scatter mark's fill, the legend's
    keys): hex colour -> what shows it first.  Outlines, grid, text and page are not data."""
    found: dict[str, str] = {}

    def add(colour, what):
        rgba = to_rgba(colour)
        if rgba[3] > 0:
            found.setdefault(to_hex(rgba).upper(), what)

    for mark, what in _drawn_marks(ax):
        if isinstance(mark, Patch):
            add(mark.get_facecolor(), f"{what} fill")
            if mark.get_hatch():
                add(mark.get_hatchcolor(), f"{what} hatch")
        elif isinstance(mark, Line2D):
            add(mark.get_color(), what)
            if mark.get_marker() not in (None, "None", "", " "):
                add(mark.get_markerfacecolor(), f"{what} markers")
        else:
            for rgba in mark.get_facecolor():
                add(rgba, what)
    return found


def colours_too_close(ax: Axes, what: str) -> list[str]:
    """Each pair of colours ``ax`` shows (:func:`shown_colours`) less than MIN_DELTA_E apart
    in some vision (every pair counts as side by side: on a stacked bar, beside it, or in
    the legend)."""
    problems = []
    colours = shown_colours(ax)
    for (a, where_a), (b, where_b) in itertools.combinations(colours.items(), 2):
        for vision in VISIONS:
            d = colour_difference(a, b, vision)
            if d < MIN_DELTA_E:
                problems.append(f"{what}: {a} ({where_a}) and {b} ({where_b}) under "
                                f"{vision}: CIEDE2000 {d:.1f} < {MIN_DELTA_E}")
    return problems


def faint_marks(ax: Axes, what: str) -> list[str]:
    """Marks that do not stand out from the page: a bar (or key) whose fill and outline are
    both under 3:1 against the axes' background, a line under 3:1, or a text under 4.5:1."""
    page = ax.get_facecolor()
    problems = []
    for mark, where in _drawn_marks(ax):
        if isinstance(mark, Patch):
            fill, edge = mark.get_facecolor(), mark.get_edgecolor()
            outlined = mark.get_linewidth() > 0 and edge[3] > 0
            if to_rgba(fill)[3] > 0 and contrast_ratio(fill, page) < MIN_GRAPHIC_CONTRAST and \
                    not (outlined and contrast_ratio(edge, page) >= MIN_GRAPHIC_CONTRAST):
                problems.append(f"{what}: {where}: fill {to_hex(fill)} at "
                                f"{contrast_ratio(fill, page):.2f}:1, no outline of 3:1")
        elif isinstance(mark, Line2D):
            if contrast_ratio(mark.get_color(), page) < MIN_GRAPHIC_CONTRAST:
                problems.append(f"{what}: {where} {to_hex(mark.get_color())} at "
                                f"{contrast_ratio(mark.get_color(), page):.2f}:1")
        else:
            for rgba in mark.get_facecolor():
                if contrast_ratio(rgba, page) < MIN_GRAPHIC_CONTRAST:
                    problems.append(f"{what}: {where} {to_hex(rgba)} at "
                                    f"{contrast_ratio(rgba, page):.2f}:1")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(ax.figure).draw()  # lays out the tick labels
    for text in chart_texts(ax.figure):
        box = text.get_bbox_patch()
        under = box.get_facecolor() if box is not None else page
        if contrast_ratio(text.get_color(), under) < MIN_TEXT_CONTRAST:
            problems.append(f"{what}: the words {text.get_text()!r} in {to_hex(text.get_color())}"
                            f" at {contrast_ratio(text.get_color(), under):.2f}:1")
    return list(dict.fromkeys(problems))


#: The plans whose charts are checked: the starters, and a week with yoga (mind-body: the
#: hatched bar and the mind-body line).
COLOUR_PLANS = {**{n: (lambda n=n: bg.load_starter(n))
                   for n in ("core_stability", "gentle_start", "stretch_and_strengthen")},
                "yoga_week": _yoga_week}


def _colour_charts(plan: bg.Plan):
    """(chart, figure) of each chart of ``plan``, drawn at its size, as the planner draws them."""
    for chart in (*PLANNER, "progression"):
        yield chart, draw_figure(_draw_for(chart, plan), CHART_SIZES[chart],
                                 **CHART_MARGINS[chart])


@pytest.mark.parametrize("name", list(COLOUR_PLANS))
def test_colours_side_by_side_stay_apart_for_colour_blind_readers(name):
    problems = []
    for chart, fig in _colour_charts(COLOUR_PLANS[name]()):
        ax = fig.axes[0]
        assert len(shown_colours(ax)) >= 2, chart
        problems += colours_too_close(ax, f"{chart} of {name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(COLOUR_PLANS))
def test_every_bar_line_and_word_stands_out_from_the_page(name):
    problems = []
    for chart, fig in _colour_charts(COLOUR_PLANS[name]()):
        problems += faint_marks(fig.axes[0], f"{chart} of {name}")
    assert not problems, "\n".join(problems)


def test_the_hatch_shows_on_the_mind_body_bar():
    """Yoga counts as strengthening and stretching: stretching's hatch must show on
    strengthening's fill, in every vision."""
    ax = bg.plot_week(_yoga_week(), ax=_ax())
    (yoga,) = [p for c in ax.containers if c.get_label() == "mind-body" for p in c.patches
               if p.get_height() > 0]
    fill, _, hatch = _look(yoga)
    assert contrast_ratio(fill, hatch) >= MIN_GRAPHIC_CONTRAST
    assert min(colour_difference(fill, hatch, v) for v in VISIONS) >= MIN_DELTA_E


#: The palette before this check: Okabe-Ito's, mobility orange beside aerobic vermillion.
OLD_PALETTE = {"mobility": "#E69F00", "stretch": "#56B4E9", "strength": "#009E73",
               "aerobic": "#D55E00", "mind-body": "#CC79A7"}


def test_the_checks_catch_the_old_palette(monkeypatch):
    """The old colours, drawn on the same charts, fail: orange and vermillion under
    deuteranopia (what users reported), sky blue and bluish green under tritanopia, and the
    sky-blue line and the green and vermillion words on the page."""
    for kind in charts.KIND_COLORS:
        monkeypatch.setitem(charts.KIND_COLORS, kind, OLD_PALETTE[kind])
    for cat, colour in OLD_PALETTE.items():
        monkeypatch.setitem(charts.CATEGORY_COLORS, cat, colour)
    for status, colour in (("met", "#009E73"), ("short", "#D55E00")):
        monkeypatch.setitem(charts.STATUS_COLORS, status, colour)
    close, faint = [], []
    for chart, fig in _colour_charts(bg.load_starter("gentle_start")):
        close += colours_too_close(fig.axes[0], chart)
        faint += faint_marks(fig.axes[0], chart)
    said = "\n".join(close)
    for pair in ("progression: #E69F00 (mobility line) and #D55E00 (aerobic line) under "
                 "deuteranopia: CIEDE2000 12.5",
                 "progression: #56B4E9 (stretch line) and #009E73 (strength line) under "
                 "tritanopia: CIEDE2000 12.1",
                 "week: #009E73 (strength bar fill) and #56B4E9 (mobility bar fill) under "
                 "tritanopia: CIEDE2000 12.1",
                 "category: #56B4E9 (Stretching days bar fill) and #009E73 (Strengthening days "
                 "bar fill) under tritanopia: CIEDE2000 12.1"):
        assert pair in said, said
    assert not [p for p in close if p.startswith("muscle")], "the muscle chart was fine"
    said = "\n".join(faint)
    for mark in ("progression: mobility line #e69f00 at 2.25:1",
                 "progression: stretch line #56b4e9 at 2.31:1",
                 "category: the words '7\\n\u2713 met' in #009e73 at 3.42:1",
                 "week: the words '\u2713\\naerobic' in #009e73 at 3.42:1"):
        assert mark in said, said


def test_core_stability_drawn_and_seen_by_colour_blind_readers(artifacts):
    """The planner's three charts of core_stability as PNG, and as dichromats see them
    (artifacts/chart_*_core_stability_<vision>.png, to open): in each picture the bars'
    fills, read off the pixels, are MIN_DELTA_E apart or the same colour."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    plan = bg.load_starter("core_stability")
    for chart in PLANNER:
        fig = draw_figure(_draw_for(chart, plan), CHART_SIZES[chart], **CHART_MARGINS[chart])
        FigureCanvasAgg(fig).draw()
        image = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
        height = image.shape[0]
        boxes = []  # each bar's inside, in pixel rows and columns, and its fill
        for p in fig.axes[0].patches:
            box = p.get_window_extent()
            if box.width > 10 and box.height > 10 and p.get_facecolor() != to_rgba(BAND_COLOR):
                boxes.append((slice(int(height - box.y1) + 3, int(height - box.y0) - 3),
                              slice(int(box.x0) + 3, int(box.x1) - 3), p.get_facecolor()))
        assert len({fill for *_, fill in boxes}) >= 2, chart
        for vision in VISIONS:
            seen = simulate(image, vision)
            plt.imsave(artifacts / f"chart_{chart}_core_stability_{vision}.png", seen)
            shown = {}
            for rows, cols, fill in boxes:
                # the colour most of the bar shows (a hatch's lines are few of its pixels)
                pixels, counts = np.unique(np.round(seen[rows, cols].reshape(-1, 3) * 255),
                                           axis=0, return_counts=True)
                shown.setdefault(fill, []).append(pixels[counts.argmax()] / 255)
            for fill, colours in shown.items():
                np.testing.assert_allclose(colours, [colours[0]] * len(colours), atol=2 / 255)
            for (fa, a), (fb, b) in itertools.combinations(shown.items(), 2):
                d = delta_e_2000(cielab(a[0]), cielab(b[0]))
                assert d >= MIN_DELTA_E, (chart, vision, to_hex(fa), to_hex(fb), d)
