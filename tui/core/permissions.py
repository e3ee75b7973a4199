"""Is the plan private? Checks of the plan file and its folder, and `kindred doctor`.

Like ssh with a private key: the plan file, its folder, lock file and backups must be
yours and closed to others, unless the folder is group-shared (setgid and group-writable,
like 2770): then the group may share the plan, but nobody outside it.

Pure core: no Textual or Rich. Nothing from the plan's content is ever shown, only paths,
modes, owners and counts; nothing is ever created or changed.
"""

import errno
import grp
import json
import os
import pwd
import shlex
import shutil
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tui import kindred_version
from tui.core.guide import ContentError, load_guide
from tui.core.plan_file import BACKUP_GENERATIONS
from tui.core.safe_text import visible
from tui.core.store import lock_holders

Severity = Literal["ok", "warning", "problem"]

_OTHERS = 0o007
_GROUP = 0o070
_WRITE = 0o022
_SHARED_FOLDER = stat.S_ISGID | stat.S_IWGRP


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    fix: str | None = None  # a plain sentence ending in a shell command that narrows access


@dataclass(frozen=True)
class _Folder:
    path: Path
    info: os.stat_result

    @property
    def shared(self) -> bool:
        """Group-shared, like 2770: new files in it belong to its group (as the store does)."""
        return self.info.st_mode & _SHARED_FOLDER == _SHARED_FOLDER

    @property
    def group(self) -> str:
        return _group_name(self.info.st_gid)


def check_data_file(path: Path) -> list[Finding]:
    """Who can read or replace the plan file at path: the file, its folder, lock file and
    backups, in that order. Looks only; never creates or changes anything."""
    path = Path(path).absolute()
    try:
        info = os.stat(path.parent)
    except FileNotFoundError:
        return [
            Finding("ok", f"The plan file {path} will be created, private (0600)."),
            Finding("ok", f"The folder {path.parent} will be created, private (0700)."),
        ]
    except OSError as error:
        return [Finding("problem", f"Kindred cannot look in the folder {path.parent}: "
                                   f"{_reason(error)}.")]
    if not stat.S_ISDIR(info.st_mode):
        return [Finding("problem", f"{path.parent} is not a folder, so the plan cannot be in it.")]
    folder = _Folder(path.parent, info)
    findings = _check_plan_file(path, folder)
    findings += _check_folder(folder, path)
    findings += _check_file(path.with_name(path.name + ".lock"), "the lock file", folder, "warning")
    for backup in _backups(path):
        findings += _check_file(backup, "the backup", folder, "problem")
    for kept in _set_aside(path):
        findings += _check_file(kept, "the set-aside plan", folder, "problem")
    return findings


def summary(findings: list[Finding]) -> str:
    """One line for the app: the first problem (or else warning), or that all is well."""
    for severity in ("problem", "warning"):
        found = [finding for finding in findings if finding.severity == severity]
        if found:
            more = len(found) - 1
            also = f" Also {more} more {severity}{'s' if more > 1 else ''}." if more else ""
            return f"{found[0].message}{also} Run 'kindred doctor' to see how to fix it."
    return findings[0].message if findings else "Nothing to check."


def _check_plan_file(path: Path, folder: _Folder) -> list[Finding]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        how = f"shared with the group {folder.group} (0660)" if folder.shared else "private (0600)"
        return [Finding("ok", f"The plan file {path} will be created, {how}.")]
    except OSError:
        info = None  # _check_file says why
    findings = _check_file(path, "the plan file", folder, "problem")
    if findings or info is None:
        return findings
    mode = stat.S_IMODE(info.st_mode)
    return [Finding("ok", f"The plan file {path} is {_readers(info, folder)} (mode {mode:04o}).")]


def _readers(info: os.stat_result, folder: _Folder) -> str:
    """Who can read a plan file that has no problems, in words."""
    if folder.shared and info.st_mode & _GROUP:
        return f"shared with the group {folder.group}"
    if info.st_uid == os.geteuid():
        return "private: only you can read it"
    return f"private: only its owner, {_user_name(info.st_uid)}, can read it"


