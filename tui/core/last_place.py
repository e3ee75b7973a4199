"""Where someone was when they left Kindred (the part, the guide's section, the plan's item),
so that the next start opens there. Kept in a small private file of their own, beside
nothing shared: never in the plan, which the whole group reads."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.core.atomic_file import make_private_folders
from tui.core.private_file import read_own_file, write_private_file

PANES = ("guide", "plan", "rehearse")


@dataclass(frozen=True)
class Place:
    pane: str = "guide"
    section: str = ""  # a guide section's id
    plan_item: str = ""  # the id of an item in the plan's list


def place_file() -> Path:
    import platformdirs  # only here: the command-line tools start faster without it

    return Path(platformdirs.user_cache_dir("kindred")) / "last-place.json"


def read_place(path: Path, plan: Path) -> Place:
    """The place kept for this plan file; the start of the guide if none can be read."""
    try:
        data = json.loads(read_own_file(path) or b"{}")
    except ValueError:
        return Place()
    if not isinstance(data, dict) or data.get("plan") != str(plan):
        return Place()
    pane, section, item = data.get("pane"), data.get("section"), data.get("plan_item")
    if pane not in PANES or not isinstance(section, str) or not isinstance(item, str):
        return Place()
    return Place(pane, section, item)


def write_place(path: Path, plan: Path, place: Place) -> None:
    """Keep the place for the next start. Not being able to is not worth a word: the next
    start then opens on the guide."""
    try:
        make_private_folders(path.parent)
        write_private_file(path, json.dumps({"plan": str(plan), **asdict(place)}).encode())
    except OSError:
        pass
