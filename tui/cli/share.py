"""`kindred share`, `kindred unshare` and `kindred share --list`: the plan shared with named
people on this computer, without an administrator, through access control lists.

Sharing gives each person what they need, and nothing more:
- each folder above the plan that is yours: passing through it (x), if they could not already;
- the plan's folder: read and change (rwx, since a save makes new files there and renames
  them), or, for reading only, entering it (--x);
- the plan, its backups and its lock file: read and change (rw-), or read (r--; the lock file
  is not needed for reading);
- a default list on the plan's folder naming the same people, so that whatever a save makes
  there (the new plan, its backups, a new lock file) is open to them, whoever saves. You are
  named in it too, and in the files, so that a file made by another person's save stays
  yours to read and change.

Nothing is changed before each path has been shown, before and after, and the user said yes.
"""

import os
import pwd
import shlex
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from tui.cli.printing import print_visible
from tui.core import acl, atomic_file, file_lock, plan_file
from tui.core.acl import EXECUTE, GROUP_OBJ, NO_ID, OTHER, READ, USER, USER_OBJ, WRITE, Acl
from tui.core.permissions import (
    ADMINISTRATOR,
    ADMINISTRATOR_GROUPS,
    Folder,
    administrators,
    group_name,
    user_name,
    who_can_read,
)
from tui.core.safe_text import visible

READ_AND_CHANGE = READ | WRITE
_LOCK_WAIT_SECONDS = 10.0
_LEGEND = (
    "Each file and folder it changes, before and after (r read, w change, x enter or pass "
    "through; - not):"
)


class Refused(Exception):
    """Why nothing can be changed, in plain words."""


@dataclass(frozen=True)
class Change:
    """What sharing changes on one file or folder."""

    path: Path
    what: str  # what it is, in words: "the plan file", "a folder above the plan", ...
    owner: int
    group: int
    before: Acl
    after: Acl
    default_before: Acl | None = None  # for the plan's folder: what new files in it get
    default_after: Acl | None = None
    copy_first: bool = False  # another account's file: replaced by a copy of your own first
    new_group: int | None = None  # the copy's group
    note: str = ""


# --- the commands -------------------------------------------------------------------------


def share_command(data_path: Path, names: list[str], *, read_only: bool, yes: bool) -> int:
    """Share the plan with each named account; the exit status."""
    plan = _plan_path(data_path)
    try:
        people = {uid: READ if read_only else READ_AND_CHANGE for uid in _accounts(names)}
        _check_can_share(plan, people)
        changes = share_changes(plan, people)
    except Refused as refusal:
        return _fail(str(refusal))
    who = _names(people)
    how = "read only" if read_only else "read and change"
    if not changes:
        print_visible(f"The plan {plan} is already shared with {who} ({how}): nothing to change.")
    else:
        intro = [
            f"Kindred will share the plan {plan} with {who} ({how}).",
            _LEGEND,
            "You are named too, so that a file made by someone else's save stays yours.",
        ]
        done = _confirm_and_apply(plan, changes, lambda: share_changes(plan, people), intro, yes)
        if done != 0:
            return done
    opens = "Each of them opens" if len(people) > 1 else "They open"
    print_visible(
        f"\n{opens} the plan with:\n\n    kindred --data {shlex.quote(str(plan))}\n"
        + ("\nThey can look at it and export it, but not change it.\n" if read_only else "")
        + f"\n{_administrators_sentence()}"
    )
    return 0


def unshare_command(data_path: Path, names: list[str], *, yes: bool) -> int:
    """Take the plan away from each named account again; the exit status."""
    plan = _plan_path(data_path)
    try:
        uids = _accounts(names)
        _check_owner(plan)
        changes = unshare_changes(plan, uids)
    except Refused as refusal:
        return _fail(str(refusal))
    who = _names(dict.fromkeys(uids, 0))
    if not changes:
        print_visible(f"The plan {plan} is not shared with {who}. Nothing to change.")
        return 0
    intro = [f"Kindred will take the plan {plan} away from {who}.", _LEGEND]
    done = _confirm_and_apply(plan, changes, lambda: unshare_changes(plan, uids), intro, yes)
    if done == 0:
        print_visible(
            f"\n{who} can no longer open the plan. What they read or copied while they could "
            "is not taken back."
        )
    return done


