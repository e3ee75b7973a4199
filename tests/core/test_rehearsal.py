import ast
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tui.core.rehearsal
from tui.core.plan import MARKS
from tui.core.rehearsal import (
    GENERAL_PACE,
    Attempt,
    Light,
    Mark,
    ObjectionTry,
    Pace,
    RunRecord,
    RunThrough,
    Split,
    Stopwatch,
    Thresholds,
    changed_since_rehearsed,
    counted_as_rehearsed,
    fits_target,
    format_clock,
    light_at,
    speaking_pace,
    speaking_seconds,
    statement_fingerprint,
    summarize,
    thresholds,
    word_count,
)

FIRST_WALL_TIME = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)


class FakeClock:
    """A monotonic clock and a wall clock that move together, only when told to."""

    def __init__(self, reading: float = 5000.0) -> None:
        self.first_reading = self.reading = reading

    def monotonic(self) -> float:
        return self.reading

    def wall(self) -> datetime:
        return FIRST_WALL_TIME + timedelta(seconds=self.reading - self.first_reading)

    def advance(self, seconds: float) -> None:
        self.reading += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_module_uses_only_the_standard_library():
    tree = ast.parse(Path(tui.core.rehearsal.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names


# Word count and speaking time


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("Hello, world!", 2),
        ("I don't want to lose you.", 6),
        ("I’m here.", 2),
        ("I love you — always.", 4),
        ("I love you—always.", 4),
        ("one -- two", 2),
        ("one--two", 2),
        ("wait…then", 2),
        ("a well-known place", 3),
        ("We waited 3 hours, until 2:30 a.m.", 7),
        ("It cost 1,000 dollars.", 4),
        ("... !!! — ?", 0),
        ("Café, naïve résumé", 3),
        ("Мы тебя любим", 3),
        ("I ❤️ you", 2),
        ("one\ntwo\tthree", 3),
    ],
)
def test_word_count_counts_what_a_person_would(text, words):
    assert word_count(text) == words


@given(
    words=st.lists(st.text(alphabet="abcxyzé019'", min_size=1).filter(str.isalnum), max_size=30),
    separator=st.sampled_from([" ", "\n", " — ", "—", ", ", ". ", "… ", " -- "]),
)
def test_word_count_ignores_how_words_are_separated(words, separator):
    assert word_count(separator.join(words)) == len(words)


def test_speaking_time_is_at_130_words_a_minute():
    assert speaking_seconds("word " * 130) == 60
    assert speaking_seconds("word " * 65) == 30
    assert speaking_seconds("") == 0


def test_speaking_time_at_a_speakers_own_pace():
    assert speaking_seconds("word " * 100, Pace(100, tries=3)) == 60
    assert speaking_seconds("word " * 100, Pace(150, tries=2)) == 40


def test_a_statement_fits_its_target_up_to_the_last_second():
    one_minute_at_130 = "word " * 130
    assert fits_target(one_minute_at_130, 60)
    assert not fits_target(one_minute_at_130, 59)
    assert not fits_target(one_minute_at_130, 60, Pace(120, tries=2))  # 65 seconds at 120
    assert fits_target(one_minute_at_130, 60, Pace(140, tries=2))


def test_the_pace_says_how_the_estimate_was_made():
    assert GENERAL_PACE.label == "at 130 words a minute"
    assert Pace(118.3, tries=3).label == "at your pace (118 words a minute, from 3 tries)"


# A speaker's own pace


def timed(words: int | None, seconds: float, day: int = 1) -> Attempt:
    return Attempt(FIRST_WALL_TIME + timedelta(days=day), seconds, words)


def test_the_general_pace_until_two_tries_recorded_their_words():
    assert speaking_pace([]) == GENERAL_PACE
    assert speaking_pace([timed(260, 120)]) == GENERAL_PACE
    assert speaking_pace([timed(None, 120), timed(None, 118), timed(260, 120)]) == GENERAL_PACE


def test_two_tries_give_the_speakers_pace_from_all_their_words_and_minutes():
    pace = speaking_pace([timed(260, 130), timed(260, 110)])
    assert pace == Pace(520 / 4, tries=2)  # 520 words in 240 seconds: 130 a minute


