"""`kindred export` and `kindred import`: the plan out to Markdown or JSON, and in from JSON."""

import os
import sys
from pathlib import Path

from tui.core.interchange import (
    PLAN_TABLES,
    plan_document,
    plan_json,
    read_document,
    tables_from_document,
)
from tui.core.markdown_export import plan_markdown
from tui.core.plan import ValidationError, counted
from tui.core.plan_file import BEFORE_IMPORT
from tui.core.private_file import is_ordinary_or_missing, write_private_file
from tui.core.safe_text import shown_path
from tui.core.store import Store, StoreError


def export_command(data_path: Path, fmt: str, output: Path | None) -> int:
    """Print the plan (Markdown, or JSON) or write it to a private file; the exit status."""
    try:
        tables = _tables_at(data_path)
    except StoreError as error:
        return _fail(error.message)
    text = plan_json(tables) if fmt == "json" else plan_markdown(tables)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(_encoded(text))
        sys.stdout.buffer.flush()
        return 0
    refusal = _output_refusal(output, data_path)
    if refusal:
        return _fail(f"{refusal} Nothing was written.")
    try:
        write_private_file(output, _encoded(text))
    except OSError as error:
        return _fail(
            f"Could not write {shown_path(output)}: {_write_problem(error, output)}. "
            "Nothing was written."
        )
    print(f"Wrote the plan to {shown_path(output)} (only you can read it).", file=sys.stderr)
    return 0


def import_command(data_path: Path, file: Path, *, replace: bool) -> int:
    """Load the plan in a JSON file into the plan file; the exit status."""
    try:
        tables = tables_from_document(read_document(file))
    except ValidationError as error:
        return _fail(f"Cannot import {shown_path(file)}: {error} Nothing was changed.")
    def imported_into(existing: dict[str, list[dict]]) -> dict[str, list[dict]]:
        if not replace and plan_document(existing) != plan_document({}):
            raise _NotEmpty
        others = {name: rows for name, rows in existing.items() if name not in PLAN_TABLES}
        return {**others, **tables}

    try:
        store = Store(data_path)
        kept = store.replace_all(
            imported_into, keep_previous_as=BEFORE_IMPORT if replace else ""
        )
    except _NotEmpty:
        return _fail(
            f"There is already a plan in {shown_path(store.path)}. To replace it with the plan "
            f"in {shown_path(file)}, run the import again with --replace; the current plan "
            "will be kept beside it until you remove it. Nothing was changed."
        )
    except StoreError as error:
        return _fail(error.message)
    title = tables["plan"][0]["title"]
    title = f' "{title}"' if title else ""
    summary = (
        f"Imported the plan{title}: {counted(len(tables['people']), 'person', 'people')}, "
        f"{counted(len(tables['treatments']), 'treatment option', 'treatment options')}."
    )
    if kept:
        summary += f" The plan it replaced is kept, until you remove it, in {shown_path(kept)}."
    print(summary, file=sys.stderr)
    return 0


class _NotEmpty(Exception):
    """The plan file holds a plan already, and the import was not asked to replace it."""


def _tables_at(data_path: Path) -> dict[str, list[dict]]:
    """The plan's tables, or an empty plan if there is no plan file (without making one)."""
    try:
        os.lstat(data_path)
    except FileNotFoundError:
        return {}
    except OSError:
        pass  # the store explains what is wrong
    return Store(data_path).read()


def _output_refusal(output: Path, data_path: Path) -> str:
    """Why the export must not be written at output, or "" if it may: only an ordinary file
    or a new name may be written, and never the plan file."""
    if os.path.islink(output):
        return f"{shown_path(output)} is a symbolic link, and Kindred will not write through it."
    if os.path.isdir(output):
        return f"{shown_path(output)} is a folder; give the name of a file to write."
    if not is_ordinary_or_missing(output):
        return (
            f"{shown_path(output)} is not an ordinary file, and Kindred writes the plan only to an "
            "ordinary file or a new name."
        )
    if os.path.abspath(output) == os.path.abspath(data_path) or (
        os.path.exists(output) and os.path.exists(data_path) and os.path.samefile(output, data_path)
    ):
        return f"{shown_path(output)} is the plan file itself; choose another name for the export."
    return ""


def _write_problem(error: OSError, path: Path) -> str:
    folder = path.parent
    if isinstance(error, FileNotFoundError):
        return f"the folder {shown_path(folder)} does not exist"
    if isinstance(error, PermissionError):
        return f"Kindred is not allowed to write in the folder {shown_path(folder)}"
    return error.strerror or str(error)


def _encoded(text: str) -> bytes:
    # UTF-8 whatever the locale; a lone surrogate, which UTF-8 cannot hold, comes out as its
    # JSON escape (\udc80) instead of stopping the export.
    return text.encode("utf-8", "backslashreplace")


def _fail(message: str) -> int:
    print(f"kindred: {message}", file=sys.stderr)
    return 1