def list_command(data_path: Path) -> int:
    """Show who can read and who can change the plan, and why; the exit status."""
    plan = _plan_path(data_path)
    try:
        info = os.lstat(plan)
    except OSError:
        return _fail(f"There is no plan at {plan}, so nobody can read it.")
    people = who_can_read(plan)
    access = acl.access_list(plan, info.st_mode)
    lines = [f"Who can use the plan {plan}:", ""]
    for title, can_change in (("Read and change:", True), ("Read only:", False)):
        found = [p for p in people if p.can_change == can_change and not _is_administrator(p)]
        lines.append(title)
        lines += [f"  {_person_words(person)}" for person in found] or ["  nobody"]
    administrator_names = ", ".join(person.name for person in administrators())
    group = group_name(info.st_gid)
    group_readers = [p.name for p in people if p.why == f"in the group {group}"]
    lines += [
        "Administrators:",
        f"  {administrator_names}: can read and change every file on this computer",
        f"The group {group}:",
        f"  {_can_words(access.effective(GROUP_OBJ))}"
        + (f" ({', '.join(group_readers)})" if group_readers else ""),
        "Others (everyone else with an account):",
        f"  {_can_words(access.perms.get((OTHER, NO_ID), 0))}",
    ]
    print_visible("\n".join(lines))
    return 0


# --- what changes -------------------------------------------------------------------------


def share_changes(plan: Path, people: dict[int, int]) -> list[Change]:
    """Every change that lets these people (uid: READ, or READ | WRITE) use the plan."""
    me = os.geteuid()
    folder = plan.parent
    changes = []
    for path, what in _plan_files(plan):
        info = os.lstat(path)
        before = acl.access_list(path, info.st_mode)
        after = before.with_user(me, READ_AND_CHANGE)
        for uid, perm in people.items():
            if what == "the lock file" and not perm & WRITE:
                after = after.without_user(uid)  # reading takes no lock
            else:
                after = after.with_user(uid, perm)
        changes.append(_file_change(path, what, info, before, after))

    info = os.stat(folder)
    before = acl.access_list(folder, info.st_mode)
    default_before = acl.default_list(folder)
    after = before
    default_after = (default_before or _new_files_default(info)).with_user(me, READ_AND_CHANGE)
    for uid, perm in people.items():
        after = after.with_user(uid, READ | WRITE | EXECUTE if perm & WRITE else EXECUTE)
        default_after = default_after.with_user(uid, perm)
    changes.append(_folder_change(folder, info, (before, after), (default_before, default_after)))
    for above in folder.parents:
        info = os.stat(above)
        before = after = acl.access_list(above, info.st_mode)
        for uid in people:
            if after.allows(uid, _groups_of(uid), (info.st_uid, info.st_gid), EXECUTE):
                continue
            if info.st_uid != me:
                raise Refused(
                    f"{user_name(uid)} cannot pass through the folder {above}, which belongs "
                    f"to {user_name(info.st_uid)}, to reach the plan. Keep the plan in a folder "
                    "they can reach, or ask an administrator to let them through. Nothing was "
                    "changed."
                )
            after = after.with_user(uid, after.perms.get((USER, uid), 0) | EXECUTE)
        changes.append(
            Change(
                above,
                "a folder above the plan: passing through only",
                info.st_uid,
                info.st_gid,
                before,
                after,
                note=_open_by_name_note(above),
            )
        )
    return [change for change in changes if _changes_anything(change)]


def unshare_changes(plan: Path, uids: list[int]) -> list[Change]:
    """Every change that takes the plan away from these people: what share gave them."""
    me = os.geteuid()
    folder = plan.parent
    info = os.stat(folder)
    before = acl.access_list(folder, info.st_mode)
    staying = set(Folder(folder, info, before).people) - set(uids)
    leaving = [*uids] if staying else [*uids, me]  # nobody left: you need not be named either
    kept = ""

    changes = []
    for above in reversed(folder.parents):
        above_info = os.stat(above)
        above_before = above_after = acl.access_list(above, above_info.st_mode)
        for uid in uids:
            if above_after.perms.get((USER, uid)) == EXECUTE and above_info.st_uid == me:
                above_after = above_after.without_user(uid)
        changes.append(
            Change(
                above,
                "a folder above the plan",
                above_info.st_uid,
                above_info.st_gid,
                above_before,
                above_after,
            )
        )
    after = before
    default_before = acl.default_list(folder)
    default_after = default_before
    for uid in leaving:
        after = after.without_user(uid)
        default_after = default_after.without_user(uid) if default_after else None
    if not staying:
        default_after = None
    files = []
    for path, what in _plan_files(plan):
        file_info = os.lstat(path)
        file_before = file_after = acl.access_list(path, file_info.st_mode)
        for uid in leaving:
            file_after = file_after.without_user(uid)
        if what == "the lock file" and file_info.st_uid != me and file_before != file_after:
            kept = (
                f"the lock file belongs to {user_name(file_info.st_uid)}: it holds nothing "
                "of the plan, and Kindred leaves it as it is"
            )
            continue
        files.append(_file_change(path, what, file_info, file_before, file_after))
    changes.append(
        _folder_change(folder, info, (before, after), (default_before, default_after), kept)
    )
    return [change for change in changes + files if _changes_anything(change)]


