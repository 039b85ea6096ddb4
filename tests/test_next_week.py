"""Next week's plan from the journal: harder, a dose step, easier, stopped, held, or a
clinician.

The week read is Monday 2 to Sunday 8 March 2026 (``TODAY``); the person's first
week of pain scores is the week before.  Every expected dose is worked out here from
the library's starting doses and the rule's steps (holds +5 s up to the longest
hold an article gives, then reps +2), as tests/test_progression.py does.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import backguide as bg
from backguide.journal import next_week as nw
from backguide.journal.columns import COLUMNS, FEELINGS, STATUSES
from backguide.journal.next_week import CHANGES, accept_next, next_week, propose_next

LIB = bg.shipped_library()
TODAY = dt.date(2026, 3, 8)  # a Sunday
MON, TUE, WED, THU, FRI, SAT = (f"2026-03-0{d}" for d in range(2, 8))
THRESHOLDS = pd.DataFrame({"measure": ["nprs"], "points": [2.0], "percent": [30.0],
                           "better": ["lower"]})


def _plan(*, name="Mine", **days) -> bg.Plan:
    plan = bg.Plan(name=name)
    for day, ids in days.items():
        for x in ids:
            plan = plan.add(day, x)
    return plan


def _done(*rows, person="ada", version=1) -> pd.DataFrame:
    """The done table from (date, exercise, status, felt) rows."""
    frame = pd.DataFrame(rows, columns=["date", "exercise", "status", "felt"])
    dates = pd.to_datetime(frame["date"])
    out = pd.DataFrame({
        "person": person, "date": dates, "week": dates - pd.to_timedelta(dates.dt.day_of_week, "D"),
        "version": version, "day": dates.dt.day_name(), "session": 0,
        "exercise": frame["exercise"], "status": frame["status"], "felt": frame["felt"],
        "sets": float("nan"), "reps": float("nan"), "hold_s": float("nan"),
        "minutes": float("nan")})
    return out[list(COLUMNS["done"])]


def _pain(first_week, this_week, person="ada") -> pd.DataFrame:
    """Daily NPRS: 23 Feb - 1 Mar, then 2 - 8 March."""
    dates = pd.date_range("2026-02-23", periods=14, freq="D")
    scores = [first_week] * 7 + [this_week] * 7
    return pd.DataFrame({"person": person, "date": dates,
                         "week": dates - pd.to_timedelta(dates.day_of_week, "D"), "nprs": scores})


def _signs(*rows, person="ada") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "sign"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.assign(person=person, week=frame["date"]).loc[:, list(COLUMNS["signs"])]


NO_PAIN = pd.DataFrame(columns=list(COLUMNS["pain"]))
NO_SIGNS = pd.DataFrame(columns=list(COLUMNS["signs"]))


def _propose(plan, done, pain=NO_PAIN, signs=NO_SIGNS, **kw):
    kw.setdefault("thresholds", THRESHOLDS)
    return propose_next(plan, done=done, pain=pain, signs=signs, today=TODAY, **kw)


def _row(changes: pd.DataFrame, exercise: str) -> dict:
    rows = changes[changes["exercise"] == exercise]
    assert len(rows) == 1, f"one row for {exercise}"
    return rows.iloc[0].to_dict()


def test_easier_at_the_cap_moves_on_to_the_harder_version():
    # partial cobra's cap: hold 30 s (natarthritis), reps 3 (its own starting 3)
    plan = _plan(Monday=["partial_cobra"], Wednesday=["partial_cobra"],
                 Friday=["partial_cobra"])
    for i in range(3):
        plan = plan.set_dose(i, hold_s=30)
    before = plan.replace(entries=plan.entries.copy(deep=True))
    done = _done(*[(d, "partial_cobra", "done", "easier") for d in (MON, WED, FRI)])
    new, changes = _propose(plan, done)
    assert list(changes.columns) == list(CHANGES) == ["exercise", "name", "change", "from",
                                                      "to", "reason"]
    row = _row(changes, "partial_cobra")
    assert row == {
        "exercise": "partial_cobra", "name": "Partial cobra (sphinx)", "change": "harder",
        "from": "3 reps, hold 30 s", "to": "Cobra: 3 reps, hold 10 s",
        "reason": "Felt easier on 3 of 3 planned days at 3 reps, hold 30 s, its full dose: "
                  "on to Cobra, the harder version."}
    assert new.entries["exercise"].tolist() == ["cobra"] * 3
    assert new.entries["hold_s"].tolist() == [10, 10, 10], "cobra's own starting hold"
    assert new.name == "Mine (from 2026-03-09)"
    assert plan == before, "the plan given is not changed"


def test_easier_or_about_right_below_the_cap_is_a_dose_step():
    plan = _plan(Monday=["cat_cow"], Thursday=["cat_cow"])
    done = _done((MON, "cat_cow", "done", "about right"), (THU, "cat_cow", "done", "easier"))
    new, changes = _propose(plan, done)
    assert _row(changes, "cat_cow") == {
        "exercise": "cat_cow", "name": "Cat-cow", "change": "dose up",
        "from": "5 reps, hold 10 s", "to": "5 reps, hold 15 s",
        "reason": "Felt easier on 1 and about right on 1 of 2 planned days at 5 reps, "
                  "hold 10 s: a small step up, to 5 reps, hold 15 s."}
    assert new.entries["hold_s"].tolist() == [15, 15]
    assert set(new.entries["dose_source"]) == {"progressed"}


def test_hurt_more_goes_to_the_easier_version():
    plan = _plan(Monday=["bird_dog"], Wednesday=["bird_dog"])
    done = _done((MON, "bird_dog", "done", "easier"), (WED, "bird_dog", "partly", "hurt more"))
    new, changes = _propose(plan, done)
    row = _row(changes, "bird_dog")
    assert row["change"] == "easier"
    assert row["from"] == "5 reps, hold 5 s, each side"
    assert row["to"] == "Arm lift on all fours: 3 reps, hold 10 s, each side"
    assert row["reason"] == ("Hurt more on 1 of 2 planned days at 5 reps, hold 5 s, each side: "
                             "back to Arm lift on all fours, the easier version.")
    assert new.entries["exercise"].tolist() == ["arm_lift_all_fours"] * 2


def test_hurt_more_without_an_easier_version_steps_back_then_stops():
    # clamshell has no easier version; at 14 reps it goes back to its starting 10 ...
    plan = _plan(Monday=["clamshell", "cat_cow"]).set_dose(0, reps=14)
    done = _done((MON, "clamshell", "done", "hurt more"), (MON, "cat_cow", "skipped", None))
    new, changes = _propose(plan, done)
    row = _row(changes, "clamshell")
    assert (row["change"], row["from"], row["to"]) == ("easier", "14 reps, each side",
                                                       "10 reps, each side")
    assert row["reason"] == ("Hurt more on 1 of 1 planned day at 14 reps, each side: back to "
                             "its starting dose, 10 reps, each side.")
    # ... and at its starting dose it stops
    again, changes = _propose(new, done)
    row = _row(changes, "clamshell")
    assert (row["change"], row["to"]) == ("stopped", "")
    assert row["reason"].startswith("Hurt more on 1 of 1 planned day at 10 reps, each side, "
                                    "its starting dose, and it has no easier version: stopped.")
    assert again.entries["exercise"].tolist() == ["cat_cow"]


@pytest.mark.parametrize("rows, reason", [
    ([(MON, "skipped", None), (FRI, "skipped", None)],
     "Not done this week (skipped on 2 of 2 planned days): kept as it is until it is done "
     "in full."),
    ([(MON, "partly", "easier")],
     "Not done this week (done partly on 1, not recorded on 1 of 2 planned days): kept as it "
     "is until it is done in full."),
    ([], "Not done this week (not recorded on 2 of 2 planned days): kept as it is until it "
         "is done in full."),
    ([(MON, "done", "easier"), (FRI, "done", "harder")],
     "Felt harder on 1 of 2 planned days at 10 reps, hold 3 s: kept as it is until it feels "
     "easier or about right."),
    ([(MON, "done", None)],
     "Done on 1 of 2 planned days at 10 reps, hold 3 s, but how it felt was not recorded: "
     "kept as it is."),
])
def test_not_done_or_felt_harder_is_held(rows, reason):
    plan = _plan(Monday=["pelvic_tilt"], Friday=["pelvic_tilt"])
    done = _done(*[(d, "pelvic_tilt", s, f) for d, s, f in rows])
    new, changes = _propose(plan, done)
    row = _row(changes, "pelvic_tilt")
    assert (row["change"], row["from"], row["to"]) == ("held", "10 reps, hold 3 s",
                                                       "10 reps, hold 3 s")
    assert row["reason"] == reason
    assert new.entries.drop(columns="dose_source").equals(
        plan.entries.drop(columns="dose_source"))


def test_at_the_cap_with_no_harder_version_it_is_held():
    plan = _plan(Monday=["fast_walking"]).set_dose(0, minutes=30)
    new, changes = _propose(plan, _done((MON, "fast_walking", "done", "easier")))
    row = _row(changes, "fast_walking")
    assert (row["change"], row["to"]) == ("held", "30 min")
    assert "its full dose, and it has no harder version" in row["reason"]


def test_every_exercise_has_one_row_in_plan_order():
    plan = _plan(Monday=["cat_cow", "clamshell"], Tuesday=["cat_cow"], Friday=["bird_dog"])
    done = _done((MON, "cat_cow", "done", "easier"), (MON, "clamshell", "done", "hurt more"),
                 (TUE, "cat_cow", "done", "easier"))
    _, changes = _propose(plan, done)
    assert changes["exercise"].tolist() == ["cat_cow", "clamshell", "bird_dog"]
    assert changes["change"].tolist() == ["dose up", "stopped", "held"]


def test_reports_outside_the_seven_days_are_not_read():
    plan = _plan(Monday=["cat_cow"])
    # Sunday 1 March is 7 days before TODAY: last week, and about an exercise not in
    # this plan; Monday 9 March is after TODAY.
    done = _done(("2026-03-01", "cobra", "done", "easier"),
                 ("2026-03-09", "cat_cow", "done", "hurt more"))
    _, changes = _propose(plan, done)
    assert changes["change"].tolist() == ["held"]


def test_pain_up_by_two_points_stops_progression_and_says_see_a_clinician():
    plan = _plan(Monday=["cat_cow"], Wednesday=["bird_dog"])
    done = _done((MON, "cat_cow", "done", "easier"), (WED, "bird_dog", "done", "hurt more"))
    new, changes = _propose(plan, done, pain=_pain(4, 6))
    cat = _row(changes, "cat_cow")
    assert (cat["change"], cat["to"]) == ("see a clinician", "5 reps, hold 10 s")
    assert cat["reason"].startswith("Pain this week 6.0 on average, up from 4.0 in your "
                                    "first week")
    assert cat["reason"].endswith("see a clinician before any exercise gets harder.")
    # stepping back after "hurt more" is not progression: it still happens
    bird = _row(changes, "bird_dog")
    assert bird["change"] == "easier" and "see a clinician" in bird["reason"]
    assert new.entries["exercise"].tolist() == ["cat_cow", "arm_lift_all_fours"]
    assert new.entries["hold_s"].tolist()[0] == 10, "cat-cow not made harder"


@pytest.mark.parametrize("first, now, stops", [
    (5.0, 6.5, True),   # 1.5 points is 30% of 5: important
    (5.0, 6.4, False),  # 28%, and under 2 points
    (8.0, 10.0, True),  # 2 points (25%)
    (4.0, 2.0, False),  # less pain is never a reason to stop
])
def test_the_important_rise_is_2_points_or_30_percent(first, now, stops):
    plan = _plan(Monday=["cat_cow"])
    _, changes = _propose(plan, _done((MON, "cat_cow", "done", "easier")),
                          pain=_pain(first, now))
    assert changes["change"].tolist() == (["see a clinician"] if stops else ["dose up"])


def test_the_thresholds_table_given_is_used():
    plan = _plan(Monday=["cat_cow"])
    done = _done((MON, "cat_cow", "done", "easier"))
    strict = pd.DataFrame({"measure": ["nprs"], "points": [3.0], "percent": [float("nan")],
                           "better": ["lower"]})
    _, changes = _propose(plan, done, pain=_pain(4, 6), thresholds=strict)
    assert changes["change"].tolist() == ["dose up"], "a 2-point rise is under 3 points"


def test_without_a_thresholds_file_it_is_2_points_or_30_percent(monkeypatch, tmp_path):
    monkeypatch.setattr(nw, "__file__", str(tmp_path / "pkg" / "journal" / "next_week.py"))
    monkeypatch.setattr(nw.resources, "files", lambda _: tmp_path / "nowhere")
    assert nw._thresholds(None).to_dict("records") == [
        {"measure": "nprs", "points": 2.0, "percent": 30.0, "better": "lower"}]
    plan = _plan(Monday=["cat_cow"])
    _, changes = propose_next(plan, done=_done((MON, "cat_cow", "done", "easier")),
                              pain=_pain(5, 6.5), signs=NO_SIGNS, today=TODAY)
    assert changes["change"].tolist() == ["see a clinician"]


def test_a_warning_sign_in_the_week_stops_progression():
    plan = _plan(Monday=["cat_cow"])
    done = _done((MON, "cat_cow", "done", "easier"))
    _, changes = _propose(plan, done, signs=_signs((THU, "nice_ng59_red_fever")))
    row = _row(changes, "cat_cow")
    assert row["change"] == "see a clinician"
    assert row["reason"].startswith("Warning sign on Thursday 5 March: Back pain with fever or "
                                    "feeling generally unwell. See a doctor.")
    # a sign from before the week does not stop this week's progression
    _, changes = _propose(plan, done, signs=_signs(("2026-02-20", "nice_ng59_red_fever")))
    assert changes["change"].tolist() == ["dose up"]


def test_a_report_about_an_exercise_not_in_the_plan_is_refused():
    plan = _plan(Monday=["cat_cow", "clamshell"])
    done = _done((MON, "cat_cow", "done", "easier"), (TUE, "cat-cow", "done", "hurt more"))
    with pytest.raises(bg.BackguideError) as caught:
        _propose(plan, done)
    message = str(caught.value)
    assert message.startswith("done on 2026-03-03, column exercise: found 'cat-cow'")
    assert "cat_cow, clamshell" in message and "did you mean 'cat_cow'?" in message


@pytest.mark.parametrize("column, value", [("status", "finished"), ("felt", "great"),
                                           ("status", None)])
def test_a_status_or_feeling_outside_the_list_is_refused(column, value):
    row = {"status": "done", "felt": "easier", column: value}
    done = _done((MON, "cat_cow", row["status"], row["felt"]))
    with pytest.raises(bg.BackguideError, match=f"column {column}: found"):
        _propose(_plan(Monday=["cat_cow"]), done)


def test_two_peoples_journals_are_refused():
    done = pd.concat([_done((MON, "cat_cow", "done", "easier")),
                      _done((MON, "cat_cow", "done", "hurt more"), person="bo")])
    with pytest.raises(bg.BackguideError, match="one person's journal"):
        _propose(_plan(Monday=["cat_cow"]), done)


def test_a_proposal_from_a_proposal_keeps_one_date_in_its_name():
    plan = _plan(name="Mine (from 2026-03-02)", Monday=["cat_cow"])
    new, _ = _propose(plan, _done())
    assert new.name == "Mine (from 2026-03-09)"


def test_an_empty_plan_proposes_an_empty_plan():
    new, changes = _propose(bg.Plan(name="Nothing"), _done())
    assert new.is_empty and changes.empty and list(changes.columns) == list(CHANGES)


# --- with a store ----------------------------------------------------------------------


class FakeStore:
    """The store's API as next_week uses it, over tables held in memory."""

    def __init__(self, plans: dict, done, pain=NO_PAIN, signs=NO_SIGNS):
        self.plans = plans  # version -> (starts, plan)
        self.tables = {"done": done, "pain": pain, "signs": signs}
        self.calls, self.saved = [], []

    def plan(self, person, *, on):
        self.calls.append(("plan", person, on))
        on_or_before = [v for v, (s, _) in self.plans.items() if s <= on]
        return self.plans[max(on_or_before)][1] if on_or_before else None

    def read(self, table, *, person=None):
        self.calls.append(("read", table, person))
        if table == "plans":
            return pd.DataFrame([{"person": person, "version": v, "starts": s, "name": p.name,
                                  "follow": True}
                                 for v, (s, p) in self.plans.items()],
                                columns=list(COLUMNS["plans"]))
        t = self.tables[table]
        return t[t["person"] == person]

    def set_plan(self, person, plan, *, starts):
        self.saved.append((person, plan, starts))
        return len(self.plans) + 1


