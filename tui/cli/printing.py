"""Printing text that names files and accounts, safely, on any terminal."""

import sys
from typing import TextIO

from tui.core.safe_text import visible


def print_visible(text: str, file: TextIO | None = None) -> None:
    """Print with control characters made visible, and never fail on the terminal's encoding."""
    file = file or sys.stdout
    encoding = file.encoding or "utf-8"
    print(visible(text).encode(encoding, "replace").decode(encoding), file=file)
