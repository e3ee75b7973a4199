"""Files that only their owner can read: written all at once or not at all, and read only
if nobody else could have written them."""

import errno
import os
import stat
from pathlib import Path

from tui.core import atomic_file


class NotAnOrdinaryFile(OSError):
    """Something other than an ordinary file (a pipe, a device, a folder, a symbolic link) is
    where a file was to be written; it is left as it is."""


def write_private_file(path: Path, payload: bytes) -> None:
    """Replace path, all at once, with a file holding payload that only its owner can read.
    Only an ordinary file or nothing may be at path: anything else is left there, and
    NotAnOrdinaryFile raised."""
    temp = atomic_file.write_temp(path, payload, atomic_file.PRIVATE_FILE_MODE, None)
    try:
        if not is_ordinary_or_missing(path):
            raise NotAnOrdinaryFile(errno.EEXIST, "not an ordinary file", str(path))
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def is_ordinary_or_missing(path: Path) -> bool:
    """Is path an ordinary file (not a link to one) or nothing at all?"""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


def read_own_file(path: Path) -> bytes | None:
    """The bytes of path if it is an ordinary file of this user that nobody else may write,
    else None. Never follows a symbolic link, and never blocks on a pipe placed there."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        ours = status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        if not (stat.S_ISREG(status.st_mode) and ours):
            return None
        with open(fd, "rb", closefd=False) as file:
            return file.read()
    except OSError:
        return None
    finally:
        os.close(fd)
