"""Key response from outside: the time from writing a key into an 80x24 pseudo-terminal until
the last byte of the redraw it caused, the terminal then quiet for 150 ms.

Every program runs at once, each in a terminal of its own, and the keys take turns: in each
round, one key for every figure, the floor app's among them. A busy moment on the machine
then falls on Kindred and on the floor alike. A key is written only once its program has
written nothing for half a second, so that it never falls in the end of the redraw before.
A redraw that goes on after a pause longer than 150 ms is noted with the time of its last
byte (within two seconds of the key), as its whole time.

- floor: the floor app swapping a screen of text (`Static.update`) on a key;
- markdown: for reference, Textual's Markdown widget swapping two guide sections;
- text_area: for reference, a character typed into Textual's TextArea in a bare app, with a
  line under it counting the words at every change (bench/text_area_app.py);
- panes_page, panes_switch: for reference, a bare app with Textual's own widgets doing what
  the guide and the panes do: a page turn (] or [) that highlights the next section in a list
  and shows its text, and a switch between that and a form like the plan's
  (bench/panes_app.py);
- guide: Kindred on a plan with one person; turning a page (] or [), moving in the table of
  contents (down or up, which opens the section), then F3, F4 and F2, each pane built and
  shown once before;
- typing: Kindred with 10,000 attempts stored, a character typed into a statement; then,
  not timed as a key, the save that follows when typing stops;
- rehearse-none, rehearse-many: Kindred on Rehearse with no attempts and with 10,000: space
  starts the timer, space again stops it, and n keeps and saves the attempt (so short an
  attempt asks first).
"""

import time
from dataclasses import dataclass
from pathlib import Path

from common import BENCH, CONTENT, KINDRED, PYTHON, ROOT, first_section_phrase
from floor_app import READY_TEXT
from term import Terminal, visible_text
from textual.app import App

from tui.ui.widgets.record_form import SAVE_DELAY_SECONDS

QUIET = 0.15
SETTLED = 0.5  # a program quiet this long has finished the redraw of its last key
LATE = 2.0  # output after a pause, but this soon after a key, is still the key's
KEY_TIMEOUT = 10.0
START_TIMEOUT = 30.0
# A saved attempt is told in a notice that Textual takes away a few seconds later: the redraw
# that takes it away must not fall in a later key's time.
NOTICE_SECONDS = App.NOTIFICATION_TIMEOUT + 0.5
TYPED = "We are with you now. "
TABS_TO_STATEMENT = 9  # from a person's name to their statement, in the form's order
FIGURES = (
    "floor",
    "markdown",
    "text_area",
    "panes_page",
    "panes_switch",
    "page",
    "contents",
    "f3",
    "f4",
    "f2",
    "typing",
    "start_none",
    "stop_none",
    "start_many",
    "stop_many",
)


@dataclass
class Press:
    """A key's seconds until the terminal was quiet for 150 ms, and until the last byte
    within two seconds, pauses included (known by the program's next key)."""

    seconds: float
    whole: float


class Program:
    """One program in its own terminal, with the keys pressed in it timed."""

    def __init__(self, name: str, argv: list[str], env: dict, ready_text: str):
        self.name = name
        self.terminal = Terminal(argv, env, str(ROOT))
        self.notice_gone_at = 0.0
        self._last: tuple[Press, int] | None = None  # the last key's, and where its redraw ended
        if self.terminal.wait_for_text(ready_text, START_TIMEOUT) is None:
            self.terminal.kill()
            raise RuntimeError(f"{name} never showed {ready_text!r}")
        self.terminal.wait_quiet(quiet=SETTLED, timeout=5.0)

    @property
    def pid(self) -> int:
        return self.terminal.process.pid

    def key(self, key: str, settled: float = SETTLED) -> Press:
        """Press a key once the program has written nothing for `settled` seconds, and time
        its redraw; it must redraw."""
        left = self.notice_gone_at - time.perf_counter()
        if left > 0:
            self.terminal.read_for(left)
        self.terminal.wait_quiet(settled, KEY_TIMEOUT)
        self._finish_last()
        seconds = self.terminal.respond(key, QUIET, KEY_TIMEOUT)
        if seconds is None:
            raise RuntimeError(f"{self.name}: {key!r} changed nothing on screen")
        press = Press(seconds, seconds)
        self._last = (press, self.terminal.mark())
        return press

    def _finish_last(self) -> None:
        """Count in what the last key's redraw wrote after a pause longer than 150 ms."""
        if self._last is None:
            return
        press, end = self._last
        written = self.terminal.key_written_at  # still the last key's
        later = [at for at, _ in self.terminal.chunks[end:] if at - written <= LATE]
        if later:
            press.whole = later[-1] - written
        self._last = None

    def start_and_stop(self) -> tuple[Press, Press]:
        """On Rehearse: space that starts the timer, and, after space stops it (an attempt
        this short asks whether to discard it), n that keeps and saves the attempt."""
        started = self.key("space")
        self.key("space")
        mark = self.terminal.mark()
        stopped = self.key("n")
        # On a busy machine the notice may come after a pause longer than the quiet time.
        if self.terminal.wait_for_text("Saved", KEY_TIMEOUT, since=mark) is None:
            raise RuntimeError(f"{self.name}: stopping the timer saved no attempt")
        self.notice_gone_at = time.perf_counter() + NOTICE_SECONDS
        return started, stopped

    def type_then_pause(self, character: str) -> tuple[Press, float | None]:
        """In a form: one character, then the seconds of the save that follows once typing
        stops, counted from half a second after the key until its redraw was written."""
        typed = self.key(character)
        terminal = self.terminal
        save_starts = terminal.key_written_at + SAVE_DELAY_SECONDS
        terminal.read_for(max(0.0, save_starts - terminal.elapsed()))
        self._finish_last()  # what came before the save is the character's
        mark = terminal.mark()
        if not terminal.wait_for_output(KEY_TIMEOUT, since=mark):
            return typed, None
        terminal.wait_quiet(QUIET, KEY_TIMEOUT)
        return typed, terminal.chunks[-1][0] - save_starts

    def shown_since(self, mark: int) -> str:
        return visible_text(b"".join(data for _, data in self.terminal.chunks[mark:]))

    def stop(self) -> None:
        self.terminal.wait_quiet(SETTLED, KEY_TIMEOUT)
        self._finish_last()
        self.terminal.quit()
        self.terminal.kill()  # closes the terminal; the program has gone by now, or goes


