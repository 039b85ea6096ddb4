"""The four charts show the numbers of the tables they draw, read back from the artists.

Each ``assert_*_chart`` helper reads one chart's bars, lines, markers and
labels back from its Axes and compares them with the table it was given.
The ``*_catches_*`` tests draw a deliberately wrong table and check that the
helper notices, so the helpers cannot silently pass.
"""

from __future__ import annotations

import os
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

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
        assert f"{r.minutes:.0f} min/week" in tick and r.sources in tick


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
    first = plan.entries["exercise"].iloc[0] if not plan.is_empty else "cat_cow"
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
    assert stretching == to_rgba("#56B4E9")
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
