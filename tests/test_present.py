"""The presentation: the timer's phases, and what a person reads from safety to summary.

Every expectation here is either written out (the steps of cat-cow as
``data/exercises.csv`` has them, "Morning stretches (7.8 min)") or worked out
in the test from a plan's entries by the dose rule written out by hand
(:func:`seconds_by_hand`): never taken from the function under test.
"""

from __future__ import annotations

import html
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

import backguide as bg
from backguide.dose import Phase
from backguide.present import Presenter, Timer, timer_phases, visible_text

LIB = bg.load_library()
EX = LIB.exercises
ROOT = Path(__file__).resolve().parent.parent
CHILD = "Kneel with your knees hip-width apart and the tops of your feet flat on the floor."


def kinds(phases):
    return [(p["kind"], p["seconds"]) for p in phases]


def dose(ex_id: str, source: str = "default", **changes) -> dict:
    return {**bg.dose_for(ex_id, source, lib=LIB), **changes}


def seconds_by_hand(d) -> Fraction:
    """The dose rule (``backguide/dose.py``'s docstring), written out again by hand.

    Minutes take those minutes.  Otherwise each effort (a hold, or a set when
    nothing is held) is done on each side; a held rep takes its hold plus 3 s
    to move, an unheld rep 3 s; the rest (3 s between holds when none is
    given) falls between efforts, switching sides included.
    """
    def given(k, blank=0):
        x = d[k]
        return blank if x is None or pd.isna(x) or x <= 0 else Fraction(x)

    if given("minutes"):
        return given("minutes") * 60
    sets, reps, hold = given("sets", 1), given("reps", 1), given("hold_s")
    rest = given("rest_s", 3 if hold else 0)
    sides = 2 if bool(d["per_side"]) else 1
    if hold:
        efforts = sides * sets * reps
        work = efforts * (hold + 3)
    else:
        efforts = sides * sets
        work = efforts * reps * 3
    return work + (efforts - 1) * rest


def minutes_by_hand(seconds: Fraction) -> str:
    """Seconds as minutes to one decimal, half up, no trailing ".0" (written out)."""
    tenths = int(seconds * 10 / 60 + Fraction(1, 2))  # floor of x + 1/2: half up
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


def test_the_rule_by_hand_reads_as_written():
    assert seconds_by_hand(dose("glute_bridge")) == 155  # 5 x (20 + 3) + 4 x 10
    assert minutes_by_hand(Fraction(87)) == "1.5" and minutes_by_hand(Fraction(60)) == "1"


# --- the timer's phases ----------------------------------------------------------------


def test_holds_with_rest_between_them():
    phases = timer_phases(dose("glute_bridge"))  # 5 holds of 20 s, 10 s rest between
    assert kinds(phases) == [("move", 3), ("hold", 20)] + [
        ("rest", 10), ("move", 3), ("hold", 20)] * 4
    assert phases[-1]["detail"] == "rep 5 of 5"
    assert phases[2]["detail"] == "Next: rep 2 of 5"
    assert sum(p["seconds"] for p in phases) == 155


def test_each_side_then_a_switch_prompt():
    phases = timer_phases(dose("bird_dog"))  # 5 holds of 5 s each side, no rest given
    rest = ("rest", 3)  # a breath between holds all the same
    side = [("move", 3), ("hold", 5)] + [rest, ("move", 3), ("hold", 5)] * 4
    assert kinds(phases) == side + [("switch", 3 + 3)] + side[1:]
    assert phases[len(side)]["label"] == "Change sides"
    assert phases[0]["detail"].startswith("First side")
    assert phases[-1]["detail"].startswith("Other side")
    assert sum(p["seconds"] for p in phases) == 107  # 2 x 5 x (5 + 3) + 9 x 3


def test_reps_without_holds_and_sets_with_rest():
    phases = timer_phases(dose("clamshell", sets=2.0, rest_s=30.0))
    assert kinds(phases) == [("rep", 30), ("rest", 30), ("rep", 30), ("switch", 33),
                             ("rep", 27), ("rest", 30), ("rep", 30)]


