"""Hostile text everywhere it is shown: literally, safely, and without breaking the screen.

The corpus (tests/hostile.py) goes into plans two ways, each as the app really meets it:

- "store": written straight into the plan file with Store.insert/upsert, as a hand-edited or
  damaged file, an older version or another program could leave it: nothing is cleaned on
  the way in, so the app must clean what it reads;
- "import": loaded with `kindred import`, which cleans text with the plan's own rules.
  Text that import keeps exactly as written is only checked to come through unchanged; the
  strings import changes are walked through the app again.

Each app run takes a batch of corpus strings (people, treatment options and objections get
one string each; the title and the specialist get each string in turn, by changing the file
while the app runs, as another session would). The run walks every place that shows plan
text and records what reached the screen: the composited screen, cropped to the widget that
shows each string, or the widget's own rendering for fields scrolled out of sight. The tests
then judge the records:

- nothing crashed, and every screen line is exactly as wide as the screen;
- markup-like text shows literally (every character, brackets and all, in one style);
- no control character, escape sequence, bidirectional control or lone surrogate reached the
  screen, where each string is shown nor anywhere else;
- clicking text written as [@click=app.quit] does nothing.
"""

import asyncio
import json
import shutil
import traceback
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from fake_clock import FakeClock
from hostile import (
    BY_ID,
    CORPUS,
    STARTED_AT,
    Hostile,
    changed_by_import,
    checkable,
    forbidden_in,
    import_plan,
    objection_record,
    person_record,
    singleton_records,
    treatment_record,
)
from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.content import Content
from textual.errors import NoWidget
from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual_internals import (
    clip_region,
    composited_lines,
    forward_as_the_driver,
    lay_out_now,
    option_rows,
    palette_is_searching,
    send_as_the_driver,
    wait_for_messages,
)
from waiting import until

import tui.ui.app as tui_app
from tui.core.guide import default_content_dir, load_guide
from tui.core.plan import (
    NAME_LIMIT,
    PEOPLE,
    ValidationError,
    clean_value,
    field_of,
)
from tui.core.safe_text import strip_controls, visible
from tui.core.store import Store
from tui.ui.app import KindredApp
from tui.ui.commands import shortened
from tui.ui.screens.confirm import ConfirmScreen
from tui.ui.screens.keep_or_discard import KeepOrDiscardScreen
from tui.ui.screens.search import SearchScreen
from tui.ui.screens.too_small import TooSmallScreen
from tui.ui.widgets import record_form
from tui.ui.widgets.plan_pane import OVERVIEW, ListEntry
from tui.ui.widgets.reader import SectionText
from tui.ui.widgets.record_form import RecordForm