def test_each_try_counts_at_the_word_count_it_was_timed_at():
    # The statement was cut from 300 to 200 words between the tries; both at 120 a minute.
    pace = speaking_pace([timed(300, 150), timed(200, 100)])
    assert pace.words_per_minute == pytest.approx(120)
    assert pace.tries == 2


def test_a_try_far_off_the_median_is_left_out():
    # 120, 125 and 118 words a minute, and one reading interrupted by the phone: 60.
    tries = [timed(240, 120), timed(250, 120), timed(236, 120), timed(240, 240)]
    pace = speaking_pace(tries)
    assert pace.tries == 3
    assert pace.words_per_minute == pytest.approx((240 + 250 + 236) / 6)


@pytest.mark.parametrize(
    ("off_by", "left_out"),
    [(1.24, False), (0.76, False), (1.26, True), (0.74, True)],
)
def test_far_off_means_more_than_a_quarter_from_the_median(off_by, left_out):
    tries = [timed(130, 60), timed(130, 60), timed(130, 60 / off_by)]  # median: 130 a minute
    assert speaking_pace(tries).tries == (2 if left_out else 3)


def test_two_tries_that_disagree_give_no_pace_until_a_third_says_which_is_right():
    disagreeing = [timed(200, 100), timed(200, 200)]  # 120 and 60 words a minute
    assert speaking_pace(disagreeing) == GENERAL_PACE
    assert speaking_pace([*disagreeing, timed(200, 105)]).tries == 2


@pytest.mark.parametrize("seconds", [0, 0.4, 10, 301, 3600])
def test_a_try_too_fast_or_too_slow_to_be_a_reading_never_counts(seconds):
    # 200 words: under 30 seconds is over 400 words a minute, over 300 is under 40.
    steady = [timed(200, 100), timed(200, 100)]
    assert speaking_pace([*steady, timed(200, seconds)]) == Pace(120, tries=2)
    assert speaking_pace([steady[0], timed(200, seconds)]) == GENERAL_PACE


def test_tries_with_no_words_or_no_time_do_not_count():
    assert speaking_pace([timed(0, 60), timed(0, 60)]) == GENERAL_PACE


steady_paces = st.floats(min_value=60, max_value=240)


@given(
    words_per_minute=steady_paces,
    word_counts=st.lists(st.integers(50, 600), min_size=2, max_size=8),
    far_off=st.one_of(st.floats(0.1, 0.7), st.floats(1.4, 10)),
)
def test_one_far_off_try_does_not_move_a_steady_speakers_pace(
    words_per_minute, word_counts, far_off
):
    steady = [
        timed(words, words * 60 / words_per_minute, day) for day, words in enumerate(word_counts)
    ]
    pace = speaking_pace(steady)
    assert pace.words_per_minute == pytest.approx(words_per_minute)
    assert pace.tries == len(steady)
    off = timed(300, 300 * 60 / (words_per_minute * far_off), day=99)
    assert speaking_pace([*steady, off]) == pace


# Lights


def test_default_thresholds_are_half_the_target_then_halfway_then_target():
    assert thresholds(120) == Thresholds(green=60, yellow=90, red=120)


def test_custom_minimum_moves_green_and_yellow():
    assert thresholds(120, minimum_seconds=100) == Thresholds(green=100, yellow=110, red=120)
    assert thresholds(120, minimum_seconds=0) == Thresholds(green=0, yellow=60, red=120)


@pytest.mark.parametrize(
    ("target", "minimum", "message"),
    [
        (0, None, "target time must be more than zero"),
        (-5, None, "target time must be more than zero"),
        (120, 121, "minimum time must be between zero and the target"),
        (120, -1, "minimum time must be between zero and the target"),
    ],
)
def test_impossible_thresholds_are_refused(target, minimum, message):
    with pytest.raises(ValueError, match=message):
        thresholds(target, minimum)


