"""`kindred doctor`: what a helper needs to know when something is wrong.

Nothing from the plan's content is ever shown, only paths, modes, owners and counts; nothing
is ever created or changed.
"""

import os
import shutil
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from tui import kindred_version
from tui.cli.printing import print_visible
from tui.core import plan_file
from tui.core.guide import ContentError, load_guide
from tui.core.permissions import (
    Finding,
    Folder,
    account,
    check_data_file,
    group_name,
    in_words,
    readers_in_words,
    reason,
    user_name,
    who_can_read,
)
from tui.core.safe_text import shown_path
from tui.core.store import lock_holders


def doctor_command(data_path: Path, content_dir: Path | None) -> int:
    """Print what a helper needs to know; 0 when there is no problem, else 1."""
    path = Path(data_path).absolute()
    findings = check_data_file(path)
    unreadable = _unreadable(path)
    if unreadable:
        findings.append(
            Finding(
                "problem",
                f"Kindred cannot open the plan file {shown_path(path)}: it {unreadable}.",
                "Start Kindred: it offers to show what can be read of it (or else of the newest "
                "backup), or to set the file aside and start again. Nothing is deleted.",
            )
        )
    verdict = _verdict(findings, path)  # about the plan only, not the guide
    content = _content(content_dir)
    if isinstance(content, ContentError):
        findings.append(
            Finding(
                "problem",
                f"The guide cannot be shown: {content}",
                "Leave out --content to use the guide that comes with Kindred."
                if content_dir
                else "Reinstall Kindred.",
            )
        )
        content_line = f"cannot be used: {content}"
    else:
        content_line = content

    lines = [
        f"Kindred {kindred_version()}",
        f"Data file:     {shown_path(path)}",
        *[f"  {line}" for line in _file_facts(path, unreadable)],
        f"  verdict:     {verdict}",
        *_reader_lines(path),
        *_listed("Backups:", plan_file.backups(path), "none yet"),
        *_listed(
            "Kept plans:",
            plan_file.kept_plans(path),
            "none (each plan replaced by an "
            "import, or set aside to start afresh, is kept here until you remove it)",
        ),
        f"Directory:     {_folder_facts(path.parent)}",
        f"Lock holders:  {_lock_facts(path)}",
        f"Terminal:      {_terminal_facts(os.environ)}",
        f"Content:       {content_line}",
        f"Python:        {sys.version.split()[0]}",
        "",
        "Findings:",
    ]
    for finding in findings:
        lines.append(f"  {finding.severity:<8} {finding.message}")
        if finding.fix:
            lines.append(f"  {'':<8} {finding.fix}")
    problems = sum(finding.severity == "problem" for finding in findings)
    warnings = sum(finding.severity == "warning" for finding in findings)
    lines.append("")
    if problems:
        lines.append(f"Found {_count(problems, 'problem')}: see above for how to fix them.")
    elif warnings:
        lines.append(f"No problems found, but see the {_count(warnings, 'warning')} above.")
    else:
        lines.append("No problems found.")
    print_visible("\n".join(lines))
    return 1 if problems else 0


def colour_depth(environ: Mapping[str, str]) -> str:
    """How many colours the terminal shows: truecolor, 256, 16, 8 or none."""
    term = environ.get("TERM", "").strip().lower()
    if environ.get("NO_COLOR"):
        return "none"  # an empty NO_COLOR does not count (no-color.org)
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    if term in ("", "dumb", "unknown"):
        return "none"
    if term.endswith(("256color", "kitty")):
        return "256"
    return "16" if term.endswith("16color") else "8"


