"""The plan file's format and the names of the files beside it.

The file is TinyDB's JSON layout, ``{"table": {"1": {doc}, "2": {doc}}, ...}``, plus an
internal table ``meta`` holding ``{"schema": SCHEMA_VERSION}``, so TinyDB itself can open it.
Older formats are migrated as they are read. Beside the plan ``kindred.json`` lie its lock file
``kindred.json.lock``, its backups ``kindred.json.bak1`` (newest) to ``.bak3``, and any plan
set aside as unreadable, ``kindred.json.unreadable-<time>``. Pure core: no Textual here.
"""

import errno
import json
import os
import stat
import time
from pathlib import Path

SCHEMA_VERSION = 1
BACKUP_GENERATIONS = 3
META = "meta"

_SET_ASIDE = ".unreadable-"


class Unusable(Exception):
    """Why a file cannot be used as a plan, as words that follow "The plan file X ..."."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def backup_paths(path: Path) -> list[Path]:
    """Where the backups of the plan at path go, newest first (whether they exist or not)."""
    return [path.with_name(f"{path.name}.bak{n}") for n in range(1, BACKUP_GENERATIONS + 1)]


def set_aside_suffix() -> str:
    """What is added to the name of an unreadable plan set aside now."""
    return f"{_SET_ASIDE}{time.strftime('%Y%m%d-%H%M%S')}"


def set_aside_paths(path: Path) -> list[Path]:
    """Unreadable plans set aside from path, and their backups, in name order."""
    prefix = f"{path.name}{_SET_ASIDE}"
    try:
        with os.scandir(path.parent) as entries:
            return sorted(path.parent / e.name for e in entries if e.name.startswith(prefix))
    except OSError:
        return []


def problem_with(path: Path) -> str:
    """Why the plan file at path cannot be opened, as words that follow "The plan file X",
    or "" if it can be (or if there is none). Takes no lock, creates and changes nothing."""
    try:
        found = read_file(path)
        if found:
            decode(found[0], accept_newer=False)
    except Unusable as problem:
        return str(problem)
    return ""


def encode(tables: dict[str, dict[str, dict]]) -> bytes:
    """The whole file's bytes; the same tables always give the same bytes.

    Without indentation (only then does the json module use its fast encoder) nor spaces.
    Characters beyond ASCII are written as \\u escapes, which that encoder writes twice as
    fast (and lone surrogates, which UTF-8 cannot hold, survive unchanged). It does
    not look for documents that contain themselves (which would end in RecursionError): they
    come from JSON or from Kindred's own records, and looking would double the time.
    """
    if META in tables:
        raise ValueError(f"the table name {META!r} is reserved for the store")
    data = {META: {"1": {"schema": SCHEMA_VERSION}}, **tables}
    return json.dumps(
        data, separators=(",", ":"), allow_nan=False, check_circular=False
    ).encode("ascii")


def refuse_constant(name: str) -> None:
    """For json.loads: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not JSON")


def decode(raw: bytes, *, accept_newer: bool) -> dict:
    """The tables in a file's bytes, migrated to SCHEMA_VERSION, without the meta table."""
    if not raw.strip():
        raise Unusable("is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unusable("is not readable text (it is not UTF-8)") from None
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise Unusable(f"is not valid JSON (line {error.lineno}, column {error.colno})") from None
    except (ValueError, RecursionError):
        raise Unusable("is not valid JSON") from None
    _check_layout(data)
    version = _schema_of(data)
    if version > SCHEMA_VERSION and not accept_newer:
        raise Unusable(
            f"was written by a newer version of Kindred "
            f"(format {version}; this version reads up to {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version = _schema_of(data)
    data.pop(META, None)
    return data


def _check_layout(data: object) -> None:
    """TinyDB's layout: an object of tables, each an object of numbered document objects."""
    if not isinstance(data, dict):
        raise Unusable("does not have the layout of a Kindred plan")
    for name, table in data.items():
        entries_ok = isinstance(table, dict) and all(
            key.isascii() and key.isdigit() and isinstance(doc, dict) for key, doc in table.items()
        )
        if not entries_ok:
            raise Unusable(f"does not have the layout of a Kindred plan (its part {name!r})")


def _schema_of(data: dict) -> int:
    """The format number in the meta table; a file without one is format 0."""
    if META not in data:
        return 0
    docs = list(data[META].values())
    version = docs[0].get("schema") if len(docs) == 1 else None
    if type(version) is not int or version < 0:
        raise Unusable("does not have the layout of a Kindred plan (its format number)")
    return version


def _add_meta(data: dict) -> dict:
    """Format 0 -> 1: plain TinyDB data gains the meta table recording its format."""
    data[META] = {"1": {"schema": 1}}
    return data


# Each function turns data of format N (the key) into format N + 1.
_MIGRATIONS = {0: _add_meta}


def read_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The bytes and status of the file at path, or None if there is none.

    Never follows a symbolic link, and never blocks on a pipe placed at the path.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Unusable(_open_problem(error)) from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise Unusable("is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise Unusable("is not an ordinary file")
        with open(fd, "rb", closefd=False) as file:
            return file.read(), status
    except OSError as error:
        raise Unusable(_open_problem(error)) from None
    finally:
        os.close(fd)


def _open_problem(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "is a symbolic link, and Kindred will not follow it"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be opened: Kindred is not allowed to read it (permission denied)"
    return f"cannot be read ({error.strerror})"
