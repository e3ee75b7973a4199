"""What tests of saving use: a counter saved again and again, leftover temp files, and
another program holding the plan's lock."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
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


@contextlib.contextmanager
def another_program_holding_the_lock(data: Path) -> Iterator[None]:
    """While in the block, another process holds the plan's lock, as another save would."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys; lock = open(sys.argv[1], 'a'); fcntl.flock(lock, fcntl.LOCK_EX);"
            " print('held', flush=True); sys.stdin.read()",
            str(data.with_name(data.name + ".lock")),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.stdin.close()  # lets go of the lock as it ends
        holder.wait(timeout=10)
