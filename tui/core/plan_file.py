"""The plan file's format, and the names of the files beside it and which of them are kept.

The file is TinyDB's JSON layout, ``{"table": {"1": {doc}, "2": {doc}}, ...}``, plus an
internal table ``meta`` holding ``{"schema": SCHEMA_VERSION}``, so TinyDB itself can open it.
Older formats are migrated as they are read. Beside the plan ``kindred.json`` lie its lock file
``kindred.json.lock``; its backups, each the plan as it was before a save,
``kindred.json.backup-2026-12-06T183012`` (the time of that save; ``-2``, ``-3`` ... added when
several saves fall in one second); and plans kept until the person removes them: the plan as it
was before an import, ``kindred.json.before-import-<time>``, and a plan set aside as unreadable
when a fresh one was started, ``kindred.json.unreadable-<time>``, with its backups.
Pure core: no Textual here.
"""

import errno
import json
import math
import os
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

from tui.core.plan import ValidationError, check_stored

SCHEMA_VERSION = 1
META = "meta"
# Backups kept: the newest few, and older ones thinned by age.
RECENT_BACKUPS = 3
HOURLY_BACKUPS_FOR = timedelta(days=1)
DAILY_BACKUPS_FOR = timedelta(days=7)
# Why a plan is kept until the person removes it, as its name says.
BEFORE_IMPORT = "before-import"
SET_ASIDE = "unreadable"

_BACKUP = "backup"
_LEGACY_BACKUPS = 3  # kindred.json.bak1 (newest) to .bak3, as earlier versions kept them
_STAMP = "%Y-%m-%dT%H%M%S"
_STAMP_PATTERN = r"(\d{4})-(\d\d)-(\d\d)T(\d\d)(\d\d)(\d\d)(?:-(\d{1,6}))?"


class Unusable(Exception):
    """Why a file cannot be used as a plan, as words that follow "The plan file X ..."."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def backup_path(path: Path, moment: datetime) -> Path:
    """Where the plan at path, as it was before a save at moment (local time), is backed up:
    named by the time, and -2, -3 ... after the first of several saves in one second."""
    second = moment.replace(microsecond=0)
    repeats = [repeat for when, repeat, _ in _found_backups(path) if when == second]
    name = _named(path, _BACKUP, moment)
    return name.with_name(f"{name.name}-{max(repeats) + 1}") if repeats else name


def kept_path(path: Path, reason: str, moment: datetime) -> Path:
    """Where the plan at path is kept, for reason (BEFORE_IMPORT, SET_ASIDE), at moment."""
    return _named(path, reason, moment)


def _named(path: Path, what: str, moment: datetime) -> Path:
    return path.with_name(f"{path.name}.{what}-{moment.strftime(_STAMP)}")


def dated_backups(path: Path) -> list[tuple[datetime, Path]]:
    """The backups of the plan at path, with the time each was made, newest first."""
    return [(moment, backup) for moment, _, backup in _found_backups(path)]


def _found_backups(path: Path) -> list[tuple[datetime, int, Path]]:
    """The backups of the plan at path, with the time and the repeat in that second (1 for
    the first) in their names, newest first."""
    pattern = re.compile(rf"{re.escape(path.name)}\.{_BACKUP}-{_STAMP_PATTERN}")
    found = []
    for name in _names_beside(path):
        match = pattern.fullmatch(name)
        if match:
            year, month, day, hour, minute, second, repeat = match.groups()
            try:
                moment = datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second)
                )
            except ValueError:
                continue  # not a time, so not a name Kindred gave
            found.append((moment, int(repeat or 1), path.with_name(name)))
    found.sort(reverse=True)
    return found


def backups(path: Path) -> list[Path]:
    """The backups of the plan at path, newest first, those of earlier versions last."""
    return [backup for _, backup in dated_backups(path)] + legacy_backups(path)


def backups_to_remove(backups: list[tuple[datetime, Path]], now: datetime) -> list[Path]:
    """Which of these backups (newest first) are no longer kept at now. Kept are the newest
    RECENT_BACKUPS, the newest of each hour for HOURLY_BACKUPS_FOR and the newest of each
    day for DAILY_BACKUPS_FOR."""
    kept = {backup for _, backup in backups[:RECENT_BACKUPS]}
    newest_of: dict[tuple, Path] = {}
    for moment, backup in backups:
        if now - moment < HOURLY_BACKUPS_FOR:
            newest_of.setdefault((moment.date(), moment.hour), backup)
        if now - moment < DAILY_BACKUPS_FOR:
            newest_of.setdefault((moment.date(),), backup)
    kept.update(newest_of.values())
    return [backup for _, backup in backups if backup not in kept]


def legacy_backups(path: Path) -> list[Path]:
    """Backups as earlier versions of Kindred named them, newest first, that exist."""
    names = [path.with_name(f"{path.name}.bak{n}") for n in range(1, _LEGACY_BACKUPS + 1)]
    return [name for name in names if os.path.lexists(name)]


def kept_plans(path: Path) -> list[Path]:
    """Plans kept beside the plan at path until the person removes them (before an import,
    set aside as unreadable, and the backups that went along), in name order."""
    prefixes = tuple(f"{path.name}.{reason}-" for reason in (BEFORE_IMPORT, SET_ASIDE))
    return sorted(path.with_name(name) for name in _names_beside(path) if name.startswith(prefixes))


def _names_beside(path: Path) -> list[str]:
    try:
        return os.listdir(path.parent)
    except OSError:
        return []


def problem_with(path: Path) -> str:
    """Why the plan file at path cannot be opened, as words that follow "The plan file X",
    or "" if it can be (or if there is none). Takes no lock, creates and changes nothing."""
    try:
        found = read_file(path)
        if found:
            decode(found[0], viewing_only=False)
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
    return json.dumps(data, separators=(",", ":"), allow_nan=False, check_circular=False).encode(
        "ascii"
    )


def refuse_constant(name: str) -> None:
    """For json.loads: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not JSON")


def decode(raw: bytes, *, viewing_only: bool) -> dict:
    """The tables in a file's bytes, migrated to SCHEMA_VERSION, without the meta table.

    Every value of the plan must be one Kindred can use (plan.check_stored), and every number
    one it can save again. A file opened only to look at, never to change, is read as well as
    it can be: as it is if it is of a newer format, and with values the plan model leaves out.
    """
    if not raw.strip():
        raise Unusable("is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unusable("is not readable text (it is not UTF-8)") from None
    too_large = []

    def number(digits: str) -> float:
        value = float(digits)
        if math.isinf(value):
            too_large.append(digits)
        return value

    try:
        data = json.loads(text, parse_constant=refuse_constant, parse_float=number)
    except json.JSONDecodeError as error:
        raise Unusable(f"is not valid JSON (line {error.lineno}, column {error.colno})") from None
    except (ValueError, RecursionError):
        raise Unusable("is not valid JSON") from None
    _check_layout(data)
    version = _schema_of(data)
    if version > SCHEMA_VERSION and not viewing_only:
        raise Unusable(
            f"was written by a newer version of Kindred "
            f"(format {version}; this version reads up to {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version = _schema_of(data)
    data.pop(META, None)
    if not viewing_only:
        try:
            check_stored(data)
        except ValidationError as problem:
            where = str(problem).rstrip(".")
            raise Unusable(f"holds a value Kindred cannot use ({where})") from None
        if too_large:
            raise Unusable("holds a number too large for Kindred to save again")
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
