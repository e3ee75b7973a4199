"""The plan file on disk: atomic saves, rotating backups, locking and plain-words errors.

The plan holds private facts about someone else, so the file must never be lost, left
half-written, opened up to other readers or silently replaced. Pure core: no Textual here.

The file is TinyDB's JSON layout, ``{"table": {"1": {doc}, "2": {doc}}, ...}``, plus an
internal table ``meta`` holding ``{"schema": SCHEMA_VERSION}``, so TinyDB itself can open it.
Every document carries a string ``"id"`` that is unique in its table; callers make the ids.
The store changes the tables itself, numbering documents as TinyDB does (one more than the
highest number in the table), and writes compact JSON.
"""

import contextlib
import errno
import fcntl
import itertools
import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SCHEMA_VERSION = 1
BACKUP_GENERATIONS = 3

_META = "meta"
_PRIVATE_FILE_MODE = 0o600
_GROUP_FILE_MODE = 0o660
_PRIVATE_FOLDER_MODE = 0o700
_LOCK_WAIT_SECONDS = 10.0


class StoreError(Exception):
    """A problem with the plan file; ``message`` says it in plain words for the user."""

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.message = message
        self.path = path


class UnreadableFile(StoreError):
    """The plan file cannot be used; it has been left exactly as it was."""

    def __init__(self, message: str, path: Path, backups: list[Path]):
        super().__init__(message, path)
        self.backups = backups


class SaveFailed(StoreError):
    """The save did not happen; everything on disk is as it was before."""


class _Unusable(Exception):
    """Why a file cannot be used as a plan, as words that follow "The plan file X ..."."""


def default_data_path() -> Path:
    configured = os.environ.get("KINDRED_DATA")
    if configured:
        return Path(configured).expanduser()
    import platformdirs  # only here: the command-line tools start faster without it

    return Path(platformdirs.user_data_dir("kindred")) / "kindred.json"


def lock_holders(path: Path) -> list[int]:
    """Ids of the processes holding the lock of the plan file at path (empty if unknown)."""
    try:
        info = os.stat(_lock_path_for(Path(path)), follow_symlinks=False)
        with open("/proc/locks", encoding="ascii") as locks:
            lines = locks.readlines()
    except OSError:
        return []
    wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    holders = set()
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 7198 fe:00:2146763 0 EOF"; waiters show "->" instead
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == wanted:
            if fields[4].isdigit():
                holders.add(int(fields[4]))
    return sorted(holders)


def describe_permissions(path: Path) -> tuple[str, str]:
    """The file's mode as octal text ("0600") and who else can open it, in plain words."""
    mode = stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    if mode & 0o007:
        verdict = "anyone with an account on this computer can open it"
    elif mode & 0o070:
        verdict = "people in the file's group can open it"
    else:
        verdict = "only its owner can open it"
    return f"{mode:04o}", verdict


class _TransactionStorage:
    """Holds the plan in memory for one transaction; the Store saves it once at the end."""

    def __init__(self, tables: dict):
        self.tables = tables
        self.written = False

    def read(self) -> dict:
        return self.tables

    def write(self, data: dict) -> None:
        self.tables = data
        self.written = True

    def close(self) -> None:
        pass