def _check_file(path: Path, what: str, folder: _Folder, severity: Severity) -> list[Finding]:
    """What is wrong with one file (nothing if it is missing), at most one finding each for
    its kind, owner and mode; `severity` is how much a wrong owner or mode matters."""
    quoted = shlex.quote(str(path))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return []
    except OSError as error:
        return [Finding("problem", f"Kindred cannot look at {what} {path}: {_reason(error)}.")]
    if stat.S_ISLNK(info.st_mode):
        return [Finding(
            "problem",
            f"{_cap(what)} {path} is a symbolic link. Kindred will not follow it: "
            "it could lead the plan to a place others can read.",
            f"See where it points, then put the real file in its place: ls -l {quoted}",
        )]
    if not stat.S_ISREG(info.st_mode):
        return [Finding("problem", f"{_cap(what)} {path} is not an ordinary file.")]

    findings = []
    if info.st_uid != os.geteuid() and not (
        folder.shared and _in_group(info.st_uid, folder.info.st_gid)
    ):
        outside = f", outside the group {folder.group}" if folder.shared else ""
        findings.append(Finding(
            severity,
            f"{_cap(what)} {path} is owned by {_account(info.st_uid)}{outside}. "
            "That account can read it, whatever its mode.",
            f"If it is yours, an administrator can give it back to you: "
            f"sudo chown {shlex.quote(_user_name(os.geteuid()))} {quoted}",
        ))

    mode = stat.S_IMODE(info.st_mode)
    described = f"{what} {path} (mode {mode:04o})"
    if folder.shared and mode & _OTHERS:
        findings.append(Finding(
            "problem",
            f"People outside the group {folder.group} can {_can(mode)} {described}.",
            f"To close it to them, run: chmod o-rwx {quoted}",
        ))
    elif folder.shared and mode & _GROUP and info.st_gid != folder.info.st_gid:
        findings.append(Finding(
            "problem",
            f"The group {_group_name(info.st_gid)} can {_can(mode >> 3)} {described}, "
            f"but the plan is shared with the group {folder.group}.",
            f"To make it private, run: chmod 600 {quoted}",
        ))
    elif not folder.shared and mode & (_GROUP | _OTHERS):
        if mode & _OTHERS:
            who, bits = "Anyone with an account on this computer", mode
        else:
            who, bits = f"People in the group {_group_name(info.st_gid)}", mode >> 3
        findings.append(Finding(
            severity,
            f"{who} can {_can(bits)} {described}.",
            f"To make it private, run: chmod 600 {quoted}",
        ))
    return findings


def _check_folder(folder: _Folder, plan: Path) -> list[Finding]:
    mode = stat.S_IMODE(folder.info.st_mode)
    described = f"the folder {folder.path} (mode {mode:04o})"
    quoted = shlex.quote(str(folder.path))
    if folder.shared:
        look = "add, rename or delete files in" if mode & 0o002 else "look into"
        if mode & _OTHERS:
            return [Finding(
                "problem",
                f"People outside the group {folder.group} can {look} {described}.",
                f"To close it to them, run: chmod o-rwx {quoted}",
            )]
        return [Finding("ok", f"The folder {folder.path} is shared with the group "
                              f"{folder.group} only (mode {mode:04o}).")]
    if folder.info.st_uid != os.geteuid():
        return [Finding(
            "problem",
            f"The folder {folder.path} belongs to {_account(folder.info.st_uid)}, "
            "which can remove or replace the plan in it.",
            "Keep the plan in a private folder of your own, for example: "
            f"mkdir -m 700 -p ~/.kindred && mv {shlex.quote(str(plan))}* ~/.kindred/ "
            f"&& kindred --data ~/.kindred/{shlex.quote(plan.name)}",
        )]
    look = "add, rename or delete files in" if mode & _WRITE else "look into"
    if mode & _WRITE:
        return [Finding(
            "problem",
            f"People other than you can {look} {described}, so they could replace the plan.",
            f"To make it private, run: chmod 700 {quoted}",
        )]
    if mode & (_GROUP | _OTHERS):
        return [Finding(
            "warning",
            f"People other than you can {look} {described}. They cannot read a private "
            "plan, but they can see that it is there.",
            f"To make it private, run: chmod 700 {quoted}",
        )]
    return [Finding("ok", f"The folder {folder.path} is private (mode {mode:04o}).")]


def _backups(path: Path) -> list[Path]:
    return [path.with_name(f"{path.name}.bak{n}") for n in range(1, BACKUP_GENERATIONS + 1)]


def _set_aside(path: Path) -> list[Path]:
    """Unreadable plans the app set aside (``<name>.unreadable-<time>``) and their backups."""
    prefix = f"{path.name}.unreadable-"
    try:
        with os.scandir(path.parent) as entries:
            return sorted(path.parent / e.name for e in entries if e.name.startswith(prefix))
    except OSError:
        return []


def _can(bits: int) -> str:
    """What the lowest three permission bits allow, in words."""
    if bits & 0o4 and bits & 0o2:
        return "read and change"
    if bits & 0o4:
        return "read"
    return "change" if bits & 0o2 else "open"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _account(uid: int) -> str:
    name = _user_name(uid)
    known = f"{name}, " if name != str(uid) else ""
    return f"another account ({known}uid {uid})"


def _in_group(uid: int, gid: int) -> bool:
    try:
        user = pwd.getpwuid(uid)
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    return user.pw_gid == gid or user.pw_name in group.gr_mem


