"""Python child processes that run this checkout's code, talking in text on their pipes."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def start_python(*args, **popen_options) -> subprocess.Popen:
    """Start `python ARGS` (a script and its arguments, or -c and code)."""
    import_path = os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": import_path},
        **popen_options,
    )
