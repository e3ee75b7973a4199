"""Is the plan private? Checks of the plan file and its folder, at start-up and for the doctor,
and who can read the plan, by name.

Like ssh with a private key: the plan file, its folder, lock file and backups must be
yours and closed to others, unless the plan is shared: with a group, when the folder is
group-shared (setgid and group-writable, like 2770), or with people by name, when the folder's
access control list names them (as `kindred share` does). Then those may use the plan, but
nobody else.

Pure core: no Textual or Rich, and quick to load (the export and import commands check too).
Nothing from the plan's content is ever shown, only paths, modes, owners and names; nothing is
ever created or changed.
"""

import errno
import grp
import os
import pwd
import shlex
import stat
from collections import namedtuple
from pathlib import Path

from tui.core import acl, plan_file
from tui.core.acl import EXECUTE, GROUP_OBJ, READ, WRITE
from tui.core.safe_text import shown_path, visible

# The groups whose members may become root (sudo) on common systems.
ADMINISTRATOR_GROUPS = ("sudo", "wheel", "admin")
ADMINISTRATOR = "an administrator, who can read and change every file on this computer"

_OTHERS = 0o007
_WRITE = 0o022
_SHARED_FOLDER = stat.S_ISGID | stat.S_IWGRP
_READ_AND_CHANGE = READ | WRITE


class Finding(namedtuple("Finding", "severity message fix", defaults=(None,))):
    """What the check found: severity is "ok", "warning" or "problem"; fix, if any, is a plain
    sentence ending in a shell command that narrows access."""

    __slots__ = ()


class Folder(namedtuple("Folder", "path info access")):
    """The plan's folder, its status and its access control list (or its mode as one)."""

    __slots__ = ()

    @classmethod
    def at(cls, path: Path) -> "Folder":
        info = os.stat(path)
        return cls(path, info, acl.access_list(Path(os.path.realpath(path)), info.st_mode))

    @property
    def shared(self) -> bool:
        """Group-shared, like 2770: new files in it belong to its group (as the store does)."""
        return self.info.st_mode & _SHARED_FOLDER == _SHARED_FOLDER

    @property
    def group(self) -> str:
        return group_name(self.info.st_gid)

    @property
    def people(self) -> dict[int, int]:
        """Who the folder's owner shares the plan with by name, and how: READ | WRITE for
        those who may change it (they may add and replace files here), READ for the others."""
        return {
            uid: _READ_AND_CHANGE if perm & (WRITE | EXECUTE) == WRITE | EXECUTE else READ
            for uid, perm in self.access.users().items()
            if perm & EXECUTE and uid != self.info.st_uid
        }

    def allowed(self, uid: int) -> int:
        """What a person may do with the plan's files here: its owner and those who may
        change the plan read and change them, people it is shared with read-only read them."""
        return _READ_AND_CHANGE if uid == self.info.st_uid else self.people.get(uid, 0)


class Person(namedtuple("Person", "name why can_change")):
    """Someone who can read the plan: an account name (or "everyone"), why they can, in
    words, and whether they can change it too."""

    __slots__ = ()


def check_data_file(path: Path) -> list[Finding]:
    """Who can read or replace the plan file at path: the file, its folder, lock file and
    backups, in that order. Looks only; never creates or changes anything."""
    path = Path(path).absolute()
    try:
        folder = Folder.at(path.parent)
    except FileNotFoundError:
        return [
            Finding("ok", f"The plan file {shown_path(path)} will be created, private (0600)."),
            Finding("ok", f"The folder {shown_path(path.parent)} will be created, private (0700)."),
        ]
    except OSError as error:
        return [
            Finding(
                "problem",
                f"Kindred cannot look in the folder {shown_path(path.parent)}: {reason(error)}.",
            )
        ]
    if not stat.S_ISDIR(folder.info.st_mode):
        return [
            Finding(
                "problem",
                f"{shown_path(path.parent)} is not a folder, so the plan cannot be in it.",
            )
        ]
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
        if folder.shared:
            how = f"shared with the group {folder.group} (0660)"
        elif acl.shares_new_files_by_name(folder.path):
            how = f"shared by name with {_names(folder.people)} (0660)"
        else:
            how = "private (0600)"
        return [Finding("ok", f"The plan file {shown_path(path)} will be created, {how}.")]
    except OSError:
        info = None  # _check_file says why
    findings = _check_file(path, "the plan file", folder, "problem")
    if findings or info is None:
        return findings
    mode = stat.S_IMODE(info.st_mode)
    return [
        Finding(
            "ok",
            f"The plan file {shown_path(path)} is {in_words(path, info, folder)} "
            f"(mode {mode:04o}).",
        )
    ]