@pytest.mark.parametrize(
    ("elapsed", "light"),
    [
        (0, Light.OFF),
        (59.99, Light.OFF),
        (60, Light.GREEN),
        (89.99, Light.GREEN),
        (90, Light.YELLOW),
        (119.99, Light.YELLOW),
        (120, Light.RED),
        (600, Light.RED),
    ],
)
def test_each_light_comes_on_exactly_at_its_time(elapsed, light):
    assert light_at(elapsed, thresholds(120)) == light


@given(
    target=st.floats(min_value=1, max_value=3600),
    earlier=st.floats(min_value=0, max_value=7200),
    later=st.floats(min_value=0, max_value=7200),
)
def test_lights_never_go_back_as_time_passes(target, earlier, later):
    earlier, later = sorted([earlier, later])
    order = list(Light)
    limits = thresholds(target)
    assert order.index(light_at(earlier, limits)) <= order.index(light_at(later, limits))


# Clock display


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (5, "0:05"),
        (59.99, "0:59"),
        (60, "1:00"),
        (120, "2:00"),
        (754, "12:34"),
        (3599.99, "59:59"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (36000, "10:00:00"),
    ],
)
def test_format_clock_rounds_down_to_the_second(seconds, shown):
    assert format_clock(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00.0"),
        (5.3, "0:05.3"),
        (5.39, "0:05.3"),
        (59.99, "0:59.9"),
        (3723.45, "1:02:03.4"),
        (1000.3 - 1000.0, "0:00.3"),  # 0.29999…: float noise must not cost a tenth
    ],
)
def test_format_clock_with_tenths_rounds_down_to_the_tenth(seconds, shown):
    assert format_clock(seconds, tenths=True) == shown


@pytest.mark.parametrize("seconds", [-1, -0.01, math.nan, math.inf])
def test_format_clock_refuses_times_a_clock_cannot_show(seconds):
    with pytest.raises(ValueError, match="A clock can only show zero or more seconds"):
        format_clock(seconds)


def _seconds_shown(shown: str) -> float:
    total = 0.0
    for part in shown.split(":"):
        total = total * 60 + float(part)
    return total


@given(st.floats(min_value=0, max_value=100 * 3600))
def test_format_clock_is_never_ahead_and_never_a_step_behind(seconds):
    whole = _seconds_shown(format_clock(seconds))
    assert whole <= seconds + 1e-6 < whole + 1
    with_tenths = _seconds_shown(format_clock(seconds, tenths=True))
    assert with_tenths <= seconds + 1e-6 < with_tenths + 0.1 + 1e-9


# Stopwatch


