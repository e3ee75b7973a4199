"""What the panes tell the main screen. A widget posts one of these and carries on; the
message bubbles up to the main screen, which decides what the other parts do about it."""

from dataclasses import dataclass

from textual.message import Message


class PlanChanged(Message):
    """The plan was edited, here or in another session: its names, order or country may be
    new."""


class AttemptSaved(Message):
    """A timed attempt or a run-through was saved, or one was deleted: readiness may have
    changed."""


@dataclass
class OpenGuide(Message):
    """Read the guide at a section, and at a heading in it when one is named."""

    section_id: str
    heading_slug: str = ""


@dataclass
class OpenRehearse(Message):
    """Rehearse one person's statement (their id), or answering objections ("objections")."""

    choice: str


@dataclass
class ShowPane(Message):
    """Show one part: "guide", "plan" or "rehearse"."""

    pane: str


@dataclass
class TimerChanged(Message):
    """What a running timer shows, to keep in sight while another part is on screen; empty
    once no timer runs."""

    text: str
