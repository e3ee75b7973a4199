"""Timing for rehearsals: word counts, speaking pace, speech-timer lights, stopwatches and
history.

Pure logic with no user interface. Every clock is passed in, so tests can use a fake one.
Elapsed time is always "now minus start" read from the clock, never a sum of ticks,
so a long rehearsal cannot drift.
"""

import hashlib
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from statistics import fmean, median
from typing import TypeVar

WORDS_PER_MINUTE = 130
Readable = TypeVar("Readable")

# Spaces, dashes used as punctuation (figure, en and em dashes, horizontal bar, "--") and "…".
_WORD_BREAK = re.compile(r"[\s\u2012-\u2015\u2026]+|-{2,}")


def word_count(text: str) -> int:
    """Count words the way a person would.

    "don't", "well-known", "2:30" and "1,000" are one word each; "love—always" is two;
    pieces with no letter or digit in them ("—", "...", "!") are not words.
    """
    pieces = _WORD_BREAK.split(text)
    return sum(1 for piece in pieces if any(character.isalnum() for character in piece))


@dataclass(frozen=True)
class Pace:
    """How fast someone speaks, and how many of their timed tries that comes from (none for
    the general pace)."""

    words_per_minute: float
    tries: int = 0

    @property
    def label(self) -> str:
        """How an estimate at this pace was made, to show after it: "at your pace (118 words
        a minute, from 3 tries)" or "at 130 words a minute"."""
        if self.tries:
            speed = f"{self.words_per_minute:.0f} words a minute"
            return f"at your pace ({speed}, from {self.tries} tries)"
        return f"at {self.words_per_minute:g} words a minute"


GENERAL_PACE = Pace(WORDS_PER_MINUTE)


def speaking_seconds(text: str, pace: Pace = GENERAL_PACE) -> float:
    """Estimated time to say the text aloud at the pace (130 words a minute unless given)."""
    return word_count(text) * 60 / pace.words_per_minute


def fits_target(text: str, target_seconds: float, pace: Pace = GENERAL_PACE) -> bool:
    """Whether the text, said at the pace, takes no longer than the target."""
    return speaking_seconds(text, pace) <= target_seconds


class Light(Enum):
    """Speech-timer lights, in the order they come on."""

    OFF = "off"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Thresholds:
    """Seconds at which each light comes on."""

    green: float
    yellow: float
    red: float


def thresholds(target_seconds: float, minimum_seconds: float | None = None) -> Thresholds:
    """Green at the minimum (half the target unless given), yellow halfway, red at the target."""
    if not target_seconds > 0:
        raise ValueError(f"The target time must be more than zero seconds, not {target_seconds}.")
    minimum = target_seconds / 2 if minimum_seconds is None else minimum_seconds
    if not 0 <= minimum <= target_seconds:
        raise ValueError(
            f"The minimum time must be between zero and the target ({target_seconds} seconds), "
            f"not {minimum}."
        )
    return Thresholds(green=minimum, yellow=(minimum + target_seconds) / 2, red=target_seconds)


def light_at(elapsed: float, thresholds: Thresholds) -> Light:
    """The light showing after `elapsed` seconds; each light comes on exactly at its time."""
    if elapsed >= thresholds.red:
        return Light.RED
    if elapsed >= thresholds.yellow:
        return Light.YELLOW
    if elapsed >= thresholds.green:
        return Light.GREEN
    return Light.OFF


