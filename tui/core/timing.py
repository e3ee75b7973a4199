"""What Rehearse times, the same way in both of its modes: one person's statement, or the
whole meeting in speaking order; and the line of history each mode shows.

Pure logic with no user interface. Every clock is passed in, so tests can use a fake one.
"""

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.core.plan import format_duration
from tui.core.rehearsal import (
    Attempt,
    HistorySummary,
    Light,
    Mark,
    ObjectionTry,
    RunRecord,
    RunThrough,
    Stopwatch,
    format_clock,
    light_at,
    statement_fingerprint,
    thresholds,
    word_count,
)

if TYPE_CHECKING:
    from tui.core.session import PlanSession


# An attempt shorter than this, or than a quarter of its target, was probably started or
# stopped by mistake: Rehearse asks before saving it.
SHORTEST_SECONDS = 10.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _light(elapsed: float, target_seconds: float | None) -> Light:
    return light_at(elapsed, thresholds(target_seconds)) if target_seconds else Light.OFF


class StatementTiming:
    """Times attempts at one person's statement.

    Every timing in Rehearse offers the same: `start`; `running`; `speaker` (who is speaking)
    and their `target`; `elapsed` and the `light` it shows; `stop`, which keeps what was
    timed; `save`, which saves that and says so; `discard`. `noun` names what is saved.
    `statement` is the statement as it is about to be read: its word count is saved with the
    attempt, so that its time can give the speaker's pace, and its fingerprint, so that the
    attempt counts only for the statement as it was when timed.
    """

    noun = "attempt"

    def __init__(
        self,
        person_id: str,
        target_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
        statement: str | None = None,
    ) -> None:
        self.speaker = person_id
        self.target = target_seconds
        self.statement = statement
        self._stopwatch = Stopwatch(clock, wall_clock)
        self._attempt: Attempt | None = None

    @property
    def running(self) -> bool:
        return self._stopwatch.running

    def start(self) -> None:
        self._attempt = None
        self._stopwatch.discard()
        if self.statement is None:
            self._stopwatch.start()
        else:
            self._stopwatch.start(word_count(self.statement), statement_fingerprint(self.statement))

    def elapsed(self) -> float:
        """Seconds so far; once stopped, the time it stopped at."""
        return self._stopwatch.elapsed()

    def light(self) -> Light:
        return _light(self.elapsed(), self.target)

    def stop(self) -> None:
        self._attempt = self._stopwatch.stop()

    def stopped_short(self) -> bool:
        """Whether the stopped attempt is shorter than 10 seconds or a quarter of the target."""
        if self._attempt is None:
            return False
        return self._attempt.seconds < max(SHORTEST_SECONDS, self.target / 4)

    def save(self, session: "PlanSession") -> str:
        """Save the stopped attempt; what to tell the user. StoreError if it was not saved."""
        if self._attempt is None:
            raise RuntimeError("There is no stopped attempt to save.")
        session.record_attempt(self.speaker, self._attempt)
        return f"Saved: {format_clock(self._attempt.seconds)}."

    def discard(self) -> None:
        self._attempt = None
        self._stopwatch.discard()


