"""The presentation: timer phases from the dose, and the flow from safety to summary."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import numpy as np
import ipywidgets as W
import pandas as pd
import pytest

import backguide as bg
from backguide.dose import HOLD_REST_SECONDS, MOVE_SECONDS, shown_minutes
from backguide.present import Presenter, timer_phases

LIB = bg.load_library()
EX = LIB.exercises


def kinds(phases):
    return [(p["kind"], p["seconds"]) for p in phases]


def dose(ex_id: str, source: str = "default", **changes) -> dict:
    return {**bg.dose_for(ex_id, source, lib=LIB), **changes}


def rule_seconds(d: dict) -> float:
    """The seconds ``plan_table`` (the dose rule) gives one entry's dose."""
    return float(bg.plan_table(pd.DataFrame([d]), lib=LIB)["seconds"].iloc[0])


def test_holds_with_rest_between_them():
    phases = timer_phases(dose("glute_bridge"))  # 5 holds of 20 s, 10 s rest between
    assert kinds(phases) == [("move", MOVE_SECONDS), ("hold", 20)] + [
        ("rest", 10), ("move", MOVE_SECONDS), ("hold", 20)] * 4
    assert phases[-1]["detail"] == "rep 5 of 5"
    assert phases[2]["detail"] == "Next: rep 2 of 5"


def test_each_side_then_a_switch_prompt():
    phases = timer_phases(dose("bird_dog"))  # 5 holds of 5 s each side, no rest given
    rest = ("rest", HOLD_REST_SECONDS)  # a breath between holds all the same
    side = [("move", MOVE_SECONDS), ("hold", 5)] + [rest, ("move", MOVE_SECONDS), ("hold", 5)] * 4
    assert kinds(phases) == side + [("switch", HOLD_REST_SECONDS + MOVE_SECONDS)] + side[1:]
    switch = phases[len(side)]
    assert switch["label"] == "Change sides"
    assert phases[0]["detail"].startswith("First side")
    assert phases[-1]["detail"].startswith("Other side")


def test_reps_without_holds_and_sets_with_rest():
    phases = timer_phases(dose("clamshell", sets=2.0, rest_s=30.0))
    reps = 10 * MOVE_SECONDS
    assert kinds(phases) == [("rep", reps), ("rest", 30), ("rep", reps),
                             ("switch", 30 + MOVE_SECONDS), ("rep", reps - MOVE_SECONDS),
                             ("rest", 30), ("rep", reps)]


def test_held_repetitions_have_a_rest_between_them_even_when_the_dose_gives_none():
    """The pelvic tilt's ten 3-second holds are not run back to back."""
    d = dose("pelvic_tilt")
    assert pd.isna(d["rest_s"]) and d["hold_s"] == 3 and d["reps"] == 10
    phases = timer_phases(d)
    assert [p["kind"] for p in phases[:6]] == ["move", "hold", "rest", "move", "hold", "rest"]
    assert phases[2]["seconds"] == HOLD_REST_SECONDS
    assert sum(p["kind"] == "rest" for p in phases) == 9
    assert sum(p["seconds"] for p in phases) == pytest.approx(rule_seconds(d))


def test_blank_dose_fields_are_nan_and_not_counted():
    # NaN is truthy: a blank must not be read as a dose.
    d = dose("superman")  # 1 x 3 reps, no hold, no rest
    assert pd.isna(d["hold_s"]) and pd.isna(d["rest_s"]) and pd.isna(d["minutes"])
    assert kinds(timer_phases(d)) == [("rep", 3 * MOVE_SECONDS)]


@pytest.mark.parametrize("ex_id", ["cat_cow", "shoulder_squeeze"])
def test_cat_cow_and_the_shoulder_squeeze_are_not_done_per_side(ex_id):
    sources = ["default", *sorted(set(LIB.doses.loc[LIB.doses["exercise"] == ex_id, "source"]))]
    for source in sources:
        phases = timer_phases(dose(ex_id, source))
        assert phases, source
        words = " ".join(p["label"] + " " + p["detail"] for p in phases).lower()
        assert "switch" not in {p["kind"] for p in phases}, source
        assert "change sides" not in words and "side" not in words, source


