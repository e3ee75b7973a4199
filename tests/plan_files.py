"""What tests of saving look at: a counter saved again and again, and leftover temp files."""

import os
from pathlib import Path

from tui.core.store import Store


def save_counter(path: Path, count: int) -> None:
    """Save the plan at path count times, each time with the next number."""
    store = Store(path)
    for n in range(1, count + 1):
        store.upsert("counter", "c", {"n": n})


def counter_in(path: Path) -> int:
    return Store(path, read_only=True).read()["counter"][0]["n"]


def temp_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))
