"""Progress from the journal: adherence, each score's change from the start, and their words.

Every expected number is worked out here from the journal the test writes
(by hand, or by a plain loop over dates), never by the function under test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from backguide.errors import BackguideError
from backguide.journal.measures import (
    WINDOW_DAYS,
    adherence,
    change_thresholds,
    important_lines,
    pain_by_day,
    pain_change,
    peg_change,
    psfs_by_date,
    psfs_change,
    shown_score,
)
from backguide.journal.words import adherence_sentence, progress_headline, score_text

D = pd.Timestamp


def _plans(*rows):
    return pd.DataFrame(rows, columns=["person", "version", "starts", "name"]).assign(
        starts=lambda f: pd.to_datetime(f["starts"]))


def _entries(*rows):
    return pd.DataFrame(rows, columns=["person", "version", "day", "session", "exercise"])


def _done(*rows):
    f = pd.DataFrame(rows, columns=["person", "date", "exercise", "status"])
    f["date"] = pd.to_datetime(f["date"])
    f["day"] = f["date"].dt.day_name()
    return f.assign(session=0, felt="about right", version=1)


def _pain(person, start, scores):
    """One score a day from ``start``; None leaves the day blank (no row)."""
    days = pd.date_range(start, periods=len(scores))
    return pd.DataFrame([{"person": person, "date": d, "nprs": s}
                         for d, s in zip(days, scores) if s is not None])


# --- the thresholds table -------------------------------------------------------------------

def test_the_thresholds_table_names_each_measure_its_rule_and_its_published_sources():
    t = change_thresholds().set_index("measure")
    assert list(t.index.astype(str)) == ["nprs", "peg", "psfs"]
    assert (t.loc["nprs", "points"], t.loc["nprs", "percent"], t.loc["nprs", "better"]) == (
        2, 30, "lower")
    assert (math.isnan(t.loc["peg", "points"]), t.loc["peg", "percent"],
            t.loc["peg", "better"]) == (True, 30, "lower")
    assert (t.loc["psfs", "points"], math.isnan(t.loc["psfs", "percent"]),
            t.loc["psfs", "better"]) == (2, True, "higher")
    for measure, authors in {"nprs": ("Farrar JT", "2001", "Childs JD", "2005"),
                             "peg": ("Krebs EE", "2009", "Dworkin RH", "2008"),
                             "psfs": ("Stratford P", "1995", "Abbott JH", "2014")}.items():
        for word in authors:
            assert word in t.loc[measure, "source"], (measure, word)
        urls = t.loc[measure, "url"]
        assert len(urls) == 2 and all(u.startswith("https://doi.org/10.") for u in urls)
        assert t.loc[measure, "note"].strip()


def test_a_clinics_own_thresholds_are_read_and_a_broken_row_is_named(tmp_path):
    own = tmp_path / "change_thresholds.csv"
    header = "measure,points,percent,better,source,url,note\n"
    own.write_text(header + "nprs,1.5,,lower,Our clinic,,\n", encoding="utf-8")
    t = change_thresholds(own)
    assert t["points"].tolist() == [1.5] and t["source"].tolist() == ["Our clinic"]
    # The clinic's 1.5 points decide: 6 -> 4.5 is important, 6 -> 4.6 is not.
    pain = pd.concat([_pain(1, "2026-03-02", [6] * 7 + [None] * 7 + [4.5] * 7),
                      _pain(2, "2026-03-02", [6] * 7 + [None] * 7 + [4.6] * 7)])
    assert pain_change(pain, thresholds=t)["important"].tolist() == [True, False]

    own.write_text(header + "nprs,2,130,lower,A,,\n\npsfs,,,higher,B,,\n", encoding="utf-8")
    with pytest.raises(BackguideError) as err:
        change_thresholds(own)
    text = str(err.value)
    assert "line 2" in text and "percent" in text and "'130'" in text
    own.write_text(header + "nprs,2,30,lower,A,,\n\npsfs,,,higher,B,,\n", encoding="utf-8")
    with pytest.raises(BackguideError, match=r"line 4, column points: .*points or a percent"):
        change_thresholds(own)


def test_a_measure_missing_from_the_thresholds_is_named():
    t = change_thresholds()
    with pytest.raises(BackguideError, match="nprs"):
        pain_change(_pain(1, "2026-03-02", [5] * 3), thresholds=t[t["measure"] != "nprs"])


# --- adherence --------------------------------------------------------------------------------

def test_adherence_counts_the_plan_in_force_on_each_date_by_person_and_week():
    # Person 1: v1 from Mon 2 March (Mon: a, b; Wed: c), v2 from Mon 9 March (Mon: a only).
    # Person 2: one plan from Wed 4 March (Wed: a; Fri: a).  Today: Wed 11 March.
    plans = _plans((1, 1, "2026-03-02", "v1"), (1, 2, "2026-03-09", "v2"),
                   (2, 1, "2026-03-04", "p"))
    entries = _entries((1, 1, "Monday", 0, "a"), (1, 1, "Monday", 0, "b"),
                       (1, 1, "Wednesday", 0, "c"), (1, 2, "Monday", 0, "a"),
                       (2, 1, "Wednesday", 0, "a"), (2, 1, "Friday", 0, "a"))
    done = _done((1, "2026-03-02", "a", "done"), (1, "2026-03-02", "b", "partly"),
                 (1, "2026-03-04", "c", "skipped"), (1, "2026-03-09", "a", "done"),
                 (2, "2026-03-06", "a", "done"), (2, "2026-03-11", "a", "partly"),
                 (2, "2026-03-01", "a", "done"))  # before person 2's plan: not counted
    got = adherence(done, plans, entries, by=["person", "week"])
    want = pd.DataFrame({
        "person": [1, 1, 2, 2],
        "week": [D("2026-03-02"), D("2026-03-09"), D("2026-03-02"), D("2026-03-09")],
        "planned": [3, 1, 2, 1], "done": [1, 1, 1, 0], "partly": [1, 0, 0, 1],
        "skipped": [1, 0, 0, 0], "missing": [0, 0, 1, 0],
        "adherence": [2 / 3, 1.0, 0.5, 1.0]})
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_index_type=False)
    assert list(got.columns) == ["person", "week", "planned", "done", "partly", "skipped",
                                 "missing", "adherence"]

    # Up to a later day, the days not reported count as missing: person 2's Fri 13.
    later = adherence(done, plans, entries, by=["person"], today=dt.date(2026, 3, 13))
    assert later["planned"].tolist() == [4, 4] and later["missing"].tolist() == [0, 2]
    total = adherence(done, plans, entries, by=())
    assert total[["planned", "done", "partly", "skipped"]].iloc[0].tolist() == [7, 3, 2, 1]
    each = adherence(done, plans, entries, by=["person", "exercise"])
    assert each[["person", "exercise", "planned", "done"]].values.tolist() == [
        [1, "a", 2, 2], [1, "b", 1, 0], [1, "c", 1, 0], [2, "a", 3, 1]]


def test_the_greatest_version_starting_by_a_date_is_in_force_even_if_it_starts_earlier():
    # v2 was added later but starts before v1's second week: v2 wins from 2 March on.
    plans = _plans((1, 1, "2026-03-02", "v1"), (1, 2, "2026-03-02", "v2"),
                   (1, 3, "2026-03-23", "v3"), (1, 4, "2026-03-09", "v4"))
    entries = _entries((1, 1, "Monday", 0, "a"), (1, 2, "Monday", 0, "b"),
                       (1, 2, "Tuesday", 0, "b"), (1, 3, "Monday", 0, "c"),
                       (1, 4, "Tuesday", 0, "d"))
    got = adherence(_done((1, "2026-03-24", "c", "done")), plans, entries, by=["week"])
    # Week 2 Mar: v2 (Mon, Tue); 9 and 16 Mar: v4 (Tue); 23 Mar: v4 (greatest), Tue only.
    assert got["planned"].tolist() == [2, 1, 1, 1]


def _reference_adherence(done, plans, entries, today):
    """Adherence by person and week, date by date in plain Python."""
    planned, counts = {}, {}
    for person, p in plans.groupby("person"):
        day = p["starts"].min()
        while day <= today:
            live = p[p["starts"] <= day]
            version = live["version"].max()
            n = ((entries["person"] == person) & (entries["version"] == version)
                 & (entries["day"] == day.day_name())).sum()
            key = (person, day - pd.Timedelta(days=day.weekday()))
            planned[key] = planned.get(key, 0) + n
            day += pd.Timedelta(days=1)
    for row in done.itertuples():
        first = plans.loc[plans["person"] == row.person, "starts"].min()
        if first <= row.date <= today:
            key = (row.person, row.date - pd.Timedelta(days=row.date.weekday()))
            counts.setdefault(key, {"done": 0, "partly": 0, "skipped": 0})[row.status] += 1
    rows = []
    for key in sorted(set(planned) | set(counts)):
        c = counts.get(key, {"done": 0, "partly": 0, "skipped": 0})
        n = planned.get(key, 0)
        rows.append([*key, n, c["done"], c["partly"], c["skipped"],
                     max(n - sum(c.values()), 0),
                     (c["done"] + c["partly"]) / n if n else np.nan])
    return pd.DataFrame(rows, columns=["person", "week", "planned", "done", "partly",
                                       "skipped", "missing", "adherence"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adherence_of_a_caseload_equals_a_plain_loop_over_dates(seed):
    rng = np.random.default_rng(seed)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    plans, entries, done = [], [], []
    for person in range(1, 9):
        first = D("2026-03-02") + pd.Timedelta(days=int(rng.integers(0, 10)))
        for version in range(1, int(rng.integers(1, 4)) + 1):
            starts = first + pd.Timedelta(days=int(rng.integers(0, 30)) if version > 1 else 0)
            plans.append((person, version, starts, f"v{version}"))
            for k in range(int(rng.integers(1, 6))):
                entries.append((person, version, days[int(rng.integers(0, 7))], 0, f"e{k}"))
        for offset in range(45):
            if rng.random() < 0.3:
                status = ["done", "partly", "skipped"][int(rng.integers(0, 3))]
                done.append((person, first + pd.Timedelta(days=offset - 2), "e0", status))
    plans, entries = _plans(*plans), _entries(*entries)
    done = _done(*[(p, str(d.date()), e, s) for p, d, e, s in done])
    today = D("2026-04-10")
    got = adherence(done, plans, entries, by=["person", "week"], today=today)
    want = _reference_adherence(done, plans, entries, today)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_index_type=False)


def test_adherence_refuses_a_status_outside_the_list_and_an_unknown_key():
    plans = _plans((1, 1, "2026-03-02", "v1"))
    entries = _entries((1, 1, "Monday", 0, "a"))
    with pytest.raises(BackguideError, match=r"column status: found 'finished', expected a "
                       r"status among: done, partly, skipped"):
        adherence(_done((1, "2026-03-02", "a", "finished")), plans, entries)
    with pytest.raises(BackguideError, match=r"column by: found 'month'"):
        adherence(_done((1, "2026-03-02", "a", "done")), plans, entries, by=["month"])
    with pytest.raises(BackguideError, match=r"the plans table, column starts: found nothing, "
                       r"expected a column named 'starts'"):
        adherence(_done(), plans.drop(columns="starts"), entries)


# --- change from the start --------------------------------------------------------------------

def test_pain_now_against_the_first_week_in_numbers_and_in_words():
    # Week 1: 6 every day; week 2: 5; week 3: 4, 4, 4, 4, 4, 5, 4 (a mean of 29 / 7).
    pain = _pain(7, "2026-03-02", [6] * 7 + [5] * 7 + [4, 4, 4, 4, 4, 5, 4])
    row = pain_change(pain).iloc[0]
    assert (row["person"], row["start"]) == (7, 6.0)
    assert row["now"] == pytest.approx(29 / 7)
    assert row["change"] == pytest.approx(29 / 7 - 6)
    assert row["percent"] == pytest.approx((29 / 7 - 6) / 6 * 100)
    assert (row["threshold"], bool(row["important"]), row["direction"]) == (1.8, True, "better")
    assert progress_headline(row) == ("Pain this week 4.1 on average, down from 6.0 in your "
                                      "first week: an important improvement.")

    weekly = pain_change(pain, by=["person", "week"])
    assert weekly["week"].tolist() == [D("2026-03-02"), D("2026-03-09"), D("2026-03-16")]
    assert weekly["now"].tolist() == pytest.approx([6, 5, 29 / 7])
    assert weekly["direction"].tolist() == ["no important change", "no important change",
                                            "better"]
    assert progress_headline(weekly.iloc[0]) == (
        "Pain this week 6.0 on average: your first week, the start later weeks are compared "
        "with.")
    assert progress_headline(weekly.iloc[1]) == (
        "Pain this week 5.0 on average, down from 6.0 in your first week: no important change.")


@pytest.mark.parametrize("start, now, important, direction", [
    (6, 4.2, True, "better"),            # 30% of 6 is 1.8, reached before 2 points
    (6, 4.3, False, "no important change"),
    (8, 6.0, True, "better"),            # 2 points, reached before 30% (2.4)
    (8, 6.1, False, "no important change"),
    (3, 3.9, True, "worse"),             # 30% of 3 is 0.9
    (3, 3.8, False, "no important change"),
    (9, 9.0, False, "no important change"),
])
def test_an_important_change_is_2_points_or_30_percent_whichever_comes_first(
        start, now, important, direction):
    pain = _pain(1, "2026-03-02", [start] * 7 + [None] * 14 + [now] * 7)
    row = pain_change(pain).iloc[0]
    assert (bool(row["important"]), row["direction"]) == (important, direction)


def test_the_verdict_agrees_with_the_numbers_shown():
    # 6.04 (shown 6.0) to 4.24 (shown 4.2): 1.8 as shown, 30% of the 6.0 shown.  Unrounded
    # it falls short of 30% of 6.04 (1.812), but the person reads 6.0 -> 4.2.
    pain = _pain(1, "2026-03-02", [6.04] + [None] * 20 + [4.24])
    row = pain_change(pain).iloc[0]
    assert -row["change"] < 0.3 * row["start"]
    assert progress_headline(row) == ("Pain this week 4.2 on average, down from 6.0 in your "
                                      "first week: an important improvement.")
    # And 6.0 -> 4.25 reads 4.3 (half up): 1.7, not important.
    row = pain_change(_pain(1, "2026-03-02", [6.0] + [None] * 20 + [4.25])).iloc[0]
    assert progress_headline(row).endswith("down from 6.0 in your first week: no important "
                                           "change.")
    assert "4.3" in progress_headline(row)


def test_a_rise_in_pain_is_worse_and_a_rise_in_the_psfs_is_better():
    pain = _pain(1, "2026-03-02", [3] * 7 + [None] * 7 + [5] * 7)
    assert pain_change(pain)["direction"].tolist() == ["worse"]
    assert progress_headline(pain_change(pain).iloc[0]) == (
        "Pain this week 5.0 on average, up from 3.0 in your first week: an important "
        "worsening.")
    psfs = pd.DataFrame({
        "person": 1, "activity": ["socks", "sitting", "socks", "sitting", "lifting"],
        "date": pd.to_datetime(["2026-03-02"] * 2 + ["2026-03-30"] * 3),
        "score": [2, 4, 5, 6, 4]})
    row = psfs_change(psfs).iloc[0]
    assert (row["start"], row["now"], row["change"]) == (3.0, 5.0, 2.0)
    assert (bool(row["important"]), row["direction"]) == (True, "better")
    assert progress_headline(row, measure="psfs") == (
        "Your activities (PSFS, higher is better) now 5.0 on average, up from 3.0 at the "
        "start: an important improvement.")
    fell = psfs.assign(score=[6, 6, 4, 4, 4])
    assert psfs_change(fell)["direction"].tolist() == ["worse"]
    by_date = psfs_by_date(psfs)
    assert by_date["score"].tolist() == [3.0, 5.0]
    assert by_date["activities"].tolist() == [2, 3]


def test_the_peg_change_is_30_percent_of_the_start():
    peg = pd.DataFrame({"person": [1, 1, 2, 2],
                        "date": pd.to_datetime(["2026-03-02", "2026-03-30"] * 2),
                        "pain": 5, "enjoyment": 5, "activity": 5,
                        "score": [5.0, 3.5, 5.0, 3.6]})
    got = peg_change(peg)
    # 30% of 5.0 is 1.5: 3.5 reaches it, 3.6 does not.
    assert got["threshold"].tolist() == [1.5, 1.5]
    assert got["direction"].tolist() == ["better", "no important change"]
    assert progress_headline(got.iloc[0], measure="peg") == (
        "Your PEG score (pain, and how much it gets in the way) this week 3.5, down from 5.0 "
        "in your first week: an important improvement.")


def test_the_start_is_the_first_seven_days_and_now_the_last_seven():
    # Scores on days 0, 3, 6 (start: 4, 6, 8 -> 6.0), day 7 falls out of the start;
    # the last score on day 30, and the window 24..30 holds days 24 and 30.
    pain = pd.DataFrame({"person": 1, "date": D("2026-03-02") + pd.to_timedelta(
        [0, 3, 6, 7, 23, 24, 30], unit="D"), "nprs": [4, 6, 8, 0, 9, 2, 3]})
    row = pain_change(pain).iloc[0]
    assert (row["start"], row["now"]) == (6.0, 2.5)
    assert (row["first_date"], row["last_date"]) == (D("2026-03-02"), D("2026-04-01"))


def test_change_refuses_a_score_off_the_scale_and_a_grouping_without_person():
    with pytest.raises(BackguideError, match=r"column nprs: found 11, expected a score "
                       r"from 0 to 10"):
        pain_change(_pain(1, "2026-03-02", [5, 11]))
    with pytest.raises(BackguideError, match=r"column score: found 'six', expected a score"):
        peg_change(pd.DataFrame({"person": 1, "date": ["2026-03-02"], "score": ["six"]}))
    with pytest.raises(BackguideError, match="include 'person'"):
        pain_change(_pain(1, "2026-03-02", [5, 5]), by=["week"])
    # A blank score is no score: the start is the 5.
    assert pain_change(_pain(1, "2026-03-02", [5, float("nan")]))["start"].tolist() == [5.0]


def test_pain_by_day_has_each_persons_trailing_seven_day_mean():
    a = _pain(1, "2026-03-02", [8, None, 6, 4, None, None, 2, 7, 9, None, 3])
    b = _pain(2, "2026-03-05", [1, 1])  # overlaps person 1's dates, never their windows
    got = pain_by_day(pd.concat([b, a]))
    mine = got[got["person"] == 1]
    for row in mine.itertuples():
        window = a[(a["date"] > row.date - pd.Timedelta(days=WINDOW_DAYS))
                   & (a["date"] <= row.date)]
        assert row.mean7 == pytest.approx(window["nprs"].mean()), row.date
    assert mine["mean7"].tolist() == pytest.approx(
        [8, 7, 6, 5, 19 / 4, 28 / 5, 21 / 4])
    assert got[got["person"] == 2]["mean7"].tolist() == [1, 1]
    assert mine["start"].unique().tolist() == [5.0]  # 8, 6, 4, 2 in the first 7 days
    assert list(got["person"]) == [1] * 7 + [2] * 2


# --- numbers as shown -------------------------------------------------------------------------

def test_scores_are_shown_to_one_decimal_half_up_by_one_rule():
    values = [i / 1000 for i in range(0, 10001, 5)] + [k / 7 for k in range(71)]
    for x in values:
        want = Decimal(f"{x:.9f}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert score_text(x) == f"{want:f}", x
    assert [f"{v:.1f}" for v in shown_score(values)] == [score_text(x) for x in values]


@pytest.mark.parametrize("start, better, worse", [(6.0, 4.2, 7.8), (8.0, 6.0, 10.0),
                                                  (2.0, 1.4, 2.6), (5.9, 4.1, 7.7)])
def test_the_important_lines_are_the_start_less_and_plus_the_threshold(start, better, worse):
    # 30% of 5.9 is 1.77; scores are shown in tenths, so the line is 1.8 away, at 4.1.
    got = important_lines(start, "nprs")
    assert (float(got[0]), float(got[1])) == (better, worse)
    pain = _pain(1, "2026-03-02", [start] * 7 + [None] * 14 + [better] * 7)
    row = pain_change(pain).iloc[0]
    assert row["threshold"] == pytest.approx(round(start - better, 1), abs=1e-12)
    assert bool(row["important"])


def test_the_adherence_sentence():
    row = {"planned": 14, "done": 9, "partly": 3, "skipped": 1}
    assert adherence_sentence(row) == ("This week: 12 of 14 planned exercises done or partly "
                                       "done (86%).")
    assert adherence_sentence({"planned": 1, "done": 0, "partly": 0}, when="Last week") == (
        "Last week: 0 of 1 planned exercise done or partly done (0%).")


def test_every_headline_measure_and_direction_reads_as_a_sentence():
    base = {"start": 5.0, "now": 5.0, "first_date": D("2026-03-02"),
            "last_date": D("2026-04-02")}
    for measure, direction in itertools.product(("nprs", "peg", "psfs"),
                                                ("better", "worse", "no important change")):
        text = progress_headline({**base, "direction": direction}, measure=measure)
        assert text.endswith(".") and "5.0" in text and "  " not in text
    with pytest.raises(BackguideError, match="measure"):
        progress_headline(base, measure="odi")


def test_a_new_person_with_nothing_reported_gets_empty_tables_with_their_columns():
    plans = _plans((1, 1, "2026-03-02", "v1"))
    entries = _entries((1, 1, "Monday", 0, "a"), (1, 1, "Friday", 0, "a"))
    got = adherence(_done(), plans, entries, today="2026-03-10")
    # Nothing reported: what was planned up to today (Mon 2, Fri 6, Mon 9) is missing.
    assert got[["planned", "missing", "adherence"]].values.tolist() == [[2, 2, 0.0],
                                                                        [1, 1, 0.0]]
    assert adherence(_done(), plans.iloc[:0], entries.iloc[:0], today="2026-03-10").empty
    empty = pain_change(_pain(1, "2026-03-02", []).reindex(columns=["person", "date", "nprs"]))
    assert empty.empty and {"start", "now", "important", "direction"} <= set(empty.columns)
    assert pain_by_day(_pain(1, "2026-03-02", []).reindex(
        columns=["person", "date", "nprs"])).empty
