"""Advisory locks on a lock file, shared to read and exclusive to change, that give up after
a while, and who holds them. Pure core: no Textual here."""

import fcntl
import os
import time
from pathlib import Path


class LockTimeout(Exception):
    """Another process held the lock for longer than we would wait."""


def holders(path: Path) -> list[int]:
    """Ids of the processes holding the lock of the lock file at path (empty if unknown)."""
    try:
        info = os.stat(path, follow_symlinks=False)
        with open("/proc/locks", encoding="ascii") as locks:
            lines = locks.readlines()
    except OSError:
        return []
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    found = set()
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 7198 fe:00:2146763 0 EOF"; waiters show "->" instead
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == wanted:
            if fields[4].isdigit():
                found.add(int(fields[4]))
    return sorted(found)


def open_lock_file(path: Path, mode: int) -> int:
    """Open the lock file at path, creating it with exactly mode if it is missing; closing
    what this returns lets go of any lock taken on it."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return os.open(path, flags)
    os.fchmod(fd, mode)
    return fd


def lock(fd: int, *, exclusive: bool, wait_seconds: float) -> None:
    """Lock the open lock file, waiting for others to let go; LockTimeout if they do not."""
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait_seconds
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, operation)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout from None
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
