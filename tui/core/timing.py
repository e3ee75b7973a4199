"""What Rehearse times, the same way in both of its modes: one person's statement, or the
whole meeting in speaking order; and the line of history each mode shows.

Pure logic with no user interface. Every clock is passed in, so tests can use a fake one.
"""

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from tui.core.dates import MONTHS, WEEKDAYS, in_local_time
from tui.core.plan import Plan, format_duration
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
        statements: Mapping[str, str] | None = None,
    ) -> None:
        """`speakers` are (person_id, target_seconds) pairs in speaking order; `statements`
        their statements by person_id, whose fingerprints are kept with their turns."""
        self._targets = dict(speakers)
        fingerprints = {
            person_id: statement_fingerprint(statement)
            for person_id, statement in (statements or {}).items()
        }
        self._run = RunThrough(speakers, clock, wall_clock, fingerprints)
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


# Histories: every timed attempt, run-through or try, one a line, and a chart of their times


HISTORY_LISTED = 50  # the newest attempts listed; the others are counted in a last line
CHART_BARS = " ▁▂▃▄▅▆▇█"
TARGET_LINE = "┈"


class HistoryEntry(NamedTuple):
    """One timed attempt, run-through or try at an objection, as a history lists it.
    `table` and `record_id` say where it is saved (to delete it); a person's turn in a
    run-through is `in_run`, saved as part of the run-through; a try has its `mark`."""

    table: str
    record_id: str
    started_at: datetime
    seconds: float
    in_run: bool = False
    mark: Mark | None = None


def _newest_first(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """`entries` in the order they were saved, by start newest first: of two that started at
    the same moment, the one saved later comes first."""
    return sorted(reversed(entries), key=lambda entry: entry.started_at, reverse=True)


def statement_history(plan: Plan, person_id: str) -> list[HistoryEntry]:
    """A person's attempts at their statement and their turns in run-throughs, newest first.
    Those that a hand-edited file made unreadable are left out."""
    return [
        HistoryEntry(table, row_id, reading.started_at, reading.seconds, in_run=table == "runs")
        for table, row_id, reading in reversed(plan.timed_readings(person_id))
    ]


def run_history(plan: Plan) -> list[HistoryEntry]:
    """The run-throughs of the whole meeting, newest first."""
    return _newest_first(
        [
            HistoryEntry("runs", row_id, run.started_at, run.total_seconds)
            for row_id, run in plan.runs()
        ]
    )


def try_history(plan: Plan, objection_id: str) -> list[HistoryEntry]:
    """The tries at answering one objection, newest first."""
    entries = []
    for row in plan.tries_of(objection_id):
        try:
            one = ObjectionTry.from_dict(row)
        except ValueError:
            continue
        entries.append(
            HistoryEntry("objection_tries", row["id"], one.started_at, one.seconds, mark=one.mark)
        )
    return _newest_first(entries)


def when_timed(moment: datetime) -> str:
    """When an attempt started, in local time: "Tue 6 Dec 19:02"."""
    local = in_local_time(moment)
    weekday, month = WEEKDAYS[local.weekday()][:3], MONTHS[local.month - 1][:3]
    return f"{weekday} {local.day} {month} {local:%H:%M}"


def against_target(seconds: float, target_seconds: float) -> str:
    """How a time shown on the clock compares with the target: "+0:14 over", "-0:20 under"
    or "on target"."""
    difference = math.floor(seconds) - math.floor(target_seconds)
    if difference > 0:
        return f"+{format_clock(difference)} over"
    if difference < 0:
        return f"-{format_clock(-difference)} under"
    return "on target"


def history_line(entry: HistoryEntry, target_seconds: float) -> str:
    """One attempt in a history: "Tue 6 Dec 19:02  2:14  +0:14 over", with "· run-through"
    for a turn in one and the mark of a try."""
    line = (
        f"{when_timed(entry.started_at)}  {format_clock(entry.seconds)}  "
        f"{against_target(entry.seconds, target_seconds)}"
    )
    if entry.in_run:
        line += " · run-through"
    if entry.mark is not None:
        line += f" · {entry.mark.value}"
    return line


def not_listed(count: int, noun: str, plural: str) -> str:
    """The line after the newest HISTORY_LISTED entries of `count`: how many earlier ones
    are not listed ("" when all are)."""
    left = count - HISTORY_LISTED
    if left <= 0:
        return ""
    return f"… and {left:,} earlier {noun if left == 1 else plural}, not listed"


@dataclass(frozen=True)
class Chart:
    """Times as bars, oldest on the left, `rows` lines (the top first). A dotted line and
    its label mark the row the target reaches; `over` says, bar by bar, which times were
    over the target."""

    rows: tuple[str, ...]
    over: tuple[bool, ...]


def history_chart(
    times: Sequence[float], target_seconds: float, width: int, rows: int = 2
) -> Chart:
    """The latest times (oldest first) that fit in `width` columns beside the target's label,
    as bars scaled so that the longest time, or the target if longer, fills the rows."""
    label = f" {TARGET_LINE} target {format_clock(target_seconds)}"
    shown = list(times[-max(1, width - len(label)) :]) if times else []
    if not shown:
        return Chart((), ())
    levels = rows * 8
    top = max(*shown, target_seconds) or 1.0
    heights = [round(seconds / top * levels) for seconds in shown]
    target_row = max(0, math.ceil(round(target_seconds / top * levels) / 8) - 1)
    lines = []
    for row in reversed(range(rows)):
        empty = TARGET_LINE if row == target_row else " "
        cells = "".join(
            CHART_BARS[min(8, height - row * 8)] if height > row * 8 else empty
            for height in heights
        )
        lines.append(cells + (label if row == target_row else ""))
    return Chart(tuple(lines), tuple(seconds > target_seconds for seconds in shown))