def test_ten_minutes_of_uneven_ticks_do_not_drift(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start()
    start_reading = clock.reading
    uneven_steps = [0.016, 0.033, 0.05, 0.1, 0.017, 0.25]
    step = 0
    while clock.reading - start_reading < 599.5:
        clock.advance(uneven_steps[step % len(uneven_steps)])
        stopwatch.elapsed()  # the screen reads the time on every tick
        step += 1
    clock.reading = start_reading + 600.05

    assert stopwatch.elapsed() == clock.reading - start_reading
    assert abs(stopwatch.elapsed() - 600.05) < 0.1
    assert format_clock(stopwatch.elapsed(), tenths=True) == "10:00.0"


def test_new_stopwatch_is_stopped_at_zero(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    assert not stopwatch.running
    assert stopwatch.elapsed() == 0


def test_stop_records_the_attempt_and_holds_the_time(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start()
    clock.advance(42.5)
    assert stopwatch.running
    assert stopwatch.elapsed() == 42.5

    attempt = stopwatch.stop()
    clock.advance(10)

    assert attempt == Attempt(started_at=FIRST_WALL_TIME, seconds=42.5)
    assert not stopwatch.running
    assert stopwatch.elapsed() == 42.5


def test_next_attempt_starts_from_zero(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start()
    clock.advance(30)
    stopwatch.stop()
    clock.advance(100)
    stopwatch.start()
    clock.advance(3)

    attempt = stopwatch.stop()

    assert attempt.seconds == 3
    assert attempt.started_at == FIRST_WALL_TIME + timedelta(seconds=130)


def test_discard_throws_the_attempt_away(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start()
    clock.advance(10)

    stopwatch.discard()

    assert not stopwatch.running
    assert stopwatch.elapsed() == 0
    with pytest.raises(RuntimeError, match="not running"):
        stopwatch.stop()


def test_discard_after_stop_clears_the_shown_time(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start()
    clock.advance(10)
    stopwatch.stop()

    stopwatch.discard()

    assert stopwatch.elapsed() == 0


def test_starting_twice_or_stopping_twice_is_an_error(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    with pytest.raises(RuntimeError, match="The stopwatch is not running."):
        stopwatch.stop()
    stopwatch.start()
    with pytest.raises(RuntimeError, match="The stopwatch is already running."):
        stopwatch.start()


def test_default_clocks_record_an_aware_utc_start():
    stopwatch = Stopwatch()
    stopwatch.start()
    attempt = stopwatch.stop()
    assert attempt.started_at.utcoffset() == timedelta(0)
    assert attempt.seconds >= 0


# Attempt saving and loading


def test_attempt_saves_as_iso_time_and_seconds_to_a_tenth():
    attempt = Attempt(started_at=FIRST_WALL_TIME, seconds=42.46)
    assert attempt.to_dict() == {"started_at": "2025-03-01T18:30:00+00:00", "seconds": 42.5}


aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
seconds = st.floats(min_value=0, max_value=24 * 3600)


@given(started_at=aware_times, seconds=seconds)
def test_attempt_round_trips_through_a_dict(started_at, seconds):
    saved = Attempt(started_at, seconds).to_dict()
    loaded = Attempt.from_dict(saved)
    assert loaded == Attempt(started_at, round(seconds, 1))
    assert loaded.to_dict() == saved


def test_attempt_loading_accepts_z_and_converts_offsets_to_utc():
    assert Attempt.from_dict({"started_at": "2025-03-01T18:30:00Z", "seconds": 1}).started_at == (
        FIRST_WALL_TIME
    )
    loaded = Attempt.from_dict({"started_at": "2025-03-01T20:30:00+02:00", "seconds": 1})
    assert loaded.started_at.utcoffset() == timedelta(0)
    assert loaded.started_at == FIRST_WALL_TIME


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "A saved attempt must be a set of named fields"),
        ({"seconds": 4}, 'A saved attempt is missing "started_at"'),
        ({"started_at": "2025-03-01T18:30:00+00:00"}, 'A saved attempt is missing "seconds"'),
        ({"started_at": "yesterday", "seconds": 4}, '"started_at" .* is not a date and time'),
        ({"started_at": 1740853800, "seconds": 4}, '"started_at" .* is not a date and time'),
        ({"started_at": "2025-03-01T18:30:00", "seconds": 4}, "must include a time zone"),
        ({"started_at": "2025-03-01T18:30:00Z", "seconds": "4"}, "must be a number of seconds"),
        ({"started_at": "2025-03-01T18:30:00Z", "seconds": True}, "must be a number of seconds"),
        ({"started_at": "2025-03-01T18:30:00Z", "seconds": -1}, "zero or more seconds"),
        ({"started_at": "2025-03-01T18:30:00Z", "seconds": math.nan}, "zero or more seconds"),
    ],
)
def test_bad_saved_attempt_is_refused_with_a_plain_message(data, message):
    with pytest.raises(ValueError, match=message):
        Attempt.from_dict(data)


def test_an_attempt_keeps_the_word_count_it_was_timed_at():
    attempt = Attempt(FIRST_WALL_TIME, 42.46, words=95)
    assert attempt.to_dict() == {
        "started_at": "2025-03-01T18:30:00+00:00",
        "seconds": 42.5,
        "words": 95,
    }
    assert Attempt.from_dict(attempt.to_dict()) == Attempt(FIRST_WALL_TIME, 42.5, words=95)
    assert Attempt.from_dict({"started_at": "2025-03-01T18:30:00Z", "seconds": 4}).words is None


@pytest.mark.parametrize("words", [-1, 2.5, "95", True])
def test_a_word_count_that_is_not_a_whole_number_is_refused(words):
    with pytest.raises(ValueError, match="word count must be a whole number"):
        Attempt(FIRST_WALL_TIME, 4, words)


def test_stopwatch_keeps_the_word_count_of_the_statement_it_timed(clock):
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start(words=120)
    clock.advance(55)
    assert stopwatch.stop() == Attempt(FIRST_WALL_TIME, 55, words=120)
    stopwatch.start()
    assert stopwatch.stop().words is None


def test_a_statement_fingerprint_changes_with_the_words_not_with_the_spacing():
    said = statement_fingerprint("I love you.\nCome with us.")
    assert said == statement_fingerprint("  I love you.  Come with us.\n")
    assert said != statement_fingerprint("I love you. Come with us today.")
    assert said != statement_fingerprint("I love you. come with us.")


def test_an_attempt_keeps_the_fingerprint_of_the_statement_it_timed(clock):
    fingerprint = statement_fingerprint("I love you.")
    stopwatch = Stopwatch(clock.monotonic, clock.wall)
    stopwatch.start(3, fingerprint)
    clock.advance(55)
    attempt = stopwatch.stop()
    assert attempt == Attempt(FIRST_WALL_TIME, 55, 3, fingerprint)
    assert attempt.to_dict()["fingerprint"] == fingerprint
    assert Attempt.from_dict(attempt.to_dict()) == attempt


def test_an_attempt_saved_without_a_fingerprint_still_opens_without_one():
    saved = {"started_at": "2025-03-01T18:30:00Z", "seconds": 4}
    assert Attempt.from_dict(saved) == Attempt(FIRST_WALL_TIME, 4)


def test_only_attempts_at_the_statement_as_written_now_count_as_rehearsed():
    old, new = "I love you.", "I love you. Please come with us."
    timed_old = Attempt(FIRST_WALL_TIME, 50, 3, statement_fingerprint(old))
    timed_new = Attempt(FIRST_WALL_TIME + timedelta(days=1), 60, 7, statement_fingerprint(new))
    before_fingerprints = Attempt(FIRST_WALL_TIME, 40)
    assert counted_as_rehearsed([timed_old], new) == []
    assert changed_since_rehearsed([timed_old], new)
    assert counted_as_rehearsed([timed_old, timed_new], new) == [timed_new]
    assert not changed_since_rehearsed([timed_old, timed_new], new)
    # Attempts saved before Kindred kept fingerprints count as they always did, until a
    # later attempt shows that the statement was rewritten since.
    assert counted_as_rehearsed([before_fingerprints], new) == [before_fingerprints]
    assert counted_as_rehearsed([timed_old, before_fingerprints], new) == [before_fingerprints]
    assert counted_as_rehearsed([before_fingerprints, timed_old], new) == []
    assert changed_since_rehearsed([before_fingerprints, timed_old], new)
    assert counted_as_rehearsed([before_fingerprints, timed_new], new) == [
        before_fingerprints,
        timed_new,
    ]
    assert not changed_since_rehearsed([], new)


# A try at answering an objection


def test_a_try_saves_its_time_and_mark():
    objection_try = ObjectionTry(FIRST_WALL_TIME, 27.46, Mark.NEEDS_WORK)
    saved = objection_try.to_dict()
    assert saved == {
        "started_at": "2025-03-01T18:30:00+00:00",
        "seconds": 27.5,
        "mark": "needs work",
    }
    assert ObjectionTry.from_dict(saved) == ObjectionTry(FIRST_WALL_TIME, 27.5, Mark.NEEDS_WORK)


def test_the_marks_are_the_ones_the_plan_file_accepts():
    assert tuple(mark.value for mark in Mark) == MARKS == ("went well", "needs work")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"started_at": "2025-03-01T18:30:00Z", "seconds": 4}, 'missing "mark"'),
        (
            {"started_at": "2025-03-01T18:30:00Z", "seconds": 4, "mark": "fine"},
            '"went well" or "needs work"',
        ),
        (
            {"started_at": "2025-03-01T18:30:00", "seconds": 4, "mark": "went well"},
            "must include a time zone",
        ),
        (
            {"started_at": "2025-03-01T18:30:00Z", "seconds": -4, "mark": "went well"},
            "zero or more seconds",
        ),
    ],
)
def test_bad_saved_try_is_refused_with_a_plain_message(data, message):
    with pytest.raises(ValueError, match=message):
        ObjectionTry.from_dict(data)