SIZE = (80, 24)
WALL = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _batches(entries: list[Hostile], size: int = 10) -> dict[str, list[Hostile]]:
    """The entries in batches of one kind each, of up to `size` strings."""
    by_kind: dict[str, list[Hostile]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    batches = {}
    for kind, group in by_kind.items():
        count = -(-len(group) // size)
        for number in range(count):
            batches[f"{kind}-{number + 1}"] = group[number::count]
    return batches


# Every string is walked through a plan written straight into the file. Text that import
# leaves exactly as it is would show exactly as it does there, so only the strings import
# changes are walked again through `kindred import` (the rest are checked to come through
# import unchanged, without the app).
BATCHES = {
    "store": _batches(CORPUS),
    "import": _batches([entry for entry in CORPUS if changed_by_import(entry)]),
}
BATCH_OF = {
    (source, entry.id): name
    for source, batches in BATCHES.items()
    for name, entries in batches.items()
    for entry in entries
}


# What reached the screen


@dataclass
class Cell:
    char: str
    style: Style | None
    x: int
    y: int


@dataclass
class Look:
    """One widget's visible part of the screen, showing one corpus string (or several)."""

    entries: tuple[str, ...]
    what: str
    expected: str | None  # text that must be seen literally, if it is checkable here
    lines: list[list[Cell]]
    own: bool = True  # the region shows this string and no other corpus string
    uniform: bool = True  # all of the expected text is in one style

    @property
    def text(self) -> str:
        return "\n".join("".join(cell.char for cell in line) for line in self.lines)

    @property
    def forbidden(self) -> list[str]:
        """Forbidden characters in the cells (line ends are not cells)."""
        return forbidden_in("".join(cell.char for line in self.lines for cell in line))

    def __repr__(self) -> str:  # short, for failure reports
        return f"<Look {self.what!r}: {self.text[:80]!r}>"


@dataclass
class Frame:
    """The whole screen at one moment."""

    place: str
    width: int
    lines: list[str]
    line_widths: list[int]
    forbidden: list[str]
    click_actions: list[str]

    def __repr__(self) -> str:
        return f"<Frame {self.place!r}>"


@dataclass
class Observation:
    frames: list[Frame] = field(default_factory=list)
    looks: list[Look] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    quit_requests: int = 0
    bells: int = 0
    clicks: list[str] = field(default_factory=list)
    finished: bool = False

    def __repr__(self) -> str:
        return f"<Observation: {len(self.frames)} frames, {len(self.looks)} looks>"

    def looks_at(self, entry_id: str) -> list[Look]:
        return [look for look in self.looks if entry_id in look.entries]

    def own_looks_at(self, entry_id: str) -> list[Look]:
        return [look for look in self.looks if look.entries == (entry_id,) and look.own]


def strip_cells(strip: Strip, x0: int, y: int) -> list[Cell]:
    cells, x = [], x0
    for segment in strip:
        if segment.control:
            continue
        for char in segment.text:
            cells.append(Cell(char, segment.style, x, y))
            x += cell_len(char)
    return cells


def visual(style: Style | None) -> tuple:
    if style is None:
        return ()
    return (str(style.clear_meta_and_links()), style.link)


def click_action(style: Style | None) -> str | None:
    if style is None:
        return None
    return style.meta.get("@click")


def frame_of(place: str, strips: list[Strip], width: int) -> Frame:
    lines, widths, forbidden, clicks = [], [], [], []
    for strip in strips:
        text = "".join(segment.text for segment in strip if not segment.control)
        lines.append(text)
        widths.append(strip.cell_length)
        forbidden += [char for char in forbidden_in(text) if char not in forbidden]
        for segment in strip:
            action = click_action(segment.style)
            if action:
                clicks.append(str(action))
    return Frame(place, width, lines, widths, forbidden, clicks)


def literal_problem(look: Look) -> str | None:
    """Why look does not show look.expected literally (in one style), or None if it does."""
    cells = [cell for line in look.lines for cell in line if not cell.char.isspace()]
    seen = "".join(cell.char for cell in cells)
    wanted = "".join(char for char in look.expected if not char.isspace())
    index = seen.find(wanted)
    if index < 0:
        return f"{look.what}: {look.expected!r} is not shown; the screen shows {look.text!r}"
    styles_by_row: dict[int, set] = defaultdict(set)
    for cell in cells[index : index + len(wanted)]:
        styles_by_row[cell.y].add(visual(cell.style))
        if click_action(cell.style):
            return f"{look.what}: {look.expected!r} became a click action"
    if look.uniform and any(len(styles) > 1 for styles in styles_by_row.values()):
        return f"{look.what}: {look.expected!r} is shown in more than one style"
    return None


def first_cell_of(look: Look) -> Cell | None:
    cells = [cell for line in look.lines for cell in line if not cell.char.isspace()]
    wanted = "".join(char for char in look.expected or "" if not char.isspace())
    index = "".join(cell.char for cell in cells).find(wanted) if wanted else -1
    return cells[index] if index >= 0 else None


# The app under observation


class ObservedApp(KindredApp):
    """The real app; quitting and the bell are only counted, so a click that would quit
    shows up as a count instead of ending the run."""

    CSS_PATH = Path(tui_app.__file__).with_name("app.tcss")

    def __init__(self, *args, observation: Observation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.observation = observation

    async def action_quit(self) -> None:
        self.observation.quit_requests += 1

    def bell(self) -> None:
        self.observation.bells += 1


@dataclass
class Item:
    """A widget to look at: which corpus strings it shows, and what must be seen there."""

    target: Widget
    entries: tuple[str, ...]
    what: str
    expected: str | None = None
    own: bool = True  # the widget shows no other corpus string
    option: int | None = None  # in an option list: look at this option's lines only
    whole: bool = False  # render the whole widget, even the part scrolled out of sight
    click: bool = True  # click [@click=...] text here (not where a click rightly acts)
    uniform: bool = True  # the text has one style (no search highlight over it)


class Recorder:
    def __init__(self, app: ObservedApp, pilot, observation: Observation) -> None:
        self.app = app
        self.pilot = pilot
        self.observation = observation

    async def settle(self) -> None:
        """Wait until every message sent so far (and those they sent) is handled: like
        pilot.pause(), without waiting for the CPU to idle."""
        for _ in range(2):
            await wait_for_messages(self.pilot)

    async def until(self, condition, what: str) -> None:
        """Settle until condition() holds; fail saying what did not happen."""
        for _ in range(100):
            if condition():
                return
            await self.settle()
        await until(self.pilot, condition, what)  # what waits on a timer, on a busy machine

    async def open_palette(self) -> CommandPalette:
        await self.press("ctrl+p")
        await self.until(
            lambda: (
                isinstance(self.app.screen, CommandPalette) and self.app.screen.query(OptionList)
            ),
            "the command palette",
        )
        return self.app.screen

    async def press(self, *keys: str) -> None:
        """Keys, sent as the terminal driver sends them, each handled before the next."""
        for key in keys:
            character = {"space": " "}.get(key, key if len(key) == 1 else None)
            send_as_the_driver(self.app, events.Key(key, character))
            await self.settle()

    def visible_region(self, item: Item) -> Region | None:
        widget = item.target
        try:
            clip = clip_region(self.app.screen, widget)
        except NoWidget:
            return None
        # The content only: a border, padding or scrollbar would break text that wraps onto
        # more lines.
        region = widget.scrollable_content_region.intersection(clip)
        if item.option is not None and isinstance(widget, OptionList):
            rows = option_rows(widget, item.option)
            if not rows:
                return None
            content = widget.content_region
            top = content.y + rows[0] - widget.scroll_offset.y
            region = region.intersection(Region(content.x, top, content.width, len(rows)))
        return region if region.area else None

    def lines_of(self, item: Item, strips: list[Strip]) -> list[list[Cell]]:
        if item.whole:
            # What the widget draws, as the compositor would ask for it.
            size = item.target.outer_size  # with its border and padding, cropped off below
            if not size.area:
                return []
            rendered = item.target.render_lines(Region(0, 0, size.width, size.height))
            top, right, bottom, left = item.target.styles.gutter
            return [
                strip_cells(strip.crop(left, size.width - right), left, y)
                for y, strip in enumerate(rendered)
                if top <= y < size.height - bottom
            ]
        region = self.visible_region(item)
        if region is None:
            return []
        return [
            strip_cells(strips[y].crop(region.x, region.right), region.x, y)
            for y in range(region.y, region.bottom)
        ]

    async def look(
        self,
        place: str,
        items: Iterable[Item] = (),
        settle: bool = True,
        notifications: bool = False,
    ) -> None:
        """Record the whole screen, and what each item's widget shows. Notifications (which
        take lines of the screen) are cleared first, unless they are what is looked at; the
        screen is then laid out again with those lines, which takes its time."""
        if not notifications and self.app.screen.query("Toast"):
            self.app.clear_notifications()
            await self.until(lambda: not self.app.screen.query("Toast"), "clearing notifications")
            settle = True
        if settle:
            await self.settle()
        lay_out_now(self.app.screen)
        strips = composited_lines(self.app.screen)
        self.observation.frames.append(frame_of(place, strips, self.app.size.width))
        for item in items:
            lines = self.lines_of(item, strips)
            expected = item.expected
            if isinstance(item.target, Input) and expected is not None:
                if cell_len(expected) >= item.target.content_region.width:
                    expected = None  # an Input shows a window of a long value
            look = Look(
                item.entries, f"{place}: {item.what}", expected, lines, item.own, item.uniform
            )
            self.observation.looks.append(look)
            if item.click and not item.whole:
                await self.click_markup(look)

    async def click_markup(self, look: Look) -> None:
        """Click text written as [@click=...] where it starts: taken as markup, its link
        text would stand there. It must stay text, and the click must do nothing."""
        if look.expected is None or "[@click=" not in look.expected:
            return
        cell = first_cell_of(look)
        if cell is not None:
            await self.click_at(cell.x, cell.y)
            self.observation.clicks.append(look.what)

    async def click_at(self, x: int, y: int) -> None:
        """A click as the driver sends one (what pilot.click does, without idling)."""
        if not self.app.screen.size.region.contains(x, y):
            return
        for event_type in (events.MouseDown, events.MouseUp, events.Click):
            widget, _ = self.app.get_widget_at(x, y)
            arguments = dict(
                widget=widget,
                x=x,
                y=y,
                delta_x=0,
                delta_y=0,
                button=1,
                shift=False,
                meta=False,
                ctrl=False,
                screen_x=x,
                screen_y=y,
            )
            if event_type is events.Click:
                arguments["chain"] = 1
            self.app.mouse_position = Offset(x, y)
            forward_as_the_driver(self.app.screen, event_type(**arguments))
            await self.settle()


# Plans made of corpus strings


def expected_one_line(entry: Hostile, source: str) -> str | None:
    """What a one-line field must show, when that can be checked literally: the text as the
    plan's rules clean it, whichever way it came in (the app cleans what it reads)."""
    if not entry.is_clean or entry.kind == "layout":
        return None
    return entry.one_line


def expected_long(entry: Hostile, source: str) -> str | None:
    if not entry.is_clean or entry.kind == "layout":
        return None
    return entry.multiline


def store_plan(path: Path, batch: list[Hostile]) -> None:
    """The batch written straight into the plan file: nothing is cleaned on the way."""
    store = Store(path)
    for number, entry in enumerate(batch, start=1):
        store.insert("people", person_record(number, entry))
        store.insert("treatments", treatment_record(number, entry))
        store.insert("objections", objection_record(number, entry))
        if number % 2:
            store.insert(
                "attempts",
                {
                    "id": f"a{number}",
                    "person_id": f"p{number}",
                    "started_at": STARTED_AT,
                    "seconds": 95.0,
                },
            )
    store.insert(
        "runs",
        {
            "id": "run1",
            "started_at": STARTED_AT,
            "total_seconds": 300.0,
            "splits": [{"person_id": f"p{n}", "seconds": 30.0} for n in range(1, len(batch) + 1)],
        },
    )


def store_singletons(path: Path, entry: Hostile) -> None:
    store = Store(path)
    for table, record in singleton_records(entry).items():
        store.upsert(table, table, record)


# Walking the app


def form_fields(form: RecordForm) -> list[tuple[Widget, str]]:
    return [
        (widget, widget.id.removeprefix("field-"))
        for widget in form.query(".field")
        if isinstance(widget, Input | TextArea)
    ]


def expected_for(kind: str, entry: Hostile, source: str) -> str | None:
    return expected_long(entry, source) if kind == "long" else expected_one_line(entry, source)


def field_items(form: RecordForm, entry: Hostile, source: str) -> list[Item]:
    """The one-line fields of the form, each rendered whole (an Input draws itself the same
    wherever the form is scrolled)."""
    items = []
    for widget, name in form_fields(form):
        spec = field_of(form.part, name)
        if spec.kind == "text":
            items.append(
                Item(widget, (entry.id,), spec.label, expected_one_line(entry, source), whole=True)
            )
    return items


async def look_at_long_fields(
    recorder: Recorder, place: str, form: RecordForm, entry: Hostile, source: str
) -> None:
    """Each long field, scrolled into sight: a text area wraps its text to the width it is
    shown at, so it is looked at on the screen."""
    for widget, name in form_fields(form):
        spec = field_of(form.part, name)
        if spec.kind == "long":
            widget.scroll_visible(animate=False, immediate=True)
            await recorder.look(
                place, [Item(widget, (entry.id,), spec.label, expected_long(entry, source))]
            )


async def leave_form(recorder: Recorder, form: RecordForm) -> None:
    """Before moving on from a form, drop any edit it still waits to save. The walk types
    nothing, so nothing is lost; and no save can then be under way as the walk moves on
    (one arriving while its form is removed crashes the app: see
    test_a_save_that_arrives_while_its_form_is_removed_does_not_crash)."""
    form.take_waiting()
    await recorder.settle()


async def choose(recorder: Recorder, listing: OptionList, index: int) -> None:
    """Highlight an item, as the arrow keys do, and wait until the app has shown it."""
    app = recorder.app
    listing.focus()
    listing.highlighted = index
    option_id = listing.get_option_at_index(index).id
    if listing.id == "plan-nav":

        def shown() -> bool:
            page = app.main_screen.plan_pane.page
            forms = [page] if isinstance(page, RecordForm) else list(page.query(RecordForm))
            showing = app.main_screen.plan_pane.showing
            return (
                showing is not None
                and showing.id == option_id
                and all(form.query("#error-" + form.part.fields[-1].name) for form in forms)
            )
    elif listing.id == "rehearse-list":

        def shown() -> bool:
            return app.main_screen.rehearse_pane.selected == option_id
    elif listing.id == "toc":

        def shown() -> bool:
            section = app.main_screen.guide_pane.current
            texts = app.main_screen.guide_pane.reader.query(SectionText)
            return (
                section is not None
                and section.id == option_id
                and bool(texts)
                and (texts.first().section is section)
            )
    else:

        def shown() -> bool:
            return True

    await recorder.until(shown, f"showing {option_id}")
    await recorder.settle()


def option_index(listing: OptionList, option_id: str) -> int:
    return [option.id for option in listing.options].index(option_id)


async def walk_plan_lists(
    recorder: Recorder, batch: list[Hostile], source: str, full: bool
) -> None:
    """Each person, treatment option and objection: the list and the form; in a full walk,
    the delete question for each person (it is worded the same for the other parts), and
    the notification a refused value gives."""
    app = recorder.app
    await recorder.press("f3")
    nav = app.main_screen.plan_pane.nav
    await recorder.until(lambda: app.focused is nav, "F3")
    entries = {
        f"{prefix}{n}": entry
        for n, entry in enumerate(batch, start=1)
        for prefix in ("p", "t", "o")
    }
    detached: list[tuple[RecordForm, Hostile]] = []
    for index, option in enumerate(list(nav.options)):
        listed = ListEntry.parse(option.id or "")
        table, record_id = listed.table, listed.record_id
        if record_id not in entries or (not full and table != "people"):
            continue
        entry = entries[record_id]
        expected = expected_one_line(entry, source)
        await choose(recorder, nav, index)
        place = f"plan {table} {entry.id}"
        form = app.main_screen.plan_pane.page
        assert isinstance(form, RecordForm), f"{place}: no form"
        await recorder.look(
            place,
            [
                Item(nav, (entry.id,), "plan list", expected, option=index),
                Item(form.query(".form-heading").first(), (entry.id,), "form heading", expected),
                *field_items(form, entry, source),
            ],
            settle=False,
        )
        await look_at_long_fields(recorder, place, form, entry, source)
        if table == "people" and full and entry.kind == "markup":
            detached.append((form, entry))
        if full and table == "people":
            nav.focus()
            await recorder.press("delete")
            await recorder.until(
                lambda: isinstance(app.screen, ConfirmScreen), f"{place}: the delete question"
            )
            await recorder.look(
                f"{place} delete?",
                [
                    Item(
                        app.screen.query_one("#confirm-question"),
                        (entry.id,),
                        "delete question",
                        expected,
                    )
                ],
            )
            await recorder.press("n")
            await recorder.until(
                lambda: not isinstance(app.screen, ConfirmScreen),
                f"{place}: closing the delete question",
            )
        await leave_form(recorder, form)
    # A form that is no longer shown reports a refused value in a notification.
    for form, entry in detached:
        try:
            clean_value(field_of(PEOPLE, "target_seconds"), entry.text)
        except ValidationError as error:
            form.show_error("target_seconds", str(error))
            toasts = []
            for _ in range(20):
                await recorder.settle()
                toasts = list(app.screen.query("Toast"))
                if toasts:
                    break
            assert toasts, "no notification"
            expected = str(error) if expected_one_line(entry, source) else None
            await recorder.look(
                f"notification {entry.id}",
                [Item(toasts[-1], (entry.id,), "notification", expected)],
                settle=False,
                notifications=True,
            )
            app.clear_notifications()
    # The overview: the speaking order and readiness name everyone.
    await choose(recorder, nav, 0)
    page = app.main_screen.plan_pane.page
    ids = tuple(entry.id for entry in batch)
    summary = page.query_one("#people-summary")
    await recorder.look(
        "overview",
        [
            *(
                Item(
                    summary,
                    (entry.id,),
                    "speaking order",
                    expected_one_line(entry, source),
                    own=False,
                    whole=True,
                )
                for entry in batch
            ),
            Item(page.query_one("#readiness"), ids, "readiness", whole=True),
        ],
        settle=False,
    )
    await leave_form(recorder, page.query_one(RecordForm))


async def walk_singletons(
    recorder: Recorder, batch: list[Hostile], source: str, change_file, full: bool
) -> None:
    """The plan's title and the specialist take each string in turn (the meeting and the
    aftercare the first), changed in the file while the app runs: the app takes the change
    in and shows it on the page it is on. A walk that is not full shows the title only."""
    app = recorder.app
    nav = app.main_screen.plan_pane.nav
    await choose(recorder, nav, option_index(nav, "overview"))
    await leave_form(recorder, app.main_screen.plan_pane.page.query_one(RecordForm))
    for number, entry in enumerate(batch):
        change_file(entry)
        nav.focus()
        app.main_screen.plan_pane.check_outside_changes()  # what the app does every second
        await recorder.settle()
        first = nav.highlighted_entry.id  # the page the app has just shown again
        others = ("meeting", "aftercare") if number == 0 else ()
        parts = [first, *[part for part in (*others, "overview", "specialist") if part != first]]
        if not full:
            parts = ["overview"]
        for option_id in parts:
            if option_id != nav.highlighted_entry.id:
                await choose(recorder, nav, option_index(nav, option_id))
            page = app.main_screen.plan_pane.page
            form = page if isinstance(page, RecordForm) else page.query_one(RecordForm)
            await recorder.look(
                f"{option_id} {entry.id}", field_items(form, entry, source), settle=False
            )
            await look_at_long_fields(recorder, f"{option_id} {entry.id}", form, entry, source)
            await leave_form(recorder, form)


async def walk_rehearse(recorder: Recorder, batch: list[Hostile], source: str, full: bool) -> None:
    """Each speaker: the list, the statement and the history; in a full walk, the
    keep-or-discard question (for the first three), and a run-through of the whole meeting
    followed in the timer strip."""
    app = recorder.app
    await recorder.press("f4")
    pane = app.main_screen.rehearse_pane
    listing = pane.query_one("#rehearse-list", OptionList)
    await recorder.until(lambda: app.focused is listing, "F4")
    statement = pane.query_one("#rehearse-statement")
    info = pane.query_one("#rehearse-info")
    for index, entry in enumerate(batch):
        await choose(recorder, listing, index)
        place = f"rehearse {entry.id}"
        expected = expected_one_line(entry, source)
        await recorder.look(
            place,
            [
                Item(listing, (entry.id,), "speakers", expected, option=index),
                Item(info, (entry.id,), "info", expected),
                Item(statement, (entry.id,), "statement", expected_long(entry, source)),
                Item(pane.query_one("#history-summary"), (entry.id,), "history"),
            ],
            settle=False,
        )
        if not full or index >= 3:
            continue  # the question is worded the same for everyone: three will do
        # Timing, then choosing someone else: keep or discard the attempt?
        listing.focus()
        await recorder.press("space")
        await recorder.until(lambda: pane.running, f"{place}: timing")
        listing.highlighted = (index + 1) % (len(batch) + 1)
        await recorder.until(
            lambda: isinstance(app.screen, KeepOrDiscardScreen),
            f"{place}: the keep-or-discard question",
        )
        await recorder.look(
            f"{place} keep?",
            [
                Item(
                    app.screen.query_one("#confirm-question"),
                    (entry.id,),
                    "keep or discard",
                    expected,
                )
            ],
            settle=False,
        )
        await recorder.press("d")
        await recorder.until(
            lambda: not pane.running and not isinstance(app.screen, KeepOrDiscardScreen),
            f"{place}: discarding",
        )
    # The whole meeting: who speaks, and who is next.
    ids = tuple(entry.id for entry in batch)
    await choose(recorder, listing, len(batch))
    await recorder.look(
        "rehearse whole meeting",
        [
            Item(statement, ids, "meeting", whole=True),
            Item(pane.query_one("#history-summary"), ids, "last run-through", whole=True),
        ],
        settle=False,
    )
    if not full:
        return
    # A run-through: who speaks on the Rehearse pane, then in the timer strip while the plan
    # is shown; "n" moves on to the next speaker.
    await recorder.press("space")
    await recorder.until(lambda: pane.running, "a run-through")
    await recorder.look(
        "run-through",
        [
            Item(info, ids, "speaking and next", expected_one_line(batch[0], source), own=False),
        ],
    )
    await recorder.press("f3")
    strip = app.query_one("#timer-strip")
    for number, entry in enumerate(batch, start=1):
        await recorder.until(
            lambda n=number: strip.display and pane.running and pane.timing.speaker == f"p{n}",
            f"timer strip: speaker {number}",
        )
        expected = expected_one_line(entry, source)
        fits = expected if expected and cell_len(expected) < 40 else None
        await recorder.look(
            f"timer strip {entry.id}", [Item(strip, (entry.id,), "timer strip", fits)]
        )
        pane.action_next_speaker()  # "n" on the Rehearse pane
    await recorder.until(lambda: not pane.running and not strip.display, "timer strip: done")
    app.clear_notifications()


def palette_settled(app, palette: CommandPalette) -> bool:
    """The palette has finished gathering hits for what was typed."""
    return not palette_is_searching(app, palette)


async def find_in_palette(
    recorder: Recorder, palette: CommandPalette, query: str, wanted: str
) -> int:
    """Type a query into the palette; the index of the hit whose text is `wanted`."""
    box = palette.query_one(Input)
    results = palette.query_one(OptionList)
    box.value = query
    await recorder.settle()
    await recorder.until(lambda: palette_settled(recorder.app, palette), f"searching {query!r}")
    prompts = [str(option.prompt) for option in results.options]
    assert wanted in prompts, f"the palette did not list {wanted!r} for {query!r}"
    index = prompts.index(wanted)
    results.highlighted = index
    await recorder.settle()
    return index


async def walk_palette(recorder: Recorder, batch: list[Hostile], source: str) -> None:
    """The command palette finds people: type "Plan: " and the start of a name."""
    app = recorder.app
    palette = await recorder.open_palette()
    results = palette.query_one(OptionList)
    for number, entry in enumerate(batch, start=1):
        name = entry.one_line[:NAME_LIMIT] or "(unnamed person)"  # a longer name is cut
        for prefix in ("Plan", "Rehearse") if number == 1 else ("Plan",):
            wanted = shortened(f"{prefix}: {name}")
            index = await find_in_palette(recorder, palette, f"{prefix}: {name[:2]}", wanted)
            await recorder.look(
                f"palette {entry.id}",
                [
                    Item(
                        results,
                        (entry.id,),
                        "palette",
                        expected_one_line(entry, source),
                        option=index,
                        click=False,
                        uniform=False,
                    )
                ],
                settle=False,
            )
    await recorder.press("escape")
    await recorder.until(lambda: not isinstance(app.screen, CommandPalette), "closing the palette")


async def delete_one(recorder: Recorder, batch: list[Hostile], source: str) -> None:
    """Deleting says so in the status line, by name."""
    app = recorder.app
    nav = app.main_screen.plan_pane.nav
    entry = batch[0]
    await choose(recorder, nav, option_index(nav, "people:p1"))
    await recorder.press("delete")
    await recorder.until(lambda: isinstance(app.screen, ConfirmScreen), "the delete question")
    await recorder.press("y")
    status = app.query_one("#plan-status")
    await recorder.until(lambda: "Deleted" in str(status.render()), "deleting")
    await recorder.look(
        "deleted",
        [
            Item(
                app.query_one("#plan-status"),
                (entry.id,),
                "status",
                expected_one_line(entry, source),
            )
        ],
    )


async def observe_plan(folder: Path, source: str, batch: list[Hostile]) -> Observation:
    observation = Observation()
    data = folder / "plan.json"
    if source == "store":
        store_plan(data, batch)
        store_singletons(data, batch[0])

        def change_file(entry: Hostile) -> None:
            store_singletons(data, entry)
    else:
        import_plan(data, batch, batch[0], folder)

        def change_file(entry: Hostile) -> None:
            import_plan(data, batch, entry, folder)

    app = ObservedApp(
        load_guide(), data, clock=FakeClock(), wall_clock=lambda: WALL, observation=observation
    )
    try:
        # The walk only looks and types nothing. Should a form still start its autosave
        # timer, a save under way as the walk moves on could crash the app (reported by
        # test_a_save_that_arrives_while_its_form_is_removed_does_not_crash): the delay is
        # made longer than the walk, so that race cannot end it early.
        with mock.patch.object(record_form, "SAVE_DELAY_SECONDS", 3600):
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await app.main_screen.work_panes_ready.wait()
                recorder = Recorder(app, pilot, observation)
                await leave_form(recorder, app.main_screen.plan_pane.page.query_one(RecordForm))
                full = source == "store"
                if full:
                    await walk_rehearse(recorder, batch, source, full)
                await walk_plan_lists(recorder, batch, source, full)
                await walk_singletons(recorder, batch, source, change_file, full)
                if full:
                    await walk_palette(recorder, batch, source)
                    await delete_one(recorder, batch, source)
                observation.finished = True
    except Exception as error:  # recorded, and reported by the tests
        observation.errors.append(describe(error))
    return observation


def describe(error: BaseException) -> str:
    """The error and where it happened: the last lines of its traceback."""
    lines = traceback.format_exception(error)
    return "".join(lines[-30:])


_observations: dict[tuple[str, str], Observation] = {}


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    def get(source: str, batch_name: str) -> Observation:
        key = (source, batch_name)
        if key not in _observations:
            folder = tmp_path_factory.mktemp(f"{source}-{batch_name}")
            batch = BATCHES[source][batch_name]
            _observations[key] = asyncio.run(observe_plan(folder, source, batch))
        return _observations[key]

    return get


# Which strings are known to reach the screen, and why.


def entry_params(only=lambda entry: True) -> list:
    return [
        pytest.param(source, entry, id=f"{source}-{entry.id}")
        for source, batches in BATCHES.items()
        for entries in batches.values()
        for entry in entries
        if only(entry)
    ]


def batch_params() -> list:
    return [
        pytest.param(source, name, id=f"{source}-{name}")
        for source, batches in BATCHES.items()
        for name, entries in batches.items()
    ]


# The tests


@pytest.mark.parametrize(("source", "batch_name"), batch_params())
def test_the_app_survives_hostile_plans(observed, source, batch_name):
    observation = observed(source, batch_name)
    assert observation.errors == []
    assert observation.finished
    assert observation.frames
    for frame in observation.frames:
        assert len(frame.lines) == SIZE[1], frame.place
        bad = [w for w in frame.line_widths if w != frame.width]
        assert not bad, f"{frame.place}: lines of {bad} cells on a {frame.width}-cell screen"


# A full walk (the "store" plans) looks at each string in 15 to 30 places (a long string
# is not looked for in one-line fields, which show part of it); the lighter walk for
# imported plans in about 10.
MINIMUM_PLACES = {"store": 15, "import": 6}


@pytest.mark.parametrize(("source", "entry"), entry_params(only=checkable))
def test_plan_text_is_shown_literally(observed, source, entry):
    observation = observed(source, BATCH_OF[source, entry.id])
    looks = [look for look in observation.looks_at(entry.id) if look.expected is not None]
    count = len(looks)
    assert count >= MINIMUM_PLACES[source], f"only {count} places were checked"
    problems = [problem for look in looks if (problem := literal_problem(look))]
    assert not problems, "\n".join(problem[:300] for problem in problems)


@pytest.mark.parametrize(("source", "entry"), entry_params())
def test_no_control_character_reaches_the_screen_where_text_is_shown(observed, source, entry):
    observation = observed(source, BATCH_OF[source, entry.id])
    looks = observation.own_looks_at(entry.id)
    count = len(looks)
    assert count >= MINIMUM_PLACES[source], f"only {count} places were checked"
    leaks = {look.what: look.forbidden for look in looks if look.forbidden}
    assert leaks == {}


@pytest.mark.parametrize(("source", "batch_name"), batch_params())
def test_nothing_forbidden_anywhere_on_screen(observed, source, batch_name):
    observation = observed(source, batch_name)
    leaks = {frame.place: frame.forbidden for frame in observation.frames if frame.forbidden}
    assert leaks == {}


def test_markup_in_plan_text_never_acts(observed):
    observation = observed("store", BATCH_OF["store", "click-quit"])
    assert len(observation.clicks) >= 10, "the [@click] text was not clicked"
    assert observation.quit_requests == 0
    assert observation.bells == 0
    clicks = {
        frame.place: frame.click_actions for frame in observation.frames if frame.click_actions
    }
    assert clicks == {}


# Pasting: the one way a person can put control characters into a field themselves.

PASTE = "Anna \x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil [b]bold[/b]"


async def test_pasted_text_is_cleaned_in_the_search_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        app.focused.post_message(events.Paste(PASTE))
        await pilot.pause()
        frame = frame_of("search", composited_lines(app.screen), SIZE[0])
        text = "\n".join(frame.lines)
        assert "[b]bold[/b]" in text
        assert frame.forbidden == [], "pasted control characters reached the screen"


@pytest.mark.parametrize("field_name", ["name", "statement"])
async def test_pasted_text_is_cleaned_in_plan_fields(make_app, tmp_path, field_name):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "a")
        form = app.query_one(RecordForm)
        widget = form.query_one(f"#field-{field_name}")
        widget.focus()
        await pilot.pause()
        widget.post_message(events.Paste(PASTE))
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause(0.7)
        saved = next(iter(json.loads(data.read_text())["people"].values()))[field_name]
        assert forbidden_in(saved) == [], "the saved value keeps control characters"
        widget.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        frame = frame_of("form", composited_lines(app.screen), SIZE[0])
        assert "[b]bold[/b]" in "\n".join(frame.lines)
        assert frame.forbidden == [], "pasted control characters stay on screen"


async def test_pasted_text_is_cleaned_in_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        app.post_message(events.Paste(PASTE))  # as the terminal delivers a paste
        await pilot.pause()
        box = app.screen.query_one(Input)
        assert box.value == strip_controls(PASTE)
        frame = frame_of("palette", composited_lines(app.screen), SIZE[0])
        assert frame.forbidden == [], "pasted control characters reached the screen"


@pytest.mark.parametrize(
    ("field_name", "expected"),
    [("name", "Anna Bell  Cole"), ("statement", "Anna\nBell\n\nCole")],
)
async def test_a_paste_of_several_lines_keeps_them_only_where_the_field_has_lines(
    make_app, tmp_path, field_name, expected
):
    data = tmp_path / "plan.json"
    app = make_app(data_path=data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "a")
        widget = app.query_one(RecordForm).query_one(f"#field-{field_name}")
        widget.focus()
        await pilot.pause()
        app.post_message(events.Paste("Anna\r\nBell\u2028\nCole"))  # as a terminal does
        await pilot.pause()
        shown = widget.text if isinstance(widget, TextArea) else widget.value
        assert shown == expected
        await pilot.press("tab")
        await pilot.pause(0.7)
    saved = next(iter(json.loads(data.read_text())["people"].values()))[field_name]
    assert saved == expected


# Keys that carry a control character, as a terminal without bracketed paste sends a paste
TYPED = "A\x1bn\x9bn\u202ea\u2028\x07\x7f"


async def type_characters(pilot, widget: Widget, text: str) -> None:
    for character in text:
        widget.post_message(events.Key(f"u+{ord(character):04x}", character))
    await pilot.pause()


@pytest.mark.parametrize("field_name", ["name", "statement"])
async def test_typed_control_characters_never_reach_a_plan_field(make_app, tmp_path, field_name):
    app = make_app(data_path=tmp_path / "plan.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "a")
        widget = app.query_one(RecordForm).query_one(f"#field-{field_name}")
        widget.focus()
        await pilot.pause()
        await type_characters(pilot, widget, TYPED)
        shown = widget.text if isinstance(widget, TextArea) else widget.value
        assert shown == "Anna"
        frame = frame_of("form", composited_lines(app.screen), SIZE[0])
        assert frame.forbidden == []


async def test_typed_control_characters_never_reach_the_search_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_characters(pilot, app.focused, TYPED)
        assert app.focused.value == "Anna"
        frame = frame_of("search", composited_lines(app.screen), SIZE[0])
        assert frame.forbidden == []


# The guide, from a --content directory


def front_matter_value(text: str) -> str:
    """The text as it can stand on one front-matter line: short text joined into one line,
    thousands of lines by their first."""
    lines = text.replace("\r", "\n").split("\n")
    return (" ".join(lines) if len(lines) < 10 else lines[0]).strip()


def guide_entries() -> list[Hostile]:
    writable = []
    for entry in CORPUS:
        try:
            entry.text.encode("utf-8")
        except UnicodeEncodeError:
            continue  # a lone surrogate cannot be in a UTF-8 file
        writable.append(entry)
    return writable


GUIDE_ENTRIES = guide_entries()


def guide_title(number: int, entry: Hostile) -> str:
    return f"Sec{number:02d} {front_matter_value(entry.text)}"


def write_guide(folder: Path) -> Path:
    content = folder / "content"
    shutil.copytree(default_content_dir(), content)
    for number, entry in enumerate(GUIDE_ENTRIES, start=1):
        fence = "~~~~~~~~"
        body = (
            f"hostilemarker{number} {entry.text}\n\n"
            f"## Heading {number} {front_matter_value(entry.text)}\n\n"
            f"{fence}\n{entry.text}\n{fence}\n"
        )
        (content / f"90-hostile-{number:02d}.md").write_text(
            f"---\nid: hostile-{entry.id}\ntitle: {guide_title(number, entry)}\n"
            f"order: {900 + number}\n---\n\n{body}",
            encoding="utf-8",
        )
    return content


def expected_title(number: int, entry: Hostile) -> str | None:
    if not entry.is_clean or entry.kind == "layout":
        return None
    return visible(guide_title(number, entry))


async def observe_guide(folder: Path) -> Observation:
    observation = Observation()
    content = write_guide(folder)
    app = ObservedApp(load_guide(content), folder / "plan.json", observation=observation)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            recorder = Recorder(app, pilot, observation)
            toc = app.query_one("#toc", OptionList)
            reader = app.main_screen.guide_pane.reader
            for number, entry in enumerate(GUIDE_ENTRIES, start=1):
                index = app.guide.index_of(f"hostile-{entry.id}")
                await choose(recorder, toc, index)
                title = expected_title(number, entry)
                place = f"guide {entry.id}"
                await recorder.look(
                    place,
                    [
                        Item(toc, (entry.id,), "contents", title, option=index),
                        Item(reader, (entry.id,), "reader title", title),
                    ],
                )
                literal = None if title is None else visible(entry.text)
                await recorder.look(
                    place,
                    [
                        Item(
                            reader.text,
                            (entry.id,),
                            "code block",
                            literal,
                            whole=True,
                            uniform=False,
                        )
                    ],
                    settle=False,
                )
            # Search: one search box, a query for each section's marker word.
            await pilot.press("slash")
            search = app.screen
            assert isinstance(search, SearchScreen)
            box = search.query_one("#search-input", Input)
            hits = search.query_one("#search-hits", OptionList)
            for number, entry in enumerate(GUIDE_ENTRIES, start=1):
                box.value = f"hostilemarker{number}"
                await recorder.settle()
                assert len(search.hits) == 1, f"search for {entry.id}"
                await recorder.look(
                    f"search {entry.id}",
                    [
                        Item(
                            hits,
                            (entry.id,),
                            "search hit",
                            expected_title(number, entry),
                            option=0,
                            click=False,
                        )
                    ],
                )
            await pilot.press("escape")
            # The command palette lists guide sections by title.
            palette = await recorder.open_palette()
            results = palette.query_one(OptionList)
            for number, entry in enumerate(GUIDE_ENTRIES, start=1):
                wanted = shortened(f"Guide: {visible(guide_title(number, entry))}")
                found = await find_in_palette(recorder, palette, f"Sec{number:02d}", wanted)
                expected = expected_title(number, entry)
                await recorder.look(
                    f"palette {entry.id}",
                    [
                        Item(
                            results,
                            (entry.id,),
                            "palette",
                            expected and f"Guide: {expected}",
                            option=found,
                            click=False,
                            uniform=False,
                        )
                    ],
                )
            await pilot.press("escape")
            observation.finished = True
    except Exception as error:
        observation.errors.append(describe(error))
    return observation


@pytest.fixture(scope="module")
def guide_observation(tmp_path_factory):
    if "guide" not in _observations:
        folder = tmp_path_factory.mktemp("guide")
        _observations["guide"] = asyncio.run(observe_guide(folder))
    return _observations["guide"]


def test_the_guide_survives_hostile_sections(guide_observation):
    assert guide_observation.errors == []
    assert guide_observation.finished
    for frame in guide_observation.frames:
        bad = [w for w in frame.line_widths if w != frame.width]
        assert not bad, f"{frame.place}: lines of {bad} cells on a {frame.width}-cell screen"


GUIDE_CLEAN = [entry for entry in GUIDE_ENTRIES if entry.is_clean and entry.kind != "layout"]


@pytest.mark.parametrize("entry", GUIDE_CLEAN, ids=[entry.id for entry in GUIDE_CLEAN])
def test_guide_text_is_shown_literally(guide_observation, entry):
    looks = [look for look in guide_observation.looks_at(entry.id) if look.expected]
    places = [look.what for look in looks]
    assert len(places) == 5, places  # contents, reader title, code block, search hit, palette
    problems = [problem for look in looks if (problem := literal_problem(look))]
    assert not problems, "\n".join(problem[:300] for problem in problems)


@pytest.mark.parametrize("entry", GUIDE_ENTRIES, ids=[entry.id for entry in GUIDE_ENTRIES])
def test_guide_never_shows_control_characters(guide_observation, entry):
    looks = guide_observation.own_looks_at(entry.id)
    places = [look.what for look in looks]
    assert len(places) == 5, places  # contents, reader, code block, search hit, palette
    leaks = {look.what: look.forbidden for look in looks if look.forbidden}
    assert leaks == {}


def test_nothing_forbidden_anywhere_on_the_guide_screens(guide_observation):
    leaks = {frame.place: frame.forbidden for frame in guide_observation.frames if frame.forbidden}
    assert leaks == {}


def test_markup_in_guide_titles_never_acts(guide_observation):
    assert len(guide_observation.clicks) >= 6
    assert guide_observation.quit_requests == 0
    assert guide_observation.bells == 0
    clicks = {
        frame.place: frame.click_actions
        for frame in guide_observation.frames
        if frame.click_actions
    }
    assert clicks == {}


# Layout: very long text, and wide text at every size


async def test_a_very_long_statement_stays_scrollable(make_app, tmp_path):
    data = tmp_path / "plan.json"
    store = Store(data)
    for number, entry_id in enumerate(("long-word", "many-lines"), start=1):
        store.insert("people", person_record(number, BY_ID[entry_id]))
    app = make_app(data_path=data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        nav = app.main_screen.plan_pane.nav
        for number in (1, 2):
            nav.highlighted = [option.id for option in nav.options].index(f"people:p{number}")
            await pilot.pause()
            area = app.main_screen.plan_pane.page.query_one("#field-statement", TextArea)
            area.focus()
            await pilot.pause()
            assert area.max_scroll_y > 0
            await pilot.press("end", "pagedown", "pagedown", "pagedown")
            await pilot.pause()
            assert area.scroll_y > 0, "the statement cannot be scrolled"
            nav.focus()
        await pilot.press("f4")
        pane = app.main_screen.rehearse_pane
        listing = pane.query_one("#rehearse-list", OptionList)
        for index in (0, 1):
            listing.highlighted = index
            await pilot.pause()
            view = pane.query_one("#rehearse-text")
            assert view.max_scroll_y > 0
            view.focus()
            await pilot.press("end")
            await pilot.wait_for_scheduled_animations()  # end scrolls there smoothly
            assert view.max_scroll_y > 0, "nothing to scroll"
            assert view.scroll_y >= view.max_scroll_y - 1, "the statement cannot be scrolled"
            listing.focus()
            frame = frame_of("rehearse", composited_lines(app.screen), SIZE[0])
            assert all(width == SIZE[0] for width in frame.line_widths)


WIDE = ("emoji", "cjk", "arabic", "hebrew", "zalgo", "joiners", "fullwidth", "tabs", "long-word")


@pytest.mark.parametrize(
    "size", [(80, 24), (40, 12), (300, 80)], ids=lambda size: f"{size[0]}x{size[1]}"
)
async def test_wide_text_never_breaks_the_screen(make_app, tmp_path, size):
    data = tmp_path / "plan.json"
    store_plan(data, [BY_ID[entry_id] for entry_id in WIDE])
    store_singletons(data, BY_ID["cjk"])
    app = make_app(data_path=data)
    width, height = size
    async with app.run_test(size=size) as pilot:
        steps = [("f3",), ("down", "down"), ("f4",), ("f2",)]
        if width >= 60:
            steps += [("slash",), ("escape",)]
        for keys in steps:
            await pilot.press(*keys)
            await pilot.pause()
            if width < 60:
                assert isinstance(app.screen, TooSmallScreen)
            frame = frame_of(str(keys), composited_lines(app.screen), width)
            assert len(frame.lines) == height
            assert all(line == width for line in frame.line_widths), keys
        if width < 60:
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert not isinstance(app.screen, TooSmallScreen)
            await pilot.press("f3", "down", "down", "f4")
            frame = frame_of("grown", composited_lines(app.screen), 80)
            assert all(line == 80 for line in frame.line_widths)


# Found along the way: a crash when an edit arrives as its form goes away

FORM_REMOVAL_RACE = (
    "PlanPane.on_record_form_edited -> _save_edit -> RecordForm.saved/show_error use "
    "query_one('#error-<field>') (and '#form-heading') on the form that sent the edit. When "
    "the form is being removed (the user moved on, or another session's save rebuilt the "
    "page), Textual removes its children first while the form stays attached, so an edit "
    "arriving then (the 0.5 s autosave after typing, or the flush when the field loses "
    "focus) raises NoMatches and the app stops"
)


async def test_a_save_that_arrives_while_its_form_is_removed_does_not_crash(make_app, tmp_path):
    data = tmp_path / "plan.json"
    Store(data).insert("people", person_record(1, BY_ID["bold"]))
    app = make_app(data_path=data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        nav = app.main_screen.plan_pane.nav
        nav.highlighted = option_index(nav, "people:p1")
        await pilot.pause()
        form = app.main_screen.plan_pane.page
        assert isinstance(form, RecordForm)
        # The form's autosave sends its edit just as the page changes under it.
        edit = RecordForm.Edited(form, "name", "Anna")
        app.main_screen.plan_pane.show(OVERVIEW, force=True)
        for _ in range(200):
            if form.is_attached and not form.query("#error-name"):
                break
            await asyncio.sleep(0)
        assert form.is_attached and not form.query("#error-name"), "no removal under way"
        app.main_screen.plan_pane.on_record_form_edited(edit)  # the edit arrives now
        await pilot.pause()
    people = json.loads(data.read_text())["people"]
    assert [person["name"] for person in people.values()] == ["Anna"], "the edit was lost"


# The checks themselves: they must fail where text is taken as markup or sent raw


async def test_the_checks_catch_markup_and_raw_control_characters():
    class Probe(App[None]):
        def compose(self):
            yield Static("[b]bold[/b] [@click=app.bell]x[/]", id="markup")  # parsed as markup
            yield Static(Content("[b]bold[/b]"), id="literal")
            yield Static(Content("A\x1b[2JB\u202e"), id="raw")

    app = Probe()
    observation = Observation()
    async with app.run_test(size=(40, 5)) as pilot:
        recorder = Recorder(app, pilot, observation)
        await recorder.look(
            "probe",
            [
                Item(app.query_one("#markup"), ("bold",), "markup", "[b]bold[/b]", click=False),
                Item(app.query_one("#literal"), ("bold",), "literal", "[b]bold[/b]"),
                Item(app.query_one("#raw"), ("esc",), "raw"),
            ],
        )
    markup, literal, raw = observation.looks
    assert literal_problem(markup) is not None
    assert literal_problem(literal) is None
    assert raw.forbidden == ["\x1b", "\u202e"]
    assert observation.frames[0].forbidden == ["\x1b", "\u202e"]
    assert observation.frames[0].click_actions  # the markup Static made a click action