class Store:
    """The plan file at ``path``, read and changed safely by one or more processes."""

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.source = self.path  # in read-only mode: the file actually read
        self._lock_path = _lock_path_for(self.path)
        self._this_thread = threading.local()  # .in_transaction, for each thread
        # The bytes of the file and their tables as last read or saved here: the next read or
        # change takes them instead of decoding the same bytes again. Taken once, because
        # whoever takes them may change them.
        self._kept: tuple[bytes, dict[str, dict[str, dict]]] | None = None
        self._taking_kept = threading.Lock()
        self._kept = self._read_tables()

    def backups(self) -> list[Path]:
        """Existing backups, newest first."""
        return [backup for backup in _backup_paths(self.path) if os.path.lexists(backup)]

    def read(self) -> dict[str, list[dict]]:
        """Every table (except the internal meta); the documents are the caller's to keep."""
        self._refuse_inside_transaction()
        found = self._read_tables()
        return {name: list(docs.values()) for name, docs in found[1].items()} if found else {}

    def insert(self, table: str, doc: dict) -> None:
        _check_table_name(table)
        _check_doc(doc)
        doc = _own_copy(doc)
        with self._changing() as (tables, previous):
            docs = tables.setdefault(table, {})
            if _number_of(docs, doc["id"]) is not None:
                raise ValueError(f"table {table!r} already has a document with id {doc['id']!r}")
            docs[_next_number(docs)] = doc
            self._save_tables(tables, previous)

    def update(self, table: str, doc_id: str, changes: dict) -> bool:
        """Apply changes to the document with this id; False if there is no such document."""
        _check_table_name(table)
        _check_changes(doc_id, changes)
        changes = _own_copy(changes)
        with self._changing() as (tables, previous):
            docs = tables.get(table, {})
            number = _number_of(docs, doc_id)
            if number is None:
                return False
            docs[number].update(changes)
            self._save_tables(tables, previous)
        return True

    def upsert(self, table: str, doc_id: str, changes: dict) -> None:
        """Apply changes to the document with this id, creating it if it is missing."""
        _check_table_name(table)
        _check_changes(doc_id, changes)
        changes = _own_copy(changes)
        with self._changing() as (tables, previous):
            docs = tables.setdefault(table, {})
            number = _number_of(docs, doc_id)
            if number is None:
                docs[_next_number(docs)] = {"id": doc_id, **changes}
            else:
                docs[number].update(changes)
            self._save_tables(tables, previous)

    def delete(self, table: str, doc_id: str) -> bool:
        _check_table_name(table)
        with self._changing() as (tables, previous):
            docs = tables.get(table, {})
            number = _number_of(docs, doc_id)
            if number is None:
                return False
            del docs[number]
            self._save_tables(tables, previous)
        return True

    def replace_all(self, tables: dict[str, list[dict]]) -> None:
        """Replace the whole plan with these tables, in one save."""
        for name, docs in tables.items():
            _check_table_name(name)
            for doc in docs:
                _check_doc(doc)
            if len({doc["id"] for doc in docs}) != len(docs):
                raise ValueError(f"table {name!r} has two documents with the same id")
        # Numbered from 1 in each table, as TinyDB numbers the documents of a new table.
        numbered = {
            name: {str(number): doc for number, doc in enumerate(docs, start=1)}
            for name, docs in tables.items()
        }
        with self._changing() as (_, previous):
            # The documents stay the caller's, so they are not kept for the next read.
            self._save_tables(numbered, previous, keep=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator:
        """Hold the plan exclusively and yield it as a TinyDB to read and change.

        Everything changed in the block is saved at the end in one atomic save; an
        exception inside the block saves nothing. A fresh TinyDB is made each time, so
        no query cache outlives the transaction. What is put into it becomes the plan's:
        give it plain JSON values (dict, list, str, int, float, bool, None) and do not
        change them afterwards.
        """
        from tinydb import TinyDB  # only here: the command-line tools start faster without it

        with self._changing() as (tables, previous):
            database = TinyDB(tables, storage=_TransactionStorage)
            yield database
            if database.storage.written:
                self._save_tables(database.storage.tables, previous)

    def stamp(self) -> tuple:
        """A cheap identity of the file on disk that changes whenever it is saved."""
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return ()
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    @staticmethod
    def set_aside(path: Path) -> Path:
        """Rename an unreadable plan file so a fresh one can be made, and return the new name.

        Its backups go along (as ``<new name>.bak1`` ...), so that saves of the fresh plan
        never rotate them away. Nothing is ever overwritten.
        """
        path = Path(path)
        try:
            target = _move_to_unused_name(path, f".unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        except OSError as error:
            raise StoreError(
                f"Kindred could not move the plan file {path} out of the way "
                f"({_system_reason(error, path.parent)}). Nothing was changed.",
                path,
            ) from None
        for backup in _backup_paths(path):
            # A backup that cannot be moved is left in place rather than overwrite anything.
            with contextlib.suppress(OSError):
                _move_without_replacing(backup, target.with_name(target.name + backup.suffix))
        return target

    def _read_tables(self) -> tuple[bytes, dict[str, dict[str, dict]]] | None:
        """The file's bytes and tables to show (None if there is no file). Read-only mode
        takes no lock: it must never create the lock file nor wait for another program, and
        saves are atomic renames, so reading is safe."""
        if self.read_only:
            return self._read_best_available()
        with self._lock(exclusive=False):
            tables, previous = self._load()
        return (previous[0], tables) if previous else None

    @contextlib.contextmanager
    def _changing(self) -> Iterator[tuple[dict, tuple[bytes, os.stat_result] | None]]:
        """Hold the plan exclusively and yield its tables to change, with the file's bytes
        and status as read. Only ``_save_tables`` inside the block saves anything."""
        if self.read_only:
            raise StoreError(
                f"This plan is open read-only, so Kindred cannot save changes to {self.path}.",
                self.path,
            )
        self._refuse_inside_transaction()
        self._this_thread.in_transaction = True
        try:
            with self._lock(exclusive=True):
                self._remove_leftover_temp_files()
                tables, previous = self._load()
                yield tables, previous
        finally:
            self._this_thread.in_transaction = False

    def _save_tables(
        self, tables: dict, previous: tuple[bytes, os.stat_result] | None, *, keep: bool = True
    ) -> None:
        """Save the tables, unless the file holds them already; keep them for the next use."""
        payload = _encode(tables)
        if previous is None or payload != previous[0]:
            self._save(payload, previous)
        if keep:
            self._kept = (payload, tables)

    def _tables_of(self, raw: bytes, *, accept_newer: bool) -> dict[str, dict[str, dict]]:
        """The tables in a file's bytes: those kept from the last read or save if the bytes
        are the same, else decoded afresh."""
        with self._taking_kept:
            kept = self._kept
            if kept is not None and kept[0] == raw:
                self._kept = None
                return kept[1]
        return _decode(raw, accept_newer=accept_newer)

    def _load(self) -> tuple[dict[str, dict[str, dict]], tuple[bytes, os.stat_result] | None]:
        """The tables of the data file (migrated) and its bytes and status as read."""
        try:
            previous = _read_file(self.path)
            tables = self._tables_of(previous[0], accept_newer=False) if previous else {}
        except _Unusable as problem:
            raise self._unreadable(f"The plan file {self.path} {problem}", self.path) from None
        return tables, previous

    def _read_best_available(self) -> tuple[bytes, dict[str, dict[str, dict]]] | None:
        """Read-only: the data file if it is readable, else the newest readable backup, else
        nothing (None, and ``source`` names the data file)."""
        for candidate in [self.path, *self.backups()]:
            with contextlib.suppress(_Unusable):
                found = _read_file(candidate)
                if found:
                    tables = self._tables_of(found[0], accept_newer=True)
                    self.source = candidate
                    return found[0], tables
        self.source = self.path
        return None

    @contextlib.contextmanager
    def _lock(self, *, exclusive: bool) -> Iterator[None]:
        """Hold the lock file's lock, shared for reading or exclusive for changing."""
        lock = self._open_lock(exclusive)
        try:
            _wait_for_lock(lock, exclusive, self.path)
            yield
        finally:
            os.close(lock)  # closing lets go of the lock

    def _open_lock(self, exclusive: bool) -> int:
        try:
            _make_private_folders(self.path.parent)
            return _open_or_create(self._lock_path, _new_file_mode(self.path.parent))
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise self._unreadable(
                    f"The lock file {self._lock_path} is a symbolic link, "
                    "and Kindred will not follow it",
                    self._lock_path,
                ) from None
            reason = _system_reason(error, self.path.parent)
            if exclusive:
                raise SaveFailed(self._save_failed_message(reason), self.path) from None
            raise self._unreadable(
                f"Kindred cannot open the plan file {self.path} for changes: {reason}", self.path
            ) from None

    def _save(self, payload: bytes, previous: tuple[bytes, os.stat_result] | None) -> None:
        """Replace the data file with payload atomically, keeping the old one as .bak1."""
        folder = self.path.parent
        made: list[Path] = []
        try:
            if previous:
                old_bytes, old_status = previous
                mode = stat.S_IMODE(old_status.st_mode) & _GROUP_FILE_MODE
                made.append(self._write_temp(payload, mode, old_status))
                made.append(self._snapshot(old_bytes, mode, old_status))
                self._rotate_backups(made[-1])
            else:
                made.append(self._write_temp(payload, _new_file_mode(folder), None))
            os.replace(made[0], self.path)
        except OSError as error:
            for leftover in made:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
            reason = _system_reason(error, folder)
            raise SaveFailed(self._save_failed_message(reason), self.path) from None
        # The rename is done; a folder that cannot be synced is no reason to report failure.
        with contextlib.suppress(OSError):
            folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                os.fsync(folder_fd)
            finally:
                os.close(folder_fd)

    def _temp_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.{os.urandom(8).hex()}.tmp")

    def _write_temp(self, payload: bytes, mode: int, owner: os.stat_result | None) -> Path:
        """A new hidden file in the data file's folder holding payload, synced to disk,
        belonging to the owner of the file whose status is given (if one is)."""
        temp = self._temp_path()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, mode)
        try:
            if owner:
                # Saving with sudo must not take the plan away from its owner.
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, owner.st_uid, owner.st_gid)
            os.fchmod(fd, mode)
            _write_all(fd, payload)
            os.fsync(fd)
        except BaseException:
            os.unlink(temp)
            raise
        finally:
            os.close(fd)
        return temp

    def _snapshot(self, old_bytes: bytes, mode: int, old_status: os.stat_result) -> Path:
        """A temp file holding the current data file: a hard link, or a copy if links fail."""
        temp = self._temp_path()
        try:
            os.link(self.path, temp, follow_symlinks=False)
        except OSError:
            return self._write_temp(old_bytes, mode, old_status)
        if stat.S_IMODE(old_status.st_mode) != mode:
            # The backup must not stay wider than the new data file; only its owner may narrow it.
            with contextlib.suppress(PermissionError):
                os.chmod(temp, mode)
        return temp

    def _rotate_backups(self, snapshot: Path) -> None:
        backups = _backup_paths(self.path)
        for older in range(len(backups) - 1, 0, -1):
            with contextlib.suppress(FileNotFoundError):
                os.replace(backups[older - 1], backups[older])
        os.replace(snapshot, backups[0])

    def _remove_leftover_temp_files(self) -> None:
        """Delete temp files of saves that crashed; only safe under the exclusive lock."""
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                ours = entry.name.startswith(prefix) and entry.name.endswith(".tmp")
                if ours and not entry.is_dir(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _refuse_inside_transaction(self) -> None:
        if getattr(self._this_thread, "in_transaction", False):
            raise RuntimeError("use the TinyDB given by transaction() inside a transaction")

    def _unreadable(self, problem: str, path: Path) -> UnreadableFile:
        backups = self.backups()
        listing = f"Backups: {_listed(backups)}." if backups else "There are no backups."
        message = f"{problem}. Kindred has not changed it. {listing}"
        return UnreadableFile(message, path, backups)

    def _save_failed_message(self, reason: str) -> str:
        if os.path.lexists(self.path):
            safe = f"Your last saved plan is safe in {self.path}."
        else:
            safe = f"Nothing was written to {self.path}."
        if self.backups():
            safe += f" Older copies: {_listed(self.backups())}."
        return f"Could not save: {reason}. {safe}"


def _listed(paths: list[Path]) -> str:
    return ", ".join(str(path) for path in paths)


def _lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _backup_paths(path: Path) -> list[Path]:
    return [path.with_name(f"{path.name}.bak{n}") for n in range(1, BACKUP_GENERATIONS + 1)]


def _check_table_name(name: str) -> None:
    if not isinstance(name, str):
        raise ValueError(f"table names must be text, not {name!r}")
    if name == _META:
        raise ValueError(f"the table name {_META!r} is reserved for the store")


def _check_doc(doc: dict) -> None:
    if not isinstance(doc, dict):
        raise ValueError(f"a document must be a dict, not {type(doc).__name__}")
    if not isinstance(doc.get("id"), str):
        raise ValueError(f"a document needs a text 'id', got {doc.get('id')!r}")


def _check_changes(doc_id: str, changes: dict) -> None:
    if not isinstance(changes, dict):
        raise ValueError(f"changes must be a dict, not {type(changes).__name__}")
    _check_doc({**changes, "id": doc_id})
    if changes.get("id", doc_id) != doc_id:
        raise ValueError("changes cannot give a document another id")


def _number_of(docs: dict[str, dict], doc_id: str) -> str | None:
    """The number (TinyDB's document id, as text) of the document with this id, if any."""
    for number, doc in docs.items():
        if doc.get("id") == doc_id:
            return number
    return None


def _next_number(docs: dict[str, dict]) -> str:
    """The number TinyDB would give a new document in this table: one more than the highest."""
    return str(max(map(int, docs), default=0) + 1)


def _own_copy(doc: dict) -> dict:
    """A copy sharing nothing with the caller's, holding only what the file will hold
    (tuples become lists, for example), so the store may keep it."""
    return json.loads(json.dumps(doc, allow_nan=False))


def _encode(tables: dict[str, dict[str, dict]]) -> bytes:
    """The whole file's bytes; the same tables always give the same bytes.

    Without indentation (only then does the json module use its fast encoder) nor spaces.
    Characters beyond ASCII are written as \\u escapes, which that encoder writes twice as
    fast (and lone surrogates, which UTF-8 cannot hold, survive unchanged). It does
    not look for documents that contain themselves (which would end in RecursionError): they
    come from JSON or from Kindred's own records, and looking would double the time.
    """
    if _META in tables:
        raise ValueError(f"the table name {_META!r} is reserved for the store")
    data = {_META: {"1": {"schema": SCHEMA_VERSION}}, **tables}
    return json.dumps(
        data, separators=(",", ":"), allow_nan=False, check_circular=False
    ).encode("ascii")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _decode(raw: bytes, *, accept_newer: bool) -> dict:
    """The tables in a file's bytes, migrated to SCHEMA_VERSION, without the meta table."""
    if not raw.strip():
        raise _Unusable("is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unusable("is not readable text (it is not UTF-8)") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise _Unusable(f"is not valid JSON (line {error.lineno}, column {error.colno})") from None
    except (ValueError, RecursionError):
        raise _Unusable("is not valid JSON") from None
    _check_layout(data)
    version = _schema_of(data)
    if version > SCHEMA_VERSION and not accept_newer:
        raise _Unusable(
            f"was written by a newer version of Kindred "
            f"(format {version}; this version reads up to {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version = _schema_of(data)
    data.pop(_META, None)
    return data


def _check_layout(data: object) -> None:
    """TinyDB's layout: an object of tables, each an object of numbered document objects."""
    if not isinstance(data, dict):
        raise _Unusable("does not have the layout of a Kindred plan")
    for name, table in data.items():
        entries_ok = isinstance(table, dict) and all(
            key.isascii() and key.isdigit() and isinstance(doc, dict) for key, doc in table.items()
        )
        if not entries_ok:
            raise _Unusable(f"does not have the layout of a Kindred plan (its part {name!r})")


def _schema_of(data: dict) -> int:
    """The format number in the meta table; a file without one is format 0."""
    if _META not in data:
        return 0
    docs = list(data[_META].values())
    version = docs[0].get("schema") if len(docs) == 1 else None
    if type(version) is not int or version < 0:
        raise _Unusable("does not have the layout of a Kindred plan (its format number)")
    return version


def _add_meta(data: dict) -> dict:
    """Format 0 -> 1: plain TinyDB data gains the meta table recording its format."""
    data[_META] = {"1": {"schema": 1}}
    return data


# Each function turns data of format N (the key) into format N + 1.
_MIGRATIONS = {0: _add_meta}


def _read_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The bytes and status of the file at path, or None if there is none.

    Never follows a symbolic link, and never blocks on a pipe placed at the path.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _Unusable(_open_problem(error)) from None
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise _Unusable("is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise _Unusable("is not an ordinary file")
        with open(fd, "rb", closefd=False) as file:
            return file.read(), status
    except OSError as error:
        raise _Unusable(_open_problem(error)) from None
    finally:
        os.close(fd)


def _open_problem(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "is a symbolic link, and Kindred will not follow it"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be opened: Kindred is not allowed to read it (permission denied)"
    return f"cannot be read ({error.strerror})"


def _system_reason(error: OSError, folder: Path) -> str:
    folder = folder.absolute()
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your share of the disk is used up",
        errno.EROFS: "the disk can only be read, not written to",
        errno.EFBIG: "the plan is larger than this system allows for one file",
        errno.EACCES: f"Kindred is not allowed to write in the folder {folder}",
        errno.EPERM: f"Kindred is not allowed to write in the folder {folder}",
    }
    return reasons.get(error.errno, f"the system reported a problem ({error.strerror})")


def _new_file_mode(folder: Path) -> int:
    """0660 in a group-shared folder (setgid and group-writable), else 0600."""
    mode = os.stat(folder).st_mode
    shared = mode & stat.S_ISGID and mode & stat.S_IWGRP
    return _GROUP_FILE_MODE if shared else _PRIVATE_FILE_MODE


def _make_private_folders(folder: Path) -> None:
    """Create folder and any missing parents as 0700; existing folders are left alone."""
    if folder.is_dir():
        return
    _make_private_folders(folder.parent)
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, _PRIVATE_FOLDER_MODE)
        os.chmod(folder, _PRIVATE_FOLDER_MODE)


def _open_or_create(path: Path, mode: int) -> int:
    """Open path for reading and writing, creating it with exactly mode if it is missing."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return os.open(path, flags)
    os.fchmod(fd, mode)
    return fd


def _wait_for_lock(fd: int, exclusive: bool, path: Path) -> None:
    operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, operation)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
    holders = lock_holders(path)
    who = f" (process {', '.join(map(str, holders))})" if holders else ""
    raise StoreError(
        f"Another program{who} is using the plan file {path} and has not let go of it "
        f"for {_LOCK_WAIT_SECONDS:g} seconds. Nothing was changed. If Kindred is open in "
        "another window, close it there and try again.",
        path,
    )


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _move_to_unused_name(path: Path, suffix: str) -> Path:
    """Rename path to path + suffix (or + suffix-2, -3, ... if taken); return the new name."""
    for attempt in itertools.count(1):
        target = path.with_name(path.name + suffix + ("" if attempt == 1 else f"-{attempt}"))
        with contextlib.suppress(FileExistsError):
            _move_without_replacing(path, target)
            return target


def _move_without_replacing(source: Path, target: Path) -> None:
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
