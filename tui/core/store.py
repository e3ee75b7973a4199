"""The plan file on disk: atomic saves, rotating backups, locking and plain-words errors.

The plan holds private facts about someone else, so the file must never be lost, left
half-written, opened up to other readers or silently replaced. Pure core: no Textual here.

The file's format and the names of the files beside it are plan_file's; how a file is replaced
at once is atomic_file's, and locking file_lock's. Every document carries a string ``"id"``
that is unique in its table; callers make the ids. The store changes the tables itself,
numbering documents as TinyDB does (one more than the highest number in the table).
"""

import contextlib
import errno
import json
import marshal
import os
import shlex
import stat
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from tui.core import atomic_file, file_lock, plan_file
from tui.core.plan import CheckedTables, ValidationError, check_stored
from tui.core.plan_file import META
from tui.core.safe_text import shown_path

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


class LockHeld(StoreError):
    """Another program held the plan for longer than we would wait: nothing was read or
    changed. Store.wait_until_free waits for it to let go."""


def default_data_path() -> Path:
    configured = os.environ.get("KINDRED_DATA")
    if configured:
        return Path(configured).expanduser()
    import platformdirs  # only here: the command-line tools start faster without it

    return Path(platformdirs.user_data_dir("kindred")) / "kindred.json"


def lock_holders(path: Path) -> list[int]:
    """Ids of the processes holding the lock of the plan file at path (empty if unknown)."""
    return file_lock.holders(plan_file.lock_path(Path(path)))