REFERENCE_APPS = ("floor", "markdown", "text_area", "panes")
# The keys that show once what a program's figures need, before any is timed.
PREPARATION = {
    "floor": ("s",),
    "markdown": ("s",),
    "text_area": ("end",),
    "panes": ("]", "[", "p", "p"),
    "guide": ("]", "[", "down", "up", "f3", "f4", "f2"),  # back where it began
    "typing": ("f3", "down", "down", "enter", *["tab"] * TABS_TO_STATEMENT),
    "rehearse": ("f4",),  # then the timer once, started and stopped
}


def start_program(kind: str, env: dict, data: Path | None = None) -> Program:
    """A floor app (floor, markdown, text_area, panes) or Kindred on the plan file `data`,
    prepared."""
    if kind in REFERENCE_APPS:
        program = Program(kind, [PYTHON, str(BENCH / f"{kind}_app.py")], env, READY_TEXT)
    else:
        program = Program(
            f"{kind} ({data.parent.name})",
            [KINDRED, "--data", str(data)],
            env,
            first_section_phrase(),
        )
    try:
        for key in PREPARATION[kind]:
            program.key(key)
        if kind == "rehearse":
            program.start_and_stop()
    except BaseException:
        program.stop()
        raise
    return program


def guide_moves(rounds: int) -> list[tuple[str, str]]:
    """For each round, a page turn then a move in the contents, each to the next section:
    forward through the guide, then back, and so on, never past either end."""
    sections = len(list(CONTENT.glob("*.md")))
    moves, place, forward = [], 0, True
    for _ in range(rounds):
        if forward and place + 2 >= sections:
            forward = False
        elif not forward and place - 2 < 0:
            forward = True
        moves.append(("]", "down") if forward else ("[", "up"))
        place += 2 if forward else -2
    return moves


def typed_characters(count: int) -> str:
    return (TYPED * count)[:count]


def key_response(env: dict, plans: dict[str, Path], presses: int) -> dict:
    """`plans`: fresh plan files named one (a person, no attempts), many and many_typing
    (10,000 attempts on the first person) and none (a person, no attempts)."""
    pressed: dict[str, list[Press]] = {figure: [] for figure in FIGURES}
    saves: list[float | None] = []
    programs: list[Program] = []

    def started(kind: str, data: Path | None = None) -> Program:
        programs.append(start_program(kind, env, data))
        return programs[-1]

    def rehearse(name: str, program: Program) -> None:
        start, stop = program.start_and_stop()
        pressed[f"start_{name}"].append(start)
        pressed[f"stop_{name}"].append(stop)

    try:
        floor, markdown = started("floor"), started("markdown")
        text_area, panes = started("text_area"), started("panes")
        guide = started("guide", plans["one"])
        typing = started("typing", plans["many_typing"])
        rehearse_none = started("rehearse", plans["none"])
        rehearse_many = started("rehearse", plans["many"])
        typed = typed_characters(presses)
        for character, (page, contents) in zip(typed, guide_moves(presses), strict=True):
            # One key for every figure, those of one program apart. The two Rehearse
            # programs are half a round apart, so that each one's wait for its notice to go
            # passes while the others are timed.
            rehearse("none", rehearse_none)
            pressed["page"].append(guide.key(page))
            pressed["markdown"].append(markdown.key("s"))
            pressed["contents"].append(guide.key(contents))
            pressed["floor"].append(floor.key("s"))
            pressed["panes_page"].append(panes.key(page))
            pressed["f3"].append(guide.key("f3"))
            pressed["panes_switch"].append(panes.key("p"))  # to the form
            rehearse("many", rehearse_many)
            pressed["f4"].append(guide.key("f4"))
            key, save = typing.type_then_pause(character)
            pressed["typing"].append(key)
            pressed["text_area"].append(text_area.key(character))
            saves.append(save)
            pressed["f2"].append(guide.key("f2"))
            pressed["panes_switch"].append(panes.key("p"))  # back to the guide
        if f"{typed}Hello." not in typing.shown_since(0):
            raise RuntimeError("the characters typed never showed in the statement")
    finally:
        for program in programs:
            program.stop()
    return {
        "presses": presses,
        "quiet_seconds": QUIET,
        "times": {
            **{figure: [press.seconds for press in each] for figure, each in pressed.items()},
            "save_after_typing": saves,
        },
        "whole": {figure: [press.whole for press in each] for figure, each in pressed.items()},
    }