def format_clock(seconds: float, tenths: bool = False) -> str:
    """Show seconds as "0:05", "12:34" or "1:02:03" ("0:05.3" with tenths).

    Always rounds down, like a stopwatch: 59.99 shows as "0:59", never "1:00".
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"A clock can only show zero or more seconds, not {seconds}.")
    # Whole microseconds first, so float noise (0.3 stored as 0.29999…) cannot lose a tenth.
    whole_seconds, microseconds = divmod(round(seconds * 1_000_000), 1_000_000)
    hours, seconds_in_hour = divmod(whole_seconds, 3600)
    minutes, seconds_in_minute = divmod(seconds_in_hour, 60)
    if hours:
        shown = f"{hours}:{minutes:02}:{seconds_in_minute:02}"
    else:
        shown = f"{minutes}:{seconds_in_minute:02}"
    if tenths:
        shown += f".{microseconds // 100_000}"
    return shown


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_seconds(seconds: float, what: str) -> None:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{what} must be zero or more seconds, not {seconds}.")


def _check_has_time_zone(moment: datetime, what: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must include a time zone: {moment.isoformat()}.")


def _field(data: object, key: str, record: str) -> object:
    if not isinstance(data, dict):
        raise ValueError(f"A saved {record} must be a set of named fields, not {data!r}.")
    if key not in data:
        raise ValueError(f'A saved {record} is missing "{key}".')
    return data[key]


def _read_time(data: object, key: str, record: str) -> datetime:
    value = _field(data, key, record)
    try:
        moment = datetime.fromisoformat(value if isinstance(value, str) else "")
    except ValueError:
        raise ValueError(
            f'"{key}" in a saved {record} is not a date and time: {value!r}.'
        ) from None
    _check_has_time_zone(moment, f'"{key}" in a saved {record}')
    return moment.astimezone(UTC)


def _read_seconds(data: object, key: str, record: str) -> float:
    value = _field(data, key, record)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f'"{key}" in a saved {record} must be a number of seconds, not {value!r}.')
    return float(value)


def _read_text(data: object, key: str, record: str) -> str:
    value = _field(data, key, record)
    if not isinstance(value, str):
        raise ValueError(f'"{key}" in a saved {record} must be text, not {value!r}.')
    return value


def statement_fingerprint(statement: str) -> str:
    """A short fingerprint of a statement's words, saved with each attempt at it, so that
    a rewritten statement can be told from the one that was timed. Spacing and line breaks
    do not change it; any other change does."""
    words = " ".join(statement.split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Attempt:
    """One timed read-through of a statement; `words` is the statement's word count when it
    was timed and `fingerprint` its statement_fingerprint (both None for attempts saved
    before Kindred recorded them, and for turns in a run-through)."""

    started_at: datetime
    seconds: float
    words: int | None = None
    fingerprint: str | None = None

    def __post_init__(self) -> None:
        _check_has_time_zone(self.started_at, "The start of an attempt")
        _check_seconds(self.seconds, "An attempt")
        # To isinstance(), True and False are whole numbers too.
        if self.words is not None and (
            isinstance(self.words, bool) or not isinstance(self.words, int) or self.words < 0
        ):
            raise ValueError(f"A word count must be a whole number, not {self.words!r}.")
        if self.fingerprint is not None and not isinstance(self.fingerprint, str):
            raise ValueError(f"A statement's fingerprint must be text, not {self.fingerprint!r}.")

    def to_dict(self) -> dict[str, object]:
        saved: dict[str, object] = {
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 1),
        }
        if self.words is not None:
            saved["words"] = self.words
        if self.fingerprint is not None:
            saved["fingerprint"] = self.fingerprint
        return saved

    @classmethod
    def from_dict(cls, data: object) -> "Attempt":
        fingerprint = data.get("fingerprint") if isinstance(data, dict) else None
        return cls(
            started_at=_read_time(data, "started_at", "attempt"),
            seconds=_read_seconds(data, "seconds", "attempt"),
            words=data.get("words") if isinstance(data, dict) else None,
            fingerprint=fingerprint if isinstance(fingerprint, str) else None,
        )


def counted_as_rehearsed(attempts: list[Attempt], statement: str) -> list[Attempt]:
    """The attempts (given oldest first) that count toward rehearsing the statement as it is
    now written: those timed on it (the same fingerprint). Attempts without a fingerprint,
    saved before Kindred recorded one, count as they always did, unless a later attempt was
    timed on other words than the statement's now: that shows it was rewritten since."""
    now = statement_fingerprint(statement)
    counted = []
    rewritten_since = False
    for attempt in reversed(attempts):
        if attempt.fingerprint == now or (attempt.fingerprint is None and not rewritten_since):
            counted.append(attempt)
        elif attempt.fingerprint is not None:
            rewritten_since = True
    return counted[::-1]


