"""Command-line output into a reader that has already gone (`kindred export | head -0`)."""

import subprocess
import sys

import pytest

from tui.core.store import Store


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "json"], ["doctor"]])
def test_output_into_a_closed_pipe_ends_quietly(tmp_path, command):
    data = tmp_path / "plan.json"
    Store(data).insert(
        "people",
        {
            "id": "p1",
            "name": "Anna",
            "relationship": "",
            "role": "member",
            "order": 1,
            "target_seconds": 120,
            "statement": "I love you.",
            "bottom_line": "",
        },
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", *command, "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()
    stderr = child.stderr.read().decode()
    child.wait(timeout=30)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