def every_dose():
    for ex_id in EX.index:
        for source in ["default", *sorted(set(LIB.doses.loc[LIB.doses["exercise"] == ex_id,
                                                              "source"]))]:
            yield ex_id, source


@pytest.mark.parametrize("ex_id, source", list(every_dose()))
def test_the_timer_takes_as_long_as_the_plan_says(ex_id, source):
    d = dose(ex_id, source)
    phases = timer_phases(d)
    assert all(p["seconds"] > 0 for p in phases)
    assert sum(p["seconds"] for p in phases) == pytest.approx(rule_seconds(d))
    for changes in ({"sets": 3.0, "rest_s": 15.0}, {"rest_s": 5.0, "per_side": True}):
        if pd.isna(d["minutes"]):
            d2 = {**d, **changes}
            assert sum(p["seconds"] for p in timer_phases(d2)) == pytest.approx(rule_seconds(d2))


def test_activity_is_one_long_countdown():
    assert kinds(timer_phases(dose("fast_walking"))) == [("activity", 1200)]


def test_the_timer_takes_a_plan_row():
    plan = bg.load_starter("gentle_start", lib=LIB)
    row = plan.entries.iloc[1]  # knee roll, each side
    assert sum(p["seconds"] for p in timer_phases(row)) == pytest.approx(
        bg.plan_table(plan, lib=LIB)["seconds"].iloc[1])


def screen_text(widget) -> str:
    """Every piece of HTML on the presenter's screen, as a person would read it."""
    parts = []
    stack = [widget]
    while stack:
        w = stack.pop(0)
        if isinstance(w, (W.HTML, W.Button)) and w.layout.display != "none":
            parts.append(getattr(w, "value", "") or w.description)
        stack[:0] = list(getattr(w, "children", ()))
    text = re.sub(r"</?(p|li|ul|ol|div|h\d|br)\b[^>]*>", " ", " ".join(parts))
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def run_through(p, position):
    """As the browser reports when every countdown of the exercise ran to the end."""
    p.timer.completed = list(range(len(p.timer.phases)))


def through_to_summary(folder, plan="starter:gentle_start", day="Tuesday") -> Presenter:
    """A presenter that has shown every exercise of ``plan`` on ``day``, now at its summary."""
    p = Presenter(LIB, folder=folder)
    p.accept_safety()
    p.begin(plan, day)
    for _ in range(len(p.queue)):
        p.next()
    assert p.stage == "summary"
    return p