def _folder_change(
    folder: Path,
    info: os.stat_result,
    access: tuple[Acl, Acl],
    default: tuple[Acl | None, Acl | None],
    note: str = "",
) -> Change:
    """A change to the plan's folder: its list (before, after) and the default list that new
    files there take (before, after)."""
    return Change(
        folder, "the plan's folder", info.st_uid, info.st_gid, *access, *default, note=note
    )


def _file_change(path: Path, what: str, info: os.stat_result, before: Acl, after: Acl) -> Change:
    """A change to a file; another account's is first replaced by a copy of your own, since
    only a file's owner may change its list. Not the lock file: the others lock that very file."""
    theirs = info.st_uid != os.geteuid() and before != after
    if theirs and what != "the lock file":
        folder = os.stat(path.parent)
        new_group = folder.st_gid if folder.st_mode & stat.S_ISGID else os.getegid()
        return Change(
            path,
            what,
            info.st_uid,
            info.st_gid,
            before,
            after,
            copy_first=True,
            new_group=new_group,
        )
    if theirs:
        raise Refused(
            f"The lock file {path} belongs to {user_name(info.st_uid)}, so Kindred cannot "
            f"change who may use it. When nobody has the plan open, delete it (rm "
            f"{shlex.quote(str(path))}) and run this again: Kindred makes a new one. Nothing "
            "was changed."
        )
    return Change(path, what, info.st_uid, info.st_gid, before, after)


def _changes_anything(change: Change) -> bool:
    return (
        change.before != change.after
        or change.default_before != change.default_after
        or bool(change.note and change.what == "the plan's folder")
    )


def _new_files_default(folder_info: os.stat_result) -> Acl:
    """A default list that gives new files to their maker only (and to the folder's group, in
    a group-shared folder, as Kindred's saves do there)."""
    shared_bits = stat.S_ISGID | stat.S_IWGRP
    group_shared = folder_info.st_mode & shared_bits == shared_bits
    return Acl(
        {
            (USER_OBJ, NO_ID): READ | WRITE | EXECUTE,
            (GROUP_OBJ, NO_ID): READ_AND_CHANGE if group_shared else 0,
            (OTHER, NO_ID): 0,
        }
    )


def _plan_files(plan: Path) -> list[tuple[Path, str]]:
    """The plan, its lock file, its backups and kept plans that exist: what a person using it
    opens."""
    files = [(plan, "the plan file"), (plan_file.lock_path(plan), "the lock file")]
    files += [(backup, "a backup") for backup in plan_file.backups(plan)]
    files += [(kept, "a kept plan") for kept in plan_file.kept_plans(plan)]
    return [(path, what) for path, what in files if os.path.lexists(path)]


def _groups_of(uid: int) -> set[int]:
    account = pwd.getpwuid(uid)
    return set(os.getgrouplist(account.pw_name, account.pw_gid))


def _open_by_name_note(folder: Path) -> str:
    """What passing through a folder lets people open: what in it is open to everyone."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                entry.name
                for entry in entries
                if entry.stat(follow_symlinks=False).st_mode & stat.S_IROTH
            )
    except OSError:
        return ""
    if not names:
        return ""
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"passing through, they can open what in it anyone may read, if they know its name: {shown}"
    )


# --- checks before anything changes -------------------------------------------------------


def _plan_path(data_path: Path) -> Path:
    """The plan's path as others must give it: absolute, its folder without symbolic links."""
    path = Path(data_path).absolute()
    return Path(os.path.realpath(path.parent)) / path.name


def _accounts(names: list[str]) -> list[int]:
    """The uids of the named accounts; Refused if one does not exist or is not someone else."""
    uids = []
    for name in names:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            raise Refused(
                f"There is no account named {visible(name)!r} on this computer. Nothing was "
                "changed."
            ) from None
        if uid == os.geteuid():
            raise Refused(f"{visible(name)} is you. Nothing was changed.")
        if uid == 0:
            raise Refused(
                "root is an administrator, who can read every file on this computer already. "
                "Nothing was changed."
            )
        uids.append(uid)
    return list(dict.fromkeys(uids))


