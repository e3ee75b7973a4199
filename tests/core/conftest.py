"""The core tests run in this process, without Textual, and quickly."""

import os

import pytest


@pytest.fixture(autouse=True)
def saves_need_not_wait_for_the_disk(monkeypatch):
    """A save here is complete once written: what a crash or a kill leaves behind is tested
    with real processes in tests/system, and nothing here can test a power cut."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)