def test_held_repetitions_have_a_rest_between_them_even_when_the_dose_gives_none():
    """The pelvic tilt's ten 3-second holds are not run back to back."""
    d = dose("pelvic_tilt")
    assert pd.isna(d["rest_s"]) and d["hold_s"] == 3 and d["reps"] == 10
    phases = timer_phases(d)
    assert [p["kind"] for p in phases[:6]] == ["move", "hold", "rest", "move", "hold", "rest"]
    assert phases[2]["seconds"] == 3
    assert sum(p["kind"] == "rest" for p in phases) == 9
    assert sum(p["seconds"] for p in phases) == 87  # 10 x (3 + 3) + 9 x 3


def test_blank_dose_fields_are_nan_and_not_counted():
    # NaN is truthy: a blank must not be read as a dose.
    d = dose("superman")  # 1 x 3 reps, no hold, no rest
    assert pd.isna(d["hold_s"]) and pd.isna(d["rest_s"]) and pd.isna(d["minutes"])
    assert kinds(timer_phases(d)) == [("rep", 9)]


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


def test_the_timer_takes_as_long_as_the_rule_written_out_by_hand():
    """Every dose the library holds, and two changes of each: the timer's parts add up
    to the seconds the rule gives when worked out by hand."""
    for ex_id, source in every_dose():
        d = dose(ex_id, source)
        for changes in ({}, {"sets": 3.0, "rest_s": 15.0}, {"rest_s": 5.0, "per_side": True}):
            d2 = {**d, **changes}
            phases = timer_phases(d2)
            assert all(p["seconds"] > 0 for p in phases), (ex_id, source, changes)
            assert sum(p["seconds"] for p in phases) == pytest.approx(
                float(seconds_by_hand(d2))), (ex_id, source, changes)


def test_activity_is_one_long_countdown():
    assert kinds(timer_phases(dose("fast_walking"), "Fast walking")) == [("activity", 1200)]
    assert timer_phases(dose("fast_walking"), "Fast walking")[0]["label"] == "Fast walking"


def test_the_timer_takes_a_plan_row():
    row = bg.load_starter("gentle_start", lib=LIB).entries.iloc[1]  # knee roll, each side
    assert row["exercise"] == "knee_roll"
    assert sum(p["seconds"] for p in timer_phases(row)) == 107  # 2 x 5 x (5 + 3) + 9 x 3


@pytest.mark.parametrize("d, seconds", [
    (dict(sets=0, reps=0, hold_s=60, rest_s=0, per_side=False, minutes=0), 63),
    (dict(sets=2, reps=0, hold_s=0, rest_s=10, per_side=True, minutes=float("nan")), 42),
    (dict(sets=None, reps=5, hold_s=None, rest_s=None, per_side=False, minutes=None), 15),
])
def test_a_zero_or_blank_dose_value_times_as_the_dose_rule_reads_it(d, seconds):
    """0, None and NaN all mean "not given": one set, one rep, no hold."""
    assert sum(p["seconds"] for p in timer_phases(d)) == seconds


def test_the_timer_runs_the_dose_rules_phases_and_its_files():
    timer = Timer()
    timer.load((Phase("hold", "Hold", 20.0, "rep 1 of 1"),), "Finish")
    assert timer.phases == [{"kind": "hold", "label": "Hold", "seconds": 20.0,
                             "detail": "rep 1 of 1"}]
    assert timer.run == 1 and timer.next_label == "Finish"
    static = ROOT / "backguide" / "static"
    assert timer._esm == (static / "present.js").read_text(encoding="utf-8")
    assert "export default { render }" in timer._esm
    css = (static / "present.css").read_text(encoding="utf-8")
    assert ".bg-timer .bg-countdown" in css and ".bg-present .bg-steps li" in css
    depth = 0  # every rule closed where it opened: a stray brace drops the next rule
    for ch in re.sub(r"/\*.*?\*/", "", css, flags=re.S):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    for module in (ROOT / "backguide" / "present").glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "font-size" not in source and "addEventListener" not in source, module.name