class MeetingTiming:
    """Times the whole meeting, one speaker after another in speaking order: the same
    interface as StatementTiming, and `next_speaker` to end a turn. Before the start
    `speaker` is None; once `finished` it is the last person who spoke, `elapsed` is the
    whole run-through's length and no light is on."""

    noun = "run-through"

    def __init__(
        self,
        speakers: list[tuple[str, float]],
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """`speakers` are (person_id, target_seconds) pairs in speaking order."""
        self._targets = dict(speakers)
        self._run = RunThrough(speakers, clock, wall_clock)
        self._record: RunRecord | None = None

    @property
    def running(self) -> bool:
        return self._run.running

    @property
    def finished(self) -> bool:
        return self._run.finished

    @property
    def speaker(self) -> str | None:
        if self._run.finished:
            return self._run.splits[-1].person_id
        return self._run.current

    @property
    def target(self) -> float | None:
        return None if self.speaker is None else self._targets[self.speaker]

    @property
    def upcoming(self) -> str | None:
        """Who speaks next, or None if nobody is left."""
        return self._run.upcoming

    @property
    def splits(self):
        """How long each person who has finished their turn spoke."""
        return self._run.splits

    def planned_total(self) -> float:
        return self._run.planned_total()

    def start(self) -> None:
        self._run.start()

    def elapsed(self) -> float:
        if self._run.finished:
            return self._run.elapsed_total()
        return self._run.current_elapsed()

    def light(self) -> Light:
        return Light.OFF if self._run.finished else _light(self.elapsed(), self.target)

    def next_speaker(self) -> bool:
        """End the current speaker's turn; True if that was the last turn, which ends the
        run-through as `stop` does."""
        self._run.next_speaker()
        if self._run.finished:
            self._record = self._run.record()
        return self._run.finished

    def stop(self) -> None:
        """End the run-through now, even if some people have not spoken."""
        self._record = self._run.finish()

    def save(self, session: "PlanSession") -> str:
        """Save the finished run-through; what to tell the user. StoreError if it was not
        saved."""
        if self._record is None:
            raise RuntimeError("There is no finished run-through to save.")
        session.record_run(self._record)
        return f"Run-through saved: {format_clock(self._record.total_seconds)}."

    def discard(self) -> None:
        self._record = None


class DrillTiming:
    """Times tries at answering one objection: the same interface as StatementTiming,
    except that a stopped try is saved only once the person marks how it went (`save` takes
    the mark). `speaker` is the objection's id. `stopped` says whether a try is waiting for
    its mark."""

    noun = "try"

    def __init__(
        self,
        objection_id: str,
        target_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.speaker = objection_id
        self.target = target_seconds
        self._stopwatch = Stopwatch(clock, wall_clock)
        self._stopped: Attempt | None = None

    @property
    def running(self) -> bool:
        return self._stopwatch.running

    @property
    def stopped(self) -> bool:
        return self._stopped is not None

    def start(self) -> None:
        self.discard()
        self._stopwatch.start()

    def elapsed(self) -> float:
        return self._stopwatch.elapsed()

    def light(self) -> Light:
        return _light(self.elapsed(), self.target)

    def stop(self) -> None:
        self._stopped = self._stopwatch.stop()

    def save(self, session: "PlanSession", mark: Mark) -> str:
        """Save the stopped try with its mark; what to tell the user. StoreError (RecordGone
        if the objection was deleted meanwhile) if it was not saved."""
        if self._stopped is None:
            raise RuntimeError("There is no stopped try to save.")
        stopped = self._stopped
        session.record_try(self.speaker, ObjectionTry(stopped.started_at, stopped.seconds, mark))
        self._stopped = None
        return f"Saved: {format_clock(stopped.seconds)}, {mark.value}."

    def discard(self) -> None:
        self._stopped = None
        self._stopwatch.discard()


Timing = StatementTiming | MeetingTiming | DrillTiming


def attempts_history(summary: HistorySummary) -> str:
    """A person's attempts in one line: how many, the last against their target, the best,
    the average, and whether they are getting shorter."""
    if summary.last is None or summary.best is None or summary.average is None:
        return "No attempts yet."
    over = "over target" if summary.last_over_target else "within target"
    trend = {True: " · getting shorter", False: " · not getting shorter", None: ""}
    return (
        f"{summary.count} attempt{'s' if summary.count != 1 else ''} · last "
        f"{format_clock(summary.last)} ({over}) · best {format_clock(summary.best)} · "
        f"average {format_clock(summary.average)}{trend[summary.getting_shorter]}"
    )


def tries_history(tries: list[ObjectionTry], target_seconds: float) -> str:
    """The tries at answering one objection in one line: how many, how many went well, and
    the last one's time against the target, with its mark. `tries` are oldest first."""
    if not tries:
        return "Not practised yet."
    last = tries[-1]
    went_well = sum(1 for one in tries if one.mark is Mark.WENT_WELL)
    return (
        f"{len(tries)} tr{'ies' if len(tries) != 1 else 'y'}, {went_well} went well · last "
        f"{format_clock(last.seconds)} of {format_duration(target_seconds)}, {last.mark.value}"
    )


def split_text(person_id: str, seconds: float, names: Mapping[str, str]) -> str:
    """How long someone spoke in a run-through: "Anna 1:55"; `names` are the people's
    names by id, and a person no longer in the plan is "(removed)"."""
    return f"{names.get(person_id, '(removed)')} {format_clock(seconds)}"


def runs_history(runs: list[dict], planned_seconds: float, names: Mapping[str, str]) -> str:
    """The run-throughs of the whole meeting in one line: how many, and the last one's total
    against the planned length, with how long each person spoke. `runs` are the saved
    run-throughs, oldest first."""
    if not runs:
        return "No run-throughs yet."
    last = runs[-1]
    splits = " · ".join(
        split_text(split["person_id"], split["seconds"], names) for split in last["splits"]
    )
    return (
        f"{len(runs)} run-through{'s' if len(runs) != 1 else ''} · last "
        f"{format_clock(last['total_seconds'])} of {format_duration(planned_seconds)}: {splits}"
    )
