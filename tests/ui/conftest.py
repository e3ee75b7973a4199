"""The app as the UI tests start it: the shipped guide (or another), any other options."""

import pytest

from tui.core.guide import load_guide
from tui.ui.app import KindredApp


@pytest.fixture
def make_app(tmp_path):
    def factory(**kwargs) -> KindredApp:
        return KindredApp(load_guide(kwargs.pop("content", None)), **kwargs)

    return factory


@pytest.fixture(autouse=True)
def the_same_readers_on_every_machine(monkeypatch):
    """The Overview names who can read the plan: the same one name in every test, whoever
    runs it and whatever accounts the machine has (tests/ui/test_app_who_can_read.py looks
    at the real names)."""
    from tui.core import permissions

    monkeypatch.setattr(
        permissions, "who_can_read", lambda path: [permissions.Person("kindred", "you", True)]
    )
