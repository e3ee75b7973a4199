"""Key response inside the app, with Textual's pilot and a frame hook. Prints one JSON object.

Run by run.py in a process of its own, one of:

    python bench/pilot_probe.py keys --content DIR --data FILE --presses N
    python bench/pilot_probe.py floor --presses N
    python bench/pilot_probe.py rehearse --data FILE

A frame is a screen update the app hands to the terminal. The hook renders it to the bytes
a terminal would get (headless apps skip that step) and notes when that was done. A key's
response is the time from posting the key until the last frame it caused: the screen has
then settled. A key that changes nothing on screen causes no frame; its response is then the
time until the app has handled it (every message it caused has been processed). Animations
are turned off so that the underline sliding under a tab does not count as waiting.
"""

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path

from textual import events

SIZE = (80, 24)
SETTLE_TIMEOUT = 10.0


class FrameWatch:
    """Notes the time of every frame the app displays."""

    def __init__(self, app) -> None:
        self.frames: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None and not app._batch_count:
                render = getattr(renderable, "render_segments", None)
                if render is not None:
                    render(app.console)
                self.frames.append(time.perf_counter())

        app._display = display


async def settle(pilot, watch: FrameWatch) -> None:
    """Wait until two pauses in a row bring no new frame."""
    deadline = time.perf_counter() + SETTLE_TIMEOUT
    quiet = 0
    while quiet < 2 and time.perf_counter() < deadline:
        count = len(watch.frames)
        await pilot.pause()
        quiet = quiet + 1 if len(watch.frames) == count else 0


async def respond(app, pilot, watch: FrameWatch, key: str) -> dict:
    """Press a key on a settled screen; seconds to its first frame and to its last."""
    before = len(watch.frames)
    character = " " if key == "space" else (key if len(key) == 1 else None)
    started = time.perf_counter()
    app.post_message(events.Key(key, character))
    await pilot._wait_for_screen()  # Textual's own wait until every message is processed
    handled = time.perf_counter() - started
    await settle(pilot, watch)
    frames = watch.frames[before:]
    return {
        "handled": handled,
        "first": frames[0] - started if frames else None,
        "settled": frames[-1] - started if frames else handled,
        "frames": len(frames),
    }


def _kindred_app(data: Path, content: Path | None):
    from tui.core.guide import load_guide
    from tui.ui.app import KindredApp

    app = KindredApp(load_guide(content), data)
    app.animation_level = "none"
    gc.freeze()  # as the kindred command does just before it runs the app (tui/cli/__init__.py)
    return app


def _text_of(app, selector: str) -> str:
    try:
        return str(app.screen_stack[0].query_one(selector).render())
    except Exception:  # the widget may have moved: the figure is still good, just unchecked
        return ""


async def kindred_keys(data: Path, content: Path, presses: int) -> dict:
    """Next section in the contents (down), the plan (F3), starting the timer (F4, space)."""
    app = _kindred_app(data, content)
    watch = FrameWatch(app)
    results: dict[str, list] = {"toc_down": [], "open_plan": [], "start_timer": []}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, watch)
        for _ in range(presses):
            results["toc_down"].append(await respond(app, pilot, watch, "down"))
        for _ in range(presses):
            results["open_plan"].append(await respond(app, pilot, watch, "f3"))
            await respond(app, pilot, watch, "f2")
        await respond(app, pilot, watch, "f4")
        for _ in range(presses):
            results["start_timer"].append(await respond(app, pilot, watch, "space"))
            await respond(app, pilot, watch, "space")  # stop; so short an attempt asks
            await respond(app, pilot, watch, "n")  # keep it: the attempt is saved
            app.clear_notifications()
            await settle(pilot, watch)
        results["sections"] = len(app.guide.sections)
        results["history"] = _text_of(app, "#history-summary")
    return results


async def floor_keys(presses: int) -> dict:
    """The minimal app: x is bound to a no-op, y repaints its one line of text."""
    from floor_app import FloorApp
    from textual.widgets import Static

    class ProbedFloor(FloorApp):
        BINDINGS = [("y", "repaint", "Repaint")]
        repaints = 0

        def action_repaint(self) -> None:
            self.repaints += 1
            self.query_one("#ready", Static).update(f"Floor app ready {self.repaints}")

    app = ProbedFloor()
    app.animation_level = "none"
    watch = FrameWatch(app)
    results: dict[str, list] = {"noop": [], "repaint": []}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, watch)
        for _ in range(presses):
            results["noop"].append(await respond(app, pilot, watch, "x"))
        for _ in range(presses):
            results["repaint"].append(await respond(app, pilot, watch, "y"))
    return results


async def rehearse(data: Path) -> dict:
    """Start-up, opening Rehearse (F4) and saving an attempt, with the plan in `data`."""
    app = _kindred_app(data, None)
    watch = FrameWatch(app)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, watch)
        startup = watch.frames[-1] - started if watch.frames else None
        open_rehearse = await respond(app, pilot, watch, "f4")
        history = _text_of(app, "#history-summary")
        await respond(app, pilot, watch, "space")
        await respond(app, pilot, watch, "space")  # so short an attempt asks
        save = await respond(app, pilot, watch, "n")
    return {"startup": startup, "open": open_rehearse, "save": save, "history": history}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("keys", "floor", "rehearse"))
    parser.add_argument("--content", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--presses", type=int, default=30)
    args = parser.parse_args()
    if args.what == "keys":
        result = asyncio.run(kindred_keys(args.data, args.content, args.presses))
    elif args.what == "floor":
        result = asyncio.run(floor_keys(args.presses))
    else:
        result = asyncio.run(rehearse(args.data))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