def test_attempt_needs_a_time_zone():
    with pytest.raises(ValueError, match="must include a time zone"):
        Attempt(started_at=datetime(2025, 3, 1, 18, 30), seconds=4)


# Run-through of the whole meeting

SPEAKERS = [("mum", 90.0), ("dad", 120.0), ("sister", 60.0)]


def test_before_the_start_nobody_speaks_and_the_first_speaker_is_up_next(clock):
    run = RunThrough(SPEAKERS, clock.monotonic, clock.wall)
    assert run.current is None
    assert run.upcoming == "mum"
    assert run.elapsed_total() == 0
    assert run.current_elapsed() == 0
    assert not run.finished


def test_three_speakers_in_order_with_splits_and_totals(clock):
    run = RunThrough(SPEAKERS, clock.monotonic, clock.wall)
    assert run.planned_total() == 270

    run.start()
    assert (run.current, run.upcoming, run.current_target) == ("mum", "dad", 90)
    clock.advance(80)
    assert run.current_elapsed() == 80
    assert run.next_speaker() == Split("mum", 80)

    assert (run.current, run.upcoming, run.current_target) == ("dad", "sister", 120)
    clock.advance(130.5)
    assert run.current_elapsed() == 130.5
    assert run.elapsed_total() == 210.5
    run.next_speaker()

    assert (run.current, run.upcoming) == ("sister", None)
    clock.advance(45)
    run.next_speaker()

    assert run.finished
    assert (run.current, run.upcoming, run.current_target) == (None, None, None)
    assert run.splits == [Split("mum", 80), Split("dad", 130.5), Split("sister", 45)]
    clock.advance(100)
    assert run.elapsed_total() == 255.5
    assert run.current_elapsed() == 0
    assert run.record() == RunRecord(
        started_at=FIRST_WALL_TIME, total_seconds=255.5, splits=tuple(run.splits)
    )