def _check_owner(plan: Path) -> None:
    """Only the owner of the plan's folder can share the plan, where lists are kept."""
    try:
        info = os.lstat(plan)
        folder_info = os.stat(plan.parent)
    except FileNotFoundError:
        raise Refused(
            f"There is no plan at {plan} yet. Start Kindred once (or import a plan), then share it."
        ) from None
    except OSError as error:
        raise Refused(f"Kindred cannot look at the plan {plan}: {error.strerror}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{plan} is not an ordinary file, so Kindred will not share it.")
    if folder_info.st_uid != os.geteuid():
        raise Refused(
            f"Only {user_name(folder_info.st_uid)}, whose folder {plan.parent} is, can share "
            "this plan or take it away. Nothing was changed."
        )


def _check_can_share(plan: Path, people: dict[int, int]) -> None:
    _check_owner(plan)
    if not acl.supported(plan.parent):
        raise Refused(_group_method(plan, list(people)))
    _ensure_lock_file(plan)


def _group_method(plan: Path, uids: list[int]) -> str:
    members = "\n".join(f"    usermod -aG family {shlex.quote(user_name(uid))}" for uid in uids)
    return (
        f"The file system that holds {plan.parent} keeps no access control lists, so Kindred "
        "cannot share the plan there by name. Nothing was changed. An administrator can share "
        'it through a group instead, once (see "Several people, one plan" in the README):\n\n'
        "    groupadd family\n"
        f"{members}\n"
        "    mkdir -p /srv/family-plan\n"
        "    chgrp family /srv/family-plan\n"
        "    chmod 2770 /srv/family-plan\n\n"
        "The people added log in again; then each runs "
        "kindred --data /srv/family-plan/plan.json (move your plan there first)."
    )


def _ensure_lock_file(plan: Path) -> None:
    """Make the lock file, as opening the plan would, so that it is shared with the rest."""
    lock = plan_file.lock_path(plan)
    if os.path.lexists(lock):
        return
    try:
        os.close(file_lock.open_lock_file(lock, atomic_file.new_file_mode(plan.parent)))
    except OSError as error:
        raise Refused(f"Kindred cannot make the lock file {lock}: {error.strerror}.") from None


# --- asking, then changing ----------------------------------------------------------------