def changed_since_rehearsed(attempts: list[Attempt], statement: str) -> bool:
    """Whether the statement was rewritten after it was timed: it has attempts, and none of
    them counts for it as it is now (see counted_as_rehearsed)."""
    return bool(attempts) and not counted_as_rehearsed(attempts, statement)


class Mark(Enum):
    """How a try at answering an objection went, as the person who tried it says."""

    WENT_WELL = "went well"
    NEEDS_WORK = "needs work"


@dataclass(frozen=True)
class ObjectionTry:
    """One timed try at answering an objection, and how it went."""

    started_at: datetime
    seconds: float
    mark: Mark

    def __post_init__(self) -> None:
        _check_has_time_zone(self.started_at, "The start of a try")
        _check_seconds(self.seconds, "A try")

    def to_dict(self) -> dict[str, object]:
        return {
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 1),
            "mark": self.mark.value,
        }

    @classmethod
    def from_dict(cls, data: object) -> "ObjectionTry":
        mark = _read_text(data, "mark", "try")
        try:
            read_mark = Mark(mark)
        except ValueError:
            raise ValueError(
                f'"mark" in a saved try must be "went well" or "needs work", not {mark!r}.'
            ) from None
        return cls(
            started_at=_read_time(data, "started_at", "try"),
            seconds=_read_seconds(data, "seconds", "try"),
            mark=read_mark,
        )


def readable(read: Callable[[object], Readable], rows: list[dict]) -> list[Readable]:
    """What `read` makes of each saved row, leaving out any that a hand-edited file made
    unreadable (`read` raises ValueError for those)."""
    found = []
    for row in rows:
        try:
            found.append(read(row))
        except ValueError:
            continue
    return found


# A try slower or faster than these cannot have been a reading of the whole statement: the
# timer was stopped at once by mistake, or left running.
SLOWEST_WORDS_PER_MINUTE = 40
FASTEST_WORDS_PER_MINUTE = 400
# A try whose pace is further than this fraction of the median from it is "far off".
FAR_OFF = 0.25


def speaking_pace(attempts: Iterable[Attempt]) -> Pace:
    """A speaker's own pace, from their timed attempts at their statement; the general pace
    until there are two tries that agree.

    Each attempt that recorded its statement's word count (attempts saved before Kindred
    recorded it do not count) gives a pace: those words over its minutes. Paces under 40 or
    over 400 words a minute are left out, then so is every try more than 25% slower or
    faster than the median of those left: an interruption, a lost place, a timer stopped
    late. If two or more tries remain, the pace is all their words over all their minutes.
    """
    paces = []
    for attempt in attempts:
        if attempt.words and attempt.seconds > 0:
            words_per_minute = attempt.words * 60 / attempt.seconds
            if SLOWEST_WORDS_PER_MINUTE <= words_per_minute <= FASTEST_WORDS_PER_MINUTE:
                paces.append((words_per_minute, attempt))
    if len(paces) < 2:
        return GENERAL_PACE
    middle = median(words_per_minute for words_per_minute, _ in paces)
    kept = [
        attempt
        for words_per_minute, attempt in paces
        if abs(words_per_minute - middle) <= FAR_OFF * middle
    ]
    if len(kept) < 2:
        return GENERAL_PACE
    words = sum(attempt.words or 0 for attempt in kept)
    minutes = sum(attempt.seconds for attempt in kept) / 60
    return Pace(words / minutes, tries=len(kept))


