"""The progress charts show the journal's numbers, read back from the drawn artists.

Each test writes a person's journal, works out by hand what the chart must
show (bar heights in percent, the scores, the 7-day mean, the start and the
important-change lines), and reads the bars, lines and labels back from the
Axes by their ids.  The charts are also written to ``artifacts/`` as PNGs.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from backguide.errors import BackguideError
from backguide.journal.charts import (
    INDIGO,
    NO_SCORES,
    NOTHING_PLANNED,
    TEAL,
    VERMILLION,
    plot_adherence,
    plot_pain,
    plot_peg,
    plot_psfs,
)
from backguide.journal.measures import change_thresholds, pain_by_day
from backguide.figures import TEXT_PT, chart_texts, min_font_pt

D = pd.Timestamp


def _by_gid(ax, gid):
    return [a for a in (*ax.patches, *ax.lines, *ax.texts) if a.get_gid() == gid]


def _line(ax, gid):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == gid]
    return line


def _legend_texts(ax):
    return [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]


def _hline(ax, gid) -> float:
    y = _line(ax, gid).get_ydata()
    assert y[0] == y[1]
    return float(y[0])


def _save(ax, artifacts, name):
    ax.figure.savefig(artifacts / f"journal_{name}.png", dpi=100)


# --- adherence ---------------------------------------------------------------------------------

WEEKS = pd.DataFrame({
    "person": 4,
    "week": [D("2026-03-09"), D("2026-03-02"), D("2026-03-16")],  # out of order on purpose
    "planned": [14, 10, 0], "done": [9, 10, 0], "partly": [3, 0, 0], "skipped": [1, 0, 0],
    "missing": [1, 0, 0], "adherence": [12 / 14, 1.0, np.nan]})


def test_adherence_bars_are_done_and_partly_done_as_percentages_of_planned(artifacts):
    ax = plot_adherence(WEEKS)
    done = sorted(_by_gid(ax, "adherence-done"), key=lambda p: p.get_x())
    partly = sorted(_by_gid(ax, "adherence-partly"), key=lambda p: p.get_x())
    # Weeks in date order: 2 Mar (10 of 10), 9 Mar (9 + 3 of 14), 16 Mar (nothing planned).
    np.testing.assert_allclose([p.get_height() for p in done], [100, 9 / 14 * 100, 0])
    np.testing.assert_allclose([p.get_height() for p in partly], [0, 3 / 14 * 100, 0])
    np.testing.assert_allclose([p.get_y() for p in partly], [100, 9 / 14 * 100, 0])
    assert {to_hex(p.get_facecolor()) for p in done} == {TEAL.lower()}
    labels = [t.get_text() for t in sorted(_by_gid(ax, "adherence-label"),
                                           key=lambda t: t.get_position()[0])]
    assert labels == ["10 of 10", "12 of 14", "nothing\nplanned"]
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2\nMar", "9\nMar", "16\nMar"]
    assert "% of planned" in ax.get_ylabel()
    assert _legend_texts(ax) == ["done", "partly done"]
    assert _by_gid(ax, "goal") == []
    _save(ax, artifacts, "adherence_three_weeks")


def test_adherence_goal_line_and_an_empty_table(artifacts):
    ax = plot_adherence(WEEKS, goal=80)
    assert _hline(ax, "goal") == 80 and "goal: 80%" in _legend_texts(ax)
    empty = plot_adherence(WEEKS.iloc[:0])
    assert NOTHING_PLANNED in [t.get_text() for t in empty.texts]
    assert _by_gid(empty, "adherence-done") == []


# --- pain ----------------------------------------------------------------------------------------

def _journal_pain():
    # Week 1: 6 each day (start 6.0); then a day without a score; then 5, 4, 3, 4, 4.
    days = pd.date_range("2026-03-02", periods=13)
    scores = [6] * 7 + [None, 5, 4, 3, 4, 4]
    return pd.DataFrame([{"person": 1, "date": d, "nprs": s}
                         for d, s in zip(days, scores) if s is not None])


def test_pain_chart_shows_each_day_its_7_day_mean_and_the_important_change(artifacts):
    pain = _journal_pain()
    ax = plot_pain(pain_by_day(pain))
    points = _line(ax, "pain-daily")
    assert list(pd.to_datetime(points.get_xdata())) == list(pain["date"])
    assert list(points.get_ydata()) == [6] * 7 + [5, 4, 3, 4, 4]
    # The mean over the 7 days ending each date, worked out by hand:
    # days 8-12 (9, 10, ... March) hold 6s from week 1 for the days still in the window.
    want = [6] * 7 + [(6 * 5 + 5) / 6, (6 * 4 + 5 + 4) / 6, (6 * 3 + 5 + 4 + 3) / 6,
                      (6 * 2 + 5 + 4 + 3 + 4) / 6, (6 + 5 + 4 + 3 + 4 + 4) / 6]
    np.testing.assert_allclose(_line(ax, "pain-mean7").get_ydata(), want)
    # Start 6.0; 30% of it (1.8) comes before 2 points: lines at 4.2 and 7.8.
    assert (_hline(ax, "start"), _hline(ax, "important-better"),
            _hline(ax, "important-worse")) == (6.0, 4.2, 7.8)
    assert to_hex(_line(ax, "important-better").get_color()) == TEAL.lower()
    assert to_hex(_line(ax, "important-worse").get_color()) == VERMILLION.lower()
    assert to_hex(_line(ax, "pain-mean7").get_color()) == INDIGO.lower()
    assert _legend_texts(ax) == [
        "pain each day", "7-day mean", "your first week: 6.0",
        "important improvement: 4.2 or less (30% below the start)",
        "important worsening: 7.8 or more"]
    assert ax.get_ylabel() == "Pain (0-10, lower is better)"
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] >= 10
    _save(ax, artifacts, "pain_two_weeks")


def test_pain_chart_says_2_points_when_they_come_first_and_keeps_lines_on_the_scale():
    pain = pd.DataFrame({"person": 1, "date": pd.date_range("2026-03-02", periods=3),
                         "nprs": [9, 9, 9]})
    ax = plot_pain(pain_by_day(pain))
    # 30% of 9 is 2.7: 2 points come first.  9 + 2 is off the 0-10 scale: no line.
    assert _hline(ax, "important-better") == 7.0
    assert _by_gid(ax, "important-worse") == []
    assert "important improvement: 7.0 or less (2 points below the start)" in _legend_texts(ax)


def test_pain_chart_follows_a_clinics_thresholds():
    t = change_thresholds()
    t.loc[t["measure"] == "nprs", ["points", "percent"]] = [1.0, np.nan]
    ax = plot_pain(pain_by_day(_journal_pain()), thresholds=t)
    assert (_hline(ax, "important-better"), _hline(ax, "important-worse")) == (5.0, 7.0)


def test_a_chart_of_two_people_or_of_nothing(artifacts):
    two = pd.concat([_journal_pain(), _journal_pain().assign(person=2)])
    with pytest.raises(BackguideError, match="one person's rows"):
        plot_pain(pain_by_day(two))
    ax = plot_pain(pain_by_day(_journal_pain().iloc[:0]))
    assert NO_SCORES in [t.get_text() for t in ax.texts]
    ax = plot_psfs(pd.DataFrame(columns=["person", "date", "week", "activity", "score"]))
    assert NO_SCORES in [t.get_text() for t in ax.texts]


# --- PEG and PSFS --------------------------------------------------------------------------------

def test_peg_chart_draws_the_score_each_week_against_30_percent_of_the_start(artifacts):
    peg = pd.DataFrame({"person": 3, "date": pd.date_range("2026-03-02", periods=5, freq="7D"),
                        "pain": [6, 6, 5, 4, 4], "enjoyment": [5, 5, 4, 3, 3],
                        "activity": [7, 6, 5, 4, 2]})
    peg["score"] = (peg["pain"] + peg["enjoyment"] + peg["activity"]) / 3
    ax = plot_peg(peg.iloc[::-1])
    np.testing.assert_allclose(_line(ax, "peg-score").get_ydata(), [6, 17 / 3, 14 / 3, 11 / 3, 3])
    # Start 6.0 (the first week's one PEG); 30% is 1.8.
    assert (_hline(ax, "start"), _hline(ax, "important-better"),
            _hline(ax, "important-worse")) == (6.0, 4.2, 7.8)
    assert "important improvement: 4.2 or less (30% below the start)" in _legend_texts(ax)
    assert "lower is better" in ax.get_ylabel()
    _save(ax, artifacts, "peg_five_weeks")


def test_psfs_chart_draws_each_activity_and_their_mean_with_higher_better(artifacts):
    psfs = pd.DataFrame({
        "person": 5,
        "date": pd.to_datetime(["2026-03-02"] * 3 + ["2026-03-16"] * 3 + ["2026-03-30"] * 2),
        "activity": ["socks", "sitting", "lifting", "socks", "sitting", "lifting", "socks",
                     "sitting"],
        "score": [2, 4, 3, 4, 5, 3, 6, 7]})
    ax = plot_psfs(psfs)
    # The mean of the activities rated each date: 3, 4, 6.5.
    np.testing.assert_allclose(_line(ax, "psfs-mean").get_ydata(), [3, 4, 6.5])
    activities = _by_gid(ax, "psfs-activity")
    assert [a.get_label() for a in activities] == ["socks", "sitting", "lifting"]
    assert [list(a.get_ydata()) for a in activities] == [[2, 4, 6], [4, 5, 7], [3, 3]]
    assert len({a.get_marker() for a in activities}) == 3  # told apart without colour
    # Higher is better: the improvement line is 2 points above the start, the worsening below.
    assert (_hline(ax, "start"), _hline(ax, "important-better"),
            _hline(ax, "important-worse")) == (3.0, 5.0, 1.0)
    legend = _legend_texts(ax)
    assert "important improvement: 5.0 or more (2 points above the start)" in legend
    assert "important worsening: 1.0 or less" in legend and "at the start: 3.0" in legend
    _save(ax, artifacts, "psfs_three_visits")


# --- the figures themselves ----------------------------------------------------------------------

def _draws():
    pain = pain_by_day(_journal_pain())
    peg = pd.DataFrame({"person": 1, "date": pd.date_range("2026-03-02", periods=3, freq="7D"),
                        "score": [6.0, 5.0, 4.0]})
    psfs = pd.DataFrame({"person": 1, "date": pd.to_datetime(["2026-03-02", "2026-03-16"]),
                         "activity": "socks", "score": [3, 6]})
    return {"adherence": lambda ax=None: plot_adherence(WEEKS, ax),
            "pain": lambda ax=None: plot_pain(pain, ax),
            "peg": lambda ax=None: plot_peg(peg, ax),
            "psfs": lambda ax=None: plot_psfs(psfs, ax)}


@pytest.mark.parametrize("chart", ["adherence", "pain", "peg", "psfs"])
def test_charts_draw_on_the_axes_given_or_their_own_and_leave_pyplot_alone(chart):
    before = plt.get_fignums()
    given = Figure().add_subplot()
    assert _draws()[chart](given) is given
    own = _draws()[chart]()
    assert own.figure is not given.figure and plt.get_fignums() == before
    assert own.get_title()


@pytest.mark.parametrize("chart", ["adherence", "pain", "peg", "psfs"])
def test_every_text_fits_inside_the_figure_at_a_readable_size(chart):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = _draws()[chart]()
    fig = ax.figure
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for text in chart_texts(fig):
        ext = text.get_window_extent(renderer)
        assert (ext.x0 >= box.x0 - 0.5 and ext.x1 <= box.x1 + 0.5 and ext.y0 >= box.y0 - 0.5
                and ext.y1 <= box.y1 + 0.5), (chart, text.get_text())
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x1 <= box.x1 + 0.5 and legend.y1 <= box.y1 + 0.5, chart
    assert min_font_pt(fig) >= TEXT_PT, "every text at the charts' size or larger"


def test_the_7_day_mean_breaks_across_a_week_without_scores(artifacts):
    """Scores on 2-4 March, none for 10 days, then 16-17 March: no mean is drawn
    across the empty week; six days apart is still one line."""
    days = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-16", "2026-03-17",
            "2026-03-23"]
    pain = pd.DataFrame({"person": 1, "date": pd.to_datetime(days),
                         "nprs": [6, 6, 3, 4, 2, 5]})
    ax = plot_pain(pain_by_day(pain))
    y = _line(ax, "pain-mean7").get_ydata()
    runs = [r for r in "".join("-" if v != v else "x" for v in y).split("-") if r]
    assert [len(r) for r in runs] == [3, 3]
    # 23 March's window is 17-23 March: the 16th has left it.
    np.testing.assert_allclose(y[~np.isnan(y)], [6, 6, 5, 4, 3, (2 + 5) / 2])
    ax.figure.savefig(artifacts / "pain_chart_gap.png", dpi=90)
