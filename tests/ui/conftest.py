"""The app as the UI tests start it: the shipped guide (or another) filled in for the
locale's country, as `kindred` starts it, and any other options."""

import inspect
import os

import pytest
from waiting import until_the_plan_is_open

from tui.core.countries import country_from_locale
from tui.core.guide import load_guide
from tui.ui.app import KindredApp


@pytest.fixture
def make_app(tmp_path):
    def factory(**kwargs) -> KindredApp:
        guide = load_guide(kwargs.pop("content", None), country=country_from_locale(os.environ))
        return KindredApp(guide, **kwargs)

    return factory


@pytest.fixture
def snap_compare(snap_compare):
    """Every snapshot is of the app with its plan open and the guide filled in for the
    plan's country, as a person sees it a moment after the start, however busy the machine."""

    def compare(app, *, run_before=None, **kwargs) -> bool:
        async def with_the_plan_open(pilot) -> None:
            await until_the_plan_is_open(pilot)
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result

        return snap_compare(app, run_before=with_the_plan_open, **kwargs)

    return compare


@pytest.fixture(autouse=True)
def the_same_readers_on_every_machine(monkeypatch):
    """The Overview names who can read the plan: the same one name in every test, whoever
    runs it and whatever accounts the machine has (tests/ui/test_app_who_can_read.py looks
    at the real names)."""
    from tui.core import permissions

    monkeypatch.setattr(
        permissions, "who_can_read", lambda path: [permissions.Person("kindred", "you", True)]
    )