class Stopwatch:
    """Times attempts at one statement.

    Starting a running stopwatch, or stopping one that is not running, raises RuntimeError:
    the screen should check `running` first, so a wrong call shows up at once.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._clock = clock
        self._wall_clock = wall_clock
        self._started_at: datetime | None = None
        self._start_reading: float | None = None
        self._stopped_seconds = 0.0
        self._words: int | None = None
        self._fingerprint: str | None = None

    @property
    def running(self) -> bool:
        return self._start_reading is not None

    def start(self, words: int | None = None, fingerprint: str | None = None) -> None:
        """Start timing; `words` is the word count of the statement as it is about to be
        read, kept with the attempt so that its time can give the speaker's pace, and
        `fingerprint` the statement's (statement_fingerprint)."""
        if self.running:
            raise RuntimeError("The stopwatch is already running.")
        self._words = words
        self._fingerprint = fingerprint
        self._started_at = self._wall_clock()
        self._start_reading = self._clock()

    def elapsed(self) -> float:
        """Seconds so far while running; after stop, the time it stopped at; else zero."""
        if self._start_reading is None:
            return self._stopped_seconds
        return self._clock() - self._start_reading

    def stop(self) -> Attempt:
        if self._start_reading is None or self._started_at is None:
            raise RuntimeError("The stopwatch is not running.")
        self._stopped_seconds = self.elapsed()
        self._start_reading = None
        return Attempt(self._started_at, self._stopped_seconds, self._words, self._fingerprint)

    def discard(self) -> None:
        """Throw the current attempt away (if any) and go back to zero."""
        self._start_reading = None
        self._stopped_seconds = 0.0


@dataclass(frozen=True)
class Split:
    """How long one person spoke during a run-through; `fingerprint` is their statement's
    (statement_fingerprint) as they read it, None in run-throughs saved before Kindred
    recorded it."""

    person_id: str
    seconds: float
    fingerprint: str | None = None

    def __post_init__(self) -> None:
        if not self.person_id:
            raise ValueError("A split must say who was speaking.")
        _check_seconds(self.seconds, f"The time for {self.person_id}")

    def to_dict(self) -> dict[str, object]:
        saved: dict[str, object] = {"person_id": self.person_id, "seconds": round(self.seconds, 1)}
        if self.fingerprint is not None:
            saved["fingerprint"] = self.fingerprint
        return saved

    @classmethod
    def from_dict(cls, data: object) -> "Split":
        fingerprint = data.get("fingerprint") if isinstance(data, dict) else None
        return cls(
            person_id=_read_text(data, "person_id", "split"),
            seconds=_read_seconds(data, "seconds", "split"),
            fingerprint=fingerprint if isinstance(fingerprint, str) else None,
        )


@dataclass(frozen=True)
class RunRecord:
    """A finished run-through of the whole meeting, ready to save."""

    started_at: datetime
    total_seconds: float
    splits: tuple[Split, ...]

    def __post_init__(self) -> None:
        _check_has_time_zone(self.started_at, "The start of a run-through")
        _check_seconds(self.total_seconds, "A run-through")

    def to_dict(self) -> dict[str, object]:
        return {
            "started_at": self.started_at.isoformat(),
            "total_seconds": round(self.total_seconds, 1),
            "splits": [split.to_dict() for split in self.splits],
        }

    @classmethod
    def from_dict(cls, data: object) -> "RunRecord":
        splits = _field(data, "splits", "run-through")
        if not isinstance(splits, list):
            raise ValueError(f'"splits" in a saved run-through must be a list, not {splits!r}.')
        return cls(
            started_at=_read_time(data, "started_at", "run-through"),
            total_seconds=_read_seconds(data, "total_seconds", "run-through"),
            splits=tuple(Split.from_dict(split) for split in splits),
        )