class _TransactionStorage:
    """Holds the plan in memory for one transaction; the Store saves it once at the end.
    TinyDB changes documents where they lie, so it is given copies of them."""

    def __init__(self, tables: dict):
        self.tables = {
            name: {number: dict(doc) for number, doc in docs.items()}
            for name, docs in tables.items()
        }
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

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        clock: Callable[[], datetime] = datetime.now,
        wait_seconds: float | None = None,
    ):
        """Read-only if asked, or if the plan file is write-protected (like 0400): a file
        made read-only on purpose is never changed. The clock gives the local time, which
        names backups and decides which of them are kept. Opening reads the plan, waiting
        for another program's lock up to wait_seconds (by default the usual wait)."""
        self.path = Path(path)
        self._asked_read_only = read_only
        self.clock = clock
        # A plan this user may read but not change (shared read-only), or that its owner made
        # read-only (like 0400), opens read-only.
        self.read_only = (
            read_only or _may_only_read(self.path) or bool(_write_protection(self.path))
        )
        self.source = self.path  # in read-only mode: the file actually read
        self._lock_path = plan_file.lock_path(self.path)
        self._this_thread = threading.local()  # .in_transaction, for each thread
        # The bytes of the file and their tables as last read or saved here: a read or change
        # of the same bytes takes them instead of decoding the bytes again. Never changed:
        # reads are given copies of the documents, changes replace them.
        self._kept: tuple[bytes, dict[str, dict[str, dict]]] | None = None
        self._read_tables(wait_seconds)

    def backups(self) -> list[Path]:
        """Existing backups, newest first."""
        return plan_file.backups(self.path)

    def read(self, *, wait_seconds: float | None = None) -> dict[str, list[dict]]:
        """Every table (except the internal meta); the documents are the caller's to keep.
        CheckedTables, unless the plan was opened read-only by choice: then it is shown as
        well as it can be, values Kindred cannot use included. LockHeld if another program
        holds the plan for longer than wait_seconds (by default the store's usual wait)."""
        self._refuse_inside_transaction()
        found = self._read_tables(wait_seconds)
        tables = _documents(found[1]) if found else {}
        # Only a plan opened read-only by choice is read without checking its values.
        return tables if self._asked_read_only else CheckedTables(tables)

    def insert(self, table: str, doc: dict) -> None:
        _check_table_name(table)
        _check_doc(doc)
        doc = _own_copy(doc)
        with self._changing() as (tables, previous):
            docs = tables.setdefault(table, {})
            if _number_of(docs, doc["id"]) is not None:
                raise ValueError(f"table {table!r} already has a document with id {doc['id']!r}")
            _check_readable_back({table: {"1": doc}})
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
            docs[number] = {**docs[number], **changes}
            _check_readable_back({table: {number: docs[number]}})
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
                number = _next_number(docs)
                docs[number] = {"id": doc_id, **changes}
            else:
                docs[number] = {**docs[number], **changes}
            _check_readable_back({table: {number: docs[number]}})
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

    def replace_all(
        self,
        tables_for: Callable[[dict[str, list[dict]]], dict[str, list[dict]]],
        *,
        keep_previous_as: str = "",
    ) -> Path | None:
        """Replace the whole plan, in one save, with the tables that tables_for gives for the
        plan as it is. It is called holding the plan exclusively, so that nobody changes the
        plan between its look and the save; an exception it raises saves nothing.

        With keep_previous_as (plan_file.BEFORE_IMPORT), the plan file as it was is kept
        under a name saying so until the person removes it, and that name is returned."""
        with self._changing() as (current, previous):
            tables = tables_for(_documents(current))
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
            _check_readable_back(numbered)
            # The documents stay the caller's, so they are not kept for the next read.
            return self._save_tables(numbered, previous, remember=False, kept_as=keep_previous_as)

    @contextlib.contextmanager
    def transaction(self, *, wait_seconds: float | None = None) -> Iterator:
        """Hold the plan exclusively and yield it as a TinyDB to read and change; LockHeld
        if another program holds it for longer than wait_seconds (by default the store's
        usual wait).

        Everything changed in the block is saved at the end in one atomic save; an
        exception inside the block saves nothing. A fresh TinyDB is made each time, so
        no query cache outlives the transaction. What is put into it becomes the plan's:
        give it plain JSON values (dict, list, str, int, float, bool, None) and do not
        change them afterwards.
        """
        from tinydb import TinyDB  # only here: the command-line tools start faster without it

        with self._changing(wait_seconds) as (tables, previous):
            database = TinyDB(tables, storage=_TransactionStorage)
            yield database
            storage = database.storage
            assert isinstance(storage, _TransactionStorage)  # TinyDB made it from that class
            if storage.written:
                _check_readable_back(_changed_documents(storage.tables, tables))
                self._save_tables(storage.tables, previous)

    def wait_until_free(self, seconds: float) -> bool:
        """Wait up to seconds for nobody else to hold the plan; whether nobody does. Takes
        the time it takes: call it off the screen's event loop."""
        try:
            with self._lock(exclusive=True, wait_seconds=seconds):
                return True
        except LockHeld:
            return False

    def stamp(self) -> tuple:
        """A cheap identity of the file on disk that changes whenever it is saved."""
        try:
            info = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return ()
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    @staticmethod
    def set_aside(path: Path, clock: Callable[[], datetime] = datetime.now) -> Path:
        """Rename an unreadable plan file so a fresh one can be made, and return the new name.
        It is kept until the person removes it.

        Its backups go along (as ``<new name>.backup-<time>`` ...), so that saves of the fresh
        plan never thin them out. Nothing is ever overwritten.
        """
        path = Path(path)
        kept = plan_file.kept_path(path, plan_file.SET_ASIDE, clock())
        try:
            target = atomic_file.move_to_unused_name(path, kept)
        except OSError as error:
            raise StoreError(
                f"Kindred could not move the plan file {shown_path(path)} out of the way "
                f"({_system_reason(error, path.parent)}). Nothing was changed.",
                path,
            ) from None
        for backup in plan_file.backups(path):
            # A backup that cannot be moved is left in place rather than overwrite anything.
            with contextlib.suppress(OSError):
                moved = target.with_name(target.name + backup.name[len(path.name) :])
                atomic_file.move_without_replacing(backup, moved)
        return target

    def _read_tables(
        self, wait_seconds: float | None = None
    ) -> tuple[bytes, dict[str, dict[str, dict]]] | None:
        """The file's bytes and tables to show (None if there is no file). Read-only, no lock
        is taken: it must never create the lock file nor wait for another program, and saves
        are atomic renames, so reading is safe. Only a plan opened read-only by choice may be
        shown from a backup."""
        if self._asked_read_only:
            return self._read_best_available()
        if self.read_only:
            tables, previous = self._load()  # saves are atomic renames: no lock is needed
        else:
            with self._lock(exclusive=False, wait_seconds=wait_seconds):
                tables, previous = self._load()
        return (previous[0], tables) if previous else None

    @contextlib.contextmanager
    def _changing(
        self, wait_seconds: float | None = None
    ) -> Iterator[tuple[dict, tuple[bytes, os.stat_result] | None]]:
        """Hold the plan exclusively and yield its tables to change, with the file's bytes
        and status as read. Only ``_save_tables`` inside the block saves anything."""
        if self.read_only:
            protection = "" if self._asked_read_only else _write_protection(self.path)
            why = (
                "This plan is open read-only"
                if self._asked_read_only
                else ("You may read this plan but not change it")
            )
            raise StoreError(
                protection or f"{why}, so Kindred cannot save changes to {shown_path(self.path)}.",
                self.path,
            )
        self._refuse_inside_transaction()
        self._this_thread.in_transaction = True
        try:
            with self._lock(exclusive=True, wait_seconds=wait_seconds):
                protection = _write_protection(self.path)
                if protection:  # made read-only since it was opened
                    raise SaveFailed(protection, self.path)
                atomic_file.remove_leftover_temp_files(self.path)
                tables, previous = self._load()
                # The kept tables are never changed: the change gets its own tables, whose
                # documents it replaces rather than changes.
                yield {name: dict(docs) for name, docs in tables.items()}, previous
        finally:
            self._this_thread.in_transaction = False

    def _save_tables(
        self,
        tables: dict,
        previous: tuple[bytes, os.stat_result] | None,
        *,
        remember: bool = True,
        kept_as: str = "",
    ) -> Path | None:
        """Save the tables, unless the file holds them already; remember them for the next
        use. The file as it was is kept (see _save), and where is returned."""
        payload = plan_file.encode(tables)
        kept = None
        if previous is None or payload != previous[0]:
            kept = self._save(payload, previous, kept_as)
        if remember:
            self._kept = (payload, tables)
        return kept

    def _tables_of(self, raw: bytes, *, viewing_only: bool) -> dict[str, dict[str, dict]]:
        """The tables in a file's bytes: those kept from the last read or save if the bytes
        are the same, else decoded afresh (and kept)."""
        kept = self._kept
        if kept is not None and kept[0] == raw:
            return kept[1]
        tables = plan_file.decode(raw, viewing_only=viewing_only)
        self._kept = (raw, tables)
        return tables

    def _load(self) -> tuple[dict[str, dict[str, dict]], tuple[bytes, os.stat_result] | None]:
        """The tables of the data file (migrated) and its bytes and status as read."""
        try:
            previous = plan_file.read_file(self.path)
            tables = self._tables_of(previous[0], viewing_only=False) if previous else {}
        except plan_file.Unusable as problem:
            problem_found = f"The plan file {shown_path(self.path)} {problem}"
            raise self._unreadable(problem_found, self.path) from None
        return tables, previous

    def _read_best_available(self) -> tuple[bytes, dict[str, dict[str, dict]]] | None:
        """Read-only: the data file if it is readable, else the newest readable backup, else
        nothing (None, and ``source`` names the data file)."""
        for candidate in [self.path, *self.backups()]:
            with contextlib.suppress(plan_file.Unusable):
                found = plan_file.read_file(candidate)
                if found:
                    tables = self._tables_of(found[0], viewing_only=True)
                    self.source = candidate
                    return found[0], tables
        self.source = self.path
        return None

    @contextlib.contextmanager
    def _lock(self, *, exclusive: bool, wait_seconds: float | None = None) -> Iterator[None]:
        """Hold the lock file's lock, shared for reading or exclusive for changing, waiting
        for it up to wait_seconds (by default _LOCK_WAIT_SECONDS)."""
        wait = _LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
        lock = self._open_lock(exclusive)
        try:
            try:
                file_lock.lock(lock, exclusive=exclusive, wait_seconds=wait)
            except file_lock.LockTimeout:
                raise self._held_elsewhere(wait) from None
            yield
        finally:
            os.close(lock)  # closing lets go of the lock

    def _open_lock(self, exclusive: bool) -> int:
        try:
            atomic_file.make_private_folders(self.path.parent)
            mode = atomic_file.new_file_mode(self.path.parent)
            return file_lock.open_lock_file(self._lock_path, mode)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise self._unreadable(
                    f"The lock file {shown_path(self._lock_path)} is a symbolic link, "
                    "and Kindred will not follow it",
                    self._lock_path,
                ) from None
            reason = _system_reason(error, self.path.parent)
            if exclusive:
                raise SaveFailed(self._save_failed_message(reason), self.path) from None
            raise self._unreadable(
                f"Kindred cannot open the plan file {shown_path(self.path)} for changes: {reason}",
                self.path,
            ) from None

    def _save(
        self, payload: bytes, previous: tuple[bytes, os.stat_result] | None, kept_as: str
    ) -> Path | None:
        """Replace the data file with payload atomically. The old one is kept as the newest
        backup, or, with kept_as, under a name saying why until the person removes it; where
        it is kept is returned. Then backups no longer kept are removed."""
        now = self.clock()
        if kept_as:
            keep_previous_as = plan_file.kept_path(self.path, kept_as, now)
        else:
            keep_previous_as = plan_file.backup_path(self.path, now)
        self._adopt_legacy_backups()
        try:
            kept = atomic_file.replace(self.path, payload, previous, keep_previous_as)
        except OSError as error:
            reason = _system_reason(error, self.path.parent)
            raise SaveFailed(self._save_failed_message(reason), self.path) from None
        for backup in plan_file.backups_to_remove(plan_file.dated_backups(self.path), now):
            with contextlib.suppress(OSError):  # a backup left behind does no harm
                os.unlink(backup)
        return kept

    def _adopt_legacy_backups(self) -> None:
        """Give backups named as earlier versions named them (.bak1 ...) the names of this
        one, dated when they were written, so that they are thinned like any other."""
        for legacy in plan_file.legacy_backups(self.path):
            with contextlib.suppress(OSError):  # then it stays as it is
                written = datetime.fromtimestamp(os.lstat(legacy).st_mtime)
                atomic_file.move_to_unused_name(legacy, plan_file.backup_path(self.path, written))

    def _held_elsewhere(self, waited_seconds: float) -> LockHeld:
        holders = lock_holders(self.path)
        who = f" (process {', '.join(map(str, holders))})" if holders else ""
        return LockHeld(
            f"Another program{who} is using the plan file {shown_path(self.path)} and has not "
            f"let go of it for {waited_seconds:g} seconds. Nothing was changed. If Kindred "
            "is open in another window, close it there and try again.",
            self.path,
        )

    def _refuse_inside_transaction(self) -> None:
        if getattr(self._this_thread, "in_transaction", False):
            raise RuntimeError("use the TinyDB given by transaction() inside a transaction")

    def _unreadable(self, problem: str, path: Path) -> UnreadableFile:
        backups = self.backups()
        message = f"{problem}. Kindred has not changed it. {_backups_in_words(backups)}"
        return UnreadableFile(message, path, backups)

    def _save_failed_message(self, reason: str) -> str:
        if os.path.lexists(self.path):
            safe = f"Your last saved plan is safe in {shown_path(self.path)}."
        else:
            safe = f"Nothing was written to {shown_path(self.path)}."
        if self.backups():
            safe += f" {_backups_in_words(self.backups())}"
        return f"Could not save: {reason}. {safe}"