def test_next_week_reads_the_persons_plan_and_journal_from_the_store():
    plan = _plan(Monday=["cat_cow"], Wednesday=["bird_dog"])
    done = pd.concat([_done((MON, "cat_cow", "done", "easier"), (WED, "bird_dog", "done",
                                                                 "hurt more")),
                      _done((MON, "cat_cow", "done", "hurt more"), person="bo")])
    # typed as the store types them
    done = done.astype({"status": pd.CategoricalDtype(STATUSES),
                        "felt": pd.CategoricalDtype(FEELINGS), "exercise": "str"})
    store = FakeStore({1: (dt.date(2026, 2, 1), plan)}, done, pain=_pain(4, 4))
    new, changes = next_week(store, "ada", today=TODAY)
    assert ("plan", "ada", TODAY) in store.calls
    assert {c[1] for c in store.calls if c[0] == "read"} >= {"done", "pain", "signs"}
    assert all(c[2] == "ada" for c in store.calls if c[0] == "read"), "only ada's tables"
    assert changes["change"].tolist() == ["dose up", "easier"], "bo's report is not read"
    assert new.name == "Mine (from 2026-03-09)"

    assert accept_next(store, "ada", new, starts=dt.date(2026, 3, 9)) == 2
    assert store.saved == [("ada", new, dt.date(2026, 3, 9))]


