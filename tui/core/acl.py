"""POSIX access control lists: who else, by name, may use a file or folder.

The kernel keeps them in two extended attributes: ``system.posix_acl_access`` (who may use
the file or folder) and ``system.posix_acl_default`` (what new files in a folder start with).
Their layout is documented in acl(5) and linux/posix_acl_xattr.h: the version, 2, as a
little-endian 32-bit number, then one entry after another, each a tag (16 bits), its
permissions (16 bits) and a user or group id (32 bits). Kindred reads and writes them with
Python's own os.getxattr and os.setxattr, so nothing needs to be installed or compiled.

Plain Python that loads quickly (every save uses it): no Textual, no dataclasses.
"""

import errno
import os
import struct
from pathlib import Path

ACCESS = "system.posix_acl_access"
DEFAULT = "system.posix_acl_default"

# The tags, in the order the kernel wants the entries.
USER_OBJ, USER, GROUP_OBJ, GROUP, MASK, OTHER = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
READ, WRITE, EXECUTE = 4, 2, 1

NO_ID = 0xFFFFFFFF  # the id of the entries that name nobody: owner, owning group, mask, other
_VERSION = 2
_HEADER = struct.Struct("<I")
_ENTRY = struct.Struct("<HHI")
_UNSUPPORTED = {errno.EOPNOTSUPP, errno.ENOTSUP}
_GROUP_CLASS = {USER, GROUP_OBJ, GROUP}  # the entries the mask limits

Where = Path | int  # a path, or an open file descriptor


class Unsupported(Exception):
    """The file system keeps no access control lists."""


class Acl:
    """One list: the permissions (read 4, write 2, execute 1) of each entry, keyed by its tag
    and by the uid or gid it names (NO_ID for the entries that name nobody)."""

    def __init__(self, perms: dict[tuple[int, int], int]):
        self.perms = dict(perms)

    @classmethod
    def from_mode(cls, mode: int) -> "Acl":
        """The list that says what a mode says: owner, group and others."""
        return cls(
            {
                (USER_OBJ, NO_ID): mode >> 6 & 7,
                (GROUP_OBJ, NO_ID): mode >> 3 & 7,
                (OTHER, NO_ID): mode & 7,
            }
        )

    @classmethod
    def decode(cls, raw: bytes) -> "Acl":
        if len(raw) < _HEADER.size or (len(raw) - _HEADER.size) % _ENTRY.size:
            raise ValueError("an access control list of the wrong length")
        if _HEADER.unpack_from(raw)[0] != _VERSION:
            raise ValueError("an access control list of an unknown version")
        entries = _ENTRY.iter_unpack(raw[_HEADER.size :])
        return cls({(tag, number): perm for tag, perm, number in entries})

    def encode(self) -> bytes:
        entries = sorted(self.perms.items())
        return _HEADER.pack(_VERSION) + b"".join(
            _ENTRY.pack(tag, perm, number) for (tag, number), perm in entries
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Acl) and self.perms == other.perms

    def __repr__(self) -> str:
        return f"Acl({self.perms!r})"

    @property
    def mask(self) -> int | None:
        return self.perms.get((MASK, NO_ID))

    def effective(self, tag: int, number: int = NO_ID) -> int:
        """What an entry really allows: the group class is limited by the mask."""
        perm = self.perms.get((tag, number), 0)
        mask = self.mask
        return perm & mask if tag in _GROUP_CLASS and mask is not None else perm

    def users(self) -> dict[int, int]:
        """The users named in the list, with what each may really do."""
        return {number: self.effective(USER, number) for tag, number in self.perms if tag == USER}

    def groups(self) -> dict[int, int]:
        """The groups named in the list, with what the members of each may really do."""
        return {number: self.effective(GROUP, number) for tag, number in self.perms if tag == GROUP}

    @property
    def extended(self) -> bool:
        """More than a mode can say: names, or a mask."""
        return any(tag in (USER, GROUP, MASK) for tag, _ in self.perms)

    def with_user(self, uid: int, perm: int) -> "Acl":
        """The list with this user allowed exactly perm; what everyone else may do is kept."""
        perms = self._narrowed()
        perms[(USER, uid)] = perm
        return Acl(_with_mask(perms))

    def without_user(self, uid: int) -> "Acl":
        """The list without its entry for this user; what everyone else may do is kept."""
        perms = self._narrowed()
        perms.pop((USER, uid), None)
        return Acl(_with_mask(perms))

    def allows(self, uid: int, gids: set[int], owner: tuple[int, int], want: int) -> bool:
        """Whether the kernel lets a user (uid, in groups gids) do want (bits) to a file whose
        owner and group are owner, as acl(5) describes; an administrator is not asked here."""
        owner_uid, owner_gid = owner
        if uid == owner_uid:
            return self.perms.get((USER_OBJ, NO_ID), 0) & want == want
        if (USER, uid) in self.perms:
            return self.effective(USER, uid) & want == want
        matched = False
        for (tag, number), perm in sorted(self.perms.items()):
            if (tag == GROUP_OBJ and owner_gid in gids) or (tag == GROUP and number in gids):
                if perm & want == want:
                    return self.effective(tag, number) & want == want
                matched = True
        return not matched and self.perms.get((OTHER, NO_ID), 0) & want == want

    def _narrowed(self) -> dict[tuple[int, int], int]:
        """The entries with the mask applied to them, and no mask: the same access."""
        return {key: self.effective(*key) for key in self.perms if key[0] != MASK}


