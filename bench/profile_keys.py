"""Where a key's time goes: the keys of one figure of the key bench, pressed while py-spy
samples the program, then the milliseconds per key by whose code was running and by what
it was doing.

    uv run --with py-spy python bench/profile_keys.py page panes --presses 20

Figures: floor, markdown, page, contents, panes (F3, F4, F2 in turn), typing (without
pauses, so no save), save (a character, then the save when typing stops), stop-none and
stop-many (a press starts the timer and another stops it and saves the attempt, with no
attempts stored and with 10,000; each waits for the notice to go, so they take a while).

Samples are taken only while the program's main thread holds the interpreter (py-spy
--gil), without stopping it (--nonblocking), so waiting for keys costs nothing. A sample is
Kindred's when a function of Kindred (tui/) is on its stack below the event loop, and
Textual's otherwise: Textual's own work of handling the key, building and styling widgets,
laying out and drawing the screen, and writing it, whichever widgets it works on. Sampling
slows the program a little: the times to quote are the key bench's."""

import argparse
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from common import child_env, make_workspace, remove_workspace
from key_bench import QUIET, guide_moves, start_program, typed_characters
from run import Fixtures, warm_up

RATE = 500  # samples a second
KINDRED_CODE = "tui/"
# The frames below which a sample is the app's work: the event loop running a callback, or
# Textual's own loop of messages for the app.
LOOP_FRAMES = ("Handle._run (asyncio/events.py", "App.run.<locals>.run_app (textual/app.py")
FIGURES = {
    # figure: (program, plan document, what one press does)
    "floor": ("floor", None, lambda program, n: program.key("s")),
    "markdown": ("markdown", None, lambda program, n: program.key("s")),
    "page": ("guide", "one", lambda program, n: program.key(guide_moves(n + 1)[n][0])),
    "contents": ("guide", "one", lambda program, n: program.key(guide_moves(n + 1)[n][1])),
    "panes": ("guide", "one", lambda program, n: program.key(("f3", "f4", "f2")[n % 3])),
    "typing": (
        "typing",
        "single",
        lambda program, n: program.key(typed_characters(n + 1)[n], settled=QUIET),
    ),
    "save": (
        "typing",
        "single",
        lambda program, n: program.type_then_pause(typed_characters(n + 1)[n]),
    ),
    "stop-none": ("rehearse", "one", lambda program, n: program.start_and_stop()),
    "stop-many": ("rehearse", "single", lambda program, n: program.start_and_stop()),
}


def record(figure: str, presses: int, folded: Path) -> None:
    """Start the figure's program, then press its keys while py-spy writes samples."""
    kind, document, press = FIGURES[figure]
    workspace = make_workspace()
    env = child_env(workspace)
    try:
        fixtures = Fixtures(workspace, env)
        warm_up(env, fixtures)
        program = start_program(kind, env, fixtures.plan(document) if document else None)
        try:
            spy = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "--pid",
                    str(program.pid),
                    "--rate",
                    str(RATE),
                    "--format",
                    "raw",
                    "--output",
                    str(folded),
                    "--gil",
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)  # py-spy attaches
            for number in range(presses):
                press(program, number)
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
        finally:
            program.stop()
    finally:
        remove_workspace(workspace)


# What Textual was doing, by the outermost of these functions on the stack.
PHASES = (
    (
        "building widgets: compose, mount, styles",
        ("Widget.recompose ", "Widget.mount ", "Widget._on_compose ", "DOMNode._post_mount "),
    ),
    ("styles: CSS applied to widgets", ("App.update_styles ", "Stylesheet.apply ")),
    ("layout: sizes and places", ("Compositor.reflow ",)),
    ("drawing: widgets rendered to lines", ("Compositor.render_update ",)),
    ("writing to the terminal", ("App._display ",)),
)


def frames_of(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rpartition(" ")
    return stack.split(";"), int(count)


def function_name(frame: str) -> str:
    """`Widget.render_line (textual/widget.py:4263)` without the line number."""
    name, _, place = frame.partition(" (")
    return f"{name} ({place.rpartition(':')[0]})"


def phase_of(work: list[str]) -> str:
    for frame in work:
        for phase, starts in PHASES:
            if frame.startswith(starts):
                return phase
    return "handling keys, events and messages (Kindred's handlers among them)"


def summarize(folded: Path, presses: int, top: int) -> str:
    per_key = 1000 / RATE / presses  # milliseconds per sample per key
    whose: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    kindred: Counter[str] = Counter()
    own_time: Counter[str] = Counter()
    for line in folded.read_text(encoding="utf-8").splitlines():
        frames, count = frames_of(line)
        loop = max(
            (i for i, frame in enumerate(frames) if frame.startswith(LOOP_FRAMES)), default=-1
        )
        work = frames[loop + 1 :]
        if not work:
            whose["outside the event loop (start-up, quitting)"] += count
            continue
        ours = [function_name(frame) for frame in work if KINDRED_CODE in frame]
        if not ours:
            whose["Textual: no Kindred function on the stack"] += count
        elif KINDRED_CODE in work[-1]:
            whose["Kindred: its own functions"] += count
        else:
            whose["Kindred: Textual, Rich and Python called by it"] += count
        phases[phase_of(work)] += count
        for name in set(ours):
            kindred[name] += count
        own_time[function_name(work[-1])] += count
    lines = [
        f"{folded.name}: {sum(whose.values())} samples at {RATE}/s, {presses} presses",
        "  ms per press",
    ]

    def listed(title: str, counter: Counter, limit: int | None = None) -> None:
        lines.append(f"  {title}")
        lines.extend(
            f"  {count * per_key:8.1f}  {name}" for name, count in counter.most_common(limit)
        )

    listed("whose code:", whose)
    lines.append(f"  {sum(whose.values()) * per_key:8.1f}  in all")
    listed("what was done:", phases)
    listed("Kindred's functions, with what they call:", kindred, top)
    listed("the functions that ran most themselves:", own_time, top)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", nargs="+", choices=sorted(FIGURES))
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--top", type=int, default=25, help="how many functions to list")
    parser.add_argument(
        "--folder",
        type=Path,
        default=Path("."),
        help="where the samples are written, one FIGURE.folded each",
    )
    args = parser.parse_args()
    for figure in args.figures:
        folded = args.folder / f"{figure}.folded"
        record(figure, args.presses, folded)
        if not folded.exists():
            print(
                f"{figure}: py-spy wrote nothing (is it installed? see the top of this file)",
                file=sys.stderr,
            )
            return 1
        print(summarize(folded, args.presses, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