def _file_facts(path: Path, unreadable: str) -> list[str]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ["does not exist yet (Kindred makes it at the first save)"]
    except OSError as error:
        return [f"cannot be looked at: {reason(error)}"]
    if stat.S_ISLNK(info.st_mode):
        return ["is a symbolic link (Kindred will not follow it)"]
    if not stat.S_ISREG(info.st_mode):
        return ["is not an ordinary file"]
    backups = len(plan_file.backups(path))
    facts = [
        "exists",
        f"{stat.S_IMODE(info.st_mode):04o}",
        f"owner {_owner(info.st_uid)}",
        f"group {group_name(info.st_gid)}",
        f"{info.st_size:,} bytes",
        _count(backups, "backup") if backups else "no backups",
    ]
    return [", ".join(facts), f"readable:    {f'no, it {unreadable}' if unreadable else 'yes'}"]


def _listed(title: str, paths: list[Path], when_none: str) -> list[str]:
    """Lines naming each of the files beside the plan, with its mode and size."""
    if not paths:
        return [f"{title:<15}{when_none}"]
    lines = []
    for number, path in enumerate(paths):
        try:
            info = os.lstat(path)
            facts = f"{stat.S_IMODE(info.st_mode):04o}, {info.st_size:,} bytes"
        except OSError as error:
            facts = f"cannot be looked at: {reason(error)}"
        lines.append(f"{title if number == 0 else '':<15}{shown_path(path.name)}  {facts}")
    return lines


def _unreadable(path: Path) -> str:
    """Why Kindred cannot open the plan file, as words that follow "it", or "" if it can (or
    if there is no ordinary file to open). Its content is never shown."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return ""  # check_data_file says what is there instead
    except OSError:
        return ""
    return plan_file.problem_with(path)


def _verdict(findings: list[Finding], path: Path) -> str:
    if any(finding.severity == "problem" for finding in findings):
        return "needs attention: see the problems below"
    try:
        return in_words(path, os.lstat(path), Folder.at(path.parent))
    except OSError:
        return "not made yet"


def _reader_lines(path: Path) -> list[str]:
    """Who can read the plan, by name, grouped by why: not a verdict, the names."""
    lines = readers_in_words(who_can_read(path)) or ["nobody: there is no plan file to read"]
    return [f"  {'read by:' if n == 0 else '':<13}{line}" for n, line in enumerate(lines)]


def _folder_facts(folder: Path) -> str:
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return f"{shown_path(folder)}  does not exist yet (Kindred makes it, private 0700)"
    except OSError as error:
        return f"{shown_path(folder)}  cannot be looked at: {reason(error)}"
    facts = f"{shown_path(folder)}  {stat.S_IMODE(info.st_mode):04o}, owner {_owner(info.st_uid)}"
    if Folder.at(folder).shared:
        facts += f", shared with the group {group_name(info.st_gid)}"
    return facts


def _lock_facts(path: Path) -> str:
    holders = []
    for pid in lock_holders(path):
        try:
            holders.append(
                f"process {pid} (another Kindred, run by {_owner(os.stat(f'/proc/{pid}').st_uid)})"
            )
        except OSError:
            holders.append(f"process {pid}")
    return ", ".join(holders) or "none"


def _terminal_facts(environ: Mapping[str, str]) -> str:
    colorterm = environ.get("COLORTERM")
    size = shutil.get_terminal_size()
    return ", ".join(
        [
            f"TERM={environ.get('TERM', '')}" if environ.get("TERM") else "TERM not set",
            f"colours: {colour_depth(environ)} "
            + (f"(COLORTERM={colorterm})" if colorterm else "(COLORTERM not set)"),
            "NO_COLOR set" if environ.get("NO_COLOR") else "NO_COLOR not set",
            f"size {size.columns}x{size.lines}",
        ]
    )


def _content(content_dir: Path | None) -> str | ContentError:
    try:
        guide = load_guide(content_dir)
    except ContentError as error:
        return error
    return f"{shown_path(guide.directory)} ({_count(len(guide.sections), 'section')})"


def _owner(uid: int) -> str:
    return f"you ({user_name(uid)})" if uid == os.geteuid() else account(uid)


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"