def _with_mask(perms: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """A list with names needs a mask; the narrowest one that limits nobody."""
    if any(tag in (USER, GROUP) for tag, _ in perms):
        union = 0
        for (tag, _), perm in perms.items():
            if tag in _GROUP_CLASS:
                union |= perm
        perms[(MASK, NO_ID)] = union
    return perms


def letters(perm: int) -> str:
    """Permissions as ls and getfacl show them: rw-, r--, --x."""
    return "".join(
        letter if perm & bit else "-" for letter, bit in (("r", READ), ("w", WRITE), ("x", EXECUTE))
    )


def access_list(where: Where, mode: int) -> Acl:
    """Who may use the file or folder (given with its mode): its list, or its mode if it has
    none. Never follows a symbolic link."""
    raw = _get(where, ACCESS)
    return Acl.decode(raw) if raw is not None else Acl.from_mode(mode)


def default_list(folder: Where) -> Acl | None:
    """What new files in the folder start with, if the folder says."""
    raw = _get(folder, DEFAULT)
    return Acl.decode(raw) if raw is not None else None


def supported(where: Where) -> bool:
    """Whether the file system under this file or folder keeps access control lists."""
    try:
        os.getxattr(where, ACCESS, **_no_follow(where))
    except OSError as error:
        if error.errno in _UNSUPPORTED:
            return False
        if error.errno != errno.ENODATA:
            raise
    return True


def set_access_list(where: Where, acl: Acl) -> None:
    """Give the file or folder this list (a list that names nobody becomes its mode)."""
    _set(where, ACCESS, acl)


def set_default_list(folder: Where, acl: Acl | None) -> None:
    """Give the folder this default list for new files in it, or none."""
    if acl is not None:
        _set(folder, DEFAULT, acl)
        return
    try:
        os.removexattr(folder, DEFAULT, **_no_follow(folder))
    except OSError as error:
        if error.errno not in _UNSUPPORTED | {errno.ENODATA}:
            raise


def copy_access_list(source: Path, fd: int) -> None:
    """Give the open file the list of the file at source, or none if source has none, so that
    a file replaced by a new one is open to the same people. Nothing on a file system that
    keeps no lists."""
    raw = _get(source, ACCESS)
    if raw is not None:
        os.setxattr(fd, ACCESS, raw)
        return
    try:
        os.removexattr(fd, ACCESS)  # one it took from its folder's default list
    except OSError as error:
        if error.errno not in _UNSUPPORTED | {errno.ENODATA}:
            raise


def shares_new_files_by_name(folder: Path) -> bool:
    """Whether the folder's default list gives its new files to named users and to no group:
    then a new file made 0660 is open to those users only (the list, not the group, decides)."""
    default = default_list(folder)
    if default is None or not default.users():
        return False
    return default.effective(GROUP_OBJ) == 0 and not any(default.groups().values())


def _no_follow(where: Where) -> dict[str, bool]:
    """Never through a symbolic link (an open file descriptor follows none)."""
    return {} if isinstance(where, int) else {"follow_symlinks": False}


def _get(where: Where, name: str) -> bytes | None:
    try:
        return os.getxattr(where, name, **_no_follow(where))
    except OSError as error:
        if error.errno == errno.ENODATA or error.errno in _UNSUPPORTED:
            return None
        raise


def _set(where: Where, name: str, acl: Acl) -> None:
    try:
        os.setxattr(where, name, acl.encode(), **_no_follow(where))
    except OSError as error:
        if error.errno in _UNSUPPORTED:
            raise Unsupported(str(where)) from None
        raise