def in_words(path: Path, info: os.stat_result, folder: Folder) -> str:
    """Who can read a plan file that has no problems, in words."""
    access = acl.access_list(path, info.st_mode)
    named = {uid: perm for uid, perm in access.users().items() if perm & READ}
    if named:
        named[info.st_uid] = _READ_AND_CHANGE  # the owner: whoever saved it last
    named.pop(folder.info.st_uid, None)  # whose plan it is
    whose = "" if folder.info.st_uid == os.geteuid() else f"{user_name(folder.info.st_uid)}'s, "
    by_name = f"shared by name with {_names(named)}" if named else ""
    if folder.shared and access.effective(GROUP_OBJ):
        return f"{whose}shared with the group {folder.group}" + (
            f" and {by_name}" if by_name else ""
        )
    if by_name:
        return f"{whose}{by_name}"
    if info.st_uid == os.geteuid():
        return "private: only you can read it"
    return f"private: only its owner, {user_name(info.st_uid)}, can read it"


def _names(people: dict[int, int]) -> str:
    """'you and bob (read and change), carol (read only)': who may do what, in words."""
    ordered = sorted(people, key=lambda uid: (uid != os.geteuid(), user_name(uid)))
    writers = [_you_or_name(uid) for uid in ordered if people[uid] & WRITE]
    readers = [_you_or_name(uid) for uid in ordered if not people[uid] & WRITE]
    parts = [f"{_listed(writers)} (read and change)"] if writers else []
    if readers:
        parts.append(f"{_listed(readers)} (read only)")
    return ", ".join(parts)


