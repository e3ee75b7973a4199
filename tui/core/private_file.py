"""Files that only their owner can read: written all at once or not at all, and read only
if nobody else could have written them."""

import os
import stat
from pathlib import Path


def write_private_file(path: Path, payload: bytes) -> None:
    """Replace path with a file holding payload that only its owner can read.

    The payload goes to a new temporary file beside it, which is synced and then renamed
    over path: an interrupted write leaves the old file or the new one, never half of one,
    and a symbolic link put there meanwhile is replaced, never written through.
    """
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


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
