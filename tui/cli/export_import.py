"""`kindred export` and `kindred import`: the plan out to Markdown, JSON, a printable HTML page
or a calendar file, and in from JSON."""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from tui.core.countries import country_from_locale, load_countries
from tui.core.history import (
    HISTORY_TABLE,
    account_name,
    history_of,
    now_in_utc,
    with_import_noted,
)
from tui.core.interchange import (
    PLAN_TABLES,
    plan_document,
    plan_json,
    read_document,
    tables_from_document,
)
from tui.core.markdown_export import plan_markdown
from tui.core.permissions import check_data_file, summary
from tui.core.plan import ValidationError, counted
from tui.core.plan_file import BEFORE_IMPORT
from tui.core.private_file import is_ordinary_or_missing, write_private_file
from tui.core.safe_text import shown_path, visible
from tui.core.store import Store, StoreError


def export_command(data_path: Path, fmt: str, output: Path | None) -> int:
    """Print the plan (as md, json, html or ics) or write it to a private file; the exit
    status."""
    if output is not None:
        try:
            write_export(data_path, fmt, output)
        except ExportProblem as problem:
            return _fail(problem.message)
        _warn_if_others_can_see(data_path)
        print(f"Wrote the plan to {shown_path(output)} (only you can read it).", file=sys.stderr)
        return 0
    try:
        tables = _tables_at(data_path)
    except StoreError as error:
        return _fail(error.message)
    _warn_if_others_can_see(data_path)
    sys.stdout.flush()
    sys.stdout.buffer.write(_exported(tables, fmt))
    sys.stdout.buffer.flush()
    return 0


class ExportProblem(Exception):
    """Why an export was not written, in plain words; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def write_export(data_path: Path, fmt: str, output: Path) -> None:
    """Write the plan (as md, json, html or ics) to a file that only its owner can read: the
    one way both `kindred export -o` and the app write an export. A file already at output
    is replaced; ExportProblem says why nothing was written."""
    try:
        tables = _tables_at(data_path)
    except StoreError as error:
        raise ExportProblem(error.message) from None
    refusal = output_refusal(output, data_path)
    if refusal:
        raise ExportProblem(f"{refusal} Nothing was written.")
    try:
        write_private_file(output, _exported(tables, fmt))
    except OSError as error:
        raise ExportProblem(
            f"Could not write {shown_path(output)}: {_write_problem(error, output)}. "
            "Nothing was written."
        ) from None


def import_command(data_path: Path, file: Path, *, replace: bool) -> int:
    """Load the plan in a JSON file into the plan file; the exit status."""
    try:
        tables = tables_from_document(read_document(file), country_from_locale(os.environ) or "")
    except ValidationError as error:
        return _fail(f"Cannot import {shown_path(file)}: {error} Nothing was changed.")

    def imported_into(existing: dict[str, list[dict]]) -> dict[str, list[dict]]:
        if not replace and _holds_a_plan(existing):
            raise _NotEmpty
        others = {name: rows for name, rows in existing.items() if name not in PLAN_TABLES}
        entries = history_of(tables if HISTORY_TABLE in tables else existing)
        noted = with_import_noted(entries, account_name(), now_in_utc())
        return {**others, **tables, HISTORY_TABLE: noted}

    try:
        store = Store(data_path)
        kept = store.replace_all(imported_into, keep_previous_as=BEFORE_IMPORT if replace else "")
    except _NotEmpty:
        return _fail(
            f"There is already a plan in {shown_path(store.path)}. To replace it with the plan "
            f"in {shown_path(file)}, run the import again with --replace; the current plan "
            "will be kept beside it until you remove it. Nothing was changed."
        )
    except StoreError as error:
        return _fail(error.message)
    _warn_if_others_can_see(data_path)
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


def _exported(tables: dict[str, list[dict]], fmt: str) -> bytes:
    """The plan in the format asked for; the HTML and calendar modules load only for them."""
    if fmt == "json":
        return _encoded(plan_json(tables))
    if fmt == "html":
        from tui.core.html_export import plan_html

        return _encoded(plan_html(tables, _shipped_countries()))
    if fmt == "ics":
        from tui.core.calendar_export import plan_calendar

        return plan_calendar(tables, datetime.now(UTC))
    return _encoded(plan_markdown(tables, _shipped_countries()))


class _NotEmpty(Exception):
    """The plan file holds a plan already, and the import was not asked to replace it."""


def _tables_at(data_path: Path) -> dict[str, list[dict]]:
    """The plan's tables, or an empty plan if there is no plan file (without making one)."""
    try:
        os.lstat(data_path)
    except FileNotFoundError:
        return {}
    except PermissionError:
        raise StoreError(
            f"The plan file {shown_path(data_path)} cannot be opened: Kindred is not allowed "
            "to look in its folder (permission denied).",
            data_path,
        ) from None
    except OSError:
        pass  # the store explains what is wrong
    return Store(data_path).read()


def _warn_if_others_can_see(data_path: Path) -> None:
    """Say, as the app does at start, when people the plan is not shared with could see it."""
    findings = check_data_file(data_path)
    if any(finding.severity != "ok" for finding in findings):
        print(f"kindred: warning: {visible(summary(findings))}", file=sys.stderr)


def output_refusal(output: Path, data_path: Path) -> str:
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


def _holds_a_plan(tables: dict[str, list[dict]]) -> bool:
    """Whether there is anything to lose; a country alone (a new plan's) is not."""
    plan = plan_document(tables)["plan"]
    return {**plan, "country": ""} != plan_document({})["plan"]


def _shipped_countries() -> dict:
    """The countries of the guide shipped with Kindred; none if they cannot be read (the
    export then names the country without its numbers, rather than fail)."""
    from tui.core.guide import ContentError, default_content_dir

    try:
        return load_countries(default_content_dir()) or {}
    except ContentError:
        return {}
