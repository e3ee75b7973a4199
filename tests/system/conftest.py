"""Kindred started as a separate process, from this checkout."""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_kindred():
    """Run Kindred as a separate process, as a user would from a shell, and wait for it."""

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tui", *arguments],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=60,
        )

    return run