def _confirm_and_apply(
    plan: Path, changes: list[Change], again, intro: list[str], yes: bool
) -> int:
    """Show the changes, ask, and make them while holding the plan's lock; the exit status.
    `again` works the changes out anew under the lock: if a save changed the files since
    they were shown, nothing is changed."""
    print_visible("\n".join([*intro, "", *_shown(changes)]))
    if not yes:
        if not sys.stdin.isatty():
            return _fail(
                "Kindred asks before it changes who may use the plan, and there is no terminal "
                "to ask on. Nothing was changed. Run it again with --yes to go ahead."
            )
        try:
            answer = input("Make these changes? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    lock = plan_file.lock_path(plan)
    try:
        fd = file_lock.open_lock_file(lock, atomic_file.new_file_mode(plan.parent))
    except OSError as error:
        return _fail(
            f"Kindred cannot open the lock file {lock}: {error.strerror}. Nothing was changed."
        )
    try:
        file_lock.lock(fd, exclusive=True, wait_seconds=_LOCK_WAIT_SECONDS)
        try:
            now = again()
        except Refused as refusal:
            return _fail(str(refusal))
        if _shown(now) != _shown(changes):
            return _fail(
                "Someone saved the plan while you were deciding, so the changes are "
                "no longer those shown. Nothing was changed: run the command again."
            )
        return _apply(now)
    except file_lock.LockTimeout:
        return _fail(
            f"Another program has held the plan {plan} for {_LOCK_WAIT_SECONDS:g} "
            "seconds. Nothing was changed: try again in a moment."
        )
    finally:
        os.close(fd)


def _apply(changes: list[Change]) -> int:
    """Make the changes in order; on a failure, say what was done and what was not."""
    for number, change in enumerate(changes):
        try:
            if change.copy_first:
                _replace_with_own_copy(change.path, change.after)
            elif change.before != change.after:
                acl.set_access_list(change.path, change.after)
            if change.default_before != change.default_after:
                acl.set_default_list(change.path, change.default_after)
        except (OSError, acl.Unsupported, plan_file.Unusable) as error:
            done = ", ".join(str(earlier.path) for earlier in changes[:number]) or "nothing"
            why = error.strerror if isinstance(error, OSError) and error.strerror else error
            return _fail(
                f"Could not change {change.path}: {why}. Changed before it: {done}; "
                "nothing after it."
            )
    print_visible("Done.")
    return 0


def _replace_with_own_copy(path: Path, access: Acl) -> None:
    """Replace another account's file, all at once, with a copy of your own with this list."""
    found = plan_file.read_file(path)
    if found is None:
        raise FileNotFoundError(2, "it is gone", str(path))
    temp = atomic_file.write_temp(path, found[0], atomic_file.PRIVATE_FILE_MODE, None)
    try:
        acl.set_access_list(temp, access)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


# --- words --------------------------------------------------------------------------------


def _shown(changes: list[Change]) -> list[str]:
    lines = []
    for change in changes:
        lines.append(f"{change.path}  ({change.what})")
        if change.copy_first:
            lines.append(
                f"    it belongs to {user_name(change.owner)}, whose save made it: "
                "Kindred first replaces it with a copy of your own"
            )
        if change.before != change.after:
            owner = _you_or_name(change.owner)
            after_owner = "you" if change.copy_first else owner
            after_group = change.group if change.new_group is None else change.new_group
            lines.append(f"    before: {_entries(change.before, owner, change.group)}")
            lines.append(f"    after:  {_entries(change.after, after_owner, after_group)}")
        if change.default_before != change.default_after:
            lines.append(f"    new files in it, before: {_default_entries(change.default_before)}")
            lines.append(f"    new files in it, after:  {_default_entries(change.default_after)}")
        if change.note:
            lines.append(f"    ({change.note})")
    return lines


def _entries(access: Acl, owner: str, gid: int) -> str:
    """'owner (you) rw-, alice rw-, group staff ---, others ---': what each may really do."""
    parts = [f"owner ({owner}) {acl.letters(access.perms.get((USER_OBJ, NO_ID), 0))}"]
    parts += [
        f"{_you_or_name(uid)} {acl.letters(perm)}"
        for uid, perm in sorted(access.users().items(), key=_you_first)
    ]
    parts.append(f"group {group_name(gid)} {acl.letters(access.effective(GROUP_OBJ))}")
    parts += [f"group {group_name(g)} {acl.letters(p)}" for g, p in sorted(access.groups().items())]
    parts.append(f"others {acl.letters(access.perms.get((OTHER, NO_ID), 0))}")
    return ", ".join(parts)


def _default_entries(default: Acl | None) -> str:
    if default is None:
        return "no list: as their maker's umask says (Kindred makes its own private)"
    files = READ | WRITE  # Kindred makes its files 0660 in such a folder: never executable
    parts = [f"their maker {acl.letters(default.perms.get((USER_OBJ, NO_ID), 0) & files)}"]
    parts += [
        f"{_you_or_name(uid)} {acl.letters(perm & files)}"
        for uid, perm in sorted(default.users().items(), key=_you_first)
    ]
    group = default.effective(GROUP_OBJ) & files
    others = default.perms.get((OTHER, NO_ID), 0) & files
    return ", ".join([*parts, f"group {acl.letters(group)}", f"others {acl.letters(others)}"])


def _you_first(item: tuple[int, int]) -> tuple[bool, str]:
    return item[0] != os.geteuid(), user_name(item[0])


def _you_or_name(uid: int) -> str:
    return "you" if uid == os.geteuid() else user_name(uid)


def _names(people: dict[int, int]) -> str:
    names = [user_name(uid) for uid in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _person_words(person) -> str:
    if person.why == "you":
        return f"{person.name} (you)"
    return f"{person.name}: {person.why}"


def _is_administrator(person) -> bool:
    return person.why == ADMINISTRATOR


def _can_words(perm: int) -> str:
    if perm & READ and perm & WRITE:
        return "can read and change it"
    return "can read it" if perm & READ else "cannot read it"


def _administrators_sentence() -> str:
    names = ", ".join(person.name for person in administrators())
    groups = ", ".join(ADMINISTRATOR_GROUPS)
    return (
        f"As with every file on this computer, its administrators can read it too: {names} "
        f"(root, and the members of the groups {groups})."
    )


def _fail(message: str) -> int:
    print_visible(f"kindred: {message}", file=sys.stderr)
    return 1