class RunThrough:
    """Times the whole meeting, one speaker after another, in speaking order.

    Before start, `upcoming` is the first speaker. Calling start twice, or moving on or
    finishing when the run is not going, raises RuntimeError.
    """

    def __init__(
        self,
        speakers: list[tuple[str, float]],
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utc_now,
        fingerprints: Mapping[str, str] | None = None,
    ) -> None:
        """`speakers` are (person_id, target_seconds) pairs in speaking order; `fingerprints`
        their statements' (statement_fingerprint) by person_id, kept with their turns."""
        if not speakers:
            raise ValueError("A run-through needs at least one speaker.")
        self._speakers = list(speakers)
        self._fingerprints = dict(fingerprints or {})
        self._clock = clock
        self._wall_clock = wall_clock
        self._started_at: datetime | None = None
        self._start_reading: float | None = None
        self._turn_start_reading: float | None = None
        self._finish_reading: float | None = None
        self._splits: list[Split] = []

    @property
    def started(self) -> bool:
        return self._start_reading is not None

    @property
    def finished(self) -> bool:
        return self._finish_reading is not None

    @property
    def running(self) -> bool:
        return self.started and not self.finished

    @property
    def current(self) -> str | None:
        """Who is speaking now, or None before the start and after the finish."""
        return self._speakers[len(self._splits)][0] if self.running else None

    @property
    def current_target(self) -> float | None:
        """The target in seconds for whoever is speaking now."""
        return self._speakers[len(self._splits)][1] if self.running else None

    @property
    def upcoming(self) -> str | None:
        """Who speaks next, or None if nobody is left."""
        if self.finished:
            return None
        next_index = len(self._splits) + (1 if self.running else 0)
        return self._speakers[next_index][0] if next_index < len(self._speakers) else None

    @property
    def splits(self) -> list[Split]:
        return list(self._splits)

    def planned_total(self) -> float:
        return sum(target for _, target in self._speakers)

    def elapsed_total(self) -> float:
        if self._start_reading is None:
            return 0.0
        end = self._finish_reading if self._finish_reading is not None else self._clock()
        return end - self._start_reading

    def current_elapsed(self) -> float:
        if not self.running or self._turn_start_reading is None:
            return 0.0
        return self._clock() - self._turn_start_reading

    def start(self) -> None:
        if self.started:
            raise RuntimeError("This run-through has already started.")
        self._started_at = self._wall_clock()
        self._start_reading = self._turn_start_reading = self._clock()

    def next_speaker(self) -> Split:
        """End the current speaker's turn; after the last speaker the run is finished."""
        split, now = self._end_turn()
        if len(self._splits) == len(self._speakers):
            self._finish_reading = now
        return split

    def finish(self) -> RunRecord:
        """End the current turn and the whole run, even if some people have not spoken."""
        _, now = self._end_turn()
        self._finish_reading = now
        return self.record()

    def record(self) -> RunRecord:
        if self._started_at is None or not self.finished:
            raise RuntimeError("The run-through has not finished yet.")
        return RunRecord(self._started_at, self.elapsed_total(), tuple(self._splits))

    def _end_turn(self) -> tuple[Split, float]:
        person_id = self.current
        if person_id is None or self._turn_start_reading is None:
            raise RuntimeError("The run-through is not going.")
        # One reading ends this turn and starts the next, so the splits add up to the total.
        now = self._clock()
        split = Split(person_id, now - self._turn_start_reading, self._fingerprints.get(person_id))
        self._splits.append(split)
        self._turn_start_reading = now
        return split, now


@dataclass(frozen=True)
class HistorySummary:
    """What past attempts at one statement add up to. Times are in seconds."""

    count: int
    last: float | None
    best: float | None  # the attempt closest to the target (on a tie, the shorter)
    average: float | None
    trend: tuple[float, ...]  # every attempt, oldest first
    last_over_target: bool | None
    getting_shorter: bool | None


def summarize(attempts: list[Attempt], target_seconds: float) -> HistorySummary:
    """Summarize attempts given oldest first (the order they were recorded in).

    "Getting shorter" compares the mean of the latest attempts with the mean of the
    earliest: three of each, or fewer when there are under six attempts, so the two groups
    never share an attempt (with two attempts: is the second shorter than the first?).
    """
    trend = tuple(attempt.seconds for attempt in attempts)
    if not trend:
        return HistorySummary(
            count=0,
            last=None,
            best=None,
            average=None,
            trend=(),
            last_over_target=None,
            getting_shorter=None,
        )
    group_size = min(3, len(trend) // 2)
    getting_shorter = fmean(trend[-group_size:]) < fmean(trend[:group_size]) if group_size else None
    return HistorySummary(
        count=len(trend),
        last=trend[-1],
        best=min(trend, key=lambda seconds: (abs(seconds - target_seconds), seconds)),
        average=fmean(trend),
        trend=trend,
        last_over_target=trend[-1] > target_seconds,
        getting_shorter=getting_shorter,
    )