# --- the presenter: safety -------------------------------------------------------------


def test_lib_is_passed_by_name():
    with pytest.raises(TypeError):
        Presenter(LIB)  # noqa


def test_the_safety_screen_reads_the_guidance(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    assert p.stage == "safety"
    shown = p.screen_text()
    assert shown.startswith(
        "Before you start This is a guide, not a diagnosis. If an exercise makes your back "
        "pain worse, stop doing it. It is fine to rest the back for a while; do what you "
        "can, choosing exercises that do not strain it. Does any of these apply to you today?")
    for statement in [
            "New trouble passing urine, loss of bladder or bowel control: seek urgent medical "
            "help, do not exercise.",
            "Numbness or tingling around the genitals, buttocks or back passage: seek urgent "
            "medical help.",
            "New or worsening weakness in the legs, or feet that catch or drag: see a doctor "
            "the same day.",
            "Back pain with fever or feeling generally unwell: see a doctor.",
            "Back pain with weight loss you cannot explain: see a doctor.",
            "Back pain after a major fall, accident or injury: see a doctor before exercising.",
            "Back pain in someone who has had cancer: see a doctor."]:
        assert statement in shown
    assert "Source: Low back pain and sciatica in over 16s: assessment and management (NG59)" \
        in shown
    assert shown.endswith("None of these apply: continue One of these applies")


def test_a_warning_sign_that_applies_gives_its_advice_and_no_session(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.sign_applies()
    assert p.stage == "stop"
    assert p.screen_text() == (
        "Which one applies? New trouble passing urine, loss of bladder or bowel control "
        "Numbness or tingling around the genitals, buttocks or back passage "
        "New or worsening weakness in the legs, or feet that catch or drag "
        "Back pain with fever or feeling generally unwell "
        "Back pain with weight loss you cannot explain "
        "Back pain after a major fall, accident or injury "
        "Back pain in someone who has had cancer Back to the safety questions")
    p.sign_applies("nice_ng59_red_bladder")
    shown = p.screen_text()
    assert shown.startswith(
        "Do not start the exercises today You said: New trouble passing urine, loss of "
        "bladder or bowel control. Seek urgent medical help; do not exercise. "
        "The exercises can wait until a clinician has seen you. Source: Low back pain")
    assert "Begin" not in shown and p.queue.empty


# --- choosing --------------------------------------------------------------------------


def test_the_choice_previews_the_days_sessions(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.choose(plan="starter:gentle_start", day="Tuesday")
    assert ("Tuesday: 7 exercises, 11.4 min \u00b7 Morning stretches (7.8 min) \u00b7 "
            "Gentle strength (3.6 min)") in p.screen_text()
    p.choose(exercise="childs_pose")
    assert "Just Child's pose, at its starting dose: 1 rep, hold 30 s (about 0.6 min)." \
        in p.screen_text()
    bg.save_plan(bg.Plan("Rest"), tmp_path / "rest.json")
    p.accept_safety()
    p.choose(plan="saved:rest", day="Sunday", exercise="")
    assert "Sunday is a rest day in this plan. Choose another day." in p.screen_text()


def test_a_broken_saved_plan_says_what_is_wrong(tmp_path):
    (tmp_path / "broken.json").write_text('{"name": "Broken", "entries": [')
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    assert ("Saved: broken.json (cannot be opened)", "saved:broken") in p.plan_choices
    p.choose(plan="saved:broken")
    assert "This plan cannot be opened" in p.screen_text()
    assert "broken.json" in p.screen_text()
    p.begin("saved:broken", "Monday")
    assert p.stage == "choose"
    shown = p.screen_text()
    assert shown.startswith("This plan cannot be opened") and "broken.json" in shown


def lock(monkeypatch, *names: str) -> None:
    """Make the files called ``names`` unreadable, as ``chmod 000`` does for a user that is
    not root: reading them raises PermissionError (the tests may run as root, whom
    chmod does not stop)."""
    read_bytes, read_text, open_ = Path.read_bytes, Path.read_text, Path.open

    def refuse(path):
        if Path(path).name in names:
            raise PermissionError(13, "Permission denied", str(path))

    def guarded(real):
        def method(self, *args, **kwargs):
            refuse(self)
            return real(self, *args, **kwargs)
        return method

    for name, real in (("read_bytes", read_bytes), ("read_text", read_text), ("open", open_)):
        monkeypatch.setattr(Path, name, guarded(real))


def assert_says_it_cannot_be_read(p: Presenter, filename: str) -> None:
    """The choose screen says, on the page, that the file cannot be read and what to do."""
    shown = p.screen_text()
    assert f"This plan cannot be opened. The file {filename} is there, but this computer " \
        "does not let the guide read it (permission denied)." in shown
    assert "Ask whoever looks after this computer to let the guide read it, or choose " \
        "another plan." in shown


def test_a_saved_plan_the_computer_will_not_let_us_read_says_so(tmp_path, monkeypatch):
    """Choosing it, or beginning it, says what is wrong on the page: no PermissionError."""
    store = bg.store.PlanStore(tmp_path)
    path = store.save(bg.load_starter("gentle_start", lib=LIB).replace(name="Locked week"))
    lock(monkeypatch, path.name)
    with pytest.raises(PermissionError):
        path.read_bytes()  # the lock holds, root or not
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    key = f"saved:{path.stem}"
    assert (f"Saved: {path.name} (cannot be opened)", key) in p.plan_choices
    p.choose(plan=key)
    assert_says_it_cannot_be_read(p, path.name)
    p.begin(key, "Monday")
    assert p.stage == "choose" and p.queue.empty
    assert p.screen_text().startswith("This plan cannot be opened.")
    assert_says_it_cannot_be_read(p, path.name)
    # Another plan still begins.
    p.choose(plan="starter:gentle_start")
    p.begin("starter:gentle_start", "Monday")
    assert p.stage == "exercise"


# --- one exercise at a time ------------------------------------------------------------


def test_the_exercise_screen_shows_every_step_and_caution(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday")
    for _ in range(3):
        p.next()
    assert p.exercise.id == "cat_cow"
    shown = p.screen_text()
    assert shown.startswith("Exercise 4 of 6 \u00b7 Monday \u00b7 Morning stretches (7.8 min) "
                            "Cat-cow 5 reps, hold 10 s ")
    steps = (
        "Start on all fours with hands under shoulders and knees hip-width apart. "
        "Cat: draw your belly in and round your back up towards the ceiling, tucking your "
        "hips and letting your head drop. Hold. "
        "Cow: let your belly sink towards the floor, lift your tailbone and your head, and "
        "arch your back. Hold. "
        "Move slowly between the two, breathing out as you round and in as you arch.")
    cautions = (
        "Take care Move within a comfortable range; the arch should be gentle. "
        "One repetition is one cat and one cow: split the hold between them, half rounded "
        "and half arched. Stop if it makes your pain worse.")
    assert f"{steps} {cautions}" in shown


def test_the_exercise_screen_shows_the_dose_in_full(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Tuesday")
    for _ in range(5):
        p.next()
    assert p.exercise.name == "Glute bridge"
    shown = p.screen_text()
    assert ("Exercise 6 of 7 \u00b7 Tuesday \u00b7 Gentle strength (3.6 min) Glute bridge "
            "5 reps, hold 20 s, rest 10 s ") in shown
    assert len(p.phases) == 14 and p.timer.phases[1] == {
        "kind": "hold", "label": "Hold", "seconds": 20.0, "detail": "rep 1 of 5"}


def test_a_single_exercise_shows_the_minutes_of_its_own_session(tmp_path):
    """Child's pose alone: its session is its 0.6 minutes, on the screen and at the end."""
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="childs_pose")
    assert list(p.queue["exercise"]) == ["childs_pose"]
    shown = p.screen_text()
    assert shown.startswith(f"Just this exercise (0.6 min) Child's pose 1 rep, hold 30 s "
                            f"{CHILD}")
    assert "\u25c0\u25c0 Previous exercise Finish" in shown
    assert "Exercise 1 of 1" not in shown and "Monday" not in shown
    assert p.session.heading == "Just this exercise (0.6 min)" and p.exercise.minutes == "0.6"
    assert p.timer.next_label == "Finish"
    assert sum(x["seconds"] for x in p.timer.phases) == 33


def test_an_exercise_between_its_variants(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cobra")
    shown = p.screen_text()
    assert shown.startswith("Just this exercise (0.8 min) Cobra 3 reps, hold 10 s")
    assert "Do not do cobra if partial cobra hurts." in shown
    assert "Easier: Partial cobra (sphinx) \u2190 this \u2192 Harder: none" in shown
    assert sum(x["seconds"] for x in p.timer.phases) == 45  # 3 x (10 + 3) + 2 x 3


def timer_buttons() -> dict[str, str]:
    """The timer's buttons as present.js draws them: class name to label, as read."""
    from backguide.present.assets import timer_esm

    found = re.findall(r'<button class="bg-timer-(\w+)"[^>]*>([^<]*)</button>', timer_esm())
    return {name: html.unescape(label).strip() for name, label in found}


def test_the_buttons_that_leave_an_exercise_are_named_apart_from_the_timers(tmp_path):
    """"Next" said once: the timer skips a part, the presenter's button leaves the exercise."""
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday")
    timer = timer_buttons()
    assert timer["prev"] == "\u25c0 Previous part" and timer["skip"] == "Skip this part \u25b6"
    shown = p.screen_text()
    assert "\u25c0\u25c0 Previous exercise Next exercise \u25b6\u25b6" in shown
    words = [*timer.values(), "\u25c0\u25c0 Previous exercise", "Next exercise \u25b6\u25b6"]
    assert len(set(words)) == len(words)
    assert [w for w in words if "Next" in w] == ["Next exercise \u25b6\u25b6"]
    assert not [w for w in timer.values() if "exercise" in w], "the timer's go part by part"
    assert p.timer.next_label == "Next exercise \u25b6\u25b6"
    for _ in range(len(p.queue) - 1):
        p.next()
    assert "\u25c0\u25c0 Previous exercise Finish" in p.screen_text()
    assert p.timer.next_label == "Finish"


def test_the_keys_are_written_out_in_words_on_the_timer():
    from backguide.present.assets import timer_esm

    keys = re.search(r'<ul class="bg-timer-keys"[^>]*>(.*?)</ul>', timer_esm(), re.S).group(1)
    said = [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", li))).strip()
            for li in re.findall(r"<li>(.*?)</li>", keys, re.S)]
    assert said == ["Space: start or pause", "Right arrow or Page Down: skip this part",
                    "Left arrow or Page Up: previous part", "End: next exercise",
                    "Home: previous exercise", "M: sound on or off",
                    "F: full screen (Esc leaves it)"]


def test_the_movement_plays_in_place_of_the_picture(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="cat_cow")
    assert "Show the movement" in p.screen_text()
    p.show_movement()
    assert "Show the picture" in p.screen_text()
    p.show_movement(False)
    assert "Show the movement" in p.screen_text()


# --- the summary -----------------------------------------------------------------------


def through_to_summary(folder, plan="starter:gentle_start", day="Tuesday") -> Presenter:
    """A presenter that has shown every exercise of ``plan`` on ``day``, now at its summary."""
    p = Presenter(lib=LIB, folder=folder)
    p.accept_safety()
    p.begin(plan, day)
    for _ in range(len(p.queue)):
        p.next()
    assert p.stage == "summary"
    return p


def test_presenter_flows_from_safety_to_summary(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    assert p.stage == "choose"
    p.begin("starter:gentle_start", "Monday")
    assert list(p.queue["exercise"]) == ["pelvic_tilt", "knee_roll", "single_knee_to_chest",
                                         "cat_cow", "childs_pose", "fast_walking"]
    assert p.stage == "exercise"
    assert p.screen_text().startswith("Exercise 1 of 6 \u00b7 Monday \u00b7 Morning stretches "
                                      "(7.8 min) Pelvic tilt 10 reps, hold 3 s ")
    p.timer.completed = list(range(len(p.timer.phases)))  # every countdown ran to its end
    p.next()
    assert p.position == 1
    assert "Knee roll 5 reps, hold 5 s, each side" in p.screen_text()
    p.previous()
    assert p.position == 0
    p.next()
    # Knee roll: only the first three holds run to the end, then the rest is skipped.
    holds = [i for i, ph in enumerate(p.timer.phases) if ph["kind"] == "hold"]
    p.timer.completed = holds[:3]
    for _ in range(len(p.queue) - 1):
        p.next()
    assert p.stage == "summary"
    summary = p.screen_text()
    assert summary.startswith(
        "Session finished Of 6 exercises: 1 done, 1 partly done, 4 skipped. "
        "Morning stretches (7.8 min) \u00b7 Walk (20 min) "
        "\u2713 Pelvic tilt: 10 reps, hold 3 s (about 1.5 min): done "
        "\u25d0 Knee roll: 5 reps, hold 5 s, each side (about 1.8 min): partly done (3 of 10 "
        "holds) "
        "\u2013 Single knee to chest: 3 reps, hold 20 s, each side (about 2.6 min): skipped "
        "\u2013 Cat-cow: 5 reps, hold 10 s (about 1.3 min): skipped "
        "\u2013 Child's pose: 1 rep, hold 30 s (about 0.6 min): skipped "
        "\u2013 Fast walking: 20 min: skipped "
        "If an exercise makes your back pain worse, stop doing it.")
    r = p.results()
    assert list(r.columns) == ["name", "dose", "minutes", "efforts", "completed", "status",
                               "how"]
    assert r.to_dict("list") == {
        "name": ["Pelvic tilt", "Knee roll", "Single knee to chest", "Cat-cow",
                 "Child's pose", "Fast walking"],
        "dose": ["10 reps, hold 3 s", "5 reps, hold 5 s, each side",
                 "3 reps, hold 20 s, each side", "5 reps, hold 10 s", "1 rep, hold 30 s",
                 "20 min"],
        "minutes": ["1.5", "1.8", "2.6", "1.3", "0.6", "20"],
        "efforts": [10, 10, 6, 5, 1, 1],
        "completed": [10, 3, 0, 0, 0, 0],
        "status": ["done", "partly", "skipped", "skipped", "skipped", "skipped"],
        "how": ["done", "partly done (3 of 10 holds)", "skipped", "skipped", "skipped",
                "skipped"]}


def test_skipping_every_part_is_not_counted_as_done(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Tuesday")
    for _ in range(len(p.queue)):
        p.timer.done = True  # Next pressed through every part: done, but nothing counted down
        p.next()
    assert "Of 7 exercises: 0 done, 0 partly done, 7 skipped." in p.screen_text()


def test_a_single_exercise_done_reads_one_exercise(tmp_path):
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:gentle_start", "Monday", exercise="childs_pose")
    p.timer.completed = [0, 1]
    p.next()
    assert p.screen_text().startswith(
        "Session finished Of 1 exercise: 1 done, 0 partly done, 0 skipped. "
        "Just this exercise (0.6 min) \u2713 Child's pose: 1 rep, hold 30 s (about 0.6 min): "
        "done")


def sessions_by_hand(plan: bg.Plan, day: str) -> list[str]:
    """Each session of ``day`` headed as "Name (minutes)", the minutes the sum of its
    exercises' minutes as shown, all worked out by hand from the plan's entries."""
    heads = {}
    for _, r in plan.day(day).iterrows():
        name = r["session_name"]
        heads[name] = heads.get(name, 0) + Fraction(minutes_by_hand(seconds_by_hand(r)))
    return [f"{n} ({float(m):g} min)" for n, m in heads.items()]


@pytest.mark.parametrize("name", bg.starter_plans())
def test_the_presenter_heads_each_session_with_its_minutes(name, tmp_path):
    plan = bg.load_starter(name, lib=LIB)
    for day in plan.entries["day"].unique():
        day = str(day)
        heads = sessions_by_hand(plan, day)
        p = Presenter(lib=LIB, folder=tmp_path)
        p.accept_safety()
        p.choose(plan=f"starter:{name}", day=day)
        assert " \u00b7 ".join(heads) in p.screen_text()
        p.begin(f"starter:{name}", day)
        assert f"\u00b7 {day} \u00b7 {heads[0]} " in p.screen_text()
        for _ in range(len(p.queue)):
            p.next()
        assert " \u00b7 ".join(heads) in p.screen_text()


@pytest.mark.parametrize("name", bg.starter_plans())
def test_the_board_heads_each_session_as_the_presenter_does(name, tmp_path):
    from backguide.views import WeekPlanner

    plan = bg.load_starter(name, lib=LIB)
    board = visible_text(WeekPlanner(lib=LIB, plan=plan, folder=tmp_path))
    p = Presenter(lib=LIB, folder=tmp_path)
    for day in plan.entries["day"].unique():
        p.accept_safety()
        p.begin(f"starter:{name}", str(day))
        for _ in range(len(p.queue)):
            p.next()
        for session in p.week.day(str(day)).sessions:
            assert session.heading in p.screen_text()
            assert session.heading in board, (day, session.heading)


# --- the handout -----------------------------------------------------------------------


def test_a_days_handout_knows_its_plan_and_a_single_exercise_stands_alone(tmp_path):
    p = through_to_summary(tmp_path)
    day, week = p.handout_form.choices()
    assert day[0] == "What we went through: Gentle start: Tuesday (7 exercises, 11.4 min)"
    assert list(day[1].entries["exercise"]) == [
        "pelvic_tilt", "knee_roll", "single_knee_to_chest", "cat_cow", "childs_pose",
        "glute_bridge", "clamshell"]
    assert day[2] is p.plan and day[2].name == "Gentle start"
    assert week == ("The whole week: Gentle start", p.plan, p.plan)
    # A plan named like a day's title is still a plan, and a single exercise still alone.
    store = bg.store.PlanStore(tmp_path)
    store.save(bg.load_starter("gentle_start", lib=LIB).replace(name="Cobra"))
    p.start_again()
    p.accept_safety()
    key = store.list()["key"].iloc[0]
    p.begin(f"saved:{key}", "Monday", exercise="cobra")
    [(label, shown)] = p.handout_form.choices()
    assert label == "What we went through: Cobra (1 exercise, 0.8 min)"
    assert list(shown.entries["exercise"]) == ["cobra"]
    p.begin(f"saved:{key}", "Monday")
    assert [c[0] for c in p.handout_form.choices()] == [
        "What we went through: Cobra: Monday (6 exercises, 27.8 min)", "The whole week: Cobra"]


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


def test_the_handout_is_what_was_shown(tmp_path):
    """Cobra alone was shown: the handout holds Cobra at the dose shown, and no other."""
    p = Presenter(lib=LIB, folder=tmp_path)
    p.accept_safety()
    p.begin("starter:stretch_and_strengthen", "Tuesday", exercise="cobra")
    p.next()
    pdf, page = p.make_handout(person="Ada", notes="Co-pay $20 today and $15 later")
    text = pdf_text(pdf)
    names = [n for n in EX["name"] if re.search(rf"\b{re.escape(n)}\b", text)]
    assert set(names) - {"Partial cobra"} == {"Cobra"}, names
    assert "3 reps, hold 10 s" in text
    assert "Co-pay $20 today and $15 later" in text
    assert "Cobra" in page


def test_the_handout_of_a_day_or_the_whole_week(tmp_path):
    p = through_to_summary(tmp_path)
    labels = list(p.handout_form.what.options)
    assert labels == ["What we went through: Gentle start: Tuesday (7 exercises, 11.4 min)",
                      "The whole week: Gentle start"]
    day, _ = p.make_handout()
    shown = {"Pelvic tilt", "Knee roll", "Single knee to chest", "Cat-cow", "Child's pose",
             "Glute bridge", "Clamshell"}
    text = pdf_text(day)
    in_day = {n for n in EX["name"] if re.search(rf"\b{re.escape(n)}\b", text)}
    assert shown <= in_day
    assert "Fast walking" not in in_day  # Monday's walk is in the week, not in Tuesday
    week, _ = p.make_handout(whole_week=True)
    assert "Fast walking" in pdf_text(week)


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
    p = Presenter(lib=LIB, folder=folder)
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
    assert p.queue.empty and p.handout_form.choices() == []


# --- the handout form: the clinic, times a day, and what goes wrong ----------------------


def test_the_form_prints_the_clinic_and_how_many_times_a_day(tmp_path):
    p = through_to_summary(tmp_path)
    form = p.handout_form
    assert form.clinic.description == "Clinic name and contact"
    assert form.times_a_day.description == "Times a day"
    assert form.times_a_day.value is None
    assert [label for label, _ in form.times_a_day.options][2] == "twice a day"
    form.clinic.value = "Riverside Physiotherapy\nTel 01234 567890"
    form.times_a_day.value = 2
    form.button.click()
    assert "data:application/pdf" in form.result.value
    pdf, page = p.make_handout()
    text = pdf_text(pdf)
    assert "Riverside Physiotherapy \u00b7 Tel 01234 567890" in text
    assert "10 reps, hold 3 s: every day, twice a day" in text  # Tuesday's pelvic tilt
    assert "Riverside Physiotherapy" in page and "twice a day" in page
    # The next patient: the clinic stays, the times a day go with the name and notes.
    p.start_again()
    assert form.clinic.value == "Riverside Physiotherapy\nTel 01234 567890"
    assert form.times_a_day.value is None and form.person.value == ""


def test_make_handout_takes_the_clinic_and_times_a_day(tmp_path):
    p = through_to_summary(tmp_path)
    pdf, _ = p.make_handout(clinic="Lakeside Clinic, 555 0100", times_a_day=3)
    text = pdf_text(pdf)
    assert "Lakeside Clinic, 555 0100" in text and "three times a day" in text


@pytest.mark.parametrize("field, label", [("person", "For"), ("notes", "Notes"),
                                          ("clinic", "Clinic name and contact")])
def test_text_that_cannot_be_printed_is_said_on_the_form_naming_its_box(field, label, tmp_path):
    """A lone surrogate ("Ada\\udc80") raised a raw TypeError from the PDF's fonts and left
    the form on "Making the handout\u2026"."""
    p = through_to_summary(tmp_path)
    form = p.handout_form
    getattr(form, field).value = "Ada\udc80"
    form.button.click()
    said = visible_text(form.result)
    assert said.startswith(f"No handout. Put right the box \u201c{label}\u201d: {field}: ")
    assert "character 4" in said and "type the text again" in said
    assert "Making the handout" not in said and not form.button.disabled
    with pytest.raises(bg.BackguideError, match=rf"^{field}: "):
        form.handout()


def test_the_form_never_stays_on_making_the_handout(tmp_path, monkeypatch):
    """Whatever goes wrong, the form ends on a message and the button works again."""
    import backguide.handout as handout

    p = through_to_summary(tmp_path)
    form = p.handout_form

    def broken(*_args, **_kwargs):
        raise TypeError("set_text(): incompatible function arguments")

    monkeypatch.setattr(handout, "handout_pages", broken)
    form.button.click()
    said = visible_text(form.result)
    assert said.startswith("No handout: something went wrong making it (TypeError: ")
    assert "Making the handout" not in said and not form.button.disabled
    monkeypatch.undo()
    form.button.click()
    assert "data:application/pdf" in form.result.value