def _may_only_read(path: Path) -> bool:
    """Whether there is a plan file at path that this user may not change: changing needs
    writing in its folder and to its lock file, reading neither."""
    if not os.path.lexists(path):
        return False
    lock = plan_file.lock_path(path)
    may_change = os.access(path.parent, os.W_OK | os.X_OK) and (
        not os.path.lexists(lock) or os.access(lock, os.W_OK, follow_symlinks=False)
    )
    return not may_change


def _write_protection(path: Path) -> str:
    """Why the plan file at path is not to be changed, if its owner made it read-only (it can
    be read, but its mode lets not even its owner write it, like 0400), else ""."""
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    protected = stat.S_ISREG(info.st_mode) and not info.st_mode & stat.S_IWUSR
    if not (protected and os.access(path, os.R_OK)):
        return ""
    mode = stat.S_IMODE(info.st_mode)
    fix = f" To allow changes, run: chmod u+w {shown_path(shlex.quote(str(path)))}"
    return (
        f"The plan file {shown_path(path)} is read-only (mode {mode:04o}), so Kindred does not "
        "change it." + (fix if info.st_uid == os.geteuid() else "")
    )


def _backups_in_words(backups: list[Path]) -> str:
    if not backups:
        return "There are no backups."
    if len(backups) == 1:
        return f"There is a backup: {shown_path(backups[0])}."
    return (
        f"There are {len(backups)} backups beside it, the newest {shown_path(backups[0])} "
        "('kindred doctor' lists them all)."
    )


