"""Writing a file that only its owner can read, all at once or not at all."""

import os
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