def test_reports_about_an_earlier_plan_version_are_not_read():
    old = _plan(Monday=["bird_dog"], Thursday=["bird_dog"])
    new_plan = _plan(Thursday=["arm_lift_all_fours"])
    done = pd.concat([_done((MON, "bird_dog", "done", "hurt more"), version=1),
                      _done((THU, "arm_lift_all_fours", "done", "easier"), version=2)])
    store = FakeStore({1: (dt.date(2026, 2, 1), old), 2: (dt.date(2026, 3, 3), new_plan)},
                      done)
    _, changes = next_week(store, "ada", today=TODAY)
    row = _row(changes, "arm_lift_all_fours")
    # Tuesday 3 to Sunday 8: one planned Thursday, done and easier
    assert row["change"] == "dose up"
    assert row["reason"].startswith("Felt easier on 1 of 1 planned day")


def test_next_week_without_a_plan_says_so():
    store = FakeStore({1: (dt.date(2026, 4, 1), _plan(Monday=["cat_cow"]))}, _done())
    with pytest.raises(bg.BackguideError, match="a person with a plan on 2026-03-08"):
        next_week(store, "ada", today=TODAY)


def test_one_good_day_of_a_daily_exercise_is_not_yet_a_step_up():
    """Done and felt about right on 1 of 7 planned days: held until it is done on at
    least half of them (4 of 7 is enough)."""
    plan = _plan(**{d: ["cat_cow"] for d in bg.schema.DAYS})
    one = _done((MON, "cat_cow", "done", "about right"))
    _new, changes = _propose(plan, one)
    assert _row(changes, "cat_cow")["change"] == "held"
    assert _row(changes, "cat_cow")["reason"] == (
        "Felt about right on 1 of 7 planned days at 5 reps, hold 10 s: kept as it is until "
        "it is done on at least half of its planned days.")
    four = _done(*[(d, "cat_cow", "done", "about right") for d in (MON, TUE, WED, THU)])
    assert _row(_propose(plan, four)[1], "cat_cow")["change"] == "dose up"
