"""Is the plan private? Checks of the plan file and its folder, at start-up and for the doctor.

Like ssh with a private key: the plan file, its folder, lock file and backups must be
yours and closed to others, unless the folder is group-shared (setgid and group-writable,
like 2770): then the group may share the plan, but nobody outside it.

Pure core: no Textual or Rich. Nothing from the plan's content is ever shown, only paths,
modes, owners and counts; nothing is ever created or changed.
"""

import errno
import grp
import os
import pwd
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tui.core import plan_file
from tui.core.safe_text import shown_path

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
class Folder:
    path: Path
    info: os.stat_result

    @property
    def shared(self) -> bool:
        """Group-shared, like 2770: new files in it belong to its group (as the store does)."""
        return self.info.st_mode & _SHARED_FOLDER == _SHARED_FOLDER

    @property
    def group(self) -> str:
        return group_name(self.info.st_gid)


def check_data_file(path: Path) -> list[Finding]:
    """Who can read or replace the plan file at path: the file, its folder, lock file and
    backups, in that order. Looks only; never creates or changes anything."""
    path = Path(path).absolute()
    try:
        info = os.stat(path.parent)
    except FileNotFoundError:
        return [
            Finding("ok", f"The plan file {shown_path(path)} will be created, private (0600)."),
            Finding(
                "ok", f"The folder {shown_path(path.parent)} will be created, private (0700)."
            ),
        ]
    except OSError as error:
        return [Finding("problem", f"Kindred cannot look in the folder {shown_path(path.parent)}: "
                                   f"{reason(error)}.")]
    if not stat.S_ISDIR(info.st_mode):
        return [Finding(
            "problem", f"{shown_path(path.parent)} is not a folder, so the plan cannot be in it."
        )]
    folder = Folder(path.parent, info)
    findings = _check_plan_file(path, folder)
    findings += _check_folder(folder, path)
    findings += _check_file(plan_file.lock_path(path), "the lock file", folder, "warning")
    for backup in plan_file.backups(path):
        findings += _check_file(backup, "the backup", folder, "problem")
    for kept in plan_file.kept_plans(path):
        findings += _check_file(kept, "the kept plan", folder, "problem")
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


def _check_plan_file(path: Path, folder: Folder) -> list[Finding]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        how = f"shared with the group {folder.group} (0660)" if folder.shared else "private (0600)"
        return [Finding("ok", f"The plan file {shown_path(path)} will be created, {how}.")]
    except OSError:
        info = None  # _check_file says why
    findings = _check_file(path, "the plan file", folder, "problem")
    if findings or info is None:
        return findings
    mode = stat.S_IMODE(info.st_mode)
    return [Finding(
        "ok", f"The plan file {shown_path(path)} is {readers(info, folder)} (mode {mode:04o})."
    )]


def readers(info: os.stat_result, folder: Folder) -> str:
    """Who can read a plan file that has no problems, in words."""
    if folder.shared and info.st_mode & _GROUP:
        return f"shared with the group {folder.group}"
    if info.st_uid == os.geteuid():
        return "private: only you can read it"
    return f"private: only its owner, {user_name(info.st_uid)}, can read it"


def _check_file(path: Path, what: str, folder: Folder, severity: Severity) -> list[Finding]:
    """What is wrong with one file (nothing if it is missing), at most one finding each for
    its kind, owner and mode; `severity` is how much a wrong owner or mode matters."""
    shown, quoted = shown_path(path), _quoted(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return []
    except OSError as error:
        return [Finding("problem", f"Kindred cannot look at {what} {shown}: {reason(error)}.")]
    if stat.S_ISLNK(info.st_mode):
        return [Finding(
            "problem",
            f"{_cap(what)} {shown} is a symbolic link. Kindred will not follow it: "
            "it could lead the plan to a place others can read.",
            f"See where it points, then put the real file in its place: ls -l {quoted}",
        )]
    if not stat.S_ISREG(info.st_mode):
        return [Finding("problem", f"{_cap(what)} {shown} is not an ordinary file.")]

    findings = []
    if info.st_uid != os.geteuid() and not (
        folder.shared and _in_group(info.st_uid, folder.info.st_gid)
    ):
        outside = f", outside the group {folder.group}" if folder.shared else ""
        findings.append(Finding(
            severity,
            f"{_cap(what)} {shown} is owned by {account(info.st_uid)}{outside}. "
            "That account can read it, whatever its mode.",
            f"If it is yours, an administrator can give it back to you: "
            f"sudo chown {shlex.quote(user_name(os.geteuid()))} {quoted}",
        ))

    mode = stat.S_IMODE(info.st_mode)
    described = f"{what} {shown} (mode {mode:04o})"
    if folder.shared and mode & _OTHERS:
        findings.append(Finding(
            "problem",
            f"People outside the group {folder.group} can {_can(mode)} {described}.",
            f"To close it to them, run: chmod o-rwx {quoted}",
        ))
    elif folder.shared and mode & _GROUP and info.st_gid != folder.info.st_gid:
        findings.append(Finding(
            "problem",
            f"The group {group_name(info.st_gid)} can {_can(mode >> 3)} {described}, "
            f"but the plan is shared with the group {folder.group}.",
            f"To make it private, run: chmod 600 {quoted}",
        ))
    elif not folder.shared and mode & (_GROUP | _OTHERS):
        if mode & _OTHERS:
            who, bits = "Anyone with an account on this computer", mode
        else:
            who, bits = f"People in the group {group_name(info.st_gid)}", mode >> 3
        findings.append(Finding(
            severity,
            f"{who} can {_can(bits)} {described}.",
            f"To make it private, run: chmod 600 {quoted}",
        ))
    return findings


def _check_folder(folder: Folder, plan: Path) -> list[Finding]:
    mode = stat.S_IMODE(folder.info.st_mode)
    shown, quoted = shown_path(folder.path), _quoted(folder.path)
    described = f"the folder {shown} (mode {mode:04o})"
    if folder.shared:
        look = "add, rename or delete files in" if mode & 0o002 else "look into"
        if mode & _OTHERS:
            return [Finding(
                "problem",
                f"People outside the group {folder.group} can {look} {described}.",
                f"To close it to them, run: chmod o-rwx {quoted}",
            )]
        return [Finding("ok", f"The folder {shown} is shared with the group "
                              f"{folder.group} only (mode {mode:04o}).")]
    if folder.info.st_uid != os.geteuid():
        return [Finding(
            "problem",
            f"The folder {shown} belongs to {account(folder.info.st_uid)}, "
            "which can remove or replace the plan in it.",
            "Keep the plan in a private folder of your own, for example: "
            f"mkdir -m 700 -p ~/.kindred && mv {_quoted(plan)}* ~/.kindred/ "
            f"&& kindred --data ~/.kindred/{_quoted(plan.name)}",
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
    return [Finding("ok", f"The folder {shown} is private (mode {mode:04o}).")]


def _quoted(path: Path | str) -> str:
    """A path as it is typed in a shell command, and shown."""
    return shown_path(shlex.quote(str(path)))


def _can(bits: int) -> str:
    """What the lowest three permission bits allow, in words."""
    if bits & 0o4 and bits & 0o2:
        return "read and change"
    if bits & 0o4:
        return "read"
    return "change" if bits & 0o2 else "open"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def account(uid: int) -> str:
    name = user_name(uid)
    known = f"{name}, " if name != str(uid) else ""
    return f"another account ({known}uid {uid})"


def _in_group(uid: int, gid: int) -> bool:
    try:
        user = pwd.getpwuid(uid)
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    return user.pw_gid == gid or user.pw_name in group.gr_mem
