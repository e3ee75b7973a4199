"""The app as the UI tests start it: the shipped guide (or another), any other options."""

import pytest

from tui.core.guide import load_guide
from tui.ui.app import KindredApp


@pytest.fixture
def make_app(tmp_path):
    def factory(**kwargs) -> KindredApp:
        return KindredApp(load_guide(kwargs.pop("content", None)), **kwargs)

    return factory