# --- kindred doctor ---------------------------------------------------------------------


def doctor_command(data_path: Path, content_dir: Path | None) -> int:
    """Print what a helper needs to know; 0 when there is no problem, else 1."""
    path = Path(data_path).absolute()
    findings = check_data_file(path)
    unreadable = _unreadable(path)
    if unreadable:
        findings.append(Finding(
            "problem",
            f"Kindred cannot open the plan file {path}: it {unreadable}.",
            "Start Kindred: it offers to show the newest backup, or to set the file aside "
            "and start again. Nothing is deleted.",
        ))
    verdict = _verdict(findings, path)  # about the plan only, not the guide
    content = _content(content_dir)
    if isinstance(content, ContentError):
        findings.append(Finding(
            "problem",
            f"The guide cannot be shown: {content}",
            "Leave out --content to use the guide that comes with Kindred."
            if content_dir else "Reinstall Kindred.",
        ))
        content_line = f"cannot be used: {content}"
    else:
        content_line = content

    lines = [
        f"Kindred {kindred_version()}",
        f"Data file:     {path}",
        *[f"  {line}" for line in _file_facts(path, unreadable)],
        f"  verdict:     {verdict}",
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
    _print("\n".join(lines))
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
        return [f"cannot be looked at: {_reason(error)}"]
    if stat.S_ISLNK(info.st_mode):
        return ["is a symbolic link (Kindred will not follow it)"]
    if not stat.S_ISREG(info.st_mode):
        return ["is not an ordinary file"]
    backups = sum(os.path.lexists(backup) for backup in _backups(path))
    facts = [
        "exists",
        f"{stat.S_IMODE(info.st_mode):04o}",
        f"owner {_owner(info.st_uid)}",
        f"group {_group_name(info.st_gid)}",
        f"{info.st_size:,} bytes",
        _count(backups, "backup") if backups else "no backups",
    ]
    return [", ".join(facts), f"readable JSON: {f'no, it {unreadable}' if unreadable else 'yes'}"]


def _unreadable(path: Path) -> str:
    """Why the plan file is not readable JSON, as words that follow "it", or "" if it is (or
    if there is no ordinary file to read). Its content is never shown."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return ""
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as file:
            raw = file.read()
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"cannot be read ({_reason(error)})"
    if not raw.strip():
        return "is empty"
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        return f"is not valid JSON (line {error.lineno}, column {error.colno})"
    except (ValueError, RecursionError):
        return "is not valid JSON"
    return "" if isinstance(data, dict) else "is not laid out like a Kindred plan"


def _verdict(findings: list[Finding], path: Path) -> str:
    if any(finding.severity == "problem" for finding in findings):
        return "needs attention: see the problems below"
    try:
        return _readers(os.lstat(path), _Folder(path.parent, os.stat(path.parent)))
    except OSError:
        return "not made yet"


def _folder_facts(folder: Path) -> str:
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return f"{folder}  does not exist yet (Kindred makes it, private 0700)"
    except OSError as error:
        return f"{folder}  cannot be looked at: {_reason(error)}"
    facts = f"{folder}  {stat.S_IMODE(info.st_mode):04o}, owner {_owner(info.st_uid)}"
    if _Folder(folder, info).shared:
        facts += f", shared with the group {_group_name(info.st_gid)}"
    return facts


def _lock_facts(path: Path) -> str:
    holders = []
    for pid in lock_holders(path):
        try:
            holders.append(f"process {pid} (another Kindred, run by "
                           f"{_owner(os.stat(f'/proc/{pid}').st_uid)})")
        except OSError:
            holders.append(f"process {pid}")
    return ", ".join(holders) or "none"


def _terminal_facts(environ: Mapping[str, str]) -> str:
    colorterm = environ.get("COLORTERM")
    size = shutil.get_terminal_size()
    return ", ".join([
        f"TERM={environ.get('TERM', '')}" if environ.get("TERM") else "TERM not set",
        f"colours: {colour_depth(environ)} "
        + (f"(COLORTERM={colorterm})" if colorterm else "(COLORTERM not set)"),
        "NO_COLOR set" if environ.get("NO_COLOR") else "NO_COLOR not set",
        f"size {size.columns}x{size.lines}",
    ])


def _content(content_dir: Path | None) -> str | ContentError:
    try:
        guide = load_guide(content_dir)
    except ContentError as error:
        return error
    return f"{guide.directory} ({_count(len(guide.sections), 'section')})"


def _owner(uid: int) -> str:
    return f"you ({_user_name(uid)})" if uid == os.geteuid() else _account(uid)


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"



def _print(text: str) -> None:
    """Print with control characters made visible, and never fail on the terminal's encoding."""
    encoding = sys.stdout.encoding or "utf-8"
    print(visible(text).encode(encoding, "replace").decode(encoding))