def test_presenter_flows_from_safety_to_summary(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    assert p.stage == "safety"
    shown = screen_text(p._screen)
    assert "not a diagnosis" in shown and "loss of bladder or bowel control" in shown
    p.accept_safety()
    assert p.stage == "choose"
    p.begin("starter:gentle_start", "Monday")
    assert list(p.queue["exercise"]) == ["pelvic_tilt", "knee_roll", "single_knee_to_chest",
                                         "cat_cow", "childs_pose", "fast_walking"]
    shown = screen_text(p._screen)
    assert p.stage == "exercise" and "Pelvic tilt" in shown
    assert "10 reps, hold 3 s" in shown
    assert "Exercise 1 of 6" in shown
    run_through(p, 0)
    p.next()
    assert p.position == 1
    assert "5 reps, hold 5 s, each side" in screen_text(p._screen)
    p.previous()
    assert p.position == 0
    p.next()
    # Knee roll: only the first three holds run to the end, then the rest is skipped.
    holds = [i for i, ph in enumerate(p.timer.phases) if ph["kind"] == "hold"]
    p.timer.completed = holds[:3]
    for _ in range(len(p.queue) - 1):
        p.next()
    assert p.stage == "summary"
    summary = screen_text(p._screen)
    assert "Of 6 exercises: 1 done, 1 partly done, 4 skipped." in summary
    assert "Knee roll" in summary and "partly done (3 of 10 holds)" in summary
    r = p.results()
    assert list(r["status"]) == ["done", "partly", "skipped", "skipped", "skipped", "skipped"]


def test_skipping_every_part_is_not_counted_as_done(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Tuesday")
    for _ in range(len(p.queue)):
        p.timer.done = True  # Next pressed through every part: done, but nothing counted down
        p.next()
    assert (p.results()["status"] == "skipped").all()
    assert f"0 done, 0 partly done, {len(p.queue)} skipped" in screen_text(p._screen)


def test_a_warning_sign_that_applies_gives_its_advice_and_no_session(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.sign_applies()
    assert p.stage == "stop"
    assert "Which one applies?" in screen_text(p._screen)
    p.sign_applies("nice_ng59_red_bladder")
    shown = screen_text(p._screen)
    assert "Do not start the exercises today" in shown
    assert "Seek urgent medical help, do not exercise." in shown
    assert "Begin" not in shown and p.queue.empty


def test_a_broken_saved_plan_says_what_is_wrong(tmp_path):
    (tmp_path / "broken.json").write_text('{"name": "Broken", "entries": [')
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    labels = [label for label, _ in p._plan.options]
    assert "Saved: broken.json (cannot be opened)" in labels or any(
        "cannot be opened" in label for label in labels)
    p._plan.value = "saved:broken"
    assert "This plan cannot be opened" in p._preview.value
    assert "broken.json" in p._preview.value
    p.begin("saved:broken", "Monday")
    assert p.stage == "choose"
    assert "This plan cannot be opened" in p._status.value and "broken.json" in p._status.value


@pytest.mark.parametrize("name", bg.starter_plans())
def test_the_presenter_says_the_session_length_the_board_does(name, tmp_path):
    from backguide.views import WeekPlanner

    plan = bg.load_starter(name, lib=LIB)
    board = WeekPlanner(lib=LIB, plan=plan, folder=tmp_path)
    board_text = {day: screen_text(board._board.children[i])
                  for i, day in enumerate(bg.schema.DAYS)}
    sessions = bg.session_minutes(plan, lib=LIB)
    table = bg.plan_table(plan, lib=LIB)
    for day in plan.entries["day"].unique():
        p = Presenter(lib=LIB, folder=tmp_path)
        p.accept_safety()
        p.begin(f"starter:{name}", str(day))
        expected = sessions.loc[sessions["day"] == day, "minutes"].sum()
        assert p.minutes == pytest.approx(expected)
        heads = re.findall(r"(\w[\w ]*) \((\d+) min\)", screen_text(p._screen))
        for _ in range(len(p.queue)):
            p.next()
        summary = screen_text(p._screen)
        for s in sessions[sessions["day"] == day].itertuples():
            words = f"{s.session_name} ({shown_minutes(s.minutes, 0)} min)"
            assert words in summary and words in board_text[str(day)], words
        assert heads and heads[0][1] == shown_minutes(
            sessions.loc[sessions["day"] == day, "minutes"].iloc[0], 0)
        shown = re.findall(r"\(([\d.]+) min\): ", summary)
        assert shown == [shown_minutes(m)
                         for m in table.loc[table["day"] == day, "total_minutes"]]


def test_single_exercise_and_rest_day(tmp_path):
    p = Presenter(LIB, folder=tmp_path)  # the library may be passed by position too
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cobra")
    assert list(p.queue["exercise"]) == ["cobra"]
    assert "Partial cobra" in screen_text(p._screen), "where it sits between variants"
    expected = rule_seconds(dose("cobra")) / 60
    assert p.minutes == pytest.approx(expected)
    assert sum(x["seconds"] for x in p.timer.phases) == pytest.approx(expected * 60)
    plan = bg.Plan("Rest")
    bg.save_plan(plan, tmp_path / "rest.json")
    p.begin("saved:rest", "Sunday")
    assert "rest day" in p._status.value


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


def test_the_handout_is_what_was_shown(tmp_path):
    """Cobra alone was shown: the handout holds Cobra at the dose shown, and no other."""
    p = Presenter(LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:stretch_and_strengthen", "Tuesday", exercise="cobra")
    p.next()
    pdf, page = p.make_handout(person="Ada", notes="Co-pay $20 today and $15 later")
    text = pdf_text(pdf)
    names = [n for n in EX["name"] if re.search(rf"\b{re.escape(n)}\b", text)]
    assert set(names) - {"Partial cobra"} == {"Cobra"}, names
    assert bg.describe_dose(**{k: bg.dose_for("cobra", lib=LIB)[k] for k in
                               ("sets", "reps", "hold_s", "rest_s", "per_side", "minutes")}
                            ) in text
    assert "Co-pay $20 today and $15 later" in text
    assert "Cobra" in page


def test_the_handout_of_a_day_or_the_whole_week(tmp_path):
    p = through_to_summary(tmp_path)
    labels = list(p.handout_form.what.options)
    assert labels[0].startswith("What we went through: Gentle start: Tuesday")
    assert labels[1] == "The whole week: Gentle start"
    day, _ = p.make_handout()
    shown = set(p.table["name"])
    text = pdf_text(day)
    in_day = {n for n in EX["name"] if re.search(rf"\b{re.escape(n)}\b", text)}
    assert shown <= in_day
    week_only = set(bg.plan_table(p.plan, lib=LIB)["name"]) - shown
    assert week_only and not (week_only & in_day), week_only & in_day
    week, _ = p.make_handout(whole_week=True)
    text = pdf_text(week)
    assert all(n in text for n in week_only)


@pytest.mark.parametrize("name", ["../../../x", "/tmp/abs", "/", "<b>Ada</b><script>x</script>",
                                  "a/b/c", "..", "C:\\evil"])
def test_a_hostile_plan_name_writes_nothing_and_downloads_under_a_safe_name(name, tmp_path,
                                                                          monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    folder = work / "plans"
    store = bg.store.PlanStore(folder)
    store.save(bg.load_starter("gentle_start", lib=LIB).replace(name=name))
    before = sorted(str(x) for x in tmp_path.rglob("*"))
    p = Presenter(LIB, folder=folder)
    p.accept_safety()
    key = store.list()["key"].iloc[0]
    p.begin(f"saved:{key}", "Monday")
    for _ in range(len(p.queue)):
        p.next()
    p.handout_form.button.click()
    link = p.handout_form.result.value
    assert "data:application/pdf" in link
    for filename in re.findall(r'download="([^"]+)"', link):
        filename = html.unescape(filename)
        assert "/" not in filename and "\\" not in filename and not filename.startswith(".")
        assert "<" not in filename and ">" not in filename
        assert filename.endswith((".pdf", ".html"))
    assert sorted(str(x) for x in tmp_path.rglob("*")) == before, "nothing written"
    assert not Path("/tmp/abs.pdf").exists()


@pytest.mark.parametrize("dose", [
    dict(sets=0, reps=0, hold_s=60, rest_s=0, per_side=False, minutes=0),
    dict(sets=2, reps=0, hold_s=0, rest_s=10, per_side=True, minutes=float("nan")),
    dict(sets=None, reps=5, hold_s=None, rest_s=None, per_side=False, minutes=None),
])
def test_a_zero_or_blank_dose_value_times_as_the_dose_rule_reads_it(dose):
    """0, None and NaN all mean "not given": one set, one rep, no hold."""
    total = sum(p["seconds"] for p in timer_phases(dose))
    expected = bg.estimate_seconds(*(np.nan if dose[k] is None else dose[k]
                                     for k in ("sets", "reps", "hold_s", "rest_s")),
                                   dose["per_side"],
                                   np.nan if dose["minutes"] is None else dose["minutes"])
    assert total == pytest.approx(expected) and total > 0


def test_a_changed_form_takes_the_old_download_away(tmp_path):
    """A link made before the notes, the person or the choice changed would hand the
    patient the wrong sheet."""
    p = through_to_summary(tmp_path)
    form = p.handout_form
    for change in (lambda: setattr(form.notes, "value", "Walk daily."),
                   lambda: setattr(form.person, "value", "Bea"),
                   lambda: setattr(form.what, "index", 1),
                   lambda: setattr(form.paper, "value", "Letter")):
        form.button.click()
        assert "data:application/pdf" in form.result.value
        change()
        assert form.result.value == ""


def test_the_next_patient_starts_with_an_empty_form(tmp_path):
    p = through_to_summary(tmp_path)
    p.handout_form.person.value = "Ada"
    p.handout_form.notes.value = "Private notes"
    p.start_again()
    assert p.stage == "safety"
    assert p.handout_form.person.value == "" and p.handout_form.notes.value == ""


def test_a_single_exercise_is_not_placed_on_a_day(tmp_path):
    p = Presenter(LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cobra")
    shown = screen_text(p._screen)
    assert "Just this exercise" in shown
    assert "Exercise 1 of 1" not in shown and "Monday" not in shown
    assert p.timer.next_label == "Finish"
