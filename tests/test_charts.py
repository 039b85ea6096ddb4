"""The four charts: drawn, labelled, honest on an empty plan, and looked at."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import backguide as bg
from backguide.charts import BAND_COLOR, EMPTY_HINT, category_summary

LIB = bg.load_library()
EX, G = LIB.exercises, LIB.guidance


def _draw(kind, plan, ax=None):
    if kind == "category":
        return bg.plot_category_days(plan, EX, G, ax=ax)
    if kind == "muscle":
        return bg.plot_muscle_volume(plan, EX, ax=ax)
    if kind == "week":
        return bg.plot_week(plan, EX, G, ax=ax)
    return bg.plot_progression(bg.progress(plan, 4, EX, LIB.doses), EX, ax=ax)


KINDS = ["category", "muscle", "week", "progression"]


def _texts(ax: Axes) -> str:
    return " ".join(t.get_text() for t in ax.texts)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("plan_name", ["gentle_start", "empty"])
def test_chart_renders_with_title_units_and_legend(kind, plan_name, artifacts):
    plan = bg.Plan() if plan_name == "empty" else bg.load_starter(plan_name, EX)
    before = plt.get_fignums()
    ax = _draw(kind, plan)
    assert plt.get_fignums() == before, "no pyplot figure left behind"
    assert ax.get_title()
    assert ax.get_xlabel() or ax.get_ylabel()
    assert "inute" in ax.get_xlabel() + ax.get_ylabel() or "week" in ax.get_ylabel()
    if plan_name != "empty" or kind != "progression":
        assert ax.get_legend() is not None
    assert (EMPTY_HINT in _texts(ax)) == (plan_name == "empty")
    path = artifacts / f"chart_{kind}_{plan_name}.png"
    ax.figure.savefig(path, dpi=80)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("kind", KINDS)
def test_chart_draws_on_the_axes_it_is_given(kind):
    fig = Figure()
    ax = fig.add_subplot()
    assert _draw(kind, bg.load_starter("core_stability", EX), ax=ax) is ax


def test_category_chart_draws_the_target_bands_and_marks_status():
    plan = bg.Plan()
    plan.add("Monday", "fast_walking", EX)
    ax = bg.plot_category_days(plan, EX, G)
    bands = [p for p in ax.patches if p.get_facecolor() == to_rgba(BAND_COLOR)]
    assert len(bands) == 3
    aerobic_band = bands[2]
    assert (aerobic_band.get_y(), aerobic_band.get_y() + aerobic_band.get_height()) == (3, 4)
    assert "\u2717 short" in _texts(ax)
    summary = category_summary(plan, EX, G).set_index("kind")
    assert summary.at["aerobic", "value"] == 1 and summary.at["aerobic", "status"] == "short"


def test_week_chart_changes_when_the_plan_does():
    plan = bg.load_starter("gentle_start", EX)
    heights = lambda ax: [round(p.get_height(), 3) for p in ax.patches]  # noqa: E731
    before = heights(bg.plot_week(plan, EX, G))
    plan.add("Sunday", "swimming", EX)
    after = heights(bg.plot_week(plan, EX, G))
    assert before != after


def test_muscle_chart_flags_unworked_spine_muscles():
    plan = bg.Plan()
    plan.add("Monday", "fast_walking", EX)
    ax = bg.plot_muscle_volume(plan, EX)
    labels = {t.get_text(): t for t in ax.get_yticklabels()}
    assert "hips (not worked)" in labels and "glutes" in labels
    assert labels["hips (not worked)"].get_fontweight() == "bold"