def _check_file(path: Path, what: str, folder: Folder, severity: str) -> list[Finding]:
    """What is wrong with one file (nothing if it is missing): its kind, its owner, and who
    else may use it; `severity` is how much a wrong owner or wider access matters."""
    shown, quoted = shown_path(path), _quoted(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return []
    except OSError as error:
        return [Finding("problem", f"Kindred cannot look at {what} {shown}: {reason(error)}.")]
    if stat.S_ISLNK(info.st_mode):
        return [
            Finding(
                "problem",
                f"{_cap(what)} {shown} is a symbolic link. Kindred will not follow it: "
                "it could lead the plan to a place others can read.",
                f"See where it points, then put the real file in its place: ls -l {quoted}",
            )
        ]
    if not stat.S_ISREG(info.st_mode):
        return [Finding("problem", f"{_cap(what)} {shown} is not an ordinary file.")]
    try:
        access = acl.access_list(path, info.st_mode)
    except (OSError, ValueError):
        return [
            Finding(
                "problem",
                f"Kindred cannot tell who may use {what} {shown}: its "
                "access control list cannot be read.",
            )
        ]

    findings = []
    if not _owner_expected(info, folder):
        outside = f", outside the group {folder.group}" if folder.shared else ""
        findings.append(
            Finding(
                severity,
                f"{_cap(what)} {shown} is owned by {account(info.st_uid)}{outside}. "
                "That account can read it, whatever its mode.",
                f"If it is yours, an administrator can give it back to you: "
                f"sudo chown {shlex.quote(user_name(os.geteuid()))} {quoted}",
            )
        )

    mode = stat.S_IMODE(info.st_mode)
    group_bits = access.effective(GROUP_OBJ)
    described = f"{what} {shown_path(path)} (mode {mode:04o})"
    if folder.shared and mode & _OTHERS:
        findings.append(
            Finding(
                "problem",
                f"People outside the group {folder.group} can {_can(mode)} {described}.",
                f"To close it to them, run: chmod o-rwx {quoted}",
            )
        )
    elif folder.shared and group_bits and info.st_gid != folder.info.st_gid:
        findings.append(
            Finding(
                "problem",
                f"The group {group_name(info.st_gid)} can {_can(group_bits)} {described}, "
                f"but the plan is shared with the group {folder.group}.",
                _narrowing_fix(access, quoted, "group"),
            )
        )
    elif not folder.shared:
        wider = []
        if mode & _OTHERS:
            wider.append(("Anyone with an account on this computer", mode, "others"))
        if group_bits and (access.extended or not wider):  # else chmod 600 closes both
            wider.append((f"People in the group {group_name(info.st_gid)}", group_bits, "group"))
        for who, bits, whom in wider:
            findings.append(
                Finding(
                    severity,
                    f"{who} can {_can(bits)} {described}.",
                    _narrowing_fix(access, quoted, whom),
                )
            )
    if access.extended:
        findings += _check_names(access, info, folder, described, severity, quoted)
    return findings


def _owner_expected(info: os.stat_result, folder: Folder) -> bool:
    """Files here may be yours, the folder owner's, or, when they save, of those the plan is
    shared with for changes (by name, or through the folder's group)."""
    if info.st_uid in (os.geteuid(), folder.info.st_uid):
        return True
    if folder.people.get(info.st_uid, 0) & WRITE:
        return True
    return folder.shared and _in_group(info.st_uid, folder.info.st_gid)


def _check_names(
    access: acl.Acl,
    info: os.stat_result,
    folder: Folder,
    described: str,
    severity: str,
    quoted: str,
) -> list[Finding]:
    """Findings about the names in a file's access control list: people given more than the
    plan is shared with them, groups named in it, a mask wider than anyone needs."""
    findings = []
    for uid, perm in sorted(access.users().items()):
        allowed = folder.allowed(uid) if uid != info.st_uid else _READ_AND_CHANGE
        if perm & ~allowed & (READ | WRITE):
            name = user_name(uid)
            shared = "for reading only" if allowed == READ else "with them"
            not_shared = f"is shared {shared}" if allowed else "is not shared with them"
            fix = "kindred share --read-only" if allowed == READ else "kindred unshare"
            findings.append(
                Finding(
                    severity,
                    f"{name} can {_can(perm)} {described}, but the plan {not_shared}.",
                    f"The plan's owner can set that right: {fix} {shlex.quote(name)}",
                )
            )
    for gid, perm in sorted(access.groups().items()):
        if perm:
            findings.append(
                Finding(
                    severity,
                    f"People in the group {group_name(gid)} can {_can(perm)} {described}, named "
                    "in its access control list.",
                    "To close it to them, run: "
                    f"setfacl -x g:{shlex.quote(group_name(gid))} {quoted}",
                )
            )
    needed = 0
    for (tag, _), perm in access.perms.items():
        if tag in (acl.USER, acl.GROUP, acl.GROUP_OBJ):
            needed |= perm
    if access.mask is not None and access.mask & ~needed:
        findings.append(
            Finding(
                "warning",
                f"The access control list of {described} lets its people do more than it names "
                f"(its mask is {acl.letters(access.mask)}, but nobody in it needs more than "
                f"{acl.letters(needed)}).",
                f"To narrow it, run: setfacl -m m::{acl.letters(needed)} {quoted}",
            )
        )
    return findings


def _narrowing_fix(access: acl.Acl, quoted: str, whom: str) -> str:
    """A command that closes the file to others or to its group, and to nobody else."""
    if not access.extended:
        return f"To make it private, run: chmod 600 {quoted}"
    if whom == "others":
        return f"To close it to them, run: chmod o-rwx {quoted}"
    # chmod g-rwx would change the mask, and close the file to the people it is shared with
    return f"To close it to them, run: setfacl -m g::- {quoted}"


def _check_folder(folder: Folder, plan: Path) -> list[Finding]:
    mode = stat.S_IMODE(folder.info.st_mode)
    shown, quoted = shown_path(folder.path), _quoted(folder.path)
    described = f"the folder {shown} (mode {mode:04o})"
    group_bits = folder.access.effective(GROUP_OBJ)
    for perm in folder.access.groups().values():
        group_bits |= perm
    if folder.shared:
        look = "add, rename or delete files in" if mode & 0o002 else "look into"
        if mode & _OTHERS:
            return [
                Finding(
                    "problem",
                    f"People outside the group {folder.group} can {look} {described}.",
                    f"To close it to them, run: chmod o-rwx {quoted}",
                )
            ]
        return [
            Finding(
                "ok",
                f"The folder {shown} is shared with the group "
                f"{folder.group} only (mode {mode:04o}){_also_named(folder)}.",
            )
        ]
    move_plan = (
        "Keep the plan in a private folder of your own, for example: "
        f"mkdir -m 700 -p ~/.kindred && mv {_quoted(plan)}* ~/.kindred/ "
        f"&& kindred --data ~/.kindred/{_quoted(plan.name)}"
    )
    me = os.geteuid()
    if folder.info.st_uid != me and me not in folder.people:
        return [
            Finding(
                "problem",
                f"The folder {shown} belongs to {account(folder.info.st_uid)}, "
                "which can remove or replace the plan in it.",
                move_plan,
            )
        ]
    wider = group_bits << 3 | mode & _OTHERS
    look = "add, rename or delete files in" if wider & _WRITE else "look into"
    if mode & stat.S_ISVTX and mode & 0o002:
        fix = move_plan  # a folder for everyone, like /tmp: closing it would break the machine
    elif folder.access.extended:
        fix = f"To close it to them, run: chmod o-rwx {quoted} && setfacl -m g::- {quoted}"
    else:
        fix = f"To make it private, run: chmod 700 {quoted}"
    if wider & _WRITE:
        return [
            Finding(
                "problem",
                f"People other than you can {look} {described}, so they could replace the plan.",
                fix,
            )
        ]
    if wider:
        return [
            Finding(
                "warning",
                f"People other than you can {look} {described}. They cannot read a private "
                "plan, but they can see that it is there.",
                fix,
            )
        ]
    if folder.info.st_uid != me:
        return [
            Finding(
                "ok",
                f"The folder {shown} belongs to "
                f"{user_name(folder.info.st_uid)}, who shares the plan with "
                f"{_names(folder.people)}.",
            )
        ]
    if folder.people:
        return [
            Finding(
                "ok",
                f"The folder {shown} is yours, and the plan in it is "
                f"shared by name with {_names(folder.people)}.",
            )
        ]
    return [Finding("ok", f"The folder {shown} is private (mode {mode:04o}).")]


def _also_named(folder: Folder) -> str:
    return f", and by name with {_names(folder.people)}" if folder.people else ""


# --- who can read the plan --------------------------------------------------------------


def who_can_read(path: Path) -> list[Person]:
    """Everyone who can read the plan file at path, by name: you, its owner, the people it is
    shared with, the members of a group that may read it, everyone if others may, and the
    administrators, who can read any file. Each with why, and whether they can also change it.
    Looks only: follows what the kernel would allow, through every folder above the plan."""
    path = Path(path).absolute()
    folders = [path.parent.resolve(), *path.parent.resolve().parents]
    try:
        chain = [_status_and_list(folder) for folder in folders]
        file_status = os.lstat(path)
        plan = (file_status, acl.access_list(path, file_status.st_mode))
    except (OSError, ValueError):
        return []
    lock = _lock_status(path)
    candidates = _candidates(file_status, plan[1], chain[0])
    people = []
    for uid, why in candidates.items():
        try:
            account_info = pwd.getpwuid(uid)
        except KeyError:
            continue
        gids = set(os.getgrouplist(account_info.pw_name, account_info.pw_gid))
        if not (uid == 0 == os.geteuid() or _allows(uid, gids, plan, READ, chain)):
            continue  # root, unless it is you, is among the administrators
        can_change = _allows(uid, gids, chain[0], WRITE | EXECUTE, chain[1:]) and (
            lock is None or _allows(uid, gids, lock, READ | WRITE, [])
        )
        people.append(Person(visible(account_info.pw_name), why, can_change))
    if plan[1].perms.get((acl.OTHER, acl.NO_ID), 0) & READ and all(
        entry[1].perms.get((acl.OTHER, acl.NO_ID), 0) & EXECUTE for entry in chain
    ):
        people.append(Person("everyone", "anyone with an account on this computer", False))
    listed = {person.name for person in people}
    return people + [person for person in administrators() if person.name not in listed]


def readers_in_words(people: list[Person]) -> list[str]:
    """Who can read the plan (who_can_read), grouped by why: "you (anna)", then "ben, cleo:
    <why>" for each reason. The names, not a verdict."""
    grouped: dict[str, list[str]] = {}
    for person in people:
        grouped.setdefault(person.why, []).append(person.name)
    return [
        f"you ({names[0]})" if why == "you" else f"{', '.join(names)}: {why}"
        for why, names in grouped.items()
    ]


def _status_and_list(path: Path) -> tuple[os.stat_result, acl.Acl]:
    info = os.stat(path)
    return info, acl.access_list(path, info.st_mode)


def _lock_status(path: Path) -> tuple[os.stat_result, acl.Acl] | None:
    try:
        info = os.lstat(plan_file.lock_path(path))
        return info, acl.access_list(plan_file.lock_path(path), info.st_mode)
    except (OSError, ValueError):
        return None


def _allows(
    uid: int,
    gids: set[int],
    target: tuple[os.stat_result, acl.Acl],
    want: int,
    folders: list[tuple[os.stat_result, acl.Acl]],
) -> bool:
    """Whether the user may do want to target, reaching it through folders."""
    for info, access in folders:
        if not access.allows(uid, gids, (info.st_uid, info.st_gid), EXECUTE):
            return False
    info, access = target
    return access.allows(uid, gids, (info.st_uid, info.st_gid), want)


def _candidates(info: os.stat_result, access: acl.Acl, folder: tuple) -> dict[int, str]:
    """Who might read the file, and why, before asking what the kernel allows them."""
    me = os.geteuid()
    found = {me: "you"}
    found.setdefault(folder[0].st_uid, "owns the plan and its folder")
    for uid, perm in access.users().items():
        how = "read and change" if perm & WRITE else "read only"
        found.setdefault(uid, f"shared by name ({how})")
    found.setdefault(info.st_uid, "owns the plan file")
    group_ids = [gid for gid, perm in access.groups().items() if perm & READ]
    if access.effective(GROUP_OBJ) & READ:
        group_ids.insert(0, info.st_gid)
    for gid in group_ids:
        for uid in _members(gid):
            found.setdefault(uid, f"in the group {group_name(gid)}")
    return found


def _members(gid: int) -> list[int]:
    """The uids of the accounts in a group: named in it, or having it as their own."""
    try:
        names = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        names = set()
    uids = []
    for entry in pwd.getpwall():
        if entry.pw_gid == gid or entry.pw_name in names:
            uids.append(entry.pw_uid)
    return uids


def administrators() -> list[Person]:
    """root, and the members of the groups whose members may become root."""
    names = ["root"]
    for group in ADMINISTRATOR_GROUPS:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            continue
        names += [user_name(uid) for uid in _members(gid) if user_name(uid) not in names]
    return [Person(visible(name), ADMINISTRATOR, True) for name in names]


# --- words --------------------------------------------------------------------------------


def _can(bits: int) -> str:
    """What the lowest three permission bits allow, in words."""
    if bits & 0o4 and bits & 0o2:
        return "read and change"
    if bits & 0o4:
        return "read"
    return "change" if bits & 0o2 else "open"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _you_or_name(uid: int) -> str:
    return "you" if uid == os.geteuid() else user_name(uid)


def reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def user_name(uid: int) -> str:
    try:
        return visible(pwd.getpwuid(uid).pw_name)
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return visible(grp.getgrgid(gid).gr_name)
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


def _quoted(path: Path | str) -> str:
    """A path as it is typed in a shell command, and shown."""
    return shown_path(shlex.quote(str(path)))
