"""Rehearse's two timings behind one interface, and the history lines it shows."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from tui.core.rehearsal import (
    Attempt,
    Light,
    Mark,
    ObjectionTry,
    RunRecord,
    Split,
    statement_fingerprint,
    summarize,
)
from tui.core.session import PlanSession
from tui.core.store import Store
from tui.core.timing import (
    HISTORY_LISTED,
    DrillTiming,
    MeetingTiming,
    StatementTiming,
    against_target,
    attempts_history,
    history_chart,
    history_line,
    not_listed,
    run_history,
    runs_history,
    split_text,
    statement_history,
    tries_history,
    when_timed,
)

START = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.reading = 1000.0

    def monotonic(self) -> float:
        return self.reading

    def wall(self) -> datetime:
        return START + timedelta(seconds=self.reading - 1000.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(tmp_path) -> PlanSession:
    session = PlanSession(Store(tmp_path / "plan.json"))
    for name in ("Anna", "Ben"):
        session.add("people", {"name": name, "statement": "I love you.", "target_seconds": 120})
    return session


def statement_timing(clock, person_id="anna", target=120, statement=None) -> StatementTiming:
    return StatementTiming(person_id, target, clock.monotonic, clock.wall, statement=statement)


def meeting_timing(clock, speakers) -> MeetingTiming:
    return MeetingTiming(speakers, clock.monotonic, clock.wall)


# --- one statement ----------------------------------------------------------------------------


def test_a_statement_timing_counts_up_and_keeps_the_time_it_stopped_at(clock):
    timing = statement_timing(clock)
    assert not timing.running and timing.elapsed() == 0
    timing.start()
    clock.reading += 75.4
    assert timing.running and timing.elapsed() == pytest.approx(75.4)
    assert (timing.speaker, timing.target) == ("anna", 120)
    timing.stop()
    clock.reading += 30
    assert not timing.running and timing.elapsed() == pytest.approx(75.4)


@pytest.mark.parametrize(
    ("seconds", "light"),
    [(0, Light.OFF), (59.9, Light.OFF), (60, Light.GREEN), (90, Light.YELLOW), (120, Light.RED)],
)
def test_the_light_comes_on_at_the_minimum_the_midpoint_and_the_target(clock, seconds, light):
    timing = statement_timing(clock)
    timing.start()
    clock.reading += seconds
    assert timing.light() is light


def test_a_stopped_attempt_is_saved_with_its_words_and_fingerprint_and_said_so(clock, session):
    person_id = session.plan.people[0]["id"]
    timing = statement_timing(clock, person_id, statement="I love you.")
    timing.start()
    clock.reading += 62.25
    timing.stop()
    assert timing.save(session) == "Saved: 1:02."
    assert timing.noun == "attempt"
    fingerprint = statement_fingerprint("I love you.")
    assert session.plan.rehearsals_of(person_id) == [Attempt(START, 62.2, 3, fingerprint)]


@pytest.mark.parametrize(
    ("target", "seconds", "short"),
    [(120, 29.9, True), (120, 30, False), (20, 9.9, True), (20, 10, False), (600, 149, True)],
)
def test_an_attempt_under_a_quarter_of_its_target_or_ten_seconds_is_short(
    clock, target, seconds, short
):
    timing = statement_timing(clock, target=target)
    assert not timing.stopped_short()
    timing.start()
    clock.reading += seconds
    timing.stop()
    assert timing.stopped_short() is short


def test_a_discarded_attempt_cannot_be_saved(clock, session):
    timing = statement_timing(clock, session.plan.people[0]["id"])
    timing.start()
    clock.reading += 10
    timing.stop()
    timing.discard()
    assert timing.elapsed() == 0
    with pytest.raises(RuntimeError):
        timing.save(session)
    assert session.plan.lists["attempts"] == []


def test_starting_again_starts_from_zero(clock):
    timing = statement_timing(clock)
    timing.start()
    clock.reading += 50
    timing.stop()
    timing.start()
    clock.reading += 5
    assert timing.elapsed() == pytest.approx(5)


# --- the whole meeting ------------------------------------------------------------------------


def test_a_meeting_timing_goes_through_the_speakers_in_order(clock):
    timing = meeting_timing(clock, [("anna", 120), ("ben", 60)])
    assert timing.speaker is None and timing.upcoming == "anna"
    timing.start()
    assert (timing.speaker, timing.target, timing.upcoming) == ("anna", 120, "ben")
    clock.reading += 100
    assert timing.elapsed() == pytest.approx(100)
    assert timing.light() is Light.YELLOW
    assert timing.next_speaker() is False
    assert (timing.speaker, timing.target, timing.upcoming) == ("ben", 60, None)
    assert timing.elapsed() == 0 and timing.light() is Light.OFF
    clock.reading += 70
    assert timing.light() is Light.RED
    assert timing.next_speaker() is True
    assert not timing.running
    assert timing.finished
    # The clock shows the whole run-through's length, with no light on.
    assert (timing.speaker, timing.elapsed()) == ("ben", pytest.approx(170))
    assert timing.light() is Light.OFF
    assert [(split.person_id, split.seconds) for split in timing.splits] == [
        ("anna", pytest.approx(100)),
        ("ben", pytest.approx(70)),
    ]


def test_a_run_through_saved_after_the_last_speaker(clock, session):
    anna, ben = (person["id"] for person in session.plan.people)
    timing = meeting_timing(clock, [(anna, 120), (ben, 120)])
    timing.start()
    for seconds in (100, 130):
        clock.reading += seconds
        timing.next_speaker()
    assert timing.save(session) == "Run-through saved: 3:50."
    assert timing.noun == "run-through"
    [run] = session.plan.lists["runs"]
    assert run["total_seconds"] == 230
    assert [(split["person_id"], split["seconds"]) for split in run["splits"]] == [
        (anna, 100),
        (ben, 130),
    ]


def test_each_turn_in_a_run_through_keeps_the_fingerprint_of_the_statement_read(clock, session):
    anna, ben = (person["id"] for person in session.plan.people)
    statements = {anna: "I love you.", ben: "Come home with us."}
    timing = MeetingTiming([(anna, 120), (ben, 120)], clock.monotonic, clock.wall, statements)
    timing.start()
    for seconds in (100, 130):
        clock.reading += seconds
        timing.next_speaker()
    timing.save(session)
    [run] = session.plan.lists["runs"]
    assert [split["fingerprint"] for split in run["splits"]] == [
        statement_fingerprint("I love you."),
        statement_fingerprint("Come home with us."),
    ]
    [turn] = session.plan.rehearsals_of(ben)
    assert turn.fingerprint == statement_fingerprint("Come home with us.")


def test_a_run_through_stopped_early_saves_who_spoke(clock, session):
    anna, ben = (person["id"] for person in session.plan.people)
    timing = meeting_timing(clock, [(anna, 120), (ben, 120)])
    timing.start()
    clock.reading += 45
    timing.stop()
    assert not timing.running and timing.speaker == anna
    assert timing.save(session) == "Run-through saved: 0:45."
    [run] = session.plan.lists["runs"]
    assert [split["person_id"] for split in run["splits"]] == [anna]


def test_a_run_through_not_finished_cannot_be_saved(clock, session):
    timing = meeting_timing(clock, [("anna", 120)])
    timing.start()
    with pytest.raises(RuntimeError):
        timing.save(session)


# --- history lines ----------------------------------------------------------------------------


def attempts(*seconds: float) -> list[Attempt]:
    return [Attempt(START + timedelta(days=day), s) for day, s in enumerate(seconds)]


@pytest.mark.parametrize(
    ("seconds", "line"),
    [
        ((), "No attempts yet."),
        ((130.5,), "1 attempt · last 2:10 (over target) · best 2:10 · average 2:10"),
        (
            (150, 140, 130, 110, 100, 95),
            "6 attempts · last 1:35 (within target) · best 1:50 · average 2:00 · getting shorter",
        ),
        (
            (100, 110),
            "2 attempts · last 1:50 (within target) · best 1:50 · average 1:45"
            " · not getting shorter",
        ),
    ],
)
def test_a_persons_history_in_one_line(seconds, line):
    assert attempts_history(summarize(attempts(*seconds), 120)) == line


def test_the_meetings_history_names_each_speaker_and_says_who_has_gone():
    runs = [
        {"total_seconds": 400, "splits": []},
        {
            "total_seconds": 361.0,
            "splits": [
                {"person_id": "a1", "seconds": 118.4},
                {"person_id": "gone", "seconds": 242.6},
            ],
        },
    ]
    names = {"a1": "Anna", "b2": "Ben"}
    assert runs_history(runs, 300, names) == (
        "2 run-throughs · last 6:01 of 5:00: Anna 1:58 · (removed) 4:02"
    )
    assert runs_history([], 300, names) == "No run-throughs yet."
    assert split_text("b2", 59.99, names) == "Ben 0:59"


# --- the objection drill ----------------------------------------------------------------------


def test_a_drill_try_is_saved_only_with_its_mark(clock, session):
    objection_id = session.add("objections", {"objection": "I can quit on my own."})
    timing = DrillTiming(objection_id, 30, clock.monotonic, clock.wall)
    timing.start()
    clock.reading += 24.0
    assert timing.light() is Light.YELLOW  # green at 0:15, yellow at 0:22.5, red at 0:30
    timing.stop()
    assert timing.stopped and not session.plan.tries_of(objection_id)
    assert timing.save(session, Mark.NEEDS_WORK) == "Saved: 0:24, needs work."
    assert not timing.stopped
    last = session.plan.last_try(objection_id)
    assert (last.seconds, last.mark, last.started_at) == (24.0, Mark.NEEDS_WORK, START)
    with pytest.raises(RuntimeError):
        timing.save(session, Mark.WENT_WELL)


def test_a_discarded_drill_try_cannot_be_saved(clock, session):
    timing = DrillTiming("o1", 30, clock.monotonic, clock.wall)
    timing.start()
    clock.reading += 5
    timing.stop()
    timing.discard()
    assert not timing.stopped and timing.elapsed() == 0
    with pytest.raises(RuntimeError):
        timing.save(session, Mark.WENT_WELL)


def test_an_objections_tries_in_one_line():
    def tried(seconds, mark):
        return ObjectionTry(START, seconds, mark)

    assert tries_history([], 30) == "Not practised yet."
    assert tries_history([tried(41, Mark.NEEDS_WORK)], 30) == (
        "1 try, 0 went well · last 0:41 of 0:30, needs work"
    )
    assert (
        tries_history(
            [tried(41, Mark.NEEDS_WORK), tried(28, Mark.WENT_WELL), tried(25, Mark.WENT_WELL)], 30
        )
        == "3 tries, 2 went well · last 0:25 of 0:30, went well"
    )


# Histories, one attempt a line, and their chart


def history_plan(tmp_path) -> PlanSession:
    session = PlanSession(Store(tmp_path / "plan.json"))
    anna = session.add(
        "people", {"name": "Anna", "statement": "I love you.", "target_seconds": 120}
    )
    ben = session.add("people", {"name": "Ben", "statement": "Come home.", "target_seconds": 60})
    for day, seconds in enumerate([134.2, 100.0]):
        session.record_attempt(anna, Attempt(START + timedelta(days=day), seconds))
    session.record_run(
        RunRecord(START + timedelta(days=5), 190.0, (Split(anna, 125.0), Split(ben, 65.0)))
    )
    return session


def test_a_persons_history_lists_their_attempts_and_turns_in_run_throughs_newest_first(tmp_path):
    session = history_plan(tmp_path)
    anna = session.plan.people[0]["id"]
    entries = statement_history(session.plan, anna)
    assert [(entry.table, entry.seconds, entry.in_run) for entry in entries] == [
        ("runs", 125.0, True),
        ("attempts", 100.0, False),
        ("attempts", 134.2, False),
    ]
    assert [history_line(entry, 120) for entry in entries] == [
        f"{when_timed(START + timedelta(days=5))}  2:05  +0:05 over · run-through",
        f"{when_timed(START + timedelta(days=1))}  1:40  -0:20 under",
        f"{when_timed(START)}  2:14  +0:14 over",
    ]
    assert [entry.seconds for entry in run_history(session.plan)] == [190.0]


def test_when_an_attempt_was_timed_is_shown_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert when_timed(datetime(2026, 12, 6, 19, 2, tzinfo=UTC)) == "Sun 6 Dec 19:02"
        assert when_timed(datetime(2026, 7, 6, 19, 2, tzinfo=UTC)) == "Mon 6 Jul 20:02"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(134.9, "+0:14 over"), (120.9, "on target"), (119.9, "-0:01 under"), (45, "-1:15 under")],
)
def test_a_time_is_compared_with_the_target_as_the_clock_shows_it(seconds, said):
    assert against_target(seconds, 120) == said


def test_a_long_history_lists_the_newest_and_counts_the_rest():
    assert not_listed(HISTORY_LISTED, "attempt", "attempts") == ""
    assert not_listed(HISTORY_LISTED + 1, "attempt", "attempts") == (
        "… and 1 earlier attempt, not listed"
    )
    assert not_listed(10_000, "attempt", "attempts") == (
        f"… and {10_000 - HISTORY_LISTED:,} earlier attempts, not listed"
    )


def test_the_chart_marks_the_target_and_the_times_over_it():
    chart = history_chart([60.0, 240.0, 120.0, 5.0], 120, width=40, rows=2)
    # 240 fills both rows; the target, half of it, fills the bottom one.
    assert chart.rows == (" █  ", "▄██┈ ┈ target 2:00")
    assert chart.over == (False, True, False, False)
    under = history_chart([60.0], 120, width=40, rows=2)
    assert under.rows == ("┈ ┈ target 2:00", "█")


def test_the_chart_shows_the_latest_times_that_fit_beside_its_label():
    times = [float(seconds) for seconds in range(1, 10_001)]
    chart = history_chart(times, 5000, width=20, rows=2)
    assert chart.rows == ("███", "███ ┈ target 1:23:20")
    assert chart.over == (True,) * 3
    assert history_chart([], 120, width=40).rows == ()
