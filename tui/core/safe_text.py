"""Make text from users and files safe to store and to show on a terminal.

Control characters (C0, DEL, C1) can move the cursor, change the title or
hide text; bidirectional overrides can reorder what a reader sees. None of
them may reach the terminal.
"""

import os
import re

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_LONE_SURROGATES = "\ud800-\udfff"  # only in text decoded from broken JSON; no terminal takes them
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_LONE_SURROGATES}]")
_CONTROLS_AND_LINE_BREAKS = re.compile(
    f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_LONE_SURROGATES}\u2028\u2029]"
)


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """Remove control characters. Multi-line text keeps newlines and tabs; in one-line text
    they (and any other line break) become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return _CONTROLS.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n"))
    return _CONTROLS_AND_LINE_BREAKS.sub(" ", text.replace("\n", " ").replace("\t", " "))


def visible(text: str, *, multiline: bool = False) -> str:
    """Show control characters as visible symbols instead of sending them on. The line and
    paragraph separators break the line in multi-line text and are spaces in one line."""
    line_break = "\n" if multiline else " "
    text = text.replace("\u2028", line_break).replace("\u2029", line_break)
    return _CONTROLS.sub(_symbol_for, text)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file or folder name as it is shown anywhere. Other people can name files (beside a
    shared plan, in a guide folder): like plan text, its control characters are shown as
    visible symbols, and so are line breaks and tabs, so that a name stays on its line."""
    return _CONTROLS_AND_LINE_BREAKS.sub(_symbol_for, os.fspath(path))


def _symbol_for(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"