def _documents(tables: dict[str, dict[str, dict]]) -> dict[str, list[dict]]:
    """The documents of each table, as copies sharing nothing with the tables. (marshal
    copies plain JSON values five times faster than decoding them again.)"""
    return marshal.loads(
        marshal.dumps({name: list(docs.values()) for name, docs in tables.items()})
    )


def _check_table_name(name: str) -> None:
    if not isinstance(name, str):
        raise ValueError(f"table names must be text, not {name!r}")
    if name == META:
        raise ValueError(f"the table name {META!r} is reserved for the store")


def _check_doc(doc: dict) -> None:
    if not isinstance(doc, dict):
        raise ValueError(f"a document must be a dict, not {type(doc).__name__}")
    if not isinstance(doc.get("id"), str):
        raise ValueError(f"a document needs a text 'id', got {doc.get('id')!r}")


def _check_readable_back(tables: dict[str, dict[str, dict]]) -> None:
    """ValueError for a value the plan file could not be read back with (see
    plan_file.decode): nothing is saved that would make the plan unreadable."""
    try:
        check_stored(tables)
    except ValidationError as problem:
        raise ValueError(f"a value Kindred could not read back: {problem}") from None


def _changed_documents(tables: dict[str, dict[str, dict]], before: dict) -> dict:
    """The documents in tables that the tables before did not hold just so, by table."""
    changed = {}
    for name, docs in tables.items():
        docs_before = before.get(name, {})
        changed[name] = {
            number: doc for number, doc in docs.items() if docs_before.get(number) != doc
        }
    return changed


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


def _system_reason(error: OSError, folder: Path) -> str:
    folder = folder.absolute()
    reasons: dict[int | None, str] = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your share of the disk is used up",
        errno.EROFS: "the disk can only be read, not written to",
        errno.EFBIG: "the plan is larger than this system allows for one file",
        errno.EACCES: f"Kindred is not allowed to write in the folder {shown_path(folder)}",
        errno.EPERM: f"Kindred is not allowed to write in the folder {shown_path(folder)}",
    }
    return reasons.get(error.errno, f"the system reported a problem ({error.strerror})")
