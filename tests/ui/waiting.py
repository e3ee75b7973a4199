"""Waiting in pilot tests for what a user would see next, however busy the machine is."""

from collections.abc import Callable

TRIES = 200
PAUSE_SECONDS = 0.02


async def until(pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until condition() holds (a few seconds at most); fail saying what
    did not happen. On a busy machine one pause is not always enough for a chain of
    messages, a dialog's answer and the notice that follows it."""
    for _ in range(TRIES):
        if condition():
            return
        await pilot.pause(PAUSE_SECONDS)
    raise AssertionError(f"{what} did not happen")
