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


async def until_the_plan_is_open(pilot) -> None:
    """Let the app open its plan and fill in the guide for the plan's country."""
    screen = pilot.app.main_screen
    await screen.work_panes_ready.wait()
    await until(
        pilot,
        lambda: screen.guide_pane.guide is pilot.app.guide.for_country(screen.plan_country),
        "the guide filled in for the plan's country",
    )
    await pilot.pause()