def test_finishing_early_keeps_the_splits_so_far(clock):
    run = RunThrough(SPEAKERS, clock.monotonic, clock.wall)
    run.start()
    clock.advance(70)
    run.next_speaker()
    clock.advance(20)

    record = run.finish()

    assert run.finished
    assert record.splits == (Split("mum", 70), Split("dad", 20))
    assert record.total_seconds == 90


def test_run_through_refuses_steps_out_of_order(clock):
    run = RunThrough(SPEAKERS[:1], clock.monotonic, clock.wall)
    with pytest.raises(RuntimeError, match="not going"):
        run.next_speaker()
    with pytest.raises(RuntimeError, match="has not finished yet"):
        run.record()
    run.start()
    with pytest.raises(RuntimeError, match="already started"):
        run.start()
    run.next_speaker()
    with pytest.raises(RuntimeError, match="not going"):
        run.finish()


def test_run_through_needs_a_speaker():
    with pytest.raises(ValueError, match="at least one speaker"):
        RunThrough([])


def test_run_record_saves_in_the_documented_shape():
    record = RunRecord(FIRST_WALL_TIME, 255.46, (Split("mum", 80.04), Split("dad", 175.42)))
    assert record.to_dict() == {
        "started_at": "2025-03-01T18:30:00+00:00",
        "total_seconds": 255.5,
        "splits": [{"person_id": "mum", "seconds": 80.0}, {"person_id": "dad", "seconds": 175.4}],
    }


@given(
    started_at=aware_times,
    total=seconds,
    splits=st.lists(st.builds(Split, st.text(min_size=1), seconds), max_size=8),
)
def test_run_record_round_trips_through_a_dict(started_at, total, splits):
    saved = RunRecord(started_at, total, tuple(splits)).to_dict()
    loaded = RunRecord.from_dict(saved)
    assert loaded.started_at == started_at
    assert loaded.total_seconds == round(total, 1)
    assert [split.person_id for split in loaded.splits] == [split.person_id for split in splits]
    assert loaded.to_dict() == saved


