"""Files replaced all at once or not at all, keeping the version before under a new name.

A new version is written to a hidden temporary file beside the old one, synced, then renamed
over it: an interrupted save leaves the old file or the new one, never half of one, and a
symbolic link put there meanwhile is replaced, never written through. Renames that keep a file
under another name never replace another. Pure core: no Textual here.
"""

import contextlib
import errno
import os
import re
import stat
from pathlib import Path

from tui.core import acl

PRIVATE_FILE_MODE = 0o600
GROUP_FILE_MODE = 0o660
PRIVATE_FOLDER_MODE = 0o700
_TEMP_NAME_BYTES = 8  # random bytes in a temporary file's name, written as hex


def replace(
    path: Path,
    payload: bytes,
    previous: tuple[bytes, os.stat_result] | None,
    keep_previous_as: Path,
) -> Path | None:
    """Replace the file at path with payload. ``previous`` is the file's bytes and status as
    last read (None if there was no file): it is kept as keep_previous_as (or that name with
    -2, -3 ... if it is taken), private to the folder's people, and that name is returned.
    On OSError the file at path is as it was."""
    folder = path.parent
    made: list[Path] = []
    kept = None
    try:
        if previous:
            old_bytes, old_status = previous
            mode = stat.S_IMODE(old_status.st_mode) & GROUP_FILE_MODE
            made.append(write_temp(path, payload, mode, old_status))
            made.append(_snapshot(path, old_bytes, _kept_mode(path, old_status), old_status))
            kept = move_to_unused_name(made[-1], keep_previous_as)
        else:
            made.append(write_temp(path, payload, new_file_mode(folder), None))
        os.replace(made[0], path)
    except OSError:
        for leftover in made:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise
    # The rename is done; a folder that cannot be synced is no reason to report failure.
    with contextlib.suppress(OSError):
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)
    return kept


def _kept_mode(path: Path, status: os.stat_result) -> int:
    """The mode of the kept copy of the file at path: open to the people it is shared with by
    name (its access control list), otherwise no wider than a new file in its folder."""
    mode = stat.S_IMODE(status.st_mode) & GROUP_FILE_MODE
    try:
        shared_by_name = acl.access_list(path, status.st_mode).extended
    except (OSError, ValueError):
        shared_by_name = False
    return mode if shared_by_name else mode & new_file_mode(path.parent)


def write_temp(path: Path, payload: bytes, mode: int, owner: os.stat_result | None) -> Path:
    """A new hidden file beside path holding payload, with exactly this mode, synced to disk.
    If the status of the file at path is given, the new file belongs to its owner and is open
    to the same people (its access control list)."""
    temp = _temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp, flags, mode)
    try:
        if owner:
            # Saving with sudo must not take the file away from its owner.
            with contextlib.suppress(PermissionError):
                os.fchown(fd, owner.st_uid, owner.st_gid)
            acl.copy_access_list(path, fd)
        os.fchmod(fd, mode)  # whatever the umask; with a list, never wider than mode
        write_all(fd, payload)
        os.fsync(fd)
    except BaseException:
        os.unlink(temp)
        raise
    finally:
        os.close(fd)
    return temp


def write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def remove_leftover_temp_files(path: Path) -> None:
    """Delete the temporary files of saves of path that crashed: only those named exactly as
    a save of path names them, never those of another file whose name starts the same.
    Only while holding the lock every save of path holds, so that their writers are gone."""
    ours = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{{2 * _TEMP_NAME_BYTES}}}\.tmp")
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if ours.fullmatch(entry.name) and not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def new_file_mode(folder: Path) -> int:
    """0660 in a group-shared folder (setgid and group-writable), or in a folder whose default
    access control list gives new files to named people only (as `kindred share` does), so
    that those people can use them; else 0600."""
    mode = os.stat(folder).st_mode
    shared = mode & stat.S_ISGID and mode & stat.S_IWGRP
    if shared or acl.shares_new_files_by_name(folder):
        return GROUP_FILE_MODE
    return PRIVATE_FILE_MODE


def make_private_folders(folder: Path) -> None:
    """Create folder and any missing parents as 0700; existing folders are left alone."""
    if folder.is_dir():
        return
    make_private_folders(folder.parent)
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, PRIVATE_FOLDER_MODE)
        os.chmod(folder, PRIVATE_FOLDER_MODE)


def move_to_unused_name(source: Path, target: Path) -> Path:
    """Rename source to target (or to target-2, -3, ... if taken); return the new name."""
    name, attempt = target, 1
    while True:
        with contextlib.suppress(FileExistsError):
            move_without_replacing(source, name)
            return name
        attempt += 1
        name = target.with_name(f"{target.name}-{attempt}")


def move_without_replacing(source: Path, target: Path) -> None:
    """Rename source to target; FileExistsError if target exists."""
    try:
        os.link(source, target, follow_symlinks=False)  # refuses an existing target
    except FileExistsError:
        raise
    except OSError:
        # Folders, and some file systems, have no hard links: check, then rename.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already exists", str(target)) from None
        os.rename(source, target)
    else:
        os.unlink(source)


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.urandom(_TEMP_NAME_BYTES).hex()}.tmp")


def _snapshot(path: Path, old_bytes: bytes, mode: int, old_status: os.stat_result) -> Path:
    """A temp file holding the current file, with mode: a hard link, or a copy if links fail."""
    temp = _temp_path(path)
    try:
        os.link(path, temp, follow_symlinks=False)
    except OSError:
        return write_temp(path, old_bytes, mode, old_status)
    if stat.S_IMODE(old_status.st_mode) != mode:
        # The kept version must not stay wider than a new file; only its owner may narrow it.
        with contextlib.suppress(PermissionError):
            os.chmod(temp, mode)
    return temp