def _saved_run(**changes: object) -> dict[str, object]:
    saved = {"started_at": "2025-03-01T18:30:00+00:00", "total_seconds": 5, "splits": []}
    return {**saved, **changes}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("run", "A saved run-through must be a set of named fields"),
        ({"started_at": "2025-03-01T18:30:00Z", "splits": []}, 'missing "total_seconds"'),
        (_saved_run(splits={}), '"splits" in a saved run-through must be a list'),
        (_saved_run(splits=[{"seconds": 5}]), 'A saved split is missing "person_id"'),
        (_saved_run(splits=[{"person_id": 7, "seconds": 5}]), "person_id.*must be text"),
        (_saved_run(splits=[{"person_id": "", "seconds": 5}]), "must say who was speaking"),
        (_saved_run(splits=[{"person_id": "mum", "seconds": -2}]), "zero or more seconds"),
        (_saved_run(total_seconds="long"), "must be a number of seconds"),
    ],
)
def test_bad_saved_run_through_is_refused_with_a_plain_message(data, message):
    with pytest.raises(ValueError, match=message):
        RunRecord.from_dict(data)


# History


def _attempts(*seconds: float) -> list[Attempt]:
    return [
        Attempt(FIRST_WALL_TIME + timedelta(days=day), length) for day, length in enumerate(seconds)
    ]


def test_summary_of_no_attempts_is_empty():
    summary = summarize([], target_seconds=120)
    assert summary.count == 0
    assert summary.trend == ()
    assert (summary.last, summary.best, summary.average) == (None, None, None)
    assert summary.last_over_target is None
    assert summary.getting_shorter is None


def test_summary_of_one_attempt_has_no_direction():
    summary = summarize(_attempts(130), target_seconds=120)
    assert (summary.count, summary.last, summary.best, summary.average) == (1, 130, 130, 130)
    assert summary.trend == (130,)
    assert summary.last_over_target is True
    assert summary.getting_shorter is None


def test_two_attempts_compare_the_second_with_the_first():
    assert summarize(_attempts(130, 110), target_seconds=120).getting_shorter is True
    assert summarize(_attempts(110, 130), target_seconds=120).getting_shorter is False


def test_summary_of_many_attempts():
    summary = summarize(_attempts(150, 140, 130, 160, 110, 100, 95), target_seconds=120)
    assert summary.count == 7
    assert summary.last == 95
    assert summary.best == 110  # as close to 2:00 as 130, and within it
    assert summary.average == pytest.approx(126.428571)
    assert summary.trend == (150, 140, 130, 160, 110, 100, 95)
    assert summary.last_over_target is False
    assert summary.getting_shorter is True  # last three average 101.7, first three 140


def test_the_best_attempt_is_the_closest_to_the_target_not_the_shortest():
    assert summarize(_attempts(60, 118, 140), target_seconds=120).best == 118
    assert summarize(_attempts(125, 115), target_seconds=120).best == 115  # a tie: within it


def test_exactly_on_target_is_not_over():
    assert summarize(_attempts(150, 120), target_seconds=120).last_over_target is False


def test_getting_longer_is_not_getting_shorter():
    summary = summarize(_attempts(90, 95, 100, 110, 121), target_seconds=120)
    assert summary.getting_shorter is False
    assert summary.last_over_target is True


def test_summary_handles_ten_thousand_attempts():
    lengths = [200 - index / 100 for index in range(10_000)]
    summary = summarize(_attempts(*lengths), target_seconds=150)
    assert summary.count == 10_000
    assert summary.last == lengths[-1]
    assert summary.best == 150  # exactly on target
    assert summary.average == pytest.approx(sum(lengths) / 10_000)
    assert len(summary.trend) == 10_000
    assert summary.getting_shorter is True
    assert summary.last_over_target is False


@given(st.lists(seconds, min_size=1, max_size=50))
def test_best_and_average_lie_within_the_attempts(lengths):
    summary = summarize(_attempts(*lengths), target_seconds=120)
    assert summary.best in lengths
    assert all(abs(summary.best - 120) <= abs(length - 120) for length in lengths)
    assert min(lengths) - 1e-9 <= summary.average <= max(lengths) + 1e-9
